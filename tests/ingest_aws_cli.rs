//! AWS CLI snapshots end to end: files on disk → inventory → role resolution
//! and attacker capabilities. Fixtures in tests/fixtures/aws_cli/ follow the
//! real output shapes of the commands named in docs/cli-inputs.md.

use std::path::{Path, PathBuf};

use poolscope::cognito::{
    CapabilityKind, Claims, CredentialsRequest, Flow, Grant, RoleSource, capabilities, resolve,
};
use poolscope::diagnostic::Severity;
use poolscope::ingest::{InputFile, load_files, load_paths};
use poolscope::model::RoleRef;
use poolscope::source::SourceFile;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

const ACCOUNT: &str = "111122223333";
const USER_POOL: &str = "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI";
const CLIENT: &str = "6jk8ltokc7ac9es6jrtg9q572f";

fn fixtures(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/aws_cli")
        .join(dir)
}

fn role(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{name}")
}

#[test]
fn a_snapshot_directory_loads_into_one_model() {
    let result = load_paths(&[fixtures("photos-app")]);
    assert!(!result.input_failed);
    assert_eq!(
        result.diagnostics,
        Vec::new(),
        "a complete snapshot reads cleanly"
    );
    assert_eq!(result.files_read, 9);
    let inventory = &result.inventory;
    assert_eq!(inventory.roles().len(), 4);
    assert_eq!(inventory.managed_policies().len(), 4);
    assert_eq!(inventory.users().len(), 1);
    assert_eq!(inventory.groups().len(), 1);
    assert_eq!(inventory.bucket_policies().len(), 3);

    let pool = inventory
        .identity_pool("photos_app_identity")
        .expect("found by name");
    assert!(pool.settings_loc.is_some() && pool.roles_loc.is_some());
    assert!(*pool.allow_unauthenticated.value());
    assert!(!*pool.allow_classic_flow.value());
    for arn in pool.role_arns() {
        assert!(inventory.resolve_role(arn).is_known(), "{}", arn.value);
    }

    let user_pool = inventory
        .user_pool("us-east-1_AbCdEfGhI")
        .expect("found by id");
    assert!(user_pool.self_sign_up());
    assert_eq!(user_pool.clients.len(), 1);
    assert_eq!(user_pool.groups.len(), 2);
    assert!(user_pool.auto_verifies("email"));
    let role_attribute = user_pool
        .attribute("custom:role")
        .expect("custom attribute");
    assert!(role_attribute.custom && role_attribute.mutable);

    let user_role = inventory.role("photos-user").expect("role");
    assert_eq!(user_role.account.as_deref(), Some(ACCOUNT));
    assert!(inventory.role_boundary(user_role).is_some());
    assert_eq!(
        user_role.tags,
        vec![("app".to_string(), "photos".to_string())]
    );
}

// IAM API GetAccountAuthorizationDetails: documents are URL-encoded (RFC
// 3986) in the raw API response; the CLI prints them decoded. Both work.
#[test]
fn url_encoded_policy_documents_are_decoded_into_their_own_source() {
    let result = load_paths(&[fixtures("photos-app")]);
    let moderator = result.inventory.role("photos-moderator").expect("role");
    let trust = moderator
        .trust_policy
        .as_ref()
        .expect("decoded trust policy");
    assert_eq!(trust.statements.len(), 1);
    let path = trust.loc.path();
    assert!(
        path.ends_with(
            "account-authorization-details.json#/RoleDetailList/2/AssumeRolePolicyDocument"
        ),
        "{path}"
    );
    let inline = moderator.inline_policies[0]
        .policy
        .as_ref()
        .expect("decoded inline policy");
    assert_eq!(
        inline.statements[0].action.patterns[0].value,
        "rekognition:DetectModerationLabels"
    );
    // the decoded-object form of the CLI
    let guest = result.inventory.role("photos-guest").expect("role");
    assert!(
        guest
            .trust_policy
            .as_ref()
            .expect("trust")
            .loc
            .path()
            .ends_with(".json")
    );
}

// IAM API GetAccountAuthorizationDetails: a managed policy's permissions
// are those of its default version.
#[test]
fn managed_policies_use_their_default_version() {
    let result = load_paths(&[fixtures("photos-app")]);
    let storage = result
        .inventory
        .managed_policy(&format!("arn:aws:iam::{ACCOUNT}:policy/PhotosUserStorage"))
        .expect("policy");
    assert_eq!(storage.default_version.as_deref(), Some("v2"));
    let policy = storage.policy.as_ref().expect("document");
    assert_eq!(policy.statements.len(), 2, "v2, not the s3:* of v1");
}

// docs/cli-inputs.md: a bucket policy is named by a `Bucket` member, by a
// `<bucket>.bucket-policy.json` file name, or by the one bucket its
// resources name.
#[test]
fn bucket_policies_are_named_by_member_file_name_or_resources() {
    let result = load_paths(&[fixtures("photos-app")]);
    let inventory = &result.inventory;
    let logs = inventory
        .bucket_policy("photos-app-logs")
        .expect("from Bucket");
    assert_eq!(
        logs.bucket_loc.as_ref().map(|l| l.snippet()),
        Some("\"photos-app-logs\"")
    );
    assert!(
        inventory.bucket_policy("photos-app-media").is_some(),
        "from the file name"
    );
    assert!(
        inventory.bucket_policy("photos-app-site").is_some(),
        "from the resources"
    );

    let anonymous = SourceFile::new(
        "policy.json",
        r#"{"Policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":[\"arn:aws:s3:::a/*\",\"arn:aws:s3:::b/*\"]}]}"}"#,
    );
    let result = load_files(&[InputFile {
        source: anonymous,
        named: true,
    }]);
    let codes: Vec<_> = result.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec!["cli-bucket-unknown"]);
    assert!(result.inventory.bucket_policies().is_empty());
}

// Developer Guide, "Role-based access control" on the snapshot: rules in
// order, the guest scope-down, and the attacker's writable claim.
#[test]
fn the_snapshot_resolves_roles_and_shows_self_service_escalation() {
    let result = load_paths(&[fixtures("photos-app")]);
    let inventory = &result.inventory;
    let pool = &inventory.identity_pools()[0];
    let user_pool = inventory
        .user_pool("us-east-1_AbCdEfGhI")
        .expect("user pool");

    let guest = resolve(pool, &CredentialsRequest::guest(Flow::Enhanced));
    let Grant::Assume(guest) = &guest.outcomes[0] else {
        panic!("guest gets a role: {guest:?}")
    };
    assert_eq!(guest.role_arn, role("photos-guest"));
    assert!(guest.scope_down);

    // Amplify-style admins group → first rule (Contains on cognito:groups).
    let admin = user_pool.id_token_claims(
        CLIENT,
        "sub-admin",
        &[("email", "a@example.com")],
        &["admins"],
    );
    let resolution = resolve(
        pool,
        &CredentialsRequest::authenticated(USER_POOL, admin, Flow::Enhanced),
    );
    assert_eq!(resolution.roles(), vec![role("photos-admin").as_str()]);

    // A self-signed-up user writes custom:role (the client may write it):
    // the second rule gives them the moderator role (check PS006).
    let capabilities = capabilities(inventory.identity_pools(), inventory.user_pools());
    let sign_up = capabilities
        .iter()
        .find(|c| matches!(c.kind, CapabilityKind::SelfSignUp { .. }))
        .expect("sign-up is open");
    let claims = user_pool.id_token_claims(
        CLIENT,
        "5f0c3d1e-0000-4000-8000-000000000000",
        &[
            ("email", "mallory@example.net"),
            ("custom:role", "moderator"),
        ],
        &[],
    );
    assert_eq!(sign_up.claims.admits(&claims), Ok(()));
    let resolution = resolve(
        pool,
        &CredentialsRequest::authenticated(USER_POOL, claims, Flow::Enhanced),
    );
    let Grant::Assume(assumption) = &resolution.outcomes[0] else {
        panic!("{resolution:?}")
    };
    assert_eq!(assumption.role_arn, role("photos-moderator"));
    assert_eq!(
        assumption.source,
        RoleSource::Rule {
            mapping: format!("{USER_POOL}:{CLIENT}"),
            index: 1
        }
    );
    let rule_loc = assumption.loc.as_ref().expect("rule location");
    assert!(rule_loc.path().ends_with("identity-pool-roles.json"));

    // Joining the admins group is not something an outsider can do.
    let mut with_group = Claims::new();
    with_group.set_multi("cognito:groups", &["admins"]);
    assert!(sign_up.claims.admits(&with_group).is_err());
}

// Malformed and dangling input: diagnostics with spans, never a panic; the
// rest of each file is still read.
#[test]
fn malformed_inputs_give_located_diagnostics() {
    let result = load_paths(&[fixtures("malformed")]);
    assert!(result.input_failed, "truncated.json is not JSON");
    let mut codes: Vec<&str> = result.diagnostics.iter().map(|d| d.code).collect();
    codes.sort();
    assert_eq!(
        codes,
        vec![
            "cli-bad-value",
            "cli-bad-value",
            "cli-missing-field",
            "cli-missing-field",
            "cli-unknown-trust",
            "cli-wrong-type",
            "cli-wrong-type",
            "cli-wrong-type",
            "cli-wrong-type",
            "json-syntax",
            "json-syntax",
            "model-unknown-policy",
            "model-unknown-role",
            "model-unknown-user-pool",
        ]
    );
    for diagnostic in &result.diagnostics {
        assert!(diagnostic.location().is_some(), "{diagnostic}");
    }
    let find = |code: &str, text: &str| {
        result
            .diagnostics
            .iter()
            .find(|d| d.code == code && d.message.contains(text))
            .unwrap_or_else(|| panic!("{code} about {text}"))
    };
    let yes = find("cli-wrong-type", "AllowUnauthenticatedIdentities");
    let loc = yes.location().expect("located");
    assert_eq!(loc.snippet(), "\"yes\"");
    assert_eq!(loc.line_col(), (4, 39));
    assert!(loc.path().ends_with("malformed/identity-pool.json"));

    let typo = find("cli-bad-value", "MatchType");
    assert_eq!(typo.help.as_deref(), Some("did you mean `Equals`?"));

    // The broken URL-encoded trust policy points into the decoded text and
    // at the string in the snapshot.
    let embedded = result
        .diagnostics
        .iter()
        .find(|d| d.code == "json-syntax" && d.location().is_some_and(|l| l.path().contains('#')))
        .expect("embedded policy error");
    assert_eq!(embedded.related.len(), 1);
    assert!(
        embedded.related[0]
            .loc
            .path()
            .ends_with("account-authorization-details.json")
    );

    let dangling = find("model-unknown-role", "missing-guest");
    assert_eq!(dangling.severity, Severity::Warning);
    assert_eq!(
        dangling.location().map(|l| l.snippet()),
        Some("\"arn:aws:iam::111122223333:role/missing-guest\"")
    );
}

// A role the inputs do not show is unknown, never harmless: lookups say so
// and role resolution still names it.
#[test]
fn dangling_roles_stay_in_the_analysis_as_unknown() {
    let result = load_paths(&[fixtures("malformed")]);
    let inventory = &result.inventory;
    let pool = inventory.identity_pool("broken_pool").expect("pool");
    assert!(
        pool.allow_unauthenticated.is_assumed(),
        "the bad value is assumed on"
    );
    let guest_role = pool.unauthenticated_role.as_ref().expect("role arn");
    assert!(matches!(
        inventory.resolve_role(guest_role),
        RoleRef::Unknown { .. }
    ));
    let resolution = resolve(pool, &CredentialsRequest::guest(Flow::Enhanced));
    assert_eq!(resolution.roles(), vec![role("missing-guest").as_str()]);
    // The rule with a bad MatchType is left out; the valid mapping remains.
    assert_eq!(pool.role_mappings.len(), 1);
    assert_eq!(pool.role_mappings[0].rules.len(), 0);
    assert!(pool.role_mappings[0].ambiguous_role_resolution.is_assumed());
    // The role with no readable trust policy is still in the inventory.
    let broken = inventory.role("broken-user").expect("role");
    assert!(broken.trust_policy.is_none());
    assert!(broken.inline_policies.is_empty());
}

// Load a generated 1,000-role account: every role is indexed and found.
#[test]
fn a_thousand_role_account_loads() {
    let roles: Vec<String> = (0..1000)
        .map(|i| {
            format!(
                r#"{{"RoleName": "app-role-{i}", "Arn": "arn:aws:iam::{ACCOUNT}:role/app-role-{i}",
                   "AssumeRolePolicyDocument": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
                   "Principal": {{"Service": "lambda.amazonaws.com"}}, "Action": "sts:AssumeRole"}}]}},
                   "RolePolicyList": [{{"PolicyName": "inline", "PolicyDocument": {{"Version": "2012-10-17",
                   "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b-{i}/*"}}]}}}}],
                   "AttachedManagedPolicies": [{{"PolicyName": "Shared", "PolicyArn": "arn:aws:iam::{ACCOUNT}:policy/Shared"}}]}}"#
            )
        })
        .collect();
    let text = format!(
        r#"{{"RoleDetailList": [{}], "Policies": [{{"PolicyName": "Shared", "Arn": "arn:aws:iam::{ACCOUNT}:policy/Shared",
            "DefaultVersionId": "v1", "PolicyVersionList": [{{"VersionId": "v1", "IsDefaultVersion": true,
            "Document": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}}]}}}}]}}]}}"#,
        roles.join(",")
    );
    let result = load_files(&[InputFile {
        source: SourceFile::new("big.json", text),
        named: true,
    }]);
    assert_eq!(result.diagnostics, Vec::new());
    assert_eq!(result.inventory.roles().len(), 1000);
    assert!(result.inventory.role("app-role-999").is_some());
}

fn photos_app_texts() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(fixtures("photos-app"))
        .expect("fixture dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let text = std::fs::read_to_string(&path).expect("fixture text");
        out.push((path.display().to_string(), text));
    }
    out
}

proptest! {
    // Failures are saved beside this file and replayed first on the next run.
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/ingest_aws_cli.proptest-regressions",
        ))),
        ..ProptestConfig::default()
    })]

    // Whatever a snapshot is cut or spliced into, loading never panics.
    #[test]
    fn damaged_snapshots_never_panic(
        file in 0usize..9,
        start in 0usize..4000,
        len in 0usize..200,
        insert in prop::sample::select(vec!["", "\"", "{", "]", "null", "1e999", "\"%zz\"", ","]),
    ) {
        let texts = photos_app_texts();
        let (path, text) = &texts[file % texts.len()];
        let mut start = start.min(text.len());
        while !text.is_char_boundary(start) { start -= 1; }
        let mut end = (start + len).min(text.len());
        while !text.is_char_boundary(end) { end -= 1; }
        let damaged = format!("{}{}{}", &text[..start], insert, &text[end..]);
        let inputs: Vec<InputFile> = texts
            .iter()
            .map(|(p, t)| InputFile {
                source: SourceFile::new(p.clone(), if p == path { damaged.clone() } else { t.clone() }),
                named: false,
            })
            .collect();
        let result = load_files(&inputs);
        let _ = capabilities(
            result.inventory.identity_pools(),
            result.inventory.user_pools(),
        );
        for pool in result.inventory.identity_pools() {
            let _ = resolve(pool, &CredentialsRequest::guest(Flow::Enhanced));
        }
    }
}

// docs/cli-inputs.md, "S3 Block Public Access": wrapped `s3api` and
// `s3control` outputs, recognised by content; a flag left out is off; a
// flag of the wrong type is an error at its span; an unwrapped output is
// left out with a warning.
#[test]
fn public_access_blocks_are_read_from_wrapped_outputs() {
    let files = [
        (
            "bucket.json",
            r#"{"Bucket": "site", "PublicAccessBlockConfiguration": {"RestrictPublicBuckets": true, "BlockPublicPolicy": "yes"}}"#,
        ),
        (
            "account.json",
            r#"{"AccountId": "111122223333", "PublicAccessBlockConfiguration": {"BlockPublicAcls": true}}"#,
        ),
        (
            "raw.json",
            r#"{"PublicAccessBlockConfiguration": {"RestrictPublicBuckets": true}}"#,
        ),
    ];
    let inputs: Vec<InputFile> = files
        .iter()
        .map(|(path, text)| InputFile {
            source: SourceFile::new(*path, *text),
            named: true,
        })
        .collect();
    let result = load_files(&inputs);
    let codes: Vec<_> = result.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        ["cli-wrong-type", "cli-public-access-block-unscoped"]
    );
    let wrong = &result.diagnostics[0];
    assert_eq!(
        wrong.message,
        "`BlockPublicPolicy` should be true or false, found a string"
    );
    assert_eq!(wrong.location().map(|l| l.snippet()), Some("\"yes\""));
    let blocks = result.inventory.public_access_blocks();
    let site = blocks.of_bucket("site").expect("the bucket's block");
    assert!(site.restrict_public_buckets.on);
    assert!(!site.block_public_policy.on, "a wrong type reads as off");
    assert!(!site.ignore_public_acls.on && site.ignore_public_acls.loc.is_none());
    let account = blocks
        .of_account(Some("111122223333"), None)
        .expect("the account's block");
    assert!(account.block_public_acls.on && !account.restrict_public_buckets.on);
    assert_eq!(blocks.all().len(), 2, "the unwrapped one is left out");
}
