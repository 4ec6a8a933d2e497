//! `iam get-account-authorization-details`: managed policies, roles, users
//! and groups.

use crate::diagnostic::Diagnostic;
use crate::ingest::api_shapes::{name_and_arn, trust_policy};
use crate::model::inventory::account_of;
use crate::model::{IamGroup, IamUser, ManagedPolicy, Role};
use crate::policy::PolicyKind;
use crate::source::Value;
use crate::source::fields::FieldReader;

use super::Reader;

impl Reader<'_> {
    pub(super) fn account_details(&mut self, doc: &Value) {
        for entry in self.objects(doc, "Policies") {
            self.managed_policy(entry);
        }
        for entry in self.objects(doc, "RoleDetailList") {
            self.role(entry);
        }
        for entry in self.objects(doc, "UserDetailList") {
            self.user(entry);
        }
        for entry in self.objects(doc, "GroupDetailList") {
            self.group(entry);
        }
    }

    fn managed_policy(&mut self, entry: &Value) {
        let Some(arn) = self.required_string(entry, "Arn", "a managed policy") else {
            return;
        };
        let name = self
            .string(entry, "PolicyName")
            .map_or_else(|| arn.value.clone(), |n| n.value);
        let default_version = self.string(entry, "DefaultVersionId").map(|v| v.value);
        let versions = self.objects(entry, "PolicyVersionList");
        let default = versions.iter().copied().find(|v| {
            v.get("IsDefaultVersion").and_then(Value::as_bool) == Some(true)
                || (default_version.is_some()
                    && v.get("VersionId").and_then(Value::as_str) == default_version.as_deref())
        });
        let policy = match default.and_then(|v| v.get("Document")) {
            Some(document) => self.policy(document, &arn.value, PolicyKind::Identity),
            None => {
                self.diagnostics.push(
                    Diagnostic::warning(
                        "cli-no-default-version",
                        format!(
                            "managed policy `{}` has no default version document",
                            arn.value
                        ),
                    )
                    .at(
                        &entry.loc,
                        "no `PolicyVersionList` entry with `IsDefaultVersion`",
                    )
                    .with_help("its permissions are unknown; take the snapshot without filters"),
                );
                None
            }
        };
        let policy = ManagedPolicy {
            arn: arn.value,
            name,
            default_version,
            policy,
            loc: entry.loc.clone(),
        };
        let duplicate = self.inventory.add_managed_policy(policy);
        self.push(duplicate);
    }

    fn role(&mut self, entry: &Value) {
        let Some((name, arn)) = name_and_arn(self, entry, "RoleName", "Arn", "a role") else {
            return;
        };
        let trust_policy = trust_policy(
            self,
            entry,
            "AssumeRolePolicyDocument",
            &name.value,
            None,
            Self::policy,
        );
        if trust_policy.is_none() {
            self.diagnostics.push(
                Diagnostic::warning(
                    "cli-unknown-trust",
                    format!(
                        "role `{}` has no readable trust policy; who can assume it is unknown",
                        name.value
                    ),
                )
                .at(&entry.loc, "this role"),
            );
        }
        let inline_policies = self.inline_policies(entry, "RolePolicyList", &name.value);
        let managed_policy_arns = self.attached(entry);
        let permissions_boundary = self.boundary(entry);
        let tags = crate::ingest::api_shapes::tags(self, entry);
        let role = Role {
            account: account_of(&arn.value).map(str::to_string),
            id: self.string(entry, "RoleId").map(|v| v.value),
            path: self.string(entry, "Path").map(|v| v.value),
            name: name.value,
            arn: arn.value,
            trust_policy,
            inline_policies,
            managed_policy_arns,
            permissions_boundary,
            tags,
            loc: entry.loc.clone(),
        };
        let duplicate = self.inventory.add_role(role);
        self.push(duplicate);
    }

    fn user(&mut self, entry: &Value) {
        let Some((name, arn)) = name_and_arn(self, entry, "UserName", "Arn", "a user") else {
            return;
        };
        let user = IamUser {
            inline_policies: self.inline_policies(entry, "UserPolicyList", &name.value),
            managed_policy_arns: self.attached(entry),
            permissions_boundary: self.boundary(entry),
            groups: self.string_list(entry, "GroupList").unwrap_or_default(),
            name: name.value,
            arn: arn.value,
            loc: entry.loc.clone(),
        };
        let duplicate = self.inventory.add_user(user);
        self.push(duplicate);
    }

    fn group(&mut self, entry: &Value) {
        let Some((name, arn)) = name_and_arn(self, entry, "GroupName", "Arn", "a group") else {
            return;
        };
        let group = IamGroup {
            inline_policies: self.inline_policies(entry, "GroupPolicyList", &name.value),
            managed_policy_arns: self.attached(entry),
            name: name.value,
            arn: arn.value,
            loc: entry.loc.clone(),
        };
        let duplicate = self.inventory.add_group(group);
        self.push(duplicate);
    }
}
