//! CSV: one row per (repository, period) with totals, for spreadsheets and data frames.
//!
//! Rows for all repositories together come first with `repository` set to `(all)`; each
//! repository's rows follow. The `period` column is `total` on total rows. The work-mode mix gets
//! one column per side, measure and mode (`agent_commits:build`, `human_lines:fix`,
//! `agent_sessions:test`); agent and model counts one column each (`agent:claude-code`,
//! `model:claude-opus-4.6`) for every agent and model in the report, so every row has the same
//! columns. Rows hidden by `--min-authors` have `suppressed` = 1 and every number empty.

use std::collections::BTreeSet;

use super::{Exporter, Report, Row};
use crate::aggregate::COHORTS;
use crate::classify::MODES;

/// Renders [`Report`] as CSV.
pub struct CsvExporter;

const FIXED: [&str; 42] = [
    "repository",
    "period",
    "commits",
    "human_commits",
    "agent_commits",
    "bot_commits",
    "merge_commits",
    "commit_share",
    "agent_authored",
    "agent_co_authored",
    "review_assisted_commits",
    "weak_signal_commits",
    "active_authors",
    "adopting_authors",
    "author_share",
    "agent_lines_added",
    "agent_lines_deleted",
    "human_lines_added",
    "human_lines_deleted",
    "line_share",
    "agent_sessions",
    "human_sessions",
    "pull_requests",
    "agent_pull_requests",
    "repositories_active",
    "repositories_adopting",
    "repositories_ceiling",
    "repositories:none",
    "repositories:light",
    "repositories:moderate",
    "repositories:heavy",
    "authors:none",
    "authors:light",
    "authors:moderate",
    "authors:heavy",
    "agent_reverted",
    "agent_commits_with_paths",
    "agent_reworked",
    "human_reverted",
    "human_commits_with_paths",
    "human_reworked",
    "suppressed",
];

impl Exporter for CsvExporter {
    fn render(&self, report: &Report) -> String {
        let agents: BTreeSet<&String> = report.totals.agents.keys().collect();
        let models: BTreeSet<&String> = report.totals.models.keys().collect();
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header: Vec<String> = FIXED.iter().map(|s| s.to_string()).collect();
        for side in ["agent", "human"] {
            for metric in ["commits", "lines", "sessions"] {
                header.extend(MODES.iter().map(|m| format!("{side}_{metric}:{m}")));
            }
        }
        header.extend(agents.iter().map(|a| format!("agent:{a}")));
        header.extend(models.iter().map(|m| format!("model:{m}")));
        let _ = w.write_record(&header);
        let mut write = |repo: &str, row: &Row| {
            let share = |x: Option<f64>| x.map(|v| format!("{v:.4}")).unwrap_or_default();
            let mut rec = vec![
                repo.to_owned(),
                row.period.clone().unwrap_or_else(|| "total".to_owned()),
                row.commits.to_string(),
                row.human_commits.to_string(),
                row.agent_commits.to_string(),
                row.bot_commits.to_string(),
                row.merge_commits.to_string(),
                share(row.commit_share),
                row.agent_authored.to_string(),
                row.agent_co_authored.to_string(),
                row.review_assisted_commits.to_string(),
                row.weak_signal_commits.to_string(),
                row.active_authors.to_string(),
                row.adopting_authors.to_string(),
                share(row.author_share),
                row.agent_lines_added.to_string(),
                row.agent_lines_deleted.to_string(),
                row.human_lines_added.to_string(),
                row.human_lines_deleted.to_string(),
                share(row.line_share),
                row.agent_sessions.to_string(),
                row.human_sessions.to_string(),
                row.pull_requests.to_string(),
                row.agent_pull_requests.to_string(),
                row.repositories_active.to_string(),
                row.repositories_adopting.to_string(),
                row.repositories_ceiling.to_string(),
            ];
            for c in [&row.repository_cohorts, &row.author_cohorts] {
                rec.extend(COHORTS.iter().map(|&k| c.get(k).to_string()));
            }
            for o in [&row.agent_outcomes, &row.human_outcomes] {
                rec.extend([
                    o.reverted.to_string(),
                    o.commits_with_paths.to_string(),
                    o.reworked.to_string(),
                ]);
            }
            rec.push(if row.suppressed { "1" } else { "0" }.to_owned());
            for mix in [&row.agent_modes, &row.human_modes] {
                for counts in [&mix.commits, &mix.lines, &mix.sessions] {
                    rec.extend(MODES.iter().map(|&m| counts.get(m).to_string()));
                }
            }
            rec.extend(
                agents
                    .iter()
                    .map(|a| row.agents.get(*a).copied().unwrap_or(0).to_string()),
            );
            rec.extend(
                models
                    .iter()
                    .map(|m| row.models.get(*m).copied().unwrap_or(0).to_string()),
            );
            if row.suppressed {
                // Hidden rows say so, and nothing else: no zeros that read as data.
                for (i, v) in rec.iter_mut().enumerate() {
                    if i >= 2 && FIXED.get(i) != Some(&"suppressed") {
                        v.clear();
                    }
                }
            }
            let _ = w.write_record(&rec);
        };
        for row in &report.periods {
            write("(all)", row);
        }
        write("(all)", &report.totals);
        for repo in &report.repositories {
            for row in &repo.periods {
                write(&repo.name, row);
            }
            write(&repo.name, &repo.totals);
        }
        let bytes = w.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}
