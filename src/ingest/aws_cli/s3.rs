//! Bucket policies: `s3api get-bucket-policy` output, with or without the
//! bucket's name; S3 Block Public Access: `s3api get-public-access-block`
//! wrapped with the bucket (`{"Bucket": NAME, "PublicAccessBlockConfiguration":
//! …}`) and `s3control get-public-access-block` wrapped with the account
//! (`{"AccountId": ID, …}`).

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::ingest::api_shapes::{PUBLIC_ACCESS_BLOCK_API, public_access_block};
use crate::model::BucketPolicy;
use crate::model::public_access::BlockScope;
use crate::policy::{Policy, PolicyKind};
use crate::source::Value;
use crate::source::fields::FieldReader;

use super::Reader;

/// The file-name suffix that names the bucket of a raw `get-bucket-policy`
/// output: `photos.bucket-policy.json` holds the policy of bucket `photos`.
pub const BUCKET_POLICY_SUFFIX: &str = ".bucket-policy.json";

/// Reads a bucket policy. The bucket is, in order:
/// 1. the `Bucket` member (`{"Bucket": "photos", "Policy": "…"}`);
/// 2. the file name, for raw `get-bucket-policy` output saved as
///    `<bucket>.bucket-policy.json`;
/// 3. the one bucket every `Resource` of the policy names (S3 only accepts
///    bucket policies whose resources are in the bucket).
///
/// Otherwise the policy is left out with a warning saying how to name it.
pub(super) fn read_bucket_policy(reader: &mut Reader<'_>, doc: &Value) {
    let Some(policy_value) = doc.get("Policy") else {
        reader.missing(doc, "Policy", "a bucket policy");
        return;
    };
    let named = reader.string(doc, "Bucket");
    let label = named.as_ref().map_or_else(
        || "bucket policy".to_string(),
        |b| format!("bucket policy of {}", b.value),
    );
    let Some(policy) = reader.policy(policy_value, &label, PolicyKind::Resource) else {
        return;
    };
    let from_file = Path::new(&reader.file.path)
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix(BUCKET_POLICY_SUFFIX))
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    let (bucket, bucket_loc) = match (named, from_file, bucket_of_resources(&policy)) {
        (Some(named), _, _) => (named.value, Some(named.loc)),
        (None, Some(file_name), _) => (file_name, None),
        (None, None, Some(resource)) => (resource, None),
        (None, None, None) => {
            reader.diagnostics.push(
                Diagnostic::warning(
                    "cli-bucket-unknown",
                    format!(
                        "cannot tell which bucket the policy in `{}` is for",
                        reader.file.path
                    ),
                )
                .at(&doc.loc, "no bucket name here")
                .with_help(format!(
                    "wrap it as {{\"Bucket\": \"NAME\", \"Policy\": …}} or save it as \
                     `NAME{BUCKET_POLICY_SUFFIX}`"
                )),
            );
            return;
        }
    };
    let mut policy = policy;
    policy.name = format!("bucket policy of {bucket}");
    let entry = BucketPolicy {
        bucket,
        bucket_loc,
        policy,
        loc: doc.loc.clone(),
    };
    let duplicate = reader.inventory.add_bucket_policy(entry);
    reader.push(duplicate);
}

/// The single bucket that every literal S3 resource of the policy names.
fn bucket_of_resources(policy: &Policy) -> Option<String> {
    let mut bucket: Option<String> = None;
    for statement in &policy.statements {
        let element = statement.resource.as_ref()?;
        for pattern in &element.patterns {
            let text = pattern.value.to_string();
            let rest = text.strip_prefix("arn:aws:s3:::")?;
            let name = rest.split('/').next().unwrap_or(rest);
            if name.is_empty() || name.contains(['*', '?', '$']) {
                return None;
            }
            match &bucket {
                Some(seen) if seen != name => return None,
                _ => bucket = Some(name.to_string()),
            }
        }
    }
    bucket
}

/// Reads a wrapped `get-public-access-block` output. Neither `Bucket` nor
/// `AccountId` (the raw output): the configuration is left out with a
/// warning saying how to wrap it, never applied to a guessed scope.
pub(super) fn read_public_access_block(reader: &mut Reader<'_>, doc: &Value) {
    let Some(config) = doc.get("PublicAccessBlockConfiguration") else {
        return;
    };
    let bucket = reader.string(doc, "Bucket");
    let account = reader.string(doc, "AccountId");
    let scope = match (bucket, account) {
        (Some(bucket), _) => BlockScope::Bucket(bucket.value),
        (None, Some(account)) => BlockScope::Account(Some(account.value)),
        (None, None) => {
            reader.diagnostics.push(
                Diagnostic::warning(
                    "cli-public-access-block-unscoped",
                    format!(
                        "cannot tell which bucket or account the S3 Block Public Access \
                         configuration in `{}` is for: it is left out",
                        reader.file.path
                    ),
                )
                .at(&doc.loc, "no `Bucket` or `AccountId` here")
                .with_help(
                    "wrap `s3api get-public-access-block` output as {\"Bucket\": \"NAME\", \
                     \"PublicAccessBlockConfiguration\": …} and `s3control \
                     get-public-access-block` output as {\"AccountId\": \"ID\", …}",
                ),
            );
            return;
        }
    };
    let Some(block) = public_access_block(
        reader,
        config,
        &PUBLIC_ACCESS_BLOCK_API,
        scope,
        doc.loc.clone(),
    ) else {
        return;
    };
    let duplicate = reader.inventory.add_public_access_block(block);
    reader.push(duplicate);
}
