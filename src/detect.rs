//! Detection: one commit record and the signature registry in, agent evidence and a class out.
//!
//! A pure function, never reading git, so every trap of the catalogue is a unit test on a message.
//! The rules that keep it honest: trailers count only in the final trailer block (quoted ones become
//! low-confidence leads), people are matched on emails and GitHub noreply logins rather than on
//! names in free text, footer markers count only in the footer, and generic "fallback" rules (any
//! `[bot]`, any `Assisted-by: X:Y`) give way to a named entry that matched the same text.

use std::collections::BTreeSet;

use bstr::{BStr, ByteSlice};
use serde::Serialize;

use crate::message::{Message, split_identity};
use crate::signatures::{
    Category, Confidence, EvidenceKind, IdentityField, MarkerScope, Pattern, Registry, Role,
    Signature, normalize_model,
};
use crate::walk::{CommitRecord, Person};

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
    /// `message`, `merge subject`.
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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

/// What detection concludes about one commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Detection {
    /// Agent, human or bot.
    pub class: CommitClass,
    /// For agent commits: whether the agent is the author or a human worked with it.
    pub role: Option<Role>,
    /// Authoring agents with high or medium confidence, sorted.
    pub agents: Vec<String>,
    /// Models named by that evidence, sorted.
    pub models: Vec<String>,
    /// Review bots whose suggestions the commit carries, sorted.
    pub review_bots: Vec<String>,
    /// Automation bots (author identity), sorted.
    pub bots: Vec<String>,
    /// Agents with only low-confidence evidence (leads for the adoption ceiling), sorted.
    pub weak_agents: Vec<String>,
    /// A session or task id from the evidence, if any.
    pub session: Option<String>,
    /// The human behind the commit, as a lower-cased email (or name when there is no email): the
    /// author, or for agent-authored commits the first human co-author. `None` for bot commits.
    pub human: Option<String>,
    /// That person's name as the commit writes it (author name, or the co-author trailer's).
    pub human_name: Option<String>,
    /// All evidence, strongest first.
    pub evidence: Vec<Evidence>,
}

struct Hit<'r> {
    site: u32,
    sig: &'r Signature,
    location: String,
    text: String,
    model: Option<String>,
    session: Option<String>,
    confidence: Confidence,
}

const SITE_AUTHOR: u32 = 0;
const SITE_COMMITTER: u32 = 1;
const SITE_BRANCH: u32 = 2;
const SITE_TRAILERS: u32 = 1_000;
const SITE_BODY: u32 = 100_000;
const SITE_MARKER: u32 = 1_000_000;

/// Detect agents, bots and the commit class of one commit.
pub fn detect(record: &CommitRecord, registry: &Registry) -> Detection {
    let message = Message::parse(&record.message);
    let mut hits: Vec<Hit<'_>> = Vec::new();
    let when = record.author.time;

    // Identities.
    for (field, person, site) in [
        (IdentityField::Author, &record.author, SITE_AUTHOR),
        (IdentityField::Committer, &record.committer, SITE_COMMITTER),
    ] {
        let name = person.name.to_str_lossy();
        let email = person.email.to_str_lossy().to_ascii_lowercase();
        for sig in person_candidates(registry, &email) {
            if let Pattern::Identity {
                field: f,
                person: p,
            } = &sig.pattern
                && *f == field
                && p.matches(&name, &email)
            {
                let label = match field {
                    IdentityField::Author => "author",
                    IdentityField::Committer => "committer",
                };
                hits.push(Hit {
                    site,
                    sig,
                    location: label.into(),
                    text: format!("{} <{}>", name, person.email.to_str_lossy()),
                    model: sig
                        .model_from_name
                        .then(|| model_of(registry, sig, &name))
                        .flatten(),
                    session: None,
                    confidence: sig.confidence,
                });
            }
        }
    }

    // Trailers: the final block counts; trailer-shaped lines elsewhere are only leads.
    let trailers = message.trailers();
    for (i, t) in trailers.iter().enumerate() {
        trailer_hits(registry, t, SITE_TRAILERS + i as u32, None, &mut hits);
    }
    for (i, t) in message.body_trailers().iter().enumerate() {
        trailer_hits(
            registry,
            t,
            SITE_BODY + i as u32,
            Some(Confidence::Low),
            &mut hits,
        );
    }

    // Markers.
    marker_hits(registry, &message, &mut hits);

    // Agent branches named in merge subjects.
    if record.is_merge()
        && let Some(branch) = merged_branch(message.subject())
    {
        let index = registry.index();
        if let Some(set) = &index.branch_set {
            for m in set.matches(branch.as_bytes().to_str_lossy().as_ref()) {
                let sig = &registry.signatures()[index.branches[m]];
                hits.push(Hit {
                    site: SITE_BRANCH,
                    sig,
                    location: "merge subject".into(),
                    text: branch.to_str_lossy().into_owned(),
                    model: None,
                    session: None,
                    confidence: sig.confidence,
                });
            }
        }
    }

    hits.retain(|h| {
        h.sig.valid_from.is_none_or(|f| when >= f) && h.sig.valid_to.is_none_or(|t| when < t)
    });
    drop_fallbacks(registry, &mut hits);
    conclude(registry, record, &trailers, hits)
}

fn model_of(registry: &Registry, sig: &Signature, raw: &str) -> Option<String> {
    normalize_model(raw, &registry.agents()[sig.agent].names)
}

/// Signatures with a person pattern that may match `email` (lower-cased); callers check fully.
fn person_candidates<'r>(
    registry: &'r Registry,
    email: &str,
) -> impl Iterator<Item = &'r Signature> + 'r {
    let index = registry.index();
    let mut out: Vec<usize> = Vec::new();
    if let Some(v) = index.by_email.get(email) {
        out.extend(v);
    }
    if let Some((_, login)) = crate::signatures::github_login(email)
        && let Some(v) = index.by_login.get(login)
    {
        out.extend(v);
    }
    if let Some((_, host)) = email.rsplit_once('@') {
        // Every parent domain of the host: mail.anthropic.com → anthropic.com → com.
        let mut h = host;
        loop {
            if let Some(v) = index.by_domain.get(h) {
                out.extend(v);
            }
            match h.split_once('.') {
                Some((_, rest)) if !rest.is_empty() => h = rest,
                _ => break,
            }
        }
    }
    out.extend(&index.person_regex);
    out.into_iter().map(move |i| &registry.signatures()[i])
}

fn trailer_hits<'r>(
    registry: &'r Registry,
    trailer: &crate::message::Trailer<'_>,
    site: u32,
    cap: Option<Confidence>,
    hits: &mut Vec<Hit<'r>>,
) {
    let key = trailer.key.to_str_lossy().to_ascii_lowercase();
    let index = registry.index();
    if !index.trailer_keys.contains(&key) {
        return;
    }
    let location = if cap.is_some() {
        format!("body {}", trailer.key.to_str_lossy())
    } else {
        trailer.key.to_str_lossy().into_owned()
    };
    let text = trailer.line.to_str_lossy().into_owned();
    let value = trailer.value.to_str_lossy();
    let confidence = |sig: &Signature| cap.map_or(sig.confidence, |c| c.min(sig.confidence));

    // Person-shaped trailers.
    let (name, email) = split_identity(trailer.value.as_ref());
    let name = name.to_str_lossy();
    let email = email.to_str_lossy().to_ascii_lowercase();
    if !email.is_empty() {
        for sig in person_candidates(registry, &email) {
            if let Pattern::Trailer {
                keys,
                person: Some(p),
                value: v,
            } = &sig.pattern
                && keys.contains(&key)
                && p.matches(&name, &email)
                && v.as_ref().is_none_or(|r| r.is_match(&value))
            {
                hits.push(Hit {
                    site,
                    sig,
                    location: location.clone(),
                    text: text.clone(),
                    model: sig
                        .model_from_name
                        .then(|| model_of(registry, sig, &name))
                        .flatten(),
                    session: None,
                    confidence: confidence(sig),
                });
            }
        }
    }

    // Value-shaped trailers.
    if let Some(list) = index.trailer_value_by_key.get(&key) {
        for &i in list {
            let sig = &registry.signatures()[i];
            if let Pattern::Trailer {
                value: Some(r),
                person: None,
                ..
            } = &sig.pattern
                && let Some(caps) = r.captures(&value)
            {
                hits.push(Hit {
                    site,
                    sig,
                    location: location.clone(),
                    text: text.clone(),
                    model: capture(&caps, "model").and_then(|m| model_of(registry, sig, m)),
                    session: capture(&caps, "session").map(str::to_owned),
                    confidence: confidence(sig),
                });
            }
        }
    }
}

fn capture<'h>(caps: &regex::Captures<'h>, name: &str) -> Option<&'h str> {
    caps.name(name)
        .map(|m| m.as_str())
        .filter(|s| !s.is_empty())
}

fn line_at(raw: &[u8], pos: usize) -> &BStr {
    let start = raw[..pos].rfind_byte(b'\n').map_or(0, |i| i + 1);
    let end = raw[pos..].find_byte(b'\n').map_or(raw.len(), |i| pos + i);
    raw[start..end].trim_end().as_bstr()
}

fn marker_hits<'r>(registry: &'r Registry, message: &Message<'_>, hits: &mut Vec<Hit<'r>>) {
    let raw: &[u8] = message.raw();
    let index = registry.index();
    let subject_start = raw.iter().position(|b| !b.is_ascii_whitespace());
    let mut push =
        |sig: &'r Signature, pos: usize, model: Option<String>, session: Option<String>| {
            let Pattern::Marker { scope, .. } = &sig.pattern else {
                return;
            };
            let (confidence, location) = match scope {
                MarkerScope::Subject => {
                    if Some(pos) != subject_start {
                        return;
                    }
                    (sig.confidence, "subject")
                }
                MarkerScope::Footer if message.in_footer(pos) => (sig.confidence, "footer"),
                MarkerScope::Footer => (Confidence::Low, "body"),
                MarkerScope::Message => (sig.confidence, "message"),
            };
            hits.push(Hit {
                site: SITE_MARKER + pos as u32,
                sig,
                location: location.into(),
                text: line_at(raw, pos).to_str_lossy().into_owned(),
                model,
                session,
                confidence,
            });
        };
    if let Some(ac) = &index.marker_automaton {
        // Markers stand at the start of a line (indented or quoted copies are documentation), so
        // only line starts are tried, each with an anchored search: far cheaper than scanning
        // every byte of every message for texts as common as `aider: `.
        let starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', raw).map(|i| i + 1));
        for pos in starts.filter(|&p| p < raw.len()) {
            let input = aho_corasick::Input::new(raw)
                .range(pos..)
                .anchored(aho_corasick::Anchored::Yes);
            if let Ok(Some(m)) = ac.try_find(input) {
                let sig_index = index.marker_texts[m.pattern().as_usize()];
                push(&registry.signatures()[sig_index], pos, None, None);
            }
        }
    }
    // Most messages match no marker regex: one cheap pass says so before the per-pattern search.
    if let Some(set) = index
        .marker_regex_set
        .as_ref()
        .filter(|set| set.is_match(raw))
    {
        for m in set.matches(raw) {
            let sig = &registry.signatures()[index.marker_regexes[m]];
            let Pattern::Marker { regex: Some(r), .. } = &sig.pattern else {
                continue;
            };
            if let Some(caps) = r.captures(raw) {
                let text = |name: &str| {
                    caps.name(name)
                        .map(|m| m.as_bytes().to_str_lossy().into_owned())
                        .filter(|s| !s.is_empty())
                };
                let model = text("model").and_then(|m| model_of(registry, sig, &m));
                push(
                    sig,
                    caps.get(0).map_or(0, |m| m.start()),
                    model,
                    text("session"),
                );
            }
        }
    }
}

/// The branch a merge commit's subject names: `Merge pull request #1 from owner/BRANCH`,
/// `Merge branch 'BRANCH'`, `Merge remote-tracking branch 'origin/BRANCH'`.
pub fn merged_branch(subject: &BStr) -> Option<&BStr> {
    let s: &[u8] = subject.trim();
    if let Some(rest) = s.strip_prefix(b"Merge pull request #") {
        let from = rest.find(b" from ")? + 6;
        let head = rest[from..].split_str(b" ").next()?;
        let slash = head.find_byte(b'/')?;
        let branch = &head[slash + 1..];
        return (!branch.is_empty()).then(|| branch.as_bstr());
    }
    let (quoted, strip_remote) = if let Some(rest) = s.strip_prefix(b"Merge branch '") {
        (rest, false)
    } else if let Some(rest) = s.strip_prefix(b"Merge remote-tracking branch '") {
        (rest, true)
    } else {
        return None;
    };
    let end = quoted.find_byte(b'\'')?;
    let mut branch = &quoted[..end];
    if strip_remote {
        branch = &branch[branch.find_byte(b'/')? + 1..];
    }
    (!branch.is_empty()).then(|| branch.as_bstr())
}

/// Drop evidence of fallback entries where a named entry matched the same text, and keep one hit
/// per (site, agent), the most confident.
fn drop_fallbacks(registry: &Registry, hits: &mut Vec<Hit<'_>>) {
    let agents = registry.agents();
    let named_sites: BTreeSet<u32> = hits
        .iter()
        .filter(|h| !agents[h.sig.agent].fallback)
        .map(|h| h.site)
        .collect();
    hits.retain(|h| !agents[h.sig.agent].fallback || !named_sites.contains(&h.site));
    hits.sort_by(|a, b| {
        (a.site, a.sig.agent)
            .cmp(&(b.site, b.sig.agent))
            .then(b.confidence.cmp(&a.confidence))
            .then(b.model.is_some().cmp(&a.model.is_some()))
    });
    hits.dedup_by(|b, a| a.site == b.site && a.sig.agent == b.sig.agent);
}

fn person_key(p: &Person) -> Option<String> {
    let email = p.email.to_str_lossy().trim().to_ascii_lowercase();
    if !email.is_empty() {
        return Some(email);
    }
    let name = p.name.to_str_lossy().trim().to_lowercase();
    (!name.is_empty()).then_some(name)
}

fn conclude(
    registry: &Registry,
    record: &CommitRecord,
    trailers: &[crate::message::Trailer<'_>],
    hits: Vec<Hit<'_>>,
) -> Detection {
    let agents_of = registry.agents();
    let counts = |h: &Hit<'_>| h.confidence >= Confidence::Medium;
    let category = |h: &Hit<'_>| agents_of[h.sig.agent].category;

    let mut agents = BTreeSet::new();
    let mut models = BTreeSet::new();
    let mut review_bots = BTreeSet::new();
    let mut bots = BTreeSet::new();
    let mut weak = BTreeSet::new();
    let mut authored = false;
    let mut bot_author = false;
    let mut session = None;
    for h in &hits {
        let id = &agents_of[h.sig.agent].id;
        match category(h) {
            Category::Agent if counts(h) => {
                agents.insert(id.clone());
                if let Some(m) = &h.model {
                    models.insert(m.clone());
                }
                if h.site == SITE_AUTHOR && h.sig.role != Some(Role::CoAuthored) {
                    authored = true;
                }
                if session.is_none() {
                    session.clone_from(&h.session);
                }
            }
            Category::Agent => {
                weak.insert(id.clone());
            }
            Category::ReviewBot if counts(h) => {
                review_bots.insert(id.clone());
                bot_author |= h.site == SITE_AUTHOR;
            }
            Category::AutomationBot if counts(h) => {
                if h.site == SITE_AUTHOR {
                    bot_author = true;
                    bots.insert(id.clone());
                }
            }
            Category::ReviewBot | Category::AutomationBot => {}
        }
    }
    for a in &agents {
        weak.remove(a);
    }
    if session.is_none() {
        session = hits.iter().find_map(|h| h.session.clone());
    }
    let (class, role) = if !agents.is_empty() {
        let role = if authored {
            Role::Authored
        } else {
            Role::CoAuthored
        };
        (CommitClass::Agent, Some(role))
    } else if bot_author {
        (CommitClass::Bot, None)
    } else {
        (CommitClass::Human, None)
    };
    let (human, human_name) = match (class, role) {
        (CommitClass::Bot, _) => (None, None),
        (_, Some(Role::Authored)) => match first_human_coauthor(registry, trailers) {
            Some((email, name)) => (Some(email), Some(name)),
            None => (None, None),
        },
        _ => (
            person_key(&record.author),
            Some(record.author.name.to_str_lossy().trim().to_owned()),
        ),
    };
    let human_name = human_name.filter(|n| !n.is_empty());
    let mut evidence: Vec<Evidence> = hits
        .into_iter()
        .map(|h| Evidence {
            agent: agents_of[h.sig.agent].id.clone(),
            category: agents_of[h.sig.agent].category,
            kind: h.sig.kind,
            confidence: h.confidence,
            location: h.location,
            text: h.text,
            model: h.model,
            session: h.session,
            signature_line: h.sig.line,
        })
        .collect();
    evidence.sort_by_key(|e| std::cmp::Reverse(e.confidence));
    Detection {
        class,
        role,
        agents: agents.into_iter().collect(),
        models: models.into_iter().collect(),
        review_bots: review_bots.into_iter().collect(),
        bots: bots.into_iter().collect(),
        weak_agents: weak.into_iter().collect(),
        session,
        human,
        human_name,
        evidence,
    }
}

/// For commits an agent authored: the first co-author no signature claims, who asked for the work,
/// as (email, name).
fn first_human_coauthor(
    registry: &Registry,
    trailers: &[crate::message::Trailer<'_>],
) -> Option<(String, String)> {
    trailers
        .iter()
        .filter(|t| t.key.eq_ignore_ascii_case(b"co-authored-by"))
        .find_map(|t| {
            let (name, email) = split_identity(t.value.as_ref());
            let email = email.to_str_lossy().to_ascii_lowercase();
            if email.is_empty() {
                return None;
            }
            let claimed = person_candidates(registry, &email).any(|sig| match &sig.pattern {
                Pattern::Trailer {
                    person: Some(p), ..
                }
                | Pattern::Identity { person: p, .. } => p.matches(&name.to_str_lossy(), &email),
                _ => false,
            });
            (!claimed).then(|| (email, name.to_str_lossy().trim().to_owned()))
        })
}

/// A pull request as detection reads it (the API's fields that carry agent traces).
#[derive(Debug, Clone, Default)]
pub struct PullRequestView<'a> {
    /// Number, for locations.
    pub number: u64,
    /// Author login.
    pub author: &'a str,
    /// Author numeric id.
    pub author_id: Option<u64>,
    /// Head branch.
    pub head_ref: &'a str,
    /// Labels.
    pub labels: &'a [String],
    /// Body text.
    pub body: &'a str,
}

/// Agent evidence in a pull request: the author (matched like a commit author, through the
/// noreply address GitHub gives the login), the head branch, markers and task links in the body,
/// and labels. Fallback entries give way to named ones, as for commits.
pub fn detect_pull_request(pr: &PullRequestView<'_>, registry: &Registry) -> Vec<Evidence> {
    let mut hits: Vec<Hit<'_>> = Vec::new();
    let email = match pr.author_id {
        Some(id) => format!("{id}+{}@users.noreply.github.com", pr.author),
        None => format!("{}@users.noreply.github.com", pr.author),
    }
    .to_ascii_lowercase();
    let location = |what: &str| format!("pull request #{} {what}", pr.number);
    for sig in person_candidates(registry, &email) {
        if let Pattern::Identity {
            field: IdentityField::Author,
            person,
        } = &sig.pattern
            && person.matches(pr.author, &email)
        {
            hits.push(Hit {
                site: SITE_AUTHOR,
                sig,
                location: location("author"),
                text: pr.author.to_owned(),
                model: None,
                session: None,
                confidence: sig.confidence,
            });
        }
    }
    let index = registry.index();
    if let Some(set) = &index.branch_set {
        for m in set.matches(pr.head_ref) {
            let sig = &registry.signatures()[index.branches[m]];
            hits.push(Hit {
                site: SITE_BRANCH,
                sig,
                location: location("head branch"),
                text: pr.head_ref.to_owned(),
                model: None,
                session: None,
                confidence: sig.confidence,
            });
        }
    }
    let body = pr.body.as_bytes();
    for (i, sig) in registry.signatures().iter().enumerate() {
        let found = match &sig.pattern {
            Pattern::Label { name } => pr
                .labels
                .iter()
                .find(|l| l.to_lowercase() == *name)
                .map(|l| (location("label"), l.clone(), None)),
            Pattern::Marker { text: Some(t), .. } => body.find(t.as_bytes()).map(|p| {
                (
                    location("body"),
                    line_at(body, p).to_str_lossy().into_owned(),
                    None,
                )
            }),
            Pattern::Marker { regex: Some(r), .. } => r.captures(body).map(|caps| {
                let start = caps.get(0).map_or(0, |m| m.start());
                let session = caps
                    .name("session")
                    .map(|m| m.as_bytes().to_str_lossy().into_owned());
                (
                    location("body"),
                    line_at(body, start).to_str_lossy().into_owned(),
                    session,
                )
            }),
            _ => None,
        };
        if let Some((loc, text, session)) = found {
            hits.push(Hit {
                site: SITE_MARKER + i as u32,
                sig,
                location: loc,
                text,
                model: None,
                session,
                confidence: sig.confidence,
            });
        }
    }
    // Fallbacks give way per pull request, not per text: a named agent anywhere wins.
    let agents = registry.agents();
    let named = hits.iter().any(|h| !agents[h.sig.agent].fallback);
    if named {
        hits.retain(|h| !agents[h.sig.agent].fallback);
    }
    drop_fallbacks(registry, &mut hits);
    let mut evidence: Vec<Evidence> = hits
        .into_iter()
        .map(|h| Evidence {
            agent: agents[h.sig.agent].id.clone(),
            category: agents[h.sig.agent].category,
            kind: EvidenceKind::PullRequest,
            confidence: h.confidence,
            location: h.location,
            text: h.text,
            model: h.model,
            session: h.session,
            signature_line: h.sig.line,
        })
        .collect();
    evidence.sort_by_key(|e| std::cmp::Reverse(e.confidence));
    evidence
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

/// Agent configuration files among the `paths` of a tree (one finding per agent and signature),
/// agent entries in the root `.gitignore`, and Claude settings that turn attribution off.
pub fn detect_config(
    paths: &[String],
    gitignore: Option<&str>,
    claude_settings: Option<&str>,
    registry: &Registry,
) -> Vec<ConfigFinding> {
    let index = registry.index();
    let mut out: Vec<ConfigFinding> = Vec::new();
    let mut seen = BTreeSet::new();
    if let Some(globs) = &index.file_globs {
        for path in paths {
            for m in globs.matches(path.as_str()) {
                let sig = &registry.signatures()[index.files[m]];
                if seen.insert(index.files[m]) {
                    out.push(ConfigFinding {
                        path: path.clone(),
                        agent: registry.agents()[sig.agent].id.clone(),
                        confidence: sig.confidence,
                        detail: None,
                    });
                }
            }
        }
    }
    if let Some(text) = gitignore {
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') || line.starts_with('!') {
                continue;
            }
            let pattern = line.trim_start_matches('/').trim_end_matches('/');
            let Ok(glob) = globset::Glob::new(pattern) else {
                continue;
            };
            let matcher = glob.compile_matcher();
            for (sig_index, name) in &index.file_names {
                let sig = &registry.signatures()[*sig_index];
                let agent = &registry.agents()[sig.agent];
                if matcher.is_match(name)
                    && !out
                        .iter()
                        .any(|f| f.agent == agent.id && f.detail.as_deref() == Some("gitignore"))
                {
                    out.push(ConfigFinding {
                        path: line.to_owned(),
                        agent: agent.id.clone(),
                        confidence: Confidence::Low,
                        detail: Some("gitignore".into()),
                    });
                }
            }
        }
    }
    if let Some(json) = claude_settings
        && let Ok(v) = serde_json::from_str::<serde_json::Value>(json)
    {
        let legacy_off = v.get("includeCoAuthoredBy") == Some(&serde_json::Value::Bool(false));
        let attribution_off = v
            .get("attribution")
            .and_then(|a| a.get("commit"))
            .and_then(|c| c.as_str())
            == Some("");
        if legacy_off || attribution_off {
            // A committed settings file that hides attribution is itself a trace of Claude Code.
            match out
                .iter_mut()
                .find(|f| f.agent == "claude-code" && f.path == ".claude/settings.json")
            {
                Some(f) => {
                    f.detail = Some("attribution off".into());
                    f.confidence = f.confidence.max(Confidence::Medium);
                }
                None => out.push(ConfigFinding {
                    path: ".claude/settings.json".into(),
                    agent: "claude-code".into(),
                    confidence: Confidence::Medium,
                    detail: Some("attribution off".into()),
                }),
            }
        }
    }
    out
}
