//! From a [`Problem`] to a formula: satisfiable iff some request matching
//! the question is allowed (for `ForAll`: iff some matching request is not
//! allowed). No z3 here.
//!
//! Mirrors [`crate::eval::decide()`] for the policies given, one stage per
//! file, in the order [`compile`] runs them:
//! - [`request`]: the symbolic request — identity ids and the question's
//!   resource;
//! - [`slice`](mod@slice): statements are sliced in Rust first: the action is
//!   concrete, so (Not)Action is decided with
//!   [`crate::policy::pattern::action_matches`]; the caller is concrete, so
//!   (Not)Principal is decided with [`crate::eval::principal_applies`]; a
//!   `Resource` whose patterns cannot overlap the question's resource (glob
//!   intersection, placeholders and variables read as `*`) cannot apply;
//! - [`keys`] and [`slots`]: every context key a relevant statement reads,
//!   its presence and its typed values;
//! - [`statement`] and [`pattern`]: policy variables with defaults, and
//!   (Not)Resource entries and `Arn*` values matched component by component
//!   as [`crate::policy::pattern::arn_matches`] does;
//! - [`condition`]: every condition operator, `IfExists`, `Null`,
//!   `ForAllValues:` / `ForAnyValue:`, negated operators (NOR over values),
//!   as [`crate::eval::condition_holds`] reads them;
//! - [`decision`]: explicit deny, RCP/SCP levels, identity ∪ resource within
//!   an account, ∩ across accounts, permissions boundary and session
//!   policies, and how a resource policy named the caller
//!   ([`crate::eval::Grantee`]).
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

use std::collections::BTreeMap;

use crate::eval::AssumptionKind;
use crate::policy::{Effect, Statement};

use super::term::{Formula, Sort, Str, TRUE, VarId, Vars};
use super::{Blocker, Problem, Quantifier};

mod condition;
mod decision;
mod keys;
mod pattern;
mod request;
mod slice;
mod slots;
mod statement;

use decision::PolicyOutcome;
use keys::KeyModel;
use pattern::ArnValue;

/// Most free values a multivalued key gets beyond its pinned ones. The
/// exact need is one per condition atom on the key (see `keys::key_slots`);
/// more atoms than this are capped, and an "impossible" found under the cap
/// is reported as unknown.
pub(super) const MAX_FREE_SLOTS: usize = 8;

/// Most keys of symbolic presence split into cases in one `NotResource`
/// entry (see `Compiler::matches_for_some_value`).
const MAX_PRESENCE_CASES: usize = 3;

/// A construct the encoding does not support at all; the answer is unknown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Unsupported(pub String);

/// The formula of a problem and what is needed to read a model back.
#[derive(Clone, Debug)]
pub(super) struct Compiled {
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
pub(super) struct AssumptionVar {
    pub var: VarId,
    pub kind: AssumptionKind,
    /// The evaluator's reading as a formula over the request: the value
    /// `var` has when [`crate::eval::decide()`] decides.
    pub reading: Formula,
    /// The statement, for reasons: "statement `Sid` of the identity-based
    /// policy `P`".
    pub place: String,
}

/// The identity-id variables.
#[derive(Clone, Debug)]
pub(super) struct IdVars {
    pub own: VarId,
    pub other: Option<VarId>,
    pub region: String,
}

impl IdVars {
    /// `REGION:` + a 36-character GUID.
    pub(super) fn length(&self) -> usize {
        self.region.chars().count() + 1 + 36
    }
}

/// How to render the witness request from a model.
#[derive(Clone, Debug)]
pub(super) struct WitnessPlan {
    pub resource: Str,
    pub keys: Vec<KeyPlan>,
    /// Attacker-chosen principal tags: tag key and value variable.
    pub free_tags: Vec<(String, VarId)>,
    /// Keys the caller would supply that the question pins absent.
    pub absent: Vec<String>,
}

/// One context key the witness sets.
#[derive(Clone, Debug)]
pub(super) struct KeyPlan {
    /// The key as first written.
    pub name: String,
    pub multi: bool,
    /// Slots in order, each with the formula saying it is in use.
    pub slots: Vec<(Formula, Slot)>,
}

/// One value of a context key.
#[derive(Clone, Debug)]
pub(super) enum Slot {
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
pub(super) fn compile(problem: &Problem<'_>) -> Result<Compiled, Unsupported> {
    Compiler::new(problem)?.run()
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
        let considered = self.problem.policies.considered(&self.caller);
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
}
