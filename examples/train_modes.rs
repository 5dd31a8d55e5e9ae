//! Train and measure the learned work-mode model on repositories whose authors write
//! Conventional Commits (see `agentscan::classify::learned`; `scripts/train-modes.sh` runs it on
//! the repositories and commits the shipped model was trained on).
//!
//! ```sh
//! cargo run --release --example train_modes -- train OUT.json REPO...   # write a model
//! cargo run --release --example train_modes -- loo REPO...              # leave one repository out
//! cargo run --release --example train_modes -- eval MODEL.json REPO...  # held-out repositories
//! cargo run --release --example train_modes -- adapt TRAIN... -- REPO...  # with their own labels
//! ```
//!
//! Every labelled commit (a type that names one mode, made by a person or an agent rather than a
//! bot: `typed_by_author`) has its type prefix removed; the features
//! and the rules' decision come from what remains. A repository gives at most `TRAIN_MAX`
//! commits (default 3000, the newest walked first) so that no history dominates. `TRAIN_C`
//! (default 0.3, the inverse strength of the penalty on weights) and `TRAIN_MIN` (a feature is
//! kept when at least 40 commits have it) were chosen by leave-one-repository-out over the
//! training set, never on the held-out repositories. `TRAIN_CACHE=DIR` keeps each repository's
//! samples between runs (clear it when the features change); `TRAIN_DUMP=1` makes `eval` print
//! every commit the model got wrong; `TRAIN_UNTAUGHT=1` trains on dependency bumps too (never
//! measured on them: see `teaches`); `TRAIN_DROP=b:,s2:` leaves out the features whose names
//! start so, to measure what they add; `TRAIN_CLEAN=T` leaves out training commits whose label a
//! model of the other folds gives a probability under T;
//! `TRAIN_DUMP=all` prints every commit `eval` measures, not only misses;
//! `TRAIN_TEST_MAX=N` makes `loo` measure on each repository's newest N commits only, so that a
//! larger `TRAIN_MAX` for training is compared on the same commits. `adapt` measures what a
//! repository's own typed commits would teach the model about the rest (each fifth of its
//! commits measured by a model trained on the training set and the other four fifths repeated
//! `ADAPT_WEIGHT` times, default 3; `ADAPT_PRIOR=1` moves the model's probabilities to their
//! mix of modes instead). No scan does this: see docs/modes-model.md, "What was tried".

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

use agentscan::classify::features::features;
use agentscan::classify::learned::{
    ModelFile, decide_features, rules_decide, silver_label, teaches, typed_by_author,
};
use agentscan::classify::train::{DEFAULT_C, train};
use agentscan::classify::{MODES, Mode, Model, Rules, classify};
use agentscan::progress::NoProgress;
use agentscan::signatures::Registry;
use agentscan::walk::{Repo, Stats, WalkOptions};
use bstr::ByteSlice;

/// Features, the silver label, the rules' decision, whether the rules decide alone, and whether
/// the label says what work the commit is (`teaches`: not on dependency bumps). Only those that
/// do are measured; `TRAIN_UNTAUGHT=1` trains on the others too.
type Sample = (Vec<(String, f32)>, Mode, Mode, bool, bool);

/// The samples a measurement reads.
fn measured(samples: &[Sample]) -> impl Iterator<Item = &Sample> {
    samples.iter().filter(|s| s.4)
}

/// The labelled commits of a repository: features, label, and the rules' own decision.
fn collect(path: &str, rules: &Rules, max: usize) -> Vec<Sample> {
    let mut samples = collect_cached(path, rules, max);
    // TRAIN_DROP=p1,p2 leaves out the features whose names start so (to measure what they add).
    if let Ok(drop) = std::env::var("TRAIN_DROP") {
        let drop: Vec<&str> = drop.split(',').filter(|p| !p.is_empty()).collect();
        for s in &mut samples {
            s.0.retain(|(n, _)| !drop.iter().any(|p| n.starts_with(p)));
        }
    }
    samples
}

/// A repository's samples, from `TRAIN_CACHE` when it holds them (walking a repository is most
/// of a training run), else walked and kept there. The cache is keyed by repository and
/// `TRAIN_MAX` only: clear it when the features change.
fn collect_cached(path: &str, rules: &Rules, max: usize) -> Vec<Sample> {
    let cache = std::env::var("TRAIN_CACHE")
        .ok()
        .map(|d| Path::new(&d).join(format!("{}-{max}.json", name(path))));
    if let Some(text) = cache.as_ref().and_then(|c| std::fs::read_to_string(c).ok()) {
        return serde_json::from_str(&text).expect("cached samples");
    }
    let samples = collect_walk(path, rules, max);
    if let Some(c) = &cache {
        let written = c
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(c, serde_json::to_string(&samples).unwrap_or_default()));
        if let Err(e) = written {
            eprintln!("could not keep the samples in {}: {e}", c.display());
        }
    }
    samples
}

fn collect_walk(path: &str, rules: &Rules, max: usize) -> Vec<Sample> {
    let repo = Repo::open(Path::new(path)).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2);
    });
    let registry = Registry::builtin();
    let out = Mutex::new(Vec::new());
    let opts = WalkOptions {
        all_branches: false,
        stats: Stats::Lines,
    };
    repo.read_commits(
        &opts,
        &Default::default(),
        &NoProgress,
        &AtomicBool::new(false),
        |records| {
            let mut got = Vec::new();
            for mut r in records {
                if r.is_merge() {
                    continue;
                }
                let message = r.message.to_str_lossy().into_owned();
                let subject = message.lines().next().unwrap_or("").to_owned();
                let Some((label, rest)) = silver_label(&subject) else {
                    continue;
                };
                if !typed_by_author(&r, &registry) {
                    continue;
                }
                let body = &message[subject.len()..];
                r.message = format!("{rest}{body}").into();
                let decision = classify(&r, rules);
                let time = r.author.time;
                let sure = rules_decide(&decision);
                let taught = teaches(&decision);
                got.push((
                    time,
                    (
                        features(&r, rest, &decision),
                        label,
                        decision.mode,
                        sure,
                        taught,
                    ),
                ));
            }
            out.lock().unwrap().extend(got);
        },
    )
    .expect("walk");
    // The walk's batches arrive in any order: the newest commits, by author time, whatever it.
    let mut v: Vec<(i64, Sample)> = out.into_inner().unwrap();
    v.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.0.len().cmp(&b.1.0.len())));
    // The newest `max` that teach, and those that do not among them.
    let mut taught = 0;
    let keep = v
        .iter()
        .position(|(_, s)| {
            taught += usize::from(s.4);
            taught > max
        })
        .unwrap_or(v.len());
    v.truncate(keep);
    v.into_iter().map(|(_, s)| s).collect()
}

fn name(path: &str) -> String {
    let p = Path::new(path);
    let n = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if n == "repo" {
        p.parent()
            .and_then(|x| x.file_name())
            .map(|x| x.to_string_lossy().into_owned())
            .unwrap_or(n)
    } else {
        n
    }
}

/// A trained model, deciding as `classify` does with `--model`: the rules where the paths leave
/// no doubt, else the model.
struct ModelFileModel {
    model: Model,
}

impl ModelFileModel {
    fn new(file: &ModelFile) -> Self {
        let text = serde_json::to_string(file).unwrap();
        ModelFileModel {
            model: Model::parse(&text, "trained").unwrap(),
        }
    }

    fn decide(&self, s: &Sample) -> Mode {
        let (f, _, rules, rules_decide, _) = s;
        if *rules_decide {
            return *rules;
        }
        self.model.predict_features(f, *rules).0
    }
}

/// Folds of a repository's labelled commits for `adapt`: five runs of consecutive commits, so
/// that a commit is never measured by a model that saw its neighbours in the same series.
const FOLDS: usize = 5;

fn fold(i: usize, n: usize) -> usize {
    i * FOLDS / n.max(1)
}

/// A repository measured with a model trained on the training repositories and its own other
/// folds, repeated `weight` times: what the repository's own typed commits would teach the
/// model about its untyped ones.
fn adapt_words(
    base: &[Sample],
    samples: &[&Sample],
    weight: usize,
    fit: &dyn Fn(&[&Sample]) -> ModelFile,
) -> Vec<(Mode, Mode)> {
    let n = samples.len();
    let mut pairs = Vec::new();
    for k in 0..FOLDS {
        let mut set: Vec<&Sample> = base.iter().collect();
        let others = samples.iter().enumerate().filter(|(i, _)| fold(*i, n) != k);
        for _ in 0..weight {
            set.extend(others.clone().map(|(_, s)| *s));
        }
        let model = ModelFileModel::new(&fit(&set));
        pairs.extend(
            samples
                .iter()
                .enumerate()
                .filter(|(i, _)| fold(*i, n) == k)
                .map(|(_, s)| (s.1, model.decide(s))),
        );
    }
    pairs
}

/// The mix of labels among samples, smoothed by one of each mode.
fn mix<'a>(samples: impl Iterator<Item = &'a Sample>) -> [f32; 9] {
    let mut c = [1.0f32; 9];
    for s in samples {
        c[s.1.index()] += 1.0;
    }
    let total: f32 = c.iter().sum();
    c.map(|v| v / total)
}

/// A repository measured with the shipped model's probabilities moved to the mix of modes its
/// other folds are labelled with (Bayes' rule: p × repository mix / training mix), decided as
/// the model decides.
fn adapt_prior(
    base: &[Sample],
    samples: &[&Sample],
    fit: &dyn Fn(&[&Sample]) -> ModelFile,
) -> Vec<(Mode, Mode)> {
    let refs: Vec<&Sample> = base.iter().collect();
    let model = ModelFileModel::new(&fit(&refs));
    let trained = mix(measured(base));
    let n = samples.len();
    let mut pairs = Vec::new();
    for k in 0..FOLDS {
        let own = mix(samples
            .iter()
            .enumerate()
            .filter(|(i, _)| fold(*i, n) != k)
            .map(|(_, s)| *s));
        for (_, s) in samples.iter().enumerate().filter(|(i, _)| fold(*i, n) == k) {
            let (f, label, rules, rules_decide, _) = s;
            if *rules_decide {
                pairs.push((*label, *rules));
                continue;
            }
            let mut p = model.model.probabilities_features(f);
            for (i, v) in p.iter_mut().enumerate() {
                *v *= own[i] / trained[i];
            }
            let total: f32 = p.iter().sum();
            let p = p.map(|v| v / total);
            pairs.push((*label, decide_features(p, f, *rules).0));
        }
    }
    pairs
}

fn report(name: &str, pairs: &[(Mode, Mode)]) -> (f64, f64, f64) {
    let n = pairs.len();
    let right = pairs.iter().filter(|(a, b)| a == b).count();
    let acc = right as f64 / n.max(1) as f64;
    let mut f1s = Vec::new();
    let mut fix = (0.0, 0.0);
    let mut lines = String::new();
    for m in MODES {
        let tp = pairs.iter().filter(|(a, b)| *a == m && *b == m).count() as f64;
        let actual = pairs.iter().filter(|(a, _)| *a == m).count() as f64;
        let predicted = pairs.iter().filter(|(_, b)| *b == m).count() as f64;
        if actual == 0.0 && predicted == 0.0 {
            continue;
        }
        let p = if predicted > 0.0 { tp / predicted } else { 0.0 };
        let r = if actual > 0.0 { tp / actual } else { 0.0 };
        if actual > 0.0 {
            f1s.push(if p + r > 0.0 {
                2.0 * p * r / (p + r)
            } else {
                0.0
            });
        }
        if m == Mode::Fix {
            fix = (p, r);
        }
        lines.push_str(&format!(
            "  {:<12} {:>6} precision {:>5.1}% recall {:>5.1}%\n",
            m.as_str(),
            actual,
            100.0 * p,
            100.0 * r
        ));
    }
    let macro_f1 = f1s.iter().sum::<f64>() / f1s.len().max(1) as f64;
    println!(
        "== {name}: {n} commits, accuracy {:.1}%, macro-F1 {:.3}, fix precision {:.1}% recall {:.1}%",
        100.0 * acc,
        macro_f1,
        100.0 * fix.0,
        100.0 * fix.1
    );
    print!("{lines}");
    let used: Vec<Mode> = MODES
        .into_iter()
        .filter(|m| pairs.iter().any(|(a, b)| a == m || b == m))
        .collect();
    let mut matrix: BTreeMap<(Mode, Mode), usize> = BTreeMap::new();
    for &(a, b) in pairs {
        *matrix.entry((a, b)).or_default() += 1;
    }
    print!("  {:<12}", "type \\ got");
    for m in &used {
        print!(" {:>6.6}", m.as_str());
    }
    println!();
    for a in &used {
        print!("  {:<12}", a.as_str());
        for b in &used {
            print!(" {:>6}", matrix.get(&(*a, *b)).copied().unwrap_or(0));
        }
        println!();
    }
    (acc, fix.0, fix.1)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let max: usize = std::env::var("TRAIN_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let rules = Rules::builtin_rules_only();
    let untaught = std::env::var("TRAIN_UNTAUGHT").is_ok_and(|v| v == "1");
    // The samples training reads: those that teach, and with TRAIN_UNTAUGHT=1 the others too.
    let trains = |s: &Sample| s.4 || untaught;
    let c: f64 = std::env::var("TRAIN_C")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_C);
    let min_count: usize = std::env::var("TRAIN_MIN")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let train = |data: &[(Vec<(String, f32)>, Mode)]| {
        train(data, c, min_count).unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(1);
        })
    };
    let fit = |samples: &[&Sample]| {
        let data: Vec<(Vec<(String, f32)>, Mode)> = samples
            .iter()
            .filter(|s| trains(s))
            .map(|s| (s.0.clone(), s.1))
            .collect();
        // TRAIN_CLEAN=T: leave out the commits whose label a model trained on the other folds
        // gives a probability under T (confident learning: likely mislabelled), then train.
        let clean: f32 = std::env::var("TRAIN_CLEAN")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0);
        if clean <= 0.0 {
            return train(&data);
        }
        let k = 4;
        let n = data.len();
        let mut keep = vec![true; n];
        for fold in 0..k {
            let (lo, hi) = (fold * n / k, (fold + 1) * n / k);
            let rest: Vec<(Vec<(String, f32)>, Mode)> =
                data[..lo].iter().chain(&data[hi..]).cloned().collect();
            let m = ModelFileModel::new(&train(&rest));
            for i in lo..hi {
                let p = m.model.probabilities_features(&data[i].0);
                keep[i] = p[data[i].1.index()] >= clean;
                if !keep[i] && std::env::var("TRAIN_CLEAN_SHOW").is_ok() {
                    let words: Vec<&str> = data[i]
                        .0
                        .iter()
                        .filter_map(|(n, _)| n.strip_prefix("s:"))
                        .collect();
                    eprintln!("dropped {}: {}", data[i].1.as_str(), words.join(" "));
                }
            }
        }
        let kept: Vec<(Vec<(String, f32)>, Mode)> = data
            .into_iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(d, _)| d)
            .collect();
        eprintln!("clean: kept {} of {n}", kept.len());
        train(&kept)
    };
    match args.first().map(String::as_str) {
        Some("train") if args.len() > 2 => {
            let mut all: Vec<Sample> = Vec::new();
            let mut trained_on = Vec::new();
            for repo in &args[2..] {
                let s = collect(repo, &rules, max);
                let tip = Repo::open(Path::new(repo))
                    .ok()
                    .and_then(|r| {
                        r.tips(&WalkOptions {
                            all_branches: false,
                            stats: Stats::None,
                        })
                        .ok()
                    })
                    .and_then(|t| t.first().map(|c| c.to_string()))
                    .unwrap_or_default();
                let n = s.iter().filter(|s| trains(s)).count();
                eprintln!("{}: {n} labelled commits", name(repo));
                trained_on.push(format!("{} {} ({n} commits)", name(repo), tip));
                all.extend(s);
            }
            let refs: Vec<&Sample> = all.iter().collect();
            let mut file = fit(&refs);
            file.trained_on = trained_on;
            std::fs::write(&args[1], serde_json::to_string(&file).unwrap() + "\n").unwrap();
            eprintln!("{}: {} features", args[1], file.weights.len());
        }
        Some("loo") if args.len() > 2 => {
            let per: Vec<(String, Vec<Sample>)> = args[1..]
                .iter()
                .map(|r| {
                    let s = collect(r, &rules, max);
                    eprintln!("{}: {} labelled commits", name(r), s.len());
                    (name(r), s)
                })
                .collect();
            let mut all_pairs = Vec::new();
            let mut rule_pairs = Vec::new();
            for (i, (held, samples)) in per.iter().enumerate() {
                let train_set: Vec<&Sample> = per
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .flat_map(|(_, (_, s))| s.iter())
                    .collect();
                let model = ModelFileModel::new(&fit(&train_set));
                // TRAIN_TEST_MAX measures on the newest N of the held-out repository's commits
                // (the same commits whatever TRAIN_MAX gives training).
                let test_max = std::env::var("TRAIN_TEST_MAX")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(usize::MAX);
                let samples: Vec<&Sample> = measured(samples).take(test_max).collect();
                let pairs: Vec<(Mode, Mode)> =
                    samples.iter().map(|s| (s.1, model.decide(s))).collect();
                let rules_only: Vec<(Mode, Mode)> = samples.iter().map(|s| (s.1, s.2)).collect();
                let (acc, _, _) = report(&format!("{held} (held out)"), &pairs);
                let rules_acc = rules_only.iter().filter(|(a, b)| a == b).count() as f64
                    / rules_only.len().max(1) as f64;
                println!(
                    "  rules alone: {:.1}%, model: {:.1}%\n",
                    100.0 * rules_acc,
                    100.0 * acc
                );
                all_pairs.extend(pairs);
                rule_pairs.extend(rules_only);
            }
            report("all held-out repositories", &all_pairs);
            report("all, rules alone", &rule_pairs);
        }
        Some("adapt") if args.len() > 3 => {
            // Training repositories, `--`, then the repositories measured with their own labels.
            let Some(sep) = args.iter().position(|a| a == "--") else {
                eprintln!("usage: train_modes adapt TRAIN_REPO... -- REPO...");
                std::process::exit(2);
            };
            let base: Vec<Sample> = args[1..sep]
                .iter()
                .flat_map(|r| collect(r, &rules, max))
                .collect();
            let weight: usize = std::env::var("ADAPT_WEIGHT")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(3);
            let prior = std::env::var("ADAPT_PRIOR").is_ok_and(|v| v == "1");
            let mut all = Vec::new();
            for repo in &args[sep + 1..] {
                let samples = collect(repo, &rules, max);
                let samples: Vec<&Sample> = measured(&samples).collect();
                let pairs = if prior {
                    adapt_prior(&base, &samples, &fit)
                } else {
                    adapt_words(&base, &samples, weight, &fit)
                };
                report(&name(repo), &pairs);
                all.extend(pairs);
            }
            report("all", &all);
        }
        Some("eval") if args.len() > 2 => {
            let text = std::fs::read_to_string(&args[1]).unwrap();
            let file: ModelFile = serde_json::from_str(&text).unwrap();
            let model = ModelFileModel::new(&file);
            let mut all = Vec::new();
            let mut all_rules = Vec::new();
            for repo in &args[2..] {
                let samples = collect(repo, &rules, max);
                let samples: Vec<&Sample> = measured(&samples).collect();
                let pairs: Vec<(Mode, Mode)> =
                    samples.iter().map(|s| (s.1, model.decide(s))).collect();
                let rules_only: Vec<(Mode, Mode)> = samples.iter().map(|s| (s.1, s.2)).collect();
                // TRAIN_DUMP prints each commit the model got wrong: label, decision, words.
                if let Ok(dump) = std::env::var("TRAIN_DUMP") {
                    let every = dump == "all";
                    for (s, (label, got)) in samples
                        .iter()
                        .zip(&pairs)
                        .filter(|(_, p)| every || p.0 != p.1)
                    {
                        let words: Vec<&str> =
                            s.0.iter()
                                .filter_map(|(n, _)| n.strip_prefix("s:"))
                                .collect();
                        println!(
                            "{} {} -> {}: {}",
                            if label == got { "hit" } else { "miss" },
                            label.as_str(),
                            got.as_str(),
                            words.join(" ")
                        );
                    }
                }
                report(&name(repo), &pairs);
                report(&format!("{} (rules alone)", name(repo)), &rules_only);
                println!();
                all.extend(pairs);
                all_rules.extend(rules_only);
            }
            report("all", &all);
            report("all, rules alone", &all_rules);
        }
        _ => {
            eprintln!(
                "usage: train_modes train OUT REPO... | loo REPO... | eval MODEL REPO... \\
                 | adapt TRAIN_REPO... -- REPO..."
            );
            std::process::exit(2);
        }
    }
}
