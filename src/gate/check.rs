//! Running a spec's assertions (`poolscope check`, docs/cli.md "Spec file
//! (`check`)"): each assertion is one question to the reachability engine
//! ([`crate::reach::query_inventory`]) with its expectation, and comes out
//! held, violated (with the witness or the proof) or unknown.
//!
//! Fail closed: every assertion is read and understood the way `query`
//! understands its flags ([`crate::reach::understood`]) before a verdict
//! counts; a malformed assertion is an error pointing into the spec, and
//! the run stops with exit 2 rather than pass on a question it did not
//! understand.

use serde::Serialize;

use super::spec::{Assertion, Spec};
use crate::checks::{Evidence, Witness};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Inventory;
use crate::model::sessions;
use crate::query::Expectation;
use crate::reach::{
    QueryReport, RouteVerdict, Verdict, WitnessReport, query_inventory, understand,
};
use crate::source::Location;

/// What became of one assertion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Held,
    Violated,
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Held => "held",
            Status::Violated => "violated",
            Status::Unknown => "unknown",
        }
    }
}

/// One assertion's outcome, with the engine's report.
#[derive(Clone, Debug)]
pub struct AssertionOutcome {
    pub assertion: Assertion,
    pub status: Status,
    pub report: QueryReport,
}

/// A finding of `check`: a violated or unknown assertion.
#[derive(Clone, Debug)]
pub struct CheckFinding {
    pub diagnostic: Diagnostic,
    pub witness: Option<Witness>,
    /// `None` for an unknown assertion: nothing was proven.
    pub evidence: Option<Evidence>,
}

/// Every assertion's outcome, in spec order.
#[derive(Clone, Debug)]
pub struct CheckResults {
    pub outcomes: Vec<AssertionOutcome>,
    /// Warnings about the questions (none while the opt-outs are off).
    pub warnings: Vec<Diagnostic>,
}

impl CheckResults {
    pub fn count(&self, status: Status) -> usize {
        self.outcomes.iter().filter(|o| o.status == status).count()
    }

    /// The violated and unknown assertions as findings.
    pub fn findings(&self, inventory: &Inventory) -> Vec<CheckFinding> {
        self.outcomes
            .iter()
            .filter(|o| o.status != Status::Held)
            .map(|o| finding(inventory, o))
            .collect()
    }
}

/// Runs every assertion; `Err` with every problem of every assertion when
/// one is malformed (each pointing into the spec).
pub fn check_inventory(
    inventory: &Inventory,
    spec: &Spec,
    timeout_ms: u64,
) -> Result<CheckResults, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut questions = Vec::new();
    for assertion in &spec.assertions {
        // The expectation apart, so that a typo there does not hide the
        // question's own problems.
        let expect = match Expectation::parse(&assertion.expect) {
            Some(_) => Some(assertion.expect.as_str()),
            None => {
                errors.push(
                    assertion.locate(
                        Diagnostic::error(
                            "query-bad-expectation",
                            format!("`{}` is not an expectation", assertion.expect),
                        )
                        .with_help("use possible, never or always"),
                    ),
                );
                None
            }
        };
        match assertion.question.parse(expect) {
            Ok(question) => {
                // Fail closed before any verdict counts: the checks `query`
                // applies to its flags (reach::understood).
                let mut problems = understand(&question, inventory, question.leniency)
                    .err()
                    .unwrap_or_default();
                // A pool, provider or role the inputs do not have.
                if let Err(problem) = sessions::enumerate(inventory, &question.principal, None) {
                    problems.push(problem);
                }
                if problems.is_empty() {
                    if expect.is_some() {
                        questions.push((assertion, question));
                    }
                } else {
                    errors.extend(problems.into_iter().map(|d| assertion.locate(d)));
                }
            }
            Err(problems) => errors.extend(problems.into_iter().map(|d| assertion.locate(d))),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut outcomes = Vec::new();
    let mut warnings = Vec::new();
    for (assertion, question) in questions {
        match query_inventory(inventory, &question, timeout_ms) {
            Ok(mut report) => {
                warnings.extend(
                    std::mem::take(&mut report.warnings)
                        .into_iter()
                        .map(|d| assertion.locate(d)),
                );
                let status = match (report.verdict, report.expectation_held) {
                    (Verdict::Unknown, _) => Status::Unknown,
                    (_, Some(true)) => Status::Held,
                    _ => Status::Violated,
                };
                outcomes.push(AssertionOutcome {
                    assertion: assertion.clone(),
                    status,
                    report,
                });
            }
            Err(problems) => errors.extend(problems.into_iter().map(|d| assertion.locate(d))),
        }
    }
    if errors.is_empty() {
        Ok(CheckResults { outcomes, warnings })
    } else {
        Err(errors)
    }
}

fn finding(inventory: &Inventory, outcome: &AssertionOutcome) -> CheckFinding {
    let assertion = &outcome.assertion;
    let report = &outcome.report;
    let verdict = report.verdict.as_str();
    if outcome.status == Status::Unknown {
        let reasons: Vec<String> = report
            .routes
            .iter()
            .filter(|r| r.verdict == RouteVerdict::Unknown)
            .filter_map(|r| {
                r.reason.as_ref().map(|why| {
                    let role = r.role.as_deref().unwrap_or("(no role)");
                    format!("route {} ({} → {role}): {why}", r.number, r.principal)
                })
            })
            .collect();
        let mut help = "poolscope could not decide this question, so the assertion is not \
                        counted as held; raise `--timeout-ms`, or narrow the resource"
            .to_string();
        for reason in reasons {
            help.push_str("\n- ");
            help.push_str(&reason);
        }
        return CheckFinding {
            diagnostic: Diagnostic::warning(
                "check-unknown",
                format!(
                    "assertion `{}` could not be decided ({})",
                    assertion.name, report.summary
                ),
            )
            .at(
                &assertion.at.expect,
                format!("expects {}; unknown", assertion.expect),
            )
            .with_related(&assertion.at.name, "this assertion")
            .with_help(help),
            witness: report
                .witness
                .clone()
                .map(|w| Witness::Request(Box::new(w))),
            evidence: None,
        };
    }
    let mut diagnostic = Diagnostic::new(
        "check-violated",
        Severity::Error,
        format!(
            "assertion `{}` does not hold: expected {}, the verdict is {verdict} ({})",
            assertion.name, assertion.expect, report.summary
        ),
    )
    .at(
        &assertion.at.expect,
        format!("expects {}; {verdict}", assertion.expect),
    )
    .with_related(&assertion.at.name, "this assertion");
    let mut help = Vec::new();
    let evidence = match &report.witness {
        Some(witness) => {
            for (loc, label) in deciding(inventory, witness) {
                diagnostic = diagnostic.with_related(&loc, label);
            }
            // The request's own context keys (a counterexample to `always`
            // often turns on one); those the caller determines are in the
            // JSON witness.
            let keys: Vec<String> = witness
                .context
                .keys()
                .filter(|k| !super::diff::caller_determined(k))
                .cloned()
                .collect();
            help.push(witness_text(witness, &keys));
            let assumptions = report
                .routes
                .get(witness.route.saturating_sub(1))
                .map(|r| r.assumptions.clone())
                .unwrap_or_default();
            Evidence::of_route(
                "the reachability engine's witness, replayed by the concrete evaluator",
                &assumptions,
            )
        }
        None => {
            help.push(
                "no request matching the assertion is allowed on any route: change the \
                 assertion, or grant the access it expects"
                    .to_string(),
            );
            Evidence::Proven {
                how: "the reachability engine's proof over every route".to_string(),
            }
        }
    };
    help.extend(report.help.iter().cloned());
    CheckFinding {
        diagnostic: diagnostic.with_help(help.join("\n")),
        witness: report
            .witness
            .clone()
            .map(|w| Witness::Request(Box::new(w))),
        evidence: Some(evidence),
    }
}

/// A witness in one paragraph, for the human report's help, with the
/// context keys named in `shown` (the JSON witness has every key).
pub fn witness_text(witness: &WitnessReport, shown: &[String]) -> String {
    let kind = if witness.replayed == "allowed" {
        "witness"
    } else {
        "counterexample"
    };
    let mut text = format!(
        "{kind} (route {}): {} `{}` by {}; replayed by the concrete evaluator: {}",
        witness.route,
        witness.action,
        witness.resource,
        witness.path.join(" → "),
        witness.replayed
    );
    let pinned = |key: &str| {
        shown.iter().any(|p| {
            p.split('=')
                .next()
                .is_some_and(|k| k.trim_end_matches('+').eq_ignore_ascii_case(key))
        })
    };
    for (key, values) in witness.context.iter().filter(|(k, _)| pinned(k)) {
        text.push_str(&format!("; {key} = {}", values.join(", ")));
    }
    text
}

/// The statements of the inputs that decided a witness, as labels.
pub fn deciding(inventory: &Inventory, witness: &WitnessReport) -> Vec<(Location, String)> {
    let policies = inventory.every_policy();
    witness
        .deciding
        .iter()
        .filter_map(|d| {
            let statement = policies.iter().find_map(|p| {
                p.statements.iter().find(|s| {
                    s.loc.path() == d.location.file
                        && s.loc.line_col() == (d.location.line, d.location.column)
                })
            })?;
            let verb = if d.effect.eq_ignore_ascii_case("allow") {
                "allows it"
            } else {
                "denies it"
            };
            Some((
                statement.loc.clone(),
                format!("{} of {} {verb}", d.statement, d.policy),
            ))
        })
        .collect()
}
