//! From a [`Problem`] to a formula: satisfiable iff some request matching
//! the question is allowed (for `ForAll`: iff some matching request is not
//! allowed). No z3 here.
//!
//! Mirrors [`crate::eval::decide`] for the policies given:
//! - statements are sliced in Rust first: the action is concrete, so
//!   (Not)Action is decided with [`action_matches`]; the caller is concrete,
//!   so (Not)Principal is decided with [`principal_applies`]; a `Resource`
//!   whose patterns cannot overlap the question's resource (glob
//!   intersection, placeholders and variables read as `*`) cannot apply;
//! - (Not)Resource entries and `Arn*` values are matched component by
//!   component as [`crate::policy::pattern::arn_matches`] does;
//! - every condition operator, `IfExists`, `Null`, `ForAllValues:` /
//!   `ForAnyValue:`, negated operators (NOR over values), policy variables
//!   with defaults, as [`crate::eval::condition_holds`] reads them;
//! - explicit deny, RCP/SCP levels, identity ∪ resource within an account,
//!   ∩ across accounts, permissions boundary and session policies, and how
//!   a resource policy named the caller ([`Grantee`]).
//!
//! The request is symbolic: the resource (from the question's pattern), the
//! identity ids, attacker-controlled principal tags, and every context key a
//! relevant statement reads that the caller does not determine. Where a
//! construct cannot be expressed exactly (e.g. `BinaryEquals`, a symbolic
//! value with wildcard characters substituted into a pattern) it is replaced
//! by a fresh boolean — an over-approximation, so "unsatisfiable" stays a
//! proof; a witness that used it must replay, or the answer is unknown.
//!
//! Hands on [`Compiled`]: variables, axioms, the goal, tracking literals per
//! statement, refinements, and the plan for rendering a witness.

use std::collections::{BTreeMap, BTreeSet};

use crate::eval::request::{COGNITO_SUB, Context, ContextValue};
use crate::eval::{
    AssumptionKind, CallerKind, Grantee, PolicyRole, Request, ResourcePolicyKind, principal_applies,
};
use crate::policy::arn::{Arn, split_components};
use crate::policy::catalogue::Catalogue;
use crate::policy::pattern::{action_matches, arn_matches};
use crate::policy::value::{parse_bool, parse_date, parse_ip_network, parse_number};
use crate::policy::{
    BaseOperator, Condition, Effect, Policy, SetQualifier, Statement, Template, TemplatePart,
    ValueType,
};
use crate::query::{IdSlot, PatternPart, ResourcePattern};

use super::term::{
    Cmp, Formula, GlobPart, Num, Re, Sort, Str, TRUE, VarId, Vars, glob, glob_parts_of,
};
use super::{Blocker, Problem, Quantifier};

/// Most free values a multivalued key gets beyond its pinned ones. The
/// exact need is one per condition atom on the key (see [`key_slots`]);
/// more atoms than this are capped, and an "impossible" found under the cap
/// is reported as unknown.
pub const MAX_FREE_SLOTS: usize = 8;

/// Most keys of symbolic presence split into cases in one `NotResource`
/// entry (see `Compiler::matches_for_some_value`).
const MAX_PRESENCE_CASES: usize = 3;

/// A construct the encoding does not support at all; the answer is unknown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsupported(pub String);

/// The formula of a problem and what is needed to read a model back.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub vars: Vars,
    /// Facts about the request space, asserted in every check.
    pub axioms: Vec<Formula>,
    /// Satisfiable iff the answer is "possible" (Exists) or "not always"
    /// (ForAll).
    pub goal: Formula,
    /// One literal per statement that can apply (Exists only): assumed true
    /// in the check; an unsat core names the statements that block.
    pub tracked: Vec<(VarId, Blocker)>,
    pub ids: Option<IdVars>,
    /// Constraints that make abstracted constructs exact (symbolic values
    /// without wildcard characters); added when a witness fails to replay.
    pub refinements: Vec<Formula>,
    /// Why constructs were abstracted by free booleans, for the unknown
    /// reason when no witness replays.
    pub abstracted: Vec<String>,
    /// The free booleans themselves; the exact step sets them false.
    pub abstraction_vars: Vec<VarId>,
    /// Free booleans for behaviour AWS's documentation does not settle, one per
    /// statement that depends on it: free in every step that proves, so
    /// "impossible" and "always" hold under any reading; the exact step
    /// fixes each to the evaluator's reading.
    pub assumptions: Vec<AssumptionVar>,
    /// Keys whose number of values was capped ([`MAX_FREE_SLOTS`]).
    pub capped: Vec<String>,
    pub plan: WitnessPlan,
}

/// One statement's free choice on an undocumented corner.
#[derive(Clone, Debug)]
pub struct AssumptionVar {
    pub var: VarId,
    pub kind: AssumptionKind,
    /// The evaluator's reading as a formula over the request: the value
    /// `var` has when [`crate::eval::decide`] decides.
    pub reading: Formula,
    /// The statement, for reasons: "statement `Sid` of the identity-based
    /// policy `P`".
    pub place: String,
}

/// The identity-id variables.
#[derive(Clone, Debug)]
pub struct IdVars {
    pub own: VarId,
    pub other: Option<VarId>,
    pub region: String,
}

impl IdVars {
    /// `REGION:` + a 36-character GUID.
    pub fn length(&self) -> usize {
        self.region.chars().count() + 1 + 36
    }
}

/// How to render the witness request from a model.
#[derive(Clone, Debug)]
pub struct WitnessPlan {
    pub resource: Str,
    pub keys: Vec<KeyPlan>,
    /// Attacker-chosen principal tags: tag key and value variable.
    pub free_tags: Vec<(String, VarId)>,
    /// Keys the caller would supply that the question pins absent.
    pub absent: Vec<String>,
}

/// One context key the witness sets.
#[derive(Clone, Debug)]
pub struct KeyPlan {
    /// The key as first written.
    pub name: String,
    pub multi: bool,
    /// Slots in order, each with the formula saying it is in use.
    pub slots: Vec<(Formula, Slot)>,
}

/// One value of a context key.
#[derive(Clone, Debug)]
pub enum Slot {
    Str(Str),
    /// A number scaled by `10^scale`; `valid` false: text that is no number.
    Number {
        valid: VarId,
        scaled: VarId,
        scale: u32,
    },
    /// Milliseconds since the epoch.
    Date {
        valid: VarId,
        millis: VarId,
    },
    Bool {
        valid: VarId,
        value: VarId,
    },
    /// An address or network: family, 128 bits (IPv4 in the low 32), and
    /// prefix length.
    Ip {
        valid: VarId,
        v6: VarId,
        bits: VarId,
        prefix: VarId,
    },
}

#[cfg(test)]
thread_local! {
    /// Property tests set this so pinned literals reach the solver as
    /// variables (see [`Compiler::opaque`]).
    pub(crate) static OPAQUE_LITERALS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Builds the formula of `problem`.
pub fn compile(problem: &Problem<'_>) -> Result<Compiled, Unsupported> {
    Compiler::new(problem)?.run()
}

// ------------------------------------------------------------- resources

/// A resource or ARN-valued context value as the matcher sees it.
#[derive(Clone, Debug)]
enum ArnValue {
    /// Six components (`arn`, partition, service, region, account,
    /// resource).
    Parts(Vec<Str>),
    /// A concrete value that is not an ARN (fewer than six components).
    NotArn(String),
    /// A symbolic value whose components are not known.
    Opaque(Str),
}

impl ArnValue {
    fn of_literal(text: &str) -> ArnValue {
        let parts = split_components(text);
        if parts.len() < 6 {
            ArnValue::NotArn(text.to_string())
        } else {
            ArnValue::Parts(parts.into_iter().map(Str::lit).collect())
        }
    }

    fn of_term(term: &Str) -> ArnValue {
        match term.as_lit() {
            Some(text) => ArnValue::of_literal(text),
            None => ArnValue::Opaque(term.clone()),
        }
    }
}

/// A part of a substituted template: literal text (wildcards still
/// wildcards) or a symbolic value.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Lit(String),
    Sym(Str),
}

/// A policy value or resource entry after substitution: defined when every
/// variable without a default has a value.
#[derive(Clone, Debug)]
struct Substituted {
    defined: Formula,
    pieces: Vec<Piece>,
}

impl Substituted {
    fn literal(&self) -> Option<String> {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Lit(text) => out.push_str(text),
                Piece::Sym(Str::Lit(text)) => out.push_str(text),
                Piece::Sym(_) => return None,
            }
        }
        Some(out)
    }

    fn term(&self) -> Str {
        Str::concat(self.pieces.iter().map(|p| match p {
            Piece::Lit(text) => Str::lit(text),
            Piece::Sym(term) => term.clone(),
        }))
    }
}

// ------------------------------------------------------------ context keys

/// What the relevant statements do with one context key.
#[derive(Clone, Debug, Default)]
struct KeyUse {
    name: String,
    types: BTreeSet<TypeFamily>,
    set_operator: bool,
    /// Condition entries on the key other than `Null`.
    atoms: usize,
    variable: bool,
    /// Largest number of decimal places among numeric values for the key.
    scale: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum TypeFamily {
    String,
    Numeric,
    Date,
    Bool,
    Ip,
    Binary,
}

fn family(ty: ValueType) -> Option<TypeFamily> {
    match ty {
        ValueType::String | ValueType::Arn => Some(TypeFamily::String),
        ValueType::Numeric => Some(TypeFamily::Numeric),
        ValueType::Date => Some(TypeFamily::Date),
        ValueType::Bool => Some(TypeFamily::Bool),
        ValueType::Ip => Some(TypeFamily::Ip),
        ValueType::Binary => Some(TypeFamily::Binary),
        ValueType::Null => None,
    }
}

/// The model of one context key: presence and values.
#[derive(Clone, Debug)]
struct KeyModel {
    present: Formula,
    /// Single-valued (a policy variable can read it).
    single: bool,
    slots: Vec<(Formula, Slot)>,
}

/// Keys that follow from the principal (see `Request::resolved_context`);
/// the attacker does not choose them.
fn caller_determined(key: &str) -> bool {
    const KEYS: [&str; 11] = [
        "aws:principalaccount",
        "aws:principalarn",
        "aws:principaltype",
        "aws:principalisawsservice",
        "aws:principalservicename",
        "aws:userid",
        "aws:username",
        "cognito-identity.amazonaws.com:sub",
        "cognito-identity.amazonaws.com:aud",
        "cognito-identity.amazonaws.com:amr",
        "aws:federatedprovider",
    ];
    KEYS.contains(&key) || key.starts_with("aws:principaltag/")
}

/// One statement's formula and how its Principal named the caller.
struct StatementFormula {
    applies: Formula,
    grantee: Option<Grantee>,
}

struct PolicyOutcome {
    role: PolicyRole,
    allows: Formula,
    denies: Formula,
    /// Resource policies: allows by the grantee of each statement.
    granted: Vec<(Grantee, Formula)>,
}

struct Compiler<'a, 'p> {
    problem: &'a Problem<'p>,
    caller: crate::eval::Caller,
    vars: Vars,
    axioms: Vec<Formula>,
    refinements: Vec<Formula>,
    abstracted: Vec<String>,
    abstraction_vars: Vec<VarId>,
    assumptions: Vec<AssumptionVar>,
    capped: Vec<String>,
    ids: Option<IdVars>,
    resource: ArnValue,
    resource_term: Str,
    keys: BTreeMap<String, KeyModel>,
    plan_keys: Vec<KeyPlan>,
    free_tags: Vec<(String, VarId)>,
    absent: Vec<String>,
    tracked: Vec<(VarId, Blocker)>,
    track: bool,
}

impl<'a, 'p> Compiler<'a, 'p> {
    fn new(problem: &'a Problem<'p>) -> Result<Compiler<'a, 'p>, Unsupported> {
        let mut caller = problem.caller.clone();
        if problem.policies.boundary.is_some() {
            caller.has_boundary = true;
        }
        // A caller that is no Cognito identity (anonymous, another account,
        // a role) keeps no Cognito keys: `{self}` and `{other}` are then
        // only ids of some identity of the pool, for the resource.
        let mut compiler = Compiler {
            problem,
            caller,
            vars: Vars::default(),
            axioms: Vec::new(),
            refinements: Vec::new(),
            abstracted: Vec::new(),
            abstraction_vars: Vec::new(),
            assumptions: Vec::new(),
            capped: Vec::new(),
            ids: None,
            resource: ArnValue::NotArn(String::new()),
            resource_term: Str::lit(""),
            keys: BTreeMap::new(),
            plan_keys: Vec::new(),
            free_tags: Vec::new(),
            absent: Vec::new(),
            tracked: Vec::new(),
            track: problem.quantifier == Quantifier::Exists,
        };
        compiler.identity_ids()?;
        compiler.question_resource()?;
        Ok(compiler)
    }

    fn run(mut self) -> Result<Compiled, Unsupported> {
        let considered = self.considered();
        let mut relevant: Vec<(usize, &Statement)> = Vec::new();
        for (index, (_, policy)) in considered.iter().enumerate() {
            for statement in &policy.statements {
                if self.may_apply(statement) {
                    relevant.push((index, statement));
                }
            }
        }
        self.context_keys(relevant.iter().map(|(_, s)| *s))?;

        let mut outcomes: Vec<PolicyOutcome> = considered
            .iter()
            .map(|(role, _)| PolicyOutcome {
                role: *role,
                allows: Formula::Const(false),
                denies: Formula::Const(false),
                granted: Vec::new(),
            })
            .collect();
        for (index, statement) in relevant {
            let (role, policy) = considered[index];
            let place = format!("{} of the {role} `{}`", statement.label(), policy.name);
            let Some(formula) = self.statement(statement, &place)? else {
                continue;
            };
            let applies = if self.track {
                let literal = self.vars.fresh(
                    format!("track:{}#{}", policy.name, statement.index),
                    Sort::Bool,
                );
                self.tracked.push((
                    literal,
                    Blocker {
                        policy: policy.name.clone(),
                        role,
                        statement: statement.index,
                        label: statement.label(),
                        location: statement.loc.clone(),
                    },
                ));
                match statement.effect.value {
                    // Without its literal a Deny never applies and an Allow
                    // applies whatever its resource and conditions say, so
                    // a core names the limits the proof needed.
                    Effect::Deny => Formula::and([Formula::var(literal), formula.applies]),
                    Effect::Allow => {
                        Formula::or([formula.applies, Formula::not(Formula::var(literal))])
                    }
                }
            } else {
                formula.applies
            };
            let outcome = &mut outcomes[index];
            match statement.effect.value {
                Effect::Allow => {
                    outcome.allows = Formula::or([
                        std::mem::replace(&mut outcome.allows, TRUE),
                        applies.clone(),
                    ]);
                    if let Some(grantee) = formula.grantee {
                        outcome.granted.push((grantee, applies));
                    }
                }
                Effect::Deny => {
                    outcome.denies =
                        Formula::or([std::mem::replace(&mut outcome.denies, TRUE), applies]);
                }
            }
        }
        let allowed = self.combine(&outcomes);
        let goal = match self.problem.quantifier {
            Quantifier::Exists => allowed,
            Quantifier::ForAll => Formula::not(allowed),
        };
        Ok(Compiled {
            vars: self.vars,
            axioms: self.axioms,
            goal,
            tracked: self.tracked,
            ids: self.ids,
            refinements: self.refinements,
            abstracted: self.abstracted,
            abstraction_vars: self.abstraction_vars,
            assumptions: self.assumptions,
            capped: self.capped,
            plan: WitnessPlan {
                resource: self.resource_term,
                keys: self.plan_keys,
                free_tags: self.free_tags,
                absent: self.absent,
            },
        })
    }

    /// A literal as itself, or — in property tests that want the solver,
    /// not constant folding, to do the matching — as a variable equal to it.
    fn opaque(&mut self, term: Str, label: &str) -> Str {
        #[cfg(test)]
        if OPAQUE_LITERALS.with(std::cell::Cell::get) && term.as_lit().is_some() {
            let var = self.vars.fresh(format!("{label}:opaque"), Sort::String);
            self.axioms.push(Formula::StrEq(Str::Var(var), term));
            return Str::Var(var);
        }
        let _ = label;
        term
    }

    /// A fresh boolean standing for a construct that is not encoded
    /// exactly.
    fn abstraction(&mut self, reason: String) -> Formula {
        let id = self.vars.fresh(format!("abstract:{reason}"), Sort::Bool);
        self.abstraction_vars.push(id);
        if !self.abstracted.contains(&reason) {
            self.abstracted.push(reason);
        }
        Formula::var(id)
    }

    // ---------------------------------------------------------- the request

    fn identity_ids(&mut self) -> Result<(), Unsupported> {
        let mentions = |slot: IdSlot| {
            self.problem.resource.slots().any(|s| s == slot)
                || self.problem.context.values().any(|pin| {
                    pin.exactly
                        .iter()
                        .chain(&pin.includes)
                        .any(|p| p.slots().any(|s| s == slot))
                })
        };
        let wants_other = mentions(IdSlot::Other);
        let Some(space) = &self.problem.identity else {
            if wants_other || mentions(IdSlot::Own) {
                return Err(Unsupported(
                    "`{self}` and `{other}` need a Cognito identity caller".to_string(),
                ));
            }
            return Ok(());
        };
        let own = self.vars.fresh("id:self", Sort::String);
        let other = wants_other.then(|| self.vars.fresh("id:other", Sort::String));
        let ids = IdVars {
            own,
            other,
            region: space.region.clone(),
        };
        // The abstraction of identity ids: distinct strings, no more (the
        // solver adds their length and shape only when a step needs it).
        // Patterns read an id as literal text, which is exact for every
        // real id (they hold no `*` or `?`); what the formula says about
        // other strings does not matter, as no request has them.
        if let Some(other) = other {
            self.axioms.push(Formula::not(Formula::str_eq(
                Str::Var(own),
                Str::Var(other),
            )));
        }
        self.ids = Some(ids);
        Ok(())
    }

    fn id_term(&self, slot: IdSlot) -> Result<Str, Unsupported> {
        let ids = self.ids.as_ref().ok_or_else(|| {
            Unsupported("`{self}` and `{other}` need a Cognito identity caller".to_string())
        })?;
        match slot {
            IdSlot::Own => Ok(Str::Var(ids.own)),
            IdSlot::Other => ids.other.map(Str::Var).ok_or_else(|| {
                Unsupported("internal error: `{other}` has no variable".to_string())
            }),
        }
    }

    /// A question pattern as a term: `*` a fresh string, `?` a fresh
    /// one-character string, placeholders the id variables. With `in_arn`
    /// the pattern is split into the six ARN components, and wildcards
    /// before the resource part do not span `:`.
    fn pattern_term(
        &mut self,
        pattern: &ResourcePattern,
        label: &str,
    ) -> Result<Vec<Str>, Unsupported> {
        let mut components: Vec<Vec<Str>> = vec![Vec::new()];
        for part in &pattern.parts {
            match part {
                PatternPart::Id(slot) => {
                    let term = self.id_term(*slot)?;
                    components.last_mut().expect("one component").push(term);
                }
                PatternPart::Text(text) => {
                    for c in text.chars() {
                        let leading = components.len() < 6;
                        match c {
                            ':' if leading => components.push(Vec::new()),
                            '*' | '?' => {
                                let var = self.vars.fresh(
                                    format!("{label}:{}", if c == '*' { "any" } else { "one" }),
                                    Sort::String,
                                );
                                let term = Str::Var(var);
                                if c == '?' {
                                    self.axioms.push(Formula::cmp(
                                        term.len(),
                                        Cmp::Eq,
                                        Num::Lit(1),
                                    ));
                                }
                                if leading {
                                    self.axioms.push(Formula::not(Formula::Contains(
                                        term.clone(),
                                        Str::lit(":"),
                                    )));
                                }
                                components.last_mut().expect("one component").push(term);
                            }
                            _ => components
                                .last_mut()
                                .expect("one component")
                                .push(Str::Lit(c.to_string())),
                        }
                    }
                }
            }
        }
        Ok(components.into_iter().map(Str::concat).collect())
    }

    fn question_resource(&mut self) -> Result<(), Unsupported> {
        let pattern = &self.problem.resource;
        if let [PatternPart::Text(text)] = pattern.parts.as_slice()
            && text == "*"
        {
            self.resource = ArnValue::NotArn("*".to_string());
            self.resource_term = Str::lit("*");
            return Ok(());
        }
        let components = self.pattern_term(pattern, "resource")?;
        let components: Vec<Str> = components
            .into_iter()
            .map(|c| self.opaque(c, "resource"))
            .collect();
        if components.len() < 6 {
            let term = Str::concat(components.iter().enumerate().flat_map(|(i, c)| {
                let sep = if i == 0 { "" } else { ":" };
                [Str::lit(sep), c.clone()]
            }));
            return match term.as_lit() {
                Some(text) => {
                    self.resource = ArnValue::NotArn(text.to_string());
                    self.resource_term = term.clone();
                    Ok(())
                }
                None => Err(Unsupported(format!(
                    "resource pattern `{pattern}` must spell out the six parts of an ARN \
                     (`arn:partition:service:region:account:resource`)"
                ))),
            };
        }
        // Requests name well-formed ARNs: partition, service and resource
        // are never empty (IAM User Guide, "Identify AWS resources with
        // ARNs"), so a `*` there is not read as "nothing".
        for i in [1, 2, 5] {
            if components[i].as_lit().is_none() {
                self.axioms.push(Formula::not(Formula::str_eq(
                    components[i].clone(),
                    Str::lit(""),
                )));
            }
        }
        self.resource_term = join_components(&components);
        self.resource = ArnValue::Parts(components);
        Ok(())
    }

    // ------------------------------------------------------------ slicing

    /// The policies `decide` considers for this caller, with their roles.
    fn considered(&self) -> Vec<(PolicyRole, &'p Policy)> {
        let set = &self.problem.policies;
        let account_principal = self.caller.is_account_principal();
        let scps_apply = account_principal && !set.scps.is_empty();
        let rcps_apply =
            !matches!(self.caller.kind, CallerKind::Service { .. }) && !set.rcps.is_empty();
        let mut out = Vec::new();
        if rcps_apply {
            for (level, policies) in set.rcps.iter().enumerate() {
                out.extend(policies.iter().map(|p| (PolicyRole::Rcp { level }, *p)));
            }
        }
        if scps_apply {
            for (level, policies) in set.scps.iter().enumerate() {
                out.extend(policies.iter().map(|p| (PolicyRole::Scp { level }, *p)));
            }
        }
        if let Some(resource) = &set.resource {
            let role = match resource.kind {
                ResourcePolicyKind::Resource => PolicyRole::Resource,
                ResourcePolicyKind::Trust => PolicyRole::Trust,
                ResourcePolicyKind::KeyPolicy => PolicyRole::KeyPolicy,
            };
            out.push((role, resource.policy));
        }
        if account_principal {
            out.extend(set.identity.iter().map(|p| (PolicyRole::Identity, *p)));
            if let Some(boundary) = set.boundary {
                out.push((PolicyRole::PermissionsBoundary, boundary));
            }
            out.extend(set.session.iter().map(|p| (PolicyRole::Session, *p)));
        }
        out
    }

    /// Whether the statement can apply at all: action and principal are
    /// concrete; a Resource must overlap the question's resource.
    fn may_apply(&self, statement: &Statement) -> bool {
        let action = &statement.action;
        let matched = action
            .patterns
            .iter()
            .any(|p| action_matches(&p.value, &self.problem.action));
        if matched == action.negated {
            return false;
        }
        if let Some(element) = &statement.principal
            && principal_applies(element, &self.caller, statement.effect.value).is_none()
        {
            return false;
        }
        match &statement.resource {
            Some(element) if !element.negated => element
                .patterns
                .iter()
                .any(|p| may_overlap(&p.value, &self.problem.resource)),
            _ => true,
        }
    }

    // ------------------------------------------------------- context keys

    fn context_keys<'s>(
        &mut self,
        statements: impl Iterator<Item = &'s Statement>,
    ) -> Result<(), Unsupported> {
        let mut uses: BTreeMap<String, KeyUse> = BTreeMap::new();
        fn entry<'u>(uses: &'u mut BTreeMap<String, KeyUse>, key: &str) -> &'u mut KeyUse {
            uses.entry(key.to_ascii_lowercase())
                .or_insert_with(|| KeyUse {
                    name: key.to_string(),
                    ..KeyUse::default()
                })
        }
        let variables = |template: &Template, uses: &mut BTreeMap<String, KeyUse>| {
            for (key, _) in template.variables() {
                entry(uses, key).variable = true;
            }
        };
        for statement in statements {
            if let Some(resource) = &statement.resource {
                for pattern in &resource.patterns {
                    variables(&pattern.value, &mut uses);
                }
            }
            for condition in &statement.conditions {
                let operator = condition.operator.value;
                let key = entry(&mut uses, &condition.key.value);
                if operator.base != BaseOperator::Null {
                    key.atoms += 1;
                    key.set_operator |= operator.set.is_some();
                    if let Some(family) = family(operator.base.value_type()) {
                        key.types.insert(family);
                    }
                    if operator.base.value_type() == ValueType::Numeric {
                        for value in &condition.values {
                            key.scale = key.scale.max(decimal_places(&value.value.text));
                        }
                    }
                }
                for value in &condition.values {
                    variables(&value.value.template, &mut uses);
                }
            }
        }
        for (key, pin) in &self.problem.context {
            let usage = entry(&mut uses, key);
            for value in pin.exactly.iter().chain(&pin.includes) {
                usage.scale = usage.scale.max(decimal_places(&value.to_string()));
            }
        }

        let derived = self.derived_context();
        for (key, usage) in uses {
            let model = self.key_model(&key, &usage, &derived)?;
            self.keys.insert(key, model);
        }
        Ok(())
    }

    /// The keys the caller determines, as the evaluator derives them.
    fn derived_context(&self) -> Context {
        Request::new(self.caller.clone(), &self.problem.action, "*").resolved_context()
    }

    fn key_model(
        &mut self,
        key: &str,
        usage: &KeyUse,
        derived: &Context,
    ) -> Result<KeyModel, Unsupported> {
        let pin = self
            .problem
            .context
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, pin)| pin);
        // A pin without values: the question says the key is absent.
        if let Some(pin) = pin
            && pin.exactly.is_empty()
            && pin.includes.is_empty()
        {
            if caller_determined(key) {
                self.absent.push(usage.name.clone());
            }
            return Ok(fixed(None));
        }
        if pin.is_none() && caller_determined(key) {
            if key == COGNITO_SUB && self.ids.is_some() && self.caller.cognito.is_some() {
                let own = self.id_term(IdSlot::Own)?;
                return Ok(KeyModel {
                    present: TRUE,
                    single: true,
                    slots: vec![(TRUE, Slot::Str(own))],
                });
            }
            if let Some(tag) = key.strip_prefix("aws:principaltag/")
                && self
                    .problem
                    .free_tags
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(tag))
            {
                let var = self.vars.fresh(format!("tag:{tag}"), Sort::String);
                let tag_name = self
                    .problem
                    .free_tags
                    .iter()
                    .find(|t| t.eq_ignore_ascii_case(tag))
                    .cloned()
                    .unwrap_or_else(|| tag.to_string());
                self.free_tags.push((tag_name, var));
                return Ok(KeyModel {
                    present: TRUE,
                    single: true,
                    slots: vec![(TRUE, Slot::Str(Str::Var(var)))],
                });
            }
            return Ok(fixed(derived.get(key)));
        }

        // A key of the request: symbolic.
        let family = match usage.types.iter().collect::<Vec<_>>().as_slice() {
            [] => TypeFamily::String,
            [one] if !usage.variable => **one,
            _ => TypeFamily::String,
        };
        let family = if family == TypeFamily::Binary {
            TypeFamily::String
        } else {
            family
        };
        let catalogue_multi = Catalogue::builtin()
            .condition_key(key)
            .map(|k| k.value_type.starts_with("ArrayOf"));
        let exactly = pin.map_or(&[][..], |p| p.exactly.as_slice());
        let includes = pin.map_or(&[][..], |p| p.includes.as_slice());
        let multi = usage.set_operator
            || exactly.len() > 1
            || catalogue_multi == Some(true)
            || (!includes.is_empty() && catalogue_multi != Some(false));
        let label = format!("ctx:{}", usage.name);

        if !multi {
            // Single-valued; `+=` on a key known to be single-valued pins
            // its one value.
            let pinned: Vec<&ResourcePattern> = exactly.iter().chain(includes).collect();
            let (present, slot) = match pinned.as_slice() {
                [] => {
                    let present = self.vars.fresh(format!("{label}:present"), Sort::Bool);
                    let slot = self.free_slot(&label, family, usage.scale)?;
                    (Formula::var(present), slot)
                }
                [one] => (TRUE, self.pinned_slot(&label, family, usage.scale, one)?),
                [first, rest @ ..] => {
                    let slot = self.pinned_slot(&label, family, usage.scale, first)?;
                    for other in rest {
                        let again = self.pinned_slot(&label, family, usage.scale, other)?;
                        let same = self.slots_equal(&slot, &again)?;
                        self.axioms.push(same);
                    }
                    (TRUE, slot)
                }
            };
            self.plan_keys.push(KeyPlan {
                name: usage.name.clone(),
                multi: false,
                slots: vec![(present.clone(), slot.clone())],
            });
            return Ok(KeyModel {
                present: present.clone(),
                single: true,
                slots: vec![(present, slot)],
            });
        }

        let mut slots: Vec<(Formula, Slot)> = Vec::new();
        if !exactly.is_empty() {
            for value in exactly {
                let slot = self.pinned_slot(&label, family, usage.scale, value)?;
                slots.push((TRUE, slot));
            }
            for value in includes {
                // Exactly pinned and also "includes": one of the pinned
                // values must equal it.
                let wanted = self.pinned_slot(&label, family, usage.scale, value)?;
                let any = Formula::or(
                    slots
                        .iter()
                        .map(|(_, s)| self.slots_equal(s, &wanted))
                        .collect::<Result<Vec<_>, _>>()?,
                );
                self.axioms.push(any);
            }
        } else {
            let free = key_slots(usage.atoms);
            if usage.atoms > MAX_FREE_SLOTS {
                self.capped.push(usage.name.clone());
            }
            let count = self.vars.fresh(format!("{label}:count"), Sort::Int);
            let total = includes.len() + free;
            self.axioms.push(Formula::cmp(
                Num::Var(count),
                Cmp::Ge,
                Num::Lit(includes.len() as i128),
            ));
            self.axioms.push(Formula::cmp(
                Num::Var(count),
                Cmp::Le,
                Num::Lit(total as i128),
            ));
            for (i, value) in includes.iter().enumerate() {
                let in_use = Formula::cmp(Num::Var(count), Cmp::Gt, Num::Lit(i as i128));
                let slot = self.pinned_slot(&label, family, usage.scale, value)?;
                slots.push((in_use, slot));
            }
            for i in includes.len()..total {
                let in_use = Formula::cmp(Num::Var(count), Cmp::Gt, Num::Lit(i as i128));
                let slot = self.free_slot(&format!("{label}#{i}"), family, usage.scale)?;
                slots.push((in_use, slot));
            }
        }
        let present = Formula::or(
            slots
                .iter()
                .map(|(in_use, _)| in_use.clone())
                .collect::<Vec<_>>(),
        );
        self.plan_keys.push(KeyPlan {
            name: usage.name.clone(),
            multi: true,
            slots: slots.clone(),
        });
        Ok(KeyModel {
            present,
            single: false,
            slots,
        })
    }

    /// An unconstrained value of the key's type.
    fn free_slot(
        &mut self,
        label: &str,
        family: TypeFamily,
        scale: u32,
    ) -> Result<Slot, Unsupported> {
        let fresh =
            |vars: &mut Vars, what: &str, sort: Sort| vars.fresh(format!("{label}:{what}"), sort);
        let slot = match family {
            TypeFamily::String | TypeFamily::Binary => {
                Slot::Str(Str::Var(fresh(&mut self.vars, "value", Sort::String)))
            }
            TypeFamily::Numeric => Slot::Number {
                valid: fresh(&mut self.vars, "valid", Sort::Bool),
                scaled: fresh(&mut self.vars, "number", Sort::Int),
                // One more place than any constant, so a value fits strictly
                // between any two of them.
                scale: scale + 1,
            },
            TypeFamily::Date => {
                let millis = fresh(&mut self.vars, "millis", Sort::Int);
                // Epoch seconds render with at most 12 digits.
                let bound = 999_999_999_999_999i128;
                self.axioms
                    .push(Formula::cmp(Num::Var(millis), Cmp::Le, Num::Lit(bound)));
                self.axioms
                    .push(Formula::cmp(Num::Var(millis), Cmp::Ge, Num::Lit(-bound)));
                Slot::Date {
                    valid: fresh(&mut self.vars, "valid", Sort::Bool),
                    millis,
                }
            }
            TypeFamily::Bool => Slot::Bool {
                valid: fresh(&mut self.vars, "valid", Sort::Bool),
                value: fresh(&mut self.vars, "bool", Sort::Bool),
            },
            TypeFamily::Ip => {
                let v6 = fresh(&mut self.vars, "v6", Sort::Bool);
                let bits = fresh(&mut self.vars, "bits", Sort::BitVec(128));
                let prefix = fresh(&mut self.vars, "prefix", Sort::Int);
                // IPv4 lives in the low 32 bits with a prefix up to 32.
                let v4_ok = Formula::and([
                    Formula::BitsEq {
                        var: bits,
                        high: 127,
                        low: 32,
                        value: 0,
                    },
                    Formula::cmp(Num::Var(prefix), Cmp::Le, Num::Lit(32)),
                ]);
                self.axioms.push(Formula::or([Formula::var(v6), v4_ok]));
                self.axioms
                    .push(Formula::cmp(Num::Var(prefix), Cmp::Ge, Num::Lit(0)));
                self.axioms
                    .push(Formula::cmp(Num::Var(prefix), Cmp::Le, Num::Lit(128)));
                Slot::Ip {
                    valid: fresh(&mut self.vars, "valid", Sort::Bool),
                    v6,
                    bits,
                    prefix,
                }
            }
        };
        Ok(slot)
    }

    /// A value pinned by the question.
    fn pinned_slot(
        &mut self,
        label: &str,
        family: TypeFamily,
        scale: u32,
        value: &ResourcePattern,
    ) -> Result<Slot, Unsupported> {
        if matches!(family, TypeFamily::String | TypeFamily::Binary) {
            let parts = self.pattern_plain(value, label)?;
            return Ok(Slot::Str(self.opaque(parts, label)));
        }
        let text = match value.parts.as_slice() {
            [] => String::new(),
            [PatternPart::Text(text)] if !text.contains(['*', '?']) => text.clone(),
            _ => {
                return Err(Unsupported(format!(
                    "pinned value `{value}` of a typed key has a wildcard or placeholder"
                )));
            }
        };
        let slot = self.free_slot(label, family, scale)?;
        let fact = self.slot_is(&slot, &text)?;
        self.axioms.push(fact);
        Ok(slot)
    }

    /// A pinned context value as a string term (no ARN splitting).
    fn pattern_plain(&mut self, value: &ResourcePattern, label: &str) -> Result<Str, Unsupported> {
        let mut parts = Vec::new();
        for part in &value.parts {
            match part {
                PatternPart::Id(slot) => parts.push(self.id_term(*slot)?),
                PatternPart::Text(text) => {
                    for c in text.chars() {
                        match c {
                            '*' | '?' => {
                                let var = self.vars.fresh(format!("{label}:pin"), Sort::String);
                                if c == '?' {
                                    self.axioms.push(Formula::cmp(
                                        Str::Var(var).len(),
                                        Cmp::Eq,
                                        Num::Lit(1),
                                    ));
                                }
                                parts.push(Str::Var(var));
                            }
                            _ => parts.push(Str::Lit(c.to_string())),
                        }
                    }
                }
            }
        }
        Ok(Str::concat(parts))
    }

    /// A typed slot reads as the text `text`.
    fn slot_is(&mut self, slot: &Slot, text: &str) -> Result<Formula, Unsupported> {
        Ok(match slot {
            Slot::Str(term) => Formula::str_eq(term.clone(), Str::lit(text)),
            Slot::Number {
                valid,
                scaled,
                scale,
            } => match parse_number(text) {
                None => Formula::not(Formula::var(*valid)),
                Some(number) => {
                    let value = scaled_number(&number, *scale)
                        .ok_or_else(|| Unsupported(format!("number `{text}` is out of range")))?;
                    Formula::and([
                        Formula::var(*valid),
                        Formula::cmp(Num::Var(*scaled), Cmp::Eq, Num::Lit(value)),
                    ])
                }
            },
            Slot::Date { valid, millis } => match parse_date(text) {
                None => Formula::not(Formula::var(*valid)),
                Some(ms) => Formula::and([
                    Formula::var(*valid),
                    Formula::cmp(Num::Var(*millis), Cmp::Eq, Num::Lit(i128::from(ms))),
                ]),
            },
            Slot::Bool { valid, value } => match parse_bool(text) {
                None => Formula::not(Formula::var(*valid)),
                Some(b) => Formula::and([Formula::var(*valid), literal_bool(*value, b)]),
            },
            Slot::Ip {
                valid,
                v6,
                bits,
                prefix,
            } => match parse_ip_network(text) {
                None => Formula::not(Formula::var(*valid)),
                Some(network) => {
                    let (is_v6, value) = ip_bits(network.addr());
                    Formula::and([
                        Formula::var(*valid),
                        literal_bool(*v6, is_v6),
                        Formula::BitsEq {
                            var: *bits,
                            high: 127,
                            low: 0,
                            value,
                        },
                        Formula::cmp(
                            Num::Var(*prefix),
                            Cmp::Eq,
                            Num::Lit(i128::from(network.prefix())),
                        ),
                    ])
                }
            },
        })
    }

    /// Two pinned values of one single-valued key denote the same value.
    /// Typed pins are literal, but two texts may denote one value (`TRUE`
    /// and `true`, `10.0.0.1` and `10.0.0.1/32`), so the typed variables
    /// are compared. Two texts that do not read as the type count as one
    /// value: every condition on a typed key treats all of them alike
    /// (positive operators fail, negated ones hold), so the decision is the
    /// same. Both slots come from one key model and so are of one kind; a
    /// mismatch is an internal error (the answer is unknown), never `false`.
    fn slots_equal(&self, a: &Slot, b: &Slot) -> Result<Formula, Unsupported> {
        let typed = |va: VarId, vb: VarId, same: Formula| {
            Formula::or([
                Formula::and([Formula::var(va), Formula::var(vb), same]),
                Formula::and([
                    Formula::not(Formula::var(va)),
                    Formula::not(Formula::var(vb)),
                ]),
            ])
        };
        let iff = |x: VarId, y: VarId| {
            Formula::or([
                Formula::and([Formula::var(x), Formula::var(y)]),
                Formula::and([Formula::not(Formula::var(x)), Formula::not(Formula::var(y))]),
            ])
        };
        Ok(match (a, b) {
            (Slot::Str(x), Slot::Str(y)) => Formula::str_eq(x.clone(), y.clone()),
            (
                Slot::Number {
                    valid: va,
                    scaled: na,
                    scale: sa,
                },
                Slot::Number {
                    valid: vb,
                    scaled: nb,
                    scale: sb,
                },
            ) if sa == sb => typed(
                *va,
                *vb,
                Formula::cmp(Num::Var(*na), Cmp::Eq, Num::Var(*nb)),
            ),
            (
                Slot::Date {
                    valid: va,
                    millis: na,
                },
                Slot::Date {
                    valid: vb,
                    millis: nb,
                },
            ) => typed(
                *va,
                *vb,
                Formula::cmp(Num::Var(*na), Cmp::Eq, Num::Var(*nb)),
            ),
            (
                Slot::Bool {
                    valid: va,
                    value: xa,
                },
                Slot::Bool {
                    valid: vb,
                    value: xb,
                },
            ) => typed(*va, *vb, iff(*xa, *xb)),
            (
                Slot::Ip {
                    valid: va,
                    v6: sixa,
                    bits: ba,
                    prefix: pa,
                },
                Slot::Ip {
                    valid: vb,
                    v6: sixb,
                    bits: bb,
                    prefix: pb,
                },
            ) => typed(
                *va,
                *vb,
                Formula::and([
                    iff(*sixa, *sixb),
                    Formula::BitsSame(*ba, *bb),
                    Formula::cmp(Num::Var(*pa), Cmp::Eq, Num::Var(*pb)),
                ]),
            ),
            (
                Slot::Str(_)
                | Slot::Number { .. }
                | Slot::Date { .. }
                | Slot::Bool { .. }
                | Slot::Ip { .. },
                _,
            ) => {
                return Err(Unsupported(
                    "internal error: two values of one key have different types".to_string(),
                ));
            }
        })
    }

    // ----------------------------------------------------------- statements

    fn statement(
        &mut self,
        statement: &Statement,
        place: &str,
    ) -> Result<Option<StatementFormula>, Unsupported> {
        let grantee = match &statement.principal {
            None => None,
            Some(element) => {
                match principal_applies(element, &self.caller, statement.effect.value) {
                    Some(grantee) => Some(grantee),
                    None => return Ok(None),
                }
            }
        };
        let mut parts = Vec::new();
        if let Some(element) = &statement.resource {
            if element.negated {
                parts.push(self.not_resource(&element.patterns, place)?);
            } else {
                let mut matches = Vec::new();
                for pattern in &element.patterns {
                    if !may_overlap(&pattern.value, &self.problem.resource) {
                        continue;
                    }
                    let substituted = self.substitute(&pattern.value);
                    let resource = self.resource.clone();
                    let matched = self.arn_match(&substituted, &resource)?;
                    matches.push(Formula::and([substituted.defined, matched]));
                }
                parts.push(Formula::or(matches));
            }
        }
        for condition in &statement.conditions {
            parts.push(self.condition(condition)?);
        }
        Ok(Some(StatementFormula {
            applies: Formula::and(parts),
            grantee,
        }))
    }

    /// A `NotResource` element. An entry whose variables all have values
    /// (or defaults) excludes the resource when it matches. An entry with a
    /// variable without a value is a corner AWS's documentation does not settle
    /// (docs/semantics.md, "Undocumented corners"): whether the statement
    /// then applies is a fresh free boolean, so every proof holds whichever
    /// way AWS reads it — the entry excluding nothing, the statement not
    /// applying, or anything in between. The evaluator's reading (the
    /// statement does not apply when such an entry could match the
    /// resource for some value of its missing variables) is kept as the
    /// boolean's [`AssumptionVar::reading`].
    fn not_resource(
        &mut self,
        patterns: &[crate::policy::Spanned<Template>],
        place: &str,
    ) -> Result<Formula, Unsupported> {
        let resource = self.resource.clone();
        let mut excluded = Vec::new();
        let mut missing = Vec::new();
        let mut undecided = Vec::new();
        for pattern in patterns {
            let substituted = self.substitute(&pattern.value);
            let matched = self.arn_match(&substituted, &resource)?;
            let undefined = Formula::not(substituted.defined.clone());
            excluded.push(Formula::and([substituted.defined, matched]));
            if undefined.as_const() == Some(false) {
                continue;
            }
            let could = self.matches_for_some_value(&pattern.value, &resource)?;
            missing.push(undefined.clone());
            undecided.push(Formula::and([undefined, could]));
        }
        let not_excluded = Formula::not(Formula::or(excluded));
        let missing = Formula::or(missing);
        if missing.as_const() == Some(false) {
            return Ok(not_excluded);
        }
        let var = self
            .vars
            .fresh(format!("assume:not-resource:{place}"), Sort::Bool);
        self.assumptions.push(AssumptionVar {
            var,
            kind: AssumptionKind::UnresolvedNotResource,
            reading: Formula::not(Formula::or(undecided)),
            place: format!("the NotResource of {place}"),
        });
        Ok(Formula::and([
            not_excluded,
            Formula::or([Formula::not(missing), Formula::var(var)]),
        ]))
    }

    /// Whether some value of the template's variables that have neither a
    /// value nor a default makes it match `resource`: those variables read
    /// as `*`, as `eval::statement` reads them. Keys whose presence is
    /// symbolic are split into cases (up to [`MAX_PRESENCE_CASES`] keys;
    /// beyond that they read as `*` whether present or not, which only
    /// widens the evaluator's reading and never a proof).
    fn matches_for_some_value(
        &mut self,
        template: &Template,
        resource: &ArnValue,
    ) -> Result<Formula, Unsupported> {
        let mut symbolic: Vec<(String, Formula)> = Vec::new();
        for (key, default) in template.variables() {
            let key = key.to_ascii_lowercase();
            if default.is_some() || symbolic.iter().any(|(k, _)| *k == key) {
                continue;
            }
            if let Some(model) = self.keys.get(&key)
                && model.present.as_const().is_none()
            {
                symbolic.push((key, model.present.clone()));
            }
        }
        let (split, widened) = symbolic.split_at(symbolic.len().min(MAX_PRESENCE_CASES));
        let always_wild: BTreeSet<String> = widened.iter().map(|(k, _)| k.clone()).collect();
        let mut cases = Vec::new();
        for mask in 0..(1usize << split.len()) {
            let mut guard = Vec::new();
            let mut absent = always_wild.clone();
            for (bit, (key, present)) in split.iter().enumerate() {
                if mask & (1 << bit) == 0 {
                    guard.push(Formula::not(present.clone()));
                    absent.insert(key.clone());
                } else {
                    guard.push(present.clone());
                }
            }
            let pieces = self.substitute_wildcards(template, &absent);
            let matched = self.arn_match(&pieces, resource)?;
            cases.push(Formula::and(guard.into_iter().chain([matched])));
        }
        Ok(Formula::or(cases))
    }

    /// [`Self::substitute`] with every variable without a default that is
    /// absent (in `absent`, or constantly absent, or not single-valued)
    /// read as `*`.
    fn substitute_wildcards(
        &mut self,
        template: &Template,
        absent: &BTreeSet<String>,
    ) -> Substituted {
        let mut rewritten = Template::default();
        for part in &template.parts {
            match part {
                TemplatePart::Variable { key, default: None } => {
                    let lower = key.to_ascii_lowercase();
                    let has_value = !absent.contains(&lower)
                        && self.keys.get(&lower).is_some_and(|model| {
                            model.single
                                && model.present.as_const() != Some(false)
                                && matches!(model.slots.first(), Some((_, Slot::Str(_))))
                        });
                    if has_value {
                        rewritten.parts.push(part.clone());
                    } else {
                        rewritten.parts.push(TemplatePart::Literal("*".to_string()));
                    }
                }
                other => rewritten.parts.push(other.clone()),
            }
        }
        let mut substituted = self.substitute(&rewritten);
        // Presence is the case's guard, not a condition of the match.
        substituted.defined = TRUE;
        substituted
    }

    /// Substitutes a template's variables from the key models.
    fn substitute(&mut self, template: &Template) -> Substituted {
        let mut defined = Vec::new();
        let mut pieces = Vec::new();
        for part in &template.parts {
            match part {
                TemplatePart::Literal(text) => pieces.push(Piece::Lit(text.clone())),
                TemplatePart::Variable { key, default } => {
                    let value = self.keys.get(&key.to_ascii_lowercase()).and_then(|model| {
                        if !model.single {
                            return None;
                        }
                        match model.slots.first() {
                            Some((_, Slot::Str(term))) => {
                                Some((model.present.clone(), term.clone()))
                            }
                            _ => None,
                        }
                    });
                    let default = default.as_ref().map(|d| Str::lit(d));
                    match (value, default) {
                        (None, None) => defined.push(Formula::Const(false)),
                        (None, Some(default)) => pieces.push(Piece::Sym(default)),
                        (Some((present, term)), None) => {
                            defined.push(present);
                            pieces.push(Piece::Sym(term));
                        }
                        (Some((present, term)), Some(default)) => {
                            let term = match present.as_const() {
                                Some(true) => term,
                                Some(false) => default,
                                None => {
                                    Str::Ite(Box::new(present), Box::new(term), Box::new(default))
                                }
                            };
                            pieces.push(Piece::Sym(term));
                        }
                    }
                }
            }
        }
        // Symbolic values that happen to be literal are literal text, and
        // so read as globs like any literal.
        let pieces = pieces
            .into_iter()
            .map(|p| match p {
                Piece::Sym(Str::Lit(text)) => Piece::Lit(text),
                other => other,
            })
            .collect();
        Substituted {
            defined: Formula::and(defined),
            pieces,
        }
    }

    /// Whether a symbolic term is an identity id (never holds wildcards).
    fn is_id(&self, term: &Str) -> bool {
        let Some(ids) = &self.ids else {
            return false;
        };
        matches!(term, Str::Var(v) if *v == ids.own || Some(*v) == ids.other)
    }

    /// Glob parts of substituted pieces: literal text splits at `*` and
    /// `?`; symbolic values are text. Returns the guard under which that
    /// reading is exact (symbolic values hold no wildcard characters).
    fn glob_pieces(&mut self, pieces: &[Piece]) -> (Vec<GlobPart>, Formula) {
        let mut parts = Vec::new();
        let mut guard = Vec::new();
        for piece in pieces {
            match piece {
                Piece::Lit(text) => parts.extend(glob_parts_of(text)),
                Piece::Sym(term) => {
                    if !self.is_id(term) {
                        let clean = no_wildcards(term);
                        if !self.refinements.contains(&clean) {
                            self.refinements.push(clean.clone());
                        }
                        guard.push(clean);
                    }
                    parts.push(GlobPart::Text(term.clone()));
                }
            }
        }
        (parts, Formula::and(guard))
    }

    /// `value` matches the glob made of `pieces`, exactly where possible.
    fn glob_match(&mut self, value: &Str, pieces: &[Piece], what: &str) -> Formula {
        if let (Some(text), Some(pattern)) = (value.as_lit(), literal_of(pieces)) {
            return Formula::Const(crate::policy::pattern::string_like(&pattern, text));
        }
        let (parts, guard) = self.glob_pieces(pieces);
        let lowered = glob(value, &parts);
        match (lowered, guard.as_const()) {
            (Some(f), Some(true)) => f,
            (Some(f), _) => {
                let loose = self.abstraction(format!("a symbolic value with `*` or `?` in {what}"));
                Formula::or([
                    Formula::and([guard.clone(), f]),
                    Formula::and([Formula::not(guard), loose]),
                ])
            }
            (None, _) => self.abstraction(format!("a `?` next to a symbolic value in {what}")),
        }
    }

    /// [`arn_matches`] of a substituted pattern against a value.
    fn arn_match(
        &mut self,
        pattern: &Substituted,
        value: &ArnValue,
    ) -> Result<Formula, Unsupported> {
        if let Some(text) = pattern.literal() {
            if text == "*" {
                return Ok(TRUE);
            }
            match value {
                ArnValue::NotArn(value) => return Ok(Formula::Const(arn_matches(&text, value))),
                ArnValue::Opaque(term) => {
                    return Ok(Formula::InRe(term.clone(), arn_regex(&text)));
                }
                ArnValue::Parts(_) => {}
            }
        }
        let ArnValue::Parts(components) = value else {
            return Ok(self.abstraction("an ARN pattern with a symbolic value".to_string()));
        };
        // Split the pattern at its first five literal colons; a symbolic
        // value before the fifth might hold colons itself.
        let mut split: Vec<Vec<Piece>> = vec![Vec::new()];
        for piece in &pattern.pieces {
            match piece {
                Piece::Lit(text) => {
                    let mut rest = text.as_str();
                    while split.len() < 6 {
                        match rest.split_once(':') {
                            Some((head, tail)) => {
                                if !head.is_empty() {
                                    split.last_mut().expect("one").push(Piece::Lit(head.into()));
                                }
                                split.push(Vec::new());
                                rest = tail;
                            }
                            None => break,
                        }
                    }
                    if !rest.is_empty() {
                        split.last_mut().expect("one").push(Piece::Lit(rest.into()));
                    }
                }
                Piece::Sym(term) => {
                    if split.len() < 6 {
                        return Ok(self.abstraction(
                            "a policy variable with a symbolic value before an ARN's resource part"
                                .to_string(),
                        ));
                    }
                    split
                        .last_mut()
                        .expect("one")
                        .push(Piece::Sym(term.clone()));
                }
            }
        }
        let count = split.len();
        let mut parts = Vec::new();
        if count < 6 {
            // A short pattern matches only when its last component ends in
            // `*`, which then spans the remaining colons.
            let ends_in_star =
                matches!(split[count - 1].last(), Some(Piece::Lit(t)) if t.ends_with('*'));
            if !ends_in_star {
                return Ok(Formula::Const(false));
            }
        }
        for (i, pieces) in split.iter().enumerate() {
            let target = if i + 1 == count && count < 6 {
                join_components(&components[i..])
            } else {
                components[i].clone()
            };
            parts.push(self.glob_match(&target, pieces, "an ARN pattern"));
        }
        Ok(Formula::and(parts))
    }

    // ----------------------------------------------------------- conditions

    fn condition(&mut self, condition: &Condition) -> Result<Formula, Unsupported> {
        let operator = condition.operator.value;
        let key = condition.key.value.to_ascii_lowercase();
        let model = self
            .keys
            .get(&key)
            .cloned()
            .ok_or_else(|| Unsupported(format!("internal error: key `{key}` has no model")))?;
        if operator.base == BaseOperator::Null {
            let wanted: Vec<Formula> = condition
                .values
                .iter()
                .filter_map(|v| parse_bool(&v.value.text))
                .map(|wants_absent| {
                    if wants_absent {
                        Formula::not(model.present.clone())
                    } else {
                        model.present.clone()
                    }
                })
                .collect();
            return Ok(Formula::or(wanted));
        }
        let negated = operator.base.is_negated();
        let base = crate::eval::condition::positive_form(operator.base);
        let values: Vec<Substituted> = condition
            .values
            .iter()
            .map(|v| self.substitute(&v.value.template))
            .collect();
        let mut satisfied = Vec::new();
        for (in_use, slot) in &model.slots {
            let matched = self.matches_any(base, &values, slot)?;
            let holds = if negated {
                Formula::not(matched)
            } else {
                matched
            };
            satisfied.push((in_use.clone(), holds));
        }
        let any = || {
            Formula::or(
                satisfied
                    .iter()
                    .map(|(in_use, holds)| Formula::and([in_use.clone(), holds.clone()]))
                    .collect::<Vec<_>>(),
            )
        };
        Ok(match operator.set {
            None => Formula::or([
                Formula::and([
                    Formula::not(model.present.clone()),
                    Formula::Const(operator.if_exists || negated),
                ]),
                any(),
            ]),
            Some(SetQualifier::ForAllValues) => Formula::and(
                satisfied
                    .iter()
                    .map(|(in_use, holds)| Formula::implies(in_use.clone(), holds.clone()))
                    .collect::<Vec<_>>(),
            ),
            Some(SetQualifier::ForAnyValue) => any(),
        })
    }

    /// `matches_any` of the evaluator: some defined policy value matches
    /// the request value under a positive operator.
    fn matches_any(
        &mut self,
        base: BaseOperator,
        values: &[Substituted],
        slot: &Slot,
    ) -> Result<Formula, Unsupported> {
        let mut out = Vec::new();
        for value in values {
            let matched = self.value_matches(base, value, slot)?;
            out.push(Formula::and([value.defined.clone(), matched]));
        }
        Ok(Formula::or(out))
    }

    fn value_matches(
        &mut self,
        base: BaseOperator,
        policy: &Substituted,
        slot: &Slot,
    ) -> Result<Formula, Unsupported> {
        use BaseOperator::*;
        let typed = base.value_type();
        if let Slot::Str(request) = slot {
            if let (Some(text), Some(p)) = (request.as_lit(), policy.literal()) {
                return Ok(Formula::Const(crate::eval::condition::value_matches(
                    base, &p, text,
                )));
            }
            return Ok(match base {
                StringEquals => Formula::str_eq(request.clone(), policy.term()),
                StringLike => self.glob_match(request, &policy.pieces, "a `StringLike` value"),
                StringEqualsIgnoreCase => self.ignore_case(request, policy),
                ArnEquals | ArnLike => {
                    let value = ArnValue::of_term(request);
                    self.arn_match(policy, &value)?
                }
                _ => self.abstraction(format!("`{}` on a key also used as a string", base.name())),
            });
        }
        let Some(text) = policy.literal() else {
            return Ok(self.abstraction(format!("a policy variable in a `{}` value", base.name())));
        };
        let compare = |cmp: Option<Cmp>| cmp.expect("numeric and date operators have a relation");
        Ok(match (slot, typed) {
            (
                Slot::Number {
                    valid,
                    scaled,
                    scale,
                },
                ValueType::Numeric,
            ) => match parse_number(&text) {
                // Not a number: matches nothing, as in the evaluator.
                None => Formula::Const(false),
                Some(number) => match scaled_number(&number, *scale) {
                    Some(value) => Formula::and([
                        Formula::var(*valid),
                        Formula::cmp(Num::Var(*scaled), compare(relation(base)), Num::Lit(value)),
                    ]),
                    // A number, but too large for the exact encoding: an
                    // over-approximation, never "matches nothing".
                    None => self.abstraction(format!(
                        "a `{}` value beyond 128-bit integers (`{text}`)",
                        base.name()
                    )),
                },
            },
            (Slot::Date { valid, millis }, ValueType::Date) => match parse_date(&text) {
                // Not of the type: matches nothing, as in the evaluator.
                None => Formula::Const(false),
                Some(ms) => Formula::and([
                    Formula::var(*valid),
                    Formula::cmp(
                        Num::Var(*millis),
                        compare(relation(base)),
                        Num::Lit(i128::from(ms)),
                    ),
                ]),
            },
            (Slot::Bool { valid, value }, ValueType::Bool) => match parse_bool(&text) {
                // Not of the type: matches nothing, as in the evaluator.
                None => Formula::Const(false),
                Some(b) => Formula::and([Formula::var(*valid), literal_bool(*value, b)]),
            },
            (
                Slot::Ip {
                    valid,
                    v6,
                    bits,
                    prefix,
                },
                ValueType::Ip,
            ) => match parse_ip_network(&text) {
                // Not of the type: matches nothing, as in the evaluator.
                None => Formula::Const(false),
                Some(network) => {
                    let (is_v6, net_bits) = ip_bits(network.addr());
                    let width: u32 = if is_v6 { 128 } else { 32 };
                    let p = u32::from(network.prefix());
                    let mut parts = vec![
                        Formula::var(*valid),
                        literal_bool(*v6, is_v6),
                        Formula::cmp(Num::Var(*prefix), Cmp::Ge, Num::Lit(i128::from(p))),
                    ];
                    if p > 0 {
                        parts.push(Formula::BitsEq {
                            var: *bits,
                            high: width - 1,
                            low: width - p,
                            value: net_bits >> (width - p),
                        });
                    }
                    Formula::and(parts)
                }
            },
            _ => self.abstraction(format!("`{}` on a key of another type", base.name())),
        })
    }

    fn ignore_case(&mut self, request: &Str, policy: &Substituted) -> Formula {
        let (symbolic, literal) = match (request.as_lit(), policy.literal()) {
            (None, Some(p)) => (request.clone(), p),
            (Some(r), None) => (policy.term(), r.to_string()),
            _ => {
                return self.abstraction(
                    "`StringEqualsIgnoreCase` between two symbolic values".to_string(),
                );
            }
        };
        if !literal.is_ascii() {
            return self.abstraction("`StringEqualsIgnoreCase` with non-ASCII text".to_string());
        }
        // ASCII case folding is exact when the other side is ASCII too;
        // non-ASCII text may fold onto ASCII (the Kelvin sign onto `k`).
        let folded = Re::Concat(
            literal
                .chars()
                .map(|c| {
                    if c.is_ascii_alphabetic() {
                        Re::Union(vec![
                            Re::Lit(c.to_ascii_lowercase().to_string()),
                            Re::Lit(c.to_ascii_uppercase().to_string()),
                        ])
                    } else {
                        Re::Lit(c.to_string())
                    }
                })
                .collect(),
        );
        let ascii = Formula::InRe(
            symbolic.clone(),
            Re::Star(Box::new(Re::Range('\0', '\u{7f}'))),
        );
        let loose = self.abstraction("`StringEqualsIgnoreCase` on non-ASCII text".to_string());
        Formula::or([
            Formula::InRe(symbolic, folded),
            Formula::and([Formula::not(ascii), loose]),
        ])
    }

    // ------------------------------------------------------------ decision

    /// The evaluation logic of `decide::combine` over the policies'
    /// formulas.
    fn combine(&mut self, outcomes: &[PolicyOutcome]) -> Formula {
        let set = &self.problem.policies;
        let caller = &self.caller;
        let allows = |wanted: &dyn Fn(&PolicyRole) -> bool| {
            Formula::or(
                outcomes
                    .iter()
                    .filter(|o| wanted(&o.role))
                    .map(|o| o.allows.clone())
                    .collect::<Vec<_>>(),
            )
        };
        let denied = Formula::or(
            outcomes
                .iter()
                .map(|o| o.denies.clone())
                .collect::<Vec<_>>(),
        );
        let mut org = Vec::new();
        let rcps_apply = !matches!(caller.kind, CallerKind::Service { .. }) && !set.rcps.is_empty();
        if rcps_apply {
            for level in 0..set.rcps.len() {
                org.push(allows(&|r| *r == PolicyRole::Rcp { level }));
            }
        }
        if caller.is_account_principal() && !set.scps.is_empty() {
            for level in 0..set.scps.len() {
                org.push(allows(&|r| *r == PolicyRole::Scp { level }));
            }
        }
        let resource = outcomes.iter().find(|o| {
            matches!(
                o.role,
                PolicyRole::Resource | PolicyRole::Trust | PolicyRole::KeyPolicy
            )
        });
        let granted = |wanted: &dyn Fn(Grantee) -> bool| {
            Formula::or(
                resource
                    .into_iter()
                    .flat_map(|o| o.granted.iter())
                    .filter(|(g, _)| wanted(*g))
                    .map(|(_, f)| f.clone())
                    .collect::<Vec<_>>(),
            )
        };
        let any_grant = granted(&|_| true);
        let body = if !caller.is_account_principal() {
            any_grant
        } else {
            let identity_allows = if caller.kind == CallerKind::Root {
                TRUE
            } else {
                allows(&|r| *r == PolicyRole::Identity)
            };
            let boundary_ok = if set.boundary.is_none() {
                TRUE
            } else {
                allows(&|r| *r == PolicyRole::PermissionsBoundary)
            };
            let session_ok = if set.session.is_empty() {
                TRUE
            } else {
                allows(&|r| *r == PolicyRole::Session)
            };
            let identity_effective =
                Formula::and([identity_allows, boundary_ok.clone(), session_ok.clone()]);
            let must_allow = resource
                .is_some_and(|o| matches!(o.role, PolicyRole::Trust | PolicyRole::KeyPolicy));
            // Naming the session, user or everyone grants directly; naming
            // the role is cut down by the boundary and session policies.
            let via_resource = Formula::or([
                granted(&|g| matches!(g, Grantee::Principal | Grantee::Anyone)),
                Formula::and([granted(&|g| g == Grantee::Role), boundary_ok, session_ok]),
            ]);
            let same_account = Formula::and([
                if must_allow { any_grant.clone() } else { TRUE },
                Formula::or([via_resource, identity_effective.clone()]),
            ]);
            let cross_account = Formula::and([identity_effective, any_grant]);
            let same = self.same_account();
            Formula::or([
                Formula::and([same.clone(), same_account]),
                Formula::and([Formula::not(same), cross_account]),
            ])
        };
        let mut all = vec![Formula::not(denied)];
        all.extend(org);
        all.push(body);
        Formula::and(all)
    }

    /// Whether the resource belongs to the caller's account, as `decide`
    /// works it out.
    fn same_account(&self) -> Formula {
        let caller_account = self.caller.account.clone();
        if let Some(account) = &self.problem.policies.resource_account {
            return Formula::Const(Some(account) == caller_account.as_ref());
        }
        match &self.resource {
            ArnValue::NotArn(text) | ArnValue::Opaque(Str::Lit(text)) => {
                let account = Arn::parse(text)
                    .ok()
                    .map(|a| a.account.to_string())
                    .filter(|a| !a.is_empty())
                    .or_else(|| caller_account.clone());
                Formula::Const(account == caller_account)
            }
            ArnValue::Opaque(_) => Formula::Const(true),
            ArnValue::Parts(c) => {
                let parses = Formula::and([
                    Formula::str_eq(c[0].clone(), Str::lit("arn")),
                    Formula::not(Formula::str_eq(c[1].clone(), Str::lit(""))),
                    Formula::not(Formula::str_eq(c[2].clone(), Str::lit(""))),
                    Formula::not(Formula::str_eq(c[5].clone(), Str::lit(""))),
                ]);
                let empty = Formula::str_eq(c[4].clone(), Str::lit(""));
                let mine = match &caller_account {
                    Some(account) => Formula::str_eq(c[4].clone(), Str::lit(account)),
                    None => Formula::Const(false),
                };
                Formula::or([Formula::not(parses), empty, mine])
            }
        }
    }
}

// ---------------------------------------------------------------- helpers

/// Free values a multivalued key needs: one per condition atom on it.
///
/// Every condition on a multivalued key is an atom "some value satisfies P"
/// or "every value satisfies P" (`Null` only looks at emptiness). Given any
/// set of values, keep one witness for each true "some" atom, one
/// counterexample for each false "every" atom, and one value if the set was
/// non-empty: every atom keeps its truth value (a true "every" and a false
/// "some" stay so on a subset), so the request decides the same. Hence at
/// most `max(1, atoms)` values beyond the pinned ones are ever needed.
fn key_slots(atoms: usize) -> usize {
    atoms.clamp(1, MAX_FREE_SLOTS)
}

fn fixed(value: Option<&ContextValue>) -> KeyModel {
    match value.filter(|v| !v.values.is_empty()) {
        None => KeyModel {
            present: Formula::Const(false),
            single: true,
            slots: Vec::new(),
        },
        Some(value) => KeyModel {
            present: TRUE,
            single: value.as_single().is_some(),
            slots: value
                .values
                .iter()
                .map(|v| (TRUE, Slot::Str(Str::lit(v))))
                .collect(),
        },
    }
}

/// `term` holds neither `*` nor `?`.
fn no_wildcards(term: &Str) -> Formula {
    Formula::and([
        Formula::not(Formula::Contains(term.clone(), Str::lit("*"))),
        Formula::not(Formula::Contains(term.clone(), Str::lit("?"))),
    ])
}

fn literal_of(pieces: &[Piece]) -> Option<String> {
    Substituted {
        defined: TRUE,
        pieces: pieces.to_vec(),
    }
    .literal()
}

fn literal_bool(var: VarId, value: bool) -> Formula {
    if value {
        Formula::var(var)
    } else {
        Formula::not(Formula::var(var))
    }
}

fn join_components(components: &[Str]) -> Str {
    Str::concat(components.iter().enumerate().flat_map(|(i, c)| {
        let sep = if i == 0 { "" } else { ":" };
        [Str::lit(sep), c.clone()]
    }))
}

/// The relation of a numeric or date operator (request OP policy).
fn relation(base: BaseOperator) -> Option<Cmp> {
    use BaseOperator::*;
    match base {
        NumericEquals | DateEquals => Some(Cmp::Eq),
        NumericLessThan | DateLessThan => Some(Cmp::Lt),
        NumericLessThanEquals | DateLessThanEquals => Some(Cmp::Le),
        NumericGreaterThan | DateGreaterThan => Some(Cmp::Gt),
        NumericGreaterThanEquals | DateGreaterThanEquals => Some(Cmp::Ge),
        _ => None,
    }
}

/// Decimal places of a number as written (0 when it does not read).
fn decimal_places(text: &str) -> u32 {
    parse_number(text)
        .and_then(|n| n.to_fraction())
        .map_or(0, |(_, scale)| scale)
}

/// `number × 10^scale` as an integer, when exact and in range.
pub(crate) fn scaled_number(number: &crate::policy::value::Decimal, scale: u32) -> Option<i128> {
    let (numerator, places) = number.to_fraction()?;
    let shift = scale.checked_sub(places)?;
    numerator.checked_mul(10i128.checked_pow(shift)?)
}

/// An address as (is IPv6, bits), IPv4 in the low 32 bits.
fn ip_bits(addr: std::net::IpAddr) -> (bool, u128) {
    match addr {
        std::net::IpAddr::V4(a) => (false, u128::from(a.to_bits())),
        std::net::IpAddr::V6(a) => (true, a.to_bits()),
    }
}

/// The regular language of [`arn_matches`] for a literal pattern: leading
/// components are globs that do not span `:`, the resource part may; a
/// short pattern's trailing `*` spans the remaining colons.
fn arn_regex(pattern: &str) -> Re {
    if pattern == "*" {
        return Re::all();
    }
    let components = split_components(pattern);
    let count = components.len();
    let glob_re = |text: &str, any: &Re| {
        Re::Concat(
            glob_parts_of(text)
                .into_iter()
                .map(|p| match p {
                    GlobPart::Text(Str::Lit(t)) => Re::Lit(t),
                    GlobPart::AnyRun => Re::Star(Box::new(any.clone())),
                    _ => any.clone(),
                })
                .collect(),
        )
    };
    let not_colon = Re::not_char(':');
    let mut out = Vec::new();
    for (i, component) in components.iter().enumerate() {
        if i > 0 {
            out.push(Re::Lit(":".to_string()));
        }
        if i + 1 < count {
            out.push(glob_re(component, &not_colon));
        } else if count == 6 {
            out.push(glob_re(component, &Re::AnyChar));
        } else if component.ends_with('*') {
            // The rest holds the remaining 6 − count colons.
            let colons = Re::Concat(
                std::iter::repeat_n(
                    Re::Concat(vec![Re::all(), Re::Lit(":".to_string())]),
                    6 - count,
                )
                .chain([Re::all()])
                .collect(),
            );
            out.push(Re::Inter(vec![glob_re(component, &Re::AnyChar), colons]));
        } else {
            return Re::Union(Vec::new());
        }
    }
    Re::Concat(out)
}

/// One token of a glob for the overlap test.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tok {
    Ch(char),
    One,
    Any,
}

fn tokens_of_template(template: &Template) -> Vec<Tok> {
    let mut out = Vec::new();
    for part in &template.parts {
        match part {
            TemplatePart::Literal(text) => out.extend(text.chars().map(|c| match c {
                '*' => Tok::Any,
                '?' => Tok::One,
                c => Tok::Ch(c),
            })),
            TemplatePart::Variable { .. } => out.push(Tok::Any),
        }
    }
    out
}

fn tokens_of_pattern(pattern: &ResourcePattern) -> Vec<Tok> {
    let mut out = Vec::new();
    for part in &pattern.parts {
        match part {
            PatternPart::Text(text) => out.extend(text.chars().map(|c| match c {
                '*' => Tok::Any,
                '?' => Tok::One,
                c => Tok::Ch(c),
            })),
            PatternPart::Id(_) => out.push(Tok::Any),
        }
    }
    out
}

/// Whether a Resource entry can match some resource of the question's
/// pattern: the two globs (variables and placeholders read as `*`, `*`
/// spanning everything) have a common string. An over-approximation of
/// ARN matching, so dropping a statement on `false` is safe.
pub fn may_overlap(template: &Template, pattern: &ResourcePattern) -> bool {
    let a = tokens_of_template(template);
    if a == [Tok::Any] {
        return true;
    }
    let b = tokens_of_pattern(pattern);
    let mut seen = BTreeSet::new();
    let mut stack = vec![(0usize, 0usize)];
    while let Some((i, j)) = stack.pop() {
        if !seen.insert((i, j)) {
            continue;
        }
        if i == a.len() && j == b.len() {
            return true;
        }
        if a.get(i) == Some(&Tok::Any) {
            stack.push((i + 1, j));
        }
        if b.get(j) == Some(&Tok::Any) {
            stack.push((i, j + 1));
        }
        if let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
            let common = match (x, y) {
                (Tok::Ch(p), Tok::Ch(q)) => p == q,
                _ => true,
            };
            if common {
                let ni = if *x == Tok::Any { i } else { i + 1 };
                let nj = if *y == Tok::Any { j } else { j + 1 };
                if (ni, nj) != (i, j) {
                    stack.push((ni, nj));
                }
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(text: &str) -> Template {
        Template::parse(text, true)
    }

    fn pattern(text: &str) -> ResourcePattern {
        ResourcePattern::parse(text).expect("valid pattern")
    }

    // Slicing must never drop a statement that can apply: IAM User Guide,
    // "IAM JSON policy elements: Resource" (wildcards, policy variables).
    #[test]
    fn overlap_is_decided_on_globs_with_placeholders_as_wildcards() {
        let cases = [
            (
                "arn:aws:s3:::b/private/${cognito-identity.amazonaws.com:sub}/*",
                "arn:aws:s3:::b/private/{other}/*",
                true,
            ),
            (
                "arn:aws:s3:::b/public/*",
                "arn:aws:s3:::b/private/{other}/*",
                false,
            ),
            (
                "arn:aws:s3:::b/protected/*",
                "arn:aws:s3:::b/protected/{other}/*",
                true,
            ),
            ("*", "arn:aws:s3:::b/x", true),
            ("arn:aws:s3:::b", "arn:aws:s3:::b/x", false),
            ("arn:aws:s3:::b?", "arn:aws:s3:::bc", true),
            ("arn:aws:s3:::b?", "arn:aws:s3:::b", false),
            (
                "arn:aws:dynamodb:*:*:table/Notes",
                "arn:aws:dynamodb:us-east-1:1:table/Notes",
                true,
            ),
            (
                "arn:aws:dynamodb:*:*:table/Notes",
                "arn:aws:dynamodb:us-east-1:1:table/Other",
                false,
            ),
        ];
        for (t, p, expected) in cases {
            assert_eq!(
                may_overlap(&template(t), &pattern(p)),
                expected,
                "{t} vs {p}"
            );
        }
    }

    #[test]
    fn set_slots_follow_the_atoms() {
        assert_eq!(key_slots(0), 1);
        assert_eq!(key_slots(3), 3);
        assert_eq!(key_slots(100), MAX_FREE_SLOTS);
    }

    #[test]
    fn numbers_scale_exactly() {
        let n = |t: &str| parse_number(t).expect("number");
        assert_eq!(scaled_number(&n("1.5"), 2), Some(150));
        assert_eq!(scaled_number(&n("-3"), 1), Some(-30));
        assert_eq!(scaled_number(&n("0.125"), 2), None);
    }
}
