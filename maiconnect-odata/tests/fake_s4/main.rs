//! The adapter against the fake S/4HANA of `tests/fakes` (a stateful SAP
//! Gateway speaking the six services of PROFILE.md): the core's CRM
//! conformance suite, the start-up check, round trips of appointments and
//! tasks, CSRF token handling, and contact persons without a customer.

mod conformance;
mod contacts;
mod csrf;
mod fixture;
mod quirks;
mod roundtrips;
