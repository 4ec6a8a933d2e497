//! Latency of the SMT encoding on the canonical questions: the Amplify
//! storage access levels, the DynamoDB `LeadingKeys` patterns, an explicit
//! deny, and one question per condition family.
//!
//! Run: `cargo bench --bench smt` (optionally `-- <runs>`, default 30). A
//! plain binary without a harness: one line per question with its verdict
//! and p50 / p95 / max latency of `smt::solve` (compile, Z3, decode and
//! replay), then the same over all questions.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use poolscope::eval::{Caller, PolicySet};
use poolscope::policy::parse::parse_policy_text;
use poolscope::policy::{Policy, PolicyKind};
use poolscope::query::{ContextPin, ResourcePattern};
use poolscope::smt::{IdentitySpace, Outcome, Problem, Quantifier, solve};

const POOL: &str = "us-east-1:d39c1f39-701d-40a4-9cc4-04c9a3aa4948";
const BUCKET: &str = "photosharestorage3f2a9c1b142233-dev";
const AUTH_ROLE: &str = "arn:aws:iam::111122223333:role/amplify-photoshare-dev-142233-authRole";
const UNAUTH_ROLE: &str = "arn:aws:iam::111122223333:role/amplify-photoshare-dev-142233-unauthRole";
const TABLE: &str = "arn:aws:dynamodb:us-east-1:111122223333:table/Notes";
const TIMEOUT_MS: u64 = 10_000;

fn parse(name: &str, statements: &str) -> Policy {
    let text = format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#);
    match parse_policy_text(name, &text, PolicyKind::Unknown) {
        Ok(parsed) => parsed.policy,
        Err(diagnostics) => panic!("benchmark policy {name} does not parse: {diagnostics:?}"),
    }
}

fn objects(prefix: &str, actions: &str) -> String {
    format!(
        r#"{{"Effect": "Allow", "Action": [{actions}], "Resource": ["arn:aws:s3:::{BUCKET}/{prefix}"]}}"#
    )
}

fn list_prefixes(prefixes: &[&str]) -> String {
    let quoted: Vec<String> = prefixes.iter().map(|p| format!("\"{p}\"")).collect();
    format!(
        r#"{{"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": ["arn:aws:s3:::{BUCKET}"],
             "Condition": {{"StringLike": {{"s3:prefix": [{}]}}}}}}"#,
        quoted.join(", ")
    )
}

struct Policies {
    auth: Vec<Policy>,
    guest: Vec<Policy>,
    deny_protected: Policy,
    leading_all: Policy,
    leading_any: Policy,
    guarded: Policy,
}

fn policies() -> Policies {
    let sub = "${cognito-identity.amazonaws.com:sub}";
    let rw = r#""s3:PutObject", "s3:GetObject", "s3:DeleteObject""#;
    let private_own = format!("private/{sub}/");
    let private_own_any = format!("private/{sub}/*");
    let auth = vec![
        parse("Public_policy", &objects("public/*", rw)),
        parse(
            "Protected_policy",
            &objects(&format!("protected/{sub}/*"), rw),
        ),
        parse("Private_policy", &objects(&format!("private/{sub}/*"), rw)),
        parse("Uploads_policy", &objects("uploads/*", r#""s3:PutObject""#)),
        parse(
            "read_policy",
            &format!(
                "{}, {}",
                objects("protected/*", r#""s3:GetObject""#),
                list_prefixes(&[
                    "public/",
                    "public/*",
                    "protected/",
                    "protected/*",
                    &private_own,
                    &private_own_any,
                ])
            ),
        ),
    ];
    let guest = vec![
        parse("Public_policy", &objects("public/*", r#""s3:GetObject""#)),
        parse(
            "read_policy",
            &format!(
                "{}, {}",
                objects("protected/*", r#""s3:GetObject""#),
                list_prefixes(&["public/", "public/*", "protected/", "protected/*"])
            ),
        ),
    ];
    let leading = |qualifier: &str| {
        parse(
            "notes",
            &format!(
                r#"{{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"],
                     "Resource": "{TABLE}",
                     "Condition": {{"{qualifier}:StringEquals": {{"dynamodb:LeadingKeys": ["{sub}"]}}}}}}"#
            ),
        )
    };
    Policies {
        auth,
        guest,
        deny_protected: parse(
            "deny_protected",
            &format!(
                r#"{{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{BUCKET}/protected/*"}}"#
            ),
        ),
        leading_all: leading("ForAllValues"),
        leading_any: leading("ForAnyValue"),
        guarded: parse(
            "guarded",
            r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::docs/*",
                "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"},
                              "DateGreaterThan": {"aws:CurrentTime": "2024-01-01T00:00:00Z"},
                              "IpAddress": {"aws:SourceIp": "203.0.113.0/24"},
                              "Bool": {"aws:SecureTransport": "true"}}},
               {"Effect": "Deny", "Action": "*", "Resource": "*",
                "Condition": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/25"}}}"#,
        ),
    }
}

fn caller(role: &str, authenticated: bool) -> Caller {
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
    name: &'static str,
    expected: &'static str,
    problem: Problem<'p>,
}

fn question<'p>(
    name: &'static str,
    expected: &'static str,
    caller: Caller,
    action: &str,
    resource: &str,
    policies: PolicySet<'p>,
    pins: &[(&str, &str, bool)],
) -> Question<'p> {
    let mut context: BTreeMap<String, ContextPin> = BTreeMap::new();
    for (key, value, includes) in pins {
        let pin = context.entry(key.to_ascii_lowercase()).or_default();
        let value = ResourcePattern::parse(value).expect("valid value");
        if *includes {
            pin.includes.push(value);
        } else {
            pin.exactly.push(value);
        }
    }
    let identity = caller.cognito.as_ref().map(|_| IdentitySpace {
        region: "us-east-1".to_string(),
        pool_id: POOL.to_string(),
    });
    Question {
        name,
        expected,
        problem: Problem {
            action: action.to_string(),
            resource: ResourcePattern::parse(resource).expect("valid resource"),
            caller,
            identity,
            free_tags: Vec::new(),
            policies,
            context,
            quantifier: Quantifier::Exists,
        },
    }
}

fn set(policies: &[Policy]) -> PolicySet<'_> {
    let mut set = PolicySet::new();
    for policy in policies {
        set = set.with_identity(policy);
    }
    set
}

fn verdict(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Possible(_) => "possible".into(),
        Outcome::Impossible { .. } => "impossible".into(),
        Outcome::Always => "always".into(),
        Outcome::NotAlways(_) => "not always".into(),
        Outcome::Unknown { reason } => format!("unknown ({reason})"),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(30);
    let p = policies();
    let obj = |path: &str| format!("arn:aws:s3:::{BUCKET}/{path}");
    let bucket = format!("arn:aws:s3:::{BUCKET}");
    let auth = caller(AUTH_ROLE, true);
    let guest = caller(UNAUTH_ROLE, false);
    let session = Caller::role_session("arn:aws:iam::111122223333:role/App", "s");
    let with_deny = set(&p.auth).with_identity(&p.deny_protected);
    let mut questions = vec![
        question(
            "guest GetObject private/{other}/*",
            "impossible",
            guest.clone(),
            "s3:GetObject",
            &obj("private/{other}/*"),
            set(&p.guest),
            &[],
        ),
        question(
            "guest GetObject protected/{other}/*",
            "possible",
            guest.clone(),
            "s3:GetObject",
            &obj("protected/{other}/*"),
            set(&p.guest),
            &[],
        ),
        question(
            "guest GetObject public/*",
            "possible",
            guest,
            "s3:GetObject",
            &obj("public/*"),
            set(&p.guest),
            &[],
        ),
        question(
            "auth GetObject private/{other}/*",
            "impossible",
            auth.clone(),
            "s3:GetObject",
            &obj("private/{other}/*"),
            set(&p.auth),
            &[],
        ),
        question(
            "auth GetObject private/{self}/*",
            "possible",
            auth.clone(),
            "s3:GetObject",
            &obj("private/{self}/*"),
            set(&p.auth),
            &[],
        ),
        question(
            "auth PutObject protected/{other}/*",
            "impossible",
            auth.clone(),
            "s3:PutObject",
            &obj("protected/{other}/*"),
            set(&p.auth),
            &[],
        ),
        question(
            "auth GetObject protected/{other}/*",
            "possible",
            auth.clone(),
            "s3:GetObject",
            &obj("protected/{other}/*"),
            set(&p.auth),
            &[],
        ),
        question(
            "auth ListBucket s3:prefix=private/{other}/",
            "impossible",
            auth.clone(),
            "s3:ListBucket",
            &bucket,
            set(&p.auth),
            &[("s3:prefix", "private/{other}/", false)],
        ),
        question(
            "auth ListBucket s3:prefix=private/{self}/*",
            "possible",
            auth.clone(),
            "s3:ListBucket",
            &bucket,
            set(&p.auth),
            &[("s3:prefix", "private/{self}/*", false)],
        ),
        question(
            "auth GetObject protected/{other}/* with deny",
            "impossible",
            auth.clone(),
            "s3:GetObject",
            &obj("protected/{other}/*"),
            with_deny,
            &[],
        ),
        question(
            "dynamodb ForAllValues LeadingKeys+={other}",
            "impossible",
            auth.clone(),
            "dynamodb:Query",
            TABLE,
            PolicySet::new().with_identity(&p.leading_all),
            &[("dynamodb:LeadingKeys", "{other}", true)],
        ),
        question(
            "dynamodb ForAnyValue LeadingKeys+={other}",
            "possible",
            auth.clone(),
            "dynamodb:Query",
            TABLE,
            PolicySet::new().with_identity(&p.leading_any),
            &[("dynamodb:LeadingKeys", "{other}", true)],
        ),
        question(
            "dynamodb ForAllValues, key absent (trap)",
            "possible",
            auth,
            "dynamodb:Query",
            TABLE,
            PolicySet::new().with_identity(&p.leading_all),
            &[],
        ),
        question(
            "numeric+date+ip+bool guard",
            "possible",
            session.clone(),
            "s3:GetObject",
            "arn:aws:s3:::docs/report.pdf",
            PolicySet::new().with_identity(&p.guarded),
            &[],
        ),
        question(
            "guard with SourceIp pinned in the denied half",
            "impossible",
            session,
            "s3:GetObject",
            "arn:aws:s3:::docs/report.pdf",
            PolicySet::new().with_identity(&p.guarded),
            &[("aws:SourceIp", "203.0.113.200", false)],
        ),
    ];
    let mut all: Vec<Duration> = Vec::new();
    println!("| question | verdict | p50 ms | p95 ms | max ms |");
    println!("|---|---|---|---|---|");
    let mut wrong = 0;
    for q in &mut questions {
        let mut times = Vec::with_capacity(runs);
        let mut last = String::new();
        for _ in 0..runs {
            let start = Instant::now();
            let outcome = solve(&q.problem, TIMEOUT_MS);
            times.push(start.elapsed());
            last = verdict(&outcome);
        }
        if last != q.expected {
            wrong += 1;
        }
        times.sort();
        all.extend(&times);
        println!(
            "| {} | {}{} | {} | {} | {} |",
            q.name,
            last,
            if last == q.expected { "" } else { " (WRONG)" },
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.95)),
            ms(times[times.len() - 1])
        );
    }
    all.sort();
    println!(
        "| all {} questions × {runs} runs | {} wrong | {} | {} | {} |",
        questions.len(),
        wrong,
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.95)),
        ms(all[all.len() - 1])
    );
}
