//! Role chains: a role session assuming another role with `sts:AssumeRole`.
//!
//! Role R1 reaches R2 when the evaluator allows a session of R1 (with its
//! identity policies, permissions boundary and session policies) to call
//! `sts:AssumeRole` on R2, with R2's trust policy as the resource policy
//! that must allow (IAM User Guide, "Policy evaluation logic": trust
//! policies must allow; same-account trust that names the account root
//! delegates to identity policies, cross-account needs both sides). A
//! chained session carries no session policy and no Cognito keys
//! (SEMANTICS-NOTES §7, "Chaining").
//!
//! Chains are followed to [`MAX_CHAIN_DEPTH`] hops and never revisit a role
//! on the same path, so cycles end. The bound is a choice: longer chains
//! are rare in the documented patterns, each hop is evaluated concretely,
//! and the solver encoding, not this enumeration, is what proves "never".

use crate::eval::{Caller, Evaluation, PolicySet, Request, ResourcePolicyKind, decide, evaluate};
use crate::model::{Inventory, Role};
use crate::policy::{Effect, Policy, Principal};
use crate::source::Location;

use super::escalation::{Material, escalations};
use super::trust::{RolePolicies, TrustCheck, action_element_admits};
use super::{EXPLAIN_SESSION_NAME, How, RouteRole, SessionRoute};

/// The most `sts:AssumeRole` hops followed from a route's first role.
pub const MAX_CHAIN_DEPTH: usize = 3;

/// The most chained routes added for one starting route; past it the
/// enumeration stops and says so (an account where every role can assume
/// every other would otherwise grow as roles³).
pub const MAX_CHAINED_ROUTES: usize = 256;

/// The action chains use.
pub const ASSUME_ROLE: &str = "sts:AssumeRole";

/// One role that can assume another.
#[derive(Clone, Debug)]
pub struct ChainLink<'a> {
    pub from: &'a Role,
    pub to: &'a Role,
    /// The evaluator's decision (allowed), with the statements that grant.
    pub evaluation: Evaluation,
    /// The identity and trust statements that decided.
    pub locations: Vec<Location>,
}

/// Every role-to-role `sts:AssumeRole` the inputs allow, for sessions
/// without session policies.
pub fn assumable_roles(inventory: &Inventory) -> Vec<ChainLink<'_>> {
    let targets = targets(inventory);
    let mut links = Vec::new();
    for from in inventory.roles() {
        let route_role = RouteRole::Known(from);
        let policies = RolePolicies::of(inventory, &route_role);
        if !policies.may_allow(ASSUME_ROLE) {
            continue;
        }
        for to in &targets {
            if to.arn == from.arn {
                continue;
            }
            if let Some(evaluation) = assume(&from.arn, from.id.as_deref(), &policies, &[], to) {
                let locations = evaluation
                    .explanation
                    .deciding_locations()
                    .cloned()
                    .collect();
                links.push(ChainLink {
                    from,
                    to,
                    evaluation,
                    locations,
                });
            }
        }
    }
    links
}

/// The routes, each followed by the routes its role chains to (up to
/// [`MAX_CHAIN_DEPTH`] hops), by `sts:AssumeRole` and by the escalation
/// steps of [`super::escalation`].
pub fn with_chains<'a>(
    inventory: &'a Inventory,
    routes: Vec<SessionRoute<'a>>,
) -> Vec<SessionRoute<'a>> {
    let targets = targets(inventory);
    let material = Material::of(inventory);
    let mut out: Vec<SessionRoute<'a>> = Vec::with_capacity(routes.len());
    for route in routes {
        let origin = out.len();
        out.push(route);
        let mut frontier = vec![origin];
        let mut added = 0;
        for _ in 0..MAX_CHAIN_DEPTH {
            let mut next = Vec::new();
            for at in frontier {
                let mut found = hops(inventory, &out[at], &targets);
                found.extend(escalations(inventory, &material, &out[at]));
                for chained in found {
                    if added == MAX_CHAINED_ROUTES {
                        out[origin].notes.push(format!(
                            "more than {MAX_CHAINED_ROUTES} role chains start here; the rest \
                             are not shown"
                        ));
                        break;
                    }
                    added += 1;
                    next.push(out.len());
                    out.push(chained);
                }
            }
            frontier = next;
        }
    }
    out
}

/// The routes one `sts:AssumeRole` hop away from `route`.
fn hops<'a>(
    inventory: &'a Inventory,
    route: &SessionRoute<'a>,
    targets: &[&'a Role],
) -> Vec<SessionRoute<'a>> {
    let Some(role) = route.role.as_ref().filter(|_| route.has_credentials()) else {
        return Vec::new();
    };
    let Some(from_arn) = role.arn() else {
        return Vec::new();
    };
    // A session granted everything (without a boundary) already answers
    // every question a chain could add.
    if route.granted.is_some()
        && role
            .role()
            .is_some_and(|r| r.permissions_boundary.is_none())
    {
        return Vec::new();
    }
    let Some(policies) = RolePolicies::of_route(inventory, route) else {
        return Vec::new();
    };
    if !policies.may_allow(ASSUME_ROLE) {
        return Vec::new();
    }
    let mut path = route.chain.clone();
    path.push(from_arn.to_string());
    let unique_id = role.role().and_then(|r| r.id.as_deref());
    let mut out = Vec::new();
    for to in targets {
        if path.contains(&to.arn) {
            continue;
        }
        let Some(evaluation) = assume(from_arn, unique_id, &policies, &route.session_policies, to)
        else {
            continue;
        };
        let mut chained = SessionRoute::new(
            route.principal.clone(),
            route.flow,
            How::AssumeRole {
                from: from_arn.to_string(),
            },
        );
        chained.role = Some(RouteRole::Known(to));
        chained.chain = path.clone();
        chained.origin = Some(route.origin_text());
        chained.hops = route.hops.clone();
        chained
            .hops
            .push(format!("{ASSUME_ROLE} into `{}`", to.name));
        chained.claims = route.claims.clone();
        // A chain from a route that rests on an assumption rests on it too.
        chained.rest_on(&route.assumptions);
        for loc in evaluation.explanation.deciding_locations() {
            chained.locate(Some(loc));
        }
        chained.locate(Some(&to.loc));
        if to.trust_policy.is_none() {
            chained.notes.push(format!(
                "the trust policy of `{}` is not in the inputs: taken as admitting",
                to.name
            ));
        }
        chained.trust = TrustCheck::evaluated(ASSUME_ROLE, evaluation);
        out.push(chained);
    }
    out
}

/// Whether a session of `from_arn` with these policies may assume `to`;
/// the evaluation when it may.
pub(super) fn assume(
    from_arn: &str,
    unique_id: Option<&str>,
    policies: &RolePolicies<'_>,
    session: &[&Policy],
    to: &Role,
) -> Option<Evaluation> {
    let mut caller = Caller::role_session(from_arn, EXPLAIN_SESSION_NAME);
    if let Some(id) = unique_id {
        caller = caller.with_unique_id(id);
    }
    let request = Request::new(caller, ASSUME_ROLE, &to.arn);
    let mut set = policies.policy_set(session);
    if let Some(trust) = &to.trust_policy {
        set = set.with_resource(trust, ResourcePolicyKind::Trust);
    }
    decide(&request, &set)
        .is_allowed()
        .then(|| evaluate(&request, &set))
}

/// Whether principals of account `id` may assume `role`: its trust policy
/// admits the account (the account's root holds every permission of its
/// account, so the trust alone decides). `None` when it does not, or the
/// trust policy is unknown.
pub(crate) fn account_assumes(id: &str, role: &Role) -> Option<Evaluation> {
    let trust = role.trust_policy.as_ref()?;
    let request = Request::new(Caller::root(id), ASSUME_ROLE, &role.arn);
    let set = PolicySet::new().with_resource(trust, ResourcePolicyKind::Trust);
    decide(&request, &set)
        .is_allowed()
        .then(|| evaluate(&request, &set))
}

/// Roles a role session might assume: the trust policy allows
/// `sts:AssumeRole` to some AWS principal (or is unknown).
fn targets(inventory: &Inventory) -> Vec<&Role> {
    inventory
        .roles()
        .iter()
        .filter(|role| match &role.trust_policy {
            None => true,
            Some(trust) => trust.statements.iter().any(|s| {
                s.effect.value == Effect::Allow
                    && action_element_admits(&s.action, ASSUME_ROLE)
                    && s.principal.as_ref().is_some_and(|p| {
                        p.negated
                            || p.principals.iter().any(|entry| {
                                matches!(entry.value, Principal::Aws(_) | Principal::Anyone)
                            })
                    })
            }),
        })
        .collect()
}
