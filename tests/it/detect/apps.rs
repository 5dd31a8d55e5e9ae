//! Agents beyond the major ones, by their identities and footers, and projects' own agent apps.

use super::*;

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

#[test]
fn sageox_guided_commits_are_an_unnamed_agents() {
    let d = run(
        HUMAN,
        "docs: add daemon analysis\n\n- Document auto-sync\n\nCo-Authored-By: SageOx <ox@sageox.ai>\n",
    );
    assert_agent(&d, &["generic"], &[], Role::CoAuthored);
    // Named beside a known agent, the agent is the one counted.
    let d = run(
        HUMAN,
        "Add the parser\n\nCo-Authored-By: SageOx <ox@sageox.ai>\nCo-Authored-By: Claude Opus 4.8 <noreply@anthropic.com>\n",
    );
    assert_agent(&d, &["claude-code"], &["claude-opus-4.8"], Role::CoAuthored);
}

#[test]
fn the_codex_apps_pull_request_title() {
    let d = run(
        HUMAN,
        "[codex] Remove stale platform tags input (#19341)\n\n## Summary\n\nNo longer referenced.\n",
    );
    assert_agent(&d, &["codex"], &[], Role::CoAuthored);
    // A component tag written as projects write them, or the prefix anywhere but the subject's
    // start, is no trace.
    for msg in [
        "[Codex] add config reader for the codex adapter\n",
        "Rename [codex] tags\n\n[codex] Remove stale input\n",
        "fix: parse the `[codex] ` prefix\n",
    ] {
        assert_human(&run(HUMAN, msg));
    }
}

#[test]
fn gptme_agents_by_their_own_identities() {
    let d = run("Bob <bob@superuserlabs.org>", "fix(shell): decode bytes\n");
    assert_agent(&d, &["gptme"], &[], Role::Authored);
    let d = run(
        "Bob <12345+TimeToBuildBob@users.noreply.github.com>",
        "docs: add lessons\n",
    );
    assert_agent(&d, &["gptme"], &[], Role::Authored);
    let d = run(
        HUMAN,
        "docs(alternatives): add a comparison (#2110)\n\nCloses #2101\n\nCo-authored-by: TimeToLearnAlice <alice@gptme.org>\n",
    );
    assert_agent(&d, &["gptme"], &[], Role::CoAuthored);
    let d = run(
        "gptme-thomas <thomas@example.org>",
        "feat(webui): avatars\n",
    );
    assert_agent(&d, &["gptme"], &[], Role::Authored);
    // Other people named Bob or Alice, and the project's own name, are people.
    for author in [
        "Bob <bob@example.org>",
        "Alice Smith <alice@gptme.example>",
        "gptme <erik@example.org>",
    ] {
        assert_human(&run(author, "fix: typo\n"));
    }
}

#[test]
fn plandex_applies_plans_under_its_own_subject() {
    for msg in [
        "🤖 Plandex → Implement context show API and CLI command\n",
        "🤖 Plandex → apply pending changes\n  ✏️  Add logic to read the version\n",
        "\x1b[44;97;1m 🤖 Plandex \x1b[0;0;22m\n🏗️  Rebuild paths invalidated by context update\n",
    ] {
        assert_agent(&run(HUMAN, msg), &["plandex"], &[], Role::CoAuthored);
    }
    for msg in [
        "Revert \"🤖 Plandex → apply pending changes\"\n\nThis reverts commit 72e9a66.\n",
        "docs: how 🤖 Plandex replies are shown\n",
        "Fix the stream\n\n🤖 Plandex reply 👇 is printed above each reply.\n",
    ] {
        assert_human(&run(HUMAN, msg));
    }
}

#[test]
fn codebuff_and_pochi_footers_and_co_authors() {
    for msg in [
        "fix: referral page\n\n🤖 Generated with Codebuff\nCo-Authored-By: Codebuff <noreply@codebuff.com>\n",
        "feat(agents): add aliases\n\n🤖 Generated with Codebuff Co-Authored-By: Codebuff\n<noreply@codebuff.com>\n",
        "fix: types\n\nGenerated with Codebuff 🤖\n",
    ] {
        assert_agent(&run(HUMAN, msg), &["codebuff"], &[], Role::CoAuthored);
    }
    let d = run(
        HUMAN,
        "feat(serve): index reader (#4436)\n\n🤖 Generated with [Pochi](https://getpochi.com) | [Task](https://app.getpochi.com/share/p-0486319d4f5940099912bb1743f7396b)\n\nCo-authored-by: Pochi <noreply@getpochi.com>\n",
    );
    assert_agent(&d, &["pochi"], &[], Role::CoAuthored);
    assert_eq!(
        d.session.as_deref(),
        Some("p-0486319d4f5940099912bb1743f7396b")
    );
    for msg in [
        "docs: compare Codebuff with other agents\n\nGenerated with Codebuff is what its footer says.\nMore.\n",
        "Mention Pochi\n\nPochi writes `🤖 Generated with [Pochi](https://getpochi.com)`.\n",
    ] {
        assert_human(&run(HUMAN, msg));
    }
}

#[test]
fn letta_code_footer_and_its_agents_own_identities() {
    let d = run(
        HUMAN,
        "fix(local): reasoning selection\n\nAdd choices.\n\n👾 Generated with [Letta Code](https://letta.com)\n",
    );
    assert_agent(&d, &["letta-code"], &[], Role::CoAuthored);
    let d = run(
        "Tutor <agent-4140c4b5-f32e-475c-9573-bcfd9446ca7b@letta.com>",
        "memory: note the build steps\n",
    );
    assert_agent(&d, &["letta-code"], &[], Role::Authored);
    let d = run(
        HUMAN,
        "feat: topics\n\nCo-authored-by: Amelia <agent-cd664b86-4d28-49b7-8ad6-eaff9be01234@letta.com>\n",
    );
    assert_agent(&d, &["letta-code"], &[], Role::CoAuthored);
    // Letta's people commit at letta.com too.
    assert_human(&run("Amy Guan <amy@letta.com>", "fix: typo\n"));
    assert_human(&run("Agent Smith <agent-smith@letta.com>", "fix: typo\n"));
}

#[test]
fn oh_my_opencode_footer_and_sisyphus_co_author() {
    for msg in [
        "fix: guard the loop\n\nUltraworked with [Sisyphus](https://github.com/code-yeongyu/oh-my-openagent)\nCo-authored-by: Sisyphus <clio-agent@sisyphuslabs.ai>\n",
        "docs: restructure\n\n**Ultraworked with [Sisyphus](https://github.com/code-yeongyu/oh-my-opencode)**\n",
        "feat: add sync\n\nCo-authored-by: Sisyphus <clio-agent@sisyphuslabs.ai>\n",
    ] {
        assert_agent(&run(HUMAN, msg), &["oh-my-opencode"], &[], Role::CoAuthored);
    }
    // A project's rule quoting the footer it forbids is documentation.
    assert_human(&run(
        HUMAN,
        "docs: commit rules\n\nDo NOT include these footers:\n\n- `Ultraworked with [Sisyphus](https://github.com/code-yeongyu/oh-my-opencode)`\n- `Co-authored-by: Sisyphus <clio-agent@sisyphuslabs.ai>`\n\nMore rules follow.\n",
    ));
}

#[test]
fn manus_openclaw_and_named_assistants_by_their_identities() {
    assert_agent(
        &run(
            "Manus AI <manus@manus.im>",
            "feat: add voice transcription\n",
        ),
        &["manus"],
        &[],
        Role::Authored,
    );
    for author in ["Clawdbot <clawdbot@localhost>", "openclaw <me@example.org>"] {
        assert_agent(
            &run(author, "fix: treat molecule as a core type\n"),
            &["openclaw"],
            &[],
            Role::Authored,
        );
    }
    assert_agent(
        &run(
            "AI assistant of @schickling <261620128+schickling-assistant@users.noreply.github.com>",
            "Fix the docs build\n",
        ),
        &["generic"],
        &[],
        Role::Authored,
    );
    // Manus's staff and people's own accounts are people.
    for author in [
        "Ann Example <ann@manus.im>",
        "Clawd Person <clawd@example.org>",
        "Ann, an AI assistant of nobody's <ann@example.org>",
    ] {
        assert_human(&run(author, "fix: typo\n"));
    }
}

#[test]
fn forgecode_co_authors_but_committing_alone_says_nothing() {
    for msg in [
        "fix(ui): wrap long lines\n\nCo-Authored-By: ForgeCode <noreply@forgecode.dev>\n",
        "feat: add retries\n\nCo-authored-by: Forge <forge@antinomy.ai>\n",
    ] {
        assert_agent(&run(HUMAN, msg), &["forgecode"], &[], Role::CoAuthored);
    }
    let r = record_full(
        HUMAN,
        "ForgeCode <noreply@forgecode.dev>",
        b"fix: handle an empty list\n",
        1,
    );
    assert_human(&detect(&r, &Registry::builtin()));
}
