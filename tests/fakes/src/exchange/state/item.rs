//! Items as EWS sees them: the property elements a client sent (already
//! schema-valid), extended properties, file attachments, and for recurring
//! masters the occurrences that were changed or deleted on their own.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::exchange::xml::Element;

/// The EWS item types the fake stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ItemKind {
    /// `t:CalendarItem` (IPM.Appointment).
    CalendarItem,
    /// `t:Task` (IPM.Task).
    Task,
    /// `t:Contact` (IPM.Contact).
    Contact,
    /// `t:Item` (any other item class).
    Item,
}

impl ItemKind {
    /// The element name.
    pub fn element(self) -> &'static str {
        match self {
            ItemKind::CalendarItem => "CalendarItem",
            ItemKind::Task => "Task",
            ItemKind::Contact => "Contact",
            ItemKind::Item => "Item",
        }
    }

    /// From an element name.
    pub fn from_element(name: &str) -> Option<ItemKind> {
        Some(match name {
            "CalendarItem" => ItemKind::CalendarItem,
            "Task" => ItemKind::Task,
            "Contact" => ItemKind::Contact,
            "Item" => ItemKind::Item,
            _ => return None,
        })
    }

    /// The default `ItemClass`.
    pub fn item_class(self) -> &'static str {
        match self {
            ItemKind::CalendarItem => "IPM.Appointment",
            ItemKind::Task => "IPM.Task",
            ItemKind::Contact => "IPM.Contact",
            ItemKind::Item => "IPM.Note",
        }
    }
}

/// Which extended property (`t:ExtendedFieldURI`), normalised so that the
/// same property named two ways matches.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ExtKey {
    /// `DistinguishedPropertySetId` or the lower-case `PropertySetId` GUID.
    pub set: Option<String>,
    /// `PropertyTag` as a number.
    pub tag: Option<u32>,
    /// `PropertyName`.
    pub name: Option<String>,
    /// `PropertyId`.
    pub id: Option<u32>,
}

impl ExtKey {
    /// Reads the identity of an `ExtendedFieldURI` element.
    pub fn from_uri(uri: &Element) -> Option<ExtKey> {
        let set = uri
            .attr("DistinguishedPropertySetId")
            .map(str::to_string)
            .or_else(|| uri.attr("PropertySetId").map(|g| g.to_ascii_lowercase()));
        let tag = uri.attr("PropertyTag").and_then(parse_number);
        let name = uri.attr("PropertyName").map(str::to_string);
        let id = uri.attr("PropertyId").and_then(parse_number);
        if tag.is_none() && set.is_none() {
            return None;
        }
        Some(ExtKey { set, tag, name, id })
    }
}

fn parse_number(s: &str) -> Option<u32> {
    let s = s.trim();
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

/// One stored extended property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtendedValue {
    /// Its identity.
    pub key: ExtKey,
    /// The `ExtendedFieldURI` as the client sent it (returned as is).
    pub uri: Element,
    /// The value(s).
    pub values: Vec<String>,
    /// Sent as `Values` (multi-valued) rather than `Value`.
    pub multi: bool,
}

/// A file attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileAttachment {
    /// `AttachmentId`.
    pub id: String,
    /// `Name`.
    pub name: String,
    /// `ContentType`.
    pub content_type: Option<String>,
    /// `ContentId`.
    pub content_id: Option<String>,
    /// `IsInline`.
    pub is_inline: bool,
    /// The bytes, base64 as on the wire.
    pub content: String,
    /// Decoded size in bytes.
    pub size: usize,
    /// When it was attached.
    pub last_modified: DateTime<Utc>,
}

/// An occurrence changed on its own (an exception).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OccurrenceException {
    /// Its own change key.
    pub change_key: String,
    /// Properties that differ from the master (Start/End when moved).
    pub props: BTreeMap<String, Element>,
    /// Where the pattern put it.
    pub original_start: DateTime<Utc>,
}

/// One version step: the change key reached and the properties changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    /// The change key of this version.
    pub change_key: String,
    /// Properties changed to reach it (element names; `ExtendedProperty`
    /// for any extended property).
    pub changed: Vec<String>,
}

/// A stored item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredItem {
    /// `ItemId/@Id`.
    pub id: String,
    /// `ItemId/@ChangeKey` (the newest in `history`).
    pub change_key: String,
    /// Its type.
    pub kind: ItemKind,
    /// The folder it is in.
    pub folder_id: String,
    /// Property elements by local name (types namespace, schema-valid).
    pub props: BTreeMap<String, Element>,
    /// Extended properties.
    pub extended: Vec<ExtendedValue>,
    /// File attachments.
    pub attachments: Vec<FileAttachment>,
    /// `DateTimeCreated`.
    pub created: DateTime<Utc>,
    /// `LastModifiedTime`.
    pub modified: DateTime<Utc>,
    /// Change number at creation (for SyncFolderItems: Create vs Update).
    pub created_seq: u64,
    /// Change number of the last change.
    pub changed_seq: u64,
    /// Versions, oldest first (for conflict detection under AutoResolve).
    pub history: Vec<Version>,
    /// IANA zone of the series / all-day dates.
    pub zone: String,
    /// Exceptions by `InstanceIndex`.
    #[serde(default)]
    pub exceptions: BTreeMap<u32, OccurrenceException>,
    /// Deleted occurrences by `InstanceIndex`.
    #[serde(default)]
    pub deleted_occurrences: BTreeSet<u32>,
}

impl StoredItem {
    /// The text of a stored property.
    pub fn text(&self, name: &str) -> Option<String> {
        self.props.get(name).map(Element::text)
    }

    /// Whether it is a recurring calendar master.
    pub fn is_recurring_master(&self) -> bool {
        self.kind == ItemKind::CalendarItem && self.props.contains_key("Recurrence")
    }

    /// The extended property with this identity.
    pub fn extended(&self, key: &ExtKey) -> Option<&ExtendedValue> {
        self.extended.iter().find(|e| &e.key == key)
    }

    /// Records a new version with a fresh change key.
    pub fn bump(&mut self, change_key: String, changed: Vec<String>, now: DateTime<Utc>, seq: u64) {
        self.change_key = change_key.clone();
        self.history.push(Version {
            change_key,
            changed,
        });
        // Old versions beyond this many cannot be told apart from unknown
        // ones any more: a client that far behind gets a conflict.
        if self.history.len() > 64 {
            self.history.remove(0);
        }
        self.modified = now;
        self.changed_seq = seq;
    }

    /// The properties changed since `change_key`; `None` when that change
    /// key is unknown.
    pub fn changed_since(&self, change_key: &str) -> Option<BTreeSet<String>> {
        let pos = self
            .history
            .iter()
            .position(|v| v.change_key == change_key)?;
        Some(
            self.history[pos + 1..]
                .iter()
                .flat_map(|v| v.changed.iter().cloned())
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extended_keys_match_however_they_are_spelled() {
        let a = Element::t("ExtendedFieldURI")
            .with_attr("PropertyTag", "0x3A45")
            .with_attr("PropertyType", "String");
        let b = Element::t("ExtendedFieldURI")
            .with_attr("PropertyTag", "14917")
            .with_attr("PropertyType", "String");
        assert_eq!(ExtKey::from_uri(&a), ExtKey::from_uri(&b));
        let g = Element::t("ExtendedFieldURI")
            .with_attr("PropertySetId", "C11FF724-AA03-4555-9952-8FA248A11C3E")
            .with_attr("PropertyName", "x");
        assert_eq!(
            ExtKey::from_uri(&g).unwrap().set.as_deref(),
            Some("c11ff724-aa03-4555-9952-8fa248a11c3e")
        );
        assert_eq!(ExtKey::from_uri(&Element::t("ExtendedFieldURI")), None);
    }
}
