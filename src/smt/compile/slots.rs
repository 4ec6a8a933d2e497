//! Value slots: one value of a context key as variables of its type —
//! a string, a scaled number, milliseconds, a boolean, or an address with
//! its prefix — with a validity flag for text that does not read as the
//! type.
//!
//! Free slots for values the attacker picks, pinned slots for values the
//! question fixes, and equality of two slots of one key.

use crate::policy::value::{parse_bool, parse_date, parse_ip_network, parse_number};
use crate::query::{PatternPart, ResourcePattern};
use crate::smt::term::{Cmp, Formula, Num, Sort, Str, VarId, Vars};

use super::keys::TypeFamily;
use super::{Compiler, Slot, Unsupported};

impl Compiler<'_, '_> {
    /// An unconstrained value of the key's type.
    pub(super) fn free_slot(
        &mut self,
        label: &str,
        family: TypeFamily,
        scale: u32,
    ) -> Result<Slot, Unsupported> {
        let fresh =
            |vars: &mut Vars, what: &str, sort: Sort| vars.fresh(format!("{label}:{what}"), sort);
        let slot = match family {
            TypeFamily::String | TypeFamily::Binary => {
                Slot::Str(Str::Var(fresh(&mut self.vars, "value", Sort::String)))
            }
            TypeFamily::Numeric => Slot::Number {
                valid: fresh(&mut self.vars, "valid", Sort::Bool),
                scaled: fresh(&mut self.vars, "number", Sort::Int),
                // One more place than any constant, so a value fits strictly
                // between any two of them.
                scale: scale + 1,
            },
            TypeFamily::Date => {
                let millis = fresh(&mut self.vars, "millis", Sort::Int);
                // Epoch seconds render with at most 12 digits.
                let bound = 999_999_999_999_999i128;
                self.axioms
                    .push(Formula::cmp(Num::Var(millis), Cmp::Le, Num::Lit(bound)));
                self.axioms
                    .push(Formula::cmp(Num::Var(millis), Cmp::Ge, Num::Lit(-bound)));
                Slot::Date {
                    valid: fresh(&mut self.vars, "valid", Sort::Bool),
                    millis,
                }
            }
            TypeFamily::Bool => Slot::Bool {
                valid: fresh(&mut self.vars, "valid", Sort::Bool),
                value: fresh(&mut self.vars, "bool", Sort::Bool),
            },
            TypeFamily::Ip => {
                let v6 = fresh(&mut self.vars, "v6", Sort::Bool);
                let bits = fresh(&mut self.vars, "bits", Sort::BitVec(128));
                let prefix = fresh(&mut self.vars, "prefix", Sort::Int);
                // IPv4 lives in the low 32 bits with a prefix up to 32.
                let v4_ok = Formula::and([
                    Formula::BitsEq {
                        var: bits,
                        high: 127,
                        low: 32,
                        value: 0,
                    },
                    Formula::cmp(Num::Var(prefix), Cmp::Le, Num::Lit(32)),
                ]);
                self.axioms.push(Formula::or([Formula::var(v6), v4_ok]));
                self.axioms
                    .push(Formula::cmp(Num::Var(prefix), Cmp::Ge, Num::Lit(0)));
                self.axioms
                    .push(Formula::cmp(Num::Var(prefix), Cmp::Le, Num::Lit(128)));
                Slot::Ip {
                    valid: fresh(&mut self.vars, "valid", Sort::Bool),
                    v6,
                    bits,
                    prefix,
                }
            }
        };
        Ok(slot)
    }

    /// A value pinned by the question.
    pub(super) fn pinned_slot(
        &mut self,
        label: &str,
        family: TypeFamily,
        scale: u32,
        value: &ResourcePattern,
    ) -> Result<Slot, Unsupported> {
        if matches!(family, TypeFamily::String | TypeFamily::Binary) {
            let parts = self.pattern_plain(value, label)?;
            return Ok(Slot::Str(self.opaque(parts, label)));
        }
        let text = match value.parts.as_slice() {
            [] => String::new(),
            [PatternPart::Text(text)] if !text.contains(['*', '?']) => text.clone(),
            _ => {
                return Err(Unsupported(format!(
                    "pinned value `{value}` of a typed key has a wildcard or placeholder"
                )));
            }
        };
        let slot = self.free_slot(label, family, scale)?;
        let fact = self.slot_is(&slot, &text)?;
        self.axioms.push(fact);
        Ok(slot)
    }

    /// A pinned context value as a string term (no ARN splitting).
    fn pattern_plain(&mut self, value: &ResourcePattern, label: &str) -> Result<Str, Unsupported> {
        let mut parts = Vec::new();
        for part in &value.parts {
            match part {
                PatternPart::Id(slot) => parts.push(self.id_term(*slot)?),
                PatternPart::Text(text) => {
                    for c in text.chars() {
                        match c {
                            '*' | '?' => {
                                let var = self.vars.fresh(format!("{label}:pin"), Sort::String);
                                if c == '?' {
                                    self.axioms.push(Formula::cmp(
                                        Str::Var(var).len(),
                                        Cmp::Eq,
                                        Num::Lit(1),
                                    ));
                                }
                                parts.push(Str::Var(var));
                            }
                            _ => parts.push(Str::Lit(c.to_string())),
                        }
                    }
                }
            }
        }
        Ok(Str::concat(parts))
    }

    /// A typed slot reads as the text `text`.
    fn slot_is(&mut self, slot: &Slot, text: &str) -> Result<Formula, Unsupported> {
        Ok(match slot {
            Slot::Str(term) => Formula::str_eq(term.clone(), Str::lit(text)),
            Slot::Number {
                valid,
                scaled,
                scale,
            } => match parse_number(text) {
                None => Formula::not(Formula::var(*valid)),
                Some(number) => {
                    let value = scaled_number(&number, *scale)
                        .ok_or_else(|| Unsupported(format!("number `{text}` is out of range")))?;
                    Formula::and([
                        Formula::var(*valid),
                        Formula::cmp(Num::Var(*scaled), Cmp::Eq, Num::Lit(value)),
                    ])
                }
            },
            Slot::Date { valid, millis } => match parse_date(text) {
                None => Formula::not(Formula::var(*valid)),
                Some(ms) => Formula::and([
                    Formula::var(*valid),
                    Formula::cmp(Num::Var(*millis), Cmp::Eq, Num::Lit(i128::from(ms))),
                ]),
            },
            Slot::Bool { valid, value } => match parse_bool(text) {
                None => Formula::not(Formula::var(*valid)),
                Some(b) => Formula::and([Formula::var(*valid), literal_bool(*value, b)]),
            },
            Slot::Ip {
                valid,
                v6,
                bits,
                prefix,
            } => match parse_ip_network(text) {
                None => Formula::not(Formula::var(*valid)),
                Some(network) => {
                    let (is_v6, value) = ip_bits(network.addr());
                    Formula::and([
                        Formula::var(*valid),
                        literal_bool(*v6, is_v6),
                        Formula::BitsEq {
                            var: *bits,
                            high: 127,
                            low: 0,
                            value,
                        },
                        Formula::cmp(
                            Num::Var(*prefix),
                            Cmp::Eq,
                            Num::Lit(i128::from(network.prefix())),
                        ),
                    ])
                }
            },
        })
    }

    /// Two pinned values of one single-valued key denote the same value.
    /// Typed pins are literal, but two texts may denote one value (`TRUE`
    /// and `true`, `10.0.0.1` and `10.0.0.1/32`), so the typed variables
    /// are compared. Two texts that do not read as the type count as one
    /// value: every condition on a typed key treats all of them alike
    /// (positive operators fail, negated ones hold), so the decision is the
    /// same. Both slots come from one key model and so are of one kind; a
    /// mismatch is an internal error (the answer is unknown), never `false`.
    pub(super) fn slots_equal(&self, a: &Slot, b: &Slot) -> Result<Formula, Unsupported> {
        let typed = |va: VarId, vb: VarId, same: Formula| {
            Formula::or([
                Formula::and([Formula::var(va), Formula::var(vb), same]),
                Formula::and([
                    Formula::not(Formula::var(va)),
                    Formula::not(Formula::var(vb)),
                ]),
            ])
        };
        let iff = |x: VarId, y: VarId| {
            Formula::or([
                Formula::and([Formula::var(x), Formula::var(y)]),
                Formula::and([Formula::not(Formula::var(x)), Formula::not(Formula::var(y))]),
            ])
        };
        Ok(match (a, b) {
            (Slot::Str(x), Slot::Str(y)) => Formula::str_eq(x.clone(), y.clone()),
            (
                Slot::Number {
                    valid: va,
                    scaled: na,
                    scale: sa,
                },
                Slot::Number {
                    valid: vb,
                    scaled: nb,
                    scale: sb,
                },
            ) if sa == sb => typed(
                *va,
                *vb,
                Formula::cmp(Num::Var(*na), Cmp::Eq, Num::Var(*nb)),
            ),
            (
                Slot::Date {
                    valid: va,
                    millis: na,
                },
                Slot::Date {
                    valid: vb,
                    millis: nb,
                },
            ) => typed(
                *va,
                *vb,
                Formula::cmp(Num::Var(*na), Cmp::Eq, Num::Var(*nb)),
            ),
            (
                Slot::Bool {
                    valid: va,
                    value: xa,
                },
                Slot::Bool {
                    valid: vb,
                    value: xb,
                },
            ) => typed(*va, *vb, iff(*xa, *xb)),
            (
                Slot::Ip {
                    valid: va,
                    v6: sixa,
                    bits: ba,
                    prefix: pa,
                },
                Slot::Ip {
                    valid: vb,
                    v6: sixb,
                    bits: bb,
                    prefix: pb,
                },
            ) => typed(
                *va,
                *vb,
                Formula::and([
                    iff(*sixa, *sixb),
                    Formula::BitsSame(*ba, *bb),
                    Formula::cmp(Num::Var(*pa), Cmp::Eq, Num::Var(*pb)),
                ]),
            ),
            (
                Slot::Str(_)
                | Slot::Number { .. }
                | Slot::Date { .. }
                | Slot::Bool { .. }
                | Slot::Ip { .. },
                _,
            ) => {
                return Err(Unsupported(
                    "internal error: two values of one key have different types".to_string(),
                ));
            }
        })
    }
}

pub(super) fn literal_bool(var: VarId, value: bool) -> Formula {
    if value {
        Formula::var(var)
    } else {
        Formula::not(Formula::var(var))
    }
}

/// `number × 10^scale` as an integer, when exact and in range.
pub(super) fn scaled_number(number: &crate::policy::value::Decimal, scale: u32) -> Option<i128> {
    let (numerator, places) = number.to_fraction()?;
    let shift = scale.checked_sub(places)?;
    numerator.checked_mul(10i128.checked_pow(shift)?)
}

/// An address as (is IPv6, bits), IPv4 in the low 32 bits.
pub(super) fn ip_bits(addr: std::net::IpAddr) -> (bool, u128) {
    match addr {
        std::net::IpAddr::V4(a) => (false, u128::from(a.to_bits())),
        std::net::IpAddr::V6(a) => (true, a.to_bits()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_scale_exactly() {
        let n = |t: &str| parse_number(t).expect("number");
        assert_eq!(scaled_number(&n("1.5"), 2), Some(150));
        assert_eq!(scaled_number(&n("-3"), 1), Some(-30));
        assert_eq!(scaled_number(&n("0.125"), 2), None);
    }
}
