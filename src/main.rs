//! The agentscan binary: parse the command line, dispatch to a command, exit with its code.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

// Every commit allocates its message, names and evidence on a worker thread and frees them on the
// writer thread; glibc's allocator spends a tenth of a scan on that hand-over, mimalloc far less.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { cmd::EXIT_FATAL } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Scan(args) => cmd::run_scan(*args),
        Command::Report(args) => cmd::run_report(args),
        Command::Commits(args) => cmd::run_commits(args),
        Command::Signatures(c) => cmd::run_signatures(c),
        Command::Rules(c) => cmd::run_rules(c),
        Command::Explain(args) => cmd::run_explain(args),
        Command::Merge(args) => cmd::run_merge(args),
        Command::Export(args) => cmd::run_export(args),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "agentscan", &mut std::io::stdout());
            Ok(0)
        }
        Command::Man { dir } => cmd::run_man(dir.as_deref()),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("agentscan: {err:#}");
            ExitCode::from(cmd::EXIT_FATAL)
        }
    }
}

/// A closed pipe (`agentscan report | head`) is how a reader says it has read enough.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
