//! The JSON report: `{"version": 1, "findings": [...], "summary": {...}}`
//! (docs/cli.md, "Output").

use serde::Serialize;

use super::{
    AssertionLine, FindingReport, Ignored, RenderedLocation, Summary, fingerprint, locations,
};
use crate::checks::{Evidence, Witness};

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    command: &'a str,
    findings: Vec<Finding<'a>>,
    /// `check`: every assertion with its outcome.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    assertions: &'a [AssertionLine],
    summary: SummaryWithIgnored<'a>,
}

/// The summary, and what `poolscope.toml` left out (`summary.ignored`).
#[derive(Serialize)]
struct SummaryWithIgnored<'a> {
    #[serde(flatten)]
    summary: Summary,
    #[serde(skip_serializing_if = "<[Ignored]>::is_empty")]
    ignored: &'a [Ignored],
}

#[derive(Serialize)]
struct Finding<'a> {
    id: &'a str,
    severity: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    locations: Vec<RenderedLocation>,
    fingerprint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<&'a Evidence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    witness: Option<&'a Witness>,
}

pub fn render(report: &FindingReport) -> String {
    let document = Document {
        version: 1,
        command: report.command,
        findings: report
            .findings
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let detail = report.detail(i);
                Finding {
                    id: f.code,
                    severity: f.severity.as_str(),
                    message: &f.message,
                    help: f.help.as_deref(),
                    locations: locations(f),
                    fingerprint: fingerprint(f),
                    evidence: detail.and_then(|d| d.evidence.as_ref()),
                    witness: detail.and_then(|d| d.witness.as_ref()),
                }
            })
            .collect(),
        assertions: &report.assertions,
        summary: SummaryWithIgnored {
            summary: report.summary(),
            ignored: &report.ignored,
        },
    };
    // Serialising plain strings and numbers cannot fail.
    let mut text = serde_json::to_string_pretty(&document).expect("plain data serialises");
    text.push('\n');
    text
}
