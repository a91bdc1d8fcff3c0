//! Catching up on a whole mailbox: the initial sync, a lost subscription,
//! an administrator's resync, and dry runs.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use crate::error::{ErrorKind, PortError, Retry};
use crate::ids::{ItemId, Version};
use crate::model::{ExchangeKey, ObjectKind, Record, S4Key};
use crate::plan::state::{MailboxItem, Pair, S4Item};
use crate::plan::{Plan, plan_pair};
use crate::ports::{ChangeCursor, MailboxChange};
use crate::sync::assemble::occurrence_item;
use crate::sync::enrich::enrich;
use crate::sync::{Hints, Outcome, Syncer};

/// How many changes one listing page asks for.
const PAGE: u32 = 512;
/// How many linked items one read asks for when looking for deleted ones.
const SWEEP_BATCH: usize = 100;

impl Syncer<'_> {
    /// Catches up on `kind` (or every kind the user syncs): `full` compares
    /// everything in the window (initial sync, admin resync); otherwise only
    /// the mailbox changes since the stored cursor are read (a lost
    /// subscription).
    pub async fn resync(
        &self,
        kind: Option<ObjectKind>,
        full: bool,
        now: DateTime<Utc>,
    ) -> Result<Outcome, PortError> {
        let kinds = match kind {
            Some(k) => vec![k],
            None => self.kinds(),
        };
        self.recover(now).await?;
        let mut out = Outcome::default();
        for kind in kinds {
            let step = if full {
                self.full(kind, now).await?
            } else {
                self.catch_up(kind, now).await?
            };
            out.executed.extend(step.executed);
            out.held.extend(step.held);
        }
        Ok(out)
    }

    async fn full(&self, kind: ObjectKind, now: DateTime<Utc>) -> Result<Outcome, PortError> {
        // Take the cursor first: changes made while we compare are listed
        // again by the next catch-up instead of being lost.
        let cursor = self.drain_cursor(kind).await?;
        let plans = self.plan_resync(kind, now).await?;
        let out = self.run(plans, true, now).await?;
        if let Some(c) = cursor {
            self.store
                .save_cursor(&self.user.mailbox, kind.folder(), &c)
                .await?;
        }
        Ok(out)
    }

    /// Reads the change listing to its end without acting on it.
    async fn drain_cursor(&self, kind: ObjectKind) -> Result<Option<ChangeCursor>, PortError> {
        let mut cursor = self.store.cursor(&self.user.mailbox, kind.folder()).await?;
        loop {
            let page = match self
                .mailboxes
                .changes(&self.user.mailbox, kind.folder(), cursor.as_ref(), PAGE)
                .await
            {
                Ok(p) => p,
                // The server no longer knows the cursor: start the listing over.
                Err(e) if e.kind == ErrorKind::NotFound && cursor.is_some() => {
                    cursor = None;
                    continue;
                }
                Err(e) => return Err(e),
            };
            cursor = Some(page.cursor);
            if !page.more {
                return Ok(cursor);
            }
        }
    }

    async fn catch_up(&self, kind: ObjectKind, now: DateTime<Utc>) -> Result<Outcome, PortError> {
        let mailbox = &self.user.mailbox;
        let Some(mut cursor) = self.store.cursor(mailbox, kind.folder()).await? else {
            // Never synced: nothing to catch up from, so compare everything.
            return self.full(kind, now).await;
        };
        let mut out = Outcome::default();
        let mut listed: BTreeSet<ItemId> = BTreeSet::new();
        loop {
            let page = match self
                .mailboxes
                .changes(mailbox, kind.folder(), Some(&cursor), PAGE)
                .await
            {
                Ok(p) => p,
                // An expired or invalid cursor: the gap cannot be listed, so
                // compare everything instead.
                Err(e) if e.kind == ErrorKind::NotFound => {
                    let full = self.full(kind, now).await?;
                    out.executed.extend(full.executed);
                    out.held.extend(full.held);
                    return Ok(out);
                }
                Err(e) => return Err(e),
            };
            // The last version listed per item (a change listed twice is
            // read once).
            let mut items: BTreeMap<ItemId, Option<Version>> = BTreeMap::new();
            for change in &page.changes {
                match change {
                    MailboxChange::Upserted { id, version } => {
                        items.insert(id.clone(), version.clone())
                    }
                    MailboxChange::Deleted { id } => items.insert(id.clone(), None),
                };
            }
            listed.extend(items.keys().cloned());
            let mut plans = Vec::new();
            for (item, version) in items {
                let hints = Hints {
                    exchange_version: version,
                    ..Hints::default()
                };
                plans.extend(self.plan_item(&item, kind, hints, now).await?);
            }
            let step = self.run(plans, true, now).await?;
            let transient = step.executed.iter().any(|(_, r)| {
                r.failure
                    .as_ref()
                    .is_some_and(|f| f.error.retry != Retry::Never)
            });
            out.executed.extend(step.executed);
            out.held.extend(step.held);
            if transient {
                // Keep the cursor: the retry lists these changes again.
                return Ok(out);
            }
            cursor = page.cursor;
            self.store
                .save_cursor(mailbox, kind.folder(), &cursor)
                .await?;
            if !page.more {
                let swept = self.sweep_deleted(kind, &listed, now).await?;
                out.executed.extend(swept.executed);
                out.held.extend(swept.held);
                return Ok(out);
            }
        }
    }

    /// The change listing reports deletes only of items its cursor knew.
    /// Live notifications do not move the cursor, so an item linked after it
    /// was taken and deleted while no notification came is not listed: the
    /// linked items the listing did not mention are read, and those gone
    /// are planned like a notified delete.
    async fn sweep_deleted(
        &self,
        kind: ObjectKind,
        listed: &BTreeSet<ItemId>,
        now: DateTime<Utc>,
    ) -> Result<Outcome, PortError> {
        let mailbox = &self.user.mailbox;
        let unlisted: BTreeSet<ItemId> = self
            .store
            .links(mailbox, kind)
            .await?
            .into_iter()
            .map(|l| l.exchange.item)
            .filter(|i| !listed.contains(i))
            .collect();
        let unlisted: Vec<ItemId> = unlisted.into_iter().collect();
        let mut plans = Vec::new();
        for chunk in unlisted.chunks(SWEEP_BATCH) {
            let got = self.mailboxes.get(mailbox, kind.folder(), chunk).await?;
            for (item, read) in chunk.iter().zip(got) {
                if matches!(read, Ok(None)) {
                    plans.extend(self.plan_item(item, kind, Hints::default(), now).await?);
                }
            }
        }
        self.run(plans, true, now).await
    }

    /// Plans every pair of `kind` in the window without executing (the
    /// initial sync, resyncs and dry runs).
    pub async fn plan_resync(
        &self,
        kind: ObjectKind,
        now: DateTime<Utc>,
    ) -> Result<Vec<(Pair, Plan)>, PortError> {
        if kind == ObjectKind::Contact {
            return self.plan_contacts(now).await;
        }
        let mailbox = &self.user.mailbox;
        let (from, to) = self.context(now).window();
        let s4_items = self
            .crm
            .list_activities(kind, &self.user.employee, from, to)
            .await?;
        let mut s4: BTreeMap<S4Key, S4Item> =
            s4_items.into_iter().map(|i| (i.key.clone(), i)).collect();
        let mut ex: BTreeMap<ExchangeKey, MailboxItem> = BTreeMap::new();
        for item in self
            .mailboxes
            .list(mailbox, kind.folder(), from, to)
            .await?
        {
            for mut i in self.expand(item, now) {
                enrich(&mut i, self.crm, self.partners, self.policy).await?;
                ex.insert(i.key.clone(), i);
            }
        }
        let links = self.store.links(mailbox, kind).await?;
        let linked_s4: BTreeSet<S4Key> = links.iter().map(|l| l.s4.clone()).collect();
        let mut pairs = Vec::new();
        for link in links {
            let (s, e) = (s4.remove(&link.s4), ex.remove(&link.exchange));
            if s.is_none() && e.is_none() {
                // Outside the window on both sides: nothing to compare.
                continue;
            }
            let s = match s {
                Some(s) => Some(s),
                None => self.crm.get(&link.s4).await?,
            };
            let e = match e {
                Some(e) => Some(e),
                None => self.read_item(&link.exchange, kind).await?,
            };
            pairs.push(Pair {
                s4: s,
                exchange: e,
                link: Some(link),
            });
        }
        // Unlinked S/4 objects, matched with the item that carries their key.
        let keys: Vec<S4Key> = s4.keys().cloned().collect();
        for k in keys {
            let Some(item) = s4.remove(&k) else { continue };
            let tagged = ex
                .iter()
                .find(|(_, e)| e.link_key.as_ref() == Some(&k))
                .map(|(key, _)| key.clone());
            let e = tagged.and_then(|t| ex.remove(&t));
            pairs.push(Pair {
                s4: Some(item),
                exchange: e,
                link: None,
            });
        }
        // Unlinked mailbox items.
        for (_, mut item) in ex {
            let s = match item.link_key.clone() {
                Some(tag) if linked_s4.contains(&tag) => {
                    // Its S/4 object is linked to another item: a copy.
                    item.link_key = None;
                    None
                }
                Some(tag) => self.crm.get(&tag).await?,
                None => None,
            };
            pairs.push(Pair {
                s4: s,
                exchange: Some(item),
                link: None,
            });
        }
        let ctx = self.context(now);
        Ok(pairs
            .into_iter()
            .map(|p| (plan_pair(&p, &ctx), p))
            .map(|(plan, p)| (p, plan))
            .collect())
    }

    /// A listed item, or the occurrences of a series within the horizon.
    fn expand(&self, item: MailboxItem, now: DateTime<Utc>) -> Vec<MailboxItem> {
        let series = match &item.record {
            Record::Appointment(a) => a.recurrence.as_ref().map(|r| (r.clone(), a.when.clone())),
            _ => None,
        };
        match series {
            None => vec![item],
            Some((r, first)) => {
                let (from, _) = self.context(now).window();
                r.expand(&first, from, self.horizon(now))
                    .iter()
                    .map(|o| occurrence_item(&item, o))
                    .collect()
            }
        }
    }
}
