//! What the fuzz targets share: commit records built from arbitrary input, so that detection
//! and classification see every field filled with anything at all.

use agentscan::CommitRecord;
use agentscan::model::{FileChange, FileStatus, Oid, Person};
use arbitrary::Arbitrary;

/// A commit record as arbitrary bytes see it.
#[derive(Arbitrary, Debug)]
pub struct Record {
    author: Who,
    committer: Who,
    message: Vec<u8>,
    parents: u8,
    files: Option<Vec<File>>,
}

#[derive(Arbitrary, Debug)]
struct Who {
    name: Vec<u8>,
    email: Vec<u8>,
    time: i64,
    offset: i32,
}

#[derive(Arbitrary, Debug)]
struct File {
    path: Vec<u8>,
    old_path: Option<Vec<u8>>,
    status: u8,
    lines: Option<(u32, u32)>,
    binary: bool,
}

impl Record {
    /// The record detection and classification read.
    pub fn build(self) -> CommitRecord {
        let person = |w: Who| Person {
            name: w.name.into(),
            email: w.email.into(),
            time: w.time,
            offset: w.offset,
        };
        let status = |s: u8| match s % 5 {
            0 => FileStatus::Added,
            1 => FileStatus::Deleted,
            2 => FileStatus::Modified,
            3 => FileStatus::Renamed,
            _ => FileStatus::Copied,
        };
        CommitRecord {
            id: Oid::from_bytes([1; 20]),
            tree: Oid::from_bytes([2; 20]),
            parents: (0..self.parents % 4)
                .map(|i| Oid::from_bytes([3 + i; 20]))
                .collect(),
            author: person(self.author),
            committer: person(self.committer),
            message: self.message.into(),
            files: self.files.map(|files| {
                files
                    .into_iter()
                    .map(|f| FileChange {
                        path: f.path.into(),
                        old_path: f.old_path.map(Into::into),
                        status: status(f.status),
                        lines: f.lines,
                        binary: f.binary,
                    })
                    .collect()
            }),
            attestations: Vec::new(),
        }
    }
}
