//! Opening a store: the write lock, the header check, schema migrations, and the meta table (digests, version, signature files).

use super::*;

impl Store {
    /// Open (creating, migrating or validating) the store at `location`. With `write`, take the
    /// store's write lock first, waiting for another writer to finish (`on_wait` is told once).
    pub fn open(
        location: &Location,
        write: bool,
        on_wait: &dyn Fn(&str),
    ) -> Result<Self, StoreError> {
        let name = location.display();
        let (conn, lock) = match location {
            Location::Memory => (
                Connection::open_in_memory().map_err(|e| StoreError::Open {
                    path: name.clone(),
                    message: e.to_string(),
                })?,
                None,
            ),
            Location::File(path) => {
                let lock = if write {
                    Some(Self::lock(path, &name, on_wait)?)
                } else {
                    None
                };
                Self::check_header(path, &name)?;
                // A connection is used by one thread at a time (rusqlite's `Connection` is not
                // `Sync`), so SQLite's own per-call mutex is pure cost: a sixth of a report's time.
                let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
                    | if write {
                        OpenFlags::SQLITE_OPEN_CREATE
                    } else {
                        OpenFlags::empty()
                    };
                if !write && !path.exists() {
                    return Err(StoreError::Open {
                        path: name,
                        message: "no such database: run `agentscan scan` first, or pass --db"
                            .into(),
                    });
                }
                let conn =
                    Connection::open_with_flags(path, flags).map_err(|e| StoreError::Open {
                        path: name.clone(),
                        message: e.to_string(),
                    })?;
                (conn, lock)
            }
        };
        let mut store = Store {
            conn,
            name,
            _lock: lock,
            batches_since: None,
        };
        store.prepare()?;
        Ok(store)
    }

    /// Take the store's write lock (`PATH.lock`), waiting up to [`lock_wait`] for another writer,
    /// whom the lock file names.
    pub(super) fn lock(
        path: &Path,
        name: &str,
        on_wait: &dyn Fn(&str),
    ) -> Result<std::fs::File, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Open {
                path: name.to_owned(),
                message: format!("cannot create {}: {e}", dir.display()),
            })?;
        }
        let lock_path = PathBuf::from(format!("{}.lock", path.display()));
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| StoreError::Open {
                path: name.to_owned(),
                message: format!("cannot create the lock file {}: {e}", lock_path.display()),
            })?;
        let locked = |e: std::io::Error| StoreError::Locked {
            path: name.to_owned(),
            message: format!("cannot lock {}: {e}", lock_path.display()),
        };
        let started = std::time::Instant::now();
        let patience = lock_wait();
        let mut told = false;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) => {
                    let holder = std::fs::read_to_string(&lock_path)
                        .ok()
                        .map(|s| s.trim().to_owned())
                        .filter(|s| !s.is_empty())
                        .map_or_else(String::new, |s| format!(" ({s})"));
                    if !told {
                        on_wait(&format!(
                            "{name}: another agentscan{holder} is writing to this database; waiting for it to finish"
                        ));
                        told = true;
                    }
                    if started.elapsed() >= patience {
                        return Err(StoreError::Locked {
                            path: name.to_owned(),
                            message: format!(
                                "gave up after {}s waiting for another agentscan{holder} to finish writing; stop it, wait, or pass another --db (AGENTSCAN_LOCK_WAIT sets the wait in seconds)",
                                patience.as_secs()
                            ),
                        });
                    }
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(locked(e)),
            }
        }
        // Say who holds it, for anyone who waits.
        use std::io::Write as _;
        let who = format!(
            "process {}, since {}",
            std::process::id(),
            crate::period::utc_rfc3339(jiff::Timestamp::now().as_second())
        );
        let _ = file
            .set_len(0)
            .and_then(|()| (&file).write_all(who.as_bytes()));
        Ok(file)
    }

    /// A non-empty file must start like a SQLite database; anything else is never opened.
    pub(super) fn check_header(path: &Path, name: &str) -> Result<(), StoreError> {
        use std::io::Read;
        let Ok(mut f) = std::fs::File::open(path) else {
            return Ok(());
        };
        let mut header = [0u8; 16];
        let n = f.read(&mut header).unwrap_or(0);
        if n == 0 {
            return Ok(());
        }
        if n < 16 || &header != b"SQLite format 3\0" {
            return Err(StoreError::Corrupt {
                path: name.to_owned(),
                message: "no SQLite header".into(),
            });
        }
        Ok(())
    }

    pub(super) fn sql_err(
        &self,
        doing: &'static str,
    ) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |e| {
            let message = e.to_string();
            match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
                    StoreError::Corrupt {
                        path: self.name.clone(),
                        message,
                    }
                }
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                    StoreError::Locked {
                        path: self.name.clone(),
                        message: format!(
                            "{doing}: the database is busy ({message}); another agentscan may be writing to it, try again when it has finished"
                        ),
                    }
                }
                Some(rusqlite::ErrorCode::DiskFull) => StoreError::Unwritable {
                    path: self.name.clone(),
                    message: format!(
                        "{doing}: the disk is full ({message}): free some space or pass --db on another disk; every batch written before is kept, and the next scan resumes"
                    ),
                },
                Some(rusqlite::ErrorCode::ReadOnly) => StoreError::Unwritable {
                    path: self.name.clone(),
                    message: format!(
                        "{doing}: the database is read-only ({message}): make the file and its folder writable, or pass another --db"
                    ),
                },
                _ => StoreError::Sql {
                    path: self.name.clone(),
                    doing,
                    message,
                },
            }
        }
    }

    pub(super) fn prepare(&mut self) -> Result<(), StoreError> {
        self.conn
            .busy_timeout(std::time::Duration::from_secs(30))
            .map_err(self.sql_err("setting the busy timeout"))?;
        let app: i32 = self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(self.sql_err("reading the application id"))?;
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(self.sql_err("reading the schema version"))?;
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(self.sql_err("listing tables"))?;
        if app != APPLICATION_ID && (app != 0 || tables > 0) {
            return Err(StoreError::Foreign {
                path: self.name.clone(),
                what: if app == 0 {
                    format!("a SQLite database with {tables} objects and no agentscan stamp")
                } else {
                    format!("application id {app:#x}")
                },
            });
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::Newer {
                path: self.name.clone(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        if tables == 0 {
            // Set before the first table exists (it is fixed afterwards): 16 KiB pages hold most
            // commit messages without overflow pages, and a first scan writes about 5% faster.
            self.conn
                .execute_batch("PRAGMA page_size = 16384;")
                .map_err(self.sql_err("configuring the database"))?;
        }
        // WAL lets reports read while a scan writes; NORMAL keeps every committed batch across a
        // process crash.
        let _ = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0));
        // A 64 MiB page cache: a scan inserts hundreds of thousands of rows and the default 2 MiB
        // made SQLite re-read its own pages from the kernel over and over.
        self.conn
            .execute_batch(
                "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;
                 PRAGMA mmap_size = 4294967296;
                 PRAGMA wal_autocheckpoint = 16384;",
            )
            .map_err(self.sql_err("configuring the database"))?;
        if version < SCHEMA_VERSION {
            self.migrate(version)?;
        }
        Ok(())
    }

    pub(super) fn migrate(&mut self, from: i64) -> Result<(), StoreError> {
        let name = self.name.clone();
        let tx = self.conn.transaction().map_err(|e| StoreError::Sql {
            path: name.clone(),
            doing: "starting the migration",
            message: e.to_string(),
        })?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
            tx.execute_batch(sql).map_err(|e| StoreError::Sql {
                path: name.clone(),
                doing: "migrating the schema",
                message: format!("to version {}: {e}", i + 1),
            })?;
        }
        tx.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};"
        ))
        .map_err(|e| StoreError::Sql {
            path: name.clone(),
            doing: "stamping the schema version",
            message: e.to_string(),
        })?;
        tx.commit().map_err(|e| StoreError::Sql {
            path: name,
            doing: "committing the migration",
            message: e.to_string(),
        })
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(self.sql_err("reading the schema version"))
    }

    /// A value of the `meta` table.
    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(self.sql_err("reading meta"))
    }

    /// Set a value of the `meta` table.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            .map(|_| ())
            .map_err(self.sql_err("writing meta"))
    }

    /// Whether stored conclusions were made with another registry, rule set or version.
    pub fn needs_reclassify(
        &self,
        registry: &Registry,
        rules_digest: &str,
    ) -> Result<bool, StoreError> {
        let any: bool = self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM commits)", [], |r| r.get(0))
            .map_err(self.sql_err("counting commits"))?;
        if !any {
            return Ok(false);
        }
        Ok(
            self.meta("registry_digest")?.as_deref() != Some(registry.digest())
                || self.meta("rules_digest")?.as_deref() != Some(rules_digest)
                || self.meta("agentscan_version")?.as_deref() != Some(env!("CARGO_PKG_VERSION")),
        )
    }

    /// The key of `--anonymize` pseudonyms kept in this database, made on first use.
    pub fn anonymize_key(&self) -> Result<String, StoreError> {
        if let Some(k) = self.meta("anonymize_key")? {
            return Ok(k);
        }
        let key = crate::privacy::Pseudonyms::random_key().map_err(|e| StoreError::Sql {
            path: self.name.clone(),
            doing: "making a pseudonym key",
            message: e.to_string(),
        })?;
        self.set_meta("anonymize_key", &key)?;
        Ok(key)
    }

    /// Record which registry, rules and version the stored conclusions come from.
    pub fn stamp(&self, registry: &Registry, rules_digest: &str) -> Result<(), StoreError> {
        self.set_meta("registry_digest", registry.digest())?;
        // The signature files behind the stored conclusions, so that a report names their agents.
        let overrides = serde_json::to_string(registry.overrides()).unwrap_or_default();
        self.set_meta("signature_overrides", &overrides)?;
        self.set_meta("rules_digest", rules_digest)?;
        self.set_meta("agentscan_version", env!("CARGO_PKG_VERSION"))
    }

    /// The registry the stored conclusions came from: the built-in one with the signature files
    /// the last scan was given. `None` when those files no longer load (then the caller falls
    /// back to the built-in registry and says so).
    pub fn registry(&self) -> Result<Option<Registry>, StoreError> {
        let overrides: Vec<(String, String)> = match self.meta("signature_overrides")? {
            Some(text) if !text.is_empty() => match serde_json::from_str(&text) {
                Ok(o) => o,
                Err(_) => return Ok(None),
            },
            _ => Vec::new(),
        };
        Ok(Registry::builtin_with(&overrides).ok())
    }

    /// Fold the write-ahead log into the database file, so the file alone holds every row.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(self.sql_err("folding the write-ahead log"))
    }

    /// How the stored repositories were drawn, when they are a sample.
    pub fn sample(&self) -> Result<Option<crate::model::SampleInfo>, StoreError> {
        Ok(self
            .meta("sample")?
            .and_then(|t| serde_json::from_str(&t).ok()))
    }

    /// Record how the repositories were drawn.
    pub fn set_sample(&self, sample: &crate::model::SampleInfo) -> Result<(), StoreError> {
        self.set_meta("sample", &serde_json::to_string(sample).unwrap_or_default())
    }

    /// When the last scan into this store finished (seconds), if one did.
    pub fn last_scan_time(&self) -> Result<Option<i64>, StoreError> {
        self.conn
            .query_row("SELECT MAX(finished_at) FROM scans", [], |r| r.get(0))
            .map_err(self.sql_err("reading scans"))
    }

    /// The store's name in messages: its path, or `:memory:`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The open connection, for tests and tools that query it directly.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// How long a writer waits for another to release the store: `AGENTSCAN_LOCK_WAIT` seconds, or
/// a day (scans of large organisations run for hours).
fn lock_wait() -> std::time::Duration {
    let secs = std::env::var("AGENTSCAN_LOCK_WAIT")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(24 * 3600);
    std::time::Duration::from_secs(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_store_never_needs_reclassifying_and_a_stamp_is_read_back() {
        let store = Store::open(&Location::Memory, true, &|_| {}).expect("store");
        let registry = Registry::builtin();
        assert!(!store.needs_reclassify(&registry, "other").expect("meta"));
        store.stamp(&registry, "rules-1").expect("stamp");
        assert_eq!(
            store.meta("rules_digest").expect("meta").as_deref(),
            Some("rules-1")
        );
        assert_eq!(
            store.meta("registry_digest").expect("meta").as_deref(),
            Some(registry.digest())
        );
        let version: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        assert_eq!(version, SCHEMA_VERSION);
    }
}
