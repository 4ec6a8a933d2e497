//! SARIF 2.1.0 output for GitHub code scanning.
//!
//! `ruleId` is the finding's stable code. Each result carries a
//! `partialFingerprints` entry computed from the rule, the file, the JSON
//! pointer and the message — not from line numbers — so a finding keeps its
//! identity when unrelated lines move.

use serde_json::{Value, json};

use super::{FindingReport, RenderedLocation, fingerprint, locations};
use crate::checks::check_info;
use crate::diagnostic::{Severity, codes};

/// Where rule help pages live.
const DOCS: &str = "https://github.com/poolscope/poolscope/blob/main/";

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn render(report: &FindingReport) -> String {
    let mut rules: Vec<Value> = Vec::new();
    let mut rule_ids: Vec<&str> = Vec::new();
    for finding in &report.findings {
        if !rule_ids.contains(&finding.code) {
            rule_ids.push(finding.code);
        }
    }
    rule_ids.sort_unstable();
    for id in &rule_ids {
        rules.push(match check_info(id) {
            // Audit checks carry their own texts and docs page.
            Some(info) => json!({
                "id": id,
                "name": rule_name(info.title),
                "shortDescription": { "text": info.title },
                "fullDescription": { "text": info.description },
                "help": {
                    "text": info.fix,
                    "markdown": format!(
                        "{}\n\n**How to fix:** {}\n\nSee [{}]({DOCS}{}).",
                        info.description, info.fix, info.id, info.docs_path()
                    ),
                },
                "helpUri": format!("{DOCS}{}", info.docs_path()),
                "defaultConfiguration": { "level": level(info.severity) },
                "properties": {
                    "security-severity": info.security_severity,
                    "tags": info.tags,
                },
            }),
            // Every other id: its entry of the one table of ids, linked to
            // its heading of docs/diagnostics.md.
            None => match codes::code(id) {
                Some(code) => json!({
                    "id": id,
                    "name": rule_name(id),
                    "shortDescription": { "text": code.summary },
                    "helpUri": format!("{DOCS}{}", code.docs_path()),
                    "defaultConfiguration": { "level": level(code.severity) },
                }),
                None => json!({
                    "id": id,
                    "name": rule_name(id),
                    "shortDescription": { "text": rule_name(id) },
                    "helpUri": format!("{DOCS}docs/diagnostics.md"),
                }),
            },
        });
    }
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|finding| {
            let locs = locations(finding);
            let mut message = finding.message.clone();
            if let Some(help) = &finding.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let rule_index = rule_ids.iter().position(|id| *id == finding.code);
            json!({
                "ruleId": finding.code,
                "ruleIndex": rule_index,
                "level": level(finding.severity),
                "message": { "text": message },
                "locations": locs.iter().take(1).map(physical).collect::<Vec<_>>(),
                "relatedLocations": locs.iter().skip(1).enumerate()
                    .map(|(i, l)| {
                        let mut v = physical(l);
                        v["id"] = json!(i + 1);
                        v
                    })
                    .collect::<Vec<_>>(),
                "partialFingerprints": {
                    "poolscopeFinding/v1": fingerprint(finding),
                },
            })
        })
        .collect();
    let mut run = json!({
        "tool": { "driver": {
            "name": "poolscope",
            "version": env!("CARGO_PKG_VERSION"),
            "informationUri": "https://github.com/poolscope/poolscope",
            "rules": rules,
        }},
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    // An audit of an incomplete snapshot did not run on the whole account:
    // code scanning shows the run as failed, with what was not read.
    if !report.unread.is_empty() {
        run["invocations"] = json!([{
            "executionSuccessful": false,
            "toolExecutionNotifications": report
                .unread
                .iter()
                .map(|text| json!({
                    "level": "warning",
                    "descriptor": { "id": "snapshot-incomplete" },
                    "message": { "text": format!("the snapshot is incomplete: {text}") },
                }))
                .collect::<Vec<_>>(),
        }]);
    }
    let document = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [run],
    });
    let mut text = serde_json::to_string_pretty(&document).expect("plain data serialises");
    text.push('\n');
    text
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// `policy-unknown-action` → `PolicyUnknownAction` (SARIF rule names are
/// identifiers).
fn rule_name(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

fn physical(loc: &RenderedLocation) -> Value {
    let mut value = json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(&loc.file) },
            "region": {
                "startLine": loc.line,
                "startColumn": loc.column,
                "endLine": loc.end_line,
                "endColumn": loc.end_column,
            },
        },
        "logicalLocations": [{ "fullyQualifiedName": loc.pointer, "kind": "element" }],
    });
    if let Some(label) = &loc.label {
        value["message"] = json!({ "text": label });
    }
    value
}

/// SARIF wants URI references (RFC 3986): relative paths with forward
/// slashes, every byte outside the unreserved characters and `/`
/// percent-encoded (spaces, `%`, `:` and non-ASCII text such as the
/// `⟨unknown …⟩` names of stand-in policies).
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_escape_everything_but_unreserved_characters() {
        assert_eq!(uri("./corpus/a b/x.json"), "corpus/a%20b/x.json");
        assert_eq!(uri("dir\\x%.json"), "dir/x%25.json");
        assert_eq!(
            uri("t.json (⟨unknown: X⟩)"),
            "t.json%20%28%E2%9F%A8unknown%3A%20X%E2%9F%A9%29"
        );
    }

    #[test]
    fn rule_names_are_identifiers() {
        assert_eq!(rule_name("policy-unknown-action"), "PolicyUnknownAction");
    }
}
