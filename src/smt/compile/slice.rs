//! Slicing: which statements of the policies the evaluator considers for
//! the caller ([`crate::eval::PolicySet::considered`]) can apply at all.
//!
//! Action and principal are concrete, so they are decided here in Rust; a
//! `Resource` is kept only when one of its entries can overlap the
//! question's resource pattern. Only the statements kept are encoded.

use crate::eval::principal_applies;
use crate::policy::pattern::{GlobToken, action_matches, glob_tokens, token_globs_intersect};
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

/// A Resource entry as a glob: variables read as `*`.
fn tokens_of_template(template: &Template) -> Vec<GlobToken> {
    let mut out = Vec::new();
    for part in &template.parts {
        match part {
            TemplatePart::Literal(text) => out.extend(glob_tokens(text)),
            TemplatePart::Variable { .. } => out.push(GlobToken::Any),
        }
    }
    out
}

/// The question's resource pattern as a glob: placeholders read as `*`.
fn tokens_of_pattern(pattern: &ResourcePattern) -> Vec<GlobToken> {
    let mut out = Vec::new();
    for part in &pattern.parts {
        match part {
            PatternPart::Text(text) => out.extend(glob_tokens(text)),
            PatternPart::Id(_) => out.push(GlobToken::Any),
        }
    }
    out
}

/// Whether a Resource entry can match some resource of the question's
/// pattern: the two globs (variables and placeholders read as `*`, `*`
/// spanning everything) have a common string. An over-approximation of
/// ARN matching, so dropping a statement on `false` is safe.
pub(super) fn may_overlap(template: &Template, pattern: &ResourcePattern) -> bool {
    token_globs_intersect(&tokens_of_template(template), &tokens_of_pattern(pattern))
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
