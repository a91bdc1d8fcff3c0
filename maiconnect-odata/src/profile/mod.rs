#![doc = include_str!("../PROFILE.md")]
//!
//! # In code
//!
//! [`PROFILE`] holds the table above as data: the services, their entity
//! sets, the properties with their types and lengths. The start-up check
//! ([`crate::check`]) compares it with each service's `$metadata`; the
//! mapping ([`crate::mapping`]) uses the names.

use std::fmt;

use serde::Serialize;

/// One of the six services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum ServiceId {
    /// `/NAG/CRM_APPOINTMENT_SRV_01`.
    Appointments,
    /// `/NAG/MAI_CRM_TASK_SRV`.
    Tasks,
    /// `/NAG/CRM_BUPA_ODATA_SRV`.
    BusinessPartners,
    /// `/NAG/MAICONNECT_CONTPERS_CDS`.
    Relationships,
    /// `/NAG/MAICONNECT_EMPLOYEE_CDS`.
    Employees,
    /// `/NAG/PARTNER_ADDRESS_SEARCH_SRV`.
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

    /// The technical name with namespace, as in /IWFND/MAINT_SERVICE.
    pub fn technical_name(self) -> &'static str {
        match self {
            ServiceId::Appointments => "/NAG/CRM_APPOINTMENT_SRV_01",
            ServiceId::Tasks => "/NAG/MAI_CRM_TASK_SRV",
            ServiceId::BusinessPartners => "/NAG/CRM_BUPA_ODATA_SRV",
            ServiceId::Relationships => "/NAG/MAICONNECT_CONTPERS_CDS",
            ServiceId::Employees => "/NAG/MAICONNECT_EMPLOYEE_CDS",
            ServiceId::PartnerSearch => "/NAG/PARTNER_ADDRESS_SEARCH_SRV",
        }
    }

    /// The default service root path, `/sap/opu/odata/NAG/<SERVICE>/`.
    pub fn default_path(self) -> String {
        format!("/sap/opu/odata{}/", self.technical_name())
    }

    /// The entity sets the adapter uses in this service.
    pub fn entity_sets(self) -> &'static [EntitySetSpec] {
        PROFILE
            .iter()
            .find(|s| s.id == self)
            .map_or(&[], |s| s.entity_sets)
    }
}

impl fmt::Display for ServiceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.technical_name())
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
    /// Which service.
    pub id: ServiceId,
    /// Its entity sets.
    pub entity_sets: &'static [EntitySetSpec],
}

const fn s(name: &'static str, max: u32) -> PropertySpec {
    PropertySpec {
        name,
        edm_type: "Edm.String",
        max_length: Some(max),
    }
}
const fn long(name: &'static str) -> PropertySpec {
    PropertySpec {
        name,
        edm_type: "Edm.String",
        max_length: None,
    }
}
const fn t(name: &'static str, edm_type: &'static str) -> PropertySpec {
    PropertySpec {
        name,
        edm_type,
        max_length: None,
    }
}

/// Names of the appointment service.
pub mod appointment {
    /// `AppointmentSet`.
    pub const SET: &str = "AppointmentSet";
    /// `AttendeeSet`.
    pub const ATTENDEE_SET: &str = "AttendeeSet";
    /// Navigation to the attendees.
    pub const NAV_ATTENDEE: &str = "Attendee";
    /// Navigation to the attachments.
    pub const NAV_ATTACHMENTS: &str = "Attachments";
}

/// Names of the task service.
pub mod task {
    /// `Tasks`.
    pub const SET: &str = "Tasks";
}

/// `AttachmentSet` (in both activity services).
pub const ATTACHMENT_SET: &str = "AttachmentSet";

const ATTACHMENTS: EntitySetSpec = EntitySetSpec {
    name: ATTACHMENT_SET,
    entity_type: "Attachment",
    keys: &["DocumentId"],
    properties: &[
        s("DocumentId", 70),
        t("ObjectGuid", "Edm.Guid"),
        s("FileName", 255),
        s("MimeType", 128),
        t("FileSize", "Edm.Int32"),
    ],
    navigations: &[],
    media: true,
};

/// The whole profile.
pub const PROFILE: &[ServiceSpec] = &[
    ServiceSpec {
        id: ServiceId::Appointments,
        entity_sets: &[
            EntitySetSpec {
                name: appointment::SET,
                entity_type: "Appointment",
                keys: &["Guid"],
                properties: &[
                    t("Guid", "Edm.Guid"),
                    s("Description", 40),
                    s("Location", 100),
                    t("FromDate", "Edm.DateTime"),
                    t("ToDate", "Edm.DateTime"),
                    t("AllDay", "Edm.Boolean"),
                    t("PrivatFlag", "Edm.Boolean"),
                    s("Status", 5),
                    s("Priority", 1),
                    s("Account", 10),
                    s("Contact", 10),
                    s("Responsible", 10),
                    long("Note"),
                    s("TextType", 4),
                    s("TransactionType", 4),
                    s("TimeZone", 40),
                    s("ExternalKey", 255),
                    t("ChangedAt", "Edm.DateTimeOffset"),
                ],
                navigations: &[appointment::NAV_ATTENDEE, appointment::NAV_ATTACHMENTS],
                media: false,
            },
            EntitySetSpec {
                name: appointment::ATTENDEE_SET,
                entity_type: "Attendee",
                keys: &["Guid", "PartnerGuid"],
                properties: &[
                    t("Guid", "Edm.Guid"),
                    t("PartnerGuid", "Edm.Guid"),
                    s("PartnerNo", 10),
                    s("Function", 8),
                    t("IntAttendee", "Edm.Boolean"),
                    s("FullName", 80),
                    s("Email", 241),
                ],
                navigations: &[],
                media: false,
            },
            ATTACHMENTS,
        ],
    },
    ServiceSpec {
        id: ServiceId::Tasks,
        entity_sets: &[
            EntitySetSpec {
                name: task::SET,
                entity_type: "Task",
                keys: &["Guid"],
                properties: &[
                    t("Guid", "Edm.Guid"),
                    s("Id", 10),
                    s("Description", 40),
                    t("DueDate", "Edm.DateTime"),
                    long("Note"),
                    t("Private", "Edm.Boolean"),
                    t("Completed", "Edm.Boolean"),
                    s("Priority", 1),
                    s("UserStatusCode", 5),
                    s("AccountId", 10),
                    s("ContactId", 10),
                    s("ResponsibleId", 10),
                    s("TransactionType", 4),
                    s("ExternalKey", 255),
                    t("ChangedAt", "Edm.DateTimeOffset"),
                ],
                navigations: &[appointment::NAV_ATTACHMENTS],
                media: false,
            },
            ATTACHMENTS,
        ],
    },
    ServiceSpec {
        id: ServiceId::BusinessPartners,
        entity_sets: &[
            EntitySetSpec {
                name: "AccountCollection",
                entity_type: "Account",
                keys: &["accountID"],
                properties: &[
                    s("accountID", 10),
                    s("category", 1),
                    s("fullName", 80),
                    s("name1", 40),
                    s("name2", 40),
                    s("eTag", 40),
                ],
                navigations: &[],
                media: false,
            },
            EntitySetSpec {
                name: "ContactCollection",
                entity_type: "Contact",
                keys: &["contactID", "accountID"],
                properties: &[
                    s("contactID", 10),
                    s("accountID", 10),
                    s("firstName", 40),
                    s("lastName", 40),
                    s("middleName", 40),
                    s("fullName", 80),
                    s("title", 30),
                    s("academicTitle", 30),
                    s("function", 40),
                    s("department", 40),
                    s("company", 80),
                    s("eTag", 40),
                ],
                navigations: &["WorkAddress"],
                media: false,
            },
            EntitySetSpec {
                name: "EmployeeCollection",
                entity_type: "Employee",
                keys: &["employeeID"],
                properties: &[
                    s("employeeID", 10),
                    s("fullName", 80),
                    s("email", 241),
                    s("userName", 12),
                ],
                navigations: &[],
                media: false,
            },
        ],
    },
    ServiceSpec {
        id: ServiceId::Relationships,
        entity_sets: &[EntitySetSpec {
            name: "Relationships",
            entity_type: "Relationship",
            keys: &["RelationshipNumber", "Partner1", "Partner2", "ValidTo"],
            properties: &[
                s("RelationshipNumber", 12),
                s("Partner1", 10),
                s("Partner2", 10),
                s("RelationshipCategory", 6),
                t("ValidFrom", "Edm.DateTime"),
                t("ValidTo", "Edm.DateTime"),
                s("Partner1Category", 1),
                s("Partner2Category", 1),
            ],
            navigations: &[],
            media: false,
        }],
    },
    ServiceSpec {
        id: ServiceId::Employees,
        entity_sets: &[EntitySetSpec {
            name: "Employees",
            entity_type: "Employee",
            keys: &["EmployeeBP"],
            properties: &[
                s("EmployeeBP", 10),
                s("UserName", 12),
                s("EmailAddress", 241),
                s("FullName", 80),
            ],
            navigations: &[],
            media: false,
        }],
    },
    ServiceSpec {
        id: ServiceId::PartnerSearch,
        entity_sets: &[EntitySetSpec {
            name: "PartnerAddressSet",
            entity_type: "PartnerAddress",
            keys: &["PartnerNo", "AddressNumber"],
            properties: &[
                s("PartnerNo", 10),
                s("AddressNumber", 10),
                s("Category", 1),
                s("FullName", 80),
                s("EmailAddress", 241),
                t("IsEmployee", "Edm.Boolean"),
            ],
            navigations: &[],
            media: false,
        }],
    },
];

/// The profile's entity set `name` in `service`.
pub fn entity_set(service: ServiceId, name: &str) -> Option<&'static EntitySetSpec> {
    service.entity_sets().iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_service_is_in_the_profile_and_in_profile_md() {
        let md = include_str!("../PROFILE.md");
        for id in ServiceId::ALL {
            assert!(!id.entity_sets().is_empty(), "{id}");
            assert!(
                md.contains(id.technical_name()),
                "{id} is not in PROFILE.md"
            );
            for set in id.entity_sets() {
                assert!(
                    md.contains(&format!("`{}`", set.name)),
                    "{} not in PROFILE.md",
                    set.name
                );
                for p in set.properties {
                    assert!(
                        md.contains(&format!("`{}`", p.name)),
                        "{}.{} not in PROFILE.md",
                        set.name,
                        p.name
                    );
                }
            }
        }
        assert_eq!(
            ServiceId::Appointments.default_path(),
            "/sap/opu/odata/NAG/CRM_APPOINTMENT_SRV_01/"
        );
        assert_eq!(
            entity_set(ServiceId::Appointments, "AppointmentSet")
                .unwrap()
                .property("Description")
                .unwrap()
                .max_length,
            Some(40)
        );
    }
}
