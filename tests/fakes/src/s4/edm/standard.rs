//! SAP's shipped CRM services, as `maiconnect-odata/PROFILE.md` ("Standard
//! profile") describes them from SAP's app code: `CRM_APPOINTMENT_SRV`,
//! `CRM_TASK`, `CRM_BUPA_ODATA` under `/sap/opu/odata/sap/`.
//!
//! Each entity type lists the properties of its `/NAG/` copy in the same
//! order, the additions marked hidden, so that the store holds one layout
//! and each catalogue shows its own: a hidden property is not in
//! `$metadata`, not in a response, and a request that names it is refused
//! as one naming an unknown property.

use super::EdmType::{Boolean, DateTime, DateTimeOffset, Guid, String as Text};
use super::services::{ATTACHMENT_SET, PARTNER_SETS, nav, read_only};
use super::{EntitySet, Property as P, Service, ServiceId};

const APPOINTMENT_SETS: &[EntitySet] = &[
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
            P::string("TextType", 4, "Text Type").hidden(),
            P::string("TransactionType", 4, "Transaction Type"),
            P::string("TimeZone", 40, "Time Zone").hidden(),
            P::string("ExternalKey", 255, "External Key").hidden(),
            P::of("ChangedAt", DateTimeOffset, "Changed At")
                .computed()
                .hidden(),
        ],
        navigations: &[
            nav("Attendee", "AttendeeSet", true),
            nav("AppointmentToAttachment", "AttachmentSet", true),
        ],
        // The ETag is the change time stamp, which the service does not
        // show as a property.
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
            P::string("Email", 241, "E-Mail Address").hidden(),
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

const TASK_SETS: &[EntitySet] = &[
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
            P::string("ExternalKey", 255, "External Key").hidden(),
            P::of("ChangedAt", DateTimeOffset, "Changed At")
                .computed()
                .hidden(),
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

const STANDARD_PARTNER_SETS: &[EntitySet] = &[
    PARTNER_SETS[0],
    EntitySet {
        name: "ContactCollection",
        type_name: "Contact",
        label: "Contact",
        properties: &[
            read_only(P::string("contactID", 10, "Contact ID").key()),
            read_only(P::string("accountID", 10, "Account ID").key()),
            read_only(P::string("firstName", 40, "First Name")),
            read_only(P::string("lastName", 40, "Last Name")),
            read_only(P::string("middleName", 40, "Middle Name")).hidden(),
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
            read_only(P::string("street", 40, "Street")).hidden(),
            read_only(P::string("houseNumber", 10, "House Number")).hidden(),
            read_only(P::string("postcode", 10, "Postal Code")).hidden(),
            read_only(P::string("city", 40, "City")).hidden(),
            read_only(P::string("region", 3, "Region")).hidden(),
            read_only(P::string("country", 3, "Country")).hidden(),
            read_only(P::string("email", 241, "E-Mail")),
            read_only(P::string("phone", 30, "Telephone")),
            read_only(P::string("mobilePhone", 30, "Mobile Phone")),
            read_only(P::string("fax", 30, "Fax")).hidden(),
        ],
        navigations: &[],
        etag: None,
        media: false,
        creatable: false,
        updatable: false,
        deletable: false,
    },
    PARTNER_SETS[3],
];

/// The three standard services, for the roles appointments, tasks and
/// partners.
pub static STANDARD_SERVICES: [Service; 3] = [
    Service {
        id: ServiceId::Appointments,
        namespace_segment: "sap",
        name: "CRM_APPOINTMENT_SRV",
        sets: APPOINTMENT_SETS,
    },
    Service {
        id: ServiceId::Tasks,
        namespace_segment: "sap",
        name: "CRM_TASK",
        sets: TASK_SETS,
    },
    Service {
        id: ServiceId::Partners,
        namespace_segment: "sap",
        name: "CRM_BUPA_ODATA",
        sets: STANDARD_PARTNER_SETS,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::s4::quirks::Catalogue;

    /// A stored entity is one vector of values for both catalogues.
    #[test]
    fn each_standard_type_has_the_layout_of_its_copy() {
        for service in &STANDARD_SERVICES {
            let copy = service.id.service();
            for set in service.sets {
                let other = copy
                    .set(set.name)
                    .unwrap_or_else(|| panic!("{} in {}", set.name, copy.name));
                let names = |s: &EntitySet| s.properties.iter().map(|p| p.name).collect::<Vec<_>>();
                assert_eq!(names(set), names(other), "{}", set.name);
                for n in set.navigations {
                    assert!(service.set(n.target).is_some(), "{}/{}", set.name, n.name);
                }
            }
        }
        let a = ServiceId::Appointments.model(Catalogue::Standard);
        let set = a.set("AppointmentSet").unwrap();
        assert!(set.index("TimeZone").is_none(), "hidden");
        assert!(set.property("ExternalKey").is_none(), "hidden");
        assert_eq!(set.index("TransactionType"), Some(14), "the copy's place");
        assert_eq!(
            ServiceId::from_path(Catalogue::Standard, "SAP", "crm_task"),
            Some(ServiceId::Tasks)
        );
        assert_eq!(
            ServiceId::from_path(Catalogue::Standard, "NAG", "MAI_CRM_TASK_SRV"),
            None,
            "the copy is not in the standard catalogue"
        );
        assert_eq!(
            ServiceId::from_path(Catalogue::Standard, "NAG", "MAICONNECT_EMPLOYEE_CDS"),
            Some(ServiceId::Employees),
            "the add-on's services stay"
        );
    }
}
