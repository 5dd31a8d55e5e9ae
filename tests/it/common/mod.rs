//! Shared helpers for integration tests: build fixture repositories, scan them.
#![allow(dead_code)]

pub mod corpus;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;

use agentscan::classify::Rules;
use agentscan::period::{Period, TimeRange};
use agentscan::progress::NoProgress;
use agentscan::report::{Bounds, Report, Row};
use agentscan::scan::{ScanOptions, scan};
use agentscan::signatures::Registry;
use agentscan::store::{Location, Store};
use agentscan::walk::{Stats, WalkOptions};

/// A fixture repository built by `fixtures/NAME.sh` in a temporary folder.
pub struct Fixture {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
}

pub fn fixture(name: &str) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    build_into(name, &path);
    Fixture { _dir: dir, path }
}

/// Run `fixtures/NAME.sh DEST`.
pub fn build_into(name: &str, dest: &Path) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(format!("{name}.sh"));
    let out = Command::new("bash")
        .arg(&script)
        .arg(dest)
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{} failed: {}",
        script.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn options(paths: &[&Path]) -> ScanOptions {
    ScanOptions {
        paths: paths.iter().map(|p| p.to_path_buf()).collect(),
        urls: Vec::new(),
        owners: Vec::new(),
        remote: Default::default(),
        range: TimeRange::default(),
        jobs: 2,
        walk: WalkOptions {
            all_branches: false,
            stats: Stats::Lines,
        },
        period: Period::Month,
        session_gap: agentscan::session::DEFAULT_GAP,
        reclassify: false,
        shard: None,
        searches: Vec::new(),
        sample: None,
    }
}

pub fn memory_store() -> Store {
    Store::open(&Location::Memory, true, &|_| {}).expect("an in-memory store")
}

pub fn report_with(opts: &ScanOptions, registry: &Registry) -> Report {
    report_in(&mut memory_store(), opts, registry)
}

pub fn report_in(store: &mut Store, opts: &ScanOptions, registry: &Registry) -> Report {
    let outcome = scan(
        opts,
        registry,
        &Rules::builtin(),
        store,
        None,
        &NoProgress,
        &AtomicBool::new(false),
    )
    .expect("the store works");
    Report::build(
        &outcome.aggregate,
        &outcome.repos,
        registry,
        &Bounds::default(),
    )
}

pub fn report(paths: &[&Path]) -> Report {
    report_with(&options(paths), &Registry::builtin())
}

pub fn month<'a>(report: &'a Report, label: &str) -> &'a Row {
    report
        .periods
        .iter()
        .find(|r| r.period.as_deref() == Some(label))
        .unwrap_or_else(|| panic!("no row for {label}: {:#?}", report.periods))
}

pub fn counts(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// (human, agent, bot, merges) of a row.
pub fn classes(row: &Row) -> (u64, u64, u64, u64) {
    (
        row.human_commits,
        row.agent_commits,
        row.bot_commits,
        row.merge_commits,
    )
}

/// Scan `opts` into `store` with the built-in registry and rules.
pub fn scan_into(
    store: &mut Store,
    opts: &agentscan::scan::ScanOptions,
) -> agentscan::scan::ScanOutcome {
    agentscan::scan::scan(
        opts,
        &agentscan::Registry::builtin(),
        &agentscan::classify::Rules::builtin(),
        store,
        None,
        &agentscan::progress::NoProgress,
        &std::sync::atomic::AtomicBool::new(false),
    )
    .unwrap()
}
