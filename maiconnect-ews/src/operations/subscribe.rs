//! Subscribe: a push subscription to folders, delivered to a callback URL.
//!
//! See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/subscribe-operation>.

use super::{Context, FolderRef, Operation};
use crate::error::EwsError;
use crate::soap::response_messages;
use crate::xml::{Node, XmlWriter};

/// The item events maiconnect subscribes to.
pub const EVENT_TYPES: &[&str] = &[
    "CopiedEvent",
    "CreatedEvent",
    "DeletedEvent",
    "ModifiedEvent",
    "MovedEvent",
];

/// Creates a push subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscribe {
    /// The folders.
    pub folders: Vec<FolderRef>,
    /// `EventTypes`.
    pub events: Vec<&'static str>,
    /// Where to resume, if known.
    pub watermark: Option<String>,
    /// `StatusFrequency`: minutes between status events (1 to 1440).
    pub status_frequency: u32,
    /// `URL`: the callback.
    pub url: String,
}

/// The new subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscribeResult {
    /// `SubscriptionId`.
    pub id: String,
    /// `Watermark`.
    pub watermark: Option<String>,
}

impl Operation for Subscribe {
    const NAME: &'static str = "Subscribe";
    type Response = SubscribeResult;

    fn write_body(&self, w: &mut XmlWriter) {
        w.open("m:Subscribe", &[])
            .open("m:PushSubscriptionRequest", &[]);
        w.open("t:FolderIds", &[]);
        for f in &self.folders {
            f.write(w);
        }
        w.close("t:FolderIds").open("t:EventTypes", &[]);
        for e in &self.events {
            w.leaf("t:EventType", e);
        }
        w.close("t:EventTypes");
        if let Some(wm) = &self.watermark {
            w.leaf("t:Watermark", wm);
        }
        w.leaf(
            "t:StatusFrequency",
            &self.status_frequency.clamp(1, 1440).to_string(),
        )
        .leaf("t:URL", &self.url)
        .close("m:PushSubscriptionRequest")
        .close("m:Subscribe");
    }

    fn parse_body(
        &self,
        body: Node<'_, '_>,
        cx: &Context<'_>,
    ) -> Result<SubscribeResult, EwsError> {
        let msgs = response_messages(body, "SubscribeResponse")?;
        let msg = msgs
            .first()
            .ok_or_else(|| EwsError::Unexpected("Subscribe answered no response message".into()))?;
        let node = msg.ok(&cx.describe(Self::NAME), cx.mailbox)?;
        let id = node.child_text("SubscriptionId").unwrap_or("");
        if id.is_empty() {
            return Err(EwsError::Unexpected(format!(
                "{}: no SubscriptionId in the response",
                cx.describe(Self::NAME)
            )));
        }
        Ok(SubscribeResult {
            id: id.to_owned(),
            watermark: node.child_text("Watermark").map(str::to_owned),
        })
    }
}
