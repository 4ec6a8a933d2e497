//! The library side of each command: takes parsed arguments, returns plain
//! report data and an [`ExitStatus`]. main.rs renders and exits.

/// The exit codes of docs/cli.md, "Exit codes".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Ran; nothing at or above the failure threshold.
    Clean = 0,
    /// Findings at or above the threshold, or a failed expectation.
    Findings = 1,
    /// Usage error, or input that cannot be read or parsed.
    BadInput = 2,
    /// A verdict that mattered was `unknown`.
    Inconclusive = 3,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// The exit status of a report of findings (`lint`, `audit`): 2 when an
/// input could not be read, 1 when a finding is at or above `fail_on`
/// (`None`: never fail on findings), else 0.
pub fn findings_status(
    input_failed: bool,
    report: &crate::report::FindingReport,
    fail_on: Option<crate::diagnostic::Severity>,
) -> ExitStatus {
    if input_failed {
        return ExitStatus::BadInput;
    }
    match (fail_on, report.worst()) {
        (Some(threshold), Some(worst)) if worst >= threshold => ExitStatus::Findings,
        _ => ExitStatus::Clean,
    }
}
pub mod audit;
pub mod check;
pub mod collect;
pub mod config;
pub mod diff;
pub mod explain;
pub mod graph;
pub mod lint;
pub mod principals;
pub mod query;
