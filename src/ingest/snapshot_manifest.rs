//! The manifest `poolscope collect` writes into a snapshot
//! (`poolscope-snapshot.json`, docs/collect.md) → the parts of the account
//! the snapshot could not read.
//!
//! Recognised by its `PoolscopeSnapshot` member (the format version). Every
//! call the collector made is listed under `Calls`; a call whose `Outcome`
//! is `failed` names what it would have read (`Reads`: a `Kind` and the
//! pool, bucket or region) and becomes an
//! [`Unreadable`](crate::model::unreadable::Unreadable) located at the call's
//! entry, which the engines treat as unknown (docs/semantics.md §12). The
//! other calls are the record of what was read; their files are read as the
//! kinds they are.

use crate::diagnostic::Diagnostic;
use crate::model::Inventory;
use crate::model::unreadable::{Unreadable, UnreadableItem};
use crate::source::Value;
use crate::source::fields::FieldReader;

/// The manifest format versions this reader knows.
const VERSIONS: [i64; 1] = [1];

/// Whether a document is a snapshot manifest.
pub fn is_manifest(doc: &Value) -> bool {
    doc.get("PoolscopeSnapshot").is_some()
}

/// Reads a manifest's failed calls into the inventory.
pub fn read(doc: &Value, inventory: &mut Inventory, diagnostics: &mut Vec<Diagnostic>) {
    let mut reader = Reader { diagnostics };
    if let Some(version) = reader.integer(doc, "PoolscopeSnapshot")
        && !VERSIONS.contains(&version.value)
    {
        reader.report(
            Diagnostic::error(
                "snapshot-bad-value",
                format!(
                    "snapshot manifest version {} is not one this poolscope reads",
                    version.value
                ),
            )
            .at(&version.loc, "expected 1")
            .with_help("collect the snapshot again with this poolscope"),
        );
        return;
    }
    if doc.get("Calls").is_none() {
        reader.missing(doc, "Calls", "a snapshot manifest");
        return;
    }
    for call in reader.objects(doc, "Calls") {
        let Some(outcome) = reader.required_string(call, "Outcome", "a call") else {
            continue;
        };
        match outcome.value.as_str() {
            "ok" | "none" => continue,
            "failed" => {}
            other => {
                reader.report(
                    Diagnostic::error(
                        "snapshot-bad-value",
                        format!("`{other}` is not a call outcome"),
                    )
                    .at(&outcome.loc, "expected `ok`, `none` or `failed`"),
                );
                continue;
            }
        }
        let name = reader.required_string(call, "Call", "a call");
        let error = reader.string(call, "ErrorCode");
        let reads = reader.object_field(call, "Reads");
        if reads.is_none() && call.get("Reads").is_none() {
            reader.missing(call, "Reads", "a failed call");
        }
        let (Some(name), Some(reads)) = (name, reads) else {
            continue;
        };
        let Some(item) = reader.item(reads) else {
            continue;
        };
        inventory.add_unreadable(Unreadable {
            item,
            call: name.value,
            error: error.map_or_else(|| "an error".to_string(), |e| e.value),
            loc: call.loc.clone(),
        });
    }
}

struct Reader<'a> {
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl FieldReader for Reader<'_> {
    const WRONG_TYPE: &'static str = "snapshot-wrong-type";
    const MISSING: &'static str = "snapshot-missing-field";
    const BAD_VALUE: &'static str = "snapshot-bad-value";

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }
}

impl Reader<'_> {
    /// What a failed call would have read. An unknown kind is an error: a
    /// part of the account poolscope cannot place must not be dropped.
    fn item(&mut self, reads: &Value) -> Option<UnreadableItem> {
        let kind = self.required_string(reads, "Kind", "what a call reads")?;
        let mut field = |key: &str| {
            self.required_string(reads, key, "what a call reads")
                .map(|s| s.value)
        };
        let item = match kind.value.as_str() {
            "iam" => UnreadableItem::Iam,
            "identity-pool" => UnreadableItem::IdentityPool {
                region: field("Region")?,
                id: field("Id")?,
            },
            "user-pool" => UnreadableItem::UserPool {
                region: field("Region")?,
                id: field("Id")?,
            },
            "bucket-policy" => UnreadableItem::BucketPolicy {
                bucket: field("Bucket")?,
            },
            "bucket-public-access-block" => UnreadableItem::BucketPublicAccessBlock {
                bucket: field("Bucket")?,
            },
            "account-public-access-block" => UnreadableItem::AccountPublicAccessBlock,
            "lambda-functions" => UnreadableItem::LambdaFunctions {
                region: field("Region")?,
            },
            other => {
                self.report(
                    Diagnostic::error(
                        "snapshot-bad-value",
                        format!("`{other}` is not a part of the account poolscope knows"),
                    )
                    .at(
                        &kind.loc,
                        format!("expected one of {}", UnreadableItem::KINDS.join(", ")),
                    ),
                );
                return None;
            }
        };
        Some(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::json;

    fn read_text(text: &str) -> (Inventory, Vec<Diagnostic>) {
        let doc = json::parse_str("poolscope-snapshot.json", text).expect("valid JSON");
        assert!(is_manifest(&doc));
        let mut inventory = Inventory::new();
        let mut diagnostics = Vec::new();
        read(&doc, &mut inventory, &mut diagnostics);
        (inventory, diagnostics)
    }

    #[test]
    fn failed_calls_become_unreadable_parts_at_their_entry() {
        let (inventory, diagnostics) = read_text(
            r#"{"PoolscopeSnapshot": 1, "Calls": [
              {"Call": "iam get-account-authorization-details", "Outcome": "ok", "File": "iam.json"},
              {"Call": "s3api get-bucket-policy", "Outcome": "none", "Reads": {"Kind": "bucket-policy", "Bucket": "a"}},
              {"Call": "s3api get-bucket-policy", "Outcome": "failed", "ErrorCode": "AccessDenied",
               "Reads": {"Kind": "bucket-policy", "Bucket": "photos"}}
            ]}"#,
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let unreadable = inventory.unreadable();
        assert_eq!(unreadable.len(), 1);
        assert_eq!(
            unreadable[0].item,
            UnreadableItem::BucketPolicy {
                bucket: "photos".into()
            }
        );
        assert_eq!(unreadable[0].loc.pointer.as_ref(), "/Calls/2");
        assert_eq!(
            unreadable[0].describe(),
            "the policy of bucket `photos` could not be read (`s3api get-bucket-policy` \
             failed: AccessDenied; poolscope-snapshot.json)"
        );
    }

    #[test]
    fn an_unknown_kind_or_version_is_an_error_not_dropped() {
        let (inventory, diagnostics) = read_text(
            r#"{"PoolscopeSnapshot": 1, "Calls": [
              {"Call": "x y", "Outcome": "failed", "Reads": {"Kind": "dynamodb-tables"}}]}"#,
        );
        assert!(inventory.unreadable().is_empty());
        let codes: Vec<_> = diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["snapshot-bad-value"]);
        let (_, diagnostics) = read_text(r#"{"PoolscopeSnapshot": 7, "Calls": []}"#);
        assert_eq!(diagnostics[0].code, "snapshot-bad-value");
        let (_, diagnostics) = read_text(
            r#"{"PoolscopeSnapshot": 1, "Calls": [{"Call": "x y", "Outcome": "failed"}]}"#,
        );
        assert_eq!(diagnostics[0].code, "snapshot-missing-field");
    }
}
