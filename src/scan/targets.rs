//! What to scan: local paths resolved to repositories, remote URLs and owners turned into
//! specs, and the key each repository is stored under.

use super::*;

/// Positional sources: URLs (`scheme://…`, `user@host:path`) and local paths.
pub fn split_sources(args: &[String]) -> (Vec<PathBuf>, Vec<String>) {
    let mut paths = Vec::new();
    let mut urls = Vec::new();
    for a in args {
        if is_url(a) {
            urls.push(a.clone());
        } else {
            paths.push(PathBuf::from(a));
        }
    }
    (paths, urls)
}

/// Whether a source is a URL: a scheme, or scp-like `git@host:owner/name` (but not a local path
/// with a colon later on).
pub fn is_url(s: &str) -> bool {
    if s.contains("://") {
        return true;
    }
    match (s.find('@'), s.find(':'), s.find('/')) {
        (Some(at), Some(colon), slash) => at < colon && slash.is_none_or(|sl| colon < sl),
        _ => false,
    }
}

/// A list of repositories (`--repos-file`): one URL or path per line; `#` starts a comment;
/// relative paths are relative to `base`, the file's folder.
pub fn split_repos_list(text: &str, base: &Path) -> (Vec<PathBuf>, Vec<String>) {
    let mut paths = Vec::new();
    let mut urls = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if is_url(line) {
            urls.push(line.to_owned());
        } else {
            let p = PathBuf::from(line);
            paths.push(if p.is_absolute() { p } else { base.join(p) });
        }
    }
    (paths, urls)
}

/// Find the repositories of `paths`, in the order given, without duplicates (two paths to one
/// repository, or work trees of one repository, are scanned once: their history is one); a path
/// that holds none becomes a failed outcome in its place.
pub fn resolve_paths(paths: &[PathBuf]) -> Vec<Result<PathBuf, RepoOutcome>> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for p in paths {
        match discover(p) {
            Ok(found) => {
                for r in found {
                    if seen.insert(crate::source::local::common_dir(&r)) {
                        out.push(Ok(r));
                    }
                }
            }
            Err(e) => out.push(Err(RepoOutcome {
                name: p.display().to_string(),
                key: p.display().to_string(),
                path: p.clone(),
                commits: 0,
                new: None,
                status: RepoStatus::Failed(Failure::new(e)),
                unreadable: None,
            })),
        }
    }
    out
}

/// A repository to scan: local, cloned from somewhere, or already failed (kept in place so that
/// outcomes come in the order sources were given).
pub(super) enum Target {
    Local(PathBuf),
    Remote(RemoteSpec),
    Failed(RepoOutcome),
}

pub(super) fn failed_outcome(
    name: String,
    key: String,
    path: PathBuf,
    failure: Failure,
) -> RepoOutcome {
    RepoOutcome {
        name,
        key,
        path,
        commits: 0,
        new: None,
        status: RepoStatus::Failed(failure),
        unreadable: None,
    }
}

/// The spec of a repository URL given by the user.
pub(super) fn url_spec(url: &str, github_host: &str) -> Result<RemoteSpec, CloneError> {
    let (host, owner, name) = remote_key(url)?;
    let github = (host == github_host && !owner.is_empty()).then(|| format!("{owner}/{name}"));
    Ok(RemoteSpec {
        url: url.to_owned(),
        key: [host.as_str(), owner.as_str(), name.as_str()]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("/"),
        // Local paths and file URLs are named by their folder; hosted ones by owner/name.
        name: if owner.is_empty() || host == "local" {
            name
        } else {
            format!("{owner}/{name}")
        },
        github,
    })
}

/// The repositories of an owner that pass the filters.
pub(super) fn listed(repos: Vec<RemoteRepo>, opts: &RemoteOptions) -> Vec<RemoteRepo> {
    let mut out: Vec<RemoteRepo> = repos
        .into_iter()
        .filter(|r| opts.include_forks || !r.fork)
        .filter(|r| opts.include_archived || !r.archived)
        .filter(|r| {
            opts.topics
                .iter()
                .all(|t| r.topics.iter().any(|x| x.eq_ignore_ascii_case(t)))
        })
        .filter(|r| opts.name_match.as_ref().is_none_or(|m| m.is_match(&r.name)))
        .collect();
    if let Some(n) = opts.limit {
        out.truncate(n);
    }
    out
}

/// The identity of a repository in the store: its canonical path.
pub fn repo_key(path: &Path) -> String {
    path.canonicalize()
        .unwrap_or_else(|_| path.to_owned())
        .display()
        .to_string()
}
