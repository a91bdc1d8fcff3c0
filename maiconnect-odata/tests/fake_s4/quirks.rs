//! The adapter against the fake's quirks, one test per way a real server
//! is less kind: keys the server assigns, error bodies of every shape, a
//! next-page link on another host, SAP's standard services, deletes of
//! what is gone, creates that may have happened, CSRF off, a missing
//! service behind a proxy, a due date with a time.

use maiconnect_core::ErrorKind;
use maiconnect_core::model::{ExchangeKey, Record, S4Key, When};
use maiconnect_core::plan::fields::Field;
use maiconnect_core::ports::Crm;
use maiconnect_core::testing::samples::{self, bp};
use maiconnect_fakes::s4::{ActivityKind, Catalogue, ErrorShape, Quirks, ServiceId as FakeService};
use maiconnect_odata::profile::ServiceId;
use maiconnect_odata::{MappingConfig, ODataCrm};

use crate::fixture::{client, fake_s4_with};

fn appointment_key(n: u32) -> S4Key {
    S4Key::Appointment(format!("0050568c-0000-0000-0000-{n:012}").parse().unwrap())
}

fn task_key(n: u32) -> S4Key {
    S4Key::Task(format!("0050568c-0000-0000-0000-{n:012}").parse().unwrap())
}

fn plain_appointment() -> Record {
    let mut a = samples::appointment_a();
    a.attachments.clear();
    Record::Appointment(a)
}

fn origin(item: &str) -> ExchangeKey {
    ExchangeKey::item(item.parse().unwrap())
}

fn crm_over(s4: &maiconnect_fakes::s4::FakeS4Handle) -> ODataCrm {
    ODataCrm::new(client(s4), MappingConfig::default())
}

/// 1. A create links the key the server returned, and a create repeated
/// after a crash (a new process, no alias) finds the first copy by its
/// Outlook item and removes the second.
#[tokio::test]
async fn a_server_assigned_key_is_the_one_returned_and_a_repeat_is_undone() {
    let s4 = fake_s4_with(Quirks {
        server_keys: true,
        ..Quirks::default()
    })
    .await;
    let sent = appointment_key(1);
    let from = origin("AAMkAGI2-outlook-1");
    let crm = crm_over(&s4);
    let created = crm
        .create(&sent, &plain_appointment(), Some(&from))
        .await
        .unwrap();
    assert_ne!(created.key, sent, "the server's own GUID");
    let stored: Vec<String> = s4
        .snapshot()
        .appointments
        .iter()
        .map(|a| a["Guid"].as_str().unwrap().to_owned())
        .collect();
    let S4Key::Appointment(id) = &created.key else {
        panic!()
    };
    assert_eq!(stored, vec![id.to_string()], "the returned key exists");
    assert!(
        !crm.capabilities(maiconnect_core::model::ObjectKind::Appointment)
            .await
            .keeps_sent_keys
    );
    // The key sent reads, writes and deletes the object made.
    let got = crm.get(&sent).await.unwrap().unwrap();
    assert_eq!(got.key, created.key);

    // The hub crashed before it saved the link and creates again.
    let after_crash = crm_over(&s4);
    let e = after_crash
        .create(&sent, &plain_appointment(), Some(&from))
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::AlreadyExists, "{e}");
    assert!(e.message.contains("same Outlook item"), "{e}");
    assert_eq!(
        s4.snapshot().appointments.len(),
        1,
        "the second copy is gone"
    );
    let linked = after_crash.get(&sent).await.unwrap().unwrap();
    assert_eq!(linked.key, created.key, "the key sent reads the first copy");
}

/// 2. Every error shape keeps its message, and a service missing behind a
/// proxy (a bare HTML 404) is a missing service, not a missing employee.
#[tokio::test]
async fn every_error_shape_keeps_its_message() {
    for shape in [
        ErrorShape::Gateway,
        ErrorShape::MessageObjects,
        ErrorShape::PlainText,
        ErrorShape::Html,
    ] {
        let s4 = fake_s4_with(Quirks {
            error_shape: shape,
            ..Quirks::default()
        })
        .await;
        let crm = crm_over(&s4);
        // An end before the start: 400 with a message naming ToDate.
        let mut a = samples::appointment_a();
        a.attachments.clear();
        if let When::Timed { start, zone, .. } = a.when {
            a.when = When::Timed {
                start,
                end: start - chrono::Duration::hours(1),
                zone,
            };
        }
        let e = crm
            .create(&appointment_key(2), &Record::Appointment(a), None)
            .await
            .unwrap_err();
        // (A proxy replaces the body of the whole answer, not of the
        // parts of a $batch: the part keeps SAP's message.)
        assert!(e.message.contains("ToDate"), "{shape:?}: {e}");
        assert!(!e.message.contains("(no error body)"), "{shape:?}: {e}");

        s4.set_service_active(FakeService::Employees, false);
        let e = crm.employee(&bp("4711")).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Misconfigured, "{shape:?}: {e}");
        assert!(e.message.contains("/IWFND/MAINT_SERVICE"), "{shape:?}: {e}");
        let said = match shape {
            ErrorShape::Html => "the server said: \"404 Not Found",
            _ => "No service found",
        };
        assert!(e.message.contains(said), "{shape:?}: {e}");
    }
}

/// 3. A next-page link on the Gateway's internal host is followed below the
/// configured root; strict next links refuse it.
#[tokio::test]
async fn listings_go_on_behind_a_proxy() {
    let s4 = fake_s4_with(Quirks {
        internal_origin: Some("https://s4-app01.corp.internal:44300".into()),
        ..Quirks::default()
    })
    .await;
    s4.set_page_size(2);
    let crm = crm_over(&s4);
    for n in 10..15 {
        crm.create(&appointment_key(n), &plain_appointment(), None)
            .await
            .unwrap();
    }
    let from = chrono::DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z")
        .unwrap()
        .to_utc();
    let to = from + chrono::Duration::days(60);
    let kind = maiconnect_core::model::ObjectKind::Appointment;
    let all = crm
        .list_activities(kind, &bp("4711"), from, to)
        .await
        .unwrap();
    assert_eq!(all.len(), 5, "three pages read");

    let mut cfg = client(&s4).config().clone();
    cfg.strict_next_links = true;
    let strict = ODataCrm::new(
        maiconnect_odata::ODataClient::new(cfg).unwrap(),
        MappingConfig::default(),
    );
    let e = strict
        .list_activities(kind, &bp("4711"), from, to)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Misconfigured, "{e}");
    assert!(e.message.contains("s4-app01.corp.internal"), "{e}");
}

/// 4. On SAP's standard services: no time zone (the user's zone), an update
/// by PUT that keeps what maiconnect does not map, no change time stamp.
#[tokio::test]
async fn the_standard_profile_degrades_and_keeps_what_it_does_not_map() {
    let s4 = fake_s4_with(Quirks {
        catalogue: Catalogue::Standard,
        ..Quirks::default()
    })
    .await;
    let cfg = MappingConfig {
        default_zone: "America/New_York".parse().unwrap(),
        ..MappingConfig::default()
    };
    let crm = ODataCrm::new(client(&s4), cfg);
    let key = appointment_key(20);
    let a = samples::appointment_a(); // entered in Europe/Berlin
    let mut bare = a.clone();
    bare.attachments.clear();
    let created = crm
        .create(
            &key,
            &Record::Appointment(bare.clone()),
            Some(&origin("AAMk-std")),
        )
        .await
        .unwrap();
    let got = crm.get(&key).await.unwrap().unwrap();
    let Record::Appointment(r) = &got.record else {
        panic!()
    };
    assert!(r.when.same_time(&a.when), "the instant is kept");
    assert_eq!(
        r.when.zone().map(|z| z.to_string()),
        Some("America/New_York".into()),
        "read in the user's zone"
    );
    assert_eq!(got.changed_at, None);
    let caps = crm
        .capabilities(maiconnect_core::model::ObjectKind::Appointment)
        .await;
    assert!(!caps.change_timestamp && !caps.records_origin, "{caps:?}");

    // Someone sets the status in SAP GUI; an update from Outlook must not
    // blank it although maiconnect does not write it on update.
    let S4Key::Appointment(id) = &created.key else {
        panic!()
    };
    s4.update_activity(
        ActivityKind::Appointment,
        id.uuid(),
        serde_json::json!({"Status": "E0002"}),
    )
    .unwrap();
    let current = crm.get(&key).await.unwrap().unwrap();
    let mut changed = r.clone();
    changed.subject = "Moved".into();
    let v = crm
        .update(
            &key,
            &current.version,
            &[Field::Subject],
            &Record::Appointment(changed),
        )
        .await
        .unwrap()
        .unwrap();
    let stored = s4.activity(ActivityKind::Appointment, id.uuid()).unwrap();
    assert_eq!(stored["Description"], "Moved");
    assert_eq!(stored["Status"], "E0002", "kept through the PUT");
    assert_eq!(stored["Location"], "Walldorf");
    let e = crm
        .update(&key, &current.version, &[Field::Subject], &got.record)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict, "a PUT with a stale ETag: {e}");
    crm.delete(&key, &v).await.unwrap();
}

/// 5a. A delete answered 412 for an object a read shows gone is a success;
/// a stale delete of one that is there stays a conflict.
#[tokio::test]
async fn a_delete_of_what_is_gone_succeeds_on_412() {
    let s4 = fake_s4_with(Quirks {
        delete_gone_412: true,
        ..Quirks::default()
    })
    .await;
    let crm = crm_over(&s4);
    let key = appointment_key(30);
    let v = crm
        .create(&key, &plain_appointment(), None)
        .await
        .unwrap()
        .version;
    crm.update(&key, &v, &[Field::Subject], &plain_appointment())
        .await
        .unwrap();
    let e = crm.delete(&key, &v).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict, "{e}");
    let now = crm.get(&key).await.unwrap().unwrap().version;
    crm.delete(&key, &now).await.unwrap();
    crm.delete(&key, &now)
        .await
        .expect("gone: 412, then a read finds nothing");
}

/// 5b. A repeated create answered 500 with a database message is
/// confirmed by reading: it exists already, nothing to retry.
#[tokio::test]
async fn a_duplicate_answered_with_a_database_error_is_already_exists() {
    let s4 = fake_s4_with(Quirks {
        duplicate_as_database_error: true,
        ..Quirks::default()
    })
    .await;
    let crm = crm_over(&s4);
    let key = task_key(40);
    let mut t = samples::task_a();
    t.attachments.clear();
    crm.create(&key, &Record::Task(t.clone()), None)
        .await
        .unwrap();
    let e = crm.create(&key, &Record::Task(t), None).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::AlreadyExists, "{e}");
    assert_eq!(e.retry, maiconnect_core::Retry::Never);
    assert!(e.message.contains("reading finds it"), "{e}");
    assert!(
        e.message.contains("duplicate key"),
        "the server's message is kept: {e}"
    );
}

/// 6. Without CSRF protection, writes go without any token fetch.
#[tokio::test]
async fn without_csrf_protection_writes_fetch_nothing() {
    let s4 = fake_s4_with(Quirks {
        csrf_off: true,
        ..Quirks::default()
    })
    .await;
    let crm = crm_over(&s4);
    let key = task_key(50);
    let mut t = samples::task_a();
    t.attachments.clear();
    let mut v = crm
        .create(&key, &Record::Task(t.clone()), None)
        .await
        .unwrap()
        .version;
    for i in 0..4 {
        t.subject = format!("Send offer {i}");
        v = crm
            .update(&key, &v, &[Field::Subject], &Record::Task(t.clone()))
            .await
            .unwrap()
            .unwrap();
    }
    assert_eq!(crm.client().token_fetches(ServiceId::Tasks), 0);
}

/// 7. A due date stored with a time (17:00 UTC) is its day, not the next.
#[tokio::test]
async fn a_due_date_at_five_pm_utc_is_that_day() {
    let s4 = fake_s4_with(Quirks::default()).await;
    let cfg = MappingConfig {
        default_zone: "Europe/Berlin".parse().unwrap(),
        ..MappingConfig::default()
    };
    let crm = ODataCrm::new(client(&s4), cfg);
    let guid = s4
        .create_task(serde_json::json!({
            "Description": "Call back", "ResponsibleId": "4711",
            "DueDate": "2026-12-04T17:00:00Z"
        }))
        .unwrap();
    let item = crm
        .get(&S4Key::Task(maiconnect_core::ids::ActivityId::from_uuid(
            guid,
        )))
        .await
        .unwrap()
        .unwrap();
    let Record::Task(t) = item.record else {
        panic!()
    };
    assert_eq!(t.due_date, chrono::NaiveDate::from_ymd_opt(2026, 12, 4));
}
