//! PS008: a mapping rule can never fire in order (docs/checks/PS008.md):
//! its claim is not in the login client's ID tokens, or an earlier rule on
//! the same claim accepts every value it accepts.

use super::rules::{RuleAt, rules};
use super::{Audit, CheckInfo, Evidence, Finding};
use crate::cognito::MatchType;
use crate::diagnostic::Severity;

pub static INFO: CheckInfo = CheckInfo {
    id: "PS008",
    title: "a mapping rule can never fire",
    description: "Rules are tried in order and the first match wins. A rule whose claim the \
                  app client's ID tokens never carry (it is not among the client's \
                  `ReadAttributes`), or whose every matching value an earlier rule already \
                  matches, never picks its role in order. A caller can still ask for a \
                  shadowed rule's role with `CustomRoleArn`, so the rule is dead configuration, \
                  not a barrier.",
    fix: "Reorder the rules (more specific first), make the claim readable by the client, or \
          delete the rule.",
    severity: Severity::Note,
    security_severity: "2.0",
    tags: &["maintainability", "cognito"],
};

pub fn run(audit: &Audit<'_>) -> Vec<Finding> {
    let all = rules(audit);
    let mut out = Vec::new();
    for (k, at) in all.iter().enumerate() {
        let rule = at.rule;
        if let Some(client) = unreadable_by(at) {
            out.push(
                Finding::new(
                    &INFO,
                    format!(
                        "{} never fires: app client `{client}` does not read `{}`, so its ID \
                         tokens never carry it",
                        at.name(),
                        rule.claim.value
                    ),
                    &rule.claim.loc,
                    "not in the client's ID tokens",
                    Evidence::Configuration,
                )
                .help(format!(
                    "add `{}` to the client's `ReadAttributes`, or delete the rule",
                    rule.claim.value
                )),
            );
            continue;
        }
        let earlier = all[..k].iter().find(|e| {
            std::ptr::eq(e.mapping, at.mapping)
                && e.rule.claim.value == rule.claim.value
                && covers(
                    e.rule.match_type.value,
                    &e.rule.value.value,
                    rule.match_type.value,
                    &rule.value.value,
                )
        });
        let Some(earlier) = earlier else {
            continue;
        };
        out.push(
            Finding::new(
                &INFO,
                format!(
                    "{} never fires in order: every `{}` it matches is matched first by {}",
                    at.name(),
                    rule.claim.value,
                    earlier.name()
                ),
                &rule.loc,
                "shadowed by an earlier rule",
                Evidence::Configuration,
            )
            .related(&earlier.rule.loc, "this earlier rule matches first")
            .help(
                "put the more specific rule first, or delete it; note that a caller whose token \
                 matches this rule can still pick its role with `CustomRoleArn`",
            ),
        );
    }
    out
}

/// The client of a user pool mapping key whose ID tokens lack the claim.
fn unreadable_by(at: &RuleAt<'_>) -> Option<String> {
    let user_pool = at.user_pool?;
    let (_, client_id) = at.mapping.provider.value.rsplit_once(':')?;
    let client = user_pool.client(client_id)?;
    let claim = &at.rule.claim.value;
    // Only attributes: token claims (`cognito:groups`, `sub`, …) are always
    // there.
    user_pool.attribute(claim)?;
    (!user_pool.readable(client, claim)).then(|| client_id.to_string())
}

/// Whether every claim value `(m2, v2)` accepts is accepted by `(m1, v1)`.
fn covers(m1: MatchType, v1: &str, m2: MatchType, v2: &str) -> bool {
    use MatchType::*;
    match (m1, m2) {
        (Contains, Equals | Contains | StartsWith) => v2.contains(v1),
        (StartsWith, Equals | StartsWith) => v2.starts_with(v1),
        (Equals, Equals) => v1 == v2,
        (NotEqual, Equals) => v1 != v2,
        (NotEqual, Contains) => !v1.contains(v2),
        (NotEqual, StartsWith) => !v1.starts_with(v2),
        _ => false,
    }
}
