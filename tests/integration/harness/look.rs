//! Reading and writing both systems as their users do: Outlook through the
//! fake Exchange's control API, SAP GUI through the fake S/4HANA's, and
//! waiting until everything has travelled.

use std::time::{Duration, Instant};

use chrono::{DateTime, Duration as Days, NaiveTime, Utc};
use maiconnect_core::ports::StateStore;
use maiconnect_fakes::exchange::control::spec::{ExtendedSpec, ItemSpec};
use maiconnect_fakes::s4::{ActivityKind, DeliveryStatus};
use serde_json::Value;

use crate::harness::Env;

/// Anna Berg (BP 4711), on-premises environment; customer 200 is hers.
pub const ANNA: &str = "anna.berg@example.com";
/// Ben Kraus (BP 4712), on-premises environment; contact person 300 is his.
pub const BEN: &str = "ben.kraus@example.com";
/// Clara Vogel (BP 4713), Exchange Online environment.
pub const CLARA: &str = "clara.vogel@example.onmicrosoft.com";

/// A full hour `days` from today (UTC), at `hour`.
pub fn at(days: i64, hour: u32) -> DateTime<Utc> {
    let day = (Utc::now() + Days::days(days)).date_naive();
    day.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default())
        .and_utc()
}

/// The same, as the ISO text the S/4 control API takes.
pub fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339()
}

/// An Outlook appointment of one hour.
pub fn meeting(subject: &str, start: DateTime<Utc>) -> ItemSpec {
    ItemSpec {
        subject: Some(subject.into()),
        start: Some(start),
        end: Some(start + Days::hours(1)),
        zone: Some("Europe/Berlin".into()),
        ..ItemSpec::default()
    }
}

/// The sync tag an Outlook add-in sets (maiconnect's `maiconnect-sync`
/// extended property).
pub fn sync_tag() -> ExtendedSpec {
    ExtendedSpec {
        set: Some("PublicStrings".into()),
        name: Some("maiconnect-sync".into()),
        r#type: Some("Boolean".into()),
        value: "true".into(),
        ..ExtendedSpec::default()
    }
}

/// A string field of a JSON object ("" when missing).
pub fn text<'a>(v: &'a Value, field: &str) -> &'a str {
    v[field].as_str().unwrap_or_default()
}

impl Env {
    /// The items of a mailbox folder (`calendar`, `tasks`, `contacts`).
    pub fn items(&self, mailbox: &str, folder: &str) -> Vec<Value> {
        self.world
            .exchange
            .items(mailbox, Some(folder))
            .unwrap_or_else(|e| panic!("items of {mailbox}/{folder}: {e}"))
    }

    /// The items of a folder with this subject.
    pub fn items_titled(&self, mailbox: &str, folder: &str, subject: &str) -> Vec<Value> {
        self.items(mailbox, folder)
            .into_iter()
            .filter(|i| text(i, "subject") == subject)
            .collect()
    }

    /// Waits until exactly `n` items of the folder have this subject.
    pub async fn wait_items(
        &self,
        mailbox: &str,
        folder: &str,
        subject: &str,
        n: usize,
    ) -> Vec<Value> {
        let what = format!("{n} item(s) {subject:?} in {mailbox}/{folder}");
        self.wait(&what, || {
            let found = self.items_titled(mailbox, folder, subject);
            (found.len() == n).then_some(found)
        })
        .await
    }

    /// Creates an Outlook item as the mailbox owner; returns its id.
    pub fn outlook_create(&self, mailbox: &str, folder: &str, item: &ItemSpec) -> String {
        self.world
            .exchange
            .create_item(mailbox, Some(folder), item)
            .unwrap_or_else(|e| panic!("create in {mailbox}/{folder}: {e}"))
            .0
    }

    /// Changes an Outlook item as its owner.
    pub fn outlook_update(&self, mailbox: &str, id: &str, changes: &ItemSpec) {
        self.world
            .exchange
            .update_item(mailbox, id, changes)
            .unwrap_or_else(|e| panic!("update {id} in {mailbox}: {e}"));
    }

    /// Deletes an Outlook item as its owner.
    pub fn outlook_delete(&self, mailbox: &str, id: &str) {
        self.world
            .exchange
            .delete_item(mailbox, id)
            .unwrap_or_else(|e| panic!("delete {id} in {mailbox}: {e}"));
    }

    /// The S/4 activities of a kind (OData JSON, appointments with
    /// `Attendee`).
    pub fn s4_all(&self, kind: ActivityKind) -> Vec<Value> {
        let s = self.world.s4.snapshot();
        match kind {
            ActivityKind::Appointment => s.appointments,
            ActivityKind::Task => s.tasks,
        }
    }

    /// The S/4 activities of a kind with this description.
    pub fn s4_titled(&self, kind: ActivityKind, description: &str) -> Vec<Value> {
        self.s4_all(kind)
            .into_iter()
            .filter(|a| text(a, "Description") == description)
            .collect()
    }

    /// Waits until exactly `n` S/4 activities of a kind have this description.
    pub async fn wait_s4(&self, kind: ActivityKind, description: &str, n: usize) -> Vec<Value> {
        let what = format!("{n} S/4HANA {kind:?}(s) {description:?}");
        self.wait(&what, || {
            let found = self.s4_titled(kind, description);
            (found.len() == n).then_some(found)
        })
        .await
    }

    /// Polls `probe` until it gives a value (30 s at most, then panics
    /// naming `what` and the hub's errors).
    pub async fn wait<T>(&self, what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
        let start = Instant::now();
        loop {
            if let Some(v) = probe() {
                return v;
            }
            if start.elapsed() > Duration::from_secs(30) {
                panic!("timed out waiting for {what}; {}", self.diagnosis().await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Like [`Env::wait`] with a probe that awaits.
    pub async fn wait_async<T, F, Fut>(&self, what: &str, mut probe: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        let start = Instant::now();
        loop {
            if let Some(v) = probe().await {
                return v;
            }
            if start.elapsed() > Duration::from_secs(30) {
                panic!("timed out waiting for {what}; {}", self.diagnosis().await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// What the hub says is wrong: dead letters and users' last errors.
    pub async fn diagnosis(&self) -> String {
        let Some(hub) = &self.hub else {
            return "the hub is not running".into();
        };
        let dead = hub.hub.store.dead_letters(20).await.unwrap_or_default();
        let depth = hub.hub.store.inbox_depth().await.unwrap_or_default();
        let errors: Vec<String> = hub
            .hub
            .policy()
            .users
            .iter()
            .filter_map(|u| {
                hub.hub
                    .user_status(&u.mailbox)
                    .last_error
                    .map(|e| format!("{}: {e}", u.mailbox))
            })
            .collect();
        format!(
            "inbox depth {depth}; dead letters: {:?}; user errors: {errors:?}",
            dead.iter()
                .map(|d| d.last_error.clone().unwrap_or_default())
                .collect::<Vec<_>>()
        )
    }

    /// Waits until everything has travelled: every S/4 event delivered
    /// (unless delivery is paused), no new Exchange notification, the inbox
    /// empty, for a while.
    pub async fn quiet(&self) {
        let start = Instant::now();
        let mut last = None;
        let mut stable = 0;
        loop {
            let events = self.world.s4.events();
            // Events held back on purpose do not count.
            let queued = !self.world.s4.events_paused()
                && events.iter().any(|e| e.status == DeliveryStatus::Queued);
            let notified = self
                .world
                .exchange
                .notifications()
                .iter()
                .filter(|n| n.events.iter().any(|e| e != "StatusEvent"))
                .count();
            let depth = match &self.hub {
                Some(h) => h.hub.store.inbox_depth().await.unwrap_or(usize::MAX),
                None => 0,
            };
            let now = (events.len(), notified);
            if !queued && depth == 0 && last == Some(now) {
                stable += 1;
                if stable >= 4 {
                    return;
                }
            } else {
                stable = 0;
            }
            last = Some(now);
            if start.elapsed() > Duration::from_secs(60) {
                panic!("the systems did not fall quiet; {}", self.diagnosis().await);
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }
}

/// A time as the S/4 control API shows it (`/Date(ms)/`, `/Date(ms+0000)/`).
pub fn s4_time(v: &Value, field: &str) -> DateTime<Utc> {
    let raw = text(v, field);
    let ms: i64 = raw
        .trim_start_matches("/Date(")
        .trim_end_matches(")/")
        .split(['+', '-'])
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{field} = {raw:?} is not an OData date"));
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// A time as the Exchange control API shows it (ISO 8601).
pub fn ex_time(v: &Value, field: &str) -> DateTime<Utc> {
    let raw = text(v, field);
    raw.parse()
        .unwrap_or_else(|e| panic!("{field} = {raw:?} is not a time: {e}"))
}

/// The S/4 key maiconnect wrote into an Outlook item, if any.
pub fn link_key(item: &Value) -> Option<String> {
    item["extended"].as_array()?.iter().find_map(|e| {
        let named = e["uri"]
            .as_array()?
            .iter()
            .any(|kv| kv[0] == "PropertyName" && kv[1] == "maiconnect-key");
        named.then(|| e["values"][0].as_str().map(str::to_owned))?
    })
}

/// Base64 (standard alphabet, padded), for attachment content in EWS XML.
pub fn base64(data: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(ABC[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// An Outlook appointment with file attachments (name, content) as the EWS
/// XML Outlook sends.
pub fn meeting_with_files(subject: &str, start: DateTime<Utc>, files: &[(&str, &[u8])]) -> String {
    let files: String = files
        .iter()
        .map(|(name, content)| {
            format!(
                "<t:FileAttachment><t:Name>{name}</t:Name><t:ContentType>application/octet-stream</t:ContentType><t:Content>{}</t:Content></t:FileAttachment>",
                base64(content)
            )
        })
        .collect();
    let fmt = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    format!(
        "<t:CalendarItem><t:Subject>{subject}</t:Subject><t:Attachments>{files}</t:Attachments><t:Start>{}</t:Start><t:End>{}</t:End></t:CalendarItem>",
        fmt(start),
        fmt(start + Days::hours(1))
    )
}
