//! A span-aware JSON reader (RFC 8259).
//!
//! serde_json gives no locations, so poolscope reads JSON itself into a
//! [`Value`] tree where every value, and every object key, knows its byte span
//! and JSON pointer. The reader is strict (no comments, no trailing commas),
//! limits nesting depth so hostile input cannot overflow the stack, and turns
//! every syntax error into a [`Diagnostic`] pointing at the offending byte.

use std::sync::Arc;

use super::{Kind, Location, Member, SourceFile, Span, Value, pointer_push};
use crate::diagnostic::Diagnostic;

/// Deeper nesting than any IAM or Cognito document needs; the limit keeps a
/// recursive reader safe on hostile input.
pub const MAX_DEPTH: usize = 64;

/// Reads the whole file as one JSON value.
pub fn parse(file: &Arc<SourceFile>) -> Result<Value, Diagnostic> {
    let mut reader = Reader {
        file: file.clone(),
        bytes: file.text.as_bytes(),
        pos: 0,
    };
    if reader.bytes.starts_with("\u{feff}".as_bytes()) {
        reader.pos = 3;
    }
    reader.skip_ws();
    let value = reader.value(String::new(), 0)?;
    reader.skip_ws();
    if reader.pos < reader.bytes.len() {
        return Err(reader.error_here(
            "unexpected text after the JSON value",
            "this is not part of the document",
        ));
    }
    Ok(value)
}

/// Reads a JSON document held in a string (a policy embedded as a string in
/// another document, a command-line argument): locations point into a new
/// [`SourceFile`] with that label.
pub fn parse_str(label: &str, text: &str) -> Result<Value, Diagnostic> {
    parse(&SourceFile::new(label, text))
}

struct Reader<'a> {
    file: Arc<SourceFile>,
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn loc(&self, start: usize, end: usize, pointer: &str) -> Location {
        Location::new(self.file.clone(), Span::new(start, end), pointer)
    }

    fn error_at(&self, start: usize, end: usize, message: &str, label: &str) -> Diagnostic {
        Diagnostic::error("json-syntax", message).at(&self.loc(start, end, ""), label)
    }

    fn error_here(&self, message: &str, label: &str) -> Diagnostic {
        let end = self.next_char_end();
        self.error_at(self.pos, end, message, label)
    }

    fn next_char_end(&self) -> usize {
        let text = &self.file.text;
        let mut end = (self.pos + 1).min(text.len());
        while end < text.len() && !text.is_char_boundary(end) {
            end += 1;
        }
        end
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn value(&mut self, pointer: String, depth: usize) -> Result<Value, Diagnostic> {
        if depth >= MAX_DEPTH {
            return Err(self.error_here("JSON nested too deeply", "nesting exceeds the limit here"));
        }
        let start = self.pos;
        let kind = match self.peek() {
            None => {
                return Err(self
                    .error_at(
                        self.pos,
                        self.pos,
                        "unexpected end of file",
                        "a value was expected here",
                    )
                    .with_help("the document is empty or cut short"));
            }
            Some(b'{') => self.object(&pointer, depth)?,
            Some(b'[') => self.array(&pointer, depth)?,
            Some(b'"') => Kind::String(self.string()?),
            Some(b't') => self.keyword("true", Kind::Bool(true))?,
            Some(b'f') => self.keyword("false", Kind::Bool(false))?,
            Some(b'n') => self.keyword("null", Kind::Null)?,
            Some(b'-' | b'0'..=b'9') => Kind::Number(self.number()?),
            Some(b'\'') => {
                return Err(self
                    .error_here("strings must be in double quotes", "single quote")
                    .with_help("JSON allows only `\"` around strings"));
            }
            Some(b'/') => {
                return Err(
                    self.error_here("comments are not allowed in JSON", "comment starts here")
                );
            }
            Some(_) => return Err(self.error_here("expected a JSON value", "not a value")),
        };
        Ok(Value {
            kind,
            loc: self.loc(start, self.pos, &pointer),
        })
    }

    fn keyword(&mut self, word: &str, kind: Kind) -> Result<Kind, Diagnostic> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(kind)
        } else {
            Err(self.error_here("expected a JSON value", "not a value"))
        }
    }

    fn object(&mut self, pointer: &str, depth: usize) -> Result<Kind, Diagnostic> {
        let open = self.pos;
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Kind::Object(members));
        }
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') if !members.is_empty() => {
                    return Err(self
                        .error_here("trailing comma in object", "a key was expected before this")
                        .with_help("remove the comma after the last member"));
                }
                None => return Err(self.unclosed(open, "object")),
                _ => {
                    return Err(self
                        .error_here("expected a string key", "not a key")
                        .with_help("object keys must be double-quoted strings"));
                }
            }
            let key_start = self.pos;
            let key = self.string()?;
            let member_pointer = pointer_push(pointer, &key);
            let key_loc = self.loc(key_start, self.pos, &member_pointer);
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.error_here("expected `:` after the key", "`:` expected here"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(member_pointer, depth + 1)?;
            members.push(Member {
                key,
                key_loc,
                value,
            });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Kind::Object(members));
                }
                None => return Err(self.unclosed(open, "object")),
                _ => {
                    return Err(self
                        .error_here("expected `,` or `}` after an object member", "here")
                        .with_help("a comma may be missing between members"));
                }
            }
        }
    }

    fn array(&mut self, pointer: &str, depth: usize) -> Result<Kind, Diagnostic> {
        let open = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Kind::Array(items));
        }
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b']') => {
                    return Err(self
                        .error_here(
                            "trailing comma in array",
                            "a value was expected before this",
                        )
                        .with_help("remove the comma after the last element"));
                }
                None => return Err(self.unclosed(open, "array")),
                _ => {}
            }
            let item_pointer = pointer_push(pointer, &items.len().to_string());
            items.push(self.value(item_pointer, depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Kind::Array(items));
                }
                None => return Err(self.unclosed(open, "array")),
                _ => {
                    return Err(self
                        .error_here("expected `,` or `]` after an array element", "here")
                        .with_help("a comma may be missing between elements"));
                }
            }
        }
    }

    fn unclosed(&self, open: usize, what: &str) -> Diagnostic {
        Diagnostic::error(
            "json-syntax",
            format!("unexpected end of file inside an {what}"),
        )
        .at(
            &self.loc(open, open + 1, ""),
            format!("this {what} is never closed"),
        )
    }

    fn string(&mut self) -> Result<String, Diagnostic> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // The input is a &str and we stop only at ASCII bytes, so the run
            // is on character boundaries.
            out.push_str(&self.file.text[run_start..self.pos]);
            match self.peek() {
                None => {
                    return Err(Diagnostic::error("json-syntax", "unterminated string")
                        .at(&self.loc(open, open + 1, ""), "this string is never closed"));
                }
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(_) => {
                    return Err(self
                        .error_here("control character in string", "must be escaped")
                        .with_help("write a newline as `\\n` and a tab as `\\t`"));
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), Diagnostic> {
        let start = self.pos;
        self.pos += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let unit = self.hex4(start)?;
                let c = if (0xD800..0xDC00).contains(&unit) {
                    if !self.bytes[self.pos..].starts_with(b"\\u") {
                        return Err(self.bad_escape(start, "unpaired surrogate in `\\u` escape"));
                    }
                    self.pos += 2;
                    let low = self.hex4(start)?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(self.bad_escape(start, "unpaired surrogate in `\\u` escape"));
                    }
                    char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                } else {
                    char::from_u32(unit)
                };
                match c {
                    Some(c) => {
                        out.push(c);
                        return Ok(());
                    }
                    None => {
                        return Err(self.bad_escape(start, "unpaired surrogate in `\\u` escape"));
                    }
                }
            }
            _ => return Err(self.bad_escape(start, "invalid escape in string")),
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self, escape_start: usize) -> Result<u32, Diagnostic> {
        let digits = self.bytes.get(self.pos..self.pos + 4);
        let value = digits
            .and_then(|d| std::str::from_utf8(d).ok())
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|d| u32::from_str_radix(d, 16).ok());
        match value {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(self.bad_escape(escape_start, "`\\u` needs four hex digits")),
        }
    }

    fn bad_escape(&self, start: usize, message: &str) -> Diagnostic {
        let end = self.next_char_end().max(start + 1);
        self.error_at(start, end, message, "this escape")
            .with_help("valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX")
    }

    fn number(&mut self) -> Result<String, Diagnostic> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(self.error_at(
                        start,
                        self.pos + 1,
                        "numbers must not have leading zeros",
                        "leading zero",
                    ));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error_here("expected a digit", "digit expected here")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error_here("expected a digit after `.`", "digit expected here"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(
                    self.error_here("expected a digit in the exponent", "digit expected here")
                );
            }
            self.digits();
        }
        Ok(self.file.text[start..self.pos].to_string())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Value, Diagnostic> {
        parse_str("t.json", text)
    }

    fn error_line_col(text: &str) -> (usize, usize, String) {
        let err = read(text).expect_err("input is malformed");
        let (line, col) = err
            .location()
            .expect("syntax errors have a place")
            .line_col();
        (line, col, err.message)
    }

    #[test]
    fn values_keep_spans_and_pointers() {
        let doc = read("{\"Statement\": [ {\"Effect\": \"Allow\"} ]}").expect("valid");
        let effect = doc
            .get("Statement")
            .and_then(|s| s.as_array())
            .and_then(|a| a[0].get("Effect"))
            .expect("present");
        assert_eq!(effect.as_str(), Some("Allow"));
        assert_eq!(&*effect.loc.pointer, "/Statement/0/Effect");
        assert_eq!(effect.loc.snippet(), "\"Allow\"");
    }

    #[test]
    fn escapes_and_unicode_are_decoded() {
        let doc = read(r#"["a\"b\\c\/d\n", "\u00e9\ud83d\ude00", "é"]"#).expect("valid");
        let items: Vec<_> = doc
            .as_array()
            .expect("array")
            .iter()
            .map(|v| v.as_str().expect("string").to_string())
            .collect();
        assert_eq!(items, vec!["a\"b\\c/d\n", "é😀", "é"]);
    }

    #[test]
    fn numbers_are_kept_as_written() {
        let doc = read("[1.50, -0, 1e3]").expect("valid");
        let texts: Vec<_> = doc
            .as_array()
            .expect("array")
            .iter()
            .map(|v| v.scalar_text().expect("scalar"))
            .collect();
        assert_eq!(texts, vec!["1.50", "-0", "1e3"]);
    }

    #[test]
    fn syntax_errors_point_at_the_right_line_and_column() {
        assert_eq!(
            error_line_col("{\n  \"a\": 1,\n}"),
            (3, 1, "trailing comma in object".into())
        );
        assert_eq!(
            error_line_col("{\n  \"a\" 1\n}"),
            (2, 7, "expected `:` after the key".into())
        );
        assert_eq!(
            error_line_col("[1, 2"),
            (1, 1, "unexpected end of file inside an array".into())
        );
        assert_eq!(
            error_line_col("{\"a\": tru}"),
            (1, 7, "expected a JSON value".into())
        );
        assert_eq!(
            error_line_col("\"abc"),
            (1, 1, "unterminated string".into())
        );
        assert_eq!(
            error_line_col("[01]"),
            (1, 2, "numbers must not have leading zeros".into())
        );
        assert_eq!(
            error_line_col("{} x"),
            (1, 4, "unexpected text after the JSON value".into())
        );
        assert_eq!(
            error_line_col("\"\\x\""),
            (1, 2, "invalid escape in string".into())
        );
        assert_eq!(error_line_col(""), (1, 1, "unexpected end of file".into()));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = "[".repeat(100_000);
        let err = read(&text).expect_err("too deep");
        assert_eq!(err.message, "JSON nested too deeply");
    }

    #[test]
    fn agrees_with_serde_json_on_valid_documents() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"*","Condition":{"Bool":{"aws:SecureTransport":true}}}],"n":null,"x":[1.5,-2,3e2]}"#;
        let ours = read(text).expect("valid").to_json();
        let theirs: serde_json::Value = serde_json::from_str(text).expect("valid");
        assert_eq!(ours, theirs);
    }
}
