//! The features of a commit the learned model reads: the words of its subject (each word, each
//! pair, the first), the words of its body, the shape of its diff and what the rules decided.
//! They live apart from the model because scoring and training must read exactly the same
//! features, and scoring must read them without building a string: each is emitted as a prefix,
//! a value as written and the hash of the name they make, so that the model looks weights up by
//! hash while training and explanations build the names.

use bstr::ByteSlice;

use super::{ModeDecision, PathShape, RuleKind};
use crate::model::{CommitRecord, FileStatus};

/// Words of 2 to 24 bytes of letters or digits (not digits alone), as written: the runs of
/// `char::is_alphanumeric`, read a byte at a time where the text is ASCII, which is most of it
/// (splitting on chars decoded every byte and was a tenth of a scan's cost).
#[cfg(test)]
fn words(text: &str) -> impl Iterator<Item = &str> + '_ {
    hashed_words(text, "").map(|(w, _)| w)
}

/// [`words`] with the [`hash_lower`] of `prefix` and each word, computed in the same pass over
/// the bytes: splitting and hashing apart read every word twice.
fn hashed_words<'t>(text: &'t str, prefix: &str) -> impl Iterator<Item = (&'t str, u64)> + 't {
    let seed = fnv(FNV_OFFSET, prefix.as_bytes());
    let bytes = text.as_bytes();
    // The length of the non-ASCII character at `i` and whether it is part of a word (ASCII
    // bytes are read from `WORD_BYTE`).
    let at = move |i: usize| -> (usize, bool) {
        text[i..]
            .chars()
            .next()
            .map_or((1, false), |c| (c.len_utf8(), c.is_alphanumeric()))
    };
    let mut pos = 0;
    std::iter::from_fn(move || {
        // The position lives in a local while the bytes are read: kept in the closure, it was
        // written back to memory at every byte.
        let (mut i, n) = (pos, bytes.len());
        let found = loop {
            while i < n {
                let b = bytes[i];
                let (len, word) = if b < 0x80 {
                    (1, WORD_BYTE[usize::from(b)] != 0)
                } else {
                    at(i)
                };
                if word {
                    break;
                }
                i += len;
            }
            if i >= n {
                break None;
            }
            let start = i;
            let (mut h, mut ascii, mut digits) = (seed, true, true);
            while i < n {
                let b = bytes[i];
                if b < 0x80 {
                    let lower = WORD_BYTE[usize::from(b)];
                    if lower == 0 {
                        break;
                    }
                    h = fnv_byte(h, lower);
                    digits &= lower.is_ascii_digit();
                    i += 1;
                } else {
                    let (len, word) = at(i);
                    if !word {
                        break;
                    }
                    (ascii, digits) = (false, false);
                    i += len;
                }
            }
            let w = &text[start..i];
            if (2..=24).contains(&w.len()) && !digits {
                break Some((w, if ascii { h } else { hash_lower_from(seed, w) }));
            }
        };
        pos = i;
        found
    })
}

/// Each ASCII byte lower-cased when it is a letter or a digit, 0 when it is not part of a word.
const WORD_BYTE: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        if (b as u8).is_ascii_alphanumeric() {
            table[b] = (b as u8).to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

fn bucket(n: u64, edges: &[u64]) -> usize {
    edges.iter().take_while(|&&e| n > e).count()
}

const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/// The body words a commit's features take, in order of writing and past credit lines: the
/// opening of a long message says what it is about, and every word is a lookup. Leave-one-out
/// measured 74.6%, 74.7% and 74.7% for 40, 60 and 120 words; 40 is what keeps the model within
/// a tenth of a scan's time on long messages (`docs/modes-model.md`, Cost).
pub const BODY_WORDS: usize = 40;

/// Call `emit(prefix, value, hash, x)` for every feature of a commit: `subject` is its first
/// line without a conventional type prefix, `decision` what the rules decided. A feature's name
/// is `prefix` followed by `value` lower-cased, and `hash` is the [`hash`] of that name; values
/// arrive as written (words keep their case) so that scoring never builds a name.
pub fn each_feature(
    record: &CommitRecord,
    subject: &str,
    decision: &ModeDecision,
    mut emit: impl FnMut(&str, &str, u64, f32),
) {
    let mut previous = "";
    let mut pair = String::new();
    for (i, (w, h)) in hashed_words(subject, "s:").enumerate() {
        emit("s:", w, h, 1.0);
        let mut put = |p: &str, v: &str, x: f32| emit(p, v, hash_lower(p, v), x);
        if i == 0 {
            put("first:", w, 1.0);
        } else {
            pair.clear();
            pair.push_str(previous);
            pair.push('_');
            pair.push_str(w);
            put("s2:", &pair, 1.0);
        }
        previous = w;
    }
    let body = record
        .message
        .find_byte(b'\n')
        .map_or(&b""[..], |i| &record.message[i + 1..]);
    let body = body.to_str_lossy();
    let mut put = |p: &str, v: &str, x: f32| emit(p, v, hash_lower(p, v), x);
    // The diff: how much, how many files, added against deleted, removed files (new files are
    // read with the paths below: new code and new tests say different things).
    let files = record.files.as_deref().unwrap_or(&[]);
    let (added, deleted) = record.line_totals();
    put(
        "files:",
        DIGITS[bucket(files.len() as u64, &[0, 1, 3, 10, 40])],
        1.0,
    );
    put(
        "lines:",
        DIGITS[bucket(added + deleted, &[0, 3, 10, 40, 150, 600, 3000])],
        1.0,
    );
    if added + deleted > 0 {
        let ratio = added as f32 / (added + deleted) as f32;
        put("added_share", "", ratio);
        put("added:", DIGITS[(ratio * 4.0).round() as usize], 1.0);
    }
    if files.iter().any(|f| f.status == FileStatus::Deleted) {
        put("deleted_files", "", 1.0);
    }
    // What the path rules say each changed line serves, and what the rules decided.
    for (m, share) in &decision.shares {
        put("share:", m.as_str(), *share as f32);
        if *share >= 0.999 {
            put("only:", m.as_str(), 1.0);
        }
    }
    // What the paths alone say, which the shares above mix with the words: code a word pulls
    // into Operate is code here.
    for (prefix, shares) in [
        ("path:", &decision.paths.changed),
        ("new:", &decision.paths.added),
    ] {
        for (class, &share) in shares.iter().enumerate() {
            if share > 0.0 {
                put(prefix, PathShape::class_name(class), share);
            }
        }
    }
    for hit in decision.rules.iter().filter(|h| h.kind != RuleKind::Path) {
        put("rule:", &hit.rule, 1.0);
    }
    put("rules:", decision.mode.as_str(), 1.0);
    // Each body word once, leaving out `…-by:` trailers (`Signed-off-by:` and the like): names
    // and addresses say nothing of the work, and on git/git they are a sixth of the body words.
    let mut seen = Seen::<{ 2 * BODY_WORDS.next_power_of_two() }>::new();
    let words = body
        .lines()
        .filter(|l| !is_by_trailer(l))
        .flat_map(|l| hashed_words(l, "b:"));
    for (w, h) in words.take(BODY_WORDS) {
        if seen.insert(h) {
            emit("b:", w, h, 0.5);
        }
    }
}

/// Whether a message line is a trailer whose key ends in `-by` (`Signed-off-by: …`,
/// `Co-authored-by: …`). Not [`crate::message`]'s credit lines, which are prose (`Name (model)
/// fixed …`) and stay words of the body.
fn is_by_trailer(line: &str) -> bool {
    crate::message::trailer_key(line.as_bytes())
        .is_some_and(|key| key.len() > 3 && key[key.len() - 3..].eq_ignore_ascii_case(b"-by"))
}

/// A set of hashes on the stack, at least twice as large as it can fill (0 marks a free slot,
/// so a hash of 0 counts as 1: one name in 2^64 could be lost).
struct Seen<const N: usize> {
    slots: [u64; N],
}

impl<const N: usize> Seen<N> {
    fn new() -> Self {
        const { assert!(N.is_power_of_two()) };
        Seen { slots: [0; N] }
    }

    /// Whether `h` was new.
    fn insert(&mut self, h: u64) -> bool {
        let key = h.max(1);
        let mask = N - 1;
        let mut i = (key as usize) & mask;
        while self.slots[i] != 0 {
            if self.slots[i] == key {
                return false;
            }
            i = (i + 1) & mask;
        }
        self.slots[i] = key;
        true
    }
}

/// The features of a commit by name (see [`each_feature`]), for training and explanations.
pub fn features(
    record: &CommitRecord,
    subject: &str,
    decision: &ModeDecision,
) -> Vec<(String, f32)> {
    let mut out = Vec::with_capacity(64);
    each_feature(
        record,
        subject,
        decision,
        |p: &str, v: &str, _: u64, x: f32| out.push((format!("{p}{}", v.to_lowercase()), x)),
    );
    out
}

/// FNV-1a over the name's bytes, fed a byte at a time so that `prefix` + `value` hashes as the
/// whole name does (block hashers such as FxHash do not), without building the name.
pub(super) fn hash(prefix: &str, value: &str) -> u64 {
    fnv(fnv(FNV_OFFSET, prefix.as_bytes()), value.as_bytes())
}

/// [`hash`] of `prefix` and `value` lower-cased as [`str::to_lowercase`] does, without
/// building the lower-cased text.
fn hash_lower(prefix: &str, value: &str) -> u64 {
    hash_lower_from(fnv(FNV_OFFSET, prefix.as_bytes()), value)
}

/// [`hash_lower`] continuing from the hash `h` of what precedes `value` in the name.
fn hash_lower_from(h: u64, value: &str) -> u64 {
    if value.is_ascii() {
        return value
            .bytes()
            .fold(h, |h, b| fnv_byte(h, b.to_ascii_lowercase()));
    }
    // `to_lowercase` treats a final capital sigma by its context: leave such rare text to it.
    if value.contains('Σ') {
        return fnv(h, value.to_lowercase().as_bytes());
    }
    let mut buf = [0u8; 4];
    value
        .chars()
        .flat_map(char::to_lowercase)
        .fold(h, |h, c| fnv(h, c.encode_utf8(&mut buf).as_bytes()))
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv(h: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(h, |h, &b| fnv_byte(h, b))
}

fn fnv_byte(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
}

#[cfg(test)]
#[path = "features_tests.rs"]
mod tests;
