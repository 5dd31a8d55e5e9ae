//! The pipeline: sources → repositories → walk → detect → classify → store → settle → aggregate.
//!
//! The only module that knows every stage. Repositories are scanned one after another, each with
//! all threads: the walk reads only commits the store does not hold yet, worker threads detect and
//! classify them, and this thread writes each batch to the store in its own transaction; then the
//! repository is settled (pull requests linked, sessions grouped, outcomes computed), as it is
//! after stored commits are re-evaluated. Reports are
//! then aggregated from the store, so a re-scan and a report of the same data always agree; a
//! repository's first scan counts its commits as it writes them instead, with the same view of each
//! commit the store gives, so it need not read back what it just wrote. A repository that fails is
//! recorded and the scan goes on.

mod evaluate;
mod merge;
mod repo;
mod sample;
mod settle;
mod shard;
mod targets;

pub use evaluate::{Gathered, Settled, evaluate, reclassify, refresh_attestations, settle};
pub use merge::{MergeError, MergeSummary, merge_stores};
use repo::{RepoScan, scan_repo};
pub use sample::{SampleSpec, draw};
pub use settle::aggregate;
use settle::{configuration, pull_requests, store_has};
pub use shard::Shard;
use targets::{Target, failed_outcome, listed, url_spec};
pub use targets::{is_url, repo_key, resolve_paths, split_repos_list, split_sources};

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::aggregate::Aggregate;
use crate::classify::Rules;
pub use crate::model::{Failure, RepoOutcome, RepoStatus};
use crate::period::{Period, TimeRange};
use crate::progress::Progress;
use crate::signatures::Registry;
use crate::source::clone::{CloneError, RemoteSpec, clone_path, remote_key, sync};
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
    /// Clone and fetch only history since this time (seconds): shallow clones.
    pub shallow_since: Option<i64>,
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
    /// Keep only the repositories of this shard, once sources are listed (and sampled).
    pub shard: Option<Shard>,
    /// GitHub search queries whose repositories to clone and scan.
    pub searches: Vec<String>,
    /// Draw a uniform random sample of the listed repositories.
    pub sample: Option<SampleSpec>,
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
            "failed" => RepoStatus::Failed(Failure::message(r.message.clone().unwrap_or_default())),
            _ => RepoStatus::Scanned,
        };
        RepoOutcome {
            name: r.name.clone(),
            key: r.key.clone(),
            path: PathBuf::from(&r.path),
            commits: r.commits,
            new: None,
            status,
            unreadable: None,
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

/// A target ready to walk (its path, and its spec when cloned), or its failed outcome.
type Prepared = Result<(PathBuf, Option<RemoteSpec>), Box<RepoOutcome>>;

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
    let reclassified = if opts.reclassify || store.needs_reclassify(registry, rules.digest())? {
        reclassify(store, registry, rules, opts.session_gap)?
    } else {
        0
    };
    store.stamp(registry, rules.digest())?;
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
            Err(e) => targets.push(Target::Failed(failed_outcome(
                url.clone(),
                url.clone(),
                PathBuf::from(url),
                Failure::new(e),
            ))),
        }
    }
    let (mut search_windows, mut capped_windows) = (Vec::new(), Vec::new());
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
                        Err(e) => targets.push(Target::Failed(failed_outcome(
                            r.full_name.clone(),
                            r.full_name.clone(),
                            PathBuf::from(&r.clone_url),
                            Failure::new(e),
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
                    Failure::new(e),
                )));
            }
        }
    }
    for query in &opts.searches {
        let Some(forge) = forge else { continue };
        match forge.search(query) {
            Ok(found) => {
                search_windows.extend(found.windows);
                capped_windows.extend(found.capped);
                for r in listed(found.repos, &opts.remote) {
                    match url_spec(&r.clone_url, "github.com") {
                        Ok(mut spec) => {
                            spec.github = Some(r.full_name.clone());
                            spec.name = r.full_name.clone();
                            targets.push(Target::Remote(spec));
                        }
                        Err(e) => targets.push(Target::Failed(failed_outcome(
                            r.full_name.clone(),
                            r.full_name.clone(),
                            PathBuf::from(&r.clone_url),
                            Failure::new(e),
                        ))),
                    }
                }
            }
            Err(e) => {
                let name = format!("search {query:?}");
                targets.push(Target::Failed(failed_outcome(
                    name.clone(),
                    name,
                    PathBuf::new(),
                    Failure::new(e),
                )));
            }
        }
    }
    let key_of = |t: &Target| match t {
        Target::Local(path) => Some(repo_key(path)),
        Target::Remote(spec) => Some(spec.key.clone()),
        Target::Failed(_) => None,
    };
    if let Some(spec) = opts.sample {
        let keys: Vec<String> = targets.iter().filter_map(key_of).collect();
        let drawn = draw(keys.iter().map(String::as_str), spec);
        let population = keys.iter().collect::<std::collections::HashSet<_>>().len() as u64;
        // Failures stay: they are what the user must see, whatever the draw.
        targets.retain(|t| key_of(t).is_none_or(|k| drawn.contains(&k)));
        store.set_sample(&crate::model::SampleInfo {
            sources: describe_sources(opts),
            windows: search_windows.clone(),
            capped_windows: capped_windows.clone(),
            population,
            sample: drawn.len() as u64,
            seed: spec.seed,
            drawn_at: crate::period::utc_rfc3339(now()),
        })?;
    }
    if let Some(since) = opts.remote.shallow_since {
        let day = crate::period::utc_rfc3339(since);
        store.set_meta("history_since", day.get(..10).unwrap_or(&day))?;
    }
    if let Some(shard) = opts.shard {
        targets.retain(|t| match t {
            Target::Local(path) => shard.contains(&repo_key(path)),
            Target::Remote(spec) => shard.contains(&spec.key),
            // A listing that failed names no repository: every shard misses its repositories,
            // so every shard says so.
            Target::Failed(o) if o.path.as_os_str().is_empty() => true,
            Target::Failed(o) => shard.contains(&o.key),
        });
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
    let prepared: Vec<Prepared> = {
        use rayon::prelude::*;
        let prepare = |t: &Target| -> Prepared {
            match t {
                Target::Failed(outcome) => Err(Box::new(outcome.clone())),
                Target::Local(p) => Ok((p.clone(), None)),
                Target::Remote(spec) => {
                    if cancel.load(Ordering::Relaxed) {
                        return Err(Box::new(failed_outcome(
                            spec.name.clone(),
                            spec.key.clone(),
                            PathBuf::new(),
                            Failure::message("interrupted before cloning"),
                        )));
                    }
                    let fail = |e: CloneError| {
                        Box::new(failed_outcome(
                            spec.name.clone(),
                            spec.key.clone(),
                            PathBuf::from(&spec.url),
                            Failure::new(e),
                        ))
                    };
                    let dest = clone_path(&opts.remote.clone_dir, &spec.url).map_err(fail)?;
                    sync(
                        &spec.url,
                        &dest,
                        opts.remote.token.as_deref(),
                        opts.remote.shallow_since,
                        cancel,
                    )
                    .map_err(fail)?;
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
                outcomes.push(*failed);
                continue;
            }
        };
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        let identity = spec.as_ref().map(|s| (s.key.as_str(), s.name.as_str()));
        let job = RepoScan {
            path: &path,
            identity,
            opts,
            registry,
            rules,
            pool: pool.as_ref(),
            progress,
            cancel,
        };
        let (mut outcome, mut first, attested) = scan_repo(job, store)?;
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
                if let Err(e) = pull_requests(
                    store,
                    forge,
                    repo_id,
                    full_name,
                    (registry, rules),
                    opts.session_gap,
                ) {
                    outcome.status = RepoStatus::Failed(Failure::new(e));
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

/// The sources of a scan in words, for the record of how a sample was drawn.
fn describe_sources(opts: &ScanOptions) -> Vec<String> {
    let mut out: Vec<String> = opts
        .searches
        .iter()
        .map(|q| format!("GitHub search {q:?}"))
        .collect();
    for owner in &opts.owners {
        out.push(match owner {
            Owner::Org(o) => format!("organisation {o}"),
            Owner::User(u) => format!("user {u}"),
        });
    }
    out.extend(opts.urls.iter().cloned());
    out.extend(opts.paths.iter().map(|p| format!("folder {}", p.display())));
    out
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
