//! `poolscope audit`: reads the inputs, runs every check of
//! [`crate::checks::CATALOGUE`], and turns the findings and `--fail-on`
//! into an exit status (docs/cli.md, "audit"). With `--baseline`, findings
//! whose fingerprint a previous `audit --format json` holds are left out.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::checks::{Audit, run_all};
use crate::commands::ExitStatus;
use crate::diagnostic::{Diagnostic, Severity, has_errors};
use crate::ingest::Inputs;
use crate::report::{FindingDetail, FindingReport, fingerprint};

#[derive(Clone, Debug, Default)]
pub struct AuditArgs {
    pub inputs: Inputs,
    pub timeout_ms: u64,
    pub baseline: Option<PathBuf>,
}

#[derive(Debug)]
pub struct AuditOutcome {
    pub report: FindingReport,
    /// Problems reading the inputs or the baseline (printed on stderr).
    pub diagnostics: Vec<Diagnostic>,
    pub input_failed: bool,
}

impl AuditOutcome {
    /// The exit status for a failure threshold (`None`: never fail).
    pub fn status(&self, fail_on: Option<Severity>) -> ExitStatus {
        if self.input_failed {
            return ExitStatus::BadInput;
        }
        match (fail_on, self.report.worst()) {
            (Some(threshold), Some(worst)) if worst >= threshold => ExitStatus::Findings,
            _ => ExitStatus::Clean,
        }
    }
}

pub fn audit(args: &AuditArgs) -> AuditOutcome {
    let mut report = FindingReport {
        command: "audit",
        ..FindingReport::default()
    };
    let mut loaded = args.inputs.load();
    loaded.require_something_to_analyse();
    report.files_read = loaded.files_read;
    report.files_skipped = loaded.skipped.len();
    let mut diagnostics = loaded.diagnostics;
    let baseline = match &args.baseline {
        None => Ok(BTreeSet::new()),
        Some(path) => read_baseline(path),
    };
    let baseline = match baseline {
        Ok(baseline) => baseline,
        Err(problem) => {
            diagnostics.push(problem);
            return AuditOutcome {
                report,
                diagnostics,
                input_failed: true,
            };
        }
    };
    if loaded.input_failed || has_errors(&diagnostics) {
        return AuditOutcome {
            report,
            diagnostics,
            input_failed: true,
        };
    }
    let audit = Audit::new(&loaded.inventory, args.timeout_ms);
    for finding in run_all(&audit) {
        if baseline.contains(&fingerprint(&finding.diagnostic)) {
            report.baselined += 1;
            continue;
        }
        report.findings.push(finding.diagnostic);
        report.details.push(FindingDetail {
            witness: finding.witness,
            evidence: Some(finding.evidence),
        });
    }
    report.sort();
    AuditOutcome {
        report,
        diagnostics,
        input_failed: false,
    }
}

/// The fingerprints of a previous `audit --format json`.
fn read_baseline(path: &Path) -> Result<BTreeSet<String>, Diagnostic> {
    let bad = |why: String| {
        Diagnostic::error(
            "audit-bad-baseline",
            format!("cannot read baseline `{}`: {why}", path.display()),
        )
        .with_help("give the output of a previous `poolscope audit --format json`")
    };
    let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
    let document: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    let findings = document
        .get("findings")
        .and_then(|f| f.as_array())
        .ok_or_else(|| bad("it has no `findings` list".to_string()))?;
    Ok(findings
        .iter()
        .filter_map(|f| f.get("fingerprint").and_then(|p| p.as_str()))
        .map(str::to_string)
        .collect())
}
