//! The claims of one concrete login: what a token (or SAML assertion)
//! says about the person presenting it.
//!
//! Role-mapping rules and principal-tag mappings read claims by name. Some
//! claims hold several values (`cognito:groups`, `cognito:roles`, the SAML
//! role attribute); they are kept as lists so rule matching can treat them
//! as AWS might (see `role_resolution`). Hands on [`Claims`] to role
//! resolution and `explain`.

use std::collections::BTreeMap;

/// Claims whose value is a list in the token even when it has one member.
/// Developer Guide, "Role-based access control" (`cognito:groups`,
/// `cognito:roles`); "SAML identity providers (identity pools)" (the role
/// attribute holds one or more role/provider pairs).
pub const MULTI_VALUED_CLAIMS: [&str; 4] = [
    "cognito:groups",
    "cognito:roles",
    "amr",
    SAML_ROLE_ATTRIBUTE,
];

/// The SAML attribute that lists the roles a user may assume.
pub const SAML_ROLE_ATTRIBUTE: &str = "https://aws.amazon.com/SAML/Attributes/Role";

/// One claim's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClaimValue {
    Single(String),
    Multi(Vec<String>),
}

impl ClaimValue {
    /// The values, one for a single-valued claim.
    pub fn values(&self) -> Vec<&str> {
        match self {
            ClaimValue::Single(value) => vec![value.as_str()],
            ClaimValue::Multi(values) => values.iter().map(String::as_str).collect(),
        }
    }

    pub fn is_multi(&self) -> bool {
        matches!(self, ClaimValue::Multi(_))
    }
}

/// The claims of a token, by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Claims {
    map: BTreeMap<String, ClaimValue>,
}

impl Claims {
    pub fn new() -> Claims {
        Claims::default()
    }

    /// Claims from `KEY=VALUE` pairs (as `--claim` gives them): a key given
    /// more than once, or one of [`MULTI_VALUED_CLAIMS`], becomes a list.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Claims {
        let mut claims = Claims::new();
        for (key, value) in pairs {
            claims.add(key, value);
        }
        claims
    }

    /// Sets a single-valued claim, replacing any earlier value.
    pub fn set(&mut self, key: &str, value: &str) {
        self.map
            .insert(key.to_string(), ClaimValue::Single(value.to_string()));
    }

    /// Sets a multi-valued claim, replacing any earlier value.
    pub fn set_multi<S: AsRef<str>>(&mut self, key: &str, values: &[S]) {
        self.map.insert(
            key.to_string(),
            ClaimValue::Multi(values.iter().map(|v| v.as_ref().to_string()).collect()),
        );
    }

    /// Adds a value: the claim becomes a list when it already has one, or
    /// when it is a known multi-valued claim.
    pub fn add(&mut self, key: &str, value: &str) {
        let known_multi = MULTI_VALUED_CLAIMS.contains(&key);
        let next = match self.map.remove(key) {
            None if known_multi => ClaimValue::Multi(vec![value.to_string()]),
            None => ClaimValue::Single(value.to_string()),
            Some(ClaimValue::Single(first)) => ClaimValue::Multi(vec![first, value.to_string()]),
            Some(ClaimValue::Multi(mut values)) => {
                values.push(value.to_string());
                ClaimValue::Multi(values)
            }
        };
        self.map.insert(key.to_string(), next);
    }

    pub fn get(&self, key: &str) -> Option<&ClaimValue> {
        self.map.get(key)
    }

    /// The first value of a claim.
    pub fn first(&self, key: &str) -> Option<&str> {
        self.get(key)
            .and_then(|value| value.values().first().copied())
    }

    /// All values of a claim; a single value holding a comma-separated list
    /// is split (`cognito:roles` is "a comma-separated string" in the
    /// Developer Guide, "Role-based access control").
    pub fn list(&self, key: &str) -> Vec<String> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        match value {
            ClaimValue::Single(text) => text
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            ClaimValue::Multi(values) => values.clone(),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &ClaimValue)> {
        self.map.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_and_known_list_claims_become_lists() {
        let claims = Claims::from_pairs([
            ("email", "a@example.com"),
            ("cognito:groups", "admin"),
            ("custom:team", "red"),
            ("custom:team", "blue"),
        ]);
        assert_eq!(
            claims.get("email"),
            Some(&ClaimValue::Single("a@example.com".into()))
        );
        assert_eq!(
            claims.get("cognito:groups"),
            Some(&ClaimValue::Multi(vec!["admin".into()]))
        );
        assert_eq!(
            claims.get("custom:team"),
            Some(&ClaimValue::Multi(vec!["red".into(), "blue".into()]))
        );
    }

    // Developer Guide, "Role-based access control": `cognito:roles` is a
    // comma-separated string of role ARNs.
    #[test]
    fn comma_separated_role_lists_are_split() {
        let mut claims = Claims::new();
        claims.set(
            "cognito:roles",
            "arn:aws:iam::111122223333:role/a,arn:aws:iam::111122223333:role/b",
        );
        assert_eq!(
            claims.list("cognito:roles"),
            vec![
                "arn:aws:iam::111122223333:role/a".to_string(),
                "arn:aws:iam::111122223333:role/b".to_string()
            ]
        );
        assert!(claims.list("missing").is_empty());
    }
}
