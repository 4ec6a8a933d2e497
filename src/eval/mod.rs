//! The concrete evaluator: decides one request the way AWS does.
//!
//! This is poolscope's reference semantics. `explain` prints its
//! [`Evaluation`]; every solver witness is re-checked with [`decide()`]
//! before it is shown; property tests hold the SMT encoding to it.
//!
//! Stages, one module each:
//! - [`request`]: the request (caller, action, resource, context keys) and
//!   the global keys that follow from the caller;
//! - [`condition`]: one condition entry against the context;
//! - [`statement`]: one statement against the request;
//! - [`decide`](mod@decide): AWS's evaluation logic across policy types and accounts;
//! - [`explain`]: the plain-data decision and explanation it hands on.
//!
//! Matching of actions, ARNs and `StringLike` values lives in
//! [`crate::policy::pattern`], typed values in [`crate::policy::value`].

pub mod condition;
pub mod decide;
pub mod explain;
pub mod request;
pub mod statement;

pub use condition::condition_holds;
pub use decide::{PolicySet, ResourcePolicy, ResourcePolicyKind, decide, evaluate};
pub use explain::{
    Decision, Evaluation, Explanation, PolicyRole, PolicyTrace, StatementRef, StatementTrace,
};
pub use request::{Caller, CallerKind, CognitoSession, Context, ContextValue, Request};
pub use statement::{Applied, Grantee, NotApplied, principal_applies, statement_applies};

#[cfg(test)]
mod tests;
