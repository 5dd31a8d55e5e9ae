//! Object reads for diffs that keep every delta base they resolve.
//!
//! gix resolves a deltified object by walking its delta chain down to an object in its cache (or
//! to the chain's undeltified base) and then keeps only the object that was asked for. A walk
//! through history asks for the versions of each tree in an order that rarely meets what it
//! kept: on git/git every tree read inflated about four deltas, on a repository packed by
//! `git fast-import` about twenty-five, and tree diffs spent half their time in zlib. git itself
//! keeps each base it resolves on the way. This reader does the same with gix's own decoder: it
//! finds the deepest level of the chain that is not cached and decodes upwards from there, one
//! level at a time, so that every level lands in the cache. Objects that are not in a pack of the
//! repository (loose objects, alternates) are read through gix as before.

use std::cell::RefCell;
use std::path::Path;
use std::sync::Arc;

use gix::odb::pack;
use gix::odb::pack::cache::DecodeEntry as _;

/// The pack files of a repository, opened once and shared by every thread.
pub(crate) struct Packs {
    packs: Vec<(pack::index::File, pack::data::File)>,
    hash: gix::hash::Kind,
}

impl Packs {
    /// Open every readable pack under `objects/pack`; a pack that cannot be opened is left to gix.
    pub(crate) fn open(objects_dir: &Path, hash: gix::hash::Kind) -> Self {
        let mut packs = Vec::new();
        if let Ok(entries) = std::fs::read_dir(objects_dir.join("pack")) {
            let mut idx: Vec<_> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "idx"))
                .collect();
            // Newest packs first would be nicer, but any fixed order keeps results reproducible.
            idx.sort();
            for path in idx {
                let data = path.with_extension("pack");
                if let (Ok(index), Ok(data)) = (
                    pack::index::File::at(&path, hash),
                    pack::data::File::at(&data, hash),
                ) {
                    packs.push((index, data));
                }
            }
        }
        Packs { packs, hash }
    }
}

/// How much resolved object data each thread keeps, like git's `core.deltaBaseCacheLimit`.
const CACHE_BYTES: usize = 32 << 20;

/// Longest delta chain followed before the pack is taken for corrupt.
const MAX_CHAIN: usize = 10_000;

/// Reads objects for one thread: packed objects through [`Packs`] with every resolved delta base
/// kept, the rest through `odb`.
pub(crate) struct Objects {
    packs: Arc<Packs>,
    odb: gix::OdbHandle,
    state: RefCell<State>,
}

struct State {
    cache: pack::cache::lru::MemoryCappedHashmap,
    inflate: gix::zlib::Inflate,
    /// Pack offsets of the chain being resolved, the object asked for first.
    chain: Vec<u64>,
}

impl Objects {
    pub(crate) fn new(packs: Arc<Packs>, odb: gix::OdbHandle) -> Self {
        Objects {
            packs,
            odb,
            state: RefCell::new(State {
                cache: pack::cache::lru::MemoryCappedHashmap::new(CACHE_BYTES),
                inflate: gix::zlib::Inflate::default(),
                chain: Vec::new(),
            }),
        }
    }

    /// Decode the object at `offset` of pack `p` into `out`; returns its kind.
    fn decode(
        &self,
        p: usize,
        offset: u64,
        out: &mut Vec<u8>,
    ) -> gix::error::Result<gix::objs::Kind> {
        let (index, data) = &self.packs.packs[p];
        let state = &mut *self.state.borrow_mut();
        let State {
            cache,
            inflate,
            chain,
        } = state;
        // Down the chain to the first cached level or the undeltified base.
        chain.clear();
        let mut at = offset;
        loop {
            if let Some((kind, _)) = cache.get(data.id, at, out) {
                if chain.is_empty() {
                    return Ok(kind);
                }
                break;
            }
            chain.push(at);
            if chain.len() > MAX_CHAIN {
                return Err(gix::error::message!(
                    "delta chain longer than {MAX_CHAIN} in {}",
                    data.path().display()
                )
                .into());
            }
            let entry = data.entry(at)?;
            at = match entry.header {
                pack::data::entry::Header::OfsDelta { base_distance } => entry
                    .checked_base_pack_offset(base_distance)
                    .ok_or_else(|| {
                        gix::error::message!("delta base out of range in {}", data.path().display())
                    })?,
                pack::data::entry::Header::RefDelta { base_id } => {
                    match index.lookup(base_id) {
                        Some(i) => index.pack_offset_at_index(i),
                        // The base lives elsewhere: gix's resolver below fetches it.
                        None => break,
                    }
                }
                _ => break,
            };
        }
        // Up again, one level at a time: gix decodes each from the level below, now cached, and
        // caches it in turn. Undeltified bases are cached here, as gix does not.
        let resolve = |id: &gix::hash::oid, buf: &mut Vec<u8>| -> gix::error::Result<_> {
            if let Some(i) = index.lookup(id) {
                return Ok(Some(pack::data::decode::entry::ResolvedBase::InPack(
                    data.entry(index.pack_offset_at_index(i))?,
                )));
            }
            use gix::objs::Find as _;
            Ok(self.odb.try_find(id, buf)?.map(|d| {
                let (kind, end) = (d.kind, d.data.len());
                pack::data::decode::entry::ResolvedBase::OutOfPack { kind, end }
            }))
        };
        let mut kind = gix::objs::Kind::Blob;
        for &level in chain.iter().rev() {
            let entry = data.entry(level)?;
            let delta = entry.header.is_delta();
            let outcome = data.decode_entry(entry, out, inflate, &resolve, cache)?;
            if !delta {
                cache.put(data.id, level, out, outcome.kind, outcome.compressed_size);
            }
            kind = outcome.kind;
        }
        Ok(kind)
    }
}

impl gix::objs::Find for Objects {
    fn try_find<'a>(
        &self,
        id: &gix::hash::oid,
        buffer: &'a mut Vec<u8>,
    ) -> gix::error::Result<Option<gix::objs::Data<'a>>> {
        for (p, (index, _)) in self.packs.packs.iter().enumerate() {
            if let Some(i) = index.lookup(id) {
                let kind = self.decode(p, index.pack_offset_at_index(i), buffer)?;
                return Ok(Some(gix::objs::Data {
                    kind,
                    object_hash: self.packs.hash,
                    data: buffer,
                }));
            }
        }
        self.odb.try_find(id, buffer)
    }
}

impl gix::objs::FindHeader for Objects {
    fn try_header(&self, id: &gix::hash::oid) -> gix::error::Result<Option<gix::objs::Header>> {
        self.odb.try_header(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gix::ObjectId;
    use gix::objs::Find as _;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) -> String {
        let out = Command::new("git")
            .current_dir(dir)
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "A")
            .env("GIT_AUTHOR_EMAIL", "a@example.com")
            .env("GIT_COMMITTER_NAME", "A")
            .env("GIT_COMMITTER_EMAIL", "a@example.com")
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {out:?}");
        String::from_utf8(out.stdout).expect("utf-8")
    }

    /// Every object of a repository whose trees and blobs are long delta chains (and some loose
    /// objects besides) reads the same through [`Objects`] as through gix, in any order.
    #[test]
    fn deltified_packs_read_as_gix_reads_them() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let repo = dir.path();
        git(repo, &["init", "-q", "-b", "main"]);
        for i in 0..60 {
            let sub = repo.join(format!("dir{}", i % 3));
            std::fs::create_dir_all(&sub).expect("folder");
            let text: String = (0..200)
                .map(|l| format!("line {l} of {}\n", i / 7))
                .collect();
            std::fs::write(sub.join("file.txt"), format!("{text}change {i}\n")).expect("write");
            std::fs::write(repo.join("top.txt"), format!("{i}\n")).expect("write");
            git(repo, &["add", "-A"]);
            git(repo, &["commit", "-q", "-m", &format!("change {i}")]);
            if i == 40 {
                git(repo, &["repack", "-adfq", "--depth=50", "--window=50"]);
            }
        }
        let ids: Vec<ObjectId> = git(repo, &["rev-list", "--objects", "--all"])
            .lines()
            .filter_map(|l| l.split(' ').next())
            .filter_map(|h| ObjectId::from_hex(h.as_bytes()).ok())
            .collect();
        assert!(ids.len() > 200, "{} objects", ids.len());
        let opened = gix::open(repo).expect("repository");
        let packs = Arc::new(Packs::open(
            &repo.join(".git/objects"),
            opened.object_hash(),
        ));
        assert_eq!(packs.packs.len(), 1);
        let reader = Objects::new(packs, opened.objects.clone());
        // Oldest first, then newest first: chains are met from both ends.
        for id in ids.iter().rev().chain(ids.iter()) {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let ours = reader.try_find(id, &mut a).expect("read").expect("found");
            let theirs = opened
                .objects
                .try_find(id, &mut b)
                .expect("read")
                .expect("found");
            assert_eq!((ours.kind, ours.data), (theirs.kind, theirs.data), "{id}");
        }
        let mut buf = Vec::new();
        let missing = ObjectId::from_hex(b"0123456789012345678901234567890123456789").unwrap();
        assert!(reader.try_find(&missing, &mut buf).expect("read").is_none());
    }
}
