//! CreateItem: create calendar items, tasks and contacts, tagged with our
//! key, without sending invitations unless configured.
//!
//! See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/createitem-operation>.

use maiconnect_core::model::{Record, S4Key, Zone};

use super::{Context, FolderRef, Operation, expect_count, first_item, id_pair};
use crate::error::EwsError;
use crate::mapping::write_item;
use crate::soap::response_messages;
use crate::xml::{Node, XmlWriter};

/// `SendMeetingInvitations` (`CalendarItemCreateOrDeleteOperationType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SendInvitations {
    /// `SendToNone`: the attendees learn nothing (the default: S/4HANA
    /// is not the organizer's mail client).
    #[default]
    SendToNone,
    /// `SendOnlyToAll`.
    SendOnlyToAll,
    /// `SendToAllAndSaveCopy`.
    SendToAllAndSaveCopy,
}

impl SendInvitations {
    /// The value as the wire spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            SendInvitations::SendToNone => "SendToNone",
            SendInvitations::SendOnlyToAll => "SendOnlyToAll",
            SendInvitations::SendToAllAndSaveCopy => "SendToAllAndSaveCopy",
        }
    }
}

/// Creates items in one folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateItem {
    /// `SavedItemFolderId`.
    pub folder: FolderRef,
    /// The records, each with the key to tag it with.
    pub items: Vec<(Record, Option<S4Key>)>,
    /// Whether attendees get invitations.
    pub send: SendInvitations,
    /// The zone all-day appointments are written in.
    pub all_day_zone: Zone,
}

impl Operation for CreateItem {
    const NAME: &'static str = "CreateItem";
    /// One result per record: the new item's id and change key.
    type Response = Vec<Result<(String, String), EwsError>>;

    fn write_body(&self, w: &mut XmlWriter) {
        w.open(
            "m:CreateItem",
            &[("SendMeetingInvitations", self.send.as_str())],
        );
        w.open("m:SavedItemFolderId", &[]);
        self.folder.write(w);
        w.close("m:SavedItemFolderId").open("m:Items", &[]);
        for (record, key) in &self.items {
            write_item(w, record, key.as_ref(), self.all_day_zone);
        }
        w.close("m:Items").close("m:CreateItem");
    }

    fn parse_body(&self, body: Node<'_, '_>, cx: &Context<'_>) -> Result<Self::Response, EwsError> {
        let msgs = response_messages(body, "CreateItemResponse")?;
        if !self.items.is_empty() {
            expect_count(Self::NAME, msgs.len(), self.items.len())?;
        }
        Ok(msgs
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let what = match self.items.get(i) {
                    Some((r, _)) => format!("{} of {}", Self::NAME, r.summary()),
                    None => Self::NAME.to_owned(),
                };
                let what = if cx.mailbox.is_empty() {
                    what
                } else {
                    format!("{what} for {}", cx.mailbox)
                };
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
