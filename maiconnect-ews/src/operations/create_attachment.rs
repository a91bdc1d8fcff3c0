//! CreateAttachment: attach files to an item.
//!
//! See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/createattachment-operation>.

use base64::Engine;

use super::{Context, ItemRef, Operation, expect_count};
use crate::error::EwsError;
use crate::soap::response_messages;
use crate::xml::{Node, XmlWriter};

/// A file to attach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    /// File name.
    pub name: String,
    /// MIME type.
    pub content_type: String,
    /// The bytes.
    pub content: Vec<u8>,
}

/// Attaches files to one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateAttachment {
    /// `ParentItemId` (an `ItemRef::Item`).
    pub parent: ItemRef,
    /// The files.
    pub files: Vec<NewFile>,
}

/// A created attachment: its id and the parent item's new change key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentRef {
    /// `AttachmentId/@Id`.
    pub id: String,
    /// `RootItemId`.
    pub root_id: String,
    /// `RootItemChangeKey`: the parent's new version.
    pub root_change_key: String,
}

impl Operation for CreateAttachment {
    const NAME: &'static str = "CreateAttachment";
    /// One result per file.
    type Response = Vec<Result<AttachmentRef, EwsError>>;

    fn write_body(&self, w: &mut XmlWriter) {
        w.open("m:CreateAttachment", &[]);
        let (id, ck) = match &self.parent {
            ItemRef::Item { id, change_key } => (id.as_str(), change_key.as_deref()),
            other => (other.id_text(), None),
        };
        match ck {
            Some(ck) => w.empty("m:ParentItemId", &[("Id", id), ("ChangeKey", ck)]),
            None => w.empty("m:ParentItemId", &[("Id", id)]),
        };
        w.open("m:Attachments", &[]);
        let b64 = base64::engine::general_purpose::STANDARD;
        for f in &self.files {
            w.open("t:FileAttachment", &[])
                .leaf("t:Name", &f.name)
                .leaf("t:ContentType", &f.content_type)
                .leaf("t:Content", &b64.encode(&f.content))
                .close("t:FileAttachment");
        }
        w.close("m:Attachments").close("m:CreateAttachment");
    }

    fn parse_body(&self, body: Node<'_, '_>, cx: &Context<'_>) -> Result<Self::Response, EwsError> {
        let msgs = response_messages(body, "CreateAttachmentResponse")?;
        if !self.files.is_empty() {
            expect_count(Self::NAME, msgs.len(), self.files.len())?;
        }
        Ok(msgs
            .iter()
            .map(|m| {
                let what = cx.describe_item(Self::NAME, self.parent.id_text());
                let node = m.ok(&what, cx.mailbox)?;
                let id = node
                    .child("Attachments")
                    .and_then(|a| a.first_child())
                    .and_then(|a| a.child("AttachmentId"))
                    .ok_or_else(|| EwsError::Unexpected(format!("{what}: no AttachmentId")))?;
                let attr = |n: &str| id.attr(n).map(|v| v.into_owned()).unwrap_or_default();
                Ok(AttachmentRef {
                    id: attr("Id"),
                    root_id: attr("RootItemId"),
                    root_change_key: attr("RootItemChangeKey"),
                })
            })
            .collect())
    }
}
