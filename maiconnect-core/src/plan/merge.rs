//! The three-way, field-level merge of one linked pair.
//!
//! Each side is compared with what *that side* held at the last sync. A
//! field changed on one side flows to the other; a field changed on both to
//! different values follows the conflict rule; sets (attendees,
//! attachments) merge element by element, so an attendee added in Outlook
//! and another added in S/4HANA both survive.

use std::collections::BTreeMap;
use std::fmt;

use crate::model::{Attachment, AttachmentKey, Attendee, AttendeeKey};
use crate::plan::changes::{Changes, Value};
use crate::plan::fields::{Field, MergeKind, SyncRecord};
use crate::plan::state::Side;
use crate::policy::{ConflictPolicy, ConflictRule};

/// The inputs of one merge.
#[derive(Debug)]
pub struct MergeInput<'a, R> {
    /// S/4's current record.
    pub s4: &'a R,
    /// What S/4 held at the last sync.
    pub s4_seen: &'a R,
    /// Exchange's current record.
    pub exchange: &'a R,
    /// What Exchange held at the last sync.
    pub exchange_seen: &'a R,
    /// Whether changes may flow to S/4HANA.
    pub to_s4: bool,
    /// Whether changes may flow to Exchange.
    pub to_exchange: bool,
    /// Fields that do not flow for this pair (private blockers).
    pub masked: &'a [Field],
    /// The conflict rules.
    pub conflict: &'a ConflictPolicy,
    /// Which side changed last, when both say when.
    pub newer: Option<Side>,
}

impl<R> Clone for MergeInput<'_, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for MergeInput<'_, R> {}

/// A field changed on both sides to different values, and who won.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The field.
    pub field: Field,
    /// The side whose value was kept.
    pub winner: Side,
    /// S/4's value.
    pub s4_value: String,
    /// Exchange's value.
    pub exchange_value: String,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "conflict on {}: S/4HANA has {}, Exchange has {}; {} wins",
            self.field, self.s4_value, self.exchange_value, self.winner
        )
    }
}

/// What the merge decided.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MergeOutcome {
    /// What to write to S/4HANA, if anything.
    pub to_s4: Option<Changes>,
    /// What to write to Exchange, if anything.
    pub to_exchange: Option<Changes>,
    /// Conflicts and how they were resolved.
    pub conflicts: Vec<Conflict>,
}

/// Sets `field` in a side's changes, starting them on the first change.
fn set(slot: &mut Option<Changes>, field: Field, value: Value) {
    slot.get_or_insert_with(Changes::new).set(field, value);
}

/// Merges one pair.
pub fn merge<R: SyncRecord>(m: MergeInput<'_, R>) -> MergeOutcome {
    let mut out = MergeOutcome::default();
    for &field in R::MERGED {
        if m.masked.contains(&field) {
            continue;
        }
        match field.merge_kind() {
            MergeKind::Scalar => merge_scalar(&m, field, &mut out),
            MergeKind::Set if field == Field::Attendees => {
                merge_set_field(&m, field, &mut out, R::attendees, Value::Attendees)
            }
            MergeKind::Set => {
                merge_set_field(&m, field, &mut out, R::attachments, Value::Attachments)
            }
        }
    }
    out
}

fn winner<R>(m: &MergeInput<'_, R>, field: Field) -> Option<Side> {
    let preferred = match m.conflict.rule_for(field) {
        ConflictRule::S4Wins => Side::S4,
        ConflictRule::ExchangeWins => Side::Exchange,
        ConflictRule::NewestWins => m.newer.unwrap_or(Side::S4),
    };
    // A winner whose value may not flow cannot win: with Outlook → S/4 off,
    // S/4HANA is the master of every field.
    match preferred {
        Side::S4 if m.to_exchange => Some(Side::S4),
        Side::Exchange if m.to_s4 => Some(Side::Exchange),
        _ if m.to_exchange => Some(Side::S4),
        _ if m.to_s4 => Some(Side::Exchange),
        _ => None,
    }
}

/// Whether `field` differs between a side's current and last-seen copies.
/// The planner passes the last-seen copy itself as current when the
/// side's version did not change; then nothing needs comparing.
pub(crate) fn changed<R: SyncRecord>(now: &R, seen: &R, field: Field) -> bool {
    !std::ptr::eq(now, seen) && !now.same(seen, field)
}

fn merge_scalar<R: SyncRecord>(m: &MergeInput<'_, R>, field: Field, out: &mut MergeOutcome) {
    let s4_changed = changed(m.s4, m.s4_seen, field);
    let ex_changed = changed(m.exchange, m.exchange_seen, field);
    let flow = match (s4_changed, ex_changed) {
        (false, false) => None,
        (true, false) => m.to_exchange.then_some(Side::S4),
        (false, true) => m.to_s4.then_some(Side::Exchange),
        (true, true) if m.s4.same(m.exchange, field) => None,
        (true, true) => {
            let w = winner(m, field);
            if let Some(w) = w {
                out.conflicts.push(Conflict {
                    field,
                    winner: w,
                    s4_value: m.s4.show(field),
                    exchange_value: m.exchange.show(field),
                });
            }
            w
        }
    };
    match flow {
        Some(Side::S4) if !m.exchange.same(m.s4, field) => {
            set(&mut out.to_exchange, field, m.s4.value(field));
        }
        Some(Side::Exchange) if !m.s4.same(m.exchange, field) => {
            set(&mut out.to_s4, field, m.exchange.value(field));
        }
        _ => {}
    }
}

/// An element of a merged set.
pub trait SetElement: Clone + PartialEq {
    /// What identifies the element on both sides.
    type Key: Ord + Clone;
    /// The key.
    fn key(&self) -> Self::Key;
    /// Whether `side` can hold the element.
    fn fits(&self, side: Side) -> bool;
    /// Whether two copies on the same side are the same version (a change
    /// of an element in place is a change).
    fn same_version(&self, other: &Self) -> bool {
        self == other
    }
}

impl SetElement for Attendee {
    type Key = AttendeeKey;
    fn key(&self) -> AttendeeKey {
        Attendee::key(self)
    }
    fn fits(&self, side: Side) -> bool {
        match side {
            Side::S4 => self.fits_s4(),
            Side::Exchange => self.fits_exchange(),
        }
    }
}

impl SetElement for Attachment {
    type Key = AttachmentKey;
    fn key(&self) -> AttachmentKey {
        Attachment::key(self)
    }
    fn fits(&self, _: Side) -> bool {
        true
    }
    // An attachment is its file; references to it differ per side and over time.
    fn same_version(&self, _: &Self) -> bool {
        true
    }
}

fn merge_set_field<R: SyncRecord, E: SetElement>(
    m: &MergeInput<'_, R>,
    field: Field,
    out: &mut MergeOutcome,
    get: fn(&R) -> &[E],
    value: fn(Vec<E>) -> Value,
) {
    if !changed(m.s4, m.s4_seen, field) && !changed(m.exchange, m.exchange_seen, field) {
        return;
    }
    let merged = merge_set(
        get(m.s4),
        get(m.s4_seen),
        get(m.exchange),
        get(m.exchange_seen),
        |side| winner(m, field).unwrap_or(side),
        m.to_s4,
        m.to_exchange,
    );
    if let Some(list) = merged.s4 {
        set(&mut out.to_s4, field, value(list));
    }
    if let Some(list) = merged.exchange {
        set(&mut out.to_exchange, field, value(list));
    }
    if merged.conflict
        && let Some(w) = winner(m, field)
    {
        out.conflicts.push(Conflict {
            field,
            winner: w,
            s4_value: m.s4.show(field),
            exchange_value: m.exchange.show(field),
        });
    }
}

/// The new lists for each side (`None`: unchanged).
#[derive(Debug, PartialEq)]
pub struct SetMerge<E> {
    /// S/4's new list.
    pub s4: Option<Vec<E>>,
    /// Exchange's new list.
    pub exchange: Option<Vec<E>>,
    /// Whether some element was changed on both sides in different ways.
    pub conflict: bool,
}

/// Merges a set element by element.
///
/// `winner(default)` names the side that wins a conflict on an element.
pub fn merge_set<E: SetElement>(
    s4: &[E],
    s4_seen: &[E],
    exchange: &[E],
    exchange_seen: &[E],
    winner: impl Fn(Side) -> Side,
    to_s4: bool,
    to_exchange: bool,
) -> SetMerge<E> {
    fn index<E: SetElement>(list: &[E]) -> BTreeMap<E::Key, &E> {
        list.iter().map(|e| (e.key(), e)).collect()
    }
    fn changed<E: SetElement>(now: Option<&E>, was: Option<&E>) -> bool {
        match (now, was) {
            (None, None) => false,
            (Some(a), Some(b)) => !a.same_version(b),
            _ => true,
        }
    }
    let (a, sa, b, sb) = (
        index(s4),
        index(s4_seen),
        index(exchange),
        index(exchange_seen),
    );
    let mut keys: Vec<&E::Key> = a
        .keys()
        .chain(sa.keys())
        .chain(b.keys())
        .chain(sb.keys())
        .collect();
    keys.sort();
    keys.dedup();

    // Desired state per key for each side: Some(Some(e)) put e, Some(None) remove.
    let mut want_a: BTreeMap<E::Key, Option<E>> = BTreeMap::new();
    let mut want_b: BTreeMap<E::Key, Option<E>> = BTreeMap::new();
    let mut conflict = false;
    for k in keys {
        let (na, wa, nb, wb) = (
            a.get(k).copied(),
            sa.get(k).copied(),
            b.get(k).copied(),
            sb.get(k).copied(),
        );
        let (ca, cb) = (changed(na, wa), changed(nb, wb));
        let flow = match (ca, cb) {
            (false, false) => None,
            (true, false) => Some(Side::S4),
            (false, true) => Some(Side::Exchange),
            (true, true) if na.is_some() == nb.is_some() => None,
            (true, true) => {
                conflict = true;
                Some(winner(Side::S4))
            }
        };
        match flow {
            Some(Side::S4) if to_exchange => {
                if let Some(w) = wanted(na, nb, ca, Side::Exchange) {
                    want_b.insert(k.clone(), w);
                }
            }
            Some(Side::Exchange) if to_s4 => {
                if let Some(w) = wanted(nb, na, cb, Side::S4) {
                    want_a.insert(k.clone(), w);
                }
            }
            _ => {}
        }
    }
    SetMerge {
        s4: apply(s4, want_a),
        exchange: apply(exchange, want_b),
        conflict,
    }
}

/// What the side `to` should hold of an element that flows from the other
/// side (`Some(None)`: remove it), if anything changes and `to` can hold it.
fn wanted<E: SetElement>(
    from: Option<&E>,
    to: Option<&E>,
    from_changed: bool,
    side: Side,
) -> Option<Option<E>> {
    match (from, to) {
        (None, Some(_)) => Some(None),
        (Some(x), None) if x.fits(side) => Some(Some(x.clone())),
        (Some(x), Some(y)) if x != y && from_changed && x.fits(side) => Some(Some(x.clone())),
        _ => None,
    }
}

/// Applies wanted changes to a list, keeping its order and appending new
/// elements; `None` when nothing changes.
fn apply<E: SetElement>(list: &[E], mut want: BTreeMap<E::Key, Option<E>>) -> Option<Vec<E>> {
    if want.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(list.len() + want.len());
    for e in list {
        match want.remove(&e.key()) {
            None => out.push(e.clone()),
            Some(Some(new)) => out.push(new),
            Some(None) => {}
        }
    }
    out.extend(want.into_values().flatten());
    (out != list).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Appointment;
    use crate::testing::samples::{appointment_a, attendee};

    fn fields(c: &Option<Changes>) -> Vec<Field> {
        c.as_ref().map(Changes::fields).unwrap_or_default()
    }

    /// The record a side holds after its changes.
    fn after(c: &Option<Changes>, current: &Appointment) -> Appointment {
        c.as_ref().expect("changes").applied(current)
    }

    fn input<'a>(
        s4: &'a Appointment,
        s4_seen: &'a Appointment,
        ex: &'a Appointment,
        ex_seen: &'a Appointment,
        conflict: &'a ConflictPolicy,
    ) -> MergeInput<'a, Appointment> {
        MergeInput {
            s4,
            s4_seen,
            exchange: ex,
            exchange_seen: ex_seen,
            to_s4: true,
            to_exchange: true,
            masked: &[],
            conflict,
            newer: None,
        }
    }

    #[test]
    fn unchanged_pairs_merge_to_nothing() {
        let a = appointment_a();
        let c = ConflictPolicy::default();
        let out = merge(input(&a, &a, &a, &a, &c));
        assert!(
            fields(&out.to_s4).is_empty()
                && fields(&out.to_exchange).is_empty()
                && out.conflicts.is_empty()
        );
    }

    #[test]
    fn a_field_changed_on_one_side_flows_to_the_other() {
        let base = appointment_a();
        let mut s4 = base.clone();
        s4.subject = "from S/4".into();
        let mut ex = base.clone();
        ex.location = "from Outlook".into();
        let c = ConflictPolicy::default();
        let out = merge(input(&s4, &base, &ex, &base, &c));
        assert_eq!(fields(&out.to_exchange), vec![Field::Subject]);
        assert_eq!(fields(&out.to_s4), vec![Field::Location]);
        assert_eq!(after(&out.to_exchange, &ex).subject, "from S/4");
        assert_eq!(after(&out.to_s4, &s4).location, "from Outlook");
    }

    #[test]
    fn a_field_changed_on_both_sides_follows_the_rule() {
        let base = appointment_a();
        let mut s4 = base.clone();
        s4.subject = "S".into();
        let mut ex = base.clone();
        ex.subject = "E".into();
        let mut c = ConflictPolicy::default();
        let out = merge(input(&s4, &base, &ex, &base, &c));
        assert_eq!(after(&out.to_exchange, &ex).subject, "S");
        assert_eq!(out.conflicts[0].winner, Side::S4);

        c.rule = ConflictRule::ExchangeWins;
        let out = merge(input(&s4, &base, &ex, &base, &c));
        assert_eq!(after(&out.to_s4, &s4).subject, "E");
        assert_eq!(out.conflicts[0].winner, Side::Exchange);

        c.rule = ConflictRule::NewestWins;
        let mut m = input(&s4, &base, &ex, &base, &c);
        m.newer = Some(Side::Exchange);
        assert_eq!(after(&merge(m).to_s4, &s4).subject, "E");
        m.newer = None;
        assert_eq!(after(&merge(m).to_exchange, &ex).subject, "S");
    }

    #[test]
    fn the_same_change_on_both_sides_is_no_conflict() {
        let base = appointment_a();
        let mut s4 = base.clone();
        s4.subject = "same".into();
        let ex = s4.clone();
        let c = ConflictPolicy::default();
        let out = merge(input(&s4, &base, &ex, &base, &c));
        assert!(
            out.conflicts.is_empty()
                && fields(&out.to_s4).is_empty()
                && fields(&out.to_exchange).is_empty()
        );
    }

    #[test]
    fn blocked_directions_make_s4_the_master() {
        let base = appointment_a();
        let mut s4 = base.clone();
        s4.subject = "S".into();
        let mut ex = base.clone();
        ex.subject = "E".into();
        ex.location = "only in Outlook".into();
        let c = ConflictPolicy {
            rule: ConflictRule::ExchangeWins,
            ..Default::default()
        };
        let mut m = input(&s4, &base, &ex, &base, &c);
        m.to_s4 = false;
        let out = merge(m);
        assert!(fields(&out.to_s4).is_empty());
        assert_eq!(after(&out.to_exchange, &ex).subject, "S");
        assert_eq!(after(&out.to_exchange, &ex).location, "only in Outlook");
    }

    #[test]
    fn masked_fields_do_not_flow() {
        let base = appointment_a();
        let mut ex = base.clone();
        ex.subject = "dentist".into();
        let c = ConflictPolicy::default();
        let mut m = input(&base, &base, &ex, &base, &c);
        m.masked = &[Field::Subject];
        assert!(fields(&merge(m).to_s4).is_empty());
    }

    #[test]
    fn attendees_added_on_both_sides_both_survive() {
        let base = appointment_a();
        let mut s4 = base.clone();
        s4.attendees
            .push(attendee("s4.add@example.com", Some("100")));
        let mut ex = base.clone();
        ex.attendees
            .push(attendee("ex.add@example.com", Some("200")));
        let c = ConflictPolicy::default();
        let out = merge(input(&s4, &base, &ex, &base, &c));
        let names = |a: &Appointment| {
            a.attendees
                .iter()
                .map(|x| x.email.clone().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        assert!(names(&after(&out.to_s4, &s4)).contains(&"ex.add@example.com".to_string()));
        assert!(names(&after(&out.to_exchange, &ex)).contains(&"s4.add@example.com".to_string()));
        assert!(out.conflicts.is_empty());
    }

    #[test]
    fn an_attendee_removed_on_one_side_is_removed_on_the_other() {
        let base = appointment_a();
        let mut ex = base.clone();
        let gone = ex.attendees.remove(0);
        let c = ConflictPolicy::default();
        let out = merge(input(&base, &base, &ex, &base, &c));
        assert!(!after(&out.to_s4, &base).attendees.contains(&gone));
        assert_eq!(fields(&out.to_s4), vec![Field::Attendees]);
    }

    #[test]
    fn attendees_a_side_cannot_hold_stay_where_they_are() {
        let base = appointment_a();
        let mut ex = base.clone();
        // An Outlook attendee that is no business partner cannot go to S/4.
        ex.attendees.push(attendee("stranger@example.org", None));
        let c = ConflictPolicy::default();
        let out = merge(input(&base, &base, &ex, &base, &c));
        assert!(fields(&out.to_s4).is_empty());
    }

    #[test]
    fn set_conflicts_follow_the_rule() {
        let base = appointment_a();
        let mut s4 = base.clone();
        s4.attendees.remove(0);
        let mut ex = base.clone();
        ex.attendees[0].required = !ex.attendees[0].required;
        let c = ConflictPolicy::default();
        let out = merge(input(&s4, &base, &ex, &base, &c));
        // S/4 wins: the attendee is removed in Exchange too.
        assert_eq!(
            after(&out.to_exchange, &ex).attendees.len(),
            base.attendees.len() - 1
        );
        assert_eq!(out.conflicts.len(), 1);
    }
}
