//! Escalation steps: a role session becoming another role — or the same
//! role with more permissions — by passing a role to a service that runs
//! code as it, by changing the code of a function that already runs as a
//! role, or by changing a role's permissions or trust. Each kind of step
//! is data ([`super::steps`]); here each step's needs are decided by the
//! concrete evaluator on the acting session's own policies (identity
//! policies, permissions boundary, session policies, and anything an
//! earlier step granted), on the concrete resources: the passed role's ARN
//! with `iam:PassedToService` in the request context, the function's ARN,
//! the target role's ARN, the managed policy's ARN.
//!
//! What a step yields:
//! - passing a role: a session of the role, if its trust policy admits the
//!   service principal for `sts:AssumeRole` (a trust the inputs do not show
//!   is taken as admitting) and it is in the caller's account (IAM User
//!   Guide, "Grant a user permissions to pass a role to an AWS service");
//! - changing a function's code or layers: a session of its execution role
//!   — the code deployed is the caller's and is assumed to run (its event
//!   fires). A function the inputs do not show (a user pool trigger's)
//!   runs as a role that is unknown and taken as allowing everything, and
//!   the route says it rests on that;
//! - changing a role's permissions (`iam:PutRolePolicy`,
//!   `iam:AttachRolePolicy`, `iam:CreatePolicyVersion`,
//!   `iam:SetDefaultPolicyVersion`): a session of the role that holds
//!   anything its permissions boundary allows — the role plus a policy
//!   allowing everything, located at the statement that allowed the change.
//!   The caller gets that session if the role is its own, or if it may also
//!   assume the role (decided as a chain is);
//! - rewriting a role's trust (`iam:UpdateAssumeRolePolicy`): a session of
//!   the role with its own permissions (the caller writes a trust naming
//!   itself, which in the same account needs no identity permission).
//!
//! A resource the caller creates (a function, an instance, a job, a stack)
//! is named by the caller: each action on it is asked on a fixed name and
//! on each name the caller's own Allow statements spell, so a policy that
//! allows `function:build-*` is asked about `function:build-x`.
//!
//! Steps are not followed from a session that already holds everything
//! (a role the inputs do not show, or a granted session without a
//! permissions boundary): such a session already answers every question a
//! further step could.

use std::cell::OnceCell;

use crate::cognito::Assumed;
use crate::eval::{Caller, Evaluation, PolicySet, Request, ResourcePolicyKind, decide, evaluate};
use crate::model::functions::{name_of, unqualified};
use crate::model::inventory::account_of;
use crate::model::{Inventory, PolicyRef, Role};
use crate::policy::pattern::string_like;
use crate::policy::{Effect, Policy};
use crate::source::Location;

use super::chains::assume;
use super::steps::{ATTACHED_POLICY_ARN, On, STEPS, Step, StepKind, Yields};
use super::trust::{RolePolicies, TrustCheck, allow_everything, policy_may_allow};
use super::{How, RouteRole, SessionRoute, inputs_region};

/// The fixed name of a resource a step creates.
pub const NEW_RESOURCE_NAME: &str = "poolscope-step";

/// The roles whose trust admits a service, with the evaluation (`None`: the
/// trust is not in the inputs).
type ServiceRoles<'a> = Vec<(&'a Role, Option<Evaluation>)>;

/// What every step needs from the inventory, gathered once.
#[derive(Debug)]
pub struct Material<'a> {
    inventory: &'a Inventory,
    region: String,
    /// For each service of the catalogue, the roles whose trust admits it,
    /// with the evaluation (`None`: the trust is not in the inputs).
    service_roles: OnceCell<Vec<(&'static str, ServiceRoles<'a>)>>,
    functions: Vec<FunctionTarget<'a>>,
}

/// A function whose code or configuration a step may change.
#[derive(Debug)]
struct FunctionTarget<'a> {
    arn: String,
    role: RouteRole<'a>,
    loc: Location,
    /// Why the execution role is unknown, when it is.
    unknown: Option<Assumed>,
    /// The user pool triggers (`PostConfirmation`, …) it is, with the pool.
    triggers: Vec<String>,
}

impl<'a> Material<'a> {
    pub fn of(inventory: &'a Inventory) -> Material<'a> {
        let mut functions: Vec<FunctionTarget<'a>> = inventory
            .functions()
            .all()
            .iter()
            .map(|f| {
                let (role, unknown) = match &f.role {
                    Some(arn) => (RouteRole::lookup(inventory, &arn.value), None),
                    None => (
                        RouteRole::Unknown { arn: None },
                        Some(unknown_role(&f.name)),
                    ),
                };
                FunctionTarget {
                    arn: f.arn.clone(),
                    role,
                    loc: f.loc.clone(),
                    unknown,
                    triggers: Vec::new(),
                }
            })
            .collect();
        // User pool triggers whose function the inputs do not show.
        for pool in inventory.user_pools() {
            for trigger in &pool.triggers {
                let arn = unqualified(&trigger.function_arn.value).to_string();
                let event = format!("`{}` of user pool {}", trigger.trigger.value, pool.label());
                if let Some(known) = functions.iter_mut().find(|f| f.arn == arn) {
                    known.triggers.push(event);
                    continue;
                }
                let name = name_of(&arn).to_string();
                functions.push(FunctionTarget {
                    arn,
                    role: RouteRole::Unknown { arn: None },
                    loc: trigger.function_arn.loc.clone(),
                    unknown: Some(unknown_role(&name)),
                    triggers: vec![event],
                });
            }
        }
        Material {
            inventory,
            region: inputs_region(inventory),
            service_roles: OnceCell::new(),
            functions,
        }
    }

    /// The roles whose trust admits `service` for `sts:AssumeRole`
    /// (computed on first use: most sessions pass no role).
    fn service_roles(&self, service: &str) -> &[(&'a Role, Option<Evaluation>)] {
        let all = self.service_roles.get_or_init(|| {
            let mut out: Vec<(&'static str, ServiceRoles<'a>)> = Vec::new();
            for step in STEPS {
                let Yields::ServiceRole { service } = step.yields else {
                    continue;
                };
                if out.iter().any(|(s, _)| *s == service) {
                    continue;
                }
                let roles = self
                    .inventory
                    .roles()
                    .iter()
                    .filter_map(|role| match &role.trust_policy {
                        None => Some((role, None)),
                        Some(trust) => {
                            let request = Request::new(
                                Caller::service(service),
                                super::chains::ASSUME_ROLE,
                                &role.arn,
                            );
                            let set =
                                PolicySet::new().with_resource(trust, ResourcePolicyKind::Trust);
                            decide(&request, &set)
                                .is_allowed()
                                .then(|| (role, Some(evaluate(&request, &set))))
                        }
                    })
                    .collect();
                out.push((service, roles));
            }
            out
        });
        all.iter()
            .find(|(s, _)| *s == service)
            .map_or(&[], |(_, roles)| roles.as_slice())
    }
}

fn unknown_role(function: &str) -> Assumed {
    Assumed {
        label: format!("assumed: execution role of `{function}` unknown"),
        why: format!(
            "the inputs do not show which role function `{function}` runs as; it is taken as \
             allowing everything (add `lambda list-functions` output to the inputs)"
        ),
    }
}

/// The session a step acts from.
struct Acting<'p> {
    arn: &'p str,
    account: Option<&'p str>,
    caller: Caller,
    set: PolicySet<'p>,
    policies: &'p RolePolicies<'p>,
    session: &'p [&'p Policy],
    /// Already granted everything (no further permission changes on it).
    granted: bool,
    unique_id: Option<&'p str>,
}

/// One step a session may take.
#[derive(Debug)]
pub struct Taken<'a> {
    pub kind: StepKind,
    /// The role passed or changed, the function rewritten, the policy
    /// versioned.
    pub via: String,
    pub to: RouteRole<'a>,
    pub granted: Option<Policy>,
    /// The statements that allowed the step, then the target's own
    /// elements (trust statements, the function's description).
    pub locations: Vec<Location>,
    pub assumptions: Vec<Assumed>,
    pub notes: Vec<String>,
    pub trust: TrustCheck,
}

impl Acting<'_> {
    fn allowed(
        &self,
        action: &str,
        resource: &str,
        context: &[(&str, &str)],
    ) -> Option<Evaluation> {
        let mut request = Request::new(self.caller.clone(), action, resource);
        for (key, value) in context {
            request = request.with(key, value);
        }
        decide(&request, &self.set)
            .is_allowed()
            .then(|| evaluate(&request, &self.set))
    }

    /// The names a new resource of `template` is asked on: a fixed one,
    /// and each the caller's Allow statements spell.
    fn new_resources(&self, region: &str, template: &str) -> Vec<String> {
        let account = self.account.unwrap_or("000000000000");
        let fill = |name: &str| {
            template
                .replace("{region}", region)
                .replace("{account}", account)
                .replace("{name}", name)
        };
        // What a statement's pattern must look like to name such a
        // resource: the template up to the name, then anything.
        let before_name = template.split("{name}").next().unwrap_or(template);
        let shape = format!(
            "{}*",
            before_name
                .replace("{region}", "*")
                .replace("{account}", "*")
        );
        let mut out = vec![fill(NEW_RESOURCE_NAME)];
        for policy in &self.policies.identity {
            for statement in &policy.statements {
                if statement.effect.value != Effect::Allow {
                    continue;
                }
                let Some(resources) = statement.resource.as_ref().filter(|r| !r.negated) else {
                    continue;
                };
                for pattern in &resources.patterns {
                    let Some(text) = pattern.value.as_literal() else {
                        continue;
                    };
                    let named = text.replace(['*', '?'], "x");
                    if text != "*" && string_like(&shape, &named) && !out.contains(&named) {
                        out.push(named);
                    }
                }
            }
        }
        out
    }
}

/// Whether the needs of `step` that do not depend on the target (actions
/// on new resources or on `*`) are allowed; the deciding statements.
fn shared_needs(acting: &Acting<'_>, region: &str, step: &Step) -> Option<Vec<Location>> {
    let mut locations = Vec::new();
    for need in step.needs {
        if need
            .any_of
            .iter()
            .any(|(_, on)| !matches!(on, On::NewResource(_) | On::Anything))
        {
            continue;
        }
        let found = need.any_of.iter().find_map(|(action, on)| {
            let resources = match on {
                On::NewResource(template) => acting.new_resources(region, template),
                _ => vec!["*".to_string()],
            };
            resources
                .iter()
                .find_map(|resource| acting.allowed(action, resource, &[]))
        })?;
        locations.extend(found.explanation.deciding_locations().cloned());
    }
    Some(locations)
}

/// Whether the needs of `step` on its target (`resource`: a role, a
/// function, a policy) are allowed; the deciding statements.
fn target_needs(
    acting: &Acting<'_>,
    step: &Step,
    resource: &str,
    service: Option<&str>,
) -> Option<Vec<Location>> {
    let mut locations = Vec::new();
    for need in step.needs {
        if need
            .any_of
            .iter()
            .all(|(_, on)| matches!(on, On::NewResource(_) | On::Anything))
        {
            continue;
        }
        let found = need.any_of.iter().find_map(|(action, on)| {
            let mut context: Vec<(&str, &str)> = Vec::new();
            if *on == On::PassedRole
                && let Some(service) = service
            {
                context.push(("iam:PassedToService", service));
            }
            if *action == "iam:AttachRolePolicy" {
                context.push(("iam:PolicyARN", ATTACHED_POLICY_ARN));
            }
            acting.allowed(action, resource, &context)
        })?;
        locations.extend(found.explanation.deciding_locations().cloned());
    }
    Some(locations)
}

/// Every step a session of `from_arn` with these policies may take.
#[allow(clippy::too_many_arguments)]
fn steps_from<'a>(
    inventory: &'a Inventory,
    material: &Material<'a>,
    from_arn: &str,
    unique_id: Option<&str>,
    caller: Caller,
    policies: &RolePolicies<'_>,
    session: &[&Policy],
    granted: bool,
) -> Vec<Taken<'a>> {
    // A cheap filter before the evaluator: some Allow statement of the
    // identity policies (and of the boundary, when there is one) names each
    // need's action. Roles without such actions cost nothing more.
    let may_allow = |action: &str| {
        policies.may_allow(action)
            && policies
                .boundary
                .as_ref()
                .is_none_or(|b| policy_may_allow(b, action))
    };
    let kinds: Vec<&Step> = STEPS
        .iter()
        .filter(|step| {
            step.needs
                .iter()
                .all(|need| need.any_of.iter().any(|(a, _)| may_allow(a)))
        })
        .collect();
    if kinds.is_empty() {
        return Vec::new();
    }
    let acting = Acting {
        arn: from_arn,
        account: account_of(from_arn),
        caller,
        set: policies.policy_set(session),
        policies,
        session,
        granted,
        unique_id,
    };
    let mut out = Vec::new();
    for step in kinds {
        let Some(shared) = shared_needs(&acting, &material.region, step) else {
            continue;
        };
        match step.yields {
            Yields::ServiceRole { service } => {
                pass_role(&acting, material, step, service, &shared, &mut out);
            }
            Yields::ExecutionRole => rewrite_function(&acting, material, step, &shared, &mut out),
            Yields::Granted => grant(inventory, &acting, step, &shared, &mut out),
            Yields::TrustRewritten => rewrite_trust(inventory, &acting, step, &shared, &mut out),
        }
    }
    out
}

fn taken<'a>(step: &Step, via: &str, to: RouteRole<'a>, locations: Vec<Location>) -> Taken<'a> {
    let mut assumptions = Vec::new();
    if let Some(why) = step.assumption {
        assumptions.push(Assumed {
            label: format!("assumed: {} takes effect", step.kind.action()),
            why: format!("{why} ({})", step.source),
        });
    }
    Taken {
        kind: step.kind,
        via: via.to_string(),
        to,
        granted: None,
        locations,
        assumptions,
        notes: Vec::new(),
        trust: TrustCheck::NotNeeded,
    }
}

fn pass_role<'a>(
    acting: &Acting<'_>,
    material: &Material<'a>,
    step: &Step,
    service: &'static str,
    shared: &[Location],
    out: &mut Vec<Taken<'a>>,
) {
    for (role, trust) in material.service_roles(service) {
        // PassRole reaches roles of the caller's own account only.
        if role.account.as_deref() != acting.account || role.arn == acting.arn {
            continue;
        }
        let Some(mut locations) = target_needs(acting, step, &role.arn, Some(service)) else {
            continue;
        };
        locations.extend(shared.iter().cloned());
        let mut found = taken(step, &role.arn, RouteRole::Known(role), locations);
        match trust {
            Some(evaluation) => {
                found
                    .locations
                    .extend(evaluation.explanation.deciding_locations().cloned());
                found.trust = TrustCheck::evaluated(super::chains::ASSUME_ROLE, evaluation.clone());
            }
            None => {
                found.notes.push(format!(
                    "the trust policy of `{}` is not in the inputs: taken as admitting {service}",
                    role.name
                ));
                found.trust = TrustCheck::Unknown(format!(
                    "the trust policy of `{}` is not in the inputs",
                    role.name
                ));
            }
        }
        found.locations.push(role.loc.clone());
        out.push(found);
    }
}

fn rewrite_function<'a>(
    acting: &Acting<'_>,
    material: &Material<'a>,
    step: &Step,
    shared: &[Location],
    out: &mut Vec<Taken<'a>>,
) {
    for function in &material.functions {
        if function.role.arn() == Some(acting.arn) {
            continue;
        }
        let Some(mut locations) = target_needs(acting, step, &function.arn, None) else {
            continue;
        };
        locations.extend(shared.iter().cloned());
        locations.push(function.loc.clone());
        let mut found = taken(step, &function.arn, function.role.clone(), locations);
        if let RouteRole::Known(role) = &function.role {
            found.locations.push(role.loc.clone());
        }
        // The new code runs when the function does: the caller may invoke
        // it, or it is a user pool trigger, which users' own sign-ups and
        // sign-ins fire (Cognito Developer Guide, "Customizing user pool
        // workflows with Lambda triggers"). Otherwise its event is assumed
        // to fire, and the route says so.
        if let Some(invoke) = acting.allowed("lambda:InvokeFunction", &function.arn, &[]) {
            found.assumptions.clear();
            found
                .locations
                .extend(invoke.explanation.deciding_locations().cloned());
            found
                .notes
                .push("the caller may invoke the function itself (lambda:InvokeFunction)".into());
        } else if !function.triggers.is_empty() {
            found.assumptions.clear();
            found.notes.push(format!(
                "the function runs as the {} trigger, which users' sign-ups and sign-ins fire",
                function.triggers.join(", ")
            ));
        }
        found.assumptions.extend(function.unknown.clone());
        out.push(found);
    }
}

fn grant<'a>(
    inventory: &'a Inventory,
    acting: &Acting<'_>,
    step: &Step,
    shared: &[Location],
    out: &mut Vec<Taken<'a>>,
) {
    // Another role's permissions help only if the caller may assume it.
    let may_assume = acting.policies.may_allow(super::chains::ASSUME_ROLE);
    for role in inventory.roles() {
        let own = role.arn == acting.arn;
        if (own && acting.granted) || (!own && !may_assume) {
            continue;
        }
        // A role holding a policy the inputs do not show already stands in
        // as allowing everything: writing it more permissions adds nothing.
        if inventory
            .role_policies(role)
            .iter()
            .any(|p| matches!(p, PolicyRef::Unknown { .. }))
        {
            continue;
        }
        let assumed = if own {
            None
        } else {
            if role.account.as_deref() != acting.account {
                continue;
            }
            match assume(
                acting.arn,
                acting.unique_id,
                acting.policies,
                acting.session,
                role,
            ) {
                Some(evaluation) => Some(evaluation),
                None => continue,
            }
        };
        let resources: Vec<String> = if step
            .needs
            .iter()
            .any(|n| n.any_of.iter().any(|(_, on)| *on == On::AttachedPolicy))
        {
            role.managed_policy_arns
                .iter()
                .map(|arn| arn.value.clone())
                .filter(|arn| account_of(arn) != Some("aws"))
                .collect()
        } else {
            vec![role.arn.clone()]
        };
        for resource in resources {
            let Some(mut locations) = target_needs(acting, step, &resource, None) else {
                continue;
            };
            locations.extend(shared.iter().cloned());
            let granting = locations
                .first()
                .cloned()
                .unwrap_or_else(|| role.loc.clone());
            let mut found = taken(step, &resource, RouteRole::Known(role), locations);
            found.granted = Some(allow_everything(
                &format!(
                    "policy written by {} on {resource} (allows everything the boundary allows)",
                    step.kind.action()
                ),
                &granting,
            ));
            if let Some(evaluation) = &assumed {
                found
                    .locations
                    .extend(evaluation.explanation.deciding_locations().cloned());
                found.trust = TrustCheck::evaluated(super::chains::ASSUME_ROLE, evaluation.clone());
            }
            found.locations.push(role.loc.clone());
            out.push(found);
            break;
        }
    }
}

fn rewrite_trust<'a>(
    inventory: &'a Inventory,
    acting: &Acting<'_>,
    step: &Step,
    shared: &[Location],
    out: &mut Vec<Taken<'a>>,
) {
    for role in inventory.roles() {
        if role.arn == acting.arn || role.account.as_deref() != acting.account {
            continue;
        }
        let Some(mut locations) = target_needs(acting, step, &role.arn, None) else {
            continue;
        };
        locations.extend(shared.iter().cloned());
        locations.push(role.loc.clone());
        let mut found = taken(step, &role.arn, RouteRole::Known(role), locations);
        found.trust = TrustCheck::Unknown(format!(
            "the caller rewrote the trust policy of `{}` to admit itself",
            role.name
        ));
        out.push(found);
    }
}

/// The routes one escalation step away from `route`.
pub(super) fn escalations<'a>(
    inventory: &'a Inventory,
    material: &Material<'a>,
    route: &SessionRoute<'a>,
) -> Vec<SessionRoute<'a>> {
    let Some(role) = route.role.as_ref().filter(|_| route.has_credentials()) else {
        return Vec::new();
    };
    let RouteRole::Known(known) = role else {
        return Vec::new();
    };
    let granted = route.granted.is_some();
    if granted && known.permissions_boundary.is_none() {
        return Vec::new();
    }
    let Some(policies) = RolePolicies::of_route(inventory, route) else {
        return Vec::new();
    };
    let caller = route.caller(inventory);
    let mut path = route.chain.clone();
    path.push(known.arn.clone());
    let mut out = Vec::new();
    for step in steps_from(
        inventory,
        material,
        &known.arn,
        known.id.as_deref(),
        caller,
        &policies,
        &route.session_policies,
        granted,
    ) {
        let to_arn = step.to.arn().map(str::to_string);
        // Never back to a role already on the path, but a role may grant
        // itself more.
        if let Some(arn) = &to_arn
            && path.contains(arn)
            && !(step.granted.is_some() && *arn == known.arn)
        {
            continue;
        }
        out.push(route_of(route, &known.arn, &path, step));
    }
    out
}

fn route_of<'a>(
    route: &SessionRoute<'a>,
    from_arn: &str,
    path: &[String],
    step: Taken<'a>,
) -> SessionRoute<'a> {
    let mut next = SessionRoute::new(
        route.principal.clone(),
        route.flow,
        How::Escalation {
            step: step.kind,
            from: from_arn.to_string(),
            via: step.via.clone(),
        },
    );
    next.role = Some(step.to);
    next.chain = path.to_vec();
    next.origin = Some(route.origin_text());
    next.hops = route.hops.clone();
    next.hops.push(format!("{} on `{}`", step.kind, step.via));
    next.claims = route.claims.clone();
    next.granted = step.granted;
    next.rest_on(&route.assumptions);
    next.rest_on(&step.assumptions);
    for loc in &step.locations {
        next.locate(Some(loc));
    }
    next.notes.extend(step.notes);
    next.trust = step.trust;
    next
}

/// One step from a role of the inputs, for the principal graph.
#[derive(Debug)]
pub struct StepLink<'a> {
    pub from: &'a Role,
    pub to: RouteRole<'a>,
    pub kind: StepKind,
    pub via: String,
    /// The statements that allowed the step, then the target's elements.
    pub locations: Vec<Location>,
}

/// Every escalation step a session of a role of the inputs (without
/// session policies) may take.
pub fn escalation_links(inventory: &Inventory) -> Vec<StepLink<'_>> {
    let material = Material::of(inventory);
    let mut links = Vec::new();
    for from in inventory.roles() {
        let policies = RolePolicies::of(inventory, &RouteRole::Known(from));
        let mut caller = Caller::role_session(&from.arn, super::EXPLAIN_SESSION_NAME);
        if let Some(id) = from.id.as_deref() {
            caller = caller.with_unique_id(id);
        }
        for step in steps_from(
            inventory,
            &material,
            &from.arn,
            from.id.as_deref(),
            caller,
            &policies,
            &[],
            false,
        ) {
            links.push(StepLink {
                from,
                to: step.to,
                kind: step.kind,
                via: step.via,
                locations: step.locations,
            });
        }
    }
    links
}
