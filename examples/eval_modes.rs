//! Measure the work-mode classifier against authors' own Conventional Commits types.
//!
//! For every non-merge commit whose subject starts with a type that maps to one mode
//! (feat/refactor/perf/style → build, fix → fix, test → test, ci/build → operate, docs → communicate;
//! `chore` is mixed and left out, and so are scopes that name another mode's territory, such as
//! `fix(ci)` or `feat(docs)`, and bots' commits), the `type(scope)!: ` prefix is removed, the
//! commit is classified from what remains (the rest of the message and the changed paths with
//! their line counts), and the prediction is compared with the type's mode. Prints accuracy, per-mode precision and recall,
//! and the confusion matrix.
//!
//! ```sh
//! cargo run --release --example eval_modes -- REPO [REPO...]
//! EVAL_SHOW=fix cargo run --release --example eval_modes -- REPO   # list the misread fix commits
//! EVAL_SHOW=all cargo run --release --example eval_modes -- REPO   # list every commit compared
//! EVAL_RULES=rules.toml cargo run --release --example eval_modes -- REPO  # try edited rules
//! ```

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

use agentscan::classify::learned::{silver_label, teaches, typed_by_author};
use agentscan::classify::{MODES, Mode, Rules, classify};
use agentscan::message::Message;
use agentscan::progress::NoProgress;
use agentscan::signatures::Registry;
use agentscan::walk::{Repo, Stats, WalkOptions};
use bstr::ByteSlice;

fn main() {
    let repos: Vec<String> = std::env::args().skip(1).collect();
    if repos.is_empty() {
        eprintln!("usage: eval_modes REPO [REPO...]");
        std::process::exit(2);
    }
    let rules = match std::env::var_os("EVAL_RULES") {
        Some(file) => Rules::from_file(std::path::Path::new(&file)).unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(2);
        }),
        None => Rules::builtin(),
    };
    let show_var = std::env::var("EVAL_SHOW").ok();
    let show_all = show_var.as_deref() == Some("all");
    let show: Option<Mode> = show_var.and_then(|m| MODES.into_iter().find(|x| x.as_str() == m));
    let registry = Registry::builtin();
    let mut all: Vec<(Mode, Mode)> = Vec::new();
    for path in &repos {
        let repo = match Repo::open(std::path::Path::new(path)) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        };
        let pairs = Mutex::new(Vec::new());
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
                let mut out = Vec::new();
                for mut r in records {
                    if r.is_merge() {
                        continue;
                    }
                    let subject = Message::parse(&r.message)
                        .subject()
                        .to_str_lossy()
                        .into_owned();
                    // The author's type as a silver label (`chore` and scopes naming a second
                    // mode give none).
                    let Some((want, rest)) = silver_label(&subject) else {
                        continue;
                    };
                    // A bot's type is its configuration, not a reading of the work.
                    if !typed_by_author(&r, &registry) {
                        continue;
                    }
                    // Hide the author's label: the classifier sees the subject without it.
                    let body = r.message[subject.len().min(r.message.len())..].to_vec();
                    let mut message = rest.as_bytes().to_vec();
                    message.extend_from_slice(&body);
                    r.message = message.into();
                    let decision = classify(&r, &rules);
                    if !teaches(&decision) {
                        continue;
                    }
                    let got = decision.mode;
                    if show_all || (got != want && show == Some(want)) {
                        let rules: Vec<&str> =
                            decision.rules.iter().map(|f| f.rule.as_str()).collect();
                        let lines: u64 = r
                            .files
                            .iter()
                            .flatten()
                            .filter_map(|f| f.lines)
                            .map(|(a, d)| u64::from(a) + u64::from(d))
                            .sum();
                        eprintln!(
                            "{} {} -> {}  {} files, {lines} lines  [{}]  {subject}",
                            &r.id.to_string()[..10],
                            want.as_str(),
                            got.as_str(),
                            r.files.as_ref().map_or(0, Vec::len),
                            rules.join(" "),
                        );
                    }
                    out.push((want, got));
                }
                pairs.lock().unwrap().extend(out);
            },
        )
        .expect("walk");
        let pairs = pairs.into_inner().unwrap();
        report(path, &pairs);
        all.extend(pairs);
    }
    if repos.len() > 1 {
        report("all repositories", &all);
    }
}

fn report(name: &str, pairs: &[(Mode, Mode)]) {
    let n = pairs.len();
    let right = pairs.iter().filter(|(a, b)| a == b).count();
    println!(
        "\n== {name}: {n} commits with a single-mode type, accuracy {:.1}% ({right}/{n})",
        100.0 * right as f64 / n.max(1) as f64
    );
    let used: Vec<Mode> = MODES
        .iter()
        .copied()
        .filter(|m| pairs.iter().any(|(a, b)| a == m || b == m))
        .collect();
    let mut matrix: BTreeMap<(Mode, Mode), usize> = BTreeMap::new();
    for &(a, b) in pairs {
        *matrix.entry((a, b)).or_default() += 1;
    }
    println!(
        "{:<13} {:>6} {:>9} {:>7}",
        "mode", "count", "precision", "recall"
    );
    for &m in &used {
        let tp = matrix.get(&(m, m)).copied().unwrap_or(0);
        let actual: usize = pairs.iter().filter(|(a, _)| *a == m).count();
        let predicted: usize = pairs.iter().filter(|(_, b)| *b == m).count();
        let pct = |x: usize, y: usize| {
            if y == 0 {
                "-".to_owned()
            } else {
                format!("{:.1}%", 100.0 * x as f64 / y as f64)
            }
        };
        println!(
            "{:<13} {:>6} {:>9} {:>7}",
            m.as_str(),
            actual,
            pct(tp, predicted),
            pct(tp, actual)
        );
    }
    print!(
        "\nconfusion (rows: author's type, columns: predicted)\n{:<13}",
        ""
    );
    for &m in &used {
        print!(" {:>6.6}", m.as_str());
    }
    println!();
    for &a in &used {
        print!("{:<13}", a.as_str());
        for &b in &used {
            print!(" {:>6}", matrix.get(&(a, b)).copied().unwrap_or(0));
        }
        println!();
    }
}
