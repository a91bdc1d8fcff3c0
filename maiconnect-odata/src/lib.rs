//! SAP OData v2 adapter of maiconnect: the only place that knows OData.
//!
//! It implements the core's CRM port ([`maiconnect_core::ports::Crm`]) as
//! [`ODataCrm`] over the six SAP Gateway services of a
//! [service profile](profile): the `/NAG/` copies with maiconnect's
//! additions (extended, the default) or SAP's shipped CRM services
//! (standard).
//!
//! # The flow
//!
//! 1. [`ClientConfig`] says where S/4HANA is (base URL, profile, service
//!    roots, `sap-client`, `sap-language`, Basic or bearer credentials,
//!    timeouts, strict next links); [`ODataClient`] keeps one session per
//!    service: its CSRF token (learned from the first read, else fetched
//!    with HEAD, GET as fallback, once at a time, again on `403 Required`;
//!    none at all when the service has CSRF protection off), the session
//!    cookies and the `$metadata`.
//! 2. [`check::check_services`] reads every `$metadata` at start-up and
//!    reports each missing service, entity set or property with its fix,
//!    and each missing optional property with what it costs; run for
//!    each profile, its verdicts say which profile the system fits.
//! 3. Reads go through [`wire`] (sans I/O: JSON envelope, `/Date()/`
//!    values, literals, `$filter`, paging links, error bodies of any
//!    shape) and [`mapping`] into the core model; writes go the other way,
//!    as `$batch` changesets with `If-Match`, only the properties the
//!    service holds, every cut text reported. A create links the key the
//!    server reports ([`crm::create`]); a create that may have happened
//!    is confirmed by reading; a delete of what is gone succeeds.
//! 4. Errors are [`ODataError`]s, classified by HTTP status and SAP message
//!    code (never by text), that answer `kind()` and `retry()` and turn
//!    into [`maiconnect_core::PortError`]s naming the object and the fix.
//!
//! [`decode::decode`] turns any OData response body into a JSON value of
//! what was understood, error bodies of every shape and a proxy's HTML
//! page included (the hub's `decode odata FILE`).
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
