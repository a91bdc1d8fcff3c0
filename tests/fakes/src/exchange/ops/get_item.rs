//! GetItem (batched; masters, occurrences and exceptions).
//!
//! Reference: <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/getitem-operation>.

use super::Ctx;
use crate::exchange::items::recurrence::occurrence_at;
use crate::exchange::items::render::{Shape, View, render};
use crate::exchange::soap::{error_message, open_message, response_close, response_open};
use crate::exchange::state::ItemRef;
use crate::exchange::xml::Element;

/// GetItem.
pub fn get_item(ctx: &mut Ctx<'_>, body: &Element) -> String {
    let shape = Shape::from_element(body.child("ItemShape"));
    let mut out = response_open("GetItem");
    for id in body.child("ItemIds").into_iter().flat_map(|f| f.elements()) {
        match ctx.item_ref(id) {
            Ok(r) => {
                let mb = ctx.mb();
                open_message(&mut out, "GetItemResponseMessage", Ok(()));
                out.push_str("<m:Items>");
                match r {
                    ItemRef::Item(id) => render(&mut out, &mb.items[&id], View::Item, &shape, mb),
                    ItemRef::Occurrence { master, index } => {
                        let item = &mb.items[&master];
                        if let Some(o) = occurrence_at(item, index) {
                            render(&mut out, item, View::Occurrence(&o), &shape, mb);
                        }
                    }
                }
                out.push_str("</m:Items></m:GetItemResponseMessage>");
            }
            Err(e) => error_message(&mut out, "GetItemResponseMessage", &e),
        }
    }
    out.push_str(&response_close("GetItem"));
    out
}
