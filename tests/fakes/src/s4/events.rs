//! Events to the hub, as the S/4HANA event handler (activities, business
//! partners) and the BAdI BUPA_RELATSHP_UPDATE (relationships) send them
//! through an SM59 HTTP destination with a retry queue: in order, one event
//! per request or a JSON array when several are queued, retried with
//! back-off until the hub answers 2xx. The body is the contract of
//! [`maiconnect_core::model::event`] ([`S4Event`]).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use maiconnect_core::model::S4Event;
use serde::{Deserialize, Serialize};

use super::config::{FakeS4Config, HubDestination};
use super::shared::{Shared, lock};
use super::store::Change;

/// Where an event stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting (not yet sent, or failed and to be retried).
    Queued,
    /// The hub answered 2xx.
    Delivered,
    /// Dropped on purpose (control API), never sent.
    Dropped,
}

/// One event with its delivery record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    /// Position in the log (0-based, counting events already forgotten).
    pub seq: usize,
    /// The event as sent.
    pub event: S4Event,
    /// Delivery status.
    pub status: DeliveryStatus,
    /// Delivery attempts so far.
    pub attempts: u32,
    /// The last failure (status or transport error).
    pub last_error: Option<String>,
    /// Whether this is an injected second copy of the previous event.
    pub duplicate: bool,
    /// When the hub accepted it.
    pub delivered_at: Option<DateTime<Utc>>,
}

/// Delivered and dropped events beyond this many are forgotten, oldest
/// first, so that long load runs do not grow the log without bound.
const LOG_MAX: usize = 100_000;

#[derive(Debug)]
struct EventState {
    /// Records; `log[0]` has sequence number `base`.
    log: VecDeque<EventRecord>,
    base: usize,
    log_max: usize,
    queue: VecDeque<usize>,
    drop_next: u32,
    duplicate_next: u32,
    paused: bool,
    hub: Option<HubDestination>,
    rng: fastrand::Rng,
}

impl EventState {
    /// Forgets the oldest settled records beyond `log_max`; a record
    /// still queued stops it (undelivered events are never forgotten).
    fn trim(&mut self) {
        while self.log.len() > self.log_max
            && self
                .log
                .front()
                .is_some_and(|r| r.status != DeliveryStatus::Queued)
        {
            self.log.pop_front();
            self.base += 1;
        }
    }
}

/// The event log and delivery queue.
#[derive(Debug)]
pub struct EventQueue {
    state: Mutex<EventState>,
    notify: tokio::sync::Notify,
    retry_initial: Duration,
    retry_max: Duration,
    batch_max: usize,
}

impl EventQueue {
    /// An empty queue for a configuration.
    pub fn new(config: &FakeS4Config, seed: u64) -> EventQueue {
        EventQueue {
            state: Mutex::new(EventState {
                log: VecDeque::new(),
                base: 0,
                log_max: LOG_MAX,
                queue: VecDeque::new(),
                drop_next: 0,
                duplicate_next: 0,
                paused: false,
                hub: config.hub.clone(),
                rng: fastrand::Rng::with_seed(seed ^ 0xE7E7_E7E7),
            }),
            notify: tokio::sync::Notify::new(),
            retry_initial: config.event_retry_initial.max(Duration::from_millis(1)),
            retry_max: config.event_retry_max.max(config.event_retry_initial),
            batch_max: config.event_batch_max.max(1),
        }
    }

    /// Queues the events of committed changes.
    pub fn push_changes(&self, changes: Vec<Change>) {
        let mut s = lock(&self.state);
        for c in changes {
            let mut bytes = [0u8; 16];
            s.rng.fill(&mut bytes);
            let event = S4Event {
                event_id: uuid::Builder::from_random_bytes(bytes)
                    .into_uuid()
                    .to_string(),
                object_type: c.object_type,
                object_key: c.key,
                change: c.change,
                changed_at: Some(c.at),
                relationship: c.relationship,
            };
            let dropped = s.drop_next > 0;
            if dropped {
                s.drop_next -= 1;
            }
            let copies = if !dropped && s.duplicate_next > 0 {
                s.duplicate_next -= 1;
                2
            } else {
                1
            };
            for copy in 0..copies {
                let seq = s.base + s.log.len();
                s.log.push_back(EventRecord {
                    seq,
                    event: event.clone(),
                    status: if dropped {
                        DeliveryStatus::Dropped
                    } else {
                        DeliveryStatus::Queued
                    },
                    attempts: 0,
                    last_error: None,
                    duplicate: copy == 1,
                    delivered_at: None,
                });
                if !dropped {
                    s.queue.push_back(seq);
                }
            }
        }
        s.trim();
        drop(s);
        self.notify.notify_one();
    }

    /// The events of the log (the last 100 000 once delivered).
    pub fn log(&self) -> Vec<EventRecord> {
        lock(&self.state).log.iter().cloned().collect()
    }

    /// Replaces the log with a saved one; its queued events are sent again.
    pub fn restore(&self, log: Vec<EventRecord>) {
        let mut s = lock(&self.state);
        s.queue = log
            .iter()
            .filter(|r| r.status == DeliveryStatus::Queued)
            .map(|r| r.seq)
            .collect();
        // New event ids must not repeat the saved ones (the hub drops
        // repeated ids as duplicates).
        let next = s.rng.u64(..);
        s.rng = fastrand::Rng::with_seed(next ^ (log.len() as u64).rotate_left(17));
        s.base = log.first().map_or(0, |r| r.seq);
        s.log = log.into();
        drop(s);
        self.notify.notify_one();
    }

    /// Drops the next `n` events instead of sending them.
    pub fn drop_next(&self, n: u32) {
        lock(&self.state).drop_next = n;
    }

    /// Sends each of the next `n` events twice.
    pub fn duplicate_next(&self, n: u32) {
        lock(&self.state).duplicate_next = n;
    }

    /// Stops or resumes delivery (events keep queueing).
    pub fn set_paused(&self, paused: bool) {
        lock(&self.state).paused = paused;
        self.notify.notify_one();
    }

    /// Sets (or clears) the hub destination.
    pub fn set_hub(&self, hub: Option<HubDestination>) {
        lock(&self.state).hub = hub;
        self.notify.notify_one();
    }

    /// The hub destination.
    pub fn hub(&self) -> Option<HubDestination> {
        lock(&self.state).hub.clone()
    }

    /// Events waiting for delivery.
    pub fn pending(&self) -> usize {
        lock(&self.state).queue.len()
    }

    /// Whether delivery is paused.
    pub fn paused(&self) -> bool {
        lock(&self.state).paused
    }

    /// Wakes the sender (after a restart).
    pub fn wake(&self) {
        self.notify.notify_one();
    }

    fn next_batch(&self) -> Option<(HubDestination, Vec<usize>, Vec<S4Event>)> {
        let s = lock(&self.state);
        if s.paused || s.queue.is_empty() {
            return None;
        }
        let hub = s.hub.clone()?;
        let seqs: Vec<usize> = s.queue.iter().take(self.batch_max).copied().collect();
        let events = seqs
            .iter()
            .filter_map(|i| i.checked_sub(s.base).and_then(|at| s.log.get(at)))
            .map(|r| r.event.clone())
            .collect();
        Some((hub, seqs, events))
    }

    fn finish(&self, seqs: &[usize], outcome: Result<(), String>, now: DateTime<Utc>) {
        let mut s = lock(&self.state);
        for &i in seqs {
            let Some(r) = i.checked_sub(s.base).and_then(|at| s.log.get_mut(at)) else {
                continue;
            };
            r.attempts += 1;
            match &outcome {
                Ok(()) => {
                    r.status = DeliveryStatus::Delivered;
                    r.delivered_at = Some(now);
                }
                Err(e) => r.last_error = Some(e.clone()),
            }
        }
        if outcome.is_ok() {
            // Only the sender removes from the front, so these are the
            // first entries still.
            for _ in seqs {
                s.queue.pop_front();
            }
            s.trim();
        }
    }
}

async fn post(
    client: &reqwest::Client,
    hub: &HubDestination,
    events: &[S4Event],
) -> Result<(), String> {
    let body = if let [one] = events {
        serde_json::to_vec(one)
    } else {
        serde_json::to_vec(events)
    }
    .map_err(|e| format!("cannot encode events: {e}"))?;
    let mut request = client
        .post(&hub.url)
        .header("content-type", "application/json")
        .body(body);
    if let Some(user) = &hub.user {
        let credentials = format!("{user}:{}", hub.password.as_deref().unwrap_or(""));
        let encoded = base64::engine::general_purpose::STANDARD.encode(credentials);
        request = request.header("authorization", format!("Basic {encoded}"));
    }
    match request.send().await {
        Ok(r) if r.status().is_success() => Ok(()),
        Ok(r) => Err(format!("hub answered HTTP {}", r.status().as_u16())),
        Err(e) => Err(format!("hub not reachable: {e}")),
    }
}

/// The sender: runs until `stop` turns true.
pub async fn run_sender(shared: Arc<Shared>, mut stop: tokio::sync::watch::Receiver<bool>) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap_or_default();
    let queue = &shared.events;
    let mut backoff = queue.retry_initial;
    loop {
        if *stop.borrow() {
            return;
        }
        let Some((hub, seqs, events)) = queue.next_batch() else {
            tokio::select! {
                _ = queue.notify.notified() => {}
                _ = stop.changed() => {}
            }
            continue;
        };
        let outcome = post(&client, &hub, &events).await;
        match &outcome {
            Ok(()) => {
                tracing::debug!(events = events.len(), url = %hub.url, "fake S/4HANA: events delivered")
            }
            Err(e) => {
                tracing::warn!(events = events.len(), url = %hub.url, retry_in = ?backoff, "fake S/4HANA: event delivery failed: {e}")
            }
        }
        let failed = outcome.is_err();
        queue.finish(&seqs, outcome, shared.clock.now());
        if failed {
            tokio::select! {
                _ = tokio::time::sleep(backoff) => {}
                _ = stop.changed() => {}
            }
            backoff = (backoff * 2).min(queue.retry_max);
        } else {
            backoff = queue.retry_initial;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use maiconnect_core::model::{ChangeType, S4ObjectType};

    fn change(n: usize) -> Change {
        Change {
            object_type: S4ObjectType::BusinessPartner,
            key: format!("{n:010}"),
            change: ChangeType::Changed,
            at: DateTime::<Utc>::UNIX_EPOCH,
            relationship: None,
        }
    }

    #[test]
    fn settled_records_are_forgotten_beyond_the_limit_but_queued_ones_never() {
        let q = EventQueue::new(&FakeS4Config::default(), 1);
        lock(&q.state).log_max = 3;
        q.drop_next(2);
        q.push_changes((0..5).map(change).collect());
        // Two dropped, three queued: nothing settled beyond the limit but
        // the dropped ones.
        let log = q.log();
        assert_eq!(log.len(), 3);
        assert_eq!(log[0].seq, 2);
        let (_, seqs, events) = {
            q.set_hub(Some(HubDestination {
                url: "http://127.0.0.1:1/".into(),
                user: None,
                password: None,
            }));
            q.next_batch().unwrap()
        };
        assert_eq!(seqs, [2, 3, 4]);
        assert_eq!(events[0].object_key, "0000000002");
        q.finish(&seqs, Ok(()), DateTime::<Utc>::UNIX_EPOCH);
        q.push_changes(vec![change(5)]);
        let log = q.log();
        assert_eq!(log.iter().map(|r| r.seq).collect::<Vec<_>>(), [3, 4, 5]);
        assert_eq!(q.pending(), 1);
        assert_eq!(q.next_batch().unwrap().1, [5]);
    }
}
