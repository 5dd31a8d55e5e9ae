//! The signature registry: which traces each coding agent leaves, as data.
//!
//! Vendors change their trailers, footers and bot identities every few months, so the catalogue lives
//! in `agents.toml` (embedded in the binary) rather than in code, and users extend or override it with
//! `--signatures FILE` without waiting for a release. Loading compiles the TOML once into typed,
//! validated patterns and indexes them for the detector; every validation error names the entry and
//! the line it starts on.

mod address;
mod attribution;
mod index;
mod load;
mod model;

use std::fmt;
use std::path::{Path, PathBuf};

use regex::Regex;
use serde::{Deserialize, Serialize};

pub use address::{at_vendor_word, email_in_domain, github_login, is_machine_address};
pub use attribution::{Attribution, NameHit};
pub(crate) use index::Index;
pub use model::normalize_model;

/// The registry shipped with agentscan.
pub const BUILTIN_TOML: &str = include_str!("agents.toml");

/// What an agent entry stands for, which decides how a commit carrying its evidence is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// An authoring coding agent: its evidence makes a commit an agent commit.
    Agent,
    /// A review or autofix bot: recorded as review assistance, never as agent work.
    ReviewBot,
    /// An automation bot (dependency updates, releases, CI): makes a commit a bot commit.
    AutomationBot,
}

impl Category {
    /// The name used in TOML, JSON and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Agent => "agent",
            Category::ReviewBot => "review-bot",
            Category::AutomationBot => "automation-bot",
        }
    }
}

/// How much a single piece of evidence proves on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// A lead only: counted towards the adoption ceiling, never towards the floor.
    Low,
    /// Enough to count a commit as agent work.
    Medium,
    /// Documented by the vendor or seen widely in real history.
    High,
}

impl Confidence {
    /// The name used in TOML, JSON and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// Where a piece of evidence was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// A git trailer (`Key: value`) of the commit message.
    Trailer,
    /// The author or committer identity (after mailmap).
    Identity,
    /// A footer, prefix or link in the message text.
    Marker,
    /// An agent branch named in a merge-commit subject (or a pull request's head branch).
    Branch,
    /// A pull-request label.
    Label,
    /// A configuration or instruction file in the repository tree.
    File,
    /// Pull-request metadata linked to the commit.
    PullRequest,
    /// An attribution store kept beside the history (git notes, Agent Trace records).
    Attestation,
}

impl EvidenceKind {
    /// The name used in TOML, JSON and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Trailer => "trailer",
            EvidenceKind::Identity => "identity",
            EvidenceKind::Marker => "marker",
            EvidenceKind::Branch => "branch",
            EvidenceKind::Label => "label",
            EvidenceKind::File => "file",
            EvidenceKind::PullRequest => "pull-request",
            EvidenceKind::Attestation => "attestation",
        }
    }
}

/// Who an agent is relative to the commit, when its evidence is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The agent is the commit author (cloud and autonomous agents).
    Authored,
    /// A human author worked with the agent (interactive use).
    CoAuthored,
}

impl Role {
    /// The name used in JSON and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Authored => "authored",
            Role::CoAuthored => "co-authored",
        }
    }
}

/// Which identity of a commit an identity signature looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IdentityField {
    /// The author (the default).
    Author,
    /// The committer.
    Committer,
}

/// How specific a signature's match is, which decides where in a message it may stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Specificity {
    /// A machine-written, unique token (an agent's own address, a vendor key, a session link):
    /// counts wherever it stands as a line of its own outside quoted text, squash paragraphs
    /// included.
    Unique,
    /// A name anyone could write (`Assisted-by: Claude Code`, a model name, an `X:Y` value): counts
    /// only in a trailer paragraph that ends the message or a squashed commit's section.
    Name,
}

impl Specificity {
    /// The name used in TOML.
    pub fn as_str(self) -> &'static str {
        match self {
            Specificity::Unique => "unique",
            Specificity::Name => "name",
        }
    }
}

/// Where in a message a marker may stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MarkerScope {
    /// Only at the start of the subject line.
    Subject,
    /// In a footer zone: a trailer paragraph, the last paragraph, a paragraph just above trailers or
    /// ending a squashed commit's section. Found elsewhere in the message (a quoted template, prose)
    /// it counts only as low confidence; in quoted text not at all.
    Footer,
    /// Anywhere outside quoted text (a text marker: at the start of a line); a link introduced as an
    /// example (`e.g.`) does not count.
    Message,
}

/// One agent, bot or tool of the registry.
#[derive(Debug, Clone, Serialize)]
pub struct Agent {
    /// Stable identifier (`claude-code`), used in every output.
    pub id: String,
    /// Display name (`Claude Code`).
    pub name: String,
    /// Who makes it.
    pub vendor: String,
    /// How its evidence is counted.
    pub category: Category,
    /// Evidence of a fallback entry is dropped when another entry matched the same text: used for
    /// generic rules such as "any `[bot]` author" or "any `Assisted-by: X:Y` trailer".
    pub fallback: bool,
    /// The names the tool writes when no model is known (`Claude`, `aider`), so that model names can
    /// be read from co-author display names.
    pub names: Vec<String>,
    /// Short source keys, as in the catalogue.
    pub sources: Vec<String>,
    /// Free-form remark.
    pub note: Option<String>,
}

/// Matches a person (`Name <email>` of an identity or a co-author trailer). Every field given must match.
#[derive(Debug, Clone)]
pub struct PersonPattern {
    /// Exact email, lower-cased.
    pub email: Option<String>,
    /// Email domain (or parent domain), lower-cased.
    pub email_domain: Option<String>,
    /// GitHub login of a `[<id>+]<login>@users.noreply.github.com` address, lower-cased.
    pub login: Option<String>,
    /// The numeric GitHub id the noreply address must carry, for logins shared by several apps.
    pub github_id: Option<u64>,
    /// Regex on the email.
    pub email_regex: Option<Regex>,
    /// Regex on the name.
    pub name: Option<Regex>,
}

/// The compiled form of one signature.
#[derive(Debug, Clone)]
pub enum Pattern {
    /// A trailer with one of `keys`, whose value (as a person, or as text) matches.
    Trailer {
        keys: Vec<String>,
        person: Option<PersonPattern>,
        value: Option<Regex>,
    },
    /// An identity of the commit.
    Identity {
        field: IdentityField,
        person: PersonPattern,
    },
    /// A name-only attribution: a value of an attribution trailer (`Assisted-by: Claude Code`,
    /// `Made-with: Cursor`) or a disclosure line (`AI usage: … Claude Code …`) that names the agent,
    /// compared case-insensitively and ignoring spacing. Names are lower-case with single spaces.
    Called { names: Vec<String> },
    /// A name-only attribution naming a model rather than a tool (`Assisted-by: GPT-5.5`): the
    /// regex must match the whole name, which becomes the model.
    ModelName { regex: Regex, find: Regex },
    /// Text in the message: a literal line prefix or a regex.
    Marker {
        scope: MarkerScope,
        text: Option<String>,
        regex: Option<regex::bytes::Regex>,
    },
    /// A branch name.
    Branch { regex: Regex },
    /// A pull-request label, compared case-insensitively.
    Label { name: String },
    /// A path in the repository tree: a file, or a folder when it ends with `/`; `*` matches
    /// within one path component; `**/` at the start matches in any folder.
    File { path: String },
    /// An attribution store (`refs/notes/ai`, `.agent-trace/traces.jsonl`, …): what it says of a
    /// commit counts at this signature's confidence. The agent is the one the store names when the
    /// registry knows it by that name, else this signature's.
    Attestation { source: crate::attest::AttestSource },
}

/// One signature: an agent, a pattern, and what a match proves.
#[derive(Debug, Clone)]
pub struct Signature {
    /// Index of the agent in [`Registry::agents`].
    pub agent: usize,
    /// Where to look.
    pub kind: EvidenceKind,
    /// What a match proves.
    pub confidence: Confidence,
    /// Where in a message a match may stand.
    pub specificity: Specificity,
    /// The compiled pattern.
    pub pattern: Pattern,
    /// Read the model from the matched person's display name.
    pub model_from_name: bool,
    /// The role a match implies, when it differs from the default (authored for an author identity,
    /// co-authored otherwise).
    pub role: Option<Role>,
    /// Evidence only counts for commits authored on or after this time (seconds since the epoch).
    pub valid_from: Option<i64>,
    /// Evidence only counts for commits authored before this time.
    pub valid_to: Option<i64>,
    /// 1-based line of the signature in its TOML file, for messages.
    pub line: usize,
}

/// A problem found while loading a registry.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The file could not be read.
    #[error("cannot read signature file {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML or has the wrong shape.
    #[error("{origin}: invalid signature file: {message}")]
    Syntax { origin: String, message: String },
    /// An entry is well-formed TOML but makes no sense.
    #[error("{origin}:{line}: agent `{agent}`: {problem}")]
    Invalid {
        origin: String,
        line: usize,
        agent: String,
        problem: String,
    },
}

/// A loaded, validated and indexed registry.
#[derive(Debug, Clone)]
pub struct Registry {
    agents: Vec<Agent>,
    signatures: Vec<Signature>,
    attribution: Attribution,
    index: Index,
    /// Digest of the registry content, so stored results can tell when they must be re-evaluated.
    digest: String,
    /// A number no other registry built in this process has: the key of per-thread caches of
    /// what this registry concluded about an identity.
    instance: u64,
    /// The override files applied on top of the base, in order, as (origin, text): a store keeps
    /// them so that a report rebuilds the registry its conclusions came from.
    overrides: Vec<(String, String)>,
}

/// Bumped whenever detection reads a registry differently (where a signature may stand, how a
/// name is recognised), so that stored conclusions are re-evaluated even when `agents.toml` is
/// unchanged: it is part of every registry digest.
pub const DETECTION_VERSION: &str = "detection 9: specificity, squash paragraphs, names, credit lines, attestations, generation statements, models in prose, role words after model names, bot subjects, review-bot sections, indented footers, agent accounts by name, vendor-word hosts, tagged mailboxes, labelled statements, signatures on behalf of a person, footers of blank-less messages, reasoning effort apart from the model, statements about part of a change, labels naming a contributing guide";

impl Registry {
    /// The registry shipped with agentscan.
    pub fn builtin() -> Self {
        Self::from_toml(BUILTIN_TOML, "agents.toml (built-in)")
            .expect("the built-in registry is validated by the test suite")
    }

    /// Load a registry from TOML text; `origin` names it in error messages.
    pub fn from_toml(text: &str, origin: &str) -> Result<Self, RegistryError> {
        let raw = load::parse(text, origin)?;
        let mut agents = Vec::new();
        let mut signatures = Vec::new();
        let attribution = Attribution::from_raw(raw.attribution.unwrap_or_default());
        let lines = load::Lines::new(text);
        for entry in raw.agent {
            load::add_agent(&mut agents, &mut signatures, entry, &lines, origin, false)?;
        }
        Self::finish(agents, signatures, attribution, text, origin)
    }

    /// The built-in registry with `path` applied on top: entries with a known id replace the
    /// built-in one, `disabled = true` removes it, new ids are added.
    pub fn builtin_with_overrides(path: &Path) -> Result<Self, RegistryError> {
        let text = std::fs::read_to_string(path).map_err(|source| RegistryError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::builtin().with_overrides(&text, &path.display().to_string())
    }

    /// This registry with the entries of `text` applied on top (see [`Registry::builtin_with_overrides`]).
    pub fn with_overrides(self, text: &str, origin: &str) -> Result<Self, RegistryError> {
        let raw = load::parse(text, origin)?;
        let Registry {
            mut agents,
            mut signatures,
            mut attribution,
            digest,
            mut overrides,
            ..
        } = self;
        overrides.push((origin.to_owned(), text.to_owned()));
        if let Some(extra) = raw.attribution {
            attribution.extend(extra);
        }
        let lines = load::Lines::new(text);
        for entry in raw.agent {
            let id = entry.get_ref().id.clone();
            if let Some(pos) = agents.iter().position(|a| a.id == id) {
                // Remove the old entry and its signatures, renumbering the others.
                agents.remove(pos);
                signatures.retain(|s| s.agent != pos);
                for s in &mut signatures {
                    if s.agent > pos {
                        s.agent -= 1;
                    }
                }
            }
            load::add_agent(&mut agents, &mut signatures, entry, &lines, origin, true)?;
        }
        let combined = format!("{digest}\n{text}");
        let mut registry = Self::finish(agents, signatures, attribution, &combined, origin)?;
        registry.overrides = overrides;
        Ok(registry)
    }

    /// The override files applied on top of the built-in registry, as (origin, text).
    pub fn overrides(&self) -> &[(String, String)] {
        &self.overrides
    }

    /// The built-in registry with `overrides` applied in order, as [`Registry::overrides`] lists
    /// them.
    pub fn builtin_with(overrides: &[(String, String)]) -> Result<Self, RegistryError> {
        overrides
            .iter()
            .try_fold(Self::builtin(), |r, (origin, text)| {
                r.with_overrides(text, origin)
            })
    }

    fn finish(
        agents: Vec<Agent>,
        signatures: Vec<Signature>,
        attribution: Attribution,
        content: &str,
        origin: &str,
    ) -> Result<Self, RegistryError> {
        let index = Index::build(&signatures, &agents).map_err(|(line, agent, problem)| {
            RegistryError::Invalid {
                origin: origin.to_owned(),
                line,
                agent: agents[agent].id.clone(),
                problem,
            }
        })?;
        Ok(Registry {
            agents,
            signatures,
            attribution,
            index,
            digest: content_digest(&format!("{DETECTION_VERSION}\n{content}")),
            instance: {
                static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            },
            overrides: Vec::new(),
        })
    }

    /// This registry's number among the registries built in this process (see the field).
    pub(crate) fn instance(&self) -> u64 {
        self.instance
    }

    /// Every agent, bot and tool, in file order.
    pub fn agents(&self) -> &[Agent] {
        &self.agents
    }

    /// Every signature.
    pub fn signatures(&self) -> &[Signature] {
        &self.signatures
    }

    /// The agent with this id.
    pub fn agent(&self, id: &str) -> Option<&Agent> {
        self.agents.iter().find(|a| a.id == id)
    }

    /// What makes a trailer key or a prose line an attribution.
    pub fn attribution(&self) -> &Attribution {
        &self.attribution
    }

    /// A short digest of the registry content (and of [`DETECTION_VERSION`]).
    pub fn digest(&self) -> &str {
        &self.digest
    }

    pub(crate) fn index(&self) -> &Index {
        &self.index
    }
}

impl PersonPattern {
    /// Whether this pattern names exact addresses or logins only: an agent's own identity rather
    /// than a shape (a regex, a domain) that people's addresses can share.
    pub fn is_exact(&self) -> bool {
        (self.email.is_some() || self.login.is_some())
            && self.email_domain.is_none()
            && self.email_regex.is_none()
            && self.name.is_none()
    }

    /// Whether `name <email>` matches every field of this pattern. `email` must be lower-cased.
    pub fn matches(&self, name: &str, email: &str) -> bool {
        if let Some(e) = &self.email
            && e != email
        {
            return false;
        }
        if let Some(d) = &self.email_domain
            && !email_in_domain(email, d)
        {
            return false;
        }
        if let Some(l) = &self.login {
            match github_login(email) {
                Some((id, login)) if login == l => {
                    if self.github_id.is_some() && id != self.github_id {
                        return false;
                    }
                }
                _ => return false,
            }
        }
        if let Some(r) = &self.email_regex
            && !r.is_match(email)
        {
            return false;
        }
        if let Some(r) = &self.name
            && !r.is_match(name)
        {
            return false;
        }
        true
    }
}

/// A short, stable digest of a text (FNV-1a, hex), for telling rule sets apart.
pub fn content_digest(content: &str) -> String {
    // FNV-1a: stable across platforms and releases, which std's hasher is not.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in content.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for EvidenceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_registry_loads() {
        let r = Registry::from_toml(BUILTIN_TOML, "agents.toml").unwrap_or_else(|e| panic!("{e}"));
        assert!(r.agents().len() > 60, "{}", r.agents().len());
        for id in [
            "claude-code",
            "codex-cli",
            "copilot-agent",
            "cursor",
            "devin",
            "jules",
            "aider",
            "amp",
            "crush",
            "opencode",
            "coderabbit",
            "dependabot",
        ] {
            assert!(r.agent(id).is_some(), "missing {id}");
        }
    }

    #[test]
    fn errors_name_entry_and_line() {
        let text = "[[agent]]\nid = \"x\"\nname = \"X\"\ncategory = \"agent\"\n\n[[agent.signature]]\nkind = \"marker\"\nconfidence = \"high\"\nregex = \"(unclosed\"\n";
        let err = Registry::from_toml(text, "mine.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("mine.toml:6: agent `x`: `regex` is not a valid regex"),
            "{err}"
        );

        let text = "[[agent]]\nid = \"x\"\nname = \"X\"\ncategory = \"agent\"\n[[agent.signature]]\nkind = \"identity\"\nconfidence = \"high\"\ntext = \"hello\"\n";
        let err = Registry::from_toml(text, "mine.toml")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "mine.toml:5: agent `x`: `text` does not apply to a identity signature"
        );

        let text = "[[agent]]\nid = \"x\"\nname = \"X\"\ncategory = \"robot\"\n";
        let err = Registry::from_toml(text, "mine.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("mine.toml: invalid signature file"), "{err}");
        assert!(err.contains("robot"), "{err}");
    }

    #[test]
    fn overrides_replace_add_and_disable() {
        let text = "[[agent]]\nid = \"aider\"\ndisabled = true\n\n[[agent]]\nid = \"my-bot\"\nname = \"My bot\"\ncategory = \"agent\"\n[[agent.signature]]\nkind = \"identity\"\nconfidence = \"high\"\nemail = \"bot@corp.example\"\n";
        let base = Registry::builtin();
        let n = base.agents().len();
        let r = base.with_overrides(text, "o.toml").unwrap();
        assert!(r.agent("aider").is_none());
        assert!(r.agent("my-bot").is_some());
        assert_eq!(r.agents().len(), n);
        // Signatures still point at the right agents after the removal.
        for s in r.signatures() {
            assert!(s.agent < r.agents().len());
        }
        let claude = r
            .agents()
            .iter()
            .position(|a| a.id == "claude-code")
            .unwrap();
        assert!(r.signatures().iter().any(|s| s.agent == claude));
        assert_ne!(r.digest(), Registry::builtin().digest());
    }
}
