//! `decode`: any EWS response or notification document → a JSON value of
//! what the adapter understood of it (the hub's `decode ews FILE`).

use maiconnect_core::model::Zone;
use serde_json::{Value, json};

use crate::error::EwsError;
use crate::mapping::read_item;
use crate::push::read_notification;
use crate::soap::{ResponseClass, parse_fault, response_messages};
use crate::xml::{Doc, Node};

fn ids(n: Node<'_, '_>) -> Value {
    json!({
        "id": n.attr("Id"),
        "change_key": n.attr("ChangeKey"),
    })
}

fn item(n: Node<'_, '_>) -> Value {
    match read_item(n, Zone::UTC) {
        Ok(r) => json!({
            "element": n.name(),
            "calendar_type": r.calendar_type,
            "original_start": r.original_start,
            "item": r.item,
        }),
        Err(e) => json!({
            "element": n.name(),
            "id": n.child("ItemId").map(ids),
            "subject": n.child_text("Subject"),
            "not_mapped": e.to_string(),
        }),
    }
}

fn content(msg: Node<'_, '_>, out: &mut serde_json::Map<String, Value>) {
    for c in msg.children() {
        let v = match c.name() {
            "ResponseCode" | "MessageText" | "DescriptiveLinkKey" | "MessageXml" => continue,
            "Items" => Value::Array(c.children().map(item).collect()),
            "RootFolder" => json!({
                "includes_last_item_in_range": c.attr("IncludesLastItemInRange").map(|v| v == "true"),
                "total_items_in_view": c.attr("TotalItemsInView").and_then(|v| v.parse::<u64>().ok()),
                "indexed_paging_offset": c.attr("IndexedPagingOffset").and_then(|v| v.parse::<u64>().ok()),
                "items": c.child("Items").map(|i| i.children().map(item).collect::<Vec<_>>()),
                "folders": c.child("Folders").map(|f| f.children().map(folder).collect::<Vec<_>>()),
            }),
            "Folders" => Value::Array(c.children().map(folder).collect()),
            "IncludesLastItemInRange" | "MoreEvents" => Value::Bool(c.text() == "true"),
            "Changes" => Value::Array(
                c.children()
                    .map(|ch| {
                        let id = ch
                            .child("ItemId")
                            .or_else(|| ch.first_child().and_then(|i| i.child("ItemId")));
                        json!({
                            "change": ch.name(),
                            "element": ch.first_child().filter(|i| !i.is("ItemId")).map(|i| i.name()),
                            "item_id": id.map(ids),
                        })
                    })
                    .collect(),
            ),
            "Notification" => serde_json::to_value(read_notification(c)).unwrap_or(Value::Null),
            "Attachments" => Value::Array(
                c.children()
                    .map(|a| {
                        json!({
                            "element": a.name(),
                            "attachment_id": a.child("AttachmentId").map(|i| json!({
                                "id": i.attr("Id"),
                                "root_item_id": i.attr("RootItemId"),
                                "root_item_change_key": i.attr("RootItemChangeKey"),
                            })),
                            "name": a.child_text("Name"),
                            "content_type": a.child_text("ContentType"),
                            "size": a.child_text("Size").and_then(|s| s.parse::<u64>().ok()),
                            "content_base64_chars": a.child("Content").map(|x| x.text().len()),
                        })
                    })
                    .collect(),
            ),
            "RootItemId" => json!({
                "id": c.attr("RootItemId"),
                "change_key": c.attr("RootItemChangeKey"),
            }),
            _ if c.first_child().is_none() => Value::String(c.text().to_owned()),
            _ => json!({ "element": c.name() }),
        };
        out.insert(snake(c.name()), v);
    }
}

fn folder(f: Node<'_, '_>) -> Value {
    json!({
        "element": f.name(),
        "folder_id": f.child("FolderId").map(ids),
        "display_name": f.child_text("DisplayName"),
        "total_count": f.child_text("TotalCount").and_then(|s| s.parse::<u64>().ok()),
    })
}

/// `SyncState` → `sync_state`.
fn snake(name: &str) -> String {
    let mut s = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                s.push('_');
            }
            s.push(c.to_ascii_lowercase());
        } else {
            s.push(c);
        }
    }
    s
}

/// Decodes an EWS response, SOAP fault, `SendNotification` or
/// `SendNotificationResult` document into JSON. Documents that are not
/// well-formed, or not SOAP envelopes, are errors.
pub fn decode(bytes: &[u8]) -> Result<Value, EwsError> {
    let doc = Doc::parse(bytes)?;
    let root = doc.root();
    if !root.is("Envelope") {
        return Err(EwsError::Unexpected(format!(
            "expected a SOAP Envelope, found <{}>",
            root.name()
        )));
    }
    let header = root.child("Header");
    let server_version = header.and_then(|h| h.child("ServerVersionInfo")).map(|v| {
        json!({
            "major": v.attr("MajorVersion"),
            "minor": v.attr("MinorVersion"),
            "major_build": v.attr("MajorBuildNumber"),
            "minor_build": v.attr("MinorBuildNumber"),
            "version": v.attr("Version"),
        })
    });
    let request_version = header
        .and_then(|h| h.child("RequestServerVersion"))
        .and_then(|v| v.attr("Version").map(|s| s.into_owned()));
    let body = root
        .child("Body")
        .and_then(|b| b.first_child())
        .ok_or_else(|| EwsError::Unexpected("the SOAP Body is empty".into()))?;
    let mut out = serde_json::Map::new();
    out.insert("server_version".into(), json!(server_version));
    out.insert("request_server_version".into(), json!(request_version));
    if body.is("Fault") {
        let f = parse_fault(body, "", "");
        out.insert("kind".into(), json!("fault"));
        out.insert("response_code".into(), json!(f.code.as_str()));
        out.insert("message".into(), json!(f.message));
        out.insert(
            "back_off_ms".into(),
            json!(f.back_off.map(|d| d.as_millis() as u64)),
        );
        out.insert("error_kind".into(), json!(f.code.kind().to_string()));
        return Ok(Value::Object(out));
    }
    let name = body.name();
    if name == "SendNotificationResult" {
        out.insert("kind".into(), json!("send_notification_result"));
        out.insert(
            "subscription_status".into(),
            json!(body.child_text("SubscriptionStatus")),
        );
        return Ok(Value::Object(out));
    }
    let (kind, operation) = if name == "SendNotification" {
        ("notification", "SendNotification")
    } else if let Some(op) = name.strip_suffix("Response") {
        ("response", op)
    } else {
        out.insert("kind".into(), json!("request"));
        out.insert("operation".into(), json!(name));
        return Ok(Value::Object(out));
    };
    out.insert("kind".into(), json!(kind));
    out.insert("operation".into(), json!(operation));
    let msgs = response_messages(body, name)?;
    let messages: Vec<Value> = msgs
        .iter()
        .map(|m| {
            let mut o = serde_json::Map::new();
            o.insert(
                "response_class".into(),
                json!(match m.class {
                    ResponseClass::Success => "Success",
                    ResponseClass::Warning => "Warning",
                    ResponseClass::Error => "Error",
                }),
            );
            o.insert("response_code".into(), json!(m.code().as_str()));
            if let Some(e) = m.error("", "") {
                o.insert("message_text".into(), json!(e.message));
                o.insert("error_kind".into(), json!(e.code.kind().to_string()));
                o.insert(
                    "back_off_ms".into(),
                    json!(e.back_off.map(|d| d.as_millis() as u64)),
                );
            }
            content(m.node, &mut o);
            Value::Object(o)
        })
        .collect();
    out.insert("messages".into(), Value::Array(messages));
    Ok(Value::Object(out))
}
