//! Input files, locations and span-aware reading.
//!
//! Every file poolscope reads is kept whole in a [`SourceFile`]; every value
//! read from it carries a [`Location`] (byte span plus JSON pointer), so any
//! later diagnostic, finding or witness can point at the exact statement,
//! condition, rule or trust element. Locations render through miette because
//! [`SourceFile`] implements [`miette::SourceCode`].
//!
//! Hands on: [`value::Value`] trees (from [`json::parse`], and later YAML) to
//! the policy parser and the ingesters.

pub mod fields;
pub mod files;
pub mod json;
pub mod value;
pub mod yaml;

use std::fmt;
use std::sync::{Arc, OnceLock};

pub use value::{Kind, Member, Value};

/// One input file, kept with its full text.
pub struct SourceFile {
    /// The path as the user gave it (or a label such as `<stdin>`).
    pub path: String,
    pub text: String,
    /// Byte offsets where lines start, computed on the first `line_col`:
    /// reports resolve thousands of locations in multi-megabyte snapshots,
    /// and a scan from the start of the file for each was quadratic.
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Arc<SourceFile> {
        Arc::new(SourceFile {
            path: path.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(
                    self.text
                        .bytes()
                        .enumerate()
                        .filter(|(_, b)| *b == b'\n')
                        .map(|(i, _)| i + 1),
                )
                .collect()
        });
        // The last line start at or before the offset.
        let line = starts.partition_point(|&start| start <= offset);
        let line_start = starts[line - 1];
        let column = self.text[line_start..offset].chars().count() + 1;
        (line, column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SourceFile")
            .field("path", &self.path)
            .field("len", &self.text.len())
            .finish()
    }
}

impl miette::SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let contents = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.path.clone(),
            contents.data(),
            *contents.span(),
            contents.line(),
            contents.column(),
            contents.line_count(),
        )))
    }
}

/// A byte range in a source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> miette::SourceSpan {
        (span.start, span.len()).into()
    }
}

/// Where a value came from: file, byte span and JSON pointer.
///
/// The pointer is the logical location (stable across reformatting, used in
/// json/sarif output); the span is resolved to line and column only when a
/// report is rendered. Two locations are equal when they name the same file
/// path and span.
#[derive(Clone)]
pub struct Location {
    pub file: Arc<SourceFile>,
    pub span: Span,
    /// RFC 6901 JSON pointer of the value inside its file (`""` is the root).
    pub pointer: Arc<str>,
}

impl Location {
    pub fn new(file: Arc<SourceFile>, span: Span, pointer: impl Into<Arc<str>>) -> Location {
        Location {
            file,
            span,
            pointer: pointer.into(),
        }
    }

    /// A location for values that were not read from a file (built-in data,
    /// command-line arguments).
    pub fn synthetic(label: &str, text: &str) -> Location {
        let file = SourceFile::new(label, text);
        let span = Span::new(0, text.len());
        Location::new(file, span, "")
    }

    pub fn path(&self) -> &str {
        &self.file.path
    }

    /// 1-based line and column of the start of the span.
    pub fn line_col(&self) -> (usize, usize) {
        self.file.line_col(self.span.start)
    }

    /// The source text the span covers.
    pub fn snippet(&self) -> &str {
        self.file
            .text
            .get(self.span.start..self.span.end)
            .unwrap_or("")
    }
}

impl PartialEq for Location {
    fn eq(&self, other: &Location) -> bool {
        self.file.path == other.file.path && self.span == other.span
    }
}

impl Eq for Location {}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (line, column) = self.line_col();
        write!(f, "{}:{}:{}", self.file.path, line, column)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/`.
pub fn pointer_push(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// A value with the place it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub loc: Location,
}

impl<T> Spanned<T> {
    pub fn new(value: T, loc: Location) -> Spanned<T> {
        Spanned { value, loc }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let file = SourceFile::new("a.json", "{\n  \"é\": 1\n}");
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(4), (2, 3));
        // byte 9 is after the two-byte `é` and the closing quote and colon
        assert_eq!(file.line_col(9), (2, 7));
    }

    proptest::proptest! {
        // The indexed lookup agrees with counting from the start of the file.
        #[test]
        fn line_col_agrees_with_a_scan(text in "[a-c\\né\\r]{0,40}", offset in 0usize..50) {
            let file = SourceFile::new("p.json", text.clone());
            let offset = floor_char_boundary(&text, offset.min(text.len()));
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let start = before.rfind('\n').map_or(0, |i| i + 1);
            let column = before[start..].chars().count() + 1;
            proptest::prop_assert_eq!(file.line_col(offset), (line, column));
        }
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(pointer_push("", "a/b~c"), "/a~1b~0c");
        assert_eq!(pointer_push("/Statement", "0"), "/Statement/0");
    }
}
