//! The CI gates: `check` (a spec file's assertions, each a question to the
//! reachability engine) and `diff` (new access between two versions of the
//! inputs). Both ask [`crate::reach`] and [`crate::explain`] and hand plain
//! results to `commands`, which builds the finding report
//! that `report` renders (docs/architecture.md: between `checks` and
//! `report`).

pub mod check;
pub mod diff;
pub mod spec;

pub use check::{AssertionOutcome, CheckFinding, CheckResults, Status, check_inventory};
pub use diff::{Access, Appeared, DiffResults, Undecided, diff_inventories};
pub use spec::{Assertion, Spec, parse_spec, read_spec};
