//! `poolscope principals` on the real binary: the route inventory of corpus
//! cases, who can take each route, and the exit code.

mod common;

use common::poolscope;

#[test]
fn rules_on_groups_human() {
    let run = poolscope("principals", &["corpus/rules-on-groups"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The writable attribute of the README: rule 2 is an outsider's.
    assert!(
        run.stdout
            .contains("UpdateUserAttributes `custom:tier=premium`"),
        "{}",
        run.stdout
    );
    insta::assert_snapshot!("rules_on_groups_human", run.stdout);
}

#[test]
fn token_groups_human() {
    let run = poolscope("principals", &["corpus/token-groups"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Invited staff only: no route is open to an outsider.
    assert!(run.stdout.contains("0 open to outsiders"), "{}", run.stdout);
    insta::assert_snapshot!("token_groups_human", run.stdout);
}

#[test]
fn classic_flow_routes_say_how_an_outsider_takes_them() {
    let run = poolscope("principals", &["corpus/classic-flow", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let routes = doc["routes"].as_array().expect("routes");
    let admin = routes
        .iter()
        .find(|r| r["role"] == "ArcadeLiveOpsAdminRole" && r["flow"] == "basic")
        .expect("the unmapped admin role is reachable");
    assert_eq!(admin["flow"], "basic");
    assert_eq!(admin["taken_by"]["kind"], "outsider");
    let external = routes
        .iter()
        .find(|r| r["principal"]["kind"] == "external")
        .expect("a foreign pool reaches the role without `aud`");
    assert_eq!(external["role"], "Cognito_ArcadeV1Auth_Role");
}

#[test]
fn unreadable_inputs_exit_2() {
    let run = poolscope("principals", &["corpus/no-such-case"]);
    assert_eq!(run.code, 2);
}
