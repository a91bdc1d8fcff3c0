//! GetItem: read items by id, with every mapped field.
//!
//! See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/getitem-operation>.

use super::{Context, ItemRef, ItemShape, Operation, expect_count, first_item};
use crate::error::EwsError;
use crate::mapping::{ReadItem, read_item};
use crate::soap::response_messages;
use crate::xml::{Node, XmlWriter};

/// Reads a batch of items; each id answers on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetItem {
    /// What to return of each item.
    pub shape: ItemShape,
    /// The items.
    pub ids: Vec<ItemRef>,
}

impl Operation for GetItem {
    const NAME: &'static str = "GetItem";
    /// One result per id, in order; a missing item is an error with
    /// `ErrorItemNotFound`.
    type Response = Vec<Result<ReadItem, EwsError>>;

    fn write_body(&self, w: &mut XmlWriter) {
        w.open("m:GetItem", &[]);
        self.shape.write(w, "m:ItemShape");
        w.open("m:ItemIds", &[]);
        for id in &self.ids {
            id.write(w);
        }
        w.close("m:ItemIds").close("m:GetItem");
    }

    fn parse_body(&self, body: Node<'_, '_>, cx: &Context<'_>) -> Result<Self::Response, EwsError> {
        let msgs = response_messages(body, "GetItemResponse")?;
        if !self.ids.is_empty() {
            expect_count(Self::NAME, msgs.len(), self.ids.len())?;
        }
        Ok(msgs
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let id = self.ids.get(i).map_or("", |r| r.id_text());
                let node = m.ok_with(|| cx.describe_item(Self::NAME, id), cx.mailbox)?;
                let item = first_item(node).ok_or_else(|| {
                    EwsError::Unexpected(format!(
                        "{}: the response message holds no item",
                        cx.describe_item(Self::NAME, id)
                    ))
                })?;
                read_item(item, cx.default_zone)
            })
            .collect())
    }
}
