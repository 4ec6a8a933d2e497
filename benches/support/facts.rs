//! The facts the corpus READMEs state as `poolscope query … --expect …`
//! commands, read into query arguments. Shared by the corpus-facts test and
//! the query benchmark.

use std::path::PathBuf;

use poolscope::commands::query::QueryArgs;

/// Splits a shell command line the way the READMEs write them: words,
/// single- and double-quoted strings, and `\` line continuations.
pub fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

pub fn facts() -> Vec<(String, Vec<String>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut facts = Vec::new();
    let mut cases: Vec<_> = std::fs::read_dir(root.join("corpus"))
        .expect("corpus exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("README.md").is_file())
        .collect();
    cases.sort();
    for case in cases {
        let text = std::fs::read_to_string(case.join("README.md")).expect("readable README");
        let joined = text.replace("\\\n", " ");
        for line in joined.lines() {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("poolscope query ")
                && line.contains("--expect")
            {
                facts.push((line.to_string(), shell_words(rest)));
            }
        }
    }
    facts
}

pub fn args_of(words: &[String]) -> QueryArgs {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut args = QueryArgs {
        timeout_ms: 10_000,
        ..QueryArgs::default()
    };
    let mut i = 0;
    while i < words.len() {
        let value = || words.get(i + 1).cloned().unwrap_or_default();
        match words[i].as_str() {
            "--as" => args.question.principal = value(),
            "--action" => args.question.action = value(),
            "--resource" => args.question.resource = value(),
            "--claim" => args.question.claims.push(value()),
            "--context" => args.question.context.push(value()),
            "--expect" => args.expect = Some(value()),
            "--param" => args.inputs.params.push(value()),
            path => {
                args.inputs.paths.push(root.join(path));
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    args
}
