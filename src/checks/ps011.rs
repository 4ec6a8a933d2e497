//! PS011: a policy variable has no value for the principals that use the
//! policy (docs/checks/PS011.md).
//!
//! For each identity policy of a role, the sessions that carry it are the
//! routes of the route inventory that end at the role, plus the principals
//! its trust policy admits that no route stands for (a service, another
//! account, a SAML or OIDC provider, a pool the inputs do not show). Each
//! route's caller-determined keys come from the concrete evaluator
//! ([`caller_context`]), the role's own tags added to its principal tags.
//! A variable is reported only where its absence follows from the kind of
//! session, never from what the inputs leave out:
//!
//! - `aws:username`: role sessions never have it;
//! - `cognito-identity.amazonaws.com:sub`, `:aud`, `:amr`: only sessions an
//!   identity pool hands out have them;
//! - `aws:PrincipalTag/KEY`: a route's session has the tags the identity
//!   pool maps and the role's own tags; a principal that may pass session
//!   tags (`sts:TagSession`) may have any.
//!
//! A Resource entry with such a variable matches nothing; a condition whose
//! every value has one never holds when positive, and always holds when
//! negated (docs/semantics.md §5). `NotResource` entries are left out: AWS
//! does not document what they do then.

use super::{Audit, CheckInfo, Evidence, Finding, RouteWitness, Witness, statement_name};
use crate::diagnostic::Severity;
use crate::eval::request::{COGNITO_AMR, COGNITO_AUD, COGNITO_SUB, caller_context};
use crate::model::PolicyRef;
use crate::model::inventory::Role;
use crate::model::sessions::PrincipalClass;
use crate::policy::{Effect, Policy, Principal, Statement, Template};
use crate::source::Location;

use super::routes::Route;

pub static INFO: CheckInfo = CheckInfo {
    id: "PS011",
    title: "a policy variable has no value for the principals that use the policy",
    description: "A policy variable whose key the sessions that carry the policy never have — \
                  `${aws:username}` in a role's policy (role sessions have no user name), \
                  `${cognito-identity.amazonaws.com:sub}` in a policy of a role no identity \
                  pool hands out, `${aws:PrincipalTag/KEY}` where nothing sets the tag — \
                  makes a Resource entry match nothing and a condition value match nothing: \
                  the grant never applies, and a negated condition always holds.",
    fix: "Key the policy by something its sessions carry (the identity id for identity-pool \
          roles, a principal tag the identity pool maps), map the missing tag, or give the \
          variable a default (`${aws:PrincipalTag/team, 'none'}`).",
    severity: Severity::Warning,
    security_severity: "5.0",
    tags: &["security", "iam", "variables"],
};

/// A kind of session that carries a role's policies.
struct Holder {
    /// Who, for the message.
    who: String,
    /// The session has the Cognito keys.
    cognito: bool,
    /// The principal tag keys the session has; `None`: any may be set.
    tags: Option<Vec<String>>,
    /// The route, when a route of the inventory stands for the holder.
    route: Option<usize>,
}

/// Why a variable has no value for any holder, or `None` when some holder
/// may have it (or poolscope cannot tell).
fn absent(key: &str, holders: &[Holder], used_by_users: bool) -> Option<String> {
    if key.eq_ignore_ascii_case("aws:username") {
        return (!used_by_users)
            .then(|| "role sessions have no `aws:username` (only IAM users do)".to_string());
    }
    if holders.is_empty() {
        return None;
    }
    if [COGNITO_SUB, COGNITO_AUD, COGNITO_AMR]
        .iter()
        .any(|k| key.eq_ignore_ascii_case(k))
    {
        return holders.iter().all(|h| !h.cognito).then(|| {
            format!(
                "no identity pool hands out the role: its sessions ({}) are no Cognito \
                 identities",
                whos(holders)
            )
        });
    }
    let prefix = "aws:principaltag/";
    if key.len() > prefix.len() && key[..prefix.len()].eq_ignore_ascii_case(prefix) {
        let tag = &key[prefix.len()..];
        let missing = holders.iter().all(|h| {
            h.tags
                .as_ref()
                .is_some_and(|tags| !tags.iter().any(|t| t.eq_ignore_ascii_case(tag)))
        });
        return missing.then(|| {
            format!(
                "no session of the role has the principal tag `{tag}` ({}): the identity \
                 pool maps no such tag and the role has no such tag",
                whos(holders)
            )
        });
    }
    None
}

fn whos(holders: &[Holder]) -> String {
    let mut names: Vec<&str> = holders.iter().map(|h| h.who.as_str()).collect();
    names.dedup();
    names.join(", ")
}

/// Whether a trust statement's actions may include `sts:TagSession`.
fn may_tag_session(statement: &Statement) -> bool {
    statement.action.negated
        || statement.action.patterns.iter().any(|p| {
            let p = p.value.to_ascii_lowercase();
            p.contains(['*', '?']) || p == "sts:tagsession"
        })
}

/// The principal tags the identity pool `pool` maps for logins through
/// `provider` (with or without an app client), whatever the claims.
fn mapped_tags(audit: &Audit<'_>, pool: &str, provider: &str) -> Vec<String> {
    let Some(pool) = audit.inventory.identity_pool(pool) else {
        return Vec::new();
    };
    pool.principal_tags
        .iter()
        .filter(|m| {
            m.provider.value == provider
                || m.provider
                    .value
                    .strip_prefix(provider)
                    .is_some_and(|rest| rest.starts_with(':'))
        })
        .flat_map(|m| m.effective().into_iter().map(|(tag, _)| tag))
        .collect()
}

/// The sessions that carry `role`'s policies; `None` when the trust policy
/// cannot be read (then nobody's keys are known).
fn holders(audit: &Audit<'_>, role: &Role) -> Option<Vec<Holder>> {
    let trust = role.trust_policy.as_ref()?;
    let role_tags: Vec<String> = role.tags.iter().map(|(k, _)| k.clone()).collect();
    let mut out: Vec<Holder> = Vec::new();
    let routes: Vec<(usize, &Route<'_>)> = audit
        .routes
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.session.has_credentials()
                && r.session.role.as_ref().and_then(|x| x.arn()) == Some(role.arn.as_str())
        })
        .collect();
    for (index, route) in &routes {
        let context = caller_context(&route.session.caller(audit.inventory));
        let mut tags = role_tags.clone();
        for (key, _) in context.iter() {
            if let Some(tag) = key.strip_prefix("aws:PrincipalTag/") {
                tags.push(tag.to_string());
            }
        }
        // A route of no concrete claims carries no tag values; the tags it
        // may carry are the ones the pool maps for its provider.
        let tags = match &route.session.principal {
            PrincipalClass::User { pool, provider } => {
                tags.extend(mapped_tags(audit, pool, provider));
                Some(tags)
            }
            PrincipalClass::External { .. } => None,
            _ => Some(tags),
        };
        out.push(Holder {
            who: super::routes::principal_short(audit.inventory, &route.session.principal),
            cognito: context.get(COGNITO_SUB).is_some(),
            tags,
            route: Some(*index),
        });
    }
    let cognito_routes = routes.iter().any(|(_, r)| r.session.token.is_some());
    for statement in &trust.statements {
        if statement.effect.value != Effect::Allow {
            continue;
        }
        let Some(principal) = &statement.principal else {
            continue;
        };
        if principal.negated {
            return None;
        }
        let tagged = may_tag_session(statement);
        for entry in &principal.principals {
            let holder = match &entry.value {
                Principal::Federated(provider)
                    if provider.eq_ignore_ascii_case("cognito-identity.amazonaws.com") =>
                {
                    if cognito_routes {
                        continue;
                    }
                    Holder {
                        who: "identities of a pool the inputs do not show".to_string(),
                        cognito: true,
                        tags: None,
                        route: None,
                    }
                }
                Principal::Federated(provider) => Holder {
                    who: format!("sessions federated through `{provider}`"),
                    cognito: false,
                    tags: None,
                    route: None,
                },
                Principal::Service(service) => Holder {
                    who: format!("`{service}`"),
                    cognito: false,
                    tags: Some(role_tags.clone()),
                    route: None,
                },
                Principal::Aws(arn) => Holder {
                    who: format!("`{arn}`"),
                    cognito: false,
                    tags: if tagged {
                        None
                    } else {
                        Some(role_tags.clone())
                    },
                    route: None,
                },
                Principal::Anyone | Principal::CanonicalUser(_) => Holder {
                    who: "any principal".to_string(),
                    cognito: false,
                    tags: if tagged {
                        None
                    } else {
                        Some(role_tags.clone())
                    },
                    route: None,
                },
            };
            out.push(holder);
        }
    }
    Some(out)
}

/// One place a variable stands in a statement.
enum Site<'s> {
    Resource(&'s Template, &'s Location),
    /// A condition all of whose values hold a variable without a value.
    Condition {
        holds: Holds,
        key: &'s str,
        loc: &'s Location,
    },
}

/// When a condition whose values all match nothing holds (IAM User Guide,
/// "Condition operators": negated operators and `IfExists` on an absent
/// key; "Set operators": `ForAllValues` over an empty set holds).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Holds {
    Never,
    /// Only when the request does not send the key (`…IfExists`,
    /// `ForAllValues:`).
    OnlyWithout,
    Always,
    /// Whenever the request sends the key (`ForAnyValue:` negated).
    WheneverPresent,
}

impl Holds {
    fn of(operator: &crate::policy::Operator) -> Holds {
        use crate::policy::SetQualifier;
        match (operator.base.is_negated(), operator.set) {
            (true, Some(SetQualifier::ForAnyValue)) => Holds::WheneverPresent,
            (true, _) => Holds::Always,
            (false, Some(SetQualifier::ForAllValues)) => Holds::OnlyWithout,
            (false, _) if operator.if_exists => Holds::OnlyWithout,
            (false, _) => Holds::Never,
        }
    }
}

/// The variables of `template` without a default.
fn bare_variables(template: &Template) -> impl Iterator<Item = &str> {
    template
        .variables()
        .filter(|(_, default)| default.is_none())
        .map(|(key, _)| key)
}

pub fn run(audit: &Audit<'_>) -> Vec<Finding> {
    let inventory = audit.inventory;
    // Managed policies IAM users and groups carry too: their sessions have
    // `aws:username`.
    let user_policies: Vec<&Location> = inventory
        .users()
        .iter()
        .flat_map(|u| u.managed_policy_arns.iter())
        .chain(
            inventory
                .groups()
                .iter()
                .flat_map(|g| g.managed_policy_arns.iter()),
        )
        .filter_map(|arn| inventory.managed_policy(&arn.value))
        .filter_map(|m| m.policy.as_ref().map(|p| &p.loc))
        .collect();
    // Each policy once, with every role that carries it.
    let mut uses: Vec<(&Policy, Vec<&Role>)> = Vec::new();
    for role in inventory.roles() {
        for policy in inventory.role_policies(role) {
            let PolicyRef::Known { policy, .. } = policy else {
                continue;
            };
            if !policy.variables_enabled() {
                continue;
            }
            match uses.iter_mut().find(|(p, _)| p.loc == policy.loc) {
                Some((_, roles)) => roles.push(role),
                None => uses.push((policy, vec![role])),
            }
        }
    }
    let mut out = Vec::new();
    for (policy, roles) in uses {
        let used_by_users = user_policies.contains(&&policy.loc);
        let mut all: Vec<Holder> = Vec::new();
        let mut known = true;
        for role in &roles {
            match holders(audit, role) {
                Some(h) => all.extend(h),
                None => known = false,
            }
        }
        let holders: &[Holder] = if known { &all } else { &[] };
        for statement in &policy.statements {
            for (site, key, why) in sites(statement)
                .into_iter()
                .filter_map(|(site, key)| Some((site, key, absent(key, holders, used_by_users)?)))
            {
                out.push(finding(
                    audit, policy, statement, &roles, holders, &site, key, &why,
                ));
            }
        }
    }
    out
}

/// Every variable without a default in the statement's Resource entries and
/// in conditions whose every value holds one, with where it stands.
fn sites(statement: &Statement) -> Vec<(Site<'_>, &str)> {
    let mut out = Vec::new();
    if let Some(resource) = &statement.resource
        && !resource.negated
    {
        for entry in &resource.patterns {
            for key in bare_variables(&entry.value) {
                out.push((Site::Resource(&entry.value, &entry.loc), key));
            }
        }
    }
    for condition in &statement.conditions {
        if !condition.operator.value.base.allows_variables() || condition.values.is_empty() {
            continue;
        }
        // Only a condition whose every value is lost says something about
        // the whole statement; take the first bare variable of each value.
        let keys: Vec<&str> = condition
            .values
            .iter()
            .filter_map(|v| bare_variables(&v.value.template).next())
            .collect();
        if keys.len() != condition.values.len() {
            continue;
        }
        let holds = Holds::of(&condition.operator.value);
        for key in keys {
            out.push((
                Site::Condition {
                    holds,
                    key: &condition.key.value,
                    loc: &condition.loc,
                },
                key,
            ));
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn finding(
    audit: &Audit<'_>,
    policy: &Policy,
    statement: &Statement,
    roles: &[&Role],
    holders: &[Holder],
    site: &Site<'_>,
    key: &str,
    why: &str,
) -> Finding {
    let allow = statement.effect.value == Effect::Allow;
    let names: Vec<String> = roles.iter().map(|r| format!("`{}`", r.name)).collect();
    let (loc, consequence, label) = match site {
        Site::Resource(template, loc) => (
            *loc,
            format!(
                "the Resource entry `{template}` matches nothing, so {}",
                if allow {
                    "it grants nothing"
                } else {
                    "it denies nothing"
                }
            ),
            "this entry matches no resource".to_string(),
        ),
        Site::Condition {
            holds,
            key: condition_key,
            loc,
        } => {
            let (consequence, label) = match holds {
                Holds::Never => (
                    format!(
                        "the condition on `{condition_key}` never holds, so the statement never \
                         applies{}",
                        if allow { "" } else { " and denies nothing" }
                    ),
                    "this condition never holds".to_string(),
                ),
                Holds::OnlyWithout => (
                    format!(
                        "the condition on `{condition_key}` holds only for requests that send \
                         no `{condition_key}`, so the statement {} only those",
                        if allow { "allows" } else { "denies" }
                    ),
                    format!("holds only without `{condition_key}`"),
                ),
                Holds::Always | Holds::WheneverPresent => (
                    format!(
                        "the negated condition on `{condition_key}` {}, so it narrows \
                         nothing: the statement {} whatever the value",
                        if *holds == Holds::Always {
                            "always holds"
                        } else {
                            "holds whenever the request sends the key"
                        },
                        if allow { "allows" } else { "denies" }
                    ),
                    "this condition always holds".to_string(),
                ),
            };
            (*loc, consequence, label)
        }
    };
    let mut finding = Finding::new(
        &INFO,
        format!(
            "`${{{key}}}` in {} has no value for the sessions of {}: {consequence}",
            statement_name(policy, statement),
            names.join(", "),
        ),
        loc,
        label,
        Evidence::Configuration,
    )
    .related(&statement.loc, why.to_string())
    .help(help(key));
    if let Some(index) = holders.iter().find_map(|h| h.route)
        && let Some(route) = audit.routes.get(index)
    {
        finding = finding.witness(Witness::Route(RouteWitness::of(audit.inventory, route)));
    }
    finding
}

fn help(key: &str) -> String {
    if key.eq_ignore_ascii_case("aws:username") {
        return "role sessions have no user name: key the resource by something the sessions \
                carry (`${cognito-identity.amazonaws.com:sub}` for identity-pool roles, \
                `${aws:PrincipalTag/…}`), or attach the policy to IAM users instead"
            .to_string();
    }
    if key.to_ascii_lowercase().starts_with("aws:principaltag/") {
        return "map the tag in the identity pool's attributes for access control (the \
                principal tag map of the provider, whose trust must allow `sts:TagSession`), \
                tag the role, or give the variable a default (`${aws:PrincipalTag/KEY, \
                'none'}`)"
            .to_string();
    }
    "only sessions an identity pool hands out carry `cognito-identity.amazonaws.com:…`: attach \
     the policy to the identity pool's role, or key the resource by something this role's \
     sessions carry"
        .to_string()
}
