//! The state one running fake shares between its HTTP handlers, the
//! control API and the event sender.

use std::collections::HashSet;
use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

use super::clock::Clock;
use super::config::{FakeS4Config, User};
use super::edm::ServiceId;
use super::events::EventQueue;
use super::gateway::{Faults, Sessions};
use super::quirks::Quirks;
use super::store::Store;

/// Latency added to every OData request (for benchmarks and timeouts).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Latency {
    /// Always added, in milliseconds.
    #[serde(default)]
    pub fixed_ms: u64,
    /// Plus a uniformly random 0..=jitter_ms.
    #[serde(default)]
    pub jitter_ms: u64,
}

/// What the control API can change while the fake runs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Page size of entity set reads.
    pub page_size: usize,
    /// Whether `HEAD` is allowed (otherwise 405, to exercise the client's
    /// GET fallback for the CSRF fetch).
    pub head_allowed: bool,
    /// Latency injection.
    pub latency: Latency,
    /// Services that are not activated in /IWFND/MAINT_SERVICE.
    pub inactive: HashSet<ServiceId>,
    /// Users.
    pub users: Vec<User>,
    /// The departures from the kindest behaviour.
    pub quirks: Quirks,
}

/// Locks a mutex, recovering from poisoning (a panicking test thread must
/// not take the fake down with it).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The shared state.
#[derive(Debug)]
pub struct Shared {
    /// The start configuration.
    pub config: FakeS4Config,
    /// Changeable settings.
    pub settings: Mutex<Settings>,
    /// The data.
    pub store: Mutex<Store>,
    /// CSRF sessions.
    pub sessions: Mutex<Sessions>,
    /// Injected faults.
    pub faults: Mutex<Faults>,
    /// Events and their delivery.
    pub events: EventQueue,
    /// The clock.
    pub clock: Clock,
    /// Random source of tokens and transaction ids.
    pub rng: Mutex<fastrand::Rng>,
    /// Whether the store changed since it was last saved.
    pub dirty: std::sync::atomic::AtomicBool,
}

impl Shared {
    /// Fresh state from a configuration.
    pub fn new(config: FakeS4Config, store: Store, seed: u64) -> Shared {
        let settings = Settings {
            page_size: config.page_size.max(1),
            head_allowed: true,
            latency: Latency::default(),
            inactive: HashSet::new(),
            users: config.users.clone(),
            quirks: config.quirks.clone(),
        };
        let events = EventQueue::new(&config, seed);
        Shared {
            settings: Mutex::new(settings),
            store: Mutex::new(store),
            sessions: Mutex::new(Sessions::default()),
            faults: Mutex::new(Faults::default()),
            events,
            clock: Clock::default(),
            rng: Mutex::new(fastrand::Rng::with_seed(seed ^ 0x5AB0_5AB0)),
            dirty: std::sync::atomic::AtomicBool::new(false),
            config,
        }
    }

    /// `n` random upper-case hex digits.
    pub fn hex(&self, n: usize) -> String {
        let mut rng = lock(&self.rng);
        (0..n)
            .map(|_| {
                char::from_digit(rng.u32(0..16), 16)
                    .unwrap_or('0')
                    .to_ascii_uppercase()
            })
            .collect()
    }

    /// A random token of URL-safe characters (CSRF tokens, session ids).
    pub fn token(&self, n: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let mut rng = lock(&self.rng);
        (0..n)
            .map(|_| ALPHABET[rng.usize(0..ALPHABET.len())] as char)
            .collect()
    }

    /// Commits the store's transaction and queues its events.
    pub fn commit(&self, store: &mut Store) {
        let changes = store.commit();
        if !changes.is_empty() {
            self.dirty.store(true, std::sync::atomic::Ordering::Relaxed);
            self.events.push_changes(changes);
        }
    }
}
