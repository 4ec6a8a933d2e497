//! Route enumeration on the corpus cases (corpus/*/README.md list the
//! facts each test checks).

use std::path::PathBuf;

use super::steps::StepKind as EscalationKind;
use super::*;
use crate::cognito::role_resolution::StepKind;
use crate::ingest::{LoadResult, load_paths};

fn corpus(case: &str) -> LoadResult {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(case);
    let loaded = load_paths(&[path]);
    assert!(!loaded.input_failed, "{case} loads");
    loaded
}

fn selector(text: &str) -> PrincipalSelector {
    PrincipalSelector::parse(text).expect("valid selector")
}

fn scenario(claims: &[(&str, &str)]) -> Scenario {
    let mut out = Scenario::default();
    for (k, v) in claims {
        out.claims
            .entry(k.to_string())
            .or_default()
            .push(v.to_string());
    }
    out
}

/// (flow, role name, how label, has credentials) of every route.
fn summary(routes: &[SessionRoute<'_>]) -> Vec<(RouteFlow, String, String, bool)> {
    routes
        .iter()
        .map(|r| {
            (
                r.flow,
                r.role.as_ref().map_or_else(String::new, RouteRole::name),
                r.how.short_label(),
                r.has_credentials(),
            )
        })
        .collect()
}

// Developer Guide, "Identity pools authentication flow": guests in the
// enhanced flow get the default unauthenticated role and the scope-down
// session policy; with classic flow off there is no basic route.
#[test]
fn amplify_guests_get_the_unauthenticated_role_with_the_scope_down() {
    let loaded = corpus("amplify-storage");
    let routes = enumerate(&loaded.inventory, &selector("guest"), None).expect("routes");
    assert_eq!(
        summary(&routes.routes),
        vec![(
            RouteFlow::Enhanced,
            "amplify-photoshare-dev-142233-unauthRole".to_string(),
            "default unauthenticated role".to_string(),
            true
        )]
    );
    let route = &routes.routes[0];
    assert_eq!(route.session_policies.len(), 1, "the guest scope-down");
    assert!(matches!(route.trust, TrustCheck::Evaluated { .. }));
    assert!(route.trust.admits());
    assert_eq!(
        route.token.as_ref().map(|t| t.amr.clone()),
        Some(vec!["unauthenticated".to_string()])
    );
    // the pool setting, the role reference and the trust statement are located
    let files: Vec<&str> = route.locations.iter().map(|l| l.path()).collect();
    assert!(
        files.iter().any(|f| f.ends_with("identity-pool.json")),
        "{files:?}"
    );
    assert!(
        files
            .iter()
            .any(|f| f.ends_with("identity-pool-roles.json")),
        "{files:?}"
    );
    assert!(files.iter().any(|f| f.ends_with("iam.json")), "{files:?}");
}

// corpus/classic-flow: with AllowClassicFlow on, a guest names any role in
// AssumeRoleWithWebIdentity; only trust policies admitting `amr`
// `unauthenticated` for this pool let it in, and no scope-down applies.
#[test]
fn classic_flow_guests_reach_the_guest_role_without_the_scope_down() {
    let loaded = corpus("classic-flow");
    let routes = enumerate(
        &loaded.inventory,
        &selector("guest"),
        Some(&Scenario::default()),
    )
    .expect("routes");
    assert_eq!(
        summary(&routes.routes),
        vec![
            (
                RouteFlow::Enhanced,
                "Cognito_ArcadeLeaderboardUnauth_Role".to_string(),
                "default unauthenticated role".to_string(),
                true
            ),
            (
                RouteFlow::Basic,
                "Cognito_ArcadeLeaderboardUnauth_Role".to_string(),
                "basic flow: trust admits".to_string(),
                true
            ),
        ]
    );
    assert_eq!(routes.routes[0].session_policies.len(), 1);
    assert!(routes.routes[1].session_policies.is_empty());
    assert!(
        routes.notes.iter().any(|n| n.contains("refuse its token")),
        "{:?}",
        routes.notes
    );
}

/// A corpus case read from memory, with `edit` applied to each file's text.
fn corpus_edited(case: &str, edit: impl Fn(&str, String) -> String) -> LoadResult {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(case);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("corpus case")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    let inputs: Vec<crate::ingest::InputFile> = names
        .iter()
        .map(|name| {
            let text = std::fs::read_to_string(dir.join(name)).expect("readable");
            crate::ingest::InputFile {
                source: crate::source::SourceFile::new(name.as_str(), edit(name, text).as_str()),
                named: true,
            }
        })
        .collect();
    let loaded = crate::ingest::load_files(&inputs);
    assert!(!loaded.input_failed, "{case} loads");
    loaded
}

// docs/semantics.md §10 (aws/aws-cli issue 7652): corpus/token-groups with
// `AllowClassicFlow` removed. The basic flow is kept: users name any group
// role whose trust admits them, each route labelled with the assumption,
// and the `sts:AssumeRole` chains from those routes rest on it too. The
// enhanced-flow routes rest on nothing.
#[test]
fn an_absent_allow_classic_flow_keeps_labelled_basic_routes_and_their_chains() {
    let loaded = corpus_edited("token-groups", |name, text| {
        if name == "identity-pool.json" {
            text.lines()
                .filter(|l| !l.contains("\"AllowClassicFlow\""))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            text
        }
    });
    let pool = &loaded.inventory.identity_pools()[0];
    assert_eq!(pool.allow_classic_flow.read(), None);
    let found = enumerate(
        &loaded.inventory,
        &selector("user"),
        Some(&Scenario::default()),
    )
    .expect("routes");
    let routes = with_chains(&loaded.inventory, found.routes);
    let label = "assumed: AllowClassicFlow absent";
    let basic: Vec<&SessionRoute<'_>> = routes
        .iter()
        .filter(|r| r.flow == RouteFlow::Basic)
        .collect();
    assert!(basic.iter().any(|r| r.how == How::ClassicFlow));
    assert!(
        basic.iter().any(|r| !r.chain.is_empty()),
        "a chain from a basic-flow route"
    );
    for route in &basic {
        let labels: Vec<&str> = route.assumptions.iter().map(|a| a.label.as_str()).collect();
        assert_eq!(labels, vec![label], "{}", route.how_text());
        assert!(route.how_text().ends_with(&format!("({label})")));
        assert!(route.notes.iter().any(|n| n.starts_with(label)));
    }
    for route in routes.iter().filter(|r| r.flow == RouteFlow::Enhanced) {
        assert!(route.assumptions.is_empty(), "{}", route.how_text());
    }

    // The corpus as it is (`false`): no basic route at all.
    let explicit = corpus("token-groups");
    let found = enumerate(
        &explicit.inventory,
        &selector("user"),
        Some(&Scenario::default()),
    )
    .expect("routes");
    assert!(found.routes.iter().all(|r| r.flow != RouteFlow::Basic));
}

// Developer Guide, "Role-based access control": rules apply in order, the
// first match wins; `Contains` is a substring test (corpus/rules-on-groups
// explain walk-through: rule 3, `email` Contains `example-corp.com`).
#[test]
fn rules_pick_the_first_matching_rule() {
    let loaded = corpus("rules-on-groups");
    let scenario = scenario(&[
        ("email", "mallory@example-corp.com.evil.io"),
        ("email_verified", "true"),
        ("custom:tier", "free"),
    ]);
    let routes = enumerate(&loaded.inventory, &selector("user"), Some(&scenario)).expect("routes");
    assert_eq!(routes.routes.len(), 1, "{:?}", summary(&routes.routes));
    let route = &routes.routes[0];
    assert_eq!(
        route.role.as_ref().map(RouteRole::name).as_deref(),
        Some("corp-portal-staff")
    );
    assert!(matches!(&route.how, How::Rule { index: 2, claim, .. } if claim == "email"));
    let tried: Vec<StepKind> = route
        .trace
        .iter()
        .filter(|s| matches!(s.kind, StepKind::Matched | StepKind::NotMatched))
        .map(|s| s.kind)
        .collect();
    assert_eq!(
        tried,
        vec![
            StepKind::NotMatched,
            StepKind::NotMatched,
            StepKind::Matched
        ],
        "rule 4 is not tried"
    );
}

// Static enumeration (for the graph): every rule's role, then the default
// role that AmbiguousRoleResolution: AuthenticatedRole falls back on.
#[test]
fn static_rules_list_every_rule_and_the_fallback() {
    let loaded = corpus("rules-on-groups");
    let routes = enumerate(&loaded.inventory, &selector("user"), None).expect("routes");
    let hows: Vec<(String, String)> = routes
        .routes
        .iter()
        .map(|r| {
            (
                r.how.short_label(),
                r.role.as_ref().map_or_else(String::new, RouteRole::name),
            )
        })
        .collect();
    assert_eq!(
        hows,
        vec![
            (
                "rule 1: cognito:groups Contains admin".into(),
                "corp-portal-admin".into()
            ),
            (
                "rule 2: custom:tier Equals premium".into(),
                "corp-portal-premium".into()
            ),
            (
                "rule 3: email Contains example-corp.com".into(),
                "corp-portal-staff".into()
            ),
            (
                "rule 4: email Contains @eu.example-corp.com".into(),
                "corp-portal-staff-eu".into()
            ),
            (
                "fallback: default authenticated role".into(),
                "corp-portal-authenticated".into()
            ),
        ]
    );
    assert!(routes.routes.iter().all(|r| r.trust.admits()));
}

// Developer Guide, "Role-based access control", token mapping: without
// CustomRoleArn the preferred role (best precedence) is used; with it, any
// role of the user's groups.
#[test]
fn token_mappings_offer_every_role_of_the_users_groups() {
    let loaded = corpus("token-groups");
    let scenario = scenario(&[
        ("cognito:groups", "editors"),
        ("cognito:groups", "reviewers"),
    ]);
    let routes = enumerate(&loaded.inventory, &selector("user"), Some(&scenario)).expect("routes");
    let hows: Vec<How> = routes.routes.iter().map(|r| r.how.clone()).collect();
    assert_eq!(
        hows,
        vec![
            How::Token {
                choice: TokenChoice::PreferredRole,
                group: Some("editors".into())
            },
            How::Token {
                choice: TokenChoice::CustomRoleArn,
                group: Some("reviewers".into())
            },
        ]
    );
    // the editor role chains into the export role (corpus fact 7)
    let chained = with_chains(&loaded.inventory, routes.routes);
    let chain = chained
        .iter()
        .find(|r| matches!(r.how, How::AssumeRole { .. }))
        .expect("a chained route");
    assert_eq!(
        chain.role.as_ref().map(RouteRole::name).as_deref(),
        Some("newsroom-report-export")
    );
    assert_eq!(
        chain.chain,
        vec!["arn:aws:iam::333344445555:role/newsroom-editors-group-role".to_string()]
    );
    assert!(chain.session_policies.is_empty());
    assert_eq!(chained.len(), 3, "only the editor role can assume roles");
}

// IAM User Guide, "Policy evaluation logic" (trust policies must allow;
// naming the account root delegates to identity policies): the editor and
// admin roles may assume the export role, nobody else may.
#[test]
fn role_to_role_links_are_decided_by_the_evaluator() {
    let loaded = corpus("token-groups");
    let mut links: Vec<(String, String)> = assumable_roles(&loaded.inventory)
        .iter()
        .map(|l| (l.from.name.clone(), l.to.name.clone()))
        .collect();
    links.sort();
    assert_eq!(
        links,
        vec![
            (
                "newsroom-admins-group-role".into(),
                "newsroom-report-export".into()
            ),
            (
                "newsroom-editors-group-role".into(),
                "newsroom-report-export".into()
            ),
        ]
    );
}

// SEMANTICS-NOTES §3: a trust without `aud` admits identities of pools the
// inputs do not show; roles that pin `aud` refuse them (corpus/classic-flow
// facts 6 and 7, corpus/amplify-storage fact 15).
#[test]
fn foreign_pools_reach_only_roles_whose_trust_lacks_aud() {
    let loaded = corpus("classic-flow");
    let routes = enumerate(&loaded.inventory, &selector("external"), None).expect("routes");
    assert_eq!(
        summary(&routes.routes),
        vec![(
            RouteFlow::Basic,
            "Cognito_ArcadeV1Auth_Role".to_string(),
            "trust without aud".to_string(),
            true
        )]
    );
    assert_eq!(
        routes.routes[0].principal,
        PrincipalClass::External {
            authenticated: true
        }
    );
    let amplify = corpus("amplify-storage");
    let none = enumerate(&amplify.inventory, &selector("external"), None).expect("routes");
    assert!(none.routes.is_empty());
}

// corpus/abac-principal-tags: the partner account is named by the bucket
// policy only; no trust policy admits it.
#[test]
fn other_accounts_are_found_in_resource_policies() {
    let loaded = corpus("abac-principal-tags");
    let accounts: Vec<String> = foreign_accounts(&loaded.inventory)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(accounts, vec!["999988887777".to_string()]);
    let routes =
        enumerate(&loaded.inventory, &selector("account:999988887777"), None).expect("routes");
    assert_eq!(
        summary(&routes.routes),
        vec![(RouteFlow::None, String::new(), "itself".into(), true)]
    );
    assert_eq!(
        home_account(&loaded.inventory).as_deref(),
        Some("666677778888")
    );
}

// Developer Guide, "Using attributes for access control": principal tags
// need sts:TagSession in the trust policy, which the ABAC role allows.
#[test]
fn principal_tags_are_checked_against_tag_session() {
    let loaded = corpus("abac-principal-tags");
    let scenario = scenario(&[("custom:department", "engineering")]);
    let routes = enumerate(&loaded.inventory, &selector("user"), Some(&scenario)).expect("routes");
    let route = &routes.routes[0];
    assert_eq!(
        route.principal_tags,
        vec![("department".to_string(), "engineering".to_string())]
    );
    let TrustCheck::Evaluated { tag_session, .. } = &route.trust else {
        panic!("trust evaluated");
    };
    assert!(
        tag_session
            .as_ref()
            .is_some_and(|e| e.decision.is_allowed())
    );
    assert!(route.has_credentials());
}

#[test]
fn names_the_inputs_do_not_have_are_errors_with_suggestions() {
    let loaded = corpus("amplify-storage");
    let err = enumerate(
        &loaded.inventory,
        &selector("guest@photoshare_identitypool_3f2a9c1b__dve"),
        None,
    )
    .expect_err("no such pool");
    assert_eq!(err.code, "query-unknown-pool");
    assert_eq!(
        err.help.as_deref(),
        Some("did you mean `photoshare_identitypool_3f2a9c1b__dev`?")
    );
    let err = enumerate(
        &loaded.inventory,
        &selector("role:amplify-photoshare-dev-142233-authRol"),
        None,
    )
    .expect_err("no such role");
    assert_eq!(err.code, "query-unknown-role");
    let err = enumerate(
        &loaded.inventory,
        &selector("user@photoshare_identitypool_3f2a9c1b__dev/accounts.google.com"),
        None,
    )
    .expect_err("no such provider");
    assert_eq!(err.code, "query-unknown-provider");
    // a provider named by user pool id is accepted
    let routes = enumerate(
        &loaded.inventory,
        &selector("user@photoshare_identitypool_3f2a9c1b__dev/us-east-1_Ph8tQ2sXa"),
        None,
    )
    .expect("by user pool id");
    assert_eq!(routes.routes.len(), 2, "one per app client");
}

// A role the inputs do not show is unknown, never harmless: its trust is
// taken as admitting and its policies as allowing everything.
#[test]
fn unknown_roles_stand_in_as_allowing_everything() {
    let loaded = corpus("amplify-storage");
    let unknown = RouteRole::Unknown {
        arn: Some("arn:aws:iam::111122223333:role/gone".to_string()),
    };
    let token = WebIdentityToken {
        aud: "us-east-1:x".into(),
        amr: vec!["unauthenticated".into()],
        sub: "us-east-1:y".into(),
    };
    assert!(matches!(
        check_trust(&unknown, &token, &[]),
        TrustCheck::Unknown(_)
    ));
    let policies = RolePolicies::of(&loaded.inventory, &unknown);
    assert_eq!(policies.unknown.len(), 1);
    assert!(policies.may_allow("iam:PassRole"));
}

// Lambda Developer Guide, "Defining Lambda function permissions with an
// execution role": rewriting the lab's PostConfirmation trigger acts as its
// role. With the function listing, the route reaches the known role and
// rests on nothing (the caller may invoke the function); without it, the
// trigger's role is unknown, and the route says it rests on that.
#[test]
fn rewriting_a_trigger_reaches_its_execution_role() {
    let loaded = corpus("cognito-lambda-lab");
    let routes = enumerate(&loaded.inventory, &selector("user"), None).expect("routes");
    let chained = with_chains(&loaded.inventory, routes.routes);
    let rewrite = chained
        .iter()
        .find(|r| {
            matches!(
                r.how,
                How::Escalation {
                    step: EscalationKind::UpdateFunctionCode,
                    ..
                }
            )
        })
        .expect("an UpdateFunctionCode step");
    assert_eq!(
        rewrite.role.as_ref().map(RouteRole::name).as_deref(),
        Some("lab-post-confirmation-role")
    );
    assert!(rewrite.assumptions.is_empty(), "{:?}", rewrite.assumptions);
    assert_eq!(rewrite.hops.len(), 1);
    assert!(rewrite.granted.is_none());

    // The same inputs without `lambda list-functions`.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/cognito-lambda-lab");
    let files: Vec<PathBuf> = ["iam.json", "identity-pool.json", "identity-pool-roles.json"]
        .iter()
        .chain(&["user-pool.json", "user-pool-client.json"])
        .map(|f| dir.join(f))
        .collect();
    let loaded = load_paths(&files);
    let routes = enumerate(&loaded.inventory, &selector("user"), None).expect("routes");
    let chained = with_chains(&loaded.inventory, routes.routes);
    let unknown = chained
        .iter()
        .find(|r| matches!(r.how, How::Escalation { .. }))
        .expect("the trigger is still a target");
    assert!(matches!(
        unknown.role,
        Some(RouteRole::Unknown { arn: None })
    ));
    assert!(
        unknown.assumptions.iter().any(|a| a
            .label
            .contains("execution role of `lab-post-confirmation` unknown")),
        "{:?}",
        unknown.assumptions
    );
}

// IAM User Guide, "Permissions boundaries for IAM entities": a role that
// writes its own permissions gains what its boundary allows, no more; and a
// condition on `iam:PassedToService` decides which service a role may be
// passed to (escalation-steps-safe passes to ECS only, and runs no task).
#[test]
fn permission_changes_keep_the_boundary_and_pass_role_reads_the_service() {
    let loaded = corpus("escalation-steps");
    let links = escalation_links(&loaded.inventory);
    let kinds = |from: &str| -> Vec<(EscalationKind, String)> {
        let mut out: Vec<(EscalationKind, String)> = links
            .iter()
            .filter(|l| l.from.name == from)
            .map(|l| (l.kind, l.to.name()))
            .collect();
        out.sort();
        out
    };
    assert_eq!(
        kinds("ops-analyst"),
        vec![(EscalationKind::AttachRolePolicy, "ops-analyst".to_string())]
    );
    assert_eq!(
        kinds("ops-builder"),
        vec![(EscalationKind::PassRoleToEc2, "ops-ci-runner".to_string())]
    );
    let analyst = links
        .iter()
        .find(|l| l.from.name == "ops-analyst")
        .expect("the analyst's step");
    assert!(analyst.from.permissions_boundary.is_some());

    let safe = corpus("escalation-steps-safe");
    let safe_links = escalation_links(&safe.inventory);
    assert!(
        !safe_links.iter().any(|l| l.from.name == "ops-builder"),
        "PassedToService = ecs-tasks does not pass the role to EC2"
    );
}
