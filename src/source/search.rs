//! Repository search: every repository a GitHub search query matches, though the API returns at
//! most 1,000 results per query.
//!
//! A query whose total is over the cap is split by creation date (`created:A..B`, halves of the
//! window, recursively) until each window is under it; a window that still is (one second wide)
//! is listed as far as the cap allows and reported. `incomplete_results` (the search timed out on
//! GitHub's side) is retried with backoff and reported if it persists. Waits and retries for rate
//! limits (search allows 30 requests a minute with a token) are those of every other request.

use std::collections::BTreeSet;

use serde::Deserialize;

use super::github::{GitHub, GitHubError, RemoteRepo};

/// The most results the search API returns for one query.
pub const SEARCH_CAP: u64 = 1000;

/// Creation dates start with GitHub itself.
const GITHUB_BEGAN: i64 = 1_199_145_600; // 2008-01-01T00:00:00Z

/// What a search listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchListing {
    /// The repositories, each once, in the order they were listed.
    pub repos: Vec<RemoteRepo>,
    /// The queries sent, one per window.
    pub windows: Vec<String>,
    /// Windows still over the cap: only their first 1,000 results are listed.
    pub capped: Vec<String>,
    /// Windows whose results GitHub said were incomplete, after retries.
    pub incomplete: Vec<String>,
}

#[derive(Deserialize)]
struct Page {
    total_count: u64,
    #[serde(default)]
    incomplete_results: bool,
    #[serde(default)]
    items: Vec<RemoteRepo>,
}

impl GitHub {
    /// Every repository `query` matches. `now` bounds the creation-date windows.
    pub fn search_repositories(&self, query: &str, now: i64) -> Result<SearchListing, GitHubError> {
        let mut out = SearchListing::default();
        let mut seen = BTreeSet::new();
        // A query that names creation dates itself is not split: its windows would contradict it.
        let window = (!query.contains("created:")).then_some((GITHUB_BEGAN, now));
        self.search_window(query, window, &mut out, &mut seen)?;
        Ok(out)
    }

    fn search_window(
        &self,
        base: &str,
        window: Option<(i64, i64)>,
        out: &mut SearchListing,
        seen: &mut BTreeSet<String>,
    ) -> Result<(), GitHubError> {
        let query = match window {
            Some((a, b)) => format!(
                "{base} created:{}..{}",
                crate::period::utc_rfc3339(a),
                crate::period::utc_rfc3339(b)
            ),
            None => base.to_owned(),
        };
        let what = format!("search {query:?}");
        let first = format!(
            "{}/search/repositories?q={}&per_page=100",
            self.api(),
            url::form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
        );
        let (mut page, mut next) = self.search_page(&first, &what)?;
        if page.total_count > SEARCH_CAP {
            if let Some((a, b)) = window
                && b > a
            {
                let mid = a + (b - a) / 2;
                self.search_window(base, Some((a, mid)), out, seen)?;
                return self.search_window(base, Some((mid + 1, b)), out, seen);
            }
            self.notify(&format!(
                "{what}: {} results, and a narrower window cannot be searched; only the first {SEARCH_CAP} are listed",
                page.total_count
            ));
            out.capped.push(query.clone());
        }
        if page.incomplete_results {
            out.incomplete.push(query.clone());
            self.notify(&format!(
                "{what}: GitHub says its results are incomplete (the search timed out); some repositories may be missing"
            ));
        }
        out.windows.push(query);
        loop {
            for r in page.items {
                if seen.insert(r.full_name.to_ascii_lowercase()) {
                    out.repos.push(r);
                }
            }
            let Some(url) = next.take() else { break };
            (page, next) = self.search_page(&url, &what)?;
        }
        Ok(())
    }

    /// One page of results; an incomplete one is asked again, with backoff, a few times.
    fn search_page(&self, url: &str, what: &str) -> Result<(Page, Option<String>), GitHubError> {
        let mut backoff = self.patience().backoff;
        let mut attempt = 1;
        loop {
            let (json, next) = self.get_json(url, what)?;
            let page: Page = serde_json::from_value(json).map_err(|e| GitHubError::Parse {
                what: what.to_owned(),
                message: e.to_string(),
            })?;
            if !page.incomplete_results || attempt >= self.patience().attempts {
                return Ok((page, next));
            }
            self.notify(&format!(
                "{what}: incomplete results; asking again in {backoff:?}"
            ));
            std::thread::sleep(backoff);
            backoff *= 2;
            attempt += 1;
        }
    }
}
