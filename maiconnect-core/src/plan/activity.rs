//! The decision table for appointments and tasks.
//!
//! One exhaustive `match` over (S/4 copy, mailbox copy, last synced state);
//! every arm is tested in `tests/planner_table.rs`.

use std::borrow::Cow;

use crate::model::Record;
use crate::plan::changes::Value;
use crate::plan::fields::Field;
use crate::plan::merge::{MergeInput, changed, merge};
use crate::plan::operation::{Operation, Plan, Reason};
use crate::plan::scope::{
    Activity, Context, Excluded, Role, disabled_fields, exchange_filter, masked_fields, newer,
    s4_filter,
};
use crate::plan::state::{Link, MailboxItem, Pair, S4Item, Side};
use crate::policy::{OutlookFilter, PrivatePolicy};

/// Plans one appointment or task pair.
pub(crate) fn plan<A: Activity>(pair: &Pair, ctx: &Context<'_>) -> Plan {
    let mut plan = Plan::empty(ctx.user.mailbox.clone(), A::KIND, pair);
    let (ops, reasons) = decide::<A>(pair, ctx);
    plan.ops = ops;
    plan.reasons = reasons;
    plan
}

type Decision = (Vec<Operation>, Vec<Reason>);

fn typed<'a, A: Activity>(r: &'a Record, what: &str, reasons: &mut Vec<Reason>) -> Option<&'a A> {
    let t = A::from_record(r);
    if t.is_none() {
        reasons.push(Reason::Owned(format!(
            "the {what} is a {} where a {} was expected; left alone",
            r.kind(),
            A::KIND
        )));
    }
    t
}

fn decide<A: Activity>(pair: &Pair, ctx: &Context<'_>) -> Decision {
    let mut why = Vec::new();
    let s4 = match &pair.s4 {
        Some(i) => match typed::<A>(&i.record, "S/4HANA object", &mut why) {
            Some(r) => Some((i, r)),
            None => return (Vec::new(), why),
        },
        None => None,
    };
    let ex = match &pair.exchange {
        Some(i) => match typed::<A>(&i.record, "mailbox item", &mut why) {
            Some(r) => Some((i, r)),
            None => return (Vec::new(), why),
        },
        None => None,
    };
    let ops = match (s4, ex, &pair.link) {
        (None, None, None) => Vec::new(),
        (None, None, Some(_)) => {
            why.push("both copies are gone".into());
            vec![Operation::Unlink]
        }
        (Some((si, s)), None, None) => match s4_filter(s, ctx) {
            Ok(_) => vec![create_in_exchange(si, s, ctx)],
            Err(e) => {
                why.push(Reason::Owned(format!("not written to Outlook: {e}")));
                Vec::new()
            }
        },
        (None, Some((ei, e)), None) => match &ei.link_key {
            Some(k) if k.kind() == A::KIND => {
                why.push(Reason::Owned(format!(
                    "the item belongs to {k}, which no longer exists in S/4HANA"
                )));
                vec![Operation::DeleteInExchange {
                    key: ei.key.clone(),
                }]
            }
            _ => match exchange_filter(e, &ei.key, ctx) {
                Ok(()) => create_in_s4(ei, e, ctx),
                Err(reason) => {
                    why.push(Reason::Owned(format!("not written to S/4HANA: {reason}")));
                    Vec::new()
                }
            },
        },
        (Some((si, s)), Some((ei, e)), None) => {
            let s_in = s4_filter(s, ctx);
            let e_in = exchange_filter(e, &ei.key, ctx);
            if s_in.is_err() && e_in.is_err() {
                why.push("a matching pair was found but neither side passes the filters".into());
                Vec::new()
            } else {
                why.push("linked again through the key in the Outlook item".into());
                // No common base: every differing field counts as changed on
                // both sides and follows the conflict rule.
                let origin = if ei.link_key.is_some() {
                    Side::S4
                } else {
                    Side::Exchange
                };
                merge_pair(si, s, e, ei, e, s, s_in.ok(), origin, ctx, &mut why)
            }
        }
        (Some((si, s)), None, Some(_)) => match s4_filter(s, ctx) {
            Err(reason) => {
                why.push(Reason::Owned(format!(
                    "deleted in Outlook and {reason}; unlinked"
                )));
                vec![Operation::Unlink]
            }
            Ok(Role::Owner) if A::outlook_to_s4(ctx.policy).enabled => {
                why.push("deleted in Outlook by the employee responsible".into());
                vec![Operation::DeleteInS4 {
                    key: si.key.clone(),
                    version: si.version.clone(),
                }]
            }
            Ok(role) => {
                why.push(match role {
                    Role::Owner => "deleted in Outlook, but Outlook → S/4HANA is off: S/4HANA is the master, so it is written again".into(),
                    Role::Participant => "deleted in Outlook by a participant: only the employee responsible can delete it, so it is written again".into(),
                });
                vec![Operation::Unlink, create_in_exchange(si, s, ctx)]
            }
        },
        (None, Some((ei, _)), Some(_)) => {
            why.push("deleted in S/4HANA".into());
            vec![Operation::DeleteInExchange {
                key: ei.key.clone(),
            }]
        }
        (Some((si, s)), Some((ei, e)), Some(link)) => {
            let s_in = s4_filter(s, ctx);
            let e_in = exchange_filter(e, &ei.key, ctx);
            match (&s_in, &e_in) {
                (Err(Excluded::NotInvolved), _) if link.origin == Side::S4 => {
                    why.push("the user no longer takes part in the activity".into());
                    vec![Operation::DeleteInExchange {
                        key: ei.key.clone(),
                    }]
                }
                (Err(a), Err(b)) => {
                    why.push(Reason::Owned(format!(
                        "left the filters (S/4HANA: {a}; Outlook: {b}); unlinked, not deleted"
                    )));
                    vec![Operation::Unlink]
                }
                _ => linked::<A>(si, s, ei, e, link, s_in.ok(), ctx, &mut why),
            }
        }
    };
    (ops, why)
}

/// Both copies exist and were linked: merge them.
#[allow(clippy::too_many_arguments)]
fn linked<A: Activity>(
    si: &S4Item,
    s: &A,
    ei: &MailboxItem,
    e: &A,
    link: &Link,
    role: Option<Role>,
    ctx: &Context<'_>,
    why: &mut Vec<Reason>,
) -> Vec<Operation> {
    let s4_same = si.version == link.s4_version;
    let ex_same = ei.version == link.exchange_version;
    if s4_same && ex_same {
        return Vec::new();
    }
    let (Some(s_seen), Some(e_seen)) = (
        A::from_record(&link.s4_seen),
        A::from_record(&link.exchange_seen),
    ) else {
        why.push("the recorded state has another kind; linked again".into());
        return merge_pair(si, s, e, ei, e, s, role, link.origin, ctx, why);
    };
    // Fast paths: an unchanged version is unchanged content, and content
    // equal to what we recorded is our own write coming back.
    let s_cur = if s4_same { s_seen } else { s };
    let e_cur = if ex_same || e.same_merged(e_seen) {
        e_seen
    } else {
        e
    };
    if std::ptr::eq(s_cur, s_seen) && std::ptr::eq(e_cur, e_seen) {
        why.push("only the versions changed (our own write came back)".into());
        return vec![save(link.origin)];
    }
    merge_pair(
        si,
        s_cur,
        s_seen,
        ei,
        e_cur,
        e_seen,
        role,
        link.origin,
        ctx,
        why,
    )
}

fn save(origin: Side) -> Operation {
    Operation::SaveLink { origin }
}

/// Merges with the given last-seen copies and turns the outcome into
/// operations. Linking two copies without a recorded state passes each
/// side's copy as the other's last-seen one, so that every difference
/// counts as changed on both sides and follows the conflict rule.
#[allow(clippy::too_many_arguments)]
fn merge_pair<A: Activity>(
    si: &S4Item,
    s: &A,
    s_seen: &A,
    ei: &MailboxItem,
    e: &A,
    e_seen: &A,
    role: Option<Role>,
    origin: Side,
    ctx: &Context<'_>,
    why: &mut Vec<Reason>,
) -> Vec<Operation> {
    let outlook = A::outlook_to_s4(ctx.policy);
    let to_s4 = outlook.enabled
        && role != Some(Role::Participant)
        && (!ei.key.is_occurrence() || ctx.policy.appointments.recurring.enabled);
    let masked: Cow<'_, [Field]> = match (
        masked_fields(e, ctx.policy),
        disabled_fields::<A>(ctx.policy),
    ) {
        (m, []) | ([], m) => Cow::Borrowed(m),
        (a, b) => Cow::Owned([a, b].concat()),
    };
    let cap = attachment_cap::<A>(ctx);
    let capped = |r: &A| -> A {
        let mut r = r.clone();
        r.retain_attachments(|a| a.size <= cap);
        r
    };
    let (s_orig, e_orig) = (s, e);
    // The cap matters only when the attachments merge: when they changed
    // on a side (capping equal lists leaves them equal).
    let needs_cap = !masked.contains(&Field::Attachments)
        && (changed(s, s_seen, Field::Attachments) || changed(e, e_seen, Field::Attachments))
        && [s, s_seen, e, e_seen]
            .iter()
            .any(|r| r.attachments().iter().any(|a| a.size > cap));
    let (cs, css, ce, ces);
    let (s, s_seen, e, e_seen) = if needs_cap {
        why.push(Reason::Owned(format!(
            "attachments over {cap} bytes are left out"
        )));
        (cs, css, ce, ces) = (capped(s), capped(s_seen), capped(e), capped(e_seen));
        (&cs, &css, &ce, &ces)
    } else {
        (s, s_seen, e, e_seen)
    };
    let out = merge(MergeInput {
        s4: s,
        s4_seen: s_seen,
        exchange: e,
        exchange_seen: e_seen,
        to_s4,
        to_exchange: true,
        masked: &masked,
        conflict: &ctx.policy.conflict,
        newer: newer(si.changed_at, ei.changed_at),
    });
    why.extend(out.conflicts.iter().map(|c| Reason::Owned(c.to_string())));
    let (mut to_s4, mut to_exchange) = (out.to_s4, out.to_exchange);
    if needs_cap {
        // Files over the cap were left out of the merge, not deleted: a side
        // keeps the ones it holds.
        for (changes, current) in [(&mut to_s4, s_orig), (&mut to_exchange, e_orig)] {
            if let Some(Value::Attachments(list)) =
                changes.as_mut().and_then(|c| c.get_mut(Field::Attachments))
            {
                list.extend(
                    current
                        .attachments()
                        .iter()
                        .filter(|a| a.size > cap)
                        .cloned(),
                );
            }
        }
    }
    let mut ops = Vec::new();
    if let Some(changes) = to_s4 {
        ops.push(Operation::UpdateS4 {
            key: si.key.clone(),
            version: si.version.clone(),
            changes,
        });
    }
    if let Some(changes) = to_exchange {
        ops.push(Operation::UpdateExchange {
            key: ei.key.clone(),
            version: ei.version.clone(),
            changes,
        });
    }
    ops.push(Operation::SaveLink { origin });
    ops
}

fn attachment_cap<A: Activity>(ctx: &Context<'_>) -> u64 {
    match A::KIND {
        crate::model::ObjectKind::Task => ctx.policy.tasks.attachments.max_bytes,
        _ => ctx.policy.appointments.attachments.max_bytes,
    }
}

/// The S/4 object's copy for the mailbox: tagged so that it keeps passing
/// the Outlook filter, attachments within the policy.
fn create_in_exchange<A: Activity>(si: &S4Item, s: &A, ctx: &Context<'_>) -> Operation {
    let mut r = s.clone();
    keep_allowed_attachments(&mut r, ctx);
    let mut record = r.into_record();
    let outlook = A::outlook_to_s4(ctx.policy);
    if outlook.enabled {
        mark_for_filter(&mut record, &outlook.filter);
    }
    Operation::CreateInExchange {
        record: Box::new(record),
        link_key: si.key.clone(),
    }
}

fn mark_for_filter(record: &mut Record, filter: &OutlookFilter) {
    let (categories, tag) = match record {
        Record::Appointment(a) => (&mut a.categories, &mut a.sync_tag),
        Record::Task(t) => (&mut t.categories, &mut t.sync_tag),
        Record::Contact(_) => return,
    };
    match filter {
        OutlookFilter::Category(c) if !categories.iter().any(|x| x.eq_ignore_ascii_case(c)) => {
            categories.push(c.clone())
        }
        OutlookFilter::SyncTag => *tag = true,
        _ => {}
    }
}

/// The Outlook item's copy for S/4HANA: owned by the user, of the default
/// transaction type, private blockers without their content.
fn create_in_s4<A: Activity>(ei: &MailboxItem, e: &A, ctx: &Context<'_>) -> Vec<Operation> {
    let mut r = if e.private() && A::private_policy(ctx.policy) == PrivatePolicy::SyncAsPrivate {
        e.as_private_blocker()
    } else {
        e.clone()
    };
    keep_allowed_attachments(&mut r, ctx);
    r.retain_attendees(|a| a.fits_s4());
    let mut record = r.into_record();
    let tt = A::outlook_to_s4(ctx.policy).default_transaction_type;
    match &mut record {
        Record::Appointment(a) => {
            a.owner = Some(ctx.user.employee);
            a.transaction_type = tt;
            a.recurrence = None;
        }
        Record::Task(t) => {
            t.owner = Some(ctx.user.employee);
            t.transaction_type = tt;
        }
        Record::Contact(_) => {}
    }
    let mut ops = vec![Operation::CreateInS4 {
        record: Box::new(record),
        from: ei.key.clone(),
    }];
    // An occurrence cannot carry its own property without becoming an
    // exception of the series; its link lives in the state store.
    if !ei.key.is_occurrence() {
        ops.push(Operation::TagExchange {
            key: ei.key.clone(),
        });
    }
    ops
}

/// Drops the attachments a create must not carry: all of them when
/// attachments are off, those over the size cap otherwise.
fn keep_allowed_attachments<A: Activity>(r: &mut A, ctx: &Context<'_>) {
    let enabled = A::attachments_enabled(ctx.policy);
    let cap = attachment_cap::<A>(ctx);
    r.retain_attachments(|a| enabled && a.size <= cap);
}
