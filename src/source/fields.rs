//! Typed fields of located values, shared by every reader.
//!
//! The AWS CLI reader, the CloudFormation and Terraform readers and the
//! policy parser all ask the same questions of a [`Value`]: "the string at
//! this key, or an error at its span when it is something else". This
//! module answers them once. A reader implements [`FieldReader`] by saying
//! where diagnostics go and which codes they carry; a field of the wrong
//! type becomes an error at the value's span, and reading goes on.
//!
//! `null` reads as absent for optional fields: the CLI prints `null` for
//! unset members, and Terraform JSON does for unset attributes.

use crate::diagnostic::Diagnostic;
use crate::source::Spanned;

use super::{Kind, Member, Value};

/// Typed access to the fields of located values; see the module docs.
pub trait FieldReader {
    /// The code of a wrong-type error (`cli-wrong-type`, …).
    const WRONG_TYPE: &'static str;
    /// The code of a missing-field error (`cli-missing-field`, …).
    const MISSING: &'static str;
    /// The code of a value outside a field's choices (`cli-bad-value`, …).
    const BAD_VALUE: &'static str;

    fn report(&mut self, diagnostic: Diagnostic);

    /// Whether `value` stands for a value the inputs do not determine (a
    /// template's or plan's unknown marker): a list field holding one is a
    /// list with that one unknown item, not a string of the wrong type.
    /// Readers of inputs without unknowns keep the default.
    fn is_unknown(&self, _value: &Value) -> bool {
        false
    }

    /// The text of a scalar where a string is expected: a string, or for
    /// readers of inputs that pass numbers and booleans as strings
    /// (CloudFormation), those too.
    fn scalar_text(&self, value: &Value) -> Option<String> {
        value.as_str().map(str::to_string)
    }

    /// `value`, found at `key`, is not `expected`.
    fn wrong_type(&mut self, value: &Value, key: &str, expected: &str) {
        self.report(
            Diagnostic::error(
                Self::WRONG_TYPE,
                format!("`{key}` should be {expected}, found {}", value.describe()),
            )
            .at(&value.loc, format!("expected {expected}")),
        );
    }

    /// `object` (`what`, in the user's words) lacks the required `key`.
    fn missing(&mut self, object: &Value, key: &str, what: &str) {
        self.report(
            Diagnostic::error(Self::MISSING, format!("{what} has no `{key}`"))
                .at(&object.loc, format!("`{key}` expected here")),
        );
    }

    /// A value that must be a string (`key` names it in the message).
    fn text(&mut self, value: &Value, key: &str) -> Option<Spanned<String>> {
        match value.as_str() {
            Some(text) => Some(Spanned::new(text.to_string(), value.loc.clone())),
            None => {
                self.wrong_type(value, key, "a string");
                None
            }
        }
    }

    /// A value that is a string or an array of strings (IAM's `Action`,
    /// `Resource`, principal ids); items of another type are reported and
    /// left out.
    fn texts(&mut self, value: &Value, key: &str) -> Option<Vec<Spanned<String>>> {
        match &value.kind {
            Kind::String(text) => Some(vec![Spanned::new(text.clone(), value.loc.clone())]),
            Kind::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    if let Some(text) = self.text(item, key) {
                        out.push(text);
                    }
                }
                Some(out)
            }
            _ => {
                self.wrong_type(value, key, "a string or an array of strings");
                None
            }
        }
    }

    /// The optional string member `key`.
    fn string(&mut self, object: &Value, key: &str) -> Option<Spanned<String>> {
        let value = object.get(key)?;
        if matches!(value.kind, Kind::Null) {
            return None;
        }
        self.text(value, key)
    }

    /// The string member `key`, reported as missing when absent.
    fn required_string(
        &mut self,
        object: &Value,
        key: &str,
        what: &str,
    ) -> Option<Spanned<String>> {
        if object.get(key).is_none() {
            self.missing(object, key, what);
            return None;
        }
        self.string(object, key)
    }

    fn bool(&mut self, object: &Value, key: &str) -> Option<Spanned<bool>> {
        let value = object.get(key)?;
        match value.as_bool() {
            Some(b) => Some(Spanned::new(b, value.loc.clone())),
            None if matches!(value.kind, Kind::Null) => None,
            None => {
                self.wrong_type(value, key, "true or false");
                None
            }
        }
    }

    fn integer(&mut self, object: &Value, key: &str) -> Option<Spanned<i64>> {
        let value = object.get(key)?;
        let parsed = match &value.kind {
            Kind::Number(n) => n.parse::<i64>().ok(),
            Kind::Null => return None,
            _ => None,
        };
        if parsed.is_none() {
            self.wrong_type(value, key, "a whole number");
        }
        parsed.map(|n| Spanned::new(n, value.loc.clone()))
    }

    /// The items of the array member `key`; none when absent.
    fn array<'v>(&mut self, object: &'v Value, key: &str) -> &'v [Value] {
        let Some(value) = object.get(key) else {
            return &[];
        };
        match &value.kind {
            Kind::Array(items) => items,
            Kind::Null => &[],
            _ => {
                self.wrong_type(value, key, "an array");
                &[]
            }
        }
    }

    /// The members of the object member `key`; none when absent.
    fn members<'v>(&mut self, object: &'v Value, key: &str) -> &'v [Member] {
        let Some(value) = object.get(key) else {
            return &[];
        };
        match &value.kind {
            Kind::Object(members) => members,
            Kind::Null => &[],
            _ => {
                self.wrong_type(value, key, "an object");
                &[]
            }
        }
    }

    fn object_field<'v>(&mut self, object: &'v Value, key: &str) -> Option<&'v Value> {
        let value = object.get(key)?;
        if value.as_object().is_some() {
            Some(value)
        } else {
            self.wrong_type(value, key, "an object");
            None
        }
    }

    /// A list of strings; `None` when the key is absent (which often means
    /// "the default" in AWS's outputs and templates).
    fn string_list(&mut self, object: &Value, key: &str) -> Option<Vec<Spanned<String>>> {
        let value = object.get(key)?;
        if matches!(value.kind, Kind::Null) {
            return None;
        }
        if self.is_unknown(value)
            && let Some(text) = value.as_str()
        {
            return Some(vec![Spanned::new(text.to_string(), value.loc.clone())]);
        }
        let Some(items) = value.as_array() else {
            self.wrong_type(value, key, "an array of strings");
            return None;
        };
        let mut out = Vec::new();
        for item in items {
            if let Some(text) = self.text(item, key) {
                out.push(text);
            }
        }
        Some(out)
    }

    /// The object items of the array member `key`; other items are reported.
    fn objects<'v>(&mut self, object: &'v Value, key: &str) -> Vec<&'v Value> {
        let items = self.array(object, key);
        let mut out = Vec::new();
        for item in items {
            if item.as_object().is_some() {
                out.push(item);
            } else {
                self.wrong_type(item, key, "an object");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::json;

    #[derive(Default)]
    struct Collect(Vec<Diagnostic>);

    impl FieldReader for Collect {
        const WRONG_TYPE: &'static str = "test-wrong-type";
        const MISSING: &'static str = "test-missing";
        const BAD_VALUE: &'static str = "test-bad-value";

        fn report(&mut self, diagnostic: Diagnostic) {
            self.0.push(diagnostic);
        }
    }

    #[test]
    fn wrong_types_are_reported_at_their_span_and_null_is_absent() {
        let doc = json::parse_str(
            "t.json",
            r#"{"a": "x", "b": 1, "c": null, "d": ["p", 2], "e": "q"}"#,
        )
        .expect("valid JSON");
        let mut reader = Collect::default();
        assert_eq!(
            reader.string(&doc, "a").map(|s| s.value).as_deref(),
            Some("x")
        );
        assert!(reader.string(&doc, "b").is_none());
        assert!(reader.string(&doc, "c").is_none());
        assert!(reader.required_string(&doc, "z", "a thing").is_none());
        let d = doc.get("d").expect("d is there");
        let texts: Vec<_> = reader
            .texts(d, "d")
            .unwrap_or_default()
            .into_iter()
            .map(|t| t.value)
            .collect();
        assert_eq!(texts, ["p"]);
        let e = doc.get("e").expect("e is there");
        assert_eq!(reader.texts(e, "e").map(|t| t.len()), Some(1));
        let found: Vec<_> = reader
            .0
            .iter()
            .map(|d| (d.code, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("test-wrong-type", "`b` should be a string, found a number"),
                ("test-missing", "a thing has no `z`"),
                ("test-wrong-type", "`d` should be a string, found a number"),
            ]
        );
    }
}
