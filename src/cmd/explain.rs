//! `agentscan explain` and `agentscan man`.

use super::*;

pub(crate) fn run_explain(args: ExplainArgs) -> Result<u8> {
    let (repo, rev) = match args.args.as_slice() {
        [rev] => (std::path::PathBuf::from("."), rev.clone()),
        [repo, rev] => (std::path::PathBuf::from(repo), rev.clone()),
        _ => bail!("usage: agentscan explain [REPO] COMMIT"),
    };
    let registry = load_registry(args.signatures.as_deref())?;
    let rules = load_rules(args.rules.as_deref(), args.model.as_deref(), args.no_model)?;
    let mut explanation = agentscan::explain::explain(&repo, &rev, &registry, &rules)?;
    if args.anonymize.anonymize {
        // The database's key, when there is a database: the same pseudonyms as its reports.
        let db = first_store(&args.db);
        let store = match Location::resolve(db.db.as_deref(), None)? {
            Location::File(path) if !path.exists() => None,
            _ => Some(open_store(&db, false)?),
        };
        if let Some(p) = pseudonyms(true, store.as_ref())? {
            explanation.anonymize(&p);
        }
    }
    let text = match args.format {
        ExplainFormat::Text => explanation.to_text(),
        ExplainFormat::Json => {
            let mut s = serde_json::to_string_pretty(&explanation)?;
            s.push('\n');
            s
        }
    };
    write_output(None, &text)?;
    Ok(0)
}

pub(crate) fn run_man(dir: Option<&Path>) -> Result<u8> {
    let cmd = <crate::cli::Cli as clap::CommandFactory>::command();
    let Some(dir) = dir else {
        let mut out = Vec::new();
        clap_mangen::Man::new(cmd).render(&mut out)?;
        write_output(None, &String::from_utf8_lossy(&out))?;
        return Ok(0);
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    // One page per command, named as git names its pages: agentscan.1, agentscan-scan.1, …
    let mut pages = vec![("agentscan".to_owned(), cmd.clone())];
    for sub in cmd.get_subcommands() {
        let name = format!("agentscan-{}", sub.get_name());
        pages.push((name.clone(), sub.clone().display_name(name)));
    }
    for (name, page) in pages {
        let path = dir.join(format!("{name}.1"));
        let mut out = Vec::new();
        clap_mangen::Man::new(page).render(&mut out)?;
        std::fs::write(&path, out).with_context(|| format!("cannot write {}", path.display()))?;
        println!("{}", path.display());
    }
    Ok(0)
}
