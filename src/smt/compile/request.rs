//! The symbolic request: identity-id variables for `{self}` and `{other}`,
//! and the question's resource pattern as a term, split into the six ARN
//! components when it names an ARN.
//!
//! Fills in the compiler's `ids`, `resource` and `resource_term`; every later
//! stage reads the request through them.

use crate::query::{IdSlot, PatternPart, ResourcePattern};
use crate::smt::term::{Cmp, Formula, Num, Sort, Str};

use super::pattern::{ArnValue, join_components};
use super::{Compiler, IdVars, Unsupported};

impl Compiler<'_, '_> {
    pub(super) fn identity_ids(&mut self) -> Result<(), Unsupported> {
        let mentions = |slot: IdSlot| {
            self.problem.resource.slots().any(|s| s == slot)
                || self.problem.context.values().any(|pin| {
                    pin.exactly
                        .iter()
                        .chain(&pin.includes)
                        .any(|p| p.slots().any(|s| s == slot))
                })
        };
        let wants_other = mentions(IdSlot::Other);
        let Some(space) = &self.problem.identity else {
            if wants_other || mentions(IdSlot::Own) {
                return Err(Unsupported(
                    "`{self}` and `{other}` need a Cognito identity caller".to_string(),
                ));
            }
            return Ok(());
        };
        let own = self.vars.fresh("id:self", Sort::String);
        let other = wants_other.then(|| self.vars.fresh("id:other", Sort::String));
        let ids = IdVars {
            own,
            other,
            region: space.region.clone(),
        };
        // The abstraction of identity ids: distinct strings, no more (the
        // solver adds their length and shape only when a step needs it).
        // Patterns read an id as literal text, which is exact for every
        // real id (they hold no `*` or `?`); what the formula says about
        // other strings does not matter, as no request has them.
        if let Some(other) = other {
            self.axioms.push(Formula::not(Formula::str_eq(
                Str::Var(own),
                Str::Var(other),
            )));
        }
        self.ids = Some(ids);
        Ok(())
    }

    pub(super) fn id_term(&self, slot: IdSlot) -> Result<Str, Unsupported> {
        let ids = self.ids.as_ref().ok_or_else(|| {
            Unsupported("`{self}` and `{other}` need a Cognito identity caller".to_string())
        })?;
        match slot {
            IdSlot::Own => Ok(Str::Var(ids.own)),
            IdSlot::Other => ids.other.map(Str::Var).ok_or_else(|| {
                Unsupported("internal error: `{other}` has no variable".to_string())
            }),
        }
    }

    /// A question pattern as a term: `*` a fresh string, `?` a fresh
    /// one-character string, placeholders the id variables. With `in_arn`
    /// the pattern is split into the six ARN components, and wildcards
    /// before the resource part do not span `:`.
    fn pattern_term(
        &mut self,
        pattern: &ResourcePattern,
        label: &str,
    ) -> Result<Vec<Str>, Unsupported> {
        let mut components: Vec<Vec<Str>> = vec![Vec::new()];
        for part in &pattern.parts {
            match part {
                PatternPart::Id(slot) => {
                    let term = self.id_term(*slot)?;
                    components.last_mut().expect("one component").push(term);
                }
                PatternPart::Text(text) => {
                    for c in text.chars() {
                        let leading = components.len() < 6;
                        match c {
                            ':' if leading => components.push(Vec::new()),
                            '*' | '?' => {
                                let var = self.vars.fresh(
                                    format!("{label}:{}", if c == '*' { "any" } else { "one" }),
                                    Sort::String,
                                );
                                let term = Str::Var(var);
                                if c == '?' {
                                    self.axioms.push(Formula::cmp(
                                        term.len(),
                                        Cmp::Eq,
                                        Num::Lit(1),
                                    ));
                                }
                                if leading {
                                    self.axioms.push(Formula::not(Formula::Contains(
                                        term.clone(),
                                        Str::lit(":"),
                                    )));
                                }
                                components.last_mut().expect("one component").push(term);
                            }
                            _ => components
                                .last_mut()
                                .expect("one component")
                                .push(Str::Lit(c.to_string())),
                        }
                    }
                }
            }
        }
        Ok(components.into_iter().map(Str::concat).collect())
    }

    pub(super) fn question_resource(&mut self) -> Result<(), Unsupported> {
        let pattern = &self.problem.resource;
        if let [PatternPart::Text(text)] = pattern.parts.as_slice()
            && text == "*"
        {
            self.resource = ArnValue::NotArn("*".to_string());
            self.resource_term = Str::lit("*");
            return Ok(());
        }
        let components = self.pattern_term(pattern, "resource")?;
        let components: Vec<Str> = components
            .into_iter()
            .map(|c| self.opaque(c, "resource"))
            .collect();
        if components.len() < 6 {
            let term = Str::concat(components.iter().enumerate().flat_map(|(i, c)| {
                let sep = if i == 0 { "" } else { ":" };
                [Str::lit(sep), c.clone()]
            }));
            return match term.as_lit() {
                Some(text) => {
                    self.resource = ArnValue::NotArn(text.to_string());
                    self.resource_term = term.clone();
                    Ok(())
                }
                None => Err(Unsupported(format!(
                    "resource pattern `{pattern}` must spell out the six parts of an ARN \
                     (`arn:partition:service:region:account:resource`)"
                ))),
            };
        }
        // Requests name well-formed ARNs: partition, service and resource
        // are never empty (IAM User Guide, "Identify AWS resources with
        // ARNs"), so a `*` there is not read as "nothing".
        for i in [1, 2, 5] {
            if components[i].as_lit().is_none() {
                self.axioms.push(Formula::not(Formula::str_eq(
                    components[i].clone(),
                    Str::lit(""),
                )));
            }
        }
        self.resource_term = join_components(&components);
        self.resource = ArnValue::Parts(components);
        Ok(())
    }
}
