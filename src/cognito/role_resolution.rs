//! Role resolution: which role one concrete login gets from an identity
//! pool, and why.
//!
//! Given a pool, a login (a guest, or a provider with the token's claims),
//! the flow (enhanced or basic) and the optional `CustomRoleArn` or
//! caller-chosen `RoleArn`, [`resolve`] returns the outcome — a role to
//! assume with the web identity token STS will see, or a denial — and a
//! step-by-step trace for `explain` (each rule tried, matched or not and
//! why, with its [`Location`]). How a rule of a `Rules` mapping judges the
//! claims, and how such a mapping picks its role, is in `rules`.
//!
//! Sources: Amazon Cognito Developer Guide, "Identity pools authentication
//! flow" (enhanced and basic flows), "Role-based access control" (rules,
//! tokens, ambiguous role resolution), "SAML identity providers (identity
//! pools)", "IAM roles" (the guest scope-down). Where AWS is silent (how
//! rules compare multi-valued claims, or case), a rule whose match depends
//! on the reading is *uncertain* and both branches are kept: a
//! [`Resolution`] then has several possible outcomes, so no reachable role
//! is hidden.
//!
//! The trust policy is not decided here: in both flows STS evaluates the
//! role's trust policy against the [`WebIdentityToken`] (its `aud`, `amr`
//! and `sub`), which the evaluator does with the outcome's token.

use std::fmt;

use super::claims::{ClaimValue, Claims, SAML_ROLE_ATTRIBUTE};
use super::identity_pool::{
    AmbiguousRoleResolution, IdentityPool, MappingType, ProviderKind, RoleMapping,
};
use super::scope_down::guest_scope_down;
use crate::diagnostic::Diagnostic;
use crate::eval::request::{COGNITO_AMR, COGNITO_AUD, COGNITO_SUB};
use crate::policy::Policy;
use crate::source::Location;

pub use rules::{RuleMatch, match_rule};

/// How credentials are obtained (Developer Guide, "Identity pools
/// authentication flow").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Flow {
    /// GetId → GetCredentialsForIdentity: Cognito picks the role.
    Enhanced,
    /// GetId → GetOpenIdToken → `sts:AssumeRoleWithWebIdentity` with a role
    /// the caller names; only when `AllowClassicFlow` is true.
    Basic,
}

impl fmt::Display for Flow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Flow::Enhanced => "enhanced",
            Flow::Basic => "basic",
        })
    }
}

/// Who is logging in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Login {
    /// An unauthenticated identity.
    Guest,
    /// A login through `provider` (the `Logins` map key:
    /// `cognito-idp.REGION.amazonaws.com/POOL_ID`, `graph.facebook.com`, an
    /// OIDC issuer host, a SAML provider ARN, a developer provider name),
    /// with the claims of its token. For user pools the ID token's `aud` is
    /// the app client id.
    Authenticated { provider: String, claims: Claims },
}

/// One request for credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialsRequest {
    pub login: Login,
    pub flow: Flow,
    /// GetCredentialsForIdentity `CustomRoleArn` (enhanced flow).
    pub custom_role_arn: Option<String>,
    /// AssumeRoleWithWebIdentity `RoleArn` (basic flow): any role the
    /// caller names.
    pub role_arn: Option<String>,
    /// The identity id, `REGION:GUID`; an example id in the pool's region
    /// when not given.
    pub identity_id: Option<String>,
}

impl CredentialsRequest {
    pub fn guest(flow: Flow) -> CredentialsRequest {
        CredentialsRequest {
            login: Login::Guest,
            flow,
            custom_role_arn: None,
            role_arn: None,
            identity_id: None,
        }
    }

    pub fn authenticated(provider: &str, claims: Claims, flow: Flow) -> CredentialsRequest {
        CredentialsRequest {
            login: Login::Authenticated {
                provider: provider.to_string(),
                claims,
            },
            flow,
            custom_role_arn: None,
            role_arn: None,
            identity_id: None,
        }
    }
}

/// The token STS sees in `AssumeRoleWithWebIdentity`, as condition keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebIdentityToken {
    /// The identity pool id.
    pub aud: String,
    /// `unauthenticated`, or `authenticated` plus the login provider.
    pub amr: Vec<String>,
    /// The identity id.
    pub sub: String,
}

impl WebIdentityToken {
    /// The condition keys and values a trust policy is evaluated with.
    pub fn context(&self) -> Vec<(&'static str, Vec<String>)> {
        vec![
            (COGNITO_AUD, vec![self.aud.clone()]),
            (COGNITO_AMR, self.amr.clone()),
            (COGNITO_SUB, vec![self.sub.clone()]),
        ]
    }
}

/// What resolution found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    /// Every possible outcome: one, unless a rule's match is uncertain.
    pub outcomes: Vec<Grant>,
    pub trace: Vec<Step>,
}

impl Resolution {
    /// The roles the login may assume.
    pub fn roles(&self) -> Vec<&str> {
        self.outcomes
            .iter()
            .filter_map(|o| match o {
                Grant::Assume(a) => Some(a.role_arn.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Whether every outcome is a denial.
    pub fn is_denied(&self) -> bool {
        self.outcomes
            .iter()
            .all(|o| matches!(o, Grant::Denied { .. }))
    }
}

/// What one role request comes to: a role STS is asked for, no
/// credentials, or undecidable from the inputs. (Named apart from the
/// solver's `smt::Outcome`, a verdict on a question.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Grant {
    /// Cognito (enhanced) or the caller (basic) asks STS for this role.
    Assume(Assumption),
    /// No credentials.
    Denied {
        reason: String,
        loc: Option<Location>,
    },
    /// The inputs do not show enough to decide (the pool's roles are
    /// missing); never read as "no access".
    Unknown { reason: String },
}

/// A role request that reaches STS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assumption {
    pub role_arn: String,
    /// Where the inputs give this login this role; `None` when the caller
    /// chose it.
    pub loc: Option<Location>,
    pub source: RoleSource,
    pub flow: Flow,
    pub token: WebIdentityToken,
    /// Cognito adds the guest scope-down session policy (enhanced flow,
    /// unauthenticated identities only; Developer Guide, "IAM roles").
    pub scope_down: bool,
    /// Session tags from the pool's principal-tag mapping: tag key → value.
    pub principal_tags: Vec<(String, String)>,
    /// Settings the inputs do not show that this outcome rests on (the
    /// basic flow of a pool whose `AllowClassicFlow` is absent, …): each
    /// was taken with the value that never hides access.
    pub assumed: Vec<super::Assumed>,
}

impl Assumption {
    /// The session policies Cognito passes with the request: the guest
    /// scope-down when [`Assumption::scope_down`] is set, else none. `Err`
    /// only if the scope-down data shipped with poolscope is broken.
    pub fn session_policies(&self) -> Result<Vec<&'static Policy>, &'static [Diagnostic]> {
        if !self.scope_down {
            return Ok(Vec::new());
        }
        Ok(vec![&guest_scope_down()?.policy])
    }
}

/// How the role was picked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoleSource {
    DefaultUnauthenticated,
    /// The default authenticated role: no mapping, or a mapping's
    /// `AmbiguousRoleResolution: AuthenticatedRole`.
    DefaultAuthenticated {
        ambiguous: bool,
    },
    /// A Rules mapping: the mapping key and the rule's index.
    Rule {
        mapping: String,
        index: usize,
    },
    /// The token's `cognito:preferred_role`.
    PreferredRole,
    /// `CustomRoleArn`, found among the token's roles.
    CustomRoleArn,
    /// The only role of a SAML assertion.
    SamlRole,
    /// The basic flow: the caller named the role.
    ClassicFlow,
}

impl fmt::Display for RoleSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RoleSource::DefaultUnauthenticated => f.write_str("default unauthenticated role"),
            RoleSource::DefaultAuthenticated { ambiguous: false } => {
                f.write_str("default authenticated role")
            }
            RoleSource::DefaultAuthenticated { ambiguous: true } => {
                f.write_str("default authenticated role (ambiguous role resolution)")
            }
            RoleSource::Rule { mapping, index } => {
                write!(f, "rule {} of the mapping for `{mapping}`", index + 1)
            }
            RoleSource::PreferredRole => f.write_str("token `cognito:preferred_role`"),
            RoleSource::CustomRoleArn => f.write_str("`CustomRoleArn` among the token's roles"),
            RoleSource::SamlRole => f.write_str("the SAML assertion's only role"),
            RoleSource::ClassicFlow => f.write_str("named by the caller (basic flow)"),
        }
    }
}

/// One step of the trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub kind: StepKind,
    pub text: String,
    /// The configuration element the step is about.
    pub loc: Option<Location>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StepKind {
    /// Context: the flow, the mapping in use, an assumed setting.
    Note,
    Matched,
    NotMatched,
    /// The match depends on a reading AWS does not document; both branches
    /// are followed.
    Uncertain,
    /// A role was picked.
    Chosen,
    Denied,
}

/// Resolves the role for one request. Pure: the pool is not changed.
pub fn resolve(pool: &IdentityPool, request: &CredentialsRequest) -> Resolution {
    let mut resolver = Resolver {
        pool,
        request,
        trace: Vec::new(),
        outcomes: Vec::new(),
        assumed: Vec::new(),
    };
    resolver.run();
    let mut outcomes: Vec<Grant> = Vec::new();
    for outcome in resolver.outcomes {
        let duplicate = outcomes.iter().any(|seen| match (seen, &outcome) {
            (Grant::Assume(a), Grant::Assume(b)) => a.role_arn == b.role_arn,
            (Grant::Denied { reason: a, .. }, Grant::Denied { reason: b, .. }) => a == b,
            _ => false,
        });
        if !duplicate {
            outcomes.push(outcome);
        }
    }
    Resolution {
        outcomes,
        trace: resolver.trace,
    }
}

/// An identity id in the pool's region, for requests that name none.
pub fn example_identity_id(pool: &IdentityPool) -> String {
    let region = pool.region.as_deref().unwrap_or("us-east-1");
    format!("{region}:00000000-0000-4000-8000-000000000000")
}

struct Resolver<'a> {
    pool: &'a IdentityPool,
    request: &'a CredentialsRequest,
    trace: Vec<Step>,
    outcomes: Vec<Grant>,
    /// Assumed settings consulted so far; outcomes reached after carry them.
    assumed: Vec<super::Assumed>,
}

/// Where a role in the pool's configuration comes from.
struct Pick {
    role_arn: String,
    loc: Option<Location>,
    source: RoleSource,
}

impl Pick {
    /// A role a token, an assertion or the caller names: nothing in the
    /// pool's configuration locates it.
    fn named(role_arn: String, source: RoleSource) -> Pick {
        Pick {
            role_arn,
            loc: None,
            source,
        }
    }
}

impl Resolver<'_> {
    fn step(&mut self, kind: StepKind, text: impl Into<String>, loc: Option<&Location>) {
        self.trace.push(Step {
            kind,
            text: text.into(),
            loc: loc.cloned(),
        });
    }

    fn deny(&mut self, reason: impl Into<String>, loc: Option<&Location>) {
        let reason = reason.into();
        self.step(StepKind::Denied, reason.clone(), loc);
        self.outcomes.push(Grant::Denied {
            reason,
            loc: loc.cloned(),
        });
    }

    fn run(&mut self) {
        let pool = self.pool;
        match self.request.flow {
            Flow::Enhanced => self.step(
                StepKind::Note,
                "enhanced flow: GetId, then GetCredentialsForIdentity; Cognito picks the role",
                None,
            ),
            Flow::Basic => {
                self.step(
                    StepKind::Note,
                    "basic flow: GetId, GetOpenIdToken, then sts:AssumeRoleWithWebIdentity \
                     with a role the caller names",
                    None,
                );
                let classic = &pool.allow_classic_flow;
                if !*classic.value() {
                    return self.deny(
                        format!(
                            "identity pool {} does not allow the basic (classic) flow",
                            pool.label()
                        ),
                        classic.loc(),
                    );
                }
                self.setting_step("AllowClassicFlow", classic, None);
            }
        }
        match &self.request.login {
            Login::Guest => self.guest(),
            Login::Authenticated { provider, claims } => self.authenticated(provider, claims),
        }
    }

    /// Notes the value a setting has, or is taken to have, and records the
    /// assumption outcomes reached from here rest on. An assumed value
    /// points at `assumed_at`, as it has no location of its own.
    fn setting_step<T: fmt::Display>(
        &mut self,
        name: &str,
        setting: &super::Setting<T>,
        assumed_at: Option<&Location>,
    ) {
        match setting {
            super::Setting::Given(given) => self.step(
                StepKind::Note,
                format!("`{name}` is {}", given.value),
                Some(&given.loc),
            ),
            super::Setting::Assumed { value, label, why } => self.step(
                StepKind::Note,
                format!("`{name}` taken as {value} ({label}): {why}"),
                assumed_at,
            ),
        }
        self.rest_on(setting.assumption());
    }

    /// Records an assumption the outcomes reached from here rest on.
    fn rest_on(&mut self, assumed: Option<super::Assumed>) {
        if let Some(assumed) = assumed
            && !self.assumed.contains(&assumed)
        {
            self.assumed.push(assumed);
        }
    }

    fn identity_id(&self) -> String {
        self.request
            .identity_id
            .clone()
            .unwrap_or_else(|| example_identity_id(self.pool))
    }

    fn guest(&mut self) {
        let pool = self.pool;
        let allowed = &pool.allow_unauthenticated;
        if !*allowed.value() {
            return self.deny(
                format!(
                    "identity pool {} does not allow unauthenticated identities",
                    pool.label()
                ),
                allowed.loc(),
            );
        }
        self.setting_step("AllowUnauthenticatedIdentities", allowed, None);
        let token = WebIdentityToken {
            aud: pool.id.clone(),
            amr: vec!["unauthenticated".to_string()],
            sub: self.identity_id(),
        };
        match self.request.flow {
            Flow::Basic => self.classic(token, Vec::new()),
            Flow::Enhanced => {
                if self.roles_unknown() {
                    return;
                }
                let Some(role) = &pool.unauthenticated_role else {
                    return self.deny(
                        format!(
                            "identity pool {} has no default unauthenticated role",
                            pool.label()
                        ),
                        pool.roles_loc.as_ref(),
                    );
                };
                let pick = Pick {
                    role_arn: role.value.clone(),
                    loc: Some(role.loc.clone()),
                    source: RoleSource::DefaultUnauthenticated,
                };
                self.step(
                    StepKind::Note,
                    "unauthenticated identity in the enhanced flow: Cognito adds the guest \
                     scope-down session policy",
                    None,
                );
                self.assume(pick, token, true, Vec::new());
            }
        }
    }

    fn roles_unknown(&mut self) -> bool {
        if self.pool.roles_loc.is_some() {
            return false;
        }
        let reason = format!(
            "the roles of identity pool {} (get-identity-pool-roles) are not in the inputs",
            self.pool.label()
        );
        self.step(StepKind::Note, reason.clone(), Some(&self.pool.loc));
        self.outcomes.push(Grant::Unknown { reason });
        true
    }

    fn classic(&mut self, token: WebIdentityToken, tags: Vec<(String, String)>) {
        let Some(role) = &self.request.role_arn else {
            return self.deny(
                "the basic flow names the role in AssumeRoleWithWebIdentity, and none was given",
                None,
            );
        };
        let pick = Pick {
            role_arn: role.clone(),
            loc: None,
            source: RoleSource::ClassicFlow,
        };
        self.step(
            StepKind::Note,
            "no mappings and no scope-down apply: the role's trust policy alone decides",
            None,
        );
        self.assume(pick, token, false, tags);
    }

    fn assume(
        &mut self,
        pick: Pick,
        token: WebIdentityToken,
        scope_down: bool,
        principal_tags: Vec<(String, String)>,
    ) {
        self.step(
            StepKind::Chosen,
            format!("role `{}` ({})", pick.role_arn, pick.source),
            pick.loc.as_ref(),
        );
        self.outcomes.push(Grant::Assume(Assumption {
            role_arn: pick.role_arn,
            loc: pick.loc,
            source: pick.source,
            flow: self.request.flow,
            token,
            scope_down,
            principal_tags,
            assumed: self.assumed.clone(),
        }));
    }

    fn authenticated(&mut self, provider: &str, claims: &Claims) {
        let pool = self.pool;
        let kind = pool.provider_kind(provider);
        let client_id = match kind {
            ProviderKind::CognitoUserPool => claims.first("aud"),
            _ => None,
        };
        if pool.providers_known() {
            if !pool.trusts(provider, client_id) {
                let client = client_id
                    .map(|c| format!(" with app client `{c}`"))
                    .unwrap_or_default();
                return self.deny(
                    format!(
                        "identity pool {} does not trust logins from `{provider}`{client}",
                        pool.label()
                    ),
                    pool.settings_loc.as_ref(),
                );
            }
            self.step(
                StepKind::Note,
                format!("`{provider}` is a trusted {kind} of the pool"),
                pool.settings_loc.as_ref(),
            );
        } else {
            self.step(
                StepKind::Note,
                format!(
                    "the pool's providers are not in the inputs; `{provider}` taken as trusted"
                ),
                None,
            );
        }
        let token = WebIdentityToken {
            aud: pool.id.clone(),
            amr: authenticated_amr(provider, kind, claims),
            sub: self.identity_id(),
        };
        let tags = self.principal_tags(provider, client_id, claims);
        if self.request.flow == Flow::Basic {
            return self.classic(token, tags);
        }
        if self.roles_unknown() {
            return;
        }
        let visible = visible_claims(kind, claims);
        match pool.mapping_for(provider, client_id) {
            Some(mapping) => {
                self.step(
                    StepKind::Note,
                    format!(
                        "role mapping `{}` of type {}",
                        mapping.provider.value, mapping.mapping_type.value
                    ),
                    Some(&mapping.loc),
                );
                match mapping.mapping_type.value {
                    MappingType::Rules => self.rules(mapping, &visible, token, tags),
                    MappingType::Token => self.token(mapping, kind, &visible, token, tags),
                }
            }
            None if kind == ProviderKind::Saml => self.saml_roles(&visible, token, tags),
            None => {
                self.step(
                    StepKind::Note,
                    format!("no role mapping for `{provider}`: the default authenticated role"),
                    None,
                );
                if self.request.custom_role_arn.is_some() {
                    self.step(
                        StepKind::Note,
                        "`CustomRoleArn` only picks among roles a token carries; ignored",
                        None,
                    );
                }
                self.default_authenticated(false, token, tags);
            }
        }
    }

    fn default_authenticated(
        &mut self,
        ambiguous: bool,
        token: WebIdentityToken,
        tags: Vec<(String, String)>,
    ) {
        let pool = self.pool;
        match &pool.authenticated_role {
            Some(role) => {
                let pick = Pick {
                    role_arn: role.value.clone(),
                    loc: Some(role.loc.clone()),
                    source: RoleSource::DefaultAuthenticated { ambiguous },
                };
                self.assume(pick, token, false, tags);
            }
            None => self.deny(
                format!(
                    "identity pool {} has no default authenticated role",
                    pool.label()
                ),
                pool.roles_loc.as_ref(),
            ),
        }
    }

    fn ambiguous(
        &mut self,
        mapping: &RoleMapping,
        token: WebIdentityToken,
        tags: Vec<(String, String)>,
    ) {
        let setting = &mapping.ambiguous_role_resolution;
        self.setting_step("AmbiguousRoleResolution", setting, Some(&mapping.loc));
        match setting.value() {
            AmbiguousRoleResolution::AuthenticatedRole => {
                self.default_authenticated(true, token, tags)
            }
            AmbiguousRoleResolution::Deny => self.deny(
                format!(
                    "no role could be picked for `{}` and AmbiguousRoleResolution is Deny",
                    mapping.provider.value
                ),
                setting.loc().or(Some(&mapping.loc)),
            ),
        }
    }

    /// Token: `CustomRoleArn` must be in `cognito:roles` (else deny); else
    /// `cognito:preferred_role`; else ambiguous role resolution (Developer
    /// Guide, "Role-based access control", "Using tokens to assign roles to
    /// users").
    fn token(
        &mut self,
        mapping: &RoleMapping,
        kind: ProviderKind,
        claims: &Claims,
        token: WebIdentityToken,
        tags: Vec<(String, String)>,
    ) {
        let mut roles = claims.list("cognito:roles");
        roles.extend(saml_roles(claims));
        let preferred = claims.first("cognito:preferred_role").map(str::to_string);
        self.step(
            StepKind::Note,
            format!(
                "token roles: [{}]; preferred role: {}",
                roles.join(", "),
                preferred.as_deref().unwrap_or("none")
            ),
            None,
        );
        if let Some(custom) = self.request.custom_role_arn.clone() {
            return self.custom_role(
                custom,
                &roles,
                "the token's roles",
                Some(&mapping.loc),
                token,
                tags,
            );
        }
        if let Some(preferred) = preferred {
            let pick = Pick::named(preferred, RoleSource::PreferredRole);
            return self.assume(pick, token, false, tags);
        }
        if kind == ProviderKind::Saml && roles.len() == 1 {
            let pick = Pick::named(roles.remove(0), RoleSource::SamlRole);
            return self.assume(pick, token, false, tags);
        }
        self.step(
            StepKind::Note,
            "the token names no single role",
            Some(&mapping.loc),
        );
        self.ambiguous(mapping, token, tags);
    }

    /// A SAML login without a mapping: the assertion's role attribute lists
    /// the roles, `CustomRoleArn` picks one (Developer Guide, "SAML identity
    /// providers (identity pools)", "Customizing your user role with SAML").
    /// With several roles and no `CustomRoleArn`, or none, AWS does not say;
    /// poolscope falls back on the default authenticated role.
    fn saml_roles(
        &mut self,
        claims: &Claims,
        token: WebIdentityToken,
        tags: Vec<(String, String)>,
    ) {
        let roles = saml_roles(claims);
        self.step(
            StepKind::Note,
            format!("SAML assertion roles: [{}]", roles.join(", ")),
            None,
        );
        if let Some(custom) = self.request.custom_role_arn.clone() {
            return self.custom_role(
                custom,
                &roles,
                "the SAML assertion's roles",
                None,
                token,
                tags,
            );
        }
        if roles.len() == 1 {
            let pick = Pick::named(roles[0].clone(), RoleSource::SamlRole);
            return self.assume(pick, token, false, tags);
        }
        self.default_authenticated(false, token, tags);
    }

    /// `CustomRoleArn` picks among the roles a token or SAML assertion
    /// carries (`among` says which); naming any other role is denied.
    fn custom_role(
        &mut self,
        custom: String,
        roles: &[String],
        among: &str,
        loc: Option<&Location>,
        token: WebIdentityToken,
        tags: Vec<(String, String)>,
    ) {
        if !roles.contains(&custom) {
            return self.deny(
                format!("`CustomRoleArn` `{custom}` is not among {among}"),
                loc,
            );
        }
        let pick = Pick::named(custom, RoleSource::CustomRoleArn);
        self.assume(pick, token, false, tags);
    }

    fn principal_tags(
        &self,
        provider: &str,
        client_id: Option<&str>,
        claims: &Claims,
    ) -> Vec<(String, String)> {
        let with_client = client_id.map(|c| format!("{provider}:{c}"));
        let Some(map) = self.pool.principal_tags.iter().find(|m| {
            m.provider.value == provider
                || with_client.as_deref() == Some(m.provider.value.as_str())
        }) else {
            return Vec::new();
        };
        map.effective()
            .into_iter()
            .filter_map(|(tag, claim)| claims.first(&claim).map(|v| (tag, v.to_string())))
            .collect()
    }
}

/// The `amr` of an authenticated identity: `authenticated` and the provider
/// (IAM User Guide, "Available keys for AWS web identity federation";
/// Developer Guide, "Role trust and permissions"). User pool logins also
/// carry `PROVIDER:CognitoSignIn:SUB`, the form API Gateway and AppSync
/// report as the identity's authentication provider.
fn authenticated_amr(provider: &str, kind: ProviderKind, claims: &Claims) -> Vec<String> {
    let mut amr = vec!["authenticated".to_string(), provider.to_string()];
    if kind == ProviderKind::CognitoUserPool
        && let Some(sub) = claims.first("sub")
    {
        amr.push(format!("{provider}:CognitoSignIn:{sub}"));
    }
    amr
}

/// Only the claims rules can see for the provider (Facebook and Login with
/// Amazon: `iss`, `aud`, `sub`).
fn visible_claims(kind: ProviderKind, claims: &Claims) -> Claims {
    let Some(visible) = kind.visible_claims() else {
        return claims.clone();
    };
    let mut out = Claims::new();
    for (key, value) in claims.iter() {
        if visible.contains(&key) {
            match value {
                ClaimValue::Single(v) => out.set(key, v),
                ClaimValue::Multi(vs) => out.set_multi(key, vs),
            }
        }
    }
    out
}

/// Role ARNs in the SAML role attribute, whose values are comma-separated
/// role and provider ARN pairs in either order (IAM User Guide,
/// "Configuring SAML assertions for the authentication response").
pub fn saml_roles(claims: &Claims) -> Vec<String> {
    let Some(value) = claims.get(SAML_ROLE_ATTRIBUTE) else {
        return Vec::new();
    };
    let mut roles = Vec::new();
    for pair in value.values() {
        for part in pair.split(',') {
            let part = part.trim();
            if part.contains(":role/") && !roles.iter().any(|r: &String| r == part) {
                roles.push(part.to_string());
            }
        }
    }
    roles
}

mod rules;

#[cfg(test)]
mod tests;
