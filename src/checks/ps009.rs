//! PS009: roles guests reach hold write or permissions-management actions,
//! after the enhanced flow's scope-down (docs/checks/PS009.md).
//!
//! For every Allow statement of a role a guest route reaches, the actions
//! the catalogue rates Write or Permissions management are asked of reach
//! as `guest@POOL` on the statement's own resources (`{self}` for the
//! identity id); reach applies the scope-down session policy on enhanced
//! routes, so what it allows is what guests really get.

use super::derive::{actions, concrete_resources, keyed_by_identity, pattern, resources};
use super::{Ask, Audit, CheckInfo, Finding, Witness, proven, statement_name};
use crate::diagnostic::Severity;
use crate::model::PolicyRef;
use crate::model::sessions::PrincipalClass;
use crate::policy::Effect;
use crate::policy::catalogue::{AccessLevel, Catalogue};
use crate::query::PrincipalSelector;
use crate::source::Location;

pub static INFO: CheckInfo = CheckInfo {
    id: "PS009",
    title: "roles guests reach hold write or permissions-management actions",
    description: "Anyone who knows an identity pool id can get guest credentials. A guest role \
                  that may write, send, delete or change permissions — after the enhanced \
                  flow's scope-down session policy — lets strangers do so at the account's \
                  expense: send email, fill buckets, change access.",
    fix: "Give the unauthenticated role read-only access to public data, or move the write \
          behind an API that checks the request (a Lambda function behind API Gateway with \
          rate limits).",
    severity: Severity::Warning,
    security_severity: "7.0",
    tags: &["security", "cognito", "guest-access"],
};

/// The most actions of one statement asked about.
const MAX_ACTIONS: usize = 12;

pub fn run(audit: &Audit<'_>) -> Vec<Finding> {
    let catalogue = Catalogue::builtin();
    let mut out = Vec::new();
    let mut reported: Vec<Location> = Vec::new();
    for route in &audit.routes {
        let PrincipalClass::Guest { pool } = &route.session.principal else {
            continue;
        };
        if !route.session.chain.is_empty() || !route.session.has_credentials() {
            continue;
        }
        let Some(role) = route.session.role.as_ref().and_then(|r| r.role()) else {
            continue;
        };
        for policy in audit.inventory.role_policies(role) {
            let PolicyRef::Known { policy, .. } = policy else {
                continue;
            };
            for statement in &policy.statements {
                if statement.effect.value != Effect::Allow || reported.contains(&statement.loc) {
                    continue;
                }
                let mut writes: Vec<String> = Vec::new();
                for pattern_text in actions(statement) {
                    for action in catalogue.expand(&pattern_text) {
                        let level = action.access_level;
                        let name = action.full_name();
                        if matches!(
                            level,
                            AccessLevel::Write | AccessLevel::PermissionsManagement
                        ) && !writes.contains(&name)
                        {
                            writes.push(name);
                        }
                    }
                }
                writes.truncate(MAX_ACTIONS);
                let mut allowed: Vec<String> = Vec::new();
                let mut first = None;
                for action in &writes {
                    let found = resources(statement)
                        .into_iter()
                        .filter_map(|template| pattern(template, "{self}"))
                        .flat_map(|resource| concrete_resources(action, &resource))
                        .find_map(|resource| {
                            let report = audit.ask_preferring(
                                &Ask {
                                    principal: PrincipalSelector::Guest {
                                        pool: Some(pool.clone()),
                                    },
                                    action: action.clone(),
                                    resource,
                                    includes: Vec::new(),
                                },
                                Some(&role.arn),
                            )?;
                            proven(&report)
                        });
                    if let Some(found) = found {
                        allowed.push(action.clone());
                        first = first.or(Some(found));
                    }
                }
                let Some((witness, evidence)) = first else {
                    continue;
                };
                reported.push(statement.loc.clone());
                // Writes confined to the guest's own identity-keyed data are
                // the per-identity pattern; still worth a note.
                let own_only = resources(statement).iter().all(|t| keyed_by_identity(t))
                    || statement.conditions.iter().any(|c| {
                        c.values
                            .iter()
                            .any(|v| keyed_by_identity(&v.value.template))
                    });
                let listed: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
                out.push(
                    Finding::new(
                        &INFO,
                        format!(
                            "guests of identity pool `{pool}` get role `{}`, whose {} allows \
                             {}{}",
                            role.name,
                            statement_name(policy, statement),
                            listed.join(", "),
                            if own_only {
                                " on their own identity's data only"
                            } else {
                                ""
                            }
                        ),
                        &statement.loc,
                        "write access for anyone with the pool id",
                        evidence,
                    )
                    .related(&role.loc, "the unauthenticated role")
                    .help(
                        "keep the unauthenticated role to reading public data; put writes \
                         (sending email, uploads) behind an API that checks and rate-limits \
                         the request",
                    )
                    .witness(Witness::Request(Box::new(witness)))
                    .severity(if own_only {
                        Severity::Note
                    } else {
                        INFO.severity
                    }),
                );
            }
        }
    }
    out
}
