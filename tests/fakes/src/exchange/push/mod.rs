//! Push notifications: one task per active push subscription delivers
//! events and heartbeats, retries with back-off, and ends the subscription
//! when the listener says `Unsubscribe` or stops answering.

pub mod notification;
mod runner;

pub use runner::ensure_tasks;
