//! Validation of parsed policies: what the grammar allows but AWS rejects,
//! or accepts while it most likely does not do what its author meant.
//!
//! This module owns the semantic rules of single policy documents: which
//! elements a policy of each [`PolicyKind`] must or must not have, value
//! types of condition operators, where policy variables are recognised, ARN
//! shapes, known actions (through the action [`Catalogue`]) and the set
//! operator traps. It hands on plain [`Diagnostic`]s — errors where AWS
//! would refuse the policy, warnings where it accepts a likely mistake,
//! notes for advice — to the `lint` command. It never changes the policy:
//! the evaluator reads the same AST whatever is found here.

use std::cell::OnceCell;

use crate::diagnostic::Diagnostic;
use crate::source::{Location, Spanned};

use super::arn::Arn;
use super::ast::{
    BaseOperator, Condition, ConditionValue, Effect, Policy, PolicyKind, Principal,
    PrincipalElement, RejectedStatement, SetQualifier, Statement, Template, TemplatePart,
    VERSION_2012, ValueType,
};
use super::catalogue::Catalogue;
use super::value::parse_typed;
use crate::diagnostic::edit_distance;

/// Well-known global condition keys that have at most one value in a
/// request: their "Value type" is "Single-valued" in the IAM User Guide,
/// "AWS global condition context keys". Set operators on them are a trap
/// (IAM User Guide, "Single-valued vs. multivalued context keys": "Do not use
/// condition set operators ForAllValues or ForAnyValue with single-valued
/// context keys").
pub const SINGLE_VALUED_GLOBAL_KEYS: [&str; 18] = [
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:MultiFactorAuthPresent",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalOrgID",
    "aws:PrincipalType",
    "aws:RequestedRegion",
    "aws:ResourceAccount",
    "aws:SecureTransport",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceIp",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:TokenIssueTime",
    "aws:userid",
    "aws:username",
];

/// Checks one parsed policy used as `kind`.
pub fn validate(policy: &Policy, kind: PolicyKind, catalogue: &Catalogue) -> Vec<Diagnostic> {
    let mut validator = Validator {
        policy,
        kind,
        catalogue,
        known_keys: OnceCell::new(),
        literal_variable_reported: false,
        rejected: None,
        out: Vec::new(),
    };
    validator.sids();
    for statement in &policy.statements {
        validator.statement(statement);
    }
    // Statements the grammar left out: their other problems are reported
    // too, so that one run shows every problem of a statement.
    for rejected in &policy.rejected {
        validator.rejected = Some(rejected);
        validator.statement(&rejected.statement);
    }
    validator.out
}

struct Validator<'a> {
    policy: &'a Policy,
    kind: PolicyKind,
    catalogue: &'a Catalogue,
    /// Every non-templated condition key of the catalogue, lower-cased, for
    /// "did you mean"; built only when an unknown key turns up.
    known_keys: OnceCell<Vec<(String, String)>>,
    /// `${` in a policy without Version 2012-10-17 is reported once.
    literal_variable_reported: bool,
    /// The statement being checked, when the grammar left it out: its
    /// effect may be unread, and an element it lacks may be unreadable
    /// rather than absent.
    rejected: Option<&'a RejectedStatement>,
    out: Vec<Diagnostic>,
}

/// How a policy kind is named in messages.
fn kind_name(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Identity => "an identity policy",
        PolicyKind::Resource => "a resource policy",
        PolicyKind::Trust => "a role trust policy",
        PolicyKind::Boundary => "a permissions boundary",
        PolicyKind::Session => "a session policy",
        PolicyKind::ControlPolicy => "a control policy",
        PolicyKind::Unknown => "a policy",
    }
}

/// Policies attached to a principal: the principal is implied.
fn is_identity_like(kind: PolicyKind) -> bool {
    matches!(
        kind,
        PolicyKind::Identity | PolicyKind::Boundary | PolicyKind::Session
    )
}

impl Validator<'_> {
    fn push(&mut self, diagnostic: Diagnostic) {
        self.out.push(diagnostic);
    }

    /// Whether the statement is known to be an `Allow`.
    fn allows(&self, statement: &Statement) -> bool {
        self.rejected.is_none_or(|r| r.effect_read) && statement.effect.value == Effect::Allow
    }

    /// Whether the statement lacks `element` (`Principal`, `Resource`), as
    /// opposed to having one the grammar could not read.
    fn lacks(&self, element: &str) -> bool {
        self.rejected
            .is_none_or(|r| !r.unreadable.contains(&element))
    }

    /// IAM User Guide, "IAM JSON policy elements: Sid": "In IAM, the Sid
    /// value must be unique within a JSON policy", and IAM policies allow
    /// only ASCII letters and digits in it.
    fn sids(&mut self) {
        let mut seen: Vec<&Spanned<String>> = Vec::new();
        let mut statements: Vec<&Statement> = self.policy.statements.iter().collect();
        statements.extend(self.policy.rejected.iter().map(|r| &r.statement));
        statements.sort_by_key(|s| s.index);
        for statement in statements {
            let Some(sid) = &statement.sid else {
                continue;
            };
            if matches!(
                self.kind,
                PolicyKind::Identity | PolicyKind::Boundary | PolicyKind::Trust
            ) && !sid.value.chars().all(|c| c.is_ascii_alphanumeric())
            {
                self.push(
                    Diagnostic::error(
                        "policy-invalid-sid",
                        format!("`Sid` `{}` has characters IAM does not allow", sid.value),
                    )
                    .at(&sid.loc, "only A-Z, a-z and 0-9 here")
                    .with_help(format!(
                        "IAM accepts only ASCII letters and digits in the `Sid` of {}",
                        kind_name(self.kind)
                    )),
                );
            }
            if sid.value.is_empty() {
                continue;
            }
            if let Some(first) = seen.iter().find(|s| s.value == sid.value) {
                let diagnostic = Diagnostic::error(
                    "policy-duplicate-sid",
                    format!("`Sid` `{}` is used by more than one statement", sid.value),
                )
                .at(&sid.loc, "used again here")
                .with_related(&first.loc, "first used here")
                .with_help("statement ids must be unique within a policy");
                self.push(diagnostic);
            } else {
                seen.push(sid);
            }
        }
    }

    fn statement(&mut self, statement: &Statement) {
        self.elements_for_kind(statement);
        if let Some(principal) = &statement.principal {
            self.principals(principal);
        }
        for action in &statement.action.patterns {
            self.action(action);
        }
        if let Some(resource) = &statement.resource {
            for pattern in &resource.patterns {
                self.resource(pattern);
            }
        }
        self.conditions(statement);
    }

    /// Which elements a statement must or must not have, by policy kind.
    fn elements_for_kind(&mut self, statement: &Statement) {
        let kind = self.kind;
        match &statement.principal {
            // IAM User Guide, "Policy grammar notes": the principal block
            // "must not be included in identity-based policies".
            Some(principal) if is_identity_like(kind) => {
                let element = if principal.negated {
                    "NotPrincipal"
                } else {
                    "Principal"
                };
                self.push(
                    Diagnostic::error(
                        "policy-principal-not-allowed",
                        format!("{} cannot have `{element}`", kind_name(kind)),
                    )
                    .at(&principal.loc, "not allowed here")
                    .with_help(
                        "the principal is whoever the policy is attached to; remove the element",
                    ),
                );
            }
            // IAM User Guide, "AWS JSON policy elements: NotPrincipal": not
            // usable in a role trust policy, nor in SCPs and RCPs.
            Some(principal)
                if principal.negated
                    && matches!(kind, PolicyKind::Trust | PolicyKind::ControlPolicy) =>
            {
                self.push(
                    Diagnostic::error(
                        "policy-principal-not-allowed",
                        format!("{} cannot have `NotPrincipal`", kind_name(kind)),
                    )
                    .at(&principal.loc, "not allowed here")
                    .with_help("name the principals with `Principal`, or use a `Deny` with an `aws:PrincipalArn` condition"),
                );
            }
            Some(principal) if principal.negated && self.allows(statement) => {
                self.push(
                    Diagnostic::warning(
                        "policy-notprincipal-with-allow",
                        "`NotPrincipal` with `\"Effect\": \"Allow\"` is not supported",
                    )
                    .at(&principal.loc, "in an `Allow` statement")
                    .with_related(&statement.effect.loc, "effect")
                    .with_help("AWS supports `NotPrincipal` only with `Deny` (IAM User Guide, \"AWS JSON policy elements: NotPrincipal\"); list the principals to allow with `Principal`"),
                );
            }
            Some(_) => {}
            // Grammar notes: "The principal_block element is required in
            // resource-based policies ... and in trust policies for IAM roles".
            None if self.lacks("Principal")
                && matches!(kind, PolicyKind::Resource | PolicyKind::Trust) =>
            {
                self.push(
                    Diagnostic::error(
                        "policy-missing-principal",
                        format!("{} statement must have a `Principal`", kind_name(kind)),
                    )
                    .at(&statement.loc, "this statement")
                    .with_help("add `\"Principal\": {...}` naming who the statement is about"),
                );
            }
            None => {}
        }

        match &statement.resource {
            // IAM refuses a trust policy with a Resource ("Has prohibited
            // field Resource"): the resource is the role itself.
            Some(resource) if kind == PolicyKind::Trust => {
                let element = if resource.negated {
                    "NotResource"
                } else {
                    "Resource"
                };
                self.push(
                    Diagnostic::error(
                        "policy-resource-not-allowed",
                        format!("a role trust policy cannot have `{element}`"),
                    )
                    .at(&resource.loc, "not allowed here")
                    .with_help(
                        "the resource of a trust policy is the role itself; remove the element",
                    ),
                );
            }
            Some(_) => {}
            // Grammar: `<resource_block>` is required outside trust
            // policies; IAM refuses identity policies without it.
            None if self.lacks("Resource") && is_identity_like(kind) => {
                self.push(
                    Diagnostic::error(
                        "policy-missing-resource",
                        format!(
                            "{} statement must have a `Resource` or `NotResource`",
                            kind_name(kind)
                        ),
                    )
                    .at(&statement.loc, "this statement")
                    .with_help("add `\"Resource\": [...]` with ARNs, or `\"*\"`"),
                );
            }
            // Resource policies: most services (S3 among them) require the
            // element, but some accept a statement without it (the IAM User
            // Guide's SNS topic policy example in "Policy variables" has
            // none), so this is only a warning.
            None if self.lacks("Resource") && kind == PolicyKind::Resource => {
                self.push(
                    Diagnostic::warning(
                        "policy-missing-resource",
                        "resource policy statement has no `Resource` or `NotResource`",
                    )
                    .at(&statement.loc, "this statement")
                    .with_help("most services, S3 among them, refuse a resource policy statement without `Resource`; name the resource ARNs"),
                );
            }
            None => {}
        }
    }

    fn principals(&mut self, element: &PrincipalElement) {
        for principal in &element.principals {
            let loc = &principal.loc;
            match &principal.value {
                Principal::Aws(id) => self.aws_principal(id, loc),
                Principal::Federated(id) if id.starts_with("arn:") => {
                    if let Some(problem) = arn_problem(id, id) {
                        self.push(invalid_arn(&problem, loc, "`Federated` principal"));
                    }
                }
                _ => {}
            }
        }
    }

    /// IAM User Guide, "AWS JSON policy elements: Principal" and grammar
    /// notes on `principal_id_string`: an account id, an ARN, or `*` alone
    /// ("You cannot use it to specify part of a name or ARN").
    fn aws_principal(&mut self, id: &str, loc: &Location) {
        if id.contains(['*', '?']) {
            self.push(
                Diagnostic::error(
                    "policy-invalid-principal-id",
                    format!("`{id}` uses a wildcard inside an `AWS` principal"),
                )
                .at(loc, "wildcards are allowed only as `*` alone")
                .with_help("name the account or role exactly; to match several, use `\"*\"` with an `aws:PrincipalArn` or `aws:PrincipalAccount` condition"),
            );
            return;
        }
        if id.len() == 12 && id.chars().all(|c| c.is_ascii_digit()) {
            return;
        }
        if id.starts_with("arn:") {
            if let Some(problem) = arn_problem(id, id) {
                self.push(invalid_arn(&problem, loc, "`AWS` principal"));
            }
            return;
        }
        // IAM rewrites the ARN of a deleted user or role into its unique id
        // (`AIDA…`, `AROA…`), so stored policies can hold those.
        if is_unique_id(id) {
            return;
        }
        self.push(
            Diagnostic::error(
                "policy-invalid-principal-id",
                format!("`{id}` is not an account id, an ARN or `*`"),
            )
            .at(loc, "not a valid `AWS` principal")
            .with_help(
                "use a 12-digit account id or an ARN such as `arn:aws:iam::111122223333:role/name`",
            ),
        );
    }

    fn action(&mut self, action: &Spanned<String>) {
        let pattern = action.value.as_str();
        if pattern == "*" {
            return;
        }
        // IAM User Guide, "Policy variables": variables are recognised only
        // in Resource and in string and ARN conditions.
        if pattern.contains("${") {
            self.push(
                Diagnostic::warning(
                    "policy-variable-in-action",
                    format!("policy variables are not recognised in `Action`: `{pattern}` is literal text"),
                )
                .at(&action.loc, "no variable substitution here")
                .with_help("list the actions explicitly or with wildcards"),
            );
            return;
        }
        let Some((prefix, name)) = pattern.split_once(':') else {
            self.push(
                Diagnostic::error(
                    "policy-invalid-action",
                    format!("`{pattern}` is not of the form `service:action`"),
                )
                .at(&action.loc, "no service prefix")
                .with_help("actions must be prefaced by a service prefix, as in `s3:GetObject`"),
            );
            return;
        };
        if prefix.is_empty() || name.is_empty() {
            self.push(
                Diagnostic::error(
                    "policy-invalid-action",
                    format!("`{pattern}` is not of the form `service:action`"),
                )
                .at(&action.loc, "empty service prefix or action name"),
            );
            return;
        }
        let catalogue = self.catalogue;
        if !prefix.contains(['*', '?']) && catalogue.service(prefix).is_none() {
            let mut diagnostic = Diagnostic::warning(
                "policy-unknown-service",
                format!("unknown service prefix `{prefix}`"),
            )
            .at(&action.loc, "no AWS service has this prefix");
            if let Some(service) = catalogue.suggest_service(prefix) {
                diagnostic = diagnostic.with_help(format!(
                    "did you mean `{}` ({})?",
                    service.prefix, service.name
                ));
            }
            self.push(diagnostic);
            return;
        }
        if catalogue.expand(pattern).is_empty() {
            let mut diagnostic = Diagnostic::warning(
                "policy-unknown-action",
                format!("no AWS action matches `{pattern}`"),
            )
            .at(&action.loc, "matches no known action");
            if let Some(known) = catalogue.suggest_action(pattern) {
                diagnostic = diagnostic.with_help(format!("did you mean `{}`?", known.full_name()));
            }
            self.push(diagnostic);
        }
    }

    fn resource(&mut self, pattern: &Spanned<Template>) {
        let template = &pattern.value;
        let written = template.to_string();
        if written == "*" {
            return;
        }
        self.variables_in_text(&written, template, &pattern.loc);
        // IAM User Guide, "Policy variables": "You can use a policy variable
        // in the Resource element, but only in the resource portion of the
        // ARN. This portion of the ARN appears after the fifth colon".
        if template.has_variables() && colons_before_first_variable(template) < 5 {
            self.push(
                Diagnostic::error(
                    "policy-variable-in-arn-prefix",
                    format!("a policy variable stands before the resource part of `{written}`"),
                )
                .at(&pattern.loc, "variable in partition, service, region or account")
                .with_help("variables are allowed only after the ARN's fifth colon; write the partition, service, region and account literally or with `*`"),
            );
            return;
        }
        // IAM User Guide, "IAM JSON policy elements: Resource", wildcards in
        // resource ARNs: a pattern such as `arn:aws:s3:*` whose last part is a
        // `*` spans the parts it leaves out; the evaluator matches it so.
        let short_wildcard = written.starts_with("arn:") && written.ends_with('*');
        if short_wildcard {
            return;
        }
        if let Some(problem) = arn_problem(&with_placeholders(template), &written) {
            self.push(invalid_arn(&problem, &pattern.loc, "`Resource`"));
        }
    }

    fn conditions(&mut self, statement: &Statement) {
        for (index, condition) in statement.conditions.iter().enumerate() {
            let earlier = &statement.conditions[..index];
            self.condition_key(condition, earlier);
            self.set_operator(statement, condition);
            for value in &condition.values {
                self.condition_value(condition, value);
            }
        }
    }

    fn condition_key(&mut self, condition: &Condition, earlier: &[Condition]) {
        let key = &condition.key;
        if !key.value.contains(':') {
            self.push(
                Diagnostic::error(
                    "policy-invalid-condition-key",
                    format!("condition key `{}` has no service prefix", key.value),
                )
                .at(&key.loc, "not of the form `service:key`")
                .with_help(
                    "condition keys are prefaced by a service or `aws`, as in `aws:SourceIp`",
                ),
            );
            return;
        }
        // Condition key names are case-insensitive (IAM User Guide, "IAM
        // JSON policy elements: Condition"), so keys that differ only in case
        // are the same key twice; Access Analyzer reports this as an error
        // ("Duplicate keys with different case").
        if let Some(first) = earlier.iter().find(|c| {
            c.operator.loc == condition.operator.loc
                && c.key.value != key.value
                && c.key.value.eq_ignore_ascii_case(&key.value)
        }) {
            self.push(
                Diagnostic::error(
                    "policy-duplicate-condition-key",
                    format!(
                        "condition key `{}` appears again as `{}`",
                        first.key.value, key.value
                    ),
                )
                .at(&key.loc, "same key, other capitalisation")
                .with_related(&first.key.loc, "first here")
                .with_help("key names are case-insensitive; merge the values under one key"),
            );
        }
        self.misspelled_key(&key.value, &key.loc, "condition key");
    }

    /// Warns about a key that is not in the catalogue but is one or two
    /// edits away from a key that is: a condition on it would test a key no
    /// request has.
    fn misspelled_key(&mut self, key: &str, loc: &Location, what: &str) {
        if self.catalogue.condition_key(key).is_some() {
            return;
        }
        let lower = key.to_ascii_lowercase();
        let catalogue = self.catalogue;
        let known = self.known_keys.get_or_init(|| known_key_names(catalogue));
        let nearest = known
            .iter()
            .filter(|(k, _)| k.len().abs_diff(lower.len()) <= 2)
            .map(|(k, name)| (edit_distance_at_most(&lower, k, 2), name))
            .filter_map(|(d, name)| d.map(|d| (d, name)))
            .min_by_key(|(d, _)| *d);
        if let Some((_, name)) = nearest {
            let diagnostic =
                Diagnostic::warning("policy-misspelled-key", format!("unknown {what} `{key}`"))
                    .at(loc, "no such key")
                    .with_help(format!("did you mean `{name}`?"));
            self.push(diagnostic);
        }
    }

    fn set_operator(&mut self, statement: &Statement, condition: &Condition) {
        let operator = &condition.operator;
        let Some(set) = operator.value.set else {
            return;
        };
        let key = &condition.key;
        if operator.value.base == BaseOperator::Null {
            // Access Analyzer, "Suggestion – Null with qualifier".
            self.push(
                Diagnostic::warning(
                    "policy-null-with-set-operator",
                    format!("`{}` does not test what it seems to", operator.value),
                )
                .at(&operator.loc, "set operator on `Null`")
                .with_help("`Null` tests whether a key is present; with `ForAllValues` it is always true and with `ForAnyValue` always false. Use `Null` alone"),
            );
            return;
        }
        if let Some(single) = SINGLE_VALUED_GLOBAL_KEYS
            .iter()
            .find(|k| k.eq_ignore_ascii_case(&key.value))
        {
            self.push(
                Diagnostic::warning(
                    "policy-set-operator-on-single-valued-key",
                    format!("`{}` is used on the single-valued key `{single}`", operator.value),
                )
                .at(&operator.loc, "set operator")
                .with_related(&key.loc, "single-valued key")
                .with_help(format!(
                    "use `{}` without the `{}:` prefix; set operators on single-valued keys can be overly permissive (IAM User Guide, \"Single-valued vs. multivalued context keys\")",
                    operator.value.base.name(),
                    match set {
                        SetQualifier::ForAllValues => "ForAllValues",
                        SetQualifier::ForAnyValue => "ForAnyValue",
                    }
                )),
            );
            return;
        }
        // IAM User Guide, "Single-valued vs. multivalued context keys":
        // ForAllValues "also returns true if there are no context keys in
        // the request", so in an Allow it grants when the key is missing.
        if set == SetQualifier::ForAllValues
            && self.allows(statement)
            && !has_presence_check(statement, &key.value)
        {
            self.push(
                Diagnostic::warning(
                    "policy-forallvalues-with-allow",
                    format!("`{}` on `{}` is true when the request has no `{}`", operator.value, key.value, key.value),
                )
                .at(&operator.loc, "true when the key is absent")
                .with_related(&statement.effect.loc, "in an `Allow` statement")
                .with_help(format!(
                    "add `\"Null\": {{\"{}\": \"false\"}}` to the statement so it applies only when the key is present",
                    key.value
                )),
            );
        }
    }

    fn condition_value(&mut self, condition: &Condition, value: &Spanned<ConditionValue>) {
        let operator = condition.operator.value;
        let template = &value.value.template;
        let text = &value.value.text;
        self.variables_in_text(text, template, &value.loc);
        if template.has_variables() {
            // IAM User Guide, "Policy variables": "You can't use a policy
            // variable with other operators, such as Numeric, Date, Boolean,
            // Binary, IP Address, or Null operators."
            if !operator.base.allows_variables() {
                self.push(
                    Diagnostic::error(
                        "policy-variable-not-allowed",
                        format!("policy variables are not allowed with `{operator}`"),
                    )
                    .at(&value.loc, "variable in a non-string condition")
                    .with_related(&condition.operator.loc, "operator")
                    .with_help("only string and ARN operators substitute policy variables"),
                );
                return;
            }
        }
        match operator.base.value_type() {
            ValueType::String => {}
            ValueType::Arn => {
                let concrete = with_placeholders(template);
                if concrete != "*"
                    && let Some(problem) = arn_problem(&concrete, text)
                {
                    self.push(invalid_arn(&problem, &value.loc, "condition value"));
                }
            }
            value_type => {
                if let Err(problem) = parse_typed(value_type, text) {
                    self.push(
                        Diagnostic::error(
                            "policy-invalid-value",
                            format!("invalid value for `{operator}`: {problem}"),
                        )
                        .at(
                            &value.loc,
                            format!("expected {}", describe_type(value_type)),
                        )
                        .with_related(&condition.operator.loc, "operator"),
                    );
                }
            }
        }
    }

    /// Checks `${...}` in an element that may hold variables: literal text
    /// without Version 2012-10-17, unterminated, misspelled keys.
    fn variables_in_text(&mut self, text: &str, template: &Template, loc: &Location) {
        if !text.contains("${") {
            return;
        }
        if !self.policy.variables_enabled() {
            let version = self.policy.version.as_ref();
            // An unknown Version is an error already; this is about policies
            // that are valid but read `${...}` literally.
            let valid_old =
                version.is_none_or(|v| v.value != VERSION_2012 && v.value == "2008-10-17");
            if valid_old && !self.literal_variable_reported {
                self.literal_variable_reported = true;
                let mut diagnostic = Diagnostic::warning(
                    "policy-variable-without-version",
                    format!("`{text}` holds `${{...}}`, but policy variables need `\"Version\": \"2012-10-17\"`"),
                )
                .at(loc, "read as literal text")
                .with_help("without Version 2012-10-17, IAM reads `${...}` as literal characters (IAM User Guide, \"Policy variables\"); add `\"Version\": \"2012-10-17\"`");
                if let Some(version) = version {
                    diagnostic = diagnostic.with_related(&version.loc, "older language version");
                }
                self.push(diagnostic);
            }
            return;
        }
        if has_unterminated_variable(text) {
            self.push(
                Diagnostic::warning(
                    "policy-unterminated-variable",
                    format!("`${{` in `{text}` is never closed"),
                )
                .at(loc, "read as literal text")
                .with_help("close the variable with `}`, or write `${$}` for a literal `$`"),
            );
        }
        for part in &template.parts {
            if let TemplatePart::Variable { key, .. } = part {
                self.misspelled_key(key, loc, "policy variable");
            }
        }
    }
}

/// Whether the statement also requires the key to be present
/// (`"Null": {"key": "false"}`), which defuses `ForAllValues` on a missing key.
fn has_presence_check(statement: &Statement, key: &str) -> bool {
    statement.conditions.iter().any(|c| {
        c.operator.value.base == BaseOperator::Null
            && c.operator.value.set.is_none()
            && c.key.value.eq_ignore_ascii_case(key)
            && !c.values.is_empty()
            && c.values
                .iter()
                .all(|v| v.value.text.eq_ignore_ascii_case("false"))
    })
}

fn describe_type(value_type: ValueType) -> &'static str {
    match value_type {
        ValueType::String => "a string",
        ValueType::Numeric => "a number",
        ValueType::Date => "a date (ISO 8601 or epoch seconds)",
        ValueType::Bool => "`true` or `false`",
        ValueType::Binary => "base64-encoded bytes",
        ValueType::Ip => "an IP address or CIDR range",
        ValueType::Arn => "an ARN",
        ValueType::Null => "`true` or `false`",
    }
}

fn invalid_arn(problem: &str, loc: &Location, what: &str) -> Diagnostic {
    Diagnostic::error("policy-invalid-arn", format!("invalid ARN in {what}: {problem}"))
    .at(loc, "not an ARN")
    .with_help("ARNs have six parts, `arn:partition:service:region:account:resource`, as in `arn:aws:s3:::bucket/*`; `*` alone means every resource")
}

/// The text with every variable replaced by a plain placeholder, so that
/// the colons inside `${aws:username}` do not count as ARN separators.
fn with_placeholders(template: &Template) -> String {
    template
        .substitute(|_| Some("x".to_string()))
        .unwrap_or_else(|| template.to_string())
}

fn colons_before_first_variable(template: &Template) -> usize {
    let mut colons = 0;
    for part in &template.parts {
        match part {
            TemplatePart::Literal(text) => colons += text.matches(':').count(),
            TemplatePart::Variable { .. } => break,
        }
    }
    colons
}

fn has_unterminated_variable(text: &str) -> bool {
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        match rest[start + 2..].find('}') {
            Some(end) => rest = &rest[start + 2 + end + 1..],
            None => return true,
        }
    }
    false
}

/// IAM unique ids: four upper-case letters naming the kind (`AIDA` user,
/// `AROA` role, …) and upper-case letters and digits, 16 to 128 long in all
/// (IAM User Guide, "IAM identifiers", unique identifiers).
fn is_unique_id(id: &str) -> bool {
    id.len() >= 16
        && id.len() <= 128
        && id.starts_with('A')
        && id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

fn known_key_names(catalogue: &Catalogue) -> Vec<(String, String)> {
    catalogue
        .global_condition_keys()
        .iter()
        .chain(catalogue.services().flat_map(|s| s.condition_keys.iter()))
        .filter(|k| !k.is_template())
        .map(|k| (k.name.to_ascii_lowercase(), k.name.clone()))
        .collect()
}

/// Levenshtein distance if it is at most `limit` (and the words differ).
fn edit_distance_at_most(a: &str, b: &str, limit: usize) -> Option<usize> {
    // The length difference is a lower bound of the distance: most known
    // keys are ruled out before the full computation.
    if a == b || a.chars().count().abs_diff(b.chars().count()) > limit {
        return None;
    }
    let distance = edit_distance(a, b);
    (distance <= limit).then_some(distance)
}

/// What is wrong with an ARN (pattern), or `None` when it is well formed.
/// `checked` is the text with variables replaced by placeholders; the
/// reason names `written`, the text as the user wrote it.
fn arn_problem(checked: &str, written: &str) -> Option<String> {
    Arn::parse(checked)
        .err()
        .map(|reason| reason.replace(&format!("`{checked}`"), &format!("`{written}`")))
}

#[cfg(test)]
mod tests;
