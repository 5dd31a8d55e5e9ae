//! The commit walkers: with a commit-graph (ids first, then commits read in parallel batches) or
//! without (a time-ordered walk). Both hand batches to one sink, which diffs them and reports
//! progress once.

use super::*;

impl Repo {
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
        let mut summary = if repo.commit_graph().is_ok() {
            self.read_with_graph(&repo, tips, known, progress, cancel, &finish)?
        } else {
            self.read_sequential(&repo, tips, known, progress, cancel, &finish)?
        };
        let mut unreadable = summary.unreadable.take().map(|u| *u).unwrap_or_default();
        for differ in differs {
            unreadable.merge(differ.into_inner().unreadable);
        }
        summary.unreadable = (!unreadable.is_empty()).then(|| Box::new(unreadable));
        Ok(summary)
    }

    pub(super) fn read_with_graph<F>(
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
        // The commit-graph knows every commit's parents, so one that cannot be read is left out
        // alone and the walk goes on past it.
        let lost = Lost::default();
        ids.par_chunks(BATCH).for_each(|chunk| {
            if cancel.load(Ordering::Relaxed) {
                cancelled.store(true, Ordering::Relaxed);
                return;
            }
            let local = self.local();
            let mut buf = Vec::new();
            let mut records = Vec::with_capacity(chunk.len());
            for &id in chunk {
                let read = find_commit(&local, id, &mut buf)
                    .map_err(|message| self.commit_error(id, message))
                    .and_then(|data| self.record(id, data));
                match read {
                    Ok(record) => records.push(record),
                    Err(e) => lost.add(e),
                }
            }
            sink(records);
        });
        let (unreadable, first) = lost.take();
        if let Some(e) = first
            && unreadable.lost == ids.len() as u64
            && passed == 0
        {
            return Err(e);
        }
        Ok(WalkSummary {
            commits: ids.len() as u64 - unreadable.lost,
            known: passed,
            boundary: boundary.into_inner(),
            tips,
            cancelled: cancelled.load(Ordering::Relaxed),
            unreadable: (!unreadable.is_empty()).then(|| Box::new(unreadable)),
        })
    }

    fn commit_error(&self, id: ObjectId, message: String) -> WalkError {
        WalkError::Commit {
            path: self.path.clone(),
            id,
            message,
        }
    }

    pub(super) fn read_sequential<F>(
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
        let lost = &Lost::default();
        // Commits counted as read whose bytes then failed to decode.
        let undecoded = &AtomicUsize::new(0);
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
            // A commit that cannot be read is left out, and so is history only it leads to.
            let data = match find_commit(repo, id, &mut buf) {
                Ok(data) => data,
                Err(message) => {
                    lost.add(self.commit_error(id, message));
                    return Ok(());
                }
            };
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
            let work = move |batch: Vec<(ObjectId, Vec<u8>)>| {
                let mut records = Vec::with_capacity(batch.len());
                for (id, data) in batch {
                    match self.record(id, &data) {
                        Ok(r) => records.push(r),
                        Err(e) => {
                            undecoded.fetch_add(1, Ordering::Relaxed);
                            lost.add(e);
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
        summary.commits -= undecoded.load(Ordering::Relaxed) as u64;
        let (unreadable, first) = lost.take();
        if let Some(e) = first
            && summary.commits == 0
            && summary.known == 0
        {
            return Err(e);
        }
        summary.unreadable = (!unreadable.is_empty()).then(|| Box::new(unreadable));
        Ok(summary)
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
    pub(super) fn record(&self, id: ObjectId, data: &[u8]) -> Result<CommitRecord, WalkError> {
        let err = |message: String| WalkError::Commit {
            path: self.path.clone(),
            id,
            message,
        };
        let commit =
            gix::objs::CommitRef::from_bytes(data, id.kind()).map_err(|e| err(error_chain(&e)))?;
        let author = commit.author().map_err(|e| err(error_chain(&e)))?;
        let committer = commit.committer().map_err(|e| err(error_chain(&e)))?;
        let encoding = declared_encoding(commit.encoding);
        let person = |sig: gix::actor::SignatureRef<'_>| {
            let mapped = self.mailmap.resolve_cow(sig.trim());
            Person {
                name: to_utf8(encoding, &mapped.name),
                email: mapped.email.into_owned(),
                time: mapped.time.seconds,
                offset: mapped.time.offset,
            }
        };
        Ok(CommitRecord {
            id: Oid::from_gix(id),
            tree: Oid::from_gix(commit.tree()),
            parents: commit.parents().map(Oid::from_gix).collect(),
            author: person(author),
            committer: person(committer),
            message: to_utf8(encoding, commit.message),
            files: None,
            attestations: Vec::new(),
        })
    }
}

/// A commit waiting in the walk's frontier.
pub(super) struct Pending {
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
pub(super) fn find_commit<'b>(
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
pub(super) fn commit_time(data: &[u8], kind: gix::hash::Kind) -> i64 {
    gix::objs::CommitRefIter::from_bytes(data, kind)
        .committer()
        .map(|c| c.seconds())
        .unwrap_or(0)
}

/// The encoding a commit's `encoding` header names (git's `i18n.commitEncoding`), unless UTF-8.
fn declared_encoding(label: Option<&bstr::BStr>) -> Option<&'static encoding_rs::Encoding> {
    encoding_rs::Encoding::for_label(label?).filter(|e| *e != encoding_rs::UTF_8)
}

/// Text of a commit in UTF-8, as `git log` shows it: bytes that are not UTF-8 in a commit that
/// names its encoding are decoded from it. Anything else is kept as it is (invalid bytes are
/// replaced only where the text is shown).
fn to_utf8(encoding: Option<&'static encoding_rs::Encoding>, bytes: &[u8]) -> bstr::BString {
    match encoding {
        Some(e) if std::str::from_utf8(bytes).is_err() => {
            e.decode_without_bom_handling(bytes).0.into_owned().into()
        }
        _ => bytes.into(),
    }
}

/// Commits a walk could not read, gathered from every thread: the first error is kept whole, for
/// a repository where nothing could be read.
#[derive(Default)]
struct Lost(std::sync::Mutex<(crate::model::Unreadable, Option<WalkError>)>);

impl Lost {
    fn add(&self, e: WalkError) {
        let mut lost = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let (id, what) = match &e {
            WalkError::Commit { id, message, .. } => {
                (id.to_hex_with_len(12).to_string(), message.clone())
            }
            other => (String::from("a commit"), other.to_string()),
        };
        lost.0.lose(id, &what);
        lost.1.get_or_insert(e);
    }

    fn take(&self) -> (crate::model::Unreadable, Option<WalkError>) {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}
