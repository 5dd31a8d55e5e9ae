//! agentscan measures coding-agent adoption from git history.
//!
//! The pipeline, one module per stage: [`source`] finds repositories; [`walk`] reads their commits
//! (and diffs) with gix into [`walk::CommitRecord`]s, with what attribution stores kept beside the
//! history say of them ([`attest`]); [`detect`] turns a record and the
//! [`signatures`] registry into agent evidence and a commit class (agent, human, bot); [`classify`]
//! gives each commit one of nine work modes; [`session`] groups commits into sessions;
//! [`aggregate`] sums commits, lines and sessions per repository and period; [`report`] renders the
//! sums as a table, JSON, CSV or Markdown. [`scan`] is the only place that knows every stage.
//! Detection and classification are pure (no git), so every trap is a unit test on a message.

pub mod aggregate;
pub mod attest;
pub mod classify;
pub mod detect;
pub mod discover;
pub mod explain;
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
