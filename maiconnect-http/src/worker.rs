//! The workers: drain the inbox, one entry per lane at a time, many lanes
//! at once, within each environment's concurrency limit.
//!
//! A failed entry is retried after the server's back-off hint or a capped
//! exponential back-off with jitter, whichever is longer; after
//! `hub.max_attempts` it becomes a dead letter that the admin API shows.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use maiconnect_core::ids::{ItemId, Mailbox};
use maiconnect_core::model::{Folder, ObjectKind, S4Key};
use maiconnect_core::ports::{InboxEntry, InboxEvent, StateStore};
use maiconnect_core::sync::{Hints, Outcome};
use maiconnect_core::{PortError, Retry};
use tokio::sync::{Semaphore, watch};

use crate::fanout::fan_out;
use crate::hub::Hub;

/// How long a claimed entry stays claimed; longer than any one sync takes.
const LEASE_MINUTES: i64 = 30;
/// The first retry waits this long.
const BACKOFF_BASE: Duration = Duration::from_secs(2);
/// No retry waits longer than this (unless the server asks for more).
const BACKOFF_CAP: Duration = Duration::from_secs(300);

/// What became of one entry.
enum Done {
    /// Finished; these follow-ups go into the inbox with the completion.
    Ok(Vec<InboxEvent>),
    /// Try again, after the server's hint if it gave one.
    Retry(String, Option<Duration>),
    /// Will not work without a person.
    Fail(String),
}

/// Runs until `stop` turns true, then waits for the entries in flight.
pub async fn run(hub: Arc<Hub>, mut stop: watch::Receiver<bool>) {
    let workers = Arc::new(Semaphore::new(hub.settings.workers as usize));
    loop {
        if *stop.borrow() {
            break;
        }
        let free = workers.available_permits();
        let claimed = if free > 0 {
            let now = Utc::now();
            match hub
                .store
                .claim(now, chrono::Duration::minutes(LEASE_MINUTES), free)
                .await
            {
                Ok(entries) => entries,
                Err(e) => {
                    tracing::error!(error = %e, "cannot read the inbox");
                    Vec::new()
                }
            }
        } else {
            Vec::new()
        };
        let got = claimed.len();
        for entry in claimed {
            let Ok(permit) = workers.clone().acquire_owned().await else {
                break;
            };
            let hub = hub.clone();
            tokio::spawn(async move {
                process(&hub, entry).await;
                drop(permit);
                hub.wake.notify_one();
            });
        }
        if got == 0 {
            tokio::select! {
                _ = hub.wake.notified() => {}
                _ = tokio::time::sleep(Duration::from_millis(250)) => {}
                _ = stop.changed() => {}
            }
            // Let a few more finish, so that one look into the inbox serves
            // several free workers.
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
    // Let the entries in flight finish; what does not finish in time stays
    // claimed and is taken up again at the next start.
    let all = hub.settings.workers;
    let _ = tokio::time::timeout(Duration::from_secs(20), workers.acquire_many(all)).await;
}

/// Processes one entry and records the result.
pub async fn process(hub: &Hub, entry: InboxEntry) {
    let now = Utc::now();
    // The first attempt trusts what the event says and the recorded links
    // (one read per change); a retry reads everything afresh.
    let done = work(hub, &entry.event, entry.attempts <= 1, now).await;
    let result = match done {
        Done::Ok(follow_ups) => hub.store.complete(entry.id, &follow_ups, now).await,
        Done::Retry(error, hint) if entry.attempts < hub.settings.max_attempts => {
            let wait = backoff(entry.attempts, hint);
            hub.metrics.backoff(if hint.is_some() {
                "server_hint"
            } else {
                "transient"
            });
            tracing::warn!(entry = entry.id.0, attempts = entry.attempts, retry_in_ms = wait.as_millis() as u64, error = %error, "will retry");
            let at = now + chrono::Duration::from_std(wait).unwrap_or_default();
            hub.store.fail(entry.id, &error, Some(at)).await
        }
        Done::Retry(error, _) | Done::Fail(error) => {
            tracing::error!(entry = entry.id.0, attempts = entry.attempts, error = %error, "gave up: dead letter");
            hub.store.fail(entry.id, &error, None).await
        }
    };
    if let Err(e) = result {
        tracing::error!(error = %e, "cannot record the result of an inbox entry");
    }
}

/// Capped exponential back-off with full jitter, never shorter than the
/// server's hint.
pub fn backoff(attempts: u32, hint: Option<Duration>) -> Duration {
    let exp = BACKOFF_BASE.saturating_mul(1u32 << attempts.saturating_sub(1).min(16));
    let capped = exp.min(BACKOFF_CAP);
    let jittered = capped.mul_f64(0.5 + fastrand::f64() * 0.5);
    match hint {
        Some(h) => jittered.max(h),
        None => jittered,
    }
}

fn classify(e: &PortError) -> Done {
    done_by(e.retry, e.message.clone())
}

/// What a failure with this retry class means for the entry.
fn done_by(retry: Retry, message: String) -> Done {
    match retry {
        Retry::Never => Done::Fail(message),
        Retry::Replan => Done::Retry(message, Some(Duration::from_millis(50))),
        Retry::Later { after } => Done::Retry(message, after),
    }
}

async fn work(hub: &Hub, event: &InboxEvent, first: bool, now: DateTime<Utc>) -> Done {
    match event {
        InboxEvent::S4 { event } => match fan_out(hub, event).await {
            Ok(follow_ups) => Done::Ok(follow_ups),
            Err(e) => classify(&e),
        },
        InboxEvent::S4Object {
            mailbox,
            key,
            snapshot,
            snapshot_seq,
        } => {
            // A snapshot older than our own last write of the object would
            // undo that write: then read afresh.
            let fresh = match (snapshot, snapshot_seq) {
                (Some(_), Some(seq)) if first => {
                    match hub.store.link_written_since(mailbox, key, *seq) {
                        Ok(written) => !written,
                        Err(e) => return classify(&e),
                    }
                }
                _ => false,
            };
            let hints = Hints {
                s4: snapshot.as_deref().filter(|_| fresh).cloned(),
                trust_link: first,
                ..Hints::default()
            };
            in_mailbox(hub, mailbox, now, Job::S4(key, hints)).await
        }
        InboxEvent::MailboxItem {
            mailbox,
            folder,
            item,
            version,
            deleted,
        } => {
            let kind = folder.unwrap_or(Folder::Calendar).kind();
            let hints = Hints {
                // A deleted item's event still names its last change key,
                // the one we recorded: it is no echo of our own write.
                exchange_version: version.clone().filter(|_| first && !*deleted),
                trust_link: first,
                ..Hints::default()
            };
            in_mailbox(hub, mailbox, now, Job::Item(item, kind, hints)).await
        }
        InboxEvent::Resync {
            mailbox,
            kind,
            full,
        } => in_mailbox(hub, mailbox, now, Job::Resync(*kind, *full)).await,
    }
}

/// What to do in one mailbox.
enum Job<'e> {
    S4(&'e S4Key, Hints),
    Item(&'e ItemId, ObjectKind, Hints),
    Resync(Option<ObjectKind>, bool),
}

/// Runs `job` with a syncer for the mailbox's user, inside its
/// environment's concurrency limit.
async fn in_mailbox(hub: &Hub, mailbox: &Mailbox, now: DateTime<Utc>, job: Job<'_>) -> Done {
    let policy = hub.policy();
    let Some(user) = policy.user(mailbox).filter(|u| u.enabled).cloned() else {
        // Only configured, enabled mailboxes are ever touched.
        return Done::Ok(Vec::new());
    };
    let Some(env) = hub.environments.get(&user.environment) else {
        return Done::Fail(format!(
            "mailbox {mailbox}: environment {} is not configured",
            user.environment
        ));
    };
    let Ok(_permit) = env.permits.acquire().await else {
        return Done::Retry("the environment is shutting down".into(), None);
    };
    let syncer = hub.syncer_in(env, &user, &policy);
    let outcome: Result<Outcome, PortError> = match job {
        Job::S4(key, hints) => syncer.sync_s4_hinted(key, hints, now).await,
        Job::Item(item, kind, hints) => syncer.sync_item_hinted(item, kind, hints, now).await,
        Job::Resync(kind, full) => syncer.resync(kind, full, now).await,
    };
    match outcome {
        Err(e) => {
            hub.note(mailbox, now, 0, Some(e.message.clone()));
            classify(&e)
        }
        Ok(out) => {
            for (plan, report) in &out.executed {
                for (i, op) in plan.ops.iter().enumerate() {
                    let result = if i < report.done.len() {
                        "ok"
                    } else if report.failure.as_ref().is_some_and(|f| &f.operation == op) {
                        "failed"
                    } else {
                        continue;
                    };
                    hub.metrics.operation(op.name(), result);
                }
            }
            match out.first_failure() {
                None => {
                    hub.note(mailbox, now, out.writes(), None);
                    Done::Ok(Vec::new())
                }
                Some(f) => {
                    let msg = format!("{}: {}", f.operation.name(), f.error.message);
                    hub.note(mailbox, now, out.writes(), Some(msg.clone()));
                    done_by(f.error.retry, msg)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_honours_the_hint() {
        for attempts in 1..20 {
            let d = backoff(attempts, None);
            assert!(d <= BACKOFF_CAP, "{d:?}");
            let cap = BACKOFF_BASE
                .saturating_mul(1 << (attempts - 1).min(16))
                .min(BACKOFF_CAP);
            assert!(d >= cap / 2, "{attempts}: {d:?} < half of {cap:?}");
        }
        assert!(backoff(1, Some(Duration::from_secs(40))) >= Duration::from_secs(40));
    }
}
