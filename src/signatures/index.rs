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
        if !marker_regexes.is_empty() {
            index.marker_regex_set = regex::bytes::RegexSet::new(&marker_regexes).ok();
        }
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
