//! Integration tests: the hub in-process against the fake S/4HANA and the
//! fake Exchange, over HTTP, as in production. One binary, a module per
//! area.

mod admin;
mod appointments;
mod attachments;
mod bad_input;
mod conflicts;
mod contacts;
mod crash;
mod environments;
mod gateways;
mod golden;
mod harness;
mod partners;
mod private;
mod proxies;
mod recurring;
mod smoke;
mod subscriptions;
mod tasks;
