//! `poolscope collect`: takes a read-only snapshot of a live account with
//! the user's AWS CLI ([`crate::collect`]) and says what it wrote, which
//! calls failed, and the exit status (docs/cli.md, "collect"): 0 when every
//! call was answered, 3 when some part of the account could not be read
//! (the snapshot is written, and says so), 2 when the collection could not
//! run.

use crate::collect::{CollectOptions, Collected, Progress, collect as take_snapshot};
use crate::commands::ExitStatus;
use crate::diagnostic::Diagnostic;

#[derive(Debug)]
pub struct CollectOutcome {
    pub collected: Option<Collected>,
    /// Why the collection stopped, or a warning per failed call.
    pub diagnostics: Vec<Diagnostic>,
    pub status: ExitStatus,
}

pub fn collect(options: &CollectOptions, progress: &(dyn Fn(Progress) + Sync)) -> CollectOutcome {
    match take_snapshot(options, progress) {
        Ok(collected) => {
            let diagnostics: Vec<Diagnostic> = collected
                .failed()
                .map(|call| {
                    Diagnostic::warning(
                        "snapshot-incomplete",
                        format!(
                            "`aws {}` failed in {}: {}{}",
                            call.call,
                            call.region,
                            call.error_code.as_deref().unwrap_or("an error"),
                            call.message
                                .as_deref()
                                .filter(|m| !m.is_empty())
                                .map(|m| format!(" ({m})"))
                                .unwrap_or_default()
                        ),
                    )
                    .with_help(
                        "the manifest records it; questions this part of the account could \
                         change answer `unknown` (docs/collect.md lists the read access needed)",
                    )
                })
                .collect();
            let status = if diagnostics.is_empty() {
                ExitStatus::Clean
            } else {
                ExitStatus::Inconclusive
            };
            CollectOutcome {
                collected: Some(collected),
                diagnostics,
                status,
            }
        }
        Err(diagnostics) => CollectOutcome {
            collected: None,
            diagnostics,
            status: ExitStatus::BadInput,
        },
    }
}

/// The summary line printed on standard output.
pub fn summary(collected: &Collected) -> String {
    let calls = collected.manifest.calls.len();
    let failed = collected.failed().count();
    format!(
        "collected account {} in {} into `{}`: {} files, {calls} calls, {failed} failed \
         (manifest: {})\n",
        collected.manifest.account.as_deref().unwrap_or("(unknown)"),
        collected.manifest.regions.join(", "),
        collected.out.display(),
        collected.files,
        crate::collect::manifest::FILE_NAME
    )
}
