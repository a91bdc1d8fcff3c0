//! Exchange Web Services (EWS) adapter of maiconnect: the only crate that
//! knows SOAP, EWS operations and Exchange's quirks.
//!
//! # The flow
//!
//! 1. [`client::EwsMailboxes`] implements the core's
//!    [`maiconnect_core::ports::MailboxPort`]. Each port call becomes one
//!    or a few EWS [`operations`] (FindItem, GetItem, CreateItem, …).
//! 2. An operation is sans-I/O: it writes its request element
//!    ([`operations::Operation::write_body`]), [`soap`] wraps it into an
//!    envelope with `RequestServerVersion`, `ExchangeImpersonation` and
//!    `TimeZoneContext`, and parses the answer — SOAP faults and per-item
//!    `ResponseClass` included — with [`mapping`] turning items into the
//!    core model.
//! 3. [`client::EwsClient`] is the thin reqwest executor: auth headers
//!    ([`auth`]: Basic, OAuth client credentials with secret or
//!    certificate), `X-AnchorMailbox`, size limits, `Retry-After`.
//! 4. Exchange pushes changes to the hub as `SendNotification`; [`push`]
//!    parses them and writes the `SendNotificationResult` answer.
//! 5. Every failure is an [`EwsError`] that answers `kind()` and `retry()`
//!    and converts into the core's `PortError`.
//!
//! XML is read with quick-xml into a borrowed tree ([`xml`]); DTDs are
//! refused, so no entity is ever expanded.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod auth;
pub mod client;
mod decode;
pub mod error;
pub mod mapping;
pub mod operations;
pub mod push;
pub mod response_code;
pub mod soap;
pub mod timezone;
pub mod xml;

pub use client::{EwsClient, EwsConfig, EwsMailboxes};
pub use decode::decode;
pub use error::{EwsError, ServerError};
pub use response_code::ResponseCode;
