//! What a scan knows of a repository: the commits a store already holds (so a walk reads only
//! what is new) and how the repository's scan ended, as reports show it.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Why a repository failed: the error of the operation that failed, kept with its type (a walk,
/// a clone, a forge, the store) up to where it is shown, or the message a store recorded.
#[derive(Clone)]
pub struct Failure(Arc<dyn std::error::Error + Send + Sync>);

impl Failure {
    /// The failure of an operation.
    pub fn new(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Failure(Arc::new(error))
    }

    /// A failure known only by its message (read back from a store, or a listing's complaint).
    pub fn message(text: impl Into<String>) -> Self {
        Failure(Arc::new(Recorded(text.into())))
    }

    /// The error, to inspect its kind.
    pub fn error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.0
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Two failures are the same when they say the same.
impl PartialEq for Failure {
    fn eq(&self, other: &Self) -> bool {
        self.to_string() == other.to_string()
    }
}

impl Eq for Failure {}

#[derive(Debug)]
struct Recorded(String);

impl fmt::Display for Recorded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Recorded {}

/// Commits a store already holds, so that a walk reads only what is new.
#[derive(Debug, Clone, Default)]
pub struct KnownCommits {
    /// Stored together with their whole ancestry: the walk stops at them.
    pub complete: std::collections::HashSet<gix::ObjectId>,
    /// Stored by a scan that was interrupted, with their commit time and parents: they are not read
    /// again, but the walk goes on through their parents, which may be missing.
    pub partial: std::collections::HashMap<gix::ObjectId, (i64, Vec<gix::ObjectId>)>,
    /// Stored commits that will be read again for more detail (and replace their rows).
    pub upgrades: u64,
}

impl KnownCommits {
    pub(crate) fn is_complete(&self, id: &gix::ObjectId) -> bool {
        self.complete.contains(id)
    }
}

/// How the scan of one repository ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepoStatus {
    /// Every reachable commit is stored.
    Scanned,
    /// The repository has no commits (unborn HEAD).
    Empty,
    /// The repository is shallow: history ends at the shallow boundary.
    Partial,
    /// The repository could not be read; nothing new of it is counted.
    Failed(Failure),
    /// The scan was interrupted; what was read is stored and the next scan resumes.
    Interrupted,
}

/// One repository of a scan.
#[derive(Debug, Clone)]
pub struct RepoOutcome {
    /// Display name.
    pub name: String,
    /// Identity in the store: the canonical path.
    pub key: String,
    /// The path scanned.
    pub path: PathBuf,
    /// Reachable commits of the repository in the store.
    pub commits: u64,
    /// Commits read from git in this run; `None` for outcomes rebuilt from the store alone.
    pub new: Option<u64>,
    /// How it ended.
    pub status: RepoStatus,
}

/// How the repositories of a sampled scan were drawn: enough for another person to draw the
/// same ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SampleInfo {
    /// The sources listed: search queries, organisations, users, folders, files of repositories.
    pub sources: Vec<String>,
    /// Search queries as sent, after splitting by creation date to stay under the 1,000-result
    /// cap.
    pub windows: Vec<String>,
    /// Search windows that still hit the cap (their extra results were not listed).
    pub capped_windows: Vec<String>,
    /// Repositories listed.
    pub population: u64,
    /// Repositories drawn.
    pub sample: u64,
    /// The seed of the draw.
    pub seed: u64,
    /// When the listing was made (RFC 3339, UTC).
    pub drawn_at: String,
}
