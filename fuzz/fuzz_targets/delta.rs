//! The delta applier over arbitrary base and instructions: a result is exactly as long as the
//! instructions announce, and nothing reads outside the base or allocates what they claim
//! unchecked.
#![no_main]

use agentscan::walk::fuzzing::apply_delta;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (Vec<u8>, Vec<u8>)| {
    let (base, delta) = input;
    if let Ok(out) = apply_delta(&base, &delta) {
        // The second size in the header is the result's.
        let mut i = 0;
        let mut size = |d: &[u8]| {
            let (mut n, mut shift) = (0u64, 0);
            loop {
                let b = d[i];
                i += 1;
                n |= u64::from(b & 0x7f) << shift;
                shift += 7;
                if b & 0x80 == 0 {
                    return n;
                }
            }
        };
        assert_eq!(size(&delta), base.len() as u64);
        assert_eq!(size(&delta), out.len() as u64);
    }
});
