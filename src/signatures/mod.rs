//! The signature registry: which traces each coding agent leaves, as data.
//!
//! Vendors change their trailers, footers and bot identities every few months, so the catalogue lives
//! in `agents.toml` (embedded in the binary) rather than in code, and users extend or override it with
//! `--signatures FILE` without waiting for a release. Loading compiles the TOML once into typed,
//! validated patterns and indexes them for the detector; every validation error names the entry and
//! the line it starts on.

mod model;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use regex::{Regex, RegexBuilder, RegexSet};
use serde::{Deserialize, Serialize};

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

/// Where in a message a marker may stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MarkerScope {
    /// Only at the start of the subject line.
    Subject,
    /// In the footer: the trailer block and the paragraph before it. Found elsewhere in the
    /// message (a quoted template, a squash body) it still counts, but only as low confidence.
    Footer,
    /// At the start of any line of the message.
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    agent: Vec<toml::Spanned<RawAgent>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgent {
    id: String,
    name: Option<String>,
    vendor: Option<String>,
    category: Option<Category>,
    #[serde(default)]
    fallback: bool,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    sources: Vec<String>,
    note: Option<String>,
    /// In an override file: remove the built-in entry with this id.
    #[serde(default)]
    disabled: bool,
    #[serde(default)]
    signature: Vec<toml::Spanned<RawSignature>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSignature {
    kind: EvidenceKind,
    confidence: Confidence,
    // trailer
    key: Option<OneOrMany>,
    value: Option<String>,
    // person (trailer or identity)
    email: Option<String>,
    email_domain: Option<String>,
    login: Option<String>,
    github_id: Option<u64>,
    email_regex: Option<String>,
    name: Option<String>,
    field: Option<IdentityField>,
    // marker
    scope: Option<MarkerScope>,
    text: Option<String>,
    regex: Option<String>,
    // label, file
    label: Option<String>,
    path: Option<String>,
    // meaning
    model: Option<String>,
    role: Option<Role>,
    valid_from: Option<String>,
    valid_to: Option<String>,
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// The trailer keys used when a person-matching trailer signature names none.
const DEFAULT_PERSON_TRAILER_KEYS: [&str; 1] = ["co-authored-by"];

/// A loaded, validated and indexed registry.
#[derive(Debug, Clone)]
pub struct Registry {
    agents: Vec<Agent>,
    signatures: Vec<Signature>,
    index: Index,
    /// Digest of the registry content, so stored results can tell when they must be re-evaluated.
    digest: String,
}

/// Lookup structures for the detector, built once.
#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    /// Signatures with a person pattern (trailer or identity), by exact email.
    pub by_email: HashMap<String, Vec<usize>>,
    /// ... by GitHub login.
    pub by_login: HashMap<String, Vec<usize>>,
    /// ... by email domain.
    pub by_domain: HashMap<String, Vec<usize>>,
    /// ... that need a regex on the email or name to find candidates.
    pub person_regex: Vec<usize>,
    /// Trailer signatures without a person pattern, by lower-cased key.
    pub trailer_value_by_key: HashMap<String, Vec<usize>>,
    /// Every trailer key some signature looks at (lower-cased).
    pub trailer_keys: std::collections::HashSet<String>,
    /// Marker signatures with a literal text, and an automaton over those texts.
    pub marker_texts: Vec<usize>,
    pub marker_automaton: Option<aho_corasick::AhoCorasick>,
    /// Marker signatures with a regex, and a set to pre-filter them.
    pub marker_regexes: Vec<usize>,
    pub marker_regex_set: Option<regex::bytes::RegexSet>,
    /// Branch signatures and a set over their regexes.
    pub branches: Vec<usize>,
    pub branch_set: Option<RegexSet>,
    /// File signatures and a glob set over their paths.
    pub files: Vec<usize>,
    pub file_globs: Option<globset::GlobSet>,
    /// The last path component of each file signature, for `.gitignore` entries.
    pub file_names: Vec<(usize, String)>,
}

impl Registry {
    /// The registry shipped with agentscan.
    pub fn builtin() -> Self {
        Self::from_toml(BUILTIN_TOML, "agents.toml (built-in)")
            .expect("the built-in registry is validated by the test suite")
    }

    /// Load a registry from TOML text; `origin` names it in error messages.
    pub fn from_toml(text: &str, origin: &str) -> Result<Self, RegistryError> {
        let raw = parse(text, origin)?;
        let mut agents = Vec::new();
        let mut signatures = Vec::new();
        for entry in raw.agent {
            add_agent(&mut agents, &mut signatures, entry, text, origin, false)?;
        }
        Ok(Self::finish(agents, signatures, text))
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
        let raw = parse(text, origin)?;
        let Registry {
            mut agents,
            mut signatures,
            digest,
            ..
        } = self;
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
            add_agent(&mut agents, &mut signatures, entry, text, origin, true)?;
        }
        let combined = format!("{digest}\n{text}");
        Ok(Self::finish(agents, signatures, &combined))
    }

    fn finish(agents: Vec<Agent>, signatures: Vec<Signature>, content: &str) -> Self {
        let index = Index::build(&signatures);
        Registry {
            agents,
            signatures,
            index,
            digest: content_digest(content),
        }
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

    /// A short digest of the registry content.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    pub(crate) fn index(&self) -> &Index {
        &self.index
    }
}

fn parse(text: &str, origin: &str) -> Result<RawFile, RegistryError> {
    toml::from_str(text).map_err(|e| RegistryError::Syntax {
        origin: origin.to_owned(),
        message: e.to_string().trim_end().to_owned(),
    })
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn add_agent(
    agents: &mut Vec<Agent>,
    signatures: &mut Vec<Signature>,
    entry: toml::Spanned<RawAgent>,
    text: &str,
    origin: &str,
    is_override: bool,
) -> Result<(), RegistryError> {
    let line = line_of(text, entry.span().start);
    let raw = entry.into_inner();
    let invalid = |line: usize, problem: String| RegistryError::Invalid {
        origin: origin.to_owned(),
        line,
        agent: raw.id.clone(),
        problem,
    };
    if raw.id.is_empty()
        || !raw
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(invalid(
            line,
            "`id` must be non-empty and use only a-z, 0-9 and `-`".into(),
        ));
    }
    if agents.iter().any(|a| a.id == raw.id) {
        return Err(invalid(line, "this id is defined twice".into()));
    }
    if raw.disabled {
        if !is_override {
            return Err(invalid(
                line,
                "`disabled` only makes sense in a file given with --signatures".into(),
            ));
        }
        return Ok(());
    }
    let name = raw
        .name
        .clone()
        .ok_or_else(|| invalid(line, "missing `name`".into()))?;
    let category = raw.category.ok_or_else(|| {
        invalid(
            line,
            "missing `category` (agent, review-bot or automation-bot)".into(),
        )
    })?;
    let index = agents.len();
    for sig in &raw.signature {
        let sig_line = line_of(text, sig.span().start);
        let compiled = compile_signature(sig.get_ref(), index, sig_line)
            .map_err(|problem| invalid(sig_line, problem))?;
        signatures.push(compiled);
    }
    agents.push(Agent {
        id: raw.id,
        name,
        vendor: raw.vendor.unwrap_or_default(),
        category,
        fallback: raw.fallback,
        names: raw.names,
        sources: raw.sources,
        note: raw.note,
    });
    Ok(())
}

fn regex(pattern: &str, what: &str, case_insensitive: bool) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .case_insensitive(case_insensitive)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| format!("`{what}` is not a valid regex: {e}"))
}

fn parse_date(value: &str, what: &str) -> Result<i64, String> {
    crate::period::parse_date_start(value).map_err(|e| format!("`{what}`: {e}"))
}

fn compile_person(raw: &RawSignature) -> Result<Option<PersonPattern>, String> {
    let person = PersonPattern {
        email: raw.email.as_ref().map(|e| e.to_ascii_lowercase()),
        email_domain: raw
            .email_domain
            .as_ref()
            .map(|d| d.trim_start_matches('@').to_ascii_lowercase()),
        login: raw.login.as_ref().map(|l| l.to_ascii_lowercase()),
        github_id: raw.github_id,
        email_regex: raw
            .email_regex
            .as_deref()
            .map(|r| regex(r, "email_regex", true))
            .transpose()?,
        name: raw
            .name
            .as_deref()
            .map(|r| regex(r, "name", true))
            .transpose()?,
    };
    if raw.github_id.is_some() && person.login.is_none() {
        return Err("`github_id` needs `login`".into());
    }
    let any = person.email.is_some()
        || person.email_domain.is_some()
        || person.login.is_some()
        || person.email_regex.is_some()
        || person.name.is_some();
    Ok(any.then_some(person))
}

fn compile_signature(raw: &RawSignature, agent: usize, line: usize) -> Result<Signature, String> {
    let person = compile_person(raw)?;
    let has_person = person.is_some();
    let only = |allowed: &[&str]| -> Result<(), String> {
        let present: [(&str, bool); 13] = [
            ("key", raw.key.is_some()),
            ("value", raw.value.is_some()),
            ("email", raw.email.is_some()),
            ("email_domain", raw.email_domain.is_some()),
            ("login", raw.login.is_some()),
            ("email_regex", raw.email_regex.is_some()),
            ("name", raw.name.is_some()),
            ("field", raw.field.is_some()),
            ("scope", raw.scope.is_some()),
            ("text", raw.text.is_some()),
            ("regex", raw.regex.is_some()),
            ("label", raw.label.is_some()),
            ("path", raw.path.is_some()),
        ];
        match present
            .iter()
            .find(|(name, set)| *set && !allowed.contains(name))
        {
            Some((name, _)) => Err(format!(
                "`{name}` does not apply to a {} signature",
                raw.kind.as_str()
            )),
            None => Ok(()),
        }
    };
    const PERSON: [&str; 5] = ["email", "email_domain", "login", "email_regex", "name"];
    let pattern = match raw.kind {
        EvidenceKind::Trailer => {
            let mut allowed = vec!["key", "value"];
            allowed.extend(PERSON);
            only(&allowed)?;
            let value = raw
                .value
                .as_deref()
                .map(|r| regex(r, "value", true))
                .transpose()?;
            if person.is_none() && value.is_none() {
                return Err("a trailer signature needs a person pattern (email, email_domain, login, email_regex, name) or `value`".into());
            }
            let keys: Vec<String> = match raw.key.as_ref() {
                Some(OneOrMany::One(s)) => vec![s.to_ascii_lowercase()],
                Some(OneOrMany::Many(v)) => v.iter().map(|s| s.to_ascii_lowercase()).collect(),
                None if person.is_some() => DEFAULT_PERSON_TRAILER_KEYS
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                None => return Err("a trailer signature with `value` needs `key`".into()),
            };
            if keys
                .iter()
                .any(|k| k.is_empty() || !k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
            {
                return Err("trailer keys use only letters, digits and `-`".into());
            }
            Pattern::Trailer {
                keys,
                person,
                value,
            }
        }
        EvidenceKind::Identity => {
            let mut allowed = vec!["field"];
            allowed.extend(PERSON);
            only(&allowed)?;
            let person = person.ok_or(
                "an identity signature needs email, email_domain, login, email_regex or name",
            )?;
            Pattern::Identity {
                field: raw.field.unwrap_or(IdentityField::Author),
                person,
            }
        }
        EvidenceKind::Marker => {
            only(&["scope", "text", "regex"])?;
            // Markers run on raw message bytes, which need not be UTF-8.
            let regex = raw
                .regex
                .as_deref()
                .map(|r| {
                    regex::bytes::RegexBuilder::new(&format!("(?m){r}"))
                        .size_limit(1 << 20)
                        .build()
                        .map_err(|e| format!("`regex` is not a valid regex: {e}"))
                })
                .transpose()?;
            match (&raw.text, &regex) {
                (Some(t), None) if !t.is_empty() => {}
                (None, Some(_)) => {}
                _ => return Err("a marker signature needs exactly one of `text` or `regex`".into()),
            }
            Pattern::Marker {
                scope: raw.scope.unwrap_or(MarkerScope::Message),
                text: raw.text.clone(),
                regex,
            }
        }
        EvidenceKind::Branch => {
            only(&["regex"])?;
            let r = raw
                .regex
                .as_deref()
                .ok_or("a branch signature needs `regex`")?;
            Pattern::Branch {
                regex: regex(r, "regex", true)?,
            }
        }
        EvidenceKind::Label => {
            only(&["label"])?;
            Pattern::Label {
                name: raw
                    .label
                    .clone()
                    .ok_or("a label signature needs `label`")?
                    .to_lowercase(),
            }
        }
        EvidenceKind::File => {
            only(&["path"])?;
            let path = raw.path.clone().ok_or("a file signature needs `path`")?;
            if path.is_empty() || path.starts_with('/') || path.split('/').any(|c| c == "..") {
                return Err("`path` must be a relative path inside the repository".into());
            }
            let glob = if path.ends_with('/') {
                format!("{path}**")
            } else {
                path.clone()
            };
            globset::Glob::new(&glob).map_err(|e| format!("`path` is not a valid pattern: {e}"))?;
            Pattern::File { path }
        }
        EvidenceKind::PullRequest => {
            return Err("`pull-request` evidence comes from pull-request data; describe it with branch, label, marker or identity signatures".into());
        }
    };
    let model_from_name = match raw.model.as_deref() {
        None => false,
        Some("name") => {
            if !has_person {
                return Err("`model = \"name\"` needs a person pattern".into());
            }
            true
        }
        Some(other) => {
            return Err(format!(
                "`model` can only be \"name\" (got {other:?}); use a `(?P<model>…)` group in a regex to read it elsewhere"
            ));
        }
    };
    let _ = &raw.note;
    let valid_from = raw
        .valid_from
        .as_deref()
        .map(|d| parse_date(d, "valid_from"))
        .transpose()?;
    let valid_to = raw
        .valid_to
        .as_deref()
        .map(|d| parse_date(d, "valid_to"))
        .transpose()?;
    if let (Some(from), Some(to)) = (valid_from, valid_to)
        && from >= to
    {
        return Err("`valid_from` must be before `valid_to`".into());
    }
    Ok(Signature {
        agent,
        kind: raw.kind,
        confidence: raw.confidence,
        pattern,
        model_from_name,
        role: raw.role,
        valid_from,
        valid_to,
        line,
    })
}

impl Index {
    fn build(signatures: &[Signature]) -> Self {
        let mut index = Index::default();
        let mut file_globs = globset::GlobSetBuilder::new();
        let mut marker_texts = Vec::new();
        let mut marker_regexes = Vec::new();
        let mut branch_regexes = Vec::new();
        for (i, sig) in signatures.iter().enumerate() {
            let person = match &sig.pattern {
                Pattern::Trailer { keys, person, .. } => {
                    index.trailer_keys.extend(keys.iter().cloned());
                    if person.is_none() {
                        for k in keys {
                            index
                                .trailer_value_by_key
                                .entry(k.clone())
                                .or_default()
                                .push(i);
                        }
                    }
                    person.as_ref()
                }
                Pattern::Identity { person, .. } => Some(person),
                Pattern::Marker { text, regex, .. } => {
                    if let Some(t) = text {
                        index.marker_texts.push(i);
                        marker_texts.push(t.clone());
                    } else if let Some(r) = regex {
                        index.marker_regexes.push(i);
                        marker_regexes.push(r.as_str().to_owned());
                    }
                    None
                }
                Pattern::Branch { regex } => {
                    index.branches.push(i);
                    branch_regexes.push(format!("(?i){}", regex.as_str()));
                    None
                }
                Pattern::File { path } => {
                    // `dir/` is everything below dir; `**/name` any folder; otherwise as written.
                    let glob = if path.ends_with('/') {
                        format!("{path}**")
                    } else {
                        path.clone()
                    };
                    if let Ok(g) = globset::GlobBuilder::new(&glob)
                        .literal_separator(true)
                        .build()
                    {
                        index.files.push(i);
                        file_globs.add(g);
                    }
                    let name = path
                        .trim_end_matches('/')
                        .rsplit('/')
                        .next()
                        .unwrap_or_default()
                        .to_owned();
                    if !name.contains('*') && !name.is_empty() {
                        index.file_names.push((i, name));
                    }
                    None
                }
                Pattern::Label { .. } => None,
            };
            if let Some(p) = person {
                // Index each signature under its most selective field.
                if let Some(e) = &p.email {
                    index.by_email.entry(e.clone()).or_default().push(i);
                } else if let Some(l) = &p.login {
                    index.by_login.entry(l.clone()).or_default().push(i);
                } else if let Some(d) = &p.email_domain {
                    index.by_domain.entry(d.clone()).or_default().push(i);
                } else {
                    index.person_regex.push(i);
                }
            }
        }
        if !marker_texts.is_empty() {
            index.marker_automaton = aho_corasick::AhoCorasick::builder()
                .start_kind(aho_corasick::StartKind::Anchored)
                .build(&marker_texts)
                .ok();
        }
        if !marker_regexes.is_empty() {
            index.marker_regex_set = regex::bytes::RegexSet::new(&marker_regexes).ok();
        }
        if !branch_regexes.is_empty() {
            index.branch_set = RegexSet::new(&branch_regexes).ok();
        }
        index.file_globs = file_globs.build().ok();
        index
    }
}

impl PersonPattern {
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

/// Whether the (lower-cased) `email` is at `domain` or one of its subdomains.
pub fn email_in_domain(email: &str, domain: &str) -> bool {
    match email.rsplit_once('@') {
        Some((_, host)) => {
            host == domain
                || (host.len() > domain.len()
                    && host.ends_with(domain)
                    && host.as_bytes()[host.len() - domain.len() - 1] == b'.')
        }
        None => false,
    }
}

/// The numeric id (if any) and login of a `[<id>+]<login>@users.noreply.github.com` address.
pub fn github_login(email: &str) -> Option<(Option<u64>, &str)> {
    let local = email.strip_suffix("@users.noreply.github.com")?;
    match local.split_once('+') {
        Some((id, login)) => Some((id.parse().ok(), login)),
        None => Some((None, local)),
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

    #[test]
    fn github_noreply_logins() {
        assert_eq!(
            github_login("198982749+copilot@users.noreply.github.com"),
            Some((Some(198982749), "copilot"))
        );
        assert_eq!(
            github_login("v0[bot]@users.noreply.github.com"),
            Some((None, "v0[bot]"))
        );
        assert_eq!(github_login("a@example.com"), None);
        assert!(email_in_domain("x@mail.anthropic.com", "anthropic.com"));
        assert!(!email_in_domain("x@notanthropic.com", "anthropic.com"));
    }
}
