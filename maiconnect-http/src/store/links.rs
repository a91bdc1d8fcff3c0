//! Links, intents and change cursors.

use std::sync::atomic::Ordering;

use chrono::Utc;
use maiconnect_core::PortError;
use maiconnect_core::ids::{ItemId, Mailbox};
use maiconnect_core::model::{ExchangeKey, Folder, ObjectKind, S4Key};
use maiconnect_core::plan::Link;
use maiconnect_core::ports::{ChangeCursor, Intent, PairKey};
use rusqlite::{OptionalExtension, params};

use crate::store::{SqliteStore, db, millis, parse, to_json};

fn occurrence(key: &ExchangeKey) -> String {
    key.occurrence.map(|o| o.to_rfc3339()).unwrap_or_default()
}

fn parse_link(data: String) -> Result<Link, PortError> {
    parse("link", &data)
}

fn links_from(rows: Vec<String>) -> Result<Vec<Link>, PortError> {
    rows.into_iter().map(parse_link).collect()
}

impl SqliteStore {
    pub(crate) fn get_link_by_s4(
        &self,
        mailbox: &Mailbox,
        key: &S4Key,
    ) -> Result<Option<Link>, PortError> {
        let row: Option<String> = self
            .conn()
            .query_row(
                "SELECT data FROM links WHERE mailbox = ?1 AND s4 = ?2",
                params![mailbox.as_str(), key.to_string()],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)?;
        row.map(parse_link).transpose()
    }

    pub(crate) fn get_link_by_exchange(
        &self,
        mailbox: &Mailbox,
        key: &ExchangeKey,
    ) -> Result<Option<Link>, PortError> {
        let row: Option<String> = self
            .conn()
            .query_row(
                "SELECT data FROM links WHERE mailbox = ?1 AND exchange_item = ?2 AND exchange_occurrence = ?3",
                params![mailbox.as_str(), key.item.as_str(), occurrence(key)],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)?;
        row.map(parse_link).transpose()
    }

    fn query_links(
        &self,
        sql: &str,
        args: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<Link>, PortError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(sql).map_err(db)?;
        let rows = stmt
            .query_map(args, |r| r.get::<_, String>(0))
            .map_err(db)?;
        let rows: Vec<String> = rows.collect::<Result<_, _>>().map_err(db)?;
        drop(stmt);
        drop(conn);
        links_from(rows)
    }

    pub(crate) fn get_links_by_item(
        &self,
        mailbox: &Mailbox,
        item: &ItemId,
    ) -> Result<Vec<Link>, PortError> {
        self.query_links(
            "SELECT data FROM links WHERE mailbox = ?1 AND exchange_item = ?2",
            &[&mailbox.as_str(), &item.as_str()],
        )
    }

    pub(crate) fn get_links(
        &self,
        mailbox: &Mailbox,
        kind: ObjectKind,
    ) -> Result<Vec<Link>, PortError> {
        self.query_links(
            "SELECT data FROM links WHERE mailbox = ?1 AND kind = ?2 ORDER BY s4",
            &[&mailbox.as_str(), &kind.to_string()],
        )
    }

    pub(crate) fn get_count_links(&self, mailbox: &Mailbox) -> Result<usize, PortError> {
        let n: i64 = self
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM links WHERE mailbox = ?1",
                params![mailbox.as_str()],
                |r| r.get(0),
            )
            .map_err(db)?;
        Ok(n as usize)
    }

    pub(crate) fn put_link(&self, link: &Link) -> Result<(), PortError> {
        let data = to_json(link)?;
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(db)?;
        // One mailbox item belongs to one S/4 object.
        tx.execute(
            "DELETE FROM links WHERE mailbox = ?1 AND exchange_item = ?2 AND exchange_occurrence = ?3 AND s4 <> ?4",
            params![link.mailbox.as_str(), link.exchange.item.as_str(), occurrence(&link.exchange), link.s4.to_string()],
        )
        .map_err(db)?;
        tx.execute(
            "INSERT INTO links (mailbox, s4, kind, exchange_item, exchange_occurrence, data)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (mailbox, s4) DO UPDATE SET kind = excluded.kind,
                exchange_item = excluded.exchange_item,
                exchange_occurrence = excluded.exchange_occurrence, data = excluded.data",
            params![
                link.mailbox.as_str(),
                link.s4.to_string(),
                link.kind().to_string(),
                link.exchange.item.as_str(),
                occurrence(&link.exchange),
                data
            ],
        )
        .map_err(db)?;
        self.note_link_write(&tx, &link.mailbox, &link.s4)?;
        tx.commit().map_err(db)
    }

    pub(crate) fn delete_link(&self, mailbox: &Mailbox, key: &S4Key) -> Result<(), PortError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(db)?;
        tx.execute(
            "DELETE FROM links WHERE mailbox = ?1 AND s4 = ?2",
            params![mailbox.as_str(), key.to_string()],
        )
        .map_err(db)?;
        self.note_link_write(&tx, mailbox, key)?;
        tx.commit().map_err(db)
    }

    /// Stamps the link's next write sequence number (under the connection
    /// lock, so numbers follow the order of commits).
    fn note_link_write(
        &self,
        tx: &rusqlite::Transaction<'_>,
        mailbox: &Mailbox,
        key: &S4Key,
    ) -> Result<(), PortError> {
        let seq = self.link_seq.fetch_add(1, Ordering::SeqCst) + 1;
        tx.prepare_cached(
            "INSERT INTO link_writes (mailbox, s4, seq, at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (mailbox, s4) DO UPDATE SET seq = excluded.seq, at = excluded.at",
        )
        .map_err(db)?
        .execute(params![
            mailbox.as_str(),
            key.to_string(),
            seq as i64,
            millis(Utc::now())
        ])
        .map_err(db)?;
        Ok(())
    }

    /// The Exchange versions the links of `item` recorded (without parsing
    /// the links: the intake asks this of every notification).
    pub fn exchange_versions(
        &self,
        mailbox: &Mailbox,
        item: &ItemId,
    ) -> Result<Vec<maiconnect_core::ids::Version>, PortError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT json_extract(data, '$.exchange_version') FROM links
                 WHERE mailbox = ?1 AND exchange_item = ?2",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(params![mailbox.as_str(), item.as_str()], |r| {
                r.get::<_, String>(0)
            })
            .map_err(db)?;
        let mut out = Vec::new();
        for v in rows {
            let v = v.map_err(db)?;
            out.push(v.parse().map_err(|e| {
                PortError::new(
                    maiconnect_core::ErrorKind::Other,
                    format!("state store: a link's version does not parse ({e})"),
                )
            })?);
        }
        Ok(out)
    }

    /// The link-write sequence number now: a snapshot of an S/4 object read
    /// after this call is at least as new as every link written before it.
    pub fn link_seq(&self) -> u64 {
        self.link_seq.load(Ordering::SeqCst)
    }

    /// Whether the link of `key` in `mailbox` was written or removed after
    /// the sequence number `seq`.
    pub fn link_written_since(
        &self,
        mailbox: &Mailbox,
        key: &S4Key,
        seq: u64,
    ) -> Result<bool, PortError> {
        let last: Option<i64> = self
            .conn()
            .prepare_cached("SELECT seq FROM link_writes WHERE mailbox = ?1 AND s4 = ?2")
            .map_err(db)?
            .query_row(params![mailbox.as_str(), key.to_string()], |r| r.get(0))
            .optional()
            .map_err(db)?;
        Ok(last.is_some_and(|last| last as u64 > seq))
    }

    pub(crate) fn put_intent(&self, intent: &Intent) -> Result<(), PortError> {
        let (pair, data) = (to_json(&intent.pair)?, to_json(intent)?);
        // The create follows right after: the intent must outlive a power loss.
        self.durably(|tx| {
            tx.execute(
                "INSERT INTO intents (mailbox, pair, data) VALUES (?1, ?2, ?3)
                 ON CONFLICT (mailbox, pair) DO UPDATE SET data = excluded.data",
                params![intent.mailbox.as_str(), pair, data],
            )
            .map_err(db)?;
            Ok(())
        })
    }

    pub(crate) fn get_intent(
        &self,
        mailbox: &Mailbox,
        pair: &PairKey,
    ) -> Result<Option<Intent>, PortError> {
        let row: Option<String> = self
            .conn()
            .query_row(
                "SELECT data FROM intents WHERE mailbox = ?1 AND pair = ?2",
                params![mailbox.as_str(), to_json(pair)?],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)?;
        row.map(|d| parse("intent", &d)).transpose()
    }

    pub(crate) fn get_intents(&self, mailbox: &Mailbox) -> Result<Vec<Intent>, PortError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached("SELECT data FROM intents WHERE mailbox = ?1")
            .map_err(db)?;
        let rows = stmt
            .query_map(params![mailbox.as_str()], |r| r.get::<_, String>(0))
            .map_err(db)?;
        let rows: Vec<String> = rows.collect::<Result<_, _>>().map_err(db)?;
        rows.iter().map(|d| parse("intent", d)).collect()
    }

    pub(crate) fn delete_intent(&self, mailbox: &Mailbox, pair: &PairKey) -> Result<(), PortError> {
        self.conn()
            .execute(
                "DELETE FROM intents WHERE mailbox = ?1 AND pair = ?2",
                params![mailbox.as_str(), to_json(pair)?],
            )
            .map_err(db)?;
        Ok(())
    }

    pub(crate) fn get_cursor(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
    ) -> Result<Option<ChangeCursor>, PortError> {
        let row: Option<String> = self
            .conn()
            .query_row(
                "SELECT cursor FROM cursors WHERE mailbox = ?1 AND folder = ?2",
                params![mailbox.as_str(), folder.to_string()],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)?;
        Ok(row.map(ChangeCursor))
    }

    pub(crate) fn put_cursor(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        cursor: &ChangeCursor,
    ) -> Result<(), PortError> {
        self.conn()
            .execute(
                "INSERT INTO cursors (mailbox, folder, cursor) VALUES (?1, ?2, ?3)
                 ON CONFLICT (mailbox, folder) DO UPDATE SET cursor = excluded.cursor",
                params![mailbox.as_str(), folder.to_string(), cursor.0],
            )
            .map_err(db)?;
        Ok(())
    }

    /// Forgets everything about a mailbox (when its user is removed).
    pub fn forget_mailbox(&self, mailbox: &Mailbox) -> Result<(), PortError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(db)?;
        for table in ["links", "intents", "cursors", "subscriptions"] {
            tx.execute(
                &format!("DELETE FROM {table} WHERE mailbox = ?1"),
                params![mailbox.as_str()],
            )
            .map_err(db)?;
        }
        tx.commit().map_err(db)
    }
}
