//! One table of diagnostic ids (`poolscope::diagnostic::codes::CODES`):
//! every id the sources report is in it, docs/diagnostics.md lists exactly
//! its ids under the right headings, every check has its page, and the
//! SARIF `helpUri`s point at files and headings that exist.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::poolscope;
use poolscope::checks::CATALOGUE;
use poolscope::diagnostic::codes::{CODES, Section, code, is_check_id};

const DOCS: &str = "https://github.com/poolscope/poolscope/blob/main/";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source directory") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "tests") {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs")
            && path.file_name().is_some_and(|n| n != "tests.rs")
        {
            out.push(path);
        }
    }
}

/// The source of `path` without its unit tests (`#[cfg(test)]` and below).
fn non_test_source(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("UTF-8 source");
    match text.find("#[cfg(test)]") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// The string literals that follow `Diagnostic::error(` and its kin,
/// across line breaks.
fn literal_codes(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for call in [
        "Diagnostic::error(",
        "Diagnostic::warning(",
        "Diagnostic::note(",
        "Diagnostic::new(",
    ] {
        let mut rest = text;
        while let Some(at) = rest.find(call) {
            rest = &rest[at + call.len()..];
            let arg = rest.trim_start();
            if let Some(literal) = arg.strip_prefix('"') {
                let end = literal.find('"').expect("closed literal");
                out.push(literal[..end].to_string());
            }
        }
    }
    out
}

/// Every string literal of the form `word-word…`.
fn code_shaped_literals(text: &str) -> Vec<String> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            s.contains('-')
                && s.split('-').all(|w| {
                    !w.is_empty()
                        && w.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                })
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn the_scan_reads_calls_across_lines() {
    let text = "Diagnostic::error(\n    \"input-x\",\n    m)\nDiagnostic::warning(code, m)";
    assert_eq!(literal_codes(text), vec!["input-x".to_string()]);
    assert_eq!(
        code_shaped_literals("const M: &str = \"cli-missing-field\"; \"not a code\""),
        vec!["cli-missing-field".to_string()]
    );
}

#[test]
fn every_id_the_sources_report_is_in_the_table() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    assert!(files.len() > 50, "{files:?}");
    let families: BTreeSet<&str> = CODES
        .iter()
        .filter_map(|c| c.id.split_once('-').map(|(family, _)| family))
        .collect();
    let mut missing = BTreeSet::new();
    let mut called = 0;
    for file in &files {
        let text = non_test_source(file);
        let shown = file
            .strip_prefix(root())
            .unwrap_or(file)
            .display()
            .to_string();
        for id in literal_codes(&text) {
            called += 1;
            if code(&id).is_none() {
                missing.insert(format!("{id} ({shown})"));
            }
        }
        // Ids handed over as constants or arguments: any literal of an id
        // family (`policy-…`, `cli-…`) must be an id of the table.
        for id in code_shaped_literals(&text) {
            let family = id.split('-').next().unwrap_or_default();
            if families.contains(family) && code(&id).is_none() {
                missing.insert(format!("{id} ({shown})"));
            }
        }
    }
    assert!(called > 50, "the scan finds the calls: {called}");
    assert!(
        missing.is_empty(),
        "ids missing from codes::CODES: {missing:?}"
    );
}

#[test]
fn ids_are_unique_and_checks_agree_with_the_catalogue() {
    let mut seen = BTreeSet::new();
    for c in CODES {
        assert!(seen.insert(c.id), "{} twice", c.id);
    }
    let checks: Vec<_> = CODES.iter().filter(|c| is_check_id(c.id)).collect();
    assert_eq!(checks.len(), CATALOGUE.len());
    for check in CATALOGUE {
        let entry = code(check.info.id).unwrap_or_else(|| panic!("{} missing", check.info.id));
        assert_eq!(entry.severity, check.info.severity, "{}", check.info.id);
        assert_eq!(entry.section, Section::Audit, "{}", check.info.id);
    }
}

/// docs/diagnostics.md: each table row's ids, with the heading above it
/// and the severity cell.
fn documented() -> BTreeMap<String, (String, String)> {
    let text = std::fs::read_to_string(root().join("docs/diagnostics.md")).expect("docs");
    let mut heading = String::new();
    let mut out = BTreeMap::new();
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            heading = h.to_string();
            continue;
        }
        let cells: Vec<&str> = line.split(" | ").collect();
        if !line.starts_with("| `") || cells.len() < 3 {
            continue;
        }
        for id in cells[0].split('`').skip(1).step_by(2) {
            let previous = out.insert(id.to_string(), (heading.clone(), cells[1].to_string()));
            assert!(
                previous.is_none(),
                "{id} listed twice in docs/diagnostics.md"
            );
        }
    }
    out
}

#[test]
fn docs_diagnostics_lists_exactly_the_table() {
    let docs = documented();
    let listed: BTreeSet<&str> = docs.keys().map(String::as_str).collect();
    let table: BTreeSet<&str> = CODES.iter().map(|c| c.id).collect();
    assert_eq!(
        listed.difference(&table).collect::<Vec<_>>(),
        Vec::<&&str>::new(),
        "documented but not in codes::CODES"
    );
    assert_eq!(
        table.difference(&listed).collect::<Vec<_>>(),
        Vec::<&&str>::new(),
        "in codes::CODES but not documented"
    );
    for c in CODES {
        let (heading, severity) = &docs[c.id];
        assert_eq!(
            heading,
            c.section.heading(),
            "{} is under another heading",
            c.id
        );
        assert!(
            severity.starts_with(c.severity.as_str()),
            "{}: docs say `{severity}`, the table {}",
            c.id,
            c.severity.as_str()
        );
    }
}

#[test]
fn every_check_has_exactly_one_page() {
    let pages: BTreeSet<String> = std::fs::read_dir(root().join("docs/checks"))
        .expect("docs/checks")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    let expected: BTreeSet<String> = CODES
        .iter()
        .filter(|c| is_check_id(c.id))
        .map(|c| format!("{}.md", c.id))
        .collect();
    assert_eq!(pages, expected);
}

/// The anchors GitHub makes of a Markdown file's headings.
fn anchors(path: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|_| panic!("{}", path.display()));
    text.lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| {
            l.trim_start_matches('#')
                .trim()
                .to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
                .map(|c| if c == ' ' { '-' } else { c })
                .collect()
        })
        .collect()
}

/// The file and anchor a help link names exist.
fn assert_link_resolves(uri: &str) {
    let relative = uri
        .strip_prefix(DOCS)
        .unwrap_or_else(|| panic!("{uri} is not a docs link"));
    let (file, anchor) = match relative.split_once('#') {
        Some((file, anchor)) => (file, Some(anchor)),
        None => (relative, None),
    };
    let path = root().join(file);
    assert!(path.is_file(), "{uri}: no {file}");
    if let Some(anchor) = anchor {
        assert!(
            anchors(&path).contains(anchor),
            "{uri}: no heading `{anchor}` in {file}"
        );
    }
}

#[test]
fn help_links_of_every_id_and_of_real_sarif_resolve() {
    for c in CODES {
        assert_link_resolves(&format!("{DOCS}{}", c.docs_path()));
    }
    let runs = [
        poolscope(
            "lint",
            &[
                "tests/cases/lint",
                "--format",
                "sarif",
                "--fail-on",
                "never",
            ],
        ),
        poolscope(
            "audit",
            &["corpus", "--format", "sarif", "--fail-on", "never"],
        ),
    ];
    let mut rules = 0;
    for run in runs {
        assert_eq!(run.code, 0, "{}", run.stderr);
        let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("SARIF");
        for rule in doc["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .expect("rules")
        {
            rules += 1;
            assert_link_resolves(rule["helpUri"].as_str().expect("helpUri"));
        }
    }
    assert!(rules > 10, "{rules}");
}
