//! Whether Amazon S3 counts a bucket policy as *public*: the test S3 Block
//! Public Access applies before `RestrictPublicBuckets` limits a bucket.
//!
//! Sources (Amazon S3 User Guide, "Blocking public access to your Amazon S3
//! storage", section "The meaning of "public""; Amazon S3 API Reference,
//! "PublicAccessBlockConfiguration"): S3 starts from "public" and counts a
//! policy non-public only when it grants access to *fixed* values — values
//! with no wildcard and no policy variable — of one or more of: an AWS
//! principal, user, role or service principal (e.g. `aws:PrincipalOrgID`);
//! a set of CIDR blocks in `aws:SourceIp`; `aws:SourceArn`,
//! `aws:SourceVpc`, `aws:SourceVpce`, `aws:SourceOwner`,
//! `aws:SourceAccount`, `s3:x-amz-server-side-encryption-aws-kms-key-id`,
//! `aws:userid` outside the pattern `AROLEID:*`, `s3:DataAccessPointArn`,
//! `s3:DataAccessPointAccount`.
//!
//! Read here statement by statement: a policy is public when one of its
//! `Allow` statements is. What the documents leave open is
//! [`StatementPublicity::Undocumented`], never guessed: how wide an
//! `aws:SourceIp` block may be (S3 is known to count `0.0.0.0/1` as public;
//! no threshold is documented), whether other principal keys
//! (`aws:PrincipalAccount`, `aws:PrincipalArn`, …) count like
//! `aws:PrincipalOrgID`, and whether a `*` under an exact-match operator,
//! where it is no wildcard, counts as one. The evaluator and the solver
//! decide what to do with such a statement (docs/semantics.md, "S3 Block
//! Public Access").

use std::net::IpAddr;

use super::pattern::has_wildcards;
use super::value::parse_ip_network;
use super::{BaseOperator, Condition, Effect, Policy, Principal, SetQualifier, Statement};

/// Condition keys whose fixed values make a statement non-public, lower case.
const PINNING_KEYS: &[&str] = &[
    "aws:sourceip",
    "aws:sourcearn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceowner",
    "aws:sourceaccount",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "aws:userid",
    "s3:dataaccesspointarn",
    "s3:dataaccesspointaccount",
    "aws:principalorgid",
];

/// Principal keys the documents do not list but that name principals as
/// `aws:PrincipalOrgID` does: whether fixed values of these make a
/// statement non-public is not documented.
const PRINCIPAL_KEYS: &[&str] = &[
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalorgpaths",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
];

/// What S3 makes of one statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatementPublicity {
    /// Grants nothing to the public; `because` says why.
    NotPublic { because: String },
    /// Grants to the public; `because` says why.
    Public { because: String },
    /// The documents do not settle it; `question` says what is open.
    Undocumented { question: String },
}

/// What S3 makes of a whole bucket policy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicyPublicity {
    /// Statements (by index) that make the policy public, with why.
    pub public: Vec<(usize, String)>,
    /// Statements whose publicity the documents do not settle.
    pub undocumented: Vec<(usize, String)>,
}

impl PolicyPublicity {
    /// Public by the documented rules.
    pub fn is_public(&self) -> bool {
        !self.public.is_empty()
    }

    /// Neither documented public nor documented non-public.
    pub fn is_undocumented(&self) -> bool {
        self.public.is_empty() && !self.undocumented.is_empty()
    }
}

/// The publicity of every `Allow` statement of `policy`.
pub fn policy_publicity(policy: &Policy) -> PolicyPublicity {
    let mut out = PolicyPublicity::default();
    for statement in &policy.statements {
        match statement_publicity(statement) {
            StatementPublicity::Public { because } => out.public.push((statement.index, because)),
            StatementPublicity::Undocumented { question } => {
                out.undocumented.push((statement.index, question))
            }
            StatementPublicity::NotPublic { .. } => {}
        }
    }
    out
}

/// Whether one bucket policy statement grants to the public.
pub fn statement_publicity(statement: &Statement) -> StatementPublicity {
    if statement.effect.value == Effect::Deny {
        return StatementPublicity::NotPublic {
            because: "a Deny grants nothing".to_string(),
        };
    }
    let Some(principal) = &statement.principal else {
        return StatementPublicity::NotPublic {
            because: "it names no principal".to_string(),
        };
    };
    if principal.negated {
        return StatementPublicity::Public {
            because: "`NotPrincipal` in an Allow grants everyone it does not list".to_string(),
        };
    }
    let fixed = principal.principals.iter().all(|p| match &p.value {
        Principal::Anyone => false,
        Principal::Aws(text)
        | Principal::Federated(text)
        | Principal::Service(text)
        | Principal::CanonicalUser(text) => !has_wildcards(text) && !text.contains("${"),
    });
    if fixed {
        return StatementPublicity::NotPublic {
            because: "it names fixed principals".to_string(),
        };
    }
    let mut open: Option<String> = None;
    for condition in &statement.conditions {
        match condition_pins(condition) {
            Pin::Fixed => {
                return StatementPublicity::NotPublic {
                    because: format!(
                        "`{}` limits it to fixed values of `{}`",
                        condition.operator.value, condition.key.value
                    ),
                };
            }
            Pin::Undocumented(question) => {
                open.get_or_insert(question);
            }
            Pin::No => {}
        }
    }
    match open {
        Some(question) => StatementPublicity::Undocumented { question },
        None => StatementPublicity::Public {
            because: "its principal is everyone and no condition limits it to fixed values of \
                      the keys S3 accepts"
                .to_string(),
        },
    }
}

/// Whether a condition limits a statement to fixed values of a key.
enum Pin {
    Fixed,
    No,
    Undocumented(String),
}

fn condition_pins(condition: &Condition) -> Pin {
    let key = condition.key.value.to_ascii_lowercase();
    let documented = PINNING_KEYS.contains(&key.as_str());
    if !documented && !PRINCIPAL_KEYS.contains(&key.as_str()) {
        return Pin::No;
    }
    let operator = &condition.operator.value;
    // A negated operator, `...IfExists` (an absent key passes) and
    // `ForAllValues:` (an empty key passes) let requests through that carry
    // none of the values.
    if operator.if_exists
        || operator.set == Some(SetQualifier::ForAllValues)
        || condition.values.is_empty()
    {
        return Pin::No;
    }
    let like = match operator.base {
        BaseOperator::StringEquals | BaseOperator::StringEqualsIgnoreCase => false,
        BaseOperator::ArnEquals => false,
        BaseOperator::StringLike | BaseOperator::ArnLike => true,
        BaseOperator::IpAddress if key == "aws:sourceip" => return ip_pins(condition),
        _ => return Pin::No,
    };
    let mut star_as_text = false;
    for value in &condition.values {
        if value.value.template.has_variables() {
            return Pin::No;
        }
        if has_wildcards(&value.value.text) {
            if like {
                return Pin::No;
            }
            star_as_text = true;
        }
    }
    if !documented {
        return Pin::Undocumented(format!(
            "whether fixed values of `{}` make a bucket policy non-public, as those of \
             `aws:PrincipalOrgID` do",
            condition.key.value
        ));
    }
    if star_as_text {
        return Pin::Undocumented(format!(
            "whether `{}` under `{}`, where `*` and `?` are plain characters, counts as a fixed \
             value",
            condition.key.value, condition.operator.value
        ));
    }
    Pin::Fixed
}

/// Narrowest prefix S3 is known to accept as limiting access: wider
/// blocks are undocumented (see the module docs).
const IPV4_KNOWN_PREFIX: u8 = 8;
const IPV6_KNOWN_PREFIX: u8 = 32;

fn ip_pins(condition: &Condition) -> Pin {
    let mut wide = None;
    for value in &condition.values {
        let Some(network) = parse_ip_network(&value.value.text) else {
            return Pin::Undocumented(format!(
                "how S3 reads `{}`, which is no CIDR block",
                value.value.text
            ));
        };
        if network.prefix() == 0 {
            return Pin::No;
        }
        let known = match network.addr() {
            IpAddr::V4(_) => IPV4_KNOWN_PREFIX,
            IpAddr::V6(_) => IPV6_KNOWN_PREFIX,
        };
        if network.prefix() < known {
            wide.get_or_insert_with(|| value.value.text.clone());
        }
    }
    match wide {
        Some(text) => Pin::Undocumented(format!(
            "whether S3 counts the CIDR block `{text}` in `aws:SourceIp` as limiting access (AWS \
             documents no size limit; `0.0.0.0/1` is known to count as public)"
        )),
        None => Pin::Fixed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::PolicyKind;
    use crate::policy::parse::parse_policy_text;

    fn statement(principal: &str, condition: &str) -> Statement {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
                "Principal": {principal}, "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::site/*", "Condition": {condition}}}]}}"#
        );
        parse_policy_text("p.json", &text, PolicyKind::Resource)
            .expect("a valid policy")
            .policy
            .statements
            .remove(0)
    }

    fn verdict(principal: &str, condition: &str) -> &'static str {
        match statement_publicity(&statement(principal, condition)) {
            StatementPublicity::Public { .. } => "public",
            StatementPublicity::NotPublic { .. } => "not public",
            StatementPublicity::Undocumented { .. } => "undocumented",
        }
    }

    const EVERYONE: &str = r#""*""#;

    // "The meaning of "public"": S3 starts from public.
    #[test]
    fn everyone_without_conditions_is_public() {
        assert_eq!(verdict(EVERYONE, "{}"), "public");
        assert_eq!(verdict(r#"{"AWS": "*"}"#, "{}"), "public");
        assert_eq!(verdict(r#"{"AWS": ["111122223333", "*"]}"#, "{}"), "public");
    }

    // "An AWS principal, user, role, or service principal".
    #[test]
    fn fixed_principals_are_not_public() {
        for principal in [
            r#"{"AWS": "arn:aws:iam::111122223333:role/Reader"}"#,
            r#"{"AWS": "111122223333"}"#,
            r#"{"Service": "cloudfront.amazonaws.com"}"#,
            r#"{"CanonicalUser": "79a59df900b949e55d96a1e698fbaced"}"#,
        ] {
            assert_eq!(verdict(principal, "{}"), "not public", "{principal}");
        }
        assert_eq!(verdict(r#"{"AWS": "arn:aws:iam::*:root"}"#, "{}"), "public");
    }

    #[test]
    fn not_principal_in_an_allow_is_public() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "NotPrincipal": {"AWS": "111122223333"}, "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::site/*"}]}"#;
        let policy = parse_policy_text("p.json", text, PolicyKind::Resource)
            .expect("a valid policy")
            .policy;
        assert!(policy_publicity(&policy).is_public());
    }

    #[test]
    fn a_deny_is_never_public() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny",
            "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::site/*"}]}"#;
        let policy = parse_policy_text("p.json", text, PolicyKind::Resource)
            .expect("a valid policy")
            .policy;
        assert_eq!(policy_publicity(&policy), PolicyPublicity::default());
    }

    // Each documented key with a fixed value; `aws:PrincipalOrgID` is the
    // documents' example of a principal key.
    #[test]
    fn fixed_values_of_the_documented_keys_are_not_public() {
        for condition in [
            r#"{"StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}"#,
            r#"{"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}"#,
            r#"{"ArnEquals": {"aws:SourceArn": "arn:aws:cloudfront::111122223333:distribution/E1"}}"#,
            r#"{"StringEquals": {"aws:SourceOwner": "111122223333"}}"#,
            r#"{"StringEquals": {"aws:SourceAccount": "111122223333"}}"#,
            r#"{"StringEquals": {"aws:PrincipalOrgID": "o-abcdefghij"}}"#,
            r#"{"StringEquals": {"aws:userid": "AIDAEXAMPLEUSERID"}}"#,
            r#"{"StringEquals": {"s3:DataAccessPointAccount": "111122223333"}}"#,
            r#"{"StringLike": {"s3:DataAccessPointArn": "arn:aws:s3:us-east-1:111122223333:accesspoint/web"}}"#,
            r#"{"StringEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:us-east-1:111122223333:key/k"}}"#,
            r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#,
            r#"{"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}"#,
            r#"{"ForAnyValue:StringEquals": {"aws:SourceVpc": ["vpc-1", "vpc-2"]}}"#,
            // One limiting condition is enough: conditions are ANDed.
            r#"{"Bool": {"aws:SecureTransport": "true"}, "StringEquals": {"aws:SourceVpc": "vpc-1"}}"#,
        ] {
            assert_eq!(verdict(EVERYONE, condition), "not public", "{condition}");
        }
    }

    // "values that don't contain a wildcard or an AWS Identity and Access
    // Management Policy Variable"; conditions that let requests through
    // that carry none of the values limit nothing.
    #[test]
    fn wildcards_variables_and_open_operators_stay_public() {
        for condition in [
            r#"{"StringLike": {"aws:SourceVpc": "vpc-*"}}"#,
            r#"{"StringEquals": {"aws:SourceVpc": "${aws:username}"}}"#,
            r#"{"StringLike": {"aws:userid": "AROAEXAMPLEROLEID:*"}}"#,
            r#"{"StringNotEquals": {"aws:SourceVpc": "vpc-1"}}"#,
            r#"{"StringEqualsIfExists": {"aws:SourceVpc": "vpc-1"}}"#,
            r#"{"ForAllValues:StringEquals": {"aws:SourceVpc": "vpc-1"}}"#,
            r#"{"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#,
            r#"{"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}"#,
            r#"{"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "::/0"]}}"#,
            r#"{"Bool": {"aws:SecureTransport": "true"}}"#,
            r#"{"StringEquals": {"s3:prefix": "public/"}}"#,
        ] {
            assert_eq!(verdict(EVERYONE, condition), "public", "{condition}");
        }
    }

    // What the documents leave open.
    #[test]
    fn open_questions_are_undocumented() {
        for condition in [
            r#"{"IpAddress": {"aws:SourceIp": "0.0.0.0/1"}}"#,
            r#"{"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "10.0.0.0/7"]}}"#,
            r#"{"IpAddress": {"aws:SourceIp": "2001::/16"}}"#,
            r#"{"StringEquals": {"aws:PrincipalAccount": "111122223333"}}"#,
            r#"{"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/R"}}"#,
            r#"{"StringEquals": {"aws:SourceVpc": "vpc-*"}}"#,
        ] {
            assert_eq!(verdict(EVERYONE, condition), "undocumented", "{condition}");
        }
        // A documented limit settles it whatever else is open.
        assert_eq!(
            verdict(
                EVERYONE,
                r#"{"StringEquals": {"aws:PrincipalAccount": "111122223333", "aws:SourceVpc": "vpc-1"}}"#
            ),
            "not public"
        );
    }

    #[test]
    fn a_policy_is_public_when_one_allow_is() {
        let text = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "arn:aws:s3:::site/*"},
            {"Sid": "Web", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"}]}"#;
        let policy = parse_policy_text("p.json", text, PolicyKind::Resource)
            .expect("a valid policy")
            .policy;
        let publicity = policy_publicity(&policy);
        assert!(publicity.is_public());
        assert_eq!(
            publicity.public.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
            [1]
        );
    }
}
