//! DeleteItem: hard and soft deletes, moves to Deleted Items, deleted
//! occurrences.
//!
//! Reference: <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/deleteitem-operation>.

use super::Ctx;
use crate::exchange::soap::{EwsError, error_message, open_message, response_close, response_open};
use crate::exchange::state::{EventKind, ItemKind, ItemRef, Tombstone};
use crate::exchange::xml::Element;

/// DeleteItem.
pub fn delete_item(ctx: &mut Ctx<'_>, body: &Element) -> String {
    let move_to_deleted = body.attr("DeleteType") == Some("MoveToDeletedItems");
    let cancel = matches!(
        body.attr("SendMeetingCancellations"),
        Some("SendOnlyToAll" | "SendToAllAndSaveCopy")
    );
    let mut out = response_open("DeleteItem");
    for id in body.child("ItemIds").into_iter().flat_map(|i| i.elements()) {
        let result = ctx.item_ref(id).and_then(|r| {
            let is_task = match &r {
                ItemRef::Item(i) => ctx.mb().items[i].kind == ItemKind::Task,
                ItemRef::Occurrence { .. } => false,
            };
            if is_task && body.attr("AffectedTaskOccurrences").is_none() {
                return Err(EwsError::new(
                    "ErrorRequiredPropertyMissing",
                    "AffectedTaskOccurrences is required when deleting a task.",
                ));
            }
            delete_one(ctx, r, move_to_deleted, cancel);
            Ok(())
        });
        match result {
            Ok(()) => {
                open_message(&mut out, "DeleteItemResponseMessage", Ok(()));
                out.push_str("</m:DeleteItemResponseMessage>");
            }
            Err(e) => error_message(&mut out, "DeleteItemResponseMessage", &e),
        }
    }
    out.push_str(&response_close("DeleteItem"));
    out
}

/// Deletes an item or an occurrence (also used by the control API).
pub fn delete_one(ctx: &mut Ctx<'_>, r: ItemRef, move_to_deleted: bool, cancel: bool) {
    match r {
        ItemRef::Item(id) => {
            if cancel {
                ctx.sent("Cancellation", &id);
            }
            let Some(mut item) = ctx.mb_mut().items.remove(&id) else {
                return;
            };
            let deleted_items = ctx.mb().distinguished("deleteditems").map(str::to_string);
            let old_folder = item.folder_id.clone();
            let created = item.created_seq;
            let seq = match (move_to_deleted, deleted_items) {
                (true, Some(dest)) if dest != old_folder => {
                    let new_id = ctx.world.ids().item();
                    let ck = ctx.world.ids().change_key();
                    let seq = ctx.event(
                        EventKind::Moved,
                        false,
                        &new_id,
                        &ck,
                        &dest,
                        Some(id.clone()),
                        Some(old_folder.clone()),
                    );
                    item.id = new_id.clone();
                    item.folder_id = dest;
                    item.created_seq = seq;
                    let now = ctx.world.now();
                    item.bump(ck, vec![], now, seq);
                    ctx.mb_mut().items.insert(new_id, item.clone());
                    seq
                }
                _ => {
                    let ck = item.change_key.clone();
                    ctx.item_event(EventKind::Deleted, &id, &ck, &old_folder)
                }
            };
            ctx.mb_mut().tombstones.push(Tombstone {
                folder_id: old_folder,
                item_id: id,
                created_seq: created,
                seq,
            });
        }
        ItemRef::Occurrence { master, index } => {
            let ck = ctx.world.ids().change_key();
            let now = ctx.world.now();
            let folder = ctx.mb().items[&master].folder_id.clone();
            let seq = ctx.item_event(EventKind::Modified, &master, &ck, &folder);
            if let Some(item) = ctx.mb_mut().items.get_mut(&master) {
                item.exceptions.remove(&index);
                item.deleted_occurrences.insert(index);
                item.bump(ck, vec!["DeletedOccurrences".into()], now, seq);
            }
        }
    }
}
