//! The deployment recipes stay true: every agentscan command they run uses flags the binary has,
//! and each recipe's number of shards agrees with itself. (`.ci/run` also validates the workflow
//! and the action against GitHub's schemas.)

use std::path::Path;

use assert_cmd::Command;
use regex::Regex;

fn recipe(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The long flags of `agentscan SUBCOMMAND`.
fn flags(sub: &str) -> Vec<String> {
    let out = Command::cargo_bin("agentscan")
        .unwrap()
        .args([sub, "--help"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    Regex::new(r"--[a-z][a-z-]+")
        .unwrap()
        .find_iter(&text)
        .map(|m| m.as_str().to_owned())
        .collect()
}

/// Every `agentscan SUB … --flag` of a recipe, shell continuation lines joined.
fn commands(text: &str) -> Vec<(String, Vec<String>)> {
    let joined = text.replace("\\\n", " ");
    let command = Regex::new(r"agentscan (scan|report|merge|export|commits)\b([^\n]*)").unwrap();
    let flag = Regex::new(r"--[a-z][a-z-]+").unwrap();
    command
        .captures_iter(&joined)
        .map(|c| {
            let flags = flag
                .find_iter(&c[2])
                .map(|m| m.as_str().to_owned())
                .collect();
            (c[1].to_owned(), flags)
        })
        .collect()
}

#[test]
fn recipes_use_flags_the_binary_has() {
    let mut checked = 0;
    for path in [
        "deploy/kubernetes/agentscan-scan.yaml",
        "deploy/kubernetes/agentscan-report.yaml",
        "deploy/github-actions/agentscan-shards.yml",
        "deploy/Dockerfile",
    ] {
        for (sub, used) in commands(&recipe(path)) {
            let known = flags(&sub);
            for f in used {
                assert!(known.contains(&f), "{path}: agentscan {sub} has no {f}");
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 20,
        "only {checked} flags found: is the pattern still right?"
    );
}

#[test]
fn each_recipe_agrees_on_its_number_of_shards() {
    let job = recipe("deploy/kubernetes/agentscan-scan.yaml");
    let number = |re: &str, text: &str| -> u64 {
        Regex::new(re).unwrap().captures(text).unwrap()[1]
            .parse()
            .unwrap()
    };
    let n = number(r"completions: (\d+)", &job);
    assert_eq!(number(r"parallelism: (\d+)", &job), n);
    assert_eq!(number(r#"AGENTSCAN_SHARDS\s+value: "(\d+)""#, &job), n);
    assert!(job.contains("completionMode: Indexed"));
    assert!(job.contains(r#"--shard "$k/$AGENTSCAN_SHARDS""#));
    let workflow = recipe("deploy/github-actions/agentscan-shards.yml");
    let shards = number(r"SHARDS: (\d+)", &workflow);
    let matrix = Regex::new(r"shard: \[([0-9, ]+)\]")
        .unwrap()
        .captures(&workflow)
        .unwrap()[1]
        .split(',')
        .map(|s| s.trim().parse::<u64>().unwrap())
        .collect::<Vec<_>>();
    assert_eq!(matrix, (0..shards).collect::<Vec<_>>());
}
