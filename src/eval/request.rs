//! One concrete request: who asks, for what, on what, with which context.
//!
//! Owns the request context and the rule that fills in the global keys that
//! follow from the principal (`aws:PrincipalArn`, `aws:userid`,
//! `aws:PrincipalTag/*`, the Cognito `sub`/`aud`/`amr` keys, …) when the
//! caller of the evaluator has not pinned them. Hands on a [`Request`] and
//! its [`Request::resolved_context`] to the statement matcher.
//!
//! Context key names are compared without regard to case (IAM User Guide,
//! "IAM JSON policy elements: Condition": "Context key names are not
//! case-sensitive"); values keep their case.

use serde::Serialize;

use crate::policy::arn::Arn;

/// The identity provider name Cognito identity pools use in trust policies
/// and as the prefix of their session keys.
pub const COGNITO_IDENTITY: &str = "cognito-identity.amazonaws.com";

/// The session keys of a Cognito identity (IAM User Guide, "Available keys
/// for AWS web identity federation").
pub const COGNITO_SUB: &str = "cognito-identity.amazonaws.com:sub";
pub const COGNITO_AUD: &str = "cognito-identity.amazonaws.com:aud";
pub const COGNITO_AMR: &str = "cognito-identity.amazonaws.com:amr";

/// The principal that makes the request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Caller {
    pub kind: CallerKind,
    /// The account the principal belongs to (`aws:PrincipalAccount`); `None`
    /// for anonymous, web identity and service callers.
    pub account: Option<String>,
    /// The principal's ARN as `aws:PrincipalArn` reports it: the role ARN for
    /// a role session, the user ARN for a user, the root ARN for the root.
    pub arn: Option<String>,
    /// The role session name (`CognitoIdentityCredentials` for Cognito's
    /// enhanced flow).
    pub session_name: Option<String>,
    /// The role's or user's unique id (`AROA…`, `AIDA…`), for `aws:userid`.
    pub unique_id: Option<String>,
    /// Set when the credentials or token came from a Cognito identity pool.
    pub cognito: Option<CognitoSession>,
    /// Principal tags (session tags of a role session, tags of a user).
    pub tags: Vec<(String, String)>,
    /// Whether the principal has a permissions boundary attached; filled in
    /// by [`crate::eval::evaluate`] from the policy set when it has one.
    pub has_boundary: bool,
}

/// What kind of principal makes the request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallerKind {
    /// A session of an IAM role (AssumeRole, AssumeRoleWithWebIdentity,
    /// Cognito's enhanced flow).
    RoleSession,
    /// An IAM user with long-term credentials.
    User,
    /// The account's root user.
    Root,
    /// A holder of a web identity token calling `AssumeRoleWithWebIdentity`,
    /// before any role session exists; only the role's trust policy decides.
    WebIdentity { provider: String },
    /// An AWS service acting through a resource policy.
    Service { name: String },
    /// An unsigned request.
    Anonymous,
}

/// The attributes an identity pool puts in a session or token (IAM User
/// Guide, "Available keys for AWS web identity federation").
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CognitoSession {
    /// The identity id, `REGION:GUID` (`cognito-identity.amazonaws.com:sub`).
    pub identity_id: String,
    /// The identity pool id (`cognito-identity.amazonaws.com:aud`).
    pub pool_id: String,
    /// `authenticated` or `unauthenticated`, plus the login provider for
    /// authenticated identities (`cognito-identity.amazonaws.com:amr`).
    pub amr: Vec<String>,
}

impl Caller {
    fn bare(kind: CallerKind) -> Caller {
        Caller {
            kind,
            account: None,
            arn: None,
            session_name: None,
            unique_id: None,
            cognito: None,
            tags: Vec::new(),
            has_boundary: false,
        }
    }

    /// A session of the role `role_arn`; the account comes from the ARN.
    pub fn role_session(role_arn: &str, session_name: &str) -> Caller {
        let mut caller = Caller::bare(CallerKind::RoleSession);
        caller.account = account_of(role_arn);
        caller.arn = Some(role_arn.to_string());
        caller.session_name = Some(session_name.to_string());
        caller
    }

    /// The IAM user `user_arn`; the account comes from the ARN.
    pub fn user(user_arn: &str) -> Caller {
        let mut caller = Caller::bare(CallerKind::User);
        caller.account = account_of(user_arn);
        caller.arn = Some(user_arn.to_string());
        caller
    }

    /// The root user of `account`, in the `aws` partition.
    pub fn root(account: &str) -> Caller {
        let mut caller = Caller::bare(CallerKind::Root);
        caller.account = Some(account.to_string());
        caller.arn = Some(format!("arn:aws:iam::{account}:root"));
        caller
    }

    /// A web identity token holder of `provider` (e.g.
    /// `cognito-identity.amazonaws.com`) calling AssumeRoleWithWebIdentity.
    pub fn web_identity(provider: &str) -> Caller {
        Caller::bare(CallerKind::WebIdentity {
            provider: provider.to_string(),
        })
    }

    pub fn service(name: &str) -> Caller {
        Caller::bare(CallerKind::Service {
            name: name.to_string(),
        })
    }

    pub fn anonymous() -> Caller {
        Caller::bare(CallerKind::Anonymous)
    }

    /// Marks the credentials or token as coming from an identity pool.
    pub fn with_cognito(mut self, identity_id: &str, pool_id: &str, amr: &[&str]) -> Caller {
        self.cognito = Some(CognitoSession {
            identity_id: identity_id.to_string(),
            pool_id: pool_id.to_string(),
            amr: amr.iter().map(|s| s.to_string()).collect(),
        });
        self
    }

    pub fn with_tag(mut self, key: &str, value: &str) -> Caller {
        self.tags.push((key.to_string(), value.to_string()));
        self
    }

    /// Sets the principal tag `key`, replacing a tag whose key differs only
    /// in case: `aws:PrincipalTag/KEY` is one context key whatever the case.
    pub fn set_tag(&mut self, key: &str, value: &str) {
        set_ignoring_case(&mut self.tags, key, value.to_string());
    }

    pub fn with_unique_id(mut self, id: &str) -> Caller {
        self.unique_id = Some(id.to_string());
        self
    }

    /// The assumed-role session ARN,
    /// `arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE-NAME/SESSION` (the role
    /// path is not part of it; IAM User Guide, "IAM identifiers").
    pub fn session_arn(&self) -> Option<String> {
        if self.kind != CallerKind::RoleSession {
            return None;
        }
        let role_arn = self.arn.as_deref()?;
        let arn = Arn::parse(role_arn).ok()?;
        let role_name = arn.resource.rsplit('/').next()?;
        let session = self.session_name.as_deref()?;
        Some(format!(
            "arn:{}:sts::{}:assumed-role/{role_name}/{session}",
            arn.partition, arn.account
        ))
    }

    /// The user name of an IAM user (the last segment of its ARN's path).
    pub fn user_name(&self) -> Option<&str> {
        if self.kind != CallerKind::User {
            return None;
        }
        let arn = Arn::parse(self.arn.as_deref()?).ok()?;
        arn.resource.rsplit('/').next()
    }

    /// Whether the principal authenticates as an AWS account member (and so
    /// has identity-based policies and is subject to SCPs).
    pub fn is_account_principal(&self) -> bool {
        matches!(
            self.kind,
            CallerKind::RoleSession | CallerKind::User | CallerKind::Root
        )
    }

    /// A short description for explanations: the session ARN, user ARN, …
    pub fn describe(&self) -> String {
        match &self.kind {
            CallerKind::RoleSession => self
                .session_arn()
                .or_else(|| self.arn.clone())
                .unwrap_or_else(|| "role session".to_string()),
            CallerKind::User | CallerKind::Root => {
                self.arn.clone().unwrap_or_else(|| "IAM principal".into())
            }
            CallerKind::WebIdentity { provider } => format!("web identity of `{provider}`"),
            CallerKind::Service { name } => format!("service `{name}`"),
            CallerKind::Anonymous => "anonymous caller".to_string(),
        }
    }
}

/// Sets `key` in a list of keyed entries, replacing the value of an entry
/// whose key differs only in case (keeping that entry's spelling), or
/// appending a new entry.
fn set_ignoring_case<V>(entries: &mut Vec<(String, V)>, key: &str, value: V) {
    match entries
        .iter_mut()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
    {
        Some(entry) => entry.1 = value,
        None => entries.push((key.to_string(), value)),
    }
}

fn account_of(arn: &str) -> Option<String> {
    Arn::parse(arn)
        .ok()
        .map(|a| a.account.to_string())
        .filter(|a| !a.is_empty())
}

/// A context key's value in a request: one value, or a set of values for a
/// multivalued key (IAM User Guide, "Single-valued vs. multivalued context
/// keys"). A multivalued key with no values is present but empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContextValue {
    pub values: Vec<String>,
    pub multi_valued: bool,
}

impl ContextValue {
    pub fn single(value: &str) -> ContextValue {
        ContextValue {
            values: vec![value.to_string()],
            multi_valued: false,
        }
    }

    pub fn multi<S: AsRef<str>>(values: impl IntoIterator<Item = S>) -> ContextValue {
        ContextValue {
            values: values.into_iter().map(|v| v.as_ref().to_string()).collect(),
            multi_valued: true,
        }
    }

    /// The value when this is a single-valued key: what a policy variable
    /// substitutes. Multivalued keys cannot be policy variables (IAM User
    /// Guide, "Single-valued vs. multivalued context keys").
    pub fn as_single(&self) -> Option<&str> {
        match (self.multi_valued, self.values.as_slice()) {
            (false, [value]) => Some(value),
            _ => None,
        }
    }
}

/// Context keys of a request, looked up without regard to case. Serializes
/// as a map from key (as first written) to value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    entries: Vec<(String, ContextValue)>,
}

impl Context {
    pub fn new() -> Context {
        Context::default()
    }

    /// Sets `key`, replacing any value under the same key in another case.
    pub fn set(&mut self, key: &str, value: ContextValue) {
        set_ignoring_case(&mut self.entries, key, value);
    }

    /// Sets `key` only when it has no value yet.
    fn set_default(&mut self, key: &str, value: ContextValue) {
        if self.get(key).is_none() {
            self.entries.push((key.to_string(), value));
        }
    }

    /// Removes `key` (in any case); a pinned "absent" for derived keys.
    pub fn remove(&mut self, key: &str) {
        self.entries.retain(|(k, _)| !k.eq_ignore_ascii_case(key));
    }

    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.entries
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Serialize for Context {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.entries.iter().map(|(k, v)| (k, v)))
    }
}

/// One request to decide.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Request {
    pub caller: Caller,
    /// `service:Action`, e.g. `s3:GetObject`.
    pub action: String,
    /// The resource ARN, or `*` for actions without resource-level
    /// permissions.
    pub resource: String,
    /// Context keys the caller of the evaluator pins; they win over the
    /// values derived from the principal.
    pub context: Context,
    /// Derived keys the caller of the evaluator wants absent even though the
    /// principal would supply them (e.g. a session without a tag).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub absent: Vec<String>,
}

impl Request {
    pub fn new(caller: Caller, action: &str, resource: &str) -> Request {
        Request {
            caller,
            action: action.to_string(),
            resource: resource.to_string(),
            context: Context::new(),
            absent: Vec::new(),
        }
    }

    /// Pins a single-valued context key.
    pub fn with(mut self, key: &str, value: &str) -> Request {
        self.context.set(key, ContextValue::single(value));
        self
    }

    /// Pins a multivalued context key.
    pub fn with_set<S: AsRef<str>>(
        mut self,
        key: &str,
        values: impl IntoIterator<Item = S>,
    ) -> Request {
        self.context.set(key, ContextValue::multi(values));
        self
    }

    /// Every context key the policies see (derived ones included) with its
    /// values, in key order: what reports show of a request.
    pub fn shown_context<T: FromIterator<(String, Vec<String>)>>(&self) -> T {
        self.resolved_context()
            .iter()
            .map(|(k, v)| (k.to_string(), v.values.clone()))
            .collect()
    }

    /// The context as policies see it: the pinned keys, plus the global keys
    /// that follow from the principal where not pinned (IAM User Guide, "AWS
    /// global condition context keys", and "Available keys for AWS web
    /// identity federation" for the Cognito keys):
    ///
    /// - `aws:PrincipalAccount`, `aws:PrincipalArn` (the role ARN for a role
    ///   session), `aws:PrincipalType` (`AssumedRole`, `User`, `Account`,
    ///   `Anonymous`), `aws:PrincipalIsAWSService`;
    /// - `aws:userid` (`ROLE-ID:SESSION` for a role session, the user id for
    ///   a user, the account id for the root) when the unique id is known;
    ///   `aws:username` for users only;
    /// - `aws:PrincipalTag/KEY` for each principal tag;
    /// - `cognito-identity.amazonaws.com:sub`, `:aud`, `:amr` (multivalued)
    ///   and `aws:FederatedProvider` when the session came from Cognito;
    /// - `aws:PrincipalServiceName` for service callers.
    pub fn resolved_context(&self) -> Context {
        let mut context = self.context.clone();
        for key in CallerKey::ALL {
            key.fill(&self.caller, &mut context);
        }
        for key in &self.absent {
            if self.context.get(key).is_none() {
                context.remove(key);
            }
        }
        context
    }
}

/// Whether `key` (in any case) follows from the principal: the request
/// cannot choose it. The solver encoding keeps such keys out of the
/// attacker's hands.
pub fn is_caller_determined(key: &str) -> bool {
    CallerKey::ALL.iter().any(|k| k.names(key))
}

/// The keys that follow from `caller`, with their values, as
/// [`Request::resolved_context`] fills them in where the request does not
/// pin them.
pub fn caller_context(caller: &Caller) -> Context {
    let mut context = Context::new();
    for key in CallerKey::ALL {
        key.fill(caller, &mut context);
    }
    context
}

/// A global condition key, or family of keys, whose value follows from the
/// principal (IAM User Guide, "AWS global condition context keys", and
/// "Available keys for AWS web identity federation" for the Cognito keys).
/// The one list of them: the evaluator fills them in, the solver encoding
/// leaves them to the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CallerKey {
    PrincipalAccount,
    PrincipalArn,
    PrincipalType,
    PrincipalIsAwsService,
    PrincipalServiceName,
    UserId,
    UserName,
    /// `aws:PrincipalTag/KEY`, one key per principal tag.
    PrincipalTag,
    CognitoSub,
    CognitoAud,
    CognitoAmr,
    FederatedProvider,
}

impl CallerKey {
    /// Every such key, in the order a resolved context lists them.
    const ALL: [CallerKey; 12] = [
        CallerKey::PrincipalAccount,
        CallerKey::PrincipalArn,
        CallerKey::PrincipalType,
        CallerKey::PrincipalIsAwsService,
        CallerKey::PrincipalServiceName,
        CallerKey::UserId,
        CallerKey::UserName,
        CallerKey::PrincipalTag,
        CallerKey::CognitoSub,
        CallerKey::CognitoAud,
        CallerKey::CognitoAmr,
        CallerKey::FederatedProvider,
    ];

    /// The key as AWS writes it; for principal tags, the prefix.
    fn name(self) -> &'static str {
        match self {
            CallerKey::PrincipalAccount => "aws:PrincipalAccount",
            CallerKey::PrincipalArn => "aws:PrincipalArn",
            CallerKey::PrincipalType => "aws:PrincipalType",
            CallerKey::PrincipalIsAwsService => "aws:PrincipalIsAWSService",
            CallerKey::PrincipalServiceName => "aws:PrincipalServiceName",
            CallerKey::UserId => "aws:userid",
            CallerKey::UserName => "aws:username",
            CallerKey::PrincipalTag => "aws:PrincipalTag/",
            CallerKey::CognitoSub => COGNITO_SUB,
            CallerKey::CognitoAud => COGNITO_AUD,
            CallerKey::CognitoAmr => COGNITO_AMR,
            CallerKey::FederatedProvider => "aws:FederatedProvider",
        }
    }

    /// Whether `key` (in any case) is this key, or one of its family.
    fn names(self, key: &str) -> bool {
        let name = self.name();
        match self {
            CallerKey::PrincipalTag => key
                .get(..name.len())
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case(name)),
            _ => key.eq_ignore_ascii_case(name),
        }
    }

    /// Sets the key from `caller` where `context` has no value for it; a
    /// caller without the attribute leaves it absent.
    fn fill(self, caller: &Caller, context: &mut Context) {
        let single = ContextValue::single;
        let name = self.name();
        match self {
            CallerKey::PrincipalAccount => {
                if let Some(account) = &caller.account {
                    context.set_default(name, single(account));
                }
            }
            CallerKey::PrincipalArn => {
                if let Some(arn) = &caller.arn {
                    context.set_default(name, single(arn));
                }
            }
            CallerKey::PrincipalType => {
                let principal_type = match caller.kind {
                    CallerKind::RoleSession => Some("AssumedRole"),
                    CallerKind::User => Some("User"),
                    CallerKind::Root => Some("Account"),
                    CallerKind::Anonymous => Some("Anonymous"),
                    CallerKind::WebIdentity { .. } | CallerKind::Service { .. } => None,
                };
                if let Some(principal_type) = principal_type {
                    context.set_default(name, single(principal_type));
                }
            }
            CallerKey::PrincipalIsAwsService => match &caller.kind {
                CallerKind::Service { .. } => context.set_default(name, single("true")),
                CallerKind::Anonymous => {}
                _ => context.set_default(name, single("false")),
            },
            CallerKey::PrincipalServiceName => {
                if let CallerKind::Service { name: service } = &caller.kind {
                    context.set_default(name, single(service));
                }
            }
            CallerKey::UserId => {
                let userid = match caller.kind {
                    CallerKind::RoleSession => caller
                        .unique_id
                        .as_ref()
                        .zip(caller.session_name.as_ref())
                        .map(|(id, session)| format!("{id}:{session}")),
                    CallerKind::User => caller.unique_id.clone(),
                    CallerKind::Root => caller.account.clone(),
                    _ => None,
                };
                if let Some(userid) = userid {
                    context.set_default(name, single(&userid));
                }
            }
            CallerKey::UserName => {
                if let Some(user) = caller.user_name() {
                    context.set_default(name, single(user));
                }
            }
            CallerKey::PrincipalTag => {
                for (key, value) in &caller.tags {
                    context.set_default(&format!("{name}{key}"), single(value));
                }
            }
            CallerKey::CognitoSub | CallerKey::CognitoAud | CallerKey::CognitoAmr => {
                let Some(cognito) = &caller.cognito else {
                    return;
                };
                let value = match self {
                    CallerKey::CognitoSub => single(&cognito.identity_id),
                    CallerKey::CognitoAud => single(&cognito.pool_id),
                    _ => ContextValue::multi(&cognito.amr),
                };
                context.set_default(name, value);
            }
            CallerKey::FederatedProvider => {
                if caller.cognito.is_some() && caller.kind == CallerKind::RoleSession {
                    context.set_default(name, single(COGNITO_IDENTITY));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLE: &str = "arn:aws:iam::111122223333:role/service-role/Cognito_PhotosAuth_Role";
    const IDENTITY: &str = "us-east-1:0f6e4d3c-2b1a-4c5d-8e7f-9a0b1c2d3e4f";
    const POOL: &str = "us-east-1:11111111-2222-3333-4444-555555555555";

    // IAM User Guide, "IAM identifiers": assumed-role ARNs drop the path.
    #[test]
    fn session_arn_uses_the_role_name_without_path() {
        let caller = Caller::role_session(ROLE, "CognitoIdentityCredentials");
        assert_eq!(caller.account.as_deref(), Some("111122223333"));
        assert_eq!(
            caller.session_arn().as_deref(),
            Some(
                "arn:aws:sts::111122223333:assumed-role/Cognito_PhotosAuth_Role/CognitoIdentityCredentials"
            )
        );
        assert_eq!(
            Caller::user("arn:aws:iam::111122223333:user/dev/Bob").user_name(),
            Some("Bob")
        );
    }

    // IAM User Guide, "AWS global condition context keys" and "Available
    // keys for AWS web identity federation".
    #[test]
    fn globals_follow_from_the_principal_and_pinned_keys_win() {
        let caller = Caller::role_session(ROLE, "CognitoIdentityCredentials")
            .with_unique_id("AROAEXAMPLE")
            .with_cognito(
                IDENTITY,
                POOL,
                &[
                    "authenticated",
                    "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc:client",
                ],
            )
            .with_tag("department", "photos");
        let request = Request::new(caller, "s3:GetObject", "arn:aws:s3:::photos/x")
            .with("aws:PrincipalTag/Department", "pinned");
        let context = request.resolved_context();
        let get = |k: &str| {
            context
                .get(k)
                .and_then(ContextValue::as_single)
                .map(str::to_string)
        };
        assert_eq!(get("aws:principalaccount").as_deref(), Some("111122223333"));
        assert_eq!(get("AWS:PrincipalArn").as_deref(), Some(ROLE));
        assert_eq!(
            get("aws:userid").as_deref(),
            Some("AROAEXAMPLE:CognitoIdentityCredentials")
        );
        assert_eq!(get("aws:PrincipalType").as_deref(), Some("AssumedRole"));
        assert_eq!(
            get("aws:username"),
            None,
            "role sessions have no aws:username"
        );
        assert_eq!(
            get("aws:PrincipalTag/department").as_deref(),
            Some("pinned")
        );
        assert_eq!(
            get("cognito-identity.amazonaws.com:sub").as_deref(),
            Some(IDENTITY)
        );
        assert_eq!(
            get("cognito-identity.amazonaws.com:aud").as_deref(),
            Some(POOL)
        );
        let amr = context
            .get("cognito-identity.amazonaws.com:amr")
            .expect("amr derived");
        assert!(amr.multi_valued);
        assert_eq!(amr.values.len(), 2);
        assert_eq!(amr.as_single(), None, "multivalued keys are not variables");
    }

    #[test]
    fn derived_keys_can_be_pinned_absent_and_anonymous_has_few_keys() {
        let mut request = Request::new(
            Caller::role_session(ROLE, "s").with_tag("team", "a"),
            "s3:GetObject",
            "*",
        );
        request.absent.push("aws:PrincipalTag/team".into());
        assert!(
            request
                .resolved_context()
                .get("aws:PrincipalTag/team")
                .is_none()
        );
        let anonymous = Request::new(Caller::anonymous(), "s3:GetObject", "*").resolved_context();
        assert!(anonymous.get("aws:PrincipalArn").is_none());
        assert!(anonymous.get("aws:PrincipalAccount").is_none());
        let user = Request::new(
            Caller::user("arn:aws:iam::111122223333:user/Bob"),
            "s3:GetObject",
            "*",
        );
        assert_eq!(
            user.resolved_context()
                .get("aws:username")
                .and_then(ContextValue::as_single),
            Some("Bob")
        );
    }

    #[test]
    fn requests_serialize_as_witness_data() {
        let request = Request::new(
            Caller::web_identity(COGNITO_IDENTITY).with_cognito(
                IDENTITY,
                POOL,
                &["unauthenticated"],
            ),
            "sts:AssumeRoleWithWebIdentity",
            ROLE,
        )
        .with_set("aws:TagKeys", ["a"]);
        let json = serde_json::to_value(&request).expect("serializable");
        assert_eq!(
            json["caller"]["kind"]["web_identity"]["provider"],
            COGNITO_IDENTITY
        );
        assert_eq!(json["caller"]["cognito"]["amr"][0], "unauthenticated");
        assert_eq!(json["action"], "sts:AssumeRoleWithWebIdentity");
        assert_eq!(json["context"]["aws:TagKeys"]["multi_valued"], true);
        let role = serde_json::to_value(Request::new(session_caller(), "s3:GetObject", "*"))
            .expect("serializable");
        assert_eq!(role["caller"]["kind"], "role_session");
    }

    // The solver leaves to the caller exactly the keys the evaluator fills
    // in from it: a key filled in but not caller-determined would become
    // the attacker's to choose.
    #[test]
    fn every_key_filled_from_the_caller_is_caller_determined() {
        let callers = [
            Caller::role_session(ROLE, "s")
                .with_unique_id("AROAEXAMPLE")
                .with_tag("team", "photos")
                .with_cognito(IDENTITY, POOL, &["authenticated"]),
            Caller::user("arn:aws:iam::111122223333:user/dev/Bob").with_unique_id("AIDAEXAMPLE"),
            Caller::root("111122223333"),
            Caller::service("s3.amazonaws.com"),
            Caller::anonymous(),
        ];
        for caller in callers {
            let context = caller_context(&caller);
            assert!(!context.is_empty(), "{caller:?}");
            for (key, _) in context.iter() {
                assert!(is_caller_determined(key), "{key}");
                assert!(is_caller_determined(&key.to_ascii_lowercase()), "{key}");
            }
        }
        assert!(!is_caller_determined("aws:SourceIp"));
        assert!(!is_caller_determined("aws:PrincipalTa"));
    }

    fn session_caller() -> Caller {
        Caller::role_session(ROLE, "s")
    }
}
