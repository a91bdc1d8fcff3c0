//! Appointments: S/4HANA → Outlook per transaction type; Outlook →
//! S/4HANA for all items, by category and by sync tag.

use chrono::Duration;
use maiconnect_core::policy::OutlookFilter;
use maiconnect_fakes::exchange::control::spec::ItemSpec;
use maiconnect_fakes::s4::ActivityKind;
use serde_json::json;

use crate::harness::{
    ANNA, BEN, CLARA, Env, Setup, at, ex_time, iso, link_key, meeting, s4_time, sync_tag, text,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configured_transaction_type_reaches_the_calendar_with_its_long_text() {
    let env = Env::start().await;
    env.quiet().await;
    let start = at(3, 9);
    let end = start + Duration::hours(1);
    // Created first: by the time the second arrives, the first was decided.
    env.world
        .s4
        .create_appointment(json!({
            "Description": "Internal only", "TransactionType": "ZXXX", "Responsible": "4711",
            "FromDate": iso(start), "ToDate": iso(end), "TimeZone": "Europe/Berlin"
        }))
        .unwrap();
    let visit = env
        .world
        .s4
        .create_appointment(json!({
            "Description": "Customer visit", "TransactionType": "ZMAI", "Responsible": "4711",
            "Location": "Walldorf", "Note": "Bring the contract\nand the figures", "TextType": "A002",
            "FromDate": iso(start), "ToDate": iso(end), "TimeZone": "Europe/Berlin"
        }))
        .unwrap();

    let item = env
        .wait_items(ANNA, "calendar", "Customer visit", 1)
        .await
        .remove(0);
    assert_eq!(text(&item, "body"), "Bring the contract\nand the figures");
    assert_eq!(text(&item, "location"), "Walldorf");
    assert_eq!(ex_time(&item, "start"), start);
    assert_eq!(ex_time(&item, "end"), end);
    assert_eq!(text(&item, "zone"), "Europe/Berlin");
    assert_eq!(
        link_key(&item).as_deref(),
        Some(format!("BUS2000126:{visit}").as_str())
    );

    env.quiet().await;
    assert!(
        env.items_titled(ANNA, "calendar", "Internal only")
            .is_empty()
    );
    for other in [BEN, CLARA] {
        assert!(env.items(other, "calendar").is_empty(), "{other}");
    }
    // Nothing came back: S/4HANA still holds exactly the two appointments,
    // unchanged.
    let all = env.s4_all(ActivityKind::Appointment);
    assert_eq!(all.len(), 2, "{all:#?}");
    let visit = env.s4_titled(ActivityKind::Appointment, "Customer visit");
    assert_eq!(text(&visit[0], "Location"), "Walldorf");
    assert_eq!(
        env.items_titled(ANNA, "calendar", "Customer visit").len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_outlook_appointment_goes_to_s4_and_follows_changes_and_deletes() {
    let env = Env::start().await;
    env.quiet().await;
    let start = at(4, 13);
    let id = env.outlook_create(
        ANNA,
        "calendar",
        &ItemSpec {
            location: Some("Canteen".into()),
            body: Some("About the renewal".into()),
            ..meeting("Lunch with Olga", start)
        },
    );
    let s4 = env
        .wait_s4(ActivityKind::Appointment, "Lunch with Olga", 1)
        .await
        .remove(0);
    assert_eq!(text(&s4, "Responsible"), "0000004711");
    assert_eq!(text(&s4, "TransactionType"), "ZMAI");
    assert_eq!(text(&s4, "Location"), "Canteen");
    assert_eq!(text(&s4, "Note"), "About the renewal");
    assert_eq!(s4_time(&s4, "FromDate"), start);
    assert_eq!(s4_time(&s4, "ToDate"), start + Duration::hours(1));
    // The Outlook item now carries the S/4 key.
    let guid = text(&s4, "Guid").to_owned();
    env.wait("the Outlook item tagged with its S/4 key", || {
        let item = env.world.exchange.item(ANNA, &id).ok()?;
        (link_key(&item)? == format!("BUS2000126:{guid}")).then_some(())
    })
    .await;

    env.outlook_update(
        ANNA,
        &id,
        &ItemSpec {
            subject: Some("Lunch with Olga and Piet".into()),
            start: Some(start + Duration::hours(1)),
            end: Some(start + Duration::hours(2)),
            ..ItemSpec::default()
        },
    );
    let moved = env
        .wait_s4(ActivityKind::Appointment, "Lunch with Olga and Piet", 1)
        .await
        .remove(0);
    assert_eq!(text(&moved, "Guid"), guid, "changed, not created anew");
    env.wait("the new start in S/4HANA", || {
        let a = env.s4_titled(ActivityKind::Appointment, "Lunch with Olga and Piet");
        (s4_time(a.first()?, "FromDate") == start + Duration::hours(1)).then_some(())
    })
    .await;

    env.outlook_delete(ANNA, &id);
    env.wait_s4(ActivityKind::Appointment, "Lunch with Olga and Piet", 0)
        .await;
    env.quiet().await;
    assert!(env.s4_all(ActivityKind::Appointment).is_empty());
    assert!(env.items(ANNA, "calendar").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_category_filter_only_categorised_items_go_to_s4() {
    let env = Env::with(Setup::config(|c| {
        c.policy.appointments.outlook_to_s4.filter = OutlookFilter::Category("CRM".into());
    }))
    .await;
    env.quiet().await;
    let plain = env.outlook_create(ANNA, "calendar", &meeting("Dentist", at(5, 8)));
    env.outlook_create(
        ANNA,
        "calendar",
        &ItemSpec {
            categories: Some(vec!["CRM".into()]),
            ..meeting("Offer talk", at(5, 10))
        },
    );
    env.wait_s4(ActivityKind::Appointment, "Offer talk", 1)
        .await;
    env.quiet().await;
    assert!(
        env.s4_titled(ActivityKind::Appointment, "Dentist")
            .is_empty(),
        "an item without the category stays in Outlook"
    );

    // Categorised later, it goes.
    env.outlook_update(
        ANNA,
        &plain,
        &ItemSpec {
            categories: Some(vec!["Private".into(), "CRM".into()]),
            ..ItemSpec::default()
        },
    );
    env.wait_s4(ActivityKind::Appointment, "Dentist", 1).await;

    // An S/4 appointment written to Outlook gets the category, so that it
    // keeps passing the filter.
    env.world
        .s4
        .create_appointment(json!({
            "Description": "From SAP", "TransactionType": "ZMAI", "Responsible": "4711",
            "FromDate": iso(at(6, 9)), "ToDate": iso(at(6, 10))
        }))
        .unwrap();
    let item = env
        .wait_items(ANNA, "calendar", "From SAP", 1)
        .await
        .remove(0);
    assert_eq!(item["categories"], json!(["CRM"]));
    env.quiet().await;
    assert_eq!(env.s4_all(ActivityKind::Appointment).len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_sync_tag_filter_only_tagged_items_go_to_s4() {
    let env = Env::with(Setup::config(|c| {
        c.policy.appointments.outlook_to_s4.filter = OutlookFilter::SyncTag;
    }))
    .await;
    env.quiet().await;
    env.outlook_create(ANNA, "calendar", &meeting("Gym", at(5, 7)));
    env.outlook_create(
        ANNA,
        "calendar",
        &ItemSpec {
            extended: vec![sync_tag()],
            ..meeting("Pricing call", at(5, 11))
        },
    );
    let s4 = env
        .wait_s4(ActivityKind::Appointment, "Pricing call", 1)
        .await
        .remove(0);
    assert_eq!(s4_time(&s4, "FromDate"), at(5, 11));
    env.quiet().await;
    assert!(env.s4_titled(ActivityKind::Appointment, "Gym").is_empty());
    assert_eq!(env.s4_all(ActivityKind::Appointment).len(), 1);
    assert_eq!(env.items(ANNA, "calendar").len(), 2);
}
