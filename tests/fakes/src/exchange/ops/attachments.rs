//! CreateAttachment, GetAttachment and DeleteAttachment (file attachments;
//! each change gives the parent item a new change key).
//!
//! Reference: <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/createattachment-operation>.

use super::Ctx;
use super::create_item::attachment;
use crate::exchange::items::parse::new_attachment;
use crate::exchange::items::time::fmt_dt;
use crate::exchange::soap::{EwsError, error_message, open_message, response_close, response_open};
use crate::exchange::state::ids::attachment_parent;
use crate::exchange::state::{EventKind, FileAttachment, ItemRef};
use crate::exchange::xml::{Element, escape_attr, escape_text};

fn root_ids(id: &str, ck: &str) -> String {
    format!(
        "RootItemId=\"{}\" RootItemChangeKey=\"{}\"",
        escape_attr(id),
        escape_attr(ck)
    )
}

/// Gives the parent a new change key and records the change.
fn touch(ctx: &mut Ctx<'_>, item_id: &str) -> String {
    let ck = ctx.world.ids().change_key();
    let now = ctx.world.now();
    let folder = ctx
        .mb()
        .items
        .get(item_id)
        .map(|i| i.folder_id.clone())
        .unwrap_or_default();
    let seq = ctx.item_event(EventKind::Modified, item_id, &ck, &folder);
    if let Some(item) = ctx.mb_mut().items.get_mut(item_id) {
        item.bump(ck.clone(), vec!["Attachments".into()], now, seq);
    }
    ck
}

/// CreateAttachment.
pub fn create_attachment(ctx: &mut Ctx<'_>, body: &Element) -> String {
    let mut out = response_open("CreateAttachment");
    let parent = body
        .child("ParentItemId")
        .ok_or_else(EwsError::id_malformed)
        .and_then(|p| {
            let mut el = p.clone();
            el.name = "ItemId".into();
            ctx.item_ref(&el)
        })
        .and_then(|r| match r {
            ItemRef::Item(id) => Ok(id),
            ItemRef::Occurrence { .. } => Err(EwsError::new(
                "ErrorInvalidOperation",
                "The fake Exchange attaches files to items and masters, not to single occurrences.",
            )),
        });
    for a in body
        .child("Attachments")
        .into_iter()
        .flat_map(|a| a.elements())
    {
        let result = parent.clone().and_then(|id| Ok((id, new_attachment(a)?)));
        match result {
            Ok((id, new)) => {
                let att = attachment(ctx, &id, new);
                let att_id = att.id.clone();
                if let Some(item) = ctx.mb_mut().items.get_mut(&id) {
                    item.attachments.push(att);
                }
                let ck = touch(ctx, &id);
                open_message(&mut out, "CreateAttachmentResponseMessage", Ok(()));
                out.push_str(&format!(
                    "<m:Attachments><t:FileAttachment><t:AttachmentId Id=\"{}\" {}/></t:FileAttachment></m:Attachments></m:CreateAttachmentResponseMessage>",
                    escape_attr(&att_id),
                    root_ids(&id, &ck)
                ));
            }
            Err(e) => error_message(&mut out, "CreateAttachmentResponseMessage", &e),
        }
    }
    out.push_str(&response_close("CreateAttachment"));
    out
}

fn find<'a>(ctx: &'a Ctx<'_>, att_id: &str) -> Result<(&'a str, &'a FileAttachment), EwsError> {
    let not_found = || {
        EwsError::new(
            "ErrorItemNotFound",
            "The specified object was not found in the store.",
        )
    };
    let parent = attachment_parent(att_id).ok_or_else(EwsError::id_malformed)?;
    let item = ctx.mb().items.get(&parent).ok_or_else(not_found)?;
    let att = item
        .attachments
        .iter()
        .find(|a| a.id == att_id)
        .ok_or_else(not_found)?;
    Ok((item.id.as_str(), att))
}

/// GetAttachment.
pub fn get_attachment(ctx: &mut Ctx<'_>, body: &Element) -> String {
    let mut out = response_open("GetAttachment");
    for id in body
        .child("AttachmentIds")
        .into_iter()
        .flat_map(|a| a.elements())
    {
        match find(ctx, id.attr("Id").unwrap_or_default()) {
            Ok((_, a)) => {
                open_message(&mut out, "GetAttachmentResponseMessage", Ok(()));
                out.push_str(&format!(
                    "<m:Attachments><t:FileAttachment><t:AttachmentId Id=\"{}\"/><t:Name>{}</t:Name>",
                    escape_attr(&a.id),
                    escape_text(&a.name)
                ));
                if let Some(ct) = &a.content_type {
                    out.push_str(&format!(
                        "<t:ContentType>{}</t:ContentType>",
                        escape_text(ct)
                    ));
                }
                if let Some(cid) = &a.content_id {
                    out.push_str(&format!("<t:ContentId>{}</t:ContentId>", escape_text(cid)));
                }
                out.push_str(&format!(
                    "<t:Size>{}</t:Size><t:LastModifiedTime>{}</t:LastModifiedTime><t:IsInline>{}</t:IsInline><t:IsContactPhoto>false</t:IsContactPhoto><t:Content>{}</t:Content></t:FileAttachment></m:Attachments></m:GetAttachmentResponseMessage>",
                    a.size,
                    fmt_dt(a.last_modified),
                    a.is_inline,
                    a.content
                ));
            }
            Err(e) => error_message(&mut out, "GetAttachmentResponseMessage", &e),
        }
    }
    out.push_str(&response_close("GetAttachment"));
    out
}

/// DeleteAttachment.
pub fn delete_attachment(ctx: &mut Ctx<'_>, body: &Element) -> String {
    let mut out = response_open("DeleteAttachment");
    for id in body
        .child("AttachmentIds")
        .into_iter()
        .flat_map(|a| a.elements())
    {
        let att_id = id.attr("Id").unwrap_or_default().to_string();
        match find(ctx, &att_id).map(|(p, _)| p.to_string()) {
            Ok(parent) => {
                if let Some(item) = ctx.mb_mut().items.get_mut(&parent) {
                    item.attachments.retain(|a| a.id != att_id);
                }
                let ck = touch(ctx, &parent);
                open_message(&mut out, "DeleteAttachmentResponseMessage", Ok(()));
                out.push_str(&format!(
                    "<m:RootItemId {}/></m:DeleteAttachmentResponseMessage>",
                    root_ids(&parent, &ck)
                ));
            }
            Err(e) => error_message(&mut out, "DeleteAttachmentResponseMessage", &e),
        }
    }
    out.push_str(&response_close("DeleteAttachment"));
    out
}
