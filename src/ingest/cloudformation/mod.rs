//! CloudFormation templates (JSON or YAML) → the inventory.
//!
//! Templates are read together, after every other file: `Fn::ImportValue`
//! is matched to the `Outputs` `Export` names of every loaded template.
//! Each template is evaluated ([`intrinsics`]) with its parameters (from
//! `--param`, else `Default`), the pseudo parameters ([`Params`]) and its
//! conditions; a resource whose `Condition` is false is not created. The
//! resource types below are read into the same model as CLI snapshots, one
//! file per service; other types are named in a note and left out.
//!
//! - IAM ([`iam`]): `AWS::IAM::Role`, `Policy`, `ManagedPolicy`,
//!   `RolePolicy`; SAM's `AWS::Serverless::Function` role.
//! - Lambda ([`lambda`]): `AWS::Lambda::Function` and
//!   `AWS::Serverless::Function`, with their execution role, for the
//!   escalation steps.
//! - Cognito ([`cognito`]): `AWS::Cognito::IdentityPool`,
//!   `IdentityPoolRoleAttachment`, `IdentityPoolPrincipalTag`, `UserPool`,
//!   `UserPoolClient`, `UserPoolGroup`.
//! - S3 ([`s3`]): `AWS::S3::BucketPolicy`; `AWS::S3::Bucket` for
//!   references and its `PublicAccessBlockConfiguration`.
//!
//! What the template does not determine is unknown, never guessed
//! ([`crate::ingest::unknown`]).

mod cdk;
mod cognito;
mod iam;
mod intrinsics;
mod lambda;
mod nested;
mod resources;
mod s3;
mod sam;

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::Path;
use std::sync::Arc;

use crate::cognito::Setting;
use crate::diagnostic::Diagnostic;
use crate::ingest::unknown;
use crate::model::{Inventory, NamedPolicy, Role};
use crate::policy::{Policy, PolicyKind};
use crate::source::Spanned;
use crate::source::fields::FieldReader;
use crate::source::{Kind, Location, SourceFile, Value};

pub use cdk::is_cloud_assembly_manifest;
use intrinsics::{Pseudo, Stack};
use nested::Catalog;

/// The account a template is read as deployed to when `--param
/// AWS::AccountId=…` does not say: the example account of the AWS
/// documentation, so ARNs the stack builds are equal to each other.
pub const DEFAULT_ACCOUNT: &str = "123456789012";
/// The region a template is read as deployed to when `--param
/// AWS::Region=…` does not say.
pub const DEFAULT_REGION: &str = "us-east-1";

/// `--param KEY=VALUE` values: template parameters and pseudo parameters.
#[derive(Clone, Debug, Default)]
pub struct Params {
    values: HashMap<String, (String, Location)>,
}

impl Params {
    /// Reads `KEY=VALUE` arguments; a malformed one is an error.
    pub fn parse(args: &[String]) -> Result<Params, Vec<Diagnostic>> {
        let mut params = Params::default();
        let mut errors = Vec::new();
        for arg in args {
            let loc = Location::synthetic("--param", arg);
            match arg.split_once('=') {
                Some((key, value)) if !key.is_empty() => {
                    params
                        .values
                        .insert(key.to_string(), (value.to_string(), loc));
                }
                _ => errors.push(
                    Diagnostic::error("param-invalid", format!("`--param {arg}` is not KEY=VALUE"))
                        .at(&loc, "expected KEY=VALUE")
                        .with_help(
                            "e.g. `--param Env=prod` or `--param AWS::AccountId=111122223333`",
                        ),
                ),
            }
        }
        if errors.is_empty() {
            Ok(params)
        } else {
            Err(errors)
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(|(v, _)| v.as_str())
    }

    /// The pseudo parameters for a template: `--param`, else the
    /// documented forms (`AWS::Partition` and `AWS::URLSuffix` follow the
    /// region), the stack named after the file, unless a CDK cloud
    /// assembly manifest names the stack and its environment (`deployed`).
    fn pseudo(&self, file: &SourceFile, deployed: Option<&cdk::Deployed>) -> Pseudo {
        let region = self
            .get("AWS::Region")
            .or_else(|| deployed.and_then(|d| d.region.as_deref()))
            .unwrap_or(DEFAULT_REGION)
            .to_string();
        let partition = self.get("AWS::Partition").map_or_else(
            || {
                if region.starts_with("cn-") {
                    "aws-cn"
                } else if region.starts_with("us-gov-") {
                    "aws-us-gov"
                } else {
                    "aws"
                }
                .to_string()
            },
            str::to_string,
        );
        let url_suffix = self.get("AWS::URLSuffix").map_or_else(
            || {
                if partition == "aws-cn" {
                    "amazonaws.com.cn"
                } else {
                    "amazonaws.com"
                }
                .to_string()
            },
            str::to_string,
        );
        let stack_name_guessed = self.get("AWS::StackName").is_none() && deployed.is_none();
        let stack_name = self.get("AWS::StackName").map_or_else(
            || {
                if let Some(deployed) = deployed {
                    return deployed.stack_name.clone();
                }
                Path::new(&file.path)
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("stack")
                    .to_string()
            },
            str::to_string,
        );
        Pseudo {
            account: self
                .get("AWS::AccountId")
                .or_else(|| deployed.and_then(|d| d.account.as_deref()))
                .unwrap_or(DEFAULT_ACCOUNT)
                .to_string(),
            region,
            partition,
            url_suffix,
            stack_name,
            stack_name_guessed,
        }
    }

    fn template_values(&self) -> HashMap<String, (String, Location)> {
        self.values
            .iter()
            .filter(|(k, _)| !k.starts_with("AWS::"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

/// A template read from a file.
#[derive(Debug)]
pub struct Template {
    pub file: Arc<SourceFile>,
    pub doc: Value,
}

/// A CDK cloud assembly manifest (`cdk.out/manifest.json`) read from a
/// file.
#[derive(Debug)]
pub struct Manifest {
    pub file: Arc<SourceFile>,
    pub doc: Value,
}

/// One stack to read: a template, its name and environment, the
/// parameters its parent passes.
struct Instance {
    template: usize,
    pseudo: Pseudo,
    params: HashMap<String, Value>,
    depth: usize,
}

/// Reads every template into the inventory: each top-level template as a
/// stack, and each nested stack's template with what its parent passes
/// ([`nested`]). `manifests` name the stacks of `cdk synth` output.
pub fn read_templates(
    templates: &[Template],
    manifests: &[Manifest],
    params: &Params,
    inventory: &mut Inventory,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if templates.is_empty() {
        return;
    }
    let deployed = cdk::deployed_stacks(manifests, templates, diagnostics);
    let pseudo_of = |index: usize| params.pseudo(&templates[index].file, deployed.get(&index));
    let values = params.template_values();
    let mut exports: HashMap<String, Value> = HashMap::new();
    for (index, template) in templates.iter().enumerate() {
        let mut stack = Stack::new(
            template.file.clone(),
            &template.doc,
            pseudo_of(index),
            &values,
            HashMap::new(),
        );
        for output in template
            .doc
            .get("Outputs")
            .and_then(Value::as_object)
            .unwrap_or(&[])
        {
            let name = output.value.get("Export").and_then(|e| e.get("Name"));
            let (Some(name), Some(value)) = (name, output.value.get("Value")) else {
                continue;
            };
            let name = stack.eval(name).and_then(|v| v.scalar_text());
            let value = stack.eval(value);
            if let (Some(name), Some(value)) = (name, value) {
                exports.entry(name).or_insert(value);
            }
        }
    }
    let assets = cdk::asset_keys(manifests, templates);
    let catalog = Catalog::new(templates, &values, exports, assets);
    // A template another one nests is read as that stack's child, with the
    // parameters it is passed, not on its own.
    let mut nested_somewhere = HashSet::new();
    for index in 0..templates.len() {
        let mut probe = Stack::in_catalog(&catalog, index, pseudo_of(index), &HashMap::new(), 0);
        let nested: Vec<String> = probe
            .resources
            .iter()
            .filter(|r| r.resource_type == "AWS::CloudFormation::Stack")
            .map(|r| r.logical_id.clone())
            .collect();
        for logical_id in nested {
            if let Some(child) = probe.nested_template(&logical_id)
                && child != index
            {
                nested_somewhere.insert(child);
            }
        }
    }
    // Nested stacks deploy where their parent does.
    let account_given = params.get("AWS::AccountId").is_some()
        || (0..templates.len())
            .filter(|i| !nested_somewhere.contains(i))
            .all(|i| deployed.get(&i).is_some_and(|d| d.account.is_some()));
    if !account_given {
        diagnostics.push(
            Diagnostic::note(
                "cfn-assumed-account",
                format!(
                    "templates are read as deployed to account {DEFAULT_ACCOUNT} and region \
                     {}",
                    params.get("AWS::Region").unwrap_or(DEFAULT_REGION)
                ),
            )
            .with_help("pass `--param AWS::AccountId=ID --param AWS::Region=REGION`"),
        );
    }
    let mut queue: VecDeque<Instance> = (0..templates.len())
        .filter(|i| !nested_somewhere.contains(i))
        .map(|template| Instance {
            template,
            pseudo: pseudo_of(template),
            params: HashMap::new(),
            depth: 0,
        })
        .collect();
    let mut read = vec![false; templates.len()];
    let mut shared = Shared::default();
    let first_diagnostic = diagnostics.len();
    loop {
        let Some(instance) = queue.pop_front() else {
            // Templates nested only by each other, in a cycle: read alone.
            match read.iter().position(|r| !r) {
                Some(template) => {
                    queue.push_back(Instance {
                        template,
                        pseudo: pseudo_of(template),
                        params: HashMap::new(),
                        depth: 0,
                    });
                    continue;
                }
                None => break,
            }
        };
        read[instance.template] = true;
        let mut stack = Stack::in_catalog(
            &catalog,
            instance.template,
            instance.pseudo,
            &instance.params,
            instance.depth,
        );
        let children = read_template(&mut stack, inventory, &mut shared);
        diagnostics.append(&mut stack.diagnostics);
        queue.extend(children);
    }
    shared.finish(inventory, diagnostics);
    // A nested stack's outputs are evaluated in its parent as well as when
    // it is read: say each thing once.
    let mut seen = HashSet::new();
    let mut index = 0;
    diagnostics.retain(|d| {
        index += 1;
        index <= first_diagnostic
            || seen.insert((
                d.code,
                d.message.clone(),
                d.primary
                    .as_ref()
                    .map(|l| (l.loc.file.path.clone(), l.loc.span)),
            ))
    });
}

/// What the templates share: their roles, which a policy resource of any
/// template attaches to by name or ARN (IAM names are the account's, not
/// the stack's: Amplify's storage stack attaches to the roles of the root
/// stack), completed before they enter the inventory.
#[derive(Default)]
struct Shared {
    roles: Vec<Role>,
    pending: Vec<Pending>,
    /// Custom resources and every string their properties hold.
    custom: Vec<Custom>,
}

/// A custom resource: the code behind it runs at deployment and may change
/// what it is given.
struct Custom {
    logical_id: String,
    loc: Location,
    strings: HashSet<String>,
}

/// A policy resource's attachment to a role, made once every template is
/// read.
struct Pending {
    role: Spanned<String>,
    policy: String,
    attachment: Attachment,
    file: Arc<SourceFile>,
}

enum Attachment {
    Inline(Box<NamedPolicy>),
    Managed(Spanned<String>),
}

impl Shared {
    fn finish(&mut self, inventory: &mut Inventory, diagnostics: &mut Vec<Diagnostic>) {
        // A role handed to a custom resource may be rewritten by it after
        // the stack creates it: Amplify Gen 1 creates its roles with a
        // trust that denies and lets `UpdateRolesWithIDPFunction` write
        // the identity pool's trust. Whatever the template says, the trust
        // is unknown, which admits everyone.
        for role in &mut self.roles {
            let Some(custom) = self
                .custom
                .iter()
                .find(|c| c.strings.contains(&role.name) || c.strings.contains(&role.arn))
            else {
                continue;
            };
            role.trust_policy = None;
            diagnostics.push(
                Diagnostic::warning(
                    "cfn-custom-resource-role",
                    format!(
                        "custom resource `{}` is given role `{}`: code poolscope cannot see \
                         may rewrite the role's trust policy, so it is taken as unknown \
                         (admitting everyone)",
                        custom.logical_id, role.name
                    ),
                )
                .at(&custom.loc, "this custom resource")
                .with_related(&role.loc, "this role")
                .with_help(
                    "add a snapshot of the deployed role (`iam get-account-authorization-details`) \
                     to read its real trust policy",
                ),
            );
        }
        for pending in std::mem::take(&mut self.pending) {
            let name = &pending.role;
            let found = self
                .roles
                .iter_mut()
                .find(|r| r.name == name.value || r.arn == name.value);
            match (found, pending.attachment) {
                (Some(role), Attachment::Inline(named)) => {
                    let mut named = *named;
                    if let Some(policy) = &mut named.policy {
                        policy.name = format!("{}/{}", role.name, named.name);
                    }
                    role.inline_policies.push(named);
                }
                (Some(role), Attachment::Managed(arn)) => role.managed_policy_arns.push(arn),
                (None, _) => {
                    let why = if unknown::is_unknown(&name.value) {
                        "the role is unknown"
                    } else {
                        "no role of the templates has that name"
                    };
                    diagnostics.push(
                        Diagnostic::warning(
                            "cfn-policy-not-attached",
                            format!(
                                "`{}`: policy `{}` attaches to role `{}`, which poolscope \
                                 cannot find: {why}",
                                pending.file.path,
                                pending.policy,
                                unknown::describe(&name.value)
                            ),
                        )
                        .at(&name.loc, "this role")
                        .with_help(
                            "the policy is left out; a role from another input keeps only the \
                             policies that input lists",
                        ),
                    );
                }
            }
        }
        for role in std::mem::take(&mut self.roles) {
            diagnostics.extend(inventory.add_role(role));
        }
    }
}

/// The order resources are read in: pools before their clients and
/// groups, roles before the policies that attach to them.
fn rank(resource_type: &str) -> u8 {
    match resource_type {
        "AWS::IAM::Role" | "AWS::Serverless::Function" => 0,
        "AWS::IAM::ManagedPolicy" | "AWS::IAM::Policy" | "AWS::IAM::RolePolicy" => 1,
        "AWS::Cognito::UserPool" | "AWS::Cognito::IdentityPool" => 2,
        _ => 3,
    }
}

/// Reads one stack; returns the nested stacks to read next.
fn read_template(
    stack: &mut Stack<'_>,
    inventory: &mut Inventory,
    shared: &mut Shared,
) -> Vec<Instance> {
    let mut order: Vec<usize> = (0..stack.resources.len()).collect();
    order.sort_by_key(|&i| rank(&stack.resources[i].resource_type));
    let mut reader = Reader {
        stack,
        inventory,
        shared,
        children: Vec::new(),
        not_read: Vec::new(),
    };
    for i in order {
        let declared = reader.stack.resources[i].clone();
        if !reader.created(&declared.logical_id) {
            continue;
        }
        // SAM's implicit function roles are read with their function.
        if declared.implicit {
            continue;
        }
        let properties = match declared.properties.map(|p| reader.stack.eval(p)) {
            Some(Some(value)) if value.as_object().is_some() => value,
            Some(Some(value)) => {
                reader.wrong_type(&value, "Properties", "an object");
                continue;
            }
            Some(None) => continue,
            None => Value {
                kind: Kind::Object(Vec::new()),
                loc: declared.loc.clone(),
            },
        };
        let resource = Resource {
            logical_id: declared.logical_id.clone(),
            resource_type: declared.resource_type.clone(),
            properties,
            loc: declared.loc.clone(),
        };
        reader.resource(&resource);
    }
    reader.finish();
    reader.children
}

/// One resource, its properties evaluated.
#[derive(Debug)]
struct Resource {
    logical_id: String,
    resource_type: String,
    properties: Value,
    loc: Location,
}

struct Reader<'s, 't> {
    stack: &'s mut Stack<'t>,
    inventory: &'s mut Inventory,
    shared: &'s mut Shared,
    /// Nested stacks whose templates are loaded, to read after this one.
    children: Vec<Instance>,
    /// Resources of types poolscope does not read, by type.
    not_read: Vec<(String, Vec<String>)>,
}

impl FieldReader for Reader<'_, '_> {
    const WRONG_TYPE: &'static str = "cfn-wrong-type";
    const MISSING: &'static str = "cfn-missing-property";
    const BAD_VALUE: &'static str = "cfn-bad-value";

    fn report(&mut self, diagnostic: Diagnostic) {
        self.stack.diagnostics.push(diagnostic);
    }

    fn is_unknown(&self, value: &Value) -> bool {
        value.as_str().is_some_and(unknown::is_unknown)
    }

    fn scalar_text(&self, value: &Value) -> Option<String> {
        value.scalar_text()
    }

    /// CloudFormation passes scalars to resources as strings.
    fn text(&mut self, value: &Value, key: &str) -> Option<Spanned<String>> {
        match value.scalar_text() {
            Some(text) => Some(Spanned::new(text, value.loc.clone())),
            None => {
                self.wrong_type(value, key, "a string");
                None
            }
        }
    }

    /// `true` and `"true"` alike, as CloudFormation accepts both.
    fn bool(&mut self, object: &Value, key: &str) -> Option<Spanned<bool>> {
        let value = object.get(key)?;
        let parsed = match &value.kind {
            Kind::Bool(b) => Some(*b),
            Kind::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Kind::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            Kind::String(s) if unknown::is_unknown(s) => return None,
            _ => None,
        };
        if parsed.is_none() {
            self.wrong_type(value, key, "true or false");
        }
        parsed.map(|b| Spanned::new(b, value.loc.clone()))
    }
}

impl Reader<'_, '_> {
    /// Whether the resource is created: its `Condition` is not false. A
    /// condition on unknown values keeps the resource, with a warning.
    fn created(&mut self, logical_id: &str) -> bool {
        let Some(declared) = self.stack.resource(logical_id) else {
            return true;
        };
        let doc_loc = declared.loc.clone();
        let Some(condition) = declared.condition.cloned() else {
            return true;
        };
        let Some(name) = condition.as_str() else {
            self.wrong_type(&condition, "Condition", "a condition name");
            return true;
        };
        match self.stack.condition(name, &condition.loc) {
            Some(created) => created,
            None => {
                self.report(
                    Diagnostic::warning(
                        "cfn-unknown-value",
                        format!(
                            "whether `{logical_id}` is created depends on unknown values: \
                             it is read as created"
                        ),
                    )
                    .at(&condition.loc, "condition on unknown values")
                    .with_related(&doc_loc, "this resource")
                    .with_help("pass `--param` for the parameters the condition reads"),
                );
                true
            }
        }
    }

    fn resource(&mut self, resource: &Resource) {
        match resource.resource_type.as_str() {
            "AWS::IAM::Role" => self.role(resource),
            "AWS::IAM::Policy" | "AWS::IAM::RolePolicy" => self.inline_policy(resource),
            "AWS::IAM::ManagedPolicy" => self.managed_policy(resource),
            "AWS::Serverless::Function" => {
                self.serverless_function(resource);
                self.function(resource);
            }
            "AWS::Lambda::Function" => self.function(resource),
            "AWS::Cognito::IdentityPool" => self.identity_pool(resource),
            "AWS::Cognito::IdentityPoolRoleAttachment" => self.role_attachment(resource),
            "AWS::Cognito::IdentityPoolPrincipalTag" => self.principal_tag(resource),
            "AWS::Cognito::UserPool" => self.user_pool(resource),
            "AWS::Cognito::UserPoolClient" => self.user_pool_client(resource),
            "AWS::Cognito::UserPoolGroup" => self.user_pool_group(resource),
            "AWS::S3::BucketPolicy" => self.bucket_policy(resource),
            "AWS::CloudFormation::Stack" => self.nested_stack(resource),
            t if t.starts_with("Custom::") || t == "AWS::CloudFormation::CustomResource" => {
                let mut strings = HashSet::new();
                collect_strings(&resource.properties, &mut strings);
                self.shared.custom.push(Custom {
                    logical_id: resource.logical_id.clone(),
                    loc: resource.loc.clone(),
                    strings,
                });
            }
            "AWS::S3::Bucket" => self.bucket(resource),
            other => match self.not_read.iter_mut().find(|(t, _)| t == other) {
                Some((_, ids)) => ids.push(resource.logical_id.clone()),
                None => self
                    .not_read
                    .push((other.to_string(), vec![resource.logical_id.clone()])),
            },
        }
    }

    /// A nested stack whose template is loaded is read next, as its own
    /// stack.
    fn nested_stack(&mut self, resource: &Resource) {
        let Some(nested) = self.stack.nested(&resource.logical_id) else {
            return;
        };
        if let Some(template) = nested.template {
            self.children.push(Instance {
                template,
                pseudo: nested.pseudo.clone(),
                params: nested.params.clone(),
                depth: self.stack.depth + 1,
            });
        }
    }

    fn finish(&mut self) {
        for (resource_type, ids) in std::mem::take(&mut self.not_read) {
            let file = self.stack.file.path.clone();
            self.stack.diagnostics.push(Diagnostic::note(
                "cfn-resource-not-read",
                format!(
                    "`{file}`: {} `{resource_type}` resource{} left out ({}): poolscope does \
                     not model this type",
                    ids.len(),
                    if ids.len() == 1 { "" } else { "s" },
                    ids.join(", ")
                ),
            ));
        }
    }

    /// A policy document (object, or JSON text); `None` when it is
    /// unreadable or holds an unknown value, which is reported: the policy
    /// then stands in as allowing everything.
    fn policy(&mut self, value: &Value, name: &str, kind: PolicyKind) -> Option<Policy> {
        crate::ingest::embedded_policy::read(self, "cfn-unknown-policy", value, name, kind)
    }

    /// A boolean setting: as given; absent or unknown, the value that hides
    /// no access (`open`), labelled with the assumption
    /// (docs/semantics.md §10).
    fn setting(
        &mut self,
        object: &Value,
        key: &str,
        open: bool,
        why_absent: &str,
    ) -> Setting<bool> {
        if let Some(value) = object.get(key)
            && value.as_str().is_some_and(unknown::is_unknown)
        {
            return Setting::assumed(
                open,
                format!("assumed: {key} unknown"),
                format!(
                    "`{key}` is `{}`, which the inputs do not determine; the value that hides \
                     no access is assumed",
                    unknown::describe(value.as_str().unwrap_or_default())
                ),
            );
        }
        match self.bool(object, key) {
            Some(b) => Setting::Given(b),
            None => Setting::absent(open, key, why_absent),
        }
    }

    /// A string list that must be known as a whole: `None` (with the
    /// unknown already reported where it arose) when an item is unknown.
    fn known_list(
        &mut self,
        object: &Value,
        key: &str,
    ) -> Result<Option<Vec<Spanned<String>>>, ()> {
        let list = self.string_list(object, key);
        if list
            .as_ref()
            .is_some_and(|items| items.iter().any(|i| unknown::is_unknown(&i.value)))
        {
            return Err(());
        }
        Ok(list)
    }
}

/// Every string scalar of a value.
fn collect_strings(value: &Value, out: &mut HashSet<String>) {
    match &value.kind {
        Kind::Object(members) => {
            for member in members {
                collect_strings(&member.value, out);
            }
        }
        Kind::Array(items) => {
            for item in items {
                collect_strings(item, out);
            }
        }
        _ => out.extend(value.scalar_text()),
    }
}
