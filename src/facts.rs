//! The derived facts of one commit: what every report is made of.
//!
//! Detection and classification produce rich evidence; aggregation needs only a few fields per
//! commit. [`CommitFacts`] is that small, owned summary, built once per commit on a worker thread,
//! so that the (sequential) session grouping and aggregation touch little memory.

use serde::Serialize;

use crate::classify::{Mode, ModeDecision};
use crate::detect::{CommitClass, Detection};
use crate::model::CommitRecord;
use crate::signatures::Role;

/// What aggregation and session grouping need of one commit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommitFacts {
    /// Full commit id (hex).
    pub id: String,
    /// Author time, seconds since the epoch.
    pub time: i64,
    /// More than one parent.
    pub is_merge: bool,
    /// Agent, human or bot.
    pub class: CommitClass,
    /// Authored or co-authored, for agent commits.
    pub role: Option<Role>,
    /// Authoring agents (high or medium confidence).
    pub agents: Vec<String>,
    /// Models named by the agent evidence.
    pub models: Vec<String>,
    /// Review bots whose suggestions the commit carries.
    pub review_bots: Vec<String>,
    /// Automation bots (author).
    pub bots: Vec<String>,
    /// Agents with only low-confidence leads.
    pub weak_agents: Vec<String>,
    /// The human behind the commit (see [`Detection::human`]).
    pub human: Option<String>,
    /// That person's name as the commit writes it.
    pub human_name: Option<String>,
    /// Who made the commit, for session grouping: the human, else the author email.
    pub actor: String,
    /// A session id named by the evidence (`Claude-Session`, `Amp-Thread-ID`, task links).
    pub session_hint: Option<String>,
    /// The work mode.
    pub mode: Mode,
    /// Lines added and deleted (0 when unknown).
    pub lines_added: u64,
    /// Lines deleted.
    pub lines_deleted: u64,
    /// Whether line counts were read for this commit.
    pub has_lines: bool,
    /// Of the lines added and deleted, those in generated and vendored files.
    pub generated_added: u64,
    pub generated_deleted: u64,
}

/// A list of ids, as owned strings or as the comma-separated text the store keeps.
#[derive(Debug, Clone, Copy)]
pub enum List<'a> {
    /// Owned strings.
    Owned(&'a [String]),
    /// `a,b,c`, or empty.
    Joined(&'a str),
}

impl<'a> List<'a> {
    /// The ids.
    pub fn iter(self) -> impl Iterator<Item = &'a str> {
        let (owned, joined) = match self {
            List::Owned(v) => (Some(v.iter().map(String::as_str)), None),
            List::Joined(s) => (None, Some(s.split(',').filter(|x| !x.is_empty()))),
        };
        owned
            .into_iter()
            .flatten()
            .chain(joined.into_iter().flatten())
    }

    /// Whether there are none.
    pub fn is_empty(self) -> bool {
        match self {
            List::Owned(v) => v.is_empty(),
            List::Joined(s) => s.is_empty(),
        }
    }
}

/// What aggregation reads of one commit, borrowed: from [`CommitFacts`] or straight from a store
/// row, so that a report over a million stored commits allocates next to nothing per commit.
#[derive(Debug, Clone, Copy)]
pub struct FactsRef<'a> {
    /// The commit id.
    pub id: &'a str,
    /// Author time, seconds since the epoch.
    pub time: i64,
    /// More than one parent.
    pub is_merge: bool,
    /// Agent, human or bot.
    pub class: CommitClass,
    /// Authored or co-authored, for agent commits.
    pub role: Option<Role>,
    /// Authoring agents.
    pub agents: List<'a>,
    /// Models.
    pub models: List<'a>,
    /// Review bots.
    pub review_bots: List<'a>,
    /// Automation bots.
    pub bots: List<'a>,
    /// Whether there are low-confidence agent leads.
    pub weak: bool,
    /// The human behind the commit.
    pub human: Option<&'a str>,
    /// The work mode.
    pub mode: Mode,
    /// Authored lines added: lines in generated and vendored files are counted apart.
    pub lines_added: u64,
    /// Authored lines deleted.
    pub lines_deleted: u64,
    /// Lines added in generated and vendored files.
    pub generated_added: u64,
    /// Lines deleted in generated and vendored files.
    pub generated_deleted: u64,
    /// That person's name as the commit writes it.
    pub human_name: Option<&'a str>,
    /// Whether the changed paths were read (the scan ran with `--stats paths` or `lines`).
    pub has_paths: bool,
    /// Later reverted.
    pub reverted: bool,
    /// Followed within 14 days by a Fix-mode commit on the same code files.
    pub reworked: bool,
    /// Earlier commits of the same person to its files in the year before (see
    /// [`crate::outcomes::familiarity`]); `None` until known.
    pub familiarity: Option<u32>,
}

impl FactsRef<'_> {
    /// Added plus deleted lines.
    pub fn lines(&self) -> u64 {
        self.lines_added + self.lines_deleted
    }
}

impl CommitFacts {
    /// Summarise a record and what detection and classification concluded.
    pub fn new(record: &CommitRecord, detection: &Detection, decision: &ModeDecision) -> Self {
        let (lines_added, lines_deleted) = record.line_totals();
        let has_lines = record
            .files
            .as_ref()
            .is_some_and(|f| f.iter().any(|c| c.lines.is_some()));
        let actor = detection.human.clone().unwrap_or_else(|| {
            String::from_utf8_lossy(&record.author.email)
                .trim()
                .to_ascii_lowercase()
        });
        CommitFacts {
            id: record.id.to_string(),
            time: record.author.time,
            is_merge: record.is_merge(),
            class: detection.class,
            role: detection.role,
            agents: detection.agents.clone(),
            models: detection.models.clone(),
            review_bots: detection.review_bots.clone(),
            bots: detection.bots.clone(),
            weak_agents: detection.weak_agents.clone(),
            human: detection.human.clone(),
            human_name: detection.human_name.clone(),
            actor,
            session_hint: detection.session.clone(),
            mode: decision.mode,
            lines_added,
            lines_deleted,
            has_lines,
            generated_added: decision.generated.0,
            generated_deleted: decision.generated.1,
        }
    }

    /// Added plus deleted lines, outside generated and vendored files.
    pub fn authored_lines(&self) -> u64 {
        (self.lines_added + self.lines_deleted)
            .saturating_sub(self.generated_added + self.generated_deleted)
    }

    /// Whether the commit takes part in sessions and work-mode mixes (not a merge, not a bot).
    pub fn is_work(&self) -> bool {
        !self.is_merge && self.class != CommitClass::Bot
    }
}
