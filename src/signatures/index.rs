//! Lookup structures over the signatures, built once per registry so that detecting one commit
//! costs hash lookups and one automaton pass rather than a loop over every signature.

use std::collections::HashMap;

use regex::RegexSet;

use super::{Agent, Category, Pattern, Signature};

/// Lookup structures for the detector.
#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    /// Signatures with an exact person pattern (trailer or identity), by email.
    pub by_email: HashMap<String, Vec<usize>>,
    /// ... by GitHub login.
    pub by_login: HashMap<String, Vec<usize>>,
    /// Signatures whose person pattern is a domain, a regex or a name: checked on identities, and on
    /// trailers with one of their keys.
    pub by_domain: HashMap<String, Vec<usize>>,
    pub person_regex: Vec<usize>,
    /// Regex person patterns of trailer signatures that name no key (an agent's own addresses
    /// written as a regex): checked on every person-shaped trailer.
    pub person_regex_any_key: Vec<usize>,
    /// The trailer keys those shape patterns look at (lower-cased).
    pub shape_keys: std::collections::HashSet<String>,
    /// Trailer signatures matching a value, by lower-cased key.
    pub trailer_value_by_key: HashMap<String, Vec<usize>>,
    /// `called` names (normalised) and the signature that names them, longest first.
    pub called: Vec<(String, usize)>,
    /// An automaton over the `called` names, for disclosure prose.
    pub called_automaton: Option<aho_corasick::AhoCorasick>,
    /// The signature of each attribution store.
    pub attestations: HashMap<crate::attest::AttestSource, usize>,
    /// `model_name` signatures.
    pub model_names: Vec<usize>,
    /// Marker signatures with a literal text, and an automaton over those texts.
    pub marker_texts: Vec<usize>,
    pub marker_automaton: Option<aho_corasick::AhoCorasick>,
    /// Marker signatures with a regex.
    pub marker_regexes: Vec<usize>,
    /// A pre-filter over them: an automaton over literals every match of a regex contains (its
    /// prefixes or suffixes, see [`needles`]), each literal's regex (a position in
    /// `marker_regexes`), and the regexes with no such literal, always run. One pass of the
    /// automaton over a message rules out nearly every regex.
    pub marker_needles: Option<aho_corasick::AhoCorasick>,
    pub marker_needle_owner: Vec<usize>,
    /// Literals of regexes anchored at a line start (`(?m)^AI-assisted…`), tried anchored at
    /// each line start: a literal as common as `AI` costs nothing in the middle of words.
    /// An anchored search reports the shortest literal found, so each literal's owners include
    /// the regexes of every longer literal it begins.
    pub marker_line_needles: Option<aho_corasick::AhoCorasick>,
    pub marker_line_needle_owners: Vec<Vec<usize>>,
    pub marker_unfiltered: Vec<usize>,
    /// Subject-scope regexes (positions in `marker_regexes`) and their literals: run on the
    /// subject line alone, when it has one of the literals.
    pub marker_subject: Vec<(usize, Option<Needles>)>,
    /// Sets over the name and email regexes of `person_regex` and `person_regex_any_key`
    /// signatures, each with the signature of every pattern: one pass per identity instead of
    /// one regex per signature.
    pub person_name_set: Option<RegexSet>,
    pub person_name_owner: Vec<usize>,
    pub person_email_set: Option<RegexSet>,
    pub person_email_owner: Vec<usize>,
    /// Branch signatures and a set over their regexes.
    pub branches: Vec<usize>,
    pub branch_set: Option<RegexSet>,
    /// File signatures and a glob set over their paths.
    pub files: Vec<usize>,
    pub file_globs: Option<globset::GlobSet>,
    /// The last path component of each file signature, for `.gitignore` entries.
    pub file_names: Vec<(usize, String)>,
}

impl Index {
    /// Build the index; a name `called` by two agents is an error (its line, agent, problem).
    pub(super) fn build(
        signatures: &[Signature],
        agents: &[Agent],
    ) -> Result<Self, (usize, usize, String)> {
        let mut index = Index::default();
        let mut file_globs = globset::GlobSetBuilder::new();
        let mut marker_texts = Vec::new();
        let mut marker_regexes = Vec::new();
        let mut branch_regexes = Vec::new();
        let mut called_by: HashMap<&str, usize> = HashMap::new();
        for (i, sig) in signatures.iter().enumerate() {
            let person = match &sig.pattern {
                Pattern::Trailer { keys, person, .. } => {
                    if person.is_none() {
                        for k in keys {
                            index
                                .trailer_value_by_key
                                .entry(k.clone())
                                .or_default()
                                .push(i);
                        }
                    } else if !keys.is_empty() {
                        index.shape_keys.extend(keys.iter().cloned());
                    }
                    person.as_ref()
                }
                Pattern::Identity { person, .. } => Some(person),
                Pattern::Called { names } => {
                    for name in names {
                        if let Some(&other) = called_by.get(name.as_str())
                            && signatures[other].agent != sig.agent
                        {
                            return Err((
                                sig.line,
                                sig.agent,
                                format!(
                                    "the name {name:?} is already `called` by `{}`: a name can credit one agent only",
                                    agents[signatures[other].agent].id
                                ),
                            ));
                        }
                        called_by.insert(name, i);
                        index.called.push((name.clone(), i));
                    }
                    None
                }
                Pattern::ModelName { .. } => {
                    index.model_names.push(i);
                    None
                }
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
                Pattern::Attestation { source } => {
                    index.attestations.insert(*source, i);
                    None
                }
            };
            if let Some(p) = person {
                // Index each signature under its most selective field.
                if let Some(e) = &p.email {
                    index.by_email.entry(e.clone()).or_default().push(i);
                } else if let Some(l) = &p.login {
                    index.by_login.entry(l.clone()).or_default().push(i);
                } else if let Some(d) = &p.email_domain {
                    index.by_domain.entry(d.clone()).or_default().push(i);
                } else if matches!(&sig.pattern, Pattern::Trailer { keys, .. } if keys.is_empty()) {
                    index.person_regex_any_key.push(i);
                } else {
                    index.person_regex.push(i);
                }
            }
        }
        // Longest names first, so `claude code` wins over `claude` in prose.
        index
            .called
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        if !index.called.is_empty() {
            index.called_automaton = aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .build(index.called.iter().map(|(n, _)| n.as_str()))
                .ok();
        }
        if !marker_texts.is_empty() {
            index.marker_automaton = aho_corasick::AhoCorasick::builder()
                .start_kind(aho_corasick::StartKind::Anchored)
                .build(&marker_texts)
                .ok();
        }
        let mut needles: Vec<Vec<u8>> = Vec::new();
        let mut line_needles: Vec<(Vec<u8>, usize)> = Vec::new();
        for (at, pattern) in marker_regexes.iter().enumerate() {
            let subject = matches!(
                signatures[index.marker_regexes[at]].pattern,
                Pattern::Marker {
                    scope: super::MarkerScope::Subject,
                    ..
                }
            );
            if subject {
                index.marker_subject.push((at, self::needles(pattern)));
                continue;
            }
            match self::needles(pattern) {
                Some(Needles {
                    literals,
                    line_start: true,
                }) => {
                    for n in literals {
                        line_needles.push((n, at));
                    }
                }
                Some(Needles { literals, .. }) => {
                    for n in literals {
                        needles.push(n);
                        index.marker_needle_owner.push(at);
                    }
                }
                None => index.marker_unfiltered.push(at),
            }
        }
        let automaton = |needles: &[Vec<u8>], anchored: bool| {
            if needles.is_empty() {
                return None;
            }
            let mut b = aho_corasick::AhoCorasick::builder();
            b.match_kind(aho_corasick::MatchKind::Standard);
            if anchored {
                b.start_kind(aho_corasick::StartKind::Anchored);
            }
            b.build(needles).ok()
        };
        index.marker_needles = automaton(&needles, false);
        let mut distinct: Vec<Vec<u8>> = line_needles.iter().map(|(n, _)| n.clone()).collect();
        distinct.sort();
        distinct.dedup();
        index.marker_line_needle_owners = distinct
            .iter()
            .map(|n| {
                let mut owners: Vec<usize> = line_needles
                    .iter()
                    .filter(|(m, _)| m.starts_with(n))
                    .map(|&(_, at)| at)
                    .collect();
                owners.sort_unstable();
                owners.dedup();
                owners
            })
            .collect();
        let line_needles = distinct;
        index.marker_line_needles = automaton(&line_needles, true);
        if (!needles.is_empty() && index.marker_needles.is_none())
            || (!line_needles.is_empty() && index.marker_line_needles.is_none())
        {
            // Not expected; never filter out what might match.
            index.marker_unfiltered = (0..marker_regexes.len())
                .filter(|at| !index.marker_subject.iter().any(|(s, _)| s == at))
                .collect();
            index.marker_needles = None;
            index.marker_line_needles = None;
        }
        let person_sigs: Vec<usize> = index
            .person_regex
            .iter()
            .chain(&index.person_regex_any_key)
            .copied()
            .collect();
        let person = |i: usize| match &signatures[i].pattern {
            Pattern::Trailer {
                person: Some(p), ..
            }
            | Pattern::Identity { person: p, .. } => Some(p),
            _ => None,
        };
        let (mut names, mut emails) = (Vec::new(), Vec::new());
        for &i in &person_sigs {
            if let Some(p) = person(i) {
                if let Some(r) = &p.name {
                    names.push(r.as_str().to_owned());
                    index.person_name_owner.push(i);
                }
                if let Some(r) = &p.email_regex {
                    emails.push(r.as_str().to_owned());
                    index.person_email_owner.push(i);
                }
            }
        }
        let set = |patterns: &[String]| {
            regex::RegexSetBuilder::new(patterns)
                .case_insensitive(true)
                .size_limit(1 << 24)
                // Identities are short and each is searched once per thread (see
                // `person_candidates`): a small lazy-DFA cache per thread is plenty.
                .dfa_size_limit(1 << 18)
                .build()
                .ok()
        };
        index.person_name_set = set(&names);
        index.person_email_set = set(&emails);
        if !branch_regexes.is_empty() {
            index.branch_set = RegexSet::new(&branch_regexes).ok();
        }
        index.file_globs = file_globs.build().ok();
        // Agents come before bots in every lookup list so that an agent that is a GitHub App wins
        // over the generic `[bot]` rules wherever the order matters.
        let rank = |i: &usize| agents[signatures[*i].agent].category != Category::Agent;
        index.person_regex.sort_by_key(rank);
        Ok(index)
    }
}

/// Literals every match of `pattern` contains, for the marker pre-filter: its prefixes or its suffixes as regex-syntax extracts them, whichever are
/// longer, when there are at most 128 and none shorter than four bytes. `None` when no such set
/// exists (the regex is then always run).
pub(crate) fn needles(pattern: &str) -> Option<Needles> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let hir = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()?;
    let mut best: Option<(usize, Needles)> = None;
    for kind in [ExtractKind::Prefix, ExtractKind::Suffix] {
        let prefix = matches!(kind, ExtractKind::Prefix);
        // Prefixes of a regex that starts with `^` in multi-line mode begin a line.
        let line_start = prefix && hir.properties().look_set_prefix().contains_anchor_line();
        let seq = Extractor::new().kind(kind).extract(&hir);
        let Some(literals) = seq.literals() else {
            continue;
        };
        // A literal another one starts (or, for suffixes, ends) with adds nothing to the filter.
        let mut all: Vec<Vec<u8>> = literals.iter().map(|l| l.as_bytes().to_vec()).collect();
        all.sort_by_key(Vec::len);
        let mut minimal: Vec<Vec<u8>> = Vec::new();
        for l in all {
            let covered = minimal.iter().any(|m| {
                if prefix {
                    l.starts_with(m)
                } else {
                    l.ends_with(m)
                }
            });
            if !covered {
                minimal.push(l);
            }
        }
        let shortest = minimal.iter().map(Vec::len).min().unwrap_or(0);
        if minimal.is_empty() || minimal.len() > 128 || shortest < 4 {
            continue;
        }
        if best.as_ref().is_none_or(|(b, _)| shortest > *b) {
            best = Some((
                shortest,
                Needles {
                    literals: minimal,
                    line_start,
                },
            ));
        }
    }
    best.map(|(_, n)| n)
}

/// What [`needles`] finds for a regex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Needles {
    /// Literals every match contains.
    pub literals: Vec<Vec<u8>>,
    /// They begin a line wherever they match (the regex starts with a multi-line `^`).
    pub line_start: bool,
}

#[cfg(test)]
mod tests {
    use super::needles;

    fn text(found: Option<super::Needles>) -> Option<Vec<String>> {
        found.map(|v| {
            v.literals
                .into_iter()
                .map(|n| String::from_utf8(n).unwrap())
                .collect()
        })
    }

    /// A marker regex without a literal runs on every message of every scan: the built-in
    /// registry has none, and the line-start ones are tried only where a line begins.
    #[test]
    fn every_builtin_marker_regex_has_a_prefilter() {
        let registry = crate::signatures::Registry::builtin();
        let index = registry.index();
        let unfiltered: Vec<String> = index
            .marker_unfiltered
            .iter()
            .map(|&i| {
                format!(
                    "{:?}",
                    registry.signatures()[index.marker_regexes[i]].pattern
                )
            })
            .collect();
        assert!(unfiltered.is_empty(), "{unfiltered:#?}");
    }

    #[test]
    fn needles_are_the_literals_every_match_contains() {
        assert_eq!(
            text(needles(
                r"(?m)https://claude\.ai/share/(?P<session>[0-9a-f]{8}-[0-9a-f-]{27,})"
            )),
            Some(vec!["https://claude.ai/share/".to_owned()])
        );
        assert_eq!(
            text(needles(r"(?m)^[^\w\s]{0,4}\s*Generated with Crush(?-u:\b)")),
            Some(vec!["Generated with Crush".to_owned()])
        );
        // Alternatives are reduced to their shortest distinct literals.
        let mut found = text(needles(
            r"(?m)^(?:AI|LLM)[- ](?:[Aa]ssisted|[Gg]enerated)(?: code)?\.?$",
        ))
        .unwrap();
        found.sort();
        assert_eq!(
            found,
            [
                "AI Assisted",
                "AI Generated",
                "AI assisted",
                "AI generated",
                "AI-Assisted",
                "AI-Generated",
                "AI-assisted",
                "AI-generated",
                "LLM Assisted",
                "LLM Generated",
                "LLM assisted",
                "LLM generated",
                "LLM-Assisted",
                "LLM-Generated",
                "LLM-assisted",
                "LLM-generated",
            ]
            .map(str::to_owned)
        );
        // A case-insensitive word has too many case variants to list: the regex is always run.
        assert_eq!(needles(r"(?i)ai-assisted"), None);
        // Prefixes after a multi-line `^` begin a line; suffixes and other prefixes need not.
        assert!(needles(r"(?m)^AI-assisted").unwrap().line_start);
        assert!(!needles(r"https://claude\.ai/share/").unwrap().line_start);
        assert!(!needles(r"(?m)^\W?Generated with Crush").unwrap().line_start);
        // Nothing every match must contain: the regex is always run.
        assert_eq!(needles(r"(?m)^\w+ \d+$"), None);
    }

    /// The pre-filter never hides a match: on every message of the labelled corpus, each marker
    /// regex that matches has one of its literals there (at a line start when they begin lines).
    #[test]
    fn needles_never_hide_a_match_in_the_corpus() {
        let registry = crate::signatures::Registry::builtin();
        let index = registry.index();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
        let mut messages = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "jsonl") {
                for line in std::fs::read_to_string(&path).unwrap().lines() {
                    let v: serde_json::Value = serde_json::from_str(line).unwrap();
                    messages.push(v["message"].as_str().unwrap().to_owned());
                }
            }
        }
        assert!(messages.len() > 3000);
        let mut matched = 0;
        for &m in &index.marker_regexes {
            let crate::signatures::Pattern::Marker { regex: Some(r), .. } =
                &registry.signatures()[m].pattern
            else {
                continue;
            };
            let Some(n) = needles(r.as_str()) else {
                continue;
            };
            for msg in &messages {
                let raw = msg.as_bytes();
                if !r.is_match(raw) {
                    continue;
                }
                matched += 1;
                let starts: Vec<usize> = std::iter::once(0)
                    .chain(memchr::memchr_iter(b'\n', raw).map(|i| i + 1))
                    .collect();
                let found = n.literals.iter().any(|l| {
                    if n.line_start {
                        starts.iter().any(|&s| raw[s..].starts_with(l))
                    } else {
                        memchr::memmem::find(raw, l).is_some()
                    }
                });
                assert!(
                    found,
                    "{} matches but no literal of it is there:\n{msg}",
                    r.as_str()
                );
            }
        }
        assert!(matched > 50, "{matched}");
    }
}
