//! Sessions: how each class of principal gets AWS credentials.
//!
//! For a [`PrincipalSelector`] and the [`Inventory`], [`enumerate`] lists
//! the [`SessionRoute`]s: who (guest of pool P, user of pool P via provider
//! X, an identity of a pool the inputs do not show, a role, anonymous,
//! another account), through which flow (enhanced, basic, none), to which
//! role (possibly one the inputs do not show), how (default role, rule k of
//! mapping M, token mapping via group G, the basic flow's trust check, a
//! trust without `aud`, `sts:AssumeRole` from another role), with which
//! session policies, and the [`Location`] of every element involved.
//!
//! Two modes share the code:
//! - *concrete* (a [`Scenario`]: an identity id and `--claim` values), for
//!   `explain`: role resolution runs on the actual token
//!   ([`crate::cognito::resolve`], with its step-by-step trace), including
//!   every `CustomRoleArn` choice the token allows;
//! - *static* (no scenario), for the principal graph: every role a mapping
//!   can hand out (each rule, each group of a token mapping, the fallback).
//!
//! Trust is never assumed: every route's trust policy is evaluated by the
//! concrete evaluator on the `sts:AssumeRoleWithWebIdentity` request STS
//! would see ([`trust`]); basic-flow and foreign-pool routes exist only where
//! that evaluation allows. [`chains`] extends routes with `sts:AssumeRole`
//! hops, decided by the evaluator too, to a bounded depth. Parts the inputs
//! do not show (a role, a policy, a trust policy) are unknown and taken as
//! allowing, never as harmless.

pub mod chains;
mod enumerator;
pub mod escalation;
mod logins;
pub mod self_admin;
pub mod steps;
pub mod trust;

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::cognito::identity_pool::IdentityPool;
use crate::cognito::role_resolution::{Flow, Step, WebIdentityToken};
use crate::cognito::{Assumed, Claims, region_of};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::did_you_mean;
use crate::eval::{Caller, PolicySet, ResourcePolicyKind};
use crate::model::{Inventory, Role};
use crate::policy::Policy;
use crate::policy::arn::s3_bucket;
use crate::query::PrincipalSelector;
use crate::source::Location;

use enumerator::Enumerator;
use logins::logins;

pub use chains::{ChainLink, MAX_CHAIN_DEPTH, assumable_roles, with_chains};
pub use escalation::{StepLink, escalation_links};
pub use self_admin::with_self_admin;
pub use steps::StepKind;
pub use trust::{RolePolicies, TrustCheck, check_trust};

/// The GUID of the fixed identity id used when `--identity` is not given:
/// `REGION:00000000-0000-4000-8000-000000000000`, in the pool's region.
pub const SELF_GUID: &str = "00000000-0000-4000-8000-000000000000";
/// The GUID of the second fixed identity id, which `{other}` stands for.
pub const OTHER_GUID: &str = "00000000-0000-4000-8000-000000000001";
/// The GUID of the identity pool id used for identities of a pool the
/// inputs do not show (never the id of a real pool).
pub const FOREIGN_POOL_GUID: &str = "00000000-0000-4000-8000-0000000000ff";
/// The user pool `sub` of the example user when `--claim sub=…` is not given.
pub const EXAMPLE_USER_SUB: &str = "00000000-0000-4000-8000-00000000a11c";
/// The region used when nothing in the inputs names one.
pub const DEFAULT_REGION: &str = "us-east-1";
/// The role session name Cognito's enhanced flow uses.
pub const ENHANCED_SESSION_NAME: &str = "CognitoIdentityCredentials";
/// The role session name poolscope uses where the caller picks one.
pub const EXPLAIN_SESSION_NAME: &str = "poolscope-explain";

/// The fixed identity id `{other}` stands for, in `region`.
pub fn other_identity_id(region: &str) -> String {
    format!("{region}:{OTHER_GUID}")
}

/// The identity pool id of the pool the inputs do not show, in `region`.
pub fn foreign_pool_id(region: &str) -> String {
    format!("{region}:{FOREIGN_POOL_GUID}")
}

/// Who holds the credentials.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PrincipalClass {
    /// An unauthenticated identity of the identity pool `pool` (its id).
    Guest { pool: String },
    /// An authenticated identity of `pool` that logged in through
    /// `provider` (the `Logins` key: a user pool provider name, a social
    /// domain, an OIDC host, a SAML provider ARN, a developer provider).
    User { pool: String, provider: String },
    /// An identity of an identity pool the inputs do not show.
    External { authenticated: bool },
    /// Any session of the role.
    Role { arn: String },
    /// An unsigned request.
    Anonymous,
    /// Any principal of another AWS account.
    Account { id: String },
}

impl fmt::Display for PrincipalClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrincipalClass::Guest { pool } => write!(f, "guest of identity pool {pool}"),
            PrincipalClass::User { pool, provider } => {
                write!(f, "user of identity pool {pool} via `{provider}`")
            }
            PrincipalClass::External {
                authenticated: false,
            } => f.write_str("guest of an identity pool not in the inputs"),
            PrincipalClass::External {
                authenticated: true,
            } => f.write_str("authenticated identity of an identity pool not in the inputs"),
            PrincipalClass::Role { arn } => write!(f, "any session of role `{arn}`"),
            PrincipalClass::Anonymous => f.write_str("anonymous (unsigned request)"),
            PrincipalClass::Account { id } => write!(f, "any principal of account {id}"),
        }
    }
}

/// How credentials are obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteFlow {
    /// GetCredentialsForIdentity: Cognito picks the role.
    Enhanced,
    /// `sts:AssumeRoleWithWebIdentity` with a role the caller names.
    Basic,
    /// Not through an identity pool.
    None,
}

impl From<Flow> for RouteFlow {
    fn from(flow: Flow) -> RouteFlow {
        match flow {
            Flow::Enhanced => RouteFlow::Enhanced,
            Flow::Basic => RouteFlow::Basic,
        }
    }
}

impl fmt::Display for RouteFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RouteFlow::Enhanced => "enhanced",
            RouteFlow::Basic => "basic",
            RouteFlow::None => "none",
        })
    }
}

/// How a token mapping picked the role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenChoice {
    /// Static: the role of a group a user may belong to.
    Group,
    /// `cognito:preferred_role`.
    PreferredRole,
    /// `CustomRoleArn`, among `cognito:roles`.
    CustomRoleArn,
    /// The only role of a SAML assertion.
    SamlRole,
    /// A role a token (OIDC, SAML) names; the inputs cannot say which.
    NamedByToken,
}

/// How the role was reached.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum How {
    /// `Roles.authenticated` / `Roles.unauthenticated`; `ambiguous` when a
    /// mapping fell back on it (`AmbiguousRoleResolution: AuthenticatedRole`).
    DefaultRole {
        authenticated: bool,
        ambiguous: bool,
    },
    /// Rule `index` (0-based, as in the API's list) of the Rules mapping
    /// keyed `mapping`; `custom_role_arn` when `CustomRoleArn` picked it out
    /// of order.
    Rule {
        mapping: String,
        index: usize,
        claim: String,
        match_type: String,
        value: String,
        custom_role_arn: bool,
    },
    /// A Token mapping; `group` is the user pool group whose role it is.
    Token {
        choice: TokenChoice,
        group: Option<String>,
    },
    /// The basic flow: the caller named the role and its trust policy
    /// admits the pool's token.
    ClassicFlow,
    /// A token of an identity pool the inputs do not show, which the trust
    /// policy admits (it does not pin `aud` to a known pool).
    ForeignPool,
    /// `sts:AssumeRole` from `from` (a role ARN, or an account's root ARN).
    AssumeRole { from: String },
    /// A Cognito administration action (`action`), allowed to a session of
    /// `via_role` by `allowed_by`, changed the pools' configuration so that
    /// role resolution hands out this role ([`self_admin`]).
    SelfAdministered {
        action: String,
        via_role: String,
        allowed_by: String,
    },
    /// An escalation step ([`steps`]) taken by a session of `from` (a role
    /// ARN) on `via` (the role passed or changed, the function rewritten,
    /// the policy versioned).
    Escalation {
        step: StepKind,
        from: String,
        via: String,
    },
    /// The principal itself: any session of the role, an unsigned request,
    /// a principal of another account.
    Itself,
    /// Role resolution handed out no role.
    NoRole,
}

impl How {
    /// A short label for graph edges.
    pub fn short_label(&self) -> String {
        match self {
            How::DefaultRole {
                authenticated: false,
                ..
            } => "default unauthenticated role".to_string(),
            How::DefaultRole {
                authenticated: true,
                ambiguous: false,
            } => "default authenticated role".to_string(),
            How::DefaultRole {
                authenticated: true,
                ambiguous: true,
            } => "fallback: default authenticated role".to_string(),
            How::Rule {
                index,
                claim,
                match_type,
                value,
                ..
            } => format!("rule {}: {claim} {match_type} {value}", index + 1),
            How::Token { choice, group } => match (choice, group) {
                (TokenChoice::SamlRole, _) => "SAML assertion role".to_string(),
                (TokenChoice::NamedByToken, _) => "role named by the token".to_string(),
                (_, Some(group)) => format!("token: group {group}"),
                (_, None) => "token mapping".to_string(),
            },
            How::ClassicFlow => "basic flow: trust admits".to_string(),
            How::ForeignPool => "trust without aud".to_string(),
            How::AssumeRole { .. } => "sts:AssumeRole".to_string(),
            How::SelfAdministered {
                action, via_role, ..
            } => format!(
                "self-administered: {action} as {}",
                via_role.rsplit('/').next().unwrap_or(via_role)
            ),
            How::Escalation { step, .. } => step.to_string(),
            How::Itself => "itself".to_string(),
            How::NoRole => "no role".to_string(),
        }
    }
}

impl fmt::Display for How {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            How::DefaultRole { .. } => f.write_str(&self.short_label()),
            How::Rule {
                mapping,
                index,
                claim,
                match_type,
                value,
                custom_role_arn,
            } => {
                // Counted from 1, as the console lists a mapping's rules.
                write!(
                    f,
                    "rule {} (`{claim}` {match_type} `{value}`) of the mapping for `{mapping}`",
                    index + 1
                )?;
                if *custom_role_arn {
                    f.write_str(", picked with CustomRoleArn")?;
                }
                Ok(())
            }
            How::Token { choice, group } => {
                let by = match choice {
                    TokenChoice::Group => "the role of a group",
                    TokenChoice::PreferredRole => "`cognito:preferred_role`",
                    TokenChoice::CustomRoleArn => "`CustomRoleArn` among `cognito:roles`",
                    TokenChoice::SamlRole => "the SAML assertion's only role",
                    TokenChoice::NamedByToken => "a role the token names",
                };
                write!(f, "token mapping: {by}")?;
                if let Some(group) = group {
                    write!(f, " (group `{group}`)")?;
                }
                Ok(())
            }
            How::ClassicFlow => {
                f.write_str("the caller names the role and its trust policy admits the token")
            }
            How::ForeignPool => f.write_str(
                "a token of an identity pool not in the inputs, which the trust policy admits \
                 (no `aud` condition pins the pool)",
            ),
            How::AssumeRole { from } => write!(f, "sts:AssumeRole from `{from}`"),
            How::SelfAdministered {
                action,
                via_role,
                allowed_by,
            } => write!(
                f,
                "self-administration: role `{}` may `{action}` ({allowed_by}), which makes \
                 Cognito hand out this role",
                via_role.rsplit('/').next().unwrap_or(via_role)
            ),
            How::Escalation { step, from, via } => {
                write!(f, "{step} on `{via}` from `{from}`")
            }
            How::Itself => f.write_str("the principal itself"),
            How::NoRole => f.write_str("no role"),
        }
    }
}

/// The role a route reaches.
#[derive(Clone, Debug)]
pub enum RouteRole<'a> {
    Known(&'a Role),
    /// Not in the inputs (`arn`), or not even named (`None`: the pool's
    /// roles are unknown). Its trust and permissions are unknown.
    Unknown {
        arn: Option<String>,
    },
}

impl<'a> RouteRole<'a> {
    /// The role with this ARN, known or not.
    pub fn lookup(inventory: &'a Inventory, arn: &str) -> RouteRole<'a> {
        match inventory.role_by_arn(arn) {
            Some(role) => RouteRole::Known(role),
            None => RouteRole::Unknown {
                arn: Some(arn.to_string()),
            },
        }
    }

    pub fn arn(&self) -> Option<&str> {
        match self {
            RouteRole::Known(role) => Some(&role.arn),
            RouteRole::Unknown { arn } => arn.as_deref(),
        }
    }

    pub fn role(&self) -> Option<&'a Role> {
        match self {
            RouteRole::Known(role) => Some(role),
            RouteRole::Unknown { .. } => None,
        }
    }

    pub fn is_known(&self) -> bool {
        matches!(self, RouteRole::Known(_))
    }

    /// The role's name, or its ARN.
    pub fn name(&self) -> String {
        match self {
            RouteRole::Known(role) => role.name.clone(),
            RouteRole::Unknown { arn: Some(arn) } => arn.clone(),
            RouteRole::Unknown { arn: None } => "(unknown role)".to_string(),
        }
    }
}

/// One way a principal class obtains credentials (or tries to).
#[derive(Clone, Debug)]
pub struct SessionRoute<'a> {
    pub principal: PrincipalClass,
    pub flow: RouteFlow,
    /// `None` for callers without a role (anonymous, another account) and
    /// for routes where resolution handed out no role.
    pub role: Option<RouteRole<'a>>,
    pub how: How,
    /// The web identity token STS sees (Cognito routes).
    pub token: Option<WebIdentityToken>,
    /// The claims role resolution saw (concrete user routes).
    pub claims: Option<Claims>,
    /// Session tags from the pool's principal-tag mapping.
    pub principal_tags: Vec<(String, String)>,
    /// Session policies the session carries (the enhanced-flow guest
    /// scope-down).
    pub session_policies: Vec<&'a Policy>,
    pub trust: TrustCheck,
    /// Role resolution, step by step (concrete Cognito routes).
    pub trace: Vec<Step>,
    /// The roles assumed before `role`, first first (chained routes); for
    /// routes through self-administration, the roles held before it.
    pub chain: Vec<String>,
    /// How the route left each role of `chain` (one entry per role).
    pub hops: Vec<String>,
    /// How the first role of `chain` was reached (with its assumptions),
    /// for routes that went on from it; `None` for direct routes.
    pub origin: Option<String>,
    /// A policy the route's own steps wrote into the role (a permission
    /// change): allowing everything, located at the statement that allowed
    /// the change; the role's permissions boundary still applies.
    pub granted: Option<Policy>,
    /// Every configuration element involved: pool settings, the mapping
    /// rule or group, the role reference, the trust statements that admit.
    pub locations: Vec<Location>,
    /// Why the route yields no credentials: resolution denied, trust
    /// refuses. `None` when it does.
    pub blocked: Option<String>,
    /// Caveats in words (assumed settings, readings AWS does not document).
    pub notes: Vec<String>,
    /// Settings the inputs do not show that the route rests on, taken with
    /// the value that never hides access (an absent `AllowClassicFlow`
    /// keeps the basic flow): the route is kept, and labelled.
    pub assumptions: Vec<Assumed>,
}

impl<'a> SessionRoute<'a> {
    fn new(principal: PrincipalClass, flow: RouteFlow, how: How) -> SessionRoute<'a> {
        SessionRoute {
            principal,
            flow,
            role: None,
            how,
            token: None,
            claims: None,
            principal_tags: Vec::new(),
            session_policies: Vec::new(),
            trust: TrustCheck::NotNeeded,
            trace: Vec::new(),
            chain: Vec::new(),
            hops: Vec::new(),
            origin: None,
            granted: None,
            locations: Vec::new(),
            blocked: None,
            notes: Vec::new(),
            assumptions: Vec::new(),
        }
    }

    /// How the role was reached, with the assumptions the route rests on:
    /// `basic flow: … (assumed: AllowClassicFlow absent)`.
    pub fn how_text(&self) -> String {
        with_assumptions(self.how.to_string(), &self.assumptions)
    }

    /// The short label of the route's graph edge, with its assumptions.
    pub fn short_label(&self) -> String {
        with_assumptions(self.how.short_label(), &self.assumptions)
    }

    /// How the first role was reached: [`SessionRoute::origin`] for a route
    /// that went on from another, else its own how.
    pub fn origin_text(&self) -> String {
        self.origin.clone().unwrap_or_else(|| self.how_text())
    }

    /// The route rests on `assumed` too: it is labelled, and a note says why.
    fn rest_on(&mut self, assumed: &[Assumed]) {
        for assumed in assumed {
            if !self.assumptions.contains(assumed) {
                self.notes.push(assumed.note());
                self.assumptions.push(assumed.clone());
            }
        }
    }

    /// Whether the route ends with credentials (or, for callers without a
    /// role, a request that can be made).
    pub fn has_credentials(&self) -> bool {
        self.blocked.is_none()
    }

    /// The identity id of the session (Cognito routes).
    pub fn identity_id(&self) -> Option<&str> {
        self.token.as_ref().map(|t| t.sub.as_str())
    }

    fn locate(&mut self, loc: Option<&Location>) {
        if let Some(loc) = loc
            && !self.locations.contains(loc)
        {
            self.locations.push(loc.clone());
        }
    }

    /// Decides the route's trust check and records where it was decided.
    fn check_trust(&mut self) {
        let (Some(role), Some(token)) = (self.role.as_ref(), self.token.as_ref()) else {
            return;
        };
        self.trust = check_trust(role, token, &self.principal_tags);
        for loc in self.trust.deciding_locations() {
            self.locate(Some(&loc));
        }
        if let Some(reason) = self.trust.refusal() {
            self.blocked = Some(reason);
        }
    }
}

impl SessionRoute<'_> {
    /// The caller AWS sees when the route's session makes a request: a
    /// role session (with the Cognito keys and session tags of the route),
    /// the root of another account, or an unsigned caller.
    pub fn caller(&self, inventory: &Inventory) -> Caller {
        match (&self.principal, &self.role) {
            (_, Some(role)) => {
                let arn = role.arn().map_or_else(
                    || {
                        format!(
                            "arn:aws:iam::{}:role/unknown-role",
                            home_account(inventory).unwrap_or_default()
                        )
                    },
                    str::to_string,
                );
                // A self-administered route is a fresh enhanced-flow session.
                let fresh =
                    self.chain.is_empty() || matches!(self.how, How::SelfAdministered { .. });
                let session = if self.flow == RouteFlow::Enhanced && fresh {
                    ENHANCED_SESSION_NAME
                } else {
                    EXPLAIN_SESSION_NAME
                };
                let mut caller = Caller::role_session(&arn, session);
                if let Some(id) = role.role().and_then(|r| r.id.as_deref()) {
                    caller = caller.with_unique_id(id);
                }
                if let Some(token) = &self.token {
                    let amr: Vec<&str> = token.amr.iter().map(String::as_str).collect();
                    caller = caller.with_cognito(&token.sub, &token.aud, &amr);
                }
                for (key, value) in &self.principal_tags {
                    caller = caller.with_tag(key, value);
                }
                caller
            }
            (PrincipalClass::Account { id }, None) => Caller::root(id),
            _ => Caller::anonymous(),
        }
    }
}

/// `text (assumed: …; assumed: …)`, or `text` when nothing is assumed.
fn with_assumptions(text: String, assumptions: &[Assumed]) -> String {
    if assumptions.is_empty() {
        return text;
    }
    let labels: Vec<&str> = assumptions.iter().map(|a| a.label.as_str()).collect();
    format!("{text} ({})", labels.join("; "))
}

/// A session's policy set completed for one request: the resource's own
/// policy (see [`resource_policy`]) and, for S3 ARNs, which carry no account,
/// the account the bucket belongs to (`home_account`, computed once by the
/// caller: it walks every role) and S3 Block Public Access's
/// `RestrictPublicBuckets` when the bucket or that account turns it on.
pub fn with_resource_side<'a>(
    mut set: PolicySet<'a>,
    inventory: &'a Inventory,
    action: &str,
    resource: &str,
    home_account: Option<&str>,
) -> PolicySet<'a> {
    if let Some((policy, kind)) = resource_policy(inventory, action, resource) {
        set = set.with_resource(policy, kind);
    }
    // On the ARN's components, not a prefix: `arn:aws-cn:s3:::b` is a bucket
    // too. Questions are narrowed to their action's resource types first
    // (`query::understood`), so an S3 pattern reaches here as one.
    if let Some(bucket) = s3_bucket(resource) {
        if let Some(account) = home_account {
            set = set.owned_by(account);
        }
        // S3 Block Public Access of the bucket or of the account that owns it.
        if let Some(block) = inventory.public_access_blocks().restrict_public_buckets(
            bucket,
            home_account,
            home_account,
        ) {
            set = set.with_restrict_public_buckets(block);
        }
    }
    set
}

/// The resource's own policy: a bucket policy for S3 ARNs, a role's trust
/// policy for `sts:AssumeRole*` on a role of the inputs.
pub fn resource_policy<'a>(
    inventory: &'a Inventory,
    action: &str,
    resource: &str,
) -> Option<(&'a Policy, ResourcePolicyKind)> {
    if let Some(bucket) = s3_bucket(resource) {
        return inventory
            .bucket_policy(bucket)
            .map(|b| (&b.policy, ResourcePolicyKind::Resource));
    }
    if action.to_ascii_lowercase().starts_with("sts:assumerole") {
        return inventory
            .role_by_arn(resource)
            .and_then(|r| r.trust_policy.as_ref())
            .map(|p| (p, ResourcePolicyKind::Trust));
    }
    None
}

/// A concrete login for `explain`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scenario {
    /// The requesting identity's id; a fixed one in the pool's region when
    /// not given (`REGION:` [`SELF_GUID`]).
    pub identity_id: Option<String>,
    /// `--claim` values by claim name, in the order given.
    pub claims: BTreeMap<String, Vec<String>>,
}

/// What [`enumerate`] found.
#[derive(Debug, Default)]
pub struct Routes<'a> {
    pub routes: Vec<SessionRoute<'a>>,
    /// What the enumeration could not show route by route (roles whose
    /// trust refused the basic-flow token, assumed settings).
    pub notes: Vec<String>,
}

/// Every route of the principals `selector` names. `Err` when the selector
/// names a pool, provider or role the inputs do not have.
pub fn enumerate<'a>(
    inventory: &'a Inventory,
    selector: &PrincipalSelector,
    scenario: Option<&Scenario>,
) -> Result<Routes<'a>, Diagnostic> {
    let mut out = Routes::default();
    let mut enumerator = Enumerator {
        inventory,
        scenario,
        out: &mut out,
    };
    match selector {
        PrincipalSelector::Guest { pool } => {
            for pool in pools(inventory, pool.as_deref(), selector)? {
                enumerator.guest(pool);
            }
        }
        PrincipalSelector::User { pool, provider } => {
            let pools = pools(inventory, pool.as_deref(), selector)?;
            if let Some(provider) = provider {
                // A named provider must exist in some selected pool.
                let any = pools
                    .iter()
                    .any(|p| !logins(inventory, p, Some(provider), scenario).is_empty());
                if !any {
                    return Err(unknown_provider(inventory, &pools, provider, selector));
                }
            }
            for pool in pools {
                enumerator.user(pool, provider.as_deref());
            }
        }
        PrincipalSelector::Role(key) => {
            let role = find_role(inventory, key)?;
            enumerator.role(role);
        }
        PrincipalSelector::External => enumerator.external(),
        PrincipalSelector::Anonymous => enumerator.anonymous(),
        PrincipalSelector::Account(id) => enumerator.account(id),
        PrincipalSelector::Anyone => {
            for pool in inventory.identity_pools() {
                enumerator.guest(pool);
                enumerator.user(pool, None);
            }
            enumerator.external();
            enumerator.anonymous();
            for (id, _) in foreign_accounts(inventory) {
                enumerator.account(&id);
            }
        }
    }
    Ok(out)
}

fn pools<'a>(
    inventory: &'a Inventory,
    key: Option<&str>,
    selector: &PrincipalSelector,
) -> Result<Vec<&'a IdentityPool>, Diagnostic> {
    match key {
        None => Ok(inventory.identity_pools().iter().collect()),
        Some(key) => match inventory.identity_pool(key) {
            Some(pool) => Ok(vec![pool]),
            None => {
                let names = inventory.identity_pools().iter().flat_map(|p| {
                    std::iter::once(p.id.as_str()).chain(p.name.iter().map(|n| n.value.as_str()))
                });
                let mut diagnostic = Diagnostic::error(
                    "query-unknown-pool",
                    format!("`{selector}` names identity pool `{key}`, which is not in the inputs"),
                );
                diagnostic = match did_you_mean(key, names) {
                    Some(close) => diagnostic.with_help(format!("did you mean `{close}`?")),
                    None => diagnostic.with_help(known_list(
                        "identity pools",
                        inventory.identity_pools().iter().map(|p| p.id.clone()),
                    )),
                };
                Err(diagnostic)
            }
        },
    }
}

fn known_list(what: &str, names: impl Iterator<Item = String>) -> String {
    let names: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    if names.is_empty() {
        format!("the inputs have no {what}")
    } else {
        format!("the inputs have these {what}: {}", names.join(", "))
    }
}

fn unknown_provider(
    inventory: &Inventory,
    pools: &[&IdentityPool],
    provider: &str,
    selector: &PrincipalSelector,
) -> Diagnostic {
    let keys: Vec<String> = pools
        .iter()
        .flat_map(|p| logins(inventory, p, None, None))
        .map(|l| l.provider)
        .collect();
    let diagnostic = Diagnostic::error(
        "query-unknown-provider",
        format!(
            "`{selector}` names login provider `{provider}`, which no selected identity pool trusts"
        ),
    );
    match did_you_mean(provider, keys.iter().map(String::as_str)) {
        Some(close) => diagnostic.with_help(format!("did you mean `{close}`?")),
        None => diagnostic.with_help(known_list("login providers", keys.into_iter())),
    }
}

fn find_role<'a>(inventory: &'a Inventory, key: &str) -> Result<&'a Role, Diagnostic> {
    if let Some(role) = inventory.role(key) {
        return Ok(role);
    }
    let diagnostic = Diagnostic::error(
        "query-unknown-role",
        format!("role `{key}` is not in the inputs"),
    );
    let candidates = inventory.roles().iter().map(|r| {
        if key.starts_with("arn:") {
            r.arn.as_str()
        } else {
            r.name.as_str()
        }
    });
    Err(match did_you_mean(key, candidates) {
        Some(close) => diagnostic.with_help(format!("did you mean `{close}`?")),
        None => diagnostic.with_help(
            "name a role of the inputs by name or ARN (`aws iam get-account-authorization-details` lists them)",
        ),
    })
}

/// Accounts other than the inputs' own that policies name as principals,
/// with where: trust policies and bucket policies.
pub fn foreign_accounts(inventory: &Inventory) -> Vec<(String, Vec<Location>)> {
    let home = home_accounts(inventory);
    let mut found: BTreeMap<String, Vec<Location>> = BTreeMap::new();
    let policies = inventory
        .roles()
        .iter()
        .filter_map(|r| r.trust_policy.as_ref())
        .chain(inventory.bucket_policies().iter().map(|b| &b.policy));
    for policy in policies {
        for statement in &policy.statements {
            let Some(element) = &statement.principal else {
                continue;
            };
            if element.negated {
                continue;
            }
            for principal in &element.principals {
                let crate::policy::Principal::Aws(text) = &principal.value else {
                    continue;
                };
                let account = if text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()) {
                    Some(text.as_str())
                } else {
                    crate::model::inventory::account_of(text)
                };
                if let Some(account) = account
                    && account != "aws"
                    && !home.iter().any(|h| h == account)
                {
                    found
                        .entry(account.to_string())
                        .or_default()
                        .push(principal.loc.clone());
                }
            }
        }
    }
    found.into_iter().collect()
}

/// The accounts the inputs' roles belong to.
pub fn home_accounts(inventory: &Inventory) -> Vec<String> {
    let mut accounts: Vec<String> = inventory
        .roles()
        .iter()
        .filter_map(|r| r.account.clone())
        .filter(|a| a != "aws")
        .collect();
    accounts.sort();
    accounts.dedup();
    accounts
}

/// The account most of the inputs' roles belong to: the owner of resources
/// whose ARN names no account (S3 buckets).
pub fn home_account(inventory: &Inventory) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for role in inventory.roles() {
        if let Some(account) = role.account.as_deref().filter(|a| *a != "aws") {
            *counts.entry(account).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(a, _)| a.to_string())
}

/// The region of the first identity pool, or [`DEFAULT_REGION`].
pub fn inputs_region(inventory: &Inventory) -> String {
    inventory
        .identity_pools()
        .iter()
        .find_map(|p| p.region.clone())
        .unwrap_or_else(|| DEFAULT_REGION.to_string())
}

/// The region of an identity id, for the `{other}` id.
pub fn region_of_identity(identity_id: &str) -> String {
    region_of(identity_id).unwrap_or_else(|| DEFAULT_REGION.to_string())
}

#[cfg(test)]
mod tests;
