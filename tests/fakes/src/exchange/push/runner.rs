//! The delivery task of one push subscription.

use std::collections::hash_map::Entry;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use super::notification::{notification_xml, pending, read_answer, send_notification_request};
use crate::exchange::server::Inner;
use crate::exchange::state::{NotificationOutcome, NotificationRecord, SubscriptionState};

/// Starts tasks for active push subscriptions that have none.
pub fn ensure_tasks(inner: &Arc<Inner>) {
    let ids: Vec<String> = {
        let Ok(world) = inner.world.lock() else {
            return;
        };
        world
            .subscriptions
            .values()
            .filter(|s| s.url.is_some() && s.state == SubscriptionState::Active)
            .map(|s| s.id.clone())
            .collect()
    };
    let Ok(mut running) = inner.push_tasks.lock() else {
        return;
    };
    running.retain(|_, h: &mut tokio::task::JoinHandle<()>| !h.is_finished());
    for id in ids {
        if let Entry::Vacant(slot) = running.entry(id) {
            let task = tokio::spawn(run(Arc::clone(inner), slot.key().clone()));
            slot.insert(task);
        }
    }
}

enum Step {
    Send {
        body: String,
        events: Vec<String>,
        cursor: u64,
        more: bool,
        url: String,
    },
    Wait,
    Stop,
}

async fn run(inner: Arc<Inner>, id: String) {
    let minute = inner.config.minute;
    let mut last_sent = Instant::now();
    let mut changes = inner.changed.subscribe();
    let mailbox = match inner.world.lock() {
        Ok(w) => match w.subscriptions.get(&id) {
            Some(s) => s.mailbox.clone(),
            None => return,
        },
        Err(_) => return,
    };
    let mut mailbox_changes = inner.watch_mailbox(&mailbox);
    loop {
        changes.borrow_and_update();
        mailbox_changes.borrow_and_update();
        let step = next_step(&inner, &id, last_sent, minute);
        match step {
            Step::Stop => return,
            Step::Wait => {
                let heartbeat_due = heartbeat_interval(&inner, &id, minute).map(|f| last_sent + f);
                tokio::select! {
                    r = changes.changed() => {
                        if r.is_err() {
                            return;
                        }
                        tokio::time::sleep(inner.config.notification_coalesce).await
                    }
                    r = mailbox_changes.changed() => {
                        if r.is_err() {
                            return;
                        }
                        tokio::time::sleep(inner.config.notification_coalesce).await
                    }
                    _ = sleep_until_opt(heartbeat_due) => {}
                }
            }
            Step::Send {
                body,
                events,
                cursor,
                more,
                url,
            } => {
                let dropped = inner
                    .faults
                    .lock()
                    .map(|mut f| f.take_drop())
                    .unwrap_or(false);
                let outcome = if dropped {
                    record(
                        &inner,
                        &id,
                        &url,
                        1,
                        &events,
                        &body,
                        None,
                        None,
                        NotificationOutcome::Dropped,
                    );
                    NotificationOutcome::Ok
                } else {
                    let twice = inner
                        .faults
                        .lock()
                        .map(|mut f| f.take_duplicate())
                        .unwrap_or(false);
                    let out = deliver(&inner, &id, &url, &events, &body).await;
                    if twice && out == NotificationOutcome::Ok {
                        deliver(&inner, &id, &url, &events, &body).await
                    } else {
                        out
                    }
                };
                last_sent = Instant::now();
                let Ok(mut world) = inner.world.lock() else {
                    return;
                };
                let Some(sub) = world.subscriptions.get_mut(&id) else {
                    return;
                };
                match outcome {
                    NotificationOutcome::Ok | NotificationOutcome::Dropped => sub.cursor = cursor,
                    NotificationOutcome::Unsubscribe => {
                        sub.state =
                            SubscriptionState::Ended("the listener answered Unsubscribe".into());
                        world.dirty = true;
                        return;
                    }
                    NotificationOutcome::Failed => {
                        sub.state = SubscriptionState::Ended(
                            "the listener did not answer; retries ran out".into(),
                        );
                        world.dirty = true;
                        return;
                    }
                }
                world.dirty = true;
                drop(world);
                if !more {
                    continue;
                }
            }
        }
    }
}

async fn sleep_until_opt(at: Option<Instant>) {
    match at {
        Some(t) => tokio::time::sleep_until(t).await,
        None => std::future::pending().await,
    }
}

fn heartbeat_interval(inner: &Inner, id: &str, minute: Duration) -> Option<Duration> {
    let world = inner.world.lock().ok()?;
    let sub = world.subscriptions.get(id)?;
    Some(minute * sub.status_frequency.max(1))
}

fn next_step(inner: &Inner, id: &str, last_sent: Instant, minute: Duration) -> Step {
    let Ok(world) = inner.world.lock() else {
        return Step::Stop;
    };
    let Some(sub) = world.subscriptions.get(id) else {
        return Step::Stop;
    };
    let (SubscriptionState::Active, Some(url)) = (&sub.state, &sub.url) else {
        return Step::Stop;
    };
    let (events, more, cursor) = pending(&world, sub, inner.config.notification_batch);
    let heartbeat_due = last_sent.elapsed() >= minute * sub.status_frequency.max(1);
    if events.is_empty() && !heartbeat_due {
        if cursor != sub.cursor {
            // Events none of which this subscription wants: move past them.
            drop(world);
            if let Ok(mut w) = inner.world.lock()
                && let Some(s) = w.subscriptions.get_mut(id)
            {
                s.cursor = cursor;
            }
        }
        return Step::Wait;
    }
    let body = send_notification_request(&notification_xml(&world, sub, &events, more, cursor));
    let names = if events.is_empty() {
        vec!["StatusEvent".to_string()]
    } else {
        events
            .iter()
            .map(|e| e.kind.element().to_string())
            .collect()
    };
    Step::Send {
        body,
        events: names,
        cursor,
        more,
        url: url.clone(),
    }
}

/// Sends one notification, retrying with doubling back-off (from half a
/// "minute") until the retries run out.
async fn deliver(
    inner: &Arc<Inner>,
    id: &str,
    url: &str,
    events: &[String],
    body: &str,
) -> NotificationOutcome {
    let retries = inner.config.notification_retries;
    let mut delay = inner.config.minute / 2;
    for attempt in 1..=retries + 1 {
        let still_active = inner
            .world
            .lock()
            .ok()
            .and_then(|w| {
                w.subscriptions
                    .get(id)
                    .map(|s| s.state == SubscriptionState::Active)
            })
            .unwrap_or(false);
        if !still_active {
            return NotificationOutcome::Unsubscribe;
        }
        let sent = inner
            .http
            .post(url)
            .header("content-type", "text/xml; charset=utf-8")
            .timeout(inner.config.notification_timeout)
            .body(body.to_string())
            .send()
            .await;
        let (status, answer) = match sent {
            Ok(resp) => {
                let status = resp.status().as_u16();
                (Some(status), resp.text().await.ok())
            }
            Err(_) => (None, None),
        };
        let outcome = match (
            status,
            answer.as_deref().and_then(|a| read_answer(a.as_bytes())),
        ) {
            (Some(200), Some(true)) => NotificationOutcome::Ok,
            (Some(200), Some(false)) => NotificationOutcome::Unsubscribe,
            _ => NotificationOutcome::Failed,
        };
        record(
            inner,
            id,
            url,
            attempt,
            events,
            body,
            status,
            answer,
            outcome.clone(),
        );
        if outcome != NotificationOutcome::Failed {
            return outcome;
        }
        if attempt <= retries {
            tokio::time::sleep(delay).await;
            delay *= 2;
        }
    }
    NotificationOutcome::Failed
}

#[allow(clippy::too_many_arguments)]
fn record(
    inner: &Inner,
    id: &str,
    url: &str,
    attempt: u32,
    events: &[String],
    body: &str,
    http_status: Option<u16>,
    answer: Option<String>,
    outcome: NotificationOutcome,
) {
    if let Ok(mut w) = inner.world.lock() {
        let at = w.now();
        w.notifications.push(NotificationRecord {
            subscription_id: id.to_string(),
            url: url.to_string(),
            at,
            attempt,
            events: events.to_vec(),
            body: body.to_string(),
            http_status,
            answer,
            outcome,
        });
        if w.notifications.len() > 10_000 {
            w.notifications.drain(..1_000);
        }
    }
}
