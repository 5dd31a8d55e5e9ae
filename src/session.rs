//! Sessions: commits grouped into bursts of work, the unit large studies of agent use count in.
//!
//! A commit that names a session (`Claude-Session:`, `Amp-Thread-ID:`, a Replit session id, a Codex,
//! Devin, Cursor or Jules task link) joins every other commit naming the same one, whatever the
//! gaps between them. Other commits are grouped per actor and per set of agents: consecutive
//! commits with at most `gap` seconds between them form one session. A session's mode is the mode
//! with the most changed lines among its commits (then the most commits).

use std::collections::{BTreeMap, BTreeSet};

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
    let mut order: Vec<usize> = (0..commits.len())
        .filter(|&i| commits[i].is_work())
        .collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&commits[a], &commits[b]);
        (&x.actor, &x.agents, x.time, &x.id).cmp(&(&y.actor, &y.agents, y.time, &y.id))
    });
    let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut current: Option<(String, usize)> = None;
    for &i in &order {
        let c = &commits[i];
        if let Some(hint) = &c.session_hint {
            members.entry(hint.clone()).or_default().push(i);
            continue;
        }
        let joins = current.as_ref().is_some_and(|(_, last)| {
            let p = &commits[*last];
            p.actor == c.actor && p.agents == c.agents && c.time - p.time <= gap
        });
        let id = match (&current, joins) {
            (Some((id, _)), true) => id.clone(),
            // Named by its first commit: unique, stable, and free of personal data.
            _ => format!("run:{}", &c.id[..c.id.len().min(12)]),
        };
        members.entry(id.clone()).or_default().push(i);
        current = Some((id, i));
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
