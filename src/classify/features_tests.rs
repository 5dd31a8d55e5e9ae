//! The feature extractor's tests: the word splitter, and that scoring's hashes name the
//! features training reads.

use super::*;
use crate::classify::learned::tests::record;

/// The byte-wise word splitter finds exactly the runs of alphanumeric characters that
/// splitting on `char::is_alphanumeric` finds.
#[test]
fn words_are_the_runs_of_alphanumeric_characters() {
    for text in [
        "Fix the crash in parse_args() when --x=12 is given",
        "Überprüfe die Länge: naïve café, 東京 and ß; 1234 a b2",
        "",
        "---",
        "tail",
        "x \u{1F600}emoji\u{1F600} ab",
        "a_very_long_identifier_name_that_goes_past_limits ok",
    ] {
        let expected: Vec<&str> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| (2..=24).contains(&w.len()) && !w.bytes().all(|b| b.is_ascii_digit()))
            .collect();
        assert_eq!(words(text).collect::<Vec<_>>(), expected, "{text}");
    }
}

/// The hash of a name split in two is the hash of the whole name.
#[test]
fn a_name_hashes_the_same_however_it_is_split() {
    assert_eq!(hash("s:", "crash"), hash("s:crash", ""));
    assert_eq!(hash_lower("b:", "CRASH"), hash("b:crash", ""));
}

/// Scoring hashes words lower-cased without building names: every hash it uses is the hash of
/// the feature's name, for ASCII, non-ASCII and the capital sigma `to_lowercase` reads in context.
#[test]
fn feature_hashes_are_the_hashes_of_their_names() {
    let body: String = (0..BODY_WORDS + 30).map(|i| format!("Word{i} ")).collect();
    let message =
        format!("Überprüfe ΣΟΦΟΣ and Fix_The CRASH\n\nnaïve Café ΟΔΟΣ the THE The\n{body}");
    let r = record(&message, "src/parse.rs");
    let decision = crate::classify::classify(&r, &crate::classify::Rules::builtin_rules_only());
    let mut seen = Vec::new();
    each_feature(
        &r,
        "Überprüfe ΣΟΦΟΣ and Fix_The CRASH",
        &decision,
        |p: &str, v: &str, h: u64, x: f32| {
            let name = format!("{p}{}", v.to_lowercase());
            assert_eq!(h, hash(&name, ""), "{name}");
            seen.push((name, x));
        },
    );
    let names: Vec<&str> = seen.iter().map(|(n, _)| n.as_str()).collect();
    let sigma = |w: &str| w.to_lowercase(); // a final capital sigma lower-cases to ς
    for expected in [
        "s:überprüfe".to_owned(),
        "first:überprüfe".to_owned(),
        format!("s:{}", sigma("ΣΟΦΟΣ")),
        "s2:and_fix".to_owned(),
        "b:café".to_owned(),
        format!("b:{}", sigma("ΟΔΟΣ")),
    ] {
        assert!(
            names.contains(&expected.as_str()),
            "{expected} in {names:?}"
        );
    }
    // Body words once each, and no more than BODY_WORDS of them.
    let body_words: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| n.starts_with("b:"))
        .collect();
    assert_eq!(body_words.iter().filter(|n| **n == "b:the").count(), 1);
    // Six words before the numbered ones, "the" three times: the cap counts words as written.
    assert_eq!(body_words.len(), BODY_WORDS - 2);
    let last = format!("b:word{}", BODY_WORDS - 7);
    let past = format!("b:word{}", BODY_WORDS - 6);
    assert!(body_words.contains(&last.as_str()), "{last}");
    assert!(
        !body_words.contains(&past.as_str()),
        "words past the cap are not read"
    );
    assert_eq!(
        features(&r, "Überprüfe ΣΟΦΟΣ and Fix_The CRASH", &decision),
        seen
    );
}

/// Credit lines give no body words, wherever they stand and however they are written; a line
/// that only mentions a credit, or a trailer that is not one, still does.
#[test]
fn credit_lines_give_no_words() {
    let message = "Parse dates\n\nReads the zone.\nSigned-off-by: Ada Lovelace <ada@example.com>\n\
                   co-authored-BY: Claude <noreply@anthropic.com>\n\
                   Reported by: Grace Hopper\nFixes: 1234 overflow\n";
    let r = record(message, "src/parse.rs");
    let decision = crate::classify::classify(&r, &crate::classify::Rules::builtin_rules_only());
    let names: Vec<String> = features(&r, "Parse dates", &decision)
        .into_iter()
        .map(|(n, _)| n)
        .filter(|n| n.starts_with("b:"))
        .collect();
    assert_eq!(
        names,
        [
            "b:reads",
            "b:the",
            "b:zone",
            "b:reported",
            "b:by",
            "b:grace",
            "b:hopper",
            "b:fixes",
            "b:overflow"
        ]
    );
    // An agent's trailer leaves a commit's features, and so its work mode, as they were: the
    // mode of agent work is read from the work, not from who did it.
    let plain = record("Parse dates\n\nReads the zone.\n", "src/parse.rs");
    let credited = record(
        "Parse dates\n\nReads the zone.\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n",
        "src/parse.rs",
    );
    let rules = crate::classify::Rules::builtin_rules_only();
    let read = |r| features(r, "Parse dates", &crate::classify::classify(r, &rules));
    assert_eq!(read(&plain), read(&credited));
}

/// The paths' own features say what the path rules make of each changed line before the words
/// pull code along, and which of those lines are in new files: a release word makes code
/// Operate in the shares, never in `path:`.
#[test]
fn the_paths_features_are_the_paths_alone() {
    use crate::model::FileChange;
    let mut r = record("Release the lock on shutdown", "src/lock.rs");
    let change = |path: &str, status, lines| FileChange {
        path: path.into(),
        old_path: None,
        status,
        lines: Some(lines),
        binary: false,
    };
    r.files = Some(vec![
        change("src/lock.rs", FileStatus::Modified, (6, 2)),
        change("Cargo.toml", FileStatus::Added, (4, 0)),
        change("tests/lock.rs", FileStatus::Added, (10, 0)),
        change("tests/util.rs", FileStatus::Modified, (1, 1)),
    ]);
    let decision = crate::classify::classify(&r, &crate::classify::Rules::builtin_rules_only());
    assert!(
        decision
            .shares
            .iter()
            .any(|(m, _)| *m == crate::model::Mode::Operate),
        "the words pull code into Operate: {:?}",
        decision.shares
    );
    let paths: Vec<(String, f32)> = features(&r, "Release the lock on shutdown", &decision)
        .into_iter()
        .filter(|(n, _)| n.starts_with("path:") || n.starts_with("new:"))
        .collect();
    let of = |x: f32| x / 24.0;
    assert_eq!(
        paths,
        [
            ("path:test".to_owned(), of(12.0)),
            ("path:code".to_owned(), of(8.0)),
            ("path:serving".to_owned(), of(4.0)),
            ("new:test".to_owned(), of(10.0)),
            ("new:serving".to_owned(), of(4.0)),
        ]
    );
    assert_eq!(decision.paths.mode(), None);
}
