//! Amazon Resource Names, split into their six parts.
//!
//! Owns the one rule for taking an ARN (or ARN pattern) apart: the text is
//! split on its first five colons, so the resource part keeps any further
//! colons (IAM User Guide, "Identify AWS resources with Amazon Resource
//! Names (ARNs)": `arn:partition:service:region:account-id:resource-id`,
//! where the resource may itself be `type:id`). Hands on [`Arn`] views to
//! the validator (shape checks), to `pattern` (component-wise matching) and
//! to the evaluator (the resource's account).

use std::fmt;

/// A borrowed view of an ARN's six parts; `region` and `account` may be
/// empty (S3 bucket ARNs have neither).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Reads `arn:partition:service:region:account:resource`. `Err` holds a
    /// lower-case reason for a diagnostic.
    ///
    /// The partition, service and resource must not be empty; wildcards and
    /// placeholders are ordinary characters here (patterns parse too).
    pub fn parse(text: &'a str) -> Result<Arn<'a>, String> {
        let Some(rest) = text.strip_prefix("arn:") else {
            return Err(format!("`{text}` does not start with `arn:`"));
        };
        let mut parts = rest.splitn(5, ':');
        let mut next = || parts.next();
        let (Some(partition), Some(service), Some(region), Some(account), Some(resource)) =
            (next(), next(), next(), next(), next())
        else {
            let found = text.split(':').count();
            return Err(format!(
                "`{text}` has {found} colon-separated parts, an ARN has 6 \
                 (`arn:partition:service:region:account:resource`)"
            ));
        };
        for (name, part) in [
            ("partition", partition),
            ("service", service),
            ("resource", resource),
        ] {
            if part.is_empty() {
                return Err(format!("`{text}` has an empty {name}"));
            }
        }
        Ok(Arn {
            partition,
            service,
            region,
            account,
            resource,
        })
    }

    /// The six parts in order, `arn` first, as compared by ARN matching.
    pub fn components(&self) -> [&'a str; 6] {
        [
            "arn",
            self.partition,
            self.service,
            self.region,
            self.account,
            self.resource,
        ]
    }
}

impl fmt::Display for Arn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:{}:{}:{}:{}",
            self.partition, self.service, self.region, self.account, self.resource
        )
    }
}

/// Splits `text` on its first five colons into at most six parts, without
/// judging them: the form `pattern` needs for patterns that end early
/// (`arn:aws:s3:*`).
pub fn split_components(text: &str) -> Vec<&str> {
    text.splitn(6, ':').collect()
}

/// The bucket part of an S3 bucket or object ARN (or ARN pattern): service
/// `s3`, no region, no account (`arn:aws:s3:::bucket/key` gives `bucket`).
/// Any partition. `None` for everything else, access points included.
pub fn s3_bucket(resource: &str) -> Option<&str> {
    let parts = split_components(resource);
    match parts.as_slice() {
        ["arn", _, "s3", "", "", rest] => rest.split('/').next(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_buckets_are_found_in_any_partition() {
        assert_eq!(s3_bucket("arn:aws:s3:::b/k/x"), Some("b"));
        assert_eq!(s3_bucket("arn:aws-cn:s3:::b"), Some("b"));
        assert_eq!(s3_bucket("arn:*:s3:::b*/k"), Some("b*"));
        assert_eq!(s3_bucket("arn:aws:s3:*::b/k"), None);
        assert_eq!(s3_bucket("arn:aws:s3:us-east-1:1:accesspoint/a"), None);
        assert_eq!(s3_bucket("arn:aws:dynamodb:us-east-1:1:table/t"), None);
    }

    // IAM User Guide, "Identify AWS resources with ARNs": the three general
    // formats, S3 (no region, no account) and a resource with colons.
    #[test]
    fn arns_split_on_the_first_five_colons() {
        let cases: &[(&str, [&str; 5])] = &[
            (
                "arn:aws:sqs:us-east-2:123456789012:queue1",
                ["aws", "sqs", "us-east-2", "123456789012", "queue1"],
            ),
            (
                "arn:aws:s3:::amzn-s3-demo-bucket/photos/*",
                ["aws", "s3", "", "", "amzn-s3-demo-bucket/photos/*"],
            ),
            (
                "arn:aws:logs:us-east-1:123456789012:log-group:my:stream",
                [
                    "aws",
                    "logs",
                    "us-east-1",
                    "123456789012",
                    "log-group:my:stream",
                ],
            ),
            (
                "arn:aws-cn:iam::123456789012:role/path/Name",
                ["aws-cn", "iam", "", "123456789012", "role/path/Name"],
            ),
        ];
        for (text, [partition, service, region, account, resource]) in cases {
            let arn = Arn::parse(text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                (
                    arn.partition,
                    arn.service,
                    arn.region,
                    arn.account,
                    arn.resource
                ),
                (*partition, *service, *region, *account, *resource)
            );
            assert_eq!(arn.to_string(), *text);
        }
    }

    #[test]
    fn malformed_arns_say_why() {
        let cases: &[(&str, &str)] = &[
            ("s3:::bucket", "does not start with `arn:`"),
            ("arn:aws:s3:::", "has an empty resource"),
            ("arn:aws:s3", "has 3 colon-separated parts"),
            ("arn::s3:::b", "has an empty partition"),
            ("arn:aws::::b", "has an empty service"),
            ("*", "does not start with `arn:`"),
        ];
        for (text, reason) in cases {
            let error = Arn::parse(text).expect_err(text);
            assert!(error.contains(reason), "`{text}`: {error}");
        }
    }

    #[test]
    fn components_keep_short_patterns_whole() {
        assert_eq!(
            split_components("arn:aws:s3:*"),
            vec!["arn", "aws", "s3", "*"]
        );
        assert_eq!(split_components("arn:aws:s3:::a:b").len(), 6);
    }
}
