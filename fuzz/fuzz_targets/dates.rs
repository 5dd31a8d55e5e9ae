//! Dates and periods: `--since`/`--until` text, and any timestamp through every period's
//! bucketing. A bucket holds its own timestamp, and its label names it again.
#![no_main]

use agentscan::period::{Period, parse_date_end, parse_date_start, utc_rfc3339};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, i64)| {
    let (text, seconds) = input;
    if let (Ok(start), Ok(end)) = (parse_date_start(text), parse_date_end(text)) {
        assert!(start <= end, "{text}: {start} > {end}");
    }
    let _ = utc_rfc3339(seconds);
    for period in [Period::Week, Period::Month, Period::Quarter] {
        let (start, end, label) = period.bucket(seconds);
        assert!(start <= seconds && (seconds < end || end <= start), "{period:?} {seconds}");
        assert_eq!(period.label(seconds), label);
        // Times outside the calendar (past 9999) get a one-second bucket of their own.
        if end - start > 1
            && let Some((s, _, l)) = period.bucket_of(&label)
        {
            assert_eq!((s, l.as_str()), (start, label.as_str()), "{period:?} {seconds}");
        }
        let _ = period.previous(&label);
        let _ = period.bucket_of(text);
        let _ = period.previous(text);
    }
});
