//! From the term layer to Z3.
//!
//! Owns the printing of [`Formula`]s as SMT-LIB 2 text and loading it into a
//! Z3 solver. Going through text keeps this crate free of `unsafe` while
//! reaching what the safe z3.rs API does not wrap on Z3 4.8.12
//! (`str.indexof`, `re.allchar`, big integer literals). Variables are named
//! `v<index>`, so `decode` and `solve` find them again with
//! `z3::ast::*::new_const`. Hands on a loaded [`z3::Solver`] and the tracking
//! literals as z3 booleans.

use std::fmt::Write;

use z3::Solver;
use z3::ast::Bool;

use super::term::{Cmp, Formula, MAX_CHAR, Num, Re, Sort, Str, VarId, Vars};

/// The solver-side name of a variable.
pub(super) fn var_name(id: VarId) -> String {
    format!("v{}", id.0)
}

/// The z3 boolean constant of a Bool variable (tracking literals).
pub(super) fn bool_const(id: VarId) -> Bool {
    Bool::new_const(var_name(id))
}

/// Loads the declarations of `vars` and `assertions` into `solver`.
/// `Err` names what could not be encoded (a character beyond Z3's alphabet)
/// or reports that Z3 did not take every assertion.
pub(super) fn load(solver: &Solver, vars: &Vars, assertions: &[Formula]) -> Result<(), String> {
    let mut text = String::new();
    for (id, decl) in vars.iter() {
        let sort = match decl.sort {
            Sort::String => "String".to_string(),
            Sort::Int => "Int".to_string(),
            Sort::Bool => "Bool".to_string(),
            Sort::BitVec(width) => format!("(_ BitVec {width})"),
        };
        let _ = writeln!(text, "(declare-const {} {sort})", var_name(id));
    }
    let mut count = 0;
    for assertion in assertions {
        if assertion.as_const() == Some(true) {
            continue;
        }
        text.push_str("(assert ");
        formula(&mut text, assertion)?;
        text.push_str(")\n");
        count += 1;
    }
    let before = solver.get_assertions().len();
    solver.from_string(text);
    // Z3 reports parse errors through an error handler that z3.rs leaves
    // unset; a missing assertion is the only trace. Never solve a formula
    // that lost a part.
    if solver.get_assertions().len() != before + count {
        return Err("internal error: Z3 did not accept the encoded formula".to_string());
    }
    Ok(())
}

fn formula(out: &mut String, f: &Formula) -> Result<(), String> {
    match f {
        Formula::Const(true) => out.push_str("true"),
        Formula::Const(false) => out.push_str("false"),
        Formula::Var(id) => out.push_str(&var_name(*id)),
        Formula::Not(inner) => {
            out.push_str("(not ");
            formula(out, inner)?;
            out.push(')');
        }
        Formula::And(parts) | Formula::Or(parts) => {
            let (op, empty) = match f {
                Formula::And(_) => ("and", "true"),
                _ => ("or", "false"),
            };
            if parts.is_empty() {
                out.push_str(empty);
            } else {
                let _ = write!(out, "({op}");
                for part in parts {
                    out.push(' ');
                    formula(out, part)?;
                }
                out.push(')');
            }
        }
        Formula::StrEq(a, b) => binary(out, "=", a, b)?,
        Formula::PrefixOf(a, b) => binary(out, "str.prefixof", a, b)?,
        Formula::SuffixOf(a, b) => binary(out, "str.suffixof", a, b)?,
        Formula::Contains(a, b) => binary(out, "str.contains", a, b)?,
        Formula::InRe(s, re) => {
            out.push_str("(str.in_re ");
            string(out, s)?;
            out.push(' ');
            regex(out, re)?;
            out.push(')');
        }
        Formula::NumCmp(a, cmp, b) => {
            let op = match cmp {
                Cmp::Eq => "=",
                Cmp::Lt => "<",
                Cmp::Le => "<=",
                Cmp::Gt => ">",
                Cmp::Ge => ">=",
            };
            let _ = write!(out, "({op} ");
            num(out, a)?;
            out.push(' ');
            num(out, b)?;
            out.push(')');
        }
        Formula::BitsEq {
            var,
            high,
            low,
            value,
        } => {
            let width = high - low + 1;
            let _ = write!(
                out,
                "(= ((_ extract {high} {low}) {}) (_ bv{value} {width}))",
                var_name(*var)
            );
        }
        Formula::BitsSame(a, b) => {
            let _ = write!(out, "(= {} {})", var_name(*a), var_name(*b));
        }
    }
    Ok(())
}

fn binary(out: &mut String, op: &str, a: &Str, b: &Str) -> Result<(), String> {
    let _ = write!(out, "({op} ");
    string(out, a)?;
    out.push(' ');
    string(out, b)?;
    out.push(')');
    Ok(())
}

fn string(out: &mut String, s: &Str) -> Result<(), String> {
    match s {
        Str::Lit(text) => literal(out, text)?,
        Str::Var(id) => out.push_str(&var_name(*id)),
        Str::Concat(parts) => match parts.as_slice() {
            [] => out.push_str("\"\""),
            [one] => string(out, one)?,
            _ => {
                out.push_str("(str.++");
                for part in parts {
                    out.push(' ');
                    string(out, part)?;
                }
                out.push(')');
            }
        },
        Str::Ite(condition, then, otherwise) => {
            out.push_str("(ite ");
            formula(out, condition)?;
            out.push(' ');
            string(out, then)?;
            out.push(' ');
            string(out, otherwise)?;
            out.push(')');
        }
        Str::Substr(text, offset, length) => {
            out.push_str("(str.substr ");
            string(out, text)?;
            out.push(' ');
            num(out, offset)?;
            out.push(' ');
            num(out, length)?;
            out.push(')');
        }
    }
    Ok(())
}

fn num(out: &mut String, n: &Num) -> Result<(), String> {
    match n {
        Num::Lit(value) if *value < 0 => {
            let _ = write!(out, "(- {})", value.unsigned_abs());
        }
        Num::Lit(value) => {
            let _ = write!(out, "{value}");
        }
        Num::Var(id) => out.push_str(&var_name(*id)),
        Num::Len(s) => {
            out.push_str("(str.len ");
            string(out, s)?;
            out.push(')');
        }
        Num::IndexOf(s, t, from) => {
            out.push_str("(str.indexof ");
            string(out, s)?;
            out.push(' ');
            string(out, t)?;
            out.push(' ');
            num(out, from)?;
            out.push(')');
        }
        Num::Add(parts) => {
            out.push_str("(+");
            for part in parts {
                out.push(' ');
                num(out, part)?;
            }
            if parts.len() < 2 {
                out.push_str(" 0");
            }
            out.push(')');
        }
        Num::Sub(a, b) => {
            out.push_str("(- ");
            num(out, a)?;
            out.push(' ');
            num(out, b)?;
            out.push(')');
        }
    }
    Ok(())
}

fn regex(out: &mut String, re: &Re) -> Result<(), String> {
    match re {
        Re::Lit(text) => {
            out.push_str("(str.to_re ");
            literal(out, text)?;
            out.push(')');
        }
        Re::Range(lo, hi) => {
            out.push_str("(re.range ");
            literal(out, &lo.to_string())?;
            out.push(' ');
            literal(out, &hi.to_string())?;
            out.push(')');
        }
        Re::AnyChar => out.push_str("re.allchar"),
        Re::Star(inner) => {
            out.push_str("(re.* ");
            regex(out, inner)?;
            out.push(')');
        }
        Re::Concat(parts) | Re::Union(parts) | Re::Inter(parts) => {
            let op = match re {
                Re::Concat(_) => "re.++",
                Re::Union(_) => "re.union",
                _ => "re.inter",
            };
            match parts.as_slice() {
                [] if matches!(re, Re::Concat(_)) => out.push_str("(str.to_re \"\")"),
                [] if matches!(re, Re::Union(_)) => out.push_str("re.none"),
                [] => out.push_str("re.all"),
                [one] => regex(out, one)?,
                _ => {
                    let _ = write!(out, "({op}");
                    for part in parts {
                        out.push(' ');
                        regex(out, part)?;
                    }
                    out.push(')');
                }
            }
        }
    }
    Ok(())
}

/// A string literal: printable ASCII as itself (`"` doubled), everything
/// else — the backslash included, so no escape is read by accident — as
/// `\u{…}`.
fn literal(out: &mut String, text: &str) -> Result<(), String> {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\"\""),
            ' '..='~' if c != '\\' => out.push(c),
            _ if c <= MAX_CHAR => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            _ => {
                return Err(format!(
                    "unsupported: character U+{:X} is beyond the alphabet of Z3 4.8.12",
                    c as u32
                ));
            }
        }
    }
    out.push('"');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smt::term::{Assignment, GlobPart, glob, glob_parts_of};
    use z3::SatResult;

    fn check(vars: &Vars, assertions: &[Formula]) -> SatResult {
        let solver = Solver::new();
        load(&solver, vars, assertions).expect("loads");
        solver.check()
    }

    #[test]
    fn literals_round_trip_awkward_characters() {
        let mut vars = Vars::default();
        let x = vars.fresh("x", Sort::String);
        for text in ["a\"b", "back\\slash", "é日", "tab\there", ""] {
            let solver = Solver::new();
            load(
                &solver,
                &vars,
                &[Formula::StrEq(Str::Var(x), Str::lit(text))],
            )
            .expect("loads");
            assert_eq!(solver.check(), SatResult::Sat, "{text}");
            let model = solver.get_model().expect("model");
            let values: Assignment = crate::smt::decode::assignment(&model, &vars);
            assert_eq!(values.str(x), Some(text), "round trip of {text:?}");
        }
    }

    // IAM User Guide, "Condition operators": `*` any run, `?` one character.
    #[test]
    fn lowered_globs_agree_with_the_matcher_on_literals() {
        let cases = [
            ("a*b*c", "aXbYc"),
            ("a*b*c", "acb"),
            ("a?c", "abc"),
            ("a?c", "ac"),
            ("*a?b*", "xxa-b"),
            ("*a?b*", "ab"),
            ("ab*ab", "ab"),
            ("ab*ab", "abab"),
            ("*", ""),
            ("x*?*y", "xy"),
            ("x*?*y", "x1y"),
        ];
        let vars = Vars::default();
        for (pattern, value) in cases {
            let f = glob(&Str::lit(value), &glob_parts_of(pattern)).expect("lowered");
            let expected = crate::policy::pattern::string_like(pattern, value);
            let got = check(&vars, &[f]) == SatResult::Sat;
            assert_eq!(got, expected, "{pattern} vs {value}");
        }
        let _ = GlobPart::AnyRun;
    }
}
