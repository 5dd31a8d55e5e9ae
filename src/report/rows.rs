//! The rows of a report: a period's or a repository's counts turned into shares, with the
//! outcome and cohort figures, and the adoption floor and ceiling.

use super::*;

/// Whether a report has line counts worth showing (the scan read them).
pub fn has_lines(row: &Row) -> bool {
    row.agent_lines_added
        + row.agent_lines_deleted
        + row.human_lines_added
        + row.human_lines_deleted
        > 0
}

/// A commit that is more than half of a row's authored lines: its share says how far the row's
/// line figures are one commit's.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DominantCommit {
    /// The commit id.
    pub id: String,
    /// Its authored lines changed ÷ the row's.
    pub share: f64,
}

/// One row of numbers: a period, a repository or a total.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Row {
    /// Period label (`2026-03`), absent on totals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// Non-merge commits (human + agent + bot).
    pub commits: u64,
    /// Commits by humans without agent evidence.
    pub human_commits: u64,
    /// Commits with an authoring agent (high or medium confidence).
    pub agent_commits: u64,
    /// Commits by automation or review bots.
    pub bot_commits: u64,
    /// Merge commits, excluded from every share.
    pub merge_commits: u64,
    /// agent ÷ (agent + human), absent when both are zero.
    pub commit_share: Option<f64>,
    /// Agent commits whose author is the agent.
    pub agent_authored: u64,
    /// Agent commits authored by a human with an agent.
    pub agent_co_authored: u64,
    /// Agent commits the agent authored alone, per agent id (the rest of `agents` a person
    /// drove).
    pub agents_authored: BTreeMap<String, u64>,
    /// Commits carrying review-bot suggestions.
    pub review_assisted_commits: u64,
    /// Human commits with only low-confidence agent leads.
    pub weak_signal_commits: u64,
    /// Distinct human authors of non-bot commits.
    pub active_authors: u64,
    /// Distinct human authors with at least one agent commit.
    pub adopting_authors: u64,
    /// adopting ÷ active authors.
    pub author_share: Option<f64>,
    /// Agent commits per agent id.
    pub agents: BTreeMap<String, u64>,
    /// Agent commits per model.
    pub models: BTreeMap<String, u64>,
    /// Bot commits per bot id.
    pub bots: BTreeMap<String, u64>,
    /// Review-assisted commits per review bot id.
    pub review_bots: BTreeMap<String, u64>,
    /// Authored lines added by agent commits (lines in generated and vendored files are counted
    /// apart, below).
    pub agent_lines_added: u64,
    /// Authored lines deleted by agent commits.
    pub agent_lines_deleted: u64,
    /// Authored lines added by human commits.
    pub human_lines_added: u64,
    /// Authored lines deleted by human commits.
    pub human_lines_deleted: u64,
    /// Authored lines added by agents ÷ authored lines added by agents and humans.
    pub line_share: Option<f64>,
    /// Lines added by agent commits in generated and vendored files (lockfiles, snapshots,
    /// vendored code, minified bundles, generated code: `[generated]` in the rules).
    pub agent_generated_lines_added: u64,
    /// Lines deleted by agent commits in generated and vendored files.
    pub agent_generated_lines_deleted: u64,
    /// Lines added by human commits in generated and vendored files.
    pub human_generated_lines_added: u64,
    /// Lines deleted by human commits in generated and vendored files.
    pub human_generated_lines_deleted: u64,
    /// The commit with more than half of the authored lines changed, when one has.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dominant_commit: Option<DominantCommit>,
    /// Sessions with an agent (counted in the period they start).
    pub agent_sessions: u64,
    /// Sessions without one.
    pub human_sessions: u64,
    /// Work-mode mix of agent commits: commits, changed lines and sessions per mode.
    pub agent_modes: ModeMix,
    /// Work-mode mix of human commits.
    pub human_modes: ModeMix,
    /// Merged pull requests (with pull-request data).
    pub pull_requests: u64,
    /// Merged pull requests with agent evidence.
    pub agent_pull_requests: u64,
    /// Agent pull requests per agent.
    pub pull_request_agents: BTreeMap<String, u64>,
    /// Repositories with at least one human or agent commit.
    pub repositories_active: u64,
    /// Active repositories with at least one agent commit (the adoption floor).
    pub repositories_adopting: u64,
    /// The floor plus active repositories with only weak evidence: low-confidence leads, agent
    /// configuration files present by then, agent pull requests (the adoption ceiling).
    pub repositories_ceiling: u64,
    /// Active repositories per intensity cohort of their agent share.
    pub repository_cohorts: Cohorts,
    /// Active authors per intensity cohort of their own agent share.
    pub author_cohorts: Cohorts,
    /// What happened afterwards to agent commits (reverted, reworked).
    pub agent_outcomes: OutcomeRow,
    /// What happened afterwards to human commits.
    pub human_outcomes: OutcomeRow,
    /// Hidden by `--min-authors`: fewer distinct authors stand behind this row than asked, so
    /// every number in it is zero.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub suppressed: bool,
}

/// How many authors or repositories fall in each intensity cohort.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Cohorts {
    /// No agent commits.
    pub none: u64,
    /// At most 5% agent commits.
    pub light: u64,
    /// Over 5%, at most 20%.
    pub moderate: u64,
    /// Over 20%.
    pub heavy: u64,
}

impl Cohorts {
    pub(super) fn from_array(a: [u64; 4]) -> Self {
        Cohorts {
            none: a[0],
            light: a[1],
            moderate: a[2],
            heavy: a[3],
        }
    }

    pub(super) fn add(&mut self, c: Cohort) {
        *self.get_mut(c) += 1;
    }

    pub(super) fn get_mut(&mut self, c: Cohort) -> &mut u64 {
        match c {
            Cohort::None => &mut self.none,
            Cohort::Light => &mut self.light,
            Cohort::Moderate => &mut self.moderate,
            Cohort::Heavy => &mut self.heavy,
        }
    }

    /// The count of one cohort.
    pub fn get(&self, c: Cohort) -> u64 {
        match c {
            Cohort::None => self.none,
            Cohort::Light => self.light,
            Cohort::Moderate => self.moderate,
            Cohort::Heavy => self.heavy,
        }
    }

    /// All cohorts together.
    pub fn total(&self) -> u64 {
        self.none + self.light + self.moderate + self.heavy
    }
}

/// Outcome proxies of one side, with their shares.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct OutcomeRow {
    /// Non-merge commits of this side.
    pub commits: u64,
    /// Commits later reverted (`This reverts commit <sha>`).
    pub reverted: u64,
    /// reverted ÷ commits.
    pub reverted_share: Option<f64>,
    /// Commits whose changed paths were read: rework needs them.
    pub commits_with_paths: u64,
    /// Commits followed within 14 days by a Fix-mode commit on the same code files.
    pub reworked: u64,
    /// reworked ÷ commits_with_paths.
    pub reworked_share: Option<f64>,
    /// Commits neither reverted nor reworked: they lasted, as far as git shows.
    pub successful: u64,
    /// successful ÷ commits.
    pub success_share: Option<f64>,
}

impl OutcomeRow {
    pub(crate) fn from(o: &Outcome) -> Self {
        OutcomeRow {
            commits: o.commits,
            reverted: o.reverted,
            reverted_share: round(o.reverted_share()),
            commits_with_paths: o.with_paths,
            reworked: o.reworked,
            reworked_share: round(o.reworked_share()),
            successful: o.commits - o.unsuccessful.min(o.commits),
            success_share: round(crate::aggregate::ratio(
                o.commits - o.unsuccessful.min(o.commits),
                o.commits,
            )),
        }
    }
}

pub(super) fn round(x: Option<f64>) -> Option<f64> {
    x.map(|v| (v * 10_000.0).round() / 10_000.0)
}

impl Row {
    /// A row with nothing in it.
    pub fn empty(period: Option<String>) -> Self {
        Row::from_counts(period, &Counts::default())
    }

    pub(super) fn from_counts(period: Option<String>, c: &Counts) -> Self {
        Row {
            period,
            commits: c.commits(),
            human_commits: c.human,
            agent_commits: c.agent,
            bot_commits: c.bot,
            merge_commits: c.merges,
            commit_share: round(c.commit_share()),
            agent_authored: c.authored,
            agent_co_authored: c.co_authored,
            agents_authored: c.authored_agents.clone(),
            review_assisted_commits: c.review_assisted,
            weak_signal_commits: c.weak_signal,
            active_authors: c.authors.len() as u64,
            adopting_authors: c.adopters(),
            author_share: round(c.author_share()),
            agents: c.agents.clone(),
            models: c.models.clone(),
            bots: c.bots.clone(),
            review_bots: c.review_bots.clone(),
            agent_lines_added: c.agent_lines_added,
            agent_lines_deleted: c.agent_lines_deleted,
            human_lines_added: c.human_lines_added,
            human_lines_deleted: c.human_lines_deleted,
            line_share: round(c.line_share()),
            agent_generated_lines_added: c.agent_generated_lines.0,
            agent_generated_lines_deleted: c.agent_generated_lines.1,
            human_generated_lines_added: c.human_generated_lines.0,
            human_generated_lines_deleted: c.human_generated_lines.1,
            dominant_commit: c.dominant_commit().map(|(id, share)| DominantCommit {
                id: id.to_owned(),
                share: round(Some(share)).unwrap_or(share),
            }),
            agent_sessions: c.agent_modes.sessions.total(),
            human_sessions: c.human_modes.sessions.total(),
            agent_modes: c.agent_modes,
            human_modes: c.human_modes,
            pull_requests: c.pull_requests,
            agent_pull_requests: c.agent_pull_requests,
            pull_request_agents: c.pull_request_agents.clone(),
            repositories_active: 0,
            repositories_adopting: 0,
            repositories_ceiling: 0,
            repository_cohorts: Cohorts::default(),
            author_cohorts: Cohorts::from_array(c.author_cohorts()),
            agent_outcomes: OutcomeRow::from(&c.agent_outcome),
            human_outcomes: OutcomeRow::from(&c.human_outcome),
            suppressed: false,
        }
    }

    /// Fill the repository-adoption counts from per-repository cells of the same period.
    pub(super) fn set_adoption(&mut self, adoption: Adoption) {
        self.repositories_active = adoption.active;
        self.repositories_adopting = adoption.floor;
        self.repositories_ceiling = adoption.ceiling;
        self.repository_cohorts = adoption.cohorts;
    }
}

/// Repository adoption of one period.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Adoption {
    active: u64,
    floor: u64,
    ceiling: u64,
    cohorts: Cohorts,
}

impl Adoption {
    /// `cell` is one repository's counts in a period ending at `end`; `configured_before` tells
    /// whether the repository had agent configuration by then.
    pub(super) fn add(&mut self, cell: &Counts, configured: bool) {
        if cell.human + cell.agent == 0 {
            return;
        }
        self.active += 1;
        self.cohorts
            .add(Cohort::of(cell.agent, cell.agent + cell.human));
        if cell.agent > 0 {
            self.floor += 1;
            self.ceiling += 1;
        } else if cell.weak_signal > 0 || cell.agent_pull_requests > 0 || configured {
            self.ceiling += 1;
        }
    }
}
