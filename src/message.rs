//! Commit-message layout: subject, paragraphs, trailer runs, quoted text and footers.
//!
//! Agents announce themselves in trailers, footers and links, and the two ways to get the count wrong
//! are both about *where* such a line stands. git's own rule for the trailer block (the last
//! paragraph, every line `Key: value`) is too strict for real histories: GitHub's squash merges keep
//! each squashed commit's trailers in a paragraph of its own above a final block of people, and some
//! agents glue a footer line (`💖 Generated with Crush`) directly above their trailers. Reading every
//! `Key: value` line anywhere is too loose: messages quote templates, changelogs and attribution
//! settings. So this module does not decide; it describes. Every non-blank line is classified once
//! (quoted or not, trailer-shaped or not), every paragraph once (a trailer paragraph, a block that
//! ends the message or a squash section, a footer zone), and detection applies each signature's own
//! specificity to that layout. Everything works on bytes: messages need not be UTF-8, and CRLF line
//! endings are tolerated.

use std::borrow::Cow;

use bstr::{BStr, ByteSlice};

mod prose;
pub use prose::unticked;
use prose::{
    behalf_signer, credit_opening, disclosure_heading, disclosure_label, generation_statement,
    usage_statement,
};

/// Where a trailer-shaped line stands, from most to least trailer-like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TrailerZone {
    /// In a trailer paragraph that ends the message or a squashed commit's section: where tools
    /// write their trailers. Every signature applies.
    Block,
    /// In a trailer paragraph followed by more prose: a line of its own, but not a place where a
    /// bare name proves anything.
    Paragraph,
    /// A trailer-shaped line inside a prose paragraph, standing on its own.
    Loose,
    /// A trailer-shaped line that reads as part of a sentence or is introduced as an example
    /// (`… a line such as` / `Add this:`): a quotation, never proof.
    Quoted,
}

/// One `key: value` line (with continuation lines folded in) of a commit message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trailer<'a> {
    /// The key as written (compare it case-insensitively).
    pub key: &'a BStr,
    /// The value with surrounding whitespace trimmed and continuation lines joined by one space.
    pub value: Cow<'a, BStr>,
    /// The first physical line of the trailer, as written (without line ending).
    pub line: &'a BStr,
    /// Where it stands.
    pub zone: TrailerZone,
    /// Index of the line among the message's non-blank lines.
    pub index: usize,
}

/// Where a byte of the message stands, for markers and links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The subject line.
    Subject,
    /// A footer zone: a trailer paragraph, the last paragraph, a paragraph just above a trailer
    /// paragraph or ending a squashed commit's section.
    Footer,
    /// Any other prose.
    Body,
    /// Quoted text: fenced or indented code, `>` quotes, backticks.
    Quoted,
}

const QUOTED: u8 = 1;
const TRAILER: u8 = 2;
const CONTINUATION: u8 = 4;

#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    paragraph: u32,
    flags: u8,
}

#[derive(Debug, Clone, Copy, Default)]
struct Paragraph {
    /// Line index range.
    first: usize,
    end: usize,
    /// First line of the trailer run when this is a trailer paragraph.
    trailers_from: Option<usize>,
    /// A trailer paragraph ending the message or a squash section.
    block: bool,
    /// Footer zone.
    footer: bool,
}

/// The parsed layout of a commit message.
#[derive(Debug, Clone)]
pub struct Message<'a> {
    raw: &'a [u8],
    /// The non-blank lines, without line endings, in order.
    lines: Vec<Line>,
    paragraphs: Vec<Paragraph>,
}

/// Prefixes git itself writes; one of them in a paragraph makes it a trailer paragraph when a
/// quarter of its lines are trailers (git's `find_trailer_block_start`).
const GIT_GENERATED_PREFIXES: [&[u8]; 2] = [b"Signed-off-by: ", b"(cherry picked from commit "];

/// At most this many lines may stand glued above a trailer run (a footer such as
/// `💖 Generated with Crush`, or one sentence) without hiding it.
const GLUED_LINES: usize = 2;

impl<'a> Message<'a> {
    /// Split `raw` into lines and paragraphs and classify them.
    pub fn parse(raw: &'a [u8]) -> Self {
        let mut lines = Vec::new();
        let mut paragraph = 0u32;
        let mut in_paragraph = false;
        let mut fence: Option<u8> = None;
        let mut pos = 0;
        // One newline iterator over the whole message: a fresh search per line costs more than
        // the line itself for the short lines of commit messages.
        let ends = memchr::memchr_iter(b'\n', raw).chain(std::iter::once(raw.len()));
        for nl in ends {
            if pos >= raw.len() {
                break;
            }
            let mut end = nl;
            if end > pos && raw[end - 1] == b'\r' {
                end -= 1;
            }
            let text = &raw[pos..end];
            if is_blank(text) {
                if in_paragraph {
                    paragraph += 1;
                    in_paragraph = false;
                }
            } else {
                in_paragraph = true;
                let mut flags = 0;
                let fence_mark = fence_marker(text);
                if fence.is_some() || fence_mark.is_some() {
                    flags |= QUOTED;
                    match (fence, fence_mark) {
                        (None, Some(m)) => fence = Some(m),
                        (Some(open), Some(m)) if open == m => fence = None,
                        _ => {}
                    }
                } else if is_quote(text) {
                    flags |= QUOTED;
                }
                lines.push(Line {
                    start: pos,
                    end,
                    paragraph,
                    flags,
                });
            }
            pos = nl + 1;
        }
        let mut msg = Message {
            raw,
            lines,
            paragraphs: Vec::new(),
        };
        msg.classify_lines();
        msg.classify_paragraphs();
        msg
    }

    fn text(&self, i: usize) -> &'a [u8] {
        let l = self.lines[i];
        &self.raw[l.start..l.end]
    }

    /// Trailer-shaped lines, continuation lines, and indentation that is code rather than a
    /// continuation.
    fn classify_lines(&mut self) {
        for i in 0..self.lines.len() {
            let line = self.lines[i];
            if line.flags & QUOTED != 0 {
                continue;
            }
            let text = &self.raw[line.start..line.end];
            let previous = i
                .checked_sub(1)
                .map(|p| self.lines[p])
                .filter(|p| p.paragraph == line.paragraph);
            let after_trailer = previous.is_some_and(|p| p.flags & (TRAILER | CONTINUATION) != 0);
            if text[0] == b' ' || text[0] == b'\t' {
                if after_trailer {
                    self.lines[i].flags |= CONTINUATION;
                } else if is_indented_code(text) {
                    self.lines[i].flags |= QUOTED;
                }
                continue;
            }
            let subject = i == 0 && line.paragraph == 0;
            if !subject && separator_pos(text).is_some() {
                self.lines[i].flags |= TRAILER;
            } else if previous
                .is_some_and(|p| p.flags & TRAILER != 0 && empty_value(&self.raw[p.start..p.end]))
                && text.starts_with(b"http")
            {
                // `Amp-Thread-ID:` with the link wrapped onto the next line.
                self.lines[i].flags |= CONTINUATION;
            }
        }
    }

    fn classify_paragraphs(&mut self) {
        let mut first = 0;
        while first < self.lines.len() {
            let number = self.lines[first].paragraph;
            let mut end = first;
            while end < self.lines.len() && self.lines[end].paragraph == number {
                end += 1;
            }
            let trailers_from = self.trailer_run(first, end);
            self.paragraphs.push(Paragraph {
                first,
                end,
                trailers_from,
                ..Paragraph::default()
            });
            first = end;
        }
        // Blocks and footers look at what follows, so walk back from the end.
        let count = self.paragraphs.len();
        for p in (0..count).rev() {
            let next = self.paragraphs.get(p + 1).copied();
            let next_opens_section = next.is_some_and(|n| self.opens_section(n.first));
            let this = self.paragraphs[p];
            let is_trailer = this.trailers_from.is_some();
            let block = is_trailer
                && (next.is_none() || next_opens_section || next.is_some_and(|n| n.block));
            let footer = is_trailer
                || next.is_none()
                || next_opens_section
                || next.is_some_and(|n| n.trailers_from.is_some());
            self.paragraphs[p].block = block;
            self.paragraphs[p].footer = footer;
        }
    }

    /// The first line of the trailer run that makes `first..end` a trailer paragraph, if it is one:
    /// a run of trailer lines (and their continuations) ending the paragraph, with at most
    /// [`GLUED_LINES`] lines of other text above it, the last of which does not introduce it
    /// (`such as:`); or git's own rule for paragraphs with a line git generated.
    fn trailer_run(&self, first: usize, end: usize) -> Option<usize> {
        let subject_paragraph = self.lines[first].paragraph == 0;
        let mut start = end;
        while start > first && self.lines[start - 1].flags & (TRAILER | CONTINUATION) != 0 {
            start -= 1;
        }
        // A run that starts with a continuation line belongs to no trailer.
        while start < end && self.lines[start].flags & TRAILER == 0 {
            start += 1;
        }
        if start == end {
            return self.git_trailer_paragraph(first, end);
        }
        let glued = start - first;
        let quoted_above = (first..start).any(|i| self.lines[i].flags & QUOTED != 0);
        let introduced = start > first && self.text(start - 1).trim_ascii_end().ends_with(b":");
        // In the subject paragraph the subject itself is one of the glued lines.
        let allowed = glued <= GLUED_LINES && (!subject_paragraph || glued >= 1);
        if allowed && !quoted_above && !introduced {
            Some(start)
        } else {
            self.git_trailer_paragraph(first, end)
        }
    }

    fn git_trailer_paragraph(&self, first: usize, end: usize) -> Option<usize> {
        if self.lines[first].paragraph == 0 {
            return None;
        }
        let (mut trailers, mut others, mut recognized) = (0usize, 0usize, false);
        let mut first_trailer = None;
        for i in first..end {
            let flags = self.lines[i].flags;
            if flags & QUOTED != 0 {
                return None;
            }
            if flags & TRAILER != 0 {
                trailers += 1;
                first_trailer.get_or_insert(i);
                recognized |= GIT_GENERATED_PREFIXES
                    .iter()
                    .any(|p| self.text(i).starts_with(p));
            } else if flags & CONTINUATION == 0 {
                others += 1;
            }
        }
        (recognized && trailers * 3 >= others)
            .then_some(first_trailer)
            .flatten()
    }

    /// Whether the paragraph starting at line `first` opens a new squashed commit's section
    /// (`* subject`, GitHub's squash bullets), is GitHub's `---------` separator, or opens what a
    /// review bot appended to a pull request's description (`<!-- This is an auto-generated
    /// comment: release notes by coderabbit.ai -->`, cubic's `auto-generated description`):
    /// the author's own text, and its footer, end above each.
    fn opens_section(&self, first: usize) -> bool {
        let text = self.text(first);
        text.starts_with(b"* ")
            || (text.len() >= 3 && text.iter().all(|&b| b == b'-'))
            || text.starts_with(b"<!-- This is an auto-generated ")
    }

    /// The raw message.
    pub fn raw(&self) -> &'a BStr {
        self.raw.as_bstr()
    }

    /// The first line of the message (without line ending), or empty.
    pub fn subject(&self) -> &'a BStr {
        match self.lines.first() {
            Some(l) if l.paragraph == 0 => self.raw[l.start..l.end].as_bstr(),
            _ => b"".as_bstr(),
        }
    }

    /// Every trailer-shaped line outside quoted text, in message order, with where it stands.
    pub fn trailers(&self) -> Vec<Trailer<'a>> {
        let mut out: Vec<Trailer<'a>> = Vec::new();
        for p in &self.paragraphs {
            for i in p.first..p.end {
                let line = self.lines[i];
                if line.flags & TRAILER != 0 {
                    let text = self.text(i);
                    let sep = separator_pos(text).unwrap_or(0);
                    let zone = match p.trailers_from {
                        Some(from) if i >= from => {
                            if p.block {
                                TrailerZone::Block
                            } else {
                                TrailerZone::Paragraph
                            }
                        }
                        _ if self.reads_as_quotation(p, i) => TrailerZone::Quoted,
                        _ => TrailerZone::Loose,
                    };
                    out.push(Trailer {
                        key: text[..sep].trim_ascii_end().as_bstr(),
                        value: Cow::Borrowed(text[sep + 1..].trim_ascii().as_bstr()),
                        line: text.as_bstr(),
                        zone,
                        index: i,
                    });
                } else if line.flags & CONTINUATION != 0
                    && let Some(prev) = out.last_mut()
                    && self.lines[prev.index].paragraph == line.paragraph
                {
                    let mut joined = prev.value.to_vec();
                    if !joined.is_empty() {
                        joined.push(b' ');
                    }
                    joined.extend_from_slice(self.text(i).trim_ascii());
                    prev.value = Cow::Owned(joined.into());
                }
            }
        }
        out
    }

    /// Whether the trailer-shaped line `i` of a prose paragraph reads as part of the prose around
    /// it: introduced by the line above (`… such as:`), or in the middle of a sentence that goes
    /// on below it.
    fn reads_as_quotation(&self, p: &Paragraph, i: usize) -> bool {
        if i == p.first {
            return false;
        }
        let above = self.text(i - 1).trim_ascii_end();
        if above.ends_with(b":") {
            return true;
        }
        let open_sentence = above
            .last()
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b',');
        let continues = i + 1 < p.end
            && self.lines[i + 1].flags & (TRAILER | CONTINUATION) == 0
            && self.text(i + 1).first().is_some_and(u8::is_ascii_lowercase);
        open_sentence && continues
    }

    /// Where the byte at `pos` stands.
    pub fn place(&self, pos: usize) -> Place {
        let i = match self.lines.binary_search_by(|l| {
            if pos < l.start {
                std::cmp::Ordering::Greater
            } else if pos > l.end {
                std::cmp::Ordering::Less
            } else {
                std::cmp::Ordering::Equal
            }
        }) {
            Ok(i) => i,
            Err(_) => return Place::Body,
        };
        let line = self.lines[i];
        if line.flags & QUOTED != 0
            || in_backticks(&self.raw[line.start..line.end], pos - line.start)
        {
            return Place::Quoted;
        }
        if i == 0 && line.paragraph == 0 {
            return Place::Subject;
        }
        let p = self
            .paragraphs
            .iter()
            .find(|p| p.first <= i && i < p.end)
            .copied()
            .unwrap_or_default();
        // The subject paragraph is a footer only through a trailer run glued to the subject, or
        // through its last line when it is the whole message: some tools squeeze every blank
        // line out, and what ends the message is still its footer.
        if line.paragraph == 0 && p.trailers_from.is_none() {
            let ends_message = i > 0 && i + 1 == self.lines.len();
            return if ends_message {
                Place::Footer
            } else {
                Place::Body
            };
        }
        if p.footer { Place::Footer } else { Place::Body }
    }

    /// Disclosure lines (`**AI usage:** …`, `*AI-assisted — Tool: …*`, `AI disclaimer: …`) with the
    /// text that follows the label to the end of the paragraph: where people say in prose which
    /// agent took part.
    pub fn disclosures(&self) -> Vec<(usize, &'a BStr)> {
        let mut out = Vec::new();
        for (n, p) in self.paragraphs.iter().enumerate() {
            for i in p.first..p.end {
                if self.lines[i].flags & QUOTED != 0 || (i == 0 && self.lines[i].paragraph == 0) {
                    continue;
                }
                let text = self.text(i);
                if disclosure_heading(text) {
                    // `## AI Disclosure`: the section is the rest of its paragraph, or the
                    // paragraph under it.
                    let section = if i + 1 < p.end {
                        Some((i + 1, p.end))
                    } else {
                        self.paragraphs
                            .get(n + 1)
                            .filter(|next| !self.text(next.first).starts_with(b"#"))
                            .map(|next| (next.first, next.end))
                    };
                    if let Some((first, end)) = section
                        && self.lines[first].flags & QUOTED == 0
                    {
                        let (start, end) = (self.lines[first].start, self.lines[end - 1].end);
                        out.push((first, self.raw[start..end].as_bstr()));
                    }
                    continue;
                }
                let Some(rest) = disclosure_label(text) else {
                    continue;
                };
                let start = self.lines[i].end - rest.len();
                let end = self.lines[p.end - 1].end;
                out.push((i, self.raw[start..end].as_bstr()));
            }
        }
        out
    }

    /// Generation statements: the first line of a body paragraph, outside quoted text, saying
    /// what made the change (`Written by an agent (Claude Code, claude-opus-4-8).`), with the
    /// part of it that names what made it; later lines of a paragraph are its argument. A `>`
    /// quote of one line counts too (`> Written by GPT-5 on Codex`, a call-out `> Developed with
    /// AI assistance (Claude Code)`) unless the paragraph above introduces it as an example
    /// (`The footer reads:`); fenced and indented code never counts.
    pub fn generation_statements(&self) -> Vec<(usize, &'a BStr)> {
        self.opening_statements(generation_statement, true)
    }

    /// Usage statements: the first line of a body paragraph saying what the author used a tool
    /// for (`I used Claude Code to help investigate and write this change.`), with the part of it
    /// that names the tool. Later lines of a paragraph are its argument, not a disclosure.
    pub fn usage_statements(&self) -> Vec<(usize, &'a BStr)> {
        self.opening_statements(usage_statement, false)
    }

    /// The lines that open body paragraphs (trailers aside) where `shape` finds a statement, with
    /// the part of each that it names. Quoted lines count only when `quotes` allows a `>` quote
    /// of one line that the paragraph above does not introduce as an example.
    fn opening_statements(
        &self,
        shape: fn(&[u8]) -> Option<std::ops::Range<usize>>,
        quotes: bool,
    ) -> Vec<(usize, &'a BStr)> {
        let mut out = Vec::new();
        for (n, p) in self.paragraphs.iter().enumerate() {
            let i = self.opening_line(p);
            let flags = self.lines[i].flags;
            let labelled = || prose::after_prose_label(self.text(i)).is_some();
            if (flags & TRAILER != 0 && !labelled()) || self.lines[i].paragraph == 0 {
                continue;
            }
            if flags & QUOTED != 0 {
                let introduced = n.checked_sub(1).is_some_and(|above| {
                    let last = self.paragraphs[above].end - 1;
                    self.text(last).trim_ascii_end().ends_with(b":")
                });
                if !quotes || p.end != i + 1 || !is_quote(self.text(i)) || introduced {
                    continue;
                }
            }
            if let Some(names) = shape(self.text(i)) {
                let start = self.lines[i].start;
                out.push((
                    i,
                    self.raw[start + names.start..start + names.end].as_bstr(),
                ));
            }
        }
        out
    }

    /// The line a paragraph's prose opens with: its first, or the one under a rule (`---`) that
    /// sets a sign-off apart without a blank line.
    fn opening_line(&self, p: &Paragraph) -> usize {
        let rule = |t: &[u8]| {
            let t = t.trim_ascii();
            t.len() >= 3
                && [b'-', b'*', b'_']
                    .iter()
                    .any(|&c| t.iter().all(|&b| b == c))
        };
        if p.end > p.first + 1 && rule(self.text(p.first)) {
            p.first + 1
        } else {
            p.first
        }
    }

    /// Credit lines: a body line (a list item or not) that opens with a name and a parenthesis
    /// and goes on with what it did: `* Codex (GPT-5.6 High) fixed the remaining lint errors`.
    /// Returns the line and its `Name (…)` opening; whether the name is an agent and the
    /// parenthesis a model is the registry's to say.
    pub fn credit_lines(&self) -> Vec<(usize, &'a BStr)> {
        let body = self.paragraphs.get(1).map_or(self.lines.len(), |p| p.first);
        self.shaped_lines(body, credit_opening)
    }

    /// Signature lines of a tool acting for a person (`_codex-gpt-5.5-medium on behalf of
    /// maphew_`), outside the subject and quoted text, with what signs. A trailer-shaped one
    /// (`Agent-Signature: … on behalf of …`) is a trailer's to read.
    pub fn behalf_lines(&self) -> Vec<(usize, &'a BStr)> {
        // One pass over the message spares the per-line search in nearly every commit.
        if memchr::memmem::find(self.raw, b"ehalf").is_none()
            && memchr::memmem::find(self.raw, b"EHALF").is_none()
        {
            return Vec::new();
        }
        // After the subject: a message with no blank line may end with one.
        self.shaped_lines(1, behalf_signer)
    }

    /// The lines from line `first` on, outside quoted text and trailers, where `shape` finds
    /// something, with what it found.
    fn shaped_lines(
        &self,
        first: usize,
        shape: fn(&'a [u8]) -> Option<&'a [u8]>,
    ) -> Vec<(usize, &'a BStr)> {
        (first..self.lines.len())
            .filter(|&i| self.lines[i].flags & (QUOTED | TRAILER) == 0)
            .filter_map(|i| shape(self.text(i)).map(|found| (i, found.as_bstr())))
            .collect()
    }

    /// The byte range of non-blank line `i`.
    pub fn line_range(&self, i: usize) -> std::ops::Range<usize> {
        self.lines[i].start..self.lines[i].end
    }

    /// Whether line `i` is quoted text.
    pub fn is_quoted(&self, i: usize) -> bool {
        self.lines[i].flags & QUOTED != 0
    }
}

/// The subject of `raw` as [`Message::subject`] finds it (the first non-blank line, without its
/// line ending), without parsing the rest: classification reads nothing else of the message.
pub fn subject_line(raw: &[u8]) -> &BStr {
    raw.split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .find(|l| !is_blank(l))
        .map_or(b"".as_bstr(), |l| l.as_bstr())
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|b| b.is_ascii_whitespace())
}

/// ```` ``` ```` or `~~~` opening or closing a fenced block (after at most three spaces).
fn fence_marker(line: &[u8]) -> Option<u8> {
    let t = line.trim_start_with(|c| c == ' ');
    if line.len() - t.len() > 3 {
        return None;
    }
    (t.starts_with(b"```") || t.starts_with(b"~~~")).then(|| t[0])
}

fn is_quote(line: &[u8]) -> bool {
    line.trim_ascii_start().starts_with(b">")
}

/// Four spaces or a tab: Markdown's indented code.
fn is_indented_code(line: &[u8]) -> bool {
    line.starts_with(b"\t") || line.starts_with(b"    ")
}

fn empty_value(line: &[u8]) -> bool {
    separator_pos(line).is_some_and(|sep| line[sep + 1..].trim_ascii().is_empty())
}

/// Whether `pos` of `line` lies between a pair of backticks.
fn in_backticks(line: &[u8], pos: usize) -> bool {
    let before = line[..pos.min(line.len())]
        .iter()
        .filter(|&&b| b == b'`')
        .count();
    before % 2 == 1 && line[pos.min(line.len())..].contains(&b'`')
}

/// The key of a trailer-shaped line (`Signed-off-by: …` gives `Signed-off-by`), by git's rule
/// (see [`separator_pos`]).
pub fn trailer_key(line: &[u8]) -> Option<&[u8]> {
    separator_pos(line).map(|i| line[..i].trim_ascii_end())
}

/// git's `find_separator`: a token of alphanumerics and `-`, optional blanks, then `:`, and not a
/// URL scheme (`https://`). Returns the position of the `:`.
fn separator_pos(line: &[u8]) -> Option<usize> {
    let mut whitespace_found = false;
    for (i, &c) in line.iter().enumerate() {
        if c == b':' {
            let url = line[i + 1..].starts_with(b"//");
            return (i >= 1 && !line[0].is_ascii_whitespace() && !url).then_some(i);
        }
        if !whitespace_found && (c.is_ascii_alphanumeric() || c == b'-') {
            continue;
        }
        if i != 0 && (c == b' ' || c == b'\t') {
            whitespace_found = true;
            continue;
        }
        break;
    }
    None
}

/// A `Name <email>` value split into its parts; a value without `<…>` is all name.
pub fn split_identity(value: &BStr) -> (&BStr, &BStr) {
    match (value.rfind_byte(b'<'), value.rfind_byte(b'>')) {
        (Some(open), Some(close)) if open < close => (
            value[..open].trim_ascii().as_bstr(),
            value[open + 1..close].trim_ascii().as_bstr(),
        ),
        // A hand-typed `Name <email` without the closing bracket.
        (Some(open), None) if value[open + 1..].contains(&b'@') => (
            value[..open].trim_ascii().as_bstr(),
            value[open + 1..].trim_ascii().as_bstr(),
        ),
        _ => (value.trim_ascii().as_bstr(), b"".as_bstr()),
    }
}

#[cfg(test)]
mod tests;
