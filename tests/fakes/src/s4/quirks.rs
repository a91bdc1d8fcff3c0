//! The ways real SAP Gateways (and servers that imitate one) are less kind
//! than the fake's defaults, each switched on alone: found against an
//! OData v2 server built from SAP's own stack (SAP CAP with SAP's v2
//! adapter, modelled on the CRM services) and behind reverse proxies.
//!
//! Set at start ([`crate::s4::FakeS4Config::quirks`]), or while running with
//! [`crate::s4::FakeS4Handle::set_quirks`] / `PUT /_control/quirks`.

use serde::{Deserialize, Serialize};

/// How error bodies look.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorShape {
    /// SAP Gateway's own: `{"error":{"code","message":{"lang","value"},
    /// "innererror":{…,"errordetails":[{…,"message":"…","target":""}]}}}`,
    /// or its XML form when the request did not ask for JSON.
    #[default]
    Gateway,
    /// The message a plain string, each `errordetails[].message` an object
    /// `{lang, value}` and each `target` `null` (SAP CAP's v2 adapter).
    MessageObjects,
    /// `{"error": "<text>"}`: nothing but the text.
    PlainText,
    /// An HTML page for every error a client sees directly (not inside a
    /// `$batch`), as a reverse proxy that replaces error bodies sends.
    Html,
}

/// Which services the system offers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Catalogue {
    /// The `/NAG/` copies with maiconnect's additions (the extended profile).
    #[default]
    Extended,
    /// SAP's shipped `CRM_APPOINTMENT_SRV`, `CRM_TASK` and `CRM_BUPA_ODATA`
    /// under `/sap/opu/odata/sap/`, without the additions and with SAP's
    /// names (`AppointmentToAttachment`); the `/NAG/` copies are not there.
    /// The add-on's read services stay.
    Standard,
}

/// The departures from the fake's defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Quirks {
    /// Every created activity gets a GUID of the server's own; the one
    /// sent is ignored (a plain copy of a standard service may do so).
    pub server_keys: bool,
    /// The scheme, host and port the server writes into `__next`,
    /// `__metadata.uri`, `__deferred` and `Location` instead of the ones
    /// the request came to (a Gateway behind a reverse proxy, or one whose
    /// external host name is not set), such as
    /// `https://s4-app01.corp.internal:44300`.
    pub internal_origin: Option<String>,
    /// A `DELETE` with `If-Match` of an entity that does not exist is
    /// answered 412 (the ETag check runs first) instead of 404.
    pub delete_gone_412: bool,
    /// A create of an existing key is answered 500 with a database message
    /// (`SY/530`, "duplicate key") instead of 400 with a business error.
    pub duplicate_as_database_error: bool,
    /// An update (`MERGE`, `PUT`, `PATCH`) of an activity is answered 200
    /// with the entity instead of 204.
    pub update_returns_entity: bool,
    /// The shape of error bodies.
    pub error_shape: ErrorShape,
    /// CSRF protection off: no token is issued and none is checked.
    pub csrf_off: bool,
    /// Which services the system offers.
    pub catalogue: Catalogue,
}

impl Quirks {
    /// Each quirk switched on alone (the catalogue and the error shapes
    /// one by one), named, for running a suite against every one.
    pub fn each() -> Vec<(&'static str, Quirks)> {
        let q = Quirks::default;
        vec![
            (
                "server_keys",
                Quirks {
                    server_keys: true,
                    ..q()
                },
            ),
            (
                "internal_origin",
                Quirks {
                    internal_origin: Some("https://s4-app01.corp.internal:44300".into()),
                    ..q()
                },
            ),
            (
                "delete_gone_412",
                Quirks {
                    delete_gone_412: true,
                    ..q()
                },
            ),
            (
                "duplicate_as_database_error",
                Quirks {
                    duplicate_as_database_error: true,
                    ..q()
                },
            ),
            (
                "update_returns_entity",
                Quirks {
                    update_returns_entity: true,
                    ..q()
                },
            ),
            (
                "message_objects",
                Quirks {
                    error_shape: ErrorShape::MessageObjects,
                    ..q()
                },
            ),
            (
                "plain_text_errors",
                Quirks {
                    error_shape: ErrorShape::PlainText,
                    ..q()
                },
            ),
            (
                "html_errors",
                Quirks {
                    error_shape: ErrorShape::Html,
                    ..q()
                },
            ),
            (
                "csrf_off",
                Quirks {
                    csrf_off: true,
                    ..q()
                },
            ),
            (
                "standard",
                Quirks {
                    catalogue: Catalogue::Standard,
                    ..q()
                },
            ),
        ]
    }
}
