//! `POST /s4/events`: S/4HANA's events (the contract is
//! [`maiconnect_core::model::event`]), stored before they are acknowledged.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use maiconnect_core::model::S4Event;
use maiconnect_core::ports::{InboxEvent, StateStore};
use serde::Deserialize;

use crate::hub::Hub;
use crate::intake::{basic_ok, json_error, unauthorized};

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    Many(Vec<S4Event>),
    One(S4Event),
}

/// Receives one event or a JSON array of events.
pub async fn receive(State(hub): State<Arc<Hub>>, headers: HeaderMap, body: Bytes) -> Response {
    if !basic_ok(&headers, hub.events.as_ref()) {
        return unauthorized("maiconnect S/4HANA events");
    }
    let events = match serde_json::from_slice::<OneOrMany>(&body) {
        Ok(OneOrMany::Many(v)) => v,
        Ok(OneOrMany::One(e)) => vec![e],
        Err(_) => {
            // Name the problem precisely by reading it as one event.
            let detail = match serde_json::from_slice::<S4Event>(&body) {
                Err(e) => e.to_string(),
                Ok(_) => "not an event or an array of events".into(),
            };
            return (
                StatusCode::BAD_REQUEST,
                json_error(
                    &format!("the body is not an S/4HANA event: {detail}"),
                    "send {\"eventId\",\"objectType\",\"objectKey\",\"change\"} or an array of them (see the README's event contract)",
                ),
            )
                .into_response();
        }
    };
    for e in &events {
        if let Err(why) = e.validate() {
            return (
                StatusCode::BAD_REQUEST,
                json_error(
                    &format!("event {}: {why}", e.event_id),
                    "fix the event handler's payload",
                ),
            )
                .into_response();
        }
    }
    let inbox: Vec<InboxEvent> = events
        .into_iter()
        .map(|event| InboxEvent::S4 { event })
        .collect();
    match hub.store.enqueue(&inbox, chrono::Utc::now()).await {
        Ok(ids) => {
            hub.metrics.event("s4", inbox.len() as u64);
            hub.wake.notify_one();
            let body =
                serde_json::json!({ "accepted": ids.len(), "duplicates": inbox.len() - ids.len() });
            (StatusCode::ACCEPTED, axum::Json(body)).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot store S/4HANA events");
            // Not acknowledged: S/4HANA's retry queue sends them again.
            (
                StatusCode::SERVICE_UNAVAILABLE,
                json_error(
                    "the hub cannot store events right now",
                    "the sender retries",
                ),
            )
                .into_response()
        }
    }
}
