//! Criterion benchmarks of the scan's stages, one commit set at a time: reading commits with gix,
//! detection, classification, the whole per-commit evaluation, and the store's batch writes.
//!
//! `scripts/bench.sh` times whole scans against C git; these say which stage a change made faster
//! or slower, with far less noise than a whole scan. The commits come from the repository named by
//! `AGENTSCAN_BENCH_REPO` (git/git is the reference), or else from a synthetic repository of
//! 5,000 commits that `scripts/gen-repo.sh` builds into a temporary folder.
//!
//! ```text
//! cargo bench --bench pipeline
//! AGENTSCAN_BENCH_REPO=/path/to/git.git cargo bench --bench pipeline -- evaluate
//! ```

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

use bstr::ByteSlice;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

use agentscan::classify::{Rules, classify};
use agentscan::detect::detect;
use agentscan::progress::NoProgress;
use agentscan::signatures::Registry;
use agentscan::store::{Location, Store, StoredCommit};
use agentscan::walk::{CommitRecord, KnownCommits, Repo, Stats, WalkOptions};

// The allocator of the binary, so that the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The repository to read: `AGENTSCAN_BENCH_REPO`, or a generated one (kept for the process).
fn bench_repo() -> (PathBuf, Option<tempfile::TempDir>) {
    if let Some(path) = std::env::var_os("AGENTSCAN_BENCH_REPO") {
        return (PathBuf::from(path), None);
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let dest = dir.path().join("generated.git");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/gen-repo.sh");
    let status = std::process::Command::new("bash")
        .arg(script)
        .arg(&dest)
        .args(["5000", "400"])
        .status()
        .expect("bash runs scripts/gen-repo.sh");
    assert!(status.success(), "scripts/gen-repo.sh failed");
    (dest, Some(dir))
}

fn read(repo: &Repo, stats: Stats) -> Vec<CommitRecord> {
    let out = Mutex::new(Vec::new());
    repo.read_commits(
        &WalkOptions {
            all_branches: false,
            stats,
        },
        &KnownCommits::default(),
        &NoProgress,
        &AtomicBool::new(false),
        |batch| out.lock().expect("not poisoned").extend(batch),
    )
    .expect("the benchmark repository can be walked");
    let mut records = out.into_inner().expect("not poisoned");
    // Walk order differs between runs of the parallel walk; the benchmarks want one order.
    records.sort_by_key(|r| std::cmp::Reverse((r.committer.time, r.id)));
    records
}

fn pipeline(c: &mut Criterion) {
    let (path, _keep) = bench_repo();
    let repo = Repo::open(&path).expect("the benchmark repository opens");
    let records = read(&repo, Stats::Paths);
    let registry = Registry::builtin();
    let rules = Rules::builtin();
    let n = records.len() as u64;
    eprintln!("{}: {n} commits", path.display());

    let mut walk = c.benchmark_group("walk");
    walk.sample_size(10).throughput(Throughput::Elements(n));
    for stats in [Stats::None, Stats::Paths] {
        walk.bench_function(format!("{stats:?}").to_lowercase(), |b| {
            b.iter(|| read(&repo, stats).len())
        });
    }
    walk.finish();

    let mut eval = c.benchmark_group("evaluate");
    eval.sample_size(10).throughput(Throughput::Elements(n));
    eval.bench_function("detect", |b| {
        b.iter(|| {
            records
                .iter()
                .map(|r| detect(r, &registry).evidence.len())
                .sum::<usize>()
        })
    });
    // The rules with the built-in learned model (what a scan uses), and the rules alone.
    let rules_only = Rules::builtin_rules_only();
    for (name, rules) in [("classify", &rules), ("classify_rules_only", &rules_only)] {
        eval.bench_function(name, |b| {
            b.iter(|| {
                records
                    .iter()
                    .map(|r| classify(r, rules).rules.len())
                    .sum::<usize>()
            })
        });
    }
    // The learned model's share of `classify`: reading a commit's features, and scoring them.
    let decisions: Vec<_> = records.iter().map(|r| classify(r, &rules_only)).collect();
    // The subject as `classify` gives it to the model: the first non-blank line, type hidden.
    let subject = |r: &CommitRecord| {
        let line = agentscan::message::subject_line(&r.message).to_str_lossy();
        agentscan::classify::conventional_type(&line)
            .map_or(&*line, |(_, _, rest)| rest)
            .to_owned()
    };
    let subjects: Vec<String> = records.iter().map(subject).collect();
    eval.bench_function("model_features", |b| {
        b.iter(|| {
            let mut sum = 0u64;
            for ((r, d), s) in records.iter().zip(&decisions).zip(&subjects) {
                agentscan::classify::features::each_feature(r, s, d, |_, _, h, _| {
                    sum = sum.wrapping_add(h)
                });
            }
            sum
        })
    });
    let model = agentscan::classify::learned::builtin();
    eval.bench_function("model_scores", |b| {
        b.iter(|| {
            records
                .iter()
                .zip(&decisions)
                .zip(&subjects)
                .map(|((r, d), s)| model.scores(r, s, d)[0])
                .sum::<f32>()
        })
    });
    eval.bench_function("stored_commit", |b| {
        b.iter_batched(
            || records.clone(),
            |records| {
                records
                    .into_iter()
                    .map(|r| agentscan::scan::evaluate(r, &registry, &rules))
                    .collect::<Vec<_>>()
            },
            BatchSize::LargeInput,
        )
    });
    eval.finish();

    let evaluated: Vec<StoredCommit> = records
        .iter()
        .cloned()
        .map(|r| agentscan::scan::evaluate(r, &registry, &rules))
        .collect();
    let mut store = c.benchmark_group("store");
    store.sample_size(10).throughput(Throughput::Elements(n));
    store.bench_function("write_batches", |b| {
        b.iter_batched(
            || {
                let s = Store::open(&Location::Memory, true, &|_| {}).expect("in-memory store");
                let repo = s
                    .repository("bench", "bench", "bench")
                    .expect("repository row");
                let scan = s.begin_scan(repo.id, Stats::Paths, &[]).expect("scan row");
                (s, repo.id, scan)
            },
            |(mut s, repo_id, scan)| {
                for chunk in evaluated.chunks(1024) {
                    s.write_batch(repo_id, scan, Stats::Paths, false, chunk)
                        .expect("batch written");
                }
                s.commit_batches().expect("batches committed");
                s
            },
            BatchSize::PerIteration,
        )
    });
    store.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
