//! `poolscope diff` over the real binary, on small copies of corpus cases
//! (tests/fixtures/diff/NAME/{base,head}): each change of docs/cli.md
//! ("`diff`") that opens access is reported with a witness and a location
//! in head; refactorings and identical inputs report nothing.

mod common;

use common::{Run, poolscope};

fn diff(name: &str, extra: &[&str]) -> Run {
    let base = format!("tests/fixtures/diff/{name}/base");
    let head = format!("tests/fixtures/diff/{name}/head");
    let mut args = vec!["--base", base.as_str(), "--head", head.as_str()];
    args.extend(extra);
    poolscope("diff", &args)
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).expect("valid JSON")
}

/// The findings of `doc` with this id.
fn with_id<'d>(doc: &'d serde_json::Value, id: &str) -> Vec<&'d serde_json::Value> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["id"] == id)
        .collect()
}

/// The `diff-new-access` findings of a JSON report.
fn new_access(doc: &serde_json::Value) -> Vec<&serde_json::Value> {
    with_id(doc, "diff-new-access")
}

/// Whether a finding's message contains `text`.
fn says(finding: &serde_json::Value, text: &str) -> bool {
    finding["message"]
        .as_str()
        .is_some_and(|m| m.contains(text))
}

// A statement keyed by `${cognito-identity.amazonaws.com:sub}` widened to
// the whole `private/` prefix: users reach another identity's files.
#[test]
fn opening_private_other_to_users_is_new_access() {
    let run = diff("private-other", &["--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let doc = json(&run);
    let findings = new_access(&doc);
    let user = findings
        .iter()
        .find(|f| says(f, "for user@"))
        .expect("new access for users");
    assert_eq!(user["severity"], "error");
    let witness = &user["witness"];
    let other = witness["other_identity_id"]
        .as_str()
        .expect("another identity");
    let resource = witness["resource"].as_str().expect("a resource");
    assert!(
        resource.contains(&format!("/private/{other}/")),
        "{resource}"
    );
    assert_eq!(witness["replayed"], "allowed");
    let primary = &user["locations"][0];
    assert_eq!(
        primary["file"],
        "tests/fixtures/diff/private-other/head/iam.json"
    );
    assert_eq!(primary["line"], 76);
    // Sessions of the role itself are no class of the default
    // `--fail-on-new`: a warning, not an error.
    assert!(
        findings
            .iter()
            .any(|f| f["severity"] == "warning" && says(f, "role:"))
    );
}

#[test]
fn fail_on_new_picks_the_classes_that_fail() {
    let run = diff("private-other", &["--fail-on-new", "guest,anonymous"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("new access for user"), "{}", run.stdout);
    let run = diff("private-other", &["--fail-on-new", "guests"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("diff-bad-class"), "{}", run.stderr);
}

// AllowClassicFlow turned on: users name the unmapped admin role. (The
// fixture's authenticated role lacks classic-flow's `cognito-identity:*`,
// with which users reach that role before the change already: PS014.)
#[test]
fn turning_on_the_basic_flow_is_new_access() {
    let run = diff("basic-flow", &["--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let doc = json(&run);
    let findings = new_access(&doc);
    assert!(
        findings
            .iter()
            .any(|f| says(f, "for user@") && says(f, "graph.facebook.com"))
    );
    assert!(findings.iter().all(|f| {
        f["locations"][0]["file"] == "tests/fixtures/diff/basic-flow/head/identity-pool.json"
            && f["locations"][0]["pointer"] == "/AllowClassicFlow"
    }));
    let routes: Vec<&str> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["id"] == "diff-route-added")
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        routes
            .iter()
            .any(|m| m.contains("ArcadeLiveOpsAdminRole") && m.contains("basic flow")),
        "{routes:?}"
    );
    assert_eq!(doc["summary"]["diff"]["routes_added"], 4);
}

// The trust of the authenticated role no longer pins `aud`: identities of
// any other pool get it.
#[test]
fn dropping_an_aud_condition_is_new_access_for_external() {
    let run = diff("aud-dropped", &["--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let doc = json(&run);
    let findings = new_access(&doc);
    assert_eq!(findings.len(), 1, "{}", run.stdout);
    let finding = findings[0];
    assert!(says(finding, "new access for external"));
    let primary = &finding["locations"][0];
    assert_eq!(
        primary["file"],
        "tests/fixtures/diff/aud-dropped/head/iam.json"
    );
    assert!(
        primary["label"]
            .as_str()
            .is_some_and(|l| l.contains("trust without `aud`"))
    );
    assert!(
        doc["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["id"] == "diff-principal-added" && says(f, "external user"))
    );
}

// `ForAllValues` became `ForAnyValue` on `dynamodb:LeadingKeys`: a request
// naming another identity's key beside one's own passes.
#[test]
fn for_any_value_instead_of_for_all_values_is_new_access() {
    let run = diff("for-any-value", &["--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let doc = json(&run);
    let findings = new_access(&doc);
    let user = findings
        .iter()
        .find(|f| says(f, "for user@"))
        .expect("new access for users");
    let witness = &user["witness"];
    let other = witness["other_identity_id"]
        .as_str()
        .expect("another identity");
    let keys = witness["context"]["dynamodb:LeadingKeys"]
        .as_array()
        .expect("leading keys");
    assert!(keys.iter().any(|k| k == other), "{keys:?}");
    assert_eq!(
        user["locations"][0]["file"],
        "tests/fixtures/diff/for-any-value/head/iam.json"
    );
}

// Statements split, merged and reordered: the same atoms, nothing asked.
#[test]
fn a_pure_refactoring_reports_nothing() {
    let run = diff("refactor", &["--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let doc = json(&run);
    assert_eq!(doc["findings"].as_array().map(Vec::len), Some(0));
    assert_eq!(doc["summary"]["diff"]["questions"], 0);
}

#[test]
fn identical_inputs_report_nothing() {
    let run = poolscope(
        "diff",
        &[
            "--base",
            "corpus/amplify-storage",
            "--head",
            "corpus/amplify-storage",
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("diff: 0 new access, 0 removed, 0 undecided (requests)")
    );
}

#[test]
fn sarif_results_point_into_head() {
    let run = diff("private-other", &["--format", "sarif"]);
    assert_eq!(run.code, 1);
    let doc = json(&run);
    let results = doc["runs"][0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for result in results {
        assert_eq!(result["ruleId"], "diff-new-access");
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("a uri");
        assert!(
            uri.starts_with("tests/fixtures/diff/private-other/head/"),
            "{uri}"
        );
    }
}

#[test]
fn unreadable_inputs_are_exit_two() {
    let run = poolscope(
        "diff",
        &["--base", "no/such/dir", "--head", "corpus/amplify-storage"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
}

// A managed policy head attaches but the inputs do not hold may allow
// anything: undecided (exit 3), never "no new access".
#[test]
fn a_newly_attached_unknown_policy_is_undecided() {
    let run = diff("unknown-policy", &["--format", "json"]);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    let doc = json(&run);
    let undecided = with_id(&doc, "diff-undecided");
    // The attached policy itself, and the requests of routes its stand-in
    // opens (escalation steps it may allow: docs/semantics.md §11), none of
    // them reported as new access.
    let attached = undecided
        .iter()
        .find(|u| says(u, "PowerUserAccess"))
        .unwrap_or_else(|| panic!("the attached policy is undecided: {}", run.stdout));
    assert_eq!(
        attached["locations"][0]["file"],
        "tests/fixtures/diff/unknown-policy/head/iam.json"
    );
    assert!(
        !doc["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["id"] == "diff-new-access"),
        "{}",
        run.stdout
    );
}

// The bucket policy's TLS Deny is gone (the whole bucket policy): requests
// over plain HTTP are new access, asked with the Deny's condition pinned.
#[test]
fn a_dropped_deny_is_new_access() {
    let run = diff("deny-dropped", &["--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let doc = json(&run);
    let findings = new_access(&doc);
    assert!(!findings.is_empty());
    for finding in findings {
        let context = &finding["witness"]["context"];
        assert_eq!(context["aws:securetransport"][0], "false", "{context}");
    }
}

// Two `email` mapping rules added: any user whose (unverified) email
// contains the corporate domain gets the staff roles; each finding is
// drawn on the rule that opened it.
#[test]
fn a_new_mapping_rule_is_new_access_drawn_on_the_rule() {
    let run = diff("rule-added", &["--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let doc = json(&run);
    let findings = new_access(&doc);
    assert_eq!(findings.len(), 2, "{}", run.stdout);
    for finding in findings {
        let primary = &finding["locations"][0];
        assert_eq!(
            primary["file"],
            "tests/fixtures/diff/rule-added/head/identity-pool-roles.json"
        );
        assert!(
            primary["pointer"]
                .as_str()
                .is_some_and(|p| p.contains("/RulesConfiguration/Rules/")),
            "{primary}"
        );
    }
}

// A group role's per-identity grant widened to every identity: members of
// the group (whom administrators choose) reach others' drafts. `group` is
// no class of the default `--fail-on-new`: a warning, exit 0, unless asked.
#[test]
fn a_group_role_widened_is_new_access_for_its_members() {
    let run = diff("group-widened", &["--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let doc = json(&run);
    let members = new_access(&doc)
        .into_iter()
        .find(|f| says(f, "in group `contributors`"))
        .expect("new access for the group's members");
    assert_eq!(members["severity"], "warning");
    assert_eq!(
        members["witness"]["claims"]["cognito:groups"][0],
        "contributors"
    );
    let run = diff("group-widened", &["--fail-on-new", "group"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
}

// A bucket policy statement grants another account: new access for
// `account:ID`, which fails the run only when `--fail-on-new` names it.
#[test]
fn a_bucket_policy_granting_another_account_is_new_access() {
    let run = diff(
        "account-granted",
        &["--fail-on-new", "account", "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let doc = json(&run);
    let findings = new_access(&doc);
    assert_eq!(findings.len(), 1, "{}", run.stdout);
    assert!(says(findings[0], "account:999988887777"));
    assert!(
        findings[0]["locations"][0]["file"].as_str().is_some_and(
            |f| f.starts_with("tests/fixtures/diff/account-granted/head/bucket-policy.")
        )
    );
    assert_eq!(diff("account-granted", &[]).code, 0);
}

// An IAM user's policy widened: poolscope asks no questions as IAM users,
// so the change is undecided for the class `iam-user`, never passed over.
#[test]
fn a_widened_iam_user_policy_is_undecided_for_iam_user() {
    let run = diff("iam-user-widened", &["--format", "json"]);
    // Not a class of the default `--fail-on-new`: reported, exit 0.
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let doc = json(&run);
    let undecided = with_id(&doc, "diff-undecided");
    assert_eq!(undecided.len(), 1, "{}", run.stdout);
    assert!(says(undecided[0], "IAM user `deployer`"), "{}", run.stdout);
    // Named in `--fail-on-new`, the class makes the run inconclusive.
    let strict = diff(
        "iam-user-widened",
        &["--fail-on-new", "guest,user,iam-user"],
    );
    assert_eq!(strict.code, 3, "{}{}", strict.stdout, strict.stderr);
    // Unchanged users report nothing.
    let same = poolscope(
        "diff",
        &[
            "--base",
            "tests/fixtures/diff/iam-user-widened/base",
            "--head",
            "tests/fixtures/diff/iam-user-widened/base",
        ],
    );
    assert_eq!(same.code, 0, "{}{}", same.stdout, same.stderr);
    assert!(!same.stdout.contains("diff-undecided"), "{}", same.stdout);
}

// A rule on an attribute only administrators write (`custom:tier`, which
// the app client no longer lets users write) gives its role to the users an
// administrator set up: a widened policy of that role is new access for
// them, asked with the claim pinned, in the class `group`.
#[test]
fn a_role_of_an_admin_set_claim_widened_is_new_access_for_its_holders() {
    let run = diff("admin-claim-widened", &["--format", "json"]);
    // `group` is not a class of the default `--fail-on-new`.
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let doc = json(&run);
    let holders: Vec<&serde_json::Value> = new_access(&doc)
        .into_iter()
        .filter(|f| {
            says(
                f,
                "with `custom:tier` = `premium` (set by an administrator)",
            )
        })
        .collect();
    assert_eq!(holders.len(), 1, "{}", run.stdout);
    assert!(says(holders[0], "s3:DeleteObject"), "{}", run.stdout);
    let strict = diff("admin-claim-widened", &["--fail-on-new", "group"]);
    assert_eq!(strict.code, 1, "{}{}", strict.stdout, strict.stderr);
}
