//! Queries: the facts reports aggregate, commit listings, raw commits, and stored pull requests and configuration.

use super::*;

impl Store {
    /// Call `f` with the repository key and a borrowed view of every reachable commit matching
    /// `filter`: the report path, allocating nothing per commit.
    pub fn for_each_fact(
        &self,
        filter: &Filter,
        mut f: impl FnMut(&str, &FactsRef<'_>),
    ) -> Result<(), StoreError> {
        let repos: HashMap<i64, String> = self.repo_keys(filter, None)?.into_iter().collect();
        // One pass over the table in storage order: per-repository lookups through the index
        // cost a random page read per commit.
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT repo_id, author_time, is_merge, class, role, agents, models, review_bots, bots,
                        weak_agents != '', human, mode, lines_added, lines_deleted,
                        stats != 'none', reverted_by IS NOT NULL, reworked_by IS NOT NULL,
                        human_name, generated_added, generated_deleted, id, familiarity
                 FROM commits NOT INDEXED
                 WHERE reachable = 1 AND author_time >= ?1 AND author_time < ?2",
            )
            .map_err(self.sql_err("reading commits"))?;
        let (since, until) = (
            filter.range.since.unwrap_or(i64::MIN),
            filter.range.until.unwrap_or(i64::MAX),
        );
        let err = self.sql_err("reading commits");
        let mut rows = stmt.query(params![since, until]).map_err(&err)?;
        while let Some(r) = rows.next().map_err(&err)? {
            let Some(key) = repos.get(&r.get::<_, i64>(0).map_err(&err)?) else {
                continue;
            };
            let text = |i: usize| -> Result<&str, StoreError> {
                r.get_ref(i)
                    .and_then(|v| v.as_str().map_err(Into::into))
                    .map_err(&err)
            };
            let class = match text(3)? {
                "agent" => CommitClass::Agent,
                "bot" => CommitClass::Bot,
                _ => CommitClass::Human,
            };
            let role = match r
                .get_ref(4)
                .and_then(|v| v.as_str_or_null().map_err(Into::into))
                .map_err(&err)?
            {
                Some("authored") => Some(Role::Authored),
                Some(_) => Some(Role::CoAuthored),
                None => None,
            };
            let mut agents = List::Joined(text(5)?);
            if let Some(a) = &filter.agent {
                if class == CommitClass::Agent && !agents.iter().any(|x| x == a) {
                    continue;
                }
                if class == CommitClass::Agent {
                    agents = List::Joined(a);
                }
            }
            let mode = Mode::from_str(text(11)?).unwrap_or(Mode::Build);
            if filter.class.is_some_and(|c| c != class) || filter.mode.is_some_and(|m| m != mode) {
                continue;
            }
            let view = FactsRef {
                id: text(20)?,
                time: r.get(1).map_err(&err)?,
                is_merge: r.get(2).map_err(&err)?,
                class,
                role,
                agents,
                models: List::Joined(text(6)?),
                review_bots: List::Joined(text(7)?),
                bots: List::Joined(text(8)?),
                weak: r.get(9).map_err(&err)?,
                human: r
                    .get_ref(10)
                    .and_then(|v| v.as_str_or_null().map_err(Into::into))
                    .map_err(&err)?,
                mode,
                lines_added: (r.get::<_, i64>(12).map_err(&err)?
                    - r.get::<_, i64>(18).map_err(&err)?)
                .max(0) as u64,
                lines_deleted: (r.get::<_, i64>(13).map_err(&err)?
                    - r.get::<_, i64>(19).map_err(&err)?)
                .max(0) as u64,
                generated_added: r.get::<_, i64>(18).map_err(&err)? as u64,
                generated_deleted: r.get::<_, i64>(19).map_err(&err)? as u64,
                human_name: r
                    .get_ref(17)
                    .and_then(|v| v.as_str_or_null().map_err(Into::into))
                    .map_err(&err)?,
                has_paths: r.get(14).map_err(&err)?,
                reverted: r.get(15).map_err(&err)?,
                reworked: r.get(16).map_err(&err)?,
                familiarity: r.get(21).map_err(&err)?,
            };
            f(key, &view);
        }
        Ok(())
    }

    /// Stored commits matching `filter`, newest first, at most `limit`.
    pub fn commits(&self, filter: &Filter, limit: usize) -> Result<Vec<CommitRow>, StoreError> {
        let repos = self.repositories(&filter.repos)?;
        let names: HashMap<i64, String> = repos.iter().map(|r| (r.id, r.name.clone())).collect();
        if repos.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = repos.iter().map(|r| r.id.to_string()).collect();
        let sql = format!(
            "SELECT c.repo_id, c.id, c.author_time, c.author_name, c.author_email, c.class, c.role,
                    c.agents, c.models, c.mode, c.lines_added, c.lines_deleted, s.session, m.message
             FROM commits c
             JOIN commit_messages m ON m.rowid = c.rowid
             LEFT JOIN commit_sessions s ON s.repo_id = c.repo_id AND s.commit_id = c.id
             WHERE c.reachable = 1 AND c.repo_id IN ({}) AND c.author_time >= ?1 AND c.author_time < ?2
                   AND (c.is_merge = 0 OR ?3)
             ORDER BY c.author_time DESC, c.id",
            ids.join(",")
        );
        let mut stmt = self
            .conn
            .prepare(&sql)
            .map_err(self.sql_err("listing commits"))?;
        let (since, until) = (
            filter.range.since.unwrap_or(i64::MIN),
            filter.range.until.unwrap_or(i64::MAX),
        );
        let mut rows = stmt
            .query(params![since, until, filter.merges])
            .map_err(self.sql_err("listing commits"))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(self.sql_err("listing commits"))? {
            let get = |e: rusqlite::Error| self.sql_err("listing commits")(e);
            let class = match r
                .get_ref(5)
                .and_then(|v| Ok(v.as_str()?.to_owned()))
                .map_err(get)?
                .as_str()
            {
                "agent" => CommitClass::Agent,
                "bot" => CommitClass::Bot,
                _ => CommitClass::Human,
            };
            let agents = split(&r.get::<_, String>(7).map_err(get)?);
            let mode = Mode::from_str(&r.get::<_, String>(9).map_err(get)?).unwrap_or(Mode::Build);
            if !keep(class, mode, &agents, filter)
                || filter.agent.as_ref().is_some_and(|a| !agents.contains(a))
            {
                continue;
            }
            let message: Vec<u8> = r.get(13).map_err(get)?;
            let role: Option<String> = r.get(6).map_err(get)?;
            out.push(CommitRow {
                repo: names
                    .get(&r.get::<_, i64>(0).map_err(get)?)
                    .cloned()
                    .unwrap_or_default(),
                id: r.get(1).map_err(get)?,
                author_time: crate::period::utc_rfc3339(r.get(2).map_err(get)?),
                author: format!(
                    "{} <{}>",
                    r.get::<_, String>(3).map_err(get)?,
                    r.get::<_, String>(4).map_err(get)?
                ),
                class,
                role: role.map(|r| {
                    if r == "authored" {
                        Role::Authored
                    } else {
                        Role::CoAuthored
                    }
                }),
                agents,
                models: split(&r.get::<_, String>(8).map_err(get)?),
                mode,
                lines_added: r.get::<_, i64>(10).map_err(get)? as u64,
                lines_deleted: r.get::<_, i64>(11).map_err(get)? as u64,
                session: r.get(12).map_err(get)?,
                subject: crate::message::Message::parse(&message)
                    .subject()
                    .to_str_lossy()
                    .into_owned(),
            });
            if out.len() >= limit {
                break;
            }
        }
        Ok(out)
    }

    /// Every stored commit of `repos` with its identities and message, in no particular order.
    pub fn for_each_raw(
        &self,
        repos: &[StoredRepo],
        mut f: impl FnMut(RawCommit),
    ) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.id, c.author_name, c.author_email, c.committer_name, c.committer_email,
                        c.author_time, m.message
                 FROM commits c JOIN commit_messages m ON m.rowid = c.rowid WHERE c.repo_id = ?1",
            )
            .map_err(self.sql_err("reading commits"))?;
        for repo in repos {
            let rows = stmt
                .query_map([repo.id], |r| {
                    Ok(RawCommit {
                        repo: repo.name.clone(),
                        id: r.get(0)?,
                        author: (r.get(1)?, r.get(2)?),
                        committer: (r.get(3)?, r.get(4)?),
                        time: r.get(5)?,
                        message: r.get(6)?,
                    })
                })
                .map_err(self.sql_err("reading commits"))?;
            for row in rows {
                f(row.map_err(self.sql_err("reading commits"))?);
            }
        }
        Ok(())
    }

    /// Agents with evidence anywhere in a repository, for the adoption ceiling.
    pub fn weak_agents(&self, repo_id: i64) -> Result<BTreeSet<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT agent FROM evidence WHERE repo_id = ?1 AND category = 'agent'",
            )
            .map_err(self.sql_err("reading evidence"))?;
        let rows = stmt
            .query_map([repo_id], |r| r.get::<_, String>(0))
            .map_err(self.sql_err("reading evidence"))?;
        rows.collect::<Result<_, _>>()
            .map_err(self.sql_err("reading evidence"))
    }

    /// Configuration findings per repository key.
    pub fn configs(
        &self,
        filter: &Filter,
    ) -> Result<std::collections::BTreeMap<String, Vec<ConfigRow>>, StoreError> {
        let repos: HashMap<i64, String> = self.repo_keys(filter, None)?.into_iter().collect();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT repo_id, path, agent, confidence, first_seen, detail FROM config_files
                 ORDER BY repo_id, agent, path",
            )
            .map_err(self.sql_err("reading configuration files"))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    ConfigRow {
                        path: r.get(1)?,
                        agent: r.get(2)?,
                        confidence: r.get(3)?,
                        first_seen: r.get(4)?,
                        detail: r.get(5)?,
                    },
                ))
            })
            .map_err(self.sql_err("reading configuration files"))?;
        let mut out: std::collections::BTreeMap<String, Vec<ConfigRow>> = Default::default();
        for row in rows {
            let (repo, config) = row.map_err(self.sql_err("reading configuration files"))?;
            if let Some(key) = repos.get(&repo) {
                out.entry(key.clone()).or_default().push(config);
            }
        }
        Ok(out)
    }

    /// Closed pull requests (merged or not) closed in the filter's range, with their repository
    /// key.
    pub fn pull_requests(&self, filter: &Filter) -> Result<Vec<PullRow>, StoreError> {
        let repos: HashMap<i64, String> = self.repo_keys(filter, None)?.into_iter().collect();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT repo_id, merged_at, agents, COALESCE(merged_at, closed_at, updated_at),
                        created_at
                 FROM pull_requests
                 WHERE state = 'closed' AND COALESCE(merged_at, closed_at, updated_at) >= ?1
                   AND COALESCE(merged_at, closed_at, updated_at) < ?2",
            )
            .map_err(self.sql_err("reading pull requests"))?;
        let rows = stmt
            .query_map(
                params![
                    filter.range.since.unwrap_or(i64::MIN),
                    filter.range.until.unwrap_or(i64::MAX)
                ],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, Option<i64>>(1)?,
                        r.get::<_, String>(2)?,
                        (r.get::<_, i64>(3)?, r.get::<_, i64>(4)?),
                    ))
                },
            )
            .map_err(self.sql_err("reading pull requests"))?;
        let mut out = Vec::new();
        for row in rows {
            let (repo, merged_at, agents, (closed_at, created_at)) =
                row.map_err(self.sql_err("reading pull requests"))?;
            let Some(key) = repos.get(&repo) else {
                continue;
            };
            let mut agents = split(&agents);
            if let Some(a) = &filter.agent {
                agents.retain(|x| x == a);
            }
            out.push(PullRow {
                repo: key.clone(),
                merged_at,
                closed_at,
                created_at,
                agents,
            });
        }
        Ok(out)
    }

    /// The most recent update time of the stored pull requests of a repository.
    pub fn pull_requests_since(&self, repo_id: i64) -> Result<Option<i64>, StoreError> {
        self.conn
            .query_row(
                "SELECT max(updated_at) FROM pull_requests WHERE repo_id = ?1",
                [repo_id],
                |r| r.get(0),
            )
            .map_err(self.sql_err("reading pull requests"))
    }
}
