//! Versioned schema migrations (`PRAGMA user_version`).

use maiconnect_core::{ErrorKind, PortError};
use rusqlite::Connection;

use crate::store::db;

/// Each step moves the schema one version up; steps never change.
const STEPS: &[&str] = &[
    // 1: the first schema.
    "
    CREATE TABLE links (
        mailbox TEXT NOT NULL,
        s4 TEXT NOT NULL,
        kind TEXT NOT NULL,
        exchange_item TEXT NOT NULL,
        exchange_occurrence TEXT NOT NULL DEFAULT '',
        data TEXT NOT NULL,
        PRIMARY KEY (mailbox, s4)
    );
    CREATE UNIQUE INDEX links_exchange ON links (mailbox, exchange_item, exchange_occurrence);
    CREATE INDEX links_kind ON links (mailbox, kind);
    CREATE TABLE intents (
        mailbox TEXT NOT NULL,
        pair TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (mailbox, pair)
    );
    CREATE TABLE cursors (
        mailbox TEXT NOT NULL,
        folder TEXT NOT NULL,
        cursor TEXT NOT NULL,
        PRIMARY KEY (mailbox, folder)
    );
    CREATE TABLE subscriptions (
        token TEXT PRIMARY KEY,
        mailbox TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE inbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        lane TEXT NOT NULL,
        backfill INTEGER NOT NULL,
        event TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before INTEGER NOT NULL,
        claimed_until INTEGER,
        last_error TEXT,
        dead INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX inbox_lanes ON inbox (dead, lane, id);
    CREATE TABLE dedup (
        key TEXT PRIMARY KEY,
        at INTEGER NOT NULL
    );
    CREATE TABLE held (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        mailbox TEXT NOT NULL,
        at INTEGER NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE journal (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        mailbox TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX journal_mailbox ON journal (mailbox, id);
    CREATE INDEX journal_at ON journal (at);
    ",
    // 2: settings changed through the admin API.
    "
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    ",
    // 3: indexes for claiming in order without scanning the inbox; the S/4
    // object an entry works on, for fanning out deletes; when each link was
    // last written or removed, for telling stale snapshots.
    "
    CREATE INDEX inbox_order ON inbox (dead, backfill, id);
    CREATE INDEX inbox_lane_first ON inbox (lane, dead, id);
    ALTER TABLE inbox ADD COLUMN object TEXT;
    UPDATE inbox SET object = json_extract(event, '$.key') WHERE json_extract(event, '$.type') = 's4_object';
    CREATE INDEX inbox_object ON inbox (object) WHERE object IS NOT NULL;
    CREATE TABLE link_writes (
        mailbox TEXT NOT NULL,
        s4 TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (mailbox, s4)
    ) WITHOUT ROWID;
    ",
];

/// The version this build writes.
pub const VERSION: i64 = STEPS.len() as i64;

/// Brings the schema to [`VERSION`], one transaction per step.
pub fn migrate(conn: &Connection) -> Result<(), PortError> {
    let current: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(db)?;
    if current > VERSION {
        return Err(PortError::new(
            ErrorKind::Misconfigured,
            format!(
                "the state store has schema version {current}, newer than this hub ({VERSION}); run the newer hub or restore a backup"
            ),
        ));
    }
    for (i, step) in STEPS.iter().enumerate().skip(current as usize) {
        let version = i as i64 + 1;
        let tx = conn.unchecked_transaction().map_err(db)?;
        tx.execute_batch(step).map_err(db)?;
        tx.pragma_update(None, "user_version", version)
            .map_err(db)?;
        tx.commit().map_err(db)?;
    }
    Ok(())
}
