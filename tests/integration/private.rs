//! Private appointments: synchronised, synchronised as private blockers,
//! or skipped.

use chrono::Duration;
use maiconnect_core::policy::PrivatePolicy;
use maiconnect_fakes::exchange::control::spec::ItemSpec;
use maiconnect_fakes::s4::ActivityKind;
use serde_json::json;

use crate::harness::{ANNA, Env, Setup, at, iso, meeting, s4_time, text};

fn doctor(start: chrono::DateTime<chrono::Utc>) -> ItemSpec {
    ItemSpec {
        sensitivity: Some("Private".into()),
        location: Some("Clinic".into()),
        body: Some("Annual checkup".into()),
        ..meeting("Doctor", start)
    }
}

fn with_private(rule: PrivatePolicy) -> Setup {
    Setup::config(move |c| c.policy.appointments.private = rule)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_as_private_gives_s4_a_blocker_without_subject_location_or_body() {
    let env = Env::with(with_private(PrivatePolicy::SyncAsPrivate)).await;
    env.quiet().await;
    let start = at(6, 8);
    let id = env.outlook_create(ANNA, "calendar", &doctor(start));
    let blocker = env
        .wait_s4(ActivityKind::Appointment, "Private", 1)
        .await
        .remove(0);
    assert_eq!(blocker["PrivatFlag"], json!(true));
    assert_eq!(text(&blocker, "Location"), "");
    assert_eq!(text(&blocker, "Note"), "");
    assert_eq!(text(&blocker, "Responsible"), "0000004711");
    assert_eq!(s4_time(&blocker, "FromDate"), start);
    assert_eq!(s4_time(&blocker, "ToDate"), start + Duration::hours(1));

    // The time still flows; the private content never does.
    env.outlook_update(
        ANNA,
        &id,
        &ItemSpec {
            subject: Some("Doctor (moved)".into()),
            start: Some(start + Duration::hours(2)),
            end: Some(start + Duration::hours(3)),
            ..ItemSpec::default()
        },
    );
    env.wait("the blocker to move", || {
        let b = env.s4_titled(ActivityKind::Appointment, "Private");
        (s4_time(b.first()?, "FromDate") == start + Duration::hours(2)).then_some(())
    })
    .await;
    env.quiet().await;
    let all = env.s4_all(ActivityKind::Appointment);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(text(&all[0], "Description"), "Private");
    assert_eq!(text(&all[0], "Location"), "");
    // Outlook keeps its own content: the blocker's subject does not come back.
    let item = env.world.exchange.item(ANNA, &id).unwrap();
    assert_eq!(text(&item, "subject"), "Doctor (moved)");
    assert_eq!(text(&item, "location"), "Clinic");
    assert_eq!(text(&item, "body"), "Annual checkup");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_takes_private_appointments_with_their_content_both_ways() {
    let env = Env::with(with_private(PrivatePolicy::Sync)).await;
    env.quiet().await;
    env.outlook_create(ANNA, "calendar", &doctor(at(6, 8)));
    let s4 = env
        .wait_s4(ActivityKind::Appointment, "Doctor", 1)
        .await
        .remove(0);
    assert_eq!(s4["PrivatFlag"], json!(true));
    assert_eq!(text(&s4, "Location"), "Clinic");
    assert_eq!(text(&s4, "Note"), "Annual checkup");

    env.world
        .s4
        .create_appointment(json!({
            "Description": "Salary talk", "TransactionType": "ZMAI", "Responsible": "4711",
            "PrivatFlag": true, "FromDate": iso(at(7, 9)), "ToDate": iso(at(7, 10))
        }))
        .unwrap();
    let item = env
        .wait_items(ANNA, "calendar", "Salary talk", 1)
        .await
        .remove(0);
    assert_eq!(text(&item, "sensitivity"), "Private");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn skip_keeps_private_appointments_on_their_side() {
    let env = Env::with(with_private(PrivatePolicy::Skip)).await;
    env.quiet().await;
    // The private ones first: when the ordinary ones have arrived, the
    // private ones were decided.
    env.outlook_create(ANNA, "calendar", &doctor(at(6, 8)));
    env.world
        .s4
        .create_appointment(json!({
            "Description": "Salary talk", "TransactionType": "ZMAI", "Responsible": "4711",
            "PrivatFlag": true, "FromDate": iso(at(7, 9)), "ToDate": iso(at(7, 10))
        }))
        .unwrap();
    env.outlook_create(ANNA, "calendar", &meeting("Team lunch", at(6, 11)));
    env.world
        .s4
        .create_appointment(json!({
            "Description": "Board meeting", "TransactionType": "ZMAI", "Responsible": "4711",
            "FromDate": iso(at(7, 12)), "ToDate": iso(at(7, 13))
        }))
        .unwrap();
    env.wait_s4(ActivityKind::Appointment, "Team lunch", 1)
        .await;
    env.wait_items(ANNA, "calendar", "Board meeting", 1).await;
    env.quiet().await;
    assert!(
        env.s4_titled(ActivityKind::Appointment, "Doctor")
            .is_empty()
    );
    assert!(env.items_titled(ANNA, "calendar", "Salary talk").is_empty());
    assert_eq!(env.s4_all(ActivityKind::Appointment).len(), 3);
    assert_eq!(env.items(ANNA, "calendar").len(), 3);
}
