//! Subscribe (push and pull), Unsubscribe and GetEvents.
//!
//! Reference: <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/subscribe-operation>.

use std::collections::BTreeSet;

use super::Ctx;
use crate::exchange::push::notification::{notification_xml, pending};
use crate::exchange::soap::{EwsError, error_message, open_message, response_close, response_open};
use crate::exchange::state::ids::{parse_watermark, watermark};
use crate::exchange::state::{Subscription, SubscriptionState, World};
use crate::exchange::xml::{Element, escape_text};

/// Subscribe.
pub fn subscribe(ctx: &mut Ctx<'_>, body: &Element) -> String {
    let mut out = response_open("Subscribe");
    match create(ctx, body) {
        Ok((id, wm)) => {
            open_message(&mut out, "SubscribeResponseMessage", Ok(()));
            out.push_str(&format!(
                "<m:SubscriptionId>{}</m:SubscriptionId><m:Watermark>{}</m:Watermark></m:SubscribeResponseMessage>",
                escape_text(&id),
                escape_text(&wm)
            ));
        }
        Err(e) => error_message(&mut out, "SubscribeResponseMessage", &e),
    }
    out.push_str(&response_close("Subscribe"));
    out
}

fn create(ctx: &mut Ctx<'_>, body: &Element) -> Result<(String, String), EwsError> {
    let req = body.first_element().ok_or_else(|| {
        EwsError::new(
            "ErrorInvalidSubscriptionRequest",
            "No subscription request.",
        )
    })?;
    let push = match req.name.as_str() {
        "PushSubscriptionRequest" => true,
        "PullSubscriptionRequest" => false,
        _ => {
            return Err(EwsError::new(
                "ErrorInvalidSubscriptionRequest",
                "The fake Exchange offers push and pull subscriptions, not streaming ones.",
            ));
        }
    };
    let all_folders = req.attr("SubscribeToAllFolders") == Some("true");
    let mut folders = BTreeSet::new();
    for f in req
        .child("FolderIds")
        .into_iter()
        .flat_map(|f| f.elements())
    {
        folders.insert(ctx.folder(f)?);
    }
    let event_types: BTreeSet<String> = req
        .child("EventTypes")
        .into_iter()
        .flat_map(|e| e.children_named("EventType"))
        .map(Element::text)
        .collect();
    let index = ctx.mb().index;
    let cursor = match req.child_text("Watermark") {
        Some(w) => watermark_seq(ctx.world, &ctx.mailbox, index, &w)?,
        None => ctx.world.seq,
    };
    let url = if push {
        let u = req.child_text("URL").unwrap_or_default();
        if url::Url::parse(&u).is_err() {
            return Err(EwsError::new(
                "ErrorInvalidPushSubscriptionUrl",
                "The push subscription URL is invalid.",
            ));
        }
        Some(u)
    } else {
        None
    };
    let status_frequency = req
        .child_text("StatusFrequency")
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let id = ctx.world.ids().subscription();
    let sub = Subscription {
        id: id.clone(),
        mailbox: ctx.mailbox.clone(),
        folders,
        all_folders,
        event_types,
        url,
        status_frequency,
        cursor,
        owner: ctx.account.clone(),
        state: SubscriptionState::Active,
    };
    ctx.world.subscriptions.insert(id.clone(), sub);
    ctx.world.dirty = true;
    Ok((id, watermark(index, cursor)))
}

/// The change number a watermark points at, if it is still in the event
/// table of this mailbox.
fn watermark_seq(world: &World, mailbox: &str, index: u32, w: &str) -> Result<u64, EwsError> {
    let invalid = || EwsError::new("ErrorInvalidWatermark", "The watermark is invalid.");
    let (mb_index, seq) = parse_watermark(w).ok_or_else(invalid)?;
    if mb_index != index || seq > world.seq {
        return Err(invalid());
    }
    let table = &world.mailboxes[mailbox].events;
    if let Some(oldest) = table.first() {
        // Older than the event table reaches: the events in between are gone.
        if seq + 1 < oldest.seq && table.len() >= crate::exchange::state::EVENT_TABLE_LIMIT {
            return Err(invalid());
        }
    }
    Ok(seq)
}

/// A watermark for "now" in a mailbox (for the control API).
pub fn new_subscription_watermark(world: &World, mailbox: &str) -> Option<String> {
    world
        .mailboxes
        .get(mailbox)
        .map(|m| watermark(m.index, world.seq))
}

fn not_found() -> EwsError {
    EwsError::new(
        "ErrorSubscriptionNotFound",
        "The specified subscription was not found.",
    )
}

/// Unsubscribe.
pub fn unsubscribe(ctx: &mut Ctx<'_>, body: &Element) -> String {
    let id = body.child_text("SubscriptionId").unwrap_or_default();
    let mut out = response_open("Unsubscribe");
    match ctx.world.subscriptions.get_mut(&id) {
        Some(s) if s.state == SubscriptionState::Active => {
            s.state = SubscriptionState::Ended("Unsubscribe".into());
            ctx.world.dirty = true;
            open_message(&mut out, "UnsubscribeResponseMessage", Ok(()));
            out.push_str("</m:UnsubscribeResponseMessage>");
        }
        _ => error_message(&mut out, "UnsubscribeResponseMessage", &not_found()),
    }
    out.push_str(&response_close("Unsubscribe"));
    out
}

/// GetEvents (pull subscriptions).
pub fn get_events(ctx: &mut Ctx<'_>, body: &Element) -> String {
    let id = body.child_text("SubscriptionId").unwrap_or_default();
    let mut out = response_open("GetEvents");
    let result = (|| {
        let sub = match ctx.world.subscriptions.get(&id) {
            Some(s) if s.url.is_none() => s.clone(),
            Some(_) => {
                return Err(EwsError::new(
                    "ErrorInvalidSubscription",
                    "GetEvents is for pull subscriptions.",
                ));
            }
            None => return Err(not_found()),
        };
        if sub.state != SubscriptionState::Active {
            return Err(EwsError::new(
                "ErrorExpiredSubscription",
                "The subscription has expired.",
            ));
        }
        let mut sub = sub;
        let index = ctx.world.mailboxes.get(&sub.mailbox).map_or(0, |m| m.index);
        if let Some(w) = body.child_text("Watermark") {
            sub.cursor = watermark_seq(ctx.world, &sub.mailbox, index, &w)?;
        }
        let (events, more, cursor) = pending(ctx.world, &sub, ctx.config.notification_batch);
        let xml = notification_xml(ctx.world, &sub, &events, more, cursor);
        if let Some(s) = ctx.world.subscriptions.get_mut(&id) {
            s.cursor = cursor;
        }
        Ok(xml)
    })();
    match result {
        Ok(xml) => {
            open_message(&mut out, "GetEventsResponseMessage", Ok(()));
            out.push_str(&xml);
            out.push_str("</m:GetEventsResponseMessage>");
        }
        Err(e) => error_message(&mut out, "GetEventsResponseMessage", &e),
    }
    out.push_str(&response_close("GetEvents"));
    out
}
