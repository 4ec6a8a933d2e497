//! The engine behind `poolscope explain`: one concrete request, evaluated
//! the way AWS would.
//!
//! Checks the question (the same fail-closed checks as `query`:
//! [`crate::reach::understood`]), lists every route by which the
//! principal gets credentials ([`crate::model::sessions`], concrete mode:
//! the identity id of `--identity` or a fixed one, the claims of
//! `--claim`), then for each route evaluates the request — the role's
//! identity policies, its permissions boundary, the session policies, and
//! the resource's policy when the inputs have one (an S3 bucket policy, a
//! role's trust policy for `sts:AssumeRole`) — with the evaluator's
//! statement-by-statement explanation. `{self}` and `{other}` in the
//! resource and in context values become the identity id and a second fixed
//! id of the same region.
//!
//! The verdict over all routes (an [`eval::Decision`](crate::eval::Decision),
//! the same three outcomes AWS's evaluation has): `allowed` when some route's
//! request is allowed; `explicitly_denied` when no route allows, at least
//! one route obtains credentials, and every route that does is explicitly
//! denied; otherwise `implicitly_denied` (also when no route obtains
//! credentials at all). Hands on an [`ExplainReport`] (plain, serializable
//! data) for `report::explain` to render.

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};

use crate::diagnostic::{Diagnostic, Label, RenderedLocation, both};
pub use crate::eval::Decision;
use crate::eval::Evaluation;
use crate::model::Inventory;
use crate::model::assumptions::resting_on;
use crate::model::sessions::{self, How, PrincipalClass, RouteFlow, Scenario};
use crate::model::unreadable;
use crate::policy::pattern::has_wildcards;
use crate::query::{PrincipalSelector, Question};
use crate::reach::understand;
use crate::source::Location;

mod route;

use route::Explainer;

/// What happened on one route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteDecision {
    Allowed,
    ExplicitlyDenied,
    ImplicitlyDenied,
    /// The route yields no credentials (resolution denied, trust refused).
    NoCredentials,
}

impl RouteDecision {
    pub fn as_str(self) -> &'static str {
        match self {
            RouteDecision::Allowed => "allowed",
            RouteDecision::ExplicitlyDenied => "explicitly_denied",
            RouteDecision::ImplicitlyDenied => "implicitly_denied",
            RouteDecision::NoCredentials => "no_credentials",
        }
    }
}

/// The whole explanation.
#[derive(Clone, Debug, Serialize)]
pub struct ExplainReport {
    pub verdict: Decision,
    /// One sentence: which routes allow or deny.
    pub summary: String,
    pub principal: String,
    pub action: String,
    /// The resource as asked, placeholders included.
    pub resource: String,
    pub routes: Vec<RouteReport>,
    /// Suggested fixes, when a route is allowed through a known pitfall.
    pub help: Vec<String>,
    /// Caveats that hold for the whole run.
    pub notes: Vec<String>,
    /// What the snapshot could not read that could change the decision
    /// (docs/semantics.md §12): the decision shown is then the one on what
    /// was read, and the answer is unknown.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unreadable: Vec<String>,
    /// Warnings about the question (the fail-closed opt-outs), printed as
    /// diagnostics rather than in the report.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

impl ExplainReport {
    /// The routes that decided the verdict: the allowed ones, or the
    /// explicitly denied ones.
    pub fn deciding_routes(&self) -> impl Iterator<Item = &RouteReport> {
        let wanted = match self.verdict {
            Decision::Allowed => Some(RouteDecision::Allowed),
            Decision::ExplicitlyDenied => Some(RouteDecision::ExplicitlyDenied),
            Decision::ImplicitlyDenied => None,
        };
        self.routes
            .iter()
            .filter(move |r| wanted == Some(r.decision))
    }
}

/// One route: how the principal got (or did not get) credentials, and what
/// the request came to.
#[derive(Clone, Debug, Serialize)]
pub struct RouteReport {
    /// 1-based, in the order shown.
    pub number: usize,
    pub principal: PrincipalClass,
    /// The principal in words, with pool names.
    pub principal_text: String,
    pub flow: RouteFlow,
    /// The role's ARN, when the route has a role.
    pub role: Option<String>,
    /// Whether the role is in the inputs.
    pub role_known: bool,
    pub how: How,
    /// `how` in words, with the assumptions the route rests on.
    pub how_text: String,
    /// Settings the inputs do not show that the route rests on, as labels
    /// (`assumed: AllowClassicFlow absent`); the notes say why.
    pub assumptions: Vec<String>,
    /// Roles assumed before this one.
    pub chain: Vec<String>,
    /// How the route left each role of `chain`: `sts:AssumeRole into …`,
    /// or an escalation step (`lambda:UpdateFunctionCode on …`).
    pub steps: Vec<String>,
    /// The requesting identity's id and the id `{other}` stands for.
    pub identity_id: Option<String>,
    pub other_identity_id: Option<String>,
    /// The token claims role resolution saw.
    pub claims: BTreeMap<String, Vec<String>>,
    /// Role resolution, step by step.
    pub resolution: Vec<StepReport>,
    pub trust: Option<TrustReport>,
    pub session_policies: Vec<String>,
    pub principal_tags: Vec<(String, String)>,
    /// Why the route yields no credentials.
    pub blocked: Option<String>,
    pub request: Option<RequestReport>,
    pub decision: RouteDecision,
    pub evaluation: Option<Evaluation>,
    /// The statements that decided (allows or explicit denies).
    pub deciding: Vec<DecidingStatement>,
    /// Policies not in the inputs, taken as allowing everything.
    pub unknown_policies: Vec<String>,
    /// Whether an outsider can present the route's claims (user routes).
    pub outsider: Option<String>,
    pub notes: Vec<String>,
    /// Every configuration element of the route.
    #[serde(serialize_with = "serialize_locations")]
    pub locations: Vec<Location>,
}

#[derive(Clone, Debug, Serialize)]
pub struct StepReport {
    /// `note`, `matched`, `not_matched`, `uncertain`, `chosen`, `denied`.
    pub kind: &'static str,
    pub text: String,
    #[serde(serialize_with = "serialize_location_opt")]
    pub location: Option<Location>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TrustReport {
    /// `admitted`, `refused`, or `unknown` (taken as admitting).
    pub outcome: &'static str,
    pub text: Option<String>,
    /// The evaluations made: the assume action, and `sts:TagSession` when
    /// the session carries principal tags.
    pub checks: Vec<TrustEvaluation>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TrustEvaluation {
    pub action: &'static str,
    pub evaluation: Evaluation,
}

/// The request evaluated on a route.
#[derive(Clone, Debug, Serialize)]
pub struct RequestReport {
    /// The caller in words (the session ARN, …).
    pub caller: String,
    pub action: String,
    /// The resource with placeholders filled in.
    pub resource: String,
    /// Every context key the policies see, derived ones included.
    pub context: Vec<(String, Vec<String>)>,
    /// Context keys poolscope set without being asked.
    pub assumed: Vec<String>,
    /// The policies considered, by name.
    pub policies: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DecidingStatement {
    pub policy: String,
    /// The policy's part: `identity`, `resource`, `session`, …
    pub role: String,
    pub sid: Option<String>,
    pub label: String,
    pub effect: &'static str,
    #[serde(serialize_with = "serialize_location")]
    pub location: Location,
}

fn serialize_location<S: Serializer>(loc: &Location, s: S) -> Result<S::Ok, S::Error> {
    RenderedLocation::new(&Label::bare(loc.clone())).serialize(s)
}

fn serialize_location_opt<S: Serializer>(loc: &Option<Location>, s: S) -> Result<S::Ok, S::Error> {
    loc.as_ref()
        .map(|l| RenderedLocation::new(&Label::bare(l.clone())))
        .serialize(s)
}

fn serialize_locations<S: Serializer>(locs: &[Location], s: S) -> Result<S::Ok, S::Error> {
    locs.iter()
        .map(|l| RenderedLocation::new(&Label::bare(l.clone())))
        .collect::<Vec<_>>()
        .serialize(s)
}

/// An identity id: `REGION:GUID` (Cognito Identity API, GetId: pattern
/// `[\w-]+:[0-9a-f-]+`, 1–55 characters).
pub fn is_identity_id(text: &str) -> bool {
    let Some((region, guid)) = text.split_once(':') else {
        return false;
    };
    (1..=55).contains(&text.len())
        && !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !guid.is_empty()
        && guid
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c) || c == '-')
}

/// Explains `question` against an inventory. `Err` when the question is
/// not understood (fail closed, the same checks as `query`:
/// [`crate::query::understood`]; and one concrete action) or names a pool,
/// provider or role the inputs do not have.
pub fn explain_inventory(
    inventory: &Inventory,
    question: &Question,
    identity: Option<&str>,
) -> Result<ExplainReport, Vec<Diagnostic>> {
    if has_wildcards(&question.action) {
        return Err(vec![
            Diagnostic::error(
                "explain-action-pattern",
                format!(
                    "`{}` is an action pattern; explain evaluates one concrete request",
                    question.action
                ),
            )
            .with_help("name one action, e.g. `s3:GetObject`, or ask `poolscope query`"),
        ]);
    }
    let understood = understand(question, inventory, question.leniency);
    let scenario = Scenario {
        identity_id: identity.map(str::to_string),
        claims: question.claims.clone(),
    };
    let found = sessions::enumerate(inventory, &question.principal, Some(&scenario));
    // Every problem of the question at once.
    let (understood, found) = both(understood, found)?;
    let routes = sessions::with_self_admin(inventory, found.routes);
    let mut notes = found.notes;
    if routes.is_empty() {
        notes.push(no_routes_note(inventory, &question.principal));
    }
    if question.resource.to_string().contains(['*', '?']) {
        notes.push(
            "explain evaluates one concrete request: `*` and `?` in the resource are literal \
             characters here (use `poolscope query` for patterns)"
                .to_string(),
        );
    }
    let mut explainer = Explainer {
        inventory,
        question,
        scenario: &scenario,
        help: Vec::new(),
        capabilities: crate::cognito::capabilities(
            inventory.identity_pools(),
            inventory.user_pools(),
        ),
        home_account: sessions::home_account(inventory),
    };
    let reports: Vec<RouteReport> = routes
        .iter()
        .enumerate()
        .map(|(i, route)| explainer.route(i + 1, route))
        .collect();
    let verdict = verdict(&reports);
    explainer.overall_help(&reports);
    let unreadable = unreadable::described(inventory.unreadable(), question);
    let summary = match unreadable.len() {
        0 => summarize(verdict, &reports),
        n => format!(
            "unknown: the snapshot could not read {} this request depends on; on what was \
             read: {}",
            unreadable::parts(n),
            summarize(verdict, &reports)
        ),
    };
    Ok(ExplainReport {
        verdict,
        summary,
        principal: question.principal.to_string(),
        action: question.action.clone(),
        resource: question.resource.to_string(),
        routes: reports,
        help: explainer.help,
        notes,
        unreadable,
        warnings: understood.warnings,
    })
}

fn no_routes_note(inventory: &Inventory, selector: &PrincipalSelector) -> String {
    match selector {
        PrincipalSelector::Guest { .. }
        | PrincipalSelector::User { .. }
        | PrincipalSelector::Anyone
            if inventory.identity_pools().is_empty() =>
        {
            "the inputs have no identity pool, so no identity gets credentials".to_string()
        }
        PrincipalSelector::External => {
            "every trust policy refuses tokens of identity pools the inputs do not show".to_string()
        }
        _ => format!("no route gives `{selector}` credentials"),
    }
}

/// The verdict over the routes (see the module documentation).
pub fn verdict(routes: &[RouteReport]) -> Decision {
    verdict_of(routes.iter().map(|r| r.decision))
}

/// The verdict over route decisions: routes without credentials make no
/// request and do not count.
pub fn verdict_of(decisions: impl IntoIterator<Item = RouteDecision>) -> Decision {
    let made: Vec<RouteDecision> = decisions
        .into_iter()
        .filter(|d| *d != RouteDecision::NoCredentials)
        .collect();
    if made.contains(&RouteDecision::Allowed) {
        Decision::Allowed
    } else if !made.is_empty() && made.iter().all(|d| *d == RouteDecision::ExplicitlyDenied) {
        Decision::ExplicitlyDenied
    } else {
        Decision::ImplicitlyDenied
    }
}

fn summarize(verdict: Decision, routes: &[RouteReport]) -> String {
    let numbers = |decision: RouteDecision| -> Vec<String> {
        routes
            .iter()
            .filter(|r| r.decision == decision)
            .map(|r| r.number.to_string())
            .collect()
    };
    let total = routes.len();
    let of = format!("{total} route{}", if total == 1 { "" } else { "s" });
    match verdict {
        Decision::Allowed => format!(
            "allowed on route {} of {of}{}",
            numbers(RouteDecision::Allowed).join(", "),
            resting_on(
                routes
                    .iter()
                    .filter(|r| r.decision == RouteDecision::Allowed)
                    .map(|r| r.assumptions.as_slice())
            )
        ),
        Decision::ExplicitlyDenied => {
            format!("explicitly denied on every route with credentials ({of})")
        }
        Decision::ImplicitlyDenied
            if routes
                .iter()
                .all(|r| r.decision == RouteDecision::NoCredentials) =>
        {
            format!("no route yields credentials ({of})")
        }
        Decision::ImplicitlyDenied => format!("no route allows the request ({of})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RouteDecision::*;

    // The verdict rule of this module's documentation: allowed if any route
    // allows; explicitly denied only if every route that obtains
    // credentials is explicitly denied; routes without credentials make no
    // request.
    #[test]
    fn the_verdict_combines_routes() {
        let cases: [(&[RouteDecision], Decision); 7] = [
            (&[], Decision::ImplicitlyDenied),
            (&[NoCredentials], Decision::ImplicitlyDenied),
            (&[ImplicitlyDenied, Allowed], Decision::Allowed),
            (&[ExplicitlyDenied, Allowed], Decision::Allowed),
            (
                &[ExplicitlyDenied, NoCredentials],
                Decision::ExplicitlyDenied,
            ),
            (
                &[ExplicitlyDenied, ExplicitlyDenied],
                Decision::ExplicitlyDenied,
            ),
            (
                &[ExplicitlyDenied, ImplicitlyDenied],
                Decision::ImplicitlyDenied,
            ),
        ];
        for (decisions, expected) in cases {
            assert_eq!(
                verdict_of(decisions.iter().copied()),
                expected,
                "{decisions:?}"
            );
        }
    }

    fn inventory(files: &[(&str, &str)]) -> crate::model::Inventory {
        let inputs: Vec<crate::ingest::InputFile> = files
            .iter()
            .map(|(path, text)| crate::ingest::InputFile {
                source: crate::source::SourceFile::new(*path, *text),
                named: true,
            })
            .collect();
        let loaded = crate::ingest::load_files(&inputs);
        assert!(!loaded.input_failed);
        loaded.inventory
    }

    fn guest_reads(inventory: &Inventory) -> ExplainReport {
        let question = Question::from_args(
            "guest",
            "s3:GetObject",
            "arn:aws:s3:::photos/private/{other}/a.jpg",
            &[],
            &[],
            None,
        )
        .expect("valid question");
        explain_inventory(inventory, &question, None).expect("explained")
    }

    const POOL: &str = r#"{"IdentityPoolId": "us-east-1:4f3b1c2d-1111-4222-8333-444455556666",
        "IdentityPoolName": "photos", "AllowUnauthenticatedIdentities": true,
        "AllowClassicFlow": false}"#;

    // Inventory module docs: what the inputs do not show is unknown, never
    // harmless. A pool whose roles are missing hands out an unknown role,
    // whose policies stand in as allowing everything.
    #[test]
    fn a_pool_without_its_roles_is_never_read_as_no_access() {
        let inventory = inventory(&[("identity-pool.json", POOL)]);
        let report = guest_reads(&inventory);
        assert_eq!(report.verdict, Decision::Allowed);
        let route = &report.routes[0];
        assert!(!route.role_known);
        assert_eq!(route.trust.as_ref().map(|t| t.outcome), Some("unknown"));
        assert_eq!(route.unknown_policies.len(), 1);
    }

    // ... and a default role the inputs do not show is unknown too.
    #[test]
    fn a_dangling_role_reference_is_never_read_as_no_access() {
        let roles = r#"{"IdentityPoolId": "us-east-1:4f3b1c2d-1111-4222-8333-444455556666",
            "Roles": {"unauthenticated": "arn:aws:iam::111122223333:role/gone"}}"#;
        let inventory = inventory(&[("identity-pool.json", POOL), ("roles.json", roles)]);
        let report = guest_reads(&inventory);
        assert_eq!(report.verdict, Decision::Allowed);
        let route = &report.routes[0];
        assert_eq!(
            route.role.as_deref(),
            Some("arn:aws:iam::111122223333:role/gone")
        );
        assert!(!route.role_known);
        assert!(route.unknown_policies[0].contains("not in the inputs"));
        assert_eq!(
            route.request.as_ref().map(|r| r.resource.as_str()),
            Some(
                "arn:aws:s3:::photos/private/us-east-1:00000000-0000-4000-8000-000000000001/a.jpg"
            ),
            "{{other}} is the second fixed id in the pool's region"
        );
    }

    // Cognito Identity API, GetId: identity ids match `[\w-]+:[0-9a-f-]+`,
    // 1 to 55 characters.
    #[test]
    fn identity_ids_follow_the_api_pattern() {
        for good in [
            "us-east-1:0f6e4d3c-2b1a-4c5d-8e7f-9a0b1c2d3e4f",
            "eu-west-1:00000000-0000-4000-8000-000000000000",
        ] {
            assert!(is_identity_id(good), "{good}");
        }
        for bad in [
            "nope",
            "us-east-1:",
            ":abc",
            "us-east-1:0F6E4D3C",
            "us east 1:abc",
            "us-east-1:0f6e4d3c-2b1a-4c5d-8e7f-9a0b1c2d3e4f-0000000000000000",
        ] {
            assert!(!is_identity_id(bad), "{bad}");
        }
    }
}
