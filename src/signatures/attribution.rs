//! Name-only attributions: what a person writes when no tool wrote the credit for them.
//!
//! `Assisted-by: Claude Code`, `Assisted-by: Claude:claude-opus-4.6` (the Linux kernel's form),
//! `Assisted-by: GLM-5.1 via Crush`, `AI-assisted: Codex`, `Made-with: Cursor`, or a prose line
//! `**AI usage:** written by Fable`. A bare name proves much less than an agent's own address, so
//! these are recognised only where they stand (detection decides that) and only as whole names:
//! the value must *be* a name the registry knows (`called`) or a model name, never merely contain
//! one. curl credits people with `Assisted-by: Daniel Stenberg`; that stays a person.

use std::collections::HashSet;

use super::load::{RawAttribution, normalize_name};
use super::{Pattern, Registry};

/// What makes a trailer key or a disclosure an attribution (the `[attribution]` table).
#[derive(Debug, Clone, Default)]
pub struct Attribution {
    keys: HashSet<String>,
    key_words: Vec<String>,
    negations: Vec<String>,
}

/// One name recognised in an attribution value or disclosure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameHit {
    /// The signature (a `called` or `model_name` one) that recognised it.
    pub sig: usize,
    /// The model the attribution names, as written.
    pub model: Option<String>,
}

impl Attribution {
    pub(super) fn from_raw(raw: RawAttribution) -> Self {
        let mut a = Attribution::default();
        a.extend(raw);
        a
    }

    pub(super) fn extend(&mut self, raw: RawAttribution) {
        self.keys
            .extend(raw.keys.into_iter().map(|k| k.to_ascii_lowercase()));
        self.key_words
            .extend(raw.key_words.into_iter().map(|k| k.to_ascii_lowercase()));
        self.negations
            .extend(raw.negations.into_iter().map(|k| k.to_ascii_lowercase()));
    }

    /// Whether a (lower-cased) trailer key credits a tool: listed, or made of a word that says so
    /// (`Committed-By-Agent`, `AI-Tool`).
    pub fn is_attribution_key(&self, key: &str) -> bool {
        self.keys.contains(key)
            || key
                .split('-')
                .any(|w| self.key_words.iter().any(|k| k == w))
    }

    /// Whether a disclosure says no agent took part (`AI usage: none`, `no AI was used`).
    pub fn negated(&self, text: &str) -> bool {
        let lower = text.to_lowercase();
        let first_sentence = lower.split(['.', '\n']).next().unwrap_or_default();
        first_sentence
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .any(|w| self.negations.iter().any(|n| n == w))
    }
}

impl Registry {
    /// The agents and models a name-only attribution value names (`Claude Code`, `Crush:glm-5`,
    /// `GLM-5.1 via Crush`, `GPT-5.5`, `[Claude Code].`); empty when it names none, as for a
    /// person.
    pub fn recognise_value(&self, value: &str) -> Vec<NameHit> {
        let mut out = Vec::new();
        for item in split_items(value) {
            if let Some(hit) = self.recognise_item(item)
                && !out
                    .iter()
                    .any(|h: &NameHit| h.sig == hit.sig && h.model == hit.model)
            {
                out.push(hit);
            }
        }
        out
    }

    fn recognise_item(&self, item: &str) -> Option<NameHit> {
        let mut item = item.trim();
        // `claude-opus-4-8-high on behalf of maphew`: the tail names the person it worked for.
        if let Some(at) = item.to_ascii_lowercase().find(" on behalf of ") {
            item = item[..at].trim();
        }
        // `AGENT:MODEL [tools]`, the kernel's form.
        if let Some((agent, rest)) = item.split_once(':') {
            let model = rest.split_whitespace().next().filter(|m| !m.is_empty());
            return self.called_sig(agent).map(|sig| NameHit {
                sig,
                model: model.map(str::to_owned),
            });
        }
        // `MODEL via AGENT`, `AGENT with MODEL`, `AGENT using MODEL`.
        let lower = item.to_ascii_lowercase();
        for (sep, agent_first) in [(" via ", false), (" with ", true), (" using ", true)] {
            if let Some(at) = lower.find(sep) {
                let (a, b) = (&item[..at], &item[at + sep.len()..]);
                let (agent, model) = if agent_first { (a, b) } else { (b, a) };
                if let Some(sig) = self.called_sig(agent) {
                    return Some(NameHit {
                        sig,
                        model: Some(model.trim().to_owned()),
                    });
                }
            }
        }
        // `AGENT (MODEL)` or `NAME (what it did)`.
        let (head, paren) = match (item.find('('), item.rfind(')')) {
            (Some(open), Some(close)) if open < close => {
                (item[..open].trim(), Some(item[open + 1..close].trim()))
            }
            _ => (item, None),
        };
        if let Some(sig) = self.called_sig(head) {
            let model = paren
                .filter(|p| self.model_sig(p).is_some())
                .map(str::to_owned);
            return Some(NameHit { sig, model });
        }
        let model = head.rsplit('/').next().unwrap_or(head);
        if let Some(sig) = self.model_sig(model) {
            return Some(NameHit {
                sig,
                model: Some(model.to_owned()),
            });
        }
        // `AGENT-MODEL` as one token (`codex-gpt-5.5-medium`) or `AGENT MODEL` in words
        // (`Cursor Grok 4.6`, `Claude Code Opus 4.5`): the agent, running that model. Both must
        // be known, so no person's name is split so.
        let splits = head.split_once('-').into_iter().chain(
            head.match_indices(' ')
                .map(|(at, _)| (&head[..at], &head[at + 1..])),
        );
        for (agent, model) in splits {
            if let Some(sig) = self.called_sig(agent)
                && self.model_sig(model).is_some()
            {
                return Some(NameHit {
                    sig,
                    model: Some(model.trim().to_owned()),
                });
            }
        }
        None
    }

    /// The `called` signature naming exactly `name`.
    fn called_sig(&self, name: &str) -> Option<usize> {
        let name = normalize_name(name);
        self.index()
            .called
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, sig)| sig)
    }

    /// The `model_name` signature whose pattern is all of `name`.
    fn model_sig(&self, name: &str) -> Option<usize> {
        let name = normalize_name(name);
        self.index().model_names.iter().copied().find(|&i| {
            matches!(&self.signatures()[i].pattern, Pattern::ModelName { regex, .. } if regex.is_match(&name))
        })
    }

    /// The agents and models a disclosure names anywhere in its prose (`Profiled and written by
    /// Fable`, `Tool: Claude Code; model: anthropic/claude-fable-5`); nothing when it says no
    /// agent was used.
    pub fn recognise_prose(&self, text: &str) -> Vec<NameHit> {
        if self.attribution().negated(text) {
            return Vec::new();
        }
        let index = self.index();
        // The model recorded is the first the registry finds; every model named is no tool.
        let mut model: Option<String> = None;
        let mut model_spans = Vec::new();
        for &i in &index.model_names {
            if let Pattern::ModelName { find, .. } = &self.signatures()[i].pattern {
                for m in find.find_iter(text) {
                    model.get_or_insert_with(|| m.as_str().to_owned());
                    model_spans.push(m.range());
                }
            }
        }
        let mut out: Vec<NameHit> = Vec::new();
        if let Some(ac) = &index.called_automaton {
            let bytes = text.as_bytes();
            let mut last_end = None;
            for m in ac.find_iter(text) {
                let word_start = m.start() == 0 || !bytes[m.start() - 1].is_ascii_alphanumeric();
                let word_end = m.end() == bytes.len() || !bytes[m.end()].is_ascii_alphanumeric();
                // `Claude` inside `claude-opus-4.6` (or a second model, `Code by o3, docstring by
                // Claude Sonnet 4`) is a model's name, not a second tool; so is a name in
                // parentheses right after a tool's (`Cursor (Claude)`), the model that tool ran.
                let in_model = model_spans
                    .iter()
                    .any(|s| m.start() >= s.start && m.end() <= s.end)
                    || last_end
                        .is_some_and(|end: usize| bytes[end..m.start()].trim_ascii() == b"(");
                // `an AI assistant (Claude Code)`: after what names no tool, the parenthesis
                // names the tool.
                let sig = index.called[m.pattern().as_usize()].1;
                let unnamed = self.agents()[self.signatures()[sig].agent].fallback;
                if word_start && word_end {
                    last_end = (!unnamed).then_some(m.end());
                }
                // Written in capitals it is an acronym or a constant: Cloudflare's `WARP`,
                // `AMP` pages, a `CURSOR` variable.
                let shouted = {
                    let found = &bytes[m.range()];
                    found.iter().filter(|b| b.is_ascii_alphabetic()).count() >= 3
                        && !found.iter().any(u8::is_ascii_lowercase)
                };
                if !(word_start && word_end) || in_model || shouted {
                    continue;
                }
                if !out.iter().any(|h| h.sig == sig) {
                    out.push(NameHit {
                        sig,
                        model: model.clone(),
                    });
                }
            }
        }
        if out.is_empty()
            && let Some(m) = model
            && let Some(sig) = self.model_sig(&m)
        {
            out.push(NameHit {
                sig,
                model: Some(m),
            });
        }
        out
    }
}

/// A value naming several tools (`Claude Code, Codex`, `Cursor and Claude`) split into items;
/// commas inside parentheses (`Kimi K2.6 (unit tests, integration tests)`) do not split.
fn split_items(value: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            b',' | b';' | b'+' | b'&' if depth <= 0 => {
                items.push(&value[start..i]);
                start = i + 1;
            }
            b' ' if depth <= 0 && value[i..].starts_with(" and ") => {
                items.push(&value[start..i]);
                start = i + 5;
                i += 4;
            }
            _ => {}
        }
        i += 1;
    }
    items.push(&value[start..]);
    items.into_iter().filter(|s| !s.trim().is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(value: &str) -> Vec<(String, Option<String>)> {
        let r = Registry::builtin();
        r.recognise_value(value)
            .into_iter()
            .map(|h| (r.agents()[r.signatures()[h.sig].agent].id.clone(), h.model))
            .collect()
    }

    fn one(id: &str, model: Option<&str>) -> Vec<(String, Option<String>)> {
        vec![(id.to_owned(), model.map(str::to_owned))]
    }

    #[test]
    fn names_and_models() {
        assert_eq!(ids("Claude Code"), one("claude-code", None));
        assert_eq!(ids("[Claude   Code]."), one("claude-code", None));
        assert_eq!(
            ids("Claude:claude-opus-4.6"),
            one("claude-code", Some("claude-opus-4.6"))
        );
        assert_eq!(ids("Crush:glm-5 coccinelle"), one("crush", Some("glm-5")));
        assert_eq!(ids("GLM-5.1 via Crush"), one("crush", Some("GLM-5.1")));
        assert_eq!(ids("GPT-5.5"), one("generic", Some("GPT-5.5")));
        assert_eq!(ids("Opus 4.7"), one("generic", Some("Opus 4.7")));
        assert_eq!(
            ids("Claude Opus 4.6"),
            one("generic", Some("Claude Opus 4.6"))
        );
        assert_eq!(
            ids("Kimi K2.6 (unit tests, integration tests)"),
            one("generic", Some("Kimi K2.6"))
        );
        assert_eq!(
            ids("Cursor (claude-4.5-opus)"),
            one("cursor", Some("claude-4.5-opus"))
        );
        assert_eq!(ids("Codex"), one("codex-cli", None));
        assert_eq!(ids("Cursor Grok 4.6"), one("cursor", Some("Grok 4.6")));
        assert_eq!(
            ids("Claude Code Opus 4.5"),
            one("claude-code", Some("Opus 4.5"))
        );
        assert_eq!(ids("Cursor Team"), vec![]);
        assert_eq!(ids("claude"), one("claude-code", None));
        assert_eq!(ids("Claude Code, Codex").len(), 2);
    }

    #[test]
    fn people_are_not_names() {
        for person in [
            "Daniel Stenberg",
            "Claude Martin",
            "Devin Smith",
            "Jay Satiro",
            "sonnet lover",
        ] {
            assert_eq!(ids(person), vec![], "{person}");
        }
    }

    #[test]
    fn prose() {
        let r = Registry::builtin();
        let prose = |t: &str| -> Vec<String> {
            r.recognise_prose(t)
                .into_iter()
                .map(|h| r.agents()[r.signatures()[h.sig].agent].id.clone())
                .collect()
        };
        assert_eq!(
            prose("Profiled, implemented and written by Fable."),
            vec!["generic"]
        );
        assert_eq!(
            prose("Tool: Claude Code; model: anthropic/claude-fable-5; version: unavailable."),
            vec!["claude-code"]
        );
        assert_eq!(
            prose("Amp used for verifying and fixing this bug."),
            vec!["amp"]
        );
        assert!(prose("None. I wrote it by hand.").is_empty());
        assert!(prose("No AI was used; Claude Code was not involved.").is_empty());
        assert!(prose("I translated by hand and then used an agent to review.").is_empty());
    }
}
