//! Concluding about commits: detection, classification and the facts a store row carries, for
//! commits a walk read and for stored commits read again (new signatures, new rules, a note
//! added), followed by what depends on conclusions (pull requests, sessions, outcomes).

use std::collections::HashMap;

use bstr::ByteSlice;
use rayon::prelude::*;

use crate::classify::{Mode, Rules, classify};
use crate::detect::detect;
use crate::facts::CommitFacts;
use crate::model::{CommitRecord, Session, Stats};
use crate::outcomes::{Inputs, Outcomes, REWORK_WINDOW, Subject};
use crate::session::Grouping;
use crate::signatures::Registry;
use crate::store::{Store, StoreError, StoredCommit};

/// Detect and classify `record`, and prepare what is stored (on the caller's thread, so the
/// single writer only binds and steps).
pub fn evaluate(record: CommitRecord, registry: &Registry, rules: &Rules) -> StoredCommit {
    let detection = detect(&record, registry);
    let decision = classify(&record, rules);
    let facts = CommitFacts::new(&record, &detection, &decision);
    let targets = crate::outcomes::revert_targets(&record.message);
    StoredCommit::new(
        record,
        detection.evidence,
        facts,
        decision.stored(),
        (!targets.is_empty()).then(|| targets.join(" ")),
    )
}

/// Add what the outcome proxies need of commit `c` to `inputs`.
fn gather_outcome_inputs(c: &StoredCommit, inputs: &mut Inputs, rules: &Rules) {
    let f = c.facts();
    let i = inputs.push(
        Subject {
            id: f.id.clone(),
            time: f.time,
            is_merge: f.is_merge,
            is_fix: f.mode == Mode::Fix,
            paths: Vec::new(),
        },
        c.reverts(),
    );
    for file in c.record.files.iter().flatten() {
        inputs.add_path(i, &file.path.to_str_lossy(), rules);
    }
}

/// What a first scan gathers while it writes: the repository's whole reachable history as
/// sessions and outcomes read it, so that [`settle`] need not read it back from the store.
#[derive(Debug, Default)]
pub struct Gathered {
    grouping: Grouping,
    outcomes: Inputs,
}

impl Gathered {
    /// Add a commit as it is written.
    pub fn add(&mut self, c: &StoredCommit, rules: &Rules) {
        self.grouping.add_facts(c.facts());
        gather_outcome_inputs(c, &mut self.outcomes, rules);
    }
}

/// What [`settle`] computed and stored.
#[derive(Debug, Default)]
pub struct Settled {
    /// The repository's sessions.
    pub sessions: Vec<Session>,
    /// The outcome proxies, in the order commits were gathered (meaningful with [`Gathered`]).
    pub outcomes: Outcomes,
}

/// What depends on a repository's conclusions, brought up to date after they changed (a walk, a
/// reclassification, an attribution note, pull requests): pull requests linked to their merge
/// commits, sessions regrouped, outcome proxies computed. With `gathered`, sessions and
/// outcomes are computed from what a first scan gathered; otherwise from the store.
pub fn settle(
    store: &mut Store,
    repo_id: i64,
    gap: i64,
    rules: &Rules,
    gathered: Option<Gathered>,
) -> Result<Settled, StoreError> {
    let linked = store.link_pull_requests(repo_id)?;
    // A linked pull request changes what the gathered commits concluded: read them back.
    let gathered = gathered.filter(|_| linked == 0);
    let (mut grouping, inputs, stored) = match gathered {
        Some(Gathered { grouping, outcomes }) => (grouping, outcomes, None),
        None => {
            let mut grouping = Grouping::default();
            store.each_work_commit(repo_id, |c| {
                grouping.add(c.id, c.time, c.actor, c.agents, c.hint, c.mode, c.lines)
            })?;
            let mut inputs = Inputs::default();
            let mut stored = Vec::new();
            for s in store.outcome_subjects(repo_id)? {
                let i = inputs.push(
                    Subject {
                        id: s.id,
                        time: s.time,
                        is_merge: s.is_merge,
                        is_fix: s.is_fix,
                        paths: Vec::new(),
                    },
                    s.reverts.as_deref(),
                );
                for path in &s.paths {
                    inputs.add_path(i, path, rules);
                }
                stored.push(s.stored);
            }
            (grouping, inputs, Some(stored))
        }
    };
    let mut grouped = grouping.group(gap);
    drop(std::mem::take(&mut grouping));
    store.write_sessions(repo_id, &mut grouped)?;
    let outcomes = inputs.compute(REWORK_WINDOW);
    let subjects = &inputs.subjects;
    let id_of = |x: Option<usize>| x.map(|i| subjects[i].id.as_str());
    let changed = subjects.iter().enumerate().filter_map(|(i, s)| {
        let new = (
            id_of(outcomes.reverted_by[i]),
            id_of(outcomes.reworked_by[i]),
        );
        let was = stored
            .as_ref()
            .map_or((None, None), |o| (o[i].0.as_deref(), o[i].1.as_deref()));
        (new != was).then_some((s.id.as_str(), new.0, new.1))
    });
    store.write_outcomes(repo_id, changed, stored.is_some())?;
    Ok(Settled {
        sessions: grouped.sessions,
        outcomes,
    })
}

/// Re-evaluate every stored commit from its raw fields with `registry` and `rules`, without git,
/// and settle each repository. Returns the number of commits re-evaluated.
pub fn reclassify(
    store: &mut Store,
    registry: &Registry,
    rules: &Rules,
    gap: i64,
) -> Result<u64, StoreError> {
    let mut total = 0u64;
    for repo in store.repositories(&[])? {
        let evaluated = conclude(store.stored_records(repo.id)?, registry, rules);
        total += evaluated.len() as u64;
        for chunk in evaluated.chunks(2048) {
            store.rewrite_conclusions(repo.id, chunk)?;
        }
        settle(store, repo.id, gap, rules, None)?;
    }
    store.stamp(registry, rules.digest())?;
    Ok(total)
}

/// Store what the attribution stores say now (`current`, by commit id) and conclude again about
/// the stored commits it changed. Returns how many changed; the caller settles.
pub fn refresh_attestations(
    store: &mut Store,
    repo_id: i64,
    current: &HashMap<String, Vec<crate::attest::Attestation>>,
    registry: &Registry,
    rules: &Rules,
) -> Result<u64, StoreError> {
    let changed = store.replace_attestations(repo_id, current)?;
    let evaluated = conclude(changed, registry, rules);
    store.rewrite_conclusions(repo_id, &evaluated)?;
    Ok(evaluated.len() as u64)
}

fn conclude(
    records: Vec<(Stats, CommitRecord)>,
    registry: &Registry,
    rules: &Rules,
) -> Vec<(Stats, StoredCommit)> {
    records
        .into_par_iter()
        .map(|(stats, r)| (stats, evaluate(r, registry, rules)))
        .collect()
}
