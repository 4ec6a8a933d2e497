//! Access summaries: which resources a role's (or a bucket policy's) Allow
//! statements name, grouped, with the access levels of the actions they
//! grant there (IAM User Guide, "Access levels in policy summaries"; the
//! levels come from the action catalogue). Conditions, denies, boundaries
//! and session policies are not applied: this is a picture, not a decision.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::NodeIndex;

use crate::model::PolicyRef;
use crate::model::sessions::{PrincipalClass, RouteRole, home_accounts};
use crate::policy::catalogue::{AccessLevel, Catalogue};
use crate::policy::pattern::action_matches;
use crate::policy::{Effect, Policy, Principal, Statement};
use crate::source::Location;

use super::{Builder, Edge, EdgeKind, Node, NodeKind};

impl Builder<'_> {
    /// Role → resource summaries from the roles' Allow statements.
    pub(super) fn access(&mut self) {
        let inventory = self.inventory;
        for role in inventory.roles() {
            let from = self.role_node(&RouteRole::Known(role));
            let mut grants: BTreeMap<(String, String), Grant> = BTreeMap::new();
            for policy in inventory.role_policies(role) {
                if let PolicyRef::Known { policy, .. } = policy {
                    self.grants_of(policy, &mut grants);
                }
            }
            self.add_grants(from, grants);
        }
    }

    /// Principal → bucket summaries from bucket policies' Allow statements.
    pub(super) fn bucket_policies(&mut self) {
        let inventory = self.inventory;
        let home = home_accounts(inventory);
        for bucket in inventory.bucket_policies() {
            for statement in &bucket.policy.statements {
                if statement.effect.value != Effect::Allow {
                    continue;
                }
                let Some(element) = statement.principal.as_ref().filter(|p| !p.negated) else {
                    continue;
                };
                for principal in &element.principals {
                    let from = match &principal.value {
                        Principal::Anyone => {
                            Some(self.principal_node(&PrincipalClass::Anonymous, None))
                        }
                        Principal::Aws(text) if text == "*" => {
                            Some(self.principal_node(&PrincipalClass::Anonymous, None))
                        }
                        Principal::Aws(text) => {
                            if let Some(role) = inventory.role_by_arn(text) {
                                Some(self.role_node(&RouteRole::Known(role)))
                            } else {
                                let account = if text.bytes().all(|b| b.is_ascii_digit()) {
                                    Some(text.as_str())
                                } else {
                                    crate::model::inventory::account_of(text)
                                };
                                account.filter(|a| !home.iter().any(|h| h == a)).map(|a| {
                                    self.principal_node(
                                        &PrincipalClass::Account { id: a.to_string() },
                                        None,
                                    )
                                })
                            }
                        }
                        _ => None,
                    };
                    let Some(from) = from else {
                        continue;
                    };
                    let mut grants = BTreeMap::new();
                    self.statement_grants(statement, &mut grants);
                    if !statement.conditions.is_empty() {
                        for grant in grants.values_mut() {
                            grant.conditional = true;
                        }
                    }
                    self.add_grants(from, grants);
                }
            }
        }
    }

    fn grants_of(&mut self, policy: &Policy, grants: &mut BTreeMap<(String, String), Grant>) {
        for statement in &policy.statements {
            if statement.effect.value == Effect::Allow {
                self.statement_grants(statement, grants);
            }
        }
    }

    /// The resource groups one Allow statement names, with the access
    /// levels of its actions on each.
    fn statement_grants(
        &mut self,
        statement: &Statement,
        grants: &mut BTreeMap<(String, String), Grant>,
    ) {
        let actions: Vec<&str> = statement
            .action
            .patterns
            .iter()
            .map(|p| p.value.as_str())
            .collect();
        let negated_actions = statement.action.negated;
        let resources: Vec<String> = match &statement.resource {
            Some(r) if !r.negated => r.patterns.iter().map(|p| p.value.to_string()).collect(),
            _ => vec!["*".to_string()],
        };
        for resource in resources {
            // Role ARNs with sts actions are the "can assume" edges.
            let is_role = self.inventory.role_by_arn(&resource).is_some();
            if is_role
                && actions
                    .iter()
                    .all(|a| a.to_ascii_lowercase().starts_with("sts:"))
            {
                continue;
            }
            for (service, name) in resource_groups(&resource, &actions, negated_actions) {
                let mut levels = self.levels_for(&actions, negated_actions, &service);
                if levels.is_empty() {
                    // Actions of another service than the ARN's (sts on an
                    // IAM role ARN): their own levels.
                    levels = self.levels_for(&actions, negated_actions, "*");
                }
                if levels.is_empty() {
                    continue;
                }
                let grant = grants.entry((service, name)).or_default();
                grant.levels.extend(levels);
                for action in &actions {
                    let action = if negated_actions {
                        format!("NotAction {action}")
                    } else {
                        action.to_string()
                    };
                    if !grant.actions.contains(&action) {
                        grant.actions.push(action);
                    }
                }
                if !grant.locations.contains(&statement.loc) {
                    grant.locations.push(statement.loc.clone());
                }
            }
        }
    }

    /// The access levels of `actions` (or of everything but them) within
    /// `service`; for `*`, of every action.
    fn levels_for(
        &mut self,
        actions: &[&str],
        negated: bool,
        service: &str,
    ) -> BTreeSet<AccessLevel> {
        let catalogue = Catalogue::builtin();
        if negated {
            let all = self.levels_of_pattern("*", service);
            return match catalogue.service(service) {
                Some(svc) => svc
                    .actions
                    .iter()
                    .filter(|a| {
                        let full = a.full_name();
                        !actions.iter().any(|p| action_matches(p, &full))
                    })
                    .map(|a| a.access_level)
                    .collect(),
                None => all,
            };
        }
        let mut levels = BTreeSet::new();
        for action in actions {
            levels.extend(self.levels_of_pattern(action, service));
        }
        levels
    }

    fn levels_of_pattern(&mut self, pattern: &str, service: &str) -> BTreeSet<AccessLevel> {
        let key = (pattern.to_ascii_lowercase(), service.to_ascii_lowercase());
        if let Some(levels) = self.levels.get(&key) {
            return levels.clone();
        }
        let catalogue = Catalogue::builtin();
        let pattern_service = pattern.split(':').next().unwrap_or(pattern);
        let levels: BTreeSet<AccessLevel> = if service == "*" {
            catalogue
                .expand(pattern)
                .iter()
                .map(|a| a.access_level)
                .collect()
        } else if pattern == "*"
            || action_matches(&format!("{pattern_service}:x"), &format!("{service}:x"))
        {
            let scoped = match pattern.split_once(':') {
                Some((_, name)) => format!("{service}:{name}"),
                None => format!("{service}:*"),
            };
            catalogue
                .expand(&scoped)
                .iter()
                .map(|a| a.access_level)
                .collect()
        } else {
            BTreeSet::new()
        };
        self.levels.insert(key, levels.clone());
        levels
    }

    fn add_grants(&mut self, from: NodeIndex, grants: BTreeMap<(String, String), Grant>) {
        for ((service, name), grant) in grants {
            let to = self.node(format!("resource:{service}:{name}"), |n| Node {
                id: format!("res{n}"),
                label: resource_label(&service, &name),
                kind: NodeKind::Resource {
                    service: service.clone(),
                    name: name.clone(),
                },
                cluster: None,
                locations: Vec::new(),
                notes: Vec::new(),
            });
            let levels: Vec<AccessLevel> = grant.levels.into_iter().collect();
            let mut label = levels
                .iter()
                .map(|l| l.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            if grant.conditional {
                label.push_str(" (conditions)");
            }
            let mut edge = Edge::new(EdgeKind::MayAccess, label);
            edge.levels = levels;
            edge.actions = grant.actions;
            edge.locations = grant.locations;
            self.edge(from, to, edge);
        }
    }
}

#[derive(Default)]
struct Grant {
    levels: BTreeSet<AccessLevel>,
    actions: Vec<String>,
    locations: Vec<Location>,
    conditional: bool,
}

/// The groups a resource pattern falls in: an S3 bucket, a DynamoDB table,
/// another ARN's resource part; `*` is "any resource" of each service the
/// actions name.
pub fn resource_groups(
    resource: &str,
    actions: &[&str],
    negated_actions: bool,
) -> Vec<(String, String)> {
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    if let [_, _, service, _, _, rest] = parts.as_slice() {
        let name = match *service {
            "s3" => rest.split('/').next().unwrap_or(rest).to_string(),
            "dynamodb" => {
                let mut pieces = rest.split('/');
                match (pieces.next(), pieces.next()) {
                    (Some(kind), Some(name)) => format!("{kind}/{name}"),
                    _ => rest.to_string(),
                }
            }
            // `type:name:sub…` (log groups and their streams) → `type:name`.
            _ => rest.splitn(3, ':').take(2).collect::<Vec<_>>().join(":"),
        };
        return vec![(service.to_string(), name)];
    }
    // `*` (or something that is not an ARN): any resource of the actions'
    // services.
    let mut services: Vec<String> = if negated_actions {
        vec!["*".to_string()]
    } else {
        actions
            .iter()
            .map(|a| {
                let service = a.split(':').next().unwrap_or(a);
                if service.contains(['*', '?']) {
                    "*".to_string()
                } else {
                    service.to_ascii_lowercase()
                }
            })
            .collect()
    };
    services.sort();
    services.dedup();
    if services.iter().any(|s| s == "*") {
        services = vec!["*".to_string()];
    }
    services.into_iter().map(|s| (s, "*".to_string())).collect()
}

fn resource_label(service: &str, name: &str) -> String {
    match (service, name) {
        ("*", _) => "any resource".to_string(),
        (_, "*") => format!("{service}: any resource"),
        ("s3", bucket) => format!("s3: {bucket}"),
        _ => format!("{service}: {name}"),
    }
}
