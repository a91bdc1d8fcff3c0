//! Unsubscribe: end a subscription. (Exchange ends push subscriptions when
//! the callback answers `Unsubscribe`; this operation serves pull and
//! streaming ones and is tolerated for push.)
//!
//! See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/unsubscribe-operation>.

use super::{Context, Operation};
use crate::error::EwsError;
use crate::soap::response_messages;
use crate::xml::{Node, XmlWriter};

/// Ends a subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsubscribe {
    /// `SubscriptionId`.
    pub id: String,
}

impl Operation for Unsubscribe {
    const NAME: &'static str = "Unsubscribe";
    type Response = ();

    fn write_body(&self, w: &mut XmlWriter) {
        w.open("m:Unsubscribe", &[])
            .leaf("m:SubscriptionId", &self.id)
            .close("m:Unsubscribe");
    }

    fn parse_body(&self, body: Node<'_, '_>, cx: &Context<'_>) -> Result<(), EwsError> {
        let msgs = response_messages(body, "UnsubscribeResponse")?;
        for m in msgs {
            m.ok(&cx.describe(Self::NAME), cx.mailbox)?;
        }
        Ok(())
    }
}
