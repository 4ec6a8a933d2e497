//! S3 resources of a template: `AWS::S3::BucketPolicy`, and the
//! `PublicAccessBlockConfiguration` of `AWS::S3::Bucket` (S3 Block Public
//! Access for that bucket; absent, the bucket has none in the model).
//!
//! A bucket policy holding an unknown value cannot be left out (its
//! statements may allow what identity policies do not) nor read as written:
//! it stands in as allowing every S3 action on the bucket to everyone, with
//! the warning that says so.

use crate::diagnostic::Diagnostic;
use crate::ingest::api_shapes::{
    PUBLIC_ACCESS_BLOCK_API, public_access_block, unknown_bucket_policy,
};
use crate::model::BucketPolicy;
use crate::model::public_access::BlockScope;
use crate::policy::PolicyKind;
use crate::source::fields::FieldReader;

use super::{Reader, Resource};
use crate::ingest::unknown;

impl Reader<'_, '_> {
    /// An `AWS::S3::Bucket`: its `PublicAccessBlockConfiguration`, if any.
    pub(super) fn bucket(&mut self, resource: &Resource) {
        let Some(config) = resource.properties.get("PublicAccessBlockConfiguration") else {
            return;
        };
        let name = self.stack.resource_name(&resource.logical_id);
        let Some(block) = public_access_block(
            self,
            config,
            &PUBLIC_ACCESS_BLOCK_API,
            BlockScope::Bucket(name),
            config.loc.clone(),
        ) else {
            return;
        };
        let duplicate = self.inventory.add_public_access_block(block);
        self.stack.diagnostics.extend(duplicate);
    }

    pub(super) fn bucket_policy(&mut self, resource: &Resource) {
        let props = &resource.properties;
        let Some(bucket) = self.required_string(props, "Bucket", "a bucket policy") else {
            return;
        };
        let Some(document) = props.get("PolicyDocument") else {
            self.missing(props, "PolicyDocument", "a bucket policy");
            return;
        };
        if unknown::is_unknown(&bucket.value) {
            self.report(
                Diagnostic::warning(
                    "cfn-unknown-bucket",
                    format!(
                        "the bucket of `{}` is unknown (`{}`): its policy applies to no bucket \
                         poolscope can name",
                        resource.logical_id,
                        unknown::describe(&bucket.value)
                    ),
                )
                .at(&bucket.loc, "unknown bucket")
                .with_help("pass `--param` for the bucket name; questions about the bucket are answered without this policy"),
            );
        }
        let label = format!("bucket policy of {}", bucket.value);
        let policy = match self.policy(document, &label, PolicyKind::Resource) {
            Some(policy) => policy,
            None if unknown::find_unknown(document).is_some() => {
                let stand_in = format!(
                    "{} (unknown bucket policy of {}: taken as allowing everything)",
                    self.stack.file.path, bucket.value
                );
                match unknown_bucket_policy(&bucket.value, &stand_in) {
                    Some(policy) => policy,
                    None => return,
                }
            }
            None => return,
        };
        let mut policy = policy;
        policy.name = label;
        let duplicate = self.inventory.add_bucket_policy(BucketPolicy {
            bucket: bucket.value,
            bucket_loc: Some(bucket.loc),
            policy,
            loc: resource.loc.clone(),
        });
        self.stack.diagnostics.extend(duplicate);
    }
}
