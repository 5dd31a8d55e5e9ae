//! Reading the attribution stores beside a history (see [`crate::attest`]): the notes refs of
//! git-ai, Agent Blame and whogitit, and Agent Trace records at the tip. Notes trees name each
//! annotated object by its hex id, split into fan-out folders (`ab/cdef…`) once they grow; both
//! layouts are read. Most repositories have none of these, and then this is a few ref lookups.

use std::collections::HashMap;

use bstr::ByteSlice;
use gix::ObjectId;

use crate::attest::{AGENT_TRACE_PATH, AttestSource, Attestation, parse_agent_trace, parse_note};

use super::Repo;

/// Notes or trace files larger than this are not read: no real attestation comes close.
const MAX_NOTE: usize = 1 << 20;
const MAX_TRACE_FILE: usize = 64 << 20;
/// At most this many notes per ref: a bound on what a hostile repository can make a scan read.
const MAX_NOTES: usize = 2_000_000;

/// What the attribution stores of a repository say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attestations {
    /// By the commit they name.
    pub by_commit: HashMap<ObjectId, Vec<Attestation>>,
    /// Naming no commit of this repository (an Agent Trace record without a revision, or with one
    /// the repository does not have): repository-level evidence.
    pub repository: Vec<Attestation>,
}

impl Attestations {
    /// Whether no store said anything.
    pub fn is_empty(&self) -> bool {
        self.by_commit.is_empty() && self.repository.is_empty()
    }

    /// The attestations by commit id in hex, as the store keeps them.
    pub fn by_hex(&self) -> HashMap<String, Vec<Attestation>> {
        self.by_commit
            .iter()
            .map(|(id, a)| (id.to_string(), a.clone()))
            .collect()
    }
}

impl Repo {
    /// Read every attribution store of the repository: the notes refs, and the Agent Trace file
    /// in the tree of `tip`. A store that cannot be read is skipped; nothing here fails a scan.
    pub fn attestations(&self, tip: Option<ObjectId>) -> Attestations {
        let repo = self.local();
        let mut out = Attestations::default();
        for source in AttestSource::NOTES {
            read_notes(&repo, source, &mut out);
        }
        if let Some(tip) = tip {
            read_agent_trace(&repo, tip, &mut out);
        }
        for list in out.by_commit.values_mut() {
            list.sort();
            list.dedup();
        }
        out.repository.sort();
        out.repository.dedup();
        out
    }

    /// What the attribution stores say of commit `id`, with Agent Trace records read at `HEAD`.
    pub fn attestations_of(&self, id: ObjectId) -> Vec<Attestation> {
        let head = self.local().head_id().ok().map(|h| h.detach());
        self.attestations(head)
            .by_commit
            .remove(&id)
            .unwrap_or_default()
    }
}

fn read_notes(repo: &gix::Repository, source: AttestSource, out: &mut Attestations) {
    let Ok(Some(mut reference)) = repo.try_find_reference(source.location()) else {
        return;
    };
    let Ok(commit) = reference.peel_to_commit() else {
        return;
    };
    let Ok(tree) = commit.tree() else {
        return;
    };
    let mut recorder = gix::traverse::tree::Recorder::default();
    if tree.traverse().breadthfirst(&mut recorder).is_err() {
        return;
    }
    for entry in recorder
        .records
        .iter()
        .filter(|e| e.mode.is_blob())
        .take(MAX_NOTES)
    {
        // `ab/cdef…` and `abcdef…` both name object abcdef….
        let hex: Vec<u8> = entry
            .filepath
            .iter()
            .copied()
            .filter(|&b| b != b'/')
            .collect();
        let Ok(annotated) = ObjectId::from_hex(&hex) else {
            continue;
        };
        let Ok(blob) = repo.find_object(entry.oid) else {
            continue;
        };
        if blob.data.len() > MAX_NOTE {
            continue;
        }
        let found = parse_note(source, &blob.data);
        if found.is_empty() {
            continue;
        }
        if repo.find_commit(annotated).is_ok() {
            out.by_commit.entry(annotated).or_default().extend(found);
        } else {
            out.repository.extend(found);
        }
    }
}

fn read_agent_trace(repo: &gix::Repository, tip: ObjectId, out: &mut Attestations) {
    let Some(tree) = repo.find_commit(tip).ok().and_then(|c| c.tree().ok()) else {
        return;
    };
    let Ok(Some(entry)) = tree.lookup_entry_by_path(AGENT_TRACE_PATH) else {
        return;
    };
    let Ok(object) = entry.object() else {
        return;
    };
    if object.kind != gix::object::Kind::Blob || object.data.len() > MAX_TRACE_FILE {
        return;
    }
    for (revision, a) in parse_agent_trace(object.data.as_bstr()) {
        let id = revision
            .and_then(|r| ObjectId::from_hex(r.as_bytes()).ok())
            .filter(|id| repo.find_commit(*id).is_ok());
        match id {
            Some(id) => out.by_commit.entry(id).or_default().push(a),
            None => out.repository.push(a),
        }
    }
}
