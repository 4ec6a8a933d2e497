//! PS006: a role-mapping rule matches a claim users can set themselves
//! (docs/checks/PS006.md).
//!
//! The claim values tried are those of the reachability engine's claim
//! search ([`crate::reach::claim_candidates`]); a value counts when the
//! outsider model ([`crate::cognito::capabilities`]) lets a stranger put it
//! in their token. When the search also reaches the rule's route (no earlier
//! rule catches the value first), the route is the witness.

use super::rules::rules;
use super::{Audit, CheckInfo, Evidence, Finding, RouteWitness, Witness};
use crate::diagnostic::Severity;
use crate::model::sessions::How;
use crate::reach::claim_candidates;

pub static INFO: CheckInfo = CheckInfo {
    id: "PS006",
    title: "a role-mapping rule matches a claim users can set themselves",
    description: "A Rules role mapping hands out a role on a claim that a stranger controls: \
                  an attribute the app client may write (set at sign-up or with \
                  UpdateUserAttributes), an email that may be changed without verification, a \
                  claim of a social login anyone has. Self-service escalation to the rule's \
                  role follows; the Cognito Developer Guide warns against mapping such claims.",
    fix: "Map roles from claims users cannot change (user pool groups, attributes only \
          administrators write), or remove the attribute from the app client's \
          `WriteAttributes`.",
    severity: Severity::Error,
    security_severity: "8.8",
    tags: &["security", "cognito", "privilege-escalation"],
};

pub fn run(audit: &Audit<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for at in rules(audit) {
        let rule = at.rule;
        let claim = &rule.claim.value;
        let candidates = claim_candidates(claim, rule.match_type.value.name(), &rule.value.value);
        let Some((value, capability)) = at.outsider_value(audit, &candidates) else {
            continue;
        };
        let route = audit.routes.iter().find(|r| {
            r.session.chain.is_empty()
                && r.taken_by.is_outsider()
                && matches!(&r.session.how, How::Rule { mapping, index, .. }
                    if *mapping == at.mapping.provider.value && *index == rule.index)
        });
        let role = rule.role_arn.value.rsplit('/').next().unwrap_or_default();
        let evidence = match route {
            Some(route) => Evidence::of_route(
                "reach's claim search resolves a token an outsider can present to this rule's \
                 role, and the concrete evaluator admits it in the role's trust",
                &route
                    .session
                    .assumptions
                    .iter()
                    .map(|a| a.label.clone())
                    .collect::<Vec<_>>(),
            ),
            None => Evidence::Configuration,
        };
        let spec = capability.claims.claims.get(claim);
        let why = spec.map_or_else(
            || format!("an outsider chooses `{claim}`"),
            |s| s.why.clone(),
        );
        let mut finding = Finding::new(
            &INFO,
            format!(
                "{} of identity pool {} gives role `{role}` to anyone who sets `{claim}` to \
                 `{value}`: {why}",
                at.name(),
                at.pool.label()
            ),
            &rule.claim.loc,
            format!("matches `{claim}`, which users set themselves"),
            evidence,
        )
        .related(&rule.role_arn.loc, "the role it gives")
        .help(format!(
            "map roles from claims users cannot change (a user pool group, an attribute only \
             administrators write), or remove `{claim}` from the app client's \
             `WriteAttributes`; a rule that must read `{claim}` should also require it to be \
             verified"
        ));
        if let Some(loc) = spec.and_then(|s| s.loc.as_ref()) {
            finding = finding.related(loc, why.clone());
        }
        finding = match route {
            Some(route) => {
                finding.witness(Witness::Route(RouteWitness::of(audit.inventory, route)))
            }
            None => finding,
        };
        out.push(finding);
    }
    out
}
