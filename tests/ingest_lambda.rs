//! Lambda functions and their execution roles, from each input form:
//! `lambda list-functions`, a template's `AWS::Lambda::Function` and SAM
//! `AWS::Serverless::Function`, a Terraform plan's `aws_lambda_function`.

use poolscope::ingest::cloudformation::Params;
use poolscope::ingest::{InputFile, LoadResult, load_files_with};
use poolscope::source::SourceFile;

fn load(path: &str, text: &str, params: &[&str]) -> LoadResult {
    let inputs = [InputFile {
        source: SourceFile::new(path, text),
        named: true,
    }];
    let params: Vec<String> = params.iter().map(|p| p.to_string()).collect();
    load_files_with(&inputs, &Params::parse(&params).expect("valid --param"))
}

fn role_of(result: &LoadResult, arn: &str) -> Option<String> {
    let function = result
        .inventory
        .functions()
        .by_arn(arn)
        .unwrap_or_else(|| panic!("{arn} is read: {:?}", result.inventory.functions()));
    function.role.as_ref().map(|r| r.value.clone())
}

#[test]
fn list_functions_output_is_recognised_and_read() {
    let text = r#"{"Functions": [
        {"FunctionName": "confirm", "FunctionArn": "arn:aws:lambda:us-east-1:111122223333:function:confirm",
         "Role": "arn:aws:iam::111122223333:role/confirm-role", "Runtime": "python3.12"},
        {"FunctionName": "no-role", "FunctionArn": "arn:aws:lambda:us-east-1:111122223333:function:no-role:live"}
    ]}"#;
    let result = load("functions.json", text, &[]);
    assert!(!result.input_failed, "{:?}", result.diagnostics);
    assert_eq!(
        role_of(
            &result,
            "arn:aws:lambda:us-east-1:111122223333:function:confirm:3"
        )
        .as_deref(),
        Some("arn:aws:iam::111122223333:role/confirm-role")
    );
    // A qualified ARN is stored unqualified; no `Role` is unknown, not "none".
    assert_eq!(
        role_of(
            &result,
            "arn:aws:lambda:us-east-1:111122223333:function:no-role"
        ),
        None
    );
}

#[test]
fn a_function_without_its_arn_is_reported_at_its_span() {
    let text = r#"{"Functions": [{"FunctionName": "confirm", "Role": "arn:aws:iam::111122223333:role/r"}]}"#;
    let result = load("functions.json", text, &[]);
    assert!(result.inventory.functions().all().is_empty());
    let missing = result
        .diagnostics
        .iter()
        .find(|d| d.code == "cli-missing-field")
        .expect("the missing ARN is reported");
    assert!(
        missing.message.contains("FunctionArn"),
        "{}",
        missing.message
    );
}

#[test]
fn template_functions_carry_their_role_and_sam_functions_the_role_sam_creates() {
    let text = r#"
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  TriggerRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: trigger-role
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
  Trigger:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: trigger
      Role: !GetAtt TriggerRole.Arn
      Handler: index.handler
      Runtime: python3.12
      Code: { ZipFile: "def handler(e, c): return e" }
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: worker
      Handler: index.handler
      Runtime: python3.12
      InlineCode: "def handler(e, c): return e"
"#;
    let result = load(
        "template.yaml",
        text,
        &["AWS::AccountId=111122223333", "AWS::StackName=app"],
    );
    assert_eq!(
        role_of(
            &result,
            "arn:aws:lambda:us-east-1:111122223333:function:trigger"
        )
        .as_deref(),
        Some("arn:aws:iam::111122223333:role/trigger-role")
    );
    let sam = role_of(
        &result,
        "arn:aws:lambda:us-east-1:111122223333:function:worker",
    )
    .expect("the SAM function has the role SAM creates");
    assert!(
        result.inventory.role_by_arn(&sam).is_some(),
        "{sam} is a role of the template"
    );
}

#[test]
fn terraform_functions_carry_their_role() {
    let text = r#"{
  "format_version": "1.0",
  "values": {"root_module": {"resources": [
    {"address": "aws_lambda_function.confirm", "mode": "managed", "type": "aws_lambda_function", "name": "confirm",
     "values": {"function_name": "confirm", "arn": "arn:aws:lambda:eu-west-1:111122223333:function:confirm",
                "role": "arn:aws:iam::111122223333:role/confirm-role"}}
  ]}}
}"#;
    let result = load("state.json", text, &[]);
    assert_eq!(
        role_of(
            &result,
            "arn:aws:lambda:eu-west-1:111122223333:function:confirm"
        )
        .as_deref(),
        Some("arn:aws:iam::111122223333:role/confirm-role")
    );
}
