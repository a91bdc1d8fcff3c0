//! The control API: the typed methods of [`FakeS4Handle`] (this file) and
//! the same calls as JSON over HTTP under `/_control/` ([`http`]).
//!
//! Changes made here act as a user in SAP GUI would: no CSRF, no ETag, but
//! the same checks on the data and the same events to the hub.

mod http;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use maiconnect_core::model::{ChangeType, S4ObjectType};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as J};
use uuid::Uuid;

pub use http::router;

use super::config::{HubDestination, User};
use super::edm::{EntitySet, ServiceId};
use super::error::FakeS4Error;
use super::events::EventRecord;
use super::gateway::FaultRule;
use super::quirks::Quirks;
use super::server::FakeS4Handle;
use super::shared::{Latency, lock};
use super::store::{
    Activity, ActivityKind, Change, Partner, Relationship, Store, WriteError, attachment_set,
    attendee_set,
};
use super::value::alpha;

/// A relationship to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewRelationship {
    /// `BUR001`, `BUR011`, …
    pub category: String,
    /// Partner 1 (BUR001: contact person; BUR011: the partner looked after).
    pub partner1: String,
    /// Partner 2 (BUR001: organisation; BUR011: employee responsible).
    pub partner2: String,
    /// First valid day (default: today).
    #[serde(default)]
    pub valid_from: Option<NaiveDate>,
    /// Last valid day (default: 9999-12-31).
    #[serde(default)]
    pub valid_to: Option<NaiveDate>,
}

/// Everything the fake holds, for assertions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Appointments in OData JSON form (with `Attendee`).
    pub appointments: Vec<J>,
    /// Tasks in OData JSON form.
    pub tasks: Vec<J>,
    /// Attachments (properties, without content).
    pub attachments: Vec<J>,
    /// Business partners.
    pub partners: Vec<Partner>,
    /// Relationships.
    pub relationships: Vec<Relationship>,
}

fn values_json(set: &EntitySet, values: &[super::value::Value]) -> Map<String, J> {
    set.properties
        .iter()
        .zip(values)
        .map(|(p, v)| (p.name.to_owned(), v.to_json()))
        .collect()
}

fn activity_json(kind: ActivityKind, a: &Activity) -> J {
    let mut map = values_json(kind.set(), &a.values);
    if kind == ActivityKind::Appointment {
        let attendees: Vec<J> = a
            .attendees
            .iter()
            .map(|v| J::Object(values_json(attendee_set(), v)))
            .collect();
        map.insert("Attendee".into(), J::Array(attendees));
    }
    J::Object(map)
}

fn object(json: J) -> Result<Map<String, J>, FakeS4Error> {
    match json {
        J::Object(m) => Ok(m),
        other => Err(FakeS4Error::Control(format!(
            "expected a JSON object of OData properties, got {other}"
        ))),
    }
}

fn write_error(e: WriteError) -> FakeS4Error {
    match e {
        WriteError::NotFound(m) => FakeS4Error::NotFound(m),
        WriteError::Duplicate(m) => FakeS4Error::Control(m),
        WriteError::Invalid { message, .. } => FakeS4Error::Control(message),
    }
}

impl FakeS4Handle {
    fn shared(&self) -> &super::shared::Shared {
        &self.inner.shared
    }

    /// Runs `f` as one transaction: committed (with its events) on success.
    fn transact<T>(
        &self,
        f: impl FnOnce(&mut Store, DateTime<Utc>) -> Result<T, FakeS4Error>,
    ) -> Result<T, FakeS4Error> {
        let shared = self.shared();
        let now = shared.clock.now();
        let mut store = lock(&shared.store);
        store.begin();
        match f(&mut store, now) {
            Ok(v) => {
                shared.commit(&mut store);
                Ok(v)
            }
            Err(e) => {
                store.rollback();
                Err(e)
            }
        }
    }

    /// Everything the fake holds.
    pub fn snapshot(&self) -> Snapshot {
        let store = lock(&self.shared().store);
        Snapshot {
            appointments: store
                .appointments
                .values()
                .map(|a| activity_json(ActivityKind::Appointment, a))
                .collect(),
            tasks: store
                .tasks
                .values()
                .map(|a| activity_json(ActivityKind::Task, a))
                .collect(),
            attachments: store
                .attachments
                .values()
                .map(|a| J::Object(values_json(attachment_set(), &a.values)))
                .collect(),
            partners: store.partners.values().cloned().collect(),
            relationships: store.relationships.values().cloned().collect(),
        }
    }

    /// Creates an appointment from OData properties (`Description`,
    /// `FromDate` as `/Date(ms)/` or ISO 8601, `Responsible`, `Attendee`
    /// as an array, …). Returns its GUID.
    pub fn create_appointment(&self, properties: J) -> Result<Uuid, FakeS4Error> {
        self.create_activity(ActivityKind::Appointment, properties)
    }

    /// Creates a task from OData properties. Returns its GUID.
    pub fn create_task(&self, properties: J) -> Result<Uuid, FakeS4Error> {
        self.create_activity(ActivityKind::Task, properties)
    }

    /// Creates an activity of either kind.
    pub fn create_activity(&self, kind: ActivityKind, properties: J) -> Result<Uuid, FakeS4Error> {
        let map = object(properties)?;
        self.transact(|s, now| s.create_activity(kind, &map, now).map_err(write_error))
    }

    /// Changes the given properties of an activity.
    pub fn update_activity(
        &self,
        kind: ActivityKind,
        guid: Uuid,
        properties: J,
    ) -> Result<(), FakeS4Error> {
        let map = object(properties)?;
        self.transact(|s, now| {
            s.update_activity(kind, guid, &map, false, now)
                .map_err(write_error)
        })
    }

    /// Deletes an activity.
    pub fn delete_activity(&self, kind: ActivityKind, guid: Uuid) -> Result<(), FakeS4Error> {
        self.transact(|s, now| s.delete_activity(kind, guid, now).map_err(write_error))
    }

    /// Adds an attendee (`PartnerNo`, `Function`, …) to an appointment;
    /// returns its `PartnerGuid`.
    pub fn add_attendee(&self, appointment: Uuid, properties: J) -> Result<Uuid, FakeS4Error> {
        let mut map = object(properties)?;
        map.insert("Guid".into(), J::String(appointment.to_string()));
        self.transact(|s, now| {
            s.create_attendee(&map, now)
                .map(|(_, p)| p)
                .map_err(write_error)
        })
    }

    /// Removes an attendee from an appointment.
    pub fn remove_attendee(
        &self,
        appointment: Uuid,
        partner_guid: Uuid,
    ) -> Result<(), FakeS4Error> {
        self.transact(|s, now| {
            s.delete_attendee(appointment, partner_guid, now)
                .map_err(write_error)
        })
    }

    /// Adds an attachment to an activity; returns its document id.
    pub fn add_attachment(
        &self,
        kind: ActivityKind,
        guid: Uuid,
        file_name: &str,
        mime_type: &str,
        content: Vec<u8>,
    ) -> Result<String, FakeS4Error> {
        self.transact(|s, now| {
            s.create_attachment(kind, guid, file_name, mime_type, content.into(), now)
                .map_err(write_error)
        })
    }

    /// One activity in OData JSON form.
    pub fn activity(&self, kind: ActivityKind, guid: Uuid) -> Option<J> {
        lock(&self.shared().store)
            .activities(kind)
            .get(&guid)
            .map(|a| activity_json(kind, a))
    }

    /// Creates or changes a business partner (number ALPHA-converted);
    /// raises a BUS1006 event.
    pub fn upsert_partner(&self, mut partner: Partner) -> Result<Partner, FakeS4Error> {
        partner.number = alpha(&partner.number);
        if partner.number.is_empty() || partner.number.len() > 10 {
            return Err(FakeS4Error::Control(format!(
                "partner number {:?} must have 1 to 10 characters",
                partner.number
            )));
        }
        if !matches!(partner.category.as_str(), "1" | "2" | "3") {
            return Err(FakeS4Error::Control(format!(
                "partner {}: category must be 1 (person), 2 (organisation) or 3 (group)",
                partner.number
            )));
        }
        self.transact(|s, now| {
            let change = if s.partners.contains_key(&partner.number) {
                ChangeType::Changed
            } else {
                ChangeType::Created
            };
            partner.changed_at = Some(s.stamp(now));
            s.put_partner(partner.clone());
            s.raise(Change {
                object_type: S4ObjectType::BusinessPartner,
                key: partner.number.clone(),
                change,
                at: now,
                relationship: None,
            });
            Ok(partner)
        })
    }

    /// Deletes a business partner (its relationships stay, as BUT050 rows would).
    pub fn remove_partner(&self, number: &str) -> Result<(), FakeS4Error> {
        let number = alpha(number);
        self.transact(|s, now| {
            s.remove_partner(&number)
                .ok_or_else(|| FakeS4Error::NotFound(format!("business partner {number}")))?;
            s.raise(Change {
                object_type: S4ObjectType::BusinessPartner,
                key: number.clone(),
                change: ChangeType::Deleted,
                at: now,
                relationship: None,
            });
            Ok(())
        })
    }

    /// Adds a relationship; raises a relationship event (as the BAdI
    /// BUPA_RELATSHP_UPDATE does).
    pub fn add_relationship(&self, new: NewRelationship) -> Result<Relationship, FakeS4Error> {
        let category = new.category.trim().to_ascii_uppercase();
        if category.is_empty() || category.len() > 6 {
            return Err(FakeS4Error::Control(format!(
                "relationship category {:?} must have 1 to 6 characters",
                new.category
            )));
        }
        self.transact(|s, now| {
            s.counters.relationship += 1;
            let rel = Relationship {
                number: format!("{:012}", s.counters.relationship),
                category: category.clone(),
                partner1: alpha(&new.partner1),
                partner2: alpha(&new.partner2),
                valid_from: new.valid_from.unwrap_or(now.date_naive()),
                valid_to: new.valid_to.unwrap_or_else(Relationship::no_end),
            };
            for p in [&rel.partner1, &rel.partner2] {
                if !s.partners.contains_key(p) {
                    return Err(FakeS4Error::NotFound(format!("business partner {p}")));
                }
            }
            s.put_relationship(rel.clone());
            raise_relationship(s, &rel, ChangeType::Created, now);
            Ok(rel)
        })
    }

    /// Ends a relationship: its last valid day becomes `valid_to`
    /// (default: yesterday, so it is no longer valid today).
    pub fn end_relationship(
        &self,
        number: &str,
        valid_to: Option<NaiveDate>,
    ) -> Result<Relationship, FakeS4Error> {
        let number = format!("{:0>12}", number.trim());
        self.transact(|s, now| {
            let mut rel = s
                .relationships
                .get(&number)
                .cloned()
                .ok_or_else(|| FakeS4Error::NotFound(format!("relationship {number}")))?;
            rel.valid_to = valid_to.unwrap_or(now.date_naive() - Duration::days(1));
            s.put_relationship(rel.clone());
            raise_relationship(s, &rel, ChangeType::Changed, now);
            Ok(rel)
        })
    }

    /// Delivery log of all events.
    pub fn events(&self) -> Vec<EventRecord> {
        self.shared().events.log()
    }

    /// Waits until `n` events exist and none is waiting for delivery (or
    /// the timeout passes); returns the log.
    pub async fn wait_for_delivery(
        &self,
        n: usize,
        timeout: std::time::Duration,
    ) -> Vec<EventRecord> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let log = self.events();
            if (log.len() >= n && self.shared().events.pending() == 0)
                || tokio::time::Instant::now() >= deadline
            {
                return log;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }

    /// Drops the next `n` events instead of sending them.
    pub fn drop_next_events(&self, n: u32) {
        self.shared().events.drop_next(n);
    }
    /// Sends each of the next `n` events twice.
    pub fn duplicate_next_events(&self, n: u32) {
        self.shared().events.duplicate_next(n);
    }
    /// Pauses (true) or resumes (false) event delivery.
    pub fn pause_events(&self, paused: bool) {
        self.shared().events.set_paused(paused);
    }
    /// Sets or clears the hub destination.
    pub fn set_hub(&self, hub: Option<HubDestination>) {
        self.shared().events.set_hub(hub);
    }

    /// The hub destination.
    pub fn hub(&self) -> Option<HubDestination> {
        self.shared().events.hub()
    }
    /// Whether event delivery is paused.
    pub fn events_paused(&self) -> bool {
        self.shared().events.paused()
    }

    /// Injects a fault.
    pub fn inject_fault(&self, rule: FaultRule) {
        lock(&self.shared().faults).add(rule);
    }
    /// Removes all injected faults.
    pub fn clear_faults(&self) {
        lock(&self.shared().faults).clear();
    }
    /// The faults still pending.
    pub fn faults(&self) -> Vec<FaultRule> {
        lock(&self.shared().faults).rules()
    }

    /// Expires every CSRF token (clients must fetch a new one).
    pub fn expire_csrf_tokens(&self) {
        lock(&self.shared().sessions).expire_tokens();
    }

    /// Activates or deactivates a service (inactive: 404 `/IWFND/MED/170`).
    pub fn set_service_active(&self, service: ServiceId, active: bool) {
        let mut s = lock(&self.shared().settings);
        if active {
            s.inactive.remove(&service);
        } else {
            s.inactive.insert(service);
        }
    }

    /// Adds or replaces a user.
    pub fn upsert_user(&self, user: User) {
        let mut s = lock(&self.shared().settings);
        s.users.retain(|u| !u.name.eq_ignore_ascii_case(&user.name));
        s.users.push(User {
            name: user.name.to_ascii_uppercase(),
            ..user
        });
    }

    /// Sets which services a user's roles open (`None`: all).
    pub fn set_user_services(
        &self,
        user: &str,
        services: Option<Vec<ServiceId>>,
    ) -> Result<(), FakeS4Error> {
        let mut s = lock(&self.shared().settings);
        let u = s
            .users
            .iter_mut()
            .find(|u| u.name.eq_ignore_ascii_case(user))
            .ok_or_else(|| FakeS4Error::NotFound(format!("user {user}")))?;
        u.services = services;
        Ok(())
    }

    /// Sets how the fake departs from its kindest behaviour.
    pub fn set_quirks(&self, quirks: Quirks) {
        lock(&self.shared().settings).quirks = quirks;
    }
    /// How the fake departs from its kindest behaviour.
    pub fn quirks(&self) -> Quirks {
        lock(&self.shared().settings).quirks.clone()
    }

    /// Allows or refuses (405) `HEAD` requests.
    pub fn set_head_allowed(&self, allowed: bool) {
        lock(&self.shared().settings).head_allowed = allowed;
    }
    /// Sets latency injection.
    pub fn set_latency(&self, latency: Latency) {
        lock(&self.shared().settings).latency = latency;
    }
    /// Sets the server-driven page size.
    pub fn set_page_size(&self, size: usize) {
        lock(&self.shared().settings).page_size = size.max(1);
    }

    /// The fake's current time.
    pub fn now(&self) -> DateTime<Utc> {
        self.shared().clock.now()
    }
    /// Freezes the clock at `t`.
    pub fn set_clock(&self, t: DateTime<Utc>) {
        self.shared().clock.set(t);
    }
    /// Moves the clock by `d`.
    pub fn advance_clock(&self, d: Duration) {
        self.shared().clock.advance(d);
    }
    /// Whether the clock is frozen (set or advanced).
    pub fn clock_fixed(&self) -> bool {
        self.shared().clock.is_fixed()
    }
    /// Returns to real time.
    pub fn real_clock(&self) {
        self.shared().clock.real();
    }
}

fn raise_relationship(s: &mut Store, rel: &Relationship, change: ChangeType, at: DateTime<Utc>) {
    s.raise(Change {
        object_type: S4ObjectType::Relationship,
        key: rel.event_key(),
        change,
        at,
        relationship: rel.to_core(),
    });
}
