//! `cognito-idp`: `describe-user-pool`, `describe-user-pool-client` and
//! `list-groups` (or `get-group`).

use crate::cognito::Setting;
use crate::cognito::user_pool::{AUTO_VERIFIABLE, AppClient, Group, SchemaAttribute};
use crate::ingest::api_shapes::{UserPoolSettings, lambda_triggers};
use crate::source::Value;
use crate::source::fields::FieldReader;

use super::{Reader, duplicate_part};

impl Reader<'_> {
    pub(super) fn user_pool(&mut self, doc: &Value) {
        let Some(id) = self.required_string(doc, "Id", "describe-user-pool output") else {
            return;
        };
        let seen = self
            .inventory
            .user_pool(&id.value)
            .and_then(|p| p.settings_loc.clone());
        if let Some(first) = seen {
            self.diagnostics.push(duplicate_part(
                "settings of user pool",
                &id.value,
                doc,
                &first,
            ));
            return;
        }
        let allow_admin_create_user_only = self
            .object_field(doc, "AdminCreateUserConfig")
            .and_then(|config| self.bool(config, "AllowAdminCreateUserOnly"));
        let allow_admin_create_user_only = match allow_admin_create_user_only {
            Some(b) => Setting::Given(b),
            None => Setting::absent(
                false,
                "AllowAdminCreateUserOnly",
                "the Cognito user pools API reference documents no default for an absent \
                 `AdminCreateUserConfig.AllowAdminCreateUserOnly`; self sign-up is assumed \
                 open, which never hides access",
            ),
        };
        let mut schema = Vec::new();
        for attribute in self.objects(doc, "SchemaAttributes") {
            let Some(name) = self.required_string(attribute, "Name", "a schema attribute") else {
                continue;
            };
            let developer_only = self
                .bool(attribute, "DeveloperOnlyAttribute")
                .is_some_and(|b| b.value);
            schema.push(SchemaAttribute {
                custom: name.value.contains("custom:"),
                // API SchemaAttributeType documents no default for an absent
                // `Mutable`: taken as mutable, which never hides access
                // (docs/semantics.md §10).
                mutable: self.bool(attribute, "Mutable").is_none_or(|b| b.value),
                required: self.bool(attribute, "Required").is_some_and(|b| b.value),
                developer_only,
                name,
                loc: attribute.loc.clone(),
            });
        }
        let triggers = lambda_triggers(self, doc);
        let name = self.string(doc, "Name");
        let arn = self.string(doc, "Arn").map(|a| a.value);
        // docs/semantics.md §10: an absent list is not read as "none".
        let auto_verified = match doc.get("AutoVerifiedAttributes") {
            Some(list) => Setting::given(
                self.string_list(doc, "AutoVerifiedAttributes")
                    .unwrap_or_default()
                    .into_iter()
                    .map(|a| a.value)
                    .collect(),
                list.loc.clone(),
            ),
            None => Setting::absent(
                AUTO_VERIFIABLE.map(str::to_string).to_vec(),
                "AutoVerifiedAttributes",
                "the Cognito user pools API reference documents no meaning for an absent \
                 `AutoVerifiedAttributes`; email and phone number are assumed auto-verified \
                 (a new user can then hold a verified address of their own), which never \
                 hides access",
            ),
        };
        let username_attributes = self
            .string_list(doc, "UsernameAttributes")
            .unwrap_or_default();
        let alias_attributes = self.string_list(doc, "AliasAttributes").unwrap_or_default();

        let pool = self.inventory.user_pool_entry(&id.value, &doc.loc);
        UserPoolSettings {
            name,
            arn,
            allow_admin_create_user_only,
            auto_verified_attributes: auto_verified,
            username_attributes,
            alias_attributes,
            schema,
            triggers,
        }
        .apply(pool, &id.value, &doc.loc);
    }

    pub(super) fn user_pool_client(&mut self, doc: &Value) {
        let pool_id = self.required_string(doc, "UserPoolId", "describe-user-pool-client output");
        let client_id = self.required_string(doc, "ClientId", "describe-user-pool-client output");
        let (Some(pool_id), Some(client_id)) = (pool_id, client_id) else {
            return;
        };
        let client = AppClient {
            name: self.string(doc, "ClientName").map(|n| n.value),
            read_attributes: self.string_list(doc, "ReadAttributes"),
            write_attributes: self.string_list(doc, "WriteAttributes"),
            has_secret: self.string(doc, "ClientSecret").is_some(),
            user_pool_id: pool_id.value.clone(),
            id: client_id,
            loc: doc.loc.clone(),
        };
        let pool = self.inventory.user_pool_entry(&pool_id.value, &doc.loc);
        if let Some(first) = pool.client(&client.id.value) {
            let diagnostic = duplicate_part("app client", &client.id.value, doc, &first.loc);
            self.diagnostics.push(diagnostic);
            return;
        }
        pool.clients.push(client);
    }

    pub(super) fn groups(&mut self, doc: &Value) {
        let mut entries = self.objects(doc, "Groups");
        if let Some(group) = doc.get("Group").filter(|g| g.as_object().is_some()) {
            entries.push(group);
        }
        for entry in entries {
            let name = self.required_string(entry, "GroupName", "a group");
            let pool_id = self.required_string(entry, "UserPoolId", "a group");
            let (Some(name), Some(pool_id)) = (name, pool_id) else {
                continue;
            };
            let group = Group {
                role_arn: self.string(entry, "RoleArn"),
                precedence: self.integer(entry, "Precedence"),
                user_pool_id: pool_id.value.clone(),
                name,
                loc: entry.loc.clone(),
            };
            let pool = self.inventory.user_pool_entry(&pool_id.value, &entry.loc);
            if let Some(first) = pool.group(&group.name.value) {
                let diagnostic = duplicate_part("group", &group.name.value, entry, &first.loc);
                self.diagnostics.push(diagnostic);
                continue;
            }
            pool.groups.push(group);
        }
    }
}
