//! The fields that the planner merges, per kind of record.
//!
//! A field is merged only when both systems hold it; fields that one side
//! lacks (Outlook categories, the CRM transaction type, …) never flow, so a
//! side that cannot store a value never reports it as changed.

use std::fmt;
use std::str::FromStr;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::model::{Appointment, Attachment, Attendee, Contact, ObjectKind, Record, Task};
use crate::plan::changes::Value;

/// A merged field of an appointment, task or contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Subject / description.
    Subject,
    /// Location.
    Location,
    /// Long text.
    Body,
    /// Start and end (appointments).
    When,
    /// Private flag.
    Private,
    /// Importance / priority.
    Importance,
    /// Attendees / partners (appointments).
    Attendees,
    /// File attachments.
    Attachments,
    /// Due date (tasks).
    DueDate,
    /// Completed (tasks).
    Completed,
    /// First name (contacts).
    GivenName,
    /// Last name (contacts).
    Surname,
    /// Middle name (contacts).
    MiddleName,
    /// Title (contacts).
    Title,
    /// File as (contacts).
    FileAs,
    /// Display name (contacts).
    DisplayName,
    /// Company (contacts).
    Company,
    /// Department (contacts).
    Department,
    /// Job title (contacts).
    JobTitle,
    /// E-mail addresses (contacts).
    Emails,
    /// Business phone (contacts).
    BusinessPhone,
    /// Mobile phone (contacts).
    MobilePhone,
    /// Business fax (contacts).
    BusinessFax,
    /// Business address (contacts).
    BusinessAddress,
}

impl Field {
    /// How the field merges: attendees and attachments as sets, the rest
    /// whole.
    pub fn merge_kind(self) -> MergeKind {
        match self {
            Field::Attendees | Field::Attachments => MergeKind::Set,
            _ => MergeKind::Scalar,
        }
    }

    /// The name used in configuration, plans and the audit journal.
    pub fn name(self) -> &'static str {
        match self {
            Field::Subject => "subject",
            Field::Location => "location",
            Field::Body => "body",
            Field::When => "when",
            Field::Private => "private",
            Field::Importance => "importance",
            Field::Attendees => "attendees",
            Field::Attachments => "attachments",
            Field::DueDate => "due_date",
            Field::Completed => "completed",
            Field::GivenName => "given_name",
            Field::Surname => "surname",
            Field::MiddleName => "middle_name",
            Field::Title => "title",
            Field::FileAs => "file_as",
            Field::DisplayName => "display_name",
            Field::Company => "company",
            Field::Department => "department",
            Field::JobTitle => "job_title",
            Field::Emails => "emails",
            Field::BusinessPhone => "business_phone",
            Field::MobilePhone => "mobile_phone",
            Field::BusinessFax => "business_fax",
            Field::BusinessAddress => "business_address",
        }
    }

    /// Every field.
    pub const ALL: [Field; 24] = [
        Field::Subject,
        Field::Location,
        Field::Body,
        Field::When,
        Field::Private,
        Field::Importance,
        Field::Attendees,
        Field::Attachments,
        Field::DueDate,
        Field::Completed,
        Field::GivenName,
        Field::Surname,
        Field::MiddleName,
        Field::Title,
        Field::FileAs,
        Field::DisplayName,
        Field::Company,
        Field::Department,
        Field::JobTitle,
        Field::Emails,
        Field::BusinessPhone,
        Field::MobilePhone,
        Field::BusinessFax,
        Field::BusinessAddress,
    ];
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Field {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Field::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| format!("{s:?} is not a synchronised field"))
    }
}

/// How a field's values are merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeKind {
    /// The whole value flows.
    Scalar,
    /// A set of elements matched by key: additions and removals on either
    /// side are merged element by element.
    Set,
}

/// A record type that the planner can merge field by field.
pub trait SyncRecord:
    Clone + PartialEq + fmt::Debug + Serialize + DeserializeOwned + Send + Sync + 'static
{
    /// The kind of object.
    const KIND: ObjectKind;
    /// The fields both systems hold, in the order plans list them.
    const MERGED: &'static [Field];

    /// Whether two records hold the same value in `field`.
    fn same(&self, other: &Self, field: Field) -> bool;
    /// The value of `field` (a copy). A field the record does not merge
    /// reads as empty text; the planner asks only for [`SyncRecord::MERGED`].
    fn value(&self, field: Field) -> Value;
    /// Sets `field`; a value of another shape than the field's is ignored.
    fn set_value(&mut self, field: Field, value: Value);
    /// Copies `field` from `other` into `self`.
    fn copy_field(&mut self, other: &Self, field: Field) {
        self.set_value(field, other.value(field));
    }
    /// The attendees, for records that have them.
    fn attendees(&self) -> &[Attendee] {
        &[]
    }
    /// Replaces the attendees.
    fn set_attendees(&mut self, _: Vec<Attendee>) {}
    /// The attachments, for records that have them.
    fn attachments(&self) -> &[Attachment] {
        &[]
    }
    /// Replaces the attachments.
    fn set_attachments(&mut self, _: Vec<Attachment>) {}
    /// Keeps only the attachments `keep` accepts.
    fn retain_attachments(&mut self, _keep: impl FnMut(&Attachment) -> bool) {}
    /// Keeps only the attendees `keep` accepts.
    fn retain_attendees(&mut self, _keep: impl FnMut(&Attendee) -> bool) {}

    /// Wraps the record.
    fn into_record(self) -> Record;
    /// Unwraps a record of this kind.
    fn from_record(record: &Record) -> Option<&Self>;
    /// A text rendering of one field's value, for plans and the audit journal.
    fn show(&self, field: Field) -> String {
        self.value(field).to_string()
    }
    /// Whether two records hold the same values in every merged field.
    fn same_merged(&self, other: &Self) -> bool {
        Self::MERGED.iter().all(|f| self.same(other, *f))
    }
}

impl SyncRecord for Appointment {
    const KIND: ObjectKind = ObjectKind::Appointment;
    const MERGED: &'static [Field] = &[
        Field::Subject,
        Field::Location,
        Field::Body,
        Field::When,
        Field::Private,
        Field::Importance,
        Field::Attendees,
        Field::Attachments,
    ];

    fn same(&self, o: &Self, field: Field) -> bool {
        match field {
            Field::Subject => self.subject == o.subject,
            Field::Location => self.location == o.location,
            Field::Body => self.body == o.body,
            Field::When => self.when.same_time(&o.when),
            Field::Private => self.is_private() == o.is_private(),
            Field::Importance => self.importance == o.importance,
            Field::Attendees => same_attendees(&self.attendees, &o.attendees),
            Field::Attachments => same_attachments(&self.attachments, &o.attachments),
            _ => true,
        }
    }

    fn value(&self, field: Field) -> Value {
        match field {
            Field::Subject => Value::Text(self.subject.clone()),
            Field::Location => Value::Text(self.location.clone()),
            Field::Body => Value::Body(self.body.clone()),
            Field::When => Value::When(self.when.clone()),
            Field::Private => Value::Sensitivity(self.sensitivity),
            Field::Importance => Value::Importance(self.importance),
            Field::Attendees => Value::Attendees(self.attendees.clone()),
            Field::Attachments => Value::Attachments(self.attachments.clone()),
            _ => Value::Text(String::new()),
        }
    }

    fn set_value(&mut self, field: Field, value: Value) {
        match (field, value) {
            (Field::Subject, Value::Text(v)) => self.subject = v,
            (Field::Location, Value::Text(v)) => self.location = v,
            (Field::Body, Value::Body(v)) => self.body = v,
            (Field::When, Value::When(v)) => self.when = v,
            (Field::Private, Value::Sensitivity(v)) => self.sensitivity = v,
            (Field::Importance, Value::Importance(v)) => self.importance = v,
            (Field::Attendees, Value::Attendees(v)) => self.attendees = v,
            (Field::Attachments, Value::Attachments(v)) => self.attachments = v,
            _ => {}
        }
    }

    fn attendees(&self) -> &[Attendee] {
        &self.attendees
    }
    fn set_attendees(&mut self, a: Vec<Attendee>) {
        self.attendees = a;
    }
    fn attachments(&self) -> &[Attachment] {
        &self.attachments
    }
    fn set_attachments(&mut self, a: Vec<Attachment>) {
        self.attachments = a;
    }
    fn retain_attachments(&mut self, keep: impl FnMut(&Attachment) -> bool) {
        self.attachments.retain(keep);
    }
    fn retain_attendees(&mut self, keep: impl FnMut(&Attendee) -> bool) {
        self.attendees.retain(keep);
    }

    fn into_record(self) -> Record {
        Record::Appointment(self)
    }
    fn from_record(r: &Record) -> Option<&Self> {
        match r {
            Record::Appointment(a) => Some(a),
            _ => None,
        }
    }
}

impl SyncRecord for Task {
    const KIND: ObjectKind = ObjectKind::Task;
    const MERGED: &'static [Field] = &[
        Field::Subject,
        Field::Body,
        Field::DueDate,
        Field::Completed,
        Field::Private,
        Field::Importance,
        Field::Attachments,
    ];

    fn same(&self, o: &Self, field: Field) -> bool {
        match field {
            Field::Subject => self.subject == o.subject,
            Field::Body => self.body == o.body,
            Field::DueDate => self.due_date == o.due_date,
            Field::Completed => self.completed == o.completed,
            Field::Private => self.is_private() == o.is_private(),
            Field::Importance => self.importance == o.importance,
            Field::Attachments => same_attachments(&self.attachments, &o.attachments),
            _ => true,
        }
    }

    fn value(&self, field: Field) -> Value {
        match field {
            Field::Subject => Value::Text(self.subject.clone()),
            Field::Body => Value::Body(self.body.clone()),
            Field::DueDate => Value::Date(self.due_date),
            Field::Completed => Value::Flag(self.completed),
            Field::Private => Value::Sensitivity(self.sensitivity),
            Field::Importance => Value::Importance(self.importance),
            Field::Attachments => Value::Attachments(self.attachments.clone()),
            _ => Value::Text(String::new()),
        }
    }

    fn set_value(&mut self, field: Field, value: Value) {
        match (field, value) {
            (Field::Subject, Value::Text(v)) => self.subject = v,
            (Field::Body, Value::Body(v)) => self.body = v,
            (Field::DueDate, Value::Date(v)) => self.due_date = v,
            (Field::Completed, Value::Flag(v)) => self.completed = v,
            (Field::Private, Value::Sensitivity(v)) => self.sensitivity = v,
            (Field::Importance, Value::Importance(v)) => self.importance = v,
            (Field::Attachments, Value::Attachments(v)) => self.attachments = v,
            _ => {}
        }
    }

    fn attachments(&self) -> &[Attachment] {
        &self.attachments
    }
    fn set_attachments(&mut self, a: Vec<Attachment>) {
        self.attachments = a;
    }
    fn retain_attachments(&mut self, keep: impl FnMut(&Attachment) -> bool) {
        self.attachments.retain(keep);
    }

    fn into_record(self) -> Record {
        Record::Task(self)
    }
    fn from_record(r: &Record) -> Option<&Self> {
        match r {
            Record::Task(t) => Some(t),
            _ => None,
        }
    }
}

impl SyncRecord for Contact {
    const KIND: ObjectKind = ObjectKind::Contact;
    const MERGED: &'static [Field] = &[
        Field::GivenName,
        Field::Surname,
        Field::MiddleName,
        Field::Title,
        Field::FileAs,
        Field::DisplayName,
        Field::Company,
        Field::Department,
        Field::JobTitle,
        Field::Emails,
        Field::BusinessPhone,
        Field::MobilePhone,
        Field::BusinessFax,
        Field::BusinessAddress,
    ];

    fn same(&self, o: &Self, field: Field) -> bool {
        match field {
            Field::GivenName => self.given_name == o.given_name,
            Field::Surname => self.surname == o.surname,
            Field::MiddleName => self.middle_name == o.middle_name,
            Field::Title => self.title == o.title,
            Field::FileAs => self.file_as == o.file_as,
            Field::DisplayName => self.display_name == o.display_name,
            Field::Company => self.company == o.company,
            Field::Department => self.department == o.department,
            Field::JobTitle => self.job_title == o.job_title,
            Field::Emails => self.emails == o.emails,
            Field::BusinessPhone => self.business_phone == o.business_phone,
            Field::MobilePhone => self.mobile_phone == o.mobile_phone,
            Field::BusinessFax => self.business_fax == o.business_fax,
            Field::BusinessAddress => self.business_address == o.business_address,
            _ => true,
        }
    }

    fn value(&self, field: Field) -> Value {
        let text = |t: &String| Value::Text(t.clone());
        match field {
            Field::GivenName => text(&self.given_name),
            Field::Surname => text(&self.surname),
            Field::MiddleName => text(&self.middle_name),
            Field::Title => text(&self.title),
            Field::FileAs => text(&self.file_as),
            Field::DisplayName => text(&self.display_name),
            Field::Company => text(&self.company),
            Field::Department => text(&self.department),
            Field::JobTitle => text(&self.job_title),
            Field::Emails => Value::Emails(self.emails.clone()),
            Field::BusinessPhone => text(&self.business_phone),
            Field::MobilePhone => text(&self.mobile_phone),
            Field::BusinessFax => text(&self.business_fax),
            Field::BusinessAddress => Value::Address(self.business_address.clone()),
            _ => Value::Text(String::new()),
        }
    }

    fn set_value(&mut self, field: Field, value: Value) {
        match (field, value) {
            (Field::GivenName, Value::Text(v)) => self.given_name = v,
            (Field::Surname, Value::Text(v)) => self.surname = v,
            (Field::MiddleName, Value::Text(v)) => self.middle_name = v,
            (Field::Title, Value::Text(v)) => self.title = v,
            (Field::FileAs, Value::Text(v)) => self.file_as = v,
            (Field::DisplayName, Value::Text(v)) => self.display_name = v,
            (Field::Company, Value::Text(v)) => self.company = v,
            (Field::Department, Value::Text(v)) => self.department = v,
            (Field::JobTitle, Value::Text(v)) => self.job_title = v,
            (Field::Emails, Value::Emails(v)) => self.emails = v,
            (Field::BusinessPhone, Value::Text(v)) => self.business_phone = v,
            (Field::MobilePhone, Value::Text(v)) => self.mobile_phone = v,
            (Field::BusinessFax, Value::Text(v)) => self.business_fax = v,
            (Field::BusinessAddress, Value::Address(v)) => self.business_address = v,
            _ => {}
        }
    }

    fn into_record(self) -> Record {
        Record::Contact(Box::new(self))
    }
    fn from_record(r: &Record) -> Option<&Self> {
        match r {
            Record::Contact(c) => Some(c),
            _ => None,
        }
    }
}

/// Attendees are a set: the order in which each side lists them means
/// nothing (each attendee counts as often as it is listed).
fn same_attendees(a: &[Attendee], b: &[Attendee]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a == b {
        return true;
    }
    let mut count: std::collections::HashMap<&Attendee, isize> = std::collections::HashMap::new();
    for x in a {
        *count.entry(x).or_default() += 1;
    }
    for y in b {
        *count.entry(y).or_default() -= 1;
    }
    count.values().all(|n| *n == 0)
}

/// Attachments are the same when they hold the same files (by name and
/// size), whatever the content references say.
fn same_attachments(a: &[Attachment], b: &[Attachment]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    // Usually both lists hold the same files in the same order.
    if a.iter().zip(b).all(|(x, y)| {
        x.size == y.size && (x.name == y.name || x.name.eq_ignore_ascii_case(&y.name))
    }) {
        return true;
    }
    let mut x: Vec<_> = a.iter().map(Attachment::key).collect();
    let mut y: Vec<_> = b.iter().map(Attachment::key).collect();
    x.sort();
    y.sort();
    x == y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attendees_compare_as_a_set_with_multiplicity() {
        use crate::testing::samples::attendee;
        let (x, y) = (
            attendee("olga.meyer@customer.example", Some("100")),
            attendee("piet.jansen@customer.example", Some("101")),
        );
        assert!(same_attendees(
            &[x.clone(), y.clone()],
            &[y.clone(), x.clone()]
        ));
        assert!(!same_attendees(
            &[x.clone(), x.clone(), y.clone()],
            &[x.clone(), y.clone(), y.clone()]
        ));
        assert!(!same_attendees(
            std::slice::from_ref(&x),
            &[x.clone(), y.clone()]
        ));
        assert!(!same_attendees(&[x], &[y]));
    }

    #[test]
    fn field_names_round_trip() {
        for f in Field::ALL {
            assert_eq!(f.name().parse::<Field>().unwrap(), f);
        }
        assert!("colour".parse::<Field>().is_err());
    }

    #[test]
    fn every_merged_field_is_compared_and_copied() {
        // A field listed as merged must change `same` when copied from a
        // record that differs in it; otherwise it would never flow.
        let a = crate::testing::samples::appointment_a();
        let b = crate::testing::samples::appointment_b();
        for f in Appointment::MERGED {
            assert!(!a.same(&b, *f), "samples must differ in {f}");
            let mut c = a.clone();
            c.copy_field(&b, *f);
            assert!(c.same(&b, *f), "{f} was not copied");
        }
        let a = crate::testing::samples::task_a();
        let b = crate::testing::samples::task_b();
        for f in Task::MERGED {
            assert!(!a.same(&b, *f), "samples must differ in {f}");
            let mut c = a.clone();
            c.copy_field(&b, *f);
            assert!(c.same(&b, *f), "{f} was not copied");
        }
        let a = crate::testing::samples::contact_a();
        let b = crate::testing::samples::contact_b();
        for f in Contact::MERGED {
            assert!(!a.same(&b, *f), "samples must differ in {f}");
            let mut c = a.clone();
            c.copy_field(&b, *f);
            assert!(c.same(&b, *f), "{f} was not copied");
        }
    }
}
