//! The mailbox port: one user's calendar, tasks and contacts.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::PortError;
use crate::ids::{ItemId, Mailbox, Version};
use crate::model::{Attachment, ExchangeKey, Folder, Record, S4Key};
use crate::plan::fields::Field;
use crate::plan::state::MailboxItem;

/// Where a listing of changes stopped: an EWS sync state, a Graph delta link.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ChangeCursor(pub String);

/// A position in a subscription's event stream: an EWS watermark.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Watermark(pub String);

/// The id of a subscription at the server.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SubscriptionId(pub String);

/// One change in a folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum MailboxChange {
    /// Created or changed; read it to see how.
    Upserted {
        /// The item.
        id: ItemId,
        /// Its version, when the listing gives it.
        version: Option<Version>,
    },
    /// Deleted (or moved out of the folder).
    Deleted {
        /// The item.
        id: ItemId,
    },
}

/// One page of changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangePage {
    /// The changes, oldest first.
    pub changes: Vec<MailboxChange>,
    /// Where to continue.
    pub cursor: ChangeCursor,
    /// Whether more changes wait after this page.
    pub more: bool,
}

/// A push subscription as the server created it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    /// The server's id.
    pub id: SubscriptionId,
    /// Where its stream starts.
    pub watermark: Option<Watermark>,
}

/// The mailboxes of one Exchange environment.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait MailboxPort: Send + Sync {
    /// Reads items by id; a missing item reads as `None`, a failing one as
    /// its own error, so that one bad item does not fail the batch.
    async fn get(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        ids: &[ItemId],
    ) -> Result<Vec<Result<Option<MailboxItem>, PortError>>, PortError>;

    /// The items of a folder that overlap `[from, to)` (calendar: recurring
    /// series come as their master with its recurrence), for the initial
    /// sync and resyncs.
    async fn list(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<MailboxItem>, PortError>;

    /// The items that carry `link_key` in maiconnect's extended property.
    async fn find_linked(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        link_key: &S4Key,
    ) -> Result<Vec<MailboxItem>, PortError>;

    /// The changes since `cursor` (from the start when `None`).
    async fn changes<'a>(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        cursor: Option<&'a ChangeCursor>,
        max: u32,
    ) -> Result<ChangePage, PortError>;

    /// Creates an item (without attachments), tagged with `link_key` when
    /// given. Returns its key and version.
    async fn create<'a>(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        record: &Record,
        link_key: Option<&'a S4Key>,
    ) -> Result<(ExchangeKey, Version), PortError>;

    /// Writes `fields` of `record` if the item still has `version`. Returns
    /// the new version.
    async fn update(
        &self,
        mailbox: &Mailbox,
        key: &ExchangeKey,
        version: &Version,
        fields: &[Field],
        record: &Record,
    ) -> Result<Version, PortError>;

    /// Writes `link_key` into the item's extended property. Returns the new
    /// version.
    async fn tag(
        &self,
        mailbox: &Mailbox,
        key: &ExchangeKey,
        link_key: &S4Key,
    ) -> Result<Version, PortError>;

    /// Deletes an item (an occurrence: just that occurrence) without sending
    /// cancellations; deleting an item that is gone succeeds.
    async fn delete(&self, mailbox: &Mailbox, key: &ExchangeKey) -> Result<(), PortError>;

    /// The bytes of an attachment.
    async fn attachment_content(
        &self,
        mailbox: &Mailbox,
        attachment: &Attachment,
    ) -> Result<Vec<u8>, PortError>;

    /// Adds an attachment with inline content; returns it with its
    /// reference and the item's new version.
    async fn add_attachment(
        &self,
        mailbox: &Mailbox,
        key: &ExchangeKey,
        attachment: &Attachment,
    ) -> Result<(Attachment, Version), PortError>;

    /// Removes an attachment; returns the item's new version.
    async fn remove_attachment(
        &self,
        mailbox: &Mailbox,
        key: &ExchangeKey,
        attachment: &Attachment,
    ) -> Result<Version, PortError>;

    /// Subscribes to changes in `folders`, delivered to `callback_url`,
    /// with a status event at least every `status_frequency_minutes`;
    /// resumes from `watermark` when given.
    async fn subscribe<'a>(
        &self,
        mailbox: &Mailbox,
        folders: &[Folder],
        callback_url: &str,
        status_frequency_minutes: u32,
        watermark: Option<&'a Watermark>,
    ) -> Result<Subscription, PortError>;

    /// Ends a subscription.
    async fn unsubscribe(&self, mailbox: &Mailbox, id: &SubscriptionId) -> Result<(), PortError>;
}
