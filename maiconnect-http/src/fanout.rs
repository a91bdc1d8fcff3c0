//! Which mailboxes an S/4HANA event concerns.
//!
//! An S/4 event names one object. The worker turns it into one piece of
//! work per mailbox concerned, in those mailboxes' lanes, so that each
//! mailbox's changes run in order.

use std::collections::BTreeSet;

use maiconnect_core::PortError;
use maiconnect_core::ids::{ActivityId, Mailbox, PartnerNo};
use maiconnect_core::model::{ObjectKind, PartnerCategory, Record, S4Event, S4Key, S4ObjectType};
use maiconnect_core::policy::Policy;
use maiconnect_core::ports::InboxEvent;

use crate::hub::Hub;

/// The follow-up work of an S/4 event.
pub async fn fan_out(hub: &Hub, event: &S4Event) -> Result<Vec<InboxEvent>, PortError> {
    let policy = hub.policy();
    match event.object_type {
        S4ObjectType::Appointment | S4ObjectType::Task => activity(hub, &policy, event).await,
        S4ObjectType::BusinessPartner => partner(hub, &policy, event).await,
        S4ObjectType::Relationship => relationship(hub, &policy, event).await,
    }
}

fn enabled_mailbox<'a>(policy: &'a Policy, mailbox: &Mailbox) -> Option<&'a Mailbox> {
    policy
        .users
        .iter()
        .find(|u| &u.mailbox == mailbox && u.enabled)
        .map(|u| &u.mailbox)
}

fn by_employee<'a>(policy: &'a Policy, partner: &PartnerNo) -> Option<&'a Mailbox> {
    policy
        .users
        .iter()
        .find(|u| &u.employee == partner && u.enabled)
        .map(|u| &u.mailbox)
}

async fn activity(
    hub: &Hub,
    policy: &Policy,
    event: &S4Event,
) -> Result<Vec<InboxEvent>, PortError> {
    let id: ActivityId = event.object_key.parse().map_err(|e| {
        PortError::new(
            maiconnect_core::ErrorKind::Invalid,
            format!("event {}: {e}", event.event_id),
        )
    })?;
    let key = match event.object_type {
        S4ObjectType::Task => S4Key::Task(id),
        _ => S4Key::Appointment(id),
    };
    let mut mailboxes: BTreeSet<Mailbox> = BTreeSet::new();
    for m in hub.store.mailboxes_concerned_by(&key)? {
        if let Some(m) = enabled_mailbox(policy, &m) {
            mailboxes.insert(m.clone());
        }
    }
    // The employees taking part now (a delete has nobody left to ask).
    let snapshot_seq = hub.store.link_seq();
    let snapshot = hub.crm.get(&key).await?;
    if let Some(item) = &snapshot {
        let partners: Vec<PartnerNo> = match &item.record {
            Record::Appointment(a) => a
                .owner
                .iter()
                .chain(a.attendees.iter().filter_map(|x| x.partner.as_ref()))
                .cloned()
                .collect(),
            Record::Task(t) => t.owner.iter().cloned().collect(),
            Record::Contact(_) => Vec::new(),
        };
        for p in partners {
            if let Some(m) = by_employee(policy, &p) {
                mailboxes.insert(m.clone());
            }
        }
    }
    // Each mailbox's step uses the object as read here instead of reading
    // it again; only a retry reads afresh.
    let snapshot = snapshot.map(Box::new);
    Ok(mailboxes
        .into_iter()
        .map(|mailbox| InboxEvent::S4Object {
            mailbox,
            key: key.clone(),
            snapshot: snapshot.clone(),
            snapshot_seq: Some(snapshot_seq),
        })
        .collect())
}

async fn partner(
    hub: &Hub,
    policy: &Policy,
    event: &S4Event,
) -> Result<Vec<InboxEvent>, PortError> {
    hub.partners.clear();
    let bp: PartnerNo = event.object_key.parse().map_err(|e| {
        PortError::new(
            maiconnect_core::ErrorKind::Invalid,
            format!("event {}: {e}", event.event_id),
        )
    })?;
    let mut persons = vec![bp];
    // A customer's name is the company of its contact persons.
    if let Some(p) = hub.crm.partner(&bp).await?
        && p.category == PartnerCategory::Organization
    {
        for r in hub.crm.relationships(&bp).await? {
            if r.kind == policy.contacts.customer_contact_relationship
                && let Some(person) = r.other_end(&bp)
            {
                persons.push(*person);
            }
        }
    }
    let mut out = Vec::new();
    for person in persons {
        let key = S4Key::Contact(person);
        for m in hub.store.mailboxes_concerned_by(&key)? {
            if let Some(m) = enabled_mailbox(policy, &m) {
                out.push(InboxEvent::S4Object {
                    mailbox: m.clone(),
                    key: key.clone(),
                    snapshot: None,
                    snapshot_seq: None,
                });
            }
        }
    }
    Ok(out)
}

async fn relationship(
    hub: &Hub,
    policy: &Policy,
    event: &S4Event,
) -> Result<Vec<InboxEvent>, PortError> {
    let Some(rel) = &event.relationship else {
        return Ok(Vec::new());
    };
    let mut mailboxes: BTreeSet<Mailbox> = BTreeSet::new();
    // The employee's own trigger relationships.
    for end in [&rel.from, &rel.to] {
        if let Some(m) = by_employee(policy, end) {
            mailboxes.insert(m.clone());
        }
    }
    if rel.kind == policy.contacts.customer_contact_relationship {
        // A contact person joined or left a customer: everyone looking
        // after that customer, and everyone holding the person.
        for end in [&rel.from, &rel.to] {
            if let Some(p) = hub.crm.partner(end).await?
                && p.category == PartnerCategory::Organization
            {
                for r in hub.crm.relationships(end).await? {
                    if r.kind == policy.contacts.trigger_relationship
                        && let Some(employee) = r.other_end(end)
                        && let Some(m) = by_employee(policy, employee)
                    {
                        mailboxes.insert(m.clone());
                    }
                }
            }
            for m in hub.store.mailboxes_concerned_by(&S4Key::Contact(*end))? {
                if let Some(m) = enabled_mailbox(policy, &m) {
                    mailboxes.insert(m.clone());
                }
            }
        }
    }
    Ok(mailboxes
        .into_iter()
        .map(|mailbox| InboxEvent::Resync {
            mailbox,
            kind: Some(ObjectKind::Contact),
            full: true,
        })
        .collect())
}
