//! Every response and notification sample of `tests/samples`
//! decodes, with assertions on what was understood; samples that are not
//! well-formed as published fail with a clear error.

use std::path::{Path, PathBuf};
use std::time::Duration;

use maiconnect_core::model::{Pattern, RangeEnd, Record, TaskStatus};
use maiconnect_ews::operations::*;
use maiconnect_ews::{EwsError, ResponseCode, decode};
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/samples")
}

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Samples SOURCES.md lists as not well-formed as published.
const BROKEN: &[(&str, &str)] = &[
    ("exchangeimpersonation-header-sid-fragment.xml", "prefix"),
    ("exchangeimpersonation-header-smtp-fragment.xml", "prefix"),
    ("exchangeimpersonation-header-upn-fragment.xml", "prefix"),
    (
        "getstreamingevents-response-fragment.xml",
        "more than one root",
    ),
    (
        "subscribe-streaming-affinity-impersonation-request.http",
        "outside the root",
    ),
    (
        "subscribe-streaming-affinity-impersonation-response.http",
        "outside the root",
    ),
    (
        "workmail-sendnotificationresult-ok-response.xml",
        "declaration",
    ),
    (
        "workmail-sendnotificationresult-unsubscribe-response.xml",
        "declaration",
    ),
];

#[test]
fn every_sample_decodes_or_fails_clearly() {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .expect("samples dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".xml") || n.ends_with(".http"))
        .collect();
    names.sort();
    assert!(names.len() >= 90, "{} samples", names.len());
    let mut decoded = 0;
    for name in &names {
        let bytes = sample(name);
        match (decode(&bytes), BROKEN.iter().find(|(n, _)| n == name)) {
            (Ok(v), None) => {
                assert!(v.get("kind").is_some(), "{name}: {v}");
                decoded += 1;
            }
            (Err(e), Some((_, why))) => {
                assert!(matches!(e, EwsError::Xml(_)), "{name}: {e}");
                assert!(e.to_string().contains(why), "{name}: {e}");
            }
            (Ok(v), Some(_)) => panic!("{name} is broken as published but decoded: {v}"),
            (Err(e), None) => panic!("{name} did not decode: {e}"),
        }
    }
    assert_eq!(decoded, names.len() - BROKEN.len());
}

fn one_message(v: &Value) -> &Value {
    let msgs = v["messages"].as_array().expect("messages");
    assert_eq!(msgs.len(), 1, "{v}");
    &msgs[0]
}

#[test]
fn responses_decode_to_codes_items_and_states() {
    let v = decode(&sample("getitem-calendaritem-response.xml")).unwrap();
    assert_eq!(v["kind"], "response");
    assert_eq!(v["operation"], "GetItem");
    let m = one_message(&v);
    assert_eq!(m["response_class"], "Success");
    let item = &m["items"][0]["item"];
    assert_eq!(item["key"]["item"], "ASUAdT");
    assert_eq!(item["version"], "otlIqB==");
    assert_eq!(
        item["record"]["record"]["when"]["start"],
        "2006-06-16T00:30:00Z"
    );
    // The legacy TimeZone element of Exchange 2007 names the zone.
    assert_eq!(
        item["record"]["record"]["when"]["zone"],
        "America/Los_Angeles"
    );
    assert_eq!(item["record"]["record"]["organizer"], "someone@example.com");
    assert_eq!(item["record"]["record"]["reminder"]["minutes_before"], 15);

    let v = decode(&sample("syncfolderitems-response.xml")).unwrap();
    let m = one_message(&v);
    assert_eq!(m["sync_state"], "H4sIAAAAA=");
    assert_eq!(m["includes_last_item_in_range"], true);
    assert_eq!(m["changes"][0]["change"], "Create");
    assert_eq!(m["changes"][0]["item_id"]["id"], "AQApAHRwA==");

    let v = decode(&sample("subscribe-push-response.xml")).unwrap();
    let m = one_message(&v);
    assert_eq!(m["subscription_id"], "83826921-afdf-48be-b469-628cc02b5f49");
    assert_eq!(m["watermark"], "AQAAAOpvG0LURVdOhQkPOWZLPcI8EgAAAAAAAAE=");

    let v = decode(&sample("getevents-response.xml")).unwrap();
    let n = &one_message(&v)["notification"];
    assert_eq!(n["subscription_id"], "f6bc657d-dde1-4f94-952d-143b95d6483d");
    assert_eq!(n["events"][1]["watermark"], "AAAAAOQGAAAAAAAAAQ==");
    assert_eq!(n["events"][1]["timestamp"], "2006-08-22T01:00:50Z");

    let v = decode(&sample("error-itemnotfound-getfolder-response.xml")).unwrap();
    assert_eq!(v["server_version"]["version"], "Exchange2010_SP2");
    let m = one_message(&v);
    assert_eq!(m["response_class"], "Error");
    assert_eq!(m["response_code"], "ErrorItemNotFound");
    assert_eq!(m["error_kind"], "not found");

    let v = decode(&sample("error-serverbusy-fault-response.xml")).unwrap();
    assert_eq!(v["kind"], "fault");
    assert_eq!(v["response_code"], "ErrorServerBusy");
    assert_eq!(v["back_off_ms"], 297749);

    let v = decode(&sample("finditem-calendarview-response.xml")).unwrap();
    let root = &one_message(&v)["root_folder"];
    assert_eq!(root["total_items_in_view"], 33);
    assert_eq!(root["includes_last_item_in_range"], false);
    assert_eq!(root["items"].as_array().unwrap().len(), 5);
    assert_eq!(
        root["items"][4]["item"]["record"]["record"]["subject"],
        "Online training webcast"
    );

    let v = decode(&sample("sendnotificationresult-unsubscribe-response.xml")).unwrap();
    assert_eq!(v["kind"], "send_notification_result");
    assert_eq!(v["subscription_status"], "Unsubscribe");

    let v = decode(&sample("sendnotification-statusevent-request.xml")).unwrap();
    assert_eq!(v["kind"], "notification");
    assert_eq!(v["request_server_version"], "Exchange2016");
    assert_eq!(
        one_message(&v)["notification"]["events"][0]["kind"],
        "Status"
    );

    // The broken namespace URI of this Microsoft sample does not matter.
    let v = decode(&sample("updateitem-appointment-response.xml")).unwrap();
    assert_eq!(one_message(&v)["items"][0]["id"]["change_key"], "DwAAAB");
}

fn cx() -> Context<'static> {
    Context::new("anna.berg@example.com")
}

#[test]
fn typed_parsers_read_the_samples() {
    let get = GetItem {
        shape: ItemShape::id_only(),
        ids: vec![],
    };
    let items = get
        .parse_response(&sample("getitem-task-response.xml"), &cx())
        .unwrap();
    let Record::Task(t) = &items[0].as_ref().unwrap().item.record else {
        panic!("task")
    };
    assert_eq!(t.subject, "Buy new shoes");
    assert_eq!(t.status, TaskStatus::NotStarted);
    assert!(!t.completed);

    let items = get
        .parse_response(&sample("getitem-contact-response.xml"), &cx())
        .unwrap();
    let Record::Contact(c) = &items[0].as_ref().unwrap().item.record else {
        panic!("contact")
    };
    assert_eq!(c.display_name, "Tanja Plate");
    assert_eq!(c.company, "Northwind Traders");
    assert_eq!(c.emails.len(), 2);
    assert_eq!(c.business_phone, "5625550199");
    assert_eq!(c.business_address.city, "Whittier");
    // Microsoft's sample writes Country instead of CountryOrRegion.
    assert_eq!(c.business_address.country, "USA");
    assert_eq!(c.job_title, "Project Manager");

    let items = get
        .parse_response(&sample("getitem-recurringmaster-response.xml"), &cx())
        .unwrap();
    let read = items[0].as_ref().unwrap();
    assert_eq!(read.calendar_type.as_deref(), Some("RecurringMaster"));
    let Record::Appointment(a) = &read.item.record else {
        panic!("appointment")
    };
    let r = a.recurrence.as_ref().expect("recurrence");
    assert!(matches!(&r.pattern, Pattern::Weekly { days, .. } if days == &[chrono::Weekday::Sat]));
    assert_eq!(r.range.end, RangeEnd::Numbered(10));
    assert_eq!(r.range.start.to_string(), "2014-03-08");
    // Its ten occurrences expand from the first one.
    let from = chrono::DateTime::parse_from_rfc3339("2014-01-01T00:00:00Z")
        .unwrap()
        .to_utc();
    let to = chrono::DateTime::parse_from_rfc3339("2015-01-01T00:00:00Z")
        .unwrap()
        .to_utc();
    assert_eq!(r.expand(&a.when, from, to).len(), 10);

    let page = FindItem {
        shape: ItemShape::id_only(),
        view: View::Indexed { offset: 0, max: 6 },
        restriction: None,
        folder: FolderRef::Distinguished(Distinguished::Calendar),
    }
    .parse_response(&sample("finditem-indexedpage-response.xml"), &cx())
    .unwrap();
    assert_eq!(page.items.len(), 6);
    assert!(!page.includes_last);
    assert_eq!(page.next_offset, Some(6));
    assert_eq!(page.total, Some(8));

    let sync = SyncFolderItems {
        shape: ItemShape::id_only(),
        folder: FolderRef::Distinguished(Distinguished::Calendar),
        sync_state: None,
        max: 5,
    }
    .parse_response(&sample("syncfolderitems-initial-response.xml"), &cx())
    .unwrap();
    assert_eq!(sync.sync_state, "H4sIAAA==");
    assert!(sync.includes_last);
    assert_eq!(sync.changes.len(), 5);
    assert_eq!(
        sync.changes[0],
        SyncChange::Create(
            "q04QAAAA==".into(),
            "CQAAABYAAABhFfgM7MNwSYx0VZ0GoBMJAAAATVdC".into()
        )
    );

    let created = CreateAttachment {
        parent: ItemRef::id("uqE2AAA="),
        files: vec![],
    }
    .parse_response(&sample("createattachment-file-response.xml"), &cx())
    .unwrap();
    let a = created[0].as_ref().unwrap();
    assert_eq!(a.id, "yRLhCh8=");
    assert_eq!(
        a.root_change_key,
        "CQAAABYAAAAFI5DJmZv+TLtyLOLIF1S5AAAXulcf"
    );

    let files = GetAttachment { ids: vec![] }
        .parse_response(&sample("getattachment-response.xml"), &cx())
        .unwrap();
    assert_eq!(files[0].as_ref().unwrap().content, vec![1, 2, 3, 4, 5]);

    let deleted = DeleteItem::new(vec![ItemRef::id("x")])
        .parse_response(&sample("deleteitem-error-response.xml"), &cx())
        .unwrap();
    let e = deleted[0].as_ref().unwrap_err();
    assert_eq!(e.code(), Some(&ResponseCode::ErrorItemNotFound));
    assert!(e.to_string().contains("anna.berg@example.com"), "{e}");

    let sub = Subscribe {
        folders: vec![],
        events: vec![],
        watermark: None,
        status_frequency: 1,
        url: String::new(),
    }
    .parse_response(&sample("subscribe-push-response.xml"), &cx())
    .unwrap();
    assert_eq!(sub.id, "83826921-afdf-48be-b469-628cc02b5f49");

    let err = GetItem {
        shape: ItemShape::id_only(),
        ids: vec![],
    }
    .parse_response(
        &sample("error-exceededconnectioncount-fault-response.xml"),
        &cx(),
    )
    .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&ResponseCode::ErrorExceededConnectionCount)
    );
    assert_eq!(err.kind(), maiconnect_core::ErrorKind::Throttled);

    let err = GetItem {
        shape: ItemShape::id_only(),
        ids: vec![],
    }
    .parse_response(
        &sample("error-invalidexchangeimpersonationheaderdata-fault-response.xml"),
        &cx(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), maiconnect_core::ErrorKind::PermissionDenied);
    assert!(
        err.to_string()
            .contains("must not exist for this type of OAuth token"),
        "{err}"
    );

    let err = FindItem {
        shape: ItemShape::id_only(),
        view: View::Indexed { offset: 0, max: 6 },
        restriction: None,
        folder: FolderRef::Distinguished(Distinguished::Calendar),
    }
    .parse_response(
        &sample("finditem-error-invalididmalformed-response.xml"),
        &cx(),
    )
    .unwrap_err();
    assert_eq!(err.code(), Some(&ResponseCode::ErrorInvalidIdMalformed));

    let busy = maiconnect_core::PortError::from(
        GetItem {
            shape: ItemShape::id_only(),
            ids: vec![],
        }
        .parse_response(&sample("error-serverbusy-fault-response.xml"), &cx())
        .unwrap_err(),
    );
    assert_eq!(
        busy.retry,
        maiconnect_core::Retry::Later {
            after: Some(Duration::from_millis(297749))
        }
    );
}

#[test]
fn one_bad_item_fails_alone() {
    let doc = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
      <m:GetItemResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><m:ResponseMessages>
        <m:GetItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Items>
          <t:Task><t:ItemId Id="AAMk1" ChangeKey="CK1"/><t:Subject>First</t:Subject></t:Task></m:Items></m:GetItemResponseMessage>
        <m:GetItemResponseMessage ResponseClass="Error"><m:MessageText>The change key passed in the request does not match the current change key for the item.</m:MessageText>
          <m:ResponseCode>ErrorIrresolvableConflict</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey><m:Items/></m:GetItemResponseMessage>
        <m:GetItemResponseMessage ResponseClass="Warning"><m:ResponseCode>ErrorBatchProcessingStopped</m:ResponseCode><m:Items>
          <t:Task><t:ItemId Id="AAMk3" ChangeKey="CK3"/><t:Subject>Third</t:Subject></t:Task></m:Items></m:GetItemResponseMessage>
      </m:ResponseMessages></m:GetItemResponse></s:Body></s:Envelope>"#;
    let op = GetItem {
        shape: ItemShape::id_only(),
        ids: vec![
            ItemRef::id("AAMk1"),
            ItemRef::id("AAMk2"),
            ItemRef::id("AAMk3"),
        ],
    };
    let r = op.parse_response(doc.as_bytes(), &cx()).unwrap();
    assert_eq!(r.len(), 3);
    assert_eq!(r[0].as_ref().unwrap().item.key.item.as_str(), "AAMk1");
    let e = r[1].as_ref().unwrap_err();
    assert_eq!(e.kind(), maiconnect_core::ErrorKind::Conflict);
    assert_eq!(e.retry(), maiconnect_core::Retry::Replan);
    assert!(e.to_string().contains("AAMk2"), "{e}");
    assert_eq!(r[2].as_ref().unwrap().item.version.as_str(), "CK3");
    // Answering fewer messages than asked is an error, not a silent gap.
    let short = GetItem {
        shape: ItemShape::id_only(),
        ids: vec![ItemRef::id("a"); 4],
    };
    let e = short.parse_response(doc.as_bytes(), &cx()).unwrap_err();
    assert!(e.to_string().contains("3 response messages for 4"), "{e}");
}
