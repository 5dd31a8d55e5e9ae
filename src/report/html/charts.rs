//! The charts of the HTML report: inline SVG drawn from the report's rows, no script.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{SERIES, colour, esc, legend};
use crate::aggregate::ModeCounts;
use crate::classify::MODES;
use crate::report::{Report, Row, Status, has_lines, percent, ranked, sections};

/// Chart geometry: a plot area inside a fixed view box (the SVG scales to the page width).
struct Frame {
    width: f64,
    height: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

impl Frame {
    fn standard(height: f64) -> Self {
        Frame {
            width: 960.0,
            height,
            left: 48.0,
            right: 12.0,
            top: 12.0,
            bottom: 36.0,
        }
    }

    fn plot_width(&self) -> f64 {
        self.width - self.left - self.right
    }

    fn plot_height(&self) -> f64 {
        self.height - self.top - self.bottom
    }

    /// y of a share in [0, max].
    fn y(&self, share: f64, max: f64) -> f64 {
        self.top + self.plot_height() * (1.0 - (share / max).clamp(0.0, 1.0))
    }

    fn open(&self, out: &mut String, label: &str) {
        let _ = write!(
            out,
            "<svg viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
            self.width,
            self.height,
            esc(label)
        );
    }

    /// Horizontal grid lines and percentage labels from 0 to `max`.
    fn share_axis(&self, out: &mut String, max: f64) {
        for i in 0..=4 {
            let v = max * f64::from(i) / 4.0;
            let y = self.y(v, max);
            let _ = write!(
                out,
                "<line class=\"axis\" x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>\
                 <text class=\"muted\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{:.0}%</text>",
                self.left,
                self.width - self.right,
                self.left - 6.0,
                y + 4.0,
                v * 100.0
            );
        }
    }

    /// Period labels under the plot, thinned to fit.
    fn period_labels(&self, out: &mut String, labels: &[String]) {
        let n = labels.len().max(1);
        let step = n.div_ceil(12);
        let slot = self.plot_width() / n as f64;
        for (i, l) in labels.iter().enumerate() {
            if i % step != 0 && i + 1 != n {
                continue;
            }
            let _ = write!(
                out,
                "<text class=\"muted\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                self.left + slot * (i as f64 + 0.5),
                self.height - self.bottom + 18.0,
                esc(l)
            );
        }
    }
}

/// A ceiling for a share axis: the next 10% above the largest value.
fn share_max(values: impl Iterator<Item = f64>) -> f64 {
    let m = values.fold(0.0_f64, f64::max);
    ((m * 10.0).ceil() / 10.0).clamp(0.1, 1.0)
}

/// Stacked bars: each period's agent share of commits, split by agent.
pub(super) fn adoption_chart(out: &mut String, report: &Report) {
    let rows: Vec<&Row> = report.periods.iter().filter(|r| !r.suppressed).collect();
    if rows.is_empty() {
        return;
    }
    let agents: Vec<&String> = ranked(&report.totals.agents)
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    // More agents than colours: the rest share one series.
    let shown = agents.len().min(SERIES - 1);
    let max = share_max(rows.iter().map(|r| r.commit_share.unwrap_or(0.0)));
    let f = Frame::standard(300.0);
    f.open(out, "Agent share of commits per period, by agent");
    f.share_axis(out, max);
    let slot = f.plot_width() / rows.len() as f64;
    let bar = (slot * 0.7).max(1.0);
    for (i, row) in rows.iter().enumerate() {
        let share = row.commit_share.unwrap_or(0.0);
        // A commit with two agents counts for both: split the bar in proportion.
        let per_agent: u64 = row.agents.values().sum();
        let x = f.left + slot * i as f64 + (slot - bar) / 2.0;
        let mut base = 0.0;
        let mut segments: Vec<(String, u64, usize)> = Vec::new();
        let mut other = 0;
        for (k, &n) in &row.agents {
            match agents.iter().position(|a| *a == k) {
                Some(p) if p < shown => segments.push((report.agent_name(k).to_owned(), n, p)),
                _ => other += n,
            }
        }
        segments.sort_by_key(|s| s.2);
        if other > 0 {
            segments.push(("Other agents".to_owned(), other, SERIES - 1));
        }
        for (name, n, series) in segments {
            let part = share * n as f64 / per_agent.max(1) as f64;
            let (y0, y1) = (f.y(base, max), f.y(base + part, max));
            let _ = write!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y1:.1}\" width=\"{bar:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{}: {} {} commits</title></rect>",
                (y0 - y1).max(0.0),
                colour(series),
                esc(&sections::label(row)),
                esc(&name),
                n
            );
            base += part;
        }
        let _ = write!(
            out,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{:.1}\" fill=\"transparent\"><title>{}: {} of {} commits by agents ({})</title></rect>",
            f.y(share, max),
            f.y(0.0, max) - f.y(share, max),
            esc(&sections::label(row)),
            row.agent_commits,
            row.agent_commits + row.human_commits,
            percent(row.commit_share)
        );
    }
    let labels: Vec<String> = rows.iter().map(|r| sections::label(r)).collect();
    f.period_labels(out, &labels);
    out.push_str("</svg>\n");
    let mut items: Vec<(String, String)> = agents
        .iter()
        .take(shown)
        .enumerate()
        .map(|(i, a)| (report.agent_name(a).to_owned(), colour(i)))
        .collect();
    if agents.len() > shown {
        items.push(("Other agents".to_owned(), colour(SERIES - 1)));
    }
    legend(out, &items);
}

/// Reads one share out of a row.
type ShareOf = fn(&Row) -> Option<f64>;

/// Lines: agent share of commits and of lines added, period by period.
pub(super) fn share_chart(out: &mut String, report: &Report) {
    let rows: Vec<&Row> = report.periods.iter().filter(|r| !r.suppressed).collect();
    if rows.is_empty() {
        return;
    }
    let lines = has_lines(&report.totals);
    let max = share_max(rows.iter().flat_map(|r| {
        [
            r.commit_share.unwrap_or(0.0),
            if lines {
                r.line_share.unwrap_or(0.0)
            } else {
                0.0
            },
        ]
    }));
    let f = Frame::standard(260.0);
    f.open(out, "Agent share of commits and of lines added per period");
    f.share_axis(out, max);
    let slot = f.plot_width() / rows.len() as f64;
    let mut series: Vec<(&str, ShareOf, usize)> = vec![("Share of commits", |r| r.commit_share, 0)];
    if lines {
        series.push(("Share of lines added", |r| r.line_share, 1));
    }
    for (name, get, c) in &series {
        let points: Vec<(f64, f64, &Row)> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                get(r).map(|v| (f.left + slot * (i as f64 + 0.5), f.y(v, max), *r))
            })
            .collect();
        let path: Vec<String> = points
            .iter()
            .map(|(x, y, _)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = write!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\"/>",
            path.join(" "),
            colour(*c)
        );
        for (x, y, r) in points {
            let _ = write!(
                out,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"{}\"><title>{}: {} {}</title></circle>",
                colour(*c),
                esc(&sections::label(r)),
                esc(name),
                percent(get(r))
            );
        }
    }
    let labels: Vec<String> = rows.iter().map(|r| sections::label(r)).collect();
    f.period_labels(out, &labels);
    out.push_str("</svg>\n");
    let items: Vec<(String, String)> = series
        .iter()
        .map(|(name, _, c)| ((*name).to_owned(), colour(*c)))
        .collect();
    legend(out, &items);
}

/// Lines: the study's groups of work and debugging as shares of agent commits, period by period.
pub(super) fn study_chart(out: &mut String, study: &crate::report::study::Study) {
    let periods: Vec<&crate::report::study::StudyPeriod> = study
        .periods
        .iter()
        .filter(|p| p.agent_commits.code.is_some())
        .collect();
    if periods.is_empty() {
        return;
    }
    let names = [
        "Code",
        "Operate",
        "Plan & explore",
        "Analyse & communicate",
        "Fix (debugging)",
    ];
    let f = Frame::standard(260.0);
    f.open(out, "Agent commits by group of work per period");
    f.share_axis(out, 1.0);
    let slot = f.plot_width() / periods.len() as f64;
    for (k, name) in names.iter().enumerate() {
        let points: Vec<(f64, f64, &str, f64)> = periods
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let v = p.agent_commits.values()[k]?;
                Some((
                    f.left + slot * (i as f64 + 0.5),
                    f.y(v, 1.0),
                    p.period.as_str(),
                    v,
                ))
            })
            .collect();
        let path: Vec<String> = points
            .iter()
            .map(|(x, y, _, _)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = write!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\"{}/>",
            path.join(" "),
            colour(k),
            if k == 4 {
                " stroke-dasharray=\"6 4\""
            } else {
                ""
            }
        );
        for (x, y, period, v) in points {
            let _ = write!(
                out,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\" fill=\"{}\"><title>{}: {} {:.1}% of agent commits</title></circle>",
                colour(k),
                esc(period),
                esc(name),
                v * 100.0
            );
        }
    }
    let labels: Vec<String> = periods.iter().map(|p| p.period.clone()).collect();
    f.period_labels(out, &labels);
    out.push_str("</svg>\n");
    let items: Vec<(String, String)> = names
        .iter()
        .enumerate()
        .map(|(k, n)| ((*n).to_owned(), colour(k)))
        .collect();
    legend(out, &items);
}

/// Lines with bands: the share of active repositories with agent activity per period, floor and
/// ceiling, each with its interval as a band when the repositories are a sample.
pub(super) fn repositories_chart(out: &mut String, a: &crate::report::RepositoryAdoption) {
    let periods: Vec<&crate::report::adoption::AdoptionPeriod> =
        a.periods.iter().filter(|p| p.active > 0).collect();
    if periods.is_empty() {
        return;
    }
    let top =
        |s: &crate::report::adoption::Share| s.interval.map_or(s.share.unwrap_or(0.0), |i| i[1]);
    let max = share_max(periods.iter().map(|p| top(&p.ceiling).max(top(&p.floor))));
    let f = Frame::standard(260.0);
    f.open(
        out,
        "Share of active repositories with agent activity per period",
    );
    f.share_axis(out, max);
    let slot = f.plot_width() / periods.len() as f64;
    let x = |i: usize| f.left + slot * (i as f64 + 0.5);
    type Pick = fn(&crate::report::adoption::AdoptionPeriod) -> &crate::report::adoption::Share;
    let series: [(&str, Pick, usize); 2] = [
        ("With agent commits", |p| &p.floor, 0),
        ("With any agent evidence", |p| &p.ceiling, 1),
    ];
    for (name, pick, c) in series {
        if a.sampled {
            let upper: Vec<String> = periods
                .iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    pick(p)
                        .interval
                        .map(|v| format!("{:.1},{:.1}", x(i), f.y(v[1], max)))
                })
                .collect();
            let lower: Vec<String> = periods
                .iter()
                .enumerate()
                .rev()
                .filter_map(|(i, p)| {
                    pick(p)
                        .interval
                        .map(|v| format!("{:.1},{:.1}", x(i), f.y(v[0], max)))
                })
                .collect();
            let _ = write!(
                out,
                "<polygon points=\"{} {}\" fill=\"{}\" fill-opacity=\"0.18\" stroke=\"none\"/>",
                upper.join(" "),
                lower.join(" "),
                colour(c)
            );
        }
        let points: Vec<String> = periods
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                pick(p)
                    .share
                    .map(|v| format!("{:.1},{:.1}", x(i), f.y(v, max)))
            })
            .collect();
        let _ = write!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\"/>",
            points.join(" "),
            colour(c)
        );
        for (i, p) in periods.iter().enumerate() {
            let s = pick(p);
            if let Some(v) = s.share {
                let _ = write!(
                    out,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"{}\"><title>{}: {} {} of {} ({})</title></circle>",
                    x(i),
                    f.y(v, max),
                    colour(c),
                    esc(&p.period),
                    esc(name),
                    s.repositories,
                    p.active,
                    esc(&crate::report::adoption::share_text(s))
                );
            }
        }
    }
    let labels: Vec<String> = periods.iter().map(|p| p.period.clone()).collect();
    f.period_labels(out, &labels);
    out.push_str("</svg>\n");
    legend(
        out,
        &series.map(|(name, _, c)| (name.to_owned(), colour(c))),
    );
}

/// 100% bars: the mode mix of agent and human work, by commits and by changed lines.
pub(super) fn modes_chart(out: &mut String, report: &Report) {
    let t = &report.totals;
    if t.suppressed {
        return;
    }
    let mut bars: Vec<(&str, &ModeCounts)> = vec![
        ("Agent commits", &t.agent_modes.commits),
        ("Human commits", &t.human_modes.commits),
    ];
    if has_lines(t) {
        bars.push(("Agent lines", &t.agent_modes.lines));
        bars.push(("Human lines", &t.human_modes.lines));
    }
    bars.retain(|(_, c)| c.total() > 0);
    if bars.is_empty() {
        return;
    }
    let (left, right, row_h) = (110.0, 12.0, 34.0);
    let width = 960.0;
    let height = row_h * bars.len() as f64 + 8.0;
    let _ = write!(
        out,
        "<svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"Work-mode mix, agent beside human\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    let plot = width - left - right;
    for (i, (name, counts)) in bars.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 8.0,
            y + row_h / 2.0 + 2.0,
            esc(name)
        );
        let total = counts.total() as f64;
        let mut x = left;
        for (m_i, m) in MODES.iter().enumerate() {
            let n = counts.get(*m);
            if n == 0 {
                continue;
            }
            let w = plot * n as f64 / total;
            let _ = write!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{}: {} {:.1}%</title></rect>",
                row_h - 8.0,
                colour(m_i),
                esc(name),
                m.title(),
                100.0 * n as f64 / total
            );
            if w > 34.0 {
                let _ = write!(
                    out,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" style=\"fill:#fff\">{:.0}%</text>",
                    x + w / 2.0,
                    y + row_h / 2.0 + 0.0,
                    100.0 * n as f64 / total
                );
            }
            x += w;
        }
    }
    out.push_str("</svg>\n");
    let items: Vec<(String, String)> = MODES
        .iter()
        .enumerate()
        .map(|(i, m)| (m.title().to_owned(), colour(i)))
        .collect();
    legend(out, &items);
}

/// A grid of repositories by period, shaded by agent share.
pub(super) fn heat_map(out: &mut String, report: &Report) {
    let labels: Vec<String> = report
        .periods
        .iter()
        .filter_map(|r| r.period.clone())
        .collect();
    let repos: Vec<&crate::report::RepositoryReport> = report
        .repositories
        .iter()
        .filter(|r| r.status != Status::Failed)
        .collect();
    if labels.is_empty() || repos.is_empty() {
        return;
    }
    let name_w = 200.0;
    let cell_h = 22.0;
    let width = 960.0;
    let cell_w = ((width - name_w - 8.0) / labels.len() as f64).max(2.0);
    let height = cell_h * repos.len() as f64 + 28.0;
    let _ = write!(
        out,
        "<svg viewBox=\"0 0 {width} {height:.1}\" role=\"img\" aria-label=\"Agent share of commits by repository and period\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (ri, repo) in repos.iter().enumerate() {
        let y = cell_h * ri as f64;
        let name: String = if repo.name.chars().count() > 28 {
            let tail: String = repo
                .name
                .chars()
                .rev()
                .take(27)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            format!("…{tail}")
        } else {
            repo.name.clone()
        };
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\"><title>{}</title>{}</text>",
            name_w - 8.0,
            y + cell_h / 2.0 + 4.0,
            esc(&repo.name),
            esc(&name)
        );
        let cells: BTreeMap<&str, &Row> = repo
            .periods
            .iter()
            .filter_map(|r| r.period.as_deref().map(|p| (p, r)))
            .collect();
        for (ci, label) in labels.iter().enumerate() {
            let x = name_w + cell_w * ci as f64;
            let (fill, opacity, title) = match cells.get(label.as_str()) {
                None => continue,
                Some(r) if r.suppressed => (
                    "var(--muted)".to_owned(),
                    0.25,
                    format!("{}, {label}: hidden (too few authors)", repo.name),
                ),
                Some(r) => match r.commit_share {
                    None => continue,
                    Some(s) => (
                        "var(--heat)".to_owned(),
                        0.12 + 0.88 * s,
                        format!(
                            "{}, {label}: {} of {} commits by agents ({})",
                            repo.name,
                            r.agent_commits,
                            r.agent_commits + r.human_commits,
                            percent(r.commit_share)
                        ),
                    ),
                },
            };
            let _ = write!(
                out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"2\" fill=\"{fill}\" fill-opacity=\"{opacity:.2}\"><title>{}</title></rect>",
                x + 1.0,
                y + 1.0,
                (cell_w - 2.0).max(1.0),
                cell_h - 2.0,
                esc(&title)
            );
        }
    }
    let f = Frame {
        width,
        height,
        left: name_w,
        right: width - name_w - cell_w * labels.len() as f64,
        top: 0.0,
        bottom: 28.0,
    };
    f.period_labels(out, &labels);
    out.push_str("</svg>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_axes_round_up_to_tens() {
        assert_eq!(share_max([0.0, 0.34].into_iter()), 0.4);
        assert_eq!(share_max([0.0].into_iter()), 0.1);
        assert_eq!(share_max([1.0].into_iter()), 1.0);
    }
}
