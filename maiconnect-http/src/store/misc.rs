//! Subscriptions, held deletes and the audit journal.

use chrono::{DateTime, Utc};
use maiconnect_core::PortError;
use maiconnect_core::ids::Mailbox;
use maiconnect_core::plan::HeldDelete;
use maiconnect_core::ports::{JournalEntry, SubscriptionRecord};
use rusqlite::{OptionalExtension, params};

use crate::store::{SqliteStore, db, millis, parse, to_json};

impl SqliteStore {
    pub(crate) fn get_subscriptions(&self) -> Result<Vec<SubscriptionRecord>, PortError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached("SELECT data FROM subscriptions ORDER BY mailbox")
            .map_err(db)?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0)).map_err(db)?;
        let rows: Vec<String> = rows.collect::<Result<_, _>>().map_err(db)?;
        rows.iter().map(|d| parse("subscription", d)).collect()
    }

    pub(crate) fn get_subscription(
        &self,
        token: &str,
    ) -> Result<Option<SubscriptionRecord>, PortError> {
        let row: Option<String> = self
            .conn()
            .query_row(
                "SELECT data FROM subscriptions WHERE token = ?1",
                params![token],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)?;
        row.map(|d| parse("subscription", &d)).transpose()
    }

    pub(crate) fn put_subscription(&self, s: &SubscriptionRecord) -> Result<(), PortError> {
        self.conn()
            .execute(
                "INSERT INTO subscriptions (token, mailbox, data) VALUES (?1, ?2, ?3)
                 ON CONFLICT (token) DO UPDATE SET mailbox = excluded.mailbox, data = excluded.data",
                params![s.token, s.mailbox.as_str(), to_json(s)?],
            )
            .map_err(db)?;
        Ok(())
    }

    pub(crate) fn delete_subscription(&self, token: &str) -> Result<(), PortError> {
        self.conn()
            .execute("DELETE FROM subscriptions WHERE token = ?1", params![token])
            .map_err(db)?;
        Ok(())
    }

    pub(crate) fn put_held(&self, held: &HeldDelete, now: DateTime<Utc>) -> Result<i64, PortError> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO held (mailbox, at, data) VALUES (?1, ?2, ?3)",
            params![held.plan.mailbox.as_str(), millis(now), to_json(held)?],
        )
        .map_err(db)?;
        Ok(conn.last_insert_rowid())
    }

    pub(crate) fn get_held(
        &self,
        mailbox: Option<&Mailbox>,
    ) -> Result<Vec<(i64, HeldDelete)>, PortError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, data FROM held WHERE ?1 IS NULL OR mailbox = ?1 ORDER BY id",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(params![mailbox.map(|m| m.as_str())], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(db)?;
        let rows: Vec<(i64, String)> = rows.collect::<Result<_, _>>().map_err(db)?;
        rows.into_iter()
            .map(|(id, d)| Ok((id, parse("held delete", &d)?)))
            .collect()
    }

    pub(crate) fn take(&self, id: i64) -> Result<Option<HeldDelete>, PortError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(db)?;
        let row: Option<String> = tx
            .query_row("SELECT data FROM held WHERE id = ?1", params![id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(db)?;
        tx.execute("DELETE FROM held WHERE id = ?1", params![id])
            .map_err(db)?;
        tx.commit().map_err(db)?;
        row.map(|d| parse("held delete", &d)).transpose()
    }

    pub(crate) fn put_journal(&self, e: &JournalEntry) -> Result<(), PortError> {
        self.conn()
            .execute(
                "INSERT INTO journal (at, mailbox, data) VALUES (?1, ?2, ?3)",
                params![millis(e.at), e.mailbox.as_str(), to_json(e)?],
            )
            .map_err(db)?;
        Ok(())
    }

    pub(crate) fn get_journal(
        &self,
        mailbox: Option<&Mailbox>,
        limit: usize,
    ) -> Result<Vec<JournalEntry>, PortError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached("SELECT data FROM journal WHERE ?1 IS NULL OR mailbox = ?1 ORDER BY id DESC LIMIT ?2")
            .map_err(db)?;
        let rows = stmt
            .query_map(params![mailbox.map(|m| m.as_str()), limit as i64], |r| {
                r.get::<_, String>(0)
            })
            .map_err(db)?;
        let rows: Vec<String> = rows.collect::<Result<_, _>>().map_err(db)?;
        rows.iter().map(|d| parse("journal entry", d)).collect()
    }

    pub(crate) fn prune(&self, before: DateTime<Utc>) -> Result<usize, PortError> {
        let n = self
            .conn()
            .execute("DELETE FROM journal WHERE at < ?1", params![millis(before)])
            .map_err(db)?;
        Ok(n)
    }
}

impl SqliteStore {
    /// A stored setting (JSON), if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>, PortError> {
        self.conn()
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                params![key],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)
    }

    /// Stores a setting (JSON).
    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), PortError> {
        self.conn()
            .execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .map_err(db)?;
        Ok(())
    }

    /// The mailboxes concerned by the S/4 object `key`: those that link it
    /// and those with work for it still in the inbox (an object deleted
    /// right after it was created has no link yet and nobody left to ask,
    /// but its copy is about to be written). One statement, so one
    /// snapshot: the link is saved before the work is completed, so every
    /// mailbox shows up in at least one of the two.
    pub fn mailboxes_concerned_by(
        &self,
        key: &maiconnect_core::model::S4Key,
    ) -> Result<Vec<Mailbox>, PortError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT mailbox FROM links WHERE s4 = ?1
                 UNION SELECT substr(lane, 9) FROM inbox WHERE object = ?1 AND dead = 0",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(params![key.to_string()], |r| r.get::<_, String>(0))
            .map_err(db)?;
        let rows: Vec<String> = rows.collect::<Result<_, _>>().map_err(db)?;
        Ok(rows.iter().filter_map(|m| m.parse().ok()).collect())
    }

    /// Releases every claim (at start-up: this process is the only worker,
    /// so whatever was claimed before was interrupted).
    pub fn release_claims(&self) -> Result<usize, PortError> {
        let n = self
            .conn()
            .execute(
                "UPDATE inbox SET claimed_until = NULL WHERE claimed_until IS NOT NULL",
                [],
            )
            .map_err(db)?;
        Ok(n)
    }

    /// Counts of links per kind in a mailbox.
    pub fn link_counts(&self, mailbox: &Mailbox) -> Result<Vec<(String, usize)>, PortError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT kind, COUNT(*) FROM links WHERE mailbox = ?1 GROUP BY kind ORDER BY kind",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(params![mailbox.as_str()], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize))
            })
            .map_err(db)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(db)
    }

    /// Dead letters in all.
    pub fn dead_count(&self) -> Result<usize, PortError> {
        let n: i64 = self
            .conn()
            .query_row("SELECT COUNT(*) FROM inbox WHERE dead = 1", [], |r| {
                r.get(0)
            })
            .map_err(db)?;
        Ok(n as usize)
    }
}
