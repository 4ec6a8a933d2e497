//! PS012: a resource policy allows anonymous or any-account principals
//! (docs/checks/PS012.md). Each Allow statement of a bucket policy that
//! names everyone is asked about, as the reachability engine's
//! `anonymous`, then as a principal of an account the inputs never name;
//! the engines apply S3 Block Public Access, so access it stops is no
//! finding here (PS015 reports it as stopped).

use super::derive::{actions, pattern, resources};
use super::{Ask, Audit, CheckInfo, Finding, Witness, proven, statement_name};
use crate::diagnostic::Severity;
use crate::policy::{Effect, Principal};
use crate::query::PrincipalSelector;

pub static INFO: CheckInfo = CheckInfo {
    id: "PS012",
    title: "a resource policy allows anonymous or any-account principals",
    description: "A bucket policy statement with `\"Principal\": \"*\"` (or `{\"AWS\": \"*\"}`) \
                  and no condition that narrows it lets unsigned requests, or principals of \
                  any AWS account, act on the bucket's objects. The engines apply the S3 Block \
                  Public Access the inputs show: a statement `RestrictPublicBuckets` stops is \
                  not reported here (PS015 says so).",
    fix: "Name the principals (accounts, roles) the statement is for, or add conditions \
          (`aws:PrincipalOrgID`, `aws:SourceVpce`); serve public files through CloudFront \
          with origin access control instead.",
    severity: Severity::Warning,
    security_severity: "7.5",
    tags: &["security", "s3", "public-access"],
};

/// An account id no input names: "any other account".
pub(super) const STRANGER_ACCOUNT: &str = "210987654321";

pub fn run(audit: &Audit<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for bucket in audit.inventory.bucket_policies() {
        for statement in &bucket.policy.statements {
            let Some(principal) = &statement.principal else {
                continue;
            };
            let everyone = !principal.negated
                && principal
                    .principals
                    .iter()
                    .any(|p| p.value == Principal::Anyone);
            if statement.effect.value != Effect::Allow || !everyone {
                continue;
            }
            let found = outsider_witness(audit, statement);
            let Some((who, (witness, evidence))) = found else {
                continue;
            };
            let whom = match who {
                PrincipalSelector::Anonymous => "anyone on the internet, unsigned".to_string(),
                _ => "principals of any AWS account".to_string(),
            };
            out.push(
                Finding::new(
                    &INFO,
                    format!(
                        "{} lets {whom} `{}` `{}`",
                        statement_name(&bucket.policy, statement),
                        witness.action,
                        witness.resource
                    ),
                    &statement.loc,
                    "`Principal` is everyone",
                    evidence,
                )
                .related(&principal.loc, "no account, role or condition narrows this")
                .help(
                    "name the accounts or roles the statement is for, or add a condition such \
                     as `aws:PrincipalOrgID`; serve public files through CloudFront with origin \
                     access control, and turn on S3 Block Public Access where nothing should \
                     be public",
                )
                .witness(Witness::Request(Box::new(witness))),
            );
        }
    }
    out
}

/// The first request of `statement`'s actions and resources that an
/// anonymous caller or a principal of a stranger account is allowed, with
/// who makes it: the engines decide, so S3 Block Public Access and every
/// other policy have their say.
pub(super) fn outsider_witness(
    audit: &Audit<'_>,
    statement: &crate::policy::Statement,
) -> Option<(
    PrincipalSelector,
    (crate::reach::WitnessReport, super::Evidence),
)> {
    [
        PrincipalSelector::Anonymous,
        PrincipalSelector::Account(STRANGER_ACCOUNT.to_string()),
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
    })
}
