//! Terraform plans and state (`terraform show -json`) → the inventory.
//!
//! A state holds `values.root_module`; a plan holds `planned_values.root_module`
//! and, per resource, `resource_changes[].change.after_unknown`: the
//! attributes known only after apply, which the planned values leave out.
//! Resources of child modules (`child_modules`, recursively) are read too;
//! data sources are not (their values are inputs, not resources).
//!
//! An attribute a plan leaves unknown is never guessed. When the
//! `configuration` says it is exactly one attribute of another resource
//! (`identity_pool_id = aws_cognito_identity_pool.main.id`), it takes that
//! resource's value, which is itself symbolic when AWS generates it
//! (`tf:ADDRESS.id`; Cognito ids in their AWS shape,
//! `REGION_ADDRESS-generated`), so the two stay linked; a role's unknown `arn` is built
//! from its name and path in the account `--param AWS::AccountId` names.
//! Otherwise it is an unknown marker ([`super::unknown`]) with a warning.
//!
//! Types read, one file per service: [`iam`] (`aws_iam_role` with its
//! `inline_policy` blocks, `aws_iam_role_policy`, `aws_iam_policy`,
//! `aws_iam_role_policy_attachment`), [`cognito`]
//! (`aws_cognito_identity_pool`, `aws_cognito_identity_pool_roles_attachment`,
//! `aws_cognito_user_pool`, `aws_cognito_user_pool_client`,
//! `aws_cognito_user_group`), [`s3`] (`aws_s3_bucket_policy`,
//! `aws_s3_bucket_public_access_block`,
//! `aws_s3_account_public_access_block`), [`lambda`]
//! (`aws_lambda_function`). Policies are JSON strings, parsed as sources of
//! their own labelled with the string's JSON pointer and pointing back at the
//! string.

mod cognito;
mod iam;
mod lambda;
mod s3;

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::model::{Inventory, Role};
use crate::policy::{Policy, PolicyKind};
use crate::source::Spanned;
use crate::source::fields::FieldReader;
use crate::source::{Kind, Location, Member, SourceFile, Value};

use super::cloudformation::{DEFAULT_ACCOUNT, DEFAULT_REGION, Params};
use super::unknown;

/// One resource of the plan or state, with unknown attributes filled in.
#[derive(Debug)]
struct Resource {
    address: String,
    resource_type: String,
    values: Value,
}

/// Reads one `terraform show -json` document into the inventory.
pub fn read(
    doc: &Value,
    file: &SourceFile,
    params: &Params,
    inventory: &mut Inventory,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let plan = doc.get("planned_values").is_some();
    let root = doc
        .get("planned_values")
        .or_else(|| doc.get("values"))
        .and_then(|v| v.get("root_module"));
    let Some(root) = root else {
        return;
    };
    let mut declared = Vec::new();
    collect(root, &mut declared);
    let changes: HashMap<&str, &Value> = doc
        .get("resource_changes")
        .and_then(Value::as_array)
        .unwrap_or(&[])
        .iter()
        .filter_map(|change| {
            let address = change.get("address")?.as_str()?;
            let unknown = change.get("change")?.get("after_unknown")?;
            Some((address, unknown))
        })
        .collect();
    let references = configuration_references(doc);
    let account = params
        .get("AWS::AccountId")
        .unwrap_or(DEFAULT_ACCOUNT)
        .to_string();
    let region = params
        .get("AWS::Region")
        .map(str::to_string)
        .or_else(|| provider_region(doc))
        .unwrap_or_else(|| DEFAULT_REGION.to_string());
    let mut resources: Vec<Resource> = declared
        .into_iter()
        .map(|(address, resource_type, values)| Resource {
            address: address.to_string(),
            resource_type: resource_type.to_string(),
            values: values.clone(),
        })
        .collect();
    let mut reader = Reader {
        file,
        account: account.clone(),
        inventory,
        diagnostics,
        roles: Vec::new(),
        not_read: Vec::new(),
    };
    if plan {
        // First what each resource's own unknown attributes are (symbolic
        // ids, role ARNs), then links through the configuration.
        let mut own: HashMap<String, String> = HashMap::new();
        for resource in &resources {
            if let Some(after_unknown) = changes.get(resource.address.as_str()) {
                for member in after_unknown.as_object().unwrap_or(&[]) {
                    if member.value.as_bool() == Some(true)
                        && let Some(value) = own_value(resource, &member.key, &account, &region)
                    {
                        own.insert(format!("{}.{}", resource.address, member.key), value);
                    }
                }
            }
        }
        // ARNs built for values known after apply are in the account
        // `--param` names; without it, in the example account, which is
        // said (as for templates): a policy naming the real account would
        // otherwise look cross-account.
        let built_in_default = own
            .values()
            .any(|v| v.starts_with("arn:") && v.contains(&format!(":{DEFAULT_ACCOUNT}:")));
        if params.get("AWS::AccountId").is_none() && built_in_default {
            reader.diagnostics.push(
                Diagnostic::note(
                    "tf-assumed-account",
                    format!(
                        "`{}`: ARNs known only after apply are built in account \
                         {DEFAULT_ACCOUNT}",
                        file.path
                    ),
                )
                .with_help("pass `--param AWS::AccountId=ID` for the account the plan applies to"),
            );
        }
        for resource in &mut resources {
            let Some(after_unknown) = changes.get(resource.address.as_str()) else {
                continue;
            };
            let address = resource.address.clone();
            let refs = references.get(address.as_str());
            // A role's `inline_policy` and `managed_policy_arns` that the
            // configuration does not set are computed: the provider reads
            // back what is attached, which in this plan is the
            // `aws_iam_role_policy` and `…_attachment` resources (read as
            // such). Set by an expression that is unknown, they stay unknown.
            let computed: Vec<&str> = if resource.resource_type == "aws_iam_role" {
                COMPUTED_ROLE_ATTRIBUTES
                    .into_iter()
                    .filter(|key| {
                        after_unknown.get(key).and_then(Value::as_bool) == Some(true)
                            && !refs.is_some_and(|r| r.contains_key(*key))
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let filtered;
            let after_unknown = if computed.is_empty() {
                *after_unknown
            } else {
                let mut copy = (*after_unknown).clone();
                if let Kind::Object(members) = &mut copy.kind {
                    members.retain(|m| !computed.contains(&m.key.as_str()));
                }
                if let Kind::Object(members) = &mut resource.values.kind {
                    for key in &computed {
                        members.retain(|m| m.key != *key);
                        members.push(Member {
                            key: key.to_string(),
                            key_loc: after_unknown.loc.clone(),
                            value: Value {
                                kind: Kind::Array(Vec::new()),
                                loc: after_unknown.loc.clone(),
                            },
                        });
                    }
                }
                filtered = copy;
                &filtered
            };
            let mut resolve = |path: &str| -> Option<String> {
                if let Some(value) = own.get(&format!("{address}.{path}")) {
                    return Some(value.clone());
                }
                // The attribute is exactly one id, ARN or name of another
                // resource. The configuration lists the references of any
                // expression (`jsonencode({…})` too), so only attributes
                // that hold an id, and a single reference, are linked.
                let top = path.split('.').next().unwrap_or(path);
                if path
                    .split('.')
                    .any(|part| POLICY_ATTRIBUTES.contains(&part))
                {
                    return None;
                }
                // A nested block's attribute has references of its own
                // (`role_mapping.0.mapping_rule.2.role_arn`).
                let targets = refs.and_then(|r| r.get(path).or_else(|| r.get(top)))?;
                match targets.as_slice() {
                    [one] => own.get(one).cloned(),
                    // A role mapping's provider names a user pool and one of
                    // its app clients: the only key Cognito accepts for them
                    // is `ENDPOINT:CLIENT_ID` (Cognito Identity API,
                    // RoleMapping: `cognito-idp.REGION.amazonaws.com/POOL_ID:APP_CLIENT_ID`).
                    [a, b] if path.ends_with("identity_provider") => {
                        let (endpoint, client) = if a.ends_with(".endpoint") {
                            (a, b)
                        } else {
                            (b, a)
                        };
                        let client_type = client.rsplit('.').nth(2).unwrap_or_default();
                        (endpoint.ends_with(".endpoint")
                            && client_type.ends_with("aws_cognito_user_pool_client")
                            && client.ends_with(".id"))
                        .then(|| Some(format!("{}:{}", own.get(endpoint)?, own.get(client)?)))
                        .flatten()
                    }
                    _ => None,
                }
            };
            fill(
                &mut resource.values,
                after_unknown,
                "",
                &mut resolve,
                &mut reader,
            );
        }
    }
    let mut order: Vec<usize> = (0..resources.len()).collect();
    order.sort_by_key(|&i| rank(&resources[i].resource_type));
    for i in order {
        reader.resource(&resources[i]);
    }
    reader.finish();
}

/// Attributes of `aws_iam_role` the provider computes when they are not
/// configured.
const COMPUTED_ROLE_ATTRIBUTES: [&str; 2] = ["inline_policy", "managed_policy_arns"];

/// Attributes that hold policy documents: an expression building one may
/// reference an id without being it.
const POLICY_ATTRIBUTES: [&str; 2] = ["policy", "assume_role_policy"];

/// The resources of a module and its children: (address, type, values).
fn collect<'v>(module: &'v Value, out: &mut Vec<(&'v str, &'v str, &'v Value)>) {
    for resource in module
        .get("resources")
        .and_then(Value::as_array)
        .unwrap_or(&[])
    {
        if resource.get("mode").and_then(Value::as_str) == Some("data") {
            continue;
        }
        let address = resource.get("address").and_then(Value::as_str);
        let resource_type = resource.get("type").and_then(Value::as_str);
        let values = resource.get("values");
        if let (Some(address), Some(resource_type), Some(values)) = (address, resource_type, values)
        {
            out.push((address, resource_type, values));
        }
    }
    for child in module
        .get("child_modules")
        .and_then(Value::as_array)
        .unwrap_or(&[])
    {
        collect(child, out);
    }
}

/// The value of an attribute AWS generates for the resource, when poolscope
/// can name it: a role's ARN from its name and path; otherwise the
/// symbolic `tf:ADDRESS.ATTRIBUTE` for ids and ARNs.
fn own_value(resource: &Resource, attribute: &str, account: &str, region: &str) -> Option<String> {
    let name = resource.values.get("name").and_then(Value::as_str);
    match (resource.resource_type.as_str(), attribute, name) {
        // Cognito ids are shaped as AWS shapes them (`REGION_…`,
        // `REGION:…`, no `:` in a client id), so provider names and role
        // mapping keys built from them parse.
        ("aws_cognito_user_pool", "id", _) => {
            Some(format!("{region}_{}-generated", resource.address))
        }
        // `cognito-idp.REGION.amazonaws.com/ID` (provider documentation,
        // `aws_cognito_user_pool` `endpoint`).
        ("aws_cognito_user_pool", "endpoint", _) => Some(format!(
            "cognito-idp.{region}.amazonaws.com/{region}_{}-generated",
            resource.address
        )),
        ("aws_cognito_user_pool", "arn", _) => Some(format!(
            "arn:aws:cognito-idp:{region}:{account}:userpool/{region}_{}-generated",
            resource.address
        )),
        ("aws_cognito_identity_pool", "id", _) => {
            Some(format!("{region}:{}-generated", resource.address))
        }
        ("aws_cognito_user_pool_client", "id", _) => {
            Some(format!("{}-generated", resource.address))
        }
        ("aws_iam_role", "arn", Some(name)) => {
            let path = resource
                .values
                .get("path")
                .and_then(Value::as_str)
                .unwrap_or("/");
            Some(format!("arn:aws:iam::{account}:role{path}{name}"))
        }
        ("aws_iam_policy", "arn", Some(name)) => {
            let path = resource
                .values
                .get("path")
                .and_then(Value::as_str)
                .unwrap_or("/");
            Some(format!("arn:aws:iam::{account}:policy{path}{name}"))
        }
        ("aws_lambda_function", "arn", _) => {
            let name = resource
                .values
                .get("function_name")
                .and_then(Value::as_str)?;
            Some(format!("arn:aws:lambda:{region}:{account}:function:{name}"))
        }
        ("aws_iam_role", "id" | "name", Some(name)) => Some(name.to_string()),
        ("aws_iam_role", "arn" | "id" | "name", None) => None,
        (_, "id" | "arn", _) => Some(format!("tf:{}.{attribute}", resource.address)),
        _ => None,
    }
}

/// For each resource address, each top-level attribute's references that
/// name one attribute of another resource (`aws_iam_role.auth.arn`), from
/// the plan's `configuration` (root module and module calls).
fn configuration_references(doc: &Value) -> HashMap<String, HashMap<String, Vec<String>>> {
    let mut out = HashMap::new();
    if let Some(root) = doc.get("configuration").and_then(|c| c.get("root_module")) {
        module_references(root, "", &mut out);
    }
    out
}

fn module_references(
    module: &Value,
    prefix: &str,
    out: &mut HashMap<String, HashMap<String, Vec<String>>>,
) {
    for resource in module
        .get("resources")
        .and_then(Value::as_array)
        .unwrap_or(&[])
    {
        let Some(address) = resource.get("address").and_then(Value::as_str) else {
            continue;
        };
        let mut attributes = HashMap::new();
        if let Some(expressions) = resource.get("expressions") {
            expression_references(expressions, "", prefix, &mut attributes);
        }
        out.insert(format!("{prefix}{address}"), attributes);
    }
    for call in module
        .get("module_calls")
        .and_then(Value::as_object)
        .unwrap_or(&[])
    {
        if let Some(child) = call.value.get("module") {
            module_references(child, &format!("{prefix}module.{}.", call.key), out);
        }
    }
}

/// The references of each attribute of an `expressions` object, nested
/// blocks (lists of objects of expressions) by path: `a.0.b`.
fn expression_references(
    expressions: &Value,
    path: &str,
    prefix: &str,
    out: &mut HashMap<String, Vec<String>>,
) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match &expressions.kind {
        Kind::Object(members) => {
            for member in members {
                let value = &member.value;
                if let Some(references) = value.get("references").and_then(Value::as_array) {
                    let all: Vec<&str> = references.iter().filter_map(Value::as_str).collect();
                    // Terraform lists `aws_x.name.attr` and then the bare
                    // `aws_x.name` (or `module.m.out` and `module.m`) for one
                    // reference: a reference that another extends says
                    // nothing more. Every other one counts, `var.…` and
                    // `local.…` too, so an expression that also reads a
                    // variable is never linked to the one resource it names.
                    let targets: Vec<String> = all
                        .iter()
                        .filter(|r| {
                            !all.iter().any(|other| {
                                other.len() > r.len()
                                    && other.starts_with(**r)
                                    && matches!(other.as_bytes()[r.len()], b'.' | b'[')
                            })
                        })
                        .map(|r| format!("{prefix}{r}"))
                        .collect();
                    // Top-level attributes are recorded even without a
                    // reference: they are configured.
                    if !targets.is_empty() || path.is_empty() {
                        out.insert(join(&member.key), targets);
                    }
                } else if value.get("constant_value").is_some() {
                    if path.is_empty() {
                        out.insert(member.key.clone(), Vec::new());
                    }
                } else {
                    if path.is_empty() {
                        out.entry(member.key.clone()).or_default();
                    }
                    expression_references(value, &join(&member.key), prefix, out);
                }
            }
        }
        Kind::Array(blocks) => {
            for (index, block) in blocks.iter().enumerate() {
                expression_references(block, &join(&index.to_string()), prefix, out);
            }
        }
        _ => {}
    }
}

/// The region of the plan's AWS provider, when the configuration gives it
/// as a constant.
fn provider_region(doc: &Value) -> Option<String> {
    doc.get("configuration")?
        .get("provider_config")?
        .get("aws")?
        .get("expressions")?
        .get("region")?
        .get("constant_value")?
        .as_str()
        .map(str::to_string)
}

/// Attributes poolscope never reads: unknown without a warning.
const NOT_READ: [&str; 6] = [
    "tags_all",
    "create_date",
    "creation_date",
    "last_modified_date",
    "policy_id",
    "unique_id",
];

/// Writes every attribute `after_unknown` marks into `values`: the value
/// `resolve` finds for its path, or an unknown marker with a warning.
fn fill(
    values: &mut Value,
    after_unknown: &Value,
    path: &str,
    resolve: &mut dyn FnMut(&str) -> Option<String>,
    reader: &mut Reader<'_>,
) {
    match &after_unknown.kind {
        Kind::Bool(true) => {
            let at = values.loc.clone();
            *values = reader.unknown_attribute(path, &at, resolve);
        }
        Kind::Object(unknowns) => {
            let at = values.loc.clone();
            let Kind::Object(members) = &mut values.kind else {
                return;
            };
            for entry in unknowns {
                let child_path = if path.is_empty() {
                    entry.key.clone()
                } else {
                    format!("{path}.{}", entry.key)
                };
                match members.iter().position(|m| m.key == entry.key) {
                    Some(i) => fill(
                        &mut members[i].value,
                        &entry.value,
                        &child_path,
                        resolve,
                        reader,
                    ),
                    None if entry.value.as_bool() == Some(true) => {
                        let value = reader.unknown_attribute(&child_path, &at, resolve);
                        members.push(Member {
                            key: entry.key.clone(),
                            key_loc: at.clone(),
                            value,
                        });
                    }
                    // A map whose entries are all unknown is left out of the
                    // planned values: it is added, then filled.
                    None if entry.value.as_object().is_some() => {
                        let mut value = Value {
                            kind: Kind::Object(Vec::new()),
                            loc: at.clone(),
                        };
                        fill(&mut value, &entry.value, &child_path, resolve, reader);
                        members.push(Member {
                            key: entry.key.clone(),
                            key_loc: at.clone(),
                            value,
                        });
                    }
                    None => {}
                }
            }
        }
        Kind::Array(unknowns) => {
            if let Kind::Array(items) = &mut values.kind {
                for (index, (item, unknown)) in items.iter_mut().zip(unknowns).enumerate() {
                    fill(item, unknown, &format!("{path}.{index}"), resolve, reader);
                }
            }
        }
        _ => {}
    }
}

/// The order resources are read in: roles before what attaches to them.
fn rank(resource_type: &str) -> u8 {
    match resource_type {
        "aws_iam_role" => 0,
        "aws_iam_policy" => 1,
        "aws_iam_role_policy" | "aws_iam_role_policy_attachment" => 2,
        "aws_cognito_user_pool" | "aws_cognito_identity_pool" => 3,
        _ => 4,
    }
}

struct Reader<'a> {
    file: &'a SourceFile,
    /// The account of the plan's resources (`--param AWS::AccountId`).
    account: String,
    inventory: &'a mut Inventory,
    diagnostics: &'a mut Vec<Diagnostic>,
    roles: Vec<Role>,
    not_read: Vec<(String, Vec<String>)>,
}

impl FieldReader for Reader<'_> {
    const WRONG_TYPE: &'static str = "tf-wrong-type";
    const MISSING: &'static str = "tf-missing-attribute";
    const BAD_VALUE: &'static str = "tf-bad-value";

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn is_unknown(&self, value: &Value) -> bool {
        value.as_str().is_some_and(unknown::is_unknown)
    }
}

impl Reader<'_> {
    fn unknown_attribute(
        &mut self,
        path: &str,
        at: &Location,
        resolve: &mut dyn FnMut(&str) -> Option<String>,
    ) -> Value {
        let text = match resolve(path) {
            Some(text) => text,
            None if NOT_READ.contains(&path) => {
                unknown::marker(&format!("{path} (known after apply)"))
            }
            None => {
                self.diagnostics.push(
                    Diagnostic::warning(
                        "tf-unknown-value",
                        format!("`{path}` is known only after apply: taken as any value"),
                    )
                    .at(at, "in this resource")
                    .with_help(
                        "read the state after apply, or give the value in the configuration",
                    ),
                );
                unknown::marker(&format!("{path} (known after apply)"))
            }
        };
        Value {
            kind: Kind::String(text),
            loc: at.clone(),
        }
    }

    fn resource(&mut self, resource: &Resource) {
        match resource.resource_type.as_str() {
            "aws_iam_role" => self.role(resource),
            "aws_iam_role_policy" => self.role_policy(resource),
            "aws_iam_policy" => self.managed_policy(resource),
            "aws_iam_role_policy_attachment" => self.policy_attachment(resource),
            "aws_cognito_identity_pool" => self.identity_pool(resource),
            "aws_cognito_identity_pool_roles_attachment" => self.roles_attachment(resource),
            "aws_cognito_user_pool" => self.user_pool(resource),
            "aws_cognito_user_pool_client" => self.user_pool_client(resource),
            "aws_cognito_user_group" => self.user_group(resource),
            "aws_s3_bucket_policy" => self.bucket_policy(resource),
            "aws_s3_bucket_public_access_block" => self.public_access_block(resource, false),
            "aws_s3_account_public_access_block" => self.public_access_block(resource, true),
            "aws_lambda_function" => self.function(resource),
            // Its policy is `aws_s3_bucket_policy`; the model has no bucket.
            "aws_s3_bucket" => {}
            other => match self.not_read.iter_mut().find(|(t, _)| t == other) {
                Some((_, addresses)) => addresses.push(resource.address.clone()),
                None => self
                    .not_read
                    .push((other.to_string(), vec![resource.address.clone()])),
            },
        }
    }

    fn finish(&mut self) {
        for role in std::mem::take(&mut self.roles) {
            let duplicate = self.inventory.add_role(role);
            self.diagnostics.extend(duplicate);
        }
        for (resource_type, addresses) in std::mem::take(&mut self.not_read) {
            self.diagnostics.push(Diagnostic::note(
                "tf-resource-not-read",
                format!(
                    "`{}`: {} `{resource_type}` resource{} left out ({}): poolscope does not \
                     model this type",
                    self.file.path,
                    addresses.len(),
                    if addresses.len() == 1 { "" } else { "s" },
                    addresses.join(", ")
                ),
            ));
        }
    }

    fn policy(&mut self, value: &Value, name: &str, kind: PolicyKind) -> Option<Policy> {
        super::embedded_policy::read(self, "tf-unknown-policy", value, name, kind)
    }

    /// A role ARN; one wholly unknown becomes a role of the plan's account
    /// whose name is unknown: in no input (so "may allow anything"), but
    /// not of a foreign account, which would deny every request as
    /// cross-account.
    fn role_arn(&self, arn: Spanned<String>) -> Spanned<String> {
        if unknown::is_unknown(&arn.value) && !arn.value.starts_with("arn:") {
            let value = format!("arn:aws:iam::{}:role/{}", self.account, arn.value);
            Spanned::new(value, arn.loc)
        } else {
            arn
        }
    }

    /// The role of this file named `name`, to attach a policy to.
    fn file_role(&mut self, name: &Spanned<String>, what: &str) -> Option<&mut Role> {
        let found = self
            .roles
            .iter()
            .position(|r| r.name == name.value || r.arn == name.value);
        if found.is_none() {
            self.diagnostics.push(
                Diagnostic::warning(
                    "tf-policy-not-attached",
                    format!(
                        "{what} attaches to role `{}`, which is not a role of this file",
                        unknown::describe(&name.value)
                    ),
                )
                .at(&name.loc, "this role")
                .with_help(
                    "the attachment is left out; a role from another input keeps only the \
                     policies that input lists",
                ),
            );
        }
        found.map(|i| &mut self.roles[i])
    }
}

/// A list of strings, with `[]` read as unset: Terraform writes an unset
/// list attribute as empty.
fn unset_if_empty(list: Option<Vec<Spanned<String>>>) -> Option<Vec<Spanned<String>>> {
    list.filter(|l| !l.is_empty())
}
