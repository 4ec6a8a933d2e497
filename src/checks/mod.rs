//! The audit checks, one file per check, and the route inventory they share.
//!
//! [`routes`] lists every route to credentials with who can take it (also
//! what `poolscope principals` prints). Each check reads the inventory and
//! the route inventory, asks the reachability engine ([`crate::reach`])
//! where a finding is about access, and returns findings: one diagnostic
//! that names the construct to change, with a witness where reach found one.

pub mod routes;
