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
    /// instead of creating a second activity). `origin` is the Outlook item
    /// it comes from. Returns the new ETag.
    async fn create<'a>(
        &self,
        key: &S4Key,
        record: &Record,
        origin: Option<&'a ExchangeKey>,
    ) -> Result<Version, PortError>;

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
