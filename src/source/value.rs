//! The located value tree shared by every input format.
//!
//! JSON (and later YAML, with CloudFormation short-form tags desugared into
//! their long form) are read into [`Value`]s, each of which keeps its
//! [`Location`]. Objects keep their members in file order and keep duplicate
//! keys, so that consumers can report them.

use super::Location;

#[derive(Clone, Debug)]
pub struct Value {
    pub kind: Kind,
    pub loc: Location,
}

#[derive(Clone, Debug)]
pub enum Kind {
    Null,
    Bool(bool),
    /// A number kept as written, so that `1.50` and `1e3` reach the checks
    /// (and IAM's string comparison of numbers) unchanged.
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(Vec<Member>),
}

#[derive(Clone, Debug)]
pub struct Member {
    pub key: String,
    pub key_loc: Location,
    pub value: Value,
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            Kind::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value]> {
        match &self.kind {
            Kind::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.kind {
            Kind::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The first member with this exact key.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.member(key).map(|m| &m.value)
    }

    pub fn member(&self, key: &str) -> Option<&Member> {
        self.as_object()?.iter().find(|m| m.key == key)
    }

    /// The first member whose key equals `key` ignoring ASCII case.
    pub fn get_ignore_case(&self, key: &str) -> Option<&Member> {
        self.as_object()?
            .iter()
            .find(|m| m.key.eq_ignore_ascii_case(key))
    }

    /// A scalar as IAM reads it in policies: strings as they are, numbers as
    /// written, booleans as `true`/`false`.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.kind {
            Kind::String(s) => Some(s.clone()),
            Kind::Number(n) => Some(n.clone()),
            Kind::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// What kind of value this is, in the words a diagnostic uses.
    pub fn describe(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "a boolean",
            Kind::Number(_) => "a number",
            Kind::String(_) => "a string",
            Kind::Array(_) => "an array",
            Kind::Object(_) => "an object",
        }
    }

    /// Converts to serde_json for consumers that need no locations.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.kind {
            Kind::Null => serde_json::Value::Null,
            Kind::Bool(b) => serde_json::Value::Bool(*b),
            Kind::Number(n) => {
                serde_json::from_str(n).unwrap_or_else(|_| serde_json::Value::String(n.clone()))
            }
            Kind::String(s) => serde_json::Value::String(s.clone()),
            Kind::Array(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_json).collect())
            }
            Kind::Object(members) => serde_json::Value::Object(
                members
                    .iter()
                    .map(|m| (m.key.clone(), m.value.to_json()))
                    .collect(),
            ),
        }
    }
}
