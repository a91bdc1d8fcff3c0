//! What the planner reads: each side's current copy and the state recorded
//! at the last sync.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{Mailbox, Version};
use crate::model::{ExchangeKey, ObjectKind, Record, S4Key};

/// S/4HANA's current copy of an object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct S4Item {
    /// Its key.
    pub key: S4Key,
    /// Its ETag.
    pub version: Version,
    /// Its content.
    pub record: Record,
    /// When it was last changed, if S/4HANA says.
    pub changed_at: Option<DateTime<Utc>>,
}

/// The mailbox's current copy of an item (or of one occurrence of a series).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxItem {
    /// Its key.
    pub key: ExchangeKey,
    /// Its change key.
    pub version: Version,
    /// Its content.
    pub record: Record,
    /// When it was last changed, if the mailbox says.
    pub changed_at: Option<DateTime<Utc>>,
    /// The S/4 object named in maiconnect's extended property, if any.
    pub link_key: Option<S4Key>,
}

/// Which system an object was first created in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// S/4HANA.
    S4,
    /// Exchange.
    Exchange,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::S4 => "S/4HANA",
            Side::Exchange => "Exchange",
        })
    }
}

/// The state recorded at the last sync of a pair.
///
/// Each side's last seen content is kept separately: a side that cannot hold
/// a value exactly (S/4HANA cuts a long subject, Exchange drops an attendee
/// without an address) is compared with what it held, so a lossy copy never
/// reads as a change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// The mailbox.
    pub mailbox: Mailbox,
    /// The S/4 object.
    pub s4: S4Key,
    /// The mailbox item.
    pub exchange: ExchangeKey,
    /// S/4's version at the last sync.
    pub s4_version: Version,
    /// Exchange's version at the last sync.
    pub exchange_version: Version,
    /// What S/4HANA held at the last sync.
    pub s4_seen: Record,
    /// What Exchange held at the last sync. Our own write coming back with a
    /// new change key holds the same content and is recognised as an echo.
    pub exchange_seen: Record,
    /// Where the object was created first.
    pub origin: Side,
}

impl Link {
    /// The kind of object linked.
    pub fn kind(&self) -> ObjectKind {
        self.s4.kind()
    }
}

/// Everything the planner knows of one pair.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Pair {
    /// S/4's copy; `None` when it does not exist (deleted, or never created).
    pub s4: Option<S4Item>,
    /// The mailbox's copy; `None` when it does not exist.
    pub exchange: Option<MailboxItem>,
    /// The state of the last sync; `None` when the pair was never linked.
    pub link: Option<Link>,
}

impl Pair {
    /// The kind of object, from whichever part is present.
    pub fn kind(&self) -> Option<ObjectKind> {
        self.link
            .as_ref()
            .map(Link::kind)
            .or_else(|| self.s4.as_ref().map(|s| s.key.kind()))
            .or_else(|| self.exchange.as_ref().map(|e| e.record.kind()))
    }
}
