//! Outcome tallies: how one side's commits fared afterwards (reverted, reworked, lasted), and
//! what a first scan keeps of a commit to count its outcome once it is known.

use super::{CommitClass, FactsRef, ratio};

/// What happened afterwards to one side's (agent or human) commits: see [`crate::outcomes`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Non-merge commits of this side.
    pub commits: u64,
    /// Of those, commits later reverted.
    pub reverted: u64,
    /// Commits whose changed paths were read: the base of the rework share.
    pub with_paths: u64,
    /// Of those, commits followed within 14 days by a Fix-mode commit on the same code files.
    pub reworked: u64,
    /// Commits reverted or reworked (each counted once): the rest succeeded, as far as git shows.
    pub unsuccessful: u64,
}

impl Outcome {
    pub(super) fn add(&mut self, d: &FactsRef<'_>) {
        self.commits += 1;
        if d.has_paths {
            self.with_paths += 1;
        }
        self.add_proxies(d.has_paths, d.reverted, d.reworked);
    }

    /// Count the proxies of a commit: reverts always, rework only where its paths were read.
    pub(super) fn add_proxies(&mut self, has_paths: bool, reverted: bool, reworked: bool) {
        self.reverted += u64::from(reverted);
        let reworked = has_paths && reworked;
        self.reworked += u64::from(reworked);
        self.unsuccessful += u64::from(reverted || reworked);
    }

    pub(super) fn merge(&mut self, other: &Outcome) {
        self.commits += other.commits;
        self.reverted += other.reverted;
        self.with_paths += other.with_paths;
        self.reworked += other.reworked;
        self.unsuccessful += other.unsuccessful;
    }

    /// Reverted ÷ commits.
    pub fn reverted_share(&self) -> Option<f64> {
        ratio(self.reverted, self.commits)
    }

    /// Reworked ÷ commits with paths.
    pub fn reworked_share(&self) -> Option<f64> {
        ratio(self.reworked, self.with_paths)
    }
}

/// Agent commits count on side 0, human commits on side 1, bots on neither.
pub(super) fn side(class: CommitClass) -> Option<usize> {
    match class {
        CommitClass::Agent => Some(0),
        CommitClass::Human => Some(1),
        CommitClass::Bot => None,
    }
}

/// What a commit counted before its outcome was known needs for the outcome to be counted too.
#[derive(Debug, Clone)]
pub struct OutcomeCell {
    pub time: i64,
    pub class: CommitClass,
    pub has_paths: bool,
    pub mode: crate::classify::Mode,
    pub agents: Vec<String>,
}
