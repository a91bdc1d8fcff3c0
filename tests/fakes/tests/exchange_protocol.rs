//! The fake Exchange over HTTP: EWS operations, faults, push, auth. Every
//! EWS response is checked against the schema with xmllint.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use maiconnect_fakes::exchange::control::AppSpec;
use maiconnect_fakes::exchange::control::spec::ItemSpec;
use maiconnect_fakes::exchange::faults::{FaultRule, InjectedFault, Latency};
use maiconnect_fakes::exchange::state::NotificationOutcome;
use maiconnect_fakes::exchange::xml::{Element, MESSAGES_NS, TYPES_NS, parse};
use maiconnect_fakes::exchange::{FakeExchange, FakeExchangeConfig, FakeExchangeHandle};

const SVC: &str = "svc@example.com";
const PW: &str = "secret";
const ANNA: &str = "anna@example.com";
const BEN: &str = "ben@example.com";

async fn start(minute_ms: u64) -> FakeExchangeHandle {
    let h = FakeExchange::start(FakeExchangeConfig {
        seed: Some(42),
        minute: Duration::from_millis(minute_ms),
        notification_retries: 2,
        notification_timeout: Duration::from_millis(500),
        ..FakeExchangeConfig::default()
    })
    .await
    .unwrap();
    h.add_mailbox(ANNA, None).unwrap();
    h.add_mailbox(BEN, None).unwrap();
    h.add_service_user(SVC, PW, &[ANNA]).unwrap();
    h
}

fn basic() -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{SVC}:{PW}"))
    )
}

fn envelope(impersonate: &str, body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="{TYPES_NS}" xmlns:m="{MESSAGES_NS}"><soap:Header><t:RequestServerVersion Version="Exchange2013_SP1"/><t:ExchangeImpersonation><t:ConnectingSID><t:PrimarySmtpAddress>{impersonate}</t:PrimarySmtpAddress></t:ConnectingSID></t:ExchangeImpersonation></soap:Header><soap:Body>{body}</soap:Body></soap:Envelope>"#
    )
}

/// Posts a request; returns the HTTP status and the parsed envelope, after
/// checking a 200 answer against the schema.
async fn ews(h: &FakeExchangeHandle, auth: &str, impersonate: &str, body: &str) -> (u16, Element) {
    let resp = reqwest::Client::new()
        .post(h.ews_url())
        .header("authorization", auth)
        .header("content-type", "text/xml; charset=utf-8")
        .body(envelope(impersonate, body))
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    let doc = parse(text.as_bytes()).unwrap_or_else(|e| panic!("unparsable answer {e:?}: {text}"));
    if status == 200 {
        check_schema(&doc);
    }
    (status, doc)
}

fn with_ns(el: &Element) -> String {
    let xml = el.to_xml();
    let end = xml.find(['>', '/', ' ']).unwrap();
    format!(
        "{} xmlns:t=\"{TYPES_NS}\" xmlns:m=\"{MESSAGES_NS}\"{}",
        &xml[..end],
        &xml[end..]
    )
}

/// Validates the Body's first child and ServerVersionInfo with xmllint
/// (skipped without xmllint unless CI=true).
fn check_schema(doc: &Element) {
    let have = std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok();
    if !have {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "xmllint is missing: apt-get install -y libxml2-utils"
        );
        return;
    }
    let schema = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../maiconnect-ews/schema/ews-validate.xsd"
    );
    let body = doc.child("Body").and_then(Element::first_element).unwrap();
    let svi = doc
        .path(&["Header", "ServerVersionInfo"])
        .or_else(|| doc.path(&["Header", "RequestServerVersion"]))
        .unwrap();
    for part in [body, svi] {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("part.xml");
        std::fs::write(&file, with_ns(part)).unwrap();
        let out = std::process::Command::new("xmllint")
            .args(["--noout", "--schema", schema])
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{} breaks the schema: {}\n{}",
            part.name,
            String::from_utf8_lossy(&out.stderr),
            with_ns(part)
        );
    }
}

fn message(doc: &Element, n: usize) -> &Element {
    doc.child("Body")
        .and_then(Element::first_element)
        .and_then(|r| r.child("ResponseMessages"))
        .and_then(|m| m.elements().nth(n))
        .unwrap()
}

fn code(doc: &Element, n: usize) -> String {
    message(doc, n).child_text("ResponseCode").unwrap()
}

fn item_id(doc: &Element, n: usize) -> (String, String) {
    let id = message(doc, n)
        .child("Items")
        .and_then(Element::first_element)
        .and_then(|i| i.child("ItemId"))
        .unwrap();
    (
        id.attr("Id").unwrap().into(),
        id.attr("ChangeKey").unwrap().into(),
    )
}

fn fault_code(doc: &Element) -> String {
    doc.path(&["Body", "Fault", "detail", "ResponseCode"])
        .unwrap()
        .text()
}

fn create_body(subject: &str, start: &str, end: &str, extra: &str) -> String {
    format!(
        r#"<m:CreateItem SendMeetingInvitations="SendToNone"><m:SavedItemFolderId><t:DistinguishedFolderId Id="calendar"/></m:SavedItemFolderId><m:Items><t:CalendarItem><t:Subject>{subject}</t:Subject><t:ExtendedProperty><t:ExtendedFieldURI DistinguishedPropertySetId="PublicStrings" PropertyName="S4Key" PropertyType="String"/><t:Value>K-{subject}</t:Value></t:ExtendedProperty><t:Start>{start}</t:Start><t:End>{end}</t:End>{extra}</t:CalendarItem></m:Items></m:CreateItem>"#
    )
}

fn update_body(id: &str, ck: &str, resolution: &str, field: &str, value: &str) -> String {
    format!(
        r#"<m:UpdateItem ConflictResolution="{resolution}" SendMeetingInvitationsOrCancellations="SendToNone"><m:ItemChanges><t:ItemChange><t:ItemId Id="{id}" ChangeKey="{ck}"/><t:Updates><t:SetItemField><t:FieldURI FieldURI="{field}"/><t:CalendarItem>{value}</t:CalendarItem></t:SetItemField></t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>"#
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn change_keys_conflicts_and_batches() {
    let h = start(60_000).await;
    let (s, doc) = ews(
        &h,
        &basic(),
        ANNA,
        &create_body(
            "One",
            "2026-06-01T09:00:00Z",
            "2026-06-01T10:00:00Z",
            "<t:Location>Bonn</t:Location>",
        ),
    )
    .await;
    assert_eq!((s, code(&doc, 0)), (200, "NoError".to_string()));
    let (id, ck1) = item_id(&doc, 0);
    // A change gives a new change key.
    let (_, doc) = ews(
        &h,
        &basic(),
        ANNA,
        &update_body(
            &id,
            &ck1,
            "AutoResolve",
            "item:Subject",
            "<t:Subject>Two</t:Subject>",
        ),
    )
    .await;
    assert_eq!(code(&doc, 0), "NoError");
    let (_, ck2) = item_id(&doc, 0);
    assert_ne!(ck1, ck2);
    // The stale key: NeverOverwrite always conflicts…
    let (_, doc) = ews(
        &h,
        &basic(),
        ANNA,
        &update_body(
            &id,
            &ck1,
            "NeverOverwrite",
            "calendar:Location",
            "<t:Location>Köln</t:Location>",
        ),
    )
    .await;
    assert_eq!(code(&doc, 0), "ErrorIrresolvableConflict");
    // …AutoResolve only when the same property changed since.
    let (_, doc) = ews(
        &h,
        &basic(),
        ANNA,
        &update_body(
            &id,
            &ck1,
            "AutoResolve",
            "item:Subject",
            "<t:Subject>Three</t:Subject>",
        ),
    )
    .await;
    assert_eq!(code(&doc, 0), "ErrorIrresolvableConflict");
    let (_, doc) = ews(
        &h,
        &basic(),
        ANNA,
        &update_body(
            &id,
            &ck1,
            "AutoResolve",
            "calendar:Location",
            "<t:Location>Köln</t:Location>",
        ),
    )
    .await;
    assert_eq!(code(&doc, 0), "NoError");
    // A batched GetItem: one good id, one unknown, one malformed.
    let missing = {
        let (_, d) = ews(
            &h,
            &basic(),
            ANNA,
            &create_body("Gone", "2026-06-02T09:00:00Z", "2026-06-02T10:00:00Z", ""),
        )
        .await;
        let (gone, _) = item_id(&d, 0);
        let (_, del) = ews(&h, &basic(), ANNA, &format!(r#"<m:DeleteItem DeleteType="HardDelete" SendMeetingCancellations="SendToNone"><m:ItemIds><t:ItemId Id="{gone}"/></m:ItemIds></m:DeleteItem>"#)).await;
        assert_eq!(code(&del, 0), "NoError");
        gone
    };
    let get = format!(
        r#"<m:GetItem><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape><t:AdditionalProperties><t:ExtendedFieldURI DistinguishedPropertySetId="PublicStrings" PropertyName="S4Key" PropertyType="String"/></t:AdditionalProperties></m:ItemShape><m:ItemIds><t:ItemId Id="{id}"/><t:ItemId Id="{missing}"/><t:ItemId Id="bm90IG91cnM="/></m:ItemIds></m:GetItem>"#
    );
    let (_, doc) = ews(&h, &basic(), ANNA, &get).await;
    assert_eq!(
        (code(&doc, 0), code(&doc, 1), code(&doc, 2)),
        (
            "NoError".into(),
            "ErrorItemNotFound".into(),
            "ErrorInvalidIdMalformed".into()
        )
    );
    let item = message(&doc, 0)
        .child("Items")
        .and_then(Element::first_element)
        .unwrap();
    assert_eq!(item.child_text("Subject").unwrap(), "Two");
    assert_eq!(item.child_text("Location").unwrap(), "Köln");
    assert_eq!(
        item.path(&["ExtendedProperty", "Value"]).unwrap().text(),
        "K-One"
    );
    // The control API sees the same item.
    let json = h.item(ANNA, &id).unwrap();
    assert_eq!(json["subject"], "Two");
    // A restriction on the extended property finds it.
    let find = r#"<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:IndexedPageItemView MaxEntriesReturned="10" Offset="0" BasePoint="Beginning"/><m:Restriction><t:IsEqualTo><t:ExtendedFieldURI DistinguishedPropertySetId="PublicStrings" PropertyName="S4Key" PropertyType="String"/><t:FieldURIOrConstant><t:Constant Value="K-One"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction><m:ParentFolderIds><t:DistinguishedFolderId Id="calendar"/></m:ParentFolderIds></m:FindItem>"#;
    let (_, doc) = ews(&h, &basic(), ANNA, find).await;
    let root = message(&doc, 0).child("RootFolder").unwrap();
    assert_eq!(root.attr("TotalItemsInView"), Some("1"));
    h.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_and_malformed_requests_get_the_schema_fault() {
    let h = start(60_000).await;
    let (s, doc) = ews(
        &h,
        &basic(),
        ANNA,
        r#"<m:GetItem><m:ItemIds><t:ItemId Id="x"/></m:ItemIds></m:GetItem>"#,
    )
    .await;
    assert_eq!(
        (s, fault_code(&doc)),
        (500, "ErrorSchemaValidation".to_string())
    );
    let mx = doc
        .path(&["Body", "Fault", "detail", "MessageXml"])
        .unwrap();
    assert_eq!(mx.child_text("LineNumber").unwrap(), "1");
    assert!(
        mx.child_text("Violation").unwrap().contains("ItemIds"),
        "{}",
        mx.to_xml()
    );
    let resp = reqwest::Client::new()
        .post(h.ews_url())
        .header("authorization", basic())
        .body("<soap:Envelope><oops")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 500);
    let text = resp.text().await.unwrap();
    assert!(text.contains("a:ErrorSchemaValidation"), "{text}");
    let resp = reqwest::Client::new()
        .post(h.ews_url())
        .header("authorization", basic())
        .body("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>")
        .send()
        .await
        .unwrap();
    let text = resp.text().await.unwrap();
    assert!(text.contains("DTD is prohibited"), "{text}");
    h.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn calendar_view_expands_series_with_modified_and_deleted_occurrences() {
    let h = start(60_000).await;
    let rec = "<t:Recurrence><t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Monday</t:DaysOfWeek></t:WeeklyRecurrence><t:NumberedRecurrence><t:StartDate>2026-03-16</t:StartDate><t:NumberOfOccurrences>4</t:NumberOfOccurrences></t:NumberedRecurrence></t:Recurrence><t:StartTimeZone Id=\"W. Europe Standard Time\"/>";
    let (_, doc) = ews(
        &h,
        &basic(),
        ANNA,
        &create_body("Weekly", "2026-03-16T09:00:00", "2026-03-16T10:00:00", rec),
    )
    .await;
    let (master, _) = item_id(&doc, 0);
    // Move the second occurrence by two hours, delete the third.
    let upd = format!(
        r#"<m:UpdateItem ConflictResolution="AlwaysOverwrite" SendMeetingInvitationsOrCancellations="SendToNone"><m:ItemChanges><t:ItemChange><t:OccurrenceItemId RecurringMasterId="{master}" InstanceIndex="2"/><t:Updates><t:SetItemField><t:FieldURI FieldURI="calendar:Start"/><t:CalendarItem><t:Start>2026-03-23T10:00:00Z</t:Start></t:CalendarItem></t:SetItemField><t:SetItemField><t:FieldURI FieldURI="calendar:End"/><t:CalendarItem><t:End>2026-03-23T11:00:00Z</t:End></t:CalendarItem></t:SetItemField></t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>"#
    );
    let (_, doc) = ews(&h, &basic(), ANNA, &upd).await;
    assert_eq!(code(&doc, 0), "NoError");
    let del = format!(
        r#"<m:DeleteItem DeleteType="HardDelete" SendMeetingCancellations="SendToNone"><m:ItemIds><t:OccurrenceItemId RecurringMasterId="{master}" InstanceIndex="3"/></m:ItemIds></m:DeleteItem>"#
    );
    let (_, doc) = ews(&h, &basic(), ANNA, &del).await;
    assert_eq!(code(&doc, 0), "NoError");
    let view = r#"<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties><t:FieldURI FieldURI="calendar:Start"/><t:FieldURI FieldURI="calendar:CalendarItemType"/><t:FieldURI FieldURI="calendar:OriginalStart"/></t:AdditionalProperties></m:ItemShape><m:CalendarView StartDate="2026-03-01T00:00:00Z" EndDate="2026-04-30T00:00:00Z"/><m:ParentFolderIds><t:DistinguishedFolderId Id="calendar"/></m:ParentFolderIds></m:FindItem>"#;
    let (_, doc) = ews(&h, &basic(), ANNA, view).await;
    let items: Vec<(String, String)> = message(&doc, 0)
        .path(&["RootFolder", "Items"])
        .unwrap()
        .elements()
        .map(|i| {
            (
                i.child_text("Start").unwrap(),
                i.child_text("CalendarItemType").unwrap(),
            )
        })
        .collect();
    // 09:00 Berlin is 08:00Z before the DST change (29 March) and 07:00Z after.
    assert_eq!(
        items,
        vec![
            ("2026-03-16T08:00:00Z".into(), "Occurrence".into()),
            ("2026-03-23T10:00:00Z".into(), "Exception".into()),
            ("2026-04-06T07:00:00Z".into(), "Occurrence".into()),
        ]
    );
    // GetItem on the master lists the exception and the deletion.
    let get = format!(
        r#"<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties><t:FieldURI FieldURI="calendar:ModifiedOccurrences"/><t:FieldURI FieldURI="calendar:DeletedOccurrences"/><t:FieldURI FieldURI="calendar:CalendarItemType"/></t:AdditionalProperties></m:ItemShape><m:ItemIds><t:ItemId Id="{master}"/></m:ItemIds></m:GetItem>"#
    );
    let (_, doc) = ews(&h, &basic(), ANNA, &get).await;
    let item = message(&doc, 0)
        .child("Items")
        .and_then(Element::first_element)
        .unwrap();
    assert_eq!(
        item.child_text("CalendarItemType").unwrap(),
        "RecurringMaster"
    );
    assert_eq!(
        item.path(&["ModifiedOccurrences", "Occurrence", "OriginalStart"])
            .unwrap()
            .text(),
        "2026-03-23T08:00:00Z"
    );
    assert_eq!(
        item.path(&["DeletedOccurrences", "DeletedOccurrence", "Start"])
            .unwrap()
            .text(),
        "2026-03-30T07:00:00Z"
    );
    h.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_folder_items_pages_with_opaque_states() {
    let h = start(60_000).await;
    for n in 0..5 {
        h.create_item(
            ANNA,
            Some("tasks"),
            &ItemSpec {
                kind: Some("task".into()),
                subject: Some(format!("T{n}")),
                ..Default::default()
            },
        )
        .unwrap();
    }
    let sync = |state: &str| {
        let st = if state.is_empty() {
            String::new()
        } else {
            format!("<m:SyncState>{state}</m:SyncState>")
        };
        format!(
            r#"<m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:SyncFolderId><t:DistinguishedFolderId Id="tasks"/></m:SyncFolderId>{st}<m:MaxChangesReturned>3</m:MaxChangesReturned></m:SyncFolderItems>"#
        )
    };
    let (_, doc) = ews(&h, &basic(), ANNA, &sync("")).await;
    let m = message(&doc, 0);
    assert_eq!(m.child_text("IncludesLastItemInRange").unwrap(), "false");
    assert_eq!(
        m.child("Changes").unwrap().children_named("Create").count(),
        3
    );
    let s1 = m.child_text("SyncState").unwrap();
    let (_, doc) = ews(&h, &basic(), ANNA, &sync(&s1)).await;
    let m = message(&doc, 0);
    assert_eq!(m.child_text("IncludesLastItemInRange").unwrap(), "true");
    assert_eq!(
        m.child("Changes").unwrap().children_named("Create").count(),
        2
    );
    let s2 = m.child_text("SyncState").unwrap();
    // One update, one delete since s2.
    let items = h.items(ANNA, Some("tasks")).unwrap();
    let first = items[0]["id"].as_str().unwrap().to_string();
    let second = items[1]["id"].as_str().unwrap().to_string();
    h.update_item(
        ANNA,
        &first,
        &ItemSpec {
            kind: Some("task".into()),
            subject: Some("T0 changed".into()),
            ..Default::default()
        },
    )
    .unwrap();
    h.delete_item(ANNA, &second).unwrap();
    let (_, doc) = ews(&h, &basic(), ANNA, &sync(&s2)).await;
    let changes = message(&doc, 0).child("Changes").unwrap();
    let kinds: Vec<&str> = changes.elements().map(|e| e.name.as_str()).collect();
    assert_eq!(kinds, vec!["Update", "Delete"]);
    assert_eq!(
        changes.path(&["Delete", "ItemId"]).unwrap().attr("Id"),
        Some(second.as_str())
    );
    let (_, doc) = ews(&h, &basic(), ANNA, &sync("Z2FyYmFnZQ==")).await;
    assert_eq!(code(&doc, 0), "ErrorInvalidSyncStateData");
    h.shutdown().await.unwrap();
}

/// A push listener that answers OK, Unsubscribe or 500 as told.
async fn listener(answer: Arc<Mutex<&'static str>>) -> (String, Arc<Mutex<Vec<String>>>) {
    let got = Arc::new(Mutex::new(Vec::new()));
    let g = Arc::clone(&got);
    let app = axum::Router::new().route(
        "/push",
        axum::routing::post(move |body: String| {
            let g = Arc::clone(&g);
            let answer = Arc::clone(&answer);
            async move {
                g.lock().unwrap().push(body);
                let a = *answer.lock().unwrap();
                if a == "fail" {
                    return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, String::new());
                }
                (axum::http::StatusCode::OK, format!(r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><m:SendNotificationResult xmlns:m="{MESSAGES_NS}"><m:SubscriptionStatus>{a}</m:SubscriptionStatus></m:SendNotificationResult></s:Body></s:Envelope>"#))
            }
        }),
    );
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/push", l.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    (url, got)
}

fn subscribe_body(url: &str, watermark: Option<&str>) -> String {
    let wm = watermark
        .map(|w| format!("<t:Watermark>{w}</t:Watermark>"))
        .unwrap_or_default();
    format!(
        r#"<m:Subscribe><m:PushSubscriptionRequest><t:FolderIds><t:DistinguishedFolderId Id="calendar"/></t:FolderIds><t:EventTypes><t:EventType>CreatedEvent</t:EventType><t:EventType>ModifiedEvent</t:EventType><t:EventType>DeletedEvent</t:EventType></t:EventTypes>{wm}<t:StatusFrequency>1</t:StatusFrequency><t:URL>{url}</t:URL></m:PushSubscriptionRequest></m:Subscribe>"#
    )
}

/// A one-hour calendar item at 09:00 UTC on `day`.
fn meeting(subject: &str, day: &str) -> ItemSpec {
    ItemSpec {
        subject: Some(subject.into()),
        start: Some(format!("{day}T09:00:00Z").parse().unwrap()),
        end: Some(format!("{day}T10:00:00Z").parse().unwrap()),
        ..Default::default()
    }
}

/// Waits until the listener got an `event` notification naming `id`.
async fn pushed(got: &Mutex<Vec<String>>, event: &str, id: &str) {
    wait_for(|| {
        got.lock()
            .unwrap()
            .iter()
            .any(|b| b.contains(event) && b.contains(id))
    })
    .await;
}

async fn wait_for(mut f: impl FnMut() -> bool) {
    for _ in 0..200 {
        if f() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("condition not reached in 5 s");
}

/// A write wakes the push tasks of its own mailbox at once, long before any
/// heartbeat (the "minute" here is a real one), through EWS and through the
/// control API alike; another mailbox's write sends nothing.
#[tokio::test(flavor = "multi_thread")]
async fn a_write_is_pushed_at_once_to_its_mailbox_only() {
    let h = start(60_000).await;
    let (url, got) = listener(Arc::new(Mutex::new("OK"))).await;
    let (_, doc) = ews(&h, &basic(), ANNA, &subscribe_body(&url, None)).await;
    assert_eq!(code(&doc, 0), "NoError");
    h.create_item(BEN, Some("calendar"), &meeting("Elsewhere", "2026-06-01"))
        .unwrap();
    let body = create_body("Pushed", "2026-06-01T09:00:00Z", "2026-06-01T10:00:00Z", "");
    let (_, doc) = ews(&h, &basic(), ANNA, &body).await;
    let (id, _) = item_id(&doc, 0);
    pushed(&got, "CreatedEvent", &id).await;
    let (control_id, _) = h
        .create_item(ANNA, Some("calendar"), &meeting("By hand", "2026-06-02"))
        .unwrap();
    pushed(&got, "CreatedEvent", &control_id).await;
    let sent = got.lock().unwrap().clone();
    assert_eq!(
        sent.len(),
        2,
        "one notification per write in Anna's mailbox: {sent:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn push_notifications_heartbeats_unsubscribe_retries_and_replay() {
    let h = start(200).await;
    let answer = Arc::new(Mutex::new("OK"));
    let (url, got) = listener(Arc::clone(&answer)).await;
    let (_, doc) = ews(&h, &basic(), ANNA, &subscribe_body(&url, None)).await;
    assert_eq!(code(&doc, 0), "NoError");
    let sub_id = message(&doc, 0).child_text("SubscriptionId").unwrap();
    let wm0 = message(&doc, 0).child_text("Watermark").unwrap();
    let (id, _) = h
        .create_item(ANNA, Some("calendar"), &meeting("Pushed", "2026-06-01"))
        .unwrap();
    pushed(&got, "CreatedEvent", &id).await;
    // A heartbeat follows within the status frequency (one 200 ms minute).
    wait_for(|| {
        got.lock()
            .unwrap()
            .iter()
            .any(|b| b.contains("StatusEvent"))
    })
    .await;
    // Each notification is a schema-valid SendNotification.
    let first = got.lock().unwrap()[0].clone();
    check_schema(&parse(first.as_bytes()).unwrap());
    // Drop one notification: the event is lost for the listener.
    h.drop_notifications(1).unwrap();
    h.update_item(
        ANNA,
        &id,
        &ItemSpec {
            subject: Some("dropped".into()),
            ..Default::default()
        },
    )
    .unwrap();
    wait_for(|| {
        h.notifications()
            .iter()
            .any(|n| n.outcome == NotificationOutcome::Dropped)
    })
    .await;
    // Replay from the first watermark: a new subscription gets the past events.
    let (url2, got2) = listener(Arc::new(Mutex::new("OK"))).await;
    let (_, doc) = ews(&h, &basic(), ANNA, &subscribe_body(&url2, Some(&wm0))).await;
    assert_eq!(code(&doc, 0), "NoError");
    wait_for(|| {
        got2.lock()
            .unwrap()
            .iter()
            .any(|b| b.contains("CreatedEvent") && b.contains("ModifiedEvent"))
    })
    .await;
    let (_, doc) = ews(
        &h,
        &basic(),
        ANNA,
        &subscribe_body(&url2, Some("RlhXAAAAAAEAAAAAAAAD6A==")),
    )
    .await;
    assert_eq!(code(&doc, 0), "ErrorInvalidWatermark");
    // The listener answers Unsubscribe: the subscription ends.
    *answer.lock().unwrap() = "Unsubscribe";
    wait_for(|| {
        h.subscriptions().iter().any(|s| {
            s.id == sub_id
                && s.state != maiconnect_fakes::exchange::state::SubscriptionState::Active
        })
    })
    .await;
    let (_, doc) = ews(
        &h,
        &basic(),
        ANNA,
        &format!("<m:Unsubscribe><m:SubscriptionId>{sub_id}</m:SubscriptionId></m:Unsubscribe>"),
    )
    .await;
    assert_eq!(code(&doc, 0), "ErrorSubscriptionNotFound");
    // A listener that fails: retries (2), then the subscription is dropped.
    let failing = Arc::new(Mutex::new("fail"));
    let (url3, got3) = listener(Arc::clone(&failing)).await;
    let (_, doc) = ews(&h, &basic(), ANNA, &subscribe_body(&url3, None)).await;
    let sub3 = message(&doc, 0).child_text("SubscriptionId").unwrap();
    h.create_item(ANNA, Some("calendar"), &meeting("x", "2026-06-02"))
        .unwrap();
    wait_for(|| {
        h.subscriptions().iter().any(|s| {
            s.id == sub3 && s.state != maiconnect_fakes::exchange::state::SubscriptionState::Active
        })
    })
    .await;
    assert_eq!(got3.lock().unwrap().len(), 3, "one try and two retries");
    h.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_busy_unavailable_and_concurrency() {
    let h = start(60_000).await;
    let find = r#"<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id="calendar"/></m:ParentFolderIds></m:FindItem>"#;
    h.inject_fault(FaultRule {
        fault: InjectedFault::ServerBusy { back_off_ms: 1500 },
        count: 1,
        operation: Some("FindItem".into()),
    })
    .unwrap();
    let (s, doc) = ews(&h, &basic(), ANNA, find).await;
    assert_eq!((s, fault_code(&doc)), (500, "ErrorServerBusy".to_string()));
    assert_eq!(
        doc.path(&["Body", "Fault", "detail", "MessageXml", "Value"])
            .unwrap()
            .text(),
        "1500"
    );
    let (s, _) = ews(&h, &basic(), ANNA, find).await;
    assert_eq!(s, 200);
    h.inject_fault(FaultRule {
        fault: InjectedFault::Unavailable {
            retry_after_secs: 7,
        },
        count: 1,
        operation: None,
    })
    .unwrap();
    let resp = reqwest::Client::new()
        .post(h.ews_url())
        .header("authorization", basic())
        .body(envelope(ANNA, find))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 503);
    assert_eq!(resp.headers()["retry-after"], "7");
    h.inject_fault(FaultRule {
        fault: InjectedFault::ResponseCode {
            code: "ErrorMailboxMoveInProgress".into(),
            message: None,
        },
        count: 1,
        operation: None,
    })
    .unwrap();
    let (_, doc) = ews(&h, &basic(), ANNA, find).await;
    assert_eq!(
        code(&doc, 0),
        "ErrorMailboxMoveInProgress",
        "{}",
        doc.to_xml()
    );
    // Two at once with a limit of one: the second is refused.
    h.set_concurrency_limit(1).unwrap();
    h.set_latency(Latency {
        fixed_ms: 300,
        jitter_ms: 0,
    })
    .unwrap();
    let auth = basic();
    let (a, b) = tokio::join!(ews(&h, &auth, ANNA, find), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        ews(&h, &auth, ANNA, find).await
    });
    assert_eq!(a.0, 200);
    assert_eq!(
        (b.0, fault_code(&b.1)),
        (500, "ErrorExceededConnectionCount".to_string())
    );
    h.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn basic_oauth_and_impersonation_rules() {
    let h = start(60_000).await;
    let find = r#"<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id="calendar"/></m:ParentFolderIds></m:FindItem>"#;
    let wrong = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{SVC}:nope"))
    );
    let resp = reqwest::Client::new()
        .post(h.ews_url())
        .header("authorization", wrong)
        .body(envelope(ANNA, find))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    assert!(resp.headers().get("www-authenticate").is_some());
    let (s, doc) = ews(&h, &basic(), BEN, find).await;
    assert_eq!(
        (s, fault_code(&doc)),
        (500, "ErrorImpersonateUserDenied".to_string())
    );
    let (_, doc) = ews(&h, &basic(), "nobody@example.com", find).await;
    assert_eq!(fault_code(&doc), "ErrorNonExistentMailbox");
    // OAuth: secret, certificate assertion, bad signature, expiry, policy.
    let (cert, key) = maiconnect_fakes::exchange::auth::jwt::generate_certificate("t").unwrap();
    h.add_app(&AppSpec {
        client_id: "cid".into(),
        tenant: "contoso".into(),
        secret: Some("s3".into()),
        certificate_pem: Some(cert.clone()),
        allowed_mailboxes: Some(vec![BEN.into()]),
    })
    .unwrap();
    let client = reqwest::Client::new();
    let token_url = h.token_url("contoso");
    let form = |extra: Vec<(&'static str, String)>| -> Vec<(&'static str, String)> {
        let mut f = vec![
            ("grant_type", "client_credentials".to_string()),
            ("client_id", "cid".into()),
            ("scope", "https://outlook.office365.com/.default".into()),
        ];
        f.extend(extra);
        f
    };
    let r = client
        .post(&token_url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encode(&form(vec![("client_secret", "s3".into())])))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let tok: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(tok["token_type"], "Bearer");
    let bearer = format!("Bearer {}", tok["access_token"].as_str().unwrap());
    let (s, _) = ews(&h, &bearer, BEN, find).await;
    assert_eq!(s, 200);
    let (_, doc) = ews(&h, &bearer, ANNA, find).await;
    assert_eq!(fault_code(&doc), "ErrorAccessDenied");
    let no_header = format!(
        r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="{TYPES_NS}" xmlns:m="{MESSAGES_NS}"><soap:Body>{find}</soap:Body></soap:Envelope>"#
    );
    let r = client
        .post(h.ews_url())
        .header("authorization", &bearer)
        .body(no_header)
        .send()
        .await
        .unwrap();
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("ErrorInvalidExchangeImpersonationHeaderData")
    );
    let now = h.clock(&Default::default()).unwrap();
    let assertion = maiconnect_fakes::exchange::auth::jwt::sign_assertion(
        &key, &cert, "cid", &token_url, now, true,
    )
    .unwrap();
    let jwt_form = |a: String| {
        form(vec![
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".into(),
            ),
            ("client_assertion", a),
        ])
    };
    let r = client
        .post(&token_url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encode(&jwt_form(assertion.clone())))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let (_, other_key) =
        maiconnect_fakes::exchange::auth::jwt::generate_certificate("evil").unwrap();
    let forged = maiconnect_fakes::exchange::auth::jwt::sign_assertion(
        &other_key, &cert, "cid", &token_url, now, true,
    )
    .unwrap();
    let r = client
        .post(&token_url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encode(&jwt_form(forged)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let body: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(body["error"], "invalid_client");
    assert_eq!(body["error_codes"][0], 700027);
    // Tokens expire on the fake's clock.
    h.clock(&maiconnect_fakes::exchange::control::ClockRequest {
        advance_seconds: Some(3600.0),
        ..Default::default()
    })
    .unwrap();
    let r = client
        .post(h.ews_url())
        .header("authorization", &bearer)
        .body(envelope(BEN, find))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    h.shutdown().await.unwrap();
}

fn encode(pairs: &[(&str, String)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}
