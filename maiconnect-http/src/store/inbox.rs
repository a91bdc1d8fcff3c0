//! The durable inbox.

use chrono::{DateTime, Duration, Utc};
use maiconnect_core::PortError;
use maiconnect_core::ports::{InboxEntry, InboxEvent, InboxId};
use rusqlite::{Transaction, params};

use crate::store::{SqliteStore, db, from_millis, millis, parse, to_json};

/// How long S/4 event ids are remembered for dropping repeated deliveries.
const DEDUP_DAYS: i64 = 7;

fn insert(
    tx: &Transaction<'_>,
    events: &[InboxEvent],
    now: DateTime<Utc>,
) -> Result<Vec<InboxId>, PortError> {
    let mut ids = Vec::with_capacity(events.len());
    let mut dedup = tx
        .prepare_cached("INSERT OR IGNORE INTO dedup (key, at) VALUES (?1, ?2)")
        .map_err(db)?;
    let mut add = tx
        .prepare_cached(
            "INSERT INTO inbox (lane, backfill, event, received_at, not_before, object) VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
        )
        .map_err(db)?;
    for e in events {
        if let Some(key) = e.dedup_key()
            && dedup.execute(params![key, millis(now)]).map_err(db)? == 0
        {
            continue;
        }
        let object = match e {
            InboxEvent::S4Object { key, .. } => Some(key.to_string()),
            _ => None,
        };
        add.execute(params![
            e.lane(),
            e.is_backfill(),
            to_json(e)?,
            millis(now),
            object
        ])
        .map_err(db)?;
        ids.push(InboxId(tx.last_insert_rowid()));
    }
    Ok(ids)
}

/// id, event, received, attempts, not_before, last_error, dead.
type Row = (i64, String, i64, u32, i64, Option<String>, bool);

fn entry(row: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
    ))
}

fn to_entry(
    (id, event, received, attempts, not_before, last_error, dead): Row,
) -> Result<InboxEntry, PortError> {
    Ok(InboxEntry {
        id: InboxId(id),
        event: parse("inbox event", &event)?,
        received_at: from_millis(received),
        attempts,
        not_before: from_millis(not_before),
        last_error,
        dead,
    })
}

const COLUMNS: &str = "id, event, received_at, attempts, not_before, last_error, dead";

impl SqliteStore {
    pub(crate) fn push_events(
        &self,
        events: &[InboxEvent],
        now: DateTime<Utc>,
    ) -> Result<Vec<InboxId>, PortError> {
        // The hub acknowledges these as soon as this returns.
        self.durably(|tx| insert(tx, events, now))
    }

    pub(crate) fn claim_events(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: usize,
    ) -> Result<Vec<InboxEntry>, PortError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(db)?;
        let rows = {
            // The first waiting entry of each lane, if it is due and not
            // claimed: lanes run one entry at a time, in order. Both the walk
            // (live before backfill, oldest first) and the "first of its
            // lane" test run on indexes, so a claim costs the entries it
            // passes over, not the whole inbox.
            let mut stmt = tx
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM inbox AS i INDEXED BY inbox_order
                     WHERE i.dead = 0 AND i.not_before <= ?1
                       AND (i.claimed_until IS NULL OR i.claimed_until <= ?1)
                       AND NOT EXISTS (SELECT 1 FROM inbox AS j INDEXED BY inbox_lane_first
                                       WHERE j.lane = i.lane AND j.dead = 0 AND j.id < i.id)
                     ORDER BY i.backfill, i.id LIMIT ?2"
                ))
                .map_err(db)?;
            let rows = stmt
                .query_map(params![millis(now), limit as i64], entry)
                .map_err(db)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(db)?
        };
        let until = millis(now + lease);
        let mut out = Vec::with_capacity(rows.len());
        {
            let mut claim = tx
                .prepare_cached(
                    "UPDATE inbox SET claimed_until = ?1, attempts = attempts + 1 WHERE id = ?2",
                )
                .map_err(db)?;
            for mut row in rows {
                claim.execute(params![until, row.0]).map_err(db)?;
                row.3 += 1;
                out.push(to_entry(row)?);
            }
        }
        tx.commit().map_err(db)?;
        Ok(out)
    }

    pub(crate) fn complete_event(
        &self,
        id: InboxId,
        follow_ups: &[InboxEvent],
        now: DateTime<Utc>,
    ) -> Result<(), PortError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(db)?;
        tx.execute("DELETE FROM inbox WHERE id = ?1", params![id.0])
            .map_err(db)?;
        insert(&tx, follow_ups, now)?;
        tx.commit().map_err(db)
    }

    pub(crate) fn fail_event(
        &self,
        id: InboxId,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<(), PortError> {
        let conn = self.conn();
        match retry_at {
            Some(t) => conn.execute(
                "UPDATE inbox SET claimed_until = NULL, last_error = ?1, not_before = ?2 WHERE id = ?3",
                params![error, millis(t), id.0],
            ),
            None => conn.execute(
                "UPDATE inbox SET claimed_until = NULL, last_error = ?1, dead = 1 WHERE id = ?2",
                params![error, id.0],
            ),
        }
        .map_err(db)?;
        Ok(())
    }

    pub(crate) fn get_dead_letters(&self, limit: usize) -> Result<Vec<InboxEntry>, PortError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM inbox WHERE dead = 1 ORDER BY id LIMIT ?1"
            ))
            .map_err(db)?;
        let rows = stmt.query_map(params![limit as i64], entry).map_err(db)?;
        let rows = rows.collect::<Result<Vec<_>, _>>().map_err(db)?;
        rows.into_iter().map(to_entry).collect()
    }

    pub(crate) fn revive(&self, id: InboxId, now: DateTime<Utc>) -> Result<bool, PortError> {
        let n = self
            .conn()
            .execute(
                "UPDATE inbox SET dead = 0, attempts = 0, not_before = ?1, claimed_until = NULL WHERE id = ?2 AND dead = 1",
                params![millis(now), id.0],
            )
            .map_err(db)?;
        Ok(n == 1)
    }

    pub(crate) fn depth(&self) -> Result<usize, PortError> {
        let n: i64 = self
            .conn()
            .query_row("SELECT COUNT(*) FROM inbox WHERE dead = 0", [], |r| {
                r.get(0)
            })
            .map_err(db)?;
        Ok(n as usize)
    }

    /// Drops remembered S/4 event ids and link writes older than a week
    /// (no snapshot waits that long).
    pub fn prune_dedup(&self, now: DateTime<Utc>) -> Result<usize, PortError> {
        let before = millis(now - Duration::days(DEDUP_DAYS));
        let conn = self.conn();
        let n = conn
            .execute("DELETE FROM dedup WHERE at < ?1", params![before])
            .map_err(db)?;
        conn.execute("DELETE FROM link_writes WHERE at < ?1", params![before])
            .map_err(db)?;
        Ok(n)
    }

    /// Entries waiting in one lane (dead letters not counted), for the
    /// admin API.
    pub fn waiting_in_lane(&self, lane: &str) -> Result<usize, PortError> {
        self.conn()
            .prepare_cached("SELECT COUNT(*) FROM inbox WHERE dead = 0 AND lane = ?1")
            .and_then(|mut stmt| stmt.query_row([lane], |r| r.get::<_, i64>(0)))
            .map(|n| n as usize)
            .map_err(db)
    }
}
