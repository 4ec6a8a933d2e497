//! The reachability engine behind `poolscope query`: one question over
//! every request.
//!
//! Checks the question first ([`understood`]: fail closed), lists the routes by which the principal gets
//! credentials ([`crate::model::sessions`]), and for each route and each
//! action the question's action pattern names asks the solver
//! ([`crate::smt::solve`]) whether some request matching the question is
//! allowed (or, with `--expect always`, whether every one is). Routes
//! reached only through claims an outsider can choose are searched for with
//! concrete claim values (module `claims`); a route whose reachability poolscope
//! cannot settle makes the verdict `unknown`, never `impossible`.
//!
//! Verdicts over all routes: `possible` when some route has an allowed
//! request (its witness, replayed by the evaluator, is shown); `impossible`
//! when every route is impossible or yields no credentials; `always` (asked
//! with `--expect always`) when every route that yields credentials allows
//! every matching request; `unknown` otherwise.

mod claims;
mod route;
pub mod understood;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, RenderedLocation, both};
use crate::model::Inventory;
use crate::model::assumptions::resting_on;
use crate::model::sessions::{self, Scenario, SessionRoute};
use crate::query::{Expectation, Question};
use crate::smt::Quantifier;

pub use claims::{RuleSearch, candidates as claim_candidates, search_rule};
pub use route::{RouteAnswer, RouteVerdict};
pub use understood::{Target, Understood, understand};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Possible,
    Impossible,
    Always,
    Unknown,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Possible => "possible",
            Verdict::Impossible => "impossible",
            Verdict::Always => "always",
            Verdict::Unknown => "unknown",
        }
    }
}

/// A witness request, with the route that makes it.
#[derive(Clone, Debug, Serialize)]
pub struct WitnessReport {
    /// 1-based number of the route in `routes`.
    pub route: usize,
    pub path: Vec<String>,
    pub identity_id: Option<String>,
    pub other_identity_id: Option<String>,
    pub claims: BTreeMap<String, Vec<String>>,
    pub session_policies: Vec<String>,
    pub caller: String,
    pub action: String,
    pub resource: String,
    pub context: BTreeMap<String, Vec<String>>,
    /// What the concrete evaluator decided on replay (`allowed` for a
    /// `possible` witness, a denial for a counterexample to `always`).
    pub replayed: String,
    /// The statements that decided the replay.
    pub deciding: Vec<DecidingStatement>,
    /// Known pitfalls the allowed request went through, as fixes.
    #[serde(skip)]
    pub help: Vec<String>,
    /// Whether the caller is the identity `identity_id` names (a Cognito
    /// identity); otherwise the ids only fill `{self}`/`{other}` in the
    /// resource.
    pub identity_is_caller: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct DecidingStatement {
    pub policy: String,
    pub statement: String,
    pub effect: String,
    pub location: RenderedLocation,
}

#[derive(Clone, Debug, Serialize)]
pub struct QueryReport {
    pub verdict: Verdict,
    pub summary: String,
    pub principal: String,
    pub action: String,
    /// The concrete actions the question's action pattern stands for.
    pub actions: Vec<String>,
    pub resource: String,
    pub expect: Option<String>,
    /// Whether `--expect` held (`None` without `--expect`).
    pub expectation_held: Option<bool>,
    pub witness: Option<WitnessReport>,
    pub routes: Vec<RouteAnswer>,
    /// Fixes to suggest: the pitfalls the witness went through.
    pub help: Vec<String>,
    pub notes: Vec<String>,
    /// Warnings about the question (the fail-closed opt-outs), printed as
    /// diagnostics rather than in the report.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

/// Answers a question over an inventory already read. `Err` when the
/// question is not understood (fail closed: [`crate::query::understood`])
/// or names a pool, provider or role the inputs do not have.
pub fn query_inventory(
    inventory: &Inventory,
    question: &Question,
    timeout_ms: u64,
) -> Result<QueryReport, Vec<Diagnostic>> {
    let understood = understand(question, inventory, question.leniency);
    let quantifier = match question.expect {
        Some(Expectation::Always) => Quantifier::ForAll,
        _ => Quantifier::Exists,
    };
    let scenario = Scenario {
        identity_id: None,
        claims: question.claims.clone(),
    };
    let mut notes = Vec::new();
    let found = claims::routes(inventory, question, &scenario, &mut notes);
    // Every problem of the question at once.
    let (understood, found) = both(understood, found)?;
    let actions: Vec<String> = understood
        .targets
        .iter()
        .map(|t| t.action.clone())
        .collect();
    if understood.left_out > 0 {
        notes.push(format!(
            "{} of the actions `{}` names act on no resource of the form `{}` and were not asked",
            understood.left_out, question.action, question.resource
        ));
    }
    let routes: Vec<SessionRoute<'_>> = sessions::with_self_admin(inventory, found.routes);
    notes.extend(found.notes);

    // The account S3 buckets belong to: computed once, it walks every role.
    let home_account = sessions::home_account(inventory);
    let mut answers = Vec::new();
    let mut witness = None;
    let mut counterexample = None;
    let asking = route::Asking {
        inventory,
        question,
        targets: &understood.targets,
        quantifier,
        timeout_ms,
        home_account: home_account.as_deref(),
    };
    for (index, route) in routes.iter().enumerate() {
        let answer = route::answer(&asking, route, index + 1);
        // Show a witness that rests on no assumption when there is one.
        let settled = answer.route.assumptions.is_empty();
        witness = match (witness, answer.witness) {
            (Some((false, _)), Some(found)) if settled => Some((settled, found)),
            (None, Some(found)) => Some((settled, found)),
            (kept, _) => kept,
        };
        counterexample = counterexample.or(answer.counterexample);
        answers.push(answer.route);
    }
    let witness = witness.map(|(_, found)| found);
    // With `--expect always`, the request worth showing is one that is
    // denied; otherwise (or when every request is allowed) an allowed one.
    let shown = match quantifier {
        Quantifier::ForAll => counterexample.or(witness),
        Quantifier::Exists => witness,
    };
    let found_unsettled = found.unsettled.len();
    answers.extend(found.unsettled);
    for (i, answer) in answers.iter_mut().enumerate() {
        answer.number = i + 1;
    }
    let verdict = verdict_of(quantifier, &answers);
    let expectation_held = question.expect.map(|expect| match expect {
        Expectation::Possible => verdict == Verdict::Possible,
        Expectation::Never => verdict == Verdict::Impossible,
        Expectation::Always => verdict == Verdict::Always,
    });
    let summary = if routes.is_empty() && found_unsettled == 0 {
        format!(
            "no route gives `{}` credentials in these inputs",
            question.principal
        )
    } else {
        summarize(verdict, &answers)
    };
    let mut help = shown.as_ref().map(|w| w.help.clone()).unwrap_or_default();
    let possible_on = |flow: &str| {
        answers
            .iter()
            .any(|a| a.verdict == RouteVerdict::Possible && a.flow == flow)
    };
    if verdict == Verdict::Possible && possible_on("basic") && !possible_on("enhanced") {
        help.push(crate::model::pitfalls::ONLY_BASIC_FLOW.to_string());
    }
    Ok(QueryReport {
        verdict,
        summary,
        principal: question.principal.to_string(),
        action: question.action.clone(),
        actions,
        resource: question.resource.to_string(),
        expect: question.expect.map(|e| {
            match e {
                Expectation::Possible => "possible",
                Expectation::Never => "never",
                Expectation::Always => "always",
            }
            .to_string()
        }),
        expectation_held,
        witness: shown,
        routes: answers,
        help,
        notes,
        warnings: understood.warnings,
    })
}

fn verdict_of(quantifier: Quantifier, answers: &[RouteAnswer]) -> Verdict {
    let any = |v: RouteVerdict| answers.iter().any(|a| a.verdict == v);
    let exists = if any(RouteVerdict::Possible) {
        Verdict::Possible
    } else if any(RouteVerdict::Unknown) {
        Verdict::Unknown
    } else {
        Verdict::Impossible
    };
    if quantifier == Quantifier::Exists {
        return exists;
    }
    let with_credentials: Vec<&RouteAnswer> = answers
        .iter()
        .filter(|a| a.verdict != RouteVerdict::NoCredentials)
        .collect();
    if with_credentials.is_empty() {
        return Verdict::Impossible;
    }
    if with_credentials.iter().all(|a| a.always == Some(true)) {
        return Verdict::Always;
    }
    if with_credentials.iter().any(|a| a.always.is_none()) {
        return Verdict::Unknown;
    }
    exists
}

fn summarize(verdict: Verdict, answers: &[RouteAnswer]) -> String {
    let count = |v: RouteVerdict| answers.iter().filter(|a| a.verdict == v).count();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let total = answers.len();
    // The verdict word is printed beside the summary: do not repeat it.
    match verdict {
        Verdict::Possible => format!(
            "on {} of {total} route{}{}",
            count(RouteVerdict::Possible),
            plural(total),
            resting_on(
                answers
                    .iter()
                    .filter(|a| a.verdict == RouteVerdict::Possible)
                    .map(|a| a.assumptions.as_slice())
            )
        ),
        Verdict::Impossible => format!(
            "on {}: {} without an allowed request, {} without credentials",
            if total == 1 {
                "the one route".to_string()
            } else {
                format!("all {total} routes")
            },
            count(RouteVerdict::Impossible),
            count(RouteVerdict::NoCredentials)
        ),
        Verdict::Always => {
            let n = answers.iter().filter(|a| a.always == Some(true)).count();
            format!(
                "every matching request is allowed on all {n} route{} with credentials",
                plural(n)
            )
        }
        Verdict::Unknown => {
            let n = count(RouteVerdict::Unknown);
            format!("{n} route{} could not be decided", plural(n))
        }
    }
}
