//! Fuzzes the policy parser and validator: no input may make them panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use poolscope::policy::catalogue::Catalogue;
use poolscope::policy::{PolicyKind, parse, validate};
use poolscope::source::json;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(document) = json::parse_str("fuzz.json", text) else {
        return;
    };
    for kind in [PolicyKind::Unknown, PolicyKind::Identity, PolicyKind::Trust] {
        if let Ok(parsed) = parse::parse_policy(&document, "fuzz", kind) {
            for d in &parsed.diagnostics {
                let _ = d.location().map(|l| l.line_col());
            }
            for d in validate::validate(&parsed.policy, kind, Catalogue::builtin()) {
                let _ = d.location().map(|l| l.line_col());
            }
        }
    }
});
