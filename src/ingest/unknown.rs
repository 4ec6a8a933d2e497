//! Values the inputs do not determine.
//!
//! A template parameter without a value, an `Fn::ImportValue` no loaded template
//! exports, an intrinsic poolscope does not evaluate: such a value is never
//! guessed, nor is an attribute a Terraform plan leaves `after_unknown`. It
//! is written into the evaluated tree as a marker string
//! `⟨unknown: WHAT⟩`, which carries through `Fn::Join`, `Fn::Sub` and the
//! like as text. Readers then treat any string holding a marker as *any*
//! value where it matters: a role ARN with a marker names no role of the
//! inputs, so the route's role is unknown ("not in the inputs: may allow
//! anything"); a policy document holding a marker anywhere is read as an
//! unknown policy, which stands in as allowing everything; a setting with
//! a marker takes the value that hides no access, labelled with the
//! assumption. An unknown can turn "impossible" into "possible" or
//! "unknown", never the reverse.

use crate::source::{Kind, Value};

const OPEN: &str = "⟨unknown: ";
const CLOSE: char = '⟩';

/// The marker text for an unknown value described by `what` (e.g.
/// `Ref DeployRoleArn`).
pub fn marker(what: &str) -> String {
    format!("{OPEN}{what}{CLOSE}")
}

/// Whether a string holds an unknown value.
pub fn is_unknown(text: &str) -> bool {
    text.contains(OPEN)
}

/// The first unknown inside a value (keys included), as its marker text.
pub fn find_unknown(value: &Value) -> Option<&str> {
    match &value.kind {
        Kind::String(text) => is_unknown(text).then_some(text.as_str()),
        Kind::Array(items) => items.iter().find_map(find_unknown),
        Kind::Object(members) => members.iter().find_map(|m| {
            if is_unknown(&m.key) {
                Some(m.key.as_str())
            } else {
                find_unknown(&m.value)
            }
        }),
        Kind::Null | Kind::Bool(_) | Kind::Number(_) => None,
    }
}

/// What the marker inside `text` says, for messages: `Ref X` of
/// `arn:…:⟨unknown: Ref X⟩`.
pub fn describe(text: &str) -> &str {
    text.split_once(OPEN)
        .and_then(|(_, rest)| rest.split_once(CLOSE))
        .map_or(text, |(what, _)| what)
}

/// Role mappings of an identity pool whose provider key the inputs do not
/// determine (`IdentityProvider: !ImportValue …`, a plan's key known after
/// apply). Such a key is no key of another mapping (a map has one entry
/// per key), so the mapping applies to one provider of the pool that has
/// no mapping of its own, or to none. Both are kept: the mapping is copied
/// to each such provider, with a fallback to the default authenticated
/// role (labelled), which is what a provider without a mapping gets.
/// Returns the mappings, and for each unknown one a description of what
/// was done, to report.
pub fn spread_unknown_mappings(
    pool: &crate::cognito::identity_pool::IdentityPool,
    mappings: Vec<crate::cognito::identity_pool::RoleMapping>,
) -> (
    Vec<crate::cognito::identity_pool::RoleMapping>,
    Vec<(crate::source::Location, String)>,
) {
    use crate::cognito::Setting;
    use crate::cognito::identity_pool::{AmbiguousRoleResolution, oidc_host};
    use crate::source::Spanned;

    let (unknown, mut known): (Vec<_>, Vec<_>) = mappings
        .into_iter()
        .partition(|m| is_unknown(&m.provider.value));
    if unknown.is_empty() {
        return (known, Vec::new());
    }
    let mut keys: Vec<String> = pool
        .cognito_providers
        .iter()
        .map(|p| p.mapping_key())
        .chain(pool.login_providers.iter().map(|p| p.domain.value.clone()))
        .chain(
            pool.openid_provider_arns
                .iter()
                .filter_map(|a| oidc_host(&a.value).map(str::to_string)),
        )
        .chain(pool.saml_provider_arns.iter().map(|a| a.value.clone()))
        .filter(|key| !known.iter().any(|m| m.provider.value == *key))
        .collect();
    keys.dedup();
    let mut reports = Vec::new();
    for mapping in unknown {
        let fallback = match mapping.ambiguous_role_resolution.value() {
            AmbiguousRoleResolution::AuthenticatedRole => mapping.ambiguous_role_resolution.clone(),
            AmbiguousRoleResolution::Deny => Setting::assumed(
                AmbiguousRoleResolution::AuthenticatedRole,
                "assumed: role mapping provider unknown",
                "the mapping's provider is unknown, so it may apply to no provider, whose users \
                 get the default authenticated role",
            ),
        };
        reports.push((
            mapping.loc.clone(),
            format!(
                "the provider of a role mapping is `{}`: it is applied to each provider of the \
                 pool without a mapping of its own ({}), keeping the default authenticated role",
                describe(&mapping.provider.value),
                if keys.is_empty() {
                    "there is none".to_string()
                } else {
                    keys.join(", ")
                }
            ),
        ));
        for key in &keys {
            let mut copy = mapping.clone();
            copy.provider = Spanned::new(key.clone(), mapping.provider.loc.clone());
            copy.ambiguous_role_resolution = fallback.clone();
            known.push(copy);
        }
    }
    (known, reports)
}
