//! PS004: a role meant for authenticated identities admits unauthenticated
//! tokens (docs/checks/PS004.md).
//!
//! Which roles are meant for authenticated identities: an identity pool's
//! authenticated role, the roles its mapping rules name, and the roles of the
//! user pool groups its providers carry. Each one's trust policy is evaluated
//! by the concrete evaluator on the sts:AssumeRoleWithWebIdentity request of
//! a guest of the same pool (`amr` = `unauthenticated`).

use super::{Audit, CheckInfo, Evidence, Finding};
use crate::cognito::WebIdentityToken;
use crate::cognito::identity_pool::IdentityPool;
use crate::diagnostic::Severity;
use crate::model::sessions::{self, RouteRole, check_trust};

pub static INFO: CheckInfo = CheckInfo {
    id: "PS004",
    title: "a role meant for authenticated identities admits unauthenticated tokens",
    description: "The trust policy of a role that an identity pool hands to signed-in users \
                  does not require `cognito-identity.amazonaws.com:amr` to contain \
                  `authenticated`. A guest of the pool can then assume it wherever the caller \
                  names the role (the basic flow), and the role's permissions stop depending on \
                  a login.",
    fix: "Add `\"ForAnyValue:StringLike\": {\"cognito-identity.amazonaws.com:amr\": \
          \"authenticated\"}` to the trust statement.",
    severity: Severity::Warning,
    security_severity: "6.5",
    tags: &["security", "iam", "trust-policy"],
};

pub fn run(audit: &Audit<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for pool in audit.inventory.identity_pools() {
        for (arn, why) in authenticated_roles(audit, pool) {
            let Some(role) = audit.inventory.role_by_arn(&arn) else {
                continue;
            };
            if seen.contains(&role.arn) {
                continue;
            }
            let region = pool
                .region
                .clone()
                .unwrap_or_else(|| sessions::inputs_region(audit.inventory));
            let token = WebIdentityToken {
                aud: pool.id.clone(),
                amr: vec!["unauthenticated".to_string()],
                sub: format!("{region}:{}", sessions::SELF_GUID),
            };
            let trust = check_trust(&RouteRole::Known(role), &token, &[]);
            if !trust.admits() || matches!(trust, sessions::TrustCheck::Unknown(_)) {
                continue;
            }
            seen.push(role.arn.clone());
            let deciding = trust.deciding_locations();
            let primary = deciding.first().unwrap_or(&role.loc);
            let guests_reach =
                *pool.allow_unauthenticated.value() && *pool.allow_classic_flow.value();
            let mut finding = Finding::new(
                &INFO,
                format!(
                    "role `{}` is meant for authenticated identities of {} ({why}), but its trust \
                     admits the pool's unauthenticated tokens{}",
                    role.name,
                    pool.label(),
                    if guests_reach {
                        ": guests assume it through the basic flow"
                    } else {
                        ""
                    }
                ),
                primary,
                "no `amr` condition requires `authenticated`",
                Evidence::Proven {
                    how: "the concrete evaluator admits a token with `amr` = `unauthenticated`"
                        .to_string(),
                },
            )
            .related(&role.loc, "the role")
            .help(format!(
                "add `\"ForAnyValue:StringLike\": {{\"cognito-identity.amazonaws.com:amr\": \
                 \"authenticated\"}}` to the trust statement of `{}`",
                role.name
            ));
            if guests_reach {
                finding = finding.severity(Severity::Error);
                if let Some(loc) = pool.allow_classic_flow.loc() {
                    finding = finding.related(loc, "the basic flow lets guests name the role");
                }
            }
            out.push(finding);
        }
    }
    out
}

/// The roles the pool hands to authenticated identities, with why.
fn authenticated_roles(audit: &Audit<'_>, pool: &IdentityPool) -> Vec<(String, String)> {
    let mut roles: Vec<(String, String)> = Vec::new();
    let mut add = |arn: &str, why: String| {
        if !roles.iter().any(|(a, _)| a == arn) {
            roles.push((arn.to_string(), why));
        }
    };
    if let Some(arn) = &pool.authenticated_role {
        add(&arn.value, "its authenticated role".to_string());
    }
    for mapping in &pool.role_mappings {
        for rule in &mapping.rules {
            add(
                &rule.role_arn.value,
                format!("mapping rule {}", rule.index + 1),
            );
        }
    }
    for provider in &pool.cognito_providers {
        let Some(user_pool) = provider
            .user_pool_id()
            .and_then(|id| audit.inventory.user_pool(id))
        else {
            continue;
        };
        for group in &user_pool.groups {
            if let Some(arn) = &group.role_arn {
                add(&arn.value, format!("group `{}`", group.name.value));
            }
        }
    }
    roles
}
