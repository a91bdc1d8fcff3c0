//! The CRM port: S/4HANA as the executor and the hub need it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::error::PortError;
use crate::ids::{EmailAddress, PartnerNo, Version};
use crate::model::{
    Attachment, BusinessPartner, Employee, ExchangeKey, ObjectKind, Record, Relationship, S4Key,
};
use crate::plan::fields::Field;
use crate::plan::state::S4Item;

/// What a create made: the key the object has and its version.
///
/// The key is the one the server reports. It is the key that was sent
/// unless the server assigns its own (a plain copy of a standard service
/// may); the caller links the one returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// The object's key as the server holds it.
    pub key: S4Key,
    /// Its version (ETag).
    pub version: Version,
}

/// What the CRM side offers beyond the port's basics, for one kind of
/// activity; a caller chooses its queries by it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// Activities carry the time of their last change
    /// ([`S4Item::changed_at`]) that a query can ask for, so a
    /// reconciliation can read what changed since its last pass; without
    /// it, it must compare the activities of a window.
    pub change_timestamp: bool,
    /// Activities record the Outlook item they were created from, so links
    /// can be rebuilt from S/4HANA; without it only the link table knows.
    pub records_origin: bool,
    /// The server keeps the key a create sends; without it, it assigns its
    /// own and a create that cannot be confirmed may have made a second
    /// object.
    pub keeps_sent_keys: bool,
}

/// S/4HANA: activities, business partners and their relationships.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait Crm: Send + Sync {
    /// Reads one object; `None` when it does not exist. A business partner
    /// key reads the partner as an Outlook contact (with the company of its
    /// customer–contact relationship).
    async fn get(&self, key: &S4Key) -> Result<Option<S4Item>, PortError>;

    /// The activities of `kind` in which `employee` takes part and that
    /// overlap `[from, to)` (for the initial sync and resyncs).
    async fn list_activities(
        &self,
        kind: ObjectKind,
        employee: &PartnerNo,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<S4Item>, PortError>;

    /// Creates an activity under the given key (the hub chooses the GUID, so
    /// a create that is repeated after a crash fails with
    /// [`ErrorKind::AlreadyExists`](crate::error::ErrorKind::AlreadyExists)
    /// instead of creating a second activity; [`Crm::get`] of the key sent
    /// then reads it). `origin` is the Outlook item it comes from. Returns
    /// the key the server holds it under (see [`Created`]) and its ETag.
    async fn create<'a>(
        &self,
        key: &S4Key,
        record: &Record,
        origin: Option<&'a ExchangeKey>,
    ) -> Result<Created, PortError>;

    /// What the server offers for activities of `kind`.
    async fn capabilities(&self, kind: ObjectKind) -> Capabilities;

    /// Writes `fields` of `record` if the object still has `version`.
    /// Returns the new ETag when the server sends one.
    async fn update(
        &self,
        key: &S4Key,
        version: &Version,
        fields: &[Field],
        record: &Record,
    ) -> Result<Option<Version>, PortError>;

    /// Deletes an object if it still has `version`; deleting an object that
    /// is gone succeeds.
    async fn delete(&self, key: &S4Key, version: &Version) -> Result<(), PortError>;

    /// The relationships of a business partner (both directions).
    async fn relationships(&self, partner: &PartnerNo) -> Result<Vec<Relationship>, PortError>;

    /// A business partner.
    async fn partner(&self, partner: &PartnerNo) -> Result<Option<BusinessPartner>, PortError>;

    /// The business partner with this e-mail address (employees before
    /// contact persons), for turning Outlook attendees into partners.
    async fn find_partner_by_email(
        &self,
        email: &EmailAddress,
    ) -> Result<Option<BusinessPartner>, PortError>;

    /// The employee behind a business partner.
    async fn employee(&self, partner: &PartnerNo) -> Result<Option<Employee>, PortError>;

    /// The bytes of an attachment of an activity.
    async fn attachment_content(
        &self,
        key: &S4Key,
        attachment: &Attachment,
    ) -> Result<Vec<u8>, PortError>;

    /// Adds an attachment (with inline content) to an activity; returns it
    /// with its S/4 reference.
    async fn add_attachment(
        &self,
        key: &S4Key,
        attachment: &Attachment,
    ) -> Result<Attachment, PortError>;

    /// Removes an attachment from an activity.
    async fn remove_attachment(
        &self,
        key: &S4Key,
        attachment: &Attachment,
    ) -> Result<(), PortError>;
}
