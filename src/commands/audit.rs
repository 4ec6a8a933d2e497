//! `poolscope audit`: reads the inputs, runs every check of
//! [`crate::checks::CATALOGUE`], and turns the findings and `--fail-on`
//! into an exit status (docs/cli.md, "audit"). With `--baseline`, findings
//! whose fingerprint a previous `audit --format json` holds are left out;
//! `poolscope.toml` ([`super::config`]) overrides severities and ignores
//! findings with a reason the report keeps.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::checks::{Audit, CATALOGUE, run_all_with};
use crate::commands::config::{self, Config};
use crate::commands::{ExitStatus, findings_status};
use crate::diagnostic::{Diagnostic, Severity, has_errors};
use crate::ingest::Inputs;
use crate::report::{FindingDetail, FindingReport, Ignored, fingerprint};

#[derive(Clone, Debug, Default)]
pub struct AuditArgs {
    pub inputs: Inputs,
    pub timeout_ms: u64,
    pub baseline: Option<PathBuf>,
    /// `--config FILE`; without it, `poolscope.toml` next to the first input.
    pub config: Option<PathBuf>,
    /// Threads to run checks on; 0: one per core.
    pub threads: usize,
}

/// How far an audit got, for a progress bar (the library never prints).
#[derive(Clone, Copy, Debug)]
pub enum Progress {
    /// Reading the inputs and building the route inventory.
    Preparing,
    /// The checks start: this many.
    Checking { checks: usize },
    /// One check ended.
    CheckDone { id: &'static str },
}

#[derive(Debug)]
pub struct AuditOutcome {
    pub report: FindingReport,
    /// Problems reading the inputs or the baseline (printed on stderr).
    pub diagnostics: Vec<Diagnostic>,
    pub input_failed: bool,
    /// `poolscope.toml`'s `fail-on`, the default of `--fail-on`
    /// (`Some(None)`: never).
    pub config_fail_on: Option<Option<Severity>>,
    /// The inputs are a snapshot that could not read part of the account
    /// (`snapshot-incomplete`): the audit cannot pass.
    pub incomplete: bool,
}

impl AuditOutcome {
    /// The failure threshold: `--fail-on` when given, else the
    /// configuration's, else `warning`.
    pub fn threshold(&self, flag: Option<Option<Severity>>) -> Option<Severity> {
        flag.or(self.config_fail_on)
            .unwrap_or(Some(Severity::Warning))
    }

    /// The exit status for a failure threshold (`None`: never fail).
    /// An incomplete snapshot makes a clean audit inconclusive (exit 3):
    /// what was not read may hold what the checks look for.
    pub fn status(&self, fail_on: Option<Severity>) -> ExitStatus {
        match findings_status(self.input_failed, &self.report, fail_on) {
            ExitStatus::Clean if self.incomplete => ExitStatus::Inconclusive,
            status => status,
        }
    }
}

pub fn audit(args: &AuditArgs) -> AuditOutcome {
    audit_with_progress(args, &|_| {})
}

/// [`audit`], telling `progress` how far it got.
pub fn audit_with_progress(args: &AuditArgs, progress: &(dyn Fn(Progress) + Sync)) -> AuditOutcome {
    progress(Progress::Preparing);
    let mut report = FindingReport {
        command: "audit",
        ..FindingReport::default()
    };
    let mut loaded = args.inputs.load();
    loaded.require_something_to_analyse();
    report.files_read = loaded.files_read;
    report.files_skipped = loaded.skipped.len();
    let mut diagnostics = loaded.diagnostics;
    let config = match config::load(args.config.as_deref(), &args.inputs.paths) {
        Ok(config) => config,
        Err(problems) => {
            diagnostics.extend(problems);
            Config::default()
        }
    };
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
                config_fail_on: config.fail_on,
                incomplete: false,
            };
        }
    };
    if loaded.input_failed || has_errors(&diagnostics) {
        return AuditOutcome {
            report,
            diagnostics,
            input_failed: true,
            config_fail_on: config.fail_on,
            incomplete: false,
        };
    }
    let incomplete = !loaded.inventory.unreadable().is_empty();
    report.unread = loaded
        .inventory
        .unreadable()
        .iter()
        .map(|unread| {
            format!(
                "{} (`{}` failed: {})",
                unread.item.describe(),
                unread.call,
                unread.error
            )
        })
        .collect();
    diagnostics.extend(loaded.inventory.unreadable().iter().map(|unread| {
        Diagnostic::warning(
            "snapshot-incomplete",
            format!("the snapshot is incomplete: {}", unread.item.describe()),
        )
        .at(
            &unread.loc,
            format!("`{}` failed: {}", unread.call, unread.error),
        )
        .with_help(
            "grant the collector the read access docs/collect.md lists and collect again; \
             until then questions this part could change answer `unknown`, and the audit \
             does not pass",
        )
    }));
    let audit = Audit::new(&loaded.inventory, args.timeout_ms);
    report.ignored = config
        .ignores
        .iter()
        .map(|i| Ignored {
            check: i.check,
            pattern: i.pattern.clone(),
            reason: i.reason.clone(),
            fingerprints: Vec::new(),
        })
        .collect();
    progress(Progress::Checking {
        checks: CATALOGUE.len(),
    });
    let threads = match args.threads {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    };
    let findings = run_all_with(&audit, threads, &|info| {
        progress(Progress::CheckDone { id: info.id })
    });
    for mut finding in findings {
        if let Some(severity) = config.severity(finding.diagnostic.code) {
            finding.diagnostic.severity = severity;
        }
        if let Some(index) = config.ignore_for(&finding.diagnostic, finding.witness.as_ref()) {
            report.ignored[index]
                .fingerprints
                .push(fingerprint(&finding.diagnostic));
            continue;
        }
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
        config_fail_on: config.fail_on,
        incomplete,
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
