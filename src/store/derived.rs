//! Derived rows: outcome proxies, pull requests linked to commits, configuration findings. The
//! store reads what deriving them needs and writes what was derived; the deriving is the
//! pipeline's.

use super::*;

impl Store {
    /// The reachable commits of a repository as the outcome proxies read them, with the outcomes
    /// stored for them now, and each one's changed paths.
    pub fn outcome_subjects(&self, repo_id: i64) -> Result<Vec<OutcomeSubject>, StoreError> {
        let err = self.sql_err("reading outcome inputs");
        let mut out = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, author_time, is_merge, mode = 'fix', reverted_by, reworked_by, reverts,
                        familiarity, actor
                 FROM commits WHERE repo_id = ?1 AND reachable = 1",
            )
            .map_err(&err)?;
        let mut rows = stmt.query([repo_id]).map_err(&err)?;
        while let Some(r) = rows.next().map_err(&err)? {
            let id: String = r.get(0).map_err(&err)?;
            index.insert(id.clone(), out.len());
            out.push(OutcomeSubject {
                id,
                time: r.get(1).map_err(&err)?,
                is_merge: r.get(2).map_err(&err)?,
                is_fix: r.get(3).map_err(&err)?,
                stored: (
                    r.get(4).map_err(&err)?,
                    r.get(5).map_err(&err)?,
                    r.get(7).map_err(&err)?,
                ),
                actor: r.get(8).map_err(&err)?,
                reverts: r.get(6).map_err(&err)?,
                paths: Vec::new(),
            });
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT commit_id, path FROM commit_files WHERE repo_id = ?1")
            .map_err(&err)?;
        let mut rows = stmt.query([repo_id]).map_err(&err)?;
        while let Some(r) = rows.next().map_err(&err)? {
            let id = r.get_ref(0).and_then(|v| Ok(v.as_str()?)).map_err(&err)?;
            let Some(&i) = index.get(id) else { continue };
            out[i].paths.push(r.get(1).map_err(&err)?);
        }
        Ok(out)
    }

    /// Store outcome proxies: each `(commit, reverted by, reworked by)` given; with
    /// `clear_unreachable`, unreachable commits lose theirs (history rewritten since they were
    /// computed).
    pub fn write_outcomes<'a>(
        &mut self,
        repo_id: i64,
        changed: impl IntoIterator<Item = (&'a str, (Option<&'a str>, Option<&'a str>, Option<u32>))>,
        clear_unreachable: bool,
    ) -> Result<(), StoreError> {
        let name = self.name.clone();
        let err = move |e: rusqlite::Error| StoreError::Sql {
            path: name.clone(),
            doing: "storing outcomes",
            message: e.to_string(),
        };
        let tx = self.conn.transaction().map_err(err.clone())?;
        {
            if clear_unreachable {
                tx.execute(
                    "UPDATE commits SET reverted_by = NULL, reworked_by = NULL, familiarity = NULL
                     WHERE repo_id = ?1 AND reachable = 0
                       AND (reverted_by IS NOT NULL OR reworked_by IS NOT NULL
                            OR familiarity IS NOT NULL)",
                    [repo_id],
                )
                .map_err(err.clone())?;
            }
            let mut update = tx
                .prepare_cached(
                    "UPDATE commits SET reverted_by = ?3, reworked_by = ?4, familiarity = ?5
                     WHERE repo_id = ?1 AND id = ?2",
                )
                .map_err(err.clone())?;
            for (id, (reverted, reworked, familiarity)) in changed {
                update
                    .execute(params![repo_id, id, reverted, reworked, familiarity])
                    .map_err(err.clone())?;
            }
        }
        tx.commit().map_err(err)
    }

    /// Store pull requests with their evidence (replacing earlier versions of them).
    pub fn write_pull_requests(
        &mut self,
        repo_id: i64,
        pulls: &[(
            crate::source::github::PullRequest,
            Vec<crate::model::Evidence>,
        )],
    ) -> Result<(), StoreError> {
        let name = self.name.clone();
        let err = move |e: rusqlite::Error| StoreError::Sql {
            path: name.clone(),
            doing: "writing pull requests",
            message: e.to_string(),
        };
        let tx = self.conn.transaction().map_err(err.clone())?;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO pull_requests (repo_id, number, state, author, head_ref,
                        labels, created_at, merged_at, merge_commit, agents, evidence, updated_at,
                        closed_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                )
                .map_err(err.clone())?;
            for (pr, evidence) in pulls {
                let agents: BTreeSet<&str> = evidence
                    .iter()
                    .filter(|e| {
                        e.category == crate::signatures::Category::Agent
                            && e.confidence >= crate::signatures::Confidence::Medium
                    })
                    .map(|e| e.agent.as_str())
                    .collect();
                insert
                    .execute(params![
                        repo_id,
                        pr.number as i64,
                        pr.state,
                        pr.author,
                        pr.head_ref,
                        pr.labels.join(","),
                        pr.created_at,
                        pr.merged_at,
                        pr.merge_commit,
                        agents.into_iter().collect::<Vec<_>>().join(","),
                        serde_json::to_string(evidence).unwrap_or_default(),
                        pr.updated_at,
                        pr.closed_at,
                    ])
                    .map_err(err.clone())?;
            }
        }
        tx.commit().map_err(err)
    }

    /// Carry the agents of merged agent pull requests to their merge (or squash) commits: the
    /// commit becomes an agent commit with `pull-request` evidence. Idempotent.
    pub fn link_pull_requests(&mut self, repo_id: i64) -> Result<u64, StoreError> {
        let pulls: Vec<(i64, String, String, String)> = {
            let mut stmt = self
                .conn
                .prepare_cached(
                    "SELECT number, agents, evidence, merge_commit FROM pull_requests
                     WHERE repo_id = ?1 AND merged_at IS NOT NULL AND merge_commit IS NOT NULL AND agents != ''",
                )
                .map_err(self.sql_err("reading pull requests"))?;
            let rows = stmt
                .query_map([repo_id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })
                .map_err(self.sql_err("reading pull requests"))?;
            rows.collect::<Result<_, _>>()
                .map_err(self.sql_err("reading pull requests"))?
        };
        let name = self.name.clone();
        let err = move |e: rusqlite::Error| StoreError::Sql {
            path: name.clone(),
            doing: "linking pull requests",
            message: e.to_string(),
        };
        let tx = self.conn.transaction().map_err(err.clone())?;
        tx.execute(
            "DELETE FROM evidence WHERE repo_id = ?1 AND kind = 'pull-request'",
            [repo_id],
        )
        .map_err(err.clone())?;
        let mut linked = 0u64;
        for (_number, agents, evidence, commit) in &pulls {
            let row: Option<(String, Option<String>, String)> = tx
                .query_row(
                    "SELECT class, role, agents FROM commits WHERE repo_id = ?1 AND id = ?2",
                    params![repo_id, commit],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()
                .map_err(err.clone())?;
            let Some((class, role, current)) = row else {
                continue;
            };
            let evidence: Vec<crate::model::Evidence> =
                serde_json::from_str::<Vec<serde_json::Value>>(evidence)
                    .ok()
                    .map(|v| v.into_iter().filter_map(evidence_from_json).collect())
                    .unwrap_or_default();
            let mut all: BTreeSet<String> = split(&current).into_iter().collect();
            all.extend(split(agents));
            let (class, role) = if class == "bot" {
                (class, role)
            } else if crate::model::pull_request_authored(&evidence) {
                ("agent".to_owned(), Some("authored".to_owned()))
            } else {
                (
                    "agent".to_owned(),
                    role.or_else(|| Some("co-authored".to_owned())),
                )
            };
            tx.execute(
                "UPDATE commits SET class = ?3, role = ?4, agents = ?5 WHERE repo_id = ?1 AND id = ?2",
                params![
                    repo_id,
                    commit,
                    class,
                    role,
                    all.into_iter().collect::<Vec<_>>().join(",")
                ],
            )
            .map_err(err.clone())?;
            let mut insert = tx.prepare_cached(INSERT_EVIDENCE).map_err(err.clone())?;
            for e in &evidence {
                insert_evidence(&mut insert, repo_id, commit, e).map_err(err.clone())?;
            }
            linked += 1;
        }
        tx.commit().map_err(err)?;
        Ok(linked)
    }

    /// Replace the configuration findings of a repository; `first_seen` comes from the stored
    /// changed paths when the history was scanned with `--stats paths` or `lines`.
    pub fn write_config(
        &mut self,
        repo_id: i64,
        findings: &[crate::model::ConfigFinding],
    ) -> Result<(), StoreError> {
        let name = self.name.clone();
        let err = move |e: rusqlite::Error| StoreError::Sql {
            path: name.clone(),
            doing: "writing configuration files",
            message: e.to_string(),
        };
        let tx = self.conn.transaction().map_err(err.clone())?;
        tx.execute("DELETE FROM config_files WHERE repo_id = ?1", [repo_id])
            .map_err(err.clone())?;
        for f in findings {
            // An ignored agent file dates from the .gitignore (its first version, lacking better).
            let path = if f.detail.as_deref() == Some("gitignore") {
                ".gitignore"
            } else {
                f.path.as_str()
            };
            let first_seen: Option<i64> = {
                tx.query_row(
                    "SELECT min(c.author_time) FROM commit_files f
                     JOIN commits c ON c.repo_id = f.repo_id AND c.id = f.commit_id
                     WHERE f.repo_id = ?1 AND f.path = ?2 AND c.reachable = 1",
                    params![repo_id, path],
                    |r| r.get(0),
                )
                .map_err(err.clone())?
            };
            tx.execute(
                "INSERT OR REPLACE INTO config_files (repo_id, path, agent, confidence, first_seen, detail)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![repo_id, f.path, f.agent, f.confidence.as_str(), first_seen, f.detail],
            )
            .map_err(err.clone())?;
        }
        tx.commit().map_err(err)
    }
}
