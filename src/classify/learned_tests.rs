//! The learned model's tests: model files, silver labels, and who decides between the rules
//! and the model.

use super::*;
use crate::classify::RuleKind;
use crate::model::FileStatus;

fn file(weights: &str) -> String {
    format!(
        r#"{{"version":1,"modes":["build","fix","test","orchestrate","operate","understand","plan","analyze","communicate"],"bias":[0,0,0,0,0,0,0,0,0],"weights":{weights}}}"#
    )
}

#[test]
fn model_files_are_checked_and_errors_name_the_file() {
    let ok = Model::parse(&file(r#"[["s:crash",[0,2,0,0,0,0,0,0,0]]]"#), "m.json").unwrap();
    assert_eq!(
        ok.predict_features(&[("s:crash".into(), 1.0)], Mode::Build)
            .0,
        Mode::Fix
    );
    let e = Model::parse("{not json", "broken.json")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("broken.json: not a work-mode model"), "{e}");
    let e = Model::parse(r#"{"version":7}"#, "old.json")
        .unwrap_err()
        .to_string();
    assert!(e.contains("old.json: model format 7"), "{e}");
    let e = Model::parse(&file(r#"[["s:x",[1,2]]]"#), "short.json")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("short.json") && e.contains("2 weights, expected 9"),
        "{e}"
    );
    let e = Model::from_file(Path::new("/nonexistent/model.json"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("/nonexistent/model.json"), "{e}");
}

#[test]
fn silver_labels_follow_the_type_table() {
    assert_eq!(
        silver_label("fix: crash on empty input"),
        Some((Mode::Fix, "crash on empty input"))
    );
    assert_eq!(
        silver_label("feat(cli)!: add --x"),
        Some((Mode::Build, "add --x"))
    );
    assert_eq!(
        silver_label("ci: cache cargo"),
        Some((Mode::Operate, "cache cargo"))
    );
    assert_eq!(
        silver_label("docs: typo"),
        Some((Mode::Communicate, "typo"))
    );
    assert_eq!(silver_label("chore: bump"), None);
    assert_eq!(
        silver_label("fix(ci): flaky job"),
        None,
        "the scope names another mode"
    );
    assert_eq!(silver_label("Fix the crash"), None);
}

pub(in crate::classify) fn record(message: &str, path: &str) -> CommitRecord {
    let person = crate::model::Person {
        name: "a".into(),
        email: "a@example.com".into(),
        time: 1_767_225_600,
        offset: 0,
    };
    CommitRecord {
        id: crate::model::Oid::null(),
        tree: crate::model::Oid::empty_tree(),
        parents: Vec::new(),
        author: person.clone(),
        committer: person,
        message: message.into(),
        files: Some(vec![crate::model::FileChange {
            path: path.into(),
            old_path: None,
            status: FileStatus::Modified,
            lines: Some((5, 5)),
            binary: false,
        }]),
        attestations: Vec::new(),
    }
}

/// With a model, the model decides where the rules guess, and says why; a conventional type
/// and paths that leave no doubt stay the rules'. The model is part of the digest.
#[test]
fn a_model_decides_where_the_rules_guess() {
    let model = Model::parse(&file(r#"[["s:zebra",[0,0,0,0,0,0,9,0,0]]]"#), "m").unwrap();
    let plain = crate::classify::Rules::builtin_rules_only();
    let with = crate::classify::Rules::builtin().with_model(model);
    assert_ne!(plain.digest(), with.digest());
    let guess = record("Zebra the parser", "src/parse.rs");
    assert_ne!(crate::classify::classify(&guess, &plain).mode, Mode::Plan);
    let mut d = crate::classify::classify(&guess, &with);
    assert_eq!(d.mode, Mode::Plan);
    // A scan keeps no explanation; `explain` names the features.
    let hit = d.rules.iter().find(|h| h.kind == RuleKind::Model).unwrap();
    assert!(hit.detail.is_empty());
    crate::classify::explain_model(&guess, &with, &mut d);
    let hit = d.rules.iter().find(|h| h.kind == RuleKind::Model).unwrap();
    assert!(hit.detail.starts_with("s:zebra +"), "{}", hit.detail);
    let typed = record("feat: zebra the parser", "src/parse.rs");
    assert_eq!(crate::classify::classify(&typed, &with).mode, Mode::Build);
    let ci = record("Zebra the pipeline", ".github/workflows/ci.yml");
    assert_eq!(crate::classify::classify(&ci, &with).mode, Mode::Operate);
}

/// Code takes its mode from the words, so a share it makes is not the paths deciding: "Release
/// the GIL" in a source file is the model's to read, a release of CI files alone stays Operate.
#[test]
fn words_that_pull_code_along_do_not_decide() {
    let model = Model::parse(&file(r#"[["s:zebra",[0,9,0,0,0,0,0,0,0]]]"#), "m").unwrap();
    let plain = crate::classify::Rules::builtin_rules_only();
    let with = crate::classify::Rules::builtin().with_model(model);
    let mode = |message: &str, path: &str, rules: &crate::classify::Rules| {
        crate::classify::classify(&record(message, path), rules).mode
    };
    let release = "Release the zebra";
    assert_eq!(mode(release, "src/lock.rs", &plain), Mode::Operate);
    assert_eq!(mode(release, "src/lock.rs", &with), Mode::Fix);
    assert_eq!(
        mode(release, ".github/workflows/ci.yml", &with),
        Mode::Operate
    );
    assert_eq!(mode(release, "docs/ci.md", &with), Mode::Communicate);
}

/// Words may make a change to code Communicate (a docstring is prose for people), but never
/// Test: tests added for a fix with most lines in code stay the code's.
#[test]
fn only_test_needs_its_own_lines() {
    let model = Model::parse(
        &file(r#"[["s:docstrings",[0,0,0,0,0,0,0,0,9]],["s:tests",[0,0,9,0,0,0,0,0,0]]]"#),
        "m",
    )
    .unwrap();
    let with = crate::classify::Rules::builtin().with_model(model);
    let docs = record("Clarify docstrings", "src/parse.rs");
    assert_eq!(
        crate::classify::classify(&docs, &with).mode,
        Mode::Communicate
    );
    let tests = record("More tests", "src/parse.rs");
    let d = crate::classify::classify(&tests, &with);
    assert!(d.rules.iter().any(|h| h.kind == RuleKind::Model));
    assert_ne!(d.mode, Mode::Test);
}

/// The built-in model loads, says what it was trained on, and leaves to the rules the modes
/// no silver label names.
#[test]
fn the_built_in_model_loads_and_leaves_unlearned_modes_to_the_rules() {
    let file: ModelFile = serde_json::from_str(BUILTIN_MODEL).unwrap();
    assert!(file.trained_on.len() >= 20, "{:?}", file.trained_on);
    assert!(builtin().digest().len() == 16);
    let rules = crate::classify::Rules::builtin();
    assert!(rules.has_model());
    assert!(!rules.clone().without_model().has_model());
    assert_eq!(
        rules.clone().without_model().digest(),
        crate::classify::Rules::builtin_rules_only().digest()
    );
    let agents = record("Add agent guidance", "AGENTS.md");
    let mut two = agents.clone();
    two.files.as_mut().unwrap().push(crate::model::FileChange {
        path: ".gitignore".into(),
        old_path: None,
        status: FileStatus::Modified,
        lines: Some((1, 0)),
        binary: false,
    });
    let d = crate::classify::classify(&two, &rules);
    assert_eq!(d.mode, Mode::Orchestrate);
    assert!(d.rules.iter().all(|h| h.kind != RuleKind::Model));
}

/// A bot's type is its configuration: its commits give no silver label. People's and agents'
/// commits do, whoever co-authored them.
#[test]
fn bots_type_no_silver_labels() {
    let registry = crate::signatures::Registry::builtin();
    let as_author = |name: &str, email: &str, message: &str| {
        let mut r = record(message, "package.json");
        r.author.name = name.into();
        r.author.email = email.into();
        r.committer = r.author.clone();
        typed_by_author(&r, &registry)
    };
    assert!(!as_author(
        "renovate[bot]",
        "29139614+renovate[bot]@users.noreply.github.com",
        "build: update dependency undici to v8"
    ));
    assert!(!as_author(
        "dependabot[bot]",
        "49699333+dependabot[bot]@users.noreply.github.com",
        "fix: bump serde from 1.0.200 to 1.0.201"
    ));
    assert!(as_author(
        "Ann Lee",
        "ann@example.com",
        "build: update dependency undici to v8"
    ));
    assert!(as_author(
        "Copilot",
        "198982749+Copilot@users.noreply.github.com",
        "fix: handle an empty config"
    ));
    assert!(as_author(
        "Ann Lee",
        "ann@example.com",
        "fix: handle an empty config\n\nCo-authored-by: Claude <noreply@anthropic.com>"
    ));
}

/// A change to manifests and lockfiles alone is the rules' to decide, by its words: silver
/// labels never teach the model a dependency bump, whatever it would say.
#[test]
fn dependency_bumps_are_the_rules() {
    let model = Model::parse(&file(r#"[["s:serde",[0,0,0,0,0,0,9,0,0]]]"#), "m").unwrap();
    let with = crate::classify::Rules::builtin().with_model(model);
    let mode = |message: &str, path: &str| {
        let d = crate::classify::classify(&record(message, path), &with);
        (d.mode, d.rules.iter().any(|h| h.kind == RuleKind::Model))
    };
    assert_eq!(
        mode("Bump serde to 1.0.200", "Cargo.toml"),
        (Mode::Build, false)
    );
    assert_eq!(
        mode("Bump serde to 1.0.200", "Cargo.lock"),
        (Mode::Build, false)
    );
    assert_eq!(
        mode("Pin serde to avoid the parse crash", "Cargo.toml"),
        (Mode::Fix, false)
    );
    // The same words on code are the model's.
    assert_eq!(
        mode("Bump serde to 1.0.200", "src/lib.rs"),
        (Mode::Plan, true)
    );
}
