//! Writing a scan: the scan row, batches of commits with their messages, files, evidence and attestations, and closing the scan (reachability, tips).

use super::*;

impl Store {
    /// Start a scan of a repository; returns the scan id.
    pub fn begin_scan(
        &self,
        repo_id: i64,
        stats: Stats,
        tips: &[ObjectId],
    ) -> Result<i64, StoreError> {
        self.conn
            .execute(
                "INSERT INTO scans (repo_id, started_at, status, stats, tips, agentscan_version)
                 VALUES (?1, ?2, 'running', ?3, ?4, ?5)",
                params![
                    repo_id,
                    now(),
                    stats.as_str(),
                    oid_list(tips),
                    env!("CARGO_PKG_VERSION")
                ],
            )
            .map_err(self.sql_err("starting the scan"))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Write a batch of commits: raw fields, files, evidence and conclusions.
    ///
    /// Batches go into one transaction until [`COMMIT_INTERVAL`] has passed since it began, then
    /// it is committed; [`Store::commit_batches`] commits what is left. A transaction per batch
    /// rewrote every page of the commit-id index (ids are random) for every thousand commits: a
    /// file store wrote four times its own size. With `replace`, commits may already be stored
    /// (read again with more detail): their old file and evidence rows are removed first. On an
    /// error the open transaction is rolled back.
    pub fn write_batch(
        &mut self,
        repo_id: i64,
        scan_id: i64,
        stats: Stats,
        replace: bool,
        batch: &[StoredCommit],
    ) -> Result<(), StoreError> {
        let began = match self.batches_since {
            Some(t) => t,
            None => {
                self.conn
                    .execute_batch("BEGIN")
                    .map_err(self.sql_err("starting a batch"))?;
                let now = std::time::Instant::now();
                self.batches_since = Some(now);
                now
            }
        };
        if let Err(e) = self.write_rows(repo_id, scan_id, stats, replace, batch) {
            let _ = self.conn.execute_batch("ROLLBACK");
            self.batches_since = None;
            return Err(e);
        }
        if began.elapsed() >= COMMIT_INTERVAL {
            self.commit_batches()?;
        }
        Ok(())
    }

    /// Commit the batches [`Store::write_batch`] has written and not committed yet.
    pub fn commit_batches(&mut self) -> Result<(), StoreError> {
        if self.batches_since.take().is_some() {
            self.conn
                .execute_batch("COMMIT")
                .map_err(self.sql_err("committing a batch"))?;
        }
        Ok(())
    }

    pub(super) fn write_rows(
        &self,
        repo_id: i64,
        scan_id: i64,
        stats: Stats,
        replace: bool,
        batch: &[StoredCommit],
    ) -> Result<(), StoreError> {
        let name = self.name.clone();
        let err = |doing: &'static str| {
            let name = name.clone();
            move |e: rusqlite::Error| StoreError::Sql {
                path: name.clone(),
                doing,
                message: e.to_string(),
            }
        };
        let conn = &self.conn;
        {
            // A first read of a commit is a plain insert; only a re-read (`replace`) may meet a
            // stored row, and the upsert that handles that costs a third of the batch's time.
            let insert = "INSERT INTO commits (repo_id, id, tree, parents, author_name, author_email,
                        author_time, author_offset, committer_name, committer_email, committer_time,
                        committer_offset, stats, is_merge, class, role, agents, models,
                        review_bots, bots, weak_agents, human, actor, session_hint, mode,
                        mode_evidence, lines_added, lines_deleted, has_lines, reachable, scan_id,
                        human_name, reverts, generated_added, generated_deleted)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?14, ?15, ?16, ?17,
                        ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, 1, ?31, ?32,
                        ?33, ?34, ?35)";
            let upsert = format!(
                "{insert}
                     ON CONFLICT (repo_id, id) DO UPDATE SET tree = excluded.tree,
                        parents = excluded.parents, author_name = excluded.author_name,
                        author_email = excluded.author_email, author_time = excluded.author_time,
                        author_offset = excluded.author_offset, committer_name = excluded.committer_name,
                        committer_email = excluded.committer_email,
                        committer_time = excluded.committer_time,
                        committer_offset = excluded.committer_offset, stats = excluded.stats,
                        is_merge = excluded.is_merge, class = excluded.class, role = excluded.role,
                        agents = excluded.agents, models = excluded.models,
                        review_bots = excluded.review_bots, bots = excluded.bots,
                        weak_agents = excluded.weak_agents, human = excluded.human,
                        human_name = excluded.human_name, actor = excluded.actor, session_hint = excluded.session_hint,
                        mode = excluded.mode, mode_evidence = excluded.mode_evidence,
                        lines_added = excluded.lines_added, lines_deleted = excluded.lines_deleted,
                        has_lines = excluded.has_lines, reachable = 1, scan_id = excluded.scan_id,
                        reverts = excluded.reverts, generated_added = excluded.generated_added,
                        generated_deleted = excluded.generated_deleted
                     RETURNING rowid"
            );
            let mut commit = conn
                .prepare_cached(if replace { &upsert } else { insert })
                .map_err(err("preparing commit rows"))?;
            let mut message = conn
                .prepare_cached(if replace {
                    "INSERT OR REPLACE INTO commit_messages (rowid, message) VALUES (?1, ?2)"
                } else {
                    "INSERT INTO commit_messages (rowid, message) VALUES (?1, ?2)"
                })
                .map_err(err("preparing message rows"))?;
            let mut clear_files = conn
                .prepare_cached("DELETE FROM commit_files WHERE repo_id = ?1 AND commit_id = ?2")
                .map_err(err("preparing file rows"))?;
            let mut file = conn
                .prepare_cached(
                    "INSERT INTO commit_files (repo_id, commit_id, path, old_path, status,
                        lines_added, lines_deleted, binary) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(err("preparing file rows"))?;
            let mut clear_evidence = conn
                .prepare_cached("DELETE FROM evidence WHERE repo_id = ?1 AND commit_id = ?2")
                .map_err(err("preparing evidence rows"))?;
            let mut evidence = conn
                .prepare_cached(INSERT_EVIDENCE)
                .map_err(err("preparing evidence rows"))?;
            let mut clear_attestations = conn
                .prepare_cached(
                    "DELETE FROM commit_attestations WHERE repo_id = ?1 AND commit_id = ?2",
                )
                .map_err(err("preparing attestation rows"))?;
            let mut attestation = conn
                .prepare_cached(INSERT_ATTESTATION)
                .map_err(err("preparing attestation rows"))?;
            for c in batch {
                let r = &c.record;
                let facts = &c.facts;
                let id = &facts.id;
                // Borrowed where the bytes are UTF-8 already: this loop is the scan's one
                // sequential stage, so it allocates as little as it can.
                let (an, ae) = (r.author.name.to_str_lossy(), r.author.email.to_str_lossy());
                let (cn, ce) = (
                    r.committer.name.to_str_lossy(),
                    r.committer.email.to_str_lossy(),
                );
                let mut tree_hex = [0u8; 64];
                let tree: &str = r.tree.gix().hex_to_buf(&mut tree_hex);
                let values = params![
                    repo_id,
                    id,
                    tree,
                    parent_list(&r.parents),
                    an.as_ref(),
                    ae.as_ref(),
                    r.author.time,
                    r.author.offset,
                    cn.as_ref(),
                    ce.as_ref(),
                    r.committer.time,
                    r.committer.offset,
                    None::<i64>,
                    c.stored_stats(stats).as_str(),
                    r.is_merge(),
                    facts.class.as_str(),
                    facts.role.map(Role::as_str),
                    join(&facts.agents),
                    join(&facts.models),
                    join(&facts.review_bots),
                    join(&facts.bots),
                    join(&facts.weak_agents),
                    facts.human,
                    facts.actor,
                    facts.session_hint,
                    facts.mode.as_str(),
                    c.mode_evidence,
                    facts.lines_added as i64,
                    facts.lines_deleted as i64,
                    facts.has_lines,
                    scan_id,
                    facts.human_name,
                    c.reverts,
                    facts.generated_added as i64,
                    facts.generated_deleted as i64,
                ];
                let rowid: i64 = if replace {
                    commit.query_row(values, |row| row.get(0))
                } else {
                    commit.execute(values).map(|_| conn.last_insert_rowid())
                }
                .map_err(err("writing a commit"))?;
                message
                    .execute(params![rowid, r.message.as_bytes()])
                    .map_err(err("writing a message"))?;
                if replace {
                    clear_files
                        .execute(params![repo_id, id])
                        .map_err(err("writing files"))?;
                    clear_evidence
                        .execute(params![repo_id, id])
                        .map_err(err("writing evidence"))?;
                    clear_attestations
                        .execute(params![repo_id, id])
                        .map_err(err("writing attestations"))?;
                }
                for a in &r.attestations {
                    insert_attestation(&mut attestation, repo_id, id, a)
                        .map_err(err("writing attestations"))?;
                }
                for f in r.files.iter().flatten() {
                    file.execute(params![
                        repo_id,
                        id,
                        f.path.to_str_lossy(),
                        f.old_path.as_ref().map(|p| p.to_str_lossy()),
                        f.status.code(),
                        f.lines.map(|l| l.0),
                        f.lines.map(|l| l.1),
                        f.binary,
                    ])
                    .map_err(err("writing files"))?;
                }
                for e in &c.evidence {
                    insert_evidence(&mut evidence, repo_id, id, e)
                        .map_err(err("writing evidence"))?;
                }
            }
        }
        Ok(())
    }

    /// Finish a complete scan: mark what the new tips reach (stored commits they no longer reach
    /// are kept but marked unreachable), mark reached commits complete, and record the tips so an unchanged repository is skipped next time.
    pub fn finish_scan(
        &mut self,
        repo: &StoredRepo,
        end: &ScanEnd<'_>,
    ) -> Result<FinishSummary, StoreError> {
        let (scan_id, tips, fast_forward) = (end.scan_id, end.tips, end.fast_forward);
        if end.first {
            return self.close_scan(repo, end);
        }
        if fast_forward {
            let unreachable: i64 = self
                .conn
                .query_row(
                    "SELECT count(*) FROM commits NOT INDEXED WHERE repo_id = ?1 AND reachable = 0",
                    [repo.id],
                    |r| r.get(0),
                )
                .map_err(self.sql_err("reading reachability"))?;
            if unreachable == 0 {
                return self.close_scan(repo, end);
            }
        }
        // Reachability from the tips over the stored parent links: no git needed.
        let mut parents: HashMap<String, (bool, Vec<String>)> = HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare_cached(
                    "SELECT id, reachable, parents FROM commits NOT INDEXED WHERE repo_id = ?1",
                )
                .map_err(self.sql_err("reading parents"))?;
            let rows = stmt
                .query_map([repo.id], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, bool>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                })
                .map_err(self.sql_err("reading parents"))?;
            for row in rows {
                let (id, reachable, p) = row.map_err(self.sql_err("reading parents"))?;
                parents.insert(
                    id,
                    (reachable, p.split_whitespace().map(str::to_owned).collect()),
                );
            }
        }
        let mut reachable: HashSet<&str> = HashSet::new();
        let mut stack: Vec<&str> = Vec::new();
        let tip_hex: Vec<String> = tips.iter().map(|t| t.to_string()).collect();
        for t in &tip_hex {
            if let Some((k, _)) = parents.get_key_value(t.as_str()) {
                stack.push(k.as_str());
            }
        }
        while let Some(id) = stack.pop() {
            if !reachable.insert(id) {
                continue;
            }
            for p in parents.get(id).map(|(_, p)| p).into_iter().flatten() {
                if let Some((k, _)) = parents.get_key_value(p.as_str()) {
                    stack.push(k.as_str());
                }
            }
        }
        let total = parents.len() as u64;
        let summary_reachable = reachable.len() as u64;
        let name = self.name.clone();
        let err = |doing: &'static str| {
            let name = name.clone();
            move |e: rusqlite::Error| StoreError::Sql {
                path: name.clone(),
                doing,
                message: e.to_string(),
            }
        };
        let tx = self.conn.transaction().map_err(err("finishing the scan"))?;
        {
            // Only rows whose reachability changed are touched: rewriting a row rewrites its message.
            let mut mark = tx
                .prepare_cached("UPDATE commits SET reachable = ?3 WHERE repo_id = ?1 AND id = ?2")
                .map_err(err("marking reachability"))?;
            for (id, (was, _)) in &parents {
                let is = reachable.contains(id.as_str());
                if is != *was {
                    mark.execute(params![repo.id, id, is])
                        .map_err(err("marking reachability"))?;
                }
            }
            // Reached commits stored by scans that never finished now have their whole ancestry
            // stored: they join this scan.
            let mut adopt = tx
                .prepare_cached(
                    "UPDATE commits SET scan_id = ?3 WHERE repo_id = ?1 AND id = ?2
                     AND scan_id IN (SELECT id FROM scans WHERE repo_id = ?1 AND status != 'complete')",
                )
                .map_err(err("adopting interrupted scans"))?;
            let stale: i64 = tx
                .query_row(
                    "SELECT count(*) FROM scans WHERE repo_id = ?1 AND status != 'complete' AND id != ?2",
                    params![repo.id, scan_id],
                    |r| r.get(0),
                )
                .map_err(err("adopting interrupted scans"))?;
            if stale > 0 {
                for id in &reachable {
                    adopt
                        .execute(params![repo.id, id, scan_id])
                        .map_err(err("adopting interrupted scans"))?;
                }
            }
        }
        tx.commit().map_err(err("finishing the scan"))?;
        let mut summary = self.close_scan(repo, end)?;
        summary.reachable = summary_reachable;
        summary.unreachable = total - summary_reachable;
        Ok(summary)
    }

    /// Mark a scan complete, record the tips and fold the write-ahead log.
    pub(super) fn close_scan(
        &mut self,
        repo: &StoredRepo,
        end: &ScanEnd<'_>,
    ) -> Result<FinishSummary, StoreError> {
        let name = self.name.clone();
        let err = |doing: &'static str| {
            let name = name.clone();
            move |e: rusqlite::Error| StoreError::Sql {
                path: name.clone(),
                doing,
                message: e.to_string(),
            }
        };
        let tx = self.conn.transaction().map_err(err("closing the scan"))?;
        tx.execute(
            "UPDATE scans SET status = 'complete', finished_at = ?2, new_commits = ?3, known_commits = ?4 WHERE id = ?1",
            params![end.scan_id, now(), end.new as i64, end.known as i64],
        )
        .map_err(err("closing the scan"))?;
        tx.execute(
            "UPDATE repositories SET tips = ?2, stats = ?3, status = ?4, message = ?5, last_scan = ?6 WHERE id = ?1",
            params![
                repo.id,
                oid_list(end.tips),
                end.stats.as_str(),
                end.status,
                end.message,
                end.scan_id
            ],
        )
        .map_err(err("recording the tips"))?;
        let reachable: i64 = if end.first {
            end.new as i64
        } else {
            tx.query_row(
                "SELECT count(*) FROM commits NOT INDEXED WHERE repo_id = ?1 AND reachable = 1",
                [repo.id],
                |r| r.get(0),
            )
            .map_err(err("counting commits"))?
        };
        tx.execute(
            "UPDATE repositories SET commits = ?2 WHERE id = ?1",
            params![repo.id, reachable],
        )
        .map_err(err("counting commits"))?;
        tx.commit().map_err(err("closing the scan"))?;
        // Fold the write-ahead log into the database once, rather than every thousand pages.
        let _ = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        Ok(FinishSummary {
            reachable: reachable as u64,
            unreachable: 0,
        })
    }
}
