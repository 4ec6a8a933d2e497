//! The logins an identity pool accepts, with the claims of their tokens.
//!
//! For each trusted provider (user pool app client, social domain, OIDC
//! issuer, SAML provider, developer provider) a [`LoginOption`] names the
//! `Logins` key and the claims role resolution sees: in concrete mode the
//! `--claim` values, shaped as the provider's tokens carry them (Developer
//! Guide, "Role-based access control"; "User pool attributes": an ID token
//! holds only the attributes its app client may read, and the group claims
//! follow from `cognito:groups`); otherwise only the claims such a token
//! always has.

use std::collections::BTreeMap;

use crate::cognito::Claims;
use crate::cognito::identity_pool::{IdentityPool, ProviderKind, oidc_host, user_pool_id_of};
use crate::model::Inventory;
use crate::source::Location;

use super::{EXAMPLE_USER_SUB, Scenario};

/// One way to log in to a pool: a provider (and client) with the claims of
/// its token.
#[derive(Clone, Debug)]
pub(super) struct LoginOption {
    /// The `Logins` key.
    pub(super) provider: String,
    /// The app client (user pool providers).
    pub(super) client: Option<String>,
    pub(super) kind: ProviderKind,
    /// The provider entry in the pool's settings.
    pub(super) loc: Option<Location>,
    /// The token's claims (concrete mode), else the claims a token of this
    /// provider always has.
    pub(super) claims: Claims,
    pub(super) notes: Vec<String>,
}

/// Claims the token itself fixes; `--claim` cannot add them as attributes.
const TOKEN_CLAIMS: [&str; 8] = [
    "sub",
    "aud",
    "iss",
    "token_use",
    "cognito:username",
    "cognito:groups",
    "cognito:roles",
    "cognito:preferred_role",
];

/// The logins a pool accepts, optionally only those of `provider` (a login
/// key, a user pool id, or `PROVIDER:CLIENT_ID`).
pub(super) fn logins(
    inventory: &Inventory,
    pool: &IdentityPool,
    provider: Option<&str>,
    scenario: Option<&Scenario>,
) -> Vec<LoginOption> {
    let given = |name: &str| -> Vec<String> {
        scenario
            .and_then(|s| s.claims.get(name))
            .cloned()
            .unwrap_or_default()
    };
    let wanted_aud = given("aud");
    let mut out = Vec::new();
    for entry in &pool.cognito_providers {
        let name = &entry.provider_name.value;
        let client = &entry.client_id.value;
        let selected = provider.is_none_or(|p| {
            p == name
                || p == entry.mapping_key()
                || entry.user_pool_id() == Some(p)
                || user_pool_named(inventory, entry.user_pool_id(), p)
        });
        if !selected || (!wanted_aud.is_empty() && !wanted_aud.contains(client)) {
            continue;
        }
        let (claims, notes) = user_pool_claims(inventory, name, client, scenario);
        out.push(LoginOption {
            provider: name.clone(),
            client: Some(client.clone()),
            kind: ProviderKind::CognitoUserPool,
            loc: Some(entry.loc.clone()),
            claims,
            notes,
        });
    }
    let mut others: Vec<(String, Option<String>, Location)> = Vec::new();
    for login in &pool.login_providers {
        others.push((
            login.domain.value.clone(),
            Some(login.app_id.value.clone()),
            login.domain.loc.clone(),
        ));
    }
    for arn in &pool.openid_provider_arns {
        let host = oidc_host(&arn.value).unwrap_or(&arn.value).to_string();
        others.push((host, None, arn.loc.clone()));
    }
    for arn in &pool.saml_provider_arns {
        others.push((arn.value.clone(), None, arn.loc.clone()));
    }
    if let Some(developer) = &pool.developer_provider_name {
        others.push((developer.value.clone(), None, developer.loc.clone()));
    }
    if !pool.providers_known() {
        // The pool's providers are unknown: every mapping key is one, and
        // any other login falls on the default role.
        for mapping in &pool.role_mappings {
            let key = &mapping.provider.value;
            let provider_key = match user_pool_id_of(key) {
                Some(_) => key.split(':').next().unwrap_or(key).to_string(),
                None => key.clone(),
            };
            others.push((provider_key, None, mapping.provider.loc.clone()));
        }
        others.push((UNKNOWN_PROVIDER.to_string(), None, pool.loc.clone()));
    }
    for (key, app_id, loc) in others {
        if provider.is_some_and(|p| p != key) {
            continue;
        }
        let kind = pool.provider_kind(&key);
        let mut claims = Claims::new();
        let mut notes = Vec::new();
        for (name, values) in scenario.map(|s| &s.claims).into_iter().flatten() {
            for value in values {
                claims.add(name, value);
            }
        }
        if claims.get("sub").is_none() {
            claims.set("sub", EXAMPLE_USER_SUB);
        }
        if claims.get("aud").is_none()
            && let Some(app_id) = &app_id
        {
            claims.set("aud", app_id);
        }
        if claims.get("iss").is_none()
            && let Some(issuer) = kind.issuer(&key)
        {
            claims.set("iss", &issuer);
        }
        if let Some(visible) = kind.visible_claims()
            && let Some(scenario) = scenario
        {
            for name in scenario.claims.keys() {
                if !visible.contains(&name.as_str()) {
                    notes.push(format!(
                        "{kind} tokens show role mappings only `iss`, `aud` and `sub`: `{name}` is \
                         not seen by rules"
                    ));
                }
            }
        }
        if key == UNKNOWN_PROVIDER {
            notes.push(
                "the pool's login providers are not in the inputs: any login is assumed possible"
                    .to_string(),
            );
        }
        out.push(LoginOption {
            provider: key,
            client: None,
            kind,
            loc: Some(loc),
            claims,
            notes,
        });
    }
    out
}

/// The provider key used when the pool's providers are not in the inputs.
pub const UNKNOWN_PROVIDER: &str = "(any login provider)";

fn user_pool_named(inventory: &Inventory, id: Option<&str>, name: &str) -> bool {
    id.and_then(|id| inventory.user_pool(id))
        .and_then(|p| p.name.as_ref())
        .is_some_and(|n| n.value == name)
}

/// The ID token claims of a user of a user pool app client: the token's own
/// claims, the `--claim` attributes the client may read, and the group
/// claims that follow from `cognito:groups` (Developer Guide, "Role-based
/// access control"; "User pool attributes").
fn user_pool_claims(
    inventory: &Inventory,
    provider: &str,
    client: &str,
    scenario: Option<&Scenario>,
) -> (Claims, Vec<String>) {
    let mut notes = Vec::new();
    let empty = BTreeMap::new();
    let given = scenario.map_or(&empty, |s| &s.claims);
    let sub = given
        .get("sub")
        .and_then(|v| v.first())
        .map_or(EXAMPLE_USER_SUB, String::as_str);
    let groups: Vec<&str> = given
        .get("cognito:groups")
        .map(|v| v.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let attributes: Vec<(&str, &str)> = given
        .iter()
        .filter(|(name, _)| !TOKEN_CLAIMS.contains(&name.as_str()))
        .flat_map(|(name, values)| values.iter().map(move |v| (name.as_str(), v.as_str())))
        .collect();
    let user_pool = user_pool_id_of(provider).and_then(|id| inventory.user_pool(id));
    let mut claims = match user_pool {
        Some(user_pool) => user_pool.id_token_claims(client, sub, &attributes, &groups),
        None => {
            let mut claims = Claims::new();
            claims.set("sub", sub);
            claims.set("aud", client);
            claims.set("iss", &format!("https://{provider}"));
            claims.set("token_use", "id");
            claims.set("cognito:username", sub);
            for (name, value) in &attributes {
                claims.add(name, value);
            }
            if !groups.is_empty() {
                claims.set_multi("cognito:groups", &groups);
                notes.push(format!(
                    "user pool of `{provider}` is not in the inputs: its groups' roles are unknown"
                ));
            }
            claims
        }
    };
    for (name, _) in &attributes {
        if claims.get(name).is_none() {
            notes.push(format!(
                "app client `{client}` may not read `{name}`, so its ID tokens do not carry it"
            ));
        }
    }
    // Repeated attribute values (`--claim custom:team=a --claim custom:team=b`)
    // stay a list, as `--claim` documents.
    for (name, values) in given {
        if !TOKEN_CLAIMS.contains(&name.as_str()) && values.len() > 1 && claims.get(name).is_some()
        {
            claims.set_multi(name, values);
        }
    }
    for name in ["cognito:roles", "cognito:preferred_role"] {
        if let Some(values) = given.get(name) {
            notes.push(format!("`{name}` taken from --claim, not from the groups"));
            if values.len() == 1 && name == "cognito:preferred_role" {
                claims.set(name, &values[0]);
            } else {
                claims.set_multi(name, values);
            }
        }
    }
    (claims, notes)
}
