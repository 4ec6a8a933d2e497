//! Fuzzes the span-aware JSON reader: it must never panic, and on input that
//! serde_json accepts it must produce the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use poolscope::source::json;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = json::parse_str("fuzz.json", text);
    if let Ok(value) = &ours {
        // Every location must lie inside the text and render a line/column.
        let _ = value.loc.line_col();
    }
    // We accept a leading byte-order mark (files saved by Windows editors);
    // serde_json does not.
    let plain = text.strip_prefix('\u{feff}').unwrap_or(text);
    let theirs: Result<serde_json::Value, _> = serde_json::from_str(plain);
    match (ours, theirs) {
        (Ok(ours), Ok(theirs)) => {
            // Both keep the last of duplicate keys when converted, and our
            // numbers convert through serde_json, so the trees must agree.
            assert_eq!(ours.to_json(), theirs, "reader disagrees with serde_json on {text:?}");
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
            // exponents) and nests no deeper than 128; anything else is a bug.
            assert!(
                err.to_string().contains("number") || err.to_string().contains("recursion"),
                "accepted invalid JSON {text:?}: {err}"
            );
        }
        (Err(_), Err(_)) => {}
    }
});
