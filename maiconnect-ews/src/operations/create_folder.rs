//! CreateFolder: create the contacts subfolder maiconnect writes into.
//!
//! See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/createfolder-operation>.

use super::get_folder::read_folder;
use super::{Context, FolderInfo, FolderRef, Operation};
use crate::error::EwsError;
use crate::soap::response_messages;
use crate::xml::{Node, XmlWriter};

/// Creates a contacts folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateFolder {
    /// The parent.
    pub parent: FolderRef,
    /// `DisplayName`.
    pub display_name: String,
}

impl Operation for CreateFolder {
    const NAME: &'static str = "CreateFolder";
    type Response = FolderInfo;

    fn write_body(&self, w: &mut XmlWriter) {
        w.open("m:CreateFolder", &[]).open("m:ParentFolderId", &[]);
        self.parent.write(w);
        w.close("m:ParentFolderId")
            .open("m:Folders", &[])
            .open("t:ContactsFolder", &[])
            .leaf("t:DisplayName", &self.display_name)
            .close("t:ContactsFolder")
            .close("m:Folders")
            .close("m:CreateFolder");
    }

    fn parse_body(&self, body: Node<'_, '_>, cx: &Context<'_>) -> Result<FolderInfo, EwsError> {
        let msgs = response_messages(body, "CreateFolderResponse")?;
        let msg = msgs.first().ok_or_else(|| {
            EwsError::Unexpected("CreateFolder answered no response message".into())
        })?;
        let what = format!("{} {:?}", cx.describe(Self::NAME), self.display_name);
        let node = msg.ok(&what, cx.mailbox)?;
        node.child("Folders")
            .and_then(|f| f.first_child())
            .and_then(read_folder)
            .ok_or_else(|| EwsError::Unexpected(format!("{what}: no FolderId returned")))
    }
}
