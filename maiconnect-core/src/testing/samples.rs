//! Sample records and a small S/4HANA world for tests.

use chrono::{Duration, NaiveDate, TimeZone, Utc};

use crate::ids::{EmailAddress, PartnerNo};
use crate::model::*;

/// A partner number.
pub fn bp(n: &str) -> PartnerNo {
    n.parse().expect("sample partner number")
}

/// An e-mail address.
pub fn email(s: &str) -> EmailAddress {
    s.parse().expect("sample e-mail address")
}

/// An attendee with an address and, optionally, a partner (as a contact
/// person).
pub fn attendee(address: &str, partner: Option<&str>) -> Attendee {
    Attendee {
        email: Some(email(address)),
        name: address.split('@').next().unwrap_or(address).to_owned(),
        partner: partner.map(bp),
        function: partner.map(|_| PartnerFunction::CONTACT_PERSON),
        required: true,
    }
}

fn attachment(name: &str, size: u64) -> Attachment {
    Attachment {
        name: name.into(),
        content_type: "application/pdf".into(),
        size,
        content: AttachmentContent::Reference(format!("ref-{name}")),
    }
}

/// An appointment of employee 4711, transaction type ZMAI, in Berlin.
pub fn appointment_a() -> Appointment {
    let zone: Zone = "Europe/Berlin".parse().expect("zone");
    let start = Utc
        .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
        .single()
        .expect("time");
    let mut a = Appointment::new(
        "Quarterly review",
        When::timed(start, start + Duration::hours(1), zone),
    );
    a.location = "Walldorf".into();
    a.body = Body::new("Agenda:\n1. Figures");
    a.attendees = vec![attendee("olga.meyer@customer.example", Some("100"))];
    a.attachments = vec![attachment("agenda.pdf", 1200)];
    a.transaction_type = Some("ZMAI".parse().expect("type"));
    a.owner = Some(bp("4711"));
    a
}

/// A link of Anna's mailbox between activity `n` and mailbox item `item`,
/// both sides holding [`appointment_a`] at versions `W/"1"` and `CK1`.
pub fn appointment_link(n: u128, item: &str) -> crate::plan::state::Link {
    let a = Record::Appointment(appointment_a());
    crate::plan::state::Link {
        mailbox: "anna.berg@example.com".parse().expect("mailbox"),
        s4: S4Key::Appointment(crate::ids::ActivityId::from_uuid(uuid::Uuid::from_u128(n))),
        exchange: ExchangeKey::item(item.parse().expect("id")),
        s4_version: "W/\"1\"".parse().expect("v"),
        exchange_version: "CK1".parse().expect("v"),
        s4_seen: a.clone(),
        exchange_seen: a,
        origin: crate::plan::state::Side::S4,
    }
}

/// The same appointment with every merged field different.
pub fn appointment_b() -> Appointment {
    let mut b = appointment_a();
    b.subject = "Quarterly review (moved)".into();
    b.location = "Berlin".into();
    b.body = Body::new("Agenda changed");
    b.when = When::all_day(NaiveDate::from_ymd_opt(2026, 12, 2).expect("date"), 1);
    b.sensitivity = Sensitivity::Private;
    b.importance = Importance::High;
    b.attendees
        .push(attendee("piet.jansen@customer.example", Some("101")));
    b.attachments = vec![attachment("minutes.pdf", 800)];
    b
}

/// A task of employee 4711.
pub fn task_a() -> Task {
    let mut t = Task::new("Send offer");
    t.body = Body::new("Prices as agreed");
    t.due_date = NaiveDate::from_ymd_opt(2026, 12, 4);
    t.transaction_type = Some("ZTSK".parse().expect("type"));
    t.owner = Some(bp("4711"));
    t.attachments = vec![attachment("offer.pdf", 5000)];
    t
}

/// The same task with every merged field different.
pub fn task_b() -> Task {
    let mut t = task_a();
    t.subject = "Send revised offer".into();
    t.body = Body::new("New prices");
    t.due_date = NaiveDate::from_ymd_opt(2026, 12, 8);
    t.completed = true;
    t.sensitivity = Sensitivity::Private;
    t.importance = Importance::Low;
    t.attachments = vec![];
    t
}

/// A contact person.
pub fn contact_a() -> Contact {
    Contact {
        given_name: "Olga".into(),
        surname: "Meyer".into(),
        middle_name: String::new(),
        title: "Dr.".into(),
        file_as: "Meyer, Olga".into(),
        display_name: "Olga Meyer".into(),
        company: "Customer AG".into(),
        department: "Purchasing".into(),
        job_title: "Head of Purchasing".into(),
        emails: vec![email("olga.meyer@customer.example")],
        business_phone: "+49 6227 1".into(),
        mobile_phone: "+49 170 1".into(),
        business_fax: String::new(),
        business_address: PostalAddress {
            street: "Hauptstr. 1".into(),
            city: "Walldorf".into(),
            state: "BW".into(),
            postal_code: "69190".into(),
            country: "DE".into(),
        },
    }
}

/// The same contact with every merged field different.
pub fn contact_b() -> Contact {
    Contact {
        given_name: "Olgi".into(),
        surname: "Meyer-Schulz".into(),
        middle_name: "K.".into(),
        title: "Prof.".into(),
        file_as: "Meyer-Schulz, Olga".into(),
        display_name: "Olga Meyer-Schulz".into(),
        company: "Customer SE".into(),
        department: "Procurement".into(),
        job_title: "CPO".into(),
        emails: vec![email("olga@customer.example")],
        business_phone: "+49 6227 2".into(),
        mobile_phone: "+49 170 2".into(),
        business_fax: "+49 6227 9".into(),
        business_address: PostalAddress {
            street: "Ring 2".into(),
            ..contact_a().business_address
        },
    }
}

/// A small S/4HANA world: an employee, a customer with two contact persons,
/// a contact person looked after directly, and the relationships between.
#[derive(Debug, Clone)]
pub struct World {
    /// Business partners.
    pub partners: Vec<BusinessPartner>,
    /// Relationships.
    pub relationships: Vec<Relationship>,
    /// Employees.
    pub employees: Vec<Employee>,
    /// Contact persons as Outlook contacts, by partner.
    pub contacts: Vec<(PartnerNo, Contact)>,
}

/// The sample world.
pub fn world() -> World {
    let person = |n: &str, name: &str, mail: &str, employee: bool| BusinessPartner {
        number: bp(n),
        category: PartnerCategory::Person,
        full_name: name.into(),
        email: Some(email(mail)),
        is_employee: employee,
    };
    let rel = |kind: RelationshipType, from: &str, to: &str| Relationship {
        kind,
        from: bp(from),
        to: bp(to),
        valid_from: None,
        valid_to: None,
    };
    let mut olga = contact_a();
    olga.emails = vec![email("olga.meyer@customer.example")];
    let mut piet = contact_a();
    piet.given_name = "Piet".into();
    piet.surname = "Jansen".into();
    piet.file_as = "Jansen, Piet".into();
    piet.display_name = "Piet Jansen".into();
    piet.emails = vec![email("piet.jansen@customer.example")];
    let mut lone = contact_a();
    lone.given_name = "Lena".into();
    lone.surname = "Solo".into();
    lone.file_as = "Solo, Lena".into();
    lone.display_name = "Lena Solo".into();
    lone.company = String::new();
    lone.emails = vec![email("lena.solo@freelance.example")];
    World {
        partners: vec![
            person("4711", "Anna Berg", "anna.berg@example.com", true),
            person("4712", "Ben Kraus", "ben.kraus@example.com", true),
            BusinessPartner {
                number: bp("200"),
                category: PartnerCategory::Organization,
                full_name: "Customer AG".into(),
                email: None,
                is_employee: false,
            },
            person("100", "Olga Meyer", "olga.meyer@customer.example", false),
            person("101", "Piet Jansen", "piet.jansen@customer.example", false),
            person("300", "Lena Solo", "lena.solo@freelance.example", false),
        ],
        relationships: vec![
            rel(RelationshipType::Bur001, "100", "200"),
            rel(RelationshipType::Bur001, "101", "200"),
            rel(RelationshipType::Bur011, "200", "4711"),
            rel(RelationshipType::Bur011, "300", "4712"),
        ],
        employees: vec![
            Employee {
                partner: bp("4711"),
                user: Some("ABERG".into()),
                email: Some(email("anna.berg@example.com")),
                full_name: "Anna Berg".into(),
            },
            Employee {
                partner: bp("4712"),
                user: Some("BKRAUS".into()),
                email: Some(email("ben.kraus@example.com")),
                full_name: "Ben Kraus".into(),
            },
        ],
        contacts: vec![(bp("100"), olga), (bp("101"), piet), (bp("300"), lone)],
    }
}
