//! The `poolscope` binary: parses arguments, calls the library, renders the
//! report and exits with the code docs/cli.md documents.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use poolscope::cli::{
    Cli, ColorChoice, Command, ExplainFormat, FailOn, GraphFormat, InputPaths, ReportFormat,
};
use poolscope::commands::{
    ExitStatus, audit, check, collect, diff, explain, graph, lint, principals, query,
};
use poolscope::diagnostic::{Diagnostic, Severity};
use poolscope::report::{self, FindingReport, human};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            // clap's help and version are successes; everything else is a
            // usage error, which docs/cli.md gives exit code 2.
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
            let outcome = lint::lint(&cli.common.inputs(args.inputs));
            print(&render_findings(&outcome.report, args.format, style));
            outcome.status(threshold(args.fail_on))
        }
        Command::Explain(args) => {
            let outcome = explain::explain(&explain::ExplainArgs {
                inputs: cli.common.inputs(args.inputs),
                question: args.question.text(),
                identity: args.identity,
            });
            eprint_diagnostics(&outcome.diagnostics, style);
            if let Some(report) = &outcome.report {
                print(&match args.format {
                    ExplainFormat::Human => report::explain::render_human(report, style),
                    ExplainFormat::Json => report::explain::render_json(report),
                });
            }
            outcome.status
        }
        Command::Query(args) => {
            let outcome = query::query(&query::QueryArgs {
                inputs: cli.common.inputs(args.inputs),
                question: args.question.text(),
                expect: args.expect,
                timeout_ms: cli.common.timeout_ms,
            });
            eprint_diagnostics(&outcome.diagnostics, style);
            if let Some(report) = &outcome.report {
                print(&match args.format {
                    ExplainFormat::Human => report::query::render_human(report, style),
                    ExplainFormat::Json => report::query::render_json(report),
                });
            }
            outcome.status
        }
        Command::Audit(args) => {
            let bar = progress_bar(style.quiet);
            let outcome = audit::audit_with_progress(
                &audit::AuditArgs {
                    inputs: cli.common.inputs(args.inputs),
                    timeout_ms: cli.common.timeout_ms,
                    baseline: args.baseline,
                    config: args.config,
                    threads: 0,
                },
                &|step| show_progress(bar.as_ref(), step),
            );
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            eprint_diagnostics(&outcome.diagnostics, style);
            if !outcome.input_failed {
                print(&render_findings(&outcome.report, args.format, style));
            }
            outcome.status(outcome.threshold(args.fail_on.map(threshold)))
        }
        Command::Collect(args) => {
            let bar = collect_bar(style.quiet);
            let outcome = collect::collect(
                &poolscope::collect::CollectOptions {
                    out: args.out,
                    profile: args.profile,
                    regions: args.regions,
                    all_regions: args.all_regions,
                    endpoint_url: args.endpoint_url,
                    workers: args.workers,
                },
                &|step| show_collect_progress(bar.as_ref(), step),
            );
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            eprint_diagnostics(&outcome.diagnostics, style);
            if let Some(collected) = &outcome.collected {
                print(&collect::summary(collected));
            }
            outcome.status
        }
        Command::Check(args) => {
            let outcome = check::check(&check::CheckArgs {
                inputs: cli.common.inputs(args.inputs),
                spec: args.spec,
                timeout_ms: cli.common.timeout_ms,
            });
            eprint_diagnostics(&outcome.diagnostics, style);
            if let Some(report) = &outcome.report {
                print(&render_findings(report, args.format, style));
            }
            outcome.status
        }
        Command::Diff(args) => {
            let outcome = diff::diff(&diff::DiffArgs {
                base: cli.common.inputs(InputPaths { paths: args.base }),
                head: cli.common.inputs(InputPaths { paths: args.head }),
                fail_on_new: args.fail_on_new,
                timeout_ms: cli.common.timeout_ms,
            });
            eprint_diagnostics(&outcome.diagnostics, style);
            if let Some(report) = &outcome.report {
                print(&render_findings(report, args.format, style));
            }
            outcome.status
        }
        Command::Principals(args) => {
            let outcome = principals::principals(&cli.common.inputs(args.inputs));
            eprint_diagnostics(&outcome.diagnostics, style);
            if let Some(report) = &outcome.report {
                print(&match args.format {
                    ExplainFormat::Human => report::principals::render_human(report, style),
                    ExplainFormat::Json => report::principals::render_json(report),
                });
            }
            outcome.status
        }
        Command::Graph(args) => {
            let outcome = graph::graph(&cli.common.inputs(args.inputs));
            eprint_diagnostics(&outcome.diagnostics, style);
            if let Some(graph) = &outcome.graph {
                print(&match args.format {
                    GraphFormat::Dot => report::graph::render_dot(graph),
                    GraphFormat::Mermaid => report::graph::render_mermaid(graph),
                    GraphFormat::Json => report::graph::render_json(graph),
                });
            }
            outcome.status
        }
    };
    ExitCode::from(status.code())
}

/// A progress bar on standard error for long audits: only on a terminal,
/// and not with `--quiet`.
fn progress_bar(quiet: bool) -> Option<indicatif::ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} [{bar:24}] {pos}/{len} checks")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(bar)
}

fn show_progress(bar: Option<&indicatif::ProgressBar>, step: audit::Progress) {
    let Some(bar) = bar else {
        return;
    };
    match step {
        audit::Progress::Preparing => bar.set_message("reading inputs, listing routes"),
        audit::Progress::Checking { checks } => {
            bar.set_length(checks as u64);
            bar.set_message("running checks");
        }
        audit::Progress::CheckDone { id } => {
            bar.inc(1);
            bar.set_message(format!("{id} done"));
        }
    }
}

/// `collect`'s progress bar: jobs done of jobs known so far, with the
/// region and service of the last one; only on a terminal, not with
/// `--quiet`.
fn collect_bar(quiet: bool) -> Option<indicatif::ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar =
        indicatif::ProgressBar::with_draw_target(Some(0), indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} [{bar:24}] {pos}/{len} reads")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("collecting");
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(bar)
}

fn show_collect_progress(bar: Option<&indicatif::ProgressBar>, step: poolscope::collect::Progress) {
    let Some(bar) = bar else {
        return;
    };
    match step {
        poolscope::collect::Progress::Queued(n) => bar.inc_length(n as u64),
        poolscope::collect::Progress::Done { region, service } => {
            bar.inc(1);
            bar.set_message(format!("{region} {service}"));
        }
    }
}

/// A report of findings (`lint`, `audit`, `check`, `diff`) in the format asked.
fn render_findings(report: &FindingReport, format: ReportFormat, style: human::Style) -> String {
    match format {
        ReportFormat::Human => human::render(report, style),
        ReportFormat::Json => report::json::render(report),
        ReportFormat::Sarif => report::sarif::render(report),
    }
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

/// Errors always, warnings unless `--quiet`, on stderr (stdout carries the
/// report, which may be JSON or DOT).
fn eprint_diagnostics(diagnostics: &[Diagnostic], style: human::Style) {
    let mut stderr = std::io::stderr().lock();
    for diagnostic in diagnostics {
        let shown = match diagnostic.severity {
            Severity::Error => true,
            Severity::Warning => !style.quiet,
            Severity::Note => false,
        };
        if shown {
            let _ = stderr.write_all(human::render_diagnostic(diagnostic, style).as_bytes());
        }
    }
}

fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`poolscope lint . | head`) is not an error worth a panic.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}
