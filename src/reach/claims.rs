//! Which routes a `user` question covers: those the question's own claims
//! reach, and those an outsider reaches by choosing claim values.
//!
//! Concrete enumeration ([`sessions::enumerate`] with a [`Scenario`]) is
//! exact for the claims it is given. For every other route a mapping rule
//! can hand out, poolscope tries a few values of the rule's claim that
//! satisfy its match type (the value itself, and the value with text around
//! it so that earlier rules can be sidestepped), keeping a route only when
//! resolution really reaches it and an outsider can present those claims
//! ([`crate::cognito::capabilities`]). A rule no tried value reaches, on a
//! claim an outsider controls, is reported as unsettled — the verdict is
//! then `unknown`, never `impossible`. Routes that need claims only an
//! administrator sets (groups) are left to questions that pin them with
//! `--claim`, and a note says so.

use crate::cognito::{Capability, Claims, capabilities, outsider_logins};
use crate::diagnostic::Diagnostic;
use crate::model::Inventory;
use crate::model::sessions::{self, How, PrincipalClass, Scenario, SessionRoute, TokenChoice};
use crate::query::{PrincipalSelector, Question};

use super::{RouteAnswer, RouteVerdict};

pub(super) struct Found<'a> {
    pub routes: Vec<SessionRoute<'a>>,
    pub notes: Vec<String>,
    /// Routes whose reachability could not be settled (answered `unknown`).
    pub unsettled: Vec<RouteAnswer>,
}

pub(super) fn routes<'a>(
    inventory: &'a Inventory,
    question: &Question,
    scenario: &Scenario,
    notes: &mut Vec<String>,
) -> Result<Found<'a>, Diagnostic> {
    let concrete = sessions::enumerate(inventory, &question.principal, Some(scenario))?;
    let mut found = Found {
        routes: concrete.routes,
        notes: concrete.notes,
        unsettled: Vec::new(),
    };
    if !matches!(
        question.principal,
        PrincipalSelector::User { .. } | PrincipalSelector::Anyone
    ) {
        return Ok(found);
    }
    let all = sessions::enumerate(inventory, &question.principal, None)?;
    let outsiders = capabilities(inventory.identity_pools(), inventory.user_pools());
    for route in all.routes {
        let PrincipalClass::User { .. } = &route.principal else {
            continue;
        };
        if found
            .routes
            .iter()
            .any(|r| r.principal == route.principal && same_how(&r.how, &route.how))
        {
            continue;
        }
        match &route.how {
            How::Rule {
                claim,
                custom_role_arn: false,
                ..
            } => {
                if scenario.claims.contains_key(claim) {
                    // The question pins this claim: concrete resolution
                    // already decided that the rule is not reached.
                    continue;
                }
                match search_rule(inventory, &question.principal, scenario, &outsiders, &route) {
                    RuleSearch::Reached(reached) => found.routes.push(*reached),
                    RuleSearch::Unsettled => {
                        found.unsettled.push(unsettled(
                            &route,
                            format!(
                                "an outsider chooses `{claim}`, but no value poolscope tried \
                                 reaches {}",
                                route.how
                            ),
                        ));
                    }
                    RuleSearch::NotOutsiders => notes.push(format!(
                        "{} is reached only with a `{claim}` an outsider cannot set; ask with \
                         `--claim {claim}=…` to include it",
                        route.how
                    )),
                }
            }
            How::Token {
                choice: TokenChoice::Group,
                group: Some(group),
            } if !scenario.claims.contains_key("cognito:groups") => notes.push(format!(
                "the role of group `{group}` is reached only by its members, whom administrators \
                 add; ask with `--claim cognito:groups={group}` to include it"
            )),
            _ => {}
        }
    }
    Ok(found)
}

/// What the search for one mapping rule's route found.
#[derive(Debug)]
pub enum RuleSearch<'a> {
    /// Reached: the concrete route, whose claims an outsider can present.
    Reached(Box<SessionRoute<'a>>),
    /// An outsider chooses the rule's claim, but no value tried reaches the
    /// route (an earlier rule always matches first, say).
    Unsettled,
    /// The rule's claim is not one an outsider sets (groups, admin-written
    /// attributes), or the route is not a rule's.
    NotOutsiders,
}

/// Searches for claim values an outsider can present that make role
/// resolution reach `route`, a static route of a Rules mapping rule
/// ([`sessions::enumerate`] without a scenario): the values of
/// [`candidates`] tried one by one on top of `scenario`, each resolved
/// concretely, kept only when the outsider model
/// ([`crate::cognito::capabilities`]) admits the resulting claims.
pub fn search_rule<'a>(
    inventory: &'a Inventory,
    selector: &PrincipalSelector,
    scenario: &Scenario,
    outsiders: &[Capability],
    route: &SessionRoute<'a>,
) -> RuleSearch<'a> {
    let (
        PrincipalClass::User { pool, provider },
        How::Rule {
            claim,
            match_type,
            value,
            ..
        },
    ) = (&route.principal, &route.how)
    else {
        return RuleSearch::NotOutsiders;
    };
    let base = with_required_claims(scenario, outsiders, pool, provider, claim);
    let reached = candidates(claim, match_type, value)
        .into_iter()
        .find_map(|candidate| {
            let mut tried = base.clone();
            tried.claims.insert(claim.clone(), vec![candidate]);
            let routes = sessions::enumerate(inventory, selector, Some(&tried))
                .ok()?
                .routes;
            routes.into_iter().find(|r| {
                r.principal == route.principal
                    && same_how(&r.how, &route.how)
                    && outsider_admits(outsiders, pool, provider, r, scenario)
            })
        });
    match reached {
        Some(found) => RuleSearch::Reached(Box::new(found)),
        None if outsider_controls(outsiders, pool, provider, claim) => RuleSearch::Unsettled,
        None => RuleSearch::NotOutsiders,
    }
}

/// Two routes were reached the same way (the same rule of the same mapping,
/// or the same kind of step).
fn same_how(a: &How, b: &How) -> bool {
    match (a, b) {
        (
            How::Rule {
                mapping: m1,
                index: i1,
                ..
            },
            How::Rule {
                mapping: m2,
                index: i2,
                ..
            },
        ) => m1 == m2 && i1 == i2,
        _ => a == b,
    }
}

/// Values of a claim that satisfy a rule's match, with text around the
/// rule's value so that an earlier rule on the same claim can be avoided
/// (CDG, "Role-based access control": `Equals`, `Contains`, `StartsWith`,
/// `NotEqual`).
pub fn candidates(claim: &str, match_type: &str, value: &str) -> Vec<String> {
    if claim.contains("email") {
        let plausible = email_candidates(match_type, value);
        if !plausible.is_empty() {
            return plausible;
        }
    }
    let around = |before: &str, after: &str| format!("{before}{value}{after}");
    match match_type {
        "Equals" => vec![value.to_string()],
        "StartsWith" => vec![value.to_string(), around("", "-poolscope")],
        "Contains" => vec![
            value.to_string(),
            around("poolscope-", ""),
            around("", "-poolscope"),
            around("poolscope-", "-poolscope"),
        ],
        "NotEqual" => vec![around("", "-poolscope"), "poolscope".to_string()],
        _ => Vec::new(),
    }
}

/// Values of an e-mail claim that satisfy the match and look like e-mail
/// addresses (one `@`, a dotted domain), so a witness shows a token a pool
/// could issue; the `.invalid` top-level domain is reserved (RFC 2606).
fn email_candidates(match_type: &str, value: &str) -> Vec<String> {
    let forms = [
        value.to_string(),
        format!("outsider@{value}"),
        format!("outsider@{value}.poolscope.invalid"),
        format!("{value}@poolscope.invalid"),
        format!("outsider{value}"),
        format!("outsider{value}.poolscope.invalid"),
        format!("{value}poolscope.invalid"),
        format!("{value}.poolscope.invalid"),
        "outsider@poolscope.invalid".to_string(),
    ];
    let matches = |text: &str| match match_type {
        "Equals" => text == value,
        "StartsWith" => text.starts_with(value),
        "Contains" => text.contains(value),
        "NotEqual" => text != value,
        _ => false,
    };
    let mut out: Vec<String> = Vec::new();
    for form in forms {
        if looks_like_email(&form) && matches(&form) && !out.contains(&form) {
            out.push(form);
        }
    }
    out
}

fn looks_like_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// Whether an outsider can present the route's claims, apart from those the
/// question pins (the question asks about tokens carrying them).
fn outsider_admits(
    outsiders: &[Capability],
    pool: &str,
    provider: &str,
    route: &SessionRoute<'_>,
    scenario: &Scenario,
) -> bool {
    let Some(claims) = &route.claims else {
        return true;
    };
    let mut unpinned = Claims::new();
    for (name, value) in claims.iter() {
        if !scenario.claims.contains_key(name) {
            unpinned.set_multi(name, &value.values());
        }
    }
    outsider_logins(outsiders, pool, provider).any(|c| {
        let mut set = c.claims.clone();
        for name in scenario.claims.keys() {
            set.claims.remove(name);
        }
        set.admits(&unpinned).is_ok()
    })
}

/// The scenario with a value for every claim an outsider's token must carry
/// and whose value the outsider chooses (required attributes such as the
/// e-mail a pool signs users up with), so that the token tried is one an
/// outsider can really present. The values are plain text that the rule
/// being sought does not need; resolution still decides which rule matches.
fn with_required_claims(
    scenario: &Scenario,
    outsiders: &[Capability],
    pool: &str,
    provider: &str,
    sought: &str,
) -> Scenario {
    let mut out = scenario.clone();
    if let Some(capability) = outsider_logins(outsiders, pool, provider).next() {
        for (name, spec) in &capability.claims.claims {
            let constraint = &spec.constraint;
            if name == sought
                || out.claims.contains_key(name)
                || constraint.may_be_absent()
                || !constraint.is_attacker_chosen()
            {
                continue;
            }
            let value = if name.contains("email") {
                "outsider@poolscope.invalid"
            } else {
                "poolscope-outsider"
            };
            out.claims.insert(name.clone(), vec![value.to_string()]);
        }
    }
    out
}

fn outsider_controls(outsiders: &[Capability], pool: &str, provider: &str, claim: &str) -> bool {
    outsider_logins(outsiders, pool, provider).any(|c| c.claims.get(claim).is_attacker_chosen())
}

/// An unsettled route's answer; the caller numbers it after the others.
fn unsettled(route: &SessionRoute<'_>, reason: String) -> RouteAnswer {
    let mut answer = RouteAnswer::new(route, 0, RouteVerdict::Unknown);
    answer.reason = Some(reason);
    answer
}
