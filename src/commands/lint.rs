//! `poolscope lint`: validation of policy documents alone.
//!
//! Reads every file under the given paths and validates every policy it
//! finds: standalone IAM policy documents, and the policies embedded in AWS
//! CLI snapshots (trust policies, inline and managed policies, bucket
//! policies), each validated as the kind of policy it is. Files of no kind
//! poolscope reads are skipped with a note when found by walking a directory;
//! a file named on the command line of no known kind is an input error
//! (exit 2), as is malformed JSON anywhere.

use std::path::PathBuf;

use crate::commands::ExitStatus;
use crate::diagnostic::{Diagnostic, Severity};
use crate::ingest::{self, InputFile, InputKind};
use crate::policy::catalogue::Catalogue;
use crate::policy::{Policy, PolicyKind, parse, validate};
use crate::report::FindingReport;
use crate::source::{files, json};

#[derive(Debug)]
pub struct LintOutcome {
    pub report: FindingReport,
    /// Some input could not be read or parsed at all.
    pub input_failed: bool,
}

impl LintOutcome {
    /// The exit status for a failure threshold (`None`: never fail on findings).
    pub fn status(&self, fail_on: Option<Severity>) -> ExitStatus {
        if self.input_failed {
            return ExitStatus::BadInput;
        }
        match (fail_on, self.report.worst()) {
            (Some(threshold), Some(worst)) if worst >= threshold => ExitStatus::Findings,
            _ => ExitStatus::Clean,
        }
    }
}

/// Lints the files under `paths`; `exclude` is the `--exclude` globs.
pub fn lint(paths: &[PathBuf], exclude: &[String]) -> LintOutcome {
    let catalogue = Catalogue::builtin();
    let mut report = FindingReport {
        command: "lint",
        ..FindingReport::default()
    };
    let collected = match files::Exclude::new(exclude) {
        Ok(exclude) => files::collect(paths, &exclude),
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

    for file in collected.files {
        let source = match files::read(&file.path) {
            Ok(source) => source,
            Err(diagnostic) => {
                input_failed = true;
                report.findings.push(diagnostic);
                continue;
            }
        };
        if files::is_yaml(&file.path) {
            report.files_skipped += 1;
            report.findings.push(Diagnostic::note(
                "input-skipped",
                format!(
                    "skipped `{}`: lint reads JSON policy documents; YAML templates are not read yet",
                    source.path
                ),
            ));
            continue;
        }
        let document = match json::parse(&source) {
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
        if let InputKind::AwsCli(_) = kind {
            lint_snapshot(source, file.named, catalogue, &mut report);
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
                        "lint reads policy documents (JSON objects with a `Statement`) and AWS \
                         CLI snapshots",
                    ),
                );
            } else {
                report.files_skipped += 1;
                report.findings.push(Diagnostic::note(
                    "input-skipped",
                    format!("skipped `{}`: not an IAM policy document", source.path),
                ));
            }
            continue;
        }
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
    report.sort();
    LintOutcome {
        report,
        input_failed,
    }
}

/// Validates the policies an AWS CLI snapshot file holds, each as its kind.
/// The file is read on its own, so only problems inside it are reported
/// (links to other files are `audit`'s business).
fn lint_snapshot(
    source: std::sync::Arc<crate::source::SourceFile>,
    named: bool,
    catalogue: &Catalogue,
    report: &mut FindingReport,
) {
    let loaded = ingest::load_files(&[InputFile { source, named }]);
    report.findings.extend(
        loaded
            .diagnostics
            .into_iter()
            .filter(|d| d.code.starts_with("policy-")),
    );
    let inventory = &loaded.inventory;
    let mut check = |policy: &Policy, kind: PolicyKind| {
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
}
