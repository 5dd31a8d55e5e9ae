//! Concluding about commits: detection, classification and the facts a store row carries, for
//! commits a walk read and for stored commits read again (new signatures, new rules, a note
//! added), followed by what depends on conclusions (pull requests, sessions, outcomes).

use std::collections::HashMap;

use bstr::ByteSlice;
use rayon::prelude::*;

use crate::classify::{Mode, Rules, classify};
use crate::detect::detect;
use crate::facts::CommitFacts;
use crate::model::{CommitRecord, Stats};
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
pub fn gather_outcome_inputs(
    c: &StoredCommit,
    inputs: &mut crate::outcomes::Inputs,
    rules: &Rules,
) {
    let f = c.facts();
    let i = inputs.push(
        crate::outcomes::Subject {
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

/// What depends on a repository's conclusions, brought up to date after they changed: pull
/// requests linked to their merge commits, sessions regrouped, outcome proxies computed.
pub fn settle(store: &mut Store, repo_id: i64, gap: i64, rules: &Rules) -> Result<(), StoreError> {
    store.link_pull_requests(repo_id)?;
    store.regroup_sessions(repo_id, gap)?;
    store.compute_outcomes(repo_id, rules)?;
    Ok(())
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
        settle(store, repo.id, gap, rules)?;
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
