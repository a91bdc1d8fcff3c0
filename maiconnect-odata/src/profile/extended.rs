//! The extended profile: the `/NAG/` copies of SAP's CRM services with
//! maiconnect's additions, and the add-on's CDS and search services.

use super::{
    ActivitySpec, EntitySetSpec, Profile, ProfileKind, ServiceId, ServiceSpec, UpdateMethod,
    appointment, long, opt, s, t, task,
};

/// What it costs when a service lacks `TimeZone`.
pub const NO_TIME_ZONE: &str = "times are read in the user's zone (policy default_time_zone): an appointment entered in another zone keeps its instant but shows in the user's zone";
/// What it costs when a service lacks `ExternalKey`.
pub const NO_EXTERNAL_KEY: &str = "only the link table knows which Outlook item an activity came from: a lost state store cannot be rebuilt from S/4HANA, and on a server that assigns its own keys a create interrupted by a crash may be made twice";
/// What it costs when a service lacks `ChangedAt`.
pub const NO_CHANGED_AT: &str = "no change time stamp: reconciliation cannot ask for what changed since its last pass and must compare the activities of a window";
/// What it costs when a service lacks `TextType`.
pub const NO_TEXT_TYPE: &str = "Note holds the service's own text type: the text type per transaction type of the policy is neither chosen on write nor checked on read";
/// What it costs when the attendees lack `Email`.
pub const NO_ATTENDEE_EMAIL: &str = "attendees carry no e-mail address from S/4HANA: Outlook invitations go to the addresses found through the partner search";
/// What it costs when a contact lacks `middleName`.
pub const NO_MIDDLE_NAME: &str = "contacts have no middle name";
/// What it costs when a work address is not structured.
pub const NO_POSTAL_ADDRESS: &str =
    "contacts get no postal address (street, postcode, city, region, country)";
/// What it costs when a work address lacks `fax`.
pub const NO_FAX: &str = "contacts have no fax number";

const ATTACHMENTS: EntitySetSpec = EntitySetSpec {
    name: super::ATTACHMENT_SET,
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
    via: None,
};

/// The account set, the same in both profiles.
pub(super) const ACCOUNTS: EntitySetSpec = EntitySetSpec {
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
    via: None,
};

/// The add-on's three read services, the same in both profiles.
pub(super) const RELATIONSHIPS: ServiceSpec = ServiceSpec {
    id: ServiceId::Relationships,
    name: "/NAG/MAICONNECT_CONTPERS_CDS",
    path: "/sap/opu/odata/NAG/MAICONNECT_CONTPERS_CDS/",
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
        via: None,
    }],
};

/// See [`RELATIONSHIPS`].
pub(super) const EMPLOYEES: ServiceSpec = ServiceSpec {
    id: ServiceId::Employees,
    name: "/NAG/MAICONNECT_EMPLOYEE_CDS",
    path: "/sap/opu/odata/NAG/MAICONNECT_EMPLOYEE_CDS/",
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
        via: None,
    }],
};

/// See [`RELATIONSHIPS`].
pub(super) const PARTNER_SEARCH: ServiceSpec = ServiceSpec {
    id: ServiceId::PartnerSearch,
    name: "/NAG/PARTNER_ADDRESS_SEARCH_SRV",
    path: "/sap/opu/odata/NAG/PARTNER_ADDRESS_SEARCH_SRV/",
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
        via: None,
    }],
};

/// The extended profile.
pub static EXTENDED: Profile = Profile {
    kind: ProfileKind::Extended,
    services: &[
        ServiceSpec {
            id: ServiceId::Appointments,
            name: "/NAG/CRM_APPOINTMENT_SRV_01",
            path: "/sap/opu/odata/NAG/CRM_APPOINTMENT_SRV_01/",
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
                        opt(s("TextType", 4), NO_TEXT_TYPE),
                        s("TransactionType", 4),
                        opt(s("TimeZone", 40), NO_TIME_ZONE),
                        opt(s("ExternalKey", 255), NO_EXTERNAL_KEY),
                        opt(t("ChangedAt", "Edm.DateTimeOffset"), NO_CHANGED_AT),
                    ],
                    navigations: &[appointment::NAV_ATTENDEE, appointment::NAV_ATTACHMENTS],
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
                        opt(s("Email", 241), NO_ATTENDEE_EMAIL),
                    ],
                    navigations: &[],
                    media: false,
                    via: None,
                },
                ATTACHMENTS,
            ],
        },
        ServiceSpec {
            id: ServiceId::Tasks,
            name: "/NAG/MAI_CRM_TASK_SRV",
            path: "/sap/opu/odata/NAG/MAI_CRM_TASK_SRV/",
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
                        opt(s("ExternalKey", 255), NO_EXTERNAL_KEY),
                        opt(t("ChangedAt", "Edm.DateTimeOffset"), NO_CHANGED_AT),
                    ],
                    navigations: &[appointment::NAV_ATTACHMENTS],
                    media: false,
                    via: None,
                },
                ATTACHMENTS,
            ],
        },
        ServiceSpec {
            id: ServiceId::BusinessPartners,
            name: "/NAG/CRM_BUPA_ODATA_SRV",
            path: "/sap/opu/odata/NAG/CRM_BUPA_ODATA_SRV/",
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
                        opt(s("middleName", 40), NO_MIDDLE_NAME),
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
                    keys: &["contactID", "accountID"],
                    properties: &[
                        opt(s("street", 40), NO_POSTAL_ADDRESS),
                        opt(s("houseNumber", 10), NO_POSTAL_ADDRESS),
                        opt(s("postcode", 10), NO_POSTAL_ADDRESS),
                        opt(s("city", 40), NO_POSTAL_ADDRESS),
                        opt(s("region", 3), NO_POSTAL_ADDRESS),
                        opt(s("country", 3), NO_POSTAL_ADDRESS),
                        s("email", 241),
                        s("phone", 30),
                        s("mobilePhone", 30),
                        opt(s("fax", 30), NO_FAX),
                    ],
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
        attachments: appointment::NAV_ATTACHMENTS,
        update: UpdateMethod::Merge,
        changed_at: Some("ChangedAt"),
        external_key: Some("ExternalKey"),
    },
    tasks: ActivitySpec {
        set: task::SET,
        attachments: appointment::NAV_ATTACHMENTS,
        update: UpdateMethod::Merge,
        changed_at: Some("ChangedAt"),
        external_key: Some("ExternalKey"),
    },
};
