//! The fake Exchange (EWS over HTTP).

pub mod auth;
pub mod clock;
pub mod config;
pub mod control;
pub mod demo;
pub mod error;
pub mod faults;
pub mod items;
pub mod ops;
pub mod push;
pub mod schema;
pub mod server;
pub mod soap;
pub mod state;
pub mod xml;

pub use config::FakeExchangeConfig;
pub use error::FakeExchangeError;
pub use server::{FakeExchange, FakeExchangeHandle};
