//! The fake Exchange (EWS over HTTP).

pub mod clock;
pub mod config;
pub mod error;
pub mod items;
pub mod ops;
pub mod push;
pub mod schema;
pub mod soap;
pub mod state;
pub mod xml;
