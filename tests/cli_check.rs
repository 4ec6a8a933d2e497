//! `poolscope check` over the real binary: every corpus case's spec holds,
//! and the exit codes, findings and spans of docs/cli.md ("Spec file
//! (`check`)").

mod common;

use common::{Run, poolscope};

fn check(args: &[&str]) -> Run {
    poolscope("check", args)
}

/// The parameters a case's templates need: those of the first `poolscope
/// query` fact in its README.
fn params(case: &str) -> Vec<String> {
    let readme = format!("{}/corpus/{case}/README.md", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(readme).unwrap_or_default();
    let Some(line) = text.lines().find(|l| l.starts_with("poolscope query")) else {
        return Vec::new();
    };
    let words: Vec<&str> = line.split_whitespace().collect();
    words
        .windows(2)
        .filter(|w| w[0] == "--param")
        .flat_map(|w| ["--param".to_string(), w[1].to_string()])
        .collect()
}

fn cases() -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"))
        .expect("corpus is readable")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    cases
}

// Each corpus README's facts, as a spec: every assertion holds (exit 0),
// and each spec asserts both that some access is impossible and that some
// is possible, so neither kind of gate is vacuous.
#[test]
fn every_corpus_spec_holds() {
    let cases = cases();
    assert!(cases.len() >= 10, "{cases:?}");
    for case in cases {
        let dir = format!("corpus/{case}");
        let spec = format!("{dir}/poolscope-spec.toml");
        let text = std::fs::read_to_string(&spec).unwrap_or_else(|_| panic!("{spec} exists"));
        assert!(text.contains("expect = \"never\""), "{spec}: no `never`");
        assert!(
            text.contains("expect = \"possible\""),
            "{spec}: no `possible`"
        );
        let mut args = vec![dir.as_str(), "--spec", spec.as_str(), "--format", "json"];
        let params = params(&case);
        args.extend(params.iter().map(String::as_str));
        let run = check(&args);
        assert_eq!(run.code, 0, "{case}: {}{}", run.stdout, run.stderr);
        let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
        assert_eq!(doc["version"], 1);
        assert_eq!(doc["command"], "check");
        assert_eq!(doc["findings"].as_array().map(Vec::len), Some(0), "{case}");
        let held = doc["summary"]["assertions"]["held"].as_u64().unwrap_or(0);
        let asserted = text.matches("[[assert]]").count() as u64;
        assert_eq!(held, asserted, "{case}");
    }
}

#[test]
fn a_violated_assertion_is_exit_one_with_its_witness_and_spec_location() {
    let spec = "tests/fixtures/check/violated.toml";
    let run = check(&["corpus/amplify-storage", "--spec", spec, "--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let findings = doc["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{}", run.stdout);
    let finding = &findings[0];
    assert_eq!(finding["id"], "check-violated");
    assert!(
        finding["message"]
            .as_str()
            .is_some_and(|m| m.contains("guests never read another identity's protected files"))
    );
    let primary = &finding["locations"][0];
    assert_eq!(primary["file"], spec);
    assert_eq!(primary["pointer"], "/assert/1/expect");
    assert_eq!(primary["line"], 15);
    // The witness is the engine's, replayed; a related location is the
    // statement of the inputs that allows it.
    assert_eq!(finding["witness"]["replayed"], "allowed");
    assert!(
        finding["witness"]["resource"]
            .as_str()
            .is_some_and(|r| r.contains("/protected/"))
    );
    assert!(
        finding["locations"]
            .as_array()
            .expect("locations")
            .iter()
            .any(|l| l["file"] == "corpus/amplify-storage/iam.json")
    );
    assert_eq!(doc["summary"]["assertions"]["held"], 2);
    assert_eq!(doc["summary"]["assertions"]["violated"], 1);
    let statuses: Vec<&str> = doc["assertions"]
        .as_array()
        .expect("every assertion listed")
        .iter()
        .filter_map(|a| a["status"].as_str())
        .collect();
    assert_eq!(statuses, vec!["held", "violated", "held"]);

    let human = check(&["corpus/amplify-storage", "--spec", spec]);
    assert_eq!(human.code, 1);
    assert!(human.stdout.contains("check-violated"), "{}", human.stdout);
    assert!(
        human.stdout.contains("expects never; possible"),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("witness (route 1): s3:GetObject"));
    assert!(
        human
            .stdout
            .contains("3 assertions: 2 held, 1 violated, 0 unknown")
    );
}

#[test]
fn sarif_results_are_located_in_the_spec() {
    let spec = "tests/fixtures/check/violated.toml";
    let run = check(&[
        "corpus/amplify-storage",
        "--spec",
        spec,
        "--format",
        "sarif",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let result = &doc["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "check-violated");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], spec);
    assert_eq!(location["region"]["startLine"], 15);
    assert!(
        result["partialFingerprints"]["poolscopeFinding/v1"]
            .as_str()
            .is_some()
    );
}

// docs/cli.md, "Fail closed": an assertion poolscope does not understand
// is an error drawn on the spec, exit 2, and every one is reported.
#[test]
fn a_malformed_assertion_is_exit_two_with_a_span_into_the_spec() {
    let spec = "tests/fixtures/check/malformed.toml";
    let run = check(&["corpus/amplify-storage", "--spec", spec]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    for (code, label, snippet) in [
        ("query-bad-principal", "this principal", "as = \"guset\""),
        (
            "query-unknown-action",
            "this action",
            "action = \"s3:GetObjekt\"",
        ),
        ("query-unknown-claim", "this claim", "custom:teir=gold"),
        (
            "query-bad-expectation",
            "this expectation",
            "expect = \"nevr\"",
        ),
        ("query-unknown-pool", "this principal", "guest@no-such-pool"),
    ] {
        assert!(run.stderr.contains(code), "{code}: {}", run.stderr);
        assert!(run.stderr.contains(label), "{label}: {}", run.stderr);
        assert!(run.stderr.contains(snippet), "{snippet}: {}", run.stderr);
    }
    assert!(run.stderr.contains(&format!("{spec}:")), "{}", run.stderr);
}

#[test]
fn an_unknown_field_is_exit_two() {
    let run = check(&[
        "corpus/amplify-storage",
        "--spec",
        "tests/fixtures/check/unknown-field.toml",
    ]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("spec-malformed"), "{}", run.stderr);
    assert!(
        run.stderr.contains("unknown field `expcet`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("unknown-field.toml:7:1"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_spec_or_missing_inputs_are_exit_two() {
    let run = check(&["corpus/amplify-storage", "--spec", "no/such/spec.toml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("spec-unreadable"), "{}", run.stderr);
    let run = check(&[
        "no/such/dir",
        "--spec",
        "corpus/amplify-storage/poolscope-spec.toml",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

// An undecided assertion is never counted as held: exit 3 when nothing is
// violated, 1 when something also is.
#[test]
fn an_undecided_assertion_is_exit_three() {
    let spec = "tests/fixtures/check/violated.toml";
    let run = check(&[
        "corpus/amplify-storage",
        "--spec",
        spec,
        "--timeout-ms",
        "0",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let unknown = doc["summary"]["assertions"]["unknown"]
        .as_u64()
        .unwrap_or(0);
    let violated = doc["summary"]["assertions"]["violated"]
        .as_u64()
        .unwrap_or(0);
    assert!(unknown > 0, "{}", run.stdout);
    assert_eq!(run.code, if violated > 0 { 1 } else { 3 }, "{}", run.stdout);
    let run = check(&[
        "corpus/amplify-storage",
        "--spec",
        "tests/fixtures/check/never.toml",
        "--timeout-ms",
        "0",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(doc["findings"][0]["id"], "check-unknown");
    assert!(doc["findings"][0].get("evidence").is_none());
}

// `always` fails on a counterexample: a matching request the evaluator
// denies, with the context key that makes it (no TLS).
#[test]
fn a_violated_always_shows_the_counterexample() {
    let spec = "tests/fixtures/check/always.toml";
    let run = check(&["corpus/amplify-storage", "--spec", spec]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("counterexample (route"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("aws:SecureTransport = false"),
        "{}",
        run.stdout
    );
}
