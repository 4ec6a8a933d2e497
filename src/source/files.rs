//! Finding and reading input files.
//!
//! `PATH` arguments name files or directories. Directories are walked
//! recursively for `.json`, `.yaml`, `.yml` and `.template` files, in sorted
//! order so every run sees the same sequence. The walk (the `walkdir` crate)
//! follows symbolic links to files and directories, but a link that leads
//! back into a directory the walk is already inside is a loop: it is skipped
//! with a note and never followed (docs/cli-inputs.md). A file reached
//! twice (through two links, or named and also found in a named directory)
//! is read once. Hidden entries, directories named `.git`, `node_modules` or
//! `target`, and whatever `--exclude` names ([`Exclude`]) are passed over
//! while walking; a file named on the command line is always read. A path
//! that does not exist or cannot be read is a diagnostic, never a panic.
//!
//! Hands on: the files found, with what the walk noticed ([`Collected`]),
//! and [`read`] to load one into a [`SourceFile`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

use super::SourceFile;
use crate::diagnostic::{Diagnostic, has_errors};

/// File endings read when walking a directory (docs/cli-inputs.md).
pub const INPUT_EXTENSIONS: [&str; 4] = ["json", "yaml", "yml", "template"];

/// Directories never walked into: version control, package managers' and
/// build tools' output, which hold copies or JSON that is not an input.
pub const ALWAYS_SKIPPED: [&str; 3] = [".git", "node_modules", "target"];

/// An input file found under the paths the user named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundFile {
    pub path: PathBuf,
    /// Named on the command line (not found by walking a directory): a named
    /// file of no known kind is an error, a walked one is skipped with a note.
    pub named: bool,
}

/// What [`collect`] found.
#[derive(Debug, Default)]
pub struct Collected {
    pub files: Vec<FoundFile>,
    /// Paths that are missing or cannot be read (errors: the caller stops
    /// with exit 2), symbolic link loops and files reached twice (notes).
    pub diagnostics: Vec<Diagnostic>,
}

impl Collected {
    /// Whether a named path is missing or something could not be read.
    pub fn failed(&self) -> bool {
        has_errors(&self.diagnostics)
    }

    fn add(&mut self, path: PathBuf, named: bool, seen: &mut HashMap<PathBuf, usize>) {
        // Two paths name the same file when they resolve to the same place;
        // a path that cannot be resolved is kept under its own name, and
        // reading it reports why.
        let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        let Some(&index) = seen.get(&key) else {
            seen.insert(key, self.files.len());
            self.files.push(FoundFile { path, named });
            return;
        };
        let first = &mut self.files[index];
        first.named |= named;
        if first.path != path {
            self.diagnostics.push(Diagnostic::note(
                "input-same-file",
                format!(
                    "`{}` is the same file as `{}`: read once",
                    path.display(),
                    first.path.display()
                ),
            ));
        }
    }
}

/// The `--exclude` globs, compiled.
///
/// A glob without `/` is matched against the name of every file and
/// directory below a named directory (`fixtures`, `*.bak.json`). A glob with
/// `/` is matched against an entry's path relative to the named directory,
/// where `*` and `?` do not cross `/` and `**` does (`legacy/*.json`,
/// `**/generated/*.json`). A leading `./` and trailing `/` are ignored. A
/// matching directory is skipped with everything in it. Paths named on the
/// command line are never excluded.
#[derive(Clone, Debug, Default)]
pub struct Exclude {
    /// Globs without `/`, matched against an entry's name.
    names: GlobSet,
    /// Globs with `/`, matched against the path below the named directory.
    paths: GlobSet,
}

impl Exclude {
    /// Nothing excluded beyond what every walk passes over.
    pub fn none() -> Exclude {
        Exclude::default()
    }

    /// Compiles the globs of `--exclude`; a glob that does not compile is a
    /// usage error (exit 2).
    pub fn new(globs: &[String]) -> Result<Exclude, Vec<Diagnostic>> {
        let mut names = GlobSetBuilder::new();
        let mut paths = GlobSetBuilder::new();
        let mut problems = Vec::new();
        for raw in globs {
            let glob = raw.strip_prefix("./").unwrap_or(raw).trim_end_matches('/');
            if glob.is_empty() {
                problems.push(bad_glob(raw, "it matches nothing"));
                continue;
            }
            match GlobBuilder::new(glob).literal_separator(true).build() {
                Ok(compiled) if glob.contains('/') => {
                    paths.add(compiled);
                }
                Ok(compiled) => {
                    names.add(compiled);
                }
                Err(err) => problems.push(bad_glob(raw, &err.kind().to_string())),
            }
        }
        let (names, paths) = match (names.build(), paths.build()) {
            (Ok(names), Ok(paths)) => (names, paths),
            (Err(err), _) | (_, Err(err)) => {
                problems.push(bad_glob(&globs.join(" "), &err.kind().to_string()));
                return Err(problems);
            }
        };
        if problems.is_empty() {
            Ok(Exclude { names, paths })
        } else {
            Err(problems)
        }
    }

    /// Whether an entry below a named directory is excluded; `relative` is
    /// its path from that directory.
    fn matches(&self, relative: &Path) -> bool {
        relative
            .file_name()
            .is_some_and(|name| self.names.is_match(name))
            || self.paths.is_match(relative)
    }
}

fn bad_glob(glob: &str, why: &str) -> Diagnostic {
    Diagnostic::error(
        "input-invalid-exclude",
        format!("`--exclude {glob}` is not a usable glob: {why}"),
    )
    .with_help(
        "a glob without `/` matches file and directory names (`*.bak.json`, `fixtures`); \
         one with `/` matches the path below the named directory (`legacy/*.json`, \
         `**/generated/*.json`)",
    )
}

/// Expands the paths into the files to read. Missing paths are reported and
/// left out; the caller decides whether that is fatal (it is: exit 2).
pub fn collect(paths: &[PathBuf], exclude: &Exclude) -> Collected {
    let mut collected = Collected::default();
    let mut seen = HashMap::new();
    for path in paths {
        if path.is_dir() {
            walk(path, exclude, &mut collected, &mut seen);
        } else if path.is_file() {
            collected.add(path.clone(), true, &mut seen);
        } else {
            collected.diagnostics.push(
                Diagnostic::error(
                    "input-not-found",
                    format!("`{}` does not exist", path.display()),
                )
                .with_help("name a file or a directory of JSON/YAML inputs"),
            );
        }
    }
    collected
}

fn walk(
    root: &Path,
    exclude: &Exclude,
    collected: &mut Collected,
    seen: &mut HashMap<PathBuf, usize>,
) {
    // `follow_links` makes walkdir compare every linked directory with the
    // directories above it and report a loop instead of descending.
    let entries = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| !passed_over(root, entry.path(), exclude));
    for entry in entries {
        match entry {
            Ok(entry) => {
                if entry.file_type().is_file() && has_input_extension(entry.path()) {
                    collected.add(entry.into_path(), false, seen);
                }
            }
            Err(err) => walk_problem(root, &err, exclude, collected),
        }
    }
}

/// Whether the walk leaves an entry out: hidden, always skipped, or
/// excluded. The named directory itself is never left out (`poolscope lint
/// .` or `poolscope lint target/` walk what they name).
fn passed_over(root: &Path, path: &Path, exclude: &Exclude) -> bool {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let Some(name) = relative.file_name() else {
        return false;
    };
    let name = name.to_string_lossy();
    name.starts_with('.') || ALWAYS_SKIPPED.contains(&name.as_ref()) || exclude.matches(relative)
}

fn walk_problem(root: &Path, err: &walkdir::Error, exclude: &Exclude, collected: &mut Collected) {
    let Some(path) = err.path() else {
        collected.diagnostics.push(Diagnostic::error(
            "input-unreadable",
            format!("cannot read directory `{}`: {err}", root.display()),
        ));
        return;
    };
    // walkdir follows a link before the filter sees it, so a loop or a
    // dangling link may be one the walk would have passed over anyway.
    if passed_over(root, path, exclude) {
        return;
    }
    if let Some(ancestor) = err.loop_ancestor() {
        collected.diagnostics.push(
            Diagnostic::note(
                "input-symlink-loop",
                format!("skipped symbolic link loop at `{}`", path.display()),
            )
            .with_help(format!(
                "the link leads back to `{}`, which is already being read",
                ancestor.display()
            )),
        );
        return;
    }
    // Only what the walk would have read is worth an error: a dangling link
    // named `notes.txt` would have been passed over had it resolved.
    if !(path.is_dir() || has_input_extension(path)) {
        return;
    }
    let why = err
        .io_error()
        .map_or_else(|| err.to_string(), ToString::to_string);
    let mut diagnostic = Diagnostic::error(
        "input-unreadable",
        format!("cannot read `{}`: {why}", path.display()),
    );
    if path.is_symlink() && !path.exists() {
        diagnostic = diagnostic.with_help("it is a symbolic link to a path that does not exist");
    }
    collected.diagnostics.push(diagnostic);
}

pub fn has_input_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| INPUT_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Whether the file should be read as YAML rather than JSON.
pub fn is_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// Reads a file into a [`SourceFile`]; not UTF-8 or unreadable is a diagnostic.
pub fn read(path: &Path) -> Result<Arc<SourceFile>, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|err| {
        Diagnostic::error(
            "input-unreadable",
            format!("cannot read `{}`: {err}", path.display()),
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|err| {
        Diagnostic::error(
            "input-not-utf8",
            format!(
                "`{}` is not UTF-8 text (invalid byte at offset {})",
                path.display(),
                err.utf8_error().valid_up_to()
            ),
        )
        .with_help("poolscope reads JSON and YAML files, which are UTF-8")
    })?;
    Ok(SourceFile::new(path.display().to_string(), text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    /// A fresh directory under the system's temporary directory, removed
    /// when dropped (links inside are removed, never followed).
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir =
                std::env::temp_dir().join(format!("poolscope-files-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("temp dir is writable");
            Scratch(dir)
        }

        fn file(&self, relative: &str) -> PathBuf {
            let path = self.0.join(relative);
            let parent = path.parent().expect("a file has a parent");
            std::fs::create_dir_all(parent).expect("temp dir is writable");
            std::fs::write(&path, "{}").expect("temp dir is writable");
            path
        }

        #[cfg(unix)]
        fn link(&self, relative: &str, target: &str) {
            let path = self.0.join(relative);
            let parent = path.parent().expect("a link has a parent");
            std::fs::create_dir_all(parent).expect("temp dir is writable");
            std::os::unix::fs::symlink(target, path).expect("symbolic links can be made");
        }

        /// The files found, relative to the scratch directory.
        fn relative(&self, collected: &Collected) -> Vec<String> {
            collected
                .files
                .iter()
                .map(|f| {
                    f.path
                        .strip_prefix(&self.0)
                        .unwrap_or(&f.path)
                        .display()
                        .to_string()
                })
                .collect()
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// Runs [`collect`] on a thread and fails the test if it has not finished
    /// in time: a walk that loops must fail, not hang the test run.
    fn collect_in_time(paths: Vec<PathBuf>, exclude: Exclude) -> Collected {
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = send.send(collect(&paths, &exclude));
        });
        receive
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("the walk finishes")
    }

    fn exclude(globs: &[&str]) -> Exclude {
        let globs: Vec<String> = globs.iter().map(|g| g.to_string()).collect();
        Exclude::new(&globs).expect("the globs compile")
    }

    fn codes(collected: &Collected) -> Vec<&'static str> {
        collected.diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn directories_are_walked_in_sorted_order_and_missing_paths_reported() {
        let dir = Scratch::new("sorted");
        dir.file("b.json");
        dir.file("sub/a.yaml");
        dir.file("a.template");
        std::fs::write(dir.0.join("notes.txt"), "x").expect("temp dir is writable");
        let collected = collect(
            &[dir.0.clone(), dir.0.join("missing.json")],
            &Exclude::none(),
        );
        assert_eq!(
            dir.relative(&collected),
            ["a.template", "b.json", "sub/a.yaml"]
        );
        assert!(collected.files.iter().all(|f| !f.named));
        assert_eq!(codes(&collected), ["input-not-found"]);
        assert!(collected.failed());
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_link_loops_are_skipped_with_a_note_and_the_walk_finishes() {
        let dir = Scratch::new("loops");
        dir.file("x.json");
        dir.file("a/y.json");
        dir.link("loop", ".");
        dir.link("a/back", "..");
        let collected = collect_in_time(vec![dir.0.clone()], Exclude::none());
        assert_eq!(dir.relative(&collected), ["a/y.json", "x.json"]);
        assert_eq!(
            codes(&collected),
            ["input-symlink-loop", "input-symlink-loop"]
        );
        assert!(
            collected
                .diagnostics
                .iter()
                .all(|d| d.severity == Severity::Note)
        );
        let messages: Vec<&str> = collected
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            messages,
            [
                format!(
                    "skipped symbolic link loop at `{}`",
                    dir.0.join("a/back").display()
                ),
                format!(
                    "skipped symbolic link loop at `{}`",
                    dir.0.join("loop").display()
                ),
            ]
        );
        assert!(!collected.failed());
    }

    #[cfg(unix)]
    #[test]
    fn links_to_files_and_directories_are_followed_and_a_file_is_read_once() {
        let outside = Scratch::new("outside");
        outside.file("shared/role.json");
        let dir = Scratch::new("links");
        dir.file("own.json");
        let shared = outside.0.join("shared");
        let shared = shared.to_str().expect("temp paths are UTF-8");
        dir.link("first", shared);
        dir.link("second", shared);
        dir.link("same.json", "own.json");
        let collected = collect_in_time(vec![dir.0.clone()], Exclude::none());
        assert_eq!(dir.relative(&collected), ["first/role.json", "own.json"]);
        assert_eq!(codes(&collected), ["input-same-file", "input-same-file"]);
        assert_eq!(
            collected.diagnostics[1].message,
            format!(
                "`{}` is the same file as `{}`: read once",
                dir.0.join("second/role.json").display(),
                dir.0.join("first/role.json").display()
            )
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_dangling_link_is_an_error_only_where_an_input_would_be() {
        let dir = Scratch::new("dangling");
        dir.link("gone.json", "nowhere.json");
        dir.link("gone.txt", "nowhere.txt");
        let collected = collect(std::slice::from_ref(&dir.0), &Exclude::none());
        assert!(collected.files.is_empty());
        assert_eq!(codes(&collected), ["input-unreadable"]);
        assert!(collected.diagnostics[0].message.contains("gone.json"));
        assert!(collected.failed());
    }

    #[test]
    fn hidden_entries_and_git_node_modules_and_target_are_passed_over() {
        let dir = Scratch::new("skipped");
        dir.file("keep.json");
        dir.file(".hidden.json");
        dir.file(".cache/a.json");
        dir.file(".git/config.json");
        dir.file("node_modules/pkg/package.json");
        dir.file("web/node_modules/pkg/package.json");
        dir.file("target/debug/out.json");
        let collected = collect(std::slice::from_ref(&dir.0), &Exclude::none());
        assert_eq!(dir.relative(&collected), ["keep.json"]);
        assert!(collected.diagnostics.is_empty());
        // A directory the user names is walked whatever its name.
        let named = collect(&[dir.0.join("target")], &Exclude::none());
        assert_eq!(dir.relative(&named), ["target/debug/out.json"]);
    }

    #[test]
    fn excluded_names_and_paths_are_passed_over_but_named_files_are_read() {
        let dir = Scratch::new("exclude");
        dir.file("a.json");
        dir.file("a.bak.json");
        dir.file("fixtures/f.json");
        dir.file("deep/fixtures/g.json");
        dir.file("legacy/old.json");
        dir.file("legacy/keep/kept.json");
        dir.file("src/generated/gen.json");
        dir.file("src/other.json");
        let globs = exclude(&[
            "*.bak.json",
            "fixtures/",
            "./legacy/*.json",
            "**/generated/*.json",
        ]);
        let collected = collect(std::slice::from_ref(&dir.0), &globs);
        assert_eq!(
            dir.relative(&collected),
            ["a.json", "legacy/keep/kept.json", "src/other.json"]
        );
        let named = collect(&[dir.0.join("a.bak.json")], &globs);
        assert_eq!(dir.relative(&named), ["a.bak.json"]);
        assert!(named.files[0].named);
    }

    #[test]
    fn a_glob_that_does_not_compile_is_an_error() {
        let problems = Exclude::new(&["[abc".to_string(), "".to_string()])
            .expect_err("the globs are rejected");
        let codes: Vec<_> = problems.iter().map(|d| (d.code, d.severity)).collect();
        assert_eq!(
            codes,
            [
                ("input-invalid-exclude", Severity::Error),
                ("input-invalid-exclude", Severity::Error)
            ]
        );
        assert!(
            problems[0]
                .message
                .starts_with("`--exclude [abc` is not a usable glob")
        );
    }
}
