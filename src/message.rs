//! Commit-message structure: subject, paragraphs and git trailers.
//!
//! Agents announce themselves in trailers (`Co-Authored-By: Claude <noreply@anthropic.com>`), and the
//! most common false positive is a trailer *quoted* somewhere else in a message (a CLAUDE.md template,
//! a changelog, a squash body). So this module reproduces git's own rule for what counts as the trailer
//! block (`trailer.c`, `find_trailer_block_start`): the last paragraph, never the subject paragraph,
//! whose lines are all trailers, or at least a quarter of them when a git-generated trailer
//! (`Signed-off-by: `, `(cherry picked from commit `) is among them. Everything works on bytes: messages
//! need not be UTF-8, and CRLF line endings are tolerated.

use bstr::{BStr, ByteSlice};

/// One `key: value` line (with continuation lines folded in) of a commit message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trailer<'a> {
    /// The key as written (compare it case-insensitively).
    pub key: &'a BStr,
    /// The value with surrounding whitespace trimmed and continuation lines joined by one space.
    pub value: std::borrow::Cow<'a, BStr>,
    /// The first physical line of the trailer, as written (without line ending).
    pub line: &'a BStr,
}

/// The parsed layout of a commit message.
#[derive(Debug, Clone)]
pub struct Message<'a> {
    raw: &'a [u8],
    /// Byte ranges of the non-blank lines, without line endings, in order.
    lines: Vec<Line>,
    /// Index into `lines` of the first line of the final trailer block, or `lines.len()` when none.
    trailer_start: usize,
    /// Index into `lines` of the first line of the footer: the trailer block and the paragraph just
    /// before it, or the last paragraph when there are no trailers. Never inside the subject paragraph.
    footer_start: usize,
}

#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    /// Number of the paragraph this line belongs to (0 = subject paragraph).
    paragraph: u32,
}

/// Prefixes git itself writes; one of them in a paragraph lowers the trailer threshold to 25%.
const GIT_GENERATED_PREFIXES: [&[u8]; 2] = [b"Signed-off-by: ", b"(cherry picked from commit "];

impl<'a> Message<'a> {
    /// Split `raw` into lines and paragraphs and locate the trailer block and the footer.
    pub fn parse(raw: &'a [u8]) -> Self {
        let mut lines = Vec::new();
        let mut paragraph = 0u32;
        let mut in_paragraph = false;
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
            if is_blank(&raw[pos..end]) {
                if in_paragraph {
                    paragraph += 1;
                    in_paragraph = false;
                }
            } else {
                in_paragraph = true;
                lines.push(Line {
                    start: pos,
                    end,
                    paragraph,
                });
            }
            pos = nl + 1;
        }
        let mut msg = Message {
            raw,
            lines,
            trailer_start: 0,
            footer_start: 0,
        };
        msg.trailer_start = msg.find_trailer_block();
        msg.footer_start = msg.find_footer();
        msg
    }

    fn line(&self, i: usize) -> &'a [u8] {
        let l = self.lines[i];
        &self.raw[l.start..l.end]
    }

    /// Index range of the lines of the last paragraph.
    fn last_paragraph(&self) -> Option<std::ops::Range<usize>> {
        let last = self.lines.last()?.paragraph;
        let first = self.lines.iter().position(|l| l.paragraph == last)?;
        Some(first..self.lines.len())
    }

    fn find_trailer_block(&self) -> usize {
        let none = self.lines.len();
        let Some(range) = self.last_paragraph() else {
            return none;
        };
        // The subject paragraph is never a trailer block.
        if self.lines[range.start].paragraph == 0 {
            return none;
        }
        let (mut trailers, mut non_trailers) = (0usize, 0usize);
        let mut recognized = false;
        // Indented lines continue the trailer above them; below plain text (or at the top of the
        // paragraph) they are plain text themselves.
        let mut after_trailer = false;
        for i in range.clone() {
            let line = self.line(i);
            if GIT_GENERATED_PREFIXES.iter().any(|p| line.starts_with(p)) {
                trailers += 1;
                recognized = true;
                after_trailer = true;
            } else if separator_pos(line).is_some() {
                trailers += 1;
                after_trailer = true;
            } else if line[0].is_ascii_whitespace() {
                if !after_trailer {
                    non_trailers += 1;
                }
            } else {
                non_trailers += 1;
                after_trailer = false;
            }
        }
        let accepted =
            (trailers > 0 && non_trailers == 0) || (recognized && trailers * 3 >= non_trailers);
        if accepted { range.start } else { none }
    }

    fn find_footer(&self) -> usize {
        let end = self.lines.len();
        if end == 0 {
            return 0;
        }
        // The paragraph before the trailer block when there is one, else the last paragraph.
        let anchor = if self.trailer_start < end {
            if self.trailer_start == 0 {
                return self.trailer_start;
            }
            self.trailer_start - 1
        } else {
            end - 1
        };
        let paragraph = self.lines[anchor].paragraph;
        if paragraph == 0 {
            // Never let the subject paragraph be the footer of a multi-paragraph message, and a
            // one-paragraph message has no footer at all.
            return self.trailer_start.min(end);
        }
        self.lines
            .iter()
            .position(|l| l.paragraph == paragraph)
            .unwrap_or(end)
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

    /// The message after the subject paragraph and before the trailer block.
    pub fn body(&self) -> &'a BStr {
        let start = self.lines.iter().find(|l| l.paragraph > 0);
        let end = self
            .lines
            .get(self.trailer_start)
            .map_or(self.raw.len(), |l| l.start);
        match start {
            Some(l) if l.start < end => self.raw[l.start..end].as_bstr(),
            _ => b"".as_bstr(),
        }
    }

    /// The trailers of the final trailer block, as git would parse them.
    pub fn trailers(&self) -> Vec<Trailer<'a>> {
        self.trailers_in(self.trailer_start, self.lines.len())
    }

    /// Trailer-shaped lines outside the final trailer block (quoted or hoisted trailers), with the
    /// subject line excluded. They are evidence of much lower weight.
    pub fn body_trailers(&self) -> Vec<Trailer<'a>> {
        let start = usize::from(matches!(self.lines.first(), Some(l) if l.paragraph == 0));
        self.trailers_in(start, self.trailer_start)
    }

    fn trailers_in(&self, from: usize, to: usize) -> Vec<Trailer<'a>> {
        let mut out: Vec<Trailer<'a>> = Vec::new();
        let mut last_paragraph = None;
        for i in from..to {
            let line = self.line(i);
            let paragraph = self.lines[i].paragraph;
            if let Some(sep) = separator_pos(line) {
                let key = line[..sep].trim_end().as_bstr();
                let value = line[sep + 1..].trim().as_bstr();
                out.push(Trailer {
                    key,
                    value: std::borrow::Cow::Borrowed(value),
                    line: line.as_bstr(),
                });
                last_paragraph = Some(paragraph);
            } else if line[0].is_ascii_whitespace() && last_paragraph == Some(paragraph) {
                if let Some(prev) = out.last_mut() {
                    let mut joined = prev.value.to_vec();
                    joined.push(b' ');
                    joined.extend_from_slice(line.trim());
                    prev.value = std::borrow::Cow::Owned(joined.into());
                }
            } else {
                last_paragraph = None;
            }
        }
        out
    }

    /// Non-blank lines with a flag telling whether each lies in the footer (see [`Message::parse`]).
    pub fn lines_with_footer_flag(&self) -> impl Iterator<Item = (&'a BStr, bool)> + '_ {
        (0..self.lines.len()).map(move |i| (self.line(i).as_bstr(), i >= self.footer_start))
    }

    /// Whether the byte offset `pos` of the raw message lies in the footer.
    pub fn in_footer(&self, pos: usize) -> bool {
        match self.lines.get(self.footer_start) {
            Some(l) => pos >= l.start,
            None => false,
        }
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

/// Git's `find_separator`: a token of alphanumerics and `-`, optional blanks, then `:`.
/// Returns the position of the `:`.
fn separator_pos(line: &[u8]) -> Option<usize> {
    let mut whitespace_found = false;
    for (i, &c) in line.iter().enumerate() {
        if c == b':' {
            return (i >= 1 && !line[0].is_ascii_whitespace()).then_some(i);
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
            value[..open].trim().as_bstr(),
            value[open + 1..close].trim().as_bstr(),
        ),
        // A hand-typed `Name <email` without the closing bracket.
        (Some(open), None) if value[open + 1..].contains(&b'@') => (
            value[..open].trim().as_bstr(),
            value[open + 1..].trim().as_bstr(),
        ),
        _ => (value.trim().as_bstr(), b"".as_bstr()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(msg: &str) -> Vec<(String, String)> {
        Message::parse(msg.as_bytes())
            .trailers()
            .into_iter()
            .map(|t| (t.key.to_string(), t.value.to_string()))
            .collect()
    }

    #[test]
    fn final_block_only() {
        let msg = "Add parser\n\nThe template says:\nCo-Authored-By: Claude <noreply@anthropic.com>\n\
                   \nSigned-off-by: Ann <ann@example.com>\n";
        assert_eq!(
            keys(msg),
            vec![("Signed-off-by".into(), "Ann <ann@example.com>".into())]
        );
        let m = Message::parse(msg.as_bytes());
        let body = m.body_trailers();
        assert_eq!(body.len(), 1, "{body:?}");
        assert_eq!(body[0].key, "Co-Authored-By");
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
        assert_eq!(
            subject_line(b"\xff\xfe subject\n"),
            b"\xff\xfe subject".as_bstr()
        );
    }

    #[test]
    fn subject_is_never_a_trailer_block() {
        assert!(keys("Co-authored-by: A <a@b>").is_empty());
        assert!(keys("fix: thing\nCo-authored-by: A <a@b>\n").is_empty());
    }

    #[test]
    fn crlf_and_several_coauthors() {
        let msg =
            "Subject\r\n\r\nBody.\r\n\r\nco-authored-by: A <a@x>\r\nCO-AUTHORED-BY: B <b@y>\r\n";
        assert_eq!(
            keys(msg),
            vec![
                ("co-authored-by".into(), "A <a@x>".into()),
                ("CO-AUTHORED-BY".into(), "B <b@y>".into())
            ]
        );
    }

    #[test]
    fn mixed_paragraph_needs_git_generated_trailer() {
        // One trailer among four text lines: not a block.
        assert!(keys("S\n\nsome text\nmore text\nCo-authored-by: A <a@b>\n").is_empty());
        // With a Signed-off-by and at least 25% trailers: a block.
        let k = keys("S\n\ntext line\nSigned-off-by: A <a@b>\nCo-authored-by: C <c@d>\n");
        assert_eq!(k.len(), 2);
    }

    #[test]
    fn continuation_lines_are_folded() {
        let k = keys("S\n\nKey: first\n  second\nOther: x\n");
        assert_eq!(
            k,
            vec![
                ("Key".into(), "first second".into()),
                ("Other".into(), "x".into())
            ]
        );
    }

    #[test]
    fn non_utf8_bytes_survive() {
        let mut msg = b"S\n\nCo-authored-by: J\xe9r\xf4me <j@x.fr>\n".to_vec();
        msg.extend_from_slice(b"Assisted-by: Crush:glm-5\n");
        let m = Message::parse(&msg);
        let t = m.trailers();
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].value.as_bytes(), b"J\xe9r\xf4me <j@x.fr>");
    }

    #[test]
    fn separator_rules() {
        assert_eq!(separator_pos(b"Key: v"), Some(3));
        assert_eq!(separator_pos(b"Key : v"), Some(4));
        assert_eq!(separator_pos(b"Two words: v"), None);
        assert_eq!(separator_pos(b"https://x"), Some(5));
        assert_eq!(separator_pos(b" Key: v"), None);
        assert_eq!(separator_pos(b": v"), None);
    }

    #[test]
    fn footer_is_paragraph_before_trailers() {
        let msg = "Subject\n\nBody text.\n\n\u{1f916} Generated with [Claude Code](https://claude.ai/code)\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n";
        let m = Message::parse(msg.as_bytes());
        let flags: Vec<bool> = m.lines_with_footer_flag().map(|(_, f)| f).collect();
        assert_eq!(flags, vec![false, false, true, true]);
        // Without trailers the last paragraph is the footer; a one-paragraph message has none.
        let m = Message::parse(b"Subject\n\nfooter line\n");
        let flags: Vec<bool> = m.lines_with_footer_flag().map(|(_, f)| f).collect();
        assert_eq!(flags, vec![false, true]);
        let m = Message::parse(b"Subject only\n");
        assert!(m.lines_with_footer_flag().all(|(_, f)| !f));
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
}
