//! S3 Block Public Access in a decision: `RestrictPublicBuckets`.
//!
//! Amazon S3 User Guide, "Blocking public access to your Amazon S3
//! storage": with `RestrictPublicBuckets` on (for the bucket, or for the
//! account that owns it), a bucket whose policy is public
//! ([`crate::policy::public`]) can be reached only by AWS service
//! principals and by principals of the bucket owner's account; "public and
//! cross-account access within any public bucket policy, including
//! non-public delegation to specific accounts, is blocked". S3 applies
//! the most restrictive combination of the bucket's and the account's
//! settings, so one of them being on is enough; the caller of the
//! evaluator hands in whichever is.
//!
//! The other three settings do not change how an existing policy is
//! evaluated: `BlockPublicPolicy` refuses to *store* a public policy,
//! `BlockPublicAcls` and `IgnorePublicAcls` concern ACLs, which are no
//! input. When the documents do not settle whether the policy is public,
//! the evaluator reads it as not public (the block does not apply, so no
//! access is hidden) and records the assumption on the statement; the
//! solver keeps both readings.

use serde::Serialize;

use crate::policy::public::policy_publicity;
use crate::source::Location;

use super::decide::{PolicySet, ResourcePolicyKind};
use super::explain::{Assumption, AssumptionKind, serialize_location};
use super::request::{Caller, CallerKind};

/// `RestrictPublicBuckets` in force for a bucket, and where it was set.
#[derive(Clone, Debug, Serialize)]
pub struct RestrictPublicBuckets {
    /// Where it is set, in words: "bucket `site`" or "account 111122223333".
    pub scope: String,
    #[serde(serialize_with = "serialize_location")]
    pub location: Location,
}

/// What the block does to a request the policies allow.
pub(super) enum BlockOutcome {
    /// Nothing: no block, a caller inside the owner's account or an AWS
    /// service, or a policy that is not public.
    Open,
    /// The request is stopped; the sentence says why.
    Stops(String),
    /// Whether the policy is public is not documented: read as not public.
    /// The assumptions go on the statements, by index.
    Assumed(Vec<(usize, Assumption)>),
}

/// Whether the caller is one `RestrictPublicBuckets` leaves through: an AWS
/// service, or a principal of the bucket owner's account.
pub fn passes_restriction(caller: &Caller, owner: Option<&str>) -> bool {
    matches!(caller.kind, CallerKind::Service { .. })
        || (caller.is_account_principal()
            && caller.account.is_some()
            && caller.account.as_deref() == owner)
}

/// What `RestrictPublicBuckets` does to an allowed request of `caller` on a
/// bucket owned by `owner`.
pub(super) fn restrict(caller: &Caller, set: &PolicySet<'_>, owner: Option<&str>) -> BlockOutcome {
    let Some(block) = &set.restrict_public_buckets else {
        return BlockOutcome::Open;
    };
    let Some(resource) = set
        .resource
        .filter(|r| r.kind == ResourcePolicyKind::Resource)
    else {
        return BlockOutcome::Open;
    };
    if passes_restriction(caller, owner) {
        return BlockOutcome::Open;
    }
    let publicity = policy_publicity(resource.policy);
    if let Some((index, because)) = publicity.public.first() {
        let statement = resource
            .policy
            .statements
            .iter()
            .find(|s| s.index == *index)
            .map_or_else(|| format!("statement {index}"), |s| s.label());
        let (line, _) = block.location.line_col();
        return BlockOutcome::Stops(format!(
            "S3 Block Public Access: RestrictPublicBuckets on {} ({}:{line}) stops this: the \
             bucket policy is public ({statement}: {because}) and the {} is outside the bucket \
             owner's account{}",
            block.scope,
            block.location.path(),
            caller.describe(),
            owner.map(|o| format!(" {o}")).unwrap_or_default(),
        ));
    }
    if publicity.undocumented.is_empty() {
        return BlockOutcome::Open;
    }
    BlockOutcome::Assumed(
        publicity
            .undocumented
            .into_iter()
            .map(|(index, question)| {
                (
                    index,
                    Assumption {
                        kind: AssumptionKind::UndocumentedPublicPolicy,
                        text: format!(
                            "RestrictPublicBuckets on {} would stop the {} if S3 counts this \
                             statement public; AWS's documentation does not settle {question}: \
                             assumed not public, so the block does not apply",
                            block.scope,
                            caller.describe()
                        ),
                    },
                )
            })
            .collect(),
    )
}
