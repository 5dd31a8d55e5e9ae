//! HTML: the adoption report as one self-contained page — inline CSS, charts drawn as inline SVG,
//! no script, no font, no request to any server — so it can be mailed, archived as a CI artifact
//! or opened offline.
//!
//! Every string that comes from git or an API (repository, author, agent and model names,
//! configuration paths) goes through [`esc`] on its way into the page; nothing else is ever
//! written unescaped except agentscan's own markup. Colours come from CSS custom properties with
//! a dark variant, so the page follows the reader's light or dark preference.

use std::fmt::Write;

mod charts;

use super::sections::{self, HIDDEN, Table};
use super::{Exporter, Report, has_lines, percent};
use charts::{adoption_chart, heat_map, modes_chart, repositories_chart, share_chart, study_chart};

/// Renders [`Report`] as HTML.
pub struct HtmlExporter;

/// Escape text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Series colours (CSS variables `--c0` … `--c9`, defined for light and dark).
const SERIES: usize = 10;

const STYLE: &str = r#"
:root { color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa; --heat: #0969da;
  --c0: #4e79a7; --c1: #f28e2b; --c2: #e15759; --c3: #76b7b2; --c4: #59a14f;
  --c5: #edc948; --c6: #b07aa1; --c7: #ff9da7; --c8: #9c755f; --c9: #bab0ac; }
@media (prefers-color-scheme: dark) { :root {
  --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --panel: #151b23; --heat: #4493f8;
  --c0: #6f9fd8; --c1: #ffa64d; --c2: #ff7b7b; --c3: #8fd3cd; --c4: #7bc96f;
  --c5: #f5d76e; --c6: #c99ad6; --c7: #ffb3ba; --c8: #c49a7c; --c9: #a8a29e; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 1.7em; margin: 0 0 4px; }
h2 { font-size: 1.25em; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
p.lead { color: var(--muted); margin-top: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 18px 0; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 160px; }
.card b { display: block; font-size: 1.6em; }
.card span { color: var(--muted); font-size: .9em; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: .92em; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th, td.n { white-space: nowrap; }
th { background: var(--panel); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 600; }
td.hidden { color: var(--muted); font-style: italic; }
figure { margin: 12px 0 20px; }
figcaption { color: var(--muted); font-size: .9em; }
svg { display: block; width: 100%; height: auto; }
svg text { fill: var(--fg); font: 12px system-ui, sans-serif; }
svg .axis { stroke: var(--line); }
svg .muted { fill: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: .88em; margin: 4px 0; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; }
dl dt { font-weight: 600; margin-top: 8px; }
dl dd { margin-left: 0; color: var(--muted); }
footer { margin-top: 40px; color: var(--muted); font-size: .85em; }
"#;

fn colour(i: usize) -> String {
    format!("var(--c{})", i % SERIES)
}

/// Write a [`Table`] as an HTML table.
fn table(out: &mut String, t: &Table) {
    out.push_str("<div class=\"scroll\"><table>\n<thead><tr>");
    for (h, &n) in t.header.iter().zip(&t.numeric) {
        let _ = write!(
            out,
            "<th{}>{}</th>",
            if n { " class=\"n\"" } else { "" },
            esc(h)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, row) in t.rows.iter().enumerate() {
        let total = t.total_row && i + 1 == t.rows.len();
        out.push_str(if total {
            "<tr class=\"total\">"
        } else {
            "<tr>"
        });
        for (j, c) in row.iter().enumerate() {
            let class = if c == HIDDEN {
                " class=\"hidden\""
            } else if t.numeric.get(j).copied().unwrap_or(false) {
                " class=\"n\""
            } else {
                ""
            };
            let _ = write!(out, "<td{class}>{}</td>", esc(c));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

fn legend(out: &mut String, items: &[(String, String)]) {
    out.push_str("<div class=\"legend\">");
    for (name, fill) in items {
        let _ = write!(
            out,
            "<span><i style=\"background:{}\"></i>{}</span>",
            fill,
            esc(name)
        );
    }
    out.push_str("</div>\n");
}

fn card(out: &mut String, value: &str, what: &str) {
    let _ = write!(
        out,
        "<div class=\"card\"><b>{}</b><span>{}</span></div>",
        esc(value),
        esc(what)
    );
}

impl Exporter for HtmlExporter {
    fn render(&self, report: &Report) -> String {
        let mut out = String::new();
        let t = &report.totals;
        let title = sections::title(report);
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"{}\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
             <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
            esc(&report.generator),
            esc(&title),
            esc(&title)
        );
        let scanned = sections::scanned(report);
        let range = sections::range(report);
        let _ = writeln!(
            out,
            "<p class=\"lead\">{}{}, by {}. {} and {} are counted apart.</p>",
            esc(&sections::plural(
                scanned as u64,
                "repository",
                "repositories"
            )),
            esc(&range),
            esc(report.period.as_str()),
            esc(&sections::plural(
                t.bot_commits,
                "bot commit",
                "bot commits"
            )),
            esc(&sections::plural(t.merge_commits, "merge", "merges")),
        );
        if !t.suppressed {
            out.push_str("<div class=\"cards\">");
            card(
                &mut out,
                &percent(t.commit_share),
                &format!(
                    "of commits by agents ({} of {})",
                    t.agent_commits,
                    t.agent_commits + t.human_commits
                ),
            );
            if has_lines(t) {
                card(&mut out, &percent(t.line_share), "of lines added by agents");
            }
            card(
                &mut out,
                &format!("{} of {}", t.adopting_authors, t.active_authors),
                "authors using agents",
            );
            card(
                &mut out,
                &if t.repositories_adopting == t.repositories_ceiling {
                    format!("{} of {}", t.repositories_adopting, t.repositories_active)
                } else {
                    format!(
                        "{}–{} of {}",
                        t.repositories_adopting, t.repositories_ceiling, t.repositories_active
                    )
                },
                "repositories adopting (floor–ceiling)",
            );
            if t.pull_requests > 0 {
                card(
                    &mut out,
                    &format!("{} of {}", t.agent_pull_requests, t.pull_requests),
                    "merged pull requests by agents",
                );
            }
            out.push_str("</div>\n");
        }
        if let Some((title, headline)) = sections::headline(report) {
            let _ = writeln!(out, "<h2>{}</h2>", esc(&title));
            table(&mut out, &headline);
        }
        out.push_str("<h2>Adoption over time</h2>\n<figure>\n");
        adoption_chart(&mut out, report);
        out.push_str(
            "<figcaption>Agent share of human and agent commits per period, split by agent.</figcaption>\n</figure>\n<figure>\n",
        );
        share_chart(&mut out, report);
        out.push_str(
            "<figcaption>Agent share of commits and of lines added.</figcaption>\n</figure>\n",
        );
        table(&mut out, &sections::over_time(report));
        let a = &report.repositories_adoption;
        if !a.periods.is_empty() {
            out.push_str("<h2>Repositories with agent activity</h2>\n<figure>\n");
            repositories_chart(&mut out, a);
            let _ = writeln!(
                out,
                "<figcaption>Share of active repositories with agent commits (floor) and with any agent evidence (ceiling){}.</figcaption>\n</figure>",
                if a.sampled {
                    "; bands are 95% Wilson intervals"
                } else {
                    ""
                }
            );
            table(&mut out, &super::adoption::table(a));
            for text in super::adoption::change_text(a)
                .into_iter()
                .chain(report.sample.as_ref().map(super::adoption::sample_text))
                .chain(
                    report
                        .history_since
                        .as_deref()
                        .map(super::adoption::history_text),
                )
            {
                let _ = writeln!(out, "<p>{}</p>", esc(&text));
            }
        }
        if report
            .study
            .periods
            .iter()
            .any(|p| p.agent_commits.code.is_some())
        {
            out.push_str("<h2>The study's questions</h2>\n<figure>\n");
            study_chart(&mut out, &report.study);
            out.push_str("<figcaption>Agent commits by the study's groups of work, and debugging (Fix, dashed), as shares of each period's agent commits.</figcaption>\n</figure>\n");
            table(&mut out, &super::study::table(&report.study));
            for text in super::study::change_text(&report.study)
                .into_iter()
                .chain(super::study::success_text(&report.study, |id| {
                    report.agent_name(id).to_owned()
                }))
                .chain(super::study::acceptance_text(&report.study, |id| {
                    report.agent_name(id).to_owned()
                }))
                .chain(std::iter::once(super::study::reference_text().to_owned()))
                .chain(std::iter::once(super::study::limits_text()))
            {
                let _ = writeln!(out, "<p>{}</p>", esc(&text));
            }
        }
        if let Some(agents) = sections::agents(report) {
            out.push_str("<h2>Agents</h2>\n");
            table(&mut out, &agents);
        }
        if let Some(models) = sections::models(report) {
            out.push_str("<h2>Models</h2>\n");
            table(&mut out, &models);
        }
        out.push_str("<h2>Work modes</h2>\n<figure>\n");
        modes_chart(&mut out, report);
        out.push_str("<figcaption>What agent and human work went into, by commits and by changed lines.</figcaption>\n</figure>\n");
        table(&mut out, &sections::modes(report));
        let by_period = sections::modes_by_period(report);
        if report.periods.len() > 1 && !by_period.rows.is_empty() {
            table(&mut out, &by_period);
        }
        out.push_str("<h2>Repositories</h2>\n<figure>\n");
        heat_map(&mut out, report);
        out.push_str("<figcaption>Agent share of commits by repository and period; darker is more.</figcaption>\n</figure>\n");
        table(&mut out, &sections::repositories(report));
        out.push_str("<h2>Authors</h2>\n");
        table(&mut out, &sections::author_cohorts(report));
        if let Some(authors) = sections::authors(report, None) {
            table(&mut out, &authors);
        }
        out.push_str("<h2>Outcomes</h2>\n");
        table(&mut out, &sections::outcomes(report));
        out.push_str("<h2>How this is measured</h2>\n<dl>\n");
        for (term, text) in sections::definitions(report) {
            let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", esc(term), esc(&text));
        }
        let _ = write!(
            out,
            "</dl>\n<footer>Generated by {}.</footer>\n</body>\n</html>\n",
            esc(&report.generator)
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_attributes() {
        assert_eq!(
            esc(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }
}
