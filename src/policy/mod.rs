//! The IAM policy language: AST, parsing, validation, patterns, values.
//!
//! Hands on typed [`ast::Policy`] documents to the evaluator, the model and
//! the solver encoding, and validation findings to `lint`.

pub mod ast;

pub use ast::{
    ActionElement, BaseOperator, Condition, ConditionValue, Effect, Operator, Policy, PolicyKind,
    Principal, PrincipalElement, RejectedStatement, ResourceElement, SetQualifier, Statement,
    Template, TemplatePart, ValueType,
};
pub mod arn;
pub mod catalogue;
pub mod parse;
pub mod pattern;
pub mod public;
pub mod validate;
pub mod value;
