//! Reports: the serialisable view of an aggregate, and one exporter per output format.
//!
//! [`Report`] is built once from the aggregate and the repository outcomes; every format renders
//! that same value, so the terminal table, JSON, CSV and Markdown never disagree. The JSON form is a
//! public contract: it carries `schema_version`, uses snake_case keys, and is documented in the
//! README.

mod csv;
mod html;
mod json;
mod markdown;
pub mod sections;
mod table;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::aggregate::{Aggregate, Cohort, Counts, ModeMix, Outcome, ratio};
use crate::period::Period;
use crate::scan::{RepoOutcome, RepoStatus};
use crate::signatures::{Category, Registry};

/// Version of the JSON report layout; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Whether a report has line counts worth showing (the scan read them).
pub fn has_lines(row: &Row) -> bool {
    row.agent_lines_added
        + row.agent_lines_deleted
        + row.human_lines_added
        + row.human_lines_deleted
        > 0
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
    /// Lines added by agent commits.
    pub agent_lines_added: u64,
    /// Lines deleted by agent commits.
    pub agent_lines_deleted: u64,
    /// Lines added by human commits.
    pub human_lines_added: u64,
    /// Lines deleted by human commits.
    pub human_lines_deleted: u64,
    /// Lines added by agents ÷ lines added by agents and humans.
    pub line_share: Option<f64>,
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
    fn from_array(a: [u64; 4]) -> Self {
        Cohorts {
            none: a[0],
            light: a[1],
            moderate: a[2],
            heavy: a[3],
        }
    }

    fn add(&mut self, c: Cohort) {
        *self.get_mut(c) += 1;
    }

    fn get_mut(&mut self, c: Cohort) -> &mut u64 {
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
}

impl OutcomeRow {
    fn from(o: &Outcome) -> Self {
        OutcomeRow {
            commits: o.commits,
            reverted: o.reverted,
            reverted_share: round(o.reverted_share()),
            commits_with_paths: o.with_paths,
            reworked: o.reworked,
            reworked_share: round(o.reworked_share()),
        }
    }
}

fn round(x: Option<f64>) -> Option<f64> {
    x.map(|v| (v * 10_000.0).round() / 10_000.0)
}

impl Row {
    /// A row with nothing in it.
    pub fn empty(period: Option<String>) -> Self {
        Row::from_counts(period, &Counts::default())
    }

    fn from_counts(period: Option<String>, c: &Counts) -> Self {
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
    fn set_adoption(&mut self, adoption: Adoption) {
        self.repositories_active = adoption.active;
        self.repositories_adopting = adoption.floor;
        self.repositories_ceiling = adoption.ceiling;
        self.repository_cohorts = adoption.cohorts;
    }
}

/// Repository adoption of one period.
#[derive(Debug, Clone, Copy, Default)]
struct Adoption {
    active: u64,
    floor: u64,
    ceiling: u64,
    cohorts: Cohorts,
}

impl Adoption {
    /// `cell` is one repository's counts in a period ending at `end`; `configured_before` tells
    /// whether the repository had agent configuration by then.
    fn add(&mut self, cell: &Counts, configured: bool) {
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

/// How one repository's scan ended, in the report.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Fully scanned.
    Ok,
    /// No commits.
    Empty,
    /// Shallow clone: history is partial.
    Partial,
    /// Could not be read; not counted.
    Failed,
    /// The scan stopped early; the next one resumes.
    Interrupted,
}

impl Status {
    /// How tables name it.
    pub fn word(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Empty => "empty",
            Status::Partial => "partial (shallow)",
            Status::Failed => "FAILED",
            Status::Interrupted => "interrupted",
        }
    }
}

/// One repository in the report.
#[derive(Debug, Clone, Serialize)]
pub struct RepositoryReport {
    /// Display name.
    pub name: String,
    /// Path scanned.
    pub path: String,
    /// How the scan ended.
    pub status: Status,
    /// Why it failed, or what is partial.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Commits in the store for this repository (reachable), before date filtering.
    pub commits_scanned: u64,
    /// Commits read from git by this scan; absent for reports made from the store alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_commits: Option<u64>,
    /// All periods summed.
    pub totals: Row,
    /// One row per period with commits.
    pub periods: Vec<Row>,
    /// Agent configuration files at the scanned tip.
    pub configs: Vec<crate::store::ConfigRow>,
}

/// An agent or bot named in the report.
#[derive(Debug, Clone, Serialize)]
pub struct AgentInfo {
    /// Registry id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Vendor.
    pub vendor: String,
    /// agent, review-bot or automation-bot.
    pub category: Category,
    /// An agent-agnostic entry (`AGENTS.md`, `AI-assisted: true`): its evidence names no agent.
    #[serde(skip)]
    pub fallback: bool,
}

/// A complete report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// See [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// `agentscan <version>`.
    pub generator: String,
    /// Bucket length.
    pub period: Period,
    /// Lower date bound given by the user (inclusive).
    pub since: Option<String>,
    /// Upper date bound given by the user (inclusive).
    pub until: Option<String>,
    /// Every repository, failed ones included.
    pub repositories: Vec<RepositoryReport>,
    /// Everything summed.
    pub totals: Row,
    /// All repositories summed, one row per period.
    pub periods: Vec<Row>,
    /// People with agent or human commits, most agent commits first (empty under
    /// `--min-authors`).
    pub authors: Vec<AuthorReport>,
    /// The agents and bots named anywhere in the report.
    pub agents: Vec<AgentInfo>,
    /// What `--min-authors` and `--anonymize` did.
    pub privacy: Privacy,
}

/// What a report says besides the aggregate: the date bounds as the user gave them, the agent
/// configuration files of each repository, and the privacy settings.
#[derive(Debug, Clone, Default)]
pub struct Bounds {
    /// `--since` as given.
    pub since: Option<String>,
    /// `--until` as given.
    pub until: Option<String>,
    /// Configuration findings per repository key.
    pub configs: BTreeMap<String, Vec<crate::store::ConfigRow>>,
    /// `--min-authors`: hide every row backed by fewer distinct authors, and every agent or model
    /// entry used by fewer.
    pub min_authors: Option<u64>,
    /// `--anonymize`: pseudonyms for people.
    pub pseudonyms: Option<crate::privacy::Pseudonyms>,
}

/// One person in the report.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorReport {
    /// Display name (a pseudonym with `--anonymize`).
    pub name: String,
    /// Email (a pseudonym with `--anonymize`).
    pub email: String,
    /// Agent and human commits.
    pub commits: u64,
    /// Agent commits.
    pub agent_commits: u64,
    /// agent ÷ (agent + human) commits.
    pub commit_share: Option<f64>,
    /// Intensity cohort.
    pub cohort: Cohort,
}

/// What privacy settings did to a report.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Privacy {
    /// `--min-authors`, when given.
    pub min_authors: Option<u64>,
    /// Whether people are pseudonyms.
    pub anonymized: bool,
    /// Rows hidden for being backed by too few authors.
    pub suppressed_rows: u64,
    /// Agent and model entries left out of rows for being used by too few authors.
    pub suppressed_entries: u64,
}

/// Builds rows under the privacy settings, counting what it hides.
struct RowMaker {
    min_authors: u64,
    suppressed_rows: u64,
    suppressed_entries: u64,
}

impl RowMaker {
    fn row(&mut self, period: Option<String>, c: &Counts) -> Row {
        let mut row = Row::from_counts(period.clone(), c);
        if self.min_authors <= 1 {
            return row;
        }
        if (c.authors.len() as u64) < self.min_authors {
            self.suppressed_rows += 1;
            let mut hidden = Row::from_counts(period, &Counts::default());
            hidden.suppressed = true;
            return hidden;
        }
        let k = self.min_authors as usize;
        for (map, people) in [
            (&mut row.agents, &c.agent_authors),
            (&mut row.models, &c.model_authors),
        ] {
            let before = map.len();
            map.retain(|key, _| people.get(key).is_some_and(|p| p.len() >= k));
            self.suppressed_entries += (before - map.len()) as u64;
        }
        row
    }
}

impl Report {
    /// Build the report of an aggregate and the repository outcomes.
    pub fn build(
        aggregate: &Aggregate,
        repos: &[RepoOutcome],
        registry: &Registry,
        bounds: &Bounds,
    ) -> Self {
        let mut maker = RowMaker {
            min_authors: bounds.min_authors.unwrap_or(0),
            suppressed_rows: 0,
            suppressed_entries: 0,
        };
        // Agent configuration counts for a period once it is present by the period's end; a
        // `.gitignore` entry or a file of unknown age counts throughout.
        let configured_by = |key: &str, end: Option<i64>| {
            bounds.configs.get(key).is_some_and(|c| {
                c.iter().any(|f| match (f.first_seen, end) {
                    (Some(seen), Some(end)) => seen < end,
                    _ => true,
                })
            })
        };
        let period_end = |label: &str| {
            let (start, end, _) = aggregate.period.bucket_of(label)?;
            Some(end.max(start))
        };
        let names = unique_names(repos);
        let mut repositories = Vec::new();
        for (r, name) in repos.iter().zip(names) {
            let (status, message) = match &r.status {
                RepoStatus::Scanned => (Status::Ok, None),
                RepoStatus::Empty => (Status::Empty, Some("no commits".to_owned())),
                RepoStatus::Partial => (
                    Status::Partial,
                    Some(
                        "shallow clone: history before the shallow boundary is missing".to_owned(),
                    ),
                ),
                RepoStatus::Failed(m) => (Status::Failed, Some(m.clone())),
                RepoStatus::Interrupted => (
                    Status::Interrupted,
                    Some("interrupted: what was read is stored; scan again to resume".to_owned()),
                ),
            };
            let empty = BTreeMap::new();
            let cells = aggregate.repos.get(&r.key).unwrap_or(&empty);
            let periods = cells
                .iter()
                .map(|(label, c)| {
                    let mut row = maker.row(Some(label.clone()), c);
                    if !row.suppressed {
                        let mut adoption = Adoption::default();
                        adoption.add(c, configured_by(&r.key, period_end(label)));
                        row.set_adoption(adoption);
                    }
                    row
                })
                .collect();
            let total = aggregate.repo_total(&r.key);
            let mut totals = maker.row(None, &total);
            if !totals.suppressed {
                let mut adoption = Adoption::default();
                adoption.add(&total, configured_by(&r.key, None));
                totals.set_adoption(adoption);
            }
            repositories.push(RepositoryReport {
                configs: bounds.configs.get(&r.key).cloned().unwrap_or_default(),
                name,
                path: r.path.display().to_string(),
                status,
                message,
                commits_scanned: r.commits,
                new_commits: r.new,
                totals,
                periods,
            });
        }
        let total = aggregate.total();
        let mut periods = Vec::new();
        for (label, c) in &aggregate.overall() {
            let mut row = maker.row(Some(label.clone()), c);
            if !row.suppressed {
                let end = period_end(label);
                let mut adoption = Adoption::default();
                for (key, cells) in &aggregate.repos {
                    if let Some(cell) = cells.get(label) {
                        adoption.add(cell, configured_by(key, end));
                    }
                }
                row.set_adoption(adoption);
            }
            periods.push(row);
        }
        let mut totals = maker.row(None, &total);
        if !totals.suppressed {
            let mut adoption = Adoption::default();
            for key in aggregate.repos.keys() {
                adoption.add(&aggregate.repo_total(key), configured_by(key, None));
            }
            totals.set_adoption(adoption);
        }
        // One person is one author: a per-person table is never shown under --min-authors.
        let authors = if maker.min_authors > 1 {
            Vec::new()
        } else {
            let mut authors: Vec<AuthorReport> = total
                .authors
                .iter()
                .map(|(identity, a)| {
                    let name = aggregate
                        .names
                        .get(identity)
                        .map_or(identity.as_str(), |(_, name)| name.as_str());
                    let (name, email) =
                        crate::privacy::person(bounds.pseudonyms.as_ref(), name, identity);
                    AuthorReport {
                        name,
                        email,
                        commits: a.agent + a.human,
                        agent_commits: a.agent,
                        commit_share: round(ratio(a.agent, a.agent + a.human)),
                        cohort: a.cohort(),
                    }
                })
                .collect();
            authors.sort_by(|a, b| {
                b.agent_commits
                    .cmp(&a.agent_commits)
                    .then(b.commits.cmp(&a.commits))
                    .then(a.name.cmp(&b.name))
            });
            authors
        };
        let mut ids: Vec<&String> = totals
            .agents
            .keys()
            .chain(totals.bots.keys())
            .chain(totals.review_bots.keys())
            .chain(totals.pull_request_agents.keys())
            .chain(repositories.iter().flat_map(|r| r.totals.agents.keys()))
            .chain(bounds.configs.values().flatten().map(|c| &c.agent))
            .collect();
        ids.sort();
        ids.dedup();
        let agents = ids
            .into_iter()
            .map(|id| match registry.agent(id) {
                Some(a) => AgentInfo {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    vendor: a.vendor.clone(),
                    category: a.category,
                    fallback: a.fallback,
                },
                None => AgentInfo {
                    id: id.clone(),
                    name: id.clone(),
                    vendor: String::new(),
                    category: Category::Agent,
                    fallback: false,
                },
            })
            .collect();
        Report {
            schema_version: SCHEMA_VERSION,
            generator: format!("agentscan {}", env!("CARGO_PKG_VERSION")),
            period: aggregate.period,
            since: bounds.since.clone(),
            until: bounds.until.clone(),
            repositories,
            totals,
            periods,
            authors,
            agents,
            privacy: Privacy {
                min_authors: bounds.min_authors,
                anonymized: bounds.pseudonyms.is_some(),
                suppressed_rows: maker.suppressed_rows,
                suppressed_entries: maker.suppressed_entries,
            },
        }
    }

    /// What a repository is configured for, sorted: agents by display name (`names`) or id, and
    /// the file itself where the file names no agent (`AGENTS.md`); "(attribution off)" where a
    /// setting turns the agent's commit trailers off.
    pub fn configured(&self, configs: &[crate::store::ConfigRow], names: bool) -> Vec<String> {
        let mut labels: BTreeMap<String, bool> = BTreeMap::new();
        for c in configs {
            let info = self.agents.iter().find(|a| a.id == c.agent);
            let label = match info {
                Some(a) if a.fallback => c.path.clone(),
                Some(a) if names => a.name.clone(),
                _ => c.agent.clone(),
            };
            *labels.entry(label).or_default() |= c.detail.as_deref() == Some("attribution off");
        }
        labels
            .into_iter()
            .map(|(label, off)| {
                if off {
                    format!("{label} (attribution off)")
                } else {
                    label
                }
            })
            .collect()
    }

    /// Display name of an agent id.
    pub fn agent_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.agents
            .iter()
            .find(|a| a.id == id)
            .map_or(id, |a| a.name.as_str())
    }
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned tables for a terminal.
    Table,
    /// JSON (see the README for the schema).
    Json,
    /// CSV, one row per repository and period.
    Csv,
    /// A Markdown report.
    Markdown,
    /// A self-contained HTML page with SVG charts.
    Html,
}

/// Renders a report in one format.
pub trait Exporter {
    /// The report as text.
    fn render(&self, report: &Report) -> String;
}

/// The exporter for `format`.
pub fn exporter(format: Format) -> Box<dyn Exporter> {
    match format {
        Format::Table => Box::new(table::TableExporter),
        Format::Json => Box::new(json::JsonExporter),
        Format::Csv => Box::new(csv::CsvExporter),
        Format::Markdown => Box::new(markdown::MarkdownExporter),
        Format::Html => Box::new(html::HtmlExporter),
    }
}

/// `0.3041` → `30.4%`; `None` → `-`.
pub fn percent(x: Option<f64>) -> String {
    match x {
        Some(v) => format!("{:.1}%", v * 100.0),
        None => "-".to_owned(),
    }
}

/// The top `n` entries of a count map, largest first, as `id 12, other 3`.
pub fn top(map: &BTreeMap<String, u64>, n: usize) -> String {
    let mut v: Vec<(&String, &u64)> = map.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let mut out: Vec<String> = v.iter().take(n).map(|(k, c)| format!("{k} {c}")).collect();
    if v.len() > n {
        out.push(format!("+{} more", v.len() - n));
    }
    out.join(", ")
}

/// Entries of a count map, largest first.
pub fn ranked(map: &BTreeMap<String, u64>) -> Vec<(&String, u64)> {
    let mut v: Vec<(&String, u64)> = map.iter().map(|(k, v)| (k, *v)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v
}

/// A name per repository that no other repository of the report has: its own name when that is
/// unique, else the shortest ending of its path that tells it from the others of that name
/// (`team-a/api`, `team-b/api`). The same repository (one key) keeps one name.
pub fn unique_names(repos: &[RepoOutcome]) -> Vec<String> {
    let mut out: Vec<String> = repos.iter().map(|r| r.name.clone()).collect();
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, r) in repos.iter().enumerate() {
        groups.entry(r.name.as_str()).or_default().push(i);
    }
    for members in groups.values() {
        let mut keys: Vec<&str> = members.iter().map(|&i| repos[i].key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        if keys.len() < 2 {
            continue;
        }
        // Path components, last first, without the generic tail a name skips (`repo`, `.git`).
        let parts = |i: usize| -> Vec<String> {
            let path = &repos[i].path;
            let mut c: Vec<String> = path
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            while c
                .last()
                .is_some_and(|l| matches!(l.as_str(), ".git" | "repo" | "repo.git" | "repository"))
                && c.len() > 1
            {
                c.pop();
            }
            if let Some(l) = c.last_mut()
                && let Some(stripped) = l.strip_suffix(".git")
            {
                *l = stripped.to_owned();
            }
            c.reverse();
            c
        };
        let all: Vec<Vec<String>> = members.iter().map(|&i| parts(i)).collect();
        let longest = all.iter().map(Vec::len).max().unwrap_or(1);
        for (m, &i) in members.iter().enumerate() {
            let suffix = |k: usize| -> Vec<String> {
                let mut s: Vec<String> = all[m].iter().take(k).cloned().collect();
                s.reverse();
                s
            };
            let mut chosen = suffix(longest);
            for k in 1..=longest {
                let mine = suffix(k);
                let clash = members.iter().enumerate().any(|(o, &j)| {
                    o != m && repos[j].key != repos[i].key && {
                        let mut theirs: Vec<String> = all[o].iter().take(k).cloned().collect();
                        theirs.reverse();
                        theirs == mine
                    }
                });
                if !clash {
                    chosen = mine;
                    break;
                }
            }
            out[i] = chosen.join("/");
        }
    }
    out
}
