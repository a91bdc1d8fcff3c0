//! Start-up settings of the fake Exchange.

use std::path::PathBuf;
use std::time::Duration;

/// How to start a fake Exchange. `Default` gives an ephemeral port, real
/// time, real-length minutes and the reference schema of this repository.
#[derive(Debug, Clone)]
pub struct FakeExchangeConfig {
    /// TCP port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Seed for ids, change keys and tokens; `None` seeds from entropy.
    pub seed: Option<u64>,
    /// JSON file the state is loaded from at start and saved to (on
    /// shutdown, restart, `POST /_control/save` and shortly after changes).
    pub state_file: Option<PathBuf>,
    /// Threads that validate requests against the schema (each holds its own
    /// copy of the compiled schema).
    pub validator_threads: usize,
    /// How long a "minute" is for `StatusFrequency` and notification
    /// retries; tests use e.g. 100 ms.
    pub minute: Duration,
    /// Lifetime of issued OAuth access tokens (on the fake's clock).
    pub token_lifetime: Duration,
    /// Concurrent EWS requests per account before `ErrorExceededConnectionCount`.
    pub max_concurrency: u32,
    /// How often an unanswered or failed notification is retried before the
    /// subscription is dropped.
    pub notification_retries: u32,
    /// How long to wait for the listener to answer one notification.
    pub notification_timeout: Duration,
    /// Most events in one notification (`MoreEvents` says when more wait).
    pub notification_batch: usize,
    /// Events this close together go into one notification.
    pub notification_coalesce: Duration,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
}

impl Default for FakeExchangeConfig {
    fn default() -> Self {
        FakeExchangeConfig {
            port: 0,
            seed: None,
            state_file: None,
            validator_threads: 2,
            minute: Duration::from_secs(60),
            token_lifetime: Duration::from_secs(3599),
            max_concurrency: 27,
            notification_retries: 5,
            notification_timeout: Duration::from_secs(10),
            notification_batch: 50,
            notification_coalesce: Duration::from_millis(20),
            max_body_bytes: 32 * 1024 * 1024,
        }
    }
}
