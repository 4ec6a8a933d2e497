//! Trust checks and the policies a role session carries.
//!
//! [`check_trust`] asks the evaluator whether a role's trust policy admits
//! the `sts:AssumeRoleWithWebIdentity` request STS sees for a Cognito token
//! — the caller is the web identity `cognito-identity.amazonaws.com` with
//! the token's `aud`, `amr` and `sub` as context keys (IAM User Guide,
//! "Available keys for AWS web identity federation") — and, when the pool
//! maps principal tags, whether it also allows `sts:TagSession` (Cognito
//! Developer Guide, "Using attributes for access control with Amazon
//! Cognito identity pools": the trust policy must grant both).
//!
//! [`RolePolicies`] gathers a role's identity policies and boundary for the
//! evaluator. A policy the inputs do not show, and every policy of a role
//! the inputs do not show, stands in as a policy allowing everything, so
//! an unknown is never read as "no access".

use std::borrow::Cow;

use crate::cognito::role_resolution::WebIdentityToken;
use crate::eval::request::COGNITO_IDENTITY;
use crate::eval::{Caller, Evaluation, PolicySet, Request, ResourcePolicyKind, evaluate};
use crate::model::{Inventory, PolicyRef};
use crate::policy::{ActionElement, Effect, Policy, ResourceElement, Statement, Template};
use crate::source::Location;
use crate::source::Spanned;

use super::{RouteRole, SessionRoute};

/// What the name of every stand-in policy ends with: a policy the inputs do
/// not show, taken as allowing everything.
pub const STAND_IN: &str = "(not in the inputs: taken as allowing everything)";

/// The action STS authorizes for a Cognito token.
pub const ASSUME_WITH_WEB_IDENTITY: &str = "sts:AssumeRoleWithWebIdentity";
/// The permission-only action that lets a role session carry session tags.
pub const TAG_SESSION: &str = "sts:TagSession";

/// What the trust policy said about a route.
#[derive(Clone, Debug)]
pub enum TrustCheck {
    /// No trust check on this route (a role's own sessions, anonymous and
    /// other-account callers).
    NotNeeded,
    /// The role or its trust policy is not in the inputs: taken as
    /// admitting, for the reason given.
    Unknown(String),
    /// Decided by the evaluator: the assume request, and the
    /// `sts:TagSession` request when the session carries principal tags.
    Evaluated {
        action: &'static str,
        assume: Box<Evaluation>,
        tag_session: Option<Box<Evaluation>>,
    },
}

impl TrustCheck {
    /// A trust check decided by one evaluation of `action`.
    pub fn evaluated(action: &'static str, evaluation: Evaluation) -> TrustCheck {
        TrustCheck::Evaluated {
            action,
            assume: Box::new(evaluation),
            tag_session: None,
        }
    }

    /// Whether the route gets past the trust policy (unknown trust does).
    pub fn admits(&self) -> bool {
        self.refusal().is_none()
    }

    /// Why the trust policy refuses the route, if it does.
    pub fn refusal(&self) -> Option<String> {
        let TrustCheck::Evaluated {
            action,
            assume,
            tag_session,
        } = self
        else {
            return None;
        };
        if !assume.decision.is_allowed() {
            return Some(format!(
                "the trust policy refuses {action}: {}",
                assume.explanation.summary
            ));
        }
        match tag_session {
            Some(tags) if !tags.decision.is_allowed() => Some(format!(
                "the identity pool sets principal tags, and the trust policy does not allow \
                 {TAG_SESSION}: {}",
                tags.explanation.summary
            )),
            _ => None,
        }
    }

    /// The evaluations made, with the action each decided.
    pub fn evaluations(&self) -> Vec<(&'static str, &Evaluation)> {
        match self {
            TrustCheck::Evaluated {
                action,
                assume,
                tag_session,
            } => {
                let mut out = vec![(*action, assume.as_ref())];
                if let Some(tags) = tag_session {
                    out.push((TAG_SESSION, tags.as_ref()));
                }
                out
            }
            _ => Vec::new(),
        }
    }

    /// Where the statements that decided are written.
    pub fn deciding_locations(&self) -> Vec<Location> {
        self.evaluations()
            .into_iter()
            .flat_map(|(_, evaluation)| evaluation.explanation.deciding_locations().cloned())
            .collect()
    }
}

/// The request STS authorizes for a Cognito token: the web identity
/// `cognito-identity.amazonaws.com` asking for `action` on the role.
pub fn web_identity_request(token: &WebIdentityToken, action: &str, role_arn: &str) -> Request {
    let amr: Vec<&str> = token.amr.iter().map(String::as_str).collect();
    let caller = Caller::web_identity(COGNITO_IDENTITY).with_cognito(&token.sub, &token.aud, &amr);
    Request::new(caller, action, role_arn)
}

/// Whether `role`'s trust policy admits `token` (and, with principal tags,
/// allows tagging the session).
pub fn check_trust(
    role: &RouteRole<'_>,
    token: &WebIdentityToken,
    principal_tags: &[(String, String)],
) -> TrustCheck {
    let role = match role {
        RouteRole::Known(role) => role,
        RouteRole::Unknown { arn } => {
            return TrustCheck::Unknown(format!(
                "role `{}` is not in the inputs: its trust policy is unknown and taken as \
                 admitting",
                arn.as_deref().unwrap_or("(unnamed)")
            ));
        }
    };
    let Some(trust) = &role.trust_policy else {
        return TrustCheck::Unknown(format!(
            "the trust policy of `{}` is not in the inputs or unreadable: taken as admitting",
            role.name
        ));
    };
    let policies = PolicySet::new().with_resource(trust, ResourcePolicyKind::Trust);
    let assume = evaluate(
        &web_identity_request(token, ASSUME_WITH_WEB_IDENTITY, &role.arn),
        &policies,
    );
    let tag_session = (!principal_tags.is_empty()).then(|| {
        let mut request = web_identity_request(token, TAG_SESSION, &role.arn);
        for (key, value) in principal_tags {
            request = request.with(&format!("aws:RequestTag/{key}"), value);
        }
        request = request.with_set("aws:TagKeys", principal_tags.iter().map(|(k, _)| k));
        Box::new(evaluate(&request, &policies))
    });
    TrustCheck::Evaluated {
        action: ASSUME_WITH_WEB_IDENTITY,
        assume: Box::new(assume),
        tag_session,
    }
}

/// The identity policies and permissions boundary of a role session, ready
/// for the evaluator.
#[derive(Clone, Debug)]
pub struct RolePolicies<'a> {
    pub identity: Vec<Cow<'a, Policy>>,
    pub boundary: Option<Cow<'a, Policy>>,
    /// Policies not in the inputs, standing in as allowing everything.
    pub unknown: Vec<String>,
}

impl<'a> RolePolicies<'a> {
    /// The policies of a role; for a role the inputs do not show, one
    /// policy allowing everything.
    pub fn of(inventory: &'a Inventory, role: &RouteRole<'a>) -> RolePolicies<'a> {
        let role = match role {
            RouteRole::Known(role) => *role,
            RouteRole::Unknown { arn } => {
                let name = format!(
                    "policies of `{}` {STAND_IN}",
                    arn.as_deref().unwrap_or("an unknown role")
                );
                let loc = Location::synthetic("(not in the inputs)", &name);
                return RolePolicies {
                    identity: vec![Cow::Owned(allow_everything(&name, &loc))],
                    boundary: None,
                    unknown: vec![name],
                };
            }
        };
        let mut unknown = Vec::new();
        let mut resolve = |policy: PolicyRef<'a>| match policy {
            PolicyRef::Known { policy, .. } => Cow::Borrowed(policy),
            PolicyRef::Unknown { name, reference } => {
                let name = format!("`{name}` {STAND_IN}");
                unknown.push(name.clone());
                Cow::Owned(allow_everything(&name, reference))
            }
        };
        let identity = inventory
            .role_policies(role)
            .into_iter()
            .map(&mut resolve)
            .collect();
        let boundary = inventory.role_boundary(role).map(&mut resolve);
        RolePolicies {
            identity,
            boundary,
            unknown,
        }
    }

    /// The policies of a route's session: its role's, plus the policy the
    /// route's own steps wrote ([`SessionRoute::granted`]). `None` for
    /// routes without a role.
    pub fn of_route(
        inventory: &'a Inventory,
        route: &SessionRoute<'a>,
    ) -> Option<RolePolicies<'a>> {
        let role = route.role.as_ref()?;
        let mut policies = RolePolicies::of(inventory, role);
        if let Some(granted) = &route.granted {
            policies.identity.push(Cow::Owned(granted.clone()));
        }
        Some(policies)
    }

    /// The policy set of a session with these session policies.
    pub fn policy_set<'p>(&'p self, session: &[&'p Policy]) -> PolicySet<'p> {
        let mut set = PolicySet::new();
        for policy in &self.identity {
            set = set.with_identity(policy.as_ref());
        }
        if let Some(boundary) = &self.boundary {
            set = set.with_boundary(boundary.as_ref());
        }
        for policy in session {
            set = set.with_session(policy);
        }
        set
    }

    /// Whether some Allow statement of the identity policies may grant
    /// `action` (by its Action / NotAction element alone): a cheap filter
    /// before asking the evaluator.
    pub fn may_allow(&self, action: &str) -> bool {
        self.identity
            .iter()
            .any(|policy| policy_may_allow(policy, action))
    }
}

/// Whether an Allow statement of `policy` names `action` in its Action
/// element (or leaves it out of NotAction).
pub fn policy_may_allow(policy: &Policy, action: &str) -> bool {
    policy
        .statements
        .iter()
        .any(|s| s.effect.value == Effect::Allow && action_element_admits(&s.action, action))
}

/// Whether an Action / NotAction element admits `action`.
pub fn action_element_admits(element: &ActionElement, action: &str) -> bool {
    let listed = element
        .patterns
        .iter()
        .any(|p| crate::policy::pattern::action_matches(&p.value, action));
    listed != element.negated
}

/// A stand-in for a policy the inputs do not show: `Allow * on *`, located
/// at the reference to it.
pub fn allow_everything(name: &str, loc: &Location) -> Policy {
    let star = |loc: &Location| Spanned::new("*".to_string(), loc.clone());
    Policy {
        name: name.to_string(),
        version: None,
        id: None,
        statements: vec![Statement {
            index: 0,
            sid: None,
            effect: Spanned::new(Effect::Allow, loc.clone()),
            principal: None,
            action: ActionElement {
                negated: false,
                patterns: vec![star(loc)],
                loc: loc.clone(),
            },
            resource: Some(ResourceElement {
                negated: false,
                patterns: vec![Spanned::new(Template::literal("*"), loc.clone())],
                loc: loc.clone(),
            }),
            conditions: Vec::new(),
            loc: loc.clone(),
        }],
        rejected: Vec::new(),
        loc: loc.clone(),
    }
}
