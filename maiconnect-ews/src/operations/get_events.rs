//! GetEvents: the events of a pull subscription since a watermark.
//!
//! See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/getevents-operation>.

use super::{Context, Operation};
use crate::error::EwsError;
use crate::push::{Notification, read_notification};
use crate::soap::response_messages;
use crate::xml::{Node, XmlWriter};

/// Reads events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetEvents {
    /// `SubscriptionId`.
    pub subscription_id: String,
    /// `Watermark`.
    pub watermark: String,
}

impl Operation for GetEvents {
    const NAME: &'static str = "GetEvents";
    type Response = Notification;

    fn write_body(&self, w: &mut XmlWriter) {
        w.open("m:GetEvents", &[])
            .leaf("m:SubscriptionId", &self.subscription_id)
            .leaf("m:Watermark", &self.watermark)
            .close("m:GetEvents");
    }

    fn parse_body(&self, body: Node<'_, '_>, cx: &Context<'_>) -> Result<Notification, EwsError> {
        let msgs = response_messages(body, "GetEventsResponse")?;
        let msg = msgs
            .first()
            .ok_or_else(|| EwsError::Unexpected("GetEvents answered no response message".into()))?;
        let node = msg.ok(&cx.describe(Self::NAME), cx.mailbox)?;
        let n = node.child("Notification").ok_or_else(|| {
            EwsError::Unexpected(format!("{}: no Notification", cx.describe(Self::NAME)))
        })?;
        Ok(read_notification(n))
    }
}
