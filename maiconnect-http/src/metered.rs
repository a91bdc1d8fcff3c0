//! Ports that time every backend call into the metrics.

use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use maiconnect_core::PortError;
use maiconnect_core::ids::{EmailAddress, ItemId, Mailbox, PartnerNo, Version};
use maiconnect_core::model::*;
use maiconnect_core::plan::{Field, MailboxItem, S4Item};
use maiconnect_core::ports::{
    Capabilities, ChangeCursor, ChangePage, Created, Crm, MailboxPort, Subscription,
    SubscriptionId, Watermark,
};

use crate::metrics::Metrics;

/// Times `$call` as backend `$backend`, call `$name`.
macro_rules! timed {
    ($self:ident, $backend:literal, $name:literal, $call:expr) => {{
        let started = Instant::now();
        let result = $call.await;
        $self
            .metrics
            .backend_call($backend, $name, started.elapsed().as_secs_f64());
        result
    }};
}

/// The CRM port, timed.
pub struct MeteredCrm {
    /// The real port.
    pub inner: Arc<dyn Crm>,
    /// Where the timings go.
    pub metrics: Arc<Metrics>,
}

#[async_trait]
impl Crm for MeteredCrm {
    async fn get(&self, key: &S4Key) -> Result<Option<S4Item>, PortError> {
        timed!(self, "s4", "get", self.inner.get(key))
    }
    async fn list_activities(
        &self,
        kind: ObjectKind,
        employee: &PartnerNo,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<S4Item>, PortError> {
        timed!(
            self,
            "s4",
            "list_activities",
            self.inner.list_activities(kind, employee, from, to)
        )
    }
    async fn create<'a>(
        &self,
        key: &S4Key,
        record: &Record,
        origin: Option<&'a ExchangeKey>,
    ) -> Result<Created, PortError> {
        timed!(self, "s4", "create", self.inner.create(key, record, origin))
    }
    async fn capabilities(&self, kind: ObjectKind) -> Capabilities {
        self.inner.capabilities(kind).await
    }
    async fn update(
        &self,
        key: &S4Key,
        version: &Version,
        fields: &[Field],
        record: &Record,
    ) -> Result<Option<Version>, PortError> {
        timed!(
            self,
            "s4",
            "update",
            self.inner.update(key, version, fields, record)
        )
    }
    async fn delete(&self, key: &S4Key, version: &Version) -> Result<(), PortError> {
        timed!(self, "s4", "delete", self.inner.delete(key, version))
    }
    async fn relationships(&self, partner: &PartnerNo) -> Result<Vec<Relationship>, PortError> {
        timed!(
            self,
            "s4",
            "relationships",
            self.inner.relationships(partner)
        )
    }
    async fn partner(&self, partner: &PartnerNo) -> Result<Option<BusinessPartner>, PortError> {
        timed!(self, "s4", "partner", self.inner.partner(partner))
    }
    async fn find_partner_by_email(
        &self,
        email: &EmailAddress,
    ) -> Result<Option<BusinessPartner>, PortError> {
        timed!(
            self,
            "s4",
            "find_partner_by_email",
            self.inner.find_partner_by_email(email)
        )
    }
    async fn employee(&self, partner: &PartnerNo) -> Result<Option<Employee>, PortError> {
        timed!(self, "s4", "employee", self.inner.employee(partner))
    }
    async fn attachment_content(&self, key: &S4Key, a: &Attachment) -> Result<Vec<u8>, PortError> {
        timed!(
            self,
            "s4",
            "attachment_content",
            self.inner.attachment_content(key, a)
        )
    }
    async fn add_attachment(&self, key: &S4Key, a: &Attachment) -> Result<Attachment, PortError> {
        timed!(
            self,
            "s4",
            "add_attachment",
            self.inner.add_attachment(key, a)
        )
    }
    async fn remove_attachment(&self, key: &S4Key, a: &Attachment) -> Result<(), PortError> {
        timed!(
            self,
            "s4",
            "remove_attachment",
            self.inner.remove_attachment(key, a)
        )
    }
}

/// The mailbox port, timed.
pub struct MeteredMailboxes {
    /// The real port.
    pub inner: Arc<dyn MailboxPort>,
    /// Where the timings go.
    pub metrics: Arc<Metrics>,
}

#[async_trait]
impl MailboxPort for MeteredMailboxes {
    async fn get(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        ids: &[ItemId],
    ) -> Result<Vec<Result<Option<MailboxItem>, PortError>>, PortError> {
        timed!(self, "ews", "get", self.inner.get(mailbox, folder, ids))
    }
    async fn list(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<MailboxItem>, PortError> {
        timed!(
            self,
            "ews",
            "list",
            self.inner.list(mailbox, folder, from, to)
        )
    }
    async fn find_linked(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        link_key: &S4Key,
    ) -> Result<Vec<MailboxItem>, PortError> {
        timed!(
            self,
            "ews",
            "find_linked",
            self.inner.find_linked(mailbox, folder, link_key)
        )
    }
    async fn changes<'a>(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        cursor: Option<&'a ChangeCursor>,
        max: u32,
    ) -> Result<ChangePage, PortError> {
        timed!(
            self,
            "ews",
            "changes",
            self.inner.changes(mailbox, folder, cursor, max)
        )
    }
    async fn create<'a>(
        &self,
        mailbox: &Mailbox,
        folder: Folder,
        record: &Record,
        link_key: Option<&'a S4Key>,
    ) -> Result<(ExchangeKey, Version), PortError> {
        timed!(
            self,
            "ews",
            "create",
            self.inner.create(mailbox, folder, record, link_key)
        )
    }
    async fn update(
        &self,
        mailbox: &Mailbox,
        key: &ExchangeKey,
        version: &Version,
        fields: &[Field],
        record: &Record,
    ) -> Result<Version, PortError> {
        timed!(
            self,
            "ews",
            "update",
            self.inner.update(mailbox, key, version, fields, record)
        )
    }
    async fn tag(
        &self,
        mailbox: &Mailbox,
        key: &ExchangeKey,
        link_key: &S4Key,
    ) -> Result<Version, PortError> {
        timed!(self, "ews", "tag", self.inner.tag(mailbox, key, link_key))
    }
    async fn delete(&self, mailbox: &Mailbox, key: &ExchangeKey) -> Result<(), PortError> {
        timed!(self, "ews", "delete", self.inner.delete(mailbox, key))
    }
    async fn attachment_content(
        &self,
        mailbox: &Mailbox,
        a: &Attachment,
    ) -> Result<Vec<u8>, PortError> {
        timed!(
            self,
            "ews",
            "attachment_content",
            self.inner.attachment_content(mailbox, a)
        )
    }
    async fn add_attachment(
        &self,
        mailbox: &Mailbox,
        key: &ExchangeKey,
        a: &Attachment,
    ) -> Result<(Attachment, Version), PortError> {
        timed!(
            self,
            "ews",
            "add_attachment",
            self.inner.add_attachment(mailbox, key, a)
        )
    }
    async fn remove_attachment(
        &self,
        mailbox: &Mailbox,
        key: &ExchangeKey,
        a: &Attachment,
    ) -> Result<Version, PortError> {
        timed!(
            self,
            "ews",
            "remove_attachment",
            self.inner.remove_attachment(mailbox, key, a)
        )
    }
    async fn subscribe<'a>(
        &self,
        mailbox: &Mailbox,
        folders: &[Folder],
        url: &str,
        freq: u32,
        wm: Option<&'a Watermark>,
    ) -> Result<Subscription, PortError> {
        timed!(
            self,
            "ews",
            "subscribe",
            self.inner.subscribe(mailbox, folders, url, freq, wm)
        )
    }
    async fn unsubscribe(&self, mailbox: &Mailbox, id: &SubscriptionId) -> Result<(), PortError> {
        timed!(
            self,
            "ews",
            "unsubscribe",
            self.inner.unsubscribe(mailbox, id)
        )
    }
}
