//! Events from the fake S/4HANA to a hub: contract, Basic auth, retry with
//! back-off in order, drop, duplicate, pause/resume, batching, merging per
//! commit, relationship and partner events.

mod s4_common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use maiconnect_core::model::{ChangeType, RelationshipType, S4Event, S4ObjectType};
use maiconnect_fakes::s4::{
    DeliveryStatus, FakeS4Config, FakeS4Handle, HubDestination, NewRelationship, Partner,
};
use s4_common::*;
use serde_json::{Value, json};

#[derive(Default)]
struct Hub {
    /// Each request: Authorization header and body.
    requests: Vec<(Option<String>, Value)>,
    /// Answer 503 to this many requests first.
    fail: usize,
}

type SharedHub = Arc<Mutex<Hub>>;

async fn receive(State(hub): State<SharedHub>, headers: HeaderMap, body: String) -> StatusCode {
    let mut h = hub.lock().unwrap();
    let auth = headers
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned());
    h.requests
        .push((auth, serde_json::from_str(&body).unwrap()));
    if h.fail > 0 {
        h.fail -= 1;
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    StatusCode::ACCEPTED
}

async fn hub(fail: usize) -> (SharedHub, String) {
    let state = Arc::new(Mutex::new(Hub {
        fail,
        ..Hub::default()
    }));
    let app = axum::Router::new()
        .route("/s4/events", axum::routing::post(receive))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/s4/events", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (state, url)
}

async fn fake_with_hub(url: &str) -> FakeS4Handle {
    start_with(FakeS4Config {
        seed: Some(5),
        hub: Some(HubDestination {
            url: url.into(),
            user: Some("s4".into()),
            password: Some("secret".into()),
        }),
        event_retry_initial: Duration::from_millis(20),
        event_retry_max: Duration::from_millis(80),
        ..FakeS4Config::default()
    })
    .await
}

/// Every event the hub received, in order, flattening arrays.
fn received(hub: &SharedHub) -> Vec<S4Event> {
    let h = hub.lock().unwrap();
    h.requests
        .iter()
        .flat_map(|(_, body)| match body {
            Value::Array(items) => items.clone(),
            one => vec![one.clone()],
        })
        .map(|v| serde_json::from_value(v).unwrap())
        .collect()
}

async fn wait_for(hub: &SharedHub, n: usize) -> Vec<S4Event> {
    for _ in 0..300 {
        let got = received(hub);
        if got.len() >= n {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    received(hub)
}

#[tokio::test]
async fn odata_writes_raise_events_in_the_core_contract_with_basic_auth() {
    let (hub, url) = hub(0).await;
    let h = fake_with_hub(&url).await;
    let c = client();
    let g = guid(1);
    assert_eq!(
        post(
            &c,
            &h,
            APPOINTMENTS,
            "AppointmentSet",
            appointment(&g, "Review", "4711", DEC_1_9AM)
        )
        .await
        .status(),
        201
    );
    let events = wait_for(&hub, 1).await;
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(
        (e.object_type, e.object_key.as_str(), e.change),
        (S4ObjectType::Appointment, g.as_str(), ChangeType::Created)
    );
    assert!(e.validate().is_ok());
    assert!(e.changed_at.is_some());
    let auth = hub.lock().unwrap().requests[0].0.clone().unwrap();
    assert_eq!(auth, "Basic czQ6c2VjcmV0", "s4:secret");
    let log = h.wait_for_delivery(1, Duration::from_secs(2)).await;
    assert_eq!(log[0].status, DeliveryStatus::Delivered);
    assert_eq!(log[0].attempts, 1);
}

#[tokio::test]
async fn failed_deliveries_are_retried_in_order() {
    let (hub, url) = hub(3).await;
    let h = fake_with_hub(&url).await;
    h.pause_events(true);
    let mut guids = Vec::new();
    for i in 0..3 {
        guids.push(
            h.create_task(json!({"Description": format!("Task {i}"), "ResponsibleId": "4711"}))
                .unwrap()
                .to_string(),
        );
    }
    h.pause_events(false);
    let events = wait_for(&hub, 3 + 3 * 3).await;
    // Three failed attempts carried the same batch; the fourth got through.
    let requests = hub.lock().unwrap().requests.len();
    assert_eq!(requests, 4);
    let delivered: Vec<&str> = events[events.len() - 3..]
        .iter()
        .map(|e| e.object_key.as_str())
        .collect();
    assert_eq!(
        delivered,
        guids.iter().map(String::as_str).collect::<Vec<_>>()
    );
    let log = h.wait_for_delivery(3, Duration::from_secs(2)).await;
    assert!(
        log.iter()
            .all(|r| r.status == DeliveryStatus::Delivered && r.attempts == 4),
        "{log:?}"
    );
    assert!(log[0].last_error.as_deref().unwrap().contains("503"));
}

#[tokio::test]
async fn paused_events_are_sent_as_one_array_after_resume() {
    let (hub, url) = hub(0).await;
    let h = fake_with_hub(&url).await;
    h.pause_events(true);
    let a = h
        .create_appointment(appointment(&guid(2), "A", "4711", DEC_1_9AM))
        .unwrap();
    h.update_activity(
        maiconnect_fakes::s4::ActivityKind::Appointment,
        a,
        json!({"Location": "Room 1"}),
    )
    .unwrap();
    h.delete_activity(maiconnect_fakes::s4::ActivityKind::Appointment, a)
        .unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(hub.lock().unwrap().requests.is_empty());
    h.pause_events(false);
    let events = wait_for(&hub, 3).await;
    let changes: Vec<ChangeType> = events.iter().map(|e| e.change).collect();
    assert_eq!(
        changes,
        [
            ChangeType::Created,
            ChangeType::Changed,
            ChangeType::Deleted
        ]
    );
    assert!(hub.lock().unwrap().requests[0].1.is_array());
}

#[tokio::test]
async fn dropped_and_duplicated_events() {
    let (hub, url) = hub(0).await;
    let h = fake_with_hub(&url).await;
    h.drop_next_events(1);
    let dropped = h.create_task(json!({"Description": "Lost"})).unwrap();
    h.duplicate_next_events(1);
    let doubled = h.create_task(json!({"Description": "Twice"})).unwrap();
    let events = wait_for(&hub, 2).await;
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|e| e.object_key == doubled.to_string()));
    assert_eq!(
        events[0].event_id, events[1].event_id,
        "a repeated delivery carries the same id"
    );
    let log = h.events();
    assert_eq!(log[0].status, DeliveryStatus::Dropped);
    assert_eq!(log[0].event.object_key, dropped.to_string());
    assert!(log[2].duplicate);
}

#[tokio::test]
async fn one_changeset_raises_one_event_per_object() {
    let (hub, url) = hub(0).await;
    let h = fake_with_hub(&url).await;
    let g = h
        .create_appointment(appointment(&guid(3), "With attendee", "4711", DEC_1_9AM))
        .unwrap();
    wait_for(&hub, 1).await;
    // Attendee changes through OData change the appointment: one "changed".
    let c = client();
    let r = post(
        &c,
        &h,
        APPOINTMENTS,
        "AttendeeSet",
        json!({"Guid": g.to_string(), "PartnerNo": "100", "Function": "00000015"}),
    )
    .await;
    assert_eq!(r.status(), 201);
    let events = wait_for(&hub, 2).await;
    assert_eq!(events.len(), 2);
    assert_eq!(
        (events[1].object_key.as_str(), events[1].change),
        (g.to_string().as_str(), ChangeType::Changed)
    );
}

#[tokio::test]
async fn partner_and_relationship_changes_raise_events() {
    let (hub, url) = hub(0).await;
    let h = fake_with_hub(&url).await;
    h.upsert_partner(Partner {
        number: "4711".into(),
        category: "1".into(),
        first_name: "Anna".into(),
        last_name: "Berg".into(),
        employee: true,
        ..Partner::default()
    })
    .unwrap();
    h.upsert_partner(Partner {
        number: "200".into(),
        category: "2".into(),
        name1: "Customer AG".into(),
        ..Partner::default()
    })
    .unwrap();
    let rel = h
        .add_relationship(NewRelationship {
            category: "BUR011".into(),
            partner1: "200".into(),
            partner2: "4711".into(),
            valid_from: None,
            valid_to: None,
        })
        .unwrap();
    h.end_relationship(&rel.number, None).unwrap();
    assert!(
        h.add_relationship(NewRelationship {
            category: "BUR001".into(),
            partner1: "999".into(),
            partner2: "200".into(),
            valid_from: None,
            valid_to: None
        })
        .is_err()
    );
    let events = wait_for(&hub, 4).await;
    assert_eq!(events.len(), 4);
    assert_eq!(
        (
            events[0].object_type,
            events[0].object_key.as_str(),
            events[0].change
        ),
        (
            S4ObjectType::BusinessPartner,
            "0000004711",
            ChangeType::Created
        )
    );
    let created = &events[2];
    assert_eq!(created.object_type, S4ObjectType::Relationship);
    assert_eq!(created.object_key, "0000000200/0000004711/BUR011");
    let r = created.relationship.as_ref().unwrap();
    assert_eq!(
        (r.kind.clone(), r.from.as_str(), r.to.as_str()),
        (RelationshipType::Bur011, "0000000200", "0000004711")
    );
    assert_eq!(r.valid_to, None);
    let ended = events[3].relationship.as_ref().unwrap();
    assert_eq!(
        ended.valid_to,
        Some(h.now().date_naive() - chrono::Duration::days(1))
    );
    assert!(events.iter().all(|e| e.validate().is_ok()));
}

#[tokio::test]
async fn events_wait_for_a_hub_and_follow_it_when_it_changes() {
    let h = start().await;
    h.create_task(json!({"Description": "Before the hub"}))
        .unwrap();
    tokio::time::sleep(Duration::from_millis(30)).await;
    assert_eq!(h.events()[0].status, DeliveryStatus::Queued);
    let (hub, url) = hub(0).await;
    h.set_hub(Some(HubDestination {
        url,
        user: None,
        password: None,
    }));
    let events = wait_for(&hub, 1).await;
    assert_eq!(events.len(), 1);
    assert_eq!(
        hub.lock().unwrap().requests[0].0,
        None,
        "no credentials configured, none sent"
    );
}

#[tokio::test]
async fn undelivered_events_survive_a_process_restart_through_the_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s4.json");
    let config = || FakeS4Config {
        seed: Some(8),
        state_file: Some(file.clone()),
        ..FakeS4Config::default()
    };
    let first = start_with(config()).await;
    let waiting = first
        .create_task(json!({"Description": "Waiting for the hub"}))
        .unwrap();
    first.shutdown().await.unwrap();

    let (hub, url) = hub(0).await;
    let second = start_with(config()).await;
    second.set_hub(Some(HubDestination {
        url,
        user: None,
        password: None,
    }));
    second
        .create_task(json!({"Description": "After the restart"}))
        .unwrap();
    let events = wait_for(&hub, 2).await;
    assert_eq!(events.len(), 2);
    assert_eq!(
        events[0].object_key,
        waiting.to_string(),
        "the saved event goes first"
    );
    assert_ne!(
        events[0].event_id, events[1].event_id,
        "new events get new ids"
    );
}
