//! Cognito self-administration: which Cognito administration actions a
//! route's role session may call on the pools of the inputs.
//!
//! A role that guests or users reach may hold permissions to change the
//! very configuration that decides who gets which role. [`ADMIN_ACTIONS`]
//! lists those actions as data, each with what it lets the caller change
//! and the AWS page that says so:
//! - `cognito-identity:SetIdentityPoolRoles` (Amazon Cognito Identity API
//!   Reference, "SetIdentityPoolRoles"): the pool's default roles and role
//!   mappings are replaced, so any role whose trust policy admits the pool's
//!   tokens can be handed out by the enhanced flow;
//! - `cognito-identity:UpdateIdentityPool` (API Reference,
//!   "UpdateIdentityPool"): turns on guests (`AllowUnauthenticatedIdentities`)
//!   and the basic flow (`AllowClassicFlow`), in which the caller names any
//!   role whose trust admits the token;
//! - `cognito-idp:AdminUpdateUserAttributes` (Amazon Cognito user pools API
//!   Reference, "AdminUpdateUserAttributes"): any attribute of any user,
//!   `email_verified` included, so every mapping rule over attributes can
//!   be met;
//! - `cognito-idp:AdminAddUserToGroup` (API Reference,
//!   "AdminAddUserToGroup"): any group, so every group role and every rule
//!   over `cognito:groups`;
//! - `cognito-idp:UpdateUserPoolClient` (API Reference,
//!   "UpdateUserPoolClient"): the client's `WriteAttributes` and
//!   `ReadAttributes`, so users write their own attributes into the token;
//! - `lambda:UpdateFunctionCode` / `lambda:UpdateFunctionConfiguration` on
//!   the user pool's pre-token-generation trigger (Cognito Developer Guide,
//!   "Pre token generation Lambda trigger"): the trigger adds or overrides
//!   any claim of the ID token, and `cognito:groups`, `cognito:roles` and
//!   `cognito:preferred_role` through its group override.
//!
//! [`grants`] asks the concrete evaluator, for one route's session (its
//! caller, identity policies, boundary and session policies), whether each
//! action is allowed on the concrete ARN of each pool the route's
//! principal belongs to (`arn:aws:cognito-identity:REGION:ACCOUNT:identitypool/ID`,
//! `arn:aws:cognito-idp:REGION:ACCOUNT:userpool/ID`, the trigger's function
//! ARN); an action the Service Authorization Reference lists without a
//! resource type (`SetIdentityPoolRoles`) is asked on `*`, the only
//! resource a statement can grant it on. Policies the inputs do not show
//! stand in as allowing everything, as for every other question.

use crate::cognito::identity_pool::{IdentityPool, user_pool_id_of};
use crate::cognito::user_pool::UserPool;
use crate::eval::{Evaluation, Request, decide, evaluate};
use crate::model::Inventory;
use crate::model::sessions::{PrincipalClass, RolePolicies, SessionRoute, home_account};
use crate::policy::catalogue::Catalogue;
use crate::source::Location;

/// What an administration action acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    IdentityPool,
    UserPool,
    /// The function of the user pool's `PreTokenGeneration` trigger.
    PreTokenTrigger,
}

/// What the change lets the caller make Cognito hand out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// The pool's roles and mappings: any role whose trust admits the
    /// pool's tokens, by the enhanced flow.
    PoolRoles,
    /// The basic flow turned on: any role whose trust admits the token,
    /// named by the caller.
    BasicFlow,
    /// Any attribute of a user: every mapping rule over attributes.
    UserAttributes,
    /// Any group: every group role and rule over `cognito:groups`.
    UserGroups,
    /// Any claim of the ID token, groups and role overrides included.
    TokenClaims,
}

/// One administration action, as data.
#[derive(Debug)]
pub struct AdminAction {
    pub action: &'static str,
    pub target: Target,
    pub change: Change,
    /// What the caller can change, in words.
    pub changes: &'static str,
    /// The AWS page that documents it.
    pub source: &'static str,
}

/// The Cognito administration actions that change which role a token gets.
pub const ADMIN_ACTIONS: &[AdminAction] = &[
    AdminAction {
        action: "cognito-identity:SetIdentityPoolRoles",
        target: Target::IdentityPool,
        change: Change::PoolRoles,
        changes: "replace the identity pool's roles and role mappings: any role whose trust \
                  policy admits the pool's tokens can be handed out",
        source: "Amazon Cognito Identity API Reference, \"SetIdentityPoolRoles\"",
    },
    AdminAction {
        action: "cognito-identity:UpdateIdentityPool",
        target: Target::IdentityPool,
        change: Change::BasicFlow,
        changes: "turn on guests and the basic flow: the caller names any role whose trust \
                  policy admits the token",
        source: "Amazon Cognito Identity API Reference, \"UpdateIdentityPool\"",
    },
    AdminAction {
        action: "cognito-idp:AdminUpdateUserAttributes",
        target: Target::UserPool,
        change: Change::UserAttributes,
        changes: "set any attribute of any user, `email_verified` included: every mapping rule \
                  over attributes can be met",
        source: "Amazon Cognito user pools API Reference, \"AdminUpdateUserAttributes\"",
    },
    AdminAction {
        action: "cognito-idp:AdminAddUserToGroup",
        target: Target::UserPool,
        change: Change::UserGroups,
        changes: "add any user to any group: every group role and every rule over \
                  `cognito:groups`",
        source: "Amazon Cognito user pools API Reference, \"AdminAddUserToGroup\"",
    },
    AdminAction {
        action: "cognito-idp:UpdateUserPoolClient",
        target: Target::UserPool,
        change: Change::UserAttributes,
        changes: "make attributes writable and readable through the app client: users set their \
                  own attributes, and every mapping rule over them can be met",
        source: "Amazon Cognito user pools API Reference, \"UpdateUserPoolClient\"",
    },
    AdminAction {
        action: "lambda:UpdateFunctionCode",
        target: Target::PreTokenTrigger,
        change: Change::TokenClaims,
        changes: "rewrite the pre-token-generation trigger: any claim of the ID token, and \
                  `cognito:groups`, `cognito:roles`, `cognito:preferred_role` overrides",
        source: "Amazon Cognito Developer Guide, \"Pre token generation Lambda trigger\"",
    },
    AdminAction {
        action: "lambda:UpdateFunctionConfiguration",
        target: Target::PreTokenTrigger,
        change: Change::TokenClaims,
        changes: "change the pre-token-generation trigger's handler or layers, and so its code: \
                  any claim of the ID token, groups and role overrides included",
        source: "AWS Lambda API Reference, \"UpdateFunctionConfiguration\"; Amazon Cognito \
                 Developer Guide, \"Pre token generation Lambda trigger\"",
    },
];

/// One administration action a route's session is allowed.
#[derive(Clone, Debug)]
pub struct AdminGrant {
    pub action: &'static AdminAction,
    /// The identity pool id or user pool id the change is to.
    pub pool: String,
    /// The resource asked for: the pool's or function's ARN, or `*`.
    pub resource: String,
    /// The role whose session may call the action.
    pub via_role: String,
    pub evaluation: Evaluation,
    /// The statements that allow it, with where they are written.
    pub statements: Vec<(String, Location)>,
    /// Whether every allowing statement is a stand-in for a policy the
    /// inputs do not show.
    pub only_unknown: bool,
}

impl AdminGrant {
    /// `statement `Sid` at file:line:col`, for the first allowing statement.
    pub fn allowed_by(&self) -> String {
        match self.statements.first() {
            Some((label, loc)) => format!("{label} at {loc}"),
            None => "a policy not in the inputs".to_string(),
        }
    }
}

/// The ARN of an identity pool.
pub fn identity_pool_arn(inventory: &Inventory, pool: &IdentityPool) -> String {
    let region = pool
        .region
        .clone()
        .or_else(|| pool.id.split_once(':').map(|(r, _)| r.to_string()))
        .unwrap_or_else(|| super::sessions::DEFAULT_REGION.to_string());
    format!(
        "arn:aws:cognito-identity:{region}:{}:identitypool/{}",
        home_account(inventory).unwrap_or_default(),
        pool.id
    )
}

/// The ARN of a user pool.
pub fn user_pool_arn(inventory: &Inventory, pool: &UserPool) -> String {
    if let Some(arn) = &pool.arn {
        return arn.clone();
    }
    let region = pool
        .region
        .clone()
        .or_else(|| pool.id.split_once('_').map(|(r, _)| r.to_string()))
        .unwrap_or_else(|| super::sessions::DEFAULT_REGION.to_string());
    format!(
        "arn:aws:cognito-idp:{region}:{}:userpool/{}",
        home_account(inventory).unwrap_or_default(),
        pool.id
    )
}

/// The identity pools and user pools a route's principal belongs to: its
/// identity pool and that pool's user pool providers (for a user, the user
/// pool it signed in with); every pool of the inputs for identities of a
/// pool the inputs do not show.
pub fn pools_of<'a>(
    inventory: &'a Inventory,
    principal: &PrincipalClass,
) -> (Vec<&'a IdentityPool>, Vec<&'a UserPool>) {
    match principal {
        PrincipalClass::Guest { pool } | PrincipalClass::User { pool, .. } => {
            let Some(identity_pool) = inventory.identity_pool(pool) else {
                return (Vec::new(), Vec::new());
            };
            let user_pools = identity_pool
                .cognito_providers
                .iter()
                .filter_map(|p| p.user_pool_id())
                .filter(|id| match principal {
                    PrincipalClass::User { provider, .. } => user_pool_id_of(provider) == Some(id),
                    _ => true,
                })
                .filter_map(|id| inventory.user_pool(id))
                .collect();
            (vec![identity_pool], user_pools)
        }
        PrincipalClass::External { .. } => (
            inventory.identity_pools().iter().collect(),
            inventory.user_pools().iter().collect(),
        ),
        _ => (Vec::new(), Vec::new()),
    }
}

/// Every administration action of [`ADMIN_ACTIONS`] the route's session
/// may call on its principal's pools, decided by the concrete evaluator.
pub fn grants(inventory: &Inventory, route: &SessionRoute<'_>) -> Vec<AdminGrant> {
    let Some(role) = route.role.as_ref().filter(|_| route.has_credentials()) else {
        return Vec::new();
    };
    let Some(via_role) = role.arn() else {
        return Vec::new();
    };
    // With what an escalation step granted the session (a rewritten policy).
    let policies = RolePolicies::of_route(inventory, route)
        .unwrap_or_else(|| RolePolicies::of(inventory, role));
    let actions: Vec<&'static AdminAction> = ADMIN_ACTIONS
        .iter()
        .filter(|a| policies.may_allow(a.action))
        .collect();
    if actions.is_empty() {
        return Vec::new();
    }
    let (identity_pools, user_pools) = pools_of(inventory, &route.principal);
    let mut targets: Vec<(&'static AdminAction, String, String)> = Vec::new();
    for action in actions {
        match action.target {
            Target::IdentityPool => {
                for pool in &identity_pools {
                    let arn = identity_pool_arn(inventory, pool);
                    targets.push((action, pool.id.clone(), resource_for(action, arn)));
                }
            }
            Target::UserPool => {
                for pool in &user_pools {
                    let arn = user_pool_arn(inventory, pool);
                    targets.push((action, pool.id.clone(), resource_for(action, arn)));
                }
            }
            Target::PreTokenTrigger => {
                for pool in &user_pools {
                    if let Some(trigger) = pool.pre_token_generation() {
                        let arn = trigger.function_arn.value.clone();
                        targets.push((action, pool.id.clone(), resource_for(action, arn)));
                    }
                }
            }
        }
    }
    let caller = route.caller(inventory);
    let set = policies.policy_set(&route.session_policies);
    let mut out = Vec::new();
    for (action, pool, resource) in targets {
        let request = Request::new(caller.clone(), action.action, &resource);
        if !decide(&request, &set).is_allowed() {
            continue;
        }
        let evaluation = evaluate(&request, &set);
        let statements: Vec<(String, Location)> = evaluation
            .explanation
            .deciding_statements()
            .map(|(_, s)| (s.label.clone(), s.location.clone()))
            .collect();
        let only_unknown = evaluation
            .explanation
            .deciding_statements()
            .all(|(p, _)| policies.unknown.contains(&p.name));
        out.push(AdminGrant {
            action,
            pool,
            resource,
            via_role: via_role.to_string(),
            evaluation,
            statements,
            only_unknown,
        });
    }
    out
}

/// The resource a request for `action` names: the ARN, or `*` when the
/// action has no resource type (only `"Resource": "*"` grants it).
fn resource_for(action: &AdminAction, arn: String) -> String {
    let known = Catalogue::builtin().action(action.action);
    match known {
        Some(a) if a.resource_types.is_empty() => "*".to_string(),
        _ => arn,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_admin_action_is_in_the_catalogue() {
        for admin in ADMIN_ACTIONS {
            assert!(
                Catalogue::builtin().action(admin.action).is_some(),
                "{}",
                admin.action
            );
        }
    }

    // Service Authorization Reference: SetIdentityPoolRoles lists no
    // resource type; AdminAddUserToGroup acts on a user pool.
    #[test]
    fn resources_follow_the_catalogue() {
        let set_roles = &ADMIN_ACTIONS[0];
        assert_eq!(set_roles.action, "cognito-identity:SetIdentityPoolRoles");
        assert_eq!(resource_for(set_roles, "arn:x".to_string()), "*");
        let add = &ADMIN_ACTIONS[3];
        assert_eq!(add.action, "cognito-idp:AdminAddUserToGroup");
        assert_eq!(resource_for(add, "arn:x".to_string()), "arn:x");
    }
}
