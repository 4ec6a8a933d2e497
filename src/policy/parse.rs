//! Reading IAM policy documents: located JSON values → the typed policy AST.
//!
//! This module owns the grammar of the IAM JSON policy language (IAM User
//! Guide, "Grammar of the IAM JSON policy language"): which elements exist,
//! which JSON types they take, which combinations are exclusive. It hands on
//! a [`Policy`] whose every node keeps its [`Location`], plus grammar
//! diagnostics, each with a stable `policy-…` code and a location at the
//! offending element.
//!
//! A statement with a grammar error is left out of the policy's statements,
//! but reading goes on so that one run reports every error; what could be
//! read of it is kept in [`Policy::rejected`], so that `validate` reports its
//! other problems too. Rules that depend on where a policy is used, or on the
//! meaning of values (types of condition values, ARNs, known actions), belong
//! to `validate`.

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::source::fields::FieldReader;
use crate::source::{Kind, Location, Member, Span, Spanned, Value, json};

use super::ast::{
    ActionElement, BaseOperator, Condition, ConditionValue, Effect, Operator, Policy, PolicyKind,
    Principal, PrincipalElement, RejectedStatement, ResourceElement, Statement, Template,
    VERSION_2012,
};

/// The policy language versions IAM accepts (IAM User Guide, "IAM JSON
/// policy elements: Version").
pub const VERSIONS: [&str; 2] = [VERSION_2012, "2008-10-17"];

const POLICY_ELEMENTS: [&str; 3] = ["Version", "Id", "Statement"];

const STATEMENT_ELEMENTS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

const PRINCIPAL_TYPES: [&str; 4] = ["AWS", "Federated", "Service", "CanonicalUser"];

/// A policy and what reading it had to say.
#[derive(Clone, Debug)]
pub struct ParsedPolicy {
    pub policy: Policy,
    /// Grammar errors and warnings; statements with errors are not in
    /// `policy.statements` (what could be read of them is in
    /// `policy.rejected`).
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads a policy document.
///
/// `Err` when nothing usable can be made of the document: it is not an
/// object, has no `Statement`, or its `Statement` is neither an object nor
/// an array. The grammar is the same for every [`PolicyKind`]; rules that
/// depend on the kind (Principal required or forbidden, …) are checked by
/// `validate`, so `kind` is only carried for symmetry with it.
pub fn parse_policy(
    doc: &Value,
    name: &str,
    kind: PolicyKind,
) -> Result<ParsedPolicy, Vec<Diagnostic>> {
    let _ = kind;
    let Some(members) = doc.as_object() else {
        return Err(vec![
            Diagnostic::error(
                "policy-not-an-object",
                format!(
                    "a policy document must be a JSON object, found {}",
                    doc.describe()
                ),
            )
            .at(&doc.loc, "not an object")
            .with_help("a policy looks like `{\"Version\": \"2012-10-17\", \"Statement\": [...]}`"),
        ]);
    };
    let mut reader = Reader::default();
    let members = reader.unique_members(members);

    let mut version = None;
    let mut id = None;
    let mut statement = None;
    for member in members {
        match member.key.as_str() {
            "Version" => version = reader.version(&member.value),
            "Id" => id = reader.string(&member.value, "Id"),
            "Statement" => statement = Some(member),
            _ => reader.unknown_element(member, &POLICY_ELEMENTS, "policy"),
        }
    }
    reader.variables = version.as_ref().is_some_and(|v| v.value == VERSION_2012);

    let Some(statement) = statement else {
        reader.diagnostics.push(
            Diagnostic::error(
                "policy-missing-statement",
                "policy document has no `Statement`",
            )
            .at(&doc.loc, "this document")
            .with_help("add `\"Statement\": [...]` with at least one statement"),
        );
        return Err(reader.diagnostics);
    };
    let items: Vec<(usize, &Value)> = match &statement.value.kind {
        Kind::Object(_) => vec![(0, &statement.value)],
        Kind::Array(items) => {
            if items.is_empty() {
                reader.diagnostics.push(
                    Diagnostic::warning("policy-empty-element", "`Statement` is empty")
                        .at(&statement.value.loc, "no statements")
                        .with_help("a policy without statements allows and denies nothing"),
                );
            }
            items.iter().enumerate().collect()
        }
        _ => {
            reader.diagnostics.push(wrong_type(
                &statement.value,
                "an object or an array of objects",
                "`Statement`",
            ));
            return Err(reader.diagnostics);
        }
    };

    let statements = items
        .into_iter()
        .filter_map(|(index, value)| reader.statement(index, value))
        .collect();
    Ok(ParsedPolicy {
        policy: Policy {
            name: name.to_string(),
            version,
            id,
            statements,
            rejected: reader.rejected,
            loc: doc.loc.clone(),
        },
        diagnostics: reader.diagnostics,
    })
}

/// Reads a policy held as JSON text (a Terraform `assume_role_policy`, a
/// URL-decoded CLI policy); locations point into a new source labelled
/// `label`. A JSON syntax error is returned as the only diagnostic.
pub fn parse_policy_text(
    label: &str,
    text: &str,
    kind: PolicyKind,
) -> Result<ParsedPolicy, Vec<Diagnostic>> {
    let doc = json::parse_str(label, text).map_err(|d| vec![d])?;
    parse_policy(&doc, label, kind)
}

/// Every spelling `Operator::parse` accepts, for "did you mean".
pub fn operator_names() -> Vec<String> {
    let mut names = Vec::new();
    for prefix in ["", "ForAllValues:", "ForAnyValue:"] {
        for base in BaseOperator::ALL {
            names.push(format!("{prefix}{}", base.name()));
            if base != BaseOperator::Null {
                names.push(format!("{prefix}{}IfExists", base.name()));
            }
        }
    }
    names
}

fn wrong_type(value: &Value, expected: &str, element: &str) -> Diagnostic {
    Diagnostic::error(
        "policy-wrong-type",
        format!("expected {expected}, found {}", value.describe()),
    )
    .at(&value.loc, format!("in {element}"))
}

fn empty_element(value: &Value, element: &str, consequence: &str) -> Diagnostic {
    // IAM accepts empty arrays and objects; Access Analyzer reports them as
    // suggestions ("Empty array action", "Empty array resource", …), so they
    // are warnings here, not errors.
    Diagnostic::warning("policy-empty-element", format!("{element} is empty"))
        .at(&value.loc, "nothing listed here")
        .with_help(consequence.to_string())
}

/// A location covering a whole `"key": value` member.
fn member_loc(member: &Member) -> Location {
    Location::new(
        member.value.loc.file.clone(),
        Span::new(member.key_loc.span.start, member.value.loc.span.end),
        member.value.loc.pointer.clone(),
    )
}

// Strings and lists of strings are read as every input format reads them.
impl FieldReader for Reader {
    const WRONG_TYPE: &'static str = "policy-wrong-type";
    const MISSING: &'static str = "policy-missing-element";
    const BAD_VALUE: &'static str = "policy-invalid-value";

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn wrong_type(&mut self, value: &Value, key: &str, expected: &str) {
        self.diagnostics
            .push(wrong_type(value, expected, &format!("`{key}`")));
    }
}

#[derive(Default)]
struct Reader {
    diagnostics: Vec<Diagnostic>,
    /// Whether `${...}` is a policy variable (Version 2012-10-17).
    variables: bool,
    /// Statements left out for grammar errors, as far as they were read.
    rejected: Vec<RejectedStatement>,
}

impl Reader {
    fn error_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == crate::diagnostic::Severity::Error)
            .count()
    }

    /// The members of an object, first occurrence of each key only; later
    /// duplicates are reported (IAM User Guide, "Policy grammar notes":
    /// "Individual elements must not contain multiple instances of the same
    /// key").
    fn unique_members<'v>(&mut self, members: &'v [Member]) -> Vec<&'v Member> {
        let mut unique: Vec<&Member> = Vec::with_capacity(members.len());
        for member in members {
            if let Some(first) = unique.iter().find(|m| m.key == member.key) {
                self.diagnostics.push(
                    Diagnostic::error(
                        "policy-duplicate-key",
                        format!("`{}` appears more than once", member.key),
                    )
                    .at(&member.key_loc, "repeated here")
                    .with_related(&first.key_loc, "first here")
                    .with_help("IAM rejects repeated keys; merge the two entries"),
                );
            } else {
                unique.push(member);
            }
        }
        unique
    }

    fn unknown_element(&mut self, member: &Member, known: &[&'static str], place: &str) {
        let mut diagnostic = Diagnostic::error(
            "policy-unknown-element",
            format!("unknown {place} element `{}`", member.key),
        )
        .at(&member.key_loc, "not an element of the policy language");
        let help = if place == "policy" && STATEMENT_ELEMENTS.contains(&member.key.as_str()) {
            Some(format!(
                "`{}` belongs inside a statement of `Statement`",
                member.key
            ))
        } else if place == "statement" && POLICY_ELEMENTS.contains(&member.key.as_str()) {
            Some(format!("`{}` belongs at the top of the policy", member.key))
        } else {
            did_you_mean(&member.key, known.iter().copied()).map(|s| format!("did you mean `{s}`?"))
        };
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        } else {
            diagnostic = diagnostic.with_help(format!(
                "a {place} may contain {}",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        self.diagnostics.push(diagnostic);
    }

    fn version(&mut self, value: &Value) -> Option<Spanned<String>> {
        let version = self.text(value, "Version")?;
        if !VERSIONS.contains(&version.value.as_str()) {
            let mut diagnostic = Diagnostic::error(
                "policy-invalid-version",
                format!("unknown policy language version `{}`", version.value),
            )
            .at(&value.loc, "not a policy language version")
            .with_help("use `\"Version\": \"2012-10-17\"`, the current version; `2008-10-17` is the only other one");
            if version.value.contains('-') || version.value.chars().all(|c| c.is_ascii_digit()) {
                // Most often a date written instead of the version string.
                diagnostic = diagnostic.with_help(
                    "`Version` names the policy language, not the date of the policy: use `\"2012-10-17\"`",
                );
            }
            self.diagnostics.push(diagnostic);
        }
        Some(version)
    }

    fn statement(&mut self, index: usize, value: &Value) -> Option<Statement> {
        let errors_before = self.error_count();
        let Some(members) = value.as_object() else {
            self.diagnostics
                .push(wrong_type(value, "a statement object", "`Statement`"));
            return None;
        };
        let members = self.unique_members(members);
        let find = |key: &str| members.iter().copied().find(|m| m.key == key);

        for member in &members {
            if !STATEMENT_ELEMENTS.contains(&member.key.as_str()) {
                self.unknown_element(member, &STATEMENT_ELEMENTS, "statement");
            }
        }

        let sid = find("Sid").and_then(|m| self.text(&m.value, "Sid"));
        let effect = match find("Effect") {
            Some(member) => self.effect(&member.value),
            None => {
                self.diagnostics.push(
                    Diagnostic::error("policy-missing-effect", "statement has no `Effect`")
                        .at(&value.loc, "this statement")
                        .with_help("add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`"),
                );
                None
            }
        };

        let principal = self
            .exclusive(find("Principal"), find("NotPrincipal"))
            .and_then(|(member, negated)| self.principal(member, negated));

        let action = match self.exclusive(find("Action"), find("NotAction")) {
            Some((member, negated)) => self.action(member, negated),
            None => {
                if find("Action").is_none() && find("NotAction").is_none() {
                    self.diagnostics.push(
                        Diagnostic::error(
                            "policy-missing-action",
                            "statement has no `Action` or `NotAction`",
                        )
                        .at(&value.loc, "this statement")
                        .with_help(
                            "add `\"Action\": [...]` naming the actions the statement is about",
                        ),
                    );
                }
                None
            }
        };

        let resource = self
            .exclusive(find("Resource"), find("NotResource"))
            .and_then(|(member, negated)| self.resource(member, negated));

        let conditions = find("Condition")
            .map(|m| self.conditions(&m.value))
            .unwrap_or_default();

        if self.error_count() > errors_before {
            // Left out, but kept for validation: a bad `Effect` must not
            // hide an unknown action in the same statement.
            let effect_read = effect.is_some();
            let mut unreadable = Vec::new();
            let has = |a: &str, b: &str| find(a).is_some() || find(b).is_some();
            if principal.is_none() && has("Principal", "NotPrincipal") {
                unreadable.push("Principal");
            }
            if resource.is_none() && has("Resource", "NotResource") {
                unreadable.push("Resource");
            }
            self.rejected.push(RejectedStatement {
                statement: Statement {
                    index,
                    sid,
                    effect: effect.unwrap_or_else(|| Spanned::new(Effect::Deny, value.loc.clone())),
                    principal,
                    action: action.unwrap_or_else(|| ActionElement {
                        negated: false,
                        patterns: Vec::new(),
                        loc: value.loc.clone(),
                    }),
                    resource,
                    conditions,
                    loc: value.loc.clone(),
                },
                effect_read,
                unreadable,
            });
            return None;
        }
        Some(Statement {
            index,
            sid,
            effect: effect?,
            principal,
            action: action?,
            resource,
            conditions,
            loc: value.loc.clone(),
        })
    }

    fn effect(&mut self, value: &Value) -> Option<Spanned<Effect>> {
        let text = self.text(value, "Effect")?;
        let effect = match text.value.as_str() {
            "Allow" => Effect::Allow,
            "Deny" => Effect::Deny,
            other => {
                // IAM User Guide, "IAM JSON policy elements: Effect": "The
                // Effect value is case sensitive."
                let help = if other.eq_ignore_ascii_case("allow") {
                    "`Effect` is case-sensitive: write `Allow`".to_string()
                } else if other.eq_ignore_ascii_case("deny") {
                    "`Effect` is case-sensitive: write `Deny`".to_string()
                } else {
                    "`Effect` is `Allow` or `Deny`".to_string()
                };
                self.diagnostics.push(
                    Diagnostic::error(
                        "policy-invalid-effect",
                        format!("invalid `Effect` `{other}`"),
                    )
                    .at(&value.loc, "not `Allow` or `Deny`")
                    .with_help(help),
                );
                return None;
            }
        };
        Some(Spanned::new(effect, value.loc.clone()))
    }

    /// One of an element and its `Not` form; both at once is an error
    /// (IAM grammar: `("Action" | "NotAction")`).
    fn exclusive<'m>(
        &mut self,
        plain: Option<&'m Member>,
        negated: Option<&'m Member>,
    ) -> Option<(&'m Member, bool)> {
        match (plain, negated) {
            (Some(p), Some(n)) => {
                let (first, second) = if p.key_loc.span.start <= n.key_loc.span.start {
                    (p, n)
                } else {
                    (n, p)
                };
                self.diagnostics.push(
                    Diagnostic::error(
                        "policy-conflicting-elements",
                        format!("statement has both `{}` and `{}`", p.key, n.key),
                    )
                    .at(&second.key_loc, "second one here")
                    .with_related(&first.key_loc, "first one here")
                    .with_help(format!(
                        "a statement takes either `{}` or `{}`, not both",
                        p.key, n.key
                    )),
                );
                None
            }
            (Some(p), None) => Some((p, false)),
            (None, Some(n)) => Some((n, true)),
            (None, None) => None,
        }
    }

    fn action(&mut self, member: &Member, negated: bool) -> Option<ActionElement> {
        let patterns = self.texts(&member.value, &member.key)?;
        if patterns.is_empty() && member.value.as_array().is_some_and(|a| a.is_empty()) {
            self.diagnostics.push(empty_element(
                &member.value,
                &format!("`{}`", member.key),
                "a statement with no actions has no effect; list the actions it is about",
            ));
        }
        Some(ActionElement {
            negated,
            patterns,
            loc: member.key_loc.clone(),
        })
    }

    fn resource(&mut self, member: &Member, negated: bool) -> Option<ResourceElement> {
        let entries = self.texts(&member.value, &member.key)?;
        if entries.is_empty() && member.value.as_array().is_some_and(|a| a.is_empty()) {
            self.diagnostics.push(empty_element(
                &member.value,
                &format!("`{}`", member.key),
                "a statement with no resources has no effect; list ARNs or `*`",
            ));
        }
        let patterns = entries
            .into_iter()
            .map(|s| Spanned::new(Template::parse(&s.value, self.variables), s.loc))
            .collect();
        Some(ResourceElement {
            negated,
            patterns,
            loc: member.key_loc.clone(),
        })
    }

    fn principal(&mut self, member: &Member, negated: bool) -> Option<PrincipalElement> {
        let value = &member.value;
        let principals = match &value.kind {
            Kind::String(s) if s == "*" => vec![Spanned::new(Principal::Anyone, value.loc.clone())],
            Kind::String(s) => {
                // IAM User Guide, "Policy grammar notes": the principal block
                // is `"*"` or a map; an ARN must sit under a type key.
                let help = if s.starts_with("arn:") || s.chars().all(|c| c.is_ascii_digit()) {
                    format!("write `{{\"AWS\": \"{s}\"}}`")
                } else if s == "cognito-identity.amazonaws.com" {
                    format!("write `{{\"Federated\": \"{s}\"}}`")
                } else if s.ends_with(".amazonaws.com") {
                    format!("write `{{\"Service\": \"{s}\"}}`")
                } else {
                    "use `\"*\"` or an object such as `{\"AWS\": \"arn:aws:iam::111122223333:root\"}`"
                        .to_string()
                };
                self.diagnostics.push(
                    Diagnostic::error(
                        "policy-invalid-principal",
                        format!("`{}` must be `\"*\"` or an object of principal types, found the string `{s}`", member.key),
                    )
                    .at(&value.loc, "a bare string other than `*`")
                    .with_help(help),
                );
                return None;
            }
            Kind::Object(entries) => {
                if entries.is_empty() {
                    self.diagnostics.push(empty_element(
                        value,
                        &format!("`{}`", member.key),
                        "a statement that names no principals has no effect",
                    ));
                }
                let mut principals = Vec::new();
                for entry in self.unique_members(entries) {
                    if !PRINCIPAL_TYPES.contains(&entry.key.as_str()) {
                        let mut diagnostic = Diagnostic::error(
                            "policy-unknown-principal-type",
                            format!("unknown principal type `{}`", entry.key),
                        )
                        .at(&entry.key_loc, "not a principal type");
                        diagnostic = match did_you_mean(&entry.key, PRINCIPAL_TYPES) {
                            Some(s) => diagnostic.with_help(format!("did you mean `{s}`?")),
                            None => diagnostic.with_help(
                                "principal types are `AWS`, `Federated`, `Service` and `CanonicalUser`",
                            ),
                        };
                        self.diagnostics.push(diagnostic);
                        continue;
                    }
                    let element = format!("{}.{}", member.key, entry.key);
                    let Some(ids) = self.texts(&entry.value, &element) else {
                        continue;
                    };
                    if ids.is_empty() && entry.value.as_array().is_some_and(|a| a.is_empty()) {
                        self.diagnostics.push(empty_element(
                            &entry.value,
                            &format!("`{element}`"),
                            "an empty principal list names nobody",
                        ));
                    }
                    for id in ids {
                        let principal = match entry.key.as_str() {
                            // IAM User Guide, "AWS JSON policy elements:
                            // Principal": `{"AWS": "*"}` is everyone, like `"*"`.
                            "AWS" if id.value == "*" => Principal::Anyone,
                            "AWS" => Principal::Aws(id.value),
                            "Federated" => Principal::Federated(id.value),
                            "Service" => Principal::Service(id.value),
                            _ => Principal::CanonicalUser(id.value),
                        };
                        principals.push(Spanned::new(principal, id.loc));
                    }
                }
                principals
            }
            _ => {
                self.diagnostics.push(wrong_type(
                    value,
                    "`\"*\"` or an object of principal types",
                    &format!("`{}`", member.key),
                ));
                return None;
            }
        };
        Some(PrincipalElement {
            negated,
            principals,
            loc: member.key_loc.clone(),
        })
    }

    fn conditions(&mut self, value: &Value) -> Vec<Condition> {
        let Some(blocks) = value.as_object() else {
            self.diagnostics.push(wrong_type(
                value,
                "an object of condition operators",
                "`Condition`",
            ));
            return Vec::new();
        };
        if blocks.is_empty() {
            self.diagnostics.push(empty_element(
                value,
                "`Condition`",
                "an empty condition block has no effect; remove it or add conditions",
            ));
        }
        let mut conditions = Vec::new();
        for block in self.unique_members(blocks) {
            let Some(operator) = self.operator(block) else {
                continue;
            };
            let Some(keys) = block.value.as_object() else {
                self.diagnostics.push(wrong_type(
                    &block.value,
                    "an object of condition keys",
                    &format!("`{}`", block.key),
                ));
                continue;
            };
            if keys.is_empty() {
                self.diagnostics.push(empty_element(
                    &block.value,
                    &format!("`{}`", block.key),
                    "an operator with no condition keys tests nothing",
                ));
            }
            for key in self.unique_members(keys) {
                let Some(values) = self.condition_values(key) else {
                    continue;
                };
                conditions.push(Condition {
                    operator: Spanned::new(operator, block.key_loc.clone()),
                    key: Spanned::new(key.key.clone(), key.key_loc.clone()),
                    values,
                    loc: member_loc(key),
                });
            }
        }
        conditions
    }

    fn operator(&mut self, block: &Member) -> Option<Operator> {
        if let Some(operator) = Operator::parse(&block.key) {
            return Some(operator);
        }
        let names = operator_names();
        let help = if block.key.ends_with("IfExists") && block.key.contains("Null") {
            "`Null` already tests whether the key exists and takes no `IfExists`".to_string()
        } else {
            match did_you_mean(&block.key, names.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "see the IAM User Guide, \"IAM JSON policy elements: Condition operators\""
                    .to_string(),
            }
        };
        self.diagnostics.push(
            Diagnostic::error(
                "policy-unknown-operator",
                format!("unknown condition operator `{}`", block.key),
            )
            .at(&block.key_loc, "not a condition operator")
            .with_help(help),
        );
        None
    }

    fn condition_values(&mut self, key: &Member) -> Option<Vec<Spanned<ConditionValue>>> {
        let element = format!("condition key `{}`", key.key);
        let items: Vec<&Value> = match &key.value.kind {
            Kind::Array(items) => {
                if items.is_empty() {
                    self.diagnostics.push(empty_element(
                        &key.value,
                        &format!("the value list of `{}`", key.key),
                        "a condition with no values never matches with a positive operator and always matches with a negated one; list the values",
                    ));
                }
                items.iter().collect()
            }
            _ => vec![&key.value],
        };
        let mut values = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items {
            match item.scalar_text() {
                Some(text) => {
                    let template = Template::parse(&text, self.variables);
                    values.push(Spanned::new(
                        ConditionValue { text, template },
                        item.loc.clone(),
                    ));
                }
                None => {
                    ok = false;
                    let expected = if std::ptr::eq(item, &key.value) {
                        "a string, number or boolean, or an array of them"
                    } else {
                        "a string, number or boolean"
                    };
                    self.diagnostics.push(wrong_type(item, expected, &element));
                }
            }
        }
        ok.then_some(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    /// Reads `text` and returns every diagnostic, whether the document was
    /// usable or not.
    fn diagnostics(text: &str) -> Vec<Diagnostic> {
        match parse_policy_text("test.json", text, PolicyKind::Unknown) {
            Ok(parsed) => parsed.diagnostics,
            Err(diagnostics) => diagnostics,
        }
    }

    fn parsed(text: &str) -> ParsedPolicy {
        parse_policy_text("test.json", text, PolicyKind::Unknown).expect("usable policy")
    }

    /// A one-statement policy whose statement members start on line 2,
    /// column 3; a member's value starts at column `key.len() + 7`. The
    /// statement object itself opens at line 1, column 41.
    fn statement(body: &str) -> String {
        format!("{{\"Version\": \"2012-10-17\", \"Statement\": [{{\n{body}\n}}]}}")
    }

    struct Case {
        /// The rule broken, with the document that states it.
        rule: &'static str,
        text: String,
        code: &'static str,
        severity: Severity,
        message: &'static str,
        line: usize,
        column: usize,
        help: Option<&'static str>,
    }

    fn case(
        rule: &'static str,
        text: impl Into<String>,
        code: &'static str,
        message: &'static str,
        (line, column): (usize, usize),
    ) -> Case {
        Case {
            rule,
            text: text.into(),
            code,
            severity: Severity::Error,
            message,
            line,
            column,
            help: None,
        }
    }

    impl Case {
        fn help(mut self, help: &'static str) -> Case {
            self.help = Some(help);
            self
        }

        fn warning(mut self) -> Case {
            self.severity = Severity::Warning;
            self
        }
    }

    fn malformed_cases() -> Vec<Case> {
        vec![
            // IAM User Guide, "Grammar of the IAM JSON policy language": `policy = { ... }`.
            case(
                "grammar: a policy is an object",
                "[1]",
                "policy-not-an-object",
                "a policy document must be a JSON object, found an array",
                (1, 1),
            ),
            // Grammar: `<statement_block>` is not optional.
            case(
                "grammar: statement_block is required",
                r#"{"Version": "2012-10-17"}"#,
                "policy-missing-statement",
                "policy document has no `Statement`",
                (1, 1),
            ),
            case(
                "grammar: Statement is a statement or a list of statements",
                r#"{"Statement": "x"}"#,
                "policy-wrong-type",
                "expected an object or an array of objects, found a string",
                (1, 15),
            ),
            case(
                "grammar: Statement entries are objects",
                r#"{"Statement": [1]}"#,
                "policy-wrong-type",
                "expected a statement object, found a number",
                (1, 16),
            ),
            // Access Analyzer accepts but flags empty elements ("Empty array …").
            case(
                "Access Analyzer: empty Statement",
                r#"{"Version": "2012-10-17", "Statement": []}"#,
                "policy-empty-element",
                "`Statement` is empty",
                (1, 40),
            )
            .warning(),
            // IAM User Guide, "IAM JSON policy elements: Version".
            case(
                "Version: 2012-10-17 or 2008-10-17",
                r#"{"Version": "2012-10-18", "Statement": []}"#,
                "policy-invalid-version",
                "unknown policy language version `2012-10-18`",
                (1, 13),
            ),
            case(
                "Version: a string",
                r#"{"Version": 2012, "Statement": []}"#,
                "policy-wrong-type",
                "expected a string, found a number",
                (1, 13),
            ),
            // Grammar: a policy holds only version, id and statement blocks.
            case(
                "grammar: unknown top-level element",
                r#"{"Version": "2012-10-17", "Statment": []}"#,
                "policy-unknown-element",
                "unknown policy element `Statment`",
                (1, 27),
            )
            .help("did you mean `Statement`?"),
            case(
                "grammar: statement elements at the top level",
                r#"{"Effect": "Allow", "Statement": []}"#,
                "policy-unknown-element",
                "unknown policy element `Effect`",
                (1, 2),
            )
            .help("`Effect` belongs inside a statement of `Statement`"),
            case(
                "grammar: unknown statement element",
                statement("  \"Effect\": \"Allow\",\n  \"Actions\": \"s3:GetObject\",\n  \"Resource\": \"*\""),
                "policy-unknown-element",
                "unknown statement element `Actions`",
                (3, 3),
            )
            .help("did you mean `Action`?"),
            // Grammar notes: "Individual elements must not contain multiple
            // instances of the same key."
            case(
                "grammar notes: no repeated keys",
                statement("  \"Effect\": \"Allow\",\n  \"Effect\": \"Deny\",\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\""),
                "policy-duplicate-key",
                "`Effect` appears more than once",
                (3, 3),
            ),
            case(
                "grammar notes: no repeated condition keys",
                statement(
                    "  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\",\n  \"Condition\": {\"StringEquals\": {\"aws:username\": \"a\", \"aws:username\": \"b\"}}",
                ),
                "policy-duplicate-key",
                "`aws:username` appears more than once",
                (5, 55),
            ),
            // IAM User Guide, "IAM JSON policy elements: Effect": required,
            // `Allow` or `Deny`, case-sensitive.
            case(
                "Effect: required",
                statement("  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\""),
                "policy-missing-effect",
                "statement has no `Effect`",
                (1, 41),
            ),
            case(
                "Effect: case-sensitive",
                statement("  \"Effect\": \"allow\",\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\""),
                "policy-invalid-effect",
                "invalid `Effect` `allow`",
                (2, 13),
            )
            .help("`Effect` is case-sensitive: write `Allow`"),
            case(
                "Effect: a string",
                statement("  \"Effect\": true,\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\""),
                "policy-wrong-type",
                "expected a string, found a boolean",
                (2, 13),
            ),
            case(
                "Sid: a string",
                statement("  \"Sid\": 1,\n  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\""),
                "policy-wrong-type",
                "expected a string, found a number",
                (2, 10),
            ),
            // Grammar: `<action_block>` is required, `("Action" | "NotAction")`.
            case(
                "grammar: action_block is required",
                statement("  \"Effect\": \"Allow\",\n  \"Resource\": \"*\""),
                "policy-missing-action",
                "statement has no `Action` or `NotAction`",
                (1, 41),
            ),
            case(
                "grammar: Action or NotAction, not both",
                statement("  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObject\",\n  \"NotAction\": \"s3:PutObject\",\n  \"Resource\": \"*\""),
                "policy-conflicting-elements",
                "statement has both `Action` and `NotAction`",
                (4, 3),
            ),
            case(
                "grammar: Resource or NotResource, not both",
                statement("  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObject\",\n  \"NotResource\": \"arn:aws:s3:::a/*\",\n  \"Resource\": \"*\""),
                "policy-conflicting-elements",
                "statement has both `Resource` and `NotResource`",
                (5, 3),
            ),
            case(
                "grammar: Principal or NotPrincipal, not both",
                statement("  \"Effect\": \"Deny\",\n  \"Principal\": \"*\",\n  \"NotPrincipal\": {\"AWS\": \"111122223333\"},\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\""),
                "policy-conflicting-elements",
                "statement has both `Principal` and `NotPrincipal`",
                (4, 3),
            ),
            // Grammar notes: "If the element takes an array ... but only one
            // value is included, the brackets are optional."
            case(
                "grammar: Action is a string or strings",
                statement("  \"Effect\": \"Allow\",\n  \"Action\": 3,\n  \"Resource\": \"*\""),
                "policy-wrong-type",
                "expected a string or an array of strings, found a number",
                (3, 13),
            ),
            case(
                "grammar: action_string entries are strings",
                statement("  \"Effect\": \"Allow\",\n  \"Action\": [\"s3:GetObject\", 7],\n  \"Resource\": \"*\""),
                "policy-wrong-type",
                "expected a string, found a number",
                (3, 30),
            ),
            case(
                "grammar: Resource is a string or strings",
                statement("  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": {\"a\": 1}"),
                "policy-wrong-type",
                "expected a string or an array of strings, found an object",
                (4, 15),
            ),
            case(
                "Access Analyzer: empty array action",
                statement("  \"Effect\": \"Allow\",\n  \"Action\": [],\n  \"Resource\": \"*\""),
                "policy-empty-element",
                "`Action` is empty",
                (3, 13),
            )
            .warning(),
            case(
                "Access Analyzer: empty array resource",
                statement("  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": []"),
                "policy-empty-element",
                "`Resource` is empty",
                (4, 15),
            )
            .warning(),
            // Grammar: `("Principal" | "NotPrincipal") : ("*" | <principal_map>)`.
            case(
                "grammar: principal_block is `*` or a map",
                statement("  \"Effect\": \"Allow\",\n  \"Principal\": \"arn:aws:iam::111122223333:root\",\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\""),
                "policy-invalid-principal",
                "`Principal` must be `\"*\"` or an object of principal types, found the string `arn:aws:iam::111122223333:root`",
                (3, 16),
            )
            .help("write `{\"AWS\": \"arn:aws:iam::111122223333:root\"}`"),
            case(
                "grammar: principal_block is not an array",
                statement("  \"Effect\": \"Allow\",\n  \"Principal\": [\"*\"],\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\""),
                "policy-wrong-type",
                "expected `\"*\"` or an object of principal types, found an array",
                (3, 16),
            ),
            // Grammar: `<principal_map_entry> = ("AWS" | "Federated" | "Service" | "CanonicalUser")`.
            case(
                "grammar: principal types",
                statement("  \"Effect\": \"Allow\",\n  \"Principal\": {\"Aws\": \"111122223333\"},\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\""),
                "policy-unknown-principal-type",
                "unknown principal type `Aws`",
                (3, 17),
            )
            .help("did you mean `AWS`?"),
            case(
                "grammar: principal ids are strings",
                statement("  \"Effect\": \"Allow\",\n  \"Principal\": {\"AWS\": 111122223333},\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\""),
                "policy-wrong-type",
                "expected a string or an array of strings, found a number",
                (3, 24),
            ),
            case(
                "Access Analyzer: empty object principal",
                statement("  \"Effect\": \"Allow\",\n  \"Principal\": {},\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\""),
                "policy-empty-element",
                "`Principal` is empty",
                (3, 16),
            )
            .warning(),
            // Grammar: `"Condition" : { <condition_map> }` with
            // `<condition_type_string> : { <condition_key_string> : <condition_value_list> }`.
            case(
                "grammar: Condition is an object",
                statement("  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\",\n  \"Condition\": [\"x\"]"),
                "policy-wrong-type",
                "expected an object of condition operators, found an array",
                (5, 16),
            ),
            // IAM User Guide, "IAM JSON policy elements: Condition operators".
            case(
                "Condition operators: known names only",
                statement("  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\",\n  \"Condition\": {\"StringEqual\": {\"aws:username\": \"bob\"}}"),
                "policy-unknown-operator",
                "unknown condition operator `StringEqual`",
                (5, 17),
            )
            .help("did you mean `StringEquals`?"),
            case(
                "Condition operators: set operator spelling",
                statement("  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\",\n  \"Condition\": {\"ForAnyValues:StringLike\": {\"aws:TagKeys\": \"a*\"}}"),
                "policy-unknown-operator",
                "unknown condition operator `ForAnyValues:StringLike`",
                (5, 17),
            )
            .help("did you mean `ForAnyValue:StringLike`?"),
            case(
                "Condition operators: names are case-sensitive",
                statement("  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\",\n  \"Condition\": {\"stringequals\": {\"aws:username\": \"bob\"}}"),
                "policy-unknown-operator",
                "unknown condition operator `stringequals`",
                (5, 17),
            )
            .help("did you mean `StringEquals`?"),
            case(
                "Condition operators: Null has no IfExists form",
                statement("  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\",\n  \"Condition\": {\"NullIfExists\": {\"aws:username\": \"true\"}}"),
                "policy-unknown-operator",
                "unknown condition operator `NullIfExists`",
                (5, 17),
            )
            .help("`Null` already tests whether the key exists and takes no `IfExists`"),
            case(
                "grammar: condition keys sit in an object",
                statement("  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\",\n  \"Condition\": {\"StringEquals\": \"bob\"}"),
                "policy-wrong-type",
                "expected an object of condition keys, found a string",
                (5, 33),
            ),
            // Grammar: `<condition_value> = ("string" | "number" | "Boolean")`.
            case(
                "grammar: condition values are scalars",
                statement("  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\",\n  \"Condition\": {\"StringEquals\": {\"aws:username\": null}}"),
                "policy-wrong-type",
                "expected a string, number or boolean, or an array of them, found null",
                (5, 50),
            ),
            case(
                "grammar: condition value lists hold scalars",
                statement("  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\",\n  \"Condition\": {\"StringEquals\": {\"aws:username\": [\"a\", {}]}}"),
                "policy-wrong-type",
                "expected a string, number or boolean, found an object",
                (5, 56),
            ),
            case(
                "Access Analyzer: empty array condition",
                statement("  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\",\n  \"Condition\": {\"StringEquals\": {\"aws:username\": []}}"),
                "policy-empty-element",
                "the value list of `aws:username` is empty",
                (5, 50),
            )
            .warning(),
            case(
                "Access Analyzer: empty object condition",
                statement("  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\",\n  \"Condition\": {}"),
                "policy-empty-element",
                "`Condition` is empty",
                (5, 16),
            )
            .warning(),
            // RFC 8259: a policy held as text must first be JSON.
            case(
                "JSON: syntax errors come from the JSON reader",
                r#"{"Statement": [}"#,
                "json-syntax",
                "expected a JSON value",
                (1, 16),
            ),
        ]
    }

    #[test]
    fn every_malformed_input_has_a_located_diagnostic() {
        for case in malformed_cases() {
            let found = diagnostics(&case.text);
            let Some(diagnostic) = found.iter().find(|d| d.code == case.code) else {
                panic!("{}: no `{}` among {found:#?}", case.rule, case.code);
            };
            assert_eq!(diagnostic.message, case.message, "{}", case.rule);
            assert_eq!(diagnostic.severity, case.severity, "{}", case.rule);
            let location = diagnostic
                .location()
                .expect("every policy diagnostic has a place");
            assert_eq!(
                location.line_col(),
                (case.line, case.column),
                "{}: at `{}`",
                case.rule,
                location.snippet()
            );
            if let Some(help) = case.help {
                assert_eq!(diagnostic.help.as_deref(), Some(help), "{}", case.rule);
            }
            assert!(
                diagnostic.code.starts_with("policy-") || diagnostic.code == "json-syntax",
                "{}",
                case.rule
            );
        }
    }

    #[test]
    fn a_repeated_key_points_back_at_the_first() {
        let found = diagnostics(&statement(
            "  \"Effect\": \"Allow\",\n  \"Effect\": \"Deny\",\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\"",
        ));
        let duplicate = found
            .iter()
            .find(|d| d.code == "policy-duplicate-key")
            .expect("duplicate reported");
        assert_eq!(duplicate.related.len(), 1);
        assert_eq!(duplicate.related[0].loc.line_col(), (2, 3));
    }

    // Errors in one statement leave it out but do not stop the others:
    // every error of the document is reported in one run.
    #[test]
    fn a_bad_statement_is_left_out_and_reading_goes_on() {
        let parsed = parsed(
            r#"{"Version": "2012-10-17", "Statement": [
                {"Effect": "Alow", "Action": "s3:GetObject", "Resource": "*"},
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
                {"Effect": "Deny", "Action": 1, "Resource": "*"}
            ]}"#,
        );
        assert_eq!(parsed.policy.statements.len(), 1);
        assert_eq!(parsed.policy.statements[0].index, 1);
        let codes: Vec<_> = parsed.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["policy-invalid-effect", "policy-wrong-type"]);
        // What could be read of the left-out statements is kept for
        // validation, never among the statements the evaluator reads.
        let rejected: Vec<(usize, bool)> = parsed
            .policy
            .rejected
            .iter()
            .map(|r| (r.statement.index, r.effect_read))
            .collect();
        assert_eq!(rejected, [(0, false), (2, true)]);
        let first = &parsed.policy.rejected[0].statement;
        assert_eq!(first.action.patterns[0].value, "s3:GetObject");
        assert!(
            parsed.policy.rejected[1]
                .statement
                .action
                .patterns
                .is_empty()
        );
    }

    // A rejected statement keeps the parts that were read; an element that
    // is there but unreadable is told apart from one that is missing.
    #[test]
    fn a_rejected_statement_keeps_its_readable_parts() {
        let parsed = parsed(&statement(
            "  \"Effect\": \"allow\",\n  \"Action\": \"s3:GetObjet\",\n  \"Resource\": 7,\n  \"Condition\": {\"StringEqualz\": {\"aws:PrincipalTag/team\": \"blue\"}, \"Bool\": {\"aws:SecureTransport\": \"true\"}}",
        ));
        assert!(parsed.policy.statements.is_empty());
        let [rejected] = &parsed.policy.rejected[..] else {
            panic!("one rejected statement: {:#?}", parsed.policy.rejected);
        };
        assert!(!rejected.effect_read);
        assert_eq!(rejected.unreadable, ["Resource"]);
        assert_eq!(rejected.statement.action.patterns[0].value, "s3:GetObjet");
        assert!(rejected.statement.resource.is_none());
        let keys: Vec<&str> = rejected
            .statement
            .conditions
            .iter()
            .map(|c| c.key.value.as_str())
            .collect();
        assert_eq!(keys, ["aws:SecureTransport"], "the readable condition");
    }

    // A warning (empty list) does not remove the statement.
    #[test]
    fn warnings_keep_the_statement() {
        let parsed = parsed(&statement(
            "  \"Effect\": \"Allow\",\n  \"Action\": [],\n  \"Resource\": \"*\"",
        ));
        assert_eq!(parsed.policy.statements.len(), 1);
        assert!(parsed.policy.statements[0].action.patterns.is_empty());
    }

    // Grammar notes: a single statement may stand without an array.
    #[test]
    fn a_single_statement_object_is_statement_zero() {
        let parsed = parsed(&statement(
            "  \"Sid\": \"One\",\n  \"Effect\": \"Deny\",\n  \"NotAction\": \"iam:*\",\n  \"NotResource\": [\"arn:aws:s3:::a\", \"arn:aws:s3:::b\"]",
        ));
        assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
        let statement = &parsed.policy.statements[0];
        assert_eq!(statement.index, 0);
        assert_eq!(statement.label(), "statement `One`");
        assert_eq!(statement.effect.value, Effect::Deny);
        assert!(statement.action.negated);
        let resource = statement.resource.as_ref().expect("NotResource");
        assert!(resource.negated);
        assert_eq!(resource.patterns.len(), 2);
        assert_eq!(resource.loc.snippet(), "\"NotResource\"");
    }

    // IAM User Guide, "IAM policy elements: Variables and tags": the S3
    // home-folder example.
    #[test]
    fn documented_s3_home_folder_policy() {
        let parsed = parsed(include_str!(
            "../../tests/fixtures/policies/s3-home-folder.json"
        ));
        assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
        let policy = &parsed.policy;
        assert!(policy.variables_enabled());
        assert_eq!(policy.statements.len(), 2);
        let list = &policy.statements[0];
        assert_eq!(list.conditions.len(), 1);
        let prefix = &list.conditions[0];
        assert_eq!(prefix.operator.value.base, BaseOperator::StringLike);
        assert_eq!(prefix.key.value, "s3:prefix");
        assert_eq!(
            prefix.values[0]
                .value
                .template
                .variables()
                .collect::<Vec<_>>(),
            [("aws:username", None)]
        );
        assert_eq!(prefix.loc.line_col(), (8, 36));
        let objects = &policy.statements[1];
        let resource = &objects.resource.as_ref().expect("Resource").patterns[0];
        assert_eq!(
            resource.value.to_string(),
            "arn:aws:s3:::mybucket/${aws:username}/*"
        );
        assert!(resource.value.has_variables());
        assert_eq!(resource.loc.line_col(), (16, 20));
    }

    // Cognito Developer Guide, "IAM roles": per-identity S3 prefix.
    #[test]
    fn documented_cognito_per_identity_s3_policy() {
        let parsed = parsed(include_str!(
            "../../tests/fixtures/policies/cognito-per-identity-s3.json"
        ));
        assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
        let objects = &parsed.policy.statements[1];
        let actions: Vec<_> = objects
            .action
            .patterns
            .iter()
            .map(|p| p.value.as_str())
            .collect();
        assert_eq!(actions, ["s3:GetObject", "s3:PutObject"]);
        let resource = &objects.resource.as_ref().expect("Resource").patterns[0].value;
        assert_eq!(
            resource.variables().collect::<Vec<_>>(),
            [("cognito-identity.amazonaws.com:sub", None)]
        );
    }

    // Cognito Developer Guide, "Role trust and permissions"; SEMANTICS-NOTES §3.
    #[test]
    fn documented_cognito_trust_policy() {
        let parsed = parsed(include_str!(
            "../../tests/fixtures/policies/cognito-trust-authenticated.json"
        ));
        assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
        let statement = &parsed.policy.statements[0];
        let principal = statement.principal.as_ref().expect("Principal");
        assert!(!principal.negated);
        assert_eq!(
            principal.principals[0].value,
            Principal::Federated("cognito-identity.amazonaws.com".into())
        );
        assert!(statement.resource.is_none());
        let operators: Vec<_> = statement
            .conditions
            .iter()
            .map(|c| (c.operator.value.to_string(), c.key.value.as_str()))
            .collect();
        assert_eq!(
            operators,
            [
                (
                    "StringEquals".to_string(),
                    "cognito-identity.amazonaws.com:aud"
                ),
                (
                    "ForAnyValue:StringLike".to_string(),
                    "cognito-identity.amazonaws.com:amr"
                ),
            ]
        );
        assert_eq!(
            statement.conditions[1].values[0].value.text,
            "authenticated"
        );
    }

    // Amazon S3 User Guide, bucket policy examples: anonymous read.
    #[test]
    fn documented_public_read_bucket_policy() {
        let parsed = parsed(include_str!(
            "../../tests/fixtures/policies/bucket-public-read.json"
        ));
        assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
        let principal = parsed.policy.statements[0]
            .principal
            .as_ref()
            .expect("Principal");
        assert_eq!(principal.principals.len(), 1);
        assert_eq!(principal.principals[0].value, Principal::Anyone);
    }

    // IAM User Guide, "AWS JSON policy elements: Principal": `{"AWS": "*"}`
    // is everyone; the other types keep their identifiers.
    #[test]
    fn principal_maps_become_principals() {
        let parsed = parsed(&statement(
            "  \"Effect\": \"Allow\",\n  \"Principal\": {\"AWS\": [\"*\", \"111122223333\"], \"Service\": \"lambda.amazonaws.com\", \"CanonicalUser\": \"abc\"},\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\"",
        ));
        assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
        let principals: Vec<_> = parsed.policy.statements[0]
            .principal
            .as_ref()
            .expect("Principal")
            .principals
            .iter()
            .map(|p| p.value.clone())
            .collect();
        assert_eq!(
            principals,
            [
                Principal::Anyone,
                Principal::Aws("111122223333".into()),
                Principal::Service("lambda.amazonaws.com".into()),
                Principal::CanonicalUser("abc".into()),
            ]
        );
    }

    // Grammar: condition values may be numbers and booleans, read as written.
    #[test]
    fn numbers_and_booleans_keep_their_text() {
        let parsed = parsed(&statement(
            "  \"Effect\": \"Allow\",\n  \"Action\": \"s3:ListBucket\",\n  \"Resource\": \"*\",\n  \"Condition\": {\"NumericLessThanEquals\": {\"s3:max-keys\": 10.50}, \"Bool\": {\"aws:SecureTransport\": [true]}}",
        ));
        assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
        let texts: Vec<_> = parsed.policy.statements[0]
            .conditions
            .iter()
            .map(|c| c.values[0].value.text.as_str())
            .collect();
        assert_eq!(texts, ["10.50", "true"]);
    }

    // IAM User Guide, "Policy variables": without Version 2012-10-17,
    // `${...}` is literal text.
    #[test]
    fn variables_are_literal_without_version_2012() {
        let parsed = parsed(
            r#"{"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/${aws:username}/*"}}"#,
        );
        let resource = &parsed.policy.statements[0]
            .resource
            .as_ref()
            .expect("Resource")
            .patterns[0];
        assert!(!resource.value.has_variables());
        assert!(!parsed.policy.variables_enabled());
    }

    #[test]
    fn suggestions_tolerate_case_and_small_typos() {
        assert_eq!(did_you_mean("effect", STATEMENT_ELEMENTS), Some("Effect"));
        assert_eq!(
            did_you_mean("Resources", STATEMENT_ELEMENTS),
            Some("Resource")
        );
        assert_eq!(did_you_mean("Frobnicate", STATEMENT_ELEMENTS), None);
        assert_eq!(crate::diagnostic::edit_distance("kitten", "sitting"), 3);
        assert_eq!(crate::diagnostic::edit_distance("", "abc"), 3);
    }
}
