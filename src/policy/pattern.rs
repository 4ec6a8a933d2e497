//! Wildcard matching as IAM does it: actions, ARNs and `StringLike` values.
//!
//! Owns the three matchers the evaluator needs and the solver encoding must
//! agree with:
//! - [`action_matches`]: `Action` / `NotAction` entries, case-insensitive;
//! - [`arn_matches`]: `Resource` / `NotResource` entries and the `Arn*`
//!   condition operators, component by component, case-sensitive;
//! - [`string_like`]: `StringLike` / `StringNotLike`, case-sensitive.
//!
//! All three use the same glob: `*` matches any run of characters (also
//! none), `?` exactly one character. Matching works on characters, not
//! bytes, and runs in O(pattern × value) time at worst (the classic
//! two-pointer algorithm that backtracks only to the last `*`), so a hostile
//! pattern such as `*a*a*a*a*b` cannot make it exponential.

use super::arn::split_components;

/// Whether an `Action` entry such as `s3:Get*`, `iam:*` or `*` matches the
/// action `service:Name`.
///
/// IAM User Guide, "IAM JSON policy elements: Action": action names are
/// case-insensitive (`iam:listaccesskeys` = `IAM:ListAccessKeys`), and `*`
/// and `?` may appear anywhere in the entry, the service prefix included.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    pattern == "*" || glob_ignore_case(pattern, action)
}

/// A glob over a whole name compared without regard to case: action names,
/// service prefixes and condition key names (IAM User Guide, "IAM JSON
/// policy elements: Action" and "Condition": both case-insensitive).
pub fn glob_ignore_case(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        glob(pattern.as_bytes(), text.as_bytes(), |p, v| {
            p.eq_ignore_ascii_case(&v)
        })
    } else {
        let pattern: Vec<char> = pattern.to_lowercase().chars().collect();
        let text: Vec<char> = text.to_lowercase().chars().collect();
        glob(&pattern, &text, |p, v| p == v)
    }
}

/// Whether an ARN pattern (a `Resource` entry, an `ArnLike` or `ArnEquals`
/// value) matches the ARN `arn`.
///
/// - A pattern of just `*` matches anything, ARN or not (IAM User Guide,
///   "IAM JSON policy elements: Resource": `"Resource": "*"`).
/// - Otherwise pattern and value are split on their first five colons into
///   six components, and each pattern component is matched against the
///   value's component with `*` / `?` globs, case-sensitively ("Condition
///   operators", ARN condition operators: "Each of the six colon-delimited
///   components of the ARN is checked separately and each can include
///   multi-character match wildcards (*) or single-character match
///   wildcards (?)"). The resource component is everything after the fifth
///   colon, so a `*` there spans `/` and `:` ("Resource": "the asterisk
///   can expand to replace everything within a segment, including
///   characters like a forward slash").
/// - A pattern with fewer than six components matches only when its last
///   component ends in `*`: that `*` then also spans the remaining colons
///   ("Resource": "If the `*` wildcard is the last character of a resource
///   ARN segment, it can expand to match beyond the colon boundaries"), so
///   `arn:aws:s3:*` matches every S3 ARN. In a six-component pattern a `*`
///   stays inside its component.
/// - A value that is not an ARN (fewer than six components) matches no
///   pattern but `*`.
///
/// `ArnEquals` behaves exactly like `ArnLike`: the Condition operators page
/// documents both in one row with the same wildcard rule.
pub fn arn_matches(pattern: &str, arn: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let value = split_components(arn);
    if value.len() < 6 {
        return false;
    }
    let pattern = split_components(pattern);
    let Some((last, leading)) = pattern.split_last() else {
        return false;
    };
    let leading_match = leading.iter().zip(&value).all(|(p, v)| string_like(p, v));
    if !leading_match {
        return false;
    }
    if pattern.len() == 6 {
        return string_like(last, value[5]);
    }
    if !last.ends_with('*') {
        return false;
    }
    // The trailing `*` spans colons: match the last component against the
    // rest of the value, joined back together.
    let rest = value[leading.len()..].join(":");
    string_like(last, &rest)
}

/// Whether a `StringLike` value matches `value`: `*` any run (also empty),
/// `?` exactly one character, everything else literal and case-sensitive
/// (IAM User Guide, "Condition operators", string condition operators:
/// "Case-sensitive matching. The values can include multi-character match
/// wildcards (*) and single-character match wildcards (?) anywhere in the
/// string").
pub fn string_like(pattern: &str, value: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    if pattern.is_ascii() && value.is_ascii() {
        glob(pattern.as_bytes(), value.as_bytes(), |p, v| p == v)
    } else {
        let pattern: Vec<char> = pattern.chars().collect();
        let value: Vec<char> = value.chars().collect();
        glob(&pattern, &value, |p, v| p == v)
    }
}

/// Whether `text` contains a wildcard character that `string_like` reads.
pub fn has_wildcards(text: &str) -> bool {
    text.contains(['*', '?'])
}

/// One element of a glob, for intersecting globs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GlobToken {
    Char(char),
    /// `?`: exactly one character.
    One,
    /// `*`: any run of characters, also empty.
    Any,
    /// Any run of characters without a `/` (a name inside a path, such as
    /// an S3 bucket name), also empty.
    Segment,
}

/// A `StringLike` pattern as tokens: `*` any run, `?` one character.
pub fn glob_tokens(pattern: &str) -> Vec<GlobToken> {
    pattern
        .chars()
        .map(|c| match c {
            '*' => GlobToken::Any,
            '?' => GlobToken::One,
            c => GlobToken::Char(c),
        })
        .collect()
}

/// Whether some string matches both `StringLike` patterns `a` and `b`
/// (`*` any run, `?` one character, the rest literal and case-sensitive).
pub fn globs_intersect(a: &str, b: &str) -> bool {
    token_globs_intersect(&glob_tokens(a), &glob_tokens(b))
}

/// Whether some string matches both globs.
///
/// A search over pairs of positions, one in each glob (the product of their
/// automata): a run token may be left without consuming, and a character
/// can be consumed when both sides accept one (a run stays, `?` or an equal
/// literal advances; a [`GlobToken::Segment`] accepts anything but `/`).
/// Both globs ending together means a common string exists. O(|a| × |b|)
/// states.
pub fn token_globs_intersect(a: &[GlobToken], b: &[GlobToken]) -> bool {
    use GlobToken::{Any, Char, Segment};
    let is_run = |t: Option<&GlobToken>| matches!(t, Some(Any | Segment));
    let width = b.len() + 1;
    let mut seen = vec![false; (a.len() + 1) * width];
    let mut todo = vec![(0usize, 0usize)];
    while let Some((i, j)) = todo.pop() {
        if std::mem::replace(&mut seen[i * width + j], true) {
            continue;
        }
        if i == a.len() && j == b.len() {
            return true;
        }
        let mut next = Vec::with_capacity(3);
        if is_run(a.get(i)) {
            next.push((i + 1, j));
        }
        if is_run(b.get(j)) {
            next.push((i, j + 1));
        }
        // One character consumed on both sides.
        if let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
            let compatible = match (x, y) {
                (Char(c), Char(d)) => c == d,
                (Char(c), Segment) | (Segment, Char(c)) => c != '/',
                _ => true,
            };
            let step_a = if is_run(Some(&x)) { i } else { i + 1 };
            let step_b = if is_run(Some(&y)) { j } else { j + 1 };
            if compatible && (step_a, step_b) != (i, j) {
                next.push((step_a, step_b));
            }
        }
        todo.extend(next.into_iter().filter(|&(x, y)| !seen[x * width + y]));
    }
    false
}

/// Whether some ARN matches both ARN patterns, compared the way
/// [`arn_matches`] compares a pattern with an ARN: component by component,
/// a `*` staying inside its component, except that the last component of a
/// pattern with fewer than six ends in `*` and spans the rest. `*` alone
/// meets every ARN.
pub fn arn_patterns_intersect(a: &str, b: &str) -> bool {
    arn_pattern_meets(
        a,
        &split_components(b)
            .iter()
            .map(|c| glob_tokens(c))
            .collect::<Vec<_>>(),
    )
}

/// Whether some ARN matches the ARN pattern `pattern` and has the six
/// components `components` (each a glob; fewer than six: no ARN).
pub fn arn_pattern_meets(pattern: &str, components: &[Vec<GlobToken>]) -> bool {
    if pattern == "*" {
        return true;
    }
    if components.len() != 6 {
        return false;
    }
    let parts = split_components(pattern);
    if parts.len() == 6 {
        return parts
            .iter()
            .zip(components)
            .all(|(p, c)| token_globs_intersect(&glob_tokens(p), c));
    }
    // A short pattern (`arn:aws:s3:*`): its leading components meet the
    // other's one by one, its last meets the rest, joined with colons.
    let Some((last, leading)) = parts.split_last() else {
        return false;
    };
    if !last.ends_with('*') {
        return false;
    }
    let mut rest: Vec<GlobToken> = Vec::new();
    for (k, component) in components[leading.len()..].iter().enumerate() {
        if k > 0 {
            rest.push(GlobToken::Char(':'));
        }
        rest.extend(component);
    }
    leading
        .iter()
        .zip(components)
        .all(|(p, c)| token_globs_intersect(&glob_tokens(p), c))
        && token_globs_intersect(&glob_tokens(last), &rest)
}

/// The glob core over bytes (ASCII) or characters.
///
/// Two pointers walk pattern and value; on a `*` the positions are saved,
/// and on a mismatch the value position after the last `*` advances by one.
/// Earlier stars never need revisiting: whatever the last star can absorb,
/// it absorbs, so the worst case is O(|pattern| × |value|).
fn glob<T: GlobChar>(pattern: &[T], value: &[T], eq: impl Fn(T, T) -> bool) -> bool {
    let (mut p, mut v) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while v < value.len() {
        if p < pattern.len() && pattern[p] == T::STAR {
            star = Some((p, v));
            p += 1;
        } else if p < pattern.len() && (pattern[p] == T::QUESTION || eq(pattern[p], value[v])) {
            p += 1;
            v += 1;
        } else if let Some((star_p, star_v)) = star {
            p = star_p + 1;
            v = star_v + 1;
            star = Some((star_p, star_v + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == T::STAR)
}

/// The two wildcard characters, as bytes or as characters.
trait GlobChar: Copy + PartialEq {
    const STAR: Self;
    const QUESTION: Self;
}

impl GlobChar for u8 {
    const STAR: u8 = b'*';
    const QUESTION: u8 = b'?';
}

impl GlobChar for char {
    const STAR: char = '*';
    const QUESTION: char = '?';
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn glob_intersection_finds_a_common_string() {
        let cases: &[(&str, &str, bool)] = &[
            ("abc", "abc", true),
            ("abc", "abd", false),
            ("a*", "*c", true),
            ("a*b", "a?", true),
            ("a*b", "ac", false),
            ("*/*", "bucket", false),
            ("*/*", "bucket*", true),
            ("", "*", true),
            ("", "?", false),
            ("x*y*z", "*q*", true),
            ("a?c", "*b*", true),
            ("abc", "*d*", false),
        ];
        for (a, b, expected) in cases {
            assert_eq!(globs_intersect(a, b), *expected, "{a} ∩ {b}");
            assert_eq!(globs_intersect(b, a), *expected, "{b} ∩ {a}");
        }
    }

    #[test]
    fn arn_pattern_intersection_is_component_wise() {
        let object = "arn:*:s3:::*/*";
        assert!(arn_patterns_intersect("arn:aws:s3:::b/k", object));
        assert!(!arn_patterns_intersect("arn:aws:s3:::b", object));
        assert!(arn_patterns_intersect("arn:aws:s3:*::b/k", object));
        assert!(!arn_patterns_intersect("arn:aws:s3:us-east-1::b/k", object));
        assert!(arn_patterns_intersect("arn:aws:s3:*", object));
        assert!(!arn_patterns_intersect("arn:aws:dynamodb:*", object));
        assert!(arn_patterns_intersect("*", object));
        // A `*` stays inside its component in a six-component pattern.
        let bucket = [
            glob_tokens("arn"),
            glob_tokens("aws"),
            glob_tokens("s3"),
            vec![],
            vec![],
            vec![GlobToken::Segment],
        ];
        assert!(arn_pattern_meets("arn:aws:s3:::b*", &bucket));
        assert!(!arn_pattern_meets("arn:aws:s3:::b/k", &bucket));
        assert!(!arn_patterns_intersect(
            "arn:aws:s3:::*",
            "arn:*:s3:us-east-1:1:x"
        ));
    }

    proptest! {
        // Whatever matches both patterns proves they intersect.
        #[test]
        fn glob_intersection_agrees_with_brute_force(
            a in "[ab*?]{0,4}", b in "[ab*?]{0,4}"
        ) {
            // A shortest common string is no longer than both patterns
            // together, and `a`/`b` are the only literals: enumerate.
            let mut strings = vec![String::new()];
            for len in 1..=8 {
                strings.extend((0..1u32 << len).map(|bits| {
                    (0..len).map(|k| if bits >> k & 1 == 1 { 'b' } else { 'a' }).collect()
                }));
            }
            let common = strings.iter().any(|s| string_like(&a, s) && string_like(&b, s));
            prop_assert_eq!(globs_intersect(&a, &b), common);
        }
    }

    // IAM User Guide, "IAM JSON policy elements: Action".
    #[test]
    fn actions_match_case_insensitively_with_wildcards() {
        let cases: &[(&str, &str, bool, &str)] = &[
            ("*", "s3:GetObject", true, "`*` is every action"),
            ("s3:*", "s3:GetObject", true, "all actions of a service"),
            ("s3:Get*", "s3:GetObject", true, "prefix wildcard"),
            (
                "s3:Get*",
                "s3:PutObject",
                false,
                "prefix wildcard, other action",
            ),
            (
                "s3:Get*",
                "s3:getobject",
                true,
                "action names are case-insensitive",
            ),
            ("S3:GETOBJECT", "s3:GetObject", true, "service prefix too"),
            (
                "iam:*AccessKey*",
                "iam:CreateAccessKey",
                true,
                "`*` anywhere",
            ),
            (
                "iam:*AccessKey*",
                "iam:ListAccessKeys",
                true,
                "`*` anywhere, plural",
            ),
            ("s3:?etObject", "s3:GetObject", true, "`?` is one character"),
            ("s3:?etObject", "s3:GGetObject", false, "`?` is exactly one"),
            (
                "s3:GetObject",
                "s3:GetObjectAcl",
                false,
                "no implicit prefix",
            ),
            (
                "s3:GetObject",
                "s3-x:GetObject",
                false,
                "service is compared",
            ),
            (
                "*:GetObject",
                "s3:GetObject",
                true,
                "wildcard service prefix",
            ),
            (
                "s3*",
                "s3:GetObject",
                true,
                "`*` spans the colon in actions",
            ),
            ("iam:*", "sts:AssumeRole", false, "other service"),
        ];
        for (pattern, action, expected, why) in cases {
            assert_eq!(
                action_matches(pattern, action),
                *expected,
                "{pattern} vs {action}: {why}"
            );
        }
    }

    // IAM User Guide, "IAM JSON policy elements: Resource" and "Condition
    // operators" (ARN condition operators).
    #[test]
    fn arns_match_component_by_component() {
        let cases: &[(&str, &str, bool, &str)] = &[
            (
                "*",
                "arn:aws:s3:::bucket/key",
                true,
                "`*` matches every resource",
            ),
            ("*", "not-an-arn", true, "`*` matches even non-ARNs"),
            (
                "arn:aws:s3:::bucket/*",
                "arn:aws:s3:::bucket/a/b/c",
                true,
                "`*` spans `/`",
            ),
            (
                "arn:aws:s3:::bucket/*",
                "arn:aws:s3:::bucket",
                false,
                "bucket is not an object",
            ),
            (
                "arn:aws:s3:::bucket*",
                "arn:aws:s3:::bucket",
                true,
                "`*` may be empty",
            ),
            (
                "arn:aws:s3:::bucket/*",
                "arn:aws:s3:::Bucket/x",
                false,
                "case-sensitive",
            ),
            (
                "arn:aws:iam::123456789012:user/Bob",
                "arn:aws:iam::123456789012:user/bob",
                false,
                "Resource: the IAM user name is case sensitive",
            ),
            (
                "arn:aws:logs:*:*:log-group:app:*",
                "arn:aws:logs:us-east-1:123456789012:log-group:app:log-stream:s1",
                true,
                "resource component keeps its colons; `*` spans `:` there",
            ),
            (
                "arn:aws:iam::*:role/*",
                "arn:aws:iam::123456789012:role/Admin",
                true,
                "account wildcard",
            ),
            (
                "arn:aws:iam::*:role/*",
                "arn:aws:iam::123456789012:user/Admin",
                false,
                "resource type differs",
            ),
            (
                "arn:aws:ec2:*:*:instance/i-?????",
                "arn:aws:ec2:us-east-1:123456789012:instance/i-12345",
                true,
                "`?` per character",
            ),
            (
                "arn:aws:ec2:*:*:instance/i-?????",
                "arn:aws:ec2:us-east-1:123456789012:instance/i-123456",
                false,
                "`?` counts",
            ),
            (
                "arn:aws:*:us-east-1:*:*",
                "arn:aws:sqs:us-east-1:123456789012:q",
                true,
                "service wildcard",
            ),
            (
                "arn:aws:sqs:us-*:*:*",
                "arn:aws:sqs:eu-west-1:123456789012:q",
                false,
                "region glob stays in the region",
            ),
            (
                "arn:aws:s3:*",
                "arn:aws:s3:::bucket/key",
                true,
                "trailing `*` of a short pattern spans the remaining colons",
            ),
            (
                "arn:*",
                "arn:aws:sqs:us-east-1:123456789012:q",
                true,
                "`arn:*`",
            ),
            (
                "arn:aws:s3",
                "arn:aws:s3:::bucket",
                false,
                "a short pattern without trailing `*` matches nothing",
            ),
            (
                "arn:aws:s3:::bucket/*",
                "bucket/key",
                false,
                "a non-ARN value matches only `*`",
            ),
            (
                "arn:aws:iam::*:role",
                "arn:aws:iam::123456789012:role/x",
                false,
                "no implicit prefix",
            ),
        ];
        for (pattern, arn, expected, why) in cases {
            assert_eq!(
                arn_matches(pattern, arn),
                *expected,
                "{pattern} vs {arn}: {why}"
            );
        }
    }

    // IAM User Guide, "Condition operators", string condition operators.
    #[test]
    fn string_like_globs_are_case_sensitive_and_multibyte_safe() {
        let cases: &[(&str, &str, bool)] = &[
            ("home/*", "home/", true),
            ("home/*", "home/alice/file", true),
            ("home/*", "Home/alice", false),
            ("*", "", true),
            ("", "", true),
            ("", "x", false),
            ("?", "", false),
            ("?", "é", true),
            ("?", "日", true),
            ("a?c", "a日c", true),
            ("日*本", "日から本", true),
            ("*.png", "photo.png", true),
            ("*.png", "photo.png.exe", false),
            ("a*b*c", "abc", true),
            ("a*b*c", "aXbYbZc", true),
            ("a*b*c", "acb", false),
            ("**", "anything", true),
            ("us-east-1:*", "us-east-1:0f2c-…", true),
        ];
        for (pattern, value, expected) in cases {
            assert_eq!(
                string_like(pattern, value),
                *expected,
                "{pattern} vs {value}"
            );
        }
    }

    #[test]
    fn pathological_patterns_stay_fast() {
        let value = "a".repeat(10_000);
        let pattern = format!("{}b", "*a".repeat(50));
        let start = std::time::Instant::now();
        assert!(!string_like(&pattern, &value));
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
    }

    /// Naive recursive glob, the reference the fast matcher must agree with.
    fn reference(pattern: &[char], value: &[char]) -> bool {
        match pattern.split_first() {
            None => value.is_empty(),
            Some(('*', rest)) => (0..=value.len()).any(|i| reference(rest, &value[i..])),
            Some(('?', rest)) => !value.is_empty() && reference(rest, &value[1..]),
            Some((c, rest)) => value.first() == Some(c) && reference(rest, &value[1..]),
        }
    }

    fn component() -> impl Strategy<Value = String> {
        "[a-z0-9/é-]{0,6}"
    }

    proptest! {
        #[test]
        fn string_like_agrees_with_the_reference(
            pattern in "[ab*?é]{0,8}",
            value in "[abé]{0,10}",
        ) {
            let p: Vec<char> = pattern.chars().collect();
            let v: Vec<char> = value.chars().collect();
            prop_assert_eq!(string_like(&pattern, &value), reference(&p, &v));
        }

        #[test]
        fn arn_without_wildcards_is_component_equality(
            a in proptest::collection::vec(component(), 5),
            b in proptest::collection::vec(component(), 5),
            same in any::<bool>(),
        ) {
            let pattern = format!("arn:{}", a.join(":"));
            let value = if same { pattern.clone() } else { format!("arn:{}", b.join(":")) };
            let components_equal = split_components(&pattern) == split_components(&value);
            prop_assert_eq!(arn_matches(&pattern, &value), components_equal);
        }

        #[test]
        fn action_match_ignores_case(action in "[a-z0-9]{1,5}:[A-Za-z]{1,8}") {
            prop_assert!(action_matches(&action.to_uppercase(), &action));
            prop_assert!(action_matches(&action, &action.to_lowercase()));
        }
    }
}
