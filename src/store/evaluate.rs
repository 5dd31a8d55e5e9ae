//! What re-evaluation without git needs of the store: records rebuilt from their raw fields,
//! conclusions replaced, attestations compared and replaced. Concluding is the pipeline's.

use super::*;

impl Store {
    /// Replace the conclusions of stored commits (the raw fields are unchanged; each keeps its
    /// stats level and scan).
    pub fn rewrite_conclusions(
        &mut self,
        repo_id: i64,
        batch: &[(Stats, StoredCommit)],
    ) -> Result<(), StoreError> {
        let name = self.name.clone();
        let err = move |e: rusqlite::Error| StoreError::Sql {
            path: name.clone(),
            doing: "rewriting conclusions",
            message: e.to_string(),
        };
        let tx = self.conn.transaction().map_err(err.clone())?;
        {
            let mut update = tx
                .prepare_cached(
                    "UPDATE commits SET class = ?3, role = ?4, agents = ?5, models = ?6, review_bots = ?7,
                        bots = ?8, weak_agents = ?9, human = ?10, actor = ?11, session_hint = ?12,
                        mode = ?13, mode_evidence = ?14, human_name = ?15, reverts = ?16,
                        generated_added = ?17, generated_deleted = ?18
                     WHERE repo_id = ?1 AND id = ?2",
                )
                .map_err(err.clone())?;
            let mut clear = tx
                .prepare_cached("DELETE FROM evidence WHERE repo_id = ?1 AND commit_id = ?2")
                .map_err(err.clone())?;
            let mut evidence = tx.prepare_cached(INSERT_EVIDENCE).map_err(err.clone())?;
            for (_, c) in batch {
                let facts = &c.facts;
                let id = &facts.id;
                update
                    .execute(params![
                        repo_id,
                        id,
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
                        facts.human_name,
                        c.reverts,
                        facts.generated_added as i64,
                        facts.generated_deleted as i64,
                    ])
                    .map_err(err.clone())?;
                clear.execute(params![repo_id, id]).map_err(err.clone())?;
                for e in &c.evidence {
                    insert_evidence(&mut evidence, repo_id, id, e).map_err(err.clone())?;
                }
            }
        }
        tx.commit().map_err(err)
    }

    /// The stored attestations of a repository's commits, by commit id.
    pub fn attestations(
        &self,
        repo_id: i64,
    ) -> Result<HashMap<String, Vec<crate::attest::Attestation>>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT commit_id, source, tool, model FROM commit_attestations WHERE repo_id = ?1
                 ORDER BY rowid",
            )
            .map_err(self.sql_err("reading attestations"))?;
        let rows = stmt
            .query_map([repo_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            })
            .map_err(self.sql_err("reading attestations"))?;
        let mut out: HashMap<String, Vec<crate::attest::Attestation>> = HashMap::new();
        for row in rows {
            let (id, source, tool, model) = row.map_err(self.sql_err("reading attestations"))?;
            // A source a later version added and this one does not know is left alone.
            if let Some(source) = crate::attest::AttestSource::parse(&source) {
                out.entry(id).or_default().push(crate::attest::Attestation {
                    source,
                    tool,
                    model,
                });
            }
        }
        Ok(out)
    }

    /// Replace the stored attestations of a repository with `current` (commit id → what the
    /// stores say now), and return the stored records whose attestations changed, with the new
    /// ones, for the caller to conclude again. Attribution stores change without the history
    /// moving (a note added to an old commit), so a scan compares them every time.
    pub fn replace_attestations(
        &mut self,
        repo_id: i64,
        current: &HashMap<String, Vec<crate::attest::Attestation>>,
    ) -> Result<Vec<(Stats, CommitRecord)>, StoreError> {
        let stored = self.attestations(repo_id)?;
        let changed: std::collections::HashSet<&String> = current
            .iter()
            .filter(|(id, a)| stored.get(*id) != Some(*a))
            .map(|(id, _)| id)
            .chain(stored.keys().filter(|id| !current.contains_key(*id)))
            .collect();
        if changed.is_empty() {
            return Ok(Vec::new());
        }
        let mut records: Vec<(Stats, CommitRecord)> = self
            .stored_records(repo_id)?
            .into_iter()
            .filter(|(_, r)| changed.contains(&r.id.to_string()))
            .collect();
        if records.is_empty() {
            return Ok(records);
        }
        {
            let name = self.name.clone();
            let err = move |e: rusqlite::Error| StoreError::Sql {
                path: name.clone(),
                doing: "writing attestations",
                message: e.to_string(),
            };
            let tx = self.conn.transaction().map_err(err.clone())?;
            {
                let mut clear = tx
                    .prepare_cached(
                        "DELETE FROM commit_attestations WHERE repo_id = ?1 AND commit_id = ?2",
                    )
                    .map_err(err.clone())?;
                let mut insert = tx.prepare_cached(INSERT_ATTESTATION).map_err(err.clone())?;
                for (_, r) in &mut records {
                    let id = r.id.to_string();
                    clear.execute(params![repo_id, id]).map_err(err.clone())?;
                    r.attestations = current.get(&id).cloned().unwrap_or_default();
                    for a in &r.attestations {
                        insert_attestation(&mut insert, repo_id, &id, a).map_err(err.clone())?;
                    }
                }
            }
            tx.commit().map_err(err)?;
        }
        Ok(records)
    }

    /// Rebuild the records of a repository from the stored raw fields, with the stats level each
    /// was read at.
    pub fn stored_records(&self, repo_id: i64) -> Result<Vec<(Stats, CommitRecord)>, StoreError> {
        let mut files: HashMap<String, Vec<FileChange>> = HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare_cached(
                    "SELECT commit_id, path, old_path, status, lines_added, lines_deleted, binary
                     FROM commit_files WHERE repo_id = ?1",
                )
                .map_err(self.sql_err("reading files"))?;
            let rows = stmt
                .query_map([repo_id], |r| {
                    let status = match r.get_ref(3)?.as_str()? {
                        "A" => FileStatus::Added,
                        "D" => FileStatus::Deleted,
                        "R" => FileStatus::Renamed,
                        "C" => FileStatus::Copied,
                        _ => FileStatus::Modified,
                    };
                    let added: Option<u32> = r.get(4)?;
                    let deleted: Option<u32> = r.get(5)?;
                    Ok((
                        r.get::<_, String>(0)?,
                        FileChange {
                            path: r.get::<_, String>(1)?.into(),
                            old_path: r.get::<_, Option<String>>(2)?.map(Into::into),
                            status,
                            lines: added.zip(deleted),
                            binary: r.get(6)?,
                        },
                    ))
                })
                .map_err(self.sql_err("reading files"))?;
            for row in rows {
                let (id, f) = row.map_err(self.sql_err("reading files"))?;
                files.entry(id).or_default().push(f);
            }
        }
        let mut attestations = self.attestations(repo_id)?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.id, c.tree, c.parents, c.author_name, c.author_email, c.author_time,
                        c.author_offset, c.committer_name, c.committer_email, c.committer_time,
                        c.committer_offset, m.message, c.stats
                 FROM commits c NOT INDEXED JOIN commit_messages m ON m.rowid = c.rowid WHERE c.repo_id = ?1",
            )
            .map_err(self.sql_err("reading commits"))?;
        let rows = stmt
            .query_map([repo_id], |r| {
                let id: String = r.get(0)?;
                let tree: String = r.get(1)?;
                let parents: String = r.get(2)?;
                let stats = Stats::from_stored(r.get_ref(12)?.as_str()?);
                Ok((
                    id,
                    tree,
                    parents,
                    Person {
                        name: r.get::<_, String>(3)?.into(),
                        email: r.get::<_, String>(4)?.into(),
                        time: r.get(5)?,
                        offset: r.get(6)?,
                    },
                    Person {
                        name: r.get::<_, String>(7)?.into(),
                        email: r.get::<_, String>(8)?.into(),
                        time: r.get(9)?,
                        offset: r.get(10)?,
                    },
                    r.get::<_, Vec<u8>>(11)?,
                    stats,
                ))
            })
            .map_err(self.sql_err("reading commits"))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, tree, parents, author, committer, message, stats) =
                row.map_err(self.sql_err("reading commits"))?;
            let Ok(oid) = ObjectId::from_hex(id.as_bytes()) else {
                continue;
            };
            let is_merge = parents.split_whitespace().count() > 1;
            let commit_files = files.remove(&id);
            let files = match (stats, is_merge) {
                (Stats::None, _) | (_, true) => None,
                _ => Some(commit_files.unwrap_or_default()),
            };
            out.push((
                stats,
                CommitRecord {
                    id: crate::model::Oid::from_gix(oid),
                    tree: crate::model::Oid::from_hex(&tree)
                        .unwrap_or_else(crate::model::Oid::empty_tree),
                    parents: oids(&parents)
                        .into_iter()
                        .map(crate::model::Oid::from_gix)
                        .collect(),
                    author,
                    committer,
                    message: message.into(),
                    files,
                    attestations: attestations.remove(&id).unwrap_or_default(),
                },
            ));
        }
        Ok(out)
    }
}
