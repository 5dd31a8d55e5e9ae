//! The only module that reads commits with gix: repository → [`CommitRecord`]s.
//!
//! Inflating commit objects is most of the cost of a scan, so [`Repo::read_commits`] inflates each
//! commit exactly once and spreads the rest (parsing, mailmap, detection) over rayon workers that get
//! batches of records with a thread-local handle. Shallow boundaries end history cleanly.
//! Repositories are opened in isolation: no global or user configuration, no environment, and
//! nothing of the repository is ever executed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::sync::atomic::{AtomicBool, Ordering};

use bstr::{BString, ByteSlice};
use gix::ObjectId;
use gix::prelude::Find;
use rayon::prelude::*;

use crate::progress::Progress;

/// A person of a commit (author or committer), after mailmap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The name as written (or as mapped).
    pub name: BString,
    /// The email as written (or as mapped).
    pub email: BString,
    /// Seconds since the epoch.
    pub time: i64,
    /// Offset from UTC in seconds.
    pub offset: i32,
}

/// What the walk knows of one commit; the input of detection and classification.
#[derive(Debug, Clone)]
pub struct CommitRecord {
    /// The commit id.
    pub id: ObjectId,
    /// Parent ids, first parent first.
    pub parents: Vec<ObjectId>,
    /// The author, after mailmap.
    pub author: Person,
    /// The committer, after mailmap.
    pub committer: Person,
    /// The raw message bytes (not necessarily UTF-8).
    pub message: BString,
}

impl CommitRecord {
    /// Whether the commit has more than one parent.
    pub fn is_merge(&self) -> bool {
        self.parents.len() > 1
    }
}

/// Which commits a walk visits.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Start from every local branch (and HEAD) instead of HEAD only.
    pub all_branches: bool,
}

/// Why a repository could not be read.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    /// The path does not exist.
    #[error("{path}: no such file or directory")]
    Missing { path: PathBuf },
    /// gix could not open the path as a repository.
    #[error("{path}: not a git repository, or one that cannot be opened: {message}")]
    Open { path: PathBuf, message: String },
    /// The references could not be read.
    #[error("{path}: cannot resolve HEAD: {message}")]
    Head { path: PathBuf, message: String },
    /// The commit graph could not be walked (missing or corrupt objects).
    #[error("{path}: cannot walk history: {message}")]
    Walk { path: PathBuf, message: String },
    /// One commit could not be read.
    #[error("{path}: cannot read commit {id}: {message} (the object is missing or corrupt)")]
    Commit {
        path: PathBuf,
        id: ObjectId,
        message: String,
    },
}

/// Render an error with its chain of causes on one line.
pub fn error_chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

/// An open repository, shareable across threads.
pub struct Repo {
    sync: gix::ThreadSafeRepository,
    mailmap: Arc<gix::mailmap::Snapshot>,
    /// The path the repository was found at (work tree or git dir).
    pub path: PathBuf,
    /// A short display name: the work-tree folder, or the bare folder without `.git`.
    pub name: String,
    /// Whether the repository has a `shallow` file: its history ends early.
    pub shallow: bool,
}

/// What a walk saw, besides the commits themselves.
#[derive(Debug, Clone, Default)]
pub struct WalkSummary {
    /// Commits read.
    pub commits: u64,
    /// The tips the walk started from.
    pub tips: Vec<ObjectId>,
    /// Whether the walk stopped early because it was cancelled.
    pub cancelled: bool,
}

/// Commits handed to the sink at once: large enough to amortise a thread-local handle and a task,
/// small enough to balance two cores and keep progress smooth.
const BATCH: usize = 1024;

impl Repo {
    /// Open the repository at `path` (a work tree, a `.git` folder or a bare repository).
    pub fn open(path: &Path) -> Result<Self, WalkError> {
        if !path.exists() {
            return Err(WalkError::Missing {
                path: path.to_owned(),
            });
        }
        let opts = gix::open::Options::isolated().open_path_as_is(false);
        let repo = gix::open_opts(path, opts).map_err(|e| WalkError::Open {
            path: path.to_owned(),
            message: error_chain(&e),
        })?;
        let shallow = repo.is_shallow().unwrap_or(false);
        let mailmap = Arc::new(repo.open_mailmap());
        let name = display_name(&repo, path);
        Ok(Repo {
            sync: repo.into_sync(),
            mailmap,
            path: path.to_owned(),
            name,
            shallow,
        })
    }

    /// A thread-local handle for this thread.
    pub fn local(&self) -> gix::Repository {
        self.sync.to_thread_local()
    }

    /// The git directory.
    pub fn git_dir(&self) -> &Path {
        self.sync.path()
    }

    fn tips(&self, repo: &gix::Repository, opts: &WalkOptions) -> Result<Vec<ObjectId>, WalkError> {
        let head_err = |e: &dyn std::error::Error| WalkError::Head {
            path: self.path.clone(),
            message: error_chain(e),
        };
        let mut tips = Vec::new();
        let mut head = repo.head().map_err(|e| head_err(&e))?;
        if !head.is_unborn()
            && let Some(id) = head.try_peel_to_id().map_err(|e| head_err(&e))?
        {
            tips.push(id.detach());
        }
        if opts.all_branches {
            let refs = repo.references().map_err(|e| head_err(&e))?;
            let branches = refs.local_branches().map_err(|e| head_err(&e))?;
            for mut r in branches.flatten() {
                if let Ok(id) = r.peel_to_id() {
                    let id = id.detach();
                    if !tips.contains(&id) {
                        tips.push(id);
                    }
                }
            }
        }
        Ok(tips)
    }

    /// Read every commit reachable from HEAD (and every local branch with `all_branches`), newest
    /// first by commit time, each exactly once, handing batches of records to `sink` on rayon worker
    /// threads together with a thread-local repository handle. An unborn HEAD reads nothing; a
    /// shallow boundary ends history.
    ///
    /// With a commit-graph the ids come from the graph and commits are decoded in parallel; without
    /// one, finding parents needs every commit decoded anyway, so this thread walks and decodes
    /// while the others parse and consume, and no commit is inflated twice.
    pub fn read_commits<F>(
        &self,
        opts: &WalkOptions,
        progress: &dyn Progress,
        cancel: &AtomicBool,
        sink: F,
    ) -> Result<WalkSummary, WalkError>
    where
        F: Fn(&gix::Repository, Vec<CommitRecord>) + Sync,
    {
        let repo = self.local();
        let tips = self.tips(&repo, opts)?;
        if tips.is_empty() {
            progress.repo_started(&self.name, Some(0));
            return Ok(WalkSummary::default());
        }
        let summary = if repo.commit_graph().is_ok() {
            self.read_with_graph(&repo, tips, progress, cancel, &sink)?
        } else {
            self.read_sequential(&repo, tips, progress, cancel, &sink)?
        };
        Ok(summary)
    }

    fn walk_error(&self, e: &dyn std::error::Error) -> WalkError {
        WalkError::Walk {
            path: self.path.clone(),
            message: error_chain(e),
        }
    }

    fn read_with_graph<F>(
        &self,
        repo: &gix::Repository,
        tips: Vec<ObjectId>,
        progress: &dyn Progress,
        cancel: &AtomicBool,
        sink: &F,
    ) -> Result<WalkSummary, WalkError>
    where
        F: Fn(&gix::Repository, Vec<CommitRecord>) + Sync,
    {
        let walk = repo
            .rev_walk(tips.iter().copied())
            .sorting(gix::revision::walk::Sorting::ByCommitTime(
                gix::traverse::commit::simple::CommitTimeOrder::NewestFirst,
            ))
            .use_commit_graph(true)
            .all()
            .map_err(|e| self.walk_error(&e))?;
        let mut ids = Vec::new();
        for info in walk {
            ids.push(info.map_err(|e| self.walk_error(&e))?.id);
        }
        progress.repo_started(&self.name, Some(ids.len()));
        let cancelled = AtomicBool::new(false);
        ids.par_chunks(BATCH).try_for_each(|chunk| {
            if cancel.load(Ordering::Relaxed) {
                cancelled.store(true, Ordering::Relaxed);
                return Ok(());
            }
            let local = self.local();
            let mut buf = Vec::new();
            let mut records = Vec::with_capacity(chunk.len());
            for &id in chunk {
                let data =
                    find_commit(&local, id, &mut buf).map_err(|message| WalkError::Commit {
                        path: self.path.clone(),
                        id,
                        message,
                    })?;
                records.push(self.record(id, data)?);
            }
            progress.commits_read(records.len());
            sink(&local, records);
            Ok(())
        })?;
        Ok(WalkSummary {
            commits: ids.len() as u64,
            tips,
            cancelled: cancelled.load(Ordering::Relaxed),
        })
    }

    fn read_sequential<F>(
        &self,
        repo: &gix::Repository,
        tips: Vec<ObjectId>,
        progress: &dyn Progress,
        cancel: &AtomicBool,
        sink: &F,
    ) -> Result<WalkSummary, WalkError>
    where
        F: Fn(&gix::Repository, Vec<CommitRecord>) + Sync,
    {
        progress.repo_started(&self.name, None);
        let shallow: Vec<ObjectId> = match repo.shallow_commits() {
            Ok(Some(c)) => {
                let mut v: Vec<ObjectId> = c.iter().copied().collect();
                v.sort();
                v
            }
            _ => Vec::new(),
        };
        let failure: std::sync::Mutex<Option<WalkError>> = std::sync::Mutex::new(None);
        let mut summary = WalkSummary {
            tips: tips.clone(),
            ..WalkSummary::default()
        };
        let mut buf = Vec::new();
        // Frontier ordered by commit time, newest first, holding each commit's bytes so that no
        // commit is inflated twice (once to order it, once to read it).
        let mut queue: std::collections::BinaryHeap<Pending> = std::collections::BinaryHeap::new();
        let mut seen: gix::hashtable::HashSet<ObjectId> = Default::default();
        let mut seq = 0u64;
        let mut load = |id: ObjectId,
                        queue: &mut std::collections::BinaryHeap<Pending>|
         -> Result<(), WalkError> {
            let data = find_commit(repo, id, &mut buf).map_err(|message| WalkError::Commit {
                path: self.path.clone(),
                id,
                message,
            })?;
            let time = commit_time(data, id.kind());
            seq += 1;
            queue.push(Pending {
                time,
                seq: u64::MAX - seq,
                id,
                data: data.to_vec(),
            });
            Ok(())
        };
        rayon::in_place_scope(|scope| -> Result<(), WalkError> {
            for tip in &tips {
                if seen.insert(*tip) {
                    load(*tip, &mut queue)?;
                }
            }
            let mut batch: Vec<(ObjectId, Vec<u8>)> = Vec::with_capacity(BATCH);
            let failure = &failure;
            let flush = |batch: Vec<(ObjectId, Vec<u8>)>| {
                scope.spawn(move |_| {
                    let local = self.local();
                    let mut records = Vec::with_capacity(batch.len());
                    for (id, data) in batch {
                        match self.record(id, &data) {
                            Ok(r) => records.push(r),
                            Err(e) => {
                                failure.lock().expect("not poisoned").get_or_insert(e);
                                return;
                            }
                        }
                    }
                    progress.commits_read(records.len());
                    sink(&local, records);
                });
            };
            while let Some(Pending { id, data, .. }) = queue.pop() {
                let is_boundary = shallow.binary_search(&id).is_ok();
                if !is_boundary {
                    let commit = gix::objs::CommitRefIter::from_bytes(&data, repo.object_hash());
                    for parent in commit.parent_ids() {
                        if seen.insert(parent) {
                            load(parent, &mut queue)?;
                        }
                    }
                }
                summary.commits += 1;
                batch.push((id, data));
                if batch.len() == BATCH {
                    if cancel.load(Ordering::Relaxed) {
                        summary.cancelled = true;
                        return Ok(());
                    }
                    flush(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
                }
            }
            if !batch.is_empty() {
                flush(batch);
            }
            Ok(())
        })?;
        if let Some(e) = failure.into_inner().expect("not poisoned") {
            return Err(e);
        }
        Ok(summary)
    }

    /// Decode one commit's bytes into a record, applying the mailmap.
    fn record(&self, id: ObjectId, data: &[u8]) -> Result<CommitRecord, WalkError> {
        let err = |message: String| WalkError::Commit {
            path: self.path.clone(),
            id,
            message,
        };
        let commit =
            gix::objs::CommitRef::from_bytes(data, id.kind()).map_err(|e| err(error_chain(&e)))?;
        let author = commit.author().map_err(|e| err(error_chain(&e)))?;
        let committer = commit.committer().map_err(|e| err(error_chain(&e)))?;
        let person = |sig: gix::actor::SignatureRef<'_>| {
            let mapped = self.mailmap.resolve_cow(sig.trim());
            Person {
                name: mapped.name.into_owned(),
                email: mapped.email.into_owned(),
                time: mapped.time.seconds,
                offset: mapped.time.offset,
            }
        };
        Ok(CommitRecord {
            id,
            parents: commit.parents().collect(),
            author: person(author),
            committer: person(committer),
            message: commit.message.to_owned(),
        })
    }
}

/// A commit waiting in the walk's frontier.
struct Pending {
    time: i64,
    seq: u64,
    id: ObjectId,
    data: Vec<u8>,
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        (self.time, self.seq) == (other.time, other.seq)
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Pending {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.time, self.seq).cmp(&(other.time, other.seq))
    }
}

/// The raw bytes of commit `id`, or why they cannot be had.
fn find_commit<'b>(
    repo: &gix::Repository,
    id: ObjectId,
    buf: &'b mut Vec<u8>,
) -> Result<&'b [u8], String> {
    match repo.objects.try_find(&id, buf) {
        Ok(Some(data)) if data.kind == gix::object::Kind::Commit => Ok(data.data),
        Ok(Some(data)) => Err(format!("expected a commit, found a {}", data.kind)),
        Ok(None) => Err("object not found".to_owned()),
        Err(e) => Err(error_chain(&e)),
    }
}

/// The committer time of raw commit bytes, or 0 when it cannot be read.
fn commit_time(data: &[u8], kind: gix::hash::Kind) -> i64 {
    gix::objs::CommitRefIter::from_bytes(data, kind)
        .committer()
        .map(|c| c.seconds())
        .unwrap_or(0)
}

fn display_name(repo: &gix::Repository, path: &Path) -> String {
    let base = match repo.workdir() {
        Some(wd) => wd.to_owned(),
        None => repo.git_dir().to_owned(),
    };
    let base = base.canonicalize().unwrap_or(base);
    let name = base
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let name = name.strip_suffix(".git").map(str::to_owned).unwrap_or(name);
    if name.is_empty() {
        path.display().to_string()
    } else {
        name
    }
}

/// Lossy UTF-8 rendering for display and storage of names and text.
pub fn lossy(b: &[u8]) -> String {
    b.to_str_lossy().into_owned()
}
