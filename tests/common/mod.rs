//! Running the real `poolscope` binary from CLI tests: no colour, a fixed
//! width, the repository as working directory, so output is reproducible.

use std::process::Command;

pub struct Run {
    pub stdout: String,
    #[allow(dead_code)] // not every test file reads stderr
    pub stderr: String,
    pub code: i32,
}

/// `poolscope SUBCOMMAND ARGS… --color never`.
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
