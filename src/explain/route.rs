//! One route of `explain`: the request its session makes, the policies
//! that bear on it, the evaluation, the deciding statements, and the fixes
//! worth suggesting.

use crate::cognito::role_resolution::{StepKind, example_identity_id};
use crate::cognito::{Capability, CapabilityKind};
use crate::eval::{ContextValue, Decision, Evaluation, PolicySet, Request, evaluate};
use crate::model::Inventory;
use crate::model::sessions::{
    self, PrincipalClass, RolePolicies, RouteFlow, RouteRole, Scenario, SessionRoute, TrustCheck,
};
use crate::policy::Policy;
use crate::policy::catalogue::Catalogue;
use crate::query::Question;

use super::{
    DecidingStatement, RequestReport, RouteDecision, RouteReport, StepReport, TrustEvaluation,
    TrustReport,
};
use crate::model::pitfalls::{self, find_statement};

pub(super) struct Explainer<'a, 'q> {
    pub(super) inventory: &'a Inventory,
    pub(super) question: &'q Question,
    pub(super) scenario: &'q Scenario,
    pub(super) help: Vec<String>,
    /// What an outsider can make themselves be (for the claims check).
    pub(super) capabilities: Vec<Capability>,
    /// The account S3 buckets belong to, computed once per explain.
    pub(super) home_account: Option<String>,
}

impl<'a> Explainer<'a, '_> {
    pub(super) fn route(&mut self, number: usize, route: &SessionRoute<'a>) -> RouteReport {
        let (own, other) = self.identity_ids(route);
        let mut report = RouteReport {
            number,
            principal: route.principal.clone(),
            principal_text: self.principal_text(&route.principal),
            flow: route.flow,
            role: route
                .role
                .as_ref()
                .and_then(|r| r.arn().map(str::to_string)),
            role_known: route.role.as_ref().is_some_and(RouteRole::is_known),
            how: route.how.clone(),
            how_text: route.how_text(),
            assumptions: route.assumptions.iter().map(|a| a.label.clone()).collect(),
            chain: route.chain.clone(),
            steps: route.hops.clone(),
            identity_id: own.clone(),
            other_identity_id: other.clone(),
            claims: route
                .claims
                .as_ref()
                .map(|c| {
                    c.iter()
                        .map(|(k, v)| {
                            (
                                k.to_string(),
                                v.values().iter().map(|s| s.to_string()).collect(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
            resolution: route.trace.iter().map(step_report).collect(),
            trust: trust_report(&route.trust),
            session_policies: route
                .session_policies
                .iter()
                .map(|p| p.name.clone())
                .collect(),
            principal_tags: route.principal_tags.clone(),
            blocked: route.blocked.clone(),
            request: None,
            decision: RouteDecision::NoCredentials,
            evaluation: None,
            deciding: Vec::new(),
            unknown_policies: Vec::new(),
            outsider: None,
            notes: route.notes.clone(),
            locations: route.locations.clone(),
        };
        report.outsider = self.outsider(route);
        if !route.has_credentials() {
            return report;
        }
        let own = own.unwrap_or_else(|| {
            format!(
                "{}:{}",
                sessions::inputs_region(self.inventory),
                sessions::SELF_GUID
            )
        });
        let other = other
            .unwrap_or_else(|| sessions::other_identity_id(&sessions::region_of_identity(&own)));
        let (request, assumed) = self.request(route, &own, &other);
        let role_policies = RolePolicies::of_route(self.inventory, route);
        let base = match &role_policies {
            Some(policies) => policies.policy_set(&route.session_policies),
            None => PolicySet::new(),
        };
        let set = sessions::with_resource_side(
            base,
            self.inventory,
            &request.action,
            &request.resource,
            self.home_account.as_deref(),
        );
        let evaluation = evaluate(&request, &set);
        let mut kinds = Vec::new();
        for assumption in evaluation.explanation.assumptions() {
            if !kinds.contains(&assumption.kind) {
                kinds.push(assumption.kind);
                report.notes.push(format!(
                    "the outcome of a statement rests on an assumption (shown with the \
                     statement): it depends on {}, which AWS's documentation does not settle",
                    assumption.kind.question()
                ));
            }
        }
        let mut considered: Vec<&Policy> = set.identity.clone();
        considered.extend(set.boundary);
        considered.extend(set.session.iter().copied());
        considered.extend(set.resource.map(|r| r.policy));
        report.deciding = deciding(&evaluation, &considered);
        report.decision = match evaluation.decision {
            Decision::Allowed => RouteDecision::Allowed,
            Decision::ExplicitlyDenied => RouteDecision::ExplicitlyDenied,
            Decision::ImplicitlyDenied => RouteDecision::ImplicitlyDenied,
        };
        if report.decision == RouteDecision::Allowed {
            self.route_help(route, &request, &evaluation, &considered);
        }
        report.request = Some(RequestReport {
            caller: request.caller.describe(),
            action: request.action.clone(),
            resource: request.resource.clone(),
            context: request.shown_context(),
            assumed,
            policies: considered.iter().map(|p| p.name.clone()).collect(),
        });
        report.unknown_policies = role_policies.map(|p| p.unknown).unwrap_or_default();
        report.identity_id = Some(own);
        report.other_identity_id = Some(other);
        report.evaluation = Some(evaluation);
        report
    }

    /// Whether someone with nothing but the app's public configuration can
    /// present the route's claims (the attacker model of
    /// [`crate::cognito::attacker`]); `None` for routes without a login.
    fn outsider(&self, route: &SessionRoute<'_>) -> Option<String> {
        let PrincipalClass::User { pool, provider } = &route.principal else {
            return None;
        };
        let claims = route.claims.as_ref().filter(|_| route.chain.is_empty())?;
        let client = claims.first("aud");
        let capability = self.capabilities.iter().find(|c| {
            c.identity_pool.as_deref() == Some(pool.as_str())
                && c.provider.as_deref() == Some(provider.as_str())
                && match &c.kind {
                    CapabilityKind::SelfSignUp { client: own, .. } => Some(own.as_str()) == client,
                    _ => true,
                }
        });
        Some(match capability {
            None => format!(
                "no outsider logs in through `{provider}` (only administrators create its users): \
                 these claims belong to invited users"
            ),
            Some(capability) => match capability.claims.admits(claims) {
                Ok(()) => "an outsider can present these claims".to_string(),
                Err(why) => format!("an outsider cannot present these claims: {why}"),
            },
        })
    }

    /// The identity id of the route and the one `{other}` stands for.
    fn identity_ids(&self, route: &SessionRoute<'_>) -> (Option<String>, Option<String>) {
        let pool = match &route.principal {
            PrincipalClass::Guest { pool } | PrincipalClass::User { pool, .. } => {
                self.inventory.identity_pool(pool)
            }
            _ => None,
        };
        let own = self
            .scenario
            .identity_id
            .clone()
            .or_else(|| route.identity_id().map(str::to_string))
            .or_else(|| pool.map(example_identity_id));
        let other = own
            .as_deref()
            .map(|id| sessions::other_identity_id(&sessions::region_of_identity(id)));
        (own, other)
    }

    fn principal_text(&self, principal: &PrincipalClass) -> String {
        let pool_label = |id: &str| {
            self.inventory
                .identity_pool(id)
                .map_or_else(|| format!("`{id}`"), |p| p.label())
        };
        match principal {
            PrincipalClass::Guest { pool } => {
                format!("guest of identity pool {}", pool_label(pool))
            }
            PrincipalClass::User { pool, provider } => {
                let via = crate::cognito::identity_pool::user_pool_id_of(provider)
                    .and_then(|id| self.inventory.user_pool(id))
                    .map_or_else(
                        || format!("`{provider}`"),
                        |p| format!("user pool {}", p.label()),
                    );
                format!("user of identity pool {} via {via}", pool_label(pool))
            }
            other => other.to_string(),
        }
    }

    /// The request of a route, and the context keys poolscope set itself.
    fn request(&self, route: &SessionRoute<'a>, own: &str, other: &str) -> (Request, Vec<String>) {
        let caller = route.caller(self.inventory);
        let resource = self.question.resource.fill(own, other);
        let mut request = Request::new(caller, &self.question.action, &resource);
        let catalogue = Catalogue::builtin();
        for (key, pin) in &self.question.context {
            let values: Vec<String> = pin
                .exactly
                .iter()
                .chain(&pin.includes)
                .map(|p| p.fill(own, other))
                .collect();
            let multi = catalogue
                .condition_key(key)
                .is_some_and(|k| k.value_type.starts_with("ArrayOf"));
            // A pin without values says the key is absent.
            let value = match values.as_slice() {
                [] => continue,
                [one] if !multi => ContextValue::single(one),
                _ => ContextValue::multi(values),
            };
            request.context.set(key, value);
        }
        let mut assumed = Vec::new();
        if request.context.get("aws:SecureTransport").is_none() {
            // The AWS SDKs and CLI call over HTTPS; pin it to test otherwise.
            request
                .context
                .set("aws:SecureTransport", ContextValue::single("true"));
            assumed.push("aws:SecureTransport = true (AWS SDKs use HTTPS)".to_string());
        }
        (request, assumed)
    }

    /// Fixes to suggest when a route is allowed through a known pitfall.
    fn route_help(
        &mut self,
        route: &SessionRoute<'_>,
        request: &Request,
        evaluation: &Evaluation,
        considered: &[&Policy],
    ) {
        for text in pitfalls::route_pitfalls(route, request, evaluation, considered) {
            self.add_help(text);
        }
    }

    pub(super) fn overall_help(&mut self, routes: &[RouteReport]) {
        // Only the inputs' own pools: a foreign pool's flow is not theirs to set.
        let allowed = |flow: RouteFlow| {
            routes.iter().any(|r| {
                r.flow == flow
                    && r.decision == RouteDecision::Allowed
                    && matches!(
                        r.principal,
                        PrincipalClass::Guest { .. } | PrincipalClass::User { .. }
                    )
            })
        };
        if allowed(RouteFlow::Basic) && !allowed(RouteFlow::Enhanced) {
            self.add_help(pitfalls::ONLY_BASIC_FLOW.to_string());
            let assumed_on = routes.iter().any(|r| {
                r.flow == RouteFlow::Basic
                    && r.decision == RouteDecision::Allowed
                    && r.assumptions.iter().any(|a| a.contains("AllowClassicFlow"))
            });
            if assumed_on {
                self.add_help(
                    "the inputs do not say whether the basic flow is on (`AllowClassicFlow` is \
                     absent), so poolscope assumes it is: run `aws cognito-identity \
                     update-identity-pool … --no-allow-classic-flow` and take a new snapshot \
                     to settle it"
                        .to_string(),
                );
            }
        }
    }

    fn add_help(&mut self, text: String) {
        if !self.help.contains(&text) {
            self.help.push(text);
        }
    }
}

fn deciding(evaluation: &Evaluation, considered: &[&Policy]) -> Vec<DecidingStatement> {
    evaluation
        .explanation
        .deciding_statements()
        .map(|(policy, statement)| {
            let sid = find_statement(considered, &statement.location)
                .and_then(|s| s.sid.as_ref())
                .map(|s| s.value.clone());
            DecidingStatement {
                policy: policy.name.clone(),
                role: policy.role.to_string(),
                sid,
                label: statement.label.clone(),
                effect: statement.effect,
                location: statement.location.clone(),
            }
        })
        .collect()
}

fn step_report(step: &crate::cognito::Step) -> StepReport {
    StepReport {
        kind: match step.kind {
            StepKind::Note => "note",
            StepKind::Matched => "matched",
            StepKind::NotMatched => "not_matched",
            StepKind::Uncertain => "uncertain",
            StepKind::Chosen => "chosen",
            StepKind::Denied => "denied",
        },
        text: step.text.clone(),
        location: step.loc.clone(),
    }
}

fn trust_report(trust: &TrustCheck) -> Option<TrustReport> {
    let checks = || {
        trust
            .evaluations()
            .into_iter()
            .map(|(action, evaluation)| TrustEvaluation {
                action,
                evaluation: evaluation.clone(),
            })
            .collect()
    };
    match trust {
        TrustCheck::NotNeeded => None,
        TrustCheck::Unknown(why) => Some(TrustReport {
            outcome: "unknown",
            text: Some(why.clone()),
            checks: Vec::new(),
        }),
        TrustCheck::Evaluated { .. } => Some(TrustReport {
            outcome: if trust.admits() {
                "admitted"
            } else {
                "refused"
            },
            text: trust.refusal(),
            checks: checks(),
        }),
    }
}
