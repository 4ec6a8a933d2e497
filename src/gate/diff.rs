//! New access between two versions of the inputs (`poolscope diff`,
//! docs/cli.md "`diff`: new access between two versions").
//!
//! Sliced to what changed. Policies are matched across versions by what
//! holds them (a role's inline policy by role ARN and name, an attached
//! managed policy by role ARN and policy ARN, a bucket policy by bucket)
//! and compared as sets of *atoms*: one effect, one action, one resource,
//! the principals and the conditions. Merging, splitting or reordering
//! statements leaves the atoms as they were, so a pure refactoring asks
//! nothing. Routes to credentials are matched by principal class, role,
//! flow and how ([`crate::checks::routes::inventory_routes`]).
//!
//! Questions come from the change: each Allow atom new in head; each Allow
//! atom of base keyed by identity (`${cognito-identity.amazonaws.com:sub}`)
//! that head no longer has, asked about another identity (`{other}`); each
//! Deny atom head dropped, under its conditions; and every Allow atom of
//! the role of a route that appeared (or that outsiders now take alone),
//! asked for that route's principal class. Classes are guests and users
//! per pool and provider, the members of each group a route needs,
//! identities of other pools, the role itself, and for resource policies
//! anonymous callers and other accounts. Each is asked of head
//! ([`crate::reach::query_inventory`], expecting `possible`); a head witness
//! is then replayed as a question on base — the same principal class, the
//! witness's action, its resource and context with the identity ids turned
//! back into `{self}`/`{other}` — and counts as new access only when base
//! does not allow it. An `unknown` on either side makes the class
//! undecided, never "no new access". Removed access is the same search
//! with the versions swapped.

use std::collections::{BTreeMap, BTreeSet};

use crate::checks::derive::{IDENTITY_ID, concrete_resources, keyed_by_identity, pattern};
use crate::checks::routes::{
    Route, TakenBy, how_text, inventory_routes, principal_short, short_name,
};
use crate::model::Inventory;
use crate::model::inventory::PolicyRef;
use crate::model::sessions::{self, How, PrincipalClass};
use crate::policy::{BaseOperator, Effect, Policy, Statement, Template};
use crate::query::{
    ContextPin, Expectation, Leniency, PrincipalSelector, Question, ResourcePattern,
};
use crate::reach::{Batch, Detail, Verdict, WitnessReport};
use crate::source::Location;

/// The principal classes `--fail-on-new` names.
pub const CLASSES: [&str; 8] = [
    "guest",
    "user",
    "group",
    "external",
    "anonymous",
    "role",
    "account",
    "iam-user",
];

/// The default of `--fail-on-new` (docs/cli.md).
pub const DEFAULT_FAIL_ON_NEW: [&str; 4] = ["guest", "user", "external", "anonymous"];

/// Access one version allows and the other does not.
#[derive(Clone, Debug)]
pub struct Access {
    /// A class of [`CLASSES`].
    pub class: String,
    /// The class by name (`user@POOL/PROVIDER`, `role:NAME`, …).
    pub principal: String,
    /// The action pattern and resource pattern asked.
    pub action: String,
    pub resource: String,
    /// A request the version allows, replayed by the evaluator.
    pub witness: WitnessReport,
    /// The construct whose change opened (or closed) the access.
    pub because: Location,
    pub because_label: String,
    /// What findings are grouped by: the changed policy, or the new route.
    pub group: Location,
    /// The statements that decided the witness, as labels.
    pub deciding: Vec<(Location, String)>,
}

/// A question one version could not settle.
#[derive(Clone, Debug)]
pub struct Undecided {
    /// A class of `--fail-on-new`, or `any` (fails whatever the classes).
    pub class: String,
    pub principal: String,
    pub action: String,
    pub resource: String,
    pub why: String,
    pub because: Location,
    pub because_label: String,
}

/// A route, principal class or role that is in one version only.
#[derive(Clone, Debug)]
pub struct Appeared {
    /// `route`, `principal` or `role`.
    pub kind: &'static str,
    /// True when it is in head only, false when in base only.
    pub added: bool,
    pub text: String,
    pub locations: Vec<Location>,
}

#[derive(Clone, Debug, Default)]
pub struct DiffResults {
    pub new_access: Vec<Access>,
    pub removed_access: Vec<Access>,
    /// Questions of the head side (new access) that could not be settled.
    pub undecided: Vec<Undecided>,
    pub appeared: Vec<Appeared>,
    /// Questions asked of the solver, both directions.
    pub questions: usize,
}

/// A question derived from a change, and the construct it comes from.
#[derive(Clone, Debug)]
struct Candidate {
    selector: PrincipalSelector,
    /// The class in reports (`user@POOL/PROVIDER` by names).
    name: String,
    /// `--fail-on-new`'s name for it.
    class: &'static str,
    /// Claims the class's tokens carry (a group's members).
    claims: Vec<(String, String)>,
    action: String,
    resource: String,
    includes: Vec<(String, String)>,
    /// Context keys pinned to exactly this value (`KEY=VALUE`): the
    /// conditions under which a dropped Deny applied.
    exact: Vec<(String, String)>,
    because: Location,
    because_label: String,
    group: Location,
}

/// New access (head over base) and removed access (base over head).
pub fn diff_inventories(base: &Inventory, head: &Inventory, timeout_ms: u64) -> DiffResults {
    let mut results = DiffResults::default();
    let base_routes = inventory_routes(base);
    let head_routes = inventory_routes(head);
    let forward = candidates(base, head, &base_routes, &head_routes);
    let backward = candidates(head, base, &head_routes, &base_routes);
    let (new_access, undecided, asked) = solve(head, base, forward, timeout_ms);
    results.new_access = new_access;
    results.undecided = undecided;
    results.questions += asked;
    let (removed, _, asked) = solve(base, head, backward, timeout_ms);
    results.removed_access = removed;
    results.questions += asked;
    results.appeared = appeared(base, head, &base_routes, &head_routes);
    results.undecided.extend(unknown_attached(base, head));
    results.undecided.extend(iam_users_changed(base, head));
    results
}

/// What an IAM user or group holds, compared between versions: the
/// statements (as atoms, so reordering is no change) of its inline and
/// attached policies, and for a user its boundary and groups.
fn holdings(inventory: &Inventory) -> BTreeMap<String, (BTreeSet<String>, Location)> {
    let policy_keys = |inline: &[crate::model::NamedPolicy],
                       managed: &[crate::source::Spanned<String>]|
     -> BTreeSet<String> {
        let mut keys = BTreeSet::new();
        for named in inline {
            match &named.policy {
                Some(policy) => keys.extend(atoms(policy).into_iter().map(|a| a.key)),
                None => {
                    keys.insert(format!("unreadable inline {}", named.name));
                }
            }
        }
        for arn in managed {
            match inventory.resolve_policy(arn) {
                PolicyRef::Known { policy, .. } => {
                    keys.extend(atoms(policy).into_iter().map(|a| a.key))
                }
                PolicyRef::Unknown { name, .. } => {
                    keys.insert(format!("unknown managed {name}"));
                }
            }
        }
        keys
    };
    let mut out = BTreeMap::new();
    for user in inventory.users() {
        let mut keys = policy_keys(&user.inline_policies, &user.managed_policy_arns);
        if let Some(boundary) = &user.permissions_boundary {
            keys.insert(format!("boundary {}", boundary.value));
        }
        keys.extend(user.groups.iter().map(|g| format!("group {}", g.value)));
        out.insert(
            format!("IAM user `{}`", user.name),
            (keys, user.loc.clone()),
        );
    }
    for group in inventory.groups() {
        let keys = policy_keys(&group.inline_policies, &group.managed_policy_arns);
        out.insert(
            format!("IAM group `{}`", group.name),
            (keys, group.loc.clone()),
        );
    }
    out
}

/// IAM users and groups whose policies head changes or adds. poolscope
/// asks no questions as an IAM user (no principal class is one), so what
/// the change opens is not decided: it is reported, never passed over, as
/// `iam-user` (a class `--fail-on-new` may name).
fn iam_users_changed(base: &Inventory, head: &Inventory) -> Vec<Undecided> {
    let before = holdings(base);
    holdings(head)
        .into_iter()
        .filter_map(|(who, (keys, loc))| {
            let why = match before.get(&who) {
                None if keys.is_empty() => return None,
                None => "it is new in head with policies".to_string(),
                Some((old, _)) if old == &keys => return None,
                Some((old, _)) if keys.is_subset(old) => return None,
                Some(_) => "its policies, boundary or groups changed".to_string(),
            };
            Some(Undecided {
                class: "iam-user".to_string(),
                principal: who,
                action: "*".to_string(),
                resource: "*".to_string(),
                why: format!("{why}, and poolscope asks no questions as IAM users"),
                because: loc,
                because_label: "changed in head".to_string(),
            })
        })
        .collect()
}

/// Policies head attaches that the inputs do not hold (or cannot read):
/// they may allow anything, so what they open cannot be decided.
fn unknown_attached(base: &Inventory, head: &Inventory) -> Vec<Undecided> {
    let unknown = |inventory: &Inventory| -> Vec<(String, Location)> {
        let mut out = Vec::new();
        for role in inventory.roles() {
            let boundary = inventory.role_boundary(role);
            for reference in inventory.role_policies(role).into_iter().chain(boundary) {
                if let PolicyRef::Unknown { name, reference } = reference {
                    out.push((format!("{}#{name}", role.arn), reference.clone()));
                }
            }
        }
        out
    };
    let before: BTreeSet<String> = unknown(base).into_iter().map(|(key, _)| key).collect();
    unknown(head)
        .into_iter()
        .filter(|(key, _)| !before.contains(key))
        .map(|(key, loc)| {
            let (role, policy) = key.split_once('#').unwrap_or((key.as_str(), ""));
            Undecided {
                class: "any".to_string(),
                principal: format!("whoever reaches role `{role}`"),
                action: "*".to_string(),
                resource: "*".to_string(),
                why: format!("head attaches `{policy}`, which the inputs do not hold"),
                because: loc,
                because_label: "a policy not in the inputs".to_string(),
            }
        })
        .collect()
}

/// The class of a selector, as `--fail-on-new` names it.
pub fn class_of(selector: &PrincipalSelector) -> &'static str {
    match selector {
        PrincipalSelector::Guest { .. } => "guest",
        PrincipalSelector::User { .. } => "user",
        PrincipalSelector::External => "external",
        PrincipalSelector::Anonymous => "anonymous",
        PrincipalSelector::Role(_) => "role",
        PrincipalSelector::Account(_) => "account",
        PrincipalSelector::Anyone => "anyone",
    }
}

fn selector_of(class: &PrincipalClass) -> PrincipalSelector {
    match class {
        PrincipalClass::Guest { pool } => PrincipalSelector::Guest {
            pool: Some(pool.clone()),
        },
        PrincipalClass::User { pool, provider } => PrincipalSelector::User {
            pool: Some(pool.clone()),
            provider: Some(provider.clone()),
        },
        PrincipalClass::External { .. } => PrincipalSelector::External,
        PrincipalClass::Role { arn } => PrincipalSelector::Role(arn.clone()),
        PrincipalClass::Anonymous => PrincipalSelector::Anonymous,
        PrincipalClass::Account { id } => PrincipalSelector::Account(id.clone()),
    }
}

/// One effect, one action, one resource, with the statement's principals
/// and conditions: the unit two versions are compared in.
#[derive(Clone, Debug)]
struct Atom<'a> {
    key: String,
    effect: Effect,
    /// `None` for a `NotAction` statement (asked as `*`).
    action: Option<String>,
    /// `None` for a `NotResource` statement or none (asked as `*`).
    resource: Option<&'a Template>,
    statement: &'a Statement,
}

fn atoms(policy: &Policy) -> Vec<Atom<'_>> {
    let mut out = Vec::new();
    for statement in &policy.statements {
        let mut principals: Vec<String> = statement
            .principal
            .iter()
            .flat_map(|p| {
                p.principals
                    .iter()
                    .map(move |x| format!("{}{:?}", p.negated, x.value))
            })
            .collect();
        principals.sort();
        let mut conditions: Vec<String> = statement
            .conditions
            .iter()
            .map(|c| {
                let mut values: Vec<&str> =
                    c.values.iter().map(|v| v.value.text.as_str()).collect();
                values.sort_unstable();
                format!(
                    "{:?}|{}|{values:?}",
                    c.operator.value,
                    c.key.value.to_ascii_lowercase()
                )
            })
            .collect();
        conditions.sort();
        conditions.dedup();
        let rest = format!("{principals:?}|{conditions:?}");
        let actions: Vec<Option<String>> = if statement.action.negated {
            let mut all: Vec<String> = statement
                .action
                .patterns
                .iter()
                .map(|p| p.value.to_ascii_lowercase())
                .collect();
            all.sort();
            vec![None, Some(format!("not:{all:?}"))]
        } else {
            statement
                .action
                .patterns
                .iter()
                .map(|p| Some(p.value.clone()))
                .collect()
        };
        let (resources, resource_key): (Vec<Option<&Template>>, String) = match &statement.resource
        {
            Some(element) if !element.negated => (
                element.patterns.iter().map(|p| Some(&p.value)).collect(),
                String::new(),
            ),
            Some(element) => {
                let mut all: Vec<String> = element
                    .patterns
                    .iter()
                    .map(|p| format!("{:?}", p.value))
                    .collect();
                all.sort();
                (vec![None], format!("not:{all:?}"))
            }
            None => (vec![None], String::new()),
        };
        if statement.action.negated {
            // One atom for the whole NotAction statement.
            let key = format!(
                "{}|{}|{}|{rest}",
                statement.effect.value,
                actions[1].as_deref().unwrap_or(""),
                resources
                    .iter()
                    .map(|r| format!("{r:?}"))
                    .collect::<Vec<_>>()
                    .join(",")
                    + &resource_key
            );
            for resource in &resources {
                out.push(Atom {
                    key: key.clone(),
                    effect: statement.effect.value,
                    action: None,
                    resource: *resource,
                    statement,
                });
            }
            continue;
        }
        for action in &actions {
            for resource in &resources {
                let action_text = action.as_deref().unwrap_or("*");
                out.push(Atom {
                    key: format!(
                        "{}|{}|{resource:?}{resource_key}|{rest}",
                        statement.effect.value,
                        action_text.to_ascii_lowercase(),
                    ),
                    effect: statement.effect.value,
                    action: action.clone(),
                    resource: *resource,
                    statement,
                });
            }
        }
    }
    out
}

/// The policies of a version that grant or deny, keyed by what holds them,
/// each with the selectors whose requests it can decide.
struct Held<'a> {
    key: String,
    policy: &'a Policy,
    /// The role whose identity policy (or boundary) it is.
    role_arn: Option<&'a str>,
    /// Where it is attached or written (for a managed policy attached anew,
    /// the attachment).
    at: Location,
}

fn held_policies(inventory: &Inventory) -> Vec<Held<'_>> {
    let mut out = Vec::new();
    for role in inventory.roles() {
        for reference in inventory.role_policies(role) {
            if let PolicyRef::Known { name, policy } = reference {
                out.push(Held {
                    key: format!("{}#{name}", role.arn),
                    policy,
                    role_arn: Some(&role.arn),
                    at: policy.loc.clone(),
                });
            }
        }
        if let Some(PolicyRef::Known { name, policy }) = inventory.role_boundary(role) {
            out.push(Held {
                key: format!("{}#boundary#{name}", role.arn),
                policy,
                role_arn: Some(&role.arn),
                at: policy.loc.clone(),
            });
        }
    }
    for bucket in inventory.bucket_policies() {
        out.push(Held {
            key: format!("bucket#{}", bucket.bucket),
            policy: &bucket.policy,
            role_arn: None,
            at: bucket.policy.loc.clone(),
        });
    }
    out
}

/// A principal class to ask about, with its name in reports and the
/// claims that make it (a user pool group's members).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Who {
    selector: PrincipalSelector,
    name: String,
    /// Claims the class's tokens carry: a `cognito:groups` value, or a
    /// claim only administrators set.
    claims: Vec<(String, String)>,
}

impl Who {
    fn of(selector: PrincipalSelector, name: impl Into<String>) -> Who {
        Who {
            selector,
            name: name.into(),
            claims: Vec::new(),
        }
    }

    /// `--fail-on-new`'s name for the class.
    fn class(&self) -> &'static str {
        if self.claims.is_empty() {
            class_of(&self.selector)
        } else {
            "group"
        }
    }
}

/// The class that takes a route: members of the user pool group the route
/// needs (a Token mapping's group, a rule on `cognito:groups`), else the
/// route's principal class.
fn who_takes(inventory: &Inventory, route: &Route<'_>) -> Who {
    let class = &route.session.principal;
    let mut who = Who::of(selector_of(class), principal_short(inventory, class));
    let group = match &route.session.how {
        How::Token {
            group: Some(group), ..
        } => Some(group.clone()),
        How::Rule {
            claim,
            match_type,
            value,
            ..
        } if claim == "cognito:groups" && !match_type.eq_ignore_ascii_case("NotEqual") => {
            Some(value.clone())
        }
        _ => None,
    };
    if let (Some(group), PrincipalClass::User { .. }) = (group, class) {
        who.name = format!("{} in group `{group}`", who.name);
        who.claims = vec![("cognito:groups".to_string(), group)];
        return who;
    }
    // A rule on a claim only administrators set (an attribute users cannot
    // write): its route is taken by the users an administrator gave that
    // value, asked with the claim pinned. A `NotEqual` rule has no one value
    // to pin; its route is asked of the role itself.
    if let (
        How::Rule {
            claim,
            match_type,
            value,
            ..
        },
        PrincipalClass::User { .. },
        TakenBy::Administered { .. },
    ) = (&route.session.how, class, &route.taken_by)
        && !match_type.eq_ignore_ascii_case("NotEqual")
    {
        who.name = format!(
            "{} with `{claim}` = `{value}` (set by an administrator)",
            who.name
        );
        who.claims = vec![(claim.clone(), value.clone())];
    }
    who
}

/// Who may be decided by a policy: guests and users of each pool and
/// provider that has a route (and the members of each group a route
/// needs), identities of other pools always; the role itself for its own
/// policies; anonymous requests and the other accounts the inputs name for
/// resource policies.
fn selectors_for(held: &Held<'_>, cognito: &[Who], accounts: &[Who]) -> Vec<Who> {
    let mut out = cognito.to_vec();
    out.push(Who::of(PrincipalSelector::External, "external"));
    match held.role_arn {
        Some(arn) => out.push(Who::of(
            PrincipalSelector::Role(arn.to_string()),
            format!("role:{}", short_name(arn)),
        )),
        None => {
            out.push(Who::of(PrincipalSelector::Anonymous, "anonymous"));
            // A resource policy may grant other accounts directly.
            out.extend(accounts.iter().cloned());
        }
    }
    out
}

/// The guest and user classes of a version, one per pool and provider
/// with a route to a role, and one per user pool group a route needs.
fn cognito_classes(inventory: &Inventory, routes: &[Route<'_>]) -> Vec<Who> {
    let mut out: Vec<Who> = Vec::new();
    for route in routes {
        if matches!(
            route.session.principal,
            PrincipalClass::Guest { .. } | PrincipalClass::User { .. }
        ) {
            let who = who_takes(inventory, route);
            if !out
                .iter()
                .any(|w| w.selector == who.selector && w.claims == who.claims)
            {
                out.push(who);
            }
        }
    }
    out
}

/// The questions a change from `old` to `new` raises, asked of `new`.
fn candidates(
    old: &Inventory,
    new: &Inventory,
    old_routes: &[Route<'_>],
    new_routes: &[Route<'_>],
) -> Vec<Candidate> {
    let mut out = Vec::new();
    let cognito = cognito_classes(new, new_routes);
    let accounts: Vec<Who> = sessions::foreign_accounts(new)
        .into_iter()
        .map(|(id, _)| {
            Who::of(
                PrincipalSelector::Account(id.clone()),
                format!("account:{id}"),
            )
        })
        .collect();
    let old_held = held_policies(old);
    let mut old_atoms: BTreeMap<&str, Vec<Atom<'_>>> = BTreeMap::new();
    for held in &old_held {
        old_atoms
            .entry(held.key.as_str())
            .or_default()
            .extend(atoms(held.policy));
    }
    for held in held_policies(new) {
        let new_atoms = atoms(held.policy);
        let before = old_atoms.get(held.key.as_str());
        let before_keys: BTreeSet<&str> = before
            .map(|atoms| atoms.iter().map(|a| a.key.as_str()).collect())
            .unwrap_or_default();
        let after_keys: BTreeSet<&str> = new_atoms.iter().map(|a| a.key.as_str()).collect();
        let selectors = selectors_for(&held, &cognito, &accounts);
        for atom in &new_atoms {
            if atom.effect != Effect::Allow || before_keys.contains(atom.key.as_str()) {
                continue;
            }
            let label = format!("{} differs from the other version", atom.statement.label());
            for selector in &selectors {
                questions(
                    atom,
                    selector,
                    (&atom.statement.loc, &held.at),
                    &label,
                    &mut out,
                );
            }
        }
        // What the old version granted only to the caller's own identity,
        // asked about another identity; and denials dropped.
        for atom in before.into_iter().flatten() {
            if after_keys.contains(atom.key.as_str()) {
                continue;
            }
            let keyed = atom.resource.is_some_and(keyed_by_identity)
                || atom.statement.conditions.iter().any(|c| {
                    c.values
                        .iter()
                        .any(|v| keyed_by_identity(&v.value.template))
                });
            let wanted = match atom.effect {
                Effect::Allow => keyed,
                Effect::Deny => true,
            };
            if !wanted {
                continue;
            }
            let label = match atom.effect {
                Effect::Allow => format!(
                    "{} no longer keys this access by identity",
                    policy_label(&held)
                ),
                Effect::Deny => format!("{} no longer has a Deny it had", policy_label(&held)),
            };
            // The change is best shown at a statement new in this version
            // of the policy, when there is one.
            let at = new_atoms
                .iter()
                .find(|a| !before_keys.contains(a.key.as_str()))
                .map(|a| &a.statement.loc)
                .unwrap_or(&held.at);
            for selector in &selectors {
                questions(atom, selector, (at, &held.at), &label, &mut out);
            }
        }
    }
    // Policies the new version no longer has at all: their denials are
    // gone (their grants are the other direction's removed access).
    let new_keys: BTreeSet<String> = held_policies(new).into_iter().map(|h| h.key).collect();
    for held in old_held.iter().filter(|h| !new_keys.contains(&h.key)) {
        let label = format!(
            "{} is gone from the other version, with its Deny",
            policy_label(held)
        );
        let selectors = selectors_for(held, &cognito, &accounts);
        for atom in atoms(held.policy) {
            if atom.effect == Effect::Deny {
                for selector in &selectors {
                    questions(&atom, selector, (&held.at, &held.at), &label, &mut out);
                }
            }
        }
    }
    // Routes that appeared: every grant of their role, for their class.
    // A route an outsider now takes alone (a claim became writable, self
    // sign-up opened) is new to outsiders, though it existed before.
    let taken = |r: &Route<'_>| format!("{}|{}", route_key(r), r.taken_by.kind());
    let old_keys: BTreeSet<String> = old_routes
        .iter()
        .filter(|r| r.session.blocked.is_none())
        .map(taken)
        .collect();
    // Routes through self-administration last: a role they reach that a
    // changed mapping now hands out too is drawn on the mapping.
    let self_administered = |r: &&Route<'_>| matches!(r.session.how, How::SelfAdministered { .. });
    let ordered = new_routes
        .iter()
        .filter(|r| !self_administered(r))
        .chain(new_routes.iter().filter(self_administered));
    for route in ordered {
        if route.session.blocked.is_some() || old_keys.contains(&taken(route)) {
            continue;
        }
        let Some(role) = route.session.role.as_ref().and_then(|r| r.role()) else {
            continue;
        };
        let Some(because) = cause(route) else {
            continue;
        };
        let who = who_takes(new, route);
        let label = format!(
            "new route: {} → {} ({})",
            principal_short(new, &route.session.principal),
            role.name,
            how_text(&route.session)
        );
        for reference in new.role_policies(role) {
            if let PolicyRef::Known { policy, .. } = reference {
                for atom in atoms(policy) {
                    if atom.effect == Effect::Allow {
                        questions(&atom, &who, (because, because), &label, &mut out);
                    }
                }
            }
        }
    }
    out
}

fn policy_label(held: &Held<'_>) -> String {
    format!("policy `{}`", held.policy.name)
}

/// The questions of one atom for one selector: its action on its resource
/// (the identity id variable as `{self}`, other variables as `*`), and,
/// for Cognito identities, on another identity's data where the atom keys
/// by identity (resource or condition).
fn questions(
    atom: &Atom<'_>,
    who: &Who,
    (because, group): (&Location, &Location),
    label: &str,
    out: &mut Vec<Candidate>,
) {
    let action = atom.action.clone().unwrap_or_else(|| "*".to_string());
    let cognito = matches!(
        who.selector,
        PrincipalSelector::Guest { .. } | PrincipalSelector::User { .. }
    );
    // A dropped Deny applied under its conditions: ask about requests that
    // meet them, where they are plain equalities.
    let exact: Vec<(String, String)> = match atom.effect {
        Effect::Allow => Vec::new(),
        Effect::Deny => atom
            .statement
            .conditions
            .iter()
            .filter(|c| {
                let op = c.operator.value;
                op.set.is_none()
                    && !op.if_exists
                    && matches!(
                        op.base,
                        BaseOperator::StringEquals
                            | BaseOperator::StringEqualsIgnoreCase
                            | BaseOperator::Bool
                            | BaseOperator::ArnEquals
                            | BaseOperator::NumericEquals
                    )
                    && c.values.len() == 1
            })
            .filter_map(|c| {
                let value = &c.values[0].value;
                let literal = value
                    .template
                    .parts
                    .iter()
                    .all(|p| matches!(p, crate::policy::TemplatePart::Literal(_)));
                (literal && !value.text.contains(['{', '}', '*', '?']))
                    .then(|| (c.key.value.clone(), value.text.clone()))
            })
            .collect(),
    };
    let mut push = |resource: String, includes: Vec<(String, String)>| {
        for resource in concrete_resources(&action, &resource) {
            out.push(Candidate {
                selector: who.selector.clone(),
                name: who.name.clone(),
                class: who.class(),
                claims: who.claims.clone(),
                action: action.clone(),
                resource,
                includes: includes.clone(),
                exact: exact.clone(),
                because: because.clone(),
                because_label: label.to_string(),
                group: group.clone(),
            });
        }
    };
    let Some(template) = atom.resource else {
        push("*".to_string(), Vec::new());
        return;
    };
    let Some(own) = pattern(template, "{self}") else {
        return;
    };
    push(own.clone(), Vec::new());
    if !cognito {
        return;
    }
    if keyed_by_identity(template)
        && let Some(other) = pattern(template, "{other}")
    {
        push(other, Vec::new());
    }
    for condition in &atom.statement.conditions {
        let leading = condition
            .key
            .value
            .eq_ignore_ascii_case("dynamodb:LeadingKeys");
        let Some(value) = condition.values.iter().find(|v| {
            v.value.template.parts.iter().any(|p| {
                matches!(p, crate::policy::TemplatePart::Variable { key, .. }
                    if key.eq_ignore_ascii_case(IDENTITY_ID))
            })
        }) else {
            continue;
        };
        let Some(text) = pattern(&value.value.template, "{other}") else {
            continue;
        };
        if leading || !text.contains('*') {
            push(own.clone(), vec![(condition.key.value.clone(), text)]);
        }
    }
}

/// Where a route is decided: the mapping rule, the basic-flow setting, the
/// trust statement that admits a token of any pool or a chained caller,
/// the default role; else the first place the route names.
fn cause<'r>(route: &'r Route<'_>) -> Option<&'r Location> {
    let wanted = |loc: &&Location| {
        let pointer: &str = &loc.pointer;
        match &route.session.how {
            How::Rule { .. } => pointer.contains("/RulesConfiguration/Rules/"),
            How::ClassicFlow => pointer.ends_with("/AllowClassicFlow"),
            How::ForeignPool | How::AssumeRole { .. } => {
                pointer.contains("AssumeRolePolicyDocument")
            }
            How::DefaultRole { .. } => pointer.contains("/Roles/"),
            _ => false,
        }
    };
    let locations = &route.session.locations;
    locations.iter().find(wanted).or(locations.first())
}

/// A route's identity across versions: principal class (by ids, so a
/// renamed pool is the same class), role, flow, how and chain.
fn route_key(route: &Route<'_>) -> String {
    format!(
        "{:?}|{}|{}|{}|{}",
        route.session.principal,
        route
            .session
            .role
            .as_ref()
            .and_then(|r| r.arn())
            .unwrap_or("-"),
        route.session.flow,
        how_text(&route.session),
        route.session.chain.join(">")
    )
}

fn appeared(
    base: &Inventory,
    head: &Inventory,
    base_routes: &[Route<'_>],
    head_routes: &[Route<'_>],
) -> Vec<Appeared> {
    let mut out = Vec::new();
    let describe = |inventory: &Inventory, route: &Route<'_>| {
        let role = route
            .session
            .role
            .as_ref()
            .map(|r| r.name())
            .unwrap_or_else(|| "(no role)".to_string());
        format!(
            "{} → {role} ({} flow; {})",
            principal_short(inventory, &route.session.principal),
            route.session.flow,
            how_text(&route.session)
        )
    };
    let keys = |routes: &[Route<'_>]| -> BTreeSet<String> {
        routes
            .iter()
            .filter(|r| r.session.blocked.is_none())
            .map(route_key)
            .collect()
    };
    let base_keys = keys(base_routes);
    let head_keys = keys(head_routes);
    for (added, inventory, routes, others) in [
        (true, head, head_routes, &base_keys),
        (false, base, base_routes, &head_keys),
    ] {
        let mut seen = BTreeSet::new();
        for route in routes.iter().filter(|r| r.session.blocked.is_none()) {
            let key = route_key(route);
            if others.contains(&key) || !seen.insert(key) {
                continue;
            }
            out.push(Appeared {
                kind: "route",
                added,
                text: describe(inventory, route),
                locations: cause(route).into_iter().cloned().collect(),
            });
        }
    }
    // Principal classes with a route in one version only (a new pool, a
    // new login provider, an account a trust now names).
    let classes = |routes: &[Route<'_>]| -> BTreeSet<String> {
        routes
            .iter()
            .filter(|r| r.session.blocked.is_none())
            .map(|r| format!("{:?}", r.session.principal))
            .collect()
    };
    let (base_classes, head_classes) = (classes(base_routes), classes(head_routes));
    for (added, inventory, routes, others) in [
        (true, head, head_routes, &base_classes),
        (false, base, base_routes, &head_classes),
    ] {
        let mut seen = BTreeSet::new();
        for route in routes.iter().filter(|r| r.session.blocked.is_none()) {
            let key = format!("{:?}", route.session.principal);
            if others.contains(&key) || !seen.insert(key) {
                continue;
            }
            out.push(Appeared {
                kind: "principal",
                added,
                text: format!(
                    "principal class {}",
                    principal_short(inventory, &route.session.principal)
                ),
                locations: route.session.locations.iter().take(1).cloned().collect(),
            });
        }
    }
    let arns = |inventory: &Inventory| -> BTreeSet<String> {
        inventory.roles().iter().map(|r| r.arn.clone()).collect()
    };
    let (base_arns, head_arns) = (arns(base), arns(head));
    for role in head.roles() {
        if !base_arns.contains(&role.arn) {
            out.push(Appeared {
                kind: "role",
                added: true,
                text: format!("role `{}`", role.arn),
                locations: vec![role.loc.clone()],
            });
        }
    }
    for role in base.roles() {
        if !head_arns.contains(&role.arn) {
            out.push(Appeared {
                kind: "role",
                added: false,
                text: format!("role `{}`", role.arn),
                locations: vec![role.loc.clone()],
            });
        }
    }
    out
}

/// Asks each candidate of `ask` and replays every witness on `other`.
/// Returns the access `other` does not allow, the undecided questions, and
/// the number of questions asked.
fn solve(
    ask: &Inventory,
    other: &Inventory,
    candidates: Vec<Candidate>,
    timeout_ms: u64,
) -> (Vec<Access>, Vec<Undecided>, usize) {
    let mut found: Vec<Access> = Vec::new();
    let mut undecided: Vec<Undecided> = Vec::new();
    let mut asked = 0;
    let mut seen = BTreeSet::new();
    // Routes are listed once per principal of each version: most
    // candidates share a handful of principals.
    let (asked_of, replayed_on) = (Batch::new(ask), Batch::new(other));
    for candidate in candidates {
        let key = format!(
            "{}|{:?}|{}|{}|{:?}|{:?}",
            candidate.selector,
            candidate.claims,
            candidate.action,
            candidate.resource,
            candidate.includes,
            candidate.exact
        );
        if !seen.insert(key) {
            continue;
        }
        let Some(question) = question(&candidate) else {
            continue;
        };
        asked += 1;
        // A question the engine does not take (the resource fits no type
        // of the action, a pool the version does not have) asks nothing.
        let Ok(report) = asked_of.query(&question, timeout_ms, Detail::Verdict) else {
            continue;
        };
        let undecided_here = |why: String| Undecided {
            class: candidate.class.to_string(),
            principal: candidate.name.clone(),
            action: candidate.action.clone(),
            resource: candidate.resource.clone(),
            why,
            because: candidate.because.clone(),
            because_label: candidate.because_label.clone(),
        };
        match report.verdict {
            Verdict::Possible => {}
            Verdict::Unknown => {
                undecided.push(undecided_here(report.summary.clone()));
                continue;
            }
            _ => continue,
        }
        let Some(witness) = report.witness else {
            continue;
        };
        // Allowed only by a policy the inputs do not hold (a stand-in
        // allowing everything), for instance on a route an escalation step
        // opened: it may or may not be new access.
        if witness
            .deciding
            .iter()
            .any(|d| d.policy.contains(sessions::trust::STAND_IN))
        {
            undecided.push(undecided_here(format!(
                "the witness request (`{}`) is allowed by a policy the inputs do not hold",
                witness.resource
            )));
            continue;
        }
        let class = candidate.class;
        if found.iter().any(|a| {
            a.class == class
                && a.witness.action == witness.action
                && a.because == candidate.because
                && a.resource == candidate.resource
        }) {
            continue;
        }
        asked += 1;
        let replay = replay_question(&candidate.selector, &candidate.claims, &witness);
        let allowed_before =
            match replay.map(|q| replayed_on.query(&q, timeout_ms, Detail::Verdict)) {
                None => {
                    undecided.push(undecided_here(format!(
                        "the witness request (`{}`) cannot be asked of the other version",
                        witness.resource
                    )));
                    continue;
                }
                // The other version has no such principal (a pool, provider or
                // role it lacks): it does not allow the request.
                Some(Err(_)) => false,
                Some(Ok(before)) => match before.verdict {
                    Verdict::Possible | Verdict::Always => true,
                    Verdict::Impossible => false,
                    Verdict::Unknown => {
                        undecided.push(undecided_here(format!(
                            "the other version could not be decided for the witness request: {}",
                            before.summary
                        )));
                        continue;
                    }
                },
            };
        if allowed_before {
            continue;
        }
        let deciding = super::check::deciding(ask, &witness);
        found.push(Access {
            class: class.to_string(),
            principal: candidate.name.clone(),
            action: candidate.action.clone(),
            resource: candidate.resource.clone(),
            witness,
            because: candidate.because.clone(),
            because_label: candidate.because_label.clone(),
            group: candidate.group.clone(),
            deciding,
        });
    }
    (found, undecided, asked)
}

fn lenient() -> Leniency {
    // The questions come from the inputs' own policies (as the audit's).
    Leniency {
        unknown_actions: true,
        unknown_keys: true,
    }
}

/// Claims as a question takes them.
fn claim_map(claims: &[(String, String)]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, value) in claims {
        out.entry(key.clone()).or_default().push(value.clone());
    }
    out
}

fn question(candidate: &Candidate) -> Option<Question> {
    let mut context: BTreeMap<String, ContextPin> = BTreeMap::new();
    for (key, value) in &candidate.includes {
        context
            .entry(key.to_ascii_lowercase())
            .or_default()
            .includes
            .push(ResourcePattern::parse(value).ok()?);
    }
    for (key, value) in &candidate.exact {
        context
            .entry(key.to_ascii_lowercase())
            .or_default()
            .exactly
            .push(ResourcePattern::parse(value).ok()?);
    }
    Some(Question {
        principal: candidate.selector.clone(),
        action: candidate.action.clone(),
        resource: ResourcePattern::parse(&candidate.resource).ok()?,
        claims: claim_map(&candidate.claims),
        context,
        expect: Some(Expectation::Possible),
        leniency: lenient(),
    })
}

/// Context keys the caller determines: the other version derives them from
/// its own route, so the replay does not pin them.
pub fn caller_determined(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    [
        "aws:principal",
        "aws:userid",
        "aws:username",
        "aws:federatedprovider",
        "aws:sourceidentity",
        "aws:tokenissuetime",
        "aws:multifactorauth",
        "aws:rolesessionname",
        "cognito-identity.amazonaws.com:",
    ]
    .iter()
    .any(|prefix| key.starts_with(prefix))
}

/// The witness request as a question: the same principal class, the
/// concrete action, resource and context, with the identity ids turned
/// back into `{self}` and `{other}` so that "another identity's data" stays
/// what it was.
fn replay_question(
    selector: &PrincipalSelector,
    claims: &[(String, String)],
    witness: &WitnessReport,
) -> Option<Question> {
    let placeholders = |text: &str| -> String {
        let mut text = text.to_string();
        if let Some(other) = &witness.other_identity_id {
            text = text.replace(other.as_str(), "{other}");
        }
        if let Some(own) = &witness.identity_id {
            text = text.replace(own.as_str(), "{self}");
        }
        text
    };
    // A question reads `*` and `?` as wildcards: a request holding one
    // cannot be asked as it is (but `*` alone is the resource `*` of
    // actions without resource-level permissions, as in a question).
    if witness.resource != "*" && witness.resource.contains(['*', '?']) {
        return None;
    }
    let mut context: BTreeMap<String, ContextPin> = BTreeMap::new();
    for (key, values) in &witness.context {
        if caller_determined(key) {
            continue;
        }
        for value in values {
            let pin = context.entry(key.to_ascii_lowercase()).or_default();
            pin.exactly
                .push(ResourcePattern::parse(&placeholders(value)).ok()?);
        }
    }
    Some(Question {
        principal: selector.clone(),
        action: witness.action.clone(),
        resource: ResourcePattern::parse(&placeholders(&witness.resource)).ok()?,
        claims: claim_map(claims),
        context,
        expect: Some(Expectation::Possible),
        leniency: lenient(),
    })
}

/// Access grouped for reporting: one group per principal and per changed
/// policy or new route, the most specific cause (a statement rather than
/// a whole policy) first.
pub fn grouped(accesses: &[Access]) -> Vec<Vec<&Access>> {
    let mut groups: Vec<Vec<&Access>> = Vec::new();
    for access in accesses {
        match groups
            .iter_mut()
            .find(|g| g[0].principal == access.principal && g[0].group == access.group)
        {
            Some(group) => group.push(access),
            None => groups.push(vec![access]),
        }
    }
    for group in &mut groups {
        // A statement rather than a whole policy, and another identity's
        // data rather than one's own, first.
        group.sort_by_key(|a| (!a.resource.contains("{other}"), a.because == a.group));
    }
    groups
}

/// Reads `--fail-on-new`: a comma-separated list of [`CLASSES`].
pub fn parse_classes(text: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for class in text.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        if !CLASSES.contains(&class) {
            return Err(class.to_string());
        }
        out.push(class.to_string());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::PolicyKind;
    use crate::policy::parse::parse_policy_text;

    fn keys(text: &str) -> BTreeSet<String> {
        let parsed =
            parse_policy_text("p.json", text, PolicyKind::Identity).expect("usable policy");
        atoms(&parsed.policy).into_iter().map(|a| a.key).collect()
    }

    // A refactoring (statements merged, split, reordered, Sids changed)
    // keeps the atoms; a changed operator does not.
    #[test]
    fn atoms_survive_refactoring_but_not_a_changed_condition() {
        let merged = keys(
            r#"{"Version":"2012-10-17","Statement":[
                {"Sid":"A","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],
                 "Resource":["arn:aws:s3:::b/x/*","arn:aws:s3:::b/y/*"]}]}"#,
        );
        let split = keys(
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":"s3:PutObject","Resource":["arn:aws:s3:::b/y/*","arn:aws:s3:::b/x/*"]},
                {"Sid":"B","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/x/*"},
                {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/y/*"}]}"#,
        );
        assert_eq!(merged, split);
        assert_eq!(merged.len(), 4);
        let all = keys(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:GetItem",
                "Resource":"*","Condition":{"ForAllValues:StringEquals":
                {"dynamodb:LeadingKeys":"${cognito-identity.amazonaws.com:sub}"}}}]}"#,
        );
        let any = keys(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:GetItem",
                "Resource":"*","Condition":{"ForAnyValue:StringEquals":
                {"dynamodb:LeadingKeys":"${cognito-identity.amazonaws.com:sub}"}}}]}"#,
        );
        assert_ne!(all, any);
    }

    #[test]
    fn fail_on_new_classes_are_checked() {
        assert_eq!(
            parse_classes("guest, user").expect("valid"),
            vec!["guest".to_string(), "user".to_string()]
        );
        assert_eq!(parse_classes("guests").expect_err("invalid"), "guests");
    }
}
