//! [`ODataCrm`]: the core's [`Crm`] port over the six services.
//!
//! Reads follow PROFILE.md (`$expand=Attendee,Attachments`, listings by
//! `$filter` with server paging). Writes of one activity go in one `$batch`
//! changeset: a create is a deep insert with the attendees; an update is a
//! MERGE of the changed properties plus the attendee POSTs and DELETEs.
//! The typed methods (`create_activity`, `update_activity`) also return a
//! [`WriteReport`] naming every text that was cut to fit.

mod attachments;
mod read;
mod write;

use std::collections::BTreeSet;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use maiconnect_core::PortError;
use maiconnect_core::ids::{EmailAddress, PartnerNo, Version};
use maiconnect_core::model::{
    Attachment, BusinessPartner, Employee, ExchangeKey, ObjectKind, Record, Relationship, S4Key,
};
use maiconnect_core::plan::fields::Field;
use maiconnect_core::plan::state::S4Item;
use maiconnect_core::ports::Crm;

use crate::client::ODataClient;
use crate::mapping::{Lengths, MappingConfig, WriteReport};
use crate::profile::ServiceId;

/// S/4HANA over OData.
#[derive(Debug)]
pub struct ODataCrm {
    client: ODataClient,
    mapping: MappingConfig,
    lengths: Mutex<(Lengths, BTreeSet<ServiceId>)>,
}

impl ODataCrm {
    /// The adapter over `client` with the policy's mapping settings.
    pub fn new(client: ODataClient, mapping: MappingConfig) -> ODataCrm {
        ODataCrm {
            client,
            mapping,
            lengths: Mutex::new((Lengths::default(), BTreeSet::new())),
        }
    }

    /// The client.
    pub fn client(&self) -> &ODataClient {
        &self.client
    }

    /// The mapping settings.
    pub fn mapping(&self) -> &MappingConfig {
        &self.mapping
    }

    /// The property lengths of `service`: read from its `$metadata` once
    /// (the profile's when `$metadata` cannot be read).
    async fn lengths(&self, service: ServiceId) -> Lengths {
        let known = self
            .lengths
            .lock()
            .map(|l| l.1.contains(&service))
            .unwrap_or(false);
        if !known {
            let learned = self.client.metadata(service).await;
            if let Ok(mut l) = self.lengths.lock() {
                match learned {
                    Ok(m) => l.0.learn(service, &m),
                    Err(e) => tracing::warn!(%service, "using the profile's lengths: {e}"),
                }
                l.1.insert(service);
            }
        }
        self.lengths.lock().map(|l| l.0.clone()).unwrap_or_default()
    }
}

fn port<T>(r: Result<T, crate::ODataError>) -> Result<T, PortError> {
    r.map_err(PortError::from)
}

#[async_trait]
impl Crm for ODataCrm {
    async fn get(&self, key: &S4Key) -> Result<Option<S4Item>, PortError> {
        port(self.read(key).await)
    }

    async fn list_activities(
        &self,
        kind: ObjectKind,
        employee: &PartnerNo,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<S4Item>, PortError> {
        port(self.list(kind, employee, from, to).await)
    }

    async fn create<'a>(
        &self,
        key: &S4Key,
        record: &Record,
        origin: Option<&'a ExchangeKey>,
    ) -> Result<Version, PortError> {
        port(
            self.create_activity(key, record, origin)
                .await
                .map(|(v, _)| v),
        )
    }

    async fn update(
        &self,
        key: &S4Key,
        version: &Version,
        fields: &[Field],
        record: &Record,
    ) -> Result<Option<Version>, PortError> {
        port(
            self.update_activity(key, version, fields, record)
                .await
                .map(|(v, _)| v),
        )
    }

    async fn delete(&self, key: &S4Key, version: &Version) -> Result<(), PortError> {
        port(self.delete_activity(key, version).await)
    }

    async fn relationships(&self, partner: &PartnerNo) -> Result<Vec<Relationship>, PortError> {
        port(self.read_relationships(partner).await)
    }

    async fn partner(&self, partner: &PartnerNo) -> Result<Option<BusinessPartner>, PortError> {
        port(self.read_partner(partner).await)
    }

    async fn find_partner_by_email(
        &self,
        email: &EmailAddress,
    ) -> Result<Option<BusinessPartner>, PortError> {
        port(self.search_partner(email).await)
    }

    async fn employee(&self, partner: &PartnerNo) -> Result<Option<Employee>, PortError> {
        port(self.read_employee(partner).await)
    }

    async fn attachment_content(
        &self,
        key: &S4Key,
        attachment: &Attachment,
    ) -> Result<Vec<u8>, PortError> {
        port(self.download(key, attachment).await)
    }

    async fn add_attachment(
        &self,
        key: &S4Key,
        attachment: &Attachment,
    ) -> Result<Attachment, PortError> {
        port(self.upload(key, attachment).await)
    }

    async fn remove_attachment(
        &self,
        key: &S4Key,
        attachment: &Attachment,
    ) -> Result<(), PortError> {
        port(self.remove(key, attachment).await)
    }
}

/// The report type of the typed write methods.
pub type Written<T> = (T, WriteReport);

// The hub holds the port as a trait object.
fn _object_safe(_: Box<dyn Crm>) {}
