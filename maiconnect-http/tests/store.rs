//! The SQLite store passes the state store conformance suite, keeps its
//! data across reopening, and migrates.

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
        assert_eq!(s.schema_version().unwrap(), 2);
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
