//! Rendering `query`: a short proof in text — the verdict, the path from
//! principal to access, the witness request and the statements that decide
//! it, each with `file:line:col` — or the JSON document of docs/cli.md
//! ("Output": `query` prints an object with a top-level `verdict`).

use std::fmt::Write as _;

use crate::diagnostic::RenderedLocation;
use crate::reach::{QueryReport, RouteVerdict};

use super::human::Style;

pub fn render_json(report: &QueryReport) -> String {
    super::versioned_json(report)
}

fn at(loc: &RenderedLocation) -> String {
    format!("{}:{}:{}", loc.file, loc.line, loc.column)
}

pub fn render_human(report: &QueryReport, style: Style) -> String {
    let mut out = super::human::question_header(
        "query",
        [&report.principal, &report.action, &report.resource],
        report.verdict.as_str(),
        &report.summary,
    );
    for unread in &report.unreadable {
        let _ = writeln!(out, "unread: {unread}");
    }
    if let (Some(expect), Some(held)) = (&report.expect, report.expectation_held) {
        let _ = writeln!(
            out,
            "expected: {expect} — {}",
            if held { "holds" } else { "DOES NOT HOLD" }
        );
    }
    if let Some(witness) = &report.witness {
        let kind = match (witness.replayed == "allowed", report.unreadable.is_empty()) {
            (true, true) => "witness",
            (false, true) => "counterexample",
            // The request is allowed or denied on what was read; an unread
            // part may decide it otherwise (docs/semantics.md §12).
            (true, false) => "witness on what was read",
            (false, false) => "counterexample on what was read",
        };
        let _ = writeln!(out, "\n{kind} (route {}):", witness.route);
        for (i, step) in witness.path.iter().enumerate() {
            let _ = writeln!(out, "  {}{step}", if i == 0 { "" } else { "→ " });
        }
        if let Some(id) = &witness.identity_id {
            if witness.identity_is_caller {
                let _ = writeln!(out, "  identity id: {id}");
            } else {
                let _ = writeln!(out, "  {{self}} stands for: {id}");
            }
        }
        if let Some(id) = &witness.other_identity_id {
            let _ = writeln!(out, "  {{other}} identity id: {id}");
        }
        for (claim, values) in &witness.claims {
            let _ = writeln!(out, "  claim {claim} = {}", values.join(", "));
        }
        let _ = writeln!(out, "  request: {} `{}`", witness.action, witness.resource);
        let _ = writeln!(out, "    as {}", witness.caller);
        for (key, values) in &witness.context {
            let _ = writeln!(out, "    {key} = {}", values.join(", "));
        }
        let _ = writeln!(
            out,
            "  replayed by the concrete evaluator: {}",
            witness.replayed
        );
        for statement in &witness.deciding {
            let _ = writeln!(
                out,
                "    {} {} {} of {} ({})",
                if statement.effect == "Allow" {
                    "✓"
                } else {
                    "✗"
                },
                statement.effect,
                statement.statement,
                statement.policy,
                at(&statement.location)
            );
        }
    }
    if !report.routes.is_empty() && (!style.quiet || report.witness.is_none()) {
        let _ = writeln!(out, "\nroutes:");
        for route in &report.routes {
            let verdict = match route.verdict {
                RouteVerdict::Possible => "possible",
                RouteVerdict::Impossible => "impossible",
                RouteVerdict::Unknown => "unknown",
                RouteVerdict::NoCredentials => "no credentials",
            };
            let role = route.role.as_deref().unwrap_or("(no role)");
            let how = if route.flow == "none" {
                route.how.clone()
            } else {
                format!("{} flow; {}", route.flow, route.how)
            };
            let _ = writeln!(
                out,
                "  {}. {} → {} ({how}): {verdict}",
                route.number, route.principal, role
            );
            if let Some(always) = route.always {
                let _ = writeln!(
                    out,
                    "     every matching request allowed: {}",
                    if always { "yes" } else { "no" }
                );
            }
            if let Some(reason) = &route.reason {
                let _ = writeln!(out, "     {reason}");
            }
            if let Some(rests_on) = &route.rests_on {
                let _ = writeln!(out, "     {rests_on}");
            }
            for loc in &route.blocking {
                let label = loc.label.as_deref().unwrap_or("blocks it");
                let _ = writeln!(out, "     blocked by: {label} ({})", at(loc));
            }
        }
    }
    if !report.help.is_empty() {
        out.push('\n');
        for help in &report.help {
            let _ = writeln!(out, "help: {help}");
        }
    }
    if !style.quiet {
        for note in &report.notes {
            let _ = writeln!(out, "note: {note}");
        }
    }
    out
}
