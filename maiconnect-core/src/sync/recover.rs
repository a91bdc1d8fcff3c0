//! Finishing creates that a crash interrupted.
//!
//! The executor records an intent before each create and clears it with the
//! link right after. An intent still there means the process stopped in
//! between: the create may or may not have happened. Before anything else
//! reads the mailbox's pairs, each such intent is resolved: if the object
//! exists, it is linked (and tagged); if not, the intent is dropped and the
//! next plan creates it again.

use chrono::{DateTime, Utc};

use crate::error::PortError;
use crate::exec::Report;
use crate::model::{ObjectKind, S4Key};
use crate::plan::operation::{Operation, Plan};
use crate::plan::state::{Pair, Side};
use crate::ports::{Intent, PairKey};
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
        let mailbox = &self.user.mailbox;
        let (s4, exchange) = match &intent.pair {
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
                )
            }
            PairKey::S4(key) => {
                let found = self
                    .mailboxes
                    .find_linked(mailbox, intent.kind.folder(), key)
                    .await?;
                (self.crm.get(key).await?, found.into_iter().next())
            }
        };
        let (Some(s4), Some(exchange)) = (s4, exchange) else {
            return Ok(());
        };
        if self.store.link_by_s4(mailbox, &s4.key).await?.is_some() {
            return Ok(());
        }
        let origin = match intent.pair {
            PairKey::Exchange(_) => Side::Exchange,
            PairKey::S4(_) => Side::S4,
        };
        let mut ops = Vec::new();
        if origin == Side::Exchange && !exchange.key.is_occurrence() && exchange.link_key.is_none()
        {
            ops.push(Operation::TagExchange {
                key: exchange.key.clone(),
            });
        }
        // Record what each side holds now; the next plan merges any
        // difference by the conflict rule.
        let save = Operation::SaveLink { origin };
        ops.insert(0, save);
        let pair = Pair {
            s4: Some(s4),
            exchange: Some(exchange),
            link: None,
        };
        let mut plan = Plan::empty(mailbox.clone(), intent.kind, &pair);
        plan.ops = ops;
        plan.reasons = vec!["finishing a create that a restart interrupted".into()];
        let report: Report = self.executor().execute(&pair, &plan, now).await;
        match report.failure {
            Some(f) => Err(f.error),
            None => Ok(()),
        }
    }
}
