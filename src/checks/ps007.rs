//! PS007: a mapping rule's `Contains`, `StartsWith` or `NotEqual` is met by
//! values its author did not mean (docs/checks/PS007.md).
//!
//! For group claims the unintended values are the pool's other group
//! names; for a claim an outsider sets, a spoofing value built around the
//! rule's value (an address at a look-alike domain), kept only when the
//! outsider model admits it.

use super::rules::rules;
use super::{Audit, CheckInfo, Evidence, Finding};
use crate::cognito::MatchType;
use crate::diagnostic::Severity;

pub static INFO: CheckInfo = CheckInfo {
    id: "PS007",
    title: "a mapping rule's Contains, StartsWith or NotEqual matches unintended values",
    description: "Role-mapping rules compare claims as plain text. `Contains \"admin\"` on \
                  `cognito:groups` also fires for a group `billing-admins`; `Contains \
                  \"example.com\"` on `email` also fires for `mallory@example.com.evil.io`; \
                  `NotEqual` fires for every other value, absent values included.",
    fix: "Use `Equals` on the exact value (a group name), or map on a claim whose values are \
          controlled; for domains, do not match email addresses as text.",
    severity: Severity::Warning,
    security_severity: "6.0",
    tags: &["security", "cognito"],
};

pub fn run(audit: &Audit<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for at in rules(audit) {
        let rule = at.rule;
        let match_type = rule.match_type.value;
        if match_type == MatchType::Equals {
            continue;
        }
        let claim = &rule.claim.value;
        let value = &rule.value.value;
        let role = rule.role_arn.value.rsplit('/').next().unwrap_or_default();
        let (spoof, because, evidence) = if claim == "cognito:groups" {
            let Some(group) = at.user_pool.and_then(|p| {
                p.groups
                    .iter()
                    .find(|g| g.name.value != *value && match_type.test(&g.name.value, value))
            }) else {
                continue;
            };
            (
                group.name.value.clone(),
                format!("group `{}` exists in the user pool", group.name.value),
                Evidence::Configuration,
            )
        } else {
            let candidates = spoofs(claim, match_type, value);
            let Some((spoof, _)) = at.outsider_value(audit, &candidates) else {
                continue;
            };
            (
                spoof,
                "an outsider can put it in their token".to_string(),
                Evidence::Proven {
                    how: "the outsider model admits the value and the rule's match accepts it"
                        .to_string(),
                },
            )
        };
        out.push(
            Finding::new(
                &INFO,
                format!(
                    "{} of identity pool {} also matches `{claim}` = `{spoof}` ({because}), \
                     giving it role `{role}`",
                    at.name(),
                    at.pool.label()
                ),
                &rule.match_type.loc,
                format!("`{match_type}` also accepts `{spoof}`"),
                evidence,
            )
            .related(&rule.value.loc, "the value the rule was written for")
            .related(&rule.role_arn.loc, "the role it gives")
            .help(match claim.as_str() {
                "cognito:groups" => format!(
                    "use `Equals` with the exact group name `{value}`; Contains on a group \
                     list is a substring test"
                ),
                _ => format!(
                    "use `Equals` on a claim whose value users cannot choose; `{match_type}` \
                     compares text, so `{spoof}` passes"
                ),
            }),
        );
    }
    out
}

/// Values the rule's author did not mean that its match accepts.
fn spoofs(claim: &str, match_type: MatchType, value: &str) -> Vec<String> {
    let domain = value.trim_start_matches('@');
    let forms: Vec<String> = if claim.contains("email") {
        vec![
            format!("mallory@{domain}.evil.invalid"),
            format!("{domain}@evil.invalid"),
            format!("{value}.evil.invalid"),
        ]
    } else {
        vec![
            format!("{value}-evil"),
            format!("evil-{value}"),
            "evil".to_string(),
        ]
    };
    forms
        .into_iter()
        .filter(|f| f != value && match_type.test(f, value))
        .collect()
}
