//! Principal selectors (`--as`), docs/cli.md "Principals".

use std::fmt;

use crate::diagnostic::Diagnostic;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PrincipalSelector {
    /// Unauthenticated identities of any pool, or of the named pool.
    Guest { pool: Option<String> },
    /// Authenticated identities, optionally of one pool and one provider.
    User {
        pool: Option<String>,
        provider: Option<String>,
    },
    /// Any session of the role (name or ARN).
    Role(String),
    /// An identity of an identity pool that is not in the inputs.
    External,
    /// An unsigned request.
    Anonymous,
    /// Any principal of another AWS account.
    Account(String),
    /// The union of all of the above.
    Anyone,
}

impl PrincipalSelector {
    pub fn parse(text: &str) -> Result<PrincipalSelector, Diagnostic> {
        let text = text.trim();
        let (head, pool_part) = match text.split_once('@') {
            Some((head, rest)) => (head, Some(rest)),
            None => (text, None),
        };
        let bad = |message: String| {
            Diagnostic::error("query-bad-principal", message).with_help(
                "use guest, guest@POOL, user, user@POOL, user@POOL/PROVIDER, role:NAME-OR-ARN, \
                 external, anonymous, account:ID or anyone",
            )
        };
        let nonempty = |s: &str, what: &str| {
            if s.is_empty() {
                Err(bad(format!("`{text}` names no {what}")))
            } else {
                Ok(s.to_string())
            }
        };
        if let Some(role) = text.strip_prefix("role:") {
            return Ok(PrincipalSelector::Role(nonempty(role, "role")?));
        }
        if let Some(account) = text.strip_prefix("account:") {
            if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad(format!(
                    "`{account}` is not an AWS account id (12 digits)"
                )));
            }
            return Ok(PrincipalSelector::Account(account.to_string()));
        }
        match (head, pool_part) {
            ("guest", None) => Ok(PrincipalSelector::Guest { pool: None }),
            ("guest", Some(pool)) => Ok(PrincipalSelector::Guest {
                pool: Some(nonempty(pool, "pool")?),
            }),
            ("user", None) => Ok(PrincipalSelector::User {
                pool: None,
                provider: None,
            }),
            ("user", Some(rest)) => {
                // The provider itself may contain `/` (a user pool provider is
                // `cognito-idp.REGION.amazonaws.com/POOL_ID`), so split once.
                let (pool, provider) = match rest.split_once('/') {
                    Some((pool, provider)) => (pool, Some(nonempty(provider, "provider")?)),
                    None => (rest, None),
                };
                Ok(PrincipalSelector::User {
                    pool: Some(nonempty(pool, "pool")?),
                    provider,
                })
            }
            ("external", None) => Ok(PrincipalSelector::External),
            ("anonymous", None) => Ok(PrincipalSelector::Anonymous),
            ("anyone", None) => Ok(PrincipalSelector::Anyone),
            _ => Err(bad(format!("`{text}` is not a principal selector"))),
        }
    }
}

impl fmt::Display for PrincipalSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrincipalSelector::Guest { pool: None } => f.write_str("guest"),
            PrincipalSelector::Guest { pool: Some(p) } => write!(f, "guest@{p}"),
            PrincipalSelector::User {
                pool: None,
                provider: _,
            } => f.write_str("user"),
            PrincipalSelector::User {
                pool: Some(p),
                provider: None,
            } => write!(f, "user@{p}"),
            PrincipalSelector::User {
                pool: Some(p),
                provider: Some(x),
            } => write!(f, "user@{p}/{x}"),
            PrincipalSelector::Role(r) => write!(f, "role:{r}"),
            PrincipalSelector::External => f.write_str("external"),
            PrincipalSelector::Anonymous => f.write_str("anonymous"),
            PrincipalSelector::Account(a) => write!(f, "account:{a}"),
            PrincipalSelector::Anyone => f.write_str("anyone"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // docs/cli.md, "Principals": every selector form.
    #[test]
    fn selectors_parse_and_print_back() {
        for text in [
            "guest",
            "guest@photos_pool",
            "user",
            "user@photos_pool",
            "user@us-east-1:1a2b/cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC",
            "role:AuthRole",
            "role:arn:aws:iam::111122223333:role/AuthRole",
            "external",
            "anonymous",
            "account:444455556666",
            "anyone",
        ] {
            let parsed = PrincipalSelector::parse(text).expect(text);
            assert_eq!(parsed.to_string(), text);
        }
        assert_eq!(
            PrincipalSelector::parse("user@p/accounts.google.com"),
            Ok(PrincipalSelector::User {
                pool: Some("p".into()),
                provider: Some("accounts.google.com".into())
            })
        );
    }

    #[test]
    fn bad_selectors_say_what_is_accepted() {
        for text in [
            "guests",
            "role:",
            "account:12",
            "guest@",
            "user@/x",
            "admin",
        ] {
            let err = PrincipalSelector::parse(text).expect_err(text);
            assert_eq!(err.code, "query-bad-principal");
            assert!(
                err.help
                    .as_deref()
                    .is_some_and(|h| h.contains("guest@POOL"))
            );
        }
    }
}
