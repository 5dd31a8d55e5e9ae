//! Opening a repository and finding what to walk: its tips, and the files at a tip.

use super::*;

impl Repo {
    /// Open the repository at `path` (a work tree, a `.git` folder or a bare repository).
    pub fn open(path: &Path) -> Result<Self, WalkError> {
        if !path.exists() {
            return Err(WalkError::Missing {
                path: path.to_owned(),
            });
        }
        // A hash-map delta-base cache per thread: trees are deep delta chains in real packs, and
        // gix's default 64-entry list re-inflated bases over and over (measured on git/git: paths
        // 4.3 s → 3.0 s).
        let opts = gix::open::Options::isolated()
            .open_path_as_is(false)
            .config_overrides([
                "core.deltaBaseCacheLimit=32m".to_owned(),
                // Sizes in object headers are untrusted: gix refuses what this reader refuses.
                format!("gitoxide.objects.allocLimit={}", objects::MAX_OBJECT),
            ]);
        let repo = gix::open_opts(path, opts).map_err(|e| WalkError::Open {
            path: path.to_owned(),
            message: error_chain(&e),
        })?;
        let shallow = repo.is_shallow().unwrap_or(false);
        let mailmap = Arc::new(repo.open_mailmap());
        let name = display_name(&repo, path);
        Ok(Repo {
            sync: repo.into_sync(),
            mailmap,
            path: path.to_owned(),
            name,
            shallow,
            packs: std::sync::OnceLock::new(),
        })
    }

    /// The repository's packs, shared by the diffs of every thread.
    pub(super) fn packs(&self) -> Arc<objects::Packs> {
        self.packs
            .get_or_init(|| {
                Arc::new(objects::Packs::open(
                    self.sync.objects_dir(),
                    self.sync.to_thread_local().object_hash(),
                ))
            })
            .clone()
    }

    /// A thread-local handle for this thread.
    pub fn local(&self) -> gix::Repository {
        self.sync.to_thread_local()
    }

    /// The git directory.
    pub fn git_dir(&self) -> &Path {
        self.sync.path()
    }

    /// The commits a walk starts from: HEAD, and every local branch with `all_branches`. Empty for
    /// an unborn HEAD.
    pub fn tips(&self, opts: &WalkOptions) -> Result<Vec<ObjectId>, WalkError> {
        self.tips_in(&self.local(), opts)
    }

    pub(super) fn tips_in(
        &self,
        repo: &gix::Repository,
        opts: &WalkOptions,
    ) -> Result<Vec<ObjectId>, WalkError> {
        let head_err = |e: &dyn std::error::Error| WalkError::Head {
            path: self.path.clone(),
            message: error_chain(e),
        };
        let mut tips = Vec::new();
        let mut head = repo.head().map_err(|e| head_err(&e))?;
        if !head.is_unborn()
            && let Some(id) = head.try_peel_to_id().map_err(|e| head_err(&e))?
        {
            tips.push(id.detach());
        }
        if opts.all_branches {
            let refs = repo.references().map_err(|e| head_err(&e))?;
            let branches = refs.local_branches().map_err(|e| head_err(&e))?;
            for mut r in branches.flatten() {
                if let Ok(id) = r.peel_to_id() {
                    let id = id.detach();
                    if !tips.contains(&id) {
                        tips.push(id);
                    }
                }
            }
        }
        Ok(tips)
    }

    /// Every file path of the tree of commit `tip`, and the text of `wanted` files present there
    /// (at most 1 MiB each), for configuration checks.
    pub fn tip_files(&self, tip: ObjectId, wanted: &[&str]) -> Result<TipFiles, WalkError> {
        let repo = self.local();
        let err = |e: &dyn std::error::Error| WalkError::Commit {
            path: self.path.clone(),
            id: tip,
            message: error_chain(e),
        };
        let tree = repo
            .find_commit(tip)
            .map_err(|e| err(&e))?
            .tree()
            .map_err(|e| err(&e))?;
        let mut recorder = gix::traverse::tree::Recorder::default();
        tree.traverse()
            .breadthfirst(&mut recorder)
            .map_err(|e| err(&e))?;
        let paths = recorder
            .records
            .iter()
            .filter(|e| e.mode.is_blob_or_symlink())
            .map(|e| e.filepath.to_str_lossy().into_owned())
            .collect();
        let texts = wanted
            .iter()
            .filter_map(|name| Some(((*name).to_owned(), text_at(&tree, name)?)))
            .collect();
        Ok((paths, texts))
    }

    /// The text of the file at `path` in the tree of commit `tip` (at most 1 MiB), if there is one.
    pub fn tip_file(&self, tip: ObjectId, path: &str) -> Option<String> {
        let repo = self.local();
        text_at(&repo.find_commit(tip).ok()?.tree().ok()?, path)
    }

    pub(super) fn walk_error(&self, e: &dyn std::error::Error) -> WalkError {
        WalkError::Walk {
            path: self.path.clone(),
            message: error_chain(e),
        }
    }
}

/// The text of the blob at `path` in `tree`, if there is one of at most 1 MiB.
fn text_at(tree: &gix::Tree<'_>, path: &str) -> Option<String> {
    let object = tree.lookup_entry_by_path(path).ok()??.object().ok()?;
    (object.kind == gix::object::Kind::Blob && object.data.len() <= 1 << 20)
        .then(|| object.data.to_str_lossy().into_owned())
}

pub(super) fn display_name(repo: &gix::Repository, path: &Path) -> String {
    let base = match repo.workdir() {
        Some(wd) => wd.to_owned(),
        None => repo.git_dir().to_owned(),
    };
    let base = base.canonicalize().unwrap_or(base);
    folder_name(&base).unwrap_or_else(|| path.display().to_string())
}

/// A repository's name from its folder: the folder's name without `.git`, or the parent's when
/// the folder's says nothing (`.git`, `repo`, `repo.git`: mirrors laid out as `owner+name/repo`).
pub fn folder_name(path: &Path) -> Option<String> {
    const GENERIC: [&str; 3] = ["", "repo", "repository"];
    let mut at = path;
    for _ in 0..2 {
        let name = at.file_name()?.to_string_lossy().into_owned();
        let name = name.strip_suffix(".git").unwrap_or(&name).to_owned();
        if !GENERIC.contains(&name.as_str()) {
            return Some(name);
        }
        at = at.parent()?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::folder_name;
    use std::path::Path;

    #[test]
    fn a_generic_folder_is_named_by_its_parent() {
        let name = |p: &str| folder_name(Path::new(p));
        assert_eq!(name("/m/git+git/repo").as_deref(), Some("git+git"));
        assert_eq!(name("/m/tool/.git").as_deref(), Some("tool"));
        assert_eq!(name("/m/tool.git").as_deref(), Some("tool"));
        assert_eq!(name("/m/tool/repo.git").as_deref(), Some("tool"));
        assert_eq!(name("/m/repository").as_deref(), Some("m"));
        assert_eq!(name("/m/alpha").as_deref(), Some("alpha"));
        // Nothing to name it by.
        assert_eq!(name("/repo"), None);
    }
}
