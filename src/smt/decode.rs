//! From a Z3 model back to plain data, and to a concrete request.
//!
//! Owns reading variable values out of a model ([`assignment`]: strings
//! unescaped from Z3's `\u{…}` form, integers of any size, bit-vectors),
//! the shape of real identity ids and canonical stand-ins for ids the model
//! left shapeless, and rendering the witness [`Request`] from the
//! [`WitnessPlan`]: caller (with the `{self}` id and attacker-chosen tags),
//! resource, and context keys with typed values written back as text that
//! the evaluator reads as the same value. Hands on a [`Witness`] that
//! `solve` replays with [`crate::eval::decide()`].

use z3::Model;
use z3::ast::{BV, Bool, Int, String as ZString};

use crate::eval::request::ContextValue;
use crate::eval::{Caller, Request};

use super::compile::{Compiled, IdVars, Slot, WitnessPlan};
use super::encode::var_name;
use super::term::{Assignment, Sort, Value, Vars};
use super::{Problem, Witness};

/// The values of all variables in `model` (completed where the model
/// leaves a variable free).
pub(super) fn assignment(model: &Model, vars: &Vars) -> Assignment {
    let mut out = Assignment::default();
    for (id, decl) in vars.iter() {
        let name = var_name(id);
        let value = match decl.sort {
            Sort::String => model
                .eval(&ZString::new_const(name), true)
                .and_then(|v| v.as_string())
                .map(|text| Value::Str(unescape(&text))),
            Sort::Int => model
                .eval(&Int::new_const(name), true)
                .and_then(|v| parse_int(&v.to_string()))
                .map(Value::Int),
            Sort::Bool => model
                .eval(&Bool::new_const(name), true)
                .and_then(|v| v.as_bool())
                .map(Value::Bool),
            Sort::BitVec(width) => model
                .eval(&BV::new_const(name, width), true)
                .and_then(|v| parse_bits(&v.to_string()))
                .map(Value::Bits),
        };
        if let Some(value) = value {
            out.set(id, value);
        }
    }
    out
}

/// Z3 4.8.12 prints characters outside printable ASCII as `\u{hex}` and a
/// backslash as itself, so text that spells an escape is ambiguous; such a
/// witness fails its replay and the answer is unknown, never wrong.
pub(super) fn unescape(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' && chars.get(i + 1) == Some(&'u') && chars.get(i + 2) == Some(&'{') {
            let close = chars[i + 3..].iter().position(|c| *c == '}');
            if let Some(len) = close {
                let hex: String = chars[i + 3..i + 3 + len].iter().collect();
                if let Some(c) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(c);
                    i += 4 + len;
                    continue;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// `123`, `(- 123)`.
fn parse_int(text: &str) -> Option<i128> {
    let text = text.trim();
    match text.strip_prefix("(-").and_then(|t| t.strip_suffix(')')) {
        Some(inner) => inner.trim().parse::<i128>().ok().map(|n| -n),
        None => text.parse().ok(),
    }
}

/// `#x…` or `#b…`.
fn parse_bits(text: &str) -> Option<u128> {
    if let Some(hex) = text.strip_prefix("#x") {
        return u128::from_str_radix(hex, 16).ok();
    }
    if let Some(bin) = text.strip_prefix("#b") {
        return u128::from_str_radix(bin, 2).ok();
    }
    None
}

/// Whether `id` looks like a real identity id of `region`:
/// `REGION:` + a lower-case GUID (Cognito Developer Guide, "Identity pools
/// concepts": identity ids are `REGION:GUID`).
pub(super) fn is_real_id(id: &str, region: &str) -> bool {
    let Some(guid) = id
        .strip_prefix(region)
        .and_then(|rest| rest.strip_prefix(':'))
    else {
        return false;
    };
    guid.len() == 36
        && guid.bytes().enumerate().all(|(i, b)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                b == b'-'
            } else {
                b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
            }
        })
}

/// Stand-in ids for the refinement step and for models that leave ids
/// shapeless.
pub(super) fn canonical_ids(region: &str) -> (String, String) {
    (
        format!("{region}:0a1b2c3d-0000-4000-8000-000000000001"),
        format!("{region}:0a1b2c3d-0000-4000-8000-000000000002"),
    )
}

/// Replaces model ids that are not shaped like real ids by canonical ones.
pub(super) fn canonicalize_ids(values: &mut Assignment, ids: &IdVars) {
    let (own_canonical, other_canonical) = canonical_ids(&ids.region);
    let own = values.str(ids.own).map(str::to_string);
    let own = match own {
        Some(id) if is_real_id(&id, &ids.region) => id,
        _ => {
            values.set(ids.own, Value::Str(own_canonical.clone()));
            own_canonical.clone()
        }
    };
    if let Some(other) = ids.other {
        let shaped = values
            .str(other)
            .is_some_and(|id| is_real_id(id, &ids.region) && id != own);
        if !shaped {
            let pick = if own == other_canonical {
                own_canonical
            } else {
                other_canonical
            };
            values.set(other, Value::Str(pick));
        }
    }
}

/// The witness request of an assignment; `None` when a value is missing.
pub(super) fn witness(
    problem: &Problem<'_>,
    compiled: &Compiled,
    values: &Assignment,
) -> Option<Witness> {
    let plan: &WitnessPlan = &compiled.plan;
    let mut caller: Caller = problem.caller.clone();
    let (self_id, other_id) = match &compiled.ids {
        None => (None, None),
        Some(ids) => {
            let own = values.str(ids.own)?.to_string();
            let other = match ids.other {
                Some(other) => Some(values.str(other)?.to_string()),
                None => None,
            };
            // Only a Cognito caller is the `{self}` identity; for any other
            // caller the ids are some identities' ids, named by the resource.
            if let Some(session) = &mut caller.cognito {
                session.identity_id = own.clone();
            }
            (Some(own), other)
        }
    };
    for (tag, var) in &plan.free_tags {
        caller.set_tag(tag, values.str(*var)?);
    }
    let resource = plan.resource.render(values)?;
    let mut request = Request::new(caller, &problem.action, &resource);
    request.absent = plan.absent.clone();
    for key in &plan.keys {
        let mut rendered = Vec::new();
        for (in_use, slot) in &key.slots {
            if in_use.eval(values)? {
                rendered.push(render_slot(slot, values)?);
            }
        }
        if rendered.is_empty() {
            continue;
        }
        let value = if key.multi {
            ContextValue::multi(rendered)
        } else {
            ContextValue::single(&rendered[0])
        };
        request.context.set(&key.name, value);
    }
    Some(Witness {
        request,
        self_id,
        other_id,
    })
}

/// A slot's value as text the evaluator reads back as the same value.
fn render_slot(slot: &Slot, values: &Assignment) -> Option<String> {
    Some(match slot {
        Slot::Str(term) => term.render(values)?,
        Slot::Number {
            valid,
            scaled,
            scale,
        } => {
            if !values.bool(*valid)? {
                return Some("not-a-number".to_string());
            }
            decimal(values.int(*scaled)?, *scale)
        }
        Slot::Date { valid, millis } => {
            if !values.bool(*valid)? {
                return Some("not-a-date".to_string());
            }
            decimal(values.int(*millis)?, 3)
        }
        Slot::Bool { valid, value } => {
            if !values.bool(*valid)? {
                return Some("not-a-bool".to_string());
            }
            values.bool(*value)?.to_string()
        }
        Slot::Ip {
            valid,
            v6,
            bits,
            prefix,
        } => {
            if !values.bool(*valid)? {
                return Some("not-an-ip".to_string());
            }
            let bits = values.bits(*bits)?;
            let prefix = values.int(*prefix)?;
            if values.bool(*v6)? {
                format!("{}/{prefix}", std::net::Ipv6Addr::from(bits))
            } else {
                format!(
                    "{}/{prefix}",
                    std::net::Ipv4Addr::from(u32::try_from(bits).ok()?)
                )
            }
        }
    })
}

/// `value / 10^scale` written out in decimal.
fn decimal(value: i128, scale: u32) -> String {
    let sign = if value < 0 { "-" } else { "" };
    let magnitude = value.unsigned_abs();
    let divisor = 10u128.pow(scale);
    if scale == 0 {
        return format!("{sign}{magnitude}");
    }
    format!(
        "{sign}{}.{:0width$}",
        magnitude / divisor,
        magnitude % divisor,
        width = scale as usize
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_of_z3_4_8_12_are_read_back() {
        assert_eq!(unescape("a\\u{e9}b"), "aéb");
        assert_eq!(unescape("a\\b"), "a\\b");
        assert_eq!(unescape("plain"), "plain");
    }

    // Cognito Developer Guide, "Identity pools concepts": `REGION:GUID`.
    #[test]
    fn real_ids_have_the_region_and_a_guid() {
        assert!(is_real_id(
            "us-east-1:0f6e4d3c-2b1a-4c5d-8e7f-9a0b1c2d3e4f",
            "us-east-1"
        ));
        assert!(!is_real_id(
            "us-east-1:0F6E4D3C-2b1a-4c5d-8e7f-9a0b1c2d3e4f",
            "us-east-1"
        ));
        assert!(!is_real_id(
            "eu-west-1:0f6e4d3c-2b1a-4c5d-8e7f-9a0b1c2d3e4f",
            "us-east-1"
        ));
        let (a, b) = canonical_ids("us-east-1");
        assert!(is_real_id(&a, "us-east-1") && is_real_id(&b, "us-east-1") && a != b);
    }

    #[test]
    fn decimals_render_so_they_parse_back() {
        use crate::policy::value::{parse_date, parse_number};
        assert_eq!(decimal(1234, 2), "12.34");
        assert_eq!(decimal(-5, 3), "-0.005");
        assert_eq!(decimal(7, 0), "7");
        assert_eq!(parse_number(&decimal(-5, 3)), parse_number("-0.005"));
        assert_eq!(parse_date(&decimal(-1500, 3)), Some(-1500));
        assert_eq!(parse_int("(- 12)"), Some(-12));
        assert_eq!(parse_bits("#x0f"), Some(15));
    }
}
