//! Fail closed: before anything is decided, every name in a question is
//! checked against the action catalogue and the inputs.
//!
//! A gate must never pass on a question poolscope did not understand, so
//! each of these is a usage error (exit 2) with a did-you-mean or the valid
//! choices (docs/cli.md, "Fail closed"):
//! - an action (or action pattern) the catalogue does not know, or a service
//!   prefix that does not exist (`--allow-unknown-actions` turns this into a
//!   warning, for actions newer than the catalogue);
//! - a resource that is not an ARN pattern (`arn:…` or `*`), or whose ARN
//!   fits none of the resource types the action acts on (`s3:GetObject` on a
//!   bucket ARN): "impossible" would be vacuous;
//! - a claim or context key that no input, no catalogue entry and no global
//!   key names (`--allow-unknown-keys` turns this into a warning);
//! - a context key given two values when the catalogue types it
//!   single-valued, or pinned with `=` and `+=` at once: questions AWS cannot
//!   ask.
//!
//! What passes comes out as [`Target`]s: each concrete action with the
//! question's resource pattern narrowed to each resource type the action
//! acts on (an S3 object pattern written `arn:aws:s3:*::b/k` becomes
//! `arn:aws:s3:::b/k`, since S3 ARNs have no region and no account). The
//! solver then only ever sees resources AWS could authorise the action on.
//! `explain` and `query` both call [`understand`], so they agree.

use std::cell::OnceCell;
use std::collections::BTreeSet;

use crate::cognito::claims::SAML_ROLE_ATTRIBUTE;
use crate::cognito::user_pool::STANDARD_ATTRIBUTES;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::did_you_mean;
use crate::model::Inventory;
use crate::policy::Policy;
use crate::policy::arn::split_components;
use crate::policy::catalogue::{Action, Catalogue, Service};
use crate::policy::pattern::{GlobToken, arn_pattern_meets, has_wildcards};
use crate::query::{Leniency, PatternPart, Question, ResourcePattern};

/// One concrete action and the resource patterns to ask it about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// `service:Action`, spelled as the catalogue does when it knows it.
    pub action: String,
    /// The question's pattern narrowed to each resource type of the action
    /// it fits (without duplicates), or `*` for actions without
    /// resource-level permissions.
    pub resources: Vec<ResourcePattern>,
}

/// A question that passed the checks.
#[derive(Clone, Debug, Default)]
pub struct Understood {
    /// Every action the question names that can act on its resource.
    pub targets: Vec<Target>,
    /// Actions of the question's pattern left out because they act on no
    /// resource of the question's form.
    pub left_out: usize,
    /// Warnings of the opt-outs.
    pub warnings: Vec<Diagnostic>,
}

/// Claims in every token, or in tokens of the login providers identity
/// pools accept, besides a user pool's standard attributes: OpenID Connect
/// Core 1.0 §2 and §5.1, and the Cognito Developer Guide, "Understanding the
/// identity (ID) token".
const TOKEN_CLAIMS: [&str; 24] = [
    "sub",
    "aud",
    "iss",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "at_hash",
    "jti",
    "acr",
    "amr",
    "azp",
    "token_use",
    "email_verified",
    "phone_number_verified",
    "identities",
    "event_id",
    "origin_jti",
    "client_id",
    "scope",
    "cognito:username",
    "cognito:groups",
    "cognito:roles",
    "cognito:preferred_role",
];

/// Checks the question against the catalogue and the inputs.
pub fn understand(
    question: &Question,
    inventory: &Inventory,
    leniency: Leniency,
) -> Result<Understood, Vec<Diagnostic>> {
    let catalogue = Catalogue::builtin();
    let mut errors = Vec::new();
    let mut understood = Understood::default();
    let actions = actions_named(
        &question.action,
        catalogue,
        leniency,
        &mut understood.warnings,
    )
    .map_err(|e| errors.push(e))
    .unwrap_or_default();
    match resource_shape(&question.resource) {
        Err(e) => errors.push(e),
        Ok(()) if !actions.is_empty() => {
            for named in &actions {
                let resources = narrowed(&question.resource, named);
                if resources.is_empty() {
                    understood.left_out += 1;
                } else {
                    understood.targets.push(Target {
                        action: named.name(),
                        resources,
                    });
                }
            }
            if understood.targets.is_empty() {
                errors.push(fits_no_resource_type(question, &actions));
            }
        }
        Ok(()) => {}
    }
    // Walking every policy of the inputs for the keys they test is only
    // needed when the catalogue does not know a key; `audit` asks many
    // questions with none, so the walk is made on first use.
    let input_names = OnceCell::new();
    let names = || input_names.get_or_init(|| InputNames::of(inventory));
    claim_keys(
        question,
        &names,
        leniency,
        &mut errors,
        &mut understood.warnings,
    );
    context_keys(
        question,
        catalogue,
        &names,
        leniency,
        &mut errors,
        &mut understood.warnings,
    );
    if errors.is_empty() {
        Ok(understood)
    } else {
        Err(errors)
    }
}

/// An action the question names: known to the catalogue, or (opted out)
/// only by name, with its service when the prefix is known.
#[derive(Clone, Copy, Debug)]
enum Named<'c> {
    Known(&'c Action, &'c Service),
    Unlisted {
        name: &'c str,
        service: Option<&'c Service>,
    },
}

impl Named<'_> {
    fn name(&self) -> String {
        match self {
            Named::Known(action, _) => action.full_name(),
            Named::Unlisted { name, .. } => name.to_string(),
        }
    }
}

fn actions_named<'c>(
    pattern: &'c str,
    catalogue: &'c Catalogue,
    leniency: Leniency,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<Named<'c>>, Diagnostic> {
    let known = |action: &'c Action| {
        let service = catalogue
            .service(&action.service)
            .expect("an action of the catalogue belongs to one of its services");
        Named::Known(action, service)
    };
    if has_wildcards(pattern) {
        let actions = catalogue.expand(pattern);
        if !actions.is_empty() {
            return Ok(actions.into_iter().map(known).collect());
        }
    } else if let Some(action) = catalogue.action(pattern) {
        return Ok(vec![known(action)]);
    }
    let prefix = pattern.split_once(':').map_or(pattern, |(p, _)| p);
    let service = (!has_wildcards(prefix))
        .then(|| catalogue.service(prefix))
        .flatten();
    let mut diagnostic = if has_wildcards(pattern) {
        Diagnostic::error(
            "query-unknown-action",
            format!("`{pattern}` matches no AWS action"),
        )
    } else if service.is_none() && !has_wildcards(prefix) {
        Diagnostic::error(
            "query-unknown-action",
            format!("`{prefix}` is not an AWS service prefix, so `{pattern}` is no action"),
        )
    } else {
        Diagnostic::error(
            "query-unknown-action",
            format!("`{pattern}` is not an action of the AWS catalogue"),
        )
    };
    let suggestion = if service.is_none() {
        catalogue
            .suggest_service(prefix)
            .map(|s| format!("did you mean the service `{}`?", s.prefix))
    } else {
        None
    };
    let suggestion = suggestion.or_else(|| {
        let name = pattern.split_once(':').map_or("", |(_, n)| n);
        (!has_wildcards(name))
            .then(|| catalogue.suggest_action(pattern))
            .flatten()
            .map(|a| format!("did you mean `{}`?", a.full_name()))
    });
    let hint = "write an action such as `s3:GetObject` or a pattern such as `s3:Get*`; \
                `--allow-unknown-actions` asks about an action newer than the catalogue";
    diagnostic = diagnostic.with_help(match suggestion {
        Some(s) => format!("{s} ({hint})"),
        None => hint.to_string(),
    });
    if !leniency.unknown_actions || has_wildcards(pattern) || !pattern.contains(':') {
        return Err(diagnostic);
    }
    diagnostic.severity = crate::diagnostic::Severity::Warning;
    diagnostic.message = format!(
        "{} (asked anyway: --allow-unknown-actions)",
        diagnostic.message
    );
    warnings.push(diagnostic);
    Ok(vec![Named::Unlisted {
        name: pattern,
        service,
    }])
}

/// The resource as a glob: placeholders stand for identity ids, any text.
fn glob_of(pattern: &ResourcePattern) -> String {
    pattern
        .parts
        .iter()
        .map(|p| match p {
            PatternPart::Text(t) => t.as_str(),
            PatternPart::Id(_) => "*",
        })
        .collect()
}

/// `*`, or `arn:` with six components (fewer when the last ends in `*`).
fn resource_shape(pattern: &ResourcePattern) -> Result<(), Diagnostic> {
    let text = pattern.to_string();
    let glob = glob_of(pattern);
    if glob == "*" {
        return Ok(());
    }
    let components = split_components(&glob);
    let problem = if !glob.starts_with("arn:") {
        Some("does not start with `arn:`".to_string())
    } else if components.len() < 6 && !glob.ends_with('*') {
        Some(format!(
            "has {} colon-separated parts; an ARN has 6 \
             (`arn:partition:service:region:account:resource`)",
            components.len()
        ))
    } else {
        None
    };
    match problem {
        None => Ok(()),
        Some(problem) => Err(Diagnostic::error(
            "query-bad-resource",
            format!("`{text}` is not an ARN pattern: it {problem}"),
        )
        .with_help(
            "write an ARN with IAM wildcards, e.g. `arn:aws:s3:::BUCKET/private/{other}/*`, \
             or `*` for any resource",
        )),
    }
}

/// Placeholders of the catalogue's ARN formats whose values never hold a
/// `/`: S3 bucket names ("Bucket naming rules": letters, digits, dots and
/// hyphens), DynamoDB table names ("Supported data types and naming rules":
/// `a-z`, `A-Z`, `0-9`, `_`, `-`, `.`), and the partition, region and
/// account. Others (`${ObjectName}`, `${RoleNameWithPath}`, …) may.
const NAMES_WITHOUT_SLASH: [&str; 5] =
    ["Partition", "Region", "Account", "BucketName", "TableName"];

/// An ARN format of the catalogue (`arn:${Partition}:s3:::${BucketName}`)
/// as six component globs: each `${…}` placeholder is any text (any text
/// without `/` for [`NAMES_WITHOUT_SLASH`]).
fn format_components(format: &str) -> Vec<Vec<GlobToken>> {
    split_components(format)
        .into_iter()
        .map(|component| {
            let mut tokens = Vec::new();
            let mut rest = component;
            while let Some(open) = rest.find("${") {
                tokens.extend(rest[..open].chars().map(GlobToken::Char));
                let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
                let name = rest.get(open + 2..close).unwrap_or_default();
                tokens.push(if NAMES_WITHOUT_SLASH.contains(&name) {
                    GlobToken::Segment
                } else {
                    GlobToken::Any
                });
                rest = rest.get(close + 1..).unwrap_or_default();
            }
            tokens.extend(rest.chars().map(GlobToken::Char));
            tokens
        })
        .collect()
}

/// The format as a plain glob (each placeholder `*`), for narrowing.
fn format_glob(format: &str) -> String {
    format_components(format)
        .iter()
        .map(|c| {
            c.iter()
                .map(|t| match t {
                    GlobToken::Char(c) => *c,
                    GlobToken::One => '?',
                    GlobToken::Any | GlobToken::Segment => '*',
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(":")
}

/// The ARN formats an action can be authorised against; empty for actions
/// that only support `"Resource": "*"`. An action the catalogue does not
/// list may act on any resource type of its service.
fn formats<'c>(named: &Named<'c>) -> Option<Vec<&'c str>> {
    match named {
        Named::Known(action, service) => Some(
            action
                .resource_types
                .iter()
                .filter_map(|r| service.resource_type(&r.resource_type))
                .flat_map(|t| t.arn_patterns.iter().map(String::as_str))
                .collect(),
        ),
        Named::Unlisted {
            service: Some(service),
            ..
        } => Some(
            service
                .resource_types
                .iter()
                .flat_map(|t| t.arn_patterns.iter().map(String::as_str))
                .collect(),
        ),
        Named::Unlisted { service: None, .. } => None,
    }
}

/// The question's pattern narrowed to each resource type of the action it
/// fits; `*` for an action without resource-level permissions (Service
/// Authorization Reference: an empty resource-types column means the action
/// only supports `"Resource": "*"`).
fn narrowed(pattern: &ResourcePattern, named: &Named<'_>) -> Vec<ResourcePattern> {
    let glob = glob_of(pattern);
    let any = glob == "*";
    let Some(formats) = formats(named) else {
        // A service the catalogue does not know: nothing to narrow to.
        return if any {
            vec![pattern.clone(), any_arn()]
        } else {
            vec![pattern.clone()]
        };
    };
    let mut out: Vec<ResourcePattern> = Vec::new();
    if formats.is_empty() && any {
        // "Resource": "*" is all such an action is authorised against.
        out.push(pattern.clone());
    }
    for format in formats {
        if !arn_pattern_meets(&glob, &format_components(format)) {
            continue;
        }
        let format = format_glob(format);
        let narrowed = if any {
            ResourcePattern {
                parts: vec![PatternPart::Text(format)],
            }
        } else {
            narrow_to(pattern, &format)
        };
        if !out.contains(&narrowed) {
            out.push(narrowed);
        }
    }
    out
}

fn any_arn() -> ResourcePattern {
    ResourcePattern {
        parts: vec![PatternPart::Text("arn:*:*:*:*:*".to_string())],
    }
}

/// Replaces the partition, service, region and account of `pattern` by the
/// format's where the format fixes them (`s3`, and the empty region and
/// account of S3 ARNs), so the pattern names only ARNs of that form. Only
/// when those four components come before any placeholder and the pattern
/// has all six components; otherwise the pattern is kept as it is (the
/// narrowing only ever removes ARNs no request can carry).
fn narrow_to(pattern: &ResourcePattern, format: &str) -> ResourcePattern {
    let Some(PatternPart::Text(head)) = pattern.parts.first() else {
        return pattern.clone();
    };
    let components = split_components(head);
    let fixed = split_components(format);
    if components.len() < 6 || fixed.len() < 6 {
        return pattern.clone();
    }
    let mut text = String::from("arn");
    for k in 1..5 {
        text.push(':');
        if has_wildcards(fixed[k]) {
            text.push_str(components[k]);
        } else {
            text.push_str(fixed[k]);
        }
    }
    text.push(':');
    text.push_str(components[5]);
    let mut parts = vec![PatternPart::Text(text)];
    parts.extend(pattern.parts[1..].iter().cloned());
    ResourcePattern { parts }
}

fn fits_no_resource_type(question: &Question, actions: &[Named<'_>]) -> Diagnostic {
    let mut kinds: Vec<String> = Vec::new();
    for named in actions.iter().take(3) {
        let Named::Known(action, service) = named else {
            continue;
        };
        let described: Vec<String> = action
            .resource_types
            .iter()
            .filter_map(|r| service.resource_type(&r.resource_type))
            .map(|t| format!("{} `{}`", t.name, t.arn_patterns.join("` or `")))
            .collect();
        kinds.push(if described.is_empty() {
            format!(
                "`{}` acts on no resource type (only `*`)",
                action.full_name()
            )
        } else {
            format!("`{}` acts on {}", action.full_name(), described.join(", "))
        });
    }
    let names = if actions.len() == 1 {
        format!("`{}`", question.action)
    } else {
        format!(
            "any of the {} actions `{}` names",
            actions.len(),
            question.action
        )
    };
    Diagnostic::error(
        "query-resource-type",
        format!(
            "`{}` fits no resource type of {names}: no request could match, so any answer \
             would be vacuous",
            question.resource
        ),
    )
    .with_help(format!(
        "{}; write a resource of one of these forms, or `*`",
        kinds.join("; ")
    ))
}

/// Names the inputs give to claims and context keys.
struct InputNames {
    claims: BTreeSet<String>,
    /// Lower-cased condition keys of every policy the inputs hold.
    keys: BTreeSet<String>,
    /// The same, as written.
    keys_written: BTreeSet<String>,
}

impl InputNames {
    fn of(inventory: &Inventory) -> InputNames {
        let mut claims: BTreeSet<String> = TOKEN_CLAIMS
            .iter()
            .chain(STANDARD_ATTRIBUTES.iter())
            .map(|c| c.to_string())
            .collect();
        claims.insert(SAML_ROLE_ATTRIBUTE.to_string());
        for pool in inventory.user_pools() {
            claims.extend(pool.schema.iter().map(|a| a.name.value.clone()));
        }
        for pool in inventory.identity_pools() {
            for mapping in &pool.role_mappings {
                claims.extend(mapping.rules.iter().map(|r| r.claim.value.clone()));
            }
            for map in &pool.principal_tags {
                claims.extend(map.tags.iter().map(|(_, claim)| claim.value.clone()));
            }
        }
        let mut keys_written = BTreeSet::new();
        for policy in inventory.every_policy() {
            collect_keys(policy, &mut keys_written);
        }
        InputNames {
            claims,
            keys: keys_written
                .iter()
                .map(|k| k.to_ascii_lowercase())
                .collect(),
            keys_written,
        }
    }
}

fn collect_keys(policy: &Policy, keys: &mut BTreeSet<String>) {
    for statement in &policy.statements {
        for condition in &statement.conditions {
            keys.insert(condition.key.value.clone());
        }
    }
}

fn unknown_key(
    code: &'static str,
    message: String,
    help: String,
    leniency: Leniency,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) {
    if leniency.unknown_keys {
        warnings.push(
            Diagnostic::warning(
                code,
                format!("{message} (asked anyway: --allow-unknown-keys)"),
            )
            .with_help(help),
        );
    } else {
        errors.push(
            Diagnostic::error(code, message)
                .with_help(format!("{help} (`--allow-unknown-keys` asks anyway)")),
        );
    }
}

fn claim_keys<'n>(
    question: &Question,
    names: &impl Fn() -> &'n InputNames,
    leniency: Leniency,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) {
    for key in question.claims.keys() {
        if names().claims.contains(key) {
            continue;
        }
        let help = match did_you_mean(key, names().claims.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None => {
                let custom: Vec<&str> = names()
                    .claims
                    .iter()
                    .map(String::as_str)
                    .filter(|c| c.starts_with("custom:"))
                    .collect();
                if custom.is_empty() {
                    "the inputs name no custom attribute; claims are the standard token claims, \
                     a user pool's attributes, and the claims mapping rules and principal-tag \
                     maps read"
                        .to_string()
                } else {
                    format!(
                        "the inputs name these custom claims: `{}`",
                        custom.join("`, `")
                    )
                }
            }
        };
        unknown_key(
            "query-unknown-claim",
            format!("no input names the claim `{key}`, and it is no standard token claim"),
            help,
            leniency,
            errors,
            warnings,
        );
    }
}

fn context_keys<'n>(
    question: &Question,
    catalogue: &Catalogue,
    names: &impl Fn() -> &'n InputNames,
    leniency: Leniency,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) {
    for (key, pin) in &question.context {
        let known = catalogue.condition_key(key);
        if known.is_none() && !names().keys.contains(key) {
            let candidates = catalogue
                .global_condition_keys()
                .iter()
                .chain(catalogue.services().flat_map(|s| s.condition_keys.iter()))
                .filter(|k| !k.is_template())
                .map(|k| k.name.as_str())
                .chain(names().keys_written.iter().map(String::as_str));
            let help = match did_you_mean(key, candidates) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "context keys are the global keys, the keys of the action catalogue \
                         (docs/catalogue.md) and the keys the inputs' policies test"
                    .to_string(),
            };
            unknown_key(
                "query-unknown-context-key",
                format!("`{key}` is no condition key of the catalogue or of the inputs"),
                help,
                leniency,
                errors,
                warnings,
            );
        }
        if !pin.exactly.is_empty() && !pin.includes.is_empty() {
            errors.push(
                Diagnostic::error(
                    "query-context-mixed",
                    format!("`{key}` is pinned with both `=` and `+=`"),
                )
                .with_help(
                    "`KEY=VALUE` (repeatable) gives the key exactly these values; `KEY+=VALUE` \
                     asks that its values include one and leaves the rest free: use one form",
                ),
            );
            continue;
        }
        let single = known.is_some_and(|k| !k.value_type.starts_with("ArrayOf"));
        let distinct: BTreeSet<String> = pin
            .exactly
            .iter()
            .chain(&pin.includes)
            .map(ToString::to_string)
            .collect();
        if single && distinct.len() > 1 {
            let known = known.expect("single implies known");
            errors.push(
                Diagnostic::error(
                    "query-context-single-valued",
                    format!(
                        "`{}` holds one value in a request (type {}), but the question gives it {}",
                        known.name,
                        known.value_type,
                        distinct.len()
                    ),
                )
                .with_help("AWS cannot send such a request: give the key one value"),
            );
        }
    }
}

#[cfg(test)]
mod tests;
