use super::*;
use crate::ingest::{InputFile, load_files};
use crate::source::SourceFile;

/// An inventory with one user pool (custom attribute `custom:tier`), one
/// identity pool whose rule reads `custom:tier`, and one role whose policy
/// tests `s3:prefix`.
fn inventory() -> Inventory {
    let files = [
        (
            "user-pool.json",
            r#"{"UserPool": {"Id": "us-east-1_Pool1", "Name": "app",
                "SchemaAttributes": [{"Name": "custom:tier", "AttributeDataType": "String",
                                      "Mutable": true}]}}"#,
        ),
        (
            "roles.json",
            r#"{"IdentityPoolId": "us-east-1:11111111-2222-3333-4444-555555555555",
                "Roles": {"authenticated": "arn:aws:iam::111122223333:role/Auth"},
                "RoleMappings": {"cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool1:client": {
                  "Type": "Rules", "AmbiguousRoleResolution": "Deny",
                  "RulesConfiguration": {"Rules": [{"Claim": "custom:tier", "MatchType": "Equals",
                    "Value": "premium", "RoleARN": "arn:aws:iam::111122223333:role/Auth"}]}}}}"#,
        ),
        (
            "policy.json",
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
                "Condition": {"StringLike": {"s3:prefix": "x/*", "custom:madeUpKey": "y"}}}]}"#,
        ),
    ];
    let inputs: Vec<InputFile> = files
        .iter()
        .map(|(path, text)| InputFile {
            source: SourceFile::new(*path, *text),
            named: true,
        })
        .collect();
    load_files(&inputs).inventory
}

fn ask(action: &str, resource: &str, claims: &[&str], context: &[&str]) -> Question {
    Question::from_args(
        "user",
        action,
        resource,
        &claims.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        &context.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        Some("never"),
    )
    .expect("well-formed question")
}

fn errors(question: &Question, leniency: Leniency) -> Vec<Diagnostic> {
    understand(question, &inventory(), leniency).expect_err("not understood")
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn misspelt_actions_and_services_are_refused_with_a_suggestion() {
    let object = "arn:aws:s3:::b/k";
    for (action, suggestion) in [
        ("s3:GetObjet", "s3:GetObject"),
        ("s3:getobjet", "s3:GetObject"),
        ("s4:GetObject", "s3"),
        ("s3:Getobject2", "s3:GetObject"),
    ] {
        let errs = errors(&ask(action, object, &[], &[]), Leniency::default());
        assert_eq!(codes(&errs), vec!["query-unknown-action"], "{action}");
        let help = errs[0].help.as_deref().unwrap_or_default();
        assert!(help.contains(suggestion), "{action}: {help}");
    }
    let errs = errors(&ask("s3:Gte*", object, &[], &[]), Leniency::default());
    assert_eq!(codes(&errs), vec!["query-unknown-action"]);
    // The control: spelt right, understood.
    let ok = understand(
        &ask("s3:GetObject", object, &[], &[]),
        &inventory(),
        Leniency::default(),
    )
    .expect("understood");
    assert_eq!(ok.targets[0].action, "s3:GetObject");
}

#[test]
fn an_unknown_action_is_asked_with_a_warning_when_opted_out() {
    let leniency = Leniency {
        unknown_actions: true,
        ..Leniency::default()
    };
    let ok = understand(
        &ask("s3:GetObjectFromTheFuture", "arn:aws:s3:*::b/k", &[], &[]),
        &inventory(),
        leniency,
    )
    .expect("asked anyway");
    assert_eq!(codes(&ok.warnings), vec!["query-unknown-action"]);
    // Narrowed to S3's resource types all the same: no region, no account.
    assert!(
        ok.targets[0]
            .resources
            .iter()
            .any(|r| r.to_string() == "arn:aws:s3:::b/k"),
        "{:?}",
        ok.targets[0].resources
    );
    // A pattern matching nothing is still refused.
    assert!(understand(&ask("s3:Gte*", "*", &[], &[]), &inventory(), leniency).is_err());
}

#[test]
fn resources_that_fit_no_resource_type_of_the_action_are_refused() {
    let cases = [
        ("s3:GetObject", "arn:aws:s3:::bucket"),
        ("s3:ListBucket", "arn:aws:s3:::bucket/key"),
        ("s3:GetObject", "arn:aws:s3:us-east-1::bucket/key"),
        ("dynamodb:GetItem", "arn:aws:s3:::bucket/key"),
        ("sts:GetCallerIdentity", "arn:aws:s3:::bucket/key"),
    ];
    for (action, resource) in cases {
        let errs = errors(&ask(action, resource, &[], &[]), Leniency::default());
        assert_eq!(
            codes(&errs),
            vec!["query-resource-type"],
            "{action} {resource}"
        );
    }
    for resource in ["bucket/key", "s3:::bucket", "arn:aws:s3"] {
        let errs = errors(
            &ask("s3:GetObject", resource, &[], &[]),
            Leniency::default(),
        );
        assert_eq!(codes(&errs), vec!["query-bad-resource"], "{resource}");
    }
}

#[test]
fn patterns_are_narrowed_to_each_resource_type() {
    let understood = |action: &str, resource: &str| {
        understand(
            &ask(action, resource, &[], &[]),
            &inventory(),
            Leniency::default(),
        )
        .expect("understood")
    };
    // S3 ARNs have no region and no account.
    let got = understood("s3:GetObject", "arn:aws:s3:*:*:b/private/{other}/*");
    assert_eq!(got.targets.len(), 1);
    let texts: Vec<String> = got.targets[0]
        .resources
        .iter()
        .map(|r| r.to_string())
        .collect();
    assert_eq!(texts, vec!["arn:aws:s3:::b/private/{other}/*"]);
    // An action pattern keeps the actions that fit and counts the rest.
    let got = understood("s3:Get*", "arn:aws:s3:::bucket");
    assert!(got.targets.iter().any(|t| t.action == "s3:GetBucketPolicy"));
    assert!(got.targets.iter().all(|t| t.action != "s3:GetObject"));
    assert!(got.left_out > 0);
    // `*` asks every resource type, and `*` itself where no type is required.
    let got = understood("s3:ListAllMyBuckets", "*");
    assert_eq!(got.targets[0].resources[0].to_string(), "*");
    let got = understood("s3:GetObject", "*");
    let texts: Vec<String> = got.targets[0]
        .resources
        .iter()
        .map(|r| r.to_string())
        .collect();
    assert_eq!(
        texts,
        vec!["arn:*:s3:*:*:accesspoint/*/object/*", "arn:*:s3:::*/*"]
    );
}

#[test]
fn claim_keys_must_be_named_somewhere() {
    // `custom:tier` is in the pool's schema and a rule; `email` is standard.
    let ok = ask(
        "s3:GetObject",
        "arn:aws:s3:::b/k",
        &[
            "custom:tier=premium",
            "email=a@example.com",
            "cognito:groups=admin",
        ],
        &[],
    );
    assert!(understand(&ok, &inventory(), Leniency::default()).is_ok());
    let bad = ask(
        "s3:GetObject",
        "arn:aws:s3:::b/k",
        &["custom:teir=premium"],
        &[],
    );
    let errs = errors(&bad, Leniency::default());
    assert_eq!(codes(&errs), vec!["query-unknown-claim"]);
    assert!(
        errs[0]
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("custom:tier")
    );
    let lenient = Leniency {
        unknown_keys: true,
        ..Leniency::default()
    };
    let ok = understand(&bad, &inventory(), lenient).expect("asked anyway");
    assert_eq!(codes(&ok.warnings), vec!["query-unknown-claim"]);
}

#[test]
fn context_keys_must_be_named_somewhere() {
    let resource = "arn:aws:dynamodb:us-east-1:111122223333:table/Notes";
    for key in [
        "dynamodb:LeadingKeys+=x",
        "aws:SourceIp=10.0.0.1",
        "aws:PrincipalTag/team=red",
        "custom:madeUpKey=y",
    ] {
        let q = ask("dynamodb:GetItem", resource, &[], &[key]);
        assert!(
            understand(&q, &inventory(), Leniency::default()).is_ok(),
            "{key}"
        );
    }
    for (key, suggestion) in [
        ("dynamodb:LeadingKey+=x", "dynamodb:LeadingKeys"),
        ("aws:SourceIP2=1", "aws:SourceIp"),
    ] {
        let q = ask("dynamodb:GetItem", resource, &[], &[key]);
        let errs = errors(&q, Leniency::default());
        assert_eq!(codes(&errs), vec!["query-unknown-context-key"], "{key}");
        let help = errs[0].help.as_deref().unwrap_or_default();
        assert!(help.contains(suggestion), "{key}: {help}");
    }
}

#[test]
fn questions_aws_cannot_ask_are_refused() {
    let resource = "arn:aws:s3:::b";
    let cases: [(&[&str], &str); 3] = [
        (
            &["s3:prefix+=a", "s3:prefix+=b"],
            "query-context-single-valued",
        ),
        (
            &["s3:prefix=a", "s3:prefix=b"],
            "query-context-single-valued",
        ),
        (&["s3:prefix=a", "s3:prefix+=a"], "query-context-mixed"),
    ];
    for (context, code) in cases {
        let q = ask("s3:ListBucket", resource, &[], context);
        assert_eq!(
            codes(&errors(&q, Leniency::default())),
            vec![code],
            "{context:?}"
        );
    }
    // Multi-valued keys take several values; one value twice is one value.
    let q = ask(
        "dynamodb:Query",
        "arn:aws:dynamodb:us-east-1:111122223333:table/Notes",
        &[],
        &["dynamodb:LeadingKeys+=a", "dynamodb:LeadingKeys+=b"],
    );
    assert!(understand(&q, &inventory(), Leniency::default()).is_ok());
    let q = ask(
        "s3:ListBucket",
        resource,
        &[],
        &["s3:prefix+=a", "s3:prefix+=a"],
    );
    assert!(understand(&q, &inventory(), Leniency::default()).is_ok());
}
