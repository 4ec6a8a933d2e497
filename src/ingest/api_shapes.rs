//! API shapes that CLI output and templates share.
//!
//! CloudFormation's `AWS::Cognito::IdentityPoolRoleAttachment` takes the
//! same `RoleMapping` structure as the Cognito Identity API
//! (`Type`, `AmbiguousRoleResolution`, `RulesConfiguration.Rules`), so the
//! CLI reader and the template reader read it with one function.

use crate::cognito::Setting;
use crate::cognito::identity_pool::{
    AmbiguousRoleResolution, MappingRule, MappingType, MatchType, RoleMapping,
};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::did_you_mean;
use crate::source::Spanned;
use crate::source::fields::FieldReader;
use crate::source::{Location, Value};

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
