//! The integration tests, one binary: fixture repositories built with real git, scanned into
//! real SQLite, a local HTTP server for the GitHub API, the real binary for the command line.
//! One target links gix, rusqlite and octocrab once instead of once per file.

mod classify;
mod cli;
mod common;
mod deploy;
mod detect;
mod export;
mod github;
mod hostile;
mod report;
mod scan;
mod search;
mod shards;
mod store;
mod study;
