//! Model names, normalised so that one model is counted once whatever the tool wrote.
//!
//! Tools spell models in their own way: `Claude Opus 4.6 (1M context)`, `aider (gpt-4o)`,
//! `Cursor (composer 2.5)`, `Crush:qwen3.7-max`, `GLM-5.1 via Crush`. The model mix is only useful when
//! these collapse to one lower-case, dash-separated name per model (`claude-opus-4.6`, `gpt-4o`).

/// Normalise a model name read from a display name or a trailer value.
///
/// `bare_names` are the names the tool writes when it knows no model (`Claude`, `aider`): a value that
/// is only such a name has no model, and `Tool (model)` yields `model`. Other parenthesised
/// qualifiers (`(1M context)`, `(Thinking)`) are dropped, a provider prefix (`anthropic/`) is dropped,
/// and the rest is lower-cased with blanks turned into dashes.
pub fn normalize_model(raw: &str, bare_names: &[String]) -> Option<String> {
    let is_bare = |s: &str| bare_names.iter().any(|n| n.eq_ignore_ascii_case(s.trim()));
    // Decorations tools put before names (`💘 Crush`).
    let mut s = raw
        .trim_start_matches(|c: char| !c.is_alphanumeric() && c != '(')
        .trim();
    // A role word after the name (`DeepSeek V4 Pro agent`, `atlarix-agent`): no model is called
    // "agent", and a tool's own name with it (`Cursor Agent`) stays the tool's.
    let role = |suffix: &str| {
        s.len()
            .checked_sub(suffix.len())
            .filter(|&at| s.is_char_boundary(at) && s[at..].eq_ignore_ascii_case(suffix))
    };
    if !is_bare(s)
        && let Some(at) = role(" agent").or_else(|| role("-agent"))
        && !s[..at].trim().is_empty()
    {
        s = s[..at].trim();
    }
    // `GLM-5.1 via Crush`: the model, then the tool that ran it.
    if let Some(at) = s.to_ascii_lowercase().rfind(" via ")
        && is_bare(&s[at + 5..])
    {
        s = s[..at].trim();
    }
    if let (Some(open), true) = (s.find('('), s.ends_with(')')) {
        let head = s[..open].trim();
        let inner = s[open + 1..s.len() - 1].trim();
        s = if head.is_empty() || is_bare(head) {
            inner
        } else {
            head
        };
    }
    // Provider prefixes: `anthropic/claude-…`, `Z.ai: GLM 5.1`.
    if let Some((_, last)) = s.rsplit_once(['/', ':']) {
        s = last;
    }
    let s = s.trim_matches(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == '`');
    if s.is_empty() || is_bare(s) {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    // A comma would split the name in two where the store joins lists with commas.
    for word in s.split(|c: char| c.is_whitespace() || c == '_' || c == ',') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    // Versions written with a dash (`claude-opus-4-6`, API style) read like the dotted display form.
    let mut out = dotted_versions(&out);
    // A context-window qualifier written without parentheses (`opus 4.6, 1M context`) is no
    // part of the model's name.
    if let Some(head) = out.strip_suffix("-context") {
        let cut = head
            .rfind('-')
            .filter(|&w| {
                head[w + 1..]
                    .trim_end_matches(['m', 'k'])
                    .bytes()
                    .all(|b| b.is_ascii_digit())
            })
            .unwrap_or(head.len());
        out.truncate(cut);
    }
    // A reasoning effort after the name (`gpt-5.5-medium`, `claude-opus-4-8-high`, `GPT-5.6 High`)
    // is a setting the model ran with, not another model.
    for effort in ["-minimal", "-low", "-medium", "-high", "-xhigh"] {
        if let Some(head) = out.strip_suffix(effort)
            && head.bytes().any(|b| b.is_ascii_digit())
        {
            out.truncate(head.len());
            break;
        }
    }
    // Claude's families written alone (`Opus 5`) are the same models as `Claude Opus 5`.
    if ["opus-", "sonnet-", "haiku-", "fable-"]
        .iter()
        .any(|f| out.starts_with(f) && out[f.len()..].starts_with(|c: char| c.is_ascii_digit()))
    {
        out.insert_str(0, "claude-");
    }
    // A model name is short; anything else is prose that happened to match.
    (out.len() <= 64 && !out.is_empty()).then_some(out)
}

/// `4-6` → `4.6` where both sides are single digits standing alone between dashes.
fn dotted_versions(s: &str) -> String {
    let parts: Vec<&str> = s.split('-').collect();
    let single = |p: &str| p.len() == 1 && p.as_bytes()[0].is_ascii_digit();
    let mut out = String::with_capacity(s.len());
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push(if single(parts[i - 1]) && single(p) {
                '.'
            } else {
                '-'
            });
        }
        out.push_str(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn claude_names() {
        let n = names(&["Claude", "Claude Code"]);
        assert_eq!(
            normalize_model("Claude Opus 4.6 (1M context)", &n).as_deref(),
            Some("claude-opus-4.6")
        );
        assert_eq!(
            normalize_model("Claude Sonnet 4.5", &n).as_deref(),
            Some("claude-sonnet-4.5")
        );
        assert_eq!(
            normalize_model("Claude (glm-4.7)", &n).as_deref(),
            Some("glm-4.7")
        );
        assert_eq!(normalize_model("Claude", &n), None);
        assert_eq!(normalize_model("claude code", &n), None);
        // Lists are stored comma-joined: a comma never reaches a name.
        assert_eq!(
            normalize_model("Claude (opus 4.6, 1M context)", &n).as_deref(),
            Some("claude-opus-4.6")
        );
        assert_eq!(
            normalize_model("Opus 5", &n).as_deref(),
            Some("claude-opus-5")
        );
        assert_eq!(
            normalize_model("sonnet-4-5", &n).as_deref(),
            Some("claude-sonnet-4.5")
        );
        // The reasoning effort is a setting, not a model; a name without a version keeps it.
        assert_eq!(
            normalize_model("claude-opus-4-8-medium", &n).as_deref(),
            Some("claude-opus-4.8")
        );
        assert_eq!(
            normalize_model("GPT-5.6 High", &n).as_deref(),
            Some("gpt-5.6")
        );
        assert_eq!(
            normalize_model("o4-mini-high", &n).as_deref(),
            Some("o4-mini")
        );
        assert_eq!(
            normalize_model("gpt-5.1-codex-max", &n).as_deref(),
            Some("gpt-5.1-codex-max")
        );
        assert_eq!(
            normalize_model("sonnet-high", &n).as_deref(),
            Some("sonnet-high")
        );
        // A family word that is not followed by a version is left as written.
        assert_eq!(
            normalize_model("opus-plan", &n).as_deref(),
            Some("opus-plan")
        );
    }

    #[test]
    fn other_tools() {
        assert_eq!(
            normalize_model("aider (anthropic/claude-3.7-sonnet)", &names(&["aider"])).as_deref(),
            Some("claude-3.7-sonnet")
        );
        assert_eq!(
            normalize_model("Cursor (composer 2.5)", &names(&["Cursor", "Cursor Agent"]))
                .as_deref(),
            Some("composer-2.5")
        );
        assert_eq!(
            normalize_model("qwen3.7-max", &[]).as_deref(),
            Some("qwen3.7-max")
        );
        assert_eq!(normalize_model("GLM-5.1", &[]).as_deref(), Some("glm-5.1"));
        assert_eq!(
            normalize_model("GLM-5.1 via Crush", &names(&["Crush"])).as_deref(),
            Some("glm-5.1")
        );
        assert_eq!(
            normalize_model("GPT-5.6 Codex", &names(&["Codex"])).as_deref(),
            Some("gpt-5.6-codex")
        );
        // A role word after the name is no part of the model's.
        let atlarix = names(&["Atlarix"]);
        assert_eq!(
            normalize_model("DeepSeek V4 Pro agent", &atlarix).as_deref(),
            Some("deepseek-v4-pro")
        );
        assert_eq!(normalize_model("atlarix-agent", &atlarix), None);
        assert_eq!(normalize_model("Agent", &atlarix).as_deref(), Some("agent"));
        assert_eq!(normalize_model("  ", &[]), None);
        assert_eq!(normalize_model("💘 Crush", &names(&["Crush"])), None);
        assert_eq!(
            normalize_model("Z.ai: GLM 5.1", &[]).as_deref(),
            Some("glm-5.1")
        );
        assert_eq!(
            normalize_model("Kimi-K2.5", &[]).as_deref(),
            Some("kimi-k2.5")
        );
        assert_eq!(
            normalize_model("claude-opus-4-6", &[]).as_deref(),
            Some("claude-opus-4.6")
        );
        assert_eq!(
            normalize_model("claude-3-7-sonnet-20250219", &[]).as_deref(),
            Some("claude-3.7-sonnet-20250219")
        );
        assert_eq!(
            normalize_model("claude-sonnet-4-20250514", &[]).as_deref(),
            Some("claude-sonnet-4-20250514")
        );
    }
}
