//! Role resolution, rule by rule. Each test names the AWS documentation it
//! follows; pools are read from CLI-shaped JSON like the real snapshots.

use super::*;
use crate::cognito::claims::Claims;
use crate::cognito::user_pool::{self, UserPool};
use crate::ingest::{InputFile, load_files};
use crate::source::SourceFile;

const POOL_ID: &str = "us-east-1:4f3b1c2d-1111-4222-8333-444455556666";
const USER_POOL: &str = "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI";
const CLIENT: &str = "6jk8ltokc7ac9es6jrtg9q572f";
const ACCOUNT_ROLE: &str = "arn:aws:iam::111122223333:role/";

fn role(name: &str) -> String {
    format!("{ACCOUNT_ROLE}{name}")
}

fn describe(unauth: bool, classic: bool) -> String {
    format!(
        r#"{{
  "IdentityPoolId": "{POOL_ID}",
  "IdentityPoolName": "photos",
  "AllowUnauthenticatedIdentities": {unauth},
  "AllowClassicFlow": {classic},
  "SupportedLoginProviders": {{"graph.facebook.com": "492844718097981"}},
  "CognitoIdentityProviders": [
    {{"ProviderName": "{USER_POOL}", "ClientId": "{CLIENT}", "ServerSideTokenCheck": false}}
  ],
  "OpenIdConnectProviderARNs": [],
  "SamlProviderARNs": ["arn:aws:iam::111122223333:saml-provider/corp"]
}}"#
    )
}

fn roles(mappings: &str) -> String {
    format!(
        r#"{{
  "IdentityPoolId": "{POOL_ID}",
  "Roles": {{
    "authenticated": "{auth}",
    "unauthenticated": "{unauth}"
  }},
  "RoleMappings": {{{mappings}}}
}}"#,
        auth = role("AuthDefault"),
        unauth = role("GuestDefault"),
    )
}

fn rules_mapping(key: &str, ambiguous: &str, rules: &[(&str, &str, &str, &str)]) -> String {
    let rules: Vec<String> = rules
        .iter()
        .map(|(claim, match_type, value, target)| {
            format!(
                r#"{{"Claim": "{claim}", "MatchType": "{match_type}", "Value": "{value}", "RoleARN": "{}"}}"#,
                role(target)
            )
        })
        .collect();
    format!(
        r#""{key}": {{"Type": "Rules", "AmbiguousRoleResolution": "{ambiguous}",
            "RulesConfiguration": {{"Rules": [{}]}}}}"#,
        rules.join(",")
    )
}

fn token_mapping(key: &str, ambiguous: &str) -> String {
    format!(r#""{key}": {{"Type": "Token", "AmbiguousRoleResolution": "{ambiguous}"}}"#)
}

/// The identity and user pools CLI-shaped documents describe.
fn pools(docs: &[String]) -> (Vec<IdentityPool>, Vec<UserPool>) {
    let inputs: Vec<InputFile> = docs
        .iter()
        .enumerate()
        .map(|(i, text)| InputFile {
            source: SourceFile::new(format!("snapshot-{i}.json"), text.as_str()),
            named: true,
        })
        .collect();
    let result = load_files(&inputs);
    assert!(
        result.errors().next().is_none(),
        "fixture reads cleanly: {:?}",
        result.diagnostics
    );
    (
        result.inventory.identity_pools().to_vec(),
        result.inventory.user_pools().to_vec(),
    )
}

fn pool_with(unauth: bool, classic: bool, mappings: &str) -> IdentityPool {
    let (identity_pools, _) = pools(&[describe(unauth, classic), roles(mappings)]);
    identity_pools[0].clone()
}

fn user_claims(pairs: &[(&str, &str)]) -> Claims {
    let mut claims = Claims::from_pairs(pairs.iter().copied());
    claims.set("aud", CLIENT);
    claims.set("sub", "57e7b692-4f66-480d-98b8-45a6729b4c88");
    claims
}

fn user_request(claims: Claims) -> CredentialsRequest {
    CredentialsRequest::authenticated(USER_POOL, claims, Flow::Enhanced)
}

fn only_role(resolution: &Resolution) -> &Assumption {
    match &resolution.outcomes[..] {
        [Grant::Assume(assumption)] => assumption,
        other => panic!(
            "expected one role, got {other:?}\ntrace: {:#?}",
            resolution.trace
        ),
    }
}

fn user_pool_key() -> String {
    format!("{USER_POOL}:{CLIENT}")
}

// Developer Guide, "Identity pools authentication flow" and "IAM roles":
// a guest in the enhanced flow gets the default unauthenticated role, with
// the scope-down session policy, and a token whose amr is `unauthenticated`.
#[test]
fn guests_get_the_unauthenticated_role_with_the_scope_down() {
    let pool = pool_with(true, false, "");
    let resolution = resolve(&pool, &CredentialsRequest::guest(Flow::Enhanced));
    let assumption = only_role(&resolution);
    assert_eq!(assumption.role_arn, role("GuestDefault"));
    assert_eq!(assumption.source, RoleSource::DefaultUnauthenticated);
    assert!(assumption.scope_down);
    assert_eq!(assumption.token.aud, POOL_ID);
    assert_eq!(assumption.token.amr, vec!["unauthenticated".to_string()]);
    assert!(assumption.token.sub.starts_with("us-east-1:"));
    let session = assumption
        .session_policies()
        .expect("scope-down data is valid");
    assert_eq!(session.len(), 1);
    assert_eq!(session[0].name, "Cognito guest scope-down");
    let loc = assumption.loc.as_ref().expect("role location");
    assert_eq!(loc.snippet(), format!("\"{}\"", role("GuestDefault")));
}

// API CreateIdentityPool, AllowUnauthenticatedIdentities: without it guests
// get no credentials, in either flow.
#[test]
fn guests_are_denied_when_unauthenticated_identities_are_off() {
    let pool = pool_with(false, true, "");
    for flow in [Flow::Enhanced, Flow::Basic] {
        let mut request = CredentialsRequest::guest(flow);
        request.role_arn = Some(role("Anything"));
        let resolution = resolve(&pool, &request);
        assert!(resolution.is_denied(), "{flow}");
        let Grant::Denied { loc, .. } = &resolution.outcomes[0] else {
            unreachable!()
        };
        assert_eq!(loc.as_ref().map(|l| l.snippet()), Some("false"));
    }
}

// Developer Guide, "Identity pools authentication flow": the basic flow is
// available only with AllowClassicFlow; the caller names the role and only
// its trust policy decides; no scope-down applies.
#[test]
fn the_basic_flow_needs_allow_classic_flow_and_takes_the_callers_role() {
    let closed = pool_with(true, false, "");
    let mut request = CredentialsRequest::guest(Flow::Basic);
    request.role_arn = Some(role("Admin"));
    assert!(resolve(&closed, &request).is_denied());

    let open = pool_with(true, true, &rules_mapping(&user_pool_key(), "Deny", &[]));
    let resolution = resolve(&open, &request);
    let assumption = only_role(&resolution);
    assert_eq!(assumption.role_arn, role("Admin"));
    assert_eq!(assumption.source, RoleSource::ClassicFlow);
    assert!(!assumption.scope_down, "no scope-down in the basic flow");

    // Authenticated users bypass the mappings too.
    let mut request = user_request(user_claims(&[]));
    request.flow = Flow::Basic;
    request.role_arn = Some(role("Admin"));
    let resolution = resolve(&open, &request);
    assert_eq!(only_role(&resolution).role_arn, role("Admin"));

    request.role_arn = None;
    assert!(
        resolve(&open, &request).is_denied(),
        "the basic flow needs a role"
    );
}

// The Cognito Identity API reference documents no default for an absent
// `AllowClassicFlow`, and GetOpenIdToken has been reported to work on pools
// created without it (aws/aws-cli issue 7652). docs/semantics.md §10: the
// basic flow stays, resting on a labelled assumption; `false` closes it.
#[test]
fn an_absent_allow_classic_flow_keeps_the_basic_flow_as_an_assumption() {
    let without = describe(true, false).replace("  \"AllowClassicFlow\": false,\n", "");
    assert!(!without.contains("AllowClassicFlow"));
    let (identity_pools, _) = pools(&[without, roles("")]);
    let absent = &identity_pools[0];
    assert_eq!(
        absent.allow_classic_flow.read(),
        None,
        "the input's Option<bool>"
    );

    let mut request = CredentialsRequest::guest(Flow::Basic);
    request.role_arn = Some(role("Admin"));
    let resolution = resolve(absent, &request);
    let assumption = only_role(&resolution);
    assert_eq!(assumption.source, RoleSource::ClassicFlow);
    let labels: Vec<&str> = assumption
        .assumed
        .iter()
        .map(|a| a.label.as_str())
        .collect();
    assert_eq!(labels, vec!["assumed: AllowClassicFlow absent"]);
    assert!(assumption.assumed[0].why.contains("7652"));
    assert!(
        resolution
            .trace
            .iter()
            .any(|s| s.text.contains("assumed: AllowClassicFlow absent")),
        "{:#?}",
        resolution.trace
    );

    // The enhanced flow does not rest on it.
    let enhanced = resolve(absent, &CredentialsRequest::guest(Flow::Enhanced));
    assert!(only_role(&enhanced).assumed.is_empty());

    // Explicitly off is no route, and no assumption.
    let off = pool_with(true, false, "");
    assert_eq!(off.allow_classic_flow.read(), Some(&false));
    assert!(resolve(&off, &request).is_denied());
    // Explicitly on is a route that rests on nothing.
    let on = pool_with(true, true, "");
    assert!(only_role(&resolve(&on, &request)).assumed.is_empty());
}

// API RoleMapping: AmbiguousRoleResolution is required for Token and Rules
// mappings, with no default. An absent one is read as AuthenticatedRole,
// and the fallback outcome says it rests on that.
#[test]
fn an_absent_ambiguous_role_resolution_labels_the_fallback() {
    let mapping = format!(
        r#""{}": {{"Type": "Rules", "RulesConfiguration": {{"Rules": [
            {{"Claim": "custom:tier", "MatchType": "Equals", "Value": "gold", "RoleARN": "{}"}}]}}}}"#,
        user_pool_key(),
        role("Gold")
    );
    let inputs: Vec<InputFile> = [describe(true, false), roles(&mapping)]
        .iter()
        .enumerate()
        .map(|(i, text)| InputFile {
            source: SourceFile::new(format!("snapshot-{i}.json"), text.as_str()),
            named: true,
        })
        .collect();
    let loaded = load_files(&inputs);
    let pool = &loaded.inventory.identity_pools()[0];
    let resolution = resolve(
        pool,
        &user_request(user_claims(&[("custom:tier", "silver")])),
    );
    let assumption = only_role(&resolution);
    assert_eq!(assumption.role_arn, role("AuthDefault"));
    let labels: Vec<&str> = assumption
        .assumed
        .iter()
        .map(|a| a.label.as_str())
        .collect();
    assert_eq!(labels, vec!["assumed: AmbiguousRoleResolution absent"]);

    // A matching rule does not rest on it.
    let resolution = resolve(pool, &user_request(user_claims(&[("custom:tier", "gold")])));
    assert!(only_role(&resolution).assumed.is_empty());
}

// Developer Guide, "Role-based access control": with no mapping for the
// provider, authenticated users get the default authenticated role.
#[test]
fn without_a_mapping_users_get_the_default_authenticated_role() {
    let pool = pool_with(true, false, "");
    let resolution = resolve(&pool, &user_request(user_claims(&[])));
    let assumption = only_role(&resolution);
    assert_eq!(assumption.role_arn, role("AuthDefault"));
    assert_eq!(
        assumption.source,
        RoleSource::DefaultAuthenticated { ambiguous: false }
    );
    assert!(
        !assumption.scope_down,
        "authenticated identities get no scope-down"
    );
    // IAM User Guide, web identity keys: amr holds `authenticated` and the
    // provider; user pools add PROVIDER:CognitoSignIn:SUB.
    assert_eq!(
        assumption.token.amr,
        vec![
            "authenticated".to_string(),
            USER_POOL.to_string(),
            format!("{USER_POOL}:CognitoSignIn:57e7b692-4f66-480d-98b8-45a6729b4c88"),
        ]
    );
}

// API GetCredentialsForIdentity / CreateIdentityPool: only configured
// providers (and, for user pools, configured app clients) are accepted.
#[test]
fn logins_from_untrusted_providers_or_clients_are_denied() {
    let pool = pool_with(true, false, "");
    let google =
        CredentialsRequest::authenticated("accounts.google.com", Claims::new(), Flow::Enhanced);
    assert!(resolve(&pool, &google).is_denied());
    let mut claims = user_claims(&[]);
    claims.set("aud", "some-other-client");
    assert!(resolve(&pool, &user_request(claims)).is_denied());
}

// Developer Guide, "Role-based access control", "Using rule-based mapping":
// rules are evaluated in order and the first matching rule's role is used;
// each match type compares as named.
#[test]
fn rules_apply_in_order_with_each_match_type() {
    let mapping = rules_mapping(
        &user_pool_key(),
        "Deny",
        &[
            ("custom:dept", "Equals", "finance", "Finance"),
            ("email", "Contains", "@corp.example", "Staff"),
            ("custom:tier", "StartsWith", "gold", "Gold"),
            ("custom:tier", "NotEqual", "free", "Paid"),
            ("custom:dept", "StartsWith", "fin", "NeverReached"),
        ],
    );
    let pool = pool_with(true, false, &mapping);
    // (claims, expected role, index of the rule that gives it)
    type Case<'a> = (&'a [(&'a str, &'a str)], Option<&'a str>, usize);
    let cases: [Case; 6] = [
        (
            &[("custom:dept", "finance"), ("email", "a@corp.example")],
            Some("Finance"),
            0,
        ),
        (
            &[("custom:dept", "sales"), ("email", "a@corp.example")],
            Some("Staff"),
            1,
        ),
        // PS007's example: Contains accepts look-alike domains
        (&[("email", "x@corp.example.evil.io")], Some("Staff"), 1),
        (&[("custom:tier", "golden")], Some("Gold"), 2),
        (&[("custom:tier", "silver")], Some("Paid"), 3),
        (&[("custom:tier", "free")], None, 0),
    ];
    for (claims, expected, index) in cases {
        let resolution = resolve(&pool, &user_request(user_claims(claims)));
        match expected {
            Some(target) => {
                let assumption = only_role(&resolution);
                assert_eq!(assumption.role_arn, role(target), "{claims:?}");
                assert_eq!(
                    assumption.source,
                    RoleSource::Rule {
                        mapping: user_pool_key(),
                        index
                    }
                );
                assert_eq!(
                    assumption.loc.as_ref().map(|l| l.snippet().to_string()),
                    Some(format!("\"{}\"", role(target)))
                );
            }
            None => assert!(resolution.is_denied(), "{claims:?}"),
        }
    }
}

// Developer Guide, "Role-based access control": "If the match type is
// NotEqual and the claim doesn't exist, the rule is not evaluated"; an
// absent claim matches no rule.
#[test]
fn absent_claims_match_no_rule_not_even_not_equal() {
    let mapping = rules_mapping(
        &user_pool_key(),
        "AuthenticatedRole",
        &[
            ("custom:role", "NotEqual", "viewer", "Editor"),
            ("custom:role", "Equals", "viewer", "Viewer"),
        ],
    );
    let pool = pool_with(true, false, &mapping);
    let resolution = resolve(&pool, &user_request(user_claims(&[])));
    let assumption = only_role(&resolution);
    assert_eq!(assumption.role_arn, role("AuthDefault"));
    assert_eq!(
        assumption.source,
        RoleSource::DefaultAuthenticated { ambiguous: true }
    );
    let not_matched: Vec<&Step> = resolution
        .trace
        .iter()
        .filter(|s| s.kind == StepKind::NotMatched)
        .collect();
    assert_eq!(not_matched.len(), 2);
    assert!(not_matched[0].text.contains("not in the token"));
    assert!(
        not_matched[0].loc.is_some(),
        "each rule step points at its rule"
    );
}

// API RoleMapping, AmbiguousRoleResolution: with no match, AuthenticatedRole
// gives the default authenticated role and Deny gives nothing.
#[test]
fn ambiguous_role_resolution_decides_when_no_rule_matches() {
    for (ambiguous, expected) in [("AuthenticatedRole", Some("AuthDefault")), ("Deny", None)] {
        let mapping = rules_mapping(
            &user_pool_key(),
            ambiguous,
            &[("custom:dept", "Equals", "finance", "Finance")],
        );
        let pool = pool_with(true, false, &mapping);
        let resolution = resolve(&pool, &user_request(user_claims(&[("custom:dept", "hr")])));
        match expected {
            Some(target) => assert_eq!(only_role(&resolution).role_arn, role(target)),
            None => {
                assert!(resolution.is_denied());
                let Grant::Denied { loc, .. } = &resolution.outcomes[0] else {
                    unreachable!()
                };
                assert_eq!(loc.as_ref().map(|l| l.snippet()), Some("\"Deny\""));
            }
        }
    }
}

// AWS does not document how rules compare multi-valued claims such as
// cognito:groups (SEMANTICS-NOTES §1): any member or the serialized value.
// When the readings disagree both outcomes are kept.
#[test]
fn multi_valued_claims_keep_every_possible_outcome() {
    let mapping = rules_mapping(
        &user_pool_key(),
        "Deny",
        &[
            ("cognito:groups", "Contains", "admin", "Admin"),
            ("cognito:groups", "Equals", "editors", "Editor"),
        ],
    );
    let pool = pool_with(true, false, &mapping);

    // Contains: a member and every serialized form contain `admin`.
    let admin = user_claims(&[("cognito:groups", "admin"), ("cognito:groups", "staff")]);
    assert_eq!(
        only_role(&resolve(&pool, &user_request(admin))).role_arn,
        role("Admin")
    );

    // Equals on a one-member list: the member equals, the JSON text does not.
    let editor = user_claims(&[("cognito:groups", "editors")]);
    let resolution = resolve(&pool, &user_request(editor));
    assert_eq!(resolution.roles(), vec![role("Editor").as_str()]);
    assert_eq!(
        resolution.outcomes.len(),
        2,
        "the rule may or may not match"
    );
    assert!(matches!(resolution.outcomes[1], Grant::Denied { .. }));
    assert!(
        resolution
            .trace
            .iter()
            .any(|s| s.kind == StepKind::Uncertain)
    );
}

// AWS does not document case handling; a match that depends on it is kept
// both ways.
#[test]
fn case_only_matches_are_uncertain() {
    let mapping = rules_mapping(
        &user_pool_key(),
        "AuthenticatedRole",
        &[("custom:dept", "Equals", "Finance", "Finance")],
    );
    let pool = pool_with(true, false, &mapping);
    let resolution = resolve(
        &pool,
        &user_request(user_claims(&[("custom:dept", "finance")])),
    );
    assert_eq!(
        resolution.roles(),
        vec![role("Finance").as_str(), role("AuthDefault").as_str()]
    );
}

// Developer Guide, "Role-based access control", "Using tokens to assign
// roles to users": CustomRoleArn must be in cognito:roles, else deny; then
// cognito:preferred_role; then AmbiguousRoleResolution.
#[test]
fn token_mappings_pick_custom_then_preferred_then_ambiguous() {
    let roles_claim = format!("{},{}", role("Editor"), role("Admin"));
    for ambiguous in ["AuthenticatedRole", "Deny"] {
        let pool = pool_with(true, false, &token_mapping(&user_pool_key(), ambiguous));
        let with_roles = |preferred: Option<&str>| {
            let mut claims = user_claims(&[]);
            claims.set("cognito:roles", &roles_claim);
            if let Some(preferred) = preferred {
                claims.set("cognito:preferred_role", &role(preferred));
            }
            claims
        };

        let mut request = user_request(with_roles(Some("Editor")));
        request.custom_role_arn = Some(role("Admin"));
        let assumption = only_role(&resolve(&pool, &request)).clone();
        assert_eq!(assumption.role_arn, role("Admin"));
        assert_eq!(assumption.source, RoleSource::CustomRoleArn);

        request.custom_role_arn = Some(role("Root"));
        assert!(
            resolve(&pool, &request).is_denied(),
            "CustomRoleArn not in cognito:roles"
        );

        let assumption =
            only_role(&resolve(&pool, &user_request(with_roles(Some("Editor"))))).clone();
        assert_eq!(assumption.role_arn, role("Editor"));
        assert_eq!(assumption.source, RoleSource::PreferredRole);

        let resolution = resolve(&pool, &user_request(with_roles(None)));
        match ambiguous {
            "AuthenticatedRole" => assert_eq!(only_role(&resolution).role_arn, role("AuthDefault")),
            _ => assert!(resolution.is_denied()),
        }
    }
}

// Developer Guide, "Role-based access control": the ID token's
// cognito:preferred_role is the role of the group with the best precedence,
// and a user may pick any role of their groups with CustomRoleArn.
#[test]
fn group_precedence_flows_into_token_mappings() {
    let groups = format!(
        r#"{{"Groups": [
  {{"GroupName": "admins", "UserPoolId": "us-east-1_AbCdEfGhI", "RoleArn": "{}", "Precedence": 1}},
  {{"GroupName": "editors", "UserPoolId": "us-east-1_AbCdEfGhI", "RoleArn": "{}", "Precedence": 5}}
]}}"#,
        role("Admin"),
        role("Editor")
    );
    let (identity_pools, user_pools) = pools(&[
        describe(true, false),
        roles(&token_mapping(&user_pool_key(), "Deny")),
        groups,
    ]);
    let pool = &identity_pools[0];
    let user_pool = user_pool::find(&user_pools, "us-east-1_AbCdEfGhI").expect("user pool");
    let claims = user_pool.id_token_claims(CLIENT, "sub-1", &[], &["editors", "admins"]);
    let request = user_request(claims.clone());
    assert_eq!(only_role(&resolve(pool, &request)).role_arn, role("Admin"));

    let mut request = user_request(claims);
    request.custom_role_arn = Some(role("Editor"));
    assert_eq!(only_role(&resolve(pool, &request)).role_arn, role("Editor"));
}

// Developer Guide, "Role-based access control": a CustomRoleArn overrides
// the order of rules when it is the role of a matching rule.
#[test]
fn custom_role_arn_overrides_rule_order_among_matching_rules() {
    let mapping = rules_mapping(
        &user_pool_key(),
        "Deny",
        &[
            ("email", "Contains", "@corp.example", "Staff"),
            ("custom:dept", "Equals", "finance", "Finance"),
            ("custom:dept", "Equals", "legal", "Legal"),
        ],
    );
    let pool = pool_with(true, false, &mapping);
    let claims = user_claims(&[("email", "a@corp.example"), ("custom:dept", "finance")]);
    let mut request = user_request(claims);
    request.custom_role_arn = Some(role("Finance"));
    assert_eq!(
        only_role(&resolve(&pool, &request)).role_arn,
        role("Finance")
    );
    request.custom_role_arn = Some(role("Legal"));
    assert_eq!(only_role(&resolve(&pool, &request)).role_arn, role("Staff"));
}

// Developer Guide, "Role-based access control", "Token claims to use in
// rule-based mapping": Facebook tokens expose only iss, aud and sub.
#[test]
fn facebook_rules_see_only_iss_aud_and_sub() {
    let mapping = rules_mapping(
        "graph.facebook.com",
        "Deny",
        &[
            ("email", "Equals", "boss@corp.example", "Admin"),
            ("aud", "Equals", "492844718097981", "Social"),
        ],
    );
    let pool = pool_with(true, false, &mapping);
    let claims = Claims::from_pairs([
        ("email", "boss@corp.example"),
        ("aud", "492844718097981"),
        ("sub", "112177216992379"),
    ]);
    let request = CredentialsRequest::authenticated("graph.facebook.com", claims, Flow::Enhanced);
    let assumption = only_role(&resolve(&pool, &request)).clone();
    assert_eq!(assumption.role_arn, role("Social"));
    assert_eq!(
        assumption.token.amr,
        vec![
            "authenticated".to_string(),
            "graph.facebook.com".to_string()
        ]
    );
}

// Developer Guide, "SAML identity providers (identity pools)": the SAML role
// attribute lists the roles; with several, CustomRoleArn picks one that is
// in the assertion.
#[test]
fn saml_logins_take_their_roles_from_the_assertion() {
    let pool = pool_with(true, false, "");
    let saml = "arn:aws:iam::111122223333:saml-provider/corp";
    let pair = |name: &str| format!("{},{saml}", role(name));
    let mut claims = Claims::new();
    claims.add(
        crate::cognito::claims::SAML_ROLE_ATTRIBUTE,
        &pair("Analyst"),
    );
    let single = CredentialsRequest::authenticated(saml, claims.clone(), Flow::Enhanced);
    let assumption = only_role(&resolve(&pool, &single)).clone();
    assert_eq!(assumption.role_arn, role("Analyst"));
    assert_eq!(assumption.source, RoleSource::SamlRole);

    claims.add(crate::cognito::claims::SAML_ROLE_ATTRIBUTE, &pair("Ops"));
    let mut several = CredentialsRequest::authenticated(saml, claims, Flow::Enhanced);
    several.custom_role_arn = Some(role("Ops"));
    assert_eq!(only_role(&resolve(&pool, &several)).role_arn, role("Ops"));
    several.custom_role_arn = Some(role("Admin"));
    assert!(resolve(&pool, &several).is_denied());
}

// Unknown is never "no access": a pool whose roles are not in the inputs
// resolves to Unknown, not to a denial.
#[test]
fn missing_pool_roles_give_an_unknown_outcome() {
    let (identity_pools, _) = pools(&[describe(true, false)]);
    let pool = &identity_pools[0];
    let resolution = resolve(pool, &CredentialsRequest::guest(Flow::Enhanced));
    assert!(matches!(resolution.outcomes[..], [Grant::Unknown { .. }]));
    assert!(!resolution.is_denied());
}

// Developer Guide, "Attributes for access control": principal tags carry
// claim values; defaults map `sub` and `aud`.
#[test]
fn principal_tags_are_taken_from_claims() {
    let tags = format!(
        r#"{{"IdentityPoolId": "{POOL_ID}", "IdentityProviderName": "{USER_POOL}",
            "UseDefaults": true, "PrincipalTags": {{"department": "custom:dept"}}}}"#
    );
    let (identity_pools, _) = pools(&[describe(true, false), roles(""), tags]);
    let pool = &identity_pools[0];
    let resolution = resolve(
        pool,
        &user_request(user_claims(&[("custom:dept", "finance")])),
    );
    let mut got = only_role(&resolution).principal_tags.clone();
    got.sort();
    assert_eq!(
        got,
        vec![
            ("client".to_string(), CLIENT.to_string()),
            ("department".to_string(), "finance".to_string()),
            (
                "username".to_string(),
                "57e7b692-4f66-480d-98b8-45a6729b4c88".to_string()
            ),
        ]
    );
}

// The token STS sees is exposed as the condition keys a trust policy tests.
#[test]
fn the_web_identity_token_becomes_condition_keys() {
    let token = WebIdentityToken {
        aud: POOL_ID.to_string(),
        amr: vec!["unauthenticated".to_string()],
        sub: "us-east-1:abc".to_string(),
    };
    let keys: Vec<&str> = token.context().iter().map(|(k, _)| *k).collect();
    assert_eq!(keys, vec![COGNITO_AUD, COGNITO_AMR, COGNITO_SUB]);
}
