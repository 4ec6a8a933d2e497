//! `aws_s3_bucket_policy`: the policy of its `bucket`;
//! `aws_s3_bucket_public_access_block` (its `bucket`'s S3 Block Public
//! Access) and `aws_s3_account_public_access_block` (the account's:
//! `account_id`, or the inputs' own account when it is left out). A flag
//! left out is off, as the provider defaults it; one unknown until apply
//! is read as off, which hides no access.

use crate::ingest::api_shapes::{
    PUBLIC_ACCESS_BLOCK_TERRAFORM, public_access_block, unknown_bucket_policy,
};
use crate::ingest::unknown;
use crate::model::BucketPolicy;
use crate::model::public_access::BlockScope;
use crate::policy::PolicyKind;
use crate::source::fields::FieldReader;

use super::{Reader, Resource};

impl Reader<'_> {
    /// `aws_s3_bucket_public_access_block` (`account` false) or
    /// `aws_s3_account_public_access_block` (`account` true).
    pub(super) fn public_access_block(&mut self, resource: &Resource, account: bool) {
        let values = &resource.values;
        let scope = if account {
            BlockScope::Account(
                self.string(values, "account_id")
                    .map(|id| id.value)
                    .filter(|id| !id.is_empty()),
            )
        } else {
            let Some(bucket) =
                self.required_string(values, "bucket", "an `aws_s3_bucket_public_access_block`")
            else {
                return;
            };
            BlockScope::Bucket(bucket.value)
        };
        let Some(block) = public_access_block(
            self,
            values,
            &PUBLIC_ACCESS_BLOCK_TERRAFORM,
            scope,
            values.loc.clone(),
        ) else {
            return;
        };
        let duplicate = self.inventory.add_public_access_block(block);
        self.diagnostics.extend(duplicate);
    }

    pub(super) fn bucket_policy(&mut self, resource: &Resource) {
        let values = &resource.values;
        let Some(bucket) = self.required_string(values, "bucket", "an `aws_s3_bucket_policy`")
        else {
            return;
        };
        let Some(document) = values.get("policy") else {
            self.missing(values, "policy", "an `aws_s3_bucket_policy`");
            return;
        };
        let label = format!("bucket policy of {}", bucket.value);
        // Unknown (known only after apply): it stands in as allowing
        // everything, as a template's does (docs/inputs-iac.md).
        let mut policy = match self.policy(document, &label, PolicyKind::Resource) {
            Some(policy) => policy,
            None if unknown::find_unknown(document).is_some() => {
                let stand_in = format!(
                    "{} (unknown bucket policy of {}: taken as allowing everything)",
                    self.file.path, bucket.value
                );
                match unknown_bucket_policy(&bucket.value, &stand_in) {
                    Some(policy) => policy,
                    None => return,
                }
            }
            None => return,
        };
        policy.name = label;
        let duplicate = self.inventory.add_bucket_policy(BucketPolicy {
            bucket: bucket.value,
            bucket_loc: Some(bucket.loc),
            policy,
            loc: resource.values.loc.clone(),
        });
        self.diagnostics.extend(duplicate);
    }
}
