use chrono::{NaiveDate, TimeZone, Utc};
use maiconnect_core::model::{Importance, Record};
use maiconnect_core::testing::samples;

use super::*;
use crate::mapping::{Lengths, WriteReport};
use crate::profile::ServiceId;
use crate::wire::json::parse_entity;

const ID: &str = "0050568c-2b4f-1ee8-a1b2-c3d4e5f60718";

fn entity(extra: &str) -> String {
    format!(
        r#"{{"d":{{"__metadata":{{"uri":"http://h/sap/opu/odata/NAG/CRM_APPOINTMENT_SRV_01/AppointmentSet(guid'{ID}')","type":"CRM_APPOINTMENT_SRV.Appointment","etag":"W/\"datetime'2026-11-27T09%3A30%3A00'\""}},
        "Guid":"{}","Description":"Quartalsgespräch","Location":"Walldorf","FromDate":"/Date(1796115600000)/","ToDate":"/Date(1796119200000)/",
        "PrivatFlag":true,"Status":"E0001","Priority":"1","Account":"200","Contact":"0000000100","Responsible":"0000004711",
        "Note":"Agenda:\r\n1. Figures\r\n","TextType":"A002","TransactionType":"zmai","TimeZone":"Europe/Berlin","ExternalKey":"AAMkAD=",
        "ChangedAt":"/Date(1795772000000+0060)/",
        "Attendee":{{"results":[
          {{"__metadata":{{"type":"CRM_APPOINTMENT_SRV.Attendee"}},"Guid":"{ID}","PartnerGuid":"00000000-0000-0000-0000-000000000101","PartnerNo":"0000000101","Function":"00000015","IntAttendee":false,"FullName":"Piet Jansen","Email":"Piet.Jansen@customer.example"}},
          {{"Guid":"{ID}","PartnerGuid":"00000000-0000-0000-0000-000000004712","PartnerNo":"4712","Function":"00000032","IntAttendee":true,"FullName":"Ben Kraus","Email":""}}
        ]}},
        "Attachments":{{"results":[{{"DocumentId":"DOC1","ObjectGuid":"{ID}","FileName":"agenda.pdf","MimeType":"application/pdf","FileSize":1200}}]}}
        {extra}}}}}"#,
        ID.to_uppercase()
    )
}

fn cfg() -> MappingConfig {
    let mut c = MappingConfig::default();
    c.text_types
        .insert("ZMAI".parse().unwrap(), "A002".parse().unwrap());
    c
}

fn read_body(body: &str) -> AppointmentRead {
    let w: AppointmentWire<'_> = parse_entity(body.as_bytes(), "test").unwrap();
    read(w, None, &cfg()).unwrap()
}

#[test]
fn reads_every_profile_property() {
    let r = read_body(&entity(""));
    assert_eq!(r.item.key.to_string(), format!("BUS2000126:{ID}"));
    assert_eq!(
        r.item.version.as_str(),
        "W/\"datetime'2026-11-27T09%3A30%3A00'\""
    );
    assert_eq!(
        r.item.changed_at.unwrap(),
        Utc.timestamp_millis_opt(1_795_772_000_000).unwrap()
    );
    assert_eq!(r.external_key.as_deref(), Some("AAMkAD="));
    let Record::Appointment(a) = &r.item.record else {
        panic!()
    };
    assert_eq!(a.subject, "Quartalsgespräch");
    assert_eq!(a.location, "Walldorf");
    assert_eq!(a.body.as_str(), "Agenda:\n1. Figures");
    let berlin: Zone = "Europe/Berlin".parse().unwrap();
    assert_eq!(
        a.when,
        When::Timed {
            start: Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap(),
            zone: berlin
        }
    );
    assert_eq!(a.sensitivity, Sensitivity::Private);
    assert_eq!(a.importance, Importance::High);
    assert_eq!(a.status.as_deref(), Some("E0001"));
    assert_eq!(a.transaction_type.as_ref().unwrap().as_str(), "ZMAI");
    assert_eq!(a.owner.as_ref().unwrap().as_str(), "0000004711");
    assert_eq!(a.account.as_ref().unwrap().as_str(), "0000000200");
    // The main contact (100) is not in the list: it comes first, as a contact person.
    let partners: Vec<&str> = a
        .attendees
        .iter()
        .map(|x| x.partner.as_ref().unwrap().as_str())
        .collect();
    assert_eq!(partners, vec!["0000000100", "0000000101", "0000004712"]);
    assert_eq!(
        a.attendees[0].function,
        Some(PartnerFunction::CONTACT_PERSON)
    );
    assert_eq!(
        a.attendees[1].email.as_ref().unwrap().as_str(),
        "piet.jansen@customer.example"
    );
    assert_eq!(a.attendees[1].name, "Piet Jansen");
    assert_eq!(a.attendees[2].email, None, "an empty Email is no address");
    assert_eq!(a.attendees[2].function, Some(PartnerFunction::PARTICIPANT));
    assert_eq!(
        r.attendee_rows[1].partner_guid,
        Some(Uuid::from_u128(0x4712))
    );
    assert_eq!(a.attachments.len(), 1);
    assert_eq!(a.attachments[0].size, 1200);
    assert_eq!(
        a.attachments[0].content,
        AttachmentContent::Reference("DOC1".into())
    );
}

#[test]
fn the_main_contact_in_the_list_moves_first_and_is_not_doubled() {
    let body = entity("").replace("\"Contact\":\"0000000100\"", "\"Contact\":\"101\"");
    let r = read_body(&body);
    let Record::Appointment(a) = &r.item.record else {
        panic!()
    };
    assert_eq!(a.attendees.len(), 2);
    assert_eq!(a.attendees[0].name, "Piet Jansen");
}

#[test]
fn all_day_appointments_are_dates_whatever_the_zone() {
    let body = entity(r#","AllDay":true"#)
        .replace("/Date(1796115600000)/", "/Date(1796083200000)/")
        .replace("/Date(1796119200000)/", "/Date(1796256000000)/");
    let r = read_body(&body);
    let Record::Appointment(a) = &r.item.record else {
        panic!()
    };
    assert_eq!(
        a.when,
        When::AllDay {
            first_day: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            end_day: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
        }
    );
}

#[test]
fn an_empty_time_zone_takes_the_default_and_deferred_navigations_read_empty() {
    let body = r#"{"d":{"__metadata":{"etag":"W/\"1\""},"Guid":"0050568c2b4f1ee8a1b2c3d4e5f60718","FromDate":"/Date(0)/","ToDate":"/Date(3600000)/","TimeZone":"","Attendee":{"__deferred":{"uri":"x"}}}}"#;
    let w: AppointmentWire<'_> = parse_entity(body.as_bytes(), "t").unwrap();
    let mut c = cfg();
    c.default_zone = "America/New_York".parse().unwrap();
    let r = read(w, Some("W/\"2\""), &c).unwrap();
    assert_eq!(r.item.version.as_str(), "W/\"2\"", "the ETag header wins");
    let Record::Appointment(a) = &r.item.record else {
        panic!()
    };
    assert_eq!(a.when.zone().unwrap().to_string(), "America/New_York");
    assert!(a.attendees.is_empty() && a.attachments.is_empty());
    assert_eq!(a.subject, "");
}

#[test]
fn bad_values_are_named() {
    let no_etag = r#"{"d":{"Guid":"0050568c2b4f1ee8a1b2c3d4e5f60718","FromDate":"/Date(0)/","ToDate":"/Date(0)/"}}"#;
    let w: AppointmentWire<'_> = parse_entity(no_etag.as_bytes(), "t").unwrap();
    let e = read(w, None, &cfg()).unwrap_err();
    assert!(e.to_string().contains("ETag"), "{e}");
    let bad_date = entity("").replace("/Date(1796115600000)/", "2026-12-01");
    let w: AppointmentWire<'_> = parse_entity(bad_date.as_bytes(), "t").unwrap();
    let e = read(w, None, &cfg()).unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("FromDate")
            && text.contains("2026-12-01")
            && text.contains(&format!("guid'{ID}'")),
        "{text}"
    );
    let bad_guid = r#"{"d":{"Guid":"nope"}}"#;
    let w: AppointmentWire<'_> = parse_entity(bad_guid.as_bytes(), "t").unwrap();
    assert!(
        read(w, None, &cfg())
            .unwrap_err()
            .to_string()
            .contains("Guid")
    );
}

fn writer<'a>(lengths: &'a Lengths, report: &'a mut WriteReport) -> Writer<'a> {
    Writer {
        service: ServiceId::Appointments,
        set: "AppointmentSet",
        object: format!("AppointmentSet(guid'{ID}')"),
        lengths,
        report,
    }
}

#[test]
fn a_create_carries_every_property_and_the_attendees() {
    let mut a = samples::appointment_a();
    a.subject = "A subject that is much longer than forty characters, really".into();
    a.attendees.push(Attendee {
        email: Some("x@y.example".parse().unwrap()),
        name: "No Partner".into(),
        partner: None,
        function: None,
        required: true,
    });
    let id: ActivityId = ID.parse().unwrap();
    let origin = ExchangeKey::item("AAMkAD=".parse().unwrap());
    let lengths = Lengths::default();
    let mut report = WriteReport::default();
    let m = payload(
        id,
        &a,
        None,
        Some(&origin),
        &cfg(),
        &mut writer(&lengths, &mut report),
    );
    let v = Value::Object(m);
    assert_eq!(v["Guid"], ID);
    assert_eq!(v["Description"], "A subject that is much longer than forty");
    assert_eq!(v["FromDate"], "/Date(1796115600000)/");
    assert_eq!(v["ToDate"], "/Date(1796119200000)/");
    assert_eq!(v["AllDay"], false);
    assert_eq!(v["TimeZone"], "Europe/Berlin");
    assert_eq!(v["PrivatFlag"], false);
    assert_eq!(v["Priority"], "5");
    assert_eq!(v["Note"], "Agenda:\n1. Figures");
    assert_eq!(v["TextType"], "A002");
    assert_eq!(v["TransactionType"], "ZMAI");
    assert_eq!(v["Responsible"], "0000004711");
    assert_eq!(v["Account"], "");
    assert_eq!(v["Contact"], "0000000100");
    assert_eq!(v["ExternalKey"], "AAMkAD=");
    let att = v["Attendee"].as_array().unwrap();
    assert_eq!(att.len(), 1, "the attendee without a partner is left out");
    assert_eq!(att[0]["PartnerNo"], "0000000100");
    assert_eq!(att[0]["Function"], "00000015");
    assert_eq!(att[0]["IntAttendee"], false);
    assert_eq!(att[0]["Email"], "olga.meyer@customer.example");
    assert_eq!(report.cuts.len(), 1);
    assert_eq!(report.cuts[0].property, "Description");
    assert_eq!(
        report.skipped_attendees,
        vec!["No Partner <x@y.example>".to_owned()]
    );
}

/// In the standard profile, or where a service's `$metadata` lacks an
/// addition, the create leaves it out instead of failing.
#[test]
fn a_create_leaves_out_what_the_service_does_not_hold() {
    let a = samples::appointment_a();
    let id: ActivityId = ID.parse().unwrap();
    let origin = ExchangeKey::item("AAMkAD=".parse().unwrap());
    let standard = Lengths::new(&crate::profile::STANDARD);
    let meta = crate::wire::metadata::parse_metadata(
        &std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/samples/crm_appointment_metadata.xml"
        ))
        .unwrap(),
    )
    .unwrap();
    let mut learned = Lengths::default();
    learned.learn(ServiceId::Appointments, &meta);
    for lengths in [standard, learned] {
        let mut report = WriteReport::default();
        let v = Value::Object(payload(
            id,
            &a,
            None,
            Some(&origin),
            &cfg(),
            &mut writer(&lengths, &mut report),
        ));
        for gone in ["TimeZone", "ExternalKey", "TextType"] {
            assert!(v.get(gone).is_none(), "{gone} in {v}");
        }
        assert!(v["Attendee"][0].get("Email").is_none(), "{v}");
        assert_eq!(v["Description"], "Quarterly review");
        assert_eq!(v["Attendee"][0]["PartnerNo"], "0000000100");
    }
}

#[test]
fn an_update_carries_only_the_changed_properties() {
    let mut a = samples::appointment_b();
    a.importance = Importance::Low;
    let id: ActivityId = ID.parse().unwrap();
    let lengths = Lengths::default();
    let mut report = WriteReport::default();
    let m = payload(
        id,
        &a,
        Some(&[Field::When, Field::Importance]),
        None,
        &cfg(),
        &mut writer(&lengths, &mut report),
    );
    let keys: Vec<&str> = m.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        vec!["AllDay", "FromDate", "Priority", "TimeZone", "ToDate"]
    );
    assert_eq!(m["AllDay"], true);
    assert_eq!(
        m["FromDate"], "/Date(1796169600000)/",
        "midnight UTC of 2026-12-02"
    );
    assert_eq!(m["ToDate"], "/Date(1796256000000)/");
    assert_eq!(m["Priority"], "9");
}

#[test]
fn what_is_written_reads_back_the_same() {
    let id: ActivityId = ID.parse().unwrap();
    for original in [samples::appointment_a(), samples::appointment_b()] {
        let lengths = Lengths::default();
        let mut report = WriteReport::default();
        let mut m = payload(
            id,
            &original,
            None,
            None,
            &cfg(),
            &mut writer(&lengths, &mut report),
        );
        m.insert("__metadata".into(), json!({"etag": "W/\"1\""}));
        let atts = m.remove("Attendee").unwrap();
        m.insert("Attendee".into(), json!({ "results": atts }));
        let body = json!({ "d": m }).to_string();
        let r = read_body(&body);
        let Record::Appointment(back) = r.item.record else {
            panic!()
        };
        let mut expected = original.clone();
        expected.attachments.clear();
        assert_eq!(back, expected);
    }
}
