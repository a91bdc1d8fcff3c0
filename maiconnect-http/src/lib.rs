//! The maiconnect hub runtime.
//!
//! # The flow
//!
//! 1. **Intake** ([`intake`]): S/4HANA's events (`POST /s4/events`) and
//!    Exchange's push notifications (`POST /ews/notify/{token}`) are written
//!    to the durable inbox ([`store::SqliteStore`], SQLite with WAL and
//!    `synchronous=FULL`) before the hub answers `2xx` / `OK`.
//! 2. **Workers** ([`worker`]) drain the inbox: an S/4 event fans out
//!    ([`fanout`]) into work per mailbox concerned; each mailbox's work runs
//!    in order, many mailboxes at once, within each Exchange environment's
//!    concurrency limit. The core's [`maiconnect_core::sync::Syncer`] reads
//!    both sides, plans and executes. Failures retry with back-off; after
//!    `hub.max_attempts` they become dead letters.
//! 3. The **subscription keeper** ([`keeper`]) keeps one push subscription
//!    per mailbox and folder, runs the initial sync of new users, and renews
//!    silent subscriptions, catching up through the change listing.
//! 4. The **admin API** ([`admin`]) shows and steers all of it; `/metrics`
//!    and `/health/*` serve operations.
//!
//! [`config::HubConfig`] reads the configuration file; [`hub::Hub`] is built
//! from it; [`server::RunningHub`] runs it; [`check::run_check`] tests a
//! configuration like a "test & enable mailbox" button.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod admin;
pub mod check;
pub mod config;
pub mod error;
pub mod fanout;
pub mod hub;
pub mod intake;
pub mod keeper;
pub mod metered;
pub mod metrics;
pub mod secrets;
pub mod server;
pub mod store;
pub mod worker;

pub use config::HubConfig;
pub use error::HubError;
pub use hub::{Hub, HubParts};
pub use server::RunningHub;
pub use store::SqliteStore;
