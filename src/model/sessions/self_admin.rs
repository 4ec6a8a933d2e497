//! Routes through Cognito self-administration: a guest or user whose role
//! (or a role chained from it) may change the pools' configuration gets the
//! roles the changed configuration can hand out.
//!
//! [`crate::model::self_admin::grants`] decides, with the concrete
//! evaluator, which administration actions a route's session may call.
//! Each allowed action widens the roles of the route's principal:
//! - the identity pool's roles (`SetIdentityPoolRoles`): by the enhanced
//!   flow, every role whose trust policy admits the principal's token
//!   ([`check_trust`]), with the guest scope-down for guests;
//! - the basic flow turned on (`UpdateIdentityPool`): the same roles, named
//!   by the caller, without a scope-down;
//! - a user's groups, attributes or token claims (`AdminAddUserToGroup`,
//!   `AdminUpdateUserAttributes`, `UpdateUserPoolClient`, the
//!   pre-token-generation trigger's code), for users of that user pool:
//!   every role a rule of the pool's mapping over such claims names, each
//!   group role of a token mapping, and with trigger code under a token
//!   mapping every role whose trust admits the token (the trigger can name
//!   any role in `cognito:preferred_role`).
//!
//! Each new route records the administration step: its `how` names the
//! action, the role that calls it and the statement that allows it; its
//! locations start with that statement. New routes are chained and
//! searched again, so an administration right reached only after one is
//! followed too, up to [`MAX_SELF_ADMIN_ROUTES`] per starting route. Roles
//! the inputs do not show but the pool names are taken as admitting, as is
//! a trust policy the inputs do not show; roles neither shows are not
//! enumerated (a note says so).

use std::collections::BTreeSet;

use crate::cognito::identity_pool::{MappingType, user_pool_id_of};
use crate::model::Inventory;
use crate::model::self_admin::{AdminGrant, Change, grants};

use super::{How, PrincipalClass, RouteFlow, RouteRole, SessionRoute, with_chains};

/// The most routes added through self-administration for one starting
/// route.
pub const MAX_SELF_ADMIN_ROUTES: usize = 256;

/// Claims a user's groups decide (Developer Guide, "Adding groups to a user
/// pool"; "Role-based access control").
const GROUP_CLAIMS: [&str; 3] = ["cognito:groups", "cognito:roles", "cognito:preferred_role"];

/// Claims no administration action or trigger changes: the user id and the
/// token's own fields (Developer Guide, "Pre token generation Lambda
/// trigger": claims that cannot be modified).
const FIXED_CLAIMS: [&str; 8] = [
    "sub",
    "aud",
    "iss",
    "token_use",
    "auth_time",
    "exp",
    "iat",
    "cognito:username",
];

/// The routes, each followed by its chains and the routes self-administration
/// adds ([`self_administered`]).
pub fn with_self_admin<'a>(
    inventory: &'a Inventory,
    routes: Vec<SessionRoute<'a>>,
) -> Vec<SessionRoute<'a>> {
    grouped(inventory, routes).into_iter().flatten().collect()
}

/// [`with_self_admin`], one group per starting route (the route first).
/// A role a principal already reaches the same way (same flow, with or
/// without a session policy) without particular claims is not added again,
/// whichever route of the call reaches it.
pub fn grouped<'a>(
    inventory: &'a Inventory,
    routes: Vec<SessionRoute<'a>>,
) -> Vec<Vec<SessionRoute<'a>>> {
    let groups: Vec<Vec<SessionRoute<'a>>> = routes
        .into_iter()
        .map(|route| with_chains(inventory, vec![route]))
        .collect();
    // Routes that rest on claims (a rule, a group) are not what everyone
    // of the class reaches: a role they give may still be new to the rest.
    let mut reached: BTreeSet<Reached> = groups
        .iter()
        .flatten()
        .filter(|r| !rests_on_claims(r))
        .filter_map(reached_by)
        .collect();
    // Routes everyone of the class takes first, so that what they reach is
    // not credited to a group or rule route that reaches it too.
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&i| rests_on_claims(&groups[i][0]));
    let mut added: Vec<Vec<SessionRoute<'a>>> = groups.iter().map(|_| Vec::new()).collect();
    for i in order {
        added[i] = self_administered(inventory, &groups[i], &mut reached);
    }
    groups
        .into_iter()
        .zip(added)
        .map(|(mut group, added)| {
            group.extend(added);
            group
        })
        .collect()
}

/// Whether only identities with particular claims take the route (a rule,
/// a group).
fn rests_on_claims(route: &SessionRoute<'_>) -> bool {
    matches!(route.how, How::Rule { .. } | How::Token { .. })
}

/// Who reaches which role how: principal, role ARN, flow, scoped down.
type Reached = (String, String, RouteFlow, bool);

fn reached_by(route: &SessionRoute<'_>) -> Option<Reached> {
    if !route.has_credentials() {
        return None;
    }
    Some((
        format!("{:?}", route.principal),
        route.role.as_ref()?.arn()?.to_string(),
        route.flow,
        !route.session_policies.is_empty(),
    ))
}

/// The routes self-administration adds to `group`: one starting route of a
/// guest or user first, then its chains. Empty for other principals. Roles
/// in `reached` are not added again; the ones added join it.
pub fn self_administered<'a>(
    inventory: &'a Inventory,
    group: &[SessionRoute<'a>],
    reached: &mut BTreeSet<Reached>,
) -> Vec<SessionRoute<'a>> {
    let Some(origin) = group.first() else {
        return Vec::new();
    };
    if !matches!(
        origin.principal,
        PrincipalClass::Guest { .. } | PrincipalClass::User { .. }
    ) || origin.token.is_none()
    {
        return Vec::new();
    }
    let mut out: Vec<SessionRoute<'a>> = Vec::new();
    let mut at = 0;
    let mut capped = false;
    while at < group.len() + out.len() {
        let route = if at < group.len() {
            &group[at]
        } else {
            &out[at - group.len()]
        };
        at += 1;
        let mut new = Vec::new();
        // A right only a policy the inputs do not show grants adds nothing:
        // that policy already stands in as allowing everything to `route`.
        for grant in grants(inventory, route)
            .into_iter()
            .filter(|g| !g.only_unknown)
        {
            for widened in widen(inventory, origin, route, &grant) {
                let Some(key) = reached_by(&widened) else {
                    continue;
                };
                // The role the step is taken from, the same way: nothing new.
                if key.1 == grant.via_role
                    && widened.flow == route.flow
                    && route.session_policies.is_empty()
                {
                    continue;
                }
                if !reached.insert(key) {
                    continue;
                }
                new.extend(with_chains(inventory, vec![widened]));
            }
        }
        if out.len() + new.len() > MAX_SELF_ADMIN_ROUTES {
            capped = true;
            break;
        }
        out.extend(new);
    }
    if capped && let Some(first) = out.first_mut() {
        first.notes.push(format!(
            "more than {MAX_SELF_ADMIN_ROUTES} routes through self-administration start here; \
             the rest are not shown"
        ));
    }
    out
}

/// The routes one administration grant opens to `origin`'s principal.
fn widen<'a>(
    inventory: &'a Inventory,
    origin: &SessionRoute<'a>,
    via: &SessionRoute<'a>,
    grant: &AdminGrant,
) -> Vec<SessionRoute<'a>> {
    let Some(pool) = origin
        .token
        .as_ref()
        .and_then(|t| inventory.identity_pool(&t.aud))
    else {
        return Vec::new();
    };
    // Roles with where the configuration names them (a rule, a group).
    let mut candidates: Vec<(RouteRole<'a>, Option<crate::source::Location>)> = Vec::new();
    let any_role = |candidates: &mut Vec<(RouteRole<'a>, Option<crate::source::Location>)>| {
        for role in inventory.roles() {
            candidates.push((RouteRole::Known(role), None));
        }
        for arn in pool.role_arns() {
            if inventory.role_by_arn(&arn.value).is_none() {
                candidates.push((
                    RouteRole::lookup(inventory, &arn.value),
                    Some(arn.loc.clone()),
                ));
            }
        }
    };
    let mut flow = RouteFlow::Enhanced;
    match grant.action.change {
        Change::PoolRoles | Change::BasicFlow => {
            if grant.pool != pool.id {
                return Vec::new();
            }
            if grant.action.change == Change::BasicFlow {
                flow = RouteFlow::Basic;
            }
            any_role(&mut candidates);
        }
        Change::UserAttributes | Change::UserGroups | Change::TokenClaims => {
            let PrincipalClass::User { provider, .. } = &origin.principal else {
                return Vec::new();
            };
            if user_pool_id_of(provider) != Some(grant.pool.as_str()) {
                return Vec::new();
            }
            let Some(user_pool) = inventory.user_pool(&grant.pool) else {
                return Vec::new();
            };
            let mappings = pool.role_mappings.iter().filter(|m| {
                let key = &m.provider.value;
                key == provider
                    || key
                        .strip_prefix(provider.as_str())
                        .is_some_and(|rest| rest.starts_with(':'))
            });
            for mapping in mappings {
                match mapping.mapping_type.value {
                    MappingType::Rules => {
                        for rule in &mapping.rules {
                            let claim = rule.claim.value.as_str();
                            let meets = match grant.action.change {
                                Change::UserGroups => GROUP_CLAIMS.contains(&claim),
                                Change::UserAttributes => {
                                    !GROUP_CLAIMS.contains(&claim) && !FIXED_CLAIMS.contains(&claim)
                                }
                                _ => !FIXED_CLAIMS.contains(&claim),
                            };
                            if meets {
                                candidates.push((
                                    RouteRole::lookup(inventory, &rule.role_arn.value),
                                    Some(rule.loc.clone()),
                                ));
                            }
                        }
                    }
                    MappingType::Token => match grant.action.change {
                        Change::UserGroups => {
                            for group in &user_pool.groups {
                                if let Some(arn) = &group.role_arn {
                                    candidates.push((
                                        RouteRole::lookup(inventory, &arn.value),
                                        Some(group.loc.clone()),
                                    ));
                                }
                            }
                        }
                        Change::TokenClaims => any_role(&mut candidates),
                        _ => {}
                    },
                }
            }
        }
    }
    let session_policies = if flow == RouteFlow::Enhanced
        && matches!(origin.principal, PrincipalClass::Guest { .. })
    {
        origin.session_policies.clone()
    } else {
        Vec::new()
    };
    let mut out = Vec::new();
    for (role, named_at) in candidates {
        let mut route = SessionRoute::new(
            origin.principal.clone(),
            flow,
            How::SelfAdministered {
                action: grant.action.action.to_string(),
                via_role: grant.via_role.clone(),
                allowed_by: grant.allowed_by(),
            },
        );
        route.role = Some(role);
        // The roles held before: what the checks read as "not a direct
        // route", and what the witness path shows between how and role.
        route.chain = via.chain.clone();
        route.chain.push(grant.via_role.clone());
        route.origin = Some(via.origin_text());
        route.hops = via.hops.clone();
        route.hops.push(format!(
            "`{}` on the pools' configuration (self-administration)",
            grant.action.action
        ));
        route.token = origin.token.clone();
        route.principal_tags = origin.principal_tags.clone();
        route.session_policies = session_policies.clone();
        route.rest_on(&via.assumptions);
        for (_, loc) in &grant.statements {
            route.locate(Some(loc));
        }
        route.locate(named_at.as_ref());
        if let Some(known) = route.role.as_ref().and_then(|r| r.role()) {
            route.locate(Some(&known.loc));
        }
        route.check_trust();
        if route.trust.refusal().is_some() {
            continue;
        }
        if let super::TrustCheck::Unknown(reason) = &route.trust {
            route.notes.push(reason.clone());
        }
        route.notes.push(format!(
            "`{}` lets role `{}` {} ({})",
            grant.action.action, grant.via_role, grant.action.changes, grant.action.source
        ));
        // The steps before this one, so the whole chain reads in order.
        if matches!(
            via.how,
            How::SelfAdministered { .. } | How::AssumeRole { .. }
        ) {
            route.notes.push(format!(
                "role `{}` was reached by {}",
                via.role.as_ref().map(|r| r.name()).unwrap_or_default(),
                via.how
            ));
        }
        if grant.only_unknown {
            route.notes.push(
                "the administration right comes from a policy not in the inputs, taken as \
                 allowing everything"
                    .to_string(),
            );
        }
        out.push(route);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::ingest::{LoadResult, load_paths};
    use crate::model::sessions::{enumerate, home_account};
    use crate::query::PrincipalSelector;

    fn corpus(case: &str) -> LoadResult {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let path = if case.contains('/') {
            root.join(case)
        } else {
            root.join("corpus").join(case)
        };
        let loaded = load_paths(&[path]);
        assert!(!loaded.input_failed, "{case} loads");
        loaded
    }

    /// (role name, action, via role name, chain length) of every
    /// self-administered route of `who`.
    fn widened(case: &str, who: &str) -> Vec<(String, String, String, usize)> {
        let loaded = corpus(case);
        let inventory = &loaded.inventory;
        let selector = PrincipalSelector::parse(who).expect("selector");
        let found = enumerate(inventory, &selector, None).expect("routes");
        // Routes everyone of the class takes: the first role held is not a
        // group's role.
        let mut out: Vec<_> = with_self_admin(inventory, found.routes)
            .into_iter()
            .filter(|r| {
                r.chain
                    .first()
                    .is_some_and(|first| !first.contains("admin") && !first.contains("agent"))
            })
            .filter_map(|r| match &r.how {
                How::SelfAdministered {
                    action, via_role, ..
                } => Some((
                    r.role.as_ref().map(|x| x.name()).unwrap_or_default(),
                    action.clone(),
                    via_role.rsplit('/').next().unwrap_or_default().to_string(),
                    r.chain.len(),
                )),
                _ => None,
            })
            .collect();
        out.sort();
        out
    }

    // corpus/self-admin/README.md, facts 1 and 2.
    #[test]
    fn group_and_pool_role_changes_hand_out_the_roles_they_name() {
        let found = widened("self-admin", "user");
        let s =
            |a: &str, b: &str, c: &str, n: usize| (a.to_string(), b.to_string(), c.to_string(), n);
        assert_eq!(
            found,
            vec![
                s(
                    "helpdesk-admin",
                    "cognito-idp:AdminAddUserToGroup",
                    "helpdesk-user",
                    1
                ),
                s(
                    "helpdesk-agent",
                    "cognito-idp:AdminAddUserToGroup",
                    "helpdesk-user",
                    1
                ),
                s(
                    "helpdesk-reporting",
                    "cognito-identity:SetIdentityPoolRoles",
                    "helpdesk-agent",
                    2
                ),
            ]
        );
    }

    // Rewriting the pre-token-generation trigger under a Token mapping: the
    // trigger names any role, so every role whose trust admits the token.
    #[test]
    fn the_trigger_code_hands_out_every_role_the_trust_admits() {
        let found = widened("tests/cases/self-admin/pre-token", "user");
        let roles: Vec<(&str, &str)> = found.iter().map(|f| (f.0.as_str(), f.1.as_str())).collect();
        assert_eq!(
            roles,
            vec![
                ("helpdesk-admin", "lambda:UpdateFunctionCode"),
                ("helpdesk-agent", "lambda:UpdateFunctionCode"),
                ("helpdesk-reporting", "lambda:UpdateFunctionCode"),
            ]
        );
    }

    #[test]
    fn the_safe_twin_has_no_self_administered_route() {
        assert!(widened("self-admin-safe", "user").is_empty());
    }

    // classic-flow: the one-click policy's `cognito-identity:*` lets users
    // set the pool's roles; a role whose trust admits only unauthenticated
    // tokens is not handed to them.
    #[test]
    fn pool_roles_go_only_to_roles_whose_trust_admits_the_token() {
        let found = widened("classic-flow", "user");
        let roles: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
        assert!(roles.contains(&"ArcadeLiveOpsAdminRole"), "{found:?}");
        assert!(
            !roles.contains(&"Cognito_ArcadeLeaderboardUnauth_Role"),
            "{found:?}"
        );
    }

    #[test]
    fn the_route_starts_with_the_statement_that_allows_the_step() {
        let loaded = corpus("self-admin");
        let inventory = &loaded.inventory;
        let selector = PrincipalSelector::parse("user").expect("selector");
        let found = enumerate(inventory, &selector, None).expect("routes");
        let routes = with_self_admin(inventory, found.routes);
        let admin = routes
            .iter()
            .find(|r| {
                matches!(r.how, How::SelfAdministered { .. })
                    && r.role
                        .as_ref()
                        .is_some_and(|x| x.name() == "helpdesk-admin")
            })
            .expect("a route to helpdesk-admin");
        let first = admin.locations.first().expect("located");
        assert!(first.snippet().contains("EnrolAgents"), "{first}");
        assert!(admin.trust.admits());
        assert!(admin.how.to_string().contains("EnrolAgents"));
        // A fresh enhanced-flow session of the new role, with Cognito keys.
        let caller = admin.caller(inventory);
        assert!(caller.describe().contains("CognitoIdentityCredentials"));
        assert!(home_account(inventory).is_some());
    }

    #[test]
    fn grants_are_decided_on_the_pools_arn() {
        let loaded = corpus("self-admin");
        let inventory = &loaded.inventory;
        let selector = PrincipalSelector::parse("user").expect("selector");
        let found = enumerate(inventory, &selector, None).expect("routes");
        let route = found
            .routes
            .iter()
            .find(|r| matches!(r.how, How::DefaultRole { .. }))
            .expect("the default role's route");
        let granted: Vec<(String, String)> = grants(inventory, route)
            .into_iter()
            .map(|g| (g.action.action.to_string(), g.resource))
            .collect();
        assert_eq!(
            granted,
            vec![(
                "cognito-idp:AdminAddUserToGroup".to_string(),
                "arn:aws:cognito-idp:us-west-2:888800001111:userpool/us-west-2_Hd7kQ2pLx"
                    .to_string()
            )]
        );
    }
}
