//! Loading a generated 5,000-resource CloudFormation template (YAML).
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
}
