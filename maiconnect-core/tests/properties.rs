//! Properties of whole sync runs over random two-sided edit histories, on
//! the in-memory ports: convergence, idempotence, no echo, no duplicates on
//! replay, and crash safety.

mod common;

use std::collections::BTreeMap;

use chrono::Duration;
use common::{now, policy, user};
use maiconnect_core::exec::IdSource;
use maiconnect_core::ids::{ActivityId, ItemId, Mailbox};
use maiconnect_core::model::*;
use maiconnect_core::plan::{Field, SyncRecord};
use maiconnect_core::policy::{ConflictRule, Policy};
use maiconnect_core::ports::StateStore;
use maiconnect_core::sync::{PartnerCache, Syncer};
use maiconnect_core::testing::samples::{appointment_a, world};
use maiconnect_core::testing::{Fault, MemoryCrm, MemoryMailbox, MemoryStore, crash};
use proptest::prelude::*;

/// Deterministic GUIDs, so that runs can be compared.
#[derive(Default)]
struct Counter(std::sync::atomic::AtomicU64);

impl IdSource for Counter {
    fn new_activity_id(&self) -> ActivityId {
        let n = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        ActivityId::from_uuid(uuid::Uuid::from_u128(
            0xAAAA_0000_0000_0000_0000_0000_0000_0000 + u128::from(n),
        ))
    }
}

/// One change made by a person on one side.
#[derive(Debug, Clone)]
enum Edit {
    S4Create(u8),
    S4Change(u8, Change),
    S4Delete(u8),
    OutlookCreate(u8),
    OutlookChange(u8, Change),
    OutlookDelete(u8),
    Sync,
}

#[derive(Debug, Clone)]
enum Change {
    Subject(u8),
    Location(u8),
    Shift(i8),
    Private(bool),
    AddAttendee(bool),
    DropAttendees,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (0u8..4).prop_map(Change::Subject),
        (0u8..4).prop_map(Change::Location),
        (-3i8..4).prop_map(Change::Shift),
        any::<bool>().prop_map(Change::Private),
        any::<bool>().prop_map(Change::AddAttendee),
        Just(Change::DropAttendees),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0u8..4).prop_map(Edit::S4Create),
        ((0u8..4), change()).prop_map(|(i, c)| Edit::S4Change(i, c)),
        (0u8..4).prop_map(Edit::S4Delete),
        (0u8..4).prop_map(Edit::OutlookCreate),
        ((0u8..4), change()).prop_map(|(i, c)| Edit::OutlookChange(i, c)),
        (0u8..4).prop_map(Edit::OutlookDelete),
        Just(Edit::Sync),
    ]
}

fn apply(a: &mut Appointment, c: &Change) {
    match c {
        Change::Subject(n) => a.subject = format!("subject {n}"),
        Change::Location(n) => a.location = format!("room {n}"),
        Change::Shift(h) => {
            if let When::Timed { start, end, zone } = &a.when {
                a.when = When::timed(
                    *start + Duration::hours(i64::from(*h)),
                    *end + Duration::hours(i64::from(*h)),
                    *zone,
                );
            }
        }
        Change::Private(p) => {
            a.sensitivity = if *p {
                Sensitivity::Private
            } else {
                Sensitivity::Normal
            }
        }
        Change::AddAttendee(piet) => {
            let (mail, bp) = if *piet {
                ("piet.jansen@customer.example", "101")
            } else {
                ("olga.meyer@customer.example", "100")
            };
            if !a
                .attendees
                .iter()
                .any(|x| x.email.as_ref().map(|e| e.as_str()) == Some(mail))
            {
                a.attendees
                    .push(maiconnect_core::testing::samples::attendee(mail, Some(bp)));
            }
        }
        Change::DropAttendees => a.attendees.clear(),
    }
}

/// The test world: S/4HANA, one mailbox, the store, and what a person can
/// see of the objects they made (by a small label).
struct World {
    crm: MemoryCrm,
    mail: MemoryMailbox,
    store: MemoryStore,
    ids: Counter,
    cache: PartnerCache,
    policy: Policy,
    s4_made: BTreeMap<u8, S4Key>,
    outlook_made: BTreeMap<u8, ItemId>,
    s4_counter: u128,
}

fn base(label: u8) -> Appointment {
    let mut a = appointment_a();
    a.attachments.clear();
    a.attendees.clear();
    a.subject = format!("made {label}");
    a
}

impl World {
    fn new(rule: ConflictRule) -> World {
        let mut policy = policy();
        policy.conflict.rule = rule;
        World {
            crm: MemoryCrm::with_world(&world()),
            mail: MemoryMailbox::new(),
            store: MemoryStore::new(),
            ids: Counter::default(),
            cache: PartnerCache::new(),
            policy,
            s4_made: BTreeMap::new(),
            outlook_made: BTreeMap::new(),
            s4_counter: 0,
        }
    }

    fn mailbox(&self) -> Mailbox {
        user().mailbox
    }

    fn syncer<'a>(&'a self, u: &'a maiconnect_core::policy::User) -> Syncer<'a> {
        Syncer {
            crm: &self.crm,
            mailboxes: &self.mail,
            store: &self.store,
            ids: &self.ids,
            policy: &self.policy,
            user: u,
            partners: &self.cache,
        }
    }

    /// A person edits one side (no sync involved).
    fn edit(&mut self, e: &Edit) {
        let mb = self.mailbox();
        match e {
            Edit::S4Create(l) => {
                if self.s4_made.contains_key(l) {
                    return;
                }
                self.s4_counter += 1;
                let key = S4Key::Appointment(ActivityId::from_uuid(uuid::Uuid::from_u128(
                    self.s4_counter,
                )));
                self.crm.put(key.clone(), Record::Appointment(base(*l)));
                self.s4_made.insert(*l, key);
            }
            Edit::S4Change(l, c) => {
                let Some(key) = self.s4_made.get(l) else {
                    return;
                };
                let Some(Record::Appointment(mut a)) = self.crm.objects().get(key).cloned() else {
                    return;
                };
                apply(&mut a, c);
                self.crm.put(key.clone(), Record::Appointment(a));
            }
            Edit::S4Delete(l) => {
                if let Some(key) = self.s4_made.remove(l) {
                    self.crm.remove(&key);
                }
            }
            Edit::OutlookCreate(l) => {
                if self.outlook_made.contains_key(l) {
                    return;
                }
                let mut a = base(100 + l);
                a.transaction_type = None;
                a.owner = None;
                let id = self.mail.put(&mb, Record::Appointment(a));
                self.outlook_made.insert(*l, id);
            }
            Edit::OutlookChange(l, c) => {
                let Some(id) = self.outlook_made.get(l) else {
                    return;
                };
                self.mail.edit(&mb, id, |r| {
                    if let Record::Appointment(a) = r {
                        apply(a, c)
                    }
                });
            }
            Edit::OutlookDelete(l) => {
                if let Some(id) = self.outlook_made.remove(l) {
                    self.mail.remove(&mb, &id);
                }
            }
            Edit::Sync => {}
        }
    }

    /// A person may also edit the other side's copy of what they made:
    /// after a sync, labels refer to whatever copy exists.
    fn adopt_copies(&mut self) {
        for link in self.store.all_links() {
            if let Some((l, _)) = self.s4_made.iter().find(|(_, k)| **k == link.s4) {
                let l = *l;
                self.outlook_made
                    .entry(l + 50)
                    .or_insert(link.exchange.item.clone());
            }
            if let Some((l, _)) = self
                .outlook_made
                .iter()
                .find(|(_, id)| **id == link.exchange.item)
            {
                let l = *l;
                self.s4_made.entry(l + 50).or_insert(link.s4.clone());
            }
        }
    }

    /// Full sync until no failure is left (at most a few rounds).
    async fn sync(&self) -> usize {
        let u = user();
        let s = self.syncer(&u);
        let mut writes = 0;
        for _ in 0..5 {
            let out = s
                .resync(Some(ObjectKind::Appointment), true, now())
                .await
                .expect("resync");
            writes += out.writes();
            if out.first_failure().is_none() {
                break;
            }
        }
        writes
    }

    /// Both sides, as comparable values.
    fn snapshot(&self) -> (Vec<Appointment>, Vec<Appointment>) {
        let mut s4: Vec<Appointment> = self
            .crm
            .objects()
            .into_values()
            .filter_map(|r| match r {
                Record::Appointment(a) => Some(a),
                _ => None,
            })
            .collect();
        let mut ex: Vec<Appointment> = self
            .mail
            .items(&self.mailbox())
            .into_iter()
            .filter_map(|(_, r, _)| match r {
                Record::Appointment(a) => Some(a),
                _ => None,
            })
            .collect();
        s4.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        ex.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        (s4, ex)
    }

    /// Checks that every linked pair agrees on every merged field, and that
    /// each side holds exactly one copy per link.
    fn assert_converged(&self) -> Result<(), TestCaseError> {
        let mb = self.mailbox();
        let links = self.store.all_links();
        let objects = self.crm.objects();
        let items: BTreeMap<ItemId, Record> = self
            .mail
            .items(&mb)
            .into_iter()
            .map(|(id, r, _)| (id, r))
            .collect();
        for l in &links {
            let (Some(Record::Appointment(a)), Some(Record::Appointment(b))) =
                (objects.get(&l.s4), items.get(&l.exchange.item))
            else {
                return Err(TestCaseError::fail(format!(
                    "link to a missing copy: {} / {}",
                    l.s4, l.exchange
                )));
            };
            for f in Appointment::MERGED {
                if *f == Field::Attachments {
                    continue;
                }
                prop_assert!(
                    a.same(b, *f),
                    "{f} differs: S/4 {} vs Exchange {}",
                    a.show(*f),
                    b.show(*f)
                );
            }
        }
        // No duplicates: every appointment of the user is linked exactly once.
        let appointments = objects
            .values()
            .filter(|r| matches!(r, Record::Appointment(_)))
            .count();
        prop_assert_eq!(appointments, links.len(), "S/4 appointments vs links");
        prop_assert_eq!(items.len(), links.len(), "mailbox items vs links");
        let mut exchange_keys: Vec<_> = links.iter().map(|l| l.exchange.clone()).collect();
        exchange_keys.sort();
        exchange_keys.dedup();
        prop_assert_eq!(exchange_keys.len(), links.len());
        Ok(())
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

fn rule() -> impl Strategy<Value = ConflictRule> {
    prop_oneof![
        Just(ConflictRule::S4Wins),
        Just(ConflictRule::ExchangeWins),
        Just(ConflictRule::NewestWins)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// After syncing, both sides agree, a second sync writes nothing (no
    /// echo, idempotent) and replaying the whole sync changes nothing.
    #[test]
    fn random_histories_converge(edits in prop::collection::vec(edit(), 1..30), rule in rule()) {
        runtime().block_on(async {
            let mut w = World::new(rule);
            for e in &edits {
                if matches!(e, Edit::Sync) {
                    w.sync().await;
                    w.adopt_copies();
                } else {
                    w.edit(e);
                }
            }
            w.sync().await;
            w.assert_converged()?;
            let before = w.snapshot();
            let writes = w.sync().await;
            prop_assert_eq!(writes, 0, "a second sync wrote something");
            prop_assert_eq!(w.snapshot(), before);
            // Event-driven replays of every item and object: no writes either.
            let u = user();
            let s = w.syncer(&u);
            for (id, _, _) in w.mail.items(&w.mailbox()) {
                let out = s.sync_item(&id, ObjectKind::Appointment, now()).await.unwrap();
                prop_assert_eq!(out.writes(), 0, "replaying item {} wrote", id);
            }
            for key in w.crm.objects().keys().filter(|k| k.kind() == ObjectKind::Appointment) {
                let out = s.sync_s4(key, now()).await.unwrap();
                prop_assert_eq!(out.writes(), 0, "replaying {} wrote", key);
            }
            Ok(())
        })?;
    }

    /// Wiping the state store and syncing again creates nothing twice: links
    /// are rebuilt from the keys in the mailbox items.
    #[test]
    fn losing_the_state_store_creates_no_duplicates(edits in prop::collection::vec(edit(), 1..20)) {
        runtime().block_on(async {
            let mut w = World::new(ConflictRule::S4Wins);
            for e in &edits {
                w.edit(e);
            }
            w.sync().await;
            let (s4_before, ex_before) = (w.crm.objects().len(), w.mail.items(&w.mailbox()).len());
            w.store = MemoryStore::new();
            w.sync().await;
            prop_assert_eq!(w.crm.objects().len(), s4_before);
            prop_assert_eq!(w.mail.items(&w.mailbox()).len(), ex_before);
            w.assert_converged()
        })?;
    }

    /// A crash (or a lost answer) at any write, followed by a re-run, ends
    /// in the same state as a run without the crash.
    #[test]
    fn a_crash_at_any_write_changes_nothing_in_the_end(
        edits in prop::collection::vec(edit(), 1..20),
        at in 0u32..12,
        after in any::<bool>(),
        on_s4 in any::<bool>(),
    ) {
        runtime().block_on(async {
            let mut clean = World::new(ConflictRule::S4Wins);
            let mut crashy = World::new(ConflictRule::S4Wins);
            for e in &edits {
                if !matches!(e, Edit::Sync) {
                    clean.edit(e);
                    crashy.edit(e);
                }
            }
            clean.sync().await;
            let fault = if after { Fault::FailAfter(at, crash()) } else { Fault::FailBefore(at, crash()) };
            if on_s4 { crashy.crm.faults.arm(fault) } else { crashy.mail.faults.arm(fault) }
            // The crashed run stops at the failure; the re-run finishes.
            crashy.sync().await;
            crashy.crm.faults.clear();
            crashy.mail.faults.clear();
            crashy.sync().await;
            crashy.assert_converged()?;
            let strip = |v: Vec<Appointment>| -> Vec<String> {
                let mut out: Vec<String> = v.into_iter().map(|a| format!("{}|{}|{}|{:?}|{}", a.subject, a.location, a.when, a.sensitivity, a.attendees.len())).collect();
                out.sort();
                out
            };
            let (a, b) = clean.snapshot();
            let (c, d) = crashy.snapshot();
            prop_assert_eq!(strip(a), strip(c));
            prop_assert_eq!(strip(b), strip(d));
            Ok(())
        })?;
    }
}

impl World {
    /// Event-driven sync as the hub does it: each touched object or item is
    /// synced with the link trusted; a failed attempt is retried reading
    /// everything.
    async fn sync_events(&self, s4_keys: &[S4Key], items: &[ItemId]) {
        use maiconnect_core::sync::Hints;
        let u = user();
        let s = self.syncer(&u);
        for key in s4_keys {
            let hints = Hints {
                s4: self.crm.get_item(key),
                trust_link: true,
                ..Hints::default()
            };
            let out = s.sync_s4_hinted(key, hints, now()).await.expect("sync");
            if out.first_failure().is_some() {
                s.sync_s4(key, now()).await.expect("retry");
            }
        }
        for item in items {
            let hints = Hints {
                trust_link: true,
                ..Hints::default()
            };
            let out = s
                .sync_item_hinted(item, ObjectKind::Appointment, hints, now())
                .await
                .expect("sync");
            if out.first_failure().is_some() {
                s.sync_item(item, ObjectKind::Appointment, now())
                    .await
                    .expect("retry");
            }
        }
    }
}

impl World {
    /// A person's edit, noting the event it raises: the S/4 object or the
    /// mailbox item it touched (a deleted one included).
    fn edit_noting(&mut self, e: &Edit, s4: &mut Vec<S4Key>, items: &mut Vec<ItemId>) {
        let label_s4 = match e {
            Edit::S4Create(l) | Edit::S4Change(l, _) | Edit::S4Delete(l) => Some(*l),
            _ => None,
        };
        let label_item = match e {
            Edit::OutlookCreate(l) | Edit::OutlookChange(l, _) | Edit::OutlookDelete(l) => Some(*l),
            _ => None,
        };
        let key_before = label_s4.and_then(|l| self.s4_made.get(&l).cloned());
        let item_before = label_item.and_then(|l| self.outlook_made.get(&l).cloned());
        self.edit(e);
        if let Some(k) = key_before.or_else(|| label_s4.and_then(|l| self.s4_made.get(&l).cloned()))
        {
            s4.push(k);
        }
        if let Some(i) =
            item_before.or_else(|| label_item.and_then(|l| self.outlook_made.get(&l).cloned()))
        {
            items.push(i);
        }
    }

    /// Event-driven sync that stops at the first failure, as a process
    /// that dies stops.
    async fn sync_events_until_failure(&self, s4_keys: &[S4Key], items: &[ItemId]) {
        use maiconnect_core::sync::Hints;
        let u = user();
        let s = self.syncer(&u);
        for key in s4_keys {
            let hints = Hints {
                s4: self.crm.get_item(key),
                trust_link: true,
                ..Hints::default()
            };
            match s.sync_s4_hinted(key, hints, now()).await {
                Ok(out) if out.first_failure().is_none() => {}
                _ => return,
            }
        }
        for item in items {
            let hints = Hints {
                trust_link: true,
                ..Hints::default()
            };
            match s
                .sync_item_hinted(item, ObjectKind::Appointment, hints, now())
                .await
            {
                Ok(out) if out.first_failure().is_none() => {}
                _ => return,
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Syncing event by event with the link trusted (as the hub does, to
    /// read each object once) ends where a full comparison ends: a full
    /// resync afterwards finds nothing to write.
    #[test]
    fn trusting_the_link_loses_nothing(first in prop::collection::vec(edit(), 1..15), second in prop::collection::vec(edit(), 1..15)) {
        runtime().block_on(async {
            let mut w = World::new(ConflictRule::S4Wins);
            for e in &first {
                w.edit(e);
            }
            w.sync().await;
            w.adopt_copies();
            let mut s4_touched = Vec::new();
            let mut items_touched = Vec::new();
            for e in &second {
                w.edit(e);
                match e {
                    Edit::S4Create(l) | Edit::S4Change(l, _) => {
                        if let Some(k) = w.s4_made.get(l) { s4_touched.push(k.clone()) }
                    }
                    Edit::S4Delete(_) => {}
                    Edit::OutlookCreate(l) | Edit::OutlookChange(l, _) => {
                        if let Some(i) = w.outlook_made.get(l) { items_touched.push(i.clone()) }
                    }
                    _ => {}
                }
            }
            // Deletes are events too: every linked object and item.
            for l in w.store.all_links() {
                s4_touched.push(l.s4.clone());
                items_touched.push(l.exchange.item.clone());
            }
            w.sync_events(&s4_touched, &items_touched).await;
            let writes = w.sync().await;
            prop_assert_eq!(writes, 0, "the full resync still had work after event-driven sync");
            w.assert_converged()
        })?;
    }
}

proptest! {
    // Cheap cases, and the failures need a crash at one particular write
    // followed by the right edit: many cases.
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// A crash at any write of event-driven sync, then more edits while the
    /// process is down (the original of an interrupted copy deleted,
    /// changed, ...), then the events again after the restart: nothing is
    /// lost, nothing doubled, no copy outlives its original.
    #[test]
    fn edits_while_down_after_a_crash_lose_and_double_nothing(
        first in prop::collection::vec(edit(), 0..8),
        second in prop::collection::vec(edit(), 1..12),
        down in prop::collection::vec(edit(), 1..8),
        at in 0u32..8,
        after in any::<bool>(),
        on_s4 in any::<bool>(),
    ) {
        runtime().block_on(async {
            let mut w = World::new(ConflictRule::S4Wins);
            for e in &first {
                w.edit(e);
            }
            w.sync().await;
            let (mut s4_touched, mut items_touched) = (Vec::new(), Vec::new());
            for e in &second {
                w.edit_noting(e, &mut s4_touched, &mut items_touched);
            }
            let fault = if after { Fault::FailAfter(at, crash()) } else { Fault::FailBefore(at, crash()) };
            if on_s4 { w.crm.faults.arm(fault) } else { w.mail.faults.arm(fault) }
            w.sync_events_until_failure(&s4_touched, &items_touched).await;
            w.crm.faults.clear();
            w.mail.faults.clear();
            for e in &down {
                w.edit_noting(e, &mut s4_touched, &mut items_touched);
            }
            // After the restart every event not yet done is delivered again
            // (here: all of them), followed by the new ones.
            w.sync_events(&s4_touched, &items_touched).await;
            w.assert_converged()?;
            let writes = w.sync().await;
            prop_assert_eq!(writes, 0, "the full resync still had work after the restart");
            Ok(())
        })?;
    }
}

/// The case the edits-while-down property found: an attendee added in
/// Outlook is written to S/4HANA, the hub stops before recording it, and the
/// attendee is removed in Outlook meanwhile. Our own write must not win over
/// that removal.
#[tokio::test]
async fn an_outlook_change_undone_while_down_is_not_lost() {
    let mut w = World::new(ConflictRule::S4Wins);
    let (mut s4, mut items) = (Vec::new(), Vec::new());
    w.edit_noting(&Edit::OutlookCreate(3), &mut s4, &mut items);
    w.sync().await;
    w.edit_noting(
        &Edit::OutlookChange(3, Change::AddAttendee(false)),
        &mut s4,
        &mut items,
    );
    // The S/4 write happens, then the process stops.
    w.crm.faults.arm(Fault::FailAfter(0, crash()));
    w.sync_events_until_failure(&s4, &items).await;
    w.crm.faults.clear();
    w.edit_noting(
        &Edit::OutlookChange(3, Change::DropAttendees),
        &mut s4,
        &mut items,
    );
    w.sync_events(&s4, &items).await;
    w.assert_converged().unwrap();
    let created = w.crm.objects();
    assert!(!created.is_empty());
    assert!(
        created.values().all(|r| match r {
            Record::Appointment(a) => a.attendees.is_empty(),
            _ => true,
        }),
        "the removal in Outlook reached S/4HANA: {created:?}"
    );
}

#[tokio::test]
async fn a_held_mass_delete_waits_for_approval() {
    let mut w = World::new(ConflictRule::S4Wins);
    w.policy.mass_change_guard.max_deletes = 2;
    for l in 0..4 {
        w.edit(&Edit::S4Create(l));
    }
    w.sync().await;
    assert_eq!(w.mail.items(&w.mailbox()).len(), 4);
    for l in 0..4 {
        w.edit(&Edit::S4Delete(l));
    }
    w.sync().await;
    assert_eq!(
        w.mail.items(&w.mailbox()).len(),
        4,
        "deletes are held, not executed"
    );
    let held = w.store.held(None).await.unwrap();
    assert_eq!(held.len(), 4);
    let u = user();
    let s = w.syncer(&u);
    for (id, _) in &held {
        let h = w.store.take_held(*id).await.unwrap().unwrap();
        s.approve_held(&h, now()).await.unwrap();
    }
    assert!(w.mail.items(&w.mailbox()).is_empty());
}
