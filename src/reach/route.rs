//! One route of `query`: the solver's answer for every action the question
//! names, and the witness, replayed by the concrete evaluator.

use serde::Serialize;

use super::{DecidingStatement, WitnessReport};
use crate::diagnostic::Label;
use crate::diagnostic::RenderedLocation;
use crate::eval::{Decision, Evaluation, PolicySet, Request, evaluate};
use crate::model::Inventory;
use crate::model::pitfalls;
use crate::model::sessions::{self, RolePolicies, RouteFlow, SessionRoute};
use crate::policy::Policy;
use crate::policy::arn::{s3_bucket, split_components};
use crate::policy::pattern::{has_wildcards, string_like};
use crate::query::{Question, ResourcePattern};
use crate::reach::Target;
use crate::smt::{self, IdentitySpace, Outcome, Problem, Quantifier, Witness};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteVerdict {
    /// Some matching request is allowed on this route.
    Possible,
    /// No matching request is allowed on this route.
    Impossible,
    /// The solver gave up, or the route's reachability is not settled.
    Unknown,
    /// The route yields no credentials (resolution denies, trust refuses).
    NoCredentials,
}

/// The answer for one route, as reported.
#[derive(Clone, Debug, Serialize)]
pub struct RouteAnswer {
    pub number: usize,
    pub principal: String,
    /// How the role is reached, with the assumptions the route rests on.
    pub how: String,
    pub flow: String,
    pub role: Option<String>,
    /// Roles assumed before `role` (chained routes).
    pub chain: Vec<String>,
    pub session_policies: Vec<String>,
    pub verdict: RouteVerdict,
    /// With `--expect always`: whether every matching request is allowed
    /// (`None` when not asked or not decided).
    pub always: Option<bool>,
    /// Why the route is impossible, unknown or without credentials.
    pub reason: Option<String>,
    /// Settings the inputs do not show that the route rests on, taken with
    /// the value that never hides access (`assumed: AllowClassicFlow
    /// absent`): a `possible` here holds only if the assumption does.
    pub assumptions: Vec<String>,
    /// What a `possible` on this route rests on, in words (`None` when it
    /// rests on nothing the inputs do not show).
    pub rests_on: Option<String>,
    /// Statements the solver named as blocking an impossible route.
    pub blocking: Vec<RenderedLocation>,
    /// Where the route's configuration is (pool settings, rule, role, trust).
    pub locations: Vec<RenderedLocation>,
}

impl RouteAnswer {
    /// The answer's description of a route, before anything is decided.
    pub(super) fn new(
        route: &SessionRoute<'_>,
        number: usize,
        verdict: RouteVerdict,
    ) -> RouteAnswer {
        // Two app clients of one user pool are two routes: say which.
        let client = route
            .claims
            .as_ref()
            .filter(|_| route.principal.to_string().contains("cognito-idp."))
            .and_then(|claims| claims.first("aud"))
            .map(|client| format!(", app client `{client}`"))
            .unwrap_or_default();
        RouteAnswer {
            number,
            principal: format!("{}{client}", route.principal),
            how: route.how_text(),
            flow: route.flow.to_string(),
            role: route.role.as_ref().map(|r| r.name()),
            chain: route.chain.clone(),
            session_policies: route
                .session_policies
                .iter()
                .map(|p| p.name.clone())
                .collect(),
            verdict,
            always: None,
            reason: None,
            assumptions: route.assumptions.iter().map(|a| a.label.clone()).collect(),
            rests_on: None,
            blocking: Vec::new(),
            locations: route
                .locations
                .iter()
                .map(|loc| RenderedLocation::new(&Label::bare(loc.clone())))
                .collect(),
        }
    }
}

pub(super) struct Answer {
    pub route: RouteAnswer,
    pub witness: Option<WitnessReport>,
    /// With `--expect always`: a matching request that is denied.
    pub counterexample: Option<WitnessReport>,
}

/// What stays the same for every route of one question.
pub(super) struct Asking<'q, 'a> {
    pub inventory: &'a Inventory,
    pub question: &'q Question,
    /// The concrete actions the question names, each with the resource
    /// patterns to ask it about (narrowed to its resource types).
    pub targets: &'q [Target],
    pub quantifier: Quantifier,
    pub timeout_ms: u64,
    /// The account S3 buckets belong to (computed once: it walks every role).
    pub home_account: Option<&'q str>,
    /// Whether to name the statements that block an impossible route.
    pub blocking: bool,
}

pub(super) fn answer(asking: &Asking<'_, '_>, route: &SessionRoute<'_>, number: usize) -> Answer {
    let Asking {
        inventory,
        question,
        targets,
        quantifier,
        timeout_ms,
        home_account,
        blocking: name_blocking,
    } = *asking;
    let mut report = RouteAnswer::new(route, number, RouteVerdict::Impossible);
    if !route.has_credentials() {
        report.verdict = RouteVerdict::NoCredentials;
        report.reason = route.blocked.clone();
        return Answer {
            route: report,
            witness: None,
            counterexample: None,
        };
    }
    let role_policies = RolePolicies::of_route(inventory, route);
    let base = match &role_policies {
        Some(policies) => policies.policy_set(&route.session_policies),
        None => PolicySet::new(),
    };
    if let Some(bucket) = targets
        .iter()
        .flat_map(|t| &t.resources)
        .find_map(|v| unnamed_bucket_with_policy(v, inventory))
    {
        report.verdict = RouteVerdict::Unknown;
        report.reason = Some(format!(
            "`{}` may name objects of bucket `{bucket}`, whose bucket policy applies to it \
             alone, without naming the bucket: name the bucket to ask",
            question.resource
        ));
        return Answer {
            route: report,
            witness: None,
            counterexample: None,
        };
    }
    // `{self}` and `{other}` are ids of the caller's pool; for callers that
    // are no Cognito identity (anonymous, another account, a role) they are
    // ids of an identity pool of the inputs: "some identity's prefix".
    let identity = route
        .token
        .as_ref()
        .map(|token| IdentitySpace {
            region: sessions::region_of_identity(&token.sub),
            pool_id: token.aud.clone(),
        })
        .or_else(|| {
            let pool = inventory.identity_pools().first()?;
            Some(IdentitySpace {
                region: pool
                    .region
                    .clone()
                    .unwrap_or_else(|| sessions::inputs_region(inventory)),
                pool_id: pool.id.clone(),
            })
        });
    let caller = route.caller(inventory);
    let replaying = Replaying {
        route,
        inventory,
        base: &base,
        home_account,
    };

    let mut witness = None;
    let mut counterexample = None;
    let mut unknown = None;
    let mut always = Some(true);
    let mut blocking = Vec::new();
    for (resource, action) in targets
        .iter()
        .flat_map(|t| t.resources.iter().map(move |r| (r, &t.action)))
    {
        let resource_text = resource.to_string();
        let policies = sessions::with_resource_side(
            base.clone(),
            inventory,
            action,
            &resource_text,
            home_account,
        );
        let problem = |quantifier| Problem {
            action: action.clone(),
            resource: resource.clone(),
            caller: caller.clone(),
            identity: identity.clone(),
            free_tags: Vec::new(),
            policies: policies.clone(),
            context: question.context.clone(),
            quantifier,
        };
        if quantifier == Quantifier::ForAll && always.is_some() {
            match smt::solve(&problem(Quantifier::ForAll), timeout_ms) {
                Outcome::Always => {}
                Outcome::NotAlways(found) => match replay(&replaying, &found, false) {
                    Ok(replayed) => {
                        always = Some(false);
                        counterexample = Some(witness_report(route, number, &found, &replayed));
                    }
                    Err(reason) => {
                        always = None;
                        unknown.get_or_insert(reason);
                    }
                },
                Outcome::Unknown { reason } => {
                    always = None;
                    unknown.get_or_insert(reason);
                }
                other => {
                    always = None;
                    unknown.get_or_insert(format!(
                        "unexpected solver answer {}",
                        outcome_name(&other)
                    ));
                }
            }
        }
        if witness.is_some() {
            continue;
        }
        match smt::solve_with(&problem(Quantifier::Exists), timeout_ms, name_blocking) {
            Outcome::Possible(found) => match replay(&replaying, &found, true) {
                Ok(replayed) => {
                    witness = Some(witness_report(route, number, &found, &replayed));
                }
                Err(reason) => {
                    unknown.get_or_insert(reason);
                }
            },
            Outcome::Impossible { blocking: found } => {
                blocking.extend(found.iter().map(|b| {
                    RenderedLocation::new(&Label::new(
                        b.location.clone(),
                        format!("{} of {} `{}`", b.label, b.role, b.policy),
                    ))
                }));
            }
            Outcome::Unknown { reason } => {
                unknown.get_or_insert(format!("{action}: {reason}"));
            }
            other => {
                unknown.get_or_insert(format!("unexpected solver answer {}", outcome_name(&other)));
            }
        }
    }
    // For a caller that is no Cognito identity, `{self}` is only worth
    // showing when the question uses it.
    if route.token.is_none() && !question.mentions_self() {
        for shown in witness.iter_mut().chain(counterexample.iter_mut()) {
            shown.identity_id = None;
        }
    }
    report.always = if quantifier == Quantifier::ForAll {
        always
    } else {
        None
    };
    if witness.is_some() {
        report.verdict = RouteVerdict::Possible;
        // Possible, but whether every request is allowed is undecided: say why.
        if quantifier == Quantifier::ForAll && report.always.is_none() {
            report.reason = unknown;
        }
        if !route.assumptions.is_empty() {
            let notes: Vec<String> = route.assumptions.iter().map(|a| a.note()).collect();
            report.rests_on = Some(format!(
                "possible only if the assumption holds — {}",
                notes.join("; ")
            ));
        }
    } else if let Some(reason) = unknown {
        report.verdict = RouteVerdict::Unknown;
        report.reason = Some(reason);
    } else {
        report.verdict = RouteVerdict::Impossible;
        blocking.dedup();
        report.blocking = blocking;
    }
    Answer {
        route: report,
        witness,
        counterexample,
    }
}

/// A bucket with a bucket policy whose objects the pattern may name without
/// naming the bucket literally. Each bucket's policy bears only on its own
/// resources, so such a question would need one problem per bucket; it is
/// answered `unknown` instead of leaving a policy out.
fn unnamed_bucket_with_policy(pattern: &ResourcePattern, inventory: &Inventory) -> Option<String> {
    let text = pattern.to_string();
    // Placeholders stand for identity ids: any text, as far as buckets go.
    let glob = pattern.fill("*", "*");
    if let Some(bucket) = s3_bucket(&glob) {
        if !has_wildcards(bucket) {
            // The bucket is named literally; its policy is the resource policy.
            return None;
        }
        return inventory
            .bucket_policies()
            .iter()
            .find(|b| string_like(bucket, &b.bucket))
            .map(|b| b.bucket.clone());
    }
    // A pattern of another service names no object of any bucket.
    let components = split_components(&glob);
    if components
        .get(2)
        .is_some_and(|service| !has_wildcards(service) && *service != "s3")
    {
        return None;
    }
    // Not narrowed to S3's form (a service the catalogue does not know):
    // any bucket the text before the first wildcard may lead to.
    let literal = &text[..text.find(['*', '?', '{']).unwrap_or(text.len())];
    inventory
        .bucket_policies()
        .iter()
        .find(|b| {
            let arn = format!("arn:aws:s3:::{}/", b.bucket);
            arn.starts_with(literal) || literal.starts_with(&arn)
        })
        .map(|b| b.bucket.clone())
}

/// What an independent replay needs: the route's own policies and what
/// completes them for a concrete resource.
struct Replaying<'r, 'a> {
    route: &'r SessionRoute<'a>,
    inventory: &'a Inventory,
    base: &'r PolicySet<'a>,
    home_account: Option<&'r str>,
}

/// Decides a witness again the way `explain` does, independently of the
/// problem the solver was given: the policy set is completed for the
/// witness's *concrete* resource (its bucket policy, its owner account), not
/// for the question's pattern. `smt::solve` already replayed the witness on
/// the problem's own policy set; a disagreement here means the pattern's
/// policy set was wrong for this resource — an internal error, reported as
/// `unknown` and never shown as a finding (docs/semantics.md §12).
fn replay(
    replaying: &Replaying<'_, '_>,
    witness: &Witness,
    allowed: bool,
) -> Result<Replayed, String> {
    let request: &Request = &witness.request;
    let policies = sessions::with_resource_side(
        replaying.base.clone(),
        replaying.inventory,
        &request.action,
        &request.resource,
        replaying.home_account,
    );
    let evaluation = evaluate(request, &policies);
    if (evaluation.decision == Decision::Allowed) == allowed {
        let mut considered: Vec<&Policy> = policies.identity.clone();
        considered.extend(policies.boundary);
        considered.extend(policies.session.iter().copied());
        considered.extend(policies.resource.map(|r| r.policy));
        let help = if allowed {
            pitfalls::route_pitfalls(replaying.route, request, &evaluation, &considered)
        } else {
            Vec::new()
        };
        Ok(Replayed { evaluation, help })
    } else {
        Err(format!(
            "internal error: the solver's {} request for `{}` on `{}` is {} when replayed              independently; not shown (please report it)",
            if allowed { "allowed" } else { "denied" },
            request.action,
            request.resource,
            evaluation.decision.as_str()
        ))
    }
}

/// A witness decided again, with the pitfalls it went through.
struct Replayed {
    evaluation: Evaluation,
    help: Vec<String>,
}

fn witness_report(
    route: &SessionRoute<'_>,
    number: usize,
    witness: &Witness,
    replayed: &Replayed,
) -> WitnessReport {
    let request: &Request = &witness.request;
    let evaluation = &replayed.evaluation;
    let deciding = evaluation
        .explanation
        .deciding_statements()
        .map(|(policy, statement)| DecidingStatement {
            policy: format!("{} `{}`", policy.role, policy.name),
            statement: statement.label.clone(),
            effect: statement.effect.to_string(),
            location: RenderedLocation::new(&Label::bare(statement.location.clone())),
        })
        .collect();
    let mut path = vec![route.principal.to_string()];
    if let Some(token) = &route.token {
        path.push(format!("identity pool `{}`", token.aud));
    }
    path.push(match route.flow {
        RouteFlow::None => route.origin_text(),
        flow => format!("{flow} flow: {}", route.origin_text()),
    });
    for (i, role) in route.chain.iter().enumerate() {
        match route.hops.get(i) {
            Some(hop) => path.push(format!("role `{role}`, then {hop}")),
            None => path.push(format!("role `{role}`")),
        }
    }
    if let Some(role) = &route.role {
        path.push(format!("role `{}`", role.name()));
    }
    if let Some(granted) = &route.granted {
        path.push(format!("with the {}", granted.name));
    }
    for policy in &route.session_policies {
        path.push(format!("session policy `{}`", policy.name));
    }
    WitnessReport {
        route: number,
        path,
        identity_id: witness.self_id.clone(),
        other_identity_id: witness.other_id.clone(),
        claims: route
            .claims
            .as_ref()
            .map(|claims| {
                claims
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.to_string(),
                            v.values().iter().map(|s| s.to_string()).collect(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        session_policies: route
            .session_policies
            .iter()
            .map(|p| p.name.clone())
            .collect(),
        caller: request.caller.describe(),
        action: request.action.clone(),
        resource: request.resource.clone(),
        context: request.shown_context(),
        replayed: evaluation.decision.as_str().to_string(),
        deciding,
        help: replayed.help.clone(),
        identity_is_caller: route.token.is_some(),
    }
}

fn outcome_name(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Possible(_) => "possible",
        Outcome::Impossible { .. } => "impossible",
        Outcome::Always => "always",
        Outcome::NotAlways(_) => "not always",
        Outcome::Unknown { .. } => "unknown",
    }
}
