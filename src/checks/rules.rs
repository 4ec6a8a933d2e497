//! Mapping rules as the rule checks (PS006, PS007, PS008) see them: each
//! rule of each Rules mapping, with the pool, the login key it applies to,
//! and what an outsider can put in the claim it reads.

use super::Audit;
use crate::cognito::identity_pool::{IdentityPool, MappingType, RoleMapping, user_pool_id_of};
use crate::cognito::user_pool::UserPool;
use crate::cognito::{Capability, CapabilityKind, ClaimValue, MappingRule};

/// Claims the provider assigns, never the user: a rule on them is no
/// self-service escalation.
const ASSIGNED: [&str; 5] = ["sub", "aud", "iss", "token_use", "identities"];

/// One rule with its context.
pub(super) struct RuleAt<'a> {
    pub pool: &'a IdentityPool,
    pub mapping: &'a RoleMapping,
    pub rule: &'a MappingRule,
    /// The user pool, for user pool providers of the inputs.
    pub user_pool: Option<&'a UserPool>,
}

impl RuleAt<'_> {
    /// `mapping rule n (`claim` Match `value`)`, counted from 1.
    pub fn name(&self) -> String {
        format!(
            "mapping rule {} (`{}` {} `{}`)",
            self.rule.index + 1,
            self.rule.claim.value,
            self.rule.match_type.value,
            self.rule.value.value
        )
    }

    /// The outsider capabilities that log in through this mapping's key.
    pub fn outsiders<'c>(&self, audit: &'c Audit<'_>) -> Vec<&'c Capability> {
        let key = &self.mapping.provider.value;
        audit
            .outsiders
            .iter()
            .filter(|c| c.identity_pool.as_deref() == Some(self.pool.id.as_str()))
            .filter(|c| {
                let Some(provider) = c.provider.as_deref() else {
                    return false;
                };
                let same_provider = key == provider || key.starts_with(&format!("{provider}:"));
                let same_client = match &c.kind {
                    CapabilityKind::SelfSignUp { client, .. } => {
                        key == provider || key.ends_with(&format!(":{client}"))
                    }
                    _ => true,
                };
                same_provider && same_client
            })
            .collect()
    }

    /// A value of the rule's claim an outsider can present that `wanted`
    /// accepts, with the capability that presents it.
    pub fn outsider_value<'c>(
        &self,
        audit: &'c Audit<'_>,
        candidates: &[String],
    ) -> Option<(String, &'c Capability)> {
        let claim = &self.rule.claim.value;
        if ASSIGNED.contains(&claim.as_str()) {
            return None;
        }
        self.outsiders(audit).into_iter().find_map(|capability| {
            let constraint = capability.claims.get(claim);
            if !constraint.is_attacker_chosen() {
                return None;
            }
            candidates
                .iter()
                .find(|c| constraint.admits(Some(&ClaimValue::Single((*c).clone()))))
                .map(|c| (c.clone(), capability))
        })
    }
}

/// Every rule of every Rules mapping of the inputs.
pub(super) fn rules<'a>(audit: &Audit<'a>) -> Vec<RuleAt<'a>> {
    let mut out = Vec::new();
    for pool in audit.inventory.identity_pools() {
        for mapping in &pool.role_mappings {
            if mapping.mapping_type.value != MappingType::Rules {
                continue;
            }
            let user_pool = user_pool_id_of(&mapping.provider.value)
                .and_then(|id| audit.inventory.user_pool(id));
            for rule in &mapping.rules {
                out.push(RuleAt {
                    pool,
                    mapping,
                    rule,
                    user_pool,
                });
            }
        }
    }
    out
}
