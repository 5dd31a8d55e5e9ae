//! The sections of the reports people read, as plain data: titled tables of text cells.
//!
//! The Markdown and HTML reports say the same things in the same order; building each table
//! once, as unescaped text, and leaving only layout and escaping to the renderers keeps them
//! from drifting apart — and keeps escaping in one place per format.

use super::{Report, Row, has_lines, percent, ranked};
use crate::aggregate::{COHORTS, ModeCounts, ratio};
use crate::classify::MODES;

/// A table: header, alignment and rows of unescaped text.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column titles.
    pub header: Vec<String>,
    /// Whether each column holds numbers (right-aligned).
    pub numeric: Vec<bool>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
    /// Whether the last row is a total (shown in bold).
    pub total_row: bool,
}

impl Table {
    pub(super) fn new(header: &[(&str, bool)]) -> Self {
        Table {
            header: header.iter().map(|(h, _)| (*h).to_owned()).collect(),
            numeric: header.iter().map(|(_, n)| *n).collect(),
            ..Table::default()
        }
    }

    pub(super) fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }
}

/// What a hidden cell shows.
pub const HIDDEN: &str = "hidden";

/// The label of a row: its period, or "Total".
pub fn label(row: &Row) -> String {
    row.period.clone().unwrap_or_else(|| "Total".to_owned())
}

/// `+2`, `−1`, `0`.
fn change(now: u64, before: u64) -> String {
    match now.cmp(&before) {
        std::cmp::Ordering::Greater => format!("+{}", now - before),
        std::cmp::Ordering::Less => format!("−{}", before - now),
        std::cmp::Ordering::Equal => "0".to_owned(),
    }
}

/// `+6.7 pp`, or `-` when either side has no share.
fn change_pp(now: Option<f64>, before: Option<f64>) -> String {
    match (now, before) {
        (Some(a), Some(b)) => {
            let d = (a - b) * 100.0;
            if d.abs() < 0.05 {
                "0.0 pp".to_owned()
            } else if d > 0.0 {
                format!("+{d:.1} pp")
            } else {
                format!("−{:.1} pp", -d)
            }
        }
        _ => "-".to_owned(),
    }
}

/// `3 of 10`.
fn of(part: u64, whole: u64) -> String {
    format!("{part} of {whole}")
}

/// `12 (4.5%)`.
fn count_share(n: u64, share: Option<f64>) -> String {
    format!("{n} ({})", percent(share))
}

/// The report's title: "Coding-agent adoption" and its latest period.
pub fn title(report: &Report) -> String {
    match latest(report) {
        Some((row, _)) => format!(
            "Coding-agent adoption: {}",
            row.period.as_deref().unwrap_or("")
        ),
        None => "Coding-agent adoption".to_owned(),
    }
}

/// Repositories that were scanned (all but the failed ones).
pub fn scanned(report: &Report) -> usize {
    report
        .repositories
        .iter()
        .filter(|r| r.status != super::Status::Failed)
        .count()
}

/// ", FIRST to LAST" over the report's periods, or nothing without periods.
pub fn range(report: &Report) -> String {
    match (report.periods.first(), report.periods.last()) {
        (Some(a), Some(b)) => format!(
            ", {} to {}",
            a.period.as_deref().unwrap_or(""),
            b.period.as_deref().unwrap_or("")
        ),
        _ => String::new(),
    }
}

/// The latest period and the one before it (an empty row when it had no commits).
pub fn latest(report: &Report) -> Option<(&Row, Row)> {
    // A period the history ends in is not compared: the last complete one is.
    let mut complete = report
        .periods
        .iter()
        .filter(|r| r.period.is_some() && r.period != report.partial_period);
    let last = complete.next_back()?;
    let label = last.period.as_deref()?;
    let previous_label = report.period.previous(label)?;
    let previous = report
        .periods
        .iter()
        .find(|r| r.period.as_deref() == Some(previous_label.as_str()))
        .cloned()
        .unwrap_or_else(|| Row::empty(Some(previous_label)));
    Some((last, previous))
}

/// Whether any pull-request data is in the report.
fn has_pull_requests(report: &Report) -> bool {
    report.totals.pull_requests > 0
}

/// The latest period against the one before.
pub fn headline(report: &Report) -> Option<(String, Table)> {
    let (now, before) = latest(report)?;
    let (a, b) = (label(now), label(&before));
    let mut t = Table::new(&[("Measure", false), (&a, true), (&b, true), ("Change", true)]);
    if now.suppressed || before.suppressed {
        t.push(vec![
            "Every measure".into(),
            if now.suppressed { HIDDEN } else { "" }.into(),
            if before.suppressed { HIDDEN } else { "" }.into(),
            "-".into(),
        ]);
        return Some((format!("{a} against {b}"), t));
    }
    t.push(vec![
        "Agent share of commits".into(),
        percent(now.commit_share),
        percent(before.commit_share),
        change_pp(now.commit_share, before.commit_share),
    ]);
    t.push(vec![
        "Agent commits".into(),
        now.agent_commits.to_string(),
        before.agent_commits.to_string(),
        change(now.agent_commits, before.agent_commits),
    ]);
    t.push(vec![
        "Human commits".into(),
        now.human_commits.to_string(),
        before.human_commits.to_string(),
        change(now.human_commits, before.human_commits),
    ]);
    if has_lines(&report.totals) {
        t.push(vec![
            "Agent share of lines added".into(),
            percent(now.line_share),
            percent(before.line_share),
            change_pp(now.line_share, before.line_share),
        ]);
    }
    t.push(vec![
        "Authors using agents".into(),
        of(now.adopting_authors, now.active_authors),
        of(before.adopting_authors, before.active_authors),
        change(now.adopting_authors, before.adopting_authors),
    ]);
    t.push(vec![
        "Repositories with agent commits (floor)".into(),
        of(now.repositories_adopting, now.repositories_active),
        of(before.repositories_adopting, before.repositories_active),
        change(now.repositories_adopting, before.repositories_adopting),
    ]);
    t.push(vec![
        "Repositories with any agent evidence (ceiling)".into(),
        of(now.repositories_ceiling, now.repositories_active),
        of(before.repositories_ceiling, before.repositories_active),
        change(now.repositories_ceiling, before.repositories_ceiling),
    ]);
    if has_pull_requests(report) {
        t.push(vec![
            "Merged pull requests by agents".into(),
            of(now.agent_pull_requests, now.pull_requests),
            of(before.agent_pull_requests, before.pull_requests),
            change(now.agent_pull_requests, before.agent_pull_requests),
        ]);
    }
    Some((format!("{a} against {b}"), t))
}

/// One row per period, and the total: adoption over time.
pub fn over_time(report: &Report) -> Table {
    let lines = has_lines(&report.totals);
    let prs = has_pull_requests(report);
    let period = capitalised(report.period.as_str());
    let mut header: Vec<(&str, bool)> = vec![
        (&period, false),
        ("Human", true),
        ("Agent", true),
        ("Bot", true),
        ("Agent share", true),
    ];
    if lines {
        header.push(("Line share", true));
    }
    header.extend([
        ("Authors", true),
        ("Using agents", true),
        ("Repositories (floor–ceiling)", true),
    ]);
    if prs {
        header.push(("Agent PRs", true));
    }
    header.push(("Agents", false));
    let mut t = Table::new(&header);
    for row in report.periods.iter().chain(std::iter::once(&report.totals)) {
        if row.suppressed {
            let mut cells = vec![label(row), HIDDEN.to_owned()];
            cells.resize(t.header.len(), String::new());
            t.push(cells);
            continue;
        }
        let mut cells = vec![
            report.period_label(row),
            row.human_commits.to_string(),
            row.agent_commits.to_string(),
            row.bot_commits.to_string(),
            percent(row.commit_share),
        ];
        if lines {
            cells.push(percent(row.line_share));
        }
        cells.push(row.active_authors.to_string());
        cells.push(row.adopting_authors.to_string());
        cells.push(if row.repositories_adopting == row.repositories_ceiling {
            of(row.repositories_adopting, row.repositories_active)
        } else {
            format!(
                "{}–{} of {}",
                row.repositories_adopting, row.repositories_ceiling, row.repositories_active
            )
        });
        if prs {
            cells.push(of(row.agent_pull_requests, row.pull_requests));
        }
        cells.push(top_names(report, &row.agents, 3));
        t.push(cells);
    }
    t.total_row = true;
    t
}

/// `Claude Code 12, Crush 3, +2 more`.
fn top_names(report: &Report, map: &std::collections::BTreeMap<String, u64>, n: usize) -> String {
    let v = ranked(map);
    let mut out: Vec<String> = v
        .iter()
        .take(n)
        .map(|(k, c)| format!("{} {c}", report.agent_name(k)))
        .collect();
    if v.len() > n {
        out.push(format!("+{} more", v.len() - n));
    }
    out.join(", ")
}

/// Agents: commits, share, role, pull requests.
pub fn agents(report: &Report) -> Option<Table> {
    let t = &report.totals;
    if t.agents.is_empty() && t.pull_request_agents.is_empty() {
        return None;
    }
    let prs = has_pull_requests(report);
    let mut header = vec![
        ("Agent", false),
        ("Commits", true),
        ("Share of agent commits", true),
    ];
    if prs {
        header.push(("Merged pull requests", true));
    }
    let mut table = Table::new(&header);
    let mut ids: Vec<(&String, u64)> = ranked(&t.agents);
    for id in t.pull_request_agents.keys() {
        if !t.agents.contains_key(id) {
            ids.push((id, 0));
        }
    }
    for (id, n) in ids {
        let mut cells = vec![
            report.agent_name(id).to_owned(),
            n.to_string(),
            percent(ratio(n, t.agent_commits)),
        ];
        if prs {
            cells.push(
                t.pull_request_agents
                    .get(id)
                    .copied()
                    .unwrap_or(0)
                    .to_string(),
            );
        }
        table.push(cells);
    }
    Some(table)
}

/// Models by commits.
pub fn models(report: &Report) -> Option<Table> {
    let t = &report.totals;
    if t.models.is_empty() {
        return None;
    }
    let mut table = Table::new(&[
        ("Model", false),
        ("Commits", true),
        ("Share of agent commits", true),
    ]);
    for (m, n) in ranked(&t.models) {
        table.push(vec![
            m.clone(),
            n.to_string(),
            percent(ratio(n, t.agent_commits)),
        ]);
    }
    Some(table)
}

fn share_of(counts: &ModeCounts, m: crate::classify::Mode) -> String {
    match ratio(counts.get(m), counts.total()) {
        Some(v) if counts.get(m) > 0 => {
            let p = v * 100.0;
            if p < 0.5 {
                "<1%".to_owned()
            } else {
                format!("{p:.0}%")
            }
        }
        _ => "·".to_owned(),
    }
}

/// The nine modes over the whole report: agent beside human, by commits, lines and sessions.
pub fn modes(report: &Report) -> Table {
    let t = &report.totals;
    let lines = has_lines(t);
    let mut header = vec![
        ("Mode", false),
        ("Agent commits", true),
        ("Human commits", true),
    ];
    if lines {
        header.extend([("Agent lines", true), ("Human lines", true)]);
    }
    header.extend([("Agent sessions", true), ("Human sessions", true)]);
    let mut table = Table::new(&header);
    for m in MODES {
        let mut cells = vec![
            m.title().to_owned(),
            share_of(&t.agent_modes.commits, m),
            share_of(&t.human_modes.commits, m),
        ];
        if lines {
            cells.push(share_of(&t.agent_modes.lines, m));
            cells.push(share_of(&t.human_modes.lines, m));
        }
        cells.push(share_of(&t.agent_modes.sessions, m));
        cells.push(share_of(&t.human_modes.sessions, m));
        table.push(cells);
    }
    table
}

/// The modes of each side's commits, period by period.
pub fn modes_by_period(report: &Report) -> Table {
    let period = capitalised(report.period.as_str());
    let mut header: Vec<(&str, bool)> = vec![(&period, false), ("Side", false)];
    header.extend(MODES.iter().map(|m| (m.title(), true)));
    let mut table = Table::new(&header);
    for row in &report.periods {
        if row.suppressed {
            continue;
        }
        for (side, mix) in [("agent", &row.agent_modes), ("human", &row.human_modes)] {
            if mix.commits.total() == 0 {
                continue;
            }
            let mut cells = vec![label(row), side.to_owned()];
            cells.extend(MODES.iter().map(|&m| share_of(&mix.commits, m)));
            table.push(cells);
        }
    }
    table
}

/// Where a repository stands: floor, ceiling only, or nothing.
pub fn adoption_word(row: &Row) -> &'static str {
    if row.suppressed {
        HIDDEN
    } else if row.repositories_adopting > 0 {
        "agent commits"
    } else if row.repositories_ceiling > 0 {
        "weak evidence only"
    } else if row.repositories_active > 0 {
        "none"
    } else {
        "inactive"
    }
}

/// The intensity cohort of a repository's (or any row's) agent share.
pub fn cohort_of(row: &Row) -> crate::aggregate::Cohort {
    crate::aggregate::Cohort::of(row.agent_commits, row.agent_commits + row.human_commits)
}

/// One row per repository.
pub fn repositories(report: &Report) -> Table {
    let prs = has_pull_requests(report);
    let mut header = vec![
        ("Repository", false),
        ("Commits", true),
        ("Agent", true),
        ("Agent share", true),
        ("Intensity", false),
        ("Adoption", false),
        ("Configured for", false),
    ];
    if prs {
        header.push(("Agent PRs", true));
    }
    header.push(("Agents", false));
    let mut t = Table::new(&header);
    for r in &report.repositories {
        let row = &r.totals;
        let mut name = r.name.clone();
        if r.status != super::Status::Ok {
            name.push_str(&format!(" ({})", r.status.word()));
        }
        if row.suppressed {
            let mut cells = vec![name, HIDDEN.to_owned()];
            cells.resize(t.header.len(), String::new());
            t.push(cells);
            continue;
        }
        let configured = report.configured(&r.configs, true).join(", ");
        let mut cells = vec![
            name,
            row.commits.to_string(),
            row.agent_commits.to_string(),
            percent(row.commit_share),
            cohort_of(row).as_str().to_owned(),
            adoption_word(row).to_owned(),
            configured,
        ];
        if prs {
            cells.push(of(row.agent_pull_requests, row.pull_requests));
        }
        cells.push(top_names(report, &row.agents, 3));
        t.push(cells);
    }
    t
}

/// Authors per intensity cohort, period by period and in total.
pub fn author_cohorts(report: &Report) -> Table {
    let period = capitalised(report.period.as_str());
    let mut header: Vec<(&str, bool)> = vec![(&period, false)];
    header.extend(COHORTS.iter().map(|c| (c.title(), true)));
    header.push(("Authors", true));
    let mut t = Table::new(&header);
    for row in report.periods.iter().chain(std::iter::once(&report.totals)) {
        if row.suppressed {
            let mut cells = vec![label(row), HIDDEN.to_owned()];
            cells.resize(t.header.len(), String::new());
            t.push(cells);
            continue;
        }
        let mut cells = vec![label(row)];
        let total = row.author_cohorts.total();
        cells.extend(COHORTS.iter().map(|&c| {
            let n = row.author_cohorts.get(c);
            if n == 0 {
                "·".to_owned()
            } else {
                count_share(n, ratio(n, total))
            }
        }));
        cells.push(total.to_string());
        t.push(cells);
    }
    t.total_row = true;
    t
}

/// The people with the most agent commits (all of them when `limit` is `None`).
pub fn authors(report: &Report, limit: Option<usize>) -> Option<Table> {
    if report.authors.is_empty() {
        return None;
    }
    let mut t = Table::new(&[
        ("Author", false),
        ("Commits", true),
        ("Agent commits", true),
        ("Agent share", true),
        ("Intensity", false),
    ]);
    for a in report
        .authors
        .iter()
        .take(limit.unwrap_or(report.authors.len()))
    {
        t.push(vec![
            a.name.clone(),
            a.commits.to_string(),
            a.agent_commits.to_string(),
            percent(a.commit_share),
            a.cohort.as_str().to_owned(),
        ]);
    }
    Some(t)
}

/// Reverted and reworked shares, agent beside human.
pub fn outcomes(report: &Report) -> Table {
    let t = &report.totals;
    let (a, h) = (&t.agent_outcomes, &t.human_outcomes);
    let mut table = Table::new(&[
        ("", false),
        ("Agent commits", true),
        ("Human commits", true),
    ]);
    if t.suppressed {
        table.push(vec!["Every measure".into(), HIDDEN.into(), HIDDEN.into()]);
        return table;
    }
    table.push(vec![
        "Commits".into(),
        a.commits.to_string(),
        h.commits.to_string(),
    ]);
    table.push(vec![
        "Later reverted".into(),
        count_share(a.reverted, a.reverted_share),
        count_share(h.reverted, h.reverted_share),
    ]);
    if a.commits_with_paths + h.commits_with_paths > 0 {
        table.push(vec![
            "Reworked by a fix within 14 days".into(),
            count_share(a.reworked, a.reworked_share),
            count_share(h.reworked, h.reworked_share),
        ]);
    }
    table
}

/// `1 merge`, `3 merges`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `month` → `Month`.
pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

pub use super::definitions::definitions;
