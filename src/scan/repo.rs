//! Scanning one repository: the walk on worker threads, detection and classification there,
//! one writer thread for the store, and a first scan's counts made as it writes.

use super::*;

/// Commits sent from the walk to the writer at once.
pub(super) type Batch = Vec<StoredCommit>;

/// The aggregate of a repository's first scan, counted from its commits as they are written so
/// that the report need not read back what was just stored: on a large repository that read-back
/// was a fifth of a scan, run after the walk on one thread. It agrees with what
/// [`aggregate`] reads from the store: a first scan stores every commit it reads, reachable;
/// [`StoredCommit::view`] is the view the store gives of the row; and outcomes and sessions are
/// added once the scan has computed and stored them.
pub(super) struct FirstScan {
    key: String,
    range: TimeRange,
    stats: Stats,
    aggregate: Aggregate,
    /// Per commit written, in the order of the outcome inputs: its author time, class and whether
    /// its paths are stored, for commits the aggregate counted outcomes of (in range, no merge).
    outcome_cells: Vec<Option<crate::aggregate::OutcomeCell>>,
}

impl FirstScan {
    fn new(key: &str, opts: &ScanOptions) -> Self {
        FirstScan {
            key: key.to_owned(),
            range: opts.range,
            stats: opts.walk.stats,
            aggregate: Aggregate::new(opts.period),
            outcome_cells: Vec::new(),
        }
    }

    fn add(&mut self, c: &StoredCommit) {
        let view = c.view(self.stats);
        let counted = self.range.contains(view.time);
        if counted {
            self.aggregate.add(&self.key, &view);
        }
        self.outcome_cells
            .push(
                (counted && !view.is_merge).then(|| crate::aggregate::OutcomeCell {
                    time: view.time,
                    class: view.class,
                    has_paths: view.has_paths,
                    mode: view.mode,
                    agents: view.agents.iter().map(str::to_owned).collect(),
                }),
            );
    }

    fn outcomes(&mut self, outcomes: &crate::outcomes::Outcomes) {
        let flags = outcomes.reverted_by.iter().zip(&outcomes.reworked_by);
        for ((commit, (reverted, reworked)), familiarity) in self
            .outcome_cells
            .iter()
            .zip(flags)
            .zip(&outcomes.familiarity)
        {
            if let (Some(commit), Some(f)) = (commit, familiarity) {
                self.aggregate.add_familiarity(
                    &self.key,
                    commit,
                    *f,
                    reverted.is_some(),
                    reworked.is_some(),
                );
            }
            if let Some(commit) = commit
                && (reverted.is_some() || reworked.is_some())
            {
                self.aggregate.add_outcome(
                    &self.key,
                    commit,
                    reverted.is_some(),
                    reworked.is_some(),
                );
            }
        }
    }

    fn sessions(mut self, sessions: &[crate::session::Session]) -> Aggregate {
        for s in sessions.iter().filter(|s| self.range.contains(s.start)) {
            self.aggregate.add_session(&self.key, s);
        }
        self.aggregate.touch(&self.key);
        self.aggregate
    }
}

/// One repository to scan, and what its scan shares with the others of the run.
#[derive(Clone, Copy)]
pub(super) struct RepoScan<'a> {
    pub path: &'a Path,
    /// The store key and display name of a repository listed from a forge; `None` for a local
    /// one (keyed by its path).
    pub identity: Option<(&'a str, &'a str)>,
    pub opts: &'a ScanOptions,
    pub registry: &'a Registry,
    pub rules: &'a Rules,
    /// The threads of the walk; `None` for rayon's global pool.
    pub pool: Option<&'a rayon::ThreadPool>,
    pub progress: &'a dyn Progress,
    pub cancel: &'a AtomicBool,
}

/// Scan one repository into `store`: its outcome, a first scan's aggregate (counted as it
/// wrote), and the attestations that name no commit of it.
pub(super) fn scan_repo(
    job: RepoScan<'_>,
    store: &mut Store,
) -> Result<
    (
        RepoOutcome,
        Option<Aggregate>,
        Vec<crate::attest::Attestation>,
    ),
    StoreError,
> {
    let RepoScan {
        path,
        identity,
        opts,
        registry,
        rules,
        pool,
        progress,
        cancel,
    } = job;
    let key = identity.map_or_else(|| repo_key(path), |(k, _)| k.to_owned());
    let failed = |name: String, e: WalkError| RepoOutcome {
        name,
        key: key.clone(),
        path: path.to_owned(),
        commits: 0,
        new: None,
        status: RepoStatus::Failed(Failure::new(e)),
        unreadable: None,
    };
    let mut repo = match Repo::open(path) {
        Ok(r) => r,
        Err(e) => return Ok((failed(path.display().to_string(), e), None, Vec::new())),
    };
    if let Some((_, name)) = identity {
        repo.name = name.to_owned();
    }
    let stored = store.repository(&key, &repo.name, &path.display().to_string())?;
    let tips = match repo.tips(&opts.walk) {
        Ok(t) => t,
        Err(e) => {
            store.set_status(stored.id, "failed", Some(&e.to_string()))?;
            return Ok((failed(repo.name.clone(), e), None, Vec::new()));
        }
    };
    let attested = repo.attestations(tips.first().copied());
    // What the repository's `.gitattributes` marks as generated or vendored counts apart like
    // the rules' own list; it is kept with the repository for re-evaluation without a walk.
    let generated = tips
        .first()
        .and_then(|t| repo.tip_file(*t, ".gitattributes"))
        .map(|text| crate::classify::generated_in_gitattributes(&text))
        .unwrap_or_default();
    if generated != stored.generated {
        store.set_generated(stored.id, &generated)?;
    }
    let repo_rules = rules.with_generated(&generated);
    let rules = &repo_rules;
    let status_of = |commits: u64| {
        if tips.is_empty() && commits == 0 {
            RepoStatus::Empty
        } else if repo.shallow {
            RepoStatus::Partial
        } else {
            RepoStatus::Scanned
        }
    };
    // Nothing moved since the last complete scan: no walk at all.
    if stored.tips == tips
        && !tips.is_empty()
        && stored.status != "failed"
        && stored.stats >= opts.walk.stats
    {
        progress.repo_started(&repo.name, Some(0));
        let outcome = RepoOutcome {
            name: repo.name.clone(),
            key,
            path: path.to_owned(),
            commits: stored.commits,
            new: Some(0),
            status: status_of(stored.commits),
            unreadable: None,
        };
        // Attribution stores change without the history moving.
        if refresh_attestations(store, stored.id, &attested.by_hex(), registry, rules)? > 0 {
            settle(store, stored.id, opts.session_gap, rules, None)?;
        }
        return Ok((outcome, None, attested.repository));
    }
    let known = store.known_commits(stored.id, opts.walk.stats)?;
    let replace = known.upgrades > 0;
    let first_scan = known.complete.is_empty() && known.partial.is_empty() && !replace;
    // A first scan gathers what settling needs as it writes rather than reading it back.
    let mut gathered = first_scan.then(Gathered::default);
    let mut counted = first_scan.then(|| FirstScan::new(&key, opts));
    let scan_id = store.begin_scan(stored.id, opts.walk.stats, &tips)?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(4);
    let write_failed = AtomicBool::new(false);
    let stop = || cancel.load(Ordering::Relaxed) || write_failed.load(Ordering::Relaxed);
    let stop_flag = AtomicBool::new(false);
    let (walked, written) = std::thread::scope(|scope| {
        let walker = scope.spawn(|| {
            let run = || {
                repo.read_commits(&opts.walk, &known, progress, &stop_flag, |records| {
                    let batch: Batch = records
                        .into_iter()
                        .map(|mut r| {
                            if let Some(a) = attested.by_commit.get(&r.id.gix()) {
                                r.attestations = a.clone();
                            }
                            evaluate(r, registry, rules)
                        })
                        .collect();
                    // The writer has gone only when it failed; the walk stops soon after.
                    let _ = tx.send(batch);
                })
            };
            let result = match pool {
                Some(pool) => pool.install(run),
                None => run(),
            };
            drop(tx);
            result
        });
        let mut written: Result<(), StoreError> = Ok(());
        for batch in rx {
            if let Some(gathered) = gathered.as_mut() {
                for c in &batch {
                    gathered.add(c, rules);
                }
            }
            if let Some(counted) = counted.as_mut() {
                for c in &batch {
                    counted.add(c);
                }
            }
            if stop() {
                stop_flag.store(true, Ordering::Relaxed);
            }
            if written.is_ok() {
                written = store.write_batch(stored.id, scan_id, opts.walk.stats, replace, &batch);
                if written.is_err() {
                    write_failed.store(true, Ordering::Relaxed);
                    stop_flag.store(true, Ordering::Relaxed);
                }
            }
        }
        // What was written is kept, whatever stopped the walk.
        if written.is_ok() {
            written = store.commit_batches();
        }
        let walked = walker.join().unwrap_or_else(|_| {
            Err(WalkError::Walk {
                path: path.to_owned(),
                message: "a worker thread panicked".into(),
            })
        });
        (walked, written)
    });
    written?;
    let summary = match walked {
        Ok(s) => s,
        Err(e) => {
            store.set_status(stored.id, "failed", Some(&e.to_string()))?;
            return Ok((failed(repo.name.clone(), e), None, Vec::new()));
        }
    };
    if summary.cancelled || cancel.load(Ordering::Relaxed) {
        let outcome = RepoOutcome {
            name: repo.name.clone(),
            key,
            path: path.to_owned(),
            commits: summary.commits + summary.known,
            new: Some(summary.commits),
            status: RepoStatus::Interrupted,
            unreadable: None,
        };
        return Ok((outcome, None, Vec::new()));
    }
    let status = status_of(summary.commits + summary.known);
    let unreadable = summary.unreadable.as_ref().map(ToString::to_string);
    let (word, message) = match &status {
        RepoStatus::Empty => ("empty", None),
        RepoStatus::Partial => (
            "partial",
            Some("shallow clone: history before the shallow boundary is missing"),
        ),
        _ => ("ok", unreadable.as_deref()),
    };
    // Notes added to commits an earlier scan stored.
    let reattested = if first_scan {
        0
    } else {
        refresh_attestations(store, stored.id, &attested.by_hex(), registry, rules)?
    };
    let finished = store.finish_scan(
        &stored,
        &ScanEnd {
            scan_id,
            status: word,
            message,
            stats: opts.walk.stats,
            tips: &tips,
            new: summary.commits,
            known: summary.known,
            first: first_scan,
            fast_forward: known.partial.is_empty()
                && stored
                    .tips
                    .iter()
                    .all(|t| tips.contains(t) || summary.boundary.contains(t)),
        },
    )?;
    // New commits can revert or rework old ones and join sessions; rewritten history can undo
    // all of it.
    let counted = if first_scan || summary.commits > 0 || finished.unreachable > 0 || reattested > 0
    {
        let settled = settle(store, stored.id, opts.session_gap, rules, gathered)?;
        counted.map(|mut counted| {
            counted.outcomes(&settled.outcomes);
            counted.sessions(&settled.sessions)
        })
    } else {
        None
    };
    let outcome = RepoOutcome {
        name: repo.name.clone(),
        key,
        path: path.to_owned(),
        commits: finished.reachable,
        new: Some(summary.commits),
        status,
        unreadable: summary.unreadable.map(|u| *u),
    };
    Ok((outcome, counted, attested.repository))
}
