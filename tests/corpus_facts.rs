//! Every fact the corpus READMEs state as a `poolscope query … --expect …`
//! command holds: the verdicts both ways, possible and impossible, exactly
//! as a careful reviewer wrote them down for each case.

use poolscope::commands::ExitStatus;
use poolscope::commands::query::query;

#[path = "../benches/support/facts.rs"]
mod facts;

use facts::{args_of, facts};

#[test]
fn every_corpus_fact_holds() {
    let facts = facts();
    assert!(facts.len() >= 60, "the READMEs state {} facts", facts.len());
    let mut failed = Vec::new();
    for (line, words) in &facts {
        let outcome = query(&args_of(words));
        if outcome.status != ExitStatus::Clean {
            let got = outcome
                .report
                .as_ref()
                .map(|r| format!("{} ({})", r.verdict.as_str(), r.summary))
                .unwrap_or_else(|| format!("{:?}", outcome.diagnostics));
            failed.push(format!("{line}\n    got: {got}"));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} facts do not hold:\n{}",
        failed.len(),
        facts.len(),
        failed.join("\n")
    );
}
