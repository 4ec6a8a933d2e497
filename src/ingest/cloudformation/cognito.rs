//! Cognito resources of a template: identity pools, their role
//! attachments and principal tags, user pools, app clients and groups.
//!
//! Absent properties follow docs/semantics.md §10, with the CloudFormation
//! User Guide's own words: a property it documents a default for takes it
//! (`ReadAttributes`/`WriteAttributes` unset: the standard attributes;
//! `GenerateSecret` unset: no secret); one it leaves undocumented is never
//! read as the safe value (`AllowClassicFlow`, `AllowAdminCreateUserOnly`,
//! `AutoVerifiedAttributes`, `Mutable`).

use crate::cognito::Setting;
use crate::cognito::identity_pool::PrincipalTagMap;
use crate::cognito::user_pool::{AUTO_VERIFIABLE, AppClient, Group, STANDARD_ATTRIBUTES};
use crate::ingest::api_shapes::{
    API, UserPoolSettings, attach_roles, identity_providers, lambda_triggers, pool_roles,
    role_mapping, schema_attribute,
};
use crate::source::Spanned;
use crate::source::fields::FieldReader;

use super::{Reader, Resource};
use crate::ingest::unknown;

impl Reader<'_, '_> {
    pub(super) fn identity_pool(&mut self, resource: &Resource) {
        let props = &resource.properties;
        let id = self.stack.physical_id(&resource.logical_id, &resource.loc);
        let name = self.stack.resource_name(&resource.logical_id);
        let name_loc = props
            .get("IdentityPoolName")
            .map_or_else(|| resource.loc.clone(), |v| v.loc.clone());
        let allow_unauthenticated = self.setting(
            props,
            "AllowUnauthenticatedIdentities",
            true,
            "CloudFormation requires `AllowUnauthenticatedIdentities`; guests are assumed \
             allowed, which never hides access",
        );
        let allow_classic_flow = self.setting(
            props,
            "AllowClassicFlow",
            true,
            "the CloudFormation User Guide (AWS::Cognito::IdentityPool) documents no default \
             for an absent `AllowClassicFlow`; the basic flow is assumed on — set it \
             explicitly to settle it",
        );
        let mut providers = identity_providers(self, props, &API);
        for provider in &mut providers.cognito {
            // Every entry here is a user pool: a wholly unknown name is a
            // user pool whose id is unknown (settings not in the inputs, so
            // assumed open), never no provider.
            let name = &mut provider.provider_name.value;
            if unknown::is_unknown(name) && !name.starts_with("cognito-idp.") {
                let region = &self.stack.pseudo.region;
                *name = format!(
                    "cognito-idp.{region}.{}/{region}_{name}",
                    self.stack.pseudo.url_suffix
                );
            }
        }
        let region = self.stack.pseudo.region.clone();
        let pool = self.inventory.identity_pool_entry(&id, &resource.loc);
        pool.name = Some(Spanned::new(name, name_loc));
        pool.region = Some(region);
        pool.allow_unauthenticated = allow_unauthenticated;
        pool.allow_classic_flow = allow_classic_flow;
        providers.apply(pool, &resource.loc);
    }

    pub(super) fn role_attachment(&mut self, resource: &Resource) {
        let props = &resource.properties;
        let Some(id) = self.required_string(props, "IdentityPoolId", "a role attachment") else {
            return;
        };
        let (authenticated_role, unauthenticated_role) =
            pool_roles(self, props, "Roles", Some("cfn-bad-value"));
        let role_arn = |arn: Spanned<String>| Spanned::new(self.role_arn(arn.value), arn.loc);
        let authenticated_role = authenticated_role.map(role_arn);
        let unauthenticated_role = unauthenticated_role.map(role_arn);
        let mut role_mappings = Vec::new();
        for member in self.members(props, "RoleMappings") {
            // The key names the mapping; `IdentityProvider` names the
            // provider (CloudFormation User Guide, RoleMapping).
            let provider = match self.string(&member.value, "IdentityProvider") {
                Some(provider) => provider,
                None => Spanned::new(member.key.clone(), member.key_loc.clone()),
            };
            if let Some(mut mapping) = role_mapping(self, provider, &member.value) {
                for rule in &mut mapping.rules {
                    rule.role_arn.value = self.role_arn(std::mem::take(&mut rule.role_arn.value));
                }
                role_mappings.push(mapping);
            }
        }
        let diagnostics = attach_roles(
            self.inventory,
            &id.value,
            &resource.loc,
            authenticated_role,
            unauthenticated_role,
            role_mappings,
            "cfn-unknown-value",
        );
        for diagnostic in diagnostics {
            self.report(diagnostic);
        }
    }

    pub(super) fn principal_tag(&mut self, resource: &Resource) {
        let props = &resource.properties;
        let id = self.required_string(props, "IdentityPoolId", "a principal tag map");
        let provider = self.required_string(props, "IdentityProviderName", "a principal tag map");
        let (Some(id), Some(provider)) = (id, provider) else {
            return;
        };
        let use_defaults = self.bool(props, "UseDefaults").is_some_and(|b| b.value);
        let mut tags = Vec::new();
        for member in self.members(props, "PrincipalTags") {
            match member.value.scalar_text() {
                Some(claim) => tags.push((
                    Spanned::new(member.key.clone(), member.key_loc.clone()),
                    Spanned::new(claim, member.value.loc.clone()),
                )),
                None => self.wrong_type(&member.value, &member.key, "a claim name"),
            }
        }
        let map = PrincipalTagMap {
            provider,
            use_defaults,
            tags,
            loc: resource.loc.clone(),
        };
        self.inventory
            .identity_pool_entry(&id.value, &resource.loc)
            .principal_tags
            .push(map);
    }

    pub(super) fn user_pool(&mut self, resource: &Resource) {
        let props = &resource.properties;
        let id = self.stack.physical_id(&resource.logical_id, &resource.loc);
        let name = self.stack.resource_name(&resource.logical_id);
        let arn = self
            .stack
            .attribute(&resource.logical_id, "Arn", &resource.loc);
        let allow_admin_create_user_only = match self.object_field(props, "AdminCreateUserConfig") {
            Some(config) => self.setting(
                &config.clone(),
                "AllowAdminCreateUserOnly",
                false,
                ADMIN_ONLY_ABSENT,
            ),
            None => Setting::absent(false, "AllowAdminCreateUserOnly", ADMIN_ONLY_ABSENT),
        };
        let mut schema = Vec::new();
        for attribute in self.objects(props, "Schema") {
            schema.extend(schema_attribute(self, attribute, &API));
        }
        let triggers = lambda_triggers(self, props);
        let auto_verified = match (
            props.get("AutoVerifiedAttributes"),
            self.known_list(props, "AutoVerifiedAttributes"),
        ) {
            (Some(list), Ok(Some(items))) => Setting::given(
                items.into_iter().map(|a| a.value).collect(),
                list.loc.clone(),
            ),
            (Some(_), _) => Setting::assumed(
                AUTO_VERIFIABLE.map(str::to_string).to_vec(),
                "assumed: AutoVerifiedAttributes unknown",
                "the list holds unknown values; email and phone number are assumed \
                 auto-verified, which never hides access",
            ),
            (None, _) => Setting::absent(
                AUTO_VERIFIABLE.map(str::to_string).to_vec(),
                "AutoVerifiedAttributes",
                "the CloudFormation User Guide (AWS::Cognito::UserPool) documents no meaning \
                 for an absent `AutoVerifiedAttributes`; email and phone number are assumed \
                 auto-verified, which never hides access",
            ),
        };
        let username_attributes = self
            .string_list(props, "UsernameAttributes")
            .unwrap_or_default();
        let alias_attributes = self
            .string_list(props, "AliasAttributes")
            .unwrap_or_default();
        let name_loc = props
            .get("UserPoolName")
            .map_or_else(|| resource.loc.clone(), |v| v.loc.clone());
        let pool = self.inventory.user_pool_entry(&id, &resource.loc);
        UserPoolSettings {
            name: Some(Spanned::new(name, name_loc)),
            arn,
            allow_admin_create_user_only,
            auto_verified_attributes: auto_verified,
            username_attributes,
            alias_attributes,
            schema,
            triggers,
        }
        .apply(pool, &id, &resource.loc);
    }

    pub(super) fn user_pool_client(&mut self, resource: &Resource) {
        let props = &resource.properties;
        let Some(pool_id) = self.required_string(props, "UserPoolId", "an app client") else {
            return;
        };
        let id = self.stack.physical_id(&resource.logical_id, &resource.loc);
        // Unset lists are documented (the standard attributes); a list with
        // an unknown item is read as unset for reading (every attribute,
        // more than documented) and as every attribute of the pool for
        // writing, so neither hides access.
        let read_attributes = self.known_list(props, "ReadAttributes").unwrap_or(None);
        let write_attributes = match self.known_list(props, "WriteAttributes") {
            Ok(list) => list,
            Err(()) => Some(self.every_attribute(&pool_id.value, &resource.loc)),
        };
        let client = AppClient {
            name: self.string(props, "ClientName").map(|n| n.value),
            read_attributes,
            write_attributes,
            has_secret: self.bool(props, "GenerateSecret").is_some_and(|b| b.value),
            user_pool_id: pool_id.value.clone(),
            id: Spanned::new(id, resource.loc.clone()),
            loc: resource.loc.clone(),
        };
        let pool = self
            .inventory
            .user_pool_entry(&pool_id.value, &resource.loc);
        pool.clients.push(client);
    }

    /// A role ARN as written; one wholly unknown becomes a role of the
    /// stack's account whose name is unknown: still no role of the inputs
    /// (so "may allow anything"), but not a role of a foreign account,
    /// which would make every request a cross-account one and deny it.
    fn role_arn(&self, arn: String) -> String {
        if unknown::is_unknown(&arn) && !arn.starts_with("arn:") {
            format!(
                "arn:{}:iam::{}:role/{arn}",
                self.stack.pseudo.partition, self.stack.pseudo.account
            )
        } else {
            arn
        }
    }

    /// Every standard attribute and every custom attribute of the pool.
    fn every_attribute(
        &mut self,
        pool_id: &str,
        loc: &crate::source::Location,
    ) -> Vec<Spanned<String>> {
        let mut names: Vec<String> = STANDARD_ATTRIBUTES.iter().map(|a| a.to_string()).collect();
        if let Some(pool) = self.inventory.user_pool(pool_id) {
            names.extend(pool.schema.iter().map(|a| a.name.value.clone()));
        }
        names.sort();
        names.dedup();
        names
            .into_iter()
            .map(|n| Spanned::new(n, loc.clone()))
            .collect()
    }

    pub(super) fn user_pool_group(&mut self, resource: &Resource) {
        let props = &resource.properties;
        let Some(pool_id) = self.required_string(props, "UserPoolId", "a group") else {
            return;
        };
        let name = self.stack.resource_name(&resource.logical_id);
        let name_loc = props
            .get("GroupName")
            .map_or_else(|| resource.loc.clone(), |v| v.loc.clone());
        let role_arn = self
            .string(props, "RoleArn")
            .map(|arn| Spanned::new(self.role_arn(arn.value), arn.loc));
        let group = Group {
            role_arn,
            precedence: self.integer(props, "Precedence"),
            user_pool_id: pool_id.value.clone(),
            name: Spanned::new(name, name_loc),
            loc: resource.loc.clone(),
        };
        let pool = self
            .inventory
            .user_pool_entry(&pool_id.value, &resource.loc);
        pool.groups.push(group);
    }
}

const ADMIN_ONLY_ABSENT: &str = "the CloudFormation User Guide (AWS::Cognito::UserPool \
     AdminCreateUserConfig) documents no default for an absent `AllowAdminCreateUserOnly`; \
     self sign-up is assumed open, which never hides access";
