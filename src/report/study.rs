//! The questions of the large study of agent sessions that agentscan's work modes come from,
//! asked of git: what kind of work agents do, grouped as the study groups it (writing, fixing,
//! testing and coordinating code; operating; planning and exploring; analysing and
//! communicating), how debugging's share moves, and how autonomous agent work is — commits the
//! agent authored alone against commits a person drove with the agent as co-author — per period
//! and from the first period to the last.
//!
//! Computed from the report's rows, so every filter of the report applies. What git cannot show
//! is said with the figures.

use serde::Serialize;

use super::Row;
use crate::aggregate::ModeCounts;
use crate::model::Mode;

/// The study's four groups of work modes.
pub const GROUPS: [(&str, &str, &[Mode]); 4] = [
    (
        "code",
        "writing, fixing, testing, coordinating code",
        &[Mode::Build, Mode::Fix, Mode::Test, Mode::Orchestrate],
    ),
    ("operate", "operating", &[Mode::Operate]),
    (
        "plan_explore",
        "planning and exploring",
        &[Mode::Plan, Mode::Understand],
    ),
    (
        "analyze_communicate",
        "analysing and communicating",
        &[Mode::Analyze, Mode::Communicate],
    ),
];

/// Session size tiers, as data: a tier holds sessions up to its bounds in authored changed lines
/// (added + deleted, generated and vendored files apart) and in distinct files changed; a
/// session over either bound goes up a tier, and the last tier holds the rest. A proxy for the
/// value of a task, as the study estimates it.
pub const SIZE_TIERS: [(&str, u64, u64); 4] = [
    ("small", 20, 3),
    ("medium", 200, 10),
    ("large", 1000, 50),
    ("very_large", u64::MAX, u64::MAX),
];

/// The tier of a session of `lines` changed lines over `files` files.
pub fn size_tier(lines: u64, files: u64) -> usize {
    SIZE_TIERS
        .iter()
        .position(|&(_, max_lines, max_files)| lines <= max_lines && files <= max_files)
        .unwrap_or(SIZE_TIERS.len() - 1)
}

/// One side's sessions by size.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct SizeMix {
    pub sessions: u64,
    /// Tier name → sessions.
    pub tiers: std::collections::BTreeMap<&'static str, u64>,
    /// The median session's changed lines.
    pub median_lines: Option<u64>,
    /// The median session's distinct files.
    pub median_files: Option<u64>,
}

impl SizeMix {
    /// The mix of sessions of (lines, files).
    fn of(sizes: Vec<(u64, u64)>) -> Self {
        let mut tiers: std::collections::BTreeMap<&'static str, u64> =
            SIZE_TIERS.iter().map(|(n, _, _)| (*n, 0)).collect();
        for &(l, f) in &sizes {
            *tiers.entry(SIZE_TIERS[size_tier(l, f)].0).or_default() += 1;
        }
        let median = |mut v: Vec<u64>| {
            v.sort_unstable();
            (!v.is_empty()).then(|| v[(v.len() - 1) / 2])
        };
        SizeMix {
            sessions: sizes.len() as u64,
            tiers,
            median_lines: median(sizes.iter().map(|s| s.0).collect()),
            median_files: median(sizes.iter().map(|s| s.1).collect()),
        }
    }
}

/// A session as the size question reads it: its period, whether an agent took part, its lines.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionSize {
    pub period: String,
    pub agent: bool,
    pub lines: u64,
    pub files: u64,
}

/// What git cannot show of the study's questions.
pub const LIMITS: [&str; 4] = [
    "prompts and the planning decisions made inside a session",
    "hours of use, and sessions that left no commit",
    "expertise as the study classified it (git shows familiarity with the code at most)",
    "work the agent did that a person committed without crediting it",
];

/// The share of each group in a side's commits or sessions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupShares {
    /// Group id → share (absent when the side has none).
    pub code: Option<f64>,
    pub operate: Option<f64>,
    pub plan_explore: Option<f64>,
    pub analyze_communicate: Option<f64>,
    /// Fix ("debugging") among all of them.
    pub fix: Option<f64>,
}

impl GroupShares {
    fn of(counts: &ModeCounts) -> Self {
        let total: u64 = counts.0.iter().sum();
        let share = |modes: &[Mode]| {
            (total > 0).then(|| {
                let n: u64 = modes.iter().map(|m| counts.0[m.index()]).sum();
                round(n as f64 / total as f64)
            })
        };
        GroupShares {
            code: share(GROUPS[0].2),
            operate: share(GROUPS[1].2),
            plan_explore: share(GROUPS[2].2),
            analyze_communicate: share(GROUPS[3].2),
            fix: share(&[Mode::Fix]),
        }
    }

    /// The shares in the order of [`GROUPS`], then Fix.
    pub fn values(&self) -> [Option<f64>; 5] {
        [
            self.code,
            self.operate,
            self.plan_explore,
            self.analyze_communicate,
            self.fix,
        ]
    }
}

/// Agent commits the agent authored alone against those a person drove.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Autonomy {
    pub authored: u64,
    pub co_authored: u64,
    /// authored ÷ (authored + co-authored).
    pub authored_share: Option<f64>,
    /// Per agent: its commits, those it authored alone, and their share (a commit with two
    /// agents counts for both).
    pub by_agent: std::collections::BTreeMap<String, AgentAutonomy>,
}

/// One agent's autonomy in a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentAutonomy {
    pub commits: u64,
    pub authored: u64,
    pub authored_share: f64,
}

/// One period of the study.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudyPeriod {
    pub period: String,
    pub agent_commits: GroupShares,
    pub agent_sessions: GroupShares,
    pub human_commits: GroupShares,
    pub autonomy: Autonomy,
    /// Agent and human commits that lasted (neither reverted nor reworked), as shares.
    pub agent_success: Option<f64>,
    pub human_success: Option<f64>,
    /// One person's bursts of work holding both agent and human commits (see
    /// [`crate::session::mixed_bursts`]), and the agent's share of their changed lines.
    pub mixed_bursts: u64,
    pub mixed_agent_line_share: Option<f64>,
    /// Agent and human sessions by size (sessions count in the period they start).
    pub agent_session_size: SizeMix,
    pub human_session_size: SizeMix,
}

/// From the first period with agent work to the last, in percentage points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudyChange {
    pub from: String,
    pub to: String,
    /// Change of each group's share of agent commits, then of Fix.
    pub agent_commits: GroupShares,
    /// Change of the authored share.
    pub authored_share: Option<f64>,
    /// The median agent session's lines, first period and last.
    pub agent_median_lines: (Option<u64>, Option<u64>),
}

/// How agent and human commits of one work mode lasted, over the report's range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModeSuccess {
    pub mode: Mode,
    pub agent: super::OutcomeRow,
    pub human: super::OutcomeRow,
}

/// Success per work mode and per agent, over the report's range: which work lasts.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Success {
    /// Modes with commits, in the order of the nine modes.
    pub by_mode: Vec<ModeSuccess>,
    /// Agent commits per agent id.
    pub by_agent: std::collections::BTreeMap<String, super::OutcomeRow>,
    /// Per familiarity tier (earlier commits of the same person to the same files in the year
    /// before: a proxy for task-specific expertise), commits whose files were read.
    pub by_familiarity: Vec<FamiliaritySuccess>,
}

/// Closed pull requests of one side: how many were merged, how many closed without merging.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AcceptanceRow {
    pub merged: u64,
    pub closed_unmerged: u64,
    /// merged ÷ (merged + closed unmerged).
    pub acceptance: Option<f64>,
    /// Median hours from opening to merging.
    pub median_hours_to_merge: Option<u64>,
}

impl AcceptanceRow {
    fn from(a: &crate::aggregate::Acceptance) -> Self {
        AcceptanceRow {
            merged: a.merged,
            closed_unmerged: a.closed_unmerged,
            acceptance: super::rows::round(a.acceptance()),
            median_hours_to_merge: a.median_hours_to_merge(),
        }
    }
}

/// Pull-request acceptance over the report's range (with `--github-prs`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PullAcceptance {
    pub agent: AcceptanceRow,
    pub human: AcceptanceRow,
    /// Agent pull requests per agent id.
    pub by_agent: std::collections::BTreeMap<String, AcceptanceRow>,
}

/// How agent and human commits of one familiarity tier lasted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FamiliaritySuccess {
    pub tier: &'static str,
    /// The fewest earlier commits of the tier.
    pub least_earlier_commits: u32,
    pub agent: super::OutcomeRow,
    pub human: super::OutcomeRow,
}

/// The study section.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Study {
    pub periods: Vec<StudyPeriod>,
    /// Commits that lasted per work mode and per agent, over the report's range.
    pub success: Success,
    /// Pull requests merged against those closed without merging, when pull requests were read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pull_requests: Option<PullAcceptance>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<StudyChange>,
    /// What git cannot show.
    pub limits: Vec<&'static str>,
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn diff(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(round(b? - a?))
}

impl Study {
    /// The study over a report's periods (rows hidden by `--min-authors` left out).
    pub fn from_rows(rows: &[Row], sessions: &[SessionSize]) -> Self {
        type Sizes = Vec<(u64, u64)>;
        let mut by_period: std::collections::HashMap<&str, (Sizes, Sizes)> =
            std::collections::HashMap::new();
        for s in sessions {
            let e = by_period.entry(s.period.as_str()).or_default();
            if s.agent { &mut e.0 } else { &mut e.1 }.push((s.lines, s.files));
        }
        let periods: Vec<StudyPeriod> = rows
            .iter()
            .filter(|r| !r.suppressed)
            .map(|r| {
                let (agent_sizes, human_sizes) = by_period
                    .get(r.period.as_deref().unwrap_or(""))
                    .cloned()
                    .unwrap_or_default();
                let (a, c) = (r.agent_authored, r.agent_co_authored);
                StudyPeriod {
                    period: r.period.clone().unwrap_or_default(),
                    agent_commits: GroupShares::of(&r.agent_modes.commits),
                    agent_sessions: GroupShares::of(&r.agent_modes.sessions),
                    human_commits: GroupShares::of(&r.human_modes.commits),
                    autonomy: Autonomy {
                        authored: a,
                        co_authored: c,
                        authored_share: (a + c > 0).then(|| round(a as f64 / (a + c) as f64)),
                        by_agent: r
                            .agents
                            .iter()
                            .filter(|(_, n)| **n > 0)
                            .map(|(agent, &n)| {
                                let authored = r.agents_authored.get(agent).copied().unwrap_or(0);
                                (
                                    agent.clone(),
                                    AgentAutonomy {
                                        commits: n,
                                        authored,
                                        authored_share: round(authored as f64 / n as f64),
                                    },
                                )
                            })
                            .collect(),
                    },
                    mixed_bursts: 0,
                    mixed_agent_line_share: None,
                    agent_success: r.agent_outcomes.success_share,
                    human_success: r.human_outcomes.success_share,
                    agent_session_size: SizeMix::of(agent_sizes),
                    human_session_size: SizeMix::of(human_sizes),
                }
            })
            .collect();
        let with_agents: Vec<&StudyPeriod> = periods
            .iter()
            .filter(|p| p.agent_commits.code.is_some())
            .collect();
        let change = match (with_agents.first(), with_agents.last()) {
            (Some(x), Some(y)) if with_agents.len() > 1 => {
                let (f, l) = (&x.agent_commits, &y.agent_commits);
                Some(StudyChange {
                    from: x.period.clone(),
                    to: y.period.clone(),
                    agent_commits: GroupShares {
                        code: diff(f.code, l.code),
                        operate: diff(f.operate, l.operate),
                        plan_explore: diff(f.plan_explore, l.plan_explore),
                        analyze_communicate: diff(f.analyze_communicate, l.analyze_communicate),
                        fix: diff(f.fix, l.fix),
                    },
                    authored_share: diff(x.autonomy.authored_share, y.autonomy.authored_share),
                    agent_median_lines: (
                        x.agent_session_size.median_lines,
                        y.agent_session_size.median_lines,
                    ),
                })
            }
            _ => None,
        };
        Study {
            periods,
            success: Success::default(),
            pull_requests: None,
            change,
            limits: LIMITS.to_vec(),
        }
    }
}

impl Study {
    /// Count mixed bursts in the periods they start (`label` names a time's period).
    pub fn add_mixed(
        &mut self,
        bursts: &[crate::session::MixedBurst],
        label: impl Fn(i64) -> String,
    ) {
        let mut lines: std::collections::HashMap<String, (u64, u64, u64)> =
            std::collections::HashMap::new();
        for b in bursts {
            let e = lines.entry(label(b.start)).or_default();
            e.0 += 1;
            e.1 += b.agent_lines;
            e.2 += b.human_lines;
        }
        for p in &mut self.periods {
            if let Some(&(n, agent, human)) = lines.get(&p.period) {
                p.mixed_bursts = n;
                p.mixed_agent_line_share =
                    (agent + human > 0).then(|| round(agent as f64 / (agent + human) as f64));
            }
        }
    }
}

/// The study as a table: per period, the share of agent commits in each group, Fix's share, and
/// autonomy.
pub fn table(study: &Study) -> super::sections::Table {
    let mut t = super::sections::Table::new(&[
        ("Period", false),
        ("Code", true),
        ("Operate", true),
        ("Plan & explore", true),
        ("Analyse & communicate", true),
        ("Fix (debugging)", true),
        ("Authored by the agent", true),
        ("Median session, agent / human (lines)", true),
        ("Lasted, agent / human", true),
    ]);
    let pct = |x: Option<f64>| x.map_or("–".to_owned(), |v| format!("{:.1}%", v * 100.0));
    for p in &study.periods {
        if p.agent_commits.code.is_none() {
            continue;
        }
        let mut row = vec![p.period.clone()];
        row.extend(p.agent_commits.values().into_iter().map(pct));
        row.push(format!(
            "{} of {} ({})",
            p.autonomy.authored,
            p.autonomy.authored + p.autonomy.co_authored,
            pct(p.autonomy.authored_share)
        ));
        let median = |m: Option<u64>| m.map_or("–".to_owned(), |v| v.to_string());
        row.push(format!(
            "{} / {}",
            median(p.agent_session_size.median_lines),
            median(p.human_session_size.median_lines)
        ));
        row.push(format!(
            "{} / {}",
            pct(p.agent_success),
            pct(p.human_success)
        ));
        t.push(row);
    }
    t
}

/// The first-to-last change as a sentence.
pub fn change_text(study: &Study) -> Option<String> {
    let c = study.change.as_ref()?;
    let pp = |x: Option<f64>| x.map_or("–".to_owned(), |v| format!("{:+.1} pp", v * 100.0));
    Some(format!(
        "From {} to {}: code work {}, operating {}, planning and exploring {}, analysing and communicating {} of agent commits; debugging (Fix) {}; commits the agent authored alone {}; the median agent session went from {} to {} changed lines.",
        c.from,
        c.to,
        pp(c.agent_commits.code),
        pp(c.agent_commits.operate),
        pp(c.agent_commits.plan_explore),
        pp(c.agent_commits.analyze_communicate),
        pp(c.agent_commits.fix),
        pp(c.authored_share),
        c.agent_median_lines
            .0
            .map_or("–".to_owned(), |v| v.to_string()),
        c.agent_median_lines
            .1
            .map_or("–".to_owned(), |v| v.to_string())
    ))
}

impl Study {
    /// Success per mode and per agent from the range's counts.
    pub fn add_success(&mut self, total: &crate::aggregate::Counts) {
        let [agent, human] = &total.outcome_by_mode;
        self.success.by_mode = crate::model::MODES
            .iter()
            .filter(|m| agent[m.index()].commits + human[m.index()].commits > 0)
            .map(|m| ModeSuccess {
                mode: *m,
                agent: super::OutcomeRow::from(&agent[m.index()]),
                human: super::OutcomeRow::from(&human[m.index()]),
            })
            .collect();
        self.success.by_agent = total
            .outcome_by_agent
            .iter()
            .map(|(a, o)| (a.clone(), super::OutcomeRow::from(o)))
            .collect();
        let closed = |a: &crate::aggregate::Acceptance| a.merged + a.closed_unmerged;
        if closed(&total.agent_acceptance) + closed(&total.human_acceptance) > 0 {
            self.pull_requests = Some(PullAcceptance {
                agent: AcceptanceRow::from(&total.agent_acceptance),
                human: AcceptanceRow::from(&total.human_acceptance),
                by_agent: total
                    .acceptance_by_agent
                    .iter()
                    .map(|(a, x)| (a.clone(), AcceptanceRow::from(x)))
                    .collect(),
            });
        }
        let [agent, human] = &total.outcome_by_familiarity;
        self.success.by_familiarity = crate::outcomes::FAMILIARITY_TIERS
            .iter()
            .enumerate()
            .map(|(i, &(tier, least))| FamiliaritySuccess {
                tier,
                least_earlier_commits: least,
                agent: super::OutcomeRow::from(&agent[i]),
                human: super::OutcomeRow::from(&human[i]),
            })
            .collect();
    }
}

/// Which work lasted, per mode and per agent, as a sentence (none without agent commits).
pub fn success_text(study: &Study, agent_name: impl Fn(&str) -> String) -> Option<String> {
    let s = &study.success;
    if s.by_agent.is_empty() {
        return None;
    }
    let pct = |x: Option<f64>| x.map_or("–".to_owned(), |v| format!("{:.1}%", v * 100.0));
    let modes: Vec<String> = s
        .by_mode
        .iter()
        .map(|m| {
            let side = |o: &super::OutcomeRow| match o.commits {
                0 => "–".to_owned(),
                n => format!("{} of {n}", pct(o.success_share)),
            };
            format!(
                "{} {} / {}",
                super::sections::capitalised(m.mode.as_str()),
                side(&m.agent),
                side(&m.human)
            )
        })
        .collect();
    let agents: Vec<String> = s
        .by_agent
        .iter()
        .map(|(a, o)| {
            format!(
                "{} {} of {}",
                agent_name(a),
                pct(o.success_share),
                o.commits
            )
        })
        .collect();
    let side = |o: &super::OutcomeRow| match o.commits {
        0 => "–".to_owned(),
        n => format!("{} of {n}", pct(o.success_share)),
    };
    let tiers: Vec<String> = s
        .by_familiarity
        .iter()
        .map(|t| format!("{} {} / {}", t.tier, side(&t.agent), side(&t.human)))
        .collect();
    Some(format!(
        "Commits that lasted (neither reverted nor reworked), agent / human, by work mode: {}. By agent: {}. By the person's familiarity with the files (earlier commits to them in the year before: new 0, familiar 1 to 9, expert 10 or more): {}.",
        modes.join("; "),
        agents.join("; "),
        tiers.join("; ")
    ))
}

/// Pull-request acceptance as a sentence (none without closed pull requests).
pub fn acceptance_text(study: &Study, agent_name: impl Fn(&str) -> String) -> Option<String> {
    let p = study.pull_requests.as_ref()?;
    let pct = |x: Option<f64>| x.map_or("–".to_owned(), |v| format!("{:.1}%", v * 100.0));
    let row = |r: &AcceptanceRow| {
        let closed = r.merged + r.closed_unmerged;
        match (closed, r.median_hours_to_merge) {
            (0, _) => "–".to_owned(),
            (n, Some(h)) => format!("{} of {n} (median {h} h to merge)", pct(r.acceptance)),
            (n, None) => format!("{} of {n}", pct(r.acceptance)),
        }
    };
    let agents: Vec<String> = p
        .by_agent
        .iter()
        .map(|(a, r)| format!("{} {}", agent_name(a), row(r)))
        .collect();
    Some(format!(
        "Pull requests merged of those closed, agent / human: {} / {}.{}",
        row(&p.agent),
        row(&p.human),
        if agents.is_empty() {
            String::new()
        } else {
            format!(" By agent: {}.", agents.join("; "))
        }
    ))
}

/// The study's own published figures, cited, to set beside a codebase's (shares of sessions,
/// not commits: sessions that end without a commit are in them).
pub fn reference_text() -> &'static str {
    "For reference, the study of about 400,000 interactive coding-agent sessions (Anthropic, \
     \"Agentic coding and persistent returns to expertise\", June 2026) reports for its sessions \
     of October 2025 to April 2026, pooled: writing, fixing, testing and coordinating code 56%, \
     operating 17%, planning and exploring 14%, analysing and communicating 13%; debugging (Fix) \
     fell from 33% to 19% of sessions over those months, and the value of a typical task rose \
     about 25%. Its shares are of sessions, including those that end without a commit."
}

/// What git cannot show, as a sentence.
pub fn limits_text() -> String {
    format!("What git cannot show: {}.", LIMITS.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_fall_in_their_tiers() {
        assert_eq!(size_tier(0, 0), 0);
        assert_eq!(size_tier(20, 3), 0);
        assert_eq!(size_tier(21, 1), 1);
        assert_eq!(size_tier(200, 10), 1);
        assert_eq!(size_tier(1000, 1), 2);
        assert_eq!(size_tier(1001, 1), 3);
        // Few lines over many files: the files decide.
        assert_eq!(size_tier(5, 4), 1);
        assert_eq!(size_tier(0, 20_000), 3);
        let mix = SizeMix::of(vec![(5, 1), (300, 2), (30, 3), (2000, 9), (12, 1)]);
        assert_eq!(mix.median_lines, Some(30));
        assert_eq!(mix.median_files, Some(2));
        // By name: large, medium, small, very_large.
        assert_eq!(
            mix.tiers.values().copied().collect::<Vec<_>>(),
            vec![1, 1, 2, 1]
        );
    }

    #[test]
    fn groups_and_fix_shares() {
        let mut c = ModeCounts::default();
        c.add(Mode::Build, 4);
        c.add(Mode::Fix, 2);
        c.add(Mode::Operate, 1);
        c.add(Mode::Plan, 1);
        c.add(Mode::Communicate, 2);
        let g = GroupShares::of(&c);
        assert_eq!(
            g.values(),
            [Some(0.6), Some(0.1), Some(0.1), Some(0.2), Some(0.2)]
        );
        assert_eq!(GroupShares::of(&ModeCounts::default()).code, None);
    }
}
