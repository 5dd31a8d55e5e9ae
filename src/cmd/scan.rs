//! `agentscan scan`: sources from the command line, progress bars, the scan, the report.

use super::*;

static CANCEL: AtomicBool = AtomicBool::new(false);

/// Ctrl-C and SIGTERM stop the scan at the next batch; what was written stays.
fn install_interrupt(cancel: &'static AtomicBool) {
    let _ = ctrlc::set_handler(move || {
        if cancel.swap(true, std::sync::atomic::Ordering::SeqCst) {
            // A second signal: stop now. Every committed batch is already on disk.
            std::process::exit(130);
        }
    });
}

pub(crate) fn run_scan(args: ScanArgs) -> Result<u8> {
    // First, so that a signal while the rules and the store load also stops the scan cleanly.
    install_interrupt(&CANCEL);
    let registry = load_registry(args.signatures.as_deref())?;
    let rules = load_rules(args.rules.as_deref(), args.model.as_deref(), args.no_model)?;
    let range = TimeRange::try_from(&args.range)?;
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
    if paths.is_empty() && urls.is_empty() && owners.is_empty() && args.github_search.is_empty() {
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
    let forge: Option<GitHub> =
        if !owners.is_empty() || !args.github_search.is_empty() || args.github_prs {
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
            shallow_since: args.shallow_since.as_ref().map(|d| d.seconds),
        },
        range,
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        walk: WalkOptions {
            all_branches: args.all_branches,
            stats: args.stats,
        },
        period: args.by,
        session_gap: args.session_gap,
        reclassify: args.reclassify,
        shard: args.shard,
        searches: args.github_search.clone(),
        sample: args
            .sample
            .zip(args.seed)
            .map(|(size, seed)| agentscan::scan::SampleSpec { size, seed }),
    };
    let mut store = open_store(&args.db, true)?;
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
            RepoStatus::Partial if !args.quiet && args.shallow_since.is_none() => eprintln!(
                "agentscan: warning: {}: shallow clone, history is partial (run `git fetch --unshallow` for the full history)",
                r.path.display()
            ),
            _ => {}
        }
        if let Some(unreadable) = &r.unreadable
            && !args.quiet
        {
            eprintln!("agentscan: warning: {}: {unreadable}", r.path.display());
        }
    }
    if outcome.interrupted {
        let stored: u64 = outcome.repos.iter().filter_map(|r| r.new).sum();
        eprintln!(
            "agentscan: interrupted: {stored} new commits were stored; run the same scan again to resume"
        );
        return Ok(EXIT_INTERRUPTED);
    }
    if outcome.repos.is_empty()
        && let Some(shard) = args.shard
    {
        // More shards than repositories, or an unlucky hash: an empty shard is not an error.
        if !args.quiet {
            eprintln!("agentscan: shard {shard} holds none of the listed repositories");
        }
    } else if failed == outcome.repos.len() {
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
    let report_filter = Filter {
        repos: outcome.repos.iter().map(|r| r.key.clone()).collect(),
        range,
        ..Filter::default()
    };
    let report = Report::build(
        &outcome.aggregate,
        &outcome.repos,
        &registry,
        &Bounds {
            since: args.range.texts().0,
            until: args.range.texts().1,
            configs: outcome.configs.clone(),
            min_authors: args.privacy.min_authors,
            pseudonyms: pseudonyms(args.privacy.anonymize, Some(&store))?,
            sample: store.sample()?,
            history_since: store.meta("history_since")?,
            scanned_at: Some(jiff::Timestamp::now().as_second()),
            sessions: session_sizes(&store, &report_filter)?,
            mixed_bursts: mixed_bursts(&store, &report_filter, args.session_gap)?,
        },
    );
    write_output(
        args.output.as_deref(),
        &exporter(args.format).render(&report),
    )?;
    Ok(if failed > 0 { EXIT_PARTIAL } else { 0 })
}

/// `--repos-file`: read and split as [`split_repos_list`] says.
fn read_repos_file(file: &Path) -> Result<(Vec<PathBuf>, Vec<String>)> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("--repos-file: cannot read {}", file.display()))?;
    Ok(split_repos_list(
        &text,
        file.parent().unwrap_or(Path::new(".")),
    ))
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
