//! Calendar periods (week, month, quarter) in UTC, and the date arguments that bound a scan.
//!
//! Reports bucket commits by author date in UTC so that numbers do not depend on where the scan
//! runs. Git timestamps can be anything (before 1970, year 30000, garbage), so bucketing clamps to
//! the calendar range instead of failing.

use std::fmt;
use std::str::FromStr;

use jiff::civil::{Date, Weekday};
use jiff::{Timestamp, tz::TimeZone};
use serde::{Deserialize, Serialize};

/// The length of the buckets a report is broken into.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// ISO weeks (`2026-W07`).
    Week,
    /// Calendar months (`2026-02`).
    #[default]
    Month,
    /// Calendar quarters (`2026-Q1`).
    Quarter,
}

impl Period {
    /// The bucket label of a time in seconds since the epoch.
    pub fn label(self, seconds: i64) -> String {
        let date = utc_date(seconds);
        match self {
            Period::Month => format!("{:04}-{:02}", date.year(), date.month()),
            Period::Quarter => format!("{:04}-Q{}", date.year(), (date.month() - 1) / 3 + 1),
            Period::Week => {
                let iso = date.iso_week_date();
                format!("{:04}-W{:02}", iso.year(), iso.week())
            }
        }
    }

    /// The bucket of a time: its label and its `[start, end)` in seconds. Times outside the
    /// calendar get a one-second bucket.
    pub fn bucket(self, seconds: i64) -> (i64, i64, String) {
        let label = self.label(seconds);
        let bounds = self.start_of(&label).and_then(|start| {
            let next = match self {
                Period::Month => start.checked_add(jiff::Span::new().months(1)).ok()?,
                Period::Quarter => start.checked_add(jiff::Span::new().months(3)).ok()?,
                Period::Week => start.checked_add(jiff::Span::new().weeks(1)).ok()?,
            };
            let secs = |d: Date| {
                d.to_zoned(TimeZone::UTC)
                    .ok()
                    .map(|z| z.timestamp().as_second())
            };
            Some((secs(start)?, secs(next)?))
        });
        match bounds {
            Some((start, end)) if (start..end).contains(&seconds) => (start, end, label),
            _ => (seconds, seconds.saturating_add(1), label),
        }
    }

    /// The `[start, end)` of the bucket a label names, with the label.
    pub fn bucket_of(self, label: &str) -> Option<(i64, i64, String)> {
        let start = self.start_of(label)?;
        let ts = start.to_zoned(TimeZone::UTC).ok()?.timestamp().as_second();
        let (s, e, l) = self.bucket(ts);
        (l == label).then_some((s, e, l))
    }

    /// The bucket label that precedes `label`, for "change against the previous period".
    pub fn previous(self, label: &str) -> Option<String> {
        let start = self.start_of(label)?;
        let prev = match self {
            Period::Month => start.checked_sub(jiff::Span::new().months(1)).ok()?,
            Period::Quarter => start.checked_sub(jiff::Span::new().months(3)).ok()?,
            Period::Week => start.checked_sub(jiff::Span::new().weeks(1)).ok()?,
        };
        let ts = prev.to_zoned(TimeZone::UTC).ok()?.timestamp().as_second();
        Some(self.label(ts))
    }

    fn start_of(self, label: &str) -> Option<Date> {
        match self {
            Period::Month => {
                let (y, m) = label.split_once('-')?;
                Date::new(y.parse().ok()?, m.parse().ok()?, 1).ok()
            }
            Period::Quarter => {
                let (y, q) = label.split_once("-Q")?;
                let q: i8 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
                Date::new(y.parse().ok()?, (q - 1) * 3 + 1, 1).ok()
            }
            Period::Week => {
                let (y, w) = label.split_once("-W")?;
                jiff::civil::ISOWeekDate::new(y.parse().ok()?, w.parse().ok()?, Weekday::Monday)
                    .ok()
                    .map(|d| d.date())
            }
        }
    }

    /// The name used on the command line and in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "week" => Ok(Period::Week),
            "month" => Ok(Period::Month),
            "quarter" => Ok(Period::Quarter),
            _ => Err(format!("unknown period {s:?}: use week, month or quarter")),
        }
    }
}

/// The UTC calendar date of a timestamp, clamped to the range the calendar supports.
pub fn utc_date(seconds: i64) -> Date {
    let clamped = seconds.clamp(
        Timestamp::MIN.as_second() + 86_400,
        Timestamp::MAX.as_second() - 86_400,
    );
    Timestamp::from_second(clamped)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned(TimeZone::UTC)
        .date()
}

/// An RFC 3339 rendering of a timestamp in UTC (`2026-02-03T10:00:00Z`), clamped like [`utc_date`].
pub fn utc_rfc3339(seconds: i64) -> String {
    let clamped = seconds.clamp(
        Timestamp::MIN.as_second() + 86_400,
        Timestamp::MAX.as_second() - 86_400,
    );
    Timestamp::from_second(clamped)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_string()
}

fn parse_date(value: &str) -> Result<(Date, bool), String> {
    let v = value.trim();
    let err = || {
        format!(
            "invalid date {value:?}: use YYYY-MM-DD or YYYY-MM (for example 2026-03 or 2026-03-15)"
        )
    };
    let parts: Vec<&str> = v.split('-').collect();
    match parts.as_slice() {
        [y, m] if y.len() == 4 && (1..=2).contains(&m.len()) => {
            let d = Date::new(
                y.parse().map_err(|_| err())?,
                m.parse().map_err(|_| err())?,
                1,
            )
            .map_err(|_| err())?;
            Ok((d, true))
        }
        [y, m, d] if y.len() == 4 => {
            let d = Date::new(
                y.parse().map_err(|_| err())?,
                m.parse().map_err(|_| err())?,
                d.parse().map_err(|_| err())?,
            )
            .map_err(|_| err())?;
            Ok((d, false))
        }
        _ => Err(err()),
    }
}

/// The first second of `date` (UTC); an error past the last day a timestamp can hold.
fn seconds(date: Date, value: &str) -> Result<i64, String> {
    date.to_zoned(TimeZone::UTC)
        .map(|z| z.timestamp().as_second())
        .map_err(|_| format!("invalid date {value:?}: out of range (use a date before 9999-12-30)"))
}

/// The first second (UTC) of the day or month `value` names.
pub fn parse_date_start(value: &str) -> Result<i64, String> {
    parse_date(value).and_then(|(d, _)| seconds(d, value))
}

/// The first second (UTC) *after* the day or month `value` names, so that `--until 2026-03`
/// includes all of March.
pub fn parse_date_end(value: &str) -> Result<i64, String> {
    let (d, month) = parse_date(value)?;
    let next = if month {
        d.checked_add(jiff::Span::new().months(1))
    } else {
        d.checked_add(jiff::Span::new().days(1))
    }
    .map_err(|e| format!("invalid date {value:?}: {e}"))?;
    seconds(next, value)
}

/// A half-open time range `[since, until)` in seconds since the epoch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeRange {
    /// Inclusive start.
    pub since: Option<i64>,
    /// Exclusive end.
    pub until: Option<i64>,
}

impl TimeRange {
    /// Whether `t` lies in the range.
    pub fn contains(&self, t: i64) -> bool {
        self.since.is_none_or(|s| t >= s) && self.until.is_none_or(|u| t < u)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        // 2026-02-03T10:00:00Z
        let t = 1_770_112_800;
        assert_eq!(Period::Month.label(t), "2026-02");
        assert_eq!(Period::Quarter.label(t), "2026-Q1");
        assert_eq!(Period::Week.label(t), "2026-W06");
        assert_eq!(Period::Month.label(-86_400 * 400), "1968-11");
        assert_eq!(Period::Month.label(i64::MAX), "9999-12");
        assert_eq!(Period::Month.label(i64::MIN), "-9999-01");
    }

    /// Found by fuzzing (`fuzz/fuzz_targets/dates.rs`): a quarter number past 43 overflowed the
    /// month it was turned into.
    #[test]
    fn labels_that_name_no_period_are_none() {
        for label in ["70-Q57", "2026-Q0", "2026-Q5", "2026-Q-1", "2026-Q127"] {
            assert_eq!(Period::Quarter.bucket_of(label), None, "{label}");
            assert_eq!(Period::Quarter.previous(label), None, "{label}");
        }
        assert_eq!(Period::Month.bucket_of("2026-13"), None);
        // Found the same way: the day after 9999-12-30 has no timestamp, and --until read it
        // as the epoch.
        assert!(parse_date_end("9999-12-30").is_err());
        assert!(parse_date_end("9999-12").is_err());
        assert!(parse_date_start("9999-12-30").is_ok_and(|s| s > 0));
        assert_eq!(Period::Week.bucket_of("2026-W54"), None);
    }

    #[test]
    fn previous_labels() {
        assert_eq!(
            Period::Month.previous("2026-01").as_deref(),
            Some("2025-12")
        );
        assert_eq!(
            Period::Quarter.previous("2026-Q1").as_deref(),
            Some("2025-Q4")
        );
        assert_eq!(
            Period::Week.previous("2026-W01").as_deref(),
            Some("2025-W52")
        );
    }

    #[test]
    fn date_arguments() {
        assert_eq!(parse_date_start("2026-03").unwrap(), 1_772_323_200);
        assert_eq!(parse_date_end("2026-03").unwrap(), 1_775_001_600);
        assert_eq!(
            parse_date_end("2026-03-15").unwrap() - parse_date_start("2026-03-15").unwrap(),
            86_400
        );
        let e = parse_date_start("March").unwrap_err();
        assert!(e.contains("YYYY-MM-DD"), "{e}");
        assert!(parse_date_start("2026-13").is_err());
        assert!(parse_date_start("2026-02-30").is_err());
    }
}
