//! The layers of docs/architecture.md, enforced: no module of `src/` imports
//! (`crate::…`) from a layer above its own. Test code (`tests.rs` files and
//! `#[cfg(test)]` modules) may reach anywhere.

use std::path::Path;

/// docs/architecture.md, lowest first; modules on one line share a layer.
const LAYERS: [&[&str]; 16] = [
    &["source", "diagnostic"],
    &["policy"],
    &["query"],
    &["eval"],
    &["cognito"],
    &["model"],
    &["ingest"],
    &["smt"],
    &["reach"],
    &["explain"],
    &["checks"],
    &["gate"],
    &["report"],
    &["collect"],
    &["commands"],
    &["cli"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The modules a source text names as `crate::MODULE`, outside test code.
fn imported_modules(text: &str) -> Vec<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or(text);
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.push(name);
        }
    }
    out
}

#[test]
fn no_module_imports_from_a_layer_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut upward = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src");
        let top = relative
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .map(|c| c.trim_end_matches(".rs").to_string())
            .unwrap_or_default();
        let is_test = relative.ends_with("tests.rs")
            || relative.components().any(|c| c.as_os_str() == "tests");
        let Some(own) = layer(&top) else {
            // lib.rs and main.rs stand above every layer.
            assert!(
                top == "lib" || top == "main",
                "`src/{}` is in no layer of docs/architecture.md",
                relative.display()
            );
            continue;
        };
        if is_test {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("source is readable");
        for module in imported_modules(&text) {
            if let Some(theirs) = layer(&module)
                && theirs > own
            {
                upward.push(format!(
                    "src/{} imports crate::{module}",
                    relative.display()
                ));
            }
        }
    }
    upward.sort();
    upward.dedup();
    assert!(
        upward.is_empty(),
        "imports from a layer above:\n{}",
        upward.join("\n")
    );
}

#[test]
fn the_scan_sees_imports() {
    assert_eq!(
        imported_modules(
            "use crate::model::Inventory;\nuse crate::eval::{x};\n#[cfg(test)]\nuse crate::cli;"
        ),
        vec!["model", "eval"]
    );
}
