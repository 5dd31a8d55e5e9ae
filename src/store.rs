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

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use bstr::ByteSlice;
use gix::ObjectId;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::classify::{Mode, ModeDecision, Rules, classify};
use crate::detect::{CommitClass, Detection, detect};
use crate::facts::{CommitFacts, FactsRef, List};
use crate::period::TimeRange;
use crate::session::Session;
use crate::signatures::{Registry, Role};
use crate::walk::{CommitRecord, FileChange, FileStatus, KnownCommits, Person, Stats};

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 5;

/// `PRAGMA application_id` of an agentscan store ("AGSC").
pub const APPLICATION_ID: i32 = 0x4147_5343;

/// Schema migrations: entry `n` takes a database from version `n` to `n + 1`.
pub const MIGRATIONS: [&str; 5] = [
    // 1: the store.
    r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE repositories (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    path        TEXT NOT NULL,
    remote_url  TEXT,
    status      TEXT NOT NULL DEFAULT 'ok',
    message     TEXT,
    tips        TEXT NOT NULL DEFAULT '',
    stats       TEXT NOT NULL DEFAULT 'none',
    commits     INTEGER NOT NULL DEFAULT 0,
    last_scan   INTEGER
);
CREATE TABLE scans (
    id                INTEGER PRIMARY KEY,
    repo_id           INTEGER NOT NULL REFERENCES repositories(id),
    started_at        INTEGER NOT NULL,
    finished_at       INTEGER,
    status            TEXT NOT NULL,
    stats             TEXT NOT NULL,
    tips              TEXT NOT NULL,
    new_commits       INTEGER NOT NULL DEFAULT 0,
    known_commits     INTEGER NOT NULL DEFAULT 0,
    agentscan_version TEXT NOT NULL
);
CREATE TABLE commits (
    rowid            INTEGER PRIMARY KEY,
    repo_id          INTEGER NOT NULL REFERENCES repositories(id),
    id               TEXT NOT NULL,
    tree             TEXT NOT NULL,
    parents          TEXT NOT NULL,
    author_name      TEXT NOT NULL,
    author_email     TEXT NOT NULL,
    author_time      INTEGER NOT NULL,
    author_offset    INTEGER NOT NULL,
    committer_name   TEXT NOT NULL,
    committer_email  TEXT NOT NULL,
    committer_time   INTEGER NOT NULL,
    committer_offset INTEGER NOT NULL,
    stats            TEXT NOT NULL,
    is_merge         INTEGER NOT NULL,
    class            TEXT NOT NULL,
    role             TEXT,
    agents           TEXT NOT NULL,
    models           TEXT NOT NULL,
    review_bots      TEXT NOT NULL,
    bots             TEXT NOT NULL,
    weak_agents      TEXT NOT NULL,
    human            TEXT,
    actor            TEXT NOT NULL,
    session_hint     TEXT,
    mode             TEXT NOT NULL,
    mode_evidence    TEXT NOT NULL,
    lines_added      INTEGER NOT NULL,
    lines_deleted    INTEGER NOT NULL,
    has_lines        INTEGER NOT NULL,
    reachable        INTEGER NOT NULL DEFAULT 1,
    scan_id          INTEGER NOT NULL,
    UNIQUE (repo_id, id)
);
CREATE TABLE commit_messages (
    rowid    INTEGER PRIMARY KEY REFERENCES commits(rowid),
    message  BLOB NOT NULL
);
CREATE TABLE commit_files (
    repo_id       INTEGER NOT NULL,
    commit_id     TEXT NOT NULL,
    path          TEXT NOT NULL,
    old_path      TEXT,
    status        TEXT NOT NULL,
    lines_added   INTEGER,
    lines_deleted INTEGER,
    binary        INTEGER NOT NULL
);
CREATE INDEX commit_files_by_commit ON commit_files (repo_id, commit_id);
CREATE TABLE evidence (
    repo_id    INTEGER NOT NULL,
    commit_id  TEXT NOT NULL,
    agent      TEXT NOT NULL,
    category   TEXT NOT NULL,
    kind       TEXT NOT NULL,
    confidence TEXT NOT NULL,
    location   TEXT NOT NULL,
    text       TEXT NOT NULL,
    model      TEXT,
    session    TEXT
);
CREATE INDEX evidence_by_commit ON evidence (repo_id, commit_id);
CREATE TABLE sessions (
    repo_id  INTEGER NOT NULL,
    id       TEXT NOT NULL,
    start    INTEGER NOT NULL,
    "end"    INTEGER NOT NULL,
    commits  INTEGER NOT NULL,
    agents   TEXT NOT NULL,
    mode     TEXT NOT NULL,
    lines    INTEGER NOT NULL,
    PRIMARY KEY (repo_id, id)
) WITHOUT ROWID;
CREATE TABLE commit_sessions (
    repo_id    INTEGER NOT NULL,
    commit_id  TEXT NOT NULL,
    session    TEXT NOT NULL,
    PRIMARY KEY (repo_id, commit_id)
) WITHOUT ROWID;
"#,
    // 2: pull-request and configuration-file evidence, and commits by date.
    r#"
CREATE TABLE pull_requests (
    repo_id        INTEGER NOT NULL,
    number         INTEGER NOT NULL,
    state          TEXT NOT NULL,
    author         TEXT NOT NULL,
    head_ref       TEXT NOT NULL,
    labels         TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    merged_at      INTEGER,
    merge_commit   TEXT,
    agents         TEXT NOT NULL,
    evidence       TEXT NOT NULL,
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (repo_id, number)
) WITHOUT ROWID;
CREATE TABLE config_files (
    repo_id     INTEGER NOT NULL,
    path        TEXT NOT NULL,
    agent       TEXT NOT NULL,
    confidence  TEXT NOT NULL,
    first_seen  INTEGER,
    detail      TEXT,
    PRIMARY KEY (repo_id, path, agent)
) WITHOUT ROWID;
CREATE INDEX commits_by_time ON commits (author_time);
"#,
    // 3: outcome proxies. Forgetting the rules digest makes the next scan re-evaluate every stored
    // commit, which computes them.
    r#"
ALTER TABLE commits ADD COLUMN human_name TEXT;
ALTER TABLE commits ADD COLUMN reverted_by TEXT;
ALTER TABLE commits ADD COLUMN reworked_by TEXT;
DELETE FROM meta WHERE key = 'rules_digest';
"#,
    // 4: the commits a commit says it reverts, read from the message once at evaluation, so
    // outcomes need not search every stored message. The next scan re-evaluates to fill it.
    r#"
ALTER TABLE commits ADD COLUMN reverts TEXT;
DELETE FROM meta WHERE key = 'rules_digest';
"#,
    // 5: what attribution stores beside the history (git notes, Agent Trace records) say of a
    // commit: raw facts like the message, re-evaluated with the registry.
    r#"
CREATE TABLE IF NOT EXISTS commit_attestations (
    repo_id    INTEGER NOT NULL,
    commit_id  TEXT NOT NULL,
    source     TEXT NOT NULL,
    tool       TEXT,
    model      TEXT
);
CREATE INDEX IF NOT EXISTS commit_attestations_by_commit ON commit_attestations (repo_id, commit_id);
"#,
];

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
    e: &crate::detect::Evidence,
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

/// How long after a commit a Fix-mode commit on the same code files counts as rework.
pub const REWORK_WINDOW: i64 = 14 * 86_400;

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

/// One commit ready to be written: the raw record and what was concluded about it.
pub struct StoredCommit {
    /// What the walk read.
    pub record: CommitRecord,
    /// What detection concluded.
    pub detection: Detection,
    /// The work mode and its evidence.
    pub decision: ModeDecision,
    /// The summary aggregation reads back.
    facts: CommitFacts,
    /// The mode evidence as stored.
    mode_evidence: String,
    /// The commits the message says this one reverts (abbreviated ids, space-separated).
    reverts: Option<String>,
}

impl StoredCommit {
    /// What aggregation and sessions read of this commit.
    pub fn facts(&self) -> &CommitFacts {
        &self.facts
    }

    /// How much of this commit's diff is stored: merges and commits read with their files carry
    /// the scan's level, the others (a scan without diffs) none.
    fn stored_stats(&self, stats: Stats) -> Stats {
        if self.record.files.is_some() || self.record.is_merge() {
            stats
        } else {
            Stats::None
        }
    }

    /// What aggregation reads of this commit once a scan at `stats` has stored it, the outcome
    /// proxies left unset (they are known only when the repository's history is complete): the
    /// same view [`Store::for_each_fact`] gives of its row.
    pub fn view(&self, stats: Stats) -> FactsRef<'_> {
        let f = &self.facts;
        FactsRef {
            time: f.time,
            is_merge: f.is_merge,
            class: f.class,
            role: f.role,
            agents: List::Owned(&f.agents),
            models: List::Owned(&f.models),
            review_bots: List::Owned(&f.review_bots),
            bots: List::Owned(&f.bots),
            weak: !f.weak_agents.is_empty(),
            human: f.human.as_deref(),
            mode: f.mode,
            lines_added: f.lines_added,
            lines_deleted: f.lines_deleted,
            human_name: f.human_name.as_deref(),
            has_paths: self.stored_stats(stats) != Stats::None,
            reverted: false,
            reworked: false,
        }
    }

    /// Add what the outcome proxies need of this commit to `inputs`.
    pub fn gather_outcome_inputs(&self, inputs: &mut crate::outcomes::Inputs, rules: &Rules) {
        let f = &self.facts;
        let i = inputs.push(
            crate::outcomes::Subject {
                id: f.id.clone(),
                time: f.time,
                is_merge: f.is_merge,
                is_fix: f.mode == Mode::Fix,
                paths: Vec::new(),
            },
            self.reverts.as_deref(),
        );
        for file in self.record.files.iter().flatten() {
            inputs.add_path(i, &file.path.to_str_lossy(), rules);
        }
    }

    /// Detect and classify `record`, and prepare what is stored (on the caller's thread, so the
    /// single writer only binds and steps).
    pub fn evaluate(record: CommitRecord, registry: &Registry, rules: &Rules) -> Self {
        let detection = detect(&record, registry);
        let decision = classify(&record, rules);
        let facts = CommitFacts::new(&record, &detection, &decision);
        let mode_evidence = mode_evidence(&decision);
        let targets = crate::outcomes::revert_targets(&record.message);
        StoredCommit {
            record,
            detection,
            decision,
            facts,
            mode_evidence,
            reverts: (!targets.is_empty()).then(|| targets.join(" ")),
        }
    }
}

/// A stored commit's identities and message, as `signatures discover` reads them.
#[derive(Debug, Clone)]
pub struct RawCommit {
    /// Repository display name.
    pub repo: String,
    /// Full commit id.
    pub id: String,
    /// Author name and email (after mailmap).
    pub author: (String, String),
    /// Committer name and email.
    pub committer: (String, String),
    /// Author time (seconds).
    pub time: i64,
    /// The raw message.
    pub message: Vec<u8>,
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

/// One commit in a listing (`agentscan commits`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct CommitRow {
    /// Repository display name.
    pub repo: String,
    /// Full commit id.
    pub id: String,
    /// Author time, RFC 3339 UTC.
    pub author_time: String,
    /// `Name <email>`.
    pub author: String,
    /// agent, human or bot.
    pub class: CommitClass,
    /// authored or co-authored.
    pub role: Option<Role>,
    /// Agent ids.
    pub agents: Vec<String>,
    /// Models.
    pub models: Vec<String>,
    /// The work mode.
    pub mode: Mode,
    /// Lines added.
    pub lines_added: u64,
    /// Lines deleted.
    pub lines_deleted: u64,
    /// Session id.
    pub session: Option<String>,
    /// First line of the message.
    pub subject: String,
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
    /// Every reachable work commit, gathered as it was written, when the scan read them all (a
    /// first scan): sessions need not be read back.
    pub grouping: Option<crate::session::Grouping>,
}

/// What finishing a repository's scan found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FinishSummary {
    /// Commits reachable from the tips.
    pub reachable: u64,
    /// Stored commits no longer reachable (rewritten or deleted history).
    pub unreachable: u64,
    /// The repository's sessions as stored, when they were grouped from what the scan gathered
    /// (a first scan); `None` when they were regrouped from the store.
    pub sessions: Option<Vec<Session>>,
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

fn stats_name(s: Stats) -> &'static str {
    match s {
        Stats::None => "none",
        Stats::Paths => "paths",
        Stats::Lines => "lines",
    }
}

fn stats_from(s: &str) -> Stats {
    match s {
        "lines" => Stats::Lines,
        "paths" => Stats::Paths,
        _ => Stats::None,
    }
}

fn stats_rank(s: Stats) -> u8 {
    match s {
        Stats::None => 0,
        Stats::Paths => 1,
        Stats::Lines => 2,
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

fn oid_list(ids: &[ObjectId]) -> String {
    ids.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

impl Store {
    /// Open (creating, migrating or validating) the store at `location`. With `write`, take the
    /// store's write lock first, waiting for another writer to finish (`on_wait` is told once).
    pub fn open(
        location: &Location,
        write: bool,
        on_wait: &dyn Fn(&str),
    ) -> Result<Self, StoreError> {
        let name = location.display();
        let (conn, lock) = match location {
            Location::Memory => (
                Connection::open_in_memory().map_err(|e| StoreError::Open {
                    path: name.clone(),
                    message: e.to_string(),
                })?,
                None,
            ),
            Location::File(path) => {
                let lock = if write {
                    Some(Self::lock(path, &name, on_wait)?)
                } else {
                    None
                };
                Self::check_header(path, &name)?;
                // A connection is used by one thread at a time (rusqlite's `Connection` is not
                // `Sync`), so SQLite's own per-call mutex is pure cost: a sixth of a report's time.
                let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
                    | if write {
                        OpenFlags::SQLITE_OPEN_CREATE
                    } else {
                        OpenFlags::empty()
                    };
                if !write && !path.exists() {
                    return Err(StoreError::Open {
                        path: name,
                        message: "no such database: run `agentscan scan` first, or pass --db"
                            .into(),
                    });
                }
                let conn =
                    Connection::open_with_flags(path, flags).map_err(|e| StoreError::Open {
                        path: name.clone(),
                        message: e.to_string(),
                    })?;
                (conn, lock)
            }
        };
        let mut store = Store {
            conn,
            name,
            _lock: lock,
            batches_since: None,
        };
        store.prepare()?;
        Ok(store)
    }

    fn lock(path: &Path, name: &str, on_wait: &dyn Fn(&str)) -> Result<std::fs::File, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Open {
                path: name.to_owned(),
                message: format!("cannot create {}: {e}", dir.display()),
            })?;
        }
        let lock_path = PathBuf::from(format!("{}.lock", path.display()));
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| StoreError::Open {
                path: name.to_owned(),
                message: format!("cannot create the lock file {}: {e}", lock_path.display()),
            })?;
        match file.try_lock() {
            Ok(()) => Ok(file),
            Err(std::fs::TryLockError::WouldBlock) => {
                on_wait(&format!(
                    "{name}: another agentscan is writing to this database; waiting for it to finish"
                ));
                file.lock().map_err(|e| StoreError::Locked {
                    path: name.to_owned(),
                    message: format!("cannot lock {}: {e}", lock_path.display()),
                })?;
                Ok(file)
            }
            Err(std::fs::TryLockError::Error(e)) => Err(StoreError::Locked {
                path: name.to_owned(),
                message: format!("cannot lock {}: {e}", lock_path.display()),
            }),
        }
    }

    /// A non-empty file must start like a SQLite database; anything else is never opened.
    fn check_header(path: &Path, name: &str) -> Result<(), StoreError> {
        use std::io::Read;
        let Ok(mut f) = std::fs::File::open(path) else {
            return Ok(());
        };
        let mut header = [0u8; 16];
        let n = f.read(&mut header).unwrap_or(0);
        if n == 0 {
            return Ok(());
        }
        if n < 16 || &header != b"SQLite format 3\0" {
            return Err(StoreError::Corrupt {
                path: name.to_owned(),
                message: "no SQLite header".into(),
            });
        }
        Ok(())
    }

    fn sql_err(&self, doing: &'static str) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |e| {
            let message = e.to_string();
            match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
                    StoreError::Corrupt {
                        path: self.name.clone(),
                        message,
                    }
                }
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                    StoreError::Locked {
                        path: self.name.clone(),
                        message: format!(
                            "{doing}: the database is busy ({message}); another agentscan may be writing to it, try again when it has finished"
                        ),
                    }
                }
                _ => StoreError::Sql {
                    path: self.name.clone(),
                    doing,
                    message,
                },
            }
        }
    }

    fn prepare(&mut self) -> Result<(), StoreError> {
        self.conn
            .busy_timeout(std::time::Duration::from_secs(30))
            .map_err(self.sql_err("setting the busy timeout"))?;
        let app: i32 = self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(self.sql_err("reading the application id"))?;
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(self.sql_err("reading the schema version"))?;
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(self.sql_err("listing tables"))?;
        if app != APPLICATION_ID && (app != 0 || tables > 0) {
            return Err(StoreError::Foreign {
                path: self.name.clone(),
                what: if app == 0 {
                    format!("a SQLite database with {tables} objects and no agentscan stamp")
                } else {
                    format!("application id {app:#x}")
                },
            });
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::Newer {
                path: self.name.clone(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        if tables == 0 {
            // Set before the first table exists (it is fixed afterwards): 16 KiB pages hold most
            // commit messages without overflow pages, and a first scan writes about 5% faster.
            self.conn
                .execute_batch("PRAGMA page_size = 16384;")
                .map_err(self.sql_err("configuring the database"))?;
        }
        // WAL lets reports read while a scan writes; NORMAL keeps every committed batch across a
        // process crash.
        let _ = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0));
        // A 64 MiB page cache: a scan inserts hundreds of thousands of rows and the default 2 MiB
        // made SQLite re-read its own pages from the kernel over and over.
        self.conn
            .execute_batch(
                "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;
                 PRAGMA mmap_size = 4294967296;
                 PRAGMA wal_autocheckpoint = 16384;",
            )
            .map_err(self.sql_err("configuring the database"))?;
        if version < SCHEMA_VERSION {
            self.migrate(version)?;
        }
        Ok(())
    }

    fn migrate(&mut self, from: i64) -> Result<(), StoreError> {
        let name = self.name.clone();
        let tx = self.conn.transaction().map_err(|e| StoreError::Sql {
            path: name.clone(),
            doing: "starting the migration",
            message: e.to_string(),
        })?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
            tx.execute_batch(sql).map_err(|e| StoreError::Sql {
                path: name.clone(),
                doing: "migrating the schema",
                message: format!("to version {}: {e}", i + 1),
            })?;
        }
        tx.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};"
        ))
        .map_err(|e| StoreError::Sql {
            path: name.clone(),
            doing: "stamping the schema version",
            message: e.to_string(),
        })?;
        tx.commit().map_err(|e| StoreError::Sql {
            path: name,
            doing: "committing the migration",
            message: e.to_string(),
        })
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(self.sql_err("reading the schema version"))
    }

    /// A value of the `meta` table.
    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(self.sql_err("reading meta"))
    }

    /// Set a value of the `meta` table.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            .map(|_| ())
            .map_err(self.sql_err("writing meta"))
    }

    /// Whether stored conclusions were made with another registry, rule set or version.
    pub fn needs_reclassify(&self, registry: &Registry, rules: &Rules) -> Result<bool, StoreError> {
        let any: bool = self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM commits)", [], |r| r.get(0))
            .map_err(self.sql_err("counting commits"))?;
        if !any {
            return Ok(false);
        }
        Ok(
            self.meta("registry_digest")?.as_deref() != Some(registry.digest())
                || self.meta("rules_digest")?.as_deref() != Some(rules.digest())
                || self.meta("agentscan_version")?.as_deref() != Some(env!("CARGO_PKG_VERSION")),
        )
    }

    /// The key of `--anonymize` pseudonyms kept in this database, made on first use.
    pub fn anonymize_key(&self) -> Result<String, StoreError> {
        if let Some(k) = self.meta("anonymize_key")? {
            return Ok(k);
        }
        let key = crate::privacy::Pseudonyms::random_key().map_err(|e| StoreError::Sql {
            path: self.name.clone(),
            doing: "making a pseudonym key",
            message: e.to_string(),
        })?;
        self.set_meta("anonymize_key", &key)?;
        Ok(key)
    }

    /// Record which registry, rules and version the stored conclusions come from.
    pub fn stamp(&self, registry: &Registry, rules: &Rules) -> Result<(), StoreError> {
        self.set_meta("registry_digest", registry.digest())?;
        // The signature files behind the stored conclusions, so that a report names their agents.
        let overrides = serde_json::to_string(registry.overrides()).unwrap_or_default();
        self.set_meta("signature_overrides", &overrides)?;
        self.set_meta("rules_digest", rules.digest())?;
        self.set_meta("agentscan_version", env!("CARGO_PKG_VERSION"))
    }

    /// The registry the stored conclusions came from: the built-in one with the signature files
    /// the last scan was given. `None` when those files no longer load (then the caller falls
    /// back to the built-in registry and says so).
    pub fn registry(&self) -> Result<Option<Registry>, StoreError> {
        let overrides: Vec<(String, String)> = match self.meta("signature_overrides")? {
            Some(text) if !text.is_empty() => match serde_json::from_str(&text) {
                Ok(o) => o,
                Err(_) => return Ok(None),
            },
            _ => Vec::new(),
        };
        Ok(Registry::builtin_with(&overrides).ok())
    }

    /// The repository with this key, created if new; name and path are refreshed.
    pub fn repository(&self, key: &str, name: &str, path: &str) -> Result<StoredRepo, StoreError> {
        self.conn
            .execute(
                "INSERT INTO repositories (key, name, path) VALUES (?1, ?2, ?3)
                 ON CONFLICT (key) DO UPDATE SET name = excluded.name, path = excluded.path",
                [key, name, path],
            )
            .map_err(self.sql_err("recording the repository"))?;
        self.repositories(&[key.to_owned()])?
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::Sql {
                path: self.name.clone(),
                doing: "recording the repository",
                message: "the row vanished".into(),
            })
    }

    /// Repositories whose name or key is in `wanted` (all when empty), by name.
    pub fn repositories(&self, wanted: &[String]) -> Result<Vec<StoredRepo>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT r.id, r.key, r.name, r.path, r.status, r.message, r.tips, r.stats, r.commits
                 FROM repositories r ORDER BY r.name, r.key",
            )
            .map_err(self.sql_err("listing repositories"))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(StoredRepo {
                    id: r.get(0)?,
                    key: r.get(1)?,
                    name: r.get(2)?,
                    path: r.get(3)?,
                    status: r.get(4)?,
                    message: r.get(5)?,
                    tips: oids(&r.get::<_, String>(6)?),
                    stats: stats_from(&r.get::<_, String>(7)?),
                    commits: r.get::<_, i64>(8)? as u64,
                })
            })
            .map_err(self.sql_err("listing repositories"))?;
        let mut out = Vec::new();
        for row in rows {
            let repo = row.map_err(self.sql_err("listing repositories"))?;
            if wanted.is_empty() || wanted.iter().any(|w| *w == repo.name || *w == repo.key) {
                out.push(repo);
            }
        }
        Ok(out)
    }

    /// Record how the last attempt at a repository ended, without touching its commits.
    pub fn set_status(
        &self,
        repo_id: i64,
        status: &str,
        message: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE repositories SET status = ?2, message = ?3 WHERE id = ?1",
                params![repo_id, status, message],
            )
            .map(|_| ())
            .map_err(self.sql_err("recording the repository status"))
    }

    /// The stored commits of a repository as a walk needs them: complete ones stop the walk,
    /// partial ones are passed through. Commits stored with less detail than `stats` count as
    /// not stored, so that they are read again.
    pub fn known_commits(&self, repo_id: i64, stats: Stats) -> Result<KnownCommits, StoreError> {
        let mut known = KnownCommits::default();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.id, s.status = 'complete', c.committer_time, c.parents, c.stats
                 FROM commits c NOT INDEXED JOIN scans s ON s.id = c.scan_id WHERE c.repo_id = ?1",
            )
            .map_err(self.sql_err("reading stored commits"))?;
        let mut rows = stmt
            .query([repo_id])
            .map_err(self.sql_err("reading stored commits"))?;
        let want = stats_rank(stats);
        while let Some(r) = rows
            .next()
            .map_err(self.sql_err("reading stored commits"))?
        {
            let id: String = r.get(0).map_err(self.sql_err("reading stored commits"))?;
            let Ok(id) = ObjectId::from_hex(id.as_bytes()) else {
                continue;
            };
            let stored_stats: String = r.get(4).map_err(self.sql_err("reading stored commits"))?;
            if stats_rank(stats_from(&stored_stats)) < want {
                known.upgrades += 1;
                continue;
            }
            let complete: bool = r.get(1).map_err(self.sql_err("reading stored commits"))?;
            if complete {
                known.complete.insert(id);
            } else {
                let time: i64 = r.get(2).map_err(self.sql_err("reading stored commits"))?;
                let parents: String = r.get(3).map_err(self.sql_err("reading stored commits"))?;
                known.partial.insert(id, (time, oids(&parents)));
            }
        }
        Ok(known)
    }

    /// Start a scan of a repository; returns the scan id.
    pub fn begin_scan(
        &self,
        repo_id: i64,
        stats: Stats,
        tips: &[ObjectId],
    ) -> Result<i64, StoreError> {
        self.conn
            .execute(
                "INSERT INTO scans (repo_id, started_at, status, stats, tips, agentscan_version)
                 VALUES (?1, ?2, 'running', ?3, ?4, ?5)",
                params![
                    repo_id,
                    now(),
                    stats_name(stats),
                    oid_list(tips),
                    env!("CARGO_PKG_VERSION")
                ],
            )
            .map_err(self.sql_err("starting the scan"))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Write a batch of commits: raw fields, files, evidence and conclusions.
    ///
    /// Batches go into one transaction until [`COMMIT_INTERVAL`] has passed since it began, then
    /// it is committed; [`Store::commit_batches`] commits what is left. A transaction per batch
    /// rewrote every page of the commit-id index (ids are random) for every thousand commits: a
    /// file store wrote four times its own size. With `replace`, commits may already be stored
    /// (read again with more detail): their old file and evidence rows are removed first. On an
    /// error the open transaction is rolled back.
    pub fn write_batch(
        &mut self,
        repo_id: i64,
        scan_id: i64,
        stats: Stats,
        replace: bool,
        batch: &[StoredCommit],
    ) -> Result<(), StoreError> {
        let began = match self.batches_since {
            Some(t) => t,
            None => {
                self.conn
                    .execute_batch("BEGIN")
                    .map_err(self.sql_err("starting a batch"))?;
                let now = std::time::Instant::now();
                self.batches_since = Some(now);
                now
            }
        };
        if let Err(e) = self.write_rows(repo_id, scan_id, stats, replace, batch) {
            let _ = self.conn.execute_batch("ROLLBACK");
            self.batches_since = None;
            return Err(e);
        }
        if began.elapsed() >= COMMIT_INTERVAL {
            self.commit_batches()?;
        }
        Ok(())
    }

    /// Commit the batches [`Store::write_batch`] has written and not committed yet.
    pub fn commit_batches(&mut self) -> Result<(), StoreError> {
        if self.batches_since.take().is_some() {
            self.conn
                .execute_batch("COMMIT")
                .map_err(self.sql_err("committing a batch"))?;
        }
        Ok(())
    }

    fn write_rows(
        &self,
        repo_id: i64,
        scan_id: i64,
        stats: Stats,
        replace: bool,
        batch: &[StoredCommit],
    ) -> Result<(), StoreError> {
        let name = self.name.clone();
        let err = |doing: &'static str| {
            let name = name.clone();
            move |e: rusqlite::Error| StoreError::Sql {
                path: name.clone(),
                doing,
                message: e.to_string(),
            }
        };
        let conn = &self.conn;
        {
            // A first read of a commit is a plain insert; only a re-read (`replace`) may meet a
            // stored row, and the upsert that handles that costs a third of the batch's time.
            let insert = "INSERT INTO commits (repo_id, id, tree, parents, author_name, author_email,
                        author_time, author_offset, committer_name, committer_email, committer_time,
                        committer_offset, stats, is_merge, class, role, agents, models,
                        review_bots, bots, weak_agents, human, actor, session_hint, mode,
                        mode_evidence, lines_added, lines_deleted, has_lines, reachable, scan_id,
                        human_name, reverts)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?14, ?15, ?16, ?17,
                        ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, 1, ?31, ?32,
                        ?33)";
            let upsert = format!(
                "{insert}
                     ON CONFLICT (repo_id, id) DO UPDATE SET tree = excluded.tree,
                        parents = excluded.parents, author_name = excluded.author_name,
                        author_email = excluded.author_email, author_time = excluded.author_time,
                        author_offset = excluded.author_offset, committer_name = excluded.committer_name,
                        committer_email = excluded.committer_email,
                        committer_time = excluded.committer_time,
                        committer_offset = excluded.committer_offset, stats = excluded.stats,
                        is_merge = excluded.is_merge, class = excluded.class, role = excluded.role,
                        agents = excluded.agents, models = excluded.models,
                        review_bots = excluded.review_bots, bots = excluded.bots,
                        weak_agents = excluded.weak_agents, human = excluded.human,
                        human_name = excluded.human_name, actor = excluded.actor, session_hint = excluded.session_hint,
                        mode = excluded.mode, mode_evidence = excluded.mode_evidence,
                        lines_added = excluded.lines_added, lines_deleted = excluded.lines_deleted,
                        has_lines = excluded.has_lines, reachable = 1, scan_id = excluded.scan_id,
                        reverts = excluded.reverts
                     RETURNING rowid"
            );
            let mut commit = conn
                .prepare_cached(if replace { &upsert } else { insert })
                .map_err(err("preparing commit rows"))?;
            let mut message = conn
                .prepare_cached(if replace {
                    "INSERT OR REPLACE INTO commit_messages (rowid, message) VALUES (?1, ?2)"
                } else {
                    "INSERT INTO commit_messages (rowid, message) VALUES (?1, ?2)"
                })
                .map_err(err("preparing message rows"))?;
            let mut clear_files = conn
                .prepare_cached("DELETE FROM commit_files WHERE repo_id = ?1 AND commit_id = ?2")
                .map_err(err("preparing file rows"))?;
            let mut file = conn
                .prepare_cached(
                    "INSERT INTO commit_files (repo_id, commit_id, path, old_path, status,
                        lines_added, lines_deleted, binary) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(err("preparing file rows"))?;
            let mut clear_evidence = conn
                .prepare_cached("DELETE FROM evidence WHERE repo_id = ?1 AND commit_id = ?2")
                .map_err(err("preparing evidence rows"))?;
            let mut evidence = conn
                .prepare_cached(INSERT_EVIDENCE)
                .map_err(err("preparing evidence rows"))?;
            let mut clear_attestations = conn
                .prepare_cached(
                    "DELETE FROM commit_attestations WHERE repo_id = ?1 AND commit_id = ?2",
                )
                .map_err(err("preparing attestation rows"))?;
            let mut attestation = conn
                .prepare_cached(INSERT_ATTESTATION)
                .map_err(err("preparing attestation rows"))?;
            for c in batch {
                let r = &c.record;
                let facts = &c.facts;
                let id = &facts.id;
                // Borrowed where the bytes are UTF-8 already: this loop is the scan's one
                // sequential stage, so it allocates as little as it can.
                let (an, ae) = (r.author.name.to_str_lossy(), r.author.email.to_str_lossy());
                let (cn, ce) = (
                    r.committer.name.to_str_lossy(),
                    r.committer.email.to_str_lossy(),
                );
                let mut tree_hex = [0u8; 64];
                let tree: &str = r.tree.hex_to_buf(&mut tree_hex);
                let values = params![
                    repo_id,
                    id,
                    tree,
                    oid_list(&r.parents),
                    an.as_ref(),
                    ae.as_ref(),
                    r.author.time,
                    r.author.offset,
                    cn.as_ref(),
                    ce.as_ref(),
                    r.committer.time,
                    r.committer.offset,
                    None::<i64>,
                    stats_name(c.stored_stats(stats)),
                    r.is_merge(),
                    facts.class.as_str(),
                    facts.role.map(Role::as_str),
                    join(&facts.agents),
                    join(&facts.models),
                    join(&facts.review_bots),
                    join(&facts.bots),
                    join(&facts.weak_agents),
                    facts.human,
                    facts.actor,
                    facts.session_hint,
                    facts.mode.as_str(),
                    c.mode_evidence,
                    facts.lines_added as i64,
                    facts.lines_deleted as i64,
                    facts.has_lines,
                    scan_id,
                    facts.human_name,
                    c.reverts,
                ];
                let rowid: i64 = if replace {
                    commit.query_row(values, |row| row.get(0))
                } else {
                    commit.execute(values).map(|_| conn.last_insert_rowid())
                }
                .map_err(err("writing a commit"))?;
                message
                    .execute(params![rowid, r.message.as_bytes()])
                    .map_err(err("writing a message"))?;
                if replace {
                    clear_files
                        .execute(params![repo_id, id])
                        .map_err(err("writing files"))?;
                    clear_evidence
                        .execute(params![repo_id, id])
                        .map_err(err("writing evidence"))?;
                    clear_attestations
                        .execute(params![repo_id, id])
                        .map_err(err("writing attestations"))?;
                }
                for a in &r.attestations {
                    insert_attestation(&mut attestation, repo_id, id, a)
                        .map_err(err("writing attestations"))?;
                }
                for f in r.files.iter().flatten() {
                    file.execute(params![
                        repo_id,
                        id,
                        f.path.to_str_lossy(),
                        f.old_path.as_ref().map(|p| p.to_str_lossy()),
                        f.status.code(),
                        f.lines.map(|l| l.0),
                        f.lines.map(|l| l.1),
                        f.binary,
                    ])
                    .map_err(err("writing files"))?;
                }
                for e in &c.detection.evidence {
                    insert_evidence(&mut evidence, repo_id, id, e)
                        .map_err(err("writing evidence"))?;
                }
            }
        }
        Ok(())
    }

    /// Finish a complete scan: mark what the new tips reach (stored commits they no longer reach
    /// are kept but marked unreachable), mark reached commits complete, regroup the repository's
    /// sessions, and record the tips so an unchanged repository is skipped next time.
    pub fn finish_scan(
        &mut self,
        repo: &StoredRepo,
        end: &mut ScanEnd<'_>,
        session_gap: i64,
    ) -> Result<FinishSummary, StoreError> {
        let (scan_id, tips, fast_forward) = (end.scan_id, end.tips, end.fast_forward);
        if end.first {
            return self.close_scan(repo, end, session_gap);
        }
        if fast_forward {
            let unreachable: i64 = self
                .conn
                .query_row(
                    "SELECT count(*) FROM commits NOT INDEXED WHERE repo_id = ?1 AND reachable = 0",
                    [repo.id],
                    |r| r.get(0),
                )
                .map_err(self.sql_err("reading reachability"))?;
            if unreachable == 0 {
                return self.close_scan(repo, end, session_gap);
            }
        }
        // Reachability from the tips over the stored parent links: no git needed.
        let mut parents: HashMap<String, (bool, Vec<String>)> = HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare_cached(
                    "SELECT id, reachable, parents FROM commits NOT INDEXED WHERE repo_id = ?1",
                )
                .map_err(self.sql_err("reading parents"))?;
            let rows = stmt
                .query_map([repo.id], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, bool>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                })
                .map_err(self.sql_err("reading parents"))?;
            for row in rows {
                let (id, reachable, p) = row.map_err(self.sql_err("reading parents"))?;
                parents.insert(
                    id,
                    (reachable, p.split_whitespace().map(str::to_owned).collect()),
                );
            }
        }
        let mut reachable: HashSet<&str> = HashSet::new();
        let mut stack: Vec<&str> = Vec::new();
        let tip_hex: Vec<String> = tips.iter().map(|t| t.to_string()).collect();
        for t in &tip_hex {
            if let Some((k, _)) = parents.get_key_value(t.as_str()) {
                stack.push(k.as_str());
            }
        }
        while let Some(id) = stack.pop() {
            if !reachable.insert(id) {
                continue;
            }
            for p in parents.get(id).map(|(_, p)| p).into_iter().flatten() {
                if let Some((k, _)) = parents.get_key_value(p.as_str()) {
                    stack.push(k.as_str());
                }
            }
        }
        let total = parents.len() as u64;
        let summary_reachable = reachable.len() as u64;
        let name = self.name.clone();
        let err = |doing: &'static str| {
            let name = name.clone();
            move |e: rusqlite::Error| StoreError::Sql {
                path: name.clone(),
                doing,
                message: e.to_string(),
            }
        };
        let tx = self.conn.transaction().map_err(err("finishing the scan"))?;
        {
            // Only rows whose reachability changed are touched: rewriting a row rewrites its message.
            let mut mark = tx
                .prepare_cached("UPDATE commits SET reachable = ?3 WHERE repo_id = ?1 AND id = ?2")
                .map_err(err("marking reachability"))?;
            for (id, (was, _)) in &parents {
                let is = reachable.contains(id.as_str());
                if is != *was {
                    mark.execute(params![repo.id, id, is])
                        .map_err(err("marking reachability"))?;
                }
            }
            // Reached commits stored by scans that never finished now have their whole ancestry
            // stored: they join this scan.
            let mut adopt = tx
                .prepare_cached(
                    "UPDATE commits SET scan_id = ?3 WHERE repo_id = ?1 AND id = ?2
                     AND scan_id IN (SELECT id FROM scans WHERE repo_id = ?1 AND status != 'complete')",
                )
                .map_err(err("adopting interrupted scans"))?;
            let stale: i64 = tx
                .query_row(
                    "SELECT count(*) FROM scans WHERE repo_id = ?1 AND status != 'complete' AND id != ?2",
                    params![repo.id, scan_id],
                    |r| r.get(0),
                )
                .map_err(err("adopting interrupted scans"))?;
            if stale > 0 {
                for id in &reachable {
                    adopt
                        .execute(params![repo.id, id, scan_id])
                        .map_err(err("adopting interrupted scans"))?;
                }
            }
        }
        tx.commit().map_err(err("finishing the scan"))?;
        let mut summary = self.close_scan(repo, end, session_gap)?;
        summary.reachable = summary_reachable;
        summary.unreachable = total - summary_reachable;
        Ok(summary)
    }

    /// Mark a scan complete, record the tips, regroup sessions and fold the write-ahead log.
    fn close_scan(
        &mut self,
        repo: &StoredRepo,
        end: &mut ScanEnd<'_>,
        session_gap: i64,
    ) -> Result<FinishSummary, StoreError> {
        let name = self.name.clone();
        let err = |doing: &'static str| {
            let name = name.clone();
            move |e: rusqlite::Error| StoreError::Sql {
                path: name.clone(),
                doing,
                message: e.to_string(),
            }
        };
        let tx = self.conn.transaction().map_err(err("closing the scan"))?;
        tx.execute(
            "UPDATE scans SET status = 'complete', finished_at = ?2, new_commits = ?3, known_commits = ?4 WHERE id = ?1",
            params![end.scan_id, now(), end.new as i64, end.known as i64],
        )
        .map_err(err("closing the scan"))?;
        tx.execute(
            "UPDATE repositories SET tips = ?2, stats = ?3, status = ?4, message = ?5, last_scan = ?6 WHERE id = ?1",
            params![
                repo.id,
                oid_list(end.tips),
                stats_name(end.stats),
                end.status,
                end.message,
                end.scan_id
            ],
        )
        .map_err(err("recording the tips"))?;
        let reachable: i64 = if end.first {
            end.new as i64
        } else {
            tx.query_row(
                "SELECT count(*) FROM commits NOT INDEXED WHERE repo_id = ?1 AND reachable = 1",
                [repo.id],
                |r| r.get(0),
            )
            .map_err(err("counting commits"))?
        };
        tx.execute(
            "UPDATE repositories SET commits = ?2 WHERE id = ?1",
            params![repo.id, reachable],
        )
        .map_err(err("counting commits"))?;
        tx.commit().map_err(err("closing the scan"))?;
        // Fold the write-ahead log into the database once, rather than every thousand pages.
        let _ = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        // A first scan already holds every commit's facts: no need to read them back.
        let sessions = match end.grouping.take() {
            Some(grouping) => Some(self.write_sessions(repo.id, &grouping, session_gap)?),
            None => {
                self.regroup_sessions(repo.id, session_gap)?;
                None
            }
        };
        Ok(FinishSummary {
            reachable: reachable as u64,
            unreachable: 0,
            sessions,
        })
    }

    /// Group the reachable commits of a repository into sessions again.
    pub fn regroup_sessions(&mut self, repo_id: i64, gap: i64) -> Result<u64, StoreError> {
        let mut grouping = crate::session::Grouping::default();
        {
            let err = self.sql_err("reading commits");
            let mut stmt = self
                .conn
                .prepare_cached(
                    "SELECT id, author_time, actor, agents, session_hint, mode,
                            lines_added + lines_deleted
                     FROM commits
                     WHERE repo_id = ?1 AND reachable = 1 AND is_merge = 0 AND class != 'bot'",
                )
                .map_err(&err)?;
            let mut rows = stmt.query([repo_id]).map_err(&err)?;
            while let Some(r) = rows.next().map_err(&err)? {
                let text = |i: usize| -> Result<&str, StoreError> {
                    r.get_ref(i)
                        .and_then(|v| v.as_str().map_err(Into::into))
                        .map_err(&err)
                };
                let Ok(id) = ObjectId::from_hex(text(0)?.as_bytes()) else {
                    continue;
                };
                let hint = r
                    .get_ref(4)
                    .and_then(|v| v.as_str_or_null().map_err(Into::into))
                    .map_err(&err)?;
                grouping.add(
                    id,
                    r.get(1).map_err(&err)?,
                    text(2)?,
                    List::Joined(text(3)?),
                    hint,
                    Mode::from_str(text(5)?).unwrap_or(Mode::Build),
                    r.get::<_, i64>(6).map_err(&err)? as u64,
                );
            }
        }
        Ok(self.write_sessions(repo_id, &grouping, gap)?.len() as u64)
    }

    /// Group the work commits of `grouping` (those of one repository) into sessions and store them;
    /// returns the sessions.
    fn write_sessions(
        &mut self,
        repo_id: i64,
        grouping: &crate::session::Grouping,
        gap: i64,
    ) -> Result<Vec<Session>, StoreError> {
        let mut grouped = grouping.group(gap);
        grouped.members.sort_unstable();
        let crate::session::Grouped { sessions, members } = grouped;
        let name = self.name.clone();
        let err = |doing: &'static str| {
            let name = name.clone();
            move |e: rusqlite::Error| StoreError::Sql {
                path: name.clone(),
                doing,
                message: e.to_string(),
            }
        };
        let tx = self
            .conn
            .transaction()
            .map_err(err("regrouping sessions"))?;
        tx.execute("DELETE FROM sessions WHERE repo_id = ?1", [repo_id])
            .map_err(err("regrouping sessions"))?;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO sessions (repo_id, id, start, \"end\", commits, agents, mode, lines)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(err("writing sessions"))?;
            // Both tables are keyed by id: inserting in key order appends to their b-trees, which
            // is several times cheaper than inserting all over them.
            let mut by_id: Vec<&crate::session::Session> = sessions.iter().collect();
            by_id.sort_unstable_by(|a, b| a.id.cmp(&b.id));
            for s in by_id {
                let agents: Vec<String> = s.agents.iter().cloned().collect();
                insert
                    .execute(params![
                        repo_id,
                        s.id,
                        s.start,
                        s.end,
                        s.commits as i64,
                        join(&agents),
                        s.mode.as_str(),
                        s.lines as i64
                    ])
                    .map_err(err("writing sessions"))?;
            }
            tx.execute("DELETE FROM commit_sessions WHERE repo_id = ?1", [repo_id])
                .map_err(err("regrouping sessions"))?;
            let mut member = tx
                .prepare_cached(
                    "INSERT INTO commit_sessions (repo_id, commit_id, session) VALUES (?1, ?2, ?3)",
                )
                .map_err(err("writing sessions"))?;
            let mut hex = [0u8; 64];
            for (id, session) in members {
                let id: &str = id.hex_to_buf(&mut hex);
                member
                    .execute(params![repo_id, id, sessions[session].id])
                    .map_err(err("writing sessions"))?;
            }
        }
        tx.commit().map_err(err("regrouping sessions"))?;
        Ok(sessions)
    }

    /// Call `f` with the repository key and a borrowed view of every reachable commit matching
    /// `filter`: the report path, allocating nothing per commit.
    pub fn for_each_fact(
        &self,
        filter: &Filter,
        mut f: impl FnMut(&str, &FactsRef<'_>),
    ) -> Result<(), StoreError> {
        let repos: HashMap<i64, String> = self.repo_keys(filter, None)?.into_iter().collect();
        // One pass over the table in storage order: per-repository lookups through the index
        // cost a random page read per commit.
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT repo_id, author_time, is_merge, class, role, agents, models, review_bots, bots,
                        weak_agents != '', human, mode, lines_added, lines_deleted,
                        stats != 'none', reverted_by IS NOT NULL, reworked_by IS NOT NULL,
                        human_name
                 FROM commits NOT INDEXED
                 WHERE reachable = 1 AND author_time >= ?1 AND author_time < ?2",
            )
            .map_err(self.sql_err("reading commits"))?;
        let (since, until) = (
            filter.range.since.unwrap_or(i64::MIN),
            filter.range.until.unwrap_or(i64::MAX),
        );
        let err = self.sql_err("reading commits");
        let mut rows = stmt.query(params![since, until]).map_err(&err)?;
        while let Some(r) = rows.next().map_err(&err)? {
            let Some(key) = repos.get(&r.get::<_, i64>(0).map_err(&err)?) else {
                continue;
            };
            let text = |i: usize| -> Result<&str, StoreError> {
                r.get_ref(i)
                    .and_then(|v| v.as_str().map_err(Into::into))
                    .map_err(&err)
            };
            let class = match text(3)? {
                "agent" => CommitClass::Agent,
                "bot" => CommitClass::Bot,
                _ => CommitClass::Human,
            };
            let role = match r
                .get_ref(4)
                .and_then(|v| v.as_str_or_null().map_err(Into::into))
                .map_err(&err)?
            {
                Some("authored") => Some(Role::Authored),
                Some(_) => Some(Role::CoAuthored),
                None => None,
            };
            let mut agents = List::Joined(text(5)?);
            if let Some(a) = &filter.agent {
                if class == CommitClass::Agent && !agents.iter().any(|x| x == a) {
                    continue;
                }
                if class == CommitClass::Agent {
                    agents = List::Joined(a);
                }
            }
            let mode = Mode::from_str(text(11)?).unwrap_or(Mode::Build);
            if filter.class.is_some_and(|c| c != class) || filter.mode.is_some_and(|m| m != mode) {
                continue;
            }
            let view = FactsRef {
                time: r.get(1).map_err(&err)?,
                is_merge: r.get(2).map_err(&err)?,
                class,
                role,
                agents,
                models: List::Joined(text(6)?),
                review_bots: List::Joined(text(7)?),
                bots: List::Joined(text(8)?),
                weak: r.get(9).map_err(&err)?,
                human: r
                    .get_ref(10)
                    .and_then(|v| v.as_str_or_null().map_err(Into::into))
                    .map_err(&err)?,
                mode,
                lines_added: r.get::<_, i64>(12).map_err(&err)? as u64,
                lines_deleted: r.get::<_, i64>(13).map_err(&err)? as u64,
                human_name: r
                    .get_ref(17)
                    .and_then(|v| v.as_str_or_null().map_err(Into::into))
                    .map_err(&err)?,
                has_paths: r.get(14).map_err(&err)?,
                reverted: r.get(15).map_err(&err)?,
                reworked: r.get(16).map_err(&err)?,
            };
            f(key, &view);
        }
        Ok(())
    }

    /// The sessions starting in the filter's range, with their repository key.
    pub fn sessions(&self, filter: &Filter) -> Result<Vec<(String, Session)>, StoreError> {
        let repos = self.repo_keys(filter, None)?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, start, \"end\", commits, agents, mode, lines FROM sessions
                 WHERE repo_id = ?1 AND start >= ?2 AND start < ?3",
            )
            .map_err(self.sql_err("reading sessions"))?;
        let (since, until) = (
            filter.range.since.unwrap_or(i64::MIN),
            filter.range.until.unwrap_or(i64::MAX),
        );
        let mut out = Vec::new();
        for (id, key) in repos {
            let rows = stmt
                .query_map(params![id, since, until], |r| {
                    Ok(Session {
                        id: r.get(0)?,
                        start: r.get(1)?,
                        end: r.get(2)?,
                        commits: r.get::<_, i64>(3)? as u64,
                        agents: split(r.get_ref(4)?.as_str()?).into_iter().collect(),
                        mode: Mode::from_str(r.get_ref(5)?.as_str()?).unwrap_or(Mode::Build),
                        lines: r.get::<_, i64>(6)? as u64,
                    })
                })
                .map_err(self.sql_err("reading sessions"))?;
            for row in rows {
                let s = row.map_err(self.sql_err("reading sessions"))?;
                let keep = match &filter.agent {
                    Some(a) => s.agents.is_empty() || s.agents.contains(a),
                    None => true,
                };
                if keep && filter.mode.is_none_or(|m| m == s.mode) {
                    out.push((key.clone(), s));
                }
            }
        }
        Ok(out)
    }

    fn repo_keys(
        &self,
        filter: &Filter,
        repo_id: Option<i64>,
    ) -> Result<Vec<(i64, String)>, StoreError> {
        Ok(self
            .repositories(&filter.repos)?
            .into_iter()
            .filter(|r| repo_id.is_none_or(|id| id == r.id))
            .map(|r| (r.id, r.key))
            .collect())
    }

    /// Stored commits matching `filter`, newest first, at most `limit`.
    pub fn commits(&self, filter: &Filter, limit: usize) -> Result<Vec<CommitRow>, StoreError> {
        let repos = self.repositories(&filter.repos)?;
        let names: HashMap<i64, String> = repos.iter().map(|r| (r.id, r.name.clone())).collect();
        if repos.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = repos.iter().map(|r| r.id.to_string()).collect();
        let sql = format!(
            "SELECT c.repo_id, c.id, c.author_time, c.author_name, c.author_email, c.class, c.role,
                    c.agents, c.models, c.mode, c.lines_added, c.lines_deleted, s.session, m.message
             FROM commits c
             JOIN commit_messages m ON m.rowid = c.rowid
             LEFT JOIN commit_sessions s ON s.repo_id = c.repo_id AND s.commit_id = c.id
             WHERE c.reachable = 1 AND c.repo_id IN ({}) AND c.author_time >= ?1 AND c.author_time < ?2
                   AND (c.is_merge = 0 OR ?3)
             ORDER BY c.author_time DESC, c.id",
            ids.join(",")
        );
        let mut stmt = self
            .conn
            .prepare(&sql)
            .map_err(self.sql_err("listing commits"))?;
        let (since, until) = (
            filter.range.since.unwrap_or(i64::MIN),
            filter.range.until.unwrap_or(i64::MAX),
        );
        let mut rows = stmt
            .query(params![since, until, filter.merges])
            .map_err(self.sql_err("listing commits"))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(self.sql_err("listing commits"))? {
            let get = |e: rusqlite::Error| self.sql_err("listing commits")(e);
            let class = match r
                .get_ref(5)
                .and_then(|v| Ok(v.as_str()?.to_owned()))
                .map_err(get)?
                .as_str()
            {
                "agent" => CommitClass::Agent,
                "bot" => CommitClass::Bot,
                _ => CommitClass::Human,
            };
            let agents = split(&r.get::<_, String>(7).map_err(get)?);
            let mode = Mode::from_str(&r.get::<_, String>(9).map_err(get)?).unwrap_or(Mode::Build);
            if !keep(class, mode, &agents, filter)
                || filter.agent.as_ref().is_some_and(|a| !agents.contains(a))
            {
                continue;
            }
            let message: Vec<u8> = r.get(13).map_err(get)?;
            let role: Option<String> = r.get(6).map_err(get)?;
            out.push(CommitRow {
                repo: names
                    .get(&r.get::<_, i64>(0).map_err(get)?)
                    .cloned()
                    .unwrap_or_default(),
                id: r.get(1).map_err(get)?,
                author_time: crate::period::utc_rfc3339(r.get(2).map_err(get)?),
                author: format!(
                    "{} <{}>",
                    r.get::<_, String>(3).map_err(get)?,
                    r.get::<_, String>(4).map_err(get)?
                ),
                class,
                role: role.map(|r| {
                    if r == "authored" {
                        Role::Authored
                    } else {
                        Role::CoAuthored
                    }
                }),
                agents,
                models: split(&r.get::<_, String>(8).map_err(get)?),
                mode,
                lines_added: r.get::<_, i64>(10).map_err(get)? as u64,
                lines_deleted: r.get::<_, i64>(11).map_err(get)? as u64,
                session: r.get(12).map_err(get)?,
                subject: crate::message::Message::parse(&message)
                    .subject()
                    .to_str_lossy()
                    .into_owned(),
            });
            if out.len() >= limit {
                break;
            }
        }
        Ok(out)
    }

    /// Re-evaluate every stored commit from its raw fields with `registry` and `rules`, without
    /// git, then regroup sessions. Returns the number of commits re-evaluated.
    pub fn reclassify(
        &mut self,
        registry: &Registry,
        rules: &Rules,
        gap: i64,
    ) -> Result<u64, StoreError> {
        use rayon::prelude::*;
        let repos = self.repositories(&[])?;
        let mut total = 0u64;
        for repo in &repos {
            let records = self.stored_records(repo.id)?;
            let evaluated: Vec<(Stats, StoredCommit)> = records
                .into_par_iter()
                .map(|(stats, r)| (stats, StoredCommit::evaluate(r, registry, rules)))
                .collect();
            total += evaluated.len() as u64;
            // Keep each commit's own stats level and scan; the raw fields are unchanged.
            for chunk in evaluated.chunks(2048) {
                self.rewrite_conclusions(repo.id, chunk)?;
            }
            self.link_pull_requests(repo.id)?;
            self.regroup_sessions(repo.id, gap)?;
            self.compute_outcomes(repo.id, rules)?;
        }
        self.stamp(registry, rules)?;
        Ok(total)
    }

    fn rewrite_conclusions(
        &mut self,
        repo_id: i64,
        batch: &[(Stats, StoredCommit)],
    ) -> Result<(), StoreError> {
        let name = self.name.clone();
        let err = move |e: rusqlite::Error| StoreError::Sql {
            path: name.clone(),
            doing: "rewriting conclusions",
            message: e.to_string(),
        };
        let tx = self.conn.transaction().map_err(err.clone())?;
        {
            let mut update = tx
                .prepare_cached(
                    "UPDATE commits SET class = ?3, role = ?4, agents = ?5, models = ?6, review_bots = ?7,
                        bots = ?8, weak_agents = ?9, human = ?10, actor = ?11, session_hint = ?12,
                        mode = ?13, mode_evidence = ?14, human_name = ?15, reverts = ?16
                     WHERE repo_id = ?1 AND id = ?2",
                )
                .map_err(err.clone())?;
            let mut clear = tx
                .prepare_cached("DELETE FROM evidence WHERE repo_id = ?1 AND commit_id = ?2")
                .map_err(err.clone())?;
            let mut evidence = tx.prepare_cached(INSERT_EVIDENCE).map_err(err.clone())?;
            for (_, c) in batch {
                let facts = &c.facts;
                let id = &facts.id;
                update
                    .execute(params![
                        repo_id,
                        id,
                        facts.class.as_str(),
                        facts.role.map(Role::as_str),
                        join(&facts.agents),
                        join(&facts.models),
                        join(&facts.review_bots),
                        join(&facts.bots),
                        join(&facts.weak_agents),
                        facts.human,
                        facts.actor,
                        facts.session_hint,
                        facts.mode.as_str(),
                        c.mode_evidence,
                        facts.human_name,
                        c.reverts,
                    ])
                    .map_err(err.clone())?;
                clear.execute(params![repo_id, id]).map_err(err.clone())?;
                for e in &c.detection.evidence {
                    insert_evidence(&mut evidence, repo_id, id, e).map_err(err.clone())?;
                }
            }
        }
        tx.commit().map_err(err)
    }

    /// Every stored commit of `repos` with its identities and message, in no particular order.
    pub fn for_each_raw(
        &self,
        repos: &[StoredRepo],
        mut f: impl FnMut(RawCommit),
    ) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.id, c.author_name, c.author_email, c.committer_name, c.committer_email,
                        c.author_time, m.message
                 FROM commits c JOIN commit_messages m ON m.rowid = c.rowid WHERE c.repo_id = ?1",
            )
            .map_err(self.sql_err("reading commits"))?;
        for repo in repos {
            let rows = stmt
                .query_map([repo.id], |r| {
                    Ok(RawCommit {
                        repo: repo.name.clone(),
                        id: r.get(0)?,
                        author: (r.get(1)?, r.get(2)?),
                        committer: (r.get(3)?, r.get(4)?),
                        time: r.get(5)?,
                        message: r.get(6)?,
                    })
                })
                .map_err(self.sql_err("reading commits"))?;
            for row in rows {
                f(row.map_err(self.sql_err("reading commits"))?);
            }
        }
        Ok(())
    }

    /// The stored attestations of a repository's commits, by commit id.
    pub fn attestations(
        &self,
        repo_id: i64,
    ) -> Result<HashMap<String, Vec<crate::attest::Attestation>>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT commit_id, source, tool, model FROM commit_attestations WHERE repo_id = ?1
                 ORDER BY rowid",
            )
            .map_err(self.sql_err("reading attestations"))?;
        let rows = stmt
            .query_map([repo_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            })
            .map_err(self.sql_err("reading attestations"))?;
        let mut out: HashMap<String, Vec<crate::attest::Attestation>> = HashMap::new();
        for row in rows {
            let (id, source, tool, model) = row.map_err(self.sql_err("reading attestations"))?;
            // A source a later version added and this one does not know is left alone.
            if let Some(source) = crate::attest::AttestSource::parse(&source) {
                out.entry(id).or_default().push(crate::attest::Attestation {
                    source,
                    tool,
                    model,
                });
            }
        }
        Ok(out)
    }

    /// Replace the stored attestations of a repository with `current` (commit id → what the
    /// stores say now) and re-evaluate the stored commits whose attestations changed. Returns
    /// how many commits changed. Attribution stores change without the history moving (a note
    /// added to an old commit), so a scan compares them every time.
    pub fn refresh_attestations(
        &mut self,
        repo_id: i64,
        current: &HashMap<String, Vec<crate::attest::Attestation>>,
        registry: &Registry,
        rules: &Rules,
    ) -> Result<u64, StoreError> {
        let stored = self.attestations(repo_id)?;
        let changed: std::collections::HashSet<&String> = current
            .iter()
            .filter(|(id, a)| stored.get(*id) != Some(*a))
            .map(|(id, _)| id)
            .chain(stored.keys().filter(|id| !current.contains_key(*id)))
            .collect();
        if changed.is_empty() {
            return Ok(0);
        }
        let mut records: Vec<(Stats, CommitRecord)> = self
            .stored_records(repo_id)?
            .into_iter()
            .filter(|(_, r)| changed.contains(&r.id.to_string()))
            .collect();
        if records.is_empty() {
            return Ok(0);
        }
        {
            let name = self.name.clone();
            let err = move |e: rusqlite::Error| StoreError::Sql {
                path: name.clone(),
                doing: "writing attestations",
                message: e.to_string(),
            };
            let tx = self.conn.transaction().map_err(err.clone())?;
            {
                let mut clear = tx
                    .prepare_cached(
                        "DELETE FROM commit_attestations WHERE repo_id = ?1 AND commit_id = ?2",
                    )
                    .map_err(err.clone())?;
                let mut insert = tx.prepare_cached(INSERT_ATTESTATION).map_err(err.clone())?;
                for (_, r) in &mut records {
                    let id = r.id.to_string();
                    clear.execute(params![repo_id, id]).map_err(err.clone())?;
                    r.attestations = current.get(&id).cloned().unwrap_or_default();
                    for a in &r.attestations {
                        insert_attestation(&mut insert, repo_id, &id, a).map_err(err.clone())?;
                    }
                }
            }
            tx.commit().map_err(err)?;
        }
        let n = records.len() as u64;
        let evaluated: Vec<(Stats, StoredCommit)> = records
            .into_iter()
            .map(|(stats, r)| (stats, StoredCommit::evaluate(r, registry, rules)))
            .collect();
        self.rewrite_conclusions(repo_id, &evaluated)?;
        Ok(n)
    }

    /// Rebuild the records of a repository from the stored raw fields.
    fn stored_records(&self, repo_id: i64) -> Result<Vec<(Stats, CommitRecord)>, StoreError> {
        let mut files: HashMap<String, Vec<FileChange>> = HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare_cached(
                    "SELECT commit_id, path, old_path, status, lines_added, lines_deleted, binary
                     FROM commit_files WHERE repo_id = ?1",
                )
                .map_err(self.sql_err("reading files"))?;
            let rows = stmt
                .query_map([repo_id], |r| {
                    let status = match r.get_ref(3)?.as_str()? {
                        "A" => FileStatus::Added,
                        "D" => FileStatus::Deleted,
                        "R" => FileStatus::Renamed,
                        "C" => FileStatus::Copied,
                        _ => FileStatus::Modified,
                    };
                    let added: Option<u32> = r.get(4)?;
                    let deleted: Option<u32> = r.get(5)?;
                    Ok((
                        r.get::<_, String>(0)?,
                        FileChange {
                            path: r.get::<_, String>(1)?.into(),
                            old_path: r.get::<_, Option<String>>(2)?.map(Into::into),
                            status,
                            lines: added.zip(deleted),
                            binary: r.get(6)?,
                        },
                    ))
                })
                .map_err(self.sql_err("reading files"))?;
            for row in rows {
                let (id, f) = row.map_err(self.sql_err("reading files"))?;
                files.entry(id).or_default().push(f);
            }
        }
        let mut attestations = self.attestations(repo_id)?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.id, c.tree, c.parents, c.author_name, c.author_email, c.author_time,
                        c.author_offset, c.committer_name, c.committer_email, c.committer_time,
                        c.committer_offset, m.message, c.stats
                 FROM commits c NOT INDEXED JOIN commit_messages m ON m.rowid = c.rowid WHERE c.repo_id = ?1",
            )
            .map_err(self.sql_err("reading commits"))?;
        let rows = stmt
            .query_map([repo_id], |r| {
                let id: String = r.get(0)?;
                let tree: String = r.get(1)?;
                let parents: String = r.get(2)?;
                let stats = stats_from(r.get_ref(12)?.as_str()?);
                Ok((
                    id,
                    tree,
                    parents,
                    Person {
                        name: r.get::<_, String>(3)?.into(),
                        email: r.get::<_, String>(4)?.into(),
                        time: r.get(5)?,
                        offset: r.get(6)?,
                    },
                    Person {
                        name: r.get::<_, String>(7)?.into(),
                        email: r.get::<_, String>(8)?.into(),
                        time: r.get(9)?,
                        offset: r.get(10)?,
                    },
                    r.get::<_, Vec<u8>>(11)?,
                    stats,
                ))
            })
            .map_err(self.sql_err("reading commits"))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, tree, parents, author, committer, message, stats) =
                row.map_err(self.sql_err("reading commits"))?;
            let Ok(oid) = ObjectId::from_hex(id.as_bytes()) else {
                continue;
            };
            let is_merge = parents.split_whitespace().count() > 1;
            let commit_files = files.remove(&id);
            let files = match (stats, is_merge) {
                (Stats::None, _) | (_, true) => None,
                _ => Some(commit_files.unwrap_or_default()),
            };
            out.push((
                stats,
                CommitRecord {
                    id: oid,
                    tree: ObjectId::from_hex(tree.as_bytes())
                        .unwrap_or_else(|_| ObjectId::null(oid.kind())),
                    parents: oids(&parents),
                    author,
                    committer,
                    message: message.into(),
                    files,
                    attestations: attestations.remove(&id).unwrap_or_default(),
                },
            ));
        }
        Ok(out)
    }

    /// Compute the outcome proxies of a repository's reachable commits (see [`crate::outcomes`])
    /// from the store and keep them in `commits.reverted_by` and `commits.reworked_by`; commits no
    /// longer reachable lose theirs. Rework looks at code files only (paths no rule of `rules`
    /// claims): a later fix to a changelog or a lockfile says nothing about the commit. Returns
    /// (reverted, reworked) commit counts.
    pub fn compute_outcomes(
        &mut self,
        repo_id: i64,
        rules: &Rules,
    ) -> Result<(u64, u64), StoreError> {
        use crate::outcomes::{Inputs, Subject};
        let err = self.sql_err("computing outcomes");
        let mut inputs = Inputs::default();
        let mut old: Vec<(Option<String>, Option<String>)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare_cached(
                    "SELECT id, author_time, is_merge, mode = 'fix', reverted_by, reworked_by,
                        reverts
                     FROM commits WHERE repo_id = ?1 AND reachable = 1",
                )
                .map_err(&err)?;
            let mut rows = stmt.query([repo_id]).map_err(&err)?;
            while let Some(r) = rows.next().map_err(&err)? {
                let id: String = r.get(0).map_err(&err)?;
                old.push((r.get(4).map_err(&err)?, r.get(5).map_err(&err)?));
                let reverts: Option<String> = r.get(6).map_err(&err)?;
                let subject = Subject {
                    id: id.clone(),
                    time: r.get(1).map_err(&err)?,
                    is_merge: r.get(2).map_err(&err)?,
                    is_fix: r.get(3).map_err(&err)?,
                    paths: Vec::new(),
                };
                index.insert(id, inputs.push(subject, reverts.as_deref()));
            }
        }
        {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT commit_id, path FROM commit_files WHERE repo_id = ?1")
                .map_err(&err)?;
            let mut rows = stmt.query([repo_id]).map_err(&err)?;
            while let Some(r) = rows.next().map_err(&err)? {
                let id = r.get_ref(0).and_then(|v| Ok(v.as_str()?)).map_err(&err)?;
                let Some(&i) = index.get(id) else { continue };
                let path = r.get_ref(1).and_then(|v| Ok(v.as_str()?)).map_err(&err)?;
                inputs.add_path(i, path, rules);
            }
        }
        drop(err);
        let outcomes = self.store_outcomes(repo_id, &inputs, Some(&old))?;
        let count = |v: &[Option<usize>]| v.iter().filter(|x| x.is_some()).count() as u64;
        Ok((count(&outcomes.reverted_by), count(&outcomes.reworked_by)))
    }

    /// Compute the outcome proxies over `inputs` (every reachable commit of a repository) and
    /// store those that differ from `old`, the stored ones in the same order, clearing those of
    /// unreachable commits. `old` is `None` when nothing is stored yet: a first scan gathers its
    /// inputs while writing and never reads them back. Returns what was computed, in the order of
    /// `inputs`.
    pub fn store_outcomes(
        &mut self,
        repo_id: i64,
        inputs: &crate::outcomes::Inputs,
        old: Option<&[(Option<String>, Option<String>)]>,
    ) -> Result<crate::outcomes::Outcomes, StoreError> {
        let outcomes = inputs.compute(REWORK_WINDOW);
        let subjects = &inputs.subjects;
        let id_of = |x: Option<usize>| x.map(|i| subjects[i].id.clone());
        let name = self.name.clone();
        let err = move |e: rusqlite::Error| StoreError::Sql {
            path: name.clone(),
            doing: "storing outcomes",
            message: e.to_string(),
        };
        let tx = self.conn.transaction().map_err(err.clone())?;
        {
            if old.is_some() {
                tx.execute(
                    "UPDATE commits SET reverted_by = NULL, reworked_by = NULL
                     WHERE repo_id = ?1 AND reachable = 0
                       AND (reverted_by IS NOT NULL OR reworked_by IS NOT NULL)",
                    [repo_id],
                )
                .map_err(err.clone())?;
            }
            let mut update = tx
                .prepare_cached(
                    "UPDATE commits SET reverted_by = ?3, reworked_by = ?4
                     WHERE repo_id = ?1 AND id = ?2",
                )
                .map_err(err.clone())?;
            for (i, subject) in subjects.iter().enumerate() {
                let new = (
                    id_of(outcomes.reverted_by[i]),
                    id_of(outcomes.reworked_by[i]),
                );
                let was = old.map_or((None, None), |o| o[i].clone());
                if new != was {
                    update
                        .execute(params![repo_id, subject.id, new.0, new.1])
                        .map_err(err.clone())?;
                }
            }
        }
        tx.commit().map_err(err)?;
        Ok(outcomes)
    }

    /// Agents with evidence anywhere in a repository, for the adoption ceiling.
    pub fn weak_agents(&self, repo_id: i64) -> Result<BTreeSet<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT agent FROM evidence WHERE repo_id = ?1 AND category = 'agent'",
            )
            .map_err(self.sql_err("reading evidence"))?;
        let rows = stmt
            .query_map([repo_id], |r| r.get::<_, String>(0))
            .map_err(self.sql_err("reading evidence"))?;
        rows.collect::<Result<_, _>>()
            .map_err(self.sql_err("reading evidence"))
    }

    /// The most recent update time of the stored pull requests of a repository.
    pub fn pull_requests_since(&self, repo_id: i64) -> Result<Option<i64>, StoreError> {
        self.conn
            .query_row(
                "SELECT max(updated_at) FROM pull_requests WHERE repo_id = ?1",
                [repo_id],
                |r| r.get(0),
            )
            .map_err(self.sql_err("reading pull requests"))
    }

    /// Store pull requests with their evidence (replacing earlier versions of them).
    pub fn write_pull_requests(
        &mut self,
        repo_id: i64,
        pulls: &[(
            crate::source::github::PullRequest,
            Vec<crate::detect::Evidence>,
        )],
    ) -> Result<(), StoreError> {
        let name = self.name.clone();
        let err = move |e: rusqlite::Error| StoreError::Sql {
            path: name.clone(),
            doing: "writing pull requests",
            message: e.to_string(),
        };
        let tx = self.conn.transaction().map_err(err.clone())?;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO pull_requests (repo_id, number, state, author, head_ref,
                        labels, created_at, merged_at, merge_commit, agents, evidence, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                )
                .map_err(err.clone())?;
            for (pr, evidence) in pulls {
                let agents: BTreeSet<&str> = evidence
                    .iter()
                    .filter(|e| {
                        e.category == crate::signatures::Category::Agent
                            && e.confidence >= crate::signatures::Confidence::Medium
                    })
                    .map(|e| e.agent.as_str())
                    .collect();
                insert
                    .execute(params![
                        repo_id,
                        pr.number as i64,
                        pr.state,
                        pr.author,
                        pr.head_ref,
                        pr.labels.join(","),
                        pr.created_at,
                        pr.merged_at,
                        pr.merge_commit,
                        agents.into_iter().collect::<Vec<_>>().join(","),
                        serde_json::to_string(evidence).unwrap_or_default(),
                        pr.updated_at,
                    ])
                    .map_err(err.clone())?;
            }
        }
        tx.commit().map_err(err)
    }

    /// Carry the agents of merged agent pull requests to their merge (or squash) commits: the
    /// commit becomes an agent commit with `pull-request` evidence. Idempotent.
    pub fn link_pull_requests(&mut self, repo_id: i64) -> Result<u64, StoreError> {
        let pulls: Vec<(i64, String, String, String)> = {
            let mut stmt = self
                .conn
                .prepare_cached(
                    "SELECT number, agents, evidence, merge_commit FROM pull_requests
                     WHERE repo_id = ?1 AND merged_at IS NOT NULL AND merge_commit IS NOT NULL AND agents != ''",
                )
                .map_err(self.sql_err("reading pull requests"))?;
            let rows = stmt
                .query_map([repo_id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })
                .map_err(self.sql_err("reading pull requests"))?;
            rows.collect::<Result<_, _>>()
                .map_err(self.sql_err("reading pull requests"))?
        };
        let name = self.name.clone();
        let err = move |e: rusqlite::Error| StoreError::Sql {
            path: name.clone(),
            doing: "linking pull requests",
            message: e.to_string(),
        };
        let tx = self.conn.transaction().map_err(err.clone())?;
        tx.execute(
            "DELETE FROM evidence WHERE repo_id = ?1 AND kind = 'pull-request'",
            [repo_id],
        )
        .map_err(err.clone())?;
        let mut linked = 0u64;
        for (_number, agents, evidence, commit) in &pulls {
            let row: Option<(String, Option<String>, String)> = tx
                .query_row(
                    "SELECT class, role, agents FROM commits WHERE repo_id = ?1 AND id = ?2",
                    params![repo_id, commit],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()
                .map_err(err.clone())?;
            let Some((class, role, current)) = row else {
                continue;
            };
            let evidence: Vec<crate::detect::Evidence> =
                serde_json::from_str::<Vec<serde_json::Value>>(evidence)
                    .ok()
                    .map(|v| v.into_iter().filter_map(evidence_from_json).collect())
                    .unwrap_or_default();
            let mut all: BTreeSet<String> = split(&current).into_iter().collect();
            all.extend(split(agents));
            let (class, role) = if class == "bot" {
                (class, role)
            } else if crate::detect::pull_request_authored(&evidence) {
                ("agent".to_owned(), Some("authored".to_owned()))
            } else {
                (
                    "agent".to_owned(),
                    role.or_else(|| Some("co-authored".to_owned())),
                )
            };
            tx.execute(
                "UPDATE commits SET class = ?3, role = ?4, agents = ?5 WHERE repo_id = ?1 AND id = ?2",
                params![
                    repo_id,
                    commit,
                    class,
                    role,
                    all.into_iter().collect::<Vec<_>>().join(",")
                ],
            )
            .map_err(err.clone())?;
            let mut insert = tx.prepare_cached(INSERT_EVIDENCE).map_err(err.clone())?;
            for e in &evidence {
                insert_evidence(&mut insert, repo_id, commit, e).map_err(err.clone())?;
            }
            linked += 1;
        }
        tx.commit().map_err(err)?;
        Ok(linked)
    }

    /// Merged pull requests in the filter's range, with their repository key.
    pub fn pull_requests(&self, filter: &Filter) -> Result<Vec<PullRow>, StoreError> {
        let repos: HashMap<i64, String> = self.repo_keys(filter, None)?.into_iter().collect();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT repo_id, merged_at, agents FROM pull_requests
                 WHERE merged_at IS NOT NULL AND merged_at >= ?1 AND merged_at < ?2",
            )
            .map_err(self.sql_err("reading pull requests"))?;
        let rows = stmt
            .query_map(
                params![
                    filter.range.since.unwrap_or(i64::MIN),
                    filter.range.until.unwrap_or(i64::MAX)
                ],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                },
            )
            .map_err(self.sql_err("reading pull requests"))?;
        let mut out = Vec::new();
        for row in rows {
            let (repo, merged_at, agents) = row.map_err(self.sql_err("reading pull requests"))?;
            let Some(key) = repos.get(&repo) else {
                continue;
            };
            let mut agents = split(&agents);
            if let Some(a) = &filter.agent {
                agents.retain(|x| x == a);
            }
            out.push(PullRow {
                repo: key.clone(),
                merged_at,
                agents,
            });
        }
        Ok(out)
    }

    /// Replace the configuration findings of a repository; `first_seen` comes from the stored
    /// changed paths when the history was scanned with `--stats paths` or `lines`.
    pub fn write_config(
        &mut self,
        repo_id: i64,
        findings: &[crate::detect::ConfigFinding],
    ) -> Result<(), StoreError> {
        let name = self.name.clone();
        let err = move |e: rusqlite::Error| StoreError::Sql {
            path: name.clone(),
            doing: "writing configuration files",
            message: e.to_string(),
        };
        let tx = self.conn.transaction().map_err(err.clone())?;
        tx.execute("DELETE FROM config_files WHERE repo_id = ?1", [repo_id])
            .map_err(err.clone())?;
        for f in findings {
            // An ignored agent file dates from the .gitignore (its first version, lacking better).
            let path = if f.detail.as_deref() == Some("gitignore") {
                ".gitignore"
            } else {
                f.path.as_str()
            };
            let first_seen: Option<i64> = {
                tx.query_row(
                    "SELECT min(c.author_time) FROM commit_files f
                     JOIN commits c ON c.repo_id = f.repo_id AND c.id = f.commit_id
                     WHERE f.repo_id = ?1 AND f.path = ?2 AND c.reachable = 1",
                    params![repo_id, path],
                    |r| r.get(0),
                )
                .map_err(err.clone())?
            };
            tx.execute(
                "INSERT OR REPLACE INTO config_files (repo_id, path, agent, confidence, first_seen, detail)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![repo_id, f.path, f.agent, f.confidence.as_str(), first_seen, f.detail],
            )
            .map_err(err.clone())?;
        }
        tx.commit().map_err(err)
    }

    /// Configuration findings per repository key.
    pub fn configs(
        &self,
        filter: &Filter,
    ) -> Result<std::collections::BTreeMap<String, Vec<ConfigRow>>, StoreError> {
        let repos: HashMap<i64, String> = self.repo_keys(filter, None)?.into_iter().collect();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT repo_id, path, agent, confidence, first_seen, detail FROM config_files
                 ORDER BY repo_id, agent, path",
            )
            .map_err(self.sql_err("reading configuration files"))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    ConfigRow {
                        path: r.get(1)?,
                        agent: r.get(2)?,
                        confidence: r.get(3)?,
                        first_seen: r.get(4)?,
                        detail: r.get(5)?,
                    },
                ))
            })
            .map_err(self.sql_err("reading configuration files"))?;
        let mut out: std::collections::BTreeMap<String, Vec<ConfigRow>> = Default::default();
        for row in rows {
            let (repo, config) = row.map_err(self.sql_err("reading configuration files"))?;
            if let Some(key) = repos.get(&repo) {
                out.entry(key.clone()).or_default().push(config);
            }
        }
        Ok(out)
    }

    /// The open connection, for tests and tools that query it directly.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// An evidence record back from its stored JSON.
fn evidence_from_json(v: serde_json::Value) -> Option<crate::detect::Evidence> {
    use crate::signatures::{Category, Confidence, EvidenceKind};
    let text = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
    Some(crate::detect::Evidence {
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
fn mode_evidence(d: &ModeDecision) -> String {
    // Typed rather than built as a `serde_json::Value`: this runs for every commit. Fields and
    // share keys in alphabetical order, as the stored text has always had them.
    #[derive(serde::Serialize)]
    struct Stored<'a> {
        rules: Vec<String>,
        shares: std::collections::BTreeMap<&'static str, f64>,
        #[serde(rename = "type")]
        kind: &'a Option<String>,
    }
    let stored = Stored {
        rules: d
            .rules
            .iter()
            .map(|r| format!("{}:{}", r.rule, r.mode))
            .collect(),
        shares: d.shares.iter().map(|(m, s)| (m.as_str(), *s)).collect(),
        kind: &d.conventional_type,
    };
    serde_json::to_string(&stored).unwrap_or_default()
}

/// An agent configuration file of a repository, as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConfigRow {
    /// The file, or the `.gitignore` pattern.
    pub path: String,
    /// Agent id.
    pub agent: String,
    /// `high`, `medium` or `low`.
    pub confidence: String,
    /// When the file first appeared in the stored history (seconds), if known.
    pub first_seen: Option<i64>,
    /// `gitignore`, `attribution off`, or nothing.
    pub detail: Option<String>,
}

/// A stored pull request, as reports count it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRow {
    /// Repository key.
    pub repo: String,
    /// When it was merged.
    pub merged_at: i64,
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
