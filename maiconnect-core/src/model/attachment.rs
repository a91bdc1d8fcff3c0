//! File attachments of appointments and tasks.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A file attached to an item.
///
/// The content is carried inline only while it is copied from one side to
/// the other; records that are read or stored carry a reference that the
/// side which owns the attachment understands.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Attachment {
    /// File name, such as `offer.pdf`.
    pub name: String,
    /// MIME type, such as `application/pdf`.
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
    /// The bytes, or where to get them.
    pub content: AttachmentContent,
}

/// The bytes of an attachment, or a reference to them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentContent {
    /// The bytes themselves.
    Inline(Vec<u8>),
    /// An id that the owning side resolves (EWS AttachmentId, an OData
    /// media link).
    Reference(String),
}

/// What identifies an attachment on both sides: name (case-insensitive) and
/// size. Neither system offers a content hash without downloading.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AttachmentKey {
    /// Lower-case file name.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
}

impl Attachment {
    /// The matching key.
    pub fn key(&self) -> AttachmentKey {
        AttachmentKey {
            name: self.name.to_lowercase(),
            size: self.size,
        }
    }
}

impl fmt::Display for Attachment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} bytes)", self.name, self.size)
    }
}
