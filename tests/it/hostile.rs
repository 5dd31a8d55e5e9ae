//! The hostile-repository matrix: damaged objects, odd layouts, odd dates and encodings, huge
//! messages and commits. Each is scanned beside a sound repository by the real binary: nothing
//! panics or aborts, the damaged repository says what failed, and every commit that can be read
//! is kept, in it and in the other repository.

use crate::common::*;
use assert_cmd::Command;
use serde_json::Value;

/// `fixtures/hostile/NAME.sh`, built in a temporary folder.
fn hostile(name: &str) -> Fixture {
    fixture(&format!("hostile/{name}"))
}

struct Scanned {
    code: i32,
    json: Value,
    stderr: String,
}

/// `agentscan scan -f json --stats lines PATHS…`, with `env` set.
fn scan_json(paths: &[&std::path::Path], env: &[(&str, &str)]) -> Scanned {
    let mut cmd = Command::cargo_bin("agentscan").unwrap();
    cmd.env("AGENTSCAN_DB", ":memory:")
        .args(["scan", "-f", "json", "--stats", "lines"])
        .args(paths);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("agentscan runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no JSON report ({e}); stderr: {stderr}"));
    Scanned {
        code: out.status.code().expect("exited, not killed by a signal"),
        json,
        stderr,
    }
}

fn totals(v: &Value) -> (u64, u64, u64) {
    let t = &v["totals"];
    let n = |k: &str| t[k].as_u64().unwrap_or_else(|| panic!("{k} in {t}"));
    (n("agent_commits"), n("human_commits"), n("merge_commits"))
}

fn repository<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no repository {name} in {}", v["repositories"]))
}

/// A pack entry claiming 2^50 bytes fails that commit's diff, with gix's reader as with ours;
/// the commit and the sound repository beside it are kept.
#[test]
fn an_entry_claiming_a_petabyte_fails_one_diff_not_the_process() {
    let bad = hostile("corrupt-pack");
    let good = fixture("claude");
    for reader in ["", "gix"] {
        let s = scan_json(
            &[&good.path, &bad.path],
            &[("AGENTSCAN_OBJECT_READER", reader)],
        );
        assert_eq!(s.code, 0, "{}", s.stderr);
        // claude: 7 agent, 3 human; corrupt-pack: 1 agent, 2 human.
        assert_eq!(totals(&s.json), (8, 5, 0));
        let r = repository(&s.json, "corrupt-pack");
        assert_eq!(r["status"], "ok");
        assert_eq!(r["commits_scanned"], 3);
        let message = r["message"].as_str().unwrap();
        assert!(
            message.starts_with("the changes of 1 commit could not be read"),
            "{message}"
        );
        let why = if reader == "gix" {
            "too large"
        } else {
            "entry claims 1125899906842624 bytes"
        };
        assert!(message.contains(why), "{message}");
        assert!(
            s.stderr.contains(&format!(
                "warning: {}: the changes of 1 commit",
                bad.path.display()
            )),
            "{}",
            s.stderr
        );
    }
}

/// A deleted blob leaves its commit's lines unknown; a deleted tree leaves two commits' files
/// unknown (the commit, and its child diffed against it). All four commits are counted.
#[test]
fn missing_blobs_and_trees_keep_their_commits() {
    let bad = hostile("missing-objects");
    let s = scan_json(&[&bad.path], &[]);
    assert_eq!(s.code, 0, "{}", s.stderr);
    assert_eq!(totals(&s.json), (1, 3, 0));
    let message = repository(&s.json, "missing-objects")["message"]
        .as_str()
        .unwrap();
    assert!(
        message.starts_with("the changes of 2 commits could not be read"),
        "{message}"
    );
    assert!(message.contains("not found"), "{message}");
}

/// A commit whose object is cut short is left out with the history only it leads to; the
/// commits above it are kept and the message names the object.
#[test]
fn a_truncated_commit_cuts_history_not_the_repository() {
    let bad = hostile("truncated-loose");
    let good = fixture("aider");
    let alone = scan_json(&[&good.path], &[]);
    let s = scan_json(&[&bad.path, &good.path], &[]);
    assert_eq!(s.code, 0, "{}", s.stderr);
    let (a, h, m) = totals(&alone.json);
    assert_eq!(totals(&s.json), (a + 1, h + 1, m));
    let r = repository(&s.json, "truncated-loose");
    assert_eq!(r["commits_scanned"], 2);
    let message = r["message"].as_str().unwrap();
    assert!(
        message.starts_with("1 commit could not be read"),
        "{message}"
    );
    assert!(message.contains("Truncated input data"), "{message}");
}

/// Refs to objects that do not exist (a branch, a tag, a pull-request head) are passed over.
#[test]
fn dangling_refs_are_passed_over() {
    let fx = hostile("dangling-refs");
    for all in [false, true] {
        let mut cmd = Command::cargo_bin("agentscan").unwrap();
        cmd.env("AGENTSCAN_DB", ":memory:")
            .args(["scan", "-f", "json"])
            .arg(&fx.path);
        if all {
            cmd.arg("--all-branches");
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{out:?}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(totals(&v), (1, 1, 0), "--all-branches {all}");
    }
}

/// Invalid UTF-8 and a latin-1 message with its `encoding` header are read, trailers found.
#[test]
fn messages_in_other_encodings_are_read() {
    let fx = hostile("encodings");
    let s = scan_json(&[&fx.path], &[]);
    assert_eq!(s.code, 0, "{}", s.stderr);
    assert_eq!(totals(&s.json), (2, 1, 0));
    let out = Command::cargo_bin("agentscan")
        .unwrap()
        .env("AGENTSCAN_DB", ":memory:")
        .arg("explain")
        .arg(&fx.path)
        .arg("HEAD")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).expect("explain writes UTF-8");
    assert!(text.contains("Résumé export for José"), "{text}");
}

/// The epoch, before it, 2099, and ±14 h offsets land in their own months.
#[test]
fn dates_at_the_edges_land_in_their_months() {
    let fx = hostile("dates");
    let s = scan_json(&[&fx.path], &[]);
    assert_eq!(s.code, 0, "{}", s.stderr);
    assert_eq!(totals(&s.json), (1, 4, 0));
    let months: Vec<(String, u64)> = s.json["periods"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["commits"].as_u64() > Some(0))
        .map(|p| {
            (
                p["period"].as_str().unwrap().to_owned(),
                p["commits"].as_u64().unwrap(),
            )
        })
        .collect();
    let expect = [
        ("1969-12", 1),
        ("1970-01", 1),
        ("2026-06", 2),
        ("2099-01", 1),
    ];
    let expect: Vec<(String, u64)> = expect.iter().map(|(m, n)| (m.to_string(), *n)).collect();
    assert_eq!(months, expect);
}

/// A 20 MB message with its trailer at the end, 20,000 files in one commit, an octopus merge.
#[test]
fn huge_messages_wide_commits_and_octopus_merges() {
    let fx = hostile("big-message");
    let s = scan_json(&[&fx.path], &[]);
    assert_eq!(s.code, 0, "{}", s.stderr);
    assert_eq!(totals(&s.json), (2, 4, 1));
    // The 20,000 empty files make a very large session by files alone; the long message with
    // nothing changed is small. Ann's start and Carol's three one-line branches are small.
    let sizes = &s.json["study"]["periods"][0];
    let tiers = |side: &str| {
        let t = &sizes[side]["tiers"];
        ["small", "medium", "large", "very_large"].map(|k| t[k].as_u64().unwrap())
    };
    assert_eq!(tiers("agent_session_size"), [1, 0, 0, 1], "{sizes}");
    assert_eq!(tiers("human_session_size"), [2, 0, 0, 0], "{sizes}");
    assert_eq!(sizes["agent_session_size"]["median_files"], 0);
}

/// A bare repository and its linked work tree are one repository; a submodule is a change like
/// any other; 100 packs are read; a link loop in the folder ends.
#[test]
fn layouts_a_folder_scan_meets() {
    let fx = hostile("layouts");
    let s = scan_json(&[&fx.path], &[]);
    assert_eq!(s.code, 0, "{}", s.stderr);
    let names: Vec<&str> = s.json["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["bare", "packs", "super"]);
    assert_eq!(totals(&s.json), (52, 52, 0));
    assert_eq!(repository(&s.json, "packs")["commits_scanned"], 100);
}
