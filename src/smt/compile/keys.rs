//! Context keys: what the relevant statements read, and a model of each
//! key — fixed when the caller determines it, symbolic otherwise, with
//! presence and as many value slots as the conditions on it need.
//!
//! Hands on a [`KeyModel`] per key (lower-case name) to the statement and
//! condition stages; the witness plan gets each symbolic key's slots.

use std::collections::{BTreeMap, BTreeSet};

use crate::eval::request::{
    COGNITO_SUB, Context, ContextValue, caller_context, is_caller_determined,
};
use crate::policy::catalogue::Catalogue;
use crate::policy::value::parse_number;
use crate::policy::{BaseOperator, Statement, Template, ValueType};
use crate::query::{IdSlot, ResourcePattern};
use crate::smt::term::{Cmp, Formula, Num, Sort, Str, TRUE};

use super::{Compiler, KeyPlan, MAX_FREE_SLOTS, Slot, Unsupported};

/// What the relevant statements do with one context key.
#[derive(Clone, Debug, Default)]
struct KeyUse {
    name: String,
    types: BTreeSet<TypeFamily>,
    set_operator: bool,
    /// Condition entries on the key other than `Null`.
    atoms: usize,
    variable: bool,
    /// Largest number of decimal places among numeric values for the key.
    scale: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum TypeFamily {
    String,
    Numeric,
    Date,
    Bool,
    Ip,
    Binary,
}

fn family(ty: ValueType) -> Option<TypeFamily> {
    match ty {
        ValueType::String | ValueType::Arn => Some(TypeFamily::String),
        ValueType::Numeric => Some(TypeFamily::Numeric),
        ValueType::Date => Some(TypeFamily::Date),
        ValueType::Bool => Some(TypeFamily::Bool),
        ValueType::Ip => Some(TypeFamily::Ip),
        ValueType::Binary => Some(TypeFamily::Binary),
        ValueType::Null => None,
    }
}

/// The model of one context key: presence and values.
#[derive(Clone, Debug)]
pub(super) struct KeyModel {
    pub(super) present: Formula,
    /// Single-valued (a policy variable can read it).
    pub(super) single: bool,
    pub(super) slots: Vec<(Formula, Slot)>,
}

impl Compiler<'_, '_> {
    pub(super) fn context_keys<'s>(
        &mut self,
        statements: impl Iterator<Item = &'s Statement>,
    ) -> Result<(), Unsupported> {
        let mut uses: BTreeMap<String, KeyUse> = BTreeMap::new();
        fn entry<'u>(uses: &'u mut BTreeMap<String, KeyUse>, key: &str) -> &'u mut KeyUse {
            uses.entry(key.to_ascii_lowercase())
                .or_insert_with(|| KeyUse {
                    name: key.to_string(),
                    ..KeyUse::default()
                })
        }
        let variables = |template: &Template, uses: &mut BTreeMap<String, KeyUse>| {
            for (key, _) in template.variables() {
                entry(uses, key).variable = true;
            }
        };
        for statement in statements {
            if let Some(resource) = &statement.resource {
                for pattern in &resource.patterns {
                    variables(&pattern.value, &mut uses);
                }
            }
            for condition in &statement.conditions {
                let operator = condition.operator.value;
                let key = entry(&mut uses, &condition.key.value);
                if operator.base != BaseOperator::Null {
                    key.atoms += 1;
                    key.set_operator |= operator.set.is_some();
                    if let Some(family) = family(operator.base.value_type()) {
                        key.types.insert(family);
                    }
                    if operator.base.value_type() == ValueType::Numeric {
                        for value in &condition.values {
                            key.scale = key.scale.max(decimal_places(&value.value.text));
                        }
                    }
                }
                for value in &condition.values {
                    variables(&value.value.template, &mut uses);
                }
            }
        }
        for (key, pin) in &self.problem.context {
            let usage = entry(&mut uses, key);
            for value in pin.exactly.iter().chain(&pin.includes) {
                usage.scale = usage.scale.max(decimal_places(&value.to_string()));
            }
        }

        // The keys the caller determines, as the evaluator derives them.
        let derived = caller_context(&self.caller);
        for (key, usage) in uses {
            let model = self.key_model(&key, &usage, &derived)?;
            self.keys.insert(key, model);
        }
        Ok(())
    }

    fn key_model(
        &mut self,
        key: &str,
        usage: &KeyUse,
        derived: &Context,
    ) -> Result<KeyModel, Unsupported> {
        let pin = self
            .problem
            .context
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, pin)| pin);
        // A pin without values: the question says the key is absent.
        if let Some(pin) = pin
            && pin.exactly.is_empty()
            && pin.includes.is_empty()
        {
            if is_caller_determined(key) {
                self.absent.push(usage.name.clone());
            }
            return Ok(fixed(None));
        }
        if pin.is_none() && is_caller_determined(key) {
            if key == COGNITO_SUB && self.ids.is_some() && self.caller.cognito.is_some() {
                let own = self.id_term(IdSlot::Own)?;
                return Ok(KeyModel {
                    present: TRUE,
                    single: true,
                    slots: vec![(TRUE, Slot::Str(own))],
                });
            }
            if let Some(tag) = key.strip_prefix("aws:principaltag/")
                && self
                    .problem
                    .free_tags
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(tag))
            {
                let var = self.vars.fresh(format!("tag:{tag}"), Sort::String);
                let tag_name = self
                    .problem
                    .free_tags
                    .iter()
                    .find(|t| t.eq_ignore_ascii_case(tag))
                    .cloned()
                    .unwrap_or_else(|| tag.to_string());
                self.free_tags.push((tag_name, var));
                return Ok(KeyModel {
                    present: TRUE,
                    single: true,
                    slots: vec![(TRUE, Slot::Str(Str::Var(var)))],
                });
            }
            return Ok(fixed(derived.get(key)));
        }

        // A key of the request: symbolic.
        let family = match usage.types.iter().collect::<Vec<_>>().as_slice() {
            [] => TypeFamily::String,
            [one] if !usage.variable => **one,
            _ => TypeFamily::String,
        };
        let family = if family == TypeFamily::Binary {
            TypeFamily::String
        } else {
            family
        };
        let catalogue_multi = Catalogue::builtin()
            .condition_key(key)
            .map(|k| k.value_type.starts_with("ArrayOf"));
        let exactly = pin.map_or(&[][..], |p| p.exactly.as_slice());
        let includes = pin.map_or(&[][..], |p| p.includes.as_slice());
        let multi = usage.set_operator
            || exactly.len() > 1
            || catalogue_multi == Some(true)
            || (!includes.is_empty() && catalogue_multi != Some(false));
        let label = format!("ctx:{}", usage.name);

        if !multi {
            // Single-valued; `+=` on a key known to be single-valued pins
            // its one value.
            let pinned: Vec<&ResourcePattern> = exactly.iter().chain(includes).collect();
            let (present, slot) = match pinned.as_slice() {
                [] => {
                    let present = self.vars.fresh(format!("{label}:present"), Sort::Bool);
                    let slot = self.free_slot(&label, family, usage.scale)?;
                    (Formula::var(present), slot)
                }
                [one] => (TRUE, self.pinned_slot(&label, family, usage.scale, one)?),
                [first, rest @ ..] => {
                    let slot = self.pinned_slot(&label, family, usage.scale, first)?;
                    for other in rest {
                        let again = self.pinned_slot(&label, family, usage.scale, other)?;
                        let same = self.slots_equal(&slot, &again)?;
                        self.axioms.push(same);
                    }
                    (TRUE, slot)
                }
            };
            self.plan_keys.push(KeyPlan {
                name: usage.name.clone(),
                multi: false,
                slots: vec![(present.clone(), slot.clone())],
            });
            return Ok(KeyModel {
                present: present.clone(),
                single: true,
                slots: vec![(present, slot)],
            });
        }

        let mut slots: Vec<(Formula, Slot)> = Vec::new();
        if !exactly.is_empty() {
            for value in exactly {
                let slot = self.pinned_slot(&label, family, usage.scale, value)?;
                slots.push((TRUE, slot));
            }
            for value in includes {
                // Exactly pinned and also "includes": one of the pinned
                // values must equal it.
                let wanted = self.pinned_slot(&label, family, usage.scale, value)?;
                let any = Formula::or(
                    slots
                        .iter()
                        .map(|(_, s)| self.slots_equal(s, &wanted))
                        .collect::<Result<Vec<_>, _>>()?,
                );
                self.axioms.push(any);
            }
        } else {
            let free = key_slots(usage.atoms);
            if usage.atoms > MAX_FREE_SLOTS {
                self.capped.push(usage.name.clone());
            }
            let count = self.vars.fresh(format!("{label}:count"), Sort::Int);
            let total = includes.len() + free;
            self.axioms.push(Formula::cmp(
                Num::Var(count),
                Cmp::Ge,
                Num::Lit(includes.len() as i128),
            ));
            self.axioms.push(Formula::cmp(
                Num::Var(count),
                Cmp::Le,
                Num::Lit(total as i128),
            ));
            for (i, value) in includes.iter().enumerate() {
                let in_use = Formula::cmp(Num::Var(count), Cmp::Gt, Num::Lit(i as i128));
                let slot = self.pinned_slot(&label, family, usage.scale, value)?;
                slots.push((in_use, slot));
            }
            for i in includes.len()..total {
                let in_use = Formula::cmp(Num::Var(count), Cmp::Gt, Num::Lit(i as i128));
                let slot = self.free_slot(&format!("{label}#{i}"), family, usage.scale)?;
                slots.push((in_use, slot));
            }
        }
        let present = Formula::or(
            slots
                .iter()
                .map(|(in_use, _)| in_use.clone())
                .collect::<Vec<_>>(),
        );
        self.plan_keys.push(KeyPlan {
            name: usage.name.clone(),
            multi: true,
            slots: slots.clone(),
        });
        Ok(KeyModel {
            present,
            single: false,
            slots,
        })
    }
}

/// Free values a multivalued key needs: one per condition atom on it.
///
/// Every condition on a multivalued key is an atom "some value satisfies P"
/// or "every value satisfies P" (`Null` only looks at emptiness). Given any
/// set of values, keep one witness for each true "some" atom, one
/// counterexample for each false "every" atom, and one value if the set was
/// non-empty: every atom keeps its truth value (a true "every" and a false
/// "some" stay so on a subset), so the request decides the same. Hence at
/// most `max(1, atoms)` values beyond the pinned ones are ever needed.
fn key_slots(atoms: usize) -> usize {
    atoms.clamp(1, MAX_FREE_SLOTS)
}

fn fixed(value: Option<&ContextValue>) -> KeyModel {
    match value.filter(|v| !v.values.is_empty()) {
        None => KeyModel {
            present: Formula::Const(false),
            single: true,
            slots: Vec::new(),
        },
        Some(value) => KeyModel {
            present: TRUE,
            single: value.as_single().is_some(),
            slots: value
                .values
                .iter()
                .map(|v| (TRUE, Slot::Str(Str::lit(v))))
                .collect(),
        },
    }
}

/// Decimal places of a number as written (0 when it does not read).
fn decimal_places(text: &str) -> u32 {
    parse_number(text)
        .and_then(|n| n.to_fraction())
        .map_or(0, |(_, scale)| scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_slots_follow_the_atoms() {
        assert_eq!(key_slots(0), 1);
        assert_eq!(key_slots(3), 3);
        assert_eq!(key_slots(100), MAX_FREE_SLOTS);
    }
}
