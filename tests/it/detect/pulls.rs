//! Pull requests: what their authors, head branches, links, labels and descriptions say of the
//! agent that opened them.

use super::*;

fn pr_agents(
    view: agentscan::detect::PullRequestView<'_>,
) -> Vec<(String, EvidenceKind, Confidence)> {
    let mut v: Vec<_> = agentscan::detect::detect_pull_request(&view, &Registry::builtin())
        .into_iter()
        .map(|e| (e.agent, e.kind, e.confidence))
        .collect();
    v.sort();
    v
}

#[test]
fn pull_request_authors_branches_links_and_labels() {
    use agentscan::detect::PullRequestView;
    let high = |a: &str| (a.to_owned(), EvidenceKind::PullRequest, Confidence::High);
    assert_eq!(
        pr_agents(PullRequestView {
            number: 1,
            author: "Copilot",
            author_id: Some(198982749),
            head_ref: "copilot/fix-12",
            ..Default::default()
        }),
        vec![
            (
                "copilot-agent".to_owned(),
                EvidenceKind::PullRequest,
                Confidence::Medium
            ),
            high("copilot-agent"),
        ]
    );
    // The same login with another app id is not the coding agent.
    assert!(
        pr_agents(PullRequestView {
            number: 2,
            author: "Copilot",
            author_id: Some(175728472),
            head_ref: "fix-docs",
            ..Default::default()
        })
        .iter()
        .all(|(a, _, _)| a != "copilot-agent")
    );
    let body =
        "Summary\n\nhttps://chatgpt.com/codex/tasks/task_e_68a1f0c2b3d48321a9f0e1d2c3b4a5f6\n";
    let labels = vec!["codex".to_owned()];
    assert_eq!(
        pr_agents(PullRequestView {
            number: 3,
            author: "ann",
            author_id: Some(2001),
            head_ref: "codex/add-export",
            labels: &labels,
            body,
        }),
        vec![
            (
                "codex".to_owned(),
                EvidenceKind::PullRequest,
                Confidence::Low
            ),
            (
                "codex".to_owned(),
                EvidenceKind::PullRequest,
                Confidence::Low
            ),
            high("codex"),
        ],
        "branch and label are leads; the task link proves it"
    );
    assert_eq!(
        pr_agents(PullRequestView {
            number: 4,
            author: "google-labs-jules[bot]",
            author_id: Some(161369871),
            head_ref: "feature",
            body: "*PR created automatically by Jules for task [123](https://jules.google.com/task/123) started by @ann*",
            ..Default::default()
        }),
        vec![high("jules"), high("jules")],
        "the author and the task link"
    );
    let labels = vec!["ai-generated".to_owned()];
    assert_eq!(
        pr_agents(PullRequestView {
            number: 5,
            author: "bob",
            head_ref: "feature",
            labels: &labels,
            ..Default::default()
        }),
        vec![(
            "generic".to_owned(),
            EvidenceKind::PullRequest,
            Confidence::Low
        )]
    );
    assert!(
        pr_agents(PullRequestView {
            number: 6,
            author: "claude",
            author_id: Some(81847),
            head_ref: "cursor-position-fix",
            body: "Fixes the cursor jumping.",
            ..Default::default()
        })
        .is_empty(),
        "a human called claude, and the word cursor"
    );
}
