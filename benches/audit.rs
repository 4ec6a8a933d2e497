//! How long `poolscope audit` takes: on each corpus case and on the whole
//! corpus, then on synthetic accounts of N roles (`support/synthetic.rs`).
//!
//! For each input it times loading, the route inventory
//! ([`Audit::new`], which includes the claim search of mapping rules), the
//! checks one after another (with each check's own time), and the checks on
//! every core ([`run_all_with`]), and prints the findings per check id.
//!
//! Run: `cargo bench --bench audit` (optionally `-- RUNS N1 N2 …`, default
//! `1 100 1000`: runs per corpus measurement, then account sizes). A plain
//! binary without a harness.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use poolscope::checks::{Audit, CATALOGUE, run_all_with};
use poolscope::commands::audit::{AuditArgs, audit};
use poolscope::ingest::{Inputs, load_paths};

#[path = "support/synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

const TIMEOUT_MS: u64 = 10_000;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Findings per check id, as `PS001×2 PS009×1`.
fn counts(ids: impl IntoIterator<Item = &'static str>) -> String {
    let mut by_id: BTreeMap<&str, usize> = BTreeMap::new();
    for id in ids {
        *by_id.entry(id).or_default() += 1;
    }
    by_id
        .iter()
        .map(|(id, n)| format!("{id}×{n}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Times one loaded input: routes, checks in turn (per check), checks on
/// every core.
fn measure(name: &str, paths: &[PathBuf], per_check: bool) {
    let start = Instant::now();
    let loaded = load_paths(paths);
    let load = start.elapsed();
    assert!(!loaded.input_failed, "{name} loads");
    let start = Instant::now();
    let audit = Audit::new(&loaded.inventory, TIMEOUT_MS);
    let routes = start.elapsed();

    // In a fresh thread, as the command runs it: Z3's context is per
    // thread and grows with every query the thread made before (the corpus
    // runs above), which slowed a 1,000-role serial pass by half.
    let (mut slow, ids, serial) = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let mut slow: Vec<(Duration, &str)> = Vec::new();
                let start = Instant::now();
                let mut ids = Vec::new();
                for check in CATALOGUE {
                    let began = Instant::now();
                    let found = (check.run)(&audit);
                    slow.push((began.elapsed(), check.info.id));
                    ids.extend(found.iter().map(|f| f.diagnostic.code));
                }
                (slow, ids, start.elapsed())
            })
            .join()
            .expect("the checks run")
    });

    // A fresh audit: the first pass filled its cache of the routes each
    // principal covers, which the parallel pass must list again to be fair.
    let threads = cores();
    let fresh = Audit::new(&loaded.inventory, TIMEOUT_MS);
    let start = Instant::now();
    let parallel_found = run_all_with(&fresh, threads, &|_| {});
    let parallel = start.elapsed();
    assert_eq!(parallel_found.len(), ids.len(), "{name}: same findings");

    println!(
        "{name}: load {:.0} ms, routes {} in {:.0} ms, checks one by one {:.0} ms, \
         on {threads} threads {:.0} ms; findings: {}",
        ms(load),
        audit.routes.len(),
        ms(routes),
        ms(serial),
        ms(parallel),
        counts(ids),
    );
    if per_check {
        slow.sort_by(|a, b| b.cmp(a));
        let top: Vec<String> = slow
            .iter()
            .take(4)
            .map(|(d, id)| format!("{id} {:.0} ms", ms(*d)))
            .collect();
        println!("  slowest checks: {}", top.join(", "));
    }
}

fn corpus(runs: usize) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    for case in &cases {
        let name = case
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        // Templates take the account from `--param`; the bench reads the
        // snapshot-only cases, whose figures the templates repeat.
        if name.ends_with("-cfn") || name.ends_with("-tf") {
            continue;
        }
        measure(&format!("corpus/{name}"), std::slice::from_ref(case), false);
    }
    // The whole command on the whole corpus, best of `runs`: read, load,
    // routes, checks on every core, report.
    let mut best = Duration::MAX;
    let mut findings = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let outcome = audit(&AuditArgs {
            inputs: Inputs {
                paths: vec![root.clone()],
                params: vec!["AWS::AccountId=111122223333".to_string()],
                ..Inputs::default()
            },
            timeout_ms: TIMEOUT_MS,
            ..AuditArgs::default()
        });
        best = best.min(start.elapsed());
        findings = outcome.report.findings.len();
    }
    println!(
        "corpus, whole command (`audit corpus`, every case in one model): {:.0} ms \
         (best of {runs}), {findings} findings",
        ms(best)
    );
}

fn synthetic_account(roles: usize) {
    let files = synthetic::generate(roles);
    let dir: PathBuf = std::env::temp_dir().join(format!(
        "poolscope-audit-bench-{}-{roles}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    for (name, text) in &files {
        std::fs::write(dir.join(name), text).expect("write snapshot file");
    }
    measure(
        &format!("synthetic {roles} roles"),
        std::slice::from_ref(&dir),
        true,
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    let numbers: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|arg| arg.parse().ok())
        .collect();
    let runs = numbers.first().copied().unwrap_or(1).max(1);
    let sizes: Vec<usize> = if numbers.len() > 1 {
        numbers[1..].to_vec()
    } else {
        vec![100, 1_000]
    };
    println!("{} cores", cores());
    corpus(runs);
    for roles in sizes {
        synthetic_account(roles);
    }
}
