//! Fake S/4HANA and fake Exchange servers that speak the real protocols.
#![warn(missing_docs)]
