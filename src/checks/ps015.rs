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
//! non-public is a note when `RestrictPublicBuckets` is on (whether it
//! stops the statement is open), and at most a warning when nothing would
//! stop it and the engines prove a request.

use super::{Audit, CheckInfo, Evidence, Finding, Witness, statement_name};
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
            if let Some(finding) = through(audit, bucket, statement, &name, because, true) {
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
            let Some(statement) = bucket.policy.statements.iter().find(|s| s.index == *index)
            else {
                continue;
            };
            let name = statement_name(&bucket.policy, statement);
            let Some(restrict) = &restrict else {
                // Nothing would stop it if S3 counts it public: report what
                // gets through, at most as a warning, saying it may be public.
                let open = format!("S3's documents do not settle {question}");
                if let Some(finding) = through(audit, bucket, statement, &name, &open, false) {
                    let severity = finding.diagnostic.severity.min(Severity::Warning);
                    out.push(finding.severity(severity));
                }
                continue;
            };
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
    certain: bool,
) -> Option<Finding> {
    let (who, (witness, evidence)) = super::ps012::outsider_witness(audit, statement)?;
    let (whom, severity) = match who {
        PrincipalSelector::Anonymous => ("anyone on the internet (unsigned)", Severity::Error),
        _ => ("principals of any AWS account", Severity::Warning),
    };
    Some(
        Finding::new(
            &INFO,
            format!(
                "{name} {} bucket `{}` public and S3 Block Public Access does not stop it: \
                 {whom} may `{}` `{}`",
                if certain { "makes" } else { "may make" },
                bucket.bucket,
                witness.action,
                witness.resource
            ),
            &statement.loc,
            if certain {
                format!("public: {because}")
            } else {
                format!("perhaps public: {because}")
            },
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{InputFile, load_files};
    use crate::source::SourceFile;

    const IAM: &str = r#"{"RoleDetailList": [{"RoleName": "deployer", "RoleId": "AROAEXAMPLEDEPLOYER1",
        "Arn": "arn:aws:iam::111122223333:role/deployer", "Path": "/",
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]},
        "RolePolicyList": [], "AttachedManagedPolicies": []}], "Policies": []}"#;

    /// PS015's findings (severity, message) on a bucket whose `PublicRead`
    /// statement has `condition`, with or without RestrictPublicBuckets.
    fn findings(condition: &str, block: bool) -> Vec<(Severity, String)> {
        let policy = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Sid": "PublicRead", "Effect": "Allow",
                "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*",
                "Condition": {condition}}}]}}"#
        );
        let mut files = vec![
            ("iam.json".to_string(), IAM.to_string()),
            (
                "bucket-policy.json".to_string(),
                serde_json::json!({"Bucket": "site", "Policy": policy}).to_string(),
            ),
        ];
        if block {
            files.push((
                "block.json".to_string(),
                r#"{"Bucket": "site", "PublicAccessBlockConfiguration": {"RestrictPublicBuckets": true}}"#
                    .to_string(),
            ));
        }
        let inputs: Vec<InputFile> = files
            .into_iter()
            .map(|(path, text)| InputFile {
                source: SourceFile::new(path, text),
                named: true,
            })
            .collect();
        let loaded = load_files(&inputs);
        assert!(!loaded.input_failed, "{:?}", loaded.diagnostics);
        let audit = Audit::new(&loaded.inventory, 10_000);
        run(&audit)
            .into_iter()
            .map(|f| (f.diagnostic.severity, f.diagnostic.message))
            .collect()
    }

    #[test]
    fn a_public_statement_is_an_error_unless_the_block_stops_it() {
        let open = findings("{}", false);
        assert_eq!(open.len(), 1, "{open:?}");
        assert_eq!(open[0].0, Severity::Error);
        assert!(open[0].1.contains("makes bucket `site` public and S3 Block Public Access does not stop it: anyone on the internet (unsigned) may `s3:GetObject`"), "{open:?}");
        let stopped = findings("{}", true);
        assert_eq!(stopped.len(), 1, "{stopped:?}");
        assert_eq!(stopped[0].0, Severity::Note);
        assert!(
            stopped[0].1.contains(
                "but S3 Block Public Access stops it: `RestrictPublicBuckets` on bucket `site`"
            ),
            "{stopped:?}"
        );
    }

    #[test]
    fn a_statement_that_is_not_public_is_no_finding() {
        let vpce = r#"{"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}"#;
        assert!(findings(vpce, false).is_empty());
        assert!(findings(vpce, true).is_empty());
    }

    // docs/semantics.md §13, open questions: a wide `aws:SourceIp` block.
    #[test]
    fn an_undocumented_statement_is_a_warning_or_a_note_that_says_so() {
        let wide = r#"{"IpAddress": {"aws:SourceIp": "0.0.0.0/1"}}"#;
        let open = findings(wide, false);
        assert_eq!(open.len(), 1, "{open:?}");
        assert_eq!(open[0].0, Severity::Warning);
        assert!(
            open[0].1.contains("may make bucket `site` public"),
            "{open:?}"
        );
        let blocked = findings(wide, true);
        assert_eq!(blocked.len(), 1, "{blocked:?}");
        assert_eq!(blocked[0].0, Severity::Note);
        assert!(
            blocked[0].1.contains("may be public") && blocked[0].1.contains("`0.0.0.0/1`"),
            "{blocked:?}"
        );
    }
}
