//! Sessions: commits grouped into bursts of work, the unit large studies of agent use count in.
//!
//! A commit that names a session (`Claude-Session:`, `Amp-Thread-ID:`, a Replit session id, a Codex,
//! Devin, Cursor or Jules task link) joins every other commit naming the same one, whatever the
//! gaps between them. Other commits are grouped per actor and per set of agents: consecutive
//! commits with at most `gap` seconds between them form one session. A session's mode is the mode
//! with the most changed lines among its commits (then the most commits).

use std::collections::{BTreeSet, HashMap};

use crate::classify::{MODES, Mode};
use crate::facts::CommitFacts;

/// The default longest pause within a session: two hours.
pub const DEFAULT_GAP: i64 = 2 * 3600;

/// One session of commits.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// Session id: the id the evidence named, or `<actor>@<first commit>`.
    pub id: String,
    /// Time of the first commit.
    pub start: i64,
    /// Time of the last commit.
    pub end: i64,
    /// Number of commits.
    pub commits: u64,
    /// Agents of its commits; empty for a human session.
    pub agents: BTreeSet<String>,
    /// The dominant mode.
    pub mode: Mode,
    /// Lines added and deleted.
    pub lines: u64,
}

impl Session {
    /// Whether an agent took part.
    pub fn is_agent(&self) -> bool {
        !self.agents.is_empty()
    }
}

/// Group the work commits of one repository into sessions, filling each commit's `session` field.
/// Merges and bot commits belong to no session.
pub fn group(commits: &mut [CommitFacts], gap: i64) -> Vec<Session> {
    // Sorted by (actor, agent set, time): a number per (actor, agent set) makes that an integer
    // sort. Which number a pair gets does not matter, only that its commits end up together.
    let mut order: Vec<(u32, i64, usize)> = {
        let mut keys: HashMap<(&str, &[String]), u32> = HashMap::new();
        commits
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_work())
            .map(|(i, c)| {
                let next = keys.len() as u32;
                let key = *keys.entry((&c.actor, &c.agents)).or_insert(next);
                (key, c.time, i)
            })
            .collect()
    };
    order.sort_unstable_by(|a, b| {
        (a.0, a.1)
            .cmp(&(b.0, b.1))
            .then_with(|| commits[a.2].id.cmp(&commits[b.2].id))
    });
    // Each session's id and commits; sessions named by evidence are found again by their id.
    let mut members: Vec<(String, Vec<usize>)> = Vec::new();
    let mut named: HashMap<String, usize> = HashMap::new();
    // The open run: its key, its entry in `members`, and the time of its last commit.
    let mut current: Option<(u32, usize, i64)> = None;
    for &(key, time, i) in &order {
        let c = &commits[i];
        if let Some(hint) = &c.session_hint {
            let m = *named.entry(hint.clone()).or_insert_with(|| {
                members.push((hint.clone(), Vec::new()));
                members.len() - 1
            });
            members[m].1.push(i);
            continue;
        }
        let m = match current {
            Some((k, m, last)) if k == key && time - last <= gap => m,
            // Named by its first commit: unique, stable, and free of personal data.
            _ => {
                members.push((format!("run:{}", &c.id[..c.id.len().min(12)]), Vec::new()));
                members.len() - 1
            }
        };
        members[m].1.push(i);
        current = Some((key, m, time));
    }
    let mut sessions = Vec::with_capacity(members.len());
    for (id, idx) in members {
        let mut lines_by_mode = [0u64; 9];
        let mut commits_by_mode = [0u64; 9];
        let mut agents = BTreeSet::new();
        let (mut start, mut end, mut lines) = (i64::MAX, i64::MIN, 0);
        for &i in &idx {
            let c = &mut commits[i];
            c.session = Some(id.clone());
            lines_by_mode[c.mode.index()] += c.lines();
            commits_by_mode[c.mode.index()] += 1;
            agents.extend(c.agents.iter().cloned());
            start = start.min(c.time);
            end = end.max(c.time);
            lines += c.lines();
        }
        let mode = MODES
            .iter()
            .copied()
            .max_by(|a, b| {
                (lines_by_mode[a.index()], commits_by_mode[a.index()])
                    .cmp(&(lines_by_mode[b.index()], commits_by_mode[b.index()]))
                    // On a full tie the mode listed first wins.
                    .then(b.index().cmp(&a.index()))
            })
            .unwrap_or(Mode::Build);
        sessions.push(Session {
            id,
            start,
            end,
            commits: idx.len() as u64,
            agents,
            mode,
            lines,
        });
    }
    sessions.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    sessions
}
