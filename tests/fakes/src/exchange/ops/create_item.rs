//! CreateItem (calendar items, tasks, contacts; batched).
//!
//! Reference: <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/createitem-operation>.

use std::collections::BTreeMap;

use super::{Ctx, item_id_only};
use crate::exchange::items::parse::{NewAttachment, NewItem, new_item};
use crate::exchange::soap::{EwsError, error_message, open_message, response_close, response_open};
use crate::exchange::state::item::Version;
use crate::exchange::state::{EventKind, FileAttachment, ItemKind, StoredItem};
use crate::exchange::xml::Element;

/// CreateItem.
pub fn create_item(ctx: &mut Ctx<'_>, body: &Element) -> String {
    let mut out = response_open("CreateItem");
    let saved = body
        .child("SavedItemFolderId")
        .and_then(|s| s.first_element())
        .map(|f| ctx.folder(f));
    let invite = matches!(
        body.attr("SendMeetingInvitations"),
        Some("SendOnlyToAll" | "SendToAllAndSaveCopy")
    );
    for el in body.child("Items").into_iter().flat_map(|i| i.elements()) {
        let result = new_item(el, ctx.tz).and_then(|new| {
            let folder = match &saved {
                Some(Ok(f)) => f.clone(),
                Some(Err(e)) => return Err(e.clone()),
                None => default_folder(ctx, new.kind)?,
            };
            Ok(store_new(ctx, new, &folder))
        });
        match result {
            Ok((id, ck, kind)) => {
                if invite && kind == ItemKind::CalendarItem {
                    ctx.sent("Invitation", &id);
                }
                open_message(&mut out, "CreateItemResponseMessage", Ok(()));
                item_id_only(&mut out, kind.element(), &id, &ck);
                out.push_str("</m:CreateItemResponseMessage>");
            }
            Err(e) => error_message(&mut out, "CreateItemResponseMessage", &e),
        }
    }
    out.push_str(&response_close("CreateItem"));
    out
}

/// The folder an item of `kind` goes to when no `SavedItemFolderId` is given.
pub fn default_folder(ctx: &Ctx<'_>, kind: ItemKind) -> Result<String, EwsError> {
    let name = match kind {
        ItemKind::CalendarItem => "calendar",
        ItemKind::Task => "tasks",
        ItemKind::Contact => "contacts",
        ItemKind::Item => "inbox",
    };
    ctx.mb()
        .distinguished(name)
        .map(str::to_string)
        .ok_or_else(EwsError::folder_not_found)
}

/// Stores a new item in `folder` and records its `CreatedEvent`.
pub fn store_new(ctx: &mut Ctx<'_>, new: NewItem, folder: &str) -> (String, String, ItemKind) {
    let id = ctx.world.ids().item();
    let ck = ctx.world.ids().change_key();
    let now = ctx.world.now();
    let mut props = new.props;
    if new.kind == ItemKind::CalendarItem && !props.contains_key("UID") {
        let uid = ctx.world.ids().guid();
        props.insert("UID".into(), Element::t_text("UID", uid));
    }
    let attachments = new
        .attachments
        .into_iter()
        .map(|a| attachment(ctx, &id, a))
        .collect();
    let seq = ctx.item_event(EventKind::Created, &id, &ck, folder);
    let item = StoredItem {
        id: id.clone(),
        change_key: ck.clone(),
        kind: new.kind,
        folder_id: folder.to_string(),
        props,
        extended: new.extended,
        attachments,
        created: now,
        modified: now,
        created_seq: seq,
        changed_seq: seq,
        history: vec![Version {
            change_key: ck.clone(),
            changed: vec![],
        }],
        zone: new.zone.to_string(),
        exceptions: BTreeMap::new(),
        deleted_occurrences: Default::default(),
    };
    let kind = item.kind;
    ctx.mb_mut().items.insert(id.clone(), item);
    (id, ck, kind)
}

/// A stored attachment for a new one.
pub fn attachment(ctx: &mut Ctx<'_>, item_id: &str, a: NewAttachment) -> FileAttachment {
    FileAttachment {
        id: ctx.world.ids().attachment(item_id),
        name: a.name,
        content_type: a.content_type,
        content_id: a.content_id,
        is_inline: a.is_inline,
        content: a.content,
        size: a.size,
        last_modified: ctx.world.now(),
    }
}
