//! Listings: the stored commits behind a number (`agentscan commits`) and the signature
//! catalogue (`agentscan signatures list`), as tables, CSV or JSON. They sit beside the report
//! renderers so that every text agentscan prints is made in one place.

use std::fmt::Write as _;

use crate::model::CommitRow;
use crate::signatures::Registry;

/// The commits as JSON, with the report schema version.
pub fn commits_json(rows: &[CommitRow]) -> serde_json::Result<String> {
    let mut s = serde_json::to_string_pretty(
        &serde_json::json!({ "schema_version": super::SCHEMA_VERSION, "commits": rows }),
    )?;
    s.push('\n');
    Ok(s)
}

/// The commits as CSV, one row each.
pub fn commits_csv(rows: &[CommitRow]) -> Result<String, csv::Error> {
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
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The commits as an aligned table, newest first as given.
pub fn commits_table(rows: &[CommitRow]) -> String {
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

/// The signature catalogue: one line per agent with its category, signature count and evidence
/// kinds.
pub fn signatures_table(registry: &Registry) -> String {
    let mut out = String::new();
    let width = registry
        .agents()
        .iter()
        .map(|a| a.id.len())
        .max()
        .unwrap_or(2);
    let name_width = registry
        .agents()
        .iter()
        .map(|a| a.name.chars().count())
        .max()
        .unwrap_or(4);
    let _ = writeln!(
        out,
        "{:width$}  {:name_width$}  {:14}  {:>4}  Evidence kinds",
        "Id", "Name", "Category", "Sigs"
    );
    for (i, a) in registry.agents().iter().enumerate() {
        let mut kinds: Vec<&str> = registry
            .signatures()
            .iter()
            .filter(|s| s.agent == i)
            .map(|s| s.kind.as_str())
            .collect();
        kinds.sort();
        kinds.dedup();
        let n = registry
            .signatures()
            .iter()
            .filter(|s| s.agent == i)
            .count();
        let _ = writeln!(
            out,
            "{:width$}  {:name_width$}  {:14}  {:>4}  {}",
            a.id,
            a.name,
            a.category.as_str(),
            n,
            kinds.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "\n{} entries, {} signatures.",
        registry.agents().len(),
        registry.signatures().len()
    );
    out
}
