//! `cognito-identity`: `describe-identity-pool`, `get-identity-pool-roles`
//! and `get-principal-tag-attribute-map`.

use crate::cognito::Setting;
use crate::cognito::identity_pool::{
    AmbiguousRoleResolution, CognitoProvider, LoginProvider, MappingRule, MappingType, MatchType,
    PrincipalTagMap, RoleMapping,
};
use crate::diagnostic::Diagnostic;
use crate::policy::Spanned;
use crate::policy::parse::did_you_mean;
use crate::source::fields::FieldReader;
use crate::source::{Member, Value};

use super::{Reader, duplicate_part};

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
        let mut cognito_providers = Vec::new();
        for entry in self.objects(doc, "CognitoIdentityProviders") {
            let provider_name =
                self.required_string(entry, "ProviderName", "a Cognito identity provider");
            let client_id = self.required_string(entry, "ClientId", "a Cognito identity provider");
            if let (Some(provider_name), Some(client_id)) = (provider_name, client_id) {
                cognito_providers.push(CognitoProvider {
                    provider_name,
                    client_id,
                    server_side_token_check: self
                        .bool(entry, "ServerSideTokenCheck")
                        .is_some_and(|b| b.value),
                    loc: entry.loc.clone(),
                });
            }
        }
        let mut login_providers = Vec::new();
        for member in self.members(doc, "SupportedLoginProviders") {
            match member.value.as_str() {
                Some(app_id) => login_providers.push(LoginProvider {
                    domain: Spanned::new(member.key.clone(), member.key_loc.clone()),
                    app_id: Spanned::new(app_id.to_string(), member.value.loc.clone()),
                }),
                None => self.wrong_type(&member.value, &member.key, "a string (the app id)"),
            }
        }
        let openid_provider_arns = self
            .string_list(doc, "OpenIdConnectProviderARNs")
            .unwrap_or_default();
        let saml_provider_arns = self
            .string_list(doc, "SamlProviderARNs")
            .unwrap_or_default();
        let developer_provider_name = self.string(doc, "DeveloperProviderName");

        let pool = self.inventory.identity_pool_entry(&id.value, &doc.loc);
        pool.name = name;
        pool.allow_unauthenticated = allow_unauthenticated;
        pool.allow_classic_flow = allow_classic_flow;
        pool.cognito_providers = cognito_providers;
        pool.login_providers = login_providers;
        pool.openid_provider_arns = openid_provider_arns;
        pool.saml_provider_arns = saml_provider_arns;
        pool.developer_provider_name = developer_provider_name;
        pool.settings_loc = Some(doc.loc.clone());
        pool.loc = doc.loc.clone();

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
        let mut authenticated_role = None;
        let mut unauthenticated_role = None;
        for member in self.members(doc, "Roles") {
            let Some(arn) = member.value.as_str() else {
                self.wrong_type(&member.value, &member.key, "a role ARN");
                continue;
            };
            let arn = Spanned::new(arn.to_string(), member.value.loc.clone());
            match member.key.as_str() {
                "authenticated" => authenticated_role = Some(arn),
                "unauthenticated" => unauthenticated_role = Some(arn),
                other => self.diagnostics.push(
                    Diagnostic::error(
                        "cli-unknown-field",
                        format!("`{other}` is not a role kind of an identity pool"),
                    )
                    .at(
                        &member.key_loc,
                        "expected `authenticated` or `unauthenticated`",
                    ),
                ),
            }
        }
        let mut role_mappings = Vec::new();
        for member in self.members(doc, "RoleMappings") {
            if let Some(mapping) = self.role_mapping(member) {
                role_mappings.push(mapping);
            }
        }
        let pool = self.inventory.identity_pool_entry(&id.value, &doc.loc);
        pool.authenticated_role = authenticated_role;
        pool.unauthenticated_role = unauthenticated_role;
        pool.role_mappings = role_mappings;
        pool.roles_loc = Some(doc.loc.clone());
    }

    fn role_mapping(&mut self, member: &Member) -> Option<RoleMapping> {
        let mapping = &member.value;
        if mapping.as_object().is_none() {
            self.wrong_type(mapping, &member.key, "a role mapping object");
            return None;
        }
        let type_text = self.required_string(mapping, "Type", "a role mapping")?;
        let Some(mapping_type) = MappingType::parse(&type_text.value) else {
            self.diagnostics.push(
                Diagnostic::error(
                    "cli-bad-value",
                    format!("`{}` is not a role mapping type", type_text.value),
                )
                .at(&type_text.loc, "expected `Token` or `Rules`"),
            );
            return None;
        };
        let ambiguous_role_resolution = match self.string(mapping, "AmbiguousRoleResolution") {
            Some(text) => match AmbiguousRoleResolution::parse(&text.value) {
                Some(value) => Setting::given(value, text.loc),
                None => {
                    self.diagnostics.push(
                        Diagnostic::error(
                            "cli-bad-value",
                            format!("`{}` is not an AmbiguousRoleResolution", text.value),
                        )
                        .at(&text.loc, "expected `AuthenticatedRole` or `Deny`"),
                    );
                    Setting::assumed(
                        AmbiguousRoleResolution::AuthenticatedRole,
                        "assumed: AmbiguousRoleResolution invalid",
                        "the value is invalid; AuthenticatedRole never hides access",
                    )
                }
            },
            None => {
                self.diagnostics.push(
                    Diagnostic::warning(
                        "cli-missing-field",
                        format!(
                            "role mapping `{}` has no `AmbiguousRoleResolution`",
                            member.key
                        ),
                    )
                    .at(&mapping.loc, "AWS requires it for Token and Rules mappings")
                    .with_help("poolscope assumes `AuthenticatedRole`, which never hides access"),
                );
                Setting::absent(
                    AmbiguousRoleResolution::AuthenticatedRole,
                    "AmbiguousRoleResolution",
                    "the API requires it for Token and Rules mappings and documents no \
                     default; AuthenticatedRole never hides access",
                )
            }
        };
        let mut rules = Vec::new();
        if let Some(config) = self.object_field(mapping, "RulesConfiguration") {
            for (index, rule) in self.objects(config, "Rules").into_iter().enumerate() {
                if let Some(rule) = self.mapping_rule(rule, index) {
                    rules.push(rule);
                }
            }
        } else if mapping_type == MappingType::Rules {
            self.missing(mapping, "RulesConfiguration", "a Rules mapping");
        }
        Some(RoleMapping {
            provider: Spanned::new(member.key.clone(), member.key_loc.clone()),
            mapping_type: Spanned::new(mapping_type, type_text.loc),
            ambiguous_role_resolution,
            rules,
            loc: mapping.loc.clone(),
        })
    }

    fn mapping_rule(&mut self, rule: &Value, index: usize) -> Option<MappingRule> {
        let claim = self.required_string(rule, "Claim", "a mapping rule");
        let match_type = self.required_string(rule, "MatchType", "a mapping rule");
        let value = self.required_string(rule, "Value", "a mapping rule");
        let role_arn = self.required_string(rule, "RoleARN", "a mapping rule");
        let (claim, match_text, value, role_arn) = (claim?, match_type?, value?, role_arn?);
        let Some(match_type) = MatchType::parse(&match_text.value) else {
            let mut diagnostic = Diagnostic::error(
                "cli-bad-value",
                format!("`{}` is not a MatchType", match_text.value),
            )
            .at(
                &match_text.loc,
                "expected Equals, Contains, StartsWith or NotEqual",
            );
            if let Some(close) =
                did_you_mean(&match_text.value, MatchType::ALL.map(MatchType::name))
            {
                diagnostic = diagnostic.with_help(format!("did you mean `{close}`?"));
            }
            self.diagnostics.push(diagnostic);
            return None;
        };
        Some(MappingRule {
            index,
            claim,
            match_type: Spanned::new(match_type, match_text.loc),
            value,
            role_arn,
            loc: rule.loc.clone(),
        })
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
