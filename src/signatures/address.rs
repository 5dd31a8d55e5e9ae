//! What an e-mail address says about who owns it.
//!
//! Identities are matched by address far more than by name: a GitHub noreply address carries the
//! account's login and id, a vendor's domain names the vendor, and some addresses belong to no
//! person at all (reserved example domains, machine accounts). These helpers take addresses that
//! callers have already lower-cased, once per identity, so that none of them allocates.

/// Whether the (lower-cased) `email` is at `domain` or one of its subdomains.
pub fn email_in_domain(email: &str, domain: &str) -> bool {
    match email.rsplit_once('@') {
        Some((_, host)) => {
            host == domain
                || (host.len() > domain.len()
                    && host.ends_with(domain)
                    && host.as_bytes()[host.len() - domain.len() - 1] == b'.')
        }
        None => false,
    }
}

/// The numeric id (if any) and login of a `[<id>+]<login>@users.noreply.github.com` address.
pub fn github_login(email: &str) -> Option<(Option<u64>, &str)> {
    let local = email.strip_suffix("@users.noreply.github.com")?;
    match local.split_once('+') {
        Some((id, login)) => Some((id.parse().ok(), login)),
        None => Some((None, local)),
    }
}

/// Whether a (lower-cased) address belongs to no person: a domain reserved for examples (RFC 2606:
/// `amp@example.com`, `hermes@example.invalid`), or a local part that names a machine account
/// (`svc-devxp-claude@…`, `codex-agent@…`, `noreply@…`). A first-name address such as
/// `claude@company.com` is a person's, and so is a laptop's (`me@host.local`, `me@localhost`):
/// people commit with those when git was never configured.
pub fn is_machine_address(email: &str) -> bool {
    const RESERVED_TLDS: [&str; 3] = ["example", "invalid", "test"];
    const RESERVED_DOMAINS: [&str; 3] = ["example.com", "example.net", "example.org"];
    const MACHINE_WORDS: [&str; 10] = [
        "noreply",
        "no-reply",
        "svc",
        "service",
        "bot",
        "agent",
        "agents",
        "assistant",
        "automation",
        "robot",
    ];
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    if github_login(email).is_some() {
        // A GitHub account's address: the registry's logins decide whose it is.
        return false;
    }
    let tld = domain.rsplit('.').next().unwrap_or_default();
    RESERVED_TLDS.contains(&tld)
        || RESERVED_DOMAINS.iter().any(|d| {
            domain
                .strip_suffix(d)
                .is_some_and(|host| host.is_empty() || host.ends_with('.'))
        })
        || MACHINE_WORDS.contains(&local)
        || local
            .split(['.', '-', '_', '+'])
            .any(|w| MACHINE_WORDS.contains(&w))
}

/// Whether the (lower-cased) `email`'s host is `vendor`'s name and nothing more (`claude@anthropic`,
/// `codex@openai`): an agent writing its own address from memory. No mail server has such a host,
/// and a person whose git was never configured commits at their machine's name, not a vendor's.
pub fn at_vendor_word(email: &str, vendor: &str) -> bool {
    let Some((_, host)) = email.rsplit_once('@') else {
        return false;
    };
    let word = vendor
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase());
    !host.is_empty() && host.chars().eq(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_addresses_are_reserved_domains_or_machine_accounts() {
        for email in [
            "amp@example.com",
            "bot@ci.example.org",
            "hermes@example.invalid",
            "me@host.test",
            "svc-devxp-claude@corp.com",
            "codex-agent@acme.io",
            "noreply@vendor.dev",
            "release_bot@acme.io",
            "agents+claude@hub.co",
        ] {
            assert!(is_machine_address(email), "{email}");
        }
        for email in [
            "claude@acme.com",
            "me@laptop.local",
            "ann@localhost",
            "robotics.lab@uni.edu",
            "41898282+github-actions[bot]@users.noreply.github.com",
            "not-an-address",
        ] {
            assert!(!is_machine_address(email), "{email}");
        }
    }

    #[test]
    fn a_vendor_name_as_the_whole_host() {
        assert!(at_vendor_word("claude@anthropic", "Anthropic"));
        assert!(at_vendor_word("codex@openai", "OpenAI"));
        assert!(at_vendor_word("x@googledeepmind", "Google DeepMind"));
        for (email, vendor) in [
            ("claude@anthropic.com", "Anthropic"),
            ("claude@laptop", "Anthropic"),
            ("claude@", "-"),
            ("claude", "Anthropic"),
        ] {
            assert!(!at_vendor_word(email, vendor), "{email} {vendor}");
        }
    }

    #[test]
    fn github_noreply_logins() {
        assert_eq!(
            github_login("198982749+copilot@users.noreply.github.com"),
            Some((Some(198982749), "copilot"))
        );
        assert_eq!(
            github_login("v0[bot]@users.noreply.github.com"),
            Some((None, "v0[bot]"))
        );
        assert_eq!(github_login("a@example.com"), None);
        assert!(email_in_domain("x@mail.anthropic.com", "anthropic.com"));
        assert!(!email_in_domain("x@notanthropic.com", "anthropic.com"));
    }
}
