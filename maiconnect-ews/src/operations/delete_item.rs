//! DeleteItem: delete items or occurrences without sending cancellations.
//!
//! See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/deleteitem-operation>.

use super::{Context, ItemRef, Operation, expect_count};
use crate::error::EwsError;
use crate::soap::response_messages;
use crate::xml::{Node, XmlWriter};

/// `DeleteType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeleteType {
    /// `HardDelete`: gone for good.
    HardDelete,
    /// `SoftDelete`: to the dumpster.
    SoftDelete,
    /// `MoveToDeletedItems`: the user can restore it (the default).
    #[default]
    MoveToDeletedItems,
}

impl DeleteType {
    /// The value as the wire spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            DeleteType::HardDelete => "HardDelete",
            DeleteType::SoftDelete => "SoftDelete",
            DeleteType::MoveToDeletedItems => "MoveToDeletedItems",
        }
    }
}

/// Deletes items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteItem {
    /// How.
    pub delete_type: DeleteType,
    /// `AffectedTaskOccurrences`: `AllOccurrences` or
    /// `SpecifiedOccurrenceOnly`.
    pub task_occurrences: &'static str,
    /// The items.
    pub ids: Vec<ItemRef>,
}

impl DeleteItem {
    /// Deletes `ids` the default way.
    pub fn new(ids: Vec<ItemRef>) -> DeleteItem {
        DeleteItem {
            delete_type: DeleteType::default(),
            task_occurrences: "AllOccurrences",
            ids,
        }
    }
}

impl Operation for DeleteItem {
    const NAME: &'static str = "DeleteItem";
    /// One result per id.
    type Response = Vec<Result<(), EwsError>>;

    fn write_body(&self, w: &mut XmlWriter) {
        w.open(
            "m:DeleteItem",
            &[
                ("DeleteType", self.delete_type.as_str()),
                ("SendMeetingCancellations", "SendToNone"),
                ("AffectedTaskOccurrences", self.task_occurrences),
            ],
        );
        w.open("m:ItemIds", &[]);
        for id in &self.ids {
            id.write(w);
        }
        w.close("m:ItemIds").close("m:DeleteItem");
    }

    fn parse_body(&self, body: Node<'_, '_>, cx: &Context<'_>) -> Result<Self::Response, EwsError> {
        let msgs = response_messages(body, "DeleteItemResponse")?;
        if !self.ids.is_empty() {
            expect_count(Self::NAME, msgs.len(), self.ids.len())?;
        }
        Ok(msgs
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let id = self.ids.get(i).map_or("", |r| r.id_text());
                m.ok(&cx.describe_item(Self::NAME, id), cx.mailbox)
                    .map(|_| ())
            })
            .collect())
    }
}
