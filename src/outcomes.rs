//! Outcome proxies: what happened to a commit afterwards, as far as history shows.
//!
//! Studies of agent work ask not only how much was done but how much of it lasted. Two proxies
//! can be read from git alone: a commit later **reverted** (a commit saying `This reverts commit
//! <sha>`, as `git revert` writes it), and a commit **reworked** — followed within
//! [`REWORK_WINDOW`] by a Fix-mode commit touching the same code
//! files. Both are computed over a repository's whole reachable history, so a report limited to
//! a date range still sees reverts and fixes that came after it. This module is the pure
//! computation; the pipeline feeds it from a walk or the store, and the store keeps the results.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::bytes::Regex;

/// How long after a commit a Fix-mode commit on the same code files counts as rework.
pub const REWORK_WINDOW: i64 = 14 * 86_400;

/// How far back a person's earlier commits to the same files count towards their familiarity
/// with a commit's code.
pub const FAMILIARITY_WINDOW: i64 = 365 * 86_400;

/// Familiarity tiers, a proxy for task-specific expertise: each tier's name and the fewest
/// earlier commits (of the same person, to the same files, in the year before) it takes. A
/// person's first commit to a file is new to that code; their second to tenth are familiar;
/// from the eleventh on they are expert.
pub const FAMILIARITY_TIERS: [(&str, u32); 3] = [("new", 0), ("familiar", 1), ("expert", 10)];

/// The tier (index into [`FAMILIARITY_TIERS`]) of a number of earlier commits.
pub fn familiarity_tier(earlier: u32) -> usize {
    FAMILIARITY_TIERS
        .iter()
        .rposition(|&(_, least)| earlier >= least)
        .unwrap_or(0)
}

/// What the computation needs of one commit.
#[derive(Debug, Clone)]
pub struct Subject {
    /// Full commit id, lower-case hex.
    pub id: String,
    /// Author time, seconds since the epoch.
    pub time: i64,
    /// More than one parent.
    pub is_merge: bool,
    /// Classified as Fix.
    pub is_fix: bool,
    /// The code files it changed (interned path ids); empty when paths were not read.
    pub paths: Vec<u32>,
    /// The person behind it (the human an agent credits, else the author), for familiarity.
    pub actor: String,
    /// Every file it changed (interned path ids, code or not).
    pub files: Vec<u32>,
}

/// For each commit (same order as the input): the index of the commit that reverted it, and of
/// the first Fix commit that reworked it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcomes {
    /// Index of the reverting commit.
    pub reverted_by: Vec<Option<usize>>,
    /// Index of the first Fix commit on the same code files within the window.
    pub reworked_by: Vec<Option<usize>>,
    /// How many earlier commits of the same person touched one of its files within
    /// [`FAMILIARITY_WINDOW`]; `None` for merges and commits whose files were not read.
    pub familiarity: Vec<Option<u32>>,
}

static REVERTS: LazyLock<Regex> = LazyLock::new(|| {
    // `git revert` writes `This reverts commit <full sha>.`; `--reference` writes
    // `This reverts <abbrev> (<subject>, <date>).`
    Regex::new(r"(?i)\bThis reverts (?:commit )?([0-9a-f]{7,64})\b").expect("valid regex")
});

/// The commit ids (full or abbreviated, lower-case) a message says it reverts.
pub fn revert_targets(message: &[u8]) -> Vec<String> {
    REVERTS
        .captures_iter(message)
        .filter_map(|c| c.get(1))
        .map(|m| String::from_utf8_lossy(m.as_bytes()).to_ascii_lowercase())
        .collect()
}

/// What [`compute`] reads of one repository, gathered commit by commit: from the store, or from
/// the commits of a first scan as they are written.
#[derive(Debug, Default)]
pub struct Inputs {
    /// The commits, in any order.
    pub subjects: Vec<Subject>,
    /// Which commits name others as reverted, and the ids they name.
    pub reverts: Vec<(usize, Vec<String>)>,
    /// Path → interned id, and its code id (`None` for paths that are not code: docs, tests,
    /// CI…).
    codes: HashMap<String, (u32, Option<u32>)>,
}

impl Inputs {
    /// Add a commit (its `paths` left empty) with the ids its message says it reverts
    /// (space-separated, as stored); returns its index.
    pub fn push(&mut self, subject: Subject, reverts: Option<&str>) -> usize {
        let i = self.subjects.len();
        if let Some(targets) = reverts.filter(|t| !t.is_empty()) {
            self.reverts
                .push((i, targets.split(' ').map(str::to_owned).collect()));
        }
        self.subjects.push(subject);
        i
    }

    /// Record that commit `i` changed `path`; only code paths (no path rule of `rules` claims
    /// them) take part in rework.
    pub fn add_path(&mut self, i: usize, path: &str, rules: &crate::classify::Rules) {
        let (file, code) = match self.codes.get(path) {
            Some(ids) => *ids,
            None => {
                let next = self.codes.len() as u32;
                let ids = (next, rules.path_mode(path).is_none().then_some(next));
                self.codes.insert(path.to_owned(), ids);
                ids
            }
        };
        self.subjects[i].files.push(file);
        if let Some(code) = code {
            self.subjects[i].paths.push(code);
        }
    }

    /// Compute the proxies and familiarity over what was gathered.
    pub fn compute(&self, window: i64) -> Outcomes {
        let mut out = compute(&self.subjects, &self.reverts, window);
        out.familiarity = familiarity(&self.subjects, FAMILIARITY_WINDOW);
        out
    }
}

/// Compute both proxies. `reverts` pairs a commit index with the ids its message names.
pub fn compute(commits: &[Subject], reverts: &[(usize, Vec<String>)], window: i64) -> Outcomes {
    let n = commits.len();
    let mut out = Outcomes {
        reverted_by: vec![None; n],
        reworked_by: vec![None; n],
        familiarity: Vec::new(),
    };

    // Reverts: ids may be abbreviated, so look them up as prefixes of the sorted ids.
    let mut sorted: Vec<(&str, usize)> = commits
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    sorted.sort_unstable();
    for (revert, targets) in reverts {
        for t in targets {
            let start = sorted.partition_point(|(id, _)| *id < t.as_str());
            let matches: Vec<usize> = sorted[start..]
                .iter()
                .take_while(|(id, _)| id.starts_with(t.as_str()))
                .map(|&(_, i)| i)
                .collect();
            // An ambiguous abbreviation names nothing for sure.
            let [target] = matches[..] else { continue };
            if target == *revert {
                continue;
            }
            let earlier =
                out.reverted_by[target].is_none_or(|r| commits[*revert].time < commits[r].time);
            if earlier {
                out.reverted_by[target] = Some(*revert);
            }
        }
    }

    // Rework: per code path, the commits touching it in time order; each Fix commit marks the
    // commits on its paths in the window before it.
    let mut by_path: HashMap<u32, Vec<(i64, usize)>> = HashMap::new();
    for (i, c) in commits.iter().enumerate() {
        if c.is_merge {
            continue;
        }
        for &p in &c.paths {
            by_path.entry(p).or_default().push((c.time, i));
        }
    }
    for list in by_path.values_mut() {
        list.sort_unstable();
    }
    // A revert is its own outcome, not a follow-up fix.
    let reverting: std::collections::HashSet<usize> = reverts.iter().map(|(r, _)| *r).collect();
    for (f, fix) in commits.iter().enumerate() {
        if !fix.is_fix || fix.is_merge || reverting.contains(&f) {
            continue;
        }
        for p in &fix.paths {
            let Some(list) = by_path.get(p) else { continue };
            let from = list.partition_point(|&(t, _)| t < fix.time - window);
            let to = list.partition_point(|&(t, _)| t < fix.time);
            for &(_, c) in &list[from..to] {
                if c == f {
                    continue;
                }
                let first = out.reworked_by[c].is_none_or(|r| fix.time < commits[r].time);
                if first {
                    out.reworked_by[c] = Some(f);
                }
            }
        }
    }
    out
}

/// For each commit: how many earlier commits of the same person touched one of its files within
/// `window` before it (each earlier commit counted once). Merges and commits without files have
/// none.
pub fn familiarity(commits: &[Subject], window: i64) -> Vec<Option<u32>> {
    let mut out = vec![None; commits.len()];
    let mut order: Vec<usize> = (0..commits.len())
        .filter(|&i| !commits[i].is_merge && !commits[i].files.is_empty())
        .collect();
    order.sort_by_key(|&i| (commits[i].time, i));
    // (person, file) → that person's commits on it, oldest first, as (time, index).
    let mut seen: HashMap<(&str, u32), std::collections::VecDeque<(i64, usize)>> = HashMap::new();
    let mut earlier: Vec<usize> = Vec::new();
    for &i in &order {
        let c = &commits[i];
        earlier.clear();
        for &f in &c.files {
            if let Some(list) = seen.get_mut(&(c.actor.as_str(), f)) {
                while list.front().is_some_and(|&(t, _)| t < c.time - window) {
                    list.pop_front();
                }
                earlier.extend(list.iter().filter(|&&(t, _)| t < c.time).map(|&(_, j)| j));
            }
        }
        earlier.sort_unstable();
        earlier.dedup();
        out[i] = Some(earlier.len() as u32);
        for &f in &c.files {
            seen.entry((c.actor.as_str(), f))
                .or_default()
                .push_back((c.time, i));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    fn commit(id: &str, day: i64, is_fix: bool, paths: &[u32]) -> Subject {
        Subject {
            id: id.to_owned(),
            time: day * DAY,
            is_merge: false,
            is_fix,
            paths: paths.to_vec(),
            actor: "ann".to_owned(),
            files: paths.to_vec(),
        }
    }

    #[test]
    fn revert_messages_name_their_targets() {
        assert_eq!(
            revert_targets(
                b"Revert \"Add export\"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.\n"
            ),
            vec!["0123456789abcdef0123456789abcdef01234567"]
        );
        assert_eq!(
            revert_targets(b"Revert x\n\nThis reverts 89ABCDEF (x, 2026-01-02).\n"),
            vec!["89abcdef"]
        );
        assert!(revert_targets(b"Revert the export change by hand").is_empty());
        assert!(revert_targets(b"This reverts commit abc.").is_empty());
    }

    #[test]
    fn reverts_resolve_full_and_abbreviated_ids() {
        let commits = vec![
            commit("aaaa1111", 1, false, &[]),
            commit("aaaa2222", 2, false, &[]),
            commit("bbbb0000", 3, false, &[]),
            commit("cccc0000", 4, false, &[]),
        ];
        let reverts = vec![
            (2, vec!["aaaa1111".to_owned()]),
            // Ambiguous: names nothing.
            (3, vec!["aaaa".to_owned()]),
        ];
        let out = compute(&commits, &reverts, 14 * DAY);
        assert_eq!(out.reverted_by, vec![Some(2), None, None, None]);
    }

    #[test]
    fn a_fix_within_the_window_on_the_same_code_is_rework() {
        let commits = vec![
            commit("a", 1, false, &[1, 2]), // fixed on day 10 (path 2) and 12 (path 1)
            commit("b", 2, false, &[3]),    // nothing touches path 3 again
            commit("c", 10, true, &[2]),    // fix
            commit("d", 12, true, &[1]),    // fix: 18 days before f, too early
            commit("e", 20, false, &[1]),   // fixed by f 10 days later
            commit("f", 30, true, &[1]),
        ];
        let out = compute(&commits, &[], 14 * DAY);
        assert_eq!(
            out.reworked_by,
            vec![Some(2), None, None, None, Some(5), None]
        );
    }

    #[test]
    fn a_revert_is_not_rework() {
        let commits = vec![
            commit("aaaa", 1, false, &[1]),
            commit("bbbb", 2, true, &[1]),
        ];
        let out = compute(&commits, &[(1, vec!["aaaa".to_owned()])], 14 * DAY);
        assert_eq!(out.reverted_by, vec![Some(1), None]);
        assert_eq!(out.reworked_by, vec![None, None]);
    }

    #[test]
    fn merges_are_neither_reworked_nor_rework() {
        let mut m = commit("m", 2, true, &[1]);
        m.is_merge = true;
        let commits = vec![commit("a", 1, false, &[1]), m, commit("b", 3, false, &[1])];
        let out = compute(&commits, &[], 14 * DAY);
        assert_eq!(out.reworked_by, vec![None, None, None]);
    }

    /// Earlier commits count once each however many files they share, only the same person's,
    /// only within the window, and never a merge.
    #[test]
    fn familiarity_counts_the_same_persons_earlier_commits_once() {
        let mut c = vec![
            commit("a1", 0, false, &[1, 2]),
            commit("a2", 10, false, &[1, 2]),
            commit("a3", 300, false, &[1]),
            commit("a4", 401, false, &[1, 2]),
        ];
        let mut other = commit("b1", 5, false, &[1]);
        other.actor = "bob".to_owned();
        c.push(other);
        let mut merge = commit("m1", 6, false, &[1]);
        merge.is_merge = true;
        c.push(merge);
        c.push(commit("a5", 402, false, &[]));
        assert_eq!(
            familiarity(&c, FAMILIARITY_WINDOW),
            // a3: a1 and a2, within the year; a4: only a3 (a1 and a2 are over a year before).
            vec![Some(0), Some(1), Some(2), Some(1), Some(0), None, None]
        );
        assert_eq!(
            (0..=12).map(familiarity_tier).collect::<Vec<_>>(),
            [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2]
        );
    }
}
