//! Human output: miette's graphical diagnostics with labelled spans, then a
//! one-line summary.

use miette::{GraphicalReportHandler, GraphicalTheme};

use super::FindingReport;
use crate::diagnostic::{Diagnostic, Rendered};

/// How the human report looks.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
    /// Leave out notes and the summary line.
    pub quiet: bool,
    /// Terminal width to wrap at.
    pub width: usize,
}

pub fn render(report: &FindingReport, style: Style) -> String {
    let mut out = String::new();
    for (i, finding) in report.findings.iter().enumerate() {
        if style.quiet && finding.severity == crate::diagnostic::Severity::Note {
            continue;
        }
        // An audit finding says what it rests on below its help.
        let mut finding = finding.clone();
        if let Some(evidence) = report.detail(i).and_then(|d| d.evidence.as_ref()) {
            let evidence = evidence.sentence();
            finding.help = Some(match finding.help {
                Some(help) => format!("{help}\n{evidence}"),
                None => evidence,
            });
        }
        out.push_str(&render_diagnostic(&finding, style));
        out.push('\n');
    }
    if !style.quiet {
        for line in &report.assertions {
            let mark = match line.status.as_str() {
                "held" => "✓",
                "violated" => "✗",
                _ => "?",
            };
            out.push_str(&format!(
                "{mark} {}: {} (expects {}, verdict {})\n",
                line.status, line.name, line.expect, line.verdict
            ));
        }
    }
    if !style.quiet {
        let s = report.summary();
        if let Some(a) = s.assertions {
            out.push_str(&format!(
                "{}: {} assertion{}: {} held, {} violated, {} unknown\n",
                report.command,
                report.assertions.len(),
                plural(report.assertions.len()),
                a.held,
                a.violated,
                a.unknown
            ));
        }
        if let Some(d) = s.diff {
            out.push_str(&format!(
                "{}: {} new access, {} removed, {} undecided (requests); {} route{} added, {} removed; {} question{} asked\n",
                report.command,
                d.new_access,
                d.removed_access,
                d.undecided,
                d.routes_added,
                plural(d.routes_added),
                d.routes_removed,
                d.questions,
                plural(d.questions),
            ));
        }
        out.push_str(&format!(
            "{}: {} error{}, {} warning{}, {} note{} in {} file{} read",
            report.command,
            s.errors,
            plural(s.errors),
            s.warnings,
            plural(s.warnings),
            s.notes,
            plural(s.notes),
            s.files_read,
            plural(s.files_read),
        ));
        if s.files_skipped > 0 {
            out.push_str(&format!(" ({} skipped)", s.files_skipped));
        }
        if s.baselined > 0 {
            out.push_str(&format!(", {} in the baseline not shown", s.baselined));
        }
        out.push('\n');
        for ignored in report.ignored.iter().filter(|i| !i.fingerprints.is_empty()) {
            let n = ignored.fingerprints.len();
            out.push_str(&format!(
                "ignored {n} {} finding{} at `{}` (poolscope.toml): {}\n",
                ignored.check,
                plural(n),
                ignored.pattern,
                ignored.reason
            ));
        }
    }
    out
}

pub fn render_diagnostic(diagnostic: &Diagnostic, style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .without_syntax_highlighting()
        .with_links(false);
    let mut out = String::new();
    let rendered = Rendered::new(diagnostic);
    if handler.render_report(&mut out, &rendered).is_err() {
        // Rendering into a String only fails on a broken Display impl; fall
        // back on the one-line form rather than losing the finding.
        out = format!("{diagnostic}\n");
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
/// The first two lines of a question's report: the question, then the
/// verdict with its summary.
pub fn question_header(
    command: &str,
    [principal, action, resource]: [&str; 3],
    verdict: &str,
    summary: &str,
) -> String {
    format!(
        "{command}: may {principal} do `{action}` on `{resource}`?\nverdict: {verdict} ({summary})\n"
    )
}
