//! Finding both copies of a pair for one changed object or item.

use chrono::{DateTime, Utc};

use crate::error::PortError;
use crate::ids::{ItemId, Version};
use crate::model::{ExchangeKey, ObjectKind, Occurrence, Record, S4Key};
use crate::plan::state::{Link, MailboxItem, Pair, S4Item};
use crate::plan::{Plan, plan_pair};
use crate::sync::enrich::enrich;
use crate::sync::{Outcome, Syncer};

/// The copy of one occurrence of a series, as the planner sees it.
pub(super) fn occurrence_item(master: &MailboxItem, occ: &Occurrence) -> MailboxItem {
    let mut record = master.record.clone();
    if let Record::Appointment(a) = &mut record {
        a.recurrence = None;
        a.when = occ.when.clone();
        if let Some(m) = &occ.modified {
            if let Some(s) = &m.subject {
                a.subject.clone_from(s);
            }
            if let Some(l) = &m.location {
                a.location.clone_from(l);
            }
        }
    }
    MailboxItem {
        key: ExchangeKey {
            item: master.key.item.clone(),
            occurrence: Some(occ.original_start),
        },
        version: master.version.clone(),
        record,
        changed_at: master.changed_at,
        link_key: None,
    }
}

/// What an event already tells, so that the syncer need not read it again.
///
/// Trusting the link means taking the recorded state as the truth about the
/// side that did not report a change. Writes carry that side's recorded
/// version, so if it did change after all the write fails as a conflict
/// (or not found) and the retry reads everything.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    /// The S/4 object as read when the event fanned out.
    pub s4: Option<S4Item>,
    /// The mailbox item's version as the notification gave it.
    pub exchange_version: Option<Version>,
    /// Take the recorded link as the state of the side not read.
    pub trust_link: bool,
}

/// The mailbox side of a pair as the link recorded it.
fn as_recorded_exchange(link: &Link) -> MailboxItem {
    MailboxItem {
        key: link.exchange.clone(),
        version: link.exchange_version.clone(),
        record: link.exchange_seen.clone(),
        changed_at: None,
        link_key: Some(link.s4.clone()),
    }
}

/// The S/4 side of a pair as the link recorded it.
fn as_recorded_s4(link: &Link) -> S4Item {
    S4Item {
        key: link.s4.clone(),
        version: link.s4_version.clone(),
        record: link.s4_seen.clone(),
        changed_at: None,
    }
}

/// Whether a notification naming `version` for an item reports our own
/// write coming back (or a state already synced): every link of the item
/// recorded exactly that version (`recorded`: their Exchange versions), so
/// there is nothing new to read.
pub fn is_own_write<'a>(
    recorded: impl IntoIterator<Item = &'a Version>,
    version: &Version,
) -> bool {
    let mut any = false;
    for r in recorded {
        if r != version {
            return false;
        }
        any = true;
    }
    any
}

impl Syncer<'_> {
    /// Reads one mailbox item (or one occurrence through its master);
    /// `None` when it is gone.
    pub(super) async fn read_item(
        &self,
        key: &ExchangeKey,
        kind: ObjectKind,
    ) -> Result<Option<MailboxItem>, PortError> {
        let got = self
            .mailboxes
            .get(
                &self.user.mailbox,
                kind.folder(),
                std::slice::from_ref(&key.item),
            )
            .await?;
        let Some(item) = got.into_iter().next().transpose()?.flatten() else {
            return Ok(None);
        };
        let item = match key.occurrence {
            None => Some(item),
            Some(original) => match &item.record {
                Record::Appointment(a) => match &a.recurrence {
                    Some(r) => r
                        .find(&a.when, original)
                        .map(|occ| occurrence_item(&item, &occ)),
                    None => None,
                },
                _ => None,
            },
        };
        match item {
            Some(mut i) => {
                enrich(&mut i, self.crm, self.partners, self.policy).await?;
                Ok(Some(i))
            }
            None => Ok(None),
        }
    }

    /// Syncs one S/4 object into this mailbox, reading both sides.
    pub async fn sync_s4(&self, key: &S4Key, now: DateTime<Utc>) -> Result<Outcome, PortError> {
        self.sync_s4_hinted(key, Hints::default(), now).await
    }

    /// Syncs one S/4 object into this mailbox, using what the event told.
    pub async fn sync_s4_hinted(
        &self,
        key: &S4Key,
        hints: Hints,
        now: DateTime<Utc>,
    ) -> Result<Outcome, PortError> {
        self.sync_s4_with(key, hints, now, true).await
    }

    pub(super) async fn sync_s4_unguarded(
        &self,
        key: &S4Key,
        now: DateTime<Utc>,
    ) -> Result<Outcome, PortError> {
        self.sync_s4_with(key, Hints::default(), now, false).await
    }

    async fn sync_s4_with(
        &self,
        key: &S4Key,
        hints: Hints,
        now: DateTime<Utc>,
        guarded: bool,
    ) -> Result<Outcome, PortError> {
        self.recover(now).await?;
        if let S4Key::Contact(partner) = key {
            return self.sync_contact(partner, now, guarded).await;
        }
        let planned = self.plan_s4(key, hints, now).await?;
        self.run(vec![planned], guarded, now).await
    }

    /// Plans one S/4 object in this mailbox without executing.
    pub async fn plan_s4(
        &self,
        key: &S4Key,
        hints: Hints,
        now: DateTime<Utc>,
    ) -> Result<(Pair, Plan), PortError> {
        let mailbox = &self.user.mailbox;
        let s4 = match hints.s4 {
            Some(item) if &item.key == key => Some(item),
            _ => self.crm.get(key).await?,
        };
        let link = self.store.link_by_s4(mailbox, key).await?;
        let exchange = match &link {
            Some(l) if hints.trust_link => Some(as_recorded_exchange(l)),
            Some(l) => self.read_item(&l.exchange, key.kind()).await?,
            // Once the mailbox's initial sync has run, every copy we made is
            // linked; before it, a copy may exist whose link was lost.
            None if s4.is_some() && !(hints.trust_link && self.synced_once(key.kind()).await?) => {
                self.find_tagged(key).await?
            }
            None => None,
        };
        let pair = Pair { s4, exchange, link };
        let plan = plan_pair(&pair, &self.context(now));
        Ok((pair, plan))
    }

    /// Whether the initial sync of the kind's folder has run.
    async fn synced_once(&self, kind: ObjectKind) -> Result<bool, PortError> {
        Ok(self
            .store
            .cursor(&self.user.mailbox, kind.folder())
            .await?
            .is_some())
    }

    /// The mailbox item tagged with `key` (a copy we created but whose link
    /// was lost), if any.
    pub(super) async fn find_tagged(&self, key: &S4Key) -> Result<Option<MailboxItem>, PortError> {
        let found = self
            .mailboxes
            .find_linked(&self.user.mailbox, key.kind().folder(), key)
            .await?;
        match found.into_iter().next() {
            Some(mut i) => {
                enrich(&mut i, self.crm, self.partners, self.policy).await?;
                Ok(Some(i))
            }
            None => Ok(None),
        }
    }

    /// Syncs one mailbox item (all occurrences of a series) that was
    /// created, changed or deleted, reading both sides.
    pub async fn sync_item(
        &self,
        item: &ItemId,
        kind: ObjectKind,
        now: DateTime<Utc>,
    ) -> Result<Outcome, PortError> {
        self.sync_item_hinted(item, kind, Hints::default(), now)
            .await
    }

    /// Syncs one mailbox item, using what the notification told.
    pub async fn sync_item_hinted(
        &self,
        item: &ItemId,
        kind: ObjectKind,
        hints: Hints,
        now: DateTime<Utc>,
    ) -> Result<Outcome, PortError> {
        self.recover(now).await?;
        let plans = self.plan_item(item, kind, hints, now).await?;
        self.run(plans, true, now).await
    }

    pub(super) async fn sync_item_unguarded(
        &self,
        item: &ItemId,
        kind: ObjectKind,
        now: DateTime<Utc>,
    ) -> Result<Outcome, PortError> {
        self.recover(now).await?;
        let plans = self.plan_item(item, kind, Hints::default(), now).await?;
        self.run(plans, false, now).await
    }

    /// Plans one mailbox item without executing.
    pub async fn plan_item(
        &self,
        item: &ItemId,
        kind: ObjectKind,
        hints: Hints,
        now: DateTime<Utc>,
    ) -> Result<Vec<(Pair, Plan)>, PortError> {
        let mailbox = &self.user.mailbox;
        let links = self.store.links_by_item(mailbox, item).await?;
        if hints
            .exchange_version
            .as_ref()
            .is_some_and(|v| is_own_write(links.iter().map(|l| &l.exchange_version), v))
        {
            return Ok(Vec::new());
        }
        let got = self
            .mailboxes
            .get(mailbox, kind.folder(), std::slice::from_ref(item))
            .await?;
        let current = got.into_iter().next().transpose()?.flatten();
        let mut pairs = Vec::new();
        match current {
            None => {
                for link in links {
                    let s4 = self.s4_side(&link, &hints).await?;
                    pairs.push(Pair {
                        s4,
                        exchange: None,
                        link: Some(link),
                    });
                }
            }
            Some(master) if is_series(&master) => {
                pairs = self.series_pairs(master, links, now).await?;
            }
            Some(mut single) => {
                enrich(&mut single, self.crm, self.partners, self.policy).await?;
                for link in links.iter().filter(|l| l.exchange.occurrence.is_some()) {
                    // Was a series, is a single item now: its occurrences are gone.
                    let s4 = self.crm.get(&link.s4).await?;
                    pairs.push(Pair {
                        s4,
                        exchange: None,
                        link: Some(link.clone()),
                    });
                }
                let link = links.into_iter().find(|l| l.exchange.occurrence.is_none());
                let pair = self.pair_for_single(single, link, &hints).await?;
                pairs.push(pair);
            }
        }
        let ctx = self.context(now);
        Ok(pairs
            .into_iter()
            .map(|p| (plan_pair(&p, &ctx), p))
            .map(|(plan, p)| (p, plan))
            .collect())
    }

    /// The S/4 side of a linked pair: as recorded when trusted, else read.
    async fn s4_side(&self, link: &Link, hints: &Hints) -> Result<Option<S4Item>, PortError> {
        if hints.trust_link {
            Ok(Some(as_recorded_s4(link)))
        } else {
            self.crm.get(&link.s4).await
        }
    }

    /// A single item with its link, or its S/4 object found through its tag.
    async fn pair_for_single(
        &self,
        mut single: MailboxItem,
        link: Option<Link>,
        hints: &Hints,
    ) -> Result<Pair, PortError> {
        if let Some(link) = link {
            let s4 = self.s4_side(&link, hints).await?;
            return Ok(Pair {
                s4,
                exchange: Some(single),
                link: Some(link),
            });
        }
        let Some(tag) = single.link_key.clone() else {
            return Ok(Pair {
                s4: None,
                exchange: Some(single),
                link: None,
            });
        };
        // The tag names an S/4 object. If that object is linked to another
        // item that still exists, this item is a copy made in Outlook: it
        // counts as a new item of its own.
        if let Some(other) = self.store.link_by_s4(&self.user.mailbox, &tag).await?
            && other.exchange.item != single.key.item
            && self.read_item(&other.exchange, tag.kind()).await?.is_some()
        {
            single.link_key = None;
            return Ok(Pair {
                s4: None,
                exchange: Some(single),
                link: None,
            });
        }
        let s4 = self.crm.get(&tag).await?;
        Ok(Pair {
            s4,
            exchange: Some(single),
            link: None,
        })
    }

    /// The pairs of a recurring series: one per occurrence in the horizon,
    /// plus every linked occurrence (deleted ones read as gone).
    async fn series_pairs(
        &self,
        master: MailboxItem,
        links: Vec<Link>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Pair>, PortError> {
        let Record::Appointment(a) = &master.record else {
            return Ok(Vec::new());
        };
        let Some(series) = &a.recurrence else {
            return Ok(Vec::new());
        };
        let (from, _) = self.context(now).window();
        let mut pairs = Vec::new();
        let mut seen = Vec::new();
        for occ in series.expand(&a.when, from, self.horizon(now)) {
            let mut item = occurrence_item(&master, &occ);
            enrich(&mut item, self.crm, self.partners, self.policy).await?;
            let link = links
                .iter()
                .find(|l| l.exchange.occurrence == Some(occ.original_start))
                .cloned();
            let s4 = match &link {
                Some(l) => self.crm.get(&l.s4).await?,
                None => None,
            };
            seen.push(occ.original_start);
            pairs.push(Pair {
                s4,
                exchange: Some(item),
                link,
            });
        }
        for link in links {
            if link.exchange.occurrence.is_some_and(|o| seen.contains(&o)) {
                continue;
            }
            let exchange = match link.exchange.occurrence {
                Some(o) => match series.find(&a.when, o) {
                    Some(occ) => {
                        let mut item = occurrence_item(&master, &occ);
                        enrich(&mut item, self.crm, self.partners, self.policy).await?;
                        Some(item)
                    }
                    None => None,
                },
                // Was a single item, is a series now: the single one is gone.
                None => None,
            };
            let s4 = self.crm.get(&link.s4).await?;
            pairs.push(Pair {
                s4,
                exchange,
                link: Some(link),
            });
        }
        Ok(pairs)
    }
}

fn is_series(item: &MailboxItem) -> bool {
    matches!(&item.record, Record::Appointment(a) if a.recurrence.is_some())
}
