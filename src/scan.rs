//! The pipeline: sources → repositories → walk → detect → aggregate.
//!
//! The only function that knows every stage. Repositories are scanned one after another, each with
//! all threads: commit ids are planned once, then read and detected in parallel chunks, each chunk
//! on a thread-local gix handle. A repository that fails is recorded and the scan goes on.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::aggregate::Aggregate;
use crate::classify::{Rules, classify};
use crate::detect::detect;
use crate::facts::CommitFacts;
use crate::period::{Period, TimeRange};
use crate::progress::Progress;
use crate::signatures::Registry;
use crate::source::discover;
use crate::walk::{Repo, WalkError, WalkOptions};

/// Everything a scan needs besides the registry.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Repositories or folders of repositories.
    pub paths: Vec<PathBuf>,
    /// Only commits authored in this range are counted.
    pub range: TimeRange,
    /// Worker threads.
    pub jobs: usize,
    /// Which commits to walk.
    pub walk: WalkOptions,
    /// Bucket length of the aggregate.
    pub period: Period,
    /// Longest pause between two commits of one session, in seconds.
    pub session_gap: i64,
}

/// How the scan of one repository ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepoStatus {
    /// Every reachable commit was read.
    Scanned,
    /// The repository has no commits (unborn HEAD).
    Empty,
    /// The repository is shallow: history ends at the shallow boundary.
    Partial,
    /// The repository could not be read; nothing of it is counted.
    Failed(String),
}

/// One repository of a scan.
#[derive(Debug, Clone)]
pub struct RepoOutcome {
    /// Display name.
    pub name: String,
    /// Key in the aggregate (the path as given, made absolute when possible).
    pub key: String,
    /// The path scanned.
    pub path: PathBuf,
    /// Commits read (before date filtering).
    pub commits: u64,
    /// How it ended.
    pub status: RepoStatus,
}

/// The result of a scan.
#[derive(Debug, Clone)]
pub struct ScanOutcome {
    /// Counts per repository and period.
    pub aggregate: Aggregate,
    /// Every repository, in scan order, failed ones included.
    pub repos: Vec<RepoOutcome>,
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
                status: RepoStatus::Failed(e.to_string()),
            })),
        }
    }
    out
}

/// Scan every repository of `opts.paths`.
pub fn scan(
    opts: &ScanOptions,
    registry: &Registry,
    rules: &Rules,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> ScanOutcome {
    let repos = resolve_paths(&opts.paths);
    progress.repositories(repos.iter().filter(|r| r.is_ok()).count());
    let mut outcomes = Vec::with_capacity(repos.len());
    let mut aggregate = Aggregate::new(opts.period);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.max(1))
        .thread_name(|i| format!("agentscan-{i}"))
        .build();
    let run = |path: &Path, aggregate: &mut Aggregate| {
        scan_repo(path, opts, (registry, rules), progress, cancel, aggregate)
    };
    for entry in repos {
        let path = match entry {
            Ok(path) => path,
            Err(failed) => {
                outcomes.push(failed);
                continue;
            }
        };
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        let outcome = match &pool {
            Ok(pool) => pool.install(|| run(&path, &mut aggregate)),
            Err(_) => run(&path, &mut aggregate),
        };
        progress.repo_finished(&outcome.name);
        outcomes.push(outcome);
    }
    ScanOutcome {
        aggregate,
        repos: outcomes,
    }
}

fn repo_key(path: &Path) -> String {
    path.canonicalize()
        .unwrap_or_else(|_| path.to_owned())
        .display()
        .to_string()
}

fn scan_repo(
    path: &Path,
    opts: &ScanOptions,
    (registry, rules): (&Registry, &Rules),
    progress: &dyn Progress,
    cancel: &AtomicBool,
    aggregate: &mut Aggregate,
) -> RepoOutcome {
    let key = repo_key(path);
    let failed = |name: String, e: WalkError| RepoOutcome {
        name,
        key: key.clone(),
        path: path.to_owned(),
        commits: 0,
        status: RepoStatus::Failed(e.to_string()),
    };
    let repo = match Repo::open(path) {
        Ok(r) => r,
        Err(e) => return failed(path.display().to_string(), e),
    };
    let facts = std::sync::Mutex::new(Vec::new());
    let walked = repo.read_commits(&opts.walk, progress, cancel, |records| {
        let part: Vec<CommitFacts> = records
            .iter()
            .filter(|r| opts.range.contains(r.author.time))
            .map(|r| CommitFacts::new(r, detect(r, registry), &classify(r, rules)))
            .collect();
        facts.lock().expect("not poisoned").extend(part);
    });
    match walked {
        Ok(summary) => {
            let mut facts = facts.into_inner().expect("not poisoned");
            facts.sort_by(|a, b| (b.time, &b.id).cmp(&(a.time, &a.id)));
            let sessions = crate::session::group(&mut facts, opts.session_gap);
            aggregate.touch(&key);
            for f in &facts {
                aggregate.add(&key, f);
            }
            for s in &sessions {
                aggregate.add_session(&key, s);
            }
            let status = if summary.commits == 0 {
                RepoStatus::Empty
            } else if repo.shallow {
                RepoStatus::Partial
            } else {
                RepoStatus::Scanned
            };
            RepoOutcome {
                name: repo.name.clone(),
                key,
                path: path.to_owned(),
                commits: summary.commits,
                status,
            }
        }
        Err(e) => failed(repo.name.clone(), e),
    }
}
