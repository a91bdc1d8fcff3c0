//! The entity data model of the fake's services: one static description per
//! service (entity sets, properties, types, MaxLengths, keys, navigations),
//! from which `$metadata`, JSON serialisation, `$filter`/`$select` and the
//! validation of writes are all derived, so they cannot disagree.
//!
//! The services are those of `maiconnect-odata/PROFILE.md`.

mod metadata;
mod services;
mod standard;

pub use metadata::metadata_document;
pub use services::{SERVICES, ServiceId};
pub use standard::STANDARD_SERVICES;

/// An EDM primitive type used by the profile
/// ([OData v2 primitive types](https://www.odata.org/documentation/odata-version-2-0/overview/#AbstractTypeSystem)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdmType {
    /// `Edm.String`.
    String,
    /// `Edm.Guid`.
    Guid,
    /// `Edm.DateTime` (UTC, JSON `/Date(ms)/`).
    DateTime,
    /// `Edm.DateTimeOffset` (JSON `/Date(ms+0000)/`).
    DateTimeOffset,
    /// `Edm.Boolean`.
    Boolean,
    /// `Edm.Int32`.
    Int32,
}

impl EdmType {
    /// The name in `$metadata`.
    pub fn edm_name(self) -> &'static str {
        match self {
            EdmType::String => "Edm.String",
            EdmType::Guid => "Edm.Guid",
            EdmType::DateTime => "Edm.DateTime",
            EdmType::DateTimeOffset => "Edm.DateTimeOffset",
            EdmType::Boolean => "Edm.Boolean",
            EdmType::Int32 => "Edm.Int32",
        }
    }
}

/// One property of an entity type.
#[derive(Debug, Clone, Copy)]
pub struct Property {
    /// Name on the wire.
    pub name: &'static str,
    /// Type.
    pub ty: EdmType,
    /// `MaxLength` of strings; `None` is unlimited (long texts).
    pub max_len: Option<usize>,
    /// Part of the key.
    pub key: bool,
    /// Whether a client may set it on create (`sap:creatable`).
    pub creatable: bool,
    /// Whether a client may change it (`sap:updatable`).
    pub updatable: bool,
    /// `sap:label`.
    pub label: &'static str,
    /// Not offered by this service (SAP's standard service lacks the
    /// property that its `/NAG/` copy adds); kept in place so that a
    /// stored entity has the same layout in both.
    pub hidden: bool,
}

impl Property {
    const fn new(name: &'static str, ty: EdmType, label: &'static str) -> Self {
        Property {
            name,
            ty,
            max_len: None,
            key: false,
            creatable: true,
            updatable: true,
            label,
            hidden: false,
        }
    }
    /// An `Edm.String` with a MaxLength.
    pub const fn string(name: &'static str, max: usize, label: &'static str) -> Self {
        let mut p = Property::new(name, EdmType::String, label);
        p.max_len = Some(max);
        p
    }
    /// A property of another type (or an unlimited string).
    pub const fn of(name: &'static str, ty: EdmType, label: &'static str) -> Self {
        Property::new(name, ty, label)
    }
    /// Marks it as part of the key.
    pub const fn key(mut self) -> Self {
        self.key = true;
        self.updatable = false;
        self
    }
    /// Marks it as computed by the server (neither creatable nor updatable).
    pub const fn computed(mut self) -> Self {
        self.creatable = false;
        self.updatable = false;
        self
    }
    /// Marks it as not offered by the service.
    pub const fn hidden(mut self) -> Self {
        self.hidden = true;
        self
    }
}

/// A navigation property.
#[derive(Debug, Clone, Copy)]
pub struct Navigation {
    /// Name on the wire (`Attendee`, `Attachments`, `WorkAddress`).
    pub name: &'static str,
    /// The entity set it leads to.
    pub target: &'static str,
    /// `*` (a feed) or `0..1` (a single entry).
    pub many: bool,
}

/// One entity set with its entity type.
#[derive(Debug, Clone, Copy)]
pub struct EntitySet {
    /// Entity set name (`AppointmentSet`).
    pub name: &'static str,
    /// Entity type name (`Appointment`).
    pub type_name: &'static str,
    /// `sap:label` of the type.
    pub label: &'static str,
    /// Properties in wire order.
    pub properties: &'static [Property],
    /// Navigation properties.
    pub navigations: &'static [Navigation],
    /// The property whose value is the ETag (`ConcurrencyMode="Fixed"`).
    pub etag: Option<&'static str>,
    /// A media entity (`m:HasStream="true"`).
    pub media: bool,
    /// Whether clients may create / update / delete through OData.
    pub creatable: bool,
    /// See `creatable`.
    pub updatable: bool,
    /// See `creatable`.
    pub deletable: bool,
}

impl PartialEq for EntitySet {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.type_name == other.type_name
    }
}

impl EntitySet {
    /// The index of a property the service offers, by name.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.properties
            .iter()
            .position(|p| p.name == name && !p.hidden)
    }
    /// A property the service offers, by name.
    pub fn property(&self, name: &str) -> Option<&'static Property> {
        self.properties.iter().find(|p| p.name == name && !p.hidden)
    }
    /// A navigation property by name.
    pub fn navigation(&self, name: &str) -> Option<&'static Navigation> {
        self.navigations.iter().find(|n| n.name == name)
    }
    /// The key properties in order.
    pub fn keys(&self) -> impl Iterator<Item = (usize, &'static Property)> {
        self.properties.iter().enumerate().filter(|(_, p)| p.key)
    }
}

/// One OData service.
#[derive(Debug)]
pub struct Service {
    /// Which one.
    pub id: ServiceId,
    /// The namespace segment of its path (`NAG`, `sap`).
    pub namespace_segment: &'static str,
    /// Technical name without namespace (`CRM_APPOINTMENT_SRV_01`).
    pub name: &'static str,
    /// Its entity sets.
    pub sets: &'static [EntitySet],
}

impl Service {
    /// An entity set by name.
    pub fn set(&self, name: &str) -> Option<&'static EntitySet> {
        // The services are statics, so the borrow is 'static.
        let sets: &'static [EntitySet] = self.sets;
        sets.iter().find(|s| s.name == name)
    }
    /// The schema namespace and the prefix of `__metadata.type`.
    pub fn namespace(&self) -> &'static str {
        self.name
    }
}
