//! Work-mode tallies: one number per mode, and one side's (agent or human) commits, lines and
//! sessions per mode, mergeable by addition like the rest of an aggregate.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::classify::{MODES, Mode};

/// One number per work mode; serialised as a map from mode name to number, in mode order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ModeCounts(pub [u64; 9]);

impl ModeCounts {
    /// Add `n` to `mode`.
    pub fn add(&mut self, mode: Mode, n: u64) {
        self.0[mode.index()] += n;
    }

    /// The number for `mode`.
    pub fn get(&self, mode: Mode) -> u64 {
        self.0[mode.index()]
    }

    /// The sum over all modes.
    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }

    pub(super) fn merge(&mut self, other: &ModeCounts) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }
}

impl Serialize for ModeCounts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(9))?;
        for m in MODES {
            map.serialize_entry(m.as_str(), &self.get(m))?;
        }
        map.end()
    }
}

/// Work-mode mix of one side (agent or human): commits, changed lines and sessions per mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ModeMix {
    /// Commits per mode.
    pub commits: ModeCounts,
    /// Changed lines (added + deleted) per mode.
    pub lines: ModeCounts,
    /// Sessions per mode (sessions count in the period they start).
    pub sessions: ModeCounts,
}

impl ModeMix {
    pub(super) fn merge(&mut self, other: &ModeMix) {
        self.commits.merge(&other.commits);
        self.lines.merge(&other.lines);
        self.sessions.merge(&other.sessions);
    }
}
