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
            actor: f.actor.clone(),
            files: Vec::new(),
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
    let (grouping, inputs, stored) = match gathered {
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
                        actor: s.actor,
                        files: Vec::new(),
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
    // A whole history's worth of members: freed before the outcomes are computed.
    drop(grouping);
    store.write_sessions(repo_id, &mut grouped)?;
    let outcomes = inputs.compute(REWORK_WINDOW);
    let subjects = &inputs.subjects;
    let id_of = |x: Option<usize>| x.map(|i| subjects[i].id.as_str());
    let changed = subjects.iter().enumerate().filter_map(|(i, s)| {
        let new = (
            id_of(outcomes.reverted_by[i]),
            id_of(outcomes.reworked_by[i]),
            outcomes.familiarity[i],
        );
        let was = stored.as_ref().map_or((None, None, None), |o| {
            (o[i].0.as_deref(), o[i].1.as_deref(), o[i].2)
        });
        (new != was).then_some((s.id.as_str(), new))
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
        let rules = &rules.with_generated(&repo.generated);
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

#[cfg(test)]
mod tests {
    //! Settling from what a first scan gathered and settling from the store must agree: the
    //! first is a shortcut for the second.

    use super::*;
    use crate::model::{FileChange, FileStatus, Oid, Person};
    use crate::store::{Filter, Location, ScanEnd};

    const DAY: i64 = 86_400;

    fn oid(n: u32) -> Oid {
        Oid::from_hex(&format!("{n:040x}")).expect("hex")
    }

    fn commit(n: u32, day: i64, who: &str, message: &str, path: &str) -> CommitRecord {
        let person = Person {
            name: who.into(),
            email: format!("{who}@example.com").into(),
            time: 1_767_225_600 + day * DAY + i64::from(n) * 60,
            offset: 0,
        };
        CommitRecord {
            id: oid(n),
            tree: Oid::empty_tree(),
            parents: if n > 1 { vec![oid(n - 1)] } else { Vec::new() },
            author: person.clone(),
            committer: person,
            message: message.into(),
            files: Some(vec![FileChange {
                path: path.into(),
                old_path: None,
                status: FileStatus::Modified,
                lines: Some((10, 2)),
                binary: false,
            }]),
            attestations: Vec::new(),
        }
    }

    /// A small history: two people, one with Claude Code; a fix that reworks a feature within
    /// the window, and a revert.
    fn history() -> Vec<CommitRecord> {
        let claude = "\n\nCo-Authored-By: Claude Opus 4.5 <noreply@anthropic.com>";
        vec![
            commit(1, 0, "ana", "Add the parser", "src/parse.rs"),
            commit(
                2,
                0,
                "ana",
                &format!("Add parser options{claude}"),
                "src/parse.rs",
            ),
            commit(3, 3, "ben", "Add the exporter", "src/export.rs"),
            commit(
                4,
                5,
                "ana",
                "fix: parser drops the last line",
                "src/parse.rs",
            ),
            commit(
                5,
                30,
                "ben",
                &format!(
                    "Revert \"Add the exporter\"\n\nThis reverts commit {}.",
                    oid(3)
                ),
                "src/export.rs",
            ),
        ]
    }

    fn scanned(gather: bool) -> (Store, Settled) {
        let (registry, rules) = (Registry::builtin(), Rules::builtin());
        let mut store = Store::open(&Location::Memory, true, &|_| {}).expect("store");
        let repo = store.repository("/x", "x", "/x").expect("repository");
        let scan = store.begin_scan(repo.id, Stats::Lines, &[]).expect("scan");
        let mut gathered = gather.then(Gathered::default);
        let batch: Vec<StoredCommit> = history()
            .into_iter()
            .map(|r| evaluate(r, &registry, &rules))
            .collect();
        if let Some(g) = gathered.as_mut() {
            for c in &batch {
                g.add(c, &rules);
            }
        }
        store
            .write_batch(repo.id, scan, Stats::Lines, false, &batch)
            .expect("write");
        store.commit_batches().expect("commit");
        let tips = [oid(5).gix()];
        store
            .finish_scan(
                &repo,
                &ScanEnd {
                    scan_id: scan,
                    status: "ok",
                    message: None,
                    stats: Stats::Lines,
                    tips: &tips,
                    new: 5,
                    known: 0,
                    first: true,
                    fast_forward: true,
                },
            )
            .expect("finish");
        let settled = settle(&mut store, repo.id, 3600, &rules, gathered).expect("settle");
        (store, settled)
    }

    fn stored_outcomes(store: &Store) -> Vec<(String, Option<String>, Option<String>)> {
        let mut v: Vec<_> = store
            .outcome_subjects(1)
            .expect("subjects")
            .into_iter()
            .map(|s| (s.id, s.stored.0, s.stored.1))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn settling_what_a_first_scan_gathered_equals_settling_from_the_store() {
        let (gathered, from_gathered) = scanned(true);
        let (read_back, from_store) = scanned(false);
        let sessions = |s: &Store| {
            let mut v: Vec<_> = s
                .sessions(&Filter::default())
                .expect("sessions")
                .into_iter()
                .map(|(_, s)| s)
                .collect();
            v.sort_by(|a, b| a.id.cmp(&b.id));
            v
        };
        assert_eq!(sessions(&gathered), sessions(&read_back));
        assert_eq!(stored_outcomes(&gathered), stored_outcomes(&read_back));
        assert_eq!(from_gathered.sessions.len(), from_store.sessions.len());
        // Ana's two commits of day 0 are two sessions (one with an agent, one without); every
        // other commit stands alone.
        assert_eq!(from_store.sessions.len(), 5);
        assert_eq!(
            from_store.sessions.iter().filter(|s| s.is_agent()).count(),
            1
        );
        let outcomes = stored_outcomes(&read_back);
        let hex = |n: u32| oid(n).to_string();
        // The exporter was reverted; the parser commits were reworked by the fix five days later.
        assert!(
            outcomes.contains(&(hex(3), Some(hex(5)), None)),
            "{outcomes:?}"
        );
        assert!(
            outcomes.contains(&(hex(1), None, Some(hex(4)))),
            "{outcomes:?}"
        );
        assert!(
            outcomes.contains(&(hex(2), None, Some(hex(4)))),
            "{outcomes:?}"
        );
        assert!(outcomes.contains(&(hex(4), None, None)), "{outcomes:?}");
    }
}
