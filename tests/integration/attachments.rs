//! Attachments: files attached on one side appear on the other, within the
//! size cap, and not at all when attachments are off.

use maiconnect_fakes::s4::ActivityKind;
use serde_json::{Value, json};

use crate::harness::{ANNA, Env, Setup, at, iso, meeting_with_files, text};

/// The names and sizes of an Outlook item's attachments, sorted.
fn outlook_files(item: &Value) -> Vec<(String, u64)> {
    let mut v: Vec<_> = item["attachments"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|a| (text(a, "name").to_owned(), a["size"].as_u64().unwrap_or(0)))
        .collect();
    v.sort();
    v
}

/// The names and sizes of an S/4 activity's attachments, sorted.
fn s4_files(env: &Env, guid: &str) -> Vec<(String, u64)> {
    let mut v: Vec<_> = env
        .world
        .s4
        .snapshot()
        .attachments
        .iter()
        .filter(|a| text(a, "ObjectGuid") == guid)
        .map(|a| {
            (
                text(a, "FileName").to_owned(),
                a["FileSize"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    v.sort();
    v
}

/// Attachments on, with a cap of 1 KiB.
fn capped() -> Setup {
    Setup::config(|c| {
        c.policy.appointments.attachments.enabled = true;
        c.policy.appointments.attachments.max_bytes = 1024;
    })
}

fn s4_visit(env: &Env, subject: &str) -> maiconnect_core::ids::ActivityId {
    let guid = env
        .world
        .s4
        .create_appointment(json!({
            "Description": subject, "TransactionType": "ZMAI", "Responsible": "4711",
            "FromDate": iso(at(4, 9)), "ToDate": iso(at(4, 10))
        }))
        .unwrap();
    guid.to_string().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_attached_in_s4_appears_on_the_outlook_item_within_the_cap() {
    let env = Env::with(capped()).await;
    env.quiet().await;
    let id = s4_visit(&env, "Contract talk");
    env.wait_items(ANNA, "calendar", "Contract talk", 1).await;
    let s4 = &env.world.s4;
    // The large one first: once the small one arrived, both were decided.
    s4.add_attachment(
        ActivityKind::Appointment,
        id.uuid(),
        "scan.pdf",
        "application/pdf",
        vec![7u8; 4096],
    )
    .unwrap();
    s4.add_attachment(
        ActivityKind::Appointment,
        id.uuid(),
        "agenda.txt",
        "text/plain",
        b"1. Prices\n2. Terms".to_vec(),
    )
    .unwrap();
    env.wait("agenda.txt on the Outlook item", || {
        let item = env.items_titled(ANNA, "calendar", "Contract talk").pop()?;
        (outlook_files(&item) == [("agenda.txt".to_owned(), 18)]).then_some(())
    })
    .await;
    env.quiet().await;
    let item = env
        .items_titled(ANNA, "calendar", "Contract talk")
        .remove(0);
    assert_eq!(outlook_files(&item), [("agenda.txt".to_owned(), 18)]);
    // S/4HANA keeps both; nothing was removed or added there.
    assert_eq!(
        s4_files(&env, &id.to_string()),
        [("agenda.txt".to_owned(), 18), ("scan.pdf".to_owned(), 4096)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_attached_in_outlook_appears_in_s4_within_the_cap() {
    let env = Env::with(capped()).await;
    env.quiet().await;
    let xml = meeting_with_files(
        "Offer review",
        at(5, 9),
        &[("notes.txt", b"hello S/4"), ("video.mp4", &[1u8; 3000])],
    );
    env.world
        .exchange
        .create_item_xml(ANNA, Some("calendar"), &xml)
        .unwrap();
    let s4 = env
        .wait_s4(ActivityKind::Appointment, "Offer review", 1)
        .await
        .remove(0);
    let guid = text(&s4, "Guid").to_owned();
    env.wait("notes.txt in S/4HANA", || {
        (s4_files(&env, &guid) == [("notes.txt".to_owned(), 9)]).then_some(())
    })
    .await;
    env.quiet().await;
    assert_eq!(s4_files(&env, &guid), [("notes.txt".to_owned(), 9)]);
    // Outlook keeps the large file it holds.
    let item = env.items_titled(ANNA, "calendar", "Offer review").remove(0);
    assert_eq!(
        outlook_files(&item),
        [("notes.txt".to_owned(), 9), ("video.mp4".to_owned(), 3000)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_attachments_off_no_file_moves() {
    let env = Env::with(Setup::config(|c| {
        c.policy.appointments.attachments.enabled = false;
    }))
    .await;
    env.quiet().await;
    let id = s4_visit(&env, "Contract talk");
    env.wait_items(ANNA, "calendar", "Contract talk", 1).await;
    env.world
        .s4
        .add_attachment(
            ActivityKind::Appointment,
            id.uuid(),
            "agenda.txt",
            "text/plain",
            b"1. Prices".to_vec(),
        )
        .unwrap();
    // A later change that does travel: when it has arrived, the attachment
    // was decided too.
    env.world
        .s4
        .update_activity(
            ActivityKind::Appointment,
            id.uuid(),
            json!({"Location": "Room 4"}),
        )
        .unwrap();
    env.wait("the new location in Outlook", || {
        let item = env.items_titled(ANNA, "calendar", "Contract talk").pop()?;
        (text(&item, "location") == "Room 4").then_some(())
    })
    .await;

    let xml = meeting_with_files("Offer review", at(5, 9), &[("notes.txt", b"hello")]);
    env.world
        .exchange
        .create_item_xml(ANNA, Some("calendar"), &xml)
        .unwrap();
    let s4 = env
        .wait_s4(ActivityKind::Appointment, "Offer review", 1)
        .await
        .remove(0);
    env.quiet().await;
    let item = env
        .items_titled(ANNA, "calendar", "Contract talk")
        .remove(0);
    assert!(outlook_files(&item).is_empty(), "{item:#}");
    assert!(s4_files(&env, text(&s4, "Guid")).is_empty());
    assert_eq!(env.world.s4.snapshot().attachments.len(), 1);
}
