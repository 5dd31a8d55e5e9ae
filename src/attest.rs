//! Attribution stores other tools keep beside the history: git notes written by git-ai
//! (`refs/notes/ai`), Agent Blame (`refs/notes/agentblame`) and whogitit (`refs/notes/whogitit`),
//! and Agent Trace records (`.agent-trace/traces.jsonl`). Each says, for a commit, which agent and
//! model wrote some of it, in a form no message trailer has to survive. This module only parses:
//! the walk reads the bytes, detection turns what is parsed here into evidence.
//!
//! The formats are young and loosely specified, so parsing is lenient: whatever does not parse is
//! skipped, and a record that names no agent but says an AI wrote lines still counts as an
//! unnamed agent. A record that credits only people is no attestation.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Which store an attestation comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AttestSource {
    /// git-ai's authorship logs (Git AI Standard v3), `refs/notes/ai`.
    GitAi,
    /// Agent Blame's notes, `refs/notes/agentblame`.
    AgentBlame,
    /// whogitit's notes, `refs/notes/whogitit` (written from Claude Code hooks).
    WhoGitIt,
    /// Agent Trace records committed in `.agent-trace/traces.jsonl`.
    AgentTrace,
}

impl AttestSource {
    /// Every source, in a fixed order.
    pub const ALL: [AttestSource; 4] = [
        AttestSource::GitAi,
        AttestSource::AgentBlame,
        AttestSource::WhoGitIt,
        AttestSource::AgentTrace,
    ];

    /// The name used in the registry, the store and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            AttestSource::GitAi => "git-ai",
            AttestSource::AgentBlame => "agentblame",
            AttestSource::WhoGitIt => "whogitit",
            AttestSource::AgentTrace => "agent-trace",
        }
    }

    /// The source a registry or store name stands for.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Where the store lives: a notes ref, or a file of the tree.
    pub fn location(self) -> &'static str {
        match self {
            AttestSource::GitAi => "refs/notes/ai",
            AttestSource::AgentBlame => "refs/notes/agentblame",
            AttestSource::WhoGitIt => "refs/notes/whogitit",
            AttestSource::AgentTrace => AGENT_TRACE_PATH,
        }
    }

    /// The notes-backed sources.
    pub const NOTES: [AttestSource; 3] = [
        AttestSource::GitAi,
        AttestSource::AgentBlame,
        AttestSource::WhoGitIt,
    ];
}

/// Where Agent Trace records are committed.
pub const AGENT_TRACE_PATH: &str = ".agent-trace/traces.jsonl";

/// One store's word that an agent wrote part of a commit: the tool and model as the store names
/// them (either may be unknown).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Attestation {
    pub source: AttestSource,
    pub tool: Option<String>,
    pub model: Option<String>,
}

impl Attestation {
    fn new(source: AttestSource, tool: Option<&str>, model: Option<&str>) -> Self {
        let clean = |s: Option<&str>| {
            s.map(str::trim)
                .filter(|s| !s.is_empty() && s.len() <= 200)
                .map(str::to_owned)
        };
        Attestation {
            source,
            tool: clean(tool),
            model: clean(model),
        }
    }
}

/// The attestations of one note of a notes-backed `source`, deduplicated; empty when the note
/// credits no agent.
pub fn parse_note(source: AttestSource, text: &[u8]) -> Vec<Attestation> {
    let text = String::from_utf8_lossy(text);
    let mut out = match source {
        AttestSource::GitAi => git_ai(source, &text),
        AttestSource::AgentBlame => agent_blame(source, &text),
        AttestSource::WhoGitIt => whogitit(source, &text),
        AttestSource::AgentTrace => Vec::new(),
    };
    out.sort();
    out.dedup();
    out
}

/// The JSON part of a note: after a `---` line when there is one (git-ai's layout: attestation
/// lines, `---`, metadata), else the whole note.
fn json_part(text: &str) -> (Option<&str>, Option<Value>) {
    let (head, json) = match text.find("\n---\n") {
        Some(at) => (Some(&text[..at]), &text[at + 5..]),
        None if text.starts_with("---\n") => (Some(""), &text[4..]),
        None => (None, text),
    };
    (head, serde_json::from_str(json.trim()).ok())
}

fn str_at<'v>(v: &'v Value, path: &[&str]) -> Option<&'v str> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str()
}

/// git-ai: attestation lines (`path`, then `  <key> <line ranges>`), `---`, and JSON whose
/// `prompts` and `sessions` map keys to `{agent_id: {tool, model}}`. Keys starting `h_` are people.
fn git_ai(source: AttestSource, text: &str) -> Vec<Attestation> {
    let (head, json) = json_part(text);
    let mut out = Vec::new();
    if let Some(json) = &json {
        for table in ["prompts", "sessions"] {
            for record in json
                .get(table)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let record = record.1;
                let tool = str_at(record, &["agent_id", "tool"]);
                let model = str_at(record, &["agent_id", "model"]);
                if tool.is_some() || model.is_some() {
                    out.push(Attestation::new(source, tool, model));
                }
            }
        }
    }
    if out.is_empty() {
        // Lines credited to a key that is not a person's, with no metadata naming the agent.
        let agent_lines = head.unwrap_or(text).lines().any(|l| {
            l.starts_with("  ")
                && l.split_whitespace()
                    .next()
                    .is_some_and(|k| !k.starts_with("h_"))
        });
        if agent_lines && head.is_some() {
            out.push(Attestation::new(source, None, None));
        }
    }
    out
}

/// Agent Blame: JSON with `sessions` mapping ids to `{agent, model}` (v3), or older
/// `attributions` listing `{provider | agent, model}`. Its analytics note (on the root commit)
/// has neither and is no attestation.
fn agent_blame(source: AttestSource, text: &str) -> Vec<Attestation> {
    let (_, json) = json_part(text);
    let Some(json) = json else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (_, s) in json
        .get("sessions")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let tool = str_at(s, &["agent"]);
        let model = str_at(s, &["model"]);
        out.push(Attestation::new(source, tool, model));
    }
    for a in json
        .get("attributions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let tool = str_at(a, &["agent"]).or_else(|| str_at(a, &["provider"]));
        let model = str_at(a, &["model"]);
        if tool.is_some() || model.is_some() {
            out.push(Attestation::new(source, tool, model));
        }
    }
    out
}

/// whogitit: JSON with `session.model.id`; it records Claude Code sessions only (its capture is
/// a Claude Code hook), so the tool is Claude Code. A note whose summary counts no AI line names
/// no agent.
fn whogitit(source: AttestSource, text: &str) -> Vec<Attestation> {
    let (_, json) = json_part(text);
    let Some(json) = json else {
        return Vec::new();
    };
    let Some(session) = json.get("session") else {
        return Vec::new();
    };
    let ai_lines = ["ai_lines", "ai_modified_lines"]
        .iter()
        .filter_map(|k| json.get("summary").and_then(|s| s.get(k)))
        .filter_map(Value::as_u64)
        .collect::<Vec<_>>();
    if !ai_lines.is_empty() && ai_lines.iter().all(|&n| n == 0) {
        return Vec::new();
    }
    let model = str_at(session, &["model", "id"]).or_else(|| str_at(session, &["model"]));
    vec![Attestation::new(source, Some("Claude Code"), model)]
}

/// The records of an Agent Trace file (JSON lines): for each record with a contributor of type
/// `ai` or `mixed`, the commit it names (`vcs.revision`, when it has one) and the attestation:
/// the tool that recorded it and the contributor's model.
pub fn parse_agent_trace(text: &[u8]) -> Vec<(Option<String>, Attestation)> {
    let text = String::from_utf8_lossy(text);
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| l.starts_with('{')) {
        let Ok(record) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let revision = str_at(&record, &["vcs", "revision"])
            .map(|r| r.trim().to_ascii_lowercase())
            .filter(|r| r.len() == 40 && r.bytes().all(|b| b.is_ascii_hexdigit()));
        let tool = str_at(&record, &["tool", "name"]);
        let mut models: Vec<Option<&str>> = Vec::new();
        for file in record
            .get("files")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            for c in file
                .get("conversations")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let kind = str_at(c, &["contributor", "type"]).unwrap_or_default();
                if kind.eq_ignore_ascii_case("ai") || kind.eq_ignore_ascii_case("mixed") {
                    models.push(str_at(c, &["contributor", "model_id"]));
                }
            }
        }
        models.sort();
        models.dedup();
        for model in models {
            out.push((
                revision.clone(),
                Attestation::new(AttestSource::AgentTrace, tool, model),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_ai_sessions_and_prompts_name_tool_and_model() {
        let note = "src/main.rs\n  s_0a1b2c3d4e5f60::t_1a2b3c4d5e6f70 1-12,20\n  h_9f8e7d6c5b4a30 13-19\n---\n{\"schema_version\":\"authorship/3.0.0\",\"sessions\":{\"s_0a1b2c3d4e5f60\":{\"agent_id\":{\"tool\":\"claude\",\"id\":\"x\",\"model\":\"claude-opus-4-5\"}}},\"prompts\":{\"abc\":{\"agent_id\":{\"tool\":\"cursor\",\"model\":\"gpt-5\"}}},\"humans\":{\"h_9f8e7d6c5b4a30\":{\"author\":\"Ann\"}}}";
        let got = parse_note(AttestSource::GitAi, note.as_bytes());
        assert_eq!(
            got,
            vec![
                Attestation::new(AttestSource::GitAi, Some("claude"), Some("claude-opus-4-5")),
                Attestation::new(AttestSource::GitAi, Some("cursor"), Some("gpt-5")),
            ]
        );
    }

    #[test]
    fn git_ai_without_metadata_is_an_unnamed_agent_and_people_alone_are_nothing() {
        let note = "a.rs\n  9f8e7d6c5b4a3021 1-3\n---\nnot json";
        assert_eq!(
            parse_note(AttestSource::GitAi, note.as_bytes()),
            vec![Attestation::new(AttestSource::GitAi, None, None)]
        );
        let people = "a.rs\n  h_9f8e7d6c5b4a30 1-3\n---\n{\"humans\":{}}";
        assert!(parse_note(AttestSource::GitAi, people.as_bytes()).is_empty());
        assert!(parse_note(AttestSource::GitAi, b"").is_empty());
    }

    #[test]
    fn agent_blame_sessions_and_its_analytics_note() {
        let note = r#"{"version":3,"timestamp":"2026-01-01T00:00:00Z","sessions":{"0123456789abcdef":{"agent":"cursor","model":"claude-3.5-sonnet","prompts":null,"startedAt":"x"}},"files":{}}"#;
        assert_eq!(
            parse_note(AttestSource::AgentBlame, note.as_bytes()),
            vec![Attestation::new(
                AttestSource::AgentBlame,
                Some("cursor"),
                Some("claude-3.5-sonnet")
            )]
        );
        let analytics = r#"{"v":3,"updated":"x","summary":{"byAgent":{"cursor":4}}}"#;
        assert!(parse_note(AttestSource::AgentBlame, analytics.as_bytes()).is_empty());
    }

    #[test]
    fn whogitit_session_model() {
        let note = r#"{"version":3,"session":{"session_id":"7f3a","model":{"id":"claude-opus-4-5-20251101","provider":"anthropic"}},"summary":{"ai_lines":12}}"#;
        assert_eq!(
            parse_note(AttestSource::WhoGitIt, note.as_bytes()),
            vec![Attestation::new(
                AttestSource::WhoGitIt,
                Some("Claude Code"),
                Some("claude-opus-4-5-20251101")
            )]
        );
        let none =
            r#"{"session":{"session_id":"7f3a"},"summary":{"ai_lines":0,"ai_modified_lines":0}}"#;
        assert!(parse_note(AttestSource::WhoGitIt, none.as_bytes()).is_empty());
    }

    #[test]
    fn agent_trace_records_with_and_without_a_revision() {
        let rev = "0123456789abcdef0123456789abcdef01234567";
        let text = format!(
            "{{\"version\":\"0.1.0\",\"vcs\":{{\"type\":\"git\",\"revision\":\"{rev}\"}},\"tool\":{{\"name\":\"cursor\"}},\"files\":[{{\"path\":\"a\",\"conversations\":[{{\"contributor\":{{\"type\":\"ai\",\"model_id\":\"anthropic/claude-sonnet-4\"}}}},{{\"contributor\":{{\"type\":\"human\"}}}}]}}]}}\n\
             not json\n\
             {{\"tool\":{{\"name\":\"amp\"}},\"files\":[{{\"conversations\":[{{\"contributor\":{{\"type\":\"mixed\"}}}}]}}]}}\n\
             {{\"tool\":{{\"name\":\"x\"}},\"files\":[{{\"conversations\":[{{\"contributor\":{{\"type\":\"human\"}}}}]}}]}}\n"
        );
        let got = parse_agent_trace(text.as_bytes());
        assert_eq!(
            got,
            vec![
                (
                    Some(rev.to_owned()),
                    Attestation::new(
                        AttestSource::AgentTrace,
                        Some("cursor"),
                        Some("anthropic/claude-sonnet-4")
                    )
                ),
                (
                    None,
                    Attestation::new(AttestSource::AgentTrace, Some("amp"), None)
                ),
            ]
        );
    }
}
