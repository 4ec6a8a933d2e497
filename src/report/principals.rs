//! `principals` output: the route inventory as a table (human) or a JSON
//! document.

use super::human::Style;
use crate::checks::routes::{PrincipalsReport, RouteReport, TakenBy};
use crate::diagnostic::RenderedLocation;

pub fn render_json(report: &PrincipalsReport) -> String {
    super::versioned_json(report)
}

/// A table — number, principal, role, how, who — then, per route, the
/// attacker's steps (or why only an administrator's users take it) and
/// where the route is configured.
pub fn render_human(report: &PrincipalsReport, style: Style) -> String {
    let mut out = String::new();
    if report.routes.is_empty() {
        out.push_str("no route gives credentials in these inputs\n");
    } else {
        let header = ["#", "principal", "role", "how", "who"];
        let rows: Vec<[String; 5]> = report
            .routes
            .iter()
            .map(|r| {
                [
                    r.number.to_string(),
                    r.principal_text.clone(),
                    role_cell(r),
                    r.how.clone(),
                    who_cell(&r.taken_by).to_string(),
                ]
            })
            .collect();
        let mut widths = header.map(|h| h.chars().count());
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |cells: [&str; 5]| {
            let mut text = String::new();
            for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
                if i + 1 == cells.len() {
                    text.push_str(cell);
                } else {
                    text.push_str(&format!("{cell:<w$}  "));
                }
            }
            text.trim_end().to_string() + "\n"
        };
        out.push_str(&line(header));
        for row in &rows {
            out.push_str(&line([&row[0], &row[1], &row[2], &row[3], &row[4]]));
        }
        out.push('\n');
        for route in &report.routes {
            out.push_str(&format!(
                "{}. {} → {}\n",
                route.number,
                route.principal_text,
                role_cell(route)
            ));
            match &route.taken_by {
                TakenBy::Outsider { steps } => {
                    out.push_str(&format!("   an outsider alone: {}\n", steps.join("; ")));
                }
                TakenBy::Administered { because } => {
                    out.push_str(&format!(
                        "   only someone an administrator set up: {because}\n"
                    ));
                }
                TakenBy::Unknown { why } => {
                    out.push_str(&format!("   not settled: {why}\n"));
                }
            }
            if !style.quiet {
                for loc in &route.locations {
                    out.push_str(&format!("   at {}\n", at(loc)));
                }
            }
        }
    }
    if !style.quiet {
        for route in &report.refused {
            out.push_str(&format!(
                "note: {} → {} ({}): no credentials, {}\n",
                route.principal_text,
                role_cell(route),
                route.how,
                route.blocked.as_deref().unwrap_or("refused")
            ));
        }
        let outsiders = report
            .routes
            .iter()
            .filter(|r| r.taken_by.is_outsider())
            .count();
        out.push_str(&format!(
            "principals: {} route{} to credentials, {outsiders} open to outsiders\n",
            report.routes.len(),
            if report.routes.len() == 1 { "" } else { "s" }
        ));
    }
    out
}

fn role_cell(route: &RouteReport) -> String {
    let role = route
        .role
        .clone()
        .unwrap_or_else(|| "(no role)".to_string());
    if route.chain.is_empty() {
        role
    } else {
        format!("{} → {role}", route.chain.join(" → "))
    }
}

fn who_cell(taken_by: &TakenBy) -> &'static str {
    match taken_by {
        TakenBy::Outsider { .. } => "outsider",
        TakenBy::Administered { .. } => "administrator's",
        TakenBy::Unknown { .. } => "unknown",
    }
}

fn at(loc: &RenderedLocation) -> String {
    format!("{}:{}:{}", loc.file, loc.line, loc.column)
}
