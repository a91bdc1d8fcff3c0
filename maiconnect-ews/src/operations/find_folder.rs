//! FindFolder: find a subfolder by display name.
//!
//! See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/findfolder-operation>.

use super::get_folder::{folder_shape, read_folder};
use super::{Context, FolderInfo, FolderRef, Operation};
use crate::error::EwsError;
use crate::soap::response_messages;
use crate::xml::{Node, XmlWriter};

/// Finds the direct subfolders of a folder, optionally by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindFolder {
    /// The parent.
    pub parent: FolderRef,
    /// Only folders with this `DisplayName`.
    pub display_name: Option<String>,
}

impl Operation for FindFolder {
    const NAME: &'static str = "FindFolder";
    type Response = Vec<FolderInfo>;

    fn write_body(&self, w: &mut XmlWriter) {
        w.open("m:FindFolder", &[("Traversal", "Shallow")]);
        folder_shape().write(w, "m:FolderShape");
        if let Some(name) = &self.display_name {
            w.open("m:Restriction", &[])
                .open("t:IsEqualTo", &[])
                .empty("t:FieldURI", &[("FieldURI", "folder:DisplayName")])
                .open("t:FieldURIOrConstant", &[])
                .empty("t:Constant", &[("Value", name)])
                .close("t:FieldURIOrConstant")
                .close("t:IsEqualTo")
                .close("m:Restriction");
        }
        w.open("m:ParentFolderIds", &[]);
        self.parent.write(w);
        w.close("m:ParentFolderIds").close("m:FindFolder");
    }

    fn parse_body(
        &self,
        body: Node<'_, '_>,
        cx: &Context<'_>,
    ) -> Result<Vec<FolderInfo>, EwsError> {
        let msgs = response_messages(body, "FindFolderResponse")?;
        let msg = msgs.first().ok_or_else(|| {
            EwsError::Unexpected("FindFolder answered no response message".into())
        })?;
        let node = msg.ok(&cx.describe(Self::NAME), cx.mailbox)?;
        Ok(node
            .path(&["RootFolder", "Folders"])
            .map(|f| f.children().filter_map(read_folder).collect())
            .unwrap_or_default())
    }
}
