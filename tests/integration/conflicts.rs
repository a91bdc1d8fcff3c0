//! Edits on both sides follow the conflict rule; the mass-change guard
//! holds a mass delete for an administrator.

use maiconnect_core::policy::ConflictRule;
use maiconnect_fakes::exchange::control::spec::ItemSpec;
use maiconnect_fakes::s4::ActivityKind;
use reqwest::Method;
use serde_json::json;

use crate::harness::{ANNA, Env, Setup, at, iso, text};

/// Edits one linked appointment on both sides at once (S/4HANA's event
/// held back until Outlook's change was handled): both change the subject,
/// S/4HANA the location, Outlook the body. Returns when both sides agree.
async fn edit_both_sides(env: &Env) -> serde_json::Value {
    let guid = env
        .world
        .s4
        .create_appointment(json!({
            "Description": "Budget talk", "TransactionType": "ZMAI", "Responsible": "4711",
            "FromDate": iso(at(4, 9)), "ToDate": iso(at(4, 10))
        }))
        .unwrap();
    let item = env
        .wait_items(ANNA, "calendar", "Budget talk", 1)
        .await
        .remove(0);
    env.quiet().await;

    env.world.s4.pause_events(true);
    env.world
        .s4
        .update_activity(
            ActivityKind::Appointment,
            guid,
            json!({"Description": "Budget (S/4)", "Location": "Room S"}),
        )
        .unwrap();
    env.outlook_update(
        ANNA,
        text(&item, "id"),
        &ItemSpec {
            subject: Some("Budget (Outlook)".into()),
            body: Some("Notes from Outlook".into()),
            ..ItemSpec::default()
        },
    );
    env.quiet().await;
    env.world.s4.pause_events(false);
    env.quiet().await;
    let s4 = env
        .world
        .s4
        .activity(ActivityKind::Appointment, guid)
        .unwrap();
    let item = env.world.exchange.item(ANNA, text(&item, "id")).unwrap();
    json!({
        "s4": {"subject": s4["Description"], "location": s4["Location"], "body": s4["Note"]},
        "outlook": {"subject": item["subject"], "location": item["location"], "body": item["body"]},
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_s4_wins_s4s_value_of_a_field_changed_on_both_sides_wins() {
    let env = Env::start().await;
    env.quiet().await;
    let both = edit_both_sides(&env).await;
    // The subject changed on both sides: S/4HANA's wins; each other field
    // changed on one side only and flows to the other.
    let want =
        json!({"subject": "Budget (S/4)", "location": "Room S", "body": "Notes from Outlook"});
    assert_eq!(both["s4"], want, "{both:#}");
    assert_eq!(both["outlook"], want, "{both:#}");
    assert_eq!(env.s4_all(ActivityKind::Appointment).len(), 1);
    assert_eq!(env.items(ANNA, "calendar").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_exchange_wins_outlooks_value_wins() {
    let env = Env::with(Setup::config(|c| {
        c.policy.conflict.rule = ConflictRule::ExchangeWins;
    }))
    .await;
    env.quiet().await;
    let both = edit_both_sides(&env).await;
    let want =
        json!({"subject": "Budget (Outlook)", "location": "Room S", "body": "Notes from Outlook"});
    assert_eq!(both["s4"], want, "{both:#}");
    assert_eq!(both["outlook"], want, "{both:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mass_delete_is_held_until_an_administrator_decides() {
    let env = Env::with(Setup::config(|c| {
        c.policy.mass_change_guard.max_deletes = 2;
        c.policy.mass_change_guard.min_linked_for_share = 1000;
    }))
    .await;
    env.quiet().await;
    let s4 = &env.world.s4;
    let mut guids = Vec::new();
    for n in 1..=4 {
        guids.push(
            s4.create_appointment(json!({
                "Description": format!("Visit {n}"), "TransactionType": "ZMAI", "Responsible": "4711",
                "FromDate": iso(at(n, 9)), "ToDate": iso(at(n, 10))
            }))
            .unwrap(),
        );
    }
    env.wait("four appointments in Anna's calendar", || {
        (env.items(ANNA, "calendar").len() == 4).then_some(())
    })
    .await;
    env.quiet().await;

    // All four vanish from S/4HANA without the hub hearing of it; the
    // administrator's resync finds them gone at once.
    s4.drop_next_events(4);
    for g in &guids {
        s4.delete_activity(ActivityKind::Appointment, *g).unwrap();
    }
    let (status, _) = env
        .admin_send(Method::POST, &format!("/admin/users/{ANNA}/resync"), None)
        .await;
    assert_eq!(status, 202);
    let listed = env
        .wait_async("four held deletes", || async {
            let held = env.admin_get("/admin/held").await;
            (held.as_array()?.len() == 4).then_some(held)
        })
        .await;
    let reason = text(&listed[0], "reason");
    assert!(reason.contains("more than the limit of 2"), "{reason}");
    env.quiet().await;
    assert_eq!(env.items(ANNA, "calendar").len(), 4, "nothing deleted yet");
    let status = env.admin_get(&format!("/admin/users/{ANNA}/status")).await;
    assert_eq!(status["held_deletes"], 4);

    // Approved: deleted in Outlook. Discarded: stays.
    let first = listed[0]["id"].as_i64().unwrap();
    let second = listed[1]["id"].as_i64().unwrap();
    let (status, body) = env
        .admin_send(Method::POST, &format!("/admin/held/{first}/approve"), None)
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = env
        .admin_send(Method::POST, &format!("/admin/held/{second}/discard"), None)
        .await;
    assert_eq!(status, 204);
    let (status, body) = env
        .admin_send(Method::POST, &format!("/admin/held/{second}/discard"), None)
        .await;
    assert_eq!(status, 404, "{body}");
    env.quiet().await;
    assert_eq!(env.items(ANNA, "calendar").len(), 3);
    let left = env.admin_get(&format!("/admin/held?mailbox={ANNA}")).await;
    assert_eq!(left.as_array().map(Vec::len), Some(2), "{left:#}");
}
