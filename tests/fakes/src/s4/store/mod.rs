//! The fake's data: activities, attachments, business partners and their
//! relationships, with an undo log so that a `$batch` changeset can be
//! rolled back as a whole, and the events each change raises.
//!
//! Activities are stored as the property values of their entity type (in
//! the order of [`crate::s4::edm`]), so OData reads and writes need no
//! hand-written mapping; partners and relationships are typed, because
//! several entity sets are views of them.

mod index;
mod partner;
mod rows;
mod writes;

use std::collections::BTreeMap;

use bytes::Bytes;
use chrono::{DateTime, Duration, Utc};
use maiconnect_core::model::{ChangeType, S4ObjectType};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use partner::{Partner, Relationship};
pub use rows::Row;
pub use writes::WriteError;

use super::edm::{EntitySet, ServiceId};
use super::value::Value;

/// Which kind of activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActivityKind {
    /// An appointment (BUS2000126).
    Appointment,
    /// A task (BUS2000125).
    Task,
}

impl ActivityKind {
    /// The entity set of the kind.
    pub fn set(self) -> &'static EntitySet {
        match self {
            ActivityKind::Appointment => appointment_set(),
            ActivityKind::Task => task_set(),
        }
    }
    /// The service that serves it.
    pub fn service(self) -> ServiceId {
        match self {
            ActivityKind::Appointment => ServiceId::Appointments,
            ActivityKind::Task => ServiceId::Tasks,
        }
    }
    fn object_type(self) -> S4ObjectType {
        match self {
            ActivityKind::Appointment => S4ObjectType::Appointment,
            ActivityKind::Task => S4ObjectType::Task,
        }
    }
}

/// `AppointmentSet`.
pub fn appointment_set() -> &'static EntitySet {
    set(ServiceId::Appointments, "AppointmentSet")
}
/// `AttendeeSet`.
pub fn attendee_set() -> &'static EntitySet {
    set(ServiceId::Appointments, "AttendeeSet")
}
/// `Tasks`.
pub fn task_set() -> &'static EntitySet {
    set(ServiceId::Tasks, "Tasks")
}
/// `AttachmentSet` (the same type in both activity services).
pub fn attachment_set() -> &'static EntitySet {
    set(ServiceId::Appointments, "AttachmentSet")
}

fn set(service: ServiceId, name: &str) -> &'static EntitySet {
    match service.service().set(name) {
        Some(s) => s,
        // The names above are those of the static model; a typo is a bug
        // that every test run shows at once.
        None => unreachable!("entity set {name} missing from the model"),
    }
}

/// An appointment or task: its property values and (appointments) its
/// attendees' property values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Values in the order of the entity type's properties.
    pub values: Vec<Value>,
    /// Attendees, each in the order of `Attendee`'s properties.
    #[serde(default)]
    pub attendees: Vec<Vec<Value>>,
}

impl Activity {
    /// The value of a property by name.
    #[cfg(test)]
    pub fn get(&self, set: &EntitySet, name: &str) -> &Value {
        set.index(name)
            .and_then(|i| self.values.get(i))
            .unwrap_or(&Value::Null)
    }
    /// Sets a property by name (ignored if the type has none).
    pub fn set(&mut self, set: &EntitySet, name: &str, value: Value) {
        if let Some(slot) = set.index(name).and_then(|i| self.values.get_mut(i)) {
            *slot = value;
        }
    }
}

/// An attachment with its content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredAttachment {
    /// Values of the `Attachment` type.
    pub values: Vec<Value>,
    /// The activity kind it belongs to.
    pub owner: ActivityKind,
    /// The bytes.
    #[serde(with = "base64_bytes")]
    pub content: Bytes,
}

mod base64_bytes {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use bytes::Bytes;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(b: &Bytes, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(b))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Bytes, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD
            .decode(text)
            .map(Bytes::from)
            .map_err(serde::de::Error::custom)
    }
}

/// Number ranges.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counters {
    /// Last task display number.
    pub task_id: u64,
    /// Last relationship number.
    pub relationship: u64,
    /// Last document (attachment) number.
    pub document: u64,
}

#[derive(Debug, Clone)]
enum Undo {
    Appointment(Uuid, Option<Activity>),
    Task(Uuid, Option<Activity>),
    Attachment(String, Option<StoredAttachment>),
    Partner(String, Box<Option<Partner>>),
    Relationship(String, Box<Option<Relationship>>),
}

#[derive(Debug, Clone)]
struct Savepoint {
    undo: Vec<Undo>,
    counters: Counters,
    last_stamp: DateTime<Utc>,
    events: usize,
}

/// A change that raises an event when its transaction commits.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Object type.
    pub object_type: S4ObjectType,
    /// Object key.
    pub key: String,
    /// What happened.
    pub change: ChangeType,
    /// When.
    pub at: DateTime<Utc>,
    /// The relationship, for relationship events.
    pub relationship: Option<maiconnect_core::model::Relationship>,
}

/// Everything the fake S/4HANA holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Store {
    /// Appointments by GUID.
    pub appointments: BTreeMap<Uuid, Activity>,
    /// Tasks by GUID.
    pub tasks: BTreeMap<Uuid, Activity>,
    /// Attachments by document id.
    pub attachments: BTreeMap<String, StoredAttachment>,
    /// Business partners by number (ALPHA format).
    pub partners: BTreeMap<String, Partner>,
    /// Relationships by relationship number.
    pub relationships: BTreeMap<String, Relationship>,
    /// Number ranges.
    pub counters: Counters,
    /// The last change time stamp handed out.
    pub last_stamp: DateTime<Utc>,
    #[serde(skip)]
    savepoint: Option<Savepoint>,
    #[serde(skip)]
    changes: Vec<Change>,
    #[serde(skip, default = "fastrand::Rng::new")]
    rng: fastrand::Rng,
    #[serde(skip)]
    pub(crate) by_partner: index::PartnerIndex,
}

impl Store {
    /// An empty store whose GUIDs come from `seed`.
    pub fn new(seed: u64) -> Store {
        Store {
            appointments: BTreeMap::new(),
            tasks: BTreeMap::new(),
            attachments: BTreeMap::new(),
            partners: BTreeMap::new(),
            relationships: BTreeMap::new(),
            counters: Counters::default(),
            last_stamp: DateTime::<Utc>::UNIX_EPOCH,
            savepoint: None,
            changes: Vec::new(),
            rng: fastrand::Rng::with_seed(seed),
            by_partner: index::PartnerIndex::default(),
        }
    }

    /// Reseeds the id generator (after loading a persisted store).
    pub fn reseed(&mut self, seed: u64) {
        self.rng = fastrand::Rng::with_seed(seed);
    }

    /// A new random (v4) GUID from the seeded generator.
    pub fn new_guid(&mut self) -> Uuid {
        let mut bytes = [0u8; 16];
        self.rng.fill(&mut bytes);
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }

    /// A change time stamp: `now`, but strictly after the previous one (CRM
    /// time stamps have 100 ns resolution), so every change gets a new ETag
    /// even under a frozen clock.
    pub fn stamp(&mut self, now: DateTime<Utc>) -> DateTime<Utc> {
        let next = if now > self.last_stamp {
            now
        } else {
            self.last_stamp + Duration::nanoseconds(100)
        };
        self.last_stamp = next;
        next
    }

    /// Starts a transaction (a changeset, a single request).
    pub fn begin(&mut self) {
        self.savepoint = Some(Savepoint {
            undo: Vec::new(),
            counters: self.counters.clone(),
            last_stamp: self.last_stamp,
            events: self.changes.len(),
        });
    }

    /// Undoes everything since [`Store::begin`].
    pub fn rollback(&mut self) {
        let Some(sp) = self.savepoint.take() else {
            return;
        };
        for undo in sp.undo.into_iter().rev() {
            match undo {
                Undo::Appointment(k, v) => {
                    self.by_partner.invalidate();
                    restore(&mut self.appointments, k, v)
                }
                Undo::Task(k, v) => restore(&mut self.tasks, k, v),
                Undo::Attachment(k, v) => restore(&mut self.attachments, k, v),
                Undo::Partner(k, v) => restore(&mut self.partners, k, *v),
                Undo::Relationship(k, v) => restore(&mut self.relationships, k, *v),
            }
        }
        self.counters = sp.counters;
        self.last_stamp = sp.last_stamp;
        self.changes.truncate(sp.events);
    }

    /// Ends the transaction and hands out its changes, merged per object as
    /// one commit (one LUW) raises them: created+changed is created,
    /// created+deleted is nothing, changed+deleted is deleted.
    pub fn commit(&mut self) -> Vec<Change> {
        self.savepoint = None;
        let mut out: Vec<Change> = Vec::new();
        for c in self.changes.drain(..) {
            let same = out.iter().position(|o| {
                o.object_type == c.object_type && o.key == c.key && c.relationship.is_none()
            });
            match same {
                None => out.push(c),
                Some(i) => match (out[i].change, c.change) {
                    (ChangeType::Created, ChangeType::Deleted) => {
                        out.remove(i);
                    }
                    (ChangeType::Created, _) => out[i].at = c.at,
                    (_, ChangeType::Deleted) => out[i] = c,
                    (_, _) => out[i].at = c.at,
                },
            }
        }
        out
    }

    fn record(&mut self, undo: impl FnOnce(&Store) -> Undo) {
        if self.savepoint.is_some() {
            let u = undo(self);
            if let Some(sp) = self.savepoint.as_mut() {
                sp.undo.push(u);
            }
        }
    }

    /// Notes a change for the event handler.
    pub fn raise(&mut self, change: Change) {
        self.changes.push(change);
    }

    /// Notes an activity change.
    pub fn raise_activity(
        &mut self,
        kind: ActivityKind,
        guid: Uuid,
        change: ChangeType,
        at: DateTime<Utc>,
    ) {
        self.raise(Change {
            object_type: kind.object_type(),
            key: guid.hyphenated().to_string(),
            change,
            at,
            relationship: None,
        });
    }

    /// The activities of a kind.
    pub fn activities(&self, kind: ActivityKind) -> &BTreeMap<Uuid, Activity> {
        match kind {
            ActivityKind::Appointment => &self.appointments,
            ActivityKind::Task => &self.tasks,
        }
    }

    /// Writes an activity (undo-logged).
    pub fn put_activity(&mut self, kind: ActivityKind, guid: Uuid, activity: Activity) {
        self.record(|s| undo_activity(s, kind, guid));
        match kind {
            ActivityKind::Appointment => {
                self.by_partner.invalidate();
                self.appointments.insert(guid, activity)
            }
            ActivityKind::Task => self.tasks.insert(guid, activity),
        };
    }

    /// Removes an activity and its attachments (undo-logged).
    pub fn remove_activity(&mut self, kind: ActivityKind, guid: Uuid) -> Option<Activity> {
        self.record(|s| undo_activity(s, kind, guid));
        let removed = match kind {
            ActivityKind::Appointment => {
                self.by_partner.invalidate();
                self.appointments.remove(&guid)
            }
            ActivityKind::Task => self.tasks.remove(&guid),
        };
        let docs: Vec<String> = self
            .attachments
            .iter()
            .filter(|(_, a)| a.owner == kind && a.values.get(1) == Some(&Value::Guid(guid)))
            .map(|(k, _)| k.clone())
            .collect();
        for doc in docs {
            self.remove_attachment(&doc);
        }
        removed
    }

    /// Writes an attachment (undo-logged).
    pub fn put_attachment(&mut self, id: String, attachment: StoredAttachment) {
        self.record(|s| Undo::Attachment(id.clone(), s.attachments.get(&id).cloned()));
        self.attachments.insert(id, attachment);
    }

    /// Removes an attachment (undo-logged).
    pub fn remove_attachment(&mut self, id: &str) -> Option<StoredAttachment> {
        self.record(|s| Undo::Attachment(id.to_owned(), s.attachments.get(id).cloned()));
        self.attachments.remove(id)
    }

    /// Writes a partner (undo-logged).
    pub fn put_partner(&mut self, partner: Partner) {
        let key = partner.number.clone();
        self.record(|s| Undo::Partner(key.clone(), Box::new(s.partners.get(&key).cloned())));
        self.partners.insert(key, partner);
    }

    /// Removes a partner (undo-logged).
    pub fn remove_partner(&mut self, number: &str) -> Option<Partner> {
        self.record(|s| {
            Undo::Partner(number.to_owned(), Box::new(s.partners.get(number).cloned()))
        });
        self.partners.remove(number)
    }

    /// Writes a relationship (undo-logged).
    pub fn put_relationship(&mut self, rel: Relationship) {
        let key = rel.number.clone();
        self.record(|s| {
            Undo::Relationship(key.clone(), Box::new(s.relationships.get(&key).cloned()))
        });
        self.relationships.insert(key, rel);
    }
}

fn undo_activity(s: &Store, kind: ActivityKind, guid: Uuid) -> Undo {
    match kind {
        ActivityKind::Appointment => Undo::Appointment(guid, s.appointments.get(&guid).cloned()),
        ActivityKind::Task => Undo::Task(guid, s.tasks.get(&guid).cloned()),
    }
}

fn restore<K: Ord, V>(map: &mut BTreeMap<K, V>, key: K, old: Option<V>) {
    match old {
        Some(v) => {
            map.insert(key, v);
        }
        None => {
            map.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activity(store: &mut Store, description: &str) -> (Uuid, Activity) {
        let set = appointment_set();
        let mut a = Activity {
            values: set
                .properties
                .iter()
                .map(|p| Value::initial(p.ty))
                .collect(),
            attendees: vec![],
        };
        let guid = store.new_guid();
        a.set(set, "Guid", Value::Guid(guid));
        a.set(set, "Description", Value::Text(description.into()));
        (guid, a)
    }

    #[test]
    fn rollback_restores_every_touched_object_and_drops_events() {
        let mut s = Store::new(1);
        let (keep, a) = activity(&mut s, "keep");
        s.put_activity(ActivityKind::Appointment, keep, a.clone());
        let now = crate::s4::clock::system_now();
        s.begin();
        let (new, b) = activity(&mut s, "new");
        s.put_activity(ActivityKind::Appointment, new, b);
        let mut changed = a.clone();
        changed.set(
            appointment_set(),
            "Description",
            Value::Text("changed".into()),
        );
        s.put_activity(ActivityKind::Appointment, keep, changed);
        s.raise_activity(ActivityKind::Appointment, new, ChangeType::Created, now);
        s.counters.task_id = 9;
        s.rollback();
        assert_eq!(s.appointments.len(), 1);
        assert_eq!(s.appointments[&keep], a);
        assert_eq!(s.counters.task_id, 0);
        assert!(s.commit().is_empty());
    }

    #[test]
    fn one_commit_merges_changes_per_object() {
        let mut s = Store::new(1);
        let g1 = s.new_guid();
        let g2 = s.new_guid();
        let g3 = s.new_guid();
        let t = crate::s4::clock::system_now();
        s.begin();
        s.raise_activity(ActivityKind::Appointment, g1, ChangeType::Created, t);
        s.raise_activity(ActivityKind::Appointment, g1, ChangeType::Changed, t);
        s.raise_activity(ActivityKind::Appointment, g2, ChangeType::Created, t);
        s.raise_activity(ActivityKind::Appointment, g2, ChangeType::Deleted, t);
        s.raise_activity(ActivityKind::Task, g3, ChangeType::Changed, t);
        s.raise_activity(ActivityKind::Task, g3, ChangeType::Deleted, t);
        let changes: Vec<_> = s.commit().into_iter().map(|c| (c.key, c.change)).collect();
        assert_eq!(
            changes,
            [
                (g1.to_string(), ChangeType::Created),
                (g3.to_string(), ChangeType::Deleted)
            ]
        );
    }

    /// Listing an employee's appointments goes through the partner index;
    /// it follows every change, a rollback included.
    #[test]
    fn the_employee_listing_follows_changes_and_rollbacks() {
        let set = appointment_set();
        let today = crate::s4::clock::system_now().date_naive();
        let list = |s: &Store, bp: &str| -> Vec<String> {
            let f =
                crate::s4::filter::Filter::parse(&format!("Responsible eq '{bp}'"), set).unwrap();
            s.filtered_rows(ServiceId::Appointments, set, today, Some(&f))
                .iter()
                .map(|r| r.get("Description").as_str().unwrap_or("").to_owned())
                .collect()
        };
        let mut s = Store::new(1);
        let (g, mut a) = activity(&mut s, "visit");
        a.set(set, "Responsible", Value::Text("0000004711".into()));
        s.put_activity(ActivityKind::Appointment, g, a.clone());
        assert_eq!(list(&s, "0000004711"), ["visit"]);
        assert!(list(&s, "0000004712").is_empty());
        // A new responsible, and an attendee who is an employee.
        let mut b = a.clone();
        b.set(set, "Responsible", Value::Text("0000004712".into()));
        let attendees = attendee_set();
        let mut attendee: Vec<Value> = attendees
            .properties
            .iter()
            .map(|p| Value::initial(p.ty))
            .collect();
        if let Some(i) = attendees.index("PartnerNo") {
            attendee[i] = Value::Text("0000004713".into());
        }
        b.attendees.push(attendee);
        s.put_activity(ActivityKind::Appointment, g, b);
        assert!(list(&s, "0000004711").is_empty());
        assert_eq!(list(&s, "0000004712"), ["visit"]);
        assert_eq!(
            list(&s, "4713"),
            ["visit"],
            "ALPHA conversion of the literal"
        );
        s.begin();
        s.remove_activity(ActivityKind::Appointment, g);
        assert!(list(&s, "0000004712").is_empty());
        s.rollback();
        assert_eq!(list(&s, "0000004712"), ["visit"]);
    }

    #[test]
    fn an_empty_store_survives_a_save_and_load() {
        let s = Store::new(1);
        let text = serde_json::to_string(&s).unwrap();
        let back: Store = serde_json::from_str(&text).unwrap();
        assert_eq!(back.last_stamp, s.last_stamp);
        assert!(back.appointments.is_empty());
    }

    #[test]
    fn stamps_increase_under_a_frozen_clock_and_guids_follow_the_seed() {
        let mut s = Store::new(7);
        let t = crate::s4::clock::system_now();
        let a = s.stamp(t);
        let b = s.stamp(t);
        assert!(b > a);
        assert_eq!(Store::new(7).new_guid(), Store::new(7).new_guid());
        assert_eq!(Store::new(7).new_guid().get_version_num(), 4);
    }
}
