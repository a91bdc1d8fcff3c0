//! Plans and their operations: plain data with a readable `Display`.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::{Mailbox, Version};
use crate::model::{ExchangeKey, ObjectKind, Record, S4Key};
use crate::plan::changes::Changes;
use crate::plan::fields::{Field, SyncRecord};
use crate::plan::state::{Pair, Side};

/// One step of a plan.
// Creates carry their whole record boxed: the other operations are small,
// and a plan's list of operations stays a small allocation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    /// Create the S/4 object's copy in the mailbox, tagged with its key.
    CreateInExchange {
        /// The content.
        record: Box<Record>,
        /// The S/4 key written into the item's extended property.
        link_key: S4Key,
    },
    /// Create an activity in S/4HANA from an Outlook item.
    CreateInS4 {
        /// The content.
        record: Box<Record>,
        /// The Outlook item it comes from.
        from: ExchangeKey,
    },
    /// Write some fields of the mailbox item.
    UpdateExchange {
        /// The item.
        key: ExchangeKey,
        /// Its change key as read.
        version: Version,
        /// The fields to write and their new values.
        changes: Changes,
    },
    /// Write some fields of the S/4 object.
    UpdateS4 {
        /// The object.
        key: S4Key,
        /// Its ETag as read.
        version: Version,
        /// The fields to write and their new values.
        changes: Changes,
    },
    /// Delete the mailbox item (no cancellations are sent).
    DeleteInExchange {
        /// The item.
        key: ExchangeKey,
    },
    /// Delete the S/4 object.
    DeleteInS4 {
        /// The object.
        key: S4Key,
        /// Its ETag as read.
        version: Version,
    },
    /// Tag the mailbox item with the key of the S/4 object just created
    /// from it, so that the link can be rebuilt from the mailbox.
    TagExchange {
        /// The item.
        key: ExchangeKey,
    },
    /// Record the synchronised state: both copies as read, or as written
    /// by the plan's updates.
    SaveLink {
        /// Where the object was created first (kept from the link when
        /// there is one).
        origin: Side,
    },
    /// Forget the link; both copies stay as they are.
    Unlink,
}

impl Operation {
    /// Whether the operation writes to one of the systems (as opposed to
    /// the state store).
    pub fn is_write(&self) -> bool {
        !matches!(self, Operation::SaveLink { .. } | Operation::Unlink)
    }
    /// Whether the operation deletes something.
    pub fn is_delete(&self) -> bool {
        matches!(
            self,
            Operation::DeleteInExchange { .. } | Operation::DeleteInS4 { .. }
        )
    }
    /// The side it writes to, if any.
    pub fn side(&self) -> Option<Side> {
        match self {
            Operation::CreateInExchange { .. }
            | Operation::UpdateExchange { .. }
            | Operation::DeleteInExchange { .. }
            | Operation::TagExchange { .. } => Some(Side::Exchange),
            Operation::CreateInS4 { .. }
            | Operation::UpdateS4 { .. }
            | Operation::DeleteInS4 { .. } => Some(Side::S4),
            Operation::SaveLink { .. } | Operation::Unlink => None,
        }
    }
    /// A short name, for metrics and the audit journal.
    pub fn name(&self) -> &'static str {
        match self {
            Operation::CreateInExchange { .. } => "create_in_exchange",
            Operation::CreateInS4 { .. } => "create_in_s4",
            Operation::UpdateExchange { .. } => "update_exchange",
            Operation::UpdateS4 { .. } => "update_s4",
            Operation::DeleteInExchange { .. } => "delete_in_exchange",
            Operation::DeleteInS4 { .. } => "delete_in_s4",
            Operation::TagExchange { .. } => "tag_exchange",
            Operation::SaveLink { .. } => "save_link",
            Operation::Unlink => "unlink",
        }
    }
}

/// Renders one field of any record.
pub fn show_field(record: &Record, field: Field) -> String {
    match record {
        Record::Appointment(a) => a.show(field),
        Record::Task(t) => t.show(field),
        Record::Contact(c) => c.show(field),
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operation::CreateInExchange { record, link_key } => {
                write!(
                    f,
                    "create in Exchange: {} {} (for {link_key})",
                    record.kind(),
                    record.summary()
                )
            }
            Operation::CreateInS4 { record, from } => {
                write!(
                    f,
                    "create in S/4HANA: {} {} (from {from})",
                    record.kind(),
                    record.summary()
                )
            }
            Operation::UpdateExchange { key, changes, .. } => {
                write!(f, "update Exchange {key}: {changes}")
            }
            Operation::UpdateS4 { key, changes, .. } => {
                write!(f, "update S/4HANA {key}: {changes}")
            }
            Operation::DeleteInExchange { key } => write!(f, "delete in Exchange {key}"),
            Operation::DeleteInS4 { key, .. } => write!(f, "delete in S/4HANA {key}"),
            Operation::TagExchange { key } => write!(f, "tag Exchange {key} with its S/4 key"),
            Operation::SaveLink { .. } => f.write_str("record the synchronised state"),
            Operation::Unlink => f.write_str("unlink (both copies stay)"),
        }
    }
}

/// Why a plan does what it does: mostly fixed texts, some with values.
pub type Reason = std::borrow::Cow<'static, str>;

/// What to do with one pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The mailbox.
    pub mailbox: Mailbox,
    /// The kind of object.
    pub kind: ObjectKind,
    /// The S/4 object, if known.
    pub s4: Option<S4Key>,
    /// The mailbox item, if known.
    pub exchange: Option<ExchangeKey>,
    /// The steps, in order.
    pub ops: Vec<Operation>,
    /// Why: filter decisions and conflict resolutions, for dry runs and the
    /// audit journal.
    pub reasons: Vec<Reason>,
}

impl Plan {
    /// A plan for `pair` that does nothing yet.
    pub fn empty(mailbox: Mailbox, kind: ObjectKind, pair: &Pair) -> Plan {
        Plan {
            mailbox,
            kind,
            s4: pair
                .s4
                .as_ref()
                .map(|s| &s.key)
                .or(pair.link.as_ref().map(|l| &l.s4))
                .cloned(),
            exchange: pair
                .exchange
                .as_ref()
                .map(|e| &e.key)
                .or(pair.link.as_ref().map(|l| &l.exchange))
                .cloned(),
            ops: Vec::new(),
            reasons: Vec::new(),
        }
    }
    /// Whether the plan writes to either system.
    pub fn writes(&self) -> bool {
        self.ops.iter().any(Operation::is_write)
    }
    /// Whether there is nothing to do at all.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
    /// The S/4 key of the pair, if known.
    pub fn s4_key(&self) -> Option<&S4Key> {
        self.s4.as_ref()
    }
    /// The mailbox item key of the pair, if known.
    pub fn exchange_key(&self) -> Option<&ExchangeKey> {
        self.exchange.as_ref()
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.mailbox, self.kind)?;
        if let Some(k) = self.s4_key() {
            write!(f, " {k}")?;
        }
        if let Some(k) = self.exchange_key() {
            write!(f, " ↔ {k}")?;
        }
        if self.ops.is_empty() {
            f.write_str(": nothing to do")?;
        }
        for op in &self.ops {
            write!(f, "\n  - {op}")?;
        }
        for r in &self.reasons {
            write!(f, "\n    because {r}")?;
        }
        Ok(())
    }
}
