//! The snapshot directory: made empty, then filled with one file per
//! answer, in the shapes ingest reads (docs/cli-inputs.md).
//!
//! File names carry the pool, client, provider or bucket they hold, with
//! every character outside `A-Z a-z 0-9 . _ -` turned into `_` (identity
//! pool ids hold `:`, provider names `/`), so a snapshot copies to any file
//! system. Ingest never reads a name: the content says what a file is.

use std::path::Path;

use serde_json::Value;

use crate::diagnostic::Diagnostic;

/// How an answer is saved.
#[derive(Clone, Debug)]
pub enum Save {
    /// Not saved (a listing: its items are read one by one).
    No,
    /// As returned, at this path relative to the snapshot.
    As(String),
    /// With one more top-level member, the name the answer lacks
    /// (`{"Bucket": …, "Policy": …}`).
    With(String, &'static str, String),
}

impl Save {
    /// Writes the answer; the file written, relative to the snapshot.
    pub fn write(self, out: &Path, value: &Value) -> Result<Option<String>, Diagnostic> {
        let (path, value) = match self {
            Save::No => return Ok(None),
            Save::As(path) => (path, value.clone()),
            Save::With(path, key, name) => {
                let mut object = serde_json::Map::new();
                object.insert(key.to_string(), Value::String(name));
                if let Some(members) = value.as_object() {
                    object.extend(members.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
                (path, Value::Object(object))
            }
        };
        let text = serde_json::to_string_pretty(&value).expect("JSON values serialise");
        write_text(out, &path, &text)?;
        Ok(Some(path))
    }
}

/// `text` (plus a final newline) at `relative` under `out`, directories
/// made as needed.
pub fn write_text(out: &Path, relative: &str, text: &str) -> Result<(), Diagnostic> {
    let path = out.join(relative);
    let written = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&path, format!("{text}\n")));
    written.map_err(|e| {
        Diagnostic::error(
            "collect-write-failed",
            format!("cannot write `{}`: {e}", path.display()),
        )
    })
}

/// Makes `out` an empty directory: a snapshot is never mixed with files of
/// an older one, which would be read as the same account.
pub fn prepare(out: &Path) -> Result<(), Diagnostic> {
    let not_empty = |why: &str| {
        Diagnostic::error(
            "collect-out-not-empty",
            format!("`{}` {why}", out.display()),
        )
        .with_help("name a new or empty directory with `--out`")
    };
    if out.is_file() {
        return Err(not_empty("is a file"));
    }
    if out.is_dir() {
        let mut entries = std::fs::read_dir(out).map_err(|e| {
            Diagnostic::error(
                "collect-write-failed",
                format!("cannot read `{}`: {e}", out.display()),
            )
        })?;
        if entries.next().is_some() {
            return Err(not_empty("is not empty"));
        }
        return Ok(());
    }
    std::fs::create_dir_all(out).map_err(|e| {
        Diagnostic::error(
            "collect-write-failed",
            format!("cannot create `{}`: {e}", out.display()),
        )
    })
}

/// A name made safe for a file name.
pub fn file_part(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_safe_for_any_file_system() {
        assert_eq!(
            file_part("us-east-1:d39c1f39-701d"),
            "us-east-1_d39c1f39-701d"
        );
        assert_eq!(
            file_part("cognito-idp.us-east-1.amazonaws.com/us-east-1_Ph8"),
            "cognito-idp.us-east-1.amazonaws.com_us-east-1_Ph8"
        );
    }

    #[test]
    fn a_bucket_policy_is_saved_with_its_bucket_name_first() {
        let dir = std::env::temp_dir().join(format!("poolscope-save-{}", std::process::id()));
        prepare(&dir).expect("a new directory");
        let answer = serde_json::json!({"Policy": "{}"});
        let file = Save::With("s3/bucket-policy.b.json".into(), "Bucket", "b".into())
            .write(&dir, &answer)
            .expect("written");
        assert_eq!(file.as_deref(), Some("s3/bucket-policy.b.json"));
        let text = std::fs::read_to_string(dir.join("s3/bucket-policy.b.json")).expect("read");
        assert_eq!(text, "{\n  \"Bucket\": \"b\",\n  \"Policy\": \"{}\"\n}\n");
        assert_eq!(
            prepare(&dir).expect_err("not empty").code,
            "collect-out-not-empty"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
