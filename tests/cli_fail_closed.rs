//! Fail closed, on the real binary: every class of question poolscope does
//! not understand, in several spellings, is a usage error (exit 2) with a
//! useful message from both `query --expect never` and `explain` — never a
//! passing verdict — and the correctly spelled control still answers.

mod common;

use common::{Run, poolscope};

const AMPLIFY: &str = "corpus/amplify-storage";
const OBJECT: &str = "arn:aws:s3:::photosharestorage3f2a9c1b142233-dev/public/x.jpg";
const BUCKET: &str = "arn:aws:s3:::photosharestorage3f2a9c1b142233-dev";
const ABAC: &str = "corpus/abac-principal-tags";
const DOCS: &str = "arn:aws:s3:::acme-docs-666677778888/engineering/spec.pdf";
const TABLE: &str = "arn:aws:dynamodb:us-east-1:111122223333:table/Notes";

/// The text with miette's wrapping undone: margins and line breaks become
/// single spaces.
fn flat(text: &str) -> String {
    text.replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs the question with `query --expect never` and with `explain`.
fn both(inputs: &str, principal: &str, rest: &[&str]) -> [(String, Run); 2] {
    let mut query = vec![inputs, "--as", principal];
    query.extend(rest);
    query.extend(["--expect", "never"]);
    let mut explain = vec![inputs, "--as", principal];
    explain.extend(rest);
    [
        ("query".to_string(), poolscope("query", &query)),
        ("explain".to_string(), poolscope("explain", &explain)),
    ]
}

fn assert_refused(inputs: &str, principal: &str, rest: &[&str], expected: &[&str]) {
    for (command, run) in both(inputs, principal, rest) {
        assert_eq!(
            run.code, 2,
            "{command} {rest:?} must be refused\n{}{}",
            run.stdout, run.stderr
        );
        assert!(run.stdout.is_empty(), "no verdict: {}", run.stdout);
        for text in expected {
            assert!(
                flat(&run.stderr).contains(text),
                "{command} {rest:?}: `{text}` missing from\n{}",
                run.stderr
            );
        }
    }
}

fn assert_answered(inputs: &str, principal: &str, rest: &[&str]) {
    for (command, run) in both(inputs, principal, rest) {
        assert!(
            run.code == 0 || run.code == 1,
            "{command} {rest:?} must answer\n{}{}",
            run.stdout,
            run.stderr
        );
        assert!(run.stdout.contains("verdict"), "{}", run.stdout);
    }
}

#[test]
fn unknown_actions_and_services_are_refused() {
    let cases: [(&str, &str); 5] = [
        ("s3:GetObjet", "did you mean `s3:GetObject`?"),
        ("s3:getobjet", "did you mean `s3:GetObject`?"),
        ("s3:GetObjects", "did you mean `s3:GetObject`?"),
        ("s4:GetObject", "did you mean the service `s3`?"),
        ("S3-:GetObject", "is not an AWS service prefix"),
    ];
    for (action, expected) in cases {
        assert_refused(
            AMPLIFY,
            "guest",
            &["--action", action, "--resource", OBJECT],
            &["query-unknown-action", expected],
        );
    }
    // A pattern that names nothing (query only: explain takes one action).
    let run = poolscope(
        "query",
        &[
            AMPLIFY,
            "--as",
            "guest",
            "--action",
            "s3:Gte*",
            "--resource",
            OBJECT,
            "--expect",
            "never",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("matches no AWS action"),
        "{}",
        run.stderr
    );
    assert_answered(
        AMPLIFY,
        "guest",
        &["--action", "s3:GetObject", "--resource", OBJECT],
    );
    assert_answered(
        AMPLIFY,
        "guest",
        &["--action", "S3:getobject", "--resource", OBJECT],
    );
}

#[test]
fn the_unknown_action_opt_out_asks_with_a_warning() {
    for command in ["query", "explain"] {
        let run = poolscope(
            command,
            &[
                AMPLIFY,
                "--as",
                "guest",
                "--action",
                "s3:GetObjectFromTheFuture",
                "--resource",
                OBJECT,
                "--allow-unknown-actions",
            ],
        );
        assert_ne!(run.code, 2, "{command}: {}", run.stderr);
        assert!(flat(&run.stderr).contains("asked anyway"), "{}", run.stderr);
        assert!(run.stdout.contains("verdict"), "{}", run.stdout);
    }
}

#[test]
fn resources_that_are_no_arn_or_fit_no_resource_type_are_refused() {
    let wrong_type: [(&str, &str); 5] = [
        ("s3:GetObject", BUCKET),
        (
            "s3:GetObject",
            "arn:aws:s3:us-east-1::photosharestorage3f2a9c1b142233-dev/x",
        ),
        ("s3:ListBucket", OBJECT),
        ("dynamodb:GetItem", OBJECT),
        ("s3:GetObject", TABLE),
    ];
    for (action, resource) in wrong_type {
        assert_refused(
            AMPLIFY,
            "guest",
            &["--action", action, "--resource", resource],
            &["query-resource-type", "fits no resource type"],
        );
    }
    for resource in [
        "photosharestorage3f2a9c1b142233-dev/x",
        "s3://photosharestorage3f2a9c1b142233-dev/x",
        "arn:aws:s3",
    ] {
        assert_refused(
            AMPLIFY,
            "guest",
            &["--action", "s3:GetObject", "--resource", resource],
            &["query-bad-resource", "is not an ARN pattern"],
        );
    }
    assert_answered(
        AMPLIFY,
        "guest",
        &["--action", "s3:ListBucket", "--resource", BUCKET],
    );
}

#[test]
fn unknown_claim_and_context_keys_are_refused() {
    // `custom:department` is the pool's attribute the principal-tag map reads.
    for claim in [
        "custom:departmnet=engineering",
        "custom:Department=engineering",
        "custom:dept=engineering",
    ] {
        assert_refused(
            ABAC,
            "user",
            &[
                "--action",
                "s3:GetObject",
                "--resource",
                DOCS,
                "--claim",
                claim,
            ],
            &["query-unknown-claim"],
        );
    }
    assert_refused(
        ABAC,
        "user",
        &[
            "--action",
            "s3:GetObject",
            "--resource",
            DOCS,
            "--claim",
            "custom:departmnet=engineering",
        ],
        &["did you mean `custom:department`?"],
    );
    for context in [
        "dynamodb:LeadingKey+=a",
        "dynamodb:leadingkey=a",
        "aws:SecureTransprt=true",
        "s3:prefx=a",
    ] {
        assert_refused(
            AMPLIFY,
            "user",
            &[
                "--action",
                "s3:GetObject",
                "--resource",
                OBJECT,
                "--context",
                context,
            ],
            &["query-unknown-context-key", "did you mean"],
        );
    }
    assert_answered(
        ABAC,
        "user",
        &[
            "--action",
            "s3:GetObject",
            "--resource",
            DOCS,
            "--claim",
            "custom:department=engineering",
        ],
    );
    assert_answered(
        AMPLIFY,
        "user",
        &[
            "--action",
            "s3:GetObject",
            "--resource",
            OBJECT,
            "--context",
            "aws:SecureTransport=true",
        ],
    );
}

#[test]
fn questions_aws_cannot_ask_are_refused() {
    let cases: [(&[&str], &str); 4] = [
        (
            &["--context", "s3:prefix+=a", "--context", "s3:prefix+=b"],
            "query-context-single-valued",
        ),
        (
            &["--context", "s3:prefix=a", "--context", "s3:prefix=b"],
            "query-context-single-valued",
        ),
        (
            &["--context", "s3:prefix=a", "--context", "s3:prefix+=b"],
            "query-context-mixed",
        ),
        (
            &[
                "--context",
                "aws:SecureTransport=true",
                "--context",
                "aws:SecureTransport=false",
            ],
            "query-context-single-valued",
        ),
    ];
    for (context, code) in cases {
        let mut rest = vec!["--action", "s3:ListBucket", "--resource", BUCKET];
        rest.extend(context);
        assert_refused(AMPLIFY, "user", &rest, &[code]);
    }
    // The first `=` ends the key: the value may hold `+=`.
    assert_answered(
        AMPLIFY,
        "user",
        &[
            "--action",
            "s3:ListBucket",
            "--resource",
            BUCKET,
            "--context",
            "s3:prefix=public/a+=b",
        ],
    );
}

#[test]
fn opt_outs_turn_unknown_keys_into_warnings() {
    let run = poolscope(
        "query",
        &[
            ABAC,
            "--as",
            "user",
            "--action",
            "s3:GetObject",
            "--resource",
            DOCS,
            "--claim",
            "custom:newattribute=x",
            "--allow-unknown-keys",
        ],
    );
    assert_ne!(run.code, 2, "{}", run.stderr);
    assert!(flat(&run.stderr).contains("asked anyway"), "{}", run.stderr);
}
