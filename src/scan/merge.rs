//! Many stores read as one: the stores of a sharded scan (or of scans run apart) merged into one,
//! for `agentscan merge` and for reports given `--db` more than once.
//!
//! Stores made with the same signature files but another registry version, rule set or agentscan
//! version are brought to one: if they disagree among themselves, every commit is evaluated again
//! with this build's (as a scan would), so no report mixes two versions' conclusions. Stores
//! scanned with other signature files are refused, naming the file: their agents would not mean
//! the same.

use std::path::PathBuf;

use crate::classify::Rules;
use crate::signatures::Registry;
use crate::store::{Stamps, Store, StoreError};

/// Why stores could not be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "{path}: scanned with other signature files than {first}; report the two apart, or scan \
         both with the same --signatures"
    )]
    Signatures { path: PathBuf, first: PathBuf },
    #[error("{path}: its signature files no longer load; scan it again")]
    Registry { path: PathBuf },
}

/// What merging found.
#[derive(Debug, Clone, Default)]
pub struct MergeSummary {
    /// Repositories and commits merged.
    pub repositories: u64,
    pub commits: u64,
    /// Repositories more than one store held (kept once, from the most recent scan), with the
    /// store that held the extra copy.
    pub duplicates: Vec<(String, PathBuf)>,
    /// Commits evaluated again because the stores disagreed on registry, rules or version.
    pub reclassified: u64,
}

/// Merge the stores at `sources` into `into` (an empty store, or one to add to), in order.
pub fn merge_stores(
    into: &mut Store,
    sources: &[PathBuf],
    gap: i64,
) -> Result<MergeSummary, MergeError> {
    let mut summary = MergeSummary::default();
    // The stamps of the stores that hold something, with the first store that had them.
    let mut seen: Vec<(Stamps, PathBuf)> = Vec::new();
    if into.repositories(&[])?.is_empty() {
        // Adding to a store that holds nothing: its own stamps say nothing.
    } else {
        seen.push((into.stamps()?, PathBuf::from(into.name())));
    }
    for source in sources {
        let merged = into.merge_from(source)?;
        // The shards of a sampled scan share one sample: the first store's record stands.
        for (key, value) in &merged.chosen {
            if into.meta(key)?.is_none() {
                into.set_meta(key, value)?;
            }
        }
        summary.repositories += merged.repositories;
        summary.commits += merged.commits;
        summary.duplicates.extend(
            merged
                .duplicates
                .into_iter()
                .map(|key| (key, source.clone())),
        );
        if merged.repositories > 0 || merged.stamps.registry_digest.is_some() {
            if let Some((stamps, first)) = seen.first()
                && stamps.signature_overrides.as_deref().unwrap_or("[]")
                    != merged.stamps.signature_overrides.as_deref().unwrap_or("[]")
            {
                return Err(MergeError::Signatures {
                    path: source.clone(),
                    first: first.clone(),
                });
            }
            seen.push((merged.stamps, source.clone()));
        }
    }
    let Some((first, first_path)) = seen.first() else {
        return Ok(summary);
    };
    if seen.iter().all(|(s, _)| s == first) {
        into.set_stamps(first)?;
        return Ok(summary);
    }
    // The stores disagree: evaluate every commit again with this build's registry and rules.
    let overrides: Vec<(String, String)> = first
        .signature_overrides
        .as_deref()
        .filter(|t| !t.is_empty())
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or_default();
    let registry = Registry::builtin_with(&overrides).map_err(|_| MergeError::Registry {
        path: first_path.clone(),
    })?;
    summary.reclassified = super::reclassify(into, &registry, &Rules::builtin(), gap)?;
    Ok(summary)
}
