//! The definitions every report ends with: what each number means and what it leaves out, with
//! the figures of this report where they say how much was left out.

use super::sections::{capitalised, label};
use super::*;

/// The definitions every report states, as (term, explanation).
pub fn definitions(report: &Report) -> Vec<(&'static str, String)> {
    let mut out = vec![
        (
            "Agent commit",
            "a non-merge commit with evidence of an authoring coding agent at high or medium \
             confidence: a co-author trailer in the final trailer block, an agent identity as \
             author, an agent footer or task link, or a merged agent pull request."
                .to_owned(),
        ),
        (
            "Agent share",
            "agent commits ÷ (agent + human) commits, by author date in UTC. Bot commits \
             (dependabot, renovate, CI and review bots) and merge commits are excluded and \
             counted apart."
                .to_owned(),
        ),
        ("Line share", line_share_definition(report)),
        (
            "Authors using agents",
            "distinct human authors with at least one agent commit, out of active human authors \
             (those with a non-bot commit)."
                .to_owned(),
        ),
        (
            "Repository adoption",
            "the floor counts active repositories with at least one agent commit; the ceiling \
             adds those with only weak evidence: agent configuration files (CLAUDE.md, \
             AGENTS.md, .cursor/rules, …), low-confidence signals or agent pull requests."
                .to_owned(),
        ),
        (
            "Intensity",
            "the share of agent commits among a person's or repository's agent and human \
             commits: none, light (at most 5%), moderate (over 5%, at most 20%), heavy (over 20%)."
                .to_owned(),
        ),
        (
            "Work modes",
            "each commit gets one of nine modes (Build, Fix, Test, Orchestrate, Operate, \
             Understand, Plan, Analyze, Communicate) by the volume of changed lines behind each, \
             with the commit type and subject deciding what code changes are for. A session is a \
             run of one person's commits with the same agents and pauses of at most two hours, or \
             every commit naming the same agent session. Understand and Plan work rarely ends in \
             a commit, so git undercounts them."
                .to_owned(),
        ),
        (
            "Outcomes",
            "a commit is reverted when a later commit says `This reverts commit <sha>`; it is \
             reworked when a Fix-mode commit touches one of its code files within 14 days. Both \
             look at the whole stored history, also after the report's range; the most recent \
             two weeks have had less time to be reworked."
                .to_owned(),
        ),
        (
            "Counts are floors",
            "agents can be told not to sign their commits (Claude Code's `includeCoAuthoredBy`, \
             for one), squash merges can drop trailers, and some agents leave no trace in git at \
             all; such work counts as human."
                .to_owned(),
        ),
    ];
    let dominant: Vec<String> = report
        .periods
        .iter()
        .filter_map(|r| {
            let d = r.dominant_commit.as_ref()?;
            Some(format!(
                "in {}, commit {} is {} of the authored lines changed",
                label(r),
                &d.id[..d.id.len().min(12)],
                percent(Some(d.share))
            ))
        })
        .collect();
    if !dominant.is_empty() {
        out.push((
            "One commit",
            format!(
                "{}: that period's line figures are mostly one commit's.",
                capitalised(&dominant.join("; "))
            ),
        ));
    }
    let p = &report.privacy;
    if let Some(k) = p.min_authors.filter(|&k| k > 1) {
        out.push((
            "Privacy",
            format!(
                "numbers backed by fewer than {k} distinct authors are hidden ({} rows, {} agent \
                 or model entries), and no per-person table is shown.",
                p.suppressed_rows, p.suppressed_entries
            ),
        ));
    }
    if p.anonymized {
        out.push((
            "Pseudonyms",
            "author names and emails are replaced by stable pseudonyms.".to_owned(),
        ));
    }
    out
}

/// Line share, and what it leaves out.
fn line_share_definition(report: &Report) -> String {
    let t = &report.totals;
    let generated = t.agent_generated_lines_added + t.human_generated_lines_added;
    let mut text = "authored lines added by agent commits ÷ authored lines added by agent and \
                    human commits. Lines in generated and vendored files (lockfiles, test \
                    snapshots, recorded HTTP cassettes, minified bundles, vendored and generated \
                    code, and what a repository's .gitattributes marks generated or vendored) \
                    are counted apart"
        .to_owned();
    if generated > 0 {
        text.push_str(&format!(
            ": {} lines added here, {} of them by agents",
            generated, t.agent_generated_lines_added
        ));
    }
    text.push('.');
    text
}
