//! What a snapshot could not read, and which questions it can change.
//!
//! `poolscope collect` records every AWS call it made in the snapshot's
//! manifest (`poolscope-snapshot.json`, docs/collect.md); a call that failed
//! (an `AccessDenied`, a throttled call that never succeeded) leaves a part
//! of the account unread. Ingest hands each such part on as an
//! [`Unreadable`] in the inventory. Unread is never "nothing there": a
//! missing bucket policy may grant or deny, a missing identity pool may
//! give guests a role, a missing IAM listing hides every role.
//!
//! The rule (docs/semantics.md §12), kept coarse so it is easy to check:
//!
//! - IAM unreadable, or a region's Lambda listing (which role runs which
//!   code, so which chains exist): every question is affected;
//! - an identity pool, a user pool, or a region's list of either: every
//!   question about a Cognito principal (`guest`, `user`, `external`,
//!   `anyone`) is affected, whatever pool it names;
//! - a bucket's policy or Block Public Access (or the account's bucket list,
//!   recorded as the bucket name pattern it was needed for): questions whose
//!   resource pattern can name that bucket or an object in it;
//! - the account's Block Public Access: questions whose resource pattern can
//!   name any S3 bucket or object.
//!
//! [`affecting`] returns the items that affect a question; the engines
//! (`reach`, `explain`) answer `unknown` when it returns any.

use crate::policy::pattern::arn_patterns_intersect;
use crate::query::{PrincipalSelector, Question};
use crate::source::Location;

/// A part of the account that a snapshot could not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    pub item: UnreadableItem,
    /// The call that failed, as the manifest names it
    /// (`s3api get-bucket-policy`).
    pub call: String,
    /// The AWS error code (`AccessDenied`), or what went wrong otherwise.
    pub error: String,
    /// The failed call's entry in the manifest.
    pub loc: Location,
}

/// What could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnreadableItem {
    /// `iam get-account-authorization-details`: every role and policy.
    Iam,
    /// One identity pool (`id` `*`: the region's list of pools).
    IdentityPool { region: String, id: String },
    /// One user pool (`id` `*`: the region's list of pools).
    UserPool { region: String, id: String },
    /// A bucket's policy; `bucket` may be a pattern with `*`/`?` when the
    /// account's bucket list could not be read.
    BucketPolicy { bucket: String },
    /// A bucket's Block Public Access settings.
    BucketPublicAccessBlock { bucket: String },
    /// The account's Block Public Access settings.
    AccountPublicAccessBlock,
    /// A region's `lambda list-functions`.
    LambdaFunctions { region: String },
}

impl UnreadableItem {
    /// The manifest's `Kind` for each item, and back.
    pub const KINDS: [&'static str; 7] = [
        "iam",
        "identity-pool",
        "user-pool",
        "bucket-policy",
        "bucket-public-access-block",
        "account-public-access-block",
        "lambda-functions",
    ];

    /// The item in words, for messages.
    pub fn describe(&self) -> String {
        match self {
            UnreadableItem::Iam => "the account's IAM roles and policies".to_string(),
            UnreadableItem::IdentityPool { region, id } if id == "*" => {
                format!("the identity pools of {region}")
            }
            UnreadableItem::IdentityPool { id, .. } => format!("identity pool `{id}`"),
            UnreadableItem::UserPool { region, id } if id == "*" => {
                format!("the user pools of {region}")
            }
            UnreadableItem::UserPool { id, .. } => format!("user pool `{id}`"),
            UnreadableItem::BucketPolicy { bucket } => format!("the policy of bucket `{bucket}`"),
            UnreadableItem::BucketPublicAccessBlock { bucket } => {
                format!("the Block Public Access settings of bucket `{bucket}`")
            }
            UnreadableItem::AccountPublicAccessBlock => {
                "the account's S3 Block Public Access settings".to_string()
            }
            UnreadableItem::LambdaFunctions { region } => {
                format!("the Lambda functions of {region}")
            }
        }
    }
}

impl Unreadable {
    /// One line for notes and reports: what, which call, which error, where
    /// the manifest says so.
    pub fn describe(&self) -> String {
        format!(
            "{} could not be read (`{}` failed: {}; {})",
            self.item.describe(),
            self.call,
            self.error,
            self.loc.file.path
        )
    }
}

/// The unreadable items that could change the answer to `question`.
pub fn affecting<'a>(unreadable: &'a [Unreadable], question: &Question) -> Vec<&'a Unreadable> {
    unreadable
        .iter()
        .filter(|u| affects(&u.item, question))
        .collect()
}

/// What the snapshot could not read that could change the answer to
/// `question`, each described for a report.
pub fn described(unreadable: &[Unreadable], question: &Question) -> Vec<String> {
    affecting(unreadable, question)
        .iter()
        .map(|u| u.describe())
        .collect()
}

/// `N part(s) of the account`, for the summaries of answers that unread
/// parts make unknown.
pub fn parts(n: usize) -> String {
    format!("{n} part{} of the account", if n == 1 { "" } else { "s" })
}

fn affects(item: &UnreadableItem, question: &Question) -> bool {
    // Placeholders stand for identity ids: any text, for this purpose.
    let resource = question.resource.fill("*", "*");
    match item {
        UnreadableItem::Iam | UnreadableItem::LambdaFunctions { .. } => true,
        UnreadableItem::IdentityPool { .. } | UnreadableItem::UserPool { .. } => matches!(
            question.principal,
            PrincipalSelector::Guest { .. }
                | PrincipalSelector::User { .. }
                | PrincipalSelector::External
                | PrincipalSelector::Anyone
        ),
        UnreadableItem::BucketPolicy { bucket }
        | UnreadableItem::BucketPublicAccessBlock { bucket } => in_bucket(&resource, bucket),
        UnreadableItem::AccountPublicAccessBlock => in_bucket(&resource, "*"),
    }
}

/// Whether some ARN matching `resource` is the bucket (a name or pattern)
/// or an object in it, in any partition.
fn in_bucket(resource: &str, bucket: &str) -> bool {
    arn_patterns_intersect(resource, &format!("arn:*:s3:::{bucket}"))
        || arn_patterns_intersect(resource, &format!("arn:*:s3:::{bucket}/*"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, Span};

    fn unreadable(item: UnreadableItem) -> Unreadable {
        Unreadable {
            item,
            call: "test call".to_string(),
            error: "AccessDenied".to_string(),
            loc: Location::new(SourceFile::new("m.json", "{}"), Span::new(0, 2), ""),
        }
    }

    fn question(principal: &str, resource: &str) -> Question {
        Question::from_args(principal, "s3:GetObject", resource, &[], &[], None)
            .expect("a valid question")
    }

    fn affected(item: UnreadableItem, principal: &str, resource: &str) -> bool {
        !affecting(&[unreadable(item)], &question(principal, resource)).is_empty()
    }

    #[test]
    fn unreadable_iam_affects_every_question() {
        assert!(affected(
            UnreadableItem::Iam,
            "anonymous",
            "arn:aws:s3:::b/k"
        ));
        assert!(affected(
            UnreadableItem::LambdaFunctions {
                region: "eu-west-1".into()
            },
            "role:r",
            "arn:aws:dynamodb:eu-west-1:1:table/t"
        ));
    }

    #[test]
    fn an_unreadable_pool_affects_cognito_principals_only() {
        let pool = || UnreadableItem::IdentityPool {
            region: "us-east-1".into(),
            id: "us-east-1:x".into(),
        };
        for principal in ["guest", "user@other", "external", "anyone"] {
            assert!(
                affected(pool(), principal, "arn:aws:s3:::b/k"),
                "{principal}"
            );
        }
        for principal in ["role:r", "anonymous", "account:111122223333"] {
            assert!(
                !affected(pool(), principal, "arn:aws:s3:::b/k"),
                "{principal}"
            );
        }
    }

    #[test]
    fn an_unreadable_bucket_policy_affects_questions_that_can_name_the_bucket() {
        let policy = |bucket: &str| UnreadableItem::BucketPolicy {
            bucket: bucket.into(),
        };
        assert!(affected(
            policy("photos"),
            "guest",
            "arn:aws:s3:::photos/{other}/*"
        ));
        assert!(affected(policy("photos"), "guest", "arn:aws:s3:::photos"));
        assert!(affected(policy("photos"), "guest", "*"));
        assert!(affected(policy("photos"), "guest", "arn:aws:s3:::ph*"));
        assert!(!affected(policy("photos"), "guest", "arn:aws:s3:::logs/*"));
        assert!(!affected(
            policy("photos"),
            "guest",
            "arn:aws:dynamodb:us-east-1:1:table/photos"
        ));
        // A pattern recorded when the bucket list was unreadable.
        assert!(affected(
            policy("photos-*"),
            "guest",
            "arn:aws:s3:::photos-eu/a"
        ));
        assert!(affected(
            UnreadableItem::AccountPublicAccessBlock,
            "anonymous",
            "arn:aws:s3:::logs/*"
        ));
        assert!(!affected(
            UnreadableItem::AccountPublicAccessBlock,
            "anonymous",
            "arn:aws:sqs:us-east-1:1:q"
        ));
    }
}
