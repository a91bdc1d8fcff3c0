//! Keys that identify an object on each side, and the record enum that the
//! state store keeps.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ids::{ActivityId, InvalidId, ItemId, PartnerNo};
use crate::model::{Appointment, Contact, Task};

/// What kind of object a pair holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    /// Appointment / calendar item.
    Appointment,
    /// Task.
    Task,
    /// Contact person / contact.
    Contact,
}

impl ObjectKind {
    /// All kinds.
    pub const ALL: [ObjectKind; 3] = [
        ObjectKind::Appointment,
        ObjectKind::Task,
        ObjectKind::Contact,
    ];

    /// The mailbox folder that holds this kind.
    pub fn folder(self) -> Folder {
        match self {
            ObjectKind::Appointment => Folder::Calendar,
            ObjectKind::Task => Folder::Tasks,
            ObjectKind::Contact => Folder::Contacts,
        }
    }
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ObjectKind::Appointment => "appointment",
            ObjectKind::Task => "task",
            ObjectKind::Contact => "contact",
        })
    }
}

/// A mailbox folder that maiconnect writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Folder {
    /// The default calendar.
    Calendar,
    /// The default tasks folder.
    Tasks,
    /// The default contacts folder, or the configured subfolder of it.
    Contacts,
}

impl Folder {
    /// All folders.
    pub const ALL: [Folder; 3] = [Folder::Calendar, Folder::Tasks, Folder::Contacts];

    /// The kind of object the folder holds.
    pub fn kind(self) -> ObjectKind {
        match self {
            Folder::Calendar => ObjectKind::Appointment,
            Folder::Tasks => ObjectKind::Task,
            Folder::Contacts => ObjectKind::Contact,
        }
    }
}

impl fmt::Display for Folder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Folder::Calendar => "calendar",
            Folder::Tasks => "tasks",
            Folder::Contacts => "contacts",
        })
    }
}

/// The key of an S/4HANA object, written as `<business object>:<key>`
/// (`BUS2000126:0050568c-…`, `BUS1006:0000004711`). This text is what the
/// mailbox item carries in maiconnect's extended property.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum S4Key {
    /// An appointment, BUS2000126.
    Appointment(ActivityId),
    /// A task, BUS2000125.
    Task(ActivityId),
    /// A business partner shown as a contact, BUS1006.
    Contact(PartnerNo),
}

impl S4Key {
    /// Business object type of an appointment.
    pub const BUS_APPOINTMENT: &'static str = "BUS2000126";
    /// Business object type of a task.
    pub const BUS_TASK: &'static str = "BUS2000125";
    /// Business object type of a business partner.
    pub const BUS_PARTNER: &'static str = "BUS1006";

    /// The kind of object.
    pub fn kind(&self) -> ObjectKind {
        match self {
            S4Key::Appointment(_) => ObjectKind::Appointment,
            S4Key::Task(_) => ObjectKind::Task,
            S4Key::Contact(_) => ObjectKind::Contact,
        }
    }

    /// The activity id, for appointments and tasks.
    pub fn activity(&self) -> Option<ActivityId> {
        match self {
            S4Key::Appointment(id) | S4Key::Task(id) => Some(*id),
            S4Key::Contact(_) => None,
        }
    }
}

impl fmt::Display for S4Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            S4Key::Appointment(id) => write!(f, "{}:{id}", S4Key::BUS_APPOINTMENT),
            S4Key::Task(id) => write!(f, "{}:{id}", S4Key::BUS_TASK),
            S4Key::Contact(p) => write!(f, "{}:{p}", S4Key::BUS_PARTNER),
        }
    }
}

impl FromStr for S4Key {
    type Err = InvalidId;
    fn from_str(s: &str) -> Result<Self, InvalidId> {
        let bad = |why| InvalidId {
            what: "S/4HANA object key",
            value: s.chars().take(80).collect(),
            why,
        };
        let (bo, key) = s
            .split_once(':')
            .ok_or_else(|| bad("expected <business object>:<key>"))?;
        match bo {
            S4Key::BUS_APPOINTMENT => key.parse().map(S4Key::Appointment),
            S4Key::BUS_TASK => key.parse().map(S4Key::Task),
            S4Key::BUS_PARTNER => key.parse().map(S4Key::Contact),
            _ => Err(bad(
                "unknown business object; expected BUS2000126, BUS2000125 or BUS1006",
            )),
        }
    }
}

impl Serialize for S4Key {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for S4Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The key of a mailbox item: an item, or one occurrence of a recurring
/// series (the series' item id plus the occurrence's original start).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ExchangeKey {
    /// The item id (of the series master for an occurrence).
    pub item: ItemId,
    /// The original start of the occurrence, for occurrences of a series.
    pub occurrence: Option<DateTime<Utc>>,
}

impl ExchangeKey {
    /// The key of a single item.
    pub fn item(item: ItemId) -> ExchangeKey {
        ExchangeKey {
            item,
            occurrence: None,
        }
    }
    /// Whether this is an occurrence of a recurring series.
    pub fn is_occurrence(&self) -> bool {
        self.occurrence.is_some()
    }
}

impl fmt::Display for ExchangeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.item.short())?;
        if let Some(o) = self.occurrence {
            write!(f, "@{}", o.format("%Y-%m-%dT%H:%MZ"))?;
        }
        Ok(())
    }
}

/// Any synchronised record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "record", rename_all = "snake_case")]
pub enum Record {
    /// An appointment.
    Appointment(Appointment),
    /// A task.
    Task(Task),
    /// A contact (boxed: it has the most fields, and would make every
    /// record as large as itself).
    Contact(Box<Contact>),
}

impl Record {
    /// The kind of record.
    pub fn kind(&self) -> ObjectKind {
        match self {
            Record::Appointment(_) => ObjectKind::Appointment,
            Record::Task(_) => ObjectKind::Task,
            Record::Contact(_) => ObjectKind::Contact,
        }
    }

    /// A one-line summary for logs, plans and the audit journal.
    pub fn summary(&self) -> String {
        match self {
            Record::Appointment(a) => format!("{:?} {}", a.subject, a.when),
            Record::Task(t) => match t.due_date {
                Some(d) => format!("{:?} due {d}", t.subject),
                None => format!("{:?}", t.subject),
            },
            Record::Contact(c) => format!("{} {}", c.given_name, c.surname).trim().to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s4_keys_round_trip_as_text() {
        for text in [
            "BUS2000126:0050568c-2b4f-1ee8-a1b2-c3d4e5f60718",
            "BUS2000125:0050568c-2b4f-1ee8-a1b2-c3d4e5f60719",
            "BUS1006:0000004711",
        ] {
            let k: S4Key = text.parse().unwrap();
            assert_eq!(k.to_string(), text);
        }
        assert!("BUS9999:1".parse::<S4Key>().is_err());
        assert!("nothing".parse::<S4Key>().is_err());
        assert_eq!(
            "BUS1006:4711".parse::<S4Key>().unwrap().to_string(),
            "BUS1006:0000004711"
        );
    }
}
