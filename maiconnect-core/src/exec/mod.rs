//! The executor: applies a plan through the ports and records the synced
//! state, so that a crash after any operation followed by a re-run neither
//! loses nor repeats a write.
//!
//! How that holds:
//! - A create first records an [`Intent`]; the re-run finds it and looks for
//!   the object before creating (the mailbox item by its extended property,
//!   the S/4 activity by the GUID the intent chose). The link is saved right
//!   after the create.
//! - A delete removes the link right after it.
//! - An update applies its [`Changes`] to the copy the
//!   plan was made from; the result is what the adapter writes (only the
//!   changed fields) and what the link records.
//! - An update of a linked pair first records an intent holding the link
//!   that is true once the write is done (the written fields seen on both
//!   sides, see `pending.rs`), and saves that link right after the write.
//!   After a crash during the write, recovery reads the written side: if it
//!   holds the values, that link is saved; if not, the old link stays and
//!   the change flows again. So our own write never reads as a person's
//!   change, even when the source side changed again while the hub was
//!   down.
//! - The plan's last step records both sides in full.
//!
//! The executor never sleeps: a transient failure comes back with the time
//! from which to retry.

mod attachments;
mod pending;

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::error::{ErrorKind, PortError, Retry};
use crate::ids::{ActivityId, Mailbox, Version};
use crate::model::{ExchangeKey, Folder, Record, S4Key};
use crate::plan::changes::Changes;
use crate::plan::fields::Field;
use crate::plan::operation::{Operation, Plan, show_field};
use crate::plan::state::{Link, Pair, Side};
use crate::ports::{
    Created, Crm, Intent, JournalEntry, MailboxPort, PairKey, PendingUpdate, StateStore,
};

/// Default pause before retrying a transient failure without a server hint;
/// the hub stretches it with its own back-off.
pub const DEFAULT_RETRY: Duration = Duration::from_secs(5);

/// The outcome of executing one plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Operations done, in order.
    pub done: Vec<String>,
    /// The operation that failed, if one did; the rest of the plan was not run.
    pub failure: Option<Failure>,
}

impl Report {
    /// Whether the whole plan ran.
    pub fn ok(&self) -> bool {
        self.failure.is_none()
    }
}

/// One failed operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// The operation, as the plan had it.
    pub operation: Operation,
    /// What the port said.
    pub error: PortError,
    /// When to try again; `None` when only a person can fix it.
    pub retry_at: Option<DateTime<Utc>>,
}

/// Chooses GUIDs for activities created in S/4HANA.
pub trait IdSource: Send + Sync {
    /// A new GUID.
    fn new_activity_id(&self) -> ActivityId;
}

/// Random v4 GUIDs.
#[derive(Debug, Default, Clone, Copy)]
pub struct RandomIds;

impl IdSource for RandomIds {
    fn new_activity_id(&self) -> ActivityId {
        ActivityId::from_uuid(uuid::Uuid::new_v4())
    }
}

/// Applies plans through the ports.
pub struct Executor<'a> {
    /// S/4HANA.
    pub crm: &'a dyn Crm,
    /// The mailbox's environment.
    pub mailboxes: &'a dyn MailboxPort,
    /// The state store.
    pub store: &'a dyn StateStore,
    /// Where new activity GUIDs come from.
    pub ids: &'a dyn IdSource,
}

/// The keys and versions of a pair as the plan runs.
struct Running {
    s4: Option<(S4Key, Version, Record)>,
    exchange: Option<(ExchangeKey, Version, Record)>,
    link: Option<Link>,
}

impl Executor<'_> {
    /// Executes the plan made for `pair`; `now` stamps the journal and
    /// retry times.
    pub async fn execute(&self, pair: &Pair, plan: &Plan, now: DateTime<Utc>) -> Report {
        let mut run = Running {
            s4: pair
                .s4
                .as_ref()
                .map(|s| (s.key.clone(), s.version.clone(), s.record.clone())),
            exchange: pair
                .exchange
                .as_ref()
                .map(|e| (e.key.clone(), e.version.clone(), e.record.clone())),
            link: pair.link.clone(),
        };
        let mut done = Vec::new();
        for op in &plan.ops {
            match self.apply(plan, op, &mut run, now).await {
                Ok(()) => done.push(op.to_string()),
                Err(mut error) => {
                    // An item gone or changed under a write was read from a
                    // stale (or trusted) state: read again and re-plan.
                    let write_in_place = matches!(
                        op,
                        Operation::UpdateExchange { .. }
                            | Operation::UpdateS4 { .. }
                            | Operation::TagExchange { .. }
                    );
                    if write_in_place && error.kind == crate::error::ErrorKind::NotFound {
                        error.retry = Retry::Replan;
                    }
                    let retry_at = match error.retry {
                        Retry::Never => None,
                        Retry::Replan => Some(now),
                        Retry::Later { after } => {
                            let d = after.unwrap_or(DEFAULT_RETRY);
                            Some(
                                now + chrono::Duration::from_std(d)
                                    .unwrap_or(chrono::Duration::seconds(5)),
                            )
                        }
                    };
                    return Report {
                        done,
                        failure: Some(Failure {
                            operation: op.clone(),
                            error,
                            retry_at,
                        }),
                    };
                }
            }
        }
        Report {
            done,
            failure: None,
        }
    }

    async fn apply(
        &self,
        plan: &Plan,
        op: &Operation,
        run: &mut Running,
        now: DateTime<Utc>,
    ) -> Result<(), PortError> {
        let mailbox = &plan.mailbox;
        let folder = plan.kind.folder();
        match op {
            Operation::CreateInExchange { record, link_key } => {
                let pair = PairKey::S4(link_key.clone());
                // (An update's intent is no create's: recovery resolves those
                // before anything is planned.)
                let retried = self
                    .store
                    .intent(mailbox, &pair)
                    .await?
                    .is_some_and(|i| i.update.is_none());
                let existing = if retried {
                    self.mailboxes
                        .find_linked(mailbox, folder, link_key)
                        .await?
                        .into_iter()
                        .next()
                } else {
                    self.store
                        .save_intent(&Intent {
                            mailbox: mailbox.clone(),
                            pair: pair.clone(),
                            kind: plan.kind,
                            activity: None,
                            at: now,
                            update: None,
                        })
                        .await?;
                    None
                };
                let (key, mut version, adopted) = match existing {
                    Some(item) => (item.key, item.version, true),
                    None => {
                        let (k, v) = self
                            .mailboxes
                            .create(mailbox, folder, record, Some(link_key))
                            .await?;
                        (k, v, false)
                    }
                };
                let mut written: Record = (**record).clone();
                if !adopted {
                    version = attachments::copy_to_exchange(
                        self,
                        mailbox,
                        link_key,
                        &key,
                        &mut written,
                        version,
                    )
                    .await?;
                }
                let (s4_version, s4_seen) = match &run.s4 {
                    Some((_, v, r)) => (v.clone(), r.clone()),
                    None => return Err(mismatch("create in Exchange without an S/4 object")),
                };
                let link = new_link(
                    mailbox,
                    link_key.clone(),
                    key.clone(),
                    s4_version,
                    version.clone(),
                    s4_seen,
                    written.clone(),
                    Side::S4,
                );
                self.store.save_link(&link).await?;
                self.store.clear_intent(mailbox, &pair).await?;
                self.journal(
                    plan,
                    Side::Exchange,
                    op,
                    link_key,
                    &key,
                    &[],
                    None,
                    &written,
                    now,
                )
                .await?;
                run.exchange = Some((key, version, written));
                run.link = Some(link);
            }
            Operation::CreateInS4 { record, from } => {
                let pair = PairKey::Exchange(from.clone());
                let kind = record.kind();
                let (id, retried) = match self.store.intent(mailbox, &pair).await? {
                    Some(Intent {
                        activity: Some(id), ..
                    }) => (id, true),
                    _ => {
                        let id = self.ids.new_activity_id();
                        let intent = Intent {
                            mailbox: mailbox.clone(),
                            pair: pair.clone(),
                            kind,
                            activity: Some(id),
                            at: now,
                            update: None,
                        };
                        self.store.save_intent(&intent).await?;
                        (id, false)
                    }
                };
                let key = match kind {
                    crate::model::ObjectKind::Task => S4Key::Task(id),
                    _ => S4Key::Appointment(id),
                };
                let existing = if retried {
                    self.crm.get(&key).await?
                } else {
                    None
                };
                let mut written: Record = (**record).clone();
                // The key linked is the one S/4HANA holds the object under:
                // a server that assigns its own keys answers with another.
                let (key, version) = match existing {
                    Some(item) => (item.key, item.version),
                    None => {
                        let mut bare: Record = (**record).clone();
                        attachments::strip(&mut bare);
                        let created = match self.crm.create(&key, &bare, Some(from)).await {
                            Ok(c) => c,
                            Err(e) if e.kind == ErrorKind::AlreadyExists => self
                                .crm
                                .get(&key)
                                .await?
                                .map(|i| Created {
                                    key: i.key,
                                    version: i.version,
                                })
                                .ok_or_else(|| {
                                    PortError::new(
                                        ErrorKind::Other,
                                        format!("{key} exists but cannot be read"),
                                    )
                                })?,
                            Err(e) => return Err(e),
                        };
                        attachments::copy_to_s4(self, mailbox, &created.key, &mut written).await?;
                        (created.key, created.version)
                    }
                };
                let (ex_version, ex_seen) = match &run.exchange {
                    Some((_, v, r)) => (v.clone(), r.clone()),
                    None => return Err(mismatch("create in S/4HANA without a mailbox item")),
                };
                let link = new_link(
                    mailbox,
                    key.clone(),
                    from.clone(),
                    version.clone(),
                    ex_version,
                    written.clone(),
                    ex_seen,
                    Side::Exchange,
                );
                self.store.save_link(&link).await?;
                self.store.clear_intent(mailbox, &pair).await?;
                self.journal(plan, Side::S4, op, &key, from, &[], None, &written, now)
                    .await?;
                run.s4 = Some((key, version, written));
                run.link = Some(link);
            }
            Operation::TagExchange { key } => {
                let link_key = run
                    .link
                    .as_ref()
                    .map(|l| l.s4.clone())
                    .ok_or_else(|| mismatch("tag without a link"))?;
                // The tag overwrites whatever version the item has now, so
                // the version it returns may include a change made in Outlook
                // since we read the item: it is not recorded. The tag's own
                // notification then reads the item once and finds only the
                // version changed (or the person's change, which flows).
                self.mailboxes.tag(mailbox, key, &link_key).await?;
            }
            Operation::UpdateExchange {
                key,
                version,
                changes,
            } => {
                let (s4_key, before) = match (&run.s4, &run.exchange) {
                    (Some((k, _, _)), Some((_, _, r))) => (k.clone(), r.clone()),
                    _ => return Err(mismatch("update without both copies")),
                };
                let mut written = before.clone();
                changes.apply_to_record(&mut written);
                let fields = changes.fields();
                let mut version = version.clone();
                let pending = self
                    .pending(plan, run, Side::Exchange, changes, now)
                    .await?;
                let plain = without_attachments(&fields);
                if !plain.is_empty() {
                    version = self
                        .mailboxes
                        .update(mailbox, key, &version, &plain, &written)
                        .await?;
                }
                if changes.contains(Field::Attachments) {
                    version = attachments::sync_to_exchange(
                        self,
                        mailbox,
                        &s4_key,
                        key,
                        &before,
                        &mut written,
                        version,
                    )
                    .await?;
                }
                self.written(mailbox, run, pending).await?;
                self.journal(
                    plan,
                    Side::Exchange,
                    op,
                    &s4_key,
                    key,
                    &fields,
                    Some(&before),
                    &written,
                    now,
                )
                .await?;
                run.exchange = Some((key.clone(), version, written));
            }
            Operation::UpdateS4 {
                key,
                version,
                changes,
            } => {
                let (ex_key, before) = match (&run.exchange, &run.s4) {
                    (Some((k, _, _)), Some((_, _, r))) => (k.clone(), r.clone()),
                    _ => return Err(mismatch("update without both copies")),
                };
                let mut written = before.clone();
                changes.apply_to_record(&mut written);
                let fields = changes.fields();
                let mut new_version = version.clone();
                let pending = self.pending(plan, run, Side::S4, changes, now).await?;
                let plain = without_attachments(&fields);
                if !plain.is_empty()
                    && let Some(v) = self.crm.update(key, version, &plain, &written).await?
                {
                    new_version = v;
                }
                if changes.contains(Field::Attachments) {
                    attachments::sync_to_s4(self, mailbox, key, &before, &mut written).await?;
                }
                self.written(mailbox, run, pending).await?;
                self.journal(
                    plan,
                    Side::S4,
                    op,
                    key,
                    &ex_key,
                    &fields,
                    Some(&before),
                    &written,
                    now,
                )
                .await?;
                run.s4 = Some((key.clone(), new_version, written));
            }
            Operation::DeleteInExchange { key } => {
                self.mailboxes.delete(mailbox, key).await?;
                let s4 = run
                    .link
                    .as_ref()
                    .map(|l| l.s4.clone())
                    .or_else(|| run.s4.as_ref().map(|s| s.0.clone()));
                if let Some(s4) = &s4 {
                    self.store.remove_link(mailbox, s4).await?;
                }
                self.journal_delete(plan, Side::Exchange, op, s4, Some(key.clone()), now)
                    .await?;
                run.link = None;
                run.exchange = None;
            }
            Operation::DeleteInS4 { key, version } => {
                self.crm.delete(key, version).await?;
                self.store.remove_link(mailbox, key).await?;
                let ex = run.exchange.as_ref().map(|e| e.0.clone());
                self.journal_delete(plan, Side::S4, op, Some(key.clone()), ex, now)
                    .await?;
                run.link = None;
                run.s4 = None;
            }
            Operation::SaveLink { origin } => {
                let (
                    Some((s4_key, s4_version, s4_seen)),
                    Some((ex_key, ex_version, exchange_seen)),
                ) = (&run.s4, &run.exchange)
                else {
                    return Err(mismatch("save without both copies"));
                };
                let origin = run.link.as_ref().map_or(*origin, |l| l.origin);
                let link = new_link(
                    mailbox,
                    s4_key.clone(),
                    ex_key.clone(),
                    s4_version.clone(),
                    ex_version.clone(),
                    s4_seen.clone(),
                    exchange_seen.clone(),
                    origin,
                );
                if run.link.as_ref() != Some(&link) {
                    self.store.save_link(&link).await?;
                }
                run.link = Some(link);
            }
            Operation::Unlink => {
                if let Some(link) = run.link.take() {
                    self.store.remove_link(mailbox, &link.s4).await?;
                }
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn journal(
        &self,
        plan: &Plan,
        side: Side,
        op: &Operation,
        s4: &S4Key,
        exchange: &ExchangeKey,
        fields: &[Field],
        before: Option<&Record>,
        after: &Record,
        now: DateTime<Utc>,
    ) -> Result<(), PortError> {
        let fields = fields
            .iter()
            .map(|f| {
                let b = before.map(|r| show_field(r, *f)).unwrap_or_default();
                (f.name().to_owned(), b, show_field(after, *f))
            })
            .collect();
        let entry = JournalEntry {
            at: now,
            mailbox: plan.mailbox.clone(),
            side,
            operation: op.name().into(),
            s4: Some(s4.clone()),
            exchange: Some(exchange.clone()),
            fields,
            reason: if plan.reasons.is_empty() {
                after.summary()
            } else {
                plan.reasons.join("; ")
            },
        };
        self.store.append_journal(&entry).await
    }

    async fn journal_delete(
        &self,
        plan: &Plan,
        side: Side,
        op: &Operation,
        s4: Option<S4Key>,
        exchange: Option<ExchangeKey>,
        now: DateTime<Utc>,
    ) -> Result<(), PortError> {
        let entry = JournalEntry {
            at: now,
            mailbox: plan.mailbox.clone(),
            side,
            operation: op.name().into(),
            s4,
            exchange,
            fields: Vec::new(),
            reason: plan.reasons.join("; "),
        };
        self.store.append_journal(&entry).await
    }

    /// Before an update of a linked pair: records the link that holds once
    /// `changes` are written to `side` (see [`pending`]).
    async fn pending(
        &self,
        plan: &Plan,
        run: &Running,
        side: Side,
        changes: &Changes,
        now: DateTime<Utc>,
    ) -> Result<Option<(PairKey, Link)>, PortError> {
        let (Some(link), Some(source)) = (
            &run.link,
            match side {
                Side::S4 => run.exchange.as_ref().map(|e| &e.2),
                Side::Exchange => run.s4.as_ref().map(|s| &s.2),
            },
        ) else {
            return Ok(None);
        };
        let both_ways: Vec<Field> = plan
            .ops
            .iter()
            .filter_map(|op| match (op, side) {
                (Operation::UpdateExchange { changes, .. }, Side::S4)
                | (Operation::UpdateS4 { changes, .. }, Side::Exchange) => Some(changes.fields()),
                _ => None,
            })
            .flatten()
            .collect();
        let next = pending::pending_link(link, side, changes, source, &both_ways);
        let pair = PairKey::S4(link.s4.clone());
        self.store
            .save_intent(&Intent {
                mailbox: plan.mailbox.clone(),
                pair: pair.clone(),
                kind: plan.kind,
                activity: None,
                at: now,
                update: Some(PendingUpdate {
                    side,
                    changes: changes.clone(),
                    link: next.clone(),
                }),
            })
            .await?;
        Ok(Some((pair, next)))
    }

    /// After the update's write: its link holds.
    async fn written(
        &self,
        mailbox: &Mailbox,
        run: &mut Running,
        pending: Option<(PairKey, Link)>,
    ) -> Result<(), PortError> {
        if let Some((pair, link)) = pending {
            self.store.save_link(&link).await?;
            self.store.clear_intent(mailbox, &pair).await?;
            run.link = Some(link);
        }
        Ok(())
    }

    /// The folder of a record kind, for adapters that need it.
    pub fn folder_of(record: &Record) -> Folder {
        record.kind().folder()
    }
}

#[allow(clippy::too_many_arguments)]
fn new_link(
    mailbox: &Mailbox,
    s4: S4Key,
    exchange: ExchangeKey,
    s4_version: Version,
    exchange_version: Version,
    s4_seen: Record,
    exchange_seen: Record,
    origin: Side,
) -> Link {
    Link {
        mailbox: mailbox.clone(),
        s4,
        exchange,
        s4_version,
        exchange_version,
        s4_seen,
        exchange_seen,
        origin,
    }
}

/// The fields an update writes through the item write itself; attachments
/// are written one by one afterwards.
fn without_attachments(fields: &[Field]) -> Vec<Field> {
    fields
        .iter()
        .copied()
        .filter(|f| *f != Field::Attachments)
        .collect()
}

fn mismatch(what: &str) -> PortError {
    PortError::new(
        ErrorKind::Invalid,
        format!("the plan does not fit the pair: {what}"),
    )
}
