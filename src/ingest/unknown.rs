//! Values the inputs do not determine.
//!
//! A template parameter without a value, an `Fn::ImportValue` no loaded template
//! exports, an intrinsic poolscope does not evaluate: such a value is never
//! guessed, nor is an attribute a Terraform plan leaves `after_unknown`. It
//! is written into the evaluated tree as a marker string
//! `⟨unknown: WHAT⟩`, which carries through `Fn::Join`, `Fn::Sub` and the
//! like as text. Readers then treat any string holding a marker as *any*
//! value where it matters: a role ARN with a marker names no role of the
//! inputs, so the route's role is unknown ("not in the inputs: may allow
//! anything"); a policy document holding a marker anywhere is read as an
//! unknown policy, which stands in as allowing everything; a setting with
//! a marker takes the value that hides no access, labelled with the
//! assumption. An unknown can turn "impossible" into "possible" or
//! "unknown", never the reverse.

use crate::source::{Kind, Value};

const OPEN: &str = "⟨unknown: ";
const CLOSE: char = '⟩';

/// The marker text for an unknown value described by `what` (e.g.
/// `Ref DeployRoleArn`).
pub fn marker(what: &str) -> String {
    format!("{OPEN}{what}{CLOSE}")
}

/// Whether a string holds an unknown value.
pub fn is_unknown(text: &str) -> bool {
    text.contains(OPEN)
}

/// The first unknown inside a value (keys included), as its marker text.
pub fn find_unknown(value: &Value) -> Option<&str> {
    match &value.kind {
        Kind::String(text) => is_unknown(text).then_some(text.as_str()),
        Kind::Array(items) => items.iter().find_map(find_unknown),
        Kind::Object(members) => members.iter().find_map(|m| {
            if is_unknown(&m.key) {
                Some(m.key.as_str())
            } else {
                find_unknown(&m.value)
            }
        }),
        Kind::Null | Kind::Bool(_) | Kind::Number(_) => None,
    }
}

/// What the marker inside `text` says, for messages: `Ref X` of
/// `arn:…:⟨unknown: Ref X⟩`.
pub fn describe(text: &str) -> &str {
    text.split_once(OPEN)
        .and_then(|(_, rest)| rest.split_once(CLOSE))
        .map_or(text, |(what, _)| what)
}
