//! A span-aware YAML reader, for CloudFormation templates.
//!
//! YAML is tokenised by `saphyr-parser` (a YAML 1.2 parser that reports the
//! start and end of every event); this module builds the same located
//! [`Value`] tree the JSON reader builds, so the template reader, the policy
//! parser and every diagnostic work on YAML unchanged and point at the line
//! and column people edit.
//!
//! - CloudFormation's short-form tags are desugared into their long form:
//!   `!Ref X` is `{"Ref": "X"}`, `!Condition C` is `{"Condition": "C"}`,
//!   `!GetAtt A.B` is `{"Fn::GetAtt": ["A", "B"]}`, and every other local tag
//!   `!Name v` is `{"Fn::Name": v}` (an intrinsic the template reader does
//!   not know is then reported by it, not here).
//! - Plain scalars resolve as in the YAML 1.2 core schema: `null`/`~`/empty,
//!   `true`/`false`, integers and floats (kept as written, like JSON
//!   numbers); everything else, and every quoted scalar, is a string.
//! - Only the first document of a stream is read (a template is one
//!   document).
//! - Hostile input fails cleanly: nesting deeper than [`MAX_DEPTH`] is an
//!   error (the builder is recursive), and aliases may copy at most
//!   [`MAX_ALIASED_NODES`] nodes in all, so an alias bomb ("billion laughs")
//!   is an error, not an exhausted memory.

use std::collections::HashMap;
use std::sync::Arc;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span as YamlSpan, StrInput, Tag};

use super::{Kind, Location, Member, SourceFile, Span, Value, pointer_push};
use crate::diagnostic::Diagnostic;

/// Deeper nesting than any template needs (intrinsics nest a few levels
/// inside policy documents); the limit keeps the recursive builder safe.
pub const MAX_DEPTH: usize = 128;

/// How many nodes aliases may copy in one file. Real templates use a few
/// anchors, if any; "billion laughs" needs billions.
pub const MAX_ALIASED_NODES: usize = 100_000;

/// Reads the first YAML document of the file.
pub fn parse(file: &Arc<SourceFile>) -> Result<Value, Diagnostic> {
    let offsets = if file.text.is_ascii() {
        None
    } else {
        let mut offsets: Vec<usize> = file.text.char_indices().map(|(i, _)| i).collect();
        offsets.push(file.text.len());
        Some(offsets)
    };
    let mut builder = Builder {
        file: file.clone(),
        parser: Parser::new_from_str(&file.text),
        offsets,
        anchors: HashMap::new(),
        aliased_nodes: 0,
    };
    builder.document()
}

/// Reads a YAML document held in a string (tests, embedded text).
pub fn parse_str(label: &str, text: &str) -> Result<Value, Diagnostic> {
    parse(&SourceFile::new(label, text))
}

struct Builder<'a> {
    file: Arc<SourceFile>,
    parser: Parser<'a, StrInput<'a>>,
    /// Byte offset of each character index, when the text is not ASCII
    /// (saphyr's markers count characters).
    offsets: Option<Vec<usize>>,
    /// Anchored nodes, with how many nodes each holds.
    anchors: HashMap<usize, (Value, usize)>,
    aliased_nodes: usize,
}

/// A built node and how many nodes it holds (for the alias budget).
type Node = (Value, usize);

impl<'a> Builder<'a> {
    fn byte(&self, char_index: usize) -> usize {
        match &self.offsets {
            None => char_index.min(self.file.text.len()),
            Some(offsets) => offsets
                .get(char_index)
                .copied()
                .unwrap_or(self.file.text.len()),
        }
    }

    fn loc(&self, span: &YamlSpan, pointer: &str) -> Location {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index()).max(start);
        Location::new(self.file.clone(), Span::new(start, end), pointer)
    }

    fn error(&self, span: &YamlSpan, message: impl Into<String>, label: &str) -> Diagnostic {
        Diagnostic::error("yaml-syntax", message).at(&self.loc(span, ""), label)
    }

    fn scan_error(&self, error: &ScanError) -> Diagnostic {
        let at = self.byte(error.marker().index());
        let end = (at + 1).min(self.file.text.len()).max(at);
        let loc = Location::new(self.file.clone(), Span::new(at, end), "");
        Diagnostic::error("yaml-syntax", format!("invalid YAML: {}", error.info())).at(&loc, "here")
    }

    fn next(&mut self) -> Result<Option<(Event<'a>, YamlSpan)>, Diagnostic> {
        match self.parser.next() {
            None => Ok(None),
            Some(Ok(event)) => Ok(Some(event)),
            Some(Err(error)) => Err(self.scan_error(&error)),
        }
    }

    fn document(&mut self) -> Result<Value, Diagnostic> {
        loop {
            let Some((event, span)) = self.next()? else {
                return Ok(self.empty());
            };
            match event {
                Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => continue,
                Event::StreamEnd | Event::DocumentEnd => return Ok(self.empty()),
                event => return self.node(event, span, String::new(), 0).map(|(v, _)| v),
            }
        }
    }

    fn empty(&self) -> Value {
        Value {
            kind: Kind::Null,
            loc: Location::new(self.file.clone(), Span::new(0, 0), ""),
        }
    }

    fn node(
        &mut self,
        event: Event<'a>,
        span: YamlSpan,
        pointer: String,
        depth: usize,
    ) -> Result<Node, Diagnostic> {
        if depth >= MAX_DEPTH {
            return Err(Diagnostic::error(
                "yaml-too-deep",
                format!("YAML nested more than {MAX_DEPTH} levels deep"),
            )
            .at(&self.loc(&span, &pointer), "too deep")
            .with_help("no CloudFormation template nests this deep; the file is refused"));
        }
        let (anchor, tag, (value, nodes)) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let loc = self.loc(&span, &pointer);
                let kind = scalar(&text, style, tag.as_deref());
                (anchor, tag, (Value { kind, loc }, 1))
            }
            Event::SequenceStart(anchor, tag) => {
                let node = self.sequence(span, &pointer, depth)?;
                (anchor, tag, node)
            }
            Event::MappingStart(anchor, tag) => {
                let node = self.mapping(span, &pointer, depth)?;
                (anchor, tag, node)
            }
            Event::Alias(id) => return self.alias(id, &span, &pointer),
            _ => return Err(self.error(&span, "unexpected YAML event", "here")),
        };
        let (value, nodes) = match tag.as_deref() {
            Some(tag) if tag.handle == "!" => (desugar(&tag.suffix, value), nodes + 1),
            _ => (value, nodes),
        };
        if anchor != 0 {
            self.anchors.insert(anchor, (value.clone(), nodes));
        }
        Ok((value, nodes))
    }

    fn alias(&mut self, id: usize, span: &YamlSpan, pointer: &str) -> Result<Node, Diagnostic> {
        let Some((value, nodes)) = self.anchors.get(&id) else {
            return Err(self.error(span, "alias to an unknown anchor", "no anchor before this"));
        };
        self.aliased_nodes += nodes;
        if self.aliased_nodes > MAX_ALIASED_NODES {
            return Err(Diagnostic::error(
                "yaml-alias-limit",
                format!("YAML aliases expand to more than {MAX_ALIASED_NODES} nodes"),
            )
            .at(&self.loc(span, pointer), "this alias passes the limit")
            .with_help(
                "aliases that copy aliases grow exponentially (an \"alias bomb\"); \
                 the file is refused",
            ));
        }
        Ok((value.clone(), *nodes))
    }

    fn sequence(
        &mut self,
        start: YamlSpan,
        pointer: &str,
        depth: usize,
    ) -> Result<(Value, usize), Diagnostic> {
        let mut items = Vec::new();
        let mut nodes = 1;
        loop {
            let Some((event, span)) = self.next()? else {
                return Err(self.error(&start, "unterminated sequence", "opened here"));
            };
            if let Event::SequenceEnd = event {
                let end = items
                    .last()
                    .map_or(self.byte(span.end.index()), |v: &Value| v.loc.span.end);
                let loc = self.span_to(&start, end, pointer);
                return Ok((
                    Value {
                        kind: Kind::Array(items),
                        loc,
                    },
                    nodes,
                ));
            }
            let item_pointer = pointer_push(pointer, &items.len().to_string());
            let (value, count) = self.node(event, span, item_pointer, depth + 1)?;
            nodes += count;
            items.push(value);
        }
    }

    fn mapping(
        &mut self,
        start: YamlSpan,
        pointer: &str,
        depth: usize,
    ) -> Result<(Value, usize), Diagnostic> {
        let mut members: Vec<Member> = Vec::new();
        let mut nodes = 1;
        loop {
            let Some((event, span)) = self.next()? else {
                return Err(self.error(&start, "unterminated mapping", "opened here"));
            };
            let key = match event {
                Event::MappingEnd => {
                    let end = members
                        .last()
                        .map_or(self.byte(span.end.index()), |m| m.value.loc.span.end);
                    let loc = self.span_to(&start, end, pointer);
                    return Ok((
                        Value {
                            kind: Kind::Object(members),
                            loc,
                        },
                        nodes,
                    ));
                }
                Event::Scalar(text, ..) => text.into_owned(),
                _ => {
                    return Err(self.error(
                        &span,
                        "a mapping key that is not a plain value",
                        "keys must be strings",
                    ));
                }
            };
            let member_pointer = pointer_push(pointer, &key);
            let key_loc = self.loc(&span, &member_pointer);
            let Some((event, span)) = self.next()? else {
                return Err(self.error(&start, "unterminated mapping", "opened here"));
            };
            let (value, count) = self.node(event, span, member_pointer, depth + 1)?;
            nodes += count + 1;
            members.push(Member {
                key,
                key_loc,
                value,
            });
        }
    }

    fn span_to(&self, start: &YamlSpan, end: usize, pointer: &str) -> Location {
        let start = self.byte(start.start.index());
        Location::new(self.file.clone(), Span::new(start, end.max(start)), pointer)
    }
}

/// The long form of a CloudFormation short-form tag.
fn desugar(suffix: &str, value: Value) -> Value {
    let loc = value.loc.clone();
    let (key, value) = match suffix {
        "Ref" => ("Ref".to_string(), value),
        "Condition" => ("Condition".to_string(), value),
        // `!GetAtt Resource.Attribute`: the attribute may itself hold dots
        // (`Outputs.Name`), so only the first one splits.
        "GetAtt" => {
            let value = match value.as_str().and_then(|s| s.split_once('.')) {
                Some((resource, attribute)) => Value {
                    kind: Kind::Array(vec![
                        Value {
                            kind: Kind::String(resource.to_string()),
                            loc: loc.clone(),
                        },
                        Value {
                            kind: Kind::String(attribute.to_string()),
                            loc: loc.clone(),
                        },
                    ]),
                    loc: loc.clone(),
                },
                None => value,
            };
            ("Fn::GetAtt".to_string(), value)
        }
        other => (format!("Fn::{other}"), value),
    };
    Value {
        kind: Kind::Object(vec![Member {
            key,
            key_loc: loc.clone(),
            value,
        }]),
        loc,
    }
}

/// A scalar's value under the YAML 1.2 core schema.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Kind {
    let core = tag.filter(|t| t.is_yaml_core_schema());
    if style != ScalarStyle::Plain || core.is_some_and(|t| t.suffix == "str") {
        return Kind::String(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Kind::Null,
        "true" | "True" | "TRUE" => Kind::Bool(true),
        "false" | "False" | "FALSE" => Kind::Bool(false),
        _ if is_number(text) => Kind::Number(text.to_string()),
        _ => Kind::String(text.to_string()),
    }
}

/// Core-schema integers and floats (decimal; hex and octal integers and
/// `.inf`/`.nan` stay strings, which no template field needs as numbers).
fn is_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            (digits(whole) || whole.is_empty())
                && (digits(fraction) || fraction.is_empty())
                && !(whole.is_empty() && fraction.is_empty())
        }
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Value {
        parse_str("t.yaml", text).expect("valid YAML")
    }

    #[test]
    fn short_form_tags_become_long_form_with_their_spans() {
        let doc = parse(
            "Role:\n  Arn: !GetAtt AuthRole.Arn\n  Name: !Ref RoleName\n  \
             Path: !Sub '/${Env}/'\n  If: !If [IsProd, a, !Ref AWS::NoValue]\n",
        );
        let role = doc.get("Role").expect("Role");
        let arn = role
            .get("Arn")
            .expect("Arn")
            .get("Fn::GetAtt")
            .expect("GetAtt");
        let parts: Vec<_> = arn
            .as_array()
            .expect("two parts")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(parts, ["AuthRole", "Arn"]);
        let name = role.get("Name").expect("Name");
        assert_eq!(name.get("Ref").and_then(Value::as_str), Some("RoleName"));
        assert_eq!(name.loc.line_col(), (3, 9));
        assert_eq!(name.loc.pointer.as_ref(), "/Role/Name");
        let path = role.get("Path").expect("Path").get("Fn::Sub").expect("Sub");
        assert_eq!(path.as_str(), Some("/${Env}/"));
        let branches = role.get("If").expect("If").get("Fn::If").expect("If");
        let last = &branches.as_array().expect("three items")[2];
        assert_eq!(
            last.get("Ref").and_then(Value::as_str),
            Some("AWS::NoValue")
        );
    }

    #[test]
    fn plain_scalars_follow_the_core_schema() {
        let doc = parse("a: 12\nb: '12'\nc: true\nd: ~\ne: 2012-10-17\nf: 1.5e3\ng: 0x1F\n");
        let kinds: Vec<_> = ["a", "b", "c", "d", "e", "f", "g"]
            .iter()
            .map(|k| doc.get(k).expect("member").describe())
            .collect();
        assert_eq!(
            kinds,
            [
                "a number",
                "a string",
                "a boolean",
                "null",
                "a string",
                "a number",
                "a string"
            ]
        );
    }

    #[test]
    fn spans_count_bytes_after_non_ascii_text() {
        let doc = parse("# café\nkey: value\n");
        let value = doc.get("key").expect("key");
        assert_eq!(value.loc.snippet(), "value");
        assert_eq!(value.loc.line_col(), (2, 6));
    }

    #[test]
    fn syntax_errors_point_into_the_file() {
        let error = parse_str("t.yaml", "a: [1, 2\nb: 3\n").expect_err("invalid");
        assert_eq!(error.code, "yaml-syntax");
    }

    #[test]
    fn alias_bombs_are_refused_quickly() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..12 {
            let previous = level - 1;
            let refs = vec![format!("*a{previous}"); 10].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
        }
        let started = std::time::Instant::now();
        let error = parse_str("bomb.yaml", &text).expect_err("refused");
        assert_eq!(error.code, "yaml-alias-limit");
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        // A few aliases are fine.
        let doc = parse("base: &b {Effect: Allow}\ncopy: *b\n");
        let copy = doc.get("copy").expect("copy");
        assert_eq!(copy.get("Effect").and_then(Value::as_str), Some("Allow"));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let error = parse_str("deep.yaml", &nested(200)).expect_err("refused");
        assert_eq!(error.code, "yaml-too-deep");
        // saphyr-parser refuses this depth itself, before the builder sees it.
        let error = parse_str("deeper.yaml", &nested(10_000)).expect_err("refused");
        assert!(matches!(error.code, "yaml-too-deep" | "yaml-syntax"));
        let block: String = (0..10_000)
            .map(|i| format!("{}- \n", "  ".repeat(i)))
            .collect();
        assert!(parse_str("deep-block.yaml", &block).is_err());
    }
}
