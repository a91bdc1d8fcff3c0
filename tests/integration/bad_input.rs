//! Bad input over HTTP: each gets a clear error and changes nothing.

use maiconnect_core::ports::StateStore;
use maiconnect_fakes::s4::ActivityKind;
use maiconnect_fakes::world::{ADMIN, EVENTS};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::{ANNA, Env, Setup, at, meeting, text};

const LIMIT: usize = 16 * 1024;

/// A hub with a small body limit (and no contacts, so that it writes
/// nothing on its own).
async fn env() -> Env {
    let env = Env::with(Setup::config(|c| {
        c.hub.max_body_bytes = LIMIT;
        c.policy.contacts.enabled = false;
    }))
    .await;
    env.quiet().await;
    env
}

/// POSTs to the hub; returns status, headers' `www-authenticate` and body.
async fn post(
    env: &Env,
    path: &str,
    login: Option<(&str, &str)>,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> (StatusCode, Option<String>, String) {
    let mut req = env
        .http
        .post(format!("{}{path}", env.url()))
        .header("content-type", content_type)
        .body(body);
    if let Some((u, p)) = login {
        req = req.basic_auth(u, Some(p));
    }
    let r = req.send().await.expect("request");
    let status = r.status();
    let challenge = r
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, challenge, r.text().await.unwrap_or_default())
}

async fn s4_event(env: &Env, login: Option<(&str, &str)>, body: &str) -> (StatusCode, Value) {
    let (status, _, text) = post(
        env,
        "/s4/events",
        login,
        "application/json",
        body.to_owned(),
    )
    .await;
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Nothing was stored, written or given up on.
async fn nothing_changed(env: &Env) {
    let hub = env.hub();
    assert_eq!(hub.store.inbox_depth().await.unwrap(), 0);
    assert!(hub.store.dead_letters(10).await.unwrap().is_empty());
    assert_eq!(env.admin_get("/admin/journal").await, json!([]));
    assert!(env.s4_all(ActivityKind::Appointment).is_empty());
    assert!(env.items(ANNA, "calendar").is_empty());
}

fn error_of(body: &Value) -> String {
    format!("{} {}", text(body, "error"), text(body, "fix"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_s4_events_are_refused_with_the_reason() {
    let env = env().await;
    let good = r#"{"eventId":"e1","objectType":"BUS2000126","objectKey":"0050568c-2b4f-1ee8-a1b2-c3d4e5f60718","change":"changed"}"#;

    let (status, challenge, _) = post(&env, "/s4/events", None, "application/json", good).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(challenge.unwrap_or_default().starts_with("Basic realm="));
    let (status, body) = s4_event(&env, Some((EVENTS.0, "wrong")), good).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(error_of(&body).contains("credentials"), "{body}");
    // The admin's credentials do not open the event URL.
    let (status, _) = s4_event(&env, Some(ADMIN), good).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let cases = [
        (r#"{"eventId": "e1", "objectType""#, "EOF"),
        ("[1, 2]", "not an S/4HANA event"),
        (
            r#"{"eventId":"e2","objectType":"BUS9999","objectKey":"1","change":"created"}"#,
            "BUS9999",
        ),
        (
            r#"{"eventId":"e3","objectType":"BUS2000126","objectKey":"x","change":"created","colour":"red"}"#,
            "colour",
        ),
        (
            r#"{"eventId":"e4","objectType":"BUS2000126","objectKey":"not-a-guid","change":"created"}"#,
            "objectKey",
        ),
        (
            r#"{"eventId":"e5","objectType":"relationship","objectKey":"1/2/BUR011","change":"created"}"#,
            "relationship",
        ),
        // One bad event spoils the batch: none of it is stored.
        (
            &format!(
                "[{good}, {}]",
                r#"{"eventId":"e6","objectType":"BUS1006","objectKey":"not a partner","change":"created"}"#
            ),
            "business partner number",
        ),
    ];
    for (body, names) in cases {
        let (status, answer) = s4_event(&env, Some(EVENTS), body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body} → {answer}");
        let message = error_of(&answer);
        assert!(message.contains(names), "{body} → {message}");
        assert!(!text(&answer, "fix").is_empty(), "{answer}");
    }

    let big = format!(
        r#"{{"eventId":"e7","objectType":"BUS2000126","objectKey":"0050568c-2b4f-1ee8-a1b2-c3d4e5f60718","change":"changed","pad":"{}"}}"#,
        "x".repeat(LIMIT)
    );
    let (status, _, body) = post(&env, "/s4/events", Some(EVENTS), "application/json", big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(body.contains(&format!("{LIMIT} bytes")), "{body}");
    assert!(body.contains("hub.max_body_bytes"), "{body}");
    nothing_changed(&env).await;

    // A well-formed event about an object S/4HANA does not have is taken,
    // looked up, and changes nothing; its second delivery is a duplicate.
    let (status, body) = s4_event(&env, Some(EVENTS), good).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(body, json!({"accepted": 1, "duplicates": 0}));
    let (status, body) = s4_event(&env, Some(EVENTS), good).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(body, json!({"accepted": 0, "duplicates": 1}));
    env.quiet().await;
    nothing_changed(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_notifications_are_refused_and_unknown_subscriptions_unsubscribed() {
    let env = env().await;
    // A real notification, as the fake Exchange sent it for a new item.
    env.outlook_create(ANNA, "calendar", &meeting("Probe", at(2, 9)));
    env.wait_s4(ActivityKind::Appointment, "Probe", 1).await;
    env.quiet().await;
    let sent = env
        .world
        .exchange
        .notifications()
        .into_iter()
        .find(|n| n.events.iter().any(|e| e == "CreatedEvent"))
        .expect("a notification");
    let token = sent.url.rsplit('/').next().unwrap().to_owned();
    let depth = || async { env.hub().store.inbox_depth().await.unwrap() };
    let journal = env.admin_get("/admin/journal").await;

    // An unknown subscription is told to stop.
    let (status, _, answer) = post(
        &env,
        "/ews/notify/0123456789abcdef",
        None,
        "text/xml; charset=utf-8",
        sent.body.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        answer.contains("<m:SubscriptionStatus>Unsubscribe</m:SubscriptionStatus>"),
        "{answer}"
    );
    // A known token with another subscription's id (one we replaced) too.
    let other = sent.body.replace(
        &sent.subscription_id,
        "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=",
    );
    let (status, _, answer) = post(
        &env,
        &format!("/ews/notify/{token}"),
        None,
        "text/xml",
        other,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(answer.contains("Unsubscribe"), "{answer}");

    let bad = [
        ("<soap:Envelope", "not a SendNotification"),
        ("{\"json\": true}", "not a SendNotification"),
        (
            r#"<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lol>&lol2;</lol>"#,
            "not a SendNotification",
        ),
    ];
    for (body, names) in bad {
        let (status, _, answer) = post(
            &env,
            &format!("/ews/notify/{token}"),
            None,
            "text/xml",
            body.to_owned(),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body} → {answer}");
        assert!(answer.contains(names), "{body} → {answer}");
    }
    let big = format!("{}<!--{}-->", sent.body, "x".repeat(LIMIT));
    let (status, _, _) = post(&env, &format!("/ews/notify/{token}"), None, "text/xml", big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(depth().await, 0);
    assert_eq!(env.admin_get("/admin/journal").await, journal);
    assert_eq!(env.s4_all(ActivityKind::Appointment).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_api_refuses_wrong_credentials_and_bad_requests() {
    let env = env().await;
    let r = env
        .http
        .get(format!("{}/admin/users", env.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = env
        .http
        .get(format!("{}/admin/users", env.url()))
        .basic_auth(ADMIN.0, Some("guess"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = env
        .http
        .delete(format!("{}/admin/users/{ANNA}", env.url()))
        .basic_auth(EVENTS.0, Some(EVENTS.1))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    let cases = [
        (
            Method::POST,
            "/admin/users",
            json!({"employee": "4714"}),
            400,
            "mailbox",
        ),
        (
            Method::POST,
            "/admin/users",
            json!({"employee": "4714", "mailbox": "dora@example.com", "environment": "mars"}),
            422,
            "mars",
        ),
        (
            Method::POST,
            "/admin/users",
            json!({"employee": "not a number", "mailbox": "dora@example.com", "environment": "onprem"}),
            400,
            "not a number",
        ),
        (
            Method::POST,
            "/admin/users",
            json!({"employee": "4714", "mailbox": "dora@example.com", "environment": "onprem", "time_zone": "Europe/Kiyv"}),
            400,
            "time_zone: \"Europe/Kiyv\" is not a time zone",
        ),
        (
            Method::PUT,
            "/admin/settings",
            json!({"default_time_zone": "Mars/Olympus"}),
            422,
            "default_time_zone: \"Mars/Olympus\" is not a time zone",
        ),
        (
            Method::POST,
            "/admin/users/nobody@example.com/disable",
            Value::Null,
            404,
            "not a configured user",
        ),
        (
            Method::POST,
            "/admin/held/99/approve",
            Value::Null,
            404,
            "no held delete 99",
        ),
        (
            Method::PUT,
            "/admin/settings",
            json!([1]),
            422,
            "JSON object",
        ),
    ];
    for (method, path, body, want, names) in cases {
        let body = (!body.is_null()).then_some(body);
        let (status, answer) = env.admin_send(method.clone(), path, body).await;
        assert_eq!(status, want, "{method} {path} → {answer}");
        assert!(
            error_of(&answer).contains(names),
            "{method} {path} → {answer}"
        );
    }
    let users = env.admin_get("/admin/users").await;
    assert_eq!(users.as_array().map(Vec::len), Some(3));
    nothing_changed(&env).await;
}
