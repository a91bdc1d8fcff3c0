//! The maiconnect hub runtime: HTTP intake of S/4HANA events and EWS
//! notifications, the durable inbox, workers, the subscription keeper and the
//! admin API.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod store;

pub use store::SqliteStore;
