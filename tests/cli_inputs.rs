//! How the real binary finds and reads its inputs (docs/cli-inputs.md and
//! "Fail closed"): directory walks that end on symbolic link loops,
//! `--exclude`, directories that are always skipped, a broken file that
//! hides none of the others, and inputs that hold nothing to analyse.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Run, poolscope};

/// A fresh directory under cargo's temporary directory for integration
/// tests, removed when dropped (links inside are removed, not followed).
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-inputs-{name}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("the temporary directory is writable");
        Scratch(dir)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("temporary paths are UTF-8")
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.0.join(relative);
        let parent = path.parent().expect("a file has a parent");
        std::fs::create_dir_all(parent).expect("the temporary directory is writable");
        std::fs::write(path, text).expect("the temporary directory is writable");
    }

    /// Copies a file of the repository (a corpus case, a lint case).
    fn copy(&self, from: &str, relative: &str) {
        let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(from))
            .expect("the repository file exists");
        self.write(relative, &text);
    }

    fn link(&self, relative: &str, target: &str) {
        std::os::unix::fs::symlink(target, self.0.join(relative))
            .expect("symbolic links can be made");
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Like [`poolscope`], but the run is killed and the test fails when it has
/// not finished in time: a walk that follows a link loop must fail the
/// test, not hang the test run.
fn poolscope_in_time(subcommand: &str, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_poolscope"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg(subcommand)
        .args(args)
        .args(["--color", "never"])
        .env("COLUMNS", "100")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the poolscope binary runs");
    // Read both pipes while waiting, so a run with long output cannot block
    // on a full pipe and be mistaken for a hang.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("stdout is piped")));
    let stderr = drain(Box::new(child.stderr.take().expect("stderr is piped")));
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("the run can be waited for") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`poolscope {subcommand} {}` did not finish", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        stdout: stdout.join().expect("stdout is read"),
        stderr: stderr.join().expect("stderr is read"),
        code: status.code().expect("exited normally"),
    }
}

const BUCKET: &str = "arn:aws:s3:::photosharestorage3f2a9c1b142233-dev";

const AMPLIFY_FILES: [&str; 8] = [
    "bucket-policy.photosharestorage3f2a9c1b142233-dev.json",
    "groups.json",
    "iam.json",
    "identity-pool-roles.json",
    "identity-pool.json",
    "user-pool-client.json",
    "user-pool-client.native.json",
    "user-pool.json",
];

/// corpus/amplify-storage copied into `dir`.
fn amplify_storage(dir: &Scratch) {
    for file in AMPLIFY_FILES {
        dir.copy(&format!("corpus/amplify-storage/{file}"), file);
    }
}

/// A directory that links to itself twice over: read naively, it never
/// ends.
fn with_loops(dir: &Scratch) {
    dir.link("loop", ".");
    std::fs::create_dir_all(dir.0.join("nested")).expect("the directory is writable");
    dir.link("nested/back", "..");
}

fn findings_with_id<'a>(doc: &'a serde_json::Value, id: &str) -> Vec<&'a serde_json::Value> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["id"] == id)
        .collect()
}

/// Rendered text with its line wrapping undone: miette wraps help at the
/// terminal width, and temporary paths make the break points vary.
fn unwrapped(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("valid JSON")
}

// The reported defect: a link back to its parent made lint read one file
// 41 times; two such links ran until killed.
#[test]
fn lint_finishes_on_symbolic_link_loops_and_reads_each_file_once() {
    let dir = Scratch::new("lint-loops");
    dir.copy("tests/cases/lint/clean.json", "clean.json");
    with_loops(&dir);
    let run = poolscope_in_time("lint", &[dir.path(), "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let doc = json(&run.stdout);
    assert_eq!(doc["summary"]["files_read"], 1);
    let loops = findings_with_id(&doc, "input-symlink-loop");
    assert_eq!(loops.len(), 2, "{}", run.stdout);
    for finding in loops {
        assert_eq!(finding["severity"], "note");
        assert!(
            finding["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("skipped symbolic link loop at `")),
            "{finding}"
        );
    }
}

#[test]
fn query_finishes_on_symbolic_link_loops_with_the_same_verdict() {
    let dir = Scratch::new("query-loops");
    amplify_storage(&dir);
    with_loops(&dir);
    let resource = format!("{BUCKET}/private/{{other}}/*");
    let run = poolscope_in_time(
        "query",
        &[
            dir.path(),
            "--as",
            "guest",
            "--action",
            "s3:GetObject",
            "--resource",
            &resource,
            "--expect",
            "never",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(json(&run.stdout)["verdict"], "impossible");
    // Each file is read once: a second reading would warn that every role
    // appears twice.
    assert!(!run.stderr.contains("model-duplicate"), "{}", run.stderr);
}

#[test]
fn an_empty_directory_is_nothing_to_analyse() {
    let dir = Scratch::new("empty");
    let lint = poolscope("lint", &[dir.path()]);
    assert_eq!(lint.code, 2, "{}", lint.stdout);
    let stdout = unwrapped(&lint.stdout);
    assert!(
        stdout.contains("nothing to analyse: the inputs hold no policy"),
        "{stdout}"
    );
    assert!(stdout.contains("no input file was found"));
    let graph = poolscope("graph", &[dir.path()]);
    assert_eq!(graph.code, 2);
    assert_eq!(graph.stdout, "", "no graph is drawn");
    let stderr = unwrapped(&graph.stderr);
    assert!(
        stderr.contains("nothing to analyse: the inputs hold no identity pool, role or policy"),
        "{stderr}"
    );
    let explain = poolscope(
        "explain",
        &[
            dir.path(),
            "--as",
            "guest",
            "--action",
            "s3:GetObject",
            "--resource",
            "arn:aws:s3:::b/k",
        ],
    );
    assert_eq!(explain.code, 2);
    assert!(
        explain.stderr.contains("input-nothing-to-analyse"),
        "{}",
        explain.stderr
    );
}

#[test]
fn a_directory_with_only_package_json_is_nothing_to_analyse() {
    let dir = Scratch::new("package-json");
    dir.write("package.json", r#"{"name": "web", "version": "1.0.0"}"#);
    let query = poolscope(
        "query",
        &[
            dir.path(),
            "--as",
            "guest",
            "--action",
            "s3:GetObject",
            "--resource",
            "arn:aws:s3:::b/*",
        ],
    );
    assert_eq!(query.code, 2, "{}{}", query.stdout, query.stderr);
    assert_eq!(query.stdout, "", "no verdict is printed");
    assert!(
        query.stderr.contains("input-nothing-to-analyse"),
        "{}",
        query.stderr
    );
    // The error says what was passed over and what poolscope reads.
    let stderr = unwrapped(&query.stderr);
    assert!(
        stderr.contains("package.json`: not an input poolscope knows"),
        "{stderr}"
    );
    assert!(stderr.contains("poolscope reads IAM policy documents"));
    let lint = poolscope("lint", &[dir.path(), "--format", "json"]);
    assert_eq!(lint.code, 2, "{}", lint.stdout);
    let doc = json(&lint.stdout);
    let errors = findings_with_id(&doc, "input-nothing-to-analyse");
    assert_eq!(errors.len(), 1, "{}", lint.stdout);
    assert_eq!(errors[0]["severity"], "error");
    assert!(
        errors[0]["help"]
            .as_str()
            .is_some_and(|h| h.contains("package.json`: not an IAM policy document")),
        "{}",
        errors[0]
    );
}

// A template that declares no pool, role or policy holds nothing to
// analyse: a gate must not pass on it as if it had been checked.
#[test]
fn a_template_alone_is_nothing_to_analyse() {
    let dir = Scratch::new("template");
    dir.write(
        "stack.json",
        r#"{"Resources": {"Photos": {"Type": "AWS::S3::Bucket"}}}"#,
    );
    let run = poolscope("graph", &[dir.path()]);
    assert_eq!(run.code, 2);
    let stderr = unwrapped(&run.stderr);
    assert!(
        stderr.contains("none of the 1 file read holds one"),
        "{stderr}"
    );
}

#[test]
fn a_named_file_of_no_known_kind_is_an_error_and_a_walked_one_a_note() {
    let dir = Scratch::new("unknown-kind");
    amplify_storage(&dir);
    dir.write("package.json", r#"{"name": "web"}"#);
    let named = dir.0.join("package.json");
    let named = named.to_str().expect("temporary paths are UTF-8");
    let run = poolscope("graph", &[named]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("input-unknown-kind"), "{}", run.stderr);
    // The file's own error is enough: no second one for an empty model.
    assert!(!run.stderr.contains("input-nothing-to-analyse"));
    let walked = poolscope("graph", &[dir.path()]);
    assert_eq!(walked.code, 0, "{}", walked.stderr);
    assert!(walked.stdout.starts_with("digraph"), "{}", walked.stdout);
}

#[test]
fn exclude_skips_names_and_paths_while_walking() {
    let dir = Scratch::new("exclude");
    dir.copy("tests/cases/lint/clean.json", "clean.json");
    dir.copy("tests/cases/lint/broken-effect.json", "drafts/broken.json");
    dir.copy("tests/cases/lint/broken-effect.json", "old.bak.json");
    let lint = |extra: &[&str]| {
        let mut args = vec![dir.path(), "--format", "json"];
        args.extend_from_slice(extra);
        let run = poolscope("lint", &args);
        let doc = json(&run.stdout);
        (run.code, doc["summary"]["files_read"].clone())
    };
    assert_eq!(lint(&[]), (1, 3.into()));
    assert_eq!(lint(&["--exclude", "*.bak.json"]), (1, 2.into()));
    assert_eq!(
        lint(&["--exclude", "*.bak.json", "--exclude", "drafts/*.json"]),
        (0, 1.into())
    );
    // Without `/` (a trailing one is ignored), a glob matches a name at
    // any depth; with `/`, the path below the named directory.
    assert_eq!(
        lint(&["--exclude", "*.bak.json", "--exclude", "broken.json/"]),
        (0, 1.into())
    );
    assert_eq!(
        lint(&["--exclude", "*.bak.json", "--exclude", "*/x/broken.json"]),
        (1, 2.into())
    );
    assert_eq!(
        lint(&["--exclude", "*.bak.json", "--exclude", "drafts"]),
        (0, 1.into())
    );
    // A file named on the command line is read whatever the globs say.
    let named = dir.0.join("old.bak.json");
    let named = named.to_str().expect("temporary paths are UTF-8");
    let run = poolscope("lint", &[named, "--exclude", "*.bak.json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
}

#[test]
fn excluding_everything_leaves_nothing_to_analyse() {
    let dir = Scratch::new("exclude-all");
    amplify_storage(&dir);
    let run = poolscope("graph", &[dir.path(), "--exclude", "*.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("input-nothing-to-analyse"),
        "{}",
        run.stderr
    );
    let run = poolscope("graph", &[dir.path(), "--exclude", "user-pool*.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn an_exclude_that_is_not_a_glob_is_exit_two() {
    let run = poolscope("lint", &["tests/cases/lint", "--exclude", "[abc"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout.contains("`--exclude [abc` is not a usable glob"),
        "{}",
        run.stdout
    );
}

#[test]
fn git_node_modules_and_target_are_never_read() {
    let dir = Scratch::new("always-skipped");
    dir.copy("tests/cases/lint/clean.json", "clean.json");
    for skipped in [
        ".git",
        "node_modules/pkg",
        "target/debug",
        "web/node_modules",
    ] {
        dir.write(&format!("{skipped}/broken.json"), "{\"Statement\": ");
    }
    let run = poolscope("lint", &[dir.path()]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.ends_with("in 1 file read\n"), "{}", run.stdout);
}

/// A directory with a file that is not JSON, a policy with a bad `Effect`
/// and a clean policy.
fn broken_and_good(name: &str) -> Scratch {
    let dir = Scratch::new(name);
    dir.write("a-broken.json", "{\"Statement\": [");
    dir.copy("tests/cases/lint/broken-effect.json", "b-bad-effect.json");
    dir.copy("tests/cases/lint/clean.json", "c-clean.json");
    dir
}

#[test]
fn lint_diagnoses_every_file_when_one_is_broken() {
    let dir = broken_and_good("broken-lint");
    let run = poolscope("lint", &[dir.path(), "--format", "json"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    let doc = json(&run.stdout);
    assert_eq!(findings_with_id(&doc, "json-syntax").len(), 1);
    assert_eq!(findings_with_id(&doc, "policy-invalid-effect").len(), 1);
    // The policy with the bad `Effect` was validated, not only parsed.
    assert_eq!(findings_with_id(&doc, "policy-unknown-action").len(), 1);
    assert_eq!(doc["summary"]["files_read"], 3);
}

#[test]
fn query_explain_and_graph_report_every_file_when_one_is_broken() {
    let dir = broken_and_good("broken-model");
    let question = [
        "--as",
        "guest",
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::photos/k",
    ];
    for command in ["query", "explain", "graph"] {
        let mut args = vec![dir.path()];
        if command != "graph" {
            args.extend_from_slice(&question);
        }
        let run = poolscope(command, &args);
        assert_eq!(run.code, 2, "{command}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{command} prints no report");
        for code in ["json-syntax", "policy-invalid-effect"] {
            assert!(
                run.stderr.contains(code),
                "{command} does not report {code}:\n{}",
                run.stderr
            );
        }
        assert!(run.stderr.contains("a-broken.json"), "{}", run.stderr);
        assert!(run.stderr.contains("b-bad-effect.json"), "{}", run.stderr);
    }
}
