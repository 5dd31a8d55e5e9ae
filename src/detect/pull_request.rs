//! Agent evidence in pull-request metadata: the author (matched like a commit author, through the
//! noreply address GitHub gives the login), the head branch, markers and task links in the body, and
//! labels.

use bstr::ByteSlice;

use super::{
    Evidence, Hit, SITE_AUTHOR, SITE_BRANCH, SITE_MARKER, drop_fallbacks, line_at,
    person_candidates,
};
use crate::signatures::{EvidenceKind, IdentityField, Pattern, Registry};

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
    for sig in person_candidates(registry, pr.author, &email, None) {
        if let Pattern::Identity {
            field: IdentityField::Author,
            person,
        } = &sig.pattern
            && person.matches(pr.author, &email)
        {
            hits.push(Hit::new(
                SITE_AUTHOR,
                sig,
                location("author"),
                pr.author.to_owned(),
            ));
        }
    }
    let index = registry.index();
    if let Some(set) = &index.branch_set {
        for m in set.matches(pr.head_ref) {
            let sig = &registry.signatures()[index.branches[m]];
            hits.push(Hit::new(
                SITE_BRANCH,
                sig,
                location("head branch"),
                pr.head_ref.to_owned(),
            ));
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
            let mut hit = Hit::new(SITE_MARKER + i as u32, sig, loc, text);
            hit.session = session;
            hits.push(hit);
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
