//! The only module that reads commits with gix: repository → [`CommitRecord`]s.
//!
//! Reading is split in two so that it parallelises: [`Repo::plan`] walks the commit graph once from
//! the tips (cheap with a commit-graph file, and it is where shallow boundaries end history), then
//! [`Reader::read`] decodes any slice of those ids on any thread with its own thread-local handle,
//! applying the mailmap. Repositories are opened in isolation: no global or user configuration, no
//! environment, and nothing of the repository is ever executed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bstr::{BString, ByteSlice};
use gix::ObjectId;
use gix::prelude::FindExt;

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

/// The commits a walk will read, in walk order (newest first by commit time).
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Commit ids to read.
    pub ids: Vec<ObjectId>,
    /// The tips the walk started from.
    pub tips: Vec<ObjectId>,
}

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

    /// Walk the commit graph from HEAD (and every local branch with `all_branches`), newest first.
    /// An unborn HEAD gives an empty plan; a shallow boundary ends the walk.
    pub fn plan(&self, opts: &WalkOptions) -> Result<Plan, WalkError> {
        let repo = self.local();
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
            for r in branches.flatten() {
                let mut r = r;
                if let Ok(id) = r.peel_to_id() {
                    let id = id.detach();
                    if !tips.contains(&id) {
                        tips.push(id);
                    }
                }
            }
        }
        if tips.is_empty() {
            return Ok(Plan::default());
        }
        let walk_err = |e: &dyn std::error::Error| WalkError::Walk {
            path: self.path.clone(),
            message: error_chain(e),
        };
        let walk = repo
            .rev_walk(tips.iter().copied())
            .sorting(gix::revision::walk::Sorting::ByCommitTime(
                gix::traverse::commit::simple::CommitTimeOrder::NewestFirst,
            ))
            .use_commit_graph(true)
            .all()
            .map_err(|e| walk_err(&e))?;
        let mut ids = Vec::new();
        for info in walk {
            let info = info.map_err(|e| walk_err(&e))?;
            ids.push(info.id);
        }
        Ok(Plan { ids, tips })
    }

    /// A reader for this thread.
    pub fn reader(&self) -> Reader {
        Reader {
            repo: self.local(),
            mailmap: Arc::clone(&self.mailmap),
            path: self.path.clone(),
            buf: Vec::new(),
        }
    }
}

/// Decodes commits on one thread.
pub struct Reader {
    repo: gix::Repository,
    mailmap: Arc<gix::mailmap::Snapshot>,
    path: PathBuf,
    buf: Vec<u8>,
}

impl Reader {
    /// Read one commit.
    pub fn read(&mut self, id: ObjectId) -> Result<CommitRecord, WalkError> {
        let err = |message: String| WalkError::Commit {
            path: self.path.clone(),
            id,
            message,
        };
        let commit = self
            .repo
            .objects
            .find_commit(&id, &mut self.buf)
            .map_err(|e| err(error_chain(&e)))?;
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
        let parents = commit.parents().collect();
        Ok(CommitRecord {
            id,
            parents,
            author: person(author),
            committer: person(committer),
            message: commit.message.to_owned(),
        })
    }

    /// The thread-local repository handle (for diffs and tree reads).
    pub fn repo(&self) -> &gix::Repository {
        &self.repo
    }
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
