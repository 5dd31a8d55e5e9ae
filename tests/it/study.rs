//! The study section over a fixture whose numbers are known by reading it
//! (`fixtures/autonomy.sh`): work-type groups, debugging's share and autonomy, per period and
//! first to last, in JSON and Markdown.

use crate::common::*;
use assert_cmd::Command;

fn report(format: &str) -> Vec<u8> {
    let fx = fixture("autonomy");
    Command::cargo_bin("agentscan")
        .unwrap()
        .env("AGENTSCAN_DB", ":memory:")
        .args(["scan", "-q", "-f", format])
        .arg(&fx.path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone()
}

#[test]
fn groups_debugging_and_autonomy_per_period() {
    let v: serde_json::Value = serde_json::from_slice(&report("json")).unwrap();
    let study = &v["study"];
    let march = &study["periods"][0];
    assert_eq!(march["period"], "2026-03");
    assert_eq!(
        march["agent_commits"],
        serde_json::json!({"code": 0.8, "operate": 0.0, "plan_explore": 0.0, "analyze_communicate": 0.2, "fix": 0.4})
    );
    assert_eq!(
        march["autonomy"],
        serde_json::json!({"authored": 2, "co_authored": 3, "authored_share": 0.4, "by_agent": {
            "claude-code": {"commits": 3, "authored": 0, "authored_share": 0.0},
            "copilot-agent": {"commits": 2, "authored": 2, "authored_share": 1.0},
        }})
    );
    let april = &study["periods"][1];
    assert_eq!(
        april["agent_commits"],
        serde_json::json!({"code": 0.8, "operate": 0.2, "plan_explore": 0.0, "analyze_communicate": 0.0, "fix": 0.2})
    );
    // 4 authored, 6 co-authored over the two months.
    let authored: u64 = study["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["autonomy"]["authored"].as_u64().unwrap())
        .sum();
    let co: u64 = study["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["autonomy"]["co_authored"].as_u64().unwrap())
        .sum();
    assert_eq!((authored, co), (4, 6));
    assert_eq!(study["change"]["agent_commits"]["fix"], -0.2);
    assert_eq!(study["change"]["agent_commits"]["operate"], 0.2);
    assert_eq!(study["change"]["authored_share"], 0.0);
    assert_eq!(study["limits"].as_array().unwrap().len(), 4);
    // Session sizes by the shipped tiers.
    assert_eq!(
        march["agent_session_size"],
        serde_json::json!({"sessions": 5, "tiers": {"small": 5, "medium": 0, "large": 0, "very_large": 0}, "median_lines": 10, "median_files": 1})
    );
    assert_eq!(april["agent_session_size"]["median_lines"], 14);
    assert_eq!(
        april["human_session_size"],
        serde_json::json!({"sessions": 1, "tiers": {"small": 0, "medium": 0, "large": 1, "very_large": 0}, "median_lines": 250, "median_files": 1})
    );
    assert_eq!(
        study["change"]["agent_median_lines"],
        serde_json::json!([10, 14])
    );
    // One burst of Ann's work mixes the agent's fix (3 lines) and her own commit (4 lines).
    assert_eq!(march["mixed_bursts"], 1);
    assert_eq!(march["mixed_agent_line_share"], 0.4286);
    assert_eq!(april["mixed_bursts"], 0);
    let md = String::from_utf8(report("markdown")).unwrap();
    assert!(md.contains("## The study's questions"), "{md}");
    assert!(
        md.contains("| 2026-03 | 80.0% | 0.0% | 0.0% | 20.0% | 40.0% | 2 of 5 (40.0%) | 10 / 4 | 80.0% / 100.0% |"),
        "{md}"
    );
    assert!(md.contains("debugging (Fix) -20.0 pp"), "{md}");
    assert!(md.contains("What git cannot show: prompts"), "{md}");
    let table = String::from_utf8(report("table")).unwrap();
    assert!(table.contains("The study's questions"), "{table}");
    assert!(
        table.contains("debugging (Fix) -20.0 pp; commits the agent authored alone +0.0 pp"),
        "{table}"
    );
    let html = String::from_utf8(report("html")).unwrap();
    assert!(html.contains("aria-label=\"Agent commits by group of work per period\""));
    assert!(html.contains("<title>2026-03: Fix (debugging) 40.0% of agent commits</title>"));
}

/// Success as git shows it: a reverted agent commit and a reworked one did not last; the third
/// did. Of the human commits, the one reworked within 14 days did not (`fixtures/outcomes.sh`).
#[test]
fn reverted_and_reworked_commits_are_unsuccessful() {
    let fx = fixture("outcomes");
    let out = Command::cargo_bin("agentscan")
        .unwrap()
        .env("AGENTSCAN_DB", ":memory:")
        .args(["scan", "-q", "-f", "json"])
        .arg(&fx.path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let agent = &v["totals"]["agent_outcomes"];
    assert_eq!(
        (agent["commits"].as_u64(), agent["successful"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(agent["success_share"], 0.3333);
    let human = &v["totals"]["human_outcomes"];
    assert_eq!(
        (human["commits"].as_u64(), human["successful"].as_u64()),
        (Some(7), Some(6))
    );
    // April: the parser (reworked) and the export (reverted); May: the report, which lasted.
    let by_period: Vec<(String, f64, f64)> = v["study"]["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["period"].as_str().unwrap().to_owned(),
                p["agent_success"].as_f64().unwrap(),
                p["human_success"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        by_period,
        vec![
            ("2026-04".to_owned(), 0.0, 0.8333),
            ("2026-05".to_owned(), 1.0, 1.0)
        ]
    );
    // Per agent: the Copilot agent's export was reverted; of Claude Code's parser and report,
    // the report lasted.
    let by_agent = &v["study"]["success"]["by_agent"];
    let lasted = |o: &serde_json::Value| (o["commits"].as_u64(), o["successful"].as_u64());
    assert_eq!(lasted(&by_agent["copilot-agent"]), (Some(1), Some(0)));
    assert_eq!(lasted(&by_agent["claude-code"]), (Some(2), Some(1)));
    assert_eq!(by_agent.as_object().unwrap().len(), 2);
    // Per mode: every commit in exactly one mode, so the modes add up to the totals.
    let modes = v["study"]["success"]["by_mode"].as_array().unwrap();
    let sum = |side: &str, field: &str| -> u64 {
        modes.iter().map(|m| m[side][field].as_u64().unwrap()).sum()
    };
    assert_eq!(
        (sum("agent", "commits"), sum("agent", "successful")),
        (3, 1)
    );
    assert_eq!(
        (sum("human", "commits"), sum("human", "successful")),
        (7, 6)
    );
    let out = Command::cargo_bin("agentscan")
        .unwrap()
        .env("AGENTSCAN_DB", ":memory:")
        .args(["scan", "-q", "-f", "markdown"])
        .arg(&fx.path)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "by work mode: Build 33.3% of 3 / 66.7% of 3; Fix – / 100.0% of 4. By agent: Claude Code 50.0% of 2; GitHub Copilot coding agent 0.0% of 1."
        ),
        "{text}"
    );
}

/// Familiarity tiers by the shipped thresholds, from the first scan and from the store alike:
/// an author's fifth commit to a file is familiar, a person's eleventh expert
/// (`fixtures/familiarity.sh`).
#[test]
fn familiarity_tiers_count_earlier_commits_to_the_same_files() {
    let fx = fixture("familiarity");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let first = Command::cargo_bin("agentscan")
        .unwrap()
        .args(["scan", "-q", "-f", "json", "--db"])
        .arg(&db)
        .arg(&fx.path)
        .output()
        .unwrap();
    let stored = Command::cargo_bin("agentscan")
        .unwrap()
        .args(["report", "-f", "json", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    for out in [first, stored] {
        assert!(out.status.success(), "{out:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let tiers = v["study"]["success"]["by_familiarity"].as_array().unwrap();
        let counts = |side: &str| -> Vec<(String, u64)> {
            tiers
                .iter()
                .map(|t| {
                    (
                        t["tier"].as_str().unwrap().to_owned(),
                        t[side]["commits"].as_u64().unwrap(),
                    )
                })
                .collect()
        };
        let expect = |n: [u64; 3]| -> Vec<(String, u64)> {
            ["new", "familiar", "expert"]
                .iter()
                .zip(n)
                .map(|(t, n)| (t.to_string(), n))
                .collect()
        };
        assert_eq!(counts("human"), expect([2, 13, 1]));
        assert_eq!(counts("agent"), expect([1, 1, 0]));
        assert_eq!(tiers[1]["least_earlier_commits"], 1);
        assert_eq!(tiers[2]["least_earlier_commits"], 10);
    }
    // The fifth of Ann's commits to src/lib.rs has four earlier ones: familiar.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let fifth: i64 = conn
        .query_row(
            "SELECT c.familiarity FROM commits c JOIN commit_messages m ON m.rowid = c.rowid
             WHERE m.message LIKE 'Extend the library, step 5%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(fifth, 4);
    assert_eq!(agentscan::outcomes::familiarity_tier(4), 1);
}
