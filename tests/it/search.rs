//! Repository search against a local server that answers as GitHub's search API does: at most
//! 1,000 results per query, 100 per page with `Link` headers, `total_count`,
//! `incomplete_results`, a secondary rate limit with `retry-after`. Then a sampled scan of a
//! search whose clone URLs are fixture repositories.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use agentscan::source::github::{Forge, GitHub, Patience};
use agentscan::source::search::SEARCH_CAP;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::common::build_into;

/// A population of repositories, each with a creation time, answered as the search API would.
struct Population {
    repos: Vec<(String, i64, String)>,
    base: String,
    uri: String,
    requests: AtomicUsize,
    /// The request (by number) answered as incomplete once.
    incomplete_at: usize,
}

fn parse_time(s: &str) -> i64 {
    s.parse::<jiff::Timestamp>().unwrap().as_second()
}

impl Respond for Population {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let n = self.requests.fetch_add(1, Ordering::SeqCst);
        let params: std::collections::HashMap<String, String> =
            req.url.query_pairs().into_owned().collect();
        let q = params["q"].clone();
        let (base, window) = match q.split_once(" created:") {
            Some((b, w)) => {
                let (a, z) = w.split_once("..").unwrap();
                (b.to_owned(), Some((parse_time(a), parse_time(z))))
            }
            None => (q.clone(), None),
        };
        assert_eq!(base, self.base, "the query's own words are kept");
        let matching: Vec<&(String, i64, String)> = self
            .repos
            .iter()
            .filter(|(_, t, _)| window.is_none_or(|(a, z)| (a..=z).contains(t)))
            .collect();
        let page: usize = params.get("page").map_or(1, |p| p.parse().unwrap());
        let per_page = 100;
        let reachable = matching.len().min(SEARCH_CAP as usize);
        let items: Vec<serde_json::Value> = matching
            [((page - 1) * per_page).min(reachable)..(page * per_page).min(reachable)]
            .iter()
            .map(|(name, _, url)| {
                serde_json::json!({
                    "full_name": format!("pub/{name}"),
                    "name": name,
                    "clone_url": url,
                    "fork": false,
                    "archived": false,
                    "topics": [],
                    "private": false,
                })
            })
            .collect();
        let body = serde_json::json!({
            "total_count": matching.len(),
            "incomplete_results": n == self.incomplete_at,
            "items": items,
        });
        let mut r = ResponseTemplate::new(200)
            .insert_header("content-type", "application/json")
            .insert_header("x-ratelimit-limit", "30")
            .insert_header("x-ratelimit-remaining", "29")
            .set_body_json(body);
        if page * per_page < reachable {
            let next = format!(
                "{}/search/repositories?q={}&per_page=100&page={}",
                self.uri,
                url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>(),
                page + 1
            );
            r = r.insert_header("link", format!("<{next}>; rel=\"next\"").as_str());
        }
        r
    }
}

fn client(uri: &str, heard: Arc<Mutex<Vec<String>>>) -> GitHub {
    GitHub::new(
        uri,
        Some("token".into()),
        Patience {
            attempts: 3,
            backoff: Duration::from_millis(10),
            max_wait: Duration::from_secs(5),
            timeout: Duration::from_secs(10),
        },
        Box::new(move |m: &str| heard.lock().unwrap().push(m.to_owned())),
    )
    .unwrap()
}

/// 2,300 repositories spread over ten years and 1,003 created in the same second: the query is
/// split until each window is under the cap; the one-second window cannot be, and is reported.
/// A secondary rate limit is waited out, and an incomplete answer asked again.
#[test]
fn a_search_over_the_cap_is_split_by_creation_date() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(MockServer::start());
    let uri = server.uri();
    let start = parse_time("2015-01-01T00:00:00Z");
    let crowded = parse_time("2020-06-01T00:00:00Z");
    let mut repos: Vec<(String, i64, String)> = (0..2300)
        .map(|i| (format!("spread-{i}"), start + i * 137_000, String::new()))
        .collect();
    repos.extend((0..1003).map(|i| (format!("crowd-{i}"), crowded, String::new())));
    let population = Population {
        repos,
        base: "language:rust stars:>10".into(),
        uri: uri.clone(),
        requests: AtomicUsize::new(0),
        incomplete_at: 2,
    };
    rt.block_on(
        Mock::given(method("GET"))
            .and(path("/search/repositories"))
            .respond_with(
                ResponseTemplate::new(403)
                    .insert_header("retry-after", "1")
                    .set_body_string(r#"{"message":"You have exceeded a secondary rate limit"}"#),
            )
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server),
    );
    rt.block_on(
        Mock::given(method("GET"))
            .and(path("/search/repositories"))
            .respond_with(population)
            .with_priority(2)
            .mount(&server),
    );
    let heard = Arc::new(Mutex::new(Vec::new()));
    let github = client(&uri, heard.clone());
    let listing = github.search("language:rust stars:>10").unwrap();
    let mut names: Vec<&str> = listing.repos.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names.len(),
        3300,
        "2,300 spread and the first 1,000 of the crowd"
    );
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 3300, "each once");
    assert_eq!(
        names.iter().filter(|n| n.starts_with("spread-")).count(),
        2300
    );
    assert_eq!(
        listing.capped,
        vec!["language:rust stars:>10 created:2020-06-01T00:00:00Z..2020-06-01T00:00:00Z"]
    );
    assert!(listing.windows.len() >= 4, "{:?}", listing.windows);
    assert!(listing.incomplete.is_empty(), "asked again until complete");
    let heard = heard.lock().unwrap().join("\n");
    assert!(heard.contains("secondary rate limit"), "{heard}");
    assert!(
        heard.contains("incomplete results; asking again"),
        "{heard}"
    );
    assert!(heard.contains("only the first 1000 are listed"), "{heard}");
}

fn bare(dir: &Path, fixture: &str) -> String {
    let work = dir.join(format!("{fixture}.work"));
    build_into(fixture, &work);
    let bare = dir.join(format!("{fixture}.git"));
    let ok = Command::new("git")
        .args(["clone", "-q", "--bare"])
        .arg(&work)
        .arg(&bare)
        .status()
        .unwrap()
        .success();
    assert!(ok);
    bare.display().to_string()
}

/// A search listing six fixture repositories, sampled: the same seed draws the same three, the
/// report records the draw and gives intervals.
#[test]
fn a_sampled_search_is_recorded_and_reported_with_intervals() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = dir.path().join("fixtures");
    std::fs::create_dir_all(&fixtures).unwrap();
    let names = ["claude", "copilot", "aider", "traps", "modes", "agents"];
    let repos: Vec<(String, i64, String)> = names
        .iter()
        .enumerate()
        .map(|(i, f)| (f.to_string(), 1_600_000_000 + i as i64, bare(&fixtures, f)))
        .collect();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(MockServer::start());
    let uri = server.uri();
    rt.block_on(
        Mock::given(method("GET"))
            .and(path("/search/repositories"))
            .respond_with(Population {
                repos,
                base: "topic:agents".into(),
                uri: uri.clone(),
                requests: AtomicUsize::new(0),
                incomplete_at: usize::MAX,
            })
            .mount(&server),
    );
    let scan = |seed: &str, db: &Path| {
        let out = Command::new(assert_cmd::cargo::cargo_bin("agentscan"))
            .env("GITHUB_TOKEN", "token")
            .env_remove("AGENTSCAN_DB")
            .args([
                "scan",
                "--github-api",
                &uri,
                "--github-search",
                "topic:agents",
            ])
            .args(["--sample", "3", "--seed", seed, "-f", "json", "-q", "--db"])
            .arg(db)
            .arg("--clone-dir")
            .arg(dir.path().join("clones"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let drawn = |v: &serde_json::Value| {
        let mut n: Vec<String> = v["repositories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap().to_owned())
            .collect();
        n.sort();
        n
    };
    let a = scan("11", &dir.path().join("a.db"));
    let b = scan("11", &dir.path().join("b.db"));
    assert_eq!(drawn(&a).len(), 3);
    assert_eq!(drawn(&a), drawn(&b));
    // Another seed draws another three (the keys hold the temporary folder's name, so which
    // seed differs is not fixed; all four equalling seed 11's draw has odds of 1 in 160,000).
    let others: Vec<Vec<String>> = ["12", "13", "14", "15"]
        .iter()
        .map(|seed| drawn(&scan(seed, &dir.path().join(format!("s{seed}.db")))))
        .collect();
    assert!(others.iter().all(|o| o.len() == 3));
    assert!(
        others.iter().any(|o| *o != drawn(&a)),
        "another seed, another draw"
    );
    let sample = &a["sample"];
    assert_eq!(sample["population"], 6);
    assert_eq!(sample["sample"], 3);
    assert_eq!(sample["seed"], 11);
    assert_eq!(sample["sources"][0], "GitHub search \"topic:agents\"");
    assert_eq!(sample["windows"].as_array().unwrap().len(), 1);
    let adoption = &a["repositories_adoption"];
    assert_eq!(adoption["sampled"], true);
    let first = &adoption["periods"][0];
    let interval = first["floor"]["interval"].as_array().unwrap();
    let (lo, hi) = (interval[0].as_f64().unwrap(), interval[1].as_f64().unwrap());
    let share = first["floor"]["share"].as_f64().unwrap();
    assert!(lo <= share && share <= hi, "{first}");
    // The Markdown report over the store says how the sample was drawn.
    let md = Command::new(assert_cmd::cargo::cargo_bin("agentscan"))
        .args(["report", "-f", "markdown", "--db"])
        .arg(dir.path().join("a.db"))
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(
        md.contains("uniform random sample of 3 drawn from 6"),
        "{md}"
    );
    assert!(md.contains("`--sample 3 --seed 11`"), "{md}");
}

/// `--shallow-since`: a clone receives only the history since the date, the store says so, and
/// the report marks the history as windowed.
#[test]
fn shallow_since_clones_only_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("file://{}", bare(dir.path(), "claude"));
    let db = dir.path().join("s.db");
    let out = Command::new(assert_cmd::cargo::cargo_bin("agentscan"))
        .env_remove("AGENTSCAN_DB")
        .args([
            "scan",
            &url,
            "--shallow-since",
            "2026-01-15",
            "-f",
            "json",
            "--db",
        ])
        .arg(&db)
        .arg("--clone-dir")
        .arg(dir.path().join("clones"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("git fetch --unshallow"),
        "no warning for the window asked for"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["history_since"], "2026-01-15");
    let periods: Vec<(String, u64)> = v["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["period"].as_str().unwrap().to_owned(),
                p["commits"].as_u64().unwrap(),
            )
        })
        .collect();
    // The full history has 2025-12: 3, 2026-01: 4, 2026-02: 3; since 2026-01-15, two of
    // January's and February's three.
    assert_eq!(
        periods,
        vec![("2026-01".to_owned(), 2), ("2026-02".to_owned(), 3)]
    );
    let clone = dir.path().join("clones");
    let shallow: Vec<_> = walk_files(&clone)
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "shallow"))
        .collect();
    assert_eq!(shallow.len(), 1, "a shallow clone");
    let md = Command::new(assert_cmd::cargo::cargo_bin("agentscan"))
        .args(["report", "-f", "markdown", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&md.stdout).contains("history since 2026-01-15"));
}

fn walk_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}
