//! SAP OData v2 adapter of maiconnect: the only place that knows OData.
//!
//! It implements the core's CRM port ([`maiconnect_core::ports::Crm`]) as
//! [`ODataCrm`] over the six SAP Gateway services of the
//! [service profile](profile).
//!
//! # The flow
//!
//! 1. [`ClientConfig`] says where S/4HANA is (base URL, service roots,
//!    `sap-client`, `sap-language`, Basic or bearer credentials, timeouts);
//!    [`ODataClient`] keeps one session per service: its CSRF token (fetched
//!    with HEAD, GET as fallback, once at a time, again on `403 Required`),
//!    the session cookies and the `$metadata`.
//! 2. [`check::check_services`] reads every `$metadata` at start-up and
//!    reports each missing service, entity set or property with its fix.
//! 3. Reads go through [`wire`] (sans I/O: JSON envelope, `/Date()/`
//!    values, literals, `$filter`, paging links, SAP error bodies) and
//!    [`mapping`] into the core model; writes go the other way, as `$batch`
//!    changesets with `If-Match`, every cut text reported.
//! 4. Errors are [`ODataError`]s that answer `kind()` and `retry()` and turn
//!    into [`maiconnect_core::PortError`]s naming the object and the fix.
//!
//! [`decode::decode`] turns any OData response body into a JSON value of
//! what was understood (the hub's `decode odata FILE`).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod check;
pub mod client;
pub mod crm;
pub mod decode;
pub mod error;
pub mod mapping;
pub mod profile;
pub mod wire;

pub use check::{CheckReport, check_services};
pub use client::{Auth, ClientConfig, CsrfFetch, ODataClient};
pub use crm::ODataCrm;
pub use decode::{decode, decode_with};
pub use error::ODataError;
pub use mapping::{MappingConfig, WriteReport};
