//! Detection: one commit record and the signature registry in, agent evidence and a class out.
//!
//! A pure function, never reading git, so every trap of the catalogue is a unit test on a message.
//! [`crate::message`] describes where each line of a message stands; each signature's specificity
//! decides whether a match there counts: an agent's own address, a vendor key or a session link
//! counts wherever it stands as a line of its own (squash paragraphs included), a bare name only in
//! a trailer paragraph ending the message or a squashed commit's section, nothing in quoted text.
//! People are matched on emails and GitHub noreply logins, never on names in free text or on their
//! employer's mail domain, and generic "fallback" rules (any `[bot]`, any model name, an Entire
//! checkpoint) give way to a named entry.

mod attested;
mod config;
mod message_hits;
mod people;
mod pull_request;

pub use crate::model::{CommitClass, Evidence};

use std::collections::BTreeSet;

use bstr::{BStr, ByteSlice};
use serde::Serialize;

use crate::message::{Message, Trailer, TrailerZone, split_identity};
use crate::model::{CommitRecord, Person};
use crate::signatures::{
    Category, Confidence, EvidenceKind, IdentityField, MarkerScope, Pattern, Registry, Role,
    Signature, normalize_model,
};

use people::identity_hits;
pub(crate) use people::{made_up_identity_hits, person_candidates};

pub use crate::model::pull_request_authored;
pub use attested::attestation_findings;
pub use config::{ConfigFinding, detect_config};
pub use pull_request::{PullRequestView, detect_pull_request};

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

/// A match before conclusions: where, which signature, what it proves.
pub(crate) struct Hit<'r> {
    /// Where it stands: one site per identity, trailer line, marker or branch, so that two
    /// signatures matching the same text can be compared.
    site: u32,
    sig: &'r Signature,
    /// The kind recorded, when it differs from the signature's (an agent's address as author).
    kind: EvidenceKind,
    location: String,
    text: String,
    model: Option<String>,
    session: Option<String>,
    confidence: Confidence,
}

impl<'r> Hit<'r> {
    fn new(site: u32, sig: &'r Signature, location: impl Into<String>, text: String) -> Self {
        Hit {
            site,
            sig,
            kind: sig.kind,
            location: location.into(),
            text,
            model: None,
            session: None,
            confidence: sig.confidence,
        }
    }
}

const SITE_AUTHOR: u32 = 0;
const SITE_COMMITTER: u32 = 1;
const SITE_BRANCH: u32 = 2;
const SITE_ATTESTATIONS: u32 = 100;
const SITE_TRAILERS: u32 = 1_000;
const SITE_MARKER: u32 = 1_000_000;

/// Detect agents, bots and the commit class of one commit.
pub fn detect(record: &CommitRecord, registry: &Registry) -> Detection {
    let message = Message::parse(&record.message);
    let mut hits: Vec<Hit<'_>> = Vec::new();
    let when = record.author.time;

    identity_hits(registry, &record.author, IdentityField::Author, &mut hits);
    identity_hits(
        registry,
        &record.committer,
        IdentityField::Committer,
        &mut hits,
    );
    let trailers = message.trailers();
    for t in &trailers {
        message_hits::trailer_hits(registry, t, SITE_TRAILERS + t.index as u32, &mut hits);
    }
    message_hits::marker_hits(registry, &message, &mut hits);
    message_hits::disclosure_hits(registry, &message, &mut hits);
    message_hits::credit_hits(registry, &message, &mut hits);
    attested::attestation_hits(registry, &record.attestations, &mut hits);
    if record.is_merge()
        && let Some(branch) = merged_branch(message.subject())
    {
        branch_hits(registry, branch, "merge subject", &mut hits);
    }

    hits.retain(|h| {
        h.sig.valid_from.is_none_or(|f| when >= f) && h.sig.valid_to.is_none_or(|t| when < t)
    });
    drop_fallbacks(registry, &mut hits);
    conclude(registry, record, &trailers, hits)
}

/// Whether the registry recognises `name <email>` at all (an agent, a bot or a review bot, at any
/// confidence) as the author of a commit or as a co-author in its trailers, at time `when`.
pub fn knows_identity(registry: &Registry, name: &str, email: &str, when: i64) -> bool {
    let person = |name: &str, email: &str| Person {
        name: name.into(),
        email: email.into(),
        time: when,
        offset: 0,
    };
    let record = |author: Person, message: String| CommitRecord {
        id: crate::model::Oid::null(),
        tree: crate::model::Oid::empty_tree(),
        parents: vec![crate::model::Oid::null()],
        committer: author.clone(),
        author,
        message: message.into(),
        files: None,
        attestations: Vec::new(),
    };
    let as_author = detect(&record(person(name, email), "Change\n".into()), registry);
    let as_coauthor = detect(
        &record(
            person("Someone", "someone@example.invalid"),
            format!("Change\n\nCo-authored-by: {name} <{email}>\n"),
        ),
        registry,
    );
    !as_author.evidence.is_empty() || !as_coauthor.evidence.is_empty()
}

fn branch_hits<'r>(registry: &'r Registry, branch: &BStr, location: &str, hits: &mut Vec<Hit<'r>>) {
    let index = registry.index();
    if let Some(set) = &index.branch_set {
        for m in set.matches(branch.to_str_lossy().as_ref()) {
            let sig = &registry.signatures()[index.branches[m]];
            hits.push(Hit::new(
                SITE_BRANCH,
                sig,
                location,
                branch.to_str_lossy().into_owned(),
            ));
        }
    }
}

fn model_of(registry: &Registry, sig: &Signature, raw: &str) -> Option<String> {
    normalize_model(raw, &registry.agents()[sig.agent].names)
}

fn capture(caps: &regex::Captures<'_>, name: &str) -> Option<String> {
    caps.name(name)
        .map(|m| m.as_str().to_owned())
        .filter(|s| !s.is_empty())
}

fn line_at(raw: &[u8], pos: usize) -> &BStr {
    let start = raw[..pos].rfind_byte(b'\n').map_or(0, |i| i + 1);
    let end = raw[pos..].find_byte(b'\n').map_or(raw.len(), |i| pos + i);
    raw[start..end].trim_ascii_end().as_bstr()
}

/// The branch a merge commit's subject names: `Merge pull request #1 from owner/BRANCH`,
/// `Merge branch 'BRANCH'`, `Merge remote-tracking branch 'origin/BRANCH'`.
pub fn merged_branch(subject: &BStr) -> Option<&BStr> {
    let s: &[u8] = subject.trim_ascii();
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
    trailers: &[Trailer<'_>],
    hits: Vec<Hit<'_>>,
) -> Detection {
    let agents_of = registry.agents();
    let counts = |h: &Hit<'_>| h.confidence >= Confidence::Medium;
    let category = |h: &Hit<'_>| agents_of[h.sig.agent].category;
    // A generic agent (a model named alone, an Entire checkpoint) gives way to a named one anywhere
    // in the commit; its model still tells which model was used.
    let named_agent = hits
        .iter()
        .any(|h| category(h) == Category::Agent && counts(h) && !agents_of[h.sig.agent].fallback);

    let mut agents = BTreeSet::new();
    let mut models = BTreeSet::new();
    let mut review_bots = BTreeSet::new();
    let mut bots = BTreeSet::new();
    let mut weak = BTreeSet::new();
    let mut authored = false;
    let mut bot_author = false;
    let mut session = None;
    for h in &hits {
        let agent = &agents_of[h.sig.agent];
        match category(h) {
            Category::Agent if counts(h) => {
                if let Some(m) = &h.model {
                    models.insert(m.clone());
                }
                if agent.fallback && named_agent {
                    continue;
                }
                agents.insert(agent.id.clone());
                if h.site == SITE_AUTHOR && h.sig.role != Some(Role::CoAuthored) {
                    authored = true;
                }
                if session.is_none() {
                    session.clone_from(&h.session);
                }
            }
            Category::Agent => {
                weak.insert(agent.id.clone());
            }
            Category::ReviewBot if counts(h) => {
                review_bots.insert(agent.id.clone());
                bot_author |= h.site == SITE_AUTHOR;
            }
            Category::AutomationBot if counts(h) => {
                // A bot authored it, a workflow committed it for someone, or the subject is one a
                // tool writes for itself under whatever account's token it was given.
                let committed_by_bot = h.site == SITE_COMMITTER
                    && matches!(
                        h.sig.pattern,
                        Pattern::Identity {
                            field: IdentityField::Committer,
                            ..
                        }
                    );
                let bot_subject = matches!(
                    h.sig.pattern,
                    Pattern::Marker {
                        scope: MarkerScope::Subject,
                        ..
                    }
                );
                if h.site == SITE_AUTHOR || committed_by_bot || bot_subject {
                    bot_author = true;
                    bots.insert(agent.id.clone());
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
            kind: h.kind,
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

/// For commits an agent authored: the first co-author of a trailer block no signature claims, who
/// asked for the work, as (email, name).
fn first_human_coauthor(registry: &Registry, trailers: &[Trailer<'_>]) -> Option<(String, String)> {
    trailers
        .iter()
        .filter(|t| t.zone == TrailerZone::Block && t.key.eq_ignore_ascii_case(b"co-authored-by"))
        .find_map(|t| {
            let (name, email) = split_identity(t.value.as_ref());
            let email = email.to_str_lossy().to_ascii_lowercase();
            if email.is_empty() {
                return None;
            }
            let name = name.to_str_lossy();
            let claimed =
                person_candidates(registry, &name, &email, None).any(|sig| match &sig.pattern {
                    Pattern::Trailer {
                        person: Some(p), ..
                    }
                    | Pattern::Identity { person: p, .. } => p.matches(&name, &email),
                    _ => false,
                });
            (!claimed).then(|| (email, name.trim().to_owned()))
        })
}
