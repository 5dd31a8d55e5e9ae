//! The share of repositories with agent activity, period by period: the figure large studies
//! quote ("the share of projects with coding agent activity has more than doubled"), asked of any
//! population of repositories a user can name.
//!
//! Among the repositories active in a period (at least one human or agent commit), the floor
//! counts those with an agent commit, the ceiling those with any agent evidence (a weak lead, a
//! configuration file present by the period's end). When the repositories are a sample
//! (`scan --sample`), each share gets a 95% Wilson score interval, and the change from the first to
//! the last period gets Newcombe's interval for a difference of two proportions (method 10, built
//! from the two Wilson intervals). The periods share repositories, so the change's interval treats
//! them as independent samples: with repositories that stay active, it is wider than it needs to be.

use serde::Serialize;

pub use crate::model::SampleInfo;

use super::Row;

/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// The Wilson score interval of `k` successes in `n` trials; `None` without trials.
pub fn wilson(k: u64, n: u64, z: f64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let (k, n) = (k.min(n) as f64, n as f64);
    let p = k / n;
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// Newcombe's hybrid score interval for p2 − p1 (method 10), from the Wilson intervals of each.
pub fn newcombe(k1: u64, n1: u64, k2: u64, n2: u64, z: f64) -> Option<(f64, f64)> {
    let (l1, u1) = wilson(k1, n1, z)?;
    let (l2, u2) = wilson(k2, n2, z)?;
    let (p1, p2) = (k1 as f64 / n1 as f64, k2 as f64 / n2 as f64);
    let d = p2 - p1;
    let lower = d - ((p2 - l2).powi(2) + (u1 - p1).powi(2)).sqrt();
    let upper = d + ((u2 - p2).powi(2) + (p1 - l1).powi(2)).sqrt();
    Some((lower.max(-1.0), upper.min(1.0)))
}

/// One share with its interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    /// Repositories counted.
    pub repositories: u64,
    /// Of the active ones; `None` when none was active.
    pub share: Option<f64>,
    /// 95% Wilson interval, for a sample.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<[f64; 2]>,
}

/// One period of the figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdoptionPeriod {
    pub period: String,
    /// Repositories with a human or agent commit in the period.
    pub active: u64,
    /// With an agent commit.
    pub floor: Share,
    /// With any agent evidence.
    pub ceiling: Share,
}

/// A change between two periods.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    /// Last share minus first share.
    pub difference: f64,
    /// 95% Newcombe interval, for a sample.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<[f64; 2]>,
}

/// The change from the first period to the last, both with active repositories.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdoptionChange {
    pub from: String,
    pub to: String,
    pub floor: Difference,
    pub ceiling: Difference,
}

/// The figure: per period and first to last.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct RepositoryAdoption {
    /// Whether the repositories are a sample (then every share has an interval).
    pub sampled: bool,
    pub periods: Vec<AdoptionPeriod>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<AdoptionChange>,
}

fn pair(x: Option<(f64, f64)>) -> Option<[f64; 2]> {
    x.map(|(a, b)| [round(a), round(b)])
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl RepositoryAdoption {
    /// The figure over a report's periods (rows hidden by `--min-authors` left out).
    pub fn from_rows(rows: &[Row], sampled: bool) -> Self {
        let share = |k: u64, n: u64| Share {
            repositories: k,
            share: (n > 0).then(|| round(k as f64 / n as f64)),
            interval: if sampled {
                pair(wilson(k, n, Z95))
            } else {
                None
            },
        };
        let periods: Vec<AdoptionPeriod> = rows
            .iter()
            .filter(|r| !r.suppressed)
            .map(|r| AdoptionPeriod {
                period: r.period.clone().unwrap_or_default(),
                active: r.repositories_active,
                floor: share(r.repositories_adopting, r.repositories_active),
                ceiling: share(r.repositories_ceiling, r.repositories_active),
            })
            .collect();
        let active: Vec<&AdoptionPeriod> = periods.iter().filter(|p| p.active > 0).collect();
        let change = match (active.first(), active.last()) {
            (Some(a), Some(b)) if active.len() > 1 => {
                let diff = |x: &Share, y: &Share| Difference {
                    difference: round(
                        y.repositories as f64 / b.active as f64
                            - x.repositories as f64 / a.active as f64,
                    ),
                    interval: if sampled {
                        pair(newcombe(
                            x.repositories,
                            a.active,
                            y.repositories,
                            b.active,
                            Z95,
                        ))
                    } else {
                        None
                    },
                };
                Some(AdoptionChange {
                    from: a.period.clone(),
                    to: b.period.clone(),
                    floor: diff(&a.floor, &b.floor),
                    ceiling: diff(&a.ceiling, &b.ceiling),
                })
            }
            _ => None,
        };
        RepositoryAdoption {
            sampled,
            periods,
            change,
        }
    }
}

/// A share and its interval as text: `41.5% (30.2–53.7%)`.
pub fn share_text(s: &Share) -> String {
    match (s.share, s.interval) {
        (None, _) => "–".to_owned(),
        (Some(p), None) => format!("{:.1}%", p * 100.0),
        (Some(p), Some([lo, hi])) => {
            format!("{:.1}% ({:.1}–{:.1}%)", p * 100.0, lo * 100.0, hi * 100.0)
        }
    }
}

/// A difference in percentage points and its interval: `+12.0 pp (−3.1 to +26.4)`.
pub fn difference_text(d: &Difference) -> String {
    let pp = |x: f64| format!("{:+.1}", x * 100.0);
    match d.interval {
        None => format!("{} pp", pp(d.difference)),
        Some([lo, hi]) => format!("{} pp ({} to {})", pp(d.difference), pp(lo), pp(hi)),
    }
}

/// The figure as a table: period, active repositories, floor and ceiling shares.
pub fn table(a: &RepositoryAdoption) -> super::sections::Table {
    let mut t = super::sections::Table::new(&[
        ("Period", false),
        ("Active repositories", true),
        ("With agent commits", true),
        ("With any agent evidence", true),
    ]);
    for p in &a.periods {
        t.push(vec![
            p.period.clone(),
            p.active.to_string(),
            format!("{} · {}", p.floor.repositories, share_text(&p.floor)),
            format!("{} · {}", p.ceiling.repositories, share_text(&p.ceiling)),
        ]);
    }
    t
}

/// The change from the first to the last period, as a sentence.
pub fn change_text(a: &RepositoryAdoption) -> Option<String> {
    let c = a.change.as_ref()?;
    Some(format!(
        "From {} to {}, the share of active repositories with agent commits changed by {}, and with any agent evidence by {}{}.",
        c.from,
        c.to,
        difference_text(&c.floor),
        difference_text(&c.ceiling),
        if a.sampled {
            " (95% intervals: Wilson for each period, Newcombe for the change)"
        } else {
            ""
        }
    ))
}

/// How the sample was drawn, as a paragraph another person can follow to draw the same one.
pub fn sample_text(sample: &SampleInfo) -> String {
    let mut text = format!(
        "The repositories are a uniform random sample of {} drawn from {} listed on {} with seed {} \
         (`--sample {} --seed {}`; each repository is ranked by SHA-256 of the seed and its key, \
         whatever the listing order).",
        sample.sample, sample.population, sample.drawn_at, sample.seed, sample.sample, sample.seed
    );
    if !sample.sources.is_empty() {
        text.push_str(&format!(" Sources: {}.", sample.sources.join("; ")));
    }
    if !sample.windows.is_empty() {
        text.push_str(&format!(
            " The search was split by creation date into {} queries to stay under GitHub's 1,000-result cap.",
            sample.windows.len()
        ));
    }
    if !sample.capped_windows.is_empty() {
        text.push_str(&format!(
            " {} still hit the cap, and repositories past their first 1,000 were not listed: {}.",
            if sample.capped_windows.len() == 1 {
                "One window".to_owned()
            } else {
                format!("{} windows", sample.capped_windows.len())
            },
            sample.capped_windows.join("; ")
        ));
    }
    text
}

/// What a report says of history left unread.
pub fn history_text(since: &str) -> String {
    format!(
        "Clones were limited to history since {since} (`--shallow-since`): commits before it were not read, so periods before it count nothing."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: (f64, f64), b: (f64, f64)) {
        assert!(
            (a.0 - b.0).abs() < 5e-5 && (a.1 - b.1).abs() < 5e-5,
            "{a:?} != {b:?}"
        );
    }

    /// Values from Newcombe (1998), "Two-sided confidence intervals for the single proportion",
    /// table I, and from the closed form computed by hand.
    #[test]
    fn wilson_bounds_are_exact() {
        close(wilson(81, 263, Z95).unwrap(), (0.2553, 0.3662));
        close(wilson(15, 148, Z95).unwrap(), (0.0624, 0.1605));
        close(wilson(0, 20, Z95).unwrap(), (0.0, 0.1611));
        close(wilson(1, 29, Z95).unwrap(), (0.0061, 0.1718));
        close(wilson(5, 5, Z95).unwrap(), (0.5655, 1.0));
        assert_eq!(wilson(0, 0, Z95), None);
    }

    /// Newcombe (1998), "Interval estimation for the difference between independent
    /// proportions", table II: 56/70 − 48/80 gives 0.2000 with (0.0524, 0.3339); 9/10 − 3/10
    /// gives 0.6000 with (0.1705, 0.8090).
    #[test]
    fn newcombe_bounds_are_exact() {
        close(newcombe(48, 80, 56, 70, Z95).unwrap(), (0.0524, 0.3339));
        close(newcombe(3, 10, 9, 10, Z95).unwrap(), (0.1705, 0.8090));
        assert_eq!(newcombe(1, 0, 1, 2, Z95), None);
    }

    #[test]
    fn texts() {
        let s = Share {
            repositories: 3,
            share: Some(0.25),
            interval: Some([0.0893, 0.5323]),
        };
        assert_eq!(share_text(&s), "25.0% (8.9–53.2%)");
        let d = Difference {
            difference: 0.12,
            interval: Some([-0.031, 0.264]),
        };
        assert_eq!(difference_text(&d), "+12.0 pp (-3.1 to +26.4)");
    }
}
