//! The subscription keeper: one push subscription per mailbox and folder,
//! renewed when it falls silent, with the gap caught up through the
//! change listing; a new user gets an initial sync first.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use maiconnect_core::PortError;
use maiconnect_core::ids::Mailbox;
use maiconnect_core::model::Folder;
use maiconnect_core::policy::{Policy, User};
use maiconnect_core::ports::{InboxEvent, StateStore, SubscriptionRecord};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::hub::{Environment, Hub};

/// The folders a user's subscriptions watch.
pub fn folders(policy: &Policy) -> Vec<Folder> {
    let mut f = vec![Folder::Calendar, Folder::Tasks];
    if policy.contacts.enabled {
        f.push(Folder::Contacts);
    }
    f
}

/// The callback path of a subscription.
pub fn callback_path(token: &str) -> String {
    format!("/ews/notify/{token}")
}

/// Health of one subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Health {
    /// Heard from within twice the status frequency.
    Healthy,
    /// Not heard from for longer.
    Silent,
    /// Subscribing failed.
    Failing,
}

/// How a subscription is doing.
pub fn health(hub: &Hub, s: &SubscriptionRecord, now: DateTime<Utc>) -> Health {
    if s.server_id.is_none() || s.failures > 0 {
        return Health::Failing;
    }
    let minute = chrono::Duration::milliseconds(hub.settings.minute_ms as i64);
    if now - s.last_seen > minute * (2 * s.status_frequency_minutes as i32) {
        Health::Silent
    } else {
        Health::Healthy
    }
}

/// Runs the keeper until `stop` turns true.
pub async fn run(hub: Arc<Hub>, mut stop: watch::Receiver<bool>) {
    let interval = Duration::from_secs(hub.settings.keeper_interval_seconds.max(1));
    loop {
        if let Err(e) = tick(&hub, Utc::now()).await {
            tracing::error!(error = %e, "subscription keeper");
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = hub.keeper.notified() => {}
            _ = stop.changed() => {}
        }
        if *stop.borrow() {
            break;
        }
    }
}

/// One round: subscribe, renew and unsubscribe as needed. Subscribing runs
/// for many mailboxes at once, within each environment's concurrency limit.
pub async fn tick(hub: &Arc<Hub>, now: DateTime<Utc>) -> Result<(), PortError> {
    let policy = hub.policy();
    let subs = hub.store.subscriptions().await?;
    let by_key: HashMap<(Mailbox, Folder), &SubscriptionRecord> = subs
        .iter()
        .filter_map(|s| s.folders.first().map(|f| ((s.mailbox.clone(), *f), s)))
        .collect();
    let mut wanted: HashSet<(Mailbox, Folder)> = HashSet::new();
    let (mut healthy, mut silent, mut failing) = (0, 0, 0);
    let mut resyncs = Vec::new();
    let mut work: JoinSet<Result<(), PortError>> = JoinSet::new();
    for user in policy.users.iter().filter(|u| u.enabled) {
        for folder in folders(&policy) {
            let key = (user.mailbox.clone(), folder);
            let existing = by_key.get(&key).copied();
            wanted.insert(key);
            match existing {
                None => {
                    // A new user (or folder): catch up first, then listen.
                    let full = hub.store.cursor(&user.mailbox, folder).await?.is_none();
                    resyncs.push(InboxEvent::Resync {
                        mailbox: user.mailbox.clone(),
                        kind: Some(folder.kind()),
                        full,
                    });
                    let record = SubscriptionRecord {
                        token: uuid::Uuid::new_v4().simple().to_string(),
                        mailbox: user.mailbox.clone(),
                        folders: vec![folder],
                        server_id: None,
                        watermark: None,
                        last_seen: now,
                        status_frequency_minutes: hub.settings.status_frequency_minutes,
                        failures: 0,
                        last_error: None,
                    };
                    work.spawn(subscribe(hub.clone(), user.clone(), record, now, None));
                }
                Some(s) => match health(hub, s, now) {
                    Health::Healthy => healthy += 1,
                    Health::Failing => {
                        failing += 1;
                        if retry_due(s, now) {
                            work.spawn(subscribe(hub.clone(), user.clone(), s.clone(), now, None));
                        }
                    }
                    Health::Silent => {
                        silent += 1;
                        tracing::warn!(mailbox = %user.mailbox, %folder, last_seen = %s.last_seen, "subscription silent: renewing and catching up");
                        let mut renewed = s.clone();
                        let old = renewed.server_id.take();
                        work.spawn(subscribe(hub.clone(), user.clone(), renewed, now, old));
                        resyncs.push(InboxEvent::Resync {
                            mailbox: user.mailbox.clone(),
                            kind: Some(folder.kind()),
                            full: false,
                        });
                    }
                },
            }
        }
    }
    if !resyncs.is_empty() {
        hub.store.enqueue(&resyncs, now).await?;
        hub.wake.notify_one();
    }
    // Subscriptions of removed or disabled users, or folders no longer synced.
    for s in &subs {
        let keep = s
            .folders
            .iter()
            .all(|f| wanted.contains(&(s.mailbox.clone(), *f)));
        if !keep {
            let (hub, s, user) = (hub.clone(), s.clone(), policy.user(&s.mailbox).cloned());
            work.spawn(async move {
                let env = user.and_then(|u| hub.environments.get(&u.environment));
                unsubscribe(env, &s).await;
                hub.store.remove_subscription(&s.token).await
            });
        }
    }
    let mut first_error = None;
    while let Some(done) = work.join_next().await {
        if let Ok(Err(e)) = done {
            first_error.get_or_insert(e);
        }
    }
    hub.metrics.set_subscriptions(healthy, silent, failing);
    match first_error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Retries a failing subscription with back-off: 1, 2, 4 … 60 minutes.
fn retry_due(s: &SubscriptionRecord, now: DateTime<Utc>) -> bool {
    let wait = chrono::Duration::minutes(1i64 << s.failures.min(6).saturating_sub(1))
        .min(chrono::Duration::minutes(60));
    now - s.last_seen >= wait
}

/// Subscribes (ending the replaced subscription `old` first, best effort).
async fn subscribe(
    hub: Arc<Hub>,
    user: User,
    mut record: SubscriptionRecord,
    now: DateTime<Utc>,
    old: Option<maiconnect_core::ports::SubscriptionId>,
) -> Result<(), PortError> {
    let Some(env) = hub.environments.get(&user.environment) else {
        record.failures += 1;
        record.last_error = Some(format!(
            "environment {} is not configured",
            user.environment
        ));
        record.last_seen = now;
        return hub.store.save_subscription(&record).await;
    };
    let _permit = env.permits.acquire().await;
    if let Some(old) = &old {
        // A dropped subscription is gone anyway; ending it only stops stray calls.
        let _ = env.mailboxes.unsubscribe(&user.mailbox, old).await;
    }
    let url = format!(
        "{}{}",
        hub.settings.public_url(),
        callback_path(&record.token)
    );
    let result = env
        .mailboxes
        .subscribe(
            &user.mailbox,
            &record.folders,
            &url,
            record.status_frequency_minutes,
            None,
        )
        .await;
    record.last_seen = now;
    match result {
        Ok(sub) => {
            record.server_id = Some(sub.id);
            record.watermark = sub.watermark;
            record.failures = 0;
            record.last_error = None;
        }
        Err(e) => {
            tracing::warn!(mailbox = %user.mailbox, error = %e, "cannot subscribe");
            record.failures += 1;
            record.last_error = Some(e.message.clone());
            hub.note(&user.mailbox, now, 0, Some(e.message));
        }
    }
    hub.store.save_subscription(&record).await
}

/// Ends a subscription at Exchange, best effort: one that stays is ended by
/// its next notification, which is answered `Unsubscribe`.
pub async fn unsubscribe(env: Option<&Environment>, s: &SubscriptionRecord) {
    if let (Some(env), Some(id)) = (env, &s.server_id) {
        let _permit = env.permits.acquire().await;
        let _ = env.mailboxes.unsubscribe(&s.mailbox, id).await;
    }
}
