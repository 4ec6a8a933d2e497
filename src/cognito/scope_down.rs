//! The enhanced-flow guest scope-down: the session policy Cognito adds for
//! unauthenticated identities (Developer Guide, "IAM roles", "Access
//! policies").
//!
//! AWS changes this policy over time, so it lives as data in
//! `data/guest-scope-down.json` with its sources and the date it was read,
//! not as code. This module reads that file (compiled in) once and hands on
//! the policy, parsed like any other, for the evaluator and the solver to
//! intersect with a guest role's permissions.

use std::sync::OnceLock;

use crate::diagnostic::Diagnostic;
use crate::policy::parse::parse_policy;
use crate::policy::{Policy, PolicyKind};
use crate::source::json;

/// Where the data lives in the repository; also the label of its locations.
pub const SCOPE_DOWN_PATH: &str = "data/guest-scope-down.json";

const SCOPE_DOWN_TEXT: &str = include_str!("../../data/guest-scope-down.json");

/// The guest scope-down session policy and where it comes from.
#[derive(Clone, Debug)]
pub struct ScopeDown {
    pub policy: Policy,
    /// The day the sources were read (`YYYY-MM-DD`).
    pub retrieved: String,
    /// The documents the policy was taken from: (title, url).
    pub sources: Vec<(String, String)>,
}

/// The scope-down, read on first use. An `Err` means the data file in the
/// repository is broken, which its tests catch.
pub fn guest_scope_down() -> Result<&'static ScopeDown, &'static [Diagnostic]> {
    static CELL: OnceLock<Result<ScopeDown, Vec<Diagnostic>>> = OnceLock::new();
    CELL.get_or_init(|| read(SCOPE_DOWN_PATH, SCOPE_DOWN_TEXT))
        .as_ref()
        .map_err(Vec::as_slice)
}

/// Reads a scope-down data file: `{"retrieved", "source": [{title, url}],
/// "policy": {…}}`.
pub fn read(label: &str, text: &str) -> Result<ScopeDown, Vec<Diagnostic>> {
    let doc = json::parse_str(label, text).map_err(|d| vec![d])?;
    let Some(policy_doc) = doc.get("policy") else {
        return Err(vec![
            Diagnostic::error("scope-down-malformed", "scope-down data has no `policy`")
                .at(&doc.loc, "expected a `policy` member"),
        ]);
    };
    let parsed = parse_policy(policy_doc, "Cognito guest scope-down", PolicyKind::Session)?;
    if parsed
        .diagnostics
        .iter()
        .any(|d| d.severity == crate::diagnostic::Severity::Error)
    {
        return Err(parsed.diagnostics);
    }
    let retrieved = doc
        .get("retrieved")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string();
    let sources = doc
        .get("source")
        .and_then(|v| v.as_array())
        .unwrap_or_default()
        .iter()
        .filter_map(|s| {
            let title = s.get("title")?.as_str()?;
            let url = s.get("url")?.as_str()?;
            Some((title.to_string(), url.to_string()))
        })
        .collect();
    Ok(ScopeDown {
        policy: parsed.policy,
        retrieved,
        sources,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actions(scope: &ScopeDown) -> Vec<String> {
        scope
            .policy
            .statements
            .iter()
            .flat_map(|s| s.action.patterns.iter().map(|p| p.value.clone()))
            .collect()
    }

    // Developer Guide, "IAM roles", "Services that unauthenticated enhanced
    // flow users can access": the services listed are allowed, IAM, STS and
    // EC2 are not, and KMS, SageMaker and Textract only for some actions.
    #[test]
    fn the_shipped_scope_down_allows_the_documented_services_only() {
        let scope = guest_scope_down().expect("data/guest-scope-down.json is valid");
        assert!(scope.retrieved.len() == 10, "retrieved date is YYYY-MM-DD");
        assert!(
            scope
                .sources
                .iter()
                .any(|(_, url)| url.contains("iam-roles.html"))
        );
        let actions = actions(scope);
        for present in [
            "s3:*",
            "dynamodb:*",
            "lambda:*",
            "cognito-sync:*",
            "rum:PutRumEvents",
        ] {
            assert!(actions.iter().any(|a| a == present), "{present} allowed");
        }
        for absent in [
            "iam:",
            "sts:",
            "ec2:",
            "kms:CreateKey",
            "sagemaker:*",
            "textract:*",
        ] {
            assert!(
                !actions.iter().any(|a| a.starts_with(absent) || a == absent),
                "{absent} not allowed"
            );
        }
        assert!(
            scope
                .policy
                .statements
                .iter()
                .all(|s| s.effect.value == crate::policy::Effect::Allow)
        );
        assert!(
            scope.policy.statements[0]
                .loc
                .path()
                .starts_with(SCOPE_DOWN_PATH)
        );
    }

    #[test]
    fn broken_data_is_a_diagnostic() {
        let err = read("bad.json", r#"{"retrieved": "2026-01-01"}"#).expect_err("no policy");
        assert_eq!(err[0].code, "scope-down-malformed");
        assert!(read("bad.json", "{").is_err());
    }
}
