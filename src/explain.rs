//! `agentscan explain`: everything agentscan concludes about one commit, and why.
//!
//! The way a user checks a number: which signatures matched which text, which class and role that
//! gives, which files changed with how many lines, which mode each path argues for and which rules
//! decided the work mode.

use std::fmt::Write as _;
use std::path::Path;

use bstr::ByteSlice;
use serde::Serialize;

use crate::classify::{Mode, ModeDecision, Rules, classify};
use crate::detect::{Detection, detect};
use crate::message::Message;
use crate::period::utc_rfc3339;
use crate::signatures::Registry;
use crate::walk::{Repo, Stats, WalkError};

/// One changed file, as explained.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainedFile {
    /// Path after the change.
    pub path: String,
    /// Path before a rename or copy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_path: Option<String>,
    /// A, D, M, R or C.
    pub status: char,
    /// Lines added, when known.
    pub added: Option<u32>,
    /// Lines deleted, when known.
    pub deleted: Option<u32>,
    /// Binary file.
    pub binary: bool,
    /// The mode the path rules give this file (`None`: code).
    pub path_mode: Option<Mode>,
}

/// Everything about one commit.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// Repository display name.
    pub repository: String,
    /// Full commit id.
    pub id: String,
    /// `Name <email>` after mailmap.
    pub author: String,
    /// Author time, RFC 3339 UTC.
    pub author_time: String,
    /// `Name <email>` after mailmap.
    pub committer: String,
    /// Parent ids.
    pub parents: Vec<String>,
    /// First line of the message.
    pub subject: String,
    /// The whole message (lossy UTF-8).
    pub message: String,
    /// What detection concluded, with every piece of evidence.
    pub detection: Detection,
    /// The work mode and the rules behind it.
    pub classification: ModeDecision,
    /// Changed files (empty for merges, which are not diffed).
    pub files: Vec<ExplainedFile>,
}

/// Why a commit could not be explained.
#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    /// The repository or the commit could not be read.
    #[error(transparent)]
    Walk(#[from] WalkError),
}

/// Explain commit `rev` of the repository at `repo`.
pub fn explain(
    repo: &Path,
    rev: &str,
    registry: &Registry,
    rules: &Rules,
) -> Result<Explanation, ExplainError> {
    let repository = Repo::open(repo)?;
    let mut record = repository.read_one(rev, Stats::Lines)?;
    record.attestations = repository.attestations_of(record.id.gix());
    let detection = detect(&record, registry);
    let mut classification = classify(&record, rules);
    crate::classify::explain_model(&record, rules, &mut classification);
    let person =
        |p: &crate::walk::Person| format!("{} <{}>", p.name.to_str_lossy(), p.email.to_str_lossy());
    let files = record
        .files
        .iter()
        .flatten()
        .map(|f| ExplainedFile {
            path: f.path.to_str_lossy().into_owned(),
            old_path: f.old_path.as_ref().map(|p| p.to_str_lossy().into_owned()),
            status: f.status.letter(),
            added: f.lines.map(|l| l.0),
            deleted: f.lines.map(|l| l.1),
            binary: f.binary,
            path_mode: rules.path_mode(&f.path.to_str_lossy()),
        })
        .collect();
    Ok(Explanation {
        repository: repository.name.clone(),
        id: record.id.to_string(),
        author: person(&record.author),
        author_time: utc_rfc3339(record.author.time),
        committer: person(&record.committer),
        parents: record.parents.iter().map(|p| p.to_string()).collect(),
        subject: Message::parse(&record.message)
            .subject()
            .to_str_lossy()
            .into_owned(),
        message: record.message.to_str_lossy().into_owned(),
        detection,
        classification,
        files,
    })
}

/// `Name <email>` in a message.
static PERSON: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"([^\s:<>][^:<>\n]*?)\s*<([^<>\s@]+@[^<>\s]+)>").expect("valid regex")
});

/// `Name <email>` split in two.
fn split_person(person: &str) -> (&str, &str) {
    match person.rsplit_once(" <") {
        Some((name, email)) => (name, email.trim_end_matches('>')),
        None => (person, ""),
    }
}

impl Explanation {
    /// Replace the people in it with pseudonyms: author, committer, the human behind the commit,
    /// and every `Name <email>` in the message that is not an agent's or bot's own identity.
    pub fn anonymize(&mut self, p: &crate::privacy::Pseudonyms) {
        let swap = |person: &str| {
            let (name, email) = split_person(person);
            let (name, email) = crate::privacy::person(Some(p), name, email);
            format!("{name} <{email}>")
        };
        self.author = swap(&self.author);
        self.committer = swap(&self.committer);
        if let Some(h) = &self.detection.human {
            self.detection.human_name = Some(p.name(h));
            self.detection.human = Some(p.email(h));
        }
        let evidence: Vec<&str> = self
            .detection
            .evidence
            .iter()
            .map(|e| e.text.as_str())
            .collect();
        self.message = PERSON
            .replace_all(&self.message, |c: &regex::Captures<'_>| {
                let whole = &c[0];
                if evidence.iter().any(|e| e.contains(whole)) {
                    whole.to_owned()
                } else {
                    swap(&format!("{} <{}>", &c[1], &c[2]))
                }
            })
            .into_owned();
    }

    /// A readable report for the terminal.
    pub fn to_text(&self) -> String {
        let mut o = String::new();
        let d = &self.detection;
        let c = &self.classification;
        let _ = writeln!(o, "commit {}  ({})", self.id, self.repository);
        let _ = writeln!(o, "Author:     {}  {}", self.author, self.author_time);
        let _ = writeln!(o, "Committer:  {}", self.committer);
        if self.parents.len() > 1 {
            let _ = writeln!(o, "Merge:      {}", self.parents.join(" "));
        }
        let _ = writeln!(o, "Subject:    {}", self.subject);
        let _ = writeln!(o);
        let role = d
            .role
            .map(|r| format!(" ({})", r.as_str()))
            .unwrap_or_default();
        let _ = writeln!(o, "Class:      {}{role}", d.class.as_str());
        let list = |v: &[String]| {
            if v.is_empty() {
                "-".to_owned()
            } else {
                v.join(", ")
            }
        };
        let _ = writeln!(o, "Agents:     {}", list(&d.agents));
        let _ = writeln!(o, "Models:     {}", list(&d.models));
        if !d.review_bots.is_empty() {
            let _ = writeln!(o, "Review:     {}", list(&d.review_bots));
        }
        if !d.bots.is_empty() {
            let _ = writeln!(o, "Bots:       {}", list(&d.bots));
        }
        if !d.weak_agents.is_empty() {
            let _ = writeln!(
                o,
                "Leads:      {} (low confidence, not counted)",
                list(&d.weak_agents)
            );
        }
        if let Some(s) = &d.session {
            let _ = writeln!(o, "Session:    {s}");
        }
        if d.evidence.is_empty() {
            let _ = writeln!(o, "Evidence:   none");
        } else {
            let _ = writeln!(o, "Evidence:");
            for e in &d.evidence {
                let model = e
                    .model
                    .as_ref()
                    .map(|m| format!("  model {m}"))
                    .unwrap_or_default();
                let _ = writeln!(
                    o,
                    "  {:<6}  {:<8}  {:<18}  {}  [{}]{model}",
                    e.confidence.as_str(),
                    e.kind.as_str(),
                    e.agent,
                    e.text,
                    e.location
                );
            }
        }
        let _ = writeln!(o);
        let ctype = c
            .conventional_type
            .as_ref()
            .map(|t| format!("  (conventional type `{t}`)"))
            .unwrap_or_default();
        let _ = writeln!(o, "Mode:       {}{ctype}", c.mode);
        if !c.shares.is_empty() {
            let shares: Vec<String> = c
                .shares
                .iter()
                .map(|(m, s)| format!("{m} {:.1}%", s * 100.0))
                .collect();
            let _ = writeln!(o, "Shares:     {}", shares.join(", "));
        }
        let _ = writeln!(o, "Rules:");
        for r in &c.rules {
            let _ = writeln!(
                o,
                "  {:<5}  {:<22} -> {:<11}  {}  ({})",
                format!("{:?}", r.kind).to_lowercase(),
                r.rule,
                r.mode.as_str(),
                r.detail,
                r.reason
            );
        }
        if self.parents.len() > 1 {
            let _ = writeln!(o, "\nFiles:      not diffed (merge commit)");
            return o;
        }
        let (a, dl): (u64, u64) = self.files.iter().fold((0, 0), |(a, d), f| {
            (
                a + u64::from(f.added.unwrap_or(0)),
                d + u64::from(f.deleted.unwrap_or(0)),
            )
        });
        let _ = writeln!(o, "\nFiles ({} changed, +{a} -{dl}):", self.files.len());
        for f in &self.files {
            let lines = if f.binary {
                "binary".to_owned()
            } else {
                match (f.added, f.deleted) {
                    (Some(a), Some(d)) => format!("+{a} -{d}"),
                    _ => "lines unknown".to_owned(),
                }
            };
            let path = match &f.old_path {
                Some(old) => format!("{old} => {}", f.path),
                None => f.path.clone(),
            };
            let _ = writeln!(
                o,
                "  {}  {:<14}  {:<12}  {}",
                f.status,
                lines,
                f.path_mode.map_or("code", |m| m.as_str()),
                path
            );
        }
        o
    }
}
