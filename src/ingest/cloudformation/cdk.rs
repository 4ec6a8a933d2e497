//! `cdk synth` output: the cloud assembly's `manifest.json` names each
//! stack's template, the stack's name and the environment it deploys to.
//!
//! The templates themselves are ordinary CloudFormation templates (nested
//! stacks included, found by their `aws:asset:path` metadata,
//! [`super::nested`]); the manifest only tells what `AWS::StackName`,
//! `AWS::AccountId` and `AWS::Region` are for each: an artifact of type
//! `aws:cloudformation:stack` has `properties.templateFile` (relative to
//! the manifest), an optional `properties.stackName` (else the artifact id
//! is the stack name) and `environment` `aws://ACCOUNT/REGION`, where
//! `unknown-account` and `unknown-region` mean an environment-agnostic
//! stack (AWS CDK Developer Guide, "Environments"; the cloud assembly
//! schema of `@aws-cdk/cloud-assembly-schema`). `--param` still wins.
//!
//! A nested stack's `TemplateURL` names the S3 object its template is
//! published to, `ASSET-BUCKET/HASH.json`; the asset manifest
//! (`STACK.assets.json`) maps each `files` entry's `source.path` to its
//! `destinations`' `objectKey`, which [`asset_keys`] reads so the URL finds
//! the `*.nested.template.json` file (`cdk synth` run by the CDK CLI also
//! writes the path as `aws:asset:path` metadata; an app run with `node`
//! does not).

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::source::Value;

use super::{Manifest, Template};

/// A stack as the manifest names it.
#[derive(Clone, Debug)]
pub struct Deployed {
    pub stack_name: String,
    pub account: Option<String>,
    pub region: Option<String>,
}

const STACK: &str = "aws:cloudformation:stack";

/// Whether a document is a cloud assembly manifest with stacks in it, or
/// an asset manifest with files in it.
pub fn is_cloud_assembly_manifest(doc: &Value) -> bool {
    let assets = doc
        .get("files")
        .and_then(Value::as_object)
        .is_some_and(|files| files.iter().any(|f| f.value.get("source").is_some()));
    doc.get("version").is_some() && (assets || is_stack_manifest(doc))
}

fn is_stack_manifest(doc: &Value) -> bool {
    doc.get("artifacts")
        .and_then(Value::as_object)
        .is_some_and(|artifacts| {
            artifacts
                .iter()
                .any(|a| a.value.get("type").and_then(Value::as_str) == Some(STACK))
        })
}

/// The stacks the manifests name, by the index of their template.
pub fn deployed_stacks(
    manifests: &[Manifest],
    templates: &[Template],
    diagnostics: &mut Vec<Diagnostic>,
) -> HashMap<usize, Deployed> {
    let mut out = HashMap::new();
    for manifest in manifests {
        let dir = Path::new(&manifest.file.path)
            .parent()
            .unwrap_or(Path::new(""));
        let artifacts = manifest.doc.get("artifacts").and_then(Value::as_object);
        for artifact in artifacts.unwrap_or(&[]) {
            if artifact.value.get("type").and_then(Value::as_str) != Some(STACK) {
                continue;
            }
            let properties = artifact.value.get("properties");
            let Some(file) = properties
                .and_then(|p| p.get("templateFile"))
                .and_then(Value::as_str)
            else {
                continue;
            };
            let path = dir.join(file);
            let Some(index) = templates
                .iter()
                .position(|t| Path::new(&t.file.path) == path)
            else {
                diagnostics.push(
                    Diagnostic::note(
                        "cdk-template-missing",
                        format!(
                            "the cloud assembly names stack `{}` with template `{}`, which is \
                             not among the inputs",
                            artifact.key,
                            path.display()
                        ),
                    )
                    .at(&artifact.value.loc, "this stack"),
                );
                continue;
            };
            let stack_name = properties
                .and_then(|p| p.get("stackName"))
                .and_then(Value::as_str)
                .unwrap_or(&artifact.key)
                .to_string();
            let environment = artifact
                .value
                .get("environment")
                .and_then(Value::as_str)
                .and_then(|e| e.strip_prefix("aws://"))
                .and_then(|e| e.split_once('/'));
            let known = |part: &str, unknown: &str| {
                (part != unknown && !part.is_empty()).then(|| part.to_string())
            };
            out.insert(
                index,
                Deployed {
                    stack_name,
                    account: environment.and_then(|(a, _)| known(a, "unknown-account")),
                    region: environment.and_then(|(_, r)| known(r, "unknown-region")),
                },
            );
        }
    }
    out
}

/// The S3 object keys the asset manifests publish templates to, to the
/// index of the template.
pub fn asset_keys(manifests: &[Manifest], templates: &[Template]) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for manifest in manifests {
        let dir = Path::new(&manifest.file.path)
            .parent()
            .unwrap_or(Path::new(""));
        let files = manifest.doc.get("files").and_then(Value::as_object);
        for file in files.unwrap_or(&[]) {
            let Some(source) = file
                .value
                .get("source")
                .and_then(|s| s.get("path"))
                .and_then(Value::as_str)
            else {
                continue;
            };
            let path = dir.join(source);
            let Some(index) = templates
                .iter()
                .position(|t| Path::new(&t.file.path) == path)
            else {
                continue;
            };
            let destinations = file.value.get("destinations").and_then(Value::as_object);
            for destination in destinations.unwrap_or(&[]) {
                if let Some(key) = destination.value.get("objectKey").and_then(Value::as_str) {
                    out.insert(key.to_string(), index);
                }
            }
        }
    }
    out
}
