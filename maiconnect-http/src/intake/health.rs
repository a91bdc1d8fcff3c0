//! Liveness, readiness and metrics.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maiconnect_core::ports::StateStore;

use crate::hub::Hub;

/// `GET /health/live`: the process answers.
pub async fn live() -> &'static str {
    "ok"
}

/// `GET /health/ready`: the state store answers.
pub async fn ready(State(hub): State<Arc<Hub>>) -> Response {
    match hub.store.inbox_depth().await {
        Ok(depth) => {
            axum::Json(serde_json::json!({ "ready": true, "inbox_depth": depth })).into_response()
        }
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({ "ready": false, "error": e.message })),
        )
            .into_response(),
    }
}

/// `GET /metrics`: Prometheus text format.
pub async fn metrics(State(hub): State<Arc<Hub>>) -> Response {
    if let (Ok(depth), Ok(dead)) = (hub.store.inbox_depth().await, hub.store.dead_count()) {
        hub.metrics.set_queue(depth, dead);
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        hub.metrics.render(),
    )
        .into_response()
}
