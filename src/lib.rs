//! agentscan measures coding-agent adoption from git history.
//!
//! [`model`] is the commit model every stage shares. [`source`] finds repositories (local folders,
//! GitHub owners, searches and URLs); [`walk`] reads their commits and diffs with gix into
//! [`model::CommitRecord`]s, with what attribution stores beside the history say of them
//! ([`attest`]); [`detect`](mod@detect) turns a record, its [`message`] layout and the [`signatures`] registry
//! into agent evidence and a commit class (agent, human, bot); [`classify`](mod@classify) gives each commit one of
//! nine work modes; [`session`] groups commits into sessions and [`outcomes`] finds reverts and
//! rework; [`store`] keeps all of it in SQLite and computes nothing; [`aggregate`] sums commits,
//! lines and sessions per repository and period; [`report`] renders the sums as a table, JSON,
//! CSV, Markdown or HTML, and lists commits and signatures; [`export`] writes the store's tables
//! as Parquet, NDJSON or CSV. [`scan`](mod@scan) is the pipeline: it lists, samples and shards
//! sources, evaluates commits as a walk reads them, settles each repository (pull requests,
//! sessions, outcomes) after a walk or a re-evaluation, and reads many stores as one; [`explain`]
//! shows one commit's
//! conclusions, and [`discover`] what the registry misses. Detection, classification, sessions and
//! reports are pure (no git, no store), so every trap is a unit test on a message.

pub mod aggregate;
pub mod attest;
pub mod classify;
pub mod detect;
pub mod discover;
pub mod explain;
pub mod export;
pub mod facts;
pub mod message;
pub mod model;
pub mod outcomes;
pub mod period;
pub mod privacy;
pub mod progress;
pub mod report;
pub mod scan;
pub mod session;
pub mod signatures;
pub mod source;
pub mod store;
pub mod walk;

pub use detect::{CommitClass, Detection, Evidence, detect};
pub use report::{Format, Report};
pub use scan::{ScanOptions, ScanOutcome, scan};
pub use signatures::Registry;
pub use walk::CommitRecord;
