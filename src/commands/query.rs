//! `poolscope query`: reads the inputs, asks the reachability engine
//! ([`crate::reach`]) one question, and turns the verdict and the
//! expectation into an exit status (docs/cli.md, "Exit codes").

use crate::commands::ExitStatus;
use crate::diagnostic::{Diagnostic, has_errors};
use crate::ingest::Inputs;
use crate::query::QuestionText;
use crate::reach::{QueryReport, Verdict, query_inventory};

/// The command-line arguments of `query`, as strings.
#[derive(Clone, Debug, Default)]
pub struct QueryArgs {
    pub inputs: Inputs,
    pub question: QuestionText,
    pub expect: Option<String>,
    pub timeout_ms: u64,
}

#[derive(Debug)]
pub struct QueryOutcome {
    pub report: Option<QueryReport>,
    pub diagnostics: Vec<Diagnostic>,
    pub status: ExitStatus,
}

pub fn query(args: &QueryArgs) -> QueryOutcome {
    let question = match args.question.parse(args.expect.as_deref()) {
        Ok(question) => question,
        Err(diagnostics) => return bad_input(diagnostics),
    };
    let mut loaded = args.inputs.load();
    loaded.require_something_to_analyse();
    let mut diagnostics = loaded.diagnostics;
    if loaded.input_failed || has_errors(&diagnostics) {
        return bad_input(diagnostics);
    }
    match query_inventory(&loaded.inventory, &question, args.timeout_ms) {
        Ok(mut report) => {
            let status = status_of(&report);
            diagnostics.append(&mut report.warnings);
            QueryOutcome {
                report: Some(report),
                diagnostics,
                status,
            }
        }
        Err(mut errors) => {
            diagnostics.append(&mut errors);
            bad_input(diagnostics)
        }
    }
}

fn bad_input(diagnostics: Vec<Diagnostic>) -> QueryOutcome {
    QueryOutcome {
        report: None,
        diagnostics,
        status: ExitStatus::BadInput,
    }
}

/// docs/cli.md, "Exit codes": 1 for a failed expectation, 3 when the verdict
/// that mattered is unknown.
fn status_of(report: &QueryReport) -> ExitStatus {
    if report.verdict == Verdict::Unknown {
        return ExitStatus::Inconclusive;
    }
    match report.expectation_held {
        Some(false) => ExitStatus::Findings,
        _ => ExitStatus::Clean,
    }
}
