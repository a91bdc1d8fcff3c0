//! GetAttachment: the content of file attachments.
//!
//! See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/getattachment-operation>.

use base64::Engine;

use super::{Context, Operation, expect_count};
use crate::error::EwsError;
use crate::soap::response_messages;
use crate::xml::{Node, XmlWriter};

/// Reads attachments by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetAttachment {
    /// `AttachmentId/@Id`s.
    pub ids: Vec<String>,
}

/// A file attachment with its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileContent {
    /// File name.
    pub name: String,
    /// MIME type.
    pub content_type: String,
    /// The bytes.
    pub content: Vec<u8>,
}

impl Operation for GetAttachment {
    const NAME: &'static str = "GetAttachment";
    /// One result per id.
    type Response = Vec<Result<FileContent, EwsError>>;

    fn write_body(&self, w: &mut XmlWriter) {
        w.open("m:GetAttachment", &[]).open("m:AttachmentIds", &[]);
        for id in &self.ids {
            w.empty("t:AttachmentId", &[("Id", id)]);
        }
        w.close("m:AttachmentIds").close("m:GetAttachment");
    }

    fn parse_body(&self, body: Node<'_, '_>, cx: &Context<'_>) -> Result<Self::Response, EwsError> {
        let msgs = response_messages(body, "GetAttachmentResponse")?;
        if !self.ids.is_empty() {
            expect_count(Self::NAME, msgs.len(), self.ids.len())?;
        }
        Ok(msgs
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let what = cx.describe_item(Self::NAME, self.ids.get(i).map_or("", |s| s));
                let node = m.ok(&what, cx.mailbox)?;
                let file = node
                    .child("Attachments")
                    .and_then(|a| a.child("FileAttachment"))
                    .ok_or_else(|| {
                        EwsError::Unexpected(format!("{what}: not a file attachment"))
                    })?;
                let raw = file.child("Content").map(|c| c.raw_text()).unwrap_or("");
                let clean: String = raw.chars().filter(|c| !c.is_ascii_whitespace()).collect();
                let content = base64::engine::general_purpose::STANDARD
                    .decode(clean.as_bytes())
                    .map_err(|e| {
                        EwsError::Unexpected(format!("{what}: Content is not base64: {e}"))
                    })?;
                Ok(FileContent {
                    name: file.child_text("Name").unwrap_or("").to_owned(),
                    content_type: file.child_text("ContentType").unwrap_or("").to_owned(),
                    content,
                })
            })
            .collect())
    }
}
