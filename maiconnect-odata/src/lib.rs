//! SAP OData v2 adapter of maiconnect.
//!
//! This crate is the only place that knows OData. It implements the core
//! CRM port (`maiconnect_core::ports::Crm`) over SAP Gateway services.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
