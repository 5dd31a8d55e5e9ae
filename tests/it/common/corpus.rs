//! The labelled detection corpus (`tests/corpus/`): loading it, running detection over it, and
//! scoring the result against the labels. Shared by the corpus test and `examples/eval_detect.rs`.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use agentscan::detect::{CommitClass, Detection, detect};
use agentscan::model::{CommitRecord, Person};
use agentscan::signatures::Registry;

/// One labelled commit.
pub struct Labelled {
    pub repo: String,
    pub id: String,
    pub record: CommitRecord,
    pub class: CommitClass,
    pub agents: BTreeSet<String>,
    pub note: String,
}

pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// Every repository of the corpus, in `repos.toml` order.
pub fn repositories() -> Vec<String> {
    let text = std::fs::read_to_string(corpus_dir().join("repos.toml")).expect("repos.toml");
    let value: toml::Value = toml::from_str(&text).expect("repos.toml parses");
    value["repo"]
        .as_array()
        .expect("[[repo]] entries")
        .iter()
        .map(|r| r["name"].as_str().expect("name").to_owned())
        .collect()
}

/// The commits of one repository with their labels.
pub fn load(repo: &str) -> Vec<Labelled> {
    let dir = corpus_dir();
    let labels_text = std::fs::read_to_string(dir.join("labels").join(format!("{repo}.txt")))
        .unwrap_or_else(|e| panic!("labels for {repo}: {e}"));
    let mut labels: Vec<(String, CommitClass, BTreeSet<String>, String)> = Vec::new();
    for line in labels_text.lines() {
        let (body, note) = line.split_once('#').unwrap_or((line, ""));
        let mut words = body.split_whitespace();
        let Some(prefix) = words.next() else { continue };
        let class = match words.next() {
            Some("agent") => CommitClass::Agent,
            Some("human") => CommitClass::Human,
            Some("bot") => CommitClass::Bot,
            other => panic!("{repo}: bad label {other:?} for {prefix}"),
        };
        let agents = words
            .next()
            .map(|a| a.split(',').map(str::to_owned).collect())
            .unwrap_or_default();
        labels.push((prefix.to_owned(), class, agents, note.trim().to_owned()));
    }
    let data = std::fs::read_to_string(dir.join(format!("{repo}.jsonl")))
        .unwrap_or_else(|e| panic!("commits of {repo}: {e}"));
    let mut out = Vec::new();
    for line in data.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON commit");
        let id = v["id"].as_str().expect("id").to_owned();
        let label = labels
            .iter()
            .find(|(p, ..)| id.starts_with(p.as_str()))
            .unwrap_or_else(|| panic!("{repo}: no label for {id}"));
        let person = |key: &str| {
            let pair = v[key].as_array().expect("identity");
            Person {
                name: pair[0].as_str().unwrap_or_default().into(),
                email: pair[1].as_str().unwrap_or_default().into(),
                time: v["time"].as_i64().unwrap_or_default(),
                offset: 0,
            }
        };
        let null = agentscan::model::Oid::null();
        let parents = v["parents"].as_u64().unwrap_or(1) as usize;
        out.push(Labelled {
            repo: repo.to_owned(),
            record: CommitRecord {
                id: agentscan::model::Oid::from_hex(&id).unwrap_or(null),
                tree: null,
                parents: vec![null; parents],
                author: person("author"),
                committer: person("committer"),
                message: v["message"].as_str().unwrap_or_default().into(),
                files: None,
                attestations: Vec::new(),
            },
            id,
            class: label.1,
            agents: label.2.clone(),
            note: label.3.clone(),
        });
    }
    out
}

/// Agreement counts.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub tp: u64,
    pub fp: u64,
    pub fn_: u64,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        let d = self.tp + self.fp;
        if d == 0 {
            1.0
        } else {
            self.tp as f64 / d as f64
        }
    }
    pub fn recall(&self) -> f64 {
        let d = self.tp + self.fn_;
        if d == 0 {
            1.0
        } else {
            self.tp as f64 / d as f64
        }
    }
    fn add(&mut self, gold: bool, predicted: bool) {
        match (gold, predicted) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => {}
        }
    }
}

/// One commit where agentscan and the label disagree.
pub struct Disagreement {
    pub repo: String,
    pub id: String,
    pub gold: String,
    pub predicted: String,
    pub subject: String,
    pub note: String,
    pub evidence: Vec<String>,
}

/// The whole evaluation.
#[derive(Default)]
pub struct Evaluation {
    /// Agent commits (class agent) per repository.
    pub repos: BTreeMap<String, Counts>,
    /// Per agent id: the commits naming it.
    pub agents: BTreeMap<String, Counts>,
    pub overall: Counts,
    /// (gold class, predicted class) → commits.
    pub classes: BTreeMap<(CommitClass, CommitClass), u64>,
    pub commits: u64,
    pub disagreements: Vec<Disagreement>,
}

fn describe(class: CommitClass, agents: &BTreeSet<String>) -> String {
    if agents.is_empty() {
        class.as_str().to_owned()
    } else {
        format!(
            "{} {}",
            class.as_str(),
            agents.iter().cloned().collect::<Vec<_>>().join(",")
        )
    }
}

/// Run detection over every commit of `repos` and score it.
pub fn evaluate(registry: &Registry, repos: &[String]) -> Evaluation {
    let mut e = Evaluation::default();
    for repo in repos {
        for c in load(repo) {
            let d: Detection = detect(&c.record, registry);
            let predicted: BTreeSet<String> = d.agents.iter().cloned().collect();
            let gold_agent = c.class == CommitClass::Agent;
            let pred_agent = d.class == CommitClass::Agent;
            e.commits += 1;
            e.overall.add(gold_agent, pred_agent);
            e.repos
                .entry(repo.clone())
                .or_default()
                .add(gold_agent, pred_agent);
            *e.classes.entry((c.class, d.class)).or_default() += 1;
            for a in c.agents.union(&predicted) {
                e.agents
                    .entry(a.clone())
                    .or_default()
                    .add(c.agents.contains(a), predicted.contains(a));
            }
            if c.class != d.class || c.agents != predicted {
                e.disagreements.push(Disagreement {
                    repo: repo.clone(),
                    id: c.id.clone(),
                    gold: describe(c.class, &c.agents),
                    predicted: describe(d.class, &predicted),
                    subject: agentscan::message::subject_line(&c.record.message).to_string(),
                    note: c.note.clone(),
                    evidence: d
                        .evidence
                        .iter()
                        .map(|ev| {
                            format!(
                                "{} {} {} {:?}",
                                ev.confidence, ev.agent, ev.location, ev.text
                            )
                        })
                        .collect(),
                });
            }
        }
    }
    e
}
