//! PS001 and PS002: guests (PS001) or authenticated users (PS002) reach
//! data keyed by another identity (docs/checks/PS001.md, PS002.md).
//!
//! The questions come from the policies themselves: every Allow statement
//! of a role that guests or users reach and that keys its resource by
//! `${cognito-identity.amazonaws.com:sub}`, or conditions on
//! `dynamodb:LeadingKeys` or another key with that variable, is turned into
//! "may the principal do this action on another identity's (`{other}`)
//! data?". reach answers over every route; its witness, replayed by the
//! evaluator, names the statement that grants, which is the root cause.

use super::derive::{IDENTITY_ID, actions, keyed_by_identity, pattern, resources};
use super::{Ask, Audit, CheckInfo, Finding, Witness, proven, statement_name};
use crate::diagnostic::Severity;
use crate::model::sessions::PrincipalClass;
use crate::policy::{Effect, Policy, Statement};
use crate::query::PrincipalSelector;
use crate::source::Location;

pub static PS001: CheckInfo = CheckInfo {
    id: "PS001",
    title: "guests can reach data keyed by another identity",
    description: "A guest (unauthenticated identity) can read or write data that the policies \
                  key by identity id — an S3 prefix or DynamoDB partition key holding \
                  `${cognito-identity.amazonaws.com:sub}` — of a different identity. Anyone who \
                  knows the identity pool id can get a guest identity.",
    fix: "Scope the granting statement's resource to the caller's own id \
          (`${cognito-identity.amazonaws.com:sub}`), or use `ForAllValues:StringEquals` on \
          `dynamodb:LeadingKeys`.",
    severity: Severity::Error,
    security_severity: "9.0",
    tags: &["security", "data-exposure", "cognito"],
};

pub static PS002: CheckInfo = CheckInfo {
    id: "PS002",
    title: "authenticated users can reach data keyed by another identity",
    description: "A signed-in user holding only claims an outsider can obtain can read or \
                  write data that the policies key by identity id, of a different identity: \
                  an S3 prefix, a DynamoDB partition (`dynamodb:LeadingKeys`).",
    fix: "Scope the granting statement's resource to the caller's own id \
          (`${cognito-identity.amazonaws.com:sub}`); on DynamoDB use \
          `ForAllValues:StringEquals` on `dynamodb:LeadingKeys`, never `ForAnyValue`.",
    severity: Severity::Error,
    security_severity: "8.5",
    tags: &["security", "data-exposure", "cognito"],
};

pub fn run_ps001(audit: &Audit<'_>) -> Vec<Finding> {
    run(audit, &PS001, true)
}

pub fn run_ps002(audit: &Audit<'_>) -> Vec<Finding> {
    run(audit, &PS002, false)
}

/// A question derived from a statement keyed by identity.
struct Derived<'a> {
    action: String,
    resource: String,
    includes: Vec<(String, String)>,
    from: &'a Statement,
}

fn run(audit: &Audit<'_>, info: &'static CheckInfo, guests: bool) -> Vec<Finding> {
    let selector = if guests {
        PrincipalSelector::Guest { pool: None }
    } else {
        PrincipalSelector::User {
            pool: None,
            provider: None,
        }
    };
    let mut questions: Vec<Derived<'_>> = Vec::new();
    for policy in reached_policies(audit, guests) {
        for statement in &policy.statements {
            if statement.effect.value == Effect::Allow {
                derive(statement, &mut questions);
            }
        }
    }
    let mut out: Vec<Finding> = Vec::new();
    let mut reported: Vec<Location> = Vec::new();
    for question in questions {
        let Some(report) = audit.ask(&Ask {
            principal: selector.clone(),
            action: question.action.clone(),
            resource: question.resource.clone(),
            includes: question.includes.clone(),
        }) else {
            continue;
        };
        let Some((witness, evidence)) = proven(&report) else {
            continue;
        };
        let Some((policy, granting)) = audit.granting(&witness) else {
            continue;
        };
        if reported.contains(&granting.loc) {
            continue;
        }
        reported.push(granting.loc.clone());
        let who = if guests { "guests" } else { "users" };
        let keyed = if question.includes.is_empty() {
            format!("`{}`", question.resource)
        } else {
            let keys: Vec<String> = question
                .includes
                .iter()
                .map(|(k, v)| format!("{k} ∋ {v}"))
                .collect();
            format!("`{}` with {}", question.resource, keys.join(", "))
        };
        // Amplify's `protected/` level is readable by every identity by
        // design (Amplify Storage documentation, "protected" access level).
        let by_design = resources(granting)
            .iter()
            .any(|t| pattern(t, "*").is_some_and(|p| p.contains("/protected/")))
            && witness.action.to_ascii_lowercase().starts_with("s3:get");
        if by_design && !guests {
            // Users reading `protected/` is the level's whole point.
            continue;
        }
        let mut finding = Finding::new(
            info,
            format!(
                "{who} can `{}` another identity's data ({keyed}) through {}{}",
                witness.action,
                statement_name(policy, granting),
                if by_design {
                    " — Amplify's `protected/` level, readable by everyone by design"
                } else {
                    ""
                }
            ),
            &granting.loc,
            "grants another identity's data",
            evidence,
        )
        .help(
            if question
                .includes
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("dynamodb:LeadingKeys"))
            {
                "require every leading key to be the caller's own id: `ForAllValues:StringEquals` \
             on `dynamodb:LeadingKeys` = `${cognito-identity.amazonaws.com:sub}` (never \
             `ForAnyValue`)"
                    .to_string()
            } else {
                format!(
                    "scope the statement's resource to the caller's own id \
                 (`${{{IDENTITY_ID}}}`), or move shared data out of the per-identity prefix"
                )
            },
        )
        .witness(Witness::Request(Box::new(witness)));
        if by_design {
            finding = finding.severity(Severity::Note);
        }
        if question.from.loc != granting.loc {
            finding = finding.related(
                &question.from.loc,
                "this statement keys the same data by identity",
            );
        }
        out.push(finding);
    }
    out
}

/// The identity policies of roles that guest (or user) routes reach.
fn reached_policies<'a>(audit: &Audit<'a>, guests: bool) -> Vec<&'a Policy> {
    let mut roles = Vec::new();
    for route in &audit.routes {
        let class_fits = match route.session.principal {
            PrincipalClass::Guest { .. } => guests,
            PrincipalClass::User { .. } => !guests,
            _ => false,
        };
        if !class_fits || !route.session.has_credentials() {
            continue;
        }
        if let Some(role) = route.session.role.as_ref().and_then(|r| r.role())
            && !roles
                .iter()
                .any(|r: &&crate::model::Role| r.arn == role.arn)
        {
            roles.push(role);
        }
    }
    let mut policies: Vec<&Policy> = Vec::new();
    for role in roles {
        for policy in audit.inventory.role_policies(role) {
            if let crate::model::PolicyRef::Known { policy, .. } = policy
                && !policies.iter().any(|p| std::ptr::eq(*p, policy))
            {
                policies.push(policy);
            }
        }
    }
    policies
}

/// The questions a statement keyed by identity gives.
fn derive<'a>(statement: &'a Statement, out: &mut Vec<Derived<'a>>) {
    let keyed_conditions: Vec<(String, String)> = statement
        .conditions
        .iter()
        .filter_map(|c| {
            let leading = c.key.value.eq_ignore_ascii_case("dynamodb:LeadingKeys");
            let value = c
                .values
                .iter()
                .find(|v| keyed_by_identity(&v.value.template))?;
            let text = pattern(&value.value.template, "{other}")?;
            (leading || !text.contains('*')).then(|| (c.key.value.clone(), text))
        })
        .collect();
    for action in actions(statement) {
        for template in resources(statement) {
            if keyed_by_identity(template) {
                if let Some(resource) = pattern(template, "{other}") {
                    push(out, &action, resource, Vec::new(), statement);
                }
            } else if !keyed_conditions.is_empty()
                && let Some(resource) = pattern(template, "{self}")
            {
                for (key, value) in &keyed_conditions {
                    push(
                        out,
                        &action,
                        resource.clone(),
                        vec![(key.clone(), value.clone())],
                        statement,
                    );
                }
            }
        }
    }
}

fn push<'a>(
    out: &mut Vec<Derived<'a>>,
    action: &str,
    resource: String,
    includes: Vec<(String, String)>,
    from: &'a Statement,
) {
    let same = out
        .iter()
        .any(|d| d.action == action && d.resource == resource && d.includes == includes);
    if !same {
        out.push(Derived {
            action: action.to_string(),
            resource,
            includes,
            from,
        });
    }
}
