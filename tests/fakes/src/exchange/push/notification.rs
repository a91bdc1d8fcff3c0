//! The `Notification` element of push notifications and GetEvents
//! answers, and the choice of events for a subscription.
//!
//! Reference: <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/notification-ex15websvcsotherref>.

use crate::exchange::items::time::fmt_dt;
use crate::exchange::state::ids::watermark;
use crate::exchange::state::{MailEvent, Subscription, World};
use crate::exchange::xml::{MESSAGES_NS, SOAP_NS, TYPES_NS, escape_attr, escape_text};

/// The events after the subscription's cursor that it wants, at most
/// `max`; the second value says whether more wait, the third is the change
/// number the cursor moves to.
pub fn pending(world: &World, sub: &Subscription, max: usize) -> (Vec<MailEvent>, bool, u64) {
    let Some(mb) = world.mailboxes.get(&sub.mailbox) else {
        return (vec![], false, sub.cursor);
    };
    let start = mb.events.partition_point(|e| e.seq <= sub.cursor);
    let mut out = Vec::new();
    let mut cursor = sub.cursor;
    for ev in &mb.events[start..] {
        if wanted(sub, ev) {
            if out.len() == max {
                return (out, true, cursor);
            }
            out.push(ev.clone());
        }
        cursor = ev.seq;
    }
    (out, false, cursor)
}

fn wanted(sub: &Subscription, ev: &MailEvent) -> bool {
    if !sub.event_types.contains(ev.kind.element()) {
        return false;
    }
    sub.all_folders
        || sub.folders.contains(&ev.parent)
        || ev
            .old_parent
            .as_ref()
            .is_some_and(|p| sub.folders.contains(p))
        || (ev.is_folder && sub.folders.contains(&ev.id.0))
}

/// `<m:Notification>` with the events, or a `StatusEvent` when there are
/// none.
pub fn notification_xml(
    world: &World,
    sub: &Subscription,
    events: &[MailEvent],
    more: bool,
    new_cursor: u64,
) -> String {
    let index = world.mailboxes.get(&sub.mailbox).map_or(0, |m| m.index);
    let mut s = String::from("<m:Notification>");
    s.push_str(&format!(
        "<t:SubscriptionId>{}</t:SubscriptionId><t:PreviousWatermark>{}</t:PreviousWatermark><t:MoreEvents>{more}</t:MoreEvents>",
        escape_text(&sub.id),
        watermark(index, sub.cursor)
    ));
    if events.is_empty() {
        s.push_str(&format!(
            "<t:StatusEvent><t:Watermark>{}</t:Watermark></t:StatusEvent>",
            watermark(index, new_cursor)
        ));
    }
    for ev in events {
        let tag = ev.kind.element();
        s.push_str(&format!(
            "<t:{tag}><t:Watermark>{}</t:Watermark><t:TimeStamp>{}</t:TimeStamp>",
            watermark(index, ev.seq),
            fmt_dt(ev.at)
        ));
        let (id_tag, old_tag) = if ev.is_folder {
            ("FolderId", "OldFolderId")
        } else {
            ("ItemId", "OldItemId")
        };
        s.push_str(&format!(
            "<t:{id_tag} Id=\"{}\" ChangeKey=\"{}\"/>",
            escape_attr(&ev.id.0),
            escape_attr(&ev.id.1)
        ));
        s.push_str(&format!(
            "<t:ParentFolderId Id=\"{}\"/>",
            escape_attr(&ev.parent)
        ));
        if let Some(old) = &ev.old_id {
            s.push_str(&format!("<t:{old_tag} Id=\"{}\"/>", escape_attr(old)));
            let op = ev.old_parent.clone().unwrap_or_default();
            s.push_str(&format!(
                "<t:OldParentFolderId Id=\"{}\"/>",
                escape_attr(&op)
            ));
        }
        s.push_str(&format!("</t:{tag}>"));
    }
    s.push_str("</m:Notification>");
    s
}

/// The SOAP request Exchange POSTs to a push listener.
pub fn send_notification_request(notification: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap11:Envelope xmlns:soap11=\"{SOAP_NS}\"><soap11:Header><t:RequestServerVersion xmlns:t=\"{TYPES_NS}\" Version=\"Exchange2010_SP2\"/></soap11:Header><soap11:Body><m:SendNotification xmlns:m=\"{MESSAGES_NS}\" xmlns:t=\"{TYPES_NS}\"><m:ResponseMessages><m:SendNotificationResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>{notification}</m:SendNotificationResponseMessage></m:ResponseMessages></m:SendNotification></soap11:Body></soap11:Envelope>"
    )
}

/// Reads the listener's answer: `Some(true)` for `OK`, `Some(false)` for
/// `Unsubscribe`, `None` when it is neither.
pub fn read_answer(body: &[u8]) -> Option<bool> {
    let doc = crate::exchange::xml::parse(body).ok()?;
    let result = doc.child("Body")?.child("SendNotificationResult")?;
    match result.child_text("SubscriptionStatus")?.as_str() {
        "OK" => Some(true),
        "Unsubscribe" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_answers_exchangelib_generates() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../maiconnect-ews/tests/samples"
        );
        let ok = std::fs::read(format!("{dir}/sendnotificationresult-ok-response.xml")).unwrap();
        assert_eq!(read_answer(&ok), Some(true));
        let un = std::fs::read(format!(
            "{dir}/sendnotificationresult-unsubscribe-response.xml"
        ))
        .unwrap();
        assert_eq!(read_answer(&un), Some(false));
        assert_eq!(read_answer(b"<html>502</html>"), None);
    }
}
