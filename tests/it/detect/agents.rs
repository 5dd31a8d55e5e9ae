//! Each agent's own forms, and the commit-level traps of the catalogue.

use super::*;

// ---- Claude Code ---------------------------------------------------------------------------------

#[test]
fn claude_trailer_without_model() {
    let d = run(
        HUMAN,
        "Add retry to the uploader\n\n🤖 Generated with [Claude Code](https://claude.ai/code)\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n",
    );
    assert_agent(&d, &["claude-code"], &[], Role::CoAuthored);
    assert_eq!(d.human.as_deref(), Some("ann@example.com"));
    // The trailer and the footer are both recorded, with the matched text.
    assert_eq!(d.evidence.len(), 2, "{:#?}", d.evidence);
    assert!(d.evidence.iter().any(|e| e.kind == EvidenceKind::Trailer
        && e.text == "Co-Authored-By: Claude <noreply@anthropic.com>"));
    assert!(d.evidence.iter().any(|e| e.kind == EvidenceKind::Marker
        && e.location == "footer"
        && e.confidence == Confidence::High));
}

#[test]
fn claude_model_names_are_normalised() {
    for (name, model) in [
        ("Claude Opus 4.6 (1M context)", "claude-opus-4.6"),
        ("Claude Sonnet 4.5", "claude-sonnet-4.5"),
        ("Claude Haiku 4.5", "claude-haiku-4.5"),
        ("Claude (glm-4.7)", "glm-4.7"),
        ("Claude (MiniMax-M2.1)", "minimax-m2.1"),
    ] {
        let msg = format!(
            "fix: handle empty input\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\nCo-Authored-By: {name} <noreply@anthropic.com>\n"
        );
        assert_agent(
            &run(HUMAN, &msg),
            &["claude-code"],
            &[model],
            Role::CoAuthored,
        );
    }
}

#[test]
fn claude_variant_emails() {
    let d = run(
        HUMAN,
        "x\n\nCo-Authored-By: Claude <no-reply@anthropic.com>\n",
    );
    assert_agent(&d, &["claude-code"], &[], Role::CoAuthored);
    // Hand-written variant: domain match, medium confidence, still counts.
    let d = run(
        HUMAN,
        "x\n\nCo-Authored-By: Claude <claude-code@anthropic.com>\n",
    );
    assert_agent(&d, &["claude-code"], &[], Role::CoAuthored);
    assert_eq!(d.evidence[0].confidence, Confidence::Medium);
}

#[test]
fn claude_footer_alone_counts_and_session_is_read() {
    let d = run(
        HUMAN,
        "Refactor config loader\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\n",
    );
    assert_agent(&d, &["claude-code"], &[], Role::CoAuthored);
    let d = run(
        HUMAN,
        "Refactor config loader\n\nClaude-Session: https://claude.ai/code/session_01AbCdEf\n",
    );
    assert_agent(&d, &["claude-code"], &[], Role::CoAuthored);
    assert_eq!(d.session.as_deref(), Some("session_01AbCdEf"));
}

#[test]
fn claude_action_bot_is_author_and_human_is_coauthor() {
    let d = run(
        "claude[bot] <41898282+claude[bot]@users.noreply.github.com>",
        "Fix typo in parser error\n\nCo-authored-by: Ann Example <1234+ann@users.noreply.github.com>\n",
    );
    assert_agent(&d, &["claude-code-action"], &[], Role::Authored);
    assert_eq!(
        d.human.as_deref(),
        Some("1234+ann@users.noreply.github.com")
    );
    // The shared numeric id 41898282 does not make it github-actions.
    assert!(d.bots.is_empty());
}

// ---- Copilot: three apps behind one login --------------------------------------------------------

#[test]
fn copilot_coding_agent_as_author() {
    let d = run(
        "copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>",
        "Add pagination to the list endpoint\n\nCo-authored-by: octo <583231+octocat@users.noreply.github.com>\n",
    );
    assert_agent(&d, &["copilot-agent"], &[], Role::Authored);
    assert_eq!(
        d.human.as_deref(),
        Some("583231+octocat@users.noreply.github.com")
    );
    assert!(d.bots.is_empty(), "an agent [bot] is not an automation bot");
}

#[test]
fn copilot_coding_agent_as_squash_coauthor() {
    let d = run(
        HUMAN,
        "Add pagination (#42)\n\n* Initial plan\n\n* Add pagination\n\n---------\n\nCo-authored-by: copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>\nCo-authored-by: octo <583231+octocat@users.noreply.github.com>\n",
    );
    assert_agent(&d, &["copilot-agent"], &[], Role::CoAuthored);
}

#[test]
fn copilot_review_suggestion_is_review_assist_not_agent() {
    let d = run(
        HUMAN,
        "Update src/lib.rs\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>\n",
    );
    assert_human(&d);
    assert_eq!(d.review_bots, vec!["copilot-review"]);
    let d = run(
        HUMAN,
        "Potential fix for code scanning alert no. 7: Uncontrolled data used in path expression\n\nCo-authored-by: Copilot Autofix powered by AI <175728472+Copilot@users.noreply.github.com>\n",
    );
    assert_human(&d);
    assert_eq!(d.review_bots, vec!["copilot-review"]);
}

#[test]
fn copilot_cli_id_is_its_own_agent() {
    let d = run(
        HUMAN,
        "Speed up build\n\nCo-authored-by: Copilot <223556219+Copilot@users.noreply.github.com>\n",
    );
    assert_agent(&d, &["copilot-cli"], &[], Role::CoAuthored);
    assert_eq!(d.evidence[0].confidence, Confidence::High);
}

// ---- Other agents ----------------------------------------------------------------------------------

#[test]
fn aider_author_suffix_prefix_and_trailer() {
    let d = run(
        "Paul Gauthier (aider) <paul@example.com>",
        "feat: Add --dry-run flag\n",
    );
    assert_agent(&d, &["aider"], &[], Role::CoAuthored);
    assert_eq!(d.human.as_deref(), Some("paul@example.com"));
    let d = run(HUMAN, "aider: Added tests for the parser\n");
    assert_agent(&d, &["aider"], &[], Role::CoAuthored);
    let d = run(
        HUMAN,
        "fix: Correct off-by-one\n\nCo-authored-by: aider (anthropic/claude-sonnet-4-20250514) <aider@aider.chat>\n",
    );
    assert_agent(
        &d,
        &["aider"],
        &["claude-sonnet-4-20250514"],
        Role::CoAuthored,
    );
    // Only the committer renamed: aider commits the user's own edits that way too.
    let d = detect(
        &record_full(
            "Paul Gauthier <paul@example.com>",
            "Paul Gauthier (aider) <paul@example.com>",
            b"Update docs\n",
            1,
        ),
        &Registry::builtin(),
    );
    assert_human(&d);
    assert_eq!(d.weak_agents, vec!["aider"]);
}

#[test]
fn crush_footer_and_assisted_by_forms() {
    let d = run(
        HUMAN,
        "Add TUI theme\n\n💘 Generated with Crush\n\nCo-Authored-By: Crush <crush@charm.land>\n",
    );
    assert_agent(&d, &["crush"], &[], Role::CoAuthored);
    let d = run(HUMAN, "Add TUI theme\n\nAssisted-by: Crush:qwen3.7-max\n");
    assert_agent(&d, &["crush"], &["qwen3.7-max"], Role::CoAuthored);
    assert!(
        d.evidence.iter().all(|e| e.agent == "crush"),
        "the generic Assisted-by rule gives way: {:#?}",
        d.evidence
    );
    let d = run(
        HUMAN,
        "Add TUI theme\n\nAssisted-by: GLM-5.1 via Crush <crush@charm.land>\n",
    );
    assert_agent(&d, &["crush"], &["glm-5.1"], Role::CoAuthored);
}

#[test]
fn assisted_by_needs_the_agent_model_shape() {
    // curl credits people with Assisted-by.
    assert_human(&run(
        HUMAN,
        "lib: fix leak\n\nAssisted-by: Daniel Stenberg\n",
    ));
    // The kernel's AGENT:MODEL form names the agent.
    let d = run(
        HUMAN,
        "lib: fix leak\n\nAssisted-by: Claude:claude-opus-4.6\n",
    );
    assert_agent(&d, &["claude-code"], &["claude-opus-4.6"], Role::CoAuthored);
    // An agent the registry does not know, in the same shape, is an unnamed agent.
    let d = run(HUMAN, "lib: fix leak\n\nAssisted-by: Hal:hal-9000\n");
    assert_agent(&d, &["generic"], &["hal-9000"], Role::CoAuthored);
}

#[test]
fn amp_trailers_and_thread() {
    let d = run(
        HUMAN,
        "Add heuristics\n\nAmp-Thread-ID: https://ampcode.com/threads/T-5f2a1b9c-0000-4e4e-9d9d-123456789abc\nCo-authored-by: Amp <amp@ampcode.com>\n",
    );
    assert_agent(&d, &["amp"], &[], Role::CoAuthored);
    assert_eq!(
        d.session.as_deref(),
        Some("T-5f2a1b9c-0000-4e4e-9d9d-123456789abc")
    );
}

#[test]
fn opencode_footer_and_model_named_trailer() {
    let d = run(
        HUMAN,
        "Refactor\n\n🤖 Generated with [opencode](https://opencode.ai)\n\nCo-Authored-By: grok-4.5 <noreply@opencode.ai>\n",
    );
    assert_agent(&d, &["opencode"], &["grok-4.5"], Role::CoAuthored);
}

#[test]
fn cursor_trailer_and_cloud_agent_author() {
    let d = run(
        HUMAN,
        "Fix flaky test\n\nCo-authored-by: Cursor <cursoragent@cursor.com>\n",
    );
    assert_agent(&d, &["cursor"], &[], Role::CoAuthored);
    let d = run(
        HUMAN,
        "Fix flaky test\n\nCo-authored-by: Cursor (composer 2.5) <cursoragent@cursor.com>\n",
    );
    assert_agent(&d, &["cursor"], &["composer-2.5"], Role::CoAuthored);
    let d = run(
        "Cursor Agent <cursoragent@cursor.com>",
        "Set up dev environment\n",
    );
    assert_agent(&d, &["cursor-cloud"], &[], Role::Authored);
}

#[test]
fn devin_jules_codex_identities_and_links() {
    let d = run(
        "devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>",
        "Optimize create-user query\n\nCo-Authored-By: Ann Example <ann@example.com>\n",
    );
    assert_agent(&d, &["devin"], &[], Role::Authored);
    assert_eq!(d.human.as_deref(), Some("ann@example.com"));
    let d = run(
        "google-labs-jules[bot] <161369871+google-labs-jules[bot]@users.noreply.github.com>",
        "Add input validation\n",
    );
    assert_agent(&d, &["jules"], &[], Role::Authored);
    assert_eq!(d.human, None);
    let d = run(
        HUMAN,
        "Add CSV export (#88)\n\nhttps://chatgpt.com/codex/tasks/task_e_68a1f0c2b3d48321a9f0e1d2c3b4a5f6\n",
    );
    assert_agent(&d, &["codex"], &[], Role::CoAuthored);
    assert_eq!(
        d.session.as_deref(),
        Some("task_e_68a1f0c2b3d48321a9f0e1d2c3b4a5f6")
    );
    let d = run(
        HUMAN,
        "Tidy\n\nCo-authored-by: Codex <noreply@openai.com>\n",
    );
    assert_agent(&d, &["codex-cli"], &[], Role::CoAuthored);
}

#[test]
fn replit_trailers() {
    let d = run(
        HUMAN,
        "Add login page\n\nReplit-Commit-Author: Agent\nReplit-Commit-Session-Id: 8b0e0f4a-3a5e-4b7f-9d55-2f8f0c6a9e11\nReplit-Commit-Checkpoint-Type: full_checkpoint\n",
    );
    assert_agent(&d, &["replit"], &[], Role::CoAuthored);
    assert_eq!(
        d.session.as_deref(),
        Some("8b0e0f4a-3a5e-4b7f-9d55-2f8f0c6a9e11")
    );
}

#[test]
fn agent_branch_in_merge_subject() {
    let reg = Registry::builtin();
    let d = detect(
        &record_full(
            HUMAN,
            HUMAN,
            b"Merge pull request #12 from acme/copilot/fix-11\n\nFix the thing\n",
            2,
        ),
        &reg,
    );
    assert_agent(&d, &["copilot-agent"], &[], Role::CoAuthored);
    assert_eq!(d.evidence[0].kind, EvidenceKind::Branch);
    assert_eq!(d.evidence[0].text, "copilot/fix-11");
    // A bare `codex/` branch is only a lead.
    let d = detect(
        &record_full(HUMAN, HUMAN, b"Merge branch 'codex/add-export'\n", 2),
        &reg,
    );
    assert_human(&d);
    assert_eq!(d.weak_agents, vec!["codex"]);
}

// ---- Traps -------------------------------------------------------------------------------------------

#[test]
fn humans_named_like_agents_are_humans() {
    assert_human(&run(
        HUMAN,
        "Pair on parser\n\nCo-Authored-By: Claude Martin <claude.martin@example.com>\n",
    ));
    assert_human(&run(
        "Claude Martin <claude.martin@example.com>",
        "Add feature\n",
    ));
    assert_human(&run("Devin Smith <devin@example.org>", "Add feature\n"));
    assert_human(&run(
        HUMAN,
        "Review fixes\n\nCo-authored-by: Devin Jones <devin.jones@example.org>\n",
    ));
    assert_human(&run("Claudia Rossi <claudia@example.it>", "Docs\n"));
    assert_human(&run("Jules Verne <jules@example.fr>", "Docs\n"));
}

#[test]
fn the_word_cursor_is_not_cursor() {
    assert_human(&run(
        HUMAN,
        "Fix cursor position after paste\n\nThe cursor jumped to the end; Codex-style amp meters too.\n",
    ));
}

#[test]
fn trailers_quoted_above_the_final_block_do_not_count() {
    let d = run(
        HUMAN,
        "Document attribution\n\nOur agents add a line such as\nCo-Authored-By: Claude <noreply@anthropic.com>\nto each commit; we strip it in CI.\n\nSigned-off-by: Ann Example <ann@example.com>\n",
    );
    assert_human(&d);
    assert_eq!(d.weak_agents, vec!["claude-code"]);
    assert!(d.evidence.iter().all(|e| e.confidence == Confidence::Low));
}

#[test]
fn a_template_mentioning_claude_md_is_not_agent_work() {
    let d = run(
        HUMAN,
        "Add CLAUDE.md template for new services\n\nThe template asks Claude Code to end commits with:\n\n    🤖 Generated with [Claude Code](https://claude.ai/code)\n\n    Co-Authored-By: Claude <noreply@anthropic.com>\n\nSee CLAUDE.md for the rest of the rules.\n",
    );
    assert_human(&d);
    // The footer copy at the start of a line outside the footer is a lead, nothing more.
    let d = run(
        HUMAN,
        "Add CLAUDE.md template\n\nFooter the template asks for:\n🤖 Generated with [Claude Code](https://claude.ai/code)\n\nPlease review CLAUDE.md.\n",
    );
    assert_human(&d);
    assert_eq!(d.weak_agents, vec!["claude-code"]);
}

#[test]
fn copilot_workspace_sessions_and_unnamed_agent_disclosures() {
    let d = run(
        HUMAN,
        "Add is_absolute_path\n\nAdd a new function.\n\n* **abspath.c**: Add it.\n\n---\n\nFor more details, open the [Copilot Workspace session](https://copilot-workspace.githubnext.com/acme/tool?shareId=XXXX-XXXX-XXXX-XXXX).\n",
    );
    assert_agent(&d, &["copilot-workspace"], &[], Role::CoAuthored);
    let d = run(
        HUMAN,
        "fix(ui): validate the checkbox value (#10601)\n\n**This pull request was authored by a coding agent.**\n\n## Summary\n\nRejects non-bool values.\n",
    );
    assert_agent(&d, &["generic"], &[], Role::CoAuthored);
    // A build agent, or an agent the change is about, made nothing here.
    for message in [
        "ci: runners\n\nThis change was made by a build agent on the old runners.\n",
        "feat(agent): spawn\n\nThe agent is created by the scheduler.\n",
    ] {
        assert_human(&run(HUMAN, message));
    }
}

#[test]
fn several_coauthors_crlf_and_non_utf8() {
    let msg = b"Port to new API\r\n\r\nCo-authored-by: J\xe9r\xf4me <jerome@example.fr>\r\nCo-Authored-By: Claude Sonnet 4.5 <noreply@anthropic.com>\r\nco-authored-by: Amp <amp@ampcode.com>\r\n";
    let d = detect(&record(HUMAN, msg), &Registry::builtin());
    assert_agent(
        &d,
        &["amp", "claude-code"],
        &["claude-sonnet-4.5"],
        Role::CoAuthored,
    );
}

#[test]
fn valid_from_bounds_a_signature() {
    let text = r#"
[[agent]]
id = "late-agent"
name = "Late"
category = "agent"
[[agent.signature]]
kind = "trailer"
email = "late@agent.example"
confidence = "high"
valid_from = "2026-02"
"#;
    let reg = Registry::builtin()
        .with_overrides(text, "late.toml")
        .unwrap();
    let msg = b"x\n\nCo-authored-by: Late <late@agent.example>\n";
    let mut r = record(HUMAN, msg);
    assert_eq!(detect(&r, &reg).class, CommitClass::Human, "January");
    r.author.time = 1_772_323_200; // 2026-03-01
    assert_eq!(detect(&r, &reg).class, CommitClass::Agent, "March");
}

// ---- More agents, by their identities and footers -------------------------------------------------

#[test]
fn roomote_identities_and_its_review_suggestions() {
    for author in [
        "roomote <dev@roo.example.org>",
        "Roomote Agent <dev@roo.example.org>",
        "Roomote Bot <dev@roo.example.org>",
        "roomote[bot] <219738659+roomote[bot]@users.noreply.github.com>",
    ] {
        let d = run(author, "Fixes #4837: default a setting to false (#4838)\n");
        assert_agent(&d, &["roo-code"], &[], Role::Authored);
    }
    // A committed review suggestion of its GitHub app is a person's commit.
    assert_human(&run(
        HUMAN,
        "perf: avoid resending history (#10842)\n\nCo-authored-by: roomote[bot] <219738659+roomote[bot]@users.noreply.github.com>\n",
    ));
    // The extension's checkpoint identity leaks into people's commits: only a lead.
    let d = run("Roo Code <support@roocode.com>", "Add tooltips\n");
    assert_human(&d);
    assert_eq!(d.weak_agents, vec!["roo-code"]);
}

#[test]
fn codeflash_optimisation_squashed_by_a_person() {
    let d = run(
        HUMAN,
        "⚡️ Speed up method `Usage.attributes` by 85% (#2198)\n\nCo-authored-by: codeflash-ai[bot] <148906541+codeflash-ai[bot]@users.noreply.github.com>\n",
    );
    assert_agent(&d, &["codeflash"], &[], Role::CoAuthored);
}

#[test]
fn continue_cli_footer_trailer_and_cloud_agent() {
    let d = run(
        HUMAN,
        "fix: handle empty model list\n\nGenerated with [Continue](https://continue.dev)\n\nCo-Authored-By: Continue <noreply@continue.dev>\n",
    );
    assert_agent(&d, &["continue"], &[], Role::CoAuthored);
    let d = run(
        HUMAN,
        "docs: rename references\n\nGenerated with Continue (cn)\n",
    );
    assert_agent(&d, &["continue"], &[], Role::CoAuthored);
    for author in [
        "Continue Agent <agent@continue.dev>",
        "continue[bot] <230936708+continue[bot]@users.noreply.github.com>",
    ] {
        let d = run(author, "test: add unit tests for the adapters\n");
        assert_agent(&d, &["continue"], &[], Role::Authored);
    }
    // Its people co-author under the same domain.
    assert_human(&run(
        HUMAN,
        "fix: lint\n\nCo-authored-by: nate <nate@continue.dev>\n",
    ));
}

#[test]
fn oz_and_hermes_agent_co_authors() {
    let d = run(
        HUMAN,
        "fix: remove timeout (#10)\n\n* remove comment\n\n---------\n\nCo-authored-by: Oz <oz-agent@warp.dev>\n",
    );
    assert_agent(&d, &["warp"], &[], Role::CoAuthored);
    let d = run(
        HUMAN,
        "fix: avoid mutating deps (#11)\n\nCloses #9\n\n---------\n\nCo-authored-by: Hermes Agent <hermes@example.invalid>\n",
    );
    assert_agent(&d, &["hermes-agent"], &[], Role::CoAuthored);
}

#[test]
fn nori_footer_and_co_author() {
    let d = run(
        HUMAN,
        "fix: update the --type help\n\nFixes #2825\n🤖 Generated with [Nori](https://nori.ai)\n\nCo-Authored-By: Nori <contact@tilework.tech>\n",
    );
    assert_agent(&d, &["nori"], &[], Role::CoAuthored);
    // The vendor's address under a person's name is that person.
    assert_human(&run(
        HUMAN,
        "docs: pricing\n\nCo-authored-by: Sam Person <contact@tilework.tech>\n",
    ));
}

#[test]
fn codex_github_app_and_blackbox_agent() {
    let d = run(
        "Codex <242516109+Codex@users.noreply.github.com>",
        "fix(tasks): include type-aware rules (#21001)\n\n---------\n\nCo-authored-by: openai-code-agent[bot] <242516109+Codex@users.noreply.github.com>\nCo-authored-by: Cam Person <cam@person.example.net>\n",
    );
    assert_agent(&d, &["codex"], &[], Role::Authored);
    let d = run(
        HUMAN,
        "feat: add a column\n\nCo-authored-by: BLACKBOX Agent <code@blackbox.ai>\n",
    );
    assert_agent(&d, &["blackbox"], &[], Role::CoAuthored);
}

#[test]
fn projects_software_factories_are_unnamed_agents() {
    let d = run(
        "astro-factory[bot] <316791938+astro-factory[bot]@users.noreply.github.com>",
        "Fix glob loader dropping files with colons (#17776)\n\n* fix(content): keep colons\n\n---------\n\nCo-authored-by: factory[bot] <factory[bot]@users.noreply.github.com>\nCo-authored-by: Matt Person <matt@person.example.org>\n",
    );
    assert_agent(&d, &["generic"], &[], Role::Authored);
    let d = run(
        HUMAN,
        "fix: report per-call usage (#19070)\n\n## Root Cause\n\nThe last step was dropped.\n\n---------\n\nCo-authored-by: ai-sdk-factory <308175966+ai-sdk-factory@users.noreply.github.com>\n",
    );
    assert_agent(&d, &["generic"], &[], Role::CoAuthored);
    // The same app committing a formatter's output is a bot like any other.
    let d = run(
        "astro-factory[bot] <ematipico@users.noreply.github.com>",
        "[ci] format\n",
    );
    assert_eq!(d.class, CommitClass::Bot, "{d:#?}");
}

#[test]
fn bonk_authors_and_co_authors() {
    let d = run(
        "ask-bonk[bot] <249159057+ask-bonk[bot]@users.noreply.github.com>",
        "Fix alarm() to call super for init (#1050)\n",
    );
    assert_agent(&d, &["bonk"], &[], Role::Authored);
    let d = run(
        HUMAN,
        "[wrangler] Fix token listing (#13858)\n\n* fix\n\n---------\n\nCo-authored-by: ask-bonk[bot] <ask-bonk[bot]@users.noreply.github.com>\n",
    );
    assert_agent(&d, &["bonk"], &[], Role::CoAuthored);
}

#[test]
fn antigravity_credited_by_name() {
    let d = run(
        HUMAN,
        "progress: reframe future work\n\nSee the discussion.\n\nAssisted-by: Google Antigravity with Gemini\n",
    );
    assert_eq!(d.agents, vec!["antigravity"], "{d:#?}");
    assert_eq!(d.class, CommitClass::Agent);
}

#[test]
fn atlarix_authors_and_co_authors_with_the_model_as_name() {
    // The model as the author's name, with a role word after it that is no part of the model's.
    let d = run(
        "DeepSeek V4 Pro agent <agent@atlarix.dev>",
        "fix(core): settle a floating promise\n\nCo-authored-by: atlarix-agent <agent@atlarix.dev>\n",
    );
    assert_agent(&d, &["atlarix"], &["deepseek-v4-pro"], Role::Authored);
    // The tool's own name with the role word names no model.
    let d = run(
        HUMAN,
        "fix(core): resolve suspense (#11)\n\n* add a test\n\n---------\n\nCo-authored-by: atlarix-agent <agent@atlarix.dev>\n",
    );
    assert_agent(&d, &["atlarix"], &[], Role::CoAuthored);
    // A person at the vendor's domain is not the agent's address.
    assert_human(&run(
        HUMAN,
        "docs: pricing\n\nCo-authored-by: Sam Person <sam@atlarix.dev>\n",
    ));
}

#[test]
fn mastra_code_co_authors_with_its_model() {
    let d = run(
        HUMAN,
        "feat: tool timeouts (#1710)\n\nCo-authored-by: Sean Person <sean@example.org>\nCo-authored-by: Mastra Code (anthropic/claude-opus-4-6) <noreply@mastra.ai>\n",
    );
    assert_agent(&d, &["mastra-code"], &["claude-opus-4.6"], Role::CoAuthored);
    let d = run(
        HUMAN,
        "fix: retry\n\nCo-Authored-By: Mastra Code <noreply@mastra.ai>\n",
    );
    assert_agent(&d, &["mastra-code"], &[], Role::CoAuthored);
    let d = run(
        "Mastra Code <noreply@mastra.ai>",
        "chore: backup local plugin checkout changes\n",
    );
    assert_agent(&d, &["mastra-code"], &[], Role::Authored);
}

/// Open SWE's app co-authors the pull requests it pushes to, at either form of its address; an
/// app's account means what its entry says in each field (Cursor's address authors for its cloud
/// agent and co-authors for the editor's).
#[test]
fn open_swe_co_authors_and_cursor_means_two_products() {
    for coauthor in [
        "open-swe[bot] <215916821+open-swe[bot]@users.noreply.github.com>",
        "open-swe[bot] <open-swe@users.noreply.github.com>",
    ] {
        let d = run(
            HUMAN,
            &format!("fix: emit valid ids (#8165)\n\nCo-authored-by: {coauthor}\n"),
        );
        assert_agent(&d, &["open-swe"], &[], Role::CoAuthored);
    }
    let d = run(
        HUMAN,
        "fix: retry\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>\n",
    );
    assert_agent(&d, &["cursor"], &[], Role::CoAuthored);
    let d = run("Cursor Agent <cursoragent@cursor.com>", "fix: retry\n");
    assert_agent(&d, &["cursor-cloud"], &[], Role::Authored);
}

/// Projects' own apps that turn issues into pull requests with an agent are agents, by the
/// logins their repositories document; the same kind of name elsewhere says nothing.
#[test]
fn project_agent_apps_by_their_logins() {
    let d = run(
        "pydanty[bot] <251103656+pydanty[bot]@users.noreply.github.com>",
        "Fix `TestModel` generation of falsy const values (#7630)\n",
    );
    assert_agent(&d, &["generic"], &[], Role::Authored);
    let d = run(
        HUMAN,
        "Render enum refs as `Literal` (#7579)\n\nCo-authored-by: pydanty <pydanty@pydantic.dev>\nCo-authored-by: Aditya Person <aditya@example.org>\n",
    );
    assert_agent(&d, &["generic"], &[], Role::CoAuthored);
    let d = run(
        "dagger-codex[bot] <286479171+dagger-codex[bot]@users.noreply.github.com>",
        "fsutil: prune excludes by pattern precedence (#13864)\n\nSigned-off-by: Sol Person <sol@example.org>\n",
    );
    assert_agent(&d, &["codex-cli"], &[], Role::Authored);
    // An app nobody documented is a bot, whatever its name.
    let d = run(
        "acme-codex[bot] <1+acme-codex[bot]@users.noreply.github.com>",
        "chore: sync\n",
    );
    assert_eq!(d.class, CommitClass::Bot, "{d:#?}");
}
