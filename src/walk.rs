//! The only module that reads commits with gix: repository → [`CommitRecord`]s.
//!
//! Inflating commit objects is most of the cost of a scan, so [`Repo::read_commits`] inflates each
//! commit exactly once and spreads the rest (parsing, mailmap, detection) over rayon workers that get
//! batches of records with a thread-local handle. Shallow boundaries end history cleanly.
//! Repositories are opened in isolation: no global or user configuration, no environment, and
//! nothing of the repository is ever executed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use bstr::{BString, ByteSlice};
use gix::ObjectId;
use gix::prelude::Find;
use rayon::prelude::*;
use thread_local::ThreadLocal;

use crate::progress::Progress;

mod notes;
mod objects;

pub use notes::Attestations;

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

/// How much of each commit's diff a walk reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stats {
    /// Messages and identities only.
    #[default]
    None,
    /// Also the changed paths (tree diff against the first parent, exact renames).
    Paths,
    /// Also lines added and deleted per file (blob diffs, renames by similarity as git does).
    Lines,
}

/// How a file changed in a commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    /// New file.
    Added,
    /// Removed file.
    Deleted,
    /// Changed in place.
    Modified,
    /// Moved from `old_path`, possibly with changes.
    Renamed,
    /// Copied from `old_path`.
    Copied,
}

impl FileStatus {
    /// [`FileStatus::letter`] as text, as the store keeps it.
    pub fn code(self) -> &'static str {
        match self {
            FileStatus::Added => "A",
            FileStatus::Deleted => "D",
            FileStatus::Modified => "M",
            FileStatus::Renamed => "R",
            FileStatus::Copied => "C",
        }
    }

    /// One-letter code as in `git log --name-status`.
    pub fn letter(self) -> char {
        char::from(self.code().as_bytes()[0])
    }
}

/// One changed file of a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Path after the change (the old path for deletions).
    pub path: BString,
    /// Path before a rename or copy.
    pub old_path: Option<BString>,
    /// How it changed.
    pub status: FileStatus,
    /// Lines added and deleted; `None` with `--stats paths`, for binary files, and when a blob is
    /// missing (partial clones).
    pub lines: Option<(u32, u32)>,
    /// Whether either side is binary.
    pub binary: bool,
}

/// What the walk knows of one commit; the input of detection and classification.
#[derive(Debug, Clone)]
pub struct CommitRecord {
    /// The commit id.
    pub id: ObjectId,
    /// The commit's tree.
    pub tree: ObjectId,
    /// Parent ids, first parent first.
    pub parents: Vec<ObjectId>,
    /// The author, after mailmap.
    pub author: Person,
    /// The committer, after mailmap.
    pub committer: Person,
    /// The raw message bytes (not necessarily UTF-8).
    pub message: BString,
    /// Changed files against the first parent (the empty tree for a root commit). `None` when the
    /// walk reads no stats, for merge commits (which git log does not diff either), and when the
    /// trees could not be read.
    pub files: Option<Vec<FileChange>>,
    /// What attribution stores beside the history (git notes, Agent Trace records) say of this
    /// commit.
    pub attestations: Vec<crate::attest::Attestation>,
}

impl CommitRecord {
    /// Lines added and deleted over all files with known counts.
    pub fn line_totals(&self) -> (u64, u64) {
        self.files
            .iter()
            .flatten()
            .filter_map(|f| f.lines)
            .fold((0, 0), |(a, d), (x, y)| {
                (a + u64::from(x), d + u64::from(y))
            })
    }

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
    /// How much of each diff to read.
    pub stats: Stats,
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
    /// A revision given by the user names no commit.
    #[error("{path}: cannot find commit {rev:?}: {message}")]
    Revision {
        path: PathBuf,
        rev: String,
        message: String,
    },
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
    /// Its packs, opened for the first diff.
    packs: std::sync::OnceLock<Arc<objects::Packs>>,
}

/// Commits a store already holds, so that a walk reads only what is new.
#[derive(Debug, Clone, Default)]
pub struct KnownCommits {
    /// Stored together with their whole ancestry: the walk stops at them.
    pub complete: std::collections::HashSet<ObjectId>,
    /// Stored by a scan that was interrupted, with their commit time and parents: they are not read
    /// again, but the walk goes on through their parents, which may be missing.
    pub partial: std::collections::HashMap<ObjectId, (i64, Vec<ObjectId>)>,
    /// Stored commits that will be read again for more detail (and replace their rows).
    pub upgrades: u64,
}

impl KnownCommits {
    fn is_complete(&self, id: &ObjectId) -> bool {
        self.complete.contains(id)
    }
}

/// The file paths of a tree, and the text of some of its files as `(path, text)`.
pub type TipFiles = (Vec<String>, Vec<(String, String)>);

/// What a walk saw, besides the commits themselves.
#[derive(Debug, Clone, Default)]
pub struct WalkSummary {
    /// Commits read (new commits, for an incremental walk).
    pub commits: u64,
    /// Stored commits the walk passed without reading them.
    pub known: u64,
    /// Complete stored commits the walk stopped at.
    pub boundary: std::collections::HashSet<ObjectId>,
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
        // A hash-map delta-base cache per thread: trees are deep delta chains in real packs, and
        // gix's default 64-entry list re-inflated bases over and over (measured on git/git: paths
        // 4.3 s → 3.0 s).
        let opts = gix::open::Options::isolated()
            .open_path_as_is(false)
            .config_overrides(["core.deltaBaseCacheLimit=32m"]);
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
            packs: std::sync::OnceLock::new(),
        })
    }

    /// The repository's packs, shared by the diffs of every thread.
    fn packs(&self) -> Arc<objects::Packs> {
        self.packs
            .get_or_init(|| {
                Arc::new(objects::Packs::open(
                    self.sync.objects_dir(),
                    self.sync.to_thread_local().object_hash(),
                ))
            })
            .clone()
    }

    /// A thread-local handle for this thread.
    pub fn local(&self) -> gix::Repository {
        self.sync.to_thread_local()
    }

    /// The git directory.
    pub fn git_dir(&self) -> &Path {
        self.sync.path()
    }

    /// The commits a walk starts from: HEAD, and every local branch with `all_branches`. Empty for
    /// an unborn HEAD.
    pub fn tips(&self, opts: &WalkOptions) -> Result<Vec<ObjectId>, WalkError> {
        self.tips_in(&self.local(), opts)
    }

    fn tips_in(
        &self,
        repo: &gix::Repository,
        opts: &WalkOptions,
    ) -> Result<Vec<ObjectId>, WalkError> {
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
        known: &KnownCommits,
        progress: &dyn Progress,
        cancel: &AtomicBool,
        sink: F,
    ) -> Result<WalkSummary, WalkError>
    where
        F: Fn(Vec<CommitRecord>) + Sync,
    {
        let repo = self.local();
        let tips = self.tips_in(&repo, opts)?;
        if tips.is_empty() {
            progress.repo_started(&self.name, Some(0));
            return Ok(WalkSummary::default());
        }
        let differs = ThreadLocal::new();
        let finish = |mut records: Vec<CommitRecord>| {
            if opts.stats != Stats::None {
                let cell = differs.get_or(|| RefCell::new(Differ::new(self)));
                let mut differ = cell.borrow_mut();
                differ.diff_batch(&mut records, opts.stats);
            }
            progress.commits_read(records.len());
            sink(records);
        };
        let summary = if repo.commit_graph().is_ok() {
            self.read_with_graph(&repo, tips, known, progress, cancel, &finish)?
        } else {
            self.read_sequential(&repo, tips, known, progress, cancel, &finish)?
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
        known: &KnownCommits,
        progress: &dyn Progress,
        cancel: &AtomicBool,
        sink: &F,
    ) -> Result<WalkSummary, WalkError>
    where
        F: Fn(Vec<CommitRecord>) + Sync,
    {
        let boundary = RefCell::new(std::collections::HashSet::new());
        let walk = repo
            .rev_walk(tips.iter().copied())
            .sorting(gix::revision::walk::Sorting::ByCommitTime(
                gix::traverse::commit::simple::CommitTimeOrder::NewestFirst,
            ))
            .use_commit_graph(true)
            .selected(|id| {
                let id = id.to_owned();
                if known.is_complete(&id) {
                    boundary.borrow_mut().insert(id);
                    false
                } else {
                    true
                }
            })
            .map_err(|e| self.walk_error(&e))?;
        let mut ids = Vec::new();
        let mut passed = 0u64;
        for info in walk {
            let id = info.map_err(|e| self.walk_error(&e))?.id;
            if known.partial.contains_key(&id) {
                passed += 1;
            } else {
                ids.push(id);
            }
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
            sink(records);
            Ok(())
        })?;
        Ok(WalkSummary {
            commits: ids.len() as u64,
            known: passed,
            boundary: boundary.into_inner(),
            tips,
            cancelled: cancelled.load(Ordering::Relaxed),
        })
    }

    fn read_sequential<F>(
        &self,
        repo: &gix::Repository,
        tips: Vec<ObjectId>,
        known: &KnownCommits,
        progress: &dyn Progress,
        cancel: &AtomicBool,
        sink: &F,
    ) -> Result<WalkSummary, WalkError>
    where
        F: Fn(Vec<CommitRecord>) + Sync,
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
        // Queue a commit: stored ones come from the store's own record of their time and parents.
        let mut load = |id: ObjectId,
                        queue: &mut std::collections::BinaryHeap<Pending>|
         -> Result<(), WalkError> {
            seq += 1;
            if let Some((time, parents)) = known.partial.get(&id) {
                queue.push(Pending {
                    time: *time,
                    seq: u64::MAX - seq,
                    id,
                    data: Vec::new(),
                    stored_parents: Some(parents.clone()),
                });
                return Ok(());
            }
            let data = find_commit(repo, id, &mut buf).map_err(|message| WalkError::Commit {
                path: self.path.clone(),
                id,
                message,
            })?;
            let time = commit_time(data, id.kind());
            queue.push(Pending {
                time,
                seq: u64::MAX - seq,
                id,
                data: data.to_vec(),
                stored_parents: None,
            });
            Ok(())
        };
        let in_flight = &AtomicUsize::new(0);
        rayon::in_place_scope(|scope| -> Result<(), WalkError> {
            for tip in &tips {
                if seen.insert(*tip) {
                    if known.is_complete(tip) {
                        summary.boundary.insert(*tip);
                    } else {
                        load(*tip, &mut queue)?;
                    }
                }
            }
            let mut batch: Vec<(ObjectId, Vec<u8>)> = Vec::with_capacity(BATCH);
            let failure = &failure;
            let work = move |batch: Vec<(ObjectId, Vec<u8>)>| {
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
                sink(records);
            };
            // Inflating is faster than what follows, so unbounded hand-offs would hold the raw
            // bytes of most of history at once (a gigabyte on the Linux kernel). Past a few
            // batches per worker this thread does the next batch itself instead.
            let most = 2 * rayon::current_num_threads().max(1);
            let flush = |batch: Vec<(ObjectId, Vec<u8>)>| {
                if in_flight.load(Ordering::Acquire) >= most {
                    work(batch);
                    return;
                }
                in_flight.fetch_add(1, Ordering::AcqRel);
                scope.spawn(move |_| {
                    work(batch);
                    in_flight.fetch_sub(1, Ordering::AcqRel);
                });
            };
            while let Some(Pending {
                id,
                data,
                stored_parents,
                ..
            }) = queue.pop()
            {
                if shallow.binary_search(&id).is_err() {
                    let parents: Vec<ObjectId> = match &stored_parents {
                        Some(p) => p.clone(),
                        None => gix::objs::CommitRefIter::from_bytes(&data, repo.object_hash())
                            .parent_ids()
                            .collect(),
                    };
                    for parent in parents {
                        if seen.insert(parent) {
                            if known.is_complete(&parent) {
                                summary.boundary.insert(parent);
                            } else {
                                load(parent, &mut queue)?;
                            }
                        }
                    }
                }
                if stored_parents.is_some() {
                    summary.known += 1;
                    continue;
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

    /// Every file path of the tree of commit `tip`, and the text of `wanted` files present there
    /// (at most 1 MiB each), for configuration checks.
    pub fn tip_files(&self, tip: ObjectId, wanted: &[&str]) -> Result<TipFiles, WalkError> {
        let repo = self.local();
        let err = |e: &dyn std::error::Error| WalkError::Commit {
            path: self.path.clone(),
            id: tip,
            message: error_chain(e),
        };
        let tree = repo
            .find_commit(tip)
            .map_err(|e| err(&e))?
            .tree()
            .map_err(|e| err(&e))?;
        let mut recorder = gix::traverse::tree::Recorder::default();
        tree.traverse()
            .breadthfirst(&mut recorder)
            .map_err(|e| err(&e))?;
        let paths = recorder
            .records
            .iter()
            .filter(|e| e.mode.is_blob_or_symlink())
            .map(|e| e.filepath.to_str_lossy().into_owned())
            .collect();
        let mut texts = Vec::new();
        for name in wanted {
            if let Ok(Some(entry)) = tree.lookup_entry_by_path(name)
                && let Ok(object) = entry.object()
                && object.kind == gix::object::Kind::Blob
                && object.data.len() <= 1 << 20
            {
                texts.push(((*name).to_owned(), object.data.to_str_lossy().into_owned()));
            }
        }
        Ok((paths, texts))
    }

    /// Read the one commit `rev` names (a hash, `HEAD~2`, a branch), with its diff as `stats` asks.
    pub fn read_one(&self, rev: &str, stats: Stats) -> Result<CommitRecord, WalkError> {
        let repo = self.local();
        let id = repo
            .rev_parse_single(rev)
            .map_err(|e| WalkError::Revision {
                path: self.path.clone(),
                rev: rev.to_owned(),
                message: error_chain(&e),
            })?
            .object()
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| WalkError::Revision {
                path: self.path.clone(),
                rev: rev.to_owned(),
                message: error_chain(&e),
            })?
            .id;
        let mut buf = Vec::new();
        let data = find_commit(&repo, id, &mut buf).map_err(|message| WalkError::Commit {
            path: self.path.clone(),
            id,
            message,
        })?;
        let mut records = vec![self.record(id, data)?];
        if stats != Stats::None {
            Differ::new(self).diff_batch(&mut records, stats);
        }
        Ok(records.remove(0))
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
            tree: commit.tree(),
            parents: commit.parents().collect(),
            author: person(author),
            committer: person(committer),
            message: commit.message.to_owned(),
            files: None,
            attestations: Vec::new(),
        })
    }
}

/// Per-thread diff state: a thread-local repository handle with an object cache (so the trees a
/// commit shares with its parent are decoded once), and the two resource caches gix needs, one for
/// rename tracking and one for line counts, kept across commits (gix-notes: building them per
/// commit dominated the profile).
struct Differ {
    repo: gix::Repository,
    /// Trees and blobs, read with every delta base kept.
    objects: objects::Objects,
    rewrite_cache: Option<gix::diff::blob::Platform>,
    state: gix::diff::tree::State,
    old_tree: Vec<u8>,
    /// The tree whose bytes `old_tree` holds.
    old_tree_id: Option<ObjectId>,
    new_tree: Vec<u8>,
    buf: Vec<u8>,
    blobs: (Vec<u8>, Vec<u8>),
}

impl Differ {
    fn new(repo: &Repo) -> Self {
        // No object cache: the trees a diff needs again are mostly the parent's root, which is
        // reused below, and the delta-base cache keeps their bases. A 16 MiB object cache per
        // thread copied every tree in and out and churned memory: 5% slower, 100 MB more.
        let local = repo.local();
        let mut rewrite_cache = local.diff_resource_cache_for_tree_diff().ok();
        if let Some(cache) = rewrite_cache.as_mut() {
            // Never hand a diff to an external program named by repository configuration.
            cache.options.skip_internal_diff_if_external_is_configured = false;
        }
        Differ {
            rewrite_cache,
            objects: objects::Objects::new(repo.packs(), local.objects.clone()),
            repo: local,
            state: Default::default(),
            old_tree: Vec::new(),
            old_tree_id: None,
            new_tree: Vec::new(),
            buf: Vec::new(),
            blobs: (Vec::new(), Vec::new()),
        }
    }

    /// Fill `files` of every non-merge record. A commit whose trees cannot be read keeps `None`.
    fn diff_batch(&mut self, records: &mut [CommitRecord], stats: Stats) {
        use gix::objs::FindExt as _;
        // Parents are usually the next record in walk order: look their trees up here first.
        let trees: std::collections::HashMap<ObjectId, ObjectId> =
            records.iter().map(|r| (r.id, r.tree)).collect();
        for record in records.iter_mut() {
            if record.is_merge() {
                continue;
            }
            let parent_tree = match record.parents.first() {
                None => None,
                Some(p) => match trees.get(p) {
                    Some(t) => Some(*t),
                    None => match self.repo.objects.find_commit_iter(p, &mut self.buf) {
                        Ok(mut c) => c.tree_id().ok(),
                        // The parent is gone (shallow boundary): nothing to diff against.
                        Err(_) => continue,
                    },
                },
            };
            record.files = self.diff(parent_tree, record.tree, stats).ok();
        }
    }

    fn diff(
        &mut self,
        old: Option<ObjectId>,
        new: ObjectId,
        stats: Stats,
    ) -> Result<Vec<FileChange>, String> {
        use gix::diff::tree_with_rewrites::{ChangeRef as Change, Options};
        let Differ {
            objects,
            rewrite_cache,
            state,
            old_tree,
            old_tree_id,
            new_tree,
            blobs,
            ..
        } = self;
        let Some(rewrite_cache) = rewrite_cache.as_mut() else {
            return Err("no diff resource cache".into());
        };
        // Walk order puts a commit right before its parent, whose tree was the old side of the
        // previous diff: reuse those bytes instead of looking the root tree up again.
        if *old_tree_id == Some(new) {
            std::mem::swap(old_tree, new_tree);
        } else {
            load_tree(&*objects, new, new_tree)?;
        }
        *old_tree_id = None;
        match old {
            Some(id) => {
                load_tree(&*objects, id, old_tree)?;
                *old_tree_id = Some(id);
            }
            None => old_tree.clear(),
        }
        let kind = new.kind();
        let lhs = gix::objs::TreeRefIter::from_bytes(old_tree, kind);
        let rhs = gix::objs::TreeRefIter::from_bytes(new_tree, kind);
        let rewrites = match stats {
            // Exact renames need no blob reads.
            Stats::Paths => gix::diff::Rewrites {
                percentage: None,
                ..Default::default()
            },
            _ => gix::diff::Rewrites::default(),
        };
        let mut files = Vec::new();
        let objects = &*objects;
        let result = gix::diff::tree_with_rewrites(
            lhs,
            rhs,
            rewrite_cache,
            state,
            objects,
            |change| -> gix::Result<gix::diff::tree_with_rewrites::Action> {
                let mode = change.entry_mode();
                let submodule = mode.is_commit();
                if !mode.is_blob_or_symlink() && !submodule {
                    return Ok(std::ops::ControlFlow::Continue(()));
                }
                let (status, old_path) = match &change {
                    Change::Addition { .. } => (FileStatus::Added, None),
                    Change::Deletion { .. } => (FileStatus::Deleted, None),
                    Change::Modification { .. } => (FileStatus::Modified, None),
                    Change::Rewrite {
                        source_location,
                        copy,
                        ..
                    } => (
                        if *copy {
                            FileStatus::Copied
                        } else {
                            FileStatus::Renamed
                        },
                        Some(BString::from(source_location.to_vec())),
                    ),
                };
                let (lines, binary) = if stats != Stats::Lines {
                    (None, false)
                } else if submodule {
                    // git shows a submodule update as one changed `Subproject commit` line.
                    let lines = match status {
                        FileStatus::Added => (1, 0),
                        FileStatus::Deleted => (0, 1),
                        _ => (1, 1),
                    };
                    (Some(lines), false)
                } else {
                    count_lines(objects, blobs, &change)
                };
                files.push(FileChange {
                    path: change.location().to_owned(),
                    old_path,
                    status,
                    lines,
                    binary,
                });
                Ok(std::ops::ControlFlow::Continue(()))
            },
            Options {
                location: Some(gix::diff::tree::recorder::Location::Path),
                rewrites: Some(rewrites),
            },
        );
        rewrite_cache.clear_resource_cache_keep_allocation();
        result.map_err(|e| error_chain(&e))?;
        Ok(files)
    }
}

/// Put the bytes of tree `id` into `buf`. gix answers the empty tree from a constant without
/// touching the buffer, so the bytes are copied whenever they are not already there.
fn load_tree(
    objects: &impl gix::objs::Find,
    id: ObjectId,
    buf: &mut Vec<u8>,
) -> Result<(), String> {
    buf.clear();
    let (kind, len) = match objects.try_find(&id, buf) {
        Ok(Some(data)) => (data.kind, data.data.len()),
        Ok(None) => return Err(format!("tree {id} not found")),
        Err(e) => return Err(error_chain(&e)),
    };
    if kind != gix::object::Kind::Tree {
        return Err(format!("{id}: expected a tree, found a {kind}"));
    }
    if len != buf.len() {
        // Not written to the buffer (the empty tree): copy what was returned.
        let mut scratch = Vec::new();
        if let Ok(Some(data)) = objects.try_find(&id, &mut scratch) {
            let bytes = data.data.to_vec();
            *buf = bytes;
        }
    }
    Ok(())
}

/// Blobs at least this large are not diffed (git's `core.bigFileThreshold` default).
const BIG_FILE: usize = 512 << 20;

/// Lines added and deleted by one change, and whether it is binary, the way `git log --numstat`
/// counts them: a file with a NUL byte in its first 8000 bytes is binary; lines keep their
/// terminator, so adding a newline to an unterminated last line changes that line; Myers diff. A
/// blob that cannot be read (a partial clone, a damaged pack) gives unknown counts, not an error.
fn count_lines(
    objects: &impl gix::objs::Find,
    bufs: &mut (Vec<u8>, Vec<u8>),
    change: &gix::diff::tree_with_rewrites::ChangeRef<'_>,
) -> (Option<(u32, u32)>, bool) {
    use gix::diff::tree_with_rewrites::ChangeRef;
    use gix::objs::FindExt as _;
    let (old, new) = match change {
        ChangeRef::Addition { id, .. } => (None, Some(*id)),
        ChangeRef::Deletion { id, .. } => (Some(*id), None),
        ChangeRef::Modification {
            previous_id, id, ..
        } => (Some(*previous_id), Some(*id)),
        ChangeRef::Rewrite { source_id, id, .. } => (Some(*source_id), Some(*id)),
    };
    if old == new {
        return (Some((0, 0)), false);
    }
    let (old_buf, new_buf) = bufs;
    let load = |id: Option<ObjectId>, buf: &mut Vec<u8>| -> Option<bool> {
        match id {
            None => {
                buf.clear();
                Some(true)
            }
            // gix answers the empty blob without touching the buffer: never let a previous
            // blob's bytes stand in for it.
            Some(id) => {
                buf.clear();
                objects.find_blob(&id, buf).ok().map(|_| true)
            }
        }
    };
    if load(old, old_buf).is_none() || load(new, new_buf).is_none() {
        return (None, false);
    }
    let binary =
        |b: &[u8]| b.len() >= BIG_FILE || memchr::memchr(0, &b[..b.len().min(8000)]).is_some();
    if binary(old_buf) || binary(new_buf) {
        return (None, true);
    }
    if old_buf.is_empty() {
        return (Some((line_count(new_buf), 0)), false);
    }
    if new_buf.is_empty() {
        return (Some((0, line_count(old_buf))), false);
    }
    let input = gix::diff::blob::InternedInput::new(
        gix::diff::blob::sources::byte_lines(old_buf),
        gix::diff::blob::sources::byte_lines(new_buf),
    );
    let diff = gix::diff::blob::Diff::compute(gix::diff::blob::Algorithm::Myers, &input);
    (Some((diff.count_additions(), diff.count_removals())), false)
}

/// Lines in a text, as git counts them: a last line without newline still counts.
fn line_count(text: &[u8]) -> u32 {
    let newlines = memchr::memchr_iter(b'\n', text).count();
    let unterminated = usize::from(text.last().is_some_and(|&b| b != b'\n'));
    u32::try_from(newlines + unterminated).unwrap_or(u32::MAX)
}

/// A commit waiting in the walk's frontier.
struct Pending {
    time: i64,
    seq: u64,
    id: ObjectId,
    data: Vec<u8>,
    /// Set for a commit the store holds: its parents, and nothing to read.
    stored_parents: Option<Vec<ObjectId>>,
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
    folder_name(&base).unwrap_or_else(|| path.display().to_string())
}

/// A repository's name from its folder: the folder's name without `.git`, or the parent's when
/// the folder's says nothing (`.git`, `repo`, `repo.git`: mirrors laid out as `owner+name/repo`).
pub fn folder_name(path: &Path) -> Option<String> {
    const GENERIC: [&str; 3] = ["", "repo", "repository"];
    let mut at = path;
    for _ in 0..2 {
        let name = at.file_name()?.to_string_lossy().into_owned();
        let name = name.strip_suffix(".git").unwrap_or(&name).to_owned();
        if !GENERIC.contains(&name.as_str()) {
            return Some(name);
        }
        at = at.parent()?;
    }
    None
}

/// Lossy UTF-8 rendering for display and storage of names and text.
pub fn lossy(b: &[u8]) -> String {
    b.to_str_lossy().into_owned()
}
