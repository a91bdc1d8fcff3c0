//! The six services of `maiconnect-odata/PROFILE.md`, property by property.

use super::EdmType::{Boolean, DateTime, DateTimeOffset, Guid, Int32, String as Text};
use super::{EntitySet, Navigation, Property as P, STANDARD_SERVICES, Service};
use crate::s4::quirks::Catalogue;

/// Which service a request addresses.
///
/// Serialised as its technical name (`"CRM_APPOINTMENT_SRV_01"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServiceId {
    /// `/NAG/CRM_APPOINTMENT_SRV_01`.
    Appointments,
    /// `/NAG/MAI_CRM_TASK_SRV`.
    Tasks,
    /// `/NAG/CRM_BUPA_ODATA_SRV`.
    Partners,
    /// `/NAG/MAICONNECT_CONTPERS_CDS`.
    Relationships,
    /// `/NAG/MAICONNECT_EMPLOYEE_CDS`.
    Employees,
    /// `/NAG/PARTNER_ADDRESS_SEARCH_SRV`.
    PartnerSearch,
}

impl ServiceId {
    /// All services.
    pub const ALL: [ServiceId; 6] = [
        ServiceId::Appointments,
        ServiceId::Tasks,
        ServiceId::Partners,
        ServiceId::Relationships,
        ServiceId::Employees,
        ServiceId::PartnerSearch,
    ];

    /// The service description.
    pub fn service(self) -> &'static Service {
        &SERVICES[self as usize]
    }

    /// The technical name (`CRM_APPOINTMENT_SRV_01`).
    pub fn name(self) -> &'static str {
        self.service().name
    }

    /// Finds a service by its technical name (case-insensitive, as the ICF
    /// path is).
    pub fn from_name(name: &str) -> Option<ServiceId> {
        ServiceId::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(name))
    }

    /// The service that plays this role in `catalogue`.
    pub fn model(self, catalogue: Catalogue) -> &'static Service {
        match (catalogue, self) {
            (Catalogue::Standard, ServiceId::Appointments) => &STANDARD_SERVICES[0],
            (Catalogue::Standard, ServiceId::Tasks) => &STANDARD_SERVICES[1],
            (Catalogue::Standard, ServiceId::Partners) => &STANDARD_SERVICES[2],
            _ => self.service(),
        }
    }

    /// The service at `/sap/opu/odata/<namespace>/<name>/` in `catalogue`
    /// (both case-insensitive, as the ICF path is).
    pub fn from_path(catalogue: Catalogue, namespace: &str, name: &str) -> Option<ServiceId> {
        ServiceId::ALL.into_iter().find(|s| {
            let m = s.model(catalogue);
            m.name.eq_ignore_ascii_case(name) && m.namespace_segment.eq_ignore_ascii_case(namespace)
        })
    }
}

impl serde::Serialize for ServiceId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for ServiceId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(d)?;
        ServiceId::from_name(&name).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown service {name:?}; expected one of CRM_APPOINTMENT_SRV_01, MAI_CRM_TASK_SRV, CRM_BUPA_ODATA_SRV, MAICONNECT_CONTPERS_CDS, MAICONNECT_EMPLOYEE_CDS, PARTNER_ADDRESS_SEARCH_SRV"
            ))
        })
    }
}

pub(super) const fn nav(name: &'static str, target: &'static str, many: bool) -> Navigation {
    Navigation { name, target, many }
}

pub(super) const ATTACHMENT_SET: EntitySet = EntitySet {
    name: "AttachmentSet",
    type_name: "Attachment",
    label: "Attachment",
    properties: &[
        P::string("DocumentId", 70, "Document ID").key().computed(),
        P::of("ObjectGuid", Guid, "Activity GUID").computed(),
        P::string("FileName", 255, "File Name").computed(),
        P::string("MimeType", 128, "MIME Type").computed(),
        P::of("FileSize", Int32, "File Size").computed(),
    ],
    navigations: &[],
    etag: None,
    media: true,
    creatable: true,
    updatable: false,
    deletable: true,
};

pub(super) const APPOINTMENT_SETS: &[EntitySet] = &[
    EntitySet {
        name: "AppointmentSet",
        type_name: "Appointment",
        label: "Appointment",
        properties: &[
            P::of("Guid", Guid, "Activity GUID").key(),
            P::string("Description", 40, "Description"),
            P::string("Location", 100, "Location"),
            P::of("FromDate", DateTime, "Start"),
            P::of("ToDate", DateTime, "End"),
            P::of("AllDay", Boolean, "All Day"),
            P::of("PrivatFlag", Boolean, "Private"),
            P::string("Status", 5, "Status"),
            P::string("Priority", 1, "Priority"),
            P::string("Account", 10, "Account"),
            P::string("Contact", 10, "Contact"),
            P::string("Responsible", 10, "Employee Responsible"),
            P::of("Note", Text, "Note"),
            P::string("TextType", 4, "Text Type"),
            P::string("TransactionType", 4, "Transaction Type"),
            P::string("TimeZone", 40, "Time Zone"),
            P::string("ExternalKey", 255, "External Key"),
            P::of("ChangedAt", DateTimeOffset, "Changed At").computed(),
        ],
        navigations: &[
            nav("Attendee", "AttendeeSet", true),
            nav("Attachments", "AttachmentSet", true),
        ],
        etag: Some("ChangedAt"),
        media: false,
        creatable: true,
        updatable: true,
        deletable: true,
    },
    EntitySet {
        name: "AttendeeSet",
        type_name: "Attendee",
        label: "Attendee",
        properties: &[
            P::of("Guid", Guid, "Activity GUID").key(),
            P::of("PartnerGuid", Guid, "Partner GUID").key(),
            P::string("PartnerNo", 10, "Business Partner"),
            P::string("Function", 8, "Partner Function"),
            P::of("IntAttendee", Boolean, "Internal"),
            P::string("FullName", 80, "Name"),
            P::string("Email", 241, "E-Mail Address"),
        ],
        navigations: &[],
        etag: None,
        media: false,
        creatable: true,
        updatable: true,
        deletable: true,
    },
    ATTACHMENT_SET,
];

pub(super) const TASK_SETS: &[EntitySet] = &[
    EntitySet {
        name: "Tasks",
        type_name: "Task",
        label: "Task",
        properties: &[
            P::of("Guid", Guid, "Activity GUID").key(),
            P::string("Id", 10, "Task ID").computed(),
            P::string("Description", 40, "Description"),
            P::of("DueDate", DateTime, "Due Date"),
            P::of("Note", Text, "Note"),
            P::of("Private", Boolean, "Private"),
            P::of("Completed", Boolean, "Completed"),
            P::string("Priority", 1, "Priority"),
            P::string("UserStatusCode", 5, "User Status"),
            P::string("AccountId", 10, "Account"),
            P::string("ContactId", 10, "Contact"),
            P::string("ResponsibleId", 10, "Employee Responsible"),
            P::string("TransactionType", 4, "Transaction Type"),
            P::string("ExternalKey", 255, "External Key"),
            P::of("ChangedAt", DateTimeOffset, "Changed At").computed(),
        ],
        navigations: &[nav("Attachments", "AttachmentSet", true)],
        etag: Some("ChangedAt"),
        media: false,
        creatable: true,
        updatable: true,
        deletable: true,
    },
    ATTACHMENT_SET,
];

pub(super) const fn read_only(p: P) -> P {
    p.computed()
}

pub(super) const PARTNER_SETS: &[EntitySet] = &[
    EntitySet {
        name: "AccountCollection",
        type_name: "Account",
        label: "Account",
        properties: &[
            read_only(P::string("accountID", 10, "Account ID").key()),
            read_only(P::string("category", 1, "Category")),
            read_only(P::string("fullName", 80, "Name")),
            read_only(P::string("name1", 40, "Name 1")),
            read_only(P::string("name2", 40, "Name 2")),
            read_only(P::string("eTag", 40, "ETag")),
        ],
        navigations: &[],
        etag: Some("eTag"),
        media: false,
        creatable: false,
        updatable: false,
        deletable: false,
    },
    EntitySet {
        name: "ContactCollection",
        type_name: "Contact",
        label: "Contact",
        properties: &[
            read_only(P::string("contactID", 10, "Contact ID").key()),
            read_only(P::string("accountID", 10, "Account ID").key()),
            read_only(P::string("firstName", 40, "First Name")),
            read_only(P::string("lastName", 40, "Last Name")),
            read_only(P::string("middleName", 40, "Middle Name")),
            read_only(P::string("fullName", 80, "Name")),
            read_only(P::string("title", 30, "Title")),
            read_only(P::string("academicTitle", 30, "Academic Title")),
            read_only(P::string("function", 40, "Function")),
            read_only(P::string("department", 40, "Department")),
            read_only(P::string("company", 80, "Company")),
            read_only(P::string("eTag", 40, "ETag")),
        ],
        navigations: &[nav("WorkAddress", "ContactWorkAddressCollection", false)],
        etag: Some("eTag"),
        media: false,
        creatable: false,
        updatable: false,
        deletable: false,
    },
    EntitySet {
        name: "ContactWorkAddressCollection",
        type_name: "ContactWorkAddress",
        label: "Work Address",
        properties: &[
            read_only(P::string("contactID", 10, "Contact ID").key()),
            read_only(P::string("accountID", 10, "Account ID").key()),
            read_only(P::string("street", 40, "Street")),
            read_only(P::string("houseNumber", 10, "House Number")),
            read_only(P::string("postcode", 10, "Postal Code")),
            read_only(P::string("city", 40, "City")),
            read_only(P::string("region", 3, "Region")),
            read_only(P::string("country", 3, "Country")),
            read_only(P::string("email", 241, "E-Mail")),
            read_only(P::string("phone", 30, "Telephone")),
            read_only(P::string("mobilePhone", 30, "Mobile Phone")),
            read_only(P::string("fax", 30, "Fax")),
        ],
        navigations: &[],
        etag: None,
        media: false,
        creatable: false,
        updatable: false,
        deletable: false,
    },
    EntitySet {
        name: "EmployeeCollection",
        type_name: "Employee",
        label: "Employee",
        properties: &[
            read_only(P::string("employeeID", 10, "Employee ID").key()),
            read_only(P::string("fullName", 80, "Name")),
            read_only(P::string("email", 241, "E-Mail")),
            read_only(P::string("userName", 12, "User Name")),
        ],
        navigations: &[],
        etag: None,
        media: false,
        creatable: false,
        updatable: false,
        deletable: false,
    },
];

const RELATIONSHIP_SETS: &[EntitySet] = &[EntitySet {
    name: "Relationships",
    type_name: "RelationshipsType",
    label: "BP Relationships",
    properties: &[
        read_only(P::string("RelationshipNumber", 12, "BP Relationship No.").key()),
        read_only(P::string("Partner1", 10, "Business Partner 1").key()),
        read_only(P::string("Partner2", 10, "Business Partner 2").key()),
        read_only(P::of("ValidTo", DateTime, "Valid To").key()),
        read_only(P::string(
            "RelationshipCategory",
            6,
            "Relationship Category",
        )),
        read_only(P::of("ValidFrom", DateTime, "Valid From")),
        read_only(P::string("Partner1Category", 1, "BP Category 1")),
        read_only(P::string("Partner2Category", 1, "BP Category 2")),
    ],
    navigations: &[],
    etag: None,
    media: false,
    creatable: false,
    updatable: false,
    deletable: false,
}];

const EMPLOYEE_SETS: &[EntitySet] = &[EntitySet {
    name: "Employees",
    type_name: "EmployeesType",
    label: "Employees",
    properties: &[
        read_only(P::string("EmployeeBP", 10, "Employee").key()),
        read_only(P::string("UserName", 12, "User Name")),
        read_only(P::string("EmailAddress", 241, "E-Mail Address")),
        read_only(P::string("FullName", 80, "Name")),
    ],
    navigations: &[],
    etag: None,
    media: false,
    creatable: false,
    updatable: false,
    deletable: false,
}];

const SEARCH_SETS: &[EntitySet] = &[EntitySet {
    name: "PartnerAddressSet",
    type_name: "PartnerAddress",
    label: "Partner Address",
    properties: &[
        read_only(P::string("PartnerNo", 10, "Business Partner").key()),
        read_only(P::string("AddressNumber", 10, "Address Number").key()),
        read_only(P::string("Category", 1, "BP Category")),
        read_only(P::string("FullName", 80, "Name")),
        read_only(P::string("EmailAddress", 241, "E-Mail Address")),
        read_only(P::of("IsEmployee", Boolean, "Employee")),
    ],
    navigations: &[],
    etag: None,
    media: false,
    creatable: false,
    updatable: false,
    deletable: false,
}];

/// The services, indexed by [`ServiceId`] as usize.
pub static SERVICES: [Service; 6] = [
    Service {
        namespace_segment: "NAG",
        id: ServiceId::Appointments,
        name: "CRM_APPOINTMENT_SRV_01",
        sets: APPOINTMENT_SETS,
    },
    Service {
        namespace_segment: "NAG",
        id: ServiceId::Tasks,
        name: "MAI_CRM_TASK_SRV",
        sets: TASK_SETS,
    },
    Service {
        namespace_segment: "NAG",
        id: ServiceId::Partners,
        name: "CRM_BUPA_ODATA_SRV",
        sets: PARTNER_SETS,
    },
    Service {
        namespace_segment: "NAG",
        id: ServiceId::Relationships,
        name: "MAICONNECT_CONTPERS_CDS",
        sets: RELATIONSHIP_SETS,
    },
    Service {
        namespace_segment: "NAG",
        id: ServiceId::Employees,
        name: "MAICONNECT_EMPLOYEE_CDS",
        sets: EMPLOYEE_SETS,
    },
    Service {
        namespace_segment: "NAG",
        id: ServiceId::PartnerSearch,
        name: "PARTNER_ADDRESS_SEARCH_SRV",
        sets: SEARCH_SETS,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_are_indexed_by_their_id() {
        for id in ServiceId::ALL {
            assert_eq!(id.service().id, id);
        }
        assert_eq!(
            ServiceId::from_name("crm_appointment_srv_01"),
            Some(ServiceId::Appointments)
        );
        assert_eq!(ServiceId::from_name("CRM_APPOINTMENT_SRV"), None);
    }

    #[test]
    fn profile_max_lengths_are_kept() {
        let set = ServiceId::Appointments
            .service()
            .set("AppointmentSet")
            .unwrap();
        assert_eq!(set.property("Description").unwrap().max_len, Some(40));
        assert_eq!(set.property("Location").unwrap().max_len, Some(100));
        assert_eq!(set.property("Note").unwrap().max_len, None);
        let keys: Vec<_> = ServiceId::Relationships.service().sets[0]
            .keys()
            .map(|(_, p)| p.name)
            .collect();
        assert_eq!(
            keys,
            ["RelationshipNumber", "Partner1", "Partner2", "ValidTo"]
        );
    }

    #[test]
    fn every_navigation_leads_to_a_set_of_its_service() {
        for service in &SERVICES {
            for set in service.sets {
                for n in set.navigations {
                    assert!(service.set(n.target).is_some(), "{}/{}", set.name, n.name);
                }
            }
        }
    }
}
