//! Message layout and trailer parsing over arbitrary bytes: every range it hands out lies inside
//! the message, and the subject is the message's first line.
#![no_main]

use agentscan::message::{Message, split_identity, subject_line};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &[u8]| {
    let m = Message::parse(raw);
    let subject = m.subject();
    assert!(subject.len() <= raw.len());
    assert_eq!(subject_line(raw), subject);
    for t in m.trailers() {
        let _ = split_identity(&t.value);
    }
    for (i, line) in m.disclosures().into_iter().chain(m.credit_lines()) {
        let range = m.line_range(i);
        assert!(range.start <= range.end && range.end <= raw.len());
        assert!(line.len() <= raw.len());
        let _ = m.is_quoted(i);
    }
    if !raw.is_empty() {
        for pos in [0, raw.len() / 2, raw.len() - 1] {
            let _ = m.place(pos);
        }
    }
    if let Ok(text) = std::str::from_utf8(raw) {
        let _ = agentscan::classify::conventional_type(text);
    }
    let _ = agentscan::detect::merged_branch(subject);
});
