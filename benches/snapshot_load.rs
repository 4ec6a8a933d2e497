//! Loading a 1,000-role AWS account snapshot and building its principal
//! graph.
//!
//! Generates a synthetic account in the shape of `aws iam
//! get-account-authorization-details` (1,000 roles with realistic trust and
//! inline policies, 200 customer managed policies with two versions each,
//! permissions boundaries) plus two identity pools with their roles and a
//! Rules mapping, writes it to a temporary directory, then times:
//! - `ingest::load_paths` (read from disk, parse, ingest, link checks),
//! - `ingest::load_files` (the same from memory),
//! - `PrincipalGraph::build` (routes with their trust checks, role chains
//!   decided by the evaluator, access summaries),
//! - one `explain` of a guest request (routes, chains, evaluations).
//!
//! Run: `cargo bench --bench snapshot_load` (optionally `-- <runs>`,
//! default 5). A plain binary without a harness: it prints one line per
//! figure. Generation is deterministic (a fixed-seed generator).

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use poolscope::explain::explain_inventory;
use poolscope::ingest::{InputFile, load_files, load_paths};
use poolscope::model::graph::PrincipalGraph;
use poolscope::query::Question;
use poolscope::source::SourceFile;

#[path = "support/synthetic.rs"]
mod synthetic;

/// The account size this benchmark loads.
const ROLES: usize = 1_000;

fn summary(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let n = times.len().max(1);
    let mean = times.iter().sum::<Duration>() / n as u32;
    println!(
        "{label}: min {:.1} ms, median {:.1} ms, mean {:.1} ms, max {:.1} ms ({n} runs)",
        ms(times[0]),
        ms(times[n / 2]),
        ms(mean),
        ms(times[n - 1]),
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let runs: usize = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(5);

    let start = Instant::now();
    let files = synthetic::generate(ROLES);
    let generated = start.elapsed();
    let bytes: usize = files.iter().map(|(_, text)| text.len()).sum();
    let dir: PathBuf = std::env::temp_dir().join(format!("poolscope-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    for (name, text) in &files {
        std::fs::write(dir.join(name), text).expect("write snapshot file");
    }
    println!(
        "snapshot: {ROLES} roles, {} managed policies x 2 versions, {} identity pools; \
         {} files, {:.1} MiB, generated in {:.0} ms",
        synthetic::MANAGED,
        synthetic::POOLS.len(),
        files.len(),
        bytes as f64 / (1024.0 * 1024.0),
        ms(generated)
    );

    // Warm the embedded catalogue and scope-down once, as a real run would.
    let first = load_paths(std::slice::from_ref(&dir));
    assert!(!first.input_failed, "the snapshot loads");
    let errors = first.errors().count();
    println!(
        "loaded: {} roles, {} managed policies, {} identity pools, {} diagnostics ({errors} errors)",
        first.inventory.roles().len(),
        first.inventory.managed_policies().len(),
        first.inventory.identity_pools().len(),
        first.diagnostics.len(),
    );
    let _ = PrincipalGraph::build(&first.inventory);

    let mut disk = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let loaded = load_paths(black_box(std::slice::from_ref(&dir)));
        disk.push(start.elapsed());
        black_box(loaded);
    }
    summary("load_paths (disk, parse, ingest, links)", disk);

    let inputs: Vec<InputFile> = files
        .iter()
        .map(|(name, text)| InputFile {
            source: SourceFile::new(name.as_str(), text.as_str()),
            named: false,
        })
        .collect();
    let mut memory = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let loaded = load_files(black_box(&inputs));
        memory.push(start.elapsed());
        black_box(loaded);
    }
    summary("load_files (in memory)", memory);

    let mut building = Vec::new();
    let mut shape = (0, 0);
    for _ in 0..runs {
        let start = Instant::now();
        let graph = PrincipalGraph::build(black_box(&first.inventory));
        building.push(start.elapsed());
        shape = (graph.graph.node_count(), graph.graph.edge_count());
        black_box(graph);
    }
    summary("PrincipalGraph::build", building);
    println!("graph: {} nodes, {} edges", shape.0, shape.1);

    let question = Question::from_args(
        "guest",
        "s3:GetObject",
        "arn:aws:s3:::bench-data-5/private/{other}/x.jpg",
        &[],
        &[],
        None,
    )
    .expect("a valid question");
    let mut explaining = Vec::new();
    let mut routes = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let report = explain_inventory(black_box(&first.inventory), &question, None)
            .expect("the question names nothing missing");
        explaining.push(start.elapsed());
        routes = report.routes.len();
        black_box(report);
    }
    summary(
        &format!("explain guest s3:GetObject ({routes} routes)"),
        explaining,
    );

    let _ = std::fs::remove_dir_all(&dir);
}
