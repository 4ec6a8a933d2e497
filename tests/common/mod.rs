//! Running the real `poolscope` binary from CLI tests: no colour, a fixed
//! width, the repository as working directory, so output is reproducible.

use std::process::Command;

#[allow(dead_code)] // not every test file runs the binary
pub struct Run {
    pub stdout: String,
    #[allow(dead_code)] // not every test file reads stderr
    pub stderr: String,
    pub code: i32,
}

/// `poolscope SUBCOMMAND ARGS… --color never`.
#[allow(dead_code)] // not every test file runs the binary
pub fn poolscope(subcommand: &str, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_poolscope"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg(subcommand)
        .args(args)
        .args(["--color", "never"])
        .env("COLUMNS", "100")
        .output()
        .expect("the poolscope binary runs");
    Run {
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        code: output.status.code().expect("exited normally"),
    }
}

/// A corpus case's directory.
#[allow(dead_code)] // not every test file asks the corpus
pub fn corpus(case: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(case)
}

/// `query`'s verdict on `[principal, action, resource]` over `path`, with
/// `--param` values; the question must be answered without errors.
#[allow(dead_code)] // not every test file asks questions
pub fn verdict(
    path: std::path::PathBuf,
    params: &[&str],
    question: [&str; 3],
) -> poolscope::reach::Verdict {
    use poolscope::commands::query::{QueryArgs, query};
    use poolscope::diagnostic::Severity;
    use poolscope::ingest::Inputs;
    use poolscope::query::QuestionText;
    let [principal, action, resource] = question;
    let outcome = query(&QueryArgs {
        inputs: Inputs {
            params: params.iter().map(|p| p.to_string()).collect(),
            ..Inputs::paths([path])
        },
        question: QuestionText {
            principal: principal.to_string(),
            action: action.to_string(),
            resource: resource.to_string(),
            ..QuestionText::default()
        },
        timeout_ms: 20_000,
        ..QueryArgs::default()
    });
    let errors: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.message.clone())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    outcome.report.expect("the question is answered").verdict
}
