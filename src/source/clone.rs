//! Remote repositories as local bare clones in a cache folder, cloned once and fetched after.
//!
//! Every repository gets `<cache>/<host>/<owner>/<name>.git`, built from sanitised URL parts, so
//! no name an API or a user supplies can point outside the cache (`..`, absolute paths, separators
//! are all neutralised). A clone is written under a temporary name and renamed into place only when
//! complete, so a clone that was interrupted is never mistaken for a repository: its leftovers are
//! removed and the next run clones again. gix does the work with no global or user configuration,
//! so no credential helper, hook or other program named by configuration is ever run; a token, when
//! given, is answered to the server directly and never written to the clone's configuration.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// A remote repository to clone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteSpec {
    /// The URL to clone from (any git URL, or a local path).
    pub url: String,
    /// Identity in the store and in reports: `host/owner/name`.
    pub key: String,
    /// Display name.
    pub name: String,
    /// `owner/name` on GitHub, for pull requests.
    pub github: Option<String>,
}

/// Why a remote could not be cloned or fetched.
#[derive(Debug, thiserror::Error)]
pub enum CloneError {
    /// The URL cannot be understood.
    #[error("{url}: not a repository URL: {message}")]
    Url { url: String, message: String },
    /// The cache folder could not be prepared.
    #[error("{path}: cannot prepare the clone folder: {source}")]
    Folder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Cloning failed.
    #[error("{url}: cannot clone: {message}")]
    Clone { url: String, message: String },
    /// Fetching failed.
    #[error("{url}: cannot fetch into {path}: {message}")]
    Fetch {
        url: String,
        path: PathBuf,
        message: String,
    },
}

/// What [`sync`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Synced {
    /// A new clone.
    Cloned,
    /// An existing clone was fetched.
    Fetched,
}

/// A path component made safe: only ASCII letters, digits, `-`, `_` and `.`, no leading dot, never
/// empty. `..` becomes `_.`; `/` and `\\` become `_`.
pub fn safe_component(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.starts_with('.') {
        out.replace_range(0..1, "_");
    }
    if out.is_empty() {
        out.push('_');
    }
    out.chars().take(100).collect()
}

/// `host/owner/name` of a URL or scp-like address, lower-cased host, without `.git`.
pub fn remote_key(url: &str) -> Result<(String, String, String), CloneError> {
    let bad = |message: &str| CloneError::Url {
        url: url.to_owned(),
        message: message.to_owned(),
    };
    let parsed = gix::url::parse(bstr::BStr::new(url)).map_err(|e| bad(&e.to_string()))?;
    let host = parsed
        .host()
        .map(|h| h.to_ascii_lowercase())
        .unwrap_or_else(|| "local".to_owned());
    let path = parsed.path.to_string();
    let mut parts: Vec<&str> = path
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .collect();
    let name = parts
        .pop()
        .ok_or_else(|| bad("the URL names no repository"))?
        .trim_end_matches(".git")
        .to_owned();
    let owner = parts.join("-");
    Ok((host, owner, name))
}

/// The clone folder of a URL under `cache`.
pub fn clone_path(cache: &Path, url: &str) -> Result<PathBuf, CloneError> {
    let (host, owner, name) = remote_key(url)?;
    let mut p = cache.join(safe_component(&host));
    if !owner.is_empty() {
        p.push(safe_component(&owner));
    }
    p.push(format!("{}.git", safe_component(&name)));
    debug_assert!(p.starts_with(cache));
    Ok(p)
}

/// Clone `url` into `dest` (bare), or fetch when `dest` already holds a complete clone. `token`
/// answers HTTPS authentication. With `since` (seconds), a clone receives only the history since
/// then (a shallow clone), and a fetch into a shallow clone keeps to it. `cancel` stops a
/// transfer between its steps; a clone stopped or failed leaves nothing at `dest`.
pub fn sync(
    url: &str,
    dest: &Path,
    token: Option<&str>,
    since: Option<i64>,
    cancel: &AtomicBool,
) -> Result<Synced, CloneError> {
    // gix's HTTPS transport takes rustls's process-wide provider and has no default of its own.
    // Installing fails only when one is installed already, which is as good.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let complete = dest.join("HEAD").is_file() && dest.join("objects").is_dir();
    if complete {
        // A complete clone stays complete: only a shallow one is kept to the window.
        let shallow = since.filter(|_| dest.join("shallow").is_file());
        fetch(url, dest, token, shallow, cancel)?;
        return Ok(Synced::Fetched);
    }
    let parent = dest.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|source| CloneError::Folder {
        path: parent.to_owned(),
        source,
    })?;
    if dest.exists() {
        // Neither a clone nor empty: a leftover; start again.
        std::fs::remove_dir_all(dest).map_err(|source| CloneError::Folder {
            path: dest.to_owned(),
            source,
        })?;
    }
    let file_name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Leftovers of clones that were interrupted (any process) go first.
    if let Ok(entries) = std::fs::read_dir(parent) {
        let prefix = format!(".{file_name}.partial-");
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    let partial = parent.join(format!(".{file_name}.partial-{}", std::process::id()));
    let result = clone_into(url, &partial, token, since, cancel);
    match result {
        Ok(()) => std::fs::rename(&partial, dest).map_err(|source| CloneError::Folder {
            path: dest.to_owned(),
            source,
        })?,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&partial);
            return Err(e);
        }
    }
    Ok(Synced::Cloned)
}

fn credentials(
    token: Option<String>,
) -> impl FnMut(
    gix::credentials::helper::Action,
) -> gix::Result<Option<gix::credentials::protocol::Outcome>> {
    move |action| match (action, &token) {
        (gix::credentials::helper::Action::Get(ctx), Some(token)) => {
            Ok(Some(gix::credentials::protocol::Outcome {
                identity: gix::sec::identity::Account {
                    username: "x-access-token".into(),
                    password: token.clone(),
                    oauth_refresh_token: None,
                },
                next: ctx.into(),
            }))
        }
        _ => Ok(None),
    }
}

/// The shallow boundary of `--shallow-since`.
fn shallow(since: Option<i64>) -> gix::remote::fetch::Shallow {
    match since {
        Some(t) => gix::remote::fetch::Shallow::Since {
            cutoff: gix::date::Time::new(t, 0),
        },
        None => gix::remote::fetch::Shallow::NoChange,
    }
}

fn clone_into(
    url: &str,
    path: &Path,
    token: Option<&str>,
    since: Option<i64>,
    cancel: &AtomicBool,
) -> Result<(), CloneError> {
    let err = |message: String| CloneError::Clone {
        url: url.to_owned(),
        message,
    };
    let token = token.map(str::to_owned);
    let mut prepare = gix::clone::PrepareFetch::new(
        url,
        path,
        gix::create::Kind::Bare,
        gix::create::Options::default(),
        gix::open::Options::isolated(),
    )
    .map_err(|e| err(crate::walk::error_chain(&e)))?
    .configure_remote(|remote| {
        // Keep every branch current on later fetches, as a mirror would.
        remote.with_refspecs(
            Some("+refs/heads/*:refs/heads/*"),
            gix::remote::Direction::Fetch,
        )
    })
    .configure_connection(move |connection| {
        connection.set_credentials(credentials(token.clone()));
        Ok(())
    })
    .with_shallow(shallow(since));
    prepare
        .fetch_only(gix::progress::Discard, cancel)
        .map_err(|e| err(crate::walk::error_chain(&e)))?;
    Ok(())
}

fn fetch(
    url: &str,
    dest: &Path,
    token: Option<&str>,
    since: Option<i64>,
    cancel: &AtomicBool,
) -> Result<(), CloneError> {
    let err = |message: String| CloneError::Fetch {
        url: url.to_owned(),
        path: dest.to_owned(),
        message,
    };
    let repo = gix::open_opts(dest, gix::open::Options::isolated())
        .map_err(|e| err(crate::walk::error_chain(&e)))?;
    let remote = repo
        .find_remote("origin")
        .map_err(|e| err(crate::walk::error_chain(&e)))?;
    let connection = remote
        .connect(gix::remote::Direction::Fetch)
        .map_err(|e| err(crate::walk::error_chain(&e)))?
        .with_credentials(credentials(token.map(str::to_owned)));
    connection
        .prepare_fetch(gix::progress::Discard, Default::default())
        .map_err(|e| err(crate::walk::error_chain(&e)))?
        .with_shallow(shallow(since))
        .receive(gix::progress::Discard, cancel)
        .map_err(|e| err(crate::walk::error_chain(&e)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_cannot_escape() {
        assert_eq!(safe_component(".."), "_.");
        assert_eq!(safe_component("../../etc"), "_._.._etc");
        assert_eq!(safe_component("/abs"), "_abs");
        assert_eq!(safe_component(""), "_");
        assert_eq!(safe_component("ok-name_1.2"), "ok-name_1.2");
    }

    #[test]
    fn keys_and_paths() {
        assert_eq!(
            remote_key("https://github.com/Acme/Widgets.git").unwrap(),
            ("github.com".into(), "Acme".into(), "Widgets".into())
        );
        assert_eq!(
            remote_key("git@github.com:acme/api.git").unwrap(),
            ("github.com".into(), "acme".into(), "api".into())
        );
        let cache = Path::new("/cache");
        let p = clone_path(cache, "https://github.com/acme/../../../etc/passwd").unwrap();
        assert!(p.starts_with(cache), "{}", p.display());
        assert_eq!(p, Path::new("/cache/github.com/acme-etc/passwd.git"));
        let p = clone_path(cache, "https://evil.example/%2e%2e/x").unwrap();
        assert!(p.starts_with(cache), "{}", p.display());
    }

    /// An HTTPS clone goes as far as the TLS handshake: the crypto provider is there, and a server
    /// that does not speak TLS is an error that names the URL, with nothing left behind.
    #[test]
    fn https_clone_reaches_the_handshake() {
        use std::io::{Read as _, Write as _};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten().take(4) {
                let mut stream = stream;
                let mut hello = [0u8; 512];
                let _ = stream.read(&mut hello);
                let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n");
            }
        });
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("x.git");
        let url = format!("https://127.0.0.1:{port}/acme/x.git");
        let err = sync(&url, &dest, Some("token"), None, &AtomicBool::new(false)).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with(&format!("{url}: cannot clone:")), "{text}");
        assert!(!dest.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
