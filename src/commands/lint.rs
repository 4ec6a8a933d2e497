//! `poolscope lint`: validation of policy documents alone.
//!
//! Reads every file under the given paths and validates every policy it
//! finds: standalone IAM policy documents, and the policies embedded in AWS
//! CLI snapshots, CloudFormation templates and Terraform JSON (trust
//! policies, inline and managed policies, bucket policies), each validated
//! as the kind of policy it is. Each file is read on its own: a template's
//! `Fn::ImportValue` of another template's export is unknown here, and
//! `--param` fills template parameters. Files of no kind
//! poolscope reads are skipped with a note when found by walking a directory;
//! a file named on the command line of no known kind is an input error
//! (exit 2), as is malformed JSON anywhere. Every file is diagnosed before
//! the exit status is decided, so one broken file hides nothing. Inputs in
//! which no policy was found at all are an error too (exit 2,
//! `input-nothing-to-analyse`): a gate must not pass on an empty directory.

use crate::commands::{ExitStatus, findings_status};
use crate::diagnostic::{Diagnostic, Severity};
use crate::ingest::cloudformation::Params;
use crate::ingest::{self, InputFile, InputKind, Inputs, SkippedFile};
use crate::policy::catalogue::Catalogue;
use crate::policy::{Policy, PolicyKind, parse, validate};
use crate::report::FindingReport;
use crate::source::{files, json, yaml};

#[derive(Debug)]
pub struct LintOutcome {
    pub report: FindingReport,
    /// Some input could not be read or parsed at all, or none held a policy.
    pub input_failed: bool,
}

impl LintOutcome {
    /// The exit status for a failure threshold (`None`: never fail on findings).
    pub fn status(&self, fail_on: Option<Severity>) -> ExitStatus {
        findings_status(self.input_failed, &self.report, fail_on)
    }
}

/// What lint reads, for the help of `input-nothing-to-analyse`.
const LINT_READS: &str = "lint reads IAM policy documents (JSON objects with a `Statement`) and \
                          the policies inside AWS CLI snapshots, CloudFormation templates and \
                          Terraform JSON";

/// Lints the files under `paths`; `exclude` is the `--exclude` globs and
/// `params` the `--param KEY=VALUE` arguments for templates.
pub fn lint(inputs: &Inputs) -> LintOutcome {
    let catalogue = Catalogue::builtin();
    let mut report = FindingReport {
        command: "lint",
        ..FindingReport::default()
    };
    let params = match Params::parse(&inputs.params) {
        Ok(params) => params,
        Err(problems) => {
            report.findings.extend(problems);
            return LintOutcome {
                report,
                input_failed: true,
            };
        }
    };
    let collected = match files::Exclude::new(&inputs.exclude) {
        Ok(exclude) => files::collect(&inputs.paths, &exclude),
        Err(problems) => {
            report.findings.extend(problems);
            return LintOutcome {
                report,
                input_failed: true,
            };
        }
    };
    let mut input_failed = collected.failed();
    report.findings.extend(collected.diagnostics);
    let mut skipped = Vec::new();
    // Policies seen, whether they parsed or not: a file whose only policy is
    // broken has its findings, and is not "nothing to analyse".
    let mut policies = 0;

    for file in collected.files {
        let source = match files::read(&file.path) {
            Ok(source) => source,
            Err(diagnostic) => {
                input_failed = true;
                report.findings.push(diagnostic);
                continue;
            }
        };
        let yaml = files::is_yaml(&file.path)
            || (file.path.extension().is_some_and(|e| e == "template")
                && !source.text.trim_start().starts_with('{'));
        let parsed = if yaml {
            yaml::parse(&source)
        } else {
            json::parse(&source)
        };
        let document = match parsed {
            Ok(document) => document,
            Err(diagnostic) => {
                input_failed = true;
                report.files_read += 1;
                report.findings.push(diagnostic);
                continue;
            }
        };
        report.files_read += 1;
        let kind = ingest::detect_kind(&document);
        if matches!(
            kind,
            InputKind::AwsCli(_)
                | InputKind::CloudFormation
                | InputKind::Terraform
                | InputKind::SnapshotManifest
        ) {
            policies += lint_embedded(source, file.named, &params, catalogue, &mut report);
            continue;
        }
        if kind != InputKind::PolicyDocument {
            if file.named {
                input_failed = true;
                report.findings.push(
                    Diagnostic::error(
                        "input-unknown-kind",
                        format!("`{}` is not an IAM policy document", source.path),
                    )
                    .at(&document.loc, "no top-level `Statement` here")
                    .with_help(
                        "lint reads policy documents (JSON objects with a `Statement`), AWS \
                         CLI snapshots, CloudFormation templates and Terraform JSON",
                    ),
                );
            } else {
                skip(
                    &mut report,
                    &mut skipped,
                    &source.path,
                    "not an IAM policy document",
                );
            }
            continue;
        }
        policies += 1;
        match parse::parse_policy(&document, &source.path, PolicyKind::Unknown) {
            Ok(parsed) => {
                report.findings.extend(parsed.diagnostics);
                report.findings.extend(validate::validate(
                    &parsed.policy,
                    PolicyKind::Unknown,
                    catalogue,
                ));
            }
            Err(diagnostics) => report.findings.extend(diagnostics),
        }
    }
    if policies == 0 && !input_failed {
        input_failed = true;
        report.findings.push(ingest::nothing_to_analyse(
            "no policy",
            LINT_READS,
            report.files_read,
            &skipped,
        ));
    }
    report.sort();
    LintOutcome {
        report,
        input_failed,
    }
}

fn skip(report: &mut FindingReport, skipped: &mut Vec<SkippedFile>, path: &str, reason: &str) {
    report.files_skipped += 1;
    report.findings.push(Diagnostic::note(
        "input-skipped",
        format!("skipped `{path}`: {reason}"),
    ));
    skipped.push(SkippedFile {
        path: path.to_string(),
        reason: reason.to_string(),
    });
}

/// Validates the policies an AWS CLI snapshot, template or Terraform file
/// holds, each as its kind. The file is read on its own, so only problems
/// inside it are reported (links to other files are `audit`'s business);
/// with them, what the file leaves unknown (`cfn-…`, `tf-…`). Returns how
/// many policies it held (validated, or reported as not parsing).
fn lint_embedded(
    source: std::sync::Arc<crate::source::SourceFile>,
    named: bool,
    params: &Params,
    catalogue: &Catalogue,
    report: &mut FindingReport,
) -> usize {
    let loaded = ingest::load_files_with(&[InputFile { source, named }], params);
    let before = report.findings.len();
    report
        .findings
        .extend(loaded.diagnostics.into_iter().filter(|d| {
            d.code.starts_with("policy-") || d.code.starts_with("cfn-") || d.code.starts_with("tf-")
        }));
    // Problems that kept a policy from parsing count as one policy seen: the
    // file held something to lint and its findings say what.
    let mut policies = usize::from(report.findings.len() > before);
    let inventory = &loaded.inventory;
    let mut check = |policy: &Policy, kind: PolicyKind| {
        policies += 1;
        report
            .findings
            .extend(validate::validate(policy, kind, catalogue));
    };
    for role in inventory.roles() {
        if let Some(trust) = &role.trust_policy {
            check(trust, PolicyKind::Trust);
        }
        for inline in &role.inline_policies {
            if let Some(policy) = &inline.policy {
                check(policy, PolicyKind::Identity);
            }
        }
    }
    for managed in inventory.managed_policies() {
        if let Some(policy) = &managed.policy {
            check(policy, PolicyKind::Identity);
        }
    }
    for bucket in inventory.bucket_policies() {
        check(&bucket.policy, PolicyKind::Resource);
    }
    policies
}
