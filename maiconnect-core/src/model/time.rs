//! Times as they are entered: UTC instants plus the zone they were entered
//! in, and all-day events as plain dates.
//!
//! An all-day event is never converted to an instant: "the 3rd of May" is the
//! same day in UTC−12 and in UTC+14, and both systems store it as a date.

use std::fmt;
use std::str::FromStr;

use chrono::{
    DateTime, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Utc,
};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The zone an appointment was entered in: an IANA zone or, when the source
/// named a zone nobody knows, its fixed UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Zone {
    /// A zone of the IANA database, such as `Europe/Berlin`.
    Iana(Tz),
    /// A fixed offset from UTC (the fallback for unknown zones).
    Fixed(FixedOffset),
}

impl Zone {
    /// UTC.
    pub const UTC: Zone = Zone::Iana(Tz::UTC);

    /// The local wall-clock time of `instant` in this zone.
    pub fn local(&self, instant: DateTime<Utc>) -> NaiveDateTime {
        match self {
            Zone::Iana(tz) => instant.with_timezone(tz).naive_local(),
            Zone::Fixed(off) => instant.with_timezone(off).naive_local(),
        }
    }

    /// The instant of a local wall-clock time in this zone.
    ///
    /// A time that does not exist (skipped by a DST change) moves forward by
    /// the size of the gap, as Outlook and Exchange do; an ambiguous time
    /// (repeated by a DST change) takes the earlier instant.
    pub fn instant(&self, local: NaiveDateTime) -> DateTime<Utc> {
        match self {
            Zone::Iana(tz) => resolve_local(tz, local),
            Zone::Fixed(off) => resolve_local(off, local),
        }
    }

    /// The UTC offset in force at `instant`.
    pub fn offset_at(&self, instant: DateTime<Utc>) -> FixedOffset {
        match self {
            Zone::Iana(tz) => tz.offset_from_utc_datetime(&instant.naive_utc()).fix(),
            Zone::Fixed(off) => *off,
        }
    }
}

fn resolve_local<Z: TimeZone>(zone: &Z, local: NaiveDateTime) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(early, _) => early.with_timezone(&Utc),
        LocalResult::None => {
            // Inside a gap: interpret the wall-clock time with the offset in
            // force just before the gap, which lands after the gap.
            let before = local - Duration::hours(3);
            let offset = match zone.from_local_datetime(&before) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.offset().fix(),
                LocalResult::None => FixedOffset::east_opt(0).expect("zero offset"),
            };
            let utc = local - Duration::seconds(i64::from(offset.local_minus_utc()));
            Utc.from_utc_datetime(&utc)
        }
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Iana(tz) => f.write_str(tz.name()),
            Zone::Fixed(off) => write!(f, "UTC{off}"),
        }
    }
}

impl FromStr for Zone {
    type Err = String;
    /// Parses an IANA name, canonical or link, old or new (`Europe/Berlin`,
    /// `Asia/Kolkata`, `Asia/Calcutta`), a Windows time-zone id (`W. Europe
    /// Standard Time`, read as its IANA zone), or `UTC+05:30` / `UTC-03:00`.
    /// The error says what to write instead; nothing unknown becomes UTC.
    fn from_str(s: &str) -> Result<Self, String> {
        if let Some(rest) = s.strip_prefix("UTC").filter(|r| !r.is_empty()) {
            return rest.parse::<FixedOffset>().map(Zone::Fixed).map_err(|_| {
                format!("{s:?} is not a UTC offset: write one such as UTC+05:30 or UTC-03:00")
            });
        }
        if let Ok(tz) = s.parse::<Tz>() {
            return Ok(Zone::Iana(tz));
        }
        crate::model::zones::windows_to_iana(s)
            .map(Zone::Iana)
            .ok_or_else(|| {
                format!(
                    "{s:?} is not a time zone: write an IANA name such as Europe/Berlin or \
                     Asia/Kolkata, a Windows id such as W. Europe Standard Time, or an offset \
                     such as UTC+05:30"
                )
            })
    }
}

impl Serialize for Zone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// When an appointment takes place.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum When {
    /// From one instant to another, entered in `zone`.
    Timed {
        /// Start instant.
        start: DateTime<Utc>,
        /// End instant (not before `start`).
        end: DateTime<Utc>,
        /// The zone the times were entered in; it decides the wall-clock time
        /// that recurring occurrences keep across DST changes.
        zone: Zone,
    },
    /// Whole days, from `first_day` up to but not including `end_day`.
    AllDay {
        /// The first day.
        first_day: NaiveDate,
        /// The day after the last day (exclusive end, as Exchange stores it).
        end_day: NaiveDate,
    },
}

impl When {
    /// A timed span; the end is clamped so that it is never before the start.
    pub fn timed(start: DateTime<Utc>, end: DateTime<Utc>, zone: Zone) -> When {
        When::Timed {
            start,
            end: end.max(start),
            zone,
        }
    }

    /// An all-day span of `days` days from `first_day` (at least one day).
    pub fn all_day(first_day: NaiveDate, days: u32) -> When {
        let days = i64::from(days.max(1));
        When::AllDay {
            first_day,
            end_day: first_day + Duration::days(days),
        }
    }

    /// Whether both describe the same time, ignoring the zone a timed span
    /// was entered in (moving the zone without moving the time is no change).
    pub fn same_time(&self, other: &When) -> bool {
        match (self, other) {
            (
                When::Timed {
                    start: a, end: b, ..
                },
                When::Timed {
                    start: c, end: d, ..
                },
            ) => a == c && b == d,
            (When::AllDay { .. }, When::AllDay { .. }) => self == other,
            _ => false,
        }
    }

    /// The instant the span begins; an all-day span begins at midnight of its
    /// first day in `zone` (the mailbox owner's zone).
    pub fn start_instant(&self, zone: Zone) -> DateTime<Utc> {
        match self {
            When::Timed { start, .. } => *start,
            When::AllDay { first_day, .. } => zone.instant(first_day.and_time(NaiveTime::MIN)),
        }
    }

    /// The instant the span ends (see [`When::start_instant`]).
    pub fn end_instant(&self, zone: Zone) -> DateTime<Utc> {
        match self {
            When::Timed { end, .. } => *end,
            When::AllDay { end_day, .. } => zone.instant(end_day.and_time(NaiveTime::MIN)),
        }
    }

    /// Whether the span overlaps the half-open window `[from, to)`: it
    /// starts before `to` and ends after `from`. A span that ends exactly at
    /// `from` lies before the window, one that starts at `to` after it; a
    /// span of no length is a point, inside when `from <= start < to`.
    pub fn overlaps(&self, from: DateTime<Utc>, to: DateTime<Utc>, zone: Zone) -> bool {
        let (start, end) = (self.start_instant(zone), self.end_instant(zone));
        start < to && (end > from || start >= from)
    }

    /// The zone a timed span was entered in (`None` for all-day spans).
    pub fn zone(&self) -> Option<Zone> {
        match self {
            When::Timed { zone, .. } => Some(*zone),
            When::AllDay { .. } => None,
        }
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            When::Timed { start, end, zone } => {
                let a = zone.local(*start).format("%Y-%m-%d %H:%M");
                let b = zone.local(*end).format("%H:%M");
                write!(f, "{a}–{b} {zone}")
            }
            When::AllDay { first_day, end_day } => {
                let last = *end_day - Duration::days(1);
                if last <= *first_day {
                    write!(f, "{first_day} (all day)")
                } else {
                    write!(f, "{first_day}–{last} (all day)")
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn berlin() -> Zone {
        "Europe/Berlin".parse().unwrap()
    }

    #[test]
    fn zones_parse_iana_names_windows_ids_and_offsets() {
        assert_eq!(berlin().to_string(), "Europe/Berlin");
        let india: Zone = "UTC+05:30".parse().unwrap();
        assert_eq!(india.to_string(), "UTC+05:30");
        for name in [
            "Asia/Kolkata",
            "Asia/Calcutta",
            "Europe/Kyiv",
            "Europe/Kiev",
        ] {
            assert_eq!(name.parse::<Zone>().unwrap().to_string(), name);
        }
        let windows: Zone = "W. Europe Standard Time".parse().unwrap();
        assert_eq!(windows, berlin());
        let e = "Mars/Olympus".parse::<Zone>().unwrap_err();
        assert!(e.contains("\"Mars/Olympus\" is not a time zone"), "{e}");
        assert!(
            e.contains("Europe/Berlin") && e.contains("UTC+05:30"),
            "{e}"
        );
        assert!(
            "UTC+25:00"
                .parse::<Zone>()
                .unwrap_err()
                .contains("UTC-03:00")
        );
    }

    #[test]
    fn a_time_in_the_spring_gap_moves_forward() {
        // 2026-03-29 02:30 does not exist in Berlin (clocks jump 02:00 → 03:00).
        let local = NaiveDate::from_ymd_opt(2026, 3, 29)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        let t = berlin().instant(local);
        assert_eq!(berlin().local(t).format("%H:%M").to_string(), "03:30");
    }

    #[test]
    fn an_ambiguous_autumn_time_takes_the_earlier_instant() {
        let local = NaiveDate::from_ymd_opt(2026, 10, 25)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        let t = berlin().instant(local);
        assert_eq!(t.to_rfc3339(), "2026-10-25T00:30:00+00:00");
    }

    #[test]
    fn all_day_spans_are_dates_and_display_inclusively() {
        let d = NaiveDate::from_ymd_opt(2026, 5, 3).unwrap();
        let w = When::all_day(d, 2);
        assert_eq!(w.to_string(), "2026-05-03–2026-05-04 (all day)");
        assert_eq!(When::all_day(d, 0).to_string(), "2026-05-03 (all day)");
    }

    #[test]
    fn the_window_is_half_open_at_both_ends() {
        // Issue #24, point 1: a span that ends exactly when the window
        // starts is outside `[from, to)`, like one that starts at `to`.
        let at = |h| Utc.with_ymd_and_hms(2026, 1, 5, h, 0, 0).unwrap();
        let nine_to_ten = When::timed(at(9), at(10), Zone::UTC);
        assert!(!nine_to_ten.overlaps(at(10), at(11), Zone::UTC));
        assert!(!nine_to_ten.overlaps(at(8), at(9), Zone::UTC));
        assert!(nine_to_ten.overlaps(at(9), at(10), Zone::UTC));
        assert!(nine_to_ten.overlaps(at(8), at(11), Zone::UTC));
        // A span of no length is a point: inside when the window holds it.
        let point = When::timed(at(10), at(10), Zone::UTC);
        assert!(point.overlaps(at(10), at(11), Zone::UTC));
        assert!(!point.overlaps(at(9), at(10), Zone::UTC));
        // An all-day span ends at midnight of its end day.
        let day = When::all_day(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(), 1);
        let midnight = at(0) + Duration::days(1);
        assert!(!day.overlaps(midnight, midnight + Duration::hours(1), Zone::UTC));
        assert!(day.overlaps(midnight - Duration::hours(1), midnight, Zone::UTC));
    }

    #[test]
    fn same_time_ignores_the_entry_zone() {
        let s = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
        let a = When::timed(s, s + Duration::hours(1), berlin());
        let b = When::timed(s, s + Duration::hours(1), Zone::UTC);
        assert!(a.same_time(&b));
        assert_ne!(a, b);
    }
}
