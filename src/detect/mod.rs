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
mod pull_request;

pub use crate::model::{CommitClass, Evidence};

use std::collections::BTreeSet;

use bstr::{BStr, ByteSlice};
use serde::Serialize;

use crate::message::{Message, Trailer, TrailerZone, split_identity};
use crate::model::{CommitRecord, Person};
use crate::signatures::{
    Category, Confidence, EvidenceKind, IdentityField, MarkerScope, Pattern, Registry, Role,
    Signature, Specificity, normalize_model,
};

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

/// Signatures matching an identity: identity signatures for that field, and for the author the
/// exact addresses of trailer signatures too (an agent's own address makes it the author whether
/// the message credits it or it committed itself). An identity signature of an agent at the same
/// site wins; a bot's does not hide an agent's address (an agent's app is also caught by the
/// generic `[bot]` rule).
fn identity_hits<'r>(
    registry: &'r Registry,
    person: &Person,
    field: IdentityField,
    hits: &mut Vec<Hit<'r>>,
) {
    let (site, label) = match field {
        IdentityField::Author => (SITE_AUTHOR, "author"),
        IdentityField::Committer => (SITE_COMMITTER, "committer"),
    };
    let name = person.name.to_str_lossy();
    let email = person.email.to_str_lossy().to_ascii_lowercase();
    let text = || format!("{} <{}>", name, person.email.to_str_lossy());
    let first = hits.len();
    let mut explicit = Vec::new();
    for sig in person_candidates(registry, &name, &email, None) {
        let derived = match &sig.pattern {
            Pattern::Identity { field: f, person }
                if *f == field && person.matches(&name, &email) =>
            {
                false
            }
            Pattern::Trailer {
                person: Some(p), ..
            } if field == IdentityField::Author
                && sig.specificity == Specificity::Unique
                && p.matches(&name, &email) =>
            {
                true
            }
            _ => continue,
        };
        if !derived {
            explicit.push((sig.agent, registry.agents()[sig.agent].category));
        }
        let mut hit = Hit::new(site, sig, label, text());
        hit.kind = EvidenceKind::Identity;
        hit.model = sig
            .model_from_name
            .then(|| model_of(registry, sig, &name))
            .flatten();
        hits.push(hit);
    }
    // An agent's name at an address no person has (`Codex Agent <codex-agent@example.com>`), as
    // for co-author trailers: the agent committed under a made-up identity.
    if hits.len() == first {
        for mut hit in made_up_identity_hits(registry, &name, &email, site, label, text()) {
            hit.kind = EvidenceKind::Identity;
            hits.push(hit);
        }
    }
    if !explicit.is_empty() {
        let mut i = first;
        while i < hits.len() {
            let agent = hits[i].sig.agent;
            if hits[i].sig.kind == EvidenceKind::Trailer
                && explicit
                    .iter()
                    .any(|&(a, category)| a == agent || category == Category::Agent)
            {
                hits.remove(i);
            } else {
                i += 1;
            }
        }
    }
}

/// The agents `name <email>` names when it is an agent's name at an address no person has (a
/// machine account's, or its vendor's name with no domain after it: `Claude Code
/// <claude@anthropic>`), and no signature of the registry already says what that address is
/// (`Cline <cline@example.com>` is a lead there, and stays one). Empty for anyone else.
pub(crate) fn made_up_identity_hits<'r>(
    registry: &'r Registry,
    name: &str,
    email: &str,
    site: u32,
    location: &str,
    text: String,
) -> Vec<Hit<'r>> {
    let known = || {
        person_candidates(registry, name, email, None).any(|sig| match &sig.pattern {
            Pattern::Identity { person, .. } => person.matches(name, email),
            Pattern::Trailer {
                person: Some(p), ..
            } => p.matches(name, email),
            _ => false,
        })
    };
    let machine = crate::signatures::is_machine_address(email);
    let dotless = email
        .rsplit_once('@')
        .is_some_and(|(_, host)| !host.contains('.'));
    if !(machine || dotless) || known() {
        return Vec::new();
    }
    registry
        .recognise_value(name)
        .into_iter()
        .filter(|found| {
            let agent = &registry.agents()[registry.signatures()[found.sig].agent];
            machine || crate::signatures::at_vendor_word(email, &agent.vendor)
        })
        .map(|found| {
            let sig = &registry.signatures()[found.sig];
            let mut hit = Hit::new(site, sig, location, text.clone());
            hit.model = found.model.and_then(|m| model_of(registry, sig, &m));
            hit
        })
        .collect()
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

/// Signatures with a person pattern that may match `email` (lower-cased); callers check fully.
/// Exact addresses and logins always; domains and regexes only for identities (`key` is `None`)
/// and for trailer keys some such pattern names.
pub(crate) fn person_candidates<'r>(
    registry: &'r Registry,
    name: &str,
    email: &str,
    key: Option<&str>,
) -> impl Iterator<Item = &'r Signature> + 'r {
    let index = registry.index();
    let mut out: Vec<usize> = Vec::new();
    let regex_matches = regex_matches(registry, name, email);
    let (keyed, any_key) = (&regex_matches.0, &regex_matches.1);
    if let Some(v) = index.by_email.get(email) {
        out.extend(v);
    }
    if let Some((_, login)) = crate::signatures::github_login(email)
        && let Some(v) = index.by_login.get(login)
    {
        out.extend(v);
    }
    if key.is_none_or(|k| index.shape_keys.contains(k)) {
        if !index.by_domain.is_empty()
            && let Some((_, host)) = email.rsplit_once('@')
        {
            // Every parent domain of the host: mail.example.com → example.com → com.
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
        out.extend(keyed);
    }
    out.extend(any_key);
    out.into_iter().map(move |i| &registry.signatures()[i])
}

/// The regex person signatures (`person_regex`, then `person_regex_any_key`, each in index
/// order) whose name and email regexes match `name` and `email`. The same few identities author
/// most of a history, so each thread remembers the answers for the identities it met last (per
/// registry): the sets run once per identity, not once per commit.
fn regex_matches(
    registry: &Registry,
    name: &str,
    email: &str,
) -> std::rc::Rc<(Vec<usize>, Vec<usize>)> {
    use std::cell::RefCell;
    use std::hash::BuildHasher;
    type Entry = (
        u64,
        Box<str>,
        Box<str>,
        std::rc::Rc<(Vec<usize>, Vec<usize>)>,
    );
    thread_local! {
        static SEEN: RefCell<rustc_hash::FxHashMap<u64, Entry>> = RefCell::default();
    }
    let key = rustc_hash::FxBuildHasher.hash_one((registry.instance(), name, email));
    let hit = SEEN.with_borrow(|seen| {
        seen.get(&key)
            .filter(|e| e.0 == registry.instance() && *e.1 == *name && *e.2 == *email)
            .map(|e| e.3.clone())
    });
    if let Some(found) = hit {
        return found;
    }
    let index = registry.index();
    let matched = |set: &Option<regex::RegexSet>, owner: &[usize], text: &str| -> Vec<usize> {
        match set {
            // Most identities match none: a plain search says so without the overlapping one.
            Some(set) if set.is_match(text) => {
                set.matches(text).into_iter().map(|m| owner[m]).collect()
            }
            _ => Vec::new(),
        }
    };
    let names = matched(&index.person_name_set, &index.person_name_owner, name);
    let emails = matched(&index.person_email_set, &index.person_email_owner, email);
    let keep = |list: &[usize]| -> Vec<usize> {
        list.iter()
            .copied()
            .filter(|&i| regex_candidate(registry, i, &names, &emails))
            .collect()
    };
    let found = std::rc::Rc::new((keep(&index.person_regex), keep(&index.person_regex_any_key)));
    SEEN.with_borrow_mut(|seen| {
        if seen.len() >= 16_384 {
            seen.clear();
        }
        seen.insert(
            key,
            (
                registry.instance(),
                name.into(),
                email.into(),
                found.clone(),
            ),
        );
    });
    found
}

/// Whether regex person signature `i` can match, given the signatures whose name and email
/// regexes matched: each regex it has must be among them.
fn regex_candidate(registry: &Registry, i: usize, names: &[usize], emails: &[usize]) -> bool {
    let p = match &registry.signatures()[i].pattern {
        Pattern::Trailer {
            person: Some(p), ..
        }
        | Pattern::Identity { person: p, .. } => p,
        _ => return true,
    };
    (p.name.is_none() || names.contains(&i)) && (p.email_regex.is_none() || emails.contains(&i))
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
