//! Injected faults, latency and the per-account concurrency limit.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// A fault to answer requests with instead of serving them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InjectedFault {
    /// SOAP fault `ErrorServerBusy` with `BackOffMilliseconds`.
    ServerBusy {
        /// The back-off hint.
        back_off_ms: u64,
    },
    /// SOAP fault `ErrorExceededConnectionCount`.
    ExceededConnectionCount,
    /// HTTP 503 with `Retry-After`.
    Unavailable {
        /// Seconds in `Retry-After`.
        retry_after_secs: u64,
    },
    /// HTTP 401 with `WWW-Authenticate`.
    Unauthorized,
    /// Every response message of the request fails with this code.
    ResponseCode {
        /// `ResponseCode` (e.g. `ErrorItemNotFound`).
        code: String,
        /// `MessageText`.
        #[serde(default)]
        message: Option<String>,
    },
    /// Serve the request, but only after this long.
    Delay {
        /// Milliseconds.
        ms: u64,
    },
}

/// "Fail the next `count` requests (of `operation`) with `fault`."
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRule {
    /// The fault.
    pub fault: InjectedFault,
    /// How many requests it still hits.
    pub count: u32,
    /// Only requests of this EWS operation (`FindItem`, …); `None` = any.
    #[serde(default)]
    pub operation: Option<String>,
}

/// Added latency for every EWS request: fixed plus uniform jitter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Latency {
    /// Fixed part, ms.
    #[serde(default)]
    pub fixed_ms: u64,
    /// Up to this much more, ms.
    #[serde(default)]
    pub jitter_ms: u64,
}

/// Fault settings, changed through the control API.
#[derive(Debug, Default)]
pub struct Faults {
    /// Pending rules, first match wins.
    pub rules: Vec<FaultRule>,
    /// Latency.
    pub latency: Latency,
    /// Notifications still to drop.
    pub drop_notifications: u32,
    /// Notifications still to send twice.
    pub duplicate_notifications: u32,
    /// Concurrency limit override.
    pub max_concurrency: Option<u32>,
    rng: Option<fastrand::Rng>,
}

impl Faults {
    /// Takes the fault for a request of `operation`, if one is due.
    pub fn take(&mut self, operation: &str) -> Option<InjectedFault> {
        let pos = self
            .rules
            .iter()
            .position(|r| r.count > 0 && r.operation.as_deref().is_none_or(|o| o == operation))?;
        let rule = &mut self.rules[pos];
        rule.count -= 1;
        let fault = rule.fault.clone();
        if rule.count == 0 {
            self.rules.remove(pos);
        }
        Some(fault)
    }

    /// The latency to add to the next request.
    pub fn next_latency(&mut self) -> Duration {
        let Latency {
            fixed_ms,
            jitter_ms,
        } = self.latency;
        let jitter = if jitter_ms > 0 {
            self.rng
                .get_or_insert_with(fastrand::Rng::new)
                .u64(0..=jitter_ms)
        } else {
            0
        };
        Duration::from_millis(fixed_ms + jitter)
    }

    /// Whether to drop the next notification (counts it down).
    pub fn take_drop(&mut self) -> bool {
        take_one(&mut self.drop_notifications)
    }

    /// Whether to send the next notification twice (counts it down).
    pub fn take_duplicate(&mut self) -> bool {
        take_one(&mut self.duplicate_notifications)
    }
}

fn take_one(n: &mut u32) -> bool {
    if *n > 0 {
        *n -= 1;
        true
    } else {
        false
    }
}

/// Requests in flight per account.
#[derive(Debug, Default, Clone)]
pub struct Concurrency {
    inflight: Arc<Mutex<HashMap<String, u32>>>,
}

/// Holds one slot until dropped.
#[derive(Debug)]
pub struct Slot {
    inflight: Arc<Mutex<HashMap<String, u32>>>,
    account: String,
}

impl Concurrency {
    /// Takes a slot for `account`, or `None` when it has `limit` requests
    /// in flight already.
    pub fn enter(&self, account: &str, limit: u32) -> Option<Slot> {
        let mut map = self.inflight.lock().ok()?;
        let n = map.entry(account.to_string()).or_insert(0);
        if *n >= limit {
            return None;
        }
        *n += 1;
        Some(Slot {
            inflight: Arc::clone(&self.inflight),
            account: account.to_string(),
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut map) = self.inflight.lock()
            && let Some(n) = map.get_mut(&self.account)
        {
            *n = n.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_count_down_and_filter_by_operation() {
        let mut f = Faults::default();
        f.rules.push(FaultRule {
            fault: InjectedFault::ExceededConnectionCount,
            count: 2,
            operation: Some("GetItem".into()),
        });
        assert_eq!(f.take("FindItem"), None);
        assert_eq!(
            f.take("GetItem"),
            Some(InjectedFault::ExceededConnectionCount)
        );
        assert!(f.take("GetItem").is_some());
        assert_eq!(f.take("GetItem"), None);
    }

    #[test]
    fn the_concurrency_limit_frees_slots_on_drop() {
        let c = Concurrency::default();
        let a = c.enter("svc", 1).unwrap();
        assert!(c.enter("svc", 1).is_none());
        assert!(c.enter("other", 1).is_some());
        drop(a);
        assert!(c.enter("svc", 1).is_some());
    }
}
