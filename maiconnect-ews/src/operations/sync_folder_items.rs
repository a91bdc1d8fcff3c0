//! SyncFolderItems: the changes of a folder since a sync state.
//!
//! See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/syncfolderitems-operation>.

use super::{Context, FolderRef, ItemShape, Operation, id_pair};
use crate::error::EwsError;
use crate::soap::response_messages;
use crate::xml::{Node, XmlWriter};

/// Lists changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncFolderItems {
    /// What to return of created and updated items.
    pub shape: ItemShape,
    /// The folder.
    pub folder: FolderRef,
    /// Where the last call stopped; `None` for everything.
    pub sync_state: Option<String>,
    /// `MaxChangesReturned` (1 to 512).
    pub max: u32,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncChange {
    /// `Create`: a new item (id, change key).
    Create(String, String),
    /// `Update`: a changed item (id, change key).
    Update(String, String),
    /// `Delete`: a deleted item (id).
    Delete(String),
    /// `ReadFlagChange` (id).
    ReadFlag(String),
}

/// One page of changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncPage {
    /// The state to continue from.
    pub sync_state: String,
    /// `IncludesLastItemInRange`: no more changes wait.
    pub includes_last: bool,
    /// The changes, oldest first.
    pub changes: Vec<SyncChange>,
}

impl Operation for SyncFolderItems {
    const NAME: &'static str = "SyncFolderItems";
    type Response = SyncPage;

    fn write_body(&self, w: &mut XmlWriter) {
        w.open("m:SyncFolderItems", &[]);
        self.shape.write(w, "m:ItemShape");
        w.open("m:SyncFolderId", &[]);
        self.folder.write(w);
        w.close("m:SyncFolderId");
        if let Some(s) = &self.sync_state {
            w.leaf("m:SyncState", s);
        }
        w.leaf("m:MaxChangesReturned", &self.max.clamp(1, 512).to_string());
        w.close("m:SyncFolderItems");
    }

    fn parse_body(&self, body: Node<'_, '_>, cx: &Context<'_>) -> Result<SyncPage, EwsError> {
        let msgs = response_messages(body, "SyncFolderItemsResponse")?;
        let msg = msgs.first().ok_or_else(|| {
            EwsError::Unexpected("SyncFolderItems answered no response message".into())
        })?;
        let node = msg.ok(&cx.describe(Self::NAME), cx.mailbox)?;
        let sync_state = node.child_text("SyncState").unwrap_or("").to_owned();
        if sync_state.is_empty() {
            return Err(EwsError::Unexpected(format!(
                "{}: the response has no SyncState",
                cx.describe(Self::NAME)
            )));
        }
        let mut changes = Vec::new();
        if let Some(list) = node.child("Changes") {
            for c in list.children() {
                let item_id = c
                    .child("ItemId")
                    .or_else(|| c.first_child().and_then(|i| i.child("ItemId")));
                let Some((id, ck)) = item_id.and_then(id_pair) else {
                    continue;
                };
                changes.push(match c.name() {
                    "Create" => SyncChange::Create(id, ck),
                    "Update" => SyncChange::Update(id, ck),
                    "Delete" => SyncChange::Delete(id),
                    _ => SyncChange::ReadFlag(id),
                });
            }
        }
        Ok(SyncPage {
            sync_state,
            includes_last: node.child_text("IncludesLastItemInRange") != Some("false"),
            changes,
        })
    }
}
