//! One statement as a formula: how its Principal named the caller, its
//! (Not)Resource entries after policy-variable substitution, and its
//! conditions.
//!
//! Owns substitution of policy variables from the key models (defaults
//! included), and the undocumented `NotResource` corner, which becomes a
//! free assumption boolean with the evaluator's reading kept beside it.

use std::collections::BTreeSet;

use crate::eval::{AssumptionKind, Grantee, principal_applies};
use crate::policy::{Statement, Template, TemplatePart};
use crate::smt::term::{Formula, Sort, Str, TRUE};

use super::pattern::ArnValue;
use super::slice::may_overlap;
use super::{AssumptionVar, Compiler, MAX_PRESENCE_CASES, Slot, Unsupported};

/// One statement's formula and how its Principal named the caller.
pub(super) struct StatementFormula {
    pub(super) applies: Formula,
    pub(super) grantee: Option<Grantee>,
}

/// A part of a substituted template: literal text (wildcards still
/// wildcards) or a symbolic value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Piece {
    Lit(String),
    Sym(Str),
}

/// A policy value or resource entry after substitution: defined when every
/// variable without a default has a value.
#[derive(Clone, Debug)]
pub(super) struct Substituted {
    pub(super) defined: Formula,
    pub(super) pieces: Vec<Piece>,
}

impl Substituted {
    pub(super) fn literal(&self) -> Option<String> {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Lit(text) => out.push_str(text),
                Piece::Sym(Str::Lit(text)) => out.push_str(text),
                Piece::Sym(_) => return None,
            }
        }
        Some(out)
    }

    pub(super) fn term(&self) -> Str {
        Str::concat(self.pieces.iter().map(|p| match p {
            Piece::Lit(text) => Str::lit(text),
            Piece::Sym(term) => term.clone(),
        }))
    }
}

impl Compiler<'_, '_> {
    pub(super) fn statement(
        &mut self,
        statement: &Statement,
        place: &str,
    ) -> Result<Option<StatementFormula>, Unsupported> {
        let grantee = match &statement.principal {
            None => None,
            Some(element) => {
                match principal_applies(element, &self.caller, statement.effect.value) {
                    Some(grantee) => Some(grantee),
                    None => return Ok(None),
                }
            }
        };
        let mut parts = Vec::new();
        if let Some(element) = &statement.resource {
            if element.negated {
                parts.push(self.not_resource(&element.patterns, place)?);
            } else {
                let mut matches = Vec::new();
                for pattern in &element.patterns {
                    if !may_overlap(&pattern.value, &self.problem.resource) {
                        continue;
                    }
                    let substituted = self.substitute(&pattern.value);
                    let resource = self.resource.clone();
                    let matched = self.arn_match(&substituted, &resource)?;
                    matches.push(Formula::and([substituted.defined, matched]));
                }
                parts.push(Formula::or(matches));
            }
        }
        for condition in &statement.conditions {
            parts.push(self.condition(condition)?);
        }
        Ok(Some(StatementFormula {
            applies: Formula::and(parts),
            grantee,
        }))
    }

    /// A `NotResource` element. An entry whose variables all have values
    /// (or defaults) excludes the resource when it matches. An entry with a
    /// variable without a value is a corner AWS's documentation does not settle
    /// (docs/semantics.md, "Undocumented corners"): whether the statement
    /// then applies is a fresh free boolean, so every proof holds whichever
    /// way AWS reads it — the entry excluding nothing, the statement not
    /// applying, or anything in between. The evaluator's reading (the
    /// statement does not apply when such an entry could match the
    /// resource for some value of its missing variables) is kept as the
    /// boolean's [`AssumptionVar::reading`].
    fn not_resource(
        &mut self,
        patterns: &[crate::source::Spanned<Template>],
        place: &str,
    ) -> Result<Formula, Unsupported> {
        let resource = self.resource.clone();
        let mut excluded = Vec::new();
        let mut missing = Vec::new();
        let mut undecided = Vec::new();
        for pattern in patterns {
            let substituted = self.substitute(&pattern.value);
            let matched = self.arn_match(&substituted, &resource)?;
            let undefined = Formula::not(substituted.defined.clone());
            excluded.push(Formula::and([substituted.defined, matched]));
            if undefined.as_const() == Some(false) {
                continue;
            }
            let could = self.matches_for_some_value(&pattern.value, &resource)?;
            missing.push(undefined.clone());
            undecided.push(Formula::and([undefined, could]));
        }
        let not_excluded = Formula::not(Formula::or(excluded));
        let missing = Formula::or(missing);
        if missing.as_const() == Some(false) {
            return Ok(not_excluded);
        }
        let var = self
            .vars
            .fresh(format!("assume:not-resource:{place}"), Sort::Bool);
        self.assumptions.push(AssumptionVar {
            var,
            kind: AssumptionKind::UnresolvedNotResource,
            reading: Formula::not(Formula::or(undecided)),
            place: format!("the NotResource of {place}"),
        });
        Ok(Formula::and([
            not_excluded,
            Formula::or([Formula::not(missing), Formula::var(var)]),
        ]))
    }

    /// Whether some value of the template's variables that have neither a
    /// value nor a default makes it match `resource`: those variables read
    /// as `*`, as `eval::statement` reads them. Keys whose presence is
    /// symbolic are split into cases (up to [`MAX_PRESENCE_CASES`] keys;
    /// beyond that they read as `*` whether present or not, which only
    /// widens the evaluator's reading and never a proof).
    fn matches_for_some_value(
        &mut self,
        template: &Template,
        resource: &ArnValue,
    ) -> Result<Formula, Unsupported> {
        let mut symbolic: Vec<(String, Formula)> = Vec::new();
        for (key, default) in template.variables() {
            let key = key.to_ascii_lowercase();
            if default.is_some() || symbolic.iter().any(|(k, _)| *k == key) {
                continue;
            }
            if let Some(model) = self.keys.get(&key)
                && model.present.as_const().is_none()
            {
                symbolic.push((key, model.present.clone()));
            }
        }
        let (split, widened) = symbolic.split_at(symbolic.len().min(MAX_PRESENCE_CASES));
        let always_wild: BTreeSet<String> = widened.iter().map(|(k, _)| k.clone()).collect();
        let mut cases = Vec::new();
        for mask in 0..(1usize << split.len()) {
            let mut guard = Vec::new();
            let mut absent = always_wild.clone();
            for (bit, (key, present)) in split.iter().enumerate() {
                if mask & (1 << bit) == 0 {
                    guard.push(Formula::not(present.clone()));
                    absent.insert(key.clone());
                } else {
                    guard.push(present.clone());
                }
            }
            let pieces = self.substitute_wildcards(template, &absent);
            let matched = self.arn_match(&pieces, resource)?;
            cases.push(Formula::and(guard.into_iter().chain([matched])));
        }
        Ok(Formula::or(cases))
    }

    /// [`Self::substitute`] with every variable without a default that is
    /// absent (in `absent`, or constantly absent, or not single-valued)
    /// read as `*`.
    fn substitute_wildcards(
        &mut self,
        template: &Template,
        absent: &BTreeSet<String>,
    ) -> Substituted {
        let mut rewritten = Template::default();
        for part in &template.parts {
            match part {
                TemplatePart::Variable { key, default: None } => {
                    let lower = key.to_ascii_lowercase();
                    let has_value = !absent.contains(&lower)
                        && self.keys.get(&lower).is_some_and(|model| {
                            model.single
                                && model.present.as_const() != Some(false)
                                && matches!(model.slots.first(), Some((_, Slot::Str(_))))
                        });
                    if has_value {
                        rewritten.parts.push(part.clone());
                    } else {
                        rewritten.parts.push(TemplatePart::Literal("*".to_string()));
                    }
                }
                other => rewritten.parts.push(other.clone()),
            }
        }
        let mut substituted = self.substitute(&rewritten);
        // Presence is the case's guard, not a condition of the match.
        substituted.defined = TRUE;
        substituted
    }

    /// Substitutes a template's variables from the key models.
    pub(super) fn substitute(&mut self, template: &Template) -> Substituted {
        let mut defined = Vec::new();
        let mut pieces = Vec::new();
        for part in &template.parts {
            match part {
                TemplatePart::Literal(text) => pieces.push(Piece::Lit(text.clone())),
                TemplatePart::Variable { key, default } => {
                    let value = self.keys.get(&key.to_ascii_lowercase()).and_then(|model| {
                        if !model.single {
                            return None;
                        }
                        match model.slots.first() {
                            Some((_, Slot::Str(term))) => {
                                Some((model.present.clone(), term.clone()))
                            }
                            _ => None,
                        }
                    });
                    let default = default.as_ref().map(|d| Str::lit(d));
                    match (value, default) {
                        (None, None) => defined.push(Formula::Const(false)),
                        (None, Some(default)) => pieces.push(Piece::Sym(default)),
                        (Some((present, term)), None) => {
                            defined.push(present);
                            pieces.push(Piece::Sym(term));
                        }
                        (Some((present, term)), Some(default)) => {
                            let term = match present.as_const() {
                                Some(true) => term,
                                Some(false) => default,
                                None => {
                                    Str::Ite(Box::new(present), Box::new(term), Box::new(default))
                                }
                            };
                            pieces.push(Piece::Sym(term));
                        }
                    }
                }
            }
        }
        // Symbolic values that happen to be literal are literal text, and
        // so read as globs like any literal.
        let pieces = pieces
            .into_iter()
            .map(|p| match p {
                Piece::Sym(Str::Lit(text)) => Piece::Lit(text),
                other => other,
            })
            .collect();
        Substituted {
            defined: Formula::and(defined),
            pieces,
        }
    }
}
