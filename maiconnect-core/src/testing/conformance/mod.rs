//! Conformance suites: one set of assertions that every implementation of
//! a port must pass. Each suite is a set of async functions plus a macro
//! that turns them into `#[tokio::test]`s:
//!
//! ```ignore
//! maiconnect_core::store_conformance!(async { SqliteStore::open_in_memory().unwrap() });
//! ```

pub mod crm;
pub mod mailbox;
pub mod store;

/// Runs the state store suite against the store made by `$make` (an async
/// block yielding the store; each test gets a fresh one).
#[macro_export]
macro_rules! store_conformance {
    ($make:expr) => {
        mod store_conformance {
            #[allow(unused_imports)]
            use super::*;
            $crate::__conformance_tests!(
                $make,
                $crate::testing::conformance::store,
                [
                    links_round_trip,
                    one_item_belongs_to_one_object,
                    intents_round_trip,
                    cursors_and_subscriptions_round_trip,
                    inbox_keeps_lanes_in_order,
                    inbox_prefers_live_events,
                    inbox_deduplicates_and_dead_letters,
                    inbox_leases_expire,
                    held_deletes_and_journal,
                ]
            );
        }
    };
}

/// Runs the CRM suite against the port made by `$make` (an async block
/// yielding the port, backed by [`crate::testing::samples::world`]).
#[macro_export]
macro_rules! crm_conformance {
    ($make:expr) => {
        mod crm_conformance {
            #[allow(unused_imports)]
            use super::*;
            $crate::__conformance_tests!(
                $make,
                $crate::testing::conformance::crm,
                [
                    create_read_update_delete,
                    stale_versions_conflict,
                    repeated_create_is_already_exists,
                    lists_by_employee_and_window,
                    partners_relationships_and_search,
                    contacts_read_as_records,
                    capabilities_hold,
                ]
            );
        }
    };
}

/// Runs the mailbox suite against the port made by `$make` (an async block
/// yielding `(port, mailbox)` for an existing, empty mailbox).
#[macro_export]
macro_rules! mailbox_conformance {
    ($make:expr) => {
        mod mailbox_conformance {
            #[allow(unused_imports)]
            use super::*;
            $crate::__conformance_tests!(
                $make,
                $crate::testing::conformance::mailbox,
                [
                    create_get_update_delete,
                    stale_versions_conflict,
                    tags_are_found,
                    changes_are_listed_with_a_cursor,
                    lists_by_window,
                    attachments_round_trip,
                    subscribe_and_unsubscribe,
                ]
            );
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __conformance_tests {
    ($make:expr, $suite:path, [$($name:ident),* $(,)?]) => {
        $(
            #[tokio::test]
            async fn $name() {
                let made = $make.await;
                { use $suite as suite; suite::$name(made).await; }
            }
        )*
    };
}
