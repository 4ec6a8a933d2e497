//! The solver-independent term layer: what the encoding says, before any
//! solver sees it.
//!
//! Owns variables with sorts, string terms (literals, variables,
//! concatenation, `ite`, substrings), integer terms (literals, variables,
//! lengths, `indexof`, sums), a small regular-expression language, and
//! boolean formulas over them. Glob matching (`*` any run, `?` one
//! character) is lowered here into prefix/suffix/`indexof` chains, substring
//! equalities and — only for literal middle pieces with `?` — regular
//! expressions, all *pure* predicates without fresh variables, so a glob may
//! stand under a negation (NotResource, Deny, `StringNotLike`). Hands on
//! [`Formula`]s to `compile` (which builds them) and `encode` (which prints
//! them for Z3); `decode` uses [`Str::render`] to turn a model back into
//! text.

use std::collections::BTreeMap;

/// A variable, by index in [`Vars`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) struct VarId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Sort {
    String,
    Int,
    Bool,
    /// A bit-vector of this width (IP addresses).
    BitVec(u32),
}

#[derive(Clone, Debug)]
pub(super) struct VarDecl {
    /// A readable name for debugging (`ctx:s3:prefix#0`); the solver sees
    /// `v<index>`.
    #[expect(
        dead_code,
        reason = "a debugging aid, read only through `Debug` (a failing test that prints a compiled problem)"
    )]
    pub name: String,
    pub sort: Sort,
}

/// The variables of one problem.
#[derive(Clone, Debug, Default)]
pub(super) struct Vars {
    decls: Vec<VarDecl>,
}

impl Vars {
    pub(super) fn fresh(&mut self, name: impl Into<String>, sort: Sort) -> VarId {
        let id = VarId(u32::try_from(self.decls.len()).expect("fewer than 2^32 variables"));
        self.decls.push(VarDecl {
            name: name.into(),
            sort,
        });
        id
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = (VarId, &VarDecl)> {
        self.decls
            .iter()
            .enumerate()
            .map(|(i, d)| (VarId(i as u32), d))
    }
}

/// A string term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Str {
    Lit(String),
    Var(VarId),
    Concat(Vec<Str>),
    Ite(Box<Formula>, Box<Str>, Box<Str>),
    /// `(str.substr s offset length)`.
    Substr(Box<Str>, Box<Num>, Box<Num>),
}

impl Str {
    pub(super) fn lit(text: &str) -> Str {
        Str::Lit(text.to_string())
    }

    /// Concatenation with adjacent literals merged and empty ones dropped.
    pub(super) fn concat(parts: impl IntoIterator<Item = Str>) -> Str {
        let mut out: Vec<Str> = Vec::new();
        for part in parts {
            let flat = match part {
                Str::Concat(inner) => inner,
                other => vec![other],
            };
            for piece in flat {
                match (out.last_mut(), piece) {
                    (_, Str::Lit(text)) if text.is_empty() => {}
                    (Some(Str::Lit(last)), Str::Lit(text)) => last.push_str(&text),
                    (_, piece) => out.push(piece),
                }
            }
        }
        match out.len() {
            0 => Str::Lit(String::new()),
            1 => out.pop().expect("one element"),
            _ => Str::Concat(out),
        }
    }

    pub(super) fn as_lit(&self) -> Option<&str> {
        match self {
            Str::Lit(text) => Some(text),
            _ => None,
        }
    }

    /// The length as an integer term (a literal when known).
    pub(super) fn len(&self) -> Num {
        match self {
            Str::Lit(text) => Num::Lit(text.chars().count() as i128),
            other => Num::Len(Box::new(other.clone())),
        }
    }

    /// The text under an assignment; `None` when a variable has no value.
    pub(super) fn render(&self, values: &Assignment) -> Option<String> {
        match self {
            Str::Lit(text) => Some(text.clone()),
            Str::Var(id) => match values.get(*id)? {
                Value::Str(text) => Some(text.clone()),
                _ => None,
            },
            Str::Concat(parts) => parts.iter().map(|p| p.render(values)).collect(),
            Str::Ite(condition, then, otherwise) => {
                if condition.eval(values)? {
                    then.render(values)
                } else {
                    otherwise.render(values)
                }
            }
            Str::Substr(text, offset, length) => {
                let text: Vec<char> = text.render(values)?.chars().collect();
                let offset = usize::try_from(offset.eval(values)?).ok()?;
                let length = usize::try_from(length.eval(values)?).ok()?;
                let end = offset.saturating_add(length).min(text.len());
                Some(text.get(offset..end).unwrap_or_default().iter().collect())
            }
        }
    }
}

/// An integer term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Num {
    Lit(i128),
    Var(VarId),
    Len(Box<Str>),
    /// `(str.indexof s t from)`: the first position ≥ `from` where `t`
    /// occurs in `s`, or −1.
    IndexOf(Box<Str>, Box<Str>, Box<Num>),
    Add(Vec<Num>),
    Sub(Box<Num>, Box<Num>),
}

impl Num {
    pub(super) fn add(parts: impl IntoIterator<Item = Num>) -> Num {
        let mut constant = 0i128;
        let mut rest = Vec::new();
        for part in parts {
            match part {
                Num::Lit(n) => constant += n,
                Num::Add(inner) => rest.extend(inner),
                other => rest.push(other),
            }
        }
        if constant != 0 || rest.is_empty() {
            rest.push(Num::Lit(constant));
        }
        match rest.len() {
            1 => rest.pop().expect("one element"),
            _ => Num::Add(rest),
        }
    }

    pub(super) fn minus(a: Num, b: Num) -> Num {
        match (&a, &b) {
            (Num::Lit(x), Num::Lit(y)) => Num::Lit(x - y),
            (_, Num::Lit(0)) => a,
            _ => Num::Sub(Box::new(a), Box::new(b)),
        }
    }

    fn eval(&self, values: &Assignment) -> Option<i128> {
        match self {
            Num::Lit(n) => Some(*n),
            Num::Var(id) => match values.get(*id)? {
                Value::Int(n) => Some(*n),
                _ => None,
            },
            Num::Len(text) => Some(text.render(values)?.chars().count() as i128),
            Num::Add(parts) => parts.iter().map(|p| p.eval(values)).sum(),
            Num::Sub(a, b) => Some(a.eval(values)? - b.eval(values)?),
            Num::IndexOf(..) => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A regular expression over characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Re {
    Lit(String),
    /// One character in `lo..=hi`.
    Range(char, char),
    /// Any one character.
    AnyChar,
    Star(Box<Re>),
    Concat(Vec<Re>),
    Union(Vec<Re>),
    Inter(Vec<Re>),
}

impl Re {
    /// Any string.
    pub(super) fn all() -> Re {
        Re::Star(Box::new(Re::AnyChar))
    }

    /// One character other than `c`.
    pub(super) fn not_char(c: char) -> Re {
        let mut parts = Vec::new();
        if let Some(below) = char::from_u32(c as u32 - 1).filter(|_| c as u32 > 0) {
            parts.push(Re::Range('\0', below));
        }
        if let Some(above) = char::from_u32(c as u32 + 1) {
            parts.push(Re::Range(above, MAX_CHAR));
        }
        Re::Union(parts)
    }
}

/// The largest character Z3 4.8.12 strings hold (its `zstring` alphabet);
/// literals beyond it cannot be encoded and are reported as unsupported.
pub(super) const MAX_CHAR: char = '\u{2FFFF}';

/// A part of a glob pattern: text (possibly symbolic), `*` or `?`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum GlobPart {
    Text(Str),
    AnyRun,
    AnyChar,
}

/// A boolean formula.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Formula {
    Const(bool),
    Var(VarId),
    Not(Box<Formula>),
    And(Vec<Formula>),
    Or(Vec<Formula>),
    StrEq(Str, Str),
    /// `prefix` is a prefix of `text`.
    PrefixOf(Str, Str),
    /// `suffix` is a suffix of `text`.
    SuffixOf(Str, Str),
    Contains(Str, Str),
    InRe(Str, Re),
    NumCmp(Num, Cmp, Num),
    /// Bits `high..=low` of a bit-vector variable equal `value`.
    BitsEq {
        var: VarId,
        high: u32,
        low: u32,
        value: u128,
    },
    /// Two bit-vector variables of one width are equal.
    BitsSame(VarId, VarId),
}

pub(super) const TRUE: Formula = Formula::Const(true);
pub(super) const FALSE: Formula = Formula::Const(false);

impl Formula {
    pub(super) fn var(id: VarId) -> Formula {
        Formula::Var(id)
    }

    #[allow(clippy::should_implement_trait)]
    pub(super) fn not(f: Formula) -> Formula {
        match f {
            Formula::Const(b) => Formula::Const(!b),
            Formula::Not(inner) => *inner,
            other => Formula::Not(Box::new(other)),
        }
    }

    pub(super) fn and(parts: impl IntoIterator<Item = Formula>) -> Formula {
        let mut out = Vec::new();
        for part in parts {
            match part {
                Formula::Const(true) => {}
                Formula::Const(false) => return FALSE,
                Formula::And(inner) => out.extend(inner),
                other => out.push(other),
            }
        }
        match out.len() {
            0 => TRUE,
            1 => out.pop().expect("one element"),
            _ => Formula::And(out),
        }
    }

    pub(super) fn or(parts: impl IntoIterator<Item = Formula>) -> Formula {
        let mut out = Vec::new();
        for part in parts {
            match part {
                Formula::Const(false) => {}
                Formula::Const(true) => return TRUE,
                Formula::Or(inner) => out.extend(inner),
                other => out.push(other),
            }
        }
        match out.len() {
            0 => FALSE,
            1 => out.pop().expect("one element"),
            _ => Formula::Or(out),
        }
    }

    pub(super) fn implies(a: Formula, b: Formula) -> Formula {
        Formula::or([Formula::not(a), b])
    }

    /// `a == b`, folded when both are literals.
    pub(super) fn str_eq(a: Str, b: Str) -> Formula {
        match (&a, &b) {
            (Str::Lit(x), Str::Lit(y)) => Formula::Const(x == y),
            _ => Formula::StrEq(a, b),
        }
    }

    pub(super) fn cmp(a: Num, cmp: Cmp, b: Num) -> Formula {
        if let (Num::Lit(x), Num::Lit(y)) = (&a, &b) {
            let order = x.cmp(y);
            return Formula::Const(match cmp {
                Cmp::Eq => order.is_eq(),
                Cmp::Lt => order.is_lt(),
                Cmp::Le => order.is_le(),
                Cmp::Gt => order.is_gt(),
                Cmp::Ge => order.is_ge(),
            });
        }
        Formula::NumCmp(a, cmp, b)
    }

    pub(super) fn as_const(&self) -> Option<bool> {
        match self {
            Formula::Const(b) => Some(*b),
            _ => None,
        }
    }

    /// The truth value under an assignment, for the connectives and
    /// variables `Str::Ite` conditions use; `None` for anything else.
    pub(super) fn eval(&self, values: &Assignment) -> Option<bool> {
        match self {
            Formula::Const(b) => Some(*b),
            Formula::Var(id) => match values.get(*id)? {
                Value::Bool(b) => Some(*b),
                _ => None,
            },
            Formula::Not(inner) => inner.eval(values).map(|b| !b),
            Formula::And(parts) => {
                let mut all = true;
                for part in parts {
                    all &= part.eval(values)?;
                }
                Some(all)
            }
            Formula::Or(parts) => {
                let mut any = false;
                for part in parts {
                    any |= part.eval(values)?;
                }
                Some(any)
            }
            Formula::StrEq(a, b) => Some(a.render(values)? == b.render(values)?),
            Formula::NumCmp(a, cmp, b) => {
                Formula::cmp(Num::Lit(a.eval(values)?), *cmp, Num::Lit(b.eval(values)?)).as_const()
            }
            _ => None,
        }
    }
}

/// A value of a variable in a model, as plain data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Value {
    Str(String),
    Int(i128),
    Bool(bool),
    Bits(u128),
}

/// Values of variables (a decoded model).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Assignment {
    values: BTreeMap<VarId, Value>,
}

impl Assignment {
    pub(super) fn get(&self, id: VarId) -> Option<&Value> {
        self.values.get(&id)
    }

    pub(super) fn set(&mut self, id: VarId, value: Value) {
        self.values.insert(id, value);
    }

    pub(super) fn str(&self, id: VarId) -> Option<&str> {
        match self.values.get(&id)? {
            Value::Str(text) => Some(text),
            _ => None,
        }
    }

    pub(super) fn int(&self, id: VarId) -> Option<i128> {
        match self.values.get(&id)? {
            Value::Int(n) => Some(*n),
            _ => None,
        }
    }

    pub(super) fn bool(&self, id: VarId) -> Option<bool> {
        match self.values.get(&id)? {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub(super) fn bits(&self, id: VarId) -> Option<u128> {
        match self.values.get(&id)? {
            Value::Bits(b) => Some(*b),
            _ => None,
        }
    }
}

// ------------------------------------------------------------------ globs

/// One piece of a glob between `*`s: text and `?`.
type Piece<'a> = &'a [GlobPart];

/// `value` matches the glob `pattern` (IAM's `*` / `?`), as a pure formula;
/// `None` when a middle piece mixes `?` with symbolic text, which this
/// lowering does not express (the caller abstracts it).
///
/// The pattern is split at its `*`s into pieces. The first piece is anchored
/// at the start and the last at the end, each compared by substrings at
/// known offsets (`?` only advances the offset). Middle pieces are found
/// leftmost with `indexof`, each after the previous one: for globs whose
/// only wildcard between pieces is `*`, the leftmost occurrence of each
/// piece is always a safe choice, so the chain is exact. Literal middle
/// pieces with `?` are matched by a regular expression on the middle region.
pub(super) fn glob(value: &Str, pattern: &[GlobPart]) -> Option<Formula> {
    // Literal text at both ends of value and pattern is compared here, so
    // the solver sees only the symbolic middle (`bucket/private/` + id + …
    // against `bucket/private/` + id + `/*` becomes id against id + `/*`).
    let mut value_parts: Vec<Str> = match value {
        Str::Concat(parts) => parts.clone(),
        other => vec![other.clone()],
    };
    let mut pattern: Vec<GlobPart> = pattern.to_vec();
    if !strip_ends(&mut value_parts, &mut pattern, true)
        || !strip_ends(&mut value_parts, &mut pattern, false)
    {
        return Some(FALSE);
    }
    let value = &Str::concat(value_parts);
    let pattern = pattern.as_slice();
    let pieces: Vec<Piece<'_>> = pattern.split(|p| *p == GlobPart::AnyRun).collect();
    let len = value.len();
    if pieces.len() == 1 {
        return Some(anchored_whole(value, pieces[0]));
    }
    let first = pieces[0];
    let last = pieces[pieces.len() - 1];
    let middle: Vec<Piece<'_>> = pieces[1..pieces.len() - 1]
        .iter()
        .copied()
        .filter(|p| !p.is_empty())
        .collect();
    let first_len = piece_len(first);
    let last_len = piece_len(last);
    let ends = Num::add([first_len.clone(), last_len.clone()]);
    let mut parts = vec![
        if ends == Num::Lit(0) {
            TRUE
        } else {
            Formula::cmp(len.clone(), Cmp::Ge, ends)
        },
        anchored(value, first, Num::Lit(0)),
        anchored(value, last, Num::minus(len.clone(), last_len.clone())),
    ];
    if middle.is_empty() {
        return Some(Formula::and(parts));
    }
    let has_question = middle.iter().any(|p| p.contains(&GlobPart::AnyChar));
    if !has_question {
        let mut position = first_len.clone();
        for piece in middle {
            let text = Str::concat(piece.iter().map(|p| match p {
                GlobPart::Text(t) => t.clone(),
                _ => Str::lit(""),
            }));
            let found = Num::IndexOf(
                Box::new(value.clone()),
                Box::new(text.clone()),
                Box::new(position),
            );
            parts.push(Formula::cmp(found.clone(), Cmp::Ge, Num::Lit(0)));
            position = Num::add([found, text.len()]);
        }
        parts.push(Formula::cmp(Num::add([position, last_len]), Cmp::Le, len));
        return Some(Formula::and(parts));
    }
    // Literal middle pieces with `?`: the region between the anchored ends
    // must match `.*p1.*p2….*`.
    let mut re = vec![Re::all()];
    for piece in middle {
        for part in piece {
            match part {
                GlobPart::Text(Str::Lit(text)) => re.push(Re::Lit(text.clone())),
                GlobPart::AnyChar => re.push(Re::AnyChar),
                _ => return None,
            }
        }
        re.push(Re::all());
    }
    let region_len = Num::minus(Num::minus(len, first_len.clone()), last_len);
    let region = Str::Substr(
        Box::new(value.clone()),
        Box::new(first_len),
        Box::new(region_len),
    );
    parts.push(Formula::InRe(region, Re::Concat(re)));
    Some(Formula::and(parts))
}

/// Removes literal text that value and pattern share at the start
/// (`front`) or end; `false` when the literal texts disagree there.
fn strip_ends(value: &mut Vec<Str>, pattern: &mut Vec<GlobPart>, front: bool) -> bool {
    loop {
        let (v, p) = if front {
            (value.first_mut(), pattern.first_mut())
        } else {
            (value.last_mut(), pattern.last_mut())
        };
        let (Some(Str::Lit(v_text)), Some(p_part)) = (v, p) else {
            return true;
        };
        if v_text.is_empty() {
            remove_end(value, front);
            continue;
        }
        match p_part {
            GlobPart::Text(Str::Lit(p_text)) => {
                if p_text.is_empty() {
                    remove_end(pattern, front);
                    continue;
                }
                let v_chars: Vec<char> = v_text.chars().collect();
                let p_chars: Vec<char> = p_text.chars().collect();
                let n = v_chars.len().min(p_chars.len());
                let (v_end, p_end) = if front {
                    (&v_chars[..n], &p_chars[..n])
                } else {
                    (&v_chars[v_chars.len() - n..], &p_chars[p_chars.len() - n..])
                };
                if v_end != p_end {
                    return false;
                }
                let cut = |chars: &[char]| -> String {
                    if front {
                        chars[n..].iter().collect()
                    } else {
                        chars[..chars.len() - n].iter().collect()
                    }
                };
                *v_text = cut(&v_chars);
                *p_text = cut(&p_chars);
            }
            GlobPart::AnyChar => {
                let mut chars: Vec<char> = v_text.chars().collect();
                if front {
                    chars.remove(0);
                } else {
                    chars.pop();
                }
                *v_text = chars.into_iter().collect();
                remove_end(pattern, front);
            }
            _ => return true,
        }
    }
}

fn remove_end<T>(items: &mut Vec<T>, front: bool) {
    if front {
        items.remove(0);
    } else {
        items.pop();
    }
}

fn piece_len(piece: Piece<'_>) -> Num {
    Num::add(piece.iter().map(|p| match p {
        GlobPart::Text(t) => t.len(),
        GlobPart::AnyChar => Num::Lit(1),
        GlobPart::AnyRun => Num::Lit(0),
    }))
}

/// A piece without `*` that must be the whole value.
fn anchored_whole(value: &Str, piece: Piece<'_>) -> Formula {
    if piece.iter().all(|p| matches!(p, GlobPart::Text(_))) {
        let text = Str::concat(piece.iter().map(|p| match p {
            GlobPart::Text(t) => t.clone(),
            _ => Str::lit(""),
        }));
        return Formula::str_eq(value.clone(), text);
    }
    Formula::and([
        Formula::cmp(value.len(), Cmp::Eq, piece_len(piece)),
        anchored(value, piece, Num::Lit(0)),
    ])
}

/// A piece without `*` found at `offset` in `value` (the caller checks the
/// value is long enough).
fn anchored(value: &Str, piece: Piece<'_>, offset: Num) -> Formula {
    if piece.is_empty() {
        return Formula::Const(true);
    }
    // Without `?`, a prefix or suffix test is the simplest form.
    if piece.iter().all(|p| matches!(p, GlobPart::Text(_))) {
        let text = Str::concat(piece.iter().map(|p| match p {
            GlobPart::Text(t) => t.clone(),
            _ => Str::lit(""),
        }));
        if text == Str::lit("") {
            return TRUE;
        }
        if offset == Num::Lit(0) {
            return Formula::PrefixOf(text, value.clone());
        }
        return Formula::SuffixOf(text, value.clone());
    }
    let mut parts = Vec::new();
    let mut at = offset;
    for part in piece {
        match part {
            GlobPart::Text(text) => {
                let len = text.len();
                parts.push(Formula::str_eq(
                    Str::Substr(
                        Box::new(value.clone()),
                        Box::new(at.clone()),
                        Box::new(len.clone()),
                    ),
                    text.clone(),
                ));
                at = Num::add([at, len]);
            }
            GlobPart::AnyChar => at = Num::add([at, Num::Lit(1)]),
            GlobPart::AnyRun => {}
        }
    }
    Formula::and(parts)
}

/// Splits literal text into glob parts: `*` and `?` are wildcards.
pub(super) fn glob_parts_of(text: &str) -> Vec<GlobPart> {
    let mut out = Vec::new();
    let mut literal = String::new();
    for c in text.chars() {
        match c {
            '*' | '?' => {
                if !literal.is_empty() {
                    out.push(GlobPart::Text(Str::Lit(std::mem::take(&mut literal))));
                }
                out.push(if c == '*' {
                    GlobPart::AnyRun
                } else {
                    GlobPart::AnyChar
                });
            }
            _ => literal.push(c),
        }
    }
    if !literal.is_empty() {
        out.push(GlobPart::Text(Str::Lit(literal)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concat_merges_literals_and_flattens() {
        let v = Str::Var(VarId(0));
        let t = Str::concat([
            Str::lit("a"),
            Str::lit(""),
            Str::lit("b"),
            Str::concat([v.clone(), Str::lit("c")]),
        ]);
        assert_eq!(t, Str::Concat(vec![Str::lit("ab"), v, Str::lit("c")]));
    }

    #[test]
    fn connectives_fold_constants() {
        let x = Formula::var(VarId(1));
        assert_eq!(Formula::and([TRUE, x.clone()]), x);
        assert_eq!(Formula::and([FALSE, x.clone()]), FALSE);
        assert_eq!(Formula::or([FALSE, x.clone()]), x);
        assert_eq!(Formula::not(Formula::not(x.clone())), x);
        assert_eq!(Formula::str_eq(Str::lit("a"), Str::lit("a")), TRUE);
    }

    #[test]
    fn a_star_only_glob_is_prefix_suffix_and_indexof() {
        let v = Str::Var(VarId(0));
        let f = glob(&v, &glob_parts_of("a*b*c")).expect("lowered");
        let text = format!("{f:?}");
        assert!(text.contains("PrefixOf"), "{text}");
        assert!(text.contains("SuffixOf"), "{text}");
        assert!(text.contains("IndexOf"), "{text}");
        assert!(!text.contains("InRe"), "{text}");
    }

    #[test]
    fn symbolic_middle_with_question_mark_is_not_lowered() {
        let v = Str::Var(VarId(0));
        let pattern = vec![
            GlobPart::AnyRun,
            GlobPart::Text(Str::Var(VarId(1))),
            GlobPart::AnyChar,
            GlobPart::AnyRun,
        ];
        assert_eq!(glob(&v, &pattern), None);
    }
}
