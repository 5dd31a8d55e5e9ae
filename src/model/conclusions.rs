//! What the pure stages conclude about a commit, in the form the store keeps and reports read:
//! its class and evidence, its work mode, the sessions commits form, configuration found in a tree.
//! The functions that reach these conclusions live in `detect`, `classify` and `session`.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::signatures::{Category, Confidence, EvidenceKind};

/// One piece of evidence that an agent or bot took part in a commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Agent id from the registry.
    pub agent: String,
    /// The agent's category.
    pub category: Category,
    /// Where it was found.
    pub kind: EvidenceKind,
    /// What it proves.
    pub confidence: Confidence,
    /// Where exactly: `author`, `committer`, the trailer key, `body`, `subject`, `footer`,
    /// `message`, `disclosure`, `merge subject`.
    pub location: String,
    /// The matched text: the trailer line, `Name <email>`, the marker line or the branch name.
    pub text: String,
    /// The model named by this evidence, normalised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// A session or task id named by this evidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// Line of the signature in its registry file.
    #[serde(skip)]
    pub signature_line: usize,
}

/// The class of a commit for every share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum CommitClass {
    /// At least one authoring agent at high or medium confidence.
    Agent,
    /// Neither agent nor bot.
    Human,
    /// Authored by an automation or review bot; outside every share.
    Bot,
}

impl CommitClass {
    /// The name used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            CommitClass::Agent => "agent",
            CommitClass::Human => "human",
            CommitClass::Bot => "bot",
        }
    }
}

/// The nine work modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Code that is itself the product: features, refactors, optimisations, migrations.
    Build,
    /// A repair triggered by broken behaviour.
    Fix,
    /// Verification: tests, fixtures, test infrastructure.
    Test,
    /// AI artefacts: prompts, agent instructions, eval harnesses.
    Orchestrate,
    /// Scaffolding around code: CI/CD, deployment, packaging, releases.
    Operate,
    /// Knowledge about the existing system.
    Understand,
    /// Plans and decisions before implementation.
    Plan,
    /// Analytical artefacts: notebooks, results, plots.
    Analyze,
    /// Prose for people: documentation, READMEs, changelogs.
    Communicate,
}

/// Every mode, in the order reports list them.
pub const MODES: [Mode; 9] = [
    Mode::Build,
    Mode::Fix,
    Mode::Test,
    Mode::Orchestrate,
    Mode::Operate,
    Mode::Understand,
    Mode::Plan,
    Mode::Analyze,
    Mode::Communicate,
];

impl Mode {
    /// The lower-case name used in rules and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Build => "build",
            Mode::Fix => "fix",
            Mode::Test => "test",
            Mode::Orchestrate => "orchestrate",
            Mode::Operate => "operate",
            Mode::Understand => "understand",
            Mode::Plan => "plan",
            Mode::Analyze => "analyze",
            Mode::Communicate => "communicate",
        }
    }

    /// The capitalised name used in tables.
    pub fn title(self) -> &'static str {
        match self {
            Mode::Build => "Build",
            Mode::Fix => "Fix",
            Mode::Test => "Test",
            Mode::Orchestrate => "Orchestrate",
            Mode::Operate => "Operate",
            Mode::Understand => "Understand",
            Mode::Plan => "Plan",
            Mode::Analyze => "Analyze",
            Mode::Communicate => "Communicate",
        }
    }

    /// Position in [`MODES`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MODES
            .iter()
            .copied()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!(
                    "unknown mode {s:?}: use one of {}",
                    MODES.map(|m| m.as_str()).join(", ")
                )
            })
    }
}

/// One session of commits.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// Session id: the id the evidence named, or `<actor>@<first commit>`.
    pub id: String,
    /// Time of the first commit.
    pub start: i64,
    /// Time of the last commit.
    pub end: i64,
    /// Number of commits.
    pub commits: u64,
    /// Agents of its commits; empty for a human session.
    pub agents: BTreeSet<String>,
    /// The dominant mode.
    pub mode: Mode,
    /// Lines added and deleted.
    pub lines: u64,
    /// Distinct files its commits changed (counted by the store when it writes the sessions; 0
    /// before, and without `--stats paths` or `lines`).
    pub files: u64,
}

impl Session {
    /// Whether an agent took part.
    pub fn is_agent(&self) -> bool {
        !self.agents.is_empty()
    }
}

/// Sessions and which commits belong to them.
#[derive(Debug, Clone, Default)]
pub struct Grouped {
    /// The sessions, by start time.
    pub sessions: Vec<Session>,
    /// Each grouped commit with the index of its session in `sessions`.
    pub members: Vec<(super::Oid, usize)>,
}

/// An agent configuration file found in a repository tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigFinding {
    /// The file (or, for `.gitignore` entries, the ignored pattern).
    pub path: String,
    /// Agent id.
    pub agent: String,
    /// What it proves.
    pub confidence: Confidence,
    /// `gitignore` for an ignored agent file; `attribution off` for a Claude settings file that
    /// turns commit attribution off.
    pub detail: Option<String>,
}

/// Whether pull-request evidence makes the agent the author of the work (its bot opened the pull
/// request) rather than a helper of the human who did.
pub fn pull_request_authored(evidence: &[Evidence]) -> bool {
    evidence.iter().any(|e| {
        e.category == Category::Agent
            && e.confidence >= Confidence::Medium
            && e.location.ends_with(" author")
    })
}

/// One commit in a listing (`agentscan commits`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct CommitRow {
    /// Repository display name.
    pub repo: String,
    /// Full commit id.
    pub id: String,
    /// Author time, RFC 3339 UTC.
    pub author_time: String,
    /// `Name <email>`.
    pub author: String,
    /// agent, human or bot.
    pub class: CommitClass,
    /// authored or co-authored.
    pub role: Option<crate::signatures::Role>,
    /// Agent ids.
    pub agents: Vec<String>,
    /// Models.
    pub models: Vec<String>,
    /// The work mode.
    pub mode: Mode,
    /// Lines added.
    pub lines_added: u64,
    /// Lines deleted.
    pub lines_deleted: u64,
    /// Session id.
    pub session: Option<String>,
    /// First line of the message.
    pub subject: String,
}
