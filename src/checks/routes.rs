//! The route inventory: every way a principal class gets credentials for a
//! role, and who can take that way — an outsider on their own, or only
//! someone an administrator set up.
//!
//! Built on the static routes of [`crate::model::sessions`] (every role a
//! mapping can hand out, the basic flow, foreign pools, other accounts),
//! each followed by its `sts:AssumeRole` chains ([`sessions::with_chains`]).
//! Who takes a route comes from the outsider model
//! ([`crate::cognito::capabilities`]); for a mapping rule, the claim values
//! that reach it come from the reachability engine's claim search
//! ([`crate::reach::search_rule`]), so `principals`, `audit` and `query`
//! agree on which rules an outsider can trigger. `poolscope principals`
//! prints the inventory; the audit checks read it.

use serde::Serialize;

use crate::cognito::attacker::Flag;
use crate::cognito::identity_pool::user_pool_id_of;
use crate::cognito::{Capability, CapabilityKind, capabilities, outsider_logins};
use crate::diagnostic::{Label, RenderedLocation};
use crate::model::Inventory;
use crate::model::sessions::{
    self, How, PrincipalClass, RouteFlow, Scenario, SessionRoute, TokenChoice,
};
use crate::query::PrincipalSelector;
use crate::reach::{RuleSearch, search_rule};

/// Who can take a route.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TakenBy {
    /// Someone with nothing but the app's public configuration, by these
    /// steps.
    Outsider { steps: Vec<String> },
    /// Only someone an administrator set up (a group member, a user whose
    /// attributes an administrator writes, an invited user, a principal of
    /// another account).
    Administered { because: String },
    /// poolscope cannot tell (the provider decides, a claim search that
    /// found no value).
    Unknown { why: String },
}

impl TakenBy {
    pub fn is_outsider(&self) -> bool {
        matches!(self, TakenBy::Outsider { .. })
    }

    /// `outsider` / `administered` / `unknown`.
    pub fn kind(&self) -> &'static str {
        match self {
            TakenBy::Outsider { .. } => "outsider",
            TakenBy::Administered { .. } => "administered",
            TakenBy::Unknown { .. } => "unknown",
        }
    }

    /// The steps, or why not, in one line.
    pub fn detail(&self) -> String {
        match self {
            TakenBy::Outsider { steps } => steps.join("; "),
            TakenBy::Administered { because } => because.clone(),
            TakenBy::Unknown { why } => why.clone(),
        }
    }
}

/// One route with who takes it.
#[derive(Clone, Debug)]
pub struct Route<'a> {
    pub session: SessionRoute<'a>,
    pub taken_by: TakenBy,
    /// The claims an outsider presents to take a mapping rule's route (the
    /// claim search's values), when that is how it is taken.
    pub outsider_claims: Vec<(String, String)>,
}

impl Route<'_> {
    /// How the role is reached, in words, counting mapping rules from 1 as
    /// the console does.
    pub fn how_text(&self) -> String {
        how_text(&self.session)
    }
}

/// Every route of the inputs' principals, in a stable order: per identity
/// pool guests then users, then identities of pools not in the inputs, then
/// other accounts; each route followed by its role chains.
pub fn inventory_routes(inventory: &Inventory) -> Vec<Route<'_>> {
    let outsiders = capabilities(inventory.identity_pools(), inventory.user_pools());
    let mut selectors: Vec<PrincipalSelector> = Vec::new();
    for pool in inventory.identity_pools() {
        selectors.push(PrincipalSelector::Guest {
            pool: Some(pool.id.clone()),
        });
        selectors.push(PrincipalSelector::User {
            pool: Some(pool.id.clone()),
            provider: None,
        });
    }
    selectors.push(PrincipalSelector::External);
    for (id, _) in sessions::foreign_accounts(inventory) {
        selectors.push(PrincipalSelector::Account(id));
    }
    let mut out = Vec::new();
    for selector in selectors {
        let Ok(found) = sessions::enumerate(inventory, &selector, None) else {
            continue;
        };
        let routes: Vec<_> = found
            .routes
            .into_iter()
            .filter(|route| route.role.is_some())
            .collect();
        let takers: Vec<Taken> = routes
            .iter()
            .map(|route| who(inventory, &outsiders, &selector, route))
            .collect();
        // Each route with its chains and the routes self-administration adds.
        let groups = sessions::self_admin::grouped(inventory, routes);
        for (group, (taken_by, outsider_claims)) in groups.into_iter().zip(takers) {
            for (i, session) in group.into_iter().enumerate() {
                let taken_by = if i == 0 {
                    taken_by.clone()
                } else {
                    chained_taker(&taken_by, &session)
                };
                out.push(Route {
                    session,
                    taken_by,
                    outsider_claims: outsider_claims.clone(),
                });
            }
        }
    }
    out
}

type Taken = (TakenBy, Vec<(String, String)>);

fn who(
    inventory: &Inventory,
    outsiders: &[Capability],
    selector: &PrincipalSelector,
    route: &SessionRoute<'_>,
) -> Taken {
    let role = route.role.as_ref().map(|r| r.name()).unwrap_or_default();
    let plain = |taken: TakenBy| (taken, Vec::new());
    // Group membership is an administrator's to grant, whoever signs up.
    if let How::Token {
        group: Some(group), ..
    } = &route.how
    {
        return plain(TakenBy::Administered {
            because: format!("members of group `{group}`, whom administrators add"),
        });
    }
    match &route.principal {
        PrincipalClass::Guest { .. } => {
            let mut steps = vec!["GetId with the identity pool id, no login".to_string()];
            steps.extend(get_credentials(route.flow, &role));
            plain(TakenBy::Outsider { steps })
        }
        PrincipalClass::External { authenticated } => {
            let who = if *authenticated {
                "sign in to an identity pool of their own"
            } else {
                "get a guest identity of an identity pool of their own"
            };
            plain(TakenBy::Outsider {
                steps: vec![
                    who.to_string(),
                    "GetOpenIdToken".to_string(),
                    format!("sts:AssumeRoleWithWebIdentity naming `{role}`"),
                ],
            })
        }
        PrincipalClass::Account { id } => plain(TakenBy::Administered {
            because: format!("principals of account {id}, whom its administrators choose"),
        }),
        PrincipalClass::Anonymous | PrincipalClass::Role { .. } => plain(TakenBy::Unknown {
            why: "not a Cognito route".to_string(),
        }),
        PrincipalClass::User { pool, provider } => {
            let Some(capability) = outsider_logins(outsiders, pool, provider).next() else {
                let because = match user_pool_id_of(provider).and_then(|id| inventory.user_pool(id))
                {
                    Some(user_pool) => format!(
                        "users an administrator creates (user pool {} has no self sign-up)",
                        user_pool.label()
                    ),
                    None => format!("users of `{provider}`, which no outsider can join"),
                };
                return plain(TakenBy::Administered { because });
            };
            let mut steps = login_steps(capability, provider);
            match &route.how {
                How::DefaultRole { .. } => {
                    steps.extend(get_credentials(route.flow, &role));
                    plain(TakenBy::Outsider { steps })
                }
                How::ClassicFlow => {
                    steps.extend(get_credentials(RouteFlow::Basic, &role));
                    plain(TakenBy::Outsider { steps })
                }
                How::Rule { claim, .. } => {
                    match search_rule(inventory, selector, &Scenario::default(), outsiders, route) {
                        RuleSearch::Reached(found) => {
                            let value = found
                                .claims
                                .as_ref()
                                .and_then(|c| c.first(claim).map(str::to_string))
                                .unwrap_or_default();
                            steps.push(set_claim_step(capability, claim, &value));
                            steps.extend(get_credentials(route.flow, &role));
                            (TakenBy::Outsider { steps }, vec![(claim.clone(), value)])
                        }
                        RuleSearch::Unsettled => plain(TakenBy::Unknown {
                            why: format!(
                                "an outsider sets `{claim}`, but no value poolscope tried reaches \
                                 this rule"
                            ),
                        }),
                        RuleSearch::NotOutsiders => plain(TakenBy::Administered {
                            because: format!("a `{claim}` claim only an administrator sets"),
                        }),
                    }
                }
                How::Token {
                    choice: TokenChoice::NamedByToken | TokenChoice::SamlRole,
                    ..
                } => plain(TakenBy::Unknown {
                    why: "the identity provider decides which roles its tokens name".to_string(),
                }),
                _ => plain(TakenBy::Unknown {
                    why: "the inputs do not show how this role is handed out".to_string(),
                }),
            }
        }
    }
}

/// A chained route is taken by whoever takes the route it starts from, with
/// one more step.
fn chained_taker(base: &TakenBy, session: &SessionRoute<'_>) -> TakenBy {
    let role = session.role.as_ref().map(|r| r.name()).unwrap_or_default();
    match base {
        TakenBy::Outsider { steps } => {
            let mut steps = steps.clone();
            steps.push(match &session.how {
                How::SelfAdministered {
                    action, via_role, ..
                } => format!(
                    "`{action}` as `{}`, then credentials for `{role}`",
                    short_name(via_role)
                ),
                How::AssumeRole { .. } => format!("sts:AssumeRole into `{role}`"),
                _ => match session.hops.last() {
                    Some(hop) => format!("{hop}, becoming `{role}`"),
                    None => format!("sts:AssumeRole into `{role}`"),
                },
            });
            TakenBy::Outsider { steps }
        }
        other => other.clone(),
    }
}

fn login_steps(capability: &Capability, provider: &str) -> Vec<String> {
    let mut steps = match &capability.kind {
        CapabilityKind::SelfSignUp { client, .. } => {
            vec![format!("sign up with app client `{client}`")]
        }
        CapabilityKind::FederatedLogin { .. } => {
            vec![format!("sign in to `{provider}` with any account")]
        }
        CapabilityKind::DeveloperLogin => {
            vec![format!("log in through the app's backend (`{provider}`)")]
        }
        _ => vec![format!("log in through `{provider}`")],
    };
    if capability
        .flags
        .iter()
        .any(|f| matches!(f, Flag::ClientSecret { .. }))
    {
        steps[0].push_str(" (needs the client secret)");
    }
    steps
}

fn set_claim_step(capability: &Capability, claim: &str, value: &str) -> String {
    match &capability.kind {
        CapabilityKind::SelfSignUp { .. } => {
            format!("UpdateUserAttributes `{claim}={value}`")
        }
        _ => format!("use an account whose `{claim}` is `{value}`"),
    }
}

fn get_credentials(flow: RouteFlow, role: &str) -> Vec<String> {
    match flow {
        RouteFlow::Basic => vec![
            "GetOpenIdToken".to_string(),
            format!("sts:AssumeRoleWithWebIdentity naming `{role}`"),
        ],
        _ => vec!["GetCredentialsForIdentity".to_string()],
    }
}

/// How a route reaches its role, mapping rules counted from 1.
pub fn how_text(route: &SessionRoute<'_>) -> String {
    let text = match &route.how {
        How::Rule {
            index,
            claim,
            match_type,
            value,
            custom_role_arn,
            ..
        } => {
            let mut text = format!(
                "mapping rule {} (`{claim}` {match_type} `{value}`)",
                index + 1
            );
            if *custom_role_arn {
                text.push_str(", picked with CustomRoleArn");
            }
            text
        }
        How::ClassicFlow => "basic flow (the caller names the role)".to_string(),
        How::ForeignPool => "trust without `aud` (a pool not in the inputs)".to_string(),
        How::AssumeRole { from } => format!("sts:AssumeRole from `{}`", short_name(from)),
        How::Escalation { step, from, via } => format!(
            "{step} on `{}` from `{}`",
            short_name(via),
            short_name(from)
        ),
        How::Token {
            group: Some(group), ..
        } => format!("group `{group}` (token mapping)"),
        other => other.short_label(),
    };
    let labels: Vec<&str> = route.assumptions.iter().map(|a| a.label.as_str()).collect();
    if labels.is_empty() {
        text
    } else {
        format!("{text} ({})", labels.join("; "))
    }
}

/// The last path segment of an ARN (`role/x` → `x`), or the text.
pub fn short_name(arn: &str) -> &str {
    arn.rsplit(['/', ':']).next().unwrap_or(arn)
}

/// Short words for a principal class, for tables.
pub fn principal_short(inventory: &Inventory, principal: &PrincipalClass) -> String {
    let pool_name = |id: &str| {
        inventory
            .identity_pool(id)
            .and_then(|p| p.name.as_ref().map(|n| n.value.clone()))
            .unwrap_or_else(|| id.to_string())
    };
    match principal {
        PrincipalClass::Guest { pool } => format!("guest@{}", pool_name(pool)),
        PrincipalClass::User { pool, provider } => {
            let via = user_pool_id_of(provider)
                .map(|id| {
                    inventory
                        .user_pool(id)
                        .and_then(|p| p.name.as_ref().map(|n| n.value.clone()))
                        .unwrap_or_else(|| id.to_string())
                })
                .unwrap_or_else(|| provider.clone());
            format!("user@{}/{via}", pool_name(pool))
        }
        PrincipalClass::External {
            authenticated: false,
        } => "external guest".to_string(),
        PrincipalClass::External {
            authenticated: true,
        } => "external user".to_string(),
        PrincipalClass::Account { id } => format!("account:{id}"),
        PrincipalClass::Anonymous => "anonymous".to_string(),
        PrincipalClass::Role { arn } => format!("role:{}", short_name(arn)),
    }
}

/// One route as `principals` reports it.
#[derive(Clone, Debug, Serialize)]
pub struct RouteReport {
    pub number: usize,
    pub principal: PrincipalClass,
    pub principal_text: String,
    pub role: Option<String>,
    pub role_arn: Option<String>,
    pub flow: RouteFlow,
    pub how: String,
    pub chain: Vec<String>,
    pub taken_by: TakenBy,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outsider_claims: Vec<(String, String)>,
    /// Why the route yields no credentials (the trust refuses, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked: Option<String>,
    pub assumptions: Vec<String>,
    pub locations: Vec<RenderedLocation>,
}

/// What `poolscope principals` prints.
#[derive(Clone, Debug, Serialize)]
pub struct PrincipalsReport {
    pub routes: Vec<RouteReport>,
    /// Routes a mapping names whose trust policy refuses (no credentials).
    pub refused: Vec<RouteReport>,
}

/// The route inventory as report data.
pub fn principals_report(inventory: &Inventory) -> PrincipalsReport {
    let mut routes = Vec::new();
    let mut refused = Vec::new();
    for route in inventory_routes(inventory) {
        let session = &route.session;
        let report = RouteReport {
            number: 0,
            principal: session.principal.clone(),
            principal_text: principal_short(inventory, &session.principal),
            role: session.role.as_ref().map(|r| r.name()),
            role_arn: session
                .role
                .as_ref()
                .and_then(|r| r.arn().map(str::to_string)),
            flow: session.flow,
            how: route.how_text(),
            chain: session
                .chain
                .iter()
                .map(|a| short_name(a).to_string())
                .collect(),
            taken_by: route.taken_by.clone(),
            outsider_claims: route.outsider_claims.clone(),
            blocked: session.blocked.clone(),
            assumptions: session
                .assumptions
                .iter()
                .map(|a| a.label.clone())
                .collect(),
            locations: session
                .locations
                .iter()
                .map(|loc| RenderedLocation::new(&Label::bare(loc.clone())))
                .collect(),
        };
        if session.has_credentials() {
            routes.push(report);
        } else {
            refused.push(report);
        }
    }
    for (i, route) in routes.iter_mut().enumerate() {
        route.number = i + 1;
    }
    for (i, route) in refused.iter_mut().enumerate() {
        route.number = i + 1;
    }
    PrincipalsReport { routes, refused }
}
