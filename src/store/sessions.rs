//! Sessions: the work commits grouping reads, the groups it writes, and the sessions reports read.

use super::*;

/// A stored work commit as session grouping sees it.
pub struct WorkCommit<'a> {
    pub id: crate::model::Oid,
    pub time: i64,
    pub actor: &'a str,
    pub agents: List<'a>,
    /// The session id its evidence names.
    pub hint: Option<&'a str>,
    pub mode: Mode,
    pub lines: u64,
}

impl Store {
    /// Visit the reachable work commits of a repository (not merges, not bots) with what
    /// grouping them into sessions needs.
    pub fn each_work_commit(
        &self,
        repo_id: i64,
        mut visit: impl FnMut(WorkCommit<'_>),
    ) -> Result<(), StoreError> {
        let err = self.sql_err("reading commits");
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, author_time, actor, agents, session_hint, mode,
                        lines_added + lines_deleted - generated_added - generated_deleted
                 FROM commits
                 WHERE repo_id = ?1 AND reachable = 1 AND is_merge = 0 AND class != 'bot'",
            )
            .map_err(&err)?;
        let mut rows = stmt.query([repo_id]).map_err(&err)?;
        while let Some(r) = rows.next().map_err(&err)? {
            let text = |i: usize| -> Result<&str, StoreError> {
                r.get_ref(i)
                    .and_then(|v| v.as_str().map_err(Into::into))
                    .map_err(&err)
            };
            let Some(id) = crate::model::Oid::from_hex(text(0)?) else {
                continue;
            };
            let hint = r
                .get_ref(4)
                .and_then(|v| v.as_str_or_null().map_err(Into::into))
                .map_err(&err)?;
            visit(WorkCommit {
                id,
                time: r.get(1).map_err(&err)?,
                actor: text(2)?,
                agents: List::Joined(text(3)?),
                hint,
                mode: Mode::from_str(text(5)?).unwrap_or(Mode::Build),
                lines: r.get::<_, i64>(6).map_err(&err)? as u64,
            });
        }
        Ok(())
    }

    /// Visit the reachable work commits of a repository authored in `range`, with what bursts of
    /// one person's work read: author time, actor, whether an agent took part, changed lines.
    pub fn each_actor_commit(
        &self,
        repo_id: i64,
        range: TimeRange,
        mut visit: impl FnMut(i64, &str, bool, u64),
    ) -> Result<(), StoreError> {
        let err = self.sql_err("reading commits");
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT author_time, actor, agents != '', lines_added + lines_deleted - generated_added - generated_deleted
                 FROM commits
                 WHERE repo_id = ?1 AND reachable = 1 AND is_merge = 0 AND class != 'bot'
                   AND author_time >= ?2 AND author_time < ?3",
            )
            .map_err(&err)?;
        let mut rows = stmt
            .query(params![
                repo_id,
                range.since.unwrap_or(i64::MIN),
                range.until.unwrap_or(i64::MAX)
            ])
            .map_err(&err)?;
        while let Some(r) = rows.next().map_err(&err)? {
            let actor = r
                .get_ref(1)
                .and_then(|v| v.as_str().map_err(Into::into))
                .map_err(&err)?;
            visit(
                r.get(0).map_err(&err)?,
                actor,
                r.get(2).map_err(&err)?,
                r.get::<_, i64>(3).map_err(&err)? as u64,
            );
        }
        Ok(())
    }

    /// Visit the sessions of a repository starting in `range`: start, whether an agent took
    /// part, changed lines.
    pub fn each_session_size(
        &self,
        repo_id: i64,
        range: TimeRange,
        mut visit: impl FnMut(i64, bool, u64, u64),
    ) -> Result<(), StoreError> {
        let err = self.sql_err("reading sessions");
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT start, agents != '', lines, files FROM sessions
                 WHERE repo_id = ?1 AND start >= ?2 AND start < ?3",
            )
            .map_err(&err)?;
        let mut rows = stmt
            .query(params![
                repo_id,
                range.since.unwrap_or(i64::MIN),
                range.until.unwrap_or(i64::MAX)
            ])
            .map_err(&err)?;
        while let Some(r) = rows.next().map_err(&err)? {
            visit(
                r.get(0).map_err(&err)?,
                r.get(1).map_err(&err)?,
                r.get::<_, i64>(2).map_err(&err)? as u64,
                r.get::<_, i64>(3).map_err(&err)? as u64,
            );
        }
        Ok(())
    }

    /// Replace a repository's sessions with `grouped`.
    pub fn write_sessions(
        &mut self,
        repo_id: i64,
        grouped: &mut Grouped,
    ) -> Result<(), StoreError> {
        grouped.members.sort_unstable();
        let Grouped { sessions, members } = &*grouped;
        let name = self.name.clone();
        let err = |doing: &'static str| {
            let name = name.clone();
            move |e: rusqlite::Error| StoreError::Sql {
                path: name.clone(),
                doing,
                message: e.to_string(),
            }
        };
        let tx = self
            .conn
            .transaction()
            .map_err(err("regrouping sessions"))?;
        tx.execute("DELETE FROM sessions WHERE repo_id = ?1", [repo_id])
            .map_err(err("regrouping sessions"))?;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO sessions (repo_id, id, start, \"end\", commits, agents, mode, lines)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(err("writing sessions"))?;
            // Both tables are keyed by id: inserting in key order appends to their b-trees, which
            // is several times cheaper than inserting all over them.
            let mut by_id: Vec<&Session> = sessions.iter().collect();
            by_id.sort_unstable_by(|a, b| a.id.cmp(&b.id));
            for s in by_id {
                let agents: Vec<String> = s.agents.iter().cloned().collect();
                insert
                    .execute(params![
                        repo_id,
                        s.id,
                        s.start,
                        s.end,
                        s.commits as i64,
                        join(&agents),
                        s.mode.as_str(),
                        s.lines as i64
                    ])
                    .map_err(err("writing sessions"))?;
            }
            tx.execute("DELETE FROM commit_sessions WHERE repo_id = ?1", [repo_id])
                .map_err(err("regrouping sessions"))?;
            let mut member = tx
                .prepare_cached(
                    "INSERT INTO commit_sessions (repo_id, commit_id, session) VALUES (?1, ?2, ?3)",
                )
                .map_err(err("writing sessions"))?;
            let mut hex = [0u8; 64];
            for &(id, session) in members {
                let id: &str = id.gix().hex_to_buf(&mut hex);
                member
                    .execute(params![repo_id, id, sessions[session].id])
                    .map_err(err("writing sessions"))?;
            }
            // Distinct files per session, in one pass over the members' files.
            let counted: Vec<(String, i64)> = {
                let mut files = tx
                    .prepare_cached(
                        "SELECT cs.session, count(DISTINCT f.path)
                         FROM commit_sessions cs
                         JOIN commit_files f ON f.repo_id = cs.repo_id AND f.commit_id = cs.commit_id
                         WHERE cs.repo_id = ?1
                         GROUP BY cs.session",
                    )
                    .map_err(err("counting session files"))?;
                files
                    .query_map([repo_id], |r| Ok((r.get(0)?, r.get(1)?)))
                    .and_then(Iterator::collect)
                    .map_err(err("counting session files"))?
            };
            let mut update = tx
                .prepare_cached("UPDATE sessions SET files = ?3 WHERE repo_id = ?1 AND id = ?2")
                .map_err(err("counting session files"))?;
            for (session, files) in counted {
                update
                    .execute(params![repo_id, session, files])
                    .map_err(err("counting session files"))?;
            }
        }
        tx.commit().map_err(err("regrouping sessions"))
    }

    /// The sessions starting in the filter's range, with their repository key.
    pub fn sessions(&self, filter: &Filter) -> Result<Vec<(String, Session)>, StoreError> {
        let repos = self.repo_keys(filter, None)?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, start, \"end\", commits, agents, mode, lines, files FROM sessions
                 WHERE repo_id = ?1 AND start >= ?2 AND start < ?3",
            )
            .map_err(self.sql_err("reading sessions"))?;
        let (since, until) = (
            filter.range.since.unwrap_or(i64::MIN),
            filter.range.until.unwrap_or(i64::MAX),
        );
        let mut out = Vec::new();
        for (id, key) in repos {
            let rows = stmt
                .query_map(params![id, since, until], |r| {
                    Ok(Session {
                        id: r.get(0)?,
                        start: r.get(1)?,
                        end: r.get(2)?,
                        commits: r.get::<_, i64>(3)? as u64,
                        agents: split(r.get_ref(4)?.as_str()?).into_iter().collect(),
                        mode: Mode::from_str(r.get_ref(5)?.as_str()?).unwrap_or(Mode::Build),
                        lines: r.get::<_, i64>(6)? as u64,
                        files: r.get::<_, i64>(7)? as u64,
                    })
                })
                .map_err(self.sql_err("reading sessions"))?;
            for row in rows {
                let s = row.map_err(self.sql_err("reading sessions"))?;
                let keep = match &filter.agent {
                    Some(a) => s.agents.is_empty() || s.agents.contains(a),
                    None => true,
                };
                if keep && filter.mode.is_none_or(|m| m == s.mode) {
                    out.push((key.clone(), s));
                }
            }
        }
        Ok(out)
    }
}
