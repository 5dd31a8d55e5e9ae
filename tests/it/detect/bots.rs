//! Review and automation bots: recorded beside a commit, never counted as agent work, whether
//! they co-author a committed suggestion or write a summary into the pull request's description.

use super::*;

#[test]
fn review_bots_are_recorded_not_counted() {
    for (ident, id) in [
        (
            "coderabbitai[bot] <136622811+coderabbitai[bot]@users.noreply.github.com>",
            "coderabbit",
        ),
        (
            "gemini-code-assist[bot] <176961590+gemini-code-assist[bot]@users.noreply.github.com>",
            "gemini-code-assist",
        ),
        (
            "sourcery-ai[bot] <58596630+sourcery-ai[bot]@users.noreply.github.com>",
            "sourcery",
        ),
        (
            "codiumai-pr-agent-pro[bot] <151058649+codiumai-pr-agent-pro[bot]@users.noreply.github.com>",
            "qodo",
        ),
        (
            "cubic-dev-ai[bot] <191113872+cubic-dev-ai[bot]@users.noreply.github.com>",
            "cubic",
        ),
    ] {
        let d = run(
            HUMAN,
            &format!("Apply suggestions from code review\n\nCo-authored-by: {ident}\n"),
        );
        assert_human(&d);
        assert_eq!(d.review_bots, vec![id]);
        assert!(d.evidence.iter().all(|e| e.category == Category::ReviewBot));
    }
}

#[test]
fn review_bots_summaries_in_the_description_are_recorded() {
    for (summary, ids) in [
        (
            "<!-- CURSOR_SUMMARY -->\n---\n\n> [!NOTE]\n> Adds a retry.\n\n<sup>Written by [Cursor Bugbot](https://cursor.com/dashboard?tab=bugbot) for commit 1a2b3c4.</sup>\n<!-- /CURSOR_SUMMARY -->\n",
            &["cursor-bugbot"][..],
        ),
        (
            "<!-- This is an auto-generated comment: release notes by coderabbit.ai -->\n## Summary by CodeRabbit\n\n* **New Features**\n  * Retries.\n<!-- end of auto-generated comment: release notes by coderabbit.ai -->\n",
            &["coderabbit"][..],
        ),
        (
            "<!-- This is an auto-generated description by cubic. -->\n## Summary by cubic\nAdds a retry.\n<!-- End of auto-generated description by cubic. -->\n",
            &["cubic"][..],
        ),
    ] {
        let d = run(
            HUMAN,
            &format!("fix(net): retry once (#41)\n\nRetries a dropped socket.\n\n{summary}"),
        );
        assert_human(&d);
        assert_eq!(d.review_bots, ids, "{d:#?}");
    }
    // Mentioned mid-line, the comment is prose about the bot.
    let d = run(
        HUMAN,
        "docs: bots\n\nBugbot writes <!-- CURSOR_SUMMARY --> into descriptions.\n",
    );
    assert!(d.review_bots.is_empty(), "{d:#?}");
}

#[test]
fn dependabot_squash_coauthor_and_bot_authors() {
    let d = run(
        HUMAN,
        "Bump serde from 1.0.1 to 1.0.2 (#77)\n\nBumps serde.\n\n---\nupdated-dependencies:\n- dependency-name: serde\n\nSigned-off-by: dependabot[bot] <support@github.com>\n\nCo-authored-by: dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>\n",
    );
    assert_human(&d);
    assert!(d.bots.is_empty());
    let d = run(
        "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>",
        "Bump serde from 1.0.1 to 1.0.2\n",
    );
    assert_eq!(d.class, CommitClass::Bot);
    assert_eq!(d.bots, vec!["dependabot"]);
    assert_eq!(d.human, None);
    let d = run(
        "renovate[bot] <29139614+renovate[bot]@users.noreply.github.com>",
        "chore(deps): update rust crate tokio to v1.50\n",
    );
    assert_eq!(d.bots, vec!["renovate"]);
    let d = run(
        "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>",
        "Update changelog\n",
    );
    assert_eq!(d.bots, vec!["github-actions"]);
    // An unknown app falls back to the generic bot rule.
    let d = run(
        "acme-release[bot] <99999+acme-release[bot]@users.noreply.github.com>",
        "Release 1.2.3\n",
    );
    assert_eq!(d.class, CommitClass::Bot);
    assert_eq!(d.bots, vec!["other-bot"]);
}

#[test]
fn a_ci_server_committing_as_itself_is_a_bot() {
    for ident in [
        "Jenkins <jenkins@build-03>",
        "jenkins <jenkins@ci.example.org>",
        "ESLint Jenkins <eslint@googlegroups.com>",
    ] {
        let d = run(ident, "Build: changelog update for 10.9.0\n");
        assert_eq!(d.class, CommitClass::Bot, "{ident}: {d:#?}");
        assert_eq!(d.bots, vec!["ci-bots"], "{ident}");
    }
    // People called Jenkins are people, whatever their address.
    for ident in [
        "Sam Jenkins <jenkins@example.com>",
        "Jenkins <sam@example.com>",
        "Tom Jenkinson <tjenkinson@users.noreply.github.com>",
    ] {
        assert_human(&run(ident, "fix: handle an empty list\n"));
    }
}

#[test]
fn release_accounts_that_say_so() {
    for (ident, bot) in [
        (
            "Houston (Bot) <108291165+astrobot-houston@users.noreply.github.com>",
            "other-bot",
        ),
        (
            "Houston (bot) <ematipico@users.noreply.github.com>",
            "other-bot",
        ),
        ("goreleaserbot <bot@goreleaser.com>", "release-bots"),
    ] {
        let d = run(ident, "[ci] release (#8372)\n");
        assert_eq!(d.class, CommitClass::Bot, "{ident}: {d:#?}");
        assert_eq!(d.bots, vec![bot], "{ident}");
    }
    assert_human(&run("Ann (Bo) Example <ann@example.org>", "fix: typo\n"));
}

/// The CLA action commits each signature with the token it is given, often a maintainer's own, so
/// its subject is what says a tool wrote it; the same words in a person's message, or below a
/// person's subject, say nothing.
#[test]
fn a_cla_signature_commit_is_a_bot_whoever_it_is_committed_as() {
    for subject in [
        "@octocat has signed the CLA in acme/widgets#1786",
        "@octo-cat has signed the CLA from Pull Request #12",
        "chore(legal): @octocat has signed the CLA",
        "Creating file for storing CLA Signatures",
    ] {
        let d = run(HUMAN, &format!("{subject}\n"));
        assert_eq!(d.class, CommitClass::Bot, "{subject}: {d:#?}");
        assert_eq!(d.bots, vec!["cla-assistants"], "{subject}");
        assert_eq!(d.human, None, "{subject}");
    }
    for message in [
        "Ask contributors to sign the CLA before review\n",
        "docs: say what happens after @octocat has signed the CLA\n",
        "Fix Azure OpenAI integration (#1192)\n\n* @octocat has signed the CLA in acme/widgets#1190\n",
        "Fix the parser\n\n@octocat has signed the CLA in acme/widgets#1190\n",
    ] {
        assert_human(&run(HUMAN, message));
    }
    // An agent's own commit stays the agent's.
    let d = run(
        HUMAN,
        "@octocat has signed the CLA in acme/widgets#3\n\n\
         Co-Authored-By: Claude <noreply@anthropic.com>\n",
    );
    assert_eq!(d.class, CommitClass::Agent, "{d:#?}");
}
