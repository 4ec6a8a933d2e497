//! What the evaluator says about a decision: plain data for `explain`'s
//! reporters and for witness checks.
//!
//! Owns the explanation types: per policy (name and role in the decision),
//! per statement (applied or not, the first reason it did not, and where in
//! the source to point), and the one-sentence reason of the decision.
//! Locations serialize as `{file, line, column, pointer}`.

use serde::{Serialize, Serializer};

use crate::source::Location;

/// The three outcomes of AWS's evaluation logic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Allowed,
    ExplicitlyDenied,
    ImplicitlyDenied,
}

impl Decision {
    pub fn is_allowed(self) -> bool {
        self == Decision::Allowed
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::ExplicitlyDenied => "explicitly_denied",
            Decision::ImplicitlyDenied => "implicitly_denied",
        }
    }
}

/// The part a policy plays in a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum PolicyRole {
    Identity,
    Resource,
    /// A role's trust policy (a resource policy that must allow).
    Trust,
    /// A KMS key policy (a resource policy that must allow).
    KeyPolicy,
    PermissionsBoundary,
    Session,
    /// A service control policy at `level` (0 = organization root).
    Scp {
        level: usize,
    },
    /// A resource control policy at `level` (0 = organization root).
    Rcp {
        level: usize,
    },
}

impl std::fmt::Display for PolicyRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PolicyRole::Identity => f.write_str("identity-based policy"),
            PolicyRole::Resource => f.write_str("resource-based policy"),
            PolicyRole::Trust => f.write_str("trust policy"),
            PolicyRole::KeyPolicy => f.write_str("key policy"),
            PolicyRole::PermissionsBoundary => f.write_str("permissions boundary"),
            PolicyRole::Session => f.write_str("session policy"),
            PolicyRole::Scp { level } => write!(f, "SCP (level {level})"),
            PolicyRole::Rcp { level } => write!(f, "RCP (level {level})"),
        }
    }
}

/// What happened to each statement of one policy.
#[derive(Clone, Debug, Serialize)]
pub struct PolicyTrace {
    pub name: String,
    pub role: PolicyRole,
    pub statements: Vec<StatementTrace>,
}

/// A reading poolscope takes where AWS's documentation does not settle
/// the behaviour (it is silent or ambiguous), and that a
/// decision about one statement rests on. Recorded on the statement's
/// [`StatementTrace`], so `explain` shows it next to the statement (human
/// text: `assumed: …`; JSON: `assumptions` of the statement). The query
/// solver never relies on one: it keeps both readings open, and a question
/// whose answer differs between them is unknown (docs/semantics.md,
/// "Undocumented corners").
///
/// To add another assumption: a new [`AssumptionKind`] with its
/// [`question`](AssumptionKind::question), a text built where the evaluator
/// takes the reading, and a subsection in docs/semantics.md.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Assumption {
    /// Which undocumented corner.
    pub kind: AssumptionKind,
    /// One sentence for people: what was assumed, for which part of the
    /// policy, and that AWS's documentation does not settle it.
    pub text: String,
}

/// The undocumented corners the evaluator takes a reading on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AssumptionKind {
    /// A `NotResource` entry whose policy variable has no value (and no
    /// default) and that the resource could match for some value: taken to
    /// make the statement not apply, the reading of the npm package
    /// `@cloud-copilot/iam-simulate`. The IAM User Guide ("IAM policy
    /// elements: Variables and tags") says both that such an entry "will not
    /// match any resource" (read literally under `NotResource`: it excludes
    /// nothing) and that an unresolved variable "might cause the entire
    /// statement to be invalid".
    UnresolvedNotResource,
    /// A bucket policy statement that the Amazon S3 User Guide ("The
    /// meaning of "public"") neither counts public nor non-public (a wide
    /// `aws:SourceIp` block, a principal key it does not list, a `*` under
    /// an exact-match operator), on a bucket with `RestrictPublicBuckets`:
    /// taken as not public, so the block does not apply.
    UndocumentedPublicPolicy,
}

impl AssumptionKind {
    /// The open question, as a phrase that fits after "depends on".
    pub fn question(self) -> &'static str {
        match self {
            AssumptionKind::UnresolvedNotResource => {
                "how AWS treats a NotResource entry whose variable has no value"
            }
            AssumptionKind::UndocumentedPublicPolicy => {
                "whether S3 Block Public Access counts the bucket policy as public"
            }
        }
    }

    /// The reading poolscope's evaluator takes, as a clause.
    pub fn reading(self) -> &'static str {
        match self {
            AssumptionKind::UnresolvedNotResource => {
                "such an entry makes the statement not apply when the resource could match it"
            }
            AssumptionKind::UndocumentedPublicPolicy => {
                "the policy is not public, so RestrictPublicBuckets does not apply"
            }
        }
    }
}

/// One statement: whether it applied and, if not, the first reason.
#[derive(Clone, Debug, Serialize)]
pub struct StatementTrace {
    /// Position in the policy's Statement list.
    pub index: usize,
    /// The statement's name in reports: its Sid, or its position.
    pub label: String,
    pub effect: &'static str,
    pub applies: bool,
    /// Why the statement does not apply (the first element that fails).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The statement object.
    #[serde(serialize_with = "serialize_location")]
    pub location: Location,
    /// The element or condition the reason points at (the statement itself
    /// when it applies).
    #[serde(serialize_with = "serialize_location")]
    pub reason_location: Location,
    /// Readings of undocumented behaviour that decided whether the
    /// statement applies; empty when AWS documents everything it needed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub assumptions: Vec<Assumption>,
}

/// A statement, by position in [`Explanation::policies`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct StatementRef {
    pub policy: usize,
    pub statement: usize,
}

/// Why the decision came out as it did.
#[derive(Clone, Debug, Serialize)]
pub struct Explanation {
    /// One sentence naming the rule of the evaluation logic that decided.
    pub summary: String,
    /// The statements that decided: the explicit denies, or the allows that
    /// made up the permission. Empty for an implicit deny.
    pub deciding: Vec<StatementRef>,
    /// Every policy considered, in the order of AWS's flow chart.
    pub policies: Vec<PolicyTrace>,
}

impl Explanation {
    pub fn statement(&self, at: StatementRef) -> Option<&StatementTrace> {
        self.policies.get(at.policy)?.statements.get(at.statement)
    }

    /// Every assumption a statement's outcome rests on, in policy order.
    pub fn assumptions(&self) -> impl Iterator<Item = &Assumption> {
        self.policies
            .iter()
            .flat_map(|p| p.statements.iter())
            .flat_map(|s| s.assumptions.iter())
    }

    /// The statements that decided, each with the policy it belongs to.
    pub fn deciding_statements(&self) -> impl Iterator<Item = (&PolicyTrace, &StatementTrace)> {
        self.deciding.iter().filter_map(|at| {
            let policy = self.policies.get(at.policy)?;
            Some((policy, policy.statements.get(at.statement)?))
        })
    }

    /// Where the statements that decided are written.
    pub fn deciding_locations(&self) -> impl Iterator<Item = &Location> {
        self.deciding_statements()
            .map(|(_, statement)| &statement.location)
    }
}

/// A decision with its explanation.
#[derive(Clone, Debug, Serialize)]
pub struct Evaluation {
    pub decision: Decision,
    pub explanation: Explanation,
}

#[derive(Serialize)]
struct LocationOut<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    pointer: &'a str,
}

/// Serializes a [`Location`] as file, 1-based line and column, and JSON
/// pointer.
pub fn serialize_location<S: Serializer>(loc: &Location, serializer: S) -> Result<S::Ok, S::Error> {
    let (line, column) = loc.line_col();
    LocationOut {
        file: loc.path(),
        line,
        column,
        pointer: &loc.pointer,
    }
    .serialize(serializer)
}
