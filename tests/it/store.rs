//! The embedded store: incremental re-scans, rewritten history, interrupted scans,
//! reclassification, schema migration, and databases that must be refused.

use std::path::Path;
use std::process::Command;

use crate::common::*;
use agentscan::signatures::Registry;
use agentscan::store::{Location, Store, StoreError};

fn git(repo: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(repo)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Ann Example")
        .env("GIT_AUTHOR_EMAIL", "ann@example.com")
        .env("GIT_COMMITTER_NAME", "Ann Example")
        .env("GIT_COMMITTER_EMAIL", "ann@example.com")
        .env("GIT_AUTHOR_DATE", "2026-03-01T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-03-01T10:00:00Z")
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

fn file_store(path: &Path) -> Store {
    Store::open(&Location::File(path.to_owned()), true, &|_| {}).unwrap()
}

#[test]
fn a_rescan_reads_only_new_commits() {
    let fx = fixture("claude");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scan.db");
    let opts = options(&[&fx.path]);
    let first = scan_into(&mut file_store(&db), &opts);
    assert_eq!(first.repos[0].new, Some(10));
    assert_eq!(first.repos[0].commits, 10);

    git(
        &fx.path,
        &[
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "Add more\n\nCo-Authored-By: Claude <noreply@anthropic.com>",
        ],
    );
    git(
        &fx.path,
        &["commit", "-q", "--allow-empty", "-m", "Human work"],
    );
    let second = scan_into(&mut file_store(&db), &opts);
    assert_eq!(
        second.repos[0].new,
        Some(2),
        "only the two new commits are read"
    );
    assert_eq!(second.repos[0].commits, 12);
    let r = agentscan::report::Report::build(
        &second.aggregate,
        &second.repos,
        &Registry::builtin(),
        &Default::default(),
    );
    assert_eq!(classes(month(&r, "2026-03")), (1, 1, 0, 0));
    assert_eq!(r.totals.agent_commits, 8);

    // Nothing new: nothing walked, same numbers.
    let third = scan_into(&mut file_store(&db), &opts);
    assert_eq!(third.repos[0].new, Some(0));
    assert_eq!(third.aggregate.total(), second.aggregate.total());
}

#[test]
fn rewritten_history_is_reflected() {
    let fx = fixture("claude");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scan.db");
    let opts = options(&[&fx.path]);
    scan_into(&mut file_store(&db), &opts);
    // Drop the three newest commits (all agent commits of 2026-02) and commit something else.
    git(&fx.path, &["reset", "-q", "--hard", "HEAD~3"]);
    git(
        &fx.path,
        &["commit", "-q", "--allow-empty", "-m", "Rewritten"],
    );
    let mut store = file_store(&db);
    let out = scan_into(&mut store, &opts);
    assert_eq!(out.repos[0].new, Some(1));
    assert_eq!(out.repos[0].commits, 8);
    let total = out.aggregate.total();
    assert_eq!((total.human, total.agent), (4, 4));
    let unreachable: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM commits WHERE reachable = 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unreachable, 3, "rewritten commits are kept but marked");
    let listed = store
        .commits(&agentscan::store::Filter::default(), 100)
        .unwrap();
    assert_eq!(listed.len(), 8);
}

#[test]
fn changed_signatures_reclassify_stored_commits_without_a_walk() {
    let fx = fixture("traps");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scan.db");
    let opts = options(&[&fx.path]);
    let first = scan_into(&mut file_store(&db), &opts);
    assert_eq!(first.aggregate.total().agent, 0);
    let extra = "[[agent]]\nid = \"house-bot\"\nname = \"House\"\ncategory = \"agent\"\n[[agent.signature]]\nkind = \"identity\"\nemail = \"devin@example.org\"\nconfidence = \"high\"\n";
    let registry = Registry::builtin()
        .with_overrides(extra, "house.toml")
        .unwrap();
    let mut store = file_store(&db);
    let out = agentscan::scan::scan(
        &opts,
        &registry,
        &agentscan::classify::Rules::builtin(),
        &mut store,
        None,
        &agentscan::progress::NoProgress,
        &std::sync::atomic::AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(out.reclassified, 8);
    assert_eq!(out.repos[0].new, Some(0), "no commit was read from git");
    assert_eq!(out.aggregate.total().agents, counts(&[("house-bot", 1)]));
    let evidence: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM evidence WHERE agent = 'house-bot'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(evidence, 1);
    // Back to the built-in registry: re-evaluated again.
    let back = scan_into(&mut store, &opts);
    assert_eq!(back.reclassified, 8);
    assert_eq!(back.aggregate.total().agent, 0);
    assert!(
        !store
            .needs_reclassify(
                &Registry::builtin(),
                agentscan::classify::Rules::builtin().digest()
            )
            .unwrap()
    );
}

/// A store whose conclusions came from an earlier detection (another registry digest, as every
/// release that changes how messages are read has) is re-evaluated from its stored messages,
/// without reading git, and the current rules apply (the old conclusions are wiped here, so any
/// agent found was found again).
#[test]
fn conclusions_of_an_older_detection_are_re_evaluated_without_a_walk() {
    let fx = fixture("claude");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scan.db");
    let opts = options(&[&fx.path]);
    let first = scan_into(&mut file_store(&db), &opts);
    let agents = first.aggregate.total().agent;
    {
        let store = file_store(&db);
        store
            .connection()
            .execute_batch(
                "UPDATE commits SET class = 'human', agents = '', role = NULL;
                 DELETE FROM evidence;
                 UPDATE meta SET value = 'an older detection' WHERE key = 'registry_digest';",
            )
            .unwrap();
    }
    let mut store = file_store(&db);
    assert!(
        store
            .needs_reclassify(
                &Registry::builtin(),
                agentscan::classify::Rules::builtin().digest()
            )
            .unwrap()
    );
    let again = scan_into(&mut store, &opts);
    assert_eq!(again.reclassified, first.repos[0].commits);
    assert_eq!(again.repos[0].new, Some(0), "no commit was read from git");
    assert_eq!(again.aggregate.total().agent, agents);
    assert!(agents > 0);
}

#[test]
fn an_older_schema_is_migrated_forward() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(agentscan::store::MIGRATIONS[0]).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA application_id = {}; PRAGMA user_version = 1;",
            agentscan::store::APPLICATION_ID
        ))
        .unwrap();
        conn.execute(
            "INSERT INTO repositories (key, name, path) VALUES ('/r', 'r', '/r')",
            [],
        )
        .unwrap();
    }
    let store = file_store(&db);
    assert_eq!(
        store.schema_version().unwrap(),
        agentscan::store::SCHEMA_VERSION
    );
    assert_eq!(store.repositories(&[]).unwrap()[0].name, "r");
    let tables: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('pull_requests', 'config_files')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 2);
}

#[test]
fn corrupt_foreign_and_newer_databases_are_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"this is not a database, it is a shopping list\n").unwrap();
    let before = std::fs::read(&junk).unwrap();
    let err = Store::open(&Location::File(junk.clone()), true, &|_| {})
        .err()
        .unwrap();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("left untouched"), "{err}");
    assert_eq!(std::fs::read(&junk).unwrap(), before);

    let foreign = dir.path().join("notes.db");
    {
        let conn = rusqlite::Connection::open(&foreign).unwrap();
        conn.execute_batch("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('keep me');")
            .unwrap();
    }
    let before = std::fs::read(&foreign).unwrap();
    let err = Store::open(&Location::File(foreign.clone()), true, &|_| {})
        .err()
        .unwrap();
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
    assert!(
        err.to_string().contains("not an agentscan database"),
        "{err}"
    );
    assert_eq!(std::fs::read(&foreign).unwrap(), before);

    let newer = dir.path().join("newer.db");
    {
        let conn = rusqlite::Connection::open(&newer).unwrap();
        conn.execute_batch(&format!(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT); PRAGMA application_id = {}; PRAGMA user_version = 99;",
            agentscan::store::APPLICATION_ID
        ))
        .unwrap();
    }
    let err = Store::open(&Location::File(newer), true, &|_| {})
        .err()
        .unwrap();
    assert!(matches!(err, StoreError::Newer { found: 99, .. }), "{err}");
}

#[test]
fn a_stats_upgrade_rereads_commits_with_more_detail() {
    let fx = fixture("modes");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scan.db");
    let mut opts = options(&[&fx.path]);
    opts.walk.stats = agentscan::walk::Stats::None;
    let first = scan_into(&mut file_store(&db), &opts);
    assert_eq!(first.aggregate.total().agent_lines_added, 0);
    opts.walk.stats = agentscan::walk::Stats::Lines;
    let second = scan_into(&mut file_store(&db), &opts);
    assert_eq!(second.repos[0].new, Some(10));
    assert_eq!(second.aggregate.total().agent_lines_added, 128);
    let files: i64 = file_store(&db)
        .connection()
        .query_row("SELECT count(*) FROM commit_files", [], |r| r.get(0))
        .unwrap();
    assert_eq!(files, 11);
    // Asking for less detail later reads nothing.
    opts.walk.stats = agentscan::walk::Stats::Paths;
    let third = scan_into(&mut file_store(&db), &opts);
    assert_eq!(third.repos[0].new, Some(0));
}

fn agentscan_bin() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("agentscan"));
    cmd.env_remove("AGENTSCAN_DB");
    cmd
}

fn report_json(db: &Path) -> serde_json::Value {
    let out = agentscan_bin()
        .args(["report", "-f", "json", "--db"])
        .arg(db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_killed_scan_loses_nothing_and_the_next_one_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("big.git");
    let generator = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/gen-repo.sh");
    let status = Command::new("bash")
        .arg(&generator)
        .arg(&repo)
        .arg("20000")
        .arg("400")
        .status()
        .unwrap();
    assert!(status.success());
    let killed_db = dir.path().join("killed.db");
    let clean_db = dir.path().join("clean.db");

    let mut child = agentscan_bin()
        .args(["scan", "--quiet", "--stats", "lines", "-j", "1", "--db"])
        .arg(&killed_db)
        .arg(&repo)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait for the first committed batch, then SIGKILL: no chance to clean up.
    let started = std::time::Instant::now();
    loop {
        let stored = rusqlite::Connection::open_with_flags(
            &killed_db,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .and_then(|c| c.query_row("SELECT count(*) FROM commits", [], |r| r.get::<_, i64>(0)))
        .unwrap_or(0);
        if stored > 0 {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "no batch was written"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let seen_after = started.elapsed();
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "the scan was killed before it finished");
    let conn = rusqlite::Connection::open(&killed_db).unwrap();
    let (stored, running): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM commits), (SELECT count(*) FROM scans WHERE status = 'running')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    drop(conn);
    assert!(
        stored > 0 && stored < 20000,
        "killed mid-scan: {stored} commits stored (the first batch was seen after {seen_after:?}; a scan that ends within one commit interval of the store leaves nothing to resume)"
    );
    assert_eq!(running, 1);

    // The next scan resumes and reads only what is missing.
    let out = agentscan_bin()
        .args(["scan", "-f", "json", "--stats", "lines", "--db"])
        .arg(&killed_db)
        .arg(&repo)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let resumed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        resumed["repositories"][0]["new_commits"].as_i64().unwrap(),
        20000 - stored
    );
    let out = agentscan_bin()
        .args(["scan", "--quiet", "--stats", "lines", "--db"])
        .arg(&clean_db)
        .arg(&repo)
        .output()
        .unwrap();
    assert!(out.status.success());
    let (a, b) = (report_json(&killed_db), report_json(&clean_db));
    assert_eq!(a["totals"], b["totals"]);
    assert_eq!(a["periods"], b["periods"]);
    assert_eq!(a["totals"]["commits"], 20000);
}

#[test]
fn two_scans_on_one_database_wait_for_each_other() {
    let fx = fixture("claude");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scan.db");
    let holder = file_store(&db);
    let mut child = agentscan_bin()
        .args(["scan", "--quiet", "--db"])
        .arg(&db)
        .arg(&fx.path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Release the store once the scan says it waits (not after a fixed delay: a loaded host
    // can take longer than any delay to start the scan), or after 60 s, to fail rather than hang.
    let mut err = child.stderr.take().unwrap();
    let (said, waits) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        use std::io::Read;
        let mut text = Vec::new();
        let mut buf = [0u8; 256];
        while let Ok(n) = err.read(&mut buf) {
            if n == 0 {
                break;
            }
            text.extend_from_slice(&buf[..n]);
            if String::from_utf8_lossy(&text).contains("waiting for it to finish") {
                let _ = said.send(());
            }
        }
        text
    });
    let _ = waits.recv_timeout(std::time::Duration::from_secs(60));
    drop(holder);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(reader.join().unwrap()).unwrap();
    // The waiting scan names the writer it waits for (this test's process holds the store).
    let holder = format!("another agentscan (process {}, since ", std::process::id());
    assert!(stderr.contains(&holder), "{stderr}");
    assert!(
        stderr.contains("is writing to this database; waiting for it to finish"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("10 commits"));
}

/// A writer that holds the store longer than AGENTSCAN_LOCK_WAIT: the scan gives up, names the
/// holder and the way out, and the store is untouched.
#[test]
fn a_scan_gives_up_on_a_store_held_too_long() {
    let fx = fixture("claude");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scan.db");
    let holder = file_store(&db);
    let out = agentscan_bin()
        .env("AGENTSCAN_LOCK_WAIT", "1")
        .args(["scan", "--db"])
        .arg(&db)
        .arg(&fx.path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "gave up after 1s waiting for another agentscan (process {}, since ",
            std::process::id()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("pass another --db"), "{stderr}");
    drop(holder);
    let store = file_store(&db);
    assert!(store.repositories(&[]).unwrap().is_empty());
}

/// A first scan counts its aggregate as it writes, rather than reading back what it stored: the
/// counts must be exactly those the store gives, over every fixture, with and without diffs, over
/// all of history and a range that cuts through it.
#[test]
fn a_first_scan_counts_exactly_what_the_store_holds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("all");
    for name in [
        "agents",
        "aider",
        "bare",
        "bots",
        "claude",
        "copilot",
        "diffs",
        "empty",
        "mailmap",
        "modes",
        "org-codex",
        "org-config",
        "outcomes",
        "shallow",
        "traps",
    ] {
        build_into(name, &root.join(name));
    }
    let day = |s: &str| agentscan::period::parse_date_start(s).unwrap();
    for stats in [agentscan::walk::Stats::None, agentscan::walk::Stats::Lines] {
        for range in [
            agentscan::period::TimeRange::default(),
            agentscan::period::TimeRange {
                since: Some(day("2026-02-15")),
                until: Some(day("2026-06-10")),
            },
        ] {
            let mut opts = options(&[&root]);
            opts.walk.stats = stats;
            opts.range = range;
            let mut store = memory_store();
            let counted = scan_into(&mut store, &opts).aggregate;
            let filter = agentscan::store::Filter {
                repos: counted.repos.keys().cloned().collect(),
                range,
                ..Default::default()
            };
            let mut stored = agentscan::scan::aggregate(&store, &filter, opts.period).unwrap();
            for key in &filter.repos {
                stored.touch(key);
            }
            assert_eq!(counted.repos.len(), 15, "{stats:?} {range:?}");
            for (repo, cells) in &counted.repos {
                assert_eq!(
                    cells.keys().collect::<Vec<_>>(),
                    stored.repos[repo].keys().collect::<Vec<_>>(),
                    "{repo} {stats:?} {range:?}"
                );
                for (label, counts) in cells {
                    assert_eq!(
                        counts, &stored.repos[repo][label],
                        "{repo} {label} {stats:?} {range:?}"
                    );
                }
            }
            assert_eq!(counted.repos, stored.repos, "{stats:?} {range:?}");
            assert_eq!(counted.names, stored.names, "{stats:?} {range:?}");
            // The comparison covers what a first scan counts late: outcomes and sessions.
            let total = counted.total();
            assert!(total.agent_outcome.reverted + total.human_outcome.reverted > 0);
            assert!(total.agent_modes.sessions.total() > 0);
            if stats == agentscan::walk::Stats::Lines {
                assert!(total.agent_outcome.reworked + total.human_outcome.reworked > 0);
            }
        }
    }
}

/// A database this user cannot write: a scan says so and what to do, and a report still reads
/// it. (Run as root, the binary is started as `nobody` so that the permissions bite.)
#[test]
fn a_read_only_database_is_named_and_still_reported() {
    let fx = fixture("claude");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scan.db");
    let out = agentscan_bin()
        .args(["scan", "--quiet", "--db"])
        .arg(&db)
        .arg(&fx.path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    use std::os::unix::fs::PermissionsExt as _;
    let mode = |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m));
    mode(dir.path(), 0o777).unwrap();
    mode(&db, 0o444).unwrap();
    // The lock file the scan left is this user's; the other user makes their own.
    std::fs::remove_file(dir.path().join("scan.db.lock")).unwrap();
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n");
    let as_user = |args: &[&std::ffi::OsStr]| {
        let bin = assert_cmd::cargo::cargo_bin("agentscan");
        let mut cmd = if root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(bin);
            c
        } else {
            Command::new(bin)
        };
        cmd.env_remove("AGENTSCAN_DB").args(args).output().unwrap()
    };
    let out = as_user(&[
        "scan".as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
        "/nonexistent".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the database is read-only") && stderr.contains("pass another --db"),
        "{stderr}"
    );
    let out = as_user(&[
        "report".as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
        "-f".as_ref(),
        "json".as_ref(),
    ]);
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["totals"]["agent_commits"], 7);
}

/// A database in a folder that does not exist yet: a scan makes the folder.
#[test]
fn a_database_in_a_missing_folder_is_made_with_its_folder() {
    let fx = fixture("claude");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("not/yet/here/scan.db");
    let out = agentscan_bin()
        .args(["scan", "--quiet", "--db"])
        .arg(&db)
        .arg(&fx.path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(db.is_file());
    let out = agentscan_bin()
        .args(["report", "--db"])
        .arg(dir.path().join("nowhere/scan.db"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such database"));
}

/// A disk that fills during a scan (a 1 MiB tmpfs in a private mount namespace, and a commit
/// with a 20 MB message): the scan stops with a message saying so, and the repository written
/// before it is kept whole.
#[test]
fn a_full_disk_stops_the_scan_and_keeps_what_was_written() {
    let small = fixture("hostile/dangling-refs");
    let big = fixture("hostile/big-message");
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("agentscan");
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n");
    // Everything runs inside the namespace, where the small disk is mounted.
    let script = format!(
        "mount -t tmpfs -o size=1m tmpfs '{disk}' || exit 99
         '{bin}' scan --quiet --db '{disk}/a.db' '{small}' '{big}'
         echo \"exit $?\" >&2
         '{bin}' report --db '{disk}/a.db' -f json",
        disk = disk.display(),
        bin = bin.display(),
        small = small.path.display(),
        big = big.path.display(),
    );
    let out = Command::new("unshare")
        .arg(if root { "-m" } else { "-rm" })
        .args(["sh", "-c", &script])
        .env_remove("AGENTSCAN_DB")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("the disk is full"), "{stderr}");
    assert!(stderr.contains("exit 2"), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["totals"]["agent_commits"], 1);
    assert_eq!(v["totals"]["human_commits"], 1);
}
