//! Diagnostics: what poolscope says about an input, with where it says it.
//!
//! A [`Diagnostic`] is plain data (a stable code, a severity, a message in
//! lower case without a final period, optional help and labelled locations).
//! The library builds them and never prints; `report/` renders them as
//! miette graphics, JSON or SARIF. [`Rendered`] adapts one to
//! [`miette::Diagnostic`].

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::source::{Location, SourceFile};

pub mod codes;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A location with an optional label text shown next to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub loc: Location,
    pub text: Option<String>,
}

impl Label {
    pub fn new(loc: Location, text: impl Into<String>) -> Label {
        Label {
            loc,
            text: Some(text.into()),
        }
    }

    pub fn bare(loc: Location) -> Label {
        Label { loc, text: None }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable identifier, e.g. `json-syntax` or `policy-unknown-action`.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// The place at fault; `None` only for problems with no place (a missing
    /// file named on the command line).
    pub primary: Option<Label>,
    pub related: Vec<Label>,
}

impl Diagnostic {
    pub fn new(code: &'static str, severity: Severity, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            help: None,
            primary: None,
            related: Vec::new(),
        }
    }

    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Error, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Warning, message)
    }

    pub fn note(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Note, message)
    }

    pub fn at(mut self, loc: &Location, label: impl Into<String>) -> Diagnostic {
        self.primary = Some(Label::new(loc.clone(), label));
        self
    }

    pub fn at_bare(mut self, loc: &Location) -> Diagnostic {
        self.primary = Some(Label::bare(loc.clone()));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, loc: &Location, label: impl Into<String>) -> Diagnostic {
        self.related.push(Label::new(loc.clone(), label));
        self
    }

    pub fn location(&self) -> Option<&Location> {
        self.primary.as_ref().map(|l| &l.loc)
    }
}

/// Whether any of the diagnostics is an error (the commands then stop with
/// exit code 2 instead of answering on incomplete inputs).
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = self.location() {
            write!(f, "{loc}: ")?;
        }
        write!(f, "{}: {}", self.severity, self.message)
    }
}

/// A [`Diagnostic`] seen through miette, for the human reporter.
///
/// Labels in the primary file are drawn on its source; labels in other files
/// become related diagnostics of their own.
#[derive(Debug)]
pub struct Rendered {
    diagnostic: Diagnostic,
    file: Option<Arc<SourceFile>>,
    elsewhere: Vec<Rendered>,
}

impl Rendered {
    pub fn new(diagnostic: &Diagnostic) -> Rendered {
        let file = diagnostic.location().map(|loc| loc.file.clone());
        let elsewhere = diagnostic
            .related
            .iter()
            .filter(|label| file.as_ref().is_none_or(|f| f.path != label.loc.file.path))
            .map(|label| {
                let mut related = Diagnostic::note(
                    diagnostic.code,
                    label.text.clone().unwrap_or_else(|| "related".into()),
                );
                related.primary = Some(Label::bare(label.loc.clone()));
                Rendered::new(&related)
            })
            .collect();
        Rendered {
            diagnostic: diagnostic.clone(),
            file,
            elsewhere,
        }
    }
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h.as_str()) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.file.as_deref().map(|f| f as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let file = self.file.as_ref()?;
        let primary = self.diagnostic.primary.iter().map(|label| {
            miette::LabeledSpan::new_primary_with_span(label.text.clone(), label.loc.span)
        });
        let related = self
            .diagnostic
            .related
            .iter()
            .filter(move |label| label.loc.file.path == file.path)
            .map(|label| miette::LabeledSpan::new_with_span(label.text.clone(), label.loc.span));
        Some(Box::new(primary.chain(related)))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.elsewhere.is_empty() {
            return None;
        }
        Some(Box::new(
            self.elsewhere.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
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
    pub fn new(label: &Label) -> RenderedLocation {
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

/// Two results that may each fail: both values, or every problem of both,
/// so a user sees all that is wrong with a question in one run.
pub fn both<A, B>(
    a: Result<A, Vec<Diagnostic>>,
    b: Result<B, Diagnostic>,
) -> Result<(A, B), Vec<Diagnostic>> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (a, b) => {
            let mut errors = a.err().unwrap_or_default();
            errors.extend(b.err());
            Err(errors)
        }
    }
}

/// The edit distance suggestions use: optimal string alignment (insertions,
/// deletions, substitutions and swaps of neighbours, so `GetObjcet` is one
/// edit from `GetObject`), ignoring ASCII case.
pub fn edit_distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(&a.to_ascii_lowercase(), &b.to_ascii_lowercase())
}

/// The candidate nearest to `wanted` by [`edit_distance`], if at most
/// `limit` edits away; ties go to the first candidate.
pub fn nearest<'a, T: ?Sized>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a T>,
    name: impl Fn(&T) -> &str,
    limit: usize,
) -> Option<&'a T> {
    let length = wanted.chars().count();
    let mut best: Option<(usize, &'a T)> = None;
    for candidate in candidates {
        let text = name(candidate);
        // The length difference is a lower bound of the distance: most
        // candidates are ruled out before the full computation.
        if text.chars().count().abs_diff(length) > limit {
            continue;
        }
        let distance = edit_distance(wanted, text);
        if distance <= limit && best.is_none_or(|(known, _)| distance < known) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// The closest candidate to `word` when it is close enough to be a
/// plausible typo (a third of its length, at least two edits), for "did you
/// mean".
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    nearest(word, candidates, |c| c, limit)
}

#[cfg(test)]
mod suggestion_tests {
    use super::*;

    #[test]
    fn edit_distance_counts_typos_and_swaps() {
        let cases = [
            ("getobjekt", "GetObject", 1),
            ("getojbect", "GetObject", 1),
            ("getobjec", "GetObject", 1),
            ("", "abc", 3),
            ("abc", "", 3),
            ("kitten", "sitting", 3),
        ];
        for (a, b, distance) in cases {
            assert_eq!(edit_distance(a, b), distance, "{a} {b}");
        }
    }

    #[test]
    fn suggestions_are_near_misses_only() {
        let names = ["Effect", "Action", "Resource"];
        assert_eq!(did_you_mean("effect", names), Some("Effect"));
        assert_eq!(did_you_mean("Resources", names), Some("Resource"));
        assert_eq!(did_you_mean("Frobnicate", names), None);
        assert_eq!(nearest("acton", names, |n| n, 1), Some("Action"));
    }
}
