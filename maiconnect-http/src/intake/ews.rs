//! `POST /ews/notify/{token}`: Exchange's push notifications. Each is stored
//! before it is answered `OK`; an unknown or replaced subscription is
//! answered `Unsubscribe`, so Exchange stops sending it.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maiconnect_core::ports::{InboxEvent, StateStore, Watermark};
use maiconnect_core::sync::is_own_write;
use maiconnect_ews::push::{
    EventKind, SubscriptionStatus, parse_send_notification, send_notification_result,
};

use crate::hub::Hub;

fn answer(status: SubscriptionStatus) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        send_notification_result(status),
    )
        .into_response()
}

/// Receives one `SendNotification`.
pub async fn receive(
    State(hub): State<Arc<Hub>>,
    Path(token): Path<String>,
    body: Bytes,
) -> Response {
    let notifications = match parse_send_notification(&body) {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!(error = %e, "a notification that does not parse");
            return (
                StatusCode::BAD_REQUEST,
                format!("not a SendNotification request: {e}"),
            )
                .into_response();
        }
    };
    let now = chrono::Utc::now();
    let record = match hub.store.subscription(&token).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "cannot read subscriptions");
            return (StatusCode::SERVICE_UNAVAILABLE, "state store unavailable").into_response();
        }
    };
    let Some(mut record) = record else {
        return answer(SubscriptionStatus::Unsubscribe);
    };
    let current = record.server_id.as_ref().map(|s| s.0.as_str());
    if notifications
        .iter()
        .any(|n| Some(n.subscription_id.as_str()) != current)
    {
        // A subscription we replaced still calls: end it.
        return answer(SubscriptionStatus::Unsubscribe);
    }
    let folder = record.folders.first().copied();
    let mut events = Vec::new();
    for n in &notifications {
        for e in &n.events {
            let version = e.change_key.as_deref().and_then(|v| v.parse().ok());
            let (item, deleted) = match e.kind {
                EventKind::Created | EventKind::Modified | EventKind::Copied => {
                    (e.item_id.as_deref(), false)
                }
                EventKind::Deleted => (e.item_id.as_deref(), true),
                // Moved out of the folder (deleting in Outlook moves to
                // Deleted Items): the old id is gone from the folder.
                EventKind::Moved => (e.old_item_id.as_deref(), true),
                _ => (None, false),
            };
            let Some(item) = item.and_then(|i| i.parse().ok()) else {
                continue;
            };
            // Our own write coming back (the item holds exactly what the
            // link recorded): nothing to store. A deleted item still names
            // its last, recorded version, so deletes always go in.
            if !deleted
                && let Some(v) = &version
                && hub
                    .store
                    .exchange_versions(&record.mailbox, &item)
                    .is_ok_and(|recorded| is_own_write(&recorded, v))
            {
                hub.metrics.event("ews_echo", 1);
                continue;
            }
            events.push(InboxEvent::MailboxItem {
                mailbox: record.mailbox.clone(),
                folder,
                item,
                deleted,
                version,
            });
        }
        if let Some(w) = n.last_watermark() {
            record.watermark = Some(Watermark(w.to_owned()));
        }
    }
    if !events.is_empty() {
        if let Err(e) = hub.store.enqueue(&events, now).await {
            tracing::error!(error = %e, "cannot store notifications");
            // No answer means Exchange sends it again.
            return (StatusCode::SERVICE_UNAVAILABLE, "state store unavailable").into_response();
        }
        hub.metrics.event("ews", events.len() as u64);
        hub.wake.notify_one();
    }
    record.last_seen = now;
    if let Err(e) = hub.store.save_subscription(&record).await {
        tracing::warn!(error = %e, "cannot record the subscription's last call");
    }
    answer(SubscriptionStatus::Ok)
}
