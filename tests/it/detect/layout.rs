//! Where in a message a signature may stand: squash sections, glued footers, attribution keys other
//! than `Co-authored-by`, name-only credits, quoted text and prose, agents as authors. Messages are
//! shaped like the real ones they stand for.

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

// ---- Prose that credits an agent -------------------------------------------------------------------

#[test]
fn a_line_crediting_an_agent_and_its_model() {
    let d = run(
        HUMAN,
        "Ruff 0.16 (#88)\n\n* ruff>=0.16\n* Codex (GPT-5.6 High) fixed remaining Ruff errors: https://gist.example.com/1\n* target py310\n",
    );
    assert_agent(&d, &["codex-cli"], &["gpt-5.6-high"], Role::CoAuthored);
    // A person's nickname, or a model listed as a feature, is not a credit.
    assert_human(&run(
        HUMAN,
        "Release notes\n\n* Claude (our intern) fixed the docs build\n* Gemini (gemini-3-pro) added as a default model\n",
    ));
}

#[test]
fn shared_chat_links_and_bare_ai_disclosures() {
    let d = run(
        HUMAN,
        "Reorder news section\n\nhttps://claude.ai/share/3fa7dce9-9a79-49a7-a5af-fa5811961a78\n\n> Look at the news section and suggest links\n",
    );
    assert_agent(&d, &["claude-chat"], &[], Role::CoAuthored);
    let d = run(
        HUMAN,
        "docs: fix hook name\n\nThe hook was misnamed.\n\nAI-assisted contribution.\n",
    );
    assert_agent(&d, &["generic"], &[], Role::CoAuthored);
    // Said mid-body, or denied, it is no claim.
    assert_human(&run(
        HUMAN,
        "docs: policy\n\nAI-generated code\nmust be reviewed twice; see CONTRIBUTING.\n\nSigned-off-by: Ann Example <ann@example.com>\n",
    ));
    assert_human(&run(HUMAN, "docs: fix hook name\n\nNot AI-assisted.\n"));
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
}

#[test]
fn an_agent_name_at_a_person_s_address_stays_a_person() {
    for ident in [
        "Claude <claude@acme-corp.com>",
        "Devin <devin@laptop.local>",
        "Jules <jules@localhost>",
        "Claude Martin <claude@example.com>",
        "Ann Example <ann@example.com>",
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
    assert_agent(
        &d,
        &["generic"],
        &["claude-opus-4.8-high"],
        Role::CoAuthored,
    );
    let d = run(
        HUMAN,
        "fix(schema): update comment (#43)\n\nAgent-Signature: codex-gpt-5.5-medium on behalf of Ann Example\n",
    );
    assert_agent(&d, &["codex-cli"], &["gpt-5.5-medium"], Role::CoAuthored);
    // The person it names is no agent.
    assert_human(&run(
        HUMAN,
        "fix: typo\n\nAgent-Signature: Ann Example on behalf of Bo Person\n",
    ));
}

// ---- Generation statements ---------------------------------------------------------------------------

#[test]
fn a_line_saying_what_made_the_change() {
    for (message, agents, models) in [
        (
            "fix(deploy): keep optional deps\n\nThe cases verify --prod.\n\nWritten by an agent (Claude Code, claude-opus-4-8).\n\n---------\n\nCo-authored-by: Zo Person <zo@person.example.net>\n",
            &["claude-code"][..],
            &["claude-opus-4.8"][..],
        ),
        (
            // A model named alone is an unnamed agent running it.
            "fix(minifier): check mutation\n\nUse the helper.\n\n🤖 generated with help from Claude Opus 4.5\n",
            &["generic"][..],
            &["claude-opus-4.5"][..],
        ),
        (
            "perf: port sort\n\nA porting rule.\n\nAuthored with Claude Code; reviewed by a human before merge.\n",
            &["claude-code"][..],
            &[][..],
        ),
        (
            "fix(lockfile): verify provenance\n\n- [x] lint passes\n\n🤖 Generated with the assistance of OpenCode (claude-opus-4.6).\n",
            &["opencode"][..],
            &["claude-opus-4.6"][..],
        ),
        (
            "refactor: split parser\n\nCreated with AI assistance.\n\n<sub>Stack created with a CLI</sub>\n",
            &["generic"][..],
            &[][..],
        ),
        (
            // A quoted sign-off, and a call-out at the top of the body.
            "test: remove a flake (#10596)\n\n## Summary\n\nKeeps the test local.\n\n- [x] Tests added\n\n> Written by GPT-5 on Codex Desktop\n",
            &["codex-cli"][..],
            &["gpt-5"][..],
        ),
        (
            "perf(minifier): walk what you drop\n\n> Developed with AI assistance (Claude Code); reviewed and benchmarked by the contributor.\n\n## Design\n\nDrops are walked once.\n",
            &["claude-code"][..],
            &[][..],
        ),
        (
            // The change itself as the subject, and a list of tools.
            "perf(linter): avoid a clone\n\nThis PR was assisted by OpenAI Codex and Claude.\n",
            &["claude-code", "codex-cli"][..],
            &[][..],
        ),
        (
            "fix(mouse): honour x=0\n\nImplemented with Claude Code (Anthropic), reviewed and submitted by me.\n",
            &["claude-code"][..],
            &[][..],
        ),
        (
            // A bare `Disclosure:` label before a generation statement, in a longer paragraph.
            "fix(milestone): keep the tag\n\nThe tag is read once.\n\n*Disclosure: written with AI assistance (Claude Code). I produced the\nbefore and after by running real binaries.*\n",
            &["claude-code"][..],
            &[][..],
        ),
        (
            "font: discover on Windows\n\nAI usage disclosure: developed with Claude Code (Claude Opus 4.7).\nClaude drafted the implementation; I reviewed each diff.\n",
            &["claude-code"][..],
            &["claude-opus-4.7"][..],
        ),
        (
            // A disclosure section under its heading.
            "perf(map): backshift deletion\n\n## Benchmarks\n\n| a | b |\n\n## LLM Notes\n\nAssisted by GPT 5.6 and Fable. Hand-reviewed, benchmark numbers\nare mine.\n",
            &["generic"][..],
            &["gpt-5.6"][..],
        ),
        (
            "fix(ext/node): fix a worker test (#32074)\n\nDone with @claude\n",
            &["claude-code"][..],
            &[][..],
        ),
        (
            // The first line of a longer paragraph.
            "perf(parser): share buffers\n\nProduced with AI assistance (Claude Code); verified byte-identical\noutput on the fixtures.\n",
            &["claude-code"][..],
            &[][..],
        ),
        (
            "chore(deps): pin aqua\n\n*This PR was generated by an AI coding assistant.*\n",
            &["generic"][..],
            &[][..],
        ),
        (
            "fix(lexer): keep spans\n\n- This PR was prepared with AI assistance and reviewed by the author.\n",
            &["generic"][..],
            &[][..],
        ),
        (
            "fix(lexer): keep spans\n\nPrepared with AI assistance.\n",
            &["generic"][..],
            &[][..],
        ),
        (
            // A sign-off under a rule, with no blank line between.
            "fix: frozen lockfile (#525)\n\n* fix(lockfile): skip the env document\n\nPort the upstream filter.\n\n---\nWritten by an agent (Claude Code, claude-opus-4-7).\n",
            &["claude-code"][..],
            &["claude-opus-4.7"][..],
        ),
        (
            "refactor(compiler): drop locals (#24176)\n\nAI-assisted.\n\nRemove redundant local aliases.\n",
            &["generic"][..],
            &[][..],
        ),
        (
            "fix(linter): nested ifs\n\nAI-generated with Codex; reviewed and validated by the contributor.\n",
            &["codex-cli"][..],
            &[][..],
        ),
        (
            "fix(codegen): keep parens\n\nAssisted by AI (Hermes/Sera). I reviewed the existing tests.\n",
            &["generic"][..],
            &[][..],
        ),
        (
            "fix(gtk): key order\n\nI consulted Claude Code to help try to understand the order.\n",
            &["claude-code"][..],
            &[][..],
        ),
        (
            "feat: glyph cache\n\nAI was used only to write initial tests, I rewrote them.\n",
            &["generic"][..],
            &[][..],
        ),
        (
            "feat: tabs\n\nThis PR was largely generated by Claude Code and fully reviewed.\n",
            &["claude-code"][..],
            &[][..],
        ),
        (
            "feat: tabs\n\nThis PR was written primarily with Codex CLI, using the spec.\n",
            &["codex-cli"][..],
            &[][..],
        ),
        (
            "feat: tripwire\n\n**AI disclosure:** AI wrote some of the tests, but tripwire itself is mine.\n",
            &["generic"][..],
            &[][..],
        ),
        (
            // What the rest of the sentence mentions (Cloudflare's WARP) made nothing.
            "fix(resolver): trust the system store\n\nThis change was developed with OpenAI Codex assistance and has been manually exercised against the reported Cloudflare WARP certificate setup.\n",
            &["codex-cli"][..],
            &[][..],
        ),
    ] {
        let d = run(HUMAN, message);
        assert_agent(&d, agents, models, Role::CoAuthored);
    }
}

#[test]
fn generation_statements_that_name_no_agent_or_stand_in_prose() {
    for message in [
        "chore: bump version\n\nGenerated by scripts/bump-version.sh\n",
        "docs: changelog\n\nGenerated by the release workflow.\n",
        // Mid-paragraph, it describes rather than discloses.
        "docs: explain\n\nThe table below was\nwritten by Claude Code users in the forum.\n",
        // Quoted as an example, fenced, or denied.
        "docs: policy\n\nThe footer reads:\n\n> Generated with Claude Code\n",
        "docs: policy\n\n```\nGenerated with Claude Code\n```\n",
        "docs: policy\n\n    Generated with Claude Code\n",
        "fix: typo\n\nWritten by hand, not with Claude Code.\n",
        // A disclosure section that says none was used, or a heading with nothing under it.
        "fix: parser\n\n## AI Disclosure\n\nNo AI was used.\n",
        "fix: parser\n\nAI Disclosure: no AI was used.\n",
        "fix: parser\n\n## AI Disclosure\n\n## Testing\n\nRan the suite with Claude Code's config.\n",
        // A name in capitals is an acronym or a constant.
        "fix(tasks): honour SSL_CERT_FILE\n\n## AI Disclosure\n\nManually exercised against the reported Cloudflare WARP setup.\n",
        // A disclosure of something else.
        "fix(auth): expire tokens\n\nDisclosure: reported by a Cursor employee through the bounty.\n",
    ] {
        assert_human(&run(HUMAN, message));
    }
}

#[test]
fn the_author_saying_what_a_tool_was_used_for() {
    for (message, agents, models) in [
        (
            "fix(ext/node): keep argv\n\nI used Claude Code to help investigate and write this change.\n",
            &["claude-code"][..],
            &[][..],
        ),
        (
            "perf(codegen): inline\n\nWe leveraged Codex for the port of the upstream tests; every case\nwas checked by hand.\n",
            &["codex-cli"][..],
            &[][..],
        ),
        (
            "fix(build): version strings\n\nI used Sonnet 4.6 to understand where the version strings came from.\n",
            &["generic"][..],
            &["claude-sonnet-4.6"][..],
        ),
        (
            "fix(minifier): keep names\n\nI used AI to generate the code and then reviewed the code.\n",
            &["generic"][..],
            &[][..],
        ),
    ] {
        let d = run(HUMAN, message);
        assert_agent(&d, agents, models, Role::CoAuthored);
    }
    for message in [
        // No purpose: a conversation, or a tool that was only there.
        "fix: bounds\n\nI asked ChatGPT about it:\n\n> it said no\n",
        "fix: render\n\nI had Cursor open when the glyphs broke.\n",
        // Later in a paragraph, it argues rather than discloses.
        "docs: tools\n\nThe guide covers editors, and\nI used Claude Code to check that the steps work.\n",
        // The product used, not a tool that made the change.
        "fix: api\n\nWe used the Claude API to embed the fixtures in an earlier version.\n",
    ] {
        assert_human(&run(HUMAN, message));
    }
}

#[test]
fn a_tool_said_to_have_been_used_for_the_change() {
    let d = run(
        HUMAN,
        "fix(linter): keep comments (#20990)\n\nKeeps them.\n\nCodex was used to implement and validate this change.\n",
    );
    assert_agent(&d, &["codex-cli"], &[], Role::CoAuthored);
    let d = run(
        HUMAN,
        "fix(minifier): keep labels\n\nAI assistance was used to prepare this change; I reviewed it.\n",
    );
    assert_agent(&d, &["generic"], &[], Role::CoAuthored);
    // Tools that are not agents, or an agent said to be used by the program, are no credit.
    assert_human(&run(
        HUMAN,
        "ci: cache\n\nsccache was used to speed up the build.\n",
    ));
    assert_human(&run(
        HUMAN,
        "fix(harness): tools\n\nThe Claude Code harness was used to reproduce it.\n",
    ));
    assert_human(&run(
        HUMAN,
        "docs: harness\n\nThe harness explains how Claude Code and Codex can be driven.\n",
    ));
}
