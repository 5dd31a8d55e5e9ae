//! Loading the registry: TOML in, typed and validated signatures out.
//!
//! Every field is checked once here so that detection never meets a pattern that makes no sense;
//! every error names the entry and the line it starts on. Two rules of the catalogue are enforced as
//! data rules: a name-only signature can only name what it matches (no person pattern), and an
//! authoring agent is never recognised by its vendor's mail domain at a confidence that counts, since
//! a vendor's employees commit under that domain every day.

use regex::{Regex, RegexBuilder};
use serde::Deserialize;

use super::{
    Agent, Category, Confidence, EvidenceKind, IdentityField, MarkerScope, Pattern, PersonPattern,
    RegistryError, Role, Signature, Specificity,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    /// What makes a trailer key or a prose line an attribution; in an override file, added to the
    /// built-in one.
    pub(super) attribution: Option<RawAttribution>,
    #[serde(default)]
    pub(super) agent: Vec<toml::Spanned<RawAgent>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAttribution {
    /// Trailer keys whose values credit a tool (`assisted-by`, `made-with`).
    #[serde(default)]
    pub(super) keys: Vec<String>,
    /// Words that make any key containing them an attribution key (`agent` in
    /// `Committed-By-Agent`).
    #[serde(default)]
    pub(super) key_words: Vec<String>,
    /// Words that make a disclosure say no agent was used (`none`, `no`).
    #[serde(default)]
    pub(super) negations: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAgent {
    pub(super) id: String,
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
    // label, file, attestation
    label: Option<String>,
    path: Option<String>,
    source: Option<String>,
    // name-only attributions
    called: Option<Vec<String>>,
    model_name: Option<String>,
    // meaning
    specificity: Option<Specificity>,
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

pub(super) fn parse(text: &str, origin: &str) -> Result<RawFile, RegistryError> {
    toml::from_str(text).map_err(|e| RegistryError::Syntax {
        origin: origin.to_owned(),
        message: e.to_string().trim_end().to_owned(),
    })
}

/// The line numbers of a TOML text, for error messages: built once per file, so that placing a
/// few hundred entries does not count newlines from the start each time.
pub(super) struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub(super) fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        Lines { starts }
    }

    /// The 1-based line of byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}

pub(super) fn add_agent(
    agents: &mut Vec<Agent>,
    signatures: &mut Vec<Signature>,
    entry: toml::Spanned<RawAgent>,
    lines: &Lines,
    origin: &str,
    is_override: bool,
) -> Result<(), RegistryError> {
    let line = lines.line_of(entry.span().start);
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
        let sig_line = lines.line_of(sig.span().start);
        let compiled = compile_signature(sig.get_ref(), index, category, sig_line)
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

fn compile_signature(
    raw: &RawSignature,
    agent: usize,
    category: Category,
    line: usize,
) -> Result<Signature, String> {
    let person = compile_person(raw)?;
    let has_person = person.is_some();
    let only = |allowed: &[&str]| -> Result<(), String> {
        let present: [(&str, bool); 16] = [
            ("called", raw.called.is_some()),
            ("model_name", raw.model_name.is_some()),
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
            ("source", raw.source.is_some()),
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
            if let Some(names) = &raw.called {
                only(&["called"])?;
                let names: Vec<String> = names.iter().map(|n| normalize_name(n)).collect();
                if names.is_empty() || names.iter().any(String::is_empty) {
                    return Err("`called` needs at least one non-empty name".into());
                }
                Pattern::Called { names }
            } else if let Some(r) = &raw.model_name {
                only(&["model_name"])?;
                Pattern::ModelName {
                    regex: regex(&format!("^(?:{r})$"), "model_name", true)?,
                    find: regex(&format!(r"\b(?:{r})\b"), "model_name", true)?,
                }
            } else {
                let mut allowed = vec!["key", "value"];
                allowed.extend(PERSON);
                only(&allowed)?;
                let value = raw
                    .value
                    .as_deref()
                    .map(|r| regex(r, "value", true))
                    .transpose()?;
                if person.is_none() && value.is_none() {
                    return Err("a trailer signature needs a person pattern (email, email_domain, login, email_regex, name), `value`, `called` or `model_name`".into());
                }
                // An agent's own address (exact, or a pattern declared unique) counts under any
                // key; other person patterns and values only under the keys they name.
                let exact = person.as_ref().is_some_and(PersonPattern::is_exact)
                    || raw.specificity == Some(Specificity::Unique);
                let keys: Vec<String> = match raw.key.as_ref() {
                    Some(OneOrMany::One(s)) => vec![s.to_ascii_lowercase()],
                    Some(OneOrMany::Many(v)) => v.iter().map(|s| s.to_ascii_lowercase()).collect(),
                    None if exact => Vec::new(),
                    None if person.is_some() => DEFAULT_PERSON_TRAILER_KEYS
                        .iter()
                        .map(|s| s.to_string())
                        .collect(),
                    None => return Err("a trailer signature with `value` needs `key`".into()),
                };
                if keys.iter().any(|k| {
                    k.is_empty() || !k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                }) {
                    return Err("trailer keys use only letters, digits and `-`".into());
                }
                Pattern::Trailer {
                    keys,
                    person,
                    value,
                }
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
        EvidenceKind::Attestation => {
            only(&["source"])?;
            let name = raw
                .source
                .as_deref()
                .ok_or("an attestation signature needs `source`")?;
            let source = crate::attest::AttestSource::parse(name).ok_or_else(|| {
                let known: Vec<_> = crate::attest::AttestSource::ALL
                    .iter()
                    .map(|s| s.as_str())
                    .collect();
                format!(
                    "unknown attestation `source` {name:?}; known: {}",
                    known.join(", ")
                )
            })?;
            Pattern::Attestation { source }
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
    if category == Category::Agent
        && raw.email_domain.is_some()
        && raw.confidence >= Confidence::Medium
    {
        return Err("an agent is recognised by its own addresses, never by its vendor's mail domain at a confidence that counts (its employees commit under it): list the addresses with `email`, or lower the confidence to `low`".into());
    }
    let specificity = raw.specificity.unwrap_or(match &pattern {
        Pattern::Trailer {
            person: Some(p), ..
        } if p.is_exact() => Specificity::Unique,
        Pattern::Trailer { .. } | Pattern::Called { .. } | Pattern::ModelName { .. } => {
            Specificity::Name
        }
        _ => Specificity::Unique,
    });
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
        specificity,
        pattern,
        model_from_name,
        role: raw.role,
        valid_from,
        valid_to,
        line,
    })
}

/// A name as `called` stores it and as values are compared with it: lower-case, spacing collapsed
/// to single spaces, enclosing brackets and trailing punctuation dropped.
pub(super) fn normalize_name(name: &str) -> String {
    let trimmed = name
        .trim()
        .trim_start_matches(['[', '(', '"', '\'', '`'])
        .trim_end_matches([']', ')', '"', '\'', '`', '.', ',', ';', '!']);
    let mut out = String::with_capacity(trimmed.len());
    for word in trimmed.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}
