//! Two Exchange environments at once: on-premises (service user with
//! impersonation, Basic) and Exchange Online (OAuth app with a
//! certificate), as the demo world has them.

use maiconnect_fakes::s4::ActivityKind;
use serde_json::json;

use crate::harness::{ANNA, BEN, CLARA, Env, at, iso, meeting, text};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_environments_sync_at_once_each_with_its_own_sign_in() {
    let env = Env::start().await;
    env.quiet().await;

    // Each mailbox is subscribed by its environment's account.
    let subs = env.world.exchange.subscriptions();
    let owner = |mailbox: &str| {
        let mut owners: Vec<String> = subs
            .iter()
            .filter(|s| s.mailbox == mailbox)
            .map(|s| s.owner.clone())
            .collect();
        owners.dedup();
        owners
    };
    let service_user = env.world.exchange_options.service_user.clone();
    let client_id = env.world.exchange_world.client_id.clone();
    assert_eq!(
        owner(ANNA),
        std::slice::from_ref(&service_user),
        "{subs:#?}"
    );
    assert_eq!(owner(BEN), [service_user]);
    assert_eq!(owner(CLARA).len(), 1);
    assert!(owner(CLARA)[0].contains(&client_id), "{subs:#?}");

    // One S/4 appointment of Clara's with Anna attending reaches both.
    env.world
        .s4
        .create_appointment(json!({
            "Description": "Kick-off", "TransactionType": "ZMAI", "Responsible": "4713",
            "FromDate": iso(at(2, 9)), "ToDate": iso(at(2, 10)),
            "Attendee": [{"PartnerNo": "4711", "Function": "00000032", "IntAttendee": true}]
        }))
        .unwrap();
    env.wait_items(CLARA, "calendar", "Kick-off", 1).await;
    env.wait_items(ANNA, "calendar", "Kick-off", 1).await;

    // Items made in either environment reach S/4HANA, owned by their user.
    env.outlook_create(CLARA, "calendar", &meeting("Cloud review", at(3, 9)));
    env.outlook_create(ANNA, "calendar", &meeting("On-site review", at(3, 11)));
    let cloud = env
        .wait_s4(ActivityKind::Appointment, "Cloud review", 1)
        .await;
    let onsite = env
        .wait_s4(ActivityKind::Appointment, "On-site review", 1)
        .await;
    assert_eq!(text(&cloud[0], "Responsible"), "0000004713");
    assert_eq!(text(&onsite[0], "Responsible"), "0000004711");

    // A change in S/4HANA reaches both copies.
    let kickoff = env
        .s4_titled(ActivityKind::Appointment, "Kick-off")
        .remove(0);
    env.world
        .s4
        .update_activity(
            ActivityKind::Appointment,
            text(&kickoff, "Guid")
                .parse::<maiconnect_core::ids::ActivityId>()
                .unwrap()
                .uuid(),
            json!({"Location": "Hall 2"}),
        )
        .unwrap();
    for mailbox in [CLARA, ANNA] {
        env.wait("the new location in both calendars", || {
            let item = env.items_titled(mailbox, "calendar", "Kick-off").pop()?;
            (text(&item, "location") == "Hall 2").then_some(())
        })
        .await;
    }
    env.quiet().await;
    assert_eq!(env.s4_all(ActivityKind::Appointment).len(), 3);
    assert_eq!(env.items(CLARA, "calendar").len(), 2);
    assert_eq!(env.items(ANNA, "calendar").len(), 2);
    assert!(env.items(BEN, "calendar").is_empty());
}
