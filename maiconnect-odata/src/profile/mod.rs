#![doc = include_str!("../../PROFILE.md")]
//!
//! # In code
//!
//! A [`Profile`] holds the tables above as data: the services with their
//! paths, their entity sets, the properties with their types and lengths
//! (and, for the optional ones, what their absence costs), the navigation
//! to the attachments and the write pattern. [`EXTENDED`] and
//! [`STANDARD`] are the two profiles; [`ClientConfig::profile`] chooses
//! one. The start-up check ([`crate::check`]) compares the chosen profile
//! with each service's `$metadata`; the mapping ([`crate::mapping`]) writes
//! only the properties the profile (and the service's `$metadata`) has.
//!
//! [`ClientConfig::profile`]: crate::client::ClientConfig::profile

mod extended;
mod standard;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use extended::EXTENDED;
pub use standard::STANDARD;

/// The role a service plays; each profile names the service that plays it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum ServiceId {
    /// Appointments (`/NAG/CRM_APPOINTMENT_SRV_01`, standard `CRM_APPOINTMENT_SRV`).
    Appointments,
    /// Tasks (`/NAG/MAI_CRM_TASK_SRV`, standard `CRM_TASK`).
    Tasks,
    /// Accounts and contacts (`/NAG/CRM_BUPA_ODATA_SRV`, standard `CRM_BUPA_ODATA`).
    BusinessPartners,
    /// Relationships (`/NAG/MAICONNECT_CONTPERS_CDS`).
    Relationships,
    /// Employees (`/NAG/MAICONNECT_EMPLOYEE_CDS`).
    Employees,
    /// The partner search by e-mail (`/NAG/PARTNER_ADDRESS_SEARCH_SRV`).
    PartnerSearch,
}

impl ServiceId {
    /// All services, in the order the check reports them.
    pub const ALL: [ServiceId; 6] = [
        ServiceId::Appointments,
        ServiceId::Tasks,
        ServiceId::BusinessPartners,
        ServiceId::Relationships,
        ServiceId::Employees,
        ServiceId::PartnerSearch,
    ];

    /// The technical name in the extended profile, as in
    /// /IWFND/MAINT_SERVICE (see [`Profile::name`] for the profile in use).
    pub fn technical_name(self) -> &'static str {
        EXTENDED.service(self).name
    }

    /// The service root path in the extended profile.
    pub fn default_path(self) -> String {
        EXTENDED.service(self).path.to_owned()
    }

    /// The entity sets of the extended profile.
    pub fn entity_sets(self) -> &'static [EntitySetSpec] {
        EXTENDED.service(self).entity_sets
    }

    /// The service by a technical name of either profile, with or without
    /// namespace (`CRM_APPOINTMENT_SRV_01`, `/NAG/CRM_APPOINTMENT_SRV_01`,
    /// `CRM_TASK`), ignoring case.
    pub fn from_name(name: &str) -> Option<ServiceId> {
        let bare = |n: &str| n.rsplit('/').next().unwrap_or(n).to_ascii_uppercase();
        let wanted = bare(name);
        ServiceId::ALL.into_iter().find(|id| {
            [&EXTENDED, &STANDARD]
                .iter()
                .any(|p| bare(p.service(*id).name) == wanted)
        })
    }
}

impl fmt::Display for ServiceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.technical_name())
    }
}

/// Which profile a system follows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProfileKind {
    /// The `/NAG/` copies of SAP's services with maiconnect's additions
    /// (`TimeZone`, `ExternalKey`, `ChangedAt`, `TextType`, attendee
    /// e-mail).
    #[default]
    Extended,
    /// SAP's shipped services as they are (`CRM_APPOINTMENT_SRV`,
    /// `CRM_TASK`, `CRM_BUPA_ODATA`), giving up what the additions bring.
    Standard,
}

impl ProfileKind {
    /// The profile's data.
    pub fn profile(self) -> &'static Profile {
        match self {
            ProfileKind::Extended => &EXTENDED,
            ProfileKind::Standard => &STANDARD,
        }
    }

    /// The name in settings (`extended`, `standard`).
    pub fn as_str(self) -> &'static str {
        match self {
            ProfileKind::Extended => "extended",
            ProfileKind::Standard => "standard",
        }
    }
}

impl fmt::Display for ProfileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ProfileKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "extended" => Ok(ProfileKind::Extended),
            "standard" => Ok(ProfileKind::Standard),
            other => Err(format!(
                "{other:?} is not a service profile; use \"extended\" (the /NAG/ services with maiconnect's additions) or \"standard\" (SAP's shipped services)"
            )),
        }
    }
}

/// A property the adapter reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PropertySpec {
    /// Its name.
    pub name: &'static str,
    /// Its EDM type.
    pub edm_type: &'static str,
    /// Its length in the profile (the `$metadata` value wins when read).
    pub max_length: Option<u32>,
    /// For a property the adapter can do without: what its absence costs.
    /// `None`: the adapter needs it.
    pub cost: Option<&'static str>,
}

impl PropertySpec {
    /// Whether the adapter works without it (at the cost it names).
    pub fn optional(&self) -> bool {
        self.cost.is_some()
    }
}

/// An entity set the adapter uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EntitySetSpec {
    /// The entity set.
    pub name: &'static str,
    /// Its entity type (without namespace).
    pub entity_type: &'static str,
    /// Its key properties.
    pub keys: &'static [&'static str],
    /// The properties used.
    pub properties: &'static [PropertySpec],
    /// The navigation properties used.
    pub navigations: &'static [&'static str],
    /// Whether it is a media entity (`m:HasStream`).
    pub media: bool,
    /// For a set the adapter only reaches through a navigation (parent
    /// set, navigation): the check looks at the navigation's target type,
    /// whatever the service calls the set.
    pub via: Option<(&'static str, &'static str)>,
}

impl EntitySetSpec {
    /// A property by name.
    pub fn property(&self, name: &str) -> Option<&PropertySpec> {
        self.properties.iter().find(|p| p.name == name)
    }
}

/// A service with its entity sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ServiceSpec {
    /// Which role it plays.
    pub id: ServiceId,
    /// The technical name, as in /IWFND/MAINT_SERVICE.
    pub name: &'static str,
    /// The default service root path (ending in `/`).
    pub path: &'static str,
    /// Its entity sets.
    pub entity_sets: &'static [EntitySetSpec],
}

impl ServiceSpec {
    /// An entity set by name.
    pub fn entity_set(&self, name: &str) -> Option<&'static EntitySetSpec> {
        let sets: &'static [EntitySetSpec] = self.entity_sets;
        sets.iter().find(|s| s.name == name)
    }
}

/// How an activity is changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum UpdateMethod {
    /// `MERGE` with only the changed properties.
    Merge,
    /// `PUT` of the whole entity: the current entity is read, the changed
    /// properties are set, and everything is written back (SAP's My
    /// Appointments app updates this way).
    Put,
}

impl UpdateMethod {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            UpdateMethod::Merge => "MERGE",
            UpdateMethod::Put => "PUT",
        }
    }
}

/// The names and write pattern of an activity entity set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ActivitySpec {
    /// The entity set (`AppointmentSet`, `Tasks`).
    pub set: &'static str,
    /// The navigation to the attachments (`Attachments`,
    /// `AppointmentToAttachment`).
    pub attachments: &'static str,
    /// How an update is written.
    pub update: UpdateMethod,
    /// The property that holds the time of the last change, for a query of
    /// what changed since a time; `None`: the service has none.
    pub changed_at: Option<&'static str>,
    /// The property that records the Outlook item an activity came from;
    /// `None`: only the link table knows.
    pub external_key: Option<&'static str>,
}

/// A service profile: the services, their names and the write pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Profile {
    /// Which profile.
    pub kind: ProfileKind,
    /// The services, in [`ServiceId::ALL`] order.
    pub services: &'static [ServiceSpec],
    /// The appointment set.
    pub appointments: ActivitySpec,
    /// The task set.
    pub tasks: ActivitySpec,
}

impl Profile {
    /// The service that plays `id`.
    pub fn service(&self, id: ServiceId) -> &'static ServiceSpec {
        let services: &'static [ServiceSpec] = self.services;
        // Both profiles list every role in `ServiceId::ALL` order (tested).
        &services[id as usize]
    }

    /// The technical name of the service that plays `id`.
    pub fn name(&self, id: ServiceId) -> &'static str {
        self.service(id).name
    }

    /// The entity set `name` of the service that plays `id`.
    pub fn entity_set(&self, id: ServiceId, name: &str) -> Option<&'static EntitySetSpec> {
        self.service(id).entity_set(name)
    }

    /// Whether the profile has `property` on `set` of `id`.
    pub fn has(&self, id: ServiceId, set: &str, property: &str) -> bool {
        self.entity_set(id, set)
            .is_some_and(|s| s.property(property).is_some())
    }

    /// The names of an activity kind's set.
    pub fn activity(&self, service: ServiceId) -> Option<&ActivitySpec> {
        match service {
            ServiceId::Appointments => Some(&self.appointments),
            ServiceId::Tasks => Some(&self.tasks),
            _ => None,
        }
    }

    /// What this profile gives up against the extended one: each optional
    /// property of the extended profile that it does not have, with its
    /// cost.
    pub fn gives_up(&self) -> Vec<(ServiceId, &'static str, &'static PropertySpec)> {
        let mut out = Vec::new();
        for id in ServiceId::ALL {
            for set in EXTENDED.service(id).entity_sets {
                for p in set.properties {
                    if !self.has(id, set.name, p.name) {
                        out.push((id, set.name, p));
                    }
                }
            }
        }
        out
    }
}

/// `AttachmentSet` (in both activity services).
pub const ATTACHMENT_SET: &str = "AttachmentSet";

/// Names of the appointment service shared by both profiles.
pub mod appointment {
    /// `AppointmentSet`.
    pub const SET: &str = "AppointmentSet";
    /// `AttendeeSet`.
    pub const ATTENDEE_SET: &str = "AttendeeSet";
    /// Navigation to the attendees.
    pub const NAV_ATTENDEE: &str = "Attendee";
    /// Navigation to the attachments in the extended profile (see
    /// [`super::ActivitySpec::attachments`]).
    pub const NAV_ATTACHMENTS: &str = "Attachments";
}

/// Names of the task service.
pub mod task {
    /// `Tasks`.
    pub const SET: &str = "Tasks";
}

pub(crate) const fn s(name: &'static str, max: u32) -> PropertySpec {
    PropertySpec {
        name,
        edm_type: "Edm.String",
        max_length: Some(max),
        cost: None,
    }
}
pub(crate) const fn long(name: &'static str) -> PropertySpec {
    PropertySpec {
        name,
        edm_type: "Edm.String",
        max_length: None,
        cost: None,
    }
}
pub(crate) const fn t(name: &'static str, edm_type: &'static str) -> PropertySpec {
    PropertySpec {
        name,
        edm_type,
        max_length: None,
        cost: None,
    }
}
/// An optional property: what the adapter loses without it.
pub(crate) const fn opt(p: PropertySpec, cost: &'static str) -> PropertySpec {
    PropertySpec {
        cost: Some(cost),
        ..p
    }
}

/// The extended profile's entity set `name` in `service`.
pub fn entity_set(service: ServiceId, name: &str) -> Option<&'static EntitySetSpec> {
    EXTENDED.entity_set(service, name)
}

#[cfg(test)]
mod tests;
