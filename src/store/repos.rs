//! Repositories: their rows, status, and the commits a walk can skip.

use super::*;

impl Store {
    /// The repository with this key, created if new; name and path are refreshed.
    pub fn repository(&self, key: &str, name: &str, path: &str) -> Result<StoredRepo, StoreError> {
        self.conn
            .execute(
                "INSERT INTO repositories (key, name, path) VALUES (?1, ?2, ?3)
                 ON CONFLICT (key) DO UPDATE SET name = excluded.name, path = excluded.path",
                [key, name, path],
            )
            .map_err(self.sql_err("recording the repository"))?;
        self.repositories(&[key.to_owned()])?
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::Sql {
                path: self.name.clone(),
                doing: "recording the repository",
                message: "the row vanished".into(),
            })
    }

    /// Repositories whose name or key is in `wanted` (all when empty), by name.
    pub fn repositories(&self, wanted: &[String]) -> Result<Vec<StoredRepo>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT r.id, r.key, r.name, r.path, r.status, r.message, r.tips, r.stats, r.commits,
                        r.generated
                 FROM repositories r ORDER BY r.name, r.key",
            )
            .map_err(self.sql_err("listing repositories"))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(StoredRepo {
                    id: r.get(0)?,
                    key: r.get(1)?,
                    name: r.get(2)?,
                    path: r.get(3)?,
                    status: r.get(4)?,
                    message: r.get(5)?,
                    tips: oids(&r.get::<_, String>(6)?),
                    stats: Stats::from_stored(&r.get::<_, String>(7)?),
                    commits: r.get::<_, i64>(8)? as u64,
                    generated: r.get::<_, String>(9)?.lines().map(str::to_owned).collect(),
                })
            })
            .map_err(self.sql_err("listing repositories"))?;
        let mut out = Vec::new();
        for row in rows {
            let repo = row.map_err(self.sql_err("listing repositories"))?;
            if wanted.is_empty() || wanted.iter().any(|w| *w == repo.name || *w == repo.key) {
                out.push(repo);
            }
        }
        Ok(out)
    }

    /// Record what a repository's `.gitattributes` marks as generated or vendored.
    pub fn set_generated(&mut self, repo_id: i64, globs: &[String]) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE repositories SET generated = ?2 WHERE id = ?1",
                params![repo_id, globs.join("\n")],
            )
            .map_err(self.sql_err("recording generated files"))?;
        Ok(())
    }

    /// Record how the last attempt at a repository ended, without touching its commits.
    pub fn set_status(
        &self,
        repo_id: i64,
        status: &str,
        message: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE repositories SET status = ?2, message = ?3 WHERE id = ?1",
                params![repo_id, status, message],
            )
            .map(|_| ())
            .map_err(self.sql_err("recording the repository status"))
    }

    /// The stored commits of a repository as a walk needs them: complete ones stop the walk,
    /// partial ones are passed through. Commits stored with less detail than `stats` count as
    /// not stored, so that they are read again.
    pub fn known_commits(&self, repo_id: i64, stats: Stats) -> Result<KnownCommits, StoreError> {
        let mut known = KnownCommits::default();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.id, s.status = 'complete', c.committer_time, c.parents, c.stats
                 FROM commits c NOT INDEXED JOIN scans s ON s.id = c.scan_id WHERE c.repo_id = ?1",
            )
            .map_err(self.sql_err("reading stored commits"))?;
        let mut rows = stmt
            .query([repo_id])
            .map_err(self.sql_err("reading stored commits"))?;
        let want = stats;
        while let Some(r) = rows
            .next()
            .map_err(self.sql_err("reading stored commits"))?
        {
            let id: String = r.get(0).map_err(self.sql_err("reading stored commits"))?;
            let Ok(id) = ObjectId::from_hex(id.as_bytes()) else {
                continue;
            };
            let stored_stats: String = r.get(4).map_err(self.sql_err("reading stored commits"))?;
            if Stats::from_stored(&stored_stats) < want {
                known.upgrades += 1;
                continue;
            }
            let complete: bool = r.get(1).map_err(self.sql_err("reading stored commits"))?;
            if complete {
                known.complete.insert(id);
            } else {
                let time: i64 = r.get(2).map_err(self.sql_err("reading stored commits"))?;
                let parents: String = r.get(3).map_err(self.sql_err("reading stored commits"))?;
                known.partial.insert(id, (time, oids(&parents)));
            }
        }
        Ok(known)
    }

    pub(super) fn repo_keys(
        &self,
        filter: &Filter,
        repo_id: Option<i64>,
    ) -> Result<Vec<(i64, String)>, StoreError> {
        Ok(self
            .repositories(&filter.repos)?
            .into_iter()
            .filter(|r| repo_id.is_none_or(|id| id == r.id))
            .map(|r| (r.id, r.key))
            .collect())
    }
}
