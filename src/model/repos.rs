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
    /// Commits kept without their changes because an object could not be read.
    pub unreadable: Option<Unreadable>,
}

/// What a walk met but could not read, in a repository with missing or corrupt objects: commits
/// whose changed files could not be read (kept, classified from their messages, files and lines
/// unknown), and commits that could not be read at all (left out, with whatever history only they
/// lead to).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Unreadable {
    /// Commits kept without their changes.
    pub commits: u64,
    /// The first of them: the commit and what failed.
    pub example: String,
    /// Commits left out.
    pub lost: u64,
    /// The first of them: the commit and what failed.
    pub lost_example: String,
}

impl Unreadable {
    /// One more commit kept without its changes.
    pub fn add(&mut self, commit: impl std::fmt::Display, what: &str) {
        if self.commits == 0 {
            self.example = format!("{commit}: {what}");
        }
        self.commits += 1;
    }

    /// One more commit left out.
    pub fn lose(&mut self, commit: impl std::fmt::Display, what: &str) {
        if self.lost == 0 {
            self.lost_example = format!("{commit}: {what}");
        }
        self.lost += 1;
    }

    /// Both counts together, the earlier examples kept.
    pub fn merge(&mut self, other: Unreadable) {
        if self.commits == 0 {
            self.example = other.example;
        }
        if self.lost == 0 {
            self.lost_example = other.lost_example;
        }
        self.commits += other.commits;
        self.lost += other.lost;
    }

    /// Whether nothing was met.
    pub fn is_empty(&self) -> bool {
        self.commits == 0 && self.lost == 0
    }
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: u64| if n == 1 { "" } else { "s" };
        if self.lost > 0 {
            let n = self.lost;
            write!(
                f,
                "{n} commit{} could not be read (first: {}) and {} left out with history only {} lead{} to",
                plural(n),
                self.lost_example,
                if n == 1 { "is" } else { "are" },
                if n == 1 { "it" } else { "they" },
                if n == 1 { "s" } else { "" },
            )?;
            if self.commits > 0 {
                f.write_str("; ")?;
            }
        }
        if self.commits > 0 {
            let n = self.commits;
            write!(
                f,
                "the changes of {n} commit{} could not be read (first: {}); {} kept with files and lines unknown",
                plural(n),
                self.example,
                if n == 1 { "it is" } else { "they are" },
            )?;
        }
        Ok(())
    }
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
