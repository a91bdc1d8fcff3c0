//! Recurrence expansion against an independent model of Exchange's rules
//! (issue #24).
//!
//! The model below is written from the rules, not from the core: it walks
//! every day from the range start and asks of each whether the pattern puts
//! an occurrence on it. Exchange's rules as the issue states them: day 29–31
//! falls on the last day of shorter months; the first occurrence is the
//! first matching date on or after the start; end dates are inclusive and a
//! count counts from the start; weeks are counted from `FirstDayOfWeek`;
//! the wall-clock time is kept across DST changes (a time a gap skips reads
//! with the offset before the gap, a repeated time is the earlier instant);
//! every occurrence lasts the master's elapsed time; the window is
//! `[from, to)`.

use std::collections::BTreeSet;

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use maiconnect_core::model::*;
use proptest::prelude::*;

/// With and without DST, both hemispheres, a gap at midnight (Santiago),
/// 45-minute offsets (Chatham) and a 30-minute DST (Lord Howe).
const ZONES: &[&str] = &[
    "Europe/Berlin",
    "America/New_York",
    "America/Santiago",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Asia/Kolkata",
    "UTC",
];

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

// ---- The model --------------------------------------------------------

fn last_day_of_month(d: NaiveDate) -> u32 {
    (28..=31)
        .rev()
        .find(|day| NaiveDate::from_ymd_opt(d.year(), d.month(), *day).is_some())
        .unwrap_or(28)
}

fn selected(sel: DaySelector, d: NaiveDate) -> bool {
    let weekend = d.weekday() == Weekday::Sat || d.weekday() == Weekday::Sun;
    match sel {
        DaySelector::On(w) => d.weekday() == w,
        DaySelector::Day => true,
        DaySelector::Weekday => !weekend,
        DaySelector::WeekendDay => weekend,
    }
}

/// Whether `d` is the `week`-th day of its month that `sel` selects.
fn is_nth(d: NaiveDate, week: WeekOfMonth, sel: DaySelector) -> bool {
    if !selected(sel, d) {
        return false;
    }
    let same_month = |day: u32| NaiveDate::from_ymd_opt(d.year(), d.month(), day);
    let rank = (1..=d.day())
        .filter_map(same_month)
        .filter(|x| selected(sel, *x))
        .count();
    let later = (d.day() + 1..=last_day_of_month(d))
        .filter_map(same_month)
        .any(|x| selected(sel, x));
    match week {
        WeekOfMonth::First => rank == 1,
        WeekOfMonth::Second => rank == 2,
        WeekOfMonth::Third => rank == 3,
        WeekOfMonth::Fourth => rank == 4,
        WeekOfMonth::Last => !later,
    }
}

fn day_of_month_matches(d: NaiveDate, day: u32) -> bool {
    d.day() == day.clamp(1, 31).min(last_day_of_month(d))
}

fn occurs_on(p: &Pattern, start: NaiveDate, d: NaiveDate) -> bool {
    let months = (d.year() - start.year()) * 12 + d.month() as i32 - start.month() as i32;
    let every = |interval: u32, n: i64| n % i64::from(interval.max(1)) == 0;
    match p {
        Pattern::Daily { interval } => every(*interval, (d - start).num_days()),
        Pattern::Weekly {
            interval,
            days,
            first_day_of_week,
        } => {
            let week_of = |x: NaiveDate| {
                let mut x = x;
                while x.weekday() != *first_day_of_week {
                    x = x.pred_opt().unwrap();
                }
                x
            };
            days.contains(&d.weekday())
                && every(*interval, (week_of(d) - week_of(start)).num_days() / 7)
        }
        Pattern::AbsoluteMonthly {
            interval,
            day_of_month,
        } => every(*interval, i64::from(months)) && day_of_month_matches(d, *day_of_month),
        Pattern::RelativeMonthly {
            interval,
            week,
            day,
        } => every(*interval, i64::from(months)) && is_nth(d, *week, *day),
        Pattern::AbsoluteYearly {
            month,
            day_of_month,
        } => d.month() == *month && day_of_month_matches(d, *day_of_month),
        Pattern::RelativeYearly { month, week, day } => {
            d.month() == *month && is_nth(d, *week, *day)
        }
    }
}

/// The instant a wall-clock time names in `tz`.
fn instant(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => a.with_timezone(&Utc).min(b.with_timezone(&Utc)),
        LocalResult::None => {
            // Inside a gap: read it with the offset of the day before.
            let day_before = Utc.from_utc_datetime(&(local - Duration::days(1)));
            let offset = tz.offset_from_utc_datetime(&day_before.naive_utc()).fix();
            Utc.from_utc_datetime(&(local - Duration::seconds(offset.local_minus_utc().into())))
        }
    }
}

fn model_overlaps(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> bool {
    start < to && (end > from || start >= from)
}

/// How the master of a case looks.
#[derive(Debug, Clone)]
enum Shape {
    /// Starts at `time`, lasts `minutes`.
    Timed { time: NaiveTime, minutes: i64 },
    /// Whole days.
    AllDay { days: u32 },
}

/// Every occurrence date of the series up to `until` with its 1-based index.
fn model_dates(r: &Recurrence, until: NaiveDate) -> Vec<(u32, NaiveDate)> {
    let mut out = Vec::new();
    let mut index = 0u32;
    let mut d = r.range.start;
    while d <= until {
        if let RangeEnd::EndDate(last) = r.range.end
            && d > last
        {
            break;
        }
        if occurs_on(&r.pattern, r.range.start, d) {
            index += 1;
            if let RangeEnd::Numbered(n) = r.range.end
                && index > n
            {
                break;
            }
            out.push((index, d));
        }
        d = d.succ_opt().unwrap();
    }
    out
}

fn tz_of(z: Zone) -> Tz {
    match z {
        Zone::Iana(tz) => tz,
        Zone::Fixed(_) => panic!("the cases use IANA zones"),
    }
}

/// The master: the first occurrence, or the range start for an empty series.
fn master(r: &Recurrence, shape: &Shape, first_date: NaiveDate) -> When {
    let tz = tz_of(r.zone);
    match shape {
        Shape::Timed { time, minutes } => {
            let s = instant(tz, first_date.and_time(*time));
            When::timed(s, s + Duration::minutes(*minutes), r.zone)
        }
        Shape::AllDay { days } => When::all_day(first_date, *days),
    }
}

fn model_expand(
    r: &Recurrence,
    master: &When,
    dates: &[(u32, NaiveDate)],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<(u32, DateTime<Utc>, When)> {
    let tz = tz_of(r.zone);
    let midnight = |d: NaiveDate| instant(tz, d.and_time(NaiveTime::MIN));
    let deleted: BTreeSet<DateTime<Utc>> = r.deleted.iter().copied().collect();
    let mut out = Vec::new();
    for (index, d) in dates {
        let (original, when, s, e) = match master {
            When::Timed { start, end, .. } => {
                let time = r
                    .start_time
                    .unwrap_or_else(|| start.with_timezone(&tz).time());
                let s = instant(tz, d.and_time(time));
                let e = s + (*end - *start);
                (
                    s,
                    When::Timed {
                        start: s,
                        end: e,
                        zone: r.zone,
                    },
                    s,
                    e,
                )
            }
            When::AllDay { first_day, end_day } => {
                let days = *end_day - *first_day;
                let when = When::AllDay {
                    first_day: *d,
                    end_day: *d + days,
                };
                (midnight(*d), when, midnight(*d), midnight(*d + days))
            }
        };
        if deleted.contains(&original) {
            continue;
        }
        if model_overlaps(s, e, from, to) {
            out.push((*index, original, when));
        }
    }
    out
}

// ---- Strategies ---------------------------------------------------------

fn weekday() -> impl Strategy<Value = Weekday> {
    prop::sample::select(WEEKDAYS.to_vec())
}

fn selector() -> impl Strategy<Value = DaySelector> {
    prop_oneof![
        weekday().prop_map(DaySelector::On),
        Just(DaySelector::Day),
        Just(DaySelector::Weekday),
        Just(DaySelector::WeekendDay),
    ]
}

fn week() -> impl Strategy<Value = WeekOfMonth> {
    prop::sample::select(vec![
        WeekOfMonth::First,
        WeekOfMonth::Second,
        WeekOfMonth::Third,
        WeekOfMonth::Fourth,
        WeekOfMonth::Last,
    ])
}

fn pattern() -> impl Strategy<Value = Pattern> {
    prop_oneof![
        (1u32..=10).prop_map(|interval| Pattern::Daily { interval }),
        (1u32..=4, prop::collection::vec(weekday(), 1..4), weekday()).prop_map(
            |(interval, days, first_day_of_week)| Pattern::Weekly {
                interval,
                days,
                first_day_of_week
            }
        ),
        (1u32..=6, 1u32..=31).prop_map(|(interval, day_of_month)| {
            Pattern::AbsoluteMonthly {
                interval,
                day_of_month,
            }
        }),
        (1u32..=6, week(), selector()).prop_map(|(interval, week, day)| {
            Pattern::RelativeMonthly {
                interval,
                week,
                day,
            }
        }),
        (1u32..=12, 1u32..=31).prop_map(|(month, day_of_month)| Pattern::AbsoluteYearly {
            month,
            day_of_month
        }),
        (1u32..=12, week(), selector())
            .prop_map(|(month, week, day)| { Pattern::RelativeYearly { month, week, day } }),
    ]
}

/// A start in the decades before the window, or close to it.
fn start() -> impl Strategy<Value = NaiveDate> {
    let day = |y: i32, d: i64| NaiveDate::from_ymd_opt(y, 1, 1).unwrap() + Duration::days(d);
    prop_oneof![
        (1880i32..2000, 0i64..366).prop_map(move |(y, d)| day(y, d)),
        (2018i32..2030, 0i64..366).prop_map(move |(y, d)| day(y, d)),
    ]
}

fn range_end(start: NaiveDate) -> impl Strategy<Value = RangeEnd> {
    prop_oneof![
        Just(RangeEnd::NoEnd),
        (0i64..60 * 366).prop_map(move |d| RangeEnd::EndDate(start + Duration::days(d))),
        (1u32..40_000).prop_map(RangeEnd::Numbered),
    ]
}

fn shape() -> impl Strategy<Value = Shape> {
    let quarter = prop::sample::select(vec![0u32, 15, 30, 45]);
    prop_oneof![
        4 => (0u32..24, quarter, prop_oneof![0i64..=600, 600i64..=4320]).prop_map(|(h, m, minutes)| {
            Shape::Timed { time: NaiveTime::from_hms_opt(h, m, 0).unwrap(), minutes: minutes / 15 * 15 }
        }),
        1 => (1u32..4).prop_map(|days| Shape::AllDay { days }),
    ]
}

#[derive(Debug, Clone)]
struct Case {
    recurrence: Recurrence,
    shape: Shape,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    every_nth_deleted: usize,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::sample::select(ZONES),
        pattern(),
        start(),
        shape(),
        any::<bool>(),
        (
            2020i32..2031,
            0i64..366,
            0u32..24,
            prop::sample::select(vec![0u32, 15, 30, 45]),
        ),
        prop::sample::select(vec![0usize, 3, 7]),
    )
        .prop_flat_map(|(zone, pattern, start, shape, own_time, window, nth)| {
            range_end(start).prop_map(move |end| {
                let zone: Zone = zone.parse().unwrap();
                let (year, day, h, m) = window;
                let from_local = (NaiveDate::from_ymd_opt(year, 1, 1).unwrap()
                    + Duration::days(day))
                .and_hms_opt(h, m, 0)
                .unwrap();
                let from = instant(tz_of(zone), from_local);
                let start_time = match (&shape, own_time) {
                    (Shape::Timed { time, .. }, true) => Some(*time),
                    _ => None,
                };
                Case {
                    recurrence: Recurrence {
                        pattern: pattern.clone(),
                        range: RecurrenceRange { start, end },
                        zone,
                        modified: vec![],
                        deleted: vec![],
                        start_time,
                    },
                    shape: shape.clone(),
                    from,
                    // Two-year windows.
                    to: from + Duration::days(731),
                    every_nth_deleted: nth,
                }
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The core's expansion equals the model's, occurrence by occurrence:
    /// the same indexes, original starts and spans.
    #[test]
    fn expansion_agrees_with_an_independent_model(c in case()) {
        let mut r = c.recurrence.clone();
        let until = r.zone.local(c.to).date() + Duration::days(1);
        let dates = model_dates(&r, until);
        let first_date = dates.first().map_or(r.range.start, |(_, d)| *d);
        let first = master(&r, &c.shape, first_date);
        if c.every_nth_deleted > 0 {
            let all = model_expand(&r, &first, &dates, DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
            r.deleted = all
                .iter()
                .filter(|(index, ..)| (*index as usize).is_multiple_of(c.every_nth_deleted))
                .map(|(_, original, _)| *original)
                .collect();
        }
        let expected = model_expand(&r, &first, &dates, c.from, c.to);
        let got: Vec<(u32, DateTime<Utc>, When)> = r
            .expand(&first, c.from, c.to)
            .into_iter()
            .map(|o| (o.index, o.original_start, o.when))
            .collect();
        prop_assert_eq!(&got, &expected);
        // Each occurrence is found again by its original start.
        for (index, original, when) in expected.iter().take(5) {
            let found = r.find(&first, *original).expect("found");
            prop_assert_eq!((found.index, &found.when), (*index, when));
        }
    }
}
