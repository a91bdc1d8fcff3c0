//! The control API: JSON over HTTP under `/_control/…` (see the module
//! documentation of [`crate::exchange`] for every call with an example),
//! and the same calls as typed methods of
//! [`FakeExchangeHandle`](crate::exchange::FakeExchangeHandle).

mod internal;
pub mod spec;

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub use internal::item_json;

use super::error::{FakeExchangeError, Result};
use super::faults::{FaultRule, Latency};
use super::server::{FakeExchangeHandle, Inner};
use super::state::{OAuthApp, ServiceUser, SubscriptionState};
use spec::ItemSpec;

/// `POST /_control/mailboxes`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MailboxSpec {
    /// Primary SMTP address.
    pub address: String,
    /// Display name (default from the address).
    #[serde(default)]
    pub display_name: Option<String>,
}

/// `POST /_control/users`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserSpec {
    /// User name for Basic auth.
    pub user: String,
    /// Password.
    pub password: String,
    /// Mailboxes it may impersonate.
    #[serde(default)]
    pub grants: Vec<String>,
}

/// `POST /_control/apps`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AppSpec {
    /// Client id.
    pub client_id: String,
    /// Tenant (id or domain) of the token endpoint path.
    pub tenant: String,
    /// Client secret.
    #[serde(default)]
    pub secret: Option<String>,
    /// Certificate (PEM).
    #[serde(default)]
    pub certificate_pem: Option<String>,
    /// Application access policy (`None` = all mailboxes).
    #[serde(default)]
    pub allowed_mailboxes: Option<Vec<String>>,
}

/// `POST /_control/mailboxes/{address}/items`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NewItemRequest {
    /// `calendar`, `tasks`, `contacts` or a folder id (default by kind).
    #[serde(default)]
    pub folder: Option<String>,
    /// The item as JSON…
    #[serde(default)]
    pub item: Option<ItemSpec>,
    /// …or as raw EWS XML (`<t:CalendarItem xmlns:t=…>…`).
    #[serde(default)]
    pub xml: Option<String>,
}

/// `POST /_control/clock`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ClockRequest {
    /// Freeze at this instant.
    #[serde(default)]
    pub set: Option<chrono::DateTime<chrono::Utc>>,
    /// Move forward by this many seconds.
    #[serde(default)]
    pub advance_seconds: Option<f64>,
    /// Back to the system clock.
    #[serde(default)]
    pub real: Option<bool>,
}

#[derive(Deserialize)]
struct Count {
    count: u32,
}

#[derive(Deserialize)]
struct Limit {
    limit: u32,
}

#[derive(Deserialize)]
struct FolderQuery {
    folder: Option<String>,
}

fn ok(v: Value) -> Response {
    Json(v).into_response()
}

fn err(e: FakeExchangeError) -> Response {
    let status = match e {
        FakeExchangeError::NotFound(_) => StatusCode::NOT_FOUND,
        FakeExchangeError::Control(_) => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    (status, Json(json!({"error": e.to_string()}))).into_response()
}

fn reply(r: Result<Value>) -> Response {
    match r {
        Ok(v) => ok(v),
        Err(e) => err(e),
    }
}

/// The control routes.
pub fn routes() -> Router<Arc<Inner>> {
    Router::new()
        .route("/_control/mailboxes", post(|State(i): State<Arc<Inner>>, Json(m): Json<MailboxSpec>| async move { reply(add_mailbox(&i, &m)) }))
        .route("/_control/users", post(|State(i): State<Arc<Inner>>, Json(u): Json<UserSpec>| async move { reply(add_user(&i, &u)) }))
        .route("/_control/apps", post(|State(i): State<Arc<Inner>>, Json(a): Json<AppSpec>| async move { reply(add_app(&i, &a)) }))
        .route(
            "/_control/mailboxes/{address}/items",
            post(|State(i): State<Arc<Inner>>, Path(a): Path<String>, Json(r): Json<NewItemRequest>| async move { reply(internal::create(&i, &a, &r)) })
                .get(|State(i): State<Arc<Inner>>, Path(a): Path<String>, Query(q): Query<FolderQuery>| async move { reply(internal::list(&i, &a, q.folder.as_deref())) }),
        )
        .route(
            "/_control/mailboxes/{address}/items/{id}",
            get(|State(i): State<Arc<Inner>>, Path((a, id)): Path<(String, String)>| async move { reply(internal::get(&i, &a, &id)) })
                .patch(|State(i): State<Arc<Inner>>, Path((a, id)): Path<(String, String)>, Json(s): Json<ItemSpec>| async move { reply(internal::update(&i, &a, &id, &s)) })
                .delete(|State(i): State<Arc<Inner>>, Path((a, id)): Path<(String, String)>| async move { reply(internal::delete(&i, &a, &id)) }),
        )
        .route("/_control/notifications", get(|State(i): State<Arc<Inner>>| async move { reply(notifications(&i)) }))
        .route("/_control/notifications/drop", post(|State(i): State<Arc<Inner>>, Json(c): Json<Count>| async move { reply(set_drop(&i, c.count, false)) }))
        .route("/_control/notifications/duplicate", post(|State(i): State<Arc<Inner>>, Json(c): Json<Count>| async move { reply(set_drop(&i, c.count, true)) }))
        .route("/_control/subscriptions", get(|State(i): State<Arc<Inner>>| async move { reply(subscriptions(&i)) }))
        .route("/_control/subscriptions/{id}/kill", post(|State(i): State<Arc<Inner>>, Path(id): Path<String>| async move { reply(kill(&i, &id)) }))
        .route(
            "/_control/faults",
            post(|State(i): State<Arc<Inner>>, Json(f): Json<FaultRule>| async move { reply(add_fault(&i, f)) })
                .delete(|State(i): State<Arc<Inner>>| async move { reply(clear_faults(&i)) }),
        )
        .route("/_control/latency", post(|State(i): State<Arc<Inner>>, Json(l): Json<Latency>| async move { reply(set_latency(&i, l)) }))
        .route("/_control/concurrency", post(|State(i): State<Arc<Inner>>, Json(l): Json<Limit>| async move { reply(set_concurrency(&i, l.limit)) }))
        .route(
            "/_control/clock",
            post(|State(i): State<Arc<Inner>>, Json(c): Json<ClockRequest>| async move { reply(clock(&i, &c)) })
                .get(|State(i): State<Arc<Inner>>| async move { reply(clock(&i, &ClockRequest::default())) }),
        )
        .route("/_control/messages", get(|State(i): State<Arc<Inner>>| async move { reply(lock(&i).map(|w| json!(w.messages))) }))
        .route("/_control/stats", get(|State(i): State<Arc<Inner>>| async move { reply(Ok(json!(i.stats.lock().map(|s| s.clone()).unwrap_or_default()))) }))
        .route("/_control/save", post(|State(i): State<Arc<Inner>>| async move { reply(i.save().map(|_| json!({"saved": true}))) }))
        .route("/_control/restart", post(restart_route))
}

async fn restart_route(State(i): State<Arc<Inner>>) -> Response {
    // This handler runs inside the server being restarted: answer first,
    // restart a moment later.
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        if let Err(e) = crate::exchange::server::restart(&i).await {
            tracing::warn!("fake Exchange: restart failed: {e}");
        }
    });
    ok(json!({"restarting": true}))
}

fn lock(i: &Inner) -> Result<std::sync::MutexGuard<'_, super::state::World>> {
    i.world
        .lock()
        .map_err(|_| FakeExchangeError::Server("state lock poisoned".into()))
}

fn add_mailbox(i: &Inner, m: &MailboxSpec) -> Result<Value> {
    if !m.address.contains('@') {
        return Err(FakeExchangeError::Control(format!(
            "mailbox address {:?} is not an SMTP address",
            m.address
        )));
    }
    let mut w = lock(i)?;
    let mb = w.add_mailbox(&m.address, m.display_name.as_deref());
    Ok(json!({"address": mb.address, "display_name": mb.display_name}))
}

fn add_user(i: &Inner, u: &UserSpec) -> Result<Value> {
    let mut w = lock(i)?;
    let grants: BTreeSet<String> = u.grants.iter().map(|g| g.to_ascii_lowercase()).collect();
    w.users.insert(
        u.user.to_ascii_lowercase(),
        ServiceUser {
            user: u.user.clone(),
            password: u.password.clone(),
            grants,
        },
    );
    w.dirty = true;
    Ok(json!({"user": u.user}))
}

fn add_app(i: &Inner, a: &AppSpec) -> Result<Value> {
    if let Some(pem) = &a.certificate_pem {
        use rustls_pki_types::pem::PemObject;
        rustls_pki_types::CertificateDer::from_pem_slice(pem.as_bytes()).map_err(|e| {
            FakeExchangeError::Control(format!(
                "certificate_pem of app {} is not a PEM certificate: {e}",
                a.client_id
            ))
        })?;
    }
    let mut w = lock(i)?;
    let allowed = a
        .allowed_mailboxes
        .as_ref()
        .map(|m| m.iter().map(|x| x.to_ascii_lowercase()).collect());
    w.apps.insert(
        a.client_id.clone(),
        OAuthApp {
            client_id: a.client_id.clone(),
            tenant: a.tenant.clone(),
            secret: a.secret.clone(),
            certificate_pem: a.certificate_pem.clone(),
            allowed_mailboxes: allowed,
        },
    );
    w.dirty = true;
    Ok(json!({"client_id": a.client_id}))
}

fn notifications(i: &Inner) -> Result<Value> {
    Ok(json!(lock(i)?.notifications))
}

fn subscriptions(i: &Inner) -> Result<Value> {
    Ok(json!(lock(i)?.subscriptions.values().collect::<Vec<_>>()))
}

fn kill(i: &Inner, id: &str) -> Result<Value> {
    let mut w = lock(i)?;
    let s = w
        .subscriptions
        .get_mut(id)
        .ok_or_else(|| FakeExchangeError::NotFound(format!("subscription {id}")))?;
    s.state = SubscriptionState::Ended("killed through the control API".into());
    w.dirty = true;
    drop(w);
    i.touch();
    Ok(json!({"killed": id}))
}

fn set_drop(i: &Inner, count: u32, duplicate: bool) -> Result<Value> {
    let mut f = i
        .faults
        .lock()
        .map_err(|_| FakeExchangeError::Server("fault lock poisoned".into()))?;
    if duplicate {
        f.duplicate_notifications = count;
    } else {
        f.drop_notifications = count;
    }
    Ok(json!({"count": count}))
}

fn add_fault(i: &Inner, rule: FaultRule) -> Result<Value> {
    let mut f = i
        .faults
        .lock()
        .map_err(|_| FakeExchangeError::Server("fault lock poisoned".into()))?;
    f.rules.push(rule);
    Ok(json!({"pending": f.rules.len()}))
}

fn clear_faults(i: &Inner) -> Result<Value> {
    let mut f = i
        .faults
        .lock()
        .map_err(|_| FakeExchangeError::Server("fault lock poisoned".into()))?;
    *f = Default::default();
    Ok(json!({"cleared": true}))
}

fn set_latency(i: &Inner, l: Latency) -> Result<Value> {
    let mut f = i
        .faults
        .lock()
        .map_err(|_| FakeExchangeError::Server("fault lock poisoned".into()))?;
    f.latency = l;
    Ok(json!(l))
}

fn set_concurrency(i: &Inner, limit: u32) -> Result<Value> {
    let mut f = i
        .faults
        .lock()
        .map_err(|_| FakeExchangeError::Server("fault lock poisoned".into()))?;
    f.max_concurrency = Some(limit);
    Ok(json!({"limit": limit}))
}

fn clock(i: &Inner, c: &ClockRequest) -> Result<Value> {
    let mut w = lock(i)?;
    if c.real == Some(true) {
        w.clock = Default::default();
    }
    if let Some(t) = c.set {
        w.clock.set(t);
    }
    if let Some(s) = c.advance_seconds {
        w.clock
            .advance(chrono::Duration::milliseconds((s * 1000.0) as i64));
    }
    Ok(json!({"now": w.now(), "clock": w.clock}))
}

impl FakeExchangeHandle {
    /// Adds a mailbox (with its distinguished folders).
    pub fn add_mailbox(&self, address: &str, display_name: Option<&str>) -> Result<()> {
        add_mailbox(
            &self.inner,
            &MailboxSpec {
                address: address.into(),
                display_name: display_name.map(str::to_string),
            },
        )
        .map(|_| ())
    }

    /// Adds a service account for Basic auth, allowed to impersonate `grants`.
    pub fn add_service_user(&self, user: &str, password: &str, grants: &[&str]) -> Result<()> {
        add_user(
            &self.inner,
            &UserSpec {
                user: user.into(),
                password: password.into(),
                grants: grants.iter().map(|g| g.to_string()).collect(),
            },
        )
        .map(|_| ())
    }

    /// Registers an OAuth app.
    pub fn add_app(&self, app: &AppSpec) -> Result<()> {
        add_app(&self.inner, app).map(|_| ())
    }

    /// Creates an item as Outlook would; returns (id, change key).
    pub fn create_item(
        &self,
        mailbox: &str,
        folder: Option<&str>,
        item: &ItemSpec,
    ) -> Result<(String, String)> {
        let v = internal::create(
            &self.inner,
            mailbox,
            &NewItemRequest {
                folder: folder.map(str::to_string),
                item: Some(item.clone()),
                xml: None,
            },
        )?;
        Ok((
            v["id"].as_str().unwrap_or_default().into(),
            v["change_key"].as_str().unwrap_or_default().into(),
        ))
    }

    /// Creates an item from raw EWS XML; returns (id, change key).
    pub fn create_item_xml(
        &self,
        mailbox: &str,
        folder: Option<&str>,
        xml: &str,
    ) -> Result<(String, String)> {
        let v = internal::create(
            &self.inner,
            mailbox,
            &NewItemRequest {
                folder: folder.map(str::to_string),
                item: None,
                xml: Some(xml.into()),
            },
        )?;
        Ok((
            v["id"].as_str().unwrap_or_default().into(),
            v["change_key"].as_str().unwrap_or_default().into(),
        ))
    }

    /// Changes the fields an `ItemSpec` names, as Outlook would; returns the
    /// new change key.
    pub fn update_item(&self, mailbox: &str, id: &str, changes: &ItemSpec) -> Result<String> {
        let v = internal::update(&self.inner, mailbox, id, changes)?;
        Ok(v["change_key"].as_str().unwrap_or_default().into())
    }

    /// Deletes an item (or an occurrence) as Outlook would.
    pub fn delete_item(&self, mailbox: &str, id: &str) -> Result<()> {
        internal::delete(&self.inner, mailbox, id).map(|_| ())
    }

    /// The items of a folder (`calendar`, `tasks`, `contacts`, a folder id;
    /// `None` = all) as JSON.
    pub fn items(&self, mailbox: &str, folder: Option<&str>) -> Result<Vec<Value>> {
        let v = internal::list(&self.inner, mailbox, folder)?;
        Ok(v.as_array().cloned().unwrap_or_default())
    }

    /// One item as JSON.
    pub fn item(&self, mailbox: &str, id: &str) -> Result<Value> {
        internal::get(&self.inner, mailbox, id)
    }

    /// The notifications sent so far.
    pub fn notifications(&self) -> Vec<super::state::NotificationRecord> {
        self.inner
            .world
            .lock()
            .map(|w| w.notifications.clone())
            .unwrap_or_default()
    }

    /// The subscriptions.
    pub fn subscriptions(&self) -> Vec<super::state::Subscription> {
        self.inner
            .world
            .lock()
            .map(|w| w.subscriptions.values().cloned().collect())
            .unwrap_or_default()
    }

    /// Meeting messages "sent".
    pub fn sent_messages(&self) -> Vec<super::state::SentMessage> {
        self.inner
            .world
            .lock()
            .map(|w| w.messages.clone())
            .unwrap_or_default()
    }

    /// Ends a subscription silently (as when Exchange drops it).
    pub fn kill_subscription(&self, id: &str) -> Result<()> {
        kill(&self.inner, id).map(|_| ())
    }

    /// Drops the next `count` notifications.
    pub fn drop_notifications(&self, count: u32) -> Result<()> {
        set_drop(&self.inner, count, false).map(|_| ())
    }

    /// Sends each of the next `count` notifications twice.
    pub fn duplicate_notifications(&self, count: u32) -> Result<()> {
        set_drop(&self.inner, count, true).map(|_| ())
    }

    /// Fails the next requests as the rule says.
    pub fn inject_fault(&self, rule: FaultRule) -> Result<()> {
        add_fault(&self.inner, rule).map(|_| ())
    }

    /// Removes pending faults, latency and notification drops.
    pub fn clear_faults(&self) -> Result<()> {
        clear_faults(&self.inner).map(|_| ())
    }

    /// Sets the latency of every EWS request.
    pub fn set_latency(&self, latency: Latency) -> Result<()> {
        set_latency(&self.inner, latency).map(|_| ())
    }

    /// Sets the concurrency limit per account.
    pub fn set_concurrency_limit(&self, limit: u32) -> Result<()> {
        set_concurrency(&self.inner, limit).map(|_| ())
    }

    /// Sets, advances or frees the clock; returns now.
    pub fn clock(&self, request: &ClockRequest) -> Result<chrono::DateTime<chrono::Utc>> {
        clock(&self.inner, request)?;
        Ok(lock(&self.inner)?.now())
    }

    /// EWS requests served so far, by operation.
    pub fn stats(&self) -> std::collections::HashMap<String, u64> {
        self.inner
            .stats
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default()
    }
}
