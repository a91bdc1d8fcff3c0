//! The control API over HTTP: JSON under `/_control/` (no auth: a
//! localhost test tool). Every route calls the typed method of the same
//! name on [`FakeS4Handle`]; the module docs of [`crate::s4`] list them with
//! examples.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::{Value as J, json};
use uuid::Uuid;

use super::NewRelationship;
use crate::s4::config::{HubDestination, User};
use crate::s4::edm::ServiceId;
use crate::s4::error::FakeS4Error;
use crate::s4::gateway::FaultRule;
use crate::s4::quirks::Quirks;
use crate::s4::server::FakeS4Handle;
use crate::s4::shared::Latency;
use crate::s4::store::{ActivityKind, Partner};

type H = State<FakeS4Handle>;

impl IntoResponse for FakeS4Error {
    fn into_response(self) -> Response {
        let status = match self {
            FakeS4Error::NotFound(_) => StatusCode::NOT_FOUND,
            FakeS4Error::Control(_) => StatusCode::BAD_REQUEST,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        (status, Json(json!({"error": self.to_string()}))).into_response()
    }
}

fn kind(name: &str) -> Result<ActivityKind, FakeS4Error> {
    match name {
        "appointments" => Ok(ActivityKind::Appointment),
        "tasks" => Ok(ActivityKind::Task),
        other => Err(FakeS4Error::NotFound(format!(
            "activity kind {other:?} (use appointments or tasks)"
        ))),
    }
}

fn guid(text: &str) -> Result<Uuid, FakeS4Error> {
    Uuid::try_parse(text).map_err(|_| FakeS4Error::Control(format!("{text:?} is not a GUID")))
}

fn ok() -> Json<J> {
    Json(json!({"ok": true}))
}

async fn state(State(h): H) -> Json<J> {
    Json(serde_json::to_value(h.snapshot()).unwrap_or_default())
}

async fn list_activities(State(h): H, Path(k): Path<String>) -> Result<Json<J>, FakeS4Error> {
    let snapshot = h.snapshot();
    Ok(Json(J::Array(match kind(&k)? {
        ActivityKind::Appointment => snapshot.appointments,
        ActivityKind::Task => snapshot.tasks,
    })))
}

async fn create_activity(
    State(h): H,
    Path(k): Path<String>,
    Json(body): Json<J>,
) -> Result<(StatusCode, Json<J>), FakeS4Error> {
    let g = h.create_activity(kind(&k)?, body)?;
    Ok((StatusCode::CREATED, Json(json!({"guid": g}))))
}

async fn read_activity(
    State(h): H,
    Path((k, g)): Path<(String, String)>,
) -> Result<Json<J>, FakeS4Error> {
    let g = guid(&g)?;
    h.activity(kind(&k)?, g)
        .map(Json)
        .ok_or_else(|| FakeS4Error::NotFound(format!("{k} {g}")))
}

async fn update_activity(
    State(h): H,
    Path((k, g)): Path<(String, String)>,
    Json(body): Json<J>,
) -> Result<Json<J>, FakeS4Error> {
    h.update_activity(kind(&k)?, guid(&g)?, body)?;
    Ok(ok())
}

async fn delete_activity(
    State(h): H,
    Path((k, g)): Path<(String, String)>,
) -> Result<Json<J>, FakeS4Error> {
    h.delete_activity(kind(&k)?, guid(&g)?)?;
    Ok(ok())
}

async fn add_attendee(
    State(h): H,
    Path(g): Path<String>,
    Json(body): Json<J>,
) -> Result<(StatusCode, Json<J>), FakeS4Error> {
    let p = h.add_attendee(guid(&g)?, body)?;
    Ok((StatusCode::CREATED, Json(json!({"partnerGuid": p}))))
}

async fn remove_attendee(
    State(h): H,
    Path((g, p)): Path<(String, String)>,
) -> Result<Json<J>, FakeS4Error> {
    h.remove_attendee(guid(&g)?, guid(&p)?)?;
    Ok(ok())
}

async fn partners(State(h): H) -> Json<J> {
    Json(serde_json::to_value(h.snapshot().partners).unwrap_or_default())
}

async fn upsert_partner(State(h): H, Json(p): Json<Partner>) -> Result<Json<Partner>, FakeS4Error> {
    h.upsert_partner(p).map(Json)
}

async fn remove_partner(State(h): H, Path(n): Path<String>) -> Result<Json<J>, FakeS4Error> {
    h.remove_partner(&n)?;
    Ok(ok())
}

async fn relationships(State(h): H) -> Json<J> {
    Json(serde_json::to_value(h.snapshot().relationships).unwrap_or_default())
}

async fn add_relationship(
    State(h): H,
    Json(r): Json<NewRelationship>,
) -> Result<(StatusCode, Json<J>), FakeS4Error> {
    let rel = h.add_relationship(r)?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::to_value(rel).unwrap_or_default()),
    ))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct End {
    #[serde(default)]
    valid_to: Option<NaiveDate>,
}

async fn end_relationship(
    State(h): H,
    Path(n): Path<String>,
    body: Option<Json<End>>,
) -> Result<Json<J>, FakeS4Error> {
    let end = body.map(|Json(b)| b).unwrap_or_default();
    let rel = h.end_relationship(&n, end.valid_to)?;
    Ok(Json(serde_json::to_value(rel).unwrap_or_default()))
}

async fn events(State(h): H) -> Json<J> {
    Json(json!({"paused": h.events_paused(), "hub": h.hub().map(|d| d.url), "events": h.events()}))
}

#[derive(Deserialize)]
struct Count {
    count: u32,
}

async fn drop_events(State(h): H, Json(c): Json<Count>) -> Json<J> {
    h.drop_next_events(c.count);
    ok()
}

async fn duplicate_events(State(h): H, Json(c): Json<Count>) -> Json<J> {
    h.duplicate_next_events(c.count);
    ok()
}

async fn pause(State(h): H) -> Json<J> {
    h.pause_events(true);
    ok()
}

async fn resume(State(h): H) -> Json<J> {
    h.pause_events(false);
    ok()
}

async fn set_hub(State(h): H, Json(d): Json<HubDestination>) -> Json<J> {
    h.set_hub(Some(d));
    ok()
}

async fn clear_hub(State(h): H) -> Json<J> {
    h.set_hub(None);
    ok()
}

async fn add_fault(State(h): H, Json(rule): Json<FaultRule>) -> Json<J> {
    h.inject_fault(rule);
    ok()
}

async fn list_faults(State(h): H) -> Json<J> {
    Json(serde_json::to_value(h.faults()).unwrap_or_default())
}

async fn clear_faults(State(h): H) -> Json<J> {
    h.clear_faults();
    ok()
}

async fn expire_csrf(State(h): H) -> Json<J> {
    h.expire_csrf_tokens();
    ok()
}

#[derive(Deserialize)]
struct Active {
    active: bool,
}

async fn service_state(
    State(h): H,
    Path(name): Path<String>,
    Json(a): Json<Active>,
) -> Result<Json<J>, FakeS4Error> {
    let service = ServiceId::from_name(&name)
        .ok_or_else(|| FakeS4Error::NotFound(format!("service {name}")))?;
    h.set_service_active(service, a.active);
    Ok(ok())
}

async fn upsert_user(State(h): H, Json(u): Json<User>) -> Json<J> {
    h.upsert_user(u);
    ok()
}

#[derive(Deserialize)]
struct Services {
    services: Option<Vec<ServiceId>>,
}

async fn user_services(
    State(h): H,
    Path(name): Path<String>,
    Json(s): Json<Services>,
) -> Result<Json<J>, FakeS4Error> {
    h.set_user_services(&name, s.services)?;
    Ok(ok())
}

#[derive(Deserialize)]
struct Allowed {
    allowed: bool,
}

async fn head(State(h): H, Json(a): Json<Allowed>) -> Json<J> {
    h.set_head_allowed(a.allowed);
    ok()
}

async fn quirks(State(h): H) -> Json<Quirks> {
    Json(h.quirks())
}

async fn set_quirks(State(h): H, Json(q): Json<Quirks>) -> Json<J> {
    h.set_quirks(q);
    ok()
}

async fn latency(State(h): H, Json(l): Json<Latency>) -> Json<J> {
    h.set_latency(l);
    ok()
}

#[derive(Deserialize)]
struct Size {
    size: usize,
}

async fn page_size(State(h): H, Json(s): Json<Size>) -> Json<J> {
    h.set_page_size(s.size);
    ok()
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
struct ClockChange {
    #[serde(default)]
    set: Option<DateTime<Utc>>,
    #[serde(default)]
    advance_secs: Option<i64>,
    #[serde(default)]
    real: bool,
}

async fn clock(State(h): H) -> Json<J> {
    Json(json!({"now": h.now(), "fixed": h.clock_fixed()}))
}

async fn change_clock(State(h): H, Json(c): Json<ClockChange>) -> Json<J> {
    if c.real {
        h.real_clock();
    }
    if let Some(t) = c.set {
        h.set_clock(t);
    }
    if let Some(s) = c.advance_secs {
        h.advance_clock(Duration::seconds(s));
    }
    Json(json!({"now": h.now(), "fixed": h.clock_fixed()}))
}

async fn restart(State(h): H) -> Json<J> {
    // Answer first; the restart closes this very connection.
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let _ = h.restart().await;
    });
    Json(json!({"restarting": true}))
}

async fn save(State(h): H) -> Result<Json<J>, FakeS4Error> {
    h.save()?;
    Ok(ok())
}

async fn seed_demo(State(h): H) -> Result<Json<J>, FakeS4Error> {
    let summary = crate::s4::demo::seed(&h, h.now())?;
    Ok(Json(serde_json::to_value(summary).unwrap_or_default()))
}

/// The control routes.
pub fn router(handle: FakeS4Handle) -> Router {
    Router::new()
        .route("/_control/state", get(state))
        .route(
            "/_control/activities/{kind}",
            get(list_activities).post(create_activity),
        )
        .route(
            "/_control/activities/{kind}/{guid}",
            get(read_activity)
                .patch(update_activity)
                .delete(delete_activity),
        )
        .route(
            "/_control/appointments/{guid}/attendees",
            post(add_attendee),
        )
        .route(
            "/_control/appointments/{guid}/attendees/{partner_guid}",
            delete(remove_attendee),
        )
        .route("/_control/partners", get(partners).post(upsert_partner))
        .route("/_control/partners/{number}", delete(remove_partner))
        .route(
            "/_control/relationships",
            get(relationships).post(add_relationship),
        )
        .route(
            "/_control/relationships/{number}/end",
            post(end_relationship),
        )
        .route("/_control/events", get(events))
        .route("/_control/events/drop", post(drop_events))
        .route("/_control/events/duplicate", post(duplicate_events))
        .route("/_control/events/pause", post(pause))
        .route("/_control/events/resume", post(resume))
        .route("/_control/hub", put(set_hub).delete(clear_hub))
        .route(
            "/_control/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/_control/csrf/expire", post(expire_csrf))
        .route("/_control/services/{name}", put(service_state))
        .route("/_control/users", post(upsert_user))
        .route("/_control/users/{name}/services", put(user_services))
        .route("/_control/head", put(head))
        .route("/_control/quirks", get(quirks).put(set_quirks))
        .route("/_control/latency", put(latency))
        .route("/_control/page-size", put(page_size))
        .route("/_control/clock", get(clock).post(change_clock))
        .route("/_control/restart", post(restart))
        .route("/_control/save", post(save))
        .route("/_control/demo", post(seed_demo))
        .with_state(handle)
}
