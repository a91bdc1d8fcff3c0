//! The S/4HANA event contract: what the S/4HANA event handler (and the BAdI
//! for relationships) POSTs to the hub's event URL.
//!
//! One event, or a JSON array of events:
//!
//! ```json
//! {
//!   "eventId": "2f1c9a1e-8d7b-4c1e-9a55-3d1f0f6c2b10",
//!   "objectType": "BUS2000126",
//!   "objectKey": "0050568c-2b4f-1ee8-a1b2-c3d4e5f60718",
//!   "change": "changed",
//!   "changedAt": "2026-11-27T09:30:00Z"
//! }
//! ```
//!
//! `objectType` is `BUS2000126` (appointment), `BUS2000125` (task),
//! `BUS1006` (business partner; `objectKey` is the partner number) or
//! `relationship` (a BP relationship; `objectKey` is
//! `<partner1>/<partner2>/<category>` and `relationship` carries it).
//! `change` is `created`, `changed` or `deleted`. `eventId` makes a
//! repeated delivery harmless; `changedAt` is optional.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::Relationship;

/// The kind of S/4HANA object an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum S4ObjectType {
    /// An appointment.
    #[serde(rename = "BUS2000126")]
    Appointment,
    /// A task.
    #[serde(rename = "BUS2000125")]
    Task,
    /// A business partner.
    #[serde(rename = "BUS1006")]
    BusinessPartner,
    /// A business partner relationship.
    #[serde(rename = "relationship")]
    Relationship,
}

impl fmt::Display for S4ObjectType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            S4ObjectType::Appointment => "BUS2000126",
            S4ObjectType::Task => "BUS2000125",
            S4ObjectType::BusinessPartner => "BUS1006",
            S4ObjectType::Relationship => "relationship",
        })
    }
}

/// What happened to the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeType {
    /// Created.
    Created,
    /// Changed.
    Changed,
    /// Deleted.
    Deleted,
}

/// One S/4HANA event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct S4Event {
    /// Unique per event; a repeated delivery carries the same id.
    pub event_id: String,
    /// The kind of object.
    pub object_type: S4ObjectType,
    /// Its key.
    pub object_key: String,
    /// What happened.
    pub change: ChangeType,
    /// When, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_at: Option<DateTime<Utc>>,
    /// The relationship, for relationship events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship: Option<Relationship>,
}

impl S4Event {
    /// Checks what serde cannot: the key fits the object type.
    pub fn validate(&self) -> Result<(), String> {
        if self.event_id.trim().is_empty() || self.event_id.len() > 128 {
            return Err("eventId must be 1 to 128 characters".into());
        }
        let key = self.object_key.as_str();
        match self.object_type {
            S4ObjectType::Appointment | S4ObjectType::Task => key
                .parse::<crate::ids::ActivityId>()
                .map(|_| ())
                .map_err(|e| format!("objectKey: {e}")),
            S4ObjectType::BusinessPartner => key
                .parse::<crate::ids::PartnerNo>()
                .map(|_| ())
                .map_err(|e| format!("objectKey: {e}")),
            S4ObjectType::Relationship => match &self.relationship {
                Some(_) => Ok(()),
                None => Err("a relationship event needs the \"relationship\" object".into()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_parses() {
        let text = r#"{"eventId":"2f1c","objectType":"BUS2000126","objectKey":"0050568c-2b4f-1ee8-a1b2-c3d4e5f60718","change":"changed","changedAt":"2026-11-27T09:30:00Z"}"#;
        let e: S4Event = serde_json::from_str(text).unwrap();
        assert_eq!(e.object_type, S4ObjectType::Appointment);
        assert_eq!(e.change, ChangeType::Changed);
        assert!(e.validate().is_ok());
        let rel = r#"{"eventId":"9","objectType":"relationship","objectKey":"0000000020/0000000001/BUR011","change":"deleted","relationship":{"kind":"BUR011","from":"0000000020","to":"0000000001","valid_from":null,"valid_to":null}}"#;
        let e: S4Event = serde_json::from_str(rel).unwrap();
        assert!(e.validate().is_ok());
    }

    #[test]
    fn keys_that_do_not_fit_the_type_are_rejected() {
        let text = r#"{"eventId":"1","objectType":"BUS1006","objectKey":"not a partner","change":"created"}"#;
        let e: S4Event = serde_json::from_str(text).unwrap();
        assert!(
            e.validate()
                .unwrap_err()
                .contains("business partner number")
        );
        let unknown =
            r#"{"eventId":"1","objectType":"BUS9999","objectKey":"1","change":"created"}"#;
        assert!(serde_json::from_str::<S4Event>(unknown).is_err());
    }
}
