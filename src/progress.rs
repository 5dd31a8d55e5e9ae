//! Progress reporting as a small trait, so the library stays free of terminal concerns.
//!
//! The binary implements it with indicatif bars on stderr; tests and quiet runs use [`NoProgress`].
//! Every method has a no-op default and must be cheap: the scan calls them from worker threads.

/// Receives progress events from a scan.
pub trait Progress: Sync {
    /// The number of repositories that will be scanned.
    fn repositories(&self, _total: usize) {}
    /// A repository's walk starts: `commits` will be read, when known in advance.
    fn repo_started(&self, _name: &str, _commits: Option<usize>) {}
    /// `n` more commits were read.
    fn commits_read(&self, _n: usize) {}
    /// A repository is done (scanned or failed).
    fn repo_finished(&self, _name: &str) {}
}

/// Ignores every event.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {}
