//! An in-memory state store (not durable; for tests and dry runs).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};

use crate::error::PortError;
use crate::ids::{ItemId, Mailbox};
use crate::model::{ExchangeKey, Folder, ObjectKind, S4Key};
use crate::plan::guard::HeldDelete;
use crate::plan::state::Link;
use crate::ports::{
    ChangeCursor, InboxEntry, InboxEvent, InboxId, Intent, JournalEntry, PairKey, StateStore,
    SubscriptionRecord,
};

#[derive(Debug, Default)]
struct Inner {
    links: BTreeMap<(Mailbox, S4Key), Link>,
    intents: Vec<Intent>,
    cursors: BTreeMap<(Mailbox, Folder), ChangeCursor>,
    subscriptions: BTreeMap<String, SubscriptionRecord>,
    inbox: BTreeMap<InboxId, (InboxEntry, Option<DateTime<Utc>>)>,
    done: BTreeSet<InboxId>,
    dedup: BTreeSet<String>,
    next_inbox: i64,
    held: BTreeMap<i64, HeldDelete>,
    next_held: i64,
    journal: Vec<JournalEntry>,
}

/// In-memory state store.
#[derive(Debug, Default)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
    /// Every link, for assertions.
    pub fn all_links(&self) -> Vec<Link> {
        self.lock().links.values().cloned().collect()
    }
}

fn push(i: &mut Inner, events: &[InboxEvent], now: DateTime<Utc>) -> Vec<InboxId> {
    let mut ids = Vec::new();
    for e in events {
        if let Some(k) = e.dedup_key()
            && !i.dedup.insert(k)
        {
            continue;
        }
        i.next_inbox += 1;
        let id = InboxId(i.next_inbox);
        let entry = InboxEntry {
            id,
            event: e.clone(),
            received_at: now,
            attempts: 0,
            not_before: now,
            last_error: None,
            dead: false,
        };
        i.inbox.insert(id, (entry, None));
        ids.push(id);
    }
    ids
}

#[async_trait]
impl StateStore for MemoryStore {
    async fn link_by_s4(&self, mailbox: &Mailbox, key: &S4Key) -> Result<Option<Link>, PortError> {
        Ok(self
            .lock()
            .links
            .get(&(mailbox.clone(), key.clone()))
            .cloned())
    }
    async fn link_by_exchange(
        &self,
        mailbox: &Mailbox,
        key: &ExchangeKey,
    ) -> Result<Option<Link>, PortError> {
        Ok(self
            .lock()
            .links
            .values()
            .find(|l| &l.mailbox == mailbox && &l.exchange == key)
            .cloned())
    }
    async fn links_by_item(
        &self,
        mailbox: &Mailbox,
        item: &ItemId,
    ) -> Result<Vec<Link>, PortError> {
        Ok(self
            .lock()
            .links
            .values()
            .filter(|l| &l.mailbox == mailbox && &l.exchange.item == item)
            .cloned()
            .collect())
    }
    async fn links(&self, mailbox: &Mailbox, kind: ObjectKind) -> Result<Vec<Link>, PortError> {
        Ok(self
            .lock()
            .links
            .values()
            .filter(|l| &l.mailbox == mailbox && l.kind() == kind)
            .cloned()
            .collect())
    }
    async fn count_links(&self, mailbox: &Mailbox) -> Result<usize, PortError> {
        Ok(self
            .lock()
            .links
            .values()
            .filter(|l| &l.mailbox == mailbox)
            .count())
    }
    async fn save_link(&self, link: &Link) -> Result<(), PortError> {
        let mut i = self.lock();
        // One mailbox item belongs to one S/4 object.
        i.links.retain(|(m, k), l| {
            !(m == &link.mailbox && l.exchange == link.exchange && k != &link.s4)
        });
        i.links
            .insert((link.mailbox.clone(), link.s4.clone()), link.clone());
        Ok(())
    }
    async fn remove_link(&self, mailbox: &Mailbox, key: &S4Key) -> Result<(), PortError> {
        self.lock().links.remove(&(mailbox.clone(), key.clone()));
        Ok(())
    }

    async fn save_intent(&self, intent: &Intent) -> Result<(), PortError> {
        let mut i = self.lock();
        i.intents
            .retain(|x| !(x.mailbox == intent.mailbox && x.pair == intent.pair));
        i.intents.push(intent.clone());
        Ok(())
    }
    async fn intent(&self, mailbox: &Mailbox, pair: &PairKey) -> Result<Option<Intent>, PortError> {
        Ok(self
            .lock()
            .intents
            .iter()
            .find(|x| &x.mailbox == mailbox && &x.pair == pair)
            .cloned())
    }
    async fn intents(&self, mailbox: &Mailbox) -> Result<Vec<Intent>, PortError> {
        Ok(self
            .lock()
            .intents
            .iter()
            .filter(|x| &x.mailbox == mailbox)
            .cloned()
            .collect())
    }
    async fn clear_intent(&self, mailbox: &Mailbox, pair: &PairKey) -> Result<(), PortError> {
        self.lock()
            .intents
            .retain(|x| !(&x.mailbox == mailbox && &x.pair == pair));
        Ok(())
    }

    async fn cursor(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
    ) -> Result<Option<ChangeCursor>, PortError> {
        Ok(self.lock().cursors.get(&(mailbox.clone(), folder)).cloned())
    }
    async fn save_cursor(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        cursor: &ChangeCursor,
    ) -> Result<(), PortError> {
        self.lock()
            .cursors
            .insert((mailbox.clone(), folder), cursor.clone());
        Ok(())
    }

    async fn subscriptions(&self) -> Result<Vec<SubscriptionRecord>, PortError> {
        Ok(self.lock().subscriptions.values().cloned().collect())
    }
    async fn subscription(&self, token: &str) -> Result<Option<SubscriptionRecord>, PortError> {
        Ok(self.lock().subscriptions.get(token).cloned())
    }
    async fn save_subscription(&self, record: &SubscriptionRecord) -> Result<(), PortError> {
        self.lock()
            .subscriptions
            .insert(record.token.clone(), record.clone());
        Ok(())
    }
    async fn remove_subscription(&self, token: &str) -> Result<(), PortError> {
        self.lock().subscriptions.remove(token);
        Ok(())
    }

    async fn enqueue(
        &self,
        events: &[InboxEvent],
        now: DateTime<Utc>,
    ) -> Result<Vec<InboxId>, PortError> {
        Ok(push(&mut self.lock(), events, now))
    }
    async fn claim(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: usize,
    ) -> Result<Vec<InboxEntry>, PortError> {
        let mut i = self.lock();
        let busy: BTreeSet<String> = i
            .inbox
            .values()
            .filter(|(e, claimed)| !e.dead && claimed.is_some_and(|until| until > now))
            .map(|(e, _)| e.event.lane())
            .collect();
        let mut seen_lanes = busy.clone();
        let mut picked = Vec::new();
        for backfill in [false, true] {
            // Lanes are taken in order of their oldest waiting entry.
            let mut first_per_lane: BTreeMap<String, InboxId> = BTreeMap::new();
            for (id, (e, _)) in &i.inbox {
                if e.dead {
                    continue;
                }
                first_per_lane.entry(e.event.lane()).or_insert(*id);
            }
            for (lane, id) in first_per_lane {
                if picked.len() >= limit || seen_lanes.contains(&lane) {
                    continue;
                }
                let (e, _) = &i.inbox[&id];
                if e.event.is_backfill() != backfill || e.not_before > now {
                    continue;
                }
                seen_lanes.insert(lane);
                picked.push(id);
            }
        }
        picked.sort();
        let mut out = Vec::new();
        for id in picked {
            if let Some((e, claimed)) = i.inbox.get_mut(&id) {
                *claimed = Some(now + lease);
                e.attempts += 1;
                out.push(e.clone());
            }
        }
        Ok(out)
    }
    async fn complete(
        &self,
        id: InboxId,
        follow_ups: &[InboxEvent],
        now: DateTime<Utc>,
    ) -> Result<(), PortError> {
        let mut i = self.lock();
        i.inbox.remove(&id);
        i.done.insert(id);
        push(&mut i, follow_ups, now);
        Ok(())
    }
    async fn fail(
        &self,
        id: InboxId,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<(), PortError> {
        let mut i = self.lock();
        if let Some((e, claimed)) = i.inbox.get_mut(&id) {
            *claimed = None;
            e.last_error = Some(error.to_owned());
            match retry_at {
                Some(t) => e.not_before = t,
                None => e.dead = true,
            }
        }
        Ok(())
    }
    async fn dead_letters(&self, limit: usize) -> Result<Vec<InboxEntry>, PortError> {
        Ok(self
            .lock()
            .inbox
            .values()
            .filter(|(e, _)| e.dead)
            .take(limit)
            .map(|(e, _)| e.clone())
            .collect())
    }
    async fn retry_dead(&self, id: InboxId, now: DateTime<Utc>) -> Result<bool, PortError> {
        let mut i = self.lock();
        match i.inbox.get_mut(&id) {
            Some((e, _)) if e.dead => {
                e.dead = false;
                e.attempts = 0;
                e.not_before = now;
                Ok(true)
            }
            _ => Ok(false),
        }
    }
    async fn inbox_depth(&self) -> Result<usize, PortError> {
        Ok(self.lock().inbox.values().filter(|(e, _)| !e.dead).count())
    }

    async fn hold(&self, held: &HeldDelete, _now: DateTime<Utc>) -> Result<i64, PortError> {
        let mut i = self.lock();
        i.next_held += 1;
        let id = i.next_held;
        i.held.insert(id, held.clone());
        Ok(id)
    }
    async fn held<'a>(
        &self,
        mailbox: Option<&'a Mailbox>,
    ) -> Result<Vec<(i64, HeldDelete)>, PortError> {
        Ok(self
            .lock()
            .held
            .iter()
            .filter(|(_, h)| mailbox.is_none_or(|m| &h.plan.mailbox == m))
            .map(|(id, h)| (*id, h.clone()))
            .collect())
    }
    async fn take_held(&self, id: i64) -> Result<Option<HeldDelete>, PortError> {
        Ok(self.lock().held.remove(&id))
    }

    async fn append_journal(&self, entry: &JournalEntry) -> Result<(), PortError> {
        self.lock().journal.push(entry.clone());
        Ok(())
    }
    async fn journal<'a>(
        &self,
        mailbox: Option<&'a Mailbox>,
        limit: usize,
    ) -> Result<Vec<JournalEntry>, PortError> {
        Ok(self
            .lock()
            .journal
            .iter()
            .rev()
            .filter(|e| mailbox.is_none_or(|m| &e.mailbox == m))
            .take(limit)
            .cloned()
            .collect())
    }
    async fn prune_journal(&self, before: DateTime<Utc>) -> Result<usize, PortError> {
        let mut i = self.lock();
        let n = i.journal.len();
        i.journal.retain(|e| e.at >= before);
        Ok(n - i.journal.len())
    }
}
