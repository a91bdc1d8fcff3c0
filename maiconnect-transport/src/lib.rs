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
//! Calls go direct, through the proxy that the standard environment
//! variables name, or through a configured [`Proxy`] ([`ProxySetting`]),
//! OAuth token requests included (they use the same client). A failure is
//! explained with the proxy in mind ([`Outbound::explain`]): a `407`, a
//! refused tunnel or an unreachable proxy reads as a proxy problem, not as
//! the server's.
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
mod proxy;

pub use ca::CaBundle;
pub use explain::{Explained, explain};
pub use proxy::{Proxy, ProxySetting};

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
    /// A proxy setting that cannot be used.
    #[error("the proxy {origin} {reason}")]
    Proxy {
        /// The setting (a configuration key).
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
    /// Direct, through the environment's proxy, or through a configured one.
    pub proxy: ProxySetting,
}

impl Outbound {
    /// A `reqwest` client builder that trusts the platform's roots and the
    /// configured CA bundle and goes through the configured proxy. Adapters
    /// add their timeouts, cookies and redirect policy.
    pub fn client_builder(&self) -> reqwest::ClientBuilder {
        let mut builder = reqwest::Client::builder();
        if let Some(bundle) = &self.ca_bundle {
            builder = builder.tls_certs_merge(bundle.certificates());
        }
        match &self.proxy {
            ProxySetting::Environment => builder,
            ProxySetting::Direct => builder.no_proxy(),
            // `Proxy::new` checked the URL, so this does not fail; if it
            // did, going direct would bypass the proxy silently, so the
            // builder carries the error to `build()` instead.
            ProxySetting::Via(proxy) => match proxy.to_reqwest() {
                Ok(p) => builder.proxy(p),
                Err(_) => builder.proxy(invalid_proxy()),
            },
        }
    }

    /// Explains a failed call, naming the proxy when one was in the way.
    pub fn explain(&self, error: &(dyn std::error::Error + 'static)) -> Explained {
        let mut explained = explain(error);
        if let ProxySetting::Via(proxy) = &self.proxy {
            explained.proxy = Some(proxy.url().to_owned());
        }
        explained
    }
}

/// A proxy that every request fails on (a never-reached fallback, see
/// [`Outbound::client_builder`]).
fn invalid_proxy() -> reqwest::Proxy {
    reqwest::Proxy::custom(|_| Some("http://invalid.invalid:1"))
}
