//! `poolscope lint` over the real binary: rendered output and exit codes
//! (docs/cli.md, "Output" and "Exit codes").

mod common;

use common::{Run, poolscope};

fn lint(args: &[&str]) -> Run {
    poolscope("lint", args)
}

#[test]
fn a_clean_policy_exits_zero() {
    let run = lint(&["tests/cases/lint/clean.json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        run.stdout,
        "lint: 0 errors, 0 warnings, 0 notes in 1 file read\n"
    );
}

#[test]
fn problems_inside_a_policy_are_findings_with_exit_one() {
    let run = lint(&["tests/cases/lint/broken-effect.json"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("broken_effect_human", run.stdout);
}

#[test]
fn json_output_has_ids_severities_and_locations() {
    let run = lint(&["tests/cases/lint/broken-effect.json", "--format", "json"]);
    assert_eq!(run.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(doc["version"], 1);
    let findings = doc["findings"].as_array().expect("findings array");
    let effect = findings
        .iter()
        .find(|f| f["id"] == "policy-invalid-effect")
        .expect("the bad Effect is reported");
    assert_eq!(effect["severity"], "error");
    assert_eq!(effect["locations"][0]["line"], 6);
    assert_eq!(effect["locations"][0]["column"], 17);
    assert_eq!(effect["locations"][0]["pointer"], "/Statement/0/Effect");
    assert_eq!(doc["summary"]["files_read"], 1);
}

// A statement with `"Effect": "allow"`, an unknown action and a bad
// condition operator: every problem is reported in one run, not only the
// first grammar error; problems inside a policy stay exit 1.
#[test]
fn every_problem_of_a_statement_is_reported() {
    let run = lint(&[
        "tests/cases/lint/one-statement-many-problems.json",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let findings = doc["findings"].as_array().expect("findings array");
    let mut found: Vec<(&str, u64)> = findings
        .iter()
        .map(|f| {
            (
                f["id"].as_str().expect("id"),
                f["locations"][0]["line"].as_u64().expect("line"),
            )
        })
        .collect();
    found.sort_unstable();
    assert_eq!(
        found,
        [
            ("policy-invalid-effect", 6),
            ("policy-unknown-action", 7),
            ("policy-unknown-operator", 10),
        ]
    );
}

#[test]
fn sarif_output_is_sarif_2_1_0_with_fingerprints() {
    let run = lint(&["tests/cases/lint/broken-effect.json", "--format", "sarif"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(doc["version"], "2.1.0");
    let results = doc["runs"][0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for result in results {
        assert!(result["ruleId"].is_string());
        assert!(result["partialFingerprints"]["poolscopeFinding/v1"].is_string());
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().is_some_and(|l| l >= 1));
    }
}

#[test]
fn malformed_json_is_exit_two_with_the_position() {
    let run = lint(&["tests/cases/lint/malformed.json.txt"]);
    assert_eq!(run.code, 2);
    insta::assert_snapshot!("malformed_human", run.stdout);
}

#[test]
fn a_named_file_of_no_known_kind_is_exit_two() {
    let run = lint(&["tests/cases/lint/not-a-policy.json", "--format", "json"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("\"input-unknown-kind\""));
}

#[test]
fn a_walked_file_of_another_kind_is_skipped_with_a_note() {
    let run = lint(&["tests/cases/lint", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let skipped: Vec<_> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["id"] == "input-skipped")
        .collect();
    assert_eq!(skipped.len(), 1, "{}", run.stdout);
    assert!(
        skipped[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("not-a-policy.json"))
    );
    assert_eq!(doc["summary"]["files_skipped"], 1);
}

// Policies inside AWS CLI snapshots are validated as the kind they are: the
// DynamoDB per-user policy's ForAllValues (IAM User Guide, "Single-valued vs.
// multivalued context keys") is reported at its place in iam.json.
#[test]
fn policies_inside_cli_snapshots_are_validated() {
    let run = lint(&["corpus/dynamodb-per-user", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let findings = doc["findings"].as_array().expect("findings");
    assert!(!findings.is_empty());
    for finding in findings {
        assert_eq!(finding["id"], "policy-forallvalues-with-allow");
        let at = &finding["locations"][0];
        assert_eq!(at["file"], "corpus/dynamodb-per-user/iam.json");
        assert!(
            at["pointer"]
                .as_str()
                .is_some_and(|p| p.contains("/Condition/ForAllValues:StringEquals")),
            "{at}"
        );
    }
    assert_eq!(doc["summary"]["files_skipped"], 0);
}

#[test]
fn a_missing_path_is_exit_two() {
    let run = lint(&["tests/cases/lint/does-not-exist.json"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("does not exist"));
}

#[test]
fn fail_on_never_keeps_exit_zero_with_findings() {
    let run = lint(&["tests/cases/lint/broken-effect.json", "--fail-on", "never"]);
    assert_eq!(run.code, 0);
}

// lint validates the policies of templates too; a parameter without a
// value makes the policy that uses it unknown (a warning), and `--param`
// gives it one.
#[test]
fn param_fills_template_parameters() {
    let without = lint(&["tests/cases/lint/template-param.yaml", "--format", "json"]);
    assert_eq!(without.code, 1, "{}", without.stderr);
    let doc: serde_json::Value = serde_json::from_str(&without.stdout).expect("valid JSON");
    let ids: Vec<&str> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert!(ids.contains(&"cfn-unknown-value"), "{ids:?}");
    assert!(ids.contains(&"cfn-unknown-policy"), "{ids:?}");
    let with = lint(&[
        "tests/cases/lint/template-param.yaml",
        "--param",
        "Bucket=photos",
    ]);
    assert_eq!(with.code, 0, "{}{}", with.stdout, with.stderr);
}
