//! What names repositories: positional sources, `--repos-file` lists, clone URLs and their
//! cache paths, GitHub noreply emails. Any text gives an answer or an error; a cache path stays
//! inside the cache.
#![no_main]

use std::path::Path;

use agentscan::scan::{split_repos_list, split_sources};
use agentscan::source::clone::{clone_path, remote_key, safe_component};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let (paths, urls) = split_repos_list(text, Path::new("/base"));
    assert!(paths.iter().all(|p| p.starts_with("/base") || p.is_absolute()));
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let _ = split_sources(&lines);
    for url in urls.iter().map(String::as_str).chain([text]) {
        let _ = remote_key(url);
        if let Ok(path) = clone_path(Path::new("/cache"), url) {
            assert!(path.starts_with("/cache"), "{url} → {}", path.display());
            assert!(
                !path.components().any(|c| c == std::path::Component::ParentDir),
                "{url} → {}",
                path.display()
            );
        }
    }
    let safe = safe_component(text);
    assert!(!safe.contains('/') && safe != ".." && safe != ".", "{text} → {safe}");
    let _ = agentscan::signatures::github_login(text);
    let _ = agentscan::signatures::email_in_domain(text, "example.com");
});
