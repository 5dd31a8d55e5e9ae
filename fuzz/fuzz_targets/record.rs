//! Detection and classification over arbitrary commit records (names, emails, times, messages,
//! changed files): a decision always comes out, and it holds together.
#![no_main]

use std::sync::OnceLock;

use agentscan::classify::{Rules, classify};
use agentscan::{CommitClass, Registry, detect};
use agentscan_fuzz::Record;
use libfuzzer_sys::fuzz_target;

fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(Registry::builtin)
}

fn rules() -> &'static Rules {
    static R: OnceLock<Rules> = OnceLock::new();
    R.get_or_init(Rules::builtin)
}

fuzz_target!(|input: Record| {
    let record = input.build();
    let found = detect(&record, registry());
    if found.class == CommitClass::Agent {
        assert!(!found.agents.is_empty(), "an agent commit names its agent");
    }
    let decision = classify(&record, rules());
    let total: f64 = decision.shares.iter().map(|(_, s)| s).sum();
    assert!(
        decision.shares.is_empty() || (total - 1.0).abs() < 1e-6,
        "shares sum to {total}"
    );
    let _ = agentscan::detect::knows_identity(
        registry(),
        &String::from_utf8_lossy(&record.author.name),
        &String::from_utf8_lossy(&record.author.email),
        record.author.time,
    );
});
