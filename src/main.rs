//! The `poolscope` binary: parses arguments, calls the library, renders the
//! report and exits with the code PRODUCT.md documents.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use poolscope::cli::{Cli, ColorChoice, Command, FailOn, ReportFormat};
use poolscope::commands::{ExitStatus, lint};
use poolscope::diagnostic::Severity;
use poolscope::report::{self, human};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            // clap's help and version are successes; everything else is a
            // usage error, which PRODUCT.md gives exit code 2.
            return if err.use_stderr() {
                ExitCode::from(ExitStatus::BadInput.code())
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let style = human::Style {
        color: match cli.common.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        },
        quiet: cli.common.quiet,
        width: terminal_width(),
    };
    let status = match cli.command {
        Command::Lint(args) => {
            let outcome = lint::lint(&args.paths);
            let text = match args.format {
                ReportFormat::Human => human::render(&outcome.report, style),
                ReportFormat::Json => report::json::render(&outcome.report),
                ReportFormat::Sarif => report::sarif::render(&outcome.report),
            };
            print(&text);
            outcome.status(threshold(args.fail_on))
        }
    };
    ExitCode::from(status.code())
}

fn threshold(fail_on: FailOn) -> Option<Severity> {
    match fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Note => Some(Severity::Note),
        FailOn::Never => None,
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`poolscope lint . | head`) is not an error worth a panic.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}
