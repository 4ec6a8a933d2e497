//! Rendering reports: human (miette graphics), JSON and SARIF.
//!
//! Commands hand over plain data — a [`FindingReport`], the engines'
//! [`crate::reach::QueryReport`] and [`crate::explain::ExplainReport`]; each format lives in
//! its own file behind the same small interface, and returns text — the
//! library never prints.

pub mod explain;
pub mod graph;
pub mod human;
pub mod json;
pub mod principals;
pub mod query;
pub mod sarif;

use serde::Serialize;

use crate::checks::{Evidence, Witness};
use crate::diagnostic::{Diagnostic, RenderedLocation, Severity};

/// A report as a JSON document with a format version beside its own
/// fields (`explain`, `query`: docs/cli.md, "Output").
pub fn versioned_json<T: Serialize>(report: &T) -> String {
    #[derive(Serialize)]
    struct Document<'a, T> {
        version: u32,
        #[serde(flatten)]
        report: &'a T,
    }
    // Reports are plain strings, numbers and locations: serialising them
    // cannot fail.
    let mut text = serde_json::to_string_pretty(&Document { version: 1, report })
        .expect("plain data serialises");
    text.push('\n');
    text
}

/// What `lint`, `audit`, `diff` and `check` report: findings plus a summary.
#[derive(Clone, Debug, Default)]
pub struct FindingReport {
    /// The command that produced the report (`lint`, `audit`, …).
    pub command: &'static str,
    pub findings: Vec<Diagnostic>,
    /// What each finding rests on, in the order of `findings` (audit), or
    /// empty (lint).
    pub details: Vec<FindingDetail>,
    /// Findings left out because a `--baseline` holds them.
    pub baselined: usize,
    /// Findings left out by `poolscope.toml`'s `[[ignore]]` entries, one
    /// group per entry (audit).
    pub ignored: Vec<Ignored>,
    /// Files read, for the summary.
    pub files_read: usize,
    /// Files passed over because they are of no kind the command reads.
    pub files_skipped: usize,
    /// `check`: every assertion of the spec with its outcome, held ones
    /// included (the findings hold only violated and unknown ones).
    pub assertions: Vec<AssertionLine>,
    /// `diff`: what changed between the versions, counted.
    pub diff: Option<DiffCounts>,
    /// `audit` of a snapshot: the parts of the account it could not read
    /// (`snapshot-incomplete`), described.
    pub unread: Vec<String>,
}

/// `diff`: access gained and lost, questions left undecided, routes that
/// appeared or disappeared, and how many questions were asked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DiffCounts {
    pub new_access: usize,
    pub removed_access: usize,
    pub undecided: usize,
    pub routes_added: usize,
    pub routes_removed: usize,
    pub questions: usize,
}

/// One assertion of a `check` spec and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AssertionLine {
    pub name: String,
    /// `never`, `possible` or `always`.
    pub expect: String,
    /// The engine's verdict (`possible`, `impossible`, `always`, `unknown`).
    pub verdict: String,
    /// `held`, `violated` or `unknown`.
    pub status: String,
}

/// `check`: how many assertions held, were violated, or were not decided.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AssertionCounts {
    pub held: usize,
    pub violated: usize,
    pub unknown: usize,
}

/// The findings one `[[ignore]]` entry of `poolscope.toml` left out.
#[derive(Clone, Debug, Serialize)]
pub struct Ignored {
    pub check: &'static str,
    #[serde(rename = "where")]
    pub pattern: String,
    pub reason: String,
    /// The fingerprints of the findings left out.
    #[serde(rename = "findings")]
    pub fingerprints: Vec<String>,
}

/// A check's witness and evidence for one finding.
#[derive(Clone, Debug)]
pub struct FindingDetail {
    pub witness: Option<Witness>,
    /// What the finding rests on; `None` when nothing was proven (an
    /// assertion of `check` that could not be decided).
    pub evidence: Option<Evidence>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub files_read: usize,
    pub files_skipped: usize,
    #[serde(skip_serializing_if = "is_zero")]
    pub baselined: usize,
    /// `check` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assertions: Option<AssertionCounts>,
    /// `diff` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<DiffCounts>,
    /// `audit` of an incomplete snapshot: what it could not read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unread: Vec<String>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl FindingReport {
    /// The detail of the finding at `index`, when the command gives them.
    pub fn detail(&self, index: usize) -> Option<&FindingDetail> {
        self.details.get(index)
    }

    pub fn summary(&self) -> Summary {
        let count = |s| self.findings.iter().filter(|f| f.severity == s).count();
        Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            notes: count(Severity::Note),
            files_read: self.files_read,
            files_skipped: self.files_skipped,
            baselined: self.baselined,
            assertions: (!self.assertions.is_empty()).then(|| {
                let count = |status: &str| {
                    self.assertions
                        .iter()
                        .filter(|a| a.status == status)
                        .count()
                };
                AssertionCounts {
                    held: count("held"),
                    violated: count("violated"),
                    unknown: count("unknown"),
                }
            }),
            diff: self.diff,
            unread: self.unread.clone(),
        }
    }

    /// Findings in a stable order: by file, then position, then code.
    pub fn sort(&mut self) {
        if self.details.len() == self.findings.len() && !self.details.is_empty() {
            let mut paired: Vec<(Diagnostic, FindingDetail)> = std::mem::take(&mut self.findings)
                .into_iter()
                .zip(std::mem::take(&mut self.details))
                .collect();
            paired.sort_by(|(a, _), (b, _)| order(a, b));
            (self.findings, self.details) = paired.into_iter().unzip();
            return;
        }
        self.findings.sort_by(order);
    }

    /// The most severe finding, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

/// Findings in a stable order: by file, then position, then code.
fn order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    let key = |d: &Diagnostic| {
        d.location()
            .map(|l| (l.path().to_string(), l.span.start))
            .unwrap_or_default()
    };
    key(a)
        .cmp(&key(b))
        .then_with(|| a.code.cmp(b.code))
        .then_with(|| a.message.cmp(&b.message))
}

/// A finding's identity across runs: its code, the file and JSON pointer of
/// its primary location and its message — not line numbers, so it survives
/// unrelated edits (FNV-1a, 64 bits: stable across runs and platforms).
pub fn fingerprint(diagnostic: &Diagnostic) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |text: &str| {
        for byte in text.bytes().chain([0u8]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    feed(diagnostic.code);
    if let Some(loc) = diagnostic.location() {
        feed(&loc.path().replace('\\', "/"));
        feed(loc.pointer.as_ref());
    }
    feed(&diagnostic.message);
    format!("{hash:016x}")
}

/// Every location of a diagnostic, primary first.
pub fn locations(diagnostic: &Diagnostic) -> Vec<RenderedLocation> {
    diagnostic
        .primary
        .iter()
        .chain(diagnostic.related.iter())
        .map(RenderedLocation::new)
        .collect()
}
