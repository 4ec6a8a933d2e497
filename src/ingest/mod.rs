//! Ingest: input files → the [`Inventory`].
//!
//! Every file's kind is detected from its content, never its name alone
//! (docs/cli-inputs.md): an IAM policy document, one of the AWS CLI
//! response shapes, a CloudFormation template, Terraform plan/state JSON.
//! Each kind has its reader, one module per kind, and all of them fill the
//! same inventory, so a directory that mixes kinds is one model:
//!
//! - [`aws_cli`]: AWS CLI / API JSON, one file per service;
//! - [`cloudformation`]: CloudFormation templates, JSON or YAML (read
//!   together, after the other files, so `Fn::ImportValue` finds the
//!   exports of every template; `--param` fills their parameters);
//! - IAM policy documents, read here with [`parse_policy`];
//! - [`terraform`]: `terraform show -json` of a plan or a state;
//! - [`snapshot_manifest`]: the manifest of a `poolscope collect` snapshot,
//!   whose failed calls become the inventory's unreadable parts.
//!
//! Every reader takes typed fields from [`crate::source::fields`]. After
//! every file is read, links between files (by ARN, id and name) are
//! checked.
//!
//! Nothing is ignored silently: unreadable or malformed files are errors,
//! files of no known kind (and kinds not read yet) are notes, values a
//! template does not determine are warnings and stay unknown, and every
//! reader reports fields of the wrong type with their span. Inputs that hold
//! nothing to analyse at all are an error too
//! ([`LoadResult::require_something_to_analyse`]), which lists what was
//! skipped.

pub mod api_shapes;
pub mod aws_cli;
pub mod cloudformation;
pub mod embedded_policy;
pub mod snapshot_manifest;
pub mod terraform;
pub mod unknown;

use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Inventory;
use crate::policy::PolicyKind;
use crate::policy::parse::parse_policy;
use crate::source::{SourceFile, Value, files, json, yaml};

use cloudformation::{Manifest, Params, Template};

/// What a file is, judged from its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InputKind {
    /// A top-level `Statement`.
    PolicyDocument,
    AwsCli(CliShape),
    /// `Resources` with `Type: AWS::…`, or `AWSTemplateFormatVersion`.
    CloudFormation,
    /// `format_version` with `planned_values` or `values`.
    Terraform,
    /// `PoolscopeSnapshot`: the manifest `poolscope collect` writes.
    SnapshotManifest,
    Unknown,
}

/// The AWS CLI (or API) response shapes poolscope reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CliShape {
    /// `iam get-account-authorization-details`.
    AccountAuthorizationDetails,
    /// `cognito-identity describe-identity-pool`.
    IdentityPool,
    /// `cognito-identity get-identity-pool-roles`.
    IdentityPoolRoles,
    /// `cognito-identity get-principal-tag-attribute-map`.
    PrincipalTagMap,
    /// `cognito-idp describe-user-pool`.
    UserPool,
    /// `cognito-idp describe-user-pool-client`.
    UserPoolClient,
    /// `cognito-idp list-groups` (or `get-group`).
    Groups,
    /// `lambda list-functions`.
    Functions,
    /// `{"Bucket": NAME, "Policy": …}`: a bucket policy with its bucket.
    BucketPolicy,
    /// `s3api get-bucket-policy` output as is: `{"Policy": "…"}`.
    RawBucketPolicy,
    /// `s3api get-public-access-block` wrapped as `{"Bucket": NAME,
    /// "PublicAccessBlockConfiguration": …}`, or `s3control
    /// get-public-access-block` wrapped as `{"AccountId": ID, …}`.
    PublicAccessBlock,
}

impl CliShape {
    /// The command whose output this is, for messages.
    pub fn command(self) -> &'static str {
        match self {
            CliShape::AccountAuthorizationDetails => "iam get-account-authorization-details",
            CliShape::IdentityPool => "cognito-identity describe-identity-pool",
            CliShape::IdentityPoolRoles => "cognito-identity get-identity-pool-roles",
            CliShape::PrincipalTagMap => "cognito-identity get-principal-tag-attribute-map",
            CliShape::UserPool => "cognito-idp describe-user-pool",
            CliShape::UserPoolClient => "cognito-idp describe-user-pool-client",
            CliShape::Groups => "cognito-idp list-groups",
            CliShape::Functions => "lambda list-functions",
            CliShape::BucketPolicy => "a bucket policy with its bucket name",
            CliShape::RawBucketPolicy => "s3api get-bucket-policy",
            CliShape::PublicAccessBlock => "s3api or s3control get-public-access-block",
        }
    }
}

/// Recognises a document by its content (docs/cli-inputs.md).
pub fn detect_kind(doc: &Value) -> InputKind {
    if doc.as_object().is_none() {
        return InputKind::Unknown;
    }
    let has = |key: &str| doc.get(key).is_some();
    if snapshot_manifest::is_manifest(doc) {
        return InputKind::SnapshotManifest;
    }
    let cloudformation = has("AWSTemplateFormatVersion")
        || doc
            .get("Resources")
            .and_then(Value::as_object)
            .is_some_and(|resources| {
                resources.iter().any(|r| {
                    r.value
                        .get("Type")
                        .and_then(Value::as_str)
                        .is_some_and(|t| t.starts_with("AWS::"))
                })
            });
    if cloudformation {
        return InputKind::CloudFormation;
    }
    if has("format_version") && (has("planned_values") || has("values")) {
        return InputKind::Terraform;
    }
    if has("Statement") {
        return InputKind::PolicyDocument;
    }
    let policies_with_documents = doc
        .get("Policies")
        .and_then(Value::as_array)
        .is_some_and(|list| list.iter().any(|p| p.get("PolicyVersionList").is_some()));
    let shape = if has("RoleDetailList")
        || has("UserDetailList")
        || has("GroupDetailList")
        || policies_with_documents
    {
        CliShape::AccountAuthorizationDetails
    } else if has("IdentityPoolId") && has("IdentityProviderName") {
        CliShape::PrincipalTagMap
    } else if has("IdentityPoolId")
        && (has("IdentityPoolName") || has("AllowUnauthenticatedIdentities"))
    {
        CliShape::IdentityPool
    } else if has("IdentityPoolId") && (has("Roles") || has("RoleMappings")) {
        CliShape::IdentityPoolRoles
    } else if doc.get("UserPool").is_some_and(|p| p.get("Id").is_some()) {
        CliShape::UserPool
    } else if doc
        .get("UserPoolClient")
        .is_some_and(|c| c.get("ClientId").is_some())
    {
        CliShape::UserPoolClient
    } else if doc.get("Groups").and_then(Value::as_array).is_some()
        || doc
            .get("Group")
            .is_some_and(|g| g.get("GroupName").is_some())
    {
        CliShape::Groups
    } else if has("PublicAccessBlockConfiguration") {
        CliShape::PublicAccessBlock
    } else if doc
        .get("Functions")
        .and_then(Value::as_array)
        .is_some_and(|list| {
            list.iter()
                .any(|f| f.get("FunctionName").is_some() || f.get("FunctionArn").is_some())
        })
    {
        CliShape::Functions
    } else if has("Bucket") && has("Policy") {
        CliShape::BucketPolicy
    } else if doc
        .get("Policy")
        .is_some_and(|p| p.as_str().is_some() || p.get("Statement").is_some())
    {
        CliShape::RawBucketPolicy
    } else {
        return InputKind::Unknown;
    };
    InputKind::AwsCli(shape)
}

/// One file to read.
#[derive(Clone, Debug)]
pub struct InputFile {
    pub source: Arc<SourceFile>,
    /// Named on the command line: being of no known kind is then an error.
    pub named: bool,
}

/// A file left out of the model, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedFile {
    pub path: String,
    pub reason: String,
}

/// What loading the inputs gave.
#[derive(Debug, Default)]
pub struct LoadResult {
    pub inventory: Inventory,
    /// Reading errors, field problems, skipped-file notes, link problems.
    pub diagnostics: Vec<Diagnostic>,
    pub skipped: Vec<SkippedFile>,
    pub files_read: usize,
    /// Some input could not be read or parsed at all, a file named on the
    /// command line is of no known kind, or (after
    /// [`LoadResult::require_something_to_analyse`]) the inputs hold nothing
    /// to analyse (docs/cli.md, exit code 2).
    pub input_failed: bool,
}

impl LoadResult {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }

    /// docs/cli.md, "Fail closed": inputs that were read but hold no identity
    /// pool, role or policy are a usage error, so a gate never passes on a
    /// directory poolscope found nothing in. Adds `input-nothing-to-analyse`
    /// and marks the load failed; does nothing when an input already failed
    /// (its own error says what is wrong).
    pub fn require_something_to_analyse(&mut self) {
        if self.input_failed || self.inventory.holds_anything_to_analyse() {
            return;
        }
        self.input_failed = true;
        self.diagnostics.push(nothing_to_analyse(
            "no identity pool, role or policy",
            READS,
            self.files_read,
            &self.skipped,
        ));
    }
}

/// What poolscope reads, for help texts.
const READS: &str = "poolscope reads IAM policy documents, the JSON output of AWS CLI \
                     commands such as `iam get-account-authorization-details` and \
                     `cognito-identity describe-identity-pool` (docs/cli-inputs.md lists them), \
                     and CloudFormation templates (docs/inputs-iac.md)";

/// How many skipped files `input-nothing-to-analyse` names before counting
/// the rest: a repository can hold hundreds of `package.json` files.
const SKIPPED_LISTED: usize = 10;

/// The `input-nothing-to-analyse` error: `missing` says what none of the
/// inputs held, `reads` what the command would have read; the help lists
/// the files skipped, so the user sees why nothing was found.
pub fn nothing_to_analyse(
    missing: &str,
    reads: &str,
    files_read: usize,
    skipped: &[SkippedFile],
) -> Diagnostic {
    let mut help = Vec::new();
    if files_read == 0 && skipped.is_empty() {
        help.push(
            "no input file was found: directories are searched for `.json`, `.yaml`, `.yml` \
             and `.template` files, passing over hidden entries, `.git`, `node_modules`, \
             `target` and what `--exclude` names"
                .to_string(),
        );
    } else if skipped.is_empty() {
        help.push(format!(
            "none of the {files_read} file{} read holds one",
            if files_read == 1 { "" } else { "s" }
        ));
    }
    for file in skipped.iter().take(SKIPPED_LISTED) {
        help.push(format!("skipped `{}`: {}", file.path, file.reason));
    }
    if skipped.len() > SKIPPED_LISTED {
        help.push(format!(
            "and {} more files skipped",
            skipped.len() - SKIPPED_LISTED
        ));
    }
    help.push(reads.to_string());
    Diagnostic::error(
        "input-nothing-to-analyse",
        format!("nothing to analyse: the inputs hold {missing}"),
    )
    .with_help(help.join("\n"))
}

/// Reads files and directories (recursively) into one inventory, with
/// nothing excluded beyond what every walk passes over.
pub fn load_paths(paths: &[PathBuf]) -> LoadResult {
    load_paths_excluding(paths, &files::Exclude::none(), &Params::default())
}

/// What every command reads: the paths named on the command line, the
/// `--exclude` globs and the `--param KEY=VALUE` arguments, as given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inputs {
    pub paths: Vec<PathBuf>,
    pub exclude: Vec<String>,
    pub params: Vec<String>,
}

impl Inputs {
    /// Inputs that are these paths alone.
    pub fn paths(paths: impl IntoIterator<Item = PathBuf>) -> Inputs {
        Inputs {
            paths: paths.into_iter().collect(),
            ..Inputs::default()
        }
    }

    /// Reads them ([`load_inputs`]).
    pub fn load(&self) -> LoadResult {
        load_inputs(&self.paths, &self.exclude, &self.params)
    }
}

/// Reads files and directories into one inventory; `exclude` is the
/// `--exclude` globs and `params` the `--param KEY=VALUE` arguments as
/// given, read here so a bad one is reported with the other input problems.
pub fn load_inputs(paths: &[PathBuf], exclude: &[String], params: &[String]) -> LoadResult {
    let exclude = files::Exclude::new(exclude);
    let params = Params::parse(params);
    match (exclude, params) {
        (Ok(exclude), Ok(params)) => load_paths_excluding(paths, &exclude, &params),
        (exclude, params) => LoadResult {
            diagnostics: exclude
                .err()
                .into_iter()
                .chain(params.err())
                .flatten()
                .collect(),
            input_failed: true,
            ..LoadResult::default()
        },
    }
}

fn load_paths_excluding(
    paths: &[PathBuf],
    exclude: &files::Exclude,
    params: &Params,
) -> LoadResult {
    let collected = files::collect(paths, exclude);
    let mut input_failed = collected.failed();
    let mut early = collected.diagnostics;
    let mut inputs = Vec::new();
    for file in collected.files {
        match files::read(&file.path) {
            Ok(source) => inputs.push(InputFile {
                source,
                named: file.named,
            }),
            Err(diagnostic) => {
                input_failed = true;
                early.push(diagnostic);
            }
        }
    }
    let mut result = load_files_with(&inputs, params);
    result.input_failed |= input_failed;
    early.append(&mut result.diagnostics);
    result.diagnostics = early;
    result
}

/// Reads files already in memory into one inventory, then checks links.
pub fn load_files(inputs: &[InputFile]) -> LoadResult {
    load_files_with(inputs, &Params::default())
}

/// Reads files already in memory, templates with `params`, into one
/// inventory, then checks links.
pub fn load_files_with(inputs: &[InputFile], params: &Params) -> LoadResult {
    let mut result = LoadResult::default();
    let mut templates = Vec::new();
    let mut manifests = Vec::new();
    for input in inputs {
        load_one(input, params, &mut result, &mut templates, &mut manifests);
    }
    cloudformation::read_templates(
        &templates,
        &manifests,
        params,
        &mut result.inventory,
        &mut result.diagnostics,
    );
    let links = result.inventory.check_links();
    result.diagnostics.extend(links);
    result
}

fn load_one(
    input: &InputFile,
    params: &Params,
    result: &mut LoadResult,
    templates: &mut Vec<Template>,
    manifests: &mut Vec<Manifest>,
) {
    let source = &input.source;
    // `.template` files hold either syntax: JSON starts with `{`.
    let path = std::path::Path::new(&source.path);
    let is_yaml = files::is_yaml(path)
        || (path.extension().is_some_and(|e| e == "template")
            && !source
                .text
                .trim_start_matches('\u{feff}')
                .trim_start()
                .starts_with('{'));
    let parsed = if is_yaml {
        yaml::parse(source)
    } else {
        json::parse(source)
    };
    let doc = match parsed {
        Ok(doc) => doc,
        Err(diagnostic) => {
            result.input_failed = true;
            result.files_read += 1;
            result.diagnostics.push(diagnostic);
            return;
        }
    };
    result.files_read += 1;
    let kind = detect_kind(&doc);
    if is_yaml && !matches!(kind, InputKind::CloudFormation | InputKind::Unknown) {
        skip(
            result,
            source,
            "YAML files are read as CloudFormation templates only",
        );
        return;
    }
    // `cdk synth` output names its stacks in `manifest.json`.
    if kind == InputKind::Unknown && cloudformation::is_cloud_assembly_manifest(&doc) {
        manifests.push(Manifest {
            file: source.clone(),
            doc,
        });
        return;
    }
    match kind {
        InputKind::PolicyDocument => match parse_policy(&doc, &source.path, PolicyKind::Unknown) {
            Ok(parsed) => {
                result.diagnostics.extend(parsed.diagnostics);
                result.inventory.add_policy_document(parsed.policy);
            }
            Err(diagnostics) => result.diagnostics.extend(diagnostics),
        },
        InputKind::AwsCli(shape) => aws_cli::read(
            shape,
            &doc,
            source,
            &mut result.inventory,
            &mut result.diagnostics,
        ),
        InputKind::SnapshotManifest => {
            snapshot_manifest::read(&doc, &mut result.inventory, &mut result.diagnostics)
        }
        InputKind::CloudFormation => templates.push(Template {
            file: source.clone(),
            doc,
        }),
        InputKind::Terraform => terraform::read(
            &doc,
            source,
            params,
            &mut result.inventory,
            &mut result.diagnostics,
        ),
        InputKind::Unknown if input.named => {
            result.input_failed = true;
            result.diagnostics.push(
                Diagnostic::error(
                    "input-unknown-kind",
                    format!("`{}` is not an input poolscope knows", source.path),
                )
                .at(&doc.loc, "not a policy, CLI snapshot, template or plan")
                .with_help(
                    "poolscope reads IAM policy documents, the JSON output of the AWS CLI \
                     commands listed in the docs, CloudFormation templates and Terraform JSON",
                ),
            );
        }
        InputKind::Unknown => skip(result, source, "not an input poolscope knows"),
    }
}

fn skip(result: &mut LoadResult, source: &SourceFile, reason: &str) {
    result.diagnostics.push(Diagnostic::note(
        "input-skipped",
        format!("skipped `{}`: {reason}", source.path),
    ));
    result.skipped.push(SkippedFile {
        path: source.path.clone(),
        reason: reason.to_string(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> InputKind {
        detect_kind(&json::parse_str("t.json", text).expect("valid JSON"))
    }

    // docs/cli-inputs.md: kinds are recognised by content.
    #[test]
    fn kinds_are_detected_by_content() {
        let cases: [(&str, InputKind); 19] = [
            (
                r#"{"PoolscopeSnapshot":1,"Calls":[]}"#,
                InputKind::SnapshotManifest,
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[]}"#,
                InputKind::PolicyDocument,
            ),
            (
                r#"{"Resources":{"R":{"Type":"AWS::IAM::Role"}}}"#,
                InputKind::CloudFormation,
            ),
            (
                r#"{"AWSTemplateFormatVersion":"2010-09-09"}"#,
                InputKind::CloudFormation,
            ),
            (
                r#"{"format_version":"1.2","planned_values":{}}"#,
                InputKind::Terraform,
            ),
            (
                r#"{"format_version":"1.0","values":{}}"#,
                InputKind::Terraform,
            ),
            (
                r#"{"RoleDetailList":[],"Policies":[]}"#,
                InputKind::AwsCli(CliShape::AccountAuthorizationDetails),
            ),
            (
                r#"{"IdentityPoolId":"us-east-1:x","IdentityPoolName":"p","AllowUnauthenticatedIdentities":true}"#,
                InputKind::AwsCli(CliShape::IdentityPool),
            ),
            (
                r#"{"IdentityPoolId":"us-east-1:x","Roles":{}}"#,
                InputKind::AwsCli(CliShape::IdentityPoolRoles),
            ),
            (
                r#"{"IdentityPoolId":"us-east-1:x","IdentityProviderName":"p","UseDefaults":true}"#,
                InputKind::AwsCli(CliShape::PrincipalTagMap),
            ),
            (
                r#"{"UserPool":{"Id":"us-east-1_x"}}"#,
                InputKind::AwsCli(CliShape::UserPool),
            ),
            (
                r#"{"UserPoolClient":{"ClientId":"c","UserPoolId":"us-east-1_x"}}"#,
                InputKind::AwsCli(CliShape::UserPoolClient),
            ),
            (r#"{"Groups":[]}"#, InputKind::AwsCli(CliShape::Groups)),
            (
                r#"{"Bucket":"b","Policy":"{}"}"#,
                InputKind::AwsCli(CliShape::BucketPolicy),
            ),
            (
                r#"{"Policy":"{\"Statement\":[]}"}"#,
                InputKind::AwsCli(CliShape::RawBucketPolicy),
            ),
            (
                r#"{"Bucket":"b","PublicAccessBlockConfiguration":{}}"#,
                InputKind::AwsCli(CliShape::PublicAccessBlock),
            ),
            (
                r#"{"AccountId":"111122223333","PublicAccessBlockConfiguration":{}}"#,
                InputKind::AwsCli(CliShape::PublicAccessBlock),
            ),
            // `iam get-policy` output is not a bucket policy
            (
                r#"{"Policy":{"PolicyName":"p","Arn":"arn:aws:iam::1:policy/p"}}"#,
                InputKind::Unknown,
            ),
            (r#"[1, 2]"#, InputKind::Unknown),
        ];
        for (text, expected) in cases {
            assert_eq!(kind(text), expected, "{text}");
        }
    }

    #[test]
    fn unknown_files_are_notes_unless_named_and_bad_json_is_an_error() {
        let files = [
            ("notes.json", r#"{"hello": 1}"#, false),
            ("broken.json", r#"{"hello": "#, false),
            ("named.json", r#"{"hello": 1}"#, true),
            ("stack.yaml", "Resources: {}", false),
            (
                "stack.json",
                r#"{"Resources":{"R":{"Type":"AWS::S3::Bucket"}}}"#,
                false,
            ),
        ];
        let inputs: Vec<InputFile> = files
            .iter()
            .map(|(path, text, named)| InputFile {
                source: SourceFile::new(*path, *text),
                named: *named,
            })
            .collect();
        let result = load_files(&inputs);
        assert!(result.input_failed);
        let codes: Vec<_> = result.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            vec![
                "input-skipped",
                "json-syntax",
                "input-unknown-kind",
                "input-skipped",
                "cfn-assumed-account",
            ]
        );
        // `stack.yaml` declares no resource: no template, by content.
        let skipped: Vec<_> = result.skipped.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(skipped, vec!["notes.json", "stack.yaml"]);
        assert_eq!(result.files_read, 5);
    }

    fn load_and_require(files: &[(&str, &str)]) -> LoadResult {
        let inputs: Vec<InputFile> = files
            .iter()
            .map(|(path, text)| InputFile {
                source: SourceFile::new(*path, *text),
                named: false,
            })
            .collect();
        let mut result = load_files(&inputs);
        result.require_something_to_analyse();
        result
    }

    // docs/cli.md, "Fail closed": no identity pool, role or policy read.
    #[test]
    fn inputs_without_a_pool_role_or_policy_are_nothing_to_analyse() {
        // A user pool alone gives no route to credentials and no statement.
        let result = load_and_require(&[
            ("package.json", r#"{"name": "web"}"#),
            ("pool.json", r#"{"UserPool": {"Id": "us-east-1_AbC"}}"#),
        ]);
        assert!(result.input_failed);
        let error = result.errors().last().expect("an error is reported");
        assert_eq!(error.code, "input-nothing-to-analyse");
        assert_eq!(
            error.message,
            "nothing to analyse: the inputs hold no identity pool, role or policy"
        );
        let help = error.help.as_deref().expect("the error has help");
        assert_eq!(
            help.lines().next(),
            Some("skipped `package.json`: not an input poolscope knows")
        );

        let policy =
            load_and_require(&[("p.json", r#"{"Version": "2012-10-17", "Statement": []}"#)]);
        assert!(!policy.input_failed);
        assert_eq!(policy.errors().count(), 0);

        // A broken file's own error says what is wrong; no second error.
        let broken = load_and_require(&[("b.json", "{")]);
        let codes: Vec<_> = broken.errors().map(|d| d.code).collect();
        assert_eq!(codes, ["json-syntax"]);
    }
}
