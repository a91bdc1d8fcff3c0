//! UpdateItem: write only the changed properties of items, guarded by
//! their change key, without sending updates to attendees.
//!
//! See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/updateitem-operation>.

use super::{Context, ItemRef, Operation, expect_count, first_item, id_pair};
use crate::error::EwsError;
use crate::mapping::Update;
use crate::soap::response_messages;
use crate::xml::{Node, XmlWriter};

/// `ConflictResolution`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConflictResolution {
    /// `NeverOverwrite`: a stale change key fails the write (the default:
    /// the planner re-reads and merges).
    #[default]
    NeverOverwrite,
    /// `AutoResolve`.
    AutoResolve,
    /// `AlwaysOverwrite`.
    AlwaysOverwrite,
}

impl ConflictResolution {
    /// The value as the wire spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictResolution::NeverOverwrite => "NeverOverwrite",
            ConflictResolution::AutoResolve => "AutoResolve",
            ConflictResolution::AlwaysOverwrite => "AlwaysOverwrite",
        }
    }
}

/// The changes of one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemChange {
    /// The item (with its change key) or occurrence.
    pub item: ItemRef,
    /// What to change.
    pub updates: Vec<Update>,
}

/// Updates items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateItem {
    /// How to treat stale change keys.
    pub conflict: ConflictResolution,
    /// `SendMeetingInvitationsOrCancellations`.
    pub send: &'static str,
    /// The changes.
    pub changes: Vec<ItemChange>,
}

impl UpdateItem {
    /// Updates that notify nobody.
    pub fn new(conflict: ConflictResolution, changes: Vec<ItemChange>) -> UpdateItem {
        UpdateItem {
            conflict,
            send: "SendToNone",
            changes,
        }
    }
}

impl Operation for UpdateItem {
    const NAME: &'static str = "UpdateItem";
    /// One result per change: the item's id and new change key.
    type Response = Vec<Result<(String, String), EwsError>>;

    fn write_body(&self, w: &mut XmlWriter) {
        w.open(
            "m:UpdateItem",
            &[
                ("ConflictResolution", self.conflict.as_str()),
                ("SendMeetingInvitationsOrCancellations", self.send),
            ],
        );
        w.open("m:ItemChanges", &[]);
        for change in &self.changes {
            w.open("t:ItemChange", &[]);
            change.item.write(w);
            w.open("t:Updates", &[]);
            for u in &change.updates {
                match u {
                    Update::Set { path, item } => {
                        w.open("t:SetItemField", &[]);
                        path.write(w);
                        w.raw(std::str::from_utf8(item).unwrap_or(""));
                        w.close("t:SetItemField");
                    }
                    Update::Append { path, item } => {
                        w.open("t:AppendToItemField", &[]);
                        path.write(w);
                        w.raw(std::str::from_utf8(item).unwrap_or(""));
                        w.close("t:AppendToItemField");
                    }
                    Update::Delete { path } => {
                        w.open("t:DeleteItemField", &[]);
                        path.write(w);
                        w.close("t:DeleteItemField");
                    }
                }
            }
            w.close("t:Updates").close("t:ItemChange");
        }
        w.close("m:ItemChanges").close("m:UpdateItem");
    }

    fn parse_body(&self, body: Node<'_, '_>, cx: &Context<'_>) -> Result<Self::Response, EwsError> {
        let msgs = response_messages(body, "UpdateItemResponse")?;
        if !self.changes.is_empty() {
            expect_count(Self::NAME, msgs.len(), self.changes.len())?;
        }
        Ok(msgs
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let id = self.changes.get(i).map_or("", |c| c.item.id_text());
                let what = cx.describe_item(Self::NAME, id);
                let node = m.ok(&what, cx.mailbox)?;
                first_item(node)
                    .and_then(|item| item.child("ItemId"))
                    .and_then(id_pair)
                    .ok_or_else(|| {
                        EwsError::Unexpected(format!("{what}: no ItemId in the response"))
                    })
            })
            .collect())
    }
}
