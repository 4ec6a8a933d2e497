//! Rule-based role mappings: how one rule judges a token's claims, and how
//! a `Rules` mapping picks a role from the rules that match.
//!
//! Sources: Amazon Cognito Developer Guide, "Role-based access control"
//! ("Using rule-based mapping to assign roles to users", "Token claims to
//! use in rule-based mapping"). Where AWS is silent (case, multi-valued
//! claims) a match is uncertain and both branches are kept.

use super::{Pick, Resolver, RoleSource, StepKind, WebIdentityToken};
use crate::cognito::claims::{ClaimValue, Claims};
use crate::cognito::identity_pool::{MappingRule, MatchType, RoleMapping};

impl Resolver<'_> {
    /// Rules: in order, first match wins (Developer Guide, "Role-based
    /// access control", "Using rule-based mapping to assign roles to
    /// users"); a `CustomRoleArn` that is the role of a matching rule
    /// overrides the order ("unless CustomRoleArn is specified to override
    /// the order").
    pub(super) fn rules(
        &mut self,
        mapping: &RoleMapping,
        claims: &Claims,
        token: WebIdentityToken,
        tags: Vec<(String, String)>,
    ) {
        let judged: Vec<(&MappingRule, RuleMatch, String)> = mapping
            .rules
            .iter()
            .map(|rule| {
                let (result, why) = match_rule(rule, claims);
                (rule, result, why)
            })
            .collect();
        if let Some(custom) = self.request.custom_role_arn.clone() {
            let chosen = judged.iter().find(|(rule, result, _)| {
                *result != RuleMatch::NoMatch && rule.role_arn.value == custom
            });
            match chosen {
                Some((rule, result, why)) => {
                    let kind = step_kind(*result);
                    self.step(kind, format!("{}: {why}", rule.label()), Some(&rule.loc));
                    let pick = rule_pick(mapping, rule);
                    self.step(
                        StepKind::Note,
                        "`CustomRoleArn` is the role of a matching rule and overrides the order",
                        None,
                    );
                    self.assume(pick, token.clone(), false, tags.clone());
                    if *result == RuleMatch::Matches {
                        return;
                    }
                }
                None => self.step(
                    StepKind::Note,
                    format!(
                        "`CustomRoleArn` `{custom}` is not the role of any matching rule; \
                         AWS does not document this case, rules apply in order"
                    ),
                    None,
                ),
            }
        }
        for (rule, result, why) in judged {
            self.step(
                step_kind(result),
                format!("{}: {why}", rule.label()),
                Some(&rule.loc),
            );
            if result == RuleMatch::NoMatch {
                continue;
            }
            let pick = rule_pick(mapping, rule);
            self.assume(pick, token.clone(), false, tags.clone());
            if result == RuleMatch::Matches {
                return;
            }
        }
        self.step(StepKind::Note, "no rule matched", Some(&mapping.loc));
        self.ambiguous(mapping, token, tags);
    }
}

/// The role a rule assigns, as a pick: the rule's `RoleARN`, located.
fn rule_pick(mapping: &RoleMapping, rule: &MappingRule) -> Pick {
    Pick {
        role_arn: rule.role_arn.value.clone(),
        loc: Some(rule.role_arn.loc.clone()),
        source: RoleSource::Rule {
            mapping: mapping.provider.value.clone(),
            index: rule.index,
        },
    }
}

fn step_kind(result: RuleMatch) -> StepKind {
    match result {
        RuleMatch::Matches => StepKind::Matched,
        RuleMatch::NoMatch => StepKind::NotMatched,
        RuleMatch::Uncertain => StepKind::Uncertain,
    }
}

/// Whether a rule matches a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleMatch {
    Matches,
    NoMatch,
    /// Matches under one reading of undocumented behaviour and not under
    /// another.
    Uncertain,
}

/// Judges one rule against the claims, with the reason in words.
///
/// - An absent claim matches no rule, `NotEqual` included ("If the match
///   type is NotEqual and the claim doesn't exist, the rule is not
///   evaluated": Developer Guide, "Role-based access control").
/// - AWS does not document whether comparisons ignore case, nor how a
///   multi-valued claim (`cognito:groups`) is compared. The readings
///   considered are: exact and case-insensitive; for lists, any member,
///   every member (for `NotEqual`), and the list serialized as text (JSON
///   array, comma-joined, bracketed). All readings agreeing gives a definite
///   answer; otherwise the match is uncertain.
pub fn match_rule(rule: &MappingRule, claims: &Claims) -> (RuleMatch, String) {
    let claim = rule.claim.value.as_str();
    let expected = rule.value.value.as_str();
    let match_type = rule.match_type.value;
    let Some(value) = claims.get(claim) else {
        return (
            RuleMatch::NoMatch,
            format!("claim `{claim}` is not in the token, so no rule on it matches"),
        );
    };
    let mut readings: Vec<(bool, String)> = Vec::new();
    for (fold, case) in [(false, ""), (true, " ignoring case")] {
        let test = |v: &str| {
            if fold {
                match_type.test(&v.to_lowercase(), &expected.to_lowercase())
            } else {
                match_type.test(v, expected)
            }
        };
        match value {
            ClaimValue::Single(v) => readings.push((test(v), format!("the value{case}"))),
            ClaimValue::Multi(values) => {
                readings.push((values.iter().any(|v| test(v)), format!("some member{case}")));
                if match_type == MatchType::NotEqual {
                    readings.push((
                        values.iter().all(|v| test(v)),
                        format!("every member{case}"),
                    ));
                }
                for (form, text) in serialized_forms(values) {
                    readings.push((test(&text), format!("the list as {form}{case}")));
                }
            }
        }
    }
    let shown = match value {
        ClaimValue::Single(v) => format!("`{v}`"),
        ClaimValue::Multi(vs) => format!("[{}]", vs.join(", ")),
    };
    let all_true = readings.iter().all(|(r, _)| *r);
    let all_false = readings.iter().all(|(r, _)| !*r);
    if all_true {
        (
            RuleMatch::Matches,
            format!("`{claim}` is {shown}, which matches"),
        )
    } else if all_false {
        (
            RuleMatch::NoMatch,
            format!("`{claim}` is {shown}, which does not match"),
        )
    } else {
        let yes: Vec<&str> = readings
            .iter()
            .filter(|(r, _)| *r)
            .map(|(_, l)| l.as_str())
            .collect();
        (
            RuleMatch::Uncertain,
            format!(
                "`{claim}` is {shown}: matches only when comparing {}, which AWS does not \
                 document; both outcomes are kept",
                yes.join(" or ")
            ),
        )
    }
}

/// Text forms a list claim might be compared as, each a reading of its own.
fn serialized_forms(values: &[String]) -> [(&'static str, String); 3] {
    let json = serde_json::to_string(values).unwrap_or_default();
    [
        ("JSON text", json),
        ("comma-joined text", values.join(",")),
        ("bracketed text", format!("[{}]", values.join(", "))),
    ]
}
