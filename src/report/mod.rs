//! Reports: the serialisable view of an aggregate, and one exporter per output format.
//!
//! [`Report`] is built once from the aggregate and the repository outcomes; every format renders
//! that same value, so the terminal table, JSON, CSV and Markdown never disagree. The JSON form is a
//! public contract: it carries `schema_version`, uses snake_case keys, and is documented in the
//! README.

mod csv;
mod json;
mod markdown;
mod table;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::aggregate::{Aggregate, Counts, ModeMix};
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
}

fn round(x: Option<f64>) -> Option<f64> {
    x.map(|v| (v * 10_000.0).round() / 10_000.0)
}

impl Row {
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
            adopting_authors: c.adopters.len() as u64,
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
        }
    }

    /// Fill the repository-adoption counts from per-repository cells of the same period.
    fn set_adoption(&mut self, adoption: Adoption) {
        self.repositories_active = adoption.active;
        self.repositories_adopting = adoption.floor;
        self.repositories_ceiling = adoption.ceiling;
    }
}

/// Repository adoption of one period.
#[derive(Debug, Clone, Copy, Default)]
struct Adoption {
    active: u64,
    floor: u64,
    ceiling: u64,
}

impl Adoption {
    /// `cell` is one repository's counts in a period ending at `end`; `configured_before` tells
    /// whether the repository had agent configuration by then.
    fn add(&mut self, cell: &Counts, configured: bool) {
        if cell.human + cell.agent == 0 {
            return;
        }
        self.active += 1;
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
    /// The agents and bots named anywhere in the report.
    pub agents: Vec<AgentInfo>,
}

/// What a report says besides the aggregate: the date bounds as the user gave them, and the
/// agent configuration files of each repository.
#[derive(Debug, Clone, Default)]
pub struct Bounds {
    /// `--since` as given.
    pub since: Option<String>,
    /// `--until` as given.
    pub until: Option<String>,
    /// Configuration findings per repository key.
    pub configs: BTreeMap<String, Vec<crate::store::ConfigRow>>,
}

impl Report {
    /// Build the report of an aggregate and the repository outcomes.
    pub fn build(
        aggregate: &Aggregate,
        repos: &[RepoOutcome],
        registry: &Registry,
        bounds: &Bounds,
    ) -> Self {
        let rows = |cells: &BTreeMap<String, Counts>| -> Vec<Row> {
            cells
                .iter()
                .map(|(label, c)| Row::from_counts(Some(label.clone()), c))
                .collect()
        };
        let repositories = repos
            .iter()
            .map(|r| {
                let (status, message) = match &r.status {
                    RepoStatus::Scanned => (Status::Ok, None),
                    RepoStatus::Empty => (Status::Empty, Some("no commits".to_owned())),
                    RepoStatus::Partial => (
                        Status::Partial,
                        Some(
                            "shallow clone: history before the shallow boundary is missing"
                                .to_owned(),
                        ),
                    ),
                    RepoStatus::Failed(m) => (Status::Failed, Some(m.clone())),
                    RepoStatus::Interrupted => (
                        Status::Interrupted,
                        Some(
                            "interrupted: what was read is stored; scan again to resume".to_owned(),
                        ),
                    ),
                };
                let empty = BTreeMap::new();
                let cells = aggregate.repos.get(&r.key).unwrap_or(&empty);
                let configs = bounds.configs.get(&r.key).cloned().unwrap_or_default();
                RepositoryReport {
                    configs,
                    name: r.name.clone(),
                    path: r.path.display().to_string(),
                    status,
                    message,
                    commits_scanned: r.commits,
                    new_commits: r.new,
                    totals: Row::from_counts(None, &aggregate.repo_total(&r.key)),
                    periods: rows(cells),
                }
            })
            .collect();
        let total = aggregate.total();
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
        let mut periods = rows(&aggregate.overall());
        for row in &mut periods {
            let label = row.period.clone().unwrap_or_default();
            let end = period_end(&label);
            let mut adoption = Adoption::default();
            for (key, cells) in &aggregate.repos {
                if let Some(cell) = cells.get(&label) {
                    adoption.add(cell, configured_by(key, end));
                }
            }
            row.set_adoption(adoption);
        }
        let mut totals = Row::from_counts(None, &total);
        let mut adoption = Adoption::default();
        for key in aggregate.repos.keys() {
            adoption.add(&aggregate.repo_total(key), configured_by(key, None));
        }
        totals.set_adoption(adoption);
        let mut ids: Vec<&String> = total
            .agents
            .keys()
            .chain(total.bots.keys())
            .chain(total.review_bots.keys())
            .chain(total.pull_request_agents.keys())
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
                },
                None => AgentInfo {
                    id: id.clone(),
                    name: id.clone(),
                    vendor: String::new(),
                    category: Category::Agent,
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
            agents,
        }
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
    /// Markdown tables.
    Markdown,
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
    }
}

/// The agents a repository is configured for (one name per agent, sorted), with a note for
/// attribution turned off.
pub fn configured_agents(configs: &[crate::store::ConfigRow]) -> Vec<String> {
    let mut agents: BTreeMap<&str, bool> = BTreeMap::new();
    for c in configs {
        *agents.entry(c.agent.as_str()).or_default() |=
            c.detail.as_deref() == Some("attribution off");
    }
    agents
        .into_iter()
        .map(|(agent, off)| {
            if off {
                format!("{agent} (attribution off)")
            } else {
                agent.to_owned()
            }
        })
        .collect()
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
