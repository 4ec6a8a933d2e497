//! AWS's evaluation logic over a set of policies.
//!
//! Owns the order and combination of policy types (IAM User Guide, "Policy
//! evaluation logic", "How AWS enforcement code logic evaluates requests to
//! allow or deny access", "Cross-account policy evaluation logic"):
//!
//! 1. An applicable `Deny` in any policy that applies to the request
//!    decides: explicitly denied.
//! 2. RCPs (resource's account) and SCPs (principal's account): every level
//!    of the organization tree must have an applicable `Allow`.
//! 3. Within one account, an `Allow` in an identity-based policy or in the
//!    resource-based policy suffices, except that identity-based allows are
//!    cut down by a permissions boundary and by session policies, and a
//!    resource-policy allow that names the *role* (not the session) is cut
//!    down by them too; one that names the account only delegates to
//!    identity-based policies. Trust policies and KMS key policies must
//!    allow in any case.
//! 4. Across accounts, both the identity side (with boundary and session
//!    policies) and the resource policy must allow.
//! 5. Callers that are not account principals (anonymous, a web identity
//!    before AssumeRoleWithWebIdentity, an AWS service) have no
//!    identity-based policies: only the resource policy can allow.
//!
//! Hands on an [`Evaluation`] (or just a [`Decision`] from [`decide`]).

use std::borrow::Cow;

use crate::policy::{Effect, Policy};

use super::explain::{
    Decision, Evaluation, Explanation, PolicyRole, PolicyTrace, StatementRef, StatementTrace,
};
use super::public_access::{BlockOutcome, RestrictPublicBuckets, restrict};
use super::request::{Caller, CallerKind, Request};
use super::statement::{Grantee, statement_applies};

/// What kind of resource-based policy is attached to the resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResourcePolicyKind {
    /// A bucket policy, queue policy, …: an allow here can suffice alone
    /// within the account.
    Resource,
    /// A role's trust policy: it must allow (IAM User Guide, "How AWS
    /// enforcement code logic evaluates requests": "IAM role trust policies
    /// and KMS key policies are exceptions to this logic, because they must
    /// explicitly allow access for principals").
    Trust,
    /// A KMS key policy: it must allow.
    KeyPolicy,
}

/// A resource-based policy and its kind.
#[derive(Clone, Copy, Debug)]
pub struct ResourcePolicy<'p> {
    pub policy: &'p Policy,
    pub kind: ResourcePolicyKind,
}

/// The policies that bear on one request.
#[derive(Clone, Debug, Default)]
pub struct PolicySet<'p> {
    /// Policies attached to the principal (user, its groups, role).
    pub identity: Vec<&'p Policy>,
    /// The resource's resource-based policy, if it has one.
    pub resource: Option<ResourcePolicy<'p>>,
    /// The principal's permissions boundary.
    pub boundary: Option<&'p Policy>,
    /// Session policies of the role session (inline and managed); any of
    /// them allowing counts. Empty: the session has none.
    pub session: Vec<&'p Policy>,
    /// SCPs of the principal's account, one list per level of the
    /// organization tree (root, OUs, account). Empty: no SCPs apply.
    pub scps: Vec<Vec<&'p Policy>>,
    /// RCPs of the resource's account, per level. Empty: no RCPs apply.
    pub rcps: Vec<Vec<&'p Policy>>,
    /// The account that owns the resource. When `None`: the account field of
    /// the resource ARN, and when that is empty (S3), the principal's own
    /// account.
    pub resource_account: Option<String>,
    /// S3 Block Public Access's `RestrictPublicBuckets`, when it is on for
    /// the bucket or its owner's account ([`super::public_access`]).
    pub restrict_public_buckets: Option<RestrictPublicBuckets>,
}

impl<'p> PolicySet<'p> {
    pub fn new() -> PolicySet<'p> {
        PolicySet::default()
    }

    pub fn with_identity(mut self, policy: &'p Policy) -> PolicySet<'p> {
        self.identity.push(policy);
        self
    }

    pub fn with_resource(mut self, policy: &'p Policy, kind: ResourcePolicyKind) -> PolicySet<'p> {
        self.resource = Some(ResourcePolicy { policy, kind });
        self
    }

    pub fn with_boundary(mut self, policy: &'p Policy) -> PolicySet<'p> {
        self.boundary = Some(policy);
        self
    }

    pub fn with_session(mut self, policy: &'p Policy) -> PolicySet<'p> {
        self.session.push(policy);
        self
    }

    /// Adds the next level of SCPs (organization root first).
    pub fn with_scp_level(mut self, policies: Vec<&'p Policy>) -> PolicySet<'p> {
        self.scps.push(policies);
        self
    }

    /// Adds the next level of RCPs (organization root first).
    pub fn with_rcp_level(mut self, policies: Vec<&'p Policy>) -> PolicySet<'p> {
        self.rcps.push(policies);
        self
    }

    pub fn owned_by(mut self, account: &str) -> PolicySet<'p> {
        self.resource_account = Some(account.to_string());
        self
    }

    pub fn with_restrict_public_buckets(mut self, block: RestrictPublicBuckets) -> PolicySet<'p> {
        self.restrict_public_buckets = Some(block);
        self
    }

    /// The account that owns the resource, as the evaluation logic reads
    /// it: [`PolicySet::resource_account`], else the ARN's account field,
    /// else (S3 ARNs carry none) the caller's own account.
    pub fn owner_of(&self, resource: &str, caller: &Caller) -> Option<String> {
        self.resource_account
            .clone()
            .or_else(|| {
                crate::policy::arn::Arn::parse(resource)
                    .ok()
                    .map(|a| a.account.to_string())
                    .filter(|a| !a.is_empty())
            })
            .or_else(|| caller.account.clone())
    }

    /// Whether RCPs bear on requests of `caller`: they limit access to the
    /// account's resources by anyone but AWS services (AWS Organizations
    /// User Guide, "Resource control policies").
    pub fn rcps_apply(&self, caller: &Caller) -> bool {
        !matches!(caller.kind, CallerKind::Service { .. }) && !self.rcps.is_empty()
    }

    /// Whether SCPs bear on requests of `caller`: they limit principals of
    /// member accounts (AWS Organizations User Guide, "Service control
    /// policies").
    pub fn scps_apply(&self, caller: &Caller) -> bool {
        caller.is_account_principal() && !self.scps.is_empty()
    }

    /// The policies that bear on a request of `caller`, each with the part
    /// it plays, in the order of AWS's flow chart: RCPs and SCPs level by
    /// level, the resource-based policy, then (for account principals) the
    /// identity-based policies, the permissions boundary and the session
    /// policies. The evaluator and the solver encoding both start here.
    pub fn considered(&self, caller: &Caller) -> Vec<(PolicyRole, &'p Policy)> {
        let mut out = Vec::new();
        if self.rcps_apply(caller) {
            for (level, policies) in self.rcps.iter().enumerate() {
                out.extend(policies.iter().map(|p| (PolicyRole::Rcp { level }, *p)));
            }
        }
        if self.scps_apply(caller) {
            for (level, policies) in self.scps.iter().enumerate() {
                out.extend(policies.iter().map(|p| (PolicyRole::Scp { level }, *p)));
            }
        }
        if let Some(resource) = &self.resource {
            out.push((resource.kind.role(), resource.policy));
        }
        if caller.is_account_principal() {
            out.extend(self.identity.iter().map(|p| (PolicyRole::Identity, *p)));
            if let Some(boundary) = self.boundary {
                out.push((PolicyRole::PermissionsBoundary, boundary));
            }
            out.extend(self.session.iter().map(|p| (PolicyRole::Session, *p)));
        }
        out
    }
}

impl ResourcePolicyKind {
    /// The part a resource-based policy of this kind plays in a decision.
    pub fn role(self) -> PolicyRole {
        match self {
            ResourcePolicyKind::Resource => PolicyRole::Resource,
            ResourcePolicyKind::Trust => PolicyRole::Trust,
            ResourcePolicyKind::KeyPolicy => PolicyRole::KeyPolicy,
        }
    }
}

/// Decides `request` and explains the decision statement by statement.
pub fn evaluate(request: &Request, policies: &PolicySet<'_>) -> Evaluation {
    let (decision, explanation) = run(request, policies, true);
    Evaluation {
        decision,
        explanation: explanation.unwrap_or_else(|| Explanation {
            summary: String::new(),
            deciding: Vec::new(),
            policies: Vec::new(),
        }),
    }
}

/// Decides `request` without building an explanation (the fast path for
/// witness checks and property tests).
pub fn decide(request: &Request, policies: &PolicySet<'_>) -> Decision {
    run(request, policies, false).0
}

/// What one policy did for the request (the smt encoding's
/// `PolicyOutcome` is the same as formulas).
#[derive(Default)]
struct PolicyOutcome {
    allows: bool,
    denies: bool,
    /// For a resource policy: the most direct way an applicable Allow named
    /// the caller.
    grantee: Option<Grantee>,
    allow_statements: Vec<usize>,
    deny_statements: Vec<usize>,
}

struct Considered<'p> {
    role: PolicyRole,
    policy: &'p Policy,
    outcome: PolicyOutcome,
}

fn run(request: &Request, set: &PolicySet<'_>, record: bool) -> (Decision, Option<Explanation>) {
    // The NotPrincipal-with-boundary rule needs to know about the boundary.
    let request: Cow<'_, Request> = if set.boundary.is_some() && !request.caller.has_boundary {
        let mut with_boundary = request.clone();
        with_boundary.caller.has_boundary = true;
        Cow::Owned(with_boundary)
    } else {
        Cow::Borrowed(request)
    };
    let request = request.as_ref();
    let context = request.resolved_context();
    let caller = &request.caller;
    let mut considered: Vec<Considered<'_>> = set
        .considered(caller)
        .into_iter()
        .map(|(role, policy)| Considered {
            role,
            policy,
            outcome: PolicyOutcome::default(),
        })
        .collect();

    let mut traces = Vec::new();
    for entry in &mut considered {
        let mut statements = Vec::new();
        for statement in &entry.policy.statements {
            let result = statement_applies(statement, request, &context);
            let outcome = &mut entry.outcome;
            if let Ok(applied) = &result {
                match statement.effect.value {
                    Effect::Allow => {
                        outcome.allows = true;
                        outcome.grantee = outcome.grantee.max(applied.grantee);
                        outcome.allow_statements.push(statement.index);
                    }
                    Effect::Deny => {
                        outcome.denies = true;
                        outcome.deny_statements.push(statement.index);
                    }
                }
            }
            if record {
                let (reason, reason_location) = match &result {
                    Ok(_) => (None, statement.loc.clone()),
                    Err(not_applied) => {
                        let (message, loc) = not_applied.describe(statement, request);
                        (Some(message), loc)
                    }
                };
                let assumptions = result
                    .as_ref()
                    .err()
                    .and_then(|not_applied| not_applied.assumption())
                    .into_iter()
                    .collect();
                statements.push(StatementTrace {
                    index: statement.index,
                    label: statement.label(),
                    effect: match statement.effect.value {
                        Effect::Allow => "Allow",
                        Effect::Deny => "Deny",
                    },
                    applies: result.is_ok(),
                    reason,
                    location: statement.loc.clone(),
                    reason_location,
                    assumptions,
                });
            }
        }
        if record {
            traces.push(PolicyTrace {
                name: entry.policy.name.clone(),
                role: entry.role,
                statements,
            });
        }
    }

    let mut verdict = combine(request, set, &considered);
    if verdict.decision == Decision::Allowed {
        let owner = set.owner_of(&request.resource, &request.caller);
        match restrict(&request.caller, set, owner.as_deref()) {
            BlockOutcome::Open => {}
            BlockOutcome::Stops(summary) => {
                verdict = Verdict {
                    decision: Decision::ExplicitlyDenied,
                    summary,
                };
            }
            BlockOutcome::Assumed(assumptions) => {
                if let Some(trace) = traces.iter_mut().find(|t| t.role == PolicyRole::Resource) {
                    for (index, assumption) in assumptions {
                        if let Some(statement) =
                            trace.statements.iter_mut().find(|s| s.index == index)
                        {
                            statement.assumptions.push(assumption);
                        }
                    }
                }
            }
        }
    }
    let explanation = record.then(|| Explanation {
        summary: verdict.summary,
        deciding: deciding_statements(&considered, verdict.decision),
        policies: traces,
    });
    (verdict.decision, explanation)
}

struct Verdict {
    decision: Decision,
    summary: String,
}

fn implicit(summary: String) -> Verdict {
    Verdict {
        decision: Decision::ImplicitlyDenied,
        summary,
    }
}

/// The evaluation logic proper, over what each policy did.
fn combine(request: &Request, set: &PolicySet<'_>, considered: &[Considered<'_>]) -> Verdict {
    let caller = &request.caller;
    if let Some(deny) = considered.iter().find(|c| c.outcome.denies) {
        let statement = deny
            .outcome
            .deny_statements
            .first()
            .and_then(|i| deny.policy.statements.iter().find(|s| s.index == *i))
            .map_or_else(|| "a statement".to_string(), |s| s.label());
        return Verdict {
            decision: Decision::ExplicitlyDenied,
            summary: format!(
                "explicitly denied by {statement} of the {} `{}`",
                deny.role, deny.policy.name
            ),
        };
    }

    // Every level of RCPs, then of SCPs, must allow.
    if set.rcps_apply(caller) {
        let missing = missing_level("RCP", set.rcps.len(), considered, |level| PolicyRole::Rcp {
            level,
        });
        if let Some(reason) = missing {
            return implicit(reason);
        }
    }
    if set.scps_apply(caller) {
        let missing = missing_level("SCP", set.scps.len(), considered, |level| PolicyRole::Scp {
            level,
        });
        if let Some(reason) = missing {
            return implicit(reason);
        }
    }

    let of_role =
        |wanted: fn(&PolicyRole) -> bool| considered.iter().filter(move |c| wanted(&c.role));
    let resource = considered.iter().find(|c| {
        matches!(
            c.role,
            PolicyRole::Resource | PolicyRole::Trust | PolicyRole::KeyPolicy
        )
    });
    let resource_role = resource.map_or(PolicyRole::Resource, |c| c.role);
    let grantee = resource.and_then(|c| c.outcome.grantee);
    let resource_must_allow = matches!(resource_role, PolicyRole::Trust | PolicyRole::KeyPolicy);

    if !caller.is_account_principal() {
        return match grantee {
            Some(_) => Verdict {
                decision: Decision::Allowed,
                summary: format!(
                    "allowed by the {resource_role}, which names the {}",
                    caller.describe()
                ),
            },
            None => implicit(format!(
                "only a resource-based policy can allow the {}, and {}",
                caller.describe(),
                if resource.is_some() {
                    format!("the {resource_role} does not")
                } else {
                    "the resource has none".to_string()
                }
            )),
        };
    }

    // The account root has every permission of its account without
    // identity-based policies ("By default, all requests are implicitly
    // denied with the exception of the AWS account root user").
    let identity_allows = caller.kind == CallerKind::Root
        || of_role(|r| *r == PolicyRole::Identity).any(|c| c.outcome.allows);
    let boundary_ok = set.boundary.is_none()
        || of_role(|r| *r == PolicyRole::PermissionsBoundary).any(|c| c.outcome.allows);
    let session_ok =
        set.session.is_empty() || of_role(|r| *r == PolicyRole::Session).any(|c| c.outcome.allows);
    let identity_effective = identity_allows && boundary_ok && session_ok;

    let resource_account = set.owner_of(&request.resource, caller);
    let same_account = resource_account == caller.account;

    let identity_gap = || {
        if !identity_allows {
            "no identity-based policy allows it".to_string()
        } else if !boundary_ok {
            "identity-based policies allow it but the permissions boundary does not".to_string()
        } else {
            "identity-based policies allow it but no session policy does".to_string()
        }
    };

    if !same_account {
        let account = resource_account.as_deref().unwrap_or("another account");
        return match (identity_effective, grantee) {
            (true, Some(_)) => Verdict {
                decision: Decision::Allowed,
                summary: format!(
                    "cross-account request allowed by both the principal's identity-based \
                     policies and the {resource_role} of account {account}"
                ),
            },
            (true, None) => implicit(format!(
                "cross-account request: identity-based policies allow it, but {}",
                if resource.is_some() {
                    format!("the {resource_role} of account {account} does not")
                } else {
                    format!("the resource in account {account} has no resource-based policy")
                }
            )),
            (false, _) => implicit(format!(
                "cross-account request needs the principal's account to allow it too: {}",
                identity_gap()
            )),
        };
    }

    // Same account. How far does the resource policy's allow reach?
    let via_resource = match grantee {
        // Naming the session, the user or everyone grants directly; naming
        // the role is cut down by the boundary and session policies; naming
        // the account delegates to identity-based policies.
        Some(Grantee::Principal | Grantee::Anyone) => true,
        Some(Grantee::Role) => boundary_ok && session_ok,
        Some(Grantee::Account) | None => false,
    };
    if resource_must_allow && grantee.is_none() {
        return implicit(format!(
            "the {resource_role} must allow the request and does not",
        ));
    }
    if via_resource {
        return Verdict {
            decision: Decision::Allowed,
            summary: format!(
                "allowed by the {resource_role}, which names {}",
                match grantee {
                    Some(Grantee::Role) => "the principal's role".to_string(),
                    Some(Grantee::Anyone) => "everyone".to_string(),
                    _ => format!("the {}", caller.describe()),
                }
            ),
        };
    }
    if identity_effective {
        let mut summary = "allowed by identity-based policies".to_string();
        if set.boundary.is_some() {
            summary.push_str(", within the permissions boundary");
        }
        if !set.session.is_empty() {
            summary.push_str(", and by a session policy");
        }
        if resource_must_allow {
            summary.push_str(&format!(", with the {resource_role} naming the account"));
        }
        return Verdict {
            decision: Decision::Allowed,
            summary,
        };
    }
    if identity_allows || grantee == Some(Grantee::Role) {
        return implicit(format!(
            "{}{}",
            identity_gap(),
            if grantee == Some(Grantee::Role) {
                "; the resource policy names the role, so the same limits apply to it"
            } else {
                ""
            }
        ));
    }
    implicit(if resource.is_some() {
        format!("no identity-based policy or {resource_role} allows the request")
    } else {
        "no identity-based policy allows the request".to_string()
    })
}

/// The first organization level without an applicable Allow, as the reason
/// for an implicit deny. A level with no policies attached allows nothing.
fn missing_level(
    kind: &str,
    levels: usize,
    considered: &[Considered<'_>],
    role_at: fn(usize) -> PolicyRole,
) -> Option<String> {
    (0..levels).find_map(|level| {
        let role = role_at(level);
        let at_level: Vec<&Considered<'_>> = considered.iter().filter(|c| c.role == role).collect();
        if at_level.iter().any(|c| c.outcome.allows) {
            return None;
        }
        let names: Vec<String> = at_level
            .iter()
            .map(|c| format!("`{}`", c.policy.name))
            .collect();
        let names = if names.is_empty() {
            "none attached".to_string()
        } else {
            names.join(", ")
        };
        Some(format!(
            "no {kind} at level {level} ({names}) allows the request"
        ))
    })
}

fn deciding_statements(considered: &[Considered<'_>], decision: Decision) -> Vec<StatementRef> {
    let mut out = Vec::new();
    for (policy, entry) in considered.iter().enumerate() {
        let indices = match decision {
            Decision::ExplicitlyDenied => &entry.outcome.deny_statements,
            Decision::Allowed => &entry.outcome.allow_statements,
            Decision::ImplicitlyDenied => continue,
        };
        for index in indices {
            if let Some(position) = entry
                .policy
                .statements
                .iter()
                .position(|s| s.index == *index)
            {
                out.push(StatementRef {
                    policy,
                    statement: position,
                });
            }
        }
    }
    out
}
