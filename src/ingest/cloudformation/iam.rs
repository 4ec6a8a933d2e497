//! IAM resources of a template: `AWS::IAM::Role`, `AWS::IAM::Policy`,
//! `AWS::IAM::RolePolicy`, `AWS::IAM::ManagedPolicy`, and the role SAM
//! creates for an `AWS::Serverless::Function` without `Role`.

use crate::diagnostic::Diagnostic;
use crate::ingest::api_shapes::trust_policy;
use crate::model::inventory::account_of;
use crate::model::{ManagedPolicy, NamedPolicy, Role};
use crate::policy::PolicyKind;
use crate::source::Spanned;
use crate::source::fields::FieldReader;
use crate::source::{Kind, Value};

use super::{Attachment, Pending, Reader, Resource};
use crate::ingest::unknown;

/// The managed policy SAM attaches to the role it creates for a function
/// (AWS SAM Developer Guide, `AWS::Serverless::Function`, `Role`).
const SAM_BASIC_EXECUTION: &str =
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

/// The trust policy of the role SAM creates for a function.
const SAM_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

impl Reader<'_, '_> {
    pub(super) fn role(&mut self, resource: &Resource) {
        let props = &resource.properties;
        let name = self.stack.resource_name(&resource.logical_id);
        let arn = self.stack.role_arn(&resource.logical_id);
        let trust_policy = trust_policy(
            self,
            props,
            "AssumeRolePolicyDocument",
            &name,
            Some("a role"),
            Self::policy,
        );
        let inline_policies = self.inline_policies(props, "Policies", &name);
        let managed_policy_arns = self
            .string_list(props, "ManagedPolicyArns")
            .unwrap_or_default();
        let permissions_boundary = self.string(props, "PermissionsBoundary");
        let tags = crate::ingest::api_shapes::tags(self, props);
        let path = self.string(props, "Path").map(|p| p.value);
        self.shared.roles.push(Role {
            account: account_of(&arn).map(str::to_string),
            id: None,
            path,
            name,
            arn,
            trust_policy,
            inline_policies,
            managed_policy_arns,
            permissions_boundary,
            tags,
            loc: resource.loc.clone(),
        });
    }

    /// `[{PolicyName, PolicyDocument}]`.
    fn inline_policies(&mut self, object: &Value, key: &str, owner: &str) -> Vec<NamedPolicy> {
        crate::ingest::api_shapes::inline_policies(self, object, key, owner, Self::policy)
    }

    /// The roles a policy resource attaches to: `Roles` (names), or
    /// `RoleName` for `AWS::IAM::RolePolicy`.
    fn attached_roles(&mut self, props: &Value) -> Vec<Spanned<String>> {
        let mut names = self.string_list(props, "Roles").unwrap_or_default();
        names.extend(self.string(props, "RoleName"));
        for key in ["Users", "Groups"] {
            if let Some(value) = props.get(key) {
                self.report(
                    Diagnostic::warning(
                        "cfn-policy-not-attached",
                        format!("the policy's `{key}` are not read: poolscope models roles only"),
                    )
                    .at(&value.loc, "left out"),
                );
            }
        }
        names
    }

    /// Attaches to the role named `role` (by name or ARN) of any template,
    /// once every template is read.
    fn attach(&mut self, role: Spanned<String>, policy: &str, attachment: Attachment) {
        self.shared.pending.push(Pending {
            role,
            policy: policy.to_string(),
            attachment,
            file: self.stack.file.clone(),
        });
    }

    /// `AWS::IAM::Policy` and `AWS::IAM::RolePolicy`: an inline policy of
    /// each named role.
    pub(super) fn inline_policy(&mut self, resource: &Resource) {
        let props = &resource.properties;
        let Some(name) = self.required_string(props, "PolicyName", "an IAM policy") else {
            return;
        };
        let roles = self.attached_roles(props);
        let policy = match props.get("PolicyDocument") {
            Some(doc) => self.policy(doc, &name.value, PolicyKind::Identity),
            None => {
                self.missing(props, "PolicyDocument", "an IAM policy");
                None
            }
        };
        for role in roles {
            let named = NamedPolicy {
                name: name.value.clone(),
                policy: policy.clone(),
                loc: resource.loc.clone(),
            };
            self.attach(role, &name.value, Attachment::Inline(Box::new(named)));
        }
    }

    pub(super) fn managed_policy(&mut self, resource: &Resource) {
        let props = &resource.properties;
        let arn = self.stack.managed_policy_arn(&resource.logical_id);
        let name = self.stack.resource_name(&resource.logical_id);
        let policy = match props.get("PolicyDocument") {
            Some(doc) => self.policy(doc, &arn, PolicyKind::Identity),
            None => {
                self.missing(props, "PolicyDocument", "a managed policy");
                None
            }
        };
        for role in self.attached_roles(props) {
            let reference = Spanned::new(arn.clone(), role.loc.clone());
            self.attach(role, &name, Attachment::Managed(reference));
        }
        let duplicate = self.inventory.add_managed_policy(ManagedPolicy {
            arn,
            name,
            default_version: None,
            policy,
            loc: resource.loc.clone(),
        });
        self.stack.diagnostics.extend(duplicate);
    }

    /// SAM: without `Role`, the function runs as `<Function>Role`, which
    /// trusts Lambda, has the basic execution policy and the function's
    /// `Policies` (AWS SAM Developer Guide, `AWS::Serverless::Function`).
    pub(super) fn serverless_function(&mut self, resource: &Resource) {
        let props = &resource.properties;
        if props.get("Role").is_some() {
            return;
        }
        let logical_id = format!("{}Role", resource.logical_id);
        let name = self.stack.resource_name(&logical_id);
        let arn = self.stack.role_arn(&logical_id);
        let trust_policy = crate::policy::parse::parse_policy_text(
            &format!(
                "{} (SAM role of {})",
                self.stack.file.path, resource.logical_id
            ),
            SAM_TRUST,
            PolicyKind::Trust,
        )
        .ok()
        .map(|parsed| parsed.policy);
        let mut managed_policy_arns = vec![Spanned::new(
            SAM_BASIC_EXECUTION.to_string(),
            resource.loc.clone(),
        )];
        let mut inline_policies = Vec::new();
        let entries: Vec<Value> = match props.get("Policies").map(|p| &p.kind) {
            Some(Kind::Array(items)) => items.clone(),
            Some(_) => props.get("Policies").cloned().into_iter().collect(),
            None => Vec::new(),
        };
        for (index, entry) in entries.iter().enumerate() {
            let policy_name = format!("{}Policy{index}", resource.logical_id);
            match &entry.kind {
                // A managed policy: an ARN, or the name of an AWS managed policy.
                Kind::String(text) => {
                    let arn = if text.starts_with("arn:") || unknown::is_unknown(text) {
                        text.clone()
                    } else {
                        format!("arn:{}:iam::aws:policy/{text}", self.stack.pseudo.partition)
                    };
                    managed_policy_arns.push(Spanned::new(arn, entry.loc.clone()));
                }
                Kind::Object(_) if entry.get("Statement").is_some() => {
                    let policy = self.policy(
                        entry,
                        &format!("{name}/{policy_name}"),
                        PolicyKind::Identity,
                    );
                    inline_policies.push(NamedPolicy {
                        name: policy_name,
                        policy,
                        loc: entry.loc.clone(),
                    });
                }
                _ => {
                    // A SAM policy template (`S3ReadPolicy: {…}`): the
                    // statements the SAM Developer Guide lists for it.
                    let template = entry.as_object().and_then(|m| m.first());
                    let what = template.map_or("a policy".to_string(), |m| m.key.clone());
                    let expanded = match template {
                        Some(member) => {
                            super::sam::expand(&member.key, &member.value, &self.stack.pseudo)
                        }
                        None => Err("a policy entry is a name, a document or a template".into()),
                    };
                    let policy = match expanded {
                        Ok(text) => crate::policy::parse::parse_policy_text(
                            &format!("{name}/{policy_name} (SAM {what})"),
                            &text,
                            PolicyKind::Identity,
                        )
                        .ok()
                        .map(|parsed| parsed.policy),
                        Err(why) => {
                            self.stack.unknown(
                                &format!("SAM policy template {what}"),
                                &entry.loc,
                                &format!("{why}: the policy is taken as allowing everything"),
                            );
                            None
                        }
                    };
                    inline_policies.push(NamedPolicy {
                        name: policy_name,
                        policy,
                        loc: entry.loc.clone(),
                    });
                }
            }
        }
        let permissions_boundary = self.string(props, "PermissionsBoundary");
        self.shared.roles.push(Role {
            account: account_of(&arn).map(str::to_string),
            id: None,
            path: None,
            name,
            arn,
            trust_policy,
            inline_policies,
            managed_policy_arns,
            permissions_boundary,
            tags: Vec::new(),
            loc: resource.loc.clone(),
        });
    }
}
