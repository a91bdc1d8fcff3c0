//! maiconnect keeps SAP S/4HANA and Microsoft Exchange in step: appointments
//! and tasks both ways, contacts from S/4HANA to Outlook, for every
//! configured mailbox.
//!
//! This facade re-exports the workspace's crates:
//!
//! | crate | what |
//! |---|---|
//! | [`core`] | pure domain model, policy, planner, ports, executor |
//! | [`ews`] | Exchange Web Services adapter |
//! | [`odata`] | SAP OData v2 adapter |
//! | [`http`] | the hub runtime |
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use maiconnect_core as core;
pub use maiconnect_ews as ews;
pub use maiconnect_http as http;
pub use maiconnect_odata as odata;
