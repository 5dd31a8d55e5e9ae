//! `agentscan merge` and `agentscan export`: the stores of a sharded scan written as one new store,
//! and a store written as files other engines read.

use super::*;

pub(crate) fn run_merge(args: MergeArgs) -> Result<u8> {
    if args.output.exists() {
        bail!(
            "{} exists: merge into a new file (remove it first to replace it)",
            args.output.display()
        );
    }
    for source in &args.stores {
        if !source.is_file() {
            bail!("{}: no such store", source.display());
        }
    }
    // Written beside the output and renamed into place when complete: an interrupted merge
    // leaves no half store under the output's name.
    let file_name = args
        .output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "store.db".into());
    let partial = args
        .output
        .with_file_name(format!(".{file_name}.partial-{}", std::process::id()));
    let result = (|| -> Result<agentscan::scan::MergeSummary> {
        let mut store = Store::open(&Location::File(partial.clone()), true, &|_| {})?;
        let merged = agentscan::scan::merge_stores(&mut store, &args.stores, args.session_gap)?;
        store.checkpoint()?;
        Ok(merged)
    })();
    let remove_partial = || {
        for suffix in ["", "-wal", "-shm", ".lock"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
        }
    };
    let merged = match result {
        Ok(m) => m,
        Err(e) => {
            remove_partial();
            return Err(e);
        }
    };
    if let Err(e) = std::fs::rename(&partial, &args.output) {
        remove_partial();
        bail!("cannot write {}: {e}", args.output.display());
    }
    remove_partial();
    if !args.quiet {
        warn_merged(&merged);
        eprintln!(
            "agentscan: {}: {} repositories, {} commits from {} stores",
            args.output.display(),
            merged.repositories,
            merged.commits,
            args.stores.len()
        );
    }
    Ok(0)
}

pub(crate) fn run_export(args: ExportArgs) -> Result<u8> {
    let store = open_stores(&args.db)?;
    let tables = agentscan::export::export(&store, &args.output, args.format, args.partition)?;
    if !args.quiet {
        for t in &tables {
            eprintln!(
                "agentscan: {}: {} rows in {} file{}",
                t.table,
                t.rows,
                t.files,
                if t.files == 1 { "" } else { "s" }
            );
        }
        eprintln!("agentscan: wrote {}", args.output.display());
    }
    Ok(0)
}
