//! Reachability questions derived from the inputs' own policies: resource
//! patterns with their policy variables turned into `{self}` / `{other}`
//! placeholders or wildcards, so checks ask reach about the data the
//! policies themselves key by identity.

use crate::policy::{Statement, Template, TemplatePart};

/// The identity id variable (IAM User Guide, "Policy variables"; Cognito
/// Developer Guide, "IAM roles").
pub const IDENTITY_ID: &str = "cognito-identity.amazonaws.com:sub";

/// The template as a query pattern: the identity id variable becomes
/// `identity` (`{self}` or `{other}`), other variables `*`. `None` when the
/// text holds a brace that would read as a placeholder.
pub fn pattern(template: &Template, identity: &str) -> Option<String> {
    let mut out = String::new();
    for part in &template.parts {
        match part {
            TemplatePart::Literal(text) => {
                if text.contains(['{', '}']) {
                    return None;
                }
                out.push_str(text);
            }
            TemplatePart::Variable { key, .. } => {
                if key.eq_ignore_ascii_case(IDENTITY_ID) {
                    out.push_str(identity);
                } else {
                    out.push('*');
                }
            }
        }
    }
    Some(out)
}

/// Whether the template uses the identity id variable.
pub fn keyed_by_identity(template: &Template) -> bool {
    template.parts.iter().any(|p| {
        matches!(p, TemplatePart::Variable { key, .. } if key.eq_ignore_ascii_case(IDENTITY_ID))
    })
}

/// The statement's action patterns (none for `NotAction`).
pub(super) fn actions(statement: &Statement) -> Vec<String> {
    if statement.action.negated {
        return Vec::new();
    }
    statement
        .action
        .patterns
        .iter()
        .map(|p| p.value.clone())
        .collect()
}

/// The statement's resource templates (none for `NotResource`).
pub(super) fn resources(statement: &Statement) -> Vec<&Template> {
    match &statement.resource {
        Some(element) if !element.negated => element.patterns.iter().map(|p| &p.value).collect(),
        _ => Vec::new(),
    }
}

/// The resources to ask about for `action` on `resource`: the resource
/// itself, except that `*` becomes the ARN formats of the action's resource
/// types (placeholders as wildcards), since a bare `*` may also name objects
/// of buckets with policies and reach then cannot settle it.
pub fn concrete_resources(action: &str, resource: &str) -> Vec<String> {
    if resource != "*" {
        return vec![resource.to_string()];
    }
    let catalogue = crate::policy::catalogue::Catalogue::builtin();
    let Some(found) = catalogue.action(action) else {
        return vec![resource.to_string()];
    };
    let service = catalogue.service(&found.service);
    let mut out: Vec<String> = Vec::new();
    for used in &found.resource_types {
        let Some(kind) = service.and_then(|s| s.resource_type(&used.resource_type)) else {
            continue;
        };
        for arn in &kind.arn_patterns {
            let text = wildcard_placeholders(arn);
            if !out.contains(&text) {
                out.push(text);
            }
        }
    }
    if out.is_empty() {
        out.push(resource.to_string());
    }
    out
}

/// `arn:${Partition}:ses:${Region}:…` → `arn:*:ses:*:…`.
fn wildcard_placeholders(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        out.push('*');
        rest = match rest[start..].find('}') {
            Some(end) => &rest[start + end + 1..],
            None => "",
        };
    }
    out.push_str(rest);
    out.replace("arn:*:", "arn:aws:")
}
