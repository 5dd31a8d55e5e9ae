//! The terminal table: what `agentscan scan` prints by default.

use comfy_table::{CellAlignment, Table, TableStyle};

use super::{Exporter, Report, Row, has_lines, percent, ranked, sections, top};
use crate::aggregate::{ModeCounts, ratio};
use crate::classify::MODES;

/// Renders [`Report`] as aligned tables for a terminal.
pub struct TableExporter;

/// The terminal shows the most used models; the other formats show all.
const MAX_MODELS: usize = 10;

const STYLE: TableStyle =
    TableStyle::new().header_separator(comfy_table::LineStyle::none().fill('─').junction('─'));

fn table(header: &[&str], right_from: usize) -> Table {
    let mut t = Table::new();
    t.load_style(STYLE);
    t.set_header(header.to_vec());
    for (i, col) in t.column_iter_mut().enumerate() {
        if i >= right_from {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

fn align_last_left(t: &mut Table) {
    if let Some(last) = t.column_iter_mut().last() {
        last.set_cell_alignment(CellAlignment::Left);
    }
}

impl Exporter for TableExporter {
    fn render(&self, report: &Report) -> String {
        let mut out = String::new();
        let scanned = sections::scanned(report);
        let range = sections::range(report);
        let t = &report.totals;
        out.push_str(&format!(
            "{} {}, {} commits{range}: {} by agents ({} of human and agent commits), {} human, {} bot, {} merges.\n\n",
            scanned,
            if scanned == 1 { "repository" } else { "repositories" },
            t.commits + t.merge_commits,
            t.agent_commits,
            percent(t.commit_share),
            t.human_commits,
            t.bot_commits,
            t.merge_commits,
        ));

        let period = capitalise(report.period.as_str());
        let lines = has_lines(t);
        let mut header = vec![
            period.as_str(),
            "Commits",
            "Human",
            "Agent",
            "Bot",
            "Merges",
            "Agent share",
        ];
        if lines {
            header.push("Line share");
        }
        header.extend(["Authors", "Adopting", "Agents"]);
        let mut by_period = table(&header, 1);
        align_last_left(&mut by_period);
        for row in report.periods.iter().chain(std::iter::once(&report.totals)) {
            if row.suppressed {
                let mut cells = vec![
                    row.period.clone().unwrap_or_else(|| "Total".to_owned()),
                    sections::HIDDEN.to_owned(),
                ];
                cells.resize(header.len(), String::new());
                by_period.add_row(cells);
                continue;
            }
            let mut cells = vec![
                report.period_label(row),
                row.commits.to_string(),
                row.human_commits.to_string(),
                row.agent_commits.to_string(),
                row.bot_commits.to_string(),
                row.merge_commits.to_string(),
                percent(row.commit_share),
            ];
            if lines {
                cells.push(percent(row.line_share));
            }
            cells.extend([
                row.active_authors.to_string(),
                row.adopting_authors.to_string(),
                top(&row.agents, 3),
            ]);
            by_period.add_row(cells);
        }
        out.push_str(&by_period.trim_fmt());
        out.push_str("\n\n");

        // The repository figure with its intervals, for a sample (the table above has the
        // counts already).
        let a = &report.repositories_adoption;
        if a.sampled && !a.periods.is_empty() {
            let figure = super::adoption::table(a);
            let mut t = table(
                &figure.header.iter().map(String::as_str).collect::<Vec<_>>(),
                1,
            );
            for row in &figure.rows {
                t.add_row(row.clone());
            }
            out.push_str("Repositories with agent activity (95% intervals)\n");
            out.push_str(&t.trim_fmt());
            out.push('\n');
            if let Some(change) = super::adoption::change_text(a) {
                out.push_str(&change);
                out.push('\n');
            }
            if let Some(sample) = &report.sample {
                out.push_str(&super::adoption::sample_text(sample));
                out.push('\n');
            }
            out.push('\n');
        }
        if let Some(since) = &report.history_since {
            out.push_str(&super::adoption::history_text(since));
            out.push_str("\n\n");
        }

        out.push_str(&mode_tables(report, lines));

        if !t.agents.is_empty() {
            let mut agents = table(&["Agent", "Id", "Commits", "Share of agent commits"], 2);
            for (id, n) in ranked(&t.agents) {
                agents.add_row(vec![
                    report.agent_name(id).to_owned(),
                    id.clone(),
                    n.to_string(),
                    percent(super::super::aggregate::ratio(n, t.agent_commits)),
                ]);
            }
            out.push_str(&agents.trim_fmt());
            out.push_str("\n\n");
        }
        if !t.models.is_empty() {
            let mut models = table(&["Model", "Commits"], 1);
            let ranked = ranked(&t.models);
            for (m, n) in ranked.iter().take(MAX_MODELS) {
                models.add_row(vec![(*m).clone(), n.to_string()]);
            }
            out.push_str(&models.trim_fmt());
            if ranked.len() > MAX_MODELS {
                let rest: u64 = ranked[MAX_MODELS..].iter().map(|(_, n)| n).sum();
                out.push_str(&format!(
                    "\n … {} more models with {} commits (all of them in --format json, csv or markdown)",
                    ranked.len() - MAX_MODELS,
                    rest
                ));
            }
            out.push_str("\n\n");
        }
        if !t.bots.is_empty() || !t.review_bots.is_empty() {
            let mut bots = table(&["Bot", "Kind", "Commits"], 2);
            for (id, n) in ranked(&t.bots) {
                bots.add_row(vec![
                    report.agent_name(id).to_owned(),
                    "automation".into(),
                    n.to_string(),
                ]);
            }
            for (id, n) in ranked(&t.review_bots) {
                bots.add_row(vec![
                    report.agent_name(id).to_owned(),
                    "review suggestions".into(),
                    n.to_string(),
                ]);
            }
            out.push_str(&bots.trim_fmt());
            out.push_str("\n\n");
        }
        if report.repositories.len() > 1 {
            let configured = report.repositories.iter().any(|r| !r.configs.is_empty());
            let prs = t.pull_requests > 0;
            let mut header = vec![
                "Repository",
                "Status",
                "Commits",
                "Agent",
                "Agent share",
                "Intensity",
                "Adoption",
            ];
            if configured {
                header.push("Configured for");
            }
            if prs {
                header.push("Agent PRs");
            }
            header.push("Agents");
            let mut repos = table(&header, 2);
            for (i, col) in repos.column_iter_mut().enumerate() {
                if i >= 5 && header[i] != "Agent PRs" {
                    col.set_cell_alignment(CellAlignment::Left);
                }
            }
            for r in &report.repositories {
                let row = &r.totals;
                if row.suppressed {
                    let mut cells = vec![
                        r.name.clone(),
                        r.status.word().to_owned(),
                        sections::HIDDEN.to_owned(),
                    ];
                    cells.resize(header.len(), String::new());
                    repos.add_row(cells);
                    continue;
                }
                let mut cells = vec![
                    r.name.clone(),
                    r.status.word().to_owned(),
                    row.commits.to_string(),
                    row.agent_commits.to_string(),
                    percent(row.commit_share),
                    sections::cohort_of(row).as_str().to_owned(),
                    sections::adoption_word(row).to_owned(),
                ];
                if configured {
                    cells.push(report.configured(&r.configs, false).join(", "));
                }
                if prs {
                    cells.push(format!(
                        "{} of {}",
                        row.agent_pull_requests, row.pull_requests
                    ));
                }
                cells.push(top(&row.agents, 3));
                repos.add_row(cells);
            }
            out.push_str(&repos.trim_fmt());
            out.push_str(&format!(
                "\n Repositories adopting: {} of {} active with agent commits (floor), {} with any agent evidence (ceiling).\n\n",
                t.repositories_adopting, t.repositories_active, t.repositories_ceiling
            ));
        }
        if !t.suppressed {
            let (a, h) = (&t.agent_outcomes, &t.human_outcomes);
            out.push_str(&format!(
                "Outcomes: later reverted {} of agent commits ({} of {}), {} of human commits ({} of {})",
                percent(a.reverted_share),
                a.reverted,
                a.commits,
                percent(h.reverted_share),
                h.reverted,
                h.commits
            ));
            if a.commits_with_paths + h.commits_with_paths > 0 {
                out.push_str(&format!(
                    "; reworked by a fix within 14 days {} of agent commits, {} of human commits",
                    percent(a.reworked_share),
                    percent(h.reworked_share)
                ));
            }
            out.push_str(".\n");
            if t.pull_requests > 0 {
                out.push_str(&format!(
                    "Pull requests: {} merged, {} by agents ({}).\n",
                    t.pull_requests,
                    t.agent_pull_requests,
                    top(&t.pull_request_agents, 5)
                ));
            }
            out.push('\n');
        }
        // The study's questions: agent work by group, debugging, autonomy, size, what lasted.
        let study = super::study::table(&report.study);
        if !study.rows.is_empty() {
            let mut s = table(
                &study.header.iter().map(String::as_str).collect::<Vec<_>>(),
                1,
            );
            for row in &study.rows {
                s.add_row(row.clone());
            }
            out.push_str("The study's questions (shares of agent commits by group of work)\n");
            out.push_str(&s.trim_fmt());
            out.push('\n');
            if let Some(change) = super::study::change_text(&report.study) {
                out.push_str(&change);
                out.push('\n');
            }
            if let Some(success) =
                super::study::success_text(&report.study, |id| report.agent_name(id).to_owned())
            {
                out.push_str(&success);
                out.push('\n');
            }
            if let Some(acceptance) =
                super::study::acceptance_text(&report.study, |id| report.agent_name(id).to_owned())
            {
                out.push_str(&acceptance);
                out.push('\n');
            }
            out.push('\n');
        }
        if let Some(k) = report.privacy.min_authors.filter(|&k| k > 1) {
            out.push_str(&format!(
                "Hidden: {} rows and {} agent or model entries backed by fewer than {k} authors.\n",
                report.privacy.suppressed_rows, report.privacy.suppressed_entries
            ));
        }
        out.push_str(
            "Agent share = agent ÷ (agent + human) commits; bots and merges excluded. Counts are floors:\n\
             agents that leave no trace (attribution turned off) are counted as human. Understand and\n\
             Plan work rarely ends in a commit, so those modes are undercounted in any git history.\n",
        );
        out
    }
}

/// `part` of `counts` as a percentage of its total.
fn mode_share(counts: &ModeCounts, mode: crate::classify::Mode) -> String {
    match ratio(counts.get(mode), counts.total()) {
        Some(v) if v < 0.005 && counts.get(mode) > 0 => "<1%".to_owned(),
        Some(v) if counts.get(mode) > 0 => format!("{:.0}%", v * 100.0),
        _ => "·".to_owned(),
    }
}

/// The work-mode mix: per period for commits, then totals by commits, lines and sessions.
fn mode_tables(report: &Report, lines: bool) -> String {
    let mut out = String::new();
    let mut header = vec![
        capitalise(report.period.as_str()),
        "Side".to_owned(),
        "Commits".to_owned(),
    ];
    header.extend(MODES.iter().map(|m| m.title().to_owned()));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut by_period = table(&header, 2);
    let side_rows = |row: &Row, label: String, t: &mut Table| {
        for (side, mix, n) in [
            ("agent", &row.agent_modes, row.agent_commits),
            ("human", &row.human_modes, row.human_commits),
        ] {
            if n == 0 {
                continue;
            }
            let mut cells = vec![label.clone(), side.to_owned(), n.to_string()];
            cells.extend(MODES.iter().map(|&m| mode_share(&mix.commits, m)));
            t.add_row(cells);
        }
    };
    for row in &report.periods {
        side_rows(row, row.period.clone().unwrap_or_default(), &mut by_period);
    }
    side_rows(&report.totals, "Total".to_owned(), &mut by_period);
    out.push_str("Work modes (share of each side's commits)\n");
    out.push_str(&by_period.trim_fmt());
    out.push_str("\n\n");

    let t = &report.totals;
    let mut header = vec!["Mode", "Agent commits", "Human commits"];
    if lines {
        header.extend(["Agent lines", "Human lines"]);
    }
    header.extend(["Agent sessions", "Human sessions"]);
    let mut totals = table(&header, 1);
    for m in MODES {
        let mut cells = vec![
            m.title().to_owned(),
            mode_share(&t.agent_modes.commits, m),
            mode_share(&t.human_modes.commits, m),
        ];
        if lines {
            cells.push(mode_share(&t.agent_modes.lines, m));
            cells.push(mode_share(&t.human_modes.lines, m));
        }
        cells.push(t.agent_modes.sessions.get(m).to_string());
        cells.push(t.human_modes.sessions.get(m).to_string());
        totals.add_row(cells);
    }
    out.push_str(&totals.trim_fmt());
    out.push_str(&format!(
        "\n {} agent sessions, {} human sessions.",
        t.agent_sessions, t.human_sessions
    ));
    if lines {
        out.push_str(&format!(
            " Lines added: {} by agents, {} by humans ({} agent line share).",
            t.agent_lines_added,
            t.human_lines_added,
            percent(t.line_share)
        ));
        let generated = t.agent_generated_lines_added + t.human_generated_lines_added;
        if generated > 0 {
            out.push_str(&format!(
                " Generated and vendored files, counted apart: {} lines added by agents, {} by humans.",
                t.agent_generated_lines_added, t.human_generated_lines_added
            ));
        }
        for row in &report.periods {
            if let Some(d) = &row.dominant_commit {
                out.push_str(&format!(
                    "\n {}: commit {} is {} of the authored lines changed.",
                    sections::label(row),
                    &d.id[..d.id.len().min(12)],
                    percent(Some(d.share))
                ));
            }
        }
    }
    out.push_str("\n\n");
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
