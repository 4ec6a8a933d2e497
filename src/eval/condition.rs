//! Condition blocks against a request context.
//!
//! Owns the reading of one `"Operator": {"key": values}` entry: how values
//! are typed, how several values of one key combine (OR; NOR for negated
//! operators), what an absent key or an empty set does, `...IfExists`,
//! `Null`, and the `ForAllValues:` / `ForAnyValue:` set operators. Hands on
//! `Ok(())` or the [`ConditionFailure`] that explains why the entry does not
//! hold; [`crate::eval::statement`] ANDs the entries of a statement.
//!
//! Sources: IAM User Guide, "IAM JSON policy elements: Condition operators",
//! "Conditions with multiple context keys or values", "Single-valued vs.
//! multivalued context keys", "Policy variables".

use std::borrow::Cow;

use crate::policy::pattern::{arn_matches, string_like};
use crate::policy::value::{parse_base64, parse_bool, parse_date, parse_ip_network, parse_number};
use crate::policy::{BaseOperator, Condition, SetQualifier, Template, TemplatePart};

use super::request::{Context, ContextValue};

/// Why a condition entry does not hold, with the request value at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConditionFailure<'c> {
    /// A positive operator (no `IfExists`, no set operator) on an absent key
    /// or an empty set.
    KeyAbsent,
    /// `ForAnyValue:` on an absent key or an empty set: no value to match.
    NoValues,
    /// `Null: true` but the key is present, or `Null: false` and absent.
    Null { present: bool },
    /// No request value satisfies the operator (single-valued key, or
    /// `ForAnyValue:`); the first value is shown.
    NoMatch { value: &'c str },
    /// A negated operator whose policy values include the request value.
    NegatedMatch { value: &'c str },
    /// `ForAllValues:` with a request value the operator rejects.
    NotAllMatch { value: &'c str },
    /// Every policy value names a variable without a value, so a positive
    /// operator has nothing to match.
    Unresolved,
}

impl ConditionFailure<'_> {
    /// The reason in words, e.g. "condition `StringLike` on `s3:prefix`: key
    /// absent".
    pub fn describe(&self, condition: &Condition) -> String {
        let operator = condition.operator.value;
        let key = &condition.key.value;
        let values = list(
            condition
                .values
                .iter()
                .map(|v| v.value.template.to_string()),
        );
        let why = match self {
            ConditionFailure::KeyAbsent => "key absent".to_string(),
            ConditionFailure::NoValues => "key absent or empty, so no value matches".to_string(),
            ConditionFailure::Null { present: true } => {
                "key present, `Null` wants it absent".into()
            }
            ConditionFailure::Null { present: false } => {
                "key absent, `Null` wants it present".into()
            }
            ConditionFailure::NoMatch { value } => format!("`{value}` matches none of {values}"),
            ConditionFailure::NegatedMatch { value } => {
                format!("`{value}` matches one of {values}")
            }
            ConditionFailure::NotAllMatch { value } => {
                format!("request value `{value}` is not matched by {values}")
            }
            ConditionFailure::Unresolved => {
                let keys = list(condition.values.iter().flat_map(|v| {
                    v.value
                        .template
                        .variables()
                        .map(|(k, _)| format!("${{{k}}}"))
                        .collect::<Vec<_>>()
                }));
                format!("policy variable {keys} has no value in the request")
            }
        };
        format!("condition `{operator}` on `{key}`: {why}")
    }
}

/// `a`, `b`, `c` with backticks, for messages.
pub(crate) fn list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.map(|i| format!("`{i}`")).collect();
    items.join(", ")
}

/// Whether `condition` holds in `context`.
///
/// - Absent key (or a multivalued key with no values): `ForAllValues:` is
///   true, `ForAnyValue:` is false, `...IfExists` and negated operators are
///   true, all other operators false ("Condition operators": "If the key
///   that you specify in a policy condition is not present in the request
///   context, the values do not match and the condition is false. If the
///   policy condition requires that the key is not matched, such as
///   StringNotLike or ArnNotLike, and the right key is not present, the
///   condition is true"; "Single-valued vs. multivalued context keys":
///   ForAllValues "also returns true if there are no context keys in the
///   request", ForAnyValue returns false when the key is missing).
/// - With a set operator, `IfExists` changes nothing: `ForAnyValue:…IfExists`
///   on an absent key is still false (not documented by AWS; the reading of
///   the `iam-simulate` project's operator reference, see docs/semantics.md).
/// - Several policy values for one key: OR for positive operators; NOR for
///   negated ones ("Conditions with multiple context keys or values":
///   `StringNotEquals` with `[a, b]` holds iff the request value is neither).
/// - A multivalued key used without a set operator is read like
///   `ForAnyValue:` (AWS requires a set operator there and documents no
///   behaviour; see docs/semantics.md).
/// - A policy value whose variable has no value matches nothing: positive
///   operators cannot match it, negated operators count it as "not equal"
///   ("Policy variables", "Policy variables with no value").
pub fn condition_holds<'c>(
    condition: &Condition,
    context: &'c Context,
) -> Result<(), ConditionFailure<'c>> {
    let operator = condition.operator.value;
    let present = context
        .get(&condition.key.value)
        .filter(|v| !v.values.is_empty());
    if operator.base == BaseOperator::Null {
        return null_holds(condition, present);
    }
    let negated = operator.base.is_negated();
    let base = operator.base.positive();

    let policy_values = || {
        condition
            .values
            .iter()
            .filter_map(|value| substitute(&value.value.template, context))
    };
    let satisfied =
        |request_value: &str| matches_any(base, policy_values(), request_value) != negated;
    // Only needed to word a failure: no policy value could be resolved.
    let all_unresolved = || {
        !negated
            && !condition.values.is_empty()
            && condition
                .values
                .iter()
                .all(|value| substitute(&value.value.template, context).is_none())
    };

    match operator.set {
        None => {
            let Some(present) = present else {
                return if operator.if_exists || negated {
                    Ok(())
                } else {
                    Err(ConditionFailure::KeyAbsent)
                };
            };
            if present.values.iter().any(|v| satisfied(v)) {
                return Ok(());
            }
            if all_unresolved() {
                return Err(ConditionFailure::Unresolved);
            }
            let value = first(present);
            Err(if negated {
                ConditionFailure::NegatedMatch { value }
            } else {
                ConditionFailure::NoMatch { value }
            })
        }
        Some(SetQualifier::ForAllValues) => {
            let Some(present) = present else {
                return Ok(());
            };
            match present.values.iter().find(|v| !satisfied(v)) {
                None => Ok(()),
                Some(value) => Err(ConditionFailure::NotAllMatch { value }),
            }
        }
        Some(SetQualifier::ForAnyValue) => {
            let Some(present) = present else {
                return Err(ConditionFailure::NoValues);
            };
            if present.values.iter().any(|v| satisfied(v)) {
                Ok(())
            } else if all_unresolved() {
                Err(ConditionFailure::Unresolved)
            } else {
                Err(ConditionFailure::NoMatch {
                    value: first(present),
                })
            }
        }
    }
}

fn first(value: &ContextValue) -> &str {
    value.values.first().map_or("", String::as_str)
}

/// `Null`: each policy value `true` asks for an absent key, `false` for a
/// present one; several values are ORed like any other operator.
fn null_holds<'c>(
    condition: &Condition,
    present: Option<&ContextValue>,
) -> Result<(), ConditionFailure<'c>> {
    let absent = present.is_none();
    let holds = condition
        .values
        .iter()
        .filter_map(|v| parse_bool(&v.value.text))
        .any(|wants_absent| wants_absent == absent);
    if holds {
        Ok(())
    } else {
        Err(ConditionFailure::Null { present: !absent })
    }
}

/// Substitutes a template's variables from single-valued context keys,
/// falling back on defaults; `None` when a variable has neither.
pub(crate) fn substitute<'t>(template: &'t Template, context: &Context) -> Option<Cow<'t, str>> {
    match template.parts.as_slice() {
        [] => Some(Cow::Borrowed("")),
        [TemplatePart::Literal(text)] => Some(Cow::Borrowed(text)),
        _ => template
            .substitute(|key| {
                context
                    .get(key)
                    .and_then(ContextValue::as_single)
                    .map(str::to_string)
            })
            .map(Cow::Owned),
    }
}

/// Whether a request value matches any of the policy values under a
/// positive operator. The request value is read as the operator's type once,
/// not once per policy value.
pub fn matches_any<'v>(
    base: BaseOperator,
    policy_values: impl IntoIterator<Item = Cow<'v, str>>,
    request_value: &str,
) -> bool {
    use BaseOperator::*;
    let mut policy_values = policy_values.into_iter();
    match base {
        NumericEquals
        | NumericLessThan
        | NumericLessThanEquals
        | NumericGreaterThan
        | NumericGreaterThanEquals => parse_number(request_value).is_some_and(|r| {
            policy_values.any(|p| parse_number(&p).is_some_and(|p| compare(base, r.cmp(&p))))
        }),
        DateEquals
        | DateLessThan
        | DateLessThanEquals
        | DateGreaterThan
        | DateGreaterThanEquals => parse_date(request_value).is_some_and(|r| {
            policy_values.any(|p| parse_date(&p).is_some_and(|p| compare(base, r.cmp(&p))))
        }),
        IpAddress => parse_ip_network(request_value).is_some_and(|address| {
            policy_values.any(|p| {
                parse_ip_network(&p).is_some_and(|network| network.contains_network(&address))
            })
        }),
        _ => policy_values.any(|p| value_matches(base, &p, request_value)),
    }
}

/// Whether one request value matches one policy value under a positive
/// operator. Values that do not read as the operator's type match nothing
/// (the validator reports such policy values).
pub fn value_matches(base: BaseOperator, policy_value: &str, request_value: &str) -> bool {
    use BaseOperator::*;
    match base {
        StringEquals => policy_value == request_value,
        StringEqualsIgnoreCase => {
            if policy_value.is_ascii() && request_value.is_ascii() {
                policy_value.eq_ignore_ascii_case(request_value)
            } else {
                policy_value.to_lowercase() == request_value.to_lowercase()
            }
        }
        StringLike => string_like(policy_value, request_value),
        NumericEquals
        | NumericLessThan
        | NumericLessThanEquals
        | NumericGreaterThan
        | NumericGreaterThanEquals => {
            match (parse_number(request_value), parse_number(policy_value)) {
                (Some(r), Some(p)) => compare(base, r.cmp(&p)),
                _ => false,
            }
        }
        DateEquals
        | DateLessThan
        | DateLessThanEquals
        | DateGreaterThan
        | DateGreaterThanEquals => match (parse_date(request_value), parse_date(policy_value)) {
            (Some(r), Some(p)) => compare(base, r.cmp(&p)),
            _ => false,
        },
        Bool => matches!(
            (parse_bool(policy_value), parse_bool(request_value)),
            (Some(p), Some(r)) if p == r
        ),
        BinaryEquals => match (parse_base64(policy_value), parse_base64(request_value)) {
            (Some(p), Some(r)) => p == r,
            _ => false,
        },
        IpAddress => match (
            parse_ip_network(policy_value),
            parse_ip_network(request_value),
        ) {
            (Some(network), Some(address)) => network.contains_network(&address),
            _ => false,
        },
        // "Condition operators": ArnEquals and ArnLike share one row and one
        // matching rule.
        ArnEquals | ArnLike => arn_matches(policy_value, request_value),
        // Negated operators are mapped to their positive form
        // (`BaseOperator::positive`) before this; `Null` compares no values.
        _ => false,
    }
}

/// Applies a numeric or date operator's relation: request OP policy.
fn compare(base: BaseOperator, request_vs_policy: std::cmp::Ordering) -> bool {
    use BaseOperator::*;
    use std::cmp::Ordering::*;
    match base {
        NumericEquals | DateEquals => request_vs_policy == Equal,
        NumericLessThan | DateLessThan => request_vs_policy == Less,
        NumericLessThanEquals | DateLessThanEquals => request_vs_policy != Greater,
        NumericGreaterThan | DateGreaterThan => request_vs_policy == Greater,
        NumericGreaterThanEquals | DateGreaterThanEquals => request_vs_policy != Less,
        _ => false,
    }
}
