//! Tests of the solver: the canonical Cognito questions, each condition
//! family, and property tests that hold the encoding to the evaluator.
//!
//! Every "possible" answer carries a witness that `solve` has already
//! replayed with `eval::decide`; the tests check the verdicts both ways.
//!
//! A property failure is saved, with proptest's default persistence, in
//! `proptest-regressions/smt/tests.txt` and replayed before new cases on
//! every later run; commit that file so a case found once stays tested.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::diagnostic::Severity;
use crate::eval::{Caller, ContextValue, PolicySet, Request, ResourcePolicyKind, decide};
use crate::policy::parse::parse_policy_text;
use crate::policy::{Policy, PolicyKind};
use crate::query::{ContextPin, ResourcePattern};

const REGION: &str = "us-east-1";
const POOL: &str = "us-east-1:d39c1f39-701d-40a4-9cc4-04c9a3aa4948";
const BUCKET: &str = "photosharestorage3f2a9c1b142233-dev";
const AUTH_ROLE: &str = "arn:aws:iam::111122223333:role/amplify-photoshare-dev-142233-authRole";
const UNAUTH_ROLE: &str = "arn:aws:iam::111122223333:role/amplify-photoshare-dev-142233-unauthRole";
const TIMEOUT_MS: u64 = 10_000;

fn policy(name: &str, statements: &str) -> Policy {
    let text = format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#);
    let parsed = parse_policy_text(name, &text, PolicyKind::Unknown)
        .unwrap_or_else(|d| panic!("{name} does not parse: {d:?}"));
    let errors: Vec<_> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:?}");
    parsed.policy
}

/// The Amplify Gen 1 storage grants of the authenticated role (corpus
/// `amplify-storage`, from the Amplify CLI storage template).
fn amplify_auth() -> Vec<Policy> {
    let sub = "${cognito-identity.amazonaws.com:sub}";
    let objects = |prefix: &str, actions: &str| {
        format!(
            r#"{{"Effect": "Allow", "Action": [{actions}], "Resource": ["arn:aws:s3:::{BUCKET}/{prefix}"]}}"#
        )
    };
    let rw = r#""s3:PutObject", "s3:GetObject", "s3:DeleteObject""#;
    vec![
        policy("Public_policy", &objects("public/*", rw)),
        policy(
            "Protected_policy",
            &objects(&format!("protected/{sub}/*"), rw),
        ),
        policy("Private_policy", &objects(&format!("private/{sub}/*"), rw)),
        policy("Uploads_policy", &objects("uploads/*", r#""s3:PutObject""#)),
        policy(
            "read_policy",
            &format!(
                r#"{},
                {{"Effect": "Allow", "Action": ["s3:ListBucket"],
                  "Resource": ["arn:aws:s3:::{BUCKET}"],
                  "Condition": {{"StringLike": {{"s3:prefix": ["public/", "public/*",
                      "protected/", "protected/*", "private/{sub}/", "private/{sub}/*"]}}}}}}"#,
                objects("protected/*", r#""s3:GetObject""#)
            ),
        ),
    ]
}

/// The guest role's grants in the same app.
fn amplify_guest() -> Vec<Policy> {
    vec![
        policy(
            "Public_policy",
            &format!(
                r#"{{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::{BUCKET}/public/*"]}}"#
            ),
        ),
        policy(
            "read_policy",
            &format!(
                r#"{{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::{BUCKET}/protected/*"]}},
                {{"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": ["arn:aws:s3:::{BUCKET}"],
                  "Condition": {{"StringLike": {{"s3:prefix": ["public/", "public/*", "protected/", "protected/*"]}}}}}}"#
            ),
        ),
    ]
}

fn cognito_caller(role: &str, authenticated: bool) -> Caller {
    let amr: &[&str] = if authenticated {
        &[
            "authenticated",
            "cognito-idp.us-east-1.amazonaws.com/us-east-1_Ph8tQ2sXa",
        ]
    } else {
        &["unauthenticated"]
    };
    Caller::role_session(role, "CognitoIdentityCredentials").with_cognito(
        "us-east-1:00000000-0000-0000-0000-000000000000",
        POOL,
        amr,
    )
}

struct Question<'p> {
    action: &'static str,
    resource: String,
    caller: Caller,
    policies: PolicySet<'p>,
    context: Vec<(&'static str, &'static str)>,
    quantifier: Quantifier,
}

impl<'p> Question<'p> {
    fn new(caller: Caller, action: &'static str, resource: &str, policies: PolicySet<'p>) -> Self {
        Question {
            action,
            resource: resource.to_string(),
            caller,
            policies,
            context: Vec::new(),
            quantifier: Quantifier::Exists,
        }
    }

    /// `KEY=VALUE` or `KEY+=VALUE`, as on the command line.
    fn with(mut self, key: &'static str, value: &'static str) -> Self {
        self.context.push((key, value));
        self
    }

    fn for_all(mut self) -> Self {
        self.quantifier = Quantifier::ForAll;
        self
    }

    fn problem(&self) -> Problem<'p> {
        let mut context: BTreeMap<String, ContextPin> = BTreeMap::new();
        for (key, value) in &self.context {
            let (key, includes) = match key.strip_suffix('+') {
                Some(key) => (key, true),
                None => (*key, false),
            };
            let pin = context.entry(key.to_ascii_lowercase()).or_default();
            let value = ResourcePattern::parse(value).expect("valid value");
            if includes {
                pin.includes.push(value);
            } else {
                pin.exactly.push(value);
            }
        }
        Problem {
            action: self.action.to_string(),
            resource: ResourcePattern::parse(&self.resource).expect("valid resource"),
            identity: self.caller.cognito.as_ref().map(|_| IdentitySpace {
                region: REGION.to_string(),
                pool_id: POOL.to_string(),
            }),
            caller: self.caller.clone(),
            free_tags: Vec::new(),
            policies: self.policies.clone(),
            context,
            quantifier: self.quantifier,
        }
    }

    fn solve(&self) -> Outcome {
        solve(&self.problem(), TIMEOUT_MS)
    }
}

fn identity_set(policies: &[Policy]) -> PolicySet<'_> {
    let mut set = PolicySet::new();
    for p in policies {
        set = set.with_identity(p);
    }
    set
}

#[track_caller]
fn assert_possible(outcome: &Outcome) -> &Witness {
    match outcome {
        Outcome::Possible(w) => w,
        other => panic!("expected possible, got {other:?}"),
    }
}

#[track_caller]
fn assert_impossible(outcome: &Outcome) -> &[Blocker] {
    match outcome {
        Outcome::Impossible { blocking } => blocking,
        other => panic!("expected impossible, got {other:?}"),
    }
}

fn obj(path: &str) -> String {
    format!("arn:aws:s3:::{BUCKET}/{path}")
}

// ---------------------------------------------------------- Amplify storage

// Amplify docs, "File access levels": `private/{identity}/` is owner only.
#[test]
fn guests_cannot_read_another_identitys_private_prefix() {
    let guest = amplify_guest();
    let outcome = Question::new(
        cognito_caller(UNAUTH_ROLE, false),
        "s3:GetObject",
        &obj("private/{other}/*"),
        identity_set(&guest),
    )
    .solve();
    assert_impossible(&outcome);
}

// Amplify docs, "File access levels": the owner reads its own private files,
// nobody else does.
#[test]
fn signed_in_users_read_only_their_own_private_prefix() {
    let auth = amplify_auth();
    let caller = cognito_caller(AUTH_ROLE, true);
    let other = Question::new(
        caller.clone(),
        "s3:GetObject",
        &obj("private/{other}/*"),
        identity_set(&auth),
    )
    .solve();
    let blocking = assert_impossible(&other);
    assert!(
        blocking.iter().any(|b| b.policy == "Private_policy"),
        "the private grant's resource blocks it: {blocking:?}"
    );
    let own = Question::new(
        caller,
        "s3:GetObject",
        &obj("private/{self}/*"),
        identity_set(&auth),
    )
    .solve();
    let witness = assert_possible(&own);
    let id = witness.self_id.as_deref().expect("self id");
    assert!(decode::is_real_id(id, REGION), "{id}");
    assert!(witness.request.resource.contains(id));
}

// Amplify docs, "File access levels": `protected/{identity}/` is readable by
// all users of the app (the read policy grants `protected/*`).
#[test]
fn protected_files_of_other_identities_are_readable() {
    for (role, authenticated, policies) in [
        (AUTH_ROLE, true, amplify_auth()),
        (UNAUTH_ROLE, false, amplify_guest()),
    ] {
        let outcome = Question::new(
            cognito_caller(role, authenticated),
            "s3:GetObject",
            &obj("protected/{other}/*"),
            identity_set(&policies),
        )
        .solve();
        let witness = assert_possible(&outcome);
        let other = witness.other_id.as_deref().expect("other id");
        assert_ne!(Some(other), witness.self_id.as_deref());
        assert!(witness.request.resource.contains(other));
        assert!(decide(&witness.request, &identity_set(&policies)).is_allowed());
    }
}

// Amplify read policy: ListBucket only under one's own `private/${sub}/`.
#[test]
fn listing_another_identitys_private_prefix_is_impossible() {
    let auth = amplify_auth();
    let caller = cognito_caller(AUTH_ROLE, true);
    let bucket = format!("arn:aws:s3:::{BUCKET}");
    let other = Question::new(
        caller.clone(),
        "s3:ListBucket",
        &bucket,
        identity_set(&auth),
    )
    .with("s3:prefix", "private/{other}/")
    .solve();
    assert_impossible(&other);
    let own = Question::new(caller, "s3:ListBucket", &bucket, identity_set(&auth))
        .with("s3:prefix", "private/{self}/photos/*")
        .solve();
    let witness = assert_possible(&own);
    let prefix = witness
        .request
        .context
        .get("s3:prefix")
        .and_then(ContextValue::as_single)
        .expect("prefix in the witness");
    assert!(prefix.starts_with(&format!(
        "private/{}/photos/",
        witness.self_id.as_deref().expect("self")
    )));
}

// "Policy evaluation logic": an explicit deny overrides any allow.
#[test]
fn an_explicit_deny_blocks_and_is_named() {
    let mut policies = amplify_auth();
    policies.push(policy(
        "deny_protected",
        &format!(
            r#"{{"Sid": "NoProtected", "Effect": "Deny", "Action": "s3:GetObject",
                 "Resource": "arn:aws:s3:::{BUCKET}/protected/*"}}"#
        ),
    ));
    let outcome = Question::new(
        cognito_caller(AUTH_ROLE, true),
        "s3:GetObject",
        &obj("protected/{other}/*"),
        identity_set(&policies),
    )
    .solve();
    let blocking = assert_impossible(&outcome);
    assert!(
        blocking
            .iter()
            .any(|b| b.policy == "deny_protected" && b.label == "statement `NoProtected`"),
        "{blocking:?}"
    );
}

// "Policy evaluation logic": for all requests on public/*, guests are allowed.
#[test]
fn for_all_holds_on_an_unconditional_grant_and_fails_with_a_condition() {
    let guest = amplify_guest();
    let always = Question::new(
        cognito_caller(UNAUTH_ROLE, false),
        "s3:GetObject",
        &obj("public/*"),
        identity_set(&guest),
    )
    .for_all()
    .solve();
    assert!(matches!(always, Outcome::Always), "{always:?}");
    let not_always = Question::new(
        cognito_caller(UNAUTH_ROLE, false),
        "s3:GetObject",
        &obj("p*"),
        identity_set(&guest),
    )
    .for_all()
    .solve();
    let Outcome::NotAlways(witness) = not_always else {
        panic!("expected not always, got {not_always:?}");
    };
    assert!(!decide(&witness.request, &identity_set(&guest)).is_allowed());
}

// ------------------------------------------------------------- DynamoDB

/// DynamoDB Developer Guide, "Using IAM policy conditions for fine-grained
/// access control": `ForAllValues:StringEquals` on `dynamodb:LeadingKeys`.
fn leading_keys(qualifier: &str) -> Policy {
    policy(
        "notes",
        &format!(
            r#"{{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"],
                 "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/Notes",
                 "Condition": {{"{qualifier}:StringEquals": {{
                     "dynamodb:LeadingKeys": ["${{cognito-identity.amazonaws.com:sub}}"]}}}}}}"#
        ),
    )
}

const TABLE: &str = "arn:aws:dynamodb:us-east-1:111122223333:table/Notes";

#[test]
fn leading_keys_for_all_values_keeps_other_identities_out() {
    let p = leading_keys("ForAllValues");
    let outcome = Question::new(
        cognito_caller(AUTH_ROLE, true),
        "dynamodb:Query",
        TABLE,
        PolicySet::new().with_identity(&p),
    )
    .with("dynamodb:LeadingKeys+", "{other}")
    .solve();
    assert_impossible(&outcome);
}

// "Single-valued vs. multivalued context keys": ForAnyValue needs only one
// matching value, so a request may add another identity's key.
#[test]
fn leading_keys_for_any_value_lets_other_keys_in() {
    let p = leading_keys("ForAnyValue");
    let outcome = Question::new(
        cognito_caller(AUTH_ROLE, true),
        "dynamodb:Query",
        TABLE,
        PolicySet::new().with_identity(&p),
    )
    .with("dynamodb:LeadingKeys+", "{other}")
    .solve();
    let witness = assert_possible(&outcome);
    let keys = witness
        .request
        .context
        .get("dynamodb:LeadingKeys")
        .expect("keys in the witness");
    assert!(keys.multi_valued);
    assert!(
        keys.values
            .iter()
            .any(|v| Some(v) == witness.other_id.as_ref())
    );
    assert!(
        keys.values
            .iter()
            .any(|v| Some(v) == witness.self_id.as_ref())
    );
}

// "Single-valued vs. multivalued context keys": ForAllValues "also returns
// true if there are no context keys in the request" — the empty-set trap.
#[test]
fn leading_keys_for_all_values_holds_without_the_key() {
    let p = leading_keys("ForAllValues");
    let outcome = Question::new(
        cognito_caller(AUTH_ROLE, true),
        "dynamodb:Scan",
        TABLE,
        PolicySet::new().with_identity(&p),
    )
    .solve();
    assert!(
        matches!(outcome, Outcome::Impossible { .. }),
        "Scan is not granted: {outcome:?}"
    );
    let outcome = Question::new(
        cognito_caller(AUTH_ROLE, true),
        "dynamodb:Query",
        TABLE,
        PolicySet::new().with_identity(&p),
    )
    .solve();
    let witness = assert_possible(&outcome);
    let keys = witness.request.context.get("dynamodb:LeadingKeys");
    assert!(
        keys.is_none_or(|k| k.values.iter().all(|v| Some(v) == witness.self_id.as_ref())),
        "{keys:?}"
    );
}

// ------------------------------------------------------- condition families

fn session() -> Caller {
    Caller::role_session("arn:aws:iam::111122223333:role/App", "s")
}

const DOC: &str = "arn:aws:s3:::docs/report.pdf";

/// One Allow on `DOC` with `condition`, and optionally a Deny with another.
fn guarded(allow_condition: &str, deny_condition: Option<&str>) -> Policy {
    let mut statements = format!(
        r#"{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::docs/*",
             "Condition": {allow_condition}}}"#
    );
    if let Some(deny) = deny_condition {
        statements.push_str(&format!(
            r#", {{"Sid": "Guard", "Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {deny}}}"#
        ));
    }
    policy("guarded", &statements)
}

struct ConditionCase {
    why: &'static str,
    allow: &'static str,
    deny: Option<&'static str>,
    pins: &'static [(&'static str, &'static str)],
    possible: bool,
}

// IAM User Guide, "IAM JSON policy elements: Condition operators" (numeric,
// date, IP address, Boolean, `...IfExists`, Null) and "Policy variables".
#[test]
fn condition_families_decide_like_the_evaluator() {
    let cases = [
        ConditionCase {
            why: "numeric: MFA age below an hour is possible",
            allow: r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}"#,
            deny: None,
            pins: &[],
            possible: true,
        },
        ConditionCase {
            why: "numeric: pinned too old",
            allow: r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}"#,
            deny: None,
            pins: &[("aws:MultiFactorAuthAge", "7200")],
            possible: false,
        },
        ConditionCase {
            why: "numeric: an empty open interval between decimals",
            allow: r#"{"NumericGreaterThan": {"n:x": "1.5"}, "NumericLessThan": {"n:x": "1.50"}}"#,
            deny: None,
            pins: &[],
            possible: false,
        },
        ConditionCase {
            why: "numeric: a value strictly between two decimals",
            allow: r#"{"NumericGreaterThan": {"n:x": "1.5"}, "NumericLessThan": {"n:x": "1.6"}}"#,
            deny: None,
            pins: &[],
            possible: true,
        },
        ConditionCase {
            why: "date: after the start",
            allow: r#"{"DateGreaterThan": {"aws:CurrentTime": "2024-01-01T00:00:00Z"}}"#,
            deny: None,
            pins: &[],
            possible: true,
        },
        ConditionCase {
            why: "date: pinned before the start",
            allow: r#"{"DateGreaterThan": {"aws:CurrentTime": "2024-01-01T00:00:00Z"}}"#,
            deny: None,
            pins: &[("aws:CurrentTime", "2023-06-01T00:00:00Z")],
            possible: false,
        },
        ConditionCase {
            why: "ip: inside the range, outside the denied half",
            allow: r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#,
            deny: Some(r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/25"}}"#),
            pins: &[],
            possible: true,
        },
        ConditionCase {
            why: "ip: the whole range denied",
            allow: r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#,
            deny: Some(r#"{"NotIpAddress": {"aws:SourceIp": "198.51.100.0/24"}}"#),
            pins: &[],
            possible: false,
        },
        ConditionCase {
            why: "bool: secure transport required and a deny on insecure",
            allow: r#"{"Bool": {"aws:SecureTransport": "true"}}"#,
            deny: Some(r#"{"BoolIfExists": {"aws:SecureTransport": "false"}}"#),
            pins: &[],
            possible: true,
        },
        ConditionCase {
            why: "bool: pinned insecure",
            allow: r#"{"Bool": {"aws:SecureTransport": "true"}}"#,
            deny: None,
            pins: &[("aws:SecureTransport", "false")],
            possible: false,
        },
        ConditionCase {
            why: "IfExists: a deny on another region still allows absent or us-east-1",
            allow: r#"{"StringLike": {"s3:prefix": "*"}}"#,
            deny: Some(r#"{"StringNotEqualsIfExists": {"aws:RequestedRegion": "us-east-1"}}"#),
            pins: &[("aws:RequestedRegion", "eu-west-1")],
            possible: false,
        },
        ConditionCase {
            why: "Null: the key must be absent",
            allow: r#"{"Null": {"s3:x-amz-server-side-encryption": "true"}}"#,
            deny: None,
            pins: &[],
            possible: true,
        },
        ConditionCase {
            why: "Null: pinned present",
            allow: r#"{"Null": {"s3:x-amz-server-side-encryption": "true"}}"#,
            deny: None,
            pins: &[("s3:x-amz-server-side-encryption", "AES256")],
            possible: false,
        },
        ConditionCase {
            why: "StringNotLike with a variable without value matches every value",
            allow: r#"{"StringLike": {"s3:prefix": "*"}}"#,
            deny: Some(r#"{"StringNotLike": {"s3:prefix": "${aws:username}/*"}}"#),
            pins: &[],
            possible: false,
        },
        ConditionCase {
            why: "IgnoreCase: folded ASCII",
            allow: r#"{"StringEqualsIgnoreCase": {"s:team": "Photos"}}"#,
            deny: Some(r#"{"StringEquals": {"s:team": "Photos"}}"#),
            pins: &[],
            possible: true,
        },
        ConditionCase {
            why: "ArnLike on a free key",
            allow: r#"{"ArnLike": {"aws:SourceArn": "arn:aws:sqs:*:111122223333:*"}}"#,
            deny: Some(r#"{"ArnLike": {"aws:SourceArn": "arn:aws:sqs:us-*:*:*"}}"#),
            pins: &[],
            possible: true,
        },
    ];
    for case in cases {
        let p = guarded(case.allow, case.deny);
        let mut question = Question::new(
            session(),
            "s3:GetObject",
            DOC,
            PolicySet::new().with_identity(&p),
        );
        for (key, value) in case.pins {
            question = question.with(key, value);
        }
        let outcome = question.solve();
        match (&outcome, case.possible) {
            (Outcome::Possible(w), true) => {
                assert!(decide(&w.request, &PolicySet::new().with_identity(&p)).is_allowed())
            }
            (Outcome::Impossible { .. }, false) => {}
            _ => panic!("{}: got {outcome:?}", case.why),
        }
    }
}

// "Cross-account policy evaluation logic": both sides must allow.
#[test]
fn cross_account_needs_both_sides() {
    let identity = policy(
        "id",
        r#"{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}"#,
    );
    let queue_policy = policy(
        "queue",
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
            "Action": "sqs:SendMessage", "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-1"}}}"#,
    );
    let foreign = "arn:aws:sqs:us-east-1:444455556666:*";
    let set = PolicySet::new()
        .with_identity(&identity)
        .with_resource(&queue_policy, ResourcePolicyKind::Resource);
    let with_policy = Question::new(session(), "sqs:SendMessage", foreign, set.clone()).solve();
    let witness = assert_possible(&with_policy);
    assert_eq!(
        witness
            .request
            .context
            .get("aws:SourceVpc")
            .and_then(ContextValue::as_single),
        Some("vpc-1")
    );
    let without = Question::new(
        session(),
        "sqs:SendMessage",
        foreign,
        PolicySet::new().with_identity(&identity),
    )
    .solve();
    assert_impossible(&without);
    let own_account = Question::new(
        session(),
        "sqs:SendMessage",
        "arn:aws:sqs:us-east-1:111122223333:q",
        PolicySet::new().with_identity(&identity),
    )
    .solve();
    assert_possible(&own_account);
}

// Attacker-controlled session tags substituted into a Resource: a value
// of `*` reads as a wildcard in the evaluator, so it is a real witness.
#[test]
fn free_principal_tags_are_chosen_by_the_attacker() {
    let p = policy(
        "team",
        r#"{"Effect": "Allow", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::teams/${aws:PrincipalTag/team}/*"}"#,
    );
    let set = PolicySet::new().with_identity(&p);
    let mut problem = Question::new(
        session().with_tag("team", "red"),
        "s3:GetObject",
        "arn:aws:s3:::teams/blue/x",
        set.clone(),
    )
    .problem();
    assert_impossible(&solve(&problem, TIMEOUT_MS));
    problem.free_tags.push("team".to_string());
    let witness = assert_possible(&solve(&problem, TIMEOUT_MS)).clone();
    assert!(decide(&witness.request, &set).is_allowed());
}

#[test]
fn unsupported_resources_are_unknown_not_impossible() {
    let p = policy(
        "any",
        r#"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#,
    );
    let outcome = Question::new(
        session(),
        "s3:GetObject",
        "arn:aws:s3*",
        PolicySet::new().with_identity(&p),
    )
    .solve();
    assert!(
        matches!(outcome, Outcome::Unknown { ref reason } if reason.starts_with("unsupported")),
        "{outcome:?}"
    );
}

// ------------------------------------------- undocumented corners, pins

/// The reason of an unknown answer.
#[track_caller]
fn assert_unknown(outcome: &Outcome) -> &str {
    match outcome {
        Outcome::Unknown { reason } => reason,
        other => panic!("expected unknown, got {other:?}"),
    }
}

const DEPENDS: &str = "depends on how AWS treats a NotResource entry whose variable has no value";

// Not settled by AWS's documentation (docs/semantics.md, "Undocumented
// corners"): a NotResource entry whose variable has no value. Role sessions have no
// `aws:username`. Under the evaluator's reading the Allow does not apply
// in `home/x/`; if the entry excluded nothing it would: never impossible.
#[test]
fn an_allow_with_an_unresolved_not_resource_is_not_impossible() {
    let p = policy(
        "outside-home",
        r#"{"Effect": "Allow", "Action": "s3:GetObject",
            "NotResource": "arn:aws:s3:::home/${aws:username}/*"}"#,
    );
    let set = PolicySet::new().with_identity(&p);
    let inside = Question::new(
        session(),
        "s3:GetObject",
        "arn:aws:s3:::home/x/*",
        set.clone(),
    )
    .solve();
    let reason = assert_unknown(&inside);
    assert!(reason.starts_with(DEPENDS), "{reason}");
    assert!(reason.contains("outside-home"), "{reason}");
    // Where the entry could match no value, it excludes nothing under any
    // reading: a replayed witness.
    let outside = Question::new(
        session(),
        "s3:GetObject",
        "arn:aws:s3:::photos/*",
        set.clone(),
    )
    .solve();
    let witness = assert_possible(&outside);
    assert!(decide(&witness.request, &set).is_allowed());
}

// A Deny guarding an Allow: the evaluator's reading lets the request
// through, another reading would deny it. Neither impossible nor always.
#[test]
fn a_deny_with_an_unresolved_not_resource_is_neither_impossible_nor_always() {
    let p = policy(
        "home-only",
        r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
           {"Sid": "OutsideHome", "Effect": "Deny", "Action": "s3:*",
            "NotResource": "arn:aws:s3:::home/${aws:username}/*"}"#,
    );
    let set = PolicySet::new().with_identity(&p);
    let question = Question::new(
        session(),
        "s3:GetObject",
        "arn:aws:s3:::home/x/*",
        set.clone(),
    );
    let exists = question.solve();
    let witness = assert_possible(&exists);
    assert!(decide(&witness.request, &set).is_allowed());
    let for_all = Question::new(session(), "s3:GetObject", "arn:aws:s3:::home/x/*", set)
        .for_all()
        .solve();
    let reason = assert_unknown(&for_all);
    assert!(reason.starts_with(DEPENDS), "{reason}");
    assert!(reason.contains("always under the reading"), "{reason}");
    assert!(reason.contains("`OutsideHome`"), "{reason}");
}

// With a value the documented rule decides, and no assumption is needed:
// IAM users have `aws:username`, Cognito identities their `sub`.
#[test]
fn not_resource_with_a_value_is_decided_as_before() {
    let allow = policy(
        "outside-home",
        r#"{"Effect": "Allow", "Action": "s3:GetObject",
            "NotResource": "arn:aws:s3:::home/${aws:username}/*"}"#,
    );
    let guard = policy(
        "home-only",
        r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
           {"Effect": "Deny", "Action": "s3:*",
            "NotResource": "arn:aws:s3:::home/${aws:username}/*"}"#,
    );
    let bob = || Caller::user("arn:aws:iam::111122223333:user/Bob");
    let ask = |policy: &Policy, resource: &str, for_all: bool| {
        let question = Question::new(
            bob(),
            "s3:GetObject",
            resource,
            PolicySet::new().with_identity(policy),
        );
        if for_all {
            question.for_all().solve()
        } else {
            question.solve()
        }
    };
    assert_impossible(&ask(&allow, "arn:aws:s3:::home/Bob/*", false));
    assert_possible(&ask(&allow, "arn:aws:s3:::home/alice/*", false));
    assert!(matches!(
        ask(&guard, "arn:aws:s3:::home/Bob/*", true),
        Outcome::Always
    ));
    assert_impossible(&ask(&guard, "arn:aws:s3:::home/alice/*", false));

    let per_identity = policy(
        "own-prefix",
        r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
           {"Effect": "Deny", "Action": "s3:*",
            "NotResource": "arn:aws:s3:::b/${cognito-identity.amazonaws.com:sub}/*"}"#,
    );
    let set = PolicySet::new().with_identity(&per_identity);
    let caller = cognito_caller(AUTH_ROLE, true);
    let own = Question::new(
        caller.clone(),
        "s3:GetObject",
        "arn:aws:s3:::b/{self}/*",
        set.clone(),
    )
    .for_all()
    .solve();
    assert!(matches!(own, Outcome::Always), "{own:?}");
    let other = Question::new(caller, "s3:GetObject", "arn:aws:s3:::b/{other}/*", set).solve();
    assert_impossible(&other);
}

// A request key whose presence is symbolic: the witness must replay under
// the evaluator's reading (here the key absent, so the Allow does not apply,
// or present with another value).
#[test]
fn not_resource_on_a_free_key_gives_replayed_witnesses() {
    let p = policy(
        "free",
        r#"{"Effect": "Allow", "Action": "s3:GetObject",
            "NotResource": "arn:aws:s3:::bkt/${s:a}/*"}"#,
    );
    let set = PolicySet::new().with_identity(&p);
    let question = Question::new(
        session(),
        "s3:GetObject",
        "arn:aws:s3:::bkt/x/y",
        set.clone(),
    );
    let witness = assert_possible(&question.solve()).clone();
    assert!(decide(&witness.request, &set).is_allowed());
    match question.for_all().solve() {
        Outcome::NotAlways(w) => assert!(!decide(&w.request, &set).is_allowed()),
        other => panic!("expected not always, got {other:?}"),
    }
}

// Two pins on one single-valued key must denote one value: compared as
// typed values for Bool and IP keys (`KEY=V` and `KEY+=V`, as on the
// command line). Equal texts, or texts of one value, are possible where
// the evaluator allows; different values are impossible.
#[test]
fn two_pins_on_a_bool_or_ip_key_compare_typed_values() {
    let p = policy(
        "guarded",
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "true"},
                          "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}"#,
    );
    let set = PolicySet::new().with_identity(&p);
    let ask = |pins: &[(&'static str, &'static str)]| {
        let mut question = Question::new(session(), "s3:GetObject", DOC, set.clone());
        for (key, value) in pins {
            question = question.with(key, value);
        }
        question.solve()
    };
    let allowed = Request::new(session(), "s3:GetObject", DOC)
        .with("aws:SecureTransport", "true")
        .with("aws:SourceIp", "203.0.113.9");
    assert!(decide(&allowed, &set).is_allowed());
    let cases: [(&[(&str, &str)], bool); 6] = [
        (
            &[
                ("aws:SecureTransport", "true"),
                ("aws:SecureTransport+", "true"),
            ],
            true,
        ),
        (
            &[
                ("aws:SecureTransport", "true"),
                ("aws:SecureTransport+", "TRUE"),
            ],
            true,
        ),
        (
            &[
                ("aws:SecureTransport", "true"),
                ("aws:SecureTransport+", "false"),
            ],
            false,
        ),
        (
            &[
                ("aws:SourceIp", "203.0.113.9"),
                ("aws:SourceIp+", "203.0.113.9"),
            ],
            true,
        ),
        (
            &[
                ("aws:SourceIp", "203.0.113.9"),
                ("aws:SourceIp+", "203.0.113.9/32"),
            ],
            true,
        ),
        (
            &[
                ("aws:SourceIp", "203.0.113.9"),
                ("aws:SourceIp+", "203.0.113.10"),
            ],
            false,
        ),
    ];
    for (pins, possible) in cases {
        let outcome = ask(pins);
        match (&outcome, possible) {
            (Outcome::Possible(w), true) => assert!(decide(&w.request, &set).is_allowed()),
            (Outcome::Impossible { .. }, false) => {}
            _ => panic!("{pins:?}: got {outcome:?}"),
        }
    }
    // A value that does not read as the type, pinned twice, is one value:
    // `NotIpAddress` holds for it (IAM User Guide, "Condition operators").
    let not_ip = policy(
        "not-ip",
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
            "Condition": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}"#,
    );
    let outcome = Question::new(
        session(),
        "s3:GetObject",
        DOC,
        PolicySet::new().with_identity(&not_ip),
    )
    .with("aws:SourceIp", "somewhere")
    .with("aws:SourceIp+", "somewhere")
    .solve();
    assert_possible(&outcome);
}

// A numeric policy value beyond the exact encoding (too many digits for a
// 128-bit integer) is over-approximated, never read as "matches nothing".
#[test]
fn numbers_beyond_the_encoding_are_not_impossible() {
    let p = policy(
        "huge",
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
            "Condition": {"NumericLessThan": {"s3:max-keys": "1e60"}}}"#,
    );
    let set = PolicySet::new().with_identity(&p);
    let allowed = Request::new(session(), "s3:GetObject", DOC).with("s3:max-keys", "10");
    assert!(decide(&allowed, &set).is_allowed());
    let outcome = Question::new(session(), "s3:GetObject", DOC, set).solve();
    assert!(
        !matches!(outcome, Outcome::Impossible { .. }),
        "{outcome:?}"
    );
}

// ------------------------------------------------------- property tests

/// Keys of the generated requests: single-valued strings (may be policy
/// variables), a multivalued key, and one typed key per family.
const STRING_KEYS: [&str; 2] = ["s:a", "s:b"];
const MULTI_KEY: &str = "m:a";
const TYPED_KEYS: [(&str, &[&str], &[&str]); 4] = [
    (
        "n:a",
        &[
            "NumericEquals",
            "NumericNotEquals",
            "NumericLessThan",
            "NumericGreaterThanEquals",
        ],
        &["5", "10", "2.5", "abc", "-1"],
    ),
    (
        "d:a",
        &[
            "DateEquals",
            "DateLessThan",
            "DateGreaterThan",
            "DateNotEquals",
        ],
        &["2020-01-01", "1600000000", "2021-06-30T12:00:00Z", "soon"],
    ),
    (
        "i:a",
        &["IpAddress", "NotIpAddress"],
        &[
            "10.0.0.1",
            "10.0.0.0/8",
            "192.168.1.1",
            "10.1.0.0/16",
            "::1",
            "x",
        ],
    ),
    ("b:a", &["Bool"], &["true", "false", "TRUE", "maybe"]),
];
const STRING_OPS: [&str; 10] = [
    "StringEquals",
    "StringNotEquals",
    "StringLike",
    "StringNotLike",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "ArnLike",
    "ArnNotEquals",
    "ArnEquals",
    "ArnNotLike",
];
const STRING_VALUES: [&str; 12] = [
    "a",
    "ab",
    "A",
    "a*",
    "*b",
    "?",
    "",
    "a/b",
    "${s:a}",
    "${s:b}/*",
    "${aws:username, 'a'}",
    "arn:aws:s3:::bkt/*",
];
const RESOURCES: [&str; 5] = [
    "arn:aws:s3:::bkt/a/b",
    "arn:aws:s3:::bkt/x",
    "arn:aws:sqs:us-east-1:111122223333:q",
    "arn:aws:sqs:us-east-1:444455556666:q",
    "arn:aws:s3:::other/ab",
];
const RESOURCE_PATTERNS: [&str; 9] = [
    "*",
    "arn:aws:s3:::bkt/*",
    "arn:aws:s3:::bkt/?",
    "arn:aws:s3:::*/a*",
    "arn:aws:s3:*",
    "arn:aws:*:*:111122223333:*",
    "arn:aws:s3:::bkt/${s:a}*",
    "arn:aws:s3:::${s:b}/x",
    "arn:aws:sqs:*:*:q",
];

fn json_list(items: &[String]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|i| serde_json::to_string(i).expect("string"))
        .collect();
    format!("[{}]", quoted.join(", "))
}

/// One condition entry as JSON: `"Operator": {"key": [values]}`.
fn condition_entry() -> impl Strategy<Value = String> {
    let string = (
        0..STRING_OPS.len(),
        prop_oneof![Just(0usize), Just(1), Just(2)],
        any::<bool>(),
        proptest::collection::vec(0..STRING_VALUES.len(), 1..3),
    )
        .prop_map(|(op, qualifier, if_exists, values)| {
            let op = STRING_OPS[op];
            let (prefix, key) = match qualifier {
                0 => ("", STRING_KEYS[values[0] % 2]),
                1 => ("ForAllValues:", MULTI_KEY),
                _ => ("ForAnyValue:", MULTI_KEY),
            };
            let values: Vec<String> = values
                .iter()
                .map(|v| STRING_VALUES[*v].to_string())
                // Multivalued keys are never variables; values may still
                // name single-valued keys.
                .collect();
            let suffix = if if_exists { "IfExists" } else { "" };
            format!(
                r#""{prefix}{op}{suffix}": {{"{key}": {}}}"#,
                json_list(&values)
            )
        });
    let typed = (
        0..TYPED_KEYS.len(),
        any::<prop::sample::Index>(),
        any::<bool>(),
        proptest::collection::vec(any::<prop::sample::Index>(), 1..3),
    )
        .prop_map(|(k, op, if_exists, values)| {
            let (key, ops, samples) = TYPED_KEYS[k];
            let op = op.get(ops);
            let values: Vec<String> = values.iter().map(|i| i.get(samples).to_string()).collect();
            let suffix = if if_exists { "IfExists" } else { "" };
            format!(r#""{op}{suffix}": {{"{key}": {}}}"#, json_list(&values))
        });
    let null = (0..6usize, any::<bool>()).prop_map(|(k, absent)| {
        let key = ["s:a", "m:a", "n:a", "d:a", "i:a", "b:a"][k];
        format!(r#""Null": {{"{key}": "{absent}"}}"#)
    });
    prop_oneof![3 => string, 3 => typed, 1 => null]
}

fn statement() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        prop_oneof![
            Just(r#""Action": "s3:Get*""#),
            Just(r#""Action": "*""#),
            Just(r#""Action": ["s3:PutObject", "sqs:*"]"#),
            Just(r#""NotAction": "s3:Put*""#),
        ],
        any::<bool>(),
        proptest::collection::vec(0..RESOURCE_PATTERNS.len(), 1..3),
        proptest::collection::vec(condition_entry(), 0..3),
    )
        .prop_map(|(allow, action, negated, resources, conditions)| {
            let effect = if allow { "Allow" } else { "Deny" };
            let element = if negated && !allow {
                "NotResource"
            } else {
                "Resource"
            };
            let resources: Vec<String> = resources
                .iter()
                .map(|r| RESOURCE_PATTERNS[*r].to_string())
                .collect();
            // A condition block with one entry per operator (JSON objects
            // keep their last duplicate; the parser may reject duplicates).
            let mut seen = std::collections::BTreeSet::new();
            let conditions: Vec<String> = conditions
                .into_iter()
                .filter(|c| seen.insert(c.split(':').next().unwrap_or("").to_string()))
                .collect();
            format!(
                r#"{{"Effect": "{effect}", {action}, "{element}": {}, "Condition": {{{}}}}}"#,
                json_list(&resources),
                conditions.join(", ")
            )
        })
}

fn generated_policy(name: &'static str) -> impl Strategy<Value = String> {
    proptest::collection::vec(statement(), 1..3)
        .prop_map(move |s| s.join(", "))
        .prop_map(move |s| format!("{name}|{s}"))
}

/// A concrete context value, `None` for absent.
fn request_values() -> impl Strategy<Value = Vec<Option<Vec<String>>>> {
    let string = proptest::option::of("[aAb/]{0,3}".prop_map(|s| vec![s]));
    let multi = proptest::option::of(proptest::collection::vec("[aAb]{0,2}", 0..3));
    let typed = |samples: &'static [&'static str]| {
        proptest::option::of(
            any::<prop::sample::Index>().prop_map(move |i| vec![i.get(samples).to_string()]),
        )
    };
    (
        string.clone(),
        string,
        multi,
        typed(TYPED_KEYS[0].2),
        typed(TYPED_KEYS[1].2),
        typed(TYPED_KEYS[2].2),
        typed(TYPED_KEYS[3].2),
    )
        .prop_map(|(a, b, m, n, d, i, bo)| vec![a, b, m, n, d, i, bo])
}

#[derive(Debug)]
struct Generated {
    identity: String,
    resource_policy: Option<String>,
    boundary: Option<String>,
    resource: usize,
    values: Vec<Option<Vec<String>>>,
    for_all: bool,
    /// Pinned strings reach the solver as variables, not literals.
    opaque: bool,
}

fn generated() -> impl Strategy<Value = Generated> {
    (
        generated_policy("identity"),
        proptest::option::of(generated_policy("resource")),
        proptest::option::weighted(0.2, generated_policy("boundary")),
        0..RESOURCES.len(),
        request_values(),
        any::<bool>(),
        proptest::bool::weighted(0.7),
    )
        .prop_map(
            |(identity, resource_policy, boundary, resource, values, for_all, opaque)| Generated {
                identity,
                resource_policy,
                boundary,
                resource,
                values,
                for_all,
                opaque,
            },
        )
}

fn parse_generated(text: &str, with_principal: bool) -> Option<Policy> {
    let (name, statements) = text.split_once('|')?;
    let statements = if with_principal {
        statements.replace(
            r#""Effect": "#,
            r#""Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Effect": "#,
        )
    } else {
        statements.to_string()
    };
    let document = format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#);
    let parsed = parse_policy_text(name, &document, PolicyKind::Unknown).ok()?;
    let clean = parsed
        .diagnostics
        .iter()
        .all(|d| d.severity != Severity::Error);
    clean.then_some(parsed.policy)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 3000,
        ..ProptestConfig::default()
    })]

    /// With the resource and every context key pinned (or pinned absent),
    /// the solver's verdict is the evaluator's decision.
    #[test]
    fn pinned_problems_agree_with_the_evaluator(case in generated()) {
        let Some(identity) = parse_generated(&case.identity, false) else { return Ok(()); };
        let resource_policy = match &case.resource_policy {
            Some(text) => match parse_generated(text, true) { Some(p) => Some(p), None => return Ok(()) },
            None => None,
        };
        let boundary = match &case.boundary {
            Some(text) => match parse_generated(text, false) { Some(p) => Some(p), None => return Ok(()) },
            None => None,
        };
        let mut set = PolicySet::new().with_identity(&identity);
        if let Some(p) = &resource_policy {
            set = set.with_resource(p, ResourcePolicyKind::Resource);
        }
        if let Some(p) = &boundary {
            set = set.with_boundary(p);
        }
        let caller = session().with_tag("team", "ab");
        let resource = RESOURCES[case.resource];
        let keys = ["s:a", "s:b", MULTI_KEY, "n:a", "d:a", "i:a", "b:a"];
        let mut request = Request::new(caller.clone(), "s3:GetObject", resource);
        let mut context = BTreeMap::new();
        for (key, value) in keys.iter().zip(&case.values) {
            let mut pin = ContextPin::default();
            if let Some(values) = value {
                if *key == MULTI_KEY {
                    request.context.set(key, ContextValue::multi(values));
                } else {
                    request.context.set(key, ContextValue::single(&values[0]));
                }
                for v in values {
                    pin.exactly.push(ResourcePattern { parts: vec![crate::query::PatternPart::Text(v.clone())] });
                }
            }
            context.insert(key.to_string(), pin);
        }
        let expected = decide(&request, &set).is_allowed();
        let problem = Problem {
            action: "s3:GetObject".to_string(),
            resource: ResourcePattern { parts: vec![crate::query::PatternPart::Text(resource.to_string())] },
            caller,
            identity: None,
            free_tags: Vec::new(),
            policies: set.clone(),
            context,
            quantifier: if case.for_all { Quantifier::ForAll } else { Quantifier::Exists },
        };
        compile::OPAQUE_LITERALS.with(|o| o.set(case.opaque));
        let outcome = solve(&problem, TIMEOUT_MS);
        compile::OPAQUE_LITERALS.with(|o| o.set(false));
        let got = match &outcome {
            Outcome::Possible(_) | Outcome::Always => Some(true),
            Outcome::Impossible { .. } | Outcome::NotAlways(_) => Some(false),
            Outcome::Unknown { .. } => None,
        };
        let got = match got {
            Some(g) => g,
            // Only abstracted constructs and undocumented corners (whose
            // readings disagree) may leave a pinned problem open.
            None => {
                compile::OPAQUE_LITERALS.with(|o| o.set(case.opaque));
                let compiled = compile::compile(&problem).expect("compiles");
                compile::OPAQUE_LITERALS.with(|o| o.set(false));
                prop_assert!(
                    !compiled.abstracted.is_empty() || !compiled.assumptions.is_empty(),
                    "unknown without abstraction or assumption: {outcome:?}"
                );
                return Ok(());
            }
        };
        prop_assert_eq!(got, expected, "solver {:?} vs evaluator for {:?}\n{}\n{:?}", outcome, request, case.identity, case.resource_policy);
    }
}

/// Symbolic questions on generated policies: every "possible" carries a
/// witness that replays (checked inside `solve`), and impossibility agrees
/// with a sample of concrete requests.
#[test]
fn unpinned_questions_give_replayed_witnesses() {
    let p = policy(
        "mix",
        r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::bkt/${s:a}/*",
            "Condition": {"StringLike": {"s:b": ["x*", "${s:a}"]}, "NumericLessThan": {"n:a": "3"}}},
           {"Effect": "Deny", "Action": "s3:*", "Resource": "*",
            "Condition": {"StringEquals": {"s:b": "xy"}, "ForAnyValue:StringLike": {"m:a": "a*"}}}"#,
    );
    let set = PolicySet::new().with_identity(&p);
    let outcome = Question::new(session(), "s3:GetObject", "arn:aws:s3:::bkt/*", set).solve();
    assert_possible(&outcome);
}

// Cognito Developer Guide, "Role trust and permissions": the trust policy
// checks `aud` and `amr`, which the identity pool sets (not the attacker).
#[test]
fn trust_policies_see_the_pool_and_the_authentication_state() {
    let trust = |amr: &str| {
        policy(
            "trust",
            &format!(
                r#"{{"Effect": "Allow", "Principal": {{"Federated": "cognito-identity.amazonaws.com"}},
                     "Action": "sts:AssumeRoleWithWebIdentity",
                     "Condition": {{"StringEquals": {{"cognito-identity.amazonaws.com:aud": "{POOL}"}},
                                   "ForAnyValue:StringLike": {{"cognito-identity.amazonaws.com:amr": "{amr}"}}}}}}"#
            ),
        )
    };
    let guest = Caller::web_identity("cognito-identity.amazonaws.com").with_cognito(
        "us-east-1:00000000-0000-0000-0000-000000000000",
        POOL,
        &["unauthenticated"],
    );
    for (amr, role, possible) in [
        ("unauthenticated", UNAUTH_ROLE, true),
        ("authenticated", AUTH_ROLE, false),
    ] {
        let p = trust(amr);
        let set = PolicySet::new().with_resource(&p, ResourcePolicyKind::Trust);
        let outcome =
            Question::new(guest.clone(), "sts:AssumeRoleWithWebIdentity", role, set).solve();
        match (outcome, possible) {
            (Outcome::Possible(_), true) | (Outcome::Impossible { .. }, false) => {}
            (other, _) => panic!("{amr}: {other:?}"),
        }
    }
}

// docs/semantics.md: a timeout is unknown, never impossible.
#[test]
fn no_time_left_is_unknown() {
    let auth = amplify_auth();
    let outcome = solve(
        &Question::new(
            cognito_caller(AUTH_ROLE, true),
            "s3:GetObject",
            &obj("private/{other}/*"),
            identity_set(&auth),
        )
        .problem(),
        0,
    );
    assert!(
        matches!(outcome, Outcome::Unknown { ref reason } if reason.contains("timeout")),
        "{outcome:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 600,
        ..ProptestConfig::default()
    })]

    /// Negative answers on symbolic questions are sound: with every context
    /// key free and the resource a pattern, "impossible" means the sampled
    /// concrete request matching the question is denied, and "always" that
    /// it is allowed. (Positive answers carry witnesses `solve` replayed.)
    #[test]
    fn negative_answers_hold_for_sampled_requests(case in generated()) {
        let Some(identity) = parse_generated(&case.identity, false) else { return Ok(()); };
        let resource_policy = match &case.resource_policy {
            Some(text) => match parse_generated(text, true) { Some(p) => Some(p), None => return Ok(()) },
            None => None,
        };
        let mut set = PolicySet::new().with_identity(&identity);
        if let Some(p) = &resource_policy {
            set = set.with_resource(p, ResourcePolicyKind::Resource);
        }
        let caller = session().with_tag("team", "ab");
        let resource = RESOURCES[case.resource];
        let cut = resource.rfind(['/', ':']).map_or(resource.len(), |i| i + 1);
        let pattern = format!("{}*", &resource[..cut]);
        let keys = ["s:a", "s:b", MULTI_KEY, "n:a", "d:a", "i:a", "b:a"];
        let mut request = Request::new(caller.clone(), "s3:GetObject", resource);
        for (key, value) in keys.iter().zip(&case.values) {
            if let Some(values) = value {
                // Keys keep one arity: at most one value for the
                // multivalued key, which the solver may model as single.
                if *key == MULTI_KEY {
                    request.context.set(key, ContextValue::multi(values.iter().take(1)));
                } else {
                    request.context.set(key, ContextValue::single(&values[0]));
                }
            }
        }
        let allowed = decide(&request, &set).is_allowed();
        let problem = Problem {
            action: "s3:GetObject".to_string(),
            resource: ResourcePattern::parse(&pattern).expect("valid pattern"),
            caller,
            identity: None,
            free_tags: Vec::new(),
            policies: set.clone(),
            context: BTreeMap::new(),
            quantifier: if case.for_all { Quantifier::ForAll } else { Quantifier::Exists },
        };
        match solve(&problem, TIMEOUT_MS) {
            Outcome::Impossible { .. } => prop_assert!(!allowed, "impossible, yet {request:?} is allowed"),
            Outcome::Always => prop_assert!(allowed, "always, yet {request:?} is denied"),
            Outcome::Possible(w) => prop_assert!(decide(&w.request, &set).is_allowed()),
            Outcome::NotAlways(w) => prop_assert!(!decide(&w.request, &set).is_allowed()),
            Outcome::Unknown { .. } => {}
        }
    }
}

// ------------------------------------------------ S3 Block Public Access

const SITE_OWNER: &str = "111122223333";
const SITE_OBJECT: &str = "arn:aws:s3:::example-site/index.html";

/// A website bucket policy: everyone may `s3:GetObject` (public), with an
/// optional condition on the same statement.
fn website_policy(condition: &str) -> Policy {
    policy(
        "bucket policy of example-site",
        &format!(
            r#"{{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
                "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-site/*",
                "Condition": {condition}}}"#
        ),
    )
}

fn restrict_public_buckets() -> crate::eval::RestrictPublicBuckets {
    let file = crate::source::SourceFile::new("public-access-block.json", "{}");
    crate::eval::RestrictPublicBuckets {
        scope: "bucket `example-site`".to_string(),
        location: crate::source::Location::new(file, crate::source::Span::new(0, 2), ""),
    }
}

// Amazon S3 User Guide, "Blocking public access to your Amazon S3 storage":
// RestrictPublicBuckets leaves a public bucket to AWS services and the
// owner's account; anonymous callers and other accounts are stopped.
#[test]
fn restrict_public_buckets_stops_anonymous_and_other_accounts() {
    let bucket = website_policy("{}");
    let open = PolicySet::new()
        .with_resource(&bucket, ResourcePolicyKind::Resource)
        .owned_by(SITE_OWNER);
    let blocked = open
        .clone()
        .with_restrict_public_buckets(restrict_public_buckets());
    let stranger = Caller::root("444455556666");
    for caller in [Caller::anonymous(), stranger] {
        let witness = assert_possible(
            &Question::new(caller.clone(), "s3:GetObject", SITE_OBJECT, open.clone()).solve(),
        )
        .clone();
        assert!(decide(&witness.request, &open).is_allowed());
        assert!(!decide(&witness.request, &blocked).is_allowed());
        assert_impossible(
            &Question::new(caller, "s3:GetObject", SITE_OBJECT, blocked.clone()).solve(),
        );
    }
    // The owner's account: the public statement still reaches its roles.
    let witness = assert_possible(
        &Question::new(session(), "s3:GetObject", SITE_OBJECT, blocked.clone()).solve(),
    )
    .clone();
    assert!(decide(&witness.request, &blocked).is_allowed());
    // An AWS service passes.
    let service = Caller::service("cloudfront.amazonaws.com");
    assert_possible(&Question::new(service, "s3:GetObject", SITE_OBJECT, blocked).solve());
}

// A policy that is not public (a fixed `aws:SourceVpce`) is left alone,
// even for callers outside the owner's account.
#[test]
fn restrict_public_buckets_leaves_non_public_policies_alone() {
    let bucket = website_policy(r#"{"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}"#);
    let blocked = PolicySet::new()
        .with_resource(&bucket, ResourcePolicyKind::Resource)
        .owned_by(SITE_OWNER)
        .with_restrict_public_buckets(restrict_public_buckets());
    let witness = assert_possible(
        &Question::new(
            Caller::anonymous(),
            "s3:GetObject",
            SITE_OBJECT,
            blocked.clone(),
        )
        .solve(),
    )
    .clone();
    assert!(decide(&witness.request, &blocked).is_allowed());
}

const DEPENDS_PUBLIC: &str =
    "depends on whether S3 Block Public Access counts the bucket policy as public";

// A wide `aws:SourceIp` block: AWS documents no size limit. The evaluator
// reads the policy as not public (the request stays allowed), so `possible`
// has a witness; `always` would rest on that reading alone: unknown.
#[test]
fn an_undocumented_public_policy_keeps_both_readings() {
    let bucket = website_policy(r#"{"IpAddress": {"aws:SourceIp": "0.0.0.0/1"}}"#);
    let blocked = PolicySet::new()
        .with_resource(&bucket, ResourcePolicyKind::Resource)
        .owned_by(SITE_OWNER)
        .with_restrict_public_buckets(restrict_public_buckets());
    let question = || {
        Question::new(
            Caller::anonymous(),
            "s3:GetObject",
            SITE_OBJECT,
            blocked.clone(),
        )
        .with("aws:SourceIp", "10.1.2.3")
    };
    let witness = assert_possible(&question().solve()).clone();
    assert!(decide(&witness.request, &blocked).is_allowed());
    let reason = assert_unknown(&question().for_all().solve()).to_string();
    assert!(reason.starts_with(DEPENDS_PUBLIC), "{reason}");
    assert!(reason.contains("always under the reading"), "{reason}");
}
