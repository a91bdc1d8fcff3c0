//! The standard profile: SAP's shipped CRM Fiori services with exactly the
//! names SAP's own apps use (My Appointments, My Tasks, My Accounts / My
//! Contacts; see `tests/samples/SOURCES.md` and the reference library's
//! `CRM_SERVICES_from_SAP_app_code.md`), and the add-on's read services.

use super::extended::{ACCOUNTS, EMPLOYEES, PARTNER_SEARCH, RELATIONSHIPS};
use super::{
    ATTACHMENT_SET, ActivitySpec, EntitySetSpec, Profile, ProfileKind, PropertySpec, ServiceId,
    ServiceSpec, UpdateMethod, appointment, long, s, t, task,
};

/// The appointment app expands `AppointmentToAttachment`.
pub const APPOINTMENT_ATTACHMENTS: &str = "AppointmentToAttachment";

const ATTACHMENT_PROPERTIES: &[PropertySpec] = &[
    s("DocumentId", 70),
    t("ObjectGuid", "Edm.Guid"),
    s("FileName", 255),
    s("MimeType", 128),
    t("FileSize", "Edm.Int32"),
];

/// The attachments of an activity, reached through its navigation. SAP's
/// apps only show the navigation names; the properties are those of the
/// extended profile, and the check reports any difference.
const fn attachments(parent: &'static str, nav: &'static str) -> EntitySetSpec {
    EntitySetSpec {
        name: ATTACHMENT_SET,
        entity_type: "Attachment",
        keys: &["DocumentId"],
        properties: ATTACHMENT_PROPERTIES,
        navigations: &[],
        media: true,
        via: Some((parent, nav)),
    }
}

/// The standard profile.
pub static STANDARD: Profile = Profile {
    kind: ProfileKind::Standard,
    services: &[
        ServiceSpec {
            id: ServiceId::Appointments,
            name: "CRM_APPOINTMENT_SRV",
            path: "/sap/opu/odata/sap/CRM_APPOINTMENT_SRV/",
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
                        s("TransactionType", 4),
                    ],
                    navigations: &[appointment::NAV_ATTENDEE, APPOINTMENT_ATTACHMENTS],
                    media: false,
                    via: None,
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
                    ],
                    navigations: &[],
                    media: false,
                    via: None,
                },
                attachments(appointment::SET, APPOINTMENT_ATTACHMENTS),
            ],
        },
        ServiceSpec {
            id: ServiceId::Tasks,
            name: "CRM_TASK",
            path: "/sap/opu/odata/sap/CRM_TASK/",
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
                    ],
                    navigations: &[appointment::NAV_ATTACHMENTS],
                    media: false,
                    via: None,
                },
                attachments(task::SET, appointment::NAV_ATTACHMENTS),
            ],
        },
        ServiceSpec {
            id: ServiceId::BusinessPartners,
            name: "CRM_BUPA_ODATA",
            path: "/sap/opu/odata/sap/CRM_BUPA_ODATA/",
            entity_sets: &[
                ACCOUNTS,
                EntitySetSpec {
                    name: "ContactCollection",
                    entity_type: "Contact",
                    keys: &["contactID", "accountID"],
                    properties: &[
                        s("contactID", 10),
                        s("accountID", 10),
                        s("firstName", 40),
                        s("lastName", 40),
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
                    via: None,
                },
                EntitySetSpec {
                    name: "ContactWorkAddressCollection",
                    entity_type: "ContactWorkAddress",
                    keys: &[],
                    properties: &[s("email", 241), s("phone", 30), s("mobilePhone", 30)],
                    navigations: &[],
                    media: false,
                    via: Some(("ContactCollection", "WorkAddress")),
                },
            ],
        },
        RELATIONSHIPS,
        EMPLOYEES,
        PARTNER_SEARCH,
    ],
    appointments: ActivitySpec {
        set: appointment::SET,
        attachments: APPOINTMENT_ATTACHMENTS,
        update: UpdateMethod::Put,
        changed_at: None,
        external_key: None,
    },
    tasks: ActivitySpec {
        set: task::SET,
        attachments: appointment::NAV_ATTACHMENTS,
        update: UpdateMethod::Merge,
        changed_at: None,
        external_key: None,
    },
};
