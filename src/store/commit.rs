//! A commit ready to be written: the record the walk read and what detection and classification
//! concluded (the pipeline concludes; the store only writes), with the facts aggregation reads
//! back.

use super::*;

/// One commit ready to be written: the raw record and what was concluded about it.
pub struct StoredCommit {
    /// What the walk read.
    pub record: CommitRecord,
    /// The evidence detection found.
    pub evidence: Vec<Evidence>,
    /// The summary aggregation reads back.
    pub(super) facts: CommitFacts,
    /// The mode evidence as stored.
    pub(super) mode_evidence: String,
    /// The commits the message says this one reverts (abbreviated ids, space-separated).
    pub(super) reverts: Option<String>,
}

impl StoredCommit {
    /// What aggregation and sessions read of this commit.
    pub fn facts(&self) -> &CommitFacts {
        &self.facts
    }

    /// How much of this commit's diff is stored: merges and commits read with their files carry
    /// the scan's level, the others (a scan without diffs) none.
    pub(super) fn stored_stats(&self, stats: Stats) -> Stats {
        if self.record.files.is_some() || self.record.is_merge() {
            stats
        } else {
            Stats::None
        }
    }

    /// What aggregation reads of this commit once a scan at `stats` has stored it, the outcome
    /// proxies left unset (they are known only when the repository's history is complete): the
    /// same view [`Store::for_each_fact`] gives of its row.
    pub fn view(&self, stats: Stats) -> FactsRef<'_> {
        let f = &self.facts;
        FactsRef {
            id: &f.id,
            time: f.time,
            is_merge: f.is_merge,
            class: f.class,
            role: f.role,
            agents: List::Owned(&f.agents),
            models: List::Owned(&f.models),
            review_bots: List::Owned(&f.review_bots),
            bots: List::Owned(&f.bots),
            weak: !f.weak_agents.is_empty(),
            human: f.human.as_deref(),
            mode: f.mode,
            lines_added: f.lines_added.saturating_sub(f.generated_added),
            lines_deleted: f.lines_deleted.saturating_sub(f.generated_deleted),
            generated_added: f.generated_added,
            generated_deleted: f.generated_deleted,
            human_name: f.human_name.as_deref(),
            has_paths: self.stored_stats(stats) != Stats::None,
            reverted: false,
            reworked: false,
            familiarity: None,
        }
    }

    /// A commit ready to be written: its record, evidence and facts, its work-mode evidence in
    /// the stored form, and the commits its message says it reverts (abbreviated ids,
    /// space-separated).
    pub fn new(
        record: CommitRecord,
        evidence: Vec<Evidence>,
        facts: CommitFacts,
        mode_evidence: String,
        reverts: Option<String>,
    ) -> Self {
        StoredCommit {
            record,
            evidence,
            facts,
            mode_evidence,
            reverts,
        }
    }

    /// The commits its message says it reverts, as written.
    pub fn reverts(&self) -> Option<&str> {
        self.reverts.as_deref()
    }
}
