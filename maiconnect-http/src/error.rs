//! The hub's error.

use maiconnect_core::{ErrorKind, PortError, Retry};

/// What can go wrong running the hub.
#[derive(Debug, thiserror::Error)]
pub enum HubError {
    /// The configuration is invalid; the message names the key and the fix.
    #[error("configuration: {0}")]
    Config(String),
    /// A secret could not be read.
    #[error("secret {what}: {why}")]
    Secret {
        /// Which secret (the configuration key).
        what: String,
        /// Why it could not be read, and what to do.
        why: String,
    },
    /// A port failed.
    #[error(transparent)]
    Port(#[from] PortError),
    /// The HTTP server could not start.
    #[error("cannot listen on {addr}: {source}; choose a free address with --listen or hub.listen")]
    Listen {
        /// The address.
        addr: String,
        /// The cause.
        source: std::io::Error,
    },
}

impl HubError {
    /// The class of error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            HubError::Config(_) | HubError::Secret { .. } | HubError::Listen { .. } => {
                ErrorKind::Misconfigured
            }
            HubError::Port(e) => e.kind,
        }
    }
    /// Whether retrying may help.
    pub fn retry(&self) -> Retry {
        match self {
            HubError::Port(e) => e.retry,
            _ => Retry::Never,
        }
    }
}
