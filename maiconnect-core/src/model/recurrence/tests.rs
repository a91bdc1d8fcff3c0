use super::*;
use chrono::TimeZone;

fn zone(name: &str) -> Zone {
    name.parse().unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn series(pattern: Pattern, start: NaiveDate, end: RangeEnd, z: Zone) -> Recurrence {
    Recurrence {
        pattern,
        range: RecurrenceRange { start, end },
        zone: z,
        modified: vec![],
        deleted: vec![],
        start_time: None,
    }
}

fn nine_to_ten(z: Zone, d: NaiveDate) -> When {
    let s = z.instant(d.and_hms_opt(9, 0, 0).unwrap());
    When::timed(s, s + Duration::hours(1), z)
}

fn all(r: &Recurrence, first: &When) -> Vec<Occurrence> {
    let from = Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
    r.expand(first, from, to)
}

#[test]
fn weekly_keeps_wall_clock_time_across_dst() {
    let z = zone("Europe/Berlin");
    let start = date(2026, 3, 16);
    let r = series(
        Pattern::Weekly {
            interval: 1,
            days: vec![Weekday::Mon],
            first_day_of_week: Weekday::Mon,
        },
        start,
        RangeEnd::Numbered(4),
        z,
    );
    let occ = all(&r, &nine_to_ten(z, start));
    assert_eq!(occ.len(), 4);
    for o in &occ {
        let local = z.local(o.original_start);
        assert_eq!(
            local.time(),
            NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            "{local}"
        );
    }
    // Before the change 09:00 CET is 08:00 UTC, after it 07:00 UTC.
    assert_eq!(occ[0].original_start.format("%H").to_string(), "08");
    assert_eq!(occ[3].original_start.format("%H").to_string(), "07");
}

#[test]
fn monthly_on_the_31st_falls_on_the_last_day_of_short_months() {
    let z = Zone::UTC;
    let r = series(
        Pattern::AbsoluteMonthly {
            interval: 1,
            day_of_month: 31,
        },
        date(2026, 1, 31),
        RangeEnd::Numbered(3),
        z,
    );
    let days: Vec<_> = all(&r, &nine_to_ten(z, date(2026, 1, 31)))
        .iter()
        .map(|o| o.original_start.date_naive())
        .collect();
    assert_eq!(
        days,
        vec![date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]
    );
}

#[test]
fn relative_monthly_last_weekday_and_yearly_patterns() {
    let z = Zone::UTC;
    let r = series(
        Pattern::RelativeMonthly {
            interval: 2,
            week: WeekOfMonth::Last,
            day: DaySelector::Weekday,
        },
        date(2026, 1, 1),
        RangeEnd::Numbered(2),
        z,
    );
    let days: Vec<_> = all(&r, &nine_to_ten(z, date(2026, 1, 30)))
        .iter()
        .map(|o| o.original_start.date_naive())
        .collect();
    assert_eq!(days, vec![date(2026, 1, 30), date(2026, 3, 31)]);

    let y = series(
        Pattern::RelativeYearly {
            month: 11,
            week: WeekOfMonth::Fourth,
            day: DaySelector::On(Weekday::Thu),
        },
        date(2026, 1, 1),
        RangeEnd::EndDate(date(2027, 12, 31)),
        z,
    );
    let days: Vec<_> = all(&y, &nine_to_ten(z, date(2026, 11, 26)))
        .iter()
        .map(|o| o.original_start.date_naive())
        .collect();
    assert_eq!(days, vec![date(2026, 11, 26), date(2027, 11, 25)]);

    let a = series(
        Pattern::AbsoluteYearly {
            month: 2,
            day_of_month: 29,
        },
        date(2027, 1, 1),
        RangeEnd::Numbered(2),
        z,
    );
    let days: Vec<_> = all(&a, &nine_to_ten(z, date(2027, 2, 28)))
        .iter()
        .map(|o| o.original_start.date_naive())
        .collect();
    assert_eq!(days, vec![date(2027, 2, 28), date(2028, 2, 29)]);
}

#[test]
fn deleted_occurrences_keep_their_index_slot_and_modified_ones_move() {
    let z = zone("America/New_York");
    let start = date(2026, 10, 26);
    let mut r = series(
        Pattern::Daily { interval: 1 },
        start,
        RangeEnd::Numbered(5),
        z,
    );
    let first = nine_to_ten(z, start);
    let plain = all(&r, &first);
    r.deleted.push(plain[1].original_start);
    let moved = nine_to_ten(z, date(2026, 10, 29)); // keep the day, change the hour below
    let moved = match moved {
        When::Timed { start, end, zone } => {
            When::timed(start + Duration::hours(2), end + Duration::hours(2), zone)
        }
        other => other,
    };
    r.modified.push(ModifiedOccurrence {
        original_start: plain[3].original_start,
        id: None,
        when: moved.clone(),
        subject: Some("moved".into()),
        location: None,
    });
    let occ = all(&r, &first);
    let idx: Vec<u32> = occ.iter().map(|o| o.index).collect();
    assert_eq!(idx, vec![1, 3, 4, 5]);
    let fourth = occ.iter().find(|o| o.index == 4).unwrap();
    assert_eq!(fourth.when, moved);
    assert_eq!(fourth.original_start, plain[3].original_start);
}

#[test]
fn an_occurrence_is_found_by_its_original_start_even_when_moved() {
    let z = zone("Europe/Berlin");
    let start = date(2026, 3, 23);
    let mut r = series(Pattern::Daily { interval: 7 }, start, RangeEnd::NoEnd, z);
    let first = nine_to_ten(z, start);
    let plain = all(&r, &first);
    let moved = nine_to_ten(z, date(2026, 5, 1));
    r.modified.push(ModifiedOccurrence {
        original_start: plain[2].original_start,
        id: None,
        when: moved.clone(),
        subject: None,
        location: None,
    });
    r.deleted.push(plain[3].original_start);
    let found = r.find(&first, plain[2].original_start).unwrap();
    assert_eq!((found.index, found.when), (3, moved));
    assert!(r.find(&first, plain[3].original_start).is_none());
    assert_eq!(r.find(&first, plain[1].original_start).unwrap().index, 2);
    assert!(
        r.find(&first, plain[1].original_start + Duration::hours(30))
            .is_none()
    );
}

#[test]
fn all_day_series_stay_on_their_dates() {
    let z = zone("Pacific/Kiritimati");
    let start = date(2026, 6, 1);
    let r = series(
        Pattern::Weekly {
            interval: 2,
            days: vec![Weekday::Mon, Weekday::Fri],
            first_day_of_week: Weekday::Sun,
        },
        start,
        RangeEnd::Numbered(4),
        z,
    );
    let occ = all(&r, &When::all_day(start, 1));
    let days: Vec<_> = occ
        .iter()
        .map(|o| match &o.when {
            When::AllDay { first_day, .. } => *first_day,
            other => panic!("expected all-day, got {other}"),
        })
        .collect();
    assert_eq!(
        days,
        vec![
            date(2026, 6, 1),
            date(2026, 6, 5),
            date(2026, 6, 15),
            date(2026, 6, 19)
        ]
    );
}

#[test]
fn an_empty_weekly_pattern_yields_nothing_and_a_window_cuts() {
    let z = Zone::UTC;
    let empty = series(
        Pattern::Weekly {
            interval: 1,
            days: vec![],
            first_day_of_week: Weekday::Mon,
        },
        date(2026, 1, 1),
        RangeEnd::NoEnd,
        z,
    );
    assert!(all(&empty, &nine_to_ten(z, date(2026, 1, 1))).is_empty());
    let daily = series(
        Pattern::Daily { interval: 1 },
        date(2026, 1, 1),
        RangeEnd::NoEnd,
        z,
    );
    let from = Utc.with_ymd_and_hms(2026, 1, 10, 0, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2026, 1, 13, 0, 0, 0).unwrap();
    let occ = daily.expand(&nine_to_ten(z, date(2026, 1, 1)), from, to);
    assert_eq!(
        occ.iter().map(|o| o.index).collect::<Vec<_>>(),
        vec![10, 11, 12]
    );
}

#[test]
fn an_occurrence_ending_at_the_window_start_is_outside_it() {
    // Issue #24, point 1: a daily 09:00–10:00 series and a window from
    // 10:00 do not include that day.
    let z = Zone::UTC;
    let daily = series(
        Pattern::Daily { interval: 1 },
        date(2026, 1, 1),
        RangeEnd::NoEnd,
        z,
    );
    let from = Utc.with_ymd_and_hms(2026, 1, 10, 10, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2026, 1, 12, 10, 0, 0).unwrap();
    let occ = daily.expand(&nine_to_ten(z, date(2026, 1, 1)), from, to);
    assert_eq!(
        occ.iter().map(|o| o.index).collect::<Vec<_>>(),
        vec![11, 12]
    );
}

fn year_window(y: i32) -> (DateTime<Utc>, DateTime<Utc>) {
    (
        Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(y + 1, 1, 1, 0, 0, 0).unwrap(),
    )
}

#[test]
fn a_series_started_decades_ago_still_reaches_the_window() {
    // Issue #24, point 2: expansion jumps to the window instead of walking
    // (and giving up) from the start.
    let z = zone("Europe/Berlin");
    let (from, to) = year_window(2026);
    let daily = series(
        Pattern::Daily { interval: 1 },
        date(1970, 1, 1),
        RangeEnd::NoEnd,
        z,
    );
    let occ = daily.expand(&nine_to_ten(z, date(1970, 1, 1)), from, to);
    assert_eq!(occ.len(), 365);
    let before = (date(2026, 1, 1) - date(1970, 1, 1)).num_days() as u32;
    assert_eq!(occ[0].index, before + 1);
    assert_eq!(
        z.local(occ[0].original_start).to_string(),
        "2026-01-01 09:00:00"
    );

    let monthly = series(
        Pattern::AbsoluteMonthly {
            interval: 1,
            day_of_month: 31,
        },
        date(1880, 1, 31),
        RangeEnd::NoEnd,
        z,
    );
    let occ = monthly.expand(&nine_to_ten(z, date(1880, 1, 31)), from, to);
    assert_eq!(occ.len(), 12);
    assert_eq!(occ[0].index, (2026 - 1880) * 12 + 1);
    assert_eq!(z.local(occ[1].original_start).date(), date(2026, 2, 28));
}

#[test]
fn jumping_keeps_the_count_of_a_numbered_series() {
    // A series of N occurrences started decades ago counts from its start:
    // 20,454 daily occurrences from 1970 end on 2025-12-31.
    let z = Zone::UTC;
    let (from, to) = year_window(2025);
    let last = date(2025, 12, 31);
    let n = (last - date(1970, 1, 1)).num_days() as u32 + 1;
    let weekly_days = vec![Weekday::Tue, Weekday::Thu];
    for (count, expected) in [(n, Some(last)), (n - 1, Some(last.pred_opt().unwrap()))] {
        let r = series(
            Pattern::Daily { interval: 1 },
            date(1970, 1, 1),
            RangeEnd::Numbered(count),
            z,
        );
        let occ = r.expand(&nine_to_ten(z, date(1970, 1, 1)), from, to);
        assert_eq!(occ.last().map(|o| o.original_start.date_naive()), expected);
        assert_eq!(occ.last().map(|o| o.index), Some(count));
        let found = r.find(&nine_to_ten(z, date(1970, 1, 1)), occ[0].original_start);
        assert_eq!(found.map(|o| o.index), Some(occ[0].index));
    }
    // Weekly on two days from a Thursday: the first week holds one
    // occurrence, every later week two.
    let start = date(1970, 1, 1); // a Thursday
    let r = series(
        Pattern::Weekly {
            interval: 3,
            days: weekly_days,
            first_day_of_week: Weekday::Mon,
        },
        start,
        RangeEnd::Numbered(2000),
        z,
    );
    let occ = r.expand(
        &nine_to_ten(z, start),
        year_window(1970).0,
        year_window(2030).1,
    );
    assert_eq!(occ.len(), 2000);
    assert!(
        occ[1999].original_start > from,
        "the count must reach into the window"
    );
    let windowed: Vec<u32> = r
        .expand(&nine_to_ten(z, start), from, to)
        .iter()
        .map(|o| o.index)
        .collect();
    let expected: Vec<u32> = occ
        .iter()
        .filter(|o| o.original_start >= from && o.original_start < to)
        .map(|o| o.index)
        .collect();
    assert_eq!(windowed, expected);
}

fn length(o: &Occurrence) -> Duration {
    match o.when {
        When::Timed { start, end, .. } => end - start,
        When::AllDay { .. } => panic!("expected a timed occurrence"),
    }
}

fn at(z: Zone, d: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    z.instant(d.and_hms_opt(h, m, 0).unwrap())
}

fn local_times(z: Zone, occ: &[Occurrence]) -> Vec<String> {
    occ.iter()
        .map(|o| z.local(o.when.start_instant(z)).format("%H:%M").to_string())
        .collect()
}

#[test]
fn occurrences_last_the_masters_elapsed_time_when_it_spans_a_dst_change() {
    // Issue #24, point 3: 01:30 CET to 03:30 CEST on the spring-change day
    // is one elapsed hour (two on the wall clock); every occurrence lasts
    // one hour.
    let z = zone("Europe/Berlin");
    let spring = date(2026, 3, 29);
    let first = When::timed(at(z, spring, 1, 30), at(z, spring, 3, 30), z);
    let r = series(
        Pattern::Daily { interval: 1 },
        spring,
        RangeEnd::Numbered(3),
        z,
    );
    let occ = all(&r, &first);
    assert_eq!(occ.len(), 3);
    assert!(occ.iter().all(|o| length(o) == Duration::hours(1)));
    // The autumn mirror: 01:30 CEST to 02:30 CET is two elapsed hours.
    let autumn = date(2026, 10, 25);
    let start = at(z, autumn, 1, 30);
    let first = When::timed(start, start + Duration::hours(2), z);
    assert_eq!(
        z.local(start + Duration::hours(2))
            .format("%H:%M")
            .to_string(),
        "02:30"
    );
    let r = series(
        Pattern::Daily { interval: 1 },
        autumn,
        RangeEnd::Numbered(3),
        z,
    );
    let occ = all(&r, &first);
    assert!(occ.iter().all(|o| length(o) == Duration::hours(2)));
    assert_eq!(local_times(z, &occ), vec!["01:30", "01:30", "01:30"]);
}

#[test]
fn an_occurrence_whose_time_falls_in_a_gap_moves_forward_and_keeps_its_length() {
    // Issue #24, point 4: Sundays 02:30–03:30 in Berlin; on 2026-03-29 the
    // clocks jump from 02:00 to 03:00, so that occurrence starts at 03:30
    // (the wall-clock time read with the offset before the gap) and still
    // lasts an hour instead of being clamped to nothing.
    let z = zone("Europe/Berlin");
    let start = date(2026, 3, 22);
    let first = When::timed(at(z, start, 2, 30), at(z, start, 3, 30), z);
    let r = series(
        Pattern::Weekly {
            interval: 1,
            days: vec![Weekday::Sun],
            first_day_of_week: Weekday::Mon,
        },
        start,
        RangeEnd::Numbered(3),
        z,
    );
    let occ = all(&r, &first);
    assert_eq!(local_times(z, &occ), vec!["02:30", "03:30", "02:30"]);
    assert!(occ.iter().all(|o| length(o) == Duration::hours(1)));
    assert_eq!(
        occ[1].original_start,
        Utc.with_ymd_and_hms(2026, 3, 29, 1, 30, 0).unwrap()
    );
}

#[test]
fn a_series_keeps_its_own_time_when_its_first_day_has_a_gap() {
    // Issue #24, point 4: a daily series meant for 02:30 that starts on the
    // spring-change day. Its master can only be an instant after the gap
    // (03:30 CEST); the series' own time, where the source carries it, puts
    // every later occurrence at 02:30 again.
    let z = zone("Europe/Berlin");
    let spring = date(2026, 3, 29);
    let master = at(z, spring, 2, 30);
    assert_eq!(z.local(master).format("%H:%M").to_string(), "03:30");
    let first = When::timed(master, master + Duration::hours(1), z);
    let mut r = series(
        Pattern::Daily { interval: 1 },
        spring,
        RangeEnd::Numbered(3),
        z,
    );
    // Without it, the master's instant is all there is to go by.
    assert_eq!(local_times(z, &all(&r, &first)), vec!["03:30"; 3]);
    r.start_time = NaiveTime::from_hms_opt(2, 30, 0);
    let occ = all(&r, &first);
    assert_eq!(local_times(z, &occ), vec!["03:30", "02:30", "02:30"]);
    assert_eq!(occ[0].original_start, master);
    assert!(occ.iter().all(|o| length(o) == Duration::hours(1)));
    assert_eq!(r.find(&first, master).map(|o| o.index), Some(1));
    // Stored series without the time read as before; with it, keep it.
    let text = serde_json::to_string(&r).unwrap();
    assert!(text.contains("\"start_time\":\"02:30:00\""), "{text}");
    assert_eq!(serde_json::from_str::<Recurrence>(&text).unwrap(), r);
    r.start_time = None;
    assert!(!serde_json::to_string(&r).unwrap().contains("start_time"));
}
