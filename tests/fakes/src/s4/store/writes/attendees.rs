//! Attendees of appointments: deep insert, `POST`/`PUT`/`MERGE`/`DELETE`
//! on `AttendeeSet`; each change touches the appointment.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value as J};
use uuid::Uuid;

use super::{WriteError, blank, guid_of, parse};
use crate::s4::store::{ActivityKind, Store, attendee_set};
use crate::s4::value::Value;

impl Store {
    pub(super) fn new_attendee(
        &mut self,
        appointment: Uuid,
        payload: &Map<String, J>,
        existing: &[Vec<Value>],
    ) -> Result<Vec<Value>, WriteError> {
        let set = attendee_set();
        let (values, inline) = parse(set, payload, true)?;
        if let Some((name, _)) = inline.first() {
            return Err(WriteError::invalid(
                format!("'{name}' cannot be nested in an attendee"),
                Some(name),
            ));
        }
        let mut a = blank(set);
        for (i, v) in values {
            a[i] = v;
        }
        let index = |n: &str| set.index(n).unwrap_or(0);
        a[index("Guid")] = Value::Guid(appointment);
        let partner_guid = match &a[index("PartnerGuid")] {
            Value::Guid(g) if !g.is_nil() => *g,
            _ => self.new_guid(),
        };
        a[index("PartnerGuid")] = Value::Guid(partner_guid);
        let no = a[index("PartnerNo")]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let function = a[index("Function")].as_str().unwrap_or_default().to_owned();
        if existing.iter().any(|e| {
            e[index("PartnerGuid")] == Value::Guid(partner_guid)
                || (!no.is_empty()
                    && e[index("PartnerNo")].as_str() == Some(no.as_str())
                    && e[index("Function")].as_str() == Some(function.as_str()))
        }) {
            return Err(WriteError::Duplicate(format!(
                "Partner {no} (function {function}) is already an attendee of appointment {appointment}"
            )));
        }
        // Like the CRM partner processing, fill name and address from the
        // business partner when the client sent none.
        if let Some(p) = self.partners.get(&no) {
            if a[index("FullName")].as_str() == Some("") {
                a[index("FullName")] = Value::Text(p.full_name());
            }
            if a[index("Email")].as_str() == Some("") {
                a[index("Email")] = Value::Text(p.email.clone());
            }
            if a[index("IntAttendee")] == Value::Bool(false)
                && p.employee
                && !payload.contains_key("IntAttendee")
            {
                a[index("IntAttendee")] = Value::Bool(true);
            }
        }
        Ok(a)
    }

    /// `POST /AttendeeSet`.
    pub fn create_attendee(
        &mut self,
        payload: &Map<String, J>,
        now: DateTime<Utc>,
    ) -> Result<(Uuid, Uuid), WriteError> {
        let set = attendee_set();
        let (values, _) = parse(set, payload, true)?;
        let Some(guid) = guid_of(&values, set, "Guid") else {
            return Err(WriteError::invalid(
                "Property 'Guid' is required: the GUID of the appointment",
                Some("Guid"),
            ));
        };
        let Some(mut appointment) = self.appointments.get(&guid).cloned() else {
            return Err(WriteError::NotFound(format!(
                "Appointment {guid} does not exist"
            )));
        };
        let attendee = self.new_attendee(guid, payload, &appointment.attendees)?;
        let partner_guid = match attendee.get(1) {
            Some(Value::Guid(g)) => *g,
            _ => Uuid::nil(),
        };
        appointment.attendees.push(attendee);
        self.put_activity(ActivityKind::Appointment, guid, appointment);
        self.touch(ActivityKind::Appointment, guid, now);
        Ok((guid, partner_guid))
    }

    /// `PUT`/`MERGE /AttendeeSet(Guid=…,PartnerGuid=…)`.
    pub fn update_attendee(
        &mut self,
        guid: Uuid,
        partner_guid: Uuid,
        payload: &Map<String, J>,
        replace: bool,
        now: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        let set = attendee_set();
        let (values, _) = parse(set, payload, false)?;
        let Some(mut appointment) = self.appointments.get(&guid).cloned() else {
            return Err(WriteError::NotFound(format!(
                "Appointment {guid} does not exist"
            )));
        };
        let Some(attendee) = appointment
            .attendees
            .iter_mut()
            .find(|a| a.get(1) == Some(&Value::Guid(partner_guid)))
        else {
            return Err(WriteError::NotFound(format!(
                "Attendee {partner_guid} of appointment {guid} does not exist"
            )));
        };
        if replace {
            for (i, p) in set.properties.iter().enumerate() {
                if p.updatable {
                    attendee[i] = Value::initial(p.ty);
                }
            }
        }
        for (i, v) in values {
            if !set.properties[i].key {
                attendee[i] = v;
            }
        }
        self.put_activity(ActivityKind::Appointment, guid, appointment);
        self.touch(ActivityKind::Appointment, guid, now);
        Ok(())
    }

    /// `DELETE /AttendeeSet(Guid=…,PartnerGuid=…)`.
    pub fn delete_attendee(
        &mut self,
        guid: Uuid,
        partner_guid: Uuid,
        now: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        let Some(mut appointment) = self.appointments.get(&guid).cloned() else {
            return Err(WriteError::NotFound(format!(
                "Appointment {guid} does not exist"
            )));
        };
        let before = appointment.attendees.len();
        appointment
            .attendees
            .retain(|a| a.get(1) != Some(&Value::Guid(partner_guid)));
        if appointment.attendees.len() == before {
            return Err(WriteError::NotFound(format!(
                "Attendee {partner_guid} of appointment {guid} does not exist"
            )));
        }
        self.put_activity(ActivityKind::Appointment, guid, appointment);
        self.touch(ActivityKind::Appointment, guid, now);
        Ok(())
    }
}
