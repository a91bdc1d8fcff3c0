//! Everything the fake Exchange knows, in one serialisable value guarded by
//! one mutex: mailboxes with folders, items and event logs, accounts,
//! subscriptions and the record of notifications sent.

pub mod ids;
pub mod item;
mod persist;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use ids::{IdSource, ItemRef};
pub use item::{ExtKey, ExtendedValue, FileAttachment, ItemKind, StoredItem};
pub use persist::{load, save};

use super::clock::Clock;

/// The distinguished folders every mailbox has: (id name, display name,
/// folder class, parent).
pub const DISTINGUISHED: &[(&str, &str, Option<&str>, Option<&str>)] = &[
    ("root", "Root", None, None),
    (
        "msgfolderroot",
        "Top of Information Store",
        Some("IPF.Note"),
        Some("root"),
    ),
    (
        "calendar",
        "Calendar",
        Some("IPF.Appointment"),
        Some("msgfolderroot"),
    ),
    ("tasks", "Tasks", Some("IPF.Task"), Some("msgfolderroot")),
    (
        "contacts",
        "Contacts",
        Some("IPF.Contact"),
        Some("msgfolderroot"),
    ),
    ("inbox", "Inbox", Some("IPF.Note"), Some("msgfolderroot")),
    (
        "deleteditems",
        "Deleted Items",
        Some("IPF.Note"),
        Some("msgfolderroot"),
    ),
];

/// A folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Folder {
    /// `FolderId/@Id`.
    pub id: String,
    /// `FolderId/@ChangeKey`.
    pub change_key: String,
    /// Parent folder id (`None` for the root).
    pub parent: Option<String>,
    /// `DisplayName`.
    pub display_name: String,
    /// `FolderClass` (`IPF.Appointment`, …).
    pub class: Option<String>,
    /// The distinguished name, for the well-known folders.
    pub distinguished: Option<String>,
}

/// What happened to an item or folder (EWS notification event types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    /// `CreatedEvent`.
    Created,
    /// `ModifiedEvent`.
    Modified,
    /// `DeletedEvent`.
    Deleted,
    /// `MovedEvent`.
    Moved,
    /// `CopiedEvent`.
    Copied,
}

impl EventKind {
    /// The element / `EventType` name.
    pub fn element(self) -> &'static str {
        match self {
            EventKind::Created => "CreatedEvent",
            EventKind::Modified => "ModifiedEvent",
            EventKind::Deleted => "DeletedEvent",
            EventKind::Moved => "MovedEvent",
            EventKind::Copied => "CopiedEvent",
        }
    }
}

/// One entry of a mailbox's event table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailEvent {
    /// Change number (watermarks point at it).
    pub seq: u64,
    /// When.
    pub at: DateTime<Utc>,
    /// What.
    pub kind: EventKind,
    /// `true` when the object is a folder.
    pub is_folder: bool,
    /// The item or folder id and change key.
    pub id: (String, String),
    /// Its (new) parent folder.
    pub parent: String,
    /// For moves and copies: the old id.
    pub old_id: Option<String>,
    /// For moves and copies: the old parent folder.
    pub old_parent: Option<String>,
}

/// A deleted item, remembered for SyncFolderItems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    /// The folder it was in.
    pub folder_id: String,
    /// Its id.
    pub item_id: String,
    /// Its change number at creation.
    pub created_seq: u64,
    /// Change number of the deletion.
    pub seq: u64,
}

/// A mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mailbox {
    /// Primary SMTP address as configured.
    pub address: String,
    /// Display name.
    pub display_name: String,
    /// Number of the mailbox (in watermarks).
    pub index: u32,
    /// Folders by id.
    pub folders: BTreeMap<String, Folder>,
    /// Items by id.
    pub items: BTreeMap<String, StoredItem>,
    /// Deleted items.
    pub tombstones: Vec<Tombstone>,
    /// The event table.
    pub events: Vec<MailEvent>,
}

impl Mailbox {
    /// The id of a distinguished folder.
    pub fn distinguished(&self, name: &str) -> Option<&str> {
        self.folders
            .values()
            .find(|f| f.distinguished.as_deref() == Some(name))
            .map(|f| f.id.as_str())
    }

    /// Folder ids under `id`, `id` included (deep traversal).
    pub fn subtree(&self, id: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::from([id.to_string()]);
        loop {
            let more: Vec<String> = self
                .folders
                .values()
                .filter(|f| f.parent.as_ref().is_some_and(|p| out.contains(p)))
                .filter(|f| !out.contains(&f.id))
                .map(|f| f.id.clone())
                .collect();
            if more.is_empty() {
                return out;
            }
            out.extend(more);
        }
    }
}

/// A service account for Basic authentication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceUser {
    /// User name as sent (`svc@example.com` or `DOMAIN\user`).
    pub user: String,
    /// Password.
    pub password: String,
    /// Mailboxes it may impersonate (lower-case addresses).
    pub grants: BTreeSet<String>,
}

/// A registered OAuth application (client credentials).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthApp {
    /// Application (client) id.
    pub client_id: String,
    /// Tenant id or domain the app is registered in.
    pub tenant: String,
    /// Client secret, when one is registered.
    pub secret: Option<String>,
    /// Registered certificate (PEM), when one is.
    pub certificate_pem: Option<String>,
    /// Application access policy: the mailboxes it reaches (lower-case);
    /// `None` = every mailbox.
    pub allowed_mailboxes: Option<BTreeSet<String>>,
}

/// An access token the token endpoint issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedToken {
    /// The app it was issued to.
    pub client_id: String,
    /// When it stops working (fake clock).
    pub expires: DateTime<Utc>,
}

/// Whether a subscription still runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", content = "reason", rename_all = "snake_case")]
pub enum SubscriptionState {
    /// Delivering.
    Active,
    /// Ended (by Unsubscribe, by the listener's `Unsubscribe`, after failed
    /// retries, or killed through the control API).
    Ended(String),
}

/// A push or pull subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    /// `SubscriptionId`.
    pub id: String,
    /// Mailbox address (lower-case key).
    pub mailbox: String,
    /// Folder ids it watches (empty with `all_folders`).
    pub folders: BTreeSet<String>,
    /// Watches every folder.
    pub all_folders: bool,
    /// `EventType`s it wants.
    pub event_types: BTreeSet<String>,
    /// Push: the listener URL; pull: `None`.
    pub url: Option<String>,
    /// Push: `StatusFrequency` in minutes.
    pub status_frequency: u32,
    /// Change number of the last event delivered.
    pub cursor: u64,
    /// Account that created it.
    pub owner: String,
    /// Running or ended.
    pub state: SubscriptionState,
}

/// What became of one notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationOutcome {
    /// The listener answered `OK`.
    Ok,
    /// The listener answered `Unsubscribe`.
    Unsubscribe,
    /// No usable answer (HTTP error, timeout, unreadable body).
    Failed,
    /// Dropped on purpose (control API): never sent.
    Dropped,
}

/// A notification the fake sent (or dropped).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationRecord {
    /// Subscription.
    pub subscription_id: String,
    /// Listener URL.
    pub url: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Attempt number (1 = first try).
    pub attempt: u32,
    /// Event element names in it (`StatusEvent` for a heartbeat).
    pub events: Vec<String>,
    /// The SOAP request sent.
    pub body: String,
    /// HTTP status of the answer.
    pub http_status: Option<u16>,
    /// The answer body.
    pub answer: Option<String>,
    /// What it came to.
    pub outcome: NotificationOutcome,
}

/// A meeting message the fake "sent" (invitation, update, cancellation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentMessage {
    /// The mailbox that sent it.
    pub mailbox: String,
    /// `Invitation`, `Update` or `Cancellation`.
    pub kind: String,
    /// The calendar item.
    pub item_id: String,
    /// Subject at the time.
    pub subject: String,
    /// Recipients' addresses.
    pub to: Vec<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// The whole state.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct World {
    /// Mailboxes by lower-case address.
    pub mailboxes: BTreeMap<String, Mailbox>,
    /// Service accounts by lower-case user name.
    pub users: BTreeMap<String, ServiceUser>,
    /// OAuth apps by client id.
    pub apps: BTreeMap<String, OAuthApp>,
    /// Issued tokens.
    pub tokens: BTreeMap<String, IssuedToken>,
    /// Subscriptions by id.
    pub subscriptions: BTreeMap<String, Subscription>,
    /// Notifications sent, oldest first.
    pub notifications: Vec<NotificationRecord>,
    /// Meeting messages sent.
    pub messages: Vec<SentMessage>,
    /// The clock.
    pub clock: Clock,
    /// Seed of the id generator.
    pub seed: u64,
    /// Ids handed out so far (to continue after a reload).
    pub id_counter: u64,
    /// Last change number.
    pub seq: u64,
    /// Set when something changed since the last save.
    #[serde(skip)]
    pub dirty: bool,
    #[serde(skip)]
    ids: Option<IdSource>,
}

/// Most events kept per mailbox; older watermarks become invalid.
pub const EVENT_TABLE_LIMIT: usize = 50_000;

impl World {
    /// An empty world seeded with `seed`.
    pub fn new(seed: u64) -> World {
        World {
            seed,
            ..World::default()
        }
    }

    /// The id generator.
    pub fn ids(&mut self) -> &mut IdSource {
        self.id_counter += 1;
        let (seed, counter) = (self.seed, self.id_counter);
        self.ids.get_or_insert_with(|| IdSource::new(seed, counter))
    }

    /// The next change number.
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.dirty = true;
        self.seq
    }

    /// Now, on the fake's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Adds a mailbox with its distinguished folders; an existing one is
    /// kept as it is.
    pub fn add_mailbox(&mut self, address: &str, display_name: Option<&str>) -> &mut Mailbox {
        let key = address.trim().to_ascii_lowercase();
        if !self.mailboxes.contains_key(&key) {
            let index = self.mailboxes.len() as u32 + 1;
            let mut folders = BTreeMap::new();
            let mut by_name: BTreeMap<&str, String> = BTreeMap::new();
            for (name, display, class, parent) in DISTINGUISHED {
                let id = self.ids().folder();
                let change_key = self.ids().change_key();
                by_name.insert(name, id.clone());
                folders.insert(
                    id.clone(),
                    Folder {
                        id,
                        change_key,
                        parent: parent.and_then(|p| by_name.get(p).cloned()),
                        display_name: (*display).into(),
                        class: class.map(str::to_string),
                        distinguished: Some((*name).into()),
                    },
                );
            }
            let display_name = display_name
                .map(str::to_string)
                .unwrap_or_else(|| default_display_name(address));
            self.mailboxes.insert(
                key.clone(),
                Mailbox {
                    address: address.trim().to_string(),
                    display_name,
                    index,
                    folders,
                    items: BTreeMap::new(),
                    tombstones: vec![],
                    events: vec![],
                },
            );
            self.dirty = true;
        }
        self.mailboxes.get_mut(&key).expect("inserted above")
    }

    /// Appends an event to a mailbox's table and returns its number.
    pub fn record_event(&mut self, mailbox: &str, mut ev: MailEvent) -> u64 {
        let seq = self.next_seq();
        ev.seq = seq;
        ev.at = self.now();
        if let Some(m) = self.mailboxes.get_mut(mailbox) {
            m.events.push(ev);
            if m.events.len() > EVENT_TABLE_LIMIT {
                let cut = m.events.len() - EVENT_TABLE_LIMIT;
                m.events.drain(..cut);
            }
        }
        seq
    }
}

/// "anna.berg@example.com" → "Anna Berg".
fn default_display_name(address: &str) -> String {
    let local = address.split('@').next().unwrap_or(address);
    local
        .split(['.', '_', '-'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_mailbox_has_the_distinguished_folders_in_a_tree() {
        let mut w = World::new(1);
        let m = w.add_mailbox("Anna.Berg@example.com", None).clone();
        assert_eq!(m.display_name, "Anna Berg");
        let root = m.distinguished("root").unwrap().to_string();
        let top = m.distinguished("msgfolderroot").unwrap();
        assert_eq!(m.folders[top].parent.as_deref(), Some(root.as_str()));
        let cal = m.distinguished("calendar").unwrap();
        assert_eq!(m.folders[cal].class.as_deref(), Some("IPF.Appointment"));
        assert_eq!(m.subtree(&root).len(), DISTINGUISHED.len());
        assert!(w.mailboxes.contains_key("anna.berg@example.com"));
    }
}
