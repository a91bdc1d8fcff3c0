//! Creating, changing and deleting activities, attendees and attachments,
//! with the checks the CRM services make: types and MaxLengths of every
//! property, duplicate GUIDs, unknown parents, dates in order.

mod attachments;
mod attendees;

use chrono::{DateTime, Utc};
use maiconnect_core::model::ChangeType;
use serde_json::{Map, Value as J};
use uuid::Uuid;

use super::{Activity, ActivityKind, Store};
use crate::s4::edm::EntitySet;
use crate::s4::filter::is_partner_number;
use crate::s4::value::{Value, alpha};

/// Why a write was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteError {
    /// The addressed object (or its parent) does not exist.
    NotFound(String),
    /// An object with this key exists already.
    Duplicate(String),
    /// The payload is invalid; names the property when one is at fault.
    Invalid {
        /// What is wrong.
        message: String,
        /// The property at fault.
        property: Option<String>,
    },
}

impl WriteError {
    fn invalid(message: impl Into<String>, property: Option<&str>) -> WriteError {
        WriteError::Invalid {
            message: message.into(),
            property: property.map(str::to_owned),
        }
    }
}

/// The navigation properties found inline in a payload.
type Inline<'p> = Vec<(&'p str, &'p J)>;

/// Reads the properties of `payload` for `set`; navigation properties are
/// handed back for the caller to judge. Properties the client may not set
/// (`ChangedAt`, `Id`) are ignored as Gateway's generic mapping does.
fn parse<'p>(
    set: &EntitySet,
    payload: &'p Map<String, J>,
    create: bool,
) -> Result<(Vec<(usize, Value)>, Inline<'p>), WriteError> {
    let mut values = Vec::new();
    let mut inline = Vec::new();
    for (name, json) in payload {
        if name == "__metadata" {
            continue;
        }
        if set.navigation(name).is_some() {
            inline.push((name.as_str(), json));
            continue;
        }
        let Some(index) = set.index(name) else {
            return Err(WriteError::invalid(
                format!(
                    "Property '{name}' is invalid: type '{}' has no such property",
                    set.type_name
                ),
                Some(name),
            ));
        };
        let property = &set.properties[index];
        let writable = if create {
            property.creatable
        } else {
            property.updatable || property.key
        };
        if !writable {
            continue;
        }
        let mut value =
            Value::from_json(property, json).map_err(|m| WriteError::invalid(m, Some(name)))?;
        if let Value::Text(s) = &value
            && is_partner_number(name)
            && !s.is_empty()
        {
            value = Value::Text(alpha(s));
        }
        values.push((index, value));
    }
    Ok((values, inline))
}

fn blank(set: &EntitySet) -> Vec<Value> {
    set.properties
        .iter()
        .map(|p| Value::initial(p.ty))
        .collect()
}

fn guid_of(values: &[(usize, Value)], set: &EntitySet, name: &str) -> Option<Uuid> {
    let index = set.index(name)?;
    values.iter().find_map(|(i, v)| match v {
        Value::Guid(g) if *i == index && !g.is_nil() => Some(*g),
        _ => None,
    })
}

fn check_dates(set: &EntitySet, values: &[Value]) -> Result<(), WriteError> {
    let (Some(from), Some(to)) = (set.index("FromDate"), set.index("ToDate")) else {
        return Ok(());
    };
    match (values[from].as_instant(), values[to].as_instant()) {
        (None, _) => Err(WriteError::invalid(
            "Property 'FromDate' is required: enter the start of the appointment",
            Some("FromDate"),
        )),
        (_, None) => Err(WriteError::invalid(
            "Property 'ToDate' is required: enter the end of the appointment",
            Some("ToDate"),
        )),
        (Some(f), Some(t)) if t < f => Err(WriteError::invalid(
            format!(
                "Property 'ToDate' ({t}) lies before 'FromDate' ({f}); the end must not precede the start"
            ),
            Some("ToDate"),
        )),
        _ => Ok(()),
    }
}

fn results(json: &J) -> Option<&Vec<J>> {
    match json {
        J::Array(items) => Some(items),
        J::Object(o) => o.get("results").and_then(J::as_array),
        _ => None,
    }
}

impl Store {
    pub(super) fn label(kind: ActivityKind) -> &'static str {
        match kind {
            ActivityKind::Appointment => "Appointment",
            ActivityKind::Task => "Task",
        }
    }

    pub(super) fn touch(&mut self, kind: ActivityKind, guid: Uuid, now: DateTime<Utc>) {
        let stamp = self.stamp(now);
        let set = kind.set();
        let current = self.activities(kind).get(&guid).cloned();
        if let Some(mut a) = current {
            a.set(set, "ChangedAt", Value::DateTimeOffset(stamp));
            self.put_activity(kind, guid, a);
            self.raise_activity(kind, guid, ChangeType::Changed, stamp);
        }
    }

    /// `POST /AppointmentSet` (with `Attendee` inline) or `POST /Tasks`.
    pub fn create_activity(
        &mut self,
        kind: ActivityKind,
        payload: &Map<String, J>,
        now: DateTime<Utc>,
    ) -> Result<Uuid, WriteError> {
        self.create_activity_with(kind, payload, now, false)
    }

    /// The same; with `server_keys` the GUID sent is ignored and one of
    /// the server's own assigned, as a service whose create ignores the key
    /// does.
    pub fn create_activity_with(
        &mut self,
        kind: ActivityKind,
        payload: &Map<String, J>,
        now: DateTime<Utc>,
        server_keys: bool,
    ) -> Result<Uuid, WriteError> {
        let set = kind.set();
        let (values, inline) = parse(set, payload, true)?;
        let guid = match guid_of(&values, set, "Guid") {
            Some(g) if !server_keys => g,
            _ => self.new_guid(),
        };
        if self.activities(kind).contains_key(&guid) {
            return Err(WriteError::Duplicate(format!(
                "{} with GUID {guid} already exists; read it instead of creating it again",
                Store::label(kind)
            )));
        }
        let mut activity = Activity {
            values: blank(set),
            attendees: Vec::new(),
        };
        for (i, v) in values {
            activity.values[i] = v;
        }
        activity.set(set, "Guid", Value::Guid(guid));
        check_dates(set, &activity.values)?;
        for (name, json) in inline {
            match (kind, name) {
                (ActivityKind::Appointment, "Attendee") => {
                    let items = results(json).ok_or_else(|| {
                        WriteError::invalid(
                            "Navigation property 'Attendee' must hold an array of attendees",
                            Some("Attendee"),
                        )
                    })?;
                    for item in items {
                        let J::Object(map) = item else {
                            return Err(WriteError::invalid(
                                "Each inline 'Attendee' must be an object",
                                Some("Attendee"),
                            ));
                        };
                        let attendee = self.new_attendee(guid, map, &activity.attendees)?;
                        activity.attendees.push(attendee);
                    }
                }
                _ => {
                    return Err(WriteError::invalid(
                        format!(
                            "Deep insert of '{name}' is not supported; upload attachments with POST …/{name} after the create"
                        ),
                        Some(name),
                    ));
                }
            }
        }
        if kind == ActivityKind::Task {
            self.counters.task_id += 1;
            let id = format!("{}", 8_000_000_000u64 + self.counters.task_id);
            activity.set(set, "Id", Value::Text(id));
        }
        let stamp = self.stamp(now);
        activity.set(set, "ChangedAt", Value::DateTimeOffset(stamp));
        self.put_activity(kind, guid, activity);
        self.raise_activity(kind, guid, ChangeType::Created, stamp);
        Ok(guid)
    }

    /// `MERGE`/`PATCH` (`replace == false`) or `PUT` (`replace == true`).
    pub fn update_activity(
        &mut self,
        kind: ActivityKind,
        guid: Uuid,
        payload: &Map<String, J>,
        replace: bool,
        now: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        let set = kind.set();
        let Some(mut activity) = self.activities(kind).get(&guid).cloned() else {
            return Err(WriteError::NotFound(format!(
                "{} {guid} does not exist",
                Store::label(kind)
            )));
        };
        let (values, inline) = parse(set, payload, false)?;
        if let Some((name, _)) = inline.first() {
            return Err(WriteError::invalid(
                format!(
                    "Navigation property '{name}' cannot be changed with an update; use POST and DELETE on its entity set"
                ),
                Some(name),
            ));
        }
        if replace {
            for (i, p) in set.properties.iter().enumerate() {
                if p.updatable {
                    activity.values[i] = Value::initial(p.ty);
                }
            }
        }
        for (i, v) in values {
            if !set.properties[i].key {
                activity.values[i] = v;
            }
        }
        check_dates(set, &activity.values)?;
        let stamp = self.stamp(now);
        activity.set(set, "ChangedAt", Value::DateTimeOffset(stamp));
        self.put_activity(kind, guid, activity);
        self.raise_activity(kind, guid, ChangeType::Changed, stamp);
        Ok(())
    }

    /// `DELETE` of an activity (its attachments go with it).
    pub fn delete_activity(
        &mut self,
        kind: ActivityKind,
        guid: Uuid,
        now: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        if self.remove_activity(kind, guid).is_none() {
            return Err(WriteError::NotFound(format!(
                "{} {guid} does not exist",
                Store::label(kind)
            )));
        }
        let stamp = self.stamp(now);
        self.raise_activity(kind, guid, ChangeType::Deleted, stamp);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::s4::store::appointment_set;
    use serde_json::json;

    fn map(v: J) -> Map<String, J> {
        v.as_object().unwrap().clone()
    }

    fn appointment(guid: &str) -> Map<String, J> {
        map(json!({
            "Guid": guid, "Description": "Review", "Responsible": "4711",
            "FromDate": "/Date(1796979600000)/", "ToDate": "/Date(1796983200000)/",
            "Attendee": [{"PartnerNo": "100", "Function": "00000015"}],
            "ChangedAt": "/Date(0+0000)/"
        }))
    }

    #[test]
    fn create_normalises_partners_fills_attendees_and_rejects_duplicates() {
        let mut s = Store::new(3);
        s.put_partner(crate::s4::store::Partner {
            number: "0000000100".into(),
            category: "1".into(),
            first_name: "Olga".into(),
            last_name: "Meyer".into(),
            email: "olga.meyer@customer.example".into(),
            ..Default::default()
        });
        let g = "0050568c-2b4f-1ee8-a1b2-c3d4e5f60718";
        let now = crate::s4::clock::system_now();
        let guid = s
            .create_activity(ActivityKind::Appointment, &appointment(g), now)
            .unwrap();
        assert_eq!(guid.to_string(), g);
        let a = &s.appointments[&guid];
        assert_eq!(
            a.get(appointment_set(), "Responsible"),
            &Value::Text("0000004711".into())
        );
        assert_eq!(
            a.get(appointment_set(), "ChangedAt"),
            &Value::DateTimeOffset(now)
        );
        assert_eq!(a.attendees[0][5], Value::Text("Olga Meyer".into()));
        assert_eq!(
            a.attendees[0][6],
            Value::Text("olga.meyer@customer.example".into())
        );
        let again = s.create_activity(ActivityKind::Appointment, &appointment(g), now);
        assert!(matches!(again, Err(WriteError::Duplicate(m)) if m.contains("already exists")));
    }

    #[test]
    fn invalid_payloads_name_the_property() {
        let mut s = Store::new(3);
        let now = crate::s4::clock::system_now();
        let mut p = appointment("0050568c-2b4f-1ee8-a1b2-c3d4e5f60718");
        p.insert("Description".into(), json!("x".repeat(41)));
        let err = s
            .create_activity(ActivityKind::Appointment, &p, now)
            .unwrap_err();
        assert!(
            matches!(&err, WriteError::Invalid { property: Some(n), .. } if n == "Description"),
            "{err:?}"
        );
        let mut p = appointment("0050568c-2b4f-1ee8-a1b2-c3d4e5f60718");
        p.insert("Bogus".into(), json!(1));
        assert!(
            matches!(s.create_activity(ActivityKind::Appointment, &p, now), Err(WriteError::Invalid { property: Some(n), .. }) if n == "Bogus")
        );
        let mut p = appointment("0050568c-2b4f-1ee8-a1b2-c3d4e5f60718");
        p.insert("ToDate".into(), json!("/Date(1000)/"));
        assert!(
            matches!(s.create_activity(ActivityKind::Appointment, &p, now), Err(WriteError::Invalid { property: Some(n), .. }) if n == "ToDate")
        );
        assert!(s.appointments.is_empty());
    }

    #[test]
    fn merge_changes_only_what_is_sent_and_put_resets_the_rest() {
        let mut s = Store::new(3);
        let now = crate::s4::clock::system_now();
        let guid = s
            .create_activity(
                ActivityKind::Appointment,
                &appointment("0050568c-2b4f-1ee8-a1b2-c3d4e5f60718"),
                now,
            )
            .unwrap();
        s.update_activity(
            ActivityKind::Appointment,
            guid,
            &map(json!({"Location": "Walldorf"})),
            false,
            now,
        )
        .unwrap();
        let a = &s.appointments[&guid];
        assert_eq!(
            a.get(appointment_set(), "Description"),
            &Value::Text("Review".into())
        );
        assert_eq!(
            a.get(appointment_set(), "Location"),
            &Value::Text("Walldorf".into())
        );
        let body =
            map(json!({"FromDate": "/Date(1796979600000)/", "ToDate": "/Date(1796983200000)/"}));
        s.update_activity(ActivityKind::Appointment, guid, &body, true, now)
            .unwrap();
        assert_eq!(
            s.appointments[&guid].get(appointment_set(), "Description"),
            &Value::Text(String::new())
        );
        assert_eq!(
            s.appointments[&guid].attendees.len(),
            1,
            "PUT keeps attendees"
        );
    }
}
