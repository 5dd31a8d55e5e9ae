//! Where repositories come from.
//!
//! Local paths are searched for repositories here; remote sources (GitHub organisations, users
//! and searches, repository URLs, lists of them) are resolved to local bare clones before the
//! walk, so the rest of the pipeline only sees paths.

pub mod clone;
pub mod github;
pub mod local;
pub mod search;

pub use local::{DiscoverError, discover};
