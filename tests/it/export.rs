//! Exports read by the engines they are for: the Parquet files by the parquet crate's own reader
//! (types and row counts) and by real DuckDB, which must find the agent share per month the JSON
//! report gives, from Parquet (whole and partitioned by month), NDJSON and CSV alike.

use std::path::Path;
use std::process::Command as Process;

use crate::common::*;
use assert_cmd::Command;
use predicates::prelude::*;

fn agentscan() -> Command {
    Command::cargo_bin("agentscan").unwrap()
}

struct Scanned {
    dir: tempfile::TempDir,
    db: std::path::PathBuf,
    report: serde_json::Value,
}

fn scanned() -> Scanned {
    let dir = tempfile::tempdir().unwrap();
    let org = dir.path().join("org");
    for name in [
        "agents", "aider", "bots", "claude", "copilot", "outcomes", "traps",
    ] {
        build_into(name, &org.join(name));
    }
    let db = dir.path().join("store.db");
    agentscan()
        .arg("scan")
        .arg(&org)
        .arg("--db")
        .arg(&db)
        .args(["-q", "-o", "/dev/null"])
        .assert()
        .success();
    let out = agentscan()
        .args(["report", "-f", "json", "--db"])
        .arg(&db)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    Scanned {
        dir,
        db,
        report: serde_json::from_slice(&out).unwrap(),
    }
}

fn export(s: &Scanned, name: &str, args: &[&str]) -> std::path::PathBuf {
    let out = s.dir.path().join(name);
    agentscan()
        .arg("export")
        .arg("--db")
        .arg(&s.db)
        .arg("-o")
        .arg(&out)
        .args(args)
        .assert()
        .success()
        .stderr(predicate::str::contains("commits: "));
    out
}

/// The (period, agent commits, agent share) rows of the JSON report.
fn report_shares(report: &serde_json::Value) -> Vec<(String, u64, f64)> {
    report["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["period"].as_str().unwrap().to_owned(),
                p["agent_commits"].as_u64().unwrap(),
                p["commit_share"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn stored_count(db: &Path, sql: &str) -> usize {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap() as usize
}

#[test]
fn parquet_columns_are_typed_and_every_row_is_written() {
    use arrow_schema::{DataType, TimeUnit};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let s = scanned();
    let whole = export(&s, "pq", &[]);
    let read = |path: &Path| {
        let file = std::fs::File::open(path).unwrap();
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        let schema = builder.schema().clone();
        let rows: usize = builder
            .build()
            .unwrap()
            .map(|b| b.unwrap().num_rows())
            .sum();
        (schema, rows)
    };
    let (schema, rows) = read(&whole.join("commits.parquet"));
    assert_eq!(rows, stored_count(&s.db, "SELECT count(*) FROM commits"));
    let ty = |name: &str| schema.field_with_name(name).unwrap().data_type().clone();
    assert_eq!(
        ty("author_time"),
        DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()))
    );
    assert_eq!(ty("is_merge"), DataType::Boolean);
    assert!(
        matches!(ty("agents"), DataType::List(_)),
        "{:?}",
        ty("agents")
    );
    assert!(matches!(ty("parents"), DataType::List(_)));
    assert_eq!(ty("lines_added"), DataType::Int64);
    assert_eq!(ty("message"), DataType::Utf8);
    assert!(schema.field_with_name("rowid").is_err());
    for (table, sql) in [
        ("files", "SELECT count(*) FROM commit_files"),
        ("evidence", "SELECT count(*) FROM evidence"),
        ("sessions", "SELECT count(*) FROM sessions"),
        ("repositories", "SELECT count(*) FROM repositories"),
        ("config_files", "SELECT count(*) FROM config_files"),
        ("pull_requests", "SELECT count(*) FROM pull_requests"),
    ] {
        let (_, rows) = read(&whole.join(format!("{table}.parquet")));
        assert_eq!(rows, stored_count(&s.db, sql), "{table}");
    }
    // By month: one folder per month of the report, the same rows in all.
    let by_month = export(&s, "pqm", &["--partition", "month"]);
    let mut months: Vec<String> = std::fs::read_dir(by_month.join("commits"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    months.sort();
    let mut expected: Vec<String> = report_shares(&s.report)
        .into_iter()
        .map(|(p, _, _)| format!("month={p}"))
        .collect();
    // The report leaves out months with merges only; the export keeps every commit.
    expected.sort();
    assert!(
        expected.iter().all(|m| months.contains(m)),
        "{months:?} {expected:?}"
    );
    let total: usize = months
        .iter()
        .map(|m| read(&by_month.join("commits").join(m).join("part-0.parquet")).1)
        .sum();
    assert_eq!(total, rows);
    // The text formats: a header with the store's column names, a line per row.
    let csv_dir = export(&s, "csv", &["-f", "csv"]);
    let text = std::fs::read_to_string(csv_dir.join("sessions.csv")).unwrap();
    assert_eq!(
        text.lines().next(),
        Some("repo_id,id,start,end,commits,agents,mode,lines,files")
    );
    let nd = export(&s, "nd", &["-f", "ndjson"]);
    let lines = std::fs::read_to_string(nd.join("commits.ndjson")).unwrap();
    assert_eq!(lines.lines().count(), rows);
    let first: serde_json::Value = serde_json::from_str(lines.lines().next().unwrap()).unwrap();
    assert!(first["author_time"].as_str().unwrap().ends_with('Z'));
    assert!(first["agents"].is_array() && first["is_merge"].is_boolean());
}

/// An export never writes into a folder that holds something, and leaves nothing behind when it
/// is refused.
#[test]
fn an_export_is_refused_a_folder_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let fx = dir.path().join("claude");
    build_into("claude", &fx);
    let db = dir.path().join("s.db");
    agentscan()
        .arg("scan")
        .arg(&fx)
        .arg("--db")
        .arg(&db)
        .args(["-q", "-o", "/dev/null"])
        .assert()
        .success();
    let out = dir.path().join("used");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "mine").unwrap();
    agentscan()
        .args(["export", "--db"])
        .arg(&db)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not empty"));
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).unwrap(),
        "mine"
    );
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

/// What DuckDB finds in each export: the agent share per month, as the README's query asks it.
const DUCKDB_QUERY: &str = r#"
import json, sys, duckdb
out = {}
for name, source in json.loads(sys.argv[1]).items():
    rows = duckdb.sql(f"""
        SELECT strftime(author_time::TIMESTAMPTZ AT TIME ZONE 'UTC', '%Y-%m') AS period,
               count(*) FILTER (WHERE class = 'agent') AS agent_commits,
               round(count(*) FILTER (WHERE class = 'agent')
                     / count(*) FILTER (WHERE class IN ('agent', 'human')), 4) AS agent_share
        FROM {source}
        WHERE reachable AND NOT is_merge
        GROUP BY 1 ORDER BY 1""").fetchall()
    out[name] = rows
print(json.dumps(out))
"#;

#[test]
fn duckdb_reads_the_agent_share_per_month_the_report_gives() {
    let has_duckdb = Process::new("python3")
        .args(["-c", "import duckdb"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_duckdb {
        eprintln!(
            "SKIPPED: DuckDB's Python package is not installed (`python3 -m pip install duckdb`; .ci/run installs it)"
        );
        return;
    }
    let s = scanned();
    let pq = export(&s, "pq", &[]);
    let pqm = export(&s, "pqm", &["--partition", "month"]);
    let nd = export(&s, "nd", &["-f", "ndjson"]);
    let csv = export(&s, "csv", &["-f", "csv"]);
    let sources = serde_json::json!({
        "parquet": format!("read_parquet('{}')", pq.join("commits.parquet").display()),
        "parquet by month": format!(
            "read_parquet('{}', hive_partitioning = true)",
            pqm.join("commits").join("*").join("*.parquet").display()
        ),
        "ndjson": format!("read_json_auto('{}')", nd.join("commits.ndjson").display()),
        "csv": format!("read_csv_auto('{}')", csv.join("commits.csv").display()),
    });
    let out = Process::new("python3")
        .args(["-c", DUCKDB_QUERY, &sources.to_string()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let expected = report_shares(&s.report);
    assert!(expected.len() >= 6, "{expected:?}");
    for (name, rows) in found.as_object().unwrap() {
        let rows: Vec<(String, u64, f64)> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r[0].as_str().unwrap().to_owned(),
                    r[1].as_u64().unwrap(),
                    r[2].as_f64().unwrap(),
                )
            })
            .collect();
        assert_eq!(rows, expected, "{name}");
    }
}
