//! Finishing creates and updates that a crash interrupted.
//!
//! The executor records an intent before each create and clears it with the
//! link right after. An intent still there means the process stopped in
//! between: the create may or may not have happened. Before anything else
//! reads the mailbox's pairs, each such intent is resolved: if the object
//! exists, it is linked (and tagged); if the original was deleted in the
//! meantime, the copy is deleted too; if the copy does not exist, the intent
//! is dropped and the next plan creates it again.
//!
//! An update of a linked pair records an intent too, with the link that
//! holds once it is written (see the executor). An update intent still there
//! is resolved by reading the written side: holding the written values, the
//! write happened and that link is saved; otherwise the old link stays.

use chrono::{DateTime, Utc};

use crate::error::PortError;
use crate::exec::Report;
use crate::ids::Version;
use crate::model::{ObjectKind, S4Key};
use crate::plan::operation::{Operation, Plan};
use crate::plan::plan_pair;
use crate::plan::state::{Link, Pair, Side};
use crate::ports::{Intent, PairKey, PendingUpdate};
use crate::sync::Syncer;

impl Syncer<'_> {
    /// Resolves the mailbox's interrupted creates.
    pub async fn recover(&self, now: DateTime<Utc>) -> Result<(), PortError> {
        let mailbox = &self.user.mailbox;
        for intent in self.store.intents(mailbox).await? {
            self.resolve(&intent, now).await?;
            self.store.clear_intent(mailbox, &intent.pair).await?;
        }
        Ok(())
    }

    async fn resolve(&self, intent: &Intent, now: DateTime<Utc>) -> Result<(), PortError> {
        if let Some(update) = &intent.update {
            return self.resolve_update(update, intent.kind).await;
        }
        let (s4, exchange, origin) = match &intent.pair {
            PairKey::Exchange(from) => {
                let Some(id) = intent.activity else {
                    return Ok(());
                };
                let key = match intent.kind {
                    ObjectKind::Task => S4Key::Task(id),
                    _ => S4Key::Appointment(id),
                };
                (
                    self.crm.get(&key).await?,
                    self.read_item(from, intent.kind).await?,
                    Side::Exchange,
                )
            }
            PairKey::S4(key) => (
                self.crm.get(key).await?,
                self.find_tagged(key).await?,
                Side::S4,
            ),
        };
        if let Some(s4) = &s4
            && self
                .store
                .link_by_s4(&self.user.mailbox, &s4.key)
                .await?
                .is_some()
        {
            return Ok(());
        }
        // The original was deleted meanwhile: the planner deletes the copy
        // (it carries the original's key).
        if s4.is_none() && origin == Side::S4 && exchange.is_some() {
            let pair = Pair {
                s4: None,
                exchange,
                link: None,
            };
            let plan = plan_pair(&pair, &self.context(now));
            return self.finish(&pair, plan, now).await;
        }
        // The copy holds what was written, so it serves as the last synced
        // state of both sides: a difference is a change to the original made
        // since (edits to the copy before it was linked give way). The
        // original's version is unknown, so its content is compared.
        let (copy, s4_version, exchange_version, s4_key, exchange_key) =
            match (&intent.pair, &s4, &exchange) {
                (PairKey::S4(_), Some(s), Some(e)) => (
                    e.record.clone(),
                    Version::unknown(),
                    e.version.clone(),
                    s.key.clone(),
                    e.key.clone(),
                ),
                // (The original may be gone: then the plan deletes the copy.)
                (PairKey::Exchange(from), Some(s), e) => (
                    s.record.clone(),
                    s.version.clone(),
                    Version::unknown(),
                    s.key.clone(),
                    e.as_ref().map_or_else(|| from.clone(), |e| e.key.clone()),
                ),
                // The copy was never made: the next plan makes it.
                _ => return Ok(()),
            };
        let untagged = exchange
            .as_ref()
            .is_some_and(|e| !e.key.is_occurrence() && e.link_key.is_none());
        let link = Link {
            mailbox: self.user.mailbox.clone(),
            s4: s4_key,
            exchange: exchange_key.clone(),
            s4_version,
            exchange_version,
            s4_seen: copy.clone(),
            exchange_seen: copy,
            origin,
        };
        let pair = Pair {
            s4,
            exchange,
            link: Some(link),
        };
        // The original's unknown version makes the plan end by saving the
        // link, unless the pair left the filters or the user the activity;
        // a kept copy from Outlook gets its key.
        let mut plan = plan_pair(&pair, &self.context(now));
        let linked = plan
            .ops
            .iter()
            .any(|op| matches!(op, Operation::SaveLink { .. }));
        if linked && untagged {
            plan.ops.push(Operation::TagExchange { key: exchange_key });
        }
        self.finish(&pair, plan, now).await
    }

    /// An update the process stopped in: if the written side holds the
    /// values, the write happened and its link holds; otherwise the old link
    /// stays and the change flows again.
    async fn resolve_update(
        &self,
        update: &PendingUpdate,
        kind: ObjectKind,
    ) -> Result<(), PortError> {
        let link = &update.link;
        if self
            .store
            .link_by_s4(&self.user.mailbox, &link.s4)
            .await?
            .is_none()
        {
            return Ok(());
        }
        let current = match update.side {
            Side::S4 => self.crm.get(&link.s4).await?.map(|i| i.record),
            Side::Exchange => self
                .read_item(&link.exchange, kind)
                .await?
                .map(|i| i.record),
        };
        if current.is_some_and(|r| update.changes.held_by(&r)) {
            self.store.save_link(link).await?;
        }
        Ok(())
    }

    async fn finish(
        &self,
        pair: &Pair,
        mut plan: Plan,
        now: DateTime<Utc>,
    ) -> Result<(), PortError> {
        if plan.ops.is_empty() {
            return Ok(());
        }
        plan.reasons
            .insert(0, "finishing a create that a restart interrupted".into());
        let report: Report = self.executor().execute(pair, &plan, now).await;
        match report.failure {
            Some(f) => Err(f.error),
            None => Ok(()),
        }
    }
}
