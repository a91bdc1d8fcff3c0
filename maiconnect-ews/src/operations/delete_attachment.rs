//! DeleteAttachment: remove attachments.
//!
//! See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/deleteattachment-operation>.

use super::{Context, Operation, expect_count};
use crate::error::EwsError;
use crate::soap::response_messages;
use crate::xml::{Node, XmlWriter};

/// Removes attachments by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteAttachment {
    /// `AttachmentId/@Id`s.
    pub ids: Vec<String>,
}

impl Operation for DeleteAttachment {
    const NAME: &'static str = "DeleteAttachment";
    /// One result per id: the parent item's id and new change key.
    type Response = Vec<Result<(String, String), EwsError>>;

    fn write_body(&self, w: &mut XmlWriter) {
        w.open("m:DeleteAttachment", &[])
            .open("m:AttachmentIds", &[]);
        for id in &self.ids {
            w.empty("t:AttachmentId", &[("Id", id)]);
        }
        w.close("m:AttachmentIds").close("m:DeleteAttachment");
    }

    fn parse_body(&self, body: Node<'_, '_>, cx: &Context<'_>) -> Result<Self::Response, EwsError> {
        let msgs = response_messages(body, "DeleteAttachmentResponse")?;
        if !self.ids.is_empty() {
            expect_count(Self::NAME, msgs.len(), self.ids.len())?;
        }
        Ok(msgs
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let what = cx.describe_item(Self::NAME, self.ids.get(i).map_or("", |s| s));
                let node = m.ok(&what, cx.mailbox)?;
                let root = node
                    .child("RootItemId")
                    .ok_or_else(|| EwsError::Unexpected(format!("{what}: no RootItemId")))?;
                let attr = |n: &str| root.attr(n).map(|v| v.into_owned()).unwrap_or_default();
                Ok((attr("RootItemId"), attr("RootItemChangeKey")))
            })
            .collect())
    }
}
