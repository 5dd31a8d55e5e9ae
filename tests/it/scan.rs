//! The library over fixture repositories: exact monthly counts per class, agent and model.

use crate::common::*;
use agentscan::Registry;
use agentscan::classify::Rules;
use agentscan::report::Status;
use agentscan::scan::RepoStatus;

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

/// A folder of symbolic links to clones is searched through the links; a link loop ends and a
/// second link to the same clone adds nothing.
#[test]
fn a_folder_of_links_to_repositories_is_followed() {
    let store = tempfile::tempdir().unwrap();
    build_into("claude", &store.path().join("claude"));
    build_into("bots", &store.path().join("bots"));
    let links = tempfile::tempdir().unwrap();
    let link = |target: &std::path::Path, name: &str| {
        std::os::unix::fs::symlink(target, links.path().join(name)).unwrap();
    };
    link(&store.path().join("claude"), "claude");
    link(&store.path().join("claude"), "claude-again");
    link(&store.path().join("bots"), "bots");
    link(links.path(), "loop");
    let r = report(&[links.path()]);
    assert_eq!(r.repositories.len(), 2, "{:?}", r.repositories);
    assert_eq!(r.totals.agent_commits, 7);
    assert_eq!(r.totals.bot_commits, 3);
}

/// Names tell repositories apart: a mirror laid out as `owner+name/repo` is named after its
/// folder, and two clones of one name are told apart by their paths.
#[test]
fn repository_names_are_unique_in_a_report() {
    let dir = tempfile::tempdir().unwrap();
    for (name, sub) in [
        ("claude", "mirrors/acme+claude/repo"),
        ("bots", "mirrors/acme+bots/repo"),
        ("claude", "team-a/api"),
        ("bots", "team-b/api"),
    ] {
        build_into(name, &dir.path().join(sub));
    }
    let r = report(&[dir.path()]);
    let mut names: Vec<&str> = r.repositories.iter().map(|x| x.name.as_str()).collect();
    names.sort();
    assert_eq!(
        names,
        ["acme+bots", "acme+claude", "team-a/api", "team-b/api"]
    );
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
    // Progress counts each commit once with the commit-graph too.
    let progress = CountingProgress::default();
    agentscan::scan::scan(
        &options(&[&fx.path]),
        &Registry::builtin(),
        &Rules::builtin(),
        &mut memory_store(),
        None,
        &progress,
        &std::sync::atomic::AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(
        progress.read.load(std::sync::atomic::Ordering::Relaxed),
        8,
        "commits reported read"
    );
}

/// Counts the commits a scan reports as read.
#[derive(Default)]
struct CountingProgress {
    read: std::sync::atomic::AtomicUsize,
}

impl agentscan::progress::Progress for CountingProgress {
    fn commits_read(&self, n: usize) {
        self.read.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Per commit, the sorted (added, deleted) pairs of its files; `None` for binary files.
type Numstat = std::collections::BTreeMap<String, Vec<Option<(u32, u32)>>>;

fn git_numstat(repo: &std::path::Path) -> Numstat {
    let out = std::process::Command::new("git")
        .args(["log", "--numstat", "--format=%H"])
        .current_dir(repo)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut map = Numstat::new();
    let mut current = String::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        if line.len() == 40 && line.bytes().all(|b| b.is_ascii_hexdigit()) {
            current = line.to_owned();
            map.entry(current.clone()).or_default();
        } else if let Some((counts, _path)) = line.split_once('\t').map(|(a, rest)| {
            let (d, path) = rest.split_once('\t').unwrap();
            ((a, d), path)
        }) {
            let pair = match counts {
                ("-", "-") => None,
                (a, d) => Some((a.parse().unwrap(), d.parse().unwrap())),
            };
            map.get_mut(&current).unwrap().push(pair);
        }
    }
    for v in map.values_mut() {
        v.sort();
    }
    map
}

fn our_numstat(repo: &std::path::Path) -> Numstat {
    use agentscan::walk::{Repo, Stats, WalkOptions};
    let repo = Repo::open(repo).unwrap();
    let map = std::sync::Mutex::new(Numstat::new());
    let opts = WalkOptions {
        all_branches: false,
        stats: Stats::Lines,
    };
    repo.read_commits(
        &opts,
        &Default::default(),
        &agentscan::progress::NoProgress,
        &std::sync::atomic::AtomicBool::new(false),
        |records| {
            for r in records {
                let mut v: Vec<_> = r
                    .files
                    .unwrap_or_default()
                    .iter()
                    .map(|f| if f.binary { None } else { f.lines })
                    .collect();
                v.sort();
                map.lock().unwrap().insert(r.id.to_string(), v);
            }
        },
    )
    .unwrap();
    map.into_inner().unwrap()
}

#[test]
fn line_counts_equal_git_numstat_on_edge_cases() {
    let fx = fixture("diffs");
    let ours = our_numstat(&fx.path);
    let theirs = git_numstat(&fx.path);
    assert_eq!(ours.len(), 9);
    assert_eq!(ours, theirs);
}

#[test]
fn line_counts_equal_git_numstat_on_every_fixture() {
    for name in ["claude", "copilot", "aider", "agents", "modes"] {
        let fx = fixture(name);
        let theirs = git_numstat(&fx.path);
        let mut ours = our_numstat(&fx.path);
        // git lists merges without files; so do we.
        for (id, files) in &theirs {
            ours.entry(id.clone()).or_insert_with(|| files.clone());
        }
        assert_eq!(ours, theirs, "{name}");
    }
}

#[test]
fn work_modes_lines_and_sessions() {
    use agentscan::classify::Mode;
    let fx = fixture("modes");
    let r = report(&[&fx.path]);
    let jul = month(&r, "2026-07");
    assert_eq!(classes(jul), (3, 7, 0, 0));
    let a = &jul.agent_modes;
    let h = &jul.human_modes;
    let modes = |c: &agentscan::aggregate::ModeCounts| -> Vec<(Mode, u64)> {
        agentscan::classify::MODES
            .iter()
            .map(|&m| (m, c.get(m)))
            .filter(|(_, n)| *n > 0)
            .collect()
    };
    assert_eq!(
        modes(&a.commits),
        [
            (Mode::Build, 2),
            (Mode::Fix, 1),
            (Mode::Test, 1),
            (Mode::Orchestrate, 1),
            (Mode::Operate, 1),
            (Mode::Plan, 1)
        ]
    );
    assert_eq!(
        modes(&a.lines),
        [
            (Mode::Build, 60),
            (Mode::Fix, 2),
            (Mode::Test, 30),
            (Mode::Orchestrate, 5),
            (Mode::Operate, 6),
            (Mode::Plan, 25)
        ]
    );
    assert_eq!(
        modes(&h.commits),
        [(Mode::Fix, 1), (Mode::Analyze, 1), (Mode::Communicate, 1)]
    );
    assert_eq!(
        modes(&h.lines),
        [(Mode::Fix, 13), (Mode::Analyze, 50), (Mode::Communicate, 1)]
    );
    // A burst within two hours is one session, a three-hour gap makes two, and a Claude-Session
    // trailer holds a session together across a day.
    assert_eq!(
        modes(&a.sessions),
        [(Mode::Build, 2), (Mode::Operate, 1), (Mode::Plan, 1)]
    );
    assert_eq!(modes(&h.sessions), [(Mode::Fix, 1), (Mode::Analyze, 1)]);
    assert_eq!((jul.agent_sessions, jul.human_sessions), (4, 2));
    assert_eq!((jul.agent_lines_added, jul.human_lines_added), (128, 64));
    assert_eq!(jul.line_share, Some(0.6667));

    // A longer gap joins Bob's two sessions.
    let mut opts = options(&[&fx.path]);
    opts.session_gap = 4 * 3600;
    let r = report_with(&opts, &agentscan::Registry::builtin());
    assert_eq!(month(&r, "2026-07").agent_sessions, 3);
    // Without line counts, modes come from paths and words alone and lines stay zero.
    let mut opts = options(&[&fx.path]);
    opts.walk.stats = agentscan::walk::Stats::Paths;
    let r = report_with(&opts, &agentscan::Registry::builtin());
    let jul = month(&r, "2026-07");
    assert_eq!(jul.agent_modes.commits, a.commits);
    assert_eq!(jul.agent_lines_added, 0);
}

/// git-ai, Agent Blame (fan-out notes tree) and whogitit notes and Agent Trace records name the
/// agents of commits whose messages say nothing; what names no commit of the history is
/// repository-level evidence.
#[test]
fn attribution_stores_beside_the_history() {
    let fx = fixture("attested");
    let mut store = memory_store();
    let r = report_in(&mut store, &options(&[&fx.path]), &Registry::builtin());
    let jun = month(&r, "2026-06");
    assert_eq!(classes(jun), (4, 4, 0, 0));
    assert_eq!(
        jun.agents,
        counts(&[("amp", 1), ("claude-code", 2), ("cursor", 1)])
    );
    assert_eq!(
        jun.models,
        counts(&[
            ("claude-opus-4.5", 1),
            ("claude-sonnet-4", 1),
            ("claude-sonnet-4.5-20250929", 1),
            ("gpt-5", 1),
        ])
    );
    let configs = store.configs(&Default::default()).expect("configs");
    let mut repo_level: Vec<(String, String)> = configs
        .values()
        .flatten()
        .filter(|c| c.detail.as_deref() == Some("attestation"))
        .map(|c| (c.path.clone(), c.agent.clone()))
        .collect();
    repo_level.sort();
    assert_eq!(
        repo_level,
        vec![
            (
                ".agent-trace/traces.jsonl".to_owned(),
                "opencode".to_owned()
            ),
            ("refs/notes/ai".to_owned(), "codex-cli".to_owned()),
        ]
    );
    // Re-evaluating the store without git keeps what the notes said.
    agentscan::scan::reclassify(&mut store, &Registry::builtin(), &Rules::builtin(), 3600)
        .expect("reclassify");
    let r = report_in(&mut store, &options(&[&fx.path]), &Registry::builtin());
    assert_eq!(classes(month(&r, "2026-06")), (4, 4, 0, 0));
}

/// A note added to a commit an earlier scan stored changes that commit at the next scan, though
/// the history did not move; a note removed changes it back.
#[test]
fn notes_added_after_a_scan_are_read_by_the_next() {
    let fx = fixture("attested");
    let mut store = memory_store();
    let opts = options(&[&fx.path]);
    let r = report_in(&mut store, &opts, &Registry::builtin());
    assert_eq!(classes(month(&r, "2026-06")), (4, 4, 0, 0));
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(&fx.path)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let note = "README.md\n  s_0a1b2c3d4e5f60 1-2\n---\n{\"sessions\":{\"s_0a1b2c3d4e5f60\":{\"agent_id\":{\"tool\":\"gemini-cli\",\"model\":\"gemini-3-pro\"}}}}";
    git(&["notes", "--ref=ai", "add", "-m", note, "HEAD~7"]);
    let r = report_in(&mut store, &opts, &Registry::builtin());
    let jun = month(&r, "2026-06");
    assert_eq!(classes(jun), (3, 5, 0, 0));
    assert_eq!(jun.agents.get("gemini-cli"), Some(&1));
    git(&["notes", "--ref=ai", "remove", "HEAD~7"]);
    let r = report_in(&mut store, &opts, &Registry::builtin());
    assert_eq!(classes(month(&r, "2026-06")), (4, 4, 0, 0));
}

/// A repository that cannot be read fails alone, and its failure keeps the walk's error type up
/// to the outcome (not a message made early), saying which repository and what failed.
#[test]
fn a_failed_repository_keeps_its_error() {
    let dir = tempfile::tempdir().unwrap();
    let fx = fixture("aider");
    let broken = dir.path().join("broken");
    std::fs::create_dir_all(broken.join(".git/objects")).unwrap();
    std::fs::create_dir_all(broken.join(".git/refs")).unwrap();
    std::fs::write(broken.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(
        broken.join(".git/config"),
        "[core]\n\trepositoryformatversion = 9\n",
    )
    .unwrap();
    let mut store = memory_store();
    let outcome = scan_into(&mut store, &options(&[&broken, &fx.path]));
    let failed: Vec<_> = outcome.failures().collect();
    assert_eq!(failed.len(), 1, "{:?}", outcome.repos);
    let RepoStatus::Failed(failure) = &failed[0].status else {
        unreachable!()
    };
    let walk = failure
        .error()
        .downcast_ref::<agentscan::walk::WalkError>()
        .expect("a walk error");
    assert!(
        matches!(walk, agentscan::walk::WalkError::Open { .. }),
        "{walk}"
    );
    assert!(failure.to_string().contains("broken"), "{failure}");
    let ok = outcome
        .repos
        .iter()
        .find(|r| r.status == RepoStatus::Scanned);
    assert!(ok.is_some_and(|r| r.commits > 0), "{:?}", outcome.repos);
}
