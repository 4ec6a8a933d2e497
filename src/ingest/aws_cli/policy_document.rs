//! Policy documents inside CLI output: JSON objects, JSON strings, or
//! URL-encoded JSON strings (the raw API), and the inline and attached
//! policy lists of IAM principals.

use crate::diagnostic::Diagnostic;
use crate::model::NamedPolicy;
use crate::policy::parse::{parse_policy, parse_policy_text};
use crate::policy::{Policy, PolicyKind};
use crate::source::Spanned;
use crate::source::fields::FieldReader;
use crate::source::{Kind, Value};

use super::Reader;

impl Reader<'_> {
    /// A policy document held as an object, a JSON string, or a URL-encoded
    /// JSON string. `None` (with diagnostics) when nothing usable is there.
    pub(super) fn policy(&mut self, value: &Value, name: &str, kind: PolicyKind) -> Option<Policy> {
        let parsed = match &value.kind {
            Kind::Object(_) => parse_policy(value, name, kind),
            Kind::String(text) => {
                let decoded = if text.trim_start().starts_with('{') {
                    text.clone()
                } else {
                    match percent_decode(text) {
                        Some(decoded) => decoded,
                        None => {
                            self.diagnostics.push(
                                Diagnostic::error(
                                    "cli-bad-policy-encoding",
                                    "policy document is neither JSON nor valid URL-encoded text",
                                )
                                .at(&value.loc, "cannot decode this"),
                            );
                            return None;
                        }
                    }
                };
                let label = format!("{}#{}", self.file.path, value.loc.pointer);
                let parsed = parse_policy_text(&label, &decoded, kind);
                let here =
                    |d: Diagnostic| d.with_related(&value.loc, "the policy is embedded here");
                match parsed {
                    Ok(mut parsed) => {
                        parsed.diagnostics = parsed.diagnostics.into_iter().map(here).collect();
                        Ok(parsed)
                    }
                    Err(diagnostics) => Err(diagnostics.into_iter().map(here).collect()),
                }
            }
            _ => {
                self.wrong_type(value, name, "a policy document (object or string)");
                return None;
            }
        };
        match parsed {
            Ok(parsed) => {
                let mut policy = parsed.policy;
                policy.name = name.to_string();
                self.diagnostics.extend(parsed.diagnostics);
                Some(policy)
            }
            Err(diagnostics) => {
                self.diagnostics.extend(diagnostics);
                None
            }
        }
    }

    /// `[{PolicyName, PolicyDocument}]` lists of inline policies.
    pub(super) fn inline_policies(
        &mut self,
        object: &Value,
        key: &str,
        owner: &str,
    ) -> Vec<NamedPolicy> {
        crate::ingest::api_shapes::inline_policies(self, object, key, owner, Self::policy)
    }

    /// `[{PolicyName, PolicyArn}]` lists of attached managed policies.
    pub(super) fn attached(&mut self, object: &Value) -> Vec<Spanned<String>> {
        let mut out = Vec::new();
        for entry in self.objects(object, "AttachedManagedPolicies") {
            if let Some(arn) = self.required_string(entry, "PolicyArn", "an attached policy") {
                out.push(arn);
            }
        }
        out
    }

    pub(super) fn boundary(&mut self, object: &Value) -> Option<Spanned<String>> {
        let boundary = self.object_field(object, "PermissionsBoundary")?;
        self.required_string(boundary, "PermissionsBoundaryArn", "a permissions boundary")
    }
}

/// Decodes `%XX` escapes (RFC 3986, as IAM encodes policy documents).
/// `None` when an escape is malformed or the result is not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_follows_rfc_3986() {
        assert_eq!(
            percent_decode("%7B%22Version%22%3A%222012-10-17%22%7D").as_deref(),
            Some(r#"{"Version":"2012-10-17"}"#)
        );
        assert_eq!(percent_decode("a+b").as_deref(), Some("a+b"));
        assert_eq!(percent_decode("%E2%82%AC").as_deref(), Some("€"));
        assert_eq!(percent_decode("%4"), None);
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%FF"), None);
    }
}
