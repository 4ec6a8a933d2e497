//! Whether one statement applies to one request.
//!
//! Owns the matching of a statement's elements in the order a reader checks
//! them: (Not)Action, (Not)Resource, (Not)Principal, then the Condition
//! block (entries ANDed). Hands on [`Applied`] (with how the Principal
//! element named the caller, which the decision needs) or the first
//! [`NotApplied`] reason, which explanations render.

use crate::policy::pattern::{action_matches, arn_matches};
use crate::policy::{Effect, Principal, PrincipalElement, Statement, Template, TemplatePart};
use crate::source::Location;

use super::condition::{ConditionFailure, condition_holds, list, substitute};
use super::explain::{Assumption, AssumptionKind};
use super::request::{Caller, CallerKind, Context, ContextValue, Request};

/// How a matching Principal element named the caller. The decision needs
/// it: within one account a resource policy that names the role session
/// (or user) grants on its own, one that names the role is still limited by
/// the permissions boundary and session policies, and one that names the
/// account only delegates to identity-based policies (IAM User Guide,
/// "Policy evaluation logic", "Permissions boundaries for IAM entities",
/// "Session policies").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Grantee {
    /// The account (`123456789012` or `arn:aws:iam::123456789012:root`).
    Account,
    /// The role whose session makes the request.
    Role,
    /// The session, user, web identity provider or service itself.
    Principal,
    /// `*`, or a NotPrincipal that does not exclude the caller.
    Anyone,
}

/// A statement that applies, and how its Principal element (if any) named
/// the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Applied {
    pub grantee: Option<Grantee>,
}

/// The first reason a statement does not apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotApplied<'a> {
    /// The action is not in `Action`, or is in `NotAction` (`pattern` is the
    /// NotAction entry that excludes it).
    Action { pattern: Option<&'a str> },
    /// The resource is not in `Resource`, or is in `NotResource`;
    /// `unresolved` lists entries whose variables have no value.
    Resource {
        pattern: Option<String>,
        unresolved: Vec<String>,
    },
    /// The caller is not in `Principal`, or is excluded by `NotPrincipal`.
    Principal,
    /// Condition entry number `index` of the statement does not hold.
    Condition {
        index: usize,
        failure: ConditionFailure<'a>,
    },
    /// Everything else applies, no resolved `NotResource` entry excludes
    /// the resource, but the `entries` (written as in the policy) have a
    /// policy variable without a value and could match the resource for
    /// some value. AWS's documentation does not settle this; poolscope
    /// takes the statement not to apply
    /// ([`AssumptionKind::UnresolvedNotResource`]).
    UndecidedNotResource { entries: Vec<String> },
}

/// Whether `statement` applies to `request`, whose context (with derived
/// keys) is `context`.
pub fn statement_applies<'a>(
    statement: &'a Statement,
    request: &Request,
    context: &'a Context,
) -> Result<Applied, NotApplied<'a>> {
    action_applies(statement, &request.action)?;
    let undecided = resource_applies(statement, &request.resource, context)?;
    let grantee = match &statement.principal {
        None => None,
        Some(element) => Some(
            principal_applies(element, &request.caller, statement.effect.value)
                .ok_or(NotApplied::Principal)?,
        ),
    };
    for (index, condition) in statement.conditions.iter().enumerate() {
        condition_holds(condition, context)
            .map_err(|failure| NotApplied::Condition { index, failure })?;
    }
    // Only now does the undocumented reading decide: any other element
    // that fails makes the statement not apply under every reading.
    if !undecided.is_empty() {
        return Err(NotApplied::UndecidedNotResource { entries: undecided });
    }
    Ok(Applied { grantee })
}

/// `Action` lists patterns the action must match; `NotAction` patterns it
/// must not match (IAM User Guide, "IAM JSON policy elements: NotAction").
fn action_applies<'a>(statement: &'a Statement, action: &str) -> Result<(), NotApplied<'a>> {
    let element = &statement.action;
    let matched = element
        .patterns
        .iter()
        .find(|p| action_matches(&p.value, action));
    match (element.negated, matched) {
        (false, Some(_)) | (true, None) => Ok(()),
        (false, None) => Err(NotApplied::Action { pattern: None }),
        (true, Some(p)) => Err(NotApplied::Action {
            pattern: Some(&p.value),
        }),
    }
}

/// `Resource` entries (after variable substitution) the resource must
/// match; `NotResource` entries it must not match. A statement without
/// either element (a trust policy) applies to any resource.
///
/// An entry whose variable has no value (and no default) matches nothing
/// under `Resource` (IAM User Guide, "Policy variables"). Under
/// `NotResource` the IAM User Guide is ambiguous (see
/// [`AssumptionKind::UnresolvedNotResource`]): such an entry that could match the
/// resource for some value of its variables leaves the element undecided,
/// and the entries are returned (the caller applies the assumed reading
/// once every other element holds). One that could match for no value
/// excludes nothing under any reading.
fn resource_applies<'a>(
    statement: &'a Statement,
    resource: &str,
    context: &Context,
) -> Result<Vec<String>, NotApplied<'a>> {
    let Some(element) = &statement.resource else {
        return Ok(Vec::new());
    };
    let mut unresolved = Vec::new();
    let mut matched = None;
    for pattern in &element.patterns {
        match substitute(&pattern.value, context) {
            None => unresolved.push(pattern.value.to_string()),
            Some(text) => {
                if arn_matches(&text, resource) {
                    matched = Some(text.into_owned());
                    break;
                }
            }
        }
    }
    match (element.negated, matched) {
        (false, Some(_)) => Ok(Vec::new()),
        (true, None) => Ok(element
            .patterns
            .iter()
            .filter(|p| {
                substitute(&p.value, context).is_none()
                    && arn_matches(&missing_as_wildcards(&p.value, context), resource)
            })
            .map(|p| p.value.to_string())
            .collect()),
        (false, None) => Err(NotApplied::Resource {
            pattern: None,
            unresolved,
        }),
        (true, Some(pattern)) => Err(NotApplied::Resource {
            pattern: Some(pattern),
            unresolved,
        }),
    }
}

/// A template with every variable that has neither a value nor a default
/// replaced by `*`: the resources the entry matches for some value of its
/// missing variables. (Variables are recognised only in the resource part
/// of an ARN, where `*` spans any text.)
fn missing_as_wildcards(template: &Template, context: &Context) -> String {
    let mut out = String::new();
    for part in &template.parts {
        match part {
            TemplatePart::Literal(text) => out.push_str(text),
            TemplatePart::Variable { key, default } => {
                let value = context
                    .get(key)
                    .and_then(ContextValue::as_single)
                    .or(default.as_deref())
                    .unwrap_or("*");
                out.push_str(value);
            }
        }
    }
    out
}

/// One name a caller goes by, and what naming it grants.
enum Identity<'c> {
    Arn(String),
    Account(&'c str),
    Federated(&'c str),
    Service(&'c str),
    Anonymous,
}

/// The names a caller goes by, most specific first: a role session is its
/// session ARN, its role ARN and its account (IAM User Guide, "AWS JSON
/// policy elements: Principal", role sessions and NotPrincipal).
fn identities(caller: &Caller) -> Vec<(Identity<'_>, Grantee)> {
    let mut out = Vec::with_capacity(3);
    match &caller.kind {
        CallerKind::RoleSession => {
            if let Some(session) = caller.session_arn() {
                out.push((Identity::Arn(session), Grantee::Principal));
            }
            if let Some(role) = &caller.arn {
                out.push((Identity::Arn(role.clone()), Grantee::Role));
            }
        }
        CallerKind::User => {
            if let Some(user) = &caller.arn {
                out.push((Identity::Arn(user.clone()), Grantee::Principal));
            }
        }
        CallerKind::Root => {}
        CallerKind::WebIdentity { provider } => {
            out.push((Identity::Federated(provider), Grantee::Principal));
        }
        CallerKind::Service { name } => out.push((Identity::Service(name), Grantee::Principal)),
        CallerKind::Anonymous => out.push((Identity::Anonymous, Grantee::Anyone)),
    }
    if let Some(account) = caller
        .account
        .as_deref()
        .filter(|_| caller.is_account_principal())
    {
        out.push((Identity::Account(account), Grantee::Account));
    }
    out
}

fn principal_names(entry: &Principal, identity: &Identity<'_>) -> bool {
    match (entry, identity) {
        (Principal::Anyone, _) => true,
        (Principal::Aws(text), _) if text == "*" => true,
        (Principal::Aws(text), Identity::Account(account)) => {
            text == account || account_root(text) == Some(account)
        }
        (Principal::Aws(text), Identity::Arn(arn)) => text == arn,
        (Principal::Federated(text), Identity::Federated(provider)) => {
            text.eq_ignore_ascii_case(provider)
        }
        (Principal::Service(text), Identity::Service(name)) => text.eq_ignore_ascii_case(name),
        _ => false,
    }
}

/// The account of `arn:PARTITION:iam::ACCOUNT:root`.
fn account_root(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let (_partition, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    (service == "iam" && region.is_empty() && resource == "root").then_some(account)
}

/// Whether a Principal / NotPrincipal element admits the caller, and how it
/// names it.
///
/// - `Principal`: some name of the caller is listed; the most specific one
///   decides the [`Grantee`].
/// - `NotPrincipal`: applies unless every name of the caller is listed (so a
///   role session is excluded only when its session ARN, role ARN and account
///   are all listed — the documented NotPrincipal examples list all three).
///   A `Deny` with `NotPrincipal` applies to any user or role with a
///   permissions boundary, whatever it lists (IAM User Guide, "Permissions
///   boundaries for IAM entities").
pub fn principal_applies(
    element: &PrincipalElement,
    caller: &Caller,
    effect: Effect,
) -> Option<Grantee> {
    let anyone = element.principals.iter().any(|entry| {
        matches!(&entry.value, Principal::Anyone)
            || matches!(&entry.value, Principal::Aws(text) if text == "*")
    });
    if anyone && !element.negated {
        return Some(Grantee::Anyone);
    }
    let names = identities(caller);
    let listed = |identity: &Identity<'_>| {
        element
            .principals
            .iter()
            .any(|entry| principal_names(&entry.value, identity))
    };
    if element.negated {
        if effect == Effect::Deny && caller.has_boundary && caller.is_account_principal() {
            return Some(Grantee::Anyone);
        }
        let all_listed = !names.is_empty() && names.iter().all(|(identity, _)| listed(identity));
        return (!all_listed).then_some(Grantee::Anyone);
    }
    names
        .iter()
        .filter(|(identity, _)| listed(identity))
        .map(|(_, grantee)| *grantee)
        .max()
}

impl NotApplied<'_> {
    /// The reason in words and the place in the policy it points at.
    pub fn describe(&self, statement: &Statement, request: &Request) -> (String, Location) {
        match self {
            NotApplied::Action { pattern: None } => {
                let patterns = &statement.action.patterns;
                let message = match patterns.as_slice() {
                    [one] => format!("action `{}` not matched by `{}`", request.action, one.value),
                    _ => format!(
                        "action `{}` matched by none of {}",
                        request.action,
                        list(patterns.iter().map(|p| p.value.clone()))
                    ),
                };
                (message, statement.action.loc.clone())
            }
            NotApplied::Action {
                pattern: Some(pattern),
            } => {
                let loc = statement
                    .action
                    .patterns
                    .iter()
                    .find(|p| p.value == *pattern)
                    .map_or_else(|| statement.action.loc.clone(), |p| p.loc.clone());
                (
                    format!(
                        "action `{}` excluded by NotAction `{pattern}`",
                        request.action
                    ),
                    loc,
                )
            }
            NotApplied::Resource {
                pattern,
                unresolved,
            } => {
                let loc = statement
                    .resource
                    .as_ref()
                    .map_or_else(|| statement.loc.clone(), |r| r.loc.clone());
                let mut message = match pattern {
                    Some(pattern) => format!(
                        "resource `{}` excluded by NotResource `{pattern}`",
                        request.resource
                    ),
                    None => {
                        let patterns = statement
                            .resource
                            .as_ref()
                            .map(|r| r.patterns.as_slice())
                            .unwrap_or_default();
                        match patterns {
                            [one] => format!(
                                "resource `{}` not matched by `{}`",
                                request.resource, one.value
                            ),
                            _ => format!(
                                "resource `{}` matched by none of {}",
                                request.resource,
                                list(patterns.iter().map(|p| p.value.to_string()))
                            ),
                        }
                    }
                };
                if !unresolved.is_empty() {
                    message.push_str(&format!(
                        " ({} has a policy variable without a value, so it matches nothing)",
                        list(unresolved.iter().cloned())
                    ));
                }
                (message, loc)
            }
            NotApplied::Principal => {
                let (loc, negated) = statement
                    .principal
                    .as_ref()
                    .map_or((statement.loc.clone(), false), |p| {
                        (p.loc.clone(), p.negated)
                    });
                let message = if negated {
                    format!("{} is excluded by NotPrincipal", request.caller.describe())
                } else {
                    format!("{} is not named in Principal", request.caller.describe())
                };
                (message, loc)
            }
            NotApplied::Condition { index, failure } => match statement.conditions.get(*index) {
                Some(condition) => (failure.describe(condition), condition.loc.clone()),
                None => ("condition does not hold".to_string(), statement.loc.clone()),
            },
            NotApplied::UndecidedNotResource { entries } => {
                let loc = statement
                    .resource
                    .as_ref()
                    .map_or_else(|| statement.loc.clone(), |r| r.loc.clone());
                (
                    format!(
                        "NotResource {} has a policy variable without a value, so whether it \
                         excludes `{}` is not known; taken as not applying (assumed)",
                        list(entries.iter().cloned()),
                        request.resource
                    ),
                    loc,
                )
            }
        }
    }

    /// The undocumented reading that made the statement not apply, if any.
    pub fn assumption(&self) -> Option<Assumption> {
        match self {
            NotApplied::UndecidedNotResource { entries } => Some(Assumption {
                kind: AssumptionKind::UnresolvedNotResource,
                text: format!(
                    "a NotResource entry whose policy variable has no value ({}) makes the \
                     statement not apply; AWS's documentation does not settle this case (it says \
                     such an entry \"will not match any resource\" and that an unresolved \
                     variable \"might cause the entire statement to be invalid\"), and this is \
                     the reading of iam-simulate (the npm package @cloud-copilot/iam-simulate)",
                    list(entries.iter().cloned())
                ),
            }),
            _ => None,
        }
    }
}
