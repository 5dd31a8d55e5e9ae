//! `agentscan report`: a report from the store, without touching git.

use super::*;

pub(crate) fn run_report(args: ReportArgs) -> Result<u8> {
    let range = TimeRange::try_from(&args.range)?;
    let store = open_stores(&args.db)?;
    let repos = store.repositories(&args.repo)?;
    if repos.is_empty() {
        if args.repo.is_empty() {
            bail!(
                "{}: the database holds no repositories yet: run `agentscan scan` first",
                stores_name(&args.db)
            );
        }
        bail!(
            "{}: no stored repository is named {}: see the names with `agentscan report`",
            stores_name(&args.db),
            args.repo.join(", ")
        );
    }
    let filter = Filter {
        repos: repos.iter().map(|r| r.key.clone()).collect(),
        range,
        agent: args.agent.clone(),
        ..Filter::default()
    };
    let mut aggregate = agentscan::scan::aggregate(&store, &filter, args.by)?;
    for r in &repos {
        aggregate.touch(&r.key);
    }
    let outcomes: Vec<RepoOutcome> = repos.iter().map(RepoOutcome::from_store).collect();
    // The registry the stored conclusions came from, so that agents added with --signatures
    // keep their names.
    let registry = store.registry()?.unwrap_or_else(|| {
        eprintln!(
            "agentscan: the signature files of the last scan no longer load; agents they add are shown by id"
        );
        Registry::builtin()
    });
    let report = Report::build(
        &aggregate,
        &outcomes,
        &registry,
        &Bounds {
            since: args.range.texts().0,
            until: args.range.texts().1,
            configs: store.configs(&filter)?,
            min_authors: args.privacy.min_authors,
            pseudonyms: pseudonyms(args.privacy.anonymize, Some(&store))?,
            sample: store.sample()?,
            history_since: store.meta("history_since")?,
            scanned_at: store.last_scan_time()?,
            sessions: session_sizes(&store, &filter)?,
            mixed_bursts: mixed_bursts(&store, &filter, agentscan::session::DEFAULT_GAP)?,
        },
    );
    write_output(
        args.output.as_deref(),
        &exporter(args.format).render(&report),
    )?;
    Ok(0)
}
