//! The files a user hands agentscan: a signatures TOML (alone and over the built-in registry), a
//! rules TOML, a work-mode model. Any text gives a value or an error, never a panic.
#![no_main]

use std::sync::OnceLock;

use agentscan::Registry;
use agentscan::classify::Model;
use agentscan::classify::Rules;
use libfuzzer_sys::fuzz_target;

/// The built-in registry, parsed once: parsing it is most of an iteration's time otherwise.
fn builtin() -> Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(Registry::builtin).clone()
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    match which % 4 {
        0 => {
            let _ = Registry::from_toml(text, "fuzz.toml");
        }
        1 => {
            let _ = builtin().with_overrides(text, "fuzz.toml");
        }
        2 => {
            let _ = Rules::from_toml(text, "fuzz.toml");
        }
        _ => {
            let _ = Model::parse(text, "fuzz.json");
        }
    }
});
