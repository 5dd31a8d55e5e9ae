//! `agentscan commits`: the stored commits behind a number, as a table, CSV or JSON.

use super::*;

pub(crate) fn run_commits(args: CommitsArgs) -> Result<u8> {
    let range = TimeRange::try_from(&args.range)?;
    let mode = args
        .mode
        .as_deref()
        .map(str::parse::<agentscan::classify::Mode>)
        .transpose()
        .map_err(anyhow::Error::msg)
        .context("--mode")?;
    let store = open_store(&args.db, false)?;
    let filter = Filter {
        repos: args.repo.clone(),
        range,
        agent: args.agent.clone(),
        mode,
        class: args.class.map(|c| match c {
            ClassArg::Agent => CommitClass::Agent,
            ClassArg::Human => CommitClass::Human,
            ClassArg::Bot => CommitClass::Bot,
        }),
        merges: args.merges,
    };
    let mut rows = store.commits(&filter, args.limit)?;
    if let Some(p) = pseudonyms(args.anonymize.anonymize, Some(&store))? {
        for r in &mut rows {
            r.author = anonymized(&p, &r.author);
        }
    }
    let text = match args.format {
        ListFormatCsv::Json => {
            let mut s = serde_json::to_string_pretty(
                &serde_json::json!({ "schema_version": agentscan::report::SCHEMA_VERSION, "commits": rows }),
            )?;
            s.push('\n');
            s
        }
        ListFormatCsv::Csv => commits_csv(&rows)?,
        ListFormatCsv::Table => commits_table(&rows),
    };
    write_output(args.output.as_deref(), &text)?;
    Ok(0)
}

fn commits_csv(rows: &[CommitRow]) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "repo",
        "id",
        "author_time",
        "author",
        "class",
        "role",
        "agents",
        "models",
        "mode",
        "lines_added",
        "lines_deleted",
        "session",
        "subject",
    ])?;
    for r in rows {
        w.write_record([
            r.repo.as_str(),
            &r.id,
            &r.author_time,
            &r.author,
            r.class.as_str(),
            r.role.map_or("", |x| x.as_str()),
            &r.agents.join(" "),
            &r.models.join(" "),
            r.mode.as_str(),
            &r.lines_added.to_string(),
            &r.lines_deleted.to_string(),
            r.session.as_deref().unwrap_or(""),
            &r.subject,
        ])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

fn commits_table(rows: &[CommitRow]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for r in rows {
        let agents = if r.agents.is_empty() {
            r.class.as_str().to_owned()
        } else {
            r.agents.join(",")
        };
        let subject: String = r.subject.chars().take(60).collect();
        let _ = writeln!(
            out,
            "{}  {}  {:<12}  {:<12}  {:<11}  +{:<5} -{:<5}  {}",
            &r.id[..r.id.len().min(10)],
            &r.author_time[..10],
            r.repo,
            agents,
            r.mode.as_str(),
            r.lines_added,
            r.lines_deleted,
            subject
        );
    }
    if rows.is_empty() {
        out.push_str("no stored commit matches\n");
    }
    out
}
