//! What the registry misses in a history: identities and trailer credits it does not know that
//! look like agents or automation. A user reads the list, decides, and adds what is real with
//! `--signatures`; nothing here changes a count.
//!
//! An identity is a candidate for what it looks like (an agent, bot or AI word in its name or
//! address; a vendor's no-reply address) and for how it behaves (a co-author that never authors;
//! commits at a rate no person keeps). Someone who authors commits and shows neither is a person
//! and never listed. Credits without an address (`Assisted-by: Hal`) are listed only when they
//! carry such a word, since people are credited that way too.

use std::collections::HashMap;

use bstr::ByteSlice;
use serde::Serialize;

use crate::message::{Message, TrailerZone, split_identity};
use crate::model::RawCommit;
use crate::signatures::Registry;

/// Where a candidate was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Seen {
    /// As a commit author.
    Author,
    /// As a committer.
    Committer,
    /// In a person trailer (`Co-authored-by: Name <email>`).
    CoAuthor,
    /// As a name-only credit (`Assisted-by: Name`).
    Credit,
}

impl Seen {
    pub fn as_str(self) -> &'static str {
        match self {
            Seen::Author => "author",
            Seen::Committer => "committer",
            Seen::CoAuthor => "co-author",
            Seen::Credit => "credit",
        }
    }
}

/// Why a candidate is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// An agent, bot or AI word in the name or address.
    AgentWord,
    /// A vendor's no-reply address (not a person's GitHub address).
    NoReply,
    /// Commits at a rate no person keeps.
    MachineRate,
    /// Credited in trailers, never an author.
    NeverAuthors,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::AgentWord => "agent word",
            Reason::NoReply => "no-reply address",
            Reason::MachineRate => "machine rate",
            Reason::NeverAuthors => "never authors",
        }
    }

    fn weight(self) -> u32 {
        match self {
            Reason::AgentWord => 4,
            Reason::NoReply => 3,
            Reason::MachineRate => 2,
            Reason::NeverAuthors => 1,
        }
    }
}

/// An identity or credit the registry does not know that may be an agent or automation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// `Name <email>`, or the credit's text.
    pub identity: String,
    /// Where it was seen, most often first.
    pub seen: Vec<Seen>,
    /// The trailer keys it was credited under.
    pub keys: Vec<String>,
    /// Commits it appears in.
    pub commits: u64,
    /// First and last month it appears (UTC, `YYYY-MM`).
    pub first: String,
    pub last: String,
    /// One commit it appears in: repository and full id.
    pub example_repo: String,
    pub example: String,
    /// Why it is listed, strongest first.
    pub reasons: Vec<Reason>,
}

/// Words that make a name or an address look like an agent or automation. Matched as whole words
/// of the name or the address's local part, so `Aiden` and `Gaia` are not `ai`.
const AGENT_WORDS: [&str; 22] = [
    "bot",
    "bots",
    "agent",
    "agents",
    "ai",
    "assistant",
    "llm",
    "gpt",
    "copilot",
    "claude",
    "codex",
    "gemini",
    "autopilot",
    "automation",
    "automated",
    "robot",
    "autobot",
    "ci",
    "actions",
    "autocommit",
    "genai",
    "aiagent",
];

/// At least this many commits authored within [`BURST_SECONDS`] is a rate no person keeps.
const BURST: usize = 10;
const BURST_SECONDS: i64 = 300;

#[derive(Default)]
struct Tally {
    display: String,
    seen: HashMap<Seen, u64>,
    keys: Vec<String>,
    commits: u64,
    first: i64,
    last: i64,
    example: (String, String),
    author_times: Vec<i64>,
    last_commit: String,
}

impl Tally {
    fn note(&mut self, display: &str, seen: Seen, c: &RawCommit) {
        if self.display.is_empty() {
            self.display = display.to_owned();
            self.first = c.time;
            self.last = c.time;
            self.example = (c.repo.clone(), c.id.clone());
        }
        *self.seen.entry(seen).or_default() += 1;
        // One commit counts once, whatever roles it holds there.
        if self.last_commit != c.id {
            self.last_commit = c.id.clone();
            self.commits += 1;
        }
        self.first = self.first.min(c.time);
        self.last = self.last.max(c.time);
        if seen == Seen::Author {
            self.author_times.push(c.time);
        }
    }

    fn authors(&self) -> bool {
        self.seen.contains_key(&Seen::Author)
    }

    /// Whether most of its commits come in bursts no person keeps: a person rebasing or
    /// splitting work makes the odd burst, a script makes little else.
    fn machine_rate(&mut self) -> bool {
        let t = &mut self.author_times;
        t.sort_unstable();
        if t.len() < BURST {
            return false;
        }
        let mut in_burst = vec![false; t.len()];
        for start in 0..=t.len() - BURST {
            if t[start + BURST - 1] - t[start] <= BURST_SECONDS {
                in_burst[start..start + BURST]
                    .iter_mut()
                    .for_each(|b| *b = true);
            }
        }
        in_burst.iter().filter(|&&b| b).count() * 2 >= t.len()
    }
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The words that say agent or bot even in an address's local part, where short words like `ai`
/// or `ci` are as often initials (`h.hata.ai.t@…`).
fn has_strong_agent_word(text: &str) -> bool {
    const STRONG: [&str; 9] = [
        "bot",
        "agent",
        "assistant",
        "copilot",
        "claude",
        "codex",
        "gemini",
        "robot",
        "autobot",
    ];
    text.contains("[bot]") || words(text).any(|w| STRONG.contains(&w.as_str()))
}

fn has_agent_word(text: &str) -> bool {
    text.contains("[bot]") || words(text).any(|w| AGENT_WORDS.contains(&w.as_str()))
}

/// A vendor's no-reply address: `noreply@vendor.example`, not a person's GitHub address.
fn is_vendor_noreply(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    let local = local.to_ascii_lowercase();
    let domain = domain.to_ascii_lowercase();
    ["noreply", "no-reply", "donotreply", "do-not-reply"].contains(&local.as_str())
        && domain != "github.com"
        && !domain.ends_with("users.noreply.github.com")
}

/// Gather candidates from `commits`, most likely first.
pub fn discover(
    registry: &Registry,
    commits: impl IntoIterator<Item = RawCommit>,
) -> Vec<Candidate> {
    let attribution = registry.attribution();
    let mut people: HashMap<String, Tally> = HashMap::new();
    let mut credits: HashMap<String, Tally> = HashMap::new();
    for c in commits {
        let ident =
            |(name, email): &(String, String)| (format!("{name} <{email}>"), email.to_lowercase());
        let (display, key) = ident(&c.author);
        people
            .entry(key)
            .or_default()
            .note(&display, Seen::Author, &c);
        if c.committer.1.to_lowercase() != c.author.1.to_lowercase() {
            let (display, key) = ident(&c.committer);
            people
                .entry(key)
                .or_default()
                .note(&display, Seen::Committer, &c);
        }
        let message = Message::parse(&c.message);
        for t in message.trailers() {
            if !matches!(t.zone, TrailerZone::Block | TrailerZone::Paragraph) {
                continue;
            }
            let key = t.key.to_str_lossy().to_ascii_lowercase();
            let (name, email) = split_identity(t.value.as_ref());
            if !email.is_empty() {
                let email = email.to_str_lossy().to_lowercase();
                let display = format!("{} <{}>", name.to_str_lossy(), email);
                let tally = people.entry(email).or_default();
                tally.note(&display, Seen::CoAuthor, &c);
                if !tally.keys.contains(&key) {
                    tally.keys.push(key);
                }
            } else if attribution.is_attribution_key(&key) {
                let value = t.value.to_str_lossy().trim().to_owned();
                if value.is_empty()
                    || value.len() > 80
                    || !registry.recognise_value(&value).is_empty()
                {
                    continue;
                }
                let tally = credits.entry(value.to_lowercase()).or_default();
                tally.note(&value, Seen::Credit, &c);
                if !tally.keys.contains(&key) {
                    tally.keys.push(key);
                }
            }
        }
    }

    let mut out: Vec<(u32, Candidate)> = Vec::new();
    for (email, mut t) in people {
        let mut reasons = Vec::new();
        // The name and the address's local part: a company domain (`cline.bot`, `x.ai`) says
        // where a person works, not what they are.
        let name = split_identity(t.display.as_bytes().as_bstr())
            .0
            .to_str_lossy()
            .into_owned();
        let local = email.rsplit_once('@').map_or(email.as_str(), |(l, _)| l);
        if has_agent_word(&name) || has_strong_agent_word(local) {
            reasons.push(Reason::AgentWord);
        }
        if is_vendor_noreply(&email) {
            reasons.push(Reason::NoReply);
        }
        if t.machine_rate() {
            reasons.push(Reason::MachineRate);
        }
        if !t.authors() && !t.seen.contains_key(&Seen::Committer) {
            reasons.push(Reason::NeverAuthors);
        }
        // Someone who authors commits and looks and behaves like a person is one.
        let person = t.authors()
            && !reasons
                .iter()
                .any(|r| matches!(r, Reason::AgentWord | Reason::NoReply | Reason::MachineRate));
        if reasons.is_empty() || person {
            continue;
        }
        if crate::detect::knows_identity(registry, &name, &email, t.last) {
            continue;
        }
        out.push(candidate(t, reasons));
    }
    for (_, t) in credits {
        if !has_agent_word(&t.display) {
            continue;
        }
        out.push(candidate(t, vec![Reason::AgentWord]));
    }
    out.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.commits.cmp(&a.1.commits))
            .then(a.1.identity.cmp(&b.1.identity))
    });
    out.into_iter().map(|(_, c)| c).collect()
}

fn candidate(t: Tally, reasons: Vec<Reason>) -> (u32, Candidate) {
    let score = reasons.iter().map(|r| r.weight()).sum();
    let mut seen: Vec<(Seen, u64)> = t.seen.into_iter().collect();
    seen.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    (
        score,
        Candidate {
            identity: t.display,
            seen: seen.into_iter().map(|(s, _)| s).collect(),
            keys: t.keys,
            commits: t.commits,
            first: month(t.first),
            last: month(t.last),
            example_repo: t.example.0,
            example: t.example.1,
            reasons,
        },
    )
}

/// The candidates as an aligned table, with a line saying what to do with them.
pub fn table(candidates: &[Candidate]) -> String {
    use std::fmt::Write as _;
    if candidates.is_empty() {
        return "No unknown identity or credit looks like an agent or automation.\n".to_owned();
    }
    let cut = |s: &str, n: usize| -> String {
        if s.chars().count() <= n {
            s.to_owned()
        } else {
            let mut t: String = s.chars().take(n - 1).collect();
            t.push('…');
            t
        }
    };
    let rows: Vec<[String; 6]> = candidates
        .iter()
        .map(|c| {
            [
                cut(&c.identity, 64),
                c.seen
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
                c.commits.to_string(),
                if c.first == c.last {
                    c.first.clone()
                } else {
                    format!("{}..{}", c.first, c.last)
                },
                format!(
                    "{} {}",
                    c.example_repo,
                    &c.example[..c.example.len().min(10)]
                ),
                c.reasons
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ]
        })
        .collect();
    let head = ["Identity", "Seen as", "Commits", "Months", "Example", "Why"];
    let mut width = head.map(|h| h.chars().count());
    for r in &rows {
        for (w, cell) in width.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: [&str; 6]| {
        let mut l = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let pad = width[i].saturating_sub(cell.chars().count());
            if i == 2 {
                let _ = write!(l, "{}{cell}  ", " ".repeat(pad));
            } else if i == 5 {
                l.push_str(cell);
            } else {
                let _ = write!(l, "{cell}{}  ", " ".repeat(pad));
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(&mut out, head);
    for r in &rows {
        line(&mut out, [&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]]);
    }
    let _ = writeln!(
        out,
        "\n{} candidates. Add the real ones to a signatures file (see `agentscan signatures export`) and scan with --signatures FILE.",
        candidates.len()
    );
    out
}

fn month(t: i64) -> String {
    jiff::Timestamp::from_second(t)
        .map(|ts| ts.strftime("%Y-%m").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_addresses() {
        assert!(has_agent_word("robo-agent <robo@agents.example>"));
        assert!(has_agent_word(
            "acme-ci[bot] <1+acme-ci[bot]@users.noreply.github.com>"
        ));
        assert!(has_agent_word("Sparky AI <sparky@example.com>"));
        assert!(!has_agent_word("Aiden Gaia <aiden@example.com>"));
        assert!(has_strong_agent_word("cline-cloud-agent"));
        assert!(!has_strong_agent_word("h.hata.ai.t"));
        assert!(is_vendor_noreply("noreply@sparky.dev"));
        assert!(!is_vendor_noreply("noreply@github.com"));
        assert!(!is_vendor_noreply("1+ann@users.noreply.github.com"));
        assert!(!is_vendor_noreply("ann@example.com"));
    }
}
