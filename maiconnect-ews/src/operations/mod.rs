//! The EWS operations, one file each, sans I/O: a request type that writes
//! its SOAP body, tied by [`Operation`] to the parser of its response.

mod create_attachment;
mod create_folder;
mod create_item;
mod delete_attachment;
mod delete_item;
mod find_folder;
mod find_item;
mod get_attachment;
mod get_events;
mod get_folder;
mod get_item;
mod subscribe;
mod sync_folder_items;
mod unsubscribe;
mod update_item;

use maiconnect_core::ids::shorten;
use maiconnect_core::model::Zone;

pub use create_attachment::{AttachmentRef, CreateAttachment, NewFile};
pub use create_folder::CreateFolder;
pub use create_item::{CreateItem, SendInvitations};
pub use delete_attachment::DeleteAttachment;
pub use delete_item::{DeleteItem, DeleteType};
pub use find_folder::FindFolder;
pub use find_item::{FindItem, FindItemPage, FoundItem, View};
pub use get_attachment::{FileContent, GetAttachment};
pub use get_events::GetEvents;
pub use get_folder::{FolderInfo, GetFolder};
pub use get_item::GetItem;
pub use subscribe::{EVENT_TYPES, Subscribe, SubscribeResult};
pub use sync_folder_items::{SyncChange, SyncFolderItems, SyncPage};
pub use unsubscribe::Unsubscribe;
pub use update_item::{ConflictResolution, ItemChange, UpdateItem};

use crate::error::EwsError;
use crate::mapping::PropertyPath;
use crate::soap::{Headers, envelope, parse_envelope};
use crate::xml::{Doc, Node, XmlWriter};

/// What a response is parsed for: whose mailbox (for messages) and the
/// zone to assume where an item names none.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The mailbox's SMTP address.
    pub mailbox: &'a str,
    /// The zone of items that name none.
    pub default_zone: Zone,
}

impl<'a> Context<'a> {
    /// A context for `mailbox` in UTC.
    pub fn new(mailbox: &'a str) -> Context<'a> {
        Context {
            mailbox,
            default_zone: Zone::UTC,
        }
    }

    /// "GetItem for anna@example.com".
    pub fn describe(&self, op: &str) -> String {
        if self.mailbox.is_empty() {
            op.to_owned()
        } else {
            format!("{op} for {}", self.mailbox)
        }
    }

    /// "GetItem of AAMkAD…AAA= for anna@example.com".
    pub fn describe_item(&self, op: &str, id: &str) -> String {
        if self.mailbox.is_empty() {
            format!("{op} of {}", shorten(id))
        } else {
            format!("{op} of {} for {}", shorten(id), self.mailbox)
        }
    }
}

/// An EWS operation: a request and the parser of its response.
pub trait Operation {
    /// The request element's name (`GetItem`), also the SOAPAction suffix.
    const NAME: &'static str;
    /// What the response means.
    type Response;

    /// Writes the request element (the first child of `soap:Body`).
    fn write_body(&self, w: &mut XmlWriter);

    /// Reads the response element (`GetItemResponse`).
    fn parse_body(&self, body: Node<'_, '_>, cx: &Context<'_>) -> Result<Self::Response, EwsError>;

    /// The whole request envelope.
    fn envelope(&self, headers: &Headers) -> Vec<u8> {
        envelope(headers, |w| self.write_body(w))
    }

    /// Parses a whole response document; SOAP faults become errors.
    fn parse_response(&self, bytes: &[u8], cx: &Context<'_>) -> Result<Self::Response, EwsError> {
        let doc = Doc::parse(bytes)?;
        let env = parse_envelope(&doc, &cx.describe(Self::NAME), cx.mailbox)?;
        self.parse_body(env.body, cx)
    }
}

/// A reference to an item, an occurrence of a series, or the series of an
/// occurrence.
///
/// See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/occurrenceitemid>
/// and <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/recurringmasteritemid>.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemRef {
    /// `t:ItemId`.
    Item {
        /// `Id`.
        id: String,
        /// `ChangeKey`, when the write must fail on a stale version.
        change_key: Option<String>,
    },
    /// `t:OccurrenceItemId`: occurrence `index` (from 1) of a series.
    Occurrence {
        /// The master's id.
        master_id: String,
        /// `ChangeKey` of the occurrence, if known.
        change_key: Option<String>,
        /// `InstanceIndex`.
        index: u32,
    },
    /// `t:RecurringMasterItemId`: the series an occurrence belongs to.
    Master {
        /// The occurrence's id.
        occurrence_id: String,
    },
}

impl ItemRef {
    /// An item by id only.
    pub fn id(id: &str) -> ItemRef {
        ItemRef::Item {
            id: id.to_owned(),
            change_key: None,
        }
    }

    /// The id this reference is written with (for messages).
    pub fn id_text(&self) -> &str {
        match self {
            ItemRef::Item { id, .. } => id,
            ItemRef::Occurrence { master_id, .. } => master_id,
            ItemRef::Master { occurrence_id } => occurrence_id,
        }
    }

    /// Writes the reference element.
    pub fn write(&self, w: &mut XmlWriter) {
        match self {
            ItemRef::Item { id, change_key } => match change_key {
                Some(ck) => w.empty("t:ItemId", &[("Id", id), ("ChangeKey", ck)]),
                None => w.empty("t:ItemId", &[("Id", id)]),
            },
            ItemRef::Occurrence {
                master_id,
                change_key,
                index,
            } => {
                let index = index.to_string();
                match change_key {
                    Some(ck) => w.empty(
                        "t:OccurrenceItemId",
                        &[
                            ("RecurringMasterId", master_id),
                            ("ChangeKey", ck),
                            ("InstanceIndex", &index),
                        ],
                    ),
                    None => w.empty(
                        "t:OccurrenceItemId",
                        &[("RecurringMasterId", master_id), ("InstanceIndex", &index)],
                    ),
                }
            }
            ItemRef::Master { occurrence_id } => w.empty(
                "t:RecurringMasterItemId",
                &[("OccurrenceId", occurrence_id)],
            ),
        };
    }
}

/// A distinguished folder (`DistinguishedFolderIdNameType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Distinguished {
    /// `calendar`.
    Calendar,
    /// `tasks`.
    Tasks,
    /// `contacts`.
    Contacts,
    /// `msgfolderroot`.
    MsgFolderRoot,
}

impl Distinguished {
    /// The id as the wire spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Distinguished::Calendar => "calendar",
            Distinguished::Tasks => "tasks",
            Distinguished::Contacts => "contacts",
            Distinguished::MsgFolderRoot => "msgfolderroot",
        }
    }
}

/// A reference to a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FolderRef {
    /// `t:DistinguishedFolderId`, of the impersonated mailbox.
    Distinguished(Distinguished),
    /// `t:FolderId`.
    Id(String),
}

impl FolderRef {
    /// Writes the reference element.
    pub fn write(&self, w: &mut XmlWriter) {
        match self {
            FolderRef::Distinguished(d) => {
                w.empty("t:DistinguishedFolderId", &[("Id", d.as_str())])
            }
            FolderRef::Id(id) => w.empty("t:FolderId", &[("Id", id)]),
        };
    }
}

/// What GetItem, FindItem and SyncFolderItems return of each item.
///
/// See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/itemshape>.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemShape {
    /// `BaseShape`: `IdOnly`, `Default` or `AllProperties`.
    pub base: &'static str,
    /// `BodyType`: `Text`, `HTML`, `Best`, or none.
    pub body_type: Option<&'static str>,
    /// `AdditionalProperties`.
    pub additional: Vec<PropertyPath>,
}

impl ItemShape {
    /// Ids only.
    pub fn id_only() -> ItemShape {
        ItemShape {
            base: "IdOnly",
            body_type: None,
            additional: Vec::new(),
        }
    }

    /// Ids and the listed properties, bodies as text.
    pub fn with(additional: Vec<PropertyPath>) -> ItemShape {
        ItemShape {
            base: "IdOnly",
            body_type: Some("Text"),
            additional,
        }
    }

    /// Writes the shape element `name` (`m:ItemShape`).
    pub fn write(&self, w: &mut XmlWriter, name: &str) {
        w.open(name, &[]).leaf("t:BaseShape", self.base);
        if let Some(b) = self.body_type {
            w.leaf("t:BodyType", b);
        }
        if !self.additional.is_empty() {
            w.open("t:AdditionalProperties", &[]);
            for p in &self.additional {
                p.write(w);
            }
            w.close("t:AdditionalProperties");
        }
        w.close(name);
    }
}

/// The id and change key of an `ItemId`-like element.
pub(crate) fn id_pair(n: Node<'_, '_>) -> Option<(String, String)> {
    Some((
        n.attr("Id")?.into_owned(),
        n.attr("ChangeKey").unwrap_or_default().into_owned(),
    ))
}

/// Checks a per-item batch: one result per request entry.
pub(crate) fn expect_count(op: &str, got: usize, asked: usize) -> Result<(), EwsError> {
    if got == asked {
        Ok(())
    } else {
        Err(EwsError::Unexpected(format!(
            "{op} answered {got} response messages for {asked} requested items"
        )))
    }
}

/// The element holding an item in a response message (`Items`'s first
/// child).
pub(crate) fn first_item<'d, 'a>(msg: Node<'d, 'a>) -> Option<Node<'d, 'a>> {
    msg.child("Items").and_then(|i| i.first_child())
}
