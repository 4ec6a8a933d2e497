//! Attacker capabilities: what an outsider can make themselves be.
//!
//! For each identity pool of the inputs, [`capabilities`] lists the ways
//! someone with nothing but the app's public configuration gets an identity:
//! a guest (when unauthenticated identities are allowed); a user who signs
//! up to a user pool (when self sign-up is open) and writes the attributes
//! the app clients allow; a login through a trusted social, OIDC, SAML or
//! developer provider; and an identity of an identity pool that the inputs
//! do not show (the attacker's own, against roles whose trust lacks `aud`).
//!
//! Each [`Capability`] says which flows it can use, and constrains every
//! claim of its token with a [`ClaimConstraint`] (fixed, one of a few
//! values, free, free except some values, absent), plus the web identity
//! token keys STS sees. The concrete checker asks [`ClaimSet::admits`]
//! whether given claims are attainable; the solver encodes the same
//! constraints. Sources: Developer Guide, "User pool attributes" (write
//! permissions, verification), "Role-based access control" (claims per
//! provider), "Pre token generation Lambda trigger", "Security best
//! practices for identity pools" (foreign pools); SEMANTICS-NOTES §7.

use std::collections::BTreeMap;

use super::claims::{ClaimValue, Claims};
use super::identity_pool::{IdentityPool, ProviderKind, oidc_host};
use super::role_resolution::Flow;
use super::user_pool::{self, UserPool};
use crate::eval::request::{COGNITO_AMR, COGNITO_AUD, COGNITO_SUB};
use crate::source::Location;

/// What values a claim can take in a token the attacker obtains.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClaimConstraint {
    /// Present with exactly these values (one for a single-valued claim).
    Fixed(Vec<String>),
    /// A single value from the list, or absent when `optional`.
    OneOf { values: Vec<String>, optional: bool },
    /// Any value the attacker picks, or absent when `optional`.
    Free { optional: bool },
    /// Any value except these, or absent when `optional`.
    FreeExcept { except: Vec<String>, optional: bool },
    /// A list that holds at least these values, and maybe others.
    Includes(Vec<String>),
    /// Not in the token.
    Absent,
}

impl ClaimConstraint {
    pub fn free() -> ClaimConstraint {
        ClaimConstraint::Free { optional: true }
    }

    pub fn fixed(value: &str) -> ClaimConstraint {
        ClaimConstraint::Fixed(vec![value.to_string()])
    }

    /// Whether the attacker can leave the claim out.
    pub fn may_be_absent(&self) -> bool {
        match self {
            ClaimConstraint::Fixed(_) | ClaimConstraint::Includes(_) => false,
            ClaimConstraint::OneOf { optional, .. }
            | ClaimConstraint::Free { optional }
            | ClaimConstraint::FreeExcept { optional, .. } => *optional,
            ClaimConstraint::Absent => true,
        }
    }

    /// Whether the attacker chooses the value (within limits).
    pub fn is_attacker_chosen(&self) -> bool {
        matches!(
            self,
            ClaimConstraint::Free { .. } | ClaimConstraint::FreeExcept { .. }
        ) || matches!(self, ClaimConstraint::OneOf { values, .. } if values.len() > 1)
    }

    /// Whether a concrete claim value (or its absence) is attainable.
    pub fn admits(&self, value: Option<&ClaimValue>) -> bool {
        let Some(value) = value else {
            return self.may_be_absent();
        };
        let values = value.values();
        match self {
            ClaimConstraint::Fixed(fixed) => {
                values.len() == fixed.len() && values.iter().all(|v| fixed.iter().any(|f| f == v))
            }
            ClaimConstraint::OneOf {
                values: allowed, ..
            } => values.len() == 1 && allowed.iter().any(|a| a == values[0]),
            ClaimConstraint::Free { .. } => true,
            ClaimConstraint::FreeExcept { except, .. } => {
                !values.iter().any(|v| except.iter().any(|e| e == v))
            }
            ClaimConstraint::Includes(required) => {
                required.iter().all(|r| values.contains(&r.as_str()))
            }
            ClaimConstraint::Absent => false,
        }
    }
}

/// One claim's constraint with the reason and the configuration behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimSpec {
    pub constraint: ClaimConstraint,
    pub why: String,
    pub loc: Option<Location>,
}

/// The constraints on every claim of a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimSet {
    pub claims: BTreeMap<String, ClaimSpec>,
    /// The constraint on every claim not listed.
    pub others: ClaimConstraint,
}

impl ClaimSet {
    pub fn new(others: ClaimConstraint) -> ClaimSet {
        ClaimSet {
            claims: BTreeMap::new(),
            others,
        }
    }

    pub fn set(
        &mut self,
        claim: &str,
        constraint: ClaimConstraint,
        why: impl Into<String>,
        loc: Option<&Location>,
    ) {
        self.claims.insert(
            claim.to_string(),
            ClaimSpec {
                constraint,
                why: why.into(),
                loc: loc.cloned(),
            },
        );
    }

    pub fn get(&self, claim: &str) -> &ClaimConstraint {
        self.claims
            .get(claim)
            .map_or(&self.others, |spec| &spec.constraint)
    }

    /// Whether the attacker can present these claims; `Err` names the first
    /// claim that is out of reach and why.
    pub fn admits(&self, claims: &Claims) -> Result<(), String> {
        for (name, spec) in &self.claims {
            if !spec.constraint.admits(claims.get(name)) {
                return Err(match claims.get(name) {
                    // A claim every such token carries, left out here.
                    None => format!(
                        "every such token carries `{name}` ({}), and these claims leave it out",
                        spec.why
                    ),
                    Some(_) => format!("`{name}`: {}", spec.why),
                });
            }
        }
        for (name, value) in claims.iter() {
            if !self.claims.contains_key(name) && !self.others.admits(Some(value)) {
                return Err(format!("`{name}` is not in tokens of this kind"));
            }
        }
        Ok(())
    }
}

/// One way an outsider gets an identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capability {
    pub kind: CapabilityKind,
    /// The identity pool the identity belongs to; `None` for a pool the
    /// inputs do not show.
    pub identity_pool: Option<String>,
    /// The login key (`Logins` map key); `None` for guests and foreign pools.
    pub provider: Option<String>,
    pub flows: Vec<Flow>,
    /// The claims role-mapping rules and principal tags see.
    pub claims: ClaimSet,
    /// The web identity token STS sees: `cognito-identity.amazonaws.com:aud`,
    /// `:amr`, `:sub`.
    pub token: BTreeMap<&'static str, ClaimConstraint>,
    pub flags: Vec<Flag>,
    /// The settings that make this possible, in words, with where.
    pub because: Vec<(String, Option<Location>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CapabilityKind {
    /// An unauthenticated identity of the pool.
    Guest,
    /// A user who signed up to `user_pool` and signs in through `client`.
    SelfSignUp { user_pool: String, client: String },
    /// A login through a social, OIDC or SAML provider the pool trusts.
    FederatedLogin { provider_kind: ProviderKind },
    /// A developer-authenticated identity (the app's own backend).
    DeveloperLogin,
    /// Any login, the pool's providers being unknown.
    UnknownLogin,
    /// An identity of an identity pool the inputs do not show.
    ForeignPool,
}

/// Caveats that change how sure a finding built on the capability is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Flag {
    /// A pre-token-generation Lambda may rewrite claims: they are all free.
    PreTokenGenerationLambda { function_arn: String, loc: Location },
    /// Another trigger (pre sign-up, …) may confirm or verify users.
    LambdaTrigger {
        trigger: String,
        function_arn: String,
        loc: Location,
    },
    /// A setting the inputs do not show was assumed.
    AssumedSetting(String),
    /// Whether an outsider can log in depends on the provider's own users
    /// (SAML, OIDC, developer backends).
    DependsOnProvider,
    /// The login client has a secret; signing in through it needs the secret.
    ClientSecret { client: String },
    /// STS accepts tokens of another account's pool only when the trust
    /// policy has both an `aud` and an `amr` condition (Developer Guide,
    /// "Security best practices for identity pools").
    CrossAccountNeedsAudAndAmr,
}

/// The capabilities an outsider has to log in to `pool` through `provider`.
pub fn outsider_logins<'c>(
    outsiders: &'c [Capability],
    pool: &str,
    provider: &str,
) -> impl Iterator<Item = &'c Capability> {
    outsiders.iter().filter(move |c| {
        c.identity_pool.as_deref() == Some(pool) && c.provider.as_deref() == Some(provider)
    })
}

/// Every capability the identity pools give an outsider, pool by pool, then
/// the foreign-pool identity. `user_pools` are the user pools the inputs
/// show; a pool's user-pool provider missing from them is read with every
/// setting assumed.
pub fn capabilities(identity_pools: &[IdentityPool], user_pools: &[UserPool]) -> Vec<Capability> {
    let mut out = Vec::new();
    for pool in identity_pools {
        pool_capabilities(user_pools, pool, &mut out);
    }
    out.push(foreign_pool(identity_pools));
    out
}

fn flows(pool: &IdentityPool) -> Vec<Flow> {
    let mut flows = vec![Flow::Enhanced];
    if *pool.allow_classic_flow.value() {
        flows.push(Flow::Basic);
    }
    flows
}

fn pool_flags(pool: &IdentityPool) -> Vec<Flag> {
    let mut flags = Vec::new();
    for (name, setting) in [
        (
            "AllowUnauthenticatedIdentities",
            &pool.allow_unauthenticated,
        ),
        ("AllowClassicFlow", &pool.allow_classic_flow),
    ] {
        if let super::Setting::Assumed { value, label, why } = setting {
            flags.push(Flag::AssumedSetting(format!(
                "`{name}` taken as {value} ({label}): {why}"
            )));
        }
    }
    flags
}

fn authenticated_token(
    pool: &IdentityPool,
    provider: &str,
) -> BTreeMap<&'static str, ClaimConstraint> {
    BTreeMap::from([
        (COGNITO_AUD, ClaimConstraint::fixed(&pool.id)),
        (
            COGNITO_AMR,
            ClaimConstraint::Includes(vec!["authenticated".to_string(), provider.to_string()]),
        ),
        (COGNITO_SUB, ClaimConstraint::Free { optional: false }),
    ])
}

fn pool_capabilities(user_pools: &[UserPool], pool: &IdentityPool, out: &mut Vec<Capability>) {
    // Developer Guide, "Identity pools authentication flow": guests get
    // credentials only when the pool allows unauthenticated identities.
    if *pool.allow_unauthenticated.value() {
        out.push(Capability {
            kind: CapabilityKind::Guest,
            identity_pool: Some(pool.id.clone()),
            provider: None,
            flows: flows(pool),
            claims: ClaimSet::new(ClaimConstraint::Absent),
            token: BTreeMap::from([
                (COGNITO_AUD, ClaimConstraint::fixed(&pool.id)),
                (COGNITO_AMR, ClaimConstraint::fixed("unauthenticated")),
                (COGNITO_SUB, ClaimConstraint::Free { optional: false }),
            ]),
            flags: pool_flags(pool),
            because: vec![(
                "the pool allows unauthenticated identities; its id is in the app".to_string(),
                pool.allow_unauthenticated.loc().cloned(),
            )],
        });
    }
    if !pool.providers_known() {
        let mut flags = pool_flags(pool);
        flags.push(Flag::AssumedSetting(
            "the pool's login providers are not in the inputs".to_string(),
        ));
        out.push(Capability {
            kind: CapabilityKind::UnknownLogin,
            identity_pool: Some(pool.id.clone()),
            provider: None,
            flows: flows(pool),
            claims: ClaimSet::new(ClaimConstraint::free()),
            token: BTreeMap::from([
                (COGNITO_AUD, ClaimConstraint::fixed(&pool.id)),
                (
                    COGNITO_AMR,
                    ClaimConstraint::Includes(vec!["authenticated".to_string()]),
                ),
                (COGNITO_SUB, ClaimConstraint::Free { optional: false }),
            ]),
            flags,
            because: vec![(
                "the pool's providers are unknown, so any login is assumed possible".to_string(),
                Some(pool.loc.clone()),
            )],
        });
        return;
    }
    for provider in &pool.cognito_providers {
        let Some(user_pool_id) = provider.user_pool_id() else {
            continue;
        };
        let unknown;
        let user_pool = match user_pool::find(user_pools, user_pool_id) {
            Some(user_pool) => user_pool,
            None => {
                unknown = UserPool::unknown(user_pool_id, provider.loc.clone());
                &unknown
            }
        };
        if let Some(capability) = sign_up::self_sign_up(
            pool,
            user_pool,
            &provider.provider_name.value,
            &provider.client_id.value,
        ) {
            out.push(capability);
        }
    }
    for login in &pool.login_providers {
        let kind = ProviderKind::of(&login.domain.value);
        out.push(federated(
            pool,
            &login.domain.value,
            kind,
            Some(&login.app_id.value),
            &login.domain.loc,
        ));
    }
    for arn in &pool.openid_provider_arns {
        let host = oidc_host(&arn.value).unwrap_or(&arn.value);
        out.push(federated(pool, host, ProviderKind::Oidc, None, &arn.loc));
    }
    for arn in &pool.saml_provider_arns {
        out.push(federated(
            pool,
            &arn.value,
            ProviderKind::Saml,
            None,
            &arn.loc,
        ));
    }
    if let Some(developer) = &pool.developer_provider_name {
        let mut flags = pool_flags(pool);
        flags.push(Flag::DependsOnProvider);
        out.push(Capability {
            kind: CapabilityKind::DeveloperLogin,
            identity_pool: Some(pool.id.clone()),
            provider: Some(developer.value.clone()),
            flows: flows(pool),
            // Role-mapping rules see no claims of developer logins.
            claims: ClaimSet::new(ClaimConstraint::Absent),
            token: authenticated_token(pool, &developer.value),
            flags,
            because: vec![(
                "the pool accepts developer-authenticated identities from the app's backend"
                    .to_string(),
                Some(developer.loc.clone()),
            )],
        });
    }
}

/// A login through a provider the pool trusts. The claims the provider puts
/// in its token are the attacker's own account's: free, except the app id
/// the token is issued to. Facebook and Login with Amazon show rules only
/// `iss`, `aud` and `sub` (Developer Guide, "Role-based access control",
/// "Token claims to use in rule-based mapping").
fn federated(
    pool: &IdentityPool,
    provider: &str,
    kind: ProviderKind,
    app_id: Option<&str>,
    loc: &Location,
) -> Capability {
    let others = if kind.visible_claims().is_some() {
        ClaimConstraint::Absent
    } else {
        ClaimConstraint::free()
    };
    let mut claims = ClaimSet::new(others);
    if let Some(app_id) = app_id {
        claims.set(
            "aud",
            ClaimConstraint::fixed(app_id),
            "the provider issues tokens to the app id the pool names",
            Some(loc),
        );
    }
    claims.set(
        "sub",
        ClaimConstraint::Free { optional: false },
        "the attacker's own account at the provider",
        None,
    );
    if let Some(issuer) = kind.issuer(provider) {
        claims.set(
            "iss",
            ClaimConstraint::Fixed(vec![issuer]),
            "the provider's issuer",
            None,
        );
    }
    let mut flags = pool_flags(pool);
    if matches!(kind, ProviderKind::Oidc | ProviderKind::Saml) {
        flags.push(Flag::DependsOnProvider);
    }
    Capability {
        kind: CapabilityKind::FederatedLogin {
            provider_kind: kind,
        },
        identity_pool: Some(pool.id.clone()),
        provider: Some(provider.to_string()),
        flows: flows(pool),
        claims,
        token: authenticated_token(pool, provider),
        flags,
        because: vec![(
            format!("the pool trusts {kind} `{provider}`"),
            Some(loc.clone()),
        )],
    }
}

/// An identity of an identity pool the inputs do not show — another pool of
/// the same account, or the attacker's own pool in another account (with
/// the basic flow on, the attacker names any role). Its `aud` is any pool id
/// but the known ones; it may be a guest or any login. STS refuses other
/// accounts' pools unless the role's trust policy has both `aud` and `amr`
/// conditions, which the flag carries for the trust check.
fn foreign_pool(identity_pools: &[IdentityPool]) -> Capability {
    let known: Vec<String> = identity_pools.iter().map(|p| p.id.clone()).collect();
    Capability {
        kind: CapabilityKind::ForeignPool,
        identity_pool: None,
        provider: None,
        flows: vec![Flow::Enhanced, Flow::Basic],
        claims: ClaimSet::new(ClaimConstraint::free()),
        token: BTreeMap::from([
            (
                COGNITO_AUD,
                ClaimConstraint::FreeExcept {
                    except: known,
                    optional: false,
                },
            ),
            (COGNITO_AMR, ClaimConstraint::Free { optional: false }),
            (COGNITO_SUB, ClaimConstraint::Free { optional: false }),
        ]),
        flags: vec![Flag::CrossAccountNeedsAudAndAmr],
        because: vec![(
            "identity pools the inputs do not show can ask STS for any role that trusts \
             cognito-identity.amazonaws.com"
                .to_string(),
            None,
        )],
    }
}

mod sign_up;

#[cfg(test)]
mod tests;
