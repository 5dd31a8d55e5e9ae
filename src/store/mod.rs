//! The embedded store: every scanned commit in SQLite, so re-scans read only new commits and any
//! report can be re-made without touching git.
//!
//! One database holds many repositories. Each commit row keeps the raw fields the walk read
//! (identities, dates, parents, message bytes, changed files) next to what detection and
//! classification made of them, so a new signature registry or rule set re-evaluates stored commits
//! without walking git again. Writes go in one transaction per batch; a scan that is killed loses
//! nothing it committed, and its commits count as incomplete (their scan never finished) until a
//! later scan has walked their whole ancestry. The schema is versioned (`PRAGMA user_version`), stamped with an application id
//! so a foreign SQLite file is never mistaken for (or overwritten as) a store, and migrated forward
//! on open. It is a public contract: users query it with `sqlite3` or DuckDB, so names are stable.
//!
//! The store only stores: it reads and writes rows and knows no stage. Detection, classification,
//! session grouping and outcome proxies are computed by the pipeline ([`scan`](mod@crate::scan)), which
//! hands the store what to keep.

mod commit;
mod derived;
mod evaluate;
mod merge;
mod open;
mod read;
mod repos;
mod schema;
mod sessions;
mod write;

pub use crate::model::{CommitRow, ConfigRow, RawCommit};
pub use commit::StoredCommit;
pub use merge::{Merged, Stamps};
pub use schema::{APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION};
pub use sessions::WorkCommit;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use bstr::ByteSlice;
use gix::ObjectId;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::facts::{CommitFacts, FactsRef, List};
use crate::model::KnownCommits;
use crate::model::{
    CommitClass, CommitRecord, Evidence, FileChange, FileStatus, Grouped, Mode, Person, Session,
    Stats,
};
use crate::period::TimeRange;
use crate::signatures::{Registry, Role};

/// One row of `commit_attestations`; every writer goes through [`insert_attestation`].
const INSERT_ATTESTATION: &str = "INSERT INTO commit_attestations (repo_id, commit_id, source,
    tool, model) VALUES (?1, ?2, ?3, ?4, ?5)";

fn insert_attestation(
    stmt: &mut rusqlite::Statement<'_>,
    repo_id: i64,
    commit_id: &str,
    a: &crate::attest::Attestation,
) -> rusqlite::Result<usize> {
    stmt.execute(params![
        repo_id,
        commit_id,
        a.source.as_str(),
        a.tool,
        a.model
    ])
}

/// One row of `evidence`; every writer goes through [`insert_evidence`].
const INSERT_EVIDENCE: &str = "INSERT INTO evidence (repo_id, commit_id, agent, category, kind,
    confidence, location, text, model, session) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

/// Store one piece of a commit's evidence with a statement prepared from [`INSERT_EVIDENCE`].
fn insert_evidence(
    stmt: &mut rusqlite::Statement<'_>,
    repo_id: i64,
    commit: &str,
    e: &crate::model::Evidence,
) -> rusqlite::Result<usize> {
    stmt.execute(params![
        repo_id,
        commit,
        e.agent,
        e.category.as_str(),
        e.kind.as_str(),
        e.confidence.as_str(),
        e.location,
        e.text,
        e.model,
        e.session
    ])
}

/// How long [`Store::write_batch`] keeps adding batches to one transaction: what a killed scan
/// can lose, and what the next scan reads again.
pub const COMMIT_INTERVAL: std::time::Duration = std::time::Duration::from_millis(500);

/// Where the database lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// In memory: nothing is kept after the run.
    Memory,
    /// A file.
    File(PathBuf),
}

impl Location {
    /// `--db` if given, else `AGENTSCAN_DB`, else the user's cache folder.
    pub fn resolve(flag: Option<&str>, env: Option<&str>) -> Result<Self, StoreError> {
        match flag.or(env).filter(|s| !s.is_empty()) {
            Some(":memory:") => Ok(Location::Memory),
            Some(p) => Ok(Location::File(PathBuf::from(p))),
            None => match dirs::cache_dir() {
                Some(dir) => Ok(Location::File(dir.join("agentscan").join("agentscan.db"))),
                None => Err(StoreError::NoCacheDir),
            },
        }
    }

    /// How to name it in messages.
    pub fn display(&self) -> String {
        match self {
            Location::Memory => ":memory:".to_owned(),
            Location::File(p) => p.display().to_string(),
        }
    }
}

/// Why the store could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No cache folder is known for this user.
    #[error("no cache folder is known for this user: pass --db FILE or set AGENTSCAN_DB")]
    NoCacheDir,
    /// The file or its folder could not be created or opened.
    #[error("{path}: cannot open the database: {message}")]
    Open { path: String, message: String },
    /// The file is SQLite but not an agentscan store.
    #[error(
        "{path}: not an agentscan database ({what}); it was left untouched: pass another file with --db"
    )]
    Foreign { path: String, what: String },
    /// The file is damaged or not SQLite at all.
    #[error(
        "{path}: the database is damaged or is not a database ({message}); it was left untouched: move it away or pass another file with --db"
    )]
    Corrupt { path: String, message: String },
    /// Written by a newer agentscan.
    #[error(
        "{path}: written by a newer agentscan (schema {found}; this one knows up to {known}): upgrade agentscan or pass another --db"
    )]
    Newer {
        path: String,
        found: i64,
        known: i64,
    },
    /// The disk is full or the file is read-only: nothing more can be written.
    #[error("{path}: {message}")]
    Unwritable { path: String, message: String },
    /// Another process holds the write lock and the wait was given up.
    #[error("{path}: {message}")]
    Locked { path: String, message: String },
    /// Any other SQLite failure, with what was being done.
    #[error("{path}: {doing}: {message}")]
    Sql {
        path: String,
        doing: &'static str,
        message: String,
    },
}

/// A repository as the store knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRepo {
    /// Row id.
    pub id: i64,
    /// Identity: canonical path or remote URL.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Path scanned last.
    pub path: String,
    /// `ok`, `empty`, `partial` or `failed`.
    pub status: String,
    /// Why it failed or is partial.
    pub message: Option<String>,
    /// Tips of the last complete scan.
    pub tips: Vec<ObjectId>,
    /// Stats level of the last complete scan.
    pub stats: Stats,
    /// Reachable commits stored.
    pub commits: u64,
    /// What its `.gitattributes` marks as generated or vendored, as globs.
    pub generated: Vec<String>,
}

/// Which commits a report or listing reads.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Repository names or keys; empty means all.
    pub repos: Vec<String>,
    /// Author-time range.
    pub range: TimeRange,
    /// Keep agent commits of this agent only (and every non-agent commit).
    pub agent: Option<String>,
    /// Only commits of this mode.
    pub mode: Option<Mode>,
    /// Only commits of this class.
    pub class: Option<CommitClass>,
    /// List merge commits too (they never count in shares).
    pub merges: bool,
}

/// How a repository's scan ended, as [`Store::finish_scan`] records it.
#[derive(Debug)]
pub struct ScanEnd<'a> {
    /// The scan, from [`Store::begin_scan`].
    pub scan_id: i64,
    /// `ok`, `empty` or `partial`.
    pub status: &'a str,
    /// What is partial, if anything.
    pub message: Option<&'a str>,
    /// How much of each diff was read.
    pub stats: Stats,
    /// The tips walked.
    pub tips: &'a [ObjectId],
    /// Commits read from git.
    pub new: u64,
    /// Stored commits passed over.
    pub known: u64,
    /// Whether the walk proves every previously reachable commit still reachable (the old tips
    /// are among the new tips or the stored commits the walk stopped at, and nothing stored is
    /// partial): then reachability needs no recomputation.
    pub fast_forward: bool,
    /// Whether the store held no commit of the repository before this scan: then every stored
    /// commit of it is one this scan read, and reachable, and nothing needs counting.
    pub first: bool,
}

/// What finishing a repository's scan found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FinishSummary {
    /// Commits reachable from the tips.
    pub reachable: u64,
    /// Stored commits no longer reachable (rewritten or deleted history).
    pub unreachable: u64,
}

/// A reachable commit as the outcome proxies read it.
#[derive(Debug, Clone)]
pub struct OutcomeSubject {
    pub id: String,
    pub time: i64,
    pub is_merge: bool,
    pub is_fix: bool,
    /// The (reverted by, reworked by, familiarity) stored now.
    pub stored: (Option<String>, Option<String>, Option<u32>),
    /// The person behind it (`actor`).
    pub actor: String,
    /// The ids its message says it reverts, space-separated.
    pub reverts: Option<String>,
    /// Its changed paths.
    pub paths: Vec<String>,
}

/// An open store.
pub struct Store {
    conn: Connection,
    name: String,
    _lock: Option<std::fs::File>,
    /// When the transaction that [`Store::write_batch`] keeps open began, if one is open.
    batches_since: Option<std::time::Instant>,
}

fn join(list: &[String]) -> String {
    list.join(",")
}

fn split(s: &str) -> Vec<String> {
    if s.is_empty() {
        Vec::new()
    } else {
        s.split(',').map(str::to_owned).collect()
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn oids(s: &str) -> Vec<ObjectId> {
    s.split_whitespace()
        .filter_map(|h| ObjectId::from_hex(h.as_bytes()).ok())
        .collect()
}

fn parent_list(ids: &[crate::model::Oid]) -> String {
    ids.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

fn oid_list(ids: &[ObjectId]) -> String {
    ids.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An evidence record back from its stored JSON.
fn evidence_from_json(v: serde_json::Value) -> Option<crate::model::Evidence> {
    use crate::signatures::{Category, Confidence, EvidenceKind};
    let text = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
    Some(crate::model::Evidence {
        agent: text("agent")?,
        category: serde_json::from_value::<Category>(v.get("category")?.clone()).ok()?,
        kind: serde_json::from_value::<EvidenceKind>(v.get("kind")?.clone()).ok()?,
        confidence: serde_json::from_value::<Confidence>(v.get("confidence")?.clone()).ok()?,
        location: text("location").unwrap_or_default(),
        text: text("text").unwrap_or_default(),
        model: text("model"),
        session: text("session"),
        signature_line: 0,
    })
}

/// The mode decision as stored: the type, the shares and the ids of the rules that fired (their
/// reasons are in the rules file, and `agentscan explain` shows them in full).
/// A stored pull request, as reports count it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRow {
    /// Repository key.
    pub repo: String,
    /// When it was merged, if it was.
    pub merged_at: Option<i64>,
    /// When it was closed, merged or not (its last update for rows stored without it).
    pub closed_at: i64,
    /// When it was opened.
    pub created_at: i64,
    /// Agents with high or medium confidence.
    pub agents: Vec<String>,
}

/// Whether a commit of this class, mode and agents passes the class, mode and agent filters.
fn keep(class: CommitClass, mode: Mode, agents: &[String], filter: &Filter) -> bool {
    if filter.class.is_some_and(|c| c != class) || filter.mode.is_some_and(|m| m != mode) {
        return false;
    }
    match &filter.agent {
        // Agent commits of other agents leave the picture; everything else stays, so that the
        // share is this agent's commits over this agent's and the humans'.
        Some(a) => class != CommitClass::Agent || agents.contains(a),
        None => true,
    }
}
