//! Model → CreateItem XML → parsed as GetItem would → the same model.

use chrono::{Duration, NaiveDate, TimeZone, Utc, Weekday};
use maiconnect_core::model::{
    Appointment, Attendee, Body, Contact, Importance, Pattern, PostalAddress, RangeEnd, Record,
    Recurrence, RecurrenceRange, Reminder, S4Key, Sensitivity, Task, TaskStatus, When, Zone,
};

use super::{read_item, write_item};
use crate::xml::{Doc, XmlWriter};

/// Writes `record` as CreateItem would, adds the ItemId the server would
/// return, and reads it back.
fn round_trip(record: &Record, key: Option<&S4Key>, zone: Zone) -> (Record, Option<S4Key>) {
    let mut w = XmlWriter::new();
    write_item(&mut w, record, key, zone);
    let mut item = String::from_utf8(w.into_bytes()).unwrap();
    // The server reads times without an offset in the item's zone and
    // answers in UTC.
    for tag in ["t:Start", "t:End"] {
        let open = format!("<{tag}>");
        if let Some(a) = item.find(&open).map(|i| i + open.len()) {
            let b = a + item[a..].find('<').unwrap();
            if !item[a..b].ends_with('Z') {
                let local = chrono::NaiveDateTime::parse_from_str(&item[a..b], "%Y-%m-%dT%H:%M:%S")
                    .unwrap();
                let utc = super::format_instant(zone.instant(local));
                item.replace_range(a..b, &utc);
            }
        }
    }
    let open_end = item.find('>').unwrap() + 1;
    let xml = format!(
        "<m:Items xmlns:m=\"m\" xmlns:t=\"t\">{}<t:ItemId Id=\"AAMk1\" ChangeKey=\"CK1\"/>{}</m:Items>",
        &item[..open_end],
        &item[open_end..]
    );
    let doc = Doc::parse(xml.as_bytes()).unwrap();
    let read = read_item(doc.root().first_child().unwrap(), zone).unwrap();
    assert_eq!(read.item.key.item.as_str(), "AAMk1");
    assert_eq!(read.item.version.as_str(), "CK1");
    (read.item.record, read.item.link_key)
}

fn person(mail: &str, required: bool) -> Attendee {
    Attendee {
        email: Some(mail.parse().unwrap()),
        name: mail.split('@').next().unwrap().into(),
        partner: None,
        function: None,
        required,
    }
}

#[test]
fn appointments_round_trip() {
    let berlin: Zone = "Europe/Berlin".parse().unwrap();
    let start = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
    let mut a = Appointment::new(
        "Review <Q4> & plans",
        When::timed(start, start + Duration::minutes(90), berlin),
    );
    a.location = "Walldorf".into();
    a.body = Body::new("Agenda:\n1. Figures\n2. Grüße");
    a.sensitivity = Sensitivity::Confidential;
    a.importance = Importance::High;
    a.categories = vec!["CRM".into(), "Kunde".into()];
    a.reminder = Some(Reminder { minutes_before: 30 });
    a.sync_tag = true;
    a.attendees = vec![
        person("olga@customer.example", true),
        person("piet@customer.example", false),
    ];
    let key: S4Key = "BUS2000126:0050568c-2b4f-1ee8-a1b2-c3d4e5f60718"
        .parse()
        .unwrap();
    let (back, k) = round_trip(&Record::Appointment(a.clone()), Some(&key), Zone::UTC);
    assert_eq!(back, Record::Appointment(a.clone()));
    assert_eq!(k, Some(key));

    // A recurring series keeps pattern, range and zone.
    let mut series = a.clone();
    series.recurrence = Some(Box::new(Recurrence {
        pattern: Pattern::Weekly {
            interval: 2,
            days: vec![Weekday::Tue, Weekday::Thu],
            first_day_of_week: Weekday::Mon,
        },
        range: RecurrenceRange {
            start: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            end: RangeEnd::Numbered(8),
        },
        zone: berlin,
        modified: vec![],
        deleted: vec![],
        start_time: None,
    }));
    // GetItem reports the series type; CreateItem does not write it.
    let mut w = XmlWriter::new();
    write_item(
        &mut w,
        &Record::Appointment(series.clone()),
        None,
        Zone::UTC,
    );
    let xml = String::from_utf8(w.into_bytes()).unwrap().replacen(
        "<t:CalendarItem>",
        "<t:CalendarItem xmlns:t=\"t\"><t:ItemId Id=\"M\" ChangeKey=\"C\"/><t:CalendarItemType>RecurringMaster</t:CalendarItemType>",
        1,
    );
    let doc = Doc::parse(xml.as_bytes()).unwrap();
    let read = read_item(doc.root(), Zone::UTC).unwrap();
    assert_eq!(read.item.record, Record::Appointment(series));
}

#[test]
fn all_day_appointments_keep_their_dates_in_any_zone() {
    for zone in [
        "Pacific/Kiritimati",
        "Etc/GMT+12",
        "Europe/Berlin",
        "America/New_York",
    ] {
        let zone: Zone = zone.parse().unwrap();
        let a = Appointment::new(
            "Trade fair",
            When::all_day(NaiveDate::from_ymd_opt(2026, 5, 3).unwrap(), 2),
        );
        let (back, _) = round_trip(&Record::Appointment(a.clone()), None, zone);
        let Record::Appointment(b) = back else {
            panic!("kind")
        };
        assert_eq!(b.when, a.when, "{zone}");
    }
}

#[test]
fn tasks_round_trip() {
    let mut t = Task::new("Send offer");
    t.body = Body::new("Prices as agreed");
    t.due_date = NaiveDate::from_ymd_opt(2026, 12, 4);
    t.start_date = NaiveDate::from_ymd_opt(2026, 12, 1);
    t.status = TaskStatus::InProgress;
    t.percent_complete = 40;
    t.importance = Importance::Low;
    t.sensitivity = Sensitivity::Private;
    t.categories = vec!["CRM".into()];
    let (back, _) = round_trip(&Record::Task(t.clone()), None, Zone::UTC);
    assert_eq!(back, Record::Task(t.clone()));
    t.completed = true;
    let (back, _) = round_trip(&Record::Task(t.clone()), None, Zone::UTC);
    let Record::Task(b) = back else {
        panic!("kind")
    };
    assert!(b.completed);
    assert_eq!(b.status, TaskStatus::Completed);
    assert_eq!(b.percent_complete, 100);
}

#[test]
fn contacts_round_trip() {
    let c = Contact {
        given_name: "Olga".into(),
        surname: "Meyer".into(),
        middle_name: "K.".into(),
        title: "Dr.".into(),
        file_as: "Meyer, Olga".into(),
        display_name: "Olga Meyer".into(),
        company: "Customer AG".into(),
        department: "Purchasing".into(),
        job_title: "Head of Purchasing".into(),
        emails: vec![
            "olga.meyer@customer.example".parse().unwrap(),
            "olga@customer.example".parse().unwrap(),
        ],
        business_phone: "+49 6227 1".into(),
        mobile_phone: "+49 170 1".into(),
        business_fax: "+49 6227 9".into(),
        business_address: PostalAddress {
            street: "Hauptstr. 1".into(),
            city: "Walldorf".into(),
            state: "BW".into(),
            postal_code: "69190".into(),
            country: "DE".into(),
        },
    };
    let key: S4Key = "BUS1006:0000004711".parse().unwrap();
    let (back, k) = round_trip(&Record::Contact(Box::new(c.clone())), Some(&key), Zone::UTC);
    assert_eq!(back, Record::Contact(Box::new(c)));
    assert_eq!(k, Some(key));
}

proptest::proptest! {
    /// Any day, any length, any CLDR zone: all-day items keep their dates
    /// and timed items their instants and zone.
    #[test]
    fn times_round_trip_in_every_cldr_zone(
        zone in 0usize..crate::timezone::golden_zones().len(),
        day in 0i64..3650,
        days in 1u32..5,
        minute in 0u32..(24 * 60),
    ) {
        let zone = Zone::Iana(crate::timezone::golden_zones()[zone].1);
        let first = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + Duration::days(day);
        let a = Appointment::new("x", When::all_day(first, days));
        let (back, _) = round_trip(&Record::Appointment(a.clone()), None, zone);
        let Record::Appointment(b) = back else { panic!("kind") };
        proptest::prop_assert_eq!(&b.when, &a.when);

        let start = zone.instant(first.and_hms_opt(minute / 60, minute % 60, 0).unwrap());
        let t = Appointment::new("x", When::timed(start, start + Duration::minutes(45), zone));
        let (back, _) = round_trip(&Record::Appointment(t.clone()), None, Zone::UTC);
        let Record::Appointment(b) = back else { panic!("kind") };
        proptest::prop_assert_eq!(&b.when, &t.when);
    }
}
