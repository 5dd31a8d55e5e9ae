//! Privacy: stable pseudonyms for people, so reports about adoption need not be reports about
//! individuals.
//!
//! `--anonymize` replaces every author name and email agentscan prints with a pseudonym derived
//! from the person's identity by a keyed SHA-256: the same person gets the same pseudonym in every
//! output made with the same key, and nobody without the key can test a guessed email against a
//! pseudonym. The key is `AGENTSCAN_ANONYMIZE_KEY` when set (to keep pseudonyms stable across
//! databases, as in CI), else a random key kept in the database. `--min-authors` (cell
//! suppression) is applied where reports are built, in [`crate::report`].

use sha2::{Digest, Sha256};

/// The environment variable that fixes the pseudonym key.
pub const KEY_ENV: &str = "AGENTSCAN_ANONYMIZE_KEY";

/// Maps identities to pseudonyms.
#[derive(Debug, Clone)]
pub struct Pseudonyms {
    key: Vec<u8>,
}

impl Pseudonyms {
    /// Pseudonyms under `key`.
    pub fn new(key: impl Into<Vec<u8>>) -> Self {
        Pseudonyms { key: key.into() }
    }

    /// A new random key, hex-encoded, for storing.
    pub fn random_key() -> Result<String, getrandom::Error> {
        let mut buf = [0u8; 32];
        getrandom::fill(&mut buf)?;
        Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// The pseudonym tag of an identity (an email, or a name when there is none): the same
    /// person, whatever the case of their email, gets the same tag.
    fn tag(&self, identity: &str) -> String {
        let mut h = Sha256::new();
        h.update(&self.key);
        h.update([0]);
        h.update(identity.trim().to_lowercase().as_bytes());
        let digest = h.finalize();
        digest[..5].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// `Author 1a2b3c4d5e`.
    pub fn name(&self, identity: &str) -> String {
        format!("Author {}", self.tag(identity))
    }

    /// `1a2b3c4d5e@anonymous.invalid`.
    pub fn email(&self, identity: &str) -> String {
        format!("{}@anonymous.invalid", self.tag(identity))
    }
}

/// `Name <email>` with both parts replaced, or unchanged when `pseudonyms` is `None`.
pub fn person(pseudonyms: Option<&Pseudonyms>, name: &str, email: &str) -> (String, String) {
    match pseudonyms {
        Some(p) => {
            let identity = if email.trim().is_empty() { name } else { email };
            (p.name(identity), p.email(identity))
        }
        None => (name.to_owned(), email.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_stable_keyed_and_case_blind() {
        let a = Pseudonyms::new("k1");
        let b = Pseudonyms::new("k2");
        assert_eq!(a.name("ann@example.com"), a.name("Ann@Example.com "));
        assert_eq!(a.email("ann@example.com"), a.email("ann@example.com"));
        assert_ne!(a.name("ann@example.com"), a.name("bob@example.com"));
        assert_ne!(a.name("ann@example.com"), b.name("ann@example.com"));
        assert!(a.name("ann@example.com").starts_with("Author "));
        assert!(!a.email("ann@example.com").contains("ann"));
        let (name, email) = person(Some(&a), "Ann", "ann@example.com");
        assert_eq!(name, a.name("ann@example.com"));
        assert_eq!(email, a.email("ann@example.com"));
        assert_eq!(
            person(None, "Ann", "ann@example.com"),
            ("Ann".into(), "ann@example.com".into())
        );
    }

    #[test]
    fn random_keys_differ() {
        assert_ne!(
            Pseudonyms::random_key().unwrap(),
            Pseudonyms::random_key().unwrap()
        );
    }
}
