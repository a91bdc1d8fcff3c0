//! SyncFolderItems: opaque sync states, paging, Create/Update/Delete.
//!
//! Reference: <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/syncfolderitems-operation>.

use super::Ctx;
use crate::exchange::items::render::{Shape, View, render};
use crate::exchange::soap::{EwsError, error_message, open_message, response_close, response_open};
use crate::exchange::state::ids::{parse_sync_state, sync_state};
use crate::exchange::xml::{Element, escape_attr, escape_text};

enum Change<'a> {
    Upsert(&'a crate::exchange::state::StoredItem, bool),
    Delete(&'a str),
}

/// SyncFolderItems.
pub fn sync_folder_items(ctx: &mut Ctx<'_>, body: &Element) -> String {
    let mut out = response_open("SyncFolderItems");
    match run(ctx, body) {
        Ok(xml) => {
            open_message(&mut out, "SyncFolderItemsResponseMessage", Ok(()));
            out.push_str(&xml);
            out.push_str("</m:SyncFolderItemsResponseMessage>");
        }
        Err(e) => error_message(&mut out, "SyncFolderItemsResponseMessage", &e),
    }
    out.push_str(&response_close("SyncFolderItems"));
    out
}

fn run(ctx: &Ctx<'_>, body: &Element) -> Result<String, EwsError> {
    let shape = Shape::from_element(body.child("ItemShape"));
    let folder_el = body
        .child("SyncFolderId")
        .and_then(|s| s.first_element())
        .ok_or_else(EwsError::folder_not_found)?;
    let folder = ctx.folder(folder_el)?;
    let since = match body.child_text("SyncState").filter(|s| !s.is_empty()) {
        None => 0,
        Some(s) => match parse_sync_state(&s) {
            Some((f, seq)) if f == folder => seq,
            _ => {
                return Err(EwsError::new(
                    "ErrorInvalidSyncStateData",
                    "Synchronization state data is corrupt or otherwise invalid.",
                ));
            }
        },
    };
    let max = body
        .child_text("MaxChangesReturned")
        .and_then(|m| m.parse::<usize>().ok())
        .unwrap_or(512)
        .max(1);
    let ignored: Vec<String> = body
        .child("Ignore")
        .into_iter()
        .flat_map(|i| i.elements())
        .filter_map(|i| i.attr("Id").map(str::to_string))
        .collect();
    let mb = ctx.mb();
    let mut changes: Vec<(u64, Change<'_>)> = mb
        .items
        .values()
        .filter(|i| i.folder_id == folder && i.changed_seq > since && !ignored.contains(&i.id))
        .map(|i| (i.changed_seq, Change::Upsert(i, i.created_seq > since)))
        .collect();
    changes.extend(
        mb.tombstones
            .iter()
            .filter(|t| t.folder_id == folder && t.seq > since && t.created_seq <= since)
            .map(|t| (t.seq, Change::Delete(t.item_id.as_str()))),
    );
    changes.sort_by_key(|(s, _)| *s);
    let complete = changes.len() <= max;
    let page = &changes[..changes.len().min(max)];
    let next = if complete {
        ctx.world.seq.max(since)
    } else {
        page.last().map_or(since, |(s, _)| *s)
    };
    let mut out = format!(
        "<m:SyncState>{}</m:SyncState><m:IncludesLastItemInRange>{complete}</m:IncludesLastItemInRange><m:Changes>",
        escape_text(&sync_state(&folder, next))
    );
    for (_, c) in page {
        match c {
            Change::Upsert(item, created) => {
                let tag = if *created { "Create" } else { "Update" };
                out.push_str(&format!("<t:{tag}>"));
                render(&mut out, item, View::Item, &shape, mb);
                out.push_str(&format!("</t:{tag}>"));
            }
            Change::Delete(id) => {
                out.push_str(&format!(
                    "<t:Delete><t:ItemId Id=\"{}\"/></t:Delete>",
                    escape_attr(id)
                ));
            }
        }
    }
    out.push_str("</m:Changes>");
    Ok(out)
}
