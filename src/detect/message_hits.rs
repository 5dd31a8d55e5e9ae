//! Matches in the message: trailers by where they stand, markers and links outside quoted text,
//! and disclosure lines.

use bstr::ByteSlice;

use super::{Hit, SITE_MARKER, capture, line_at, model_of, person_candidates};
use crate::message::{Message, Place, Trailer, TrailerZone, split_identity};
use crate::signatures::{Confidence, EvidenceKind, MarkerScope, Pattern, Registry, Specificity};

/// Whether a match of a signature of `specificity` counts where this trailer stands; `None` means
/// it is only a lead (low confidence).
fn counts_here(specificity: Specificity, zone: TrailerZone) -> bool {
    match specificity {
        Specificity::Unique => zone <= TrailerZone::Loose,
        Specificity::Name => zone == TrailerZone::Block,
    }
}

pub(super) fn trailer_hits<'r>(
    registry: &'r Registry,
    trailer: &Trailer<'_>,
    site: u32,
    hits: &mut Vec<Hit<'r>>,
) {
    let key = trailer.key.to_str_lossy().to_ascii_lowercase();
    let index = registry.index();
    let location = if trailer.zone <= TrailerZone::Paragraph {
        trailer.key.to_str_lossy().into_owned()
    } else {
        format!("body {}", trailer.key.to_str_lossy())
    };
    let text = || trailer.line.to_str_lossy().into_owned();
    let value = trailer.value.to_str_lossy();
    let confidence = |sig: &crate::signatures::Signature| {
        if counts_here(sig.specificity, trailer.zone) {
            sig.confidence
        } else {
            Confidence::Low.min(sig.confidence)
        }
    };

    // Person-shaped trailers: an agent's own address under any key, other person patterns under
    // their keys.
    let (name, email) = split_identity(trailer.value.as_ref());
    let name = name.to_str_lossy();
    let email = email.to_str_lossy().to_ascii_lowercase();
    let before = hits.len();
    if !email.is_empty() {
        for sig in person_candidates(registry, &name, &email, Some(&key)) {
            if let Pattern::Trailer {
                keys,
                person: Some(p),
                value: v,
            } = &sig.pattern
                && (keys.is_empty() || keys.contains(&key))
                && p.matches(&name, &email)
                && v.as_ref().is_none_or(|r| r.is_match(&value))
            {
                let mut hit = Hit::new(site, sig, location.clone(), text());
                hit.confidence = confidence(sig);
                hit.model = sig
                    .model_from_name
                    .then(|| model_of(registry, sig, &name))
                    .flatten();
                hits.push(hit);
            }
        }
    }

    // An agent's name at an address no person has (`Co-authored-by: Amp <amp@example.com>`,
    // `Claude <svc-devxp-claude@corp.example>`): what an agent writes when it does not know its
    // own address, or a team's service account for it. The name must be the whole value, as for
    // name-only credits; a person named Claude has a person's address.
    if hits.len() == before
        && !email.is_empty()
        && (key == "co-authored-by" || registry.attribution().is_attribution_key(&key))
    {
        for mut hit in
            super::made_up_identity_hits(registry, &name, &email, site, &location, text())
        {
            hit.confidence = confidence(hit.sig);
            hits.push(hit);
        }
    }

    // Value-shaped trailers: vendor keys, `Assisted-by: Crush:glm-5`.
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
                let mut hit = Hit::new(site, sig, location.clone(), text());
                hit.confidence = confidence(sig);
                hit.model = capture(&caps, "model").and_then(|m| model_of(registry, sig, &m));
                hit.session = capture(&caps, "session");
                hits.push(hit);
            }
        }
    }

    // Name-only attributions: `Assisted-by: Claude Code`, `Made-with: Cursor`, `Assisted-by: GPT-5.5`.
    if email.is_empty() && registry.attribution().is_attribution_key(&key) {
        for found in registry.recognise_value(&value) {
            let sig = &registry.signatures()[found.sig];
            let mut hit = Hit::new(site, sig, location.clone(), text());
            hit.confidence = confidence(sig);
            hit.model = found.model.and_then(|m| model_of(registry, sig, &m));
            hits.push(hit);
        }
    }
}

/// Phrases that make a link on the same line an example rather than a credit.
const EXAMPLE_PHRASES: [&[u8]; 5] = [
    b"e.g.",
    b"for example",
    b"for instance",
    b"such as",
    b"example:",
];

fn introduces_example(line_before: &[u8]) -> bool {
    let lower = line_before.to_ascii_lowercase();
    EXAMPLE_PHRASES.iter().any(|p| lower.find(p).is_some())
}

pub(super) fn marker_hits<'r>(
    registry: &'r Registry,
    message: &Message<'_>,
    hits: &mut Vec<Hit<'r>>,
) {
    let raw: &[u8] = message.raw();
    let index = registry.index();
    let mut push = |sig: &'r crate::signatures::Signature,
                    pos: usize,
                    model: Option<String>,
                    session: Option<String>| {
        let Pattern::Marker { scope, .. } = &sig.pattern else {
            return;
        };
        let place = message.place(pos);
        let (confidence, location) = match (scope, place) {
            (_, Place::Quoted) => return,
            (MarkerScope::Subject, Place::Subject) => (sig.confidence, "subject"),
            (MarkerScope::Subject, _) => return,
            (MarkerScope::Footer, Place::Footer) => (sig.confidence, "footer"),
            (MarkerScope::Footer, _) => (Confidence::Low.min(sig.confidence), "body"),
            (MarkerScope::Message, _) => {
                let line_start = raw[..pos].rfind_byte(b'\n').map_or(0, |i| i + 1);
                if introduces_example(&raw[line_start..pos]) {
                    return;
                }
                (sig.confidence, "message")
            }
        };
        let mut hit = Hit::new(
            SITE_MARKER + pos as u32,
            sig,
            location,
            line_at(raw, pos).to_str_lossy().into_owned(),
        );
        hit.confidence = confidence;
        hit.model = model;
        hit.session = session;
        hits.push(hit);
    };
    // Markers stand at the start of a line (indented or quoted copies are documentation), so only
    // line starts are tried, each with an anchored search: far cheaper than scanning every byte of
    // every message for texts as common as `aider: `. The literals of regexes anchored at a line
    // start are tried there too; the other regexes' literals get one pass over the message.
    let mut candidates: Vec<usize> = Vec::new();
    if index.marker_automaton.is_some() || index.marker_line_needles.is_some() {
        // Up to three spaces of indentation are still the line's start, as in Markdown, where four
        // make code: a footer pasted under a list item keeps the two spaces of its text.
        let starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', raw).map(|i| i + 1));
        let starts = starts.map(|p| {
            let spaces = raw[p..].iter().take(3).take_while(|&&b| b == b' ').count();
            p + spaces
        });
        for pos in starts.filter(|&p| p < raw.len()) {
            let input = aho_corasick::Input::new(raw)
                .range(pos..)
                .anchored(aho_corasick::Anchored::Yes);
            if let Some(ac) = &index.marker_automaton
                && let Ok(Some(m)) = ac.try_find(input.clone())
            {
                let sig_index = index.marker_texts[m.pattern().as_usize()];
                push(&registry.signatures()[sig_index], pos, None, None);
            }
            if let Some(ac) = &index.marker_line_needles
                && let Ok(Some(m)) = ac.try_find(input)
            {
                candidates.extend(&index.marker_line_needle_owners[m.pattern().as_usize()]);
            }
        }
    }
    if let Some(ac) = index.marker_needles.as_ref().filter(|ac| ac.is_match(raw)) {
        for m in ac.find_overlapping_iter(raw) {
            candidates.push(index.marker_needle_owner[m.pattern().as_usize()]);
        }
    }
    candidates.extend(&index.marker_unfiltered);
    candidates.sort_unstable();
    candidates.dedup();
    // Subject markers look at the subject line only.
    let subject_end = {
        let start = raw
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(raw.len());
        raw[start..]
            .find_byte(b'\n')
            .map_or(raw.len(), |e| start + e)
    };
    let subject = &raw[..subject_end];
    let searches = candidates.into_iter().map(|m| (m, raw)).chain(
        index
            .marker_subject
            .iter()
            .filter(|(_, needles)| {
                needles.as_ref().is_none_or(|n| {
                    n.literals
                        .iter()
                        .any(|l| memchr::memmem::find(subject, l).is_some())
                })
            })
            .map(|&(m, _)| (m, subject)),
    );
    for (m, haystack) in searches {
        let sig = &registry.signatures()[index.marker_regexes[m]];
        let Pattern::Marker { regex: Some(r), .. } = &sig.pattern else {
            continue;
        };
        // A match is placed by its first visible byte: a pattern opening with `^\s*` may
        // start on the blank line above. The first match outside quoted text counts.
        let visible = |m: regex::bytes::Match<'_>| {
            let lead = m
                .as_bytes()
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
            m.start() + lead
        };
        if let Some(caps) = r.captures_iter(haystack).find(|c| {
            c.get(0)
                .is_some_and(|m| message.place(visible(m)) != Place::Quoted)
        }) {
            let text = |name: &str| {
                caps.name(name)
                    .map(|m| m.as_bytes().to_str_lossy().into_owned())
                    .filter(|s| !s.is_empty())
            };
            let model = text("model").and_then(|m| model_of(registry, sig, &m));
            push(sig, caps.get(0).map_or(0, visible), model, text("session"));
        }
    }
}

/// `**AI usage:** … Claude Code …`: a disclosure naming an agent or a model.
pub(super) fn disclosure_hits<'r>(
    registry: &'r Registry,
    message: &Message<'_>,
    hits: &mut Vec<Hit<'r>>,
) {
    let statements = message.generation_statements();
    let usage = message.usage_statements();
    for (line, text) in message
        .disclosures()
        .into_iter()
        .chain(statements)
        .chain(usage)
    {
        let start = message.line_range(line).start;
        let line_text = message.raw()[message.line_range(line)]
            .to_str_lossy()
            .into_owned();
        // An unticked box of a template in a disclosure section (`- [ ] I used Claude Code`)
        // states nothing; a statement opening with one is no statement (`message::prose`).
        let text: String = text
            .to_str_lossy()
            .lines()
            .filter(|l| !crate::message::unticked(l.as_bytes()))
            .collect::<Vec<_>>()
            .join("\n");
        for found in registry.recognise_prose(&text) {
            let sig = &registry.signatures()[found.sig];
            let mut hit = Hit::new(
                SITE_MARKER + start as u32,
                sig,
                "disclosure",
                line_text.clone(),
            );
            hit.kind = EvidenceKind::Marker;
            hit.model = found.model.and_then(|m| model_of(registry, sig, &m));
            hits.push(hit);
        }
    }
}

/// `* Codex (GPT-5.6 High) fixed the remaining lint errors`: a line crediting a named agent with
/// its model for a piece of the work. Both must be recognised, so a person's nickname in
/// parentheses or a model alone never counts. And `_codex-gpt-5.5-medium on behalf of maphew_`: a
/// signature line of a tool acting for a person, where the agent or the model alone is enough,
/// since the line says a tool signed.
pub(super) fn credit_hits<'r>(
    registry: &'r Registry,
    message: &Message<'_>,
    hits: &mut Vec<Hit<'r>>,
) {
    let credits = message.credit_lines().into_iter().map(|c| (c, true));
    let signatures = message.behalf_lines().into_iter().map(|c| (c, false));
    for ((line, opening), needs_both) in credits.chain(signatures) {
        let found = registry.recognise_value(&opening.to_str_lossy());
        let [found] = found.as_slice() else {
            continue;
        };
        let sig = &registry.signatures()[found.sig];
        let named = matches!(sig.pattern, Pattern::Called { .. });
        if needs_both && (!named || found.model.is_none()) {
            continue;
        }
        let range = message.line_range(line);
        let mut hit = Hit::new(
            SITE_MARKER + range.start as u32,
            sig,
            "credit",
            message.raw()[range].to_str_lossy().into_owned(),
        );
        hit.kind = EvidenceKind::Marker;
        hit.model = found
            .model
            .clone()
            .and_then(|m| model_of(registry, sig, &m));
        hits.push(hit);
    }
}
