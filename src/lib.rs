//! poolscope: a static verifier for AWS identity setups built on Amazon Cognito.
//!
//! The pipeline, in module order: `source` reads files with locations;
//! `policy` is the IAM policy language; `eval` decides one concrete request
//! the way AWS does. Later stages build on these: `ingest` reads each input
//! kind into `model`'s inventory; `cognito` resolves roles and lists what an
//! outsider can be; `model` enumerates sessions and draws the principal
//! graph; `smt` answers questions with Z3; `query` states questions as data;
//! `commands` runs lint, explain, graph and query; `collect` takes a
//! snapshot of a live account with the AWS CLI. The library never prints:
//! it returns plain data and [`diagnostic::Diagnostic`]s, which `report`
//! renders.

pub mod checks;
pub mod cli;
pub mod cognito;
pub mod collect;
pub mod commands;
pub mod diagnostic;
pub mod eval;
pub mod explain;
pub mod gate;
pub mod ingest;
pub mod model;
pub mod policy;
pub mod query;
pub mod reach;
pub mod report;
pub mod smt;
pub mod source;
