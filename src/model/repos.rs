//! What a scan knows of a repository: the commits a store already holds (so a walk reads only
//! what is new) and how the repository's scan ended, as reports show it.

use std::path::PathBuf;

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
    Failed(String),
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
