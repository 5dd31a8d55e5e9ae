//! `agentscan commits`: the stored commits behind a number, as a table, CSV or JSON.

use super::*;

pub(crate) fn run_commits(args: CommitsArgs) -> Result<u8> {
    let range = TimeRange::try_from(&args.range)?;
    let store = open_stores(&args.db)?;
    let filter = Filter {
        repos: args.repo.clone(),
        range,
        agent: args.agent.clone(),
        mode: args.mode,
        class: args.class,
        merges: args.merges,
    };
    let mut rows = store.commits(&filter, args.limit)?;
    if let Some(p) = pseudonyms(args.anonymize.anonymize, Some(&store))? {
        for r in &mut rows {
            r.author = anonymized(&p, &r.author);
        }
    }
    let text = match args.format {
        ListFormatCsv::Json => listing::commits_json(&rows)?,
        ListFormatCsv::Csv => listing::commits_csv(&rows)?,
        ListFormatCsv::Table => listing::commits_table(&rows),
    };
    write_output(args.output.as_deref(), &text)?;
    Ok(0)
}
