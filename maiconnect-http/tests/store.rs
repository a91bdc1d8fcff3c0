//! The SQLite store passes the state store conformance suite, keeps its
//! data across reopening, and migrates.

use maiconnect_core::testing::samples::appointment_link;
use maiconnect_http::SqliteStore;

maiconnect_core::store_conformance!(async { SqliteStore::open_in_memory().unwrap() });

#[tokio::test]
async fn data_survives_reopening_the_file() {
    use maiconnect_core::ports::{InboxEvent, StateStore};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.sqlite");
    let now = chrono::Utc::now();
    let mailbox: maiconnect_core::ids::Mailbox = "anna.berg@example.com".parse().unwrap();
    {
        let s = SqliteStore::open(&path).unwrap();
        let ev = InboxEvent::Resync {
            mailbox: mailbox.clone(),
            kind: None,
            full: true,
        };
        assert_eq!(s.enqueue(&[ev], now).await.unwrap().len(), 1);
        assert_eq!(s.schema_version().unwrap(), 3);
    }
    let s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.inbox_depth().await.unwrap(), 1);
    let claimed = s
        .claim(now, chrono::Duration::seconds(30), 10)
        .await
        .unwrap();
    assert!(
        matches!(&claimed[0].event, maiconnect_core::ports::InboxEvent::Resync { mailbox: m, .. } if *m == mailbox)
    );
}

#[test]
fn a_newer_schema_is_refused_with_advice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.sqlite");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    let e = SqliteStore::open(&path).unwrap_err();
    assert!(e.message.contains("newer than this hub"), "{e}");
}

/// A delete event fans out to every mailbox that links the object or still
/// has work for it waiting: an object deleted right after it was created
/// has no link yet, but its copy is about to be written.
#[tokio::test]
async fn mailboxes_concerned_by_an_object_include_waiting_work() {
    use maiconnect_core::model::S4Key;
    use maiconnect_core::ports::{InboxEvent, StateStore};
    let s = SqliteStore::open_in_memory().unwrap();
    let now = chrono::Utc::now();
    let (anna, ben): (maiconnect_core::ids::Mailbox, maiconnect_core::ids::Mailbox) = (
        "anna.berg@example.com".parse().unwrap(),
        "ben.ott@example.com".parse().unwrap(),
    );
    let key: S4Key = "BUS2000126:00000000-0000-0000-0000-000000000001"
        .parse()
        .unwrap();
    let other: S4Key = "BUS2000126:00000000-0000-0000-0000-000000000002"
        .parse()
        .unwrap();
    assert!(s.mailboxes_concerned_by(&key).unwrap().is_empty());
    s.save_link(&appointment_link(1, "AAMk1")).await.unwrap();
    let work = |mailbox: &maiconnect_core::ids::Mailbox, key: &S4Key| InboxEvent::S4Object {
        mailbox: mailbox.clone(),
        key: key.clone(),
        snapshot: None,
        snapshot_seq: None,
    };
    s.enqueue(
        &[work(&ben, &key), work(&anna, &key), work(&ben, &other)],
        now,
    )
    .await
    .unwrap();
    let mut got = s.mailboxes_concerned_by(&key).unwrap();
    got.sort();
    assert_eq!(got, [anna.clone(), ben.clone()]);
    let waiting = |m: &maiconnect_core::ids::Mailbox| {
        s.waiting_in_lane(&InboxEvent::mailbox_lane(m)).unwrap()
    };
    assert_eq!((waiting(&anna), waiting(&ben)), (1, 2));
    // Once Ben's work is done (and nothing linked), he is no longer concerned.
    let claimed = s
        .claim(now, chrono::Duration::seconds(30), 10)
        .await
        .unwrap();
    for e in claimed {
        if matches!(&e.event, InboxEvent::S4Object { mailbox, key: k, .. } if *mailbox == ben && *k == key)
        {
            s.complete(e.id, &[], now).await.unwrap();
        }
    }
    assert_eq!((waiting(&anna), waiting(&ben)), (1, 1));
    assert_eq!(s.mailboxes_concerned_by(&key).unwrap(), [anna]);
    assert_eq!(s.mailboxes_concerned_by(&other).unwrap(), [ben]);
}

/// Every write or removal of a link advances the link-write sequence, so a
/// snapshot read before it can be told stale; the sequence survives
/// reopening.
#[tokio::test]
async fn link_writes_are_sequenced_across_reopening() {
    use maiconnect_core::model::S4Key;
    use maiconnect_core::ports::StateStore;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.sqlite");
    let anna: maiconnect_core::ids::Mailbox = "anna.berg@example.com".parse().unwrap();
    let key: S4Key = "BUS2000126:00000000-0000-0000-0000-000000000001"
        .parse()
        .unwrap();
    let link = appointment_link(1, "AAMk1");
    let before = {
        let s = SqliteStore::open(&path).unwrap();
        let before = s.link_seq();
        assert!(!s.link_written_since(&anna, &key, before).unwrap());
        s.save_link(&link).await.unwrap();
        assert!(s.link_written_since(&anna, &key, before).unwrap());
        assert!(!s.link_written_since(&anna, &key, s.link_seq()).unwrap());
        before
    };
    let s = SqliteStore::open(&path).unwrap();
    let after_save = s.link_seq();
    assert!(after_save > before);
    assert!(!s.link_written_since(&anna, &key, after_save).unwrap());
    // A removal counts too: a snapshot read before it would bring the copy back.
    s.remove_link(&anna, &key).await.unwrap();
    assert!(s.link_written_since(&anna, &key, after_save).unwrap());
    let other: maiconnect_core::ids::Mailbox = "ben.ott@example.com".parse().unwrap();
    assert!(!s.link_written_since(&other, &key, before).unwrap());
}

/// The intake's echo check reads the versions the item's links recorded.
#[tokio::test]
async fn exchange_versions_are_those_the_links_recorded() {
    use maiconnect_core::plan::state::Link;
    use maiconnect_core::ports::StateStore;
    use maiconnect_core::sync::is_own_write;
    let s = SqliteStore::open_in_memory().unwrap();
    let anna: maiconnect_core::ids::Mailbox = "anna.berg@example.com".parse().unwrap();
    let item: maiconnect_core::ids::ItemId = "AAMk1".parse().unwrap();
    assert!(s.exchange_versions(&anna, &item).unwrap().is_empty());
    s.save_link(&Link {
        exchange_version: "CK7".parse().unwrap(),
        ..appointment_link(1, "AAMk1")
    })
    .await
    .unwrap();
    let recorded = s.exchange_versions(&anna, &item).unwrap();
    assert_eq!(recorded, ["CK7".parse().unwrap()]);
    assert!(is_own_write(&recorded, &"CK7".parse().unwrap()));
    assert!(!is_own_write(&recorded, &"CK8".parse().unwrap()));
    assert!(!is_own_write(&[], &"CK7".parse().unwrap()));
}
