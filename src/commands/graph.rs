//! `poolscope graph`: the principal graph of the inputs, for people to
//! look at.
//!
//! Reads the inputs into the inventory and builds the
//! [`PrincipalGraph`]; `report::graph` renders it as DOT, Mermaid or JSON.
//! Exit status 2 when an input cannot be read or parsed or the inputs hold
//! nothing to analyse, else 0.

use crate::commands::ExitStatus;
use crate::diagnostic::Diagnostic;
use crate::ingest::Inputs;
use crate::model::graph::PrincipalGraph;

#[derive(Debug)]
pub struct GraphOutcome {
    /// `None` when the inputs could not be read.
    pub graph: Option<PrincipalGraph>,
    /// What loading the inputs noticed.
    pub diagnostics: Vec<Diagnostic>,
    pub status: ExitStatus,
}

/// `exclude` is the `--exclude` globs: paths to pass over while walking.
pub fn graph(inputs: &Inputs) -> GraphOutcome {
    let mut loaded = inputs.load();
    loaded.require_something_to_analyse();
    if loaded.input_failed {
        return GraphOutcome {
            graph: None,
            diagnostics: loaded.diagnostics,
            status: ExitStatus::BadInput,
        };
    }
    GraphOutcome {
        graph: Some(PrincipalGraph::build(&loaded.inventory)),
        diagnostics: loaded.diagnostics,
        status: ExitStatus::Clean,
    }
}
