//! GetFolder: check that folders exist and can be read.
//!
//! See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/getfolder-operation>.

use super::{Context, FolderRef, ItemShape, Operation, expect_count, id_pair};
use crate::error::EwsError;
use crate::mapping::PropertyPath;
use crate::soap::response_messages;
use crate::xml::{Node, XmlWriter};

/// A folder as GetFolder, FindFolder and CreateFolder return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderInfo {
    /// `FolderId/@Id`.
    pub id: String,
    /// `FolderId/@ChangeKey`.
    pub change_key: String,
    /// `DisplayName`, when returned.
    pub display_name: Option<String>,
}

pub(crate) fn folder_shape() -> ItemShape {
    ItemShape {
        base: "IdOnly",
        body_type: None,
        additional: vec![PropertyPath::Field("folder:DisplayName")],
    }
}

pub(crate) fn read_folder(f: Node<'_, '_>) -> Option<FolderInfo> {
    let (id, change_key) = id_pair(f.child("FolderId")?)?;
    Some(FolderInfo {
        id,
        change_key,
        display_name: f.child_text("DisplayName").map(str::to_owned),
    })
}

/// Reads folders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetFolder {
    /// The folders.
    pub folders: Vec<FolderRef>,
}

impl Operation for GetFolder {
    const NAME: &'static str = "GetFolder";
    /// One result per folder.
    type Response = Vec<Result<FolderInfo, EwsError>>;

    fn write_body(&self, w: &mut XmlWriter) {
        w.open("m:GetFolder", &[]);
        folder_shape().write(w, "m:FolderShape");
        w.open("m:FolderIds", &[]);
        for f in &self.folders {
            f.write(w);
        }
        w.close("m:FolderIds").close("m:GetFolder");
    }

    fn parse_body(&self, body: Node<'_, '_>, cx: &Context<'_>) -> Result<Self::Response, EwsError> {
        let msgs = response_messages(body, "GetFolderResponse")?;
        if !self.folders.is_empty() {
            expect_count(Self::NAME, msgs.len(), self.folders.len())?;
        }
        Ok(msgs
            .iter()
            .map(|m| {
                let what = cx.describe(Self::NAME);
                let node = m.ok(&what, cx.mailbox)?;
                node.child("Folders")
                    .and_then(|f| f.first_child())
                    .and_then(read_folder)
                    .ok_or_else(|| EwsError::Unexpected(format!("{what}: no folder returned")))
            })
            .collect())
    }
}
