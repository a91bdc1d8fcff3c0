//! The hub's state store on SQLite: links, intents, change cursors,
//! subscriptions, the durable inbox, held deletes and the audit journal.
//!
//! One file in WAL mode. Two kinds of commit:
//!
//! * **Durable** (`synchronous=FULL`, the WAL is fsynced): what the hub
//!   promises to the outside world — inbox events before the hub answers 2xx
//!   or `OK` — and intents before it creates something outside. Such a commit
//!   also makes every earlier commit durable.
//! * **Ordinary** (`synchronous=NORMAL`): everything else. It survives a crash
//!   of the process; only a power loss can take back the last few, and what
//!   they recorded is recovered from the durable intents and the tags in the
//!   mailbox items.
//!
//! The schema is versioned with `PRAGMA user_version` and migrated forward on
//! open. One connection behind a mutex serves the whole hub: every
//! statement is short, and SQLite serialises writers anyway.

mod inbox;
mod links;
mod migrations;
mod misc;
mod port;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, TimeZone, Utc};
use maiconnect_core::{ErrorKind, PortError};
use rusqlite::Connection;

/// The SQLite state store.
pub struct SqliteStore {
    conn: Mutex<Connection>,
    durability: Durability,
    /// The last link-write sequence number (see `link_written_since`).
    link_seq: AtomicU64,
}

/// Group commit: durable operations commit ordinarily (under the connection
/// lock, microseconds), then wait for one fsync of the WAL file that covers
/// every commit made before it. The fsync runs outside the connection lock,
/// so other work goes on meanwhile, and operations that arrive while one
/// fsync runs share the next.
struct Durability {
    /// The WAL file; `None` for a store in memory.
    wal: Option<PathBuf>,
    /// Commits that must become durable, counted.
    written: AtomicU64,
    /// How many of them an fsync has covered; held while syncing.
    synced: Mutex<u64>,
}

impl Durability {
    fn sync_through(&self, seq: u64) -> Result<(), PortError> {
        let Some(wal) = &self.wal else { return Ok(()) };
        let mut synced = self.synced.lock().unwrap_or_else(|p| p.into_inner());
        if *synced >= seq {
            return Ok(());
        }
        let target = self.written.load(Ordering::SeqCst);
        // fsync works on the file, whoever opened it: this flushes every
        // commit SQLite has written to the WAL so far. A checkpoint in
        // between has synced what it moved (synchronous=NORMAL syncs the
        // WAL before and the database after each checkpoint).
        match std::fs::File::open(wal) {
            Ok(f) => f.sync_data().map_err(|e| {
                PortError::new(
                    ErrorKind::Unavailable,
                    format!("state store: fsync of {}: {e}", wal.display()),
                )
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(PortError::new(
                    ErrorKind::Unavailable,
                    format!("state store: {}: {e}", wal.display()),
                ));
            }
        }
        *synced = target;
        Ok(())
    }
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
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        SqliteStore::setup(conn, Some(PathBuf::from(wal)))
    }

    /// A store in memory (tests).
    pub fn open_in_memory() -> Result<SqliteStore, PortError> {
        let conn = Connection::open_in_memory().map_err(db)?;
        SqliteStore::setup(conn, None)
    }

    fn setup(conn: Connection, wal: Option<PathBuf>) -> Result<SqliteStore, PortError> {
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(db)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(db)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(db)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(db)?;
        migrations::migrate(&conn)?;
        let link_seq: i64 = conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM link_writes", [], |r| {
                r.get(0)
            })
            .map_err(db)?;
        Ok(SqliteStore {
            link_seq: AtomicU64::new(link_seq as u64),
            conn: Mutex::new(conn),
            durability: Durability {
                wal,
                written: AtomicU64::new(0),
                synced: Mutex::new(0),
            },
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (each
        // statement is atomic); keep going.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` in a transaction and returns once its commit is on disk.
    pub(crate) fn durably<T>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, PortError>,
    ) -> Result<T, PortError> {
        let (out, seq) = {
            let mut conn = self.conn();
            let tx = conn.transaction().map_err(db)?;
            let out = f(&tx)?;
            tx.commit().map_err(db)?;
            // Counted under the connection lock, so counts follow commit order.
            (
                out,
                self.durability.written.fetch_add(1, Ordering::SeqCst) + 1,
            )
        };
        self.durability.sync_through(seq)?;
        Ok(out)
    }

    /// The schema version after migration.
    pub fn schema_version(&self) -> Result<i64, PortError> {
        self.conn()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(db)
    }
}

/// Runs a store call that waits for the disk (a durable commit) without
/// stalling the async runtime: on a multi-threaded runtime the thread first
/// hands its other tasks to the rest. Every other call takes microseconds
/// and runs in place; handing over costs more than it saves.
pub(crate) fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

/// A database error as a port error.
pub(crate) fn db(e: rusqlite::Error) -> PortError {
    PortError::new(ErrorKind::Unavailable, format!("state store: {e}"))
}

/// A stored JSON value that does not parse (a corrupted row).
fn corrupt(what: &str, e: serde_json::Error) -> PortError {
    PortError::new(
        ErrorKind::Other,
        format!("state store: a stored {what} does not parse ({e}); the row is corrupted"),
    )
}

/// Parses a stored JSON column; `what` names it in the error.
pub(crate) fn parse<T: serde::de::DeserializeOwned>(
    what: &str,
    data: &str,
) -> Result<T, PortError> {
    serde_json::from_str(data).map_err(|e| corrupt(what, e))
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
