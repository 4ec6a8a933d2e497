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
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, RenderedLocation, both};
use crate::model::Inventory;
use crate::model::assumptions::resting_on;
use crate::model::sessions::{self, Scenario, SessionRoute};
use crate::model::unreadable;
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
    /// What the snapshot could not read that could change the answer
    /// (docs/semantics.md §12); the verdict is then `unknown`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unreadable: Vec<String>,
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
    let covered = CoveredRoutes::of(inventory, question);
    // Every problem of the question at once.
    let (understood, covered) = both(understood, covered)?;
    Ok(answer(
        inventory,
        question,
        &understood,
        &covered,
        timeout_ms,
        Detail::Full,
        None,
    ))
}

/// Many questions over one inventory (the audit, `diff`): the routes each
/// principal and claim set covers are listed once and shared, across
/// threads too.
#[derive(Debug)]
pub struct Batch<'a> {
    inventory: &'a Inventory,
    covered: Mutex<BTreeMap<String, Arc<CoveredRoutes<'a>>>>,
}

impl<'a> Batch<'a> {
    pub fn new(inventory: &'a Inventory) -> Batch<'a> {
        Batch {
            inventory,
            covered: Mutex::new(BTreeMap::new()),
        }
    }

    /// [`query_inventory`], with the routes from the batch's cache, and
    /// only the `detail` asked for.
    pub fn query(
        &self,
        question: &Question,
        timeout_ms: u64,
        detail: Detail,
    ) -> Result<QueryReport, Vec<Diagnostic>> {
        self.query_preferring(question, timeout_ms, detail, None)
    }

    /// [`Batch::query`], asking first the routes to the role `prefer` (an
    /// ARN): a check that derives its question from that role's statement
    /// finds its witness there, and with [`Detail::Verdict`] the routes
    /// after a witness are not asked. The verdict is the same; the witness
    /// may be on another route.
    pub fn query_preferring(
        &self,
        question: &Question,
        timeout_ms: u64,
        detail: Detail,
        prefer: Option<&str>,
    ) -> Result<QueryReport, Vec<Diagnostic>> {
        let understood = understand(question, self.inventory, question.leniency);
        let covered = self.covered(question);
        let (understood, covered) = both(understood, covered)?;
        Ok(answer(
            self.inventory,
            question,
            &understood,
            &covered,
            timeout_ms,
            detail,
            prefer,
        ))
    }

    /// The routes `question` covers, listed on first use.
    fn covered(&self, question: &Question) -> Result<Arc<CoveredRoutes<'a>>, Diagnostic> {
        let key = format!("{} {:?}", question.principal, question.claims);
        // A poisoned lock means another question panicked; its routes are
        // still whole (they are inserted after they are listed).
        let cached = |cache: &Mutex<BTreeMap<String, Arc<CoveredRoutes<'a>>>>| {
            cache
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .get(&key)
                .cloned()
        };
        if let Some(found) = cached(&self.covered) {
            return Ok(found);
        }
        // Listed outside the lock: another thread may list the same routes
        // meanwhile, which costs time but gives the same routes.
        let listed = Arc::new(CoveredRoutes::of(self.inventory, question)?);
        let mut cache = self
            .covered
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Ok(Arc::clone(cache.entry(key).or_insert(listed)))
    }
}

/// How much of an answer the caller reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Everything `query` prints, with the statements that block each
    /// impossible route (an unsat core per route).
    Full,
    /// The verdict and the witness: no unsat cores, and a question of
    /// "some request" stops at the first route with a witness that rests on
    /// no assumption (the routes after it are not listed). The verdict is
    /// the one [`Detail::Full`] gives, the witness is on the same route (its
    /// values may differ: the solver may pick another model).
    Verdict,
}

/// The routes a question covers, which depend only on its principal
/// selector and its `--claim` values: the routes resolution reaches with
/// those claims, the routes an outsider reaches by choosing claims, and
/// their role chains.
#[derive(Debug)]
struct CoveredRoutes<'a> {
    routes: Vec<SessionRoute<'a>>,
    /// Notes of the claim search (routes left to `--claim`).
    search_notes: Vec<String>,
    /// Notes of the enumeration.
    notes: Vec<String>,
    /// Routes whose reachability could not be settled.
    unsettled: Vec<RouteAnswer>,
}

impl<'a> CoveredRoutes<'a> {
    /// The routes `question`'s principal and claims cover. `Err` when they
    /// name a pool, provider or role the inputs do not have.
    pub fn of(
        inventory: &'a Inventory,
        question: &Question,
    ) -> Result<CoveredRoutes<'a>, Diagnostic> {
        let scenario = Scenario {
            identity_id: None,
            claims: question.claims.clone(),
        };
        let mut search_notes = Vec::new();
        let found = claims::routes(inventory, question, &scenario, &mut search_notes)?;
        Ok(CoveredRoutes {
            routes: sessions::with_self_admin(inventory, found.routes),
            search_notes,
            notes: found.notes,
            unsettled: found.unsettled,
        })
    }
}

fn answer(
    inventory: &Inventory,
    question: &Question,
    understood: &Understood,
    covered: &CoveredRoutes<'_>,
    timeout_ms: u64,
    detail: Detail,
    prefer: Option<&str>,
) -> QueryReport {
    let quantifier = match question.expect {
        Some(Expectation::Always) => Quantifier::ForAll,
        _ => Quantifier::Exists,
    };
    let mut notes = covered.search_notes.clone();
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
    let routes = &covered.routes;
    notes.extend(covered.notes.iter().cloned());

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
        blocking: detail == Detail::Full,
    };
    // The preferred role's routes first; routes are numbered in the order
    // they are asked.
    let mut order: Vec<&SessionRoute<'_>> = routes.iter().collect();
    if let Some(prefer) = prefer {
        order.sort_by_key(|r| r.role.as_ref().and_then(|r| r.arn()) != Some(prefer));
    }
    for (index, route) in order.into_iter().enumerate() {
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
        let settled_witness = matches!(witness, Some((true, _)));
        if detail == Detail::Verdict && quantifier == Quantifier::Exists && settled_witness {
            break;
        }
    }
    let witness = witness.map(|(_, found)| found);
    // With `--expect always`, the request worth showing is one that is
    // denied; otherwise (or when every request is allowed) an allowed one.
    let shown = match quantifier {
        Quantifier::ForAll => counterexample.or(witness),
        Quantifier::Exists => witness,
    };
    let found_unsettled = covered.unsettled.len();
    answers.extend(covered.unsettled.iter().cloned());
    for (i, answer) in answers.iter_mut().enumerate() {
        answer.number = i + 1;
    }
    // docs/semantics.md §12: a part of the account the snapshot could not
    // read may change the answer; the verdict on the rest is not the answer.
    let unreadable = unreadable::described(inventory.unreadable(), question);
    let verdict = match verdict_of(quantifier, &answers) {
        _ if !unreadable.is_empty() => Verdict::Unknown,
        verdict => verdict,
    };
    let expectation_held = question.expect.map(|expect| match expect {
        Expectation::Possible => verdict == Verdict::Possible,
        Expectation::Never => verdict == Verdict::Impossible,
        Expectation::Always => verdict == Verdict::Always,
    });
    let summary = if !unreadable.is_empty() {
        format!(
            "the snapshot could not read {} this question depends on",
            unreadable::parts(unreadable.len())
        )
    } else if routes.is_empty() && found_unsettled == 0 {
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
    QueryReport {
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
        unreadable,
        warnings: understood.warnings.clone(),
    }
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
            // `always` questions: a route may be possible yet undecided on
            // whether every request is allowed.
            let n = match count(RouteVerdict::Unknown) {
                0 => answers
                    .iter()
                    .filter(|a| a.verdict != RouteVerdict::NoCredentials && a.always.is_none())
                    .count(),
                n => n,
            };
            format!("{n} route{} could not be decided", plural(n))
        }
    }
}
