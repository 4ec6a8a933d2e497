//! Cognito resources of a plan or state: `aws_cognito_identity_pool`,
//! `aws_cognito_identity_pool_roles_attachment`, `aws_cognito_user_pool`,
//! `aws_cognito_user_pool_client`, `aws_cognito_user_group`.
//!
//! A state lists every attribute, the provider's defaults included, so an
//! absent one means a trimmed file and follows docs/semantics.md §10. An
//! unset list attribute is written as `[]`: an empty `read_attributes` or
//! `write_attributes` is unset (AWS's documented default), and an empty
//! `auto_verified_attributes` is read as absent (both assumed
//! auto-verified, labelled), since the two cannot be told apart.

use crate::cognito::user_pool::{AUTO_VERIFIABLE, AppClient, Group, LambdaTrigger};
use crate::cognito::{Setting, region_of};
use crate::ingest::api_shapes::{
    TERRAFORM, UserPoolSettings, attach_roles, identity_providers, pool_roles, role_mapping,
    schema_attribute,
};
use crate::ingest::unknown;
use crate::source::Spanned;
use crate::source::fields::FieldReader;
use crate::source::{Kind, Member, Value};

use super::{Reader, Resource, unset_if_empty};

impl Reader<'_> {
    /// A boolean: as given; absent or unknown, `open` (the value that hides
    /// no access), labelled.
    fn setting(&mut self, object: &Value, key: &str, open: bool, why: &str) -> Setting<bool> {
        if let Some(text) = object.get(key).and_then(Value::as_str)
            && unknown::is_unknown(text)
        {
            return Setting::assumed(
                open,
                format!("assumed: {key} unknown"),
                "known only after apply; the value that hides no access is assumed",
            );
        }
        match self.bool(object, key) {
            Some(b) => Setting::Given(b),
            None => Setting::absent(open, key, why),
        }
    }

    pub(super) fn identity_pool(&mut self, resource: &Resource) {
        let values = &resource.values;
        let Some(id) = self.required_string(values, "id", "an `aws_cognito_identity_pool`") else {
            return;
        };
        let name = self.string(values, "identity_pool_name");
        let allow_unauthenticated = self.setting(
            values,
            "allow_unauthenticated_identities",
            true,
            "the state lists every attribute, so the file was trimmed; guests are assumed \
             allowed, which never hides access",
        );
        let allow_classic_flow = self.setting(
            values,
            "allow_classic_flow",
            true,
            "the state lists every attribute, so the file was trimmed; the basic flow is \
             assumed on, which never hides access",
        );
        let mut providers = identity_providers(self, values, &TERRAFORM);
        for provider in &mut providers.cognito {
            // Every entry here is a user pool: an unknown name is a user
            // pool of the pool's region whose id is unknown (settings not in
            // the inputs, so assumed open), never no provider.
            let name = &mut provider.provider_name.value;
            if unknown::is_unknown(name) {
                let region = region_of(&id.value).unwrap_or_else(|| "us-east-1".to_string());
                *name = format!("cognito-idp.{region}.amazonaws.com/{region}_{name}");
            }
        }
        // The provider writes an unset name as "".
        providers.developer = providers.developer.filter(|d| !d.value.is_empty());
        let pool = self.inventory.identity_pool_entry(&id.value, &values.loc);
        pool.name = name;
        pool.region = region_of(&id.value);
        pool.allow_unauthenticated = allow_unauthenticated;
        pool.allow_classic_flow = allow_classic_flow;
        providers.apply(pool, &values.loc);
    }

    pub(super) fn roles_attachment(&mut self, resource: &Resource) {
        let values = &resource.values;
        let Some(id) = self.required_string(values, "identity_pool_id", "a roles attachment")
        else {
            return;
        };
        let (authenticated_role, unauthenticated_role) = pool_roles(self, values, "roles", None);
        let authenticated_role = authenticated_role.map(|arn| self.role_arn(arn));
        let unauthenticated_role = unauthenticated_role.map(|arn| self.role_arn(arn));
        let mut role_mappings = Vec::new();
        for block in self.objects(values, "role_mapping") {
            let Some(provider) = self.required_string(block, "identity_provider", "a role mapping")
            else {
                continue;
            };
            let api_shape = api_role_mapping(block);
            if let Some(mut mapping) = role_mapping(self, provider, &api_shape) {
                for rule in &mut mapping.rules {
                    let arn = std::mem::replace(
                        &mut rule.role_arn,
                        Spanned::new(String::new(), rule.loc.clone()),
                    );
                    rule.role_arn = self.role_arn(arn);
                }
                role_mappings.push(mapping);
            }
        }
        let diagnostics = attach_roles(
            self.inventory,
            &id.value,
            &values.loc,
            authenticated_role,
            unauthenticated_role,
            role_mappings,
            "tf-unknown-value",
        );
        for diagnostic in diagnostics {
            self.diagnostics.push(diagnostic);
        }
    }

    pub(super) fn user_pool(&mut self, resource: &Resource) {
        let values = &resource.values;
        let Some(id) = self.required_string(values, "id", "an `aws_cognito_user_pool`") else {
            return;
        };
        let admin_only = self
            .objects(values, "admin_create_user_config")
            .first()
            .copied()
            .map(|config| {
                self.setting(
                    config,
                    "allow_admin_create_user_only",
                    false,
                    ADMIN_ONLY_ABSENT,
                )
            })
            .unwrap_or_else(|| {
                Setting::absent(false, "AllowAdminCreateUserOnly", ADMIN_ONLY_ABSENT)
            });
        let mut schema = Vec::new();
        for attribute in self.objects(values, "schema") {
            schema.extend(schema_attribute(self, attribute, &TERRAFORM));
        }
        let mut triggers: Vec<LambdaTrigger> = Vec::new();
        if let Some(config) = self.objects(values, "lambda_config").first().copied() {
            for member in config.as_object().unwrap_or(&[]) {
                let arn = match &member.value.kind {
                    Kind::String(arn) if !arn.is_empty() => {
                        Spanned::new(arn.clone(), member.value.loc.clone())
                    }
                    // `pre_token_generation_config = [{lambda_arn, …}]`
                    Kind::Array(items) => match items.first().and_then(|i| i.get("lambda_arn")) {
                        Some(arn) if arn.as_str().is_some_and(|a| !a.is_empty()) => Spanned::new(
                            arn.as_str().unwrap_or_default().to_string(),
                            arn.loc.clone(),
                        ),
                        _ => continue,
                    },
                    _ => continue,
                };
                let key = member.key.strip_suffix("_config").unwrap_or(&member.key);
                let trigger = pascal_case(key);
                if trigger == "KmsKeyId" || triggers.iter().any(|t| t.trigger.value == trigger) {
                    continue;
                }
                triggers.push(LambdaTrigger {
                    trigger: Spanned::new(trigger, member.key_loc.clone()),
                    function_arn: arn,
                });
            }
        }
        let auto_verified =
            match unset_if_empty(self.string_list(values, "auto_verified_attributes")) {
                Some(list) if !list.iter().any(|a| unknown::is_unknown(&a.value)) => {
                    Setting::given(
                        list.into_iter().map(|a| a.value).collect(),
                        values
                            .get("auto_verified_attributes")
                            .map_or_else(|| values.loc.clone(), |v| v.loc.clone()),
                    )
                }
                _ => Setting::absent(
                    AUTO_VERIFIABLE.map(str::to_string).to_vec(),
                    "AutoVerifiedAttributes",
                    "Terraform writes an unset list as empty, and the Cognito API documents no \
                 meaning for an absent `AutoVerifiedAttributes`; email and phone number are \
                 assumed auto-verified, which never hides access",
                ),
            };
        let username_attributes = self
            .string_list(values, "username_attributes")
            .unwrap_or_default();
        let alias_attributes = self
            .string_list(values, "alias_attributes")
            .unwrap_or_default();
        let name = self.string(values, "name");
        let arn = self.string(values, "arn").map(|a| a.value);
        let pool = self.inventory.user_pool_entry(&id.value, &values.loc);
        UserPoolSettings {
            name,
            arn,
            allow_admin_create_user_only: admin_only,
            auto_verified_attributes: auto_verified,
            username_attributes,
            alias_attributes,
            schema,
            triggers,
        }
        .apply(pool, &id.value, &values.loc);
    }

    pub(super) fn user_pool_client(&mut self, resource: &Resource) {
        let values = &resource.values;
        let pool_id = self.required_string(values, "user_pool_id", "an app client");
        let id = self.required_string(values, "id", "an app client");
        let (Some(pool_id), Some(id)) = (pool_id, id) else {
            return;
        };
        let unknown_list = |list: &Option<Vec<Spanned<String>>>| {
            list.as_ref()
                .is_some_and(|l| l.iter().any(|a| unknown::is_unknown(&a.value)))
        };
        let read_attributes = unset_if_empty(self.string_list(values, "read_attributes"));
        let read_attributes = if unknown_list(&read_attributes) {
            None
        } else {
            read_attributes
        };
        let write_attributes = unset_if_empty(self.string_list(values, "write_attributes"));
        let write_attributes = if unknown_list(&write_attributes) {
            // Every attribute of the pool, standard and custom.
            let mut names: Vec<String> = crate::cognito::user_pool::STANDARD_ATTRIBUTES
                .iter()
                .map(|a| a.to_string())
                .collect();
            if let Some(pool) = self.inventory.user_pool(&pool_id.value) {
                names.extend(pool.schema.iter().map(|a| a.name.value.clone()));
            }
            Some(
                names
                    .into_iter()
                    .map(|n| Spanned::new(n, values.loc.clone()))
                    .collect(),
            )
        } else {
            write_attributes
        };
        let client = AppClient {
            name: self.string(values, "name").map(|n| n.value),
            read_attributes,
            write_attributes,
            has_secret: self
                .bool(values, "generate_secret")
                .is_some_and(|b| b.value),
            user_pool_id: pool_id.value.clone(),
            id,
            loc: values.loc.clone(),
        };
        let pool = self.inventory.user_pool_entry(&pool_id.value, &values.loc);
        pool.clients.push(client);
    }

    pub(super) fn user_group(&mut self, resource: &Resource) {
        let values = &resource.values;
        let name = self.required_string(values, "name", "an `aws_cognito_user_group`");
        let pool_id = self.required_string(values, "user_pool_id", "an `aws_cognito_user_group`");
        let (Some(name), Some(pool_id)) = (name, pool_id) else {
            return;
        };
        let role_arn = self
            .string(values, "role_arn")
            .filter(|r| !r.value.is_empty())
            .map(|r| self.role_arn(r));
        let group = Group {
            role_arn,
            precedence: self.integer(values, "precedence"),
            user_pool_id: pool_id.value.clone(),
            name,
            loc: values.loc.clone(),
        };
        let pool = self.inventory.user_pool_entry(&pool_id.value, &values.loc);
        pool.groups.push(group);
    }
}

const ADMIN_ONLY_ABSENT: &str = "the Cognito API documents no default for an absent \
     `AllowAdminCreateUserOnly`; self sign-up is assumed open, which never hides access";

/// `pre_token_generation` → `PreTokenGeneration`, the API's trigger names.
fn pascal_case(snake: &str) -> String {
    snake
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect()
}

/// A Terraform `role_mapping` block in the API's RoleMapping shape, keeping
/// every value's location, so the shared reader reads it.
fn api_role_mapping(block: &Value) -> Value {
    let rename = |key: &str, to: &str| -> Option<Member> {
        let member = block.member(key)?;
        Some(Member {
            key: to.to_string(),
            key_loc: member.key_loc.clone(),
            value: member.value.clone(),
        })
    };
    let mut members: Vec<Member> = [
        rename("type", "Type"),
        rename("ambiguous_role_resolution", "AmbiguousRoleResolution"),
    ]
    .into_iter()
    .flatten()
    .filter(|m| !m.value.as_str().is_some_and(str::is_empty))
    .collect();
    if let Some(rules) = block.member("mapping_rule") {
        let items: Vec<Value> = rules
            .value
            .as_array()
            .unwrap_or(&[])
            .iter()
            .map(|rule| {
                let field = |key: &str, to: &str| {
                    rule.member(key).map(|m| Member {
                        key: to.to_string(),
                        key_loc: m.key_loc.clone(),
                        value: m.value.clone(),
                    })
                };
                Value {
                    kind: Kind::Object(
                        [
                            field("claim", "Claim"),
                            field("match_type", "MatchType"),
                            field("value", "Value"),
                            field("role_arn", "RoleARN"),
                        ]
                        .into_iter()
                        .flatten()
                        .collect(),
                    ),
                    loc: rule.loc.clone(),
                }
            })
            .collect();
        if !items.is_empty() {
            let rules_list = Value {
                kind: Kind::Array(items),
                loc: rules.value.loc.clone(),
            };
            members.push(Member {
                key: "RulesConfiguration".to_string(),
                key_loc: rules.key_loc.clone(),
                value: Value {
                    kind: Kind::Object(vec![Member {
                        key: "Rules".to_string(),
                        key_loc: rules.key_loc.clone(),
                        value: rules_list,
                    }]),
                    loc: rules.value.loc.clone(),
                },
            });
        }
    }
    Value {
        kind: Kind::Object(members),
        loc: block.loc.clone(),
    }
}
