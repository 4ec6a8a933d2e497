//! Running Z3 on a compiled problem: abstraction first, refinement on a
//! witness that does not replay, a per-question time budget.
//!
//! Owns the order of checks (each on a fresh solver, within what is left of
//! the question's `timeout_ms`):
//! 1. **abstraction**: identity ids are just distinct strings; anything not
//!    encoded exactly is a free boolean. Unsatisfiable is a proof (the
//!    abstraction allows more requests than exist). Satisfiable: the model
//!    is decoded, shapeless ids are replaced by canonical ones, and the
//!    request is replayed with [`crate::eval::decide()`].
//! 2. **ground ids**: the ids fixed to canonical values (cheap; finds real
//!    witnesses fast). Unsatisfiable proves nothing.
//! 3. **id length**: ids of the real length (`REGION:` + 36). A proof when
//!    unsatisfiable; cheap to refute, slow to satisfy on Z3 4.8.12, hence
//!    after the ground step.
//! 4. **shaped ids**: `REGION:` + a lower-case GUID. Still a proof.
//! 5. **exact**: plus the refinements that make abstracted constructs exact
//!    (symbolic values without wildcard characters), every abstraction
//!    boolean false, and every assumption boolean fixed to the evaluator's
//!    reading. Unsatisfiable proves nothing (it excludes requests).
//!
//! Assumption booleans (behaviour AWS's documentation does not settle) are
//! free in every
//! step that proves, so a proof holds under any reading. When no step
//! answers and the question has such booleans, one more check asks whether
//! the evaluator's reading alone proves the question: if it does, the
//! answer depends on the undocumented behaviour, and the unknown reason
//! says which.
//!
//! When the first step proves the question, a second check on an
//! incremental solver with one assumption literal per statement names the
//! blocking statements (Z3's unsat core). Checks use the `smt` tactic's
//! solver: on Z3 4.8.12 it costs well under a millisecond to create, where
//! the default solver costs about 13 ms, but it gives no cores.
//!
//! A verdict of possible (or not always) is only ever given with a replayed
//! witness; a timeout or exhausted refinement is unknown, never impossible.
//! Hands on the [`Outcome`].

use std::time::{Duration, Instant};

use z3::{Params, SatResult, Solver, Tactic};

use crate::eval::decide;

use super::compile::{Compiled, IdVars, Unsupported, compile};
use super::decode::{assignment, canonical_ids, canonicalize_ids, witness};
use super::encode::{bool_const, load, var_name};
use super::term::{Cmp, Formula, Num, Re, Str};
use super::{Blocker, Outcome, Problem, Quantifier, Witness};

/// The checks of one question, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Abstraction,
    GroundIds,
    IdLength,
    ShapedIds,
    Exact,
}

impl Step {
    /// Whether "unsatisfiable" at this step is a proof.
    fn proves(self) -> bool {
        matches!(self, Step::Abstraction | Step::IdLength | Step::ShapedIds)
    }
}

/// Answers `problem` within `timeout_ms` milliseconds of solver time.
pub fn solve(problem: &Problem<'_>, timeout_ms: u64) -> Outcome {
    solve_with(problem, timeout_ms, true)
}

/// [`solve`], naming the statements that block an impossible question only
/// when `name_blocking` (the unsat core costs a second solver call; callers
/// that read only the verdict and witness skip it).
pub fn solve_with(problem: &Problem<'_>, timeout_ms: u64, name_blocking: bool) -> Outcome {
    let start = Instant::now();
    let deadline = start + Duration::from_millis(timeout_ms);
    let compiled = match compile(problem) {
        Ok(compiled) => compiled,
        Err(Unsupported(reason)) => {
            return Outcome::Unknown {
                reason: unsupported(&reason),
            };
        }
    };
    if compiled.goal.as_const() == Some(false) {
        return proof(problem, &compiled, Vec::new());
    }
    let mut failures: Vec<String> = Vec::new();
    let mut timed_out: Option<String> = None;
    for step in [
        Step::Abstraction,
        Step::GroundIds,
        Step::IdLength,
        Step::ShapedIds,
        Step::Exact,
    ] {
        if step_is_pointless(step, &compiled) {
            continue;
        }
        let now = Instant::now();
        if now >= deadline {
            timed_out.get_or_insert_with(|| format!("timeout after {timeout_ms} ms"));
            break;
        }
        let remaining = deadline - now;
        let mut assertions = compiled.axioms.clone();
        assertions.push(compiled.goal.clone());
        assertions.extend(step_constraints(step, &compiled));
        let solver = Tactic::new("smt").solver();
        solver.set_params(&timeout(remaining));
        // Every statement as written: its tracking literal holds.
        let tracked = compiled.tracked.iter().map(|(id, _)| Formula::var(*id));
        let checked: Vec<Formula> = assertions.iter().cloned().chain(tracked).collect();
        if let Err(reason) = load(&solver, &compiled.vars, &checked) {
            return Outcome::Unknown {
                reason: unsupported(&reason),
            };
        }
        let result = solver.check();
        match result {
            SatResult::Unsat if step.proves() => {
                let blocking = if name_blocking {
                    core(&compiled, &assertions, deadline)
                } else {
                    Vec::new()
                };
                return proof(problem, &compiled, blocking);
            }
            SatResult::Unsat => {}
            SatResult::Unknown => {
                let why = solver
                    .get_reason_unknown()
                    .unwrap_or_else(|| "unknown".to_string());
                timed_out.get_or_insert_with(|| format!("Z3 gave up ({why})"));
            }
            SatResult::Sat => {
                let Some(model) = solver.get_model() else {
                    failures.push("Z3 returned no model".to_string());
                    continue;
                };
                let mut values = assignment(&model, &compiled.vars);
                if let Some(ids) = &compiled.ids {
                    canonicalize_ids(&mut values, ids);
                }
                match witness(problem, &compiled, &values) {
                    Some(witness) => match replay(problem, witness) {
                        Ok(outcome) => return outcome,
                        Err(why) => failures.push(why),
                    },
                    None => failures.push("a model value could not be read".to_string()),
                }
            }
        }
    }
    if let Some(reason) = depends_on_assumptions(problem, &compiled, deadline) {
        return Outcome::Unknown { reason };
    }
    let mut reason = match (timed_out, failures.is_empty()) {
        (Some(why), _) => why,
        (None, false) => "witness did not replay".to_string(),
        (None, true) => "no step could decide the question".to_string(),
    };
    if !compiled.assumptions.is_empty() {
        reason.push_str(&format!(
            " (the answer may also depend on {}, which AWS's documentation does not settle)",
            assumption_questions(&compiled)
        ));
    }
    if !compiled.abstracted.is_empty() {
        reason.push_str(&format!(
            " (not encoded exactly: {})",
            compiled.abstracted.join("; ")
        ));
    }
    Outcome::Unknown { reason }
}

fn unsupported(reason: &str) -> String {
    if reason.starts_with("unsupported") || reason.starts_with("internal error") {
        reason.to_string()
    } else {
        format!("unsupported: {reason}")
    }
}

/// Skips steps that add nothing to the previous ones.
fn step_is_pointless(step: Step, compiled: &Compiled) -> bool {
    match step {
        Step::Abstraction => false,
        Step::GroundIds | Step::IdLength | Step::ShapedIds => compiled.ids.is_none(),
        Step::Exact => {
            compiled.refinements.is_empty()
                && compiled.abstraction_vars.is_empty()
                && compiled.assumptions.is_empty()
        }
    }
}

/// Each assumption boolean equals the evaluator's reading.
fn evaluator_readings(compiled: &Compiled) -> Vec<Formula> {
    compiled
        .assumptions
        .iter()
        .map(|a| {
            let var = Formula::var(a.var);
            Formula::or([
                Formula::and([var.clone(), a.reading.clone()]),
                Formula::and([Formula::not(var), Formula::not(a.reading.clone())]),
            ])
        })
        .collect()
}

/// The open questions of a problem's assumptions, in words.
fn assumption_questions(compiled: &Compiled) -> String {
    let mut questions: Vec<&str> = Vec::new();
    for assumption in &compiled.assumptions {
        let question = assumption.kind.question();
        if !questions.contains(&question) {
            questions.push(question);
        }
    }
    questions.join(" and on ")
}

/// When no step answered: if the evaluator's readings alone prove the
/// question (the abstraction step with every assumption boolean fixed to
/// them is unsatisfiable), the answer depends on behaviour AWS does not
/// document. Returns the reason for the unknown answer.
fn depends_on_assumptions(
    problem: &Problem<'_>,
    compiled: &Compiled,
    deadline: Instant,
) -> Option<String> {
    if compiled.assumptions.is_empty() || !compiled.capped.is_empty() {
        return None;
    }
    let remaining = deadline.checked_duration_since(Instant::now())?;
    let mut assertions = compiled.axioms.clone();
    assertions.push(compiled.goal.clone());
    assertions.extend(evaluator_readings(compiled));
    // Every statement as written: its tracking literal holds.
    assertions.extend(compiled.tracked.iter().map(|(id, _)| Formula::var(*id)));
    let solver = Tactic::new("smt").solver();
    solver.set_params(&timeout(remaining));
    load(&solver, &compiled.vars, &assertions).ok()?;
    if solver.check() != SatResult::Unsat {
        return None;
    }
    let mut places: Vec<&str> = compiled
        .assumptions
        .iter()
        .map(|a| a.place.as_str())
        .collect();
    places.dedup();
    let (under_ours, otherwise) = match problem.quantifier {
        Quantifier::Exists => ("impossible", "may allow a request"),
        Quantifier::ForAll => ("always", "may deny a request"),
    };
    let mut readings: Vec<&str> = Vec::new();
    for assumption in &compiled.assumptions {
        if !readings.contains(&assumption.kind.reading()) {
            readings.push(assumption.kind.reading());
        }
    }
    Some(format!(
        "depends on {} ({}), which AWS's documentation does not settle: {under_ours} under the reading \
         `explain` takes ({}), but another reading {otherwise}",
        assumption_questions(compiled),
        places.join("; "),
        readings.join("; ")
    ))
}

fn step_constraints(step: Step, compiled: &Compiled) -> Vec<Formula> {
    let mut out = Vec::new();
    if let Some(ids) = &compiled.ids {
        match step {
            Step::Abstraction => {}
            Step::GroundIds => out.extend(ground(ids)),
            Step::IdLength => out.extend(length(ids)),
            Step::ShapedIds | Step::Exact => {
                out.extend(length(ids));
                out.extend(shape(ids));
            }
        }
    }
    if step == Step::Exact {
        out.extend(compiled.refinements.iter().cloned());
        out.extend(
            compiled
                .abstraction_vars
                .iter()
                .map(|v| Formula::not(Formula::var(*v))),
        );
        out.extend(evaluator_readings(compiled));
    }
    out
}

fn ground(ids: &IdVars) -> Vec<Formula> {
    let (own, other) = canonical_ids(&ids.region);
    let mut out = vec![Formula::str_eq(Str::Var(ids.own), Str::Lit(own))];
    if let Some(var) = ids.other {
        out.push(Formula::str_eq(Str::Var(var), Str::Lit(other)));
    }
    out
}

fn length(ids: &IdVars) -> Vec<Formula> {
    [Some(ids.own), ids.other]
        .into_iter()
        .flatten()
        .map(|id| Formula::cmp(Str::Var(id).len(), Cmp::Eq, Num::Lit(ids.length() as i128)))
        .collect()
}

/// `REGION:` + a lower-case GUID.
fn shape(ids: &IdVars) -> Vec<Formula> {
    let hex = || Re::Union(vec![Re::Range('0', '9'), Re::Range('a', 'f')]);
    let run = |n: usize| Re::Concat(std::iter::repeat_n(hex(), n).collect());
    let dash = || Re::Lit("-".to_string());
    let re = Re::Concat(vec![
        Re::Lit(format!("{}:", ids.region)),
        run(8),
        dash(),
        run(4),
        dash(),
        run(4),
        dash(),
        run(4),
        dash(),
        run(12),
    ]);
    [Some(ids.own), ids.other]
        .into_iter()
        .flatten()
        .map(|id| Formula::InRe(Str::Var(id), re.clone()))
        .collect()
}

/// The negative answer: impossible (Exists) or always (ForAll), unless a
/// set bound was capped, in which case the proof covers only small sets.
fn proof(problem: &Problem<'_>, compiled: &Compiled, blocking: Vec<Blocker>) -> Outcome {
    if !compiled.capped.is_empty() {
        return Outcome::Unknown {
            reason: format!(
                "no request with at most {} values of {} answers it; larger sets were not searched",
                super::compile::MAX_FREE_SLOTS,
                compiled.capped.join(", ")
            ),
        };
    }
    match problem.quantifier {
        Quantifier::Exists => Outcome::Impossible { blocking },
        Quantifier::ForAll => Outcome::Always,
    }
}

thread_local! {
    /// An incremental solver for unsat cores, reused with push/pop: the
    /// default solver is expensive to create on Z3 4.8.12.
    static CORE_SOLVER: Solver = Solver::new();
}

/// The statements of an unsat core of `assertions` under one assumption
/// literal per statement; empty when the check does not finish in time.
fn core(compiled: &Compiled, assertions: &[Formula], deadline: Instant) -> Vec<Blocker> {
    if compiled.tracked.is_empty() {
        return Vec::new();
    }
    let remaining = deadline.saturating_duration_since(Instant::now());
    if remaining.is_zero() {
        return Vec::new();
    }
    CORE_SOLVER.with(|solver| {
        solver.push();
        solver.set_params(&timeout(remaining));
        let names = match load(solver, &compiled.vars, assertions) {
            Ok(()) => {
                let literals: Vec<z3::ast::Bool> = compiled
                    .tracked
                    .iter()
                    .map(|(id, _)| bool_const(*id))
                    .collect();
                if solver.check_assumptions(&literals) == SatResult::Unsat {
                    solver
                        .get_unsat_core()
                        .iter()
                        .map(|b| b.to_string())
                        .collect()
                } else {
                    Vec::new()
                }
            }
            Err(_) => Vec::new(),
        };
        solver.pop(1);
        compiled
            .tracked
            .iter()
            .filter(|(id, _)| names.contains(&var_name(*id)))
            .map(|(_, blocker)| blocker.clone())
            .collect()
    })
}

fn timeout(remaining: Duration) -> Params {
    let mut params = Params::new();
    params.set_u32(
        "timeout",
        u32::try_from(remaining.as_millis())
            .unwrap_or(u32::MAX)
            .max(1),
    );
    params
}

/// Re-checks a witness with the concrete evaluator.
fn replay(problem: &Problem<'_>, witness: Witness) -> Result<Outcome, String> {
    let decision = decide(&witness.request, &problem.policies);
    match problem.quantifier {
        Quantifier::Exists if decision.is_allowed() => Ok(Outcome::Possible(witness)),
        Quantifier::ForAll if !decision.is_allowed() => Ok(Outcome::NotAlways(witness)),
        _ => Err(format!(
            "witness did not replay: the evaluator says {} for {} on {}",
            decision.as_str(),
            witness.request.action,
            witness.request.resource
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{Caller, PolicySet, Request};
    use crate::query::ResourcePattern;
    use std::collections::BTreeMap;

    // A witness the evaluator denies is never shown as possible: the
    // disagreement is reported (and `solve` turns it into unknown).
    #[test]
    fn a_witness_that_does_not_replay_is_an_error() {
        let caller = Caller::role_session("arn:aws:iam::111122223333:role/App", "s");
        let problem = Problem {
            action: "s3:GetObject".to_string(),
            resource: ResourcePattern::parse("arn:aws:s3:::b/x").expect("valid"),
            caller: caller.clone(),
            identity: None,
            free_tags: Vec::new(),
            policies: PolicySet::new(),
            context: BTreeMap::new(),
            quantifier: Quantifier::Exists,
        };
        let witness = Witness {
            request: Request::new(caller, "s3:GetObject", "arn:aws:s3:::b/x"),
            self_id: None,
            other_id: None,
        };
        let error = replay(&problem, witness).expect_err("nothing allows it");
        assert!(error.contains("did not replay"), "{error}");
    }
}
