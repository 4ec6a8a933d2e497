//! CloudFormation templates: the same verdicts as the snapshots they mirror,
//! every intrinsic, unknown values kept sound, YAML spans in diagnostics,
//! and hostile YAML refused cleanly.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{corpus, poolscope, verdict};
use poolscope::diagnostic::{Diagnostic, Severity};
use poolscope::ingest::Inputs;
use poolscope::ingest::cloudformation::Params;
use poolscope::ingest::{InputFile, LoadResult, load_files_with};
use poolscope::model::Inventory;
use poolscope::reach::Verdict;
use poolscope::source::SourceFile;

const BUCKET: &str = "arn:aws:s3:::photosharestorage3f2a9c1b142233-dev";

// The template is corpus/amplify-storage written as one stack: every
// question gets the snapshot's verdict.
#[test]
fn amplify_storage_template_gives_the_snapshot_verdicts() {
    let questions = [
        ["guest", "s3:GetObject", "/protected/{other}/photo.jpg"],
        ["guest", "s3:GetObject", "/private/{other}/photo.jpg"],
        ["guest", "s3:PutObject", "/public/photo.jpg"],
        ["guest", "s3:GetObject", "/public/photo.jpg"],
        ["user", "s3:PutObject", "/private/{self}/photo.jpg"],
        ["user", "s3:GetObject", "/private/{other}/photo.jpg"],
        ["user", "s3:PutObject", "/protected/{other}/photo.jpg"],
        ["user", "s3:DeleteObject", "/uploads/photo.jpg"],
    ];
    let mut seen = Vec::new();
    for [principal, action, key] in questions {
        let resource = format!("{BUCKET}{key}");
        let question = [principal, action, resource.as_str()];
        let snapshot = verdict(corpus("amplify-storage"), &[], question);
        let template = verdict(
            corpus("amplify-storage-cfn"),
            &["AWS::AccountId=111122223333"],
            question,
        );
        assert_eq!(template, snapshot, "{principal} {action} {key}");
        seen.push(snapshot);
    }
    // The questions tell the cases apart: not all one verdict.
    assert!(seen.contains(&Verdict::Possible) && seen.contains(&Verdict::Impossible));
}

#[test]
fn classic_flow_template_gives_the_snapshot_verdicts() {
    let questions = [
        [
            "guest",
            "secretsmanager:GetSecretValue",
            "arn:aws:secretsmanager:us-east-1:555566667777:secret:arcade/leaderboard-api-key-Qm7xT2",
        ],
        [
            "user",
            "s3:PutObject",
            "arn:aws:s3:::arcade-game-assets-555566667777/avatars/{other}/a.png",
        ],
        [
            "guest",
            "dynamodb:PutItem",
            "arn:aws:dynamodb:us-east-1:555566667777:table/arcade-leaderboard",
        ],
        [
            "external",
            "s3:PutObject",
            "arn:aws:s3:::arcade-game-assets-555566667777/saves/x",
        ],
    ];
    for question in questions {
        let snapshot = verdict(corpus("classic-flow"), &[], question);
        let template = verdict(
            corpus("classic-flow-cfn"),
            &["AWS::AccountId=555566667777"],
            question,
        );
        assert_eq!(template, snapshot, "{question:?}");
    }
}

// ---- intrinsics, one template per function ----------------------------

fn load(files: &[(&str, &str)], params: &[&str]) -> LoadResult {
    let inputs: Vec<InputFile> = files
        .iter()
        .map(|(path, text)| InputFile {
            source: SourceFile::new(*path, *text),
            named: true,
        })
        .collect();
    let params: Vec<String> = params.iter().map(|p| p.to_string()).collect();
    let params = Params::parse(&params).expect("valid --param");
    load_files_with(&inputs, &params)
}

fn codes(result: &LoadResult) -> Vec<&'static str> {
    result
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Note)
        .map(|d| d.code)
        .collect()
}

/// The resources every statement of a role's inline policies names.
fn resources_of(inventory: &Inventory, role: &str) -> Vec<String> {
    let role = inventory.role(role).expect("the role is read");
    role.inline_policies
        .iter()
        .flat_map(|p| p.policy.as_ref().expect("a known policy").statements.iter())
        .flat_map(|s| s.resource.as_ref().expect("a Resource").patterns.iter())
        .map(|p| p.value.to_string())
        .collect()
}

/// A YAML template with one role whose inline policy's `Resource` is
/// `resource`, and the extra top-level sections given.
fn role_with_resource(sections: &str, resource: &str) -> String {
    format!(
        "{sections}\nResources:\n  Reader:\n    Type: AWS::IAM::Role\n    Properties:\n      \
         RoleName: reader\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        \
         Statement:\n          - Effect: Allow\n            Principal: {{Service: lambda.amazonaws.com}}\n            \
         Action: sts:AssumeRole\n      Policies:\n        - PolicyName: read\n          \
         PolicyDocument:\n            Version: '2012-10-17'\n            Statement:\n              \
         - Effect: Allow\n                Action: s3:GetObject\n                Resource: {resource}\n"
    )
}

fn evaluated(sections: &str, resource: &str, params: &[&str]) -> (Vec<String>, Vec<&'static str>) {
    let text = role_with_resource(sections, resource);
    let result = load(&[("stack.yaml", &text)], params);
    let codes = codes(&result);
    (resources_of(&result.inventory, "reader"), codes)
}

#[test]
fn ref_reads_parameters_defaults_params_and_pseudo_parameters() {
    let sections = "Parameters:\n  Bucket: {Type: String, Default: photos}\n";
    let (resources, codes) = evaluated(
        sections,
        "!Sub 'arn:${AWS::Partition}:s3:::${Bucket}/${AWS::Region}/${AWS::AccountId}/*'",
        &[],
    );
    assert_eq!(resources, ["arn:aws:s3:::photos/us-east-1/123456789012/*"]);
    assert!(codes.is_empty(), "{codes:?}");
    let (resources, _) = evaluated(
        sections,
        "!Sub 'arn:${AWS::Partition}:s3:::${Bucket}/${AWS::Region}/*'",
        &["Bucket=media", "AWS::Region=cn-north-1"],
    );
    assert_eq!(resources, ["arn:aws-cn:s3:::media/cn-north-1/*"]);
}

#[test]
fn sub_with_variables_join_select_split_and_find_in_map() {
    let sections = "Mappings:\n  Levels:\n    Prefixes: {Private: private}\n";
    let cases = [
        (
            "!Sub ['arn:aws:s3:::${B}/${!aws:username}/*', {B: photos}]",
            "arn:aws:s3:::photos/${aws:username}/*",
        ),
        (
            "!Join ['', ['arn:aws:s3:::', photos, /, !FindInMap [Levels, Prefixes, Private], /*]]",
            "arn:aws:s3:::photos/private/*",
        ),
        (
            "!Select [1, !Split [',', 'arn:aws:s3:::a/*,arn:aws:s3:::b/*']]",
            "arn:aws:s3:::b/*",
        ),
    ];
    for (expression, expected) in cases {
        let (resources, codes) = evaluated(sections, expression, &[]);
        assert_eq!(resources, [expected], "{expression}");
        assert!(codes.is_empty(), "{expression}: {codes:?}");
    }
}

#[test]
fn conditions_choose_branches_and_no_value_removes_items() {
    let sections = "Parameters:\n  Env: {Type: String, Default: prod}\nConditions:\n  \
                    IsProd: !Equals [!Ref Env, prod]\n  IsDev: !Not [!Condition IsProd]\n  \
                    Both: !And [!Condition IsProd, !Or [!Condition IsDev, !Equals [a, a]]]\n";
    let expression = "[!If [IsProd, 'arn:aws:s3:::prod/*', 'arn:aws:s3:::dev/*'], \
                      !If [IsDev, 'arn:aws:s3:::dev-only/*', !Ref AWS::NoValue], \
                      !If [Both, 'arn:aws:s3:::both/*', !Ref AWS::NoValue]]";
    let (resources, codes) = evaluated(sections, expression, &[]);
    assert_eq!(resources, ["arn:aws:s3:::prod/*", "arn:aws:s3:::both/*"]);
    assert!(codes.is_empty(), "{codes:?}");
    let (resources, _) = evaluated(sections, expression, &["Env=dev"]);
    assert_eq!(resources, ["arn:aws:s3:::dev/*", "arn:aws:s3:::dev-only/*"]);
}

#[test]
fn get_att_and_ref_build_ids_as_aws_does() {
    let text = "Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n  Bucket:\n    \
                Type: AWS::S3::Bucket\n    Properties: {BucketName: media}\n  Admin:\n    \
                Type: AWS::IAM::Role\n    Properties:\n      Path: /ops/\n      \
                AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, \
                Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}\n      \
                Policies:\n        - PolicyName: p\n          PolicyDocument:\n            \
                Version: '2012-10-17'\n            Statement:\n              - Effect: Allow\n                \
                Action: '*'\n                Resource: [!GetAtt Bucket.Arn, !GetAtt Pool.Arn, \
                !Sub '${Pool.ProviderName}', !Ref Pool]\n";
    let result = load(&[("app.yaml", text)], &["AWS::AccountId=111122223333"]);
    let role = result
        .inventory
        .roles()
        .first()
        .expect("the role is read")
        .clone();
    // No RoleName: the name AWS generates stays symbolic, the same wherever
    // the role is referenced.
    assert_eq!(
        role.arn,
        "arn:aws:iam::111122223333:role/ops/app-Admin-generated"
    );
    let resources = resources_of(&result.inventory, &role.name);
    assert_eq!(
        resources,
        [
            "arn:aws:s3:::media",
            "arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_app-Pool-generated",
            "cognito-idp.us-east-1.amazonaws.com/us-east-1_app-Pool-generated",
            "us-east-1_app-Pool-generated",
        ]
    );
}

#[test]
fn import_value_finds_exports_of_other_templates() {
    let exporter = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties: \
                    {BucketName: shared-media}\nOutputs:\n  Name:\n    Value: !Ref Bucket\n    \
                    Export: {Name: !Sub '${AWS::StackName}-bucket'}\n";
    let importer = role_with_resource(
        "",
        "!Join ['', ['arn:aws:s3:::', !ImportValue storage-bucket, '/*']]",
    );
    let result = load(
        &[("importer.yaml", &importer), ("storage.yaml", exporter)],
        &[],
    );
    assert_eq!(
        resources_of(&result.inventory, "reader"),
        ["arn:aws:s3:::shared-media/*"]
    );
    assert!(codes(&result).is_empty(), "{:?}", codes(&result));
}

#[test]
fn a_resource_whose_condition_is_false_is_not_created() {
    let text = "Parameters:\n  Legacy: {Type: String, Default: 'no'}\nConditions:\n  \
                KeepLegacy: !Equals [!Ref Legacy, 'yes']\nResources:\n  Old:\n    \
                Type: AWS::IAM::Role\n    Condition: KeepLegacy\n    Properties:\n      \
                RoleName: old\n      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: \
                [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}\n";
    assert!(
        load(&[("s.yaml", text)], &[])
            .inventory
            .role("old")
            .is_none()
    );
    assert!(
        load(&[("s.yaml", text)], &["Legacy=yes"])
            .inventory
            .role("old")
            .is_some()
    );
}

// ---- unknown values ---------------------------------------------------

fn warning<'a>(result: &'a LoadResult, code: &str) -> &'a Diagnostic {
    result
        .diagnostics
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:?}", codes(result)))
}

// A parameter without a value is never guessed: the policy that holds it
// is unknown as a whole, with a warning at the template span.
#[test]
fn a_policy_with_an_unknown_value_is_unknown_as_a_whole() {
    let sections = "Parameters:\n  Bucket: {Type: String}\n";
    let text = role_with_resource(sections, "!Sub 'arn:aws:s3:::${Bucket}/*'");
    let result = load(&[("stack.yaml", &text)], &[]);
    let unknown = warning(&result, "cfn-unknown-value");
    assert_eq!(unknown.severity, Severity::Warning);
    assert!(
        unknown.message.contains("`Ref Bucket`"),
        "{}",
        unknown.message
    );
    let label = unknown.primary.as_ref().expect("located");
    assert_eq!(label.loc.path(), "stack.yaml");
    assert_eq!(label.loc.line_col().0, 22);
    warning(&result, "cfn-unknown-policy");
    let role = result.inventory.role("reader").expect("the role is read");
    assert!(role.inline_policies[0].policy.is_none());
}

fn unknown_role_template(role_arn: &str) -> String {
    format!(
        "Parameters:\n  GuestRoleArn: {{Type: String}}\nResources:\n  Pool:\n    \
         Type: AWS::Cognito::IdentityPool\n    Properties: {{IdentityPoolName: p, \
         AllowUnauthenticatedIdentities: true, AllowClassicFlow: false}}\n  Roles:\n    \
         Type: AWS::Cognito::IdentityPoolRoleAttachment\n    Properties:\n      \
         IdentityPoolId: !Ref Pool\n      Roles: {{unauthenticated: {role_arn}}}\n  Guest:\n    \
         Type: AWS::IAM::Role\n    Properties:\n      RoleName: guest\n      \
         AssumeRolePolicyDocument: {{Version: '2012-10-17', Statement: [{{Effect: Allow, \
         Principal: {{Federated: cognito-identity.amazonaws.com}}, Action: \
         sts:AssumeRoleWithWebIdentity, Condition: {{StringEquals: \
         {{'cognito-identity.amazonaws.com:aud': !Ref Pool}}}}}}]}}\n"
    )
}

// An unknown role ARN makes the route's role unknown: "impossible" with the
// known role becomes "possible" or "unknown", never the reverse.
#[test]
fn an_unknown_role_arn_never_turns_possible_into_impossible() {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cfn-unknown-role");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("writable");
    let known = scratch.join("known.yaml");
    let unknown = scratch.join("unknown.yaml");
    std::fs::write(&known, unknown_role_template("!GetAtt Guest.Arn")).expect("writable");
    std::fs::write(&unknown, unknown_role_template("!Ref GuestRoleArn")).expect("writable");
    let question = ["guest", "s3:GetObject", "arn:aws:s3:::private/x"];
    assert_eq!(verdict(known, &[], question), Verdict::Impossible);
    assert_ne!(verdict(unknown, &[], question), Verdict::Impossible);
}

#[test]
fn an_unknown_bucket_policy_stands_in_as_allowing_everything() {
    let text = "Parameters:\n  Reader: {Type: String}\nResources:\n  Policy:\n    \
                Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: media\n      \
                PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          \
                - Effect: Allow\n            Principal: {AWS: !Ref Reader}\n            \
                Action: s3:GetObject\n            Resource: arn:aws:s3:::media/*\n";
    let result = load(&[("b.yaml", text)], &[]);
    warning(&result, "cfn-unknown-policy");
    let policy = &result
        .inventory
        .bucket_policy("media")
        .expect("kept")
        .policy;
    assert!(policy.statements[0].principal.is_some());
    assert!(policy.name.contains("media"));
}

// ---- YAML in diagnostics and hostile files ----------------------------

#[test]
fn policy_problems_in_yaml_point_at_the_yaml_line() {
    let text = role_with_resource("", "arn:aws:s3:::a/*").replace(
        "Effect: Allow\n                Action: s3:GetObject",
        "Effect: Alow\n                Action: s3:GetObject",
    );
    let result = load(&[("stack.yaml", &text)], &[]);
    let error = warning(&result, "policy-invalid-effect");
    let label = error.primary.as_ref().expect("located");
    assert_eq!(label.loc.path(), "stack.yaml");
    assert_eq!(label.loc.line_col(), (18, 25));
    assert_eq!(label.loc.snippet(), "Alow");
}

fn run_on(name: &str, text: &str) -> (i32, String, Duration) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cfn-hostile");
    std::fs::create_dir_all(&dir).expect("writable");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("writable");
    let started = Instant::now();
    let run = poolscope("graph", &[path.to_str().expect("UTF-8 path")]);
    // A refused file prints no graph.
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    (run.code, run.stderr, started.elapsed())
}

#[test]
fn an_alias_bomb_fails_cleanly_and_quickly() {
    let mut text = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for level in 1..15 {
        let refs = vec![format!("*a{}", level - 1); 10].join(", ");
        text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
    }
    let (code, stderr, elapsed) = run_on("bomb.yaml", &text);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("yaml-alias-limit"), "{stderr}");
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
}

#[test]
fn ten_thousand_deep_nesting_fails_cleanly_and_quickly() {
    let text = format!("Resources: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let (code, stderr, elapsed) = run_on("deep.yaml", &text);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("yaml-"), "{stderr}");
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
    let json = format!(
        "{{\"Resources\": {}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let (code, stderr, _) = run_on("deep.json", &json);
    assert_eq!(code, 2, "{stderr}");
}

// ---- nested stacks: several templates, one model ----------------------

// corpus/amplify-storage-nested: Amplify's root stack and its auth and
// storage stacks give the snapshot's verdicts.
#[test]
fn amplify_nested_stacks_give_the_snapshot_verdicts() {
    let questions = [
        ["guest", "s3:GetObject", "/protected/{other}/photo.jpg"],
        ["guest", "s3:GetObject", "/private/{other}/photo.jpg"],
        ["guest", "s3:PutObject", "/public/photo.jpg"],
        ["guest", "s3:GetObject", "/public/photo.jpg"],
        ["user", "s3:PutObject", "/private/{self}/photo.jpg"],
        ["user", "s3:GetObject", "/private/{other}/photo.jpg"],
        ["user", "s3:PutObject", "/protected/{other}/photo.jpg"],
        ["user", "s3:DeleteObject", "/uploads/photo.jpg"],
    ];
    for [principal, action, key] in questions {
        let resource = format!("{BUCKET}{key}");
        let question = [principal, action, resource.as_str()];
        let snapshot = verdict(corpus("amplify-storage"), &[], question);
        let nested = verdict(
            corpus("amplify-storage-nested"),
            &[
                "AWS::AccountId=111122223333",
                "AWS::StackName=amplify-photoshare-dev-142233",
            ],
            question,
        );
        assert_eq!(nested, snapshot, "{principal} {action} {key}");
    }
    let result = Inputs {
        params: vec!["AWS::AccountId=111122223333".to_string()],
        ..Inputs::paths([corpus("amplify-storage-nested")])
    }
    .load();
    // The storage stack's policies attach to the root stack's roles.
    let auth = result
        .inventory
        .role("amplify-photoshare-dev-142233-authRole")
        .expect("the root stack's role");
    assert_eq!(auth.inline_policies.len(), 5);
    // Amplify's custom resource rewrites the roles' trust: unknown.
    assert!(auth.trust_policy.is_none());
    let custom = codes(&result)
        .into_iter()
        .filter(|c| *c == "cfn-custom-resource-role")
        .count();
    assert_eq!(custom, 2, "{:?}", codes(&result));
    assert!(!codes(&result).contains(&"cfn-nested-template-missing"));

    // Without the root's real name, the storage stack's bucket name (built
    // from a part of its stack name) is unknown, never a wrong known name:
    // what the snapshot allows stays possible.
    let own_folder = verdict(
        corpus("amplify-storage-nested"),
        &["AWS::AccountId=111122223333"],
        [
            "user",
            "s3:PutObject",
            &format!("{BUCKET}/private/{{self}}/photo.jpg"),
        ],
    );
    assert_eq!(own_folder, Verdict::Possible);
}

const PARENT: &str = "Resources:
  Media:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://s3.amazonaws.com/deploy-bucket/templates/media/child.yaml
      Parameters:
        Prefix: photos
  Reader:
    Type: AWS::IAM::Role
    Properties:
      RoleName: reader
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: read
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: !Sub '${Media.Outputs.BucketArn}/*'
";

const CHILD: &str = "Parameters:
  Prefix: {Type: String}
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub '${Prefix}-${AWS::StackName}'
  Writer:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
Outputs:
  BucketArn:
    Value: !GetAtt Bucket.Arn
";

// docs/inputs-iac.md, "Nested stacks": the child gets the parameters the
// parent passes and a name built from the parent's; the parent reads its
// outputs.
#[test]
fn a_nested_stack_takes_parameters_and_gives_outputs() {
    let result = load(
        &[
            ("app/parent.yaml", PARENT),
            ("app/media/child.yaml", CHILD),
            // Same file name, fewer folders in common with the URL.
            (
                "other/child.yaml",
                "Resources:\n  X: {Type: AWS::S3::Bucket}\n",
            ),
        ],
        &[],
    );
    assert!(codes(&result).is_empty(), "{:?}", result.diagnostics);
    assert_eq!(
        resources_of(&result.inventory, "reader"),
        ["arn:aws:s3:::photos-parent-Media-generated/*"]
    );
    // Read once, as the parent's child: its role is named after that stack.
    let roles: Vec<_> = result
        .inventory
        .roles()
        .iter()
        .map(|r| r.name.clone())
        .collect();
    assert!(
        roles.contains(&"parent-Media-generated-Writer-generated".to_string()),
        "{roles:?}"
    );
    assert_eq!(roles.len(), 2, "{roles:?}");
}

// A nested stack whose template is not loaded: its outputs are unknown,
// so the policy that uses one stands in as allowing everything.
#[test]
fn an_unmatched_template_url_leaves_the_outputs_unknown() {
    let result = load(&[("app/parent.yaml", PARENT)], &[]);
    let codes = codes(&result);
    assert!(codes.contains(&"cfn-nested-template-missing"), "{codes:?}");
    assert!(codes.contains(&"cfn-unknown-policy"), "{codes:?}");
    let reader = result.inventory.role("reader").expect("the role is read");
    assert!(reader.inline_policies[0].policy.is_none());

    // Two equally good matches are not guessed between.
    let result = load(
        &[
            ("app/parent.yaml", PARENT),
            ("a/media/child.yaml", CHILD),
            ("b/media/child.yaml", CHILD),
        ],
        &[],
    );
    let missing = result
        .diagnostics
        .iter()
        .find(|d| d.code == "cfn-nested-template-missing")
        .expect("ambiguity is reported");
    assert!(
        missing.message.contains("several inputs"),
        "{}",
        missing.message
    );
}

// `aws cloudformation package` reads local paths in `TemplateURL`,
// relative to the parent.
#[test]
fn a_relative_template_url_is_a_path_from_the_parent() {
    let parent = PARENT.replace(
        "https://s3.amazonaws.com/deploy-bucket/templates/media/child.yaml",
        "./media/child.yaml",
    );
    let result = load(
        &[
            ("app/parent.yaml", &parent),
            ("app/media/child.yaml", CHILD),
            ("elsewhere/media/child.yaml", CHILD),
        ],
        &[],
    );
    // `elsewhere/` is a stack of its own, without its parameter.
    assert_eq!(
        codes(&result),
        ["cfn-unknown-value"],
        "{:?}",
        result.diagnostics
    );
    assert_eq!(
        resources_of(&result.inventory, "reader"),
        ["arn:aws:s3:::photos-parent-Media-generated/*"]
    );
}

// corpus/photoshare-cdk: `cdk synth` output of the real aws-cdk-lib, read
// end to end with its manifest: stack name and account from the manifest,
// the nested stack found through the asset manifest.
#[test]
fn cdk_synth_output_is_read_with_its_manifest() {
    let result = Inputs::paths([corpus("photoshare-cdk")]).load();
    let codes = codes(&result);
    assert!(codes.is_empty(), "{:?}", result.diagnostics);
    let notes: Vec<_> = result.diagnostics.iter().map(|d| d.code).collect();
    assert!(!notes.contains(&"cfn-assumed-account"), "{notes:?}");
    // The nested stack's policy attaches to the parent's role, named by
    // the stack name the manifest gives.
    let auth = result
        .inventory
        .role("PhotoshareCdk-IdentitiesAuthenticatedRoleB7BB6C89-generated")
        .expect("the parent's role");
    assert_eq!(
        auth.arn,
        "arn:aws:iam::111122223333:role/PhotoshareCdk-IdentitiesAuthenticatedRoleB7BB6C89-generated"
    );
    assert!(
        auth.inline_policies
            .iter()
            .any(|p| p.name.starts_with("OwnFolder") && p.policy.is_some()),
        "{:?}",
        auth.inline_policies
            .iter()
            .map(|p| &p.name)
            .collect::<Vec<_>>()
    );
    let bucket = "arn:aws:s3:::photoshare-cdk-photos-111122223333";
    let guest_public = verdict(
        corpus("photoshare-cdk"),
        &[],
        ["guest", "s3:GetObject", &format!("{bucket}/public/a.jpg")],
    );
    assert_eq!(guest_public, Verdict::Possible);
    let other_private = verdict(
        corpus("photoshare-cdk"),
        &[],
        [
            "user",
            "s3:GetObject",
            &format!("{bucket}/private/{{other}}/a.jpg"),
        ],
    );
    assert_eq!(other_private, Verdict::Impossible);
}

// ---- SAM policy templates and the computed intrinsics ------------------

const SAM: &str = "Transform: AWS::Serverless-2016-10-31
Parameters:
  TableName: {Type: String}
Resources:
  Photos:
    Type: AWS::S3::Bucket
    Properties: {BucketName: photos}
  Resize:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      Policies:
        - S3ReadPolicy: {BucketName: !Ref Photos}
        - SQSSendMessagePolicy: {QueueName: jobs}
        - DynamoDBCrudPolicy: {TableName: !Ref TableName}
        - RekognitionLabelsPolicy: {}
";

// AWS SAM Developer Guide, "AWS SAM policy template list": the common
// templates expand to their statements; a template with an unknown
// parameter, or one poolscope does not know, may allow anything.
#[test]
fn sam_policy_templates_expand_to_their_documented_statements() {
    let result = load(&[("app.yaml", SAM)], &["AWS::AccountId=111122223333"]);
    let role = result
        .inventory
        .role("app-ResizeRole-generated")
        .expect("SAM's role");
    let known: Vec<_> = role
        .inline_policies
        .iter()
        .filter_map(|p| p.policy.as_ref())
        .flat_map(|p| p.statements.iter())
        .flat_map(|s| s.resource.as_ref().expect("a Resource").patterns.iter())
        .map(|p| p.value.to_string())
        .collect();
    assert_eq!(
        known,
        [
            "arn:aws:s3:::photos",
            "arn:aws:s3:::photos/*",
            "arn:aws:sqs:us-east-1:111122223333:jobs"
        ]
    );
    // DynamoDBCrudPolicy (its table is an unknown parameter) and
    // RekognitionLabelsPolicy (not expanded) stand in as unknown.
    assert_eq!(
        role.inline_policies
            .iter()
            .filter(|p| p.policy.is_none())
            .count(),
        2
    );
    let reasons: Vec<_> = result
        .diagnostics
        .iter()
        .filter(|d| d.code == "cfn-unknown-value")
        .filter_map(|d| d.help.clone())
        .collect();
    assert!(
        reasons.iter().any(
            |h| h.contains("does not expand the SAM policy template `RekognitionLabelsPolicy`")
        ),
        "{reasons:?}"
    );
}

#[test]
fn base64_cidr_length_and_to_json_string_are_computed() {
    let cases = [
        (
            "!Join ['', ['arn:aws:s3:::', !Base64 abc, '/*']]",
            "arn:aws:s3:::YWJj/*",
        ),
        (
            "!Join ['', ['arn:aws:s3:::', !Select [1, !Cidr ['10.0.0.0/16', 4, 8]], '/*']]",
            "arn:aws:s3:::10.0.1.0/24/*",
        ),
        (
            "!Join ['', ['arn:aws:s3:::b', !Length [x, y, z], '/*']]",
            "arn:aws:s3:::b3/*",
        ),
        (
            "!Join ['', ['arn:aws:s3:::b/', {'Fn::ToJsonString': {k: v}}]]",
            "arn:aws:s3:::b/{\"k\":\"v\"}",
        ),
    ];
    for (resource, expected) in cases {
        let (resources, codes) = evaluated("", resource, &[]);
        assert_eq!(resources, [expected], "{resource}");
        assert!(codes.is_empty(), "{resource}: {codes:?}");
    }
    // The zones an account sees are the account's: unknown.
    let text = role_with_resource(
        "",
        "!Join ['', ['arn:aws:s3:::b/', !Select [0, !GetAZs '']]]",
    );
    let result = load(&[("stack.yaml", &text)], &[]);
    let codes = codes(&result);
    assert!(codes.contains(&"cfn-unknown-value"), "{codes:?}");
    assert!(codes.contains(&"cfn-unknown-policy"), "{codes:?}");
}

// `cdk synth` run by the CDK CLI records a nested stack's template file in
// the resource's `aws:asset:path` metadata, next to the parent.
#[test]
fn a_cdk_nested_stack_is_found_by_its_asset_path() {
    let parent = PARENT
        .replace(
            "https://s3.amazonaws.com/deploy-bucket/templates/media/child.yaml",
            "https://s3.us-east-1.amazonaws.com/cdk-hnb659fds-assets-1-us-east-1/0f3c.json",
        )
        .replace(
            "    Type: AWS::CloudFormation::Stack\n",
            "    Type: AWS::CloudFormation::Stack\n    Metadata:\n      aws:asset:path: AppMedia1234.nested.template.json\n      aws:asset:property: TemplateURL\n",
        );
    let result = load(
        &[
            ("cdk.out/App.template.yaml", &parent),
            ("cdk.out/AppMedia1234.nested.template.json", CHILD_JSON),
        ],
        &[],
    );
    assert!(codes(&result).is_empty(), "{:?}", result.diagnostics);
    assert_eq!(
        resources_of(&result.inventory, "reader"),
        ["arn:aws:s3:::photos-App.template-Media-generated/*"]
    );
}

/// The child template of the nested-stack tests, in JSON, as the CDK
/// writes it.
const CHILD_JSON: &str = r#"{"Parameters": {"Prefix": {"Type": "String"}},
 "Resources": {"Bucket": {"Type": "AWS::S3::Bucket",
   "Properties": {"BucketName": {"Fn::Sub": "${Prefix}-${AWS::StackName}"}}}},
 "Outputs": {"BucketArn": {"Value": {"Fn::GetAtt": ["Bucket", "Arn"]}}}}"#;

// A list property set from a parameter without a value is a list with one
// unknown item, not a string of the wrong type; and picking a part of the
// stack name poolscope guessed is unknown rather than an error (Amplify's
// storage stack does it on its own, without its root).
#[test]
fn unknown_lists_and_parts_of_a_guessed_stack_name_are_unknown_not_errors() {
    let text = "Parameters:
  Verified: {Type: CommaDelimitedList}
Resources:
  Users:
    Type: AWS::Cognito::UserPool
    Properties:
      AutoVerifiedAttributes: !Ref Verified
      UserPoolName: !Select [3, !Split ['-', !Ref 'AWS::StackName']]
";
    let result = load(&[("app.yaml", text)], &[]);
    let errors: Vec<_> = result.errors().map(|d| d.message.clone()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert!(codes(&result).contains(&"cfn-unknown-value"));
    // With the stack's real name, the part is known.
    let result = load(
        &[("app.yaml", text)],
        &[
            "Verified=email",
            "AWS::StackName=amplify-app-dev-123456-storage",
        ],
    );
    assert!(codes(&result).is_empty(), "{:?}", result.diagnostics);
}

// A role mapping whose provider the inputs do not determine applies to one
// provider of the pool without a mapping, or to none: it is applied to each
// such provider, keeping the default authenticated role, so neither its
// rules' roles nor the default role are lost (rules-on-groups-cfn with the
// key imported from a stack that is not loaded, and `Deny` on no match).
#[test]
fn a_role_mapping_with_an_unknown_provider_keeps_both_outcomes() {
    let text = std::fs::read_to_string(corpus("rules-on-groups-cfn").join("corp-portal.yaml"))
        .expect("the corpus template")
        .replace(
            "IdentityProvider: !Join [':', [!GetAtt UserPool.ProviderName, !Ref WebClient]]",
            "IdentityProvider: !ImportValue portal-provider-key",
        )
        .replace(
            "AmbiguousRoleResolution: AuthenticatedRole",
            "AmbiguousRoleResolution: Deny",
        );
    let dir = std::env::temp_dir().join(format!("poolscope-unknown-key-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    std::fs::write(dir.join("corp-portal.yaml"), &text).expect("written");
    let params = ["AWS::AccountId=222233334444"];
    let premium = verdict(
        dir.clone(),
        &params,
        [
            "user",
            "s3:GetObject",
            "arn:aws:s3:::corp-portal-content-222233334444/premium/pricing-2024.pdf",
        ],
    );
    let public = verdict(
        dir.clone(),
        &params,
        [
            "user",
            "s3:GetObject",
            "arn:aws:s3:::corp-portal-content-222233334444/public/index.html",
        ],
    );
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(premium, Verdict::Possible);
    assert_eq!(public, Verdict::Possible);
}
