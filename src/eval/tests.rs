//! Table-driven tests of the evaluator, each case citing the AWS
//! documentation it reproduces, plus property tests.

use proptest::prelude::*;

use super::*;
use crate::diagnostic::Severity;
use crate::policy::parse::parse_policy_text;
use crate::policy::{
    ActionElement, BaseOperator, Condition, ConditionValue, Effect, Operator, Policy, PolicyKind,
    SetQualifier, Statement, Template,
};
use crate::source::Location;
use crate::source::Spanned;

const ACCOUNT: &str = "111122223333";
const OTHER_ACCOUNT: &str = "444455556666";
const ROLE: &str = "arn:aws:iam::111122223333:role/Cognito_PhotosAuth_Role";
const POOL: &str = "us-east-1:11111111-2222-3333-4444-555555555555";
const ME: &str = "us-east-1:aaaaaaaa-0000-4000-8000-000000000001";
const OTHER: &str = "us-east-1:bbbbbbbb-0000-4000-8000-000000000002";
const USER_BOB: &str = "arn:aws:iam::111122223333:user/Bob";

/// Parses a policy document; any error diagnostic fails the test (the
/// parser drops statements with errors, which would hide mistakes here).
fn policy(name: &str, json: &str) -> Policy {
    let parsed = parse_policy_text(name, json, PolicyKind::Unknown)
        .unwrap_or_else(|d| panic!("{name} does not parse: {d:?}"));
    let errors: Vec<_> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:?}");
    parsed.policy
}

/// A version 2012-10-17 policy with the given statements.
fn statements(name: &str, statements: &str) -> Policy {
    policy(
        name,
        &format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#),
    )
}

fn session() -> Caller {
    Caller::role_session(ROLE, "CognitoIdentityCredentials")
}

fn cognito_user(identity: &str) -> Caller {
    session().with_cognito(
        identity,
        POOL,
        &[
            "authenticated",
            "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc:client",
        ],
    )
}

// ------------------------------------------------------------ conditions

/// Whether a single Allow statement with this condition block applies to
/// an `s3:GetObject` request with these context keys (`[..]` values are
/// multivalued).
fn condition_case(block: &str, context: &[(&str, &[&str], bool)], caller: Caller) -> bool {
    let policy = statements(
        "condition",
        &format!(r#"{{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {block}}}"#),
    );
    let mut request = Request::new(caller, "s3:GetObject", "arn:aws:s3:::bucket/key");
    for (key, values, multi) in context {
        let value = if *multi {
            ContextValue::multi(values.iter())
        } else {
            ContextValue::single(values[0])
        };
        request.context.set(key, value);
    }
    let context = request.resolved_context();
    statement_applies(&policy.statements[0], &request, &context).is_ok()
}

type Keys<'a> = &'a [(&'a str, &'a [&'a str], bool)];

#[test]
fn condition_operators_follow_the_iam_user_guide() {
    // (source, condition block, context keys, expected)
    #[rustfmt::skip]
    let cases: &[(&str, &str, Keys<'_>, bool)] = &[
        // "IAM JSON policy elements: Condition": johndoe vs JohnDoe.
        ("Condition: StringEquals is case-sensitive", r#"{"StringEquals": {"aws:username": "johndoe"}}"#, &[("aws:username", &["JohnDoe"], false)], false),
        ("Condition: StringEquals matches", r#"{"StringEquals": {"aws:username": "johndoe"}}"#, &[("aws:username", &["johndoe"], false)], true),
        ("Condition: StringEqualsIgnoreCase", r#"{"StringEqualsIgnoreCase": {"aws:username": "johndoe"}}"#, &[("aws:username", &["JohnDoe"], false)], true),
        ("Condition: context key names are not case-sensitive", r#"{"IpAddress": {"aws:SourceIP": "203.0.113.0/24"}}"#, &[("AWS:SourceIp", &["203.0.113.9"], false)], true),
        // "Condition operators", string operators.
        ("String: StringLike wildcard", r#"{"StringLike": {"s3:prefix": "home/*"}}"#, &[("s3:prefix", &["home/alice/"], false)], true),
        ("String: StringLike is case-sensitive", r#"{"StringLike": {"s3:prefix": "home/*"}}"#, &[("s3:prefix", &["Home/alice/"], false)], false),
        ("String: positive operator, key absent", r#"{"StringLike": {"s3:prefix": "home/*"}}"#, &[], false),
        ("Multiple values: OR", r#"{"StringEquals": {"s3:prefix": ["a", "b"]}}"#, &[("s3:prefix", &["b"], false)], true),
        ("Negated matching: NOR, value in list", r#"{"StringNotEquals": {"s3:prefix": ["a", "b"]}}"#, &[("s3:prefix", &["a"], false)], false),
        ("Negated matching: NOR, value outside list", r#"{"StringNotEquals": {"s3:prefix": ["a", "b"]}}"#, &[("s3:prefix", &["c"], false)], true),
        ("Condition operators: negated operator, key absent is true", r#"{"StringNotLike": {"s3:prefix": "home/*"}}"#, &[], true),
        ("Condition operators: ArnNotLike, key absent is true", r#"{"ArnNotLike": {"aws:SourceArn": "arn:aws:sns:*:*:topic"}}"#, &[], true),
        // "...IfExists condition operators".
        ("IfExists: absent is true", r#"{"StringEqualsIfExists": {"ec2:InstanceType": "t2.micro"}}"#, &[], true),
        ("IfExists: present is checked", r#"{"StringEqualsIfExists": {"ec2:InstanceType": "t2.micro"}}"#, &[("ec2:InstanceType", &["m5.large"], false)], false),
        // "Numeric condition operators": the s3:max-keys example.
        ("Numeric: NumericLessThanEquals 10 with 10", r#"{"NumericLessThanEquals": {"s3:max-keys": "10"}}"#, &[("s3:max-keys", &["10"], false)], true),
        ("Numeric: NumericLessThanEquals 10 with 11", r#"{"NumericLessThanEquals": {"s3:max-keys": "10"}}"#, &[("s3:max-keys", &["11"], false)], false),
        ("Numeric: NumericLessThan compares numbers, not text", r#"{"NumericLessThan": {"s3:max-keys": "10"}}"#, &[("s3:max-keys", &["9"], false)], true),
        ("Numeric: NumericEquals 1.0 = 1", r#"{"NumericEquals": {"s3:max-keys": "1"}}"#, &[("s3:max-keys", &["1.0"], false)], true),
        ("Numeric: request value not a number never matches", r#"{"NumericGreaterThan": {"s3:max-keys": "1"}}"#, &[("s3:max-keys", &["many"], false)], false),
        ("Numeric: NumericNotEquals on a non-number is true", r#"{"NumericNotEquals": {"s3:max-keys": "1"}}"#, &[("s3:max-keys", &["many"], false)], true),
        // "Date condition operators", "AWS: Allows access based on date and time".
        ("Date: DateGreaterThan ISO", r#"{"DateGreaterThan": {"aws:CurrentTime": "2020-04-01T00:00:00Z"}}"#, &[("aws:CurrentTime", &["2020-05-01T12:00:00Z"], false)], true),
        ("Date: DateLessThan ISO", r#"{"DateLessThan": {"aws:CurrentTime": "2020-06-30T23:59:59Z"}}"#, &[("aws:CurrentTime", &["2020-07-01T00:00:00Z"], false)], false),
        ("Date: epoch policy value", r#"{"DateGreaterThanEquals": {"aws:EpochTime": "1585699200"}}"#, &[("aws:EpochTime", &["2020-04-01T00:00:00Z"], false)], true),
        ("Date: offsets compare as instants", r#"{"DateEquals": {"aws:CurrentTime": "2020-04-01T02:00:00+02:00"}}"#, &[("aws:CurrentTime", &["2020-04-01T00:00:00Z"], false)], true),
        // "Boolean condition operators".
        ("Bool: SecureTransport false", r#"{"Bool": {"aws:SecureTransport": "false"}}"#, &[("aws:SecureTransport", &["false"], false)], true),
        ("Bool: SecureTransport true vs false", r#"{"Bool": {"aws:SecureTransport": "false"}}"#, &[("aws:SecureTransport", &["true"], false)], false),
        ("Bool: JSON boolean value", r#"{"Bool": {"aws:MultiFactorAuthPresent": true}}"#, &[("aws:MultiFactorAuthPresent", &["true"], false)], true),
        // "Binary condition operators".
        ("Binary: BinaryEquals", r#"{"BinaryEquals": {"key": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}"#, &[("key", &["QmluYXJ5VmFsdWVJbkJhc2U2NA=="], false)], true),
        ("Binary: BinaryEquals other bytes", r#"{"BinaryEquals": {"key": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}"#, &[("key", &["aGk="], false)], false),
        // "IP address condition operators".
        ("IP: IpAddress in range", r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#, &[("aws:SourceIp", &["203.0.113.10"], false)], true),
        ("IP: IpAddress outside range", r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#, &[("aws:SourceIp", &["198.51.100.1"], false)], false),
        ("IP: IPv6 range", r#"{"IpAddress": {"aws:SourceIp": "2001:DB8:1234:5678::/64"}}"#, &[("aws:SourceIp", &["2001:db8:1234:5678::9"], false)], true),
        ("IP: NotIpAddress outside range", r#"{"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24", "203.0.113.0/24"]}}"#, &[("aws:SourceIp", &["198.51.100.1"], false)], true),
        ("IP: NotIpAddress, key absent", r#"{"NotIpAddress": {"aws:SourceIp": "192.0.2.0/24"}}"#, &[], true),
        // "Amazon Resource Name (ARN) condition operators".
        ("ARN: ArnLike per component", r#"{"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:123456789012:*"}}"#, &[("aws:SourceArn", &["arn:aws:sns:us-east-1:123456789012:topic"], false)], true),
        ("ARN: ArnEquals honours wildcards like ArnLike", r#"{"ArnEquals": {"aws:SourceArn": "arn:aws:sns:*:123456789012:*"}}"#, &[("aws:SourceArn", &["arn:aws:sns:us-east-1:123456789012:topic"], false)], true),
        ("ARN: ArnEquals, other account", r#"{"ArnEquals": {"aws:SourceArn": "arn:aws:sns:*:123456789012:*"}}"#, &[("aws:SourceArn", &["arn:aws:sns:us-east-1:999999999999:topic"], false)], false),
        ("ARN: ArnNotEquals", r#"{"ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::*:role/Admin"}}"#, &[("aws:PrincipalArn", &["arn:aws:iam::1:role/Dev"], false)], true),
        // "Condition operator to check existence of condition keys" (Null).
        ("Null: true and absent", r#"{"Null": {"aws:TokenIssueTime": "true"}}"#, &[], true),
        ("Null: true and present", r#"{"Null": {"aws:TokenIssueTime": "true"}}"#, &[("aws:TokenIssueTime", &["2011-05-03T00:00:00Z"], false)], false),
        ("Null: false and present", r#"{"Null": {"aws:TokenIssueTime": "false"}}"#, &[("aws:TokenIssueTime", &["2011-05-03T00:00:00Z"], false)], true),
        ("Null: false and absent", r#"{"Null": {"aws:TokenIssueTime": "false"}}"#, &[], false),
        ("Null: empty set counts as absent", r#"{"Null": {"aws:TagKeys": "true"}}"#, &[("aws:TagKeys", &[], true)], true),
        // "Single-valued vs. multivalued context keys", ForAllValues.
        ("ForAllValues: subset", r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["environment", "cost-center"]}}"#, &[("aws:TagKeys", &["environment"], true)], true),
        ("ForAllValues: a value outside the list", r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["environment", "cost-center"]}}"#, &[("aws:TagKeys", &["environment", "owner"], true)], false),
        ("ForAllValues: absent key is true", r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["environment"]}}"#, &[], true),
        ("ForAllValues with an empty set is true", r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["environment"]}}"#, &[("aws:TagKeys", &[], true)], true),
        ("ForAllValues: negated, none listed", r#"{"ForAllValues:StringNotEquals": {"aws:TagKeys": ["secret"]}}"#, &[("aws:TagKeys", &["a", "b"], true)], true),
        ("ForAllValues: negated, one listed", r#"{"ForAllValues:StringNotEquals": {"aws:TagKeys": ["secret"]}}"#, &[("aws:TagKeys", &["a", "secret"], true)], false),
        // ForAnyValue.
        ("ForAnyValue: one value listed", r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": ["environment"]}}"#, &[("aws:TagKeys", &["owner", "environment"], true)], true),
        ("ForAnyValue: none listed", r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": ["environment"]}}"#, &[("aws:TagKeys", &["owner"], true)], false),
        ("ForAnyValue: absent key is false", r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": ["environment"]}}"#, &[], false),
        ("ForAnyValue: empty set is false", r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": ["environment"]}}"#, &[("aws:TagKeys", &[], true)], false),
        ("ForAnyValue: negated, one value unlisted", r#"{"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["a"]}}"#, &[("aws:TagKeys", &["a", "b"], true)], true),
        ("ForAnyValue: negated, all listed", r#"{"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["a"]}}"#, &[("aws:TagKeys", &["a"], true)], false),
        ("ForAnyValue ignores IfExists (docs/semantics.md)", r#"{"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a*"]}}"#, &[], false),
        ("ForAllValues ignores IfExists", r#"{"ForAllValues:StringLikeIfExists": {"aws:TagKeys": ["a*"]}}"#, &[("aws:TagKeys", &["b"], true)], false),
        ("Unqualified operator on a multivalued key reads like ForAnyValue", r#"{"StringEquals": {"aws:TagKeys": "a"}}"#, &[("aws:TagKeys", &["b", "a"], true)], true),
        // "Conditions with multiple context keys or values": AND across keys
        // and operators.
        ("Multiple keys: AND, both hold", r#"{"StringEquals": {"k1": "a", "k2": "b"}}"#, &[("k1", &["a"], false), ("k2", &["b"], false)], true),
        ("Multiple keys: AND, one absent", r#"{"StringEquals": {"k1": "a", "k2": "b"}}"#, &[("k1", &["a"], false)], false),
        ("Multiple operators: AND", r#"{"StringEquals": {"k1": "a"}, "Bool": {"aws:SecureTransport": "true"}}"#, &[("k1", &["a"], false), ("aws:SecureTransport", &["false"], false),], false),
        // "Policy variables": variables in condition values.
        ("Variables: resolved from the context", r#"{"StringLike": {"s3:prefix": ["${aws:PrincipalTag/team}/*"]}}"#, &[("s3:prefix", &["red/x"], false), ("aws:PrincipalTag/team", &["red"], false),], true),
        ("Variables: no value, positive operator does not match", r#"{"StringLike": {"s3:prefix": ["${aws:PrincipalTag/team}/*"]}}"#, &[("s3:prefix", &["red/x"], false)], false),
        ("Variables: no value, negated operator matches", r#"{"StringNotLike": {"s3:prefix": ["${aws:PrincipalTag/team}/*"]}}"#, &[("s3:prefix", &["red/x"], false)], true),
        ("Variables: default value", r#"{"StringEquals": {"s3:prefix": ["${aws:PrincipalTag/team, 'none'}"]}}"#, &[("s3:prefix", &["none"], false)], true),
        ("Variables: multivalued keys are not variables", r#"{"StringEquals": {"s3:prefix": ["${aws:TagKeys}"]}}"#, &[("s3:prefix", &["a"], false), ("aws:TagKeys", &["a"], true)], false),
        ("Variables: key names case-insensitive", r#"{"StringEquals": {"s3:prefix": ["${AWS:PRINCIPALTAG/TEAM}"]}}"#, &[("s3:prefix", &["red"], false), ("aws:principaltag/team", &["red"], false),], true),
    ];
    for (source, block, keys, expected) in cases {
        assert_eq!(
            condition_case(block, keys, session()),
            *expected,
            "{source}: {block} with {keys:?}"
        );
    }
}

// IAM User Guide, "Policy variables": the home-folder example with
// `${aws:username}`, which IAM users have and role sessions do not.
#[test]
fn username_variables_resolve_for_users_only() {
    let block = r#"{"StringLike": {"s3:prefix": ["home/${aws:username}/*"]}}"#;
    let keys: Keys<'_> = &[("s3:prefix", &["home/Bob/photos"], false)];
    assert!(condition_case(block, keys, Caller::user(USER_BOB)));
    assert!(!condition_case(block, keys, session()));
}

// ------------------------------------------------------------ statements

fn request(caller: Caller, action: &str, resource: &str) -> Request {
    Request::new(caller, action, resource)
}

fn applies(policy: &Policy, request: &Request) -> bool {
    let context = request.resolved_context();
    statement_applies(&policy.statements[0], request, &context).is_ok()
}

#[test]
fn action_and_resource_elements_follow_the_iam_user_guide() {
    // (source, statement body, action, resource, expected)
    #[rustfmt::skip]
    let cases: &[(&str, &str, &str, &str, bool)] = &[
        ("Action: prefix wildcard", r#""Action": "s3:Get*", "Resource": "*""#, "s3:GetObject", "arn:aws:s3:::b/k", true),
        ("Action: prefix wildcard, other action", r#""Action": "s3:Get*", "Resource": "*""#, "s3:PutObject", "arn:aws:s3:::b/k", false),
        ("Action: case-insensitive", r#""Action": "S3:GETOBJECT", "Resource": "*""#, "s3:GetObject", "arn:aws:s3:::b/k", true),
        ("Action: list", r#""Action": ["sqs:SendMessage", "s3:GetObject"], "Resource": "*""#, "s3:GetObject", "arn:aws:s3:::b/k", true),
        ("NotAction: everything but IAM", r#""NotAction": "iam:*", "Resource": "*""#, "s3:GetObject", "arn:aws:s3:::b/k", true),
        ("NotAction: excludes IAM", r#""NotAction": "iam:*", "Resource": "*""#, "iam:CreateUser", "arn:aws:iam::111122223333:user/x", false),
        ("Resource: object prefix", r#""Action": "*", "Resource": "arn:aws:s3:::photos/public/*""#, "s3:GetObject", "arn:aws:s3:::photos/public/cat.png", true),
        ("Resource: case-sensitive", r#""Action": "*", "Resource": "arn:aws:s3:::photos/public/*""#, "s3:GetObject", "arn:aws:s3:::photos/Public/cat.png", false),
        ("NotResource: all but one bucket", r#""Action": "*", "NotResource": ["arn:aws:s3:::secret", "arn:aws:s3:::secret/*"]"#, "s3:GetObject", "arn:aws:s3:::photos/x", true),
        ("NotResource: the excluded bucket", r#""Action": "*", "NotResource": ["arn:aws:s3:::secret", "arn:aws:s3:::secret/*"]"#, "s3:GetObject", "arn:aws:s3:::secret/x", false),
        ("Resource: `*` matches requests without resource-level permissions", r#""Action": "*", "Resource": "*""#, "s3:ListAllMyBuckets", "*", true),
        ("Resource: an ARN does not match `*` requests", r#""Action": "*", "Resource": "arn:aws:s3:::b""#, "s3:ListAllMyBuckets", "*", false),
        ("Policy variables in Resource: resolved", r#""Action": "*", "Resource": "arn:aws:s3:::photos/private/${cognito-identity.amazonaws.com:sub}/*""#, "s3:GetObject", "arn:aws:s3:::photos/private/us-east-1:aaaaaaaa-0000-4000-8000-000000000001/a.jpg", true),
        ("Policy variables in Resource: another identity", r#""Action": "*", "Resource": "arn:aws:s3:::photos/private/${cognito-identity.amazonaws.com:sub}/*""#, "s3:GetObject", "arn:aws:s3:::photos/private/us-east-1:bbbbbbbb-0000-4000-8000-000000000002/a.jpg", false),
        ("Policy variables in Resource: no value matches nothing", r#""Action": "*", "Resource": "arn:aws:s3:::home/${aws:username}/*""#, "s3:GetObject", "arn:aws:s3:::home//x", false),
        // Not settled by AWS (docs/semantics.md, "Undocumented corners"):
        // an entry without a value that could match makes NotResource
        // undecided, taken as not applying (iam-simulate's reading); one that
        // could match for no value excludes nothing.
        ("Policy variables in NotResource: no value, could match: assumed not to apply", r#""Action": "*", "NotResource": "arn:aws:s3:::home/${aws:username}/*""#, "s3:GetObject", "arn:aws:s3:::home/x/y", false),
        ("Policy variables in NotResource: no value, another prefix: excludes nothing", r#""Action": "*", "NotResource": "arn:aws:s3:::home/${aws:username}/*""#, "s3:GetObject", "arn:aws:s3:::photos/x", true),
        ("Policy variables in NotResource: no value, another service: excludes nothing", r#""Action": "*", "NotResource": "arn:aws:s3:::home/${aws:username}/*""#, "dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111122223333:table/T", true),
        ("Policy variables in NotResource: a resolved entry still excludes", r#""Action": "*", "NotResource": ["arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home/*"]"#, "s3:GetObject", "arn:aws:s3:::home/x/y", false),
        ("Policy variables in NotResource: a default counts as a value", r#""Action": "*", "NotResource": "arn:aws:s3:::home/${aws:username, 'nobody'}/*""#, "s3:GetObject", "arn:aws:s3:::home/x/y", true),
    ];
    for (source, body, action, resource, expected) in cases {
        let policy = statements("p", &format!(r#"{{"Effect": "Allow", {body}}}"#));
        let request = request(cognito_user(ME), action, resource);
        assert_eq!(
            applies(&policy, &request),
            *expected,
            "{source}: {body} vs {action} {resource}"
        );
    }
}

// Not settled by AWS's documentation: a NotResource entry whose variable has
// no value ("will not match any resource", yet "might cause the entire
// statement to be invalid": IAM User Guide, "IAM policy elements: Variables
// and tags").
// poolscope takes iam-simulate's reading (the statement does not apply) and
// says so in the explanation; with a value nothing changes.
#[test]
fn not_resource_without_a_value_is_an_assumption_and_with_a_value_is_not() {
    let guarded = statements(
        "home-only",
        r#"{"Sid": "All", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
           {"Sid": "OutsideHome", "Effect": "Deny", "Action": "s3:*",
            "NotResource": "arn:aws:s3:::home/${aws:username}/*"}"#,
    );
    let set = PolicySet::new().with_identity(&guarded);
    let home = |who: &str| format!("arn:aws:s3:::home/{who}/notes.txt");

    // A role session has no aws:username: the Deny is taken not to apply.
    let role = evaluate(&request(session(), "s3:GetObject", &home("x")), &set);
    assert_eq!(role.decision, Decision::Allowed);
    let deny = &role.explanation.policies[0].statements[1];
    assert!(!deny.applies);
    assert_eq!(
        deny.assumptions.iter().map(|a| a.kind).collect::<Vec<_>>(),
        vec![AssumptionKind::UnresolvedNotResource]
    );
    assert!(
        deny.assumptions[0].text.contains("does not settle")
            && deny.assumptions[0].text.contains("iam-simulate"),
        "{:?}",
        deny.assumptions
    );
    assert!(
        deny.reason
            .as_deref()
            .is_some_and(|r| r.contains("assumed")),
        "{:?}",
        deny.reason
    );
    assert_eq!(&*deny.reason_location.pointer, "/Statement/1/NotResource");
    let json = serde_json::to_value(&role).expect("serializable");
    assert_eq!(
        json["explanation"]["policies"][0]["statements"][1]["assumptions"][0]["kind"],
        "unresolved_not_resource"
    );
    // Statements without an assumption carry no `assumptions` member.
    assert!(json["explanation"]["policies"][0]["statements"][0]["assumptions"].is_null());

    // Outside every home folder the entry could not match: the Deny
    // applies under any reading, and nothing is assumed.
    let photos = evaluate(
        &request(session(), "s3:GetObject", "arn:aws:s3:::photos/x"),
        &set,
    );
    assert_eq!(photos.decision, Decision::ExplicitlyDenied);
    assert_eq!(photos.explanation.assumptions().count(), 0);

    // With a value, the documented rule: own folder allowed, others denied.
    let bob = Caller::user(USER_BOB);
    let own = evaluate(&request(bob.clone(), "s3:GetObject", &home("Bob")), &set);
    assert_eq!(own.decision, Decision::Allowed);
    let other = evaluate(&request(bob, "s3:GetObject", &home("alice")), &set);
    assert_eq!(other.decision, Decision::ExplicitlyDenied);
    assert_eq!(
        own.explanation.assumptions().count() + other.explanation.assumptions().count(),
        0
    );

    // Another element that fails decides under every reading: no assumption.
    let conditional = statements(
        "conditional",
        r#"{"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::home/${aws:username}/*",
            "Condition": {"Bool": {"aws:SecureTransport": "true"}}}"#,
    );
    let insecure = evaluate(
        &request(session(), "s3:GetObject", &home("x")).with("aws:SecureTransport", "false"),
        &PolicySet::new().with_identity(&conditional),
    );
    let statement = &insecure.explanation.policies[0].statements[0];
    assert!(statement.assumptions.is_empty(), "{statement:?}");
    assert!(
        statement
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("SecureTransport")),
        "{statement:?}"
    );
}

// IAM User Guide, "Policy variables": variables are literal text unless the
// policy's Version is 2012-10-17.
#[test]
fn variables_are_literal_without_version_2012() {
    let old = policy(
        "old",
        r#"{"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "*",
            "Resource": "arn:aws:s3:::home/${aws:username}/*"}}"#,
    );
    let bob = Caller::user(USER_BOB);
    assert!(!applies(
        &old,
        &request(bob.clone(), "s3:GetObject", "arn:aws:s3:::home/Bob/x")
    ));
    assert!(applies(
        &old,
        &request(bob, "s3:GetObject", "arn:aws:s3:::home/${aws:username}/x")
    ));
}

#[test]
fn principal_elements_follow_the_iam_user_guide() {
    let session_arn =
        "arn:aws:sts::111122223333:assumed-role/Cognito_PhotosAuth_Role/CognitoIdentityCredentials";
    // (source, principal element, caller, expected)
    #[rustfmt::skip]
    let cases: Vec<(&str, String, Caller, bool)> = vec![
        ("Principal: everyone", r#""Principal": "*""#.into(), Caller::anonymous(), true),
        ("Principal: {AWS: *} is everyone, anonymous included", r#""Principal": {"AWS": "*"}"#.into(), Caller::anonymous(), true),
        ("Principal: account id", format!(r#""Principal": {{"AWS": "{ACCOUNT}"}}"#), session(), true),
        ("Principal: account root ARN", format!(r#""Principal": {{"AWS": "arn:aws:iam::{ACCOUNT}:root"}}"#), Caller::user(USER_BOB), true),
        ("Principal: other account", format!(r#""Principal": {{"AWS": "{OTHER_ACCOUNT}"}}"#), session(), false),
        ("Principal: account does not name anonymous", format!(r#""Principal": {{"AWS": "{ACCOUNT}"}}"#), Caller::anonymous(), false),
        ("Principal: role ARN names its sessions", format!(r#""Principal": {{"AWS": "{ROLE}"}}"#), session(), true),
        ("Principal: assumed-role session ARN", format!(r#""Principal": {{"AWS": "{session_arn}"}}"#), session(), true),
        ("Principal: another session of the role", format!(r#""Principal": {{"AWS": "{session_arn}"}}"#), Caller::role_session(ROLE, "other"), false),
        ("Principal: user ARN", format!(r#""Principal": {{"AWS": "{USER_BOB}"}}"#), Caller::user(USER_BOB), true),
        ("Principal: Federated Cognito", r#""Principal": {"Federated": "cognito-identity.amazonaws.com"}"#.into(), Caller::web_identity("cognito-identity.amazonaws.com"), true),
        ("Principal: Federated other provider", r#""Principal": {"Federated": "accounts.google.com"}"#.into(), Caller::web_identity("cognito-identity.amazonaws.com"), false),
        ("Principal: Service", r#""Principal": {"Service": "lambda.amazonaws.com"}"#.into(), Caller::service("lambda.amazonaws.com"), true),
        ("Principal: Service does not name a role session", r#""Principal": {"Service": "lambda.amazonaws.com"}"#.into(), session(), false),
        // "AWS JSON policy elements: NotPrincipal": a session is excluded
        // only when its session ARN, role ARN and account are all listed.
        ("NotPrincipal: all three names listed", format!(r#""NotPrincipal": {{"AWS": ["{session_arn}", "{ROLE}", "arn:aws:iam::{ACCOUNT}:root"]}}"#), session(), false),
        ("NotPrincipal: only the session listed", format!(r#""NotPrincipal": {{"AWS": ["{session_arn}"]}}"#), session(), true),
        ("NotPrincipal: anonymous is never listed", format!(r#""NotPrincipal": {{"AWS": ["{ROLE}"]}}"#), Caller::anonymous(), true),
        ("NotPrincipal: user and account listed", format!(r#""NotPrincipal": {{"AWS": ["{USER_BOB}", "{ACCOUNT}"]}}"#), Caller::user(USER_BOB), false),
    ];
    for (source, element, caller, expected) in cases {
        let policy = statements(
            "resource",
            &format!(
                r#"{{"Effect": "Allow", {element}, "Action": "s3:GetObject", "Resource": "*"}}"#
            ),
        );
        let request = request(caller, "s3:GetObject", "arn:aws:s3:::b/k");
        assert_eq!(applies(&policy, &request), expected, "{source}: {element}");
    }
}

// ------------------------------------------------------------ evaluation

const GET_PHOTO: &str = "arn:aws:s3:::photos/cat.jpg";

fn allow_all(name: &str, action: &str) -> Policy {
    statements(
        name,
        &format!(r#"{{"Effect": "Allow", "Action": "{action}", "Resource": "*"}}"#),
    )
}

fn deny_all(name: &str, action: &str) -> Policy {
    statements(
        name,
        &format!(r#"{{"Effect": "Deny", "Action": "{action}", "Resource": "*"}}"#),
    )
}

fn bucket_policy(principal: &str, action: &str) -> Policy {
    statements(
        "bucket-policy",
        &format!(
            r#"{{"Effect": "Allow", "Principal": {principal}, "Action": "{action}",
                 "Resource": "arn:aws:s3:::photos/*"}}"#
        ),
    )
}

#[test]
fn evaluation_logic_follows_the_flow_chart() {
    use Decision::*;
    let s3_all = allow_all("s3-all", "s3:*");
    let s3_read = allow_all("s3-read", "s3:Get*");
    let deny_get = deny_all("deny-get", "s3:GetObject");
    let nothing = allow_all("ec2-only", "ec2:*");
    let session_arn =
        "arn:aws:sts::111122223333:assumed-role/Cognito_PhotosAuth_Role/CognitoIdentityCredentials";
    let names_user = bucket_policy(&format!(r#"{{"AWS": "{USER_BOB}"}}"#), "s3:*");
    let names_role = bucket_policy(&format!(r#"{{"AWS": "{ROLE}"}}"#), "s3:*");
    let names_session = bucket_policy(&format!(r#"{{"AWS": "{session_arn}"}}"#), "s3:*");
    let names_account = bucket_policy(&format!(r#"{{"AWS": "{ACCOUNT}"}}"#), "s3:*");
    let names_other_account = bucket_policy(&format!(r#"{{"AWS": "{OTHER_ACCOUNT}"}}"#), "s3:*");
    let public = bucket_policy(r#""*""#, "s3:GetObject");
    let full_access = allow_all("FullAWSAccess", "*");
    let scp_deny_s3 = deny_all("deny-s3", "s3:*");
    let sqs_all = allow_all("sqs", "sqs:*");
    let other_session = Caller::role_session(
        &format!("arn:aws:iam::{OTHER_ACCOUNT}:role/Partner"),
        "partner",
    );
    let bob = Caller::user(USER_BOB);

    // (source, caller, action, policy set, expected)
    #[rustfmt::skip]
    let cases: Vec<(&str, Caller, &str, PolicySet<'_>, Decision)> = vec![
        ("Policy evaluation logic: default implicit deny", session(), "s3:GetObject", PolicySet::new(), ImplicitlyDenied),
        ("identity-based allow", session(), "s3:GetObject", PolicySet::new().with_identity(&s3_all), Allowed),
        ("no applicable allow", session(), "s3:GetObject", PolicySet::new().with_identity(&nothing), ImplicitlyDenied),
        ("explicit deny overrides allow", session(), "s3:GetObject", PolicySet::new().with_identity(&s3_all).with_identity(&deny_get), ExplicitlyDenied),
        ("explicit deny in a resource policy", session(), "s3:GetObject", PolicySet::new().with_identity(&s3_all).with_resource(&deny_get, ResourcePolicyKind::Resource), ExplicitlyDenied),
        ("root user has full access in its account", Caller::root(ACCOUNT), "s3:GetObject", PolicySet::new(), Allowed),
        // "Policy evaluation for requests within a single account": either
        // an identity-based or a resource-based allow suffices.
        ("single account: resource policy naming the user", bob.clone(), "s3:GetObject", PolicySet::new().with_resource(&names_user, ResourcePolicyKind::Resource), Allowed),
        ("single account: resource policy naming the account delegates", session(), "s3:GetObject", PolicySet::new().with_resource(&names_account, ResourcePolicyKind::Resource), ImplicitlyDenied),
        ("single account: account-wide resource policy plus identity allow", session(), "s3:GetObject", PolicySet::new().with_identity(&s3_all).with_resource(&names_account, ResourcePolicyKind::Resource), Allowed),
        // "Permissions boundaries": intersection with identity policies.
        ("boundary: allowed by both", session(), "s3:GetObject", PolicySet::new().with_identity(&s3_all).with_boundary(&s3_read), Allowed),
        ("boundary: outside the boundary", session(), "s3:PutObject", PolicySet::new().with_identity(&s3_all).with_boundary(&s3_read), ImplicitlyDenied),
        ("boundary: boundary alone grants nothing", session(), "s3:GetObject", PolicySet::new().with_boundary(&s3_all), ImplicitlyDenied),
        ("boundary: does not limit a resource policy naming the user", bob.clone(), "s3:PutObject", PolicySet::new().with_boundary(&s3_read).with_resource(&names_user, ResourcePolicyKind::Resource), Allowed),
        ("boundary: limits a resource policy naming the role", session(), "s3:PutObject", PolicySet::new().with_boundary(&s3_read).with_resource(&names_role, ResourcePolicyKind::Resource), ImplicitlyDenied),
        ("boundary: does not limit a resource policy naming the session", session(), "s3:PutObject", PolicySet::new().with_boundary(&s3_read).with_resource(&names_session, ResourcePolicyKind::Resource), Allowed),
        // "Session policies": intersection with identity policies.
        ("session policy: allowed by both", session(), "s3:GetObject", PolicySet::new().with_identity(&s3_all).with_session(&s3_read), Allowed),
        ("session policy: outside the session policy", session(), "s3:PutObject", PolicySet::new().with_identity(&s3_all).with_session(&s3_read), ImplicitlyDenied),
        ("session policy: limits a resource policy naming the role", session(), "s3:PutObject", PolicySet::new().with_session(&s3_read).with_resource(&names_role, ResourcePolicyKind::Resource), ImplicitlyDenied),
        ("session policy: does not limit a resource policy naming the session", session(), "s3:PutObject", PolicySet::new().with_session(&s3_read).with_resource(&names_session, ResourcePolicyKind::Resource), Allowed),
        ("session policy: deny in a session policy", session(), "s3:GetObject", PolicySet::new().with_identity(&s3_all).with_session(&deny_get), ExplicitlyDenied),
        // "Cross-account policy evaluation logic": both sides must allow.
        ("cross-account: resource policy only", other_session.clone(), "s3:GetObject", PolicySet::new().with_resource(&names_other_account, ResourcePolicyKind::Resource).owned_by(ACCOUNT), ImplicitlyDenied),
        ("cross-account: identity policy only", other_session.clone(), "s3:GetObject", PolicySet::new().with_identity(&s3_all).owned_by(ACCOUNT), ImplicitlyDenied),
        ("cross-account: both allow", other_session.clone(), "s3:GetObject", PolicySet::new().with_identity(&s3_all).with_resource(&names_other_account, ResourcePolicyKind::Resource).owned_by(ACCOUNT), Allowed),
        ("cross-account: boundary of the calling account applies", other_session.clone(), "s3:PutObject", PolicySet::new().with_identity(&s3_all).with_boundary(&s3_read).with_resource(&names_other_account, ResourcePolicyKind::Resource).owned_by(ACCOUNT), ImplicitlyDenied),
        ("cross-account: account from the resource ARN", other_session.clone(), "sqs:SendMessage", PolicySet::new().with_identity(&sqs_all), ImplicitlyDenied),
        // Service control policies: every level must allow; denies apply.
        ("SCP: allowed at every level", session(), "s3:GetObject", PolicySet::new().with_identity(&s3_all).with_scp_level(vec![&full_access]).with_scp_level(vec![&s3_read]), Allowed),
        ("SCP: a level without an allow", session(), "s3:PutObject", PolicySet::new().with_identity(&s3_all).with_scp_level(vec![&full_access]).with_scp_level(vec![&s3_read]), ImplicitlyDenied),
        ("SCP deny", session(), "s3:GetObject", PolicySet::new().with_identity(&s3_all).with_scp_level(vec![&full_access, &scp_deny_s3]), ExplicitlyDenied),
        ("SCP: does not grant", session(), "s3:GetObject", PolicySet::new().with_scp_level(vec![&full_access]), ImplicitlyDenied),
        ("SCP: does not apply to anonymous requests", Caller::anonymous(), "s3:GetObject", PolicySet::new().with_resource(&public, ResourcePolicyKind::Resource).with_scp_level(vec![&scp_deny_s3]), Allowed),
        ("RCP: every level must allow", session(), "s3:GetObject", PolicySet::new().with_identity(&s3_all).with_rcp_level(vec![&nothing]), ImplicitlyDenied),
        ("RCP deny applies to anonymous requests", Caller::anonymous(), "s3:GetObject", PolicySet::new().with_resource(&public, ResourcePolicyKind::Resource).with_rcp_level(vec![&full_access, &scp_deny_s3]), ExplicitlyDenied),
        // Anonymous requests: only resource policies can allow.
        ("anonymous: public bucket", Caller::anonymous(), "s3:GetObject", PolicySet::new().with_resource(&public, ResourcePolicyKind::Resource), Allowed),
        ("anonymous: public read only", Caller::anonymous(), "s3:PutObject", PolicySet::new().with_resource(&public, ResourcePolicyKind::Resource), ImplicitlyDenied),
        ("anonymous: identity policies do not apply", Caller::anonymous(), "s3:GetObject", PolicySet::new().with_identity(&s3_all), ImplicitlyDenied),
        ("anonymous: account principal does not include anonymous", Caller::anonymous(), "s3:GetObject", PolicySet::new().with_resource(&names_account, ResourcePolicyKind::Resource), ImplicitlyDenied),
    ];
    for (source, caller, action, set, expected) in cases {
        let request = request(
            caller,
            action,
            if action.starts_with("sqs") {
                "arn:aws:sqs:us-east-1:111122223333:q"
            } else {
                GET_PHOTO
            },
        );
        let evaluation = evaluate(&request, &set);
        assert_eq!(
            evaluation.decision, expected,
            "{source}: {}",
            evaluation.explanation.summary
        );
        assert_eq!(
            decide(&request, &set),
            expected,
            "{source}: decide agrees with evaluate"
        );
    }
}

// "AWS JSON policy elements: NotPrincipal" / "Permissions boundaries for
// IAM entities": a Deny with NotPrincipal denies any principal that has a
// permissions boundary, whatever the element lists.
#[test]
fn deny_with_not_principal_always_hits_principals_with_a_boundary() {
    let session_arn =
        "arn:aws:sts::111122223333:assumed-role/Cognito_PhotosAuth_Role/CognitoIdentityCredentials";
    let resource = statements(
        "bucket",
        &format!(
            r#"{{"Effect": "Allow", "Principal": {{"AWS": "{ROLE}"}}, "Action": "s3:*", "Resource": "*"}},
               {{"Effect": "Deny", "NotPrincipal": {{"AWS": ["{session_arn}", "{ROLE}", "{ACCOUNT}"]}},
                 "Action": "s3:*", "Resource": "*"}}"#
        ),
    );
    let identity = allow_all("s3", "s3:*");
    let request = request(session(), "s3:GetObject", GET_PHOTO);
    let without = PolicySet::new()
        .with_identity(&identity)
        .with_resource(&resource, ResourcePolicyKind::Resource);
    assert_eq!(decide(&request, &without), Decision::Allowed);
    let with = without.clone().with_boundary(&identity);
    assert_eq!(decide(&request, &with), Decision::ExplicitlyDenied);
}

/// The trust policy the Cognito Developer Guide documents ("Role trust and
/// permissions"), for authenticated identities of one pool.
fn cognito_trust(amr: &str) -> Policy {
    statements(
        "Cognito_PhotosAuth_Role trust",
        &format!(
            r#"{{"Effect": "Allow", "Principal": {{"Federated": "cognito-identity.amazonaws.com"}},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {{
                  "StringEquals": {{"cognito-identity.amazonaws.com:aud": "{POOL}"}},
                  "ForAnyValue:StringLike": {{"cognito-identity.amazonaws.com:amr": "{amr}"}}
                }}}}"#
        ),
    )
}

#[test]
fn cognito_trust_policies_admit_the_right_tokens() {
    let trust = cognito_trust("authenticated");
    let set = PolicySet::new().with_resource(&trust, ResourcePolicyKind::Trust);
    let token = |pool: &str, amr: &[&str]| {
        Request::new(
            Caller::web_identity("cognito-identity.amazonaws.com").with_cognito(ME, pool, amr),
            "sts:AssumeRoleWithWebIdentity",
            ROLE,
        )
    };
    let other_pool = "us-east-1:99999999-2222-3333-4444-555555555555";
    // (source, request, expected)
    #[rustfmt::skip]
    let cases = [
        ("authenticated identity of the pool", token(POOL, &["authenticated", "graph.facebook.com"]), Decision::Allowed),
        ("guest of the pool (amr unauthenticated)", token(POOL, &["unauthenticated"]), Decision::ImplicitlyDenied),
        ("identity of another pool (aud)", token(other_pool, &["authenticated"]), Decision::ImplicitlyDenied),
        ("anonymous caller", Request::new(Caller::anonymous(), "sts:AssumeRoleWithWebIdentity", ROLE), Decision::ImplicitlyDenied),
    ];
    for (source, request, expected) in cases {
        let evaluation = evaluate(&request, &set);
        assert_eq!(
            evaluation.decision, expected,
            "{source}: {}",
            evaluation.explanation.summary
        );
    }
    // A trust policy without `aud`: any pool's authenticated identity.
    let open = statements(
        "open trust",
        r#"{"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}}}"#,
    );
    let open_set = PolicySet::new().with_resource(&open, ResourcePolicyKind::Trust);
    assert_eq!(
        decide(&token(other_pool, &["authenticated"]), &open_set),
        Decision::Allowed
    );
}

// "How AWS enforcement code logic evaluates requests": trust policies must
// allow; within an account a trust naming the account delegates to the
// caller's identity-based policies.
#[test]
fn trust_policies_must_allow_assume_role() {
    let target = "arn:aws:iam::111122223333:role/Target";
    let trusts_account = statements(
        "trust",
        &format!(
            r#"{{"Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::{ACCOUNT}:root"}}, "Action": "sts:AssumeRole"}}"#
        ),
    );
    let trusts_role = statements(
        "trust",
        &format!(
            r#"{{"Effect": "Allow", "Principal": {{"AWS": "{ROLE}"}}, "Action": "sts:AssumeRole"}}"#
        ),
    );
    let may_assume = allow_all("assume", "sts:AssumeRole");
    let unrelated = allow_all("unrelated", "s3:*");
    let request = Request::new(session(), "sts:AssumeRole", target);
    #[rustfmt::skip]
    let cases = [
        ("account trust, identity allows", PolicySet::new().with_identity(&may_assume).with_resource(&trusts_account, ResourcePolicyKind::Trust), Decision::Allowed),
        ("account trust, no identity allow", PolicySet::new().with_resource(&trusts_account, ResourcePolicyKind::Trust), Decision::ImplicitlyDenied),
        ("role trust names the caller's role", PolicySet::new().with_resource(&trusts_role, ResourcePolicyKind::Trust), Decision::Allowed),
        ("identity allows, no trust", PolicySet::new().with_identity(&may_assume).with_resource(&unrelated, ResourcePolicyKind::Trust), Decision::ImplicitlyDenied),
    ];
    for (source, set, expected) in cases {
        let evaluation = evaluate(&request, &set);
        assert_eq!(
            evaluation.decision, expected,
            "{source}: {}",
            evaluation.explanation.summary
        );
    }
}

/// The per-identity S3 policy of the Cognito Developer Guide ("IAM roles",
/// fine-grained access examples).
fn per_identity_s3() -> Policy {
    statements(
        "per-identity-s3",
        r#"{"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": ["arn:aws:s3:::photos"],
            "Condition": {"StringLike": {"s3:prefix": ["${cognito-identity.amazonaws.com:sub}/*"]}}},
           {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": ["arn:aws:s3:::photos/${cognito-identity.amazonaws.com:sub}/*"]}"#,
    )
}

#[test]
fn cognito_identities_reach_only_their_own_prefix() {
    let policy = per_identity_s3();
    let set = PolicySet::new().with_identity(&policy);
    #[rustfmt::skip]
    let cases = [
        ("own object", Request::new(cognito_user(ME), "s3:GetObject", &format!("arn:aws:s3:::photos/{ME}/a.jpg")), Decision::Allowed),
        ("another identity's object", Request::new(cognito_user(ME), "s3:PutObject", &format!("arn:aws:s3:::photos/{OTHER}/a.jpg")), Decision::ImplicitlyDenied),
        ("list own prefix", Request::new(cognito_user(ME), "s3:ListBucket", "arn:aws:s3:::photos").with("s3:prefix", &format!("{ME}/")), Decision::Allowed),
        ("list another prefix", Request::new(cognito_user(ME), "s3:ListBucket", "arn:aws:s3:::photos").with("s3:prefix", &format!("{OTHER}/")), Decision::ImplicitlyDenied),
        ("list without prefix: key absent", Request::new(cognito_user(ME), "s3:ListBucket", "arn:aws:s3:::photos"), Decision::ImplicitlyDenied),
        ("session without Cognito: variable has no value", Request::new(session(), "s3:GetObject", &format!("arn:aws:s3:::photos/{ME}/a.jpg")), Decision::ImplicitlyDenied),
        ("pinned context wins over the session's identity id", Request::new(cognito_user(ME), "s3:GetObject", &format!("arn:aws:s3:::photos/{OTHER}/a.jpg")).with("cognito-identity.amazonaws.com:sub", OTHER), Decision::Allowed),
    ];
    for (source, request, expected) in cases {
        let evaluation = evaluate(&request, &set);
        assert_eq!(
            evaluation.decision, expected,
            "{source}: {}",
            evaluation.explanation.summary
        );
    }
}

// SEMANTICS-NOTES.md §5 and the DynamoDB Developer Guide ("Using IAM policy
// conditions for fine-grained access control"): ForAllValues keeps each
// identity to its own partition keys; ForAnyValue lets a request that
// includes one's own id reach other ids too; ForAllValues on a request
// without LeadingKeys (a Scan) is vacuously true.
#[test]
fn dynamodb_leading_keys_for_all_values_vs_for_any_value() {
    let table = "arn:aws:dynamodb:us-east-1:111122223333:table/Notes";
    let with = |qualifier: &str| {
        statements(
            qualifier,
            &format!(
                r#"{{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan"],
                    "Resource": "{table}",
                    "Condition": {{"{qualifier}:StringEquals": {{
                        "dynamodb:LeadingKeys": ["${{cognito-identity.amazonaws.com:sub}}"]}}}}}}"#
            ),
        )
    };
    let all = with("ForAllValues");
    let any = with("ForAnyValue");
    let batch = |keys: &[&str]| {
        Request::new(cognito_user(ME), "dynamodb:BatchGetItem", table)
            .with_set("dynamodb:LeadingKeys", keys.iter())
    };
    let scan = Request::new(cognito_user(ME), "dynamodb:Scan", table);
    #[rustfmt::skip]
    let cases = [
        ("ForAllValues: own key", &all, batch(&[ME]), Decision::Allowed),
        ("ForAllValues: own and other key", &all, batch(&[ME, OTHER]), Decision::ImplicitlyDenied),
        ("ForAllValues: other key", &all, batch(&[OTHER]), Decision::ImplicitlyDenied),
        ("ForAllValues: scan without LeadingKeys passes (the empty-set trap)", &all, scan.clone(), Decision::Allowed),
        ("ForAnyValue: own key", &any, batch(&[ME]), Decision::Allowed),
        ("ForAnyValue: own and other key (cross-identity access)", &any, batch(&[ME, OTHER]), Decision::Allowed),
        ("ForAnyValue: other key", &any, batch(&[OTHER]), Decision::ImplicitlyDenied),
        ("ForAnyValue: scan without LeadingKeys", &any, scan, Decision::ImplicitlyDenied),
    ];
    for (source, policy, request, expected) in cases {
        let set = PolicySet::new().with_identity(policy);
        assert_eq!(decide(&request, &set), expected, "{source}");
    }
}

// SEMANTICS-NOTES.md §6 (Amplify Gen 1 storage) and §2 (guest scope-down:
// the session policy intersects the role's permissions).
#[test]
fn amplify_storage_and_the_guest_scope_down() {
    let auth_role = statements(
        "amplify-auth",
        r#"{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::app/public/*", "arn:aws:s3:::app/protected/*", "arn:aws:s3:::app/private/${cognito-identity.amazonaws.com:sub}/*"]},
           {"Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObject"], "Resource": ["arn:aws:s3:::app/public/*", "arn:aws:s3:::app/protected/${cognito-identity.amazonaws.com:sub}/*", "arn:aws:s3:::app/private/${cognito-identity.amazonaws.com:sub}/*"]}"#,
    );
    let scope_down = statements(
        "guest-scope-down",
        r#"{"Effect": "Allow", "Action": ["s3:*", "dynamodb:*", "mobileanalytics:PutEvents"], "Resource": "*"}"#,
    );
    let object = |path: &str| format!("arn:aws:s3:::app/{path}");
    let guest = Caller::role_session(
        "arn:aws:iam::111122223333:role/amplify-unauth",
        "CognitoIdentityCredentials",
    )
    .with_cognito(OTHER, POOL, &["unauthenticated"]);
    let set = PolicySet::new().with_identity(&auth_role);
    let admin = allow_all("admin", "*");
    let admin_guest_set = PolicySet::new()
        .with_identity(&admin)
        .with_session(&scope_down);
    let guest_set = PolicySet::new()
        .with_identity(&auth_role)
        .with_session(&scope_down);
    #[rustfmt::skip]
    let cases = [
        ("read another user's protected file (intended)", Request::new(cognito_user(ME), "s3:GetObject", &object(&format!("protected/{OTHER}/a.jpg"))), &set, Decision::Allowed),
        ("write another user's protected file", Request::new(cognito_user(ME), "s3:PutObject", &object(&format!("protected/{OTHER}/a.jpg"))), &set, Decision::ImplicitlyDenied),
        ("read another user's private file", Request::new(cognito_user(ME), "s3:GetObject", &object(&format!("private/{OTHER}/a.jpg"))), &set, Decision::ImplicitlyDenied),
        ("read own private file", Request::new(cognito_user(ME), "s3:GetObject", &object(&format!("private/{ME}/a.jpg"))), &set, Decision::Allowed),
        ("guest within the scope-down", Request::new(guest.clone(), "s3:GetObject", &object("public/a.jpg")), &guest_set, Decision::Allowed),
        ("guest outside the scope-down", Request::new(guest, "iam:CreateUser", "*"), &admin_guest_set, Decision::ImplicitlyDenied),
    ];
    for (source, request, set, expected) in cases {
        let evaluation = evaluate(&request, set);
        assert_eq!(
            evaluation.decision, expected,
            "{source}: {}",
            evaluation.explanation.summary
        );
    }
}

// ------------------------------------------------------------ explanations

#[test]
fn explanations_name_the_first_reason_and_point_at_it() {
    let policy = statements(
        "read-only",
        r#"{"Sid": "Read", "Effect": "Allow", "Action": "s3:Get*", "Resource": "*"},
           {"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::photos",
            "Condition": {"StringLike": {"s3:prefix": "${cognito-identity.amazonaws.com:sub}/*"}}}"#,
    );
    let set = PolicySet::new().with_identity(&policy);
    let put = evaluate(
        &Request::new(cognito_user(ME), "s3:PutObject", GET_PHOTO),
        &set,
    );
    assert_eq!(put.decision, Decision::ImplicitlyDenied);
    let first = &put.explanation.policies[0].statements[0];
    assert_eq!(first.label, "statement `Read`");
    assert_eq!(
        first.reason.as_deref(),
        Some("action `s3:PutObject` not matched by `s3:Get*`")
    );
    assert_eq!(&*first.reason_location.pointer, "/Statement/0/Action");

    let list = evaluate(
        &Request::new(cognito_user(ME), "s3:ListBucket", "arn:aws:s3:::photos"),
        &set,
    );
    let second = &list.explanation.policies[0].statements[1];
    assert!(!second.applies);
    assert_eq!(
        second.reason.as_deref(),
        Some("condition `StringLike` on `s3:prefix`: key absent")
    );
    assert_eq!(
        &*second.reason_location.pointer,
        "/Statement/1/Condition/StringLike/s3:prefix"
    );
    assert_eq!(
        list.explanation.summary,
        "no identity-based policy allows the request"
    );

    let get = evaluate(
        &Request::new(cognito_user(ME), "s3:GetObject", GET_PHOTO),
        &set,
    );
    assert_eq!(get.decision, Decision::Allowed);
    assert_eq!(
        get.explanation.deciding,
        vec![StatementRef {
            policy: 0,
            statement: 0
        }]
    );
    assert!(get.explanation.policies[0].statements[0].applies);
}

#[test]
fn explanations_serialize_as_plain_json() {
    let deny = deny_all("guardrail", "s3:*");
    let allow = allow_all("s3", "s3:*");
    let set = PolicySet::new().with_identity(&allow).with_identity(&deny);
    let evaluation = evaluate(&Request::new(session(), "s3:GetObject", GET_PHOTO), &set);
    let json = serde_json::to_value(&evaluation).expect("serializable");
    assert_eq!(json["decision"], "explicitly_denied");
    assert_eq!(
        json["explanation"]["summary"],
        "explicitly denied by statement #0 of the identity-based policy `guardrail`"
    );
    let statement = &json["explanation"]["policies"][1]["statements"][0];
    assert_eq!(statement["effect"], "Deny");
    assert_eq!(statement["location"]["file"], "guardrail");
    assert_eq!(statement["location"]["pointer"], "/Statement/0");
    assert!(
        statement["location"]["line"]
            .as_u64()
            .is_some_and(|l| l >= 1)
    );
    assert_eq!(
        json["explanation"]["policies"][0]["role"]["kind"],
        "identity"
    );
}

#[test]
fn resource_and_condition_reasons_mention_missing_variables() {
    let policy = statements(
        "home",
        r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username}/*"}"#,
    );
    let evaluation = evaluate(
        &Request::new(session(), "s3:GetObject", "arn:aws:s3:::home/x/y"),
        &PolicySet::new().with_identity(&policy),
    );
    let reason = evaluation.explanation.policies[0].statements[0]
        .reason
        .clone()
        .unwrap_or_default();
    assert!(
        reason.contains("policy variable without a value"),
        "{reason}"
    );
    let cross = evaluate(
        &Request::new(
            Caller::role_session("arn:aws:iam::444455556666:role/P", "s"),
            "s3:GetObject",
            GET_PHOTO,
        ),
        &PolicySet::new()
            .with_identity(&allow_all("s3", "s3:*"))
            .owned_by(ACCOUNT),
    );
    assert!(
        cross
            .explanation
            .summary
            .starts_with("cross-account request"),
        "{}",
        cross.explanation.summary
    );
}

// ------------------------------------------------------------ properties

fn synthetic() -> Location {
    Location::synthetic("property", "{}")
}

fn action_statement(negated: bool, pattern: &str) -> Statement {
    let loc = synthetic();
    Statement {
        index: 0,
        sid: None,
        effect: Spanned::new(Effect::Allow, loc.clone()),
        principal: None,
        action: ActionElement {
            negated,
            patterns: vec![Spanned::new(pattern.to_string(), loc.clone())],
            loc: loc.clone(),
        },
        resource: None,
        conditions: Vec::new(),
        loc,
    }
}

fn condition(operator: Operator, key: &str, values: &[String]) -> Condition {
    let loc = synthetic();
    Condition {
        operator: Spanned::new(operator, loc.clone()),
        key: Spanned::new(key.to_string(), loc.clone()),
        values: values
            .iter()
            .map(|v| {
                Spanned::new(
                    ConditionValue {
                        text: v.clone(),
                        template: Template::literal(v),
                    },
                    loc.clone(),
                )
            })
            .collect(),
        loc,
    }
}

fn any_base() -> impl Strategy<Value = BaseOperator> {
    proptest::sample::select(
        BaseOperator::ALL
            .into_iter()
            .filter(|b| *b != BaseOperator::Null)
            .collect::<Vec<_>>(),
    )
}

proptest! {
    // "IAM JSON policy elements: NotAction": NotAction matches exactly the
    // actions Action does not.
    #[test]
    fn not_action_inverts_action(
        pattern in "[a-z0-9*?]{1,4}:[A-Za-z*?]{0,6}",
        action in "[a-z0-9]{1,4}:[A-Za-z]{0,6}",
    ) {
        let request = Request::new(Caller::anonymous(), &action, "*");
        let context = request.resolved_context();
        let positive = statement_applies(&action_statement(false, &pattern), &request, &context).is_ok();
        let negative = statement_applies(&action_statement(true, &pattern), &request, &context).is_ok();
        prop_assert_ne!(positive, negative);
    }

    // "Single-valued vs. multivalued context keys": ForAllValues is true on
    // an absent key and on an empty set, whatever the operator and values.
    #[test]
    fn for_all_values_on_the_empty_set_is_true(
        base in any_base(),
        if_exists in any::<bool>(),
        values in proptest::collection::vec("[a-z0-9.:/*-]{0,8}", 1..4),
        present_but_empty in any::<bool>(),
    ) {
        let operator = Operator { set: Some(SetQualifier::ForAllValues), base, if_exists };
        let condition = condition(operator, "k", &values);
        let mut context = Context::new();
        if present_but_empty {
            context.set("k", ContextValue::multi(Vec::<String>::new()));
        }
        prop_assert!(condition_holds(&condition, &context).is_ok());
        let any = Operator { set: Some(SetQualifier::ForAnyValue), ..operator };
        prop_assert!(condition_holds(&self::condition(any, "k", &values), &context).is_err());
    }

    // "Conditions with multiple context keys or values": a negated operator
    // on a present single value is the negation of its positive form.
    #[test]
    fn negated_operators_negate_their_positive_form(
        base in any_base(),
        values in proptest::collection::vec("[ab*?]{0,3}|[0-9]{1,3}|10\\.0\\.0\\.[0-9]", 1..3),
        request_value in "[ab]{0,3}|[0-9]{1,3}|10\\.0\\.0\\.[0-9]",
    ) {
        let positive = base.positive();
        prop_assume!(positive != base);
        let mut context = Context::new();
        context.set("k", ContextValue::single(&request_value));
        let plain = |b| Operator { set: None, base: b, if_exists: false };
        let holds = |b| condition_holds(&condition(plain(b), "k", &values), &context).is_ok();
        prop_assert_ne!(holds(base), holds(positive));
    }
}

// ------------------------------------------------ S3 Block Public Access

fn restrict_public_buckets(scope: &str) -> RestrictPublicBuckets {
    let file = crate::source::SourceFile::new("public-access-block.json", "{\n  \"x\": 1\n}");
    RestrictPublicBuckets {
        scope: scope.to_string(),
        location: Location::new(file, crate::source::Span::new(4, 12), ""),
    }
}

/// A website bucket: everyone may read its objects, and the owner account
/// is named for writes (a non-public statement).
fn website_bucket(condition: &str) -> Policy {
    statements(
        "bucket policy of site",
        &format!(
            r#"{{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
                "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*",
                "Condition": {condition}}},
               {{"Sid": "PartnerWrite", "Effect": "Allow",
                "Principal": {{"AWS": "arn:aws:iam::{OTHER_ACCOUNT}:root"}},
                "Action": "s3:PutObject", "Resource": "arn:aws:s3:::site/*"}}"#
        ),
    )
}

// Amazon S3 User Guide, "Blocking public access to your Amazon S3 storage":
// with RestrictPublicBuckets, a public bucket is reachable only by AWS
// services and the owner's account; "public and cross-account access
// within any public bucket policy, including non-public delegation to
// specific accounts, is blocked". Without it, nothing changes.
#[test]
fn restrict_public_buckets_limits_public_buckets_to_the_owner_account() {
    let bucket = website_bucket("{}");
    let s3_all = allow_all("s3-all", "s3:*");
    let open = PolicySet::new()
        .with_resource(&bucket, ResourcePolicyKind::Resource)
        .owned_by(ACCOUNT);
    let blocked = open
        .clone()
        .with_restrict_public_buckets(restrict_public_buckets("bucket `site`"));
    let partner = Caller::role_session(&format!("arn:aws:iam::{OTHER_ACCOUNT}:role/Uploader"), "s");
    let owner_role = Caller::role_session(ROLE, "s");
    #[rustfmt::skip]
    let cases: Vec<(&str, Caller, &str, PolicySet<'_>, Decision, Decision)> = vec![
        ("anonymous read", Caller::anonymous(), "s3:GetObject", open.clone(), Decision::Allowed, Decision::ExplicitlyDenied),
        ("another account's read", Caller::root(OTHER_ACCOUNT), "s3:GetObject", open.clone(), Decision::Allowed, Decision::ExplicitlyDenied),
        ("delegation to a named account", partner.clone(), "s3:PutObject", open.clone().with_identity(&s3_all), Decision::Allowed, Decision::ExplicitlyDenied),
        ("the owner's role", owner_role.clone(), "s3:GetObject", open.clone(), Decision::Allowed, Decision::Allowed),
        ("an AWS service", Caller::service("cloudfront.amazonaws.com"), "s3:GetObject", open.clone(), Decision::Allowed, Decision::Allowed),
        ("nothing allows it anyway", Caller::anonymous(), "s3:PutObject", open.clone(), Decision::ImplicitlyDenied, Decision::ImplicitlyDenied),
    ];
    for (name, caller, action, set, without, with) in cases {
        let req = request(caller, action, "arn:aws:s3:::site/index.html");
        assert_eq!(decide(&req, &set), without, "{name} without the block");
        let mut with_block = set.clone();
        with_block.restrict_public_buckets = blocked.restrict_public_buckets.clone();
        assert_eq!(decide(&req, &with_block), with, "{name} with the block");
    }
    // `explain`'s sentence names the setting, where it is, and why.
    let evaluation = evaluate(
        &request(
            Caller::anonymous(),
            "s3:GetObject",
            "arn:aws:s3:::site/index.html",
        ),
        &blocked,
    );
    assert_eq!(
        evaluation.explanation.summary,
        "S3 Block Public Access: RestrictPublicBuckets on bucket `site` \
         (public-access-block.json:2) stops this: the bucket policy is public (statement \
         `PublicRead`: its principal is everyone and no condition limits it to fixed values of \
         the keys S3 accepts) and the anonymous caller is outside the bucket owner's account \
         111122223333"
    );
    assert_eq!(evaluation.explanation.assumptions().count(), 0);
}

// "The meaning of "public"": a fixed `aws:SourceVpce` makes the policy
// non-public, and the block leaves it alone.
#[test]
fn restrict_public_buckets_leaves_non_public_policies_alone() {
    let bucket = statements(
        "bucket policy of site",
        r#"{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::site/*",
            "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}"#,
    );
    let set = PolicySet::new()
        .with_resource(&bucket, ResourcePolicyKind::Resource)
        .owned_by(ACCOUNT)
        .with_restrict_public_buckets(restrict_public_buckets("account 111122223333"));
    let mut req = request(Caller::anonymous(), "s3:GetObject", "arn:aws:s3:::site/a");
    req.context
        .set("aws:SourceVpce", ContextValue::single("vpce-1a2b3c4d"));
    assert_eq!(decide(&req, &set), Decision::Allowed);
}

// Undocumented (docs/semantics.md, "S3 Block Public Access"): a wide
// `aws:SourceIp` block. Read as not public; the statement says so.
#[test]
fn an_undocumented_public_policy_is_read_as_not_public_and_says_so() {
    let bucket = website_bucket(r#"{"IpAddress": {"aws:SourceIp": "0.0.0.0/1"}}"#);
    let set = PolicySet::new()
        .with_resource(&bucket, ResourcePolicyKind::Resource)
        .owned_by(ACCOUNT)
        .with_restrict_public_buckets(restrict_public_buckets("bucket `site`"));
    let mut req = request(Caller::anonymous(), "s3:GetObject", "arn:aws:s3:::site/a");
    req.context
        .set("aws:SourceIp", ContextValue::single("10.1.2.3"));
    let evaluation = evaluate(&req, &set);
    assert_eq!(evaluation.decision, Decision::Allowed);
    let assumptions: Vec<_> = evaluation.explanation.assumptions().collect();
    assert_eq!(assumptions.len(), 1);
    assert_eq!(
        assumptions[0].kind,
        AssumptionKind::UndocumentedPublicPolicy
    );
    assert!(
        assumptions[0].text.contains("`0.0.0.0/1`")
            && assumptions[0]
                .text
                .ends_with("assumed not public, so the block does not apply"),
        "{}",
        assumptions[0].text
    );
}
