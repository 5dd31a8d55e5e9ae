//! Object reads for diffs that keep every delta base they resolve.
//!
//! gix resolves a deltified object by walking its delta chain down to an object in its cache (or
//! to the chain's undeltified base) and then keeps only the object that was asked for. A walk
//! through history asks for the versions of each tree in an order that rarely meets what it
//! kept: on git/git every tree read inflated about four deltas, on a repository packed by
//! `git fast-import` about twenty-five, and tree diffs spent half their time in zlib. git itself
//! keeps each base it resolves on the way. This reader does the same: it finds the deepest level of
//! the chain that is not cached and applies the deltas upwards from there, one level at a time,
//! each level moving into the cache as it is made, so that an object is copied once, into the
//! caller's buffer. Decompression and pack parsing are gix's. Objects that are not in a pack of the
//! repository (loose objects, alternates) are read through gix as before.

use std::cell::RefCell;
use std::path::Path;
use std::sync::Arc;

use gix::odb::pack;

/// The pack files of a repository, opened once and shared by every thread.
pub(crate) struct Packs {
    packs: Vec<(pack::index::File, pack::data::File)>,
    hash: gix::hash::Kind,
}

impl Packs {
    /// Open every readable pack under `objects/pack`; a pack that cannot be opened is left to gix,
    /// and so is every pack when [`gix_reader_only`].
    pub(crate) fn open(objects_dir: &Path, hash: gix::hash::Kind) -> Self {
        let mut packs = Vec::new();
        if gix_reader_only() {
            return Packs { packs, hash };
        }
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
                    packs.push((index, data.with_alloc_limit_bytes(Some(MAX_OBJECT))));
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

/// The largest object read, the same limit gix is given (`gitoxide.objects.allocLimit`): sizes come
/// from pack and delta headers, and a corrupt header must fail its repository, never abort the
/// process by asking for 2^50 bytes. Larger than any blob git stores deltified or diffs as text.
pub(crate) const MAX_OBJECT: usize = 4 << 30;

/// Deflate's largest expansion is about 1032 to 1: an entry cannot decompress to more than this
/// many bytes per byte left in the pack, whatever its header claims.
const MAX_INFLATE_RATIO: usize = 1032;

/// Whether `AGENTSCAN_OBJECT_READER=gix` asks for gix's own object reader instead of this one.
pub(crate) fn gix_reader_only() -> bool {
    std::env::var_os("AGENTSCAN_OBJECT_READER").is_some_and(|v| v == "gix")
}

/// A zeroed buffer of the `size` a pack header claims for the entry at `entry`, after checking
/// the claim against what the rest of the pack could hold and against [`MAX_OBJECT`].
fn claimed_buffer<T: pack::FileData>(
    data: &pack::data::File<T>,
    entry: &pack::data::Entry,
    buf: &mut Vec<u8>,
) -> Result<(), String> {
    let size = entry.decompressed_size;
    let left = data
        .pack_end()
        .saturating_sub(usize::try_from(entry.data_offset).unwrap_or(usize::MAX));
    let possible = left.saturating_mul(MAX_INFLATE_RATIO).saturating_add(64);
    let size = usize::try_from(size)
        .ok()
        .filter(|&s| s <= MAX_OBJECT)
        .ok_or_else(|| {
            format!("entry claims {size} bytes, more than the {MAX_OBJECT}-byte limit")
        })?;
    if size > possible {
        return Err(format!(
            "entry claims {size} bytes, more than the {left} bytes left in the pack can hold"
        ));
    }
    buf.clear();
    buf.try_reserve_exact(size)
        .map_err(|_| format!("cannot allocate {size} bytes for an entry"))?;
    buf.resize(size, 0);
    Ok(())
}

/// Reads objects for one thread: packed objects through [`Packs`] with every resolved delta base
/// kept, the rest through `odb`.
pub(crate) struct Objects {
    packs: Arc<Packs>,
    odb: gix::OdbHandle,
    state: RefCell<State>,
}

/// A resolved object, owned by the cache: a level of a chain is applied straight from the bytes
/// of the level below as they sit in the cache, and moves into the cache in turn, so that the only
/// copy made is the one into the caller's buffer. (gix's own resolver copied each object about
/// four times on its way through its cache, a tenth of a whole scan's time.)
struct Resolved {
    kind: gix::objs::Kind,
    data: Vec<u8>,
}

/// Cache key: pack number and the object's offset in that pack.
type Key = (usize, u64);

struct Weight;

impl clru::WeightScale<Key, Resolved> for Weight {
    fn weight(&self, _key: &Key, value: &Resolved) -> usize {
        value.data.len()
    }
}

type Cache = clru::CLruCache<Key, Resolved, rustc_hash::FxBuildHasher, Weight>;

struct State {
    cache: Cache,
    inflate: gix::zlib::Inflate,
    /// The chain being resolved, the object asked for first: pack offsets and entries.
    chain: Vec<(u64, pack::data::Entry)>,
    /// Decompressed delta instructions of the level being applied.
    delta: Vec<u8>,
}

/// Where the walk down a delta chain stopped.
enum Bottom {
    /// At a level already in the cache.
    Cached,
    /// At an undeltified object (at the offset reached), not cached yet.
    Whole(pack::data::Entry),
    /// At a base that lives outside this pack (a thin pack): gix resolves the whole chain.
    Elsewhere,
}

impl Objects {
    pub(crate) fn new(packs: Arc<Packs>, odb: gix::OdbHandle) -> Self {
        Objects {
            packs,
            odb,
            state: RefCell::new(State::new()),
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
        let lookup = |id: &gix::hash::oid| index.lookup(id).map(|i| index.pack_offset_at_index(i));
        let state = &mut *self.state.borrow_mut();
        if let Some(kind) = decode_in(state, p, data, offset, &lookup, out)? {
            return Ok(kind);
        }
        // A base outside this pack (a thin pack): gix resolves the whole chain.
        let entry = data.entry(offset)?;
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
        let outcome = data.decode_entry(
            entry,
            out,
            &mut state.inflate,
            &resolve,
            &mut pack::cache::Never,
        )?;
        Ok(outcome.kind)
    }
}

impl State {
    fn new() -> Self {
        State {
            cache: Cache::with_config(
                clru::CLruCacheConfig::new(
                    std::num::NonZeroUsize::new(CACHE_BYTES).expect("not zero"),
                )
                .with_hasher(rustc_hash::FxBuildHasher)
                .with_scale(Weight),
            ),
            inflate: gix::zlib::Inflate::default(),
            chain: Vec::new(),
            delta: Vec::new(),
        }
    }
}

/// Decode the object at `offset` of `data` (pack number `p` in the cache) into `out`, keeping each
/// level of its delta chain in the cache; `lookup` finds the offset of a ref-delta's base in this
/// pack. `None` when a base lives outside the pack.
fn decode_in<T: pack::FileData>(
    state: &mut State,
    p: usize,
    data: &pack::data::File<T>,
    offset: u64,
    lookup: &dyn Fn(&gix::hash::oid) -> Option<u64>,
    out: &mut Vec<u8>,
) -> gix::error::Result<Option<gix::objs::Kind>> {
    let State {
        cache,
        inflate,
        chain,
        delta,
    } = state;
    let corrupt = |what: &str| gix::error::message!("{what} in {}", data.path().display());
    // Down the chain to the first cached level, the undeltified base, or a base elsewhere.
    chain.clear();
    let mut at = offset;
    let bottom = loop {
        if cache.contains(&(p, at)) {
            break Bottom::Cached;
        }
        if chain.len() > MAX_CHAIN {
            return Err(corrupt(&format!("delta chain longer than {MAX_CHAIN}")).into());
        }
        let entry = data.entry(at)?;
        let below = match entry.header {
            pack::data::entry::Header::OfsDelta { base_distance } => entry
                .checked_base_pack_offset(base_distance)
                .ok_or_else(|| corrupt("delta base out of range"))?,
            pack::data::entry::Header::RefDelta { base_id } => match lookup(&base_id) {
                Some(offset) => offset,
                None => break Bottom::Elsewhere,
            },
            _ => break Bottom::Whole(entry),
        };
        // A chain that comes back to itself would be followed until MAX_CHAIN; say so at once.
        if below == at || chain.iter().any(|(o, _)| *o == below) {
            return Err(corrupt("delta chain loops").into());
        }
        chain.push((at, entry));
        at = below;
    };
    // Up again, one level at a time, each made from the one below and then cached.
    let mut current: Option<(u64, Resolved)> = None;
    match bottom {
        Bottom::Cached => {}
        Bottom::Whole(entry) => {
            let kind = entry
                .header
                .as_kind()
                .ok_or_else(|| corrupt("undeltified entry without an object kind"))?;
            let mut bytes = Vec::new();
            claimed_buffer(data, &entry, &mut bytes)
                .map_err(|what| corrupt(&format!("{what} at offset {at}")))?;
            data.decompress_entry(&entry, inflate, &mut bytes)?;
            current = Some((at, Resolved { kind, data: bytes }));
        }
        Bottom::Elsewhere => return Ok(None),
    }
    for (level, entry) in chain.iter().rev() {
        claimed_buffer(data, entry, delta)
            .map_err(|what| corrupt(&format!("delta {what} at offset {level}")))?;
        data.decompress_entry(entry, inflate, delta)?;
        let next = {
            let base = match &current {
                Some((_, r)) => r,
                None => cache
                    .get(&(p, at))
                    .ok_or_else(|| corrupt("delta base left the cache"))?,
            };
            Resolved {
                kind: base.kind,
                data: apply_delta(&base.data, delta)
                    .map_err(|what| corrupt(&format!("corrupt delta at offset {level}: {what}")))?,
            }
        };
        if let Some((below, resolved)) = current.replace((*level, next)) {
            let _ = cache.put_with_weight((p, below), resolved);
        }
        at = *level;
    }
    let kind = match current {
        Some((level, resolved)) => {
            out.clear();
            out.extend_from_slice(&resolved.data);
            let kind = resolved.kind;
            // An object larger than the whole cache is not kept.
            let _ = cache.put_with_weight((p, level), resolved);
            kind
        }
        None => {
            let resolved = cache
                .get(&(p, offset))
                .ok_or_else(|| corrupt("object left the cache"))?;
            out.clear();
            out.extend_from_slice(&resolved.data);
            resolved.kind
        }
    };
    Ok(Some(kind))
}

/// Apply git delta instructions to `base` (the format of git's `patch-delta.c`): the sizes of
/// base and result, then copies from the base and inserts of literal bytes. gix has the same
/// function, but only for its own resolver.
fn apply_delta(base: &[u8], delta: &[u8]) -> Result<Vec<u8>, &'static str> {
    fn size(d: &[u8], i: &mut usize) -> Result<usize, &'static str> {
        let mut size = 0usize;
        let mut shift = 0;
        loop {
            let byte = *d.get(*i).ok_or("truncated size")?;
            *i += 1;
            if shift >= usize::BITS {
                return Err("size out of range");
            }
            size |= usize::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                return Ok(size);
            }
        }
    }
    let mut i = 0;
    if size(delta, &mut i)? != base.len() {
        return Err("base size does not match");
    }
    let result = size(delta, &mut i)?;
    if result > MAX_OBJECT {
        return Err("result larger than the object size limit");
    }
    // The announced size is reserved only as far as the instructions could make it without
    // 64 KiB copies; past that the buffer grows with what the copies really produce.
    let mut out = Vec::new();
    out.try_reserve_exact(result.min(base.len().saturating_add(delta.len())))
        .map_err(|_| "cannot allocate the result")?;
    while let Some(&cmd) = delta.get(i) {
        i += 1;
        if cmd & 0x80 != 0 {
            let mut field = |bit: u8, shift: u32| -> Result<usize, &'static str> {
                if cmd & bit == 0 {
                    return Ok(0);
                }
                let byte = *delta.get(i).ok_or("truncated copy")?;
                i += 1;
                Ok(usize::from(byte) << shift)
            };
            let ofs = field(0x01, 0)? | field(0x02, 8)? | field(0x04, 16)? | field(0x08, 24)?;
            let mut len = field(0x10, 0)? | field(0x20, 8)? | field(0x40, 16)?;
            if len == 0 {
                len = 0x10000;
            }
            let copy = ofs
                .checked_add(len)
                .and_then(|end| base.get(ofs..end))
                .ok_or("copy outside the base")?;
            out.extend_from_slice(copy);
        } else if cmd != 0 {
            let len = usize::from(cmd);
            let insert = delta.get(i..i + len).ok_or("truncated insert")?;
            out.extend_from_slice(insert);
            i += len;
        } else {
            return Err("reserved instruction 0");
        }
        if out.len() > result {
            return Err("result larger than announced");
        }
    }
    if out.len() != result {
        return Err("result size does not match");
    }
    Ok(out)
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

/// The reader's parts for the fuzz targets (`fuzz/`), built only under `cfg(fuzzing)`.
#[cfg(fuzzing)]
pub mod fuzzing {
    use super::*;

    /// [`apply_delta`](super::apply_delta).
    pub fn apply_delta(base: &[u8], delta: &[u8]) -> Result<Vec<u8>, &'static str> {
        super::apply_delta(base, delta)
    }

    /// gix's allocation limit here: far above what a fuzz-sized pack can hold, far below what
    /// libFuzzer's memory limit allows (gix reserves a delta's announced result size at once).
    const FUZZ_ALLOC_LIMIT: usize = 64 << 20;

    /// A decoded object, or why it could not be.
    pub type Decoded = Result<(gix::objs::Kind, Vec<u8>), String>;

    /// Decode the objects at `offsets` of the pack `bytes` twice: with this reader (one cache
    /// across all of them, as a walk uses it) and with gix's (given the same allocation limit).
    /// `refs` maps ref-delta base ids to offsets, as an index would.
    pub fn decode_both(
        bytes: Vec<u8>,
        offsets: &[u64],
        refs: &[([u8; 20], u64)],
    ) -> Option<Vec<(Decoded, Decoded)>> {
        let data = pack::data::File::from_data(bytes, "fuzz.pack".into(), gix::hash::Kind::Sha1)
            .ok()?
            .with_alloc_limit_bytes(Some(FUZZ_ALLOC_LIMIT));
        let lookup = |id: &gix::hash::oid| {
            refs.iter()
                .find(|(r, _)| r[..] == *id.as_bytes())
                .map(|(_, o)| *o)
        };
        let mut state = State::new();
        let mut inflate = gix::zlib::Inflate::default();
        let mut out = Vec::new();
        let mut results = Vec::new();
        for &offset in offsets {
            let ours = match decode_in(&mut state, 0, &data, offset, &lookup, &mut out) {
                Ok(Some(kind)) => Ok((kind, out.clone())),
                Ok(None) => Err("base elsewhere".to_owned()),
                Err(e) => Err(e.to_string()),
            };
            let theirs = data
                .entry(offset)
                .and_then(|entry| {
                    let resolve = |id: &gix::hash::oid, _: &mut Vec<u8>| -> gix::error::Result<_> {
                        Ok(match lookup(id) {
                            Some(o) => Some(pack::data::decode::entry::ResolvedBase::InPack(
                                data.entry(o)?,
                            )),
                            None => None,
                        })
                    };
                    data.decode_entry(
                        entry,
                        &mut out,
                        &mut inflate,
                        &resolve,
                        &mut pack::cache::Never,
                    )
                    .map_err(Into::into)
                })
                .map(|outcome| (outcome.kind, out.clone()))
                .map_err(|e: gix::error::Error| e.to_string());
            results.push((ours, theirs));
        }
        Some(results)
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

    /// Copies and inserts rebuild the result; damaged instructions are errors, never panics or
    /// reads outside the base.
    #[test]
    fn deltas_apply_and_damage_is_an_error() {
        let base = b"hello, delta world";
        // base size 18, result size 11: copy 7 bytes from offset 7 ("delta w"), insert "xyz!".
        let delta = [18, 11, 0x80 | 0x01 | 0x10, 7, 7, 4, b'x', b'y', b'z', b'!'];
        assert_eq!(
            apply_delta(base, &delta).as_deref(),
            Ok(&b"delta wxyz!"[..])
        );
        let broken: [(&[u8], &str); 7] = [
            // 2^40 bytes announced: refused before anything is allocated.
            (
                &[18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20],
                "result larger than the object size limit",
            ),
            (&[17, 11], "base size does not match"),
            (
                &[18, 12, 0x91, 7, 7, 4, b'x', b'y', b'z', b'!'],
                "result size does not match",
            ),
            (&[18, 11, 0x91, 15, 7], "copy outside the base"),
            (&[18, 11, 0x91, 7], "truncated copy"),
            (&[18, 11, 9, b'x'], "truncated insert"),
            (&[18, 11, 0], "reserved instruction 0"),
        ];
        for (delta, why) in broken {
            assert_eq!(apply_delta(base, delta), Err(why), "{delta:?}");
        }
        assert_eq!(apply_delta(base, &[0x80]), Err("truncated size"));
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
