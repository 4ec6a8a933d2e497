//! `poolscope explain` over the real binary: every corpus case's README
//! walk-through gives the answer stated there, one request per principal
//! kind, and bad input exits 2 with a diagnostic (docs/cli.md, "Commands",
//! "Output", "Exit codes").

use serde_json::Value;

mod common;

use common::{Run, poolscope};

fn run(args: &[&str]) -> Run {
    poolscope("explain", args)
}

/// The JSON report of a run that must succeed.
fn explain(args: &[&str]) -> Value {
    let mut with_json = args.to_vec();
    with_json.extend(["--format", "json"]);
    let run = run(&with_json);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("valid JSON")
}

fn routes(report: &Value) -> &Vec<Value> {
    report["routes"].as_array().expect("routes")
}

/// The Sid (or label) of each deciding statement of a route.
fn deciding(route: &Value) -> Vec<String> {
    route["deciding"]
        .as_array()
        .expect("deciding")
        .iter()
        .map(|s| {
            s["sid"]
                .as_str()
                .or_else(|| s["label"].as_str())
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

fn route_with_role<'r>(report: &'r Value, role: &str) -> &'r Value {
    routes(report)
        .iter()
        .find(|r| {
            r["role"]
                .as_str()
                .is_some_and(|a| a.ends_with(&format!("/{role}")))
        })
        .unwrap_or_else(|| panic!("a route to {role}"))
}

/// Whether some statement of the route's evaluation, in a policy named
/// `policy`, with this label, applied (`Some(true)`) or not, and why.
fn statement<'r>(route: &'r Value, policy: &str, label: &str) -> &'r Value {
    route["evaluation"]["explanation"]["policies"]
        .as_array()
        .expect("policies")
        .iter()
        .filter(|p| p["name"].as_str().is_some_and(|n| n.ends_with(policy)))
        .flat_map(|p| p["statements"].as_array().expect("statements"))
        .find(|s| s["label"] == label)
        .unwrap_or_else(|| panic!("{label} of {policy}"))
}

const AMPLIFY_BUCKET: &str = "arn:aws:s3:::photosharestorage3f2a9c1b142233-dev";

// corpus/amplify-storage/README.md, "explain, one concrete request".
#[test]
fn amplify_guest_cannot_read_another_identitys_private_photo() {
    let resource = format!(
        "{AMPLIFY_BUCKET}/private/us-east-1:9e8d7c6b-5a49-4382-b716-0f1e2d3c4b5a/photo.jpg"
    );
    let report = explain(&[
        "corpus/amplify-storage",
        "--as",
        "guest",
        "--identity",
        "us-east-1:5b0d7c1e-2f3a-4b6c-8d9e-0a1b2c3d4e5f",
        "--action",
        "s3:GetObject",
        "--resource",
        &resource,
    ]);
    assert_eq!(report["verdict"], "implicitly_denied");
    assert_eq!(routes(&report).len(), 1, "classic flow is off: one route");
    let route = &routes(&report)[0];
    assert_eq!(route["flow"], "enhanced");
    assert_eq!(route["how"]["kind"], "default_role");
    assert!(
        route["role"]
            .as_str()
            .is_some_and(|r| r.ends_with("/amplify-photoshare-dev-142233-unauthRole"))
    );
    assert_eq!(route["trust"]["outcome"], "admitted");
    assert_eq!(route["session_policies"][0], "Cognito guest scope-down");
    assert!(deciding(route).is_empty());
    let public = statement(route, "Public_policy_3f2a9c1b", "statement #0");
    assert_eq!(public["applies"], false);
    assert!(
        public["reason"]
            .as_str()
            .is_some_and(|r| r.contains("public/*"))
    );
    let tls = statement(
        route,
        "photosharestorage3f2a9c1b142233-dev",
        "statement `S3TLSEnforcement`",
    );
    assert_eq!(tls["applies"], false, "TLS deny does not match");
}

// The README's follow-up: the same request on `protected/` is allowed by
// `read_policy_3f2a9c1b` (its first statement), within the scope-down.
#[test]
fn amplify_guest_reads_protected_photos() {
    let resource = format!(
        "{AMPLIFY_BUCKET}/protected/us-east-1:9e8d7c6b-5a49-4382-b716-0f1e2d3c4b5a/photo.jpg"
    );
    let report = explain(&[
        "corpus/amplify-storage",
        "--as",
        "guest",
        "--identity",
        "us-east-1:5b0d7c1e-2f3a-4b6c-8d9e-0a1b2c3d4e5f",
        "--action",
        "s3:GetObject",
        "--resource",
        &resource,
    ]);
    assert_eq!(report["verdict"], "allowed");
    let route = &routes(&report)[0];
    let decided: Vec<(String, String)> = route["deciding"]
        .as_array()
        .expect("deciding")
        .iter()
        .map(|s| {
            (
                s["policy"].as_str().unwrap_or_default().to_string(),
                s["label"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        decided,
        vec![
            (
                "amplify-photoshare-dev-142233-unauthRole/read_policy_3f2a9c1b".to_string(),
                "statement #0".to_string()
            ),
            (
                "Cognito guest scope-down".to_string(),
                "statement `InlineSessionPolicyServices`".to_string()
            ),
        ]
    );
}

const NOTES: &str = "arn:aws:dynamodb:eu-west-1:444455556666:table/notekeeper-Notes";
const PROFILES: &str = "arn:aws:dynamodb:eu-west-1:444455556666:table/notekeeper-UserProfiles";
const SELF_EU: &str = "eu-west-1:1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9";

fn dynamodb_batch(table: &str) -> Value {
    explain(&[
        "corpus/dynamodb-per-user",
        "--as",
        "user",
        "--identity",
        SELF_EU,
        "--action",
        "dynamodb:BatchGetItem",
        "--resource",
        table,
        "--context",
        &format!("dynamodb:LeadingKeys={SELF_EU}"),
        "--context",
        "dynamodb:LeadingKeys=eu-west-1:7a6b5c4d-3e2f-4a1b-9c8d-e7f6a5b4c3d2",
    ])
}

// corpus/dynamodb-per-user/README.md: `ForAnyValue` lets a batch with the
// owner's key and another identity's key through; the help names the fix.
#[test]
fn dynamodb_for_any_value_lets_other_keys_through() {
    let report = dynamodb_batch(NOTES);
    assert_eq!(report["verdict"], "allowed");
    let route = route_with_role(&report, "notekeeper-cognito-authenticated");
    assert_eq!(route["how"]["kind"], "default_role");
    assert!(
        route["session_policies"]
            .as_array()
            .is_some_and(Vec::is_empty)
    );
    assert_eq!(deciding(route), vec!["NotesOwnerAccess"]);
    let help = report["help"].as_array().expect("help");
    assert!(
        help.iter().any(|h| h
            .as_str()
            .is_some_and(|h| h.contains("ForAllValues:StringEquals"))),
        "{help:?}"
    );
}

// ... and the same request on UserProfiles (ForAllValues) is denied: the
// second key fails the condition.
#[test]
fn dynamodb_for_all_values_refuses_other_keys() {
    let report = dynamodb_batch(PROFILES);
    assert_eq!(report["verdict"], "implicitly_denied");
    let route = &routes(&report)[0];
    let profile = statement(
        route,
        "notekeeper-per-user-data",
        "statement `ProfileOwnerAccess`",
    );
    assert_eq!(profile["applies"], false);
    assert!(
        profile["reason"]
            .as_str()
            .is_some_and(|r| r.contains("eu-west-1:7a6b5c4d-3e2f-4a1b-9c8d-e7f6a5b4c3d2")),
        "{profile}"
    );
    assert!(report["help"].as_array().is_some_and(Vec::is_empty));
}

// corpus/rules-on-groups/README.md: rules in order, rule #2 (0-based; the
// README's "rule 3") matches `email` Contains `example-corp.com`, and the
// boundary plus `portal-staff`'s `InternalDocsRead` allow.
#[test]
fn rules_on_groups_email_contains_reaches_staff_docs() {
    let report = explain(&[
        "corpus/rules-on-groups",
        "--as",
        "user",
        "--identity",
        "us-east-1:2c4e6a8b-0d1f-4e3a-a5c7-9b1d3f5e7a9c",
        "--claim",
        "email=mallory@example-corp.com.evil.io",
        "--claim",
        "email_verified=true",
        "--claim",
        "custom:tier=free",
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::corp-portal-content-222233334444/internal/handbook.pdf",
    ]);
    assert_eq!(report["verdict"], "allowed");
    assert_eq!(routes(&report).len(), 1);
    let route = &routes(&report)[0];
    assert_eq!(route["how"]["kind"], "rule");
    assert_eq!(route["how"]["index"], 2);
    assert_eq!(route["how"]["claim"], "email");
    assert!(
        route["role"]
            .as_str()
            .is_some_and(|r| r.ends_with("/corp-portal-staff"))
    );
    let rules: Vec<(String, String)> = route["resolution"]
        .as_array()
        .expect("resolution")
        .iter()
        .filter(|s| s["text"].as_str().is_some_and(|t| t.starts_with("rule ")))
        .map(|s| {
            (
                s["kind"].as_str().unwrap_or_default().to_string(),
                s["text"].as_str().unwrap_or_default()[..6].to_string(),
            )
        })
        .collect();
    assert_eq!(
        rules,
        vec![
            ("not_matched".to_string(), "rule 1".to_string()),
            ("not_matched".to_string(), "rule 2".to_string()),
            ("matched".to_string(), "rule 3".to_string()),
        ],
        "rule 4 is never tried (rules count from 1; `how.index` is the API's 0-based position)"
    );
    assert!(deciding(route).contains(&"InternalDocsRead".to_string()));
    // self sign-up, a writable `email`, an auto-verified address: an
    // outsider can be this user (corpus/rules-on-groups, PS006)
    assert_eq!(route["outsider"], "an outsider can present these claims");
    assert!(
        report["help"]
            .as_array()
            .expect("help")
            .iter()
            .any(|h| h.as_str().is_some_and(|h| h.contains("substring"))),
    );
}

const NEWSROOM: &str = "arn:aws:s3:::newsroom-content-333344445555";
const EDITOR_ID: &str = "eu-west-1:3d5f7b9a-1c2e-4f4b-b6d8-0a2c4e6f8b1d";

// corpus/token-groups/README.md, first request: the contributors role's
// `OwnDrafts` covers only the requester's own drafts.
#[test]
fn token_groups_contributor_cannot_write_anothers_draft() {
    let report = explain(&[
        "corpus/token-groups",
        "--as",
        "user",
        "--identity",
        EDITOR_ID,
        "--claim",
        "cognito:groups=contributors",
        "--action",
        "s3:PutObject",
        "--resource",
        &format!("{NEWSROOM}/drafts/eu-west-1:9b7d5f3a-1e2c-4d4f-a6b8-0c2e4a6f8d1b/lede.md"),
    ]);
    assert_eq!(report["verdict"], "implicitly_denied");
    let route = route_with_role(&report, "newsroom-contributors-group-role");
    assert_eq!(route["how"]["kind"], "token");
    assert_eq!(route["how"]["choice"], "preferred_role");
    assert_eq!(route["how"]["group"], "contributors");
    // admin-only sign-up: group members are invited staff
    assert!(
        route["outsider"]
            .as_str()
            .is_some_and(|o| o.contains("only administrators"))
    );
    let own = statement(route, "", "statement `OwnDrafts`");
    assert_eq!(own["applies"], false);
    // the pattern `…/drafts/${sub}/*` with `sub` = the requester's own id
    assert!(
        own["reason"]
            .as_str()
            .is_some_and(|r| r.contains("drafts/${cognito-identity.amazonaws.com:sub}/*")),
        "{own}"
    );
    let sub = route["request"]["context"]
        .as_array()
        .expect("context")
        .iter()
        .find(|kv| kv[0] == "cognito-identity.amazonaws.com:sub")
        .map(|kv| kv[1][0].clone());
    assert_eq!(sub, Some(Value::from(EDITOR_ID)));
}

// ... second request: without CustomRoleArn the editor role is denied;
// with CustomRoleArn = the reviewers' role, `WriteReviewComments` allows.
#[test]
fn token_groups_custom_role_arn_picks_the_reviewer_role() {
    let report = explain(&[
        "corpus/token-groups",
        "--as",
        "user",
        "--identity",
        EDITOR_ID,
        "--claim",
        "cognito:groups=editors",
        "--claim",
        "cognito:groups=reviewers",
        "--action",
        "s3:PutObject",
        "--resource",
        &format!("{NEWSROOM}/comments/article-1187.json"),
    ]);
    assert_eq!(report["verdict"], "allowed");
    let editor = route_with_role(&report, "newsroom-editors-group-role");
    assert_eq!(editor["how"]["choice"], "preferred_role");
    assert_eq!(editor["decision"], "implicitly_denied");
    let reviewer = route_with_role(&report, "newsroom-reviewers-group-role");
    assert_eq!(reviewer["how"]["choice"], "custom_role_arn");
    assert_eq!(reviewer["how"]["group"], "reviewers");
    assert_eq!(reviewer["decision"], "allowed");
    assert_eq!(deciding(reviewer), vec!["WriteReviewComments"]);
}

// corpus/token-groups fact 7: editors chain into the export role, which
// the exports bucket policy exempts from its deny.
#[test]
fn token_groups_editor_chains_into_the_export_role() {
    let report = explain(&[
        "corpus/token-groups",
        "--as",
        "user",
        "--claim",
        "cognito:groups=editors",
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::newsroom-subscriber-exports-333344445555/exports/2024-05.csv",
    ]);
    assert_eq!(report["verdict"], "allowed");
    let editor = route_with_role(&report, "newsroom-editors-group-role");
    assert_eq!(
        editor["decision"], "explicitly_denied",
        "the bucket policy denies other roles"
    );
    let export = route_with_role(&report, "newsroom-report-export");
    assert_eq!(export["how"]["kind"], "assume_role");
    assert_eq!(
        export["chain"][0],
        "arn:aws:iam::333344445555:role/newsroom-editors-group-role"
    );
    assert_eq!(export["decision"], "allowed");
    assert_eq!(export["trust"]["checks"][0]["action"], "sts:AssumeRole");
}

// corpus/classic-flow/README.md: denied in the enhanced flow by the guest
// scope-down, allowed in the basic flow by `FetchLeaderboardApiKey`.
#[test]
fn classic_flow_guest_reads_the_api_key_through_the_basic_flow() {
    let report = explain(&[
        "corpus/classic-flow",
        "--as",
        "guest",
        "--identity",
        "us-east-1:4e6a8c0b-2d3f-4a5c-87e9-1b3d5f7a9c2e",
        "--action",
        "secretsmanager:GetSecretValue",
        "--resource",
        "arn:aws:secretsmanager:us-east-1:555566667777:secret:arcade/leaderboard-api-key-Qm7xT2",
    ]);
    assert_eq!(report["verdict"], "allowed");
    let routes = routes(&report);
    assert_eq!(
        routes.len(),
        2,
        "other roles' trust refuses `unauthenticated`"
    );
    let enhanced = &routes[0];
    assert_eq!(enhanced["flow"], "enhanced");
    assert_eq!(enhanced["decision"], "implicitly_denied");
    assert!(
        enhanced["evaluation"]["explanation"]["summary"]
            .as_str()
            .is_some_and(|s| s.contains("no session policy")),
        "{}",
        enhanced["evaluation"]["explanation"]["summary"]
    );
    let basic = &routes[1];
    assert_eq!(basic["flow"], "basic");
    assert_eq!(basic["how"]["kind"], "classic_flow");
    assert!(
        basic["session_policies"]
            .as_array()
            .is_some_and(Vec::is_empty)
    );
    assert_eq!(basic["decision"], "allowed");
    assert_eq!(deciding(basic), vec!["FetchLeaderboardApiKey"]);
    assert!(
        report["help"]
            .as_array()
            .expect("help")
            .iter()
            .any(|h| h.as_str().is_some_and(|h| h.contains("AllowClassicFlow")))
    );
}

/// corpus/classic-flow with its `describe-identity-pool` output replaced by
/// one from tests/fixtures/aws_cli/`dir` (`classic-flow-absent`: no
/// `AllowClassicFlow`; `classic-flow-off`: `false`).
const CLASSIC_API_KEY: &str =
    "arn:aws:secretsmanager:us-east-1:555566667777:secret:arcade/leaderboard-api-key-Qm7xT2";

fn classic_flow_with(dir: &str) -> Value {
    let pool = format!("tests/fixtures/aws_cli/{dir}/identity-pool.json");
    explain(&[
        &pool,
        "corpus/classic-flow/iam.json",
        "corpus/classic-flow/identity-pool-roles.json",
        "--as",
        "guest",
        "--action",
        "secretsmanager:GetSecretValue",
        "--resource",
        CLASSIC_API_KEY,
    ])
}

// docs/semantics.md §10: the API reference documents no default for an
// absent `AllowClassicFlow`, and the basic flow has been seen working on such
// pools (aws/aws-cli issue 7652). The basic-flow route is kept and labelled
// as resting on the assumption, in the route and in the verdict's summary.
#[test]
fn an_absent_allow_classic_flow_keeps_the_basic_flow_labelled() {
    let report = classic_flow_with("classic-flow-absent");
    assert_eq!(report["verdict"], "allowed");
    let routes = routes(&report);
    assert_eq!(routes.len(), 2, "{routes:#?}");
    assert!(
        routes[0]["assumptions"]
            .as_array()
            .is_some_and(Vec::is_empty)
    );
    let basic = &routes[1];
    assert_eq!(basic["flow"], "basic");
    assert_eq!(basic["how"]["kind"], "classic_flow");
    assert_eq!(basic["decision"], "allowed");
    assert_eq!(
        basic["assumptions"],
        serde_json::json!(["assumed: AllowClassicFlow absent"])
    );
    assert!(
        basic["how_text"]
            .as_str()
            .is_some_and(|h| h.ends_with("(assumed: AllowClassicFlow absent)")),
        "{}",
        basic["how_text"]
    );
    assert!(
        basic["notes"]
            .as_array()
            .expect("notes")
            .iter()
            .any(|n| n.as_str().is_some_and(|n| {
                n.starts_with("assumed: AllowClassicFlow absent:") && n.contains("7652")
            })),
        "{}",
        basic["notes"]
    );
    assert!(
        report["summary"]
            .as_str()
            .is_some_and(|s| s.contains("rests on assumed: AllowClassicFlow absent")),
        "{}",
        report["summary"]
    );

    // The human report shows it on the route's `how` line.
    let human = run(&[
        "tests/fixtures/aws_cli/classic-flow-absent/identity-pool.json",
        "corpus/classic-flow/iam.json",
        "corpus/classic-flow/identity-pool-roles.json",
        "--as",
        "guest",
        "--action",
        "secretsmanager:GetSecretValue",
        "--resource",
        CLASSIC_API_KEY,
    ]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert!(
        human.stdout.contains(
            "  how: the caller names the role and its trust policy admits the token \
             (assumed: AllowClassicFlow absent)"
        ),
        "{}",
        human.stdout
    );
}

// ... while `"AllowClassicFlow": false` is explicit: no basic-flow route,
// and the scope-down denies (corpus/classic-flow README, enhanced flow).
#[test]
fn allow_classic_flow_false_has_no_basic_flow_route() {
    let report = classic_flow_with("classic-flow-off");
    assert_eq!(report["verdict"], "implicitly_denied");
    let routes = routes(&report);
    assert_eq!(routes.len(), 1, "{routes:#?}");
    assert_eq!(routes[0]["flow"], "enhanced");
    assert!(
        routes[0]["assumptions"]
            .as_array()
            .is_some_and(Vec::is_empty)
    );
}

const ACME: &str = "arn:aws:s3:::acme-docs-666677778888";

fn abac(extra: &[&str]) -> Value {
    let mut args = vec![
        "corpus/abac-principal-tags",
        "--as",
        "user",
        "--identity",
        "us-east-1:6f8b0d2c-4e5a-4b7d-99f1-3c5e7a9b1d4f",
        "--claim",
        "custom:department=engineering",
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::acme-docs-666677778888/engineering/misfiled.pdf",
    ];
    args.extend(extra);
    explain(&args)
}

// corpus/abac-principal-tags/README.md: the session tag comes from
// `custom:department`; the tag deny wins over `OwnDepartmentFiles`.
#[test]
fn abac_tag_deny_wins_over_the_department_grant() {
    let report = abac(&["--context", "s3:ExistingObjectTag/department=finance"]);
    assert_eq!(report["verdict"], "explicitly_denied");
    let route = &routes(&report)[0];
    assert_eq!(
        route["principal_tags"][0],
        serde_json::json!(["department", "engineering"])
    );
    let checks = route["trust"]["checks"].as_array().expect("trust checks");
    assert_eq!(checks[1]["action"], "sts:TagSession");
    assert_eq!(checks[1]["evaluation"]["decision"], "allowed");
    assert_eq!(deciding(route), vec!["DenyOtherDepartmentsTaggedObjects"]);
    let own = statement(route, "department-files", "statement `OwnDepartmentFiles`");
    assert_eq!(own["applies"], true);
    // the untagged object: allowed by the department grant
    let report = abac(&[]);
    assert_eq!(report["verdict"], "allowed");
    assert_eq!(deciding(&routes(&report)[0]), vec!["OwnDepartmentFiles"]);
    let _ = ACME;
}

// corpus/guest-overreach/README.md: `ReadThumbnails` lets a guest read
// another identity's note.
#[test]
fn guest_overreach_read_thumbnails_exposes_notes() {
    let report = explain(&[
        "corpus/guest-overreach",
        "--as",
        "guest",
        "--identity",
        "eu-west-1:8a1c3e5f-7b9d-4f2a-b4c6-d8e0f2a4c6e8",
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::fieldnotes-user-content-777788889999/cognito/fieldnotes/eu-west-1:5d7f9b1c-3e5a-4c7e-9f1b-3d5f7a9c1e3b/note-1.md",
    ]);
    assert_eq!(report["verdict"], "allowed");
    let route = &routes(&report)[0];
    assert_eq!(
        deciding(route),
        vec!["ReadThumbnails", "InlineSessionPolicyServices"]
    );
    let own = statement(route, "", "statement `ReadWriteYourObjects`");
    assert_eq!(own["applies"], false);
}

// ---- one request per principal kind (docs/cli.md, "Principals") ----------

// `role:NAME`: any session of the role; corpus/amplify-storage fact 16.
#[test]
fn a_role_session_is_explained_without_a_trust_check() {
    let role = "role:photoshareS3Trigger9a8b7c6dLambdaRole9a8b7c6d-dev";
    let list = explain(&[
        "corpus/amplify-storage",
        "--as",
        role,
        "--action",
        "s3:ListBucket",
        "--resource",
        AMPLIFY_BUCKET,
    ]);
    assert_eq!(list["verdict"], "implicitly_denied");
    let route = &routes(&list)[0];
    assert_eq!(route["how"]["kind"], "itself");
    assert_eq!(route["flow"], "none");
    assert!(route["trust"].is_null());
    let get = explain(&[
        "corpus/amplify-storage",
        "--as",
        role,
        "--action",
        "s3:GetObject",
        "--resource",
        &format!("{AMPLIFY_BUCKET}/private/{{other}}/photo.jpg"),
    ]);
    assert_eq!(get["verdict"], "allowed");
    let resource = routes(&get)[0]["request"]["resource"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        resource.ends_with("/private/us-east-1:00000000-0000-4000-8000-000000000001/photo.jpg"),
        "{{other}} is the second fixed id: {resource}"
    );
}

// `external`: SEMANTICS-NOTES §3, corpus/classic-flow fact 6 and
// corpus/amplify-storage fact 15.
#[test]
fn identities_of_other_pools_get_in_only_without_aud() {
    let report = explain(&[
        "corpus/classic-flow",
        "--as",
        "external",
        "--action",
        "s3:PutObject",
        "--resource",
        "arn:aws:s3:::arcade-game-assets-555566667777/saves/alice.sav",
    ]);
    assert_eq!(report["verdict"], "allowed");
    let route = &routes(&report)[0];
    assert_eq!(route["how"]["kind"], "foreign_pool");
    assert_eq!(route["principal"]["authenticated"], true);
    assert_eq!(deciding(route), vec!["CloudSaves"]);
    let aud = route["request"]["context"]
        .as_array()
        .expect("context")
        .iter()
        .find(|kv| kv[0] == "cognito-identity.amazonaws.com:aud")
        .map(|kv| kv[1][0].clone());
    assert_eq!(
        aud,
        Some(Value::from(
            "us-east-1:00000000-0000-4000-8000-0000000000ff"
        ))
    );
    let help = report["help"].as_array().expect("help");
    assert!(
        help.iter()
            .any(|h| h.as_str().is_some_and(|h| h.contains("aud")))
    );
    assert!(
        !help
            .iter()
            .any(|h| h.as_str().is_some_and(|h| h.contains("AllowClassicFlow")))
    );

    let none = explain(&[
        "corpus/amplify-storage",
        "--as",
        "external",
        "--action",
        "s3:GetObject",
        "--resource",
        &format!("{AMPLIFY_BUCKET}/public/x"),
    ]);
    assert_eq!(none["verdict"], "implicitly_denied");
    assert!(routes(&none).is_empty());
}

// `anonymous`: only resource policies can allow (corpus/guest-overreach
// fact 8).
#[test]
fn anonymous_requests_need_a_public_resource_policy() {
    let bucket = "arn:aws:s3:::fieldnotes-user-content-777788889999";
    let public = explain(&[
        "corpus/guest-overreach",
        "--as",
        "anonymous",
        "--action",
        "s3:GetObject",
        "--resource",
        &format!("{bucket}/shared-links/eu-west-1:c0ffee00-1111-4222-8333-444455556666/map.png"),
    ]);
    assert_eq!(public["verdict"], "allowed");
    assert_eq!(deciding(&routes(&public)[0]), vec!["PublicShareLinks"]);
    let private = explain(&[
        "corpus/guest-overreach",
        "--as",
        "anonymous",
        "--action",
        "s3:GetObject",
        "--resource",
        &format!("{bucket}/cognito/fieldnotes/x/note.md"),
    ]);
    assert_eq!(private["verdict"], "implicitly_denied");
}

// `account:ID`: cross-account access needs the bucket policy to name the
// account (corpus/abac-principal-tags fact 6).
#[test]
fn another_account_reads_only_what_the_bucket_policy_shares() {
    let shared = explain(&[
        "corpus/abac-principal-tags",
        "--as",
        "account:999988887777",
        "--action",
        "s3:GetObject",
        "--resource",
        &format!("{ACME}/shared/handbook.pdf"),
    ]);
    assert_eq!(shared["verdict"], "allowed");
    assert_eq!(deciding(&routes(&shared)[0]), vec!["PartnerReadsShared"]);
    let finance = explain(&[
        "corpus/abac-principal-tags",
        "--as",
        "account:999988887777",
        "--action",
        "s3:GetObject",
        "--resource",
        &format!("{ACME}/finance/q3-forecast.xlsx"),
    ]);
    assert_eq!(finance["verdict"], "implicitly_denied");
}

// A guest of a pool that allows no guests gets no credentials: the route is
// shown with the reason, and the verdict is an implicit deny.
#[test]
fn no_credentials_is_an_implicit_deny_with_the_reason() {
    let report = explain(&[
        "corpus/rules-on-groups",
        "--as",
        "guest",
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::corp-portal-content-222233334444/public/index.html",
    ]);
    assert_eq!(report["verdict"], "implicitly_denied");
    let route = &routes(&report)[0];
    assert_eq!(route["decision"], "no_credentials");
    assert!(
        route["blocked"]
            .as_str()
            .is_some_and(|b| b.contains("does not allow unauthenticated identities"))
    );
}

// `anyone`: every principal class at once; here each is explicitly denied by
// the exports bucket policy, or gets no credentials.
#[test]
fn anyone_unions_every_principal_class() {
    let report = explain(&[
        "corpus/token-groups",
        "--as",
        "anyone",
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::newsroom-subscriber-exports-333344445555/exports/2024-05.csv",
    ]);
    assert_eq!(report["verdict"], "explicitly_denied");
    let kinds: Vec<&str> = routes(&report)
        .iter()
        .filter_map(|r| r["principal"]["kind"].as_str())
        .collect();
    assert_eq!(kinds, vec!["guest", "user", "anonymous"]);
    assert!(
        routes(&report)
            .iter()
            .filter(|r| r["decision"] != "no_credentials")
            .all(|r| deciding(r) == vec!["OnlyTheExportRole"])
    );
}

// ---- human output ---------------------------------------------------------

#[test]
fn human_output_walks_through_the_request() {
    let run = run(&[
        "corpus/amplify-storage",
        "--as",
        "guest",
        "--identity",
        "us-east-1:5b0d7c1e-2f3a-4b6c-8d9e-0a1b2c3d4e5f",
        "--action",
        "s3:GetObject",
        "--resource",
        &format!(
            "{AMPLIFY_BUCKET}/protected/us-east-1:9e8d7c6b-5a49-4382-b716-0f1e2d3c4b5a/photo.jpg"
        ),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("amplify_guest_protected_human", run.stdout);
}

// ---- bad input: exit 2 with a diagnostic ----------------------------------

#[test]
fn bad_input_exits_two_with_a_diagnostic() {
    let cases: [(&[&str], &str); 6] = [
        (
            &[
                "corpus/no-such-case",
                "--as",
                "guest",
                "--action",
                "s3:GetObject",
                "--resource",
                "x",
            ],
            "input-not-found",
        ),
        (
            &[
                "tests/fixtures/aws_cli/malformed/truncated.json",
                "--as",
                "guest",
                "--action",
                "s3:GetObject",
                "--resource",
                "x",
            ],
            "json-syntax",
        ),
        (
            &[
                "corpus/amplify-storage",
                "--as",
                "guests",
                "--action",
                "s3:GetObject",
                "--resource",
                "x",
            ],
            "query-bad-principal",
        ),
        (
            &[
                "corpus/amplify-storage",
                "--as",
                "guest",
                "--action",
                "GetObject",
                "--resource",
                "x",
            ],
            "query-bad-action",
        ),
        (
            &[
                "corpus/amplify-storage",
                "--as",
                "guest",
                "--identity",
                "not-an-id",
                "--action",
                "s3:GetObject",
                "--resource",
                "x",
            ],
            "query-bad-identity",
        ),
        (
            &[
                "corpus/amplify-storage",
                "--as",
                "role:amplify-photoshare-dev-142233-authRol",
                "--action",
                "s3:GetObject",
                "--resource",
                "x",
            ],
            "did you mean `amplify-photoshare-dev-142233-authRole`?",
        ),
    ];
    for (args, expected) in cases {
        let run = run(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stdout);
        assert!(run.stdout.is_empty(), "no report on stdout: {}", run.stdout);
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
    }
    // a missing required flag is a usage error
    let run = run(&[
        "corpus/amplify-storage",
        "--action",
        "s3:GetObject",
        "--resource",
        "x",
    ]);
    assert_eq!(run.code, 2);
}
