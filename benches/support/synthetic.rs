//! A synthetic AWS account for benchmarks: `roles` roles in the shape of
//! `aws iam get-account-authorization-details` (Cognito authenticated and
//! guest roles, Lambda roles, same-account admins with MFA, a partner
//! account with an external id, CI through GitHub OIDC; one to three inline
//! policies each), 200 customer managed policies with two versions, and two
//! identity pools with a 10-rule mapping, one with the basic flow on; a
//! Lambda function for every tenth role, and escalation steps (`iam:PassRole`
//! with `lambda:CreateFunction`, `lambda:UpdateFunctionCode`,
//! `iam:PutRolePolicy`, `iam:UpdateAssumeRolePolicy`) in a tenth of the
//! Cognito and admin roles. Deterministic: a fixed-seed generator.

use serde_json::{Value, json};

pub const ACCOUNT: &str = "123456789012";
const PARTNER: &str = "210987654321";
pub const REGION: &str = "us-east-1";
pub const MANAGED: usize = 200;
pub const POOLS: [&str; 2] = [
    "us-east-1:1d2c3b4a-0000-4000-8000-00000000aaaa",
    "us-east-1:1d2c3b4a-0000-4000-8000-00000000bbbb",
];
const USER_POOL: &str = "us-east-1_BenchPool1";
const CLIENT: &str = "benchclient00000000000000";

/// A small deterministic generator (64-bit LCG), so every run sees the
/// same account.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn role_arn(i: usize) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{}", role_name(i))
}

fn role_name(i: usize) -> String {
    match i % 10 {
        0 => format!("app-{i:04}-cognito-authenticated"),
        1 => format!("app-{i:04}-cognito-guest"),
        2..=6 => format!("svc-{i:04}-lambda"),
        7 => format!("ops-{i:04}-admin"),
        8 => format!("partner-{i:04}-readonly"),
        _ => format!("ci-{i:04}-deployer"),
    }
}

/// The function that runs as Lambda role `i` (`i % 10 == 2`).
fn function_arn(i: usize) -> String {
    format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:svc-{i:04}-fn")
}

/// `lambda list-functions`: one function per tenth role, running as a
/// Lambda role.
fn functions(roles: usize) -> Value {
    let list: Vec<Value> = (0..roles)
        .filter(|i| i % 10 == 2)
        .map(|i| {
            json!({
                "FunctionName": format!("svc-{i:04}-fn"),
                "FunctionArn": function_arn(i),
                "Role": role_arn(i),
                "Runtime": "python3.12"
            })
        })
        .collect();
    json!({"Functions": list})
}

fn managed_arn(i: usize) -> String {
    format!("arn:aws:iam::{ACCOUNT}:policy/shared-{i:03}")
}

/// The trust policy of role `i`, by kind: Cognito (authenticated / guest),
/// Lambda, same-account admins with MFA, a partner account with an
/// external id, CI through GitHub OIDC.
fn trust(i: usize) -> Value {
    let pool = POOLS[i % 2];
    let statement = match i % 10 {
        0 | 1 => json!({
            "Effect": "Allow",
            "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"],
            "Condition": {
                "StringEquals": {"cognito-identity.amazonaws.com:aud": pool},
                "ForAnyValue:StringLike": {
                    "cognito-identity.amazonaws.com:amr": if i.is_multiple_of(10) { "authenticated" } else { "unauthenticated" }
                }
            }
        }),
        2..=6 => json!({
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole"
        }),
        7 => json!({
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")},
            "Action": "sts:AssumeRole",
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
        }),
        8 => json!({
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{PARTNER}:root")},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": format!("partner-{i}")}}
        }),
        _ => json!({
            "Effect": "Allow",
            "Principal": {"Federated": format!("arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com")},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                "StringLike": {"token.actions.githubusercontent.com:sub": format!("repo:example/app-{i}:*")}
            }
        }),
    };
    json!({"Version": "2012-10-17", "Statement": [statement]})
}

/// One to three inline policies of two to six statements: per-identity S3
/// and DynamoDB, logs, queues; admins and deployers may assume other roles.
fn inline_policies(i: usize, rng: &mut Lcg, roles: usize) -> Vec<Value> {
    let bucket = format!("bench-data-{}", i % 37);
    let table = format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/bench-{}", i % 23);
    let mut statements = vec![
        json!({
            "Sid": "OwnObjects",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            "Resource": format!("arn:aws:s3:::{bucket}/private/${{cognito-identity.amazonaws.com:sub}}/*")
        }),
        json!({
            "Sid": "ListOwnPrefix",
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": format!("arn:aws:s3:::{bucket}"),
            "Condition": {"StringLike": {"s3:prefix": ["public/", "private/${cognito-identity.amazonaws.com:sub}/*"]}}
        }),
        json!({
            "Sid": "OwnItems",
            "Effect": "Allow",
            "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"],
            "Resource": [table.clone(), format!("{table}/index/*")],
            "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": "${cognito-identity.amazonaws.com:sub}"}}
        }),
        json!({
            "Sid": "Logs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/{}:*", role_name(i))
        }),
        json!({
            "Sid": "Queue",
            "Effect": "Allow",
            "Action": ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"],
            "Resource": format!("arn:aws:sqs:{REGION}:{ACCOUNT}:bench-queue-{}", i % 11)
        }),
        json!({
            "Sid": "NoDeleteTables",
            "Effect": "Deny",
            "Action": "dynamodb:DeleteTable",
            "Resource": "*"
        }),
    ];
    if i % 10 == 7 || i % 10 == 9 {
        // Admins and deployers assume a few roles (some chains).
        let targets: Vec<String> = (0..3).map(|_| role_arn(rng.below(roles))).collect();
        statements.push(json!({
            "Sid": "AssumeSome",
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Resource": targets
        }));
    }
    // Escalation material (a tenth of the Cognito roles, a tenth of the
    // admins): each step kind the catalogue knows, on a nearby role or
    // function, so routes gain escalation edges as real accounts do.
    let lambda_role = role_arn(i + 2 - i % 10);
    let function = function_arn(i + 2 - i % 10);
    match i % 40 {
        0 => {
            statements.push(json!({
                "Sid": "PassOwnFunctionRole",
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": lambda_role,
                "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}
            }));
            statements.push(json!({
                "Sid": "CreateOwnFunctions",
                "Effect": "Allow",
                "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"],
                "Resource": format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:app-{i:04}-*")
            }));
        }
        1 | 10 => statements.push(json!({
            "Sid": "DeployFunctionCode",
            "Effect": "Allow",
            "Action": "lambda:UpdateFunctionCode",
            "Resource": function
        })),
        20 => statements.push(json!({
            "Sid": "TuneOwnRole",
            "Effect": "Allow",
            "Action": "iam:PutRolePolicy",
            "Resource": role_arn(i)
        })),
        27 => statements.push(json!({
            "Sid": "RepairTrust",
            "Effect": "Allow",
            "Action": "iam:UpdateAssumeRolePolicy",
            "Resource": lambda_role
        })),
        _ => {}
    }
    let policies = 1 + rng.below(3);
    let per = statements.len().div_ceil(policies);
    statements
        .chunks(per)
        .enumerate()
        .map(|(k, chunk)| {
            json!({
                "PolicyName": format!("{}-inline-{k}", role_name(i)),
                "PolicyDocument": {"Version": "2012-10-17", "Statement": chunk}
            })
        })
        .collect()
}

fn account_details(rng: &mut Lcg, roles: usize) -> Value {
    let role_list: Vec<Value> = (0..roles)
        .map(|i| {
            let attached: Vec<Value> = (0..1 + rng.below(2))
                .map(|_| {
                    let m = rng.below(MANAGED);
                    json!({"PolicyName": format!("shared-{m:03}"), "PolicyArn": managed_arn(m)})
                })
                .collect();
            let mut role = json!({
                "Path": "/",
                "RoleName": role_name(i),
                "RoleId": format!("AROABENCH{i:011}"),
                "Arn": role_arn(i),
                "CreateDate": "2024-01-15T10:30:00+00:00",
                "AssumeRolePolicyDocument": trust(i),
                "InstanceProfileList": [],
                "RolePolicyList": inline_policies(i, rng, roles),
                "AttachedManagedPolicies": attached,
                "Tags": [{"Key": "team", "Value": format!("team-{}", i % 17)}],
                "RoleLastUsed": {}
            });
            if i.is_multiple_of(4) {
                role["PermissionsBoundary"] = json!({
                    "PermissionsBoundaryType": "Policy",
                    "PermissionsBoundaryArn": managed_arn(0)
                });
            }
            role
        })
        .collect();
    let policies: Vec<Value> = (0..MANAGED)
        .map(|m| {
            let service = ["s3", "dynamodb", "sqs", "sns", "kms", "lambda"][m % 6];
            let document = |actions: Value| {
                json!({"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": actions, "Resource": "*"},
                    {"Effect": "Deny", "Action": format!("{service}:Delete*"), "Resource": "*",
                     "Condition": {"StringNotEquals": {"aws:PrincipalTag/team": "platform"}}}
                ]})
            };
            json!({
                "PolicyName": format!("shared-{m:03}"),
                "PolicyId": format!("ANPABENCH{m:011}"),
                "Arn": managed_arn(m),
                "Path": "/",
                "DefaultVersionId": "v2",
                "AttachmentCount": 5,
                "IsAttachable": true,
                "PolicyVersionList": [
                    {"Document": document(json!(format!("{service}:*"))), "VersionId": "v1", "IsDefaultVersion": false},
                    {"Document": document(json!([format!("{service}:Get*"), format!("{service}:List*"), format!("{service}:Describe*")])), "VersionId": "v2", "IsDefaultVersion": true}
                ]
            })
        })
        .collect();
    json!({
        "UserDetailList": [],
        "GroupDetailList": [],
        "RoleDetailList": role_list,
        "Policies": policies
    })
}

fn identity_pool(index: usize) -> Value {
    json!({
        "IdentityPoolId": POOLS[index],
        "IdentityPoolName": format!("bench_pool_{index}"),
        "AllowUnauthenticatedIdentities": true,
        "AllowClassicFlow": index == 1,
        "CognitoIdentityProviders": [{
            "ProviderName": format!("cognito-idp.{REGION}.amazonaws.com/{USER_POOL}"),
            "ClientId": CLIENT,
            "ServerSideTokenCheck": false
        }]
    })
}

fn identity_pool_roles(index: usize, roles: usize) -> Value {
    let rules: Vec<Value> = (0..10)
        .map(|k| {
            json!({
                "Claim": "custom:tier",
                "MatchType": "Equals",
                "Value": format!("tier-{k}"),
                "RoleARN": role_arn((k * 10 + index * 100) % roles)
            })
        })
        .collect();
    json!({
        "IdentityPoolId": POOLS[index],
        "Roles": {
            "authenticated": role_arn((index * 10 + 200) % roles),
            "unauthenticated": role_arn((index * 10 + 201) % roles)
        },
        "RoleMappings": {
            format!("cognito-idp.{REGION}.amazonaws.com/{USER_POOL}:{CLIENT}"): {
                "Type": "Rules",
                "AmbiguousRoleResolution": "AuthenticatedRole",
                "RulesConfiguration": {"Rules": rules}
            }
        }
    })
}

/// The account's files (name, JSON text) with `roles` roles (a multiple
/// of 10, at least 210 keeps every pool's roles distinct).
pub fn generate(roles: usize) -> Vec<(String, String)> {
    let mut rng = Lcg(0x5eed_0001);
    let mut files = vec![(
        "iam.json".to_string(),
        serde_json::to_string_pretty(&account_details(&mut rng, roles)).expect("plain JSON"),
    )];
    files.push((
        "functions.json".to_string(),
        serde_json::to_string_pretty(&functions(roles)).expect("plain JSON"),
    ));
    for index in 0..POOLS.len() {
        files.push((
            format!("identity-pool-{index}.json"),
            serde_json::to_string_pretty(&identity_pool(index)).expect("plain JSON"),
        ));
        files.push((
            format!("identity-pool-roles-{index}.json"),
            serde_json::to_string_pretty(&identity_pool_roles(index, roles)).expect("plain JSON"),
        ));
    }
    files
}
