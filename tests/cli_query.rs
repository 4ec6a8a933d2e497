//! `poolscope query` over the real binary: the short proof it prints, the
//! JSON document, and the exit codes of docs/cli.md.

mod common;

use common::{Run, poolscope};

fn query(args: &[&str]) -> Run {
    poolscope("query", args)
}

const BUCKET: &str = "arn:aws:s3:::photosharestorage3f2a9c1b142233-dev";

// SEMANTICS-NOTES §6 (Amplify storage): guests read protected/ of others by
// design; the witness names both identity ids and the granting statements.
#[test]
fn a_possible_verdict_shows_a_replayed_witness() {
    let resource = format!("{BUCKET}/protected/{{other}}/photo.jpg");
    let run = query(&[
        "corpus/amplify-storage",
        "--as",
        "guest",
        "--action",
        "s3:GetObject",
        "--resource",
        &resource,
        "--expect",
        "possible",
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("verdict: possible"));
    assert!(
        run.stdout
            .contains("replayed by the concrete evaluator: allowed")
    );
    assert!(
        run.stdout.contains("read_policy_3f2a9c1b"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("corpus/amplify-storage/iam.json:"));
}

#[test]
fn json_has_the_verdict_the_witness_and_the_routes() {
    let resource = format!("{BUCKET}/protected/{{other}}/photo.jpg");
    let run = query(&[
        "corpus/amplify-storage",
        "--as",
        "guest",
        "--action",
        "s3:GetObject",
        "--resource",
        &resource,
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(doc["verdict"], "possible");
    let witness = &doc["witness"];
    let own = witness["identity_id"].as_str().expect("an identity id");
    let other = witness["other_identity_id"].as_str().expect("another id");
    assert_ne!(own, other);
    assert!(own.starts_with("us-east-1:") && own.len() == "us-east-1:".len() + 36);
    let resource = witness["resource"].as_str().expect("a resource");
    assert!(
        resource.contains(&format!("/protected/{other}/")),
        "{resource}"
    );
    assert_eq!(witness["replayed"], "allowed");
    assert!(doc["routes"].as_array().is_some_and(|r| !r.is_empty()));
}

#[test]
fn a_failed_expectation_is_exit_one() {
    let resource = format!("{BUCKET}/private/{{other}}/photo.jpg");
    let run = query(&[
        "corpus/amplify-storage",
        "--as",
        "guest",
        "--action",
        "s3:GetObject",
        "--resource",
        &resource,
        "--expect",
        "possible",
    ]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("verdict: impossible"));
    assert!(run.stdout.contains("DOES NOT HOLD"));
}

// A bucket wildcard with bucket policies in the inputs cannot be answered
// soundly here: the verdict is unknown (exit 3), never impossible.
#[test]
fn an_unknown_verdict_is_exit_three() {
    let run = query(&[
        "corpus/amplify-storage",
        "--as",
        "guest",
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::*/private/{other}/photo.jpg",
        "--expect",
        "never",
    ]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert!(run.stdout.contains("verdict: unknown"));
}

#[test]
fn a_bad_question_is_exit_two_with_help() {
    let run = query(&[
        "corpus/amplify-storage",
        "--as",
        "guests",
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::b/{them}",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is not a principal selector"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("unknown placeholder"), "{}", run.stderr);
}

// An action pattern expands through the catalogue: `s3:Put*` on another
// guest's protected prefix is impossible for every Put action that acts on
// objects; the bucket-level ones (`s3:PutBucketPolicy`) cannot name an object
// and are left out, with a note.
#[test]
fn action_patterns_are_expanded() {
    let resource = format!("{BUCKET}/protected/{{other}}/photo.jpg");
    let run = query(&[
        "corpus/amplify-storage",
        "--as",
        "guest",
        "--action",
        "s3:Put*",
        "--resource",
        &resource,
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(doc["verdict"], "impossible", "{}", run.stdout);
    let actions = doc["actions"].as_array().expect("actions");
    assert!(actions.len() >= 4, "{actions:?}");
    assert!(actions.iter().any(|a| a == "s3:PutObject"));
    assert!(actions.iter().all(|a| a != "s3:PutBucketPolicy"));
    assert!(run.stdout.contains("were not asked"), "{}", run.stdout);
}

// `--expect always` fails on a counterexample: the Amplify bucket policy
// denies requests without TLS (`aws:SecureTransport` false), so not every
// request for one's own private files is allowed; pinning TLS makes it hold.
#[test]
fn always_fails_with_a_denied_counterexample_and_holds_when_pinned() {
    let resource = format!("{BUCKET}/private/{{self}}/*");
    let args = [
        "corpus/amplify-storage",
        "--as",
        "user",
        "--action",
        "s3:GetObject",
        "--resource",
        &resource,
        "--expect",
        "always",
    ];
    let run = query(&args);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("counterexample"), "{}", run.stdout);
    assert!(run.stdout.contains("aws:SecureTransport = false"));
    assert!(run.stdout.contains("S3TLSEnforcement"));
    let mut pinned = args.to_vec();
    pinned.extend(["--context", "aws:SecureTransport=true"]);
    let run = query(&pinned);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("verdict: always"));
}

// docs/semantics.md §10: with `AllowClassicFlow` absent the basic-flow route
// is kept, so `query` finds the guest's read of the API key `possible`, and
// the route answer and the summary say it rests on the assumption. With the
// field `false` it is `impossible` (the guest scope-down).
#[test]
fn a_possible_through_an_assumed_basic_flow_says_so() {
    let ask = |dir: &str, format: &str| {
        let pool = format!("tests/fixtures/aws_cli/{dir}/identity-pool.json");
        query(&[
            &pool,
            "corpus/classic-flow/iam.json",
            "corpus/classic-flow/identity-pool-roles.json",
            "--as",
            "guest",
            "--action",
            "secretsmanager:GetSecretValue",
            "--resource",
            "arn:aws:secretsmanager:us-east-1:555566667777:secret:arcade/leaderboard-api-key-Qm7xT2",
            "--format",
            format,
        ])
    };
    let run = ask("classic-flow-absent", "json");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(doc["verdict"], "possible");
    assert!(
        doc["summary"]
            .as_str()
            .is_some_and(|s| s.contains("rests on assumed: AllowClassicFlow absent")),
        "{}",
        doc["summary"]
    );
    let routes = doc["routes"].as_array().expect("routes");
    let possible: Vec<&serde_json::Value> = routes
        .iter()
        .filter(|r| r["verdict"] == "possible")
        .collect();
    assert_eq!(possible.len(), 1, "{routes:#?}");
    let basic = possible[0];
    assert_eq!(basic["flow"], "basic");
    assert_eq!(
        basic["assumptions"],
        serde_json::json!(["assumed: AllowClassicFlow absent"])
    );
    assert!(
        basic["rests_on"]
            .as_str()
            .is_some_and(|r| r.contains("assumed: AllowClassicFlow absent")),
        "{}",
        basic["rests_on"]
    );
    assert!(
        basic["how"]
            .as_str()
            .is_some_and(|h| h.contains("(assumed: AllowClassicFlow absent)"))
    );
    assert_eq!(doc["witness"]["route"], basic["number"]);

    let human = ask("classic-flow-absent", "human");
    assert!(
        human
            .stdout
            .contains("possible only if the assumption holds — assumed: AllowClassicFlow absent"),
        "{}",
        human.stdout
    );

    let off = ask("classic-flow-off", "json");
    assert_eq!(off.code, 0, "{}", off.stderr);
    let doc: serde_json::Value = serde_json::from_str(&off.stdout).expect("valid JSON");
    assert_eq!(doc["verdict"], "impossible");
    assert!(
        doc["routes"]
            .as_array()
            .expect("routes")
            .iter()
            .all(|r| r["flow"] != "basic")
    );
}

// The human output is the most complex one: its exact text is kept, so a
// change to it is a reviewed snapshot change, not an accident.
#[test]
fn human_output_of_a_possible_verdict() {
    let resource = format!("{BUCKET}/protected/{{other}}/photo.jpg");
    let run = query(&[
        "corpus/amplify-storage",
        "--as",
        "guest",
        "--action",
        "s3:GetObject",
        "--resource",
        &resource,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("amplify_guest_protected_human", run.stdout);
}

#[test]
fn human_output_of_an_impossible_verdict() {
    let resource = format!("{BUCKET}/private/{{other}}/photo.jpg");
    let run = query(&[
        "corpus/amplify-storage",
        "--as",
        "user",
        "--action",
        "s3:GetObject",
        "--resource",
        &resource,
        "--expect",
        "never",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("amplify_user_private_other_human", run.stdout);
}

// docs/semantics.md §13: whether S3 counts a wide `aws:SourceIp` block as
// public is not documented. With RestrictPublicBuckets on, an anonymous
// read is possible (the evaluator's reading: not public), but `always`
// would rest on that reading alone: unknown, and the route says why.
#[test]
fn always_through_an_undocumented_public_policy_is_unknown_and_says_why() {
    let dir = std::env::temp_dir().join(format!("poolscope-bpa-wide-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let case = common::corpus("public-website-bucket-block");
    for file in [
        "iam.json",
        "public-access-block.brochure-site-888899990000.json",
    ] {
        std::fs::copy(case.join(file), dir.join(file)).expect("copied");
    }
    let policy = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "OfficeRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::brochure-site-888899990000/*", "Condition": {"IpAddress": {"aws:SourceIp": "0.0.0.0/1"}}}]}"#;
    let wrapped = serde_json::json!({"Bucket": "brochure-site-888899990000", "Policy": policy});
    std::fs::write(dir.join("bucket-policy.json"), wrapped.to_string()).expect("written");
    let path = dir.to_string_lossy().into_owned();
    let ask = |expect: &str| {
        query(&[
            &path,
            "--as",
            "anonymous",
            "--action",
            "s3:GetObject",
            "--resource",
            "arn:aws:s3:::brochure-site-888899990000/index.html",
            "--context",
            "aws:SourceIp=10.0.0.1",
            "--expect",
            expect,
        ])
    };
    let possible = ask("possible");
    assert_eq!(possible.code, 0, "{}", possible.stdout);
    let always = ask("always");
    assert_eq!(always.code, 3, "{}", always.stdout);
    assert!(
        always.stdout.contains("1 route could not be decided")
            && always.stdout.contains(
                "depends on whether S3 Block Public Access counts the bucket policy as public"
            ),
        "{}",
        always.stdout
    );
    std::fs::remove_dir_all(&dir).ok();
}
