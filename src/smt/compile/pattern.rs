//! Globs and ARN patterns over symbolic values, matched the way
//! [`crate::policy::pattern`] matches concrete ones: literal text splits at
//! `*` and `?`, ARNs component by component with wildcards before the
//! resource part not spanning `:`.
//!
//! Exact where it can be; where a symbolic value might itself hold wildcard
//! characters, the exact reading is guarded and the rest is an abstraction
//! boolean (see [`Compiler::abstraction`]).

use crate::policy::arn::split_components;
use crate::policy::pattern::arn_matches;
use crate::smt::term::{Formula, GlobPart, Re, Str, TRUE, glob, glob_parts_of};

use super::statement::{Piece, Substituted};
use super::{Compiler, Unsupported};

/// A resource or ARN-valued context value as the matcher sees it.
#[derive(Clone, Debug)]
pub(super) enum ArnValue {
    /// Six components (`arn`, partition, service, region, account,
    /// resource).
    Parts(Vec<Str>),
    /// A concrete value that is not an ARN (fewer than six components).
    NotArn(String),
    /// A symbolic value whose components are not known.
    Opaque(Str),
}

impl ArnValue {
    pub(super) fn of_literal(text: &str) -> ArnValue {
        let parts = split_components(text);
        if parts.len() < 6 {
            ArnValue::NotArn(text.to_string())
        } else {
            ArnValue::Parts(parts.into_iter().map(Str::lit).collect())
        }
    }

    pub(super) fn of_term(term: &Str) -> ArnValue {
        match term.as_lit() {
            Some(text) => ArnValue::of_literal(text),
            None => ArnValue::Opaque(term.clone()),
        }
    }
}

impl Compiler<'_, '_> {
    /// Whether a symbolic term is an identity id (never holds wildcards).
    fn is_id(&self, term: &Str) -> bool {
        let Some(ids) = &self.ids else {
            return false;
        };
        matches!(term, Str::Var(v) if *v == ids.own || Some(*v) == ids.other)
    }

    /// Glob parts of substituted pieces: literal text splits at `*` and
    /// `?`; symbolic values are text. Returns the guard under which that
    /// reading is exact (symbolic values hold no wildcard characters).
    fn glob_pieces(&mut self, pieces: &[Piece]) -> (Vec<GlobPart>, Formula) {
        let mut parts = Vec::new();
        let mut guard = Vec::new();
        for piece in pieces {
            match piece {
                Piece::Lit(text) => parts.extend(glob_parts_of(text)),
                Piece::Sym(term) => {
                    if !self.is_id(term) {
                        let clean = no_wildcards(term);
                        if !self.refinements.contains(&clean) {
                            self.refinements.push(clean.clone());
                        }
                        guard.push(clean);
                    }
                    parts.push(GlobPart::Text(term.clone()));
                }
            }
        }
        (parts, Formula::and(guard))
    }

    /// `value` matches the glob made of `pieces`, exactly where possible.
    pub(super) fn glob_match(&mut self, value: &Str, pieces: &[Piece], what: &str) -> Formula {
        if let (Some(text), Some(pattern)) = (value.as_lit(), literal_of(pieces)) {
            return Formula::Const(crate::policy::pattern::string_like(&pattern, text));
        }
        let (parts, guard) = self.glob_pieces(pieces);
        let lowered = glob(value, &parts);
        match (lowered, guard.as_const()) {
            (Some(f), Some(true)) => f,
            (Some(f), _) => {
                let loose = self.abstraction(format!("a symbolic value with `*` or `?` in {what}"));
                Formula::or([
                    Formula::and([guard.clone(), f]),
                    Formula::and([Formula::not(guard), loose]),
                ])
            }
            (None, _) => self.abstraction(format!("a `?` next to a symbolic value in {what}")),
        }
    }

    /// [`arn_matches`] of a substituted pattern against a value.
    pub(super) fn arn_match(
        &mut self,
        pattern: &Substituted,
        value: &ArnValue,
    ) -> Result<Formula, Unsupported> {
        if let Some(text) = pattern.literal() {
            if text == "*" {
                return Ok(TRUE);
            }
            match value {
                ArnValue::NotArn(value) => return Ok(Formula::Const(arn_matches(&text, value))),
                ArnValue::Opaque(term) => {
                    return Ok(Formula::InRe(term.clone(), arn_regex(&text)));
                }
                ArnValue::Parts(_) => {}
            }
        }
        let ArnValue::Parts(components) = value else {
            return Ok(self.abstraction("an ARN pattern with a symbolic value".to_string()));
        };
        // Split the pattern at its first five literal colons; a symbolic
        // value before the fifth might hold colons itself.
        let mut split: Vec<Vec<Piece>> = vec![Vec::new()];
        for piece in &pattern.pieces {
            match piece {
                Piece::Lit(text) => {
                    let mut rest = text.as_str();
                    while split.len() < 6 {
                        match rest.split_once(':') {
                            Some((head, tail)) => {
                                if !head.is_empty() {
                                    split.last_mut().expect("one").push(Piece::Lit(head.into()));
                                }
                                split.push(Vec::new());
                                rest = tail;
                            }
                            None => break,
                        }
                    }
                    if !rest.is_empty() {
                        split.last_mut().expect("one").push(Piece::Lit(rest.into()));
                    }
                }
                Piece::Sym(term) => {
                    if split.len() < 6 {
                        return Ok(self.abstraction(
                            "a policy variable with a symbolic value before an ARN's resource part"
                                .to_string(),
                        ));
                    }
                    split
                        .last_mut()
                        .expect("one")
                        .push(Piece::Sym(term.clone()));
                }
            }
        }
        let count = split.len();
        let mut parts = Vec::new();
        if count < 6 {
            // A short pattern matches only when its last component ends in
            // `*`, which then spans the remaining colons.
            let ends_in_star =
                matches!(split[count - 1].last(), Some(Piece::Lit(t)) if t.ends_with('*'));
            if !ends_in_star {
                return Ok(Formula::Const(false));
            }
        }
        for (i, pieces) in split.iter().enumerate() {
            let target = if i + 1 == count && count < 6 {
                join_components(&components[i..])
            } else {
                components[i].clone()
            };
            parts.push(self.glob_match(&target, pieces, "an ARN pattern"));
        }
        Ok(Formula::and(parts))
    }
}

/// `term` holds neither `*` nor `?`.
fn no_wildcards(term: &Str) -> Formula {
    Formula::and([
        Formula::not(Formula::Contains(term.clone(), Str::lit("*"))),
        Formula::not(Formula::Contains(term.clone(), Str::lit("?"))),
    ])
}

fn literal_of(pieces: &[Piece]) -> Option<String> {
    Substituted {
        defined: TRUE,
        pieces: pieces.to_vec(),
    }
    .literal()
}

pub(super) fn join_components(components: &[Str]) -> Str {
    Str::concat(components.iter().enumerate().flat_map(|(i, c)| {
        let sep = if i == 0 { "" } else { ":" };
        [Str::lit(sep), c.clone()]
    }))
}

/// The regular language of [`arn_matches`] for a literal pattern: leading
/// components are globs that do not span `:`, the resource part may; a
/// short pattern's trailing `*` spans the remaining colons.
fn arn_regex(pattern: &str) -> Re {
    if pattern == "*" {
        return Re::all();
    }
    let components = split_components(pattern);
    let count = components.len();
    let glob_re = |text: &str, any: &Re| {
        Re::Concat(
            glob_parts_of(text)
                .into_iter()
                .map(|p| match p {
                    GlobPart::Text(Str::Lit(t)) => Re::Lit(t),
                    GlobPart::AnyRun => Re::Star(Box::new(any.clone())),
                    _ => any.clone(),
                })
                .collect(),
        )
    };
    let not_colon = Re::not_char(':');
    let mut out = Vec::new();
    for (i, component) in components.iter().enumerate() {
        if i > 0 {
            out.push(Re::Lit(":".to_string()));
        }
        if i + 1 < count {
            out.push(glob_re(component, &not_colon));
        } else if count == 6 {
            out.push(glob_re(component, &Re::AnyChar));
        } else if component.ends_with('*') {
            // The rest holds the remaining 6 − count colons.
            let colons = Re::Concat(
                std::iter::repeat_n(
                    Re::Concat(vec![Re::all(), Re::Lit(":".to_string())]),
                    6 - count,
                )
                .chain([Re::all()])
                .collect(),
            );
            out.push(Re::Inter(vec![glob_re(component, &Re::AnyChar), colons]));
        } else {
            return Re::Union(Vec::new());
        }
    }
    Re::Concat(out)
}
