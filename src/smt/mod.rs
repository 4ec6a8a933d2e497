//! Reachability questions answered by Z3: the only module that touches z3.
//!
//! A [`Problem`] is one concrete action, a resource pattern with `{self}` /
//! `{other}` placeholders, a concrete caller whose Cognito identity id is
//! symbolic, the policies that bear on the request, pinned and free context
//! keys, and a quantifier. [`solve()`] answers whether *some* matching request
//! is allowed (or, for [`Quantifier::ForAll`], whether *every* one is), with
//! a witness request that the concrete evaluator ([`crate::eval::decide()`])
//! has re-checked, or the statements that block it.
//!
//! Stages, one private module each, in the order of Cedar's symbolic
//! compiler:
//! - `term`: our own terms and formulas (no z3), with glob lowering;
//! - `compile`: a [`Problem`] to a formula that mirrors `eval::decide`
//!   (no z3), one file per stage;
//! - `encode`: formulas to Z3 (SMT-LIB text, loaded into a solver);
//! - `solve`: the check with a timeout, abstraction first and refinement on
//!   a witness that does not replay, unsat cores;
//! - `decode`: a model back to plain data and to an [`eval::Request`].
//!
//! Outside code sees only what this file declares or re-exports.
//!
//! docs/semantics.md ("What is encoded, what is bounded, why the answers are
//! sound") describes the model.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::eval::{self, Caller, PolicyRole, PolicySet};
use crate::query::{ContextPin, ResourcePattern};
use crate::source::Location;

// The stages are private: only `smt` touches z3, and neither z3 types nor
// the term layer are part of the crate's API.
mod compile;
mod decode;
mod encode;
mod solve;
mod term;

#[cfg(test)]
mod tests;

pub use solve::{solve, solve_with};

/// One question for the solver, with everything but the request symbolic
/// already resolved by the caller of [`solve()`].
#[derive(Clone, Debug)]
pub struct Problem<'p> {
    /// The concrete action, e.g. `s3:GetObject`.
    pub action: String,
    /// The question's resource: an ARN with `*` / `?` (any text, not
    /// spanning `:` before the resource part) and `{self}` / `{other}`.
    /// Exactly `*` stands for the resource `*` of actions without
    /// resource-level permissions.
    pub resource: ResourcePattern,
    /// The concrete caller; its Cognito identity id is replaced by the
    /// symbolic `{self}` id when [`Problem::identity`] is set.
    pub caller: Caller,
    /// Present when the caller is a Cognito identity.
    pub identity: Option<IdentitySpace>,
    /// Principal-tag keys whose values the attacker controls.
    pub free_tags: Vec<String>,
    pub policies: PolicySet<'p>,
    /// Pinned context keys, by key (compared without regard to case). A
    /// pin with no values at all says the key is absent from the request.
    pub context: BTreeMap<String, ContextPin>,
    pub quantifier: Quantifier,
}

/// Where identity ids come from: `REGION:GUID` ids of one identity pool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentitySpace {
    pub region: String,
    pub pool_id: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantifier {
    /// Is some matching request allowed?
    Exists,
    /// Is every matching request allowed?
    ForAll,
}

/// The answer to a [`Problem`].
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Outcome {
    /// Exists: an allowed request, replayed as allowed by `eval::decide`.
    Possible(Witness),
    /// Exists: no matching request is allowed. `blocking` names statements
    /// whose limits the proof needed (from Z3's unsat core; may be empty
    /// when nothing grants the action at all).
    Impossible { blocking: Vec<Blocker> },
    /// ForAll: every matching request is allowed.
    Always,
    /// ForAll: a matching request that is denied, replayed as denied.
    NotAlways(Witness),
    /// No answer: a timeout, an unsupported construct, or a witness that
    /// did not replay. Never reported as impossible.
    Unknown { reason: String },
}

/// A concrete request the answer rests on, with the identity ids chosen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Witness {
    pub request: eval::Request,
    pub self_id: Option<String>,
    pub other_id: Option<String>,
}

/// A statement whose limits an impossibility proof needed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Blocker {
    /// The policy's name in reports.
    pub policy: String,
    pub role: PolicyRole,
    /// Position in the policy's Statement list.
    pub statement: usize,
    /// The statement's Sid or position, for reports.
    pub label: String,
    #[serde(serialize_with = "eval::explain::serialize_location")]
    pub location: Location,
}
