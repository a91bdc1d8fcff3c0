//! The core's state store port over the SQLite store.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use maiconnect_core::PortError;
use maiconnect_core::ids::{ItemId, Mailbox};
use maiconnect_core::model::{ExchangeKey, Folder, ObjectKind, S4Key};
use maiconnect_core::plan::{HeldDelete, Link};
use maiconnect_core::ports::{
    ChangeCursor, InboxEntry, InboxEvent, InboxId, Intent, JournalEntry, PairKey, StateStore,
    SubscriptionRecord,
};

use crate::store::{SqliteStore, blocking};

#[async_trait]
impl StateStore for SqliteStore {
    async fn link_by_s4(&self, mailbox: &Mailbox, key: &S4Key) -> Result<Option<Link>, PortError> {
        self.get_link_by_s4(mailbox, key)
    }
    async fn link_by_exchange(
        &self,
        mailbox: &Mailbox,
        key: &ExchangeKey,
    ) -> Result<Option<Link>, PortError> {
        self.get_link_by_exchange(mailbox, key)
    }
    async fn links_by_item(
        &self,
        mailbox: &Mailbox,
        item: &ItemId,
    ) -> Result<Vec<Link>, PortError> {
        self.get_links_by_item(mailbox, item)
    }
    async fn links(&self, mailbox: &Mailbox, kind: ObjectKind) -> Result<Vec<Link>, PortError> {
        self.get_links(mailbox, kind)
    }
    async fn count_links(&self, mailbox: &Mailbox) -> Result<usize, PortError> {
        self.get_count_links(mailbox)
    }
    async fn save_link(&self, link: &Link) -> Result<(), PortError> {
        self.put_link(link)
    }
    async fn remove_link(&self, mailbox: &Mailbox, key: &S4Key) -> Result<(), PortError> {
        self.delete_link(mailbox, key)
    }
    async fn save_intent(&self, intent: &Intent) -> Result<(), PortError> {
        blocking(|| self.put_intent(intent))
    }
    async fn intent(&self, mailbox: &Mailbox, pair: &PairKey) -> Result<Option<Intent>, PortError> {
        self.get_intent(mailbox, pair)
    }
    async fn intents(&self, mailbox: &Mailbox) -> Result<Vec<Intent>, PortError> {
        self.get_intents(mailbox)
    }
    async fn clear_intent(&self, mailbox: &Mailbox, pair: &PairKey) -> Result<(), PortError> {
        self.delete_intent(mailbox, pair)
    }
    async fn cursor(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
    ) -> Result<Option<ChangeCursor>, PortError> {
        self.get_cursor(mailbox, folder)
    }
    async fn save_cursor(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        cursor: &ChangeCursor,
    ) -> Result<(), PortError> {
        self.put_cursor(mailbox, folder, cursor)
    }
    async fn subscriptions(&self) -> Result<Vec<SubscriptionRecord>, PortError> {
        self.get_subscriptions()
    }
    async fn subscription(&self, token: &str) -> Result<Option<SubscriptionRecord>, PortError> {
        self.get_subscription(token)
    }
    async fn save_subscription(&self, record: &SubscriptionRecord) -> Result<(), PortError> {
        self.put_subscription(record)
    }
    async fn remove_subscription(&self, token: &str) -> Result<(), PortError> {
        self.delete_subscription(token)
    }
    async fn enqueue(
        &self,
        events: &[InboxEvent],
        now: DateTime<Utc>,
    ) -> Result<Vec<InboxId>, PortError> {
        blocking(|| self.push_events(events, now))
    }
    async fn claim(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: usize,
    ) -> Result<Vec<InboxEntry>, PortError> {
        self.claim_events(now, lease, limit)
    }
    async fn complete(
        &self,
        id: InboxId,
        follow_ups: &[InboxEvent],
        now: DateTime<Utc>,
    ) -> Result<(), PortError> {
        self.complete_event(id, follow_ups, now)
    }
    async fn fail(
        &self,
        id: InboxId,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<(), PortError> {
        self.fail_event(id, error, retry_at)
    }
    async fn dead_letters(&self, limit: usize) -> Result<Vec<InboxEntry>, PortError> {
        self.get_dead_letters(limit)
    }
    async fn retry_dead(&self, id: InboxId, now: DateTime<Utc>) -> Result<bool, PortError> {
        self.revive(id, now)
    }
    async fn inbox_depth(&self) -> Result<usize, PortError> {
        self.depth()
    }
    async fn hold(&self, held: &HeldDelete, now: DateTime<Utc>) -> Result<i64, PortError> {
        self.put_held(held, now)
    }
    async fn held<'a>(
        &self,
        mailbox: Option<&'a Mailbox>,
    ) -> Result<Vec<(i64, HeldDelete)>, PortError> {
        self.get_held(mailbox)
    }
    async fn take_held(&self, id: i64) -> Result<Option<HeldDelete>, PortError> {
        self.take(id)
    }
    async fn append_journal(&self, entry: &JournalEntry) -> Result<(), PortError> {
        self.put_journal(entry)
    }
    async fn journal<'a>(
        &self,
        mailbox: Option<&'a Mailbox>,
        limit: usize,
    ) -> Result<Vec<JournalEntry>, PortError> {
        self.get_journal(mailbox, limit)
    }
    async fn prune_journal(&self, before: DateTime<Utc>) -> Result<usize, PortError> {
        self.prune(before)
    }
}
