//! The CI examples of docs/ci.md are real files (docs/examples/): each YAML
//! file parses and has the structure its CI expects, and every poolscope
//! command in them runs against a corpus case laid out as the examples
//! assume (`infra/`, `poolscope-spec.toml`, the base version in `$BASE`).
//! The shell recipe runs for real in a scratch git repository.

use std::path::{Path, PathBuf};
use std::process::Command;

use poolscope::source::{Kind, Value, yaml};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn example(name: &str) -> (String, Value) {
    let path = Path::new(ROOT).join("docs/examples").join(name);
    let text = std::fs::read_to_string(&path).expect("the example exists");
    let value = yaml::parse_str(name, &text).unwrap_or_else(|e| panic!("{name}: {e}"));
    (text, value)
}

fn member<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    match &value.kind {
        Kind::Object(members) => members.iter().find(|m| m.key == key).map(|m| &m.value),
        _ => None,
    }
}

fn strings<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match &value.kind {
        Kind::String(text) => out.push(text),
        Kind::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Kind::Object(members) => members.iter().for_each(|m| strings(&m.value, out)),
        _ => {}
    }
}

/// The poolscope command lines of an example.
fn commands(value: &Value) -> Vec<String> {
    let mut texts = Vec::new();
    strings(value, &mut texts);
    texts
        .iter()
        .flat_map(|t| t.lines())
        .map(str::trim)
        .filter(|l| l.starts_with("poolscope "))
        .map(str::to_string)
        .collect()
}

/// A scratch directory laid out as the examples assume.
struct Layout {
    dir: PathBuf,
}

impl Layout {
    fn new(name: &str) -> Layout {
        let dir = std::env::temp_dir().join(format!("poolscope-ci-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for target in [dir.join("infra"), dir.join("base/infra")] {
            std::fs::create_dir_all(&target).expect("scratch dir");
            for entry in std::fs::read_dir(Path::new(ROOT).join("corpus/amplify-storage"))
                .expect("corpus case")
            {
                let path = entry.expect("entry").path();
                if path.extension().is_some_and(|e| e == "json") {
                    std::fs::copy(&path, target.join(path.file_name().expect("name")))
                        .expect("copy");
                }
            }
        }
        std::fs::copy(
            Path::new(ROOT).join("corpus/amplify-storage/poolscope-spec.toml"),
            dir.join("poolscope-spec.toml"),
        )
        .expect("copy the spec");
        Layout { dir }
    }

    fn sh(&self, script: &str, args: &[&str]) -> std::process::Output {
        let bin = Path::new(env!("CARGO_BIN_EXE_poolscope"))
            .parent()
            .expect("bin dir")
            .to_path_buf();
        let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )))
        .expect("PATH");
        Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg("sh")
            .args(args)
            .current_dir(&self.dir)
            .env("PATH", path)
            .env("BASE", self.dir.join("base"))
            .env("NO_COLOR", "1")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .expect("sh runs")
    }
}

impl Drop for Layout {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs every poolscope command of an example: each exits 0 on an
/// unchanged corpus case whose spec holds, and what it writes is JSON.
fn run_commands(name: &str, value: &Value, expected: usize) {
    let commands = commands(value);
    assert_eq!(commands.len(), expected, "{name}: {commands:?}");
    let layout = Layout::new(name.trim_end_matches(".yml").trim_end_matches(".yaml"));
    for command in &commands {
        let out = layout.sh(command, &[]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: `{command}`\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if let Some((_, file)) = command.split_once("> ") {
            let written = std::fs::read_to_string(layout.dir.join(file.trim()))
                .unwrap_or_else(|_| panic!("{name}: `{command}` writes {file}"));
            let doc: serde_json::Value = serde_json::from_str(&written).expect("JSON");
            assert!(doc.get("version").is_some(), "{name}: {written}");
        }
    }
}

#[test]
fn the_github_workflow_checks_out_both_versions_and_uploads_sarif() {
    let (text, value) = example("github-actions.yml");
    let jobs = member(&value, "jobs").expect("jobs");
    let steps = member(member(jobs, "gate").expect("gate job"), "steps").expect("steps");
    let uses: Vec<&str> = match &steps.kind {
        Kind::Array(steps) => steps
            .iter()
            .filter_map(|s| member(s, "uses"))
            .filter_map(|u| match &u.kind {
                Kind::String(s) => Some(s.as_str()),
                _ => None,
            })
            .collect(),
        _ => panic!("steps is a list"),
    };
    assert!(uses.contains(&"actions/checkout@v4"), "{uses:?}");
    assert_eq!(
        uses.iter()
            .filter(|u| u.starts_with("github/codeql-action/upload-sarif"))
            .count(),
        2
    );
    assert!(member(&value, "on").is_some());
    assert!(text.contains("git worktree add"));
    run_commands("github-actions.yml", &value, 2);
}

#[test]
fn the_gitlab_jobs_run_diff_and_check() {
    let (text, value) = example("gitlab-ci.yml");
    for job in ["poolscope-diff", "poolscope-check"] {
        let job = member(&value, job).expect("the job");
        assert!(member(job, "script").is_some());
        assert!(member(job, "extends").is_some());
    }
    assert!(text.contains("git worktree add"));
    run_commands("gitlab-ci.yml", &value, 2);
}

#[test]
fn the_pre_commit_hook_runs_check() {
    let (_, value) = example("pre-commit-config.yaml");
    let repos = member(&value, "repos").expect("repos");
    let Kind::Array(repos) = &repos.kind else {
        panic!("repos is a list")
    };
    let hooks = member(&repos[0], "hooks").expect("hooks");
    let Kind::Array(hooks) = &hooks.kind else {
        panic!("hooks is a list")
    };
    assert!(
        matches!(&member(&hooks[0], "language").expect("language").kind,
        Kind::String(l) if l == "system")
    );
    run_commands("pre-commit-config.yaml", &value, 1);
}

// The shell recipe in a scratch repository: clean on the committed
// version, exit 1 once the working tree widens `private/` to every
// identity (tests/fixtures/diff/private-other).
#[test]
fn the_shell_recipe_gates_a_working_tree_change() {
    let layout = Layout::new("gate-sh");
    let script = Path::new(ROOT).join("docs/examples/gate.sh");
    let script = script.to_str().expect("UTF-8 path");
    let setup = layout.sh(
        "rm -rf base && git init -q . && git add . && git commit -q -m base",
        &[],
    );
    assert!(setup.status.success(), "{setup:?}");
    let clean = layout.sh(&format!("sh '{script}' HEAD"), &[]);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&clean.stdout),
        String::from_utf8_lossy(&clean.stderr)
    );
    std::fs::copy(
        Path::new(ROOT).join("tests/fixtures/diff/private-other/head/iam.json"),
        layout.dir.join("infra/iam.json"),
    )
    .expect("the change");
    let changed = layout.sh(&format!("sh '{script}' HEAD"), &[]);
    let stdout = String::from_utf8_lossy(&changed.stdout);
    assert_eq!(changed.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("new access for user"), "{stdout}");
}
