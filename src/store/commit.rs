//! A commit ready to be written: the record the walk read and what detection and classification
//! concluded, with the facts aggregation reads back.

use super::*;

/// One commit ready to be written: the raw record and what was concluded about it.
pub struct StoredCommit {
    /// What the walk read.
    pub record: CommitRecord,
    /// What detection concluded.
    pub detection: Detection,
    /// The work mode and its evidence.
    pub decision: ModeDecision,
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
            lines_added: f.lines_added,
            lines_deleted: f.lines_deleted,
            human_name: f.human_name.as_deref(),
            has_paths: self.stored_stats(stats) != Stats::None,
            reverted: false,
            reworked: false,
        }
    }

    /// Add what the outcome proxies need of this commit to `inputs`.
    pub fn gather_outcome_inputs(&self, inputs: &mut crate::outcomes::Inputs, rules: &Rules) {
        let f = &self.facts;
        let i = inputs.push(
            crate::outcomes::Subject {
                id: f.id.clone(),
                time: f.time,
                is_merge: f.is_merge,
                is_fix: f.mode == Mode::Fix,
                paths: Vec::new(),
            },
            self.reverts.as_deref(),
        );
        for file in self.record.files.iter().flatten() {
            inputs.add_path(i, &file.path.to_str_lossy(), rules);
        }
    }

    /// Detect and classify `record`, and prepare what is stored (on the caller's thread, so the
    /// single writer only binds and steps).
    pub fn evaluate(record: CommitRecord, registry: &Registry, rules: &Rules) -> Self {
        let detection = detect(&record, registry);
        let decision = classify(&record, rules);
        let facts = CommitFacts::new(&record, &detection, &decision);
        let mode_evidence = mode_evidence(&decision);
        let targets = crate::outcomes::revert_targets(&record.message);
        StoredCommit {
            record,
            detection,
            decision,
            facts,
            mode_evidence,
            reverts: (!targets.is_empty()).then(|| targets.join(" ")),
        }
    }
}
