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
    /// Files read, for the summary.
    pub files_read: usize,
    /// Files passed over because they are of no kind the command reads.
    pub files_skipped: usize,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub files_read: usize,
    pub files_skipped: usize,
}

impl FindingReport {
    pub fn summary(&self) -> Summary {
        let count = |s| self.findings.iter().filter(|f| f.severity == s).count();
        Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            notes: count(Severity::Note),
            files_read: self.files_read,
            files_skipped: self.files_skipped,
        }
    }

    /// Findings in a stable order: by file, then position, then code.
    pub fn sort(&mut self) {
        self.findings.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                d.location()
                    .map(|l| (l.path().to_string(), l.span.start))
                    .unwrap_or_default()
            };
            key(a)
                .cmp(&key(b))
                .then_with(|| a.code.cmp(b.code))
                .then_with(|| a.message.cmp(&b.message))
        });
    }

    /// The most severe finding, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
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
