//! Outbound HTTP for maiconnect's adapters (EWS, OData): one place that
//! decides whom the hub trusts and how a failed call is explained.
//!
//! TLS is rustls with the platform's root certificates (the operating
//! system's store, through `rustls-platform-verifier`), so no system
//! library is linked. On-premises Exchange and SAP Gateway usually present a
//! certificate from an internal CA; [`CaBundle`] adds that CA for one
//! connection (an Exchange environment, or S/4HANA) without trusting it
//! anywhere else.
//!
//! ```
//! use maiconnect_transport::Outbound;
//!
//! let client = Outbound::default()
//!     .client_builder()
//!     .build()
//!     .expect("a client with the platform's roots");
//! # drop(client);
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod ca;
mod explain;

pub use ca::CaBundle;
pub use explain::{Explained, explain};

/// What can go wrong while setting up outbound HTTP.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// A CA bundle that holds no usable certificate.
    #[error(
        "the CA bundle {origin} {reason}; give a PEM file with one or more `-----BEGIN CERTIFICATE-----` blocks (convert a DER .cer with `openssl x509 -inform DER -in ca.cer -out ca.pem`)"
    )]
    CaBundle {
        /// Where the bundle came from (a file path or a configuration key).
        origin: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// The settings of outbound calls to one backend (an Exchange environment
/// or S/4HANA).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outbound {
    /// Extra trusted roots besides the platform's.
    pub ca_bundle: Option<CaBundle>,
}

impl Outbound {
    /// A `reqwest` client builder that trusts the platform's roots and the
    /// configured CA bundle. Adapters add their timeouts, cookies and
    /// redirect policy.
    pub fn client_builder(&self) -> reqwest::ClientBuilder {
        let builder = reqwest::Client::builder();
        match &self.ca_bundle {
            Some(bundle) => builder.tls_certs_merge(bundle.certificates()),
            None => builder,
        }
    }
}
