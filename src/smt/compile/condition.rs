//! Condition operators: one condition entry as a formula over a key's
//! model, as [`crate::eval::condition_holds`] reads it — `Null`,
//! `IfExists`, set operators, negated operators (NOR over values), and every
//! typed comparison.

use crate::policy::value::{parse_bool, parse_date, parse_ip_network, parse_number};
use crate::policy::{BaseOperator, Condition, SetQualifier, ValueType};
use crate::smt::term::{Cmp, Formula, Num, Re, Str};

use super::pattern::ArnValue;
use super::slots::{ip_bits, literal_bool, scaled_number};
use super::statement::Substituted;
use super::{Compiler, Slot, Unsupported};

impl Compiler<'_, '_> {
    pub(super) fn condition(&mut self, condition: &Condition) -> Result<Formula, Unsupported> {
        let operator = condition.operator.value;
        let key = condition.key.value.to_ascii_lowercase();
        let model = self
            .keys
            .get(&key)
            .cloned()
            .ok_or_else(|| Unsupported(format!("internal error: key `{key}` has no model")))?;
        if operator.base == BaseOperator::Null {
            let wanted: Vec<Formula> = condition
                .values
                .iter()
                .filter_map(|v| parse_bool(&v.value.text))
                .map(|wants_absent| {
                    if wants_absent {
                        Formula::not(model.present.clone())
                    } else {
                        model.present.clone()
                    }
                })
                .collect();
            return Ok(Formula::or(wanted));
        }
        let negated = operator.base.is_negated();
        let base = operator.base.positive();
        let values: Vec<Substituted> = condition
            .values
            .iter()
            .map(|v| self.substitute(&v.value.template))
            .collect();
        let mut satisfied = Vec::new();
        for (in_use, slot) in &model.slots {
            let matched = self.matches_any(base, &values, slot)?;
            let holds = if negated {
                Formula::not(matched)
            } else {
                matched
            };
            satisfied.push((in_use.clone(), holds));
        }
        let any = || {
            Formula::or(
                satisfied
                    .iter()
                    .map(|(in_use, holds)| Formula::and([in_use.clone(), holds.clone()]))
                    .collect::<Vec<_>>(),
            )
        };
        Ok(match operator.set {
            None => Formula::or([
                Formula::and([
                    Formula::not(model.present.clone()),
                    Formula::Const(operator.if_exists || negated),
                ]),
                any(),
            ]),
            Some(SetQualifier::ForAllValues) => Formula::and(
                satisfied
                    .iter()
                    .map(|(in_use, holds)| Formula::implies(in_use.clone(), holds.clone()))
                    .collect::<Vec<_>>(),
            ),
            Some(SetQualifier::ForAnyValue) => any(),
        })
    }

    /// `matches_any` of the evaluator: some defined policy value matches
    /// the request value under a positive operator.
    fn matches_any(
        &mut self,
        base: BaseOperator,
        values: &[Substituted],
        slot: &Slot,
    ) -> Result<Formula, Unsupported> {
        let mut out = Vec::new();
        for value in values {
            let matched = self.value_matches(base, value, slot)?;
            out.push(Formula::and([value.defined.clone(), matched]));
        }
        Ok(Formula::or(out))
    }

    fn value_matches(
        &mut self,
        base: BaseOperator,
        policy: &Substituted,
        slot: &Slot,
    ) -> Result<Formula, Unsupported> {
        use BaseOperator::*;
        let typed = base.value_type();
        if let Slot::Str(request) = slot {
            if let (Some(text), Some(p)) = (request.as_lit(), policy.literal()) {
                return Ok(Formula::Const(crate::eval::condition::value_matches(
                    base, &p, text,
                )));
            }
            return Ok(match base {
                StringEquals => Formula::str_eq(request.clone(), policy.term()),
                StringLike => self.glob_match(request, &policy.pieces, "a `StringLike` value"),
                StringEqualsIgnoreCase => self.ignore_case(request, policy),
                ArnEquals | ArnLike => {
                    let value = ArnValue::of_term(request);
                    self.arn_match(policy, &value)?
                }
                _ => self.abstraction(format!("`{}` on a key also used as a string", base.name())),
            });
        }
        let Some(text) = policy.literal() else {
            return Ok(self.abstraction(format!("a policy variable in a `{}` value", base.name())));
        };
        let compare = |cmp: Option<Cmp>| cmp.expect("numeric and date operators have a relation");
        Ok(match (slot, typed) {
            (
                Slot::Number {
                    valid,
                    scaled,
                    scale,
                },
                ValueType::Numeric,
            ) => match parse_number(&text) {
                // Not a number: matches nothing, as in the evaluator.
                None => Formula::Const(false),
                Some(number) => match scaled_number(&number, *scale) {
                    Some(value) => Formula::and([
                        Formula::var(*valid),
                        Formula::cmp(Num::Var(*scaled), compare(relation(base)), Num::Lit(value)),
                    ]),
                    // A number, but too large for the exact encoding: an
                    // over-approximation, never "matches nothing".
                    None => self.abstraction(format!(
                        "a `{}` value beyond 128-bit integers (`{text}`)",
                        base.name()
                    )),
                },
            },
            (Slot::Date { valid, millis }, ValueType::Date) => match parse_date(&text) {
                // Not of the type: matches nothing, as in the evaluator.
                None => Formula::Const(false),
                Some(ms) => Formula::and([
                    Formula::var(*valid),
                    Formula::cmp(
                        Num::Var(*millis),
                        compare(relation(base)),
                        Num::Lit(i128::from(ms)),
                    ),
                ]),
            },
            (Slot::Bool { valid, value }, ValueType::Bool) => match parse_bool(&text) {
                // Not of the type: matches nothing, as in the evaluator.
                None => Formula::Const(false),
                Some(b) => Formula::and([Formula::var(*valid), literal_bool(*value, b)]),
            },
            (
                Slot::Ip {
                    valid,
                    v6,
                    bits,
                    prefix,
                },
                ValueType::Ip,
            ) => match parse_ip_network(&text) {
                // Not of the type: matches nothing, as in the evaluator.
                None => Formula::Const(false),
                Some(network) => {
                    let (is_v6, net_bits) = ip_bits(network.addr());
                    let width: u32 = if is_v6 { 128 } else { 32 };
                    let p = u32::from(network.prefix());
                    let mut parts = vec![
                        Formula::var(*valid),
                        literal_bool(*v6, is_v6),
                        Formula::cmp(Num::Var(*prefix), Cmp::Ge, Num::Lit(i128::from(p))),
                    ];
                    if p > 0 {
                        parts.push(Formula::BitsEq {
                            var: *bits,
                            high: width - 1,
                            low: width - p,
                            value: net_bits >> (width - p),
                        });
                    }
                    Formula::and(parts)
                }
            },
            _ => self.abstraction(format!("`{}` on a key of another type", base.name())),
        })
    }

    fn ignore_case(&mut self, request: &Str, policy: &Substituted) -> Formula {
        let (symbolic, literal) = match (request.as_lit(), policy.literal()) {
            (None, Some(p)) => (request.clone(), p),
            (Some(r), None) => (policy.term(), r.to_string()),
            _ => {
                return self.abstraction(
                    "`StringEqualsIgnoreCase` between two symbolic values".to_string(),
                );
            }
        };
        if !literal.is_ascii() {
            return self.abstraction("`StringEqualsIgnoreCase` with non-ASCII text".to_string());
        }
        // ASCII case folding is exact when the other side is ASCII too;
        // non-ASCII text may fold onto ASCII (the Kelvin sign onto `k`).
        let folded = Re::Concat(
            literal
                .chars()
                .map(|c| {
                    if c.is_ascii_alphabetic() {
                        Re::Union(vec![
                            Re::Lit(c.to_ascii_lowercase().to_string()),
                            Re::Lit(c.to_ascii_uppercase().to_string()),
                        ])
                    } else {
                        Re::Lit(c.to_string())
                    }
                })
                .collect(),
        );
        let ascii = Formula::InRe(
            symbolic.clone(),
            Re::Star(Box::new(Re::Range('\0', '\u{7f}'))),
        );
        let loose = self.abstraction("`StringEqualsIgnoreCase` on non-ASCII text".to_string());
        Formula::or([
            Formula::InRe(symbolic, folded),
            Formula::and([Formula::not(ascii), loose]),
        ])
    }
}

/// The relation of a numeric or date operator (request OP policy).
fn relation(base: BaseOperator) -> Option<Cmp> {
    use BaseOperator::*;
    match base {
        NumericEquals | DateEquals => Some(Cmp::Eq),
        NumericLessThan | DateLessThan => Some(Cmp::Lt),
        NumericLessThanEquals | DateLessThanEquals => Some(Cmp::Le),
        NumericGreaterThan | DateGreaterThan => Some(Cmp::Gt),
        NumericGreaterThanEquals | DateGreaterThanEquals => Some(Cmp::Ge),
        _ => None,
    }
}
