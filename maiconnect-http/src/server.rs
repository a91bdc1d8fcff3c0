//! The running hub: the HTTP server and the background tasks, with a
//! graceful shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maiconnect_core::ports::StateStore;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::error::HubError;
use crate::hub::Hub;
use crate::{admin, intake, keeper, worker};

/// The HTTP routes.
pub fn router(hub: Arc<Hub>) -> Router {
    Router::new()
        .route("/s4/events", post(intake::s4::receive))
        .route("/ews/notify/{token}", post(intake::ews::receive))
        .route("/health/live", get(intake::health::live))
        .route("/health/ready", get(intake::health::ready))
        .route("/metrics", get(intake::health::metrics))
        .merge(admin::routes(hub.clone()))
        .layer(DefaultBodyLimit::max(hub.settings.max_body_bytes))
        .layer(middleware::map_response_with_state(
            hub.settings.max_body_bytes,
            explain_too_large,
        ))
        .with_state(hub)
}

/// Axum's own answer to an oversized body says neither the limit nor what
/// to do; this one does.
async fn explain_too_large(State(limit): State<usize>, response: Response) -> Response {
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return response;
    }
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        intake::json_error(
            &format!("the request body is larger than the {limit} bytes the hub accepts"),
            "send smaller requests (fewer S/4HANA events per batch), or raise hub.max_body_bytes",
        ),
    )
        .into_response()
}

/// A hub that runs.
pub struct RunningHub {
    /// The hub.
    pub hub: Arc<Hub>,
    /// The address it listens on.
    pub addr: SocketAddr,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl RunningHub {
    /// Starts the hub on `listener`: intake, workers, keeper, pruning.
    pub async fn start(hub: Arc<Hub>, listener: TcpListener) -> Result<RunningHub, HubError> {
        let addr = listener.local_addr().map_err(|source| HubError::Listen {
            addr: "?".into(),
            source,
        })?;
        let released = hub.store.release_claims()?;
        if released > 0 {
            tracing::info!(
                released,
                "taking up work that a previous run left unfinished"
            );
        }
        let (stop, stopped) = watch::channel(false);
        let mut tasks = Vec::new();
        let app = router(hub.clone());
        let mut server_stop = stopped.clone();
        tasks.push(tokio::spawn(async move {
            let shutdown = async move {
                let _ = server_stop.wait_for(|s| *s).await;
            };
            if let Err(e) = axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
            {
                tracing::error!(error = %e, "HTTP server stopped");
            }
        }));
        tasks.push(tokio::spawn(worker::run(hub.clone(), stopped.clone())));
        tasks.push(tokio::spawn(keeper::run(hub.clone(), stopped.clone())));
        tasks.push(tokio::spawn(prune(hub.clone(), stopped)));
        tracing::info!(%addr, "maiconnect hub listening");
        Ok(RunningHub {
            hub,
            addr,
            stop,
            tasks,
        })
    }

    /// Binds `addr` and starts.
    pub async fn bind(hub: Arc<Hub>, addr: &str) -> Result<RunningHub, HubError> {
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| HubError::Listen {
                addr: addr.into(),
                source,
            })?;
        RunningHub::start(hub, listener).await
    }

    /// Stops taking work, lets work in flight finish, stops.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for t in self.tasks {
            let _ = tokio::time::timeout(Duration::from_secs(30), t).await;
        }
    }

    /// Stops at once, as a crash would: nothing in flight finishes.
    pub fn abort(self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// Drops old journal entries and remembered event ids once an hour.
async fn prune(hub: Arc<Hub>, mut stop: watch::Receiver<bool>) {
    loop {
        let now = chrono::Utc::now();
        let before = now - chrono::Duration::days(i64::from(hub.settings.journal_retention_days));
        match hub.store.prune_journal(before).await {
            Ok(n) if n > 0 => tracing::info!(removed = n, "pruned the audit journal"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "cannot prune the journal"),
        }
        let _ = hub.store.prune_dedup(now);
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
            _ = stop.changed() => {}
        }
        if *stop.borrow() {
            break;
        }
    }
}
