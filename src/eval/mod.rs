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
//! - [`public_access`]: S3 Block Public Access's `RestrictPublicBuckets` on an allowed request;
//! - [`explain`]: the plain-data decision and explanation it hands on.
//!
//! ```
//! use poolscope::eval::{Caller, Decision, PolicySet, Request, decide};
//! use poolscope::policy::{PolicyKind, parse::parse_policy_text};
//!
//! // The per-identity S3 prefix of the Cognito Developer Guide.
//! let policy = parse_policy_text(
//!     "own-prefix.json",
//!     r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
//!         "Action": "s3:GetObject",
//!         "Resource": "arn:aws:s3:::photos/${cognito-identity.amazonaws.com:sub}/*"}]}"#,
//!     PolicyKind::Identity,
//! )
//! .expect("a valid policy")
//! .policy;
//! let caller = Caller::role_session("arn:aws:iam::111122223333:role/Auth", "s")
//!     .with_cognito("us-east-1:aaaa", "us-east-1:pool", &["authenticated"]);
//! let set = PolicySet::new().with_identity(&policy);
//! let own = Request::new(caller.clone(), "s3:GetObject", "arn:aws:s3:::photos/us-east-1:aaaa/a.jpg");
//! let other = Request::new(caller, "s3:GetObject", "arn:aws:s3:::photos/us-east-1:bbbb/a.jpg");
//! assert_eq!(decide(&own, &set), Decision::Allowed);
//! assert_eq!(decide(&other, &set), Decision::ImplicitlyDenied);
//! ```
//!
//! Matching of actions, ARNs and `StringLike` values lives in
//! [`crate::policy::pattern`], typed values in [`crate::policy::value`].

pub mod condition;
pub mod decide;
pub mod explain;
pub mod public_access;
pub mod request;
pub mod statement;

pub use condition::condition_holds;
pub use decide::{PolicySet, ResourcePolicy, ResourcePolicyKind, decide, evaluate};
pub use explain::{
    Assumption, AssumptionKind, Decision, Evaluation, Explanation, PolicyRole, PolicyTrace,
    StatementRef, StatementTrace,
};
pub use public_access::{RestrictPublicBuckets, passes_restriction};
pub use request::{Caller, CallerKind, CognitoSession, Context, ContextValue, Request};
pub use statement::{Applied, Grantee, NotApplied, principal_applies, statement_applies};

#[cfg(test)]
mod tests;
