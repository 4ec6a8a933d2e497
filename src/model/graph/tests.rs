//! The principal graph on the corpus cases (corpus/*/README.md).

use std::path::PathBuf;

use super::*;
use crate::ingest::{LoadResult, load_paths};

fn corpus(case: &str) -> LoadResult {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(case);
    let loaded = load_paths(&[path]);
    assert!(!loaded.input_failed, "{case} loads");
    loaded
}

fn id_of<'g>(graph: &'g PrincipalGraph, label: &str) -> &'g str {
    &graph
        .nodes()
        .find(|n| n.label == label)
        .unwrap_or_else(|| panic!("a node labelled {label}"))
        .id
}

/// (from label, to label, edge label) of every edge of a kind, sorted.
fn edges(graph: &PrincipalGraph, kind: EdgeKind) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = graph
        .edges()
        .filter(|(_, _, e)| e.kind == kind)
        .map(|(a, b, e)| (a.label.clone(), b.label.clone(), e.label.clone()))
        .collect();
    out.sort();
    out
}

// corpus/classic-flow: with AllowClassicFlow on, guests and Facebook users
// reach every role whose trust admits their token (basic flow); identities
// of other pools reach the role whose trust lacks `aud` (SEMANTICS-NOTES §2–3).
#[test]
fn classic_flow_edges_show_every_way_in() {
    let loaded = corpus("classic-flow");
    let graph = PrincipalGraph::build(&loaded.inventory);
    let users = "users via graph.facebook.com";
    let self_administered = "self-administered: cognito-identity:SetIdentityPoolRoles as Cognito_ArcadeLeaderboardAuth_Role";
    assert_eq!(
        edges(&graph, EdgeKind::ObtainsCredentials),
        vec![
            (
                "guests".into(),
                "Cognito_ArcadeLeaderboardUnauth_Role".into(),
                "basic flow: trust admits".into()
            ),
            (
                "guests".into(),
                "Cognito_ArcadeLeaderboardUnauth_Role".into(),
                "default unauthenticated role + scope-down".into()
            ),
            (
                "identities of other pools".into(),
                "Cognito_ArcadeV1Auth_Role".into(),
                "trust without aud (authenticated)".into()
            ),
            (
                users.into(),
                "ArcadeLiveOpsAdminRole".into(),
                "basic flow: trust admits".into()
            ),
            // The one-click policy's `cognito-identity:*`: users set the
            // pool's roles (PS014).
            (
                users.into(),
                "ArcadeLiveOpsAdminRole".into(),
                self_administered.into()
            ),
            (
                users.into(),
                "Cognito_ArcadeLeaderboardAuth_Role".into(),
                "basic flow: trust admits".into()
            ),
            (
                users.into(),
                "Cognito_ArcadeLeaderboardAuth_Role".into(),
                "default authenticated role".into()
            ),
            (
                users.into(),
                "Cognito_ArcadeV1Auth_Role".into(),
                "basic flow: trust admits".into()
            ),
            (
                users.into(),
                "Cognito_ArcadeV1Auth_Role".into(),
                self_administered.into()
            ),
        ]
    );
    let basic: Vec<&Edge> = graph
        .edges()
        .filter(|(_, _, e)| e.flow == Some(RouteFlow::Basic))
        .map(|(_, _, e)| e)
        .collect();
    assert!(
        basic.iter().all(|e| !e.scoped_down),
        "no scope-down in the basic flow"
    );
    // every credential edge keeps where it came from
    assert!(
        graph
            .edges()
            .filter(|(_, _, e)| e.kind == EdgeKind::ObtainsCredentials)
            .all(|(_, _, e)| !e.locations.is_empty())
    );
    // the V1 role is reached from outside the pool too: drawn outside it
    let v1 = graph
        .node(id_of(&graph, "Cognito_ArcadeV1Auth_Role"))
        .expect("node");
    assert_eq!(v1.cluster, None);
    let admin = graph
        .node(id_of(&graph, "ArcadeLiveOpsAdminRole"))
        .expect("node");
    assert_eq!(
        admin.cluster.as_deref(),
        Some("us-east-1:3bb5c709-342a-4e29-b143-af5db2a5146c")
    );
}

// IAM User Guide, "Access levels in policy summaries": the Amplify guest
// role only lists and reads the bucket; the authenticated role also writes.
#[test]
fn access_summaries_carry_the_catalogue_levels() {
    let loaded = corpus("amplify-storage");
    let graph = PrincipalGraph::build(&loaded.inventory);
    let bucket = id_of(&graph, "s3: photosharestorage3f2a9c1b142233-dev");
    let guest_role = id_of(&graph, "amplify-photoshare-dev-142233-unauthRole");
    let auth_role = id_of(&graph, "amplify-photoshare-dev-142233-authRole");
    let levels =
        |from: &str| -> Vec<AccessLevel> { graph.edges_between(from, bucket)[0].levels.clone() };
    assert_eq!(
        levels(guest_role),
        vec![AccessLevel::List, AccessLevel::Read]
    );
    assert_eq!(
        levels(auth_role),
        vec![AccessLevel::List, AccessLevel::Read, AccessLevel::Write]
    );
    let edge = &graph.edges_between(guest_role, bucket)[0];
    assert!(edge.actions.contains(&"s3:GetObject".to_string()));
    assert!(
        edge.locations
            .iter()
            .all(|l| l.path().ends_with("iam.json"))
    );
    // no identity of another pool, no anonymous access: no such nodes
    assert!(graph.node("external").is_none());
    assert!(graph.node("anonymous").is_none());
}

// corpus/token-groups: group roles come from the token mapping; the editor
// and admin roles can assume the export role (decided by the evaluator).
#[test]
fn token_groups_and_role_chains() {
    let loaded = corpus("token-groups");
    let graph = PrincipalGraph::build(&loaded.inventory);
    let mut credential_labels: Vec<String> = edges(&graph, EdgeKind::ObtainsCredentials)
        .into_iter()
        .map(|(_, _, label)| label)
        .collect();
    credential_labels.sort();
    assert_eq!(
        credential_labels,
        vec![
            "fallback: default authenticated role",
            // Admins may add anyone to any group (their role's user
            // administration): every group role, drawn as from the users.
            "self-administered: cognito-idp:AdminAddUserToGroup as newsroom-admins-group-role",
            "self-administered: cognito-idp:AdminAddUserToGroup as newsroom-admins-group-role",
            "self-administered: cognito-idp:AdminAddUserToGroup as newsroom-admins-group-role",
            "token: group admins",
            "token: group contributors",
            "token: group editors",
            "token: group reviewers",
        ]
    );
    assert_eq!(
        edges(&graph, EdgeKind::CanAssume),
        vec![
            (
                "newsroom-admins-group-role".into(),
                "newsroom-report-export".into(),
                "sts:AssumeRole".into()
            ),
            (
                "newsroom-editors-group-role".into(),
                "newsroom-report-export".into(),
                "sts:AssumeRole".into()
            ),
        ]
    );
    // the exports bucket policy only denies: no principal gets an access edge from it
    let exports = id_of(&graph, "s3: newsroom-subscriber-exports-333344445555");
    let into_exports: Vec<&str> = graph
        .edges()
        .filter(|(_, to, _)| to.id == exports)
        .map(|(from, _, _)| from.label.as_str())
        .collect();
    assert_eq!(into_exports, vec!["newsroom-report-export"]);
}

// Resource policies: `Principal: *` is anonymous; another account's root is
// that account (corpus/guest-overreach, corpus/abac-principal-tags).
#[test]
fn bucket_policies_draw_anonymous_and_other_accounts() {
    let loaded = corpus("guest-overreach");
    let graph = PrincipalGraph::build(&loaded.inventory);
    let anonymous = graph.node("anonymous").expect("anonymous node");
    assert_eq!(anonymous.kind, NodeKind::Anonymous);
    let bucket = id_of(&graph, "s3: fieldnotes-user-content-777788889999");
    assert_eq!(
        graph.edges_between("anonymous", bucket)[0].levels,
        vec![AccessLevel::Read]
    );
    let loaded = corpus("abac-principal-tags");
    let graph = PrincipalGraph::build(&loaded.inventory);
    let bucket = id_of(&graph, "s3: acme-docs-666677778888");
    let partner = graph.edges_between("account_999988887777", bucket);
    assert_eq!(partner.len(), 1);
    assert_eq!(partner[0].levels, vec![AccessLevel::Read]);
}

#[test]
fn resources_are_grouped_by_bucket_table_and_service() {
    let cases: [(&str, &[&str], (&str, &str)); 5] = [
        (
            "arn:aws:s3:::photos/private/${cognito-identity.amazonaws.com:sub}/*",
            &["s3:GetObject"],
            ("s3", "photos"),
        ),
        (
            "arn:aws:dynamodb:eu-west-1:1:table/Notes/index/byDate",
            &["dynamodb:Query"],
            ("dynamodb", "table/Notes"),
        ),
        (
            "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:log-stream:*",
            &["logs:PutLogEvents"],
            ("logs", "log-group:/aws/lambda/f"),
        ),
        ("*", &["ses:SendEmail", "ses:SendRawEmail"], ("ses", "*")),
        ("*", &["s3:*", "*"], ("*", "*")),
    ];
    for (resource, actions, (service, name)) in cases {
        assert_eq!(
            resource_groups(resource, actions, false),
            vec![(service.to_string(), name.to_string())],
            "{resource}"
        );
    }
}
