//! The mailbox port over EWS: each port call as EWS operations.

use std::collections::HashSet;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use maiconnect_core::PortError;
use maiconnect_core::ids::{ItemId, Mailbox, Version};
use maiconnect_core::model::{Attachment, AttachmentContent, ExchangeKey, Folder, Record, S4Key};
use maiconnect_core::plan::{Field, MailboxItem};
use maiconnect_core::ports::{
    ChangeCursor, ChangePage, MailboxChange, MailboxPort, Subscription, SubscriptionId, Watermark,
};

use super::mailbox::{EwsMailboxes, is_code, unexpected};
use crate::error::EwsError;
use crate::mapping::{ExtendedField, ReadItem, field_updates, tag_update};
use crate::operations::{
    ConflictResolution, CreateAttachment, DeleteAttachment, DeleteItem, EVENT_TYPES, GetAttachment,
    ItemRef, ItemShape, NewFile, Subscribe, SyncChange, SyncFolderItems, Unsubscribe,
};
use crate::response_code::ResponseCode;

fn to_item(r: ReadItem) -> MailboxItem {
    r.item
}

#[async_trait]
impl MailboxPort for EwsMailboxes {
    async fn get(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        ids: &[ItemId],
    ) -> Result<Vec<Result<Option<MailboxItem>, PortError>>, PortError> {
        let refs = ids.iter().map(|i| ItemRef::id(i.as_str())).collect();
        let got = self.read(mailbox, folder, refs).await?;
        Ok(got
            .into_iter()
            .map(|r| match r {
                Ok(item) => Ok(Some(to_item(item))),
                Err(e) if is_code(&e, &[ResponseCode::ErrorItemNotFound]) => Ok(None),
                Err(e) => Err(e.into()),
            })
            .collect())
    }

    async fn list(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<MailboxItem>, PortError> {
        let refs = match folder {
            Folder::Calendar => self.calendar_window(mailbox, from, to).await?,
            _ => {
                let f = self.folder(mailbox, folder).await?;
                self.all_ids(mailbox, f, None).await?
            }
        };
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for r in self.read(mailbox, folder, refs).await? {
            let item = match r {
                Ok(i) => i.item,
                // Deleted between listing and reading.
                Err(e) if is_code(&e, &[ResponseCode::ErrorItemNotFound]) => continue,
                Err(e) => return Err(e.into()),
            };
            if !seen.insert(item.key.item.clone()) {
                continue;
            }
            let keep = match &item.record {
                Record::Task(t) => t.due_date.is_none_or(|d| {
                    maiconnect_core::model::When::all_day(d, 1).overlaps(
                        from,
                        to,
                        maiconnect_core::model::Zone::UTC,
                    )
                }),
                _ => true,
            };
            if keep {
                out.push(item);
            }
        }
        Ok(out)
    }

    async fn find_linked(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        link_key: &S4Key,
    ) -> Result<Vec<MailboxItem>, PortError> {
        let f = self.folder(mailbox, folder).await?;
        let refs = self
            .all_ids(mailbox, f, Some((ExtendedField::KEY, link_key.to_string())))
            .await?;
        let mut out = Vec::new();
        for r in self.read(mailbox, folder, refs).await? {
            match r {
                Ok(i) => out.push(i.item),
                Err(e) if is_code(&e, &[ResponseCode::ErrorItemNotFound]) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(out)
    }

    async fn changes<'a>(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        cursor: Option<&'a ChangeCursor>,
        max: u32,
    ) -> Result<ChangePage, PortError> {
        let op = SyncFolderItems {
            shape: ItemShape::id_only(),
            folder: self.folder(mailbox, folder).await?,
            sync_state: cursor.map(|c| c.0.clone()),
            max,
        };
        let page = self.client.call(mailbox.as_str(), &op).await?;
        let mut changes = Vec::with_capacity(page.changes.len());
        for c in page.changes {
            changes.push(match c {
                SyncChange::Create(id, ck) | SyncChange::Update(id, ck) => {
                    MailboxChange::Upserted {
                        id: id.parse().map_err(|e| unexpected(e, "SyncFolderItems"))?,
                        version: ck.parse().ok(),
                    }
                }
                SyncChange::Delete(id) => MailboxChange::Deleted {
                    id: id.parse().map_err(|e| unexpected(e, "SyncFolderItems"))?,
                },
                SyncChange::ReadFlag(_) => continue,
            });
        }
        Ok(ChangePage {
            changes,
            cursor: ChangeCursor(page.sync_state),
            more: !page.includes_last,
        })
    }

    async fn create<'a>(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        record: &Record,
        link_key: Option<&'a S4Key>,
    ) -> Result<(ExchangeKey, Version), PortError> {
        if record.kind() != folder.kind() {
            return Err(EwsError::Mapping(format!(
                "a {} cannot be created in the {folder} folder of {mailbox}",
                record.kind()
            ))
            .into());
        }
        let mut op = self.client.create_item(self.folder(mailbox, folder).await?);
        op.items.push((record.clone(), link_key.cloned()));
        let (id, ck) = self.client.call_one(mailbox.as_str(), &op).await?;
        Ok((
            ExchangeKey::item(id.parse().map_err(|e| unexpected(e, "CreateItem"))?),
            ck.parse().map_err(|e| unexpected(e, "CreateItem"))?,
        ))
    }

    async fn update(
        &self,
        mailbox: &Mailbox,
        key: &ExchangeKey,
        version: &Version,
        fields: &[Field],
        record: &Record,
    ) -> Result<Version, PortError> {
        let updates = field_updates(
            record,
            fields,
            self.client.config().time_zone,
            key.is_occurrence(),
        );
        if updates.is_empty() {
            // Only attachments (written separately) or nothing at all.
            return Ok(version.clone());
        }
        let Some(item) = self.item_ref(mailbox, key, Some(version)).await? else {
            return Err(Self::missing(key, mailbox));
        };
        let conflict = if key.is_occurrence() {
            ConflictResolution::AutoResolve
        } else {
            ConflictResolution::NeverOverwrite
        };
        Ok(self.write(mailbox, item, conflict, updates).await?)
    }

    async fn tag(
        &self,
        mailbox: &Mailbox,
        key: &ExchangeKey,
        link_key: &S4Key,
    ) -> Result<Version, PortError> {
        let Some(item) = self.item_ref(mailbox, key, None).await? else {
            return Err(Self::missing(key, mailbox));
        };
        Ok(self
            .write(
                mailbox,
                item,
                ConflictResolution::AlwaysOverwrite,
                vec![tag_update(link_key)],
            )
            .await?)
    }

    async fn delete(&self, mailbox: &Mailbox, key: &ExchangeKey) -> Result<(), PortError> {
        let Some(item) = self.item_ref(mailbox, key, None).await? else {
            return Ok(());
        };
        let mut op = DeleteItem::new(vec![item]);
        op.delete_type = self.client.config().delete_type;
        if key.is_occurrence() {
            op.task_occurrences = "SpecifiedOccurrenceOnly";
        }
        for r in self.client.call(mailbox.as_str(), &op).await? {
            match r {
                Ok(()) => {}
                Err(e) if is_code(&e, &[ResponseCode::ErrorItemNotFound]) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    async fn attachment_content(
        &self,
        mailbox: &Mailbox,
        attachment: &Attachment,
    ) -> Result<Vec<u8>, PortError> {
        let id = match &attachment.content {
            AttachmentContent::Inline(bytes) => return Ok(bytes.clone()),
            AttachmentContent::Reference(id) => id.clone(),
        };
        let op = GetAttachment { ids: vec![id] };
        let file = self.client.call_one(mailbox.as_str(), &op).await?;
        Ok(file.content)
    }

    async fn add_attachment(
        &self,
        mailbox: &Mailbox,
        key: &ExchangeKey,
        attachment: &Attachment,
    ) -> Result<(Attachment, Version), PortError> {
        let AttachmentContent::Inline(bytes) = &attachment.content else {
            return Err(EwsError::Mapping(format!(
                "attachment {attachment} for {mailbox} has no content to upload; read it from its owner first"
            ))
            .into());
        };
        let op = CreateAttachment {
            parent: ItemRef::id(key.item.as_str()),
            files: vec![NewFile {
                name: attachment.name.clone(),
                content_type: attachment.content_type.clone(),
                content: bytes.clone(),
            }],
        };
        let r = self.client.call_one(mailbox.as_str(), &op).await?;
        let version = r
            .root_change_key
            .parse()
            .map_err(|e| unexpected(e, "CreateAttachment RootItemChangeKey"))?;
        Ok((
            Attachment {
                name: attachment.name.clone(),
                content_type: attachment.content_type.clone(),
                size: bytes.len() as u64,
                content: AttachmentContent::Reference(r.id),
            },
            version,
        ))
    }

    async fn remove_attachment(
        &self,
        mailbox: &Mailbox,
        key: &ExchangeKey,
        attachment: &Attachment,
    ) -> Result<Version, PortError> {
        let AttachmentContent::Reference(id) = &attachment.content else {
            return Err(EwsError::Mapping(format!(
                "attachment {attachment} of item {key} in {mailbox} has no EWS AttachmentId"
            ))
            .into());
        };
        let op = DeleteAttachment {
            ids: vec![id.clone()],
        };
        let (_, ck) = self.client.call_one(mailbox.as_str(), &op).await?;
        Ok(ck
            .parse()
            .map_err(|e| unexpected(e, "DeleteAttachment RootItemChangeKey"))?)
    }

    async fn subscribe<'a>(
        &self,
        mailbox: &Mailbox,
        folders: &[Folder],
        callback_url: &str,
        status_frequency_minutes: u32,
        watermark: Option<&'a Watermark>,
    ) -> Result<Subscription, PortError> {
        let mut refs = Vec::new();
        for f in folders {
            refs.push(self.folder(mailbox, *f).await?);
        }
        let op = Subscribe {
            folders: refs,
            events: EVENT_TYPES.to_vec(),
            watermark: watermark.map(|w| w.0.clone()),
            status_frequency: status_frequency_minutes,
            url: callback_url.to_owned(),
        };
        let r = self.client.call(mailbox.as_str(), &op).await?;
        Ok(Subscription {
            id: SubscriptionId(r.id),
            watermark: r.watermark.map(Watermark),
        })
    }

    async fn unsubscribe(&self, mailbox: &Mailbox, id: &SubscriptionId) -> Result<(), PortError> {
        let op = Unsubscribe { id: id.0.clone() };
        match self.client.call(mailbox.as_str(), &op).await {
            Ok(()) => Ok(()),
            // Gone already, or a push subscription (ended by answering
            // Unsubscribe to its next notification).
            Err(e)
                if is_code(
                    &e,
                    &[
                        ResponseCode::ErrorSubscriptionNotFound,
                        ResponseCode::ErrorInvalidSubscription,
                        ResponseCode::ErrorExpiredSubscription,
                    ],
                ) =>
            {
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }
}
