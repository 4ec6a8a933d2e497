//! Requests per second of the concrete evaluator on a realistic policy set:
//! Amplify-style per-identity storage (authenticated and guest roles, the
//! guest scope-down session policy), a per-identity DynamoDB policy, a
//! bucket policy, two levels of SCPs, and 20 managed-policy-like documents
//! (read-only grants, ABAC tag conditions, IP and MFA guardrails, date
//! windows, ARN conditions).
//!
//! Run: `cargo bench --bench evaluator` (optionally `-- <requests>`,
//! default 20000). A plain binary without a harness: it prints one line per
//! figure. Requests are generated with a fixed seed, so runs compare.

use std::hint::black_box;
use std::time::Instant;

use poolscope::eval::{Caller, Decision, PolicySet, Request, ResourcePolicyKind, decide, evaluate};
use poolscope::policy::parse::parse_policy_text;
use poolscope::policy::{Policy, PolicyKind};

const ACCOUNT: &str = "111122223333";
const POOL: &str = "us-east-1:11111111-2222-3333-4444-555555555555";
const BUCKET: &str = "amplify-app-storage";
const TABLE: &str = "arn:aws:dynamodb:us-east-1:111122223333:table/Notes";

fn parse(name: &str, text: &str) -> Policy {
    match parse_policy_text(name, text, PolicyKind::Unknown) {
        Ok(parsed) => parsed.policy,
        Err(diagnostics) => panic!("benchmark policy {name} does not parse: {diagnostics:?}"),
    }
}

fn document(statements: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#)
}

/// The Amplify Gen 1 storage grants of the authenticated role.
fn amplify_auth() -> String {
    let sub = "${cognito-identity.amazonaws.com:sub}";
    document(&format!(
        r#"{{"Effect": "Allow", "Action": ["s3:GetObject"],
            "Resource": ["arn:aws:s3:::{BUCKET}/public/*", "arn:aws:s3:::{BUCKET}/protected/*",
                         "arn:aws:s3:::{BUCKET}/private/{sub}/*"]}},
           {{"Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObject"],
            "Resource": ["arn:aws:s3:::{BUCKET}/public/*", "arn:aws:s3:::{BUCKET}/protected/{sub}/*",
                         "arn:aws:s3:::{BUCKET}/private/{sub}/*", "arn:aws:s3:::{BUCKET}/uploads/*"]}},
           {{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::{BUCKET}",
            "Condition": {{"StringLike": {{"s3:prefix": ["public/", "public/*", "protected/", "protected/*",
                                                       "private/{sub}/", "private/{sub}/*"]}}}}}}"#
    ))
}

fn amplify_guest() -> String {
    document(&format!(
        r#"{{"Effect": "Allow", "Action": ["s3:GetObject"],
            "Resource": ["arn:aws:s3:::{BUCKET}/public/*", "arn:aws:s3:::{BUCKET}/protected/*"]}},
           {{"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": ["arn:aws:s3:::{BUCKET}/uploads/*"]}}"#
    ))
}

fn scope_down() -> String {
    document(
        r#"{"Effect": "Allow", "Action": ["s3:*", "dynamodb:*", "sqs:*", "sns:*", "lambda:*",
            "kinesis:*", "firehose:*", "mobileanalytics:*", "cognito-identity:*", "cognito-sync:*",
            "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*"}"#,
    )
}

fn dynamodb_per_identity() -> String {
    document(&format!(
        r#"{{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query",
                                         "dynamodb:PutItem", "dynamodb:UpdateItem"],
            "Resource": "{TABLE}",
            "Condition": {{"ForAllValues:StringEquals": {{"dynamodb:LeadingKeys": ["${{cognito-identity.amazonaws.com:sub}}"]}}}}}}"#
    ))
}

fn bucket_policy() -> String {
    document(&format!(
        r#"{{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": ["arn:aws:s3:::{BUCKET}", "arn:aws:s3:::{BUCKET}/*"],
            "Condition": {{"Bool": {{"aws:SecureTransport": "false"}}}}}},
           {{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::{BUCKET}/public/*"}}"#
    ))
}

/// Twenty managed-policy-like documents, built from six shapes.
fn managed(i: usize) -> String {
    let services = [
        "s3",
        "ec2",
        "sqs",
        "sns",
        "lambda",
        "logs",
        "kinesis",
        "dynamodb",
        "kms",
        "cloudwatch",
    ];
    let service = services[i % services.len()];
    match i % 6 {
        0 => document(&format!(
            r#"{{"Effect": "Allow", "Action": ["{service}:Get*", "{service}:List*", "{service}:Describe*"],
                "Resource": "*"}}"#
        )),
        1 => document(&format!(
            r#"{{"Effect": "Allow", "Action": "{service}:*", "Resource": "*",
                "Condition": {{"StringEquals": {{"aws:ResourceTag/team": "${{aws:PrincipalTag/team}}"}}}}}}"#
        )),
        2 => document(
            r#"{"Effect": "Deny", "Action": "*", "Resource": "*",
                "Condition": {"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24", "203.0.113.0/24", "2001:db8::/32"]},
                              "Bool": {"aws:ViaAWSService": "false"}}}"#,
        ),
        3 => document(
            r#"{"Effect": "Deny", "NotAction": ["iam:ChangePassword", "iam:GetUser", "sts:GetSessionToken"],
                "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}"#,
        ),
        4 => document(&format!(
            r#"{{"Effect": "Allow", "Action": ["{service}:Put*", "{service}:Send*"],
                "Resource": "arn:aws:{service}:*:{ACCOUNT}:*",
                "Condition": {{"DateGreaterThan": {{"aws:CurrentTime": "2020-01-01T00:00:00Z"}},
                              "DateLessThan": {{"aws:CurrentTime": "2030-01-01T00:00:00Z"}},
                              "ArnLike": {{"aws:SourceArn": "arn:aws:sns:*:{ACCOUNT}:*"}}}}}}"#
        )),
        _ => document(&format!(
            r#"{{"Effect": "Allow", "Action": "{service}:*", "Resource": "arn:aws:{service}:us-east-1:{ACCOUNT}:app-*",
                "Condition": {{"ForAnyValue:StringLike": {{"aws:TagKeys": ["app-*", "env"]}},
                              "NumericLessThanEquals": {{"s3:max-keys": "1000"}}}}}}"#
        )),
    }
}

fn scp_regions() -> String {
    document(
        r#"{"Effect": "Deny", "NotAction": ["iam:*", "sts:*", "cloudfront:*"], "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}}"#,
    )
}

/// xorshift64*: a fixed-seed generator, so every run sees the same requests.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// True about once in `n` calls.
    fn one_in(&mut self, n: u64) -> bool {
        self.next().is_multiple_of(n)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

fn identity_id(n: u64) -> String {
    format!("us-east-1:{n:08x}-0000-4000-8000-{n:012x}")
}

fn requests(count: usize) -> Vec<(Request, bool)> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let me = identity_id(rng.next() % 1000);
        let other = identity_id(1000 + rng.next() % 1000);
        let guest = rng.one_in(4);
        let caller = if guest {
            Caller::role_session(
                &format!("arn:aws:iam::{ACCOUNT}:role/amplify-unauthRole"),
                "CognitoIdentityCredentials",
            )
            .with_cognito(&me, POOL, &["unauthenticated"])
        } else {
            Caller::role_session(
                &format!("arn:aws:iam::{ACCOUNT}:role/amplify-authRole"),
                "CognitoIdentityCredentials",
            )
            .with_cognito(
                &me,
                POOL,
                &[
                    "authenticated",
                    "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc:client",
                ],
            )
            .with_tag("team", rng.pick(&["red", "blue"]))
        };
        let whose = if rng.one_in(2) { &me } else { &other };
        let request = match rng.next() % 6 {
            0 | 1 => {
                let action = rng.pick(&["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]);
                let level = rng.pick(&["public", "protected", "private", "uploads"]);
                let key = if level == "public" || level == "uploads" {
                    format!("arn:aws:s3:::{BUCKET}/{level}/photo.jpg")
                } else {
                    format!("arn:aws:s3:::{BUCKET}/{level}/{whose}/photo.jpg")
                };
                Request::new(caller, action, &key)
            }
            2 => Request::new(caller, "s3:ListBucket", &format!("arn:aws:s3:::{BUCKET}"))
                .with("s3:prefix", &format!("private/{whose}/"))
                .with("s3:max-keys", "100"),
            3 => {
                let keys: Vec<&str> = if rng.one_in(2) {
                    vec![&me]
                } else {
                    vec![&me, &other]
                };
                Request::new(
                    caller,
                    rng.pick(&["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Scan"]),
                    TABLE,
                )
                .with_set("dynamodb:LeadingKeys", keys)
            }
            4 => Request::new(
                caller,
                rng.pick(&["sqs:SendMessage", "sns:Publish", "logs:PutLogEvents"]),
                &format!("arn:aws:sqs:us-east-1:{ACCOUNT}:app-queue"),
            )
            .with(
                "aws:SourceArn",
                &format!("arn:aws:sns:us-east-1:{ACCOUNT}:topic"),
            )
            .with("aws:ResourceTag/team", "red")
            .with_set("aws:TagKeys", ["app-name"]),
            _ => Request::new(
                caller,
                rng.pick(&["iam:CreateUser", "ec2:RunInstances"]),
                "*",
            ),
        };
        let request = request
            .with(
                "aws:SecureTransport",
                if rng.one_in(20) { "false" } else { "true" },
            )
            .with(
                "aws:SourceIp",
                rng.pick(&["203.0.113.7", "203.0.113.8", "2001:db8::5", "198.51.100.20"]),
            )
            .with("aws:CurrentTime", "2024-06-01T12:00:00Z")
            .with(
                "aws:RequestedRegion",
                rng.pick(&["us-east-1", "us-east-1", "eu-west-1", "ap-south-1"]),
            )
            .with("aws:ViaAWSService", "false")
            .with("aws:MultiFactorAuthPresent", "true");
        out.push((request, guest));
    }
    out
}

/// The policies every request's set shares.
struct Shared<'p> {
    managed: &'p [Policy],
    full_access: &'p Policy,
    regions: &'p Policy,
    bucket: &'p Policy,
}

impl<'p> Shared<'p> {
    /// The role's own policies plus the managed ones, two SCP levels and
    /// the bucket policy.
    fn policy_set(&self, own: Vec<&'p Policy>) -> PolicySet<'p> {
        let mut set = PolicySet::new()
            .with_scp_level(vec![self.full_access])
            .with_scp_level(vec![self.full_access, self.regions])
            .with_resource(self.bucket, ResourcePolicyKind::Resource)
            .owned_by(ACCOUNT);
        set.identity = own;
        set.identity.extend(self.managed.iter());
        set
    }
}

fn main() {
    let count: usize = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(20_000);

    let auth = parse("amplify-auth", &amplify_auth());
    let guest = parse("amplify-guest", &amplify_guest());
    let scope = parse("guest-scope-down", &scope_down());
    let dynamo = parse("dynamodb-per-identity", &dynamodb_per_identity());
    let bucket = parse("bucket-policy", &bucket_policy());
    let managed: Vec<Policy> = (0..20)
        .map(|i| parse(&format!("managed-{i}"), &managed(i)))
        .collect();
    let full_access = parse(
        "FullAWSAccess",
        &document(r#"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#),
    );
    let regions = parse("deny-other-regions", &scp_regions());

    let shared = Shared {
        managed: &managed,
        full_access: &full_access,
        regions: &regions,
        bucket: &bucket,
    };
    let auth_set = shared.policy_set(vec![&auth, &dynamo]);
    let guest_set = shared
        .policy_set(vec![&guest, &dynamo])
        .with_session(&scope);
    let statements: usize = auth_set
        .identity
        .iter()
        .chain(auth_set.scps.iter().flatten())
        .map(|p| p.statements.len())
        .sum::<usize>()
        + bucket.statements.len();

    let requests = requests(count);
    let set_for = |is_guest: bool| if is_guest { &guest_set } else { &auth_set };

    // Warm up, and count outcomes.
    let mut counts = [0usize; 3];
    for (request, is_guest) in &requests {
        let index = match decide(request, set_for(*is_guest)) {
            Decision::Allowed => 0,
            Decision::ExplicitlyDenied => 1,
            Decision::ImplicitlyDenied => 2,
        };
        counts[index] += 1;
    }
    println!(
        "policy set: {} identity policies, {statements} statements in all (SCPs and bucket policy included); {count} requests: {} allowed, {} explicitly denied, {} implicitly denied",
        auth_set.identity.len(),
        counts[0],
        counts[1],
        counts[2],
    );

    for (label, explain) in [("decide", false), ("evaluate (with explanation)", true)] {
        let mut best = f64::MAX;
        for _ in 0..5 {
            let start = Instant::now();
            for (request, is_guest) in &requests {
                if explain {
                    black_box(evaluate(black_box(request), set_for(*is_guest)));
                } else {
                    black_box(decide(black_box(request), set_for(*is_guest)));
                }
            }
            best = best.min(start.elapsed().as_secs_f64());
        }
        println!(
            "{label}: {:.0} requests/s ({:.2} µs per request, best of 5 runs)",
            count as f64 / best,
            best * 1e6 / count as f64,
        );
    }
}
