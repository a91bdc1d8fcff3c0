//! Updates: the changed properties of an activity and its attendee
//! changes in one changeset.
//!
//! The profile says how the activity itself is written: `MERGE` with only
//! the changed properties (the extended profile, SAP's task app), or `PUT`
//! of the whole entity (SAP's appointment app), for which the entity is
//! read first and written back with the changes, so that a `PUT` never
//! blanks a property maiconnect does not map. Attendees change through
//! `POST` and `DELETE` on `AttendeeSet`.

use maiconnect_core::ids::{ActivityId, Version};
use maiconnect_core::model::{Appointment, Record, S4Key};
use maiconnect_core::plan::fields::Field;
use serde_json::{Map, Value};

use crate::crm::write::{etag_of, mismatch, target};
use crate::crm::{ODataCrm, Written};
use crate::error::ODataError;
use crate::mapping::appointment::{self as appt_map, AttendeeRow};
use crate::mapping::{WriteReport, Writer, task as task_map};
use crate::profile::{ServiceId, UpdateMethod, appointment as appt};
use crate::wire::batch::Operation;
use crate::wire::literal::Literal;
use crate::wire::query::entity_path_compound;

/// The properties of an entity as read, for writing it back whole: no
/// `__metadata`, no navigation properties.
pub fn writable_properties(entity: Value) -> (Map<String, Value>, Option<String>) {
    let Value::Object(mut m) = entity else {
        return (Map::new(), None);
    };
    let etag = m
        .remove("__metadata")
        .and_then(|meta| meta.get("etag").and_then(Value::as_str).map(str::to_owned));
    m.retain(|_, v| !v.is_object() && !v.is_array());
    (m, etag)
}

impl ODataCrm {
    /// Writes `fields` of `record` if the activity still has `version`:
    /// the changed properties (or, for `PUT`, the whole entity with them),
    /// plus the attendee changes, in one changeset. Returns the new ETag.
    pub async fn update_activity(
        &self,
        key: &S4Key,
        version: &Version,
        fields: &[Field],
        record: &Record,
    ) -> Result<Written<Option<Version>>, ODataError> {
        let key = &self.resolve(key);
        let (service, set, id, object) = target(key)?;
        let method = self
            .profile()
            .activity(service)
            .map_or(UpdateMethod::Merge, |a| a.update);
        let lengths = self.lengths(service).await;
        let mut report = WriteReport::default();
        let mut w = Writer {
            service,
            set,
            object: object.clone(),
            lengths: &lengths,
            report: &mut report,
        };
        let mut extra = Vec::new();
        let body = match record {
            Record::Appointment(a) if service == ServiceId::Appointments => {
                if fields.contains(&Field::Attendees) {
                    extra = self.attendee_changes(id, version, a, &mut w).await?;
                }
                appt_map::payload(id, a, Some(fields), None, &self.mapping, &mut w)
            }
            Record::Task(t) if service == ServiceId::Tasks => {
                task_map::payload(id, t, Some(fields), None, &mut w)
            }
            _ => return Err(mismatch(key, record)),
        };
        if body.is_empty() && extra.is_empty() {
            return Ok((None, report));
        }
        let body = match method {
            UpdateMethod::Merge => body,
            UpdateMethod::Put => {
                let mut whole = self.entity_for_put(service, &object, version).await?;
                whole.extend(body);
                whole
            }
        };
        let mut ops = vec![
            Operation::new(method.as_str(), object.clone())
                .json(Value::Object(body).to_string())
                .if_match(version.as_str()),
        ];
        ops.extend(extra);
        let context = format!("updating {object}");
        // A lone update answers with the new ETag; after attendee changes
        // the activity is read back in the same batch.
        let read_back = (ops.len() > 1).then_some(object.as_str());
        let (parts, read) = self
            .run_changeset(service, &context, ops, read_back)
            .await?;
        let last = if read_back.is_some() {
            read
        } else {
            parts.first().and_then(etag_of)
        };
        let version = match last {
            Some(v) => v,
            None => self.current_version(key).await?,
        };
        Ok((Some(version), report))
    }

    /// The entity as it is, for a `PUT`: it must still have `version`.
    async fn entity_for_put(
        &self,
        service: ServiceId,
        object: &str,
        version: &Version,
    ) -> Result<Map<String, Value>, ODataError> {
        let context = format!("GET {object}");
        let r = self
            .client
            .get_optional(service, object)
            .await?
            .ok_or_else(|| ODataError::gone(&format!("reading {object} for its update")))?;
        let entity: Value = crate::wire::json::parse_entity(&r.body, &context)?;
        let (properties, meta_etag) = writable_properties(entity);
        let current = r.etag().map(str::to_owned).or(meta_etag);
        if let Some(current) = current.and_then(|c| c.parse::<Version>().ok())
            && &current != version
        {
            return Err(ODataError::Conflict {
                object: object.to_owned(),
                current: Some(current),
            });
        }
        Ok(properties)
    }

    /// The POSTs and DELETEs that turn the stored attendee list into the
    /// one of `a` (matched by partner and function).
    async fn attendee_changes(
        &self,
        id: ActivityId,
        version: &Version,
        a: &Appointment,
        w: &mut Writer<'_>,
    ) -> Result<Vec<Operation>, ODataError> {
        let current = self
            .read_appointment(id)
            .await?
            .ok_or_else(|| ODataError::gone(&format!("reading the attendees of {}", w.object)))?;
        if &current.item.version != version {
            return Err(ODataError::Conflict {
                object: w.object.clone(),
                current: Some(current.item.version),
            });
        }
        attendee_ops(id, &current.attendee_rows, a, &self.mapping, w)
    }
}

/// The POSTs and DELETEs that turn the stored attendee `rows` into the
/// attendees of `a` that S/4HANA can hold (matched by partner and function;
/// removals first, as SAP's own app does).
pub fn attendee_ops(
    id: ActivityId,
    rows: &[AttendeeRow],
    a: &Appointment,
    cfg: &crate::mapping::MappingConfig,
    w: &mut Writer<'_>,
) -> Result<Vec<Operation>, ODataError> {
    let wanted = appt_map::s4_attendees(a, w);
    let same = |row: &AttendeeRow, x: &maiconnect_core::model::Attendee| {
        row.partner == x.partner && row.function == x.function
    };
    let mut ops = Vec::new();
    for row in rows {
        if wanted.iter().any(|x| same(row, x)) {
            continue;
        }
        let Some(pg) = row.partner_guid else {
            return Err(ODataError::mapping(
                &w.object,
                "PartnerGuid",
                "",
                "is missing on an attendee; it is needed to remove the attendee",
            ));
        };
        let path = entity_path_compound(
            appt::ATTENDEE_SET,
            &[
                ("Guid", Literal::Guid(id.uuid())),
                ("PartnerGuid", Literal::Guid(pg)),
            ],
        );
        ops.push(Operation::new("DELETE", path));
    }
    for x in wanted {
        if rows.iter().any(|row| same(row, x)) {
            continue;
        }
        let body = appt_map::attendee_payload(id, x, cfg, w);
        ops.push(Operation::new("POST", appt::ATTENDEE_SET).json(Value::Object(body).to_string()));
    }
    Ok(ops)
}

#[cfg(test)]
mod tests {
    use maiconnect_core::model::PartnerFunction;
    use maiconnect_core::testing::samples;

    use super::*;
    use crate::mapping::{Lengths, MappingConfig};

    #[test]
    fn a_put_writes_back_what_was_read_without_metadata_or_navigations() {
        let read = serde_json::json!({
            "__metadata": {"uri": "x", "etag": "W/\"1\""},
            "Guid": "g", "Description": "Visit", "StatusTxt": "Open", "AllDay": false,
            "Attendee": {"__deferred": {"uri": "x/Attendee"}},
            "AppointmentToAttachment": {"results": []}
        });
        let (props, etag) = writable_properties(read);
        assert_eq!(etag.as_deref(), Some("W/\"1\""));
        assert_eq!(
            Value::Object(props),
            serde_json::json!({"Guid": "g", "Description": "Visit", "StatusTxt": "Open", "AllDay": false})
        );
    }

    #[test]
    fn attendee_changes_delete_the_gone_and_post_the_new() {
        let id: ActivityId = "0050568c-2b4f-1ee8-a1b2-c3d4e5f60718".parse().unwrap();
        let row = |guid: u128, bp: &str, f: PartnerFunction| AttendeeRow {
            partner_guid: Some(uuid::Uuid::from_u128(guid)),
            partner: Some(bp.parse().unwrap()),
            function: Some(f),
        };
        // Stored: Olga (100) as contact, Ben (4712) as participant.
        let rows = vec![
            row(1, "100", PartnerFunction::CONTACT_PERSON),
            row(2, "4712", PartnerFunction::PARTICIPANT),
        ];
        // Wanted: Olga and Piet (101); Ben goes.
        let a = samples::appointment_b();
        let lengths = Lengths::default();
        let mut report = WriteReport::default();
        let mut w = Writer {
            service: ServiceId::Appointments,
            set: appt::SET,
            object: appt_map::object(id),
            lengths: &lengths,
            report: &mut report,
        };
        let ops = attendee_ops(id, &rows, &a, &MappingConfig::default(), &mut w).unwrap();
        assert_eq!(ops.len(), 2, "{ops:#?}");
        assert_eq!(ops[0].method, "DELETE");
        assert_eq!(
            ops[0].path,
            "AttendeeSet(Guid=guid'0050568c-2b4f-1ee8-a1b2-c3d4e5f60718',PartnerGuid=guid'00000000-0000-0000-0000-000000000002')"
        );
        assert_eq!(ops[1].method, "POST");
        assert_eq!(ops[1].path, "AttendeeSet");
        let body: serde_json::Value =
            serde_json::from_str(ops[1].body.as_deref().unwrap()).unwrap();
        assert_eq!(body["PartnerNo"], "0000000101");
        assert_eq!(body["Function"], "00000015");
        assert_eq!(body["Guid"], "0050568c-2b4f-1ee8-a1b2-c3d4e5f60718");

        // The same list writes nothing; a row without its GUID cannot be removed.
        let same = vec![
            row(1, "100", PartnerFunction::CONTACT_PERSON),
            row(3, "101", PartnerFunction::CONTACT_PERSON),
        ];
        assert!(
            attendee_ops(id, &same, &a, &MappingConfig::default(), &mut w)
                .unwrap()
                .is_empty()
        );
        let mut orphan = rows.clone();
        orphan[1].partner_guid = None;
        let e = attendee_ops(id, &orphan, &a, &MappingConfig::default(), &mut w).unwrap_err();
        assert!(e.to_string().contains("PartnerGuid"), "{e}");
    }
}
