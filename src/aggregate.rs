//! Additive aggregates: per repository and per period, mergeable by addition.
//!
//! Every number a report shows is a sum (or a set union, for distinct authors), so aggregates built
//! on different threads, repositories or shards merge without recomputation, and ordered maps make
//! every output deterministic.

use std::collections::{BTreeMap, BTreeSet};

use crate::detect::{CommitClass, Detection};
use crate::period::Period;
use crate::signatures::Role;

/// Counts for one (repository, period) cell, or any sum of cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    /// Non-merge commits by humans without agent evidence.
    pub human: u64,
    /// Non-merge commits with an authoring agent.
    pub agent: u64,
    /// Non-merge commits by automation or review bots.
    pub bot: u64,
    /// Merge commits (counted apart, excluded from every share).
    pub merges: u64,
    /// Agent commits the agent authored.
    pub authored: u64,
    /// Agent commits a human authored with an agent.
    pub co_authored: u64,
    /// Non-merge commits carrying review-bot suggestions.
    pub review_assisted: u64,
    /// Human commits with only low-confidence agent leads.
    pub weak_signal: u64,
    /// Agent commits per agent id (a commit with two agents counts for both).
    pub agents: BTreeMap<String, u64>,
    /// Agent commits per model.
    pub models: BTreeMap<String, u64>,
    /// Bot commits per bot id.
    pub bots: BTreeMap<String, u64>,
    /// Review-assisted commits per review bot id.
    pub review_bots: BTreeMap<String, u64>,
    /// Distinct humans with a non-bot, non-merge commit.
    pub authors: BTreeSet<String>,
    /// Distinct humans with at least one agent commit.
    pub adopters: BTreeSet<String>,
}

fn bump(map: &mut BTreeMap<String, u64>, key: &str, n: u64) {
    match map.get_mut(key) {
        Some(v) => *v += n,
        None => {
            map.insert(key.to_owned(), n);
        }
    }
}

impl Counts {
    /// Count one commit.
    pub fn add(&mut self, d: &Detection, is_merge: bool) {
        if is_merge {
            self.merges += 1;
            return;
        }
        for r in &d.review_bots {
            bump(&mut self.review_bots, r, 1);
        }
        if !d.review_bots.is_empty() {
            self.review_assisted += 1;
        }
        match d.class {
            CommitClass::Bot => {
                self.bot += 1;
                for b in &d.bots {
                    bump(&mut self.bots, b, 1);
                }
                return;
            }
            CommitClass::Human => {
                self.human += 1;
                if !d.weak_agents.is_empty() {
                    self.weak_signal += 1;
                }
            }
            CommitClass::Agent => {
                self.agent += 1;
                match d.role {
                    Some(Role::Authored) => self.authored += 1,
                    _ => self.co_authored += 1,
                }
                for a in &d.agents {
                    bump(&mut self.agents, a, 1);
                }
                for m in &d.models {
                    bump(&mut self.models, m, 1);
                }
            }
        }
        if let Some(h) = &d.human {
            if d.class == CommitClass::Agent {
                self.adopters.insert(h.clone());
            }
            self.authors.insert(h.clone());
        }
    }

    /// Add `other` into `self`.
    pub fn merge(&mut self, other: &Counts) {
        self.human += other.human;
        self.agent += other.agent;
        self.bot += other.bot;
        self.merges += other.merges;
        self.authored += other.authored;
        self.co_authored += other.co_authored;
        self.review_assisted += other.review_assisted;
        self.weak_signal += other.weak_signal;
        for (map, from) in [
            (&mut self.agents, &other.agents),
            (&mut self.models, &other.models),
            (&mut self.bots, &other.bots),
            (&mut self.review_bots, &other.review_bots),
        ] {
            for (k, v) in from {
                bump(map, k, *v);
            }
        }
        self.authors.extend(other.authors.iter().cloned());
        self.adopters.extend(other.adopters.iter().cloned());
    }

    /// Agent commits ÷ (agent + human) commits.
    pub fn commit_share(&self) -> Option<f64> {
        ratio(self.agent, self.agent + self.human)
    }

    /// Adopting authors ÷ active authors.
    pub fn author_share(&self) -> Option<f64> {
        ratio(self.adopters.len() as u64, self.authors.len() as u64)
    }

    /// All non-merge commits.
    pub fn commits(&self) -> u64 {
        self.human + self.agent + self.bot
    }
}

/// `num ÷ den`, or `None` when the denominator is zero.
pub fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// Counts per repository and per period.
#[derive(Debug, Clone, Default)]
pub struct Aggregate {
    /// Bucket length.
    pub period: Period,
    /// Repository key → period label → counts.
    pub repos: BTreeMap<String, BTreeMap<String, Counts>>,
}

impl Aggregate {
    /// An empty aggregate with the given bucket length.
    pub fn new(period: Period) -> Self {
        Aggregate {
            period,
            repos: BTreeMap::new(),
        }
    }

    /// Make sure `repo` appears even when it has no commits.
    pub fn touch(&mut self, repo: &str) {
        self.repos.entry(repo.to_owned()).or_default();
    }

    /// Count one commit of `repo` authored at `time`.
    pub fn add(&mut self, repo: &str, time: i64, d: &Detection, is_merge: bool) {
        let label = self.period.label(time);
        let cells = match self.repos.get_mut(repo) {
            Some(c) => c,
            None => self.repos.entry(repo.to_owned()).or_default(),
        };
        cells.entry(label).or_default().add(d, is_merge);
    }

    /// Add `other` (same period) into `self`.
    pub fn merge(&mut self, other: Aggregate) {
        for (repo, cells) in other.repos {
            let mine = self.repos.entry(repo).or_default();
            for (label, counts) in cells {
                mine.entry(label).or_default().merge(&counts);
            }
        }
    }

    /// Every repository summed, per period.
    pub fn overall(&self) -> BTreeMap<String, Counts> {
        let mut out: BTreeMap<String, Counts> = BTreeMap::new();
        for cells in self.repos.values() {
            for (label, counts) in cells {
                out.entry(label.clone()).or_default().merge(counts);
            }
        }
        out
    }

    /// One repository summed over all periods.
    pub fn repo_total(&self, repo: &str) -> Counts {
        let mut total = Counts::default();
        if let Some(cells) = self.repos.get(repo) {
            for c in cells.values() {
                total.merge(c);
            }
        }
        total
    }

    /// Everything summed.
    pub fn total(&self) -> Counts {
        let mut total = Counts::default();
        for c in self.overall().values() {
            total.merge(c);
        }
        total
    }
}
