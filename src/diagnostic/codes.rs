//! Every diagnostic id poolscope reports, in one table: the input
//! readers', the model's, the questions', lint's, the configuration's and
//! the audit checks'. `docs/diagnostics.md` lists exactly these ids, under
//! the heading of each one's [`Section`]; SARIF rules of ids that are no
//! audit check link to that heading (`tests/diagnostic_codes.rs` checks
//! both, and that every id the sources report is here).

use super::Severity;

/// A heading of docs/diagnostics.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// "Input"
    Input,
    /// "AWS CLI snapshots and the model"
    Model,
    /// "Questions (`query`, `explain`)"
    Questions,
    /// "CloudFormation templates, YAML and Terraform"
    Templates,
    /// "Spec files and assertions (`check`)"
    Spec,
    /// "Versions (`diff`)"
    Versions,
    /// "Policy grammar and validation (`lint`)"
    Policy,
    /// "Audit (`audit`)"
    Audit,
}

impl Section {
    /// Every section, in the order of the page.
    pub const ALL: [Section; 8] = [
        Section::Input,
        Section::Model,
        Section::Questions,
        Section::Spec,
        Section::Versions,
        Section::Templates,
        Section::Policy,
        Section::Audit,
    ];

    /// The heading as written.
    pub fn heading(self) -> &'static str {
        match self {
            Section::Input => "Input",
            Section::Model => "AWS CLI snapshots and the model",
            Section::Questions => "Questions (`query`, `explain`)",
            Section::Spec => "Spec files and assertions (`check`)",
            Section::Versions => "Versions (`diff`)",
            Section::Templates => "CloudFormation templates, YAML and Terraform",
            Section::Policy => "Policy grammar and validation (`lint`)",
            Section::Audit => "Audit (`audit`)",
        }
    }

    /// The heading's anchor, as GitHub renders it (lower case, spaces to
    /// `-`, punctuation dropped).
    pub fn anchor(self) -> String {
        self.heading()
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '-')
            .map(|c| if c == ' ' { '-' } else { c })
            .collect()
    }
}

/// One diagnostic id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Code {
    pub id: &'static str,
    /// The severity it is reported with (some ids are reported lower in
    /// some cases, which docs/diagnostics.md says).
    pub severity: Severity,
    pub summary: &'static str,
    pub section: Section,
}

impl Code {
    /// The page that explains the id, relative to the repository root:
    /// the check's page for audit checks, else the heading of
    /// docs/diagnostics.md.
    pub fn docs_path(&self) -> String {
        if is_check_id(self.id) {
            format!("docs/checks/{}.md", self.id)
        } else {
            format!("docs/diagnostics.md#{}", self.section.anchor())
        }
    }
}

/// Whether `id` is the id of an audit check (`PS` and three digits).
pub fn is_check_id(id: &str) -> bool {
    id.len() == 5 && id.starts_with("PS") && id[2..].bytes().all(|b| b.is_ascii_digit())
}

/// The entry of `id`.
pub fn code(id: &str) -> Option<&'static Code> {
    CODES.iter().find(|c| c.id == id)
}

const fn code_of(
    id: &'static str,
    severity: Severity,
    section: Section,
    summary: &'static str,
) -> Code {
    Code {
        id,
        severity,
        summary,
        section,
    }
}

use Section::*;
use Severity::{Error, Note, Warning};

/// Every diagnostic id, in the order of docs/diagnostics.md.
pub const CODES: &[Code] = &[
    code_of(
        "json-syntax",
        Error,
        Input,
        "the file is not valid JSON; points at the offending byte",
    ),
    code_of(
        "input-not-found",
        Error,
        Input,
        "a path named on the command line does not exist",
    ),
    code_of(
        "input-unreadable",
        Error,
        Input,
        "a file or directory cannot be read (also a dangling symbolic link where an input file would be)",
    ),
    code_of("input-not-utf8", Error, Input, "a file is not UTF-8 text"),
    code_of(
        "input-unknown-kind",
        Error,
        Input,
        "a file named on the command line is of no kind the command reads",
    ),
    code_of(
        "input-skipped",
        Note,
        Input,
        "a file found by walking a directory is of another kind, or not read yet",
    ),
    code_of(
        "input-symlink-loop",
        Note,
        Input,
        "a symbolic link found while walking leads back to a directory being walked; it is not followed",
    ),
    code_of(
        "input-same-file",
        Note,
        Input,
        "a file was reached twice (through links, or named and walked); it is read once",
    ),
    code_of(
        "input-invalid-exclude",
        Error,
        Input,
        "an `--exclude` glob does not compile",
    ),
    code_of(
        "input-nothing-to-analyse",
        Error,
        Input,
        "the inputs hold no identity pool, role or policy (`lint`: no policy); the help lists the files skipped",
    ),
    code_of(
        "collect-no-aws-cli",
        Error,
        Input,
        "`collect`: the `aws` command (AWS CLI v1 or v2) is not installed or not on `PATH`",
    ),
    code_of(
        "collect-no-credentials",
        Error,
        Input,
        "`collect`: the AWS CLI found no credentials, or the `--profile` does not exist",
    ),
    code_of(
        "collect-no-region",
        Error,
        Input,
        "`collect`: no `--region`, no `--all-regions` and no default region in the AWS configuration",
    ),
    code_of(
        "collect-out-not-empty",
        Error,
        Input,
        "`collect`: `--out` names a file, or a directory that is not empty (a snapshot is never mixed with older files)",
    ),
    code_of(
        "collect-write-failed",
        Error,
        Input,
        "`collect`: a snapshot file cannot be written",
    ),
    code_of(
        "collect-call-failed",
        Error,
        Input,
        "`collect`: a call the collection cannot go on without failed (the caller's identity, the region list)",
    ),
    code_of(
        "cli-wrong-type",
        Error,
        Model,
        "a field of a CLI snapshot has the wrong JSON type",
    ),
    code_of(
        "cli-missing-field",
        Error,
        Model,
        "a field the shape needs is missing (warning where the rest can still be read)",
    ),
    code_of(
        "cli-unknown-field",
        Error,
        Model,
        "a value names a kind the API does not have (e.g. a role kind other than `authenticated`/`unauthenticated`)",
    ),
    code_of(
        "cli-bad-value",
        Error,
        Model,
        "a value the API restricts is not one of its values (e.g. a role mapping type); with \"did you mean\"",
    ),
    code_of(
        "cli-bad-policy-encoding",
        Error,
        Model,
        "an embedded policy document is neither JSON nor URL-encoded JSON",
    ),
    code_of(
        "cli-no-default-version",
        Warning,
        Model,
        "a managed policy has no default version in the snapshot: its permissions are unknown",
    ),
    code_of(
        "cli-unknown-trust",
        Warning,
        Model,
        "a role's trust policy cannot be read: its trust is unknown, not \"trusts nobody\"",
    ),
    code_of(
        "cli-bucket-unknown",
        Warning,
        Model,
        "a raw `get-bucket-policy` output whose bucket cannot be told",
    ),
    code_of(
        "cli-public-access-block-unscoped",
        Warning,
        Model,
        "a `get-public-access-block` output without `Bucket` or `AccountId`: left out",
    ),
    code_of(
        "model-duplicate",
        Warning,
        Model,
        "the same role, policy or pool appears twice; the first is used",
    ),
    code_of(
        "model-unknown-role",
        Warning,
        Model,
        "a pool or rule names a role the inputs do not have (taken as trusting and allowing everything)",
    ),
    code_of(
        "model-unknown-policy",
        Warning,
        Model,
        "a role attaches a policy the inputs do not have (taken as allowing everything)",
    ),
    code_of(
        "model-unknown-pool-roles",
        Warning,
        Model,
        "an identity pool whose roles (`get-identity-pool-roles`) are not in the inputs",
    ),
    code_of(
        "model-unknown-user-pool",
        Note,
        Model,
        "an identity pool trusts a user pool the inputs do not show",
    ),
    code_of(
        "model-mapping-unused",
        Warning,
        Model,
        "a role mapping names a provider the pool does not accept",
    ),
    code_of(
        "model-assumed-settings",
        Warning,
        Model,
        "settings absent from the inputs were assumed (docs/semantics.md §10)",
    ),
    code_of(
        "snapshot-wrong-type",
        Error,
        Model,
        "a field of a snapshot manifest (`poolscope-snapshot.json`) has the wrong JSON type",
    ),
    code_of(
        "snapshot-missing-field",
        Error,
        Model,
        "a field of a snapshot manifest is missing (a failed call must say what it would have read)",
    ),
    code_of(
        "snapshot-bad-value",
        Error,
        Model,
        "a snapshot manifest's version, call outcome or kind of unread part is not one poolscope knows",
    ),
    code_of(
        "snapshot-incomplete",
        Warning,
        Model,
        "`audit`: the snapshot could not read a part of the account (a failed call in its manifest); questions it could change answer `unknown` and the audit exits 3 when nothing else fails",
    ),
    code_of(
        "scope-down-malformed",
        Error,
        Model,
        "the embedded guest scope-down data is malformed (an internal error)",
    ),
    code_of(
        "query-bad-principal",
        Error,
        Questions,
        "`--as` is not a principal selector",
    ),
    code_of(
        "query-bad-action",
        Error,
        Questions,
        "`--action` is not of the form `service:Action`",
    ),
    code_of(
        "query-unknown-action",
        Error,
        Questions,
        "the action is not in the catalogue, its service prefix does not exist, or the pattern matches no action; with \"did you mean\"",
    ),
    code_of(
        "query-bad-resource",
        Error,
        Questions,
        "`--resource` is not `*` or an ARN pattern",
    ),
    code_of(
        "query-resource-type",
        Error,
        Questions,
        "the resource fits none of the resource types the action acts on; the help lists them with their ARN formats",
    ),
    code_of(
        "query-bad-placeholder",
        Error,
        Questions,
        "a placeholder other than `{self}` and `{other}`, or an unclosed `{`",
    ),
    code_of(
        "query-bad-claim",
        Error,
        Questions,
        "`--claim` is not `KEY=VALUE`",
    ),
    code_of(
        "query-unknown-claim",
        Error,
        Questions,
        "no input names the claim and it is no standard token claim; with \"did you mean\" or the inputs' custom claims",
    ),
    code_of(
        "query-bad-context",
        Error,
        Questions,
        "`--context` is not `KEY=VALUE` or `KEY+=VALUE`",
    ),
    code_of(
        "query-unknown-context-key",
        Error,
        Questions,
        "the key is in no catalogue and no policy of the inputs; with \"did you mean\"",
    ),
    code_of(
        "query-context-single-valued",
        Error,
        Questions,
        "two values for a key the catalogue types single-valued",
    ),
    code_of(
        "query-context-mixed",
        Error,
        Questions,
        "one key pinned with both `=` and `+=`",
    ),
    code_of(
        "query-bad-expectation",
        Error,
        Questions,
        "`--expect` is not `possible`, `never` or `always`",
    ),
    code_of(
        "query-bad-identity",
        Error,
        Questions,
        "`explain --identity` is not `REGION:GUID`",
    ),
    code_of(
        "query-unknown-pool",
        Error,
        Questions,
        "the selector names a pool, provider or role the inputs do not have; with \"did you mean\"",
    ),
    code_of(
        "query-unknown-provider",
        Error,
        Questions,
        "the selector names a pool, provider or role the inputs do not have; with \"did you mean\"",
    ),
    code_of(
        "query-unknown-role",
        Error,
        Questions,
        "the selector names a pool, provider or role the inputs do not have; with \"did you mean\"",
    ),
    code_of(
        "explain-action-pattern",
        Error,
        Questions,
        "`explain` was given an action pattern; it evaluates one concrete request",
    ),
    code_of(
        "deciding-statement",
        Note,
        Questions,
        "(`explain` human output) a statement that decided an allowed or denied route, drawn on its source",
    ),
    code_of(
        "yaml-syntax",
        Error,
        Templates,
        "the file is not valid YAML (or nests past the parser's own limit); points at the offending character",
    ),
    code_of(
        "yaml-too-deep",
        Error,
        Templates,
        "YAML nested more than 128 levels deep",
    ),
    code_of(
        "yaml-alias-limit",
        Error,
        Templates,
        "YAML aliases would copy more than 100,000 nodes (an alias bomb)",
    ),
    code_of(
        "cfn-unknown-value",
        Warning,
        Templates,
        "a value the inputs do not determine (a parameter without value, an unexported `Fn::ImportValue`, an intrinsic not evaluated, a condition on unknown values): taken as any value",
    ),
    code_of(
        "cfn-unknown-policy",
        Warning,
        Templates,
        "a policy document holding an unknown value: the whole policy is unknown",
    ),
    code_of(
        "cfn-unknown-bucket",
        Warning,
        Templates,
        "a bucket policy whose bucket is unknown applies to no bucket poolscope can name",
    ),
    code_of(
        "cfn-policy-not-attached",
        Warning,
        Templates,
        "an IAM policy resource names a role poolscope cannot find, or users or groups",
    ),
    code_of(
        "cfn-unknown-reference",
        Error,
        Templates,
        "`Ref`, `Fn::GetAtt` or a condition names nothing of the template",
    ),
    code_of(
        "cfn-bad-intrinsic",
        Error,
        Templates,
        "an intrinsic function with malformed arguments",
    ),
    code_of(
        "cfn-wrong-type",
        Error,
        Templates,
        "a resource property of the wrong type",
    ),
    code_of(
        "cfn-missing-property",
        Error,
        Templates,
        "a required property is missing (warning for `AmbiguousRoleResolution`)",
    ),
    code_of(
        "cfn-bad-value",
        Error,
        Templates,
        "a property value outside its choices",
    ),
    code_of(
        "cfn-resource-not-read",
        Note,
        Templates,
        "resources of types poolscope does not model, per type",
    ),
    code_of(
        "cfn-assumed-account",
        Note,
        Templates,
        "no `--param AWS::AccountId`: the account and region templates are read in",
    ),
    code_of(
        "cdk-template-missing",
        Note,
        Templates,
        "the cloud assembly (`cdk.out` manifest) names a stack template that is not among the inputs",
    ),
    code_of(
        "cfn-nested-template-missing",
        Warning,
        Templates,
        "a nested stack's `TemplateURL` matches no loaded template (or two equally well): its resources are not read and its outputs are unknown",
    ),
    code_of(
        "cfn-custom-resource-role",
        Warning,
        Templates,
        "a role is handed to a custom resource, whose code may rewrite it: its trust policy is unknown (admits everyone)",
    ),
    code_of(
        "tf-assumed-account",
        Note,
        Templates,
        "a plan's ARNs known only after apply are built in the default account; `--param AWS::AccountId` sets it",
    ),
    code_of(
        "param-invalid",
        Error,
        Templates,
        "a `--param` that is not `KEY=VALUE`",
    ),
    code_of(
        "tf-unknown-value",
        Warning,
        Templates,
        "a Terraform plan attribute known only after apply and not linked through the configuration: taken as any value",
    ),
    code_of(
        "tf-unknown-policy",
        Warning,
        Templates,
        "a Terraform policy holding such a value: the whole policy is unknown",
    ),
    code_of(
        "tf-policy-not-attached",
        Warning,
        Templates,
        "an `aws_iam_role_policy` or attachment names a role not in the same file",
    ),
    code_of(
        "tf-wrong-type",
        Error,
        Templates,
        "a Terraform attribute of the wrong type",
    ),
    code_of(
        "tf-missing-attribute",
        Error,
        Templates,
        "a required attribute is missing",
    ),
    code_of(
        "tf-bad-value",
        Error,
        Templates,
        "an attribute value outside its choices",
    ),
    code_of(
        "tf-resource-not-read",
        Note,
        Templates,
        "resources of types poolscope does not model, per type",
    ),
    code_of(
        "policy-not-an-object",
        Error,
        Policy,
        "the document is not a JSON object",
    ),
    code_of("policy-missing-statement", Error, Policy, "no `Statement`"),
    code_of(
        "policy-missing-element",
        Error,
        Policy,
        "a required member is missing where no more precise `policy-missing-*` id applies",
    ),
    code_of(
        "policy-wrong-type",
        Error,
        Policy,
        "an element has the wrong JSON type",
    ),
    code_of(
        "policy-invalid-version",
        Error,
        Policy,
        "`Version` is not `2012-10-17` or `2008-10-17`",
    ),
    code_of(
        "policy-unknown-element",
        Error,
        Policy,
        "unknown top-level or statement key (with \"did you mean\")",
    ),
    code_of(
        "policy-duplicate-key",
        Error,
        Policy,
        "a key repeated in one object",
    ),
    code_of(
        "policy-missing-effect",
        Error,
        Policy,
        "statement has no `Effect`",
    ),
    code_of(
        "policy-invalid-effect",
        Error,
        Policy,
        "`Effect` is not exactly `Allow` or `Deny`",
    ),
    code_of(
        "policy-missing-action",
        Error,
        Policy,
        "neither `Action` nor `NotAction`",
    ),
    code_of(
        "policy-conflicting-elements",
        Error,
        Policy,
        "both X and NotX (Action, Resource or Principal)",
    ),
    code_of(
        "policy-invalid-principal",
        Error,
        Policy,
        "`Principal` is a bare string other than `\"*\"`",
    ),
    code_of(
        "policy-unknown-principal-type",
        Error,
        Policy,
        "principal key is not AWS, Federated, Service or CanonicalUser",
    ),
    code_of(
        "policy-unknown-operator",
        Error,
        Policy,
        "unknown condition operator (with \"did you mean\")",
    ),
    code_of(
        "policy-empty-element",
        Warning,
        Policy,
        "empty Statement, Action, Resource, Principal, Condition or value list",
    ),
    code_of("policy-duplicate-sid", Error, Policy, "`Sid` not unique"),
    code_of(
        "policy-invalid-sid",
        Error,
        Policy,
        "non-alphanumeric `Sid` where IAM requires it",
    ),
    code_of(
        "policy-principal-not-allowed",
        Error,
        Policy,
        "Principal in an identity, boundary or session policy",
    ),
    code_of(
        "policy-missing-principal",
        Error,
        Policy,
        "resource or trust policy statement without a Principal",
    ),
    code_of(
        "policy-notprincipal-with-allow",
        Warning,
        Policy,
        "`NotPrincipal` with `Allow`",
    ),
    code_of(
        "policy-resource-not-allowed",
        Error,
        Policy,
        "Resource or NotResource in a trust policy",
    ),
    code_of(
        "policy-missing-resource",
        Error,
        Policy,
        "no Resource (error in identity policies, warning in resource policies)",
    ),
    code_of(
        "policy-invalid-principal-id",
        Error,
        Policy,
        "AWS principal that is not `*`, an account id, an ARN or a unique id",
    ),
    code_of(
        "policy-invalid-arn",
        Error,
        Policy,
        "a Resource, ARN condition value or principal ARN is not an ARN",
    ),
    code_of(
        "policy-invalid-action",
        Error,
        Policy,
        "action not of the form `service:action`",
    ),
    code_of(
        "policy-unknown-service",
        Warning,
        Policy,
        "service prefix not in the catalogue",
    ),
    code_of(
        "policy-unknown-action",
        Warning,
        Policy,
        "pattern matches no catalogue action",
    ),
    code_of(
        "policy-variable-in-action",
        Warning,
        Policy,
        "`${…}` in Action is literal text",
    ),
    code_of(
        "policy-variable-in-arn-prefix",
        Error,
        Policy,
        "variable before the ARN's fifth colon",
    ),
    code_of(
        "policy-variable-not-allowed",
        Error,
        Policy,
        "variable in a Numeric, Date, Bool, Binary, IP or Null value",
    ),
    code_of(
        "policy-variable-without-version",
        Warning,
        Policy,
        "`${…}` in a policy without Version 2012-10-17",
    ),
    code_of(
        "policy-unterminated-variable",
        Warning,
        Policy,
        "`${` never closed",
    ),
    code_of(
        "policy-misspelled-key",
        Warning,
        Policy,
        "condition key one or two edits from a known one",
    ),
    code_of(
        "policy-invalid-condition-key",
        Error,
        Policy,
        "condition key has no `service:` prefix",
    ),
    code_of(
        "policy-duplicate-condition-key",
        Error,
        Policy,
        "the same key twice in one operator block",
    ),
    code_of(
        "policy-null-with-set-operator",
        Warning,
        Policy,
        "`ForAllValues:Null` or `ForAnyValue:Null`",
    ),
    code_of(
        "policy-set-operator-on-single-valued-key",
        Warning,
        Policy,
        "set operator on a single-valued global key",
    ),
    code_of(
        "policy-forallvalues-with-allow",
        Warning,
        Policy,
        "ForAllValues in an Allow without a `Null: false` check",
    ),
    code_of(
        "policy-invalid-value",
        Error,
        Policy,
        "a value does not read as its operator's type",
    ),
    code_of(
        "config-unreadable",
        Error,
        Audit,
        "the `--config` file cannot be read (exit 2)",
    ),
    code_of(
        "config-invalid",
        Error,
        Audit,
        "`poolscope.toml` is not TOML, has a key poolscope does not know, or a value of the wrong type; points into the file (exit 2)",
    ),
    code_of(
        "config-unknown-check",
        Error,
        Audit,
        "`[checks.ID]` or an `[[ignore]]` `check` names no check of the catalogue; with \"did you mean\" (exit 2)",
    ),
    code_of(
        "config-bad-value",
        Error,
        Audit,
        "`fail-on` or a `severity` is not one of its choices (exit 2)",
    ),
    code_of(
        "config-ignore-without-reason",
        Error,
        Audit,
        "an `[[ignore]]` entry without a `reason` (exit 2)",
    ),
    code_of(
        "audit-bad-baseline",
        Error,
        Audit,
        "the `--baseline` file cannot be read, is not JSON, or has no `findings` list (exit 2)",
    ),
    code_of(
        "PS001",
        Error,
        Audit,
        "guests reach data keyed by another identity (PS001)",
    ),
    code_of(
        "PS002",
        Error,
        Audit,
        "users reach data keyed by another identity (PS002)",
    ),
    code_of(
        "PS003",
        Error,
        Audit,
        "a trust admits tokens of identity pools not in the inputs (PS003)",
    ),
    code_of(
        "PS004",
        Warning,
        Audit,
        "a role meant for authenticated identities admits unauthenticated tokens (PS004)",
    ),
    code_of(
        "PS005",
        Error,
        Audit,
        "the basic flow reaches unmapped roles or skips the scope-down (PS005)",
    ),
    code_of(
        "PS006",
        Error,
        Audit,
        "a mapping rule reads a claim users set themselves (PS006)",
    ),
    code_of(
        "PS007",
        Warning,
        Audit,
        "Contains/StartsWith/NotEqual match unintended values (PS007)",
    ),
    code_of("PS008", Note, Audit, "a mapping rule never fires (PS008)"),
    code_of(
        "PS009",
        Warning,
        Audit,
        "guest roles hold write or permissions-management actions (PS009)",
    ),
    code_of(
        "PS010",
        Warning,
        Audit,
        "a role chain leads to a more privileged role (PS010)",
    ),
    code_of(
        "PS011",
        Warning,
        Audit,
        "a policy variable has no value for the sessions that carry the policy (PS011)",
    ),
    code_of(
        "PS012",
        Warning,
        Audit,
        "a resource policy allows anonymous or any-account principals (PS012)",
    ),
    code_of("PS013", Note, Audit, "self sign-up is open (PS013)"),
    code_of(
        "PS014",
        Error,
        Audit,
        "Cognito credentials can rewrite who gets which role (PS014)",
    ),
    code_of(
        "PS015",
        Error,
        Audit,
        "a bucket policy is public and S3 Block Public Access does not stop it (PS015)",
    ),
    code_of(
        "spec-unreadable",
        Error,
        Spec,
        "the `--spec` file does not exist or cannot be read",
    ),
    code_of(
        "spec-malformed",
        Error,
        Spec,
        "the spec is not valid TOML, or an `[[assert]]` table has an unknown field, lacks a required one, has a value of the wrong type, or an empty `name`",
    ),
    code_of(
        "spec-empty",
        Error,
        Spec,
        "the spec holds no `[[assert]]` table (a spec that asserts nothing would pass every change)",
    ),
    code_of(
        "spec-duplicate-name",
        Error,
        Spec,
        "two assertions share a name",
    ),
    code_of(
        "check-violated",
        Error,
        Spec,
        "an assertion does not hold; drawn on its `expect`, with the witness (or counterexample) and the statements that decided it",
    ),
    code_of(
        "check-unknown",
        Warning,
        Spec,
        "an assertion could not be decided (a solver timeout, an unsettled route); never counted as held",
    ),
    code_of(
        "diff-new-access",
        Error,
        Versions,
        "head allows requests base does not; with a witness replayed by the evaluator and refused on base",
    ),
    code_of(
        "diff-removed-access",
        Note,
        Versions,
        "base allowed requests head does not",
    ),
    code_of(
        "diff-undecided",
        Warning,
        Versions,
        "a question of the diff could not be decided on one of the versions",
    ),
    code_of(
        "diff-route-added",
        Note,
        Versions,
        "a route to credentials is in one version only",
    ),
    code_of(
        "diff-route-removed",
        Note,
        Versions,
        "a route to credentials is in one version only",
    ),
    code_of(
        "diff-principal-added",
        Note,
        Versions,
        "a principal class (guests or users of a pool and provider, identities of other pools, another account) has a route in one version only",
    ),
    code_of(
        "diff-principal-removed",
        Note,
        Versions,
        "a principal class (guests or users of a pool and provider, identities of other pools, another account) has a route in one version only",
    ),
    code_of(
        "diff-role-added",
        Note,
        Versions,
        "a role is in one version only",
    ),
    code_of(
        "diff-role-removed",
        Note,
        Versions,
        "a role is in one version only",
    ),
    code_of(
        "diff-bad-class",
        Error,
        Versions,
        "`--fail-on-new` names no principal class",
    ),
];
