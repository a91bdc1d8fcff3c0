//! Less kind S/4HANA systems, end to end: a Gateway that assigns its own
//! keys, and SAP's standard services behind a proxy that writes its
//! internal host into links and answers errors with HTML pages. An Outlook
//! appointment must reach S/4HANA once, be linked to the key S/4HANA holds
//! it under, and follow changes and deletes there.

use chrono::Duration;
use maiconnect_fakes::exchange::control::spec::ItemSpec;
use maiconnect_fakes::s4::{ActivityKind, Catalogue, ErrorShape, Quirks};
use maiconnect_fakes::world::WorldOptions;
use maiconnect_odata::profile::ProfileKind;

use crate::harness::{ANNA, Env, Setup, at, link_key, meeting, s4_time, text};

async fn start(quirks: Quirks, profile: ProfileKind) -> Env {
    let env = Env::with(Setup {
        world: WorldOptions {
            sample_items: false,
            s4_activities: false,
            s4_quirks: quirks,
            ..WorldOptions::default()
        },
        config: Box::new(move |c| c.s4.profile = profile),
    })
    .await;
    env.quiet().await;
    env
}

/// Creates an appointment in Anna's calendar and follows it through
/// S/4HANA: created once, the Outlook item tagged with the key S/4HANA
/// holds, a change and a delete reaching that object.
async fn round_trip(env: &Env, title: &str, day: i64) {
    let start = at(day, 13);
    let id = env.outlook_create(
        ANNA,
        "calendar",
        &ItemSpec {
            location: Some("Canteen".into()),
            ..meeting(title, start)
        },
    );
    let s4 = env
        .wait_s4(ActivityKind::Appointment, title, 1)
        .await
        .remove(0);
    let guid = text(&s4, "Guid").to_owned();
    env.wait("the Outlook item tagged with the key S/4HANA holds", || {
        let item = env.world.exchange.item(ANNA, &id).ok()?;
        (link_key(&item)? == format!("BUS2000126:{guid}")).then_some(())
    })
    .await;
    // The S/4 event of the create (under the server's key) is recognised
    // as the linked object: no second Outlook item.
    env.quiet().await;
    assert_eq!(env.items_titled(ANNA, "calendar", title).len(), 1);

    let moved = format!("{title} (moved)");
    env.outlook_update(
        ANNA,
        &id,
        &ItemSpec {
            subject: Some(moved.clone()),
            start: Some(start + Duration::hours(1)),
            end: Some(start + Duration::hours(2)),
            ..ItemSpec::default()
        },
    );
    let changed = env
        .wait_s4(ActivityKind::Appointment, &moved, 1)
        .await
        .remove(0);
    assert_eq!(text(&changed, "Guid"), guid, "changed, not created anew");
    assert_eq!(text(&changed, "Location"), "Canteen", "kept");
    env.wait("the new start in S/4HANA", || {
        let a = env.s4_titled(ActivityKind::Appointment, &moved);
        (s4_time(a.first()?, "FromDate") == start + Duration::hours(1)).then_some(())
    })
    .await;

    env.outlook_delete(ANNA, &id);
    env.wait_s4(ActivityKind::Appointment, &moved, 0).await;
    env.quiet().await;
    assert!(env.s4_all(ActivityKind::Appointment).is_empty());
    assert!(env.items(ANNA, "calendar").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outlook_appointment_is_linked_to_the_key_the_server_assigns() {
    let env = start(
        Quirks {
            server_keys: true,
            ..Quirks::default()
        },
        ProfileKind::Extended,
    )
    .await;
    round_trip(&env, "Lunch with Olga", 4).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_standard_services_behind_a_proxy_sync_and_the_check_says_so() {
    let env = start(
        Quirks {
            catalogue: Catalogue::Standard,
            internal_origin: Some("https://s4-app01.corp.internal:44300".into()),
            error_shape: ErrorShape::Html,
            delete_gone_412: true,
            ..Quirks::default()
        },
        ProfileKind::Standard,
    )
    .await;
    round_trip(&env, "Visit at Customer AG", 5).await;

    let report = maiconnect_http::check::run_check(env.hub()).await;
    let line = report
        .lines
        .iter()
        .find(|l| l.what == "S/4HANA service profile (standard)")
        .unwrap_or_else(|| panic!("no profile line in\n{report}"));
    assert!(line.ok, "{report}");
    for part in [
        "configured: the standard profile fits completely",
        "not configured: the extended profile does not fit",
        "AppointmentSet.TimeZone: times are read in the user's zone",
    ] {
        assert!(
            line.detail.contains(part),
            "{part:?} not in\n{}",
            line.detail
        );
    }
    let appointments = report
        .lines
        .iter()
        .find(|l| l.what == "S/4HANA service CRM_APPOINTMENT_SRV")
        .unwrap_or_else(|| panic!("{report}"));
    assert!(appointments.ok, "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_against_the_wrong_profile_says_to_switch() {
    let env = Env::with(Setup {
        world: WorldOptions {
            sample_items: false,
            s4_activities: false,
            s4_quirks: Quirks {
                catalogue: Catalogue::Standard,
                ..Quirks::default()
            },
            ..WorldOptions::default()
        },
        ..Setup::default()
    })
    .await;
    let report = maiconnect_http::check::run_check(env.hub()).await;
    assert!(!report.ok(), "{report}");
    let line = report
        .lines
        .iter()
        .find(|l| l.what == "S/4HANA service profile (extended)")
        .unwrap_or_else(|| panic!("no profile line in\n{report}"));
    assert!(!line.ok, "{report}");
    for part in [
        "configured: the extended profile does not fit",
        "not configured: the standard profile fits completely",
        "fix: set profile = \"standard\" in [s4]",
    ] {
        assert!(
            line.detail.contains(part),
            "{part:?} not in\n{}",
            line.detail
        );
    }
    let tasks = report
        .lines
        .iter()
        .find(|l| l.what == "S/4HANA service /NAG/MAI_CRM_TASK_SRV")
        .unwrap_or_else(|| panic!("{report}"));
    assert!(
        !tasks.ok && tasks.detail.contains("/IWFND/MAINT_SERVICE"),
        "{report}"
    );
}
