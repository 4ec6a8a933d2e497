//! PS005: the basic (classic) flow is on and lets identities assume roles
//! the role mappings would not give them, or skip the guest scope-down
//! (docs/checks/PS005.md).

use super::routes::Route;
use super::{Audit, CheckInfo, Evidence, Finding, RouteWitness, Witness};
use crate::diagnostic::Severity;
use crate::model::sessions::{PrincipalClass, RouteFlow};

pub static INFO: CheckInfo = CheckInfo {
    id: "PS005",
    title: "the basic flow reaches roles the mappings would not give, or skips the scope-down",
    description: "With `AllowClassicFlow` on, an identity names the role itself \
                  (GetOpenIdToken, then sts:AssumeRoleWithWebIdentity): every role whose trust \
                  policy admits the pool's token is reachable, whatever the role mappings say, \
                  and guests get their role without the enhanced flow's scope-down session \
                  policy.",
    fix: "Turn `AllowClassicFlow` off unless the app needs it; otherwise pin every trust \
          policy to the identities meant to use it (`aud`, `amr`).",
    severity: Severity::Error,
    security_severity: "8.0",
    tags: &["security", "cognito", "privilege-escalation"],
};

pub fn run(audit: &Audit<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for route in &audit.routes {
        let session = &route.session;
        if session.flow != RouteFlow::Basic
            || !session.chain.is_empty()
            || !session.has_credentials()
            || !route.taken_by.is_outsider()
        {
            continue;
        }
        let pool_id = match &session.principal {
            PrincipalClass::Guest { pool } | PrincipalClass::User { pool, .. } => pool,
            _ => continue,
        };
        let Some(pool) = audit.inventory.identity_pool(pool_id) else {
            continue;
        };
        let Some(role) = session.role.as_ref().and_then(|r| r.arn()) else {
            continue;
        };
        let guest = matches!(session.principal, PrincipalClass::Guest { .. });
        // The roles the enhanced flow gives the same principal class.
        let enhanced = audit.routes.iter().filter(|r| {
            r.session.principal == session.principal
                && r.session.flow == RouteFlow::Enhanced
                && r.session.chain.is_empty()
                && r.session.has_credentials()
        });
        let mapped = enhanced
            .clone()
            .any(|r| r.session.role.as_ref().and_then(|x| x.arn()) == Some(role));
        let scoped = enhanced.clone().any(|r| {
            r.session.role.as_ref().and_then(|x| x.arn()) == Some(role)
                && !r.session.session_policies.is_empty()
        });
        let who = if guest { "guests" } else { "users" };
        let role_name = session.role.as_ref().map(|r| r.name()).unwrap_or_default();
        let message = if !mapped {
            format!(
                "{who} of identity pool {} get role `{role_name}` through the basic flow, which \
                 no role mapping gives them",
                pool.label()
            )
        } else if guest && scoped {
            format!(
                "guests of identity pool {} get role `{role_name}` through the basic flow \
                 without the enhanced flow's scope-down session policy",
                pool.label()
            )
        } else {
            continue;
        };
        out.push(finding(
            route,
            message,
            pool.allow_classic_flow.loc(),
            audit,
        ));
    }
    out
}

fn finding(
    route: &Route<'_>,
    message: String,
    flag: Option<&crate::source::Location>,
    audit: &Audit<'_>,
) -> Finding {
    let session = &route.session;
    let assumptions: Vec<String> = session
        .assumptions
        .iter()
        .map(|a| a.label.clone())
        .collect();
    let evidence = Evidence::of_route(
        "the concrete evaluator admits the pool's token in the role's trust policy",
        &assumptions,
    );
    let primary = flag
        .or(session.locations.first())
        .cloned()
        .unwrap_or_else(|| audit.inventory.identity_pools()[0].loc.clone());
    let mut finding = Finding::new(&INFO, message, &primary, "the basic flow is on", evidence)
        .help(
            "turn `AllowClassicFlow` off (`aws cognito-identity update-identity-pool … \
             --no-allow-classic-flow`) unless the app needs it; otherwise add `aud` and `amr` \
             conditions so this role's trust admits only the identities meant for it",
        )
        .witness(Witness::Route(RouteWitness::of(audit.inventory, route)));
    for loc in &session.trust.deciding_locations() {
        finding = finding.related(loc, "this trust statement admits the pool's token");
    }
    finding
}
