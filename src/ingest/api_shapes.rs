//! API shapes that CLI output, templates and plans share.
//!
//! CloudFormation's `AWS::Cognito::IdentityPoolRoleAttachment` takes the
//! same `RoleMapping` structure as the Cognito Identity API
//! (`Type`, `AmbiguousRoleResolution`, `RulesConfiguration.Rules`), so the
//! CLI reader and the template reader read it with one function.
//!
//! Other shapes differ between the forms only in how keys are spelled: the
//! API's PascalCase in CLI output and templates, Terraform's snake_case in
//! plans and states. Their readers take the spelling as a [`Keys`]
//! ([`API`] or [`TERRAFORM`]), so each concept (an identity pool's
//! providers, a schema attribute, a role's trust policy, …) is read in one
//! place, over [`FieldReader`], whatever the input form.

use crate::cognito::identity_pool::{
    AmbiguousRoleResolution, CognitoProvider, IdentityPool, LoginProvider, MappingRule,
    MappingType, MatchType, RoleMapping,
};
use crate::cognito::user_pool::{LambdaTrigger, SchemaAttribute, UserPool};
use crate::cognito::{Setting, region_of};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::did_you_mean;
use crate::ingest::unknown;
use crate::model::NamedPolicy;
use crate::model::inventory::Inventory;
use crate::model::public_access::{BlockScope, Flag, PublicAccessBlock};
use crate::policy::{Policy, PolicyKind};
use crate::source::Spanned;
use crate::source::fields::FieldReader;
use crate::source::{Kind, Location, Value};

/// One role mapping (the value of a `RoleMappings` entry), for `provider`.
pub fn role_mapping<R: FieldReader>(
    reader: &mut R,
    provider: Spanned<String>,
    mapping: &Value,
) -> Option<RoleMapping> {
    if mapping.as_object().is_none() {
        reader.wrong_type(mapping, &provider.value, "a role mapping object");
        return None;
    }
    let type_text = reader.required_string(mapping, "Type", "a role mapping")?;
    let Some(mapping_type) = MappingType::parse(&type_text.value) else {
        reader.report(
            Diagnostic::error(
                R::BAD_VALUE,
                format!("`{}` is not a role mapping type", type_text.value),
            )
            .at(&type_text.loc, "expected `Token` or `Rules`"),
        );
        return None;
    };
    let ambiguous_role_resolution = match reader.string(mapping, "AmbiguousRoleResolution") {
        Some(text) => match AmbiguousRoleResolution::parse(&text.value) {
            Some(value) => Setting::given(value, text.loc),
            None => {
                reader.report(
                    Diagnostic::error(
                        R::BAD_VALUE,
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
            reader.report(
                Diagnostic::warning(
                    R::MISSING,
                    format!(
                        "role mapping `{}` has no `AmbiguousRoleResolution`",
                        provider.value
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
    if let Some(config) = reader.object_field(mapping, "RulesConfiguration") {
        for (index, rule) in reader.objects(config, "Rules").into_iter().enumerate() {
            if let Some(rule) = mapping_rule(reader, rule, index) {
                rules.push(rule);
            }
        }
    } else if mapping_type == MappingType::Rules {
        reader.missing(mapping, "RulesConfiguration", "a Rules mapping");
    }
    Some(RoleMapping {
        provider,
        mapping_type: Spanned::new(mapping_type, type_text.loc),
        ambiguous_role_resolution,
        rules,
        loc: mapping.loc.clone(),
    })
}

fn mapping_rule<R: FieldReader>(reader: &mut R, rule: &Value, index: usize) -> Option<MappingRule> {
    let claim = reader.required_string(rule, "Claim", "a mapping rule");
    let match_type = reader.required_string(rule, "MatchType", "a mapping rule");
    let value = reader.required_string(rule, "Value", "a mapping rule");
    let role_arn = reader.required_string(rule, "RoleARN", "a mapping rule");
    let (claim, match_text, value, role_arn) = (claim?, match_type?, value?, role_arn?);
    let Some(match_type) = MatchType::parse(&match_text.value) else {
        let mut diagnostic = Diagnostic::error(
            R::BAD_VALUE,
            format!("`{}` is not a MatchType", match_text.value),
        )
        .at(
            &match_text.loc,
            "expected Equals, Contains, StartsWith or NotEqual",
        );
        if let Some(close) = did_you_mean(&match_text.value, MatchType::ALL.map(MatchType::name)) {
            diagnostic = diagnostic.with_help(format!("did you mean `{close}`?"));
        }
        reader.report(diagnostic);
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

/// A part of a pool (settings, roles, a client, a group) read twice: the
/// first one is used.
pub fn duplicate(what: &str, name: &str, here: &Location, first: &Location) -> Diagnostic {
    Diagnostic::warning(
        "model-duplicate",
        format!("{what} `{name}` appears more than once; the first one is used"),
    )
    .at(here, "this one is ignored")
    .with_related(first, "first seen here")
}

/// The full name of a user pool schema attribute as templates and Terraform
/// write it: a custom attribute without its `custom:` prefix (the
/// CreateUserPool API and CloudFormation's SchemaAttribute take it so;
/// describe-user-pool returns it prefixed).
pub fn schema_attribute_name(name: &str) -> String {
    let standard = crate::cognito::user_pool::STANDARD_ATTRIBUTES.contains(&name)
        || matches!(name, "sub" | "email_verified" | "phone_number_verified");
    if standard || name.starts_with("custom:") || name.starts_with("dev:") {
        name.to_string()
    } else {
        format!("custom:{name}")
    }
}

/// The stand-in for a bucket policy that holds unknown values: it allows
/// every S3 action on the bucket to everyone, so no access it might grant
/// is lost; its denies are, which can only make more requests possible.
pub fn unknown_bucket_policy(bucket: &str, label: &str) -> Option<crate::policy::Policy> {
    let bucket = bucket.replace(['"', '\\'], "");
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::{bucket}","arn:aws:s3:::{bucket}/*"]}}]}}"#
    );
    crate::policy::parse::parse_policy_text(label, &text, crate::policy::PolicyKind::Resource)
        .ok()
        .map(|parsed| parsed.policy)
}

/// How an input format spells the keys of the shapes read here: the API's
/// PascalCase (CLI output and CloudFormation) or Terraform's snake_case.
#[derive(Debug)]
pub struct Keys {
    pub cognito_identity_providers: &'static str,
    pub provider_name: &'static str,
    pub client_id: &'static str,
    pub server_side_token_check: &'static str,
    /// A `CognitoIdentityProviders` entry, in the format's missing-field
    /// message.
    pub cognito_provider: &'static str,
    pub supported_login_providers: &'static str,
    /// Whether a login provider whose app id is not a string is reported
    /// (Terraform's provider schema makes it a string, so it is skipped).
    pub report_bad_app_id: bool,
    pub openid_connect_provider_arns: &'static str,
    pub saml_provider_arns: &'static str,
    pub developer_provider_name: &'static str,
    pub schema_name: &'static str,
    pub mutable: &'static str,
    pub required: &'static str,
    pub developer_only_attribute: &'static str,
}

/// The Cognito API's spelling: `describe-identity-pool` output and
/// `AWS::Cognito::IdentityPool` properties.
pub const API: Keys = Keys {
    cognito_identity_providers: "CognitoIdentityProviders",
    provider_name: "ProviderName",
    client_id: "ClientId",
    server_side_token_check: "ServerSideTokenCheck",
    cognito_provider: "a Cognito identity provider",
    supported_login_providers: "SupportedLoginProviders",
    report_bad_app_id: true,
    openid_connect_provider_arns: "OpenIdConnectProviderARNs",
    saml_provider_arns: "SamlProviderARNs",
    developer_provider_name: "DeveloperProviderName",
    schema_name: "Name",
    mutable: "Mutable",
    required: "Required",
    developer_only_attribute: "DeveloperOnlyAttribute",
};

/// The AWS provider's spelling: `aws_cognito_identity_pool` attributes.
pub const TERRAFORM: Keys = Keys {
    cognito_identity_providers: "cognito_identity_providers",
    provider_name: "provider_name",
    client_id: "client_id",
    server_side_token_check: "server_side_token_check",
    cognito_provider: "a Cognito provider",
    supported_login_providers: "supported_login_providers",
    report_bad_app_id: false,
    openid_connect_provider_arns: "openid_connect_provider_arns",
    saml_provider_arns: "saml_provider_arns",
    developer_provider_name: "developer_provider_name",
    schema_name: "name",
    mutable: "mutable",
    required: "required",
    developer_only_attribute: "developer_only_attribute",
};

/// The identity providers an identity pool trusts, as read from its
/// settings.
#[derive(Debug)]
pub struct IdentityProviders {
    pub cognito: Vec<CognitoProvider>,
    pub login: Vec<LoginProvider>,
    pub openid_arns: Vec<Spanned<String>>,
    pub saml_arns: Vec<Spanned<String>>,
    /// `DeveloperProviderName`.
    pub developer: Option<Spanned<String>>,
}

impl IdentityProviders {
    /// Sets `pool`'s providers to these, read with its settings at `loc`.
    pub fn apply(self, pool: &mut IdentityPool, loc: &Location) {
        pool.cognito_providers = self.cognito;
        pool.login_providers = self.login;
        pool.openid_provider_arns = self.openid_arns;
        pool.saml_provider_arns = self.saml_arns;
        pool.developer_provider_name = self.developer;
        pool.settings_loc = Some(loc.clone());
        pool.loc = loc.clone();
    }
}

/// An identity pool's Cognito user pool providers, login providers, OpenID
/// Connect and SAML provider ARNs and developer provider, read from
/// `settings`.
pub fn identity_providers<R: FieldReader>(
    reader: &mut R,
    settings: &Value,
    keys: &Keys,
) -> IdentityProviders {
    let mut cognito = Vec::new();
    for entry in reader.objects(settings, keys.cognito_identity_providers) {
        let provider_name =
            reader.required_string(entry, keys.provider_name, keys.cognito_provider);
        let client_id = reader.required_string(entry, keys.client_id, keys.cognito_provider);
        if let (Some(provider_name), Some(client_id)) = (provider_name, client_id) {
            cognito.push(CognitoProvider {
                provider_name,
                client_id,
                server_side_token_check: reader
                    .bool(entry, keys.server_side_token_check)
                    .is_some_and(|b| b.value),
                loc: entry.loc.clone(),
            });
        }
    }
    let mut login = Vec::new();
    for member in reader.members(settings, keys.supported_login_providers) {
        match reader.scalar_text(&member.value) {
            Some(app_id) => login.push(LoginProvider {
                domain: Spanned::new(member.key.clone(), member.key_loc.clone()),
                app_id: Spanned::new(app_id, member.value.loc.clone()),
            }),
            None if keys.report_bad_app_id => {
                reader.wrong_type(&member.value, &member.key, "a string (the app id)");
            }
            None => {}
        }
    }
    let openid_arns = reader
        .string_list(settings, keys.openid_connect_provider_arns)
        .unwrap_or_default();
    let saml_arns = reader
        .string_list(settings, keys.saml_provider_arns)
        .unwrap_or_default();
    let developer = reader.string(settings, keys.developer_provider_name);
    IdentityProviders {
        cognito,
        login,
        openid_arns,
        saml_arns,
        developer,
    }
}

/// One user pool schema attribute as CloudFormation and Terraform write it
/// (a custom attribute's name without its prefix); `None` without a name.
pub fn schema_attribute<R: FieldReader>(
    reader: &mut R,
    attribute: &Value,
    keys: &Keys,
) -> Option<SchemaAttribute> {
    let name = reader.required_string(attribute, keys.schema_name, "a schema attribute")?;
    let full = schema_attribute_name(&name.value);
    Some(SchemaAttribute {
        custom: full.starts_with("custom:"),
        // No default documented for an absent `Mutable`: mutable, which
        // never hides access (docs/semantics.md §10).
        mutable: reader.bool(attribute, keys.mutable).is_none_or(|b| b.value),
        required: reader
            .bool(attribute, keys.required)
            .is_some_and(|b| b.value),
        developer_only: reader
            .bool(attribute, keys.developer_only_attribute)
            .is_some_and(|b| b.value),
        name: Spanned::new(full, name.loc),
        loc: attribute.loc.clone(),
    })
}

/// The Lambda triggers of a user pool's `LambdaConfig` (the API's and
/// CloudFormation's shape): an ARN, or `{LambdaArn, LambdaVersion}` under a
/// `…Config` key; the KMS key and repeated triggers are left out.
pub fn lambda_triggers<R: FieldReader>(reader: &mut R, pool: &Value) -> Vec<LambdaTrigger> {
    let mut triggers: Vec<LambdaTrigger> = Vec::new();
    for member in reader.members(pool, "LambdaConfig") {
        let (trigger, function_arn) = match &member.value.kind {
            Kind::String(arn) => (
                member.key.clone(),
                Spanned::new(arn.clone(), member.value.loc.clone()),
            ),
            // `PreTokenGenerationConfig`, `CustomSMSSender`: {LambdaArn, LambdaVersion}
            Kind::Object(_) => {
                let Some(arn) = reader.string(&member.value, "LambdaArn") else {
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
            function_arn,
        });
    }
    triggers
}

/// The `[{PolicyName, PolicyDocument}]` list `key` of inline policies (an
/// IAM principal's in CLI output, an `AWS::IAM::Role`'s `Policies`), each
/// document read by the format's `policy` as `owner/name`.
pub fn inline_policies<R: FieldReader>(
    reader: &mut R,
    object: &Value,
    key: &str,
    owner: &str,
    mut policy: impl FnMut(&mut R, &Value, &str, PolicyKind) -> Option<Policy>,
) -> Vec<NamedPolicy> {
    let mut out = Vec::new();
    for entry in reader.objects(object, key) {
        let Some(name) = reader.required_string(entry, "PolicyName", "an inline policy") else {
            continue;
        };
        let policy = match entry.get("PolicyDocument") {
            Some(doc) => policy(
                reader,
                doc,
                &format!("{owner}/{}", name.value),
                PolicyKind::Identity,
            ),
            None => {
                reader.missing(entry, "PolicyDocument", "an inline policy");
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

/// A user pool's settings as every input form reads them
/// (`describe-user-pool`, `AWS::Cognito::UserPool`, `aws_cognito_user_pool`).
#[derive(Debug)]
pub struct UserPoolSettings {
    pub name: Option<Spanned<String>>,
    pub arn: Option<String>,
    pub allow_admin_create_user_only: Setting<bool>,
    pub auto_verified_attributes: Setting<Vec<String>>,
    pub username_attributes: Vec<Spanned<String>>,
    pub alias_attributes: Vec<Spanned<String>>,
    pub schema: Vec<SchemaAttribute>,
    pub triggers: Vec<LambdaTrigger>,
}

impl UserPoolSettings {
    /// Sets the settings of `pool` (whose id is `id`), read at `loc`.
    pub fn apply(self, pool: &mut UserPool, id: &str, loc: &Location) {
        pool.name = self.name;
        pool.arn = self.arn;
        pool.region = region_of(id);
        pool.allow_admin_create_user_only = self.allow_admin_create_user_only;
        pool.auto_verified_attributes = self.auto_verified_attributes;
        pool.username_attributes = self.username_attributes;
        pool.alias_attributes = self.alias_attributes;
        pool.schema = self.schema;
        pool.triggers = self.triggers;
        pool.settings_loc = Some(loc.clone());
        pool.loc = loc.clone();
    }
}

/// The `[{Key, Value}]` tags of an IAM role (CLI output and templates
/// alike); a tag without both is left out.
pub fn tags<R: FieldReader>(reader: &mut R, object: &Value) -> Vec<(String, String)> {
    let mut tags = Vec::new();
    for tag in reader.objects(object, "Tags") {
        if let (Some(key), Some(value)) = (reader.string(tag, "Key"), reader.string(tag, "Value")) {
            tags.push((key.value, value.value));
        }
    }
    tags
}

/// The trust policy of the role `role` at `key`, read by the format's
/// `policy`; when absent, reported as missing from `what` if the format
/// requires it (`None`: the caller says what an unreadable one means).
pub fn trust_policy<R: FieldReader>(
    reader: &mut R,
    object: &Value,
    key: &str,
    role: &str,
    what: Option<&str>,
    mut policy: impl FnMut(&mut R, &Value, &str, PolicyKind) -> Option<Policy>,
) -> Option<Policy> {
    match object.get(key) {
        Some(doc) => policy(
            reader,
            doc,
            &format!("{role} trust policy"),
            PolicyKind::Trust,
        ),
        None => {
            if let Some(what) = what {
                reader.missing(object, key, what);
            }
            None
        }
    }
}

/// The name and ARN an IAM principal must have (`RoleName` and `Arn` of a
/// CLI role, `name` and `arn` of an `aws_iam_role`, …); both are read, so
/// both are reported when missing from `what`.
pub fn name_and_arn<R: FieldReader>(
    reader: &mut R,
    object: &Value,
    name_key: &str,
    arn_key: &str,
    what: &str,
) -> Option<(Spanned<String>, Spanned<String>)> {
    let name = reader.required_string(object, name_key, what);
    let arn = reader.required_string(object, arn_key, what);
    name.zip(arn)
}

/// Attaches roles to the identity pool `id`, as a template's role
/// attachment or a plan's `aws_cognito_identity_pool_roles_attachment`
/// (read at `loc`) does. A second attachment is reported and ignored; role
/// mappings for providers known only after deployment are spread over the
/// pool's providers (`unknown::spread_unknown_mappings`), each warned of
/// with `unknown_code`. Returns the diagnostics, in order.
pub fn attach_roles(
    inventory: &mut Inventory,
    id: &str,
    loc: &Location,
    authenticated_role: Option<Spanned<String>>,
    unauthenticated_role: Option<Spanned<String>>,
    role_mappings: Vec<RoleMapping>,
    unknown_code: &'static str,
) -> Vec<Diagnostic> {
    let pool = inventory.identity_pool_entry(id, loc);
    if let Some(first) = pool.roles_loc.clone() {
        return vec![duplicate("roles of identity pool", id, loc, &first)];
    }
    let (role_mappings, spread) = unknown::spread_unknown_mappings(pool, role_mappings);
    let pool = inventory.identity_pool_entry(id, loc);
    pool.authenticated_role = authenticated_role;
    pool.unauthenticated_role = unauthenticated_role;
    pool.role_mappings = role_mappings;
    pool.roles_loc = Some(loc.clone());
    spread
        .into_iter()
        .map(|(loc, what)| Diagnostic::warning(unknown_code, what).at(&loc, "this role mapping"))
        .collect()
}

/// The `authenticated` and `unauthenticated` role ARNs of an identity
/// pool's `Roles` map at `key`. Another key is reported with `other_code`,
/// or ignored when `None` (Terraform's provider schema admits no other).
pub fn pool_roles<R: FieldReader>(
    reader: &mut R,
    object: &Value,
    key: &str,
    other_code: Option<&'static str>,
) -> (Option<Spanned<String>>, Option<Spanned<String>>) {
    let mut authenticated_role = None;
    let mut unauthenticated_role = None;
    for member in reader.members(object, key) {
        let Some(arn) = reader.scalar_text(&member.value) else {
            reader.wrong_type(&member.value, &member.key, "a role ARN");
            continue;
        };
        let arn = Spanned::new(arn, member.value.loc.clone());
        match member.key.as_str() {
            "authenticated" => authenticated_role = Some(arn),
            "unauthenticated" => unauthenticated_role = Some(arn),
            other => {
                if let Some(code) = other_code {
                    reader.report(
                        Diagnostic::error(
                            code,
                            format!("`{other}` is not a role kind of an identity pool"),
                        )
                        .at(
                            &member.key_loc,
                            "expected `authenticated` or `unauthenticated`",
                        ),
                    );
                }
            }
        }
    }
    (authenticated_role, unauthenticated_role)
}

/// The four flags of an S3 `PublicAccessBlockConfiguration`, in the order
/// `BlockPublicAcls`, `IgnorePublicAcls`, `BlockPublicPolicy`,
/// `RestrictPublicBuckets`: the API's spelling (`get-public-access-block`
/// output, `AWS::S3::Bucket`'s property).
pub const PUBLIC_ACCESS_BLOCK_API: [&str; 4] = [
    "BlockPublicAcls",
    "IgnorePublicAcls",
    "BlockPublicPolicy",
    "RestrictPublicBuckets",
];

/// The same flags as `aws_s3_bucket_public_access_block` and
/// `aws_s3_account_public_access_block` spell them.
pub const PUBLIC_ACCESS_BLOCK_TERRAFORM: [&str; 4] = [
    "block_public_acls",
    "ignore_public_acls",
    "block_public_policy",
    "restrict_public_buckets",
];

/// One S3 Block Public Access configuration for `scope`: the flags of
/// `config` spelled as `names`, each off when left out (a flag of the wrong
/// type is reported at its span and read as off, which hides no access).
/// `loc` is where the configuration is declared.
pub fn public_access_block<R: FieldReader>(
    reader: &mut R,
    config: &Value,
    names: &[&str; 4],
    scope: BlockScope,
    loc: Location,
) -> Option<PublicAccessBlock> {
    if config.as_object().is_none() {
        reader.wrong_type(config, "PublicAccessBlockConfiguration", "an object");
        return None;
    }
    let mut flag = |name: &str| {
        reader
            .bool(config, name)
            .map(|b| Flag {
                on: b.value,
                loc: Some(b.loc),
            })
            .unwrap_or_default()
    };
    Some(PublicAccessBlock {
        scope,
        block_public_acls: flag(names[0]),
        ignore_public_acls: flag(names[1]),
        block_public_policy: flag(names[2]),
        restrict_public_buckets: flag(names[3]),
        loc,
    })
}
