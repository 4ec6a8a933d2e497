//! PS003: a role's trust admits tokens of identity pools the inputs do not
//! show — any pool, an attacker's included (docs/checks/PS003.md).

use super::{Audit, CheckInfo, Evidence, Finding, RouteWitness, Witness};
use crate::diagnostic::Severity;
use crate::model::sessions::PrincipalClass;

pub static INFO: CheckInfo = CheckInfo {
    id: "PS003",
    title: "a trust policy admits tokens of identity pools not in the inputs",
    description: "A role trusts `cognito-identity.amazonaws.com` without pinning \
                  `cognito-identity.amazonaws.com:aud` to the account's own identity pools. An \
                  identity of any other pool — another pool of the account, or, with an `amr` \
                  condition, an attacker's pool in another account — can assume it with \
                  sts:AssumeRoleWithWebIdentity.",
    fix: "Add `StringEquals` on `cognito-identity.amazonaws.com:aud` with the identity pool \
          id to the trust statement.",
    severity: Severity::Error,
    security_severity: "8.5",
    tags: &["security", "iam", "trust-policy"],
};

pub fn run(audit: &Audit<'_>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for route in &audit.routes {
        let session = &route.session;
        let PrincipalClass::External { authenticated } = session.principal else {
            continue;
        };
        if !session.chain.is_empty() || !session.has_credentials() {
            continue;
        }
        let Some(role) = session.role.as_ref().and_then(|r| r.role()) else {
            continue;
        };
        if seen.contains(&role.arn) {
            continue;
        }
        seen.push(role.arn.clone());
        let trust = session.trust.deciding_locations();
        let primary = trust.first().unwrap_or(&role.loc);
        let kind = if authenticated {
            "authenticated identities"
        } else {
            "guests"
        };
        out.push(
            Finding::new(
                &INFO,
                format!(
                    "role `{}` admits {kind} of identity pools not in the inputs: its trust \
                     does not pin `cognito-identity.amazonaws.com:aud`",
                    role.name
                ),
                primary,
                "no `aud` condition pins the identity pool",
                Evidence::Proven {
                    how: "the concrete evaluator admits a token whose `aud` is no pool of the \
                          inputs"
                        .to_string(),
                },
            )
            .related(&role.loc, "the role")
            .help(format!(
                "add `\"StringEquals\": {{\"cognito-identity.amazonaws.com:aud\": \"<identity \
                 pool id>\"}}` to the trust statement of `{}`",
                role.name
            ))
            .witness(Witness::Route(RouteWitness::of(audit.inventory, route))),
        );
    }
    out
}
