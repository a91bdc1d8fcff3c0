//! The adapter against the fake Exchange of `tests/fakes` (a stateful EWS
//! server that validates every request against Microsoft's schema): the
//! core's mailbox conformance suite, recurring series and occurrences,
//! OAuth with a certificate, impersonation rights, the contacts subfolder
//! and push notifications.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use chrono::{NaiveDate, TimeZone, Utc, Weekday};
use maiconnect_core::ErrorKind;
use maiconnect_core::ids::Mailbox;
use maiconnect_core::model::{
    ExchangeKey, Folder, Pattern, RangeEnd, Record, Recurrence, RecurrenceRange, When, Zone,
};
use maiconnect_core::plan::Field;
use maiconnect_core::ports::MailboxPort;
use maiconnect_ews::auth::{AssertionStyle, CertificateKey, ClientSecret, Credentials, OAuth};
use maiconnect_ews::push::{SubscriptionStatus, parse_send_notification, send_notification_result};
use maiconnect_ews::{EwsClient, EwsConfig, EwsMailboxes};
use maiconnect_fakes::exchange::control::AppSpec;
use maiconnect_fakes::exchange::{FakeExchange, FakeExchangeConfig, FakeExchangeHandle};

const ANNA: &str = "anna.berg@example.com";
const BEN: &str = "ben.kraus@example.com";

async fn fake() -> FakeExchangeHandle {
    let config = FakeExchangeConfig {
        minute: Duration::from_millis(200),
        ..FakeExchangeConfig::default()
    };
    let handle = FakeExchange::start(config).await.expect("start the fake");
    handle
        .add_mailbox(ANNA, Some("Anna Berg"))
        .expect("mailbox");
    handle.add_mailbox(BEN, Some("Ben Kraus")).expect("mailbox");
    handle
        .add_service_user("svc-maiconnect@example.com", "pw", &[ANNA])
        .expect("user");
    handle
}

fn basic(handle: &FakeExchangeHandle) -> EwsConfig {
    EwsConfig::new(
        &handle.ews_url(),
        Credentials::Basic {
            user: "svc-maiconnect@example.com".into(),
            password: "pw".into(),
        },
    )
}

fn port(config: EwsConfig) -> EwsMailboxes {
    EwsMailboxes::new(EwsClient::new(config).expect("client"))
}

fn anna() -> Mailbox {
    ANNA.parse().expect("mailbox")
}

async fn make() -> (EwsMailboxes, Mailbox) {
    let handle = fake().await;
    let p = port(basic(&handle));
    // The server lives as long as the test process.
    std::mem::forget(handle);
    (p, anna())
}

maiconnect_core::mailbox_conformance!(make());

fn any_time() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("t")
}

fn weekly_series() -> Record {
    let zone: Zone = "Europe/Berlin".parse().expect("zone");
    let start = Utc
        .with_ymd_and_hms(2026, 12, 1, 8, 0, 0)
        .single()
        .expect("t");
    let mut a = maiconnect_core::model::Appointment::new(
        "Weekly sync",
        When::timed(start, start + chrono::Duration::hours(1), zone),
    );
    a.recurrence = Some(Box::new(Recurrence {
        pattern: Pattern::Weekly {
            interval: 1,
            days: vec![Weekday::Tue],
            first_day_of_week: Weekday::Mon,
        },
        range: RecurrenceRange {
            start: NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"),
            end: RangeEnd::Numbered(6),
        },
        zone,
        modified: vec![],
        deleted: vec![],
        start_time: None,
    }));
    Record::Appointment(a)
}

#[tokio::test]
async fn occurrences_are_changed_and_deleted_through_their_series() {
    let handle = fake().await;
    let p = port(basic(&handle));
    let mb = anna();
    let (key, _) = p
        .create(&mb, Folder::Calendar, &weekly_series(), None)
        .await
        .expect("create series");
    let from = Utc
        .with_ymd_and_hms(2026, 11, 30, 0, 0, 0)
        .single()
        .expect("t");
    let to = from + chrono::Duration::days(60);
    let listed = p.list(&mb, Folder::Calendar, from, to).await.expect("list");
    assert_eq!(listed.len(), 1, "the series comes once, as its master");
    let Record::Appointment(master) = &listed[0].record else {
        panic!("kind")
    };
    assert_eq!(listed[0].key, key);
    let r = master.recurrence.as_ref().expect("recurrence");
    let occ = r.expand(&master.when, from, to);
    assert_eq!(occ.len(), 6);

    // Move the third occurrence by an hour and rename it.
    let third = ExchangeKey {
        item: key.item.clone(),
        occurrence: Some(occ[2].original_start),
    };
    let mut changed = master.clone();
    changed.recurrence = None;
    changed.subject = "Weekly sync (moved)".into();
    changed.when = When::timed(
        occ[2].original_start + chrono::Duration::hours(1),
        occ[2].original_start + chrono::Duration::hours(2),
        r.zone,
    );
    p.update(
        &mb,
        &third,
        &listed[0].version,
        &[Field::Subject, Field::When],
        &Record::Appointment(changed),
    )
    .await
    .expect("update occurrence");
    // Delete the second.
    p.delete(
        &mb,
        &ExchangeKey {
            item: key.item.clone(),
            occurrence: Some(occ[1].original_start),
        },
    )
    .await
    .expect("delete occurrence");

    let got = p
        .get(&mb, Folder::Calendar, std::slice::from_ref(&key.item))
        .await
        .expect("get");
    let item = got[0].clone().expect("ok").expect("exists");
    let Record::Appointment(m) = &item.record else {
        panic!("kind")
    };
    let r = m.recurrence.as_ref().expect("recurrence");
    assert_eq!(r.deleted, vec![occ[1].original_start]);
    assert_eq!(r.modified.len(), 1);
    assert_eq!(r.modified[0].original_start, occ[2].original_start);
    assert!(matches!(r.modified[0].when, When::Timed { start, .. }
        if start == occ[2].original_start + chrono::Duration::hours(1)));
    handle.shutdown().await.expect("shutdown");
}

#[tokio::test]
async fn impersonation_without_the_right_says_what_to_grant() {
    let handle = fake().await;
    let p = port(basic(&handle));
    let ben: Mailbox = BEN.parse().expect("mailbox");
    p.check(&anna()).await.expect("Anna's folders are readable");
    let e = p.check(&ben).await.expect_err("Ben is not granted");
    assert_eq!(e.kind, ErrorKind::PermissionDenied, "{}", e.message);
    let e = p
        .create(&ben, Folder::Calendar, &weekly_series(), None)
        .await
        .expect_err("not granted");
    assert_eq!(e.kind, ErrorKind::PermissionDenied, "{}", e.message);
    assert!(e.message.contains(BEN), "{}", e.message);
    eprintln!("{}", e.message);
    handle.shutdown().await.expect("shutdown");
}

/// The test app's certificate and key (tests/fixtures/oauth).
fn app_certificate() -> (Vec<u8>, Vec<u8>) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/oauth");
    let read = |name: &str| std::fs::read(format!("{dir}/{name}")).expect("fixture");
    (read("app.pem"), read("app.key"))
}

#[tokio::test]
async fn oauth_with_a_certificate_reaches_the_allowed_mailbox_only() {
    let handle = fake().await;
    let (cert, key) = app_certificate();
    handle
        .add_app(&AppSpec {
            client_id: "app-1".into(),
            tenant: "contoso".into(),
            secret: None,
            certificate_pem: Some(String::from_utf8(cert.clone()).expect("pem")),
            allowed_mailboxes: Some(vec![ANNA.into()]),
        })
        .expect("app");
    for style in [AssertionStyle::Ps256, AssertionStyle::Rs256] {
        let mut oauth = OAuth::new(
            "contoso",
            "app-1",
            ClientSecret::Certificate {
                key: CertificateKey::from_pem(&cert, &key).expect("key"),
                style,
            },
        );
        oauth.authority = handle.base_url();
        let p = port(EwsConfig::new(
            &handle.ews_url(),
            Credentials::OAuth(Box::new(oauth)),
        ));
        p.create(&anna(), Folder::Calendar, &weekly_series(), None)
            .await
            .unwrap_or_else(|e| panic!("{style:?}: {e}"));
        let e = p
            .create(
                &BEN.parse().expect("mb"),
                Folder::Calendar,
                &weekly_series(),
                None,
            )
            .await
            .expect_err("policy");
        assert_eq!(e.kind, ErrorKind::PermissionDenied, "{}", e.message);
        eprintln!("{}", e.message);
    }
    handle.shutdown().await.expect("shutdown");
}

#[tokio::test]
async fn contacts_go_into_the_configured_subfolder() {
    let handle = fake().await;
    let mut config = basic(&handle);
    config.contacts_folder = Some("CRM Kontakte".into());
    let p = port(config);
    let c = Record::Contact(Box::new(maiconnect_core::testing::samples::contact_a()));
    let (k1, _) = p
        .create(&anna(), Folder::Contacts, &c, None)
        .await
        .expect("create");
    let (k2, _) = p
        .create(&anna(), Folder::Contacts, &c, None)
        .await
        .expect("create");
    let listed = p
        .list(&anna(), Folder::Contacts, any_time(), any_time())
        .await
        .expect("list");
    let keys: Vec<_> = listed.iter().map(|i| i.key.clone()).collect();
    assert!(keys.contains(&k1) && keys.contains(&k2), "{keys:?}");
    let Record::Contact(back) = &listed[0].record else {
        panic!("kind")
    };
    assert_eq!(back.company, "Customer AG");
    assert_eq!(back.title, "Dr.");
    // Not in the Contacts folder itself.
    let plain = port(basic(&handle));
    let top = plain
        .list(&anna(), Folder::Contacts, any_time(), any_time())
        .await
        .expect("list");
    assert!(top.is_empty(), "{top:?}");
    handle.shutdown().await.expect("shutdown");
}

#[tokio::test]
async fn push_notifications_reach_the_callback_and_are_answered() {
    let handle = fake().await;
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    async fn notify(State(seen): State<Arc<Mutex<Vec<String>>>>, body: Bytes) -> Vec<u8> {
        let notes = parse_send_notification(&body).expect("SendNotification parses");
        let mut s = seen.lock().expect("lock");
        for n in notes {
            for e in n.events {
                s.push(format!("{:?}", e.kind));
            }
        }
        send_notification_result(SubscriptionStatus::Ok)
    }
    let app = Router::new()
        .route("/ews/notify", post(notify))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/ews/notify", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });

    let p = port(basic(&handle));
    let sub = p
        .subscribe(&anna(), &[Folder::Calendar], &url, 1, None)
        .await
        .expect("subscribe");
    assert!(sub.watermark.is_some());
    p.create(&anna(), Folder::Calendar, &weekly_series(), None)
        .await
        .expect("create");
    let mut kinds = Vec::new();
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        kinds = seen.lock().expect("lock").clone();
        if kinds.iter().any(|k| k == "Created") {
            break;
        }
    }
    assert!(kinds.iter().any(|k| k == "Created"), "{kinds:?}");
    p.unsubscribe(&anna(), &sub.id).await.expect("unsubscribe");
    handle.shutdown().await.expect("shutdown");
}

/// The occurrence starts the fake's own calendar view gives for `[from,
/// to)` (its expansion, in the zone it read from `StartTimeZone`).
async fn calendar_view(
    handle: &FakeExchangeHandle,
    from: chrono::DateTime<Utc>,
    to: chrono::DateTime<Utc>,
) -> Vec<chrono::DateTime<Utc>> {
    let headers = maiconnect_ews::soap::Headers {
        impersonate: Some(ANNA.into()),
        ..Default::default()
    };
    let fmt = |t: chrono::DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let view = format!(
        r#"<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties><t:FieldURI FieldURI="calendar:Start"/></t:AdditionalProperties></m:ItemShape><m:CalendarView StartDate="{}" EndDate="{}"/><m:ParentFolderIds><t:DistinguishedFolderId Id="calendar"/></m:ParentFolderIds></m:FindItem>"#,
        fmt(from),
        fmt(to)
    );
    let body = maiconnect_ews::soap::envelope(&headers, |w| {
        w.raw(&view);
    });
    let reply = reqwest::Client::new()
        .post(handle.ews_url())
        .basic_auth("svc-maiconnect@example.com", Some("pw"))
        .header("Content-Type", "text/xml; charset=utf-8")
        .body(body)
        .send()
        .await
        .expect("send")
        .bytes()
        .await
        .expect("body");
    let doc = maiconnect_ews::xml::Doc::parse(&reply).expect("xml");
    doc.root()
        .descendants_named("Start")
        .iter()
        .map(|s| {
            chrono::DateTime::parse_from_rfc3339(s.text())
                .expect("instant")
                .with_timezone(&Utc)
        })
        .collect()
}

/// A weekly Monday 09:00 series from `first` in `zone`, six times.
fn monday_nine(zone: Zone, first: NaiveDate) -> Record {
    let start = zone.instant(first.and_hms_opt(9, 0, 0).expect("time"));
    let mut a = maiconnect_core::model::Appointment::new(
        "Monday sync",
        When::timed(start, start + chrono::Duration::hours(1), zone),
    );
    a.recurrence = Some(Box::new(Recurrence {
        pattern: Pattern::Weekly {
            interval: 1,
            days: vec![Weekday::Mon],
            first_day_of_week: Weekday::Mon,
        },
        range: RecurrenceRange {
            start: first,
            end: RangeEnd::Numbered(6),
        },
        zone,
        modified: vec![],
        deleted: vec![],
        start_time: None,
    }));
    Record::Appointment(a)
}

/// Issue #23: a series in `zone` reaches the fake Exchange in that zone
/// (by Windows id, or as a custom definition), so the fake's own
/// occurrences stay at 09:00 local time across the spring DST change, and
/// the zone reads back as itself.
async fn a_series_keeps_its_local_time_through_exchange(name: &str) {
    let zone: Zone = name.parse().expect("zone");
    let handle = fake().await;
    let p = port(basic(&handle));
    let mb = anna();
    // Six Mondays from 16 March 2026: both sides of the EU change (29 March).
    let first = NaiveDate::from_ymd_opt(2026, 3, 16).expect("date");
    p.create(&mb, Folder::Calendar, &monday_nine(zone, first), None)
        .await
        .expect("create series");
    let from = Utc
        .with_ymd_and_hms(2026, 3, 1, 0, 0, 0)
        .single()
        .expect("t");
    let to = from + chrono::Duration::days(60);
    let starts = calendar_view(&handle, from, to).await;
    assert_eq!(starts.len(), 6, "{name}: {starts:?}");
    for s in &starts {
        assert_eq!(
            zone.local(*s).format("%a %H:%M").to_string(),
            "Mon 09:00",
            "{name}: the fake puts an occurrence at {s}"
        );
    }
    let listed = p.list(&mb, Folder::Calendar, from, to).await.expect("list");
    let Record::Appointment(master) = &listed[0].record else {
        panic!("kind")
    };
    let back = master.when.zone().expect("timed");
    for s in &starts {
        assert_eq!(
            back.offset_at(*s),
            zone.offset_at(*s),
            "{name} read back as {back}"
        );
    }
    handle.shutdown().await.expect("shutdown");
}

#[tokio::test]
async fn a_weekly_series_in_kyiv_keeps_its_local_time_through_exchange() {
    a_series_keeps_its_local_time_through_exchange("Europe/Kyiv").await;
}

#[tokio::test]
async fn a_weekly_series_in_kolkata_keeps_its_local_time_through_exchange() {
    a_series_keeps_its_local_time_through_exchange("Asia/Kolkata").await;
}

#[tokio::test]
async fn a_weekly_series_in_a_zone_without_windows_id_keeps_its_local_time() {
    // Troll (UTC+0, UTC+2 in summer) has no Windows zone: it goes as a
    // custom definition, which the fake validates against the schema.
    a_series_keeps_its_local_time_through_exchange("Antarctica/Troll").await;
}

#[tokio::test]
async fn a_custom_definition_with_many_groups_passes_the_schema() {
    // Casey's definition has fixed years, yearly rules and changes within a
    // year (AbsoluteDateTransition): the fake checks it against the schema.
    a_series_keeps_its_local_time_through_exchange("Antarctica/Casey").await;
}
