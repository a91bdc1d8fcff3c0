//! Reading items of a response into the model.
//!
//! See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/calendaritem>,
//! <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/task>
//! and <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/contact>.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use maiconnect_core::ids::{EmailAddress, ItemId, Version, shorten};
use maiconnect_core::model::{
    Appointment, Attachment, AttachmentContent, Attendee, Body, Contact, ExchangeKey, Importance,
    PostalAddress, Record, Reminder, S4Key, Sensitivity, Task, TaskStatus, When, Zone,
};
use maiconnect_core::plan::MailboxItem;

use super::{ExtendedField, html_to_text, parse_instant, read_recurrence};
use crate::error::EwsError;
use crate::timezone::read_zone;
use crate::xml::Node;

/// An item as read, with what the model does not hold but the adapter
/// needs.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadItem {
    /// The item in the model's terms.
    pub item: MailboxItem,
    /// `CalendarItemType`: `Single`, `Occurrence`, `Exception`,
    /// `RecurringMaster` (calendar items only).
    pub calendar_type: Option<String>,
    /// `OriginalStart` of an occurrence or exception.
    pub original_start: Option<DateTime<Utc>>,
}

/// The local day of `t` in `zone`, rounded to the nearest midnight: an
/// all-day item starts at local midnight, and a zone table that differs
/// from the server's by an hour must not move it by a day.
pub(crate) fn local_day(t: DateTime<Utc>, zone: Zone) -> NaiveDate {
    (zone.local(t) + Duration::hours(12)).date()
}

/// A date stored as a UTC instant (task dates): the nearest midnight.
fn nearest_day(t: DateTime<Utc>) -> NaiveDate {
    (t + Duration::hours(12)).date_naive()
}

fn text(n: Node<'_, '_>, name: &str) -> String {
    n.child(name)
        .map(|c| c.raw_text().trim().to_owned())
        .unwrap_or_default()
}

fn body(n: Node<'_, '_>) -> Body {
    match n.child("Body") {
        Some(b) if b.attr("BodyType").as_deref() == Some("HTML") => {
            Body::new(&html_to_text(b.raw_text()))
        }
        Some(b) => Body::new(b.raw_text()),
        None => Body::default(),
    }
}

fn sensitivity(n: Node<'_, '_>) -> Sensitivity {
    match n.child_text("Sensitivity") {
        Some("Personal") => Sensitivity::Personal,
        Some("Private") => Sensitivity::Private,
        Some("Confidential") => Sensitivity::Confidential,
        _ => Sensitivity::Normal,
    }
}

fn importance(n: Node<'_, '_>) -> Importance {
    match n.child_text("Importance") {
        Some("Low") => Importance::Low,
        Some("High") => Importance::High,
        _ => Importance::Normal,
    }
}

fn categories(n: Node<'_, '_>) -> Vec<String> {
    n.child("Categories")
        .map(|c| {
            c.children_named("String")
                .map(|s| s.text().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn extended<'d>(n: Node<'d, '_>, field: ExtendedField) -> Option<&'d str> {
    n.children_named("ExtendedProperty")
        .find(|p| {
            p.child("ExtendedFieldURI")
                .is_some_and(|u| field.matches(u))
        })
        .and_then(|p| p.child_text("Value"))
}

fn attachments(n: Node<'_, '_>) -> Vec<Attachment> {
    let Some(list) = n.child("Attachments") else {
        return Vec::new();
    };
    list.children_named("FileAttachment")
        .filter_map(|a| {
            let id = a.child("AttachmentId")?.attr("Id")?.into_owned();
            Some(Attachment {
                name: text(a, "Name"),
                content_type: text(a, "ContentType"),
                size: a
                    .child_text("Size")
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0),
                content: AttachmentContent::Reference(id),
            })
        })
        .collect()
}

fn mailbox_address(m: Node<'_, '_>) -> Option<EmailAddress> {
    let routing = m.child_text("RoutingType").unwrap_or("SMTP");
    if !routing.eq_ignore_ascii_case("SMTP") {
        return None;
    }
    m.child_text("EmailAddress")?.parse().ok()
}

fn attendees(n: Node<'_, '_>) -> Vec<Attendee> {
    let mut out = Vec::new();
    for (list, required) in [("RequiredAttendees", true), ("OptionalAttendees", false)] {
        let Some(l) = n.child(list) else { continue };
        for a in l.children_named("Attendee") {
            let Some(m) = a.child("Mailbox") else {
                continue;
            };
            out.push(Attendee {
                email: mailbox_address(m),
                name: text(m, "Name"),
                partner: None,
                function: None,
                required,
            });
        }
    }
    out
}

fn time(n: Node<'_, '_>, name: &str, what: &str) -> Result<DateTime<Utc>, EwsError> {
    let raw = n.child_text(name).ok_or_else(|| {
        EwsError::Unexpected(format!("{what} has no {name}; ask for calendar:{name}"))
    })?;
    parse_instant(raw).ok_or_else(|| {
        EwsError::Unexpected(format!("{what}: {name} {raw:?} is not an xs:dateTime"))
    })
}

fn appointment(n: Node<'_, '_>, default_zone: Zone, what: &str) -> Result<Appointment, EwsError> {
    // Exchange 2007 names the zone in the legacy TimeZone element.
    let zone = n
        .child("StartTimeZone")
        .and_then(read_zone)
        .or_else(|| {
            n.child_text("TimeZone")
                .and_then(crate::timezone::windows_to_iana)
                .map(Zone::Iana)
        })
        .unwrap_or(default_zone);
    // A master read with few properties has only its first occurrence.
    let times = match n.child("Start") {
        Some(_) => n,
        None => n.child("FirstOccurrence").unwrap_or(n),
    };
    let start = time(times, "Start", what)?;
    let end = time(times, "End", what)?;
    let all_day = n.child_text("IsAllDayEvent") == Some("true");
    let when = if all_day {
        let first_day = local_day(start, zone);
        let end_day = local_day(end, zone).max(first_day + Duration::days(1));
        When::AllDay { first_day, end_day }
    } else {
        When::timed(start, end, zone)
    };
    let mut a = Appointment::new(&text(n, "Subject"), when);
    a.location = text(n, "Location");
    a.body = body(n);
    a.sensitivity = sensitivity(n);
    a.importance = importance(n);
    a.categories = categories(n);
    a.attendees = attendees(n);
    a.attachments = attachments(n);
    a.reminder = (n.child_text("ReminderIsSet") == Some("true")).then(|| Reminder {
        minutes_before: n
            .child_text("ReminderMinutesBeforeStart")
            .and_then(|m| m.parse().ok())
            .unwrap_or(15),
    });
    a.sync_tag = extended(n, ExtendedField::SYNC).is_some_and(is_true);
    a.organizer = n
        .child("Organizer")
        .and_then(|o| o.child("Mailbox"))
        .and_then(mailbox_address);
    if n.child_text("CalendarItemType") == Some("RecurringMaster")
        && let Some(r) = n.child("Recurrence")
    {
        a.recurrence = read_recurrence(r, n, zone, all_day);
    }
    Ok(a)
}

fn is_true(v: &str) -> bool {
    v.eq_ignore_ascii_case("true") || v == "1"
}

fn task(n: Node<'_, '_>) -> Task {
    let mut t = Task::new(&text(n, "Subject"));
    t.body = body(n);
    t.sensitivity = sensitivity(n);
    t.importance = importance(n);
    t.categories = categories(n);
    t.attachments = attachments(n);
    t.start_date = n
        .child_text("StartDate")
        .and_then(parse_instant)
        .map(nearest_day);
    t.due_date = n
        .child_text("DueDate")
        .and_then(parse_instant)
        .map(nearest_day);
    t.status = match n.child_text("Status") {
        Some("InProgress") => TaskStatus::InProgress,
        Some("Completed") => TaskStatus::Completed,
        Some("WaitingOnOthers") => TaskStatus::WaitingOnOthers,
        Some("Deferred") => TaskStatus::Deferred,
        _ => TaskStatus::NotStarted,
    };
    t.completed = t.status == TaskStatus::Completed;
    t.percent_complete = n
        .child_text("PercentComplete")
        .and_then(|p| p.parse::<f64>().ok())
        .map_or(0, |p| p.clamp(0.0, 100.0) as u8);
    t.sync_tag = extended(n, ExtendedField::SYNC).is_some_and(is_true);
    t
}

fn keyed(n: Node<'_, '_>, list: &str, key: &str) -> String {
    n.child(list)
        .and_then(|l| {
            l.children_named("Entry")
                .find(|e| e.attr("Key").as_deref() == Some(key))
        })
        .map(|e| e.text().to_owned())
        .unwrap_or_default()
}

fn contact(n: Node<'_, '_>) -> Contact {
    let emails = ["EmailAddress1", "EmailAddress2", "EmailAddress3"]
        .iter()
        .filter_map(|k| keyed(n, "EmailAddresses", k).parse::<EmailAddress>().ok())
        .collect();
    let address = n
        .child("PhysicalAddresses")
        .and_then(|l| {
            l.children_named("Entry")
                .find(|e| e.attr("Key").as_deref() == Some("Business"))
        })
        .map(|e| PostalAddress {
            street: text(e, "Street"),
            city: text(e, "City"),
            state: text(e, "State"),
            postal_code: text(e, "PostalCode"),
            // Some servers (and Microsoft's own sample) write Country.
            country: e
                .child_text("CountryOrRegion")
                .or_else(|| e.child_text("Country"))
                .unwrap_or("")
                .to_owned(),
        })
        .unwrap_or_default();
    Contact {
        given_name: text(n, "GivenName"),
        surname: text(n, "Surname"),
        middle_name: text(n, "MiddleName"),
        title: extended(n, ExtendedField::TITLE)
            .map(str::to_owned)
            .or_else(|| {
                n.path(&["CompleteName", "Title"])
                    .map(|t| t.text().to_owned())
            })
            .unwrap_or_default(),
        file_as: text(n, "FileAs"),
        display_name: text(n, "DisplayName"),
        company: text(n, "CompanyName"),
        department: text(n, "Department"),
        job_title: text(n, "JobTitle"),
        emails,
        business_phone: keyed(n, "PhoneNumbers", "BusinessPhone"),
        mobile_phone: keyed(n, "PhoneNumbers", "MobilePhone"),
        business_fax: keyed(n, "PhoneNumbers", "BusinessFax"),
        business_address: address,
    }
}

/// Reads one item element (`CalendarItem`, `Task`, `Contact`; other item
/// kinds are refused). `default_zone` applies where the item names none.
pub fn read_item(n: Node<'_, '_>, default_zone: Zone) -> Result<ReadItem, EwsError> {
    let id_node = n
        .child("ItemId")
        .ok_or_else(|| EwsError::Unexpected(format!("a <{}> without ItemId", n.name())))?;
    let raw_id = id_node.attr("Id").unwrap_or_default();
    let id: ItemId = raw_id
        .parse()
        .map_err(|e| EwsError::Unexpected(format!("<{}> has an unusable ItemId: {e}", n.name())))?;
    let what = format!("{} {}", n.name(), shorten(&raw_id));
    let version: Version = id_node
        .attr("ChangeKey")
        .unwrap_or_default()
        .parse()
        .map_err(|e| EwsError::Unexpected(format!("{what} has an unusable ChangeKey: {e}")))?;
    let record = match n.name() {
        "CalendarItem" => Record::Appointment(appointment(n, default_zone, &what)?),
        "Task" => Record::Task(task(n)),
        "Contact" => Record::Contact(contact(n)),
        other => {
            return Err(EwsError::Unexpected(format!(
                "{what}: a <{other}> is not an appointment, task or contact"
            )));
        }
    };
    let link_key = extended(n, ExtendedField::KEY).and_then(|k| match k.parse::<S4Key>() {
        Ok(k) => Some(k),
        Err(e) => {
            tracing::warn!(item = %what, error = %e, "ignoring an unreadable maiconnect-key");
            None
        }
    });
    let calendar_type = n.child_text("CalendarItemType").map(str::to_owned);
    let original_start = n.child_text("OriginalStart").and_then(parse_instant);
    Ok(ReadItem {
        item: MailboxItem {
            key: ExchangeKey::item(id),
            version,
            record,
            changed_at: n.child_text("LastModifiedTime").and_then(parse_instant),
            link_key,
        },
        calendar_type,
        original_start,
    })
}
