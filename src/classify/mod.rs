//! Work-mode classification: what kind of work a commit is, as one of nine modes.
//!
//! A pure function of the commit record (message and changed files with line counts) and a rule set
//! kept as data (`modes.toml`, embedded, overridable with `--rules FILE`). The label is the dominant
//! activity by volume: path rules say which mode each changed line serves, and intent (the
//! conventional-commit type, words in the subject, the shape of the diff) decides what the code lines
//! are for and breaks near-ties, never outweighing a full share of paths. Every decision keeps the
//! rules that fired and the share of lines behind each mode, so `agentscan explain` can show why.

pub mod features;
pub mod learned;
mod rules;
mod table;
pub mod train;

pub use learned::{MODEL_VERSION, Model, ModelError, ModelFile};
pub use rules::{Rules, RulesError, generated_in_gitattributes};

pub use crate::model::{MODES, Mode};

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use bstr::ByteSlice;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use serde::{Deserialize, Serialize};

use crate::message::subject_line;
use crate::model::{CommitRecord, FileStatus};

/// The rules shipped with agentscan.
pub const BUILTIN_RULES: &str = include_str!("modes.toml");

/// Which kind of rule fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    /// A path rule (or `code` for files no rule matched).
    Path,
    /// The conventional-commit type.
    Type,
    /// Words in the subject.
    Word,
    /// The shape of the diff.
    Shape,
    /// The learned model (`--model`).
    Model,
}

/// One rule that fired for a commit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleHit {
    /// Rule id from the rules file (`code` for unmatched paths, `type` for the type).
    pub rule: String,
    /// Path, type, word or shape.
    pub kind: RuleKind,
    /// The mode the rule argues for.
    pub mode: Mode,
    /// Why the rule exists.
    pub reason: String,
    /// What matched: files and lines, the type, the words.
    pub detail: String,
}

/// The mode of one commit and the evidence behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModeDecision {
    /// The chosen mode.
    pub mode: Mode,
    /// The conventional-commit type, if the subject has one.
    pub conventional_type: Option<String>,
    /// Share of changed lines (or files) behind each mode, largest first; empty without paths.
    pub shares: Vec<(Mode, f64)>,
    /// What the paths say on their own, before code and the files that follow the intent take
    /// their mode from the words.
    #[serde(skip)]
    pub paths: PathShape,
    /// The rules that fired.
    pub rules: Vec<RuleHit>,
    /// Lines added and deleted in generated and vendored files (`[generated]` in the rules).
    pub generated: (u64, u64),
}

/// The changed lines (or files) of a commit by what the path rules alone make of them, each a
/// share of the whole. The model reads them beside the mode shares, which mix the words in: code
/// a word pulls into Operate is still code here.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PathShape {
    /// By class: a mode's [`Mode::index`] for path rules of that mode, [`PathShape::CODE`] for
    /// files no path rule matches, [`PathShape::SERVING`] for those that serve the intent
    /// (`serves_intent` in the rules: manifests and lockfiles).
    pub changed: [f32; PathShape::CLASSES],
    /// The same for the files the commit adds: new code, a new test file and a new manifest say
    /// different things.
    pub added: [f32; PathShape::CLASSES],
}

impl PathShape {
    pub const CODE: usize = 9;
    pub const SERVING: usize = 10;
    pub const CLASSES: usize = 11;
    /// A share that is all of the commit, allowing for the rounding of summed weights.
    const WHOLE: f32 = 0.999;

    /// A class's name in feature names.
    pub fn class_name(class: usize) -> &'static str {
        match class {
            Self::CODE => "code",
            Self::SERVING => "serving",
            i => MODES[i].as_str(),
        }
    }

    /// The mode the paths decide on their own: every changed line under path rules of that one
    /// mode (a change to CI files only).
    pub fn mode(&self) -> Option<Mode> {
        MODES
            .iter()
            .copied()
            .find(|m| self.changed[m.index()] >= Self::WHOLE)
    }

    /// Whether every changed line is in manifests and lockfiles (a dependency bump).
    pub fn dependencies_only(&self) -> bool {
        self.changed[Self::SERVING] >= Self::WHOLE
    }
}

impl ModeDecision {
    /// The decision as the store keeps it (`commits.mode_evidence`): the rules that fired, the
    /// share of each mode and the conventional type, as JSON.
    pub fn stored(&self) -> String {
        // Typed rather than built as a `serde_json::Value`: this runs for every commit. Fields and
        // share keys in alphabetical order, as the stored text has always had them.
        #[derive(serde::Serialize)]
        struct Stored<'a> {
            rules: Vec<String>,
            shares: std::collections::BTreeMap<&'static str, f64>,
            #[serde(rename = "type")]
            kind: &'a Option<String>,
        }
        let stored = Stored {
            rules: self
                .rules
                .iter()
                .map(|r| format!("{}:{}", r.rule, r.mode))
                .collect(),
            shares: self.shares.iter().map(|(m, s)| (m.as_str(), *s)).collect(),
            kind: &self.conventional_type,
        };
        serde_json::to_string(&stored).unwrap_or_default()
    }
}

/// `type(scope)!: subject` → (`type`, `scope`, rest of the subject).
pub fn conventional_type(subject: &str) -> Option<(String, Option<String>, &str)> {
    let colon = subject.find(':')?;
    let head = &subject[..colon];
    let rest = subject[colon + 1..].strip_prefix(' ')?;
    let head = head.strip_suffix('!').unwrap_or(head);
    let (t, scope) = match head.find('(') {
        Some(open) if head.ends_with(')') => (&head[..open], Some(&head[open + 1..head.len() - 1])),
        Some(_) => return None,
        None => (head, None),
    };
    if t.is_empty() || t.len() > 12 || !t.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    Some((
        t.to_ascii_lowercase(),
        scope.map(|s| s.to_ascii_lowercase()),
        rest,
    ))
}

/// Name the features behind a model decision in `decision` (its `model` rule's detail), for
/// explanations: the five that pushed most towards the chosen mode.
pub fn explain_model(record: &CommitRecord, rules: &Rules, decision: &mut ModeDecision) {
    let Some(model) = &rules.model else { return };
    let subject = subject_line(&record.message).to_str_lossy();
    let text = conventional_type(&subject).map_or(&*subject, |(_, _, rest)| rest);
    let Some(at) = decision
        .rules
        .iter()
        .position(|h| h.kind == RuleKind::Model)
    else {
        return;
    };
    // The features as the model saw them: the rules' own decision, before the model's.
    let mut plain = rules.clone();
    plain.model = None;
    let before = classify(record, &plain);
    let why = model.strongest(&features::features(record, text, &before), decision.mode, 5);
    decision.rules[at].detail = why
        .iter()
        .map(|(f, w)| format!("{f} {w:+.2}"))
        .collect::<Vec<_>>()
        .join(", ");
}

/// Classify one commit.
pub fn classify(record: &CommitRecord, rules: &Rules) -> ModeDecision {
    let subject = subject_line(&record.message).to_str_lossy();
    let w = &rules.weights;
    let mut intent = [0.0f64; 9];
    let mut hits = Vec::new();

    // The conventional-commit type.
    let ctype = conventional_type(&subject);
    let mut text: &str = &subject;
    if let Some((t, scope, rest)) = &ctype {
        text = rest;
        let scoped = scope.as_ref().map(|s| format!("{t}({s})"));
        let found = scoped
            .as_ref()
            .and_then(|k| rules.types.get(k).map(|m| (k.clone(), *m)))
            .or_else(|| rules.types.get(t).map(|m| (t.clone(), *m)));
        if let Some((key, m)) = found {
            intent[m.index()] += w.type_;
            hits.push(RuleHit {
                rule: "type".into(),
                kind: RuleKind::Type,
                mode: m,
                reason: "the author's conventional-commit type".into(),
                detail: format!("{key}:"),
            });
        }
    }

    // Words in the subject (and a revert marker anywhere in the message).
    let mut word_sum = [0.0f64; 9];
    let mut word_hits: Vec<RuleHit> = Vec::new();
    static REVERT_NOTE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"This reverts commit"));
    let reverts = REVERT_NOTE.find(&record.message).is_some();
    let matched = rules.word_set.matches(text);
    for (i, rule) in rules.words.iter().enumerate() {
        let found = matched
            .matched(i)
            .then(|| rule.regex.find(text).map(|m| m.as_str().to_owned()))
            .flatten()
            .or_else(|| (rule.id == "revert" && reverts).then(|| "This reverts commit".to_owned()));
        if let Some(matched) = found {
            word_sum[rule.mode.index()] += rule.weight;
            word_hits.push(RuleHit {
                rule: rule.id.clone(),
                kind: RuleKind::Word,
                mode: rule.mode,
                reason: rule.reason.clone(),
                detail: format!("{matched:?}"),
            });
        }
    }
    if let Some(best) = rules.best(&word_sum, &MODES) {
        intent[best.index()] += w.words * (word_sum[best.index()] / 2.0).min(1.0);
        hits.extend(word_hits.into_iter().filter(|h| h.mode == best));
    }

    // Paths.
    // Weight of files that serve the intent, by the mode they have without one.
    let mut serving = [0.0f64; 9];
    let mut total_lines = 0u64;
    let files = record.files.as_deref().unwrap_or(&[]);
    let by_lines = files
        .iter()
        .any(|f| f.lines.is_some_and(|(a, d)| a > 0 || d > 0));
    let mut per_rule: HashMap<Option<usize>, (usize, f64)> = HashMap::new();
    let mut added_weight = 0.0;
    let mut added_files = 0usize;
    // Changed and added weight by path class (see `PathShape`).
    let mut by_class = [[0.0f64; PathShape::CLASSES]; 2];
    let mut total_weight = 0.0f64;
    let mut generated = (0u64, 0u64);
    for f in files {
        let path = f.path.to_str_lossy();
        let rule = rules.path_rule(&path);
        let mut factor = rule.map_or(1.0, |i| rules.paths[i].weight);
        if rules.is_generated(&path) {
            factor = factor.min(rules.generated_weight);
            if let Some((a, d)) = f.lines {
                generated.0 += u64::from(a);
                generated.1 += u64::from(d);
            }
        }
        let base = if by_lines {
            f.lines.map_or(0.0, |(a, d)| f64::from(a) + f64::from(d))
        } else {
            1.0
        };
        let weight = base * factor;
        total_weight += weight;
        if by_lines {
            // Generated files count at their weight here too: a lockfile does not make a change large.
            total_lines += weight.round() as u64;
        }
        let e = per_rule.entry(rule).or_insert((0, 0.0));
        e.0 += 1;
        e.1 += weight;
        let class = match rule {
            Some(i) if rules.paths[i].serves_intent => {
                serving[rules.paths[i].mode.index()] += weight;
                PathShape::SERVING
            }
            Some(i) => rules.paths[i].mode.index(),
            None => PathShape::CODE,
        };
        by_class[0][class] += weight;
        if f.status == FileStatus::Added {
            added_weight += weight;
            added_files += 1;
            by_class[1][class] += weight;
        }
    }
    let share_of = |weight: f64| {
        if total_weight > 0.0 {
            weight / total_weight
        } else {
            0.0
        }
    };
    // The paths alone, before code and the files that follow the intent join the shares.
    let mut paths = PathShape::default();
    for (to, from) in [&mut paths.changed, &mut paths.added]
        .into_iter()
        .zip(&by_class)
    {
        for (t, f) in to.iter_mut().zip(from) {
            *t = share_of(*f) as f32;
        }
    }
    let mut shares = [0.0f64; 9];
    for (s, w) in shares.iter_mut().zip(&by_class[0]) {
        *s = share_of(*w);
    }
    let mut code_share = share_of(by_class[0][PathShape::CODE]);

    // Shape of the diff, when code is involved.
    if code_share > 0.0 {
        let added_share = if total_weight > 0.0 {
            added_weight / total_weight
        } else {
            0.0
        };
        let before_shapes = intent;
        for s in &rules.shapes {
            let ok = s.min_added_file_share.is_none_or(|m| added_share >= m)
                && s.min_lines.is_none_or(|m| by_lines && total_lines >= m)
                && s.max_lines.is_none_or(|m| by_lines && total_lines <= m)
                && s.max_files.is_none_or(|m| files.len() <= m)
                && (!s.no_added_files || added_files == 0)
                && s.touches.is_none_or(|m| shares[m.index()] > 0.0);
            if ok {
                // Shapes of one mode do not add up: "small" and "with its tests" are one hint.
                intent[s.mode.index()] =
                    intent[s.mode.index()].max(before_shapes[s.mode.index()] + w.shape);
                hits.push(RuleHit {
                    rule: s.id.clone(),
                    kind: RuleKind::Shape,
                    mode: s.mode,
                    reason: s.reason.clone(),
                    detail: format!("{} files, {} lines", files.len(), total_lines),
                });
            }
        }
    }
    for v in &mut intent {
        *v = v.min(w.intent_cap);
    }

    // Code lines serve the intent's code mode; tests that come with code are part of it.
    let intent_mode = rules.best(&intent, &MODES);
    let code_mode = rules
        .best(&intent, &rules.code_intents)
        .unwrap_or(Mode::Build);
    if code_share >= w.tests_follow_code && code_share > 0.0 && intent_mode != Some(Mode::Test) {
        code_share += shares[Mode::Test.index()];
        shares[Mode::Test.index()] = 0.0;
    }
    shares[code_mode.index()] += code_share;
    if total_weight > 0.0 {
        let serving_total: f64 = serving.iter().sum();
        match intent_mode {
            Some(m) => shares[m.index()] += serving_total / total_weight,
            None => {
                for (s, w) in shares.iter_mut().zip(serving) {
                    *s += w / total_weight;
                }
            }
        }
    }

    let damping = w.large_diff / (w.large_diff + total_lines as f64);
    let mut scores = shares;
    for (s, i) in scores.iter_mut().zip(intent) {
        *s += damping * i;
    }
    let mode = rules.best(&scores, &MODES).unwrap_or(Mode::Build);

    let mut path_hits: Vec<(f64, RuleHit)> = per_rule
        .into_iter()
        .map(|(rule, (n, weight))| {
            let (id, m, reason) = match rule {
                Some(i) if rules.paths[i].serves_intent => (
                    rules.paths[i].id.clone(),
                    intent_mode.unwrap_or(rules.paths[i].mode),
                    rules.paths[i].reason.clone(),
                ),
                Some(i) => (
                    rules.paths[i].id.clone(),
                    rules.paths[i].mode,
                    rules.paths[i].reason.clone(),
                ),
                None => (
                    "code".to_owned(),
                    code_mode,
                    "files no path rule matches are code, serving the intent".to_owned(),
                ),
            };
            let detail = if by_lines {
                format!("{n} files, {} changed lines", weight.round())
            } else {
                format!("{n} files")
            };
            let hit = RuleHit {
                rule: id,
                kind: RuleKind::Path,
                mode: m,
                reason,
                detail,
            };
            (weight, hit)
        })
        .collect();
    path_hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.rule.cmp(&b.1.rule)));
    hits.splice(0..0, path_hits.into_iter().map(|(_, h)| h));

    let mut share_list: Vec<(Mode, f64)> = MODES
        .iter()
        .map(|&m| (m, (shares[m.index()] * 10_000.0).round() / 10_000.0))
        .filter(|(_, s)| *s > 0.0)
        .collect();
    share_list.sort_by(|a, b| b.1.total_cmp(&a.1));
    let typed = hits.iter().any(|h| h.kind == RuleKind::Type);
    let mut decision = ModeDecision {
        mode,
        conventional_type: ctype.map(|(t, _, _)| t),
        shares: share_list,
        paths,
        rules: hits,
        generated,
    };
    // The model decides where the rules guess: no type, paths that leave room for doubt, and a
    // mode the model learned (see `learned::rules_decide`).
    if let Some(model) = &rules.model
        && !typed
        && !learned::rules_decide(&decision)
    {
        let (m, p) = model.predict(record, text, &decision);
        decision.rules.push(RuleHit {
            rule: "model".into(),
            kind: RuleKind::Model,
            mode: m,
            reason: format!("the learned model (probability {p:.2})"),
            // The features behind it are named by `explain` (see `explain_model`): building
            // their names for every commit of a scan would cost more than scoring it.
            detail: String::new(),
        });
        decision.mode = m;
    }
    decision
}
