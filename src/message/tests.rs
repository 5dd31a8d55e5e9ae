use super::*;

fn zones(msg: &str) -> Vec<(String, TrailerZone)> {
    Message::parse(msg.as_bytes())
        .trailers()
        .into_iter()
        .map(|t| (format!("{}: {}", t.key, t.value), t.zone))
        .collect()
}

use TrailerZone::{Block, Loose, Paragraph, Quoted};

#[test]
fn final_trailer_block() {
    assert_eq!(
        zones(
            "Add parser\n\nBody.\n\nSigned-off-by: Ann <ann@example.com>\nCo-authored-by: B <b@x>\n"
        ),
        vec![
            ("Signed-off-by: Ann <ann@example.com>".into(), Block),
            ("Co-authored-by: B <b@x>".into(), Block),
        ]
    );
}

#[test]
fn squash_sections_each_end_in_a_block() {
    let msg = "Fix watcher (#959)\n\n* refactor: one watcher\n\nShared watcher.\n\n💖 Generated with Crush\nCo-Authored-By: Crush <crush@charm.land>\n\n* docs: clarify\n\nAmp-Thread-ID: https://ampcode.com/threads/T-1\n\n---------\n\nCo-authored-by: Ann <ann@example.com>\n";
    assert_eq!(
        zones(msg),
        vec![
            ("Co-Authored-By: Crush <crush@charm.land>".into(), Block),
            (
                "Amp-Thread-ID: https://ampcode.com/threads/T-1".into(),
                Block
            ),
            ("Co-authored-by: Ann <ann@example.com>".into(), Block),
        ]
    );
    let m = Message::parse(msg.as_bytes());
    let footer = msg.find("💖").unwrap();
    assert_eq!(
        m.place(footer),
        Place::Footer,
        "a footer glued above trailers"
    );
    assert_eq!(m.place(msg.find("Shared").unwrap()), Place::Footer);
}

#[test]
fn a_trailer_paragraph_followed_by_prose_is_not_a_block() {
    assert_eq!(
        zones("Subject\n\nAssisted-by: Claude Code\n\nThe rest of the story.\n"),
        vec![("Assisted-by: Claude Code".into(), Paragraph)]
    );
}

#[test]
fn glued_lines_and_the_subject_paragraph() {
    // One sentence glued above trailers does not hide them.
    assert_eq!(
        zones("Subject\n\nFix the thing for real.\nCo-authored-by: A <a@b>\n")[0].1,
        Block
    );
    // A trailer right under the subject, no blank line: still a trailer run.
    assert_eq!(zones("fix: thing\nAssisted-By: Claude Code\n")[0].1, Block);
    // The subject itself is never a trailer.
    assert_eq!(zones("fix: thing\n"), vec![]);
    // Three prose lines above: the trailer is loose.
    assert_eq!(
        zones("S\n\nsome text\nmore text\nthird line.\nCo-authored-by: A <a@b>\n")[0].1,
        Loose
    );
}

#[test]
fn introduced_or_mid_sentence_trailers_are_quotations() {
    assert_eq!(
        zones("Document\n\nOur agents add a line such as\nCo-Authored-By: Claude <noreply@anthropic.com>\nto each commit; we strip it.\n")[0].1,
        Quoted
    );
    assert_eq!(
        zones("Document\n\nThe template says:\nCo-Authored-By: Claude <noreply@anthropic.com>\n\nSigned-off-by: A <a@b>\n")[0].1,
        Quoted
    );
}

#[test]
fn quoted_text_has_no_trailers() {
    let msg = "Add template\n\n```\nCo-Authored-By: Claude <noreply@anthropic.com>\n```\n\n    Assisted-by: Claude Code\n\n> Co-authored-by: Amp <amp@ampcode.com>\n";
    assert_eq!(zones(msg), vec![]);
    let m = Message::parse(msg.as_bytes());
    assert_eq!(m.place(msg.find("Assisted").unwrap()), Place::Quoted);
    let msg = "Explain\n\nRemove the `https://ampcode.com/threads/T-1` link.\n";
    let m = Message::parse(msg.as_bytes());
    assert_eq!(m.place(msg.find("https").unwrap()), Place::Quoted);
}

#[test]
fn a_link_wrapped_below_its_key_is_its_value() {
    let t = Message::parse(b"S\n\nFixes: #1\nAmp-Thread-ID:\nhttps://ampcode.com/threads/T-9\n")
        .trailers();
    assert_eq!(t[1].value.as_bytes(), b"https://ampcode.com/threads/T-9");
}

#[test]
fn continuation_lines_are_folded() {
    let t = Message::parse(b"S\n\nKey: first\n  second\nOther: x\n").trailers();
    assert_eq!(t[0].value.as_bytes(), b"first second");
    assert_eq!(t[1].value.as_bytes(), b"x");
}

#[test]
fn git_rule_for_paragraphs_with_signed_off_by() {
    let msg =
        "S\n\nline one\nline two\nline three\nSigned-off-by: A <a@b>\nCo-authored-by: C <c@d>\n";
    assert!(zones(msg).iter().all(|(_, z)| *z == Block));
}

#[test]
fn crlf_and_non_utf8_survive() {
    let mut msg = b"Subject\r\n\r\nco-authored-by: J\xe9r\xf4me <j@x.fr>\r\n".to_vec();
    msg.extend_from_slice(b"Assisted-by: Crush:glm-5\r\n");
    let t = Message::parse(&msg).trailers();
    assert_eq!(t.len(), 2);
    assert_eq!(t[0].value.as_bytes(), b"J\xe9r\xf4me <j@x.fr>");
    assert_eq!(t[1].zone, Block);
}

#[test]
fn footer_zones() {
    let msg = "Subject\n\nBody text.\n\n🤖 Generated with [Claude Code](https://claude.ai/code)\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n";
    let m = Message::parse(msg.as_bytes());
    assert_eq!(m.place(msg.find("Body").unwrap()), Place::Body);
    assert_eq!(m.place(msg.find("🤖").unwrap()), Place::Footer);
    assert_eq!(m.place(0), Place::Subject);
    // A marker in prose that goes on is not in a footer.
    let msg = "Add template\n\nFooter the template asks for:\n🤖 Generated with [Claude Code](x)\n\nPlease review.\n";
    let m = Message::parse(msg.as_bytes());
    assert_eq!(m.place(msg.find("🤖").unwrap()), Place::Body);
    // What a review bot appends to the description is no part of the author's text: the author's
    // footer ends above it.
    for bot in [
        "<!-- This is an auto-generated comment: release notes by coderabbit.ai\n-->\n\n## Summary by CodeRabbit\n\n* Docs\n",
        "<!-- This is an auto-generated description by cubic. -->\n---\n## Summary by cubic\nAdds docs.\n",
    ] {
        let msg =
            format!("Docs (#9)\n\n- [x] Docs only\n🤖 Generated with [Claude Code](x)\n\n{bot}");
        let m = Message::parse(msg.as_bytes());
        assert_eq!(m.place(msg.find("🤖").unwrap()), Place::Footer, "{msg}");
        assert_eq!(m.place(msg.find("- [x]").unwrap()), Place::Footer, "{msg}");
    }
    // Any other paragraph below keeps it in the body.
    let msg = "Docs\n\n- [x] Docs only\n🤖 Generated with [Claude Code](x)\n\n<!-- a note -->\n";
    let m = Message::parse(msg.as_bytes());
    assert_eq!(m.place(msg.find("🤖").unwrap()), Place::Body);
}

#[test]
fn disclosure_lines() {
    let msg = "Speed up\n\nNumbers.\n\n**AI usage:** Profiled and written by Fable.\nPlan validated by me.\n";
    let d = Message::parse(msg.as_bytes()).disclosures();
    assert_eq!(d.len(), 1);
    assert_eq!(
        d[0].1,
        "Profiled and written by Fable.\nPlan validated by me."
    );
    let msg = "x\n\n*AI-assisted — Tool: Claude Code; model: anthropic/claude-fable-5.*\n";
    assert_eq!(
        Message::parse(msg.as_bytes()).disclosures()[0].1,
        "Tool: Claude Code; model: anthropic/claude-fable-5.*"
    );
    assert!(
        Message::parse(b"AI usage: in the subject\n")
            .disclosures()
            .is_empty()
    );
    assert!(
        Message::parse(b"S\n\nAIM: not a disclosure\n")
            .disclosures()
            .is_empty()
    );
}

#[test]
fn subject_line_agrees_with_the_parsed_subject() {
    for msg in [
        "",
        "\n\n",
        "Fix it",
        "Fix it\n",
        "\n  \t\nFix it\r\n\nBody\n",
        "Fix it\r",
        " \r\n\r\nSubject\r\nsecond\r\n",
        "Subject\n\nBody\n\nSigned-off-by: A <a@b>\n",
    ] {
        assert_eq!(
            subject_line(msg.as_bytes()),
            Message::parse(msg.as_bytes()).subject(),
            "{msg:?}"
        );
    }
}

#[test]
fn separator_rules() {
    assert_eq!(separator_pos(b"Key: v"), Some(3));
    assert_eq!(separator_pos(b"Key : v"), Some(4));
    assert_eq!(separator_pos(b"Two words: v"), None);
    assert_eq!(separator_pos(b"https://x"), None);
    assert_eq!(separator_pos(b" Key: v"), None);
    assert_eq!(separator_pos(b": v"), None);
}

#[test]
fn identity_split() {
    assert_eq!(
        split_identity(b"Claude Opus 4.6 (1M context) <noreply@anthropic.com>".as_bstr()),
        (
            b"Claude Opus 4.6 (1M context)".as_bstr(),
            b"noreply@anthropic.com".as_bstr()
        )
    );
    assert_eq!(
        split_identity(b"Crush:glm-5".as_bstr()),
        (b"Crush:glm-5".as_bstr(), b"".as_bstr())
    );
}
