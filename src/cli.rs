//! The command line, as clap derive types, and their validation into library options.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use agentscan::model::{CommitClass, Mode};
use agentscan::period::{Period, TimeRange};
use agentscan::report::Format;

/// Measure coding-agent adoption from git history.
#[derive(Debug, Parser)]
#[command(name = "agentscan", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan repositories and report agent adoption month by month.
    Scan(Box<ScanArgs>),
    /// Re-make a report from the store, without touching git.
    Report(ReportArgs),
    /// List stored commits: the commits behind a number.
    Commits(CommitsArgs),
    /// Show everything agentscan concludes about one commit, and why.
    Explain(ExplainArgs),
    /// List, check or export the agent signature registry.
    #[command(subcommand)]
    Signatures(SignaturesCommand),
    /// Check or export the work-mode rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Merge stores (the shards of a scan) into one new store.
    Merge(MergeArgs),
    /// Write the store's tables as Parquet, NDJSON or CSV files for DuckDB, Spark or BigQuery.
    Export(ExportArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff; `agentscan man | man -l -` shows it), or write one page per
    /// command into a folder.
    Man {
        /// Write agentscan.1, agentscan-scan.1, … into DIR instead.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub db: StoresArg,

    /// File format.
    #[arg(long, short = 'f', value_enum, default_value = "parquet")]
    pub format: agentscan::export::ExportFormat,

    /// The folder to write (new, or empty): one file per table.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: PathBuf,

    /// Split tables with a time into one file per month (Hive layout: `commits/month=2026-01/`).
    #[arg(long, value_enum, default_value = "none")]
    pub partition: agentscan::export::Partition,

    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The store to write; it must not exist yet.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: PathBuf,

    /// The stores to merge.
    #[arg(value_name = "STORE", required = true, num_args = 1..)]
    pub stores: Vec<PathBuf>,

    /// Longest pause within a session, in seconds, when the stores must be evaluated again.
    #[arg(long, value_name = "SECONDS", default_value_t = agentscan::session::DEFAULT_GAP)]
    pub session_gap: i64,

    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Privacy options of every command that prints people or numbers about them.
#[derive(Debug, Args, Clone, Default)]
pub struct PrivacyArgs {
    /// Hide every number backed by fewer than K distinct authors (and the per-person table).
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(1..), help_heading = "Privacy")]
    pub min_authors: Option<u64>,

    /// Replace author names and emails with stable pseudonyms (key: AGENTSCAN_ANONYMIZE_KEY, else
    /// one kept in the database).
    #[arg(long, help_heading = "Privacy")]
    pub anonymize: bool,
}

/// `--anonymize` alone, for commands that list commits.
#[derive(Debug, Args, Clone, Default)]
pub struct AnonymizeArg {
    /// Replace author names and emails with stable pseudonyms (key: AGENTSCAN_ANONYMIZE_KEY, else
    /// one kept in the database).
    #[arg(long)]
    pub anonymize: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The repository (default: the current one) and the commit (any revision: a hash, HEAD~2, a branch).
    #[arg(value_name = "[REPO] COMMIT", num_args = 1..=2, required = true)]
    pub args: Vec<String>,

    /// Add or override agent signatures from a TOML file.
    #[arg(long, value_name = "FILE")]
    pub signatures: Option<PathBuf>,

    /// Replace the work-mode rules with a TOML file.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,

    /// Another learned work-mode model in place of the built-in one (see docs/modes-model.md).
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,

    /// Decide work modes by the rules alone, without the learned model.
    #[arg(long, conflicts_with = "model")]
    pub no_model: bool,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: ExplainFormat,

    #[command(flatten)]
    pub anonymize: AnonymizeArg,

    #[command(flatten)]
    pub db: StoresArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Validate a rules file.
    Check {
        /// The TOML file to check.
        file: PathBuf,
    },
    /// Print the built-in rules as TOML, a starting point for your own file.
    Export,
}

/// `2h`, `90m`, `45s`, `1d` or plain seconds.
fn parse_duration(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let (num, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, "s"),
    };
    let n: i64 = num
        .parse()
        .map_err(|_| format!("invalid duration {s:?}: use a number with s, m, h or d (e.g. 2h)"))?;
    let factor = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => {
            return Err(format!(
                "invalid duration {s:?}: use a number with s, m, h or d (e.g. 2h)"
            ));
        }
    };
    n.checked_mul(factor)
        .filter(|&v| v > 0)
        .ok_or_else(|| format!("invalid duration {s:?}: must be positive"))
}

/// The dates a command looks at, shared by every command that takes them.
#[derive(Debug, Args, Clone, Default)]
pub struct RangeArgs {
    /// Only commits authored on or after this date (YYYY-MM-DD or YYYY-MM), UTC.
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    pub since: Option<DateArg>,

    /// Only commits authored on or before this date (YYYY-MM-DD or YYYY-MM, inclusive), UTC.
    #[arg(long, value_name = "DATE", value_parser = parse_until)]
    pub until: Option<DateArg>,
}

/// A date as given (reports repeat it) and the instant it stands for.
#[derive(Debug, Clone)]
pub struct DateArg {
    pub text: String,
    pub seconds: i64,
}

fn parse_since(s: &str) -> Result<DateArg, String> {
    Ok(DateArg {
        text: s.to_owned(),
        seconds: agentscan::period::parse_date_start(s)?,
    })
}

fn parse_until(s: &str) -> Result<DateArg, String> {
    Ok(DateArg {
        text: s.to_owned(),
        seconds: agentscan::period::parse_date_end(s)?,
    })
}

impl RangeArgs {
    /// The dates as given, for the report's header.
    pub fn texts(&self) -> (Option<String>, Option<String>) {
        let text = |d: &Option<DateArg>| d.as_ref().map(|d| d.text.clone());
        (text(&self.since), text(&self.until))
    }
}

impl TryFrom<&RangeArgs> for TimeRange {
    type Error = anyhow::Error;

    fn try_from(args: &RangeArgs) -> anyhow::Result<TimeRange> {
        let range = TimeRange {
            since: args.since.as_ref().map(|d| d.seconds),
            until: args.until.as_ref().map(|d| d.seconds),
        };
        if let (Some(s), Some(u)) = (range.since, range.until)
            && s >= u
        {
            anyhow::bail!("--since must be before --until");
        }
        Ok(range)
    }
}

/// Where the store is.
#[derive(Debug, Args, Clone)]
pub struct DbArg {
    /// The scan database (default: the user cache folder; `:memory:` keeps nothing).
    #[arg(long, value_name = "FILE", env = "AGENTSCAN_DB")]
    pub db: Option<String>,
}

/// The stores a report reads: one, or several read as one (the shards of a scan).
#[derive(Debug, Args, Clone)]
pub struct StoresArg {
    /// The scan database (default: the user cache folder). Repeat to read several stores as
    /// one, as the shards of a `scan --shard` give them.
    #[arg(long, value_name = "FILE", env = "AGENTSCAN_DB")]
    pub db: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub db: StoresArg,

    /// Only these repositories (name or path; repeatable).
    #[arg(long, value_name = "REPO")]
    pub repo: Vec<String>,

    /// Only this agent's commits count as agent commits; other agents' commits are left out.
    #[arg(long, value_name = "AGENT")]
    pub agent: Option<String>,

    #[command(flatten)]
    pub range: RangeArgs,

    /// Bucket length.
    #[arg(long, value_enum, default_value = "month")]
    pub by: Period,

    /// Report format.
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    pub format: Format,

    /// Write the report to FILE instead of stdout (`-` means stdout).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub privacy: PrivacyArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormatCsv {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct CommitsArgs {
    #[command(flatten)]
    pub db: StoresArg,

    /// Only commits this agent took part in.
    #[arg(long, value_name = "AGENT")]
    pub agent: Option<String>,

    /// Only commits of this work mode (build, fix, test, orchestrate, operate, understand, plan, analyze, communicate).
    #[arg(long, value_name = "MODE", value_parser = str::parse::<Mode>)]
    pub mode: Option<Mode>,

    /// Only commits of this class.
    #[arg(long, value_enum)]
    pub class: Option<CommitClass>,

    /// Only these repositories (name or path; repeatable).
    #[arg(long, value_name = "REPO")]
    pub repo: Vec<String>,

    #[command(flatten)]
    pub range: RangeArgs,

    /// At most this many commits, newest first.
    #[arg(long, value_name = "N", default_value = "50")]
    pub limit: usize,

    /// List merge commits too (they never count in shares).
    #[arg(long)]
    pub merges: bool,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    pub format: ListFormatCsv,

    /// Write to FILE instead of stdout (`-` means stdout).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub anonymize: AnonymizeArg,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub db: DbArg,

    /// Re-evaluate every stored commit with the current signatures and rules (done automatically
    /// when they or agentscan's version change).
    #[arg(long, help_heading = "Detection")]
    pub reclassify: bool,

    /// Repositories (work trees or bare), folders searched for repositories, or repository URLs
    /// (any git host) to clone (default: the current repository).
    #[arg(value_name = "PATH|URL")]
    pub paths: Vec<String>,

    /// Scan every repository a GitHub search matches (repeatable; any qualifiers, e.g.
    /// "language:rust stars:>10 pushed:>2026-01-01"). Split by creation date past 1,000 results.
    #[arg(long, value_name = "QUERY", help_heading = "Remote sources")]
    pub github_search: Vec<String>,

    /// Scan a uniform random sample of N of the listed repositories (then --shard splits the
    /// sample); the report gives 95% intervals and says how the sample was drawn.
    #[arg(long, value_name = "N", requires = "seed", value_parser = clap::value_parser!(u64).range(1..), help_heading = "Selection")]
    pub sample: Option<u64>,

    /// The seed of --sample: the same seed draws the same repositories, whatever the listing order.
    #[arg(
        long,
        value_name = "S",
        requires = "sample",
        help_heading = "Selection"
    )]
    pub seed: Option<u64>,

    /// Clone and fetch only the history since DATE (YYYY-MM-DD or YYYY-MM): public samples of
    /// thousands of repositories stay cheap; the report says history before DATE was not read.
    #[arg(long, value_name = "DATE", value_parser = parse_since, help_heading = "Remote sources")]
    pub shallow_since: Option<DateArg>,

    /// Scan every repository of this GitHub organisation (repeatable).
    #[arg(long, value_name = "ORG", help_heading = "Remote sources")]
    pub github_org: Vec<String>,

    /// Scan every repository of this GitHub user (repeatable).
    #[arg(long, value_name = "USER", help_heading = "Remote sources")]
    pub github_user: Vec<String>,

    /// Scan the repositories listed in FILE: one URL or path per line, `#` starts a comment.
    #[arg(long, value_name = "FILE", help_heading = "Remote sources")]
    pub repos_file: Option<PathBuf>,

    /// List forks too.
    #[arg(long, help_heading = "Remote sources")]
    pub include_forks: bool,

    /// List archived repositories too.
    #[arg(long, help_heading = "Remote sources")]
    pub include_archived: bool,

    /// Only repositories with this topic (repeatable: all of them).
    #[arg(long, value_name = "TOPIC", help_heading = "Remote sources")]
    pub topic: Vec<String>,

    /// Only repositories whose name matches this regular expression.
    #[arg(long = "match", value_name = "REGEX", help_heading = "Remote sources")]
    pub name_match: Option<String>,

    /// At most N repositories per organisation or user.
    #[arg(long, value_name = "N", help_heading = "Remote sources")]
    pub limit: Option<usize>,

    /// Also read pull requests (author, head branch, body, labels) and credit agent pull requests'
    /// merge commits to their agents.
    #[arg(long, help_heading = "Remote sources")]
    pub github_prs: bool,

    /// The GitHub API to use (GitHub Enterprise: https://HOST/api/v3).
    #[arg(long, value_name = "URL", default_value = agentscan::source::github::DEFAULT_API, help_heading = "Remote sources")]
    pub github_api: String,

    /// Where bare clones of remote repositories are kept (default: the user cache folder).
    #[arg(long, value_name = "DIR", help_heading = "Remote sources")]
    pub clone_dir: Option<PathBuf>,

    #[command(flatten, next_help_heading = "Selection")]
    pub range: RangeArgs,

    /// Scan only shard K of N (K from 0): the repositories whose key hashes to K, once sources
    /// are listed. Run N scans, one per shard, each into its own --db, then report over them all
    /// (`--db` repeated) or `agentscan merge` them.
    #[arg(long, value_name = "K/N", value_parser = str::parse::<agentscan::scan::Shard>, help_heading = "Selection")]
    pub shard: Option<agentscan::scan::Shard>,

    /// Walk every local branch, not only HEAD.
    #[arg(long, help_heading = "Selection")]
    pub all_branches: bool,

    /// How much of each commit's diff to read.
    #[arg(long, value_enum, default_value = "lines", help_heading = "Selection")]
    pub stats: agentscan::model::Stats,

    /// Add or override agent signatures from a TOML file (same format as `signatures export`).
    #[arg(long, value_name = "FILE", help_heading = "Detection")]
    pub signatures: Option<PathBuf>,

    /// Replace the work-mode rules with a TOML file (same format as `rules export`).
    #[arg(long, value_name = "FILE", help_heading = "Detection")]
    pub rules: Option<PathBuf>,

    /// Another learned work-mode model in place of the built-in one (see docs/modes-model.md).
    #[arg(long, value_name = "FILE", help_heading = "Detection")]
    pub model: Option<PathBuf>,

    /// Decide work modes by the rules alone, without the learned model.
    #[arg(long, conflicts_with = "model", help_heading = "Detection")]
    pub no_model: bool,

    /// Longest pause between two commits of one session (e.g. 2h, 90m, 3600s).
    #[arg(long, value_name = "DURATION", default_value = "2h", value_parser = parse_duration, help_heading = "Detection")]
    pub session_gap: i64,

    /// Report format.
    #[arg(
        long,
        short = 'f',
        value_enum,
        default_value = "table",
        help_heading = "Output"
    )]
    pub format: Format,

    /// Write the report to FILE instead of stdout (`-` means stdout).
    #[arg(long, short = 'o', value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,

    /// Bucket length of the report.
    #[arg(long, value_enum, default_value = "month", help_heading = "Output")]
    pub by: Period,

    /// Worker threads (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N", help_heading = "Performance")]
    pub jobs: Option<usize>,

    #[command(flatten)]
    pub privacy: PrivacyArgs,

    /// No progress bars and no warnings; errors are still printed.
    #[arg(long, short = 'q', help_heading = "Output")]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum SignaturesCommand {
    /// List every agent and bot the registry knows.
    List {
        /// Also load this file on top of the built-in registry.
        #[arg(long, value_name = "FILE")]
        signatures: Option<PathBuf>,
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value = "table")]
        format: ListFormat,
    },
    /// Validate a signature file; errors name the line and the entry.
    Check {
        /// The TOML file to check.
        file: PathBuf,
    },
    /// Print the built-in registry as TOML, a starting point for your own file.
    Export,
    /// List identities and trailer credits in scanned histories that the registry does not know
    /// but that look like agents or automation, most likely first: what to add with
    /// `--signatures`. Reads the store; scan the repositories first.
    Discover {
        /// Only these scanned repositories (a path, or a name as reports show it); all when none.
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        db: StoresArg,
        /// Also load this file on top of the built-in registry: what it adds is no longer listed.
        #[arg(long, value_name = "FILE")]
        signatures: Option<PathBuf>,
        /// Show at most this many candidates.
        #[arg(long, value_name = "N", default_value_t = 50)]
        limit: usize,
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value = "table")]
        format: ListFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}
