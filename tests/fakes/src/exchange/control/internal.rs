//! Control calls that play the user: they build the EWS request Outlook
//! would send, validate it against the schema and run it as the mailbox
//! owner, so items made this way are stored exactly as EWS clients' are.

use serde_json::{Value, json};

use super::NewItemRequest;
use super::spec::{ItemSpec, extended_uri};
use crate::exchange::error::{FakeExchangeError, Result};
use crate::exchange::items::fields::PropPath;
use crate::exchange::items::order;
use crate::exchange::items::recurrence::{item_zone, occurrences};
use crate::exchange::items::render::{BaseShape, Shape, View, render};
use crate::exchange::items::time::fmt_dt;
use crate::exchange::ops::{Ctx, dispatch};
use crate::exchange::server::Inner;
use crate::exchange::state::{ItemKind, Mailbox, StoredItem};
use crate::exchange::xml::{self, Element, MESSAGES_NS, SOAP_NS, TYPES_NS, escape_attr};

/// Runs an EWS request body (the Body's child, `m:`/`t:` prefixes) for
/// `mailbox`; returns the first response message.
fn run(inner: &Inner, mailbox: &str, op: &str, body: &str) -> Result<Element> {
    let key = mailbox.to_ascii_lowercase();
    let envelope = format!(
        "<s:Envelope xmlns:s=\"{SOAP_NS}\" xmlns:m=\"{MESSAGES_NS}\" xmlns:t=\"{TYPES_NS}\"><s:Body>{body}</s:Body></s:Envelope>"
    );
    let doc = xml::parse(envelope.as_bytes())
        .map_err(|e| FakeExchangeError::Control(format!("{op}: {}", e.message)))?;
    let body_el = doc
        .child("Body")
        .and_then(Element::first_element)
        .ok_or_else(|| FakeExchangeError::Control(format!("{op}: empty request")))?;
    let response = {
        let mut w = inner
            .world
            .lock()
            .map_err(|_| FakeExchangeError::Server("state lock poisoned".into()))?;
        if !w.mailboxes.contains_key(&key) {
            return Err(FakeExchangeError::NotFound(format!("mailbox {mailbox}")));
        }
        let mut ctx = Ctx {
            world: &mut w,
            mailbox: key.clone(),
            account: "control".into(),
            tz: None,
            config: &inner.config,
        };
        dispatch(&mut ctx, op, body_el)
            .ok_or_else(|| FakeExchangeError::Control(format!("{op} is not implemented")))?
    };
    inner.touch_mailbox(&key);
    let wrapped = format!("<r xmlns:m=\"{MESSAGES_NS}\" xmlns:t=\"{TYPES_NS}\">{response}</r>");
    let doc = xml::parse(wrapped.as_bytes()).map_err(|e| FakeExchangeError::Server(e.message))?;
    let msg = doc
        .path(&[&format!("{op}Response"), "ResponseMessages"])
        .and_then(Element::first_element)
        .cloned()
        .ok_or_else(|| FakeExchangeError::Server(format!("{op}: no response message")))?;
    if msg.attr("ResponseClass") == Some("Error") {
        let code = msg.child_text("ResponseCode").unwrap_or_default();
        let text = msg.child_text("MessageText").unwrap_or_default();
        return Err(if code == "ErrorItemNotFound" {
            FakeExchangeError::NotFound(format!("item in {mailbox} ({text})"))
        } else {
            FakeExchangeError::Control(format!("{op} failed with {code}: {text}"))
        });
    }
    Ok(msg)
}

async fn validate(inner: &Inner, op: &str, body: &str) -> Result<()> {
    let envelope = format!(
        "<s:Envelope xmlns:s=\"{SOAP_NS}\" xmlns:m=\"{MESSAGES_NS}\" xmlns:t=\"{TYPES_NS}\"><s:Body>{body}</s:Body></s:Envelope>"
    );
    inner
        .validator
        .validate(envelope.as_bytes().into())
        .await
        .map_err(|v| {
            FakeExchangeError::Control(format!(
                "{op}: the item breaks the EWS schema: {}",
                v.message
            ))
        })
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    // Control calls are synchronous for the handle's callers; validation
    // runs on its own threads, so a short block is fine even inside a
    // runtime.
    match tokio::runtime::Handle::try_current() {
        Ok(h) => tokio::task::block_in_place(|| h.block_on(f)),
        Err(_) => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map(|rt| rt.block_on(f))
            .unwrap_or_else(|e| panic!("no runtime: {e}")),
    }
}

fn id_of(msg: &Element) -> Value {
    let id = msg
        .path(&["Items"])
        .and_then(Element::first_element)
        .and_then(|i| i.child("ItemId"));
    json!({"id": id.and_then(|i| i.attr("Id")), "change_key": id.and_then(|i| i.attr("ChangeKey"))})
}

fn folder_xml(folder: Option<&str>) -> Option<String> {
    folder.map(|f| {
        if matches!(
            f,
            "calendar" | "tasks" | "contacts" | "inbox" | "msgfolderroot" | "deleteditems"
        ) {
            format!("<t:DistinguishedFolderId Id=\"{f}\"/>")
        } else {
            format!("<t:FolderId Id=\"{}\"/>", escape_attr(f))
        }
    })
}

/// Creates an item from JSON or raw XML.
pub fn create(inner: &Inner, mailbox: &str, req: &NewItemRequest) -> Result<Value> {
    let item_xml = match (&req.item, &req.xml) {
        (Some(spec), _) => {
            let kind = spec.kind().map_err(FakeExchangeError::Control)?;
            let parts: String = spec
                .elements()
                .map_err(FakeExchangeError::Control)?
                .into_iter()
                .map(|(_, x)| x)
                .collect();
            format!("<t:{k}>{parts}</t:{k}>", k = kind.element())
        }
        (None, Some(x)) => x.clone(),
        (None, None) => {
            return Err(FakeExchangeError::Control(
                "give `item` (JSON) or `xml`".into(),
            ));
        }
    };
    let saved = folder_xml(req.folder.as_deref())
        .map(|f| format!("<m:SavedItemFolderId>{f}</m:SavedItemFolderId>"))
        .unwrap_or_default();
    let body = format!(
        "<m:CreateItem SendMeetingInvitations=\"SendToNone\">{saved}<m:Items>{item_xml}</m:Items></m:CreateItem>"
    );
    block_on(validate(inner, "CreateItem", &body))?;
    run(inner, mailbox, "CreateItem", &body).map(|m| id_of(&m))
}

fn prefix(kind: ItemKind, name: &str) -> &'static str {
    if order::position(ItemKind::Item, name).is_some() {
        return "item";
    }
    match kind {
        ItemKind::CalendarItem => "calendar",
        ItemKind::Task => "task",
        ItemKind::Contact => "contacts",
        ItemKind::Item => "item",
    }
}

/// Changes the fields a spec names.
pub fn update(inner: &Inner, mailbox: &str, id: &str, spec: &ItemSpec) -> Result<Value> {
    let kind = {
        let w = inner
            .world
            .lock()
            .map_err(|_| FakeExchangeError::Server("state lock poisoned".into()))?;
        let mb = w
            .mailboxes
            .get(&mailbox.to_ascii_lowercase())
            .ok_or_else(|| FakeExchangeError::NotFound(format!("mailbox {mailbox}")))?;
        match crate::exchange::state::ids::parse_item_id(id) {
            Some(crate::exchange::state::ItemRef::Item(i)) => mb.items.get(&i).map(|x| x.kind),
            Some(crate::exchange::state::ItemRef::Occurrence { master, .. }) => {
                mb.items.get(&master).map(|_| ItemKind::CalendarItem)
            }
            None => None,
        }
        .ok_or_else(|| FakeExchangeError::NotFound(format!("item {id} in {mailbox}")))?
    };
    let mut spec = spec.clone();
    spec.kind = Some(kind.element().to_string());
    let mut updates = String::new();
    for (ext, (name, xml)) in spec
        .extended
        .iter()
        .map(Some)
        .chain(std::iter::repeat(None))
        .zip(
            spec.elements()
                .map_err(FakeExchangeError::Control)?
                .into_iter()
                .filter(|(n, _)| n != "ExtendedProperty"),
        )
    {
        let _ = ext;
        let uri = format!("<t:FieldURI FieldURI=\"{}:{name}\"/>", prefix(kind, &name));
        updates.push_str(&format!(
            "<t:SetItemField>{uri}<t:{k}>{xml}</t:{k}></t:SetItemField>",
            k = kind.element()
        ));
    }
    for e in &spec.extended {
        let uri = extended_uri(e);
        updates.push_str(&format!(
            "<t:SetItemField>{uri}<t:{k}><t:ExtendedProperty>{uri}<t:Value>{}</t:Value></t:ExtendedProperty></t:{k}></t:SetItemField>",
            xml::escape_text(&e.value),
            k = kind.element()
        ));
    }
    if updates.is_empty() {
        return Err(FakeExchangeError::Control(
            "the change names no field".into(),
        ));
    }
    let body = format!(
        "<m:UpdateItem ConflictResolution=\"AlwaysOverwrite\" SendMeetingInvitationsOrCancellations=\"SendToNone\"><m:ItemChanges><t:ItemChange><t:ItemId Id=\"{}\"/><t:Updates>{updates}</t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>",
        escape_attr(id)
    );
    block_on(validate(inner, "UpdateItem", &body))?;
    run(inner, mailbox, "UpdateItem", &body).map(|m| id_of(&m))
}

/// Deletes an item or occurrence.
pub fn delete(inner: &Inner, mailbox: &str, id: &str) -> Result<Value> {
    let body = format!(
        "<m:DeleteItem DeleteType=\"HardDelete\" SendMeetingCancellations=\"SendToNone\" AffectedTaskOccurrences=\"AllOccurrences\"><m:ItemIds><t:ItemId Id=\"{}\"/></m:ItemIds></m:DeleteItem>",
        escape_attr(id)
    );
    run(inner, mailbox, "DeleteItem", &body).map(|_| json!({"deleted": id}))
}

/// An item as JSON for assertions.
pub fn item_json(mb: &Mailbox, item: &StoredItem) -> Value {
    let folder = mb
        .folders
        .get(&item.folder_id)
        .and_then(|f| f.distinguished.clone())
        .unwrap_or_else(|| item.folder_id.clone());
    let props: serde_json::Map<String, Value> = item
        .props
        .iter()
        .map(|(k, v)| (k.clone(), json!(v.text())))
        .collect();
    let extended: Vec<Value> = item
        .extended
        .iter()
        .map(|e| json!({"uri": e.uri.attrs, "values": e.values}))
        .collect();
    let categories: Vec<String> = item
        .props
        .get("Categories")
        .map(|c| c.elements().map(Element::text).collect())
        .unwrap_or_default();
    let mut xml = String::new();
    let shape = Shape {
        base: BaseShape::AllProperties,
        additional: item
            .extended
            .iter()
            .map(|e| PropPath::Extended(e.key.clone(), e.uri.clone()))
            .collect(),
        body_type: None,
    };
    render(&mut xml, item, View::Item, &shape, mb);
    let mut v = json!({
        "id": item.id, "change_key": item.change_key, "kind": item.kind.element(), "folder": folder,
        "subject": item.text("Subject"), "start": item.text("Start"), "end": item.text("End"),
        "all_day": item.text("IsAllDayEvent").as_deref() == Some("true"), "zone": item.zone,
        "location": item.text("Location"), "body": item.text("Body"), "sensitivity": item.text("Sensitivity"),
        "categories": categories, "props": props, "extended": extended,
        "attachments": item.attachments.iter().map(|a| json!({"id": a.id, "name": a.name, "size": a.size})).collect::<Vec<_>>(),
        "created": fmt_dt(item.created), "modified": fmt_dt(item.modified), "xml": xml,
    });
    if item.is_recurring_master() {
        let zone = item_zone(item);
        let _ = zone;
        let from = item.created - chrono::Duration::days(3660);
        let to = item.created + chrono::Duration::days(3660);
        let exceptions: Vec<Value> = occurrences(item, from, to)
            .into_iter()
            .filter(|o| o.exception.is_some())
            .map(|o| json!({"index": o.index, "start": fmt_dt(o.start), "end": fmt_dt(o.end), "original_start": fmt_dt(o.original_start), "subject": o.exception.and_then(|e| e.props.get("Subject")).map(Element::text)}))
            .collect();
        v["exceptions"] = json!(exceptions);
        v["deleted_occurrences"] = json!(item.deleted_occurrences);
    }
    v
}

/// Items of a folder.
pub fn list(inner: &Inner, mailbox: &str, folder: Option<&str>) -> Result<Value> {
    let w = inner
        .world
        .lock()
        .map_err(|_| FakeExchangeError::Server("state lock poisoned".into()))?;
    let mb = w
        .mailboxes
        .get(&mailbox.to_ascii_lowercase())
        .ok_or_else(|| FakeExchangeError::NotFound(format!("mailbox {mailbox}")))?;
    let folder_id = folder.map(|f| {
        mb.distinguished(f)
            .map(str::to_string)
            .unwrap_or_else(|| f.to_string())
    });
    let mut items: Vec<&StoredItem> = mb
        .items
        .values()
        .filter(|i| folder_id.as_ref().is_none_or(|f| &i.folder_id == f))
        .collect();
    items.sort_by_key(|i| i.created_seq);
    Ok(json!(
        items
            .into_iter()
            .map(|i| item_json(mb, i))
            .collect::<Vec<_>>()
    ))
}

/// One item.
pub fn get(inner: &Inner, mailbox: &str, id: &str) -> Result<Value> {
    let w = inner
        .world
        .lock()
        .map_err(|_| FakeExchangeError::Server("state lock poisoned".into()))?;
    let mb = w
        .mailboxes
        .get(&mailbox.to_ascii_lowercase())
        .ok_or_else(|| FakeExchangeError::NotFound(format!("mailbox {mailbox}")))?;
    let item = mb
        .items
        .get(id)
        .ok_or_else(|| FakeExchangeError::NotFound(format!("item {id} in {mailbox}")))?;
    Ok(item_json(mb, item))
}
