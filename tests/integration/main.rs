//! Integration tests: the hub in-process against the fake S/4HANA and the
//! fake Exchange, over HTTP, as in production. One binary, a module per
//! area.

mod appointments;
mod attachments;
mod harness;
mod partners;
mod private;
mod recurring;
mod smoke;
