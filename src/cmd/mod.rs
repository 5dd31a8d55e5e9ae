//! The commands behind the command line, one file each, and what they share: options turned
//! into library values (dates, periods, formats), the store and registry a command opens, and
//! where output goes. `main.rs` only parses and dispatches.

mod commits;
mod explain;
mod merge;
mod report;
mod scan;
mod signatures;

pub(crate) use commits::run_commits;
pub(crate) use explain::{run_explain, run_man};
pub(crate) use merge::{run_export, run_merge};
pub(crate) use report::run_report;
pub(crate) use scan::run_scan;
pub(crate) use signatures::{run_rules, run_signatures};

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use agentscan::classify::{BUILTIN_RULES, Rules};
use agentscan::period::TimeRange;
use agentscan::privacy::Pseudonyms;
use agentscan::progress::{NoProgress, Progress};
use agentscan::report::{Bounds, Report, exporter, listing};
use agentscan::scan::{
    RemoteOptions, RepoOutcome, RepoStatus, ScanOptions, scan, split_repos_list, split_sources,
};
use agentscan::signatures::{BUILTIN_TOML, Registry};
use agentscan::source::github::{Forge, GitHub, Owner, Patience};
use agentscan::store::{Filter, Location, Store};
use agentscan::walk::WalkOptions;

use crate::cli::{
    CommitsArgs, DbArg, ExplainArgs, ExplainFormat, ExportArgs, ListFormat, ListFormatCsv,
    MergeArgs, ReportArgs, RulesCommand, ScanArgs, SignaturesCommand, StoresArg,
};

/// Exit codes: everything worked / a report was written but some repositories failed / fatal.
pub(crate) const EXIT_PARTIAL: u8 = 1;
pub(crate) const EXIT_FATAL: u8 = 2;
/// A scan stopped by Ctrl-C or SIGTERM, as shells report it.
pub(crate) const EXIT_INTERRUPTED: u8 = 130;

pub(crate) fn load_registry(extra: Option<&Path>) -> Result<Registry> {
    Ok(match extra {
        Some(path) => Registry::builtin_with_overrides(path)?,
        None => Registry::builtin(),
    })
}

/// The work-mode rules: built-in (with the built-in model) or from a file (alone), with
/// `model` in place of the built-in model, or with no model at all.
pub(crate) fn load_rules(
    path: Option<&Path>,
    model: Option<&Path>,
    no_model: bool,
) -> Result<Rules> {
    let rules = match path {
        Some(path) => Rules::from_file(path)?,
        None => Rules::builtin(),
    };
    Ok(match model {
        Some(file) => rules.with_model(agentscan::classify::Model::from_file(file)?),
        None if no_model => rules.without_model(),
        None => rules,
    })
}

/// Write `text` to `output` (a file, or stdout for `None` and `-`).
pub(crate) fn write_output(output: Option<&Path>, text: &str) -> Result<()> {
    match output {
        Some(p) if p != Path::new("-") => {
            std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display()))
        }
        _ => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
            Ok(())
        }
    }
}

/// The pseudonyms of `--anonymize`: keyed by `AGENTSCAN_ANONYMIZE_KEY`, else by the database's
/// own key.
pub(crate) fn pseudonyms(anonymize: bool, store: Option<&Store>) -> Result<Option<Pseudonyms>> {
    if !anonymize {
        return Ok(None);
    }
    if let Ok(key) = std::env::var(agentscan::privacy::KEY_ENV)
        && !key.is_empty()
    {
        return Ok(Some(Pseudonyms::new(key)));
    }
    let key = match store {
        Some(store) => store.anonymize_key()?,
        None => Pseudonyms::random_key().map_err(|e| anyhow::anyhow!("no random key: {e}"))?,
    };
    Ok(Some(Pseudonyms::new(key)))
}

pub(crate) fn open_store(db: &DbArg, write: bool) -> Result<Store> {
    let location = Location::resolve(db.db.as_deref(), None)?;
    Ok(Store::open(&location, write, &|msg| {
        eprintln!("agentscan: {msg}")
    })?)
}

pub(crate) fn store_name(db: &DbArg) -> String {
    Location::resolve(db.db.as_deref(), None).map_or_else(|_| "?".into(), |l| l.display())
}

/// The first of several stores, where one is enough (a pseudonym key).
pub(crate) fn first_store(dbs: &StoresArg) -> DbArg {
    DbArg {
        db: dbs.db.first().cloned(),
    }
}

/// Open the stores a report reads: one as it is, several merged into one in memory, so that
/// every figure is computed from the commit rows of them all.
pub(crate) fn open_stores(dbs: &StoresArg) -> Result<Store> {
    if dbs.db.len() <= 1 {
        return open_store(&first_store(dbs), false);
    }
    let mut store = Store::open(&Location::Memory, true, &|_| {})?;
    let paths: Vec<PathBuf> = dbs.db.iter().map(PathBuf::from).collect();
    let merged =
        agentscan::scan::merge_stores(&mut store, &paths, agentscan::session::DEFAULT_GAP)?;
    warn_merged(&merged);
    Ok(store)
}

/// Say what merging stores found that the reader should know.
pub(crate) fn warn_merged(merged: &agentscan::scan::MergeSummary) {
    for (key, path) in &merged.duplicates {
        eprintln!(
            "agentscan: warning: {key} is in more than one store (again in {}); counted once, from its most recent scan",
            path.display()
        );
    }
    if merged.reclassified > 0 {
        eprintln!(
            "agentscan: the stores were made with different signatures, rules or versions: {} commits evaluated again with this version's",
            merged.reclassified
        );
    }
}

pub(crate) fn stores_name(dbs: &StoresArg) -> String {
    if dbs.db.len() <= 1 {
        return store_name(&first_store(dbs));
    }
    dbs.db.join(", ")
}

/// The sessions a report's study reads: start, whether an agent took part, changed lines and
/// distinct files.
pub(crate) fn session_sizes(store: &Store, filter: &Filter) -> Result<Vec<(i64, bool, u64, u64)>> {
    if filter.agent.is_some() {
        // Only that agent's sessions (and human ones) count: the store filters them.
        return Ok(store
            .sessions(filter)?
            .into_iter()
            .map(|(_, s)| (s.start, s.is_agent(), s.lines, s.files))
            .collect());
    }
    let mut out = Vec::new();
    for repo in store.repositories(&filter.repos)? {
        store.each_session_size(repo.id, filter.range, |start, agent, lines, files| {
            out.push((start, agent, lines, files))
        })?;
    }
    Ok(out)
}

/// The bursts of one person's work that mix agent and human commits, repository by repository,
/// among the commits in the filter's range.
pub(crate) fn mixed_bursts(
    store: &Store,
    filter: &Filter,
    gap: i64,
) -> Result<Vec<agentscan::session::MixedBurst>> {
    let mut out = Vec::new();
    for repo in store.repositories(&filter.repos)? {
        let mut actors: std::collections::HashMap<String, u32> = Default::default();
        let mut commits = Vec::new();
        store.each_actor_commit(repo.id, filter.range, |time, actor, agent, lines| {
            let next = actors.len() as u32;
            let actor = match actors.get(actor) {
                Some(&a) => a,
                None => {
                    actors.insert(actor.to_owned(), next);
                    next
                }
            };
            commits.push(agentscan::session::BurstCommit {
                actor,
                time,
                agent,
                lines,
            });
        })?;
        out.extend(agentscan::session::mixed_bursts(commits, gap));
    }
    Ok(out)
}

/// `Name <email>` as a pseudonym.
pub(crate) fn anonymized(p: &Pseudonyms, person: &str) -> String {
    let (name, email) = match person.rsplit_once(" <") {
        Some((name, email)) => (name, email.trim_end_matches('>')),
        None => (person, ""),
    };
    let (name, email) = agentscan::privacy::person(Some(p), name, email);
    format!("{name} <{email}>")
}
