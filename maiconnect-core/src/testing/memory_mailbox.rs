//! In-memory mailboxes that behave like Exchange where it matters: change
//! keys change on every write, a stale change key is a conflict, deletes and
//! changes show up in the change listing, occurrences of a series are
//! changed and deleted through their master.

use std::collections::BTreeMap;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::error::{ErrorKind, PortError};
use crate::ids::{ItemId, Mailbox, Version};
use crate::model::*;
use crate::plan::fields::{Field, SyncRecord};
use crate::plan::state::MailboxItem;
use crate::ports::{
    ChangeCursor, ChangePage, MailboxChange, MailboxPort, Subscription, SubscriptionId, Watermark,
};
use crate::testing::faults::{Faults, Strike};

#[derive(Debug, Clone)]
struct Item {
    folder: Folder,
    version: Version,
    record: Record,
    link_key: Option<S4Key>,
}

#[derive(Debug, Default)]
struct Inner {
    items: BTreeMap<(Mailbox, ItemId), Item>,
    log: Vec<(Mailbox, Folder, MailboxChange)>,
    files: BTreeMap<String, Vec<u8>>,
    subscriptions: BTreeMap<String, Mailbox>,
    next: u64,
}

impl Inner {
    fn bump(&mut self) -> u64 {
        self.next += 1;
        self.next
    }
    fn version(&mut self) -> Version {
        let n = self.bump();
        format!("CK{n}").parse().expect("version")
    }
    fn changed(&mut self, mailbox: &Mailbox, folder: Folder, id: &ItemId, version: &Version) {
        self.log.push((
            mailbox.clone(),
            folder,
            MailboxChange::Upserted {
                id: id.clone(),
                version: Some(version.clone()),
            },
        ));
    }
}

/// In-memory mailboxes.
#[derive(Debug, Default)]
pub struct MemoryMailbox {
    inner: Mutex<Inner>,
    /// Faults for the next writes.
    pub faults: Faults,
}

fn attachments_mut(r: &mut Record) -> Option<&mut Vec<Attachment>> {
    match r {
        Record::Appointment(a) => Some(&mut a.attachments),
        Record::Task(t) => Some(&mut t.attachments),
        Record::Contact(_) => None,
    }
}

fn overlaps(record: &Record, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
    match record {
        Record::Appointment(a) => match &a.recurrence {
            Some(r) => !r.expand(&a.when, from, to).is_empty(),
            None => a.when.overlaps(from, to, Zone::UTC),
        },
        Record::Task(t) => t
            .due_date
            .is_none_or(|d| When::all_day(d, 1).overlaps(from, to, Zone::UTC)),
        Record::Contact(_) => true,
    }
}

impl MemoryMailbox {
    /// Empty mailboxes.
    pub fn new() -> MemoryMailbox {
        MemoryMailbox::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn write<T>(&self, f: impl FnOnce(&mut Inner) -> Result<T, PortError>) -> Result<T, PortError> {
        match self.faults.on_write() {
            Strike::Before(e) => Err(e),
            Strike::After(e) => {
                f(&mut self.lock())?;
                Err(e)
            }
            Strike::None => f(&mut self.lock()),
        }
    }

    /// Puts an item as Outlook would (no port call, no fault); returns its id.
    pub fn put(&self, mailbox: &Mailbox, record: Record) -> ItemId {
        let mut i = self.lock();
        let refs: Vec<(String, u64)> = match &record {
            Record::Appointment(a) => a.attachments.iter(),
            Record::Task(t) => t.attachments.iter(),
            Record::Contact(_) => [].iter(),
        }
        .filter_map(|a| match &a.content {
            AttachmentContent::Reference(r) => Some((r.clone(), a.size)),
            AttachmentContent::Inline(_) => None,
        })
        .collect();
        for (r, size) in refs {
            i.files
                .entry(r)
                .or_insert_with(|| vec![b'x'; size as usize]);
        }
        let n = i.bump();
        let id: ItemId = format!("AAMk-{n}").parse().expect("id");
        let version = i.version();
        let folder = record.kind().folder();
        i.changed(mailbox, folder, &id, &version);
        i.items.insert(
            (mailbox.clone(), id.clone()),
            Item {
                folder,
                version,
                record,
                link_key: None,
            },
        );
        id
    }

    /// Changes an item as Outlook would.
    pub fn edit(&self, mailbox: &Mailbox, id: &ItemId, f: impl FnOnce(&mut Record)) {
        let mut i = self.lock();
        let version = i.version();
        let Some(item) = i.items.get_mut(&(mailbox.clone(), id.clone())) else {
            return;
        };
        f(&mut item.record);
        item.version = version.clone();
        let folder = item.folder;
        i.changed(mailbox, folder, id, &version);
    }

    /// Deletes an item as Outlook would.
    pub fn remove(&self, mailbox: &Mailbox, id: &ItemId) {
        let mut i = self.lock();
        if let Some(item) = i.items.remove(&(mailbox.clone(), id.clone())) {
            i.log.push((
                mailbox.clone(),
                item.folder,
                MailboxChange::Deleted { id: id.clone() },
            ));
        }
    }

    /// The items of a mailbox, for assertions.
    pub fn items(&self, mailbox: &Mailbox) -> Vec<(ItemId, Record, Option<S4Key>)> {
        self.lock()
            .items
            .iter()
            .filter(|((m, _), _)| m == mailbox)
            .map(|((_, id), it)| (id.clone(), it.record.clone(), it.link_key.clone()))
            .collect()
    }

    fn read(&self, i: &Inner, mailbox: &Mailbox, id: &ItemId) -> Option<MailboxItem> {
        i.items
            .get(&(mailbox.clone(), id.clone()))
            .map(|it| MailboxItem {
                key: ExchangeKey::item(id.clone()),
                version: it.version.clone(),
                record: it.record.clone(),
                changed_at: None,
                link_key: it.link_key.clone(),
            })
    }
}

fn missing(mailbox: &Mailbox, key: &ExchangeKey) -> PortError {
    PortError::not_found(format!("item {key} does not exist in {mailbox}"))
}

#[async_trait]
impl MailboxPort for MemoryMailbox {
    async fn get(
        &self,
        mailbox: &Mailbox,
        _folder: Folder,
        ids: &[ItemId],
    ) -> Result<Vec<Result<Option<MailboxItem>, PortError>>, PortError> {
        let i = self.lock();
        Ok(ids
            .iter()
            .map(|id| Ok(self.read(&i, mailbox, id)))
            .collect())
    }

    async fn list(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<MailboxItem>, PortError> {
        let i = self.lock();
        let ids: Vec<ItemId> = i
            .items
            .iter()
            .filter(|((m, _), it)| {
                m == mailbox && it.folder == folder && overlaps(&it.record, from, to)
            })
            .map(|((_, id), _)| id.clone())
            .collect();
        Ok(ids
            .iter()
            .filter_map(|id| self.read(&i, mailbox, id))
            .collect())
    }

    async fn find_linked(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        link_key: &S4Key,
    ) -> Result<Vec<MailboxItem>, PortError> {
        let i = self.lock();
        let ids: Vec<ItemId> = i
            .items
            .iter()
            .filter(|((m, _), it)| {
                m == mailbox && it.folder == folder && it.link_key.as_ref() == Some(link_key)
            })
            .map(|((_, id), _)| id.clone())
            .collect();
        Ok(ids
            .iter()
            .filter_map(|id| self.read(&i, mailbox, id))
            .collect())
    }

    async fn changes<'a>(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        cursor: Option<&'a ChangeCursor>,
        max: u32,
    ) -> Result<ChangePage, PortError> {
        let start: usize = match cursor {
            Some(c) => c.0.parse().map_err(|_| {
                PortError::new(ErrorKind::Invalid, "the change cursor is not valid")
            })?,
            None => 0,
        };
        let i = self.lock();
        let mut changes = Vec::new();
        let mut pos = start;
        for (n, (m, f, c)) in i.log.iter().enumerate().skip(start) {
            if changes.len() as u32 >= max.max(1) {
                break;
            }
            pos = n + 1;
            if m == mailbox && *f == folder {
                changes.push(c.clone());
            }
        }
        let more = i
            .log
            .iter()
            .skip(pos)
            .any(|(m, f, _)| m == mailbox && *f == folder);
        if changes.is_empty() && !more {
            pos = i.log.len();
        }
        Ok(ChangePage {
            changes,
            cursor: ChangeCursor(pos.to_string()),
            more,
        })
    }

    async fn create<'a>(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        record: &Record,
        link_key: Option<&'a S4Key>,
    ) -> Result<(ExchangeKey, Version), PortError> {
        if record.kind().folder() != folder {
            return Err(PortError::new(
                ErrorKind::Invalid,
                format!("a {} does not belong in {folder}", record.kind()),
            ));
        }
        self.write(|i| {
            let n = i.bump();
            let id: ItemId = format!("AAMk-{n}").parse().expect("id");
            let version = i.version();
            let mut r = record.clone();
            if let Some(list) = attachments_mut(&mut r) {
                list.clear();
            }
            i.changed(mailbox, folder, &id, &version);
            i.items.insert(
                (mailbox.clone(), id.clone()),
                Item {
                    folder,
                    version: version.clone(),
                    record: r,
                    link_key: link_key.cloned(),
                },
            );
            Ok((ExchangeKey::item(id), version))
        })
    }

    async fn update(
        &self,
        mailbox: &Mailbox,
        key: &ExchangeKey,
        version: &Version,
        fields: &[Field],
        record: &Record,
    ) -> Result<Version, PortError> {
        self.write(|i| {
            let next = i.version();
            let item = i
                .items
                .get_mut(&(mailbox.clone(), key.item.clone()))
                .ok_or_else(|| missing(mailbox, key))?;
            if key.occurrence.is_none() && &item.version != version {
                return Err(PortError::new(
                    ErrorKind::Conflict,
                    format!("item {key} changed since it was read"),
                ));
            }
            match (&mut item.record, record, key.occurrence) {
                (Record::Appointment(master), Record::Appointment(n), Some(original)) => {
                    let series = master
                        .recurrence
                        .as_mut()
                        .ok_or_else(|| missing(mailbox, key))?;
                    series.modified.retain(|m| m.original_start != original);
                    series.modified.push(ModifiedOccurrence {
                        original_start: original,
                        id: None,
                        when: n.when.clone(),
                        subject: Some(n.subject.clone()),
                        location: Some(n.location.clone()),
                    });
                }
                (Record::Appointment(c), Record::Appointment(n), None) => {
                    fields.iter().for_each(|f| c.copy_field(n, *f))
                }
                (Record::Task(c), Record::Task(n), None) => {
                    fields.iter().for_each(|f| c.copy_field(n, *f))
                }
                (Record::Contact(c), Record::Contact(n), None) => {
                    fields.iter().for_each(|f| c.copy_field(n, *f))
                }
                _ => return Err(PortError::new(ErrorKind::Invalid, "record of another kind")),
            }
            item.version = next.clone();
            let folder = item.folder;
            i.changed(mailbox, folder, &key.item, &next);
            Ok(next)
        })
    }

    async fn tag(
        &self,
        mailbox: &Mailbox,
        key: &ExchangeKey,
        link_key: &S4Key,
    ) -> Result<Version, PortError> {
        self.write(|i| {
            let next = i.version();
            let item = i
                .items
                .get_mut(&(mailbox.clone(), key.item.clone()))
                .ok_or_else(|| missing(mailbox, key))?;
            item.link_key = Some(link_key.clone());
            item.version = next.clone();
            let folder = item.folder;
            i.changed(mailbox, folder, &key.item, &next);
            Ok(next)
        })
    }

    async fn delete(&self, mailbox: &Mailbox, key: &ExchangeKey) -> Result<(), PortError> {
        self.write(|i| {
            let k = (mailbox.clone(), key.item.clone());
            match key.occurrence {
                None => {
                    if let Some(item) = i.items.remove(&k) {
                        i.log.push((
                            mailbox.clone(),
                            item.folder,
                            MailboxChange::Deleted {
                                id: key.item.clone(),
                            },
                        ));
                    }
                }
                Some(original) => {
                    let next = i.version();
                    if let Some(item) = i.items.get_mut(&k) {
                        if let Record::Appointment(a) = &mut item.record
                            && let Some(r) = a.recurrence.as_mut()
                        {
                            r.modified.retain(|m| m.original_start != original);
                            if !r.deleted.contains(&original) {
                                r.deleted.push(original);
                            }
                        }
                        item.version = next.clone();
                        let folder = item.folder;
                        i.changed(mailbox, folder, &key.item, &next);
                    }
                }
            }
            Ok(())
        })
    }

    async fn attachment_content(
        &self,
        mailbox: &Mailbox,
        a: &Attachment,
    ) -> Result<Vec<u8>, PortError> {
        match &a.content {
            AttachmentContent::Inline(b) => Ok(b.clone()),
            AttachmentContent::Reference(r) => self.lock().files.get(r).cloned().ok_or_else(|| {
                PortError::not_found(format!("attachment {} does not exist in {mailbox}", a.name))
            }),
        }
    }

    async fn add_attachment(
        &self,
        mailbox: &Mailbox,
        key: &ExchangeKey,
        a: &Attachment,
    ) -> Result<(Attachment, Version), PortError> {
        let AttachmentContent::Inline(bytes) = &a.content else {
            return Err(PortError::new(
                ErrorKind::Invalid,
                "an attachment to add needs its content",
            ));
        };
        let bytes = bytes.clone();
        self.write(|i| {
            let n = i.bump();
            let reference = format!("ex-file-{n}");
            let next = i.version();
            let item = i
                .items
                .get_mut(&(mailbox.clone(), key.item.clone()))
                .ok_or_else(|| missing(mailbox, key))?;
            let stored = Attachment {
                content: AttachmentContent::Reference(reference.clone()),
                size: bytes.len() as u64,
                ..a.clone()
            };
            if let Some(list) = attachments_mut(&mut item.record) {
                list.push(stored.clone());
            }
            item.version = next.clone();
            let folder = item.folder;
            i.files.insert(reference, bytes);
            i.changed(mailbox, folder, &key.item, &next);
            Ok((stored, next))
        })
    }

    async fn remove_attachment(
        &self,
        mailbox: &Mailbox,
        key: &ExchangeKey,
        a: &Attachment,
    ) -> Result<Version, PortError> {
        self.write(|i| {
            let next = i.version();
            let item = i
                .items
                .get_mut(&(mailbox.clone(), key.item.clone()))
                .ok_or_else(|| missing(mailbox, key))?;
            if let Some(list) = attachments_mut(&mut item.record) {
                list.retain(|x| x.key() != a.key());
            }
            item.version = next.clone();
            let folder = item.folder;
            i.changed(mailbox, folder, &key.item, &next);
            Ok(next)
        })
    }

    async fn subscribe<'a>(
        &self,
        mailbox: &Mailbox,
        _folders: &[Folder],
        _url: &str,
        _freq: u32,
        _wm: Option<&'a Watermark>,
    ) -> Result<Subscription, PortError> {
        let mut i = self.lock();
        let n = i.bump();
        let id = format!("sub-{n}");
        i.subscriptions.insert(id.clone(), mailbox.clone());
        Ok(Subscription {
            id: SubscriptionId(id),
            watermark: Some(Watermark(format!("wm-{}", i.log.len()))),
        })
    }

    async fn unsubscribe(&self, _mailbox: &Mailbox, id: &SubscriptionId) -> Result<(), PortError> {
        self.lock().subscriptions.remove(&id.0);
        Ok(())
    }
}
