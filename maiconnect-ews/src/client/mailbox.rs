//! The mailboxes of one Exchange environment: folder lookup, paging and
//! occurrence addressing that the port calls build on.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use maiconnect_core::PortError;
use maiconnect_core::ids::{ItemId, Mailbox, Version};
use maiconnect_core::model::{ExchangeKey, Folder, Record};

use super::EwsClient;
use crate::error::EwsError;
use crate::mapping::{ExtendedField, ReadItem, item_properties};
use crate::operations::{
    ConflictResolution, CreateFolder, Distinguished, FindFolder, FindItem, FolderRef, GetItem,
    ItemChange, ItemRef, ItemShape, UpdateItem, View,
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
    pub(super) client: EwsClient,
    /// Contacts subfolder id per mailbox.
    contacts: Mutex<HashMap<String, String>>,
}

pub(super) fn unexpected(e: maiconnect_core::ids::InvalidId, what: &str) -> EwsError {
    EwsError::Unexpected(format!("{what}: {e}"))
}

pub(super) fn is_code(e: &EwsError, codes: &[ResponseCode]) -> bool {
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
    pub(super) async fn folder(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
    ) -> Result<FolderRef, EwsError> {
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
    pub(super) async fn read(
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
    pub(super) async fn all_ids(
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
    pub(super) async fn calendar_window(
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

    pub(super) async fn item_ref(
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

    pub(super) async fn write(
        &self,
        mailbox: &Mailbox,
        item: ItemRef,
        conflict: ConflictResolution,
        updates: Vec<crate::mapping::Update>,
    ) -> Result<Version, EwsError> {
        let op = UpdateItem::new(conflict, vec![ItemChange { item, updates }]);
        let (_, ck) = self.client.call_one(mailbox.as_str(), &op).await?;
        ck.parse().map_err(|e| unexpected(e, "UpdateItem"))
    }

    pub(super) fn missing(key: &ExchangeKey, mailbox: &Mailbox) -> PortError {
        PortError::not_found(format!(
            "item {key} does not exist in {mailbox} (deleted in Outlook, or the occurrence is not part of the series)"
        ))
    }
}
