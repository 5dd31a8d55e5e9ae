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

/// Bots and people on the same corpus: no commit a reader counts as a person's is taken for a
/// bot's or an agent's, and at least 94% of automation commits are recognised (what remains are
/// accounts with nothing in name, address or message that says a tool wrote them, such as a
/// project's release account committing as `mise-en-dev <release@…>`).
#[test]
fn the_labelled_corpus_tells_bots_from_people() {
    let repos = corpus::repositories();
    let e = corpus::evaluate(&Registry::builtin(), &repos);
    let n = |gold, got| e.classes.get(&(gold, got)).copied().unwrap_or(0);
    assert_eq!(n(CommitClass::Human, CommitClass::Bot), 0);
    assert_eq!(n(CommitClass::Human, CommitClass::Agent), 0);
    assert_eq!(n(CommitClass::Bot, CommitClass::Agent), 0);
    let bots = n(CommitClass::Bot, CommitClass::Bot);
    let all_bots = bots + n(CommitClass::Bot, CommitClass::Human);
    assert!(all_bots >= 500, "{all_bots} bot commits labelled");
    assert!(
        bots as f64 / all_bots as f64 >= 0.94,
        "{bots} of {all_bots} bot commits recognised"
    );
}
