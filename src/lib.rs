//! poolscope: a static verifier for AWS identity setups built on Amazon Cognito.
//!
//! The pipeline, in module order: `source` reads files with locations;
//! `policy` is the IAM policy language; `eval` decides one concrete request
//! the way AWS does. Later stages (ingest, cognito, model, smt, query, checks)
//! build on these. The library never prints: it returns plain data and
//! [`diagnostic::Diagnostic`]s, which `report` renders.

pub mod checks;
pub mod cli;
pub mod cognito;
pub mod commands;
pub mod diagnostic;
pub mod eval;
pub mod explain;
pub mod ingest;
pub mod model;
pub mod policy;
pub mod query;
pub mod reach;
pub mod report;
pub mod smt;
pub mod source;
