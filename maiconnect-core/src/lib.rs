//! The pure heart of maiconnect: the domain model, the admin policy, the
//! planner, the ports and the executor. No I/O, no clock reads.
//!
//! # The flow
//!
//! 1. An adapter reads both sides of a pair — the S/4HANA object
//!    ([`plan::S4Item`]) and the mailbox item ([`plan::MailboxItem`]) — into
//!    the [`model`], and the state store hands over the last synced state
//!    ([`plan::Link`]).
//! 2. [`plan::plan_pair`] (or [`plan::plan_contact`]) decides, from those
//!    three, the [`policy::Policy`] and `now`, what to write where: a
//!    [`plan::Plan`] of [`plan::Operation`]s. The decision is an exhaustive
//!    table over (S/4 copy, mailbox copy, last synced state); within a
//!    linked pair a three-way, field-level merge compares each side with
//!    what that side held at the last sync. An update carries only the
//!    changed fields' new values ([`plan::Changes`]); a create carries the
//!    whole record.
//! 3. [`plan::guard`] holds back the deletes of a run that would delete too
//!    much of a mailbox.
//! 4. [`exec::Executor`] applies the plan through the [`ports`] and records
//!    the new synced state, so that a crash anywhere followed by a re-run
//!    neither loses nor repeats a write.
//!
//! The adapters (`maiconnect-ews`, `maiconnect-odata`) implement the ports;
//! the hub (`maiconnect-http`) runs it all. With the `testing` feature this
//! crate offers in-memory ports, mocks and conformance suites.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod error;
pub mod exec;
pub mod ids;
pub mod model;
pub mod plan;
pub mod policy;
pub mod ports;
pub mod sync;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use error::{CoreError, ErrorKind, PortError, Retry};
