//! Sessions: commits grouped into bursts of work, the unit large studies of agent use count in.
//!
//! A commit that names a session (`Claude-Session:`, `Amp-Thread-ID:`, a Replit session id, a Codex,
//! Devin, Cursor or Jules task link) joins every other commit naming the same one, whatever the
//! gaps between them. Other commits are grouped per actor and per set of agents: consecutive
//! commits with at most `gap` seconds between them form one session. A session's mode is the mode
//! with the most changed lines among its commits (then the most commits).

pub use crate::model::{Grouped, Session};

use std::collections::{BTreeSet, HashMap};

use crate::model::Oid as ObjectId;

use crate::classify::{MODES, Mode};
use crate::facts::{CommitFacts, List};

/// The default longest pause within a session: two hours.
pub const DEFAULT_GAP: i64 = 2 * 3600;

/// What grouping keeps of one commit: a few words, so that a repository's whole history fits in
/// little memory however it is gathered.
#[derive(Debug, Clone, Copy)]
struct Member {
    id: ObjectId,
    time: i64,
    /// The (actor, agent set) pair, interned.
    key: u32,
    /// The session id named by the evidence, interned; `NO_HINT` when there is none.
    hint: u32,
    mode: Mode,
    lines: u64,
}

const NO_HINT: u32 = u32::MAX;

/// The work commits of one repository, gathered one at a time (as a first scan writes them, or
/// as they are read back from the store) and then grouped into sessions.
#[derive(Debug, Default)]
pub struct Grouping {
    members: Vec<Member>,
    /// `actor NUL agents` → key.
    keys: HashMap<String, u32>,
    /// The lookup text of `keys`, reused from commit to commit.
    scratch: String,
    /// The agents of each key.
    key_agents: Vec<Vec<String>>,
    hints: HashMap<Box<str>, u32>,
    hint_names: Vec<String>,
}

impl Grouping {
    /// Add a commit if it takes part in sessions (not a merge, not a bot).
    pub fn add_facts(&mut self, f: &CommitFacts) {
        if let (true, Ok(id)) = (f.is_work(), ObjectId::from_hex(&f.id).ok_or(())) {
            self.add(
                id,
                f.time,
                &f.actor,
                List::Owned(&f.agents),
                f.session_hint.as_deref(),
                f.mode,
                f.authored_lines(),
            );
        }
    }

    /// Add a work commit: its id, author time, actor, agents, the session id its evidence names,
    /// its mode and its changed lines.
    #[allow(clippy::too_many_arguments)]
    pub fn add(
        &mut self,
        id: ObjectId,
        time: i64,
        actor: &str,
        agents: List<'_>,
        hint: Option<&str>,
        mode: Mode,
        lines: u64,
    ) {
        self.scratch.clear();
        self.scratch.push_str(actor);
        self.scratch.push('\0');
        for (i, a) in agents.iter().enumerate() {
            if i > 0 {
                self.scratch.push(',');
            }
            self.scratch.push_str(a);
        }
        let key = match self.keys.get(self.scratch.as_str()) {
            Some(&k) => k,
            None => {
                let next = self.key_agents.len() as u32;
                self.key_agents
                    .push(agents.iter().map(str::to_owned).collect());
                self.keys.insert(self.scratch.clone(), next);
                next
            }
        };
        let hint = match hint {
            None => NO_HINT,
            Some(h) => match self.hints.get(h) {
                Some(&i) => i,
                None => {
                    let i = self.hint_names.len() as u32;
                    self.hint_names.push(h.to_owned());
                    self.hints.insert(h.into(), i);
                    i
                }
            },
        };
        self.members.push(Member {
            id,
            time,
            key,
            hint,
            mode,
            lines,
        });
    }

    /// Group the commits: commits naming one session id form that session; the others form runs
    /// per (actor, agent set) with at most `gap` seconds between consecutive commits.
    pub fn group(&self, gap: i64) -> Grouped {
        let commits = &self.members;
        // Sorted by (actor and agent set, time, id); the key numbers only keep pairs together.
        let mut order: Vec<usize> = (0..commits.len()).collect();
        order.sort_unstable_by_key(|&i| (commits[i].key, commits[i].time, commits[i].id));
        // Each session's id and commits; named sessions are found again by their hint.
        let mut sessions_of: Vec<(String, Vec<usize>)> = Vec::new();
        let mut named: HashMap<u32, usize> = HashMap::new();
        // The open run: its key, its entry in `sessions_of`, and the time of its last commit.
        let mut current: Option<(u32, usize, i64)> = None;
        for i in order {
            let c = &commits[i];
            if c.hint != NO_HINT {
                let m = *named.entry(c.hint).or_insert_with(|| {
                    sessions_of.push((self.hint_names[c.hint as usize].clone(), Vec::new()));
                    sessions_of.len() - 1
                });
                sessions_of[m].1.push(i);
                continue;
            }
            let m = match current {
                Some((k, m, last)) if k == c.key && c.time - last <= gap => m,
                // Named by its first commit: stable, free of personal data, and unique, which
                // an abbreviated id is not in a history of millions of commits.
                _ => {
                    sessions_of.push((format!("run:{}", c.id), Vec::new()));
                    sessions_of.len() - 1
                }
            };
            sessions_of[m].1.push(i);
            current = Some((c.key, m, c.time));
        }
        let mut sessions = Vec::with_capacity(sessions_of.len());
        let mut member_of = vec![0usize; commits.len()];
        for (id, idx) in sessions_of {
            let mut lines_by_mode = [0u64; 9];
            let mut commits_by_mode = [0u64; 9];
            let mut keys: Vec<u32> = Vec::new();
            let (mut start, mut end, mut lines) = (i64::MAX, i64::MIN, 0);
            for &i in &idx {
                let c = &commits[i];
                member_of[i] = sessions.len();
                lines_by_mode[c.mode.index()] += c.lines;
                commits_by_mode[c.mode.index()] += 1;
                if !keys.contains(&c.key) {
                    keys.push(c.key);
                }
                start = start.min(c.time);
                end = end.max(c.time);
                lines += c.lines;
            }
            let agents: BTreeSet<String> = keys
                .iter()
                .flat_map(|&k| self.key_agents[k as usize].iter().cloned())
                .collect();
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
                files: 0,
            });
        }
        // By start time; the members follow their sessions to their new places.
        let mut indexed: Vec<(usize, Session)> = sessions.into_iter().enumerate().collect();
        indexed.sort_by(|(_, a), (_, b)| (a.start, &a.id).cmp(&(b.start, &b.id)));
        let mut place = vec![0usize; indexed.len()];
        for (new, (old, _)) in indexed.iter().enumerate() {
            place[*old] = new;
        }
        let sessions = indexed.into_iter().map(|(_, s)| s).collect();
        let members = commits
            .iter()
            .zip(member_of)
            .map(|(c, s)| (c.id, place[s]))
            .collect();
        Grouped { sessions, members }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> ObjectId {
        ObjectId::from_bytes([n; 20])
    }

    fn add(g: &mut Grouping, n: u8, time: i64, actor: &str, agents: &str, hint: Option<&str>) {
        g.add(
            id(n),
            time,
            actor,
            List::Joined(agents),
            hint,
            Mode::Build,
            10,
        );
    }

    #[test]
    fn runs_split_at_the_gap_and_by_actor_and_agents() {
        let mut g = Grouping::default();
        add(&mut g, 1, 0, "ann", "claude-code", None);
        add(&mut g, 2, 3600, "ann", "claude-code", None);
        // Three hours later: a new run.
        add(&mut g, 3, 3600 + 3 * 3600, "ann", "claude-code", None);
        // Same time, other agent set or other actor: other runs.
        add(&mut g, 4, 1800, "ann", "", None);
        add(&mut g, 5, 1800, "bob", "claude-code", None);
        let grouped = g.group(DEFAULT_GAP);
        let sizes: Vec<(i64, u64)> = grouped
            .sessions
            .iter()
            .map(|s| (s.start, s.commits))
            .collect();
        assert_eq!(sizes, vec![(0, 2), (1800, 1), (1800, 1), (14_400, 1)]);
        assert_eq!(grouped.members.len(), 5);
        let of = |n: u8| {
            let s = grouped.members.iter().find(|(c, _)| *c == id(n)).unwrap().1;
            grouped.sessions[s].id.clone()
        };
        assert_eq!(of(1), of(2));
        assert_eq!(of(1), format!("run:{}", id(1)));
        assert_ne!(of(2), of(3));
        let agents: Vec<Vec<String>> = grouped
            .sessions
            .iter()
            .map(|s| s.agents.iter().cloned().collect())
            .collect();
        assert!(agents.contains(&vec![]));
        assert_eq!(grouped.sessions[0].agents.len(), 1);
        assert_eq!(grouped.sessions[0].lines, 20);
    }

    #[test]
    fn runs_whose_first_commits_share_a_prefix_keep_distinct_ids() {
        let mut g = Grouping::default();
        let mut a = [7u8; 20];
        a[19] = 1;
        let mut b = [7u8; 20];
        b[19] = 2;
        for (bytes, actor) in [(a, "ann"), (b, "bob")] {
            let id = ObjectId::from_bytes(bytes);
            g.add(id, 0, actor, List::Joined(""), None, Mode::Fix, 1);
        }
        let grouped = g.group(DEFAULT_GAP);
        assert_eq!(grouped.sessions.len(), 2);
        assert_ne!(grouped.sessions[0].id, grouped.sessions[1].id);
    }

    #[test]
    fn a_named_session_joins_commits_across_gaps_and_agents() {
        let mut g = Grouping::default();
        add(&mut g, 1, 0, "ann", "claude-code", Some("s-1"));
        add(&mut g, 2, 86_400, "ann", "claude-code,codex", Some("s-1"));
        add(&mut g, 3, 100, "ann", "claude-code", None);
        let grouped = g.group(DEFAULT_GAP);
        assert_eq!(grouped.sessions.len(), 2);
        let named = grouped.sessions.iter().find(|s| s.id == "s-1").unwrap();
        assert_eq!((named.start, named.end, named.commits), (0, 86_400, 2));
        assert_eq!(
            named.agents.iter().cloned().collect::<Vec<_>>(),
            vec!["claude-code".to_owned(), "codex".to_owned()]
        );
    }
}

/// One work commit as [`mixed_bursts`] reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BurstCommit {
    /// The person, interned.
    pub actor: u32,
    pub time: i64,
    /// Whether an agent took part.
    pub agent: bool,
    /// Lines added and deleted.
    pub lines: u64,
}

/// A burst of one person's work in which both agent and human commits landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MixedBurst {
    pub start: i64,
    pub agent_lines: u64,
    pub human_lines: u64,
}

/// One person's consecutive work commits at most `gap` seconds apart, whatever agents took part
/// (sessions keep agent and human work apart; a burst puts them together), kept when it holds
/// both agent and human commits: how much of a person's mixed work the agent wrote.
pub fn mixed_bursts(mut commits: Vec<BurstCommit>, gap: i64) -> Vec<MixedBurst> {
    commits.sort_unstable_by_key(|c| (c.actor, c.time));
    let mut out = Vec::new();
    let mut i = 0;
    while i < commits.len() {
        let mut j = i + 1;
        while j < commits.len()
            && commits[j].actor == commits[i].actor
            && commits[j].time - commits[j - 1].time <= gap
        {
            j += 1;
        }
        let burst = &commits[i..j];
        let (agent, human): (Vec<&BurstCommit>, Vec<&BurstCommit>) =
            burst.iter().partition(|c| c.agent);
        if !agent.is_empty() && !human.is_empty() {
            out.push(MixedBurst {
                start: burst[0].time,
                agent_lines: agent.iter().map(|c| c.lines).sum(),
                human_lines: human.iter().map(|c| c.lines).sum(),
            });
        }
        i = j;
    }
    out
}

#[cfg(test)]
mod burst_tests {
    use super::*;

    #[test]
    fn bursts_mix_agent_and_human_work_of_one_person() {
        let c = |actor, time, agent, lines| BurstCommit {
            actor,
            time,
            agent,
            lines,
        };
        let bursts = mixed_bursts(
            vec![
                c(1, 0, true, 30),
                c(1, 600, false, 10),
                c(1, 20_000, false, 5), // a new burst, human only
                c(2, 100, true, 7),     // another person, agent only
                c(1, 1200, true, 2),
            ],
            3600,
        );
        assert_eq!(
            bursts,
            vec![MixedBurst {
                start: 0,
                agent_lines: 32,
                human_lines: 10
            }]
        );
    }
}
