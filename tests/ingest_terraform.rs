//! Terraform plans and state: the same verdicts as the snapshot a state
//! mirrors, unknown plan values kept sound, links through the
//! configuration, and policy strings located in the file.

mod common;

use common::{corpus, verdict};
use std::path::Path;

use poolscope::ingest::Inputs;
use poolscope::ingest::cloudformation::Params;
use poolscope::ingest::{InputFile, LoadResult, load_files_with};
use poolscope::reach::Verdict;
use poolscope::source::SourceFile;

const BUCKET: &str = "arn:aws:s3:::photosharestorage3f2a9c1b142233-dev";

#[test]
fn amplify_storage_state_gives_the_snapshot_verdicts() {
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
        let state = verdict(corpus("amplify-storage-tf"), &[], question);
        assert_eq!(state, snapshot, "{principal} {action} {key}");
        seen.push(snapshot);
    }
    assert!(seen.contains(&Verdict::Possible) && seen.contains(&Verdict::Impossible));
}

fn load(text: &str, params: &[&str]) -> LoadResult {
    let inputs = [InputFile {
        source: SourceFile::new("plan.json", text),
        named: true,
    }];
    let params: Vec<String> = params.iter().map(|p| p.to_string()).collect();
    load_files_with(&inputs, &Params::parse(&params).expect("valid --param"))
}

/// A plan creating an identity pool, a guest role with a policy, and the
/// attachment of the role to the pool: the pool id and the role ARN are
/// known only after apply. `role_expression` is the configuration of the
/// attachment's `roles`.
fn plan(role_references: &str) -> String {
    let policy = r#"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::media/*\"}]}"#;
    format!(
        r#"{{
  "format_version": "1.2",
  "planned_values": {{"root_module": {{"resources": [
    {{"address": "aws_cognito_identity_pool.main", "mode": "managed", "type": "aws_cognito_identity_pool", "name": "main",
      "values": {{"identity_pool_name": "media", "allow_unauthenticated_identities": true, "allow_classic_flow": false,
                  "cognito_identity_providers": [], "supported_login_providers": {{}}}}}},
    {{"address": "aws_iam_role.guest", "mode": "managed", "type": "aws_iam_role", "name": "guest",
      "values": {{"name": "guest", "path": "/", "managed_policy_arns": [],
                  "inline_policy": [{{"name": "read", "policy": "{policy}"}}]}}}},
    {{"address": "aws_cognito_identity_pool_roles_attachment.main", "mode": "managed",
      "type": "aws_cognito_identity_pool_roles_attachment", "name": "main",
      "values": {{"role_mapping": []}}}}
  ]}}}},
  "resource_changes": [
    {{"address": "aws_cognito_identity_pool.main", "change": {{"actions": ["create"], "after_unknown": {{"id": true, "arn": true}}}}}},
    {{"address": "aws_iam_role.guest", "change": {{"actions": ["create"], "after_unknown": {{"arn": true, "id": true, "unique_id": true, "assume_role_policy": true}}}}}},
    {{"address": "aws_cognito_identity_pool_roles_attachment.main", "change": {{"actions": ["create"],
      "after_unknown": {{"id": true, "identity_pool_id": true, "roles": {{"unauthenticated": true}}}}}}}}
  ],
  "configuration": {{"root_module": {{"resources": [
    {{"address": "aws_cognito_identity_pool_roles_attachment.main", "type": "aws_cognito_identity_pool_roles_attachment",
      "expressions": {{"identity_pool_id": {{"references": ["aws_cognito_identity_pool.main.id", "aws_cognito_identity_pool.main"]}},
                       "roles": {{"references": [{role_references}]}}}}}}
  ]}}}}
}}"#
    )
}

// Unknown ids are linked through the configuration, and a role's ARN is
// built from its name: the route's role is the plan's role.
#[test]
fn plan_values_known_after_apply_are_linked_through_the_configuration() {
    let text = plan(r#""aws_iam_role.guest.arn", "aws_iam_role.guest""#);
    let result = load(&text, &["AWS::AccountId=111122223333"]);
    let pool = result
        .inventory
        .identity_pool("us-east-1:aws_cognito_identity_pool.main-generated")
        .expect("the pool is read under its symbolic id");
    assert_eq!(
        pool.unauthenticated_role.as_ref().map(|r| r.value.as_str()),
        Some("arn:aws:iam::111122223333:role/guest")
    );
    let role = result.inventory.role("guest").expect("the role is read");
    assert_eq!(role.arn, "arn:aws:iam::111122223333:role/guest");
    // The trust policy is known only after apply: unknown, with a warning.
    assert!(role.trust_policy.is_none());
    let codes: Vec<_> = result.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"tf-unknown-value"), "{codes:?}");
    assert!(codes.contains(&"tf-unknown-policy"), "{codes:?}");
}

// An attribute that cannot be linked stays unknown, and can only make more
// requests possible.
#[test]
fn an_unlinked_unknown_role_never_turns_possible_into_impossible() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tf-plans");
    std::fs::create_dir_all(&dir).expect("writable");
    let linked = dir.join("linked.json");
    let unlinked = dir.join("unlinked.json");
    std::fs::write(
        &linked,
        plan(r#""aws_iam_role.guest.arn", "aws_iam_role.guest""#),
    )
    .expect("writable");
    // Two references: which one is `unauthenticated` cannot be told.
    std::fs::write(
        &unlinked,
        plan(r#""aws_iam_role.guest.arn", "aws_iam_role.other.arn""#),
    )
    .expect("writable");
    let params = ["AWS::AccountId=111122223333"];
    let elsewhere = ["guest", "s3:GetObject", "arn:aws:s3:::private/x"];
    assert_eq!(
        verdict(linked.clone(), &params, elsewhere),
        Verdict::Impossible
    );
    assert_ne!(verdict(unlinked, &params, elsewhere), Verdict::Impossible);
    let granted = ["guest", "s3:GetObject", "arn:aws:s3:::media/x"];
    assert_eq!(verdict(linked, &params, granted), Verdict::Possible);
}

// A policy is a JSON string: its problems point into the decoded text and
// back at the string in the file.
#[test]
fn policy_strings_are_located_in_the_file() {
    let text = r#"{"format_version": "1.0", "values": {"root_module": {"resources": [
  {"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
   "values": {"name": "r", "arn": "arn:aws:iam::111122223333:role/r", "path": "/",
     "assume_role_policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Alow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}",
     "inline_policy": [], "managed_policy_arns": []}}]}}}"#;
    let result = load(text, &[]);
    let error = result
        .diagnostics
        .iter()
        .find(|d| d.code == "policy-invalid-effect")
        .expect("the bad Effect is reported");
    let primary = error.primary.as_ref().expect("located");
    assert_eq!(
        primary.loc.path(),
        "plan.json#/values/root_module/resources/0/values/assume_role_policy"
    );
    assert_eq!(primary.loc.snippet(), "\"Alow\"");
    let string = &error.related[0].loc;
    assert_eq!(string.path(), "plan.json");
    assert_eq!(string.line_col(), (4, 28));
}

// corpus/amplify-storage-tf-plan: a plan on a deployed stack; the policy it
// creates (id known after apply) attaches to the state's role.
#[test]
fn a_plan_on_a_deployed_stack_reads_the_new_policy() {
    let result = Inputs::paths([corpus("amplify-storage-tf-plan")]).load();
    let errors: Vec<_> = result.errors().map(|d| d.message.clone()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let auth = result
        .inventory
        .role("amplify-photoshare-dev-142233-authRole")
        .expect("the role");
    assert!(
        auth.inline_policies
            .iter()
            .any(|p| p.name == "list_private_3f2a9c1b" && p.policy.is_some())
    );
}

// corpus/rules-on-groups-tf-plan: nested blocks' references link each
// rule's role, and the mapping's key is built from the user pool's
// endpoint and the client's id.
#[test]
fn a_plan_from_nothing_links_rules_providers_and_mapping_keys() {
    let result = Inputs {
        params: vec!["AWS::AccountId=222233334444".to_string()],
        ..Inputs::paths([corpus("rules-on-groups-tf-plan")])
    }
    .load();
    let pool = result
        .inventory
        .identity_pool("us-east-1:aws_cognito_identity_pool.main-generated")
        .expect("the pool");
    let provider =
        "cognito-idp.us-east-1.amazonaws.com/us-east-1_aws_cognito_user_pool.main-generated";
    assert_eq!(pool.cognito_providers[0].provider_name.value, provider);
    assert_eq!(
        pool.cognito_providers[0].client_id.value,
        "aws_cognito_user_pool_client.web-generated"
    );
    let mapping = &pool.role_mappings[0];
    assert_eq!(
        mapping.provider.value,
        format!("{provider}:aws_cognito_user_pool_client.web-generated")
    );
    let roles: Vec<_> = mapping
        .rules
        .iter()
        .map(|r| r.role_arn.value.as_str())
        .collect();
    assert_eq!(
        roles,
        [
            "arn:aws:iam::222233334444:role/corp-portal-admin",
            "arn:aws:iam::222233334444:role/corp-portal-premium",
            "arn:aws:iam::222233334444:role/corp-portal-staff",
            "arn:aws:iam::222233334444:role/corp-portal-staff-eu",
        ]
    );
    let codes: Vec<_> = result.diagnostics.iter().map(|d| d.code).collect();
    assert!(!codes.contains(&"model-mapping-unused"), "{codes:?}");
}

// An identity pool's Cognito provider whose name the plan cannot link is
// a user pool with an unknown id (settings assumed open), not no provider:
// users still get credentials.
#[test]
fn an_unlinked_cognito_provider_still_lets_users_in() {
    let text = std::fs::read_to_string(corpus("rules-on-groups-tf-plan").join("plan.json"))
        .expect("the corpus plan");
    let text = text.replace("aws_cognito_user_pool.main.endpoint", "var.endpoint");
    let result = load(&text, &["AWS::AccountId=222233334444"]);
    let pool = result
        .inventory
        .identity_pool("us-east-1:aws_cognito_identity_pool.main-generated")
        .expect("the pool");
    let name = &pool.cognito_providers[0].provider_name.value;
    assert!(
        name.starts_with("cognito-idp.us-east-1.amazonaws.com/us-east-1_⟨unknown"),
        "{name}"
    );
    let dir = std::env::temp_dir().join(format!("poolscope-unlinked-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    std::fs::write(dir.join("plan.json"), &text).expect("written");
    let own_tickets = verdict(
        dir.clone(),
        &["AWS::AccountId=222233334444"],
        [
            "user",
            "dynamodb:GetItem",
            "arn:aws:dynamodb:us-east-1:222233334444:table/corp-portal-tickets",
        ],
    );
    // The role mapping's key is unknown too: it is applied to the pool's
    // provider, so its rules' roles are still routes (premium content
    // through the writable `custom:tier`). The provider's own id is
    // unknown, so the claim search cannot settle it: not `impossible`.
    let premium = verdict(
        dir.clone(),
        &["AWS::AccountId=222233334444"],
        [
            "user",
            "s3:GetObject",
            "arn:aws:s3:::corp-portal-content-222233334444/premium/pricing-2024.pdf",
        ],
    );
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(own_tickets, Verdict::Possible);
    assert_ne!(premium, Verdict::Impossible);
    let spread = result
        .diagnostics
        .iter()
        .find(|d| d.message.contains("the provider of a role mapping"))
        .expect("the spread is reported");
    assert!(
        spread
            .message
            .contains("cognito-idp.us-east-1.amazonaws.com/us-east-1_")
    );
}

/// A plan creating role `r` (inline policies and managed policy ARNs known
/// only after apply) and an `aws_iam_role_policy` on it allowing
/// `s3:GetObject`; `configuration` is the plan's configuration member.
fn computed_role_plan(configuration: &str) -> String {
    let trust = r#"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"#;
    let policy = r#"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}"#;
    format!(
        r#"{{"format_version":"1.2","planned_values":{{"root_module":{{"resources":[
{{"address":"aws_iam_role.r","mode":"managed","type":"aws_iam_role","name":"r","values":{{"name":"r","path":"/","assume_role_policy":"{trust}"}}}},
{{"address":"aws_iam_role_policy.p","mode":"managed","type":"aws_iam_role_policy","name":"p","values":{{"name":"p","role":"r","policy":"{policy}"}}}}]}}}},
"resource_changes":[
{{"address":"aws_iam_role.r","change":{{"actions":["create"],"after_unknown":{{"arn":true,"id":true,"inline_policy":true,"managed_policy_arns":true}}}}}},
{{"address":"aws_iam_role_policy.p","change":{{"actions":["create"],"after_unknown":{{"id":true}}}}}}]{configuration}}}"#
    )
}

// A role's `inline_policy` and `managed_policy_arns` left to the provider
// are what the plan attaches; set by an expression known only after apply,
// they are policies poolscope cannot see.
#[test]
fn a_roles_computed_policies_are_the_plans_attachments() {
    let result = load(&computed_role_plan(""), &["AWS::AccountId=111122223333"]);
    assert_eq!(result.diagnostics.len(), 0, "{:?}", result.diagnostics);
    // Without the account, the role's ARN is built in the example one,
    // which is said.
    let result = load(&computed_role_plan(""), &[]);
    let codes: Vec<_> = result.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["tf-assumed-account"]);
    let role = result.inventory.role("r").expect("the role");
    let names: Vec<_> = role
        .inline_policies
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["p"]);
    assert!(role.managed_policy_arns.is_empty());

    let configured = r#","configuration":{"root_module":{"resources":[{"address":"aws_iam_role.r",
"expressions":{"inline_policy":{"references":["var.policies"]},"managed_policy_arns":{"references":["var.arns"]}}}]}}"#;
    let result = load(
        &computed_role_plan(configured),
        &["AWS::AccountId=111122223333"],
    );
    let codes: Vec<_> = result.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        [
            "tf-unknown-value",
            "tf-unknown-value",
            "model-unknown-policy"
        ],
        "{:?}",
        result.diagnostics
    );
    let role = result.inventory.role("r").expect("the role");
    assert!(role.inline_policies.iter().any(|p| p.policy.is_none()));
    assert_eq!(role.managed_policy_arns.len(), 1);
}

// docs/inputs-iac.md: `aws_s3_account_public_access_block` without
// `account_id` is the inputs' own account; `aws_s3_bucket_public_access_block`
// flags default to false.
#[test]
fn public_access_block_resources_are_read() {
    let state = r#"{"format_version": "1.0", "values": {"root_module": {"resources": [
        {"address": "aws_s3_account_public_access_block.this", "mode": "managed",
         "type": "aws_s3_account_public_access_block", "name": "this",
         "values": {"restrict_public_buckets": true}},
        {"address": "aws_s3_bucket_public_access_block.site", "mode": "managed",
         "type": "aws_s3_bucket_public_access_block", "name": "site",
         "values": {"bucket": "site", "block_public_policy": true}}]}}}"#;
    let loaded = load(state, &[]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let blocks = loaded.inventory.public_access_blocks();
    let site = blocks.of_bucket("site").expect("the bucket's block");
    assert!(site.block_public_policy.on && !site.restrict_public_buckets.on);
    let home = Some("111122223333");
    let account = blocks.of_account(home, home).expect("the inputs' account");
    assert!(account.restrict_public_buckets.on);
    assert!(blocks.of_account(Some("444455556666"), home).is_none());
    let restrict = blocks
        .restrict_public_buckets("site", home, home)
        .expect("the account's setting reaches the bucket");
    assert_eq!(restrict.scope, "the account");
}
