//! The in-memory ports pass the conformance suites that every adapter runs.

use maiconnect_core::testing::samples::world;
use maiconnect_core::testing::{MemoryCrm, MemoryMailbox, MemoryStore};

maiconnect_core::store_conformance!(async { MemoryStore::new() });
maiconnect_core::crm_conformance!(async { MemoryCrm::with_world(&world()) });
maiconnect_core::mailbox_conformance!(async {
    (
        MemoryMailbox::new(),
        "anna.berg@example.com"
            .parse::<maiconnect_core::ids::Mailbox>()
            .unwrap(),
    )
});
