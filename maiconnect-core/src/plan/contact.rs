//! The decision table for contacts: S/4HANA → Outlook only.

use crate::model::{Contact, ObjectKind};
use crate::plan::fields::SyncRecord;
use crate::plan::merge::{MergeInput, merge};
use crate::plan::operation::{Operation, Plan, Reason};
use crate::plan::scope::Context;
use crate::plan::state::{MailboxItem, Pair, Side};

/// Plans one contact pair; `member` says whether the person belongs in the
/// mailbox through the trigger relationships.
pub(crate) fn plan(pair: &Pair, member: bool, ctx: &Context<'_>) -> Plan {
    let mut why = Vec::new();
    let ops = decide(pair, member, ctx, &mut why);
    let mut plan = Plan::empty(ctx.user.mailbox.clone(), ObjectKind::Contact, pair);
    plan.ops = ops;
    plan.reasons = why;
    plan
}

fn decide(pair: &Pair, member: bool, ctx: &Context<'_>, why: &mut Vec<Reason>) -> Vec<Operation> {
    let s4 = pair
        .s4
        .as_ref()
        .and_then(|i| Contact::from_record(&i.record).map(|c| (i, c)));
    let ex = pair
        .exchange
        .as_ref()
        .and_then(|i| Contact::from_record(&i.record).map(|c| (i, c)));
    if pair.s4.is_some() != s4.is_some() || pair.exchange.is_some() != ex.is_some() {
        why.push("a record of another kind was passed as a contact; left alone".into());
        return Vec::new();
    }
    let enabled = ctx.policy.contacts.enabled && ctx.user.enabled;
    if !enabled {
        if pair.link.is_some() {
            why.push("contact sync is off for this user; unlinked, contacts stay".into());
            return vec![Operation::Unlink];
        }
        return Vec::new();
    }
    match (s4, ex, &pair.link) {
        (None, None, None) => Vec::new(),
        (None, None, Some(_)) => {
            why.push("both copies are gone".into());
            vec![Operation::Unlink]
        }
        (Some((si, s)), None, None) => {
            if member {
                vec![Operation::CreateInExchange {
                    record: Box::new(s.clone().into_record()),
                    link_key: si.key.clone(),
                }]
            } else {
                Vec::new()
            }
        }
        (None, Some((ei, _)), None) => match &ei.link_key {
            Some(k) if k.kind() == ObjectKind::Contact => {
                why.push(Reason::Owned(format!(
                    "the contact belongs to {k}, which no longer exists in S/4HANA"
                )));
                vec![Operation::DeleteInExchange {
                    key: ei.key.clone(),
                }]
            }
            // The user's own contact: never touched.
            _ => Vec::new(),
        },
        (Some((_, s)), Some((ei, e)), None) => {
            if member {
                why.push("linked again through the key in the Outlook contact".into());
                merged(s, e, e, s, ctx, ei)
            } else {
                why.push("the contact no longer belongs in this mailbox".into());
                vec![Operation::DeleteInExchange {
                    key: ei.key.clone(),
                }]
            }
        }
        (Some((si, s)), None, Some(_)) => {
            if member {
                why.push("deleted in Outlook, but contacts follow S/4HANA: written again".into());
                vec![
                    Operation::Unlink,
                    Operation::CreateInExchange {
                        record: Box::new(s.clone().into_record()),
                        link_key: si.key.clone(),
                    },
                ]
            } else {
                vec![Operation::Unlink]
            }
        }
        (None, Some((ei, _)), Some(_)) => {
            why.push("the business partner is gone from S/4HANA".into());
            vec![Operation::DeleteInExchange {
                key: ei.key.clone(),
            }]
        }
        (Some((si, s)), Some((ei, e)), Some(link)) => {
            if !member {
                why.push("the relationship that brought the contact has ended".into());
                return vec![Operation::DeleteInExchange {
                    key: ei.key.clone(),
                }];
            }
            let (Some(s_seen), Some(e_seen)) = (
                Contact::from_record(&link.s4_seen),
                Contact::from_record(&link.exchange_seen),
            ) else {
                return merged(s, e, e, s, ctx, ei);
            };
            // A contact is read from two S/4 objects, the person and the
            // customer whose name is its company, but its version follows
            // the person only: the content says whether it changed.
            let s4_same = s.same_merged(s_seen);
            let ex_same = ei.version == link.exchange_version || e.same_merged(e_seen);
            if s4_same && ex_same {
                if si.version == link.s4_version && ei.version == link.exchange_version {
                    return Vec::new();
                }
                return vec![Operation::SaveLink { origin: Side::S4 }];
            }
            merged(s, s_seen, e, e_seen, ctx, ei)
        }
    }
}

/// One-way merge: S/4 changes flow; Outlook edits stay until S/4HANA
/// changes the same field. Linking without a recorded state passes each
/// copy as the other's last-seen one, so S/4HANA's values win.
fn merged(
    s: &Contact,
    s_seen: &Contact,
    e: &Contact,
    e_seen: &Contact,
    ctx: &Context<'_>,
    ei: &MailboxItem,
) -> Vec<Operation> {
    let out = merge(MergeInput {
        s4: s,
        s4_seen: s_seen,
        exchange: e,
        exchange_seen: e_seen,
        to_s4: false,
        to_exchange: true,
        masked: &[],
        conflict: &ctx.policy.conflict,
        newer: None,
    });
    let mut ops = Vec::new();
    if let Some(changes) = out.to_exchange {
        ops.push(Operation::UpdateExchange {
            key: ei.key.clone(),
            version: ei.version.clone(),
            changes,
        });
    }
    ops.push(Operation::SaveLink { origin: Side::S4 });
    ops
}
