//! S3 Block Public Access settings the inputs show, per bucket and per
//! account, and the settings in force for one bucket.
//!
//! Amazon S3 User Guide, "Blocking public access to your Amazon S3
//! storage": S3 applies the most restrictive combination of the bucket's
//! settings and those of the account that owns the bucket, so a setting is
//! in force when either level turns it on. A flag left out of a
//! configuration is off (the API's `PublicAccessBlockConfiguration` members
//! are optional booleans; the Terraform resources default them to false),
//! and a bucket or account with no configuration in the inputs has no
//! block — never assumed on, so no access is hidden. Which account owns a
//! bucket is the caller's to say ([`crate::model::sessions::home_account`]).
//!
//! The evaluator reads [`PublicAccessBlocks::restrict_public_buckets`];
//! the audit's PS015 reads the rest.

use crate::diagnostic::Diagnostic;
use crate::eval::RestrictPublicBuckets;
use crate::source::Location;

/// Which bucket or account a configuration is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockScope {
    Bucket(String),
    /// `None`: the inputs' own account (Terraform's
    /// `aws_s3_account_public_access_block` without `account_id`).
    Account(Option<String>),
}

/// One of the four flags: on or off, and where it is written (`None`: left
/// out, so off).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flag {
    pub on: bool,
    pub loc: Option<Location>,
}

/// One `PublicAccessBlockConfiguration`.
#[derive(Clone, Debug)]
pub struct PublicAccessBlock {
    pub scope: BlockScope,
    pub block_public_acls: Flag,
    pub ignore_public_acls: Flag,
    pub block_public_policy: Flag,
    pub restrict_public_buckets: Flag,
    /// The configuration object (or the resource holding it).
    pub loc: Location,
}

impl PublicAccessBlock {
    /// "bucket `site`", "account 111122223333", "the inputs' account".
    pub fn scope_text(&self) -> String {
        match &self.scope {
            BlockScope::Bucket(name) => format!("bucket `{name}`"),
            BlockScope::Account(Some(id)) => format!("account {id}"),
            BlockScope::Account(None) => "the account".to_string(),
        }
    }

    /// Where a flag is set, else the configuration.
    fn flag_location(&self, flag: &Flag) -> Location {
        flag.loc.clone().unwrap_or_else(|| self.loc.clone())
    }
}

/// A flag in force for a bucket: which configuration turns it on, and where.
#[derive(Clone, Debug)]
pub struct InForce<'a> {
    pub block: &'a PublicAccessBlock,
    pub location: Location,
}

/// Every configuration the inputs show.
#[derive(Clone, Debug, Default)]
pub struct PublicAccessBlocks {
    blocks: Vec<PublicAccessBlock>,
}

impl PublicAccessBlocks {
    pub fn all(&self) -> &[PublicAccessBlock] {
        &self.blocks
    }

    /// Adds a configuration; a second one for the same scope is ignored,
    /// with the warning returned.
    pub fn add(&mut self, block: PublicAccessBlock) -> Option<Diagnostic> {
        if let Some(first) = self.blocks.iter().find(|b| b.scope == block.scope) {
            return Some(
                Diagnostic::warning(
                    "model-duplicate",
                    format!(
                        "the S3 Block Public Access configuration of {} appears more than once; \
                         the first one is used",
                        block.scope_text()
                    ),
                )
                .at(&block.loc, "this one is ignored")
                .with_related(&first.loc, "first seen here"),
            );
        }
        self.blocks.push(block);
        None
    }

    /// The bucket's own configuration.
    pub fn of_bucket(&self, bucket: &str) -> Option<&PublicAccessBlock> {
        self.blocks
            .iter()
            .find(|b| b.scope == BlockScope::Bucket(bucket.to_string()))
    }

    /// The configuration of `owner`, the account that owns the bucket: one
    /// naming it, or one for the inputs' own account when `owner` is that
    /// account (`home`).
    pub fn of_account(
        &self,
        owner: Option<&str>,
        home: Option<&str>,
    ) -> Option<&PublicAccessBlock> {
        let owner = owner?;
        self.blocks.iter().find(|b| match &b.scope {
            BlockScope::Account(Some(id)) => id == owner,
            BlockScope::Account(None) => home == Some(owner),
            BlockScope::Bucket(_) => false,
        })
    }

    /// A flag (picked by `flag`) in force for `bucket` owned by `owner`:
    /// the bucket's own first, then its account's.
    pub fn in_force<'a>(
        &'a self,
        bucket: &str,
        owner: Option<&str>,
        home: Option<&str>,
        flag: fn(&PublicAccessBlock) -> &Flag,
    ) -> Option<InForce<'a>> {
        [self.of_bucket(bucket), self.of_account(owner, home)]
            .into_iter()
            .flatten()
            .find(|b| flag(b).on)
            .map(|block| InForce {
                block,
                location: block.flag_location(flag(block)),
            })
    }

    /// `RestrictPublicBuckets` for `bucket` as the evaluator takes it, when
    /// the bucket or its owner's account turns it on.
    pub fn restrict_public_buckets(
        &self,
        bucket: &str,
        owner: Option<&str>,
        home: Option<&str>,
    ) -> Option<RestrictPublicBuckets> {
        self.in_force(bucket, owner, home, |b| &b.restrict_public_buckets)
            .map(|f| RestrictPublicBuckets {
                scope: f.block.scope_text(),
                location: f.location,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, Span};

    fn loc() -> Location {
        Location::new(SourceFile::new("b.json", "{}"), Span::new(0, 2), "")
    }

    fn block(scope: BlockScope, restrict: bool) -> PublicAccessBlock {
        PublicAccessBlock {
            scope,
            block_public_acls: Flag::default(),
            ignore_public_acls: Flag::default(),
            block_public_policy: Flag::default(),
            restrict_public_buckets: Flag {
                on: restrict,
                loc: Some(loc()),
            },
            loc: loc(),
        }
    }

    // "the most restrictive combination": either level turns it on.
    #[test]
    fn the_bucket_or_its_owners_account_turns_a_flag_on() {
        let mut blocks = PublicAccessBlocks::default();
        assert!(
            blocks
                .restrict_public_buckets("site", Some("111122223333"), Some("111122223333"))
                .is_none()
        );
        blocks.add(block(BlockScope::Bucket("site".into()), false));
        blocks.add(block(
            BlockScope::Account(Some("111122223333".into())),
            true,
        ));
        let found = blocks
            .restrict_public_buckets("site", Some("111122223333"), None)
            .expect("the account turns it on");
        assert_eq!(found.scope, "account 111122223333");
        // Another account's setting does not reach the bucket.
        assert!(
            blocks
                .restrict_public_buckets("site", Some("444455556666"), None)
                .is_none()
        );
        // A duplicate is reported and ignored.
        assert!(
            blocks
                .add(block(BlockScope::Bucket("site".into()), true))
                .is_some()
        );
        assert!(
            blocks
                .restrict_public_buckets("site", Some("444455556666"), None)
                .is_none()
        );
    }

    #[test]
    fn an_account_block_without_an_id_is_the_inputs_own_account() {
        let mut blocks = PublicAccessBlocks::default();
        blocks.add(block(BlockScope::Account(None), true));
        let home = Some("111122223333");
        assert!(blocks.restrict_public_buckets("site", home, home).is_some());
        assert!(
            blocks
                .restrict_public_buckets("site", Some("444455556666"), home)
                .is_none()
        );
    }
}
