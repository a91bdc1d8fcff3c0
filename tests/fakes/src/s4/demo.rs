//! The demo world: three employees, a customer with two contact persons, a
//! contact person looked after directly, and a few appointments (`ZMAI`)
//! and tasks (`ZTSK`) in the coming days. Like
//! `maiconnect_core::testing::samples::world()`, plus Clara Vogel (4713).
//!
//! Seeding twice changes nothing: partners are upserted, relationships and
//! activities that exist are skipped (activities have fixed GUIDs).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use super::control::NewRelationship;
use super::error::FakeS4Error;
use super::server::FakeS4Handle;
use super::store::{ActivityKind, Partner};

/// What [`seed`] created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoSummary {
    /// Business partners written.
    pub partners: usize,
    /// Relationships added.
    pub relationships: usize,
    /// Appointments created.
    pub appointments: Vec<Uuid>,
    /// Tasks created.
    pub tasks: Vec<Uuid>,
}

fn person(number: &str, first: &str, last: &str, email: &str) -> Partner {
    Partner {
        number: number.into(),
        category: "1".into(),
        first_name: first.into(),
        last_name: last.into(),
        email: email.into(),
        ..Partner::default()
    }
}

fn employee(number: &str, first: &str, last: &str, email: &str, user: &str) -> Partner {
    Partner {
        employee: true,
        user_name: user.into(),
        ..person(number, first, last, email)
    }
}

fn contact(
    number: &str,
    first: &str,
    last: &str,
    email: &str,
    function: &str,
    phone: &str,
) -> Partner {
    Partner {
        title: "Ms.".into(),
        function: function.into(),
        department: "Purchasing".into(),
        phone: phone.into(),
        street: "Hauptstr.".into(),
        house_number: "1".into(),
        postcode: "69190".into(),
        city: "Walldorf".into(),
        region: "BW".into(),
        country: "DE".into(),
        ..person(number, first, last, email)
    }
}

/// The demo partners.
pub fn partners() -> Vec<Partner> {
    vec![
        employee("4711", "Anna", "Berg", "anna.berg@example.com", "ABERG"),
        employee("4712", "Ben", "Kraus", "ben.kraus@example.com", "BKRAUS"),
        employee(
            "4713",
            "Clara",
            "Vogel",
            "clara.vogel@example.onmicrosoft.com",
            "CVOGEL",
        ),
        Partner {
            number: "200".into(),
            category: "2".into(),
            name1: "Customer AG".into(),
            street: "Hauptstr.".into(),
            house_number: "1".into(),
            postcode: "69190".into(),
            city: "Walldorf".into(),
            region: "BW".into(),
            country: "DE".into(),
            ..Partner::default()
        },
        contact(
            "100",
            "Olga",
            "Meyer",
            "olga.meyer@customer.example",
            "Head of Purchasing",
            "+49 6227 1",
        ),
        Partner {
            title: "Mr.".into(),
            ..contact(
                "101",
                "Piet",
                "Jansen",
                "piet.jansen@customer.example",
                "Buyer",
                "+49 6227 2",
            )
        },
        Partner {
            department: String::new(),
            function: String::new(),
            ..contact(
                "300",
                "Lena",
                "Solo",
                "lena.solo@freelance.example",
                "",
                "+49 170 3",
            )
        },
    ]
}

fn at(day: NaiveDate, hour: u32, minute: u32) -> String {
    day.and_hms_opt(hour, minute, 0)
        .unwrap_or_default()
        .and_utc()
        .to_rfc3339()
}

/// Seeds the demo world's partners and relationships (idempotent); returns
/// how many partners and new relationships were written.
pub fn seed_partners(handle: &FakeS4Handle) -> Result<(usize, usize), FakeS4Error> {
    let mut partners = 0;
    let mut relationships = 0;
    for p in self::partners() {
        handle.upsert_partner(p)?;
        partners += 1;
    }
    let existing = handle.snapshot().relationships;
    let valid_from = NaiveDate::from_ymd_opt(2020, 1, 1);
    // BUR001: contact person → organisation; BUR011: partner looked after →
    // employee responsible (the direction of the core's `Relationship`).
    for (category, p1, p2) in [
        ("BUR001", "100", "200"),
        ("BUR001", "101", "200"),
        ("BUR011", "200", "4711"),
        ("BUR011", "300", "4712"),
    ] {
        let (p1, p2) = (format!("{p1:0>10}"), format!("{p2:0>10}"));
        if existing
            .iter()
            .any(|r| r.category == category && r.partner1 == p1 && r.partner2 == p2)
        {
            continue;
        }
        handle.add_relationship(NewRelationship {
            category: category.into(),
            partner1: p1,
            partner2: p2,
            valid_from,
            valid_to: None,
        })?;
        relationships += 1;
    }
    Ok((partners, relationships))
}

/// Seeds the demo world relative to `now` (activities in the coming days).
pub fn seed(handle: &FakeS4Handle, now: DateTime<Utc>) -> Result<DemoSummary, FakeS4Error> {
    let (partners, relationships) = seed_partners(handle)?;
    let mut summary = DemoSummary {
        partners,
        relationships,
        appointments: Vec::new(),
        tasks: Vec::new(),
    };
    let day = |n: i64| (now + Duration::days(n)).date_naive();
    let appointments = [
        (
            0xA1,
            json!({
                "Description": "Quarterly review", "Location": "Walldorf", "Responsible": "4711", "Account": "200", "Contact": "100",
                "FromDate": at(day(1), 9, 0), "ToDate": at(day(1), 10, 0), "TimeZone": "Europe/Berlin", "Priority": "5",
                "Note": "Agenda:\n1. Figures\n2. Outlook", "TextType": "A002",
                "Attendee": [{"PartnerNo": "100", "Function": "00000015"}, {"PartnerNo": "4712", "Function": "00000032", "IntAttendee": true}]
            }),
        ),
        (
            0xA2,
            json!({
                "Description": "Call with Lena Solo", "Responsible": "4712", "Contact": "300",
                "FromDate": at(day(2), 14, 0), "ToDate": at(day(2), 14, 30), "TimeZone": "Europe/Berlin",
                "Attendee": [{"PartnerNo": "300", "Function": "00000015"}]
            }),
        ),
        (
            0xA3,
            json!({
                "Description": "Team day", "Location": "Berlin", "Responsible": "4713", "AllDay": true,
                "FromDate": at(day(3), 0, 0), "ToDate": at(day(4), 0, 0), "TimeZone": "Europe/Berlin"
            }),
        ),
    ];
    let tasks = [
        (
            0xB1,
            json!({"Description": "Send offer", "ResponsibleId": "4711", "AccountId": "200", "ContactId": "100", "DueDate": at(day(2), 0, 0), "Priority": "3", "Note": "Prices as agreed"}),
        ),
        (
            0xB2,
            json!({"Description": "Prepare demo", "ResponsibleId": "4713", "DueDate": at(day(4), 0, 0)}),
        ),
    ];
    for (kind, list) in [
        (ActivityKind::Appointment, appointments.to_vec()),
        (ActivityKind::Task, tasks.to_vec()),
    ] {
        let type_code = if kind == ActivityKind::Appointment {
            "ZMAI"
        } else {
            "ZTSK"
        };
        for (n, mut props) in list {
            let guid = Uuid::from_u128(0x0050_568c_2b4f_1ee9_8000_0000_0000_0000 | n);
            if handle.activity(kind, guid).is_some() {
                continue;
            }
            props["Guid"] = json!(guid.to_string());
            props["TransactionType"] = json!(type_code);
            let g = handle.create_activity(kind, props)?;
            match kind {
                ActivityKind::Appointment => summary.appointments.push(g),
                ActivityKind::Task => summary.tasks.push(g),
            }
        }
    }
    Ok(summary)
}
