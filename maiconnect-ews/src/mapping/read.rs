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

/// The children of an item that the mapping reads, found in one pass
/// over them (an item has dozens of properties; looking each up by name
/// would walk them again and again).
#[derive(Default, Clone, Copy)]
struct Props<'d, 'a> {
    item_id: Option<Node<'d, 'a>>,
    subject: Option<Node<'d, 'a>>,
    sensitivity: Option<&'d str>,
    body: Option<Node<'d, 'a>>,
    attachments: Option<Node<'d, 'a>>,
    categories: Option<Node<'d, 'a>>,
    importance: Option<&'d str>,
    reminder_is_set: Option<&'d str>,
    reminder_minutes: Option<&'d str>,
    last_modified: Option<&'d str>,
    start: Option<Node<'d, 'a>>,
    end: Option<Node<'d, 'a>>,
    original_start: Option<&'d str>,
    all_day: Option<&'d str>,
    location: Option<Node<'d, 'a>>,
    calendar_type: Option<&'d str>,
    organizer: Option<Node<'d, 'a>>,
    required: Option<Node<'d, 'a>>,
    optional: Option<Node<'d, 'a>>,
    recurrence: Option<Node<'d, 'a>>,
    first_occurrence: Option<Node<'d, 'a>>,
    start_zone: Option<Node<'d, 'a>>,
    legacy_zone: Option<&'d str>,
    start_date: Option<&'d str>,
    due_date: Option<&'d str>,
    status: Option<&'d str>,
    percent: Option<&'d str>,
    key: Option<&'d str>,
    sync: Option<&'d str>,
    title: Option<&'d str>,
}

impl<'d, 'a> Props<'d, 'a> {
    fn of(n: Node<'d, 'a>) -> Props<'d, 'a> {
        let mut p = Props::default();
        for c in n.children() {
            match c.name() {
                "ItemId" => p.item_id = Some(c),
                "Subject" => p.subject = Some(c),
                "Sensitivity" => p.sensitivity = Some(c.text()),
                "Body" => p.body = Some(c),
                "Attachments" => p.attachments = Some(c),
                "Categories" => p.categories = Some(c),
                "Importance" => p.importance = Some(c.text()),
                "ReminderIsSet" => p.reminder_is_set = Some(c.text()),
                "ReminderMinutesBeforeStart" => p.reminder_minutes = Some(c.text()),
                "LastModifiedTime" => p.last_modified = Some(c.text()),
                "Start" => p.start = Some(c),
                "End" => p.end = Some(c),
                "OriginalStart" => p.original_start = Some(c.text()),
                "IsAllDayEvent" => p.all_day = Some(c.text()),
                "Location" => p.location = Some(c),
                "CalendarItemType" => p.calendar_type = Some(c.text()),
                "Organizer" => p.organizer = Some(c),
                "RequiredAttendees" => p.required = Some(c),
                "OptionalAttendees" => p.optional = Some(c),
                "Recurrence" => p.recurrence = Some(c),
                "FirstOccurrence" => p.first_occurrence = Some(c),
                "StartTimeZone" => p.start_zone = Some(c),
                "TimeZone" => p.legacy_zone = Some(c.text()),
                "StartDate" => p.start_date = Some(c.text()),
                "DueDate" => p.due_date = Some(c.text()),
                "Status" => p.status = Some(c.text()),
                "PercentComplete" => p.percent = Some(c.text()),
                "ExtendedProperty" => {
                    let Some(uri) = c.child("ExtendedFieldURI") else {
                        continue;
                    };
                    let value = c.child_text("Value");
                    match uri.attr("PropertyName").as_deref() {
                        Some(_) if ExtendedField::KEY.matches(uri) => p.key = value,
                        Some(_) if ExtendedField::SYNC.matches(uri) => p.sync = value,
                        Some(_) => {}
                        None if ExtendedField::TITLE.matches(uri) => p.title = value,
                        None => {}
                    }
                }
                _ => {}
            }
        }
        p
    }
}

fn text_of(n: Option<Node<'_, '_>>) -> String {
    n.map(|c| c.raw_text().trim().to_owned())
        .unwrap_or_default()
}

fn text(n: Node<'_, '_>, name: &str) -> String {
    text_of(n.child(name))
}

fn body(b: Option<Node<'_, '_>>) -> Body {
    match b {
        Some(b) if b.attr("BodyType").as_deref() == Some("HTML") => {
            Body::new(&html_to_text(b.raw_text()))
        }
        Some(b) => Body::new(b.raw_text()),
        None => Body::default(),
    }
}

fn sensitivity(s: Option<&str>) -> Sensitivity {
    match s {
        Some("Personal") => Sensitivity::Personal,
        Some("Private") => Sensitivity::Private,
        Some("Confidential") => Sensitivity::Confidential,
        _ => Sensitivity::Normal,
    }
}

fn importance(s: Option<&str>) -> Importance {
    match s {
        Some("Low") => Importance::Low,
        Some("High") => Importance::High,
        _ => Importance::Normal,
    }
}

fn categories(n: Option<Node<'_, '_>>) -> Vec<String> {
    n.map(|c| c.children().map(|s| s.text().to_owned()).collect())
        .unwrap_or_default()
}

fn attachments(list: Option<Node<'_, '_>>) -> Vec<Attachment> {
    let Some(list) = list else {
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

/// The SMTP address and display name of a `Mailbox` element.
fn mailbox(m: Node<'_, '_>) -> (Option<EmailAddress>, String) {
    let (mut address, mut name, mut smtp) = (None, String::new(), true);
    for c in m.children() {
        match c.name() {
            "EmailAddress" => address = Some(c.text()),
            "Name" => name = c.text().to_owned(),
            "RoutingType" => smtp = c.text().eq_ignore_ascii_case("SMTP"),
            _ => {}
        }
    }
    // Exchange-internal (EX) addresses are not e-mail addresses.
    let email = address.filter(|_| smtp).and_then(|a| a.parse().ok());
    (email, name)
}

fn attendees(required: Option<Node<'_, '_>>, optional: Option<Node<'_, '_>>) -> Vec<Attendee> {
    let mut out = Vec::new();
    for (list, required) in [(required, true), (optional, false)] {
        let Some(l) = list else { continue };
        for a in l.children() {
            let Some(m) = a.first_child().filter(|m| m.is("Mailbox")) else {
                continue;
            };
            let (email, name) = mailbox(m);
            out.push(Attendee {
                email,
                name,
                partner: None,
                function: None,
                required,
            });
        }
    }
    out
}

fn time(
    n: Option<Node<'_, '_>>,
    name: &str,
    what: &dyn Fn() -> String,
) -> Result<DateTime<Utc>, EwsError> {
    let raw = n.map(|n| n.text()).ok_or_else(|| {
        EwsError::Unexpected(format!("{} has no {name}; ask for calendar:{name}", what()))
    })?;
    parse_instant(raw).ok_or_else(|| {
        EwsError::Unexpected(format!("{}: {name} {raw:?} is not an xs:dateTime", what()))
    })
}

fn appointment(
    n: Node<'_, '_>,
    p: &Props<'_, '_>,
    default_zone: Zone,
    what: &dyn Fn() -> String,
) -> Result<Appointment, EwsError> {
    // Exchange 2007 names the zone in the legacy TimeZone element.
    let zone = p
        .start_zone
        .and_then(read_zone)
        .or_else(|| {
            p.legacy_zone
                .and_then(crate::timezone::windows_to_iana)
                .map(Zone::Iana)
        })
        .unwrap_or(default_zone);
    // A master read with few properties has only its first occurrence.
    let (start, end) = match (p.start, p.first_occurrence) {
        (None, Some(first)) => (first.child("Start"), first.child("End")),
        _ => (p.start, p.end),
    };
    let start = time(start, "Start", what)?;
    let end = time(end, "End", what)?;
    let all_day = p.all_day == Some("true");
    let when = if all_day {
        let first_day = local_day(start, zone);
        let end_day = local_day(end, zone).max(first_day + Duration::days(1));
        When::AllDay { first_day, end_day }
    } else {
        When::timed(start, end, zone)
    };
    let recurrence = match (p.calendar_type, p.recurrence) {
        (Some("RecurringMaster"), Some(r)) => read_recurrence(r, n, zone, all_day),
        _ => None,
    };
    Ok(Appointment {
        subject: text_of(p.subject),
        location: text_of(p.location),
        body: body(p.body),
        when,
        sensitivity: sensitivity(p.sensitivity),
        importance: importance(p.importance),
        attendees: attendees(p.required, p.optional),
        attachments: attachments(p.attachments),
        categories: categories(p.categories),
        reminder: (p.reminder_is_set == Some("true")).then(|| Reminder {
            minutes_before: p
                .reminder_minutes
                .and_then(|m| m.parse().ok())
                .unwrap_or(15),
        }),
        sync_tag: p.sync.is_some_and(is_true),
        recurrence: recurrence.map(Box::new),
        organizer: p
            .organizer
            .and_then(|o| o.child("Mailbox"))
            .and_then(|m| mailbox(m).0),
        transaction_type: None,
        status: None,
        owner: None,
        account: None,
    })
}

fn is_true(v: &str) -> bool {
    v.eq_ignore_ascii_case("true") || v == "1"
}

fn task(p: &Props<'_, '_>) -> Task {
    let status = match p.status {
        Some("InProgress") => TaskStatus::InProgress,
        Some("Completed") => TaskStatus::Completed,
        Some("WaitingOnOthers") => TaskStatus::WaitingOnOthers,
        Some("Deferred") => TaskStatus::Deferred,
        _ => TaskStatus::NotStarted,
    };
    let mut t = Task::new("");
    t.subject = text_of(p.subject);
    t.body = body(p.body);
    t.sensitivity = sensitivity(p.sensitivity);
    t.importance = importance(p.importance);
    t.categories = categories(p.categories);
    t.attachments = attachments(p.attachments);
    t.start_date = p.start_date.and_then(parse_instant).map(nearest_day);
    t.due_date = p.due_date.and_then(parse_instant).map(nearest_day);
    t.status = status;
    t.completed = status == TaskStatus::Completed;
    t.percent_complete = p
        .percent
        .and_then(|v| v.parse::<f64>().ok())
        .map_or(0, |v| v.clamp(0.0, 100.0) as u8);
    t.sync_tag = p.sync.is_some_and(is_true);
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

fn contact(n: Node<'_, '_>, p: &Props<'_, '_>) -> Contact {
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
        title: p
            .title
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
    let p = Props::of(n);
    let id_node = p
        .item_id
        .ok_or_else(|| EwsError::Unexpected(format!("a <{}> without ItemId", n.name())))?;
    let raw_id = id_node.attr("Id").unwrap_or_default();
    let id: ItemId = raw_id
        .parse()
        .map_err(|e| EwsError::Unexpected(format!("<{}> has an unusable ItemId: {e}", n.name())))?;
    let what = || format!("{} {}", n.name(), shorten(&raw_id));
    let version: Version = id_node
        .attr("ChangeKey")
        .unwrap_or_default()
        .parse()
        .map_err(|e| EwsError::Unexpected(format!("{} has an unusable ChangeKey: {e}", what())))?;
    let record = match n.name() {
        "CalendarItem" => Record::Appointment(appointment(n, &p, default_zone, &what)?),
        "Task" => Record::Task(task(&p)),
        "Contact" => Record::Contact(Box::new(contact(n, &p))),
        other => {
            return Err(EwsError::Unexpected(format!(
                "{}: a <{other}> is not an appointment, task or contact",
                what()
            )));
        }
    };
    let link_key = p.key.and_then(|k| match k.parse::<S4Key>() {
        Ok(k) => Some(k),
        Err(e) => {
            tracing::warn!(item = %what(), error = %e, "ignoring an unreadable maiconnect-key");
            None
        }
    });
    Ok(ReadItem {
        item: MailboxItem {
            key: ExchangeKey::item(id),
            version,
            record,
            changed_at: p.last_modified.and_then(parse_instant),
            link_key,
        },
        calendar_type: p.calendar_type.map(str::to_owned),
        original_start: p.original_start.and_then(parse_instant),
    })
}
