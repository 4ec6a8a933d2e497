//! Finding and reading input files.
//!
//! `PATH` arguments name files or directories; directories are read
//! recursively for `.json`, `.yaml`, `.yml` and `.template` files, in sorted
//! order so every run sees the same sequence. A path that does not exist or
//! cannot be read is a diagnostic, never a panic.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::SourceFile;
use crate::diagnostic::Diagnostic;

/// File endings read when walking a directory (PRODUCT.md, "Inputs").
pub const INPUT_EXTENSIONS: [&str; 4] = ["json", "yaml", "yml", "template"];

/// An input file found under the paths the user named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundFile {
    pub path: PathBuf,
    /// Named on the command line (not found by walking a directory): a named
    /// file of no known kind is an error, a walked one is skipped with a note.
    pub named: bool,
}

/// Expands the paths into the files to read. Missing paths are reported and
/// left out; the caller decides whether that is fatal (it is: exit 2).
pub fn collect(paths: &[PathBuf]) -> (Vec<FoundFile>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut found, &mut problems);
        } else if path.is_file() {
            found.push(FoundFile {
                path: path.clone(),
                named: true,
            });
        } else {
            problems.push(
                Diagnostic::error(
                    "input-not-found",
                    format!("`{}` does not exist", path.display()),
                )
                .with_help("name a file or a directory of JSON/YAML inputs"),
            );
        }
    }
    (found, problems)
}

fn walk(dir: &Path, found: &mut Vec<FoundFile>, problems: &mut Vec<Diagnostic>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            problems.push(Diagnostic::error(
                "input-unreadable",
                format!("cannot read directory `{}`: {err}", dir.display()),
            ));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, found, problems);
        } else if has_input_extension(&path) {
            found.push(FoundFile { path, named: false });
        }
    }
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

    #[test]
    fn directories_are_walked_in_sorted_order_and_missing_paths_reported() {
        let dir = std::env::temp_dir().join(format!("poolscope-files-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).expect("temp dir is writable");
        std::fs::write(dir.join("b.json"), "{}").expect("temp dir is writable");
        std::fs::write(dir.join("sub/a.yaml"), "{}").expect("temp dir is writable");
        std::fs::write(dir.join("notes.txt"), "x").expect("temp dir is writable");
        let (found, problems) = collect(&[dir.clone(), dir.join("missing.json")]);
        let names: Vec<_> = found
            .iter()
            .map(|f| f.path.strip_prefix(&dir).expect("under dir").to_path_buf())
            .collect();
        assert_eq!(
            names,
            vec![PathBuf::from("b.json"), PathBuf::from("sub/a.yaml")]
        );
        assert!(found.iter().all(|f| !f.named));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, "input-not-found");
        std::fs::remove_dir_all(&dir).expect("temp dir is removable");
    }
}
