//! Fake S/4HANA and fake Exchange: stateful HTTP servers on localhost that
//! speak the real wire protocols (SAP Gateway OData v2, Exchange Web
//! Services), inject faults on request, and stand in for the real systems in
//! the integration tests and the demo.
#![warn(missing_docs)]

pub mod exchange;
pub mod proxy;
pub mod s4;
pub mod world;
