//! `poolscope collect` against a local AWS emulator: moto in server mode,
//! behind a small front (tests/fixtures/collect/front.py) that serves the
//! calls moto lacks, seeded (tests/fixtures/collect/seed.py) with the
//! corpus case `amplify-storage`. The snapshot must give the same audit and
//! the same README facts as the corpus files; a call the emulator refuses
//! must leave an explicit unknown, not a missing resource.
//!
//! Needs `moto_server` (moto 5.2 with its server extra), `aws` (the AWS CLI,
//! v1 or v2), `python3` with boto3: `.ci/run` installs them when missing.

mod common;

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use poolscope::commands::ExitStatus;
use poolscope::commands::query::query;
use poolscope::ingest::Inputs;

#[path = "../benches/support/facts.rs"]
mod facts;

const CASE: &str = "amplify-storage";
const BUCKET: &str = "photosharestorage3f2a9c1b142233-dev";
const INSTALL: &str = "install the emulator and the CLI: \
                       python3 -m pip install 'moto[server]==5.2.1' 'awscli==1.45.11' boto3";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/collect")
}

/// Fails with install instructions when a tool is missing.
fn require(program: &str, arg: &str) {
    let found = Command::new(program)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    assert!(
        found.is_ok(),
        "`{program}` is not installed or not on PATH: {INSTALL}"
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free local port")
        .port()
}

/// moto_server and the front, stopped (by their own handles) on drop.
struct Emulator {
    moto: Child,
    front: Child,
    moto_port: u16,
    front_port: u16,
    dir: PathBuf,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.front.kill();
        let _ = self.moto.kill();
        let _ = self.front.wait();
        let _ = self.moto.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Emulator {
    /// Starts moto and the front, and seeds the corpus case; `deny` names
    /// operations the front refuses with AccessDenied.
    fn start(name: &str, deny: &[&str]) -> Emulator {
        require("moto_server", "--help");
        require("aws", "--version");
        require("python3", "--version");
        let dir =
            std::env::temp_dir().join(format!("poolscope-collect-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        let moto_port = free_port();
        let moto = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &moto_port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("moto_server does not start ({e}): {INSTALL}"));
        let mut front = Command::new("python3")
            .arg(fixtures().join("front.py"))
            .args(["--moto", &format!("http://127.0.0.1:{moto_port}")])
            .arg("--fixture")
            .arg(dir.join("fixture.json"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs the front");
        let mut line = String::new();
        BufReader::new(front.stdout.take().expect("piped stdout"))
            .read_line(&mut line)
            .expect("the front prints its port");
        let front_port: u16 = line.trim().parse().expect("a port number");
        let emulator = Emulator {
            moto,
            front,
            moto_port,
            front_port,
            dir,
        };
        emulator.wait_for_moto();
        let seeded = Command::new("python3")
            .arg(fixtures().join("seed.py"))
            .args(["--endpoint", &emulator.moto_url()])
            .arg("--case")
            .arg(common::corpus(CASE))
            .arg("--fixture")
            .arg(emulator.dir.join("fixture.json"))
            .args(deny.iter().flat_map(|d| ["--deny", d]))
            .output()
            .expect("python3 runs the seeding script");
        assert!(
            seeded.status.success(),
            "seeding failed (boto3 missing? {INSTALL}):\n{}",
            String::from_utf8_lossy(&seeded.stderr)
        );
        emulator
    }

    fn moto_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.moto_port)
    }

    fn wait_for_moto(&self) {
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.moto_port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "moto_server did not listen within 60 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn snapshot(&self) -> PathBuf {
        self.dir.join("snapshot")
    }

    /// `poolscope collect` with dummy credentials, through the front.
    fn collect(&self) -> Output {
        let front = format!("http://127.0.0.1:{}", self.front_port);
        Command::new(env!("CARGO_BIN_EXE_poolscope"))
            .arg("collect")
            .arg("--out")
            .arg(self.snapshot())
            .args(["--region", "us-east-1", "--endpoint-url", &front])
            .args(["--color", "never"])
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_CONFIG_FILE", self.dir.join("no-config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                self.dir.join("no-credentials"),
            )
            .env("HTTP_PROXY", &front)
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_SESSION_TOKEN")
            .env_remove("NO_PROXY")
            .env_remove("no_proxy")
            .output()
            .expect("poolscope runs")
    }

    fn manifest(&self) -> serde_json::Value {
        let text = std::fs::read_to_string(self.snapshot().join("poolscope-snapshot.json"))
            .expect("the manifest is written");
        serde_json::from_str(&text).expect("the manifest is JSON")
    }
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_poolscope"))
        .args(args)
        .args(["--color", "never"])
        .output()
        .expect("poolscope runs")
}

/// `(check id, severity)` of every finding of `audit --format json`, sorted.
fn audit_findings(path: &Path) -> (Vec<(String, String)>, i32) {
    let out = run(&["audit", &path.display().to_string(), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("audit prints JSON");
    let mut findings: Vec<(String, String)> = report["findings"]
        .as_array()
        .expect("a findings list")
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap_or_default().to_string(),
                f["severity"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    findings.sort();
    (findings, out.status.code().expect("exited"))
}

#[test]
fn a_collected_emulated_account_gives_the_corpus_verdicts() {
    let emulator = Emulator::start("same", &[]);
    let out = emulator.collect();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let manifest = emulator.manifest();
    assert_eq!(manifest["PoolscopeSnapshot"], 1);
    assert_eq!(manifest["Account"], "123456789012");
    let calls = manifest["Calls"].as_array().expect("calls");
    let failed: Vec<_> = calls.iter().filter(|c| c["Outcome"] == "failed").collect();
    assert!(failed.is_empty(), "{failed:?}");
    // The bucket named by the roles' policies was read, and the account has
    // no Block Public Access configuration.
    assert!(
        calls
            .iter()
            .any(|c| c["Call"] == "s3api get-bucket-policy" && c["Outcome"] == "ok"),
        "{calls:?}"
    );
    assert!(
        calls
            .iter()
            .any(|c| c["Call"] == "s3control get-public-access-block" && c["Outcome"] == "none")
    );
    let snapshot = emulator.snapshot();
    assert!(
        snapshot
            .join(format!("s3/bucket-policy.{BUCKET}.json"))
            .is_file()
    );

    // The same audit findings and exit code as the corpus files.
    let corpus = audit_findings(&common::corpus(CASE));
    assert!(!corpus.0.is_empty(), "the corpus case has findings");
    assert_eq!(audit_findings(&snapshot), corpus);

    // Every fact of the case's README holds on the snapshot.
    let mut asked = 0;
    let mut failed = Vec::new();
    for (line, words) in facts::facts() {
        if !line.contains(&format!("corpus/{CASE} ")) {
            continue;
        }
        let mut args = facts::args_of(&words);
        args.inputs = Inputs::paths([snapshot.clone()]);
        asked += 1;
        let outcome = query(&args);
        if outcome.status != ExitStatus::Clean {
            let got = outcome
                .report
                .map(|r| format!("{} ({})", r.verdict.as_str(), r.summary))
                .unwrap_or_else(|| format!("{:?}", outcome.diagnostics));
            failed.push(format!("{line}\n    got: {got}"));
        }
    }
    assert!(asked >= 15, "the README states {asked} facts");
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn an_access_denied_call_is_an_explicit_unknown() {
    let emulator = Emulator::start("denied", &["GetBucketPolicy"]);
    let out = emulator.collect();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The snapshot is written, and incomplete: exit 3.
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("s3api get-bucket-policy"), "{stderr}");
    let manifest = emulator.manifest();
    let denied: Vec<_> = manifest["Calls"]
        .as_array()
        .expect("calls")
        .iter()
        .filter(|c| c["Outcome"] == "failed")
        .collect();
    assert_eq!(denied.len(), 1, "{denied:?}");
    assert_eq!(denied[0]["Call"], "s3api get-bucket-policy");
    assert_eq!(denied[0]["ErrorCode"], "AccessDenied");
    assert_eq!(
        denied[0]["Reads"],
        serde_json::json!({"Kind": "bucket-policy", "Bucket": BUCKET})
    );

    let snapshot = emulator.snapshot().display().to_string();
    // On the corpus, guests read public files: possible. Here the bucket's
    // policy (which may deny) was not read: unknown, exit 3.
    let resource = format!("arn:aws:s3:::{BUCKET}/public/banner.png");
    let question = [
        "--as",
        "guest",
        "--action",
        "s3:GetObject",
        "--resource",
        &resource,
    ];
    let corpus = common::corpus(CASE).display().to_string();
    let on_corpus = run(&[&["query", &corpus][..], &question].concat());
    assert_eq!(on_corpus.status.code(), Some(0));
    let out = run(&[&["query", &snapshot, "--format", "json"][..], &question].concat());
    assert_eq!(out.status.code(), Some(3));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["verdict"], "unknown");
    let unread = report["unreadable"][0].as_str().expect("what was not read");
    assert!(
        unread.starts_with(&format!(
            "the policy of bucket `{BUCKET}` could not be read"
        )),
        "{unread}"
    );
    // `--expect never` cannot pass on it either.
    let out = run(&[&["query", &snapshot, "--expect", "never"][..], &question].concat());
    assert_eq!(out.status.code(), Some(3));
    // explain evaluates on what was read, and says the answer is unknown.
    let out = run(&[&["explain", &snapshot, "--format", "json"][..], &question].concat());
    assert_eq!(out.status.code(), Some(3));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["verdict"], "unknown");
    assert_eq!(report["decision_on_what_was_read"], "allowed");

    // A question no unread part can change is answered as on the corpus.
    let sns = [
        "--as",
        "role:sns3f2a9c1b142233-dev",
        "--action",
        "sns:Publish",
        "--resource",
        "arn:aws:sns:us-east-1:123456789012:*",
        "--expect",
        "possible",
    ];
    assert_eq!(
        run(&[&["query", &snapshot][..], &sns].concat())
            .status
            .code(),
        Some(0)
    );

    // The audit reports the incomplete snapshot and does not pass.
    let out = run(&["audit", &snapshot]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("snapshot-incomplete"), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "the snapshot is incomplete: the policy of bucket `{BUCKET}`"
        )),
        "{stderr}"
    );
}

/// What stops a collection before any AWS call is answered: exit 2 with the
/// diagnostic that says what to do, and no snapshot.
#[test]
fn no_credentials_no_cli_or_a_used_directory_stop_the_collection() {
    require("aws", "--version");
    let dir = std::env::temp_dir().join(format!("poolscope-collect-stop-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let collect = |out: &Path, program: Option<&str>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_poolscope"));
        command
            .arg("collect")
            .arg("--out")
            .arg(out)
            .args(["--region", "us-east-1", "--color", "never"])
            .env("AWS_CONFIG_FILE", dir.join("no-config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("no-credentials"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env_remove("AWS_SESSION_TOKEN")
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
            .env_remove("AWS_CONTAINER_CREDENTIALS_FULL_URI")
            .env_remove("AWS_WEB_IDENTITY_TOKEN_FILE");
        if let Some(program) = program {
            command.env("POOLSCOPE_AWS_CLI", program);
        }
        command.output().expect("poolscope runs")
    };
    let out = collect(&dir.join("a"), None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("collect-no-credentials"), "{stderr}");
    assert!(!dir.join("a/poolscope-snapshot.json").exists());

    let out = collect(&dir.join("b"), Some("/nonexistent/aws"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("collect-no-aws-cli"), "{stderr}");

    std::fs::write(dir.join("c.txt"), "x").expect("a file");
    let out = collect(&dir, None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("collect-out-not-empty"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
