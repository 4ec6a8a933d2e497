//! The SARIF that `audit` and `lint` print is valid SARIF 2.1.0: checked
//! against the OASIS JSON schema (tests/schemas/README.md says where the
//! vendored copy comes from), formats (`uri`, …) included.

mod common;

use common::poolscope;

/// The pattern of `run.language` in the published schema: its lone `]` is
/// a literal in JavaScript's legacy regular expressions but an error in
/// the strict ECMA-262 syntax the validator checks patterns with.
const LANGUAGE_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";

fn validator() -> jsonschema::Validator {
    let mut schema: serde_json::Value =
        serde_json::from_str(include_str!("schemas/sarif-schema-2.1.0.json"))
            .expect("the schema is JSON");
    // The same pattern with the `]` escaped: it means what it meant.
    let fixed = escape_language_pattern(&mut schema);
    assert_eq!(
        fixed, 2,
        "the vendored schema changed: run and toolComponent `language`"
    );
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles")
}

/// Escapes the `]` of [`LANGUAGE_PATTERN`] wherever the schema has it;
/// how many it fixed.
fn escape_language_pattern(value: &mut serde_json::Value) -> usize {
    match value {
        serde_json::Value::Object(map) => {
            let mut fixed = 0;
            for (key, child) in map.iter_mut() {
                if key == "pattern" && child == LANGUAGE_PATTERN {
                    *child = serde_json::Value::from(r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\]?$");
                    fixed += 1;
                } else {
                    fixed += escape_language_pattern(child);
                }
            }
            fixed
        }
        serde_json::Value::Array(items) => items.iter_mut().map(escape_language_pattern).sum(),
        _ => 0,
    }
}

/// Every schema violation of one SARIF document, one line each.
fn violations(validator: &jsonschema::Validator, what: &str, text: &str) -> Vec<String> {
    let document: serde_json::Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("{what}: SARIF output is not JSON: {e}"));
    validator
        .iter_errors(&document)
        .map(|e| format!("{what}: {} at {}", e, e.instance_path()))
        .collect()
}

fn corpus_cases() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut cases: Vec<String> = std::fs::read_dir(root)
        .expect("corpus")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| format!("corpus/{}", e.file_name().to_string_lossy()))
        .collect();
    cases.sort();
    cases
}

#[test]
fn audit_sarif_of_every_corpus_case_is_valid_sarif_2_1_0() {
    let validator = validator();
    let mut problems = Vec::new();
    let mut results = 0;
    let mut cases = corpus_cases();
    cases.push("tests/cases/audit/ps011".to_string());
    // The whole corpus as one model too (duplicates are warnings).
    cases.push("corpus".to_string());
    for case in &cases {
        // Templates need their account; the rest ignore the parameter.
        let run = poolscope(
            "audit",
            &[
                case,
                "--format",
                "sarif",
                "--fail-on",
                "never",
                "--param",
                "AWS::AccountId=111122223333",
            ],
        );
        assert_eq!(run.code, 0, "{case}: {}", run.stderr);
        problems.extend(violations(&validator, case, &run.stdout));
        let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        results += doc["runs"][0]["results"].as_array().map_or(0, Vec::len);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        results > 20,
        "the corpus gives findings to validate: {results}"
    );
}

#[test]
fn lint_sarif_is_valid_sarif_2_1_0() {
    let validator = validator();
    let mut problems = Vec::new();
    for inputs in [
        vec!["tests/cases/lint"],
        vec!["tests/fixtures/policies"],
        vec!["corpus/guest-overreach", "corpus/rules-on-groups"],
    ] {
        let mut args = inputs.clone();
        args.extend(["--format", "sarif", "--fail-on", "never"]);
        let run = poolscope("lint", &args);
        assert!(run.code == 0 || run.code == 2, "{inputs:?}: {}", run.stderr);
        if run.stdout.trim().is_empty() {
            continue;
        }
        problems.extend(violations(&validator, &inputs.join(" "), &run.stdout));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_validator_rejects_what_sarif_forbids() {
    // A guard on the test itself: a level SARIF does not have must fail.
    let validator = validator();
    let bad = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
        "results": [{"message": {"text": "m"}, "level": "fatal"}]}]}"#;
    assert!(!violations(&validator, "bad", bad).is_empty());
    // And real output spoiled: lines count from 1.
    let run = poolscope("audit", &["corpus/guest-overreach", "--format", "sarif"]);
    let mut doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        serde_json::Value::from(0);
    let text = serde_json::to_string(&doc).expect("JSON");
    assert!(!violations(&validator, "spoiled", &text).is_empty());
}

// An audit of a snapshot that could not read a bucket policy: valid SARIF
// whose run is marked unsuccessful, naming what was not read.
#[test]
fn an_incomplete_snapshot_is_an_unsuccessful_run() {
    let validator = validator();
    let run = poolscope(
        "audit",
        &["tests/fixtures/incomplete-snapshot", "--format", "sarif"],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    let problems = violations(&validator, "incomplete snapshot", &run.stdout);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let invocation = &doc["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false, "{}", run.stdout);
    let notes = invocation["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert_eq!(notes.len(), 1, "{}", run.stdout);
    assert!(
        notes[0]["message"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("photosharestorage3f2a9c1b142233-dev")),
        "{}",
        run.stdout
    );
    // A complete input has no invocation to report.
    let complete = poolscope("audit", &["corpus/amplify-storage", "--format", "sarif"]);
    let doc: serde_json::Value = serde_json::from_str(&complete.stdout).expect("JSON");
    assert!(doc["runs"][0].get("invocations").is_none());
}
