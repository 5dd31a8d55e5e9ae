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
