//! Writes: `POST` (create, deep insert of `Attendee`, media upload with
//! `slug`), `PUT`/`MERGE`/`PATCH` (replace or merge) and `DELETE`, with the
//! ETag rules of SAP Gateway: `If-Match` required on types with an ETag
//! (428 without, 412 when stale, `*` accepted); the new ETag in the `ETag`
//! header of every write response.

use axum::http::HeaderMap;
use bytes::Bytes;
use serde_json::{Map, Value as J};

use super::path::EntityPath;
use super::read::entity_response;
use super::sap_error::{BUSINESS, ETAG_MISSING, ETAG_STALE, RESOURCE_NOT_FOUND, SapError};
use super::{Exec, OdataResponse};
use crate::s4::edm::EntitySet;
use crate::s4::store::{ActivityKind, Row, Store, WriteError};
use crate::s4::value::Value;

impl From<WriteError> for SapError {
    fn from(e: WriteError) -> SapError {
        match e {
            WriteError::NotFound(m) => SapError::new(404, RESOURCE_NOT_FOUND, m),
            WriteError::Duplicate(m) => SapError::new(400, BUSINESS, m),
            WriteError::Invalid { message, property } => {
                SapError::new(400, BUSINESS, message).with_property(property)
            }
        }
    }
}

/// The error of a refused write as the server in `exec` answers it: a
/// duplicate key is a business error, or (with the quirk) a database
/// error that the data provider passes on as a 500.
fn refused(exec: &Exec, e: WriteError) -> SapError {
    match e {
        WriteError::Duplicate(_) if exec.quirks.duplicate_as_database_error => SapError::new(
            500,
            "SY/530",
            "Database error: duplicate key when inserting into table CRMD_ORDERADM_H",
        ),
        other => other.into(),
    }
}

/// Refuses a payload that names a property or navigation the service
/// does not offer (SAP's standard service lacks the `/NAG/` additions).
fn check_names(
    set: &EntitySet,
    model: &crate::s4::edm::Service,
    map: &Map<String, J>,
) -> Result<(), SapError> {
    for (name, value) in map {
        if name == "__metadata" || set.index(name).is_some() {
            continue;
        }
        let Some(nav) = set.navigation(name) else {
            return Err(SapError::new(
                400,
                BUSINESS,
                format!(
                    "Property '{name}' is invalid: type '{}' has no such property",
                    set.type_name
                ),
            )
            .with_property(Some(name.clone())));
        };
        let Some(target) = model.set(nav.target) else {
            continue;
        };
        let items = match value {
            J::Array(items) => items.as_slice(),
            J::Object(o) => o
                .get("results")
                .and_then(J::as_array)
                .map_or(&[][..], Vec::as_slice),
            _ => &[],
        };
        for item in items {
            if let J::Object(m) = item {
                check_names(target, model, m)?;
            }
        }
    }
    Ok(())
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn strip_weak(tag: &str) -> &str {
    let t = tag.trim();
    t.strip_prefix("W/").unwrap_or(t)
}

/// Checks `If-Match` against the current ETag of `row`.
pub fn check_if_match(row: &Row, headers: &HeaderMap) -> Result<(), SapError> {
    let Some(current) = &row.etag else {
        return Ok(());
    };
    let Some(sent) = header(headers, "if-match") else {
        return Err(SapError::new(
            428,
            ETAG_MISSING,
            format!(
                "Precondition required: {} {} has an ETag; send it in If-Match (or If-Match: *)",
                row.set.type_name,
                row.key_predicate()
            ),
        ));
    };
    let ok = sent
        .split(',')
        .any(|t| t.trim() == "*" || strip_weak(t) == strip_weak(current));
    if ok {
        Ok(())
    } else {
        Err(SapError::new(
            412,
            ETAG_STALE,
            format!(
                "State of the resource (entity) {} {} was already changed (If-Match): read it again",
                row.set.type_name,
                row.key_predicate()
            ),
        ))
    }
}

fn payload(body: &Bytes) -> Result<Map<String, J>, SapError> {
    let value: J = serde_json::from_slice(body).map_err(|e| {
        SapError::bad_request(format!(
            "The request body is not valid JSON ({e}); send one entity as a JSON object"
        ))
    })?;
    match value {
        J::Object(mut map) => match map.remove("d") {
            Some(J::Object(inner)) if map.is_empty() => Ok(inner),
            Some(other) => {
                map.insert("d".into(), other);
                Ok(map)
            }
            None => Ok(map),
        },
        _ => Err(SapError::bad_request(
            "The request body must be a JSON object holding the entity's properties",
        )),
    }
}

fn kind_of(set: &EntitySet) -> Option<ActivityKind> {
    match set.name {
        "AppointmentSet" => Some(ActivityKind::Appointment),
        "Tasks" => Some(ActivityKind::Task),
        _ => None,
    }
}

fn not_allowed(method: &str, set: &EntitySet) -> SapError {
    SapError::new(
        405,
        super::sap_error::TECHNICAL,
        format!(
            "Method {method} is not allowed on entity set '{}' of this service",
            set.name
        ),
    )
}

fn guid_key(key: &[Value], index: usize) -> uuid::Uuid {
    match key.get(index) {
        Some(Value::Guid(g)) => *g,
        _ => uuid::Uuid::nil(),
    }
}

fn location(exec: &Exec, row: &Row) -> String {
    format!(
        "{}{}{}",
        exec.service_url,
        row.set.name,
        row.key_predicate()
    )
}

fn created(exec: &Exec, store: &Store, row: &Row, expand: &[String]) -> OdataResponse {
    let loc = location(exec, row);
    entity_response(201, exec, store, row, expand, None).header("location", &loc)
}

/// A modifying request on an entity path.
pub fn modify(
    exec: &Exec,
    store: &mut Store,
    method: &str,
    path: &EntityPath,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<OdataResponse, SapError> {
    let set = path.set;
    let now = exec.now;
    let today = exec.today();
    let current = match &path.key {
        Some(key) => Some(store.row(exec.service, set, key, today).ok_or_else(|| {
            let shown = key
                .iter()
                .map(Value::to_literal)
                .collect::<Vec<_>>()
                .join(",");
            // Some servers check If-Match before they look for the entity.
            if method == "DELETE"
                && exec.quirks.delete_gone_412
                && header(headers, "if-match").is_some()
            {
                return SapError::new(
                    412,
                    ETAG_STALE,
                    format!(
                        "Precondition failed for {} ({shown}): the ETag does not match",
                        set.type_name
                    ),
                );
            }
            SapError::not_found(format!(
                "Resource not found for segment '{}' {shown}: no such entity",
                set.type_name
            ))
        })?),
        None => None,
    };
    match (method, current, path.navigation) {
        ("POST", None, None) => match (kind_of(set), set.name) {
            (Some(kind), _) => {
                let map = payload(body)?;
                check_names(set, exec.model, &map)?;
                let expand: Vec<String> = set
                    .navigations
                    .iter()
                    .filter(|n| map.contains_key(n.name))
                    .map(|n| n.name.to_owned())
                    .collect();
                let guid = store
                    .create_activity_with(kind, &map, now, exec.quirks.server_keys)
                    .map_err(|e| refused(exec, e))?;
                let row = store
                    .row(exec.service, set, &[Value::Guid(guid)], today)
                    .ok_or_else(|| SapError::not_found("created activity vanished"))?;
                Ok(created(exec, store, &row, &expand))
            }
            (None, "AttendeeSet") => {
                let map = payload(body)?;
                check_names(set, exec.model, &map)?;
                let (g, p) = store.create_attendee(&map, now)?;
                let row = store
                    .row(exec.service, set, &[Value::Guid(g), Value::Guid(p)], today)
                    .ok_or_else(|| SapError::not_found("created attendee vanished"))?;
                Ok(created(exec, store, &row, &[]))
            }
            (None, "AttachmentSet") => Err(SapError::bad_request(
                "Upload attachments with POST AppointmentSet(guid'…')/Attachments or Tasks(guid'…')/Attachments",
            )),
            _ => Err(not_allowed(method, set)),
        },
        ("POST", Some(parent), Some("Attendee")) => {
            let mut map = payload(body)?;
            let target = exec.model.set("AttendeeSet").unwrap_or(set);
            check_names(target, exec.model, &map)?;
            map.insert("Guid".into(), parent.get("Guid").to_json());
            let (g, p) = store.create_attendee(&map, now)?;
            let row = store
                .row(
                    exec.service,
                    target,
                    &[Value::Guid(g), Value::Guid(p)],
                    today,
                )
                .ok_or_else(|| SapError::not_found("created attendee vanished"))?;
            Ok(created(exec, store, &row, &[]))
        }
        ("POST", Some(parent), Some("Attachments" | "AppointmentToAttachment")) => {
            let Some(kind) = kind_of(set) else {
                return Err(not_allowed(method, set));
            };
            let slug = header(headers, "slug").unwrap_or_default();
            let file_name = percent_encoding::percent_decode_str(slug)
                .decode_utf8_lossy()
                .into_owned();
            let mime = header(headers, "content-type").unwrap_or("application/octet-stream");
            let guid = guid_key(&parent.key(), 0);
            let id = store.create_attachment(kind, guid, &file_name, mime, body.clone(), now)?;
            let target = exec.model.set("AttachmentSet").unwrap_or(set);
            let row = store
                .row(exec.service, target, &[Value::Text(id)], today)
                .ok_or_else(|| SapError::not_found("created attachment vanished"))?;
            Ok(created(exec, store, &row, &[]))
        }
        ("PUT" | "MERGE" | "PATCH", Some(row), None) if !path.value => {
            let replace = method == "PUT";
            let map = payload(body)?;
            check_names(set, exec.model, &map)?;
            match (kind_of(set), set.name) {
                (Some(kind), _) => {
                    check_if_match(&row, headers)?;
                    store.update_activity(kind, guid_key(&row.key(), 0), &map, replace, now)?;
                }
                (None, "AttendeeSet") => {
                    let key = row.key();
                    store.update_attendee(
                        guid_key(&key, 0),
                        guid_key(&key, 1),
                        &map,
                        replace,
                        now,
                    )?;
                }
                _ => return Err(not_allowed(method, set)),
            }
            let after = store.row(exec.service, set, &row.key(), today);
            if exec.quirks.update_returns_entity
                && kind_of(set).is_some()
                && let Some(after) = &after
            {
                return Ok(entity_response(200, exec, store, after, &[], None));
            }
            let mut r = OdataResponse::new(204);
            if let Some(etag) = after.and_then(|a| a.etag) {
                r = r.header("etag", &etag);
            }
            Ok(r)
        }
        ("DELETE", Some(row), None) if !path.value => {
            match (kind_of(set), set.name) {
                (Some(kind), _) => {
                    check_if_match(&row, headers)?;
                    store.delete_activity(kind, guid_key(&row.key(), 0), now)?;
                }
                (None, "AttendeeSet") => {
                    let key = row.key();
                    store.delete_attendee(guid_key(&key, 0), guid_key(&key, 1), now)?;
                }
                (None, "AttachmentSet") => {
                    let kind = if exec.service == crate::s4::edm::ServiceId::Tasks {
                        ActivityKind::Task
                    } else {
                        ActivityKind::Appointment
                    };
                    let id = row
                        .values
                        .first()
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned();
                    store.delete_attachment(kind, &id, now)?;
                }
                _ => return Err(not_allowed(method, set)),
            }
            Ok(OdataResponse::new(204))
        }
        _ => Err(not_allowed(method, set)),
    }
}
