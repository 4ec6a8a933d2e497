//! PS010: from a role guests or users reach, a chain of steps leads to a
//! more privileged role (docs/checks/PS010.md).
//!
//! A step is one [`StepKind`] of the catalogue
//! ([`crate::model::sessions::steps`]): `sts:AssumeRole`, decided by the
//! evaluator on both the caller's policies and the target's trust
//! ([`crate::model::sessions::with_chains`]); `iam:PassRole` to a service
//! that runs code as the role; `lambda:UpdateFunctionCode` or a layer on a
//! function that runs as it; a change of the role's permissions or trust
//! ([`crate::model::sessions::escalation`]). A step that writes a role's
//! permissions gains everything its boundary allows; the others gain what
//! the target role's statements grant and the first role's do not.

use std::collections::BTreeSet;

use super::routes::{Route, short_name};
use super::{Audit, CheckInfo, Evidence, Finding, RouteWitness, Witness};
use crate::diagnostic::Severity;
use crate::model::sessions::{How, PrincipalClass, RouteRole, StepKind};
use crate::model::{Inventory, PolicyRef, Role};
use crate::policy::Effect;
use crate::policy::catalogue::Catalogue;
use crate::policy::pattern::string_like;
use crate::source::Location;

pub static INFO: CheckInfo = CheckInfo {
    id: "PS010",
    title: "a chain of steps leads from a Cognito role to a more privileged role",
    description: "A role that guests or users reach can become another role — by \
                  `sts:AssumeRole`, or by running code or changing permissions as it — and \
                  that role may do things the first may not. The identity pool's role \
                  mappings then do not bound what its identities can do.",
    fix: "Narrow the first role's `sts:AssumeRole` and `iam:PassRole` to the roles it needs, \
          keep it from changing the code of functions that run as other roles and from writing \
          IAM permissions or trust, and make trust policies name the roles that may assume \
          them rather than the account root.",
    severity: Severity::Warning,
    security_severity: "8.0",
    tags: &["security", "iam", "privilege-escalation"],
};

/// The step a chained route took last.
fn step_of(route: &Route<'_>) -> Option<StepKind> {
    match route.session.how {
        How::AssumeRole { .. } => Some(StepKind::AssumeRole),
        How::Escalation { step, .. } => Some(step),
        _ => None,
    }
}

pub fn run(audit: &Audit<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut seen: Vec<(String, String, StepKind)> = Vec::new();
    // Paths (roles, first first) already reported: a later step on such a
    // path follows from the reported one, whose fix removes it too.
    let mut reported: Vec<Vec<String>> = Vec::new();
    for route in &audit.routes {
        let session = &route.session;
        if !matches!(
            session.principal,
            PrincipalClass::Guest { .. } | PrincipalClass::User { .. }
        ) || !session.has_credentials()
        {
            continue;
        }
        let (Some(kind), Some(from_arn), Some(to)) =
            (step_of(route), session.chain.last(), session.role.as_ref())
        else {
            continue;
        };
        let Some(from) = audit.inventory.role_by_arn(from_arn) else {
            continue;
        };
        let key = (from.arn.clone(), to.name(), kind);
        let beyond_reported = reported.iter().any(|path| {
            path.len() <= session.chain.len() && session.chain[..path.len()] == path[..]
        });
        if seen.contains(&key) || beyond_reported {
            continue;
        }
        let gained = match (to, &session.granted) {
            (_, Some(_)) => vec!["any action its permissions boundary allows".to_string()],
            (RouteRole::Unknown { .. }, None) => vec![
                "any action (the role is not in the inputs: taken as allowing everything)"
                    .to_string(),
            ],
            (RouteRole::Known(to), None) => gained_actions(audit.inventory, from, to),
        };
        if gained.is_empty() {
            continue;
        }
        seen.push(key);
        let mut path = session.chain.clone();
        path.extend(to.arn().map(str::to_string));
        reported.push(path);
        let primary = session
            .locations
            .iter()
            .find(|loc| in_policies_of(audit.inventory, from, loc))
            .unwrap_or(&from.loc);
        let shown: Vec<String> = gained.iter().take(3).map(|a| format!("`{a}`")).collect();
        let step = match &session.how {
            How::Escalation { via, .. } => format!("take {kind} on `{}`", short_name(via)),
            _ => format!("`{}` into role `{}`", kind.action(), to.name()),
        };
        let mut finding = Finding::new(
            &INFO,
            format!(
                "{} reach role `{}`, which can {step} and so act as role `{}`; it gains {}{}",
                match session.principal {
                    PrincipalClass::Guest { .. } => "guests",
                    _ => "users",
                },
                from.name,
                to.name(),
                shown.join(", "),
                if gained.len() > shown.len() {
                    format!(" and {} more actions", gained.len() - shown.len())
                } else {
                    String::new()
                }
            ),
            primary,
            match kind {
                StepKind::AssumeRole => format!("allows `sts:AssumeRole` into `{}`", to.name()),
                _ => format!("allows {kind}"),
            },
            Evidence::of_route(
                if kind == StepKind::AssumeRole {
                    "the concrete evaluator allows the step on the caller's policies and the \
                     target's trust"
                } else {
                    "the concrete evaluator allows every action the step needs on the caller's \
                     policies"
                },
                &session
                    .assumptions
                    .iter()
                    .map(|a| a.label.clone())
                    .collect::<Vec<_>>(),
            ),
        )
        .help(help(kind, &from.name, &to.name()))
        .witness(Witness::Route(RouteWitness::of(audit.inventory, route)));
        for loc in &session.locations {
            finding = finding.related(loc, "part of the step");
        }
        out.push(finding);
    }
    out
}

/// How to remove a step, by its kind.
fn help(kind: StepKind, from: &str, to: &str) -> String {
    match kind {
        StepKind::AssumeRole => format!(
            "narrow `sts:AssumeRole` in `{from}` to the roles it needs, and make the trust \
             policy of `{to}` name the roles that may assume it instead of the account root"
        ),
        StepKind::PassRoleToLambda
        | StepKind::PassRoleToEc2
        | StepKind::PassRoleToGlueJob
        | StepKind::PassRoleToGlueDevEndpoint
        | StepKind::PassRoleToCloudFormation
        | StepKind::PassRoleToEcs => format!(
            "narrow `iam:PassRole` in `{from}` to the roles it must pass (not `{to}`), with an \
             `iam:PassedToService` condition naming the one service that needs them"
        ),
        StepKind::UpdateFunctionCode | StepKind::UpdateFunctionConfiguration => format!(
            "remove `{}` from `{from}`, or narrow its Resource to functions whose execution role \
             grants no more than `{from}` does (deployed code runs as `{to}`)",
            kind.action()
        ),
        StepKind::PutRolePolicy
        | StepKind::AttachRolePolicy
        | StepKind::CreatePolicyVersion
        | StepKind::SetDefaultPolicyVersion => format!(
            "remove `{}` from `{from}`: a role that can write the permissions of `{to}` holds \
             all of them; a permissions boundary on `{to}` limits what it gains",
            kind.action()
        ),
        StepKind::UpdateAssumeRolePolicy => format!(
            "remove `iam:UpdateAssumeRolePolicy` from `{from}`: it can make the trust policy of \
             `{to}` admit itself"
        ),
    }
}

fn in_policies_of(inventory: &Inventory, role: &Role, loc: &Location) -> bool {
    inventory.role_policies(role).iter().any(|p| match p {
        PolicyRef::Known { policy, .. } => policy.statements.iter().any(|s| &s.loc == loc),
        PolicyRef::Unknown { .. } => false,
    })
}

/// Grants (action on resource pattern) of `to`'s Allow statements that no
/// Allow statement of `from` covers (by the catalogue's expansion of the
/// action patterns, and IAM wildcard matching of the resource patterns): a
/// coarse "more privileged", which conditions may narrow.
fn gained_actions(inventory: &Inventory, from: &Role, to: &Role) -> Vec<String> {
    let catalogue = Catalogue::builtin();
    let grants = |role: &Role| -> Vec<(String, String)> {
        let mut out = Vec::new();
        for policy in inventory.role_policies(role) {
            let PolicyRef::Known { policy, .. } = policy else {
                continue;
            };
            for statement in &policy.statements {
                if statement.effect.value != Effect::Allow || statement.action.negated {
                    continue;
                }
                let resources: Vec<String> = match &statement.resource {
                    Some(r) if !r.negated => {
                        r.patterns.iter().map(|p| p.value.to_string()).collect()
                    }
                    _ => vec!["*".to_string()],
                };
                for pattern in &statement.action.patterns {
                    for action in catalogue.expand(&pattern.value) {
                        for resource in &resources {
                            out.push((action.full_name(), resource.clone()));
                        }
                    }
                }
            }
        }
        out
    };
    let before = grants(from);
    let mut gained: BTreeSet<String> = BTreeSet::new();
    for (action, resource) in grants(to) {
        let covered = before
            .iter()
            .any(|(a, r)| *a == action && string_like(r, &resource));
        if !covered {
            gained.insert(format!("{action} on {resource}"));
        }
    }
    gained.into_iter().collect()
}
