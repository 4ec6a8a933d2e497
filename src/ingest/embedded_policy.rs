//! Policy documents embedded in templates and plans: an object, or the
//! JSON text of one (CloudFormation accepts both; Terraform always holds
//! text, e.g. `assume_role_policy`).
//!
//! Text is parsed as a source of its own labelled `FILE#/JSON/POINTER`, so
//! its diagnostics point into the decoded text and also at the string in
//! the file. A document holding an unknown value ([`super::unknown`]) is
//! not parsed: it is reported and read as unknown as a whole.

use crate::diagnostic::Diagnostic;
use crate::policy::parse::{parse_policy, parse_policy_text};
use crate::policy::{Policy, PolicyKind};
use crate::source::fields::FieldReader;
use crate::source::{Kind, Value};

use super::unknown;

/// The policy in `value`, named `name`; `None` (reported) when it is
/// unreadable or unknown, which every consumer treats as allowing
/// everything (identity policies) or admitting everyone (trust policies).
pub fn read<R: FieldReader>(
    reader: &mut R,
    unknown_code: &'static str,
    value: &Value,
    name: &str,
    kind: PolicyKind,
) -> Option<Policy> {
    if let Some(unknown_text) = unknown::find_unknown(value) {
        let what = unknown::describe(unknown_text).to_string();
        reader.report(
            Diagnostic::warning(
                unknown_code,
                format!(
                    "policy `{name}` holds an unknown value (`{what}`): the whole policy is \
                     taken as unknown"
                ),
            )
            .at(&value.loc, "this policy")
            .with_help(
                "an unknown identity policy is read as allowing everything, an unknown trust \
                 policy as admitting everyone; give the inputs the value to settle it",
            ),
        );
        return None;
    }
    let parsed = match &value.kind {
        Kind::Object(_) => parse_policy(value, name, kind),
        Kind::String(text) => {
            let label = format!("{}#{}", value.loc.path(), value.loc.pointer);
            parse_policy_text(&label, text, kind)
                .map(|mut parsed| {
                    parsed.diagnostics = parsed
                        .diagnostics
                        .into_iter()
                        .map(|d| d.with_related(&value.loc, "the policy is written here"))
                        .collect();
                    parsed
                })
                .map_err(|diagnostics| {
                    diagnostics
                        .into_iter()
                        .map(|d| d.with_related(&value.loc, "the policy is written here"))
                        .collect()
                })
        }
        _ => {
            reader.wrong_type(value, name, "a policy document");
            return None;
        }
    };
    match parsed {
        Ok(parsed) => {
            let mut policy = parsed.policy;
            policy.name = name.to_string();
            for diagnostic in parsed.diagnostics {
                reader.report(diagnostic);
            }
            Some(policy)
        }
        Err(diagnostics) => {
            for diagnostic in diagnostics {
                reader.report(diagnostic);
            }
            None
        }
    }
}
