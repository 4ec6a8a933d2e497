//! Tests of the validator: each rule with the message, severity, location
//! and help it reports, on policies written the way users write them.

use proptest::prelude::*;

use super::*;
use crate::diagnostic::Severity;
use crate::policy::parse::{parse_policy, parse_policy_text};
use crate::source::json;

/// Validation findings for a policy that parses without errors.
fn findings(kind: PolicyKind, text: &str) -> Vec<Diagnostic> {
    let parsed = parse_policy_text("test.json", text, kind).expect("usable policy");
    assert!(
        parsed
            .diagnostics
            .iter()
            .all(|d| d.severity != Severity::Error),
        "grammar errors: {:#?}",
        parsed.diagnostics
    );
    assert!(!parsed.policy.statements.is_empty());
    validate(&parsed.policy, kind, Catalogue::builtin())
}

/// Grammar and validation findings together, as `lint` reports them.
fn all_codes(kind: PolicyKind, text: &str) -> Vec<&'static str> {
    let parsed = parse_policy_text("test.json", text, kind).expect("usable policy");
    let mut codes: Vec<&'static str> = parsed.diagnostics.iter().map(|d| d.code).collect();
    codes.extend(
        validate(&parsed.policy, kind, Catalogue::builtin())
            .iter()
            .map(|d| d.code),
    );
    codes
}

// A grammar error leaves the statement out of the policy, but not out of
// validation: a bad `Effect` does not hide an unknown action or a bad
// operator of the same statement.
#[test]
fn a_bad_effect_does_not_hide_the_statements_other_problems() {
    let text = statement(
        "  \"Effect\": \"allow\",\n  \"Action\": \"s3:GetObjet\",\n  \"Resource\": \"arn:aws:s3:::reports/*\",\n  \"Condition\": {\"StringEqualz\": {\"aws:PrincipalTag/team\": \"blue\"}}",
    );
    let mut codes = all_codes(PolicyKind::Identity, &text);
    codes.sort_unstable();
    assert_eq!(
        codes,
        [
            "policy-invalid-effect",
            "policy-unknown-action",
            "policy-unknown-operator"
        ]
    );
}

// Checks that need what the grammar could not read stay quiet on a
// rejected statement: no Allow-only warning without a readable Effect,
// no "missing Resource" for a Resource that is there but malformed. A
// Resource that is really missing is still reported.
#[test]
fn rejected_statements_are_not_blamed_for_what_could_not_be_read() {
    let unreadable = statement(
        "  \"Effect\": \"Permit\",\n  \"Action\": \"s3:ListBucket\",\n  \"Resource\": {\"bad\": 1},\n  \"Condition\": {\"ForAllValues:StringLike\": {\"s3:prefix\": \"home/*\"}}",
    );
    let codes = all_codes(PolicyKind::Identity, &unreadable);
    assert!(
        !codes.contains(&"policy-forallvalues-with-allow"),
        "{codes:?}"
    );
    assert!(!codes.contains(&"policy-missing-resource"), "{codes:?}");
    let missing = statement("  \"Effect\": \"Permit\",\n  \"Action\": \"s3:ListBucket\"");
    let codes = all_codes(PolicyKind::Identity, &missing);
    assert!(codes.contains(&"policy-missing-resource"), "{codes:?}");
    // With the Effect read, the Allow-only warning is back.
    let allow = statement(
        "  \"Effect\": \"Allow\",\n  \"Action\": \"s3:ListBucket\",\n  \"Resource\": {\"bad\": 1},\n  \"Condition\": {\"ForAllValues:StringLike\": {\"s3:prefix\": \"home/*\"}}",
    );
    let codes = all_codes(PolicyKind::Identity, &allow);
    assert!(
        codes.contains(&"policy-forallvalues-with-allow"),
        "{codes:?}"
    );
}

/// A one-statement policy (Version 2012-10-17) whose members start on
/// line 2, column 3; a member's value starts at column `key.len() + 7`;
/// the statement opens at line 1, column 41.
fn statement(body: &str) -> String {
    format!("{{\"Version\": \"2012-10-17\", \"Statement\": [{{\n{body}\n}}]}}")
}

/// The same layout with Version 2008-10-17.
fn statement_2008(body: &str) -> String {
    format!("{{\"Version\": \"2008-10-17\", \"Statement\": [{{\n{body}\n}}]}}")
}

/// Effect, Action and Resource on lines 2-4, then `extra` on line 5.
fn with_condition(action: &str, condition: &str) -> String {
    statement(&format!(
        "  \"Effect\": \"Allow\",\n  \"Action\": \"{action}\",\n  \"Resource\": \"*\",\n  \"Condition\": {condition}"
    ))
}

/// Effect and Action on lines 2-3, the Resource value at line 4, column 15.
fn with_resource(resource: &str) -> String {
    statement(&format!(
        "  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"{resource}\""
    ))
}

/// A Principal element at line 3 (its value at column 16), in an Allow.
fn with_principal(principal: &str, action: &str) -> String {
    statement(&format!(
        "  \"Effect\": \"Allow\",\n  \"Principal\": {principal},\n  \"Action\": \"{action}\",\n  \"Resource\": \"*\""
    ))
}

struct Case {
    rule: &'static str,
    kind: PolicyKind,
    text: String,
    code: &'static str,
    severity: Severity,
    message: &'static str,
    at: (usize, usize),
    help: Option<&'static str>,
}

fn error(
    rule: &'static str,
    kind: PolicyKind,
    text: impl Into<String>,
    code: &'static str,
    message: &'static str,
    at: (usize, usize),
) -> Case {
    Case {
        rule,
        kind,
        text: text.into(),
        code,
        severity: Severity::Error,
        message,
        at,
        help: None,
    }
}

fn warning(
    rule: &'static str,
    kind: PolicyKind,
    text: impl Into<String>,
    code: &'static str,
    message: &'static str,
    at: (usize, usize),
) -> Case {
    Case {
        severity: Severity::Warning,
        ..error(rule, kind, text, code, message, at)
    }
}

impl Case {
    fn help(mut self, help: &'static str) -> Case {
        self.help = Some(help);
        self
    }
}

const UNKNOWN: PolicyKind = PolicyKind::Unknown;

fn cases() -> Vec<Case> {
    vec![
        // IAM User Guide, "IAM JSON policy elements: Sid".
        error(
            "Sid: unique within a policy",
            UNKNOWN,
            "{\"Version\": \"2012-10-17\", \"Statement\": [\n  {\"Sid\": \"A\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"},\n  {\"Sid\": \"A\", \"Effect\": \"Deny\", \"Action\": \"s3:PutObject\", \"Resource\": \"*\"}\n]}",
            "policy-duplicate-sid",
            "`Sid` `A` is used by more than one statement",
            (3, 11),
        ),
        error(
            "Sid: IAM allows A-Z, a-z, 0-9",
            PolicyKind::Identity,
            statement("  \"Sid\": \"Allow reads\",\n  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\""),
            "policy-invalid-sid",
            "`Sid` `Allow reads` has characters IAM does not allow",
            (2, 10),
        ),
        // Grammar notes: principal_block "must not be included in
        // identity-based policies"; required in resource and trust policies.
        error(
            "grammar notes: no Principal in identity policies",
            PolicyKind::Identity,
            with_principal("\"*\"", "s3:GetObject"),
            "policy-principal-not-allowed",
            "an identity policy cannot have `Principal`",
            (3, 3),
        ),
        error(
            "grammar notes: no Principal in permissions boundaries",
            PolicyKind::Boundary,
            with_principal("\"*\"", "s3:GetObject"),
            "policy-principal-not-allowed",
            "a permissions boundary cannot have `Principal`",
            (3, 3),
        ),
        // IAM User Guide, "AWS JSON policy elements: NotPrincipal": not in
        // identity policies nor in role trust policies.
        error(
            "NotPrincipal: not in trust policies",
            PolicyKind::Trust,
            statement("  \"Effect\": \"Deny\",\n  \"NotPrincipal\": {\"AWS\": \"111122223333\"},\n  \"Action\": \"sts:AssumeRole\""),
            "policy-principal-not-allowed",
            "a role trust policy cannot have `NotPrincipal`",
            (3, 3),
        ),
        error(
            "grammar notes: Principal required in trust policies",
            PolicyKind::Trust,
            statement("  \"Effect\": \"Allow\",\n  \"Action\": \"sts:AssumeRole\""),
            "policy-missing-principal",
            "a role trust policy statement must have a `Principal`",
            (1, 41),
        ),
        error(
            "grammar notes: Principal required in resource policies",
            PolicyKind::Resource,
            with_resource("arn:aws:s3:::b/*"),
            "policy-missing-principal",
            "a resource policy statement must have a `Principal`",
            (1, 41),
        ),
        // IAM: "MalformedPolicyDocument: Has prohibited field Resource".
        error(
            "trust policies: no Resource",
            PolicyKind::Trust,
            statement("  \"Effect\": \"Allow\",\n  \"Principal\": {\"Service\": \"lambda.amazonaws.com\"},\n  \"Action\": \"sts:AssumeRole\",\n  \"Resource\": \"*\""),
            "policy-resource-not-allowed",
            "a role trust policy cannot have `Resource`",
            (5, 3),
        ),
        // Grammar: `<resource_block>` is not optional.
        error(
            "grammar: Resource required in identity policies",
            PolicyKind::Identity,
            statement("  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObject\""),
            "policy-missing-resource",
            "an identity policy statement must have a `Resource` or `NotResource`",
            (1, 41),
        ),
        warning(
            "resource policies: Resource expected by most services",
            PolicyKind::Resource,
            statement("  \"Effect\": \"Allow\",\n  \"Principal\": {\"AWS\": \"111122223333\"},\n  \"Action\": \"sns:Publish\""),
            "policy-missing-resource",
            "resource policy statement has no `Resource` or `NotResource`",
            (1, 41),
        ),
        warning(
            "NotPrincipal: must be used with Deny",
            PolicyKind::Resource,
            with_principal("{\"AWS\": \"111122223333\"}", "s3:GetObject").replace("\"Principal\"", "\"NotPrincipal\""),
            "policy-notprincipal-with-allow",
            "`NotPrincipal` with `\"Effect\": \"Allow\"` is not supported",
            (3, 3),
        ),
        // Grammar notes, principal_id_string: "you can use * only to
        // specify everyone/anonymous ... not part of a name or ARN".
        error(
            "principal_id_string: no partial wildcards",
            PolicyKind::Resource,
            with_principal("{\"AWS\": \"arn:aws:iam::*:root\"}", "s3:GetObject"),
            "policy-invalid-principal-id",
            "`arn:aws:iam::*:root` uses a wildcard inside an `AWS` principal",
            (3, 24),
        ),
        error(
            "principal_id_string: account id or ARN",
            PolicyKind::Resource,
            with_principal("{\"AWS\": \"bob\"}", "s3:GetObject"),
            "policy-invalid-principal-id",
            "`bob` is not an account id, an ARN or `*`",
            (3, 24),
        ),
        // IAM User Guide, "Identify AWS resources with ARNs": six parts.
        error(
            "ARNs: AWS principal ARNs have six parts",
            PolicyKind::Resource,
            with_principal("{\"AWS\": \"arn:aws:iam::111122223333\"}", "s3:GetObject"),
            "policy-invalid-arn",
            "invalid ARN in `AWS` principal: `arn:aws:iam::111122223333` has 5 colon-separated parts, an ARN has 6 (`arn:partition:service:region:account:resource`)",
            (3, 24),
        ),
        error(
            "ARNs: Federated provider ARNs have a resource",
            PolicyKind::Trust,
            statement("  \"Effect\": \"Allow\",\n  \"Principal\": {\"Federated\": \"arn:aws:iam::111122223333:\"},\n  \"Action\": \"sts:AssumeRoleWithSAML\""),
            "policy-invalid-arn",
            "invalid ARN in `Federated` principal: `arn:aws:iam::111122223333:` has an empty resource",
            (3, 30),
        ),
        // Grammar notes, action_string: "a service namespace, a colon,
        // and the name of an action".
        error(
            "action_string: service prefix required",
            UNKNOWN,
            statement("  \"Effect\": \"Allow\",\n  \"Action\": \"GetObject\",\n  \"Resource\": \"*\""),
            "policy-invalid-action",
            "`GetObject` is not of the form `service:action`",
            (3, 13),
        ),
        // Access Analyzer, "Error – Invalid action" (IAM itself accepts).
        warning(
            "Service Authorization Reference: known service prefixes",
            UNKNOWN,
            statement("  \"Effect\": \"Allow\",\n  \"Action\": \"s4:GetObject\",\n  \"Resource\": \"*\""),
            "policy-unknown-service",
            "unknown service prefix `s4`",
            (3, 13),
        ),
        warning(
            "Service Authorization Reference: known actions",
            UNKNOWN,
            statement("  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObjekt\",\n  \"Resource\": \"*\""),
            "policy-unknown-action",
            "no AWS action matches `s3:GetObjekt`",
            (3, 13),
        )
        .help("did you mean `s3:GetObject`?"),
        // IAM User Guide, "Policy variables": Resource and Condition only.
        warning(
            "Policy variables: not in Action",
            UNKNOWN,
            statement("  \"Effect\": \"Allow\",\n  \"Action\": \"s3:${aws:username}\",\n  \"Resource\": \"*\""),
            "policy-variable-in-action",
            "policy variables are not recognised in `Action`: `s3:${aws:username}` is literal text",
            (3, 13),
        ),
        error(
            "Policy variables: only after the ARN's fifth colon",
            UNKNOWN,
            with_resource("arn:aws:dynamodb:${aws:RequestedRegion}:111122223333:table/t"),
            "policy-variable-in-arn-prefix",
            "a policy variable stands before the resource part of `arn:aws:dynamodb:${aws:RequestedRegion}:111122223333:table/t`",
            (4, 15),
        ),
        error(
            "grammar notes, resource_string: an ARN",
            UNKNOWN,
            with_resource("mybucket/*"),
            "policy-invalid-arn",
            "invalid ARN in `Resource`: `mybucket/*` does not start with `arn:`",
            (4, 15),
        ),
        error(
            "ARNs: six parts",
            UNKNOWN,
            with_resource("arn:aws:s3"),
            "policy-invalid-arn",
            "invalid ARN in `Resource`: `arn:aws:s3` has 3 colon-separated parts, an ARN has 6 (`arn:partition:service:region:account:resource`)",
            (4, 15),
        ),
        error(
            "Policy variables: not with Numeric operators",
            UNKNOWN,
            with_condition("s3:ListBucket", "{\"NumericLessThan\": {\"s3:max-keys\": \"${aws:username}\"}}"),
            "policy-variable-not-allowed",
            "policy variables are not allowed with `NumericLessThan`",
            (5, 52),
        ),
        warning(
            "Policy variables: literal text before Version 2012-10-17",
            UNKNOWN,
            statement_2008("  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"arn:aws:s3:::b/${aws:username}/*\""),
            "policy-variable-without-version",
            "`arn:aws:s3:::b/${aws:username}/*` holds `${...}`, but policy variables need `\"Version\": \"2012-10-17\"`",
            (4, 15),
        ),
        warning(
            "Policy variables: literal text without a Version",
            UNKNOWN,
            "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/${aws:username}/*\"}}",
            "policy-variable-without-version",
            "`arn:aws:s3:::b/${aws:username}/*` holds `${...}`, but policy variables need `\"Version\": \"2012-10-17\"`",
            (1, 73),
        ),
        warning(
            "Policy variables: `${` must be closed",
            UNKNOWN,
            with_resource("arn:aws:s3:::b/${aws:username/*"),
            "policy-unterminated-variable",
            "`${` in `arn:aws:s3:::b/${aws:username/*` is never closed",
            (4, 15),
        ),
        // IAM User Guide, "Available keys for web identity federation".
        warning(
            "web identity keys: misspelled variable",
            UNKNOWN,
            with_resource("arn:aws:s3:::b/${cognito-identity.amazonaws.com:sib}/*"),
            "policy-misspelled-key",
            "unknown policy variable `cognito-identity.amazonaws.com:sib`",
            (4, 15),
        )
        .help("did you mean `cognito-identity.amazonaws.com:sub`?"),
        warning(
            "web identity keys: misspelled condition key",
            UNKNOWN,
            with_condition("s3:GetObject", "{\"StringEquals\": {\"cognito-identity.amazonaws.com:aut\": \"x\"}}"),
            "policy-misspelled-key",
            "unknown condition key `cognito-identity.amazonaws.com:aut`",
            (5, 34),
        )
        .help("did you mean `cognito-identity.amazonaws.com:aud`?"),
        // IAM: "Actions/Conditions must be prefaced by a vendor".
        error(
            "condition_key_string: service prefix required",
            UNKNOWN,
            with_condition("s3:GetObject", "{\"IpAddress\": {\"SourceIp\": \"203.0.113.0/24\"}}"),
            "policy-invalid-condition-key",
            "condition key `SourceIp` has no service prefix",
            (5, 31),
        ),
        // Access Analyzer, "Error – Duplicate keys with different case".
        error(
            "Condition: key names are case-insensitive",
            UNKNOWN,
            with_condition("s3:GetObject", "{\"StringEquals\": {\"aws:username\": \"a\", \"AWS:username\": \"b\"}}"),
            "policy-duplicate-condition-key",
            "condition key `aws:username` appears again as `AWS:username`",
            (5, 55),
        ),
        // Access Analyzer, "Suggestion – Null with qualifier".
        warning(
            "Null: no set operators",
            UNKNOWN,
            with_condition("iam:TagRole", "{\"ForAllValues:Null\": {\"aws:TagKeys\": \"false\"}}"),
            "policy-null-with-set-operator",
            "`ForAllValues:Null` does not test what it seems to",
            (5, 17),
        ),
        // IAM User Guide, "Single-valued vs. multivalued context keys".
        warning(
            "set operators: not on single-valued keys",
            UNKNOWN,
            with_condition("s3:GetObject", "{\"ForAnyValue:IpAddress\": {\"aws:SourceIp\": \"203.0.113.0/24\"}}"),
            "policy-set-operator-on-single-valued-key",
            "`ForAnyValue:IpAddress` is used on the single-valued key `aws:SourceIp`",
            (5, 17),
        ),
        warning(
            "set operators: ForAllValues is true on a missing key",
            UNKNOWN,
            with_condition("iam:TagRole", "{\"ForAllValues:StringEquals\": {\"aws:TagKeys\": \"env\"}}"),
            "policy-forallvalues-with-allow",
            "`ForAllValues:StringEquals` on `aws:TagKeys` is true when the request has no `aws:TagKeys`",
            (5, 17),
        )
        .help("add `\"Null\": {\"aws:TagKeys\": \"false\"}` to the statement so it applies only when the key is present"),
        // IAM User Guide, "IAM JSON policy elements: Condition operators":
        // each family reads its values as its type.
        error(
            "Numeric condition operators: numbers",
            UNKNOWN,
            with_condition("s3:ListBucket", "{\"NumericLessThan\": {\"s3:max-keys\": \"ten\"}}"),
            "policy-invalid-value",
            "invalid value for `NumericLessThan`: `ten` is not a number",
            (5, 52),
        ),
        error(
            "Date condition operators: ISO 8601 or epoch",
            UNKNOWN,
            with_condition("s3:GetObject", "{\"DateGreaterThan\": {\"aws:CurrentTime\": \"yesterday\"}}"),
            "policy-invalid-value",
            "invalid value for `DateGreaterThan`: `yesterday` is not a date: expected ISO 8601 such as `2024-01-31` or `2024-01-31T12:00:00Z`, or epoch seconds",
            (5, 56),
        ),
        error(
            "Boolean condition operators: true or false",
            UNKNOWN,
            with_condition("s3:GetObject", "{\"Bool\": {\"aws:SecureTransport\": \"yes\"}}"),
            "policy-invalid-value",
            "invalid value for `Bool`: `yes` is not `true` or `false`",
            (5, 49),
        ),
        error(
            "Null condition operator: true or false",
            UNKNOWN,
            with_condition("iam:TagRole", "{\"Null\": {\"aws:TagKeys\": \"maybe\"}}"),
            "policy-invalid-value",
            "invalid value for `Null`: `maybe` is not `true` or `false`",
            (5, 41),
        ),
        error(
            "IP address condition operators: addresses and CIDR ranges",
            UNKNOWN,
            with_condition("s3:GetObject", "{\"IpAddress\": {\"aws:SourceIp\": \"300.1.1.1\"}}"),
            "policy-invalid-value",
            "invalid value for `IpAddress`: `300.1.1.1` is not an IP address or CIDR range such as `203.0.113.0/24`",
            (5, 47),
        ),
        error(
            "Binary condition operators: base64",
            UNKNOWN,
            with_condition("s3:GetObject", "{\"BinaryEquals\": {\"aws:UserAgent\": \"not base64!\"}}"),
            "policy-invalid-value",
            "invalid value for `BinaryEquals`: `not base64!` is not base64",
            (5, 51),
        ),
        error(
            "ARN condition operators: ARNs",
            UNKNOWN,
            with_condition("sns:Publish", "{\"ArnLike\": {\"aws:SourceArn\": \"arn:aws:sns\"}}"),
            "policy-invalid-arn",
            "invalid ARN in condition value: `arn:aws:sns` has 3 colon-separated parts, an ARN has 6 (`arn:partition:service:region:account:resource`)",
            (5, 46),
        ),
    ]
}

#[test]
fn every_rule_has_a_located_finding() {
    for case in cases() {
        let found = findings(case.kind, &case.text);
        let Some(diagnostic) = found.iter().find(|d| d.code == case.code) else {
            panic!("{}: no `{}` among {found:#?}", case.rule, case.code);
        };
        assert_eq!(diagnostic.message, case.message, "{}", case.rule);
        assert_eq!(diagnostic.severity, case.severity, "{}", case.rule);
        let location = diagnostic.location().expect("findings have a place");
        assert_eq!(
            location.line_col(),
            case.at,
            "{}: at `{}`",
            case.rule,
            location.snippet()
        );
        if let Some(help) = case.help {
            assert_eq!(diagnostic.help.as_deref(), Some(help), "{}", case.rule);
        }
        // One finding per rule: the other checks stay quiet.
        let others: Vec<_> = found.iter().filter(|d| d.code != case.code).collect();
        assert!(others.is_empty(), "{}: also {others:#?}", case.rule);
    }
}

#[test]
fn a_repeated_sid_points_back_at_the_first() {
    let found = findings(
        UNKNOWN,
        "{\"Version\": \"2012-10-17\", \"Statement\": [\n  {\"Sid\": \"A\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"},\n  {\"Sid\": \"A\", \"Effect\": \"Deny\", \"Action\": \"s3:PutObject\", \"Resource\": \"*\"}\n]}",
    );
    assert_eq!(found[0].related[0].loc.line_col(), (2, 11));
}

/// Documented AWS examples validate cleanly as the kind they are.
#[test]
fn documented_examples_have_no_findings() {
    let examples: [(&str, PolicyKind); 4] = [
        (
            include_str!("../../../tests/fixtures/policies/s3-home-folder.json"),
            PolicyKind::Identity,
        ),
        (
            include_str!("../../../tests/fixtures/policies/cognito-per-identity-s3.json"),
            PolicyKind::Identity,
        ),
        (
            include_str!("../../../tests/fixtures/policies/cognito-trust-authenticated.json"),
            PolicyKind::Trust,
        ),
        (
            include_str!("../../../tests/fixtures/policies/bucket-public-read.json"),
            PolicyKind::Resource,
        ),
    ];
    for (text, kind) in examples {
        assert_eq!(findings(kind, text), Vec::new(), "{text}");
    }
}

/// Things that look odd but are right stay quiet.
#[test]
fn valid_forms_have_no_findings() {
    let quiet = [
        // Key names are case-insensitive (IAM User Guide, "Policy variables").
        with_condition(
            "s3:GetObject",
            "{\"IpAddress\": {\"AWS:SOURCEIP\": [\"203.0.113.0/24\", \"2001:db8::/32\"]}}",
        ),
        // A presence check defuses ForAllValues in an Allow.
        with_condition(
            "iam:TagRole",
            "{\"ForAllValues:StringEquals\": {\"aws:TagKeys\": \"env\"}, \"Null\": {\"aws:TagKeys\": \"false\"}}",
        ),
        // Variables after the fifth colon, `${*}` literal, a default value.
        with_resource("arn:aws:s3:::b/${aws:username, 'anonymous'}/${*}"),
        // A short pattern ending in `*` spans the parts it leaves out
        // (IAM User Guide, "Resource", wildcards in resource ARNs).
        with_resource("arn:aws:s3:*"),
        // Dates as epoch seconds, booleans as JSON booleans.
        with_condition(
            "s3:GetObject",
            "{\"DateLessThan\": {\"aws:EpochTime\": 1700000000}, \"Bool\": {\"aws:SecureTransport\": true}}",
        ),
        // Account ids and unique ids of deleted roles are valid principals.
        with_principal(
            "{\"AWS\": [\"111122223333\", \"AROAEXAMPLEID12345678\", \"arn:aws:iam::111122223333:role/x\"]}",
            "s3:GetObject",
        ),
        // Wildcards in actions are expanded against the catalogue.
        statement(
            "  \"Effect\": \"Allow\",\n  \"Action\": [\"s3:Get*\", \"S3:getobject\", \"*\", \"ec2:Describe?*\"],\n  \"Resource\": \"*\"",
        ),
        // ForAllValues in a Deny is the documented use.
        statement(
            "  \"Effect\": \"Deny\",\n  \"Action\": \"iam:TagRole\",\n  \"Resource\": \"*\",\n  \"Condition\": {\"ForAllValues:StringLike\": {\"aws:TagKeys\": \"key1*\"}}",
        ),
    ];
    for text in quiet {
        assert_eq!(findings(UNKNOWN, &text), Vec::new(), "{text}");
    }
    // Resource policies may name principals by ARN, account or `*`.
    let bucket = with_principal("{\"AWS\": \"*\"}", "s3:GetObject");
    assert_eq!(findings(PolicyKind::Resource, &bucket), Vec::new());
}

// DynamoDB Developer Guide, fine-grained access: the per-user
// `LeadingKeys` example uses ForAllValues in an Allow. The key is always
// present on item requests, but the policy still allows requests that
// carry no LeadingKeys, so poolscope keeps the warning.
#[test]
fn documented_leading_keys_policy_gets_the_forallvalues_warning() {
    let text = statement(
        "  \"Effect\": \"Allow\",\n  \"Action\": [\"dynamodb:GetItem\", \"dynamodb:Query\"],\n  \"Resource\": \"arn:aws:dynamodb:us-east-1:111122223333:table/Notes\",\n  \"Condition\": {\"ForAllValues:StringEquals\": {\"dynamodb:LeadingKeys\": [\"${cognito-identity.amazonaws.com:sub}\"]}}",
    );
    let codes: Vec<_> = findings(PolicyKind::Identity, &text)
        .iter()
        .map(|d| d.code)
        .collect();
    assert_eq!(codes, ["policy-forallvalues-with-allow"]);
}

// The cited list must agree with the catalogue: every key is a known
// global key that the Service Authorization Reference does not type as
// `ArrayOf…`.
#[test]
fn single_valued_keys_are_known_scalar_global_keys() {
    let catalogue = Catalogue::builtin();
    for key in SINGLE_VALUED_GLOBAL_KEYS {
        let known = catalogue
            .condition_key(key)
            .unwrap_or_else(|| panic!("`{key}` is not in the catalogue"));
        assert!(
            !known.value_type.starts_with("ArrayOf"),
            "{key}: {}",
            known.value_type
        );
    }
}

#[test]
fn bounded_edit_distance() {
    assert_eq!(edit_distance_at_most("sib", "sub", 2), Some(1));
    assert_eq!(edit_distance_at_most("sub", "sub", 2), None);
    assert_eq!(edit_distance_at_most("abcdef", "uvwxyz", 2), None);
    assert!(has_unterminated_variable("a/${b"));
    assert!(!has_unterminated_variable("a/${b}/${c}"));
}

/// Text that is often JSON and often policy-shaped: element names,
/// operators, variables, ARNs and junk.
fn policy_like_json() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "Version",
        "2012-10-17",
        "2008-10-17",
        "Statement",
        "Sid",
        "Effect",
        "Allow",
        "Deny",
        "Principal",
        "NotPrincipal",
        "AWS",
        "Federated",
        "Service",
        "*",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
        "StringEquals",
        "ForAllValues:StringLike",
        "ForAnyValue:Null",
        "NumericLessThan",
        "DateEquals",
        "Bool",
        "BinaryEquals",
        "IpAddress",
        "ArnLike",
        "Null",
        "aws:SourceIp",
        "aws:TagKeys",
        "s3:GetObject",
        "s3:Get*",
        "s4:x",
        "${aws:username}",
        "${",
        "arn:aws:s3:::b/${x}/*",
        "arn:${a}:b",
        "arn:aws:iam::111122223333:root",
        "203.0.113.0/24",
        "::1/200",
        "é",
        "",
        "true",
        "x:y:z",
        "${a, 'b'}",
    ]);
    let leaf = prop_oneof![
        words
            .clone()
            .prop_map(|w| serde_json::Value::String(w.to_string())),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<bool>().prop_map(serde_json::Value::Bool),
        Just(serde_json::Value::Null),
    ];
    let shaped = policy_shaped(words.clone());
    let tree = leaf.prop_recursive(5, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::vec((words.clone(), inner), 0..5).prop_map(|members| {
                serde_json::Value::Object(
                    members
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect(),
                )
            }),
        ]
    });
    prop_oneof![
        tree.prop_map(|v| v.to_string()),
        shaped.prop_map(|v| v.to_string()),
        "[\\[\\]{}\":, a-zA-Z0-9*$]{0,80}",
    ]
}

/// Policies with the right skeleton and random contents, so that most
/// cases reach validation.
fn policy_shaped(
    words: impl Strategy<Value = &'static str> + Clone + 'static,
) -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{Value as J, json};
    let text = words.clone().prop_map(|w| J::String(w.to_string()));
    let texts = prop_oneof![
        text.clone(),
        prop::collection::vec(text.clone(), 0..3).prop_map(J::Array),
    ];
    let operators = prop::sample::select(operator_names_for_tests());
    let condition = prop::collection::vec((operators, words.clone(), texts.clone()), 0..3)
        .prop_map(|entries| {
            let mut blocks = serde_json::Map::new();
            for (operator, key, values) in entries {
                blocks.insert(operator, json!({ key: values }));
            }
            J::Object(blocks)
        });
    let statement = (
        prop::sample::select(vec!["Allow", "Deny"]),
        texts.clone(),
        prop::option::of(texts.clone()),
        prop::option::of(prop_oneof![
            Just(json!("*")),
            texts.clone().prop_map(|t| json!({ "AWS": t })),
            texts.clone().prop_map(|t| json!({ "Federated": t })),
        ]),
        any::<bool>(),
        condition,
    )
        .prop_map(
            |(effect, action, resource, principal, negated, condition)| {
                let mut statement = serde_json::Map::new();
                statement.insert("Effect".into(), json!(effect));
                statement.insert(if negated { "NotAction" } else { "Action" }.into(), action);
                if let Some(resource) = resource {
                    statement.insert(
                        if negated { "NotResource" } else { "Resource" }.into(),
                        resource,
                    );
                }
                if let Some(principal) = principal {
                    statement.insert(
                        if negated { "NotPrincipal" } else { "Principal" }.into(),
                        principal,
                    );
                }
                statement.insert("Condition".into(), condition);
                J::Object(statement)
            },
        );
    (
        prop::sample::select(vec!["2012-10-17", "2008-10-17"]),
        prop::collection::vec(statement, 1..4),
    )
        .prop_map(|(version, statements)| json!({ "Version": version, "Statement": statements }))
}

fn operator_names_for_tests() -> Vec<String> {
    let mut names = crate::policy::parse::operator_names();
    names.push("StringEqual".to_string());
    names
}

// The fuzz input must reach validation often, or the property below
// would test little more than the JSON reader.
#[test]
fn fuzz_inputs_mostly_reach_validation() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = policy_like_json();
    let mut with_statements = 0;
    for _ in 0..300 {
        let text = strategy.new_tree(&mut runner).expect("strategy").current();
        let parsed = json::parse_str("fuzz.json", &text)
            .ok()
            .and_then(|doc| parse_policy(&doc, "fuzz", PolicyKind::Unknown).ok());
        if parsed.is_some_and(|p| !p.policy.statements.is_empty()) {
            with_statements += 1;
        }
    }
    assert!(
        with_statements >= 60,
        "only {with_statements} of 300 reached validation"
    );
}

proptest! {
    // Bad input never panics: it becomes diagnostics.
    #[test]
    fn no_input_panics(text in policy_like_json()) {
        let Ok(doc) = json::parse_str("fuzz.json", &text) else {
            return Ok(());
        };
        for kind in [PolicyKind::Identity, PolicyKind::Resource, PolicyKind::Trust, PolicyKind::Unknown] {
            match parse_policy(&doc, "fuzz", kind) {
                Ok(parsed) => {
                    let found = validate(&parsed.policy, kind, Catalogue::builtin());
                    for diagnostic in parsed.diagnostics.iter().chain(&found) {
                        prop_assert!(diagnostic.code.starts_with("policy-"));
                        prop_assert!(diagnostic.location().is_some());
                    }
                }
                Err(diagnostics) => prop_assert!(!diagnostics.is_empty()),
            }
        }
    }
}
