//! `poolscope.toml`: the audit's settings kept with the inputs
//! (docs/cli.md, "Configuration").
//!
//! The file is found next to the first input path (in the directory named,
//! or in the directory of the file named), or given with `--config FILE`.
//! It sets the default of `--fail-on`, overrides checks' severities, and
//! lists findings to ignore, each with a reason the reports print. Unknown
//! keys, unknown check ids, bad values and an ignore without a reason are
//! errors pointing into the file (exit 2): a gate never runs on settings it
//! did not understand.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::checks::{CATALOGUE, Witness};
use crate::diagnostic::{Diagnostic, Severity, did_you_mean};
use crate::policy::pattern::string_like;
use crate::source::{Location, SourceFile, Span};

/// The file name looked for next to the inputs.
pub const FILE_NAME: &str = "poolscope.toml";

/// The settings of a `poolscope.toml` (all empty without one).
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file read, if any.
    pub path: Option<PathBuf>,
    /// `fail-on`: `Some(None)` is `never`.
    pub fail_on: Option<Option<Severity>>,
    /// `[checks.ID] severity`, by check id.
    pub severities: BTreeMap<&'static str, Severity>,
    pub ignores: Vec<Ignore>,
}

/// One `[[ignore]]` entry.
#[derive(Clone, Debug)]
pub struct Ignore {
    pub check: &'static str,
    /// A resource or principal pattern (IAM wildcards), or a file path
    /// (relative to the working directory or to the configuration file).
    pub pattern: String,
    pub reason: String,
    /// The directory of the configuration file.
    base: PathBuf,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    fail_on: Option<Spanned<String>>,
    #[serde(default)]
    checks: BTreeMap<Spanned<String>, RawCheck>,
    #[serde(default)]
    ignore: Vec<Spanned<RawIgnore>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    severity: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    check: Spanned<String>,
    #[serde(rename = "where")]
    pattern: Spanned<String>,
    reason: Option<Spanned<String>>,
}

/// Where the configuration is: `explicit`, or `poolscope.toml` next to the
/// first input path when there is one.
pub fn locate(explicit: Option<&Path>, inputs: &[PathBuf]) -> Option<PathBuf> {
    if let Some(path) = explicit {
        return Some(path.to_path_buf());
    }
    let first = inputs.first()?;
    let dir = if first.is_dir() {
        first.clone()
    } else {
        match first.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        }
    };
    let candidate = dir.join(FILE_NAME);
    candidate.is_file().then_some(candidate)
}

/// Reads the configuration for these inputs; no file is an empty one.
pub fn load(explicit: Option<&Path>, inputs: &[PathBuf]) -> Result<Config, Vec<Diagnostic>> {
    let Some(path) = locate(explicit, inputs) else {
        return Ok(Config::default());
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        vec![
            Diagnostic::error(
                "config-unreadable",
                format!("cannot read `{}`: {e}", path.display()),
            )
            .with_help("give `--config` a readable poolscope.toml, or leave it out"),
        ]
    })?;
    parse(&path, &text)
}

/// Parses a configuration file's text; `path` names it in diagnostics.
pub fn parse(path: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
    let file = SourceFile::new(path.display().to_string(), text);
    let at = |span: std::ops::Range<usize>| {
        Location::new(file.clone(), Span::new(span.start, span.end), "")
    };
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let mut d = Diagnostic::error(
            "config-invalid",
            format!(
                "`{}` is not a valid poolscope.toml: {}",
                path.display(),
                e.message()
            ),
        )
        .with_help(
            "poolscope.toml takes `fail-on`, `[checks.ID] severity` and `[[ignore]]` entries \
             with `check`, `where` and `reason` (docs/cli.md, \"Configuration\")",
        );
        if let Some(span) = e.span() {
            d = d.at(&at(span), "here");
        }
        vec![d]
    })?;
    let mut problems = Vec::new();
    let mut config = Config {
        path: Some(path.to_path_buf()),
        ..Config::default()
    };
    if let Some(fail_on) = &raw.fail_on {
        match fail_on.get_ref().as_str() {
            "never" => config.fail_on = Some(None),
            other => match severity(other) {
                Some(s) => config.fail_on = Some(Some(s)),
                None => problems.push(bad_value(
                    &at(fail_on.span()),
                    "fail-on",
                    other,
                    "error, warning, note or never",
                )),
            },
        }
    }
    for (id, check) in &raw.checks {
        let Some(known) = check_id(id, &at, &mut problems) else {
            continue;
        };
        if let Some(value) = &check.severity {
            match severity(value.get_ref()) {
                Some(s) => {
                    config.severities.insert(known, s);
                }
                None => problems.push(bad_value(
                    &at(value.span()),
                    "severity",
                    value.get_ref(),
                    "error, warning or note",
                )),
            }
        }
    }
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    for entry in &raw.ignore {
        let ignore = entry.get_ref();
        let check = check_id(&ignore.check, &at, &mut problems);
        let reason = ignore
            .reason
            .as_ref()
            .map(|r| r.get_ref().trim().to_string())
            .filter(|r| !r.is_empty());
        if reason.is_none() {
            let loc = at(ignore
                .reason
                .as_ref()
                .map_or_else(|| entry.span(), |r| r.span()));
            problems.push(
                Diagnostic::error(
                    "config-ignore-without-reason",
                    "an `[[ignore]]` entry has no `reason`",
                )
                .at(&loc, "this entry")
                .with_help(
                    "say why the finding is accepted (`reason = \"static website, public by \
                     design\"`): reports print it next to what they leave out",
                ),
            );
        }
        if let (Some(check), Some(reason)) = (check, reason) {
            config.ignores.push(Ignore {
                check,
                pattern: ignore.pattern.get_ref().clone(),
                reason,
                base: base.clone(),
            });
        }
    }
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(problems)
    }
}

fn severity(text: &str) -> Option<Severity> {
    match text {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "note" => Some(Severity::Note),
        _ => None,
    }
}

fn bad_value(loc: &Location, key: &str, value: &str, choices: &str) -> Diagnostic {
    Diagnostic::error("config-bad-value", format!("`{key}` cannot be `{value}`"))
        .at(loc, format!("one of {choices}"))
        .with_help(format!("write one of {choices}"))
}

/// The catalogue's id for `id`, or a problem pointing at it.
fn check_id(
    id: &Spanned<String>,
    at: &impl Fn(std::ops::Range<usize>) -> Location,
    problems: &mut Vec<Diagnostic>,
) -> Option<&'static str> {
    let text = id.get_ref();
    if let Some(check) = CATALOGUE.iter().find(|c| c.info.id == text) {
        return Some(check.info.id);
    }
    let ids = CATALOGUE.iter().map(|c| c.info.id);
    let help = match did_you_mean(text, ids.clone()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("the checks are {}", ids.collect::<Vec<_>>().join(", ")),
    };
    problems.push(
        Diagnostic::error(
            "config-unknown-check",
            format!("no check of the catalogue is called `{text}`"),
        )
        .at(&at(id.span()), "unknown check id")
        .with_help(help),
    );
    None
}

impl Config {
    /// The severity `poolscope.toml` gives `check`, if it overrides it.
    pub fn severity(&self, check: &str) -> Option<Severity> {
        self.severities.get(check).copied()
    }

    /// The first `[[ignore]]` entry that covers this finding.
    pub fn ignore_for(&self, diagnostic: &Diagnostic, witness: Option<&Witness>) -> Option<usize> {
        self.ignores.iter().position(|ignore| {
            ignore.check == diagnostic.code && ignore.covers(diagnostic, witness)
        })
    }
}

impl Ignore {
    /// Whether `where` names one of the finding's files, or a resource or
    /// principal it is about: a name in backticks in its message, or any
    /// text of its witness (resource, caller, principal, role).
    fn covers(&self, diagnostic: &Diagnostic, witness: Option<&Witness>) -> bool {
        let pattern = self.pattern.replace('\\', "/");
        let matches = |subject: &str| subject == pattern || string_like(&pattern, subject);
        let base = self.base.to_string_lossy().replace('\\', "/");
        let files = diagnostic
            .primary
            .iter()
            .chain(diagnostic.related.iter())
            .map(|label| label.loc.path().replace('\\', "/"));
        for file in files {
            let file = file.strip_prefix("./").unwrap_or(&file).to_string();
            let relative = file.strip_prefix(&format!("{base}/")).map(str::to_string);
            if matches(&file) || relative.as_deref().is_some_and(matches) {
                return true;
            }
        }
        let mut subjects: Vec<String> = diagnostic
            .message
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
        if let Some(witness) = witness
            && let Ok(value) = serde_json::to_value(witness)
        {
            strings(&value, &mut subjects);
        }
        subjects.iter().any(|s| matches(s))
    }
}

/// Every string inside a JSON value.
fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<Diagnostic> {
        parse(Path::new("poolscope.toml"), text).expect_err("a problem")
    }

    #[test]
    fn reads_every_setting() {
        let config = parse(
            Path::new("dir/poolscope.toml"),
            "fail-on = \"error\"\n[checks.PS013]\nseverity = \"warning\"\n\
             [[ignore]]\ncheck = \"PS012\"\nwhere = \"arn:aws:s3:::site/*\"\nreason = \"public by design\"\n",
        )
        .expect("valid");
        assert_eq!(config.fail_on, Some(Some(Severity::Error)));
        assert_eq!(config.severity("PS013"), Some(Severity::Warning));
        assert_eq!(config.ignores.len(), 1);
        assert_eq!(config.ignores[0].reason, "public by design");
    }

    #[test]
    fn refuses_what_it_does_not_understand_with_a_span() {
        let unknown_key = problems("fail_on = \"error\"\n");
        assert_eq!(unknown_key[0].code, "config-invalid");
        assert!(unknown_key[0].primary.is_some());
        let unknown_check = problems("[checks.PS099]\nseverity = \"note\"\n");
        assert_eq!(unknown_check[0].code, "config-unknown-check");
        let loc = unknown_check[0].location().expect("span");
        assert_eq!(loc.snippet(), "PS099");
        let no_reason = problems("[[ignore]]\ncheck = \"PS012\"\nwhere = \"x\"\n");
        assert_eq!(no_reason[0].code, "config-ignore-without-reason");
        assert!(no_reason[0].primary.is_some());
        let bad = problems("fail-on = \"sometimes\"\n");
        assert_eq!(bad[0].code, "config-bad-value");
        assert_eq!(bad[0].location().expect("span").snippet(), "\"sometimes\"");
    }
}
