//! Timing of the embedded AWS action catalogue: how long a fresh parse takes
//! (poolscope pays it once per run) and how fast the lookups are.
//!
//! Run: `cargo bench --bench catalogue` (optionally `-- <parses>`, default
//! 30). A plain binary without a harness: it prints one line per figure.

use std::hint::black_box;
use std::time::{Duration, Instant};

use poolscope::policy::catalogue::{BUILTIN_TEXT, Catalogue};

fn main() {
    let parses: usize = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(30);

    let mut times = Vec::with_capacity(parses);
    for _ in 0..parses {
        let start = Instant::now();
        let catalogue = Catalogue::parse(black_box(BUILTIN_TEXT));
        times.push(start.elapsed());
        assert!(catalogue.is_ok(), "the embedded catalogue parses");
        drop(black_box(catalogue));
    }
    times.sort();
    let mean = times.iter().sum::<Duration>() / parses.max(1) as u32;
    println!(
        "parse ({} KiB, {parses} runs): min {:.2} ms, median {:.2} ms, mean {:.2} ms, max {:.2} ms",
        BUILTIN_TEXT.len() / 1024,
        ms(times[0]),
        ms(times[parses / 2]),
        ms(mean),
        ms(times[parses - 1]),
    );

    let catalogue = Catalogue::builtin();
    let actions: usize = catalogue.services().map(|s| s.actions.len()).sum();
    println!(
        "catalogue: {} services, {actions} actions, source {} {}",
        catalogue.services().count(),
        catalogue.source().package,
        catalogue.source().version
    );

    rate("expand(\"s3:Get*\")", 2_000, 1, || {
        catalogue.expand(black_box("s3:Get*")).len()
    });
    rate("expand(\"*:Get*\")", 50, 1, || {
        catalogue.expand(black_box("*:Get*")).len()
    });
    let names = [
        "s3:GetObject",
        "S3:putobject",
        "iam:PassRole",
        "ec2:RunInstances",
        "cognito-identity:GetCredentialsForIdentity",
        "sts:AssumeRoleWithWebIdentity",
        "dynamodb:Query",
        "s3:GetObjekt",
    ];
    rate("action(..)", 200_000, names.len(), || {
        names
            .iter()
            .filter(|name| catalogue.action(black_box(name)).is_some())
            .count()
    });
    let keys = [
        "aws:SourceIp",
        "cognito-identity.amazonaws.com:aud",
        "s3:prefix",
        "aws:RequestTag/Owner",
        "s3:ExistingObjectTag/team",
        "aws:NoSuchKey",
    ];
    rate("condition_key(..)", 50_000, keys.len(), || {
        keys.iter()
            .filter(|key| catalogue.condition_key(black_box(key)).is_some())
            .count()
    });
    rate("suggest_action(\"s3:GetObjekt\")", 2_000, 1, || {
        usize::from(
            catalogue
                .suggest_action(black_box("s3:GetObjekt"))
                .is_some(),
        )
    });
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1_000.0
}

/// Runs `work` `rounds` times and prints operations per second; one call of
/// `work` performs `per_call` operations (lookups or expansions).
fn rate(label: &str, rounds: usize, per_call: usize, mut work: impl FnMut() -> usize) {
    let start = Instant::now();
    for _ in 0..rounds {
        black_box(work());
    }
    let elapsed = start.elapsed().as_secs_f64();
    let operations = (rounds * per_call) as f64;
    println!(
        "{label}: {:.0} per second ({:.2} µs each)",
        operations / elapsed,
        elapsed / operations * 1e6,
    );
}
