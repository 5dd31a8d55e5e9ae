//! Repository names a reader can tell apart.

use super::*;

/// A name per repository that no other repository of the report has: its own name when that is
/// unique, else the shortest ending of its path that tells it from the others of that name
/// (`team-a/api`, `team-b/api`). The same repository (one key) keeps one name.
pub fn unique_names(repos: &[RepoOutcome]) -> Vec<String> {
    let mut out: Vec<String> = repos.iter().map(|r| r.name.clone()).collect();
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, r) in repos.iter().enumerate() {
        groups.entry(r.name.as_str()).or_default().push(i);
    }
    for members in groups.values() {
        let mut keys: Vec<&str> = members.iter().map(|&i| repos[i].key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        if keys.len() < 2 {
            continue;
        }
        // Path components, last first, without the generic tail a name skips (`repo`, `.git`).
        let parts = |i: usize| -> Vec<String> {
            let path = &repos[i].path;
            let mut c: Vec<String> = path
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            while c
                .last()
                .is_some_and(|l| matches!(l.as_str(), ".git" | "repo" | "repo.git" | "repository"))
                && c.len() > 1
            {
                c.pop();
            }
            if let Some(l) = c.last_mut()
                && let Some(stripped) = l.strip_suffix(".git")
            {
                *l = stripped.to_owned();
            }
            c.reverse();
            c
        };
        let all: Vec<Vec<String>> = members.iter().map(|&i| parts(i)).collect();
        let longest = all.iter().map(Vec::len).max().unwrap_or(1);
        for (m, &i) in members.iter().enumerate() {
            let suffix = |k: usize| -> Vec<String> {
                let mut s: Vec<String> = all[m].iter().take(k).cloned().collect();
                s.reverse();
                s
            };
            let mut chosen = suffix(longest);
            for k in 1..=longest {
                let mine = suffix(k);
                let clash = members.iter().enumerate().any(|(o, &j)| {
                    o != m && repos[j].key != repos[i].key && {
                        let mut theirs: Vec<String> = all[o].iter().take(k).cloned().collect();
                        theirs.reverse();
                        theirs == mine
                    }
                });
                if !clash {
                    chosen = mine;
                    break;
                }
            }
            out[i] = chosen.join("/");
        }
    }
    out
}
