//! The state store port: links, intents, change cursors, subscriptions, the
//! durable inbox, held deletes and the audit journal.

use std::fmt;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::PortError;
use crate::ids::{ActivityId, ItemId, Mailbox, Version};
use crate::model::{ExchangeKey, Folder, ObjectKind, S4Event, S4Key};
use crate::plan::changes::Changes;
use crate::plan::guard::HeldDelete;
use crate::plan::state::{Link, S4Item, Side};
use crate::ports::mailbox::{ChangeCursor, SubscriptionId, Watermark};

/// Identifies a pair before it is linked: by the side it exists on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PairKey {
    /// By its S/4 object.
    S4(S4Key),
    /// By its mailbox item.
    Exchange(ExchangeKey),
}

impl fmt::Display for PairKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PairKey::S4(k) => write!(f, "{k}"),
            PairKey::Exchange(k) => write!(f, "{k}"),
        }
    }
}

/// A write about to happen, recorded first. For a create, a crash between
/// the create and recording its link cannot lead to a second create; for an
/// update ([`Intent::update`]), a crash between the write and the end of the
/// plan cannot make our own write look like a change on the written side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Intent {
    /// The mailbox.
    pub mailbox: Mailbox,
    /// The pair, by the side that exists.
    pub pair: PairKey,
    /// The kind of object created.
    pub kind: ObjectKind,
    /// For creates in S/4HANA: the GUID the activity gets.
    pub activity: Option<ActivityId>,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// For an update of a linked pair: what is written, and the link that
    /// holds if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<PendingUpdate>,
}

/// An update of a linked pair in flight.
///
/// If the process stops during the write, a restart cannot tell from the
/// written side alone whether the values there are ours or a person's.
/// Recovery compares the side with [`PendingUpdate::changes`]: when it holds
/// them, the write happened and [`PendingUpdate::link`] becomes the link;
/// otherwise the old link stays and the change flows again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingUpdate {
    /// The side written.
    pub side: Side,
    /// The values written.
    pub changes: Changes,
    /// The link once the write is done: the written fields recorded as seen
    /// on both sides, the written side's version unknown (so that its
    /// content is compared), everything else as before.
    pub link: Link,
}

/// A push subscription the hub keeps for one mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionRecord {
    /// The secret token in the callback URL; names the subscription at the hub.
    pub token: String,
    /// The mailbox.
    pub mailbox: Mailbox,
    /// The folders it watches (one subscription per folder, so that a
    /// notification says which folder its items are in).
    pub folders: Vec<Folder>,
    /// The server's id, once subscribed.
    pub server_id: Option<SubscriptionId>,
    /// The last watermark received.
    pub watermark: Option<Watermark>,
    /// When the server last called (notification or status event).
    pub last_seen: DateTime<Utc>,
    /// The agreed status frequency.
    pub status_frequency_minutes: u32,
    /// Consecutive failures to (re)subscribe.
    pub failures: u32,
    /// The last error, for the admin API.
    pub last_error: Option<String>,
}

/// Something to do, stored durably before the hub acknowledges it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum InboxEvent {
    /// An S/4HANA event as received (fanned out to mailboxes by a worker).
    S4 {
        /// The event.
        event: S4Event,
    },
    /// Sync one S/4 object into one mailbox.
    S4Object {
        /// The mailbox.
        mailbox: Mailbox,
        /// The object.
        key: S4Key,
        /// The object as read when the event fanned out (saves reading it
        /// again; `None`: read it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        snapshot: Option<Box<S4Item>>,
        /// The state store's link-write sequence number just before the
        /// snapshot was read. A link of this object written since may
        /// record our own later write, which the snapshot predates: the
        /// snapshot is not used then.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        snapshot_seq: Option<u64>,
    },
    /// An item of a mailbox was created, changed or deleted.
    MailboxItem {
        /// The mailbox.
        mailbox: Mailbox,
        /// The folder, when the notification says.
        folder: Option<Folder>,
        /// The item.
        item: ItemId,
        /// Whether it was deleted (or moved away).
        deleted: bool,
        /// Its change key as the notification gave it: our own write coming
        /// back carries the version we recorded and needs no reading.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<Version>,
    },
    /// Catch up on a mailbox: initial sync, lost subscription, admin resync.
    Resync {
        /// The mailbox.
        mailbox: Mailbox,
        /// Only this kind, or all.
        kind: Option<ObjectKind>,
        /// Full (compare everything in the window) or incremental (changes
        /// since the stored cursor).
        full: bool,
    },
}

impl InboxEvent {
    /// Events of one lane are processed one at a time, in order.
    pub fn lane(&self) -> String {
        match self {
            // Ordered per object; different objects fan out in parallel.
            InboxEvent::S4 { event } => format!("s4:{}:{}", event.object_type, event.object_key),
            InboxEvent::S4Object { mailbox, .. }
            | InboxEvent::MailboxItem { mailbox, .. }
            | InboxEvent::Resync { mailbox, .. } => InboxEvent::mailbox_lane(mailbox),
        }
    }
    /// The lane of a mailbox's work.
    pub fn mailbox_lane(mailbox: &Mailbox) -> String {
        format!("mailbox:{mailbox}")
    }
    /// Live events go before backfill.
    pub fn is_backfill(&self) -> bool {
        matches!(self, InboxEvent::Resync { .. })
    }
    /// A key that makes a repeated delivery of the same event a no-op,
    /// where the event has one.
    pub fn dedup_key(&self) -> Option<String> {
        match self {
            InboxEvent::S4 { event } => Some(format!("s4:{}", event.event_id)),
            _ => None,
        }
    }
}

/// The id of an inbox entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct InboxId(pub i64);

/// A stored inbox event with its processing state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxEntry {
    /// Its id; ids grow in arrival order.
    pub id: InboxId,
    /// The event.
    pub event: InboxEvent,
    /// When it arrived.
    pub received_at: DateTime<Utc>,
    /// Attempts so far.
    pub attempts: u32,
    /// Not to be processed before this time.
    pub not_before: DateTime<Utc>,
    /// The last error.
    pub last_error: Option<String>,
    /// Whether it gave up (dead letter).
    pub dead: bool,
}

/// One write, as the audit journal keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// The mailbox.
    pub mailbox: Mailbox,
    /// Which system was written.
    pub side: Side,
    /// The operation (`create_in_exchange`, `update_s4`, …).
    pub operation: String,
    /// The S/4 object.
    pub s4: Option<S4Key>,
    /// The mailbox item.
    pub exchange: Option<ExchangeKey>,
    /// Fields written: name, value before, value after.
    pub fields: Vec<(String, String, String)>,
    /// Why.
    pub reason: String,
}

/// The hub's durable state.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait StateStore: Send + Sync {
    // --- links ---

    /// The link of an S/4 object in a mailbox.
    async fn link_by_s4(&self, mailbox: &Mailbox, key: &S4Key) -> Result<Option<Link>, PortError>;
    /// The link of a mailbox item.
    async fn link_by_exchange(
        &self,
        mailbox: &Mailbox,
        key: &ExchangeKey,
    ) -> Result<Option<Link>, PortError>;
    /// The links of a mailbox item id, occurrences included (a recurring
    /// series links each occurrence).
    async fn links_by_item(&self, mailbox: &Mailbox, item: &ItemId)
    -> Result<Vec<Link>, PortError>;
    /// All links of one kind in a mailbox.
    async fn links(&self, mailbox: &Mailbox, kind: ObjectKind) -> Result<Vec<Link>, PortError>;
    /// How many links a mailbox has.
    async fn count_links(&self, mailbox: &Mailbox) -> Result<usize, PortError>;
    /// Saves a link, replacing the one with the same mailbox and S/4 key.
    async fn save_link(&self, link: &Link) -> Result<(), PortError>;
    /// Removes the link of an S/4 object in a mailbox.
    async fn remove_link(&self, mailbox: &Mailbox, key: &S4Key) -> Result<(), PortError>;

    // --- intents ---

    /// Records a create about to happen.
    async fn save_intent(&self, intent: &Intent) -> Result<(), PortError>;
    /// The recorded create for a pair.
    async fn intent(&self, mailbox: &Mailbox, pair: &PairKey) -> Result<Option<Intent>, PortError>;
    /// Every recorded create of a mailbox (normally none: each is cleared
    /// right after its create).
    async fn intents(&self, mailbox: &Mailbox) -> Result<Vec<Intent>, PortError>;
    /// Forgets a recorded create.
    async fn clear_intent(&self, mailbox: &Mailbox, pair: &PairKey) -> Result<(), PortError>;

    // --- change cursors ---

    /// Where the last listing of changes of a folder stopped.
    async fn cursor(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
    ) -> Result<Option<ChangeCursor>, PortError>;
    /// Saves where a listing stopped.
    async fn save_cursor(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        cursor: &ChangeCursor,
    ) -> Result<(), PortError>;

    // --- subscriptions ---

    /// All subscriptions.
    async fn subscriptions(&self) -> Result<Vec<SubscriptionRecord>, PortError>;
    /// The subscription with this token.
    async fn subscription(&self, token: &str) -> Result<Option<SubscriptionRecord>, PortError>;
    /// Saves a subscription (by token).
    async fn save_subscription(&self, record: &SubscriptionRecord) -> Result<(), PortError>;
    /// Forgets a subscription.
    async fn remove_subscription(&self, token: &str) -> Result<(), PortError>;

    // --- durable inbox ---

    /// Stores events durably (all or none); an event whose dedup key was
    /// stored before is not stored again. Returns the ids of the new entries.
    async fn enqueue(
        &self,
        events: &[InboxEvent],
        now: DateTime<Utc>,
    ) -> Result<Vec<InboxId>, PortError>;
    /// Claims up to `limit` due entries for `lease`: at most one per lane,
    /// only from lanes without a claimed entry, the oldest first, live
    /// events before backfill.
    async fn claim(
        &self,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: usize,
    ) -> Result<Vec<InboxEntry>, PortError>;
    /// Marks an entry done and stores its follow-up events, in one step.
    async fn complete(
        &self,
        id: InboxId,
        follow_ups: &[InboxEvent],
        now: DateTime<Utc>,
    ) -> Result<(), PortError>;
    /// Records a failed attempt: retried from `retry_at`, or kept as a dead
    /// letter when `None`.
    async fn fail(
        &self,
        id: InboxId,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<(), PortError>;
    /// Dead letters, oldest first.
    async fn dead_letters(&self, limit: usize) -> Result<Vec<InboxEntry>, PortError>;
    /// Puts a dead letter back in the queue.
    async fn retry_dead(&self, id: InboxId, now: DateTime<Utc>) -> Result<bool, PortError>;
    /// Entries waiting (not done, not dead).
    async fn inbox_depth(&self) -> Result<usize, PortError>;

    // --- held deletes ---

    /// Holds a delete for an administrator; returns its id.
    async fn hold(&self, held: &HeldDelete, now: DateTime<Utc>) -> Result<i64, PortError>;
    /// The held deletes, of one mailbox or all.
    async fn held<'a>(
        &self,
        mailbox: Option<&'a Mailbox>,
    ) -> Result<Vec<(i64, HeldDelete)>, PortError>;
    /// Takes a held delete out (to execute or discard it).
    async fn take_held(&self, id: i64) -> Result<Option<HeldDelete>, PortError>;

    // --- audit journal ---

    /// Appends to the journal.
    async fn append_journal(&self, entry: &JournalEntry) -> Result<(), PortError>;
    /// The newest journal entries, of one mailbox or all, newest first.
    async fn journal<'a>(
        &self,
        mailbox: Option<&'a Mailbox>,
        limit: usize,
    ) -> Result<Vec<JournalEntry>, PortError>;
    /// Drops entries older than `before`; returns how many.
    async fn prune_journal(&self, before: DateTime<Utc>) -> Result<usize, PortError>;
}
