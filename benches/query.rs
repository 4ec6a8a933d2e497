//! Latency of `poolscope query`, and how a sweep of questions grows with the
//! size of the account.
//!
//! Part 1 answers every fact the corpus READMEs state (over 100 questions)
//! several times each, in process, and prints p50 / p95 / max per question
//! and the verdicts (any `unknown` is printed: the target is none).
//! Part 2 generates synthetic accounts of N roles (default 100, 1,000 and
//! 5,000; see `support/synthetic.rs`), loads each once, and times a fixed
//! sweep of 12 questions (guest, user, external; S3 prefixes of other
//! identities, DynamoDB leading keys, writes) over it.
//!
//! Run: `cargo bench --bench query` (optionally `-- RUNS N1 N2 …`, default
//! `3 100 1000 5000`). A plain binary without a harness.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use poolscope::commands::query::{QueryArgs, query};
use poolscope::ingest::load_paths;
use poolscope::query::Question;
use poolscope::reach::{Verdict, query_inventory};

#[path = "support/facts.rs"]
mod facts;
#[path = "support/synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn corpus_latency(runs: usize) {
    let facts = facts::facts();
    let mut per_question = Vec::new();
    let mut unknown = 0;
    for (line, words) in &facts {
        let args: QueryArgs = facts::args_of(words);
        // Loading the inputs is not the solver's latency: time the answer
        // over an inventory read once, as `audit` will.
        let loaded = args.inputs.load();
        let question = args
            .question
            .parse(args.expect.as_deref())
            .expect("the README's question parses");
        let mut best = Duration::MAX;
        for _ in 0..runs {
            let start = Instant::now();
            let report = query_inventory(&loaded.inventory, &question, args.timeout_ms)
                .expect("the question names things in the inputs");
            best = best.min(start.elapsed());
            if report.verdict == Verdict::Unknown {
                unknown += 1;
                println!("unknown: {line}");
            }
        }
        per_question.push(best);
    }
    per_question.sort();
    let total: Duration = per_question.iter().sum();
    println!(
        "corpus: {} questions, best of {runs} runs each: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms, \
         total {:.0} ms; unknown verdicts: {unknown}",
        per_question.len(),
        ms(percentile(&per_question, 0.5)),
        ms(percentile(&per_question, 0.95)),
        ms(per_question[per_question.len() - 1]),
        ms(total),
    );
    // The whole command, inputs read from disk each time.
    let start = Instant::now();
    for (_, words) in &facts {
        let _ = query(&facts::args_of(words));
    }
    println!(
        "corpus: the same questions as whole commands (read, load, answer): {:.0} ms in all",
        ms(start.elapsed())
    );
}

fn sweep_questions() -> Vec<Question> {
    let specs: [(&str, &str, &str, &[&str]); 12] = [
        (
            "guest",
            "s3:GetObject",
            "arn:aws:s3:::bench-data-1/private/{other}/x",
            &[],
        ),
        (
            "guest",
            "s3:PutObject",
            "arn:aws:s3:::bench-data-1/private/{self}/x",
            &[],
        ),
        (
            "guest",
            "s3:ListBucket",
            "arn:aws:s3:::bench-data-2",
            &["s3:prefix=private/{other}/"],
        ),
        (
            "guest",
            "dynamodb:GetItem",
            "arn:aws:dynamodb:us-east-1:123456789012:table/bench-3",
            &["dynamodb:LeadingKeys+={other}"],
        ),
        (
            "user",
            "s3:GetObject",
            "arn:aws:s3:::bench-data-4/private/{other}/x",
            &[],
        ),
        (
            "user",
            "s3:GetObject",
            "arn:aws:s3:::bench-data-4/private/{self}/x",
            &[],
        ),
        (
            "user",
            "s3:DeleteObject",
            "arn:aws:s3:::bench-data-5/private/{other}/x",
            &[],
        ),
        (
            "user",
            "dynamodb:PutItem",
            "arn:aws:dynamodb:us-east-1:123456789012:table/bench-6",
            &["dynamodb:LeadingKeys={other}"],
        ),
        (
            "user",
            "sqs:SendMessage",
            "arn:aws:sqs:us-east-1:123456789012:bench-queue-1",
            &[],
        ),
        (
            "external",
            "s3:GetObject",
            "arn:aws:s3:::bench-data-7/private/{other}/x",
            &[],
        ),
        (
            "external",
            "iam:PassRole",
            "arn:aws:iam::123456789012:role/svc-0002-lambda",
            &[],
        ),
        (
            "guest",
            "sts:AssumeRole",
            "arn:aws:iam::123456789012:role/ops-0007-admin",
            &[],
        ),
    ];
    specs
        .iter()
        .map(|(principal, action, resource, context)| {
            let context: Vec<String> = context.iter().map(|c| c.to_string()).collect();
            Question::from_args(principal, action, resource, &[], &context, None)
                .expect("the sweep's questions parse")
        })
        .collect()
}

fn sweep(roles: usize, runs: usize) {
    let files = synthetic::generate(roles);
    let dir: PathBuf = std::env::temp_dir().join(format!(
        "poolscope-query-bench-{}-{roles}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    for (name, text) in &files {
        std::fs::write(dir.join(name), text).expect("write snapshot file");
    }
    let start = Instant::now();
    let loaded = load_paths(std::slice::from_ref(&dir));
    let load = start.elapsed();
    assert!(!loaded.input_failed, "the synthetic account loads");
    let questions = sweep_questions();
    let mut best = Duration::MAX;
    let mut verdicts = Vec::new();
    let (mut routes, mut escalations) = (0, 0);
    for _ in 0..runs {
        verdicts.clear();
        (routes, escalations) = (0, 0);
        let start = Instant::now();
        for question in &questions {
            let report = query_inventory(&loaded.inventory, question, 10_000)
                .expect("the sweep's questions name things in the account");
            verdicts.push(report.verdict.as_str());
            routes += report.routes.len();
            // Routes an escalation step opened: `STEP on `X` from `ROLE``.
            escalations += report
                .routes
                .iter()
                .filter(|r| r.how.contains("` from `") && !r.how.starts_with("sts:AssumeRole"))
                .count();
        }
        best = best.min(start.elapsed());
    }
    let unknown = verdicts.iter().filter(|v| **v == "unknown").count();
    println!(
        "sweep: {roles} roles: load {:.0} ms; {} questions in {:.0} ms (best of {runs}), \
         {:.1} ms per question; unknown: {unknown}; routes answered: {routes}, of which \
         {escalations} through escalation steps; verdicts: {}",
        ms(load),
        questions.len(),
        ms(best),
        ms(best) / questions.len() as f64,
        verdicts.join(" ")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    let numbers: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|arg| arg.parse().ok())
        .collect();
    let runs = numbers.first().copied().unwrap_or(3).max(1);
    let sizes: Vec<usize> = if numbers.len() > 1 {
        numbers[1..].to_vec()
    } else {
        vec![100, 1_000, 5_000]
    };
    corpus_latency(runs);
    for roles in sizes {
        sweep(roles, runs);
    }
}
