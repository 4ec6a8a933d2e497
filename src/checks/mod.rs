//! The audit checks, one file per check, and the route inventory they share.
//!
//! [`routes`] lists every route to credentials with who can take it (also
//! what `poolscope principals` prints). Each check is a file with its
//! [`CheckInfo`] (id, title, severity, docs page `docs/checks/PS0NN.md`) and
//! a `run` function; [`CATALOGUE`] is the registry that `audit`, the SARIF
//! rules and the tests read. A check reads the inventory and the route
//! inventory and, where a finding is about access, asks the reachability
//! engine ([`crate::reach`]) and reports its witness. Every finding is one
//! diagnostic whose primary label is the construct to change, with related
//! labels, a `help` that says how, and its [`Evidence`].

pub mod derive;
mod ps001_ps002;
mod ps003;
mod ps004;
mod ps005;
mod ps006;
mod ps007;
mod ps008;
mod ps009;
mod ps010;
mod ps011;
mod ps012;
mod ps013;
mod ps014;
mod ps015;
pub mod routes;
mod rules;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::cognito::{Capability, capabilities};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Inventory;
use crate::policy::{Effect, Policy, Statement};
use crate::query::{ContextPin, Leniency, PrincipalSelector, Question, ResourcePattern};
use crate::reach::{Batch, Detail, QueryReport, Verdict, WitnessReport};
use crate::source::Location;

use routes::{Route, inventory_routes};

/// What a check is, for reports and docs.
#[derive(Debug)]
pub struct CheckInfo {
    /// Stable id, `PS0NN`: the diagnostic code, SARIF `ruleId`, JSON `id`.
    pub id: &'static str,
    /// One line: what the check finds.
    pub title: &'static str,
    /// A paragraph: what it finds and why that matters.
    pub description: &'static str,
    /// How to fix, in a sentence or two (the SARIF `help`).
    pub fix: &'static str,
    /// The default severity (`poolscope.toml` may override it).
    pub severity: Severity,
    /// GitHub code scanning's `security-severity`, 0.0–10.0.
    pub security_severity: &'static str,
    pub tags: &'static [&'static str],
}

impl CheckInfo {
    /// The docs page, relative to the repository root.
    pub fn docs_path(&self) -> String {
        format!("docs/checks/{}.md", self.id)
    }
}

/// One registered check.
#[derive(Debug)]
pub struct RegisteredCheck {
    pub info: &'static CheckInfo,
    pub run: fn(&Audit<'_>) -> Vec<Finding>,
}

/// Every check `audit` runs, in id order.
pub const CATALOGUE: &[RegisteredCheck] = &[
    RegisteredCheck {
        info: &ps001_ps002::PS001,
        run: ps001_ps002::run_ps001,
    },
    RegisteredCheck {
        info: &ps001_ps002::PS002,
        run: ps001_ps002::run_ps002,
    },
    RegisteredCheck {
        info: &ps003::INFO,
        run: ps003::run,
    },
    RegisteredCheck {
        info: &ps004::INFO,
        run: ps004::run,
    },
    RegisteredCheck {
        info: &ps005::INFO,
        run: ps005::run,
    },
    RegisteredCheck {
        info: &ps006::INFO,
        run: ps006::run,
    },
    RegisteredCheck {
        info: &ps007::INFO,
        run: ps007::run,
    },
    RegisteredCheck {
        info: &ps008::INFO,
        run: ps008::run,
    },
    RegisteredCheck {
        info: &ps009::INFO,
        run: ps009::run,
    },
    RegisteredCheck {
        info: &ps010::INFO,
        run: ps010::run,
    },
    RegisteredCheck {
        info: &ps011::INFO,
        run: ps011::run,
    },
    RegisteredCheck {
        info: &ps012::INFO,
        run: ps012::run,
    },
    RegisteredCheck {
        info: &ps013::INFO,
        run: ps013::run,
    },
    RegisteredCheck {
        info: &ps014::INFO,
        run: ps014::run,
    },
    RegisteredCheck {
        info: &ps015::INFO,
        run: ps015::run,
    },
];

/// The check with this id.
pub fn check_info(id: &str) -> Option<&'static CheckInfo> {
    CATALOGUE.iter().map(|c| c.info).find(|i| i.id == id)
}

/// How sure a finding is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// The reachability engine found a witness and the concrete evaluator
    /// replayed it (or the evaluator decided the trust policy itself).
    Proven { how: String },
    /// Proven, but on settings the inputs do not show, taken with the
    /// value that never hides access.
    Assumed { assumptions: Vec<String> },
    /// Read from the configuration; no request is involved.
    Configuration,
}

impl Evidence {
    /// One sentence for the human report.
    pub fn sentence(&self) -> String {
        match self {
            Evidence::Proven { how } => format!("proven: {how}"),
            Evidence::Assumed { assumptions } => format!(
                "rests on settings the inputs do not show: {}",
                assumptions.join("; ")
            ),
            Evidence::Configuration => "read from the configuration".to_string(),
        }
    }

    /// Proven, or assumed when the route rests on assumptions.
    pub fn of_route(how: impl Into<String>, assumptions: &[String]) -> Evidence {
        if assumptions.is_empty() {
            Evidence::Proven { how: how.into() }
        } else {
            Evidence::Assumed {
                assumptions: assumptions.to_vec(),
            }
        }
    }
}

/// What a finding rests on: a request the evaluator allowed, or a route to
/// credentials with the claims that take it.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum Witness {
    Request(Box<WitnessReport>),
    Route(RouteWitness),
}

/// A route to a role, as a witness.
#[derive(Clone, Debug, Serialize)]
pub struct RouteWitness {
    pub principal: String,
    pub role: Option<String>,
    pub how: String,
    pub flow: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub claims: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<String>,
}

impl RouteWitness {
    pub fn of(inventory: &Inventory, route: &Route<'_>) -> RouteWitness {
        let steps = match &route.taken_by {
            routes::TakenBy::Outsider { steps } => steps.clone(),
            _ => Vec::new(),
        };
        RouteWitness {
            principal: routes::principal_short(inventory, &route.session.principal),
            role: route.session.role.as_ref().map(|r| r.name()),
            how: route.how_text(),
            flow: route.session.flow.to_string(),
            claims: route.outsider_claims.iter().cloned().collect(),
            steps,
        }
    }
}

/// One finding of one check.
#[derive(Clone, Debug)]
pub struct Finding {
    pub diagnostic: Diagnostic,
    pub witness: Option<Witness>,
    pub evidence: Evidence,
}

impl Finding {
    /// A finding of `info` at `loc` (the construct to change), with the
    /// check's severity.
    pub fn new(
        info: &'static CheckInfo,
        message: impl Into<String>,
        loc: &Location,
        label: impl Into<String>,
        evidence: Evidence,
    ) -> Finding {
        Finding {
            diagnostic: Diagnostic::new(info.id, info.severity, message).at(loc, label),
            witness: None,
            evidence,
        }
    }

    pub fn related(mut self, loc: &Location, label: impl Into<String>) -> Finding {
        let label = label.into();
        let primary = self.diagnostic.primary.as_ref().map(|p| &p.loc);
        let repeated =
            primary == Some(loc) || self.diagnostic.related.iter().any(|r| &r.loc == loc);
        if !repeated {
            self.diagnostic = self.diagnostic.with_related(loc, label);
        }
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Finding {
        self.diagnostic = self.diagnostic.with_help(help);
        self
    }

    pub fn severity(mut self, severity: Severity) -> Finding {
        self.diagnostic.severity = severity;
        self
    }

    pub fn witness(mut self, witness: Witness) -> Finding {
        self.witness = Some(witness);
        self
    }
}

/// What every check reads: the inventory, the route inventory, the
/// outsider model, and the solver budget.
#[derive(Debug)]
pub struct Audit<'a> {
    pub inventory: &'a Inventory,
    pub routes: Vec<Route<'a>>,
    pub outsiders: Vec<Capability>,
    pub timeout_ms: u64,
    /// The questions of every check, sharing the routes each principal
    /// covers: the checks ask hundreds of questions of a handful of them.
    batch: Batch<'a>,
}

impl<'a> Audit<'a> {
    pub fn new(inventory: &'a Inventory, timeout_ms: u64) -> Audit<'a> {
        Audit {
            inventory,
            routes: inventory_routes(inventory),
            outsiders: capabilities(inventory.identity_pools(), inventory.user_pools()),
            timeout_ms,
            batch: Batch::new(inventory),
        }
    }

    /// Asks the reachability engine; `None` when the question is not one it
    /// takes (an action of no catalogue entry, a resource of no type the
    /// action acts on). Unknown actions and keys are asked anyway: the
    /// questions come from the inputs' own policies.
    pub fn ask(&self, ask: &Ask) -> Option<QueryReport> {
        self.ask_preferring(ask, None)
    }

    /// [`Audit::ask`], trying first the routes to role `prefer` (an ARN):
    /// the role whose statement the question comes from.
    pub fn ask_preferring(&self, ask: &Ask, prefer: Option<&str>) -> Option<QueryReport> {
        let mut context = BTreeMap::new();
        for (key, value) in &ask.includes {
            let pin: &mut ContextPin = context.entry(key.to_ascii_lowercase()).or_default();
            pin.includes.push(ResourcePattern::parse(value).ok()?);
        }
        let question = Question {
            principal: ask.principal.clone(),
            action: ask.action.clone(),
            resource: ResourcePattern::parse(&ask.resource).ok()?,
            claims: BTreeMap::new(),
            context,
            expect: None,
            leniency: Leniency {
                unknown_actions: true,
                unknown_keys: true,
            },
        };
        self.batch
            .query_preferring(&question, self.timeout_ms, Detail::Verdict, prefer)
            .ok()
    }

    /// The statement of the inputs at this rendered location (a witness's
    /// deciding statement), to label the construct itself.
    pub fn statement_at(
        &self,
        file: &str,
        line: usize,
        column: usize,
    ) -> Option<(&'a Policy, &'a Statement)> {
        self.inventory
            .every_policy()
            .into_iter()
            .find_map(|policy| {
                policy
                    .statements
                    .iter()
                    .find(|s| s.loc.path() == file && s.loc.line_col() == (line, column))
                    .map(|s| (policy, s))
            })
    }

    /// The first Allow statement that decided a witness, with its policy.
    pub fn granting(&self, witness: &WitnessReport) -> Option<(&'a Policy, &'a Statement)> {
        witness
            .deciding
            .iter()
            .filter(|d| d.effect.eq_ignore_ascii_case("allow"))
            .find_map(|d| self.statement_at(&d.location.file, d.location.line, d.location.column))
            .filter(|(_, s)| s.effect.value == Effect::Allow)
    }
}

/// A reachability question a check asks.
#[derive(Clone, Debug)]
pub struct Ask {
    pub principal: PrincipalSelector,
    pub action: String,
    pub resource: String,
    /// Context keys whose values must include these (`KEY+=VALUE`).
    pub includes: Vec<(String, String)>,
}

/// A possible verdict's witness, and the evidence it gives.
pub fn proven(report: &QueryReport) -> Option<(WitnessReport, Evidence)> {
    if report.verdict != Verdict::Possible {
        return None;
    }
    let witness = report.witness.clone()?;
    let assumptions = report
        .routes
        .get(witness.route.saturating_sub(1))
        .map(|r| r.assumptions.clone())
        .unwrap_or_default();
    let evidence = Evidence::of_route(
        "the reachability engine's witness, replayed by the concrete evaluator",
        &assumptions,
    );
    Some((witness, evidence))
}

/// A statement's label: `statement `Sid` of policy `name``.
pub fn statement_name(policy: &Policy, statement: &Statement) -> String {
    match &statement.sid {
        Some(sid) => format!("statement `{}` of `{}`", sid.value, policy.name),
        None => format!("statement {} of `{}`", statement.index + 1, policy.name),
    }
}

/// The findings of every check, in catalogue order.
pub fn run_all(audit: &Audit<'_>) -> Vec<Finding> {
    run_all_with(audit, 1, &|_| {})
}

/// The findings of every check, in catalogue order, the checks run on up to
/// `threads` threads; `done` hears of each check as it ends (in any order).
///
/// The checks only read the inventory and the route inventory; each solver
/// query makes its own Z3 context on the thread that asks (the z3 crate's
/// contexts are per thread), so checks run side by side. The slow ones
/// (PS001/PS002, PS009, PS010 ask many queries) start first.
pub fn run_all_with(
    audit: &Audit<'_>,
    threads: usize,
    done: &(dyn Fn(&'static CheckInfo) + Sync),
) -> Vec<Finding> {
    let threads = threads.clamp(1, CATALOGUE.len());
    if threads == 1 {
        return CATALOGUE
            .iter()
            .flat_map(|check| {
                let found = (check.run)(audit);
                done(check.info);
                found
            })
            .collect();
    }
    // Longest first, so no thread is left with a slow check at the end.
    let mut order: Vec<usize> = (0..CATALOGUE.len()).collect();
    order.sort_by_key(|&i| !SLOW.contains(&CATALOGUE[i].info.id));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: std::sync::Mutex<Vec<Option<Vec<Finding>>>> =
        std::sync::Mutex::new(vec![None; CATALOGUE.len()]);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let at = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&index) = order.get(at) else {
                        break;
                    };
                    let check = &CATALOGUE[index];
                    let found = (check.run)(audit);
                    done(check.info);
                    // A poisoned lock means another check panicked; that
                    // panic is what the scope reports.
                    if let Ok(mut results) = results.lock() {
                        results[index] = Some(found);
                    }
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .flatten()
        .collect()
}

/// The checks that ask the solver most, started first.
const SLOW: &[&str] = &["PS001", "PS002", "PS009", "PS010", "PS012"];
