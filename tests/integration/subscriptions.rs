//! Subscription loss: Exchange drops a subscription while changes happen;
//! the hub notices the silence, subscribes again and catches up through
//! the change listing (SyncFolderItems), without duplicates.

use std::time::Duration;

use maiconnect_fakes::exchange::control::spec::ItemSpec;
use maiconnect_fakes::exchange::state::SubscriptionState;
use maiconnect_fakes::s4::ActivityKind;

use crate::harness::{ANNA, Env, Setup, at, meeting, s4_time, text};

fn active(env: &Env, mailbox: &str) -> Vec<String> {
    env.world
        .exchange
        .subscriptions()
        .into_iter()
        .filter(|s| s.mailbox == mailbox && s.state == SubscriptionState::Active)
        .map(|s| s.id)
        .collect()
}

fn descriptions(env: &Env, kind: ActivityKind) -> Vec<String> {
    let mut v: Vec<String> = env
        .s4_all(kind)
        .iter()
        .map(|a| text(a, "Description").to_owned())
        .collect();
    v.sort();
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_subscription_is_renewed_and_the_gap_caught_up_once() {
    // A "minute" of 100 ms: status events every 500 ms, silence noticed
    // after a second.
    let env = Env::with(
        Setup::config(|c| c.policy.contacts.enabled = false)
            .with_minute(Duration::from_millis(100)),
    )
    .await;
    env.quiet().await;
    let change_me = env.outlook_create(ANNA, "calendar", &meeting("Change me", at(3, 9)));
    let delete_me = env.outlook_create(ANNA, "calendar", &meeting("Delete me", at(3, 11)));
    env.outlook_create(ANNA, "calendar", &meeting("Keep", at(3, 13)));
    env.wait("three appointments in S/4HANA", || {
        (env.s4_all(ActivityKind::Appointment).len() == 3).then_some(())
    })
    .await;
    env.quiet().await;
    let status = env.admin_get(&format!("/admin/users/{ANNA}/status")).await;
    assert!(
        status["subscriptions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["health"] == "healthy"),
        "{status:#}"
    );

    // Exchange drops Anna's subscriptions; meanwhile she works in Outlook.
    let dropped = active(&env, ANNA);
    assert_eq!(dropped.len(), 2, "calendar and tasks");
    let syncs_before = env
        .world
        .exchange
        .stats()
        .get("SyncFolderItems")
        .copied()
        .unwrap_or(0);
    for id in &dropped {
        env.world.exchange.kill_subscription(id).unwrap();
    }
    env.outlook_create(ANNA, "calendar", &meeting("New one", at(4, 9)));
    env.outlook_create(ANNA, "calendar", &meeting("New two", at(4, 11)));
    env.outlook_update(
        ANNA,
        &change_me,
        &ItemSpec {
            start: Some(at(3, 15)),
            end: Some(at(3, 16)),
            ..ItemSpec::default()
        },
    );
    env.outlook_delete(ANNA, &delete_me);
    env.outlook_create(
        ANNA,
        "tasks",
        &ItemSpec {
            kind: Some("task".into()),
            subject: Some("Missed task".into()),
            ..ItemSpec::default()
        },
    );

    // Renewed: new subscriptions, and the changes arrive.
    env.wait("new subscriptions for Anna", || {
        let now = active(&env, ANNA);
        (now.len() == 2 && now.iter().all(|id| !dropped.contains(id))).then_some(())
    })
    .await;
    let want = ["Change me", "Keep", "New one", "New two"];
    env.wait("the changes made meanwhile in S/4HANA", || {
        let moved = env
            .s4_titled(ActivityKind::Appointment, "Change me")
            .first()
            .is_some_and(|a| s4_time(a, "FromDate") == at(3, 15));
        (descriptions(&env, ActivityKind::Appointment) == want && moved).then_some(())
    })
    .await;
    env.wait_s4(ActivityKind::Task, "Missed task", 1).await;
    env.quiet().await;
    // Exactly once each, through the change listing.
    assert_eq!(descriptions(&env, ActivityKind::Appointment), want);
    assert_eq!(descriptions(&env, ActivityKind::Task), ["Missed task"]);
    let syncs_after = env.world.exchange.stats()["SyncFolderItems"];
    assert!(syncs_after > syncs_before, "{syncs_before} → {syncs_after}");
    env.wait_async("Anna's subscriptions healthy again", || async {
        let status = env.admin_get(&format!("/admin/users/{ANNA}/status")).await;
        let subs = status["subscriptions"].as_array()?.clone();
        (subs.len() == 2 && subs.iter().all(|s| s["health"] == "healthy")).then_some(())
    })
    .await;
    // Later changes flow live again.
    env.outlook_create(ANNA, "calendar", &meeting("After renewal", at(5, 9)));
    env.wait_s4(ActivityKind::Appointment, "After renewal", 1)
        .await;
}
