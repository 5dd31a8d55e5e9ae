//! The labelled corpus: precision and recall against labels decided by reading.

use super::*;

// ---- The labelled corpus -------------------------------------------------------------------------

use crate::common::corpus;

/// Precision and recall of agent commits on the labelled corpus (labels decided by reading): at
/// least 0.99 and 0.98 overall and per repository. A repository with fewer than 50 labelled agent
/// commits cannot show 0.98 (one commit moves it by more than two points): there the bar is at
/// most one missed and at most one false agent commit.
#[test]
fn the_labelled_corpus_meets_the_bar() {
    let repos = corpus::repositories();
    assert!(repos.len() >= 10, "{repos:?}");
    let e = corpus::evaluate(&Registry::builtin(), &repos);
    assert!(e.commits >= 3000, "{} commits", e.commits);
    let mut failures = Vec::new();
    let o = e.overall;
    if o.precision() < 0.99 || o.recall() < 0.98 {
        failures.push(format!(
            "overall: precision {:.3}, recall {:.3}",
            o.precision(),
            o.recall()
        ));
    }
    for (repo, c) in &e.repos {
        let small = c.tp + c.fn_ < 50;
        let ok = if small {
            c.fn_ <= 1 && c.fp <= 1
        } else {
            c.precision() >= 0.99 && c.recall() >= 0.98
        };
        if !ok {
            failures.push(format!(
                "{repo}: {} found, {} missed, {} false (precision {:.3}, recall {:.3})",
                c.tp,
                c.fn_,
                c.fp,
                c.precision(),
                c.recall()
            ));
        }
    }
    let agent_disagreements: Vec<String> = e
        .disagreements
        .iter()
        .filter(|d| d.gold.starts_with("agent") || d.predicted.starts_with("agent"))
        .map(|d| {
            format!(
                "{} {} label {} agentscan {} {:?}",
                d.repo,
                &d.id[..12],
                d.gold,
                d.predicted,
                d.subject
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{}\n\ndisagreements on agent commits:\n{}",
        failures.join("\n"),
        agent_disagreements.join("\n")
    );
}
