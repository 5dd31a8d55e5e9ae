//! The model the crate owns: what a walk reads of a commit and the ids that name commits and
//! trees ([`conclusions`](self) adds what detection, classification and grouping conclude,
//! and [`RepoOutcome`] how a repository's scan ended). Detection, classification, sessions and reports work on these alone; only the walk
//! and the store meet gix, converting at their edge, so the pure stages are tested without it.

mod conclusions;
mod repos;

pub use conclusions::{
    CommitClass, CommitRow, ConfigFinding, Evidence, Grouped, MODES, Mode, Session,
    pull_request_authored,
};
pub use repos::{Failure, KnownCommits, RepoOutcome, RepoStatus, SampleInfo, Unreadable};

use std::fmt;

use bstr::BString;

/// A git object id (SHA-1): a commit's, or its tree's.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Oid(gix::ObjectId);

impl Oid {
    /// The all-zero id, for records that stand for no real commit.
    pub fn null() -> Self {
        Oid(gix::ObjectId::null(gix::hash::Kind::Sha1))
    }

    /// The id of the empty tree.
    pub fn empty_tree() -> Self {
        Oid(gix::ObjectId::empty_tree(gix::hash::Kind::Sha1))
    }

    /// An id from its 40 hex digits.
    pub fn from_hex(hex: &str) -> Option<Self> {
        gix::ObjectId::from_hex(hex.as_bytes()).ok().map(Oid)
    }

    /// An id from its 20 bytes.
    pub fn from_bytes(bytes: [u8; 20]) -> Self {
        Oid(gix::ObjectId::from_bytes_or_panic(&bytes))
    }

    pub(crate) fn from_gix(id: gix::ObjectId) -> Self {
        Oid(id)
    }

    pub(crate) fn gix(self) -> gix::ObjectId {
        self.0
    }
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// A person of a commit (author or committer), after mailmap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The name as written (or as mapped).
    pub name: BString,
    /// The email as written (or as mapped).
    pub email: BString,
    /// Seconds since the epoch.
    pub time: i64,
    /// Offset from UTC in seconds.
    pub offset: i32,
}

/// How much of each commit's diff a walk reads, from least to most: `None < Paths < Lines`.
/// One type from the command line (`--stats`) to the store (`stats` columns).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Stats {
    /// Commit metadata and messages only (fastest).
    #[default]
    None,
    /// Also the paths each commit changed (tree diff against the first parent, exact renames).
    Paths,
    /// Also lines added and deleted per file (blob diffs, renames by similarity as git does).
    Lines,
}

impl Stats {
    /// The name used on the command line and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Stats::None => "none",
            Stats::Paths => "paths",
            Stats::Lines => "lines",
        }
    }

    /// The level a stored name stands for; an unknown name is the lowest level, so a row from a
    /// later version is read again rather than trusted.
    pub fn from_stored(name: &str) -> Self {
        match name {
            "lines" => Stats::Lines,
            "paths" => Stats::Paths,
            _ => Stats::None,
        }
    }
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a file changed in a commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    /// New file.
    Added,
    /// Removed file.
    Deleted,
    /// Changed in place.
    Modified,
    /// Moved from `old_path`, possibly with changes.
    Renamed,
    /// Copied from `old_path`.
    Copied,
}

impl FileStatus {
    /// [`FileStatus::letter`] as text, as the store keeps it.
    pub fn code(self) -> &'static str {
        match self {
            FileStatus::Added => "A",
            FileStatus::Deleted => "D",
            FileStatus::Modified => "M",
            FileStatus::Renamed => "R",
            FileStatus::Copied => "C",
        }
    }

    /// One-letter code as in `git log --name-status`.
    pub fn letter(self) -> char {
        char::from(self.code().as_bytes()[0])
    }
}

/// One changed file of a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Path after the change (the old path for deletions).
    pub path: BString,
    /// Path before a rename or copy.
    pub old_path: Option<BString>,
    /// How it changed.
    pub status: FileStatus,
    /// Lines added and deleted; `None` with `--stats paths`, for binary files, and when a blob is
    /// missing (partial clones).
    pub lines: Option<(u32, u32)>,
    /// Whether either side is binary.
    pub binary: bool,
}

/// What the walk knows of one commit; the input of detection and classification.
#[derive(Debug, Clone)]
pub struct CommitRecord {
    /// The commit id.
    pub id: Oid,
    /// The commit's tree.
    pub tree: Oid,
    /// Parent ids, first parent first.
    pub parents: Vec<Oid>,
    /// The author, after mailmap.
    pub author: Person,
    /// The committer, after mailmap.
    pub committer: Person,
    /// The raw message bytes (not necessarily UTF-8).
    pub message: BString,
    /// Changed files against the first parent (the empty tree for a root commit). `None` when the
    /// walk reads no stats, for merge commits (which git log does not diff either), and when the
    /// trees could not be read.
    pub files: Option<Vec<FileChange>>,
    /// What attribution stores beside the history (git notes, Agent Trace records) say of this
    /// commit.
    pub attestations: Vec<crate::attest::Attestation>,
}

impl CommitRecord {
    /// Lines added and deleted over all files with known counts.
    pub fn line_totals(&self) -> (u64, u64) {
        self.files
            .iter()
            .flatten()
            .filter_map(|f| f.lines)
            .fold((0, 0), |(a, d), (x, y)| {
                (a + u64::from(x), d + u64::from(y))
            })
    }

    /// Whether the commit has more than one parent.
    pub fn is_merge(&self) -> bool {
        self.parents.len() > 1
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
