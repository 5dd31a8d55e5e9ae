//! The rule set as data: `modes.toml` parsed, validated and compiled into path globs, word
//! regexes and diff shapes, and the scoring that turns a commit into mode shares.

use super::*;

/// A problem in a rules file.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// The file could not be read.
    #[error("cannot read rules file {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Not valid TOML, or the wrong shape.
    #[error("{origin}: invalid rules file: {message}")]
    Syntax { origin: String, message: String },
    /// A rule makes no sense.
    #[error("{origin}: rule `{rule}`: {problem}")]
    Invalid {
        origin: String,
        rule: String,
        problem: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRules {
    pub(super) weights: RawWeights,
    #[serde(default)]
    pub(super) types: HashMap<String, String>,
    #[serde(default)]
    pub(super) path: Vec<RawPath>,
    #[serde(default)]
    pub(super) word: Vec<RawWord>,
    #[serde(default)]
    pub(super) shape: Vec<RawShape>,
    #[serde(default)]
    pub(super) generated: Option<RawGenerated>,
}

/// Files whose lines are made by tools, not written: counted apart from authored lines.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGenerated {
    pub(super) patterns: Vec<String>,
    /// How much a changed line of them counts in the path shares and the diff size.
    pub(super) weight: f64,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWeights {
    #[serde(rename = "type")]
    pub(super) type_: f64,
    pub(super) words: f64,
    pub(super) shape: f64,
    pub(super) intent_cap: f64,
    pub(super) large_diff: f64,
    pub(super) tests_follow_code: f64,
    pub(super) code_intents: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPath {
    pub(super) id: String,
    pub(super) mode: String,
    pub(super) reason: String,
    pub(super) patterns: Vec<String>,
    /// How much a changed line of these files counts (generated files count little).
    #[serde(default = "one")]
    pub(super) weight: f64,
    /// These files change with whatever the commit is for (the manifest and lockfile of a
    /// dependency a feature needs, or of a release): they count like code, at their weight,
    /// serving the intent; `mode` is theirs when there is no intent.
    #[serde(default)]
    pub(super) serves_intent: bool,
}

pub(super) fn one() -> f64 {
    1.0
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWord {
    pub(super) id: String,
    pub(super) mode: String,
    pub(super) regex: String,
    pub(super) weight: f64,
    pub(super) reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawShape {
    pub(super) id: String,
    pub(super) mode: String,
    pub(super) reason: String,
    pub(super) min_added_file_share: Option<f64>,
    pub(super) min_lines: Option<u64>,
    pub(super) max_lines: Option<u64>,
    pub(super) max_files: Option<usize>,
    #[serde(default)]
    pub(super) no_added_files: bool,
    pub(super) touches: Option<String>,
}

#[derive(Debug, Clone)]
pub(super) struct PathRule {
    pub(super) id: String,
    pub(super) mode: Mode,
    pub(super) reason: String,
    pub(super) weight: f64,
    pub(super) serves_intent: bool,
}

#[derive(Debug, Clone)]
pub(super) struct WordRule {
    pub(super) id: String,
    pub(super) mode: Mode,
    pub(super) regex: Regex,
    pub(super) weight: f64,
    pub(super) reason: String,
}

#[derive(Debug, Clone)]
pub(super) struct ShapeRule {
    pub(super) id: String,
    pub(super) mode: Mode,
    pub(super) reason: String,
    pub(super) min_added_file_share: Option<f64>,
    pub(super) min_lines: Option<u64>,
    pub(super) max_lines: Option<u64>,
    pub(super) max_files: Option<usize>,
    pub(super) no_added_files: bool,
    /// The change also touches files a path rule gives to this mode.
    pub(super) touches: Option<Mode>,
}

/// A compiled rule set.
#[derive(Debug, Clone)]
pub struct Rules {
    pub(super) weights: RawWeights,
    pub(super) code_intents: Vec<Mode>,
    pub(super) types: HashMap<String, Mode>,
    pub(super) paths: Vec<PathRule>,
    pub(super) globs: GlobSet,
    /// Glob index → path rule index.
    pub(super) glob_rule: Vec<usize>,
    pub(super) words: Vec<WordRule>,
    /// All word regexes at once: one pass over the subject finds the rules worth running.
    pub(super) word_set: RegexSet,
    pub(super) shapes: Vec<ShapeRule>,
    /// Tie-break order: modes by first appearance among word rules, then the rest.
    pub(super) priority: Vec<Mode>,
    pub(super) digest: String,
    /// Generated and vendored files (`[generated]`, and a repository's own marks), and the
    /// weight of their lines.
    pub(super) generated: GlobSet,
    pub(super) generated_patterns: Vec<String>,
    pub(super) generated_weight: f64,
    /// The learned model that decides where the rules guess: the built-in one with the built-in
    /// rules, another with `--model`, none with `--no-model` or rules from a file.
    pub(super) model: Option<std::sync::Arc<super::learned::Model>>,
}

/// Compile globs as path rules do (`*` within a folder, `**` across).
fn glob_set(patterns: &[String]) -> Result<GlobSet, (String, String)> {
    let mut builder = GlobSetBuilder::new();
    for pat in patterns {
        builder.add(
            GlobBuilder::new(pat)
                .literal_separator(true)
                .build()
                .map_err(|e| (pat.clone(), e.to_string()))?,
        );
    }
    builder.build().map_err(|e| (String::new(), e.to_string()))
}

/// The paths a `.gitattributes` file marks as generated or vendored (`linguist-generated`,
/// `linguist-vendored`, or `-diff`, as GitHub's linguist reads them), as globs for
/// [`Rules::with_generated`]. A pattern without a slash matches a name at any depth; one with a
/// slash is anchored at the top, as in git.
pub fn generated_in_gitattributes(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let Some(pattern) = parts.next() else {
            continue;
        };
        let marked = parts.any(|a| {
            matches!(
                a,
                "linguist-generated"
                    | "linguist-generated=true"
                    | "linguist-vendored"
                    | "linguist-vendored=true"
                    | "-diff"
            )
        });
        if !marked || pattern.starts_with('!') {
            continue;
        }
        let anchored = pattern.trim_end_matches('/').contains('/');
        let pattern = pattern.trim_start_matches('/');
        let glob = if pattern.ends_with('/') {
            format!("{}**", pattern)
        } else {
            pattern.to_owned()
        };
        out.push(if anchored { glob } else { format!("**/{glob}") });
    }
    out
}

impl Rules {
    /// The rules shipped with agentscan, with the built-in learned model deciding where they
    /// guess (see [`super::learned`]).
    pub fn builtin() -> Self {
        Self::builtin_rules_only().with_shared_model(super::learned::builtin())
    }

    /// The built-in rules alone, without the learned model (`--no-model`).
    pub fn builtin_rules_only() -> Self {
        Self::from_toml(BUILTIN_RULES, "modes.toml (built-in)")
            .expect("the built-in rules are validated by the test suite")
    }

    /// Load rules from a file that replaces the built-in rules.
    pub fn from_file(path: &Path) -> Result<Self, RulesError> {
        let text = std::fs::read_to_string(path).map_err(|source| RulesError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::from_toml(&text, &path.display().to_string())
    }

    /// Compile rules from TOML text; `origin` names it in errors.
    pub fn from_toml(text: &str, origin: &str) -> Result<Self, RulesError> {
        let raw: RawRules = toml::from_str(text).map_err(|e| RulesError::Syntax {
            origin: origin.to_owned(),
            message: e.to_string().trim_end().to_owned(),
        })?;
        let invalid = |rule: &str, problem: String| RulesError::Invalid {
            origin: origin.to_owned(),
            rule: rule.to_owned(),
            problem,
        };
        let mode = |rule: &str, m: &str| Mode::from_str(m).map_err(|e| invalid(rule, e));
        let w = &raw.weights;
        for (name, v) in [
            ("type", w.type_),
            ("words", w.words),
            ("shape", w.shape),
            ("intent_cap", w.intent_cap),
            ("tests_follow_code", w.tests_follow_code),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(invalid(
                    "weights",
                    format!("`{name}` must be between 0 and 1"),
                ));
            }
        }
        if w.intent_cap >= 1.0 {
            return Err(invalid(
                "weights",
                "`intent_cap` must stay below 1 so that a full share of paths always decides"
                    .into(),
            ));
        }
        if w.large_diff <= 0.0 {
            return Err(invalid("weights", "`large_diff` must be positive".into()));
        }
        let code_intents = w
            .code_intents
            .iter()
            .map(|m| mode("weights", m))
            .collect::<Result<Vec<_>, _>>()?;
        let mut types = HashMap::new();
        for (t, m) in &raw.types {
            types.insert(t.to_ascii_lowercase(), mode(&format!("types.{t}"), m)?);
        }
        let mut builder = GlobSetBuilder::new();
        let mut glob_rule = Vec::new();
        let mut paths = Vec::new();
        for (i, p) in raw.path.iter().enumerate() {
            if p.patterns.is_empty() {
                return Err(invalid(&p.id, "no `patterns`".into()));
            }
            for pat in &p.patterns {
                let glob = GlobBuilder::new(pat)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| invalid(&p.id, format!("bad pattern {pat:?}: {e}")))?;
                builder.add(glob);
                glob_rule.push(i);
            }
            if !(p.weight > 0.0 && p.weight <= 1.0) {
                return Err(invalid(
                    &p.id,
                    "`weight` must be above 0 and at most 1".into(),
                ));
            }
            paths.push(PathRule {
                id: p.id.clone(),
                mode: mode(&p.id, &p.mode)?,
                reason: p.reason.clone(),
                weight: p.weight,
                serves_intent: p.serves_intent,
            });
        }
        let globs = builder
            .build()
            .map_err(|e| invalid("path", e.to_string()))?;
        let mut words = Vec::new();
        for wr in &raw.word {
            if wr.weight <= 0.0 {
                return Err(invalid(&wr.id, "`weight` must be positive".into()));
            }
            words.push(WordRule {
                id: wr.id.clone(),
                mode: mode(&wr.id, &wr.mode)?,
                regex: RegexBuilder::new(&wr.regex)
                    .case_insensitive(true)
                    .size_limit(1 << 22)
                    .build()
                    .map_err(|e| invalid(&wr.id, format!("`regex` is not a valid regex: {e}")))?,
                weight: wr.weight,
                reason: wr.reason.clone(),
            });
        }
        let word_set = RegexSetBuilder::new(raw.word.iter().map(|w| &w.regex))
            .case_insensitive(true)
            .size_limit(1 << 24)
            .build()
            .map_err(|e| invalid("word", e.to_string()))?;
        let mut shapes = Vec::new();
        for s in &raw.shape {
            if s.min_added_file_share.is_none()
                && s.min_lines.is_none()
                && s.max_lines.is_none()
                && s.max_files.is_none()
                && !s.no_added_files
                && s.touches.is_none()
            {
                return Err(invalid(
                    &s.id,
                    "a shape rule needs at least one condition".into(),
                ));
            }
            shapes.push(ShapeRule {
                id: s.id.clone(),
                mode: mode(&s.id, &s.mode)?,
                reason: s.reason.clone(),
                min_added_file_share: s.min_added_file_share,
                min_lines: s.min_lines,
                max_lines: s.max_lines,
                max_files: s.max_files,
                no_added_files: s.no_added_files,
                touches: s.touches.as_ref().map(|m| mode(&s.id, m)).transpose()?,
            });
        }
        let mut generated_weight = 1.0;
        let mut generated_patterns = Vec::new();
        if let Some(g) = &raw.generated {
            if !(g.weight > 0.0 && g.weight <= 1.0) {
                return Err(invalid(
                    "generated",
                    "`weight` must be above 0 and at most 1".into(),
                ));
            }
            generated_weight = g.weight;
            generated_patterns = g.patterns.clone();
        }
        let generated = glob_set(&generated_patterns)
            .map_err(|(pat, e)| invalid("generated", format!("bad pattern {pat:?}: {e}")))?;
        let mut priority: Vec<Mode> = Vec::new();
        for m in words.iter().map(|w| w.mode).chain(MODES) {
            if !priority.contains(&m) {
                priority.push(m);
            }
        }
        Ok(Rules {
            weights: raw.weights,
            code_intents,
            types,
            paths,
            globs,
            glob_rule,
            words,
            word_set,
            shapes,
            priority,
            digest: crate::signatures::content_digest(text),
            generated,
            generated_patterns,
            generated_weight,
            model: None,
        })
    }

    /// These rules with a repository's own generated and vendored files added (what its
    /// `.gitattributes` marks: see [`generated_in_gitattributes`]); patterns that do not compile
    /// are left out. The digest stays: the marks are the repository's, stored with it.
    pub fn with_generated(&self, extra: &[String]) -> Rules {
        let mut rules = self.clone();
        if extra.is_empty() {
            return rules;
        }
        let mut patterns = self.generated_patterns.clone();
        patterns.extend(
            extra
                .iter()
                .filter(|p| GlobBuilder::new(p).literal_separator(true).build().is_ok())
                .cloned(),
        );
        if let Ok(set) = glob_set(&patterns) {
            rules.generated = set;
            rules.generated_patterns = patterns;
        }
        rules
    }

    /// Whether `path` is a generated or vendored file (`[generated]` in the rules): its lines are
    /// counted apart from authored lines.
    pub fn is_generated(&self, path: &str) -> bool {
        self.generated.is_match(path)
    }

    /// These rules with a learned model deciding where they guess (see
    /// [`super::learned`]); the model is part of the digest, so a new one re-evaluates stored
    /// commits.
    pub fn with_model(self, model: super::learned::Model) -> Self {
        self.with_shared_model(std::sync::Arc::new(model))
    }

    /// As [`Rules::with_model`], for a model shared between rule sets; it replaces any other.
    pub fn with_shared_model(self, model: std::sync::Arc<super::learned::Model>) -> Self {
        let mut rules = self.without_model();
        rules.digest = format!("{}+{}", rules.digest, model.digest());
        rules.model = Some(model);
        rules
    }

    /// These rules alone, deciding every commit themselves.
    pub fn without_model(mut self) -> Self {
        if let Some(model) = self.model.take() {
            let suffix = format!("+{}", model.digest());
            if let Some(base) = self.digest.strip_suffix(&suffix) {
                self.digest = base.to_owned();
            }
        }
        self
    }

    /// Whether a learned model decides where these rules guess.
    pub fn has_model(&self) -> bool {
        self.model.is_some()
    }

    /// A short digest of the rules text.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// The path rule a repository path falls under, or `None` for code.
    pub(super) fn path_rule(&self, path: &str) -> Option<usize> {
        self.globs
            .matches(path)
            .into_iter()
            .map(|g| self.glob_rule[g])
            .min()
    }

    /// The mode a path alone argues for (`None` for code).
    pub fn path_mode(&self, path: &str) -> Option<Mode> {
        self.path_rule(path).map(|i| self.paths[i].mode)
    }

    /// The highest-scoring mode, ties broken by priority; `None` when every score is zero.
    pub(super) fn best(&self, scores: &[f64; 9], among: &[Mode]) -> Option<Mode> {
        let mut best: Option<(Mode, f64)> = None;
        for &m in self.priority.iter().filter(|m| among.contains(m)) {
            let s = scores[m.index()];
            if s > 0.0 && best.is_none_or(|(_, b)| s > b + 1e-9) {
                best = Some((m, s));
            }
        }
        best.map(|(m, _)| m)
    }
}
