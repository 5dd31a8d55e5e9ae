//! Reports: the serialisable view of an aggregate, and one exporter per output format.
//!
//! [`Report`] is built once from the aggregate and the repository outcomes; every format renders
//! that same value, so the terminal table, JSON, CSV and Markdown never disagree. The JSON form is a
//! public contract: it carries `schema_version`, uses snake_case keys, and is documented in the
//! README.

pub mod adoption;
mod csv;
mod definitions;
mod html;
mod json;
pub mod listing;
mod markdown;
mod names;
mod rows;
pub mod sections;
pub mod study;
mod table;

pub use adoption::{RepositoryAdoption, SampleInfo};
pub use names::unique_names;
use rows::{Adoption, round};
pub use rows::{Cohorts, OutcomeRow, Row, has_lines};

use std::collections::BTreeMap;

use serde::Serialize;

use crate::aggregate::{Aggregate, Cohort, Counts, ModeMix, Outcome, ratio};
use crate::model::{RepoOutcome, RepoStatus};
use crate::period::Period;
use crate::signatures::{Category, Registry};

/// Version of the JSON report layout; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

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
    pub configs: Vec<crate::model::ConfigRow>,
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
    /// The share of active repositories with agent activity, per period and first to last, with
    /// intervals when the repositories are a sample.
    pub repositories_adoption: RepositoryAdoption,
    /// How the repositories were drawn, when they are a sample (`scan --sample`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample: Option<SampleInfo>,
    /// The study's questions asked of git: work-type groups and autonomy, per period and first
    /// to last, with what git cannot show.
    pub study: study::Study,
    /// The last period, when the scanned history ends inside it: its counts are not a whole
    /// period's, and the headline compares the last complete period instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partial_period: Option<String>,
    /// History before this date was not read (`scan --shallow-since`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history_since: Option<String>,
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
    pub configs: BTreeMap<String, Vec<crate::model::ConfigRow>>,
    /// `--min-authors`: hide every row backed by fewer distinct authors, and every agent or model
    /// entry used by fewer.
    pub min_authors: Option<u64>,
    /// `--anonymize`: pseudonyms for people.
    pub pseudonyms: Option<crate::privacy::Pseudonyms>,
    /// How the repositories were drawn, when they are a sample.
    pub sample: Option<SampleInfo>,
    /// The date before which history was not read, when clones were limited.
    pub history_since: Option<String>,
    /// When the history was scanned (seconds): the period holding it is not over yet.
    pub scanned_at: Option<i64>,
    /// The sessions in range: (start, whether an agent took part, changed lines).
    pub sessions: Vec<(i64, bool, u64, u64)>,
    /// One person's bursts of work holding both agent and human commits.
    pub mixed_bursts: Vec<crate::session::MixedBurst>,
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
        let shown = &row.agents;
        row.agents_authored.retain(|key, _| shown.contains_key(key));
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
                RepoStatus::Scanned => (Status::Ok, r.unreadable.as_ref().map(|u| u.to_string())),
                RepoStatus::Empty => (Status::Empty, Some("no commits".to_owned())),
                RepoStatus::Partial => (
                    Status::Partial,
                    Some(
                        "shallow clone: history before the shallow boundary is missing".to_owned(),
                    ),
                ),
                RepoStatus::Failed(m) => (Status::Failed, Some(m.to_string())),
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
        let repositories_adoption =
            RepositoryAdoption::from_rows(&periods, bounds.sample.is_some());
        let sizes: Vec<study::SessionSize> = bounds
            .sessions
            .iter()
            .map(|&(start, agent, lines, files)| study::SessionSize {
                period: aggregate.period.label(start),
                agent,
                lines,
                files,
            })
            .collect();
        let mut study = study::Study::from_rows(&periods, &sizes);
        study.add_success(&total);
        // Per-agent figures follow the privacy threshold like the agent table does.
        if let Some(k) = bounds.min_authors.filter(|&k| k > 1) {
            study
                .success
                .by_agent
                .retain(|a, _| total.agent_authors.get(a).map_or(0, |h| h.len()) as u64 >= k);
        }
        study.add_mixed(&bounds.mixed_bursts, |t| aggregate.period.label(t));
        let partial_period = bounds.scanned_at.and_then(|t| {
            let last = periods.last()?.period.clone()?;
            let (start, end, _) = aggregate.period.bucket_of(&last)?;
            (start <= t && t < end).then_some(last)
        });
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
            repositories_adoption,
            study,
            partial_period,
            sample: bounds.sample.clone(),
            history_since: bounds.history_since.clone(),
        }
    }

    /// A row's period as reports show it: `2026-12 (partial)` for a period the history ends in.
    pub fn period_label(&self, row: &Row) -> String {
        match row.period.as_deref() {
            Some(p) if self.partial_period.as_deref() == Some(p) => format!("{p} (partial)"),
            Some(p) => p.to_owned(),
            None => "Total".to_owned(),
        }
    }

    /// What a repository is configured for, sorted: agents by display name (`names`) or id, and
    /// the file itself where the file names no agent (`AGENTS.md`); "(attribution off)" where a
    /// setting turns the agent's commit trailers off.
    pub fn configured(&self, configs: &[crate::model::ConfigRow], names: bool) -> Vec<String> {
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned tables for a terminal.
    Table,
    /// JSON with a schema_version (documented in the README).
    Json,
    /// CSV, one row per repository and period.
    Csv,
    /// A Markdown report (fits a GitHub job summary).
    Markdown,
    /// One self-contained HTML page with charts.
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
