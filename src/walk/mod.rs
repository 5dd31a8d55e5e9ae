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
#[cfg(fuzzing)]
pub use objects::fuzzing;
mod repo;

use diff::Differ;
pub use notes::Attestations;
pub use repo::folder_name;
// The commit model is the crate's own; the walk fills it.
pub use crate::model::{CommitRecord, FileChange, FileStatus, KnownCommits, Oid, Person, Stats};

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
    /// Commits read whose changes could not be (with `--stats` other than none).
    pub unreadable: Option<Box<crate::model::Unreadable>>,
}

/// Commits handed to the sink at once: large enough to amortise a thread-local handle and a task,
/// small enough to balance two cores and keep progress smooth.
const BATCH: usize = 1024;

/// Lossy UTF-8 rendering for display and storage of names and text.
pub fn lossy(b: &[u8]) -> String {
    b.to_str_lossy().into_owned()
}
