//! The real binary, end to end: formats, exit codes, error messages.

use crate::common::*;
use assert_cmd::Command;
use predicates::prelude::*;

fn agentscan() -> Command {
    let mut cmd = Command::cargo_bin("agentscan").unwrap();
    // Every test starts from an empty store unless it names one.
    cmd.env("AGENTSCAN_DB", ":memory:");
    cmd
}

#[test]
fn json_report_has_schema_and_exact_counts() {
    let fx = fixture("claude");
    let out = agentscan()
        .args(["scan", "--format", "json"])
        .arg(&fx.path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["period"], "month");
    assert_eq!(v["totals"]["agent_commits"], 7);
    assert_eq!(v["totals"]["human_commits"], 3);
    let jan = v["periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["period"] == "2026-01")
        .unwrap();
    assert_eq!(jan["agents"]["claude-code"], 3);
    assert_eq!(jan["models"]["claude-opus-4.6"], 1);
    assert_eq!(jan["commit_share"], 0.75);
    assert_eq!(v["repositories"][0]["status"], "ok");
    assert_eq!(v["agents"][0]["id"], "claude-code");
    assert_eq!(v["agents"][0]["name"], "Claude Code");
}

#[test]
fn table_is_the_default_and_names_agents_and_models() {
    let fx = fixture("agents");
    agentscan()
        .arg("scan")
        .arg(&fx.path)
        .assert()
        .success()
        .stdout(predicate::str::contains("1 repository, 10 commits"))
        .stdout(predicate::str::contains(" 2026-03 "))
        .stdout(predicate::str::contains("Crush"))
        .stdout(predicate::str::contains("qwen3.7-max"))
        .stderr("agentscan: 10 new commits read, 10 stored in total (:memory:)\n");
}

#[test]
fn csv_and_markdown_to_a_file() {
    let fx = fixture("bots");
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("out.csv");
    agentscan()
        .args(["scan", "-f", "csv", "-o"])
        .arg(&csv)
        .arg(&fx.path)
        .assert()
        .success()
        .stdout("");
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("repository,period,commits,human_commits,agent_commits,bot_commits")
    );
    let row = lines.next().unwrap();
    assert!(
        // Human lines: 9 added, of which 2 in Cargo.lock count apart as generated.
        row.starts_with("(all),2026-04,6,3,0,3,0,0.0000,0,0,1,0,2,0,0.0000,0,0,7,0,0.0000,0,3,"),
        "{row}"
    );
    let header = text.lines().next().unwrap();
    assert!(header.contains(",human_commits:operate,"), "{header}");
    let md = dir.path().join("out.md");
    agentscan()
        .args(["scan", "--format", "markdown", "--output"])
        .arg(&md)
        .arg(&fx.path)
        .assert()
        .success();
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.starts_with("# Coding-agent adoption"));
    assert!(
        text.contains("| 2026-04 | 3 | 0 | 3 | 0.0% | 0.0% | 2 | 0 | 0 of 1 |  |"),
        "{text}"
    );
    assert!(text.contains("## Work modes"), "{text}");
    assert!(text.contains("## How this is measured"));
}

#[test]
fn a_path_that_is_not_a_repository_exits_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    agentscan()
        .arg("scan")
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("not a git repository"))
        .stderr(predicate::str::contains(dir.path().to_str().unwrap()));
    agentscan()
        .args(["scan", "/definitely/not/here"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "/definitely/not/here: no such file or directory",
        ));
}

#[test]
fn one_bad_path_among_good_ones_exits_1_and_still_reports() {
    let fx = fixture("claude");
    let dir = tempfile::tempdir().unwrap();
    let out = agentscan()
        .args(["scan", "-f", "json"])
        .arg(&fx.path)
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a git repository"))
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["totals"]["agent_commits"], 7);
    assert_eq!(v["repositories"][1]["status"], "failed");
}

#[test]
fn corrupt_objects_fail_the_repository_not_the_scan() {
    let good = fixture("claude");
    let bad = fixture("aider");
    // Truncate every loose object: the walk cannot read HEAD's commit.
    for entry in walk_files(&bad.path.join(".git/objects")) {
        if entry.parent().unwrap().file_name().unwrap().len() == 2 {
            std::fs::write(&entry, b"garbage").unwrap();
        }
    }
    agentscan()
        .args(["scan", "-f", "json"])
        .arg(&good.path)
        .arg(&bad.path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(bad.path.to_str().unwrap()))
        .stdout(predicate::str::contains("\"agent_commits\": 7"));
}

fn walk_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn shallow_clone_warns_and_succeeds() {
    let fx = fixture("shallow");
    agentscan()
        .arg("scan")
        .arg(&fx.path)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "shallow clone, history is partial",
        ));
    agentscan()
        .args(["scan", "--quiet"])
        .arg(&fx.path)
        .assert()
        .success()
        .stderr("");
}

#[test]
fn bad_arguments_exit_2() {
    agentscan()
        .args(["scan", "--since", "March"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--since"))
        .stderr(predicate::str::contains("YYYY-MM"));
    agentscan()
        .args(["scan", "--format", "yaml"])
        .assert()
        .code(2);
    agentscan()
        .args(["scan", "--since", "2026-03", "--until", "2026-01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--since must be before --until"));
    // Every command that takes dates reads them the same way.
    for command in ["report", "commits"] {
        agentscan()
            .args([command, "--db", ":memory:", "--until", "2026-02-30"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--until"))
            .stderr(predicate::str::contains("YYYY-MM"));
    }
}

#[test]
fn default_path_is_the_current_repository() {
    let fx = fixture("aider");
    let sub = fx.path.join("aider");
    agentscan()
        .args(["scan", "-f", "json"])
        .current_dir(&sub)
        .assert()
        .success()
        .stdout(predicate::str::contains("\"agent_commits\": 4"));
}

#[test]
fn signatures_list_check_and_export() {
    agentscan()
        .args(["signatures", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("claude-code"))
        .stdout(predicate::str::contains("review-bot"));
    let exported = agentscan()
        .args(["signatures", "export"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.toml");
    std::fs::write(&file, &exported).unwrap();
    // The built-in registry re-read as an override file: every entry replaces itself.
    agentscan()
        .args(["signatures", "check"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains(": ok ("));
    std::fs::write(
        &file,
        "[[agent]]\nid = \"mine\"\nname = \"Mine\"\ncategory = \"agent\"\n\n[[agent.signature]]\nkind = \"trailer\"\nconfidence = \"sure\"\nemail = \"a@b.c\"\n",
    )
    .unwrap();
    agentscan()
        .args(["signatures", "check"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("mine.toml"))
        .stderr(predicate::str::contains("sure"));
    std::fs::write(
        &file,
        "[[agent]]\nid = \"mine\"\nname = \"Mine\"\ncategory = \"agent\"\n\n[[agent.signature]]\nkind = \"trailer\"\nconfidence = \"high\"\nkey = \"x-agent\"\n",
    )
    .unwrap();
    agentscan()
        .args(["signatures", "check"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "mine.toml:6: agent `mine`: a trailer signature needs",
        ));
}

#[test]
fn scan_with_a_signature_file() {
    let fx = fixture("traps");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("house.toml");
    std::fs::write(
        &file,
        "[[agent]]\nid = \"house\"\nname = \"House agent\"\ncategory = \"agent\"\n[[agent.signature]]\nkind = \"identity\"\nemail = \"devin@example.org\"\nconfidence = \"high\"\n",
    )
    .unwrap();
    agentscan()
        .args(["scan", "-f", "json", "--signatures"])
        .arg(&file)
        .arg(&fx.path)
        .assert()
        .success()
        .stdout(predicate::str::contains("\"house\": 1"));
    agentscan()
        .args(["scan", "--signatures", "/no/such/file.toml"])
        .arg(&fx.path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read signature file /no/such/file.toml",
        ));
}

#[test]
fn broken_pipe_is_not_an_error() {
    let fx = fixture("claude");
    let bin = assert_cmd::cargo::cargo_bin("agentscan");
    // The reader is gone before the report is written: the write fails with EPIPE.
    let mut child = std::process::Command::new(bin)
        .args(["signatures", "export"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("agentscan"))
        .env("AGENTSCAN_DB", ":memory:")
        .arg("scan")
        .arg(&fx.path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn explain_shows_evidence_mode_rules_and_files() {
    let fx = fixture("modes");
    agentscan()
        .args(["explain"])
        .arg(&fx.path)
        .arg("HEAD~8")
        .assert()
        .success()
        .stdout(predicate::str::contains("Subject:    Fix export header"))
        .stdout(predicate::str::contains("Class:      agent (co-authored)"))
        .stdout(predicate::str::contains(
            "Co-Authored-By: Claude Sonnet 4.5 <noreply@anthropic.com>  [Co-Authored-By]  model claude-sonnet-4.5",
        ))
        .stdout(predicate::str::contains("Mode:       fix"))
        .stdout(predicate::str::contains("word   fix-strong"))
        .stdout(predicate::str::contains("M  +2 -0"));
    let out = agentscan()
        .args(["explain", "-f", "json", "HEAD"])
        .current_dir(&fx.path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["classification"]["mode"], "fix");
    assert_eq!(v["detection"]["class"], "human");
    assert_eq!(v["files"][1]["path"], "tests/parse.rs");
    assert_eq!(v["files"][1]["path_mode"], "test");
    agentscan()
        .args(["explain", "no-such-rev"])
        .current_dir(&fx.path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot find commit \"no-such-rev\"",
        ));
}

#[test]
fn rules_export_check_and_override() {
    let exported = agentscan()
        .args(["rules", "export"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rules.toml");
    // Everything under tests/ counts as documentation in this rule set.
    let text = String::from_utf8(exported).unwrap().replace(
        "[[path]]\nid = \"tests\"\nmode = \"test\"",
        "[[path]]\nid = \"tests\"\nmode = \"communicate\"",
    );
    std::fs::write(&file, &text).unwrap();
    agentscan()
        .args(["rules", "check"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains(": ok"));
    let fx = fixture("modes");
    let out = agentscan()
        .args(["scan", "-f", "json", "--rules"])
        .arg(&file)
        .arg(&fx.path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["totals"]["agent_modes"]["commits"]["test"], 0);
    assert_eq!(v["totals"]["agent_modes"]["commits"]["communicate"], 1);
    std::fs::write(&file, "[weights]\ntype = 2\n").unwrap();
    agentscan()
        .args(["rules", "check"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("rules.toml: invalid rules file"));
}

#[test]
fn report_and_commits_read_the_store_without_git() {
    let claude = fixture("claude");
    let copilot = fixture("copilot");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("agentscan.db");
    agentscan()
        .args(["scan", "--quiet", "--db"])
        .arg(&db)
        .arg(&claude.path)
        .arg(&copilot.path)
        .assert()
        .success();
    // The repositories can even be gone: reports come from the store.
    std::fs::remove_dir_all(&claude.path).unwrap();
    let json = |args: &[&str]| -> serde_json::Value {
        let out = agentscan()
            .args(args)
            .arg("--db")
            .arg(&db)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out).unwrap()
    };
    let all = json(&["report", "-f", "json"]);
    assert_eq!(all["totals"]["agent_commits"], 12);
    assert_eq!(all["repositories"].as_array().unwrap().len(), 2);
    assert!(all["repositories"][0].get("new_commits").is_none());
    let one = json(&["report", "-f", "json", "--repo", "claude"]);
    assert_eq!(one["totals"]["agent_commits"], 7);
    let agent = json(&["report", "-f", "json", "--agent", "copilot-cli"]);
    assert_eq!(agent["totals"]["agent_commits"], 1);
    assert_eq!(agent["totals"]["human_commits"], 5);
    let quarters = json(&[
        "report", "-f", "json", "--by", "quarter", "--since", "2026-01",
    ]);
    let labels: Vec<&str> = quarters["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["period"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["2026-Q1"]);
    assert_eq!(quarters["totals"]["agent_commits"], 11);

    let listed = json(&["commits", "-f", "json", "--agent", "copilot-agent"]);
    let commits = listed["commits"].as_array().unwrap();
    assert_eq!(commits.len(), 4);
    assert_eq!(commits[0]["subject"], "Fix off-by-one in page size");
    assert_eq!(commits[0]["role"], "authored");
    let csv = agentscan()
        .args(["commits", "-f", "csv", "--mode", "test", "--db"])
        .arg(&db)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .contains("test: cover resumable uploads")
    );
    agentscan()
        .args([
            "commits", "--class", "human", "--repo", "copilot", "--limit", "1", "--db",
        ])
        .arg(&db)
        .assert()
        .success()
        .stdout(predicate::str::contains("Update src/api.rs"));
    agentscan()
        .args(["commits", "--mode", "planning", "--db"])
        .arg(&db)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--mode"))
        .stderr(predicate::str::contains("unknown mode \"planning\""));
    agentscan()
        .args(["report", "--repo", "nope", "--db"])
        .arg(&db)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no stored repository is named nope",
        ));
    agentscan()
        .args(["report", "--db"])
        .arg(dir.path().join("missing.db"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such database"));
}

/// `signatures discover` lists what looks like an agent or automation and the registry does not
/// know: an agent author, an AI co-author with a vendor no-reply address, an AI credit and a
/// release script by its rate, and never a person who co-authors and authors.
#[test]
fn signatures_discover_lists_unknown_agents_not_people() {
    let fx = fixture("unknown");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    agentscan()
        .env("AGENTSCAN_DB", &db)
        .args(["scan", "-q"])
        .arg(&fx.path)
        .assert()
        .success();
    let discover = |extra: &[&str]| -> serde_json::Value {
        let out = agentscan()
            .env("AGENTSCAN_DB", &db)
            .args(["signatures", "discover", "--format", "json"])
            .args(extra)
            .arg(&fx.path)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out).unwrap()
    };
    let v = discover(&[]);
    let listed: Vec<(&str, &str, u64)> = v["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["identity"].as_str().unwrap(),
                c["seen"][0].as_str().unwrap(),
                c["commits"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        vec![
            ("RoboDev AI <dev@robodev.example>", "author", 2),
            ("HAL assistant", "credit", 1),
            ("Sparky <noreply@sparky.dev>", "co-author", 1),
            ("Release Train <release@corp.example>", "author", 11),
        ]
    );
    assert_eq!(v["candidates"][2]["reasons"][0], "no-reply");
    assert_eq!(v["candidates"][2]["first"], "2026-07");
    assert_eq!(v["candidates"][0]["example"].as_str().unwrap().len(), 40);

    // Once a signatures file names it, it is known and no longer listed.
    let file = dir.path().join("mine.toml");
    std::fs::write(
        &file,
        "[[agent]]\nid = \"robodev\"\nname = \"RoboDev\"\ncategory = \"agent\"\n\n[[agent.signature]]\nkind = \"identity\"\nemail = \"dev@robodev.example\"\nconfidence = \"high\"\n",
    )
    .unwrap();
    let v = discover(&["--signatures", file.to_str().unwrap()]);
    assert_eq!(v["candidates"].as_array().unwrap().len(), 3);

    // A path never scanned is an error that says what to do.
    agentscan()
        .env("AGENTSCAN_DB", &db)
        .args(["signatures", "discover", "/no/such/repository"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "is not in the store: scan it first",
        ));
}

/// `agentscan report` names the agents a scan's --signatures file added: the store keeps the
/// files its conclusions came from.
#[test]
fn report_uses_the_signatures_the_scan_used() {
    let fx = fixture("traps");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let file = dir.path().join("house.toml");
    std::fs::write(
        &file,
        "[[agent]]\nid = \"house-agent\"\nname = \"House Agent\"\ncategory = \"agent\"\n\n[[agent.signature]]\nkind = \"identity\"\nemail = \"devin@example.org\"\nconfidence = \"high\"\n",
    )
    .unwrap();
    agentscan()
        .env("AGENTSCAN_DB", &db)
        .args(["scan", "-q", "--signatures"])
        .arg(&file)
        .arg(&fx.path)
        .assert()
        .success();
    let out = agentscan()
        .env("AGENTSCAN_DB", &db)
        .args(["report", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["totals"]["agents"]["house-agent"], 1);
    let agent = v["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "house-agent")
        .expect("the agent is described");
    assert_eq!(agent["name"], "House Agent");
}

/// A model file that is not one, or of another format version, is refused with its name.
#[test]
fn a_bad_model_file_is_named() {
    let fx = fixture("claude");
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("model.json");
    std::fs::write(&bad, "{\"version\": 9}").unwrap();
    agentscan()
        .args(["scan", "--model"])
        .arg(&bad)
        .arg(&fx.path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("model.json: model format 9"));
    std::fs::write(&bad, "not json").unwrap();
    agentscan()
        .args(["scan", "--model"])
        .arg(&bad)
        .arg(&fx.path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "model.json: not a work-mode model",
        ));
}

/// The built-in learned model decides where the rules guess, and says so in `explain`;
/// `--no-model` leaves every decision to the rules, and cannot be combined with `--model`.
#[test]
fn the_built_in_model_decides_unless_no_model() {
    let fx = fixture("copilot");
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(&fx.path)
        .args(["log", "-n1", "--format=%H", "--grep=^Add pagination"])
        .output()
        .unwrap();
    let id = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert_eq!(id.len(), 40, "the fixture has the commit");
    let explain = |extra: &[&str]| {
        let out = agentscan()
            .arg("explain")
            .args(extra)
            .arg(&fx.path)
            .arg(&id)
            .assert()
            .success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    let with = explain(&[]);
    assert!(
        with.lines()
            .any(|l| l.trim_start().starts_with("model  model") && l.contains("learned model")),
        "{with}"
    );
    let without = explain(&["--no-model"]);
    assert!(!without.contains("learned model"), "{without}");
    assert!(without.contains("Mode:       build"), "{without}");
    agentscan()
        .args(["scan", "--no-model", "--model", "m.json"])
        .arg(&fx.path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}
