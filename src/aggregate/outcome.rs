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

/// Closed pull requests of one side: merged, or closed without merging; and how long the merged
/// ones were open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Acceptance {
    pub merged: u64,
    pub closed_unmerged: u64,
    /// Hours from opening to merging, one per merged pull request (kept whole for the median).
    pub hours_to_merge: Vec<u64>,
}

impl Acceptance {
    pub(super) fn add(&mut self, merged_after: Option<i64>) {
        match merged_after {
            Some(seconds) => {
                self.merged += 1;
                self.hours_to_merge.push(seconds.max(0) as u64 / 3600);
            }
            None => self.closed_unmerged += 1,
        }
    }

    pub(super) fn merge(&mut self, other: &Acceptance) {
        self.merged += other.merged;
        self.closed_unmerged += other.closed_unmerged;
        self.hours_to_merge.extend_from_slice(&other.hours_to_merge);
    }

    /// merged ÷ (merged + closed unmerged).
    pub fn acceptance(&self) -> Option<f64> {
        ratio(self.merged, self.merged + self.closed_unmerged)
    }

    /// The median hours from opening to merging (the lower middle of an even count).
    pub fn median_hours_to_merge(&self) -> Option<u64> {
        let mut h = self.hours_to_merge.clone();
        h.sort_unstable();
        (!h.is_empty()).then(|| h[(h.len() - 1) / 2])
    }
}
