//! [`ODataCrm`]: the core's [`Crm`] port over the six services.
//!
//! Reads follow the [profile](crate::profile) (`$expand=Attendee,Attachments`
//! or SAP's `AppointmentToAttachment`, listings by `$filter` with server
//! paging). Writes of one activity go in one `$batch` changeset: a create
//! is a deep insert with the attendees ([`create`]: the key the server
//! reports is the one returned, a failed create that may have happened is
//! confirmed by reading); an update is a MERGE of the changed properties,
//! or a PUT of the whole entity where the profile says so, plus the
//! attendee POSTs and DELETEs ([`update`]); a delete of what is gone
//! succeeds ([`mod@write`]). The typed methods (`create_activity`,
//! `update_activity`) also return a [`WriteReport`] naming every text that
//! was cut to fit.

mod attachments;
pub mod create;
mod read;
pub mod update;
pub mod write;

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use maiconnect_core::PortError;
use maiconnect_core::ids::{ActivityId, EmailAddress, PartnerNo, Version};
use maiconnect_core::model::{
    Attachment, BusinessPartner, Employee, ExchangeKey, ObjectKind, Record, Relationship, S4Key,
};
use maiconnect_core::plan::fields::Field;
use maiconnect_core::plan::state::S4Item;
use maiconnect_core::ports::{Capabilities, Created, Crm};

use crate::client::ODataClient;
use crate::mapping::{Lengths, MappingConfig, WriteReport};
use crate::profile::{Profile, ServiceId};

/// S/4HANA over OData.
#[derive(Debug)]
pub struct ODataCrm {
    client: ODataClient,
    mapping: MappingConfig,
    lengths: Mutex<(Lengths, BTreeSet<ServiceId>)>,
    /// GUIDs sent with a create → the GUIDs the server assigned instead.
    aliases: Mutex<Aliases>,
    /// Whether the server was seen assigning its own keys.
    assigns_keys: AtomicBool,
}

impl ODataCrm {
    /// The adapter over `client` with the policy's mapping settings.
    pub fn new(client: ODataClient, mapping: MappingConfig) -> ODataCrm {
        let lengths = Lengths::new(client.config().profile());
        ODataCrm {
            client,
            mapping,
            lengths: Mutex::new((lengths, BTreeSet::new())),
            aliases: Mutex::new(Aliases::default()),
            assigns_keys: AtomicBool::new(false),
        }
    }

    /// The service profile in use.
    pub fn profile(&self) -> &'static Profile {
        self.client.config().profile()
    }

    /// The key an activity has on the server: the one given, unless a
    /// create of it was answered with a key of the server's own.
    pub fn resolve(&self, key: &S4Key) -> S4Key {
        let alias = |id: &ActivityId| {
            self.aliases
                .lock()
                .ok()
                .and_then(|a| a.by_sent.get(id).copied())
                .unwrap_or(*id)
        };
        match key {
            S4Key::Appointment(id) => S4Key::Appointment(alias(id)),
            S4Key::Task(id) => S4Key::Task(alias(id)),
            S4Key::Contact(_) => key.clone(),
        }
    }

    fn remember_alias(&self, sent: ActivityId, server: ActivityId) {
        self.assigns_keys.store(true, Ordering::Relaxed);
        if let Ok(mut a) = self.aliases.lock() {
            a.insert(sent, server);
        }
    }

    /// Whether the server keeps the keys creates send (as far as seen).
    pub fn keeps_sent_keys(&self) -> bool {
        !self.assigns_keys.load(Ordering::Relaxed)
    }

    /// What the services offer for `kind`: the profile's change time stamp
    /// and external key, where the service's `$metadata` has them.
    pub async fn activity_capabilities(&self, kind: ObjectKind) -> Capabilities {
        let service = match kind {
            ObjectKind::Appointment => ServiceId::Appointments,
            ObjectKind::Task => ServiceId::Tasks,
            ObjectKind::Contact => {
                return Capabilities {
                    keeps_sent_keys: self.keeps_sent_keys(),
                    ..Capabilities::default()
                };
            }
        };
        let lengths = self.lengths(service).await;
        let has =
            |p: Option<&'static str>, set: &str| p.is_some_and(|p| lengths.has(service, set, p));
        let spec = self.profile().activity(service);
        Capabilities {
            change_timestamp: spec.is_some_and(|s| has(s.changed_at, s.set)),
            records_origin: spec.is_some_and(|s| has(s.external_key, s.set)),
            keeps_sent_keys: self.keeps_sent_keys(),
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

/// The keys a server assigned, by the key sent. They matter from the
/// create until the hub has saved the link (and for a create repeated in
/// the same process), so only the most recent are kept.
#[derive(Debug, Default)]
struct Aliases {
    by_sent: HashMap<ActivityId, ActivityId>,
    order: VecDeque<ActivityId>,
}

impl Aliases {
    /// The most aliases kept.
    const KEPT: usize = 10_000;

    fn insert(&mut self, sent: ActivityId, server: ActivityId) {
        if self.by_sent.insert(sent, server).is_none() {
            self.order.push_back(sent);
        }
        while self.order.len() > Self::KEPT {
            if let Some(old) = self.order.pop_front() {
                self.by_sent.remove(&old);
            }
        }
    }
}

fn port<T>(r: Result<T, crate::ODataError>) -> Result<T, PortError> {
    r.map_err(PortError::from)
}

#[async_trait]
impl Crm for ODataCrm {
    async fn get(&self, key: &S4Key) -> Result<Option<S4Item>, PortError> {
        port(self.read(&self.resolve(key)).await)
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
    ) -> Result<Created, PortError> {
        port(
            self.create_activity(key, record, origin)
                .await
                .map(|(c, _)| c),
        )
    }

    async fn capabilities(&self, kind: ObjectKind) -> Capabilities {
        self.activity_capabilities(kind).await
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
        port(self.download(&self.resolve(key), attachment).await)
    }

    async fn add_attachment(
        &self,
        key: &S4Key,
        attachment: &Attachment,
    ) -> Result<Attachment, PortError> {
        port(self.upload(&self.resolve(key), attachment).await)
    }

    async fn remove_attachment(
        &self,
        key: &S4Key,
        attachment: &Attachment,
    ) -> Result<(), PortError> {
        port(self.remove(&self.resolve(key), attachment).await)
    }
}

/// The report type of the typed write methods.
pub type Written<T> = (T, WriteReport);

// The hub holds the port as a trait object.
fn _object_safe(_: Box<dyn Crm>) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_most_recent_aliases_are_kept() {
        let id = |n: u128| ActivityId::from_uuid(uuid::Uuid::from_u128(n));
        let mut a = Aliases::default();
        for n in 0..(Aliases::KEPT as u128 + 5) {
            a.insert(id(n), id(n + 1_000_000));
        }
        a.insert(id(7), id(7)); // again: not counted twice
        assert_eq!(a.by_sent.len(), Aliases::KEPT);
        assert_eq!(a.order.len(), Aliases::KEPT);
        assert!(!a.by_sent.contains_key(&id(4)), "the oldest went");
        assert_eq!(a.by_sent.get(&id(5)), Some(&id(1_000_005)));
    }
}
