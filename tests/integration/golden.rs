//! The S/4HANA event contract from the hub's side, on the golden files in
//! `s4-addon/golden/` that the S/4HANA add-on's ABAP unit tests check the
//! payload builder against: every file is what the contract type (and so
//! the fake S/4HANA, which posts that type) writes, byte for byte, and the
//! hub accepts each file and does what the event asks.
//!
//! In the hub tests the fake S/4HANA's own event delivery is paused: the
//! change is made in the fake as SAP GUI would, and the golden file is the
//! only event the hub receives for it.

use std::path::{Path, PathBuf};

use maiconnect_core::ids::ActivityId;
use maiconnect_core::model::S4Event;
use maiconnect_fakes::s4::{ActivityKind, NewRelationship, Partner};
use maiconnect_fakes::world::EVENTS;
use serde_json::{Value, json};

use crate::harness::{ANNA, Env, at, iso};

/// The appointment GUID of the `appointment-*.json` files.
const APPOINTMENT: &str = "0050568c-2b4f-1ee8-a1b2-c3d4e5f60718";
/// The task GUID of the `task-*.json` files.
const TASK: &str = "0050568c-2b4f-1ee8-a1b2-c3d4e5f6a125";

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("s4-addon/golden")
}

/// A golden file's bytes without the final newline (which is not sent).
fn golden(name: &str) -> String {
    let path = golden_dir().join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.strip_suffix('\n')
        .unwrap_or_else(|| panic!("{name} must end with one newline"))
        .to_owned()
}

/// Every `*.json` in the golden folder, sorted.
fn golden_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(golden_dir())
        .expect("the golden folder")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_golden_file_is_what_the_contract_type_writes() {
    let names = golden_names();
    // One per object type and change, and the batch.
    assert_eq!(names.len(), 13, "{names:?}");
    for name in names {
        let text = golden(&name);
        assert!(!text.contains('\n'), "{name}: one line");
        let again = if text.starts_with('[') {
            let events: Vec<S4Event> = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{name} is not a list of events: {e}"));
            assert!(events.len() > 1, "{name}: a batch has several events");
            for e in &events {
                e.validate().unwrap_or_else(|why| panic!("{name}: {why}"));
            }
            serde_json::to_string(&events)
        } else {
            let event: S4Event = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{name} is not an event: {e}"));
            event
                .validate()
                .unwrap_or_else(|why| panic!("{name}: {why}"));
            let stem = name.trim_end_matches(".json");
            let (kind, change) = stem.split_once('-').expect("<kind>-<change>.json");
            assert_eq!(
                serde_json::to_value(event.change).unwrap(),
                json!(change),
                "{name}"
            );
            let object_type = serde_json::to_value(event.object_type).unwrap();
            let expected_type = match kind {
                "appointment" => "BUS2000126",
                "task" => "BUS2000125",
                "partner" => "BUS1006",
                "relationship" => "relationship",
                other => panic!("{name}: unknown kind {other}"),
            };
            assert_eq!(object_type, json!(expected_type), "{name}");
            serde_json::to_string(&event)
        }
        .expect("serialises");
        assert_eq!(
            again, text,
            "{name}: the contract type writes it differently"
        );
    }
}

#[test]
fn event_ids_are_unique_across_the_golden_files() {
    let mut ids = Vec::new();
    for name in golden_names() {
        let v: Value = serde_json::from_str(&golden(&name)).expect("JSON");
        let events = match v {
            Value::Array(items) => items,
            one => vec![one],
        };
        ids.extend(events.into_iter().map(|e| e["eventId"].clone()));
    }
    let count = ids.len();
    ids.sort_by_key(|v| v.to_string());
    ids.dedup();
    assert_eq!(
        ids.len(),
        count,
        "an eventId repeats across the golden files"
    );
}

/// Posts a golden file to the hub; returns the status and the answer.
async fn post(env: &Env, name: &str) -> (u16, Value) {
    let r = env
        .http
        .post(format!("{}/s4/events", env.url()))
        .basic_auth(EVENTS.0, Some(EVENTS.1))
        .header("content-type", "application/json")
        .body(golden(name))
        .send()
        .await
        .expect("POST /s4/events");
    let status = r.status().as_u16();
    let body = r.text().await.unwrap_or_default();
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

/// Posts a golden file and checks that the hub stored all its events.
async fn deliver(env: &Env, name: &str, events: u64) {
    let (status, body) = post(env, name).await;
    assert_eq!(status, 202, "{name}: {body}");
    assert_eq!(body, json!({"accepted": events, "duplicates": 0}), "{name}");
}

/// Waits until the hub has worked off its inbox without a dead letter.
async fn processed(env: &Env, name: &str) {
    env.quiet().await;
    let dead = env.admin_get("/admin/dead-letters").await;
    assert_eq!(dead, json!([]), "{name} left dead letters");
}

/// The world with the fake's own event delivery held back.
async fn paused_world() -> Env {
    let env = Env::start().await;
    env.quiet().await;
    env.world.s4.pause_events(true);
    env
}

fn partner(env: &Env, number: &str) -> Partner {
    env.world
        .s4
        .snapshot()
        .partners
        .into_iter()
        .find(|p| p.number == number)
        .unwrap_or_else(|| panic!("no partner {number}"))
}

/// The surnames of a mailbox's contacts, sorted.
fn surnames(env: &Env, mailbox: &str) -> Vec<String> {
    let mut v: Vec<String> = env
        .items(mailbox, "contacts")
        .iter()
        .map(|c| {
            c["props"]["Surname"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    v.sort();
    v
}

async fn wait_surnames(env: &Env, want: &[&str]) {
    env.wait(&format!("Anna's contacts {want:?}"), || {
        (surnames(env, ANNA) == want).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_appointment_files_create_change_and_delete_the_calendar_item() {
    let env = paused_world().await;
    let guid = APPOINTMENT.parse::<ActivityId>().unwrap().uuid();
    env.world
        .s4
        .create_appointment(json!({
            "Guid": APPOINTMENT, "Description": "Golden visit", "TransactionType": "ZMAI",
            "Responsible": "4711", "FromDate": iso(at(4, 9)), "ToDate": iso(at(4, 10))
        }))
        .unwrap();
    assert!(
        env.items_titled(ANNA, "calendar", "Golden visit")
            .is_empty()
    );
    deliver(&env, "appointment-created.json", 1).await;
    env.wait_items(ANNA, "calendar", "Golden visit", 1).await;
    processed(&env, "appointment-created.json").await;

    env.world
        .s4
        .update_activity(
            ActivityKind::Appointment,
            guid,
            json!({"Description": "Golden visit (moved)"}),
        )
        .unwrap();
    deliver(&env, "appointment-changed.json", 1).await;
    env.wait_items(ANNA, "calendar", "Golden visit (moved)", 1)
        .await;
    processed(&env, "appointment-changed.json").await;

    env.world
        .s4
        .delete_activity(ActivityKind::Appointment, guid)
        .unwrap();
    deliver(&env, "appointment-deleted.json", 1).await;
    env.wait_items(ANNA, "calendar", "Golden visit (moved)", 0)
        .await;
    processed(&env, "appointment-deleted.json").await;

    // A repeated delivery (the sender retries after a lost answer) is
    // recognised by its eventId.
    let (status, body) = post(&env, "appointment-deleted.json").await;
    assert_eq!(status, 202);
    assert_eq!(body, json!({"accepted": 0, "duplicates": 1}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_task_files_create_change_and_delete_the_outlook_task() {
    let env = paused_world().await;
    let guid = TASK.parse::<ActivityId>().unwrap().uuid();
    env.world
        .s4
        .create_task(json!({
            "Guid": TASK, "Description": "Golden offer", "TransactionType": "ZTSK",
            "ResponsibleId": "4711", "DueDate": iso(at(3, 0))
        }))
        .unwrap();
    deliver(&env, "task-created.json", 1).await;
    env.wait_items(ANNA, "tasks", "Golden offer", 1).await;
    processed(&env, "task-created.json").await;

    env.world
        .s4
        .update_activity(
            ActivityKind::Task,
            guid,
            json!({"Description": "Golden offer sent"}),
        )
        .unwrap();
    deliver(&env, "task-changed.json", 1).await;
    env.wait_items(ANNA, "tasks", "Golden offer sent", 1).await;
    processed(&env, "task-changed.json").await;

    env.world
        .s4
        .delete_activity(ActivityKind::Task, guid)
        .unwrap();
    deliver(&env, "task-deleted.json", 1).await;
    env.wait_items(ANNA, "tasks", "Golden offer sent", 0).await;
    processed(&env, "task-deleted.json").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_partner_files_reach_the_contacts_of_the_mailboxes_holding_them() {
    let env = paused_world().await;
    wait_surnames(&env, &["Jansen", "Meyer"]).await;

    // A new person: nobody holds them yet, so the event changes nothing,
    // but it is accepted and worked off.
    env.world
        .s4
        .upsert_partner(Partner {
            number: "102".into(),
            category: "1".into(),
            first_name: "Rita".into(),
            last_name: "Novak".into(),
            email: "rita.novak@customer.example".into(),
            ..Partner::default()
        })
        .unwrap();
    deliver(&env, "partner-created.json", 1).await;
    processed(&env, "partner-created.json").await;
    assert_eq!(surnames(&env, ANNA), ["Jansen", "Meyer"]);

    // Olga Meyer (100) changes her function.
    let mut olga = partner(&env, "0000000100");
    olga.function = "Chief Buyer".into();
    env.world.s4.upsert_partner(olga).unwrap();
    deliver(&env, "partner-changed.json", 1).await;
    env.wait("Olga's new function in Anna's contacts", || {
        let contacts = env.items(ANNA, "contacts");
        let olga = contacts.iter().find(|c| c["props"]["Surname"] == "Meyer")?;
        (olga["props"]["JobTitle"] == "Chief Buyer").then_some(())
    })
    .await;
    processed(&env, "partner-changed.json").await;

    // Piet Jansen (101) is deleted: his contact leaves Anna's mailbox.
    env.world.s4.remove_partner("101").unwrap();
    deliver(&env, "partner-deleted.json", 1).await;
    wait_surnames(&env, &["Meyer"]).await;
    processed(&env, "partner-deleted.json").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_relationship_files_bring_and_take_contacts() {
    let env = paused_world().await;
    wait_surnames(&env, &["Jansen", "Meyer"]).await;
    let s4 = &env.world.s4;

    // Anna starts looking after Lena Solo (300) directly.
    let rel = s4
        .add_relationship(NewRelationship {
            category: "BUR011".into(),
            partner1: "300".into(),
            partner2: "4711".into(),
            valid_from: chrono::NaiveDate::from_ymd_opt(2020, 1, 1),
            valid_to: None,
        })
        .unwrap();
    deliver(&env, "relationship-created.json", 1).await;
    wait_surnames(&env, &["Jansen", "Meyer", "Solo"]).await;
    processed(&env, "relationship-created.json").await;

    // The relationship ends.
    s4.end_relationship(&rel.number, None).unwrap();
    deliver(&env, "relationship-changed.json", 1).await;
    wait_surnames(&env, &["Jansen", "Meyer"]).await;
    processed(&env, "relationship-changed.json").await;

    // Piet Jansen (101) leaves the customer: his BUR001 relationship goes
    // (the fake ends it; in S/4HANA the row is deleted).
    let piet = s4
        .snapshot()
        .relationships
        .into_iter()
        .find(|r| r.category == "BUR001" && r.partner1 == "0000000101")
        .expect("Piet's BUR001");
    s4.end_relationship(&piet.number, None).unwrap();
    deliver(&env, "relationship-deleted.json", 1).await;
    wait_surnames(&env, &["Meyer"]).await;
    processed(&env, "relationship-deleted.json").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_batch_file_is_stored_whole_and_worked_off() {
    let env = paused_world().await;
    env.world
        .s4
        .create_appointment(json!({
            "Guid": APPOINTMENT, "Description": "Golden batch", "TransactionType": "ZMAI",
            "Responsible": "4711", "FromDate": iso(at(6, 9)), "ToDate": iso(at(6, 10))
        }))
        .unwrap();
    env.world
        .s4
        .add_relationship(NewRelationship {
            category: "BUR011".into(),
            partner1: "300".into(),
            partner2: "4711".into(),
            valid_from: chrono::NaiveDate::from_ymd_opt(2020, 1, 1),
            valid_to: None,
        })
        .unwrap();
    deliver(&env, "batch.json", 3).await;
    env.wait_items(ANNA, "calendar", "Golden batch", 1).await;
    wait_surnames(&env, &["Jansen", "Meyer", "Solo"]).await;
    processed(&env, "batch.json").await;
}
