//! Loading a generated 5,000-resource CloudFormation template (YAML), and
//! a generated 5,000-resource Terraform plan (`terraform show -json`).
//!
//! The template has 1,000 units of five resources each: an IAM role (trust
//! policy with `!Ref` of an identity pool, an inline policy with `!Sub`),
//! an `AWS::IAM::Policy` attached to it by `!Ref`, an S3 bucket, its bucket
//! policy (`!GetAtt`, `!Join`), and one Cognito resource in turn (identity
//! pool, user pool, app client, role attachment, group). It is written to a
//! temporary file and loaded the way the CLI does (`ingest::load_inputs`:
//! read, YAML parse, intrinsics, model, link checks), then from memory
//! (`ingest::load_files`).
//!
//! The plan has 1,000 units of five resources created from nothing: an
//! `aws_iam_role` (trust policy and inline policy as JSON strings), an
//! `aws_iam_role_policy` on it, an `aws_s3_bucket`, its
//! `aws_s3_bucket_policy`, and one Cognito resource in turn (identity pool,
//! user pool, app client, roles attachment, group); every id and ARN is
//! known only after apply and linked through the `configuration`
//! references, as a real plan is.
//!
//! Run: `cargo bench --bench template_load` (optionally `-- <runs>`,
//! default 5). A plain binary without a harness: one line per figure.

use std::fmt::Write;
use std::hint::black_box;
use std::time::{Duration, Instant};

use poolscope::ingest::{InputFile, load_files, load_inputs};
use poolscope::source::SourceFile;

/// Units of five resources each.
const UNITS: usize = 1_000;

fn generate(units: usize) -> String {
    let mut t = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Env:\n    Type: String\n    \
         Default: dev\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:\n",
    );
    for i in 0..units {
        let pool = format!("Pool{}", i - i % 5);
        let _ = write!(
            t,
            "  Role{i}:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: !Sub 'app-${{Env}}-role-{i}'\n      \
             AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          \
             - Effect: Allow\n            Principal: {{Federated: cognito-identity.amazonaws.com}}\n            \
             Action: sts:AssumeRoleWithWebIdentity\n            Condition:\n              \
             StringEquals: {{'cognito-identity.amazonaws.com:aud': !Ref {pool}}}\n              \
             'ForAnyValue:StringLike': {{'cognito-identity.amazonaws.com:amr': authenticated}}\n      \
             Policies:\n        - PolicyName: own-prefix\n          PolicyDocument:\n            \
             Version: '2012-10-17'\n            Statement:\n              - Effect: Allow\n                \
             Action: [s3:GetObject, s3:PutObject]\n                \
             Resource: !Sub '${{Bucket{i}.Arn}}/private/${{!cognito-identity.amazonaws.com:sub}}/*'\n  \
             Policy{i}:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyName: list-{i}\n      \
             Roles: [!Ref Role{i}]\n      PolicyDocument:\n        Version: '2012-10-17'\n        \
             Statement:\n          - Effect: Allow\n            Action: s3:ListBucket\n            \
             Resource: !If [IsProd, !GetAtt Bucket{i}.Arn, !Join ['', ['arn:aws:s3:::', !Ref Bucket{i}]]]\n  \
             Bucket{i}:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub 'app-${{Env}}-bucket-{i}'\n  \
             BucketPolicy{i}:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref Bucket{i}\n      \
             PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          \
             - Effect: Deny\n            Principal: '*'\n            Action: 's3:*'\n            \
             Resource: [!GetAtt Bucket{i}.Arn, !Join ['', [!GetAtt Bucket{i}.Arn, '/*']]]\n            \
             Condition: {{Bool: {{'aws:SecureTransport': 'false'}}}}\n"
        );
        let cognito = match i % 5 {
            0 => format!(
                "  Pool{i}:\n    Type: AWS::Cognito::IdentityPool\n    Properties:\n      \
                 IdentityPoolName: !Sub 'pool_{i}_${{Env}}'\n      AllowUnauthenticatedIdentities: true\n      \
                 AllowClassicFlow: false\n      CognitoIdentityProviders:\n        \
                 - ClientId: !Ref Client{}\n          ProviderName: !GetAtt UserPool{}.ProviderName\n",
                i + 2,
                i + 1
            ),
            1 => format!(
                "  UserPool{i}:\n    Type: AWS::Cognito::UserPool\n    Properties:\n      \
                 UserPoolName: !Sub 'users-{i}-${{Env}}'\n      AutoVerifiedAttributes: [email]\n      \
                 AdminCreateUserConfig: {{AllowAdminCreateUserOnly: false}}\n      \
                 Schema: [{{Name: tier, AttributeDataType: String, Mutable: true}}]\n"
            ),
            2 => format!(
                "  Client{i}:\n    Type: AWS::Cognito::UserPoolClient\n    Properties:\n      \
                 UserPoolId: !Ref UserPool{}\n      ReadAttributes: [email, email_verified, custom:tier]\n",
                i - 1
            ),
            3 => format!(
                "  Attachment{i}:\n    Type: AWS::Cognito::IdentityPoolRoleAttachment\n    Properties:\n      \
                 IdentityPoolId: !Ref Pool{}\n      Roles:\n        authenticated: !GetAtt Role{}.Arn\n        \
                 unauthenticated: !GetAtt Role{i}.Arn\n",
                i - 3,
                i - 3
            ),
            _ => format!(
                "  Group{i}:\n    Type: AWS::Cognito::UserPoolGroup\n    Properties:\n      \
                 GroupName: admins-{i}\n      UserPoolId: !Ref UserPool{}\n      \
                 RoleArn: !GetAtt Role{i}.Arn\n      Precedence: 1\n",
                i - 3
            ),
        };
        t.push_str(&cognito);
    }
    t
}

/// A `terraform show -json` plan creating `units` units of five resources.
fn generate_plan(units: usize) -> String {
    let mut planned = Vec::with_capacity(units * 5);
    let mut changes = Vec::with_capacity(units * 5);
    let mut config = Vec::with_capacity(units * 5);
    let mut add = |address: String, values: String, unknown: &str, expressions: String| {
        let (kind, name) = address.split_once('.').expect("TYPE.NAME");
        planned.push(format!(
            r#"{{"address":"{address}","mode":"managed","type":"{kind}","name":"{name}","values":{values}}}"#
        ));
        changes.push(format!(
            r#"{{"address":"{address}","change":{{"actions":["create"],"after_unknown":{unknown}}}}}"#
        ));
        config.push(format!(
            r#"{{"address":"{address}","mode":"managed","type":"{kind}","name":"{name}","expressions":{expressions}}}"#
        ));
    };
    let refs = |target: &str| {
        let resource = target.rsplit_once('.').map_or(target, |(r, _)| r);
        format!(r#"{{"references":["{target}","{resource}"]}}"#)
    };
    for i in 0..units {
        let pool = i - i % 5;
        let trust = format!(
            r#"{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":{{\"Federated\":\"cognito-identity.amazonaws.com\"}},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{{\"StringEquals\":{{\"cognito-identity.amazonaws.com:aud\":\"us-east-1:pool-{pool}\"}}}}}}]}}"#
        );
        let own = format!(
            r#"{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"arn:aws:s3:::app-bucket-{i}/private/${{cognito-identity.amazonaws.com:sub}}/*\"}}]}}"#
        );
        let list = format!(
            r#"{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::app-bucket-{i}\"}}]}}"#
        );
        let deny = format!(
            r#"{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::app-bucket-{i}\",\"arn:aws:s3:::app-bucket-{i}/*\"],\"Condition\":{{\"Bool\":{{\"aws:SecureTransport\":\"false\"}}}}}}]}}"#
        );
        add(
            format!("aws_iam_role.role_{i}"),
            format!(
                r#"{{"name":"app-role-{i}","path":"/","assume_role_policy":"{trust}","inline_policy":[{{"name":"own-prefix","policy":"{own}"}}],"managed_policy_arns":[],"permissions_boundary":null,"tags":{{}}}}"#
            ),
            r#"{"arn":true,"id":true,"unique_id":true,"create_date":true,"tags_all":true}"#,
            "{}".to_string(),
        );
        add(
            format!("aws_iam_role_policy.list_{i}"),
            format!(r#"{{"name":"list-{i}","role":"app-role-{i}","policy":"{list}"}}"#),
            r#"{"id":true}"#,
            format!(
                r#"{{"role":{}}}"#,
                refs(&format!("aws_iam_role.role_{i}.name"))
            ),
        );
        add(
            format!("aws_s3_bucket.bucket_{i}"),
            format!(r#"{{"bucket":"app-bucket-{i}","tags":{{}}}}"#),
            r#"{"arn":true,"id":true}"#,
            "{}".to_string(),
        );
        add(
            format!("aws_s3_bucket_policy.bucket_{i}"),
            format!(r#"{{"bucket":"app-bucket-{i}","policy":"{deny}"}}"#),
            r#"{"id":true}"#,
            "{}".to_string(),
        );
        match i % 5 {
            0 => add(
                format!("aws_cognito_identity_pool.pool_{i}"),
                format!(
                    r#"{{"identity_pool_name":"pool_{i}","allow_unauthenticated_identities":true,"allow_classic_flow":false,"cognito_identity_providers":[{{"server_side_token_check":false}}],"supported_login_providers":{{}},"openid_connect_provider_arns":[],"saml_provider_arns":[]}}"#
                ),
                r#"{"id":true,"arn":true,"cognito_identity_providers":[{"client_id":true,"provider_name":true}]}"#,
                format!(
                    r#"{{"cognito_identity_providers":[{{"client_id":{},"provider_name":{}}}]}}"#,
                    refs(&format!("aws_cognito_user_pool_client.client_{}.id", i + 2)),
                    refs(&format!("aws_cognito_user_pool.users_{}.endpoint", i + 1))
                ),
            ),
            1 => add(
                format!("aws_cognito_user_pool.users_{i}"),
                format!(
                    r#"{{"name":"users-{i}","auto_verified_attributes":["email"],"admin_create_user_config":[{{"allow_admin_create_user_only":false}}],"schema":[{{"name":"tier","attribute_data_type":"String","mutable":true}}]}}"#
                ),
                r#"{"id":true,"arn":true,"endpoint":true}"#,
                "{}".to_string(),
            ),
            2 => add(
                format!("aws_cognito_user_pool_client.client_{i}"),
                format!(
                    r#"{{"name":"client-{i}","read_attributes":["email","email_verified","custom:tier"],"write_attributes":[]}}"#
                ),
                r#"{"id":true,"user_pool_id":true}"#,
                format!(
                    r#"{{"user_pool_id":{}}}"#,
                    refs(&format!("aws_cognito_user_pool.users_{}.id", i - 1))
                ),
            ),
            3 => add(
                format!("aws_cognito_identity_pool_roles_attachment.roles_{i}"),
                r#"{"role_mapping":[]}"#.to_string(),
                r#"{"id":true,"identity_pool_id":true,"roles":{"authenticated":true}}"#,
                format!(
                    r#"{{"identity_pool_id":{},"roles":{}}}"#,
                    refs(&format!("aws_cognito_identity_pool.pool_{}.id", i - 3)),
                    refs(&format!("aws_iam_role.role_{}.arn", i - 3))
                ),
            ),
            _ => add(
                format!("aws_cognito_user_group.group_{i}"),
                format!(r#"{{"name":"admins-{i}","precedence":1}}"#),
                r#"{"id":true,"user_pool_id":true,"role_arn":true}"#,
                format!(
                    r#"{{"user_pool_id":{},"role_arn":{}}}"#,
                    refs(&format!("aws_cognito_user_pool.users_{}.id", i - 3)),
                    refs(&format!("aws_iam_role.role_{i}.arn"))
                ),
            ),
        }
    }
    format!(
        r#"{{"format_version":"1.2","terraform_version":"1.9.8",
"planned_values":{{"root_module":{{"resources":[
{}
]}}}},
"resource_changes":[
{}
],
"configuration":{{"provider_config":{{"aws":{{"name":"aws","expressions":{{"region":{{"constant_value":"us-east-1"}}}}}}}},"root_module":{{"resources":[
{}
]}}}}}}
"#,
        planned.join(",\n"),
        changes.join(",\n"),
        config.join(",\n")
    )
}

fn summary(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let n = times.len().max(1);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label}: min {:.1} ms, median {:.1} ms, max {:.1} ms ({n} runs)",
        ms(times[0]),
        ms(times[n / 2]),
        ms(times[n - 1]),
    );
}

fn main() {
    let runs: usize = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(5);
    let text = generate(UNITS);
    let dir = std::env::temp_dir().join("poolscope-template-load");
    std::fs::create_dir_all(&dir).expect("a writable temporary directory");
    let path = dir.join("stack.yaml");
    std::fs::write(&path, &text).expect("a writable temporary directory");
    println!(
        "template: {} resources, {:.1} MiB of YAML",
        UNITS * 5,
        text.len() as f64 / (1024.0 * 1024.0)
    );

    let mut from_disk = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let loaded = black_box(load_inputs(std::slice::from_ref(&path), &[], &[]));
        from_disk.push(start.elapsed());
        assert!(!loaded.input_failed, "the generated template loads");
        assert_eq!(loaded.inventory.roles().len(), UNITS);
        assert_eq!(loaded.inventory.bucket_policies().len(), UNITS);
    }
    summary(
        "load_inputs (read, YAML, intrinsics, model, links)",
        from_disk,
    );

    let source = SourceFile::new("stack.yaml", text);
    let mut in_memory = Vec::new();
    for _ in 0..runs {
        let inputs = [InputFile {
            source: source.clone(),
            named: true,
        }];
        let start = Instant::now();
        black_box(load_files(&inputs));
        in_memory.push(start.elapsed());
    }
    summary("load_files (from memory)", in_memory);

    let plan = generate_plan(UNITS);
    let path = dir.join("plan.json");
    std::fs::write(&path, &plan).expect("a writable temporary directory");
    println!(
        "plan: {} resources, {:.1} MiB of JSON",
        UNITS * 5,
        plan.len() as f64 / (1024.0 * 1024.0)
    );
    let mut plan_times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let loaded = black_box(load_inputs(std::slice::from_ref(&path), &[], &[]));
        plan_times.push(start.elapsed());
        assert!(!loaded.input_failed, "the generated plan loads");
        assert_eq!(loaded.inventory.roles().len(), UNITS);
        assert_eq!(loaded.inventory.bucket_policies().len(), UNITS);
        let warnings = loaded
            .diagnostics
            .iter()
            .filter(|d| d.code == "tf-unknown-value")
            .count();
        assert_eq!(warnings, 0, "every unknown is linked");
    }
    summary(
        "terraform plan: load_inputs (read, JSON, links through the configuration, model)",
        plan_times,
    );
}
