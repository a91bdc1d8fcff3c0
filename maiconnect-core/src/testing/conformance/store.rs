//! The state store suite.

use chrono::{Duration, TimeZone, Utc};

use crate::model::{ExchangeKey, Folder, ObjectKind};
use crate::plan::guard::HeldDelete;
use crate::plan::operation::Plan;
use crate::plan::state::{Pair, Side};
use crate::ports::{
    ChangeCursor, InboxEvent, Intent, JournalEntry, PairKey, StateStore, SubscriptionRecord,
};
use crate::testing::samples::appointment_link as link;

fn mailbox() -> crate::ids::Mailbox {
    "anna.berg@example.com".parse().expect("mailbox")
}

fn t0() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 8, 0, 0)
        .single()
        .expect("time")
}

fn item_event(item: &str) -> InboxEvent {
    InboxEvent::MailboxItem {
        mailbox: mailbox(),
        folder: Some(Folder::Calendar),
        item: item.parse().expect("id"),
        deleted: false,
        version: None,
    }
}

/// Links are saved, found by either key and removed.
pub async fn links_round_trip(s: impl StateStore) {
    let l = link(1, "AAMk-1");
    s.save_link(&l).await.expect("save");
    assert_eq!(
        s.link_by_s4(&mailbox(), &l.s4).await.expect("get"),
        Some(l.clone())
    );
    assert_eq!(
        s.link_by_exchange(&mailbox(), &l.exchange)
            .await
            .expect("get"),
        Some(l.clone())
    );
    assert_eq!(
        s.links_by_item(&mailbox(), &l.exchange.item)
            .await
            .expect("get"),
        vec![l.clone()]
    );
    assert_eq!(
        s.links(&mailbox(), ObjectKind::Appointment)
            .await
            .expect("list"),
        vec![l.clone()]
    );
    assert!(
        s.links(&mailbox(), ObjectKind::Task)
            .await
            .expect("list")
            .is_empty()
    );
    assert_eq!(s.count_links(&mailbox()).await.expect("count"), 1);
    let mut changed = l.clone();
    changed.exchange_version = "CK2".parse().expect("v");
    s.save_link(&changed).await.expect("save");
    assert_eq!(
        s.link_by_s4(&mailbox(), &l.s4).await.expect("get"),
        Some(changed)
    );
    s.remove_link(&mailbox(), &l.s4).await.expect("remove");
    assert_eq!(s.link_by_s4(&mailbox(), &l.s4).await.expect("get"), None);
    assert_eq!(s.count_links(&mailbox()).await.expect("count"), 0);
}

/// Saving a link moves a mailbox item away from an older link.
pub async fn one_item_belongs_to_one_object(s: impl StateStore) {
    s.save_link(&link(1, "AAMk-1")).await.expect("save");
    s.save_link(&link(2, "AAMk-1")).await.expect("save");
    let found = s
        .link_by_exchange(
            &mailbox(),
            &ExchangeKey::item("AAMk-1".parse().expect("id")),
        )
        .await
        .expect("get");
    assert_eq!(found.map(|l| l.s4), Some(link(2, "x").s4));
    assert_eq!(s.count_links(&mailbox()).await.expect("count"), 1);
}

/// Intents are recorded per pair and cleared.
pub async fn intents_round_trip(s: impl StateStore) {
    let pair = PairKey::Exchange(ExchangeKey {
        item: "AAMk-9".parse().expect("id"),
        occurrence: Some(t0()),
    });
    let intent = Intent {
        mailbox: mailbox(),
        pair: pair.clone(),
        kind: ObjectKind::Appointment,
        activity: Some(crate::ids::ActivityId::from_uuid(uuid::Uuid::from_u128(7))),
        at: t0(),
        update: None,
    };
    s.save_intent(&intent).await.expect("save");
    assert_eq!(
        s.intent(&mailbox(), &pair).await.expect("get"),
        Some(intent.clone())
    );
    assert_eq!(s.intents(&mailbox()).await.expect("list"), vec![intent]);
    let other = PairKey::S4(link(1, "x").s4);
    assert_eq!(s.intent(&mailbox(), &other).await.expect("get"), None);
    s.clear_intent(&mailbox(), &pair).await.expect("clear");
    assert_eq!(s.intent(&mailbox(), &pair).await.expect("get"), None);
    assert!(s.intents(&mailbox()).await.expect("list").is_empty());

    // An update's intent carries the values written and the link after.
    let mut changes = crate::plan::Changes::new();
    changes.set(
        crate::plan::Field::Location,
        crate::plan::Value::Text("Room 4".into()),
    );
    let update = Intent {
        mailbox: mailbox(),
        pair: other.clone(),
        kind: ObjectKind::Appointment,
        activity: None,
        at: t0(),
        update: Some(crate::ports::PendingUpdate {
            side: Side::Exchange,
            changes,
            link: link(1, "x"),
        }),
    };
    s.save_intent(&update).await.expect("save");
    assert_eq!(
        s.intent(&mailbox(), &other).await.expect("get"),
        Some(update)
    );
    s.clear_intent(&mailbox(), &other).await.expect("clear");
}

/// Cursors and subscriptions are kept.
pub async fn cursors_and_subscriptions_round_trip(s: impl StateStore) {
    assert_eq!(
        s.cursor(&mailbox(), Folder::Calendar).await.expect("get"),
        None
    );
    s.save_cursor(&mailbox(), Folder::Calendar, &ChangeCursor("H4sIA".into()))
        .await
        .expect("save");
    s.save_cursor(&mailbox(), Folder::Calendar, &ChangeCursor("H4sIB".into()))
        .await
        .expect("save");
    assert_eq!(
        s.cursor(&mailbox(), Folder::Calendar).await.expect("get"),
        Some(ChangeCursor("H4sIB".into()))
    );
    assert_eq!(
        s.cursor(&mailbox(), Folder::Tasks).await.expect("get"),
        None
    );
    let sub = SubscriptionRecord {
        token: "tok-1".into(),
        mailbox: mailbox(),
        folders: vec![Folder::Calendar],
        server_id: None,
        watermark: None,
        last_seen: t0(),
        status_frequency_minutes: 5,
        failures: 0,
        last_error: None,
    };
    s.save_subscription(&sub).await.expect("save");
    assert_eq!(
        s.subscription("tok-1").await.expect("get"),
        Some(sub.clone())
    );
    assert_eq!(s.subscriptions().await.expect("list"), vec![sub]);
    s.remove_subscription("tok-1").await.expect("remove");
    assert!(s.subscription("tok-1").await.expect("get").is_none());
}

/// One entry per lane at a time, in arrival order.
pub async fn inbox_keeps_lanes_in_order(s: impl StateStore) {
    let ids = s
        .enqueue(&[item_event("A1"), item_event("A2")], t0())
        .await
        .expect("enqueue");
    assert_eq!(ids.len(), 2);
    let first = s
        .claim(t0(), Duration::seconds(60), 10)
        .await
        .expect("claim");
    assert_eq!(first.iter().map(|e| e.id).collect::<Vec<_>>(), vec![ids[0]]);
    assert_eq!(first[0].attempts, 1);
    // The lane is busy while its first entry is claimed.
    assert!(
        s.claim(t0(), Duration::seconds(60), 10)
            .await
            .expect("claim")
            .is_empty()
    );
    s.complete(ids[0], &[], t0()).await.expect("complete");
    let second = s
        .claim(t0(), Duration::seconds(60), 10)
        .await
        .expect("claim");
    assert_eq!(
        second.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![ids[1]]
    );
    assert_eq!(s.inbox_depth().await.expect("depth"), 1);
}

/// Live events of one mailbox go before backfill of another.
pub async fn inbox_prefers_live_events(s: impl StateStore) {
    let other: crate::ids::Mailbox = "ben.kraus@example.com".parse().expect("mailbox");
    let resync = InboxEvent::Resync {
        mailbox: other,
        kind: None,
        full: true,
    };
    let ids = s
        .enqueue(&[resync, item_event("L1")], t0())
        .await
        .expect("enqueue");
    let claimed = s
        .claim(t0(), Duration::seconds(60), 1)
        .await
        .expect("claim");
    assert_eq!(claimed[0].id, ids[1]);
    // A follow-up stored with the completion is claimable afterwards.
    s.complete(ids[1], &[item_event("L2")], t0())
        .await
        .expect("complete");
    let claimed = s
        .claim(t0(), Duration::seconds(60), 5)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 2);
}

/// Repeated S/4 events are stored once; failures retry later or die.
pub async fn inbox_deduplicates_and_dead_letters(s: impl StateStore) {
    let ev: crate::model::S4Event = serde_json::from_str(
        r#"{"eventId":"e-1","objectType":"BUS1006","objectKey":"4711","change":"changed"}"#,
    )
    .expect("event");
    let first = s
        .enqueue(&[InboxEvent::S4 { event: ev.clone() }], t0())
        .await
        .expect("enqueue");
    let again = s
        .enqueue(&[InboxEvent::S4 { event: ev }], t0())
        .await
        .expect("enqueue");
    assert_eq!(first.len(), 1);
    assert!(again.is_empty());
    let c = s
        .claim(t0(), Duration::seconds(60), 5)
        .await
        .expect("claim");
    s.fail(
        c[0].id,
        "ErrorServerBusy",
        Some(t0() + Duration::seconds(30)),
    )
    .await
    .expect("fail");
    assert!(
        s.claim(t0() + Duration::seconds(10), Duration::seconds(60), 5)
            .await
            .expect("claim")
            .is_empty()
    );
    let c = s
        .claim(t0() + Duration::seconds(31), Duration::seconds(60), 5)
        .await
        .expect("claim");
    assert_eq!(c[0].attempts, 2);
    assert_eq!(c[0].last_error.as_deref(), Some("ErrorServerBusy"));
    s.fail(c[0].id, "gave up", None).await.expect("fail");
    let dead = s.dead_letters(10).await.expect("dead");
    assert_eq!(dead.len(), 1);
    assert!(dead[0].dead);
    assert_eq!(s.inbox_depth().await.expect("depth"), 0);
    assert!(s.retry_dead(dead[0].id, t0()).await.expect("retry"));
    assert_eq!(s.inbox_depth().await.expect("depth"), 1);
}

/// A claim that is never completed (a crash) is claimable after its lease.
pub async fn inbox_leases_expire(s: impl StateStore) {
    let ids = s.enqueue(&[item_event("X")], t0()).await.expect("enqueue");
    assert_eq!(
        s.claim(t0(), Duration::seconds(60), 1)
            .await
            .expect("claim")
            .len(),
        1
    );
    assert!(
        s.claim(t0() + Duration::seconds(59), Duration::seconds(60), 1)
            .await
            .expect("claim")
            .is_empty()
    );
    let again = s
        .claim(t0() + Duration::seconds(61), Duration::seconds(60), 1)
        .await
        .expect("claim");
    assert_eq!(again[0].id, ids[0]);
}

/// Held deletes and the journal round-trip.
pub async fn held_deletes_and_journal(s: impl StateStore) {
    let plan = Plan::empty(mailbox(), ObjectKind::Appointment, &Pair::default());
    let id = s
        .hold(
            &HeldDelete {
                pair: Pair::default(),
                plan: plan.clone(),
                reason: "too many".into(),
            },
            t0(),
        )
        .await
        .expect("hold");
    assert_eq!(s.held(Some(&mailbox())).await.expect("held").len(), 1);
    assert_eq!(s.held(None).await.expect("held")[0].0, id);
    assert_eq!(
        s.take_held(id).await.expect("take").map(|h| h.reason),
        Some("too many".into())
    );
    assert!(s.take_held(id).await.expect("take").is_none());

    for (n, at) in [(1, t0()), (2, t0() + Duration::days(40))] {
        let e = JournalEntry {
            at,
            mailbox: mailbox(),
            side: Side::Exchange,
            operation: format!("op{n}"),
            s4: None,
            exchange: None,
            fields: vec![("subject".into(), "a".into(), "b".into())],
            reason: "test".into(),
        };
        s.append_journal(&e).await.expect("append");
    }
    let j = s.journal(Some(&mailbox()), 10).await.expect("journal");
    assert_eq!(
        j.iter().map(|e| e.operation.as_str()).collect::<Vec<_>>(),
        vec!["op2", "op1"]
    );
    assert_eq!(j[0].fields[0], ("subject".into(), "a".into(), "b".into()));
    assert_eq!(
        s.prune_journal(t0() + Duration::days(1))
            .await
            .expect("prune"),
        1
    );
    assert_eq!(s.journal(None, 10).await.expect("journal").len(), 1);
}
