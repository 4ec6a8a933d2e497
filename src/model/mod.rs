//! The model of an AWS identity setup, built from every input file.
//!
//! [`inventory`] holds everything the inputs say — IAM roles, users, groups
//! and managed policies, Cognito identity and user pools, bucket policies —
//! with lookups by ARN, id and name, and reports references that point at
//! nothing the inputs show. Every ingester (AWS CLI snapshots now,
//! CloudFormation and Terraform later) fills the same [`Inventory`]. The
//! session enumeration ([`sessions`]), the principal graph ([`graph`]) and
//! the commands read it; the solver encoding never does: `query` hands
//! `smt` each route's policies and caller as plain data.

pub mod assumptions;
pub mod functions;
pub mod graph;
pub mod inventory;
pub mod pitfalls;
pub mod public_access;
pub mod self_admin;
pub mod sessions;
pub mod unreadable;

pub use functions::Function;
pub use inventory::{
    BucketPolicy, IamGroup, IamUser, Inventory, ManagedPolicy, NamedPolicy, PolicyRef, Role,
    RoleRef,
};
