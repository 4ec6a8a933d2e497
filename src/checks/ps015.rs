//! PS015: a bucket policy is public, and S3 Block Public Access does not
//! stop it — or does, which the finding says (docs/checks/PS015.md).
//!
//! Each `Allow` statement that makes its bucket policy public
//! ([`crate::policy::public`]) is asked about, as the reachability engine's
//! `anonymous` and then as a principal of an account the inputs never name;
//! the engines apply the `RestrictPublicBuckets` the inputs show
//! ([`crate::eval::public_access`]). A request they prove is an error
//! (anonymous) or a warning (any account); a public statement that
//! `RestrictPublicBuckets` stops is a note that says which setting stops it
//! and where. A statement the documents neither count public nor
//! non-public is a note too, as the evaluator's reading (not public) is an
//! assumption.

use super::derive::{actions, pattern, resources};
use super::{Ask, Audit, CheckInfo, Evidence, Finding, Witness, proven, statement_name};
use crate::diagnostic::Severity;
use crate::model::BucketPolicy;
use crate::model::public_access::{InForce, PublicAccessBlock};
use crate::model::sessions::home_account;
use crate::policy::Statement;
use crate::policy::public::policy_publicity;
use crate::query::PrincipalSelector;

pub static INFO: CheckInfo = CheckInfo {
    id: "PS015",
    title: "a bucket policy is public and S3 Block Public Access does not stop it",
    description: "A bucket policy that S3 counts as public (a statement for everyone with no \
                  condition that limits it to fixed principals, networks or sources) lets \
                  anyone read or write the bucket unless S3 Block Public Access's \
                  `RestrictPublicBuckets` is on for the bucket or its account. Reported as an \
                  error when unsigned requests get through, a warning when principals of any \
                  account do, and a note when `RestrictPublicBuckets` stops it.",
    fix: "Turn on S3 Block Public Access for the account (`RestrictPublicBuckets` and \
          `BlockPublicPolicy`), or name the principals the statement is for; serve public \
          files through CloudFront with origin access control.",
    severity: Severity::Error,
    security_severity: "8.2",
    tags: &["security", "s3", "public-access"],
};

const HELP: &str = "turn on S3 Block Public Access at account level (`RestrictPublicBuckets` \
                    stops public and cross-account access through the policy, \
                    `BlockPublicPolicy` refuses new public policies), or name the accounts or \
                    roles the statement is for";

pub fn run(audit: &Audit<'_>) -> Vec<Finding> {
    let home = home_account(audit.inventory);
    let blocks = audit.inventory.public_access_blocks();
    let mut out = Vec::new();
    for bucket in audit.inventory.bucket_policies() {
        let publicity = policy_publicity(&bucket.policy);
        let restrict = blocks.in_force(&bucket.bucket, home.as_deref(), home.as_deref(), |b| {
            &b.restrict_public_buckets
        });
        let block_policy = blocks.in_force(&bucket.bucket, home.as_deref(), home.as_deref(), |b| {
            &b.block_public_policy
        });
        for (index, because) in &publicity.public {
            let Some(statement) = bucket.policy.statements.iter().find(|s| s.index == *index)
            else {
                continue;
            };
            let name = statement_name(&bucket.policy, statement);
            if let Some(finding) = through(audit, bucket, statement, &name, because) {
                out.push(finding);
                continue;
            }
            if let Some(restrict) = &restrict {
                out.push(stopped(
                    bucket,
                    statement,
                    &name,
                    because,
                    restrict,
                    &block_policy,
                ));
            }
        }
        for (index, question) in &publicity.undocumented {
            let (Some(statement), Some(restrict)) = (
                bucket.policy.statements.iter().find(|s| s.index == *index),
                &restrict,
            ) else {
                continue;
            };
            let name = statement_name(&bucket.policy, statement);
            out.push(
                Finding::new(
                    &INFO,
                    format!(
                        "{name} may be public: whether `RestrictPublicBuckets` on {} stops it \
                         depends on {question}, which AWS's documentation does not settle",
                        restrict.block.scope_text()
                    ),
                    &statement.loc,
                    "S3 may count this statement public",
                    Evidence::Assumed {
                        assumptions: vec![
                            "assumed not public, so S3 Block Public Access does not apply"
                                .to_string(),
                        ],
                    },
                )
                .related(&restrict.location, "RestrictPublicBuckets is on here")
                .severity(Severity::Note)
                .help(
                    "limit the statement to fixed values of a key S3 lists (a principal, \
                     `aws:SourceVpce`, `aws:SourceIp` with a narrow CIDR block, …) so it is not \
                     public, or name the principals it is for",
                ),
            );
        }
    }
    out
}

/// The public statement lets anonymous callers, or principals of any
/// account, through: the engines prove a request.
fn through(
    audit: &Audit<'_>,
    bucket: &BucketPolicy,
    statement: &Statement,
    name: &str,
    because: &str,
) -> Option<Finding> {
    let (who, (witness, evidence)) = [
        PrincipalSelector::Anonymous,
        PrincipalSelector::Account(super::ps012::STRANGER_ACCOUNT.to_string()),
    ]
    .into_iter()
    .find_map(|who| {
        actions(statement).into_iter().find_map(|action| {
            resources(statement).into_iter().find_map(|template| {
                let resource = pattern(template, "{self}")?;
                let report = audit.ask(&Ask {
                    principal: who.clone(),
                    action: action.clone(),
                    resource,
                    includes: Vec::new(),
                })?;
                proven(&report).map(|p| (who.clone(), p))
            })
        })
    })?;
    let (whom, severity) = match who {
        PrincipalSelector::Anonymous => ("anyone on the internet (unsigned)", Severity::Error),
        _ => ("principals of any AWS account", Severity::Warning),
    };
    Some(
        Finding::new(
            &INFO,
            format!(
                "{name} makes bucket `{}` public and S3 Block Public Access does not stop it: \
                 {whom} may `{}` `{}`",
                bucket.bucket, witness.action, witness.resource
            ),
            &statement.loc,
            format!("public: {because}"),
            evidence,
        )
        .severity(severity)
        .help(HELP)
        .witness(Witness::Request(Box::new(witness))),
    )
}

/// The public statement is stopped by `RestrictPublicBuckets`.
fn stopped(
    bucket: &BucketPolicy,
    statement: &Statement,
    name: &str,
    because: &str,
    restrict: &InForce<'_>,
    block_policy: &Option<InForce<'_>>,
) -> Finding {
    let scope = restrict.block.scope_text();
    let mut finding = Finding::new(
        &INFO,
        format!(
            "{name} makes bucket `{}` public, but S3 Block Public Access stops it: \
             `RestrictPublicBuckets` on {scope} leaves the bucket to AWS services and the owner's \
             account",
            bucket.bucket
        ),
        &statement.loc,
        format!("public: {because}"),
        Evidence::Configuration,
    )
    .related(&restrict.location, "RestrictPublicBuckets is on here")
    .severity(Severity::Note);
    finding = match block_policy {
        Some(on) => finding.related(&on.location, "BlockPublicPolicy is on here"),
        None => finding,
    };
    let help = if account_level(restrict.block) {
        "nothing to do for access; remove the statement if the bucket is not meant to be public, \
         since it would take effect again if the block were turned off"
    } else {
        "the bucket's own block is what stops it: turn on `RestrictPublicBuckets` and \
         `BlockPublicPolicy` at account level too, or remove the statement if the bucket is not \
         meant to be public"
    };
    finding.help(help)
}

fn account_level(block: &PublicAccessBlock) -> bool {
    matches!(
        block.scope,
        crate::model::public_access::BlockScope::Account(_)
    )
}
