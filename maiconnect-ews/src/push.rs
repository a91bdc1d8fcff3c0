//! The push side: Exchange POSTs `SendNotification` to the hub's callback
//! URL; the hub answers with a `SendNotificationResult` envelope, `OK` to
//! keep the subscription or `Unsubscribe` to end it.
//!
//! See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/sendnotification>
//! and <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/sendnotificationresult>.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::EwsError;
use crate::mapping::parse_instant;
use crate::soap::{NS_MESSAGES, NS_SOAP, NS_TYPES, parse_envelope, response_messages};
use crate::xml::{Doc, Node, XmlWriter};

/// The kind of a notification event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EventKind {
    /// `StatusEvent`: the subscription is alive.
    Status,
    /// `CreatedEvent`.
    Created,
    /// `ModifiedEvent`.
    Modified,
    /// `DeletedEvent`.
    Deleted,
    /// `MovedEvent`.
    Moved,
    /// `CopiedEvent`.
    Copied,
    /// `NewMailEvent`.
    NewMail,
    /// `FreeBusyChangedEvent`.
    FreeBusyChanged,
}

impl EventKind {
    fn of(name: &str) -> Option<EventKind> {
        Some(match name {
            "StatusEvent" => EventKind::Status,
            "CreatedEvent" => EventKind::Created,
            "ModifiedEvent" => EventKind::Modified,
            "DeletedEvent" => EventKind::Deleted,
            "MovedEvent" => EventKind::Moved,
            "CopiedEvent" => EventKind::Copied,
            "NewMailEvent" => EventKind::NewMail,
            "FreeBusyChangedEvent" => EventKind::FreeBusyChanged,
            _ => return None,
        })
    }
}

/// One event (`BaseObjectChangedEventType`, `MovedCopiedEventType`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// The kind.
    pub kind: EventKind,
    /// `Watermark` after this event.
    pub watermark: Option<String>,
    /// `TimeStamp`.
    pub timestamp: Option<DateTime<Utc>>,
    /// `ItemId/@Id`, for item events.
    pub item_id: Option<String>,
    /// `ItemId/@ChangeKey`.
    pub change_key: Option<String>,
    /// `FolderId/@Id`, for folder events.
    pub folder_id: Option<String>,
    /// `ParentFolderId/@Id`.
    pub parent_folder_id: Option<String>,
    /// `OldItemId/@Id`, for moves and copies.
    pub old_item_id: Option<String>,
    /// `OldParentFolderId/@Id`, for moves and copies.
    pub old_parent_folder_id: Option<String>,
}

/// One notification: a subscription's events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    /// `SubscriptionId`.
    pub subscription_id: String,
    /// `PreviousWatermark`.
    pub previous_watermark: Option<String>,
    /// `MoreEvents`.
    pub more_events: bool,
    /// The events, in order.
    pub events: Vec<Event>,
}

impl Notification {
    /// The watermark after the last event.
    pub fn last_watermark(&self) -> Option<&str> {
        self.events
            .iter()
            .rev()
            .find_map(|e| e.watermark.as_deref())
    }
}

fn id_attr(n: Node<'_, '_>, name: &str, attr: &str) -> Option<String> {
    n.child(name)?.attr(attr).map(|v| v.into_owned())
}

/// Reads a `Notification` element.
pub fn read_notification(n: Node<'_, '_>) -> Notification {
    let events = n
        .children()
        .filter_map(|e| {
            let kind = EventKind::of(e.name())?;
            Some(Event {
                kind,
                watermark: e.child_text("Watermark").map(str::to_owned),
                timestamp: e.child_text("TimeStamp").and_then(parse_instant),
                item_id: id_attr(e, "ItemId", "Id"),
                change_key: id_attr(e, "ItemId", "ChangeKey"),
                folder_id: id_attr(e, "FolderId", "Id"),
                parent_folder_id: id_attr(e, "ParentFolderId", "Id"),
                old_item_id: id_attr(e, "OldItemId", "Id"),
                old_parent_folder_id: id_attr(e, "OldParentFolderId", "Id"),
            })
        })
        .collect();
    Notification {
        subscription_id: n.child_text("SubscriptionId").unwrap_or("").to_owned(),
        previous_watermark: n.child_text("PreviousWatermark").map(str::to_owned),
        more_events: n.child_text("MoreEvents") == Some("true"),
        events,
    }
}

/// Parses a `SendNotification` request body (any envelope prefix).
/// A message with `ResponseClass="Error"` (Exchange reports a failing
/// subscription this way) becomes an error naming its code.
pub fn parse_send_notification(bytes: &[u8]) -> Result<Vec<Notification>, EwsError> {
    let doc = Doc::parse(bytes)?;
    let env = parse_envelope(&doc, "SendNotification", "")?;
    let msgs = response_messages(env.body, "SendNotification")?;
    let mut out = Vec::new();
    for m in msgs {
        let node = m.ok("SendNotification", "")?;
        let n = node.child("Notification").ok_or_else(|| {
            EwsError::Unexpected("SendNotification: a response message without Notification".into())
        })?;
        out.push(read_notification(n));
    }
    Ok(out)
}

/// The answer to a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubscriptionStatus {
    /// Keep sending.
    Ok,
    /// End the subscription.
    Unsubscribe,
}

/// The `SendNotificationResult` envelope the hub returns as the HTTP
/// response body.
pub fn send_notification_result(status: SubscriptionStatus) -> Vec<u8> {
    let mut w = XmlWriter::new();
    w.raw("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    w.open(
        "soap:Envelope",
        &[
            ("xmlns:soap", NS_SOAP),
            ("xmlns:t", NS_TYPES),
            ("xmlns:m", NS_MESSAGES),
        ],
    );
    w.open("soap:Body", &[])
        .open("m:SendNotificationResult", &[])
        .leaf(
            "m:SubscriptionStatus",
            match status {
                SubscriptionStatus::Ok => "OK",
                SubscriptionStatus::Unsubscribe => "Unsubscribe",
            },
        )
        .close("m:SendNotificationResult")
        .close("soap:Body")
        .close("soap:Envelope");
    w.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/tests/samples/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn status_events_are_read_with_watermarks() {
        let n =
            parse_send_notification(&sample("sendnotification-statusevent-request.xml")).unwrap();
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].subscription_id, "XXXXX=");
        assert_eq!(n[0].previous_watermark.as_deref(), Some("AAAAA="));
        assert!(!n[0].more_events);
        assert_eq!(n[0].events[0].kind, EventKind::Status);
        assert_eq!(n[0].last_watermark(), Some("BBBBB="));
    }

    #[test]
    fn moved_and_deleted_events_carry_their_ids() {
        let xml = br#"<soap11:Envelope xmlns:soap11="http://schemas.xmlsoap.org/soap/envelope/"><soap11:Body>
          <m:SendNotification xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
          <m:ResponseMessages><m:SendNotificationResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>
          <m:Notification><t:SubscriptionId>sub1</t:SubscriptionId><t:PreviousWatermark>w0</t:PreviousWatermark><t:MoreEvents>true</t:MoreEvents>
          <t:MovedEvent><t:Watermark>w1</t:Watermark><t:TimeStamp>2026-11-27T09:30:00Z</t:TimeStamp><t:ItemId Id="new" ChangeKey="ck"/><t:ParentFolderId Id="deleted"/><t:OldItemId Id="old"/><t:OldParentFolderId Id="cal"/></t:MovedEvent>
          <t:DeletedEvent><t:Watermark>w2</t:Watermark><t:TimeStamp>2026-11-27T09:31:00Z</t:TimeStamp><t:ItemId Id="gone"/><t:ParentFolderId Id="cal"/></t:DeletedEvent>
          <t:CopiedEvent><t:Watermark>w3</t:Watermark><t:TimeStamp>2026-11-27T09:32:00Z</t:TimeStamp><t:FolderId Id="f2"/><t:ParentFolderId Id="p"/><t:OldFolderId Id="f1"/><t:OldParentFolderId Id="p0"/></t:CopiedEvent>
          </m:Notification></m:SendNotificationResponseMessage></m:ResponseMessages></m:SendNotification></soap11:Body></soap11:Envelope>"#;
        let n = &parse_send_notification(xml).unwrap()[0];
        assert!(n.more_events);
        let kinds: Vec<_> = n.events.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            [EventKind::Moved, EventKind::Deleted, EventKind::Copied]
        );
        assert_eq!(n.events[0].old_item_id.as_deref(), Some("old"));
        assert_eq!(n.events[0].item_id.as_deref(), Some("new"));
        assert_eq!(n.events[0].old_parent_folder_id.as_deref(), Some("cal"));
        assert_eq!(n.events[1].item_id.as_deref(), Some("gone"));
        assert_eq!(n.events[2].folder_id.as_deref(), Some("f2"));
        assert_eq!(
            n.events[1].timestamp.unwrap().to_rfc3339(),
            "2026-11-27T09:31:00+00:00"
        );
        assert_eq!(n.last_watermark(), Some("w3"));
    }

    #[test]
    fn results_are_full_envelopes() {
        let ok = String::from_utf8(send_notification_result(SubscriptionStatus::Ok)).unwrap();
        assert!(ok.contains("<m:SubscriptionStatus>OK</m:SubscriptionStatus>"));
        assert!(ok.starts_with("<?xml"));
        let un = send_notification_result(SubscriptionStatus::Unsubscribe);
        let doc = Doc::parse(&un).unwrap();
        let status = doc
            .root()
            .path(&["Body", "SendNotificationResult", "SubscriptionStatus"])
            .unwrap();
        assert_eq!(status.text(), "Unsubscribe");
    }
}
