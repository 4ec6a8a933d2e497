//! The user pool's `LambdaConfig` triggers, read from each input form: the
//! `describe-user-pool` snapshot, a CloudFormation `AWS::Cognito::UserPool`
//! and a Terraform `aws_cognito_user_pool`. The pre-token-generation
//! trigger is what Cognito self-administration follows
//! (docs/semantics.md §13), whether given as a plain ARN or as
//! `{LambdaArn, LambdaVersion}` (API `LambdaConfigType`,
//! `PreTokenGenerationConfig`).

use std::path::PathBuf;

use poolscope::ingest::{InputFile, LoadResult, load_files, load_paths};
use poolscope::source::SourceFile;

const TRIGGER: &str = "arn:aws:lambda:us-west-2:888800001111:function:helpdesk-pre-token";
const CONFIRM: &str = "arn:aws:lambda:us-west-2:888800001111:function:helpdesk-confirm";

fn load(name: &str, text: &str) -> LoadResult {
    load_files(&[InputFile {
        source: SourceFile::new(name, text),
        named: true,
    }])
}

/// (trigger, function ARN) of the only user pool, sorted.
fn triggers(result: &LoadResult) -> Vec<(String, String)> {
    let pools = result.inventory.user_pools();
    assert_eq!(pools.len(), 1, "{:?}", result.diagnostics);
    let mut out: Vec<_> = pools[0]
        .triggers
        .iter()
        .map(|t| (t.trigger.value.clone(), t.function_arn.value.clone()))
        .collect();
    out.sort();
    out
}

fn expected() -> Vec<(String, String)> {
    vec![
        ("PostConfirmation".to_string(), CONFIRM.to_string()),
        ("PreTokenGeneration".to_string(), TRIGGER.to_string()),
    ]
}

#[test]
fn the_snapshot_reads_the_trigger() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/self-admin");
    let result = load_paths(&[path]);
    let pool = &result.inventory.user_pools()[0];
    let trigger = pool.pre_token_generation().expect("the trigger");
    assert_eq!(trigger.function_arn.value, TRIGGER);
    // Given twice (ARN and config object): read once.
    assert_eq!(pool.triggers.len(), 1);
}

#[test]
fn a_template_reads_the_config_object_and_plain_arns() {
    let template = format!(
        r#"{{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {{
  "Pool": {{"Type": "AWS::Cognito::UserPool", "Properties": {{
    "UserPoolName": "helpdesk-customers",
    "LambdaConfig": {{
      "PreTokenGenerationConfig": {{"LambdaArn": "{TRIGGER}", "LambdaVersion": "V2_0"}},
      "PostConfirmation": "{CONFIRM}"
    }}
  }}}}
}}}}"#
    );
    let result = load("template.json", &template);
    assert_eq!(triggers(&result), expected());
}

#[test]
fn a_terraform_state_reads_lambda_config() {
    let state = format!(
        r#"{{"format_version": "1.0", "values": {{"root_module": {{"resources": [
  {{"address": "aws_cognito_user_pool.main", "mode": "managed", "type": "aws_cognito_user_pool",
    "name": "main", "values": {{
      "id": "us-west-2_Hd7kQ2pLx",
      "arn": "arn:aws:cognito-idp:us-west-2:888800001111:userpool/us-west-2_Hd7kQ2pLx",
      "name": "helpdesk-customers",
      "lambda_config": [{{
        "pre_token_generation": "",
        "pre_token_generation_config": [{{"lambda_arn": "{TRIGGER}", "lambda_version": "V2_0"}}],
        "post_confirmation": "{CONFIRM}",
        "pre_sign_up": ""
      }}]
  }}}}
]}}}}}}"#
    );
    let result = load("terraform.tfstate.json", &state);
    assert_eq!(triggers(&result), expected());
}
