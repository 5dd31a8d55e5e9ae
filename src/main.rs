//! The agentscan binary: parse the command line, call the library, write the output, exit.

mod cli;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Parser;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use agentscan::classify::{BUILTIN_RULES, Rules};
use agentscan::detect::CommitClass;
use agentscan::period::{Period, TimeRange, parse_date_end, parse_date_start};
use agentscan::privacy::Pseudonyms;
use agentscan::progress::{NoProgress, Progress};
use agentscan::report::{Bounds, Format, Report, exporter};
use agentscan::scan::{RemoteOptions, RepoOutcome, RepoStatus, ScanOptions, scan};
use agentscan::signatures::{BUILTIN_TOML, Registry};
use agentscan::source::github::{Forge, GitHub, Owner, Patience};
use agentscan::store::{CommitRow, Filter, Location, Store};
use agentscan::walk::{Stats, WalkOptions};
use cli::{
    By, ClassArg, Cli, Command, CommitsArgs, DbArg, ExplainArgs, ExplainFormat, ListFormat,
    ListFormatCsv, OutputFormat, ReportArgs, RulesCommand, ScanArgs, SignaturesCommand,
};
use std::path::PathBuf;

// Every commit allocates its message, names and evidence on a worker thread and frees them on the
// writer thread; glibc's allocator spends a tenth of a scan on that hand-over, mimalloc far less.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit codes: everything worked / a report was written but some repositories failed / fatal.
const EXIT_PARTIAL: u8 = 1;
const EXIT_FATAL: u8 = 2;
/// A scan stopped by Ctrl-C or SIGTERM, as shells report it.
const EXIT_INTERRUPTED: u8 = 130;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_FATAL } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Scan(args) => run_scan(*args),
        Command::Report(args) => run_report(args),
        Command::Commits(args) => run_commits(args),
        Command::Signatures(cmd) => run_signatures(cmd),
        Command::Rules(cmd) => run_rules(cmd),
        Command::Explain(args) => run_explain(args),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "agentscan", &mut std::io::stdout());
            Ok(0)
        }
        Command::Man { dir } => run_man(dir.as_deref()),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("agentscan: {err:#}");
            ExitCode::from(EXIT_FATAL)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn load_registry(extra: Option<&Path>) -> Result<Registry> {
    Ok(match extra {
        Some(path) => Registry::builtin_with_overrides(path)?,
        None => Registry::builtin(),
    })
}

fn load_rules(path: Option<&Path>) -> Result<Rules> {
    Ok(match path {
        Some(path) => Rules::from_file(path)?,
        None => Rules::builtin(),
    })
}

/// Write `text` to `output` (a file, or stdout for `None` and `-`).
fn write_output(output: Option<&Path>, text: &str) -> Result<()> {
    match output {
        Some(p) if p != Path::new("-") => {
            std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display()))
        }
        _ => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
            Ok(())
        }
    }
}

fn parse_range(since: Option<&str>, until: Option<&str>) -> Result<TimeRange> {
    let range = TimeRange {
        since: since
            .map(parse_date_start)
            .transpose()
            .map_err(anyhow::Error::msg)
            .context("--since")?,
        until: until
            .map(parse_date_end)
            .transpose()
            .map_err(anyhow::Error::msg)
            .context("--until")?,
    };
    if let (Some(s), Some(u)) = (range.since, range.until)
        && s >= u
    {
        bail!("--since must be before --until");
    }
    Ok(range)
}

fn period(by: By) -> Period {
    match by {
        By::Week => Period::Week,
        By::Month => Period::Month,
        By::Quarter => Period::Quarter,
    }
}

fn format(f: OutputFormat) -> Format {
    match f {
        OutputFormat::Table => Format::Table,
        OutputFormat::Json => Format::Json,
        OutputFormat::Csv => Format::Csv,
        OutputFormat::Markdown => Format::Markdown,
        OutputFormat::Html => Format::Html,
    }
}

/// The pseudonyms of `--anonymize`: keyed by `AGENTSCAN_ANONYMIZE_KEY`, else by the database's
/// own key.
fn pseudonyms(anonymize: bool, store: Option<&Store>) -> Result<Option<Pseudonyms>> {
    if !anonymize {
        return Ok(None);
    }
    if let Ok(key) = std::env::var(agentscan::privacy::KEY_ENV)
        && !key.is_empty()
    {
        return Ok(Some(Pseudonyms::new(key)));
    }
    let key = match store {
        Some(store) => store.anonymize_key()?,
        None => Pseudonyms::random_key().map_err(|e| anyhow::anyhow!("no random key: {e}"))?,
    };
    Ok(Some(Pseudonyms::new(key)))
}

fn run_man(dir: Option<&Path>) -> Result<u8> {
    let cmd = <Cli as clap::CommandFactory>::command();
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

fn open_store(db: &DbArg, write: bool) -> Result<Store> {
    let location = Location::resolve(db.db.as_deref(), None)?;
    Ok(Store::open(&location, write, &|msg| {
        eprintln!("agentscan: {msg}")
    })?)
}

/// Ctrl-C and SIGTERM stop the scan at the next batch; what was written stays.
fn install_interrupt(cancel: &'static AtomicBool) {
    let _ = ctrlc::set_handler(move || {
        if cancel.swap(true, std::sync::atomic::Ordering::SeqCst) {
            // A second signal: stop now. Every committed batch is already on disk.
            std::process::exit(130);
        }
    });
}

static CANCEL: AtomicBool = AtomicBool::new(false);

fn run_scan(args: ScanArgs) -> Result<u8> {
    let registry = load_registry(args.signatures.as_deref())?;
    let rules = load_rules(args.rules.as_deref())?;
    let range = parse_range(args.since.as_deref(), args.until.as_deref())?;
    if args.jobs == Some(0) {
        bail!("--jobs must be at least 1");
    }
    let (mut paths, mut urls) = split_sources(&args.paths);
    if let Some(file) = &args.repos_file {
        let (p, u) = read_repos_file(file)?;
        paths.extend(p);
        urls.extend(u);
    }
    let owners: Vec<Owner> = args
        .github_org
        .iter()
        .map(|o| Owner::Org(o.clone()))
        .chain(args.github_user.iter().map(|u| Owner::User(u.clone())))
        .collect();
    if paths.is_empty() && urls.is_empty() && owners.is_empty() {
        paths.push(PathBuf::from("."));
    }
    let token = std::env::var("GITHUB_TOKEN")
        .ok()
        .or_else(|| std::env::var("GH_TOKEN").ok())
        .filter(|t| !t.trim().is_empty());
    let name_match = args
        .name_match
        .as_deref()
        .map(regex::Regex::new)
        .transpose()
        .context("--match is not a valid regular expression")?;
    let clone_dir = match &args.clone_dir {
        Some(d) => d.clone(),
        None => dirs::cache_dir()
            .map(|d| d.join("agentscan").join("clones"))
            .context("no cache folder is known for this user: pass --clone-dir")?,
    };
    let quiet = args.quiet;
    let forge: Option<GitHub> = if !owners.is_empty() || args.github_prs {
        Some(GitHub::new(
            &args.github_api,
            token.clone(),
            Patience::default(),
            // Waits are warnings: --quiet silences them like the others.
            Box::new(move |m: &str| {
                if !quiet {
                    eprintln!("agentscan: {m}")
                }
            }),
        )?)
    } else {
        None
    };
    let opts = ScanOptions {
        paths,
        urls,
        owners,
        remote: RemoteOptions {
            clone_dir,
            token,
            include_forks: args.include_forks,
            include_archived: args.include_archived,
            topics: args.topic.clone(),
            name_match,
            limit: args.limit,
            pull_requests: args.github_prs,
        },
        range,
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        walk: WalkOptions {
            all_branches: args.all_branches,
            stats: match args.stats {
                cli::Stats::None => Stats::None,
                cli::Stats::Paths => Stats::Paths,
                cli::Stats::Lines => Stats::Lines,
            },
        },
        period: period(args.by),
        session_gap: args.session_gap,
        reclassify: args.reclassify,
    };
    let mut store = open_store(&args.db, true)?;
    install_interrupt(&CANCEL);
    let forge_ref: Option<&dyn Forge> = forge.as_ref().map(|f| f as &dyn Forge);
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let outcome = if show_progress {
        let bars = Bars::new();
        let outcome = scan(
            &opts, &registry, &rules, &mut store, forge_ref, &bars, &CANCEL,
        );
        bars.finish();
        outcome
    } else {
        scan(
            &opts,
            &registry,
            &rules,
            &mut store,
            forge_ref,
            &NoProgress,
            &CANCEL,
        )
    }?;

    let mut failed = 0;
    for r in &outcome.repos {
        match &r.status {
            RepoStatus::Failed(msg) => {
                failed += 1;
                eprintln!("agentscan: {msg}");
            }
            RepoStatus::Partial if !args.quiet => eprintln!(
                "agentscan: warning: {}: shallow clone, history is partial (run `git fetch --unshallow` for the full history)",
                r.path.display()
            ),
            _ => {}
        }
    }
    if outcome.interrupted {
        let stored: u64 = outcome.repos.iter().filter_map(|r| r.new).sum();
        eprintln!(
            "agentscan: interrupted: {stored} new commits were stored; run the same scan again to resume"
        );
        return Ok(EXIT_INTERRUPTED);
    }
    if failed == outcome.repos.len() {
        bail!(
            "nothing could be scanned ({} path{} failed)",
            failed,
            if failed == 1 { "" } else { "s" }
        );
    }
    if !args.quiet {
        let new: u64 = outcome.repos.iter().filter_map(|r| r.new).sum();
        let total: u64 = outcome.repos.iter().map(|r| r.commits).sum();
        let mut line = format!(
            "agentscan: {} new commit{} read, {} stored in total ({})",
            new,
            if new == 1 { "" } else { "s" },
            total,
            store_name(&args.db)
        );
        if outcome.reclassified > 0 {
            line.push_str(&format!(
                "; {} stored commits re-evaluated with the current signatures and rules",
                outcome.reclassified
            ));
        }
        eprintln!("{line}");
    }
    let report = Report::build(
        &outcome.aggregate,
        &outcome.repos,
        &registry,
        &Bounds {
            since: args.since.clone(),
            until: args.until.clone(),
            configs: outcome.configs.clone(),
            min_authors: args.privacy.min_authors,
            pseudonyms: pseudonyms(args.privacy.anonymize, Some(&store))?,
        },
    );
    write_output(
        args.output.as_deref(),
        &exporter(format(args.format)).render(&report),
    )?;
    Ok(if failed > 0 { EXIT_PARTIAL } else { 0 })
}

/// Positional sources: URLs (`scheme://…`, `user@host:path`) and local paths.
fn split_sources(args: &[String]) -> (Vec<PathBuf>, Vec<String>) {
    let mut paths = Vec::new();
    let mut urls = Vec::new();
    for a in args {
        if is_url(a) {
            urls.push(a.clone());
        } else {
            paths.push(PathBuf::from(a));
        }
    }
    (paths, urls)
}

fn is_url(s: &str) -> bool {
    if s.contains("://") {
        return true;
    }
    // scp-like `git@host:owner/name`, but not a local path with a colon later on.
    match (s.find('@'), s.find(':'), s.find('/')) {
        (Some(at), Some(colon), slash) => at < colon && slash.is_none_or(|sl| colon < sl),
        _ => false,
    }
}

/// `--repos-file`: one URL or path per line; `#` starts a comment; relative paths are relative to
/// the file's folder.
fn read_repos_file(file: &Path) -> Result<(Vec<PathBuf>, Vec<String>)> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("--repos-file: cannot read {}", file.display()))?;
    let base = file.parent().unwrap_or(Path::new("."));
    let mut paths = Vec::new();
    let mut urls = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if is_url(line) {
            urls.push(line.to_owned());
        } else {
            let p = PathBuf::from(line);
            paths.push(if p.is_absolute() { p } else { base.join(p) });
        }
    }
    Ok((paths, urls))
}

fn store_name(db: &DbArg) -> String {
    Location::resolve(db.db.as_deref(), None).map_or_else(|_| "?".into(), |l| l.display())
}

fn run_report(args: ReportArgs) -> Result<u8> {
    let range = parse_range(args.since.as_deref(), args.until.as_deref())?;
    let store = open_store(&args.db, false)?;
    let repos = store.repositories(&args.repo)?;
    if repos.is_empty() {
        if args.repo.is_empty() {
            bail!(
                "{}: the database holds no repositories yet: run `agentscan scan` first",
                store_name(&args.db)
            );
        }
        bail!(
            "{}: no stored repository is named {}: see the names with `agentscan report`",
            store_name(&args.db),
            args.repo.join(", ")
        );
    }
    let filter = Filter {
        repos: repos.iter().map(|r| r.key.clone()).collect(),
        range,
        agent: args.agent.clone(),
        ..Filter::default()
    };
    let mut aggregate = agentscan::scan::aggregate(&store, &filter, period(args.by))?;
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
            since: args.since.clone(),
            until: args.until.clone(),
            configs: store.configs(&filter)?,
            min_authors: args.privacy.min_authors,
            pseudonyms: pseudonyms(args.privacy.anonymize, Some(&store))?,
        },
    );
    write_output(
        args.output.as_deref(),
        &exporter(format(args.format)).render(&report),
    )?;
    Ok(0)
}

fn run_commits(args: CommitsArgs) -> Result<u8> {
    let range = parse_range(args.since.as_deref(), args.until.as_deref())?;
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

/// `Name <email>` as a pseudonym.
fn anonymized(p: &Pseudonyms, person: &str) -> String {
    let (name, email) = match person.rsplit_once(" <") {
        Some((name, email)) => (name, email.trim_end_matches('>')),
        None => (person, ""),
    };
    let (name, email) = agentscan::privacy::person(Some(p), name, email);
    format!("{name} <{email}>")
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

fn run_signatures(cmd: SignaturesCommand) -> Result<u8> {
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
                ListFormat::Table => list_table(&registry),
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
            let store = open_store(&db, false)?;
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

fn run_rules(cmd: RulesCommand) -> Result<u8> {
    match cmd {
        RulesCommand::Check { file } => {
            Rules::from_file(&file)?;
            write_output(None, &format!("{}: ok\n", file.display()))?;
        }
        RulesCommand::Export => write_output(None, BUILTIN_RULES)?,
    }
    Ok(0)
}

fn run_explain(args: ExplainArgs) -> Result<u8> {
    let (repo, rev) = match args.args.as_slice() {
        [rev] => (std::path::PathBuf::from("."), rev.clone()),
        [repo, rev] => (std::path::PathBuf::from(repo), rev.clone()),
        _ => bail!("usage: agentscan explain [REPO] COMMIT"),
    };
    let registry = load_registry(args.signatures.as_deref())?;
    let rules = load_rules(args.rules.as_deref())?;
    let mut explanation = agentscan::explain::explain(&repo, &rev, &registry, &rules)?;
    if args.anonymize.anonymize {
        // The database's key, when there is a database: the same pseudonyms as its reports.
        let store = match Location::resolve(args.db.db.as_deref(), None)? {
            Location::File(path) if !path.exists() => None,
            _ => Some(open_store(&args.db, false)?),
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

fn list_table(registry: &Registry) -> String {
    use std::fmt::Write as _;
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

/// indicatif progress bars on stderr: repositories, and commits with throughput.
struct Bars {
    multi: MultiProgress,
    repos: ProgressBar,
    commits: ProgressBar,
    /// For walks whose length is known in advance (commit-graph) and for those whose is not.
    known: ProgressStyle,
    unknown: ProgressStyle,
}

impl Bars {
    fn new() -> Self {
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr_with_hz(10));
        let repos = multi.add(ProgressBar::new(0));
        repos.set_style(
            ProgressStyle::with_template("{prefix:>12} {pos}/{len} repositories {wide_msg}")
                .expect("valid template"),
        );
        repos.set_prefix("Scanning");
        let known = ProgressStyle::with_template(
            "{prefix:>12} [{bar:30}] {human_pos}/{human_len} commits ({per_sec}, {eta} left)",
        )
        .expect("valid template")
        .progress_chars("=> ");
        let unknown =
            ProgressStyle::with_template("{prefix:>12} {spinner} {human_pos} commits ({per_sec})")
                .expect("valid template");
        let commits = multi.add(ProgressBar::new(0));
        commits.set_style(unknown.clone());
        commits.set_prefix("Reading");
        repos.enable_steady_tick(Duration::from_millis(200));
        Bars {
            multi,
            repos,
            commits,
            known,
            unknown,
        }
    }

    fn finish(&self) {
        self.commits.finish_and_clear();
        self.repos.finish_and_clear();
        let _ = self.multi.clear();
    }
}

impl Progress for Bars {
    fn repositories(&self, total: usize) {
        self.repos.set_length(total as u64);
    }
    fn repo_started(&self, name: &str, commits: Option<usize>) {
        self.repos.set_message(name.to_owned());
        self.commits.reset();
        match commits {
            Some(n) => {
                self.commits.set_style(self.known.clone());
                self.commits.set_length(n as u64);
            }
            None => self.commits.set_style(self.unknown.clone()),
        }
    }
    fn commits_read(&self, n: usize) {
        self.commits.inc(n as u64);
    }
    fn repo_finished(&self, _name: &str) {
        self.repos.inc(1);
    }
}
