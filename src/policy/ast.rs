//! The typed IAM policy language.
//!
//! A [`Policy`] is what `parse` makes of a policy document: every element
//! keeps the [`Location`] it was read from, so validation findings, evaluator
//! explanations and solver witnesses can point at the exact statement,
//! element or condition. Equality of nodes ignores nothing but is rarely
//! needed; locations compare by file path and span.
//!
//! Strings that may contain policy variables (resources, condition values,
//! principals) are held as [`Template`]s: literal text and `${...}` parts,
//! already split, with `${*}`, `${?}` and `${$}` turned into literal
//! characters. When the policy's Version is not `2012-10-17`, variables are
//! not recognised and a template is one literal part (IAM User Guide,
//! "Policy variables": "variables are only recognised in version 2012-10-17").

use std::fmt;

use crate::source::{Location, Spanned};

/// The only policy language version in which policy variables are recognised.
pub const VERSION_2012: &str = "2012-10-17";

/// A parsed policy document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// A short name for the policy in reports: the file path, a role's inline
    /// policy name, a managed policy ARN.
    pub name: String,
    pub version: Option<Spanned<String>>,
    pub id: Option<Spanned<String>>,
    pub statements: Vec<Statement>,
    /// Statements left out of `statements` for grammar errors, as far as
    /// they could be read. Evaluation, the model and the solver never read
    /// them; validation does, so that one `lint` run reports every problem
    /// of a statement, not only the grammar error that left it out.
    pub rejected: Vec<RejectedStatement>,
    /// The whole document.
    pub loc: Location,
}

impl Policy {
    /// Whether `${...}` is read as a policy variable in this document.
    pub fn variables_enabled(&self) -> bool {
        self.version
            .as_ref()
            .is_some_and(|v| v.value == VERSION_2012)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    Allow,
    Deny,
}

impl fmt::Display for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// Position in the policy's Statement list (0-based).
    pub index: usize,
    pub sid: Option<Spanned<String>>,
    pub effect: Spanned<Effect>,
    /// `Principal` or `NotPrincipal`; absent in identity policies.
    pub principal: Option<PrincipalElement>,
    /// `Action` or `NotAction`; a statement without either is a parse error.
    pub action: ActionElement,
    /// `Resource` or `NotResource`; absent in trust policies.
    pub resource: Option<ResourceElement>,
    pub conditions: Vec<Condition>,
    /// The whole statement object.
    pub loc: Location,
}

/// A statement with grammar errors: the parts that could be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RejectedStatement {
    /// The readable parts. An `Effect` that could not be read stands as
    /// `Deny` located at the statement (see `effect_read`), a missing or
    /// unreadable `Action` as an empty `Action`, and unreadable optional
    /// elements and conditions are left out.
    pub statement: Statement,
    /// Whether `statement.effect` was read from the document; checks that
    /// depend on the effect skip the statement when it was not.
    pub effect_read: bool,
    /// Elements the statement has but the grammar could not read
    /// (`Principal`, `Resource`, their `Not` forms counted with them):
    /// their absence from `statement` is not a missing element.
    pub unreadable: Vec<&'static str>,
}

impl Statement {
    /// A name for reports: the Sid, or the position.
    pub fn label(&self) -> String {
        match &self.sid {
            Some(sid) if !sid.value.is_empty() => format!("statement `{}`", sid.value),
            _ => format!("statement #{}", self.index),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionElement {
    /// `NotAction` rather than `Action`.
    pub negated: bool,
    /// Patterns such as `s3:Get*` or `*`, as written.
    pub patterns: Vec<Spanned<String>>,
    /// The element's key (`"Action"` / `"NotAction"`).
    pub loc: Location,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceElement {
    /// `NotResource` rather than `Resource`.
    pub negated: bool,
    /// ARN patterns, possibly with policy variables.
    pub patterns: Vec<Spanned<Template>>,
    pub loc: Location,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrincipalElement {
    /// `NotPrincipal` rather than `Principal`.
    pub negated: bool,
    pub principals: Vec<Spanned<Principal>>,
    pub loc: Location,
}

/// One entry of a Principal element.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Principal {
    /// `"Principal": "*"` or `{"AWS": "*"}`: everyone, anonymous included.
    Anyone,
    /// An account id, an account root ARN, a role/user/session ARN.
    Aws(String),
    /// A web identity or SAML provider, e.g. `cognito-identity.amazonaws.com`.
    Federated(String),
    /// A service principal, e.g. `lambda.amazonaws.com`.
    Service(String),
    CanonicalUser(String),
}

/// A condition block entry: one operator, one key, one or more values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    pub operator: Spanned<Operator>,
    /// The condition key as written (keys are compared case-insensitively).
    pub key: Spanned<String>,
    pub values: Vec<Spanned<ConditionValue>>,
    /// The `"key": values` member.
    pub loc: Location,
}

/// One value of a condition, as text (numbers and booleans as written) and
/// as a template with its policy variables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionValue {
    pub text: String,
    pub template: Template,
}

/// A condition operator: base operator, optional set prefix and `IfExists`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Operator {
    pub set: Option<SetQualifier>,
    pub base: BaseOperator,
    pub if_exists: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    ForAllValues,
    ForAnyValue,
}

/// The condition operators of the IAM User Guide's "IAM JSON policy elements:
/// Condition operators" page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BaseOperator {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

/// What kind of values an operator compares; decides how values are read
/// and whether policy variables are allowed in them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueType {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    /// `Null` takes `true` / `false`.
    Null,
}

impl BaseOperator {
    pub const ALL: [BaseOperator; 27] = [
        BaseOperator::StringEquals,
        BaseOperator::StringNotEquals,
        BaseOperator::StringEqualsIgnoreCase,
        BaseOperator::StringNotEqualsIgnoreCase,
        BaseOperator::StringLike,
        BaseOperator::StringNotLike,
        BaseOperator::NumericEquals,
        BaseOperator::NumericNotEquals,
        BaseOperator::NumericLessThan,
        BaseOperator::NumericLessThanEquals,
        BaseOperator::NumericGreaterThan,
        BaseOperator::NumericGreaterThanEquals,
        BaseOperator::DateEquals,
        BaseOperator::DateNotEquals,
        BaseOperator::DateLessThan,
        BaseOperator::DateLessThanEquals,
        BaseOperator::DateGreaterThan,
        BaseOperator::DateGreaterThanEquals,
        BaseOperator::Bool,
        BaseOperator::BinaryEquals,
        BaseOperator::IpAddress,
        BaseOperator::NotIpAddress,
        BaseOperator::ArnEquals,
        BaseOperator::ArnLike,
        BaseOperator::ArnNotEquals,
        BaseOperator::ArnNotLike,
        BaseOperator::Null,
    ];

    pub fn name(self) -> &'static str {
        match self {
            BaseOperator::StringEquals => "StringEquals",
            BaseOperator::StringNotEquals => "StringNotEquals",
            BaseOperator::StringEqualsIgnoreCase => "StringEqualsIgnoreCase",
            BaseOperator::StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase",
            BaseOperator::StringLike => "StringLike",
            BaseOperator::StringNotLike => "StringNotLike",
            BaseOperator::NumericEquals => "NumericEquals",
            BaseOperator::NumericNotEquals => "NumericNotEquals",
            BaseOperator::NumericLessThan => "NumericLessThan",
            BaseOperator::NumericLessThanEquals => "NumericLessThanEquals",
            BaseOperator::NumericGreaterThan => "NumericGreaterThan",
            BaseOperator::NumericGreaterThanEquals => "NumericGreaterThanEquals",
            BaseOperator::DateEquals => "DateEquals",
            BaseOperator::DateNotEquals => "DateNotEquals",
            BaseOperator::DateLessThan => "DateLessThan",
            BaseOperator::DateLessThanEquals => "DateLessThanEquals",
            BaseOperator::DateGreaterThan => "DateGreaterThan",
            BaseOperator::DateGreaterThanEquals => "DateGreaterThanEquals",
            BaseOperator::Bool => "Bool",
            BaseOperator::BinaryEquals => "BinaryEquals",
            BaseOperator::IpAddress => "IpAddress",
            BaseOperator::NotIpAddress => "NotIpAddress",
            BaseOperator::ArnEquals => "ArnEquals",
            BaseOperator::ArnLike => "ArnLike",
            BaseOperator::ArnNotEquals => "ArnNotEquals",
            BaseOperator::ArnNotLike => "ArnNotLike",
            BaseOperator::Null => "Null",
        }
    }

    pub fn value_type(self) -> ValueType {
        use BaseOperator::*;
        match self {
            StringEquals
            | StringNotEquals
            | StringEqualsIgnoreCase
            | StringNotEqualsIgnoreCase
            | StringLike
            | StringNotLike => ValueType::String,
            NumericEquals
            | NumericNotEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => ValueType::Numeric,
            DateEquals
            | DateNotEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => ValueType::Date,
            Bool => ValueType::Bool,
            BinaryEquals => ValueType::Binary,
            IpAddress | NotIpAddress => ValueType::Ip,
            ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => ValueType::Arn,
            Null => ValueType::Null,
        }
    }

    /// The operator a negated operator negates (`StringNotLike` →
    /// `StringLike`); positive operators map to themselves. The one list of
    /// negated operators: [`BaseOperator::is_negated`] and the evaluator
    /// read it from here.
    pub fn positive(self) -> BaseOperator {
        use BaseOperator::*;
        match self {
            StringNotEquals => StringEquals,
            StringNotEqualsIgnoreCase => StringEqualsIgnoreCase,
            StringNotLike => StringLike,
            NumericNotEquals => NumericEquals,
            DateNotEquals => DateEquals,
            NotIpAddress => IpAddress,
            ArnNotEquals => ArnEquals,
            ArnNotLike => ArnLike,
            other => other,
        }
    }

    /// Negated operators match when the key is absent (IAM User Guide,
    /// "Condition operators": a negated operator on a missing key is true).
    pub fn is_negated(self) -> bool {
        self.positive() != self
    }

    /// Policy variables are recognised only in string and ARN operators
    /// (IAM User Guide, "Policy variables": "Where you can use policy
    /// variables").
    pub fn allows_variables(self) -> bool {
        matches!(self.value_type(), ValueType::String | ValueType::Arn)
    }

    pub fn from_name(name: &str) -> Option<BaseOperator> {
        BaseOperator::ALL.into_iter().find(|op| op.name() == name)
    }
}

impl Operator {
    /// Reads an operator such as `ForAnyValue:StringLikeIfExists`. Operator
    /// names are case-sensitive in IAM, so `stringequals` is unknown.
    pub fn parse(text: &str) -> Option<Operator> {
        let (set, rest) = if let Some(rest) = text.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), rest)
        } else if let Some(rest) = text.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), rest)
        } else {
            (None, text)
        };
        let (base, if_exists) = match rest.strip_suffix("IfExists") {
            Some(base) => (base, true),
            None => (rest, false),
        };
        let base = BaseOperator::from_name(base)?;
        // `NullIfExists` has no meaning and IAM rejects it.
        if if_exists && base == BaseOperator::Null {
            return None;
        }
        Some(Operator {
            set,
            base,
            if_exists,
        })
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.set {
            Some(SetQualifier::ForAllValues) => f.write_str("ForAllValues:")?,
            Some(SetQualifier::ForAnyValue) => f.write_str("ForAnyValue:")?,
            None => {}
        }
        f.write_str(self.base.name())?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

/// A string with policy variables, split into parts.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TemplatePart {
    Literal(String),
    /// `${key}` or `${key, 'default'}`; the key as written.
    Variable {
        key: String,
        default: Option<String>,
    },
}

impl Template {
    /// A template of plain text, with no variables.
    pub fn literal(text: &str) -> Template {
        let mut template = Template::default();
        template.push_literal(text);
        template
    }

    /// Splits `text` into literal and variable parts. With `variables` false
    /// (a policy without Version 2012-10-17) the whole text is literal.
    ///
    /// `${*}`, `${?}` and `${$}` become the literal characters `*`, `?` and
    /// `$` (IAM User Guide, "Special characters"). An unterminated `${` is
    /// literal text; `parse` reports it separately.
    ///
    /// ```
    /// use poolscope::policy::Template;
    ///
    /// let t = Template::parse("home/${aws:username, 'anonymous'}/${*}", true);
    /// assert_eq!(t.substitute(|_| None).as_deref(), Some("home/anonymous/*"));
    /// assert_eq!(
    ///     t.substitute(|_| Some("ana".into())).as_deref(),
    ///     Some("home/ana/*")
    /// );
    /// // Without Version 2012-10-17 the same text is literal.
    /// assert!(!Template::parse("home/${aws:username}", false).has_variables());
    /// ```
    pub fn parse(text: &str, variables: bool) -> Template {
        if !variables {
            return Template::literal(text);
        }
        let mut template = Template::default();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            let Some(len) = rest[start + 2..].find('}') else {
                break;
            };
            template.push_literal(&rest[..start]);
            let inner = &rest[start + 2..start + 2 + len];
            match inner {
                "*" | "?" | "$" => template.push_literal(inner),
                _ => template.parts.push(variable_part(inner)),
            }
            rest = &rest[start + 2 + len + 1..];
        }
        template.push_literal(rest);
        template
    }

    fn push_literal(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if let Some(TemplatePart::Literal(last)) = self.parts.last_mut() {
            last.push_str(text);
        } else {
            self.parts.push(TemplatePart::Literal(text.to_string()));
        }
    }

    pub fn has_variables(&self) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, TemplatePart::Variable { .. }))
    }

    pub fn variables(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.parts.iter().filter_map(|p| match p {
            TemplatePart::Variable { key, default } => Some((key.as_str(), default.as_deref())),
            TemplatePart::Literal(_) => None,
        })
    }

    /// The text if the template has no variables.
    pub fn as_literal(&self) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                TemplatePart::Literal(text) => out.push_str(text),
                TemplatePart::Variable { .. } => return None,
            }
        }
        Some(out)
    }

    /// Substitutes every variable with `lookup(key)` (keys are looked up as
    /// written; callers compare case-insensitively), falling back on the
    /// default. `None` when a variable has neither a value nor a default:
    /// IAM then treats the element as not matching (see docs/semantics.md).
    pub fn substitute(&self, mut lookup: impl FnMut(&str) -> Option<String>) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                TemplatePart::Literal(text) => out.push_str(text),
                TemplatePart::Variable { key, default } => {
                    out.push_str(&lookup(key).or_else(|| default.clone())?);
                }
            }
        }
        Some(out)
    }
}

/// `key` or `key, 'default'` (IAM User Guide, "Specifying default values").
fn variable_part(inner: &str) -> TemplatePart {
    if let Some((key, default)) = inner.split_once(',') {
        let default = default.trim();
        if default.len() >= 2 && default.starts_with('\'') && default.ends_with('\'') {
            return TemplatePart::Variable {
                key: key.trim().to_string(),
                default: Some(default[1..default.len() - 1].to_string()),
            };
        }
    }
    TemplatePart::Variable {
        key: inner.trim().to_string(),
        default: None,
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for part in &self.parts {
            match part {
                TemplatePart::Literal(text) => f.write_str(text)?,
                TemplatePart::Variable { key, default: None } => write!(f, "${{{key}}}")?,
                TemplatePart::Variable {
                    key,
                    default: Some(d),
                } => write!(f, "${{{key}, '{d}'}}")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_parse_with_prefixes_and_if_exists() {
        let op = Operator::parse("ForAnyValue:StringLikeIfExists").expect("valid");
        assert_eq!(op.set, Some(SetQualifier::ForAnyValue));
        assert_eq!(op.base, BaseOperator::StringLike);
        assert!(op.if_exists);
        assert_eq!(op.to_string(), "ForAnyValue:StringLikeIfExists");
        assert_eq!(Operator::parse("stringequals"), None);
        assert_eq!(Operator::parse("NullIfExists"), None);
        for base in BaseOperator::ALL {
            assert_eq!(Operator::parse(base.name()).map(|o| o.base), Some(base));
        }
    }

    // IAM User Guide, "Policy variables": the S3 home-folder example and the
    // special characters `${*}`, `${?}`, `${$}`.
    #[test]
    fn templates_split_variables_and_special_characters() {
        let t = Template::parse(
            "arn:aws:s3:::bucket/${cognito-identity.amazonaws.com:sub}/${*}",
            true,
        );
        assert_eq!(
            t.parts,
            vec![
                TemplatePart::Literal("arn:aws:s3:::bucket/".into()),
                TemplatePart::Variable {
                    key: "cognito-identity.amazonaws.com:sub".into(),
                    default: None
                },
                TemplatePart::Literal("/*".into()),
            ]
        );
        assert_eq!(
            t.substitute(|_| Some("us-east-1:abc".into())).as_deref(),
            Some("arn:aws:s3:::bucket/us-east-1:abc/*")
        );
        assert_eq!(t.substitute(|_| None), None);
    }

    // IAM User Guide, "Specifying default values": `${aws:username, 'anonymous'}`.
    #[test]
    fn variables_fall_back_on_their_default() {
        let t = Template::parse("home/${aws:username, 'anonymous'}/", true);
        assert_eq!(t.substitute(|_| None).as_deref(), Some("home/anonymous/"));
        assert_eq!(t.to_string(), "home/${aws:username, 'anonymous'}/");
    }

    #[test]
    fn without_version_2012_variables_are_literal_text() {
        let t = Template::parse("home/${aws:username}/", false);
        assert!(!t.has_variables());
        assert_eq!(t.as_literal().as_deref(), Some("home/${aws:username}/"));
    }
}

/// Where a policy is used; decides which elements it must or must not have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// Attached to a user, group or role (inline or managed): no Principal.
    Identity,
    /// Attached to a resource (bucket policy, …): Principal required.
    Resource,
    /// A role's trust policy (`AssumeRolePolicyDocument`): Principal required,
    /// no Resource.
    Trust,
    /// A permissions boundary: like an identity policy, no Principal.
    Boundary,
    /// A session policy passed to AssumeRole* or added by Cognito.
    Session,
    /// A service or resource control policy of AWS Organizations.
    ControlPolicy,
    /// A standalone document whose use is not known (`lint` on a file).
    Unknown,
}
