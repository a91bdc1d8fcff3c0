//! Writes of activities: create (deep insert), update (MERGE plus attendee
//! changes), delete; each as one changeset or one request.

use std::time::SystemTime;

use maiconnect_core::ids::{ActivityId, Version};
use maiconnect_core::model::{Appointment, ExchangeKey, Record, S4Key};
use maiconnect_core::plan::fields::Field;
use serde_json::Value;

use crate::client::{Method, Request, failure};
use crate::crm::{ODataCrm, Written};
use crate::error::ODataError;
use crate::mapping::appointment::{self as appt_map, AttendeeRow};
use crate::mapping::{WriteReport, Writer, task as task_map};
use crate::profile::{ServiceId, appointment as appt, task as tsk};
use crate::wire::batch::{
    BatchRequest, ChangesetOutcome, HttpPart, Operation, RequestPart, ResponsePart,
};
use crate::wire::json::{EntityMeta, parse_entity};
use crate::wire::literal::Literal;
use crate::wire::query::entity_path_compound;

/// Which service, set and object a key writes to.
fn target(key: &S4Key) -> Result<(ServiceId, &'static str, ActivityId, String), ODataError> {
    match key {
        S4Key::Appointment(id) => Ok((
            ServiceId::Appointments,
            appt::SET,
            *id,
            appt_map::object(*id),
        )),
        S4Key::Task(id) => Ok((ServiceId::Tasks, tsk::SET, *id, task_map::object(*id))),
        S4Key::Contact(p) => Err(ODataError::Invalid(format!(
            "contact {p} is read only: maiconnect writes contacts to Outlook, never to S/4HANA"
        ))),
    }
}

fn mismatch(key: &S4Key, record: &Record) -> ODataError {
    ODataError::Invalid(format!(
        "{key} cannot be written from a {} record",
        record.kind()
    ))
}

/// The error of a failed changeset part.
fn part_error(context: &str, p: &HttpPart) -> ODataError {
    failure(context, p.status, &p.headers, &p.body, SystemTime::now())
}

/// The ETag a write answered with: the header, or `__metadata.etag` of
/// the returned entity.
fn etag_of(p: &HttpPart) -> Option<Version> {
    if let Some(v) = p.header("etag").and_then(|e| e.parse().ok()) {
        return Some(v);
    }
    #[derive(serde::Deserialize)]
    struct Meta<'a> {
        #[serde(rename = "__metadata", borrow)]
        meta: Option<EntityMeta<'a>>,
    }
    let m: Meta<'_> = parse_entity(&p.body, "write response").ok()?;
    m.meta?.etag?.parse().ok()
}

impl ODataCrm {
    /// Runs one changeset and, when `read_back` names the object, reads it
    /// in the same batch right after, for the ETag that the whole changeset
    /// left (each attendee change moves the activity's ETag again, so the
    /// MERGE's own ETag is stale by the end).
    async fn run_changeset(
        &self,
        service: ServiceId,
        context: &str,
        ops: Vec<Operation>,
        read_back: Option<&str>,
    ) -> Result<(Vec<HttpPart>, Option<Version>), ODataError> {
        let mut batch = BatchRequest::new(uuid::Uuid::new_v4());
        let index = batch.changeset(ops);
        if let Some(path) = read_back {
            batch
                .parts
                .push(RequestPart::Query(Operation::new("GET", path)));
        }
        let response = self.client.batch(service, &batch).await?;
        let read = match response.parts.get(index + 1) {
            Some(ResponsePart::Single(p)) if p.is_success() && read_back.is_some() => etag_of(p),
            _ => None,
        };
        match response.changeset(index) {
            Some(ChangesetOutcome::Applied(parts)) => Ok((parts, read)),
            Some(ChangesetOutcome::Failed(p)) => Err(part_error(context, &p)),
            None => Err(ODataError::Batch(format!(
                "{context}: the response has no part for the changeset"
            ))),
        }
    }

    /// The current version, read again when a write did not return it.
    async fn current_version(&self, key: &S4Key) -> Result<Version, ODataError> {
        self.read(key).await?.map(|i| i.version).ok_or_else(|| {
            ODataError::Invalid(format!("{key} was written but cannot be read back"))
        })
    }

    /// Creates an activity under the GUID of `key` (a deep insert with the
    /// attendees in one changeset); returns its ETag and what was cut.
    pub async fn create_activity(
        &self,
        key: &S4Key,
        record: &Record,
        origin: Option<&ExchangeKey>,
    ) -> Result<Written<Version>, ODataError> {
        let (service, set, id, object) = target(key)?;
        let lengths = self.lengths(service).await;
        let mut report = WriteReport::default();
        let mut w = Writer {
            service,
            set,
            object: object.clone(),
            lengths: &lengths,
            report: &mut report,
        };
        let body = match record {
            Record::Appointment(a) if service == ServiceId::Appointments => {
                appt_map::payload(id, a, None, origin, &self.mapping, &mut w)
            }
            Record::Task(t) if service == ServiceId::Tasks => {
                task_map::payload(id, t, None, origin, &mut w)
            }
            _ => return Err(mismatch(key, record)),
        };
        let op = Operation::new("POST", set).json(Value::Object(body).to_string());
        let context = format!("creating {object}");
        let (parts, _) = self
            .run_changeset(service, &context, vec![op], None)
            .await?;
        let version = match parts.first().and_then(etag_of) {
            Some(v) => v,
            None => self.current_version(key).await?,
        };
        Ok((version, report))
    }

    /// Writes `fields` of `record` if the activity still has `version`:
    /// one MERGE with only those properties, plus the attendee changes,
    /// in one changeset. Returns the new ETag.
    pub async fn update_activity(
        &self,
        key: &S4Key,
        version: &Version,
        fields: &[Field],
        record: &Record,
    ) -> Result<Written<Option<Version>>, ODataError> {
        let (service, set, id, object) = target(key)?;
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
        let mut ops = vec![
            Operation::new("MERGE", object.clone())
                .json(Value::Object(body).to_string())
                .if_match(version.as_str()),
        ];
        ops.extend(extra);
        let context = format!("updating {object}");
        // A lone MERGE answers with the new ETag; after attendee changes
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

    /// Deletes an activity if it still has `version`; one that is gone
    /// already counts as deleted.
    pub async fn delete_activity(&self, key: &S4Key, version: &Version) -> Result<(), ODataError> {
        let (service, _, _, object) = target(key)?;
        let req = Request::new(Method::Delete, object).header("If-Match", version.as_str());
        let r = self.client.execute(service, &req).await?;
        if r.is_success() {
            return Ok(());
        }
        let e = failure(
            &req.context(),
            r.status,
            &r.headers,
            &r.body,
            SystemTime::now(),
        );
        match e.kind() {
            maiconnect_core::ErrorKind::NotFound => Ok(()),
            _ => Err(e),
        }
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
