//! The admin API: users (subscriptions follow), settings with validation,
//! dry runs, the journal, dead letters, status and the check.

use maiconnect_fakes::exchange::state::SubscriptionState;
use maiconnect_fakes::s4::{ActivityKind, FaultAction, FaultRule, ServiceId};
use maiconnect_http::Hub;
use maiconnect_http::check::run_check;
use reqwest::Method;
use serde_json::{Value, json};

use crate::harness::{ANNA, BEN, CLARA, Env, Setup, at, iso, meeting, text};

/// The hub without Ben, and without contacts (they are tested elsewhere).
fn without_ben() -> Setup {
    Setup::config(|c| {
        c.policy.users.retain(|u| u.mailbox.as_str() != BEN);
        c.policy.contacts.enabled = false;
    })
}

/// Active subscriptions the fake Exchange holds for a mailbox.
fn active_subscriptions(env: &Env, mailbox: &str) -> usize {
    env.world
        .exchange
        .subscriptions()
        .iter()
        .filter(|s| s.mailbox == mailbox && s.state == SubscriptionState::Active)
        .count()
}

fn s4_meeting(env: &Env, subject: &str, responsible: &str, attendee: Option<&str>) {
    let attendees: Vec<Value> = attendee
        .map(|p| json!({"PartnerNo": p, "Function": "00000032", "IntAttendee": true}))
        .into_iter()
        .collect();
    env.world
        .s4
        .create_appointment(json!({
            "Description": subject, "TransactionType": "ZMAI", "Responsible": responsible,
            "FromDate": iso(at(3, 9)), "ToDate": iso(at(3, 10)), "Attendee": attendees
        }))
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_are_added_disabled_enabled_and_removed_and_subscriptions_follow() {
    let env = Env::with(without_ben()).await;
    s4_meeting(&env, "Ben's visit", "4712", None);
    env.quiet().await;
    assert!(env.items(BEN, "calendar").is_empty(), "not a user yet");
    assert_eq!(active_subscriptions(&env, BEN), 0);
    let users = env.admin_get("/admin/users").await;
    assert_eq!(users.as_array().map(Vec::len), Some(2));

    // Added: subscribed (calendar and tasks) and synced.
    let ben = json!({"employee": "4712", "mailbox": BEN, "environment": "onprem"});
    let (status, body) = env
        .admin_send(Method::POST, "/admin/users", Some(ben.clone()))
        .await;
    assert_eq!(status, 201, "{body}");
    env.wait_items(BEN, "calendar", "Ben's visit", 1).await;
    env.wait("Ben's two subscriptions", || {
        (active_subscriptions(&env, BEN) == 2).then_some(())
    })
    .await;
    let (status, body) = env
        .admin_send(Method::POST, "/admin/users", Some(ben.clone()))
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(
        text(&body, "error").contains("configured already"),
        "{body}"
    );

    // Disabled: unsubscribed, and S/4 changes pass him by.
    let (status, _) = env
        .admin_send(Method::POST, &format!("/admin/users/{BEN}/disable"), None)
        .await;
    assert_eq!(status, 204);
    env.wait("Ben's subscriptions to end", || {
        (active_subscriptions(&env, BEN) == 0).then_some(())
    })
    .await;
    let status = env.admin_get(&format!("/admin/users/{BEN}/status")).await;
    assert_eq!(status["enabled"], false);
    s4_meeting(&env, "While away", "4712", Some("4711"));
    env.wait_items(ANNA, "calendar", "While away", 1).await;
    env.quiet().await;
    assert!(env.items_titled(BEN, "calendar", "While away").is_empty());

    // Enabled again: subscribed and caught up on what he missed.
    let (status, _) = env
        .admin_send(Method::POST, &format!("/admin/users/{BEN}/enable"), None)
        .await;
    assert_eq!(status, 204);
    env.wait("Ben's subscriptions again", || {
        (active_subscriptions(&env, BEN) == 2).then_some(())
    })
    .await;
    env.wait_items(BEN, "calendar", "While away", 1).await;

    // Removed: unsubscribed; his mailbox is no longer touched.
    let (status, _) = env
        .admin_send(Method::DELETE, &format!("/admin/users/{BEN}"), None)
        .await;
    assert_eq!(status, 204);
    env.wait("Ben's subscriptions to end", || {
        (active_subscriptions(&env, BEN) == 0).then_some(())
    })
    .await;
    env.outlook_create(BEN, "calendar", &meeting("After leaving", at(4, 9)));
    env.quiet().await;
    assert!(
        env.s4_titled(ActivityKind::Appointment, "After leaving")
            .is_empty()
    );
    let users = env.admin_get("/admin/users").await;
    assert_eq!(users.as_array().map(Vec::len), Some(2));
    let (status, body) = env
        .admin_send(Method::DELETE, &format!("/admin/users/{BEN}"), None)
        .await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = env
        .admin_send(Method::POST, "/admin/users/not-an-address/enable", None)
        .await;
    assert_eq!(status, 400, "{body}");

    // Added again: what the hub forgot about him is rebuilt from the keys
    // in his items, so nothing is created twice; what he made while gone
    // is picked up.
    let (status, body) = env
        .admin_send(Method::POST, "/admin/users", Some(ben))
        .await;
    assert_eq!(status, 201, "{body}");
    env.wait("After leaving in S/4HANA", || {
        env.s4_titled(ActivityKind::Appointment, "After leaving")
            .pop()
            .map(|_| ())
    })
    .await;
    env.quiet().await;
    for title in ["Ben's visit", "While away", "After leaving"] {
        assert_eq!(env.items_titled(BEN, "calendar", title).len(), 1, "{title}");
    }
    assert_eq!(
        env.s4_titled(ActivityKind::Appointment, "After leaving")
            .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_are_validated_and_a_valid_change_takes_effect() {
    let env = Env::start().await;
    env.quiet().await;
    let before = env.admin_get("/admin/settings").await;
    assert!(before.get("users").is_none() && before.get("environments").is_none());
    assert_eq!(before["appointments"]["recurring"]["horizon_days"], 180);

    // Invalid: the error names the key and the fix; nothing changes.
    let mut bad = before.clone();
    bad["appointments"]["recurring"]["horizon_days"] = json!(0);
    let (status, body) = env
        .admin_send(Method::PUT, "/admin/settings", Some(bad))
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        text(&body, "error").contains("appointments.recurring.horizon_days"),
        "{body}"
    );
    let mut typo = before.clone();
    typo["appointmentz"] = json!({});
    let (status, body) = env
        .admin_send(Method::PUT, "/admin/settings", Some(typo))
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(text(&body, "error").contains("appointmentz"), "{body}");
    let (status, body) = env
        .admin_send(Method::PUT, "/admin/settings", Some(json!({"users": []})))
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(env.admin_get("/admin/settings").await, before);

    // Valid: transaction type ZXXX now syncs too.
    let mut good = before.clone();
    good["appointments"]["transaction_types"]
        .as_array_mut()
        .unwrap()
        .push(json!({"transaction_type": "ZXXX", "text_type": "A002"}));
    let (status, body) = env
        .admin_send(Method::PUT, "/admin/settings", Some(good))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["appointments"]["transaction_types"][1]["transaction_type"],
        "ZXXX"
    );
    env.world
        .s4
        .create_appointment(json!({
            "Description": "Service call", "TransactionType": "ZXXX", "Responsible": "4711",
            "FromDate": iso(at(3, 9)), "ToDate": iso(at(3, 10))
        }))
        .unwrap();
    env.wait_items(ANNA, "calendar", "Service call", 1).await;
    // The change survives a restart (stored in the state file).
    let mut env = env;
    env.restart().await;
    let after = env.admin_get("/admin/settings").await;
    assert_eq!(
        after["appointments"]["transaction_types"][1]["transaction_type"],
        "ZXXX"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_counts_what_enabling_a_user_would_do_and_writes_nothing() {
    let env = Env::with(without_ben()).await;
    s4_meeting(&env, "Ben one", "4712", None);
    s4_meeting(&env, "Ben two", "4712", None);
    env.outlook_create(BEN, "calendar", &meeting("Ben's own", at(5, 9)));
    env.quiet().await;

    let (status, body) = env
        .admin_send(
            Method::POST,
            "/admin/dry-run",
            Some(json!({"user": {"employee": "4712", "mailbox": BEN, "environment": "onprem"}})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["dry_run"], true);
    let ben = &body["mailboxes"][0];
    assert_eq!(ben["mailbox"], BEN);
    assert_eq!(
        ben["counts"],
        json!({"exchange.create": 2, "s4.create": 1, "exchange.update": 1}),
        "{body:#}"
    );
    env.quiet().await;
    assert_eq!(env.items(BEN, "calendar").len(), 1, "nothing written");
    assert_eq!(env.s4_all(ActivityKind::Appointment).len(), 2);
    let journal = env
        .admin_get(&format!("/admin/journal?mailbox={BEN}"))
        .await;
    assert_eq!(journal, json!([]));

    // A setting: type ZXXX for everyone enabled.
    env.world
        .s4
        .create_appointment(json!({
            "Description": "Service call", "TransactionType": "ZXXX", "Responsible": "4711",
            "FromDate": iso(at(3, 9)), "ToDate": iso(at(3, 10))
        }))
        .unwrap();
    env.quiet().await;
    let mut settings = env.admin_get("/admin/settings").await;
    settings["appointments"]["transaction_types"]
        .as_array_mut()
        .unwrap()
        .push(json!({"transaction_type": "ZXXX", "text_type": "A002"}));
    let (status, body) = env
        .admin_send(
            Method::POST,
            "/admin/dry-run",
            Some(json!({"settings": settings, "mailboxes": [ANNA]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["mailboxes"][0]["counts"],
        json!({"exchange.create": 1})
    );
    let (status, body) = env
        .admin_send(Method::POST, "/admin/dry-run", Some(json!({"usr": {}})))
        .await;
    assert_eq!(status, 400, "{body}");
    env.quiet().await;
    assert!(env.items(ANNA, "calendar").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_journal_records_every_write_with_its_fields() {
    let env = Env::start().await;
    env.quiet().await;
    s4_meeting(&env, "Journal test", "4711", None);
    let item = env
        .wait_items(ANNA, "calendar", "Journal test", 1)
        .await
        .remove(0);
    env.outlook_update(
        ANNA,
        text(&item, "id"),
        &maiconnect_fakes::exchange::control::spec::ItemSpec {
            location: Some("Room 7".into()),
            ..Default::default()
        },
    );
    env.wait("the location in S/4HANA", || {
        let a = env
            .s4_titled(ActivityKind::Appointment, "Journal test")
            .pop()?;
        (text(&a, "Location") == "Room 7").then_some(())
    })
    .await;
    env.quiet().await;
    let guid = text(
        &env.s4_titled(ActivityKind::Appointment, "Journal test")[0],
        "Guid",
    )
    .to_owned();
    let journal = env
        .admin_get(&format!("/admin/journal?mailbox={ANNA}"))
        .await;
    let entries: Vec<&Value> = journal
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["s4"] == format!("BUS2000126:{guid}"))
        .collect();
    // Newest first: the update of S/4HANA, then the create in Outlook.
    let ops: Vec<&str> = entries.iter().map(|e| text(e, "operation")).collect();
    assert_eq!(ops, ["update_s4", "create_in_exchange"], "{journal:#}");
    assert_eq!(entries[0]["side"], "s4");
    assert_eq!(
        entries[0]["fields"],
        json!([["location", "\"\"", "\"Room 7\""]])
    );
    assert_eq!(entries[1]["side"], "exchange");
    assert_eq!(entries[1]["exchange"]["item"], item["id"]);
    let one = env
        .admin_get(&format!("/admin/journal?mailbox={ANNA}&limit=1"))
        .await;
    assert_eq!(one.as_array().map(Vec::len), Some(1));
    assert_eq!(
        env.admin_get(&format!("/admin/journal?mailbox={CLARA}"))
            .await,
        json!([])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_permanent_s4_error_becomes_a_dead_letter_that_can_be_retried() {
    let env = Env::with(Setup::config(|c| c.hub.max_attempts = 2)).await;
    env.quiet().await;
    env.world.s4.inject_fault(FaultRule {
        count: 1000,
        service: Some("CRM_APPOINTMENT_SRV_01".into()),
        entity_set: None,
        method: Some("POST".into()),
        action: FaultAction::Error {
            status: 400,
            code: Some("CRM_ORDER/021".into()),
            message: Some("Transaction type ZMAI is locked".into()),
        },
    });
    env.outlook_create(ANNA, "calendar", &meeting("Refused", at(3, 9)));
    let dead = env
        .wait_async("a dead letter", || async {
            let d = env.admin_get("/admin/dead-letters").await;
            (d.as_array()?.len() == 1).then_some(d)
        })
        .await;
    let error = text(&dead[0], "last_error");
    assert!(
        error.contains("Transaction type ZMAI is locked"),
        "{dead:#}"
    );
    assert_eq!(dead[0]["event"]["mailbox"], ANNA, "{dead:#}");
    let status = env.admin_get(&format!("/admin/users/{ANNA}/status")).await;
    assert!(
        text(&status, "last_error").contains("ZMAI is locked"),
        "{status:#}"
    );
    assert!(env.s4_all(ActivityKind::Appointment).is_empty());

    // Fixed in S/4HANA: the administrator retries it.
    env.world.s4.clear_faults();
    let id = dead[0]["id"].as_i64().unwrap();
    let (status, body) = env
        .admin_send(
            Method::POST,
            &format!("/admin/dead-letters/{id}/retry"),
            None,
        )
        .await;
    assert_eq!(status, 204, "{body}");
    env.wait_s4(ActivityKind::Appointment, "Refused", 1).await;
    env.quiet().await;
    assert_eq!(env.admin_get("/admin/dead-letters").await, json!([]));
    let (status, _) = env
        .admin_send(
            Method::POST,
            &format!("/admin/dead-letters/{id}/retry"),
            None,
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_environments_and_the_check_report_what_works_and_what_does_not() {
    let env = Env::start().await;
    env.quiet().await;
    let envs = env.admin_get("/admin/environments").await;
    assert_eq!(
        envs,
        json!([
            {"name": "onprem", "endpoint": env.world.exchange.ews_url(), "auth": "impersonation",
             "max_concurrency": 10, "users": 2, "connected": true},
            {"name": "online", "endpoint": env.world.exchange.ews_url(), "auth": "oauth",
             "max_concurrency": 10, "users": 1, "connected": true},
        ])
    );
    let status = env.admin_get(&format!("/admin/users/{ANNA}/status")).await;
    let subs = status["subscriptions"].as_array().unwrap();
    assert_eq!(subs.len(), 3, "{status:#}");
    assert!(subs.iter().all(|s| s["health"] == "healthy"), "{status:#}");
    assert_eq!(status["linked"]["contact"], 2, "{status:#}");
    assert!(status["last_sync"].is_string(), "{status:#}");
    assert_eq!(status["waiting"], 0);

    // As `hub check --config FILE` does: a hub of its own from the file.
    let check = || async { run_check(&Hub::from_config(&env.config).unwrap()).await };
    let report = check().await;
    assert!(report.ok(), "{report}");
    for user in [ANNA, BEN, CLARA] {
        assert!(
            report
                .lines
                .iter()
                .any(|l| l.ok && l.what.contains(user) && l.what.contains("mailbox reachable")),
            "{report}"
        );
    }

    env.world.s4.set_service_active(ServiceId::Tasks, false);
    let report = check().await;
    assert!(!report.ok(), "{report}");
    let failed: Vec<_> = report.lines.iter().filter(|l| !l.ok).collect();
    assert_eq!(failed.len(), 1, "{report}");
    assert!(failed[0].what.contains("MAI_CRM_TASK_SRV"), "{report}");
}
