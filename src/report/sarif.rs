//! SARIF 2.1.0 output for GitHub code scanning.
//!
//! `ruleId` is the finding's stable code. Each result carries a
//! `partialFingerprints` entry computed from the rule, the file, the JSON
//! pointer and the message — not from line numbers — so a finding keeps its
//! identity when unrelated lines move.

use serde_json::{Value, json};

use super::{FindingReport, RenderedLocation, locations};
use crate::diagnostic::Severity;

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
        rules.push(json!({
            "id": id,
            "name": rule_name(id),
            "shortDescription": { "text": rule_name(id) },
            "helpUri": format!("https://github.com/poolscope/poolscope/blob/main/docs/diagnostics.md#{id}"),
        }));
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
                    "poolscopeFinding/v1": fingerprint(finding.code, locs.first(), &finding.message),
                },
            })
        })
        .collect();
    let document = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "poolscope",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/poolscope/poolscope",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
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
    id.split('-')
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

/// SARIF wants URIs: relative paths with forward slashes, spaces escaped.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    path.replace('%', "%25").replace(' ', "%20")
}

/// FNV-1a, 64 bits: stable across runs and platforms, which is all a
/// fingerprint needs.
fn fingerprint(code: &str, loc: Option<&RenderedLocation>, message: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |text: &str| {
        for byte in text.bytes().chain([0u8]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    feed(code);
    if let Some(loc) = loc {
        feed(&uri(&loc.file));
        feed(&loc.pointer);
    }
    feed(message);
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_identifiers() {
        assert_eq!(rule_name("policy-unknown-action"), "PolicyUnknownAction");
    }

    #[test]
    fn fingerprints_ignore_line_numbers() {
        let a = RenderedLocation {
            file: "p.json".into(),
            line: 3,
            column: 1,
            end_line: 3,
            end_column: 5,
            pointer: "/Statement/0".into(),
            label: None,
        };
        let b = RenderedLocation {
            line: 9,
            end_line: 9,
            ..a.clone()
        };
        assert_eq!(
            fingerprint("x", Some(&a), "m"),
            fingerprint("x", Some(&b), "m")
        );
        assert_ne!(
            fingerprint("x", Some(&a), "m"),
            fingerprint("y", Some(&a), "m")
        );
    }
}
