//! The learned model's weights laid out for scoring. Every feature of every commit is one lookup,
//! four million of them in a scan of git/git, and a general hash map spreads the rows of the
//! few hundred features nearly every commit has (`b:the`, `s:add`, `lines:2`) over its whole
//! table, each on a cache line of its own. Here the rows sit in a dense array in the model file's
//! order, the features most training commits have first, so that those rows share a few lines;
//! a small array of slots finds them, and rejects a word the model lacks from the slot alone.

/// A feature's nine weights as bytes times one scale: a third of the memory of nine `f32`s.
/// Rounding moves a weight by at most 1/254 of its row's largest, which changed one decision in
/// 3,000 on two of the five held-out repositories (`docs/modes-model.md`).
#[derive(Debug, Clone, Copy)]
pub(super) struct Row {
    scale: f32,
    w: [i8; 9],
}

impl Row {
    pub(super) fn new(w: [f32; 9]) -> Row {
        let max = w.iter().fold(0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
        Row {
            scale,
            w: w.map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8),
        }
    }

    pub(super) fn weight(&self, i: usize) -> f32 {
        f32::from(self.w[i]) * self.scale
    }

    pub(super) fn add_to(&self, s: &mut [f32; 9], x: f32) {
        let k = self.scale * x;
        for (sv, &w) in s.iter_mut().zip(&self.w) {
            *sv += f32::from(w) * k;
        }
    }
}

/// Rows by the 64-bit hash of their feature's name (the keys are hashes already).
#[derive(Debug, Clone)]
pub(super) struct Table {
    /// Open addressing, linear probing from the top bits of the mixed hash. A slot is 0 when
    /// free, else its row's index + 1 in the bits of `index_mask` and a tag (other bits of the
    /// mixed hash) above them: a lookup reads a row only when the tag matches, and then compares
    /// the full hash, so a tag that matches by chance costs a read, never a wrong answer.
    slots: Box<[u32]>,
    /// 64 − log2 of the number of slots.
    shift: u32,
    index_mask: u32,
    entries: Box<[(u64, Row)]>,
}

impl Table {
    /// A table of `rows` in their order; a hash given twice keeps its first place and its last
    /// row, as inserting into a map would. `None` when there are more rows than slots can index.
    pub(super) fn new(rows: Vec<(u64, Row)>) -> Option<Table> {
        let index_bits = u64::BITS - (rows.len() as u64 + 1).leading_zeros();
        if index_bits > 31 {
            return None;
        }
        let index_mask = (1u32 << index_bits) - 1;
        // At most two thirds full: a word the model lacks ends its probe within a slot or two.
        let len = (rows.len() * 3 / 2 + 1).next_power_of_two().max(2);
        let shift = u64::BITS - len.trailing_zeros();
        let mut table = Table {
            slots: vec![0u32; len].into_boxed_slice(),
            shift,
            index_mask,
            entries: Box::default(),
        };
        let mut entries: Vec<(u64, Row)> = Vec::with_capacity(rows.len());
        for (h, row) in rows {
            let (mut pos, tag) = Self::place(h, shift, index_mask);
            loop {
                let slot = table.slots[pos];
                if slot == 0 {
                    entries.push((h, row));
                    table.slots[pos] = tag | entries.len() as u32;
                    break;
                }
                let i = (slot & index_mask) as usize - 1;
                if slot & !index_mask == tag && entries[i].0 == h {
                    entries[i].1 = row;
                    break;
                }
                pos = (pos + 1) & (len - 1);
            }
        }
        table.entries = entries.into_boxed_slice();
        Some(table)
    }

    /// The first slot to probe for `h`, and its tag. FNV's low bits depend only on the low
    /// bits of every byte, so the hash's halves are folded together and multiplied first.
    fn place(h: u64, shift: u32, index_mask: u32) -> (usize, u32) {
        let m = (h ^ (h >> 32)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        ((m >> shift) as usize, (m as u32) & !index_mask)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.len()
    }

    pub(super) fn get(&self, h: u64) -> Option<&Row> {
        let (mut pos, tag) = Self::place(h, self.shift, self.index_mask);
        let last = self.slots.len() - 1;
        loop {
            let slot = *self.slots.get(pos)?;
            if slot == 0 {
                return None;
            }
            if slot & !self.index_mask == tag {
                let (key, row) = self.entries.get((slot & self.index_mask) as usize - 1)?;
                if *key == h {
                    return Some(row);
                }
            }
            pos = (pos + 1) & last;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(v: f32) -> Row {
        Row::new([v; 9])
    }

    /// Against a hash map on the same keys: every key found with its row, and keys it lacks
    /// (nearby values, and hashes that differ only in their low or high half) not found.
    #[test]
    fn finds_what_a_map_finds() {
        for n in [0usize, 1, 2, 3, 100, 4864, 20_000] {
            let mut state = 0x2545_f491_4f6c_dd1du64 ^ n as u64;
            let mut next = || {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state
            };
            let keys: Vec<u64> = (0..n).map(|_| next()).collect();
            let table = Table::new(
                keys.iter()
                    .enumerate()
                    .map(|(i, &k)| (k, row(i as f32)))
                    .collect(),
            )
            .expect("fits");
            assert_eq!(table.len(), n);
            for (i, &k) in keys.iter().enumerate() {
                let found = table.get(k).expect("present");
                assert_eq!(found.weight(0), row(i as f32).weight(0), "key {i} of {n}");
            }
            let map: std::collections::HashSet<u64> = keys.iter().copied().collect();
            for &k in &keys {
                for other in [k ^ 1, k ^ (1 << 40), k.wrapping_add(1 << 32), !k, next()] {
                    assert_eq!(table.get(other).is_some(), map.contains(&other));
                }
            }
        }
    }

    #[test]
    fn a_key_given_twice_keeps_its_place_and_its_last_row() {
        let table = Table::new(vec![(7, row(1.0)), (9, row(2.0)), (7, row(3.0))]).expect("fits");
        assert_eq!(table.len(), 2);
        assert_eq!(table.get(7).map(|r| r.weight(0)), Some(row(3.0).weight(0)));
        assert_eq!(table.entries[0].0, 7);
    }
}
