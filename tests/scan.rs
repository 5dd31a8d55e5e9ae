//! The library over fixture repositories: exact monthly counts per class, agent and model.

mod common;

use agentscan::report::Status;
use common::*;

#[test]
fn claude_code_months_agents_and_models() {
    let fx = fixture("claude");
    let r = report(&[&fx.path]);
    let dec = month(&r, "2025-12");
    assert_eq!(classes(dec), (2, 1, 0, 0));
    assert_eq!(dec.agents, counts(&[("claude-code", 1)]));
    assert!(dec.models.is_empty());
    assert_eq!((dec.active_authors, dec.adopting_authors), (2, 1));
    let jan = month(&r, "2026-01");
    assert_eq!(classes(jan), (1, 3, 0, 0));
    assert_eq!(
        jan.models,
        counts(&[
            ("claude-opus-4.5", 1),
            ("claude-opus-4.6", 1),
            ("claude-sonnet-4.5", 1)
        ])
    );
    assert_eq!(jan.commit_share, Some(0.75));
    let feb = month(&r, "2026-02");
    assert_eq!(classes(feb), (0, 3, 0, 0));
    assert_eq!(feb.models, counts(&[("glm-4.7", 1)]));
    assert_eq!((feb.active_authors, feb.adopting_authors), (2, 2));
    assert_eq!(r.periods.len(), 3);
    assert_eq!(r.totals.agents, counts(&[("claude-code", 7)]));
    assert_eq!(r.totals.agent_co_authored, 7);
    assert_eq!(r.repositories[0].status, Status::Ok);
    assert_eq!(r.repositories[0].commits_scanned, 10);
}

#[test]
fn copilot_author_squash_review_cli_and_merge() {
    let fx = fixture("copilot");
    let r = report(&[&fx.path]);
    let jan = month(&r, "2026-01");
    assert_eq!(classes(jan), (2, 4, 0, 0));
    assert_eq!(
        jan.agents,
        counts(&[("copilot-agent", 3), ("copilot-cli", 1)])
    );
    assert_eq!((jan.agent_authored, jan.agent_co_authored), (2, 2));
    assert_eq!(jan.review_assisted_commits, 1);
    assert_eq!(jan.review_bots, counts(&[("copilot-review", 1)]));
    assert_eq!((jan.active_authors, jan.adopting_authors), (2, 2));
    let feb = month(&r, "2026-02");
    // The merge commit names an agent branch but merges stay out of every share.
    assert_eq!(classes(feb), (0, 1, 0, 1));
    assert_eq!(feb.agents, counts(&[("copilot-agent", 1)]));
}

#[test]
fn aider_eras() {
    let fx = fixture("aider");
    let r = report(&[&fx.path]);
    assert_eq!(classes(month(&r, "2025-06")), (1, 1, 0, 0));
    let jul = month(&r, "2025-07");
    assert_eq!(classes(jul), (1, 1, 0, 0));
    assert_eq!(jul.weak_signal_commits, 1);
    let aug = month(&r, "2025-08");
    assert_eq!(classes(aug), (0, 2, 0, 0));
    assert_eq!(
        aug.models,
        counts(&[("claude-3.7-sonnet-20250219", 1), ("gpt-4o", 1)])
    );
    assert_eq!(r.totals.agents, counts(&[("aider", 4)]));
    assert_eq!(r.totals.active_authors, 1);
}

#[test]
fn crush_amp_opencode_cursor_devin_jules() {
    let fx = fixture("agents");
    let r = report(&[&fx.path]);
    let mar = month(&r, "2026-03");
    assert_eq!(classes(mar), (1, 9, 0, 0));
    assert_eq!(
        mar.agents,
        counts(&[
            ("amp", 1),
            ("codex-cli", 1),
            ("crush", 2),
            ("cursor", 1),
            ("cursor-cloud", 1),
            ("devin", 1),
            ("jules", 1),
            ("opencode", 1),
        ])
    );
    assert_eq!(mar.models, counts(&[("grok-4.5", 1), ("qwen3.7-max", 1)]));
    assert_eq!((mar.agent_authored, mar.agent_co_authored), (3, 6));
    assert_eq!((mar.active_authors, mar.adopting_authors), (3, 3));
}

#[test]
fn bots_are_counted_apart() {
    let fx = fixture("bots");
    let r = report(&[&fx.path]);
    let apr = month(&r, "2026-04");
    assert_eq!(classes(apr), (3, 0, 3, 0));
    assert_eq!(
        apr.bots,
        counts(&[("dependabot", 1), ("github-actions", 1), ("renovate", 1)])
    );
    assert_eq!(apr.review_bots, counts(&[("coderabbit", 1)]));
    assert_eq!(apr.commit_share, Some(0.0));
    assert_eq!(apr.active_authors, 2);
}

#[test]
fn traps_stay_human() {
    let fx = fixture("traps");
    let r = report(&[&fx.path]);
    let may = month(&r, "2026-05");
    assert_eq!(classes(may), (8, 0, 0, 0));
    assert_eq!(may.weak_signal_commits, 2);
    assert!(may.agents.is_empty());
    assert_eq!(may.active_authors, 5);
}

#[test]
fn empty_repository_is_scanned_with_no_rows() {
    let fx = fixture("empty");
    let r = report(&[&fx.path]);
    assert_eq!(r.repositories[0].status, Status::Empty);
    assert!(r.periods.is_empty());
    assert_eq!(r.totals.commits, 0);
}

#[test]
fn shallow_clone_ends_at_the_boundary_and_says_so() {
    let fx = fixture("shallow");
    let r = report(&[&fx.path]);
    let repo = &r.repositories[0];
    assert_eq!(repo.status, Status::Partial);
    assert_eq!(repo.commits_scanned, 2);
    assert!(repo.message.as_deref().unwrap().contains("shallow"));
    assert_eq!(classes(month(&r, "2026-04")), (1, 0, 0, 0));
    assert_eq!(classes(month(&r, "2026-05")), (0, 1, 0, 0));
    assert_eq!(r.periods.len(), 2);
}

#[test]
fn bare_clone_gives_the_same_numbers() {
    let bare = fixture("bare");
    let work = fixture("claude");
    let a = report(&[&bare.path]);
    let b = report(&[&work.path]);
    assert_eq!(a.periods, b.periods);
    assert_eq!(a.repositories[0].name, "bare");
}

#[test]
fn mailmap_joins_identities() {
    let fx = fixture("mailmap");
    let r = report(&[&fx.path]);
    let jun = month(&r, "2026-06");
    assert_eq!(classes(jun), (1, 2, 0, 0));
    assert_eq!((jun.active_authors, jun.adopting_authors), (1, 1));
    // Without the mailmap the same person counts twice.
    std::fs::remove_file(fx.path.join(".mailmap")).unwrap();
    let r = report(&[&fx.path]);
    assert_eq!(month(&r, "2026-06").active_authors, 2);
}

#[test]
fn a_folder_of_repositories_is_searched_and_summed() {
    let dir = tempfile::tempdir().unwrap();
    for (name, sub) in [
        ("claude", "team-a/claude"),
        ("bots", "team-b/bots"),
        ("bare", "mirrors/bare.git"),
    ] {
        build_into(name, &dir.path().join(sub));
    }
    let r = report(&[dir.path()]);
    let names: Vec<&str> = r.repositories.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(names, ["bare", "claude", "bots"]);
    assert_eq!(r.totals.agent_commits, 14);
    assert_eq!(r.totals.bot_commits, 3);
    assert_eq!(r.totals.human_commits, 9);
}

#[test]
fn since_and_until_bound_author_dates() {
    let fx = fixture("claude");
    let mut opts = options(&[&fx.path]);
    opts.range.since = Some(agentscan::period::parse_date_start("2026-01").unwrap());
    opts.range.until = Some(agentscan::period::parse_date_end("2026-01").unwrap());
    let r = report_with(&opts, &agentscan::Registry::builtin());
    assert_eq!(r.periods.len(), 1);
    assert_eq!(classes(month(&r, "2026-01")), (1, 3, 0, 0));
}

#[test]
fn quarters_and_weeks() {
    let fx = fixture("claude");
    let mut opts = options(&[&fx.path]);
    opts.period = agentscan::period::Period::Quarter;
    let r = report_with(&opts, &agentscan::Registry::builtin());
    let labels: Vec<_> = r
        .periods
        .iter()
        .map(|p| p.period.clone().unwrap())
        .collect();
    assert_eq!(labels, ["2025-Q4", "2026-Q1"]);
    assert_eq!(classes(month(&r, "2026-Q1")), (1, 6, 0, 0));
    opts.period = agentscan::period::Period::Week;
    let r = report_with(&opts, &agentscan::Registry::builtin());
    assert_eq!(r.periods.len(), 8);
}

#[test]
fn signature_overrides_change_detection() {
    let fx = fixture("traps");
    let extra = r#"
[[agent]]
id = "house-bot"
name = "House agent"
category = "agent"
[[agent.signature]]
kind = "identity"
email = "devin@example.org"
confidence = "high"
"#;
    let reg = agentscan::Registry::builtin()
        .with_overrides(extra, "extra.toml")
        .unwrap();
    let r = report_with(&options(&[&fx.path]), &reg);
    assert_eq!(r.totals.agents, counts(&[("house-bot", 1)]));
}

#[test]
fn commit_graph_walk_matches_object_walk() {
    let fx = fixture("copilot");
    let plain = report(&[&fx.path]);
    let status = std::process::Command::new("git")
        .args(["commit-graph", "write", "--reachable"])
        .current_dir(&fx.path)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status()
        .unwrap();
    assert!(status.success());
    assert!(fx.path.join(".git/objects/info/commit-graph").exists());
    let graph = report(&[&fx.path]);
    assert_eq!(plain.periods, graph.periods);
    assert_eq!(graph.repositories[0].commits_scanned, 8);
}
