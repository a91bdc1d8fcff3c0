//! The mailbox port over EWS.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use maiconnect_core::PortError;
use maiconnect_core::ids::{ItemId, Mailbox, Version};
use maiconnect_core::model::{Attachment, AttachmentContent, ExchangeKey, Folder, Record, S4Key};
use maiconnect_core::plan::{Field, MailboxItem};
use maiconnect_core::ports::{
    ChangeCursor, ChangePage, MailboxChange, MailboxPort, Subscription, SubscriptionId, Watermark,
};

use super::EwsClient;
use crate::error::EwsError;
use crate::mapping::{ExtendedField, ReadItem, field_updates, item_properties, tag_update};
use crate::operations::{
    ConflictResolution, CreateAttachment, CreateFolder, DeleteAttachment, DeleteItem,
    Distinguished, EVENT_TYPES, FindFolder, FindItem, FolderRef, GetAttachment, GetItem,
    ItemChange, ItemRef, ItemShape, NewFile, Subscribe, SyncChange, SyncFolderItems, Unsubscribe,
    UpdateItem, View,
};
use crate::response_code::ResponseCode;

/// Page size of FindItem.
const PAGE: u32 = 256;
/// A guard against servers that never say a listing is complete.
const MAX_PAGES: usize = 10_000;

/// The mailboxes of one Exchange environment, reached through EWS with
/// impersonation.
#[derive(Debug)]
pub struct EwsMailboxes {
    client: EwsClient,
    /// Contacts subfolder id per mailbox.
    contacts: Mutex<HashMap<String, String>>,
}

fn unexpected(e: maiconnect_core::ids::InvalidId, what: &str) -> EwsError {
    EwsError::Unexpected(format!("{what}: {e}"))
}

fn is_code(e: &EwsError, codes: &[ResponseCode]) -> bool {
    e.code().is_some_and(|c| codes.contains(c))
}

impl EwsMailboxes {
    /// The port over `client`.
    pub fn new(client: EwsClient) -> EwsMailboxes {
        EwsMailboxes {
            client,
            contacts: Mutex::new(HashMap::new()),
        }
    }

    /// The client.
    pub fn client(&self) -> &EwsClient {
        &self.client
    }

    /// Checks that the mailbox's folders can be read (rights, existence):
    /// GetFolder on calendar, tasks and contacts.
    pub async fn check(&self, mailbox: &Mailbox) -> Result<(), PortError> {
        let folders = vec![
            FolderRef::Distinguished(Distinguished::Calendar),
            FolderRef::Distinguished(Distinguished::Tasks),
            FolderRef::Distinguished(Distinguished::Contacts),
        ];
        let results = self
            .client
            .call(mailbox.as_str(), &crate::operations::GetFolder { folders })
            .await?;
        for r in results {
            r?;
        }
        self.folder(mailbox, Folder::Contacts).await?;
        Ok(())
    }

    /// The folder reference of `folder`; the contacts subfolder is looked
    /// up, created when missing, and remembered.
    async fn folder(&self, mailbox: &Mailbox, folder: Folder) -> Result<FolderRef, EwsError> {
        let name = match (folder, &self.client.config().contacts_folder) {
            (Folder::Calendar, _) => return Ok(FolderRef::Distinguished(Distinguished::Calendar)),
            (Folder::Tasks, _) => return Ok(FolderRef::Distinguished(Distinguished::Tasks)),
            (Folder::Contacts, None) => {
                return Ok(FolderRef::Distinguished(Distinguished::Contacts));
            }
            (Folder::Contacts, Some(name)) => name.clone(),
        };
        if let Some(id) = self.lock().get(mailbox.as_str()) {
            return Ok(FolderRef::Id(id.clone()));
        }
        let parent = FolderRef::Distinguished(Distinguished::Contacts);
        let found = self
            .client
            .call(
                mailbox.as_str(),
                &FindFolder {
                    parent: parent.clone(),
                    display_name: Some(name.clone()),
                },
            )
            .await?;
        let id = match found.into_iter().next() {
            Some(f) => f.id,
            None => {
                tracing::info!(mailbox = %mailbox, folder = %name, "creating the contacts subfolder");
                self.client
                    .call(
                        mailbox.as_str(),
                        &CreateFolder {
                            parent,
                            display_name: name,
                        },
                    )
                    .await?
                    .id
            }
        };
        self.lock().insert(mailbox.as_str().to_owned(), id.clone());
        Ok(FolderRef::Id(id))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.contacts.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// GetItem in batches; one result per reference.
    async fn read(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        ids: Vec<ItemRef>,
    ) -> Result<Vec<Result<ReadItem, EwsError>>, EwsError> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(self.client.config().batch_size) {
            let op = GetItem {
                shape: ItemShape::with(item_properties(folder)),
                ids: chunk.to_vec(),
            };
            out.extend(self.client.call(mailbox.as_str(), &op).await?);
        }
        Ok(out)
    }

    /// Every item id of a folder, page by page, optionally restricted.
    async fn all_ids(
        &self,
        mailbox: &Mailbox,
        folder: FolderRef,
        restriction: Option<(ExtendedField, String)>,
    ) -> Result<Vec<ItemRef>, EwsError> {
        let mut ids = Vec::new();
        let mut offset = 0;
        for _ in 0..MAX_PAGES {
            let op = FindItem {
                shape: ItemShape::id_only(),
                view: View::Indexed { offset, max: PAGE },
                restriction: restriction.clone(),
                folder: folder.clone(),
            };
            let page = self.client.call(mailbox.as_str(), &op).await?;
            let n = page.items.len() as u32;
            ids.extend(page.items.into_iter().map(|i| ItemRef::id(&i.id)));
            if page.includes_last || n == 0 {
                return Ok(ids);
            }
            offset = page.next_offset.unwrap_or(offset + n).max(offset + 1);
        }
        Err(EwsError::Unexpected(format!(
            "FindItem for {mailbox} did not finish after {MAX_PAGES} pages"
        )))
    }

    /// The calendar items overlapping the window: single items as
    /// themselves, series as their masters.
    async fn calendar_window(
        &self,
        mailbox: &Mailbox,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ItemRef>, EwsError> {
        use crate::mapping::PropertyPath::Field as F;
        let mut refs = Vec::new();
        let mut seen = HashSet::new();
        let mut start = from;
        for _ in 0..MAX_PAGES {
            let op = FindItem {
                shape: ItemShape {
                    base: "IdOnly",
                    body_type: None,
                    additional: vec![F("calendar:CalendarItemType"), F("calendar:Start")],
                },
                view: View::Calendar {
                    start,
                    end: to,
                    max: PAGE,
                },
                restriction: None,
                folder: FolderRef::Distinguished(Distinguished::Calendar),
            };
            let page = self.client.call(mailbox.as_str(), &op).await?;
            let last_start = page.items.iter().filter_map(|i| i.start).max();
            for item in page.items {
                if !seen.insert(item.id.clone()) {
                    continue;
                }
                refs.push(match item.calendar_type.as_deref() {
                    Some("Occurrence") | Some("Exception") => ItemRef::Master {
                        occurrence_id: item.id,
                    },
                    _ => ItemRef::id(&item.id),
                });
            }
            match last_start {
                Some(s) if !page.includes_last => {
                    // CalendarView does not page: continue from the last start.
                    start = if s > start {
                        s
                    } else {
                        start + Duration::seconds(1)
                    };
                }
                _ => return Ok(refs),
            }
        }
        Err(EwsError::Unexpected(format!(
            "CalendarView for {mailbox} did not finish after {MAX_PAGES} pages"
        )))
    }

    /// The `InstanceIndex` of the occurrence of `master` that originally
    /// started at `original_start`, from the master's recurrence.
    async fn occurrence_index(
        &self,
        mailbox: &Mailbox,
        master: &ItemId,
        original_start: DateTime<Utc>,
    ) -> Result<Option<u32>, EwsError> {
        let got = self
            .read(
                mailbox,
                Folder::Calendar,
                vec![ItemRef::id(master.as_str())],
            )
            .await?;
        let item = match got.into_iter().next() {
            Some(Ok(item)) => item,
            Some(Err(e)) if is_code(&e, &[ResponseCode::ErrorItemNotFound]) => return Ok(None),
            Some(Err(e)) => return Err(e),
            None => return Ok(None),
        };
        let Record::Appointment(a) = &item.item.record else {
            return Ok(None);
        };
        let Some(r) = &a.recurrence else {
            return Err(EwsError::Mapping(format!(
                "item {} of {mailbox} is not a recurring series, so it has no occurrence at {original_start}",
                master.short()
            )));
        };
        let found = r
            .expand(
                &a.when,
                original_start - Duration::days(2),
                original_start + Duration::days(2),
            )
            .into_iter()
            .find(|o| o.original_start == original_start);
        Ok(found.map(|o| o.index))
    }

    async fn item_ref(
        &self,
        mailbox: &Mailbox,
        key: &ExchangeKey,
        version: Option<&Version>,
    ) -> Result<Option<ItemRef>, EwsError> {
        Ok(match key.occurrence {
            None => Some(ItemRef::Item {
                id: key.item.as_str().to_owned(),
                change_key: version.map(|v| v.as_str().to_owned()),
            }),
            Some(orig) => self
                .occurrence_index(mailbox, &key.item, orig)
                .await?
                .map(|index| ItemRef::Occurrence {
                    master_id: key.item.as_str().to_owned(),
                    change_key: None,
                    index,
                }),
        })
    }

    async fn write(
        &self,
        mailbox: &Mailbox,
        item: ItemRef,
        conflict: ConflictResolution,
        updates: Vec<crate::mapping::Update>,
    ) -> Result<Version, EwsError> {
        let op = UpdateItem::new(conflict, vec![ItemChange { item, updates }]);
        let (_, ck) = self
            .client
            .call(mailbox.as_str(), &op)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| EwsError::Unexpected("UpdateItem answered nothing".into()))??;
        ck.parse().map_err(|e| unexpected(e, "UpdateItem"))
    }

    fn missing(key: &ExchangeKey, mailbox: &Mailbox) -> PortError {
        PortError::not_found(format!(
            "item {key} does not exist in {mailbox} (deleted in Outlook, or the occurrence is not part of the series)"
        ))
    }
}

fn is_zone_update(u: &crate::mapping::Update) -> bool {
    use crate::mapping::{PropertyPath, Update};
    matches!(
        u,
        Update::Set {
            path: PropertyPath::Field("calendar:StartTimeZone" | "calendar:EndTimeZone"),
            ..
        }
    )
}

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
        let (id, ck) = self
            .client
            .call(mailbox.as_str(), &op)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| EwsError::Unexpected("CreateItem answered nothing".into()))??;
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
        let mut updates = field_updates(record, fields, self.client.config().time_zone);
        if key.is_occurrence() {
            // An occurrence lives in its series' zone; only its times move.
            updates.retain(|u| !is_zone_update(u));
        }
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
        let file = self
            .client
            .call(mailbox.as_str(), &op)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| EwsError::Unexpected("GetAttachment answered nothing".into()))??;
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
        let r = self
            .client
            .call(mailbox.as_str(), &op)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| EwsError::Unexpected("CreateAttachment answered nothing".into()))??;
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
        let (_, ck) = self
            .client
            .call(mailbox.as_str(), &op)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| EwsError::Unexpected("DeleteAttachment answered nothing".into()))??;
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
