//! Agent configuration found in a repository tree: instruction files, agent entries in
//! `.gitignore`, and Claude settings that turn commit attribution off. Repository-level evidence: it
//! sets the adoption ceiling, never a commit's class.

pub use crate::model::ConfigFinding;

use std::collections::BTreeSet;

use crate::signatures::{Confidence, Registry};

/// Agent configuration files among the `paths` of a tree (one finding per agent and signature),
/// agent entries in the root `.gitignore`, and Claude settings that turn attribution off.
pub fn detect_config(
    paths: &[String],
    gitignore: Option<&str>,
    claude_settings: Option<&str>,
    registry: &Registry,
) -> Vec<ConfigFinding> {
    let index = registry.index();
    let mut out: Vec<ConfigFinding> = Vec::new();
    let mut seen = BTreeSet::new();
    if let Some(globs) = &index.file_globs {
        for path in paths {
            for m in globs.matches(path.as_str()) {
                let sig = &registry.signatures()[index.files[m]];
                if seen.insert(index.files[m]) {
                    out.push(ConfigFinding {
                        path: path.clone(),
                        agent: registry.agents()[sig.agent].id.clone(),
                        confidence: sig.confidence,
                        detail: None,
                    });
                }
            }
        }
    }
    if let Some(text) = gitignore {
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') || line.starts_with('!') {
                continue;
            }
            let pattern = line.trim_start_matches('/').trim_end_matches('/');
            let Ok(glob) = globset::Glob::new(pattern) else {
                continue;
            };
            let matcher = glob.compile_matcher();
            for (sig_index, name) in &index.file_names {
                let sig = &registry.signatures()[*sig_index];
                let agent = &registry.agents()[sig.agent];
                if matcher.is_match(name)
                    && !out
                        .iter()
                        .any(|f| f.agent == agent.id && f.detail.as_deref() == Some("gitignore"))
                {
                    out.push(ConfigFinding {
                        path: line.to_owned(),
                        agent: agent.id.clone(),
                        confidence: Confidence::Low,
                        detail: Some("gitignore".into()),
                    });
                }
            }
        }
    }
    if let Some(json) = claude_settings
        && let Ok(v) = serde_json::from_str::<serde_json::Value>(json)
    {
        let legacy_off = v.get("includeCoAuthoredBy") == Some(&serde_json::Value::Bool(false));
        let attribution_off = v
            .get("attribution")
            .and_then(|a| a.get("commit"))
            .and_then(|c| c.as_str())
            == Some("");
        if legacy_off || attribution_off {
            // A committed settings file that hides attribution is itself a trace of Claude Code.
            match out
                .iter_mut()
                .find(|f| f.agent == "claude-code" && f.path == ".claude/settings.json")
            {
                Some(f) => {
                    f.detail = Some("attribution off".into());
                    f.confidence = f.confidence.max(Confidence::Medium);
                }
                None => out.push(ConfigFinding {
                    path: ".claude/settings.json".into(),
                    agent: "claude-code".into(),
                    confidence: Confidence::Medium,
                    detail: Some("attribution off".into()),
                }),
            }
        }
    }
    out
}
