//! Nested stacks: several templates, one model.
//!
//! An `AWS::CloudFormation::Stack` resource names its template by
//! `TemplateURL`, an S3 URL when deployed (CloudFormation User Guide,
//! `AWS::CloudFormation::Stack`). poolscope has the template files, not the
//! bucket, so the URL is matched to a loaded template by its file name and
//! as many of the folders before it as agree ([`Catalog::find`]); a
//! relative path (what `aws cloudformation package` reads) and the CDK's
//! `aws:asset:path` metadata are taken relative to the parent template, and
//! the object key of a CDK asset manifest names its template file.
//! The child is evaluated with the `Parameters` the parent passes and named
//! `PARENT-LOGICALID-generated`, as AWS names nested stacks after their
//! parent and logical id; its `Outputs` are what the parent's
//! `Fn::GetAtt [Stack, Outputs.NAME]` returns. A template that matches
//! nothing leaves the nested stack's outputs unknown, with a warning.

use std::collections::HashMap;
use std::path::{Component, Path};
use std::rc::Rc;

use crate::diagnostic::Diagnostic;
use crate::ingest::unknown;
use crate::source::{Location, Value};

use super::Template;
use super::intrinsics::{Pseudo, Stack, relocate, string};

/// How many stacks deep nesting is followed: past it (a template that
/// nests itself), a nested stack is read as one whose template is missing.
pub const MAX_DEPTH: usize = 10;

/// Every loaded template, for nested stacks to find theirs.
pub struct Catalog<'t> {
    pub templates: &'t [Template],
    /// Each template's path, as components.
    paths: Vec<Vec<String>>,
    /// `--param` values (template parameters only).
    pub params: &'t HashMap<String, (String, Location)>,
    /// The `Export`s of every template, for `Fn::ImportValue`.
    pub exports: HashMap<String, Value>,
    /// The S3 object keys the CDK publishes templates to
    /// ([`super::cdk::asset_keys`]).
    pub assets: HashMap<String, usize>,
}

/// A nested stack, evaluated: its template, name and parameters, and its
/// outputs.
#[derive(Debug)]
pub struct Nested {
    /// The index of its template in the catalog; `None` when no loaded
    /// template matches.
    pub template: Option<usize>,
    pub pseudo: Pseudo,
    pub params: HashMap<String, Value>,
    outputs: HashMap<String, Value>,
}

/// What a URL or path matches among the loaded templates.
enum Found {
    One(usize),
    None,
    Ambiguous(Vec<usize>),
}

impl<'t> Catalog<'t> {
    pub fn new(
        templates: &'t [Template],
        params: &'t HashMap<String, (String, Location)>,
        exports: HashMap<String, Value>,
        assets: HashMap<String, usize>,
    ) -> Catalog<'t> {
        Catalog {
            paths: templates
                .iter()
                .map(|t| components(Path::new(&t.file.path)))
                .collect(),
            templates,
            params,
            exports,
            assets,
        }
    }

    /// The template at exactly this path.
    fn at(&self, path: &[String]) -> Option<usize> {
        self.paths.iter().position(|p| p == path)
    }

    /// The template whose path ends with the most of `segments`' last
    /// ones, the file name at least; a tie is ambiguous.
    fn find(&self, segments: &[String]) -> Found {
        let mut best = 0;
        let mut found = Vec::new();
        for (index, path) in self.paths.iter().enumerate() {
            let agree = path
                .iter()
                .rev()
                .zip(segments.iter().rev())
                .take_while(|(a, b)| a == b)
                .count();
            if agree == 0 || agree < best {
                continue;
            }
            if agree > best {
                best = agree;
                found.clear();
            }
            found.push(index);
        }
        match found.as_slice() {
            [] => Found::None,
            [one] => Found::One(*one),
            _ => Found::Ambiguous(found),
        }
    }
}

/// A path as its normal components, `.` dropped and `..` applied.
fn components(path: &Path) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => out.push(part.to_string_lossy().into_owned()),
            Component::ParentDir if out.last().is_some_and(|last| last != "..") => {
                out.pop();
            }
            Component::ParentDir => out.push("..".to_string()),
            Component::RootDir => out.push(String::new()),
            Component::CurDir | Component::Prefix(_) => {}
        }
    }
    out
}

/// The path segments of a `TemplateURL`: after the host for a URL
/// (`https://s3.amazonaws.com/BUCKET/KEY`, `s3://BUCKET/KEY`), all of
/// them for a relative path; query and fragment dropped.
fn url_segments(url: &str) -> (bool, Vec<String>) {
    let url = url.split(['?', '#']).next().unwrap_or_default();
    let (relative, path) = match url.split_once("://") {
        Some((_, rest)) => (false, rest.split_once('/').map_or("", |(_, path)| path)),
        None => (true, url),
    };
    let segments = path
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .map(str::to_string)
        .collect();
    (relative, segments)
}

impl<'t> Stack<'t> {
    /// A stack for template `index` of the catalog: `passed` are the
    /// parameters a parent stack gives (over `--param`), `depth` how many
    /// parents it has.
    pub fn in_catalog(
        catalog: &'t Catalog<'t>,
        index: usize,
        pseudo: Pseudo,
        passed: &HashMap<String, Value>,
        depth: usize,
    ) -> Stack<'t> {
        let template = &catalog.templates[index];
        let mut stack = Stack::new(
            template.file.clone(),
            &template.doc,
            pseudo,
            catalog.params,
            catalog.exports.clone(),
        );
        stack.catalog = Some(catalog);
        stack.depth = depth;
        if !passed.is_empty() {
            let mut given: HashMap<String, Value> = catalog
                .params
                .iter()
                .map(|(key, (text, loc))| (key.clone(), string(text, loc)))
                .collect();
            given.extend(passed.iter().map(|(k, v)| (k.clone(), v.clone())));
            stack.set_parameters(&given);
        }
        stack
    }

    /// The loaded template a nested stack resource names, with a warning
    /// when there is none or more than one.
    pub fn nested_template(&mut self, logical_id: &str) -> Option<usize> {
        let catalog = self.catalog?;
        let declared = self.resource(logical_id)?.clone();
        let parent = components(Path::new(&self.file.path));
        let parent_dir = &parent[..parent.len().saturating_sub(1)];
        // The CDK records the file of a nested stack's template.
        if let Some(asset) = declared
            .metadata
            .and_then(|m| m.get("aws:asset:path"))
            .and_then(Value::as_str)
        {
            let mut path = parent_dir.to_vec();
            path.extend(components(Path::new(asset)));
            if let Some(index) = catalog.at(&components(Path::new(&path.join("/")))) {
                return Some(index);
            }
        }
        let Some(url_value) = declared.properties.and_then(|p| p.get("TemplateURL")) else {
            self.diagnostics.push(
                Diagnostic::error(
                    "cfn-missing-property",
                    format!("nested stack `{logical_id}` has no `TemplateURL`"),
                )
                .at(&declared.loc, "this nested stack"),
            );
            return None;
        };
        let url = self
            .eval(url_value)
            .and_then(|v| v.scalar_text())
            .unwrap_or_default();
        let (relative, segments) = url_segments(&url);
        let last_known = segments.last().is_some_and(|s| !unknown::is_unknown(s));
        if relative && last_known {
            let mut path = parent_dir.to_vec();
            path.extend(components(Path::new(&segments.join("/"))));
            if let Some(index) = catalog.at(&components(Path::new(&path.join("/")))) {
                return Some(index);
            }
        }
        if let Some(&index) = segments.last().and_then(|key| catalog.assets.get(key)) {
            return Some(index);
        }
        let found = if last_known {
            catalog.find(&segments)
        } else {
            Found::None
        };
        let why = match found {
            Found::One(index) => return Some(index),
            Found::None => "is not among the inputs".to_string(),
            Found::Ambiguous(indices) => format!(
                "matches several inputs equally well ({})",
                indices
                    .iter()
                    .map(|&i| format!("`{}`", catalog.templates[i].file.path))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        self.diagnostics.push(
            Diagnostic::warning(
                "cfn-nested-template-missing",
                format!(
                    "the template of nested stack `{logical_id}` (`{}`) {why}: its resources \
                     are not read and its outputs are unknown",
                    unknown::describe(&url)
                ),
            )
            .at(&url_value.loc, "TemplateURL")
            .with_help(
                "add the child template to the inputs: `TemplateURL` is matched to a loaded \
                 template by its file name and the folders before it",
            ),
        );
        None
    }

    /// A nested stack resource, evaluated once: its template, the
    /// parameters the parent passes, its outputs. `None` inside a cycle.
    pub fn nested(&mut self, logical_id: &str) -> Option<Rc<Nested>> {
        if let Some(done) = self.nested.get(logical_id) {
            return done.clone();
        }
        self.nested.insert(logical_id.to_string(), None);
        let declared = self.resource(logical_id)?.clone();
        let mut template = self.nested_template(logical_id);
        if template.is_some() && self.depth >= MAX_DEPTH {
            self.diagnostics.push(
                Diagnostic::warning(
                    "cfn-nested-template-missing",
                    format!(
                        "nested stack `{logical_id}` is nested more than {MAX_DEPTH} stacks \
                         deep (a template that nests itself?): its resources are not read \
                         and its outputs are unknown"
                    ),
                )
                .at(&declared.loc, "this nested stack"),
            );
            template = None;
        }
        let mut params = HashMap::new();
        if let Some(passed) = declared.properties.and_then(|p| p.get("Parameters"))
            && let Some(passed) = self.eval(passed)
        {
            for member in passed.as_object().unwrap_or(&[]) {
                params.insert(member.key.clone(), member.value.clone());
            }
        }
        let pseudo = Pseudo {
            stack_name: format!("{}-{logical_id}-generated", self.pseudo.stack_name),
            ..self.pseudo.clone()
        };
        let mut outputs = HashMap::new();
        if let (Some(index), Some(catalog)) = (template, self.catalog) {
            let mut child =
                Stack::in_catalog(catalog, index, pseudo.clone(), &params, self.depth + 1);
            for member in child
                .doc
                .get("Outputs")
                .and_then(Value::as_object)
                .unwrap_or(&[])
            {
                if let Some(value) = member.value.get("Value")
                    && let Some(value) = child.eval(value)
                {
                    outputs.insert(member.key.clone(), value);
                }
            }
            self.diagnostics.append(&mut child.diagnostics);
        }
        let nested = Rc::new(Nested {
            template,
            pseudo,
            params,
            outputs,
        });
        self.nested
            .insert(logical_id.to_string(), Some(nested.clone()));
        Some(nested)
    }

    /// `Fn::GetAtt [Stack, Outputs.NAME]`: the child's output; unknown
    /// when its template is not loaded or has no such output.
    pub fn stack_output(&mut self, logical_id: &str, output: &str, at: &Location) -> Value {
        let what = format!("Fn::GetAtt {logical_id}.Outputs.{output}");
        let Some(nested) = self.nested(logical_id) else {
            return self.unknown(
                &what,
                at,
                "the nested stacks refer to each other in a cycle",
            );
        };
        if nested.template.is_none() {
            return self.unknown(
                &what,
                at,
                "the nested stack's template is not among the inputs: add it",
            );
        }
        match nested.outputs.get(output) {
            Some(value) => relocate(value.clone(), at),
            None => self.unknown(&what, at, "the nested stack's template has no such output"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_give_the_segments_after_the_host() {
        let (relative, segments) = url_segments(
            "https://s3.amazonaws.com/amplify-app-dev-deployment/amplify-cfn-templates/auth/a.json?v=1",
        );
        assert!(!relative);
        assert_eq!(
            segments,
            [
                "amplify-app-dev-deployment",
                "amplify-cfn-templates",
                "auth",
                "a.json"
            ]
        );
        assert_eq!(url_segments("s3://b/k/c.yaml").1, ["k", "c.yaml"]);
        assert_eq!(
            url_segments("./nested/c.yaml"),
            (true, vec!["nested".to_string(), "c.yaml".to_string()])
        );
    }

    #[test]
    fn paths_are_normalised() {
        assert_eq!(components(Path::new("a/./b/../c.json")), ["a", "c.json"]);
        assert_eq!(components(Path::new("../x.json")), ["..", "x.json"]);
    }
}
