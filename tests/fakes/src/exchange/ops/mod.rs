//! The EWS operations, one file each, over the locked [`World`].
//!
//! Each operation reads its request element and returns its response
//! element (`<m:{Op}Response>`), one response message per requested item so
//! that one bad item in a batch fails alone.

mod attachments;
mod create_item;
mod delete_item;
mod find_item;
mod folders;
mod get_item;
mod subscribe;
mod sync;
mod update_item;

use maiconnect_core::model::Zone;

use super::config::FakeExchangeConfig;
use super::items::recurrence::occurrence_at;
use super::soap::EwsError;
use super::state::ids::{is_folder_id, parse_item_id};
use super::state::{EventKind, ItemRef, MailEvent, Mailbox, SentMessage, World};
use super::xml::Element;

pub use subscribe::new_subscription_watermark;

/// What an operation works with.
pub struct Ctx<'a> {
    /// The state (locked).
    pub world: &'a mut World,
    /// The mailbox the request acts on (lower-case key).
    pub mailbox: String,
    /// The account making the request (for subscriptions).
    pub account: String,
    /// `TimeZoneContext` of the request.
    pub tz: Option<Zone>,
    /// Server settings.
    pub config: &'a FakeExchangeConfig,
}

impl Ctx<'_> {
    /// The target mailbox.
    pub fn mb(&self) -> &Mailbox {
        // The request pipeline resolved the mailbox before dispatching.
        &self.world.mailboxes[&self.mailbox]
    }

    /// The target mailbox, mutable.
    pub fn mb_mut(&mut self) -> &mut Mailbox {
        self.world
            .mailboxes
            .get_mut(&self.mailbox)
            .expect("resolved before dispatch")
    }

    /// Records an item event in the target mailbox; returns its number.
    pub fn item_event(&mut self, kind: EventKind, id: &str, ck: &str, parent: &str) -> u64 {
        self.event(kind, false, id, ck, parent, None, None)
    }

    /// Records an event.
    #[allow(clippy::too_many_arguments)]
    pub fn event(
        &mut self,
        kind: EventKind,
        is_folder: bool,
        id: &str,
        ck: &str,
        parent: &str,
        old_id: Option<String>,
        old_parent: Option<String>,
    ) -> u64 {
        let mailbox = self.mailbox.clone();
        self.world.record_event(
            &mailbox,
            MailEvent {
                seq: 0,
                at: self.world.now(),
                kind,
                is_folder,
                id: (id.to_string(), ck.to_string()),
                parent: parent.to_string(),
                old_id,
                old_parent,
            },
        )
    }

    /// Notes a meeting message "sent" for an item.
    pub fn sent(&mut self, kind: &str, item_id: &str) {
        let Some(item) = self.mb().items.get(item_id) else {
            return;
        };
        let to = ["RequiredAttendees", "OptionalAttendees", "Resources"]
            .iter()
            .filter_map(|n| item.props.get(*n))
            .flat_map(|l| l.elements())
            .filter_map(|a| a.path(&["Mailbox", "EmailAddress"]).map(Element::text))
            .collect::<Vec<_>>();
        if to.is_empty() {
            return;
        }
        let msg = SentMessage {
            mailbox: self.mailbox.clone(),
            kind: kind.into(),
            item_id: item_id.into(),
            subject: item.text("Subject").unwrap_or_default(),
            to,
            at: self.world.now(),
        };
        self.world.messages.push(msg);
    }

    /// Resolves a `FolderId` / `DistinguishedFolderId` in the target mailbox.
    pub fn folder(&self, el: &Element) -> Result<String, EwsError> {
        let mb = self.mb();
        match el.name.as_str() {
            "DistinguishedFolderId" => {
                let name = el.attr("Id").unwrap_or_default();
                mb.distinguished(name)
                    .map(str::to_string)
                    .ok_or_else(EwsError::folder_not_found)
            }
            "FolderId" => {
                let id = el.attr("Id").unwrap_or_default();
                if !is_folder_id(id) {
                    return Err(EwsError::id_malformed());
                }
                if mb.folders.contains_key(id) {
                    Ok(id.to_string())
                } else {
                    Err(EwsError::folder_not_found())
                }
            }
            _ => Err(EwsError::new(
                "ErrorInvalidRequest",
                format!("{} is not a folder id the fake Exchange supports.", el.name),
            )),
        }
    }

    /// Resolves an item id element (`ItemId`, `OccurrenceItemId`,
    /// `RecurringMasterItemId`) to a stored item or an occurrence of one.
    pub fn item_ref(&self, el: &Element) -> Result<ItemRef, EwsError> {
        let r = match el.name.as_str() {
            "ItemId" => parse_item_id(el.attr("Id").unwrap_or_default())
                .ok_or_else(EwsError::id_malformed)?,
            "OccurrenceItemId" => {
                let master = el.attr("RecurringMasterId").unwrap_or_default();
                let Some(ItemRef::Item(master)) = parse_item_id(master) else {
                    return Err(EwsError::id_malformed());
                };
                let index = el
                    .attr("InstanceIndex")
                    .and_then(|i| i.parse().ok())
                    .ok_or_else(EwsError::id_malformed)?;
                ItemRef::Occurrence { master, index }
            }
            "RecurringMasterItemId" => {
                let occ = el.attr("OccurrenceId").unwrap_or_default();
                match parse_item_id(occ).ok_or_else(EwsError::id_malformed)? {
                    ItemRef::Occurrence { master, .. } => ItemRef::Item(master),
                    ItemRef::Item(id) => {
                        let item = self
                            .mb()
                            .items
                            .get(&id)
                            .ok_or_else(EwsError::item_not_found)?;
                        if !item.is_recurring_master() {
                            return Err(EwsError::new(
                                "ErrorItemIsNotRecurringMaster",
                                "The item is not a recurring master or an occurrence.",
                            ));
                        }
                        ItemRef::Item(id)
                    }
                }
            }
            other => {
                return Err(EwsError::new(
                    "ErrorInvalidRequest",
                    format!("{other} is not an item id the fake Exchange supports."),
                ));
            }
        };
        match &r {
            ItemRef::Item(id) => {
                if !self.mb().items.contains_key(id) {
                    return Err(EwsError::item_not_found());
                }
            }
            ItemRef::Occurrence { master, index } => {
                let item = self
                    .mb()
                    .items
                    .get(master)
                    .ok_or_else(EwsError::item_not_found)?;
                if !item.is_recurring_master() || occurrence_at(item, *index).is_none() {
                    return Err(EwsError::new(
                        "ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange",
                        "The occurrence index is out of the recurrence range.",
                    ));
                }
                if item.deleted_occurrences.contains(index) {
                    return Err(EwsError::new(
                        "ErrorCalendarOccurrenceIsDeletedFromRecurrence",
                        "The occurrence was deleted from the recurrence.",
                    ));
                }
            }
        }
        Ok(r)
    }
}

/// Runs operation `op` on `body`; `None` for an operation the fake does
/// not implement.
pub fn dispatch(ctx: &mut Ctx<'_>, op: &str, body: &Element) -> Option<String> {
    Some(match op {
        "GetFolder" => folders::get_folder(ctx, body),
        "FindFolder" => folders::find_folder(ctx, body),
        "CreateFolder" => folders::create_folder(ctx, body),
        "FindItem" => find_item::find_item(ctx, body),
        "GetItem" => get_item::get_item(ctx, body),
        "CreateItem" => create_item::create_item(ctx, body),
        "UpdateItem" => update_item::update_item(ctx, body),
        "DeleteItem" => delete_item::delete_item(ctx, body),
        "SyncFolderItems" => sync::sync_folder_items(ctx, body),
        "Subscribe" => subscribe::subscribe(ctx, body),
        "Unsubscribe" => subscribe::unsubscribe(ctx, body),
        "GetEvents" => subscribe::get_events(ctx, body),
        "CreateAttachment" => attachments::create_attachment(ctx, body),
        "GetAttachment" => attachments::get_attachment(ctx, body),
        "DeleteAttachment" => attachments::delete_attachment(ctx, body),
        _ => return None,
    })
}

/// How many response messages a request expects (items or ids listed), so
/// that an injected error answers each of them.
pub fn batch_size(body: &Element) -> usize {
    let lists = [
        "ItemIds",
        "Items",
        "FolderIds",
        "AttachmentIds",
        "Attachments",
        "ItemChanges",
        "Folders",
        "ParentFolderIds",
    ];
    lists
        .iter()
        .find_map(|l| body.child(l).map(|e| e.elements().count()))
        .unwrap_or(1)
        .max(1)
}

/// Writes `<m:Items>` with the `ItemId` of a stored item.
pub fn item_id_only(out: &mut String, kind: &str, id: &str, ck: &str) {
    out.push_str(&format!(
        "<m:Items><t:{kind}><t:ItemId Id=\"{id}\" ChangeKey=\"{ck}\"/></t:{kind}></m:Items>"
    ));
}
