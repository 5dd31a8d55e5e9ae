//! Additive aggregates: per repository and per period, mergeable by addition.
//!
//! Every number a report shows is a sum (or a set union, for distinct authors), so aggregates built
//! on different threads, repositories or shards merge without recomputation, and ordered maps make
//! every output deterministic.

use std::collections::{BTreeMap, BTreeSet};

use crate::detect::CommitClass;
use crate::facts::FactsRef;
use crate::period::Period;
use crate::session::Session;
use crate::signatures::Role;

mod modes;
mod outcome;
pub use modes::{ModeCounts, ModeMix};
use outcome::side;
pub use outcome::{Acceptance, Outcome, OutcomeCell};

/// One person's commits in a cell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuthorCounts {
    /// Agent commits (the person worked with an agent, or an agent credited them).
    pub agent: u64,
    /// Human commits.
    pub human: u64,
}

impl AuthorCounts {
    /// The intensity cohort of these counts.
    pub fn cohort(&self) -> Cohort {
        Cohort::of(self.agent, self.agent + self.human)
    }
}

/// Intensity of agent use by a person or a repository: the share of agent commits among its
/// agent and human commits. SPEC thresholds: none, light (at most 5%), moderate (over 5%, at most
/// 20%), heavy (over 20%).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Cohort {
    /// No agent commits.
    None,
    /// More than none, at most 5%.
    Light,
    /// Over 5%, at most 20%.
    Moderate,
    /// Over 20%.
    Heavy,
}

/// The cohorts in order of intensity.
pub const COHORTS: [Cohort; 4] = [Cohort::None, Cohort::Light, Cohort::Moderate, Cohort::Heavy];

impl Cohort {
    /// The cohort of `agent` agent commits out of `total` agent and human commits.
    pub fn of(agent: u64, total: u64) -> Cohort {
        // Integer comparisons: 5% and 20% exactly belong to the lower cohort.
        if agent == 0 || total == 0 {
            Cohort::None
        } else if agent * 20 <= total {
            Cohort::Light
        } else if agent * 5 <= total {
            Cohort::Moderate
        } else {
            Cohort::Heavy
        }
    }

    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Cohort::None => "none",
            Cohort::Light => "light",
            Cohort::Moderate => "moderate",
            Cohort::Heavy => "heavy",
        }
    }

    /// Name with its range, for tables.
    pub fn title(self) -> &'static str {
        match self {
            Cohort::None => "None (0%)",
            Cohort::Light => "Light (≤5%)",
            Cohort::Moderate => "Moderate (5–20%)",
            Cohort::Heavy => "Heavy (>20%)",
        }
    }
}

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
    /// Of those, the commits the agent authored alone, per agent id.
    pub authored_agents: BTreeMap<String, u64>,
    /// Agent commits per model.
    pub models: BTreeMap<String, u64>,
    /// The people behind each agent's commits: `--min-authors` hides agents used by too few.
    pub agent_authors: BTreeMap<String, BTreeSet<String>>,
    /// The people behind each model's commits.
    pub model_authors: BTreeMap<String, BTreeSet<String>>,
    /// Bot commits per bot id.
    pub bots: BTreeMap<String, u64>,
    /// Review-assisted commits per review bot id.
    pub review_bots: BTreeMap<String, u64>,
    /// Distinct humans with a non-bot, non-merge commit, with their agent and human commits.
    pub authors: BTreeMap<String, AuthorCounts>,
    /// What happened afterwards to agent commits.
    pub agent_outcome: Outcome,
    /// What happened afterwards to human commits.
    pub human_outcome: Outcome,
    /// The same per work mode: agent commits first, then human commits.
    pub outcome_by_mode: [[Outcome; 9]; 2],
    /// The same per agent, for agent commits.
    pub outcome_by_agent: BTreeMap<String, Outcome>,
    /// The same per familiarity tier ([`crate::outcomes::FAMILIARITY_TIERS`]): agent commits,
    /// then human commits; commits whose familiarity is not known are left out.
    pub outcome_by_familiarity: [[Outcome; 3]; 2],
    /// Lines added by agent commits.
    pub agent_lines_added: u64,
    /// Lines deleted by agent commits.
    pub agent_lines_deleted: u64,
    /// Lines added by human commits.
    pub human_lines_added: u64,
    /// Lines deleted by human commits.
    pub human_lines_deleted: u64,
    /// Lines added and deleted by agent commits in generated and vendored files (apart from the
    /// authored lines above).
    pub agent_generated_lines: (u64, u64),
    /// The same for human commits.
    pub human_generated_lines: (u64, u64),
    /// The agent or human commit with the most authored lines changed: lines, id.
    pub largest_commit: Option<(u64, String)>,
    /// Work-mode mix of agent commits and sessions.
    pub agent_modes: ModeMix,
    /// Work-mode mix of human commits and sessions.
    pub human_modes: ModeMix,
    /// Merged pull requests (counted in the period they were merged).
    pub pull_requests: u64,
    /// Merged pull requests with agent evidence.
    pub agent_pull_requests: u64,
    /// Agent pull requests per agent.
    pub pull_request_agents: BTreeMap<String, u64>,
    /// Closed pull requests, merged or not (counted in the period they closed): agent ones, human
    /// ones, and agent ones per agent.
    pub agent_acceptance: Acceptance,
    pub human_acceptance: Acceptance,
    pub acceptance_by_agent: BTreeMap<String, Acceptance>,
}

fn bump(map: &mut BTreeMap<String, u64>, key: &str, n: u64) {
    match map.get_mut(key) {
        Some(v) => *v += n,
        None => {
            map.insert(key.to_owned(), n);
        }
    }
}

/// Note that `human` stands behind an entry of `map`.
fn person(map: &mut BTreeMap<String, BTreeSet<String>>, key: &str, human: Option<&str>) {
    let Some(h) = human else { return };
    let set = match map.get_mut(key) {
        Some(s) => s,
        None => map.entry(key.to_owned()).or_default(),
    };
    if !set.contains(h) {
        set.insert(h.to_owned());
    }
}

impl Counts {
    /// Count one commit.
    pub fn add(&mut self, d: &FactsRef<'_>) {
        if d.is_merge {
            self.merges += 1;
            return;
        }
        for r in d.review_bots.iter() {
            bump(&mut self.review_bots, r, 1);
        }
        if !d.review_bots.is_empty() {
            self.review_assisted += 1;
        }
        match d.class {
            CommitClass::Bot => {
                self.bot += 1;
                for b in d.bots.iter() {
                    bump(&mut self.bots, b, 1);
                }
                return;
            }
            CommitClass::Human => {
                self.human += 1;
                if d.weak {
                    self.weak_signal += 1;
                }
                self.human_lines_added += d.lines_added;
                self.human_lines_deleted += d.lines_deleted;
                self.human_generated_lines.0 += d.generated_added;
                self.human_generated_lines.1 += d.generated_deleted;
                self.note_size(d);
                self.human_modes.commits.add(d.mode, 1);
                self.human_modes.lines.add(d.mode, d.lines());
            }
            CommitClass::Agent => {
                self.agent += 1;
                self.agent_lines_added += d.lines_added;
                self.agent_lines_deleted += d.lines_deleted;
                self.agent_generated_lines.0 += d.generated_added;
                self.agent_generated_lines.1 += d.generated_deleted;
                self.note_size(d);
                self.agent_modes.commits.add(d.mode, 1);
                self.agent_modes.lines.add(d.mode, d.lines());
                let authored = d.role == Some(Role::Authored);
                if authored {
                    self.authored += 1;
                    for a in d.agents.iter() {
                        bump(&mut self.authored_agents, a, 1);
                    }
                } else {
                    self.co_authored += 1;
                }
                for a in d.agents.iter() {
                    bump(&mut self.agents, a, 1);
                    person(&mut self.agent_authors, a, d.human);
                }
                for m in d.models.iter() {
                    bump(&mut self.models, m, 1);
                    person(&mut self.model_authors, m, d.human);
                }
            }
        }
        if let Some(outcome) = self.outcome_mut(d.class) {
            outcome.add(d);
        }
        if let Some(side) = side(d.class) {
            self.outcome_by_mode[side][d.mode.index()].add(d);
            if let Some(f) = d.familiarity {
                self.outcome_by_familiarity[side][crate::outcomes::familiarity_tier(f)].add(d);
            }
        }
        if d.class == CommitClass::Agent {
            for a in d.agents.iter() {
                match self.outcome_by_agent.get_mut(a) {
                    Some(o) => o.add(d),
                    None => self
                        .outcome_by_agent
                        .entry(a.to_owned())
                        .or_default()
                        .add(d),
                }
            }
        }
        if let Some(h) = d.human {
            let author = match self.authors.get_mut(h) {
                Some(a) => a,
                None => self.authors.entry(h.to_owned()).or_default(),
            };
            if d.class == CommitClass::Agent {
                author.agent += 1;
            } else {
                author.human += 1;
            }
        }
    }

    /// Count the proxies of a commit counted before they were known, on every outcome it is in.
    fn add_proxies(&mut self, cell: &OutcomeCell, reverted: bool, reworked: bool) {
        let has_paths = cell.has_paths;
        if let Some(outcome) = self.outcome_mut(cell.class) {
            outcome.add_proxies(has_paths, reverted, reworked);
        }
        if let Some(side) = side(cell.class) {
            self.outcome_by_mode[side][cell.mode.index()]
                .add_proxies(has_paths, reverted, reworked);
        }
        for a in &cell.agents {
            if let Some(o) = self.outcome_by_agent.get_mut(a) {
                o.add_proxies(has_paths, reverted, reworked);
            }
        }
    }

    /// The outcomes of one side's commits; bots have none.
    fn outcome_mut(&mut self, class: CommitClass) -> Option<&mut Outcome> {
        match class {
            CommitClass::Agent => Some(&mut self.agent_outcome),
            CommitClass::Human => Some(&mut self.human_outcome),
            CommitClass::Bot => None,
        }
    }

    /// Count one merged pull request with its agents.
    pub fn add_pull_request(&mut self, agents: &[String]) {
        self.pull_requests += 1;
        if !agents.is_empty() {
            self.agent_pull_requests += 1;
        }
        for a in agents {
            bump(&mut self.pull_request_agents, a, 1);
        }
    }

    /// Count one session (in the period it starts).
    pub fn add_session(&mut self, s: &Session) {
        let side = if s.is_agent() {
            &mut self.agent_modes
        } else {
            &mut self.human_modes
        };
        side.sessions.add(s.mode, 1);
    }

    /// Add `other` into `self`.
    pub fn merge(&mut self, other: &Counts) {
        self.agent_acceptance.merge(&other.agent_acceptance);
        self.human_acceptance.merge(&other.human_acceptance);
        for (a, x) in &other.acceptance_by_agent {
            self.acceptance_by_agent
                .entry(a.clone())
                .or_default()
                .merge(x);
        }
        self.pull_requests += other.pull_requests;
        self.agent_pull_requests += other.agent_pull_requests;
        for (k, v) in &other.pull_request_agents {
            bump(&mut self.pull_request_agents, k, *v);
        }
        self.agent_lines_added += other.agent_lines_added;
        self.agent_lines_deleted += other.agent_lines_deleted;
        self.human_lines_added += other.human_lines_added;
        self.human_lines_deleted += other.human_lines_deleted;
        self.agent_generated_lines.0 += other.agent_generated_lines.0;
        self.agent_generated_lines.1 += other.agent_generated_lines.1;
        self.human_generated_lines.0 += other.human_generated_lines.0;
        self.human_generated_lines.1 += other.human_generated_lines.1;
        if let Some((lines, id)) = &other.largest_commit
            && self
                .largest_commit
                .as_ref()
                .is_none_or(|(l, i)| (lines, id) > (l, i))
        {
            self.largest_commit = Some((*lines, id.clone()));
        }
        self.agent_modes.merge(&other.agent_modes);
        self.human_modes.merge(&other.human_modes);
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
            (&mut self.authored_agents, &other.authored_agents),
            (&mut self.models, &other.models),
            (&mut self.bots, &other.bots),
            (&mut self.review_bots, &other.review_bots),
        ] {
            for (k, v) in from {
                bump(map, k, *v);
            }
        }
        for (map, from) in [
            (&mut self.agent_authors, &other.agent_authors),
            (&mut self.model_authors, &other.model_authors),
        ] {
            for (k, v) in from {
                map.entry(k.clone()).or_default().extend(v.iter().cloned());
            }
        }
        for (k, v) in &other.authors {
            let a = match self.authors.get_mut(k) {
                Some(a) => a,
                None => self.authors.entry(k.clone()).or_default(),
            };
            a.agent += v.agent;
            a.human += v.human;
        }
        self.agent_outcome.merge(&other.agent_outcome);
        self.human_outcome.merge(&other.human_outcome);
        for (mine, theirs) in self
            .outcome_by_familiarity
            .iter_mut()
            .zip(&other.outcome_by_familiarity)
        {
            for (m, t) in mine.iter_mut().zip(theirs) {
                m.merge(t);
            }
        }
        for (mine, theirs) in self.outcome_by_mode.iter_mut().zip(&other.outcome_by_mode) {
            for (m, t) in mine.iter_mut().zip(theirs) {
                m.merge(t);
            }
        }
        for (a, o) in &other.outcome_by_agent {
            match self.outcome_by_agent.get_mut(a) {
                Some(mine) => mine.merge(o),
                None => {
                    self.outcome_by_agent.insert(a.clone(), *o);
                }
            }
        }
    }

    /// Agent commits ÷ (agent + human) commits.
    pub fn commit_share(&self) -> Option<f64> {
        ratio(self.agent, self.agent + self.human)
    }

    /// Keep the commit with the most authored lines (ties: the greater id, so that any order of
    /// counting gives the same).
    fn note_size(&mut self, d: &FactsRef<'_>) {
        let lines = d.lines();
        if lines > 0
            && self
                .largest_commit
                .as_ref()
                .is_none_or(|(l, i)| (lines, d.id) > (*l, i.as_str()))
        {
            self.largest_commit = Some((lines, d.id.to_owned()));
        }
    }

    /// The commit with more than half of the authored lines changed: id, and its share.
    pub fn dominant_commit(&self) -> Option<(&str, f64)> {
        let (lines, id) = self.largest_commit.as_ref()?;
        let total = self.agent_lines_added
            + self.agent_lines_deleted
            + self.human_lines_added
            + self.human_lines_deleted;
        let share = *lines as f64 / total.max(1) as f64;
        (share > 0.5 && total > 0).then_some((id.as_str(), share))
    }

    /// Authored lines added by agent commits ÷ authored lines added by agent and human commits
    /// (lines in generated and vendored files are counted apart).
    pub fn line_share(&self) -> Option<f64> {
        ratio(
            self.agent_lines_added,
            self.agent_lines_added + self.human_lines_added,
        )
    }

    /// Distinct humans with at least one agent commit.
    pub fn adopters(&self) -> u64 {
        self.authors.values().filter(|a| a.agent > 0).count() as u64
    }

    /// Adopting authors ÷ active authors.
    pub fn author_share(&self) -> Option<f64> {
        ratio(self.adopters(), self.authors.len() as u64)
    }

    /// Active authors per intensity cohort, in [`COHORTS`] order.
    pub fn author_cohorts(&self) -> [u64; 4] {
        let mut out = [0; 4];
        for a in self.authors.values() {
            out[a.cohort() as usize] += 1;
        }
        out
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
    /// A display name per person: identity key → the author time and name of their latest
    /// commit (the greater name on equal times), so that the name does not depend on the order
    /// commits are counted in.
    pub names: BTreeMap<String, (i64, String)>,
    /// The last bucket a time fell in, `[start, end)` and its label: commits come mostly in time
    /// order, and labelling each one through the calendar was most of a report's cost.
    last_bucket: Option<(i64, i64, String)>,
}

impl Aggregate {
    /// An empty aggregate with the given bucket length.
    pub fn new(period: Period) -> Self {
        Aggregate {
            period,
            repos: BTreeMap::new(),
            names: BTreeMap::new(),
            last_bucket: None,
        }
    }

    /// Make sure `repo` appears even when it has no commits.
    pub fn touch(&mut self, repo: &str) {
        self.repos.entry(repo.to_owned()).or_default();
    }

    fn cell(&mut self, repo: &str, time: i64) -> &mut Counts {
        if !self
            .last_bucket
            .as_ref()
            .is_some_and(|(start, end, _)| (*start..*end).contains(&time))
        {
            self.last_bucket = Some(self.period.bucket(time));
        }
        let label = &self.last_bucket.as_ref().expect("set above").2;
        if !self.repos.contains_key(repo) {
            self.repos.insert(repo.to_owned(), BTreeMap::new());
        }
        let cells = self.repos.get_mut(repo).expect("inserted above");
        if !cells.contains_key(label.as_str()) {
            cells.insert(label.clone(), Counts::default());
        }
        cells.get_mut(label.as_str()).expect("inserted above")
    }

    /// Count one commit of `repo`, in the period of its author time.
    pub fn add(&mut self, repo: &str, facts: &FactsRef<'_>) {
        self.cell(repo, facts.time).add(facts);
        if let (Some(h), Some(name)) = (facts.human, facts.human_name) {
            self.name(h, facts.time, name);
        }
    }

    fn name(&mut self, person: &str, time: i64, name: &str) {
        match self.names.get_mut(person) {
            Some(known) => {
                if (time, name) > (known.0, known.1.as_str()) {
                    *known = (time, name.to_owned());
                }
            }
            None => {
                self.names
                    .insert(person.to_owned(), (time, name.to_owned()));
            }
        }
    }

    /// Count the outcome proxies of one commit of `repo` that was counted by [`Aggregate::add`]
    /// before they were known (with `reverted` and `reworked` false).
    pub fn add_outcome(&mut self, repo: &str, cell: &OutcomeCell, reverted: bool, reworked: bool) {
        self.cell(repo, cell.time)
            .add_proxies(cell, reverted, reworked);
    }

    /// Count one commit of `repo` counted by [`Aggregate::add`] before its familiarity was known
    /// in its familiarity tier, with its outcome.
    pub fn add_familiarity(
        &mut self,
        repo: &str,
        cell: &OutcomeCell,
        familiarity: u32,
        reverted: bool,
        reworked: bool,
    ) {
        if let Some(side) = side(cell.class) {
            let o = &mut self.cell(repo, cell.time).outcome_by_familiarity[side]
                [crate::outcomes::familiarity_tier(familiarity)];
            o.commits += 1;
            o.with_paths += u64::from(cell.has_paths);
            o.add_proxies(cell.has_paths, reverted, reworked);
        }
    }

    /// Count one closed pull request (merged or not) in the period it closed.
    pub fn add_closed_pull_request(&mut self, pr: &crate::store::PullRow) {
        let merged_after = pr.merged_at.map(|m| m - pr.created_at);
        let cell = self.cell(&pr.repo, pr.closed_at);
        if pr.agents.is_empty() {
            cell.human_acceptance.add(merged_after);
        } else {
            cell.agent_acceptance.add(merged_after);
            for a in &pr.agents {
                cell.acceptance_by_agent
                    .entry(a.clone())
                    .or_default()
                    .add(merged_after);
            }
        }
    }

    /// Count one merged pull request of `repo`, in the period it was merged.
    pub fn add_pull_request(&mut self, repo: &str, merged_at: i64, agents: &[String]) {
        self.cell(repo, merged_at).add_pull_request(agents);
    }

    /// Count one session of `repo`, in the period it starts.
    pub fn add_session(&mut self, repo: &str, session: &Session) {
        self.cell(repo, session.start).add_session(session);
    }

    /// Add `other` (same period) into `self`.
    pub fn merge(&mut self, other: Aggregate) {
        for (k, (time, name)) in other.names {
            self.name(&k, time, &name);
        }
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
