//! Writing model records as EWS items, in the element order of
//! `ItemType` and its subtypes in types.xsd.

use chrono::{NaiveDate, NaiveTime};
use maiconnect_core::model::{
    Appointment, Attendee, Contact, Importance, Record, S4Key, Sensitivity, Task, TaskStatus, When,
    Zone,
};

use super::{ExtendedField, format_instant, write_recurrence};
use crate::timezone::write_zone;
use crate::xml::XmlWriter;

pub(super) fn sensitivity(s: Sensitivity) -> &'static str {
    match s {
        Sensitivity::Normal => "Normal",
        Sensitivity::Personal => "Personal",
        Sensitivity::Private => "Private",
        Sensitivity::Confidential => "Confidential",
    }
}

pub(super) fn importance(i: Importance) -> &'static str {
    match i {
        Importance::Low => "Low",
        Importance::Normal => "Normal",
        Importance::High => "High",
    }
}

pub(super) fn status(s: TaskStatus) -> &'static str {
    match s {
        TaskStatus::NotStarted => "NotStarted",
        TaskStatus::InProgress => "InProgress",
        TaskStatus::Completed => "Completed",
        TaskStatus::WaitingOnOthers => "WaitingOnOthers",
        TaskStatus::Deferred => "Deferred",
    }
}

/// The status to write for a task: `completed` wins over a finer status.
pub(super) fn task_status(t: &Task) -> TaskStatus {
    match (t.completed, t.status) {
        (true, _) => TaskStatus::Completed,
        (false, TaskStatus::Completed) => TaskStatus::NotStarted,
        (false, s) => s,
    }
}

pub(super) fn body(w: &mut XmlWriter, text: &str) {
    w.leaf_with("t:Body", &[("BodyType", "Text")], text);
}

pub(super) fn categories(w: &mut XmlWriter, cats: &[String]) {
    w.open("t:Categories", &[]);
    for c in cats {
        w.leaf("t:String", c);
    }
    w.close("t:Categories");
}

/// The instant of local midnight of `day` in `zone`, in UTC: an all-day
/// item starts and ends at midnight of its `StartTimeZone`, and an instant
/// does not depend on how the server reads times without an offset.
fn local_midnight(day: NaiveDate, zone: Zone) -> String {
    format_instant(zone.instant(day.and_time(NaiveTime::MIN)))
}

/// `Start`, `End`, `IsAllDayEvent` are written by the caller in schema
/// order; this gives their texts and the zone.
pub(super) fn times(when: &When, all_day_zone: Zone) -> (String, String, bool, Zone) {
    match when {
        When::Timed { start, end, zone } => {
            (format_instant(*start), format_instant(*end), false, *zone)
        }
        When::AllDay { first_day, end_day } => (
            local_midnight(*first_day, all_day_zone),
            local_midnight(*end_day, all_day_zone),
            true,
            all_day_zone,
        ),
    }
}

pub(super) fn attendee_list(w: &mut XmlWriter, element: &str, people: &[&Attendee]) {
    w.open(element, &[]);
    for a in people {
        let Some(email) = &a.email else { continue };
        w.open("t:Attendee", &[]).open("t:Mailbox", &[]);
        if !a.name.is_empty() {
            w.leaf("t:Name", &a.name);
        }
        w.leaf("t:EmailAddress", email.as_str())
            .leaf("t:RoutingType", "SMTP")
            .close("t:Mailbox")
            .close("t:Attendee");
    }
    w.close(element);
}

pub(super) fn split_attendees(a: &[Attendee]) -> (Vec<&Attendee>, Vec<&Attendee>) {
    a.iter()
        .filter(|x| x.fits_exchange())
        .partition(|x| x.required)
}

fn appointment(w: &mut XmlWriter, a: &Appointment, key: Option<&S4Key>, all_day_zone: Zone) {
    w.open("t:CalendarItem", &[]);
    w.leaf("t:Subject", &a.subject);
    w.leaf("t:Sensitivity", sensitivity(a.sensitivity));
    body(w, a.body.as_str());
    if !a.categories.is_empty() {
        categories(w, &a.categories);
    }
    w.leaf("t:Importance", importance(a.importance));
    w.leaf(
        "t:ReminderIsSet",
        if a.reminder.is_some() {
            "true"
        } else {
            "false"
        },
    );
    if let Some(r) = a.reminder {
        w.leaf(
            "t:ReminderMinutesBeforeStart",
            &r.minutes_before.to_string(),
        );
    }
    if let Some(k) = key {
        ExtendedField::KEY.write_value(w, &k.to_string());
    }
    if a.sync_tag {
        ExtendedField::SYNC.write_value(w, "true");
    }
    let (start, end, all_day, zone) = times(&a.when, all_day_zone);
    w.leaf("t:Start", &start).leaf("t:End", &end);
    w.leaf("t:IsAllDayEvent", if all_day { "true" } else { "false" });
    if !a.location.is_empty() {
        w.leaf("t:Location", &a.location);
    }
    let (required, optional) = split_attendees(&a.attendees);
    if !required.is_empty() {
        attendee_list(w, "t:RequiredAttendees", &required);
    }
    if !optional.is_empty() {
        attendee_list(w, "t:OptionalAttendees", &optional);
    }
    if let Some(r) = &a.recurrence {
        write_recurrence(w, r);
    }
    write_zone(w, "t:StartTimeZone", zone);
    write_zone(w, "t:EndTimeZone", zone);
    w.close("t:CalendarItem");
}

/// A task date: midnight UTC of the day (read back as the nearest day).
pub(super) fn task_date(d: NaiveDate) -> String {
    format!("{}T00:00:00Z", d.format("%Y-%m-%d"))
}

fn task(w: &mut XmlWriter, t: &Task, key: Option<&S4Key>) {
    w.open("t:Task", &[]);
    w.leaf("t:Subject", &t.subject);
    w.leaf("t:Sensitivity", sensitivity(t.sensitivity));
    body(w, t.body.as_str());
    if !t.categories.is_empty() {
        categories(w, &t.categories);
    }
    w.leaf("t:Importance", importance(t.importance));
    if let Some(k) = key {
        ExtendedField::KEY.write_value(w, &k.to_string());
    }
    if t.sync_tag {
        ExtendedField::SYNC.write_value(w, "true");
    }
    if let Some(d) = t.due_date {
        w.leaf("t:DueDate", &task_date(d));
    }
    let status = task_status(t);
    let percent = if status == TaskStatus::Completed {
        100
    } else {
        t.percent_complete.min(99)
    };
    w.leaf("t:PercentComplete", &percent.to_string());
    if let Some(d) = t.start_date {
        w.leaf("t:StartDate", &task_date(d));
    }
    w.leaf("t:Status", self::status(status));
    w.close("t:Task");
}

pub(super) const EMAIL_KEYS: [&str; 3] = ["EmailAddress1", "EmailAddress2", "EmailAddress3"];

pub(super) fn business_address(w: &mut XmlWriter, c: &Contact) {
    let a = &c.business_address;
    w.open("t:PhysicalAddresses", &[])
        .open("t:Entry", &[("Key", "Business")]);
    for (name, v) in [
        ("t:Street", &a.street),
        ("t:City", &a.city),
        ("t:State", &a.state),
        ("t:CountryOrRegion", &a.country),
        ("t:PostalCode", &a.postal_code),
    ] {
        if !v.is_empty() {
            w.leaf(name, v);
        }
    }
    w.close("t:Entry").close("t:PhysicalAddresses");
}

fn contact(w: &mut XmlWriter, c: &Contact, key: Option<&S4Key>) {
    w.open("t:Contact", &[]);
    if let Some(k) = key {
        ExtendedField::KEY.write_value(w, &k.to_string());
    }
    if !c.title.is_empty() {
        ExtendedField::TITLE.write_value(w, &c.title);
    }
    let leaf = |w: &mut XmlWriter, name: &str, v: &str| {
        if !v.is_empty() {
            w.leaf(name, v);
        }
    };
    leaf(w, "t:FileAs", &c.file_as);
    leaf(w, "t:DisplayName", &c.display_name);
    leaf(w, "t:GivenName", &c.given_name);
    leaf(w, "t:MiddleName", &c.middle_name);
    leaf(w, "t:CompanyName", &c.company);
    if !c.emails.is_empty() {
        w.open("t:EmailAddresses", &[]);
        for (k, e) in EMAIL_KEYS.iter().zip(&c.emails) {
            w.leaf_with("t:Entry", &[("Key", k)], e.as_str());
        }
        w.close("t:EmailAddresses");
    }
    if !c.business_address.is_empty() {
        business_address(w, c);
    }
    let phones = [
        ("BusinessPhone", &c.business_phone),
        ("MobilePhone", &c.mobile_phone),
        ("BusinessFax", &c.business_fax),
    ];
    if phones.iter().any(|(_, v)| !v.is_empty()) {
        w.open("t:PhoneNumbers", &[]);
        for (k, v) in phones {
            if !v.is_empty() {
                w.leaf_with("t:Entry", &[("Key", k)], v);
            }
        }
        w.close("t:PhoneNumbers");
    }
    leaf(w, "t:Department", &c.department);
    leaf(w, "t:JobTitle", &c.job_title);
    leaf(w, "t:Surname", &c.surname);
    w.close("t:Contact");
}

/// Writes `record` as a new item (`t:CalendarItem`, `t:Task`,
/// `t:Contact`), tagged with `key` when given. All-day appointments are
/// written at local midnight of `all_day_zone`.
pub fn write_item(w: &mut XmlWriter, record: &Record, key: Option<&S4Key>, all_day_zone: Zone) {
    match record {
        Record::Appointment(a) => appointment(w, a, key, all_day_zone),
        Record::Task(t) => task(w, t, key),
        Record::Contact(c) => contact(w, c, key),
    }
}
