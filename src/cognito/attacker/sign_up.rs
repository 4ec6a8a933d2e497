//! The self-sign-up capability: what a stranger who registers in a user
//! pool can put in the ID token an identity pool accepts.
//!
//! - Attributes any app client of the pool may write are free: users set
//!   them at sign-up (`SignUp`) and, when mutable, later
//!   (`UpdateUserAttributes`). Attributes belong to the user, not the
//!   client, so any client's write permission counts. Required attributes
//!   are always present (Developer Guide, "User pool attributes").
//! - An attribute the login client may not read is not in its ID tokens.
//! - `email_verified` / `phone_number_verified` are false unless Cognito
//!   verifies the attribute by a code (auto-verified: the attacker receives
//!   the code at an address they own), an app client may write the flag, or
//!   a pre sign-up trigger may verify it.
//! - Groups, and so `cognito:roles` / `cognito:preferred_role`, are absent:
//!   administrators assign groups.
//! - A pre-token-generation Lambda may rewrite any claim but `aud`, `iss`
//!   and `token_use` (Developer Guide, "Pre token generation Lambda
//!   trigger"): all the others are free, and the capability says so.

use std::collections::BTreeMap;

use super::{Capability, CapabilityKind, ClaimConstraint, ClaimSet, Flag};
use super::{authenticated_token, flows, pool_flags};
use crate::cognito::identity_pool::IdentityPool;
use crate::cognito::user_pool::{AppClient, UserPool};
use crate::source::Location;
use crate::source::Spanned;

/// A self-signed-up user of `user_pool` signing in through `client_id`;
/// `None` when only administrators create users.
pub(super) fn self_sign_up(
    pool: &IdentityPool,
    user_pool: &UserPool,
    provider: &str,
    client_id: &str,
) -> Option<Capability> {
    if !user_pool.self_sign_up() {
        return None;
    }
    let mut flags = pool_flags(pool);
    let mut because = vec![(
        format!(
            "user pool {} lets anyone sign up (`AllowAdminCreateUserOnly` is false)",
            user_pool.label()
        ),
        user_pool.allow_admin_create_user_only.loc().cloned(),
    )];
    if let Some(assumed) = user_pool.allow_admin_create_user_only.assumption() {
        flags.push(Flag::AssumedSetting(format!(
            "self sign-up: {}",
            assumed.note()
        )));
    }
    if let Some(assumed) = user_pool.auto_verified_attributes.assumption() {
        flags.push(Flag::AssumedSetting(format!(
            "verified addresses: {}",
            assumed.note()
        )));
    }
    let fallback;
    let login_client = match user_pool.client(client_id) {
        Some(client) => client,
        None => {
            fallback = assumed_client(user_pool, client_id);
            flags.push(Flag::AssumedSetting(format!(
                "app client `{client_id}` is not in the inputs: default read and write \
                 permissions assumed"
            )));
            &fallback
        }
    };
    if login_client.has_secret {
        flags.push(Flag::ClientSecret {
            client: client_id.to_string(),
        });
    }
    because.push((
        format!(
            "identity pool {} accepts its app client `{client_id}`",
            pool.label()
        ),
        Some(login_client.loc.clone()),
    ));

    let others = if user_pool.settings_known() {
        ClaimConstraint::Absent
    } else {
        flags.push(Flag::AssumedSetting(
            "the user pool's attributes are unknown: every other claim is free".to_string(),
        ));
        ClaimConstraint::free()
    };
    let mut token = TokenClaims {
        user_pool,
        login_client,
        claims: ClaimSet::new(others),
    };
    token.service_claims();
    let writable = writable_by_users(user_pool, login_client);
    token.attributes(&writable);
    let verify_trigger = user_pool
        .triggers
        .iter()
        .find(|t| t.trigger.value == "PreSignUp");
    if let Some(trigger) = verify_trigger {
        flags.push(Flag::LambdaTrigger {
            trigger: trigger.trigger.value.clone(),
            function_arn: trigger.function_arn.value.clone(),
            loc: trigger.trigger.loc.clone(),
        });
    }
    token.verification_flags(&writable, verify_trigger.is_some());
    if let Some(trigger) = user_pool.pre_token_generation() {
        flags.push(Flag::PreTokenGenerationLambda {
            function_arn: trigger.function_arn.value.clone(),
            loc: trigger.trigger.loc.clone(),
        });
        token.rewritten_by(&trigger.trigger.loc);
        because.push((
            "a pre-token-generation Lambda may rewrite the token's claims".to_string(),
            Some(trigger.trigger.loc.clone()),
        ));
    }

    Some(Capability {
        kind: CapabilityKind::SelfSignUp {
            user_pool: user_pool.id.clone(),
            client: client_id.to_string(),
        },
        identity_pool: Some(pool.id.clone()),
        provider: Some(provider.to_string()),
        flows: flows(pool),
        claims: token.claims,
        token: authenticated_token(pool, provider),
        flags,
        because,
    })
}

/// A client the identity pool names but the inputs do not show: default
/// read and write permissions.
fn assumed_client(user_pool: &UserPool, client_id: &str) -> AppClient {
    AppClient {
        id: Spanned::new(client_id.to_string(), user_pool.loc.clone()),
        user_pool_id: user_pool.id.clone(),
        name: None,
        read_attributes: None,
        write_attributes: None,
        has_secret: false,
        loc: user_pool.loc.clone(),
    }
}

/// An attribute users can write: whether it is required, the configuration
/// that allows it, and the client through which.
struct Writable {
    required: bool,
    loc: Option<Location>,
    via: String,
}

/// Attributes users can write, through any client of the pool (the login
/// client included even when the inputs do not list it), plus the user-name
/// attributes, which every sign-up sets.
fn writable_by_users(user_pool: &UserPool, login_client: &AppClient) -> BTreeMap<String, Writable> {
    let mut clients: Vec<&AppClient> = user_pool.clients.iter().collect();
    if !clients.iter().any(|c| c.id.value == login_client.id.value) {
        clients.push(login_client);
    }
    let mut writable: BTreeMap<String, Writable> = BTreeMap::new();
    for client in clients {
        for attribute in user_pool.writable_attributes(client) {
            let entry = writable
                .entry(attribute.name.clone())
                .or_insert_with(|| Writable {
                    required: false,
                    loc: attribute.loc.clone(),
                    via: client.id.value.clone(),
                });
            entry.required |= attribute.required;
        }
    }
    for username_attribute in &user_pool.username_attributes {
        writable
            .entry(username_attribute.value.clone())
            .or_insert_with(|| Writable {
                required: true,
                loc: Some(username_attribute.loc.clone()),
                via: login_client.id.value.clone(),
            });
    }
    writable
}

/// The claims of the login client's ID tokens, built up step by step.
struct TokenClaims<'a> {
    user_pool: &'a UserPool,
    login_client: &'a AppClient,
    claims: ClaimSet,
}

impl TokenClaims<'_> {
    /// Claims Cognito sets itself.
    fn service_claims(&mut self) {
        let client_id = self.login_client.id.value.clone();
        let claims = &mut self.claims;
        claims.set(
            "aud",
            ClaimConstraint::fixed(&client_id),
            "the login client's id",
            Some(&self.login_client.id.loc),
        );
        claims.set(
            "iss",
            ClaimConstraint::fixed(&self.user_pool.issuer()),
            "the user pool's issuer",
            None,
        );
        claims.set(
            "token_use",
            ClaimConstraint::fixed("id"),
            "ID tokens carry `token_use` id",
            None,
        );
        for name in ["sub", "cognito:username"] {
            claims.set(
                name,
                ClaimConstraint::Free { optional: false },
                "assigned by Cognito to the new user",
                None,
            );
        }
        // Session claims: always in real tokens, but no rule author relies
        // on their absence, so leaving them optional keeps examples short.
        for name in ["auth_time", "iat", "exp", "jti", "origin_jti", "event_id"] {
            claims.set(
                name,
                ClaimConstraint::free(),
                "set by Cognito for the session",
                None,
            );
        }
        for name in ["cognito:groups", "cognito:roles", "cognito:preferred_role"] {
            claims.set(
                name,
                ClaimConstraint::Absent,
                "groups are assigned by administrators; a new user has none",
                None,
            );
        }
    }

    /// Writable attributes the login client reads are free; the pool's other
    /// attributes are absent for a new user.
    fn attributes(&mut self, writable: &BTreeMap<String, Writable>) {
        let client_id = &self.login_client.id.value;
        for (name, attribute) in writable {
            if name.ends_with("_verified") {
                continue;
            }
            if !self.user_pool.readable(self.login_client, name) {
                let read_list = self
                    .login_client
                    .read_attributes
                    .as_ref()
                    .and_then(|l| l.first())
                    .map(|a| &a.loc);
                self.claims.set(
                    name,
                    ClaimConstraint::Absent,
                    format!(
                        "app client `{client_id}` may not read `{name}`, so its ID tokens leave \
                         it out"
                    ),
                    read_list,
                );
                continue;
            }
            self.claims.set(
                name,
                ClaimConstraint::Free {
                    optional: !attribute.required,
                },
                format!(
                    "users write `{name}` themselves (app client `{}` may write it)",
                    attribute.via
                ),
                attribute.loc.as_ref(),
            );
        }
        for schema in &self.user_pool.schema {
            let name = &schema.name.value;
            if !self.claims.claims.contains_key(name) && !name.ends_with("_verified") {
                self.claims.set(
                    name,
                    ClaimConstraint::Absent,
                    "no app client lets users write it; a new user has no value",
                    Some(&schema.loc),
                );
            }
        }
    }

    fn verification_flags(&mut self, writable: &BTreeMap<String, Writable>, trigger: bool) {
        for (attribute, flag) in [
            ("email", "email_verified"),
            ("phone_number", "phone_number_verified"),
        ] {
            let present = writable.contains_key(attribute) || writable.contains_key(flag);
            if !present || !self.user_pool.readable(self.login_client, flag) {
                self.claims.set(
                    flag,
                    ClaimConstraint::Absent,
                    format!("`{attribute}` is not set by users"),
                    None,
                );
                continue;
            }
            let (values, why): (&[&str], String) = if writable.contains_key(flag) {
                (
                    &["true", "false"],
                    format!("an app client may write `{flag}`"),
                )
            } else if self.user_pool.auto_verifies(attribute) {
                let assumed = self
                    .user_pool
                    .auto_verified_attributes
                    .assumption()
                    .map(|a| format!(" ({})", a.label))
                    .unwrap_or_default();
                (
                    &["true", "false"],
                    format!(
                        "`{attribute}` is verified by a code sent to an address the user \
                         owns{assumed}"
                    ),
                )
            } else if trigger {
                (
                    &["true", "false"],
                    "a pre sign-up trigger may verify it".to_string(),
                )
            } else {
                (
                    &["false"],
                    "only administrators mark it verified".to_string(),
                )
            };
            self.claims.set(
                flag,
                ClaimConstraint::OneOf {
                    values: values.iter().map(|v| v.to_string()).collect(),
                    optional: true,
                },
                why,
                None,
            );
        }
    }

    /// A pre-token-generation Lambda: every claim but `aud`, `iss` and
    /// `token_use` becomes free.
    fn rewritten_by(&mut self, trigger: &Location) {
        const FIXED: [&str; 3] = ["aud", "iss", "token_use"];
        for (name, spec) in self.claims.claims.iter_mut() {
            if !FIXED.contains(&name.as_str()) {
                spec.constraint = ClaimConstraint::free();
                spec.why = "a pre-token-generation Lambda may set any claim".to_string();
                spec.loc = Some(trigger.clone());
            }
        }
        self.claims.others = ClaimConstraint::free();
    }
}
