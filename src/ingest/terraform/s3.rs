//! `aws_s3_bucket_policy`: the policy of its `bucket`.

use crate::ingest::api_shapes::unknown_bucket_policy;
use crate::ingest::unknown;
use crate::model::BucketPolicy;
use crate::policy::PolicyKind;
use crate::source::fields::FieldReader;

use super::{Reader, Resource};

impl Reader<'_> {
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
