//! The reports people read — Markdown and HTML over a fixture organisation — and what they
//! promise: outcome proxies, cohorts, `--min-authors` suppression, `--anonymize` pseudonyms,
//! escaping (checked in a real browser where one can be had), shell completions and man pages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{build_into, fixture, memory_store, options, scan_into};
use serde_json::Value;

/// A fixture organisation: five repositories in one folder, scanned into one database.
struct Org {
    dir: tempfile::TempDir,
}

impl Org {
    fn new() -> Org {
        let dir = tempfile::tempdir().unwrap();
        for name in ["claude", "copilot", "org-codex", "org-config", "outcomes"] {
            build_into(name, &dir.path().join("acme").join(name));
        }
        let org = Org { dir };
        let out = org.run(
            &["scan", "-q", "-f", "json"],
            &[org.root().to_str().unwrap()],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        org
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("acme")
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("agentscan.db")
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("agentscan"));
        cmd.env("AGENTSCAN_DB", self.db())
            .env_remove(agentscan::privacy::KEY_ENV);
        cmd
    }

    fn run(&self, args: &[&str], more: &[&str]) -> Output {
        self.command().args(args).args(more).output().unwrap()
    }

    /// `agentscan report ARGS`, which must succeed, as text.
    fn report(&self, args: &[&str]) -> String {
        let out = self.run(&["report"], args);
        assert!(
            out.status.success(),
            "report {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["-f", "json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.report(&all)).unwrap()
    }
}

fn repo<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no repository {name}"))
}

fn period<'a>(rows: &'a Value, label: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["period"] == label)
        .unwrap_or_else(|| panic!("no period {label}"))
}

#[test]
fn outcome_proxies_and_cohorts_are_exact() {
    let org = Org::new();
    let report = org.json(&[]);
    let outcomes = repo(&report, "outcomes");
    let t = &outcomes["totals"];
    assert_eq!(
        t["agent_outcomes"],
        serde_json::json!({"commits": 3, "reverted": 1, "reverted_share": 0.3333,
            "commits_with_paths": 3, "reworked": 1, "reworked_share": 0.3333,
            "successful": 1, "success_share": 0.3333})
    );
    assert_eq!(
        t["human_outcomes"],
        serde_json::json!({"commits": 7, "reverted": 0, "reverted_share": 0.0,
            "commits_with_paths": 7, "reworked": 1, "reworked_share": 0.1429,
            "successful": 6, "success_share": 0.8571})
    );
    // Ann and the person the Copilot agent credits are heavy users; Bob and Dana use none.
    assert_eq!(
        t["author_cohorts"],
        serde_json::json!({"none": 2, "light": 0, "moderate": 0, "heavy": 2})
    );
    // In May only Ann (agent) and Bob (human) committed.
    let may = period(&outcomes["periods"], "2026-05");
    assert_eq!(
        may["author_cohorts"],
        serde_json::json!({"none": 1, "light": 0, "moderate": 0, "heavy": 1})
    );
    // The organisation: claude and copilot and outcomes adopt; org-config is configured only;
    // org-codex has neither.
    let all = &report["totals"];
    assert_eq!(all["repositories_active"], 5);
    assert_eq!(all["repositories_adopting"], 3);
    assert_eq!(all["repositories_ceiling"], 4);
    assert_eq!(
        all["repository_cohorts"],
        serde_json::json!({"none": 2, "light": 0, "moderate": 0, "heavy": 3})
    );
    // The stored columns say which commit did it.
    let conn = rusqlite::Connection::open(org.db()).unwrap();
    let (reverted, reworked): (i64, i64) = conn
        .query_row(
            "SELECT count(reverted_by), count(reworked_by) FROM commits c
             JOIN repositories r ON r.id = c.repo_id WHERE r.name = 'outcomes'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((reverted, reworked), (1, 2));
}

#[test]
fn min_authors_hides_thin_cells_and_says_so() {
    let org = Org::new();
    let open = org.json(&[]);
    let k = 3;
    let hidden = org.json(&["--min-authors", "3"]);
    assert!(hidden["authors"].as_array().unwrap().is_empty());
    let mut suppressed = 0;
    let mut rows: Vec<(&Value, &Value)> = Vec::new();
    for (a, b) in open["periods"]
        .as_array()
        .unwrap()
        .iter()
        .zip(hidden["periods"].as_array().unwrap())
    {
        rows.push((a, b));
    }
    rows.push((&open["totals"], &hidden["totals"]));
    for (r_open, r_hidden) in open["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .zip(hidden["repositories"].as_array().unwrap())
    {
        rows.push((&r_open["totals"], &r_hidden["totals"]));
        for pair in r_open["periods"]
            .as_array()
            .unwrap()
            .iter()
            .zip(r_hidden["periods"].as_array().unwrap())
        {
            rows.push(pair);
        }
    }
    for (a, b) in &rows {
        let thin = a["active_authors"].as_u64().unwrap() < k;
        assert_eq!(b["suppressed"] == true, thin, "{a}\n{b}");
        if thin {
            suppressed += 1;
            assert_eq!(b["agent_commits"], 0);
            assert_eq!(b["active_authors"], 0);
            assert_eq!(b["commit_share"], Value::Null);
        } else {
            assert_eq!(a["agent_commits"], b["agent_commits"]);
            assert_eq!(a["commit_share"], b["commit_share"]);
        }
    }
    assert_eq!(hidden["privacy"]["suppressed_rows"], suppressed);
    // Exactly: the organisation's 4 months all have 3 or more authors but 2026-05 (Ann, Bob).
    let labels: Vec<(&str, bool)> = hidden["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["period"].as_str().unwrap(), r["suppressed"] == true))
        .collect();
    assert_eq!(
        labels,
        vec![
            ("2025-12", true),
            ("2026-01", false),
            ("2026-02", true),
            ("2026-03", false),
            ("2026-04", false),
            ("2026-05", true),
        ]
    );
    // An agent used by one person disappears from a row that is otherwise shown.
    let two = org.json(&["--min-authors", "2"]);
    let outcomes = &repo(&two, "outcomes")["totals"];
    assert_eq!(outcomes["suppressed"], Value::Null);
    assert_eq!(outcomes["agents"], serde_json::json!({}));
    assert_eq!(
        repo(&open, "outcomes")["totals"]["agents"]["copilot-agent"],
        1
    );
    assert!(two["privacy"]["suppressed_entries"].as_u64().unwrap() > 0);
    // Every format says what it hid.
    let md = org.report(&["-f", "markdown", "--min-authors", "3"]);
    assert!(md.contains("| 2026-05 | hidden |"), "{md}");
    assert!(
        md.contains("fewer than 3 distinct authors are hidden"),
        "{md}"
    );
    assert!(!md.contains("Ann Example"));
    let table = org.report(&["--min-authors", "3"]);
    assert!(table.contains("Hidden: "), "{table}");
    let csv = org.report(&["-f", "csv", "--min-authors", "3"]);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "suppressed").unwrap();
    let may: Vec<&str> = csv
        .lines()
        .find(|l| l.starts_with("(all),2026-05,"))
        .unwrap()
        .split(',')
        .collect();
    assert_eq!(may[col], "1");
    assert_eq!(may[2], "", "hidden rows carry no numbers");
}

#[test]
fn anonymize_gives_stable_pseudonyms_everywhere() {
    let org = Org::new();
    let names = [
        "Ann Example",
        "ann@example.com",
        "Bob Builder",
        "bob@example.com",
        "Carol",
        "carol@example.com",
        "Dana",
        "xss@example.com",
    ];
    let first = org.json(&["--anonymize"]);
    let again = org.json(&["--anonymize"]);
    assert_eq!(first["authors"], again["authors"], "stable across runs");
    assert_eq!(first["privacy"]["anonymized"], true);
    let authors = first["authors"].as_array().unwrap();
    assert_eq!(authors.len(), 5);
    let ann = &authors[0];
    assert!(ann["name"].as_str().unwrap().starts_with("Author "));
    assert!(
        ann["email"]
            .as_str()
            .unwrap()
            .ends_with("@anonymous.invalid")
    );
    // Every output: no real name or email anywhere.
    let mut outputs = Vec::new();
    for f in ["table", "json", "csv", "markdown", "html"] {
        outputs.push(org.report(&["-f", f, "--anonymize"]));
    }
    let commits = org.run(
        &["commits", "--anonymize", "--limit", "100", "-f", "csv"],
        &[],
    );
    outputs.push(String::from_utf8(commits.stdout).unwrap());
    let explain = org.run(
        &["explain", "--anonymize", "-f", "json"],
        &[org.root().join("claude").to_str().unwrap(), "HEAD~1"],
    );
    assert!(
        explain.status.success(),
        "{}",
        String::from_utf8_lossy(&explain.stderr)
    );
    let explained = String::from_utf8(explain.stdout).unwrap();
    outputs.push(explained.clone());
    for out in &outputs {
        for n in names {
            assert!(!out.contains(n), "{n} in {out}");
        }
    }
    // The same person has the same pseudonym in the report, the commit list and explain: the
    // database's key, applied to the person's email.
    let conn = rusqlite::Connection::open(org.db()).unwrap();
    let key: String = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'anonymize_key'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let p = agentscan::privacy::Pseudonyms::new(key);
    assert_eq!(ann["name"], p.name("ann@example.com"));
    assert_eq!(ann["email"], p.email("ann@example.com"));
    assert!(
        outputs[5].contains(&p.name("ann@example.com")),
        "{}",
        outputs[5]
    );
    let carol = format!(
        "{} <{}>",
        p.name("carol@example.com"),
        p.email("carol@example.com")
    );
    let explained: Value = serde_json::from_str(&explained).unwrap();
    assert_eq!(explained["author"], carol.as_str());
    assert_eq!(
        explained["detection"]["human_name"],
        p.name("carol@example.com")
    );
    // Agents keep their identities.
    assert!(
        explained["message"]
            .as_str()
            .unwrap()
            .contains("Claude (glm-4.7) <noreply@anthropic.com>")
    );
    // A key in the environment makes pseudonyms independent of the database.
    let keyed = |key: &str| -> Value {
        let out = org
            .command()
            .env(agentscan::privacy::KEY_ENV, key)
            .args(["report", "-f", "json", "--anonymize"])
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert_eq!(keyed("k1")["authors"], keyed("k1")["authors"]);
    assert_ne!(keyed("k1")["authors"], keyed("k2")["authors"]);
    assert_ne!(keyed("k1")["authors"], first["authors"]);
}

/// Version numbers change between releases; nothing else in these reports does.
fn redact(text: &str) -> String {
    regex::Regex::new(r"agentscan \d+\.\d+\.\d+(-[0-9A-Za-z.-]*[0-9A-Za-z])?")
        .unwrap()
        .replace_all(text, "agentscan [version]")
        .into_owned()
}

#[test]
fn markdown_report_snapshot() {
    let org = Org::new();
    let md = redact(&org.report(&["-f", "markdown"]));
    insta::assert_snapshot!("markdown_report", md);
}

#[test]
fn html_report_snapshot() {
    let org = Org::new();
    let html = redact(&org.report(&["-f", "html"]));
    // Markup from git is escaped, never live.
    assert!(!html.contains("<script"), "no script element, ever");
    assert!(html.contains("&lt;script&gt;console.error(&#39;xss&#39;)&lt;/script&gt;"));
    assert!(html.contains("Dana &quot;Q&quot; &amp; O&#39;Neil"));
    assert_eq!(html.matches("<svg ").count(), 6, "six charts");
    insta::assert_snapshot!("html_report", html);
}

/// Chromium, installing Debian's package when allowed; `None` with the reason otherwise.
fn chromium() -> Result<PathBuf, String> {
    let candidates = ["chromium", "chromium-browser", "google-chrome"];
    let find = || {
        std::env::var_os("AGENTSCAN_CHROMIUM")
            .map(PathBuf::from)
            .into_iter()
            .chain(candidates.iter().flat_map(|c| {
                std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
                    .map(move |d| d.join(c))
                    .collect::<Vec<_>>()
            }))
            .find(|p| p.is_file())
    };
    if let Some(p) = find() {
        return Ok(p);
    }
    if std::env::var_os("AGENTSCAN_NO_INSTALL").is_some() {
        return Err("no chromium on PATH and AGENTSCAN_NO_INSTALL is set".into());
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    if !root || !Path::new("/usr/bin/apt-get").exists() {
        return Err(
            "no chromium on PATH, and apt-get as root is not available to install it".into(),
        );
    }
    let install = |update: bool| {
        if update {
            let _ = Command::new("apt-get").args(["update", "-qq"]).output();
        }
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "chromium"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !install(false) && !install(true) {
        return Err("apt-get install chromium failed".into());
    }
    find().ok_or_else(|| "chromium was installed but is not on PATH".into())
}

#[test]
fn html_report_renders_in_headless_chromium() {
    let browser = match chromium() {
        Ok(b) => b,
        Err(why) => {
            eprintln!("SKIPPED html_report_renders_in_headless_chromium: {why}");
            return;
        }
    };
    let org = Org::new();
    let page = org.dir.path().join("report.html");
    let out = org.run(&["report", "-f", "html", "-o"], &[page.to_str().unwrap()]);
    assert!(out.status.success());
    let profile = org.dir.path().join("chromium-profile");
    let run = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let log = String::from_utf8_lossy(&run.stderr);
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:#?}");
    let dom = String::from_utf8_lossy(&run.stdout);
    // The DOM after loading: six charts with their shapes, and the injected name as text.
    assert_eq!(dom.matches("<svg ").count(), 6);
    assert!(dom.matches("<rect ").count() > 20);
    assert!(
        !dom.contains("<script"),
        "no script element in the live DOM"
    );
    assert!(!dom.contains("<img"), "no injected element in the live DOM");
    assert!(
        dom.contains("&lt;script&gt;console.error('xss')&lt;/script&gt;"),
        "{dom}"
    );
    assert!(dom.contains("<title>Coding-agent adoption: 2026-05</title>"));
}

#[test]
fn completions_and_man_pages() {
    let bin = assert_cmd::cargo::cargo_bin("agentscan");
    let run = |args: &[&str]| {
        let out = Command::new(&bin).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let bash = run(&["completions", "bash"]);
    assert!(bash.contains("_agentscan()"), "{bash}");
    assert!(bash.contains("--min-authors"));
    assert!(run(&["completions", "zsh"]).starts_with("#compdef agentscan"));
    assert!(run(&["completions", "fish"]).contains("complete -c agentscan"));
    let man = run(&["man"]);
    assert!(man.starts_with(".ie"), "{}", &man[..80]);
    assert!(man.contains(".TH agentscan 1"));
    let dir = tempfile::tempdir().unwrap();
    let listed = run(&["man", "--dir", dir.path().to_str().unwrap()]);
    assert_eq!(listed.lines().count(), 11, "{listed}");
    assert!(listed.contains("agentscan-merge.1") && listed.contains("agentscan-export.1"));
    let scan = std::fs::read_to_string(dir.path().join("agentscan-scan.1")).unwrap();
    assert!(scan.contains("\\-\\-github\\-org"), "{scan}");
    let bad = Command::new(&bin)
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

/// The GitHub Action: every input `action.yml` uses is declared, every `INPUT_*` variable the
/// script reads is passed by `action.yml`, and the script run the way the runner runs it
/// writes the job summary, the reports and the step outputs.
#[test]
fn github_action_scans_and_publishes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let action = std::fs::read_to_string(root.join("action.yml")).unwrap();
    let script = root.join("scripts/action.sh");
    let body = std::fs::read_to_string(&script).unwrap();
    let used = regex::Regex::new(r"\$\{\{ inputs\.([a-z-]+) \}\}").unwrap();
    let mut inputs = 0;
    for name in used.captures_iter(&action).map(|c| c[1].to_string()) {
        assert!(
            action.contains(&format!("\n  {name}:\n")),
            "action.yml uses undeclared input {name}"
        );
        inputs += 1;
    }
    assert!(inputs >= 11, "{inputs}");
    let read = regex::Regex::new(r"\bINPUT_[A-Z_]+").unwrap();
    for var in read.find_iter(&body).map(|m| m.as_str()) {
        assert!(
            action.contains(&format!("{var}: ${{{{ inputs.")),
            "scripts/action.sh reads {var}, which action.yml does not pass"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    build_into("outcomes", &dir.path().join("outcomes"));
    let bin = assert_cmd::cargo::cargo_bin("agentscan");
    let runner = dir.path().join("runner");
    let run = |path: &str, since: &str| {
        Command::new("bash")
            .arg(&script)
            .current_dir(dir.path())
            .env("AGENTSCAN", &bin)
            .env_remove("AGENTSCAN_DB")
            .env("RUNNER_TEMP", &runner)
            .env("GITHUB_STEP_SUMMARY", dir.path().join("summary.md"))
            .env("GITHUB_OUTPUT", dir.path().join("output"))
            .env("INPUT_PATH", path)
            .env("INPUT_SINCE", since)
            .env("INPUT_ANONYMIZE", "true")
            .env("INPUT_MIN_AUTHORS", "1")
            .output()
            .unwrap()
    };
    let out = run("outcomes", "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(summary.starts_with("# Coding-agent adoption"), "{summary}");
    assert!(!summary.contains("Dana"), "anonymized: {summary}");
    let outputs = std::fs::read_to_string(dir.path().join("output")).unwrap();
    let report = runner.join("agentscan-report");
    assert_eq!(
        outputs,
        format!(
            "report-dir={0}\nhtml={0}/agentscan.html\njson={0}/agentscan.json\ndatabase={1}\n",
            report.display(),
            runner.join("agentscan.db").display()
        )
    );
    let html = std::fs::read_to_string(report.join("agentscan.html")).unwrap();
    assert_eq!(html.matches("<svg").count(), 6);
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(report.join("agentscan.json")).unwrap())
            .unwrap();
    assert_eq!(json["totals"]["agent_outcomes"]["commits"], 3);
    assert_eq!(json["totals"]["human_outcomes"]["commits"], 7);
    assert_eq!(json["privacy"]["anonymized"], true);

    // One repository missing: a warning, the report still made for the other.
    let out = run("outcomes missing", "");
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("::warning title=agentscan::some repositories could not be scanned"),
        "{stdout}"
    );
    // A usage error fails the step with the scan's status.
    let out = run("outcomes", "last tuesday");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("::error title=agentscan::"));
}

/// A store written before revert targets were kept (schema 3) is migrated, and the next scan
/// re-evaluates the stored commits and finds the revert again without walking git.
#[test]
fn outcomes_survive_the_migration_that_keeps_revert_targets() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("outcomes");
    build_into("outcomes", &repo);
    let db = dir.path().join("store.db");
    let scan = || {
        let out = Command::new(assert_cmd::cargo::cargo_bin("agentscan"))
            .args([
                "scan",
                "-q",
                "--db",
                db.to_str().unwrap(),
                repo.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let counts = |conn: &rusqlite::Connection| -> (i64, i64, i64) {
        conn.query_row(
            "SELECT count(reverted_by), count(reworked_by), \
             (SELECT count(*) FROM pragma_table_info('commits') WHERE name = 'reverts') FROM commits",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
    };
    scan();
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        assert_eq!(counts(&conn), (1, 2, 1));
        conn.execute_batch(
            "UPDATE commits SET reverted_by = NULL, reworked_by = NULL;
             ALTER TABLE commits DROP COLUMN reverts;
             ALTER TABLE commits DROP COLUMN generated_added;
             ALTER TABLE commits DROP COLUMN generated_deleted;
             ALTER TABLE commits DROP COLUMN familiarity;
             ALTER TABLE pull_requests DROP COLUMN closed_at;
             ALTER TABLE sessions DROP COLUMN files;
             ALTER TABLE repositories DROP COLUMN generated;
             DROP TABLE commit_attestations;
             PRAGMA user_version = 3;",
        )
        .unwrap();
        assert_eq!(counts(&conn), (0, 0, 0));
    }
    let again = scan();
    assert!(again.contains("later reverted"), "{again}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    assert_eq!(counts(&conn), (1, 2, 1));
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, agentscan::store::SCHEMA_VERSION);
}

/// A report made while the last period is still running marks it partial in every format and
/// headlines the last complete period against the one before.
#[test]
fn a_period_the_history_ends_in_is_marked_partial() {
    use agentscan::report::{Bounds, Format, Report, exporter};
    let fx = fixture("claude");
    let mut store = memory_store();
    let outcome = scan_into(&mut store, &options(&[&fx.path]));
    let mid_february = agentscan::period::parse_date_start("2026-02-15").unwrap();
    let build = |scanned_at| {
        Report::build(
            &outcome.aggregate,
            &outcome.repos,
            &agentscan::Registry::builtin(),
            &Bounds {
                scanned_at,
                ..Bounds::default()
            },
        )
    };
    let partial = build(Some(mid_february));
    assert_eq!(partial.partial_period.as_deref(), Some("2026-02"));
    let md = exporter(Format::Markdown).render(&partial);
    assert!(md.starts_with("# Coding-agent adoption: 2026-01"), "{md}");
    assert!(md.contains("## 2026-01 against 2025-12"), "{md}");
    assert!(md.contains("| 2026-02 (partial) |"), "{md}");
    let table = exporter(Format::Table).render(&partial);
    assert!(table.contains("2026-02 (partial)"), "{table}");
    let json: serde_json::Value =
        serde_json::from_str(&exporter(Format::Json).render(&partial)).unwrap();
    assert_eq!(json["partial_period"], "2026-02");
    // Scanned after February: nothing is partial, and February is the headline.
    let whole = build(Some(
        agentscan::period::parse_date_start("2026-03-01").unwrap(),
    ));
    assert_eq!(whole.partial_period, None);
    let md = exporter(Format::Markdown).render(&whole);
    assert!(md.contains("## 2026-02 against 2026-01"), "{md}");
}

/// Lines in generated and vendored files are counted apart from authored lines: in the line
/// share, in JSON beside it, in session sizes; and a commit that is most of a period's authored
/// lines is named.
#[test]
fn generated_lines_are_counted_apart_and_a_dominant_commit_is_named() {
    let fx = fixture("generated");
    let out = Command::new(assert_cmd::cargo::cargo_bin("agentscan"))
        .env("AGENTSCAN_DB", ":memory:")
        .args(["scan", "--stats", "lines", "-f", "json"])
        .arg(&fx.path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let t = &v["totals"];
    assert_eq!(t["agent_lines_added"], 20);
    assert_eq!(t["human_lines_added"], 50);
    assert_eq!(t["line_share"], 0.2857);
    assert_eq!(t["agent_generated_lines_added"], 5350);
    assert_eq!(t["human_generated_lines_added"], 0);
    let bob = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(&fx.path)
        .output()
        .unwrap();
    let bob = String::from_utf8(bob.stdout).unwrap();
    let march = &v["periods"][0];
    assert_eq!(march["dominant_commit"]["id"], bob.trim());
    assert_eq!(march["dominant_commit"]["share"], 0.5714);
    // The agent session's size is its 20 authored lines, not 5,370.
    let study = &v["study"]["periods"][0];
    assert_eq!(study["agent_session_size"]["median_lines"], 20, "{study}");
    // The terminal says both.
    let out = Command::new(assert_cmd::cargo::cargo_bin("agentscan"))
        .env("AGENTSCAN_DB", ":memory:")
        .args(["scan", "--stats", "lines"])
        .arg(&fx.path)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "Generated and vendored files, counted apart: 5350 lines added by agents, 0 by humans."
        ),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "2026-03: commit {} is 57.1% of the authored lines changed.",
            &bob.trim()[..12]
        )),
        "{text}"
    );
}

/// What a repository's own `.gitattributes` marks as generated (`linguist-generated`, `-diff`)
/// counts apart like the built-in list, on the first scan and after a re-evaluation from the
/// store alone.
#[test]
fn gitattributes_marks_count_apart_and_survive_re_evaluation() {
    let fx = fixture("gitattributes");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let lines = |out: std::process::Output| {
        assert!(out.status.success(), "{out:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let t = &v["totals"];
        (
            t["human_lines_added"].as_u64(),
            t["agent_lines_added"].as_u64(),
            t["agent_generated_lines_added"].as_u64(),
        )
    };
    let first = Command::new(assert_cmd::cargo::cargo_bin("agentscan"))
        .args(["scan", "-q", "-f", "json", "--db"])
        .arg(&db)
        .arg(&fx.path)
        .output()
        .unwrap();
    assert_eq!(lines(first), (Some(3), Some(15), Some(450)));
    let again = Command::new(assert_cmd::cargo::cargo_bin("agentscan"))
        .args(["scan", "-q", "--reclassify", "-f", "json", "--db"])
        .arg(&db)
        .arg(&fx.path)
        .output()
        .unwrap();
    assert_eq!(lines(again), (Some(3), Some(15), Some(450)));
    assert_eq!(
        agentscan::classify::generated_in_gitattributes(
            "# comment\n/dist/** linguist-vendored\n*.pb.go linguist-generated\nlib/x.js -diff\n\
             docs/ linguist-documentation\nkeep.txt linguist-generated=false\n"
        ),
        ["dist/**", "**/*.pb.go", "lib/x.js"]
    );
}
