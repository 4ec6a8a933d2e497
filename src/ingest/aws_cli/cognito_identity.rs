//! `cognito-identity`: `describe-identity-pool`, `get-identity-pool-roles`
//! and `get-principal-tag-attribute-map`.

use crate::cognito::Setting;
use crate::cognito::identity_pool::PrincipalTagMap;
use crate::source::Spanned;
use crate::source::Value;
use crate::source::fields::FieldReader;

use super::{Reader, duplicate_part};
use crate::ingest::api_shapes::{API, identity_providers, pool_roles, role_mapping};

impl Reader<'_> {
    pub(super) fn identity_pool(&mut self, doc: &Value) {
        let Some(id) = self.required_string(doc, "IdentityPoolId", "describe-identity-pool output")
        else {
            return;
        };
        let seen = self
            .inventory
            .identity_pool(&id.value)
            .and_then(|p| p.settings_loc.clone());
        if let Some(first) = seen {
            self.diagnostics.push(duplicate_part(
                "settings of identity pool",
                &id.value,
                doc,
                &first,
            ));
            return;
        }
        let name = self.string(doc, "IdentityPoolName");
        // docs/semantics.md §10, "Absent fields and undocumented corners":
        // neither field is read as the safe value when absent.
        let allow_unauthenticated = match self.bool(doc, "AllowUnauthenticatedIdentities") {
            Some(b) => Setting::Given(b),
            None => Setting::absent(
                true,
                "AllowUnauthenticatedIdentities",
                "the API always returns this required field, so the input was trimmed; \
                 guests are assumed allowed, which never hides access",
            ),
        };
        let allow_classic_flow = match self.bool(doc, "AllowClassicFlow") {
            Some(b) => Setting::Given(b),
            None => Setting::absent(
                true,
                "AllowClassicFlow",
                "the Cognito Identity API reference documents no default for an absent \
                 `AllowClassicFlow`, and GetOpenIdToken has been reported to work on pools \
                 created without it (aws/aws-cli issue 7652); the basic flow is assumed on \
                 — set `AllowClassicFlow` explicitly to settle it",
            ),
        };
        let providers = identity_providers(self, doc, &API);

        let pool = self.inventory.identity_pool_entry(&id.value, &doc.loc);
        pool.name = name;
        pool.allow_unauthenticated = allow_unauthenticated;
        pool.allow_classic_flow = allow_classic_flow;
        providers.apply(pool, &doc.loc);

        // A hand-merged snapshot may carry the roles too.
        if doc.get("Roles").is_some() || doc.get("RoleMappings").is_some() {
            self.identity_pool_roles(doc);
        }
    }

    pub(super) fn identity_pool_roles(&mut self, doc: &Value) {
        let Some(id) =
            self.required_string(doc, "IdentityPoolId", "get-identity-pool-roles output")
        else {
            return;
        };
        let seen = self
            .inventory
            .identity_pool(&id.value)
            .and_then(|p| p.roles_loc.clone());
        if let Some(first) = seen {
            self.diagnostics.push(duplicate_part(
                "roles of identity pool",
                &id.value,
                doc,
                &first,
            ));
            return;
        }
        let (authenticated_role, unauthenticated_role) =
            pool_roles(self, doc, "Roles", Some("cli-unknown-field"));
        let mut role_mappings = Vec::new();
        for member in self.members(doc, "RoleMappings") {
            let provider = Spanned::new(member.key.clone(), member.key_loc.clone());
            if let Some(mapping) = role_mapping(self, provider, &member.value) {
                role_mappings.push(mapping);
            }
        }
        let pool = self.inventory.identity_pool_entry(&id.value, &doc.loc);
        pool.authenticated_role = authenticated_role;
        pool.unauthenticated_role = unauthenticated_role;
        pool.role_mappings = role_mappings;
        pool.roles_loc = Some(doc.loc.clone());
    }

    pub(super) fn principal_tags(&mut self, doc: &Value) {
        let id = self.required_string(
            doc,
            "IdentityPoolId",
            "get-principal-tag-attribute-map output",
        );
        let provider = self.required_string(
            doc,
            "IdentityProviderName",
            "get-principal-tag-attribute-map output",
        );
        let (Some(id), Some(provider)) = (id, provider) else {
            return;
        };
        let use_defaults = self.bool(doc, "UseDefaults").is_some_and(|b| b.value);
        let mut tags = Vec::new();
        for member in self.members(doc, "PrincipalTags") {
            match member.value.as_str() {
                Some(claim) => tags.push((
                    Spanned::new(member.key.clone(), member.key_loc.clone()),
                    Spanned::new(claim.to_string(), member.value.loc.clone()),
                )),
                None => self.wrong_type(&member.value, &member.key, "a claim name"),
            }
        }
        let map = PrincipalTagMap {
            provider,
            use_defaults,
            tags,
            loc: doc.loc.clone(),
        };
        self.inventory
            .identity_pool_entry(&id.value, &doc.loc)
            .principal_tags
            .push(map);
    }
}
