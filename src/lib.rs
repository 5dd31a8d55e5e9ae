//! agentscan measures coding-agent adoption from git history.
//!
//! The pipeline, one module per stage: [`source`] finds repositories; [`walk`] reads their commits
//! with gix into [`walk::CommitRecord`]s; [`detect`] turns a record and the [`signatures`] registry
//! into agent evidence and a commit class (agent, human, bot); [`aggregate`] sums commits per
//! repository and period; [`report`] renders the sums as a table, JSON, CSV or Markdown. [`scan`]
//! is the only place that knows every stage. Detection is pure (no git), so every trap of the
//! signature catalogue is a unit test on a message.

pub mod aggregate;
pub mod detect;
pub mod message;
pub mod period;
pub mod progress;
pub mod report;
pub mod scan;
pub mod signatures;
pub mod source;
pub mod walk;

pub use detect::{CommitClass, Detection, Evidence, detect};
pub use report::{Format, Report};
pub use scan::{ScanOptions, ScanOutcome, scan};
pub use signatures::Registry;
pub use walk::CommitRecord;
