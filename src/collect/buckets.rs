//! Which buckets to read: every bucket an IAM policy of the snapshot names.
//!
//! Bucket policies and Block Public Access matter for the buckets the
//! account's policies grant on, so the collector reads exactly those: every
//! string of `iam.json` that is an S3 ARN (`arn:PARTITION:s3:::BUCKET…`)
//! names a bucket — a policy's `Resource`, `NotResource` or a condition
//! value alike; reading one bucket too many costs a call, missing one would
//! leave its policy out. A bucket name with a wildcard or a policy variable
//! (`photos-*`, `${aws:username}-data`) is a pattern: the account's buckets
//! (`s3api list-buckets`) that match it are read.

use std::collections::BTreeSet;

/// The bucket names and bucket name patterns that `document` names.
pub fn named_buckets(document: &serde_json::Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    walk(document, &mut out);
    out
}

fn walk(value: &serde_json::Value, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::String(text) => out.extend(bucket_of(text)),
        serde_json::Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
        serde_json::Value::Object(members) => members.values().for_each(|v| walk(v, out)),
        _ => {}
    }
}

/// The bucket part of an S3 ARN, policy variables turned into `*`.
fn bucket_of(text: &str) -> Option<String> {
    let rest = text.strip_prefix("arn:")?;
    let (_partition, rest) = rest.split_once(':')?;
    let rest = rest.strip_prefix("s3:::")?;
    let bucket = rest.split('/').next().unwrap_or_default();
    let mut out = String::new();
    let mut chars = bucket.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek() == Some(&'{') {
            for c in chars.by_ref() {
                if c == '}' {
                    break;
                }
            }
            out.push('*');
        } else {
            out.push(c);
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Whether a bucket name is a pattern to match against the bucket list.
pub fn is_pattern(bucket: &str) -> bool {
    bucket.contains(['*', '?'])
}

/// Whether `name` matches the IAM wildcard pattern `pattern` (ARNs match
/// case-sensitively).
pub fn matches(pattern: &str, name: &str) -> bool {
    crate::policy::pattern::string_like(pattern, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_read_from_every_s3_arn_of_the_policies() {
        let iam = serde_json::json!({"RoleDetailList": [{"RolePolicyList": [{"PolicyDocument": {
        "Statement": [
            {"Resource": ["arn:aws:s3:::photos/private/${cognito-identity.amazonaws.com:sub}/*",
                          "arn:aws:s3:::photos"]},
            {"Resource": "arn:aws-cn:s3:::logs-*"},
            {"NotResource": "arn:aws:s3:::${aws:username}-home/*"},
            {"Resource": "arn:aws:s3:::*"},
            {"Resource": "arn:aws:dynamodb:us-east-1:1:table/photos"}
        ]}}]}]});
        let found: Vec<String> = named_buckets(&iam).into_iter().collect();
        assert_eq!(found, ["*", "*-home", "logs-*", "photos"]);
        assert!(is_pattern("logs-*") && !is_pattern("photos"));
        assert!(matches("logs-*", "logs-eu") && !matches("logs-*", "photos"));
    }
}
