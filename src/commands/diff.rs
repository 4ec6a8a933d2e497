//! `poolscope diff`: reads two versions of the inputs, finds the access
//! head grants that base does not ([`crate::gate::diff`]) and turns it into
//! findings and one exit status (docs/cli.md, "`diff`"): 1 for new access
//! of a class `--fail-on-new` names, 3 when a question for such a class
//! could not be decided, 2 when an input cannot be read, 0 otherwise.

use crate::checks::{Evidence, Witness};
use crate::commands::ExitStatus;
use crate::diagnostic::{Diagnostic, Severity, has_errors};
use crate::gate::check::witness_text;
use crate::gate::diff::{Access, DEFAULT_FAIL_ON_NEW, diff_inventories, grouped};
use crate::ingest::Inputs;
use crate::report::{DiffCounts, FindingDetail, FindingReport};

#[derive(Clone, Debug, Default)]
pub struct DiffArgs {
    pub base: Inputs,
    pub head: Inputs,
    /// The classes whose new access fails the run; `None`: the default.
    pub fail_on_new: Option<String>,
    pub timeout_ms: u64,
}

#[derive(Debug)]
pub struct DiffOutcome {
    pub report: Option<FindingReport>,
    pub diagnostics: Vec<Diagnostic>,
    pub status: ExitStatus,
}

pub fn diff(args: &DiffArgs) -> DiffOutcome {
    let mut diagnostics = Vec::new();
    let fail_on: Vec<String> = match &args.fail_on_new {
        None => DEFAULT_FAIL_ON_NEW.iter().map(|c| c.to_string()).collect(),
        Some(text) => match crate::gate::diff::parse_classes(text) {
            Ok(classes) => classes,
            Err(bad) => {
                diagnostics.push(
                    Diagnostic::error(
                        "diff-bad-class",
                        format!("`{bad}` is no principal class of `--fail-on-new`"),
                    )
                    .with_help(format!(
                        "use a comma-separated list of {}",
                        crate::gate::diff::CLASSES.join(", ")
                    )),
                );
                Vec::new()
            }
        },
    };
    let mut base = args.base.load();
    base.require_something_to_analyse();
    let mut head = args.head.load();
    head.require_something_to_analyse();
    let failed = base.input_failed
        || head.input_failed
        || has_errors(&base.diagnostics)
        || has_errors(&head.diagnostics);
    diagnostics.extend(base.diagnostics);
    diagnostics.extend(head.diagnostics);
    if failed || has_errors(&diagnostics) {
        return DiffOutcome {
            report: None,
            diagnostics,
            status: ExitStatus::BadInput,
        };
    }
    let results = diff_inventories(&base.inventory, &head.inventory, args.timeout_ms);
    let mut report = FindingReport {
        command: "diff",
        files_read: base.files_read + head.files_read,
        files_skipped: base.skipped.len() + head.skipped.len(),
        ..FindingReport::default()
    };
    let failing = |class: &str| fail_on.iter().any(|c| c == class);
    for group in grouped(&results.new_access) {
        let severity = if failing(&group[0].class) {
            Severity::Error
        } else {
            Severity::Warning
        };
        push_access(&mut report, &group, "diff-new-access", severity, true);
    }
    for group in grouped(&results.removed_access) {
        push_access(
            &mut report,
            &group,
            "diff-removed-access",
            Severity::Note,
            false,
        );
    }
    for undecided in &results.undecided {
        let diagnostic = Diagnostic::warning(
            "diff-undecided",
            format!(
                "whether {} may now do `{}` on `{}` could not be decided: {}",
                undecided.principal, undecided.action, undecided.resource, undecided.why
            ),
        )
        .at(&undecided.because, undecided.because_label.clone())
        .with_help(
            "poolscope could not settle this question, so the change is not reported as safe; \
             raise `--timeout-ms`, or check it with `poolscope query`",
        );
        report.findings.push(diagnostic);
        report.details.push(FindingDetail {
            witness: None,
            evidence: None,
        });
    }
    for appeared in &results.appeared {
        let (code, verb) = match (appeared.kind, appeared.added) {
            ("route", true) => ("diff-route-added", "appeared"),
            ("route", false) => ("diff-route-removed", "disappeared"),
            ("principal", true) => ("diff-principal-added", "appeared"),
            ("principal", false) => ("diff-principal-removed", "disappeared"),
            (_, true) => ("diff-role-added", "appeared"),
            (_, false) => ("diff-role-removed", "disappeared"),
        };
        let mut diagnostic = Diagnostic::note(code, format!("{} {verb}", appeared.text));
        if let Some(loc) = appeared.locations.first() {
            diagnostic = diagnostic.at(loc, if appeared.added { "in head" } else { "in base" });
        }
        report.findings.push(diagnostic);
        report.details.push(FindingDetail {
            witness: None,
            evidence: Some(Evidence::Configuration),
        });
    }
    report.sort();
    let count = |kind: &str, added: bool| {
        results
            .appeared
            .iter()
            .filter(|a| a.kind == kind && a.added == added)
            .count()
    };
    report.diff = Some(DiffCounts {
        new_access: results.new_access.len(),
        removed_access: results.removed_access.len(),
        undecided: results.undecided.len(),
        routes_added: count("route", true),
        routes_removed: count("route", false),
        questions: results.questions,
    });
    let status = if results.new_access.iter().any(|a| failing(&a.class)) {
        ExitStatus::Findings
    } else if results
        .undecided
        .iter()
        .any(|u| u.class == "any" || failing(&u.class))
    {
        ExitStatus::Inconclusive
    } else {
        ExitStatus::Clean
    };
    DiffOutcome {
        report: Some(report),
        diagnostics,
        status,
    }
}

/// How many requests a finding's message lists before counting the rest.
const LISTED: usize = 4;

/// One finding for a group of access of one principal through one change:
/// its requests listed by action and resource pattern, the first witness
/// attached.
fn push_access(
    report: &mut FindingReport,
    group: &[&Access],
    code: &'static str,
    severity: Severity,
    new: bool,
) {
    let first = group[0];
    let (now, then) = if new {
        ("head allows them, base does not", "new")
    } else {
        ("base allowed them, head does not", "removed")
    };
    let mut listed: Vec<String> = Vec::new();
    for access in group {
        let text = format!("`{}` on `{}`", access.witness.action, access.resource);
        if !listed.contains(&text) {
            listed.push(text);
        }
    }
    let total = listed.len();
    let mut shown = listed
        .iter()
        .take(LISTED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if total > LISTED {
        shown.push_str(&format!(" and {} more", total - LISTED));
    }
    let mut diagnostic = Diagnostic::new(
        code,
        severity,
        format!("{then} access for {}: {shown} ({now})", first.principal),
    )
    .at(&first.because, first.because_label.clone());
    let mut related: Vec<&crate::source::Location> = vec![&first.because];
    for access in group {
        for (loc, label) in &access.deciding {
            if !related.contains(&loc) {
                related.push(loc);
                diagnostic = diagnostic.with_related(loc, label.clone());
            }
        }
    }
    // The request's own context keys; those the caller determines are in
    // the JSON witness.
    let keys: Vec<String> = first
        .witness
        .context
        .keys()
        .filter(|k| !crate::gate::diff::caller_determined(k))
        .cloned()
        .collect();
    let mut help = witness_text(&first.witness, &keys);
    if new {
        help.push_str(&format!(
            "\nif this access is intended, leave `{}` out of `--fail-on-new`; otherwise narrow \
             the change",
            first.class
        ));
    }
    report.findings.push(diagnostic.with_help(help));
    report.details.push(FindingDetail {
        witness: Some(Witness::Request(Box::new(first.witness.clone()))),
        evidence: Some(Evidence::Proven {
            how: format!(
                "a witness of the {} version, replayed by the concrete evaluator; the same \
                 request asked of the {} version is impossible",
                if new { "head" } else { "base" },
                if new { "base" } else { "head" }
            ),
        }),
    });
}
