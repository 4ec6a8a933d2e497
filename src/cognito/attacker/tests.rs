//! Attacker capabilities, one per test, each citing the documentation it
//! follows. Inputs are CLI-shaped JSON, as in real snapshots.

use super::*;
use crate::cognito::claims::Claims;
use crate::ingest::{InputFile, load_files};
use crate::source::SourceFile;

const POOL_ID: &str = "eu-west-1:0a1b2c3d-0000-4000-8000-00000000abcd";
const USER_POOL_ID: &str = "eu-west-1_Xy9Zk1Wq2";
const PROVIDER: &str = "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Xy9Zk1Wq2";
const CLIENT: &str = "3n4b5v6c7x8z9l0k1j2h3g4f5d";

fn identity_pool(unauth: bool, classic: bool) -> String {
    format!(
        r#"{{
  "IdentityPoolId": "{POOL_ID}",
  "IdentityPoolName": "notes",
  "AllowUnauthenticatedIdentities": {unauth},
  "AllowClassicFlow": {classic},
  "SupportedLoginProviders": {{"graph.facebook.com": "492844718097981", "accounts.google.com": "620493171733.apps.googleusercontent.com"}},
  "CognitoIdentityProviders": [
    {{"ProviderName": "{PROVIDER}", "ClientId": "{CLIENT}", "ServerSideTokenCheck": false}}
  ],
  "OpenIdConnectProviderARNs": ["arn:aws:iam::111122223333:oidc-provider/login.example.com"],
  "SamlProviderARNs": [],
  "DeveloperProviderName": "login.notes.example"
}}"#
    )
}

fn user_pool(admin_only: bool, auto_verified: &str, lambda: &str) -> String {
    format!(
        r#"{{"UserPool": {{
  "Id": "{USER_POOL_ID}",
  "Name": "notes-users",
  "LambdaConfig": {{{lambda}}},
  "SchemaAttributes": [
    {{"Name": "sub", "AttributeDataType": "String", "DeveloperOnlyAttribute": false, "Mutable": false, "Required": true}},
    {{"Name": "email", "AttributeDataType": "String", "DeveloperOnlyAttribute": false, "Mutable": true, "Required": true}},
    {{"Name": "email_verified", "AttributeDataType": "Boolean", "DeveloperOnlyAttribute": false, "Mutable": true, "Required": false}},
    {{"Name": "custom:tenant", "AttributeDataType": "String", "DeveloperOnlyAttribute": false, "Mutable": false, "Required": false}},
    {{"Name": "custom:role", "AttributeDataType": "String", "DeveloperOnlyAttribute": false, "Mutable": true, "Required": false}},
    {{"Name": "custom:plan", "AttributeDataType": "String", "DeveloperOnlyAttribute": false, "Mutable": true, "Required": false}}
  ],
  "AutoVerifiedAttributes": [{auto_verified}],
  "AdminCreateUserConfig": {{"AllowAdminCreateUserOnly": {admin_only}, "UnusedAccountValidityDays": 7}}
}}}}"#
    )
}

fn client(id: &str, read: Option<&str>, write: Option<&str>) -> String {
    let mut fields = vec![
        format!(r#""UserPoolId": "{USER_POOL_ID}""#),
        format!(r#""ClientName": "app-{id}""#),
        format!(r#""ClientId": "{id}""#),
    ];
    if let Some(read) = read {
        fields.push(format!(r#""ReadAttributes": [{read}]"#));
    }
    if let Some(write) = write {
        fields.push(format!(r#""WriteAttributes": [{write}]"#));
    }
    format!(r#"{{"UserPoolClient": {{{}}}}}"#, fields.join(", "))
}

fn capabilities_of(docs: &[String]) -> Vec<Capability> {
    let inputs: Vec<InputFile> = docs
        .iter()
        .enumerate()
        .map(|(i, text)| InputFile {
            source: SourceFile::new(format!("snap-{i}.json"), text.as_str()),
            named: true,
        })
        .collect();
    let result = load_files(&inputs);
    assert!(result.errors().next().is_none(), "{:?}", result.diagnostics);
    capabilities(
        result.inventory.identity_pools(),
        result.inventory.user_pools(),
    )
}

fn find<'a>(capabilities: &'a [Capability], kind: &CapabilityKind) -> Option<&'a Capability> {
    capabilities.iter().find(|c| c.kind == *kind)
}

fn sign_up() -> CapabilityKind {
    CapabilityKind::SelfSignUp {
        user_pool: USER_POOL_ID.to_string(),
        client: CLIENT.to_string(),
    }
}

const WRITES: &str = r#""email", "custom:role", "custom:tenant""#;

// Developer Guide, "Identity pools authentication flow": a leaked pool id
// gives guest credentials when unauthenticated identities are allowed.
#[test]
fn a_guest_capability_exists_only_when_guests_are_allowed() {
    for (unauth, classic) in [(true, false), (true, true), (false, true)] {
        let caps = capabilities_of(&[identity_pool(unauth, classic)]);
        let guest = find(&caps, &CapabilityKind::Guest);
        assert_eq!(guest.is_some(), unauth);
        if let Some(guest) = guest {
            assert_eq!(
                guest.token[COGNITO_AMR],
                ClaimConstraint::fixed("unauthenticated")
            );
            assert_eq!(guest.token[COGNITO_AUD], ClaimConstraint::fixed(POOL_ID));
            assert_eq!(guest.flows.contains(&Flow::Basic), classic);
            assert!(
                guest.because[0].1.is_some(),
                "points at AllowUnauthenticatedIdentities"
            );
        }
    }
}

// Developer Guide, "User pool attributes" / API AdminCreateUserConfig:
// outsiders sign up only when AllowAdminCreateUserOnly is false.
#[test]
fn self_sign_up_needs_open_sign_up() {
    let open = [
        identity_pool(false, false),
        user_pool(false, "", ""),
        client(CLIENT, None, Some(WRITES)),
    ];
    let caps = capabilities_of(&open);
    assert!(find(&caps, &sign_up()).is_some());
    let closed = [
        identity_pool(false, false),
        user_pool(true, "", ""),
        client(CLIENT, None, Some(WRITES)),
    ];
    let caps = capabilities_of(&closed);
    assert!(find(&caps, &sign_up()).is_none());
}

// Developer Guide, "User pool attributes", "Attribute permissions and
// scopes": users write the attributes their app client may write; immutable
// ones are still set at sign-up; others a new user does not have.
#[test]
fn writable_attributes_are_free_and_the_rest_absent() {
    let docs = [
        identity_pool(false, false),
        user_pool(false, "", ""),
        client(CLIENT, None, Some(WRITES)),
    ];
    let caps = capabilities_of(&docs);
    let user = find(&caps, &sign_up()).expect("sign-up capability");
    let claims = &user.claims;
    assert_eq!(
        claims.get("custom:role"),
        &ClaimConstraint::Free { optional: true }
    );
    assert_eq!(
        claims.get("custom:tenant"),
        &ClaimConstraint::Free { optional: true },
        "immutable but writable: chosen at sign-up"
    );
    assert_eq!(
        claims.get("email"),
        &ClaimConstraint::Free { optional: false },
        "required"
    );
    assert_eq!(claims.get("custom:plan"), &ClaimConstraint::Absent);
    assert_eq!(
        claims.get("given_name"),
        &ClaimConstraint::Absent,
        "not in WriteAttributes"
    );
    assert_eq!(claims.get("aud"), &ClaimConstraint::fixed(CLIENT));
    let why = &claims.claims["custom:role"];
    assert_eq!(
        why.loc.as_ref().map(|l| l.snippet()),
        Some("\"custom:role\"")
    );
}

// API CreateUserPoolClient, WriteAttributes: unset means the standard
// attributes are writable (custom ones are not).
#[test]
fn unset_write_attributes_mean_the_standard_attributes() {
    let docs = [
        identity_pool(false, false),
        user_pool(false, "", ""),
        client(CLIENT, None, None),
    ];
    let caps = capabilities_of(&docs);
    let claims = &find(&caps, &sign_up()).expect("sign-up").claims;
    for standard in ["email", "name", "preferred_username", "website"] {
        assert!(claims.get(standard).is_attacker_chosen(), "{standard}");
    }
    assert_eq!(claims.get("custom:role"), &ClaimConstraint::Absent);
    assert_eq!(
        claims.get("sub"),
        &ClaimConstraint::Free { optional: false }
    );
}

// Attributes belong to the user, not the client: a second app client that
// may write `custom:plan` lets users set it, and it shows in the login
// client's ID tokens.
#[test]
fn any_client_of_the_pool_can_write_attributes() {
    let docs = [
        identity_pool(false, false),
        user_pool(false, "", ""),
        client(CLIENT, None, Some(r#""email""#)),
        client("admin-console-client", None, Some(r#""custom:plan""#)),
    ];
    let caps = capabilities_of(&docs);
    let claims = &find(&caps, &sign_up()).expect("sign-up").claims;
    assert_eq!(
        claims.get("custom:plan"),
        &ClaimConstraint::Free { optional: true }
    );
    assert!(
        claims.claims["custom:plan"]
            .why
            .contains("admin-console-client")
    );
}

// Developer Guide, "User pool attributes": "The ID token issued
// post-authentication only contains claims corresponding to the readable
// attributes".
#[test]
fn attributes_the_login_client_cannot_read_are_absent() {
    let docs = [
        identity_pool(false, false),
        user_pool(false, "", ""),
        client(CLIENT, Some(r#""email", "email_verified""#), Some(WRITES)),
    ];
    let caps = capabilities_of(&docs);
    let claims = &find(&caps, &sign_up()).expect("sign-up").claims;
    assert_eq!(claims.get("custom:role"), &ClaimConstraint::Absent);
    assert!(claims.get("email").is_attacker_chosen());
}

// Developer Guide, "User pool attributes": only administrators mark email
// verified, unless Cognito verifies it by a code (auto-verified) — then the
// attacker verifies an address they own.
#[test]
fn email_verified_is_false_unless_auto_verified() {
    let fixed_false = ClaimConstraint::OneOf {
        values: vec!["false".into()],
        optional: true,
    };
    let either = ClaimConstraint::OneOf {
        values: vec!["true".into(), "false".into()],
        optional: true,
    };
    for (auto, expected) in [("", &fixed_false), (r#""email""#, &either)] {
        let docs = [
            identity_pool(false, false),
            user_pool(false, auto, ""),
            client(CLIENT, None, Some(WRITES)),
        ];
        let caps = capabilities_of(&docs);
        let claims = &find(&caps, &sign_up()).expect("sign-up").claims;
        assert_eq!(
            claims.get("email_verified"),
            expected,
            "auto-verified: {auto}"
        );
        assert_eq!(
            claims.get("phone_number_verified"),
            &ClaimConstraint::Absent
        );
    }
}

// API UserPoolType documents no meaning for an absent
// `AutoVerifiedAttributes` (docs/semantics.md §10): it is not read as
// "none", so a new user may hold a verified address of their own, and the
// capability flags the assumption. An explicit `[]` is none.
#[test]
fn an_absent_auto_verified_list_is_assumed_to_verify() {
    let without = user_pool(false, "", "").replace("  \"AutoVerifiedAttributes\": [],\n", "");
    assert!(!without.contains("AutoVerifiedAttributes"));
    let docs = [
        identity_pool(false, false),
        without,
        client(CLIENT, None, Some(WRITES)),
    ];
    let caps = capabilities_of(&docs);
    let capability = find(&caps, &sign_up()).expect("sign-up");
    assert_eq!(
        capability.claims.get("email_verified"),
        &ClaimConstraint::OneOf {
            values: vec!["true".into(), "false".into()],
            optional: true,
        }
    );
    assert!(
        capability.flags.iter().any(|f| matches!(
            f,
            Flag::AssumedSetting(text) if text.contains("assumed: AutoVerifiedAttributes absent")
        )),
        "{:?}",
        capability.flags
    );
}

// Developer Guide, "Role-based access control": groups (and so
// cognito:roles / cognito:preferred_role) come from administrators.
#[test]
fn new_users_have_no_groups() {
    let docs = [
        identity_pool(false, false),
        user_pool(false, "", ""),
        client(CLIENT, None, Some(WRITES)),
    ];
    let caps = capabilities_of(&docs);
    let claims = &find(&caps, &sign_up()).expect("sign-up").claims;
    for claim in ["cognito:groups", "cognito:roles", "cognito:preferred_role"] {
        assert_eq!(claims.get(claim), &ClaimConstraint::Absent, "{claim}");
    }
    let mut admin = Claims::new();
    admin.set_multi("cognito:groups", &["admins"]);
    assert!(claims.admits(&admin).is_err());
}

// Developer Guide, "Pre token generation Lambda trigger": the trigger may
// add, change or suppress claims, so every claim but aud, iss and token_use
// is free, groups included; the capability says so.
#[test]
fn a_pre_token_generation_lambda_makes_claims_free() {
    let lambda = r#""PreTokenGeneration": "arn:aws:lambda:eu-west-1:111122223333:function:tokens",
        "PreTokenGenerationConfig": {"LambdaVersion": "V2_0", "LambdaArn": "arn:aws:lambda:eu-west-1:111122223333:function:tokens"}"#;
    let docs = [
        identity_pool(false, false),
        user_pool(false, "", lambda),
        client(CLIENT, None, Some(WRITES)),
    ];
    let caps = capabilities_of(&docs);
    let user = find(&caps, &sign_up()).expect("sign-up");
    assert!(
        user.flags
            .iter()
            .any(|f| matches!(f, Flag::PreTokenGenerationLambda { .. }))
    );
    assert_eq!(user.claims.get("cognito:groups"), &ClaimConstraint::free());
    assert_eq!(user.claims.get("custom:plan"), &ClaimConstraint::free());
    assert_eq!(user.claims.get("anything:else"), &ClaimConstraint::free());
    assert_eq!(user.claims.get("aud"), &ClaimConstraint::fixed(CLIENT));
}

// Developer Guide, "Role-based access control", "Token claims to use in
// rule-based mapping": a social login's claims are the attacker's own
// account's; Facebook shows rules only iss, aud and sub.
#[test]
fn social_logins_of_trusted_providers_have_free_claims() {
    let caps = capabilities_of(&[identity_pool(false, false)]);
    let social: Vec<&Capability> = caps
        .iter()
        .filter(|c| matches!(c.kind, CapabilityKind::FederatedLogin { .. }))
        .collect();
    assert_eq!(social.len(), 3, "facebook, google, the OIDC provider");
    let facebook = social
        .iter()
        .find(|c| c.provider.as_deref() == Some("graph.facebook.com"))
        .expect("facebook");
    assert_eq!(
        facebook.claims.get("aud"),
        &ClaimConstraint::fixed("492844718097981")
    );
    assert_eq!(facebook.claims.get("email"), &ClaimConstraint::Absent);
    let google = social
        .iter()
        .find(|c| c.provider.as_deref() == Some("accounts.google.com"))
        .expect("google");
    assert_eq!(google.claims.get("email"), &ClaimConstraint::free());
    assert_eq!(
        google.token[COGNITO_AMR],
        ClaimConstraint::Includes(vec!["authenticated".into(), "accounts.google.com".into()])
    );
    let oidc = social
        .iter()
        .find(|c| c.provider.as_deref() == Some("login.example.com"))
        .expect("oidc");
    assert!(oidc.flags.contains(&Flag::DependsOnProvider));
    assert!(find(&caps, &CapabilityKind::DeveloperLogin).is_some());
}

// Developer Guide, "Security best practices for identity pools" and
// SEMANTICS-NOTES §3: an identity of a pool the inputs do not show has any
// aud but the known pools', and STS limits other accounts' pools.
#[test]
fn foreign_pool_identities_have_any_other_aud() {
    let caps = capabilities_of(&[identity_pool(true, false)]);
    let foreign = find(&caps, &CapabilityKind::ForeignPool).expect("always present");
    let aud = &foreign.token[COGNITO_AUD];
    assert!(!aud.admits(Some(&ClaimValue::Single(POOL_ID.to_string()))));
    assert!(aud.admits(Some(&ClaimValue::Single(
        "us-east-1:99999999-0000-4000-8000-000000000000".to_string()
    ))));
    assert!(foreign.flags.contains(&Flag::CrossAccountNeedsAudAndAmr));
}

// A user pool the inputs do not show is assumed open (never hides access):
// sign-up is possible and every claim is free, with the assumption flagged.
#[test]
fn unknown_user_pools_are_assumed_open() {
    let caps = capabilities_of(&[identity_pool(false, false)]);
    let user = find(&caps, &sign_up()).expect("assumed sign-up");
    assert!(
        user.flags
            .iter()
            .any(|f| matches!(f, Flag::AssumedSetting(_)))
    );
    assert_eq!(user.claims.get("custom:anything"), &ClaimConstraint::free());
}

// The concrete checker: claims an outsider can present, and ones they cannot.
#[test]
fn claim_sets_admit_only_attainable_claims() {
    let docs = [
        identity_pool(false, false),
        user_pool(false, "", ""),
        client(CLIENT, None, Some(WRITES)),
    ];
    let caps = capabilities_of(&docs);
    let claims = &find(&caps, &sign_up()).expect("sign-up").claims;
    let mut ok = Claims::new();
    ok.set("aud", CLIENT);
    ok.set("sub", "5f0c3d1e-0000-4000-8000-000000000000");
    ok.set("cognito:username", "5f0c3d1e-0000-4000-8000-000000000000");
    ok.set("email", "mallory@corp.example.evil.io");
    ok.set("custom:role", "admin");
    for name in [
        "iss",
        "token_use",
        "auth_time",
        "iat",
        "exp",
        "jti",
        "origin_jti",
        "event_id",
    ] {
        let value = match name {
            "iss" => "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Xy9Zk1Wq2",
            "token_use" => "id",
            _ => "1",
        };
        ok.set(name, value);
    }
    assert_eq!(claims.admits(&ok), Ok(()));

    let mut verified = ok.clone();
    verified.set("email_verified", "true");
    assert!(
        claims.admits(&verified).is_err(),
        "only admins verify email"
    );

    let mut other_client = ok.clone();
    other_client.set("aud", "someone-elses-client");
    assert!(claims.admits(&other_client).is_err());

    let mut plan = ok;
    plan.set("custom:plan", "enterprise");
    assert!(
        claims.admits(&plan).is_err(),
        "no client writes custom:plan"
    );
}

#[test]
fn constraints_admit_values_as_documented() {
    let single = |v: &str| ClaimValue::Single(v.to_string());
    let cases: [(ClaimConstraint, Option<ClaimValue>, bool); 9] = [
        (ClaimConstraint::fixed("a"), Some(single("a")), true),
        (ClaimConstraint::fixed("a"), None, false),
        (ClaimConstraint::Free { optional: false }, None, false),
        (ClaimConstraint::free(), None, true),
        (
            ClaimConstraint::FreeExcept {
                except: vec!["x".into()],
                optional: false,
            },
            Some(single("x")),
            false,
        ),
        (
            ClaimConstraint::Includes(vec!["authenticated".into()]),
            Some(ClaimValue::Multi(vec!["authenticated".into(), "p".into()])),
            true,
        ),
        (
            ClaimConstraint::Includes(vec!["authenticated".into()]),
            Some(ClaimValue::Multi(vec!["unauthenticated".into()])),
            false,
        ),
        (ClaimConstraint::Absent, None, true),
        (ClaimConstraint::Absent, Some(single("x")), false),
    ];
    for (constraint, value, expected) in cases {
        assert_eq!(
            constraint.admits(value.as_ref()),
            expected,
            "{constraint:?} {value:?}"
        );
    }
}
