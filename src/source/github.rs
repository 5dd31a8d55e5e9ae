//! GitHub: the repositories of an organisation or a user, and a repository's pull requests.
//!
//! Behind the [`Forge`] trait so that everything else works offline and tests replay recorded
//! API responses from a local server. Requests go through octocrab's raw interface because the
//! decisions that matter live in the response headers: `Link` for pagination, `x-ratelimit-*` and
//! `retry-after` for waiting out rate limits. 5xx answers and network failures are retried with
//! backoff; 401, 403 and 404 fail at once with a message naming what to check. The token is read
//! from the environment by the caller, handed to octocrab, and never printed or stored.

use std::time::Duration;

use octocrab::Octocrab;
use serde::Deserialize;

/// The public GitHub API.
pub const DEFAULT_API: &str = "https://api.github.com";

/// Whose repositories to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// An organisation.
    Org(String),
    /// A user account.
    User(String),
}

impl Owner {
    fn describe(&self) -> String {
        match self {
            Owner::Org(o) => format!("organisation {o}"),
            Owner::User(u) => format!("user {u}"),
        }
    }
}

/// A repository as the API lists it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RemoteRepo {
    /// `owner/name`.
    pub full_name: String,
    /// The name alone.
    pub name: String,
    /// HTTPS clone URL.
    pub clone_url: String,
    /// A fork of another repository.
    #[serde(default)]
    pub fork: bool,
    /// Archived (read-only).
    #[serde(default)]
    pub archived: bool,
    /// Topics.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Private.
    #[serde(default)]
    pub private: bool,
}

/// A pull request as agentscan keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequest {
    /// Number.
    pub number: u64,
    /// `closed` (merged or not) or `open`.
    pub state: String,
    /// Author login.
    pub author: String,
    /// Author's numeric id.
    pub author_id: Option<u64>,
    /// Head branch name.
    pub head_ref: String,
    /// Label names.
    pub labels: Vec<String>,
    /// Body text.
    pub body: String,
    /// Created, seconds since the epoch.
    pub created_at: i64,
    /// Merged, seconds since the epoch.
    pub merged_at: Option<i64>,
    /// The merge (or squash) commit.
    pub merge_commit: Option<String>,
    /// Last update, seconds since the epoch.
    pub updated_at: i64,
    /// Closed (merged or not), seconds since the epoch.
    pub closed_at: Option<i64>,
}

#[derive(Deserialize)]
struct RawUser {
    login: String,
    id: Option<u64>,
}

#[derive(Deserialize)]
struct RawRef {
    #[serde(rename = "ref")]
    name: String,
}

#[derive(Deserialize)]
struct RawLabel {
    name: String,
}

#[derive(Deserialize)]
struct RawPull {
    number: u64,
    state: String,
    user: Option<RawUser>,
    head: RawRef,
    #[serde(default)]
    labels: Vec<RawLabel>,
    body: Option<String>,
    created_at: String,
    merged_at: Option<String>,
    merge_commit_sha: Option<String>,
    updated_at: String,
    #[serde(default)]
    closed_at: Option<String>,
}

/// Why a GitHub request failed.
#[derive(Debug, thiserror::Error)]
pub enum GitHubError {
    /// 401.
    #[error(
        "{what}: GitHub rejected the token (401 Unauthorized): check GITHUB_TOKEN or GH_TOKEN (expired or revoked?)"
    )]
    Unauthorized { what: String },
    /// 403 without a rate limit.
    #[error(
        "{what}: GitHub refused access (403 Forbidden: {message}): check that the token may read it (scopes, SSO authorisation)"
    )]
    Forbidden { what: String, message: String },
    /// 404.
    #[error(
        "{what}: not found (404): check the name, and that the token may see it if it is private"
    )]
    NotFound { what: String },
    /// Any other status, after retries.
    #[error("{what}: GitHub answered {status}: {message}")]
    Status {
        what: String,
        status: u16,
        message: String,
    },
    /// The server could not be reached, after retries.
    #[error("{what}: cannot reach the GitHub API: {message}")]
    Network { what: String, message: String },
    /// The answer was not what the API documents.
    #[error("{what}: unexpected answer from the GitHub API: {message}")]
    Parse { what: String, message: String },
    /// The client could not be set up.
    #[error("cannot set up the GitHub client for {api}: {message}")]
    Setup { api: String, message: String },
}

/// Where repositories and pull requests come from.
pub trait Forge: Send + Sync {
    /// Every repository of `owner`, in the order the API gives them.
    fn repositories(&self, owner: &Owner) -> Result<Vec<RemoteRepo>, GitHubError>;

    /// Closed pull requests of `owner/name`, most recently updated first, down to (and excluding)
    /// those not updated since `since` (seconds since the epoch).
    fn pull_requests(
        &self,
        full_name: &str,
        since: Option<i64>,
    ) -> Result<Vec<PullRequest>, GitHubError>;

    /// Every repository a search query matches (see [`super::search`]).
    fn search(&self, query: &str) -> Result<super::search::SearchListing, GitHubError>;
}

/// The largest API answer read: a page of 100 repositories or pull requests is well under a
/// megabyte.
const MAX_PAGE: usize = 64 << 20;

/// Retry and wait settings.
#[derive(Debug, Clone, Copy)]
pub struct Patience {
    /// Attempts for 5xx answers and network failures.
    pub attempts: u32,
    /// First backoff; doubled on every retry.
    pub backoff: Duration,
    /// Longest wait for a rate-limit reset before giving up.
    pub max_wait: Duration,
    /// Time allowed for one request.
    pub timeout: Duration,
}

impl Default for Patience {
    fn default() -> Self {
        Patience {
            attempts: 5,
            backoff: Duration::from_millis(500),
            max_wait: Duration::from_secs(3600),
            timeout: Duration::from_secs(60),
        }
    }
}

/// The GitHub REST API through octocrab.
pub struct GitHub {
    client: Octocrab,
    api: String,
    runtime: tokio::runtime::Runtime,
    patience: Patience,
    notify: Box<dyn Fn(&str) + Send + Sync>,
}

impl GitHub {
    /// A client for `api` (the public API or a GitHub Enterprise `https://HOST/api/v3`), with
    /// `token` if given. `notify` hears about waits (rate limits, retries).
    pub fn new(
        api: &str,
        token: Option<String>,
        patience: Patience,
        notify: Box<dyn Fn(&str) + Send + Sync>,
    ) -> Result<Self, GitHubError> {
        let setup = |message: String| GitHubError::Setup {
            api: api.to_owned(),
            message,
        };
        let api = api.trim_end_matches('/').to_owned();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| setup(e.to_string()))?;
        let mut builder = Octocrab::builder()
            .base_uri(api.as_str())
            .map_err(|e| setup(e.to_string()))?
            .set_connect_timeout(Some(patience.timeout))
            .set_read_timeout(Some(patience.timeout));
        if let Some(t) = token.filter(|t| !t.is_empty()) {
            builder = builder.personal_token(t);
        }
        // octocrab's client wants a runtime around while it is built.
        let client = {
            let _guard = runtime.enter();
            builder.build().map_err(|e| setup(e.to_string()))?
        };
        Ok(GitHub {
            client,
            api,
            runtime,
            patience,
            notify,
        })
    }

    /// The API's base URL.
    pub(super) fn api(&self) -> &str {
        &self.api
    }

    /// The retry and wait settings.
    pub(super) fn patience(&self) -> Patience {
        self.patience
    }

    /// Tell the user something (a wait, a retry, a partial listing).
    pub(super) fn notify(&self, message: &str) {
        (self.notify)(message)
    }

    /// GET one page: its JSON and the URL of the next page.
    pub(super) fn get_json(
        &self,
        url: &str,
        what: &str,
    ) -> Result<(serde_json::Value, Option<String>), GitHubError> {
        self.get(url, what)
    }

    /// GET one page: its JSON and the URL of the next page.
    fn get(
        &self,
        url: &str,
        what: &str,
    ) -> Result<(serde_json::Value, Option<String>), GitHubError> {
        let mut attempt = 0u32;
        let mut backoff = self.patience.backoff;
        loop {
            attempt += 1;
            let retryable = |message: String| -> Result<(), GitHubError> {
                if attempt >= self.patience.attempts {
                    return Err(GitHubError::Network {
                        what: what.to_owned(),
                        message,
                    });
                }
                Ok(())
            };
            let response = self.runtime.block_on(async {
                tokio::time::timeout(self.patience.timeout, self.client._get(url)).await
            });
            let response = match response {
                Err(_) => {
                    retryable(format!("no answer within {:?}", self.patience.timeout))?;
                    (self.notify)(&format!("{what}: no answer, retrying in {backoff:?}"));
                    std::thread::sleep(backoff);
                    backoff *= 2;
                    continue;
                }
                Ok(Err(e)) => {
                    retryable(e.to_string())?;
                    (self.notify)(&format!("{what}: {e}; retrying in {backoff:?}"));
                    std::thread::sleep(backoff);
                    backoff *= 2;
                    continue;
                }
                Ok(Ok(r)) => r,
            };
            let status = response.status().as_u16();
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            };
            let next = header("link").and_then(|l| next_link(&l));
            let remaining = header("x-ratelimit-remaining");
            let reset = header("x-ratelimit-reset").and_then(|v| v.parse::<i64>().ok());
            let retry_after = header("retry-after").and_then(|v| v.parse::<u64>().ok());
            let html = header("content-type").is_some_and(|t| t.starts_with("text/html"));
            let location = header("location");
            // The body, read under the same timeout and at most MAX_PAGE bytes: a page that
            // never ends or never stops growing is an error, not an allocation.
            let body = self.runtime.block_on(async {
                use http_body_util::BodyExt as _;
                let limited = http_body_util::Limited::new(response.into_body(), MAX_PAGE);
                tokio::time::timeout(self.patience.timeout, limited.collect()).await
            });
            let body = match body {
                Ok(Ok(collected)) => String::from_utf8_lossy(&collected.to_bytes()).into_owned(),
                Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => {
                    return Err(GitHubError::Parse {
                        what: what.to_owned(),
                        message: format!(
                            "the answer is larger than {} MiB; agentscan reads no more",
                            MAX_PAGE >> 20
                        ),
                    });
                }
                // Cut short on the way (a reset connection, a proxy giving up): ask again.
                Ok(Err(e)) => {
                    retryable(format!("the answer was cut short: {e}"))?;
                    (self.notify)(&format!(
                        "{what}: the answer was cut short; retrying in {backoff:?}"
                    ));
                    std::thread::sleep(backoff);
                    backoff *= 2;
                    continue;
                }
                Err(_) => {
                    retryable(format!(
                        "the answer did not finish within {:?}",
                        self.patience.timeout
                    ))?;
                    (self.notify)(&format!(
                        "{what}: the answer did not finish, retrying in {backoff:?}"
                    ));
                    std::thread::sleep(backoff);
                    backoff *= 2;
                    continue;
                }
            };
            if (200..300).contains(&status) {
                match serde_json::from_str(&body) {
                    Ok(json) => return Ok((json, next)),
                    // A captive portal or a proxy's error page answers 200 with HTML; a
                    // truncated or garbled page can be a passing fault: ask again, then say
                    // what came back.
                    Err(e) => {
                        let message = if html || body.trim_start().starts_with('<') {
                            "GitHub answered with an HTML page, not JSON (a proxy, a captive portal or a wrong --github-api?)".to_owned()
                        } else {
                            format!("the answer is not valid JSON ({e})")
                        };
                        if attempt >= self.patience.attempts {
                            return Err(GitHubError::Parse {
                                what: what.to_owned(),
                                message,
                            });
                        }
                        (self.notify)(&format!("{what}: {message}; retrying in {backoff:?}"));
                        std::thread::sleep(backoff);
                        backoff *= 2;
                        continue;
                    }
                }
            }
            let message = api_message(&body);
            match status {
                401 => {
                    return Err(GitHubError::Unauthorized {
                        what: what.to_owned(),
                    });
                }
                403 | 429 if retry_after.is_some() => {
                    let secs = retry_after.unwrap_or(60);
                    self.wait(what, Duration::from_secs(secs), "secondary rate limit")?;
                }
                403 | 429 if remaining.as_deref() == Some("0") => {
                    let now = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |d| d.as_secs() as i64);
                    let until = reset.unwrap_or(now + 60);
                    let secs = (until - now).max(1) as u64;
                    self.wait(
                        what,
                        Duration::from_secs(secs),
                        &format!(
                            "rate limit exhausted; waiting until {}",
                            crate::period::utc_rfc3339(until)
                        ),
                    )?;
                }
                403 => {
                    return Err(GitHubError::Forbidden {
                        what: what.to_owned(),
                        message,
                    });
                }
                404 => {
                    return Err(GitHubError::NotFound {
                        what: what.to_owned(),
                    });
                }
                // octocrab follows up to 20 redirects; one still standing is a loop.
                300..=399 => {
                    return Err(GitHubError::Status {
                        what: what.to_owned(),
                        status,
                        message: format!(
                            "redirected too many times{} (a redirect loop: check --github-api and any proxy)",
                            location
                                .map(|l| format!(", last to {l}"))
                                .unwrap_or_default()
                        ),
                    });
                }
                500..=599 => {
                    if attempt >= self.patience.attempts {
                        return Err(GitHubError::Status {
                            what: what.to_owned(),
                            status,
                            message,
                        });
                    }
                    (self.notify)(&format!(
                        "{what}: GitHub answered {status}; retrying in {backoff:?}"
                    ));
                    std::thread::sleep(backoff);
                    backoff *= 2;
                }
                _ => {
                    return Err(GitHubError::Status {
                        what: what.to_owned(),
                        status,
                        message,
                    });
                }
            }
        }
    }

    fn wait(&self, what: &str, d: Duration, why: &str) -> Result<(), GitHubError> {
        if d > self.patience.max_wait {
            return Err(GitHubError::Status {
                what: what.to_owned(),
                status: 403,
                message: format!(
                    "{why}, which is longer than agentscan waits ({:?})",
                    self.patience.max_wait
                ),
            });
        }
        (self.notify)(&format!("GitHub {why} ({what})"));
        std::thread::sleep(d);
        Ok(())
    }

    fn all_pages<T: serde::de::DeserializeOwned>(
        &self,
        first: String,
        what: &str,
        mut keep_going: impl FnMut(&T) -> bool,
    ) -> Result<Vec<T>, GitHubError> {
        let mut out = Vec::new();
        let mut url = Some(first);
        while let Some(u) = url {
            let (json, next) = self.get(&u, what)?;
            let items: Vec<T> = serde_json::from_value(json).map_err(|e| GitHubError::Parse {
                what: what.to_owned(),
                message: e.to_string(),
            })?;
            let mut more = true;
            for item in items {
                if !keep_going(&item) {
                    more = false;
                    break;
                }
                out.push(item);
            }
            url = if more { next } else { None };
        }
        Ok(out)
    }
}

impl Forge for GitHub {
    fn search(&self, query: &str) -> Result<super::search::SearchListing, GitHubError> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        self.search_repositories(query, now)
    }

    fn repositories(&self, owner: &Owner) -> Result<Vec<RemoteRepo>, GitHubError> {
        let url = match owner {
            Owner::Org(o) => format!(
                "{}/orgs/{}/repos?per_page=100&type=all",
                self.api,
                path_part(o)
            ),
            Owner::User(u) => format!(
                "{}/users/{}/repos?per_page=100&type=owner",
                self.api,
                path_part(u)
            ),
        };
        self.all_pages(url, &owner.describe(), |_: &RemoteRepo| true)
    }

    fn pull_requests(
        &self,
        full_name: &str,
        since: Option<i64>,
    ) -> Result<Vec<PullRequest>, GitHubError> {
        let url = format!(
            "{}/repos/{}/pulls?state=closed&sort=updated&direction=desc&per_page=100",
            self.api,
            full_name
                .split('/')
                .map(path_part)
                .collect::<Vec<_>>()
                .join("/")
        );
        let what = format!("pull requests of {full_name}");
        let raw = self.all_pages(url, &what, |p: &RawPull| {
            since.is_none_or(|s| parse_time(&p.updated_at).is_none_or(|t| t > s))
        })?;
        Ok(raw
            .into_iter()
            .map(|p| PullRequest {
                number: p.number,
                state: p.state,
                author: p.user.as_ref().map(|u| u.login.clone()).unwrap_or_default(),
                author_id: p.user.and_then(|u| u.id),
                head_ref: p.head.name,
                labels: p.labels.into_iter().map(|l| l.name).collect(),
                body: p.body.unwrap_or_default(),
                created_at: parse_time(&p.created_at).unwrap_or(0),
                merged_at: p.merged_at.as_deref().and_then(parse_time),
                merge_commit: p.merge_commit_sha,
                updated_at: parse_time(&p.updated_at).unwrap_or(0),
                closed_at: p.closed_at.as_deref().and_then(parse_time),
            })
            .collect())
    }
}

/// A name as one URL path segment: API-provided names never add path segments.
fn path_part(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// `2026-03-01T10:00:00Z` → seconds.
fn parse_time(s: &str) -> Option<i64> {
    s.parse::<jiff::Timestamp>().ok().map(|t| t.as_second())
}

/// The `rel="next"` target of a `Link` header.
pub fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params
            .split(';')
            .any(|p| p.trim() == "rel=\"next\"")
            .then(|| {
                url.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_owned()
            })
    })
}

/// The `message` of a GitHub error body, or the body itself, shortened.
fn api_message(body: &str) -> String {
    let msg = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_owned))
        .unwrap_or_else(|| body.trim().to_owned());
    msg.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_headers() {
        let h = "<https://api.github.com/organizations/1/repos?page=2>; rel=\"next\", <https://api.github.com/organizations/1/repos?page=5>; rel=\"last\"";
        assert_eq!(
            next_link(h).as_deref(),
            Some("https://api.github.com/organizations/1/repos?page=2")
        );
        assert_eq!(next_link("<https://x/?page=1>; rel=\"prev\""), None);
    }

    #[test]
    fn path_parts_are_escaped() {
        assert_eq!(path_part("acme"), "acme");
        assert_eq!(path_part("../etc"), "..%2Fetc");
    }
}
