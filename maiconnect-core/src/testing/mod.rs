//! Test support (feature `testing`): sample records, in-memory ports with
//! fault injection, and conformance suites that every port implementation
//! runs (`crm_conformance!`, `mailbox_conformance!`, `store_conformance!`).
//!
//! The mockall mocks of the ports are `MockCrm`, `MockMailboxPort` and
//! `MockStateStore` in [`crate::ports`].

pub mod conformance;
mod faults;
mod memory_crm;
mod memory_mailbox;
mod memory_store;
pub mod samples;

pub use faults::{Fault, Faults, crash};
pub use memory_crm::MemoryCrm;
pub use memory_mailbox::MemoryMailbox;
pub use memory_store::MemoryStore;
