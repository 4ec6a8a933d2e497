//! Rendering reports: human (miette graphics), JSON and SARIF.
//!
//! Commands hand over a [`FindingReport`] (plain data); each format lives in
//! its own file behind the same small interface, and returns text — the
//! library never prints.

pub mod explain;
pub mod graph;
pub mod human;
pub mod json;
pub mod query;
pub mod sarif;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};

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

/// A location as written to JSON and SARIF: resolved to 1-based line and
/// column only here, when rendering.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RenderedLocation {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub pointer: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl RenderedLocation {
    pub fn new(label: &crate::diagnostic::Label) -> RenderedLocation {
        let loc = &label.loc;
        let (line, column) = loc.line_col();
        let (end_line, end_column) = loc.file.line_col(loc.span.end);
        RenderedLocation {
            file: loc.path().to_string(),
            line,
            column,
            end_line,
            end_column,
            pointer: loc.pointer.to_string(),
            label: label.text.clone(),
        }
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
