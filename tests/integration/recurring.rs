//! Recurring Outlook appointments: a series becomes single S/4
//! appointments within the horizon, one per occurrence.

use chrono::{DateTime, Datelike, Duration, Utc};
use maiconnect_core::model::Zone;
use maiconnect_fakes::exchange::control::spec::{ItemSpec, RecurrenceSpec};
use maiconnect_fakes::exchange::state::ids::occurrence_id;
use maiconnect_fakes::s4::ActivityKind;

use crate::harness::{ANNA, Env, Setup, at, meeting, s4_time};

/// Next week's Monday (at least seven days ahead), 09:00 UTC.
fn next_monday() -> DateTime<Utc> {
    let start = at(7, 9);
    start + Duration::days(i64::from((7 - start.weekday().num_days_from_monday()) % 7))
}

/// A weekly series of four on Mondays, in UTC (no daylight saving shifts).
fn weekly(subject: &str, first: DateTime<Utc>) -> ItemSpec {
    ItemSpec {
        zone: Some("UTC".into()),
        recurrence: Some(RecurrenceSpec {
            pattern: "weekly".into(),
            days: vec!["Monday".into()],
            occurrences: Some(4),
            ..RecurrenceSpec::default()
        }),
        ..meeting(subject, first)
    }
}

fn starts(env: &Env, subject: &str) -> Vec<DateTime<Utc>> {
    let mut v: Vec<_> = env
        .s4_titled(ActivityKind::Appointment, subject)
        .iter()
        .map(|a| s4_time(a, "FromDate"))
        .collect();
    v.sort();
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_weekly_series_becomes_single_s4_appointments_that_follow_its_occurrences() {
    let env = Env::start().await;
    env.quiet().await;
    let first = next_monday();
    let master = env.outlook_create(ANNA, "calendar", &weekly("Weekly sync", first));
    env.wait_s4(ActivityKind::Appointment, "Weekly sync", 4)
        .await;
    let week = |n: i64| first + Duration::weeks(n);
    assert_eq!(
        starts(&env, "Weekly sync"),
        vec![week(0), week(1), week(2), week(3)]
    );
    env.quiet().await;

    // Outlook deletes the second occurrence: its S/4 appointment goes.
    env.outlook_delete(ANNA, &occurrence_id(&master, 2));
    env.wait_s4(ActivityKind::Appointment, "Weekly sync", 3)
        .await;
    assert_eq!(starts(&env, "Weekly sync"), vec![week(0), week(2), week(3)]);

    // Outlook moves the third by two hours: its S/4 appointment moves.
    env.outlook_update(
        ANNA,
        &occurrence_id(&master, 3),
        &ItemSpec {
            start: Some(week(2) + Duration::hours(2)),
            end: Some(week(2) + Duration::hours(3)),
            ..ItemSpec::default()
        },
    );
    env.wait("the third occurrence to move in S/4HANA", || {
        (starts(&env, "Weekly sync") == vec![week(0), week(2) + Duration::hours(2), week(3)])
            .then_some(())
    })
    .await;
    env.quiet().await;
    assert_eq!(env.s4_all(ActivityKind::Appointment).len(), 3);
    // The series stays one item in Outlook.
    assert_eq!(env.items(ANNA, "calendar").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_recurring_off_no_occurrence_goes_to_s4() {
    let env = Env::with(Setup::config(|c| {
        c.policy.appointments.recurring.enabled = false;
    }))
    .await;
    env.quiet().await;
    env.outlook_create(ANNA, "calendar", &weekly("Weekly sync", next_monday()));
    env.outlook_create(ANNA, "calendar", &meeting("One-off", at(3, 9)));
    env.wait_s4(ActivityKind::Appointment, "One-off", 1).await;
    env.quiet().await;
    assert!(
        env.s4_titled(ActivityKind::Appointment, "Weekly sync")
            .is_empty()
    );
    assert_eq!(env.s4_all(ActivityKind::Appointment).len(), 1);
}

/// Issue #23: a weekly series in Kyiv (which CLDR lists as `Europe/Kiev`)
/// and in Kolkata (`Asia/Calcutta`) reaches S/4 at 09:00 local time for
/// every occurrence, across the DST change that 40 weeks always hold.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weekly_series_in_kyiv_and_kolkata_keep_their_local_time() {
    let env = Env::with(Setup::config(|c| {
        c.policy.appointments.recurring.horizon_days = 400;
    }))
    .await;
    env.quiet().await;
    for (name, subject) in [
        ("Europe/Kyiv", "Kyiv sync"),
        ("Asia/Kolkata", "Kolkata sync"),
    ] {
        let zone: Zone = name.parse().expect("zone");
        let day = next_monday().date_naive();
        let first = zone.instant(day.and_hms_opt(9, 0, 0).expect("time"));
        let spec = ItemSpec {
            zone: Some(name.into()),
            recurrence: Some(RecurrenceSpec {
                pattern: "weekly".into(),
                days: vec!["Monday".into()],
                occurrences: Some(40),
                ..RecurrenceSpec::default()
            }),
            ..meeting(subject, first)
        };
        env.outlook_create(ANNA, "calendar", &spec);
        env.wait_s4(ActivityKind::Appointment, subject, 40).await;
        let starts = starts(&env, subject);
        for s in &starts {
            assert_eq!(
                zone.local(*s).format("%a %H:%M").to_string(),
                "Mon 09:00",
                "{name}: an S/4 appointment at {s}"
            );
        }
        let offsets: std::collections::BTreeSet<_> = starts
            .iter()
            .map(|s| zone.offset_at(*s).local_minus_utc())
            .collect();
        let expected = if name == "Europe/Kyiv" { 2 } else { 1 };
        assert_eq!(offsets.len(), expected, "{name}: {offsets:?}");
    }
}
