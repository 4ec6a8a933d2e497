//! AWS CLI snapshots → the inventory.
//!
//! Reads the JSON output of `iam get-account-authorization-details`,
//! `cognito-identity describe-identity-pool`, `get-identity-pool-roles`,
//! `get-principal-tag-attribute-map`, `cognito-idp describe-user-pool`,
//! `describe-user-pool-client`, `list-groups`, and bucket policies (see
//! [`read_bucket_policy`] for how the bucket is named). Fields keep their
//! locations; a field of the wrong type is an error at its span and the rest
//! of the file is still read.
//!
//! IAM policy documents in `get-account-authorization-details` are JSON
//! objects in CLI output but URL-encoded strings in the raw API response;
//! both are accepted. A string document is decoded and parsed as a file of
//! its own, labelled `FILE#/JSON/POINTER` (e.g.
//! `snapshot.json#/RoleDetailList/3/AssumeRolePolicyDocument`), so its
//! locations point into the decoded text; diagnostics also point at the
//! string in the original file.

use std::path::Path;

use crate::cognito::identity_pool::{
    AmbiguousRoleResolution, CognitoProvider, LoginProvider, MappingRule, MappingType, MatchType,
    PrincipalTagMap, RoleMapping,
};
use crate::cognito::user_pool::{
    AUTO_VERIFIABLE, AppClient, Group, LambdaTrigger, SchemaAttribute,
};
use crate::cognito::{Setting, region_of};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::did_you_mean;
use crate::model::inventory::account_of;
use crate::model::{BucketPolicy, IamGroup, IamUser, Inventory, ManagedPolicy, NamedPolicy, Role};
use crate::policy::parse::{parse_policy, parse_policy_text};
use crate::policy::{Policy, PolicyKind, Spanned};
use crate::source::{Kind, Location, Member, SourceFile, Value};

use super::CliShape;

/// Reads one CLI document of a known shape into the inventory.
pub fn read(
    shape: CliShape,
    doc: &Value,
    file: &SourceFile,
    inventory: &mut Inventory,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut reader = Reader {
        file,
        inventory,
        diagnostics,
    };
    match shape {
        CliShape::AccountAuthorizationDetails => reader.account_details(doc),
        CliShape::IdentityPool => reader.identity_pool(doc),
        CliShape::IdentityPoolRoles => reader.identity_pool_roles(doc),
        CliShape::PrincipalTagMap => reader.principal_tags(doc),
        CliShape::UserPool => {
            if let Some(pool) = reader.object_field(doc, "UserPool") {
                reader.user_pool(pool);
            }
        }
        CliShape::UserPoolClient => {
            if let Some(client) = reader.object_field(doc, "UserPoolClient") {
                reader.user_pool_client(client);
            }
        }
        CliShape::Groups => reader.groups(doc),
        CliShape::BucketPolicy | CliShape::RawBucketPolicy => read_bucket_policy(&mut reader, doc),
    }
}

struct Reader<'a> {
    file: &'a SourceFile,
    inventory: &'a mut Inventory,
    diagnostics: &'a mut Vec<Diagnostic>,
}

// ---- typed fields ---------------------------------------------------------

impl Reader<'_> {
    fn wrong_type(&mut self, value: &Value, key: &str, expected: &str) {
        self.diagnostics.push(
            Diagnostic::error(
                "cli-wrong-type",
                format!("`{key}` should be {expected}, found {}", value.describe()),
            )
            .at(&value.loc, format!("expected {expected}")),
        );
    }

    fn missing(&mut self, object: &Value, key: &str, what: &str) {
        self.diagnostics.push(
            Diagnostic::error("cli-missing-field", format!("{what} has no `{key}`"))
                .at(&object.loc, format!("`{key}` expected here")),
        );
    }

    fn string(&mut self, object: &Value, key: &str) -> Option<Spanned<String>> {
        let value = object.get(key)?;
        match value.as_str() {
            Some(text) => Some(Spanned::new(text.to_string(), value.loc.clone())),
            None if matches!(value.kind, Kind::Null) => None,
            None => {
                self.wrong_type(value, key, "a string");
                None
            }
        }
    }

    fn required_string(
        &mut self,
        object: &Value,
        key: &str,
        what: &str,
    ) -> Option<Spanned<String>> {
        if object.get(key).is_none() {
            self.missing(object, key, what);
            return None;
        }
        self.string(object, key)
    }

    fn bool(&mut self, object: &Value, key: &str) -> Option<Spanned<bool>> {
        let value = object.get(key)?;
        match value.as_bool() {
            Some(b) => Some(Spanned::new(b, value.loc.clone())),
            None => {
                self.wrong_type(value, key, "true or false");
                None
            }
        }
    }

    fn integer(&mut self, object: &Value, key: &str) -> Option<Spanned<i64>> {
        let value = object.get(key)?;
        let parsed = match &value.kind {
            Kind::Number(n) => n.parse::<i64>().ok(),
            Kind::Null => return None,
            _ => None,
        };
        if parsed.is_none() {
            self.wrong_type(value, key, "a whole number");
        }
        parsed.map(|n| Spanned::new(n, value.loc.clone()))
    }

    fn array<'v>(&mut self, object: &'v Value, key: &str) -> &'v [Value] {
        let Some(value) = object.get(key) else {
            return &[];
        };
        match &value.kind {
            Kind::Array(items) => items,
            Kind::Null => &[],
            _ => {
                self.wrong_type(value, key, "an array");
                &[]
            }
        }
    }

    fn members<'v>(&mut self, object: &'v Value, key: &str) -> &'v [Member] {
        let Some(value) = object.get(key) else {
            return &[];
        };
        match &value.kind {
            Kind::Object(members) => members,
            Kind::Null => &[],
            _ => {
                self.wrong_type(value, key, "an object");
                &[]
            }
        }
    }

    fn object_field<'v>(&mut self, object: &'v Value, key: &str) -> Option<&'v Value> {
        let value = object.get(key)?;
        if value.as_object().is_some() {
            Some(value)
        } else {
            self.wrong_type(value, key, "an object");
            None
        }
    }

    /// A list of strings; `None` when the key is absent (which often means
    /// "the default" in CLI output).
    fn string_list(&mut self, object: &Value, key: &str) -> Option<Vec<Spanned<String>>> {
        let value = object.get(key)?;
        let Some(items) = value.as_array() else {
            self.wrong_type(value, key, "an array of strings");
            return None;
        };
        let mut out = Vec::new();
        for item in items {
            match item.as_str() {
                Some(text) => out.push(Spanned::new(text.to_string(), item.loc.clone())),
                None => self.wrong_type(item, key, "a string"),
            }
        }
        Some(out)
    }

    fn objects<'v>(&mut self, object: &'v Value, key: &str) -> Vec<&'v Value> {
        let items = self.array(object, key);
        let mut out = Vec::new();
        for item in items {
            if item.as_object().is_some() {
                out.push(item);
            } else {
                self.wrong_type(item, key, "an object");
            }
        }
        out
    }

    fn push(&mut self, diagnostic: Option<Diagnostic>) {
        self.diagnostics.extend(diagnostic);
    }
}

// ---- policies -------------------------------------------------------------

impl Reader<'_> {
    /// A policy document held as an object, a JSON string, or a URL-encoded
    /// JSON string. `None` (with diagnostics) when nothing usable is there.
    fn policy(&mut self, value: &Value, name: &str, kind: PolicyKind) -> Option<Policy> {
        let parsed = match &value.kind {
            Kind::Object(_) => parse_policy(value, name, kind),
            Kind::String(text) => {
                let decoded = if text.trim_start().starts_with('{') {
                    text.clone()
                } else {
                    match percent_decode(text) {
                        Some(decoded) => decoded,
                        None => {
                            self.diagnostics.push(
                                Diagnostic::error(
                                    "cli-bad-policy-encoding",
                                    "policy document is neither JSON nor valid URL-encoded text",
                                )
                                .at(&value.loc, "cannot decode this"),
                            );
                            return None;
                        }
                    }
                };
                let label = format!("{}#{}", self.file.path, value.loc.pointer);
                let parsed = parse_policy_text(&label, &decoded, kind);
                let here =
                    |d: Diagnostic| d.with_related(&value.loc, "the policy is embedded here");
                match parsed {
                    Ok(mut parsed) => {
                        parsed.diagnostics = parsed.diagnostics.into_iter().map(here).collect();
                        Ok(parsed)
                    }
                    Err(diagnostics) => Err(diagnostics.into_iter().map(here).collect()),
                }
            }
            _ => {
                self.wrong_type(value, name, "a policy document (object or string)");
                return None;
            }
        };
        match parsed {
            Ok(parsed) => {
                let mut policy = parsed.policy;
                policy.name = name.to_string();
                self.diagnostics.extend(parsed.diagnostics);
                Some(policy)
            }
            Err(diagnostics) => {
                self.diagnostics.extend(diagnostics);
                None
            }
        }
    }

    /// `[{PolicyName, PolicyDocument}]` lists of inline policies.
    fn inline_policies(&mut self, object: &Value, key: &str, owner: &str) -> Vec<NamedPolicy> {
        let mut out = Vec::new();
        for entry in self.objects(object, key) {
            let Some(name) = self.required_string(entry, "PolicyName", "an inline policy") else {
                continue;
            };
            let policy = match entry.get("PolicyDocument") {
                Some(doc) => self.policy(
                    doc,
                    &format!("{owner}/{}", name.value),
                    PolicyKind::Identity,
                ),
                None => {
                    self.missing(entry, "PolicyDocument", "an inline policy");
                    None
                }
            };
            out.push(NamedPolicy {
                name: name.value,
                policy,
                loc: entry.loc.clone(),
            });
        }
        out
    }

    /// `[{PolicyName, PolicyArn}]` lists of attached managed policies.
    fn attached(&mut self, object: &Value) -> Vec<Spanned<String>> {
        let mut out = Vec::new();
        for entry in self.objects(object, "AttachedManagedPolicies") {
            if let Some(arn) = self.required_string(entry, "PolicyArn", "an attached policy") {
                out.push(arn);
            }
        }
        out
    }

    fn boundary(&mut self, object: &Value) -> Option<Spanned<String>> {
        let boundary = self.object_field(object, "PermissionsBoundary")?;
        self.required_string(boundary, "PermissionsBoundaryArn", "a permissions boundary")
    }
}

// ---- iam get-account-authorization-details --------------------------------

impl Reader<'_> {
    fn account_details(&mut self, doc: &Value) {
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
        let name = self.required_string(entry, "RoleName", "a role");
        let arn = self.required_string(entry, "Arn", "a role");
        let (Some(name), Some(arn)) = (name, arn) else {
            return;
        };
        let trust_policy = match entry.get("AssumeRolePolicyDocument") {
            Some(doc) => self.policy(
                doc,
                &format!("{} trust policy", name.value),
                PolicyKind::Trust,
            ),
            None => None,
        };
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
        let mut tags = Vec::new();
        for tag in self.objects(entry, "Tags") {
            if let (Some(key), Some(value)) = (self.string(tag, "Key"), self.string(tag, "Value")) {
                tags.push((key.value, value.value));
            }
        }
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
        let name = self.required_string(entry, "UserName", "a user");
        let arn = self.required_string(entry, "Arn", "a user");
        let (Some(name), Some(arn)) = (name, arn) else {
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
        let name = self.required_string(entry, "GroupName", "a group");
        let arn = self.required_string(entry, "Arn", "a group");
        let (Some(name), Some(arn)) = (name, arn) else {
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

// ---- cognito-identity -----------------------------------------------------

impl Reader<'_> {
    fn identity_pool(&mut self, doc: &Value) {
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

    fn identity_pool_roles(&mut self, doc: &Value) {
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

    fn principal_tags(&mut self, doc: &Value) {
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

// ---- cognito-idp ----------------------------------------------------------

impl Reader<'_> {
    fn user_pool(&mut self, doc: &Value) {
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
        let mut triggers: Vec<LambdaTrigger> = Vec::new();
        for member in self.members(doc, "LambdaConfig") {
            let (trigger, arn) = match &member.value.kind {
                Kind::String(arn) => (
                    member.key.clone(),
                    Spanned::new(arn.clone(), member.value.loc.clone()),
                ),
                // `PreTokenGenerationConfig`, `CustomSMSSender`: {LambdaArn, LambdaVersion}
                Kind::Object(_) => {
                    let Some(arn) = self.string(&member.value, "LambdaArn") else {
                        continue;
                    };
                    let name = member.key.strip_suffix("Config").unwrap_or(&member.key);
                    (name.to_string(), arn)
                }
                _ => continue,
            };
            if trigger == "KMSKeyID" || triggers.iter().any(|t| t.trigger.value == trigger) {
                continue;
            }
            triggers.push(LambdaTrigger {
                trigger: Spanned::new(trigger, member.key_loc.clone()),
                function_arn: arn,
            });
        }
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
        pool.name = name;
        pool.arn = arn;
        pool.region = region_of(&id.value);
        pool.allow_admin_create_user_only = allow_admin_create_user_only;
        pool.auto_verified_attributes = auto_verified;
        pool.username_attributes = username_attributes;
        pool.alias_attributes = alias_attributes;
        pool.schema = schema;
        pool.triggers = triggers;
        pool.settings_loc = Some(doc.loc.clone());
        pool.loc = doc.loc.clone();
    }

    fn user_pool_client(&mut self, doc: &Value) {
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

    fn groups(&mut self, doc: &Value) {
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

// ---- bucket policies ------------------------------------------------------

/// The file-name suffix that names the bucket of a raw `get-bucket-policy`
/// output: `photos.bucket-policy.json` holds the policy of bucket `photos`.
pub const BUCKET_POLICY_SUFFIX: &str = ".bucket-policy.json";

/// Reads a bucket policy. The bucket is, in order:
/// 1. the `Bucket` member (`{"Bucket": "photos", "Policy": "…"}`);
/// 2. the file name, for raw `get-bucket-policy` output saved as
///    `<bucket>.bucket-policy.json`;
/// 3. the one bucket every `Resource` of the policy names (S3 only accepts
///    bucket policies whose resources are in the bucket).
///
/// Otherwise the policy is left out with a warning saying how to name it.
fn read_bucket_policy(reader: &mut Reader<'_>, doc: &Value) {
    let Some(policy_value) = doc.get("Policy") else {
        reader.missing(doc, "Policy", "a bucket policy");
        return;
    };
    let named = reader.string(doc, "Bucket");
    let label = named.as_ref().map_or_else(
        || "bucket policy".to_string(),
        |b| format!("bucket policy of {}", b.value),
    );
    let Some(policy) = reader.policy(policy_value, &label, PolicyKind::Resource) else {
        return;
    };
    let from_file = Path::new(&reader.file.path)
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix(BUCKET_POLICY_SUFFIX))
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    let (bucket, bucket_loc) = match (named, from_file, bucket_of_resources(&policy)) {
        (Some(named), _, _) => (named.value, Some(named.loc)),
        (None, Some(file_name), _) => (file_name, None),
        (None, None, Some(resource)) => (resource, None),
        (None, None, None) => {
            reader.diagnostics.push(
                Diagnostic::warning(
                    "cli-bucket-unknown",
                    format!(
                        "cannot tell which bucket the policy in `{}` is for",
                        reader.file.path
                    ),
                )
                .at(&doc.loc, "no bucket name here")
                .with_help(format!(
                    "wrap it as {{\"Bucket\": \"NAME\", \"Policy\": …}} or save it as \
                     `NAME{BUCKET_POLICY_SUFFIX}`"
                )),
            );
            return;
        }
    };
    let mut policy = policy;
    policy.name = format!("bucket policy of {bucket}");
    let entry = BucketPolicy {
        bucket,
        bucket_loc,
        policy,
        loc: doc.loc.clone(),
    };
    let duplicate = reader.inventory.add_bucket_policy(entry);
    reader.push(duplicate);
}

/// The single bucket that every literal S3 resource of the policy names.
fn bucket_of_resources(policy: &Policy) -> Option<String> {
    let mut bucket: Option<String> = None;
    for statement in &policy.statements {
        let element = statement.resource.as_ref()?;
        for pattern in &element.patterns {
            let text = pattern.value.to_string();
            let rest = text.strip_prefix("arn:aws:s3:::")?;
            let name = rest.split('/').next().unwrap_or(rest);
            if name.is_empty() || name.contains(['*', '?', '$']) {
                return None;
            }
            match &bucket {
                Some(seen) if seen != name => return None,
                _ => bucket = Some(name.to_string()),
            }
        }
    }
    bucket
}

fn duplicate_part(what: &str, name: &str, doc: &Value, first: &Location) -> Diagnostic {
    Diagnostic::warning(
        "model-duplicate",
        format!("{what} `{name}` appears more than once; the first one is used"),
    )
    .at(&doc.loc, "this one is ignored")
    .with_related(first, "first seen here")
}

/// Decodes `%XX` escapes (RFC 3986, as IAM encodes policy documents).
/// `None` when an escape is malformed or the result is not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_follows_rfc_3986() {
        assert_eq!(
            percent_decode("%7B%22Version%22%3A%222012-10-17%22%7D").as_deref(),
            Some(r#"{"Version":"2012-10-17"}"#)
        );
        assert_eq!(percent_decode("a+b").as_deref(), Some("a+b"));
        assert_eq!(percent_decode("%E2%82%AC").as_deref(), Some("€"));
        assert_eq!(percent_decode("%4"), None);
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%FF"), None);
    }
}
