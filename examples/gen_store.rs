//! Write a scan database of synthetic commits, for benchmarking reports over large stores:
//!
//! ```sh
//! cargo run --release --example gen_store -- OUT.db [COMMITS] [REPOS]
//! ```
//!
//! Commits go through the real write path (detection, classification, batches, sessions), spread
//! over REPOS repositories and four years, with a realistic mix of human, agent and bot commits.

use agentscan::classify::Rules;
use agentscan::signatures::Registry;
use agentscan::store::{Location, ScanEnd, Store};
use agentscan::walk::{CommitRecord, FileChange, FileStatus, Person, Stats};
use gix::ObjectId;

fn main() {
    let mut args = std::env::args().skip(1);
    let out = args
        .next()
        .expect("usage: gen_store OUT.db [COMMITS] [REPOS]");
    let commits: u64 = args
        .next()
        .map_or(1_000_000, |s| s.parse().expect("a number"));
    let repos: u64 = args.next().map_or(50, |s| s.parse().expect("a number"));
    let _ = std::fs::remove_file(&out);
    let mut store = Store::open(&Location::File(out.clone().into()), true, &|_| {}).expect("store");
    let (registry, rules) = (Registry::builtin(), Rules::builtin());
    store.stamp(&registry, rules.digest()).expect("stamp");
    let per_repo = commits / repos;
    let people = [
        "ann", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
    ];
    let start = 1_640_995_200; // 2022-01-01
    for r in 0..repos {
        let key = format!("/synthetic/repo-{r:03}");
        let repo = store
            .repository(&key, &format!("repo-{r:03}"), &key)
            .expect("repository");
        let scan = store.begin_scan(repo.id, Stats::Lines, &[]).expect("scan");
        let mut batch = Vec::with_capacity(2048);
        let mut last = None;
        for i in 0..per_repo {
            let n = r * per_repo + i;
            let mut hash = [0u8; 20];
            hash[..8].copy_from_slice(&n.to_be_bytes());
            hash[8..16].copy_from_slice(&(n.wrapping_mul(0x9E37_79B9_7F4A_7C15)).to_be_bytes());
            let id = agentscan::model::Oid::from_bytes(hash);
            let who = people[(n % people.len() as u64) as usize];
            let time = start + (i as i64) * (4 * 365 * 86_400 / per_repo as i64);
            let person = Person {
                name: who.into(),
                email: format!("{who}@example.com").into(),
                time,
                offset: 0,
            };
            let mut message = format!("Change {n}: adjust the widget\n\nLonger explanation.\n");
            match n % 10 {
                3 => message
                    .push_str("\nCo-Authored-By: Claude Sonnet 4.5 <noreply@anthropic.com>\n"),
                5 => message.push_str("\nCo-authored-by: Cursor <cursoragent@cursor.com>\n"),
                _ => {}
            }
            let record = CommitRecord {
                id,
                tree: agentscan::model::Oid::empty_tree(),
                parents: last.into_iter().collect(),
                author: person.clone(),
                committer: person,
                message: message.into(),
                files: Some(vec![FileChange {
                    path: format!("src/mod{}/file{}.rs", n % 20, n % 300).into(),
                    old_path: None,
                    status: FileStatus::Modified,
                    lines: Some(((n % 40) as u32 + 1, (n % 7) as u32)),
                    binary: false,
                }]),
                attestations: Vec::new(),
            };
            last = Some(id);
            batch.push(agentscan::scan::evaluate(record, &registry, &rules));
            if batch.len() == 2048 {
                store
                    .write_batch(repo.id, scan, Stats::Lines, false, &batch)
                    .expect("batch");
                batch.clear();
            }
        }
        store
            .write_batch(repo.id, scan, Stats::Lines, false, &batch)
            .expect("batch");
        store.commit_batches().expect("commit");
        let tips: Vec<ObjectId> = last
            .map(|id| ObjectId::from_hex(id.to_string().as_bytes()).expect("hex"))
            .into_iter()
            .collect();
        store
            .finish_scan(
                &repo,
                &ScanEnd {
                    scan_id: scan,
                    status: "ok",
                    message: None,
                    stats: Stats::Lines,
                    tips: &tips,
                    new: per_repo,
                    known: 0,
                    first: true,
                    fast_forward: true,
                },
            )
            .expect("finish");
        agentscan::scan::settle(
            &mut store,
            repo.id,
            agentscan::session::DEFAULT_GAP,
            &rules,
            None,
        )
        .expect("settle");
    }
    eprintln!(
        "{out}: {} commits in {repos} repositories",
        per_repo * repos
    );
}
