//! IAM resources of a plan or state: `aws_iam_role` (with `inline_policy`
//! blocks), `aws_iam_role_policy`, `aws_iam_policy`,
//! `aws_iam_role_policy_attachment`.

use crate::ingest::api_shapes::{name_and_arn, trust_policy};
use crate::model::inventory::account_of;
use crate::model::{ManagedPolicy, NamedPolicy, Role};
use crate::policy::PolicyKind;
use crate::source::Spanned;
use crate::source::fields::FieldReader;

use super::{Reader, Resource};
use crate::ingest::unknown;

impl Reader<'_> {
    pub(super) fn role(&mut self, resource: &Resource) {
        let values = &resource.values;
        let Some((name, arn)) = name_and_arn(self, values, "name", "arn", "an `aws_iam_role`")
        else {
            return;
        };
        let trust_policy = trust_policy(
            self,
            values,
            "assume_role_policy",
            &name.value,
            Some("an `aws_iam_role`"),
            Self::policy,
        );
        let mut inline_policies = Vec::new();
        // Set by an expression known only after apply: policies poolscope
        // cannot see, standing in as allowing everything.
        let unknown_text = |key: &str| {
            values
                .get(key)
                .filter(|v| v.as_str().is_some_and(unknown::is_unknown))
                .cloned()
        };
        if let Some(value) = unknown_text("inline_policy") {
            inline_policies.push(NamedPolicy {
                name: "inline policies known after apply".to_string(),
                policy: None,
                loc: value.loc.clone(),
            });
        }
        let known_list = unknown_text("inline_policy").is_none();
        let blocks = if known_list {
            self.objects(values, "inline_policy")
        } else {
            Vec::new()
        };
        for block in blocks {
            // The provider writes an empty block when the role has none.
            let (Some(policy_name), Some(document)) =
                (self.string(block, "name"), block.get("policy"))
            else {
                continue;
            };
            if policy_name.value.is_empty() {
                continue;
            }
            let policy = self.policy(
                document,
                &format!("{}/{}", name.value, policy_name.value),
                PolicyKind::Identity,
            );
            inline_policies.push(NamedPolicy {
                name: policy_name.value,
                policy,
                loc: block.loc.clone(),
            });
        }
        let managed_policy_arns = match unknown_text("managed_policy_arns") {
            Some(value) => vec![Spanned::new(
                value.as_str().unwrap_or_default().to_string(),
                value.loc.clone(),
            )],
            None => self
                .string_list(values, "managed_policy_arns")
                .unwrap_or_default(),
        };
        let permissions_boundary = self
            .string(values, "permissions_boundary")
            .filter(|b| !b.value.is_empty());
        let path = self.string(values, "path").map(|p| p.value);
        let mut tags = Vec::new();
        for member in self.members(values, "tags") {
            if let Some(value) = member.value.as_str() {
                tags.push((member.key.clone(), value.to_string()));
            }
        }
        let id = self.string(values, "unique_id").map(|v| v.value);
        self.roles.push(Role {
            account: account_of(&arn.value).map(str::to_string),
            id,
            path,
            name: name.value,
            arn: arn.value,
            trust_policy,
            inline_policies,
            managed_policy_arns,
            permissions_boundary,
            tags,
            loc: resource.values.loc.clone(),
        });
    }

    /// `aws_iam_role_policy`: an inline policy of its `role`.
    pub(super) fn role_policy(&mut self, resource: &Resource) {
        let values = &resource.values;
        let role = self.required_string(values, "role", "an `aws_iam_role_policy`");
        let name = self.required_string(values, "name", "an `aws_iam_role_policy`");
        let (Some(role), Some(name)) = (role, name) else {
            return;
        };
        let Some(document) = values.get("policy") else {
            self.missing(values, "policy", "an `aws_iam_role_policy`");
            return;
        };
        let policy_name = format!("{}/{}", role.value, name.value);
        let policy = self.policy(document, &policy_name, PolicyKind::Identity);
        // `role` is the role's name, or `NAME:POLICY` ids in old states.
        if let Some(role) = self.file_role(&role, &format!("policy `{}`", name.value)) {
            // The provider also reads the policy back into the role's
            // `inline_policy`: one policy, the resource's copy.
            role.inline_policies.retain(|p| p.name != name.value);
            role.inline_policies.push(NamedPolicy {
                name: name.value,
                policy,
                loc: resource.values.loc.clone(),
            });
        }
    }

    pub(super) fn managed_policy(&mut self, resource: &Resource) {
        let values = &resource.values;
        let Some(arn) = self.required_string(values, "arn", "an `aws_iam_policy`") else {
            return;
        };
        let name = self
            .string(values, "name")
            .map_or_else(|| arn.value.clone(), |n| n.value);
        let policy = match values.get("policy") {
            Some(document) => self.policy(document, &arn.value, PolicyKind::Identity),
            None => None,
        };
        let duplicate = self.inventory.add_managed_policy(ManagedPolicy {
            arn: arn.value,
            name,
            default_version: None,
            policy,
            loc: resource.values.loc.clone(),
        });
        self.diagnostics.extend(duplicate);
    }

    /// `aws_iam_role_policy_attachment`: a managed policy of its `role`.
    pub(super) fn policy_attachment(&mut self, resource: &Resource) {
        let values = &resource.values;
        let role = self.required_string(values, "role", "a policy attachment");
        let arn = self.required_string(values, "policy_arn", "a policy attachment");
        let (Some(role), Some(arn)) = (role, arn) else {
            return;
        };
        let what = format!("`{}`", resource.address);
        if let Some(role) = self.file_role(&role, &what) {
            role.managed_policy_arns
                .push(Spanned::new(arn.value, arn.loc));
        }
    }
}
