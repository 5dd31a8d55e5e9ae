//! The pipeline: sources → repositories → walk → detect → classify → store → aggregate.
//!
//! The only function that knows every stage. Repositories are scanned one after another, each with
//! all threads: the walk reads only commits the store does not hold yet, worker threads detect and
//! classify them, and this thread writes each batch to the store in its own transaction. Reports are
//! then aggregated from the store, so a re-scan and a report of the same data always agree; a
//! repository's first scan counts its commits as it writes them instead, with the same view of each
//! commit the store gives, so it need not read back what it just wrote. A repository that fails is
//! recorded and the scan goes on.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::aggregate::Aggregate;
use crate::classify::Rules;
use crate::period::{Period, TimeRange};
use crate::progress::Progress;
use crate::signatures::Registry;
use crate::source::clone::{RemoteSpec, clone_path, remote_key, sync};
use crate::source::discover;
use crate::source::github::{Forge, Owner, RemoteRepo};
use crate::store::{Filter, ScanEnd, Store, StoreError, StoredCommit};
use crate::walk::{Repo, Stats, WalkError, WalkOptions};

/// How remote repositories are listed, filtered and cloned.
#[derive(Debug, Clone, Default)]
pub struct RemoteOptions {
    /// Where bare clones live.
    pub clone_dir: PathBuf,
    /// Answers HTTPS authentication when cloning; never stored.
    pub token: Option<String>,
    /// List forks too.
    pub include_forks: bool,
    /// List archived repositories too.
    pub include_archived: bool,
    /// Only repositories with all these topics.
    pub topics: Vec<String>,
    /// Only repositories whose name matches.
    pub name_match: Option<regex::Regex>,
    /// At most this many listed repositories per owner.
    pub limit: Option<usize>,
    /// Read pull requests of GitHub repositories.
    pub pull_requests: bool,
}

/// Everything a scan needs besides the registry, the rules and the store.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Repositories or folders of repositories.
    pub paths: Vec<PathBuf>,
    /// Repository URLs (any git host) to clone and scan.
    pub urls: Vec<String>,
    /// GitHub organisations and users whose repositories to clone and scan.
    pub owners: Vec<crate::source::github::Owner>,
    /// Listing, filtering and cloning of remote repositories.
    pub remote: RemoteOptions,
    /// Only commits authored in this range are reported (all are stored).
    pub range: TimeRange,
    /// Worker threads.
    pub jobs: usize,
    /// Which commits to walk, and how much of their diffs.
    pub walk: WalkOptions,
    /// Bucket length of the aggregate.
    pub period: Period,
    /// Longest pause between two commits of one session, in seconds.
    pub session_gap: i64,
    /// Re-evaluate every stored commit even when registry, rules and version are unchanged.
    pub reclassify: bool,
}

/// How the scan of one repository ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepoStatus {
    /// Every reachable commit is stored.
    Scanned,
    /// The repository has no commits (unborn HEAD).
    Empty,
    /// The repository is shallow: history ends at the shallow boundary.
    Partial,
    /// The repository could not be read; nothing new of it is counted.
    Failed(String),
    /// The scan was interrupted; what was read is stored and the next scan resumes.
    Interrupted,
}

/// One repository of a scan.
#[derive(Debug, Clone)]
pub struct RepoOutcome {
    /// Display name.
    pub name: String,
    /// Identity in the store: the canonical path.
    pub key: String,
    /// The path scanned.
    pub path: PathBuf,
    /// Reachable commits of the repository in the store.
    pub commits: u64,
    /// Commits read from git in this run; `None` for outcomes rebuilt from the store alone.
    pub new: Option<u64>,
    /// How it ended.
    pub status: RepoStatus,
}

/// The result of a scan.
#[derive(Debug, Clone)]
pub struct ScanOutcome {
    /// Counts per repository and period, from the store.
    pub aggregate: Aggregate,
    /// Every repository, in scan order, failed ones included.
    pub repos: Vec<RepoOutcome>,
    /// Stored commits re-evaluated because the registry, rules or version changed.
    pub reclassified: u64,
    /// Whether the scan was interrupted.
    pub interrupted: bool,
    /// Agent configuration files per repository key.
    pub configs: std::collections::BTreeMap<String, Vec<crate::store::ConfigRow>>,
}

impl RepoOutcome {
    /// The outcome of a stored repository, for reports made without scanning.
    pub fn from_store(r: &crate::store::StoredRepo) -> Self {
        let status = match r.status.as_str() {
            "empty" => RepoStatus::Empty,
            "partial" => RepoStatus::Partial,
            "failed" => RepoStatus::Failed(r.message.clone().unwrap_or_default()),
            _ => RepoStatus::Scanned,
        };
        RepoOutcome {
            name: r.name.clone(),
            key: r.key.clone(),
            path: PathBuf::from(&r.path),
            commits: r.commits,
            new: None,
            status,
        }
    }
}

impl ScanOutcome {
    /// Repositories that failed.
    pub fn failures(&self) -> impl Iterator<Item = &RepoOutcome> {
        self.repos
            .iter()
            .filter(|r| matches!(r.status, RepoStatus::Failed(_)))
    }
}

/// Find the repositories of `paths`, in the order given, without duplicates; a path that holds
/// none becomes a failed outcome in its place.
pub fn resolve_paths(paths: &[PathBuf]) -> Vec<Result<PathBuf, RepoOutcome>> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for p in paths {
        match discover(p) {
            Ok(found) => {
                for r in found {
                    let canon = r.canonicalize().unwrap_or_else(|_| r.clone());
                    if seen.insert(canon) {
                        out.push(Ok(r));
                    }
                }
            }
            Err(e) => out.push(Err(RepoOutcome {
                name: p.display().to_string(),
                key: p.display().to_string(),
                path: p.clone(),
                commits: 0,
                new: None,
                status: RepoStatus::Failed(e.to_string()),
            })),
        }
    }
    out
}

/// A repository to scan: local, cloned from somewhere, or already failed (kept in place so that
/// outcomes come in the order sources were given).
enum Target {
    Local(PathBuf),
    Remote(RemoteSpec),
    Failed(RepoOutcome),
}

fn failed_outcome(name: String, key: String, path: PathBuf, message: String) -> RepoOutcome {
    RepoOutcome {
        name,
        key,
        path,
        commits: 0,
        new: None,
        status: RepoStatus::Failed(message),
    }
}

/// The spec of a repository URL given by the user.
fn url_spec(url: &str, github_host: &str) -> Result<RemoteSpec, String> {
    let (host, owner, name) = remote_key(url).map_err(|e| e.to_string())?;
    let github = (host == github_host && !owner.is_empty()).then(|| format!("{owner}/{name}"));
    Ok(RemoteSpec {
        url: url.to_owned(),
        key: [host.as_str(), owner.as_str(), name.as_str()]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("/"),
        // Local paths and file URLs are named by their folder; hosted ones by owner/name.
        name: if owner.is_empty() || host == "local" {
            name
        } else {
            format!("{owner}/{name}")
        },
        github,
    })
}

/// The repositories of an owner that pass the filters.
fn listed(repos: Vec<RemoteRepo>, opts: &RemoteOptions) -> Vec<RemoteRepo> {
    let mut out: Vec<RemoteRepo> = repos
        .into_iter()
        .filter(|r| opts.include_forks || !r.fork)
        .filter(|r| opts.include_archived || !r.archived)
        .filter(|r| {
            opts.topics
                .iter()
                .all(|t| r.topics.iter().any(|x| x.eq_ignore_ascii_case(t)))
        })
        .filter(|r| opts.name_match.as_ref().is_none_or(|m| m.is_match(&r.name)))
        .collect();
    if let Some(n) = opts.limit {
        out.truncate(n);
    }
    out
}

/// Scan every source of `opts` into `store`, then aggregate what was scanned. `forge` lists
/// organisations and users and reads pull requests.
pub fn scan(
    opts: &ScanOptions,
    registry: &Registry,
    rules: &Rules,
    store: &mut Store,
    forge: Option<&dyn Forge>,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<ScanOutcome, StoreError> {
    let reclassified = if opts.reclassify || store.needs_reclassify(registry, rules)? {
        store.reclassify(registry, rules, opts.session_gap)?
    } else {
        0
    };
    store.stamp(registry, rules)?;
    let mut outcomes: Vec<RepoOutcome> = Vec::new();
    // Repositories whose first scan counted their aggregate as it wrote them.
    let mut counted: std::collections::HashMap<String, Aggregate> = Default::default();
    let mut targets: Vec<Target> = Vec::new();
    for entry in resolve_paths(&opts.paths) {
        match entry {
            Ok(p) => targets.push(Target::Local(p)),
            Err(failed) => targets.push(Target::Failed(failed)),
        }
    }
    for url in &opts.urls {
        match url_spec(url, "github.com") {
            Ok(spec) => targets.push(Target::Remote(spec)),
            Err(message) => targets.push(Target::Failed(failed_outcome(
                url.clone(),
                url.clone(),
                PathBuf::from(url),
                message,
            ))),
        }
    }
    for owner in &opts.owners {
        let Some(forge) = forge else { continue };
        match forge.repositories(owner) {
            Ok(repos) => {
                for r in listed(repos, &opts.remote) {
                    match url_spec(&r.clone_url, "github.com") {
                        Ok(mut spec) => {
                            spec.github = Some(r.full_name.clone());
                            spec.name = r.full_name.clone();
                            targets.push(Target::Remote(spec));
                        }
                        Err(message) => targets.push(Target::Failed(failed_outcome(
                            r.full_name.clone(),
                            r.full_name.clone(),
                            PathBuf::from(&r.clone_url),
                            message,
                        ))),
                    }
                }
            }
            Err(e) => {
                let name = match owner {
                    Owner::Org(o) | Owner::User(o) => o.clone(),
                };
                targets.push(Target::Failed(failed_outcome(
                    name.clone(),
                    name,
                    PathBuf::new(),
                    e.to_string(),
                )));
            }
        }
    }
    progress.repositories(
        targets
            .iter()
            .filter(|t| !matches!(t, Target::Failed(_)))
            .count(),
    );
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.max(1))
        .thread_name(|i| format!("agentscan-{i}"))
        .build()
        .ok();
    // Clone or fetch every remote first, a few at a time; each failure stands alone.
    let prepared: Vec<Result<(PathBuf, Option<RemoteSpec>), RepoOutcome>> = {
        use rayon::prelude::*;
        let prepare = |t: &Target| -> Result<(PathBuf, Option<RemoteSpec>), RepoOutcome> {
            match t {
                Target::Failed(outcome) => Err(outcome.clone()),
                Target::Local(p) => Ok((p.clone(), None)),
                Target::Remote(spec) => {
                    if cancel.load(Ordering::Relaxed) {
                        return Err(failed_outcome(
                            spec.name.clone(),
                            spec.key.clone(),
                            PathBuf::new(),
                            "interrupted before cloning".into(),
                        ));
                    }
                    let fail = |m: String| {
                        failed_outcome(
                            spec.name.clone(),
                            spec.key.clone(),
                            PathBuf::from(&spec.url),
                            m,
                        )
                    };
                    let dest = clone_path(&opts.remote.clone_dir, &spec.url)
                        .map_err(|e| fail(e.to_string()))?;
                    sync(&spec.url, &dest, opts.remote.token.as_deref())
                        .map_err(|e| fail(e.to_string()))?;
                    Ok((dest, Some(spec.clone())))
                }
            }
        };
        match &pool {
            Some(pool) => pool.install(|| targets.par_iter().map(prepare).collect()),
            None => targets.iter().map(prepare).collect(),
        }
    };
    for entry in prepared {
        let (path, spec) = match entry {
            Ok(x) => x,
            Err(failed) => {
                progress.repo_finished(&failed.name);
                outcomes.push(failed);
                continue;
            }
        };
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        let identity = spec.as_ref().map(|s| (s.key.as_str(), s.name.as_str()));
        let (mut outcome, mut first, attested) = scan_repo(
            &path,
            identity,
            opts,
            (registry, rules),
            store,
            pool.as_ref(),
            progress,
            cancel,
        )?;
        if !matches!(
            outcome.status,
            RepoStatus::Failed(_) | RepoStatus::Interrupted
        ) {
            let repo_id = store
                .repository(&outcome.key, &outcome.name, &path.display().to_string())?
                .id;
            if let (Some(forge), Some(full_name), true) = (
                forge,
                spec.as_ref().and_then(|s| s.github.as_deref()),
                opts.remote.pull_requests,
            ) {
                // Pull requests carry agents to merge commits and regroup sessions: what the scan
                // counted no longer holds.
                first = None;
                if let Err(e) =
                    pull_requests(store, forge, repo_id, full_name, registry, opts.session_gap)
                {
                    outcome.status = RepoStatus::Failed(e);
                }
            }
            configuration(store, &path, repo_id, registry, &opts.walk, &attested)?;
        }
        // A repository met twice in one scan is counted once, from the store.
        match first {
            Some(a) if !counted.contains_key(&outcome.key) => {
                counted.insert(outcome.key.clone(), a);
            }
            _ => {
                counted.remove(&outcome.key);
            }
        }
        progress.repo_finished(&outcome.name);
        outcomes.push(outcome);
    }
    let interrupted = cancel.load(Ordering::Relaxed);
    let keys: Vec<String> = outcomes
        .iter()
        .filter(|o| !matches!(o.status, RepoStatus::Failed(_)) || store_has(store, &o.key))
        .map(|o| o.key.clone())
        .collect();
    let filter = Filter {
        repos: keys.clone(),
        range: opts.range,
        ..Filter::default()
    };
    let stored: Vec<String> = keys
        .iter()
        .filter(|k| !counted.contains_key(*k))
        .cloned()
        .collect();
    let mut aggregate = if stored.is_empty() {
        Aggregate::new(opts.period)
    } else {
        let filter = Filter {
            repos: stored,
            ..filter.clone()
        };
        self::aggregate(store, &filter, opts.period)?
    };
    for k in keys {
        if let Some(a) = counted.remove(&k) {
            aggregate.merge(a);
        }
        aggregate.touch(&k);
    }
    let configs = if filter.repos.is_empty() {
        Default::default()
    } else {
        store.configs(&filter)?
    };
    Ok(ScanOutcome {
        aggregate,
        repos: outcomes,
        reclassified,
        interrupted,
        configs,
    })
}

/// Read the pull requests updated since the last scan, store them with their evidence, and carry
/// agent pull requests to their merge commits.
fn pull_requests(
    store: &mut Store,
    forge: &dyn Forge,
    repo_id: i64,
    full_name: &str,
    registry: &Registry,
    session_gap: i64,
) -> Result<(), String> {
    let since = store
        .pull_requests_since(repo_id)
        .map_err(|e| e.to_string())?;
    let pulls = forge
        .pull_requests(full_name, since)
        .map_err(|e| e.to_string())?;
    let evaluated: Vec<_> = pulls
        .into_iter()
        .map(|pr| {
            let evidence = crate::detect::detect_pull_request(
                &crate::detect::PullRequestView {
                    number: pr.number,
                    author: &pr.author,
                    author_id: pr.author_id,
                    head_ref: &pr.head_ref,
                    labels: &pr.labels,
                    body: &pr.body,
                },
                registry,
            );
            (pr, evidence)
        })
        .collect();
    store
        .write_pull_requests(repo_id, &evaluated)
        .map_err(|e| e.to_string())?;
    store
        .link_pull_requests(repo_id)
        .map_err(|e| e.to_string())?;
    store
        .regroup_sessions(repo_id, session_gap)
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Record the agent configuration files at the tip of a repository.
/// Attestations that name no commit of the repository count here too, as repository-level
/// evidence.
fn configuration(
    store: &mut Store,
    path: &Path,
    repo_id: i64,
    registry: &Registry,
    walk: &WalkOptions,
    attested: &[crate::attest::Attestation],
) -> Result<(), StoreError> {
    let Ok(repo) = Repo::open(path) else {
        return Ok(());
    };
    let Some(tip) = repo.tips(walk).ok().and_then(|t| t.first().copied()) else {
        return Ok(());
    };
    let Ok((paths, texts)) = repo.tip_files(tip, &[".gitignore", ".claude/settings.json"]) else {
        return Ok(());
    };
    let text = |name: &str| {
        texts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.as_str())
    };
    let mut findings = crate::detect::detect_config(
        &paths,
        text(".gitignore"),
        text(".claude/settings.json"),
        registry,
    );
    findings.extend(crate::detect::attestation_findings(attested, registry));
    store.write_config(repo_id, &findings)
}

fn store_has(store: &Store, key: &str) -> bool {
    store
        .repositories(&[key.to_owned()])
        .is_ok_and(|r| r.iter().any(|r| r.commits > 0))
}

/// Sum the stored commits and sessions that `filter` selects.
pub fn aggregate(store: &Store, filter: &Filter, period: Period) -> Result<Aggregate, StoreError> {
    let mut aggregate = Aggregate::new(period);
    store.for_each_fact(filter, |key, facts| aggregate.add(key, facts))?;
    for (key, session) in store.sessions(filter)? {
        aggregate.add_session(&key, &session);
    }
    for pr in store.pull_requests(filter)? {
        aggregate.add_pull_request(&pr.repo, pr.merged_at, &pr.agents);
    }
    Ok(aggregate)
}

/// The identity of a repository in the store: its canonical path.
pub fn repo_key(path: &Path) -> String {
    path.canonicalize()
        .unwrap_or_else(|_| path.to_owned())
        .display()
        .to_string()
}

/// Commits sent from the walk to the writer at once.
type Batch = Vec<StoredCommit>;

/// The aggregate of a repository's first scan, counted from its commits as they are written so
/// that the report need not read back what was just stored: on a large repository that read-back
/// was a fifth of a scan, run after the walk on one thread. It agrees with what
/// [`aggregate`] reads from the store: a first scan stores every commit it reads, reachable;
/// [`StoredCommit::view`] is the view the store gives of the row; and outcomes and sessions are
/// added once the scan has computed and stored them.
struct FirstScan {
    key: String,
    range: TimeRange,
    stats: Stats,
    aggregate: Aggregate,
    /// Per commit written, in the order of the outcome inputs: its author time, class and whether
    /// its paths are stored, for commits the aggregate counted outcomes of (in range, no merge).
    outcome_cells: Vec<Option<(i64, crate::detect::CommitClass, bool)>>,
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
            .push((counted && !view.is_merge).then_some((view.time, view.class, view.has_paths)));
    }

    fn outcomes(&mut self, outcomes: &crate::outcomes::Outcomes) {
        let flags = outcomes.reverted_by.iter().zip(&outcomes.reworked_by);
        for (commit, (reverted, reworked)) in self.outcome_cells.iter().zip(flags) {
            if let Some(commit) = *commit
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

#[allow(clippy::too_many_arguments)]
fn scan_repo(
    path: &Path,
    identity: Option<(&str, &str)>,
    opts: &ScanOptions,
    (registry, rules): (&Registry, &Rules),
    store: &mut Store,
    pool: Option<&rayon::ThreadPool>,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<
    (
        RepoOutcome,
        Option<Aggregate>,
        Vec<crate::attest::Attestation>,
    ),
    StoreError,
> {
    let key = identity.map_or_else(|| repo_key(path), |(k, _)| k.to_owned());
    let failed = |name: String, e: WalkError| RepoOutcome {
        name,
        key: key.clone(),
        path: path.to_owned(),
        commits: 0,
        new: None,
        status: RepoStatus::Failed(e.to_string()),
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
    let status_of = |commits: u64| {
        if tips.is_empty() && commits == 0 {
            RepoStatus::Empty
        } else if repo.shallow {
            RepoStatus::Partial
        } else {
            RepoStatus::Scanned
        }
    };
    let stats_rank = |s: Stats| match s {
        Stats::None => 0,
        Stats::Paths => 1,
        Stats::Lines => 2,
    };
    // Nothing moved since the last complete scan: no walk at all.
    if stored.tips == tips
        && !tips.is_empty()
        && stored.status != "failed"
        && stats_rank(stored.stats) >= stats_rank(opts.walk.stats)
    {
        progress.repo_started(&repo.name, Some(0));
        let outcome = RepoOutcome {
            name: repo.name.clone(),
            key,
            path: path.to_owned(),
            commits: stored.commits,
            new: Some(0),
            status: status_of(stored.commits),
        };
        // Attribution stores change without the history moving.
        if store.refresh_attestations(stored.id, &attested.by_hex(), registry, rules)? > 0 {
            store.regroup_sessions(stored.id, opts.session_gap)?;
            store.compute_outcomes(stored.id, rules)?;
        }
        return Ok((outcome, None, attested.repository));
    }
    let known = store.known_commits(stored.id, opts.walk.stats)?;
    let replace = known.upgrades > 0;
    let first_scan = known.complete.is_empty() && known.partial.is_empty() && !replace;
    let mut grouping = first_scan.then(crate::session::Grouping::default);
    // A first scan gathers the outcome inputs as it writes rather than reading them back.
    let mut outcome_inputs = first_scan.then(crate::outcomes::Inputs::default);
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
                            if let Some(a) = attested.by_commit.get(&r.id) {
                                r.attestations = a.clone();
                            }
                            StoredCommit::evaluate(r, registry, rules)
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
            if let Some(grouping) = grouping.as_mut() {
                for c in &batch {
                    grouping.add_facts(c.facts());
                }
            }
            if let Some(inputs) = outcome_inputs.as_mut() {
                for c in &batch {
                    c.gather_outcome_inputs(inputs, rules);
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
        };
        return Ok((outcome, None, Vec::new()));
    }
    let status = status_of(summary.commits + summary.known);
    let (word, message) = match &status {
        RepoStatus::Empty => ("empty", None),
        RepoStatus::Partial => (
            "partial",
            Some("shallow clone: history before the shallow boundary is missing"),
        ),
        _ => ("ok", None),
    };
    // Notes added to commits an earlier scan stored.
    let reattested = if first_scan {
        0
    } else {
        store.refresh_attestations(stored.id, &attested.by_hex(), registry, rules)?
    };
    let finished = store.finish_scan(
        &stored,
        &mut ScanEnd {
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
            grouping,
        },
        opts.session_gap,
    )?;
    // New commits can revert or rework old ones; rewritten history can undo both.
    match outcome_inputs {
        Some(inputs) => {
            let outcomes = store.store_outcomes(stored.id, &inputs, None)?;
            if let Some(counted) = counted.as_mut() {
                counted.outcomes(&outcomes);
            }
        }
        None if summary.commits > 0 || finished.unreachable > 0 || reattested > 0 => {
            store.compute_outcomes(stored.id, rules)?;
        }
        None => {}
    }
    let counted = counted
        .zip(finished.sessions.as_deref())
        .map(|(counted, sessions)| counted.sessions(sessions));
    let outcome = RepoOutcome {
        name: repo.name.clone(),
        key,
        path: path.to_owned(),
        commits: finished.reachable,
        new: Some(summary.commits),
        status,
    };
    Ok((outcome, counted, attested.repository))
}
