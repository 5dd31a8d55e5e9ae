//! Merging stores: the rows of another store added to this one, so that the shards of one scan
//! (`scan --shard K/N`, each into its own file) report as one store holding everything would.
//!
//! Rows are copied as they are, with repository, scan and commit row ids moved past this store's;
//! every aggregate is recomputed from the commit rows afterwards, never added from per-store
//! figures. A repository held by both stores (scanned twice by mistake) is kept once: from the
//! store whose last finished scan of it is the most recent.

use super::*;

/// The tables keyed by repository, with the columns whose ids move when rows are copied. Every
/// other column is copied as is; `meta` is not copied (the caller stamps the merged store).
const TABLES: [(&str, &[(&str, Shift)]); 11] = [
    (
        "repositories",
        &[("id", Shift::Repo), ("last_scan", Shift::Scan)],
    ),
    ("scans", &[("id", Shift::Scan), ("repo_id", Shift::Repo)]),
    (
        "commits",
        &[
            ("rowid", Shift::Row),
            ("repo_id", Shift::Repo),
            ("scan_id", Shift::Scan),
        ],
    ),
    ("commit_messages", &[("rowid", Shift::Row)]),
    ("commit_files", &[("repo_id", Shift::Repo)]),
    ("evidence", &[("repo_id", Shift::Repo)]),
    ("sessions", &[("repo_id", Shift::Repo)]),
    ("commit_sessions", &[("repo_id", Shift::Repo)]),
    ("pull_requests", &[("repo_id", Shift::Repo)]),
    ("config_files", &[("repo_id", Shift::Repo)]),
    ("commit_attestations", &[("repo_id", Shift::Repo)]),
];

#[derive(Clone, Copy)]
enum Shift {
    Repo,
    Scan,
    Row,
}

/// What a source store was made with: the stamps [`Store::stamp`] writes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stamps {
    pub registry_digest: Option<String>,
    pub rules_digest: Option<String>,
    pub version: Option<String>,
    /// The signature files given to its scans (JSON list of paths).
    pub signature_overrides: Option<String>,
}

/// What merging one store did.
#[derive(Debug, Clone, Default)]
pub struct Merged {
    /// Repositories added.
    pub repositories: u64,
    /// Commits added.
    pub commits: u64,
    /// Keys of repositories both stores held, kept once.
    pub duplicates: Vec<String>,
    /// The source's stamps.
    pub stamps: Stamps,
    /// What the source says of how its repositories were chosen: the sample and the history
    /// window (`meta` keys `sample` and `history_since`).
    pub chosen: Vec<(String, String)>,
}

impl Store {
    /// The stamps of this store.
    pub fn stamps(&self) -> Result<Stamps, StoreError> {
        Ok(Stamps {
            registry_digest: self.meta("registry_digest")?,
            rules_digest: self.meta("rules_digest")?,
            version: self.meta("agentscan_version")?,
            signature_overrides: self.meta("signature_overrides")?,
        })
    }

    /// Write `stamps` as this store's.
    pub fn set_stamps(&self, stamps: &Stamps) -> Result<(), StoreError> {
        for (key, value) in [
            ("registry_digest", &stamps.registry_digest),
            ("rules_digest", &stamps.rules_digest),
            ("agentscan_version", &stamps.version),
            ("signature_overrides", &stamps.signature_overrides),
        ] {
            if let Some(v) = value {
                self.set_meta(key, v)?;
            }
        }
        Ok(())
    }

    /// Add every row of the store at `source` to this one. The source is opened (and brought to
    /// the current schema) first, so a file that is not a store, or one from a newer agentscan,
    /// is refused with its name.
    pub fn merge_from(&mut self, source: &Path) -> Result<Merged, StoreError> {
        let (stamps, chosen) = {
            let src = Store::open(&Location::File(source.to_owned()), false, &|_| {})?;
            let mut chosen = Vec::new();
            for key in ["sample", "history_since"] {
                if let Some(v) = src.meta(key)? {
                    chosen.push((key.to_owned(), v));
                }
            }
            (src.stamps()?, chosen)
        };
        let src_name = source.display().to_string();
        self.conn
            .execute("ATTACH DATABASE ?1 AS src", [&src_name])
            .map_err(self.sql_err("attaching a store to merge"))?;
        let result = self.merge_attached();
        let _ = self.conn.execute_batch("DETACH DATABASE src");
        let mut merged = result.map_err(|e| match e {
            StoreError::Sql { doing, message, .. } => StoreError::Sql {
                path: src_name.clone(),
                doing,
                message,
            },
            e => e,
        })?;
        merged.stamps = stamps;
        merged.chosen = chosen;
        Ok(merged)
    }

    fn merge_attached(&mut self) -> Result<Merged, StoreError> {
        let err = |doing: &'static str| {
            let name = self.name.clone();
            move |e: rusqlite::Error| StoreError::Sql {
                path: name.clone(),
                doing,
                message: e.to_string(),
            }
        };
        // The time of each repository's last finished scan, in both stores.
        let last_scans = |db: &str| -> Result<HashMap<String, (i64, i64)>, StoreError> {
            let mut stmt = self
                .conn
                .prepare(&format!(
                    "SELECT r.key, r.id, IFNULL(MAX(s.finished_at), 0)
                     FROM {db}.repositories r LEFT JOIN {db}.scans s ON s.repo_id = r.id
                     GROUP BY r.id"
                ))
                .map_err(err("reading repositories"))?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
                .map_err(err("reading repositories"))?;
            rows.collect::<Result<_, _>>()
                .map_err(err("reading repositories"))
        };
        let mine = last_scans("main")?;
        let theirs = last_scans("src")?;
        let mut keep: Vec<i64> = Vec::new();
        let mut replace: Vec<i64> = Vec::new();
        let mut duplicates: Vec<String> = Vec::new();
        for (key, (id, finished)) in &theirs {
            match mine.get(key) {
                None => keep.push(*id),
                Some((my_id, my_finished)) => {
                    duplicates.push(key.clone());
                    if finished > my_finished {
                        replace.push(*my_id);
                        keep.push(*id);
                    }
                }
            }
        }
        duplicates.sort();
        let tx = self.conn.transaction().map_err(err("merging a store"))?;
        for id in &replace {
            // Children first: messages before their commits, everything before its repository.
            for (table, _) in TABLES.iter().rev() {
                let sql = match *table {
                    "commit_messages" => "DELETE FROM main.commit_messages WHERE rowid IN \
                         (SELECT rowid FROM main.commits WHERE repo_id = ?1)"
                        .to_owned(),
                    "repositories" => "DELETE FROM main.repositories WHERE id = ?1".to_owned(),
                    t => format!("DELETE FROM main.{t} WHERE repo_id = ?1"),
                };
                tx.execute(&sql, [id])
                    .map_err(err("replacing a repository"))?;
            }
        }
        tx.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS merge_keep (id INTEGER PRIMARY KEY);
             DELETE FROM merge_keep;",
        )
        .map_err(err("merging a store"))?;
        {
            let mut insert = tx
                .prepare("INSERT INTO merge_keep (id) VALUES (?1)")
                .map_err(err("merging a store"))?;
            for id in &keep {
                insert.execute([id]).map_err(err("merging a store"))?;
            }
        }
        let offset = |sql: &str| -> Result<i64, StoreError> {
            tx.query_row(sql, [], |r| r.get(0))
                .map_err(err("merging a store"))
        };
        let repo_off = offset("SELECT IFNULL(MAX(id), 0) FROM main.repositories")?;
        let scan_off = offset("SELECT IFNULL(MAX(id), 0) FROM main.scans")?;
        let row_off = offset("SELECT IFNULL(MAX(rowid), 0) FROM main.commits")?;
        let mut commits = 0u64;
        for (table, shifts) in TABLES {
            let columns: Vec<String> = {
                let mut stmt = tx
                    .prepare(&format!("PRAGMA main.table_info({table})"))
                    .map_err(err("reading the schema"))?;
                let names = stmt
                    .query_map([], |r| r.get::<_, String>(1))
                    .map_err(err("reading the schema"))?;
                names
                    .collect::<Result<_, _>>()
                    .map_err(err("reading the schema"))?
            };
            let select: Vec<String> = columns
                .iter()
                .map(|c| {
                    let shift = shifts.iter().find(|(name, _)| name == c).map(|(_, s)| s);
                    let quoted = format!("\"{c}\"");
                    match shift {
                        None => quoted,
                        Some(Shift::Repo) => format!("{quoted} + {repo_off}"),
                        Some(Shift::Scan) => format!("{quoted} + {scan_off}"),
                        Some(Shift::Row) => format!("{quoted} + {row_off}"),
                    }
                })
                .collect();
            let filter = match table {
                "repositories" => "id IN (SELECT id FROM temp.merge_keep)",
                "commit_messages" => {
                    "rowid IN (SELECT rowid FROM src.commits WHERE repo_id IN \
                     (SELECT id FROM temp.merge_keep))"
                }
                _ => "repo_id IN (SELECT id FROM temp.merge_keep)",
            };
            let quoted: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
            let n = tx
                .execute(
                    &format!(
                        "INSERT INTO main.{table} ({}) SELECT {} FROM src.{table} WHERE {filter}",
                        quoted.join(", "),
                        select.join(", ")
                    ),
                    [],
                )
                .map_err(err("copying rows"))?;
            if table == "commits" {
                commits = n as u64;
            }
        }
        tx.commit().map_err(err("merging a store"))?;
        Ok(Merged {
            repositories: keep.len() as u64,
            commits,
            duplicates,
            stamps: Stamps::default(),
            chosen: Vec::new(),
        })
    }
}
