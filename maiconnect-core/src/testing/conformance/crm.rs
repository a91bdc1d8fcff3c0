//! The CRM suite. The port must be backed by a system holding
//! [`crate::testing::samples::world`] (partners, relationships, employees,
//! contact persons) and no activities.

use chrono::{Duration, TimeZone, Utc};

use crate::error::ErrorKind;
use crate::ids::ActivityId;
use crate::model::{ObjectKind, PartnerCategory, Record, RelationshipType, S4Key};
use crate::plan::fields::Field;
use crate::ports::Crm;
use crate::testing::samples::{appointment_a, bp, email, task_a};

fn key(n: u128) -> S4Key {
    S4Key::Appointment(ActivityId::from_uuid(uuid::Uuid::from_u128(
        0x0050_568c_0000_0000_0000_0000_0000_0000 + n,
    )))
}

fn plain_appointment() -> Record {
    let mut a = appointment_a();
    a.attachments.clear();
    Record::Appointment(a)
}

/// An activity can be created under a chosen GUID, read, updated field by
/// field and deleted. The port answers with the key the server holds it
/// under (the one sent, unless the server assigns its own); both read it.
pub async fn create_read_update_delete(crm: impl Crm) {
    let sent = key(1);
    let created = crm
        .create(&sent, &plain_appointment(), None)
        .await
        .expect("create");
    let (k, v1) = (created.key, created.version);
    assert_eq!(k.kind(), ObjectKind::Appointment);
    if crm
        .capabilities(ObjectKind::Appointment)
        .await
        .keeps_sent_keys
    {
        assert_eq!(k, sent, "the server keeps the key sent");
    }
    let got = crm.get(&k).await.expect("get").expect("exists");
    assert_eq!(got.key, k);
    assert_eq!(got.version, v1);
    let by_sent = crm.get(&sent).await.expect("get").expect("exists");
    assert_eq!(by_sent.key, k, "the key sent reads the object created");
    let Record::Appointment(a) = &got.record else {
        panic!("kind")
    };
    assert_eq!(a.subject, "Quarterly review");
    assert!(a.when.same_time(&appointment_a().when));
    assert_eq!(a.owner, Some(bp("4711")));

    let mut changed = a.clone();
    changed.subject = "Quarterly review II".into();
    changed.location = "not written".into();
    let v2 = crm
        .update(&k, &v1, &[Field::Subject], &Record::Appointment(changed))
        .await
        .expect("update");
    let got = crm.get(&k).await.expect("get").expect("exists");
    if let Some(v2) = v2 {
        assert_eq!(got.version, v2);
    }
    assert_ne!(got.version, v1);
    let Record::Appointment(b) = &got.record else {
        panic!("kind")
    };
    assert_eq!(b.subject, "Quarterly review II");
    assert_eq!(b.location, a.location, "only the listed field is written");

    crm.delete(&k, &got.version).await.expect("delete");
    assert!(crm.get(&k).await.expect("get").is_none());
    crm.delete(&k, &got.version)
        .await
        .expect("deleting again succeeds");
}

/// Writes with an old version fail as conflicts.
pub async fn stale_versions_conflict(crm: impl Crm) {
    let created = crm
        .create(&key(2), &plain_appointment(), None)
        .await
        .expect("create");
    let (k, v1) = (created.key, created.version);
    let rec = crm.get(&k).await.expect("get").expect("exists").record;
    crm.update(&k, &v1, &[Field::Subject], &rec)
        .await
        .expect("first update");
    let e = crm
        .update(&k, &v1, &[Field::Subject], &rec)
        .await
        .expect_err("stale");
    assert_eq!(e.kind, ErrorKind::Conflict, "{e}");
    let e = crm.delete(&k, &v1).await.expect_err("stale delete");
    assert_eq!(e.kind, ErrorKind::Conflict, "{e}");
}

/// Creating the same GUID twice reports AlreadyExists, creating nothing.
pub async fn repeated_create_is_already_exists(crm: impl Crm) {
    let k = key(3);
    crm.create(&k, &plain_appointment(), None)
        .await
        .expect("create");
    let e = crm
        .create(&k, &plain_appointment(), None)
        .await
        .expect_err("second create");
    assert_eq!(e.kind, ErrorKind::AlreadyExists, "{e}");
}

/// Activities are listed by participant and window.
pub async fn lists_by_employee_and_window(crm: impl Crm) {
    let ak = crm
        .create(&key(4), &plain_appointment(), None)
        .await
        .expect("create")
        .key;
    let mut t = task_a();
    t.attachments.clear();
    let tk = S4Key::Task(ActivityId::from_uuid(uuid::Uuid::from_u128(
        0x0050_568c_0000_0000_0000_0000_0000_0099,
    )));
    let tk = crm
        .create(&tk, &Record::Task(t), None)
        .await
        .expect("create task")
        .key;
    let from = Utc
        .with_ymd_and_hms(2026, 11, 1, 0, 0, 0)
        .single()
        .expect("t");
    let to = from + Duration::days(60);
    let a = crm
        .list_activities(ObjectKind::Appointment, &bp("4711"), from, to)
        .await
        .expect("list");
    assert!(a.iter().any(|i| i.key == ak));
    assert!(a.iter().all(|i| i.key.kind() == ObjectKind::Appointment));
    let t = crm
        .list_activities(ObjectKind::Task, &bp("4711"), from, to)
        .await
        .expect("list");
    assert!(t.iter().any(|i| i.key == tk));
    let other = crm
        .list_activities(ObjectKind::Appointment, &bp("4712"), from, to)
        .await
        .expect("list");
    assert!(!other.iter().any(|i| i.key == ak));
    let later = crm
        .list_activities(
            ObjectKind::Appointment,
            &bp("4711"),
            to,
            to + Duration::days(30),
        )
        .await
        .expect("list");
    assert!(!later.iter().any(|i| i.key == ak));
}

/// Partners, employees, relationships and the search by e-mail.
pub async fn partners_relationships_and_search(crm: impl Crm) {
    let p = crm
        .partner(&bp("200"))
        .await
        .expect("partner")
        .expect("exists");
    assert_eq!(p.category, PartnerCategory::Organization);
    assert!(crm.partner(&bp("999999")).await.expect("partner").is_none());
    let e = crm
        .employee(&bp("4711"))
        .await
        .expect("employee")
        .expect("exists");
    assert_eq!(e.email, Some(email("anna.berg@example.com")));
    let found = crm
        .find_partner_by_email(&email("Piet.Jansen@customer.example"))
        .await
        .expect("search");
    assert_eq!(found.map(|p| p.number), Some(bp("101")));
    assert!(
        crm.find_partner_by_email(&email("nobody@nowhere.example"))
            .await
            .expect("search")
            .is_none()
    );
    let rels = crm.relationships(&bp("4711")).await.expect("relationships");
    assert!(
        rels.iter()
            .any(|r| r.kind == RelationshipType::Bur011 && r.involves(&bp("200")))
    );
    let rels = crm.relationships(&bp("200")).await.expect("relationships");
    assert_eq!(
        rels.iter()
            .filter(|r| r.kind == RelationshipType::Bur001)
            .count(),
        2
    );
}

/// A contact person reads as an Outlook contact with the customer's name.
pub async fn contacts_read_as_records(crm: impl Crm) {
    let c = crm
        .get(&S4Key::Contact(bp("100")))
        .await
        .expect("get")
        .expect("exists");
    let Record::Contact(c) = c.record else {
        panic!("kind")
    };
    assert_eq!(
        (c.given_name.as_str(), c.surname.as_str()),
        ("Olga", "Meyer")
    );
    assert_eq!(c.company, "Customer AG");
    assert_eq!(c.emails, vec![email("olga.meyer@customer.example")]);
    assert!(
        crm.get(&S4Key::Contact(bp("777777")))
            .await
            .expect("get")
            .is_none()
    );
}

/// What the port says it offers holds: a change time stamp is filled in
/// what it reads.
pub async fn capabilities_hold(crm: impl Crm) {
    let created = crm
        .create(&key(5), &plain_appointment(), None)
        .await
        .expect("create");
    let got = crm.get(&created.key).await.expect("get").expect("exists");
    let caps = crm.capabilities(ObjectKind::Appointment).await;
    assert_eq!(
        got.changed_at.is_some(),
        caps.change_timestamp,
        "change time stamp offered: {caps:?}, read: {:?}",
        got.changed_at
    );
}
