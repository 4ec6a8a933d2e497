//! PS014: Cognito credentials can rewrite who gets which role — a role that
//! guests or users reach may call a Cognito administration action (or
//! rewrite the pre-token-generation trigger) on their own pools
//! (docs/checks/PS014.md).
//!
//! The actions and what each changes are data
//! ([`crate::model::self_admin::ADMIN_ACTIONS`]); whether a route's session
//! may call one is decided by the concrete evaluator on the pool's ARN
//! ([`crate::model::self_admin::grants`]). The finding sits on the statement
//! that allows the action, names the route that reaches it, and lists the
//! roles the route list shows Cognito can then hand out (the
//! self-administered routes of [`crate::model::sessions::self_admin`]).
//! Routes only group members take (an administrator put them in the group)
//! are not reported: administrators administering is intended. A right that
//! comes only from a policy the inputs do not show has no statement to
//! point at and is left to `query`.

use std::collections::BTreeSet;

use super::routes::Route;
use super::{Audit, CheckInfo, Evidence, Finding, RouteWitness, Witness};
use crate::diagnostic::Severity;
use crate::model::self_admin::grants;
use crate::model::sessions::{How, PrincipalClass};

pub static INFO: CheckInfo = CheckInfo {
    id: "PS014",
    title: "Cognito credentials can rewrite who gets which role",
    description: "A role that guests or users reach may administer the identity pool or user \
                  pool that hands it out — set the pool's roles, turn on the basic flow, add a \
                  user to a group, write a user's attributes, make attributes writable, or \
                  rewrite the pre-token-generation trigger. Whoever holds it can then make \
                  Cognito hand them any role the changed configuration names.",
    fix: "Remove the administration action from roles that Cognito hands out, or scope its \
          resource away from the pools those roles come from; keep administration in roles \
          that no identity pool maps.",
    severity: Severity::Error,
    security_severity: "8.5",
    tags: &["security", "cognito", "privilege-escalation"],
};

pub fn run(audit: &Audit<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut seen: BTreeSet<(String, String, String)> = BTreeSet::new();
    for route in &audit.routes {
        let session = &route.session;
        if !matches!(
            session.principal,
            PrincipalClass::Guest { .. }
                | PrincipalClass::User { .. }
                | PrincipalClass::External { .. }
        ) || !session.has_credentials()
            || matches!(route.taken_by, super::routes::TakenBy::Administered { .. })
        {
            continue;
        }
        // A role the inputs do not show (a plan's "known after apply") is
        // taken as allowing everything; reporting its stand-in would be a
        // finding about the inputs' gaps, not a statement to change (as for
        // PS009). `query` still answers across it.
        if !session.role.as_ref().is_some_and(|r| r.is_known()) {
            continue;
        }
        for grant in grants(audit.inventory, session) {
            if grant.only_unknown {
                continue;
            }
            let Some((statement, loc)) = grant.statements.first() else {
                continue;
            };
            let key = (
                loc.to_string(),
                grant.action.action.to_string(),
                grant.pool.clone(),
            );
            if !seen.insert(key) {
                continue;
            }
            let role_name = short(&grant.via_role);
            let handed = handed_out(audit, route, grant.action.action, &grant.via_role);
            // A right held only after self-administration, which hands out
            // nothing new, is part of the first finding's consequences.
            if handed.is_empty() && matches!(session.how, How::SelfAdministered { .. }) {
                continue;
            }
            let then = if handed.is_empty() {
                "no further role of these inputs, but the configuration it decides is theirs to \
                 change"
                    .to_string()
            } else {
                format!(
                    "Cognito can then hand them {}",
                    handed
                        .iter()
                        .map(|r| format!("`{r}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let mut finding = Finding::new(
                &INFO,
                format!(
                    "{} reach role `{role_name}`, which may `{}` on {} `{}`: {}",
                    who(&session.principal),
                    grant.action.action,
                    target_word(grant.action.action),
                    grant.pool,
                    then
                ),
                loc,
                format!("{statement} allows `{}`", grant.action.action),
                Evidence::of_route(
                    format!(
                        "the concrete evaluator allows `{}` on `{}` to a session of `{role_name}`; \
                         it lets the caller {} ({})",
                        grant.action.action,
                        grant.resource,
                        grant.action.changes,
                        grant.action.source
                    ),
                    &session
                        .assumptions
                        .iter()
                        .map(|a| a.label.clone())
                        .collect::<Vec<_>>(),
                ),
            )
            .help(if grant.resource == "*" {
                format!(
                    "remove `{}` from `{role_name}` (it takes no resource but `*`, so it cannot \
                     be scoped to other pools); keep Cognito administration in a role no \
                     identity pool hands out",
                    grant.action.action
                )
            } else {
                format!(
                    "remove `{}` from `{role_name}`, or scope its Resource away from {} `{}`; \
                     keep Cognito administration in a role no identity pool hands out",
                    grant.action.action,
                    target_word(grant.action.action),
                    grant.pool
                )
            })
            .witness(Witness::Route(RouteWitness::of(audit.inventory, route)));
            for loc in session.locations.iter().filter(|l| *l != loc) {
                finding = finding.related(loc, "part of the route to the role");
            }
            out.push(finding);
        }
    }
    out
}

/// The roles the route list shows handed out through `action` as `via`.
fn handed_out(audit: &Audit<'_>, from: &Route<'_>, action: &str, via: &str) -> Vec<String> {
    let mut roles: Vec<String> = audit
        .routes
        .iter()
        .filter(|r| r.session.principal == from.session.principal)
        .filter_map(|r| match &r.session.how {
            How::SelfAdministered {
                action: a,
                via_role,
                ..
            } if a == action && via_role == via => r.session.role.as_ref().map(|x| x.name()),
            _ => None,
        })
        .collect();
    roles.sort();
    roles.dedup();
    roles
}

fn who(principal: &PrincipalClass) -> &'static str {
    match principal {
        PrincipalClass::Guest { .. } => "guests",
        PrincipalClass::User { .. } => "users",
        _ => "identities of pools not in the inputs",
    }
}

fn target_word(action: &str) -> &'static str {
    if action.starts_with("cognito-identity:") {
        "identity pool"
    } else if action.starts_with("lambda:") {
        "the pre-token-generation trigger of user pool"
    } else {
        "user pool"
    }
}

fn short(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}
