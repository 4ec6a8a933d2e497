//! Questions as data: who asks (a principal selector), for which action and
//! resource (with `{self}` / `{other}` placeholders), under which claims and
//! request context, and what the asker expects.
//!
//! Parsed from the command line now and from spec files later; every parse
//! error is a diagnostic with help. Hands on [`Question`]s to the solver
//! encoding and to `explain`.

pub mod principal;
pub mod question;

pub use principal::PrincipalSelector;
pub use question::{
    ContextPin, Expectation, IdSlot, Leniency, PatternPart, Question, QuestionText, ResourcePattern,
};
