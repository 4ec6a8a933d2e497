//! `poolscope principals`: the route inventory — every principal class, the
//! role it gets, how, and who can take the route
//! ([`crate::checks::routes`]).

use crate::checks::routes::{PrincipalsReport, principals_report};
use crate::commands::ExitStatus;
use crate::diagnostic::Diagnostic;
use crate::ingest::Inputs;

#[derive(Debug)]
pub struct PrincipalsOutcome {
    /// `None` when the inputs could not be read.
    pub report: Option<PrincipalsReport>,
    pub diagnostics: Vec<Diagnostic>,
    pub status: ExitStatus,
}

/// `exclude` is the `--exclude` globs: paths to pass over while walking;
/// `params` the `--param` values for templates.
pub fn principals(inputs: &Inputs) -> PrincipalsOutcome {
    let mut loaded = inputs.load();
    loaded.require_something_to_analyse();
    if loaded.input_failed {
        return PrincipalsOutcome {
            report: None,
            diagnostics: loaded.diagnostics,
            status: ExitStatus::BadInput,
        };
    }
    PrincipalsOutcome {
        report: Some(principals_report(&loaded.inventory)),
        diagnostics: loaded.diagnostics,
        status: ExitStatus::Clean,
    }
}
