//! User pools: the user directory whose ID tokens identity pools accept.
//!
//! A [`UserPool`] gathers `describe-user-pool` (who may sign up, which
//! attributes exist and whether they are mutable, which are verified
//! automatically, Lambda triggers), `describe-user-pool-client` (per app
//! client read and write permissions) and `list-groups` (group roles and
//! precedence). It answers the questions role resolution and the attacker
//! model ask: which attributes a client lets users write, which appear in
//! its ID tokens, and which `cognito:roles` / `cognito:preferred_role` a set
//! of groups yields.

use std::collections::BTreeSet;

use super::claims::Claims;
use super::identity_pool::user_pool_provider_name;
use super::{Setting, region_of};
use crate::source::Location;
use crate::source::Spanned;

/// The standard attributes every user pool has (Developer Guide, "User pool
/// attributes", "Standard attributes"), as they appear in ID tokens.
pub const STANDARD_ATTRIBUTES: [&str; 17] = [
    "address",
    "birthdate",
    "email",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "picture",
    "preferred_username",
    "profile",
    "updated_at",
    "website",
    "zoneinfo",
];

/// The values `AutoVerifiedAttributes` may hold (API UserPoolType).
pub const AUTO_VERIFIABLE: [&str; 2] = ["email", "phone_number"];

/// Attributes whose value only Cognito or an administrator sets: the user id
/// and the verification flags (Developer Guide, "User pool attributes": an
/// administrator marks `email_verified` / `phone_number_verified` true).
pub const SERVICE_ATTRIBUTES: [&str; 3] = ["sub", "email_verified", "phone_number_verified"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserPool {
    /// `REGION_ID`, e.g. `us-east-1_AbCdEfGhI`.
    pub id: String,
    pub name: Option<Spanned<String>>,
    pub region: Option<String>,
    pub arn: Option<String>,
    /// `AdminCreateUserConfig.AllowAdminCreateUserOnly`: when false, anyone
    /// can sign up.
    pub allow_admin_create_user_only: Setting<bool>,
    /// `AutoVerifiedAttributes`: attributes Cognito verifies by sending a
    /// code (`email`, `phone_number`). AWS documents no meaning for an
    /// absent list, so absent is assumed to be both (never the safe "none").
    pub auto_verified_attributes: Setting<Vec<String>>,
    /// Attributes users sign up with as their user name.
    pub username_attributes: Vec<Spanned<String>>,
    pub alias_attributes: Vec<Spanned<String>>,
    /// `SchemaAttributes`, with custom attributes named `custom:…`.
    pub schema: Vec<SchemaAttribute>,
    pub triggers: Vec<LambdaTrigger>,
    pub clients: Vec<AppClient>,
    pub groups: Vec<Group>,
    /// Where the pool was first seen.
    pub loc: Location,
    /// Where `describe-user-pool` was read; `None` when the inputs show only
    /// clients or groups, so sign-up, schema and triggers are unknown.
    pub settings_loc: Option<Location>,
}

/// The user pool `key` names among `pools`: by id, or by name when no id
/// matches.
pub fn find<'p>(pools: &'p [UserPool], key: &str) -> Option<&'p UserPool> {
    pools.iter().find(|p| p.id == key).or_else(|| {
        pools
            .iter()
            .find(|p| p.name.as_ref().is_some_and(|n| n.value == key))
    })
}

impl UserPool {
    /// A pool known only by its id, with every setting assumed.
    pub fn unknown(id: &str, loc: Location) -> UserPool {
        UserPool {
            id: id.to_string(),
            name: None,
            region: region_of(id),
            arn: None,
            allow_admin_create_user_only: Setting::assumed(
                false,
                "assumed: user pool settings not in the inputs",
                "the user pool's settings (describe-user-pool) are not in the inputs; \
                 self sign-up assumed open, which never hides access",
            ),
            auto_verified_attributes: Setting::assumed(
                AUTO_VERIFIABLE.map(str::to_string).to_vec(),
                "assumed: user pool settings not in the inputs",
                "the user pool's settings (describe-user-pool) are not in the inputs; email \
                 and phone number are assumed auto-verified, which never hides access",
            ),
            username_attributes: Vec::new(),
            alias_attributes: Vec::new(),
            schema: Vec::new(),
            triggers: Vec::new(),
            clients: Vec::new(),
            groups: Vec::new(),
            loc,
            settings_loc: None,
        }
    }

    pub fn label(&self) -> String {
        match &self.name {
            Some(name) => format!("`{}` ({})", name.value, self.id),
            None => format!("`{}`", self.id),
        }
    }

    /// `cognito-idp.REGION.amazonaws.com/POOL_ID`, the pool's login key.
    pub fn provider_name(&self) -> String {
        user_pool_provider_name(&self.id)
    }

    /// The `iss` claim of the pool's tokens.
    pub fn issuer(&self) -> String {
        format!("https://{}", self.provider_name())
    }

    pub fn client(&self, client_id: &str) -> Option<&AppClient> {
        self.clients.iter().find(|c| c.id.value == client_id)
    }

    pub fn group(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name.value == name)
    }

    pub fn attribute(&self, name: &str) -> Option<&SchemaAttribute> {
        self.schema.iter().find(|a| a.name.value == name)
    }

    /// Whether the pool's settings were read.
    pub fn settings_known(&self) -> bool {
        self.settings_loc.is_some()
    }

    /// Whether anyone can sign up (`AllowAdminCreateUserOnly` false).
    pub fn self_sign_up(&self) -> bool {
        !*self.allow_admin_create_user_only.value()
    }

    pub fn auto_verifies(&self, attribute: &str) -> bool {
        self.auto_verified_attributes
            .value()
            .iter()
            .any(|a| a == attribute)
    }

    /// The pre-token-generation trigger, which may rewrite any claim
    /// (Developer Guide, "Pre token generation Lambda trigger").
    pub fn pre_token_generation(&self) -> Option<&LambdaTrigger> {
        self.triggers
            .iter()
            .find(|t| t.trigger.value == "PreTokenGeneration")
    }

    /// Attributes users can write through `client`, at sign-up
    /// (`SignUp`) and, when mutable, afterwards (`UpdateUserAttributes`).
    ///
    /// With `WriteAttributes` unset the client writes the standard
    /// attributes (API CreateUserPoolClient, WriteAttributes); with it set,
    /// exactly the listed ones. The user id is never writable, nor are
    /// developer-only attributes.
    pub fn writable_attributes(&self, client: &AppClient) -> Vec<WritableAttribute> {
        let listed: Vec<(String, Option<Location>)> = match &client.write_attributes {
            Some(list) => list
                .iter()
                .map(|a| (a.value.clone(), Some(a.loc.clone())))
                .collect(),
            None => STANDARD_ATTRIBUTES
                .iter()
                .map(|a| (a.to_string(), None))
                .collect(),
        };
        let mut seen = BTreeSet::new();
        listed
            .into_iter()
            .filter(|(name, _)| name != "sub" && seen.insert(name.clone()))
            .filter(|(name, _)| !self.attribute(name).is_some_and(|a| a.developer_only))
            .map(|(name, loc)| {
                let schema = self.attribute(&name);
                WritableAttribute {
                    mutable: schema.is_none_or(|a| a.mutable),
                    required: schema.is_some_and(|a| a.required),
                    loc: loc.or_else(|| schema.map(|a| a.loc.clone())),
                    name,
                }
            })
            .collect()
    }

    /// Whether an attribute appears in the ID tokens `client` gets.
    ///
    /// "The ID token … only contains claims corresponding to the readable
    /// attributes" (Developer Guide, "User pool attributes", "Attribute
    /// permissions and scopes"). With `ReadAttributes` unset every attribute
    /// is taken as readable: AWS documents the standard ones, and reading
    /// more never hides access.
    pub fn readable(&self, client: &AppClient, attribute: &str) -> bool {
        match &client.read_attributes {
            None => true,
            Some(list) => list.iter().any(|a| a.value == attribute),
        }
    }

    /// The `cognito:roles` and `cognito:preferred_role` a member of
    /// `groups` gets (Developer Guide, "Role-based access control", "Using
    /// tokens to assign roles to users"): every role of the user's groups;
    /// the preferred role is that of the group with the lowest `Precedence`,
    /// absent when several different roles share the best precedence.
    /// Groups without a precedence rank after all others (API CreateGroup,
    /// Precedence); groups without a role are ignored.
    pub fn group_roles(&self, groups: &[&str]) -> GroupRoles {
        let mut members: Vec<&Group> = groups
            .iter()
            .filter_map(|name| self.group(name))
            .filter(|g| g.role_arn.is_some())
            .collect();
        members.sort_by_key(|g| precedence_rank(g));
        let mut roles: Vec<String> = Vec::new();
        for group in &members {
            if let Some(role) = &group.role_arn
                && !roles.contains(&role.value)
            {
                roles.push(role.value.clone());
            }
        }
        let preferred_role = members.first().and_then(|best| {
            let rank = precedence_rank(best);
            let tied: BTreeSet<&str> = members
                .iter()
                .filter(|g| precedence_rank(g) == rank)
                .filter_map(|g| g.role_arn.as_ref().map(|r| r.value.as_str()))
                .collect();
            match tied.into_iter().collect::<Vec<_>>()[..] {
                [only] => Some(only.to_string()),
                _ => None,
            }
        });
        GroupRoles {
            roles,
            preferred_role,
        }
    }

    /// The ID token claims of a user of this pool who signed in through
    /// `client`: `sub`, `aud`, `iss`, `token_use`, `cognito:username`, the
    /// readable attributes given, and the group claims.
    pub fn id_token_claims(
        &self,
        client_id: &str,
        sub: &str,
        attributes: &[(&str, &str)],
        groups: &[&str],
    ) -> Claims {
        let mut claims = Claims::new();
        claims.set("sub", sub);
        claims.set("aud", client_id);
        claims.set("iss", &self.issuer());
        claims.set("token_use", "id");
        claims.set("cognito:username", sub);
        let client = self.client(client_id);
        for (name, value) in attributes {
            if client.is_none_or(|c| self.readable(c, name)) {
                claims.set(name, value);
            }
        }
        if !groups.is_empty() {
            claims.set_multi("cognito:groups", groups);
            let roles = self.group_roles(groups);
            if !roles.roles.is_empty() {
                claims.set_multi("cognito:roles", &roles.roles);
            }
            if let Some(preferred) = &roles.preferred_role {
                claims.set("cognito:preferred_role", preferred);
            }
        }
        claims
    }
}

fn precedence_rank(group: &Group) -> (bool, i64) {
    match &group.precedence {
        Some(p) => (false, p.value),
        None => (true, 0),
    }
}

/// The role claims a set of groups yields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupRoles {
    /// `cognito:roles`, best precedence first.
    pub roles: Vec<String>,
    /// `cognito:preferred_role`.
    pub preferred_role: Option<String>,
}

/// An attribute a client lets users write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WritableAttribute {
    pub name: String,
    /// Changeable after sign-up; immutable ones are still set at sign-up.
    pub mutable: bool,
    pub required: bool,
    /// The `WriteAttributes` entry or schema attribute that makes it so.
    pub loc: Option<Location>,
}

/// One entry of `SchemaAttributes`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaAttribute {
    /// The claim name: `email`, or `custom:tenant` for custom attributes.
    pub name: Spanned<String>,
    pub custom: bool,
    pub mutable: bool,
    pub required: bool,
    /// `DeveloperOnlyAttribute`: only administrators read and write it.
    pub developer_only: bool,
    pub loc: Location,
}

/// One entry of `LambdaConfig`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LambdaTrigger {
    /// The `LambdaConfig` key, e.g. `PreTokenGeneration`, `PreSignUp`.
    pub trigger: Spanned<String>,
    pub function_arn: Spanned<String>,
}

/// An app client (`describe-user-pool-client`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppClient {
    pub id: Spanned<String>,
    pub user_pool_id: String,
    pub name: Option<String>,
    /// `None` when unset: the client reads the default attributes.
    pub read_attributes: Option<Vec<Spanned<String>>>,
    /// `None` when unset: the client writes the standard attributes.
    pub write_attributes: Option<Vec<Spanned<String>>>,
    /// A confidential client: its API calls need the client secret.
    pub has_secret: bool,
    pub loc: Location,
}

/// A user pool group (`list-groups`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub name: Spanned<String>,
    pub user_pool_id: String,
    pub role_arn: Option<Spanned<String>>,
    /// Lower wins; `None` ranks after every number.
    pub precedence: Option<Spanned<i64>>,
    pub loc: Location,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc() -> Location {
        Location::synthetic("test", "x")
    }

    fn spanned<T>(value: T) -> Spanned<T> {
        Spanned::new(value, loc())
    }

    fn pool() -> UserPool {
        let mut pool = UserPool::unknown("us-east-1_Abc", loc());
        let groups = [
            (
                "admins",
                Some("arn:aws:iam::111122223333:role/Admin"),
                Some(0),
            ),
            (
                "editors",
                Some("arn:aws:iam::111122223333:role/Editor"),
                Some(1),
            ),
            (
                "reviewers",
                Some("arn:aws:iam::111122223333:role/Reviewer"),
                Some(1),
            ),
            (
                "also-editors",
                Some("arn:aws:iam::111122223333:role/Editor"),
                Some(1),
            ),
            (
                "unranked",
                Some("arn:aws:iam::111122223333:role/Unranked"),
                None,
            ),
            ("no-role", None, Some(-5)),
        ];
        for (name, role, precedence) in groups {
            pool.groups.push(Group {
                name: spanned(name.to_string()),
                user_pool_id: pool.id.clone(),
                role_arn: role.map(|r| spanned(r.to_string())),
                precedence: precedence.map(spanned),
                loc: loc(),
            });
        }
        pool
    }

    // Developer Guide, "Role-based access control", "Using tokens to assign
    // roles to users": preferred_role is the role of the group with the best
    // (lowest) Precedence; not set when several roles tie; cognito:roles
    // holds every role.
    #[test]
    fn group_precedence_picks_the_preferred_role() {
        let pool = pool();
        let cases: [(&[&str], Option<&str>, usize); 6] = [
            (
                &["editors", "admins"],
                Some("arn:aws:iam::111122223333:role/Admin"),
                2,
            ),
            (&["editors", "reviewers"], None, 2),
            // API CreateGroup, Precedence: groups with the same precedence
            // and the same role still give that role.
            (
                &["editors", "also-editors"],
                Some("arn:aws:iam::111122223333:role/Editor"),
                1,
            ),
            // API CreateGroup, Precedence: null ranks after every number.
            (
                &["unranked", "reviewers"],
                Some("arn:aws:iam::111122223333:role/Reviewer"),
                2,
            ),
            // only one allowed role: it is the preferred role
            (
                &["unranked"],
                Some("arn:aws:iam::111122223333:role/Unranked"),
                1,
            ),
            // a group without a role gives none, whatever its precedence
            (
                &["no-role", "editors"],
                Some("arn:aws:iam::111122223333:role/Editor"),
                1,
            ),
        ];
        for (groups, preferred, roles) in cases {
            let got = pool.group_roles(groups);
            assert_eq!(
                got.preferred_role.as_deref(),
                preferred,
                "groups {groups:?}"
            );
            assert_eq!(got.roles.len(), roles, "groups {groups:?}");
        }
        assert_eq!(pool.group_roles(&[]), GroupRoles::default());
    }

    // API CreateUserPoolClient, WriteAttributes: unset means the standard
    // attributes; set means exactly those listed.
    #[test]
    fn writable_attributes_follow_the_client() {
        let mut pool = pool();
        pool.schema.push(SchemaAttribute {
            name: spanned("custom:tenant".to_string()),
            custom: true,
            mutable: false,
            required: false,
            developer_only: false,
            loc: loc(),
        });
        pool.schema.push(SchemaAttribute {
            name: spanned("dev:custom:score".to_string()),
            custom: true,
            mutable: true,
            required: false,
            developer_only: true,
            loc: loc(),
        });
        let mut client = AppClient {
            id: spanned("c1".to_string()),
            user_pool_id: pool.id.clone(),
            name: None,
            read_attributes: None,
            write_attributes: None,
            has_secret: false,
            loc: loc(),
        };
        let names = |attrs: Vec<WritableAttribute>| -> Vec<String> {
            attrs.into_iter().map(|a| a.name).collect()
        };
        let default = names(pool.writable_attributes(&client));
        assert_eq!(default.len(), STANDARD_ATTRIBUTES.len());
        assert!(!default.contains(&"custom:tenant".to_string()));

        client.write_attributes = Some(vec![
            spanned("custom:tenant".to_string()),
            spanned("dev:custom:score".to_string()),
            spanned("sub".to_string()),
        ]);
        let listed = pool.writable_attributes(&client);
        assert_eq!(names(listed.clone()), vec!["custom:tenant".to_string()]);
        assert!(
            !listed[0].mutable,
            "immutable attributes are still set at sign-up"
        );
    }

    // Developer Guide, "User pool attributes": the ID token only contains
    // readable attributes.
    #[test]
    fn id_tokens_carry_readable_attributes_and_group_roles() {
        let mut pool = pool();
        pool.clients.push(AppClient {
            id: spanned("c1".to_string()),
            user_pool_id: pool.id.clone(),
            name: None,
            read_attributes: Some(vec![spanned("email".to_string())]),
            write_attributes: None,
            has_secret: false,
            loc: loc(),
        });
        let claims = pool.id_token_claims(
            "c1",
            "sub-1",
            &[("email", "a@example.com"), ("custom:tenant", "t1")],
            &["editors", "admins"],
        );
        assert_eq!(claims.first("email"), Some("a@example.com"));
        assert_eq!(claims.first("custom:tenant"), None);
        assert_eq!(claims.first("aud"), Some("c1"));
        assert_eq!(
            claims.first("iss"),
            Some("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc")
        );
        assert_eq!(
            claims.first("cognito:preferred_role"),
            Some("arn:aws:iam::111122223333:role/Admin")
        );
        assert_eq!(claims.list("cognito:roles").len(), 2);
    }
}
