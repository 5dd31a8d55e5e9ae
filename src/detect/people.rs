//! Who a name and an address are: the registry's identity and person signatures matched against
//! an author, a committer or a co-author, and an agent's name at an address no person has. The
//! same few identities author most of a history, so the regex sets run once per identity.

use bstr::ByteSlice;

use super::{Hit, SITE_AUTHOR, SITE_COMMITTER, model_of};
use crate::model::Person;
use crate::signatures::{
    Category, EvidenceKind, IdentityField, Pattern, Registry, Signature, Specificity,
};

/// Signatures matching an identity: identity signatures for that field, and for the author the
/// exact addresses of trailer signatures too (an agent's own address makes it the author whether
/// the message credits it or it committed itself). An identity signature of an agent at the same
/// site wins; a bot's does not hide an agent's address (an agent's app is also caught by the
/// generic `[bot]` rule).
pub(super) fn identity_hits<'r>(
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

/// The agents `name <email>` names when it is an agent's name at an address no person has: a
/// machine account's, its vendor's name with no domain after it (`Claude Code
/// <claude@anthropic>`), or a person's mailbox tagged for the agent (`Claude Sonnet 4.6
/// <jamie+claude-code@example.com>`, where the tag names the tool and the name its model); and no
/// signature of the registry already says what that address is (`Cline <cline@example.com>` is a
/// lead there, and stays one). Empty for anyone else.
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
    let agent_of = |found: &crate::signatures::NameHit| {
        &registry.agents()[registry.signatures()[found.sig].agent]
    };
    let machine = crate::signatures::is_machine_address(email);
    let dotless = email
        .rsplit_once('@')
        .is_some_and(|(_, host)| !host.contains('.'));
    // `jamie+claude-code@…`: the tag says which tool the mailbox was set aside for.
    let tagged: Vec<_> = email
        .split_once('@')
        .and_then(|(local, _)| local.split_once('+'))
        .map(|(_, tag)| registry.recognise_value(&tag.replace(['-', '_', '.'], " ")))
        .unwrap_or_default()
        .into_iter()
        .filter(|found| {
            let agent = agent_of(found);
            agent.category == Category::Agent && !agent.fallback
        })
        .collect();
    if !(machine || dotless || !tagged.is_empty()) || known() {
        return Vec::new();
    }
    let mut found: Vec<_> = registry
        .recognise_value(name)
        .into_iter()
        .filter(|found| {
            machine
                || !tagged.is_empty()
                || crate::signatures::at_vendor_word(email, &agent_of(found).vendor)
        })
        .collect();
    // A name at the tool's mailbox is the model it ran (`Claude Sonnet 4.5
    // <jamie+github-copilot@…>` is Copilot running Claude): the tag names the tool.
    if !tagged.is_empty() && !found.is_empty() {
        let model = found.iter().find_map(|f| f.model.clone());
        found = tagged
            .into_iter()
            .map(|t| crate::signatures::NameHit {
                sig: t.sig,
                model: model.clone(),
            })
            .collect();
    }
    found
        .into_iter()
        .map(|found| {
            let sig = &registry.signatures()[found.sig];
            let mut hit = Hit::new(site, sig, location, text.clone());
            hit.model = found.model.and_then(|m| model_of(registry, sig, &m));
            hit
        })
        .collect()
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
