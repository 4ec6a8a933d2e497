//! Slicing: which statements of the policies the evaluator considers for
//! the caller ([`crate::eval::PolicySet::considered`]) can apply at all.
//!
//! Action and principal are concrete, so they are decided here in Rust; a
//! `Resource` is kept only when one of its entries can overlap the
//! question's resource pattern. Only the statements kept are encoded.

use std::collections::BTreeSet;

use crate::eval::principal_applies;
use crate::policy::pattern::action_matches;
use crate::policy::{Statement, Template, TemplatePart};
use crate::query::{PatternPart, ResourcePattern};

use super::Compiler;

impl Compiler<'_, '_> {
    /// Whether the statement can apply at all: action and principal are
    /// concrete; a Resource must overlap the question's resource.
    pub(super) fn may_apply(&self, statement: &Statement) -> bool {
        let action = &statement.action;
        let matched = action
            .patterns
            .iter()
            .any(|p| action_matches(&p.value, &self.problem.action));
        if matched == action.negated {
            return false;
        }
        if let Some(element) = &statement.principal
            && principal_applies(element, &self.caller, statement.effect.value).is_none()
        {
            return false;
        }
        match &statement.resource {
            Some(element) if !element.negated => element
                .patterns
                .iter()
                .any(|p| may_overlap(&p.value, &self.problem.resource)),
            _ => true,
        }
    }
}

/// One token of a glob for the overlap test.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tok {
    Ch(char),
    One,
    Any,
}

fn tokens_of_template(template: &Template) -> Vec<Tok> {
    let mut out = Vec::new();
    for part in &template.parts {
        match part {
            TemplatePart::Literal(text) => out.extend(text.chars().map(|c| match c {
                '*' => Tok::Any,
                '?' => Tok::One,
                c => Tok::Ch(c),
            })),
            TemplatePart::Variable { .. } => out.push(Tok::Any),
        }
    }
    out
}

fn tokens_of_pattern(pattern: &ResourcePattern) -> Vec<Tok> {
    let mut out = Vec::new();
    for part in &pattern.parts {
        match part {
            PatternPart::Text(text) => out.extend(text.chars().map(|c| match c {
                '*' => Tok::Any,
                '?' => Tok::One,
                c => Tok::Ch(c),
            })),
            PatternPart::Id(_) => out.push(Tok::Any),
        }
    }
    out
}

/// Whether a Resource entry can match some resource of the question's
/// pattern: the two globs (variables and placeholders read as `*`, `*`
/// spanning everything) have a common string. An over-approximation of
/// ARN matching, so dropping a statement on `false` is safe.
pub(super) fn may_overlap(template: &Template, pattern: &ResourcePattern) -> bool {
    let a = tokens_of_template(template);
    if a == [Tok::Any] {
        return true;
    }
    let b = tokens_of_pattern(pattern);
    let mut seen = BTreeSet::new();
    let mut stack = vec![(0usize, 0usize)];
    while let Some((i, j)) = stack.pop() {
        if !seen.insert((i, j)) {
            continue;
        }
        if i == a.len() && j == b.len() {
            return true;
        }
        if a.get(i) == Some(&Tok::Any) {
            stack.push((i + 1, j));
        }
        if b.get(j) == Some(&Tok::Any) {
            stack.push((i, j + 1));
        }
        if let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
            let common = match (x, y) {
                (Tok::Ch(p), Tok::Ch(q)) => p == q,
                _ => true,
            };
            if common {
                let ni = if *x == Tok::Any { i } else { i + 1 };
                let nj = if *y == Tok::Any { j } else { j + 1 };
                if (ni, nj) != (i, j) {
                    stack.push((ni, nj));
                }
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(text: &str) -> Template {
        Template::parse(text, true)
    }

    fn pattern(text: &str) -> ResourcePattern {
        ResourcePattern::parse(text).expect("valid pattern")
    }

    // Slicing must never drop a statement that can apply: IAM User Guide,
    // "IAM JSON policy elements: Resource" (wildcards, policy variables).
    #[test]
    fn overlap_is_decided_on_globs_with_placeholders_as_wildcards() {
        let cases = [
            (
                "arn:aws:s3:::b/private/${cognito-identity.amazonaws.com:sub}/*",
                "arn:aws:s3:::b/private/{other}/*",
                true,
            ),
            (
                "arn:aws:s3:::b/public/*",
                "arn:aws:s3:::b/private/{other}/*",
                false,
            ),
            (
                "arn:aws:s3:::b/protected/*",
                "arn:aws:s3:::b/protected/{other}/*",
                true,
            ),
            ("*", "arn:aws:s3:::b/x", true),
            ("arn:aws:s3:::b", "arn:aws:s3:::b/x", false),
            ("arn:aws:s3:::b?", "arn:aws:s3:::bc", true),
            ("arn:aws:s3:::b?", "arn:aws:s3:::b", false),
            (
                "arn:aws:dynamodb:*:*:table/Notes",
                "arn:aws:dynamodb:us-east-1:1:table/Notes",
                true,
            ),
            (
                "arn:aws:dynamodb:*:*:table/Notes",
                "arn:aws:dynamodb:us-east-1:1:table/Other",
                false,
            ),
        ];
        for (t, p, expected) in cases {
            assert_eq!(
                may_overlap(&template(t), &pattern(p)),
                expected,
                "{t} vs {p}"
            );
        }
    }
}
