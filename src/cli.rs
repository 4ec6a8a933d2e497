//! Command-line types (clap derive) and nothing else: the contract of
//! docs/cli.md "Commands". main.rs turns these into library calls.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "poolscope",
    version,
    about = "Static verifier for AWS identity setups built on Amazon Cognito",
    long_about = "poolscope reads identity pools, user pools, IAM roles and policies and \
                  resource policies, models every principal that can get AWS credentials, \
                  and proves or refutes access questions."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub common: CommonFlags,
}

/// Flags every command takes.
#[derive(Debug, Args)]
pub struct CommonFlags {
    /// Per solver query timeout in milliseconds
    #[arg(long, global = true, value_name = "N", default_value_t = 10_000)]
    pub timeout_ms: u64,
    /// Value for a template parameter or variable (CloudFormation pseudo
    /// parameters too, e.g. `AWS::AccountId=111122223333`)
    #[arg(long = "param", global = true, value_name = "KEY=VALUE")]
    pub params: Vec<String>,
    /// Skip paths matching GLOB while walking directories (repeatable)
    ///
    /// A glob without `/` matches the name of any file or directory below a
    /// directory given as PATH (`*.bak.json`, `fixtures`); a glob with `/`
    /// matches the path relative to that directory, where `*` stops at `/`
    /// and `**` crosses it (`legacy/*.json`, `**/generated/*.json`). A
    /// matching directory is skipped whole. Files given as PATH are always
    /// read. Hidden entries and `.git`, `node_modules` and `target` are
    /// always skipped. See docs/cli-inputs.md.
    #[arg(long = "exclude", global = true, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Print only findings, no notes or summary
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// When to use colour in human output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

impl CommonFlags {
    /// What a command reads: its paths with the common `--exclude` and
    /// `--param` flags.
    pub fn inputs(&self, paths: InputPaths) -> crate::ingest::Inputs {
        crate::ingest::Inputs {
            paths: paths.paths,
            exclude: self.exclude.clone(),
            params: self.params.clone(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate policy documents: grammar, unknown actions and keys,
    /// operator/type mismatches, misplaced policy variables
    Lint(LintArgs),
    /// Evaluate one concrete request the way AWS would: how the principal
    /// gets its role, the trust check, then every statement
    Explain(ExplainArgs),
    /// Draw the principal graph: identities → roles → resources
    Graph(GraphArgs),
    /// Ask whether an access is reachable, over every request: a witness
    /// for "possible", a proof for "impossible"
    Query(QueryArgs),
    /// The routes to credentials: each principal class, the role it gets,
    /// how, and whether an outsider can take the route on their own
    Principals(PrincipalsArgs),
    /// Run every built-in check (PS001–PS013) and report findings, each
    /// with the construct to change and, where there is one, a witness
    Audit(AuditArgs),
    /// Run the assertions of a spec file, each a reachability question with
    /// the verdict it must have; fail on any that does not hold
    Check(CheckArgs),
    /// The access the head version grants that the base version does not,
    /// per principal class, each with a witness request
    Diff(DiffArgs),
    /// Snapshot a live account read-only with the AWS CLI, into a directory
    /// every other command reads (docs/collect.md)
    Collect(CollectArgs),
}

#[derive(Debug, Args)]
pub struct CollectArgs {
    /// The snapshot directory: new or empty
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The AWS CLI profile to use (default: the CLI's own resolution)
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// A region to read (repeatable; default: the configured region)
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// Read every region enabled in the account (`ec2 describe-regions`)
    #[arg(long)]
    pub all_regions: bool,
    /// Send every call to this endpoint, for emulators such as moto or
    /// LocalStack
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Calls in flight at once
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub workers: usize,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub inputs: InputPaths,
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    /// Lowest severity that makes the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
}

/// The files to read: every command's positional arguments.
#[derive(Debug, Args)]
pub struct InputPaths {
    /// Files or directories (read recursively)
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// The fail-closed opt-outs of `query` and `explain`.
#[derive(Clone, Copy, Debug, Default, Args)]
pub struct OptOuts {
    /// Ask about an action the built-in catalogue does not list (newer than
    /// the catalogue) instead of refusing it; prints a warning
    #[arg(long)]
    pub allow_unknown_actions: bool,
    /// Accept a `--claim` or `--context` key that no input, catalogue entry
    /// or global key names; prints a warning
    #[arg(long)]
    pub allow_unknown_keys: bool,
}

/// The question `query` and `explain` both ask.
#[derive(Debug, Args)]
pub struct QuestionFlags {
    /// Who asks: `guest[@POOL]`, `user[@POOL[/PROVIDER]]`,
    /// `role:NAME-OR-ARN`, `external`, `anonymous`, `account:ID`, `anyone`
    #[arg(long = "as", value_name = "PRINCIPAL")]
    pub principal: String,
    /// The action, e.g. `s3:GetObject` (`query` also takes a pattern such as
    /// `s3:Get*`)
    #[arg(long, value_name = "ACTION")]
    pub action: String,
    /// The resource ARN (`query`: a pattern with `*`, `?`); `{self}` and
    /// `{other}` stand for the requesting identity's id and another's
    #[arg(long, value_name = "RESOURCE")]
    pub resource: String,
    /// A token claim the identity holds (repeat for a multi-valued claim
    /// such as `cognito:groups`)
    #[arg(long = "claim", value_name = "KEY=VALUE")]
    pub claims: Vec<String>,
    /// Pin a context key (`KEY=VALUE`, repeat for several values); `query`
    /// also takes `KEY+=VALUE`: the values include VALUE, the rest is free
    #[arg(long = "context", value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    #[command(flatten)]
    pub opt_outs: OptOuts,
}

impl QuestionFlags {
    /// The question as the library takes it.
    pub fn text(self) -> crate::query::QuestionText {
        crate::query::QuestionText {
            principal: self.principal,
            action: self.action,
            resource: self.resource,
            claims: self.claims,
            context: self.context,
            leniency: crate::query::Leniency {
                unknown_actions: self.opt_outs.allow_unknown_actions,
                unknown_keys: self.opt_outs.allow_unknown_keys,
            },
        }
    }
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub inputs: InputPaths,
    #[command(flatten)]
    pub question: QuestionFlags,
    /// The requesting identity's id (`REGION:GUID`); a fixed one in the
    /// pool's region when not given
    #[arg(long, value_name = "ID")]
    pub identity: Option<String>,
    #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
    pub format: ExplainFormat,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    #[command(flatten)]
    pub inputs: InputPaths,
    #[command(flatten)]
    pub question: QuestionFlags,
    /// What must hold; exit 1 when it does not
    #[arg(long, value_name = "possible|never|always")]
    pub expect: Option<String>,
    #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
    pub format: ExplainFormat,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub inputs: InputPaths,
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    /// Lowest severity that makes the exit code 1 [default: poolscope.toml's
    /// `fail-on`, else warning]
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// A previous `audit --format json`: report only findings not in it
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// The configuration file [default: poolscope.toml next to the first PATH]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inputs: InputPaths,
    /// The spec: a TOML file of `[[assert]]` tables (docs/cli.md, "Spec
    /// file (`check`)")
    #[arg(long, value_name = "FILE")]
    pub spec: PathBuf,
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The version before the change (files or directories)
    #[arg(long, value_name = "PATH", num_args = 1.., required = true)]
    pub base: Vec<PathBuf>,
    /// The version after the change (files or directories)
    #[arg(long, value_name = "PATH", num_args = 1.., required = true)]
    pub head: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    /// Principal classes whose new access makes the exit code 1
    /// (comma-separated: guest, user, group, external, anonymous, role,
    /// account, iam-user; default guest,user,external,anonymous)
    #[arg(long, value_name = "CLASSES")]
    pub fail_on_new: Option<String>,
}

#[derive(Debug, Args)]
pub struct PrincipalsArgs {
    #[command(flatten)]
    pub inputs: InputPaths,
    #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
    pub format: ExplainFormat,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    #[command(flatten)]
    pub inputs: InputPaths,
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Human,
    Json,
    Sarif,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
