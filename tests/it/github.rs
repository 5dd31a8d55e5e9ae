//! Scanning a GitHub organisation end to end against a local HTTP server that replays recorded
//! API responses (`tests/github/*.json`). Clone URLs in them point at bare fixture repositories on
//! disk, so listing, cloning, fetching and pull-request linking all run for real.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::build_into;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "ghp_S3cr3tT0kenValue0123456789abcdef";

struct Org {
    dir: tempfile::TempDir,
    fixtures: PathBuf,
    server: MockServer,
    rt: tokio::runtime::Runtime,
}

impl Org {
    fn uri(&self) -> String {
        self.server.uri()
    }

    fn clone_dir(&self) -> PathBuf {
        self.dir.path().join("clones")
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("agentscan.db")
    }

    fn mount(&self, mock: Mock) {
        self.rt.block_on(mock.mount(&self.server));
    }

    /// The recorded response `name`, with fixture paths and commit ids filled in.
    fn recorded(&self, name: &str) -> String {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/github")
                .join(name),
        )
        .unwrap();
        let mut text = text.replace("@FIXTURES@", self.fixtures.to_str().unwrap());
        while let Some(start) = text.find("@SHA:") {
            let end = start + 1 + text[start + 1..].find('@').unwrap();
            let (repo, rev) = text[start + 5..end].split_once(':').unwrap();
            let out = Command::new("git")
                .args(["rev-parse", rev])
                .current_dir(self.fixtures.join(repo))
                .output()
                .unwrap();
            let sha = String::from_utf8(out.stdout).unwrap().trim().to_owned();
            text.replace_range(start..=end, &sha);
        }
        text
    }

    fn json(&self, status: u16, name: &str) -> ResponseTemplate {
        ResponseTemplate::new(status)
            .insert_header("content-type", "application/json; charset=utf-8")
            .insert_header("x-ratelimit-limit", "5000")
            .insert_header("x-ratelimit-remaining", "4990")
            .insert_header("x-ratelimit-reset", "1893456000")
            .set_body_string(self.recorded(name))
    }

    /// The second page of the organisation's repository list answers 502, once.
    fn fail_second_listing_page_once(&self) {
        self.mount(
            Mock::given(method("GET"))
                .and(path("/orgs/acme/repos"))
                .and(query_param("page", "2"))
                .respond_with(self.json(502, "error-502.json"))
                .up_to_n_times(1)
                .with_priority(1),
        );
    }

    fn scan(&self, extra: &[&str]) -> std::process::Output {
        Command::new(assert_cmd::cargo::cargo_bin("agentscan"))
            .env("GITHUB_TOKEN", TOKEN)
            .env_remove("GH_TOKEN")
            .env_remove("AGENTSCAN_DB")
            .args(["scan", "--github-api"])
            .arg(self.uri())
            .arg("--clone-dir")
            .arg(self.clone_dir())
            .arg("--db")
            .arg(self.db())
            .args(extra)
            .output()
            .unwrap()
    }
}

fn bare(dir: &Path, fixture: &str) {
    let work = dir.join(format!("{fixture}.work"));
    build_into(fixture, &work);
    let status = Command::new("git")
        .args(["clone", "-q", "--bare"])
        .arg(&work)
        .arg(dir.join(format!("{fixture}.git")))
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::remove_dir_all(work).unwrap();
}

/// The fixture organisation `acme`: four repositories worth scanning on two pages, plus an
/// archived one and a fork that the default filters leave out.
fn org() -> Org {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = dir.path().join("fixtures");
    std::fs::create_dir_all(&fixtures).unwrap();
    for f in ["claude", "copilot", "org-codex", "org-config"] {
        bare(&fixtures, f);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(MockServer::start());
    let org = Org {
        dir,
        fixtures,
        server,
        rt,
    };
    let uri = org.uri();
    org.mount(
        Mock::given(method("GET"))
            .and(path("/orgs/acme/repos"))
            .and(query_param_is_missing("page"))
            .respond_with(org.json(200, "orgs-acme-repos-page1.json").insert_header(
                "link",
                format!(
                    "<{uri}/orgs/acme/repos?per_page=100&type=all&page=2>; rel=\"next\", <{uri}/orgs/acme/repos?per_page=100&type=all&page=2>; rel=\"last\""
                )
                .as_str(),
            )),
    );
    org.mount(
        Mock::given(method("GET"))
            .and(path("/orgs/acme/repos"))
            .and(query_param("page", "2"))
            .respond_with(org.json(200, "orgs-acme-repos-page2.json").insert_header(
                "link",
                format!(
                    "<{uri}/orgs/acme/repos?per_page=100&type=all&page=1>; rel=\"prev\", <{uri}/orgs/acme/repos?per_page=100&type=all&page=1>; rel=\"first\""
                )
                .as_str(),
            )),
    );
    org.mount(
        Mock::given(method("GET"))
            .and(path("/repos/acme/codex-app/pulls"))
            .respond_with(org.json(200, "repos-acme-codex-app-pulls.json")),
    );
    org.mount(
        Mock::given(method("GET"))
            .and(path("/orgs/nope/repos"))
            .respond_with(org.json(404, "error-404.json")),
    );
    for name in ["claude-app", "copilot-app", "config-app"] {
        org.mount(
            Mock::given(method("GET"))
                .and(path(format!("/repos/acme/{name}/pulls")))
                .respond_with(org.json(200, "empty-list.json")),
        );
    }
    org
}

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn an_organisation_with_commit_pull_request_and_config_evidence() {
    let org = org();
    let out = org.scan(&["--github-org", "acme", "--github-prs", "-f", "json"]);
    let v = json(&out);
    let names: Vec<&str> = v["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "acme/claude-app",
            "acme/codex-app",
            "acme/copilot-app",
            "acme/config-app"
        ],
        "archived repositories and forks are left out"
    );
    let t = &v["totals"];
    assert_eq!(t["agent_commits"], 13);
    assert_eq!(t["human_commits"], 9);
    assert_eq!(
        t["agents"]["codex"], 1,
        "the squash of a Codex pull request"
    );
    assert_eq!(t["pull_requests"], 2);
    assert_eq!(t["agent_pull_requests"], 1);
    assert_eq!(t["pull_request_agents"]["codex"], 1);
    assert_eq!(t["repositories_active"], 4);
    assert_eq!(t["repositories_adopting"], 3);
    assert_eq!(t["repositories_ceiling"], 4);
    let codex = &v["repositories"][1];
    assert_eq!(codex["totals"]["agent_commits"], 1);
    assert_eq!(codex["totals"]["human_commits"], 2);
    let config = &v["repositories"][3];
    assert_eq!(config["totals"]["agent_commits"], 0);
    let configs: Vec<(String, String, Option<String>)> = config["configs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["agent"].as_str().unwrap().to_owned(),
                c["path"].as_str().unwrap().to_owned(),
                c["detail"].as_str().map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        configs,
        [
            ("aider".into(), ".aider*".into(), Some("gitignore".into())),
            (
                "claude-code".into(),
                ".claude/settings.json".into(),
                Some("attribution off".into())
            ),
            ("claude-code".into(), "CLAUDE.md".into(), None),
            ("cursor".into(), ".cursor/rules/go.mdc".into(), None),
            ("generic".into(), "AGENTS.md".into(), None),
        ]
    );
    assert_eq!(config["configs"][2]["first_seen"], 1_773_997_200);
    // March: the config repository becomes part of the ceiling once its files exist.
    let march = v["periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["period"] == "2026-03")
        .unwrap();
    assert_eq!(
        (
            &march["repositories_active"],
            &march["repositories_adopting"],
            &march["repositories_ceiling"]
        ),
        (&2.into(), &1.into(), &2.into())
    );
    let january = v["periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["period"] == "2026-01")
        .unwrap();
    assert_eq!(
        january["repositories_ceiling"],
        january["repositories_adopting"]
    );

    // The second run fetches instead of cloning and reads no pull request twice.
    let again = json(&org.scan(&["--github-org", "acme", "--github-prs", "-f", "json"]));
    assert_eq!(again["totals"], v["totals"]);
    let new: i64 = again["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["new_commits"].as_i64().unwrap())
        .sum();
    assert_eq!(new, 0);
    let listed = org.rt.block_on(org.server.received_requests()).unwrap();
    assert!(
        listed.iter().all(|r| {
            r.headers
                .get("authorization")
                .is_some_and(|v| v.to_str().unwrap().contains(TOKEN))
        }),
        "every request carries the token"
    );
}

#[test]
fn the_token_is_never_printed_or_stored() {
    let org = org();
    let out = org.scan(&["--github-org", "acme", "--github-prs"]);
    assert!(out.status.success());
    let nope = org.scan(&["--github-org", "nope"]);
    for o in [&out, &nope] {
        assert!(!String::from_utf8_lossy(&o.stdout).contains(TOKEN));
        assert!(!String::from_utf8_lossy(&o.stderr).contains(TOKEN));
    }
    let mut files = vec![org.db()];
    let mut stack = vec![org.clone_dir()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    for f in files {
        let bytes = std::fs::read(&f).unwrap_or_default();
        assert!(
            !bytes.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()),
            "{} holds the token",
            f.display()
        );
    }
}

#[test]
fn clear_errors_for_missing_organisations_and_bad_tokens() {
    let org = org();
    let out = org.scan(&["--github-org", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("organisation nope: not found (404): check the name"),
        "{stderr}"
    );
    org.mount(
        Mock::given(method("GET"))
            .and(path("/orgs/private/repos"))
            .respond_with(org.json(401, "error-401.json")),
    );
    let out = org.scan(&["--github-org", "private"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("organisation private: GitHub rejected the token (401 Unauthorized): check GITHUB_TOKEN or GH_TOKEN"),
        "{stderr}"
    );
    // One bad organisation among good ones: the others are scanned, exit 1.
    let out = org.scan(&["--github-org", "acme", "--github-org", "nope", "-f", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["totals"]["agent_commits"], 12);
}

#[test]
fn rate_limits_and_server_errors_are_waited_out() {
    let org = org();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    // Registered after the normal answers, so they match first; each only once.
    org.mount(
        Mock::given(method("GET"))
            .and(path("/orgs/acme/repos"))
            .and(query_param_is_missing("page"))
            .respond_with(
                org.json(403, "error-rate-limit.json")
                    .insert_header("x-ratelimit-remaining", "0")
                    .insert_header("x-ratelimit-reset", (now + 1).to_string().as_str()),
            )
            .up_to_n_times(1)
            .with_priority(1),
    );
    org.fail_second_listing_page_once();
    org.mount(
        Mock::given(method("GET"))
            .and(path("/repos/acme/codex-app/pulls"))
            .respond_with(
                org.json(403, "error-secondary.json")
                    .insert_header("retry-after", "1"),
            )
            .up_to_n_times(1)
            .with_priority(1),
    );
    let out = org.scan(&["--github-org", "acme", "--github-prs", "-f", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let v = json(&out);
    assert!(
        stderr.contains("GitHub rate limit exhausted; waiting until"),
        "{stderr}"
    );
    assert!(stderr.contains("GitHub answered 502; retrying"), "{stderr}");
    assert!(stderr.contains("GitHub secondary rate limit"), "{stderr}");
    assert_eq!(v["totals"]["agent_commits"], 13);
    assert_eq!(v["totals"]["agent_pull_requests"], 1);
}

#[test]
fn quiet_scans_wait_without_a_word() {
    let org = org();
    org.fail_second_listing_page_once();
    let out = org.scan(&["--github-org", "acme", "--quiet", "-f", "json"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    // Without --github-prs, the commit a pull request would carry an agent to stays human.
    assert_eq!(json(&out)["totals"]["agent_commits"], 12);
}

#[test]
fn names_cannot_escape_the_clone_folder_and_half_clones_are_redone() {
    let org = org();
    let uri = org.uri();
    let evil = format!(
        r#"[{{"name": "../../escape", "full_name": "evil/../../escape", "private": false, "fork": false, "archived": false, "topics": [], "clone_url": "{}/../fixtures/claude.git"}}]"#,
        org.fixtures.display()
    );
    org.mount(
        Mock::given(method("GET"))
            .and(path("/orgs/evil/repos"))
            .respond_with(ResponseTemplate::new(200).set_body_string(evil)),
    );
    let _ = uri;
    // A clone that was interrupted half-way, as a crashed run leaves it.
    let dest = agentscan::source::clone::clone_path(
        &org.clone_dir(),
        &format!("{}/../fixtures/claude.git", org.fixtures.display()),
    )
    .unwrap();
    std::fs::create_dir_all(&dest).unwrap();
    std::fs::write(dest.join("packed-refs"), b"half").unwrap();
    let leftover = dest.parent().unwrap().join(format!(
        ".{}.partial-99999",
        dest.file_name().unwrap().to_string_lossy()
    ));
    std::fs::create_dir_all(&leftover).unwrap();

    let v = json(&org.scan(&["--github-org", "evil", "-f", "json"]));
    assert_eq!(v["totals"]["agent_commits"], 7);
    assert!(dest.starts_with(org.clone_dir()));
    assert!(dest.join("HEAD").is_file(), "cloned again, completely");
    assert!(!leftover.exists());
    assert!(!org.dir.path().join("escape").exists());
    assert!(!org.clone_dir().parent().unwrap().join("escape").exists());
}

#[test]
fn urls_and_repos_files_are_sources_too() {
    let org = org();
    let list = org.dir.path().join("repos.txt");
    std::fs::write(
        &list,
        format!(
            "# the team's repositories\n{}/claude.git\n\n{}  # trailing comment\n",
            org.fixtures.display(),
            org.fixtures.join("org-codex.git").display()
        ),
    )
    .unwrap();
    let v = json(&org.scan(&["--repos-file", list.to_str().unwrap(), "-f", "json"]));
    assert_eq!(v["repositories"].as_array().unwrap().len(), 2);
    assert_eq!(v["totals"]["agent_commits"], 7);
    let url = format!("file://{}/copilot.git", org.fixtures.display());
    let v = json(&org.scan(&[&url, "-f", "json"]));
    assert_eq!(v["repositories"][0]["name"], "copilot");
    assert_eq!(v["totals"]["agent_commits"], 5);
}

/// A hostile or broken server, through the library with quick retries: every answer that is
/// not a page of JSON becomes an error naming the organisation, after asking again where that
/// can help; nothing hangs, panics or reads without bound.
#[test]
fn broken_answers_are_clear_errors_naming_the_organisation() {
    use agentscan::source::github::{Forge, GitHub, Owner, Patience};
    use std::sync::{Arc, Mutex};
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(MockServer::start());
    let uri = server.uri();
    let mount = |org: &str, answer: ResponseTemplate| {
        rt.block_on(
            Mock::given(method("GET"))
                .and(path(format!("/orgs/{org}/repos")))
                .respond_with(answer)
                .mount(&server),
        )
    };
    let json = |body: &str| {
        ResponseTemplate::new(200)
            .insert_header("content-type", "application/json")
            .set_body_string(body)
    };
    mount("garbled", json("[{\"name\": \"a\", \"full_name\": "));
    mount("notjson", json("{\"repos\": oops}"));
    mount(
        "portal",
        ResponseTemplate::new(200)
            .insert_header("content-type", "text/html; charset=utf-8")
            .set_body_string("<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>"),
    );
    // 65 MiB of one JSON string: over the page limit, whatever it would parse to.
    let mut huge = String::with_capacity(65 << 20);
    huge.push_str("[\"");
    huge.extend(std::iter::repeat_n('x', 65 << 20));
    huge.push_str("\"]");
    mount("huge", json(&huge));
    mount(
        "loop",
        ResponseTemplate::new(302).insert_header("location", format!("{uri}/orgs/loop/repos")),
    );
    let notes = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = notes.clone();
    let github = GitHub::new(
        &uri,
        None,
        Patience {
            attempts: 3,
            backoff: std::time::Duration::from_millis(10),
            max_wait: std::time::Duration::from_secs(1),
            timeout: std::time::Duration::from_secs(20),
        },
        Box::new(move |m: &str| seen.lock().unwrap().push(m.to_owned())),
    )
    .unwrap();
    let cases = [
        ("garbled", "the answer is not valid JSON"),
        ("notjson", "the answer is not valid JSON"),
        ("portal", "an HTML page, not JSON"),
        ("huge", "larger than 64 MiB"),
        ("loop", "redirected too many times"),
    ];
    for (org, why) in cases {
        let err = github
            .repositories(&Owner::Org(org.to_owned()))
            .expect_err(org)
            .to_string();
        assert!(err.contains(&format!("organisation {org}")), "{err}");
        assert!(err.contains(why), "{org}: {err}");
    }
    let requests = rt.block_on(server.received_requests()).unwrap();
    let asked = |org: &str| {
        requests
            .iter()
            .filter(|r| r.url.path() == format!("/orgs/{org}/repos"))
            .count()
    };
    // Retried where asking again can help (a garbled page), not where it cannot (a page over the
    // limit); a redirect loop stops at octocrab's 20 redirects plus the first request.
    assert_eq!(asked("garbled"), 3);
    assert_eq!(asked("portal"), 3);
    assert_eq!(asked("huge"), 1);
    assert_eq!(asked("loop"), 21);
    let notes = notes.lock().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("organisation garbled: the answer is not valid JSON")),
        "{notes:?}"
    );
}

/// A body cut short (the connection closes before `content-length` bytes came) is asked for
/// again, and after the last attempt the error says so and names the organisation.
#[test]
fn a_truncated_body_is_retried_then_named() {
    use agentscan::source::github::{Forge, GitHub, Owner, Patience};
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let served = std::thread::spawn(move || {
        let mut n = 0;
        for stream in listener.incoming().take(2) {
            let mut stream = stream.unwrap();
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\nconnection: close\r\n\r\n[{\"name\": \"a\"",
            );
            n += 1;
        }
        n
    });
    let github = GitHub::new(
        &format!("http://{addr}"),
        None,
        Patience {
            attempts: 2,
            backoff: std::time::Duration::from_millis(10),
            max_wait: std::time::Duration::from_secs(1),
            timeout: std::time::Duration::from_secs(20),
        },
        Box::new(|_: &str| {}),
    )
    .unwrap();
    let err = github
        .repositories(&Owner::Org("cut".to_owned()))
        .expect_err("a truncated body")
        .to_string();
    assert!(err.contains("organisation cut"), "{err}");
    assert!(err.contains("cut short"), "{err}");
    assert_eq!(served.join().unwrap(), 2);
}

/// SIGTERM while a clone waits on a server that never answers: the scan stops with 130 (a
/// second signal stops it at once), and nothing is left where the clone would have been.
#[test]
fn sigterm_during_a_clone_leaves_no_clone_in_place() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    // Accept and hold every connection without a word.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let clones = dir.path().join("clones");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("agentscan"))
        .env("AGENTSCAN_DB", dir.path().join("db"))
        .args(["scan", "--quiet", "--clone-dir"])
        .arg(&clones)
        .arg(format!("http://{addr}/acme/app.git"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id().to_string();
    let term = || Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(term().success());
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(3) {
            term();
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "the scan did not stop"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(130));
    let mut left = Vec::new();
    let mut stack = vec![clones.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with("app") {
                left.push(e.path());
            }
            if e.path().is_dir() && !name.starts_with('.') {
                stack.push(e.path());
            }
        }
    }
    assert!(left.is_empty(), "left in place: {left:?}");
}

/// Pull-request acceptance from the recorded pull requests of `acme/codex-app`: the Codex pull
/// request merged 25 hours after it opened, Devin's closed unmerged, Bob's (human) merged after
/// 73 hours.
#[test]
fn pull_request_acceptance_counts_merged_against_closed_unmerged() {
    let org = org();
    let out = org.scan(&["--github-org", "acme", "--github-prs", "-q", "-f", "json"]);
    let v = json(&out);
    let p = &v["study"]["pull_requests"];
    let row = |r: &serde_json::Value| {
        (
            r["merged"].as_u64(),
            r["closed_unmerged"].as_u64(),
            r["acceptance"].as_f64(),
            r["median_hours_to_merge"].as_u64(),
        )
    };
    assert_eq!(
        row(&p["agent"]),
        (Some(1), Some(1), Some(0.5), Some(25)),
        "{p}"
    );
    assert_eq!(
        row(&p["human"]),
        (Some(1), Some(0), Some(1.0), Some(73)),
        "{p}"
    );
    let agents = p["by_agent"].as_object().unwrap();
    assert_eq!(agents.len(), 2, "{p}");
    assert_eq!(
        row(&p["by_agent"]["devin"]),
        (Some(0), Some(1), Some(0.0), None)
    );
    let codex = agents.keys().find(|k| k.starts_with("codex")).unwrap();
    assert_eq!(row(&agents[codex]), (Some(1), Some(0), Some(1.0), Some(25)));
    // The same from the store, and as a sentence.
    let out = Command::new(assert_cmd::cargo::cargo_bin("agentscan"))
        .args(["report", "-f", "markdown", "--db"])
        .arg(org.db())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "Pull requests merged of those closed, agent / human: 50.0% of 2 (median 25 h to merge) / 100.0% of 1 (median 73 h to merge)."
        ),
        "{text}"
    );
}
