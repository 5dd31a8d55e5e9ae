//! Print every commit's per-file line counts in the shape of `git log --numstat --format=%H`, so
//! that agentscan's diff can be compared with git's on any repository:
//!
//! ```sh
//! cargo run --release --example numstat -- REPO > ours.txt
//! git -C REPO log --numstat --format=%H --no-renames > theirs.txt   # or with renames
//! ```
//!
//! Merges print their id only, as git does. Binary files print `-\t-`.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

use agentscan::progress::NoProgress;
use agentscan::walk::{Repo, Stats, WalkOptions};
use bstr::ByteSlice;

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let repo = Repo::open(std::path::Path::new(&path)).expect("a repository");
    let out = Mutex::new(BTreeMap::new());
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
            let mut out = out.lock().unwrap();
            for r in records {
                let mut text = format!("{}\n", r.id);
                let mut files = r.files.clone().unwrap_or_default();
                files.sort_by(|a, b| a.path.cmp(&b.path));
                for f in &files {
                    let counts = match f.lines {
                        Some((a, d)) => format!("{a}\t{d}"),
                        None => "-\t-".to_owned(),
                    };
                    let path = match &f.old_path {
                        Some(old) => format!("{} => {}", old.to_str_lossy(), f.path.to_str_lossy()),
                        None => f.path.to_str_lossy().into_owned(),
                    };
                    text.push_str(&format!("{counts}\t{path}\n"));
                }
                out.insert((std::cmp::Reverse(r.committer.time), r.id), text);
            }
        },
    )
    .expect("walk");
    for text in out.into_inner().unwrap().values() {
        print!("{text}");
    }
}
