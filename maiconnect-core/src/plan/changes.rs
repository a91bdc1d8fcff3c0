//! The new values an update writes: field by field, not whole records.
//!
//! An update operation carries only what changes. The executor applies the
//! [`Changes`] to the copy it read, which gives the record the adapter
//! writes and the state the link records afterwards.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::EmailAddress;
use crate::model::{
    Attachment, Attendee, Body, Importance, PostalAddress, Record, Sensitivity, When,
};
use crate::plan::fields::{Field, SyncRecord};

/// The value of one merged field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// A plain text field (subject, location, contact names and numbers).
    Text(String),
    /// The long text.
    Body(Body),
    /// Start and end.
    When(When),
    /// The sensitivity; only "private or not" is merged.
    Sensitivity(Sensitivity),
    /// Importance / priority.
    Importance(Importance),
    /// The attendees.
    Attendees(Vec<Attendee>),
    /// The attachments.
    Attachments(Vec<Attachment>),
    /// A date that may be unset (a task's due date).
    Date(Option<NaiveDate>),
    /// A yes/no field (a task's completion).
    Flag(bool),
    /// E-mail addresses.
    Emails(Vec<EmailAddress>),
    /// A postal address.
    Address(PostalAddress),
}

/// Renders text for plans, cut after 60 characters.
fn cut(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    const MAX: usize = 60;
    let mut out: String = text.chars().take(MAX).collect();
    if text.chars().nth(MAX).is_some() {
        out.push('…');
    }
    write!(f, "{out:?}")
}

fn list<T: fmt::Display>(f: &mut fmt::Formatter<'_>, items: &[T]) -> fmt::Result {
    f.write_str("[")?;
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{x}")?;
    }
    f.write_str("]")
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Text(t) => cut(f, t),
            Value::Body(b) => cut(f, b.as_str()),
            Value::When(w) => write!(f, "{w}"),
            Value::Sensitivity(s) => write!(f, "{}", s.is_private()),
            Value::Importance(i) => write!(f, "{i:?}"),
            Value::Attendees(a) => list(f, a),
            Value::Attachments(a) => list(f, a),
            Value::Date(Some(d)) => write!(f, "{d}"),
            Value::Date(None) => f.write_str("none"),
            Value::Flag(b) => write!(f, "{b}"),
            Value::Emails(e) => list(f, e),
            Value::Address(a) => cut(
                f,
                &format!("{}, {} {}, {}", a.street, a.postal_code, a.city, a.country),
            ),
        }
    }
}

/// One field and its new value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The field.
    pub field: Field,
    /// Its new value.
    pub value: Value,
}

/// The new values of the fields an update writes, in plan order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Changes(Vec<Change>);

impl Changes {
    /// No changes.
    pub fn new() -> Changes {
        Changes(Vec::new())
    }
    /// Sets `field` to `value`, replacing an earlier value of the field.
    pub fn set(&mut self, field: Field, value: Value) {
        match self.0.iter_mut().find(|c| c.field == field) {
            Some(c) => c.value = value,
            None => self.0.push(Change { field, value }),
        }
    }
    /// The new value of `field`, if it changes.
    pub fn get(&self, field: Field) -> Option<&Value> {
        self.0.iter().find(|c| c.field == field).map(|c| &c.value)
    }
    /// The new value of `field`, to adjust it.
    pub fn get_mut(&mut self, field: Field) -> Option<&mut Value> {
        self.0
            .iter_mut()
            .find(|c| c.field == field)
            .map(|c| &mut c.value)
    }
    /// Whether `field` changes.
    pub fn contains(&self, field: Field) -> bool {
        self.0.iter().any(|c| c.field == field)
    }
    /// The fields that change, in order.
    pub fn fields(&self) -> Vec<Field> {
        self.0.iter().map(|c| c.field).collect()
    }
    /// Each change, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Change> {
        self.0.iter()
    }
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Writes the new values into `record`.
    pub fn apply_to<R: SyncRecord>(&self, record: &mut R) {
        for c in &self.0 {
            record.set_value(c.field, c.value.clone());
        }
    }
    /// Writes the new values into a record of any kind.
    pub fn apply_to_record(&self, record: &mut Record) {
        match record {
            Record::Appointment(a) => self.apply_to(a),
            Record::Task(t) => self.apply_to(t),
            Record::Contact(c) => self.apply_to(&mut **c),
        }
    }
    /// Whether `record` holds these values already (compared as the merge
    /// compares: attendees as a set, attachments by name and size).
    pub fn held_by(&self, record: &Record) -> bool {
        fn holds<R: SyncRecord>(c: &Changes, r: &R) -> bool {
            let target = c.applied(r);
            c.0.iter().all(|x| target.same(r, x.field))
        }
        match record {
            Record::Appointment(a) => holds(self, a),
            Record::Task(t) => holds(self, t),
            Record::Contact(c) => holds(self, &**c),
        }
    }
    /// The values `record` holds in the fields `fields`.
    pub fn of(record: &Record, fields: impl IntoIterator<Item = Field>) -> Changes {
        fn values<R: SyncRecord>(r: &R, fields: impl IntoIterator<Item = Field>) -> Changes {
            Changes(
                fields
                    .into_iter()
                    .map(|field| Change {
                        field,
                        value: r.value(field),
                    })
                    .collect(),
            )
        }
        match record {
            Record::Appointment(a) => values(a, fields),
            Record::Task(t) => values(t, fields),
            Record::Contact(c) => values(&**c, fields),
        }
    }
    /// `record` with the new values written into it.
    pub fn applied<R: SyncRecord>(&self, record: &R) -> R {
        let mut r = record.clone();
        self.apply_to(&mut r);
        r
    }
}

impl fmt::Display for Changes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{} = {}", c.field, c.value)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Appointment, Contact, Task};
    use crate::testing::samples::{
        appointment_a, appointment_b, contact_a, contact_b, task_a, task_b,
    };

    fn round_trip<R: SyncRecord>(a: &R, b: &R) {
        let mut changes = Changes::new();
        for f in R::MERGED {
            changes.set(*f, b.value(*f));
        }
        let c = changes.applied(a);
        assert!(R::MERGED.iter().all(|f| c.same(b, *f)), "{changes}");
        let json = serde_json::to_string(&changes).unwrap();
        assert_eq!(serde_json::from_str::<Changes>(&json).unwrap(), changes);
    }

    #[test]
    fn every_merged_field_travels_as_a_value() {
        round_trip::<Appointment>(&appointment_a(), &appointment_b());
        round_trip::<Task>(&task_a(), &task_b());
        round_trip::<Contact>(&contact_a(), &contact_b());
    }

    #[test]
    fn a_field_set_twice_keeps_the_last_value() {
        let mut c = Changes::new();
        c.set(Field::Subject, Value::Text("a".into()));
        c.set(Field::Location, Value::Text("b".into()));
        c.set(Field::Subject, Value::Text("c".into()));
        assert_eq!(c.fields(), [Field::Subject, Field::Location]);
        assert_eq!(c.to_string(), "subject = \"c\"; location = \"b\"");
    }

    #[test]
    fn long_text_is_cut_for_display() {
        let v = Value::Text("x".repeat(61));
        assert_eq!(v.to_string(), format!("\"{}…\"", "x".repeat(60)));
        assert_eq!(Value::Text("x".repeat(60)).to_string().chars().count(), 62);
    }
}
