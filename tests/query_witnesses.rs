//! For random questions over the corpus, every witness `query` shows is a
//! request the concrete evaluator allows (or, for `always`, denies), and it
//! matches the question: the action is one the pattern names and the
//! resource fits the pattern with the witness's own identity ids.

use std::path::PathBuf;

use poolscope::ingest::load_paths;
use poolscope::model::Inventory;
use poolscope::policy::pattern::{action_matches, string_like};
use poolscope::query::Question;
use poolscope::reach::{RouteVerdict, Verdict, query_inventory};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

const CASES: [&str; 4] = [
    "amplify-storage",
    "dynamodb-per-user",
    "guest-overreach",
    "classic-flow",
];

fn inventories() -> Vec<(String, Inventory)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    CASES
        .iter()
        .map(|case| {
            let loaded = load_paths(&[root.join(case)]);
            assert!(!loaded.input_failed, "{case} loads");
            (case.to_string(), loaded.inventory)
        })
        .collect()
}

/// Resources each case's policies talk about, with placeholders.
fn resources(case: &str) -> Vec<String> {
    match case {
        "amplify-storage" => ["private", "protected", "public", "uploads"]
            .iter()
            .flat_map(|p| {
                let b = "arn:aws:s3:::photosharestorage3f2a9c1b142233-dev";
                [
                    format!("{b}/{p}/{{self}}/*"),
                    format!("{b}/{p}/{{other}}/x.jpg"),
                    format!("{b}/{p}/*"),
                ]
            })
            .collect(),
        "dynamodb-per-user" => ["Notes", "UserProfiles", "Announcements", "DeviceSettings"]
            .iter()
            .map(|t| format!("arn:aws:dynamodb:*:*:table/{t}"))
            .collect(),
        _ => vec![
            "*".to_string(),
            "arn:aws:s3:::*/{other}/*".to_string(),
            "arn:aws:secretsmanager:*:*:secret:*".to_string(),
        ],
    }
}

const PRINCIPALS: [&str; 5] = ["guest", "user", "external", "anonymous", "anyone"];
const ACTIONS: [&str; 8] = [
    "s3:GetObject",
    "s3:PutObject",
    "s3:Delete*",
    "s3:ListBucket",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "secretsmanager:GetSecretValue",
    "ses:SendEmail",
];

/// `*` and `?` in the pattern are wildcards; placeholders are the ids.
fn pattern_text(resource: &str, own: Option<&str>, other: Option<&str>) -> String {
    resource
        .replace("{self}", own.unwrap_or("*"))
        .replace("{other}", other.unwrap_or("*"))
}

proptest! {
    // Failures are saved beside this file and replayed first on the next run.
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/query_witnesses.proptest-regressions",
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn witnesses_replay_and_fit_the_question(
        case in 0usize..CASES.len(),
        principal in 0usize..PRINCIPALS.len(),
        action in 0usize..ACTIONS.len(),
        resource in 0usize..12,
        always in proptest::bool::ANY,
    ) {
        thread_local! {
            static INVENTORIES: Vec<(String, Inventory)> = inventories();
        }
        INVENTORIES.with(|inventories| {
            let (name, inventory) = &inventories[case];
            let options = resources(name);
            let resource = &options[resource % options.len()];
            let expect = if always { Some("always") } else { None };
            let question = Question::from_args(
                PRINCIPALS[principal], ACTIONS[action], resource, &[], &[], expect,
            )
            .expect("well-formed question");
            let report = match query_inventory(inventory, &question, 2_000) {
                Ok(report) => report,
                Err(errors) => {
                    // Only a resource no request of the action can carry
                    // (a table action on an S3 pattern) is refused here.
                    prop_assert!(
                        errors.iter().all(|e| e.code == "query-resource-type"),
                        "{errors:?}"
                    );
                    return Ok(());
                }
            };
            // `unknown` is allowed (a solver timeout on a hard pattern, a
            // bucket the pattern does not name), but never without a reason.
            for route in &report.routes {
                if route.verdict == RouteVerdict::Unknown {
                    prop_assert!(route.reason.as_deref().is_some_and(|r| !r.is_empty()));
                }
            }
            if let Some(witness) = &report.witness {
                let allowed = witness.replayed == "allowed";
                // A possible verdict's witness is allowed; a failed `always`
                // shows a denied counterexample.
                if report.verdict == Verdict::Possible && !always {
                    prop_assert!(allowed, "{witness:?}");
                }
                prop_assert!(action_matches(ACTIONS[action], &witness.action));
                let pattern = pattern_text(
                    resource,
                    witness.identity_id.as_deref(),
                    witness.other_identity_id.as_deref(),
                );
                prop_assert!(
                    string_like(&pattern, &witness.resource),
                    "{} does not fit {}", witness.resource, pattern
                );
                if let (Some(own), Some(other)) =
                    (&witness.identity_id, &witness.other_identity_id)
                {
                    prop_assert_ne!(own, other);
                }
            } else {
                prop_assert!(
                    report.verdict != Verdict::Possible,
                    "a possible verdict without a witness"
                );
            }
            Ok(())
        })?;
    }
}
