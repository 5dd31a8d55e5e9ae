//! Shards: one scan split over machines by the engines people already run (a Kubernetes Indexed
//! Job, a GitHub Actions matrix, a Slurm array), each shard keeping the repositories whose key
//! hashes into it.
//!
//! The hash is part of the contract, the same on every machine and in every version, so that a
//! re-run of shard K meets the repositories of its own store again and stays incremental: the
//! first eight bytes of the SHA-256 of the repository key (UTF-8), read as a big-endian unsigned
//! integer, modulo N. In a shell: `printf %s KEY | sha256sum | cut -c1-16`, then that hex number
//! modulo N. The key is what the store keys a repository by: `host/owner/name` for a cloned
//! repository, the canonical path for a local one (so local shards must see the same paths).

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

/// Shard `index` of `count` (`index` from 0, as `JOB_COMPLETION_INDEX` counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// The shard a repository key falls in, of `count`.
    pub fn of(key: &str, count: u64) -> u64 {
        let digest = Sha256::digest(key.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first) % count.max(1)
    }

    /// Whether the repository keyed `key` belongs to this shard.
    pub fn contains(&self, key: &str) -> bool {
        Shard::of(key, self.count) == self.index
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("invalid shard {s:?}: use K/N with 0 <= K < N (for example 0/4)");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u64 = k.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pinned against `printf %s KEY | sha256sum`: changing the hash would move every repository
    /// of every sharded deployment to another shard.
    #[test]
    fn the_hash_is_the_documented_one() {
        // 503314b975f1a371, d5f0a817d7950b20, 53f23b5f10739a62
        assert_eq!(Shard::of("github.com/git/git", 1000), 905);
        assert_eq!(Shard::of("github.com/git/git", 7), 2);
        assert_eq!(Shard::of("github.com/charmbracelet/crush", 1000), 136);
        assert_eq!(Shard::of("/srv/repos/alpha", 1000), 962);
        assert_eq!(Shard::of("/srv/repos/alpha", 3), 1);
    }

    #[test]
    fn shard_values_are_checked() {
        assert_eq!("2/4".parse(), Ok(Shard { index: 2, count: 4 }));
        assert_eq!("0/1".parse(), Ok(Shard { index: 0, count: 1 }));
        for bad in ["4/4", "1/0", "-1/3", "a/3", "3", "", "1/2/3"] {
            let e = bad.parse::<Shard>().unwrap_err();
            assert!(e.contains("K/N"), "{bad}: {e}");
        }
    }

    #[test]
    fn every_key_falls_in_exactly_one_shard() {
        let shards: Vec<Shard> = (0..5).map(|index| Shard { index, count: 5 }).collect();
        for i in 0..200 {
            let key = format!("github.com/org/repo-{i}");
            assert_eq!(shards.iter().filter(|s| s.contains(&key)).count(), 1);
        }
    }
}
