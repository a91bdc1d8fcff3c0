//! The service's `$metadata` (EDMX with SAP annotations), as far as the
//! adapter needs it: entity sets, entity types, keys, properties with
//! their facets and `sap:` annotations, navigation properties.
//!
//! Reference: [MC-CSDL] (Conceptual Schema Definition Language) and SAP
//! Help, "SAP Annotations for OData Version 2.0".

mod parse;

use std::collections::BTreeMap;

use serde::Serialize;

pub use parse::parse_metadata;

/// A property of an entity type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Property {
    /// Its name.
    pub name: String,
    /// Its type, such as `Edm.String`.
    pub edm_type: String,
    /// `Nullable` (default true).
    pub nullable: bool,
    /// `MaxLength`, when declared and numeric.
    pub max_length: Option<u32>,
    /// `sap:*` annotations by local name (`creatable`, `label`, …).
    pub sap: BTreeMap<String, String>,
}

impl Property {
    fn flag(&self, name: &str) -> bool {
        self.sap.get(name).is_none_or(|v| v != "false")
    }
    /// `sap:creatable` (default true).
    pub fn creatable(&self) -> bool {
        self.flag("creatable")
    }
    /// `sap:updatable` (default true).
    pub fn updatable(&self) -> bool {
        self.flag("updatable")
    }
    /// `sap:filterable` (default true).
    pub fn filterable(&self) -> bool {
        self.flag("filterable")
    }
    /// `sap:sortable` (default true).
    pub fn sortable(&self) -> bool {
        self.flag("sortable")
    }
}

/// A navigation property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NavigationProperty {
    /// Its name.
    pub name: String,
    /// The association, `NS.Name`.
    pub relationship: String,
    /// The role this entity plays.
    pub from_role: String,
    /// The role of the target.
    pub to_role: String,
}

/// An entity type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityType {
    /// Its name (without namespace).
    pub name: String,
    /// The key properties, in order.
    pub keys: Vec<String>,
    /// Its properties.
    pub properties: Vec<Property>,
    /// Its navigation properties.
    pub navigations: Vec<NavigationProperty>,
    /// `m:HasStream`: a media entity.
    pub has_stream: bool,
    /// `sap:*` annotations.
    pub sap: BTreeMap<String, String>,
}

impl EntityType {
    /// A property by name.
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }
    /// A navigation property by name.
    pub fn navigation(&self, name: &str) -> Option<&NavigationProperty> {
        self.navigations.iter().find(|p| p.name == name)
    }
}

/// An entity set of an entity container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntitySet {
    /// Its name.
    pub name: String,
    /// Its entity type, `NS.Type`.
    pub entity_type: String,
    /// `sap:*` annotations (`creatable`, `pageable`, `requires-filter`, …).
    pub sap: BTreeMap<String, String>,
}

/// An association end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssociationEnd {
    /// Entity type, `NS.Type`.
    pub entity_type: String,
    /// `1`, `0..1`, `*`.
    pub multiplicity: String,
    /// The role name.
    pub role: String,
}

/// An association.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Association {
    /// Its name (without namespace).
    pub name: String,
    /// Its two ends.
    pub ends: Vec<AssociationEnd>,
}

/// One `Schema` element.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Schema {
    /// Its namespace.
    pub namespace: String,
    /// Entity types.
    pub entity_types: Vec<EntityType>,
    /// Associations.
    pub associations: Vec<Association>,
    /// Entity sets of its entity containers.
    pub entity_sets: Vec<EntitySet>,
    /// Names of its function imports.
    pub function_imports: Vec<String>,
}

/// A parsed `$metadata` document.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Metadata {
    /// The schemas.
    pub schemas: Vec<Schema>,
}

impl Metadata {
    /// Every entity set of every container.
    pub fn entity_sets(&self) -> impl Iterator<Item = &EntitySet> {
        self.schemas.iter().flat_map(|s| s.entity_sets.iter())
    }
    /// An entity set by name.
    pub fn entity_set(&self, name: &str) -> Option<&EntitySet> {
        self.entity_sets().find(|s| s.name == name)
    }
    /// An entity type by qualified (`NS.Type`) or plain name.
    pub fn entity_type(&self, name: &str) -> Option<&EntityType> {
        let (ns, local) = match name.rsplit_once('.') {
            Some((ns, l)) => (Some(ns), l),
            None => (None, name),
        };
        self.schemas
            .iter()
            .filter(|s| ns.is_none_or(|n| n == s.namespace))
            .flat_map(|s| s.entity_types.iter())
            .find(|t| t.name == local)
    }
    /// The entity type of an entity set.
    pub fn set_type(&self, set: &str) -> Option<&EntityType> {
        self.entity_type(&self.entity_set(set)?.entity_type)
    }
    /// The entity type a navigation property of an entity set's type leads
    /// to (through its association's other end).
    pub fn navigation_target(&self, set: &str, navigation: &str) -> Option<&EntityType> {
        let nav = self.set_type(set)?.navigation(navigation)?;
        let local = nav
            .relationship
            .rsplit_once('.')
            .map_or(nav.relationship.as_str(), |(_, l)| l);
        let end = self
            .schemas
            .iter()
            .flat_map(|s| s.associations.iter())
            .find(|a| a.name == local)?
            .ends
            .iter()
            .find(|e| e.role == nav.to_role)?;
        self.entity_type(&end.entity_type)
    }

    /// The declared `MaxLength` of a property of an entity set's type.
    pub fn max_length(&self, set: &str, property: &str) -> Option<u32> {
        self.set_type(set)?.property(property)?.max_length
    }
}
