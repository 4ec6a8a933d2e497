//! Rendering `explain`: indented human text with `file:line:col` after every
//! statement, rule and setting, then the deciding statements drawn on their
//! source with miette; or the JSON document of docs/cli.md ("Output":
//! `explain` prints an object with a top-level `verdict`).

use std::fmt::Write as _;

use crate::diagnostic::Diagnostic;
use crate::eval::{Evaluation, PolicyTrace};
use crate::explain::{ExplainReport, RouteDecision, RouteReport, StepReport};
use crate::source::Location;

use super::human::{Style, render_diagnostic};

/// The JSON document: the report as data, with a format version.
pub fn render_json(report: &ExplainReport) -> String {
    if report.unreadable.is_empty() {
        return super::versioned_json(report);
    }
    // docs/semantics.md §12: the answer is unknown; the decision on what was
    // read is kept beside it.
    let mut value = serde_json::to_value(report).expect("plain data serialises");
    if let Some(object) = value.as_object_mut() {
        let decision = object.remove("verdict").unwrap_or_default();
        object.insert("decision_on_what_was_read".to_string(), decision);
        object.insert("verdict".to_string(), "unknown".into());
    }
    super::versioned_json(&value)
}

/// The human report.
pub fn render_human(report: &ExplainReport, style: Style) -> String {
    let mut out = super::human::question_header(
        "explain",
        [&report.principal, &report.action, &report.resource],
        if report.unreadable.is_empty() {
            report.verdict.as_str()
        } else {
            "unknown"
        },
        &report.summary,
    );
    for unread in &report.unreadable {
        let _ = writeln!(out, "unread: {unread}");
    }
    for note in &report.notes {
        let _ = writeln!(out, "note: {note}");
    }
    for route in &report.routes {
        out.push('\n');
        render_route(&mut out, route, report.routes.len());
    }
    if !report.help.is_empty() {
        out.push('\n');
        for help in &report.help {
            let _ = writeln!(out, "help: {help}");
        }
    }
    let deciding: Vec<&RouteReport> = report.deciding_routes().collect();
    if !deciding.is_empty() && !style.quiet {
        // Each note is headed by its code, `deciding-statement`.
        out.push('\n');
        let mut seen: Vec<&Location> = Vec::new();
        for route in deciding {
            for statement in &route.deciding {
                // The grants and the denies; a boundary or session policy
                // that allows only lets the grant through (shown above).
                let grant_or_deny = statement.effect == "Deny"
                    || !matches!(
                        statement.role.as_str(),
                        "permissions boundary" | "session policy"
                    );
                if !grant_or_deny || seen.contains(&&statement.location) {
                    continue;
                }
                seen.push(&statement.location);
                let verb = if statement.effect == "Deny" {
                    "denies"
                } else {
                    "allows"
                };
                let diagnostic = Diagnostic::note(
                    "deciding-statement",
                    format!(
                        "route {}: {} of the {} `{}` {verb}",
                        route.number, statement.label, statement.role, statement.policy
                    ),
                )
                .at(&statement.location, verb);
                out.push_str(&render_diagnostic(&diagnostic, style));
            }
        }
    }
    out
}

fn render_route(out: &mut String, route: &RouteReport, total: usize) {
    let role = route.role.as_deref().map(short_role).unwrap_or("no role");
    let _ = writeln!(
        out,
        "route {} of {total}: {}, {} flow → {role}",
        route.number, route.principal_text, route.flow
    );
    let _ = writeln!(out, "  how: {}", route.how_text);
    if !route.chain.is_empty() {
        let chain: Vec<&str> = route.chain.iter().map(|a| short_role(a)).collect();
        let _ = writeln!(out, "  chain: {} → {role}", chain.join(" → "));
        for (i, (from, step)) in route.chain.iter().zip(&route.steps).enumerate() {
            let _ = writeln!(out, "  step {}: `{}` takes {step}", i + 1, short_role(from));
        }
    }
    if let Some(id) = &route.identity_id {
        let other = route.other_identity_id.as_deref().unwrap_or("-");
        let _ = writeln!(out, "  identity: {id} ({{other}} = {other})");
    }
    if !route.claims.is_empty() {
        let claims: Vec<String> = route
            .claims
            .iter()
            .map(|(k, v)| match v.as_slice() {
                [one] => format!("{k}={one}"),
                many => format!("{k}=[{}]", many.join(", ")),
            })
            .collect();
        let _ = writeln!(out, "  claims: {}", claims.join(", "));
    }
    if let Some(outsider) = &route.outsider {
        let _ = writeln!(out, "  attacker: {outsider}");
    }
    if !route.resolution.is_empty() {
        let _ = writeln!(out, "  credentials:");
        for step in &route.resolution {
            render_step(out, step);
        }
    }
    if let Some(trust) = &route.trust {
        match trust.outcome {
            "unknown" => {
                let _ = writeln!(
                    out,
                    "  trust: unknown, taken as admitting ({})",
                    trust.text.as_deref().unwrap_or("")
                );
            }
            outcome => {
                for check in &trust.checks {
                    let _ = writeln!(
                        out,
                        "  trust ({}): {} — {}",
                        check.action,
                        check.evaluation.decision.as_str(),
                        check.evaluation.explanation.summary
                    );
                    render_policies(out, &check.evaluation, "    ");
                }
                if outcome == "refused" {
                    let _ = writeln!(out, "  → no credentials");
                }
            }
        }
    }
    if let Some(blocked) = &route.blocked
        && route.trust.as_ref().is_none_or(|t| t.outcome != "refused")
    {
        let _ = writeln!(out, "  no credentials: {blocked}");
    }
    if !route.principal_tags.is_empty() {
        let tags: Vec<String> = route
            .principal_tags
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let _ = writeln!(out, "  session tags: {}", tags.join(", "));
    }
    if route.decision != RouteDecision::NoCredentials {
        if route.session_policies.is_empty() {
            let _ = writeln!(out, "  session policies: none");
        } else {
            let _ = writeln!(
                out,
                "  session policies: {}",
                route.session_policies.join(", ")
            );
        }
    }
    for unknown in &route.unknown_policies {
        let _ = writeln!(out, "  unknown policy: {unknown}");
    }
    for note in &route.notes {
        let _ = writeln!(out, "  note: {note}");
    }
    let (Some(request), Some(evaluation)) = (&route.request, &route.evaluation) else {
        return;
    };
    let _ = writeln!(
        out,
        "  request: {} on {} by {}",
        request.action, request.resource, request.caller
    );
    if !request.context.is_empty() {
        let _ = writeln!(out, "    context:");
        for (key, values) in &request.context {
            let shown = match values.as_slice() {
                [one] => one.clone(),
                many => format!("[{}]", many.join(", ")),
            };
            let _ = writeln!(out, "      {key} = {shown}");
        }
    }
    for assumed in &request.assumed {
        let _ = writeln!(out, "    assumed: {assumed}");
    }
    let _ = writeln!(
        out,
        "  decision: {} — {}",
        route.decision.as_str(),
        evaluation.explanation.summary
    );
    render_policies(out, evaluation, "    ");
}

fn render_step(out: &mut String, step: &StepReport) {
    let mark = match step.kind {
        "matched" => "✓",
        "not_matched" => "✗",
        "uncertain" => "?",
        "chosen" => "→",
        "denied" => "⊘",
        _ => "·",
    };
    let _ = writeln!(
        out,
        "    {mark} {}{}",
        step.text,
        at(step.location.as_ref())
    );
}

fn render_policies(out: &mut String, evaluation: &Evaluation, indent: &str) {
    for policy in &evaluation.explanation.policies {
        render_policy(out, policy, indent);
    }
}

fn render_policy(out: &mut String, policy: &PolicyTrace, indent: &str) {
    let _ = writeln!(out, "{indent}{} `{}`", policy.role, policy.name);
    if policy.statements.is_empty() {
        let _ = writeln!(out, "{indent}  (no statements)");
    }
    for statement in &policy.statements {
        let mark = if statement.applies { "✓" } else { "✗" };
        let why = statement
            .reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_else(|| ": applies".to_string());
        let loc = if statement.applies {
            &statement.location
        } else {
            &statement.reason_location
        };
        let _ = writeln!(
            out,
            "{indent}  {mark} {} {}{why}{}",
            statement.effect,
            statement.label,
            at(Some(loc))
        );
        for assumption in &statement.assumptions {
            let _ = writeln!(out, "{indent}    assumed: {}", assumption.text);
        }
    }
}

/// ` (file:line:col)`, or nothing for built-in data without a file.
fn at(loc: Option<&Location>) -> String {
    match loc {
        Some(loc) => format!(" ({loc})"),
        None => String::new(),
    }
}

/// `role/name` of a role ARN, for headings.
fn short_role(arn: &str) -> &str {
    arn.rsplit_once(":role/")
        .map_or(arn, |(_, rest)| rest.rsplit('/').next().unwrap_or(rest))
}
