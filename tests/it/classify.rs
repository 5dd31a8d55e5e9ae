//! The work-mode classifier on realistic messages and path sets: every mode, and every edge case of
//! the work-modes table.

use agentscan::classify::{Mode, Rules, classify, conventional_type};
use agentscan::model::{CommitRecord, FileChange, FileStatus, Person};

fn person() -> Person {
    Person {
        name: "Ann".into(),
        email: "ann@example.com".into(),
        time: 1_767_225_600,
        offset: 0,
    }
}

/// Files as `(path, status, added, deleted)`; status A, M, D.
fn record(message: &str, files: &[(&str, char, u32, u32)]) -> CommitRecord {
    CommitRecord {
        id: agentscan::model::Oid::null(),
        tree: agentscan::model::Oid::empty_tree(),
        parents: vec![agentscan::model::Oid::null()],
        author: person(),
        committer: person(),
        message: message.into(),
        files: Some(
            files
                .iter()
                .map(|&(path, status, a, d)| FileChange {
                    path: path.into(),
                    old_path: None,
                    status: match status {
                        'A' => FileStatus::Added,
                        'D' => FileStatus::Deleted,
                        _ => FileStatus::Modified,
                    },
                    lines: Some((a, d)),
                    binary: false,
                })
                .collect(),
        ),
        attestations: Vec::new(),
    }
}

/// The mode a scan decides: the built-in rules with the built-in learned model.
fn mode(message: &str, files: &[(&str, char, u32, u32)]) -> Mode {
    classify(&record(message, files), &Rules::builtin()).mode
}

/// The mode the built-in rules decide alone (`--no-model`).
fn rules_mode(message: &str, files: &[(&str, char, u32, u32)]) -> Mode {
    classify(&record(message, files), &Rules::builtin_rules_only()).mode
}

#[test]
fn build_feature_in_new_files() {
    assert_eq!(
        mode(
            "Add CSV export to the report command",
            &[
                ("src/report/csv.rs", 'A', 140, 0),
                ("src/report/mod.rs", 'M', 6, 1)
            ]
        ),
        Mode::Build
    );
    assert_eq!(
        mode(
            "feat(api): paginate list endpoint",
            &[("src/api.rs", 'M', 30, 4)]
        ),
        Mode::Build
    );
    assert_eq!(
        mode(
            "refactor: extract the trailer parser",
            &[
                ("src/message.rs", 'A', 120, 0),
                ("src/detect.rs", 'M', 10, 110)
            ]
        ),
        Mode::Build
    );
}

#[test]
fn fix_by_type_by_words_and_by_shape() {
    assert_eq!(
        mode(
            "fix: close the file on error",
            &[("src/upload.rs", 'M', 3, 1)]
        ),
        Mode::Fix
    );
    assert_eq!(
        mode(
            "Crash when the config file is empty",
            &[("src/config.rs", 'M', 4, 2)]
        ),
        Mode::Fix
    );
    // No words either way: a tiny in-place edit of code reads as a fix.
    assert_eq!(
        mode("Off by one in page size", &[("src/api.rs", 'M', 1, 1)]),
        Mode::Fix
    );
}

#[test]
fn tests_added_with_a_fix_are_fix() {
    assert_eq!(
        mode(
            "Fix parser crash on empty input",
            &[
                ("src/parser.rs", 'M', 6, 2),
                ("tests/parser.rs", 'M', 40, 0)
            ]
        ),
        Mode::Fix
    );
    // "add tests for parser fix" with most lines in src/ is Fix too.
    assert_eq!(
        mode(
            "Add tests for parser fix",
            &[
                ("src/parser.rs", 'M', 30, 12),
                ("tests/parser.rs", 'M', 10, 0)
            ]
        ),
        Mode::Fix
    );
}

#[test]
fn test_only_changes_are_test() {
    assert_eq!(
        mode(
            "Cover resumable uploads",
            &[
                ("tests/upload.rs", 'A', 80, 0),
                ("tests/fixtures/big.bin", 'A', 0, 0)
            ]
        ),
        Mode::Test
    );
    assert_eq!(
        mode(
            "test: add property tests",
            &[("src/lib_test.go", 'A', 50, 0)]
        ),
        Mode::Test
    );
    assert_eq!(
        mode("Add spec", &[("web/src/App.test.tsx", 'A', 25, 0)]),
        Mode::Test
    );
}

#[test]
fn typo_fix_in_readme_only_is_communicate() {
    assert_eq!(
        mode("fix typo in README", &[("README.md", 'M', 1, 1)]),
        Mode::Communicate
    );
    assert_eq!(
        mode("fix: typo in README", &[("README.md", 'M', 1, 1)]),
        Mode::Communicate
    );
    assert_eq!(
        mode(
            "docs: explain the cache layout",
            &[("docs/cache.md", 'A', 60, 0), ("src/cache.rs", 'M', 8, 0)]
        ),
        Mode::Communicate
    );
}

#[test]
fn ci_only_change_is_operate() {
    assert_eq!(
        mode(
            "Fix CI on macOS",
            &[(".github/workflows/ci.yml", 'M', 4, 2)]
        ),
        Mode::Operate
    );
    assert_eq!(
        mode(
            "ci: cache cargo registry",
            &[(".github/workflows/ci.yml", 'M', 10, 0)]
        ),
        Mode::Operate
    );
    assert_eq!(
        mode(
            "Containerise the service",
            &[("Dockerfile", 'A', 20, 0), ("deploy/k8s.yaml", 'A', 40, 0)]
        ),
        Mode::Operate
    );
    // Every build system's files are build scaffolding, as a Makefile is; so are the toolchain
    // and package-manager settings beside them.
    for files in [
        &[
            ("packages/cli/BUILD.bazel", 'M', 6, 2),
            ("tools/defaults.bzl", 'M', 9, 3),
        ][..],
        &[("WORKSPACE", 'M', 3, 1), (".bazelversion", 'M', 1, 1)],
        &[("justfile", 'M', 5, 0)],
        &[("build.zig", 'M', 12, 4)],
        &[(".nvmrc", 'M', 1, 1), (".npmrc", 'M', 2, 0)],
        &[("rust-toolchain.toml", 'M', 1, 1)],
    ] {
        assert_eq!(
            mode("use the new output layout", files),
            Mode::Operate,
            "{files:?}"
        );
    }
}

#[test]
fn version_bump_is_operate() {
    assert_eq!(
        mode(
            "Bump version to 1.4.0",
            &[("Cargo.toml", 'M', 1, 1), ("Cargo.lock", 'M', 1, 1)]
        ),
        Mode::Operate
    );
    assert_eq!(
        mode(
            "chore(release): 1.4.0",
            &[
                ("package.json", 'M', 1, 1),
                (".release-please-manifest.json", 'M', 1, 1)
            ]
        ),
        Mode::Operate
    );
    // A changelog is prose for people, even in a release commit that is mostly changelog.
    assert_eq!(
        mode(
            "chore(release): 1.4.0",
            &[("package.json", 'M', 1, 1), ("CHANGELOG.md", 'M', 12, 0)]
        ),
        Mode::Communicate
    );
}

#[test]
fn notebook_only_change_is_analyze() {
    assert_eq!(
        mode(
            "Explore retention by cohort",
            &[("notebooks/retention.ipynb", 'A', 400, 0)]
        ),
        Mode::Analyze
    );
}

#[test]
fn agents_md_change_is_orchestrate() {
    assert_eq!(
        mode(
            "Tell agents to run clippy before committing",
            &[("AGENTS.md", 'M', 3, 0)]
        ),
        Mode::Orchestrate
    );
    assert_eq!(
        mode("docs: update CLAUDE.md", &[("CLAUDE.md", 'M', 12, 4)]),
        Mode::Orchestrate
    );
    assert_eq!(
        mode(
            "Tune the system prompt",
            &[("app/prompts/system.txt", 'M', 8, 8)]
        ),
        Mode::Orchestrate
    );
}

#[test]
fn design_doc_is_plan() {
    assert_eq!(
        mode(
            "Propose incremental re-scans",
            &[("docs/design/incremental.md", 'A', 120, 0)]
        ),
        Mode::Plan
    );
    assert_eq!(
        mode(
            "ADR 7: store results in SQLite",
            &[("docs/adr/0007-sqlite.md", 'A', 45, 0)]
        ),
        Mode::Plan
    );
}

#[test]
fn architecture_notes_are_understand() {
    assert_eq!(
        mode(
            "Write down how the walk works",
            &[("ARCHITECTURE.md", 'A', 80, 0)]
        ),
        Mode::Understand
    );
}

#[test]
fn revert_is_fix() {
    assert_eq!(
        mode(
            "Revert \"Add streaming uploads\"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.\n",
            &[
                ("src/upload.rs", 'M', 10, 140),
                ("src/upload/stream.rs", 'D', 0, 200)
            ]
        ),
        Mode::Fix
    );
}

#[test]
fn without_paths_the_message_decides() {
    let mut r = record("Fix crash on startup", &[]);
    r.files = None;
    assert_eq!(classify(&r, &Rules::builtin()).mode, Mode::Fix);
    r.message = "Add a CSV export".into();
    assert_eq!(classify(&r, &Rules::builtin()).mode, Mode::Build);
    r.message = "Document the config file".into();
    assert_eq!(classify(&r, &Rules::builtin()).mode, Mode::Communicate);
    r.message = "Ponder".into();
    assert_eq!(
        classify(&r, &Rules::builtin()).mode,
        Mode::Build,
        "best fit, never unclear"
    );
}

#[test]
fn volume_beats_words_on_large_diffs() {
    // Says docs, but nearly everything is code.
    assert_eq!(
        mode(
            "Document and implement the exporter",
            &[
                ("src/export.rs", 'A', 900, 0),
                ("docs/export.md", 'A', 30, 0)
            ]
        ),
        Mode::Build
    );
}

#[test]
fn manifests_and_lockfiles_serve_the_intent() {
    let deps = [("package.json", 'M', 1, 1), ("pnpm-lock.yaml", 'M', 80, 60)];
    // A dependency update is Build (work-modes.md), a release's version bump is Operate, and a
    // pin that repairs something is Fix: the same files, three intents.
    assert_eq!(mode("update rolldown to 1.0.0", &deps), Mode::Build);
    assert_eq!(mode("Release 2.3.0", &deps), Mode::Operate);
    assert_eq!(
        mode("pin esbuild to fix the crash on start", &deps),
        Mode::Fix
    );
    // They are not code: a one-line manifest change is no "small edit of existing code".
    assert_eq!(
        mode("use the workspace copy", &[("package.json", 'M', 1, 1)]),
        Mode::Build
    );
    // Every ecosystem's manifests and lockfiles, not only the common ones: Bazel's modules, Go
    // workspaces, NuGet, CocoaPods, Zig. Read as code, "update bazel dependencies" was a repair
    // by its size.
    for deps in [
        &[
            ("MODULE.bazel", 'M', 4, 4),
            ("MODULE.bazel.lock", 'M', 30, 16),
        ][..],
        &[("go.work", 'M', 1, 1), ("go.work.sum", 'M', 12, 3)],
        &[
            ("src/App/App.fsproj", 'M', 1, 1),
            ("packages.lock.json", 'M', 9, 9),
        ],
        &[
            ("ios/Podfile", 'M', 1, 1),
            ("ios/Podfile.lock", 'M', 20, 20),
        ],
        &[("build.zig.zon", 'M', 2, 2)],
    ] {
        let decision = classify(
            &record("update bazel dependencies", deps),
            &Rules::builtin(),
        );
        assert!(decision.paths.dependencies_only(), "{deps:?}");
        assert_eq!(decision.mode, Mode::Build, "{deps:?}");
        assert_eq!(
            mode("Release 4.1.0", deps),
            Mode::Operate,
            "{deps:?} in a release"
        );
    }
}

#[test]
fn code_with_its_tests_reads_as_a_repair_unless_words_say_otherwise() {
    // The rules' shapes, alone: with the learned model, words that name no repair ("nested
    // arrays in the parser") read as Build, as authors label such commits.
    let files = [
        ("src/parser.rs", 'M', 40, 12),
        ("tests/parser.rs", 'M', 30, 0),
    ];
    assert_eq!(rules_mode("nested arrays in the parser", &files), Mode::Fix);
    // Shapes of one mode do not add up: "small" and "with its tests" together are still one
    // hint, which the author's words outweigh.
    let small = [
        ("src/parser.rs", 'M', 6, 2),
        ("tests/parser.rs", 'M', 10, 0),
    ];
    assert_eq!(
        rules_mode("add a depth option to the parser", &small),
        Mode::Build
    );
    // Too large to be a typical repair: the large-change shape argues for Build instead.
    let large = [
        ("src/parser.rs", 'M', 300, 20),
        ("tests/parser.rs", 'M', 120, 0),
    ];
    assert_eq!(
        rules_mode("nested arrays in the parser", &large),
        Mode::Build
    );
}

#[test]
fn product_words_of_agent_tools_are_not_orchestration() {
    // A permission prompt in a UI, JavaScript's eval and an app calling a model are Build/Fix.
    assert_eq!(
        mode(
            "keep the permission prompt open while typing",
            &[("src/ui/prompt.tsx", 'M', 12, 4)]
        ),
        Mode::Fix
    );
    assert_eq!(
        mode(
            "avoid eval when loading the config",
            &[("src/config.ts", 'M', 8, 3)]
        ),
        Mode::Fix
    );
    assert_eq!(
        mode(
            "tighten the system prompt for tool calls",
            &[("src/core/prompts.ts", 'M', 30, 10)]
        ),
        Mode::Orchestrate
    );
}

#[test]
fn decisions_keep_their_evidence() {
    let d = classify(
        &record(
            "fix(parser): handle empty input",
            &[
                ("src/parser.rs", 'M', 6, 2),
                ("tests/parser.rs", 'M', 40, 0),
            ],
        ),
        &Rules::builtin(),
    );
    assert_eq!(d.mode, Mode::Fix);
    assert_eq!(d.conventional_type.as_deref(), Some("fix"));
    assert_eq!(d.shares, vec![(Mode::Fix, 1.0)]);
    let ids: Vec<&str> = d.rules.iter().map(|r| r.rule.as_str()).collect();
    assert_eq!(ids, ["tests", "code", "type", "fix-weak", "fix-with-tests"]);
    assert_eq!(d.rules[0].detail, "1 files, 40 changed lines");
}

#[test]
fn conventional_types_parse() {
    assert_eq!(
        conventional_type("feat(api)!: drop v1"),
        Some(("feat".into(), Some("api".into()), "drop v1"))
    );
    assert_eq!(
        conventional_type("Fix: thing"),
        Some(("fix".into(), None, "thing"))
    );
    assert_eq!(conventional_type("Merge branch 'x'"), None);
    assert_eq!(conventional_type("http://example.com: down"), None);
    assert_eq!(conventional_type("fix:no space"), None);
}

#[test]
fn rules_file_errors_are_clear() {
    let bad = agentscan::classify::BUILTIN_RULES.replace("mode = \"plan\"", "mode = \"planning\"");
    let err = Rules::from_toml(&bad, "mine.toml").unwrap_err().to_string();
    assert!(
        err.starts_with("mine.toml: rule `design-docs`: unknown mode \"planning\""),
        "{err}"
    );
    let bad = agentscan::classify::BUILTIN_RULES.replace("intent_cap = 0.45", "intent_cap = 1.0");
    let err = Rules::from_toml(&bad, "mine.toml").unwrap_err().to_string();
    assert!(err.contains("`intent_cap` must stay below 1"), "{err}");
    let bad =
        agentscan::classify::BUILTIN_RULES.replace("touches = \"test\"", "touches = \"tests\"");
    let err = Rules::from_toml(&bad, "mine.toml").unwrap_err().to_string();
    assert!(
        err.starts_with("mine.toml: rule `fix-with-tests`: unknown mode \"tests\""),
        "{err}"
    );
    let err = Rules::from_toml("[weights]\n", "mine.toml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("mine.toml: invalid rules file"), "{err}");
}

/// Found by fuzzing (`fuzz/fuzz_targets/record.rs`): line counts near `u32::MAX` overflowed a
/// sum while deciding whether lines or files weigh the paths.
#[test]
fn line_counts_at_the_top_of_u32_do_not_overflow() {
    let m = mode(
        "Import the archive",
        &[
            ("data/dump.sql", 'A', u32::MAX, 1),
            ("src/load.rs", 'M', 3, 1),
        ],
    );
    assert_eq!(m, Mode::Build);
}
