//! Environments and users.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maiconnect_core::ids::{EnvironmentName, Mailbox, PartnerNo};
use maiconnect_core::model::Zone;
use maiconnect_core::policy::{Policy, User};
use maiconnect_core::ports::{InboxEvent, StateStore};
use serde::Deserialize;
use serde_json::json;

use crate::admin::fail;
use crate::hub::Hub;
use crate::keeper::health;

/// `GET /admin/environments`.
pub async fn environments(State(hub): State<Arc<Hub>>) -> Response {
    let policy = hub.policy();
    let list: Vec<_> = policy
        .environments
        .iter()
        .map(|e| {
            json!({
                "name": e.name,
                "endpoint": e.endpoint,
                "auth": e.auth.kind_name(),
                "max_concurrency": e.max_concurrency,
                "users": policy.users.iter().filter(|u| u.environment == e.name).count(),
                "connected": hub.environments.contains_key(&e.name),
            })
        })
        .collect();
    Json(list).into_response()
}

/// `GET /admin/users`.
pub async fn list(State(hub): State<Arc<Hub>>) -> Response {
    let policy = hub.policy();
    let list: Vec<_> = policy
        .users
        .iter()
        .map(|u| {
            let s = hub.user_status(&u.mailbox);
            json!({
                "employee": u.employee,
                "mailbox": u.mailbox,
                "environment": u.environment,
                "enabled": u.enabled,
                "last_sync": s.last_sync,
                "last_error": s.last_error,
            })
        })
        .collect();
    Json(list).into_response()
}

/// A user to add.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    employee: PartnerNo,
    mailbox: Mailbox,
    environment: EnvironmentName,
    #[serde(default = "yes")]
    enabled: bool,
    /// Parsed after the rest, so that an unknown zone is named by its key.
    #[serde(default)]
    time_zone: Option<String>,
}

fn yes() -> bool {
    true
}

fn apply(hub: &Hub, policy: Policy) -> Response {
    if let Err(e) = policy.validate() {
        return fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            e.to_string(),
            "correct the request; nothing was changed",
        );
    }
    match hub.set_policy(policy) {
        Ok(()) => {
            hub.keeper.notify_one();
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => fail(
            StatusCode::INTERNAL_SERVER_ERROR,
            e.to_string(),
            "check the state store",
        ),
    }
}

/// `POST /admin/users`.
pub async fn add(State(hub): State<Arc<Hub>>, body: axum::body::Bytes) -> Response {
    let new: NewUser = match serde_json::from_slice(&body) {
        Ok(u) => u,
        Err(e) => {
            return fail(
                StatusCode::BAD_REQUEST,
                format!("not a user: {e}"),
                "send {\"employee\":\"0000004711\",\"mailbox\":\"anna@example.com\",\"environment\":\"de\"}",
            );
        }
    };
    let time_zone = match new.time_zone.as_deref().map(str::parse::<Zone>).transpose() {
        Ok(z) => z,
        Err(e) => {
            return fail(
                StatusCode::BAD_REQUEST,
                format!("not a user: time_zone: {e}"),
                "give time_zone as the message says, or leave it out for the default zone; an unknown zone is never taken for UTC",
            );
        }
    };
    let mut policy = (*hub.policy()).clone();
    if policy.user(&new.mailbox).is_some() {
        return fail(
            StatusCode::CONFLICT,
            format!("{} is configured already", new.mailbox),
            "enable or disable the user instead",
        );
    }
    policy.users.push(User {
        employee: new.employee,
        mailbox: new.mailbox,
        environment: new.environment,
        enabled: new.enabled,
        time_zone,
    });
    match apply(&hub, policy) {
        r if r.status() == StatusCode::NO_CONTENT => StatusCode::CREATED.into_response(),
        r => r,
    }
}

fn parse_mailbox(m: &str) -> Result<Mailbox, Box<Response>> {
    m.parse().map_err(|e: maiconnect_core::ids::InvalidId| {
        Box::new(fail(
            StatusCode::BAD_REQUEST,
            e.to_string(),
            "use the mailbox's SMTP address",
        ))
    })
}

fn with_user(hub: &Hub, mailbox: &str, change: impl FnOnce(&mut Policy, usize)) -> Response {
    let mailbox = match parse_mailbox(mailbox) {
        Ok(m) => m,
        Err(r) => return *r,
    };
    let mut policy = (*hub.policy()).clone();
    let Some(i) = policy.users.iter().position(|u| u.mailbox == mailbox) else {
        return fail(
            StatusCode::NOT_FOUND,
            format!("{mailbox} is not a configured user"),
            "GET /admin/users lists them",
        );
    };
    change(&mut policy, i);
    apply(hub, policy)
}

/// `DELETE /admin/users/{mailbox}`: the user goes, with their subscriptions
/// and everything the hub recorded for the mailbox (links, cursors,
/// interrupted creates). Added again, the user's initial sync pairs the
/// copies again by the keys they carry.
pub async fn remove(State(hub): State<Arc<Hub>>, Path(mailbox): Path<String>) -> Response {
    // Taken before the user goes: afterwards the keeper no longer knows
    // the user's environment and could only forget the subscriptions.
    let before = hub.policy();
    let subscriptions = hub.store.subscriptions().await.unwrap_or_default();
    let response = with_user(&hub, &mailbox, |p, i| {
        p.users.remove(i);
    });
    if response.status() != StatusCode::NO_CONTENT {
        return response;
    }
    let Ok(mailbox) = mailbox.parse::<Mailbox>() else {
        return response;
    };
    let env = before
        .user(&mailbox)
        .and_then(|u| hub.environments.get(&u.environment));
    for s in subscriptions.iter().filter(|s| s.mailbox == mailbox) {
        crate::keeper::unsubscribe(env, s).await;
    }
    if let Err(e) = hub.store.forget_mailbox(&mailbox) {
        tracing::warn!(mailbox = %mailbox, error = %e, "cannot forget the removed user's state");
    }
    response
}

/// `POST /admin/users/{mailbox}/enable`.
pub async fn enable(State(hub): State<Arc<Hub>>, Path(mailbox): Path<String>) -> Response {
    let was_off = mailbox
        .parse::<Mailbox>()
        .ok()
        .and_then(|m| hub.policy().user(&m).map(|u| (m, !u.enabled)));
    let response = with_user(&hub, &mailbox, |p, i| p.users[i].enabled = true);
    if response.status() == StatusCode::NO_CONTENT
        && let Some((mailbox, true)) = was_off
    {
        // S/4HANA's changes made while the user was off reached no one, and
        // the mailbox's change listing does not show them: compare everything.
        let ev = InboxEvent::Resync {
            mailbox,
            kind: None,
            full: true,
        };
        if let Err(e) = hub.store.enqueue(&[ev], chrono::Utc::now()).await {
            return fail(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "the user is enabled, but the catch-up was not queued: {}",
                    e.message
                ),
                "start a full resync with POST /admin/users/{mailbox}/resync",
            );
        }
        hub.wake.notify_one();
    }
    response
}

/// `POST /admin/users/{mailbox}/disable`.
pub async fn disable(State(hub): State<Arc<Hub>>, Path(mailbox): Path<String>) -> Response {
    with_user(&hub, &mailbox, |p, i| p.users[i].enabled = false)
}

/// `GET /admin/users/{mailbox}/status`.
pub async fn status(State(hub): State<Arc<Hub>>, Path(mailbox): Path<String>) -> Response {
    let mailbox = match parse_mailbox(&mailbox) {
        Ok(m) => m,
        Err(r) => return *r,
    };
    let policy = hub.policy();
    let Some(user) = policy.user(&mailbox) else {
        return fail(
            StatusCode::NOT_FOUND,
            format!("{mailbox} is not a configured user"),
            "GET /admin/users lists them",
        );
    };
    let now = chrono::Utc::now();
    let subs: Vec<_> = match hub.store.subscriptions().await {
        Ok(s) => s
            .into_iter()
            .filter(|s| s.mailbox == mailbox)
            .map(|s| {
                json!({
                    "folders": s.folders,
                    "health": health(&hub, &s, now),
                    "last_seen": s.last_seen,
                    "failures": s.failures,
                    "last_error": s.last_error,
                })
            })
            .collect(),
        Err(e) => {
            return fail(
                StatusCode::SERVICE_UNAVAILABLE,
                e.message,
                "check the state store",
            );
        }
    };
    let counts: serde_json::Map<String, serde_json::Value> = hub
        .store
        .link_counts(&mailbox)
        .unwrap_or_default()
        .into_iter()
        .map(|(k, n)| (k, json!(n)))
        .collect();
    let held = hub
        .store
        .held(Some(&mailbox))
        .await
        .map(|h| h.len())
        .unwrap_or(0);
    let waiting = hub
        .store
        .waiting_in_lane(&InboxEvent::mailbox_lane(&mailbox))
        .unwrap_or(0);
    let s = hub.user_status(&mailbox);
    Json(json!({
        "mailbox": mailbox,
        "employee": user.employee,
        "environment": user.environment,
        "enabled": user.enabled,
        "last_sync": s.last_sync,
        "last_error": s.last_error,
        "last_error_at": s.last_error_at,
        "writes_since_start": s.writes,
        "linked": counts,
        "subscriptions": subs,
        "held_deletes": held,
        "waiting": waiting,
    }))
    .into_response()
}

/// `POST /admin/users/{mailbox}/resync`.
pub async fn resync(State(hub): State<Arc<Hub>>, Path(mailbox): Path<String>) -> Response {
    let mailbox = match parse_mailbox(&mailbox) {
        Ok(m) => m,
        Err(r) => return *r,
    };
    if hub.policy().user(&mailbox).is_none() {
        return fail(
            StatusCode::NOT_FOUND,
            format!("{mailbox} is not a configured user"),
            "GET /admin/users lists them",
        );
    }
    let ev = InboxEvent::Resync {
        mailbox,
        kind: None,
        full: true,
    };
    match hub.store.enqueue(&[ev], chrono::Utc::now()).await {
        Ok(_) => {
            hub.wake.notify_one();
            (StatusCode::ACCEPTED, Json(json!({ "queued": true }))).into_response()
        }
        Err(e) => fail(
            StatusCode::SERVICE_UNAVAILABLE,
            e.message,
            "check the state store",
        ),
    }
}
