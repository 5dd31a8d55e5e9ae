//! Where in a message a signature may stand: squash sections, glued footers, attribution keys other
//! than `Co-authored-by`, name-only credits, quoted text, agents as authors and agent names at
//! addresses no person has. Messages are shaped like the real ones they stand for.

use super::*;

// ---- Squash merges -------------------------------------------------------------------------------

/// GitHub's squash message: each squashed commit's message with its own trailers, then one block of
/// the people who took part. Every section's trailers are read, names included.
#[test]
fn squash_message_with_three_trailer_paragraphs_and_a_block_of_people() {
    let d = run(
        HUMAN,
        "Add session export (#4312)\n\
         \n\
         * Add export command\n\
         \n\
         Amp-Thread-ID: https://ampcode.com/threads/T-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\n\
         Co-authored-by: Amp <amp@ampcode.com>\n\
         \n\
         * Handle empty sessions\n\
         \n\
         Co-Authored-By: Claude Sonnet 4.5 <noreply@anthropic.com>\n\
         \n\
         * Review fixes\n\
         \n\
         Assisted-by: GLM-5.1 via Crush <crush@charm.land>\n\
         \n\
         ---------\n\
         \n\
         Co-authored-by: Ann Example <ann@example.com>\n\
         Co-authored-by: Bo Person <bo@example.org>\n",
    );
    assert_agent(
        &d,
        &["amp", "claude-code", "crush"],
        &["claude-sonnet-4.5", "glm-5.1"],
        Role::CoAuthored,
    );
    assert!(
        d.evidence
            .iter()
            .all(|e| e.confidence >= Confidence::Medium),
        "{:#?}",
        d.evidence
    );
    assert_eq!(
        d.session.as_deref(),
        Some("T-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
    );
}

/// A name-only credit inside a squashed commit's section counts too: the section ends where the
/// next `* ` bullet starts.
#[test]
fn name_only_credit_in_a_squash_section() {
    let d = run(
        HUMAN,
        "Refactor loader (#77)\n\n* Split the loader\n\nAssisted-by: Claude Code\n\n* Fix lint\n\n---------\n\nCo-authored-by: Ann Example <ann@example.com>\n",
    );
    assert_agent(&d, &["claude-code"], &[], Role::CoAuthored);
}

// ---- Footers glued to trailers ---------------------------------------------------------------------

#[test]
fn a_footer_glued_to_the_trailers_does_not_hide_them() {
    let d = run(
        HUMAN,
        "Add fuzzy finder\n\nFilters as you type.\n\n💖 Generated with Crush\nCo-Authored-By: Crush <crush@charm.land>\n",
    );
    assert_agent(&d, &["crush"], &[], Role::CoAuthored);
    assert!(
        d.evidence
            .iter()
            .any(|e| e.kind == EvidenceKind::Trailer && e.confidence == Confidence::High),
        "{:#?}",
        d.evidence
    );
    // The footer on its own, without a trailer, is Crush's too.
    let d = run(HUMAN, "Add fuzzy finder\n\n💖 Generated with Crush\n");
    assert_agent(&d, &["crush"], &[], Role::CoAuthored);
}

#[test]
fn plain_text_claude_footer() {
    let d = run(HUMAN, "Bump timeout\n\nGenerated with Claude Code\n");
    assert_agent(&d, &["claude-code"], &[], Role::CoAuthored);
}

// ---- Attribution keys ----------------------------------------------------------------------------

#[test]
fn assisted_by_with_a_person_an_agent_address_an_agent_name_and_the_kernel_form() {
    // A person: curl credits helpers this way.
    assert_human(&run(
        HUMAN,
        "tool: fix --retry with proxies\n\nAssisted-by: Jay Satiro <raysatiro@example.com>\nCloses #1234\n",
    ));
    // An agent's own address, whatever the display name.
    let d = run(
        HUMAN,
        "Fix race\n\nAssisted-By: Claude Opus 4 <noreply@anthropic.com>\n",
    );
    assert_agent(&d, &["claude-code"], &["claude-opus-4"], Role::CoAuthored);
    let d = run(
        HUMAN,
        "Fix race\n\nAssisted-By: Cursor <cursoragent@cursor.com>\n",
    );
    assert_agent(&d, &["cursor"], &[], Role::CoAuthored);
    let d = run(
        HUMAN,
        "Fix race\n\nAssisted-By: aider (gpt-4o) <noreply@aider.chat>\n",
    );
    assert_agent(&d, &["aider"], &["gpt-4o"], Role::CoAuthored);
    // An agent's name, no address.
    let d = run(HUMAN, "Fix race\n\nAssisted-by: Claude Code\n");
    assert_agent(&d, &["claude-code"], &[], Role::CoAuthored);
    // A model's name, no tool: an agent took part, which one is unknown.
    let d = run(HUMAN, "Fix race\n\nAssisted-by: GPT-5.5\n");
    assert_agent(&d, &["generic"], &["gpt-5.5"], Role::CoAuthored);
    // The Linux kernel's AGENT:MODEL form.
    let d = run(
        HUMAN,
        "mm: fix refcount leak\n\nAssisted-by: Claude:claude-opus-4.6\nSigned-off-by: Ann Example <ann@example.com>\n",
    );
    assert_agent(&d, &["claude-code"], &["claude-opus-4.6"], Role::CoAuthored);
}

#[test]
fn other_attribution_keys_name_the_agent() {
    for (trailer, agent) in [
        ("AI-assisted: Codex", "codex-cli"),
        ("Generated-by: Claude Code", "claude-code"),
        ("Made-with: Cursor", "cursor"),
    ] {
        let d = run(HUMAN, &format!("Add cache\n\n{trailer}\n"));
        assert_agent(&d, &[agent], &[], Role::CoAuthored);
    }
}

#[test]
fn a_name_only_credit_outside_a_trailer_paragraph_is_only_a_lead() {
    let d = run(
        HUMAN,
        "Add cache\n\nAssisted-by: Claude Code\nwas what the old template said; we dropped it.\n",
    );
    assert_human(&d);
}

#[test]
fn a_disclosure_line_names_the_agent_or_says_none() {
    let d = run(
        HUMAN,
        "Speed up the index\n\nMeasured on the large fixture.\n\n**AI usage:** drafted with Amp, reviewed by hand.\n",
    );
    assert_agent(&d, &["amp"], &[], Role::CoAuthored);
    assert_human(&run(HUMAN, "Speed up the index\n\n**AI usage:** none.\n"));
}

// ---- Agent products' apps and machine-written trailers ---------------------------------------------

#[test]
fn codex_connector_app_as_co_author() {
    let d = run(
        HUMAN,
        "Fix pagination (#512)\n\nCo-authored-by: chatgpt-codex-connector[bot] <199175422+chatgpt-codex-connector[bot]@users.noreply.github.com>\n",
    );
    assert_agent(&d, &["codex"], &[], Role::CoAuthored);
}

#[test]
fn codex_cli_footer() {
    let d = run(
        HUMAN,
        "Add flag\n\nGenerated with [Codex](https://openai.com/codex/)\n",
    );
    assert_agent(&d, &["codex-cli"], &[], Role::CoAuthored);
}

#[test]
fn entire_checkpoint_trailers() {
    let d = run(
        HUMAN,
        "Add rewind command\n\nEntire-Checkpoint: 3f2a9c1b7d4e\nEntire-Session: 2026-01-14-9d1c2e3f\n",
    );
    assert_agent(&d, &["entire"], &[], Role::CoAuthored);
    // With the agent named by another trailer, that agent is the one counted.
    let d = run(
        HUMAN,
        "Add rewind command\n\nEntire-Checkpoint: 3f2a9c1b7d4e\nCo-Authored-By: Claude <noreply@anthropic.com>\n",
    );
    assert_agent(&d, &["claude-code"], &[], Role::CoAuthored);
}

#[test]
fn replit_author_wherever_it_stands() {
    let d = run(
        HUMAN,
        "Published your App\n\nReplit-Commit-Author: Agent\nReplit-Commit-Session-Id: 0d4c5b1e-1111-4a2b-9c3d-5e6f7a8b9c0d\n\nSee the deployment log.\n",
    );
    assert_agent(&d, &["replit"], &[], Role::CoAuthored);
}

// ---- Links in prose and quoted text ----------------------------------------------------------------

const THREAD: &str = "https://ampcode.com/threads/T-7c6b5a49-3828-4716-9504-f3e2d1c0b9a8";

#[test]
fn a_thread_link_alone_or_ending_a_sentence_counts() {
    let d = run(HUMAN, &format!("Port the parser\n\n{THREAD}\n"));
    assert_agent(&d, &["amp"], &[], Role::CoAuthored);
    let d = run(
        HUMAN,
        &format!("Port the parser\n\nWritten together with Amp, see {THREAD}\n\nMore to come.\n"),
    );
    assert_agent(&d, &["amp"], &[], Role::CoAuthored);
}

#[test]
fn a_thread_link_in_a_fenced_block_or_an_example_does_not_count() {
    let d = run(
        HUMAN,
        &format!("Parse thread links\n\nAccepts links like:\n\n```\n{THREAD}\n```\n"),
    );
    assert_human(&d);
    let d = run(
        HUMAN,
        &format!("Parse thread links\n\nAccept any thread URL, e.g. {THREAD}, in the config.\n"),
    );
    assert_human(&d);
    let d = run(
        HUMAN,
        &format!("Parse thread links\n\n> Amp-Thread-ID: {THREAD}\n> was in the bug report.\n"),
    );
    assert_human(&d);
}

#[test]
fn a_trailer_in_backticks_mid_sentence_does_not_count() {
    let d = run(
        HUMAN,
        "Stop adding attribution\n\nWe removed the `Co-Authored-By: Claude <noreply@anthropic.com>` line from the hook.\n",
    );
    assert_human(&d);
}

// ---- Agents as authors ---------------------------------------------------------------------------

#[test]
fn an_agent_author_by_its_own_address() {
    for (author, agent, models) in [
        ("Claude <noreply@anthropic.com>", "claude-code", &[][..]),
        (
            "Claude Opus 4.7 <noreply@anthropic.com>",
            "claude-code",
            &["claude-opus-4.7"][..],
        ),
        ("Amp <amp@ampcode.com>", "amp", &[][..]),
        ("OpenDevin <opendevin@all-hands.dev>", "openhands", &[][..]),
        ("openhands <openhands@all-hands.dev>", "openhands", &[][..]),
    ] {
        let d = run(author, "Add health check\n");
        assert_agent(&d, &[agent], models, Role::Authored);
    }
}

#[test]
fn agent_accounts_and_subject_tags() {
    // A person's own account for their agent.
    let d = run("ann-agent <ann-agent@example.com>", "Add health check\n");
    assert_eq!(d.class, CommitClass::Agent, "{d:#?}");
    // A subject tag naming an agent of the team's own.
    let d = run(HUMAN, "[SSR Agent] Add health check\n");
    assert_eq!(d.class, CommitClass::Agent, "{d:#?}");
}

// ---- Traps ---------------------------------------------------------------------------------------

/// A vendor's employees co-author commits under its domain; only the agent's own address counts.
#[test]
fn vendor_employees_are_people() {
    for ident in [
        "Ashwin Bhat <ashwin@anthropic.com>",
        "Thorsten Ball <thorsten@ampcode.com>",
        "Sam Person <sam@openai.com>",
        "Kai Person <kai@cursor.com>",
        "Ola Person <ola@charm.land>",
    ] {
        let d = run(
            HUMAN,
            &format!("Fix the action\n\nCo-authored-by: {ident}\n"),
        );
        assert_human(&d);
        let d = run(ident, "Fix the action\n");
        assert_human(&d);
    }
}

#[test]
fn credits_to_people_or_bots_by_name_stay_human() {
    assert_human(&run(
        HUMAN,
        "Fix null check\n\nReported-by: Copilot\nSigned-off-by: Ann Example <ann@example.com>\n",
    ));
    assert_human(&run(HUMAN, "Fix null check\n\nHelped-by: Claude Martin\n"));
}

// ---- An agent's name at an address no person has ---------------------------------------------------

#[test]
fn an_agent_name_at_a_made_up_or_service_address_is_the_agent() {
    // Written by an agent that did not know its own address.
    let d = run(
        HUMAN,
        "feat(setup): add a recipe (#12)\n\n* Add recipe\n\n---------\n\nCo-authored-by: Amp <amp@example.com>\n",
    );
    assert_agent(&d, &["amp"], &[], Role::CoAuthored);
    // A team's service account for the agent.
    let d = run(
        HUMAN,
        "feat: add an API (#51)\n\nCo-authored-by: Jo Person <jo@acme-corp.com>\nCo-authored-by: Claude <svc-tools-claude@acme-corp.com>\n",
    );
    assert_agent(&d, &["claude-code"], &[], Role::CoAuthored);
    // The same identity as the author.
    let d = run(
        "Codex Agent <codex-agent@example.com>",
        "Fix deadlock on Windows\n",
    );
    assert_agent(&d, &["codex-cli"], &[], Role::Authored);
    // A team mailbox for agents, plus-addressed.
    let d = run(
        HUMAN,
        "Support hub >= 1 (#2075)\n\nCo-authored-by: Jo Person <jo@hub.example.org>\nCo-authored-by: Claude <Agents+claude@hub.co>\n",
    );
    assert_agent(&d, &["claude-code"], &[], Role::CoAuthored);
    // A person's agent account known by its login, whatever its display name.
    let d = run(
        "Corvid Agent <95454608+corvid-agent@users.noreply.github.com>",
        "fix: add a missing peer dependency (#1504)\n",
    );
    assert_agent(&d, &["generic"], &[], Role::Authored);
    // Its vendor's name for a host: an address the agent wrote from memory, which no person has.
    let d = run(
        HUMAN,
        "dagql: redact sensitive args (#13185)\n\nSigned-off-by: Geoff Person <geoff@example.org>\nCo-authored-by: Claude Code <claude@anthropic>\n",
    );
    assert_agent(&d, &["claude-code"], &[], Role::CoAuthored);
    // A person's mailbox tagged for the tool: the tag names the tool, the name its model.
    for (coauthor, agent, model) in [
        (
            "Claude Sonnet 4.6 <jamie.person+claude-code@example.org>",
            "claude-code",
            "claude-sonnet-4.6",
        ),
        (
            "Claude Sonnet 4.5 <jamie.person+github-copilot@example.org>",
            "copilot-cli",
            "claude-sonnet-4.5",
        ),
        (
            "gpt-4.1 <jamie.person+github-copilot@example.org>",
            "copilot-cli",
            "gpt-4.1",
        ),
    ] {
        let d = run(
            HUMAN,
            &format!("docs: environment variables (#43243)\n\nCo-authored-by: {coauthor}\n"),
        );
        assert_agent(&d, &[agent], &[model], Role::CoAuthored);
    }
    // A person at a tagged mailbox, or a tag that names no agent, is a person.
    for coauthor in [
        "Jamie Person <jamie.person+claude-code@example.org>",
        "Jamie Person <jamie.person+github@example.org>",
        "Claude Person <claude+lists@example.org>",
    ] {
        assert_human(&run(
            HUMAN,
            &format!("docs: environment variables\n\nCo-authored-by: {coauthor}\n"),
        ));
    }
    // A person called Claude on a machine that was never configured is a person.
    assert_human(&run(
        "Claude <claude@laptop>",
        "fix: handle an empty list\n",
    ));
    assert_human(&run(
        HUMAN,
        "fix: parser\n\nCo-authored-by: Claude Person <claude@workstation>\n",
    ));
    // An account named for what it is: an AI agent, or a subagent.
    for (author, message) in [
        (
            "Alexey Orlenko's AI Agent <robot@aqrln.example>",
            "feat(raw): subquery refs (#30075)\n",
        ),
        (
            HUMAN,
            "fix: pass embedding types (#4524)\n\nCo-authored-by: Aditya Person <aditya@example.org>\nCo-authored-by: Clawd Subagent <subagent@clawd.example>\n",
        ),
        (
            "clanky.exe <robot@aqrln.example>",
            "TML-3192: demo the integer representations (#29950)\n\nSigned-off-by: Alexey Orlenko's AI Agent <robot@aqrln.example>\n",
        ),
    ] {
        let d = run(author, message);
        assert_eq!(d.class, CommitClass::Agent, "{author}: {d:#?}");
        assert_eq!(d.agents, vec!["generic"], "{author}");
    }
    // A CI server's build agent is no coding agent, nor is a person's agent for travel.
    for author in [
        "TeamCity Build Agent <teamcity@ci.example.org>",
        "Azure Pipelines Agent <vsts@ci.example.org>",
        "Sam Agent <sam@example.org>",
    ] {
        let d = run(author, "Update version to 1.2.3\n");
        assert_ne!(d.class, CommitClass::Agent, "{author}: {d:#?}");
    }
    // A co-author called AI at a placeholder address, as an agent's sandbox configures git.
    for ident in [
        "AI <ai@example.com>",
        "AI Assistant <assistant@sandbox.test>",
    ] {
        let d = run(
            HUMAN,
            &format!("fix: native structured output (#2357)\n\nCo-authored-by: {ident}\n"),
        );
        assert_agent(&d, &["generic"], &[], Role::CoAuthored);
    }
}

#[test]
fn an_agent_name_at_a_person_s_address_stays_a_person() {
    for ident in [
        "Claude <claude@acme-corp.com>",
        "Devin <devin@laptop.local>",
        "Jules <jules@localhost>",
        "Claude Martin <claude@example.com>",
        "Ann Example <ann@example.com>",
        // Ai is a given name too: only a placeholder address makes it no person.
        "Ai <ai@gmail.com>",
        "Ai Tanaka <ai@example.com>",
    ] {
        assert_human(&run(
            HUMAN,
            &format!("Pair on parser\n\nCo-authored-by: {ident}\n"),
        ));
        assert_human(&run(ident, "Pair on parser\n"));
    }
    // Said outside a trailer paragraph it is only a lead, as any name-only credit.
    let d = run(
        HUMAN,
        "Pair on parser\n\nCo-authored-by: Amp <amp@example.com>\nwas how the trailer looked.\n",
    );
    assert_eq!(d.class, CommitClass::Human, "{d:#?}");
    // An address the registry already rates keeps its rating (a lead, here).
    let d = run("Cline <cline@example.com>", "Add tests\n");
    assert_human(&d);
    assert_eq!(d.weak_agents, vec!["cline"]);
    let d = run(
        HUMAN,
        "Add tests\n\nCo-authored-by: Cline <cline@example.com>\n",
    );
    assert_eq!(d.class, CommitClass::Human, "{d:#?}");
}

#[test]
fn an_agent_signature_on_behalf_of_a_person() {
    let d = run(
        HUMAN,
        "fix(init): honor remote wiring (#42)\n\nAgent-Signature: claude-opus-4-8-high on behalf of ann\n",
    );
    assert_agent(&d, &["generic"], &["claude-opus-4.8"], Role::CoAuthored);
    let d = run(
        HUMAN,
        "fix(schema): update comment (#43)\n\nAgent-Signature: codex-gpt-5.5-medium on behalf of Ann Example\n",
    );
    assert_agent(&d, &["codex-cli"], &["gpt-5.5"], Role::CoAuthored);
    // The person it names is no agent.
    assert_human(&run(
        HUMAN,
        "fix: typo\n\nAgent-Signature: Ann Example on behalf of Bo Person\n",
    ));
}

/// A tool's signature line for the person it worked for (`_codex-gpt-5.5-medium on behalf of
/// maphew_`), with the model, whether the agent or only the model is named.
#[test]
fn a_signature_line_on_behalf_of_a_person() {
    let d = run(
        HUMAN,
        "fix(schema): renumber migrations\n\nRenumber them.\n\n_codex-gpt-5.5-medium on behalf of maphew_\n",
    );
    assert_agent(&d, &["codex-cli"], &["gpt-5.5"], Role::CoAuthored);
    let d = run(
        HUMAN,
        "fix: guard the release\n\nGuard it.\n\n*claude-opus-4-8 on behalf of Ann Example*\n",
    );
    assert_agent(&d, &["generic"], &["claude-opus-4.8"], Role::CoAuthored);
    for msg in [
        "Release 1.2\n\nMerged on behalf of the release team\n",
        "fix: typo\n\nBo Person on behalf of Ann Example\n",
        "Document signatures\n\n> _codex-gpt-5.5 on behalf of maphew_\n",
        "fix: typo\n\nI ran codex-gpt-5.5 on behalf of Ann, who asked for it. Then more.\n",
    ] {
        assert_human(&run(HUMAN, msg));
    }
}

/// A message with no blank line at all still ends with its footer; the same line with more text
/// after it is a lead at most.
#[test]
fn a_footer_ending_a_message_without_blank_lines() {
    let d = run(
        HUMAN,
        "fix(lint): resolve lint errors\nFixes 2 issues:\n1. hooks.go: ignore error\n2. flags.go: add comment\n🤖 Generated with Claude Code\n",
    );
    assert_agent(&d, &["claude-code"], &[], Role::CoAuthored);
    let d = run(
        HUMAN,
        "Document the footer\n🤖 Generated with Claude Code\nis what the template writes.\n",
    );
    assert_eq!(d.class, CommitClass::Human, "{d:#?}");
}

/// A footer pasted under a list item keeps the item's indentation (up to three spaces, as in
/// Markdown), and still ends the message; four spaces or a tab make it code.
#[test]
fn a_footer_indented_less_than_code_counts() {
    for indent in [" ", "  ", "   "] {
        let d = run(
            HUMAN,
            &format!(
                "Populate the error field (#506)\n\n## Test plan\n- [x] Unit tests\n{indent}🤖 Generated with [Claude Code](https://claude.com/claude-code)\n"
            ),
        );
        assert_agent(&d, &["claude-code"], &[], Role::CoAuthored);
    }
    for indent in ["    ", "\t"] {
        let d = run(
            HUMAN,
            &format!(
                "Document the footer\n\nThe template ends commits with:\n\n{indent}🤖 Generated with [Claude Code](https://claude.com/claude-code)\n"
            ),
        );
        assert_human(&d);
    }
    // Indented in the middle of prose that goes on, it is a lead at most.
    let d = run(
        HUMAN,
        "Document the footer\n\nTemplates end commits with\n  🤖 Generated with [Claude Code](https://claude.com/claude-code)\nunless told not to.\n\nMore prose.\n",
    );
    assert_human(&d);
}

/// A footer above what a review bot appended to the description (CodeRabbit's release notes)
/// ends the author's text, as it would end the message.
#[test]
fn a_footer_above_a_review_bots_summary_counts() {
    let d = run(
        HUMAN,
        "chore: close out the project (#979)\n\n## Checklist\n\n- [x] Docs only\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\n<!-- This is an auto-generated comment: release notes by coderabbit.ai\n-->\n\n## Summary by CodeRabbit\n\n* **Documentation**\n* Added guidance.\n\n<!-- end of auto-generated comment: release notes by coderabbit.ai -->\n",
    );
    assert_agent(&d, &["claude-code"], &[], Role::CoAuthored);
    assert_eq!(d.review_bots, vec!["coderabbit"]);
}
