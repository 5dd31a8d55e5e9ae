//! A learned work-mode model: multinomial logistic regression over the words of a commit message,
//! the shape of its diff, the share of changed lines each path rule claims, and the rules' own
//! vote. Linear, so a decision is explained by the features that pushed it, and fast: a commit's
//! few dozen features against a table of weights.
//!
//! Trained on silver labels (authors' Conventional Commits types mapped to modes, the type hidden
//! from the features) from public repositories, by `examples/train_modes.rs`. The design: the
//! rules keep the decisions they are sure of (a conventional type; paths that leave no doubt, such
//! as a change to CI files only) and the model decides where the rules guess from words
//! (`--model FILE` uses another; the built-in one is `model.json`, see `docs/modes-model.md`).
//!
//! Training is `train.rs`: the objective and its gradient over sparse features, minimised by
//! argmin's L-BFGS. The Rust crates for logistic regression (linfa-logistic, smartcore) work on
//! dense matrices, which tens of thousands of word features over a hundred thousand commits
//! would not fit.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use super::features::{each_feature, hash};
use super::table::{Row, Table};
use super::{MODES, Mode, ModeDecision};
use crate::model::CommitRecord;

/// The model format this build reads and writes.
pub const MODEL_VERSION: u32 = 1;

/// Why a model file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("{path}: cannot read the model: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a work-mode model: {message}")]
    Invalid { path: String, message: String },
    #[error(
        "{path}: model format {found}, but this agentscan reads format {MODEL_VERSION}: train it again with `examples/train_modes.rs`"
    )]
    Version { path: String, found: u32 },
}

/// The model as stored: features by name, one weight per mode each.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelFile {
    pub version: u32,
    /// The modes, in the order of every weight row.
    pub modes: Vec<String>,
    pub bias: Vec<f32>,
    /// Feature name → weights (one per mode), the features most training commits have first.
    pub weights: Vec<(String, Vec<f32>)>,
    /// How it was trained: repositories, commits, accuracy.
    #[serde(default)]
    pub trained_on: Vec<String>,
}

/// The model shipped with agentscan, trained by `scripts/train-modes.sh`.
const BUILTIN_MODEL: &str = include_str!("model.json");

/// The built-in model, parsed once per process.
pub fn builtin() -> Arc<Model> {
    static MODEL: OnceLock<Arc<Model>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            Arc::new(
                Model::parse(BUILTIN_MODEL, "model.json (built-in)")
                    .expect("the built-in model is validated by the test suite"),
            )
        })
        .clone()
}

/// A loaded model.
#[derive(Debug, Clone)]
pub struct Model {
    /// Feature name hash → its weights, laid out for scoring.
    index: Table,
    /// Names by hash, in debug builds only: explanations check that a hash names the feature
    /// asked for, and a release build need not copy five thousand names at start-up.
    #[cfg(debug_assertions)]
    names: rustc_hash::FxHashMap<u64, String>,
    bias: [f32; 9],
    digest: String,
}

impl Model {
    /// A model file.
    pub fn from_file(path: &Path) -> Result<Self, ModelError> {
        let text = std::fs::read_to_string(path).map_err(|source| ModelError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// A model from its text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Self, ModelError> {
        let invalid = |message: String| ModelError::Invalid {
            path: origin.to_owned(),
            message,
        };
        // The version first, so that another format says so rather than failing on a field.
        #[derive(Deserialize)]
        struct Head {
            version: u32,
        }
        let head: Head = serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
        if head.version != MODEL_VERSION {
            return Err(ModelError::Version {
                path: origin.to_owned(),
                found: head.version,
            });
        }
        let file: ModelFile = serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let expected: Vec<&str> = MODES.iter().map(|m| m.as_str()).collect();
        if file.modes != expected {
            return Err(invalid(format!(
                "modes {:?}, expected {expected:?}",
                file.modes
            )));
        }
        let row = |v: &[f32], what: &str| -> Result<[f32; 9], ModelError> {
            let r: [f32; 9] = v
                .try_into()
                .map_err(|_| invalid(format!("{what}: {} weights, expected 9", v.len())))?;
            if r.iter().any(|x| !x.is_finite()) {
                return Err(invalid(format!("{what}: a weight is not a number")));
            }
            Ok(r)
        };
        let bias = row(&file.bias, "bias")?;
        let mut rows = Vec::with_capacity(file.weights.len());
        #[cfg(debug_assertions)]
        let mut names = rustc_hash::FxHashMap::default();
        for (name, w) in &file.weights {
            let h = hash(name, "");
            rows.push((h, Row::new(row(w, name)?)));
            #[cfg(debug_assertions)]
            names.insert(h, name.clone());
        }
        let index = Table::new(rows).ok_or_else(|| invalid("too many features".into()))?;
        use sha2::Digest;
        let digest = format!("{:x}", sha2::Sha256::digest(text.as_bytes()));
        Ok(Model {
            index,
            #[cfg(debug_assertions)]
            names,
            bias,
            digest: digest[..16].to_owned(),
        })
    }

    /// Part of the rules digest: a new model re-evaluates stored commits.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// The score of each mode for a commit (see [`each_feature`]).
    pub fn scores(
        &self,
        record: &CommitRecord,
        subject: &str,
        decision: &ModeDecision,
    ) -> [f32; 9] {
        let mut s = self.bias;
        // The features' hashes first, then their weights in one tight loop: the lookups of a
        // commit are independent, and with nothing else between them the processor waits for
        // their cache misses together rather than one after another.
        let mut batch = [(0u64, 0f32); 192];
        let mut n = 0;
        each_feature(
            record,
            subject,
            decision,
            |_: &str, _: &str, h: u64, x: f32| {
                if let Some(slot) = batch.get_mut(n) {
                    *slot = (h, x);
                    n += 1;
                } else if let Some(row) = self.index.get(h) {
                    row.add_to(&mut s, x);
                }
            },
        );
        for (h, x) in &batch[..n] {
            if let Some(row) = self.index.get(*h) {
                row.add_to(&mut s, *x);
            }
        }
        s
    }

    /// The mode decided for a commit, and the model's probability of it: the model's
    /// probabilities with [`RULES_BONUS`] added to the rules' own choice.
    pub fn predict(
        &self,
        record: &CommitRecord,
        subject: &str,
        decision: &ModeDecision,
    ) -> (Mode, f32) {
        let serves = |m: Mode| decision.shares.iter().any(|(s, _)| *s == m);
        decide(
            softmax(&self.scores(record, subject, decision)),
            decision.mode,
            !decision.shares.is_empty(),
            serves,
        )
    }

    /// The probability of each mode for features by name (training and evaluation).
    pub fn probabilities_features(&self, features: &[(String, f32)]) -> [f32; 9] {
        let mut s = self.bias;
        for (name, x) in features {
            if let Some(row) = self.index.get(hash(name, "")) {
                row.add_to(&mut s, *x);
            }
        }
        softmax(&s)
    }

    /// The mode decided for features by name and the rules' choice (training and evaluation),
    /// as [`Model::predict`] decides.
    pub fn predict_features(&self, features: &[(String, f32)], rules: Mode) -> (Mode, f32) {
        decide_features(self.probabilities_features(features), features, rules)
    }

    /// The features that pushed most towards `mode` (weight × value), strongest first.
    pub fn strongest(
        &self,
        features: &[(String, f32)],
        mode: Mode,
        n: usize,
    ) -> Vec<(String, f32)> {
        let mut out: Vec<(String, f32)> = features
            .iter()
            .filter_map(|(name, x)| {
                let row = self.index.get(hash(name, ""))?;
                #[cfg(debug_assertions)]
                assert_eq!(self.names.get(&hash(name, "")), Some(name));
                let mean: f32 = (0..9).map(|i| row.weight(i)).sum::<f32>() / 9.0;
                Some((name.clone(), (row.weight(mode.index()) - mean) * x))
            })
            .filter(|(_, v)| *v > 0.0)
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1));
        out.truncate(n);
        out
    }
}

/// The mode decided from probabilities `p` of a commit with `features` by name, as
/// [`Model::predict_features`] decides (training and evaluation, where the probabilities may
/// have been moved first).
pub fn decide_features(p: [f32; 9], features: &[(String, f32)], rules: Mode) -> (Mode, f32) {
    let served = || {
        features
            .iter()
            .filter_map(|(n, _)| n.strip_prefix("share:"))
    };
    let serves = |m: Mode| served().any(|s| s == m.as_str());
    let known = served().next().is_some();
    decide(p, rules, known, serves)
}

/// What the rules' own choice adds to its probability: where the model is torn, the rules
/// decide. Leave-one-repository-out over the training set measured 0.1 to 0.2 as good as or
/// better than none (74.9% and 74.8% against 74.7%), and 0.2 keeps the edge cases of the
/// work-mode table (tests added for a fix, most lines in code, stay Fix).
pub const RULES_BONUS: f32 = 0.2;

/// The mode of highest probability once the rules' choice has its bonus, and the model's own
/// probability of that mode. `serves` says which modes the changed lines serve by their paths,
/// when `paths_known`: the model does not call a commit Test when none of its lines are tests,
/// so that the volume of the diff outweighs the words ("add tests for the parser fix" with most
/// lines in code is Fix). It may call a change to code files only Communicate: documentation
/// written in code, docstrings and doc comments, is prose for people (leave-one-out 74.7%
/// against 74.5% when Communicate was held to prose files too).
fn decide(
    p: [f32; 9],
    rules: Mode,
    paths_known: bool,
    serves: impl Fn(Mode) -> bool,
) -> (Mode, f32) {
    let mut q = p;
    q[rules.index()] += RULES_BONUS;
    let allowed = |m: Mode| !paths_known || m != Mode::Test || m == rules || serves(m);
    let i = (0..9)
        .filter(|&i| allowed(MODES[i]))
        .max_by(|&a, &b| q[a].total_cmp(&q[b]))
        .unwrap_or(rules.index());
    (MODES[i], p[i])
}

fn softmax(s: &[f32; 9]) -> [f32; 9] {
    let max = s.iter().copied().fold(f32::MIN, f32::max);
    let mut e = s.map(|v| (v - max).exp());
    let sum: f32 = e.iter().sum();
    for v in &mut e {
        *v /= sum;
    }
    e
}

/// Whether the rules' decision stands without the model: the paths alone leave no doubt (every
/// changed line under path rules of one mode other than the code modes: a change to CI files only
/// is Operate; code that an Operate word pulls along is not such a change), or silver labels never
/// teach the model such a commit: the rules chose a mode no Conventional Commits type names
/// (Orchestrate, Understand, Plan, Analyze), or it changes dependencies alone (see [`teaches`]).
pub fn rules_decide(decision: &ModeDecision) -> bool {
    let paths = decision
        .paths
        .mode()
        .is_some_and(|m| !matches!(m, Mode::Build | Mode::Fix));
    paths || !teaches(decision) || !LEARNED_MODES.contains(&decision.mode)
}

/// Whether an author's type on this commit says what work it is, so that its [`silver_label`]
/// may teach and measure the model: not on a change to manifests and lockfiles alone. A
/// dependency bump's type says which release it should make (`fix:` for a patch release where
/// semantic-release is used, `build:` elsewhere), and those commits are typed `fix` twice as
/// often as anything else, while the work-mode table calls dependency updates Build: the same
/// reason `fix(deps)` gives no label.
pub fn teaches(decision: &ModeDecision) -> bool {
    !decision.paths.dependencies_only()
}

/// Whether a person or an agent made the commit, so that its type may give a [`silver_label`]:
/// not when a bot did (renovate's `build: update dependency …`, a release bot's `docs: …`). A
/// bot's type is a line of its configuration, the same for every commit it makes, not a reading
/// of the work; and reports leave bot commits out of every work-mode mix (they are counted on
/// their own), so the model learns, and is measured on, the work reports show.
pub fn typed_by_author(record: &CommitRecord, registry: &crate::signatures::Registry) -> bool {
    crate::detect::detect(record, registry).class != crate::detect::CommitClass::Bot
}

/// The modes silver labels name (see [`silver_label`]): the only ones the model learns.
pub const LEARNED_MODES: [Mode; 5] = [
    Mode::Build,
    Mode::Fix,
    Mode::Test,
    Mode::Operate,
    Mode::Communicate,
];

/// The mode an author's Conventional Commits type names, when it names one: feat, refactor,
/// perf, style → Build; fix → Fix; test → Test; ci, build → Operate; docs → Communicate
/// (`../shared/work-modes.md`). `chore` is mixed and names none, and so do scopes that are a
/// second mode's territory (`fix(ci)`, `feat(docs)`, `fix(deps)`). Returns the mode and the
/// subject without its prefix: the silver label and what a classifier may see.
pub fn silver_label(subject: &str) -> Option<(Mode, &str)> {
    const SCOPES_NAMING_A_MODE: [&str; 14] = [
        "ci",
        "cd",
        "build",
        "deps",
        "deps-dev",
        "release",
        "docs",
        "doc",
        "test",
        "tests",
        "e2e",
        "github",
        "workflows",
        "readme",
    ];
    let (t, scope, rest) = super::conventional_type(subject)?;
    let mode = match t.as_str() {
        "feat" | "feature" | "refactor" | "perf" | "style" => Mode::Build,
        "fix" | "bugfix" => Mode::Fix,
        "test" | "tests" => Mode::Test,
        "ci" | "build" => Mode::Operate,
        "docs" | "doc" => Mode::Communicate,
        _ => return None,
    };
    if scope
        .as_deref()
        .is_some_and(|s| SCOPES_NAMING_A_MODE.contains(&s))
    {
        return None;
    }
    Some((mode, rest))
}

#[cfg(test)]
#[path = "learned_tests.rs"]
pub(super) mod tests;
