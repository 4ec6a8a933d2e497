//! One reachability question: principal, action, resource pattern with
//! placeholders, claims, pinned context keys and the expectation.

use std::collections::BTreeMap;

use super::PrincipalSelector;
use crate::diagnostic::Diagnostic;

/// Which identity id a placeholder stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdSlot {
    /// `{self}`: the requesting identity's own id.
    Own,
    /// `{other}`: the id of a different identity of the same pool.
    Other,
}

/// A piece of a resource pattern or context value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PatternPart {
    /// Text with IAM wildcards (`*`, `?`) meaning "any" for the asker.
    Text(String),
    Id(IdSlot),
}

/// An ARN pattern (or context value) with `{self}` / `{other}` placeholders.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct ResourcePattern {
    pub parts: Vec<PatternPart>,
}

impl ResourcePattern {
    pub fn parse(text: &str) -> Result<ResourcePattern, Diagnostic> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let Some(len) = rest[open..].find('}') else {
                return Err(Diagnostic::error(
                    "query-bad-placeholder",
                    format!("unclosed `{{` in `{text}`"),
                )
                .with_help("the placeholders are `{self}` and `{other}`"));
            };
            let name = &rest[open + 1..open + len];
            let slot = match name {
                "self" => IdSlot::Own,
                "other" => IdSlot::Other,
                _ => {
                    return Err(Diagnostic::error(
                        "query-bad-placeholder",
                        format!("unknown placeholder `{{{name}}}` in `{text}`"),
                    )
                    .with_help("the placeholders are `{self}` and `{other}`"));
                }
            };
            if open > 0 {
                parts.push(PatternPart::Text(rest[..open].to_string()));
            }
            parts.push(PatternPart::Id(slot));
            rest = &rest[open + len + 1..];
        }
        if !rest.is_empty() {
            parts.push(PatternPart::Text(rest.to_string()));
        }
        Ok(ResourcePattern { parts })
    }

    pub fn slots(&self) -> impl Iterator<Item = IdSlot> + '_ {
        self.parts.iter().filter_map(|p| match p {
            PatternPart::Id(slot) => Some(*slot),
            PatternPart::Text(_) => None,
        })
    }

    /// The text with placeholders filled in (wildcards left as they are).
    pub fn fill(&self, own: &str, other: &str) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                PatternPart::Text(t) => t.as_str(),
                PatternPart::Id(IdSlot::Own) => own,
                PatternPart::Id(IdSlot::Other) => other,
            })
            .collect()
    }
}

impl std::fmt::Display for ResourcePattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for part in &self.parts {
            match part {
                PatternPart::Text(t) => f.write_str(t)?,
                PatternPart::Id(IdSlot::Own) => f.write_str("{self}")?,
                PatternPart::Id(IdSlot::Other) => f.write_str("{other}")?,
            }
        }
        Ok(())
    }
}

/// What the question says about one context key.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ContextPin {
    /// `KEY=VALUE` (repeatable): the key has exactly these values.
    pub exactly: Vec<ResourcePattern>,
    /// `KEY+=VALUE`: the key's values include these; the rest is free.
    pub includes: Vec<ResourcePattern>,
}

/// The two opt-outs of the fail-closed rules; each turns its errors into
/// warnings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Leniency {
    /// `--allow-unknown-actions`: actions newer than the catalogue.
    pub unknown_actions: bool,
    /// `--allow-unknown-keys`: claim and context keys nothing names.
    pub unknown_keys: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expectation {
    /// Some matching request is allowed.
    Possible,
    /// No matching request is allowed.
    Never,
    /// Every matching request is allowed.
    Always,
}

impl Expectation {
    pub fn parse(text: &str) -> Option<Expectation> {
        match text {
            "possible" => Some(Expectation::Possible),
            "never" => Some(Expectation::Never),
            "always" => Some(Expectation::Always),
            _ => None,
        }
    }
}

/// A question as the command line spells it, before it is read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QuestionText {
    pub principal: String,
    pub action: String,
    pub resource: String,
    pub claims: Vec<String>,
    pub context: Vec<String>,
    /// The fail-closed opt-outs.
    pub leniency: Leniency,
}

impl QuestionText {
    /// Reads the question; every problem is reported at once.
    pub fn parse(&self, expect: Option<&str>) -> Result<Question, Vec<Diagnostic>> {
        let question = Question::from_args(
            &self.principal,
            &self.action,
            &self.resource,
            &self.claims,
            &self.context,
            expect,
        )?;
        Ok(Question {
            leniency: self.leniency,
            ..question
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub principal: PrincipalSelector,
    /// An action or action pattern (`s3:GetObject`, `s3:Get*`).
    pub action: String,
    pub resource: ResourcePattern,
    /// Claim constraints on the token (`cognito:groups` → `admin`); a claim
    /// may be given several times (multi-valued claims).
    pub claims: BTreeMap<String, Vec<String>>,
    /// Context keys, by lower-cased key name.
    pub context: BTreeMap<String, ContextPin>,
    pub expect: Option<Expectation>,
    /// The fail-closed opt-outs (`--allow-unknown-actions`,
    /// `--allow-unknown-keys`); strict by default.
    pub leniency: Leniency,
}

impl Question {
    /// Builds a question from command-line strings.
    pub fn from_args(
        principal: &str,
        action: &str,
        resource: &str,
        claims: &[String],
        context: &[String],
        expect: Option<&str>,
    ) -> Result<Question, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let principal = PrincipalSelector::parse(principal).map_err(|e| errors.push(e));
        if !action.contains(':') && action != "*" {
            errors.push(
                Diagnostic::error(
                    "query-bad-action",
                    format!("`{action}` is not an action: expected `service:Action`"),
                )
                .with_help("for example `s3:GetObject` or `dynamodb:Query`"),
            );
        }
        let resource = ResourcePattern::parse(resource).map_err(|e| errors.push(e));
        let mut claim_map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for claim in claims {
            match claim.split_once('=') {
                Some((key, value)) if !key.is_empty() => {
                    claim_map
                        .entry(key.to_string())
                        .or_default()
                        .push(value.to_string());
                }
                _ => errors.push(
                    Diagnostic::error(
                        "query-bad-claim",
                        format!("`{claim}` is not a claim constraint"),
                    )
                    .with_help("write `--claim KEY=VALUE`, e.g. `--claim cognito:groups=admin`"),
                ),
            }
        }
        let mut context_map: BTreeMap<String, ContextPin> = BTreeMap::new();
        for entry in context {
            // The key ends at the first `=`; a `+` just before it makes the
            // pin "includes" (`s3:prefix=a+=b` pins the value `a+=b`).
            let (key, value, includes) = match entry.split_once('=') {
                Some((key, value)) => match key.strip_suffix('+') {
                    Some(key) => (key, value, true),
                    None => (key, value, false),
                },
                None => ("", "", false),
            };
            if key.is_empty() {
                errors.push(
                    Diagnostic::error(
                        "query-bad-context",
                        format!("`{entry}` is not a context constraint"),
                    )
                    .with_help("write `--context KEY=VALUE` or `--context KEY+=VALUE`"),
                );
                continue;
            }
            match ResourcePattern::parse(value) {
                Ok(pattern) => {
                    let pin = context_map.entry(key.to_ascii_lowercase()).or_default();
                    if includes {
                        pin.includes.push(pattern);
                    } else {
                        pin.exactly.push(pattern);
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        let expect = match expect {
            None => None,
            Some(text) => match Expectation::parse(text) {
                Some(e) => Some(e),
                None => {
                    errors.push(
                        Diagnostic::error(
                            "query-bad-expectation",
                            format!("`{text}` is not an expectation"),
                        )
                        .with_help("use possible, never or always"),
                    );
                    None
                }
            },
        };
        match (principal, resource) {
            (Ok(principal), Ok(resource)) if errors.is_empty() => Ok(Question {
                principal,
                action: action.to_string(),
                resource,
                claims: claim_map,
                context: context_map,
                expect,
                leniency: Leniency::default(),
            }),
            _ => Err(errors),
        }
    }

    /// Whether the question mentions `{other}` anywhere.
    pub fn mentions_other(&self) -> bool {
        self.mentions(IdSlot::Other)
    }

    /// Whether the question mentions `{self}` anywhere.
    pub fn mentions_self(&self) -> bool {
        self.mentions(IdSlot::Own)
    }

    fn mentions(&self, slot: IdSlot) -> bool {
        self.resource.slots().any(|s| s == slot)
            || self.context.values().any(|pin| {
                pin.exactly
                    .iter()
                    .chain(&pin.includes)
                    .any(|p| p.slots().any(|s| s == slot))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // docs/cli.md, "Resources and placeholders".
    #[test]
    fn placeholders_split_the_resource() {
        let p = ResourcePattern::parse("arn:aws:s3:::photos/private/{other}/*").expect("valid");
        assert_eq!(
            p.parts,
            vec![
                PatternPart::Text("arn:aws:s3:::photos/private/".into()),
                PatternPart::Id(IdSlot::Other),
                PatternPart::Text("/*".into()),
            ]
        );
        assert_eq!(p.to_string(), "arn:aws:s3:::photos/private/{other}/*");
        assert_eq!(p.fill("a", "b"), "arn:aws:s3:::photos/private/b/*");
        assert!(ResourcePattern::parse("x/{me}/").is_err());
        assert!(ResourcePattern::parse("x/{self").is_err());
    }

    // docs/cli.md, "--context KEY=VALUE" and "KEY+=VALUE".
    #[test]
    fn context_pins_keep_exact_and_included_values() {
        let q = Question::from_args(
            "user",
            "dynamodb:GetItem",
            "arn:aws:dynamodb:us-east-1:111122223333:table/Notes",
            &["cognito:groups=admin".into()],
            &[
                "dynamodb:LeadingKeys+={other}".into(),
                "s3:prefix=private/{self}/".into(),
            ],
            Some("never"),
        )
        .expect("valid question");
        assert!(q.mentions_other());
        // The first `=` ends the key, whatever the value holds.
        let q2 = Question::from_args(
            "user",
            "s3:ListBucket",
            "arn:aws:s3:::b",
            &[],
            &["s3:prefix=a+=b".into(), "s3:delimiter+=x=y".into()],
            None,
        )
        .expect("valid question");
        assert_eq!(q2.context["s3:prefix"].exactly[0].to_string(), "a+=b");
        assert_eq!(q2.context["s3:delimiter"].includes[0].to_string(), "x=y");
        let leading = &q.context["dynamodb:leadingkeys"];
        assert!(leading.exactly.is_empty());
        assert_eq!(leading.includes.len(), 1);
        assert_eq!(q.claims["cognito:groups"], vec!["admin".to_string()]);
        assert_eq!(q.expect, Some(Expectation::Never));
    }

    #[test]
    fn every_bad_argument_is_reported_at_once() {
        let errors = Question::from_args(
            "nobody",
            "GetObject",
            "x/{who}",
            &["x".into()],
            &["=1".into()],
            Some("maybe"),
        )
        .expect_err("invalid");
        let codes: Vec<_> = errors.iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            vec![
                "query-bad-principal",
                "query-bad-action",
                "query-bad-placeholder",
                "query-bad-claim",
                "query-bad-context",
                "query-bad-expectation"
            ]
        );
    }
}
