//! The ports: object-safe traits through which the executor and the hub
//! reach S/4HANA, the mailboxes and the state store.
//!
//! The mailbox port speaks of versions, change cursors and subscriptions,
//! not of change keys, sync states and push subscriptions, so that a
//! Microsoft Graph adapter can implement it as well as the EWS adapter does.

pub mod crm;
pub mod mailbox;
pub mod store;

pub use crm::{Capabilities, Created, Crm};
pub use mailbox::{
    ChangeCursor, ChangePage, MailboxChange, MailboxPort, Subscription, SubscriptionId, Watermark,
};
pub use store::{
    InboxEntry, InboxEvent, InboxId, Intent, JournalEntry, PairKey, PendingUpdate, StateStore,
    SubscriptionRecord,
};

// Object safety is part of the contract: the hub holds the ports as trait
// objects.
fn _object_safe(_: &dyn Crm, _: &dyn MailboxPort, _: &dyn StateStore) {}
