//! `poolscope explain`: reads the inputs, checks `--identity`, and hands the
//! question to the explanation engine ([`crate::explain`]).

use crate::commands::ExitStatus;
use crate::diagnostic::Diagnostic;
use crate::explain::{ExplainReport, explain_inventory, is_identity_id};
use crate::ingest::Inputs;
use crate::query::QuestionText;

/// The command-line arguments of `explain`, as strings.
#[derive(Clone, Debug, Default)]
pub struct ExplainArgs {
    pub inputs: Inputs,
    pub question: QuestionText,
    /// `--identity`: the requesting identity's id.
    pub identity: Option<String>,
}

/// What `explain` hands to main: the report (when the inputs and the
/// question could be read), every diagnostic, and the exit status.
#[derive(Debug)]
pub struct ExplainOutcome {
    pub report: Option<ExplainReport>,
    /// Problems with the inputs or the question (errors), and what loading
    /// the inputs noticed (warnings, notes).
    pub diagnostics: Vec<Diagnostic>,
    pub status: ExitStatus,
}

/// Runs `explain` on files: loads them, then [`explain_inventory`].
pub fn explain(args: &ExplainArgs) -> ExplainOutcome {
    let question = args.question.parse(None);
    let mut diagnostics = Vec::new();
    let identity = args.identity.as_deref();
    if let Some(id) = identity
        && !is_identity_id(id)
    {
        diagnostics.push(
            Diagnostic::error(
                "query-bad-identity",
                format!("`{id}` is not an identity id"),
            )
            .with_help(
                "identity ids are `REGION:GUID`, e.g. `us-east-1:0f6e4d3c-2b1a-4c5d-8e7f-9a0b1c2d3e4f`",
            ),
        );
    }
    let question = match question {
        Ok(question) if diagnostics.is_empty() => question,
        Ok(_) => return bad_input(diagnostics),
        Err(mut errors) => {
            errors.append(&mut diagnostics);
            return bad_input(errors);
        }
    };
    let mut loaded = args.inputs.load();
    loaded.require_something_to_analyse();
    diagnostics.extend(loaded.diagnostics.iter().cloned());
    if loaded.input_failed {
        return bad_input(diagnostics);
    }
    match explain_inventory(&loaded.inventory, &question, identity) {
        Ok(mut report) => {
            diagnostics.append(&mut report.warnings);
            // docs/cli.md: a decision that rests on an unread part of a
            // snapshot is inconclusive.
            let status = if report.unreadable.is_empty() {
                ExitStatus::Clean
            } else {
                ExitStatus::Inconclusive
            };
            ExplainOutcome {
                report: Some(report),
                diagnostics,
                status,
            }
        }
        Err(mut errors) => {
            diagnostics.append(&mut errors);
            bad_input(diagnostics)
        }
    }
}

fn bad_input(diagnostics: Vec<Diagnostic>) -> ExplainOutcome {
    ExplainOutcome {
        report: None,
        diagnostics,
        status: ExitStatus::BadInput,
    }
}
