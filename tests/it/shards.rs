//! Past one machine: a scan split into shards, each into its own store, reported as one; merged
//! stores; stores that disagree.

use std::path::{Path, PathBuf};

use crate::common::*;
use assert_cmd::Command;
use predicates::prelude::*;

const FIXTURES: [&str; 12] = [
    "agents",
    "aider",
    "bots",
    "claude",
    "copilot",
    "diffs",
    "empty",
    "mailmap",
    "modes",
    "org-codex",
    "outcomes",
    "traps",
];

fn agentscan() -> Command {
    Command::cargo_bin("agentscan").unwrap()
}

fn organisation(root: &Path) {
    for name in FIXTURES {
        build_into(name, &root.join(name));
    }
}

fn scan_json(args: &[&str]) -> serde_json::Value {
    let out = agentscan()
        .arg("scan")
        .args(args)
        .args(["-q", "-f", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

fn report(dbs: &[&Path]) -> Vec<u8> {
    let mut cmd = agentscan();
    cmd.args(["report", "-f", "json"]);
    for db in dbs {
        cmd.arg("--db").arg(db);
    }
    cmd.assert().success().get_output().stdout.clone()
}

fn names(scan: &serde_json::Value) -> Vec<String> {
    scan["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect()
}

/// Three shards run at once, each into its own store: every repository is scanned by exactly one
/// of them, the report over the three stores is the single scan's report byte for byte, a merged
/// store gives it too, and a shard run again reads nothing new.
#[test]
fn three_shards_report_as_one_scan() {
    let dir = tempfile::tempdir().unwrap();
    let org = dir.path().join("org");
    organisation(&org);
    let org_arg = org.to_str().unwrap().to_owned();
    let db = |name: &str| dir.path().join(name);
    let shards: Vec<serde_json::Value> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..3)
            .map(|k| {
                let (org, db) = (&org_arg, db(&format!("shard{k}.db")));
                s.spawn(move || {
                    scan_json(&[
                        org,
                        "--shard",
                        &format!("{k}/3"),
                        "--db",
                        db.to_str().unwrap(),
                    ])
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    // The keys hold the temporary folder's name, so which shard gets which repository varies
    // from run to run; a shard may even get none, and that is no error.
    let mut seen: Vec<String> = shards.iter().flat_map(names).collect();
    seen.sort();
    let mut expected: Vec<String> = FIXTURES.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(seen, expected, "each repository in exactly one shard");

    let single_db = db("single.db");
    scan_json(&[&org_arg, "--db", single_db.to_str().unwrap()]);
    let single = report(&[&single_db]);
    let stores: Vec<PathBuf> = (0..3).map(|k| db(&format!("shard{k}.db"))).collect();
    let refs: Vec<&Path> = stores.iter().map(PathBuf::as_path).collect();
    let together = report(&refs);
    assert_eq!(
        String::from_utf8_lossy(&together),
        String::from_utf8_lossy(&single)
    );
    let v: serde_json::Value = serde_json::from_slice(&together).unwrap();
    assert_eq!(v["totals"]["commits"], 82, "{}", v["totals"]);

    let merged = db("all.db");
    agentscan()
        .arg("merge")
        .arg("-o")
        .arg(&merged)
        .args(&stores)
        .assert()
        .success()
        .stderr(predicate::str::contains("12 repositories"));
    assert_eq!(report(&[&merged]), single);
    // The commits listing reads them together too.
    let listing = |dbs: &[&Path]| {
        let mut cmd = agentscan();
        cmd.args(["commits", "-f", "csv", "--limit", "1000"]);
        for d in dbs {
            cmd.arg("--db").arg(d);
        }
        cmd.assert().success().get_output().stdout.clone()
    };
    assert_eq!(listing(&refs), listing(&[&single_db]));

    // Shard 1 again: its repositories are its own store's, and nothing is new.
    let again = scan_json(&[
        &org_arg,
        "--shard",
        "1/3",
        "--db",
        stores[1].to_str().unwrap(),
    ]);
    assert_eq!(names(&again), names(&shards[1]));
    for r in again["repositories"].as_array().unwrap() {
        assert_eq!(r["new_commits"], 0, "{r}");
    }
}

/// A repository scanned into two stores counts once, with a warning naming it.
#[test]
fn a_repository_in_two_stores_counts_once() {
    let dir = tempfile::tempdir().unwrap();
    let claude = dir.path().join("claude");
    build_into("claude", &claude);
    let aider = dir.path().join("aider");
    build_into("aider", &aider);
    let (a, b, both) = (
        dir.path().join("a.db"),
        dir.path().join("b.db"),
        dir.path().join("both.db"),
    );
    scan_json(&[claude.to_str().unwrap(), "--db", a.to_str().unwrap()]);
    scan_json(&[
        claude.to_str().unwrap(),
        aider.to_str().unwrap(),
        "--db",
        b.to_str().unwrap(),
    ]);
    scan_json(&[
        claude.to_str().unwrap(),
        aider.to_str().unwrap(),
        "--db",
        both.to_str().unwrap(),
    ]);
    let out = agentscan()
        .args(["report", "-f", "json", "--db"])
        .arg(&a)
        .arg("--db")
        .arg(&b)
        .assert()
        .success()
        .stderr(predicate::str::contains("claude"))
        .stderr(predicate::str::contains("more than one store"))
        .get_output()
        .stdout
        .clone();
    assert_eq!(out, report(&[&both]));
}

/// Stores scanned with other signature files are refused, naming the file; a merge never
/// overwrites a file; a bad shard is a usage error.
#[test]
fn stores_that_cannot_be_read_together_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fx = dir.path().join("claude");
    build_into("claude", &fx);
    let extra = dir.path().join("extra.toml");
    std::fs::write(
        &extra,
        r#"
[[agent]]
id = "house-bot"
name = "House bot"
category = "agent"

[[agent.signature]]
kind = "identity"
email = "house-bot@example.org"
confidence = "high"
"#,
    )
    .unwrap();
    let (plain, custom) = (dir.path().join("plain.db"), dir.path().join("custom.db"));
    scan_json(&[fx.to_str().unwrap(), "--db", plain.to_str().unwrap()]);
    scan_json(&[
        fx.to_str().unwrap(),
        "--signatures",
        extra.to_str().unwrap(),
        "--db",
        custom.to_str().unwrap(),
    ]);
    agentscan()
        .args(["report", "--db"])
        .arg(&plain)
        .arg("--db")
        .arg(&custom)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("custom.db"))
        .stderr(predicate::str::contains("other signature files"));
    agentscan()
        .args(["merge", "-o"])
        .arg(&plain)
        .arg(&custom)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("exists"));
    assert!(!dir.path().join("merged.db").exists());
    agentscan()
        .args(["merge", "-o"])
        .arg(dir.path().join("merged.db"))
        .arg(&plain)
        .arg(dir.path().join("missing.db"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.db"));
    assert!(!dir.path().join("merged.db").exists());
    for bad in ["3/3", "1", "x/2", "0/0"] {
        agentscan()
            .args(["scan", "--db", ":memory:", "--shard", bad])
            .arg(&fx)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("K/N"));
    }
}

/// Stores made by another version or rule set are evaluated again with this build's before they
/// are read together: the report is the one a single fresh store gives.
#[test]
fn stores_that_disagree_are_evaluated_again() {
    let dir = tempfile::tempdir().unwrap();
    let (claude, aider) = (dir.path().join("claude"), dir.path().join("aider"));
    build_into("claude", &claude);
    build_into("aider", &aider);
    let (a, b, both) = (
        dir.path().join("a.db"),
        dir.path().join("b.db"),
        dir.path().join("both.db"),
    );
    scan_json(&[claude.to_str().unwrap(), "--db", a.to_str().unwrap()]);
    scan_json(&[aider.to_str().unwrap(), "--db", b.to_str().unwrap()]);
    scan_json(&[
        claude.to_str().unwrap(),
        aider.to_str().unwrap(),
        "--db",
        both.to_str().unwrap(),
    ]);
    // Store a as an older agentscan left it: other rules, and its commits concluded otherwise.
    let conn = rusqlite::Connection::open(&a).unwrap();
    conn.execute_batch(
        "UPDATE meta SET value = 'older' WHERE key = 'rules_digest';
         UPDATE commits SET mode = 'plan';",
    )
    .unwrap();
    drop(conn);
    let out = agentscan()
        .args(["report", "-f", "json", "--db"])
        .arg(&a)
        .arg("--db")
        .arg(&b)
        .assert()
        .success()
        .stderr(predicate::str::contains("evaluated again"))
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(&report(&[&both]))
    );
}

/// A sample is drawn before the shards split it: the shards of a sampled scan together scan
/// exactly the sample one process draws.
#[test]
fn shards_split_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    let org = dir.path().join("org");
    organisation(&org);
    let org = org.to_str().unwrap().to_owned();
    let db = |n: &str| dir.path().join(n).to_str().unwrap().to_owned();
    let whole = scan_json(&[&org, "--sample", "7", "--seed", "3", "--db", &db("w.db")]);
    let mut expected = names(&whole);
    expected.sort();
    assert_eq!(expected.len(), 7);
    let mut got: Vec<String> = (0..2)
        .flat_map(|k| {
            names(&scan_json(&[
                &org,
                "--sample",
                "7",
                "--seed",
                "3",
                "--shard",
                &format!("{k}/2"),
                "--db",
                &db(&format!("s{k}.db")),
            ]))
        })
        .collect();
    got.sort();
    assert_eq!(got, expected);
    assert_eq!(whole["sample"]["population"], 12);
}

/// More shards than repositories: the empty shards succeed, say so, and store nothing.
#[test]
fn an_empty_shard_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let fx = dir.path().join("claude");
    build_into("claude", &fx);
    let mut empty = 0;
    for k in 0..4 {
        let out = agentscan()
            .arg("scan")
            .arg(&fx)
            .args([
                "--shard",
                &format!("{k}/4"),
                "--db",
                ":memory:",
                "-f",
                "json",
            ])
            .assert()
            .success()
            .get_output()
            .clone();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        if v["repositories"].as_array().unwrap().is_empty() {
            empty += 1;
            assert!(String::from_utf8_lossy(&out.stderr).contains(&format!(
                "shard {k}/4 holds none of the listed repositories"
            )));
        }
    }
    assert_eq!(empty, 3, "one repository, in one shard of four");
}
