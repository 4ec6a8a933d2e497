//! `query` never refutes what `explain` allows, and never claims `always`
//! where `explain` denies an instance (docs/semantics.md §12: an
//! `impossible` is a proof, so no allowed request may exist).
//!
//! For every request of a grid over the corpus: whenever `explain` allows the
//! concrete request, `query` must not answer `impossible` — neither on the
//! exact request nor on patterns that generalise it (the identity ids back
//! to `{self}`/`{other}`, the last path segment to `*`, the region and
//! account to `*`). And whenever `query --expect always` answers `always`
//! for a pattern, `explain` must allow the instance it evaluates.

use std::path::PathBuf;

use poolscope::explain::{Decision, RouteDecision, explain_inventory};
use poolscope::ingest::load_paths;
use poolscope::model::Inventory;
use poolscope::query::Question;
use poolscope::reach::{Batch, Detail, Verdict, query_inventory};

const CASES: [&str; 5] = [
    "amplify-storage",
    "dynamodb-per-user",
    "guest-overreach",
    "classic-flow",
    "rules-on-groups",
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

/// Concrete-ish requests each case's policies talk about: an action and a
/// resource with `{self}`/`{other}` (explain fills them with its ids).
fn requests(case: &str) -> Vec<(&'static str, String, Vec<&'static str>)> {
    let mut out = Vec::new();
    match case {
        "amplify-storage" => {
            let b = "arn:aws:s3:::photosharestorage3f2a9c1b142233-dev";
            for prefix in [
                "private/{self}",
                "private/{other}",
                "protected/{other}",
                "public",
            ] {
                for action in ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] {
                    out.push((action, format!("{b}/{prefix}/photo.jpg"), vec![]));
                }
            }
            out.push(("s3:ListBucket", b.to_string(), vec!["s3:prefix=public/"]));
        }
        "dynamodb-per-user" => {
            for table in ["Notes", "UserProfiles", "Announcements"] {
                for action in ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"] {
                    let arn =
                        format!("arn:aws:dynamodb:eu-west-1:444455556666:table/notekeeper-{table}");
                    out.push((action, arn.clone(), vec![]));
                    out.push((action, arn.clone(), vec!["dynamodb:LeadingKeys={self}"]));
                    // The planted ForAnyValue: one's own key lets another's in.
                    out.push((
                        action,
                        arn,
                        vec![
                            "dynamodb:LeadingKeys={self}",
                            "dynamodb:LeadingKeys={other}",
                        ],
                    ));
                }
            }
        }
        "guest-overreach" => {
            let b = "arn:aws:s3:::fieldnotes-user-content-777788889999";
            for prefix in [
                "uploads/{self}",
                "uploads/{other}",
                "shared-links",
                "private/{other}",
            ] {
                for action in ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] {
                    out.push((action, format!("{b}/{prefix}/note.txt"), vec![]));
                }
            }
        }
        "classic-flow" => {
            out.push((
                "secretsmanager:GetSecretValue",
                "arn:aws:secretsmanager:us-east-1:555566667777:secret:arcade/leaderboard-api-key-Qm7xT2"
                    .to_string(),
                vec![],
            ));
            for action in ["dynamodb:GetItem", "dynamodb:PutItem"] {
                out.push((
                    action,
                    "arn:aws:dynamodb:us-east-1:555566667777:table/ArcadeLeaderboard".to_string(),
                    vec![],
                ));
            }
        }
        _ => {
            for action in ["s3:GetObject", "s3:PutObject"] {
                out.push((
                    action,
                    "arn:aws:s3:::corp-portal-docs/staff/{self}/a.pdf".to_string(),
                    vec![],
                ));
            }
        }
    }
    out
}

const PRINCIPALS: [&str; 5] = [
    "guest",
    "user",
    "anonymous",
    "external",
    "account:999988887777",
];

fn question(
    principal: &str,
    action: &str,
    resource: &str,
    context: &[&str],
    expect: Option<&str>,
) -> Question {
    let mut pins = vec!["aws:SecureTransport=true".to_string()];
    pins.extend(context.iter().map(|c| c.to_string()));
    Question::from_args(principal, action, resource, &[], &pins, expect)
        .expect("well-formed question")
}

/// `arn:p:s:r:a:rest` with the region and account turned into `*` (which
/// also matches the empty ones of S3 ARNs).
fn wild_region_account(resource: &str) -> String {
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    if parts.len() < 6 {
        return resource.to_string();
    }
    format!("{}:{}:{}:*:*:{}", parts[0], parts[1], parts[2], parts[5])
}

/// The last `/`-segment (or the whole resource part) turned into `*`.
fn trailing_star(resource: &str) -> String {
    match resource.rfind('/') {
        Some(slash) => format!("{}*", &resource[..=slash]),
        None => format!("{resource}*"),
    }
}

/// Every request of every case, for every principal: the domain is small
/// enough to check whole, so no sample can miss the one that matters.
type Request = (usize, &'static str, &'static str, String, Vec<&'static str>);

fn every_request(inventories: &[(String, Inventory)]) -> Vec<Request> {
    let mut out = Vec::new();
    for (case, (name, _)) in inventories.iter().enumerate() {
        for principal in PRINCIPALS {
            for (action, resource, context) in requests(name) {
                out.push((case, principal, action, resource, context));
            }
        }
    }
    out
}

#[test]
fn query_never_refutes_what_explain_allows() {
    let inventories = inventories();
    let mut allowed_seen = 0;
    for (case, principal, action, resource, context) in every_request(&inventories) {
        let inventory = &inventories[case].1;
        let explained = explain_inventory(
            inventory,
            &question(principal, action, &resource, &context, None),
            None,
        )
        .expect("explained");
        let Some(allowed) = explained
            .routes
            .iter()
            .find(|r| r.decision == RouteDecision::Allowed)
        else {
            continue;
        };
        allowed_seen += 1;
        assert_eq!(explained.verdict, Decision::Allowed);
        let exact = allowed
            .request
            .as_ref()
            .expect("a request")
            .resource
            .clone();
        // The ids back to placeholders.
        let mut general = exact.clone();
        if let Some(own) = &allowed.identity_id {
            general = general.replace(own.as_str(), "{self}");
        }
        if let Some(other) = &allowed.other_identity_id {
            general = general.replace(other.as_str(), "{other}");
        }
        for pattern in [
            exact.clone(),
            general.clone(),
            trailing_star(&general),
            wild_region_account(&general),
        ] {
            let report = query_inventory(
                inventory,
                &question(principal, action, &pattern, &context, None),
                5_000,
            )
            .expect("the question is understood");
            assert_ne!(
                report.verdict,
                Verdict::Impossible,
                "explain allows {principal} {action} on {exact} (route {}), query says impossible \
                 on {pattern}",
                allowed.number
            );
        }
    }
    // The check is only worth something if explain allows often enough.
    eprintln!("{allowed_seen} allowed requests checked");
    assert!(allowed_seen >= 10, "only {allowed_seen} allowed requests");
}

#[test]
fn always_has_no_instance_explain_denies() {
    let inventories = inventories();
    let mut always_seen = 0;
    for (case, principal, action, resource, context) in every_request(&inventories) {
        let inventory = &inventories[case].1;
        let report = query_inventory(
            inventory,
            &question(principal, action, &resource, &context, Some("always")),
            5_000,
        )
        .expect("the question is understood");
        if report.verdict != Verdict::Always {
            continue;
        }
        always_seen += 1;
        // The instance explain evaluates (placeholders filled with its fixed
        // ids) is one of the requests `always` covers.
        let explained = explain_inventory(
            inventory,
            &question(principal, action, &resource, &context, None),
            None,
        )
        .expect("explained");
        for route in &explained.routes {
            assert!(
                matches!(
                    route.decision,
                    RouteDecision::Allowed | RouteDecision::NoCredentials
                ),
                "query says always for {principal} {action} on {resource}, explain route {} \
                 decides {:?}",
                route.number,
                route.decision
            );
        }
    }
    eprintln!("{always_seen} always verdicts checked");
    assert!(always_seen >= 3, "only {always_seen} always verdicts");
}

/// The audit's short answers ([`Detail::Verdict`] of a [`Batch`]: routes
/// listed once per principal, no unsat cores, stop at the first settled witness) give the
/// verdict that the full answer gives, with a witness on the same route for
/// the same action (the solver may pick other values), replayed as allowed,
/// on every request of the grid and on its generalisations.
#[test]
fn short_answers_agree_with_full_answers() {
    let inventories = inventories();
    // One batch per case, shared by every question: its cache of routes
    // per principal is part of what is checked.
    let batches: Vec<Batch<'_>> = inventories.iter().map(|(_, i)| Batch::new(i)).collect();
    let mut possible_seen = 0;
    for (case, principal, action, resource, context) in every_request(&inventories) {
        let inventory = &inventories[case].1;
        for pattern in [
            resource.clone(),
            trailing_star(&resource),
            wild_region_account(&resource),
        ] {
            let asked = question(principal, action, &pattern, &context, None);
            let full = query_inventory(inventory, &asked, 10_000).expect("answered");
            let short = batches[case]
                .query(&asked, 10_000, Detail::Verdict)
                .expect("answered");
            let what = format!("{}: {principal} {action} {pattern}", inventories[case].0);
            assert_eq!(short.verdict, full.verdict, "{what}");
            let witness = |r: &poolscope::reach::QueryReport| {
                r.witness
                    .as_ref()
                    .map(|w| (w.route, w.action.clone(), w.replayed.clone()))
            };
            assert_eq!(witness(&short), witness(&full), "{what}");
            if full.verdict == Verdict::Possible {
                possible_seen += 1;
                // Nothing was skipped before the witness's route.
                assert!(
                    short.routes.len() >= full.witness.as_ref().map_or(0, |w| w.route),
                    "{what}"
                );
            }
        }
    }
    assert!(
        possible_seen > 20,
        "the grid holds possible answers ({possible_seen})"
    );
}

// S3 Block Public Access: on the public-website cases (no block, the
// bucket's, the account's), `explain` and `query` give the same answer both
// ways for every principal and request of the grid — allowed exactly when
// possible — so `RestrictPublicBuckets` is one rule in both engines.
#[test]
fn block_public_access_verdicts_agree_both_ways() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let bucket = "arn:aws:s3:::brochure-site-888899990000";
    let requests = [
        ("s3:GetObject", format!("{bucket}/index.html")),
        ("s3:PutObject", format!("{bucket}/index.html")),
        (
            "s3:PutObject",
            format!("{bucket}/partner-uploads/price-list.pdf"),
        ),
        ("s3:ListBucket", bucket.to_string()),
    ];
    let principals = [
        "anonymous",
        "account:444455556666",
        "account:111100002222",
        "role:brochure-site-deployer",
    ];
    let mut allowed = [0usize; 3];
    for (n, case) in [
        "public-website",
        "public-website-bucket-block",
        "public-website-account-block",
    ]
    .into_iter()
    .enumerate()
    {
        let loaded = load_paths(&[root.join(case)]);
        assert!(!loaded.input_failed, "{case} loads");
        for principal in principals {
            for (action, resource) in &requests {
                let q = question(principal, action, resource, &[], None);
                let explained = explain_inventory(&loaded.inventory, &q, None).expect("explained");
                let report = query_inventory(&loaded.inventory, &q, 5_000)
                    .expect("the question is understood");
                let explain_allows = explained.verdict == Decision::Allowed;
                allowed[n] += usize::from(explain_allows);
                let expected = if explain_allows {
                    Verdict::Possible
                } else {
                    Verdict::Impossible
                };
                assert_eq!(
                    report.verdict, expected,
                    "{case}: {principal} {action} {resource}: explain says {:?}",
                    explained.verdict
                );
            }
        }
    }
    // Without a block, anonymous and other accounts get in; with one, only
    // the owner's role does (its four requests).
    assert!(allowed[0] > allowed[1], "{allowed:?}");
    assert_eq!(allowed[1], 4, "{allowed:?}");
    assert_eq!(allowed[2], 4, "{allowed:?}");
}
