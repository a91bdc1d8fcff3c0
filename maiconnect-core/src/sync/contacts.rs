//! Contacts: which contact persons belong in the mailbox, and their sync.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use crate::error::PortError;
use crate::ids::PartnerNo;
use crate::model::{ObjectKind, PartnerCategory, S4Key};
use crate::plan::state::Pair;
use crate::plan::{Plan, contacts_for, plan_contact};
use crate::sync::{Outcome, Syncer};

impl Syncer<'_> {
    /// The contact persons that belong in this mailbox on the day of `now`.
    pub async fn contact_members(
        &self,
        now: DateTime<Utc>,
    ) -> Result<BTreeSet<PartnerNo>, PortError> {
        let policy = &self.policy.contacts;
        if !policy.enabled {
            return Ok(BTreeSet::new());
        }
        let employee = &self.user.employee;
        let mut relationships = self.crm.relationships(employee).await?;
        let mut categories: BTreeMap<PartnerNo, PartnerCategory> = BTreeMap::new();
        let triggers: Vec<PartnerNo> = relationships
            .iter()
            .filter(|r| r.kind == policy.trigger_relationship)
            .filter_map(|r| r.other_end(employee).cloned())
            .collect();
        for other in triggers {
            let Some(p) = self.crm.partner(&other).await? else {
                continue;
            };
            categories.insert(other, p.category);
            if p.category == PartnerCategory::Organization && policy.trigger_to_customer {
                relationships.extend(self.crm.relationships(&other).await?);
            }
        }
        let today = self.policy.zone_of(self.user).local(now).date();
        Ok(contacts_for(
            employee,
            &relationships,
            &categories,
            policy,
            today,
        ))
    }

    /// Syncs one contact person (after a change of the partner in S/4HANA).
    pub(super) async fn sync_contact(
        &self,
        partner: &PartnerNo,
        now: DateTime<Utc>,
        guarded: bool,
    ) -> Result<Outcome, PortError> {
        let key = S4Key::Contact(*partner);
        let link = self.store.link_by_s4(&self.user.mailbox, &key).await?;
        // A linked contact stays a member until a relationship event says
        // otherwise (that one resyncs all contacts of the mailbox).
        let member = link.is_some() || self.contact_members(now).await?.contains(partner);
        let planned = self.plan_one_contact(key, link, member, now).await?;
        self.run(vec![planned], guarded, now).await
    }

    async fn plan_one_contact(
        &self,
        key: S4Key,
        link: Option<crate::plan::Link>,
        member: bool,
        now: DateTime<Utc>,
    ) -> Result<(Pair, Plan), PortError> {
        let s4 = self.crm.get(&key).await?;
        let exchange = match &link {
            Some(l) => self.read_item(&l.exchange, ObjectKind::Contact).await?,
            None if s4.is_some() && member => {
                let found = self
                    .mailboxes
                    .find_linked(&self.user.mailbox, ObjectKind::Contact.folder(), &key)
                    .await?;
                found.into_iter().next()
            }
            None => None,
        };
        let pair = Pair { s4, exchange, link };
        let plan = plan_contact(&pair, member, &self.context(now));
        Ok((pair, plan))
    }

    /// Plans every contact of the mailbox: members that are missing or
    /// changed, and linked contacts that no longer belong.
    pub async fn plan_contacts(&self, now: DateTime<Utc>) -> Result<Vec<(Pair, Plan)>, PortError> {
        let members = self.contact_members(now).await?;
        let links = self
            .store
            .links(&self.user.mailbox, ObjectKind::Contact)
            .await?;
        let mut plans = Vec::new();
        for partner in &members {
            let key = S4Key::Contact(*partner);
            let link = links.iter().find(|l| l.s4 == key).cloned();
            plans.push(self.plan_one_contact(key, link, true, now).await?);
        }
        for link in links {
            let S4Key::Contact(partner) = &link.s4 else {
                continue;
            };
            if members.contains(partner) {
                continue;
            }
            let key = link.s4.clone();
            plans.push(self.plan_one_contact(key, Some(link), false, now).await?);
        }
        Ok(plans)
    }
}
