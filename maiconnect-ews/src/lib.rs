//! Exchange Web Services (EWS) adapter of maiconnect.
//!
//! This crate is the only place that knows EWS. It implements the core
//! mailbox port (`maiconnect_core::ports::Mailbox`) over SOAP.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
