//! `agentscan signatures` and `agentscan rules`: list, check, export and discover.

use super::*;

pub(crate) fn run_signatures(cmd: SignaturesCommand) -> Result<u8> {
    match cmd {
        SignaturesCommand::List { signatures, format } => {
            let registry = load_registry(signatures.as_deref())?;
            let text = match format {
                ListFormat::Json => {
                    let mut s = serde_json::to_string_pretty(
                        &serde_json::json!({ "schema_version": 1, "agents": registry.agents() }),
                    )?;
                    s.push('\n');
                    s
                }
                ListFormat::Table => listing::signatures_table(&registry),
            };
            write_output(None, &text)?;
            Ok(0)
        }
        SignaturesCommand::Check { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let origin = file.display().to_string();
            let registry = Registry::builtin().with_overrides(&text, &origin)?;
            let own = Registry::from_toml(&text, &origin).ok();
            let (agents, sigs) = own.map_or((0, 0), |r| (r.agents().len(), r.signatures().len()));
            write_output(
                None,
                &format!(
                    "{origin}: ok ({agents} entries, {sigs} signatures; {} agents in the combined registry)\n",
                    registry.agents().len()
                ),
            )?;
            Ok(0)
        }
        SignaturesCommand::Export => {
            write_output(None, BUILTIN_TOML)?;
            Ok(0)
        }
        SignaturesCommand::Discover {
            paths,
            db,
            signatures,
            limit,
            format,
        } => {
            let store = open_stores(&db)?;
            // The registry of the last scan (built-in plus its signature files) unless one is given.
            let registry = match signatures.as_deref() {
                Some(path) => load_registry(Some(path))?,
                None => store.registry()?.unwrap_or_else(Registry::builtin),
            };
            let repos = stored_repos(&store, &paths)?;
            let mut commits = Vec::new();
            store.for_each_raw(&repos, |c| commits.push(c))?;
            let mut found = agentscan::discover::discover(&registry, commits);
            found.truncate(limit);
            let text = match format {
                ListFormat::Json => {
                    let mut s = serde_json::to_string_pretty(
                        &serde_json::json!({ "schema_version": 1, "candidates": found }),
                    )?;
                    s.push('\n');
                    s
                }
                ListFormat::Table => agentscan::discover::table(&found),
            };
            write_output(None, &text)?;
            Ok(0)
        }
    }
}

/// The stored repositories `paths` name (a path scanned, or a name as reports show it); all of
/// them when `paths` is empty. A path the store does not hold is an error that says to scan it.
fn stored_repos(
    store: &Store,
    paths: &[std::path::PathBuf],
) -> Result<Vec<agentscan::store::StoredRepo>> {
    let all = store.repositories(&[])?;
    if paths.is_empty() {
        if all.is_empty() {
            bail!("the store holds no repository yet: run `agentscan scan PATH` first");
        }
        return Ok(all);
    }
    let mut out = Vec::new();
    for p in paths {
        let key = agentscan::scan::repo_key(p);
        let given = p.display().to_string();
        let found: Vec<_> = all
            .iter()
            .filter(|r| r.key == key || r.name == given || r.key == given)
            .cloned()
            .collect();
        if found.is_empty() {
            bail!(
                "{given} is not in the store: scan it first (`agentscan scan {given}`), or give a name `agentscan report` shows"
            );
        }
        out.extend(found);
    }
    out.sort_by_key(|r| r.id);
    out.dedup_by_key(|r| r.id);
    Ok(out)
}

pub(crate) fn run_rules(cmd: RulesCommand) -> Result<u8> {
    match cmd {
        RulesCommand::Check { file } => {
            Rules::from_file(&file)?;
            write_output(None, &format!("{}: ok\n", file.display()))?;
        }
        RulesCommand::Export => write_output(None, BUILTIN_RULES)?,
    }
    Ok(0)
}
