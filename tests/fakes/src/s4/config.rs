//! How a fake S/4HANA is started: system id and client, users, the hub's
//! event destination, seed, page size, state file.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::edm::ServiceId;
use super::quirks::Quirks;

/// A user of the system (SU01) with the services their roles open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// User name (upper case, as SAP stores it; logon ignores case).
    pub name: String,
    /// Password (case-sensitive).
    pub password: String,
    /// Services the user's roles allow; `None`: all of them (the role
    /// `/NAG/SAP_MAICONNECT`).
    #[serde(default)]
    pub services: Option<Vec<ServiceId>>,
}

impl User {
    /// A user with the full role.
    pub fn new(name: &str, password: &str) -> User {
        User {
            name: name.to_ascii_uppercase(),
            password: password.into(),
            services: None,
        }
    }
}

/// The hub's event URL as an SM59 HTTP destination: URL and Basic logon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubDestination {
    /// Absolute URL the events are POSTed to.
    pub url: String,
    /// Basic auth user, if the destination has one.
    #[serde(default)]
    pub user: Option<String>,
    /// Basic auth password.
    #[serde(default)]
    pub password: Option<String>,
}

/// The start configuration of a fake S/4HANA.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct FakeS4Config {
    /// TCP port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// System id (`S4H`), used in cookie names and the auth realm.
    pub sid: String,
    /// Client (`100`); requests with another `sap-client` fail to log on.
    pub client: String,
    /// Users.
    pub users: Vec<User>,
    /// Seed of GUIDs, tokens and event ids; `None`: random.
    pub seed: Option<u64>,
    /// JSON file the state is loaded from at start and saved to (on
    /// shutdown, restart, `POST /_control/save`, and a second after changes).
    pub state_file: Option<PathBuf>,
    /// Where events go; `None`: they wait in the queue until a hub is set.
    pub hub: Option<HubDestination>,
    /// Server-driven page size of entity set reads.
    pub page_size: usize,
    /// Largest request body accepted (attachments, `$batch`).
    pub max_body_bytes: usize,
    /// First delay before an event delivery is retried (doubles each time).
    pub event_retry_initial: Duration,
    /// Longest delay between delivery attempts.
    pub event_retry_max: Duration,
    /// Most events per delivery request (sent as a JSON array).
    pub event_batch_max: usize,
    /// How the fake departs from its kindest behaviour (server keys,
    /// another host in links, error shapes, the standard services, …).
    pub quirks: Quirks,
}

impl Default for FakeS4Config {
    fn default() -> Self {
        FakeS4Config {
            port: 0,
            sid: "S4H".into(),
            client: "100".into(),
            users: vec![User::new("MAICONNECT", "Welcome1!")],
            seed: None,
            state_file: None,
            hub: None,
            page_size: 100,
            max_body_bytes: 32 * 1024 * 1024,
            event_retry_initial: Duration::from_millis(200),
            event_retry_max: Duration::from_secs(10),
            event_batch_max: 50,
            quirks: Quirks::default(),
        }
    }
}
