//! Measure detection against the labelled corpus of `tests/corpus/` (labels decided by reading each
//! commit, never by running agentscan): precision and recall of agent commits per repository, per
//! agent and overall, the class confusion, and every commit where agentscan and the label disagree.
//!
//! ```sh
//! cargo run --release --example eval_detect                  # every repository
//! cargo run --release --example eval_detect -- crush uv      # some of them
//! EVAL_SIGNATURES=mine.toml cargo run --release --example eval_detect   # try edited signatures
//! ```

#[path = "../tests/it/common/corpus.rs"]
mod corpus;

use agentscan::detect::CommitClass;
use agentscan::signatures::Registry;

fn main() {
    let registry = match std::env::var_os("EVAL_SIGNATURES") {
        Some(path) => Registry::builtin_with_overrides(std::path::Path::new(&path))
            .unwrap_or_else(|e| panic!("{e}")),
        None => Registry::builtin(),
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let repos = if args.is_empty() {
        corpus::repositories()
    } else {
        args
    };
    let e = corpus::evaluate(&registry, &repos);

    println!("Agent commits, per repository ({} commits):\n", e.commits);
    println!("| repository | agent commits | found | missed | false | precision | recall |");
    println!("| --- | --: | --: | --: | --: | --: | --: |");
    for (repo, c) in &e.repos {
        println!(
            "| {repo} | {} | {} | {} | {} | {:.3} | {:.3} |",
            c.tp + c.fn_,
            c.tp,
            c.fn_,
            c.fp,
            c.precision(),
            c.recall()
        );
    }
    let o = e.overall;
    println!(
        "| **all** | {} | {} | {} | {} | **{:.3}** | **{:.3}** |",
        o.tp + o.fn_,
        o.tp,
        o.fn_,
        o.fp,
        o.precision(),
        o.recall()
    );

    println!("\nPer agent (commits naming it):\n");
    println!("| agent | labelled | found | missed | false | precision | recall |");
    println!("| --- | --: | --: | --: | --: | --: | --: |");
    for (agent, c) in &e.agents {
        println!(
            "| {agent} | {} | {} | {} | {} | {:.3} | {:.3} |",
            c.tp + c.fn_,
            c.tp,
            c.fn_,
            c.fp,
            c.precision(),
            c.recall()
        );
    }

    println!("\nClasses (label → agentscan):\n");
    let classes = [CommitClass::Agent, CommitClass::Human, CommitClass::Bot];
    println!("| label \\ agentscan | agent | human | bot |");
    println!("| --- | --: | --: | --: |");
    for gold in classes {
        let row: Vec<String> = classes
            .iter()
            .map(|p| e.classes.get(&(gold, *p)).copied().unwrap_or(0).to_string())
            .collect();
        println!("| {} | {} |", gold.as_str(), row.join(" | "));
    }

    println!("\nDisagreements ({}):\n", e.disagreements.len());
    for d in &e.disagreements {
        println!(
            "{} {}  label: {}  agentscan: {}  {:?}{}",
            d.repo,
            &d.id[..12],
            d.gold,
            d.predicted,
            d.subject.chars().take(70).collect::<String>(),
            if d.note.is_empty() {
                String::new()
            } else {
                format!("  # {}", d.note)
            }
        );
        for ev in &d.evidence {
            println!("    {ev}");
        }
    }
}
