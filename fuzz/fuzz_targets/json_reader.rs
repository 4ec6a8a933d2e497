//! Fuzzes the span-aware JSON reader. It must never panic. Every value and
//! every object key it returns must have a non-empty span inside the text,
//! on character boundaries, whose line and column lead back to the span's
//! start. On input that serde_json accepts it must produce the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use poolscope::source::{Kind, Location, Value, json};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = json::parse_str("fuzz.json", text);
    if let Ok(value) = &ours {
        check_locations(value, text);
    }
    // We accept a leading byte-order mark (files saved by Windows editors);
    // serde_json does not.
    let plain = text.strip_prefix('\u{feff}').unwrap_or(text);
    let theirs: Result<serde_json::Value, _> = serde_json::from_str(plain);
    match (ours, theirs) {
        (Ok(ours), Ok(theirs)) => {
            // Both keep the last of duplicate keys when converted, and our
            // numbers convert through serde_json, so the trees must agree.
            assert_eq!(
                ours.to_json(),
                theirs,
                "reader disagrees with serde_json on {text:?}"
            );
        }
        (Err(_), Ok(_)) => {
            // Deeper nesting than our limit is the one accepted difference.
            assert!(
                text.matches(['[', '{']).count() >= json::MAX_DEPTH,
                "rejected valid JSON {text:?}"
            );
        }
        (Ok(_), Err(err)) => {
            // serde_json refuses some numbers it cannot represent (e.g. huge
            // exponents); anything else is a bug. Depth cannot explain it:
            // serde_json nests to 128, deeper than our limit.
            assert!(
                err.to_string().contains("number"),
                "accepted invalid JSON {text:?}: {err}"
            );
        }
        (Err(_), Err(_)) => {}
    }
});

/// Checks the location of every value and object key in the tree (with an
/// explicit stack: the reader's depth limit is not this check's concern).
fn check_locations(root: &Value, text: &str) {
    let mut stack = vec![root];
    while let Some(value) = stack.pop() {
        check_location(&value.loc, text);
        match &value.kind {
            Kind::Array(items) => stack.extend(items.iter()),
            Kind::Object(members) => {
                for member in members {
                    check_location(&member.key_loc, text);
                    stack.push(&member.value);
                }
            }
            Kind::Null | Kind::Bool(_) | Kind::Number(_) | Kind::String(_) => {}
        }
    }
}

/// The span covers some of the text, starts and ends on character
/// boundaries, and its line and column (which `line_col` computes, clamping
/// out-of-range offsets) count back to exactly its start.
fn check_location(loc: &Location, text: &str) {
    let span = loc.span;
    assert!(
        span.start < span.end && span.end <= text.len(),
        "span {span:?} is empty or outside the text {text:?}"
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "span {span:?} splits a character of {text:?}"
    );
    let (line, column) = loc.line_col();
    let line_start: usize = text.split('\n').take(line - 1).map(|l| l.len() + 1).sum();
    let offset = line_start
        + text[line_start..]
            .chars()
            .take(column - 1)
            .map(char::len_utf8)
            .sum::<usize>();
    assert_eq!(
        offset, span.start,
        "line {line}, column {column} does not lead back to the start of {span:?} in {text:?}"
    );
}
