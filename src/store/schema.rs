//! The schema and its migrations: entry `n` of [`MIGRATIONS`] takes a store from version `n` to
//! `n + 1`. The schema is a public contract (users query it), so names only ever get added.

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 10;

/// `PRAGMA application_id` of an agentscan store ("AGSC").
pub const APPLICATION_ID: i32 = 0x4147_5343;

/// Schema migrations: entry `n` takes a database from version `n` to `n + 1`.
pub const MIGRATIONS: [&str; 10] = [
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
    // 6: lines in generated and vendored files, counted apart from authored lines. The next scan
    // re-evaluates stored commits from their stored files to fill them.
    r#"
ALTER TABLE commits ADD COLUMN generated_added INTEGER NOT NULL DEFAULT 0;
ALTER TABLE commits ADD COLUMN generated_deleted INTEGER NOT NULL DEFAULT 0;
DELETE FROM meta WHERE key = 'rules_digest';
"#,
    // 7: familiarity, how many earlier commits of the same person in the year before touched one
    // of a commit's files. Computed with the outcome proxies when a repository is settled, which
    // the re-evaluation this forces does.
    r#"
ALTER TABLE commits ADD COLUMN familiarity INTEGER;
DELETE FROM meta WHERE key = 'rules_digest';
"#,
    // 8: when a pull request was closed, merged or not, for pull-request acceptance (rows stored
    // before it fall back to their last update).
    r#"
ALTER TABLE pull_requests ADD COLUMN closed_at INTEGER;
"#,
    // 9: distinct files per session, for session size tiers; the re-evaluation this forces
    // regroups sessions and counts them.
    r#"
ALTER TABLE sessions ADD COLUMN files INTEGER NOT NULL DEFAULT 0;
DELETE FROM meta WHERE key = 'rules_digest';
"#,
    // 10: the files a repository's `.gitattributes` marks as generated or vendored, one glob per
    // line, read at its tip by each scan.
    r#"
ALTER TABLE repositories ADD COLUMN generated TEXT NOT NULL DEFAULT '';
"#,
];
