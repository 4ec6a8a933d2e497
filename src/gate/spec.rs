//! The spec file of `poolscope check` (docs/cli.md, "Spec file (`check`)"):
//! a TOML document of `[[assert]]` tables, each one reachability question
//! with the verdict it must have.
//!
//! Every field keeps its byte range in the spec (the `toml` crate's
//! `Spanned`), so that a malformed assertion, and later its verdict, is a
//! diagnostic drawn on the spec itself. Unknown fields are errors
//! (`deny_unknown_fields`): a typo'd `expcet` must not turn an assertion
//! into one that is never checked.

use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Diagnostic;
use crate::query::QuestionText;
use crate::source::{Location, SourceFile, Span};

/// The fields of one `[[assert]]` table, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAssertion {
    name: Spanned<String>,
    #[serde(rename = "as")]
    principal: Spanned<String>,
    action: Spanned<String>,
    resource: Spanned<String>,
    #[serde(default)]
    claim: Vec<Spanned<String>>,
    #[serde(default)]
    context: Vec<Spanned<String>>,
    expect: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    #[serde(default, rename = "assert")]
    assertions: Vec<Spanned<RawAssertion>>,
}

/// One assertion of the spec: the question, the expectation as written,
/// and where each field is.
#[derive(Clone, Debug)]
pub struct Assertion {
    /// 0-based position in the spec.
    pub index: usize,
    pub name: String,
    pub question: QuestionText,
    /// `never`, `possible` or `always`, as written (read with the question).
    pub expect: String,
    pub at: AssertionLocations,
}

/// Where the fields of one assertion are in the spec.
#[derive(Clone, Debug)]
pub struct AssertionLocations {
    /// The whole `[[assert]]` table.
    pub table: Location,
    pub name: Location,
    pub principal: Location,
    pub action: Location,
    pub resource: Location,
    /// One per `claim` entry, in order.
    pub claims: Vec<Location>,
    /// One per `context` entry, in order.
    pub context: Vec<Location>,
    pub expect: Location,
}

/// A spec file read.
#[derive(Clone, Debug)]
pub struct Spec {
    pub file: Arc<SourceFile>,
    pub assertions: Vec<Assertion>,
}

/// Reads the spec at `path`; an unreadable or malformed spec is an error
/// (exit 2), with a span into the spec where there is one.
pub fn read_spec(path: &Path) -> Result<Spec, Vec<Diagnostic>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![
            Diagnostic::error(
                "spec-unreadable",
                format!("cannot read spec `{}`: {e}", path.display()),
            )
            .with_help("give `--spec` a TOML file of `[[assert]]` tables (docs/cli.md)"),
        ]
    })?;
    parse_spec(SourceFile::new(path.display().to_string(), text))
}

/// Reads a spec from its text.
pub fn parse_spec(file: Arc<SourceFile>) -> Result<Spec, Vec<Diagnostic>> {
    let raw: RawSpec = toml::from_str(&file.text).map_err(|e| {
        let span = e
            .span()
            .map(|r| Span::new(r.start, r.end))
            .unwrap_or_else(|| Span::new(0, 0));
        let mut message = e.message().trim().to_string();
        if message.is_empty() {
            message = "not a valid spec".to_string();
        }
        vec![
            Diagnostic::error("spec-malformed", format!("malformed spec: {message}"))
                .at(&Location::new(file.clone(), span, ""), "here")
                .with_help(
                    "each `[[assert]]` takes `name`, `as`, `action`, `resource`, `expect` \
                     and optionally `claim` and `context` (arrays of `KEY=VALUE`)",
                ),
        ]
    })?;
    if raw.assertions.is_empty() {
        return Err(vec![
            Diagnostic::error("spec-empty", "the spec holds no `[[assert]]` table")
                .at(
                    &Location::new(file.clone(), Span::new(0, file.text.len()), ""),
                    "no assertion here",
                )
                .with_help(
                    "a spec that asserts nothing would pass every change; add `[[assert]]` tables",
                ),
        ]);
    }
    let mut errors = Vec::new();
    let mut seen: Vec<(String, Location)> = Vec::new();
    let mut assertions = Vec::new();
    for (index, table) in raw.assertions.into_iter().enumerate() {
        let base = format!("/assert/{index}");
        let loc = |span: std::ops::Range<usize>, field: &str| {
            Location::new(
                file.clone(),
                Span::new(span.start, span.end),
                format!("{base}{field}"),
            )
        };
        let table_loc = loc(table.span(), "");
        let raw = table.into_inner();
        let at = AssertionLocations {
            table: table_loc,
            name: loc(raw.name.span(), "/name"),
            principal: loc(raw.principal.span(), "/as"),
            action: loc(raw.action.span(), "/action"),
            resource: loc(raw.resource.span(), "/resource"),
            claims: raw
                .claim
                .iter()
                .enumerate()
                .map(|(i, c)| loc(c.span(), &format!("/claim/{i}")))
                .collect(),
            context: raw
                .context
                .iter()
                .enumerate()
                .map(|(i, c)| loc(c.span(), &format!("/context/{i}")))
                .collect(),
            expect: loc(raw.expect.span(), "/expect"),
        };
        let name = raw.name.into_inner();
        if name.trim().is_empty() {
            errors.push(
                Diagnostic::error("spec-malformed", "an assertion has an empty name")
                    .at(&at.name, "empty")
                    .with_help("name every assertion: the reports refer to it by name"),
            );
        }
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
            errors.push(
                Diagnostic::error(
                    "spec-duplicate-name",
                    format!("two assertions are named `{name}`"),
                )
                .at(&at.name, "named again here")
                .with_related(first, "first here")
                .with_help("give each assertion its own name: reports refer to it by name"),
            );
        } else {
            seen.push((name.clone(), at.name.clone()));
        }
        assertions.push(Assertion {
            index,
            name,
            question: QuestionText {
                principal: raw.principal.into_inner(),
                action: raw.action.into_inner(),
                resource: raw.resource.into_inner(),
                claims: raw.claim.into_iter().map(Spanned::into_inner).collect(),
                context: raw.context.into_iter().map(Spanned::into_inner).collect(),
                leniency: Default::default(),
            },
            expect: raw.expect.into_inner(),
            at,
        });
    }
    if errors.is_empty() {
        Ok(Spec { file, assertions })
    } else {
        Err(errors)
    }
}

impl Assertion {
    /// Points a problem with this assertion's question (a `query-*`
    /// diagnostic of [`crate::query`] or [`crate::reach::understood`]) at
    /// the field of the spec it is about. A diagnostic that already points
    /// into the inputs keeps that place and gets the spec field as related.
    pub fn locate(&self, mut diagnostic: Diagnostic) -> Diagnostic {
        let at = &self.at;
        let in_list = |entries: &[String], locs: &[Location]| -> Option<Location> {
            // The entry the message quotes, by its key; else the first.
            let quoted = entries.iter().position(|entry| {
                let key = entry.split('=').next().unwrap_or(entry);
                let key = key.strip_suffix('+').unwrap_or(key);
                !key.is_empty()
                    && (diagnostic.message.contains(&format!("`{entry}`"))
                        || diagnostic.message.contains(&format!("`{key}`")))
            });
            locs.get(quoted.unwrap_or(0)).cloned()
        };
        let resource_mentions_placeholder =
            self.question.resource.contains('{') || self.question.context.is_empty();
        let field: Option<(Location, &str)> = match diagnostic.code {
            "query-bad-principal"
            | "query-unknown-pool"
            | "query-unknown-provider"
            | "query-unknown-role" => Some((at.principal.clone(), "this principal")),
            "query-bad-action" | "query-unknown-action" => Some((at.action.clone(), "this action")),
            "query-bad-resource" | "query-resource-type" => {
                Some((at.resource.clone(), "this resource"))
            }
            "query-bad-placeholder" if resource_mentions_placeholder => {
                Some((at.resource.clone(), "this resource"))
            }
            "query-bad-claim" | "query-unknown-claim" => {
                in_list(&self.question.claims, &at.claims).map(|l| (l, "this claim"))
            }
            "query-bad-placeholder"
            | "query-bad-context"
            | "query-unknown-context-key"
            | "query-context-mixed"
            | "query-context-single-valued" => {
                in_list(&self.question.context, &at.context).map(|l| (l, "this context key"))
            }
            "query-bad-expectation" => Some((at.expect.clone(), "this expectation")),
            _ => None,
        };
        let (loc, label) = field.unwrap_or_else(|| (at.table.clone(), "this assertion"));
        diagnostic.message = format!("assertion `{}`: {}", self.name, diagnostic.message);
        if diagnostic.primary.is_none() {
            diagnostic.at(&loc, label)
        } else {
            diagnostic.with_related(&loc, label)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> Result<Spec, Vec<Diagnostic>> {
        parse_spec(SourceFile::new("spec.toml", text))
    }

    #[test]
    fn fields_keep_their_spans() {
        let text = "[[assert]]\nname = \"n\"\nas = \"guest\"\naction = \"s3:GetObject\"\n\
                    resource = \"*\"\nclaim = [\"a=b\"]\nexpect = \"never\"\n";
        let spec = spec(text).expect("valid");
        let a = &spec.assertions[0];
        assert_eq!(a.at.principal.snippet(), "\"guest\"");
        assert_eq!(a.at.claims[0].snippet(), "\"a=b\"");
        assert_eq!(a.at.expect.pointer.as_ref(), "/assert/0/expect");
        assert_eq!(a.question.claims, vec!["a=b".to_string()]);
    }

    #[test]
    fn unknown_fields_missing_fields_and_empty_specs_are_errors() {
        let typo = spec("[[assert]]\nname = \"n\"\nas = \"guest\"\naction = \"s3:GetObject\"\nresource = \"*\"\nexpcet = \"never\"\n")
            .expect_err("unknown field");
        assert_eq!(typo[0].code, "spec-malformed");
        assert!(
            typo[0]
                .location()
                .is_some_and(|l| l.snippet().contains("expcet"))
        );
        assert_eq!(spec("").expect_err("empty")[0].code, "spec-empty");
        let dup = spec("[[assert]]\nname = \"n\"\nas = \"guest\"\naction = \"s3:GetObject\"\nresource = \"*\"\nexpect = \"never\"\n[[assert]]\nname = \"n\"\nas = \"guest\"\naction = \"s3:GetObject\"\nresource = \"*\"\nexpect = \"never\"\n")
            .expect_err("duplicate");
        assert_eq!(dup[0].code, "spec-duplicate-name");
    }
}
