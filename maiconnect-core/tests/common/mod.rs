//! Helpers shared by the core's integration tests.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use maiconnect_core::ids::Version;
use maiconnect_core::model::*;
use maiconnect_core::plan::{Context, Link, MailboxItem, Pair, S4Item, Side};
use maiconnect_core::policy::*;
use maiconnect_core::testing::samples::{appointment_a, bp};

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 8, 0, 0)
        .single()
        .unwrap()
}

pub fn user() -> User {
    User {
        employee: bp("4711"),
        mailbox: "anna.berg@example.com".parse().unwrap(),
        environment: "de".parse().unwrap(),
        enabled: true,
        time_zone: Some("Europe/Berlin".parse().unwrap()),
    }
}

pub fn policy() -> Policy {
    let mut p = Policy::default();
    p.appointments.transaction_types = vec![TransactionTypeRule {
        transaction_type: "ZMAI".parse().unwrap(),
        text_type: "A002".parse().unwrap(),
    }];
    p.tasks.transaction_types = vec![TransactionTypeRule {
        transaction_type: "ZTSK".parse().unwrap(),
        text_type: "A002".parse().unwrap(),
    }];
    p.appointments.outlook_to_s4 = OutlookToS4 {
        enabled: true,
        filter: OutlookFilter::All,
        default_transaction_type: Some("ZMAI".parse().unwrap()),
    };
    p.tasks.outlook_to_s4 = OutlookToS4 {
        enabled: true,
        filter: OutlookFilter::All,
        default_transaction_type: Some("ZTSK".parse().unwrap()),
    };
    p.appointments.attachments.enabled = true;
    p.tasks.attachments.enabled = true;
    p.contacts.enabled = true;
    p.users = vec![user()];
    p
}

pub fn ctx<'a>(policy: &'a Policy, user: &'a User) -> Context<'a> {
    Context::new(policy, user, now())
}

pub fn v(s: &str) -> Version {
    s.parse().unwrap()
}

pub fn akey(n: u128) -> S4Key {
    S4Key::Appointment(maiconnect_core::ids::ActivityId::from_uuid(
        uuid::Uuid::from_u128(n),
    ))
}

pub fn ekey(s: &str) -> ExchangeKey {
    ExchangeKey::item(s.parse().unwrap())
}

pub fn s4(key: S4Key, version: &str, a: Appointment) -> S4Item {
    S4Item {
        key,
        version: v(version),
        record: Record::Appointment(a),
        changed_at: None,
    }
}

pub fn ex(key: ExchangeKey, version: &str, a: Appointment) -> MailboxItem {
    MailboxItem {
        key,
        version: v(version),
        record: Record::Appointment(a),
        changed_at: None,
        link_key: None,
    }
}

/// An appointment as Exchange holds it (no S/4-only fields).
pub fn outlook(a: &Appointment) -> Appointment {
    let mut e = a.clone();
    e.transaction_type = None;
    e.owner = None;
    e.status = None;
    e.account = None;
    e
}

pub fn link(s4: &S4Item, ex: &MailboxItem) -> Link {
    Link {
        mailbox: user().mailbox,
        s4: s4.key.clone(),
        exchange: ex.key.clone(),
        s4_version: s4.version.clone(),
        exchange_version: ex.version.clone(),
        s4_seen: s4.record.clone(),
        exchange_seen: ex.record.clone(),
        origin: Side::S4,
    }
}

/// A linked, unchanged pair.
pub fn synced() -> (S4Item, MailboxItem, Link) {
    let a = appointment_a();
    let s = s4(akey(1), "W/\"1\"", a.clone());
    let e = ex(ekey("AAMk-1"), "CK1", outlook(&a));
    let l = link(&s, &e);
    (s, e, l)
}

pub fn pair(s: Option<S4Item>, e: Option<MailboxItem>, l: Option<Link>) -> Pair {
    Pair {
        s4: s,
        exchange: e,
        link: l,
    }
}
