//! Export: the store's tables as files the engines people already run read — Parquet for DuckDB,
//! Spark and BigQuery; NDJSON and CSV for the rest — so that studies past one machine need no
//! SQLite reader.
//!
//! One file per table (commits, files, evidence, sessions, pull requests, repositories,
//! configuration files), with the SQLite schema's column names and meanings, typed: times as UTC
//! timestamps, flags as booleans, lists (agents, models, parents, labels…) as lists. With
//! `--partition month`, tables with a time are split by month in the Hive layout
//! (`commits/month=2026-01/part-0.parquet`), which every engine reads as a `month` column.
//! The export is written beside its destination and moved into place when complete.

mod sinks;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::types::ValueRef;

use crate::store::Store;
use sinks::{Sink, open_sink};

/// The file formats of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Apache Parquet, Snappy-compressed, typed columns (DuckDB, Spark, BigQuery, pandas).
    Parquet,
    /// One JSON object per line; times as RFC 3339 strings, lists as arrays.
    Ndjson,
    /// CSV with a header; times as RFC 3339, lists as JSON arrays.
    Csv,
}

impl ExportFormat {
    fn extension(self) -> &'static str {
        match self {
            ExportFormat::Parquet => "parquet",
            ExportFormat::Ndjson => "ndjson",
            ExportFormat::Csv => "csv",
        }
    }
}

/// How an export's tables are split into files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Partition {
    /// One file per table.
    #[default]
    None,
    /// Tables with a time split by its month (UTC), Hive layout.
    Month,
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
    #[error("reading {table} from the store: {message}")]
    Read {
        table: &'static str,
        message: String,
    },
    #[error("{path}: writing Parquet: {message}")]
    Parquet { path: PathBuf, message: String },
}

/// What one exported table holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedTable {
    pub table: &'static str,
    pub rows: u64,
    pub files: u64,
}

/// The type of an exported column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Real,
    Text,
    Bool,
    /// Seconds since the epoch, exported as a UTC timestamp.
    Time,
    /// Text holding a list, split at the character.
    List(char),
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bool(bool),
    Time(i64),
    List(Vec<String>),
}

#[derive(Debug, Clone)]
struct Column {
    name: String,
    kind: Kind,
}

/// An exported table: its name, the query that reads it (its columns, then `__t`: the time it
/// is partitioned by, or NULL) and whether it has a time.
struct Table {
    name: &'static str,
    query: &'static str,
    timed: bool,
}

const TABLES: [Table; 7] = [
    Table {
        name: "commits",
        query: "SELECT c.*, m.message AS message, c.author_time AS __t
                FROM commits c LEFT JOIN commit_messages m ON m.rowid = c.rowid",
        timed: true,
    },
    Table {
        name: "files",
        query: "SELECT f.*, c.author_time AS __t FROM commit_files f
                LEFT JOIN commits c ON c.repo_id = f.repo_id AND c.id = f.commit_id",
        timed: true,
    },
    Table {
        name: "evidence",
        query: "SELECT e.*, c.author_time AS __t FROM evidence e
                LEFT JOIN commits c ON c.repo_id = e.repo_id AND c.id = e.commit_id",
        timed: true,
    },
    Table {
        name: "sessions",
        query: "SELECT s.*, s.start AS __t FROM sessions s",
        timed: true,
    },
    Table {
        name: "pull_requests",
        query: "SELECT p.*, p.created_at AS __t FROM pull_requests p",
        timed: true,
    },
    Table {
        name: "repositories",
        query: "SELECT r.*, NULL AS __t FROM repositories r",
        timed: false,
    },
    Table {
        name: "config_files",
        query: "SELECT x.*, NULL AS __t FROM config_files x",
        timed: false,
    },
];

/// Columns not exported: internal row keys.
const HIDDEN: [&str; 1] = ["rowid"];

/// The type of a column by its name where the SQLite type says less than its meaning.
fn kind_of(name: &str, declared: Option<&str>) -> Kind {
    match name {
        "author_time" | "committer_time" | "start" | "end" | "created_at" | "merged_at"
        | "updated_at" | "first_seen" => Kind::Time,
        "is_merge" | "has_lines" | "reachable" | "binary" => Kind::Bool,
        "parents" | "tips" | "reverts" => Kind::List(' '),
        "agents" | "models" | "review_bots" | "bots" | "weak_agents" | "labels" => Kind::List(','),
        _ => match declared.map(str::to_ascii_uppercase).as_deref() {
            Some("INTEGER") => Kind::Int,
            Some("REAL") => Kind::Real,
            _ => Kind::Text,
        },
    }
}

/// The partition of rows without a time, as Hive names it.
const NO_MONTH: &str = "__HIVE_DEFAULT_PARTITION__";

/// Rows read from the store and written at once.
const BATCH: usize = 8192;

/// Export every table of `store` into the folder `output` (which must not exist or be empty).
pub fn export(
    store: &Store,
    output: &Path,
    format: ExportFormat,
    partition: Partition,
) -> Result<Vec<ExportedTable>, ExportError> {
    let io = |path: &Path, e: std::io::Error| ExportError::Io {
        path: path.to_owned(),
        message: e.to_string(),
    };
    if output.exists() {
        let mut entries = std::fs::read_dir(output).map_err(|e| io(output, e))?;
        if entries.next().is_some() {
            return Err(ExportError::Io {
                path: output.to_owned(),
                message: "not empty: export into a new folder (or remove this one first)".into(),
            });
        }
    }
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let partial = output.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&partial);
    std::fs::create_dir_all(&partial).map_err(|e| ExportError::Io {
        path: output.to_owned(),
        message: format!(
            "cannot write here (the export is made in {} first): {e}",
            partial.display()
        ),
    })?;
    let result = TABLES
        .iter()
        .map(|t| export_table(store, t, &partial, format, partition))
        .collect::<Result<Vec<_>, _>>();
    match result {
        Ok(tables) => {
            if output.exists() {
                std::fs::remove_dir(output).map_err(|e| io(output, e))?;
            }
            std::fs::rename(&partial, output).map_err(|e| {
                let _ = std::fs::remove_dir_all(&partial);
                io(output, e)
            })?;
            Ok(tables)
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&partial);
            Err(e)
        }
    }
}

fn export_table(
    store: &Store,
    table: &Table,
    dir: &Path,
    format: ExportFormat,
    partition: Partition,
) -> Result<ExportedTable, ExportError> {
    let read = |e: rusqlite::Error| ExportError::Read {
        table: table.name,
        message: e.to_string(),
    };
    let conn = store.connection();
    let by_month = partition == Partition::Month && table.timed;
    let sql = if by_month {
        format!("{} ORDER BY __t", table.query)
    } else {
        table.query.to_owned()
    };
    let mut stmt = conn.prepare(&sql).map_err(read)?;
    let mut columns: Vec<(usize, Column)> = Vec::new();
    let mut time_index = 0;
    let described: Vec<(String, Option<String>)> = stmt
        .columns()
        .map(|c| (c.name().to_owned(), c.decl_type().map(str::to_owned)))
        .collect();
    for (i, (name, declared)) in described.into_iter().enumerate() {
        if name == "__t" {
            time_index = i;
            continue;
        }
        if HIDDEN.contains(&name.as_str()) {
            continue;
        }
        let kind = kind_of(&name, declared.as_deref());
        columns.push((i, Column { name, kind }));
    }
    let schema: Vec<Column> = columns.iter().map(|(_, c)| c.clone()).collect();
    let mut rows = stmt.query([]).map_err(read)?;
    let mut batch: Vec<Vec<Cell>> = Vec::with_capacity(BATCH);
    let mut sinks: HashMap<String, Box<dyn Sink>> = HashMap::new();
    let mut current: Option<String> = None;
    let mut total = 0u64;
    let path_for = |month: Option<&str>| -> PathBuf {
        match month {
            None => dir.join(format!("{}.{}", table.name, format.extension())),
            Some(m) => dir
                .join(table.name)
                .join(format!("month={m}"))
                .join(format!("part-0.{}", format.extension())),
        }
    };
    let flush = |key: &Option<String>,
                 batch: &mut Vec<Vec<Cell>>,
                 sinks: &mut HashMap<String, Box<dyn Sink>>|
     -> Result<(), ExportError> {
        let k = key.clone().unwrap_or_default();
        let sink = match sinks.entry(k) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let path = path_for(key.as_deref());
                e.insert(open_sink(format, &path, &schema)?)
            }
        };
        sink.write(batch)?;
        batch.clear();
        Ok(())
    };
    while let Some(row) = rows.next().map_err(read)? {
        let month = if by_month {
            Some(match row.get_ref(time_index).map_err(read)? {
                ValueRef::Integer(t) => month_of(t),
                _ => NO_MONTH.to_owned(),
            })
        } else {
            None
        };
        if month != current && !batch.is_empty() {
            flush(&current, &mut batch, &mut sinks)?;
        }
        current = month;
        let mut cells = Vec::with_capacity(columns.len());
        for (i, c) in &columns {
            cells.push(cell(row.get_ref(*i).map_err(read)?, c.kind));
        }
        batch.push(cells);
        total += 1;
        if batch.len() >= BATCH {
            flush(&current, &mut batch, &mut sinks)?;
        }
    }
    if !batch.is_empty() || sinks.is_empty() {
        // An empty table still gets its file, with its columns.
        flush(&current, &mut batch, &mut sinks)?;
    }
    let files = sinks.len() as u64;
    for (_, sink) in sinks {
        sink.finish()?;
    }
    Ok(ExportedTable {
        table: table.name,
        rows: total,
        files,
    })
}

fn month_of(t: i64) -> String {
    jiff::Timestamp::from_second(t)
        .map(|ts| ts.strftime("%Y-%m").to_string())
        .unwrap_or_else(|_| NO_MONTH.to_owned())
}

fn cell(value: ValueRef<'_>, kind: Kind) -> Cell {
    let text = |v: ValueRef<'_>| match v {
        ValueRef::Text(t) | ValueRef::Blob(t) => Some(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(r) => Some(r.to_string()),
        ValueRef::Null => None,
    };
    match (kind, value) {
        (_, ValueRef::Null) => Cell::Null,
        (Kind::Int, ValueRef::Integer(i)) => Cell::Int(i),
        (Kind::Real, ValueRef::Real(r)) => Cell::Real(r),
        (Kind::Real, ValueRef::Integer(i)) => Cell::Real(i as f64),
        (Kind::Bool, ValueRef::Integer(i)) => Cell::Bool(i != 0),
        (Kind::Time, ValueRef::Integer(i)) => Cell::Time(i),
        (Kind::List(sep), v) => {
            let t = text(v).unwrap_or_default();
            Cell::List(if t.is_empty() {
                Vec::new()
            } else {
                t.split(sep).map(str::to_owned).collect()
            })
        }
        (_, v) => text(v).map_or(Cell::Null, Cell::Text),
    }
}
