//! Evidence from attribution stores kept beside the history (see [`crate::attest`]): a git note or
//! an Agent Trace record that says an agent wrote part of the commit. The store's signature in the
//! registry says how much it proves; the agent is the one the store names, when the registry knows
//! that name, else an unnamed agent.

use crate::attest::Attestation;
use crate::signatures::{EvidenceKind, Pattern, Registry, Signature};

use super::{ConfigFinding, Hit, SITE_ATTESTATIONS, model_of};

/// The agent an attestation names: the `called` signature of the tool it names, when the
/// registry knows that name, else the store's own signature. `None` when the registry does not
/// read that store.
fn resolve<'r>(registry: &'r Registry, a: &Attestation) -> Option<(&'r Signature, &'r Signature)> {
    let store = *registry.index().attestations.get(&a.source)?;
    let store = &registry.signatures()[store];
    let sig = a
        .tool
        .as_deref()
        .and_then(|tool| named_agent(registry, tool))
        .unwrap_or(store);
    Some((sig, store))
}

/// A signature of the agent a store's tool name stands for: a name the agent is `called`
/// (`claude`, `Cursor`), the same with `-` and `_` read as spaces (`claude-code`), or the agent's
/// own id (`gemini-cli`). Stores name tools by short ids of their own; this covers them without a
/// table per store.
fn named_agent<'r>(registry: &'r Registry, tool: &str) -> Option<&'r Signature> {
    let called = |name: &str| {
        registry
            .recognise_value(name)
            .into_iter()
            .map(|h| &registry.signatures()[h.sig])
            .find(|s| matches!(s.pattern, Pattern::Called { .. }))
    };
    let spaced = tool.replace(['-', '_'], " ");
    called(tool).or_else(|| called(&spaced)).or_else(|| {
        let agent = registry
            .agents()
            .iter()
            .position(|a| a.id.eq_ignore_ascii_case(tool.trim()))?;
        registry.signatures().iter().find(|s| s.agent == agent)
    })
}

/// Attestations that name no commit of the repository, as repository-level findings beside the
/// configuration files: one per store and agent.
pub fn attestation_findings(
    attestations: &[Attestation],
    registry: &Registry,
) -> Vec<ConfigFinding> {
    let mut out: Vec<ConfigFinding> = Vec::new();
    for a in attestations {
        let Some((sig, store)) = resolve(registry, a) else {
            continue;
        };
        let finding = ConfigFinding {
            path: a.source.location().to_owned(),
            agent: registry.agents()[sig.agent].id.clone(),
            confidence: store.confidence,
            detail: Some("attestation".to_owned()),
        };
        if !out
            .iter()
            .any(|f| f.path == finding.path && f.agent == finding.agent)
        {
            out.push(finding);
        }
    }
    out
}

pub(super) fn attestation_hits<'r>(
    registry: &'r Registry,
    attestations: &[Attestation],
    hits: &mut Vec<Hit<'r>>,
) {
    for (i, a) in attestations.iter().enumerate().take(500) {
        // A store the registry does not list is not read.
        let Some((sig, store)) = resolve(registry, a) else {
            continue;
        };
        let text = match (&a.tool, &a.model) {
            (Some(t), Some(m)) => format!("{t} ({m})"),
            (Some(t), None) => t.clone(),
            (None, Some(m)) => m.clone(),
            (None, None) => "an unnamed agent".to_owned(),
        };
        let mut hit = Hit::new(SITE_ATTESTATIONS + i as u32, sig, a.source.location(), text);
        hit.kind = EvidenceKind::Attestation;
        hit.confidence = store.confidence;
        hit.model = a.model.as_deref().and_then(|m| model_of(registry, sig, m));
        hits.push(hit);
    }
}
