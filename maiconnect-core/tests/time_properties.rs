//! Time properties: all-day events never shift, recurring occurrences keep
//! their wall-clock time across DST changes in both directions.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc, Weekday};
use maiconnect_core::model::*;
use proptest::prelude::*;

/// Zones from UTC−12 to UTC+14, with and without DST, both hemispheres.
const ZONES: &[&str] = &[
    "Etc/GMT+12",
    "Pacific/Pago_Pago",
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/New_York",
    "America/Santiago",
    "America/Sao_Paulo",
    "Atlantic/Azores",
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Africa/Cairo",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Adelaide",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Pacific/Chatham",
    "Pacific/Tongatapu",
    "Pacific/Kiritimati",
];

fn zone() -> impl Strategy<Value = Zone> {
    prop::sample::select(ZONES).prop_map(|z| z.parse().unwrap())
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (0i64..3650).prop_map(|d| NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + Duration::days(d))
}

proptest! {
    #[test]
    fn all_day_events_keep_their_dates_in_every_zone(d in date(), days in 1u32..10, z in zone(), viewer in zone()) {
        let w = When::all_day(d, days);
        // The span starts at midnight of its first day wherever it is shown.
        let start = w.start_instant(viewer);
        prop_assert_eq!(viewer.local(start).date(), d);
        prop_assert_eq!(viewer.local(w.end_instant(viewer)).date(), d + Duration::days(i64::from(days)));
        // Serialising and reading it back never moves it.
        let text = serde_json::to_string(&w).unwrap();
        let back: When = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back, &w);
        // An all-day series in any zone yields whole days on the pattern's dates.
        let r = Recurrence {
            pattern: Pattern::Daily { interval: 1 },
            range: RecurrenceRange { start: d, end: RangeEnd::Numbered(3) },
            zone: z,
            modified: vec![],
            deleted: vec![],
            start_time: None,
        };
        let from = Utc.with_ymd_and_hms(2019, 1, 1, 0, 0, 0).unwrap();
        let to = Utc.with_ymd_and_hms(2031, 1, 1, 0, 0, 0).unwrap();
        let occ = r.expand(&w, from, to);
        prop_assert_eq!(occ.len(), 3);
        for (i, o) in occ.iter().enumerate() {
            let first = d + Duration::days(i as i64);
            prop_assert_eq!(&o.when, &When::AllDay { first_day: first, end_day: first + Duration::days(i64::from(days)) });
            prop_assert_eq!(z.local(o.original_start).date(), first);
        }
    }

    #[test]
    fn occurrences_keep_their_wall_clock_time_across_dst(
        d in date(),
        hour in 0u32..24,
        minute in prop::sample::select(vec![0u32, 15, 30, 45]),
        z in zone(),
        weekly in any::<bool>(),
    ) {
        let local = d.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap());
        let start = z.instant(local);
        let first = When::timed(start, start + Duration::minutes(90), z);
        let pattern = if weekly {
            Pattern::Weekly { interval: 1, days: vec![d.weekday()], first_day_of_week: Weekday::Mon }
        } else {
            Pattern::Daily { interval: 3 }
        };
        // 60 occurrences span at least one DST change in every DST zone.
        let r = Recurrence { pattern, range: RecurrenceRange { start: d, end: RangeEnd::Numbered(60) }, zone: z, modified: vec![], deleted: vec![], start_time: None };
        let from = Utc.with_ymd_and_hms(2019, 1, 1, 0, 0, 0).unwrap();
        let to = Utc.with_ymd_and_hms(2032, 1, 1, 0, 0, 0).unwrap();
        let occ = r.expand(&first, from, to);
        prop_assert_eq!(occ.len(), 60);
        let master_local = z.local(start);
        for o in &occ {
            let When::Timed { start: s, end: e, .. } = o.when else { panic!("timed") };
            let here = z.local(s);
            // Same wall-clock time, unless that time does not exist on the
            // day (inside a spring gap), where it moves forward by the gap.
            let wanted = here.date().and_time(master_local.time());
            if z.instant(wanted) == s && z.local(z.instant(wanted)) == wanted {
                prop_assert_eq!(here.time(), master_local.time());
            } else {
                prop_assert!(here > wanted && here - wanted <= Duration::hours(1), "{here} vs {wanted}");
            }
            // The duration in wall-clock terms stays 90 minutes.
            let local_len = z.local(e) - here;
            prop_assert!(local_len == Duration::minutes(90) || (local_len - Duration::minutes(90)).num_minutes().abs() <= 60);
            prop_assert_eq!(here.second(), 0);
        }
    }
}
