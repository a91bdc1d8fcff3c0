//! Where a zone's UTC offset changes.
//!
//! chrono-tz answers "what is the offset at this instant" but does not list
//! its transitions; these are found by sampling once a day and bisecting to
//! the second. Two changes within one day would be seen as one (tzdata has
//! no such pair in the years this is asked about).

use std::ops::RangeInclusive;

use chrono::{DateTime, Duration, FixedOffset, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// A change of a zone's UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OffsetChange {
    /// The first instant of the new offset.
    pub at: DateTime<Utc>,
    /// The offset in force before `at`.
    pub before: FixedOffset,
    /// The offset in force from `at` on.
    pub after: FixedOffset,
}

/// The UTC offset of `tz` at `instant`.
pub fn offset_at(tz: Tz, instant: DateTime<Utc>) -> FixedOffset {
    tz.offset_from_utc_datetime(&instant.naive_utc()).fix()
}

/// Every change of the UTC offset of `tz` in `[from, to)`, in order. A change
/// of the zone's abbreviation or DST flag that keeps the offset is none.
pub fn offset_changes(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<OffsetChange> {
    let mut out = Vec::new();
    let day = Duration::days(1);
    let mut t = from;
    let mut before = offset_at(tz, t);
    while t < to {
        let next = (t + day).min(to);
        let after = offset_at(tz, next);
        if after != before {
            // The offset at `lo` is `before`, at `hi` it is not.
            let (mut lo, mut hi) = (t, next);
            while (hi - lo).num_seconds() > 1 {
                let mid = lo + Duration::seconds((hi - lo).num_seconds() / 2);
                if offset_at(tz, mid) == before {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let at = if offset_at(tz, lo) == before { hi } else { lo };
            out.push(OffsetChange {
                at,
                before,
                after: offset_at(tz, at),
            });
            before = after;
        }
        t = next;
    }
    out
}

/// The instant 1 January of `year` begins in UTC.
fn new_year(year: i32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// Whether `a` and `b` have the same UTC offset at every instant of
/// `years` (UTC years; offsets are constant between changes, so comparing
/// at the start and at every change of either zone is enough).
pub fn same_offsets(a: Tz, b: Tz, years: RangeInclusive<i32>) -> bool {
    let from = new_year(*years.start());
    let to = new_year(years.end().saturating_add(1));
    let mut instants = vec![from];
    for tz in [a, b] {
        instants.extend(offset_changes(tz, from, to).into_iter().map(|c| c.at));
    }
    instants
        .into_iter()
        .all(|t| offset_at(a, t) == offset_at(b, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_changes_of_a_year_are_found_to_the_second() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let changes = offset_changes(berlin, new_year(2026), new_year(2027));
        let at: Vec<String> = changes.iter().map(|c| c.at.to_rfc3339()).collect();
        assert_eq!(
            at,
            ["2026-03-29T01:00:00+00:00", "2026-10-25T01:00:00+00:00"]
        );
        assert_eq!(changes[0].before.local_minus_utc(), 3600);
        assert_eq!(changes[0].after.local_minus_utc(), 7200);
        let kolkata: Tz = "Asia/Kolkata".parse().unwrap();
        assert!(offset_changes(kolkata, new_year(2000), new_year(2040)).is_empty());
    }

    #[test]
    fn zones_agree_or_differ_by_their_offsets() {
        let tz = |n: &str| n.parse::<Tz>().unwrap();
        assert!(same_offsets(
            tz("Europe/Kyiv"),
            tz("Europe/Helsinki"),
            2025..=2030
        ));
        assert!(same_offsets(
            tz("Asia/Kolkata"),
            tz("Asia/Calcutta"),
            2000..=2030
        ));
        // The same offsets, but Cuba changes at midnight, New York at 02:00.
        assert!(!same_offsets(
            tz("America/New_York"),
            tz("America/Havana"),
            2025..=2026
        ));
        assert!(same_offsets(
            tz("America/New_York"),
            tz("America/Toronto"),
            2025..=2026
        ));
        // Greenland moved to UTC−2 in 2023.
        assert!(!same_offsets(
            tz("America/Nuuk"),
            tz("America/Sao_Paulo"),
            2025..=2025
        ));
    }
}
