//! The prose lines of a message where people say which tool made a change: disclosure labels
//! (`**AI usage:** …`), credit lines (`* Codex (GPT-5.6 High) fixed …`) and generation statements
//! (`Written by an agent (Claude Code, …).`). Only their shape is decided here; whether the names
//! in them are agents is the registry's to say.

use bstr::ByteSlice;

/// The label of a disclosure line, and the text after it: an optional emphasis, `AI` or `LLM`, a
/// word or two saying it is about use (`usage`, `disclosure`, `assisted`, `usage disclosure`, …),
/// then `:` or a dash. A bare `Disclosure:` (or `Disclosures:`, `Disclaimer:`) is one only when a
/// generation or usage statement follows it (`*Disclosure: written with AI assistance (Claude
/// Code). …`, `**Disclaimer:** Fully written by GitHub Copilot`): alone it may disclose anything.
pub(super) fn disclosure_label(text: &[u8]) -> Option<&[u8]> {
    if unticked(text) {
        return None;
    }
    // Emphasis, a heading's `#`, a quote's `>`, a list bullet or an emoji (`🤖 **Disclosure:**`).
    let t = text.trim_start_with(|c| !c.is_alphanumeric());
    let Some(rest) = after_ai(t) else {
        let rest = [&b"disclosures"[..], b"disclosure", b"disclaimer"]
            .iter()
            .find_map(|w| strip_prefix_ci(t, w))?;
        let rest = label_end(rest)?;
        return (generation_statement(rest).is_some() || usage_statement(rest).is_some())
            .then_some(rest);
    };
    let mut rest = &rest[word_len(rest, &LABEL_WORDS)?..];
    // `AI usage disclosure:`, `AI assistance disclaimer —`.
    if let Some(second) = rest
        .strip_prefix(b" ")
        .and_then(|r| Some(&r[word_len(r, &LABEL_WORDS)?..]))
    {
        rest = second;
    }
    label_end(rest)
}

/// `rest` after a qualifier saying which rule a label follows (`, per CONTRIBUTING`,
/// ` (per the AI usage guidelines)`), up to the label's colon.
fn after_qualifier(rest: &[u8]) -> Option<&[u8]> {
    let q = strip_prefix_ci(rest, b", per ").or_else(|| strip_prefix_ci(rest, b" (per "))?;
    let colon = q[..q.len().min(80)].find_byte(b':')?;
    // `CONTRIBUTING.md` is a name; a full stop and a space end a sentence.
    (q[..colon].find(b". ").is_none()).then(|| &q[colon..])
}

/// A heading that opens a disclosure section (`## AI Disclosure`, `### AI usage`, `## LLM Notes`):
/// the paragraph under it says which tools took part.
pub(super) fn disclosure_heading(text: &[u8]) -> bool {
    let Some(t) = text.strip_prefix(b"#") else {
        return false;
    };
    let t = t.trim_start_with(|c| matches!(c, '#' | ' ' | '*' | '_'));
    let Some(mut rest) = after_ai(t) else {
        return false;
    };
    // A heading may also say `used`, `notes` or `notice` (`### AI Tools Used`, `## LLM Notes`,
    // `## AI assistance notice`); `used` is tried before the labels' `use`.
    let word = |t: &[u8]| {
        word_len(t, &[b"used", b"notes", b"notice"]).or_else(|| word_len(t, &LABEL_WORDS))
    };
    let mut words = 0;
    while let Some(len) = word(rest) {
        words += 1;
        rest = rest[len..].trim_start_with(|c| c == ' ');
    }
    words > 0
        && rest
            .iter()
            .all(|&b| matches!(b, b':' | b'*' | b'_' | b' ' | b'\t'))
}

/// The words after `AI` or `LLM` that make a disclosure label (`AI usage:`, `LLM disclosure`).
const LABEL_WORDS: [&[u8]; 9] = [
    b"usage",
    b"use",
    b"disclosure",
    b"disclaimer",
    b"assistance",
    b"assisted",
    b"generated",
    b"tools",
    b"tool",
];

/// What follows a leading `AI` or `LLM` and the dash or space after it.
fn after_ai(text: &[u8]) -> Option<&[u8]> {
    let rest = strip_prefix_ci(text, b"ai").or_else(|| strip_prefix_ci(text, b"llm"))?;
    Some(
        rest.strip_prefix(b"-")
            .or_else(|| rest.strip_prefix(b" "))
            .unwrap_or(rest),
    )
}

/// The length of the first of `words` that `text` opens with (any case).
fn word_len(text: &[u8], words: &[&[u8]]) -> Option<usize> {
    words
        .iter()
        .find(|w| strip_prefix_ci(text, w).is_some())
        .map(|w| w.len())
}

/// What follows a label's `:` or dash, emphasis and spaces around it left out. The label may
/// name the rule it follows first (`AI disclosure, per CONTRIBUTING:`, `AI usage (per the
/// guidelines):`).
fn label_end(rest: &[u8]) -> Option<&[u8]> {
    let rest = after_qualifier(rest).unwrap_or(rest);
    let rest = rest.trim_start_with(|c| matches!(c, '*' | '_' | ' '));
    let rest = rest
        .strip_prefix(b":")
        .or_else(|| rest.strip_prefix("—".as_bytes()))
        .or_else(|| rest.strip_prefix("–".as_bytes()))
        .or_else(|| rest.strip_prefix(b"- "))?;
    Some(rest.trim_start_with(|c| matches!(c, '*' | '_' | ' ')))
}

/// `Name (…)` at the start of `text` (after a list bullet) when a verb of making follows it.
pub(super) fn credit_opening(text: &[u8]) -> Option<&[u8]> {
    const VERBS: [&[u8]; 14] = [
        b"wrote",
        b"fixed",
        b"added",
        b"implemented",
        b"generated",
        b"drafted",
        b"refactored",
        b"made",
        b"created",
        b"ported",
        b"rewrote",
        b"authored",
        b"did",
        b"helped",
    ];
    let t = text.trim_ascii_start();
    let t = [&b"* "[..], b"- ", "\u{2022} ".as_bytes()]
        .iter()
        .find_map(|b| t.strip_prefix(*b))
        .unwrap_or(t)
        .trim_ascii_start();
    let open = t.find_byte(b'(').filter(|&o| o > 0 && o <= 40)?;
    let close = open + t[open..].find_byte(b')').filter(|&c| c <= 60)?;
    let rest = t[close + 1..].trim_ascii_start();
    let verb = rest.split(|&b| !b.is_ascii_alphabetic()).next()?;
    VERBS
        .iter()
        .any(|v| v.eq_ignore_ascii_case(verb))
        .then(|| &t[..=close])
}

/// Whether a line is a task-list item left unticked (`- [ ] …`, `[ ] …`): a template's offer,
/// not something the author says.
pub fn unticked(line: &[u8]) -> bool {
    let t = line.trim_ascii_start();
    let t = [b'-', b'*', b'+']
        .iter()
        .find_map(|b| t.strip_prefix(&[*b]))
        .map_or(t, <[u8]>::trim_ascii_start);
    t.starts_with(b"[ ]")
}

/// `_codex-gpt-5.5-medium on behalf of maphew_`: a line of its own (emphasis aside) signing the
/// change as a tool acting for a person, as an agent's configured signature writes it. Returns
/// what signs (`codex-gpt-5.5-medium`); whether that is an agent or a model is the registry's to
/// say, so `Merged on behalf of the release team` signs nothing.
pub(super) fn behalf_signer(text: &[u8]) -> Option<&[u8]> {
    let emphasis = |c: char| matches!(c, '*' | '_') || c.is_whitespace();
    let t = text.trim_start_with(emphasis).trim_end_with(emphasis);
    const ON_BEHALF: &[u8] = b" on behalf of ";
    let at = t
        .windows(ON_BEHALF.len())
        .position(|w| w.eq_ignore_ascii_case(ON_BEHALF))?;
    let (signer, person) = (&t[..at], &t[at + ON_BEHALF.len()..]);
    // A signature, not a sentence: a short name for each side and nothing after the person.
    let short = |s: &[u8], words: usize| {
        !s.is_empty() && s.len() <= 60 && s.split(|&b| b == b' ').count() <= words
    };
    (short(signer, 3) && short(person, 4) && !person.contains(&b'.')).then_some(signer)
}

fn strip_prefix_ci<'t>(text: &'t [u8], prefix: &[u8]) -> Option<&'t [u8]> {
    (text.len() >= prefix.len() && text[..prefix.len()].eq_ignore_ascii_case(prefix))
        .then(|| &text[prefix.len()..])
}

/// The verbs of making a generation statement opens with (`Written by …`, `done with …`).
const STATEMENT_VERBS: [&[u8]; 19] = [
    b"co-authored",
    b"co-written",
    b"done",
    b"prepared",
    b"generated",
    b"written",
    b"authored",
    b"created",
    b"made",
    b"drafted",
    b"built",
    b"developed",
    b"produced",
    b"implemented",
    b"coded",
    b"assisted",
    b"vibe coded",
    b"vibe-coded",
    b"vibecoded",
];

/// A generation statement: a line opening a paragraph that says what made the change (`Written by an agent
/// (Claude Code, claude-opus-4-8).`, `🤖 generated with help from Claude Opus 4.5`, `Authored with
/// Claude Code; reviewed by a human before merge.`, `Codex was used to implement this change.`,
/// `Code by o3, docstring by Claude Sonnet 4`),
/// and the text that names what made it. Which agent or model that text names, if any, is the
/// registry's to say: `Generated by scripts/bump-version.sh` names none.
pub(super) fn generation_statement(text: &[u8]) -> Option<std::ops::Range<usize>> {
    const LINKS: [&[u8]; 3] = [b"with", b"by", b"using"];
    if unticked(text) {
        return None;
    }
    let t = text.trim_start_with(|c| !c.is_alphanumeric());
    let t = after_prose_label(t).unwrap_or(t);
    let lead = text.len() - t.len();
    // `Codex was used to implement and validate this change.`: the tools come first.
    // A thing of the project (`The Claude Code harness was used to …`) is no tool that made it.
    const DETERMINERS: [&[u8]; 9] = [
        b"the ", b"a ", b"an ", b"this ", b"that ", b"our ", b"its ", b"their ", b"my ",
    ];
    if let Some(at) = t.find(" was used ").or_else(|| t.find(" were used "))
        && at <= 60
    {
        let owned = DETERMINERS.iter().any(|d| strip_prefix_ci(t, d).is_some());
        return (!owned).then_some(lead..lead + at);
    }
    // `With the help of Codex CLI: <transcript>`: what helped, with no verb before it. A service
    // the code calls (`With the help of the Claude API, titles are …`) is no tool that made it.
    const HELPED: [&[u8]; 3] = [
        b"with the help of ",
        b"with help from ",
        b"with assistance from ",
    ];
    if let Some(names) = HELPED.iter().find_map(|h| strip_prefix_ci(t, h)) {
        let clause = &names[..first_clause(names)];
        let service = clause
            .split(|b| !b.is_ascii_alphanumeric())
            .any(service_word);
        let start = text.len() - names.len();
        return (!service).then_some(start..start + clause.len());
    }
    // `This pull request was authored by Claude Code.`: the change itself is the subject, or a
    // part of it (`Parts of the port were done by claude`).
    let t = change_as_subject(t)
        .or_else(|| part_as_subject(t))
        .unwrap_or(t);
    // `Code by o3, docstring by Claude Sonnet 4`, `Tests written by Codex`, `Test cases were
    // initially generated by Claude`: the part of the work, then what made it.
    let t = match WORKS.iter().find_map(|w| strip_prefix_ci(t, w)) {
        Some(rest) => {
            if let Some(names) = strip_prefix_ci(rest, b"by ") {
                let start = text.len() - names.len();
                return Some(start..start + first_clause(names));
            }
            WORK_TENSES
                .iter()
                .find_map(|t| strip_prefix_ci(rest, t))
                .unwrap_or(rest)
        }
        None => t,
    };
    // `AI-generated with Codex; reviewed by the contributor.`
    let t = strip_prefix_ci(t, b"ai-")
        .or_else(|| strip_prefix_ci(t, b"ai "))
        .filter(|rest| {
            STATEMENT_VERBS
                .iter()
                .any(|v| strip_prefix_ci(rest, v).is_some())
        })
        .unwrap_or(t);
    // `Mostly done with OpenCode and Claude Sonnet 4.6`: how much, before the verb.
    let t = skip_adverbs(t);
    let verb = STATEMENT_VERBS.iter().find_map(|v| strip_prefix_ci(t, v))?;
    let rest = verb.trim_start_with(|c| matches!(c, ' ' | '*' | '_'));
    let rest = skip_adverbs(rest);
    // `generated and benchmarked using Claude Code`, `created and iterated on with AI`.
    let rest = second_verb(rest).unwrap_or(rest);
    let link = LINKS.iter().find(|l| {
        // The names may wrap onto the next line (`This PR was authored by` ⏎ `Kagura, an AI agent`).
        // `Assisted by: Claude Opus 4.6`, a credit written as prose.
        strip_prefix_ci(rest, l).is_some_and(|r| {
            r.first()
                .is_none_or(|b| b.is_ascii_whitespace() || *b == b':')
        })
    })?;
    let names = rest[link.len()..]
        .strip_prefix(b":")
        .unwrap_or(&rest[link.len()..])
        .trim_ascii_start();
    let start = text.len() - names.len();
    Some(start..start + first_clause(names))
}

/// The length of the clause that opens `text`: up to the end of its sentence, a semicolon, or an
/// `and` that starts a clause of its own (`… with OpenAI Codex assistance and has been exercised
/// against the reported Cloudflare WARP setup`), so that what the rest of the line mentions is
/// not read as what made the change. A list of tools (`Claude Code, Codex and Cursor`) is one
/// clause.
fn first_clause(text: &[u8]) -> usize {
    const CLAUSE_WORDS: [&[u8]; 8] = [
        b"has ", b"have ", b"was ", b"were ", b"is ", b"will ", b"then ", b"it ",
    ];
    let mut depth = 0i32;
    for (i, &b) in text.iter().enumerate() {
        match b {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            b';' if depth <= 0 => return i,
            b'.' | b'!' | b'?' if depth <= 0 && text.get(i + 1).is_some_and(|&n| n == b' ') => {
                return i;
            }
            b' ' if depth <= 0 => {
                if let Some(next) = strip_prefix_ci(&text[i + 1..], b"and ") {
                    let word = next.split(|&c| c == b' ').next().unwrap_or_default();
                    let verb_form = word.len() > 4 && word.ends_with(b"ed");
                    if verb_form
                        || CLAUSE_WORDS
                            .iter()
                            .any(|w| strip_prefix_ci(next, w).is_some())
                    {
                        return i;
                    }
                }
            }
            _ => {}
        }
    }
    text.len()
}

/// The text after a label that sets a statement apart (`Note: I used Codex while preparing this
/// change`): a line git would read as a trailer, which here opens prose.
pub(super) fn after_prose_label(text: &[u8]) -> Option<&[u8]> {
    const LABELS: [&[u8]; 5] = [b"note: ", b"nb: ", b"ps: ", b"fyi: ", b"disclosure: "];
    LABELS
        .iter()
        .find_map(|l| strip_prefix_ci(text, l))
        .or_else(|| per_label(text))
}

/// The text after a label naming the rule it follows (`Per CONTRIBUTING: AI was used here.`,
/// `Per your AI usage guidelines: …`): `per`, a few words and a colon, no sentence between.
fn per_label(text: &[u8]) -> Option<&[u8]> {
    let rest = strip_prefix_ci(text, b"per ")?;
    let colon = rest[..rest.len().min(60)].find(b": ")?;
    let words = &rest[..colon];
    (words.find(b". ").is_none() && words.split(|&b| b == b' ').count() <= 6)
        .then(|| &rest[colon + 2..])
}

/// A usage statement opening a paragraph (`I used Claude Code to help investigate and write this
/// change.`, `We leveraged Codex for the port`), and the text naming what was used: from the verb
/// to the `to`, `for`, `while` or `when` that says what for. Without that purpose it is no
/// statement ("I asked ChatGPT about it:", "I had Cursor open").
pub(super) fn usage_statement(text: &[u8]) -> Option<std::ops::Range<usize>> {
    const SUBJECTS: [&[u8]; 2] = [b"i ", b"we "];
    const VERBS: [&[u8]; 9] = [
        b"used ",
        b"consulted ",
        b"leveraged ",
        b"utilized ",
        b"utilised ",
        b"relied on ",
        b"asked ",
        b"worked with ",
        b"tasked ",
    ];
    const PURPOSES: [&[u8]; 4] = [b" to ", b" for ", b" while ", b" when "];
    if unticked(text) {
        return None;
    }
    let t = text.trim_start_with(|c| !c.is_alphanumeric());
    let t = after_prose_label(t).unwrap_or(t);
    // `Used Codex CLI to port the tests.`: the subject may be left out of a statement that
    // opens with `Used`.
    let rest = match SUBJECTS.iter().find_map(|s| strip_prefix_ci(t, s)) {
        Some(rest) => VERBS.iter().find_map(|v| strip_prefix_ci(rest, v))?,
        None => t.strip_prefix(b"Used ")?,
    };
    let start = text.len() - rest.len();
    let window = &rest[..rest.len().min(80)];
    let end = PURPOSES
        .iter()
        .filter_map(|p| {
            window
                .windows(p.len())
                .position(|w| w.eq_ignore_ascii_case(p))
        })
        .min()?;
    // `We used the Claude API to embed the fixtures`: a service the code calls, not a tool the
    // author worked with.
    let last = window[..end]
        .rsplit(|&b| b == b' ')
        .next()
        .unwrap_or_default();
    if service_word(last) {
        return None;
    }
    Some(start..start + end)
}

/// Whether `word` says a service the code calls (`the Claude API`, `the Codex SDK`), not a tool
/// the author worked with.
fn service_word(word: &[u8]) -> bool {
    [&b"api"[..], b"apis", b"sdk", b"sdks"]
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w))
}

/// What follows `This pull request was` (or `The change is`, `This commit has been`, …): a
/// statement about the change itself, not about a thing of the project (`The parser was written
/// by …`).
fn change_as_subject(text: &[u8]) -> Option<&[u8]> {
    const HEADS: [&[u8]; 2] = [b"this ", b"the "];
    const CHANGES: [&[u8]; 7] = [
        b"pull request ",
        b"pr ",
        b"commit ",
        b"change ",
        b"patch ",
        b"contribution ",
        b"code ",
    ];
    const TENSES: [&[u8]; 3] = [b"was ", b"has been ", b"is "];
    let rest = HEADS.iter().find_map(|h| strip_prefix_ci(text, h))?;
    // `This was generated and benchmarked using Claude Code`: `this` alone is the change.
    let rest = CHANGES
        .iter()
        .find_map(|c| strip_prefix_ci(rest, c))
        .or_else(|| strip_prefix_ci(text, b"this "))?;
    let rest = TENSES.iter().find_map(|t| strip_prefix_ci(rest, t))?;
    // `This PR was largely generated by Claude Code`.
    Some(skip_adverbs(rest))
}

/// `Parts of the port were done by claude`, `A decent chunk of this is written by claude`,
/// `large parts done by claude`: how much of the change, a few words naming it, then the verb.
/// Returns the text from the verb on; the link and the names after it are checked as for any
/// statement, and `Most of this was done by enabling the lint` names nothing.
fn part_as_subject(text: &[u8]) -> Option<&[u8]> {
    const PARTS: [&[u8]; 14] = [
        b"most ",
        b"much of ",
        b"some ",
        b"part of ",
        b"parts ",
        b"large parts ",
        b"a large part of ",
        b"a big part of ",
        b"a good part of ",
        b"a decent chunk of ",
        b"a good chunk of ",
        b"a chunk of ",
        b"the bulk of ",
        b"the majority of ",
    ];
    let mut rest = PARTS.iter().find_map(|p| strip_prefix_ci(text, p))?;
    for _ in 0..8 {
        let t = skip_adverbs(rest);
        if STATEMENT_VERBS
            .iter()
            .any(|v| strip_prefix_ci(t, v).is_some_and(|r| r.first().is_none_or(|b| *b == b' ')))
        {
            return Some(t);
        }
        let word = rest.find_byte(b' ')?;
        if rest[..word]
            .iter()
            .any(|b| matches!(b, b'.' | b';' | b':' | b'!' | b'?'))
        {
            return None;
        }
        rest = &rest[word + 1..];
    }
    None
}

/// `text` after a second verb joined to the first (`and benchmarked `, `and iterated on `),
/// where the link follows it.
fn second_verb(text: &[u8]) -> Option<&[u8]> {
    let rest = strip_prefix_ci(text, b"and ")?;
    let word = rest.find_byte(b' ')?;
    if !(rest[..word].ends_with(b"ed") && rest[..word].iter().all(u8::is_ascii_alphabetic)) {
        return None;
    }
    let rest = &rest[word + 1..];
    Some(strip_prefix_ci(rest, b"on ").unwrap_or(rest))
}

/// `text` after the words saying how much of a change a tool made (`initially almost entirely
/// written using Claude Code`), up to three of them.
fn skip_adverbs(mut text: &[u8]) -> &[u8] {
    for _ in 0..3 {
        match ADVERBS.iter().find_map(|a| strip_prefix_ci(text, a)) {
            Some(rest) => text = rest,
            None => break,
        }
    }
    text
}

/// The tense after the part of the work a statement names (`Tests were written by …`, `Code was
/// generated using Claude`).
const WORK_TENSES: [&[u8]; 6] = [
    b"were ",
    b"are ",
    b"was ",
    b"is ",
    b"have been ",
    b"has been ",
];

/// The parts of a change a credit line may name before `by` (`Code by o3`, `Tests by Codex`).
const WORKS: [&[u8]; 10] = [
    b"code ",
    b"tests ",
    b"test cases ",
    b"docs ",
    b"documentation ",
    b"docstring ",
    b"docstrings ",
    b"implementation ",
    b"patch ",
    b"changes ",
];

/// How much of a change a tool made, between `was` and the verb or after the verb.
const ADVERBS: [&[u8]; 14] = [
    b"mostly ",
    b"partly ",
    b"partially ",
    b"entirely ",
    b"largely ",
    b"primarily ",
    b"mainly ",
    b"fully ",
    b"completely ",
    b"heavily ",
    b"almost ",
    b"initially ",
    b"originally ",
    b"substantially ",
];
