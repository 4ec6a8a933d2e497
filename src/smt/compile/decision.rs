//! The decision: AWS's evaluation logic over what each policy allows and
//! denies, as `eval::decide` combines it — explicit deny, RCP and SCP
//! levels, identity ∪ resource within an account, ∩ across accounts,
//! permissions boundary and session policies.

use crate::eval::{AssumptionKind, CallerKind, Grantee, PolicyRole, ResourcePolicyKind};
use crate::policy::arn::Arn;
use crate::policy::public::policy_publicity;
use crate::smt::term::{Formula, Sort, Str, TRUE};

use super::pattern::ArnValue;
use super::{AssumptionVar, Compiler};

/// What one policy allows and denies, as formulas over the request.
pub(super) struct PolicyOutcome {
    pub(super) role: PolicyRole,
    pub(super) allows: Formula,
    pub(super) denies: Formula,
    /// Resource policies: allows by the grantee of each statement.
    pub(super) granted: Vec<(Grantee, Formula)>,
}

impl Compiler<'_, '_> {
    /// The evaluation logic of `decide::combine` over the policies'
    /// formulas.
    pub(super) fn combine(&mut self, outcomes: &[PolicyOutcome]) -> Formula {
        let set = &self.problem.policies;
        let caller = &self.caller;
        let allows = |wanted: &dyn Fn(&PolicyRole) -> bool| {
            Formula::or(
                outcomes
                    .iter()
                    .filter(|o| wanted(&o.role))
                    .map(|o| o.allows.clone())
                    .collect::<Vec<_>>(),
            )
        };
        let denied = Formula::or(
            outcomes
                .iter()
                .map(|o| o.denies.clone())
                .collect::<Vec<_>>(),
        );
        let mut org = Vec::new();
        if set.rcps_apply(caller) {
            for level in 0..set.rcps.len() {
                org.push(allows(&|r| *r == PolicyRole::Rcp { level }));
            }
        }
        if set.scps_apply(caller) {
            for level in 0..set.scps.len() {
                org.push(allows(&|r| *r == PolicyRole::Scp { level }));
            }
        }
        let resource = outcomes.iter().find(|o| {
            matches!(
                o.role,
                PolicyRole::Resource | PolicyRole::Trust | PolicyRole::KeyPolicy
            )
        });
        let granted = |wanted: &dyn Fn(Grantee) -> bool| {
            Formula::or(
                resource
                    .into_iter()
                    .flat_map(|o| o.granted.iter())
                    .filter(|(g, _)| wanted(*g))
                    .map(|(_, f)| f.clone())
                    .collect::<Vec<_>>(),
            )
        };
        let any_grant = granted(&|_| true);
        let body = if !caller.is_account_principal() {
            any_grant
        } else {
            let identity_allows = if caller.kind == CallerKind::Root {
                TRUE
            } else {
                allows(&|r| *r == PolicyRole::Identity)
            };
            let boundary_ok = if set.boundary.is_none() {
                TRUE
            } else {
                allows(&|r| *r == PolicyRole::PermissionsBoundary)
            };
            let session_ok = if set.session.is_empty() {
                TRUE
            } else {
                allows(&|r| *r == PolicyRole::Session)
            };
            let identity_effective =
                Formula::and([identity_allows, boundary_ok.clone(), session_ok.clone()]);
            let must_allow = resource
                .is_some_and(|o| matches!(o.role, PolicyRole::Trust | PolicyRole::KeyPolicy));
            // Naming the session, user or everyone grants directly; naming
            // the role is cut down by the boundary and session policies.
            let via_resource = Formula::or([
                granted(&|g| matches!(g, Grantee::Principal | Grantee::Anyone)),
                Formula::and([granted(&|g| g == Grantee::Role), boundary_ok, session_ok]),
            ]);
            let same_account = Formula::and([
                if must_allow { any_grant.clone() } else { TRUE },
                Formula::or([via_resource, identity_effective.clone()]),
            ]);
            let cross_account = Formula::and([identity_effective, any_grant]);
            let same = self.same_account();
            Formula::or([
                Formula::and([same.clone(), same_account]),
                Formula::and([Formula::not(same), cross_account]),
            ])
        };
        let mut all = vec![Formula::not(denied)];
        all.extend(org);
        all.push(body);
        all.push(Formula::not(self.public_access_block()));
        Formula::and(all)
    }

    /// When S3 Block Public Access's `RestrictPublicBuckets` stops the
    /// request, as `eval::public_access` decides it: the bucket policy is
    /// public and the caller is neither an AWS service nor in the bucket
    /// owner's account. A policy the documents do not settle is a free
    /// boolean (its evaluator reading: not public), so proofs hold whether
    /// S3 counts it public or not.
    fn public_access_block(&mut self) -> Formula {
        let set = &self.problem.policies;
        let Some(block) = &set.restrict_public_buckets else {
            return Formula::Const(false);
        };
        let Some(resource) = set
            .resource
            .filter(|r| r.kind == ResourcePolicyKind::Resource)
        else {
            return Formula::Const(false);
        };
        let caller = &self.caller;
        if matches!(caller.kind, CallerKind::Service { .. }) {
            return Formula::Const(false);
        }
        let publicity = policy_publicity(resource.policy);
        let public = if publicity.is_public() {
            TRUE
        } else if publicity.undocumented.is_empty() {
            return Formula::Const(false);
        } else {
            let scope = block.scope.clone();
            let var = self
                .vars
                .fresh(format!("assume:public-policy:{scope}"), Sort::Bool);
            self.assumptions.push(AssumptionVar {
                var,
                kind: AssumptionKind::UndocumentedPublicPolicy,
                reading: Formula::Const(false),
                place: format!("the bucket policy `{}`", resource.policy.name),
            });
            Formula::var(var)
        };
        let outside = if caller.is_account_principal() && caller.account.is_some() {
            Formula::not(self.same_account())
        } else {
            TRUE
        };
        Formula::and([public, outside])
    }

    /// Whether the resource belongs to the caller's account, as `decide`
    /// works it out.
    fn same_account(&self) -> Formula {
        let caller_account = self.caller.account.clone();
        if let Some(account) = &self.problem.policies.resource_account {
            return Formula::Const(Some(account) == caller_account.as_ref());
        }
        match &self.resource {
            ArnValue::NotArn(text) | ArnValue::Opaque(Str::Lit(text)) => {
                let account = Arn::parse(text)
                    .ok()
                    .map(|a| a.account.to_string())
                    .filter(|a| !a.is_empty())
                    .or_else(|| caller_account.clone());
                Formula::Const(account == caller_account)
            }
            ArnValue::Opaque(_) => Formula::Const(true),
            ArnValue::Parts(c) => {
                let parses = Formula::and([
                    Formula::str_eq(c[0].clone(), Str::lit("arn")),
                    Formula::not(Formula::str_eq(c[1].clone(), Str::lit(""))),
                    Formula::not(Formula::str_eq(c[2].clone(), Str::lit(""))),
                    Formula::not(Formula::str_eq(c[5].clone(), Str::lit(""))),
                ]);
                let empty = Formula::str_eq(c[4].clone(), Str::lit(""));
                let mine = match &caller_account {
                    Some(account) => Formula::str_eq(c[4].clone(), Str::lit(account)),
                    None => Formula::Const(false),
                };
                Formula::or([Formula::not(parses), empty, mine])
            }
        }
    }
}
