//! Pack entry decoding, structure-aware: a valid pack header and arbitrary entries (whole
//! objects, offset and ref deltas over earlier entries, true or false sizes, sound or broken
//! zlib streams, chains and loops). agentscan's reader and gix's read the same pack; where both
//! succeed they agree, and agentscan's never succeeds where gix's fails.
#![no_main]

use std::io::Write as _;

use agentscan::walk::fuzzing::decode_both;
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    entries: Vec<Entry>,
    /// Extra offsets to decode from, anywhere in the pack.
    stray: Vec<u16>,
}

#[derive(Arbitrary, Debug)]
struct Entry {
    body: Body,
    /// Replace the true decompressed size in the header.
    claimed: Option<u64>,
    /// Store the body uncompressed (a broken zlib stream).
    raw: bool,
}

#[derive(Arbitrary, Debug)]
enum Body {
    Whole { kind: u8, data: Vec<u8> },
    /// A delta over entry `base` (modulo the entries so far; itself when there are none).
    Delta { base: u8, by_ref: bool, header_base_size: Option<u16>, ops: Vec<Op> },
}

#[derive(Arbitrary, Debug)]
enum Op {
    Copy { offset: u16, len: u16 },
    Insert(Vec<u8>),
    Raw(u8),
}

fn varint(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn entry_header(out: &mut Vec<u8>, kind: u8, size: u64) {
    let mut b = (kind << 4) | (size & 0x0f) as u8;
    let mut rest = size >> 4;
    while rest > 0 {
        out.push(b | 0x80);
        b = (rest & 0x7f) as u8;
        rest >>= 7;
    }
    out.push(b);
}

fuzz_target!(|input: Input| {
    let mut pack = b"PACK\0\0\0\x02".to_vec();
    pack.extend_from_slice(&(input.entries.len() as u32).to_be_bytes());
    let mut offsets: Vec<u64> = Vec::new();
    let mut sizes: Vec<u64> = Vec::new();
    let mut refs = Vec::new();
    for (i, e) in input.entries.iter().take(64).enumerate() {
        let at = pack.len() as u64;
        let (kind, body, base) = match &e.body {
            Body::Whole { kind, data } => {
                // commit, tree, blob, tag; 0 and 5 are invalid kinds.
                let kind = [1, 2, 3, 4, 0, 5][usize::from(*kind) % 6];
                (kind, data.clone(), None)
            }
            Body::Delta { base, by_ref, header_base_size, ops } => {
                let b = if i == 0 { 0 } else { usize::from(*base) % i };
                let base_size = sizes.get(b).copied().unwrap_or(0);
                let mut result = Vec::new();
                let mut size = 0u64;
                for op in ops {
                    match op {
                        Op::Copy { offset, len } => {
                            result.push(0x80 | 0x01 | 0x02 | 0x10 | 0x20);
                            result.extend_from_slice(&offset.to_le_bytes());
                            result.extend_from_slice(&len.to_le_bytes());
                            size += if *len == 0 { 0x10000 } else { u64::from(*len) };
                        }
                        Op::Insert(bytes) => {
                            for chunk in bytes.chunks(127) {
                                result.push(chunk.len() as u8);
                                result.extend_from_slice(chunk);
                                size += chunk.len() as u64;
                            }
                        }
                        Op::Raw(byte) => result.push(*byte),
                    }
                }
                let mut delta = Vec::new();
                varint(&mut delta, header_base_size.map_or(base_size, u64::from));
                varint(&mut delta, size);
                delta.extend_from_slice(&result);
                (if *by_ref { 7 } else { 6 }, delta, Some((b, *by_ref, size)))
            }
        };
        let size = e.claimed.unwrap_or(body.len() as u64);
        entry_header(&mut pack, kind, size);
        match base {
            Some((b, false, _)) => {
                let distance = at - offsets.get(b).copied().unwrap_or(at);
                // git's offset encoding: big-endian base-128 with one added per continuation.
                let mut bytes = vec![(distance & 0x7f) as u8];
                let mut d = distance >> 7;
                while d > 0 {
                    d -= 1;
                    bytes.push(0x80 | (d & 0x7f) as u8);
                    d >>= 7;
                }
                bytes.reverse();
                pack.extend_from_slice(&bytes);
            }
            Some((b, true, _)) => {
                let id = [b as u8 + 1; 20];
                pack.extend_from_slice(&id);
                if let Some(&o) = offsets.get(b) {
                    refs.push((id, o));
                }
            }
            None => {}
        }
        if e.raw {
            pack.extend_from_slice(&body);
        } else {
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
            z.write_all(&body).expect("in memory");
            pack.extend_from_slice(&z.finish().expect("in memory"));
        }
        offsets.push(at);
        sizes.push(match base {
            Some((_, _, result)) => result,
            None => body.len() as u64,
        });
    }
    pack.extend_from_slice(&[0; 20]);
    let len = pack.len() as u64;
    let mut all = offsets.clone();
    all.extend(input.stray.iter().take(8).map(|&o| u64::from(o) % len));
    let Some(results) = decode_both(pack, &all, &refs) else {
        return;
    };
    for (offset, (ours, theirs)) in all.iter().zip(results) {
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "offset {offset}: the readers disagree"),
            (Ok(_), Err(e)) => panic!("offset {offset}: agentscan read what gix refuses: {e}"),
            _ => {}
        }
    }
});
