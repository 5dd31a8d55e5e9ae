//! Finding repositories under local paths.
//!
//! A path is a repository (work tree, `.git` folder or bare repository), a folder holding
//! repositories at any depth, or a folder inside a work tree. Symbolic links to folders are
//! followed (a folder of links to clones is a common way to pick repositories), each folder at
//! most once by its real path, so a link loop ends and two links to one clone list it once. The
//! search never descends into `.git`, and stops at each repository it finds, so a folder of a
//! thousand clones is listed without reading any of their files.

use std::path::{Path, PathBuf};

/// Why no repository could be found at a path.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    /// The path does not exist.
    #[error("{0}: no such file or directory")]
    Missing(PathBuf),
    /// The path exists but holds no repository, and is inside none.
    #[error(
        "{0}: not a git repository, and no repositories were found below it (pass a clone, a bare repository or a folder of them)"
    )]
    NoRepository(PathBuf),
    /// The folder could not be read.
    #[error("{path}: cannot read folder: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Whether `dir` is the top of a work tree (has `.git`) or a git directory itself.
fn is_repository(dir: &Path) -> bool {
    dir.join(".git").exists() || is_git_dir(dir)
}

/// A git directory has `HEAD`, `objects/` and `refs/` (or a `commondir` for linked work trees).
fn is_git_dir(dir: &Path) -> bool {
    dir.join("HEAD").is_file()
        && (dir.join("objects").is_dir() || dir.join("commondir").is_file())
        && (dir.join("refs").is_dir() || dir.join("commondir").is_file())
}

/// The git directory holding a repository's objects and refs, for telling apart repositories
/// from work trees of one repository: a linked work tree (`.git` is a file naming
/// `…/worktrees/NAME`, whose `commondir` names the main git directory) and its main repository
/// give the same answer. Canonical where the file system allows.
pub fn common_dir(repo: &Path) -> PathBuf {
    let mut dir = repo.to_owned();
    let dot_git = repo.join(".git");
    if dot_git.is_dir() {
        dir = dot_git;
    } else if let Ok(text) = std::fs::read_to_string(&dot_git)
        && let Some(target) = text.trim_end().strip_prefix("gitdir: ")
    {
        dir = repo.join(target);
    }
    if let Ok(text) = std::fs::read_to_string(dir.join("commondir")) {
        dir = dir.join(text.trim_end());
    }
    dir.canonicalize().unwrap_or(dir)
}

/// The repositories at or below `path`, sorted; or the repository enclosing `path`.
pub fn discover(path: &Path) -> Result<Vec<PathBuf>, DiscoverError> {
    let meta = std::fs::metadata(path).map_err(|_| DiscoverError::Missing(path.to_owned()))?;
    if !meta.is_dir() {
        return Err(DiscoverError::NoRepository(path.to_owned()));
    }
    if is_repository(path) {
        return Ok(vec![path.to_owned()]);
    }
    let mut found = Vec::new();
    let mut seen = std::collections::HashSet::new();
    if let Ok(real) = path.canonicalize() {
        seen.insert(real);
    }
    search(path, &mut found, &mut seen, 0)?;
    if found.is_empty() {
        // A folder inside a work tree: scan the enclosing repository, as git would.
        if let Ok(repo) = gix::discover(path) {
            let top = repo
                .workdir()
                .map(Path::to_owned)
                .unwrap_or_else(|| repo.git_dir().to_owned());
            return Ok(vec![top]);
        }
        return Err(DiscoverError::NoRepository(path.to_owned()));
    }
    found.sort();
    Ok(found)
}

/// Deep enough for `org/team/project` layouts, shallow enough never to crawl a whole disk.
const MAX_DEPTH: usize = 8;

fn search(
    dir: &Path,
    found: &mut Vec<PathBuf>,
    seen: &mut std::collections::HashSet<PathBuf>,
    depth: usize,
) -> Result<(), DiscoverError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        // Unreadable sub-folders are skipped; only the folder the user named is an error.
        Err(source) if depth == 0 => {
            return Err(DiscoverError::Read {
                path: dir.to_owned(),
                source,
            });
        }
        Err(_) => return Ok(()),
    };
    let mut subdirs = Vec::new();
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let is_dir = kind.is_dir()
            || (kind.is_symlink() && std::fs::metadata(entry.path()).is_ok_and(|m| m.is_dir()));
        if !is_dir || entry.file_name() == ".git" {
            continue;
        }
        subdirs.push(entry.path());
    }
    subdirs.sort();
    for sub in subdirs {
        // Each real folder once: a link loop ends, two links to one clone list it once.
        if let Ok(real) = sub.canonicalize()
            && !seen.insert(real)
        {
            continue;
        }
        if is_repository(&sub) {
            found.push(sub);
        } else if depth + 1 < MAX_DEPTH {
            search(&sub, found, seen, depth + 1)?;
        }
    }
    Ok(())
}
