//! PS013: self sign-up is open, so "authenticated" means anyone on the
//! internet (docs/checks/PS013.md).

use super::{Audit, CheckInfo, Evidence, Finding};
use crate::diagnostic::Severity;

pub static INFO: CheckInfo = CheckInfo {
    id: "PS013",
    title: "self sign-up is open: \"authenticated\" means anyone on the internet",
    description: "A user pool that an identity pool trusts lets anyone sign up \
                  (`AllowAdminCreateUserOnly` is false). Every permission of the identity \
                  pool's authenticated roles is then open to strangers, not only to the \
                  app's customers or staff.",
    fix: "Set `AdminCreateUserConfig.AllowAdminCreateUserOnly` to true if only invited users \
          should sign in; otherwise review the authenticated roles as if they were public.",
    severity: Severity::Note,
    security_severity: "3.0",
    tags: &["security", "cognito", "authentication"],
};

pub fn run(audit: &Audit<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for user_pool in audit.inventory.user_pools() {
        if !user_pool.self_sign_up() {
            continue;
        }
        // Only pools whose users get AWS credentials: a provider of an
        // identity pool of the inputs.
        let providers: Vec<_> = audit
            .inventory
            .identity_pools()
            .iter()
            .flat_map(|pool| pool.cognito_providers.iter().map(move |p| (pool, p)))
            .filter(|(_, p)| p.user_pool_id() == Some(user_pool.id.as_str()))
            .collect();
        if providers.is_empty() {
            continue;
        }
        let setting = &user_pool.allow_admin_create_user_only;
        let (loc, evidence) = match (setting.loc(), setting.assumption()) {
            (Some(loc), _) => (loc.clone(), Evidence::Configuration),
            (None, assumed) => (
                user_pool
                    .settings_loc
                    .clone()
                    .unwrap_or(user_pool.loc.clone()),
                Evidence::Assumed {
                    assumptions: assumed.map(|a| vec![a.note()]).unwrap_or_default(),
                },
            ),
        };
        let pools: Vec<String> = providers.iter().map(|(pool, _)| pool.label()).collect();
        let mut finding = Finding::new(
            &INFO,
            format!(
                "anyone can sign up to user pool {} and get the authenticated credentials of \
                 identity pool {}",
                user_pool.label(),
                pools.join(", ")
            ),
            &loc,
            "self sign-up is open",
            evidence,
        )
        .help(
            "set `AdminCreateUserConfig.AllowAdminCreateUserOnly` to true if only invited \
             users should sign in; otherwise treat the authenticated roles as public",
        );
        for (_, provider) in providers {
            finding = finding.related(&provider.loc, "this identity pool accepts its tokens");
        }
        out.push(finding);
    }
    out
}
