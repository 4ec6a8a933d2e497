//! `diff` on two generated accounts (1,000 roles unless told) that differ in one policy.
//!
//! The base is the synthetic account of `benches/support/synthetic.rs`;
//! the head widens one Cognito role's per-identity S3 grant
//! (`private/${cognito-identity.amazonaws.com:sub}/*` → `private/*`), the
//! change `tests/fixtures/diff/private-other` makes to the corpus. Times:
//! - loading both versions from memory (`ingest::load_files`, twice),
//! - `gate::diff_inventories` on the changed pair (routes of both
//!   versions, the atoms of every policy, the questions the one change
//!   raises, their replay on base),
//! - `gate::diff_inventories` on two identical versions (no question).
//!
//! Run: `cargo bench --bench diff` (optionally `-- <runs> [<roles>]`,
//! default 5 runs of 1,000-role accounts). A
//! plain binary without a harness: it prints one line per figure.

use std::hint::black_box;
use std::time::{Duration, Instant};

use poolscope::gate::diff_inventories;
use poolscope::ingest::{InputFile, LoadResult, load_files};
use poolscope::source::SourceFile;

#[path = "support/synthetic.rs"]
mod synthetic;

const ROLES: usize = 1_000;

/// The per-identity grant the head version widens.
const KEYED: &str = "/private/${cognito-identity.amazonaws.com:sub}/*\"";

fn summary(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let n = times.len().max(1);
    println!(
        "{label}: min {:.1} ms, median {:.1} ms, max {:.1} ms ({n} runs)",
        ms(times[0]),
        ms(times[n / 2]),
        ms(times[n - 1]),
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn inputs(files: &[(String, String)]) -> Vec<InputFile> {
    files
        .iter()
        .map(|(name, text)| InputFile {
            source: SourceFile::new(name.as_str(), text.as_str()),
            named: false,
        })
        .collect()
}

fn load(files: &[InputFile]) -> LoadResult {
    let loaded = load_files(files);
    assert!(!loaded.input_failed, "the account loads");
    loaded
}

fn main() {
    let numbers: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|arg| arg.parse().ok())
        .collect();
    let runs = numbers.first().copied().unwrap_or(5);
    let roles = numbers.get(1).copied().unwrap_or(ROLES);
    println!("accounts of {roles} roles");
    let base_files = synthetic::generate(roles);
    let mut head_files = base_files.clone();
    let iam = head_files
        .iter_mut()
        .find(|(name, _)| name == "iam.json")
        .expect("the account's iam.json");
    let at = iam.1.find(KEYED).expect("a per-identity grant");
    iam.1.replace_range(at..at + KEYED.len(), "/private/*\"");
    let (base_inputs, head_inputs) = (inputs(&base_files), inputs(&head_files));

    let mut loading = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        black_box((load(&base_inputs), load(&head_inputs)));
        loading.push(start.elapsed());
    }
    summary("load both versions (in memory)", loading);

    let (base, head) = (load(&base_inputs), load(&head_inputs));
    let mut changed = Vec::new();
    let mut shape = (0, 0, 0);
    for _ in 0..runs {
        let start = Instant::now();
        let results = diff_inventories(&base.inventory, &head.inventory, 10_000);
        changed.push(start.elapsed());
        shape = (
            results.questions,
            results.new_access.len(),
            results.undecided.len(),
        );
        black_box(results);
    }
    summary("diff_inventories, one policy changed", changed);
    println!(
        "one policy changed: {} questions, {} new access requests, {} undecided",
        shape.0, shape.1, shape.2
    );
    assert!(shape.1 > 0, "widening the grant is new access");

    let same = load(&base_inputs);
    let mut identical = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let results = diff_inventories(&base.inventory, &same.inventory, 10_000);
        identical.push(start.elapsed());
        assert_eq!(results.questions, 0);
        black_box(results);
    }
    summary("diff_inventories, identical versions", identical);
}
