//! The files a user hands agentscan: a signatures TOML (alone and over the built-in registry), a
//! rules TOML, a work-mode model. Any text gives a value or an error, never a panic.
#![no_main]

use agentscan::Registry;
use agentscan::classify::Model;
use agentscan::classify::Rules;
use libfuzzer_sys::fuzz_target;

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
            let _ = Registry::builtin().with_overrides(text, "fuzz.toml");
        }
        2 => {
            let _ = Rules::from_toml(text, "fuzz.toml");
        }
        _ => {
            let _ = Model::parse(text, "fuzz.json");
        }
    }
});
