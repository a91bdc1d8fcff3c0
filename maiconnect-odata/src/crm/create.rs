//! Creates: a deep insert under the GUID the hub chose, in one changeset.
//!
//! The key linked is the one the server reports: the `Guid` of the entity
//! in the 201 body, else the key in its `Location` header. A server that
//! assigns its own keys (a plain copy of a standard service may) answers
//! with another GUID; that one is returned, the mismatch logged, and the
//! key sent kept as an alias for this process, so that reading or writing
//! it, or creating it again, reaches the object that was made.
//!
//! A create that may have happened although it failed (no answer, a 5xx,
//! a 400 or 409 of a business or database check) is confirmed by reading
//! before it is reported: if the object is there, the create reports
//! `AlreadyExists` (the caller reads and links it) instead of a failure
//! that a retry would turn into a second object.

use maiconnect_core::ErrorKind;
use maiconnect_core::ids::ActivityId;
use maiconnect_core::model::{ExchangeKey, Record, S4Key};
use maiconnect_core::plan::state::S4Item;
use maiconnect_core::ports::Created;
use serde_json::Value;

use crate::crm::write::{etag_of, mismatch, target};
use crate::crm::{ODataCrm, Written};
use crate::error::ODataError;
use crate::mapping::appointment::{self as appt_map, external_key};
use crate::mapping::{WriteReport, Writer, task as task_map};
use crate::profile::ServiceId;
use crate::wire::batch::{HttpPart, Operation};
use crate::wire::filter::Filter;
use crate::wire::json::{Text, parse_entity};
use crate::wire::literal::Literal;
use crate::wire::query::{Query, guid_in_location, with_query};

/// The key the server reports for a created entity: `Guid` in the body,
/// else the key in `Location`.
pub fn created_guid(p: &HttpPart) -> Option<uuid::Uuid> {
    #[derive(serde::Deserialize)]
    struct Key<'a> {
        #[serde(rename = "Guid", default, borrow)]
        guid: Option<Text<'a>>,
    }
    let from_body = parse_entity::<Key<'_>>(&p.body, "create response")
        .ok()
        .and_then(|k| k.guid)
        .and_then(|g| uuid::Uuid::try_parse(g.trim()).ok());
    from_body.or_else(|| p.header("location").and_then(guid_in_location))
}

/// Whether a failed create may have happened all the same.
fn may_have_happened(e: &ODataError) -> bool {
    match e {
        ODataError::Transport { .. } | ODataError::Batch(_) => true,
        ODataError::Http(h) => {
            matches!(h.status, 400 | 408 | 409) || (h.status >= 500 && h.status != 501)
        }
        _ => false,
    }
}

/// The key of the same kind as `key` with the GUID `id`.
fn same_kind(key: &S4Key, id: ActivityId) -> S4Key {
    match key {
        S4Key::Task(_) => S4Key::Task(id),
        _ => S4Key::Appointment(id),
    }
}

impl ODataCrm {
    /// Creates an activity under the GUID of `key` (a deep insert with the
    /// attendees in one changeset); returns the key the server holds it
    /// under, its ETag and what was cut.
    pub async fn create_activity(
        &self,
        key: &S4Key,
        record: &Record,
        origin: Option<&ExchangeKey>,
    ) -> Result<Written<Created>, ODataError> {
        let (service, set, id, object) = target(key)?;
        let aliased = self.resolve(key);
        if &aliased != key && self.read(&aliased).await?.is_some() {
            return Err(ODataError::AlreadyExists {
                object,
                why: format!("it was created before and the server holds it as {aliased}"),
            });
        }
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
        let parts = match self.run_changeset(service, &context, vec![op], None).await {
            Ok((parts, _)) => parts,
            Err(e) => return Err(self.confirm_create(key, origin, e).await),
        };
        let part = parts.first();
        let actual = match part.and_then(created_guid) {
            Some(g) => ActivityId::from_uuid(g),
            None => {
                tracing::debug!(%key, "the create answered without a key; taking the key sent");
                id
            }
        };
        let created_key = same_kind(key, actual);
        let version = match part.and_then(etag_of) {
            Some(v) => v,
            None => self.current_version(&created_key).await?,
        };
        if actual != id {
            tracing::warn!(
                sent = %key,
                server = %created_key,
                "S/4HANA assigned its own key to the new activity; the key it reports is linked"
            );
            self.remember_alias(id, actual);
            if let Some(before) = self.made_before(service, origin, actual).await? {
                return Err(self
                    .undo_duplicate(key, &created_key, &version, before)
                    .await);
            }
        }
        Ok((
            Created {
                key: created_key,
                version,
            },
            report,
        ))
    }

    /// A failed create that may have happened: read before reporting.
    async fn confirm_create(
        &self,
        key: &S4Key,
        origin: Option<&ExchangeKey>,
        e: ODataError,
    ) -> ODataError {
        if e.kind() == ErrorKind::AlreadyExists || !may_have_happened(&e) {
            return e;
        }
        let Ok((service, _, _, object)) = target(key) else {
            return e;
        };
        match self.read(key).await {
            Ok(Some(_)) => {
                return ODataError::AlreadyExists {
                    object,
                    why: format!("the create failed, but reading finds it: {e}"),
                };
            }
            Ok(None) => {}
            Err(read) => {
                tracing::warn!(%key, "a failed create could not be confirmed by reading: {read}");
                return e;
            }
        }
        // Made under a key of the server's own, the object can only be
        // found by the Outlook item it records.
        if !self.keeps_sent_keys()
            && let Ok(Some(before)) = self
                .made_before(service, origin, ActivityId::from_uuid(uuid::Uuid::nil()))
                .await
            && let S4Key::Appointment(found) | S4Key::Task(found) = before.key
        {
            if let S4Key::Appointment(sent) | S4Key::Task(sent) = key {
                self.remember_alias(*sent, found);
            }
            return ODataError::AlreadyExists {
                object,
                why: format!(
                    "the create failed, but the server holds one for the same Outlook item as {}: {e}",
                    before.key
                ),
            };
        }
        e
    }

    /// On a server that assigns its own keys, an activity made before for
    /// the same Outlook item (a create repeated after a crash), other than
    /// `made`. Only a profile with an external key can tell.
    async fn made_before(
        &self,
        service: ServiceId,
        origin: Option<&ExchangeKey>,
        made: ActivityId,
    ) -> Result<Option<S4Item>, ODataError> {
        let (Some(origin), Some(spec)) = (origin, self.profile().activity(service)) else {
            return Ok(None);
        };
        let Some(property) = spec.external_key else {
            return Ok(None);
        };
        let lengths = self.lengths(service).await;
        if !lengths.has(service, spec.set, property) {
            return Ok(None);
        }
        // The filter looks for the text as it was written: cut alike.
        let mut text = external_key(origin);
        if let Some(max) = lengths.max(service, spec.set, property) {
            text = text.chars().take(max as usize).collect();
        }
        let q = Query::filter(Filter::eq(property, Literal::String(text)));
        let path = with_query(spec.set, &[&q.encode()]);
        let found = self.query_items(service, &path).await?;
        Ok(found.into_iter().find(|i| match &i.key {
            S4Key::Appointment(g) | S4Key::Task(g) => *g != made,
            S4Key::Contact(_) => false,
        }))
    }

    /// A create that made a second object for an Outlook item that has one
    /// already: the new one is deleted, the old one reported.
    async fn undo_duplicate(
        &self,
        sent: &S4Key,
        made: &S4Key,
        version: &maiconnect_core::ids::Version,
        before: S4Item,
    ) -> ODataError {
        tracing::warn!(%made, before = %before.key, "the server made a second activity for the same Outlook item; deleting it");
        if let (S4Key::Appointment(s) | S4Key::Task(s), S4Key::Appointment(b) | S4Key::Task(b)) =
            (sent, &before.key)
        {
            self.remember_alias(*s, *b);
        }
        let why = match self.delete_activity(made, version).await {
            Ok(()) => format!(
                "the server holds it as {} for the same Outlook item; the second copy {made} was deleted",
                before.key
            ),
            Err(e) => format!(
                "the server holds it as {} for the same Outlook item; deleting the second copy {made} failed: {e}",
                before.key
            ),
        };
        ODataError::AlreadyExists {
            object: sent.to_string(),
            why,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(status: u16, headers: &[(&str, &str)], body: &str) -> HttpPart {
        HttpPart {
            status,
            reason: String::new(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn the_created_key_comes_from_the_body_then_the_location() {
        let g = "00505697-47e6-1ee7-bed1-6c5662a87345";
        let body = format!(r#"{{"d":{{"__metadata":{{"etag":"W/\"1\""}},"Guid":"{g}"}}}}"#);
        let other = "http://gw.internal/sap/opu/odata/sap/CRM_TASK/Tasks(guid'00000000-0000-0000-0000-000000000001')";
        assert_eq!(
            created_guid(&part(201, &[("location", other)], &body)).map(|u| u.to_string()),
            Some(g.to_owned()),
            "the body wins"
        );
        assert_eq!(
            created_guid(&part(201, &[("Location", other)], "")),
            Some(uuid::Uuid::from_u128(1))
        );
        assert_eq!(created_guid(&part(204, &[], "")), None);
    }

    #[test]
    fn only_ambiguous_failures_are_confirmed() {
        let http =
            |status| ODataError::Http(Box::new(crate::error::HttpFailure::bare("POST", status)));
        for status in [400, 408, 409, 500, 502, 503, 504] {
            assert!(may_have_happened(&http(status)), "{status}");
        }
        for status in [401, 403, 404, 405, 412, 413, 428, 429, 501] {
            assert!(!may_have_happened(&http(status)), "{status}");
        }
        assert!(!may_have_happened(&ODataError::Invalid("x".into())));
    }
}
