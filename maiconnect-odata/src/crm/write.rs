//! What the writes share (the target of a key, running one changeset, the
//! ETag a write answered with) and the delete.
//!
//! A delete is idempotent: an activity that is gone counts as deleted,
//! whether the server says so with 404 or — as some do for `If-Match` on
//! a missing entity — with 412, which a read then tells apart from a real
//! conflict.

use std::time::SystemTime;

use maiconnect_core::ErrorKind;
use maiconnect_core::ids::{ActivityId, Version};
use maiconnect_core::model::{Record, S4Key};

use crate::client::{Method, Request, failure};
use crate::crm::ODataCrm;
use crate::error::ODataError;
use crate::mapping::appointment as appt_map;
use crate::mapping::task as task_map;
use crate::profile::{ServiceId, appointment as appt, task as tsk};
use crate::wire::batch::{
    BatchRequest, ChangesetOutcome, HttpPart, Operation, RequestPart, ResponsePart,
};
use crate::wire::json::{EntityMeta, parse_entity};

/// Which service, set and object a key writes to.
pub(super) fn target(
    key: &S4Key,
) -> Result<(ServiceId, &'static str, ActivityId, String), ODataError> {
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

pub(super) fn mismatch(key: &S4Key, record: &Record) -> ODataError {
    ODataError::Invalid(format!(
        "{key} cannot be written from a {} record",
        record.kind()
    ))
}

/// The error of a failed changeset part.
pub(super) fn part_error(context: &str, p: &HttpPart) -> ODataError {
    failure(context, p.status, &p.headers, &p.body, SystemTime::now())
}

/// The ETag a write answered with: the header, or `__metadata.etag` of
/// the returned entity (a MERGE may answer 200 with the entity).
pub(super) fn etag_of(p: &HttpPart) -> Option<Version> {
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
    /// update's own ETag is stale by the end).
    pub(super) async fn run_changeset(
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
    pub(super) async fn current_version(&self, key: &S4Key) -> Result<Version, ODataError> {
        self.read(key).await?.map(|i| i.version).ok_or_else(|| {
            ODataError::Invalid(format!("{key} was written but cannot be read back"))
        })
    }

    /// Deletes an activity if it still has `version`; one that is gone
    /// already counts as deleted (404, or a 412 after which it cannot be
    /// read).
    pub async fn delete_activity(&self, key: &S4Key, version: &Version) -> Result<(), ODataError> {
        let key = &self.resolve(key);
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
        let e = self.client.placed(service, e).await;
        match e.kind() {
            ErrorKind::NotFound => Ok(()),
            // A server may check If-Match before it looks for the entity.
            ErrorKind::Conflict => match self.read(key).await? {
                None => {
                    tracing::debug!(%key, "delete answered 412 for an activity that is gone");
                    Ok(())
                }
                Some(item) => Err(ODataError::Conflict {
                    object: req.context(),
                    current: Some(item.version),
                }),
            },
            _ => Err(e),
        }
    }
}
