//! The inventory: everything the inputs say, merged across files.
//!
//! Ingesters add what they read — roles with their trust, inline, managed
//! and boundary policies; managed policies (their default version); IAM
//! users and groups; identity pools and user pools, which may arrive in
//! pieces from several files (`describe-identity-pool` here,
//! `get-identity-pool-roles` there); bucket policies; S3 Block Public
//! Access settings ([`super::public_access`]); standalone policy
//! documents. Lookups go by ARN, id and name. After every file is read,
//! [`Inventory::check_links`] reports references that point at nothing the
//! inputs show. Such a reference is *unknown*, never harmless: lookups hand
//! it on as [`RoleRef::Unknown`] / [`PolicyRef::Unknown`] so later stages can
//! treat it as "may allow anything".

use std::collections::HashMap;

use super::public_access::{PublicAccessBlock, PublicAccessBlocks};
use crate::cognito::identity_pool::IdentityPool;
use crate::cognito::user_pool::{self, UserPool};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::did_you_mean;
use crate::model::unreadable::Unreadable;
use crate::policy::Policy;
use crate::source::Location;
use crate::source::Spanned;

/// An IAM role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    pub name: String,
    pub arn: String,
    /// The unique id (`AROA…`), when the input gives it.
    pub id: Option<String>,
    /// The account id from the ARN.
    pub account: Option<String>,
    pub path: Option<String>,
    /// `AssumeRolePolicyDocument`; `None` when absent or unreadable, which
    /// means unknown (a diagnostic says why), not "trusts nobody".
    pub trust_policy: Option<Policy>,
    pub inline_policies: Vec<NamedPolicy>,
    /// Attached managed policies, by ARN, where each attachment is written.
    pub managed_policy_arns: Vec<Spanned<String>>,
    pub permissions_boundary: Option<Spanned<String>>,
    pub tags: Vec<(String, String)>,
    /// The role's whole entry in its input.
    pub loc: Location,
}

/// An inline policy of a role, user or group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedPolicy {
    pub name: String,
    /// `None` when the document could not be read: unknown, not empty.
    pub policy: Option<Policy>,
    pub loc: Location,
}

/// A customer or AWS managed policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManagedPolicy {
    pub arn: String,
    pub name: String,
    pub default_version: Option<String>,
    /// The default version's document; `None` when missing or unreadable.
    pub policy: Option<Policy>,
    pub loc: Location,
}

/// An IAM user (read for completeness: users can assume roles).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IamUser {
    pub name: String,
    pub arn: String,
    pub inline_policies: Vec<NamedPolicy>,
    pub managed_policy_arns: Vec<Spanned<String>>,
    pub permissions_boundary: Option<Spanned<String>>,
    /// Names of the IAM groups the user belongs to.
    pub groups: Vec<Spanned<String>>,
    pub loc: Location,
}

/// An IAM group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IamGroup {
    pub name: String,
    pub arn: String,
    pub inline_policies: Vec<NamedPolicy>,
    pub managed_policy_arns: Vec<Spanned<String>>,
    pub loc: Location,
}

/// An S3 bucket policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BucketPolicy {
    pub bucket: String,
    /// Where the bucket name was read (`None`: taken from the file name or
    /// from the policy's resources).
    pub bucket_loc: Option<Location>,
    pub policy: Policy,
    pub loc: Location,
}

/// A role reference, resolved.
#[derive(Clone, Copy, Debug)]
pub enum RoleRef<'a> {
    Known {
        role: &'a Role,
        /// Where the reference is written.
        reference: &'a Location,
    },
    /// The role is not in the inputs: its trust and permissions are unknown.
    Unknown {
        arn: &'a str,
        reference: &'a Location,
    },
}

impl RoleRef<'_> {
    pub fn arn(&self) -> &str {
        match self {
            RoleRef::Known { role, .. } => &role.arn,
            RoleRef::Unknown { arn, .. } => arn,
        }
    }

    pub fn reference(&self) -> &Location {
        match self {
            RoleRef::Known { reference, .. } | RoleRef::Unknown { reference, .. } => reference,
        }
    }

    pub fn is_known(&self) -> bool {
        matches!(self, RoleRef::Known { .. })
    }
}

/// A policy a principal carries, resolved.
#[derive(Clone, Copy, Debug)]
pub enum PolicyRef<'a> {
    Known {
        /// The managed policy ARN or inline policy name.
        name: &'a str,
        policy: &'a Policy,
    },
    /// Not in the inputs, or unreadable: may allow anything.
    Unknown {
        name: &'a str,
        reference: &'a Location,
    },
}

/// Everything the inputs say. See the module documentation.
#[derive(Debug, Default)]
pub struct Inventory {
    roles: Vec<Role>,
    role_by_arn: HashMap<String, usize>,
    role_by_name: HashMap<String, usize>,
    managed_policies: Vec<ManagedPolicy>,
    policy_by_arn: HashMap<String, usize>,
    users: Vec<IamUser>,
    groups: Vec<IamGroup>,
    identity_pools: Vec<IdentityPool>,
    identity_pool_by_id: HashMap<String, usize>,
    user_pools: Vec<UserPool>,
    user_pool_by_id: HashMap<String, usize>,
    bucket_policies: Vec<BucketPolicy>,
    policy_documents: Vec<Policy>,
    public_access_blocks: PublicAccessBlocks,
    /// What a `poolscope collect` snapshot could not read
    /// ([`crate::model::unreadable`]).
    unreadable: Vec<Unreadable>,
    functions: crate::model::functions::Functions,
}

impl Inventory {
    pub fn new() -> Inventory {
        Inventory::default()
    }

    // ---- reading -------------------------------------------------------

    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    pub fn managed_policies(&self) -> &[ManagedPolicy] {
        &self.managed_policies
    }

    pub fn users(&self) -> &[IamUser] {
        &self.users
    }

    pub fn groups(&self) -> &[IamGroup] {
        &self.groups
    }

    pub fn identity_pools(&self) -> &[IdentityPool] {
        &self.identity_pools
    }

    pub fn user_pools(&self) -> &[UserPool] {
        &self.user_pools
    }

    pub fn bucket_policies(&self) -> &[BucketPolicy] {
        &self.bucket_policies
    }

    /// Standalone policy documents (files whose top level is a policy).
    pub fn policy_documents(&self) -> &[Policy] {
        &self.policy_documents
    }

    /// The parts of the account a snapshot could not read: unknown, never
    /// empty ([`crate::model::unreadable`]).
    pub fn unreadable(&self) -> &[Unreadable] {
        &self.unreadable
    }

    /// Every policy document the inputs hold: roles' trust and inline
    /// policies, managed policies, users' and groups' inline policies,
    /// bucket policies and standalone documents.
    pub fn every_policy(&self) -> Vec<&Policy> {
        fn inline(policies: &[NamedPolicy]) -> impl Iterator<Item = &Policy> {
            policies.iter().filter_map(|p| p.policy.as_ref())
        }
        let mut all: Vec<&Policy> = Vec::new();
        for role in &self.roles {
            all.extend(role.trust_policy.as_ref());
            all.extend(inline(&role.inline_policies));
        }
        all.extend(
            self.managed_policies
                .iter()
                .filter_map(|p| p.policy.as_ref()),
        );
        for user in &self.users {
            all.extend(inline(&user.inline_policies));
        }
        for group in &self.groups {
            all.extend(inline(&group.inline_policies));
        }
        all.extend(self.bucket_policies.iter().map(|b| &b.policy));
        all.extend(self.policy_documents.iter());
        all
    }

    /// Whether the inputs gave anything to analyse (docs/cli.md, "Fail
    /// closed"): an identity pool, a role, or a policy — standalone,
    /// managed, a bucket's, or inline in an IAM user or group — or a
    /// snapshot's unreadable part, which makes answers `unknown`. User pools
    /// and policy-less users and groups alone give no route to credentials
    /// and no statement to evaluate.
    pub fn holds_anything_to_analyse(&self) -> bool {
        !self.identity_pools.is_empty()
            || !self.roles.is_empty()
            || !self.policy_documents.is_empty()
            || !self.managed_policies.is_empty()
            || !self.bucket_policies.is_empty()
            || !self.unreadable.is_empty()
            || self.users.iter().any(|u| !u.inline_policies.is_empty())
            || self.groups.iter().any(|g| !g.inline_policies.is_empty())
    }

    /// A role by ARN, or by name when `key` is not an ARN.
    pub fn role(&self, key: &str) -> Option<&Role> {
        if key.starts_with("arn:") {
            self.role_by_arn(key)
        } else {
            self.role_by_name.get(key).map(|&i| &self.roles[i])
        }
    }

    pub fn role_by_arn(&self, arn: &str) -> Option<&Role> {
        self.role_by_arn.get(arn).map(|&i| &self.roles[i])
    }

    /// A role reference as written in a pool, mapping rule or group.
    pub fn resolve_role<'a>(&'a self, arn: &'a Spanned<String>) -> RoleRef<'a> {
        match self.role_by_arn(&arn.value) {
            Some(role) => RoleRef::Known {
                role,
                reference: &arn.loc,
            },
            None => RoleRef::Unknown {
                arn: &arn.value,
                reference: &arn.loc,
            },
        }
    }

    pub fn managed_policy(&self, arn: &str) -> Option<&ManagedPolicy> {
        self.policy_by_arn
            .get(arn)
            .map(|&i| &self.managed_policies[i])
    }

    /// A policy reference by managed policy ARN.
    pub fn resolve_policy<'a>(&'a self, arn: &'a Spanned<String>) -> PolicyRef<'a> {
        match self
            .managed_policy(&arn.value)
            .and_then(|p| p.policy.as_ref())
        {
            Some(policy) => PolicyRef::Known {
                name: &arn.value,
                policy,
            },
            None => PolicyRef::Unknown {
                name: &arn.value,
                reference: &arn.loc,
            },
        }
    }

    /// The identity policies of a role: inline, then attached managed ones.
    pub fn role_policies<'a>(&'a self, role: &'a Role) -> Vec<PolicyRef<'a>> {
        let inline = role.inline_policies.iter().map(|p| match &p.policy {
            Some(policy) => PolicyRef::Known {
                name: &p.name,
                policy,
            },
            None => PolicyRef::Unknown {
                name: &p.name,
                reference: &p.loc,
            },
        });
        let managed = role
            .managed_policy_arns
            .iter()
            .map(|arn| self.resolve_policy(arn));
        inline.chain(managed).collect()
    }

    /// The permissions boundary of a role, when it has one.
    pub fn role_boundary<'a>(&'a self, role: &'a Role) -> Option<PolicyRef<'a>> {
        role.permissions_boundary
            .as_ref()
            .map(|arn| self.resolve_policy(arn))
    }

    /// An identity pool by id, or by name when no id matches.
    pub fn identity_pool(&self, key: &str) -> Option<&IdentityPool> {
        match self.identity_pool_by_id.get(key) {
            Some(&i) => Some(&self.identity_pools[i]),
            None => self
                .identity_pools
                .iter()
                .find(|p| p.name.as_ref().is_some_and(|n| n.value == key)),
        }
    }

    /// A user pool by id, or by name when no id matches.
    pub fn user_pool(&self, key: &str) -> Option<&UserPool> {
        user_pool::find(&self.user_pools, key)
    }

    /// Lambda functions ([`crate::model::functions`]).
    pub fn functions(&self) -> &crate::model::functions::Functions {
        &self.functions
    }

    pub fn bucket_policy(&self, bucket: &str) -> Option<&BucketPolicy> {
        self.bucket_policies.iter().find(|b| b.bucket == bucket)
    }

    // ---- building ------------------------------------------------------

    /// Adds a role; a second role with the same ARN is reported and left out.
    pub fn add_role(&mut self, role: Role) -> Option<Diagnostic> {
        if let Some(&i) = self.role_by_arn.get(&role.arn) {
            return Some(duplicate("role", &role.arn, &role.loc, &self.roles[i].loc));
        }
        let index = self.roles.len();
        self.role_by_arn.insert(role.arn.clone(), index);
        self.role_by_name.entry(role.name.clone()).or_insert(index);
        self.roles.push(role);
        None
    }

    pub fn add_managed_policy(&mut self, policy: ManagedPolicy) -> Option<Diagnostic> {
        if let Some(&i) = self.policy_by_arn.get(&policy.arn) {
            return Some(duplicate(
                "managed policy",
                &policy.arn,
                &policy.loc,
                &self.managed_policies[i].loc,
            ));
        }
        self.policy_by_arn
            .insert(policy.arn.clone(), self.managed_policies.len());
        self.managed_policies.push(policy);
        None
    }

    pub fn add_user(&mut self, user: IamUser) -> Option<Diagnostic> {
        if let Some(seen) = self.users.iter().find(|u| u.arn == user.arn) {
            return Some(duplicate("user", &user.arn, &user.loc, &seen.loc));
        }
        self.users.push(user);
        None
    }

    pub fn add_group(&mut self, group: IamGroup) -> Option<Diagnostic> {
        if let Some(seen) = self.groups.iter().find(|g| g.arn == group.arn) {
            return Some(duplicate("group", &group.arn, &group.loc, &seen.loc));
        }
        self.groups.push(group);
        None
    }

    pub fn add_bucket_policy(&mut self, policy: BucketPolicy) -> Option<Diagnostic> {
        if let Some(seen) = self
            .bucket_policies
            .iter()
            .find(|b| b.bucket == policy.bucket)
        {
            return Some(duplicate(
                "bucket policy of",
                &policy.bucket,
                &policy.loc,
                &seen.loc,
            ));
        }
        self.bucket_policies.push(policy);
        None
    }

    /// S3 Block Public Access configurations, per bucket and account.
    pub fn public_access_blocks(&self) -> &PublicAccessBlocks {
        &self.public_access_blocks
    }

    pub fn add_public_access_block(&mut self, block: PublicAccessBlock) -> Option<Diagnostic> {
        self.public_access_blocks.add(block)
    }

    pub fn add_function(&mut self, function: crate::model::Function) -> Option<Diagnostic> {
        self.functions.add(function)
    }

    pub fn add_policy_document(&mut self, policy: Policy) {
        self.policy_documents.push(policy);
    }

    pub fn add_unreadable(&mut self, unreadable: Unreadable) {
        self.unreadable.push(unreadable);
    }

    /// The identity pool with this id, created with every setting assumed
    /// when first seen; ingesters fill in what their input says.
    pub fn identity_pool_entry(&mut self, id: &str, loc: &Location) -> &mut IdentityPool {
        let index = match self.identity_pool_by_id.get(id) {
            Some(&i) => i,
            None => {
                let i = self.identity_pools.len();
                self.identity_pools
                    .push(IdentityPool::unknown(id, loc.clone()));
                self.identity_pool_by_id.insert(id.to_string(), i);
                i
            }
        };
        &mut self.identity_pools[index]
    }

    /// The user pool with this id, created with every setting assumed when
    /// first seen.
    pub fn user_pool_entry(&mut self, id: &str, loc: &Location) -> &mut UserPool {
        let index = match self.user_pool_by_id.get(id) {
            Some(&i) => i,
            None => {
                let i = self.user_pools.len();
                self.user_pools.push(UserPool::unknown(id, loc.clone()));
                self.user_pool_by_id.insert(id.to_string(), i);
                i
            }
        };
        &mut self.user_pools[index]
    }

    // ---- links ---------------------------------------------------------

    /// Reports what the inputs reference but do not show, and pools whose
    /// settings are assumed. Call once, after every file is read.
    pub fn check_links(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for pool in &self.identity_pools {
            self.check_identity_pool(pool, &mut out);
        }
        for pool in &self.user_pools {
            if pool.settings_loc.is_none() {
                out.push(
                    Diagnostic::warning(
                        "model-assumed-settings",
                        format!(
                            "the settings of user pool {} are not in the inputs: self sign-up \
                             is assumed open and its attributes unknown",
                            pool.label()
                        ),
                    )
                    .at(&pool.loc, "the pool is only referenced here")
                    .with_help("add the output of `aws cognito-idp describe-user-pool`"),
                );
            }
            for group in &pool.groups {
                if let Some(role) = &group.role_arn {
                    self.check_role_arn(role, "group role", &mut out);
                }
            }
        }
        // Roles, users and groups attach managed policies alike; roles and
        // users may have a permissions boundary too.
        let attachments = self
            .roles
            .iter()
            .map(|r| (&r.managed_policy_arns, r.permissions_boundary.as_ref()))
            .chain(
                self.users
                    .iter()
                    .map(|u| (&u.managed_policy_arns, u.permissions_boundary.as_ref())),
            )
            .chain(self.groups.iter().map(|g| (&g.managed_policy_arns, None)));
        for (managed, boundary) in attachments {
            for arn in managed {
                self.check_policy_arn(arn, "attached managed policy", &mut out);
            }
            if let Some(arn) = boundary {
                self.check_policy_arn(arn, "permissions boundary", &mut out);
            }
        }
        out
    }

    fn check_identity_pool(&self, pool: &IdentityPool, out: &mut Vec<Diagnostic>) {
        if pool.settings_loc.is_none() {
            out.push(
                Diagnostic::warning(
                    "model-assumed-settings",
                    format!(
                        "the settings of identity pool {} are not in the inputs: guest access \
                         and the basic flow are assumed on, and its login providers unknown",
                        pool.label()
                    ),
                )
                .at(&pool.loc, "the pool is only referenced here")
                .with_help("add the output of `aws cognito-identity describe-identity-pool`"),
            );
        }
        if pool.roles_loc.is_none() {
            out.push(
                Diagnostic::warning(
                    "model-unknown-pool-roles",
                    format!(
                        "the roles of identity pool {} are not in the inputs: the roles it \
                         hands out are unknown",
                        pool.label()
                    ),
                )
                .at(&pool.loc, "no roles known for this pool")
                .with_help("add the output of `aws cognito-identity get-identity-pool-roles`"),
            );
        }
        for arn in pool.role_arns() {
            self.check_role_arn(arn, "identity pool role", out);
        }
        for provider in &pool.cognito_providers {
            let Some(id) = provider.user_pool_id() else {
                continue;
            };
            if self.user_pool(id).is_none() {
                out.push(
                    Diagnostic::note(
                        "model-unknown-user-pool",
                        format!(
                            "user pool `{id}` is not in the inputs: self sign-up and the \
                             attributes users can write are assumed open"
                        ),
                    )
                    .at(&provider.provider_name.loc, "this provider")
                    .with_help(
                        "add the output of `aws cognito-idp describe-user-pool` and \
                         `describe-user-pool-client`",
                    ),
                );
            }
        }
        if pool.providers_known() {
            for mapping in &pool.role_mappings {
                let key = &mapping.provider.value;
                let used = pool
                    .cognito_providers
                    .iter()
                    .any(|p| p.mapping_key() == *key || p.provider_name.value == *key)
                    || pool.trusts(key, None);
                if !used {
                    out.push(
                        Diagnostic::warning(
                            "model-mapping-unused",
                            format!(
                                "the role mapping for `{key}` names no login provider of \
                                 identity pool {}: it never applies",
                                pool.label()
                            ),
                        )
                        .at(&mapping.provider.loc, "no such provider in the pool")
                        .with_help(
                            "user pool mappings are keyed `cognito-idp.REGION.amazonaws.com/\
                             POOL_ID:APP_CLIENT_ID`",
                        ),
                    );
                }
            }
        }
    }

    fn check_role_arn(&self, arn: &Spanned<String>, what: &str, out: &mut Vec<Diagnostic>) {
        if self.role_by_arn(&arn.value).is_some() {
            return;
        }
        let mut diagnostic = Diagnostic::warning(
            "model-unknown-role",
            format!(
                "{what} `{}` is not in the inputs; its trust and permissions are unknown",
                arn.value
            ),
        )
        .at(&arn.loc, "no such role in the inputs");
        let name = arn.value.rsplit('/').next().unwrap_or(&arn.value);
        let close =
            did_you_mean(&arn.value, self.roles.iter().map(|r| r.arn.as_str())).or_else(|| {
                self.role_by_name
                    .get(name)
                    .map(|&i| self.roles[i].arn.as_str())
            });
        diagnostic = match close {
            Some(arn) => diagnostic.with_help(format!("did you mean `{arn}`?")),
            None => diagnostic.with_help(
                "add the role to the inputs (`aws iam get-account-authorization-details`); \
                 until then it is treated as possibly allowing anything",
            ),
        };
        out.push(diagnostic);
    }

    fn check_policy_arn(&self, arn: &Spanned<String>, what: &str, out: &mut Vec<Diagnostic>) {
        match self.managed_policy(&arn.value) {
            Some(policy) if policy.policy.is_some() => {}
            Some(_) => out.push(
                Diagnostic::warning(
                    "model-unknown-policy",
                    format!(
                        "{what} `{}` has no readable default version; its permissions are \
                         unknown",
                        arn.value
                    ),
                )
                .at(&arn.loc, "attached here"),
            ),
            None => out.push(
                Diagnostic::warning(
                    "model-unknown-policy",
                    format!(
                        "{what} `{}` is not in the inputs; its permissions are unknown",
                        arn.value
                    ),
                )
                .at(&arn.loc, "no such policy in the inputs")
                .with_help(
                    "include managed policies in the snapshot (`aws iam \
                     get-account-authorization-details` lists them under `Policies`; AWS \
                     managed ones need `--filter AWSManagedPolicy` too)",
                ),
            ),
        }
    }
}

fn duplicate(what: &str, name: &str, loc: &Location, first: &Location) -> Diagnostic {
    Diagnostic::warning(
        "model-duplicate",
        format!("{what} `{name}` appears more than once; the first one is used"),
    )
    .at(loc, "this one is ignored")
    .with_related(first, "first seen here")
}

/// The account id in an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:…`).
pub fn account_of(arn: &str) -> Option<&str> {
    let account = arn.split(':').nth(4)?;
    (!account.is_empty()).then_some(account)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::Setting;

    fn loc(text: &str) -> Location {
        Location::synthetic("test.json", text)
    }

    fn spanned(text: &str) -> Spanned<String> {
        Spanned::new(text.to_string(), loc(text))
    }

    fn role(name: &str) -> Role {
        let arn = format!("arn:aws:iam::111122223333:role/{name}");
        Role {
            name: name.to_string(),
            account: account_of(&arn).map(str::to_string),
            arn,
            id: None,
            path: Some("/".into()),
            trust_policy: None,
            inline_policies: Vec::new(),
            managed_policy_arns: vec![spanned("arn:aws:iam::aws:policy/ReadOnlyAccess")],
            permissions_boundary: None,
            tags: Vec::new(),
            loc: loc(name),
        }
    }

    #[test]
    fn roles_are_found_by_arn_and_name_and_duplicates_reported() {
        let mut inventory = Inventory::new();
        assert!(inventory.add_role(role("Guest")).is_none());
        let again = inventory.add_role(role("Guest")).expect("duplicate");
        assert_eq!(again.code, "model-duplicate");
        assert_eq!(inventory.roles().len(), 1);
        assert!(inventory.role("Guest").is_some());
        assert!(
            inventory
                .role("arn:aws:iam::111122223333:role/Guest")
                .is_some()
        );
        assert!(
            inventory
                .role("arn:aws:iam::111122223333:role/Other")
                .is_none()
        );
        assert_eq!(
            inventory.roles()[0].account.as_deref(),
            Some("111122223333")
        );
    }

    // A mapping to a role, or an attached policy, that the inputs do not
    // show is unknown: reported with its location and handed on as Unknown.
    #[test]
    fn dangling_references_are_unknown_and_reported() {
        let mut inventory = Inventory::new();
        inventory.add_role(role("Guest"));
        let pool_loc = loc("pool");
        let pool = inventory.identity_pool_entry("us-east-1:abc", &pool_loc);
        pool.settings_loc = Some(pool_loc.clone());
        pool.roles_loc = Some(pool_loc.clone());
        pool.allow_unauthenticated = Setting::given(true, pool_loc.clone());
        pool.unauthenticated_role = Some(spanned("arn:aws:iam::111122223333:role/Guest"));
        pool.authenticated_role = Some(spanned("arn:aws:iam::111122223333:role/Gust"));

        let diagnostics = inventory.check_links();
        let codes: Vec<_> = diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, vec!["model-unknown-role", "model-unknown-policy"]);
        assert_eq!(
            diagnostics[0].help.as_deref(),
            Some("did you mean `arn:aws:iam::111122223333:role/Guest`?")
        );
        assert_eq!(
            diagnostics[0].location().map(|l| l.snippet()),
            Some("arn:aws:iam::111122223333:role/Gust")
        );

        let pool = inventory.identity_pool("us-east-1:abc").expect("pool");
        let auth = pool.authenticated_role.as_ref().expect("role");
        assert!(!inventory.resolve_role(auth).is_known());
        let unauth = pool.unauthenticated_role.as_ref().expect("role");
        assert!(inventory.resolve_role(unauth).is_known());
        let guest = inventory.role("Guest").expect("role");
        assert!(matches!(
            inventory.role_policies(guest)[..],
            [PolicyRef::Unknown { .. }]
        ));
    }

    #[test]
    fn pools_seen_only_by_reference_have_assumed_settings() {
        let mut inventory = Inventory::new();
        inventory.identity_pool_entry("eu-west-1:abc", &loc("x"));
        inventory.user_pool_entry("eu-west-1_Abc", &loc("y"));
        let codes: Vec<_> = inventory.check_links().iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            vec![
                "model-assumed-settings",
                "model-unknown-pool-roles",
                "model-assumed-settings"
            ]
        );
        let pool = inventory.identity_pool("eu-west-1:abc").expect("pool");
        assert!(*pool.allow_unauthenticated.value());
        assert!(pool.allow_unauthenticated.is_assumed());
        assert!(
            inventory
                .user_pool("eu-west-1_Abc")
                .expect("pool")
                .self_sign_up()
        );
    }

    #[test]
    fn accounts_are_read_from_arns() {
        assert_eq!(
            account_of("arn:aws:iam::111122223333:role/x"),
            Some("111122223333")
        );
        assert_eq!(
            account_of("arn:aws:iam::aws:policy/ReadOnlyAccess"),
            Some("aws")
        );
        assert_eq!(account_of("arn:aws:s3:::bucket"), None);
        assert_eq!(account_of("not-an-arn"), None);
    }
}
