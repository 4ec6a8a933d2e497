//! `poolscope audit` on the real binary: every corpus case's expected check
//! ids (corpus/*/README.md, "audit": present and absent), the witness and
//! evidence in JSON, SARIF rules, human snapshots, and the exit codes.

mod common;

use std::collections::BTreeSet;

use common::poolscope;

fn ids(case: &str) -> (BTreeSet<String>, serde_json::Value, i32) {
    let run = poolscope("audit", &[case, "--format", "json", "--fail-on", "never"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let ids = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["id"].as_str().expect("id").to_string())
        .collect();
    (ids, doc, run.code)
}

/// Each corpus case: the checks its README says must fire, and must not.
const EXPECTED: &[(&str, &[&str], &[&str])] = &[
    (
        "corpus/amplify-storage",
        &["PS013"],
        &[
            "PS002", "PS003", "PS004", "PS005", "PS009", "PS010", "PS012", "PS015",
        ],
    ),
    (
        "corpus/dynamodb-per-user",
        &["PS002"],
        &[
            "PS001", "PS003", "PS004", "PS005", "PS010", "PS011", "PS012",
        ],
    ),
    (
        "corpus/rules-on-groups",
        &["PS002", "PS006", "PS007", "PS008", "PS013"],
        &["PS001", "PS003", "PS004", "PS005", "PS012"],
    ),
    (
        "corpus/token-groups",
        &["PS010"],
        &[
            "PS001", "PS003", "PS004", "PS005", "PS006", "PS007", "PS008", "PS013",
        ],
    ),
    (
        "corpus/classic-flow",
        &["PS002", "PS003", "PS005", "PS014"],
        &["PS001", "PS012", "PS013"],
    ),
    (
        "corpus/abac-principal-tags",
        &["PS011"],
        &[
            "PS001", "PS002", "PS003", "PS004", "PS005", "PS006", "PS012", "PS013",
        ],
    ),
    (
        "corpus/guest-overreach",
        &["PS001", "PS004", "PS009", "PS012", "PS015"],
        &["PS003", "PS005", "PS013"],
    ),
    (
        "corpus/self-admin",
        &["PS002", "PS013", "PS014"],
        &["PS001", "PS003", "PS004", "PS005", "PS006"],
    ),
    (
        "corpus/self-admin-safe",
        &["PS013"],
        &[
            "PS001", "PS002", "PS003", "PS004", "PS005", "PS006", "PS014",
        ],
    ),
    (
        "corpus/public-website",
        &["PS012", "PS015"],
        &["PS001", "PS003", "PS004", "PS005", "PS013"],
    ),
    (
        "corpus/public-website-bucket-block",
        &["PS015"],
        &["PS001", "PS003", "PS004", "PS005", "PS012", "PS013"],
    ),
    (
        "corpus/public-website-account-block",
        &["PS015"],
        &["PS001", "PS003", "PS004", "PS005", "PS012", "PS013"],
    ),
    (
        "corpus/public-website-account-block-tf",
        &["PS015"],
        &["PS012"],
    ),
    (
        "corpus/cognito-lambda-lab",
        &["PS010", "PS013", "PS014", "PS015"],
        &["PS001", "PS003", "PS004", "PS005", "PS012"],
    ),
    (
        "corpus/escalation-steps",
        &["PS010"],
        &["PS001", "PS003", "PS004", "PS005", "PS013"],
    ),
    (
        "corpus/escalation-steps-safe",
        &[],
        &["PS001", "PS003", "PS004", "PS005", "PS010", "PS013"],
    ),
];

#[test]
fn every_corpus_case_reports_what_its_readme_says() {
    for (case, present, absent) in EXPECTED {
        let (found, _, _) = ids(case);
        for id in *present {
            assert!(found.contains(*id), "{case}: {id} missing from {found:?}");
        }
        for id in *absent {
            assert!(
                !found.contains(*id),
                "{case}: {id} must not fire: {found:?}"
            );
        }
    }
}

#[test]
fn amplify_protected_reads_are_not_reported_at_warning_or_above() {
    let (_, doc, _) = ids("corpus/amplify-storage");
    for finding in doc["findings"].as_array().expect("findings") {
        if finding["id"] == "PS001" {
            assert_eq!(finding["severity"], "note", "{finding}");
        }
    }
}

fn finding<'a>(doc: &'a serde_json::Value, id: &str, text: &str) -> &'a serde_json::Value {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["id"] == id && f["message"].as_str().is_some_and(|m| m.contains(text)))
        .unwrap_or_else(|| panic!("no {id} finding mentioning {text}: {doc}"))
}

#[test]
fn reachability_findings_carry_the_replayed_witness() {
    let (_, doc, _) = ids("corpus/dynamodb-per-user");
    let leak = finding(&doc, "PS002", "NotesOwnerAccess");
    assert_eq!(leak["witness"]["replayed"], "allowed");
    assert_eq!(leak["evidence"]["kind"], "proven");
    assert!(leak["fingerprint"].as_str().is_some_and(|f| f.len() == 16));

    let (_, doc, _) = ids("corpus/guest-overreach");
    let guest = finding(&doc, "PS001", "ReadThumbnails");
    assert_eq!(guest["witness"]["replayed"], "allowed");
    let public = finding(&doc, "PS012", "PublicShareLinks");
    assert_eq!(public["witness"]["caller"], "anonymous caller");
    let mail = finding(&doc, "PS009", "ContactForm");
    assert_eq!(mail["severity"], "warning");
}

// PS010 names the escalation step, points at the statement that allows it
// (the root cause), and says how to remove it; each kind of step of the
// escalation-steps case is reported, and none of its fixed twin.
#[test]
fn escalation_findings_name_the_step_and_the_statement_that_allows_it() {
    let (_, doc, _) = ids("corpus/cognito-lambda-lab");
    let rewrite = finding(
        &doc,
        "PS010",
        "lambda:UpdateFunctionCode on `lab-post-confirmation`",
    );
    assert_eq!(
        rewrite["locations"][0]["pointer"],
        "/RoleDetailList/0/RolePolicyList/0/PolicyDocument/Statement/0"
    );
    assert!(
        rewrite["help"]
            .as_str()
            .is_some_and(|h| h.contains("lambda:UpdateFunctionCode"))
    );
    assert_eq!(rewrite["witness"]["role"], "lab-post-confirmation-role");

    let (_, doc, _) = ids("corpus/escalation-steps");
    for step in [
        "iam:PassRole to a new Lambda function on `ops-nightly-export`",
        "iam:PassRole to a new EC2 instance on `ops-ci-runner`",
        "iam:PassRole to a new CloudFormation stack on `ops-stack-deployer`",
        "iam:PassRole to a new Glue job on `ops-glue-etl`",
        "lambda:UpdateFunctionCode on `ops-report-builder`",
        "iam:PutRolePolicy on `ops-auditor`",
        "iam:AttachRolePolicy on `ops-analyst`",
        "iam:CreatePolicyVersion on `ops-editor-policy`",
        "iam:UpdateAssumeRolePolicy on `ops-break-glass`",
        "iam:PassRole to a new ECS task on `ops-batch-task`",
        "iam:PassRole to a new Glue dev endpoint on `ops-glue-etl`",
        "iam:SetDefaultPolicyVersion on `ops-policy-admin-policy`",
        "lambda:UpdateFunctionConfiguration (a layer) on `ops-report-builder`",
    ] {
        finding(&doc, "PS010", step);
    }
    let boundary = finding(&doc, "PS010", "iam:AttachRolePolicy on `ops-analyst`");
    assert!(
        boundary["message"]
            .as_str()
            .is_some_and(|m| m.contains("permissions boundary allows"))
    );
}

#[test]
fn rule_findings_give_the_value_that_does_it() {
    let (_, doc, _) = ids("corpus/rules-on-groups");
    let tier = finding(&doc, "PS006", "custom:tier");
    assert!(
        tier["message"]
            .as_str()
            .expect("text")
            .contains("`premium`")
    );
    assert_eq!(tier["witness"]["claims"]["custom:tier"], "premium");
    finding(&doc, "PS007", "billing-admins");
    finding(&doc, "PS007", "evil.invalid");
    finding(&doc, "PS008", "mapping rule 4");
}

#[test]
fn trust_findings_name_the_role() {
    let (_, doc, _) = ids("corpus/classic-flow");
    finding(&doc, "PS003", "Cognito_ArcadeV1Auth_Role");
    finding(&doc, "PS005", "ArcadeLiveOpsAdminRole");
    finding(&doc, "PS005", "scope-down");
    let (_, doc, _) = ids("corpus/guest-overreach");
    finding(&doc, "PS004", "fieldnotes-identity-authenticated");
    let (_, doc, _) = ids("corpus/token-groups");
    finding(&doc, "PS010", "newsroom-report-export");
}

#[test]
fn self_administration_findings_sit_on_the_statement_and_name_what_cognito_hands_out() {
    let (_, doc, _) = ids("corpus/self-admin");
    let enrol = finding(&doc, "PS014", "cognito-idp:AdminAddUserToGroup");
    assert!(
        enrol["message"]
            .as_str()
            .is_some_and(|m| m.contains("`helpdesk-user`") && m.contains("helpdesk-admin")),
        "{enrol}"
    );
    assert!(
        enrol["locations"][0]["label"]
            .as_str()
            .is_some_and(|l| l.contains("EnrolAgents")),
        "{enrol}"
    );
    let rotate = finding(&doc, "PS014", "cognito-identity:SetIdentityPoolRoles");
    assert!(
        rotate["message"]
            .as_str()
            .is_some_and(|m| m.contains("`helpdesk-agent`") && m.contains("helpdesk-reporting")),
        "{rotate}"
    );
    // The legacy default authenticated role's `cognito-identity:*`.
    let (_, doc, _) = ids("corpus/classic-flow");
    finding(&doc, "PS014", "Cognito_ArcadeLeaderboardAuth_Role");
    // The pre-token-generation trigger's code.
    let (_, doc, _) = ids("tests/cases/self-admin/pre-token");
    let hook = finding(&doc, "PS014", "lambda:UpdateFunctionCode");
    assert!(
        hook["message"].as_str().is_some_and(
            |m| m.contains("pre-token-generation trigger") && m.contains("helpdesk-reporting")
        ),
        "{hook}"
    );
    assert!(
        hook["locations"][0]["label"]
            .as_str()
            .is_some_and(|l| l.contains("DeployTokenHook")),
        "{hook}"
    );
}

#[test]
fn ps011_reports_variables_no_session_has_and_not_their_look_alikes() {
    let (_, doc, _) = ids("tests/cases/audit/ps011");
    let ps011: Vec<&str> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["id"] == "PS011")
        .map(|f| f["message"].as_str().expect("message"))
        .collect();
    for planted in [
        "HomeByUserName",
        "DenyOthersDrafts",
        "IndexOwnFolder",
        "IndexOwnItems",
    ] {
        assert!(
            ps011.iter().any(|m| m.contains(planted)),
            "{planted} missing: {ps011:?}"
        );
    }
    for look_alike in [
        "`OwnFolder`",
        "ProjectFiles",
        "TeamFiles",
        "HomeWithDefault",
        "AdminProjects",
    ] {
        assert!(
            !ps011.iter().any(|m| m.contains(look_alike)),
            "{look_alike} must not be reported: {ps011:?}"
        );
    }
    assert_eq!(ps011.len(), 4, "{ps011:?}");
    let items = finding(&doc, "PS011", "IndexOwnItems");
    assert!(
        items["message"]
            .as_str()
            .is_some_and(|m| m.contains("holds only for requests that send no")),
        "{items}"
    );
    let deny = finding(&doc, "PS011", "DenyOthersDrafts");
    assert!(
        deny["message"]
            .as_str()
            .is_some_and(|m| m.contains("always holds"))
    );
    let clearance = {
        let (_, doc, _) = ids("corpus/abac-principal-tags");
        finding(&doc, "PS011", "ClassifiedByClearance").clone()
    };
    assert_eq!(clearance["evidence"]["kind"], "configuration");
    assert_eq!(clearance["witness"]["role"], "acme-docs-abac-authenticated");
    // Only the planted variable: `department` is mapped.
    let (found, _, _) = ids("corpus/abac-principal-tags");
    assert!(found.contains("PS011"));
    for (case, _, _) in EXPECTED {
        if *case != "corpus/abac-principal-tags" {
            let (found, _, _) = ids(case);
            assert!(!found.contains("PS011"), "{case}: {found:?}");
        }
    }
}

#[test]
fn exit_codes_follow_fail_on() {
    assert_eq!(poolscope("audit", &["corpus/rules-on-groups"]).code, 1);
    // abac-principal-tags: one PS011 warning.
    assert_eq!(poolscope("audit", &["corpus/abac-principal-tags"]).code, 1);
    assert_eq!(
        poolscope(
            "audit",
            &["corpus/abac-principal-tags", "--fail-on", "error"]
        )
        .code,
        0
    );
    // PS013 is a note: fails only at --fail-on note.
    assert_eq!(poolscope("audit", &["corpus/amplify-storage"]).code, 0);
    assert_eq!(
        poolscope("audit", &["corpus/amplify-storage", "--fail-on", "note"]).code,
        1
    );
    assert_eq!(poolscope("audit", &["corpus/no-such-case"]).code, 2);
}

#[test]
fn a_baseline_hides_the_findings_it_holds() {
    let run = poolscope("audit", &["corpus/rules-on-groups", "--format", "json"]);
    let dir = std::env::temp_dir().join(format!("poolscope-baseline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let baseline = dir.join("baseline.json");
    std::fs::write(&baseline, &run.stdout).expect("write baseline");
    let again = poolscope(
        "audit",
        &[
            "corpus/rules-on-groups",
            "--format",
            "json",
            "--baseline",
            baseline.to_str().expect("UTF-8 path"),
        ],
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    let doc: serde_json::Value = serde_json::from_str(&again.stdout).expect("JSON");
    assert_eq!(doc["findings"].as_array().expect("findings").len(), 0);
    assert!(doc["summary"]["baselined"].as_u64().is_some_and(|n| n > 0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sarif_rules_carry_docs_and_security_severity() {
    let run = poolscope("audit", &["corpus/rules-on-groups", "--format", "sarif"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(doc["version"], "2.1.0");
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let ps006 = rules
        .iter()
        .find(|r| r["id"] == "PS006")
        .expect("PS006 rule");
    assert!(
        ps006["helpUri"]
            .as_str()
            .expect("uri")
            .ends_with("docs/checks/PS006.md")
    );
    assert!(ps006["properties"]["security-severity"].is_string());
    assert!(ps006["fullDescription"]["text"].is_string());
    assert!(ps006["help"]["markdown"].is_string());
    for result in doc["runs"][0]["results"].as_array().expect("results") {
        assert!(result["partialFingerprints"]["poolscopeFinding/v1"].is_string());
        assert!(result["locations"][0]["physicalLocation"]["region"]["startLine"].is_u64());
    }
}

/// Every check of the catalogue fires in some corpus case and is asserted
/// absent in another: positive material and a look-alike for each.
#[test]
fn every_check_has_positive_and_negative_cases() {
    for check in poolscope::checks::CATALOGUE {
        let id = check.info.id;
        let fires = EXPECTED.iter().any(|(_, must, _)| must.contains(&id));
        let absent = EXPECTED
            .iter()
            .any(|(_, _, must_not)| must_not.contains(&id));
        assert!(fires, "{id}: no corpus case where it must fire");
        assert!(absent, "{id}: no corpus case where it must not fire");
    }
}

#[test]
fn every_check_has_a_docs_page() {
    let root = env!("CARGO_MANIFEST_DIR");
    for check in poolscope::checks::CATALOGUE {
        let path = std::path::Path::new(root).join(check.info.docs_path());
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{} has no {}", check.info.id, path.display()));
        assert!(
            text.starts_with(&format!("# {}", check.info.id)),
            "{}",
            path.display()
        );
    }
}

#[test]
fn human_reports() {
    for (name, case) in [
        ("rules_on_groups_human", "corpus/rules-on-groups"),
        ("guest_overreach_human", "corpus/guest-overreach"),
        ("classic_flow_human", "corpus/classic-flow"),
    ] {
        let run = poolscope("audit", &[case]);
        insta::assert_snapshot!(name, run.stdout);
    }
}

/// A copy of a corpus case in a fresh directory, with a `poolscope.toml`.
fn case_with_config(case: &str, name: &str, config: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("poolscope-config-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(case);
    for entry in std::fs::read_dir(&source).expect("case") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    std::fs::write(dir.join("poolscope.toml"), config).expect("write config");
    dir
}

const SHARE_LINKS: &str = "arn:aws:s3:::fieldnotes-user-content-777788889999/shared-links/*";

#[test]
fn poolscope_toml_next_to_the_inputs_sets_fail_on_severities_and_ignores() {
    let config = format!(
        "fail-on = \"error\"\n\n[checks.PS009]\nseverity = \"note\"\n\n[[ignore]]\n\
         check = \"PS012\"\nwhere = \"{SHARE_LINKS}\"\nreason = \"share links are public by design\"\n"
    );
    let dir = case_with_config("corpus/guest-overreach", "found", &config);
    let path = dir.to_str().expect("UTF-8 path");
    let run = poolscope("audit", &[path, "--format", "json"]);
    // PS001 is an error: fail-on = "error" still fails.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let findings = doc["findings"].as_array().expect("findings");
    assert!(findings.iter().all(|f| f["id"] != "PS012"), "{doc}");
    for f in findings.iter().filter(|f| f["id"] == "PS009") {
        assert_eq!(f["severity"], "note", "{f}");
    }
    let ignored = &doc["summary"]["ignored"][0];
    assert_eq!(ignored["check"], "PS012");
    assert_eq!(ignored["where"], SHARE_LINKS);
    assert_eq!(ignored["reason"], "share links are public by design");
    assert_eq!(
        ignored["findings"].as_array().expect("fingerprints").len(),
        1
    );

    // The human summary prints the reason.
    let human = poolscope("audit", &[path]);
    assert!(
        human
            .stdout
            .contains("ignored 1 PS012 finding at `arn:aws:s3:::fieldnotes-user-content-777788889999/shared-links/*` (poolscope.toml): share links are public by design"),
        "{}",
        human.stdout
    );
    // `--fail-on` on the command line wins over the file's.
    assert_eq!(poolscope("audit", &[path, "--fail-on", "never"]).code, 0);
    // A file named on the command line finds the configuration beside it.
    let iam = dir.join("iam.json");
    let run = poolscope(
        "audit",
        &[iam.to_str().expect("UTF-8"), path, "--format", "json"],
    );
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert!(doc["summary"]["ignored"].is_array(), "{doc}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_config_file_poolscope_does_not_understand_is_a_usage_error_pointing_into_it() {
    let dir = case_with_config(
        "corpus/guest-overreach",
        "bad",
        "fail-on = \"warning\"\n[checks.PS112]\nseverity = \"note\"\n\n[[ignore]]\n\
         check = \"PS012\"\nwhere = \"x\"\n",
    );
    let path = dir.to_str().expect("UTF-8 path");
    let run = poolscope("audit", &[path]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("config-unknown-check"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `PS012`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("poolscope.toml:2:9"), "{}", run.stderr);
    assert!(
        run.stderr.contains("config-ignore-without-reason"),
        "{}",
        run.stderr
    );

    let unknown_key = dir.join("unknown-key.toml");
    std::fs::write(&unknown_key, "fail-on = \"error\"\nfailon = \"note\"\n").expect("write");
    let run = poolscope(
        "audit",
        &[path, "--config", unknown_key.to_str().expect("UTF-8")],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("`failon`"), "{}", run.stderr);
    assert!(
        run.stderr.contains("unknown-key.toml:2:1"),
        "{}",
        run.stderr
    );

    let missing = dir.join("missing.toml");
    let run = poolscope(
        "audit",
        &[path, "--config", missing.to_str().expect("UTF-8")],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("config-unreadable"), "{}", run.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn checks_in_parallel_find_what_they_find_one_after_another() {
    let loaded = poolscope::ingest::Inputs::paths([std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/rules-on-groups"
    ))])
    .load();
    let audit = poolscope::checks::Audit::new(&loaded.inventory, 10_000);
    let prints = |threads| -> Vec<String> {
        let done = std::sync::atomic::AtomicUsize::new(0);
        let found = poolscope::checks::run_all_with(&audit, threads, &|_| {
            done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        });
        assert_eq!(
            done.into_inner(),
            poolscope::checks::CATALOGUE.len(),
            "every check reports its end"
        );
        found
            .iter()
            .map(|f| poolscope::report::fingerprint(&f.diagnostic))
            .collect()
    };
    let serial = prints(1);
    assert!(!serial.is_empty());
    assert_eq!(serial, prints(4));
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    // The tests' stderr is a pipe: nothing but diagnostics may appear there.
    let run = poolscope("audit", &["corpus/token-groups", "--format", "json"]);
    assert_eq!(run.stderr, "", "{}", run.stderr);
}

// PS015's severity says whether S3 Block Public Access stops the public
// statement: an error when anonymous reads get through, a note naming the
// `RestrictPublicBuckets` setting when it stops them (docs/checks/PS015.md).
#[test]
fn ps015_says_whether_block_public_access_stops_the_public_statement() {
    let cases = [
        ("corpus/public-website", "error", None),
        (
            "corpus/public-website-bucket-block",
            "note",
            Some("public-access-block.brochure-site-888899990000.json"),
        ),
        (
            "corpus/public-website-account-block",
            "note",
            Some("account-public-access-block.json"),
        ),
    ];
    for (case, severity, block_file) in cases {
        let (_, doc, _) = ids(case);
        let found = finding(&doc, "PS015", "PublicReadGetObject");
        assert_eq!(found["severity"], severity, "{case}: {found}");
        let text = found.to_string();
        match block_file {
            None => {
                assert!(text.contains("does not stop it"), "{case}: {text}");
                assert!(!found["witness"].is_null(), "{case}: a witness request");
            }
            Some(file) => {
                assert!(text.contains("stops it"), "{case}: {text}");
                assert!(text.contains(file), "{case}: the block's location: {text}");
            }
        }
    }
}

// An incomplete snapshot (a bucket policy not read): the JSON summary lists
// what was not read, and the audit is inconclusive (exit 3), not clean.
#[test]
fn an_incomplete_snapshot_is_listed_in_the_json_summary() {
    let run = poolscope(
        "audit",
        &["tests/fixtures/incomplete-snapshot", "--format", "json"],
    );
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let unread = doc["summary"]["unread"].as_array().expect("summary.unread");
    assert_eq!(unread.len(), 1, "{}", run.stdout);
    assert!(
        unread[0]
            .as_str()
            .is_some_and(|u| u.contains("AccessDenied")),
        "{}",
        run.stdout
    );
    let (_, complete, _) = ids("corpus/amplify-storage");
    assert!(complete["summary"].get("unread").is_none());
}
