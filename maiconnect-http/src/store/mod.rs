//! The hub's state store on SQLite: links, intents, change cursors,
//! subscriptions, the durable inbox, held deletes and the audit journal.
//!
//! One file, WAL journal, `synchronous=FULL`: a transaction that returned is
//! on disk, so the inbox is durable before the hub answers 2xx or `OK`. The
//! schema is versioned with `PRAGMA user_version` and migrated forward on
//! open. One connection behind a mutex serves the whole hub: every
//! statement is short, and SQLite serialises writers anyway.

mod inbox;
mod links;
mod migrations;
mod misc;
mod port;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, TimeZone, Utc};
use maiconnect_core::{ErrorKind, PortError};
use rusqlite::Connection;

/// The SQLite state store.
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SqliteStore")
    }
}

impl SqliteStore {
    /// Opens (or creates) the store at `path` and migrates it.
    pub fn open(path: &Path) -> Result<SqliteStore, PortError> {
        let conn = Connection::open(path).map_err(|e| {
            PortError::new(
                ErrorKind::Misconfigured,
                format!("cannot open the state store {}: {e}; check that the directory exists and is writable", path.display()),
            )
        })?;
        SqliteStore::setup(conn)
    }

    /// A store in memory (tests).
    pub fn open_in_memory() -> Result<SqliteStore, PortError> {
        let conn = Connection::open_in_memory().map_err(db)?;
        SqliteStore::setup(conn)
    }

    fn setup(conn: Connection) -> Result<SqliteStore, PortError> {
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(db)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(db)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(db)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(db)?;
        migrations::migrate(&conn)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (each
        // statement is atomic); keep going.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The schema version after migration.
    pub fn schema_version(&self) -> Result<i64, PortError> {
        self.conn()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(db)
    }
}

/// A database error as a port error.
pub(crate) fn db(e: rusqlite::Error) -> PortError {
    PortError::new(ErrorKind::Unavailable, format!("state store: {e}"))
}

/// A stored JSON value that does not parse (a corrupted row).
pub(crate) fn corrupt(what: &str, e: serde_json::Error) -> PortError {
    PortError::new(
        ErrorKind::Other,
        format!("state store: a stored {what} does not parse ({e}); the row is corrupted"),
    )
}

pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> Result<String, PortError> {
    serde_json::to_string(v)
        .map_err(|e| PortError::new(ErrorKind::Other, format!("state store: cannot encode: {e}")))
}

pub(crate) fn millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn from_millis(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}
