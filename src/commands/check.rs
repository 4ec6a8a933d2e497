//! `poolscope check`: reads the spec and the inputs, runs every assertion
//! ([`crate::gate::check`]) and turns the outcomes into one exit status
//! (docs/cli.md, "Spec file (`check`)": 0 all held, 1 any violated, 2 a
//! malformed spec or input, 3 any unknown and none violated).

use std::path::PathBuf;

use crate::commands::ExitStatus;
use crate::diagnostic::{Diagnostic, has_errors};
use crate::gate::{Status, check_inventory, read_spec};
use crate::ingest::Inputs;
use crate::report::{AssertionLine, FindingDetail, FindingReport};

#[derive(Clone, Debug, Default)]
pub struct CheckArgs {
    pub inputs: Inputs,
    pub spec: PathBuf,
    pub timeout_ms: u64,
}

#[derive(Debug)]
pub struct CheckOutcome {
    /// `None` when the spec or the inputs could not be read (exit 2).
    pub report: Option<FindingReport>,
    /// Problems with the spec or the inputs (printed on stderr).
    pub diagnostics: Vec<Diagnostic>,
    pub status: ExitStatus,
}

pub fn check(args: &CheckArgs) -> CheckOutcome {
    // The spec first, then the inputs, so one run reports both.
    let spec = read_spec(&args.spec);
    let mut loaded = args.inputs.load();
    loaded.require_something_to_analyse();
    let mut diagnostics = loaded.diagnostics;
    let spec = match spec {
        Ok(spec) => spec,
        Err(errors) => {
            diagnostics.extend(errors);
            return bad_input(diagnostics);
        }
    };
    if loaded.input_failed || has_errors(&diagnostics) {
        return bad_input(diagnostics);
    }
    let results = match check_inventory(&loaded.inventory, &spec, args.timeout_ms) {
        Ok(results) => results,
        Err(errors) => {
            diagnostics.extend(errors);
            return bad_input(diagnostics);
        }
    };
    diagnostics.extend(results.warnings.iter().cloned());
    let mut report = FindingReport {
        command: "check",
        files_read: loaded.files_read,
        files_skipped: loaded.skipped.len(),
        ..FindingReport::default()
    };
    for finding in results.findings(&loaded.inventory) {
        report.findings.push(finding.diagnostic);
        report.details.push(FindingDetail {
            witness: finding.witness,
            evidence: finding.evidence,
        });
    }
    report.sort();
    report.assertions = results
        .outcomes
        .iter()
        .map(|o| AssertionLine {
            name: o.assertion.name.clone(),
            expect: o.assertion.expect.clone(),
            verdict: o.report.verdict.as_str().to_string(),
            status: o.status.as_str().to_string(),
        })
        .collect();
    let status = if results.count(Status::Violated) > 0 {
        ExitStatus::Findings
    } else if results.count(Status::Unknown) > 0 {
        ExitStatus::Inconclusive
    } else {
        ExitStatus::Clean
    };
    CheckOutcome {
        report: Some(report),
        diagnostics,
        status,
    }
}

fn bad_input(diagnostics: Vec<Diagnostic>) -> CheckOutcome {
    CheckOutcome {
        report: None,
        diagnostics,
        status: ExitStatus::BadInput,
    }
}
