//! The only module that reads commits with gix: repository → [`CommitRecord`]s.
//!
//! Inflating commit objects is most of the cost of a scan, so [`Repo::read_commits`] inflates each
//! commit exactly once and spreads the rest (parsing, mailmap, detection) over rayon workers that get
//! batches of records with a thread-local handle. Shallow boundaries end history cleanly.
//! Repositories are opened in isolation: no global or user configuration, no environment, and
//! nothing of the repository is ever executed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use bstr::{BString, ByteSlice};
use gix::ObjectId;
use gix::prelude::Find;
use rayon::prelude::*;
use thread_local::ThreadLocal;

use crate::progress::Progress;

mod commits;
mod diff;
mod notes;
mod objects;
mod repo;

use diff::Differ;
pub use notes::Attestations;
pub use repo::folder_name;

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

/// How much of each commit's diff a walk reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stats {
    /// Messages and identities only.
    #[default]
    None,
    /// Also the changed paths (tree diff against the first parent, exact renames).
    Paths,
    /// Also lines added and deleted per file (blob diffs, renames by similarity as git does).
    Lines,
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
    pub id: ObjectId,
    /// The commit's tree.
    pub tree: ObjectId,
    /// Parent ids, first parent first.
    pub parents: Vec<ObjectId>,
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

/// Which commits a walk visits.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Start from every local branch (and HEAD) instead of HEAD only.
    pub all_branches: bool,
    /// How much of each diff to read.
    pub stats: Stats,
}

/// Why a repository could not be read.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    /// The path does not exist.
    #[error("{path}: no such file or directory")]
    Missing { path: PathBuf },
    /// gix could not open the path as a repository.
    #[error("{path}: not a git repository, or one that cannot be opened: {message}")]
    Open { path: PathBuf, message: String },
    /// The references could not be read.
    #[error("{path}: cannot resolve HEAD: {message}")]
    Head { path: PathBuf, message: String },
    /// The commit graph could not be walked (missing or corrupt objects).
    #[error("{path}: cannot walk history: {message}")]
    Walk { path: PathBuf, message: String },
    /// A revision given by the user names no commit.
    #[error("{path}: cannot find commit {rev:?}: {message}")]
    Revision {
        path: PathBuf,
        rev: String,
        message: String,
    },
    /// One commit could not be read.
    #[error("{path}: cannot read commit {id}: {message} (the object is missing or corrupt)")]
    Commit {
        path: PathBuf,
        id: ObjectId,
        message: String,
    },
}

/// Render an error with its chain of causes on one line.
pub fn error_chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

/// An open repository, shareable across threads.
pub struct Repo {
    sync: gix::ThreadSafeRepository,
    mailmap: Arc<gix::mailmap::Snapshot>,
    /// The path the repository was found at (work tree or git dir).
    pub path: PathBuf,
    /// A short display name: the work-tree folder, or the bare folder without `.git`.
    pub name: String,
    /// Whether the repository has a `shallow` file: its history ends early.
    pub shallow: bool,
    /// Its packs, opened for the first diff.
    packs: std::sync::OnceLock<Arc<objects::Packs>>,
}

/// Commits a store already holds, so that a walk reads only what is new.
#[derive(Debug, Clone, Default)]
pub struct KnownCommits {
    /// Stored together with their whole ancestry: the walk stops at them.
    pub complete: std::collections::HashSet<ObjectId>,
    /// Stored by a scan that was interrupted, with their commit time and parents: they are not read
    /// again, but the walk goes on through their parents, which may be missing.
    pub partial: std::collections::HashMap<ObjectId, (i64, Vec<ObjectId>)>,
    /// Stored commits that will be read again for more detail (and replace their rows).
    pub upgrades: u64,
}

impl KnownCommits {
    fn is_complete(&self, id: &ObjectId) -> bool {
        self.complete.contains(id)
    }
}

/// The file paths of a tree, and the text of some of its files as `(path, text)`.
pub type TipFiles = (Vec<String>, Vec<(String, String)>);

/// What a walk saw, besides the commits themselves.
#[derive(Debug, Clone, Default)]
pub struct WalkSummary {
    /// Commits read (new commits, for an incremental walk).
    pub commits: u64,
    /// Stored commits the walk passed without reading them.
    pub known: u64,
    /// Complete stored commits the walk stopped at.
    pub boundary: std::collections::HashSet<ObjectId>,
    /// The tips the walk started from.
    pub tips: Vec<ObjectId>,
    /// Whether the walk stopped early because it was cancelled.
    pub cancelled: bool,
}

/// Commits handed to the sink at once: large enough to amortise a thread-local handle and a task,
/// small enough to balance two cores and keep progress smooth.
const BATCH: usize = 1024;

/// Lossy UTF-8 rendering for display and storage of names and text.
pub fn lossy(b: &[u8]) -> String {
    b.to_str_lossy().into_owned()
}
