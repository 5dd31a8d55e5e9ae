//! Diffs against the first parent: changed paths, and line counts when asked, with a per-thread
//! tree and blob cache.

use super::*;

/// Per-thread diff state: a thread-local repository handle with an object cache (so the trees a
/// commit shares with its parent are decoded once), and the two resource caches gix needs, one for
/// rename tracking and one for line counts, kept across commits (gix-notes: building them per
/// commit dominated the profile).
pub(super) struct Differ {
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
    /// Commits whose trees could not be read.
    pub(super) unreadable: crate::model::Unreadable,
}

impl Differ {
    pub(super) fn new(repo: &Repo) -> Self {
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
            unreadable: Default::default(),
        }
    }

    /// Fill `files` of every non-merge record. A commit whose trees cannot be read keeps `None`
    /// and is counted in `unreadable`.
    pub(super) fn diff_batch(&mut self, records: &mut [CommitRecord], stats: Stats) {
        use gix::objs::FindExt as _;
        // Parents are usually the next record in walk order: look their trees up here first.
        let trees: std::collections::HashMap<ObjectId, ObjectId> =
            records.iter().map(|r| (r.id.gix(), r.tree.gix())).collect();
        for record in records.iter_mut() {
            if record.is_merge() {
                continue;
            }
            let parent_tree = match record.parents.first() {
                None => None,
                Some(p) => match trees.get(&p.gix()) {
                    Some(t) => Some(*t),
                    None => match self.repo.objects.find_commit_iter(&p.gix(), &mut self.buf) {
                        Ok(mut c) => c.tree_id().ok(),
                        // The parent is gone (shallow boundary): nothing to diff against.
                        Err(_) => continue,
                    },
                },
            };
            match self.diff(parent_tree, record.tree.gix(), stats) {
                Ok(files) => record.files = Some(files),
                Err(what) => self
                    .unreadable
                    .add(record.id.gix().to_hex_with_len(12), &what),
            }
        }
    }

    pub(super) fn diff(
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
pub(super) fn load_tree(
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
pub(super) const BIG_FILE: usize = 512 << 20;

/// Lines added and deleted by one change, and whether it is binary, the way `git log --numstat`
/// counts them: a file with a NUL byte in its first 8000 bytes is binary; lines keep their
/// terminator, so adding a newline to an unterminated last line changes that line; Myers diff. A
/// blob that cannot be read (a partial clone, a damaged pack) gives unknown counts, not an error.
pub(super) fn count_lines(
    objects: &(impl gix::objs::Find + gix::objs::FindHeader),
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
    // git's big-file rule from the object header, before a byte is read: a gigabyte blob is
    // binary, and is never held in memory.
    let big = |id: Option<ObjectId>| {
        id.and_then(|id| objects.try_header(&id).ok().flatten())
            .is_some_and(|h| h.size >= BIG_FILE as u64)
    };
    if big(old) || big(new) {
        return (None, true);
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
pub(super) fn line_count(text: &[u8]) -> u32 {
    let newlines = memchr::memchr_iter(b'\n', text).count();
    let unterminated = usize::from(text.last().is_some_and(|&b| b != b'\n'));
    u32::try_from(newlines + unterminated).unwrap_or(u32::MAX)
}
