//! Detection on commit messages and identities: every signature family and every commit-level trap
//! of the catalogue, on messages shaped like the real ones.

use agentscan::detect::{CommitClass, Detection, detect};
use agentscan::model::{CommitRecord, Person};
use agentscan::signatures::{Category, Confidence, EvidenceKind, Registry, Role};

fn person(ident: &str) -> Person {
    let (name, email) = ident.rsplit_once(" <").expect("Name <email>");
    Person {
        name: name.into(),
        email: email.trim_end_matches('>').into(),
        time: 1_767_225_600, // 2026-01-01
        offset: 0,
    }
}

fn record(author: &str, message: &[u8]) -> CommitRecord {
    record_full(author, author, message, 1)
}

fn record_full(author: &str, committer: &str, message: &[u8], parents: usize) -> CommitRecord {
    CommitRecord {
        id: agentscan::model::Oid::null(),
        tree: agentscan::model::Oid::empty_tree(),
        files: None,
        attestations: Vec::new(),
        parents: vec![agentscan::model::Oid::null(); parents],
        author: person(author),
        committer: person(committer),
        message: message.into(),
    }
}

fn run(author: &str, message: &str) -> Detection {
    detect(&record(author, message.as_bytes()), &Registry::builtin())
}

const HUMAN: &str = "Ann Example <ann@example.com>";

fn assert_agent(d: &Detection, agents: &[&str], models: &[&str], role: Role) {
    assert_eq!(d.class, CommitClass::Agent, "{d:#?}");
    assert_eq!(d.agents, agents, "{d:#?}");
    assert_eq!(d.models, models, "{d:#?}");
    assert_eq!(d.role, Some(role), "{d:#?}");
}

fn assert_human(d: &Detection) {
    assert_eq!(d.class, CommitClass::Human, "{d:#?}");
    assert!(d.agents.is_empty(), "{d:#?}");
    assert!(d.models.is_empty(), "{d:#?}");
}

mod agents;
mod apps;
mod bots;
mod corpus_bar;
mod layout;
mod pulls;
mod statements;
