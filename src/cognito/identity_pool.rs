//! Identity pools: the Cognito configuration that hands out AWS credentials.
//!
//! An [`IdentityPool`] gathers what `describe-identity-pool`,
//! `get-identity-pool-roles` and `get-principal-tag-attribute-map` say (or
//! the equivalent CloudFormation and Terraform resources): whether guests and
//! the basic flow are allowed, which login providers are trusted, the default
//! roles, the role mappings per provider and the principal-tag mappings.
//! Every value keeps its [`Location`]. Parts the inputs do not show are
//! [`Setting::Assumed`] with the value that never hides access. Hands on the
//! pool to role resolution and to the attacker model.

use std::fmt;

use super::{Setting, region_of};
use crate::source::Location;
use crate::source::Spanned;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityPool {
    /// `REGION:GUID`.
    pub id: String,
    pub name: Option<Spanned<String>>,
    /// The region part of the id.
    pub region: Option<String>,
    /// `AllowUnauthenticatedIdentities`. [`Setting::read`] is what the
    /// input said (`None`: absent); the value used is `true` when absent.
    pub allow_unauthenticated: Setting<bool>,
    /// `AllowClassicFlow`. [`Setting::read`] keeps the input's
    /// `Option<bool>`: `Some(false)` (explicitly off: no basic-flow route)
    /// is not `None` (absent: AWS documents no default and the flow has
    /// been seen working, so the value used is `true` and every basic-flow
    /// route carries the assumption).
    pub allow_classic_flow: Setting<bool>,
    /// `CognitoIdentityProviders`: user pool app clients whose tokens the
    /// pool accepts.
    pub cognito_providers: Vec<CognitoProvider>,
    /// `SupportedLoginProviders`: social providers, domain → app id.
    pub login_providers: Vec<LoginProvider>,
    pub openid_provider_arns: Vec<Spanned<String>>,
    pub saml_provider_arns: Vec<Spanned<String>>,
    pub developer_provider_name: Option<Spanned<String>>,
    /// `Roles.authenticated`.
    pub authenticated_role: Option<Spanned<String>>,
    /// `Roles.unauthenticated`.
    pub unauthenticated_role: Option<Spanned<String>>,
    /// `RoleMappings`, in input order.
    pub role_mappings: Vec<RoleMapping>,
    pub principal_tags: Vec<PrincipalTagMap>,
    /// Where the pool was first seen.
    pub loc: Location,
    /// The pool's settings (`describe-identity-pool`); `None` when the
    /// inputs do not show them, so providers and flags are unknown.
    pub settings_loc: Option<Location>,
    /// The pool's roles (`get-identity-pool-roles`); `None` when the inputs
    /// do not show them, so the roles handed out are unknown.
    pub roles_loc: Option<Location>,
}

impl IdentityPool {
    /// A pool known only by its id, with every setting assumed.
    pub fn unknown(id: &str, loc: Location) -> IdentityPool {
        let label = "assumed: identity pool settings not in the inputs";
        let why = "the pool's settings (describe-identity-pool) are not in the inputs; \
                   assumed on, which never hides access";
        IdentityPool {
            id: id.to_string(),
            name: None,
            region: region_of(id),
            allow_unauthenticated: Setting::assumed(true, label, why),
            allow_classic_flow: Setting::assumed(true, label, why),
            cognito_providers: Vec::new(),
            login_providers: Vec::new(),
            openid_provider_arns: Vec::new(),
            saml_provider_arns: Vec::new(),
            developer_provider_name: None,
            authenticated_role: None,
            unauthenticated_role: None,
            role_mappings: Vec::new(),
            principal_tags: Vec::new(),
            loc,
            settings_loc: None,
            roles_loc: None,
        }
    }

    /// A name for reports: the pool name with its id, or the id.
    pub fn label(&self) -> String {
        match &self.name {
            Some(name) => format!("`{}` ({})", name.value, self.id),
            None => format!("`{}`", self.id),
        }
    }

    /// Whether the trusted providers are known (the settings were read).
    pub fn providers_known(&self) -> bool {
        self.settings_loc.is_some()
    }

    /// What kind of provider a login key names, in this pool.
    pub fn provider_kind(&self, provider: &str) -> ProviderKind {
        let developer = self
            .developer_provider_name
            .as_ref()
            .is_some_and(|d| d.value == provider);
        if developer || provider == DEVELOPER_PROVIDER {
            ProviderKind::Developer
        } else {
            ProviderKind::of(provider)
        }
    }

    /// Whether the pool trusts logins from `provider` (a `Logins` map key:
    /// `cognito-idp.REGION.amazonaws.com/POOL_ID`, `graph.facebook.com`, an
    /// OIDC issuer host, a SAML provider ARN, the developer provider name).
    /// For user pools, `client_id` (the ID token's `aud`) must be one of the
    /// pool's app clients when given.
    pub fn trusts(&self, provider: &str, client_id: Option<&str>) -> bool {
        match self.provider_kind(provider) {
            ProviderKind::CognitoUserPool => self.cognito_providers.iter().any(|p| {
                p.provider_name.value == provider
                    && client_id.is_none_or(|c| p.client_id.value == c)
            }),
            ProviderKind::Oidc => self
                .openid_provider_arns
                .iter()
                .any(|arn| oidc_host(&arn.value) == Some(provider) || arn.value == provider),
            ProviderKind::Saml => self
                .saml_provider_arns
                .iter()
                .any(|arn| arn.value == provider),
            ProviderKind::Developer => self.developer_provider_name.is_some(),
            _ => self
                .login_providers
                .iter()
                .any(|p| p.domain.value == provider),
        }
    }

    /// The role mapping for a login: keyed by the provider, or for user pools
    /// by `PROVIDER:CLIENT_ID` (API SetIdentityPoolRoles, RoleMappings).
    pub fn mapping_for(&self, provider: &str, client_id: Option<&str>) -> Option<&RoleMapping> {
        let with_client = client_id.map(|c| format!("{provider}:{c}"));
        self.role_mappings
            .iter()
            .find(|m| with_client.as_deref() == Some(m.provider.value.as_str()))
            .or_else(|| {
                self.role_mappings
                    .iter()
                    .find(|m| m.provider.value == provider)
            })
    }

    /// Every role ARN the pool's configuration names, with where.
    pub fn role_arns(&self) -> Vec<&Spanned<String>> {
        let mut arns: Vec<&Spanned<String>> = Vec::new();
        arns.extend(self.authenticated_role.iter());
        arns.extend(self.unauthenticated_role.iter());
        for mapping in &self.role_mappings {
            arns.extend(mapping.rules.iter().map(|r| &r.role_arn));
        }
        arns
    }
}

/// The login key Cognito uses for developer-authenticated identities when
/// no developer provider name applies.
pub const DEVELOPER_PROVIDER: &str = "cognito-identity.amazonaws.com";

/// The host an OIDC provider ARN names (`arn:aws:iam::ACCOUNT:oidc-provider/HOST`),
/// which is the key logins use.
pub fn oidc_host(arn: &str) -> Option<&str> {
    arn.split_once(":oidc-provider/").map(|(_, host)| host)
}

/// One entry of `CognitoIdentityProviders`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CognitoProvider {
    /// `cognito-idp.REGION.amazonaws.com/POOL_ID`.
    pub provider_name: Spanned<String>,
    pub client_id: Spanned<String>,
    pub server_side_token_check: bool,
    pub loc: Location,
}

impl CognitoProvider {
    /// The user pool id the provider name points at.
    pub fn user_pool_id(&self) -> Option<&str> {
        user_pool_id_of(&self.provider_name.value)
    }

    /// The role-mapping key for this provider (`PROVIDER:CLIENT_ID`).
    pub fn mapping_key(&self) -> String {
        format!("{}:{}", self.provider_name.value, self.client_id.value)
    }
}

/// The user pool id in a provider name `cognito-idp.REGION.amazonaws.com/POOL_ID`
/// (with or without a `:CLIENT_ID` suffix).
pub fn user_pool_id_of(provider: &str) -> Option<&str> {
    let (host, rest) = provider.split_once('/')?;
    if !host.starts_with("cognito-idp.") {
        return None;
    }
    Some(rest.split(':').next().unwrap_or(rest))
}

/// The provider name of a user pool (`cognito-idp.REGION.amazonaws.com/POOL_ID`).
pub fn user_pool_provider_name(user_pool_id: &str) -> String {
    let region = region_of(user_pool_id).unwrap_or_else(|| "REGION".to_string());
    format!("cognito-idp.{region}.amazonaws.com/{user_pool_id}")
}

/// One entry of `SupportedLoginProviders`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginProvider {
    /// `graph.facebook.com`, `accounts.google.com`, `www.amazon.com`, …
    pub domain: Spanned<String>,
    /// The app id (Facebook, Amazon) or client id (Google, Apple).
    pub app_id: Spanned<String>,
}

/// What kind of identity provider a login key names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProviderKind {
    CognitoUserPool,
    Facebook,
    Google,
    Amazon,
    Apple,
    Twitter,
    /// Any other OpenID Connect issuer.
    Oidc,
    Saml,
    Developer,
}

impl ProviderKind {
    /// Classifies a login key by its form. Developer providers cannot be
    /// told apart by form; [`IdentityPool::provider_kind`] knows the pool's.
    pub fn of(provider: &str) -> ProviderKind {
        match provider {
            "graph.facebook.com" => ProviderKind::Facebook,
            "accounts.google.com" => ProviderKind::Google,
            "www.amazon.com" => ProviderKind::Amazon,
            "appleid.apple.com" => ProviderKind::Apple,
            "api.twitter.com" | "www.digits.com" => ProviderKind::Twitter,
            _ if provider.starts_with("cognito-idp.") => ProviderKind::CognitoUserPool,
            _ if provider.contains(":saml-provider/") => ProviderKind::Saml,
            _ => ProviderKind::Oidc,
        }
    }

    /// The claims role-mapping rules can see for this provider, when limited
    /// (Developer Guide, "Role-based access control", "Token claims to use in
    /// rule-based mapping": Facebook and Login with Amazon expose `iss`,
    /// `aud` and `sub` only). `None`: every claim of the token.
    pub fn visible_claims(self) -> Option<&'static [&'static str]> {
        match self {
            ProviderKind::Facebook | ProviderKind::Amazon => Some(&["iss", "aud", "sub"]),
            _ => None,
        }
    }

    /// The `iss` claim of the tokens of `provider` (a login key of this
    /// kind), where it is fixed: Facebook and Login with Amazon as Cognito
    /// shows them to rules (Developer Guide, "Role-based access control",
    /// "Token claims to use in rule-based mapping"), Sign in with Apple's
    /// and an OIDC issuer's URL.
    pub fn issuer(self, provider: &str) -> Option<String> {
        match self {
            ProviderKind::Facebook => Some("graph.facebook.com".to_string()),
            ProviderKind::Amazon => Some("www.amazon.com".to_string()),
            ProviderKind::Apple => Some("https://appleid.apple.com".to_string()),
            ProviderKind::Oidc => Some(format!("https://{provider}")),
            _ => None,
        }
    }
}

impl fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ProviderKind::CognitoUserPool => "Cognito user pool",
            ProviderKind::Facebook => "Facebook",
            ProviderKind::Google => "Google",
            ProviderKind::Amazon => "Login with Amazon",
            ProviderKind::Apple => "Sign in with Apple",
            ProviderKind::Twitter => "Twitter",
            ProviderKind::Oidc => "OpenID Connect provider",
            ProviderKind::Saml => "SAML provider",
            ProviderKind::Developer => "developer provider",
        })
    }
}

/// One entry of `RoleMappings` (API RoleMapping).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleMapping {
    /// The map key: a provider, or `PROVIDER:CLIENT_ID` for user pools.
    pub provider: Spanned<String>,
    pub mapping_type: Spanned<MappingType>,
    pub ambiguous_role_resolution: Setting<AmbiguousRoleResolution>,
    /// `RulesConfiguration.Rules`, in order (Rules mappings only).
    pub rules: Vec<MappingRule>,
    pub loc: Location,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MappingType {
    /// Roles come from the token's `cognito:preferred_role` / `cognito:roles`.
    Token,
    /// Roles come from the first matching rule.
    Rules,
}

impl MappingType {
    pub fn parse(text: &str) -> Option<MappingType> {
        match text {
            "Token" => Some(MappingType::Token),
            "Rules" => Some(MappingType::Rules),
            _ => None,
        }
    }
}

impl fmt::Display for MappingType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MappingType::Token => "Token",
            MappingType::Rules => "Rules",
        })
    }
}

/// What happens when no rule matches, or a token names no single role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AmbiguousRoleResolution {
    /// Use the pool's default authenticated role.
    AuthenticatedRole,
    /// Hand out no credentials.
    Deny,
}

impl AmbiguousRoleResolution {
    pub fn parse(text: &str) -> Option<AmbiguousRoleResolution> {
        match text {
            "AuthenticatedRole" => Some(AmbiguousRoleResolution::AuthenticatedRole),
            "Deny" => Some(AmbiguousRoleResolution::Deny),
            _ => None,
        }
    }
}

impl fmt::Display for AmbiguousRoleResolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AmbiguousRoleResolution::AuthenticatedRole => "AuthenticatedRole",
            AmbiguousRoleResolution::Deny => "Deny",
        })
    }
}

/// One rule of a Rules mapping (API MappingRule).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappingRule {
    /// Position in the mapping's rule list (0-based); rules apply in order.
    pub index: usize,
    pub claim: Spanned<String>,
    pub match_type: Spanned<MatchType>,
    pub value: Spanned<String>,
    pub role_arn: Spanned<String>,
    /// The whole rule object.
    pub loc: Location,
}

impl MappingRule {
    /// A name for reports, e.g. "rule 2 (`custom:dept` Equals `sales`)",
    /// counted from 1 as the console lists a mapping's rules (`index` is
    /// the 0-based position in the API's list).
    pub fn label(&self) -> String {
        format!(
            "rule {} (`{}` {} `{}`)",
            self.index + 1,
            self.claim.value,
            self.match_type.value,
            self.value.value
        )
    }
}

/// How a rule compares its claim with its value (API MappingRule, MatchType).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MatchType {
    Equals,
    Contains,
    StartsWith,
    NotEqual,
}

impl MatchType {
    pub const ALL: [MatchType; 4] = [
        MatchType::Equals,
        MatchType::Contains,
        MatchType::StartsWith,
        MatchType::NotEqual,
    ];

    pub fn name(self) -> &'static str {
        match self {
            MatchType::Equals => "Equals",
            MatchType::Contains => "Contains",
            MatchType::StartsWith => "StartsWith",
            MatchType::NotEqual => "NotEqual",
        }
    }

    pub fn parse(text: &str) -> Option<MatchType> {
        MatchType::ALL.into_iter().find(|m| m.name() == text)
    }

    /// Compares one claim value with the rule's value.
    pub fn test(self, claim: &str, value: &str) -> bool {
        match self {
            MatchType::Equals => claim == value,
            MatchType::Contains => claim.contains(value),
            MatchType::StartsWith => claim.starts_with(value),
            MatchType::NotEqual => claim != value,
        }
    }
}

impl fmt::Display for MatchType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Principal tags for one provider (API GetPrincipalTagAttributeMap):
/// session tags `aws:PrincipalTag/<tag>` taken from token claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrincipalTagMap {
    pub provider: Spanned<String>,
    pub use_defaults: bool,
    /// Tag key → claim name, as configured.
    pub tags: Vec<(Spanned<String>, Spanned<String>)>,
    pub loc: Location,
}

/// The default principal tags: tag `username` from `sub` and `client` from
/// `aud` (API SetPrincipalTagAttributeMap: "default (username and clientID)
/// attribute mappings"; Developer Guide, "Default provider mappings").
pub const DEFAULT_PRINCIPAL_TAGS: [(&str, &str); 2] = [("username", "sub"), ("client", "aud")];

impl PrincipalTagMap {
    /// The tag key → claim name pairs in effect.
    pub fn effective(&self) -> Vec<(String, String)> {
        let mut tags: Vec<(String, String)> = Vec::new();
        if self.use_defaults {
            tags.extend(
                DEFAULT_PRINCIPAL_TAGS
                    .iter()
                    .map(|(t, c)| (t.to_string(), c.to_string())),
            );
        }
        for (tag, claim) in &self.tags {
            tags.retain(|(t, _)| *t != tag.value);
            tags.push((tag.value.clone(), claim.value.clone()));
        }
        tags
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc() -> Location {
        Location::synthetic("test", "x")
    }

    fn spanned(text: &str) -> Spanned<String> {
        Spanned::new(text.to_string(), loc())
    }

    fn pool() -> IdentityPool {
        let mut pool =
            IdentityPool::unknown("us-east-1:0f0e0d0c-0000-4000-8000-000000000001", loc());
        pool.settings_loc = Some(loc());
        pool.cognito_providers.push(CognitoProvider {
            provider_name: spanned("cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc"),
            client_id: spanned("client1"),
            server_side_token_check: false,
            loc: loc(),
        });
        pool.login_providers.push(LoginProvider {
            domain: spanned("graph.facebook.com"),
            app_id: spanned("1234"),
        });
        pool.openid_provider_arns.push(spanned(
            "arn:aws:iam::111122223333:oidc-provider/login.example.com",
        ));
        pool
    }

    // API SetIdentityPoolRoles: role mapping keys are providers, or for user
    // pools `cognito-idp.REGION.amazonaws.com/POOL_ID:APP_CLIENT_ID`.
    #[test]
    fn mappings_are_found_by_provider_and_client() {
        let mut pool = pool();
        for key in [
            "cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc:client1",
            "graph.facebook.com",
        ] {
            pool.role_mappings.push(RoleMapping {
                provider: spanned(key),
                mapping_type: Spanned::new(MappingType::Token, loc()),
                ambiguous_role_resolution: Setting::given(AmbiguousRoleResolution::Deny, loc()),
                rules: Vec::new(),
                loc: loc(),
            });
        }
        let user_pool = "cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc";
        assert!(pool.mapping_for(user_pool, Some("client1")).is_some());
        assert!(pool.mapping_for(user_pool, Some("client2")).is_none());
        assert!(pool.mapping_for("graph.facebook.com", None).is_some());
        assert!(pool.mapping_for("accounts.google.com", None).is_none());
    }

    #[test]
    fn trusted_providers_follow_the_pool_settings() {
        let pool = pool();
        let user_pool = "cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc";
        assert!(pool.trusts(user_pool, Some("client1")));
        assert!(!pool.trusts(user_pool, Some("other-client")));
        assert!(pool.trusts("graph.facebook.com", None));
        assert!(!pool.trusts("accounts.google.com", None));
        assert!(pool.trusts("login.example.com", None));
        assert_eq!(pool.provider_kind("login.example.com"), ProviderKind::Oidc);
        assert_eq!(
            pool.provider_kind("arn:aws:iam::111122223333:saml-provider/corp"),
            ProviderKind::Saml
        );
    }

    #[test]
    fn user_pool_ids_are_read_from_provider_names() {
        assert_eq!(
            user_pool_id_of("cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc:client1"),
            Some("us-east-1_Abc")
        );
        assert_eq!(user_pool_id_of("graph.facebook.com"), None);
        assert_eq!(
            user_pool_provider_name("eu-west-1_Xyz"),
            "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Xyz"
        );
    }

    // API MappingRule: MatchType is Equals | Contains | StartsWith | NotEqual.
    #[test]
    fn match_types_compare_as_named() {
        assert!(MatchType::Equals.test("sales", "sales"));
        assert!(!MatchType::Equals.test("sales-eu", "sales"));
        assert!(MatchType::Contains.test("x@corp.com.evil.io", "@corp.com"));
        assert!(MatchType::StartsWith.test("admin-1", "admin"));
        assert!(MatchType::NotEqual.test("guest", "admin"));
        assert!(!MatchType::NotEqual.test("admin", "admin"));
        assert_eq!(MatchType::parse("StartsWith"), Some(MatchType::StartsWith));
        assert_eq!(MatchType::parse("startswith"), None);
    }

    #[test]
    fn default_principal_tags_are_overridden_by_custom_ones() {
        let map = PrincipalTagMap {
            provider: spanned("accounts.google.com"),
            use_defaults: true,
            tags: vec![
                (spanned("client"), spanned("azp")),
                (spanned("dept"), spanned("hd")),
            ],
            loc: loc(),
        };
        assert_eq!(
            map.effective(),
            vec![
                ("username".to_string(), "sub".to_string()),
                ("client".to_string(), "azp".to_string()),
                ("dept".to_string(), "hd".to_string()),
            ]
        );
    }
}
