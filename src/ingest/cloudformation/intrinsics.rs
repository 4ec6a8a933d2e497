//! Evaluating a template: parameters, pseudo parameters, conditions,
//! mappings and intrinsic functions → plain located values.
//!
//! [`Stack::eval`] turns a template value into the value CloudFormation
//! would hand the resource: `Ref`, `Fn::GetAtt`, `Fn::Sub` (both forms),
//! `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::FindInMap`, `Fn::If` (with
//! `AWS::NoValue`, which removes the member or item), `Fn::ImportValue`
//! (against the `Export`s of every loaded template); conditions evaluate
//! `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not` and `Condition`;
//! `Fn::Base64`, `Fn::Cidr` (IPv4), `Fn::Length` and `Fn::ToJsonString` are
//! computed. What cannot be known becomes an unknown marker
//! ([`super::unknown`]) with a warning at the expression; `Fn::GetAZs`
//! (account-specific) and `Fn::Transform` are unknown too. The result keeps
//! locations: a literal keeps its own, the result of an intrinsic takes the
//! location of the expression, so diagnostics point into the template.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::source::{Kind, Location, Member, SourceFile, Span, Value};

use crate::ingest::unknown;

use super::nested::{Catalog, Nested};

/// Pseudo parameters (CloudFormation User Guide, "Pseudo parameters
/// reference"), after `--param`.
#[derive(Clone, Debug)]
pub struct Pseudo {
    pub account: String,
    pub region: String,
    pub partition: String,
    pub url_suffix: String,
    pub stack_name: String,
    /// The stack name is poolscope's guess (the file name), not given by
    /// `--param`, a CDK manifest or a parent stack's.
    pub stack_name_guessed: bool,
}

/// A resource as declared: its type and properties.
#[derive(Clone, Debug)]
pub struct Declared<'t> {
    pub logical_id: String,
    pub resource_type: String,
    /// `None` for resources SAM creates implicitly (a function's role).
    pub properties: Option<&'t Value>,
    /// The resource's `Condition`, when it has one.
    pub condition: Option<&'t Value>,
    /// Created by SAM for a function, and read with it.
    pub implicit: bool,
    /// The resource's `Metadata` (the CDK's `aws:asset:path` for nested
    /// stacks).
    pub metadata: Option<&'t Value>,
    pub loc: Location,
}

/// A parameter's value: given (`--param`, `Default`) or unknown.
#[derive(Clone, Debug)]
enum Param {
    Known(Value),
    Unknown,
}

/// One template being evaluated.
pub struct Stack<'t> {
    pub file: Arc<SourceFile>,
    pub pseudo: Pseudo,
    pub(super) doc: &'t Value,
    parameters: HashMap<String, Param>,
    mappings: Option<&'t Value>,
    condition_defs: HashMap<String, &'t Value>,
    conditions: HashMap<String, Option<bool>>,
    pub resources: Vec<Declared<'t>>,
    by_logical_id: HashMap<String, usize>,
    pub(super) exports: HashMap<String, Value>,
    /// Every loaded template, for nested stacks; `None` reads every nested
    /// stack's outputs as unknown.
    pub(super) catalog: Option<&'t Catalog<'t>>,
    /// Nested stacks evaluated so far, by logical id; `None` while one is
    /// being evaluated (a cycle reads as unknown).
    pub(super) nested: HashMap<String, Option<Rc<Nested>>>,
    /// How many parents this stack has.
    pub(super) depth: usize,
    /// Resources whose name is being evaluated (a reference cycle guard).
    naming: HashSet<String>,
    warned: HashSet<Span>,
    pub diagnostics: Vec<Diagnostic>,
}

impl std::fmt::Debug for Stack<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stack")
            .field("file", &self.file.path)
            .finish()
    }
}

/// Intrinsics whose result depends on the account or on code poolscope
/// does not run: `Fn::GetAZs` (the zones an account sees differ by
/// account), `Fn::Transform` (a macro). Their result is unknown.
const NOT_EVALUATED: [&str; 2] = ["Fn::GetAZs", "Fn::Transform"];

impl<'t> Stack<'t> {
    pub fn new(
        file: Arc<SourceFile>,
        doc: &'t Value,
        pseudo: Pseudo,
        params: &HashMap<String, (String, Location)>,
        exports: HashMap<String, Value>,
    ) -> Stack<'t> {
        let mut stack = Stack {
            file,
            pseudo,
            doc,
            parameters: HashMap::new(),
            mappings: doc.get("Mappings"),
            condition_defs: HashMap::new(),
            conditions: HashMap::new(),
            resources: Vec::new(),
            by_logical_id: HashMap::new(),
            exports,
            catalog: None,
            nested: HashMap::new(),
            depth: 0,
            naming: HashSet::new(),
            warned: HashSet::new(),
            diagnostics: Vec::new(),
        };
        let given: HashMap<String, Value> = params
            .iter()
            .map(|(key, (text, loc))| (key.clone(), string(text, loc)))
            .collect();
        stack.set_parameters(&given);
        for member in doc
            .get("Conditions")
            .and_then(Value::as_object)
            .unwrap_or(&[])
        {
            stack
                .condition_defs
                .insert(member.key.clone(), &member.value);
        }
        for member in doc
            .get("Resources")
            .and_then(Value::as_object)
            .unwrap_or(&[])
        {
            let Some(resource_type) = member.value.get("Type").and_then(Value::as_str) else {
                continue;
            };
            let properties = member.value.get("Properties");
            // SAM creates `<Function>Role` for a function without `Role`.
            if resource_type == "AWS::Serverless::Function"
                && properties.and_then(|p| p.get("Role")).is_none()
            {
                stack.declare(Declared {
                    logical_id: format!("{}Role", member.key),
                    resource_type: "AWS::IAM::Role".to_string(),
                    properties: None,
                    condition: member.value.get("Condition"),
                    implicit: true,
                    metadata: None,
                    loc: member.value.loc.clone(),
                });
            }
            stack.declare(Declared {
                logical_id: member.key.clone(),
                resource_type: resource_type.to_string(),
                properties,
                condition: member.value.get("Condition"),
                implicit: false,
                metadata: member.value.get("Metadata"),
                loc: member.value.loc.clone(),
            });
        }
        stack
    }

    /// Gives each declared parameter its value: `given` (the `--param`
    /// values, or what a parent stack passes), else its `Default`, else
    /// unknown; list types split at commas.
    pub(super) fn set_parameters(&mut self, given: &HashMap<String, Value>) {
        for member in self
            .doc
            .get("Parameters")
            .and_then(Value::as_object)
            .unwrap_or(&[])
        {
            let list = member
                .value
                .get("Type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.starts_with("List<") || t == "CommaDelimitedList");
            let given = given
                .get(&member.key)
                .cloned()
                .or_else(|| member.value.get("Default").cloned());
            let param = match given {
                Some(value) if list => match value.scalar_text() {
                    Some(text) if !unknown::is_unknown(&text) => Param::Known(Value {
                        kind: Kind::Array(text.split(',').map(|s| string(s, &value.loc)).collect()),
                        loc: value.loc,
                    }),
                    _ => Param::Known(value),
                },
                Some(value) => Param::Known(value),
                None => Param::Unknown,
            };
            self.parameters.insert(member.key.clone(), param);
        }
    }

    fn declare(&mut self, declared: Declared<'t>) {
        self.by_logical_id
            .insert(declared.logical_id.clone(), self.resources.len());
        self.resources.push(declared);
    }

    pub fn resource(&self, logical_id: &str) -> Option<&Declared<'t>> {
        self.by_logical_id
            .get(logical_id)
            .map(|&i| &self.resources[i])
    }

    /// An unknown value at `at`, reported once per location.
    pub fn unknown(&mut self, what: &str, at: &Location, help: &str) -> Value {
        if self.warned.insert(at.span) {
            self.diagnostics.push(
                Diagnostic::warning(
                    "cfn-unknown-value",
                    format!("`{what}` has no value poolscope can know: taken as any value"),
                )
                .at(at, "unknown here")
                .with_help(help.to_string()),
            );
        }
        string(&unknown::marker(what), at)
    }

    fn malformed(&mut self, function: &str, at: &Location, expected: &str) -> Value {
        self.diagnostics.push(
            Diagnostic::error(
                "cfn-bad-intrinsic",
                format!("`{function}` should be {expected}"),
            )
            .at(at, "malformed here"),
        );
        string(&unknown::marker(function), at)
    }

    /// The value CloudFormation would use for `value`; `None` for
    /// `AWS::NoValue`.
    pub fn eval(&mut self, value: &Value) -> Option<Value> {
        match &value.kind {
            Kind::Object(members) => {
                if let [member] = members.as_slice()
                    && (member.key == "Ref" || member.key.starts_with("Fn::"))
                {
                    return self.intrinsic(&member.key, &member.value, &value.loc);
                }
                let mut out = Vec::with_capacity(members.len());
                for member in members {
                    if let Some(evaluated) = self.eval(&member.value) {
                        out.push(Member {
                            key: member.key.clone(),
                            key_loc: member.key_loc.clone(),
                            value: evaluated,
                        });
                    }
                }
                Some(Value {
                    kind: Kind::Object(out),
                    loc: value.loc.clone(),
                })
            }
            Kind::Array(items) => Some(Value {
                kind: Kind::Array(items.iter().filter_map(|item| self.eval(item)).collect()),
                loc: value.loc.clone(),
            }),
            _ => Some(value.clone()),
        }
    }

    /// Evaluates to a string (scalars as CloudFormation stringifies them).
    fn eval_text(&mut self, value: &Value, function: &str) -> Option<String> {
        let evaluated = self.eval(value)?;
        match evaluated.scalar_text() {
            Some(text) => Some(text),
            None => {
                let bad = self.malformed(function, &value.loc, "given strings");
                bad.as_str().map(str::to_string)
            }
        }
    }

    fn intrinsic(&mut self, function: &str, args: &Value, at: &Location) -> Option<Value> {
        match function {
            "Ref" => match args.as_str() {
                Some(name) => self.reference(name, at),
                None => Some(self.malformed("Ref", at, "the name of a parameter or resource")),
            },
            "Fn::GetAtt" => Some(self.get_att(args, at)),
            "Fn::Sub" => Some(self.sub(args, at)),
            "Fn::Join" => Some(self.join(args, at)),
            "Fn::Select" => self.select(args, at),
            "Fn::Split" => Some(self.split(args, at)),
            "Fn::FindInMap" => self.find_in_map(args, at),
            "Fn::If" => self.fn_if(args, at),
            "Fn::ImportValue" => Some(self.import_value(args, at)),
            "Fn::Base64" => Some(self.base64(args, at)),
            "Fn::Cidr" => Some(self.cidr(args, at)),
            "Fn::Length" => Some(self.length(args, at)),
            "Fn::ToJsonString" => Some(self.json_string(args, at)),
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" => {
                let result = self.condition_value(&Value {
                    kind: Kind::Object(vec![Member {
                        key: function.to_string(),
                        key_loc: at.clone(),
                        value: args.clone(),
                    }]),
                    loc: at.clone(),
                });
                Some(match result {
                    Some(b) => Value {
                        kind: Kind::Bool(b),
                        loc: at.clone(),
                    },
                    None => self.unknown(function, at, "the condition depends on unknown values"),
                })
            }
            other => {
                let help = if NOT_EVALUATED.contains(&other) {
                    format!("poolscope does not evaluate `{other}`")
                } else {
                    format!("`{other}` is not an intrinsic function poolscope knows")
                };
                Some(self.unknown(other, at, &help))
            }
        }
    }

    /// `Ref NAME`: a parameter, a pseudo parameter or a resource.
    pub fn reference(&mut self, name: &str, at: &Location) -> Option<Value> {
        let pseudo = match name {
            "AWS::NoValue" => return None,
            "AWS::AccountId" => Some(self.pseudo.account.clone()),
            "AWS::Region" => Some(self.pseudo.region.clone()),
            "AWS::Partition" => Some(self.pseudo.partition.clone()),
            "AWS::URLSuffix" => Some(self.pseudo.url_suffix.clone()),
            "AWS::StackName" => Some(self.pseudo.stack_name.clone()),
            "AWS::StackId" => Some(format!(
                "arn:{}:cloudformation:{}:{}:stack/{}/generated",
                self.pseudo.partition,
                self.pseudo.region,
                self.pseudo.account,
                self.pseudo.stack_name
            )),
            _ => None,
        };
        if let Some(text) = pseudo {
            return Some(string(&text, at));
        }
        if name == "AWS::NotificationARNs" {
            return Some(self.unknown(
                "Ref AWS::NotificationARNs",
                at,
                "set when the stack is created",
            ));
        }
        if let Some(param) = self.parameters.get(name) {
            return Some(match param.clone() {
                Param::Known(value) => relocate(value, at),
                Param::Unknown => self.unknown(
                    &format!("Ref {name}"),
                    at,
                    &format!("the parameter has no `Default`: pass `--param {name}=VALUE`"),
                ),
            });
        }
        if self.by_logical_id.contains_key(name) {
            let id = self.physical_id(name, at);
            return Some(string(&id, at));
        }
        self.diagnostics.push(
            Diagnostic::error(
                "cfn-unknown-reference",
                format!("`{name}` is no parameter, pseudo parameter or resource of the template"),
            )
            .at(at, "referenced here"),
        );
        Some(string(&unknown::marker(&format!("Ref {name}")), at))
    }

    fn get_att(&mut self, args: &Value, at: &Location) -> Value {
        let parts: Option<(String, String)> = match &args.kind {
            Kind::String(text) => text
                .split_once('.')
                .map(|(r, a)| (r.to_string(), a.to_string())),
            Kind::Array(items) if items.len() == 2 => {
                let resource = items[0].as_str().map(str::to_string);
                let attribute = self.eval(&items[1]).and_then(|v| v.scalar_text());
                resource.zip(attribute)
            }
            _ => None,
        };
        let Some((resource, attribute)) = parts else {
            return self.malformed("Fn::GetAtt", at, "[resource, attribute]");
        };
        if !self.by_logical_id.contains_key(&resource) {
            self.diagnostics.push(
                Diagnostic::error(
                    "cfn-unknown-reference",
                    format!("`{resource}` is no resource of the template"),
                )
                .at(at, "referenced here"),
            );
            return string(
                &unknown::marker(&format!("Fn::GetAtt {resource}.{attribute}")),
                at,
            );
        }
        if let Some(output) = attribute.strip_prefix("Outputs.")
            && self
                .resource(&resource)
                .is_some_and(|r| r.resource_type == "AWS::CloudFormation::Stack")
        {
            return self.stack_output(&resource, output, at);
        }
        match self.attribute(&resource, &attribute, at) {
            Some(text) => string(&text, at),
            None => self.unknown(
                &format!("Fn::GetAtt {resource}.{attribute}"),
                at,
                "poolscope does not compute this attribute",
            ),
        }
    }

    fn sub(&mut self, args: &Value, at: &Location) -> Value {
        let (template, variables) = match &args.kind {
            Kind::String(text) => (text.clone(), None),
            Kind::Array(items) if items.len() == 2 && items[0].as_str().is_some() => (
                items[0].as_str().unwrap_or_default().to_string(),
                items[1].as_object(),
            ),
            _ => return self.malformed("Fn::Sub", at, "a string or [string, {variables}]"),
        };
        let mut out = String::with_capacity(template.len());
        let mut rest = template.as_str();
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
                continue;
            }
            let value = match variables.and_then(|v| v.iter().find(|m| m.key == name)) {
                Some(member) => self.eval_text(&member.value.clone(), "Fn::Sub"),
                None => match name.split_once('.') {
                    Some((resource, attribute)) if !name.starts_with("AWS::") => {
                        let args = string(&format!("{resource}.{attribute}"), at);
                        self.get_att(&args, at).as_str().map(str::to_string)
                    }
                    _ => self
                        .reference(name, at)
                        .and_then(|v| v.scalar_text().or_else(|| joined(&v))),
                },
            };
            out.push_str(&value.unwrap_or_default());
        }
        out.push_str(rest);
        string(&out, at)
    }

    fn join(&mut self, args: &Value, at: &Location) -> Value {
        let Some([delimiter, list]) = args
            .as_array()
            .and_then(|items| <&[Value; 2]>::try_from(items).ok())
        else {
            return self.malformed("Fn::Join", at, "[delimiter, [values]]");
        };
        let Some(delimiter) = delimiter.as_str().map(str::to_string) else {
            return self.malformed("Fn::Join", at, "[delimiter, [values]]");
        };
        let items = match self.eval(list) {
            Some(Value {
                kind: Kind::Array(items),
                ..
            }) => items,
            Some(other) if other.as_str().is_some_and(unknown::is_unknown) => {
                return relocate(other, at);
            }
            _ => return self.malformed("Fn::Join", at, "[delimiter, [values]]"),
        };
        let mut parts = Vec::with_capacity(items.len());
        for item in &items {
            match item.scalar_text() {
                Some(text) => parts.push(text),
                None => return self.malformed("Fn::Join", at, "given a list of strings"),
            }
        }
        string(&parts.join(&delimiter), at)
    }

    fn select(&mut self, args: &Value, at: &Location) -> Option<Value> {
        let Some([index, list]) = args
            .as_array()
            .and_then(|items| <&[Value; 2]>::try_from(items).ok())
        else {
            return Some(self.malformed("Fn::Select", at, "[index, [values]]"));
        };
        let index = self.eval_text(index, "Fn::Select")?;
        let list = self.eval(list)?;
        if unknown::is_unknown(&index) || list.as_str().is_some_and(unknown::is_unknown) {
            return Some(self.unknown("Fn::Select", at, "its index or list is unknown"));
        }
        let Ok(index) = index.parse::<usize>() else {
            return Some(self.malformed("Fn::Select", at, "given a whole-number index"));
        };
        match list.as_array().and_then(|items| items.get(index)) {
            Some(item) => Some(relocate(item.clone(), at)),
            // Amplify picks a part of its stack name: a guessed name may
            // have fewer parts than the real one.
            None if self.pseudo.stack_name_guessed => Some(self.unknown(
                "Fn::Select",
                at,
                "its index is outside the list, which may come from the stack name poolscope \
                 guessed from the file name: pass `--param AWS::StackName=NAME`",
            )),
            None => Some(self.malformed("Fn::Select", at, "given an index inside the list")),
        }
    }

    fn split(&mut self, args: &Value, at: &Location) -> Value {
        let Some([delimiter, source]) = args
            .as_array()
            .and_then(|items| <&[Value; 2]>::try_from(items).ok())
        else {
            return self.malformed("Fn::Split", at, "[delimiter, string]");
        };
        let Some(delimiter) = delimiter.as_str().filter(|d| !d.is_empty()) else {
            return self.malformed("Fn::Split", at, "[delimiter, string]");
        };
        let delimiter = delimiter.to_string();
        let Some(source) = self.eval_text(source, "Fn::Split") else {
            return self.malformed("Fn::Split", at, "[delimiter, string]");
        };
        if unknown::is_unknown(&source) {
            return string(&source, at);
        }
        // Parts of a stack name poolscope guessed are not the real name's
        // parts (Amplify names its bucket after one of them).
        if self.pseudo.stack_name_guessed && source.contains(&self.pseudo.stack_name) {
            return self.unknown(
                "Fn::Split",
                at,
                "it splits the stack name poolscope guessed from the file name: pass \
                 `--param AWS::StackName=NAME`",
            );
        }
        Value {
            kind: Kind::Array(source.split(&delimiter).map(|s| string(s, at)).collect()),
            loc: at.clone(),
        }
    }

    fn find_in_map(&mut self, args: &Value, at: &Location) -> Option<Value> {
        let Some(items) = args.as_array().filter(|items| items.len() == 3) else {
            return Some(self.malformed("Fn::FindInMap", at, "[map, top key, second key]"));
        };
        let mut keys = Vec::with_capacity(3);
        for item in items {
            let key = self.eval_text(item, "Fn::FindInMap")?;
            if unknown::is_unknown(&key) {
                return Some(self.unknown("Fn::FindInMap", at, "one of its keys is unknown"));
            }
            keys.push(key);
        }
        let found = self
            .mappings
            .and_then(|m| m.get(&keys[0]))
            .and_then(|m| m.get(&keys[1]))
            .and_then(|m| m.get(&keys[2]));
        match found {
            Some(value) => Some(relocate(value.clone(), at)),
            None => Some(self.malformed(
                "Fn::FindInMap",
                at,
                &format!(
                    "keys of `Mappings` (`{}`/`{}`/`{}` is not there)",
                    keys[0], keys[1], keys[2]
                ),
            )),
        }
    }

    fn fn_if(&mut self, args: &Value, at: &Location) -> Option<Value> {
        let Some([condition, then, otherwise]) = args
            .as_array()
            .and_then(|items| <&[Value; 3]>::try_from(items).ok())
        else {
            return Some(self.malformed(
                "Fn::If",
                at,
                "[condition, value if true, value if false]",
            ));
        };
        let Some(name) = condition.as_str() else {
            return Some(self.malformed("Fn::If", at, "[condition name, …]"));
        };
        match self.condition(name, &condition.loc) {
            Some(true) => self.eval(then),
            Some(false) => self.eval(otherwise),
            None => {
                let a = self.eval(then).map(|v| v.to_json());
                let b = self.eval(otherwise).map(|v| v.to_json());
                if a == b {
                    return self.eval(then);
                }
                Some(self.unknown(
                    &format!("Fn::If {name}"),
                    at,
                    "the condition depends on unknown values: pass `--param` for them",
                ))
            }
        }
    }

    fn import_value(&mut self, args: &Value, at: &Location) -> Value {
        let Some(name) = self.eval(args).and_then(|v| v.scalar_text()) else {
            return self.malformed("Fn::ImportValue", at, "an export name");
        };
        match self.exports.get(&name) {
            Some(value) if !unknown::is_unknown(&name) => relocate(value.clone(), at),
            _ => self.unknown(
                &format!("Fn::ImportValue {}", unknown::describe(&name)),
                at,
                "no loaded template exports this name: add the exporting template to the inputs",
            ),
        }
    }

    /// `Fn::Base64 STRING`: the string's Base64 encoding.
    fn base64(&mut self, args: &Value, at: &Location) -> Value {
        let Some(text) = self.eval_text(args, "Fn::Base64") else {
            return self.malformed("Fn::Base64", at, "a string");
        };
        if unknown::is_unknown(&text) {
            return self.unknown("Fn::Base64", at, "its string is unknown");
        }
        string(&base64(text.as_bytes()), at)
    }

    /// `Fn::Cidr [ipBlock, count, cidrBits]`: `count` consecutive IPv4
    /// blocks of `32 - cidrBits` prefix bits from the start of `ipBlock`
    /// (IPv6 is left unknown).
    fn cidr(&mut self, args: &Value, at: &Location) -> Value {
        let Some([block, count, bits]) = args
            .as_array()
            .and_then(|items| <&[Value; 3]>::try_from(items).ok())
        else {
            return self.malformed("Fn::Cidr", at, "[ipBlock, count, cidrBits]");
        };
        let texts: Vec<Option<String>> = [block, count, bits]
            .iter()
            .map(|v| self.eval_text(v, "Fn::Cidr"))
            .collect();
        let [Some(block), Some(count), Some(bits)] =
            <[Option<String>; 3]>::try_from(texts).unwrap_or([None, None, None])
        else {
            return self.malformed("Fn::Cidr", at, "[ipBlock, count, cidrBits]");
        };
        if [&block, &count, &bits]
            .iter()
            .any(|t| unknown::is_unknown(t))
        {
            return self.unknown("Fn::Cidr", at, "one of its arguments is unknown");
        }
        match cidr_blocks(&block, &count, &bits) {
            Some(blocks) => Value {
                kind: Kind::Array(blocks.iter().map(|b| string(b, at)).collect()),
                loc: at.clone(),
            },
            None if block.contains(':') => {
                self.unknown("Fn::Cidr", at, "poolscope computes IPv4 blocks only")
            }
            None => self.malformed(
                "Fn::Cidr",
                at,
                "an IPv4 block, a count from 1 to 256 and subnet bits that fit it",
            ),
        }
    }

    /// `Fn::Length LIST`: the number of items.
    fn length(&mut self, args: &Value, at: &Location) -> Value {
        match self.eval(args) {
            Some(Value {
                kind: Kind::Array(items),
                ..
            }) => Value {
                kind: Kind::Number(items.len().to_string()),
                loc: at.clone(),
            },
            Some(other) if other.as_str().is_some_and(unknown::is_unknown) => {
                self.unknown("Fn::Length", at, "its list is unknown")
            }
            _ => self.malformed("Fn::Length", at, "a list"),
        }
    }

    /// `Fn::ToJsonString VALUE`: the evaluated value as JSON text.
    fn json_string(&mut self, args: &Value, at: &Location) -> Value {
        let Some(value) = self.eval(args) else {
            return self.malformed("Fn::ToJsonString", at, "an object or a list");
        };
        if contains_unknown(&value) {
            return self.unknown("Fn::ToJsonString", at, "its value holds an unknown");
        }
        string(&value.to_json().to_string(), at)
    }

    /// A named condition of `Conditions`: `None` when it depends on unknown
    /// values (or is missing, which is reported).
    pub fn condition(&mut self, name: &str, at: &Location) -> Option<bool> {
        if let Some(known) = self.conditions.get(name) {
            return *known;
        }
        let Some(definition) = self.condition_defs.get(name).copied() else {
            self.diagnostics.push(
                Diagnostic::error(
                    "cfn-unknown-reference",
                    format!("`{name}` is no condition of the template"),
                )
                .at(at, "referenced here"),
            );
            return None;
        };
        // A cycle evaluates to unknown.
        self.conditions.insert(name.to_string(), None);
        let value = self.condition_value(definition);
        self.conditions.insert(name.to_string(), value);
        value
    }

    fn condition_value(&mut self, value: &Value) -> Option<bool> {
        if let Some(b) = value.as_bool() {
            return Some(b);
        }
        let [member] = value.as_object()? else {
            return None;
        };
        let args = &member.value;
        let items = args.as_array().unwrap_or(&[]);
        match member.key.as_str() {
            "Condition" => {
                let name = args.as_str()?;
                self.condition(name, &args.loc)
            }
            "Fn::Equals" => {
                let [a, b] = items else { return None };
                let a = self.eval(a).map(|v| v.scalar_text().unwrap_or_default());
                let b = self.eval(b).map(|v| v.scalar_text().unwrap_or_default());
                if a.as_deref().is_some_and(unknown::is_unknown)
                    || b.as_deref().is_some_and(unknown::is_unknown)
                {
                    return None;
                }
                Some(a == b)
            }
            "Fn::Not" => {
                let [inner] = items else { return None };
                self.condition_value(inner).map(|b| !b)
            }
            "Fn::And" | "Fn::Or" => {
                let and = member.key == "Fn::And";
                let mut result = Some(and);
                for item in items {
                    match self.condition_value(item) {
                        Some(b) if b != and => return Some(b),
                        Some(_) => {}
                        None => result = None,
                    }
                }
                result
            }
            _ => None,
        }
    }

    /// The name a resource gets: its name property, or the symbolic name
    /// AWS would generate (`STACK-LOGICALID-generated`), equal to itself
    /// wherever the resource is referenced.
    pub fn name_of(&mut self, logical_id: &str, property: Option<&str>) -> String {
        let properties = self.resource(logical_id).and_then(|r| r.properties);
        let named = property.and_then(|p| properties.and_then(|props| props.get(p)));
        if let Some(named) = named
            && self.naming.insert(logical_id.to_string())
        {
            let text = self
                .eval(named)
                .and_then(|v| v.scalar_text())
                .unwrap_or_else(|| unknown::marker(&format!("name of {logical_id}")));
            self.naming.remove(logical_id);
            return text;
        }
        format!("{}-{logical_id}-generated", self.pseudo.stack_name)
    }

    /// A property of a resource, evaluated (for ids built from them).
    pub fn property_text(&mut self, logical_id: &str, property: &str) -> Option<String> {
        let value = self.resource(logical_id)?.properties?.get(property)?;
        if !self.naming.insert(logical_id.to_string()) {
            return None;
        }
        let text = self.eval(value).and_then(|v| v.scalar_text());
        self.naming.remove(logical_id);
        text
    }
}

/// A string value at `loc`.
pub fn string(text: &str, loc: &Location) -> Value {
    Value {
        kind: Kind::String(text.to_string()),
        loc: loc.clone(),
    }
}

/// A value moved to where it is used (the top only: the items of a list
/// keep their own locations).
pub(super) fn relocate(mut value: Value, at: &Location) -> Value {
    value.loc = at.clone();
    value
}

/// A list parameter used in `Fn::Sub` (not allowed by CloudFormation, but
/// read as its items joined with commas rather than refused).
fn joined(value: &Value) -> Option<String> {
    let items = value.as_array()?;
    let texts: Option<Vec<String>> = items.iter().map(Value::scalar_text).collect();
    texts.map(|t| t.join(","))
}

/// Whether a value holds an unknown marker anywhere.
fn contains_unknown(value: &Value) -> bool {
    match &value.kind {
        Kind::String(s) => unknown::is_unknown(s),
        Kind::Array(items) => items.iter().any(contains_unknown),
        Kind::Object(members) => members.iter().any(|m| contains_unknown(&m.value)),
        _ => false,
    }
}

/// Standard Base64 (RFC 4648, with padding).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The IPv4 blocks `Fn::Cidr` returns (CloudFormation User Guide,
/// `Fn::Cidr`: `cidrBits` is the number of host bits, so `8` gives `/24`).
fn cidr_blocks(block: &str, count: &str, bits: &str) -> Option<Vec<String>> {
    let (address, prefix) = block.split_once('/')?;
    let prefix: u32 = prefix.parse().ok().filter(|p| *p <= 32)?;
    let octets: Vec<u8> = address
        .split('.')
        .map(|o| o.parse().ok())
        .collect::<Option<_>>()?;
    let [a, b, c, d] = <[u8; 4]>::try_from(octets).ok()?;
    let start = u32::from_be_bytes([a, b, c, d]) & u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
    let count: u32 = count.parse().ok().filter(|n| (1..=256).contains(n))?;
    let bits: u32 = bits.parse().ok().filter(|b| *b >= 1 && *b <= 32 - prefix)?;
    let size = 1u64 << bits;
    let end = u64::from(start) + (1u64 << (32 - prefix));
    (0..u64::from(count))
        .map(|i| {
            let network = u64::from(start) + i * size;
            (network + size <= end).then(|| {
                let [a, b, c, d] = u32::try_from(network).unwrap_or(0).to_be_bytes();
                format!("{a}.{b}.{c}.{d}/{}", 32 - bits)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_rfc_4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn cidr_splits_an_ipv4_block() {
        assert_eq!(
            cidr_blocks("192.168.0.0/24", "6", "5"),
            Some(
                [
                    "192.168.0.0/27",
                    "192.168.0.32/27",
                    "192.168.0.64/27",
                    "192.168.0.96/27",
                    "192.168.0.128/27",
                    "192.168.0.160/27"
                ]
                .map(String::from)
                .to_vec()
            )
        );
        assert_eq!(
            cidr_blocks("10.0.0.0/16", "2", "8").map(|b| b[1].clone()),
            Some("10.0.1.0/24".to_string())
        );
        assert_eq!(cidr_blocks("10.0.0.0/24", "3", "7"), None);
        assert_eq!(cidr_blocks("2001:db8::/56", "1", "64"), None);
    }
}
