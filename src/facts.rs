//! The derived facts of one commit: what every report is made of.
//!
//! Detection and classification produce rich evidence; aggregation needs only a few fields per
//! commit. [`CommitFacts`] is that small, owned summary, built once per commit on a worker thread,
//! so that the (sequential) session grouping and aggregation touch little memory.

use serde::Serialize;

use crate::classify::{Mode, ModeDecision};
use crate::detect::{CommitClass, Detection};
use crate::signatures::Role;
use crate::walk::CommitRecord;

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
    /// The session this commit belongs to, once sessions are grouped.
    pub session: Option<String>,
}

impl CommitFacts {
    /// Summarise a record and what detection and classification concluded.
    pub fn new(record: &CommitRecord, detection: Detection, decision: &ModeDecision) -> Self {
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
            agents: detection.agents,
            models: detection.models,
            review_bots: detection.review_bots,
            bots: detection.bots,
            weak_agents: detection.weak_agents,
            human: detection.human,
            actor,
            session_hint: detection.session,
            mode: decision.mode,
            lines_added,
            lines_deleted,
            has_lines,
            session: None,
        }
    }

    /// Added plus deleted lines.
    pub fn lines(&self) -> u64 {
        self.lines_added + self.lines_deleted
    }

    /// Whether the commit takes part in sessions and work-mode mixes (not a merge, not a bot).
    pub fn is_work(&self) -> bool {
        !self.is_merge && self.class != CommitClass::Bot
    }
}
