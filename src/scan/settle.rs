//! What follows a walk: pull requests carried to their merge commits, configuration found at the
//! tip, and the aggregate a report reads from the store.

use super::*;

/// Why reading a repository's pull requests failed: the forge or the store. The forge's error
/// names the repository.
#[derive(Debug, thiserror::Error)]
pub enum PullRequestError {
    #[error(transparent)]
    Forge(#[from] crate::source::github::GitHubError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Read the pull requests updated since the last scan, store them with their evidence, and settle
/// the repository (agent pull requests carried to their merge commits).
pub(super) fn pull_requests(
    store: &mut Store,
    forge: &dyn Forge,
    repo_id: i64,
    full_name: &str,
    (registry, rules): (&Registry, &Rules),
    session_gap: i64,
) -> Result<(), PullRequestError> {
    let since = store.pull_requests_since(repo_id)?;
    let pulls = forge.pull_requests(full_name, since)?;
    let evaluated: Vec<_> = pulls
        .into_iter()
        .map(|pr| {
            let evidence = crate::detect::detect_pull_request(
                &crate::detect::PullRequestView {
                    number: pr.number,
                    author: &pr.author,
                    author_id: pr.author_id,
                    head_ref: &pr.head_ref,
                    labels: &pr.labels,
                    body: &pr.body,
                },
                registry,
            );
            (pr, evidence)
        })
        .collect();
    store.write_pull_requests(repo_id, &evaluated)?;
    super::settle(store, repo_id, session_gap, rules, None)?;
    Ok(())
}

/// Record the agent configuration files at the tip of a repository.
/// Attestations that name no commit of the repository count here too, as repository-level
/// evidence.
pub(super) fn configuration(
    store: &mut Store,
    path: &Path,
    repo_id: i64,
    registry: &Registry,
    walk: &WalkOptions,
    attested: &[crate::attest::Attestation],
) -> Result<(), StoreError> {
    let Ok(repo) = Repo::open(path) else {
        return Ok(());
    };
    let Some(tip) = repo.tips(walk).ok().and_then(|t| t.first().copied()) else {
        return Ok(());
    };
    let Ok((paths, texts)) = repo.tip_files(tip, &[".gitignore", ".claude/settings.json"]) else {
        return Ok(());
    };
    let text = |name: &str| {
        texts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.as_str())
    };
    let mut findings = crate::detect::detect_config(
        &paths,
        text(".gitignore"),
        text(".claude/settings.json"),
        registry,
    );
    findings.extend(crate::detect::attestation_findings(attested, registry));
    store.write_config(repo_id, &findings)
}

pub(super) fn store_has(store: &Store, key: &str) -> bool {
    store
        .repositories(&[key.to_owned()])
        .is_ok_and(|r| r.iter().any(|r| r.commits > 0))
}

/// Sum the stored commits and sessions that `filter` selects.
pub fn aggregate(store: &Store, filter: &Filter, period: Period) -> Result<Aggregate, StoreError> {
    let mut aggregate = Aggregate::new(period);
    store.for_each_fact(filter, |key, facts| aggregate.add(key, facts))?;
    for (key, session) in store.sessions(filter)? {
        aggregate.add_session(&key, &session);
    }
    for pr in store.pull_requests(filter)? {
        if let Some(merged_at) = pr.merged_at {
            aggregate.add_pull_request(&pr.repo, merged_at, &pr.agents);
        }
        aggregate.add_closed_pull_request(&pr);
    }
    Ok(aggregate)
}
